/*
 * NAME
 *	origmsg - details and hops of the message returned in a bounce
 * SYNOPSIS
 *	#include "origmsg.h"
 *	int    origmsg_extract(const char *msg, size_t len,
 *	                       const mime_part *root, size_t max_hops,
 *	                       orig_msg *out);
 *	void   origmsg_free(orig_msg *m);
 *	int    origmsg_received(const char *value, size_t n, orig_hop *hop);
 * DESCRIPTION
 *	origmsg_extract() finds the returned message in the bounce msg[0..len)
 *	whose MIME tree is root: the first message/rfc822 or message/global
 *	part in document order (its enclosed message's header block), else
 *	the first text/rfc822-headers part (also the misspelt
 *	text/rfc822-header and RFC 6533 message/global-headers), whose body
 *	is a header block; else, for notices that quote the returned
 *	message in their text (qmail, Exim, old Sendmail, Exchange's
 *	"Original message headers"), the first run of at least three header
 *	lines, starting at the beginning of a line, with at least two of
 *	Received, From, To, Subject, Date, Message-ID, Return-Path among them,
 *	in the first text/plain part.  Enclosed messages are not searched.  A body in
 *	base64 or quoted-printable is decoded first (mime_decode), and empty
 *	lines before the header block are skipped (some MTAs add one).
 *	It fills out:
 *	- subject, from, to: the first such field, RFC 2047 decoded
 *	  (rfc2047_decode);
 *	- date, message_id: the first such field, cleaned (utf8_sanitize);
 *	- hops: one per Received field, oldest first (Received fields are
 *	  prepended, so the last one in the header is hop 1).  When there
 *	  are more than max_hops, the max_hops OLDEST are kept (the path
 *	  from the sender's side, where delays are usually introduced), and
 *	  the newer ones are left out.
 *	Only the first 16 KiB of a field value are looked at.
 *	Absent fields are NULL; when the bounce holds no returned message,
 *	every field is NULL, nhops 0 and 0 is returned.  Every string is
 *	valid UTF-8 without control characters, at most ORIG_FIELD_MAX
 *	bytes; a longer value is cut at a character boundary and ends in
 *	"...".
 *
 *	origmsg_received() parses one Received field value (unfolded or
 *	not) into hop: from is the word after "from", followed by the
 *	address in brackets ("[192.0.2.1]") that a comment after it holds
 *	(Postfix, Sendmail, Exim style), that follows it outside a comment,
 *	or that a comment holding only an IP address gives (qmail, Exchange
 *	style); by is the word after "by"; with is the words after "with" up
 *	to the next keyword or comment, at most three ("ESMTPS", "Microsoft
 *	SMTP Server"); time is the text after the last ';' outside comments
 *	and quoted strings, with epoch from date_parse().  A field without
 *	such a ';' gets as time the first date found among the words of its
 *	last 96 bytes (some MTAs leave the ';' out).  Keywords inside
 *	comments (nested ones too) are ignored.  Missing parts are NULL.
 *	hop->delay is left to the caller.
 * DIAGNOSTICS
 *	origmsg_extract() and origmsg_received() return 0, or -1 when memory
 *	runs out (out is then freed and zeroed).  origmsg_free() frees the
 *	strings and the hops and zeroes m; it accepts a zeroed orig_msg.
 */
#ifndef DSN_ORIGMSG_H
#define DSN_ORIGMSG_H

#include <stddef.h>

#include "mime.h"

#define ORIG_FIELD_MAX	998		/* bytes of any string kept */

typedef struct orig_hop {
	char   *from;			/* "mx.example [192.0.2.1]" */
	char   *by;
	char   *with;			/* "ESMTPS" */
	char   *time;			/* the date text, as written */
	long long epoch;		/* when has_epoch */
	int     has_epoch;
	long long delay;		/* seconds since the previous hop */
	int     has_delay;		/* both dates parsed; never negative */
} orig_hop;

typedef struct orig_msg {
	char   *subject;
	char   *from;
	char   *to;
	char   *date;
	char   *message_id;
	orig_hop *hops;			/* hops[0] is hop 1, the oldest */
	size_t  nhops;
} orig_msg;

int     origmsg_extract(const char *msg, size_t len, const mime_part *root,
			size_t max_hops, orig_msg *out);
void    origmsg_free(orig_msg *m);
int     origmsg_received(const char *value, size_t n, orig_hop *hop);

#endif
