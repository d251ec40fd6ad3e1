/*
 * NAME
 *	plain - bounces without a delivery-status part
 * SYNOPSIS
 *	#include "plain.h"
 *	int    plain_kind(const char *msg, size_t len, const mime_part *root);
 *	int    plain_notice(const char *msg, size_t len, const mime_part *root,
 *	                    size_t max_rcpt, dsn_report *r, unsigned **cmds);
 *	int    plain_supplement(const char *msg, size_t len,
 *	                        const mime_part *root, size_t max_rcpt,
 *	                        dsn_report *r, unsigned **cmds);
 *	int    plain_text(const char *msg, size_t len, const mime_part *root,
 *	                  buf *out);
 * DESCRIPTION
 *	Bounces from qmail, older Exim and Sendmail, Lotus Notes, Exchange
 *	2003, web-mail providers and others explain the failure in prose.
 *	plain_kind() decides from the headers and the notice text what the
 *	message msg[0..len) (MIME tree root) is: PLAIN_BOUNCE (From is a
 *	mailer daemon or postmaster, or the Subject or the text says a
 *	delivery failed), PLAIN_AUTOREPLY (an RFC 3834 auto-reply: out of
 *	office, vacation), PLAIN_FORWARD (a person forwards a message,
 *	maybe a bounce: From is no mailer daemon, the Subject starts with
 *	"Fwd:", "WG:", "TR:", ...; or a mailing list's own notice, with
 *	X-List-Administrivia, that encloses a bounce for the list owner) or
 *	PLAIN_OTHER (also a challenge-response system's request to confirm,
 *	"Please confirm your message to ...", though it is an auto-reply).
 *
 *	plain_notice() reads the human-readable notice: the first text/plain
 *	part outside enclosed messages (else text/html without tags, else the
 *	body), decoded, up to the line that introduces the returned message.
 *	Line ends may be LF, CR LF or CR.  It appends one recipient to r per
 *	failed address, in order of appearance: lines that start with an
 *	address ("<a@b>:", "  a@b", "* a@b", "550 <a@b>... text"), else
 *	addresses the text names outside sender and contact phrases, else
 *	the X-Failed-Recipients header, else the To of the returned message.
 *	An X-Failed-Recipients header, when present, gives the list and its
 *	order.  Each recipient gets action "failed" ("delayed" for a delay
 *	warning) and as diagnostic the text that follows its address (the
 *	lines before the first address too when they hold the only code);
 *	status and reply code are left to the caller.  A delivery-status
 *	block written into the text ("Final-Recipient: ...") is parsed as
 *	such.  *cmds receives a malloc'ed array, one PAT_CMD_* value per
 *	recipient added (the SMTP command the text says was rejected), or
 *	NULL when none was added.  Returns the number of recipients added,
 *	or -1 for lack of memory.
 *
 *	plain_supplement() is plain_notice() for the human-readable part of
 *	a DSN, read for what it says of each recipient: the same recipients,
 *	diagnostics and commands, but the prose recipients get no action
 *	(whether the notice warns of a delay is not looked for); those of a
 *	delivery-status block written into the text keep theirs.
 *
 *	plain_text() appends the notice up to the returned message to out,
 *	runs of white space as one space, at most 2000 bytes.  Returns 0, or
 *	-1 for lack of memory.
 */
#ifndef DSN_PLAIN_H
#define DSN_PLAIN_H

#include <stddef.h>

#include "buf.h"
#include "dsn.h"
#include "mime.h"

#define PLAIN_OTHER	0
#define PLAIN_BOUNCE	1
#define PLAIN_AUTOREPLY	2
#define PLAIN_FORWARD	3

int     plain_kind(const char *msg, size_t len, const mime_part *root);
int     plain_notice(const char *msg, size_t len, const mime_part *root,
		     size_t max_rcpt, dsn_report *r, unsigned **cmds);
int     plain_supplement(const char *msg, size_t len, const mime_part *root,
			 size_t max_rcpt, dsn_report *r, unsigned **cmds);
int     plain_text(const char *msg, size_t len, const mime_part *root,
		   buf *out);

#endif
