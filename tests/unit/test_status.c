/*
 * NAME
 *	test_status - unit tests for status.c
 * DESCRIPTION
 *	status_valid() on valid and invalid RFC 3463 codes (IP addresses,
 *	version numbers, digit counts); status_find() in real diagnostic
 *	texts, preferring a specific code over x.0.0 and skipping codes
 *	inside longer tokens; reply_find() standing alone only;
 *	status_is_generic().  Inputs are passed with explicit lengths and
 *	are copied to exact-size heap buffers, so ASan sees any read past
 *	the end.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "status.h"
#include "testutil.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

struct valid_case {
	const char *in;
	size_t  want;				/* length, 0 = invalid */
};

static const struct valid_case valid_cases[] = {
	{"5.1.1", 5},
	{"4.4.7", 5},
	{"2.0.0", 5},
	{"5.7.509", 7},
	{"5.123.123", 9},
	{"4.10.100", 8},
	{"5.1.1 user unknown", 5},
	{"5.1.1;", 5},
	{"5.1.1)", 5},
	{"5.1.1.", 5},				/* sentence end, no digit */
	{"5.1.1.x", 5},
	{"1.2.3", 0},				/* class 1 */
	{"3.1.1", 0},
	{"6.1.1", 0},
	{"0.0.0", 0},
	{"5.1", 0},				/* two parts */
	{"5.1.", 0},
	{"5..1", 0},
	{"5.1.1234", 0},			/* 4-digit detail */
	{"5.1234.1", 0},			/* 4-digit subject */
	{"55.1.1", 0},
	{"5.1.1.1", 0},				/* IP address */
	{"5.1.1.10", 0},
	{"5.1.10", 6},
	{"5.1.1a", 5},				/* letter: caller decides */
	{"5,1,1", 0},
	{"5 .1.1", 0},
	{"x5.1.1", 0},
	{"", 0},
	{"5", 0},
	{"5.", 0},
	{"5.1.a", 0},
	{"5.-1.1", 0},
};

static void
valid__accepts_rfc3463_codes_and_rejects_everything_else(void **state)
{
	size_t  i, bad = 0;

	(void) state;
	for (i = 0; i < NELEM(valid_cases); i++) {
		const struct valid_case *c = valid_cases + i;
		size_t  n = strlen(c->in);
		char   *p = test_exact(c->in, n);
		size_t  got = status_valid(p, n);

		free(p);
		if (got != c->want) {
			print_error("status_valid(\"%s\") = %zu, want %zu\n",
				    c->in, got, c->want);
			bad++;
		}
	}
	assert_int_equal(bad, 0);
}

static void
valid__rejects_the_tail_of_an_ip_address_when_called_there(void **state)
{
	static const char ip[] = "192.168.5.1";

	(void) state;
	/* "5.1" at the end: too short to be a code at all */
	assert_int_equal(status_valid(ip + 8, 3), 0);
	assert_int_equal(status_valid("4.5.1.2", 7), 0);
	assert_int_equal(status_valid("2.10.5.255", 10), 0);
}

static void
valid__respects_the_length_given(void **state)
{
	(void) state;
	/* "5.1.12" cut to 5 bytes is "5.1.1", valid */
	assert_int_equal(status_valid("5.1.12", 5), 5);
	/* "5.1.1.1" cut before the second dot is valid */
	assert_int_equal(status_valid("5.1.1.1", 5), 5);
	/* cut just after the dot: no digit follows within the range */
	assert_int_equal(status_valid("5.1.1.1", 6), 5);
	assert_int_equal(status_valid("5.1.1", 4), 0);
	assert_int_equal(status_valid("5.1.1", 0), 0);
}

struct find_case {
	const char *in;
	int     found;
	const char *want;
};

static const struct find_case find_cases[] = {
	{"smtp; 550 5.1.1 <a@b>: Recipient address rejected", 1, "5.1.1"},
	{"#5.1.1 X.400; 550 Unknown recipient", 1, "5.1.1"},
	{"X-Postfix; host mx.b.example said: 552 5.2.2 Over quota", 1, "5.2.2"},
	{"smtp; 554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked",
	 1, "5.7.1"},
	{"smtp; 550 5.0.0 <a@b>... 5.1.1 User unknown", 1, "5.1.1"},
	{"smtp; 550 5.1.1 user unknown (5.0.0)", 1, "5.1.1"},
	{"smtp; 550 5.0.0 generic failure", 1, "5.0.0"},
	{"4.4.7 Delivery time expired", 1, "4.4.7"},
	{"(5.7.509) Access denied", 1, "5.7.509"},
	{"status=5.1.1", 0, NULL},		/* key=value: inside a token */
	{"host 10.5.1.1 refused", 0, NULL},
	{"connect to 192.168.5.1[192.168.5.1]:25: refused", 0, NULL},
	{"connect to 5.1.1.1 port 25", 0, NULL},
	{"Postfix 2.5.1-3 says hello", 0, NULL},	/* version */
	{"version 5.2.1b", 0, NULL},
	{"v5.2.1 of the software", 0, NULL},
	{"date 2023-5.1.1", 0, NULL},
	{"queue id ABC5.1.1", 0, NULL},
	{"2.5.10/20 build", 0, NULL},
	{"5.1.1@example.com", 0, NULL},
	{"no code at all", 0, NULL},
	{"", 0, NULL},
	{"5.1", 0, NULL},
	{"5.1.1", 1, "5.1.1"},
	{"4.2.2 at the start", 1, "4.2.2"},
	{"at the end 4.2.2", 1, "4.2.2"},
	{"ip 1.2.3.4 then code 5.4.4", 1, "5.4.4"},
};

static void
find__returns_the_standalone_code_of_diagnostic_texts(void **state)
{
	size_t  i, bad = 0;
	char    out[STATUS_MAX];

	(void) state;
	for (i = 0; i < NELEM(find_cases); i++) {
		const struct find_case *c = find_cases + i;
		size_t  n = strlen(c->in);
		char   *p = test_exact(c->in, n);
		int     got;

		memset(out, 'Z', sizeof(out));
		got = status_find(p, n, out);
		free(p);
		if (got != c->found) {
			print_error("status_find(\"%s\") = %d, want %d\n",
				    c->in, got, c->found);
			bad++;
		} else if (c->found && strcmp(out, c->want) != 0) {
			print_error("status_find(\"%s\") gave \"%s\", want "
				    "\"%s\"\n", c->in, out, c->want);
			bad++;
		}
	}
	assert_int_equal(bad, 0);
}

/*
 * Multi-line SMTP replies (Gmail and others) join the reply code and
 * the enhanced code with '-': "550-5.1.1".  The code stands alone there.
 */
static void
find__takes_the_code_after_a_multiline_reply_dash(void **state)
{
	static const char s[] = "smtp; 550-5.1.1 The email account does not exist";
	static const char t[] = "452-4.2.2 The email account is over quota";
	char    out[STATUS_MAX] = "";

	(void) state;
	assert_int_equal(status_find(s, sizeof(s) - 1, out), 1);
	assert_string_equal(out, "5.1.1");
	assert_int_equal(status_find(t, sizeof(t) - 1, out), 1);
	assert_string_equal(out, "4.2.2");
}

static void
find__prefers_a_specific_code_over_x_0_0_wherever_it_is(void **state)
{
	static const char s[] = "5.0.0 first, then 4.0.0, then 5.2.1, then 5.3.0";
	char    out[STATUS_MAX];

	(void) state;
	assert_int_equal(status_find(s, sizeof(s) - 1, out), 1);
	assert_string_equal(out, "5.2.1");
}

static void
find__returns_the_first_generic_code_when_only_generic_ones_occur(void **state)
{
	static const char s[] = "4.0.0 then 5.0.0";
	char    out[STATUS_MAX];

	(void) state;
	assert_int_equal(status_find(s, sizeof(s) - 1, out), 1);
	assert_string_equal(out, "4.0.0");
}

static void
find__longest_code_fits_out(void **state)
{
	static const char s[] = "smtp; 550 5.123.123 odd";
	char    out[STATUS_MAX];

	(void) state;
	assert_int_equal(status_find(s, sizeof(s) - 1, out), 1);
	assert_string_equal(out, "5.123.123");
}

static void
find__stops_at_the_length_given(void **state)
{
	static const char s[] = "smtp; 550 5.1.1 user";
	char    out[STATUS_MAX];
	char   *p = test_exact(s, 12);		/* "smtp; 550 5." */

	(void) state;
	assert_int_equal(status_find(p, 12, out), 0);
	free(p);
}

static void
find__survives_binary_and_nul_bytes(void **state)
{
	static const char s[] = "\0\xff\x80 5.1.1\0 4.\0.0 \xc3";
	char    out[STATUS_MAX];

	(void) state;
	assert_int_equal(status_find(s, sizeof(s) - 1, out), 1);
	assert_string_equal(out, "5.1.1");
}

struct reply_case {
	const char *in;
	int     found;
	const char *want;
};

static const struct reply_case reply_cases[] = {
	{"smtp; 550-5.1.1 The email account does not exist", 1, "550"},
	{"smtp; 550 5.1.1 <a@b>: Recipient address rejected", 1, "550"},
	{"smtp; 452 4.2.2 Over quota", 1, "452"},
	{"host said: 554 Service unavailable", 1, "554"},
	{"421", 1, "421"},
	{"550\r\n", 1, "550"},
	{"(250)", 1, "250"},
	{"connect to host port 25500: refused", 0, NULL},
	{"queue ID 550abc rejected", 0, NULL},
	{"ID 550abc", 0, NULL},
	{"port 25", 0, NULL},
	{"5500 users", 0, NULL},
	{"version 2.550 here", 0, NULL},
	{"#550 ", 0, NULL},
	{"status=550 ", 0, NULL},
	{"560 is no reply", 0, NULL},		/* second digit 6 */
	{"650 is no reply", 0, NULL},
	{"150 is no reply", 0, NULL},
	{"smtp;522 5.2.0 Over quota", 0, NULL},	/* not an SMTP reply */
	{"smtp; 542 a@b Rejected", 0, NULL},
	{"599 is no reply", 0, NULL},
	{"smtp; 556 5.1.10 null MX", 1, "556"},
	{"535 5.7.8 bad credentials", 1, "535"},
	{"5.1.1 only an enhanced code", 0, NULL},
	{"", 0, NULL},
	{"55", 0, NULL},
	{"ip 192.0.2.1 then 451 later", 1, "451"},
};

static void
reply__finds_a_standalone_smtp_reply_code_only(void **state)
{
	size_t  i, bad = 0;
	char    out[4];

	(void) state;
	for (i = 0; i < NELEM(reply_cases); i++) {
		const struct reply_case *c = reply_cases + i;
		size_t  n = strlen(c->in);
		char   *p = test_exact(c->in, n);
		int     got;

		memset(out, 'Z', sizeof(out));
		got = reply_find(p, n, out);
		free(p);
		if (got != c->found) {
			print_error("reply_find(\"%s\") = %d, want %d\n", c->in,
				    got, c->found);
			bad++;
		} else if (c->found && strcmp(out, c->want) != 0) {
			print_error("reply_find(\"%s\") gave \"%s\", want "
				    "\"%s\"\n", c->in, out, c->want);
			bad++;
		}
	}
	assert_int_equal(bad, 0);
}

static void
reply__does_not_read_past_the_length(void **state)
{
	char    out[4];
	char   *p = test_exact("550", 2);

	(void) state;
	assert_int_equal(reply_find(p, 2, out), 0);
	free(p);
}

static void
generic__is_true_for_x_0_0_and_empty_only(void **state)
{
	(void) state;
	assert_true(status_is_generic(""));
	assert_true(status_is_generic("5.0.0"));
	assert_true(status_is_generic("4.0.0"));
	assert_true(status_is_generic("2.0.0"));
	assert_false(status_is_generic("5.1.1"));
	assert_false(status_is_generic("5.0.1"));
	assert_false(status_is_generic("5.1.0"));
	assert_false(status_is_generic("5.0.00"));
	assert_false(status_is_generic("5.10.0"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(valid__accepts_rfc3463_codes_and_rejects_everything_else),
		cmocka_unit_test(valid__rejects_the_tail_of_an_ip_address_when_called_there),
		cmocka_unit_test(valid__respects_the_length_given),
		cmocka_unit_test(find__returns_the_standalone_code_of_diagnostic_texts),
		cmocka_unit_test(find__takes_the_code_after_a_multiline_reply_dash),
		cmocka_unit_test(find__prefers_a_specific_code_over_x_0_0_wherever_it_is),
		cmocka_unit_test(find__returns_the_first_generic_code_when_only_generic_ones_occur),
		cmocka_unit_test(find__longest_code_fits_out),
		cmocka_unit_test(find__stops_at_the_length_given),
		cmocka_unit_test(find__survives_binary_and_nul_bytes),
		cmocka_unit_test(reply__finds_a_standalone_smtp_reply_code_only),
		cmocka_unit_test(reply__does_not_read_past_the_length),
		cmocka_unit_test(generic__is_true_for_x_0_0_and_empty_only),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
