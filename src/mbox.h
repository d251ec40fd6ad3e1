/*
 * NAME
 *	mbox - the messages of an mbox file
 * SYNOPSIS
 *	#include "mbox.h"
 *	int    mbox_from_line(const char *p, size_t n);
 *	int    mbox_next(const char *p, size_t n, mbox_iter *it,
 *	                 const char **msg, size_t *len);
 * DESCRIPTION
 *	dsnmilter -j reads files, and a file saved from a mailbox may hold
 *	several messages, each starting with an mbox "From " envelope line
 *	("From sender Thu Jul  2 12:05:05 2020").
 *
 *	mbox_from_line() tells whether the line p[0..n) (without its
 *	terminator) is such an envelope line: "From ", a sender without
 *	white space, then a ctime(3) date whose weekday, month, day and
 *	hh:mm are checked, so that a body line that merely starts with
 *	"From " does not split a message.
 *
 *	mbox_next() returns in *msg and *len the next message of p[0..n)
 *	after the ones it returned before (it starts zeroed).  Input that does not start with an
 *	envelope line is one message; otherwise every envelope line starts
 *	a new one (the envelope line belongs to its message; the parser
 *	skips it, as it is no header field).  At most MBOX_MAX messages are
 *	split off; the rest of the input is the last one.  Returns 1, or 0
 *	when the input is used up (empty input is one empty message).
 */
#ifndef DSN_MBOX_H
#define DSN_MBOX_H

#include <stddef.h>

#define MBOX_MAX	10000

typedef struct mbox_iter {
	size_t  pos;			/* where the next message starts */
	size_t  count;			/* messages returned so far */
	int     split;			/* the input is an mbox */
} mbox_iter;

int     mbox_from_line(const char *p, size_t n);
int     mbox_next(const char *p, size_t n, mbox_iter *it,
		  const char **msg, size_t *len);

#endif
