/*
 * NAME
 *	arf - abuse and opt-out feedback reports
 * SYNOPSIS
 *	#include "arf.h"
 *	int    arf_parse(const char *msg, size_t len, const mime_part *root,
 *	                 size_t max_rcpt, dsn_report *r);
 * DESCRIPTION
 *	arf_parse() recognises a feedback report in msg[0..len) (MIME tree
 *	root) and fills r: kind DSN_KIND_ARF, feedback_type (lowercased,
 *	e.g. "abuse", "opt-out") and one recipient per original recipient,
 *	with reason "feedback" and owner "none".  It knows:
 *	- RFC 5965 reports: a message/feedback-report part; the recipients
 *	  are its Original-Rcpt-To fields, else its Removal-Recipient
 *	  fields, else (when no Original-Rcpt-To is there, not even a
 *	  redacted one) the returned message's X-HmXmrOriginalRecipient
 *	  (Microsoft JMRP), else its To;
 *	- Microsoft JMRP complaints: a returned message carrying
 *	  X-HmXmrOriginalRecipient (feedback type "abuse");
 *	- Apple Mail unsubscribe requests (X-Apple-Unsubscribe: true;
 *	  feedback type "opt-out", the recipient is the sender).
 *	Returns 1 for a feedback report, 0 for anything else (r untouched),
 *	-1 for lack of memory.
 */
#ifndef DSN_ARF_H
#define DSN_ARF_H

#include <stddef.h>

#include "dsn.h"
#include "mime.h"

int     arf_parse(const char *msg, size_t len, const mime_part *root,
		  size_t max_rcpt, dsn_report *r);

#endif
