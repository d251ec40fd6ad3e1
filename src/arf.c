/*
 * NAME
 *	arf - abuse and opt-out feedback reports
 * DESCRIPTION
 *	See arf.h.  Header fields are read from the field index of a part
 *	(mime_part_header()) where there is one, else from the header block
 *	with mime_header(); a value keeps its first address only
 *	(dsn_field_value() strips "rfc822;" prefixes and angle brackets).
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

/*
 * A header block to read fields from: a part's (its field index is used)
 * or one without a part (the start of a decoded or text/rfc822-headers
 * body)
 */
typedef struct hblock {
	const char *msg;
	const mime_part *part;		/* NULL: hdr[0..len) */
	const char *hdr;
	size_t  len;
} hblock;

/* hblock_part - the header block of p, a part of msg */
static void
hblock_part(hblock *hb, const char *msg, const mime_part *p)
{
	hb->msg = msg;
	hb->part = p;
	hb->hdr = msg + p->hdr_off;
	hb->len = p->hdr_len;
}

/* hblock_text - the header block that ends hdr[0..n) at its blank line */
static void
hblock_text(hblock *hb, const char *hdr, size_t n)
{
	size_t  body;

	hb->msg = NULL;
	hb->part = NULL;
	hb->hdr = hdr ? hdr : "";
	hb->len = hdr ? mime_header_end(hdr, n, &body) : 0;
}

/* hblock_get - the idx-th value of field name, as mime_header() */
static char *
hblock_get(const hblock *hb, const char *name, size_t idx)
{
	if (hb->part != NULL)
		return (mime_part_header(hb->part, hb->msg, name, idx));
	return (mime_header(hb->hdr, hb->len, name, idx));
}

/* add_field_rcpts - one recipient per field name in a header block */
static int
add_field_rcpts(dsn_report *r, size_t max_rcpt, const hblock *hb,
		const char *name)
{
	char   *v;
	size_t  i;

	for (i = 0; (v = hblock_get(hb, name, i)) != NULL; i++) {
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

/* returned_header - header block of the returned message; 0 when none */
static int
returned_header(const char *msg, const mime_part *root, hblock *hb)
{
	const mime_part *p = mime_find(root, "message/rfc822", 0);

	if (p != NULL && p->nkids > 0) {
		hblock_part(hb, msg, p->kids[0]);
		return (1);
	}
	if ((p = mime_find(root, "text/rfc822-headers", 0)) == NULL
	    && (p = mime_find(root, "text/rfc822-header", 0)) == NULL)
		return (0);
	hblock_text(hb, msg + p->body_off, p->body_len);
	return (1);
}

/* rfc5965 - a message/feedback-report part */
static int
rfc5965(const char *msg, const mime_part *root, const mime_part *p,
	size_t max_rcpt, dsn_report *r)
{
	buf     b;
	char   *v;
	hblock  hb, ret_hb;
	int     ret = -1;

	buf_init(&b);
	if (mime_decode(p, msg, &b) < 0)
		goto out;
	hblock_text(&hb, b.data, b.len);
	if ((v = hblock_get(&hb, "feedback-type", 0))) {
		ret = set_type(r, v);
		free(v);
		if (ret < 0)
			goto out;
	}
	if (add_field_rcpts(r, max_rcpt, &hb, "original-rcpt-to") < 0
	    || (r->nrcpt == 0 && add_field_rcpts(r, max_rcpt, &hb,
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
	if ((v = hblock_get(&hb, "original-rcpt-to", 0)) != NULL) {
		free(v);
		goto out;
	}
	if (returned_header(msg, root, &ret_hb)
	    && (ret = add_field_rcpts(r, max_rcpt, &ret_hb,
				      "x-hmxmroriginalrecipient")) == 0
	    && r->nrcpt == 0)
		ret = add_field_rcpts(r, max_rcpt, &ret_hb, "to");
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
	hblock  hb;
	char   *v;
	int     ret;

	(void) len;
	if ((p = mime_find(root, "message/feedback-report", 0)) != NULL)
		return (rfc5965(msg, root, p, max_rcpt, r) < 0 ? -1
			: set_kind(r, "abuse"));
	if (returned_header(msg, root, &hb)
	    && (v = hblock_get(&hb, "x-hmxmroriginalrecipient", 0)) != NULL) {
		ret = add_rcpt(r, max_rcpt, v);
		free(v);
		return (ret < 0 ? -1 : set_kind(r, "abuse"));
	}
	if ((v = mime_part_header(root, msg, "x-apple-unsubscribe", 0))) {
		ret = text_iprefix(v, strlen(v), "true");
		free(v);
		if (!ret)
			return (0);
		if ((v = mime_part_header(root, msg, "from", 0)) == NULL)
			return (set_kind(r, "opt-out"));
		ret = add_rcpt(r, max_rcpt, v);
		free(v);
		return (ret < 0 ? -1 : set_kind(r, "opt-out"));
	}
	return (0);
}
