/*
 * NAME
 *	dsn - the bounce model, and RFC 3464 field parsing
 * DESCRIPTION
 *	See dsn.h.  The delivery-status body is a sequence of header blocks
 *	separated by empty lines; mime_header_next() reads each block.
 *	Generators differ: some omit the empty line between groups, some
 *	write no Final-Recipient.  A recipient group therefore also starts
 *	when a Final-Recipient or Original-Recipient field repeats.
 *	dsn_parse_ses() and its small JSON reader are at the end.
 */
#include <stdlib.h>
#include <string.h>

#include "dsn.h"
#include "mime.h"
#include "status.h"
#include "text.h"
#include "utf8.h"

const char *
dsn_kind_name(dsn_kind kind)
{
	switch (kind) {
	case DSN_KIND_DSN:
		return ("dsn");
	case DSN_KIND_PLAIN:
		return ("plain");
	case DSN_KIND_ARF:
		return ("arf");
	default:
		return ("none");
	}
}

void
dsn_report_init(dsn_report *r)
{
	memset(r, 0, sizeof(*r));
	r->kind = DSN_KIND_NONE;
}

static void
dsn_rcpt_free(dsn_rcpt *p)
{
	free(p->recipient);
	free(p->original_recipient);
	free(p->action);
	free(p->status);
	free(p->reply_code);
	free(p->remote_mta);
	free(p->diagnostic);
	free(p->last_attempt);
	free(p->will_retry_until);
	free(p->category);
}

void
dsn_report_free(dsn_report *r)
{
	size_t  i;

	for (i = 0; i < r->nrcpt; i++)
		dsn_rcpt_free(r->rcpt + i);
	free(r->rcpt);
	free(r->reporting_mta);
	free(r->arrival_date);
	free(r->received_from_mta);
	free(r->original_envelope_id);
	free(r->feedback_type);
	dsn_report_init(r);
}

dsn_rcpt *
dsn_rcpt_new(dsn_report *r, size_t max_rcpt)
{
	dsn_rcpt *v;
	size_t  cap;

	if (r->nrcpt >= max_rcpt) {
		r->rcpt_dropped++;
		return (NULL);
	}
	if (r->nrcpt == r->rcpt_cap) {
		cap = r->rcpt_cap ? r->rcpt_cap * 2 : 4;
		if ((v = realloc(r->rcpt, cap * sizeof(*v))) == NULL)
			return (NULL);
		r->rcpt = v;
		r->rcpt_cap = cap;
	}
	v = r->rcpt + r->nrcpt++;
	memset(v, 0, sizeof(*v));
	v->reason = "";
	v->owner = "";
	return (v);
}

/*
 * dsn_report_append - move the recipients of src to the end of dst (up to
 * max_rcpt in all; the others count as dropped) and free src.
 */
int
dsn_report_append(dsn_report *dst, dsn_report *src, size_t max_rcpt)
{
	dsn_rcpt *v;
	size_t  i;
	int     ret = 0;

	for (i = 0; i < src->nrcpt; i++) {
		if ((v = dsn_rcpt_new(dst, max_rcpt)) == NULL) {
			if (dst->nrcpt < max_rcpt)
				ret = -1;	/* out of memory */
			continue;
		}
		*v = src->rcpt[i];
		memset(src->rcpt + i, 0, sizeof(*v));
	}
	dst->rcpt_dropped += src->rcpt_dropped;
	dsn_report_free(src);
	return (ret);
}

const dsn_rcpt *
dsn_significant(const dsn_report *r)
{
	static const char *const order[] = {"failed", "delayed", NULL};
	size_t  i, k;

	for (k = 0; order[k]; k++)
		for (i = 0; i < r->nrcpt; i++)
			if (r->rcpt[i].action
			    && strcmp(r->rcpt[i].action, order[k]) == 0)
				return (r->rcpt + i);
	return (r->nrcpt ? r->rcpt : NULL);
}

/* strip_comment - drop a trailing "(...)" comment from p[0..*n) */
static void
strip_comment(const char *p, size_t *n)
{
	size_t  i = *n;

	while (i > 0 && (p[i - 1] == ' ' || p[i - 1] == '\t'))
		i--;
	if (i == 0 || p[i - 1] != ')')
		return;
	while (i > 0 && p[i - 1] != '(')
		i--;
	if (i > 1)
		*n = i - 1;
}

/* is_atom - a type name such as "rfc822" or "dns", white space around */
static int
is_atom(const char *p, size_t n)
{
	size_t  i;

	text_trim(&p, &n);
	for (i = 0; i < n; i++)
		if (!((p[i] >= 'a' && p[i] <= 'z') || (p[i] >= 'A' && p[i] <= 'Z')
		      || (p[i] >= '0' && p[i] <= '9') || p[i] == '-'))
			return (0);
	return (n > 0);
}

/*
 * angle_addr - a value that ends in "<addr>" (a bare "<addr>", or a
 * name-addr such as "\"Doe, Jane\" <jane@example.org>", which some
 * servers write into Final-Recipient) becomes the addr inside the last
 * angle brackets.
 */
static void
angle_addr(const char **p, size_t *n)
{
	size_t  i;

	if (*n < 2 || (*p)[*n - 1] != '>')
		return;
	for (i = *n - 1; i > 0; i--) {
		if ((*p)[i - 1] == '<') {
			*p += i;
			*n -= i + 1;
			return;
		}
	}
}

char   *
dsn_field_value(const char *raw, size_t n)
{
	const char *p = raw, *semi;
	size_t  len = n;

	if ((semi = memchr(raw, ';', n)) != NULL && semi > raw
	    && is_atom(raw, (size_t) (semi - raw))) {
		p = semi + 1;
		len = n - (size_t) (p - raw);
	}
	text_trim(&p, &len);
	strip_comment(p, &len);
	text_trim(&p, &len);
	angle_addr(&p, &len);
	text_trim(&p, &len);
	return (text_dup(p, len));
}

/*
 * The fields dsnmilter reads.  ADDR values lose their type prefix and
 * comment; TEXT values are kept as written (unfolded); WORD values are
 * lowercased first words; CODE values are validated status codes.
 */
typedef enum { F_ADDR, F_TEXT, F_WORD, F_CODE } field_form;

typedef struct field_spec {
	const char *name;
	size_t  len;			/* of name */
	int     per_rcpt;
	size_t  off;			/* into dsn_report or dsn_rcpt */
	field_form form;
} field_spec;

#define R(m) offsetof(dsn_report, m)
#define P(m) offsetof(dsn_rcpt, m)
#define NAME(s) s, sizeof(s) - 1

static const field_spec fields[] = {
	{NAME("reporting-mta"), 0, R(reporting_mta), F_ADDR},
	{NAME("arrival-date"), 0, R(arrival_date), F_TEXT},
	{NAME("received-from-mta"), 0, R(received_from_mta), F_ADDR},
	{NAME("original-envelope-id"), 0, R(original_envelope_id), F_TEXT},
	{NAME("final-recipient"), 1, P(recipient), F_ADDR},
	{NAME("original-recipient"), 1, P(original_recipient), F_ADDR},
	{NAME("action"), 1, P(action), F_WORD},
	{NAME("status"), 1, P(status), F_CODE},
	{NAME("remote-mta"), 1, P(remote_mta), F_ADDR},
	{NAME("diagnostic-code"), 1, P(diagnostic), F_TEXT},
	{NAME("last-attempt-date"), 1, P(last_attempt), F_TEXT},
	{NAME("will-retry-until"), 1, P(will_retry_until), F_TEXT},
	{NAME("x-powermta-bouncecategory"), 1, P(category), F_WORD},
	{NULL, 0, 0, 0, F_TEXT},
};

static const field_spec *
field_lookup(const char *name, size_t len)
{
	const field_spec *f;

	/* the names are lowercase: | 0x20 folds only letters onto them */
	for (f = fields; f->name; f++)
		if (len == f->len && (name[0] | 0x20) == f->name[0]
		    && text_ieq(name, len, f->name))
			return (f);
	return (NULL);
}

/* word_lower - a lowercased copy of v[0..k) */
static char *
word_lower(const char *v, size_t k)
{
	char   *w;

	if ((w = text_dup(v, k)) != NULL)
		text_lower(w);
	return (w);
}

/*
 * unitext_decode - the "\x{HEX}" escapes of a utf-8 address (RFC 6533
 * utf-8-addr-xtext and -unitext) as UTF-8, in place: an escape is at
 * least 5 bytes, its character at most 4.  Escapes that are not valid
 * (no digits, more than 6, surrogates, beyond U+10FFFF, control
 * characters: an address is no place for a line break) stay.
 */
static void
unitext_decode(char *s)
{
	size_t  i = 0, o = 0, k;
	unsigned long cp;

	while (s[i]) {
		if (s[i] == '\\' && s[i + 1] == 'x' && s[i + 2] == '{') {
			for (k = i + 3, cp = 0; k < i + 9
			     && text_hexdigit((unsigned char) s[k]) >= 0; k++)
				cp = cp * 16 + (unsigned long)
				    text_hexdigit((unsigned char) s[k]);
			if (k > i + 3 && s[k] == '}' && cp >= 0x20 && cp != 0x7f
			    && (cp < 0x80 || cp > 0x9f) && cp <= 0x10ffff
			    && (cp < 0xd800 || cp > 0xdfff)) {
				o += utf8_encode(cp, s + o);
				i = k + 1;
				continue;
			}
		}
		s[o++] = s[i++];
	}
	s[o] = 0;
}

/* utf8_type - whether an address value is of type utf-8 (RFC 6533) */
static int
utf8_type(const char *v, size_t n)
{
	text_trim(&v, &n);
	return (text_iprefix(v, n, "utf-8;") || text_iprefix(v, n, "utf-8 ;"));
}

/* field_convert - the stored form of an unfolded value */
static char *
field_convert(const field_spec *f, const char *v)
{
	size_t  n = strlen(v), k;
	char    code[STATUS_MAX], *w;

	switch (f->form) {
	case F_ADDR:
		if (!utf8_type(v, n))
			return (dsn_field_value(v, n));
		if ((w = dsn_field_value(v, n)) != NULL)
			unitext_decode(w);
		return (w);
	case F_WORD:
		for (k = 0; k < n && v[k] != ' ' && v[k] != '\t' && v[k] != '('
		     && v[k] != ';'; k++)
			 /* void */ ;
		return (word_lower(v, k));
	case F_CODE:
		if (!status_find(v, n, code))
			code[0] = 0;
		return (text_dup(code, strlen(code)));
	default:
		return (text_dup(v, n));
	}
}

/* field_slot - where field f goes; may start a new recipient group */
static char **
field_slot(dsn_report *r, dsn_rcpt **cur, dsn_rcpt *sink,
	   const field_spec *f, size_t max_rcpt, int *groups)
{
	char  **slot;

	if (!f->per_rcpt) {
		slot = (char **) ((char *) r + f->off);
		return (*slot ? NULL : slot);
	}
	if (*cur != NULL && *(char **) ((char *) *cur + f->off) != NULL
	    && (f->off == P(recipient) || f->off == P(original_recipient)))
		*cur = NULL;
	if (*cur == NULL) {
		(*groups)++;
		if ((*cur = dsn_rcpt_new(r, max_rcpt)) == NULL) {
			dsn_rcpt_free(sink);
			memset(sink, 0, sizeof(*sink));
			*cur = sink;		/* over the cap: read, drop */
		}
	}
	slot = (char **) ((char *) *cur + f->off);
	return (*slot ? NULL : slot);
}

/*
 * parse_block - the header block at the start of p[0..n): its fields are
 * read up to the empty line that ends it (mime_field_next(), one pass);
 * returns the offset past that line (n when there is none), or 0 for
 * lack of memory.  A value is unfolded on the stack when it fits (most
 * do).
 */
static size_t
parse_block(const char *p, size_t n, dsn_report *r, dsn_rcpt **cur,
	    dsn_rcpt *sink, size_t max_rcpt, int *groups)
{
	mime_hiter it;
	const field_spec *f;
	char  **slot, *v, small[256];
	size_t  blank = (size_t) -1;

	memset(&it, 0, sizeof(it));
	while (mime_field_next(p, n, &it, &blank)) {
		if ((f = field_lookup(it.name, it.name_len)) == NULL)
			continue;
		if ((slot = field_slot(r, cur, sink, f, max_rcpt,
					groups)) == NULL)
			continue;
		if ((v = it.raw_len < sizeof(small) ? small
		     : malloc(it.raw_len + 1)) == NULL)
			return (0);
		(void) mime_unfold_to(it.raw, it.raw_len, v);
		*slot = field_convert(f, v);
		if (v != small)
			free(v);
		if (*slot == NULL)
			return (0);
	}
	return (blank == (size_t) -1 ? n : it.pos);
}

/*
 * internet_recipients - a Final-Recipient that is no Internet address (an
 * X.400 O/R address, a bare local part) gives way to an Original-Recipient
 * that is one: that is the address the sender knows.
 */
static int
internet_recipients(dsn_report *r, size_t first)
{
	size_t  i;
	char   *v;

	for (i = first; i < r->nrcpt; i++) {
		dsn_rcpt *p = r->rcpt + i;

		if (p->recipient == NULL || strchr(p->recipient, '@') != NULL
		    || p->original_recipient == NULL
		    || strchr(p->original_recipient, '@') == NULL)
			continue;
		if ((v = text_dup(p->original_recipient,
				  strlen(p->original_recipient))) == NULL)
			return (-1);
		free(p->recipient);
		p->recipient = v;
	}
	return (0);
}

/* join - the fields of q that p lacks go to p; q is emptied */
static void
join(dsn_rcpt *p, dsn_rcpt *q)
{
	const field_spec *f;
	char  **from, **to;

	for (f = fields; f->name; f++) {
		if (!f->per_rcpt)
			continue;
		from = (char **) ((char *) q + f->off);
		to = (char **) ((char *) p + f->off);
		if (*to == NULL) {
			*to = *from;
			*from = NULL;
		}
	}
	dsn_rcpt_free(q);
	memset(q, 0, sizeof(*q));
}

/*
 * join_orphans - a recipient group without Final- or Original-Recipient
 * after another holds the fields of the group before it, split by a stray
 * empty line (seen between Diagnostic-Code and Will-Retry-Until): its
 * fields fill what that group lacks, and it is no recipient of its own.
 * The recipients from first on are r's of this report; the number joined.
 */
static int
join_orphans(dsn_report *r, size_t first)
{
	size_t  i, w;
	int     joined = 0;

	for (i = w = first; i < r->nrcpt; i++) {
		if (i > first && r->rcpt[i].recipient == NULL
		    && r->rcpt[i].original_recipient == NULL) {
			join(r->rcpt + w - 1, r->rcpt + i);
			joined++;
			continue;
		}
		if (w != i) {
			r->rcpt[w] = r->rcpt[i];
			memset(r->rcpt + i, 0, sizeof(r->rcpt[i]));
		}
		w++;
	}
	r->nrcpt = w;
	return (joined);
}

int
dsn_parse_fields(const char *p, size_t n, dsn_report *r, size_t max_rcpt)
{
	size_t  pos = 0, next, first = r->nrcpt;
	dsn_rcpt *cur = NULL, sink;
	int     groups = 0, ret = 0;

	memset(&sink, 0, sizeof(sink));
	while (pos < n) {
		if ((next = parse_block(p + pos, n - pos, r, &cur, &sink,
					max_rcpt, &groups)) == 0) {
			ret = -1;
			break;
		}
		cur = NULL;
		pos += next;
	}
	dsn_rcpt_free(&sink);
	groups -= join_orphans(r, first);
	if (ret == 0 && internet_recipients(r, first) < 0)
		ret = -1;
	return (ret < 0 ? -1 : groups);
}
