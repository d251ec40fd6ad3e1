/*
 * NAME
 *	netmatch - lists of IPv4/IPv6 networks, and address matching
 * SYNOPSIS
 *	#include "netmatch.h"
 *	void   netlist_init(netlist *l);
 *	int    netlist_add(netlist *l, const char *spec);
 *	int    netlist_match(const netlist *l, const char *addr);
 *	int    netlist_match_sa(const netlist *l, const struct sockaddr *sa);
 *	void   netlist_free(netlist *l);
 * DESCRIPTION
 *	netlist_add() parses "ADDR" or "ADDR/BITS" (IPv4 dotted quad, IPv6
 *	in any inet_pton form, optionally in [brackets]) and appends it; it
 *	returns 0, or -1 for a malformed spec, a prefix length out of range,
 *	or host bits set beyond the prefix (like Postfix's mynetworks check),
 *	or for lack of memory.
 *	netlist_match() tells whether a textual address lies in the list, or
 *	is loopback (127.0.0.0/8, ::1, and their IPv4-mapped forms), which
 *	is always trusted.  An IPv4-mapped IPv6 address (::ffff:a.b.c.d)
 *	matches IPv4 entries.  Unparsable text never matches.
 *	netlist_match_sa() does the same for a socket address; a NULL sa or
 *	a family other than AF_INET/AF_INET6 (local submission, as Sendmail
 *	reports it) counts as local, hence trusted.
 */
#ifndef DSN_NETMATCH_H
#define DSN_NETMATCH_H

#include <stddef.h>
#include <sys/socket.h>

typedef struct net_entry {
	int     family;			/* AF_INET or AF_INET6 */
	unsigned char addr[16];
	unsigned bits;
} net_entry;

typedef struct netlist {
	net_entry *v;
	size_t  n;
} netlist;

void    netlist_init(netlist *l);
int     netlist_add(netlist *l, const char *spec);
int     netlist_match(const netlist *l, const char *addr);
int     netlist_match_sa(const netlist *l, const struct sockaddr *sa);
void    netlist_free(netlist *l);

#endif
