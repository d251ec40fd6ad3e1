/*
 * NAME
 *	arf - abuse and opt-out feedback reports
 * DESCRIPTION
 *	See arf.h.  Header blocks are read with mime_header(); a value
 *	keeps its first address only (dsn_field_value() strips "rfc822;"
 *	prefixes and angle brackets).
 */
#include <stdlib.h>
#include <string.h>

#include "arf.h"
#include "text.h"

/* add_rcpt - a feedback recipient from a field value; 0, or -1 */
static int
add_rcpt(dsn_report *r, size_t max_rcpt, const char *value)
{
	dsn_rcpt *p;
	const char *lt = strchr(value, '<'), *gt = lt ? strchr(lt, '>') : NULL;
	char   *v;

	if (lt != NULL && gt != NULL && memchr(lt, '@', (size_t) (gt - lt)))
		v = text_dup(lt + 1, (size_t) (gt - lt - 1));
	else
		v = dsn_field_value(value, strlen(value));
	if (v == NULL)
		return (-1);
	if (*v == 0 || strchr(v, '@') == NULL) {
		free(v);
		return (0);
	}
	if ((p = dsn_rcpt_new(r, max_rcpt)) == NULL) {
		free(v);
		return (r->nrcpt >= max_rcpt ? 0 : -1);
	}
	p->recipient = v;
	p->reason = "feedback";
	p->owner = "none";
	return (0);
}

/* add_field_rcpts - one recipient per field name in a header block */
static int
add_field_rcpts(dsn_report *r, size_t max_rcpt, const char *hdr, size_t n,
		const char *name)
{
	char   *v;
	size_t  i;

	for (i = 0; (v = mime_header(hdr, n, name, i)) != NULL; i++) {
		int     ret = add_rcpt(r, max_rcpt, v);

		free(v);
		if (ret < 0)
			return (-1);
	}
	return (0);
}

/* set_type - the lowercased first word of a Feedback-Type value */
static int
set_type(dsn_report *r, const char *v)
{
	size_t  n = strcspn(v, " \t;(");

	free(r->feedback_type);
	if ((r->feedback_type = text_dup(v, n)) == NULL)
		return (-1);
	text_lower(r->feedback_type);
	return (0);
}

/* returned_header - header block of the returned message, or NULL */
static const char *
returned_header(const char *msg, const mime_part *root, size_t *n)
{
	const mime_part *p = mime_find(root, "message/rfc822", 0);
	size_t  body;

	if (p != NULL && p->nkids > 0) {
		*n = p->kids[0]->hdr_len;
		return (msg + p->kids[0]->hdr_off);
	}
	if ((p = mime_find(root, "text/rfc822-headers", 0)) == NULL
	    && (p = mime_find(root, "text/rfc822-header", 0)) == NULL)
		return (NULL);
	*n = mime_header_end(msg + p->body_off, p->body_len, &body);
	return (msg + p->body_off);
}

/* rfc5965 - a message/feedback-report part */
static int
rfc5965(const char *msg, const mime_part *root, const mime_part *p,
	size_t max_rcpt, dsn_report *r)
{
	buf     b;
	char   *v;
	size_t  hlen, body, n;
	const char *h;
	int     ret = -1;

	buf_init(&b);
	if (mime_decode(p, msg, &b) < 0)
		goto out;
	hlen = b.data ? mime_header_end(b.data, b.len, &body) : 0;
	if ((v = mime_header(b.data ? b.data : "", hlen, "feedback-type", 0))) {
		ret = set_type(r, v);
		free(v);
		if (ret < 0)
			goto out;
	}
	if (add_field_rcpts(r, max_rcpt, b.data, hlen, "original-rcpt-to") < 0
	    || (r->nrcpt == 0 && add_field_rcpts(r, max_rcpt, b.data, hlen,
						 "removal-recipient") < 0))
		goto out;
	ret = 0;
	/*
	 * An Original-Rcpt-To without an address is redacted (Yahoo, AOL):
	 * the returned message's To is redacted too, or names others.
	 * Microsoft's JMRP names the recipient in the returned message's
	 * X-HmXmrOriginalRecipient, its To often not at all.
	 */
	if (r->nrcpt > 0)
		goto out;
	if ((v = mime_header(b.data ? b.data : "", hlen, "original-rcpt-to",
			     0)) != NULL) {
		free(v);
		goto out;
	}
	if ((h = returned_header(msg, root, &n)) != NULL
	    && (ret = add_field_rcpts(r, max_rcpt, h, n,
				      "x-hmxmroriginalrecipient")) == 0
	    && r->nrcpt == 0)
		ret = add_field_rcpts(r, max_rcpt, h, n, "to");
out:
	buf_free(&b);
	return (ret);
}

/* set_kind - mark r as a feedback report of type t when it has none */
static int
set_kind(dsn_report *r, const char *t)
{
	r->kind = DSN_KIND_ARF;
	if (r->feedback_type == NULL && set_type(r, t) < 0)
		return (-1);
	return (1);
}

int
arf_parse(const char *msg, size_t len, const mime_part *root,
	  size_t max_rcpt, dsn_report *r)
{
	const mime_part *p;
	const char *h;
	size_t  n;
	char   *v;
	int     ret;

	(void) len;
	if ((p = mime_find(root, "message/feedback-report", 0)) != NULL)
		return (rfc5965(msg, root, p, max_rcpt, r) < 0 ? -1
			: set_kind(r, "abuse"));
	if ((h = returned_header(msg, root, &n)) != NULL
	    && (v = mime_header(h, n, "x-hmxmroriginalrecipient", 0)) != NULL) {
		ret = add_rcpt(r, max_rcpt, v);
		free(v);
		return (ret < 0 ? -1 : set_kind(r, "abuse"));
	}
	h = msg + root->hdr_off;
	if ((v = mime_header(h, root->hdr_len, "x-apple-unsubscribe", 0))) {
		ret = text_iprefix(v, strlen(v), "true");
		free(v);
		if (!ret)
			return (0);
		if ((v = mime_header(h, root->hdr_len, "from", 0)) == NULL)
			return (set_kind(r, "opt-out"));
		ret = add_rcpt(r, max_rcpt, v);
		free(v);
		return (ret < 0 ? -1 : set_kind(r, "opt-out"));
	}
	return (0);
}
