/*
 * NAME
 *	compose - the new body of an annotated bounce
 * DESCRIPTION
 *	See compose.h.  Sections: the original notice (find, decode,
 *	convert to UTF-8), boundaries, the multipart/alternative entity,
 *	and the two body shapes (report, plain).  Original bytes are copied
 *	by offset from the MIME tree, never re-encoded.  The work is linear
 *	in the message size: one search of msg per boundary candidate
 *	(normally one), one decode of the notice, one encoding pass.
 * DIAGNOSTICS
 *	-1 only for lack of memory, missing templates or strings, or no
 *	fresh boundary after COMPOSE_TRIES candidates.
 */
#define _GNU_SOURCE			/* memmem */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "compose.h"
#include "origmsg.h"
#include "qp.h"
#include "rfc2047.h"
#include "text.h"

#define COMPOSE_TRIES	40		/* boundary candidates */
#define COMPOSE_PLAIN	8		/* of them predictable */
#define BOUNDARY_MAX	40

 /*
  * The original notice.
  */

/* is_text - a text/ type */
static int
is_text(const mime_part *p)
{
	return (p->ctype && strncmp(p->ctype, "text/", 5) == 0
		&& strcmp(p->ctype, "text/rfc822-headers") != 0);
}

/* notice_part - the human-readable text within p, or NULL */
static const mime_part *
notice_part(const mime_part *p)
{
	const mime_part *q;

	if ((q = mime_find(p, "text/plain", 0)) != NULL)
		return (q);
	if ((q = mime_find(p, "text/html", 0)) != NULL)
		return (q);
	return (is_text(p) ? p : NULL);
}

/*
 * to_utf8 - p[0..n) in charset cs as UTF-8.  US-ASCII, UTF-8 and no charset
 * are copied: render_notice() cleans them line by line (8-bit text without
 * a charset is most often UTF-8; invalid bytes become U+FFFD there).
 */
static int
to_utf8(const char *cs, const char *p, size_t n, buf *out)
{
	if (charset_is_utf8(cs))
		return (buf_add(out, p, n));
	charset_to_utf8(cs, strlen(cs), p, n, out);
	return (out->failed ? -1 : 0);
}

/* notice_text - the notice within p, decoded, in UTF-8 */
static int
notice_text(const char *msg, const mime_part *p, buf *out)
{
	buf     raw;
	int     rc;

	if (p == NULL || (p = notice_part(p)) == NULL)
		return (0);
	buf_init(&raw);
	rc = mime_decode(p, msg, &raw);
	if (rc == 0 && raw.len > 0)
		rc = to_utf8(p->charset, raw.data, raw.len, out);
	buf_free(&raw);
	return (rc);
}

 /*
  * Boundaries.
  */

/* boundary_name - candidate i: a counter first, then random bits */
static int
boundary_name(char *b, const char *lead, const char *kind, int i)
{
	unsigned long long r = 0;

	if (i < COMPOSE_PLAIN
	    || getrandom(&r, sizeof(r), GRND_NONBLOCK) != (ssize_t) sizeof(r))
		return (snprintf(b, BOUNDARY_MAX, "%sdsnmilter_%s_%d", lead,
				 kind, i));
	return (snprintf(b, BOUNDARY_MAX, "%sdsnmilter_%s_%016llx", lead, kind,
			 r));
}

/*
 * fresh_boundary - "=_dsnmilter_KIND_N" (or "_=dsnmilter_KIND_N") that
 * occurs nowhere in msg and has not the enclosing boundary as a prefix
 * (RFC 2046 section 5.1.2).  The two forms start with different bytes, so
 * no enclosing boundary can be a prefix of both.  After the first
 * COMPOSE_PLAIN candidates N is random, so a message seeded with the
 * predictable names costs a few searches, not COMPOSE_TRIES.
 */
static int
fresh_boundary(const char *msg, size_t len, const char *kind,
	       const char *outer, char *b)
{
	size_t  olen = outer ? strlen(outer) : 0;
	int     i, f, n;

	for (i = 0; i < COMPOSE_TRIES; i++) {
		for (f = 0; f < 2; f++) {
			n = boundary_name(b, f ? "_=" : "=_", kind, i);
			if (n <= 0 || n >= BOUNDARY_MAX)
				return (-1);
			if (olen > 0 && strncmp(b, outer, olen) == 0)
				continue;
			if (memmem(msg, len, b, (size_t) n) == NULL)
				return (0);
		}
	}
	return (-1);
}

 /*
  * The multipart/alternative entity.
  */

/*
 * put_qp - text as quoted-printable in which no line starts with "--":
 * the first '-' of such a line is encoded, so no text can pose as a
 * delimiter.  Encoded lines end in eol, whose last byte ends them.
 */
static int
put_qp(const buf *text, const char *eol, buf *out)
{
	const char *p, *end, *nl;
	int     term = eol[strlen(eol) - 1], rc;
	buf     q;

	buf_init(&q);
	rc = qp_encode(text->data ? text->data : "", text->len, eol, &q);
	if (q.data == NULL)
		return (rc);
	for (p = q.data, end = q.data + q.len; rc == 0 && p < end; p = nl) {
		if ((nl = memchr(p, term, (size_t) (end - p))) == NULL)
			nl = end;
		else
			nl++;
		if (nl - p >= 2 && p[0] == '-' && p[1] == '-') {
			rc |= buf_puts(out, "=2D");
			p++;
		}
		rc |= buf_add(out, p, (size_t) (nl - p));
	}
	buf_free(&q);
	return (rc);
}

/* leaf - one text part of the alternative, ending with its delimiter */
static int
leaf(const char *subtype, const buf *text, const char *bnd, const char *eol,
     buf *out)
{
	int     rc;

	rc = buf_printf(out, "--%s%sContent-Type: text/%s; charset=utf-8%s"
			"Content-Transfer-Encoding: quoted-printable%s%s",
			bnd, eol, subtype, eol, eol, eol);
	rc |= put_qp(text, eol, out);
	return (rc | buf_puts(out, eol));	/* the delimiter's line break */
}

/* explain - render the explanation and the notice of part np */
static int
explain(const char *msg, size_t len, const mime_part *root,
	const mime_part *np, const dsn_report *r, const compose_opts *o,
	buf *text, buf *html)
{
	orig_msg om;
	buf     notice;
	int     rc = -1;

	memset(&om, 0, sizeof(om));
	buf_init(&notice);
	if (origmsg_extract(msg, len, root, o->max_hops ? o->max_hops
			    : COMPOSE_MAX_HOPS, &om) < 0
	    || notice_text(msg, np, &notice) < 0
	    || render_explanation(r, &om, &o->render, text, html) < 0)
		goto out;
	if (notice.len > 0
	    && render_notice(notice.data, notice.len, &o->render, text, html) < 0)
		goto out;
	rc = 0;
out:
	origmsg_free(&om);
	buf_free(&notice);
	return (rc);
}

/* alternative - the whole multipart/alternative entity, no final eol */
static int
alternative(const char *msg, size_t len, const mime_part *root,
	    const mime_part *np, const dsn_report *r, const compose_opts *o,
	    const char *bnd, buf *out)
{
	const char *eol = o->eol;
	buf     text, html;
	int     rc = -1;

	buf_init(&text);
	buf_init(&html);
	if (explain(msg, len, root, np, r, o, &text, &html) < 0)
		goto out;
	rc = buf_printf(out, "Content-Type: multipart/alternative;%s"
			"\tboundary=\"%s\"%s%s", eol, bnd, eol, eol);
	rc |= leaf("plain", &text, bnd, eol, out);
	rc |= leaf("html", &html, bnd, eol, out);
	rc |= buf_printf(out, "--%s--", bnd);
out:
	buf_free(&text);
	buf_free(&html);
	return (rc);
}

 /*
  * The two body shapes.
  */

/* is_report - a multipart/report with at least one part */
static int
is_report(const mime_part *root)
{
	return (root->ctype && strcmp(root->ctype, "multipart/report") == 0
		&& root->boundary && root->nkids > 0);
}

/* human - does part 1 hold the human-readable notice */
static int
human(const mime_part *p)
{
	return (is_text(p) || (p->ctype
			       && strncmp(p->ctype, "multipart/", 10) == 0));
}

/* compose_report - replace (or precede) part 1 of a multipart/report */
static int
compose_report(const char *msg, size_t len, const mime_part *root,
	       const dsn_report *r, const compose_opts *o, buf *out)
{
	const mime_part *p1 = root->kids[0];
	char    bnd[BOUNDARY_MAX];
	int     rc, replace = human(p1);

	if (fresh_boundary(msg, len, "alt", root->boundary, bnd) < 0)
		return (-1);
	rc = buf_add(out, msg + root->body_off, p1->off - root->body_off);
	rc |= alternative(msg, len, root, replace ? p1 : NULL, r, o, bnd, out);
	if (rc < 0)
		return (-1);
	if (replace)
		return (buf_add(out, msg + p1->off + p1->len,
				len - (p1->off + p1->len)));
	return (buf_printf(out, "%s--%s%s", o->eol, root->boundary, o->eol)
		| buf_add(out, msg + p1->off, len - p1->off));
}

/* copy_field - the raw top-level field name, if present */
static int
copy_field(const char *msg, const mime_part *root, const char *name,
	   const char *dflt, const char *eol, buf *out)
{
	mime_hiter it;

	it.pos = 0;
	while (mime_part_next(root, msg, &it)) {
		if (!text_ieq(it.name, it.name_len, name))
			continue;
		return (buf_puts(out, name) | buf_putc(out, ':')
			| buf_add(out, it.raw, it.raw_len) | buf_puts(out, eol));
	}
	if (dflt == NULL)
		return (0);
	return (buf_printf(out, "%s: %s%s", name, dflt, eol));
}

/* outer_cte - the top-level encoding the original body requires */
static const char *
outer_cte(const char *msg, const mime_part *root)
{
	size_t  i;

	if (root->cte && strcmp(root->cte, "binary") == 0)
		return ("binary");
	if (root->cte && strcmp(root->cte, "8bit") == 0)
		return ("8bit");
	for (i = 0; i < root->body_len; i++)
		if ((unsigned char) msg[root->body_off + i] >= 0x80)
			return ("8bit");
	return ("7bit");
}

/* compose_plain - multipart/mixed: our alternative, the original body */
static int
compose_plain(const char *msg, size_t len, const mime_part *root,
	      const dsn_report *r, const compose_opts *o, buf *out,
	      compose_result *res)
{
	const char *eol = o->eol;
	char    alt[BOUNDARY_MAX], mix[BOUNDARY_MAX];
	int     rc;

	if (fresh_boundary(msg, len, "alt", NULL, alt) < 0
	    || fresh_boundary(msg, len, "mix", NULL, mix) < 0)
		return (-1);
	rc = buf_printf(out, "--%s%s", mix, eol);
	rc |= alternative(msg, len, root, root, r, o, alt, out);
	rc |= buf_printf(out, "%s--%s%s", eol, mix, eol);
	rc |= copy_field(msg, root, "Content-Type", "text/plain", eol, out);
	rc |= copy_field(msg, root, "Content-Transfer-Encoding", NULL, eol, out);
	rc |= buf_puts(out, eol);
	rc |= buf_add(out, msg + root->body_off, len - root->body_off);
	rc |= buf_printf(out, "%s--%s--%s", eol, mix, eol);
	if (rc < 0)
		return (-1);
	if ((res->content_type = malloc(strlen(mix) + 40)) == NULL
	    || (res->cte = strdup(outer_cte(msg, root))) == NULL)
		return (-1);
	snprintf(res->content_type, strlen(mix) + 40,
		 "multipart/mixed; boundary=\"%s\"", mix);
	res->need_mime_version = 1;
	return (0);
}

int
compose_body(const char *msg, size_t len, const mime_part *root,
	     const dsn_report *r, const compose_opts *o, compose_result *out)
{
	compose_opts co;
	buf     b;
	int     rc;

	memset(out, 0, sizeof(*out));
	if (msg == NULL || root == NULL || r == NULL || o == NULL
	    || o->render.templates == NULL)
		return (-1);
	if (!is_report(root) && !o->rewrite_plain)
		return (0);
	co = *o;
	if (co.eol == NULL)
		co.eol = "\r\n";
	buf_init(&b);
	if (is_report(root))
		rc = compose_report(msg, len, root, r, &co, &b);
	else
		rc = compose_plain(msg, len, root, r, &co, &b, out);
	if (rc < 0 || b.failed) {
		buf_free(&b);
		compose_result_free(out);
		return (-1);
	}
	out->body_len = b.len;
	if ((out->body = buf_detach(&b)) == NULL) {
		compose_result_free(out);
		return (-1);
	}
	return (0);
}

void
compose_result_free(compose_result *res)
{
	if (res == NULL)
		return;
	free(res->body);
	free(res->content_type);
	free(res->cte);
	memset(res, 0, sizeof(*res));
}
