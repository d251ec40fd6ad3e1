/*
 * NAME
 *	netmatch - lists of IPv4/IPv6 networks, and address matching
 * SYNOPSIS
 *	See netmatch.h.
 * DESCRIPTION
 *	Every address, textual or binary, is turned into two forms before it
 *	is compared: its IPv4 form (for an IPv4 address or an IPv4-mapped
 *	IPv6 address) and its IPv6 form (an IPv4 address as ::ffff:a.b.c.d).
 *	IPv4 entries are compared with the IPv4 form, IPv6 entries with the
 *	IPv6 form, so "10.0.0.0/8" matches "::ffff:10.1.2.3" and
 *	"::ffff:10.0.0.0/104" matches "10.1.2.3".
 *
 *	Loopback (127.0.0.0/8 and ::1) is checked before the list and is
 *	always trusted: Postfix's own bounces arrive from there.
 *
 *	netlist_match() also takes an address in [brackets] and the SMTP
 *	literal form [IPv6:...]; a zone suffix (%eth0) or any other text
 *	inet_pton() refuses never matches.
 * DIAGNOSTICS
 *	netlist_add() returns -1 for a malformed spec or lack of memory; it
 *	does not say which (the caller names the bad entry).
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "netmatch.h"

/* Longest address text inet_pton() can accept, plus the NUL. */
#define NET_TEXT_MAX	INET6_ADDRSTRLEN

/* An address in both of its forms; has4 tells whether the IPv4 one exists. */
typedef struct net_addr {
	int     has4;
	unsigned char v4[4];
	unsigned char v6[16];
} net_addr;

static const unsigned char v4mapped_prefix[12] = {
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff
};

static const net_entry loopback[] = {
	{AF_INET, {127}, 8},
	{AF_INET6, {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}, 128},
};

void
netlist_init(netlist *l)
{
	l->v = NULL;
	l->n = 0;
}

void
netlist_free(netlist *l)
{
	free(l->v);
	netlist_init(l);
}

/* net_addr_from4 - both forms of an IPv4 address */
static void
net_addr_from4(net_addr *a, const unsigned char v4[4])
{
	a->has4 = 1;
	memcpy(a->v4, v4, 4);
	memcpy(a->v6, v4mapped_prefix, 12);
	memcpy(a->v6 + 12, v4, 4);
}

/* net_addr_from6 - both forms of an IPv6 address (IPv4 only when mapped) */
static void
net_addr_from6(net_addr *a, const unsigned char v6[16])
{
	memcpy(a->v6, v6, 16);
	a->has4 = memcmp(v6, v4mapped_prefix, 12) == 0;
	if (a->has4)
		memcpy(a->v4, v6 + 12, 4);
}

/* net_text_copy - copy p[0..n) into out (NET_TEXT_MAX bytes); -1 if too long */
static int
net_text_copy(char *out, const char *p, size_t n)
{
	if (n == 0 || n >= NET_TEXT_MAX)
		return (-1);
	memcpy(out, p, n);
	out[n] = 0;
	return (0);
}

/*
 * net_parse_addr - parse p[0..n), optionally in [brackets], into family and
 * 16 bytes (IPv4 in the first 4).  Returns 0 or -1.
 */
static int
net_parse_addr(const char *p, size_t n, int *family, unsigned char *out)
{
	char    text[NET_TEXT_MAX];

	if (n >= 2 && p[0] == '[' && p[n - 1] == ']') {
		p++;
		n -= 2;
	}
	if (net_text_copy(text, p, n) < 0)
		return (-1);
	memset(out, 0, 16);
	*family = memchr(text, ':', n) ? AF_INET6 : AF_INET;
	return (inet_pton(*family, text, out) == 1 ? 0 : -1);
}

/* net_parse_bits - parse a decimal prefix length of at most max; -1 if bad */
static int
net_parse_bits(const char *p, size_t n, unsigned max)
{
	unsigned bits = 0;
	size_t  i;

	if (n == 0 || n > 3)
		return (-1);
	for (i = 0; i < n; i++) {
		if (p[i] < '0' || p[i] > '9')
			return (-1);
		bits = bits * 10 + (unsigned) (p[i] - '0');
	}
	return (bits > max ? -1 : (int) bits);
}

/* net_prefix_eq - whether a and b agree in their first bits bits */
static int
net_prefix_eq(const unsigned char *a, const unsigned char *b, unsigned bits)
{
	unsigned full = bits / 8, rest = bits % 8;
	unsigned char mask;

	if (memcmp(a, b, full) != 0)
		return (0);
	if (rest == 0)
		return (1);
	mask = (unsigned char) (0xff << (8 - rest));
	return ((a[full] & mask) == (b[full] & mask));
}

/* net_host_bits_clear - whether no bit beyond the prefix is set */
static int
net_host_bits_clear(const unsigned char *addr, size_t len, unsigned bits)
{
	static const unsigned char zero[16];
	unsigned char tail[16];

	memcpy(tail, addr, len);
	/* Compare against zero on the host part only: clear the prefix. */
	memset(tail, 0, bits / 8);
	if (bits % 8)
		tail[bits / 8] &= (unsigned char) (0xff >> (bits % 8));
	return (memcmp(tail, zero, len) == 0);
}

/* net_entry_parse - parse "ADDR" or "ADDR/BITS" into e; 0 or -1 */
static int
net_entry_parse(net_entry *e, const char *spec)
{
	size_t  n = strlen(spec);
	const char *slash = memchr(spec, '/', n);
	size_t  alen = slash ? (size_t) (slash - spec) : n;
	unsigned max;
	int     bits;

	memset(e, 0, sizeof(*e));
	if (net_parse_addr(spec, alen, &e->family, e->addr) < 0)
		return (-1);
	max = e->family == AF_INET ? 32 : 128;
	if (slash == NULL)
		bits = (int) max;
	else if ((bits = net_parse_bits(slash + 1, n - alen - 1, max)) < 0)
		return (-1);
	e->bits = (unsigned) bits;
	if (!net_host_bits_clear(e->addr, max / 8, e->bits))
		return (-1);
	return (0);
}

int
netlist_add(netlist *l, const char *spec)
{
	net_entry e;
	net_entry *v;

	if (spec == NULL || net_entry_parse(&e, spec) < 0)
		return (-1);
	if (l->n >= SIZE_MAX / sizeof(*l->v) - 1)
		return (-1);
	if ((v = realloc(l->v, (l->n + 1) * sizeof(*l->v))) == NULL)
		return (-1);
	v[l->n++] = e;
	l->v = v;
	return (0);
}

/* net_entry_match - whether address a lies in network e */
static int
net_entry_match(const net_entry *e, const net_addr *a)
{
	if (e->family == AF_INET)
		return (a->has4 && net_prefix_eq(e->addr, a->v4, e->bits));
	return (net_prefix_eq(e->addr, a->v6, e->bits));
}

/* net_match_addr - loopback, or in the list */
static int
net_match_addr(const netlist *l, const net_addr *a)
{
	size_t  i;

	for (i = 0; i < sizeof(loopback) / sizeof(loopback[0]); i++)
		if (net_entry_match(loopback + i, a))
			return (1);
	for (i = 0; l != NULL && i < l->n; i++)
		if (net_entry_match(l->v + i, a))
			return (1);
	return (0);
}

int
netlist_match(const netlist *l, const char *addr)
{
	unsigned char raw[16];
	net_addr a;
	int     family, literal6 = 0;
	size_t  n;

	if (addr == NULL)
		return (0);
	n = strlen(addr);
	/* SMTP address literal form: [IPv6:2001:db8::1] */
	if (n > 7 && addr[0] == '[' && addr[n - 1] == ']'
	    && strncasecmp(addr + 1, "IPv6:", 5) == 0) {
		addr += 6;
		n -= 7;
		literal6 = 1;
	}
	if (net_parse_addr(addr, n, &family, raw) < 0)
		return (0);
	if (family == AF_INET && literal6)
		return (0);
	if (family == AF_INET)
		net_addr_from4(&a, raw);
	else
		net_addr_from6(&a, raw);
	return (net_match_addr(l, &a));
}

int
netlist_match_sa(const netlist *l, const struct sockaddr *sa)
{
	net_addr a;

	if (sa == NULL)
		return (1);
	if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *in = (const struct sockaddr_in *) sa;

		net_addr_from4(&a, (const unsigned char *) &in->sin_addr);
	} else if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *) sa;

		net_addr_from6(&a, in6->sin6_addr.s6_addr);
	} else {
		return (1);
	}
	return (net_match_addr(l, &a));
}
