/*
 * NAME
 *	bounce - find and understand the delivery report in a message
 * DESCRIPTION
 *	See bounce.h.
 */
#include <stdlib.h>
#include <string.h>

#include "bounce.h"
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
 * raw_report - the delivery-status fields of a message whose MIME
 * structure is broken (a boundary without a multipart Content-Type): the
 * block after a "Content-Type: message/delivery-status" line, up to the
 * next line that starts with "--".  Returns its length, 0 when none.
 */
static size_t
raw_report(const char *msg, size_t len, size_t *start)
{
	size_t  pos = 0, n, hdr = 0;
	const char *line;

	while (text_line(msg, len, &pos, &line, &n)) {
		if (!hdr && text_iprefix(line, n, "content-type:")
		    && text_isearch(line, n, "delivery-status") != NULL)
			hdr = 1;
		else if (hdr == 1 && n == 0) {
			hdr = 2;
			*start = pos;
		} else if (hdr == 2 && n >= 2 && line[0] == '-' && line[1] == '-')
			return ((size_t) (line - msg) - *start);
	}
	return (hdr == 2 ? len - *start : 0);
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
 * translation of its reply, as long as both agree on the class.
 */
static int
prefer_diag(const char *status, const char *diag)
{
	if (status_is_generic(diag))
		return (0);
	return (status == NULL || status_is_generic(status)
		|| status[0] == diag[0]);
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
	if (d != NULL && status_find(d, n, code) && prefer_diag(p->status, code)
	    && set_field(&p->status, code) < 0)
		return (-1);
	if (d != NULL && p->reply_code == NULL && reply_find(d, n, reply)
	    && set_field(&p->reply_code, reply) < 0)
		return (-1);
	return (0);
}

/* pseudo_status - a status that stands for the reason, when none was given */
static int
pseudo_status(dsn_rcpt *p)
{
	char    code[STATUS_MAX];
	int     temporary = p->action && strcmp(p->action, "delayed") == 0;

	if (p->status != NULL && *p->status)
		return (0);
	if (!classify_pseudo_status(p->reason, temporary, code, sizeof(code)))
		return (0);
	return (set_field(&p->status, code));
}

int
bounce_analyze(const char *msg, size_t len, const bounce_limits *lim,
	       const classifier *c, dsn_report *r, mime_part **tree)
{
	mime_part *root = NULL;
	const mime_part *p;
	size_t  i, n, start = 0;
	int     ret = -1;

	if (mime_parse(msg, len, &lim->mime, &root) != MIME_OK)
		goto out;
	if ((p = report_part(root)) != NULL) {
		r->kind = DSN_KIND_DSN;
		if (parse_report(msg, p, lim, r) < 0)
			goto out;
	} else if ((n = raw_report(msg, len, &start)) > 0) {
		r->kind = DSN_KIND_DSN;
		if (dsn_parse_fields(msg + start, n, r, lim->max_rcpt) < 0)
			goto out;
	}
	for (i = 0; i < r->nrcpt; i++) {
		if (complete_rcpt(r->rcpt + i) < 0)
			goto out;
		classify_rcpt(c, r->rcpt + i);
		if (pseudo_status(r->rcpt + i) < 0)
			goto out;
	}
	ret = 0;
out:
	if (tree != NULL && ret == 0)
		*tree = root;
	else
		mime_free(root);
	return (ret);
}
