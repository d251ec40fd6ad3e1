/*
 * NAME
 *	bounce - find and understand the delivery report in a message
 * DESCRIPTION
 *	See bounce.h.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "arf.h"
#include "bounce.h"
#include "mbox.h"
#include "ses.h"
#include "patterns.h"
#include "plain.h"
#include "status.h"
#include "text.h"

/* report_part - the delivery-status part of the message, or NULL */
static const mime_part *
report_part(const mime_part *root)
{
	const mime_part *p;

	int     into;

	/* A forwarded bounce carries its report inside message/rfc822. */
	for (into = 0; into <= 1; into++) {
		if ((p = mime_find(root, "message/delivery-status", into)) != NULL
		    || (p = mime_find(root, "message/global-delivery-status",
				      into)) != NULL)
			return (p);
	}
	return (NULL);
}

/*
 * is_report - whether the message itself is a report (a feedback report
 * of Yahoo is "Fw: <subject>", but no person wrote it)
 */
static int
is_report(const mime_part *root)
{
	return (root->ctype != NULL
		&& strcmp(root->ctype, "multipart/report") == 0);
}

/* parse_report - read the delivery-status part into r */
static int
parse_report(const char *msg, const mime_part *p, const bounce_limits *lim,
	     dsn_report *r)
{
	buf     body;
	int     ret;

	buf_init(&body);
	if (mime_decode(p, msg, &body) < 0) {
		buf_free(&body);
		return (-1);
	}
	ret = dsn_parse_fields(body.data ? body.data : "", body.len, r,
			       lim->max_rcpt);
	buf_free(&body);
	return (ret);
}

/*
 * status_line - the start of the first line at or after the line start
 * from that holds "delivery-status" (in any case), len when none: only
 * such a line can open a raw block, so the lines before it need not be
 * split.  The search goes from one '-' to the next; the byte after it is
 * tested before the words are.
 */
static size_t
status_line(const char *msg, size_t len, size_t from)
{
	const char *q;
	size_t  k;

	for (k = from; k < len && (q = memchr(msg + k, '-', len - k)) != NULL;
	     k++) {
		k = (size_t) (q - msg);
		if (k < 8 || k + 1 >= len || (q[1] | 0x20) != 's'
		    || !text_iprefix(q + 1, len - k - 1, "status")
		    || !text_iprefix(q - 8, 8, "delivery"))
			continue;
		while (k > from && msg[k - 1] != '\n' && msg[k - 1] != '\r')
			k--;
		return (k);
	}
	return (len);
}

/*
 * raw_report - the delivery-status fields of a message whose MIME
 * structure is broken (a boundary without a multipart Content-Type, or
 * one that no delimiter line uses): the block after a "Content-Type:
 * message/delivery-status" line, up to the next line that starts with
 * "--".  With part_only, the message's own "multipart/report; report-
 * type=delivery-status" does not start it (its body starts with the
 * notice); without, it does (fields written right into that body).
 * The search starts at first, the first "delivery-status" line
 * (status_line()).  Returns its length, 0 when none.
 */
static size_t
raw_block(const char *msg, size_t len, size_t first, int part_only,
	  size_t *start)
{
	size_t  pos = first, n, hdr = 0;
	const char *line;

	while (text_line(msg, len, &pos, &line, &n)) {
		if (!hdr && text_iprefix(line, n, "content-type:")
		    && (!part_only || text_isearch(line, n, "message/") != NULL)
		    && text_isearch(line, n, "delivery-status") != NULL)
			hdr = 1;
		else if (!hdr)
			pos = status_line(msg, len, pos);
		else if (hdr == 1 && n == 0) {
			hdr = 2;
			*start = pos;
		} else if (hdr == 2 && n >= 2 && line[0] == '-' && line[1] == '-')
			return ((size_t) (line - msg) - *start);
	}
	return (hdr == 2 ? len - *start : 0);
}

/*
 * raw_report - a delivery-status part's block, else the message's own;
 * both start at the first "delivery-status" line, looked for once (a
 * message without one, most that get here, is searched only once)
 */
static size_t
raw_report(const char *msg, size_t len, size_t *start)
{
	size_t  n, first = status_line(msg, len, 0);

	if (first == len)
		return (0);
	if ((n = raw_block(msg, len, first, 1, start)) > 0)
		return (n);
	return (raw_block(msg, len, first, 0, start));
}

/* set_field - replace *slot by a copy of s */
static int
set_field(char **slot, const char *s)
{
	char   *v;

	if ((v = text_dup(s, strlen(s))) == NULL)
		return (-1);
	free(*slot);
	*slot = v;
	return (0);
}

/*
 * prefer_diag - whether the code in the diagnostic beats the Status field:
 * the remote server's own code is more precise than the reporting MTA's
 * translation of its reply, as long as both agree on the class.  A
 * Status of x.4.7 (delivery time expired) is no translation but the
 * reporting MTA's own verdict after its queue lifetime ran out; the
 * diagnostic then only names the last attempt's reply, and loses.  A
 * generic code (x.0.0) in the diagnostic only fills an empty Status (a
 * plain notice's "#< #5.0.0 smtp;550 ...>"): a pseudo code by reason
 * stands in only when no code is anywhere.
 */
static int
prefer_diag(const char *status, const char *diag)
{
	if (status_is_generic(diag))
		return (status == NULL || *status == 0);
	if (status != NULL && strlen(status) > 4 && strcmp(status + 1, ".4.7") == 0)
		return (0);
	return (status == NULL || status_is_generic(status)
		|| status[0] == diag[0]);
}

/*
 * reply_failure - the first reply code of d that is not a success: a
 * "220-greeting 421 ..." diagnostic names the refusal second.  Falls
 * back to the first reply code of any kind.
 */
static int
reply_failure(const char *d, size_t n, char *reply)
{
	size_t  off = 0;
	char    first[4] = "";

	while (off < n && reply_find(d + off, n - off, reply)) {
		if (reply[0] != '2')
			return (1);
		if (first[0] == 0)
			memcpy(first, reply, 4);
		off = (size_t) (strstr(d + off, reply) - d) + 3;
	}
	if (first[0] == 0)
		return (0);
	memcpy(reply, first, 4);
	return (1);
}

/*
 * status_failure - the first enhanced code of d that is not a success,
 * as reply_failure() does for reply codes: an SMTP transcript ("Out: 250
 * 2.1.5 Ok ... Out: 451 4.3.0 Error") names the refusal after the
 * replies that went well.  Falls back to the first code of any kind.
 */
static int
status_failure(const char *d, size_t n, char *code)
{
	size_t  off = 0;
	char    first[STATUS_MAX] = "";
	const char *at;

	while (off < n && status_find(d + off, n - off, code)) {
		if (code[0] != '2')
			return (1);
		if (first[0] == 0)
			memcpy(first, code, STATUS_MAX);
		if ((at = strstr(d + off, code)) == NULL)
			break;
		off = (size_t) (at - d) + strlen(code);
	}
	if (first[0] == 0)
		return (0);
	memcpy(code, first, STATUS_MAX);
	return (1);
}

/* complete_rcpt - fill what the report left out from the diagnostic */
static int
complete_rcpt(dsn_rcpt *p)
{
	char    code[STATUS_MAX], reply[4];
	const char *d = p->diagnostic;
	size_t  n = d ? strlen(d) : 0;

	if (p->recipient == NULL && p->original_recipient != NULL
	    && set_field(&p->recipient, p->original_recipient) < 0)
		return (-1);
	if (d != NULL && status_failure(d, n, code) && prefer_diag(p->status, code)
	    && set_field(&p->status, code) < 0)
		return (-1);
	if (d != NULL && p->reply_code == NULL && reply_failure(d, n, reply)
	    && set_field(&p->reply_code, reply) < 0)
		return (-1);
	return (0);
}

/* pseudo_status - a status that stands for the reason, when none was given */
static int
pseudo_status(dsn_rcpt *p, const char *hint)
{
	char    code[STATUS_MAX];
	int     temporary = p->action && strcmp(p->action, "delayed") == 0;

	if (p->status != NULL && *p->status)
		return (0);
	if (hint != NULL && *hint)
		return (set_field(&p->status, hint));
	if (!classify_pseudo_status(p->reason, temporary, code, sizeof(code)))
		return (0);
	return (set_field(&p->status, code));
}

/* empty_diag - no diagnostic, or only its type ("smtp;") */
static int
empty_diag(const char *d)
{
	const char *semi;

	if (d == NULL)
		return (1);
	if ((semi = strchr(d, ';')) != NULL && strcspn(d, " ") >= (size_t) (semi - d))
		d = semi + 1;
	return (d[strspn(d, " \t")] == 0);
}

/*
 * notice_diag - the whole notice as the diagnostic of a report's only
 * recipient, when neither the report nor the notice names one.
 */
static int
notice_diag(const char *msg, size_t len, const mime_part *root, dsn_rcpt *p)
{
	buf     b;
	int     ret = 0;

	buf_init(&b);
	if (plain_text(msg, len, root, &b) < 0)
		ret = -1;
	else if (b.len > 0)
		ret = set_field(&p->diagnostic, b.data);
	buf_free(&b);
	return (ret);
}

/*
 * text_reply - the reply code of the notice's text for a recipient whose
 * report gives none, neither in a field nor in its diagnostic ("X-Unix;
 * 77" while the notice says "550 5.0.0 <a@b>... Insufficient permission").
 */
static int
text_reply(dsn_rcpt *p, const char *text)
{
	char    reply[4];
	const char *d = p->diagnostic;

	if (p->reply_code != NULL || text == NULL
	    || (d != NULL && reply_find(d, strlen(d), reply))
	    || !reply_failure(text, strlen(text), reply))
		return (0);
	return (set_field(&p->reply_code, reply));
}

/*
 * supplement - what the human-readable part of a DSN adds per recipient:
 * the SMTP command that was rejected, and (fill) the diagnostic and reply
 * code when the delivery-status part gives none.  cmds[i] receives the
 * command.  Without fill r is only read.
 */
static int
supplement(const char *msg, size_t len, const mime_part *root,
	   dsn_report *r, unsigned *cmds, int fill)
{
	dsn_report text;
	unsigned *tc = NULL;
	size_t  i, k;
	int     ret = -1;

	dsn_report_init(&text);
	if (plain_supplement(msg, len, root, r->nrcpt + 16, &text, &tc) < 0)
		goto out;
	for (i = 0; i < r->nrcpt; i++) {
		dsn_rcpt *p = r->rcpt + i;

		for (k = 0; k < text.nrcpt; k++)
			if (p->recipient && text.rcpt[k].recipient
			    && strcasecmp(p->recipient, text.rcpt[k].recipient) == 0)
				break;
		if (k == text.nrcpt && r->nrcpt == 1 && text.nrcpt == 1)
			k = 0;
		if (k == text.nrcpt)
			continue;
		cmds[i] = tc[k];
		if (!fill)
			continue;
		if (empty_diag(p->diagnostic) && text.rcpt[k].diagnostic
		    && set_field(&p->diagnostic, text.rcpt[k].diagnostic) < 0)
			goto out;
		if (text_reply(p, text.rcpt[k].diagnostic) < 0)
			goto out;
	}
	ret = fill && r->nrcpt == 1 && text.nrcpt == 0
		&& empty_diag(r->rcpt->diagnostic)
		? notice_diag(msg, len, root, r->rcpt) : 0;
out:
	free(tc);
	dsn_report_free(&text);
	return (ret);
}

/*
 * A DSN whose delivery-status part gives each recipient its address, a
 * diagnostic and a reply code needs its human-readable part only for the
 * SMTP command that a rule may ask for (cmd=): supplement(), which reads
 * the whole notice, runs then, once, and most such reports never need it.
 */
typedef struct later {
	const char *msg;
	size_t  len;
	const mime_part *root;
	dsn_report *r;			/* NULL: nothing deferred */
	unsigned *cmds;			/* supplement()'s, once it ran */
	size_t  i;			/* the recipient being classified */
	int     failed;			/* out of memory */
} later;

/* complete_report - whether supplement() could only add commands to r */
static int
complete_report(const dsn_report *r)
{
	const dsn_rcpt *p;
	char    reply[4];
	size_t  i;

	for (i = 0; i < r->nrcpt; i++) {
		p = r->rcpt + i;
		if (p->recipient == NULL || empty_diag(p->diagnostic)
		    || (p->reply_code == NULL && !reply_find(p->diagnostic,
				   strlen(p->diagnostic), reply)))
			return (0);
	}
	return (1);
}

/* later_cmd - pattern_cmd.find: the command of recipient lz->i */
static unsigned
later_cmd(void *arg)
{
	later  *lz = arg;

	if (lz->cmds == NULL && !lz->failed
	    && ((lz->cmds = calloc(lz->r->nrcpt, sizeof(*lz->cmds))) == NULL
		|| supplement(lz->msg, lz->len, lz->root, lz->r, lz->cmds, 0) < 0))
		lz->failed = 1;
	return (lz->failed ? 0 : lz->cmds[lz->i]);
}

/* autoreply - an RFC 3834 auto-reply: its sender is away (kind none) */
static int
autoreply(const char *msg, const mime_part *root, size_t max_rcpt,
	  dsn_report *r)
{
	char   *from = mime_part_header(root, msg, "from", 0);
	dsn_rcpt *p;
	int     ret = 0;

	if (from == NULL)
		return (0);
	if ((p = dsn_rcpt_new(r, max_rcpt)) == NULL)
		ret = -1;
	else if ((p->recipient = dsn_field_value(from, strlen(from))) == NULL)
		ret = -1;
	else {
		char   *lt = strchr(p->recipient, '<'), *gt;

		if (lt && (gt = strchr(lt, '>')) != NULL) {
			memmove(p->recipient, lt + 1, (size_t) (gt - lt - 1));
			p->recipient[gt - lt - 1] = 0;
		}
		p->reason = "vacation";
		p->owner = "none";
	}
	free(from);
	return (ret);
}

/*
 * ses_report - an Amazon SES notification: the JSON object that the
 * first text/plain part starts with (dsn.c reads it and sets the kind:
 * plain, or arf for a complaint).  Only a body that starts with "{" (or
 * is base64) is decoded.  Returns the number of recipients, 0 when there
 * is none, -1 for lack of memory.
 */
static int
ses_report(const char *msg, const mime_part *root, size_t max_rcpt,
	   dsn_report *r)
{
	const mime_part *p = mime_find(root, "text/plain", 0);
	size_t  i;
	buf     body;
	int     ret;

	if (p == NULL)
		return (0);
	for (i = p->body_off; i < p->body_off + p->body_len
	     && strchr(" \t\r\n", msg[i]) != NULL && msg[i] != 0; i++)
		 /* void */ ;
	if (i >= p->body_off + p->body_len || (msg[i] != '{'
	    && (p->cte == NULL || strcmp(p->cte, "base64") != 0)))
		return (0);
	buf_init(&body);
	ret = mime_decode(p, msg, &body) < 0 ? -1
		: ses_parse(body.data ? body.data : "", body.len, r,
				max_rcpt);
	buf_free(&body);
	return (ret);
}

/*
 * find_report - fill r from whatever report the message holds; *cmds
 * receives one PAT_CMD_* per recipient (NULL when there are none).
 * Returns 1 when the recipients still need classifying, 0 when they
 * are final (feedback, auto-reply), -1 for lack of memory.
 */
static int
find_report(const char *msg, size_t len, const mime_part *root,
	    const bounce_limits *lim, dsn_report *r, unsigned **cmds,
	    later *lz)
{
	const mime_part *p;
	size_t  n, start = 0;
	int     k, kind;

	*cmds = NULL;
	kind = plain_kind(msg, len, root);
	if (kind == PLAIN_FORWARD && !is_report(root))
		return (0);		/* a person's message, kind none */
	if ((p = report_part(root)) != NULL) {
		r->kind = DSN_KIND_DSN;
		if (parse_report(msg, p, lim, r) < 0)
			return (-1);
	} else if ((n = raw_report(msg, len, &start)) > 0) {
		r->kind = DSN_KIND_DSN;
		if (dsn_parse_fields(msg + start, n, r, lim->max_rcpt) < 0)
			return (-1);
	}
	if (r->nrcpt > 0 && complete_report(r)) {
		lz->msg = msg;
		lz->len = len;
		lz->root = root;
		lz->r = r;
		return (1);
	}
	if (r->nrcpt > 0) {
		if ((*cmds = calloc(r->nrcpt, sizeof(**cmds))) == NULL)
			return (-1);
		return (supplement(msg, len, root, r, *cmds, 1) < 0 ? -1 : 1);
	}
	if ((k = arf_parse(msg, len, root, lim->max_rcpt, r)) != 0)
		return (k < 0 ? -1 : 0);
	if (r->kind == DSN_KIND_NONE
	    && (k = ses_report(msg, root, lim->max_rcpt, r)) != 0)
		return (k < 0 ? -1 : r->kind != DSN_KIND_ARF);
	/* an MDN or other report says Auto-Submitted too, but is no auto-reply */
	if (kind == PLAIN_AUTOREPLY && r->kind == DSN_KIND_NONE && !is_report(root))
		return (autoreply(msg, root, lim->max_rcpt, r) < 0 ? -1 : 0);
	if (kind != PLAIN_BOUNCE && r->kind == DSN_KIND_NONE)
		return (0);
	if (plain_notice(msg, len, root, lim->max_rcpt, r, cmds) < 0)
		return (-1);
	if (r->nrcpt > 0 && r->kind == DSN_KIND_NONE)
		r->kind = DSN_KIND_PLAIN;
	return (1);
}

int
bounce_analyze(const char *msg, size_t len, const bounce_limits *lim,
	       const classifier *c, dsn_report *r, mime_part **tree)
{
	mime_part *root = NULL;
	unsigned *cmds = NULL;
	char    hint[STATUS_MAX];
	later   lz;
	pattern_cmd pc;
	size_t  i;
	int     ret = -1, k;

	memset(&lz, 0, sizeof(lz));
	if (mime_parse(msg, len, &lim->mime, &root) != MIME_OK)
		goto out;
	if ((k = find_report(msg, len, root, lim, r, &cmds, &lz)) < 0)
		goto out;
	for (i = 0; k > 0 && i < r->nrcpt; i++) {
		if (complete_rcpt(r->rcpt + i) < 0)
			goto out;
		pc.cmd = cmds ? cmds[i] : 0;
		pc.find = lz.r ? later_cmd : NULL;
		pc.arg = &lz;
		lz.i = i;
		classify_rcpt_pc(c, r->rcpt + i, &pc, hint);
		if (lz.failed || pseudo_status(r->rcpt + i, hint) < 0)
			goto out;
	}
	ret = 0;
out:
	free(cmds);
	free(lz.cmds);
	if (tree != NULL && ret == 0)
		*tree = root;
	else
		mime_free(root);
	return (ret);
}

/*
 * bounce_analyze_mbox - every message of an mbox file (mbox.h; input
 * that is no mbox is one message): the report of the first bounce, with
 * the recipients of the later bounces appended.  Messages that are no
 * bounce add nothing; when none is a bounce, r is the first message's.
 */
int
bounce_analyze_mbox(const char *p, size_t n, const bounce_limits *lim,
		    const classifier *c, dsn_report *r)
{
	mbox_iter it;
	dsn_report one;
	const char *msg;
	size_t  len;

	memset(&it, 0, sizeof(it));
	while (mbox_next(p, n, &it, &msg, &len)) {
		dsn_report_init(&one);
		if (bounce_analyze(msg, len, lim, c, &one, NULL) < 0) {
			dsn_report_free(&one);
			return (-1);
		}
		if (it.count == 1 || (r->kind == DSN_KIND_NONE
				      && one.kind != DSN_KIND_NONE)) {
			dsn_report_free(r);
			*r = one;
		} else if (one.kind == DSN_KIND_NONE)
			dsn_report_free(&one);
		else if (dsn_report_append(r, &one, lim->max_rcpt) < 0)
			return (-1);
	}
	return (0);
}
