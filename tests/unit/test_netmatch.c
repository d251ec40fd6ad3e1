/*
 * NAME
 *	test_netmatch - unit tests for netmatch.c
 * DESCRIPTION
 *	Table-driven: which network specs netlist_add() accepts, and which
 *	addresses a fixed list (plus the built-in loopback) matches, as text
 *	and as socket addresses.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/un.h>

#include "netmatch.h"

struct add_case {
	const char *spec;
	int     ok;
};

static const struct add_case add_cases[] = {
	/* IPv4 */
	{"192.0.2.0/24", 1},
	{"192.0.2.1", 1},
	{"192.0.2.1/32", 1},
	{"0.0.0.0/0", 1},
	{"10.0.0.0/8", 1},
	{"172.16.0.0/12", 1},
	{"[192.0.2.0]/24", 1},
	{"192.0.2.1/33", 0},		/* prefix too long */
	{"192.0.2.1/24", 0},		/* host bits set */
	{"10.0.0.0/7", 1},		/* 00001010: bit 8 is clear */
	{"11.0.0.0/7", 0},		/* 00001011: bit 8 set */
	{"1.0.0.0/0", 0},		/* host bits set with /0 */
	{"192.0.2.0/", 0},
	{"192.0.2.0/-1", 0},
	{"192.0.2.0/+8", 0},
	{"192.0.2.0/ 8", 0},
	{"192.0.2.0/0008", 0},
	{"192.0.2.0/24/", 0},
	{"192.0.2", 0},
	{"192.0.2.256", 0},
	{"192.0.2.0/24x", 0},
	{" 192.0.2.0/24", 0},
	{"192.0.2.0/24 ", 0},
	{"", 0},
	{"/24", 0},
	{"example.com", 0},
	{"10/8", 0},
	/* IPv6 */
	{"2001:db8::/32", 1},
	{"2001:db8::1", 1},
	{"2001:db8::1/128", 1},
	{"::/0", 1},
	{"[2001:db8::]/32", 1},
	{"[2001:db8::1]", 1},
	{"::ffff:10.0.0.0/104", 1},
	{"fe80::/10", 1},
	{"2001:db8::/129", 0},
	{"2001:db8::1/64", 0},		/* host bits set */
	{"2001:db8::/31", 1},		/* 0x0db8: bit 32 is clear */
	{"2001:db9::/31", 0},		/* 0x0db9: bit 32 set */
	{"[2001:db8::/32]", 0},
	{"[2001:db8::1", 0},
	{"2001:db8::1]", 0},
	{"2001:db8:::1", 0},
	{"fe80::1%eth0", 0},
	{"2001:db8::g", 0},
	{"[]", 0},
	{"[", 0},
	/* longer than any address text */
	{"0000:0000:0000:0000:0000:0000:0000:0000:0000:0000:0000/8", 0},
};

static void
netlist_add__table__accepts_only_valid_specs(void **state)
{
	size_t  i;

	(void) state;
	for (i = 0; i < sizeof(add_cases) / sizeof(add_cases[0]); i++) {
		netlist l;
		size_t  n;
		int     rc;

		netlist_init(&l);
		rc = netlist_add(&l, add_cases[i].spec);
		n = l.n;
		netlist_free(&l);
		if ((rc == 0) != add_cases[i].ok || n != (rc == 0 ? 1u : 0u))
			fail_msg("spec \"%s\": netlist_add returned %d, %zu entries",
				 add_cases[i].spec, rc, n);
	}
}

static void
netlist_add__null_spec__is_refused(void **state)
{
	netlist l;

	(void) state;
	netlist_init(&l);
	assert_int_equal(netlist_add(&l, NULL), -1);
	assert_int_equal(l.n, 0);
	netlist_free(&l);
}

static void
netlist_add__entries__are_stored_in_order(void **state)
{
	netlist l;

	(void) state;
	netlist_init(&l);
	assert_int_equal(netlist_add(&l, "192.0.2.0/24"), 0);
	assert_int_equal(netlist_add(&l, "bogus"), -1);
	assert_int_equal(netlist_add(&l, "2001:db8::/32"), 0);
	assert_int_equal(l.n, 2);
	assert_int_equal(l.v[0].family, AF_INET);
	assert_int_equal(l.v[0].bits, 24);
	assert_int_equal(l.v[1].family, AF_INET6);
	assert_int_equal(l.v[1].bits, 32);
	netlist_free(&l);
	assert_null(l.v);
	assert_int_equal(l.n, 0);
}

/* The list used by the match tables. */
static const char *const match_list[] = {
	"192.0.2.0/24",
	"198.51.100.7",
	"203.0.113.128/25",
	"2001:db8:1::/48",
	"2001:db8:ffff::42/128",
	"::ffff:100.64.0.0/106",
};

struct match_case {
	const char *addr;
	int     match;
};

static const struct match_case match_cases[] = {
	/* loopback, always */
	{"127.0.0.1", 1},
	{"127.255.255.254", 1},
	{"::1", 1},
	{"::ffff:127.0.0.1", 1},
	{"[::1]", 1},
	{"[IPv6:::1]", 1},
	{"[ipv6:::1]", 1},
	{"128.0.0.1", 0},
	{"126.255.255.255", 0},
	{"::2", 0},
	{"::", 0},
	/* IPv4 prefix boundaries */
	{"192.0.2.0", 1},
	{"192.0.2.255", 1},
	{"192.0.1.255", 0},
	{"192.0.3.0", 0},
	{"198.51.100.7", 1},
	{"198.51.100.6", 0},
	{"198.51.100.8", 0},
	{"203.0.113.128", 1},
	{"203.0.113.255", 1},
	{"203.0.113.127", 0},
	{"[192.0.2.9]", 1},
	/* IPv4-mapped IPv6 matches IPv4 entries */
	{"::ffff:192.0.2.9", 1},
	{"::FFFF:c000:0209", 1},
	{"::ffff:192.0.3.9", 0},
	/* IPv4 address matches a mapped IPv6 entry */
	{"100.64.0.1", 1},
	{"100.127.255.255", 1},
	{"100.128.0.0", 0},
	{"::ffff:100.64.1.1", 1},
	/* IPv4-compatible (deprecated) is not mapped */
	{"::192.0.2.9", 0},
	/* IPv6 boundaries */
	{"2001:db8:1::", 1},
	{"2001:db8:1:ffff:ffff:ffff:ffff:ffff", 1},
	{"2001:db8:2::", 0},
	{"2001:db8:0:ffff::1", 0},
	{"2001:DB8:1::abcd", 1},
	{"2001:db8:ffff::42", 1},
	{"2001:db8:ffff::43", 0},
	{"[2001:db8:1::5]", 1},
	{"[IPv6:2001:db8:1::5]", 1},
	/* garbage never matches */
	{"", 0},
	{"[]", 0},
	{"[IPv6:]", 0},
	{"[IPv6:192.0.2.9]", 0},
	{"IPv6:2001:db8:1::5", 0},
	{"192.0.2.9/32", 0},
	{"192.0.2", 0},
	{"192.0.2.9 ", 0},
	{"localhost", 0},
	{"2001:db8:1::5%eth0", 0},
	{"[2001:db8:1::5", 0},
	{"unknown", 0},
};

static void
match_fixture(netlist *l)
{
	size_t  i;

	netlist_init(l);
	for (i = 0; i < sizeof(match_list) / sizeof(match_list[0]); i++)
		assert_int_equal(netlist_add(l, match_list[i]), 0);
}

static void
netlist_match__table__matches_networks_and_loopback(void **state)
{
	netlist l;
	size_t  i;

	(void) state;
	match_fixture(&l);
	for (i = 0; i < sizeof(match_cases) / sizeof(match_cases[0]); i++) {
		int     got = netlist_match(&l, match_cases[i].addr);

		if (got != match_cases[i].match)
			fail_msg("address \"%s\": got %d, want %d",
				 match_cases[i].addr, got, match_cases[i].match);
	}
	netlist_free(&l);
}

static void
netlist_match__empty_list__trusts_loopback_only(void **state)
{
	netlist l;

	(void) state;
	netlist_init(&l);
	assert_true(netlist_match(&l, "127.0.0.1"));
	assert_true(netlist_match(&l, "::1"));
	assert_false(netlist_match(&l, "192.0.2.1"));
	assert_false(netlist_match(&l, "2001:db8::1"));
	assert_false(netlist_match(&l, NULL));
	assert_true(netlist_match(NULL, "127.0.0.2"));
	assert_false(netlist_match(NULL, "10.0.0.1"));
	netlist_free(&l);
}

static void
netlist_match__slash_zero__matches_everything_of_its_family(void **state)
{
	netlist l4, l6;

	(void) state;
	netlist_init(&l4);
	netlist_init(&l6);
	assert_int_equal(netlist_add(&l4, "0.0.0.0/0"), 0);
	assert_int_equal(netlist_add(&l6, "::/0"), 0);
	assert_true(netlist_match(&l4, "255.255.255.255"));
	assert_true(netlist_match(&l4, "::ffff:8.8.8.8"));
	assert_false(netlist_match(&l4, "2001:db8::1"));
	assert_true(netlist_match(&l6, "2001:db8::1"));
	/* An IPv4 client is ::ffff:a.b.c.d in IPv6 terms: inside ::/0. */
	assert_true(netlist_match(&l6, "8.8.8.8"));
	netlist_free(&l4);
	netlist_free(&l6);
}

static void
netlist_match_sa__null_and_local__are_trusted(void **state)
{
	struct sockaddr_un un;
	struct sockaddr sa;

	(void) state;
	memset(&un, 0, sizeof(un));
	un.sun_family = AF_UNIX;
	memset(&sa, 0, sizeof(sa));
	sa.sa_family = AF_UNSPEC;
	assert_true(netlist_match_sa(NULL, NULL));
	assert_true(netlist_match_sa(NULL, (struct sockaddr *) &un));
	assert_true(netlist_match_sa(NULL, &sa));
}

static void
netlist_match_sa__inet_addresses__are_matched(void **state)
{
	struct sockaddr_in in;
	struct sockaddr_in6 in6;
	netlist l;

	(void) state;
	match_fixture(&l);
	memset(&in, 0, sizeof(in));
	in.sin_family = AF_INET;
	assert_int_equal(inet_pton(AF_INET, "192.0.2.77", &in.sin_addr), 1);
	assert_true(netlist_match_sa(&l, (struct sockaddr *) &in));
	assert_int_equal(inet_pton(AF_INET, "192.0.3.77", &in.sin_addr), 1);
	assert_false(netlist_match_sa(&l, (struct sockaddr *) &in));
	assert_int_equal(inet_pton(AF_INET, "127.0.0.1", &in.sin_addr), 1);
	assert_true(netlist_match_sa(NULL, (struct sockaddr *) &in));

	memset(&in6, 0, sizeof(in6));
	in6.sin6_family = AF_INET6;
	assert_int_equal(inet_pton(AF_INET6, "2001:db8:1::9", &in6.sin6_addr), 1);
	assert_true(netlist_match_sa(&l, (struct sockaddr *) &in6));
	assert_int_equal(inet_pton(AF_INET6, "::ffff:192.0.2.1", &in6.sin6_addr), 1);
	assert_true(netlist_match_sa(&l, (struct sockaddr *) &in6));
	assert_int_equal(inet_pton(AF_INET6, "::ffff:192.0.3.1", &in6.sin6_addr), 1);
	assert_false(netlist_match_sa(&l, (struct sockaddr *) &in6));
	assert_int_equal(inet_pton(AF_INET6, "2001:db9::1", &in6.sin6_addr), 1);
	assert_false(netlist_match_sa(&l, (struct sockaddr *) &in6));
	assert_int_equal(inet_pton(AF_INET6, "::1", &in6.sin6_addr), 1);
	assert_true(netlist_match_sa(NULL, (struct sockaddr *) &in6));
	netlist_free(&l);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(netlist_add__table__accepts_only_valid_specs),
		cmocka_unit_test(netlist_add__null_spec__is_refused),
		cmocka_unit_test(netlist_add__entries__are_stored_in_order),
		cmocka_unit_test(netlist_match__table__matches_networks_and_loopback),
		cmocka_unit_test(netlist_match__empty_list__trusts_loopback_only),
		cmocka_unit_test(netlist_match__slash_zero__matches_everything_of_its_family),
		cmocka_unit_test(netlist_match_sa__null_and_local__are_trusted),
		cmocka_unit_test(netlist_match_sa__inet_addresses__are_matched),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
