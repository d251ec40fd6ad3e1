/*
 * NAME
 *	annotate - decide what to change in a bounce, and apply it
 * DESCRIPTION
 *	See annotate.h.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "annotate.h"
#include "hdrval.h"
#include "text.h"

#ifndef PACKAGE_VERSION
#define PACKAGE_VERSION "0"
#endif

#define PREFIX		"X-DSN-"

/* What the top-level header holds that matters here. */
typedef struct hdr_facts {
	int     ours;			/* X-DSN-Annotated with our id */
	int     xfailed;		/* X-Failed-Recipients present */
	int     ctype, cte;		/* how many */
	int     mimever;		/* present */
} hdr_facts;

static int
edit_add(annotation *a, hdr_op op, const char *name, size_t index,
	 const char *value)
{
	hdr_edit *e;
	size_t  cap;

	if (a->nedits == a->cap) {
		cap = a->cap ? a->cap * 2 : 16;
		if ((e = realloc(a->edits, cap * sizeof(*e))) == NULL)
			return (-1);
		a->edits = e;
		a->cap = cap;
	}
	e = a->edits + a->nedits;
	e->op = op;
	e->index = index;
	e->name = strdup(name);
	e->value = value ? strdup(value) : NULL;
	if (e->name == NULL || (value && e->value == NULL)) {
		free(e->name);
		free(e->value);
		return (-1);
	}
	a->nedits++;
	return (0);
}

void
annotation_free(annotation *a)
{
	size_t  i;

	for (i = 0; i < a->nedits; i++) {
		free(a->edits[i].name);
		free(a->edits[i].value);
	}
	free(a->edits);
	free(a->body);
	memset(a, 0, sizeof(*a));
}

/* is_ours - X-DSN-Annotated value that names hostid */
static int
is_ours(const mime_hiter *it, const char *hostid)
{
	const char *v = it->raw;
	size_t  n = it->raw_len, k = strlen(hostid);

	text_trim(&v, &n);
	return (k > 0 && n >= k && strncasecmp(v, hostid, k) == 0
		&& (n == k || v[k] == ' ' || v[k] == '\t'));
}

/* note_field - record one top-level field in f */
static void
note_field(const mime_hiter *it, const annotate_opts *o, hdr_facts *f)
{
	if (text_ieq(it->name, it->name_len, "X-DSN-Annotated")
	    && is_ours(it, o->hostid))
		f->ours = 1;
	else if (text_ieq(it->name, it->name_len, "X-Failed-Recipients"))
		f->xfailed = 1;
	else if (text_ieq(it->name, it->name_len, "Content-Type"))
		f->ctype++;
	else if (text_ieq(it->name, it->name_len, "Content-Transfer-Encoding"))
		f->cte++;
	else if (text_ieq(it->name, it->name_len, "MIME-Version"))
		f->mimever = 1;
}

/* foreign - one X-DSN-* field: its name and its index among its namesakes */
typedef struct foreign {
	const char *name;
	size_t  len;
	size_t  index;
} foreign;

/*
 * remove_foreign - delete every X-DSN-* field, last first (so each index
 * stays right whether the MTA counts deleted fields or not).  Only X-DSN-*
 * fields can share an X-DSN-* name, so indices come from that list alone:
 * the cost is linear in the header, quadratic only in the X-DSN-* count.
 */
static int
remove_foreign(const char *msg, const mime_part *root, annotation *a)
{
	mime_hiter it;
	foreign *v = NULL, *nv;
	size_t  n = 0, cap = 0, j;
	char   *name;
	int     ret = 0;

	memset(&it, 0, sizeof(it));
	while (ret == 0 && mime_part_next(root, msg, &it)) {
		if (!text_iprefix(it.name, it.name_len, PREFIX))
			continue;
		if (n == cap) {
			cap = cap ? 2 * cap : 16;
			if ((nv = realloc(v, cap * sizeof(*v))) == NULL) {
				ret = -1;
				break;
			}
			v = nv;
		}
		v[n].name = it.name;
		v[n].len = it.name_len;
		for (v[n].index = 1, j = 0; j < n; j++)
			v[n].index += v[j].len == it.name_len
			    && strncasecmp(v[j].name, it.name, it.name_len) == 0;
		n++;
	}
	while (ret == 0 && n-- > 0) {
		name = text_dup(v[n].name, v[n].len);
		ret = name ? edit_add(a, HDR_DELETE, name, v[n].index, NULL) : -1;
		free(name);
	}
	free(v);
	return (ret);
}

/* add_value - add field name with value folded and cleaned */
static int
add_value(annotation *a, const char *name, const char *value)
{
	buf     v;
	int     ret;

	buf_init(&v);
	hdrval_fold(&v, value, strlen(name) + 1);
	ret = v.failed ? -1 : edit_add(a, HDR_ADD, name, 0, v.data ? v.data : "");
	buf_free(&v);
	return (ret);
}

/* add_clean - add field name whose value comes from the message */
static int
add_clean(annotation *a, const char *name, const char *value)
{
	buf     v;
	int     ret;

	buf_init(&v);
	hdrval_clean(&v, value, 200);
	ret = v.failed ? -1 : add_value(a, name, v.data ? v.data : "");
	buf_free(&v);
	return (ret);
}

/* rcpt_value - "<a@b>; action=failed; status=...; reason=...; owner=..." */
static int
rcpt_value(buf *v, const dsn_rcpt *p)
{
	hdrval_addr(v, p->recipient);
	buf_puts(v, "; action=");
	hdrval_clean(v, p->action ? p->action : "unknown", 20);
	buf_puts(v, "; status=");
	hdrval_clean(v, p->status && *p->status ? p->status : "unknown", 12);
	buf_printf(v, "; reason=%s; owner=%s", p->reason, p->owner);
	return (v->failed ? -1 : 0);
}

/* add_recipients - one X-DSN-Recipient per recipient, up to the cap */
static int
add_recipients(annotation *a, const dsn_report *r, size_t cap)
{
	size_t  i;
	buf     v;
	int     ret = 0;

	buf_init(&v);
	for (i = 0; i < r->nrcpt && i < cap && ret == 0; i++) {
		buf_reset(&v);
		ret = rcpt_value(&v, r->rcpt + i) < 0 ? -1 :
		    add_value(a, "X-DSN-Recipient", v.data);
	}
	buf_free(&v);
	return (ret);
}

/* ascii - whether s holds printable ASCII only */
static int
ascii(const char *s)
{
	for (; *s; s++)
		if ((unsigned char) *s < 0x21 || (unsigned char) *s > 0x7e)
			return (0);
	return (1);
}

/* add_failed - X-Failed-Recipients, comma-separated, when any failed */
static int
add_failed(annotation *a, const dsn_report *r)
{
	size_t  i, k = 0;
	buf     v;
	int     ret = 0;

	buf_init(&v);
	for (i = 0; i < r->nrcpt; i++) {
		const dsn_rcpt *p = r->rcpt + i;

		if (p->action == NULL || strcmp(p->action, "failed") != 0
		    || p->recipient == NULL || *p->recipient == 0
		    || !ascii(p->recipient))
			continue;		/* empty, non-ASCII: left out */
		if (k++ > 0)
			buf_puts(&v, ", ");
		hdrval_clean(&v, p->recipient, 320);
	}
	if (k > 0)
		ret = v.failed ? -1 : add_value(a, "X-Failed-Recipients", v.data);
	buf_free(&v);
	return (ret);
}

/* add_summary - the fields of SPEC.md "Headers added" */
static int
add_summary(annotation *a, const dsn_report *r, const annotate_opts *o,
	    const hdr_facts *f)
{
	const dsn_rcpt *top = dsn_significant(r);
	buf     id;
	int     ret;

	buf_init(&id);
	hdrval_clean(&id, o->hostid, 200);
	buf_printf(&id, " (dsnmilter %s)", PACKAGE_VERSION);
	ret = id.failed ? -1 : add_value(a, "X-DSN-Annotated", id.data);
	buf_free(&id);
	if (ret == 0)
		ret = add_clean(a, "X-DSN-Status", top->status && *top->status ?
				top->status : "unknown");
	if (ret == 0)
		ret = add_value(a, "X-DSN-Reason", top->reason);
	if (ret == 0)
		ret = add_value(a, "X-DSN-Fix-Owner", top->owner);
	if (ret == 0)
		ret = add_recipients(a, r, o->max_recipients);
	if (ret == 0 && !f->xfailed)
		ret = add_failed(a, r);
	if (ret == 0 && !o->trusted)
		ret = add_value(a, "X-DSN-Trust", "external");
	return (ret);
}

/* skip_reason - why this report is not annotated, or NULL */
static const char *
skip_reason(const dsn_report *r, const annotate_opts *o)
{
	size_t  i;
	int     failed = 0, delayed = 0;

	if (r->kind == DSN_KIND_NONE)
		return ("not-a-bounce");
	if (r->kind == DSN_KIND_ARF)
		return ("feedback-report");
	if (r->nrcpt == 0)
		return ("no-recipients-found");
	for (i = 0; i < r->nrcpt; i++) {
		const char *act = r->rcpt[i].action;

		if (act == NULL || strcmp(act, "failed") == 0)
			failed = 1;
		else if (strcmp(act, "delayed") == 0)
			delayed = 1;
	}
	if (failed)
		return (NULL);
	if (delayed)
		return (o->annotate_delays ? NULL : "delay-report");
	return (o->annotate_success ? NULL : "success-report");
}

/*
 * replace_field - name gets value: the first of its n fields is changed,
 * the others deleted (last first), or the field is added when n is 0.
 */
static int
replace_field(annotation *a, const char *name, int n, const char *value)
{
	int     ret = 0;

	if (n == 0)
		return (edit_add(a, HDR_ADD, name, 0, value));
	for (; n > 1 && ret == 0; n--)
		ret = edit_add(a, HDR_DELETE, name, (size_t) n, NULL);
	return (ret ? ret : edit_add(a, HDR_CHANGE, name, 1, value));
}

/* set_type - top-level header changes that a new body needs */
static int
set_type(annotation *a, const compose_result *c, const hdr_facts *f)
{
	int     ret = 0;

	if (c->content_type)
		ret = replace_field(a, "Content-Type", f->ctype, c->content_type);
	if (ret == 0 && c->cte)
		ret = replace_field(a, "Content-Transfer-Encoding", f->cte, c->cte);
	if (ret == 0 && c->need_mime_version && !f->mimever)
		ret = edit_add(a, HDR_ADD, "MIME-Version", 0, "1.0");
	return (ret);
}

/*
 * rewrite_body - compose the explanation into a new body.  When that fails,
 * or the new body is larger than o->max_body (the notice is in it twice,
 * converted to UTF-8 and quoted-printable: a large notice in an Asian
 * charset grows eightfold, past what the MTA takes), the headers still go
 * on and the body stays (a->why says so); -1 only when memory ran out.
 */
static int
rewrite_body(const char *msg, size_t len, const dsn_report *r,
	     const mime_part *root, const annotate_opts *o, annotation *a,
	     const hdr_facts *f)
{
	compose_result c;
	int     ret;

	memset(&c, 0, sizeof(c));
	if (compose_body(msg, len, root, r, &o->compose, &c) < 0) {
		a->why = "headers-only-cannot-compose-body";	/* fail soft */
		compose_result_free(&c);
		return (0);
	}
	if (o->max_body > 0 && c.body_len > o->max_body) {
		a->why = "headers-only-body-too-large";
		compose_result_free(&c);
		return (0);
	}
	if ((ret = set_type(a, &c, f)) == 0 && c.body != NULL) {
		a->body = c.body;
		a->body_len = c.body_len;
		c.body = NULL;
	}
	compose_result_free(&c);
	return (ret);
}

int
annotate(const char *msg, size_t len, const dsn_report *r,
	 const mime_part *root, const annotate_opts *o, annotation *a)
{
	hdr_facts f;
	mime_hiter it;

	memset(a, 0, sizeof(*a));
	memset(&f, 0, sizeof(f));
	memset(&it, 0, sizeof(it));
	while (mime_part_next(root, msg, &it))
		note_field(&it, o, &f);
	if (f.ours && o->trusted) {
		a->skip = 1;
		a->why = "already-annotated";
		return (0);
	}
	/* Forged fields go whatever happens next, skips included. */
	if (remove_foreign(msg, root, a) < 0)
		goto fail;
	if ((a->why = skip_reason(r, o)) != NULL) {
		a->skip = 1;
		return (0);
	}
	if (add_summary(a, r, o, &f) < 0)
		goto fail;
	if (!o->trusted && !o->annotate_external)
		a->why = "external-headers-only";
	else if (o->compose.render.templates != NULL
		 && rewrite_body(msg, len, r, root, o, a, &f) < 0)
		goto fail;
	return (0);
fail:
	if (a->why == NULL)
		a->why = "out-of-memory";
	return (-1);
}

const char *
annotate_eol(const char *msg, size_t len)
{
	size_t  i;

	for (i = 0; i < len; i++) {
		if (msg[i] == '\n')
			return ("\n");
		if (msg[i] == '\r')
			return (i + 1 < len && msg[i + 1] == '\n' ? "\r\n" : "\r");
	}
	return ("\n");
}

/* put_field - "Name: value" with folds in the message's line ending */
static void
put_field(buf *out, const char *name, const char *value, const char *eol)
{
	const char *p;

	buf_printf(out, "%s: ", name);
	for (p = value; *p; p++) {
		if (*p == '\n')
			buf_puts(out, eol);
		else
			buf_putc(out, *p);
	}
	buf_puts(out, eol);
}

/*
 * edit_for - the delete/change edit aimed at field it, or NULL.  seen[i]
 * counts the fields so far that bear the name of edit i, so the n-th field
 * of a name is known without scanning the header again.
 */
static const hdr_edit *
edit_for(const annotation *a, const mime_hiter *it, size_t *seen)
{
	const hdr_edit *hit = NULL;
	size_t  i;

	for (i = 0; i < a->nedits; i++) {
		const hdr_edit *e = a->edits + i;

		if (e->op == HDR_ADD || !text_ieq(it->name, it->name_len, e->name))
			continue;
		if (++seen[i] == e->index && hit == NULL)
			hit = e;
	}
	return (hit);
}

int
annotation_apply(const char *msg, size_t len, const annotation *a, buf *out)
{
	const char *eol = annotate_eol(msg, len);
	size_t  hlen, body_off, start = 0, i, *seen;
	mime_hiter it;
	const hdr_edit *e;

	if ((seen = calloc(a->nedits + 1, sizeof(*seen))) == NULL)
		return (-1);
	hlen = mime_header_end(msg, len, &body_off);
	memset(&it, 0, sizeof(it));
	while (mime_header_next(msg, hlen, &it)) {
		buf_add(out, msg + start, (size_t) (it.name - msg) - start);
		if ((e = edit_for(a, &it, seen)) == NULL)
			buf_add(out, it.name, it.pos - (size_t) (it.name - msg));
		else if (e->op == HDR_CHANGE)
			put_field(out, e->name, e->value, eol);
		start = it.pos;
	}
	free(seen);
	if (start < hlen)
		buf_add(out, msg + start, hlen - start);
	if (out->len > 0 && out->data[out->len - 1] != '\n'
	    && out->data[out->len - 1] != '\r')
		buf_puts(out, eol);
	for (i = 0; i < a->nedits; i++)
		if (a->edits[i].op == HDR_ADD)
			put_field(out, a->edits[i].name, a->edits[i].value, eol);
	buf_puts(out, eol);
	if (a->body != NULL)
		buf_add(out, a->body, a->body_len);
	else if (body_off < len)
		buf_add(out, msg + body_off, len - body_off);
	return (out->failed ? -1 : 0);
}
