/*
 * NAME
 *	ses - Amazon SES bounce notifications (JSON sent by e-mail)
 * SYNOPSIS
 *	#include "ses.h"
 *	int    ses_parse(const char *p, size_t n, dsn_report *r,
 *	                 size_t max_rcpt);
 * DESCRIPTION
 *	ses_parse() reads the fields of a delivery report from the JSON
 *	form of an Amazon SES notification, the object that p[0..n)
 *	starts with (white space first is fine, text after it is
 *	ignored): a "Bounce" gives bouncedRecipients (emailAddress,
 *	action, status, diagnosticCode; action "failed" when absent), a
 *	"Delivery" its recipients, action "delivered" and smtpResponse
 *	as the diagnostic; reportingMTA without its "dsn;"; r->kind
 *	becomes DSN_KIND_PLAIN.  A "Complaint" gives
 *	complainedRecipients with reason "feedback", owner "none", the
 *	complaintFeedbackType (default "abuse") and DSN_KIND_ARF.  It
 *	returns the number of recipients seen, 0 when p is no such
 *	notification (malformed JSON included), -1 for lack of memory.
 */
#ifndef DSN_SES_H
#define DSN_SES_H

#include <stddef.h>

#include "dsn.h"

int     ses_parse(const char *p, size_t n, dsn_report *r, size_t max_rcpt);

#endif
