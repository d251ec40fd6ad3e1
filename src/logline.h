/*
 * NAME
 *	logline - the one syslog line per bounce
 * SYNOPSIS
 *	#include "logline.h"
 *	int    logline_format(buf *out, const char *queue_id,
 *	                      const dsn_report *r, const char *action,
 *	                      const char *why);
 *	void   logline_printable(char *s);
 * DESCRIPTION
 *	logline_format() appends, Postfix style with the queue ID first
 *	("NOQUEUE" when queue_id is NULL or empty):
 *	  QUEUEID: bounce status=5.1.1 reason=userunknown owner=sender
 *	    rcpt=<a@b> action=annotated
 *	or "action=skipped why=..." / "action=error why=..." (why is one
 *	word, e.g. not-a-bounce); " nrcpt=N" ends the line when the bounce
 *	names more than one recipient.  The values are those of the most
 *	significant recipient (dsn_significant()); missing ones are empty.
 *	Every byte outside printable ASCII becomes '?', and each value is
 *	capped, so the line is safe for syslog.
 *	logline_printable() does that replacement in place.
 */
#ifndef DSN_LOGLINE_H
#define DSN_LOGLINE_H

#include "buf.h"
#include "dsn.h"

int     logline_format(buf *out, const char *queue_id, const dsn_report *r,
		       const char *action, const char *why);
void    logline_printable(char *s);

#endif
