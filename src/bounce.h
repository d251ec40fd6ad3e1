/*
 * NAME
 *	bounce - find and understand the delivery report in a message
 * SYNOPSIS
 *	#include "bounce.h"
 *	int    bounce_analyze(const char *msg, size_t len,
 *	                      const bounce_limits *lim, const classifier *c,
 *	                      dsn_report *r, mime_part **tree);
 *	int    bounce_analyze_mbox(const char *p, size_t n,
 *	                      const bounce_limits *lim, const classifier *c,
 *	                      dsn_report *r);
 * DESCRIPTION
 *	bounce_analyze() parses the MIME structure of msg[0..len), finds
 *	the delivery-status part (RFC 3464, RFC 6533) anywhere outside
 *	enclosed messages (also inside a forwarded message/rfc822, or as a
 *	raw block in broken MIME), or else a feedback report (arf.c: kind
 *	arf, reason feedback), or else an Amazon SES notification (the JSON
 *	that the text/plain body starts with, dsn_parse_ses(): kind plain,
 *	a complaint kind arf),
 *	or else reads a plain-text bounce (plain.c:
 *	kind plain; a delivery-status part without recipients is read the
 *	same way).  An RFC 3834 auto-reply stays kind "none" with one
 *	recipient, its sender, reason "vacation": never annotated.  For a
 *	DSN, the human-readable part adds per recipient the SMTP command
 *	the remote server refused and, when the report has none, the
 *	diagnostic.  Every recipient is completed (status and reply code
 *	from the diagnostic when the report lacks them) and classified
 *	(classify.c); one without any status gets the pseudo code of its
 *	reason (or its rule's status=).  r must be initialised; it receives
 *	the result.  *tree receives the MIME tree (the caller frees it with
 *	mime_free()), so the caller can compose a new body without parsing
 *	again; tree may be NULL.  Returns 0, or -1 for lack of memory.
 *	Malformed input is never an error: it yields kind "none" or fewer
 *	recipients.
 *
 *	bounce_analyze_mbox() reads p[0..n) as an mbox file (mbox.h; input
 *	without an envelope line is one message) and gives the report of the
 *	first bounce in it with the recipients of every later bounce
 *	appended (up to max_rcpt); when no message is a bounce, the first
 *	message's report.  This is what dsnmilter -j reports per file.
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
int     bounce_analyze_mbox(const char *p, size_t n,
			    const bounce_limits *lim, const classifier *c,
			    dsn_report *r);

#endif
