/*
 * NAME
 *	bounce - find and understand the delivery report in a message
 * SYNOPSIS
 *	#include "bounce.h"
 *	int    bounce_analyze(const char *msg, size_t len,
 *	                      const bounce_limits *lim, const classifier *c,
 *	                      dsn_report *r, mime_part **tree);
 * DESCRIPTION
 *	bounce_analyze() parses the MIME structure of msg[0..len), finds
 *	the delivery-status part (RFC 3464, RFC 6533) anywhere outside
 *	enclosed messages, or else a feedback report (RFC 5965), or else
 *	reads a plain-text bounce (plain.c); completes every recipient
 *	(status and reply code from the diagnostic when the report lacks
 *	them) and classifies it.  r must be initialised; it receives the
 *	result.  *tree receives the MIME tree (the caller frees it with
 *	mime_free()), so the caller can compose a new body without parsing
 *	again; tree may be NULL.  Returns 0, or -1 for lack of memory.
 *	Malformed input is never an error: it yields kind "none" or fewer
 *	recipients.
 */
#ifndef DSN_BOUNCE_H
#define DSN_BOUNCE_H

#include <stddef.h>

#include "classify.h"
#include "dsn.h"
#include "mime.h"

typedef struct bounce_limits {
	mime_limits mime;
	size_t  max_rcpt;		/* recipients kept in the report */
} bounce_limits;

#define BOUNCE_LIMITS_DEFAULT { MIME_LIMITS_DEFAULT, 1000 }

int     bounce_analyze(const char *msg, size_t len, const bounce_limits *lim,
		       const classifier *c, dsn_report *r, mime_part **tree);

#endif
