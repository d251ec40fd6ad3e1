/*
 * NAME
 *	mime - MIME structure of a message, over the original bytes
 * DESCRIPTION
 *	See mime.h for the interface and the result defined for every kind
 *	of malformed input.  This file has four sections: header fields,
 *	structured values (Content-Type and its parameters, RFC 2045 and
 *	RFC 2231), transfer decoding, and the tree builder (RFC 2046).
 *
 *	The tree builder looks at each byte of a multipart body once per
 *	nesting level, and only at line starts for delimiters; recursion
 *	is bounded by lim->max_depth.  Bodies are never copied.
 * DIAGNOSTICS
 *	Functions that allocate return NULL or MIME_NOMEM (-1) when memory
 *	runs out; malformed input never is an error.
 */
#define _GNU_SOURCE			/* memmem */
#include <stdlib.h>
#include <string.h>

#include "mime.h"
#include "text.h"

#define WSP(c)		((c) == ' ' || (c) == '\t')
#define EOL(c)		((c) == '\r' || (c) == '\n')
#define SPACE(c)	(WSP(c) || EOL(c) || (c) == '\f' || (c) == '\v')
#define NONE		((size_t) -1)

 /*
  * Header fields.
  */

size_t
mime_header_end(const char *p, size_t n, size_t *body_off)
{
	size_t  pos = 0, start = 0, len;
	const char *line;

	while (text_line(p, n, &pos, &line, &len)) {
		if (len == 0) {
			*body_off = pos;
			return (start);
		}
		start = pos;
	}
	*body_off = n;
	return (n);
}

/*
 * A header line is scanned once: for the first byte that ends a field's
 * name (':', SP, HT) or the line (CR, LF), then, after a name, for the
 * line's end.  Sixteen bytes a step with SSE2 (every x86-64 has it), a
 * byte at a time elsewhere and for the last bytes of the range; loads
 * stay inside h[0..len).
 */
#define NAME_END(c)	((c) == ':' || WSP(c) || EOL(c))

#ifdef __SSE2__
#include <emmintrin.h>

/* eq - the bytes of v equal to c, as a mask */
#define EQ(v, c)	_mm_cmpeq_epi8((v), _mm_set1_epi8(c))
#endif

/* line_eol - the offset of the first CR or LF in h[i..len), or len */
static inline size_t
line_eol(const char *h, size_t len, size_t i)
{
#ifdef __SSE2__
	__m128i v;
	unsigned m;

	for (; len - i >= 16; i += 16) {
		v = _mm_loadu_si128((const __m128i *) (const void *) (h + i));
		if ((m = (unsigned) _mm_movemask_epi8(_mm_or_si128(EQ(v, '\n'),
							EQ(v, '\r')))) != 0)
			return (i + (size_t) __builtin_ctz(m));
	}
#endif
	for (; i < len && !EOL(h[i]); i++)
		 /* void */ ;
	return (i);
}

/*
 * line_stop - the offset of the first ':', SP, HT, CR or LF in
 * h[i..len), or len
 */
static inline size_t
line_stop(const char *h, size_t len, size_t i)
{
#ifdef __SSE2__
	__m128i v;
	unsigned m;

	for (; len - i >= 16; i += 16) {
		v = _mm_loadu_si128((const __m128i *) (const void *) (h + i));
		if ((m = (unsigned) _mm_movemask_epi8(_mm_or_si128(
			_mm_or_si128(_mm_or_si128(EQ(v, ':'), EQ(v, ' ')),
				     _mm_or_si128(EQ(v, '\t'), EQ(v, '\n'))),
			EQ(v, '\r')))) != 0)
			return (i + (size_t) __builtin_ctz(m));
	}
#endif
	for (; i < len && !NAME_END(h[i]); i++)
		 /* void */ ;
	return (i);
}

/* line_next - the offset of the line after the one ending at h[eol] */
static inline size_t
line_next(const char *h, size_t len, size_t eol)
{
	if (eol < len && h[eol] == '\r')
		return (eol + 1 < len && h[eol + 1] == '\n' ? eol + 2 : eol + 1);
	return (eol < len ? eol + 1 : len);
}

/*
 * field_next - mime_header_next() without the jump to the end: at the
 * blank line that ends the block, *blank is set to its offset and it->pos
 * points past it (so one pass finds both the fields and the body).  A
 * line is a field when a name ends at a colon, maybe after white space
 * (RFC 5322 obs-field, which MTAs accept as a field); white space inside
 * the name means no field (an mbox "From " line).
 */
static int
field_next(const char *hdr, size_t len, mime_hiter *it, size_t *blank)
{
	size_t  start, q, colon, eol;

	for (;;) {
		if ((start = it->pos) >= len)
			return (0);
		q = line_stop(hdr, len, start);
		if (q == start && q < len && EOL(hdr[q])) {
			*blank = start;			/* end of the header block */
			it->pos = line_next(hdr, len, q);
			return (0);
		}
		for (colon = q; colon < len && WSP(hdr[colon]); colon++)
			 /* void */ ;
		if (q > start && colon < len && hdr[colon] == ':')
			break;
		it->pos = line_next(hdr, len, line_eol(hdr, len, q));
	}
	it->name = hdr + start;
	it->name_len = q - start;
	it->raw = hdr + colon + 1;
	eol = line_eol(hdr, len, colon + 1);
	it->pos = line_next(hdr, len, eol);
	while (it->pos < len && WSP(hdr[it->pos])) {
		eol = line_eol(hdr, len, it->pos);
		it->pos = line_next(hdr, len, eol);
	}
	it->raw_len = eol - (colon + 1);
	return (1);
}

int
mime_field_next(const char *hdr, size_t len, mime_hiter *it, size_t *blank)
{
	return (field_next(hdr, len, it, blank));
}

int
mime_header_next(const char *hdr, size_t len, mime_hiter *it)
{
	size_t  blank = NONE;

	if (field_next(hdr, len, it, &blank))
		return (1);
	if (blank != NONE)
		it->pos = len;
	return (0);
}

/*
 * mime_part_header - the field index holds exactly the fields that
 * mime_header() would look at, so a name compares whole; a partial index
 * (see field_add()) is not used.
 */
char   *
mime_part_header(const mime_part *p, const char *msg, const char *name,
		 size_t idx)
{
	const mime_field *f;
	size_t  i, nlen = strlen(name);

	if (p->fields_partial)
		return (mime_header(msg + p->hdr_off, p->hdr_len, name, idx));
	for (i = 0; i < p->nfields; i++) {
		f = p->fields + i;
		if (f->name_len == nlen && text_iprefix(msg + f->name_off, nlen, name)
		    && idx-- == 0)
			return (mime_unfold(msg + f->raw_off, f->raw_len));
	}
	return (NULL);
}

/*
 * mime_part_next - field it->pos of the index; a partial index is not
 * used (see field_add())
 */
int
mime_part_next(const mime_part *p, const char *msg, mime_hiter *it)
{
	const mime_field *f;

	if (p->fields_partial)
		return (mime_header_next(msg + p->hdr_off, p->hdr_len, it));
	if (it->pos >= p->nfields)
		return (0);
	f = p->fields + it->pos++;
	it->name = msg + f->name_off;
	it->name_len = f->name_len;
	it->raw = msg + f->raw_off;
	it->raw_len = f->raw_len;
	return (1);
}

/*
 * mime_unfold_to - line by line: each run of white space and line breaks
 * that holds a break becomes one space; other bytes are copied as runs.
 * A value of one line (most are) is trimmed first, so that only what is
 * kept is copied; not when a NUL (which the copy makes a space, to be
 * trimmed) ends the trimmed range.
 */
size_t
mime_unfold_to(const char *raw, size_t len, char *dst)
{
	const char *t = raw;
	size_t  i = 0, pos, w, o = 0, n = len;

	if (memchr(raw, '\n', len) == NULL && memchr(raw, '\r', len) == NULL) {
		text_trim(&t, &n);
		if (n == 0 || (t[0] != 0 && t[n - 1] != 0)) {
			text_copy(dst, t, n);
			dst[n] = 0;
			return (n);
		}
	}
	while (i < len) {
		pos = i;
		(void) text_line(raw, len, &pos, &t, &n);
		for (w = i + n; i + n < len && w > i && WSP(raw[w - 1]); w--)
			 /* void */ ;
		text_copy(dst + o, raw + i, w - i);
		o += w - i;
		if ((i += n) == len)
			break;
		dst[o++] = ' ';
		while (i < len && (WSP(raw[i]) || EOL(raw[i])))
			i++;
	}
	t = dst;
	n = o;
	text_trim(&t, &n);
	memmove(dst, t, n);
	dst[n] = 0;
	return (n);
}

char   *
mime_unfold(const char *raw, size_t len)
{
	char   *s;

	if ((s = malloc(len + 1)) != NULL)
		(void) mime_unfold_to(raw, len, s);
	return (s);
}

/*
 * name_colon - the offset of the colon when line starts the field called
 * name (nlen bytes, no colon or white space in it), else 0
 */
static size_t
name_colon(const char *line, size_t llen, const char *name, size_t nlen)
{
	size_t  i;

	if (llen <= nlen || !text_iprefix(line, llen, name))
		return (0);
	for (i = nlen; i < llen && WSP(line[i]); i++)
		 /* void */ ;
	return (i < llen && line[i] == ':' ? i : 0);
}

/*
 * mime_header - the lines are walked as mime_header_next() does, but only
 * a line that starts with the name is looked at more closely.
 */
char   *
mime_header(const char *hdr, size_t len, const char *name, size_t idx)
{
	const char *line, *raw;
	size_t  pos = 0, llen, colon, nlen = strlen(name);

	if (nlen == 0 || strpbrk(name, ": \t") != NULL)
		return (NULL);			/* never a field name */
	while (text_line(hdr, len, &pos, &line, &llen) && llen > 0) {
		if ((colon = name_colon(line, llen, name, nlen)) == 0 || idx-- > 0)
			continue;
		raw = line + colon + 1;
		while (pos < len && WSP(hdr[pos]))
			(void) text_line(hdr, len, &pos, &line, &llen);
		return (mime_unfold(raw, (size_t) (line + llen - raw)));
	}
	return (NULL);
}

 /*
  * Structured values: type/subtype, parameters, comments, quoted strings.
  */

/* is_token - RFC 2045 token character (a switch: no call per byte) */
static int
is_token(int c)
{
	switch (c) {
	case '(': case ')': case '<': case '>': case '@': case ',': case ';':
	case ':': case '\\': case '"': case '/': case '[': case ']': case '?':
	case '=':
		return (0);
	default:
		return (c > 32 && c < 127);
	}
}

/* skip_comment - skip a (nested) comment starting at '(' */
static const char *
skip_comment(const char *s)
{
	size_t  depth = 0;

	for (; *s; s++) {
		if (*s == '\\' && s[1]) {
			s++;
		} else if (*s == '(') {
			depth++;
		} else if (*s == ')' && --depth == 0) {
			return (s + 1);
		}
	}
	return (s);
}

/* skip_quoted - skip a quoted string starting at '"', appending to out */
static const char *
skip_quoted(const char *s, buf *out)
{
	const char *run;

	for (s++; *s && *s != '"'; s++) {
		run = s;
		s += strcspn(s, "\"\\");
		if (out)
			(void) buf_add(out, run, (size_t) (s - run));
		if (*s != '\\')
			break;
		if (s[1] == 0)
			continue;
		if (out)
			(void) buf_putc(out, s[1]);
		s++;
	}
	return (*s == '"' ? s + 1 : s);
}

/* skip_cfws - skip white space and comments */
static const char *
skip_cfws(const char *s)
{
	for (;;) {
		while (SPACE(*s))
			s++;
		if (*s != '(')
			return (s);
		s = skip_comment(s);
	}
}

/* skip_param - skip to the next ';' outside quotes and comments */
static const char *
skip_param(const char *s)
{
	while (*s && *s != ';') {
		if (*s == '"')
			s = skip_quoted(s, NULL);
		else if (*s == '(')
			s = skip_comment(s);
		else
			s++;
	}
	return (s);
}

/* span_token - skip a token, return its end */
static const char *
span_token(const char *s)
{
	while (is_token((unsigned char) *s))
		s++;
	return (s);
}

/* ctype_scan - find type and subtype; return the end, NULL if malformed */
static const char *
ctype_scan(const char *value, const char **type, size_t *tlen,
	   const char **sub, size_t *slen)
{
	const char *s, *e;

	s = skip_cfws(value);
	e = span_token(s);
	*type = s;
	*tlen = (size_t) (e - s);
	s = skip_cfws(e);
	if (*tlen == 0 || *s != '/')
		return (NULL);
	s = skip_cfws(s + 1);
	e = span_token(s);
	*sub = s;
	*slen = (size_t) (e - s);
	return (*slen ? e : NULL);
}

/* ctype_copy - "type/subtype" lowercased into s[0..tlen + slen + 2) */
static char *
ctype_copy(char *s, const char *type, size_t tlen, const char *sub,
	   size_t slen)
{
	text_lower_copy(s, type, tlen);
	s[tlen] = '/';
	text_lower_copy(s + tlen + 1, sub, slen);
	s[tlen + 1 + slen] = 0;
	return (s);
}

char   *
mime_ctype(const char *value)
{
	const char *type, *sub;
	size_t  tlen, slen;
	char   *s;

	if (ctype_scan(value, &type, &tlen, &sub, &slen) == NULL)
		return (NULL);
	if ((s = malloc(tlen + slen + 2)) == NULL)
		return (NULL);
	return (ctype_copy(s, type, tlen, sub, slen));
}

/* params_start - where the parameter list of a Content-Type value starts */
static const char *
params_start(const char *value)
{
	const char *type, *sub, *e;
	size_t  tlen, slen;

	if ((e = ctype_scan(value, &type, &tlen, &sub, &slen)) != NULL)
		return (e);
	return (skip_param(value));
}

/* param_next - next "attr=value" at *sp, value unquoted into val */
static int
param_next(const char **sp, const char **attr, size_t *alen, buf *val)
{
	const char *s = *sp, *v;

	for (;;) {
		s = skip_cfws(s);
		if (*s == ';') {
			s++;
			continue;
		}
		if (*s == 0)
			return (0);
		for (*attr = s; *s && *s != '=' && *s != ';' && *s != '('
		     && *s != '"' && !SPACE(*s); s++)
			 /* void */ ;
		*alen = (size_t) (s - *attr);
		s = skip_cfws(s);
		if (*alen > 0 && *s == '=')
			break;
		s = skip_param(s);
	}
	s = skip_cfws(s + 1);
	buf_reset(val);
	if (*s == '"') {
		s = skip_quoted(s, val);
	} else {
		for (v = s; *s && *s != ';' && *s != '(' && *s != '"' && !SPACE(*s);)
			s++;
		(void) buf_add(val, v, (size_t) (s - v));
	}
	*sp = s;
	return (1);
}

 /*
  * RFC 2231: name*=charset'lang'value, name*0=, name*1*=.
  */

#define PARAM_NONE	0
#define PARAM_PLAIN	1		/* name= */
#define PARAM_EXT	2		/* name*= */
#define PARAM_SECTION	3		/* name*N= or name*N*= */
#define MAX_SECTION	10000

typedef struct section {
	size_t  idx;			/* N */
	size_t  order;			/* position in the value */
	int     ext;			/* name*N*= */
	char   *val;
	size_t  len;
} section;

typedef struct sections {
	section *v;
	size_t  n, cap;
} sections;

/* param_kind - how attr relates to name; *idx and *ext for sections */
static int
param_kind(const char *attr, size_t alen, const char *name, size_t *idx,
	   int *ext)
{
	size_t  nlen = strlen(name), i;

	if (alen == nlen && text_ieq(attr, alen, name))
		return (PARAM_PLAIN);
	if (alen <= nlen || attr[nlen] != '*' || !text_iprefix(attr, alen, name))
		return (PARAM_NONE);
	if (alen == nlen + 1)
		return (PARAM_EXT);
	for (*idx = 0, i = nlen + 1; i < alen && attr[i] >= '0' && attr[i] <= '9'; i++)
		if ((*idx = *idx * 10 + (size_t) (attr[i] - '0')) > MAX_SECTION)
			return (PARAM_NONE);
	if (i == nlen + 1)
		return (PARAM_NONE);
	*ext = (i + 1 == alen && attr[i] == '*');
	return (i == alen || *ext ? PARAM_SECTION : PARAM_NONE);
}

/* pct_decode - append s[0..n) to out, undoing %XY */
static void
pct_decode(const char *s, size_t n, buf *out)
{
	size_t  i;
	int     v;

	for (i = 0; i < n; i++) {
		if (s[i] == '%' && i + 2 < n && (v = text_hex2(s + i + 1)) >= 0) {
			(void) buf_putc(out, v);
			i += 2;
		} else {
			(void) buf_putc(out, s[i]);
		}
	}
}

/* ext_value - append an extended value, charset'lang' dropped when first */
static void
ext_value(const char *s, size_t n, int first, buf *out)
{
	const char *q1, *q2;

	if (n == 0)
		return;
	if (first && (q1 = memchr(s, '\'', n)) != NULL
	    && (q2 = memchr(q1 + 1, '\'', n - (size_t) (q1 + 1 - s))) != NULL) {
		n -= (size_t) (q2 + 1 - s);
		s = q2 + 1;
	}
	pct_decode(s, n, out);
}

/* section_add - remember one name*N section */
static int
section_add(sections *sv, size_t idx, int ext, const buf *val)
{
	section *v;
	size_t  cap;

	if (sv->n == sv->cap) {
		cap = sv->cap ? sv->cap * 2 : 8;
		if ((v = realloc(sv->v, cap * sizeof(*v))) == NULL)
			return (-1);
		sv->v = v;
		sv->cap = cap;
	}
	v = &sv->v[sv->n];
	if ((v->val = text_dup(val->data ? val->data : "", val->len)) == NULL)
		return (-1);
	v->idx = idx;
	v->order = sv->n++;
	v->ext = ext;
	v->len = val->len;
	return (0);
}

/* section_cmp - sort by index, then by position */
static int
section_cmp(const void *a, const void *b)
{
	const section *x = a, *y = b;

	if (x->idx != y->idx)
		return (x->idx < y->idx ? -1 : 1);
	return (x->order < y->order ? -1 : x->order > y->order);
}

/* sections_join - join sections 0, 1, ... up to the first gap */
static void
sections_join(sections *sv, buf *out)
{
	size_t  i, want = 0;
	section *s;

	qsort(sv->v, sv->n, sizeof(*sv->v), section_cmp);
	for (i = 0; i < sv->n && sv->v[i].idx <= want; i++) {
		if ((s = &sv->v[i])->idx < want)
			continue;			/* duplicate */
		if (s->ext)
			ext_value(s->val, s->len, want == 0, out);
		else
			(void) buf_add(out, s->val, s->len);
		want++;
	}
}

/* sections_free - release the sections */
static void
sections_free(sections *sv)
{
	size_t  i;

	for (i = 0; i < sv->n; i++)
		free(sv->v[i].val);
	free(sv->v);
}

/* param_collect - scan params for name; fill plain, ext and sections */
static int
param_collect(const char *params, const char *name, buf *val, buf *plain,
	      buf *ext, sections *sv)
{
	const char *s = params, *attr;
	size_t  alen, idx = 0;
	int     kind, isext = 0, seen_plain = 0, seen_ext = 0;

	while (param_next(&s, &attr, &alen, val)) {
		kind = param_kind(attr, alen, name, &idx, &isext);
		if (kind == PARAM_PLAIN && !seen_plain++)
			(void) buf_add(plain, val->data, val->len);
		else if (kind == PARAM_EXT && !seen_ext++)
			ext_value(val->data, val->len, 1, ext);
		else if (kind == PARAM_SECTION && section_add(sv, idx, isext, val) < 0)
			val->failed = 1;
		if (val->failed)
			break;
	}
	for (idx = 0; idx < sv->n && sv->v[idx].idx != 0; idx++)
		 /* void */ ;
	kind = val->failed ? -1 : seen_ext ? PARAM_EXT : idx < sv->n ?
		PARAM_SECTION : seen_plain ? PARAM_PLAIN : PARAM_NONE;
	return (kind);
}

/*
 * may_hold - whether value holds name, ignoring ASCII case (as
 * text_isearch() does): text_chr3() jumps to each place where the first
 * byte of name stands, in either case
 */
static int
may_hold(const char *value, const char *name)
{
	size_t  n = strlen(value), i = 0;
	int     lo = (unsigned char) name[0], up = lo;
	const char *q;

	if (lo == 0)
		return (1);
	if (lo >= 'A' && lo <= 'Z')
		lo += 'a' - 'A';
	else if (lo >= 'a' && lo <= 'z')
		up -= 'a' - 'A';
	while (i < n && (q = text_chr3(value + i, n - i, lo, up, up)) != NULL) {
		i = (size_t) (q - value);
		if (text_iprefix(value + i + 1, n - i - 1, name + 1))
			return (1);
		i++;
	}
	return (0);
}

/*
 * param_get - value of parameter name into out (its bytes as they are):
 * -1 no memory, 0 absent, 1 found.  params is where the parameter list
 * of a Content-Type value starts (params_start()); val is the caller's
 * scratch buffer (a tree's parse reuses one for all parts).  Every
 * attribute that counts starts with name: when params does not hold it
 * at all, nothing needs parsing.
 */
static int
param_get(const char *params, const char *name, buf *val, buf *out)
{
	buf     ext;
	sections sv = {NULL, 0, 0};
	int     kind, rc = -1;

	buf_reset(out);
	if (!may_hold(params, name))
		return (0);
	buf_reset(val);
	buf_init(&ext);
	kind = param_collect(params, name, val, out, &ext, &sv);
	if (kind == PARAM_EXT) {
		buf_reset(out);
		(void) buf_add(out, ext.data, ext.len);
		out->failed |= ext.failed;
	} else if (kind == PARAM_SECTION) {
		buf_reset(out);
		sections_join(&sv, out);
	}
	if (kind >= 0 && !out->failed && !ext.failed)
		rc = kind != PARAM_NONE;
	sections_free(&sv);
	buf_free(&ext);
	return (rc);
}

char   *
mime_param(const char *value, const char *name)
{
	buf     val, out;
	char   *s = NULL;

	buf_init(&val);
	buf_init(&out);
	if (param_get(params_start(value), name, &val, &out) > 0)
		s = text_dup(out.data ? out.data : "", out.len);
	buf_free(&val);
	buf_free(&out);
	return (s);
}

 /*
  * Transfer decoding.
  */

/* b64 - a base64 digit's value plus one; 0 for any other byte */
static const unsigned char b64[256] = {
	['A'] = 1, ['B'] = 2, ['C'] = 3, ['D'] = 4, ['E'] = 5, ['F'] = 6,
	['G'] = 7, ['H'] = 8, ['I'] = 9, ['J'] = 10, ['K'] = 11,
	['L'] = 12, ['M'] = 13, ['N'] = 14, ['O'] = 15, ['P'] = 16,
	['Q'] = 17, ['R'] = 18, ['S'] = 19, ['T'] = 20, ['U'] = 21,
	['V'] = 22, ['W'] = 23, ['X'] = 24, ['Y'] = 25, ['Z'] = 26,
	['a'] = 27, ['b'] = 28, ['c'] = 29, ['d'] = 30, ['e'] = 31,
	['f'] = 32, ['g'] = 33, ['h'] = 34, ['i'] = 35, ['j'] = 36,
	['k'] = 37, ['l'] = 38, ['m'] = 39, ['n'] = 40, ['o'] = 41,
	['p'] = 42, ['q'] = 43, ['r'] = 44, ['s'] = 45, ['t'] = 46,
	['u'] = 47, ['v'] = 48, ['w'] = 49, ['x'] = 50, ['y'] = 51,
	['z'] = 52, ['0'] = 53, ['1'] = 54, ['2'] = 55, ['3'] = 56,
	['4'] = 57, ['5'] = 58, ['6'] = 59, ['7'] = 60, ['8'] = 61,
	['9'] = 62, ['+'] = 63, ['/'] = 64
};

#define B64(c)	((int) b64[(unsigned char) (c)] - 1)

/*
 * mime_decode_b64 - a quantum of four digits (none '=', which is no digit
 * either) is decoded at once when no bits are pending; otherwise, and
 * around line breaks and other bytes (skipped), a digit at a time
 */
int
mime_decode_b64(const char *p, size_t n, buf *out)
{
	unsigned char chunk[1024];
	unsigned long acc = 0;
	size_t  i = 0, k = 0;
	int     bits = 0, v, rc = 0, a, b, c, d;

	while (i < n && p[i] != '=') {
		if (k + 3 > sizeof(chunk)) {
			rc |= buf_add(out, chunk, k);
			k = 0;
		}
		if (bits == 0 && n - i >= 4 && (a = B64(p[i])) >= 0
		    && (b = B64(p[i + 1])) >= 0 && (c = B64(p[i + 2])) >= 0
		    && (d = B64(p[i + 3])) >= 0) {
			chunk[k++] = (unsigned char) (a << 2 | b >> 4);
			chunk[k++] = (unsigned char) ((b & 15) << 4 | c >> 2);
			chunk[k++] = (unsigned char) ((c & 3) << 6 | d);
			i += 4;
			continue;
		}
		if ((v = B64(p[i++])) < 0)
			continue;
		acc = acc << 6 | (unsigned long) v;
		if ((bits += 6) < 8)
			continue;
		bits -= 8;
		chunk[k++] = (unsigned char) (acc >> bits);
		acc &= (1UL << bits) - 1;
	}
	rc |= buf_add(out, chunk, k);
	return (rc ? -1 : 0);
}

/* qp_equal - decode "=" at p[i]: soft break, =XY, or a literal '=' */
static size_t
qp_equal(const char *p, size_t n, size_t i, buf *out, int *rc)
{
	size_t  k;
	int     v;

	for (k = i + 1; k < n && WSP(p[k]); k++)
		 /* void */ ;
	if (k == n)
		return (n);				/* soft break at the end */
	if (EOL(p[k]))
		return (k + (p[k] == '\r' && k + 1 < n && p[k + 1] == '\n') + 1);
	if (i + 2 < n && (v = text_hex2(p + i + 1)) >= 0) {
		*rc |= buf_putc(out, v);
		return (i + 3);
	}
	*rc |= buf_putc(out, '=');
	return (i + 1);
}

/*
 * mime_decode_qp - literal runs are copied whole: text_chr3() finds the
 * next "=" or line break; white space before a line break (or the end)
 * is dropped, the break itself starts the next run.
 */
int
mime_decode_qp(const char *p, size_t n, buf *out)
{
	const char *q;
	size_t  i = 0, k = 0, w;
	int     rc = 0;

	if (n == 0)
		return (0);
	while (k < n) {
		q = text_chr3(p + k, n - k, '=', '\r', '\n');
		k = q ? (size_t) (q - p) : n;
		if (q != NULL && *q == '=') {
			rc |= buf_add(out, p + i, k - i);
			i = k = qp_equal(p, n, k, out, &rc);
			continue;
		}
		for (w = k; w > i && WSP(p[w - 1]); w--)
			 /* void */ ;
		rc |= buf_add(out, p + i, w - i);
		i = k;
		if (k < n)
			k++;				/* past the break */
	}
	rc |= buf_add(out, p + i, n - i);	/* a break at the end */
	return (rc ? -1 : 0);
}

int
mime_decode(const mime_part *p, const char *msg, buf *out)
{
	const char *body = msg + p->body_off;

	if (p->cte && strcmp(p->cte, "base64") == 0)
		return (mime_decode_b64(body, p->body_len, out));
	if (p->cte && strcmp(p->cte, "quoted-printable") == 0)
		return (mime_decode_qp(body, p->body_len, out));
	return (buf_add(out, body, p->body_len));
}

 /*
  * The tree builder.
  */

 /*
  * The memory of a tree: parts, kid lists, field indexes and strings come
  * from chunks that mime_free() releases together, one malloc() for many
  * small blocks.  Under AddressSanitizer every block is a chunk of its
  * own, so that a read past a block's end is still seen.
  */
#if defined(__SANITIZE_ADDRESS__)
#define CHUNK_MIN	0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define CHUNK_MIN	0
#endif
#endif
#ifndef CHUNK_MIN
#define CHUNK_MIN	4096		/* bytes of blocks in a chunk */
#endif
#define ALIGN		(sizeof(max_align_t))

struct mime_chunk {
	struct mime_chunk *next;
	size_t  used, size;		/* bytes of data[] */
	max_align_t data[];
};

typedef struct mime_ctx {
	const char *msg;
	const mime_limits *lim;
	size_t  nparts;
	mime_part *root;
	int     nomem;
	struct mime_chunk *chunks;	/* the tree's memory, newest first */
	mime_field *fv;			/* one part's fields, then */
	size_t  fcap;			/* copied to the chunks */
	buf     ct, cte;		/* unfolded values of one part */
	buf     val, param;		/* param_get() of one part */
} mime_ctx;

/* chunks_free - release a tree's memory */
static void
chunks_free(struct mime_chunk *c)
{
	struct mime_chunk *next;

	for (; c != NULL; c = next) {
		next = c->next;
		free(c);
	}
}

/*
 * tree_alloc - n bytes from the tree's chunks, aligned; NULL: no memory.
 * A block larger than a chunk gets one of its own, behind the newest, so
 * that the room left in that one is still used.
 */
static void *
tree_alloc(mime_ctx *ctx, size_t n)
{
	struct mime_chunk *c = ctx->chunks;
	size_t  size;
	void   *p;

	if (n > (size_t) -1 / 2) {
		ctx->nomem = 1;
		return (NULL);
	}
	n = (n + ALIGN - 1) / ALIGN * ALIGN;
	if (c == NULL || c->size - c->used < n) {
		size = n > CHUNK_MIN ? n : CHUNK_MIN;
		if ((c = malloc(sizeof(*c) + size)) == NULL) {
			ctx->nomem = 1;
			return (NULL);
		}
		c->used = 0;
		c->size = size;
		if (n > CHUNK_MIN && ctx->chunks != NULL) {
			c->next = ctx->chunks->next;
			ctx->chunks->next = c;
		} else {
			c->next = ctx->chunks;
			ctx->chunks = c;
		}
	}
	p = (char *) c->data + c->used;
	c->used += n;
	return (p);
}

/* tree_dup - s[0..n) as a string of the tree (NUL bytes made spaces) */
static char *
tree_dup(mime_ctx *ctx, const char *s, size_t n)
{
	char   *d;

	if ((d = tree_alloc(ctx, n + 1)) != NULL) {
		text_copy(d, s, n);
		d[n] = 0;
	}
	return (d);
}

#define DELIM_NONE	0
#define DELIM_OPEN	1
#define DELIM_CLOSE	2

/* kid_add - append kid to parent's kids (a list that doubles) */
static int
kid_add(mime_ctx *ctx, mime_part *parent, mime_part *kid)
{
	mime_part **v;
	size_t  n = parent->nkids;

	if ((n & (n - 1)) == 0) {			/* 0, 1, 2, 4.. */
		if ((v = tree_alloc(ctx, (n ? n * 2 : 1) * sizeof(*v))) == NULL)
			return (-1);
		if (n > 0)
			memcpy(v, parent->kids, n * sizeof(*v));
		parent->kids = v;
	}
	parent->kids[parent->nkids++] = kid;
	return (0);
}

/* part_new - a new part over msg[off..off+len), NULL at a limit */
static mime_part *
part_new(mime_ctx *ctx, mime_part *parent, size_t off, size_t len)
{
	mime_part *p;

	if (parent != NULL && ctx->nparts >= ctx->lim->max_parts) {
		ctx->root->limited = 1;
		return (NULL);
	}
	if ((p = tree_alloc(ctx, sizeof(*p))) == NULL)
		return (NULL);
	memset(p, 0, sizeof(*p));
	p->off = off;
	p->len = len;
	p->parent = parent;
	p->depth = parent ? parent->depth + 1 : 0;
	if (parent != NULL && kid_add(ctx, parent, p) < 0)
		return (NULL);
	ctx->nparts++;
	return (p);
}

/*
 * value_of - the unfolded header value, cut at max_line, into b (a
 * buffer that the next part reuses); -1 for memory
 */
static int
value_of(mime_ctx *ctx, const mime_hiter *it, buf *b, char **out)
{
	size_t  n = it->raw_len;

	if (n > ctx->lim->max_line)
		n = ctx->lim->max_line;
	buf_reset(b);
	if (buf_reserve(b, n) < 0)
		return (-1);
	(void) mime_unfold_to(it->raw, n, b->data);
	*out = b->data;
	return (0);
}

#define FIELDS_MIN	32

/*
 * field_add - append the field it (in msg) to the field index being
 * built in ctx->fv, *n fields so far.  An index is kept for the first
 * MIME_FIELDS_MAX fields only (a header block of tiny fields must not
 * cost eight times its size in memory): beyond that p->fields_partial is
 * set and lookups read the header block itself.
 */
static int
field_add(mime_ctx *ctx, mime_part *p, size_t *n, const mime_hiter *it)
{
	mime_field *v, *f;
	size_t  cap;

	if (*n >= MIME_FIELDS_MAX) {
		p->fields_partial = 1;
		return (0);
	}
	if (*n == ctx->fcap) {
		cap = ctx->fcap ? ctx->fcap * 2 : FIELDS_MIN;
		if ((v = realloc(ctx->fv, cap * sizeof(*v))) == NULL)
			return (-1);
		ctx->fv = v;
		ctx->fcap = cap;
	}
	f = ctx->fv + (*n)++;
	f->name_off = (size_t) (it->name - ctx->msg);
	f->name_len = it->name_len;
	f->raw_off = (size_t) (it->raw - ctx->msg);
	f->raw_len = it->raw_len;
	return (0);
}

/* fields_keep - the field index of p, n fields in ctx->fv, to the tree */
static int
fields_keep(mime_ctx *ctx, mime_part *p, size_t n)
{
	if (n == 0)
		return (0);
	if ((p->fields = tree_alloc(ctx, n * sizeof(*p->fields))) == NULL)
		return (-1);
	memcpy(p->fields, ctx->fv, n * sizeof(*p->fields));
	p->nfields = n;
	return (0);
}

/*
 * part_fields - the unfolded Content-Type and transfer encoding values
 * (in ctx->ct and ctx->cte), the field index and the header and body
 * extents, in one pass over the header block
 */
static int
part_fields(mime_ctx *ctx, mime_part *p, char **ct, char **cte)
{
	mime_hiter it;
	const char *hdr = ctx->msg + p->off;
	size_t  blank = NONE, n = 0;

	*ct = *cte = NULL;
	it.pos = 0;
	while (field_next(hdr, p->len, &it, &blank)) {
		if (field_add(ctx, p, &n, &it) < 0)
			return (-1);
		if ((it.name_len != 12 && it.name_len != 25)
		    || (it.name[0] | 0x20) != 'c')
			continue;		/* cheap test: most fields are not */
		if (*ct == NULL && it.name_len == 12
		    && text_ieq(it.name, it.name_len, "content-type")) {
			if (value_of(ctx, &it, &ctx->ct, ct) < 0)
				return (-1);
		} else if (*cte == NULL && it.name_len == 25
			   && text_ieq(it.name, it.name_len,
				       "content-transfer-encoding")) {
			if (value_of(ctx, &it, &ctx->cte, cte) < 0)
				return (-1);
		}
	}
	p->hdr_off = p->off;
	p->hdr_len = blank == NONE ? p->len : blank;
	p->body_off = p->off + (blank == NONE ? p->len : it.pos);
	p->body_len = p->off + p->len - p->body_off;
	return (fields_keep(ctx, p, n));
}

/* token_lower - the first token of value, lowercased; NULL when empty */
static int
token_lower(mime_ctx *ctx, const char *value, char **out)
{
	const char *s = skip_cfws(value), *e = span_token(s);
	size_t  n = (size_t) (e - s);

	*out = NULL;
	if (n == 0)
		return (0);
	if ((*out = tree_alloc(ctx, n + 1)) == NULL)
		return (-1);
	text_lower_copy(*out, s, n);		/* a token holds no NUL */
	(*out)[n] = 0;
	return (0);
}

/*
 * part_param - parameter name as a string of the tree, or NULL; params is
 * where the parameter list starts
 */
static int
part_param(mime_ctx *ctx, const char *params, const char *name, char **out)
{
	buf    *b = &ctx->param;
	int     rc;

	*out = NULL;
	if ((rc = param_get(params, name, &ctx->val, b)) <= 0)
		return (rc);
	if ((*out = tree_dup(ctx, b->data ? b->data : "", b->len)) == NULL)
		return (-1);
	return (0);
}

/*
 * part_params - boundary and charset from the parameter list of a
 * well-formed Content-Type, which starts at params
 */
static int
part_params(mime_ctx *ctx, mime_part *p, const char *params)
{
	const char *s;
	size_t  n;

	if (strncmp(p->ctype, "multipart/", 10) == 0) {
		if (part_param(ctx, params, "boundary", &p->boundary) < 0)
			return (-1);
		if (p->boundary && p->boundary[0] == 0)
			p->boundary = NULL;
	}
	if (part_param(ctx, params, "charset", &p->charset) < 0)
		return (-1);
	if (p->charset) {
		s = p->charset;
		n = strlen(s);
		text_trim(&s, &n);
		memmove(p->charset, s, n);
		p->charset[n] = 0;
		text_lower(p->charset);
	}
	return (0);
}

/*
 * part_ctype - the type/subtype of ct as a string of the tree, or NULL
 * when ct is malformed; *params is where the parameters start
 */
static int
part_ctype(mime_ctx *ctx, mime_part *p, const char *ct, const char **params)
{
	const char *type, *sub;
	size_t  tlen, slen;

	if ((*params = ctype_scan(ct, &type, &tlen, &sub, &slen)) == NULL)
		return (0);
	if ((p->ctype = tree_alloc(ctx, tlen + slen + 2)) == NULL)
		return (-1);
	(void) ctype_copy(p->ctype, type, tlen, sub, slen);
	return (0);
}

/* part_headers - find the header block and read the MIME fields */
static int
part_headers(mime_ctx *ctx, mime_part *p, const char *dflt)
{
	char   *ct, *cte;
	const char *params = NULL;

	if (part_fields(ctx, p, &ct, &cte) < 0)
		return (-1);
	if (ct != NULL && part_ctype(ctx, p, ct, &params) < 0)
		return (-1);
	if (p->ctype != NULL) {
		if (part_params(ctx, p, params) < 0)
			return (-1);
	} else if ((p->ctype = tree_dup(ctx, dflt, strlen(dflt))) == NULL)
		return (-1);
	if (cte != NULL && token_lower(ctx, cte, &p->cte) < 0)
		return (-1);
	return (0);
}

/*
 * delim_kind - is the line at ls a delimiter for boundary b, given that
 * m[ls..ls + 2 + blen) is "--" and b (which holds no line break): after
 * it only "--" (closing) and white space may stand before the line break
 * or e, whose offset goes to *le.
 */
static int
delim_kind(const char *m, size_t ls, size_t e, size_t blen, size_t *le)
{
	size_t  i = ls + 2 + blen;

	if (e - i >= 2 && m[i] == '-' && m[i + 1] == '-') {
		for (*le = i + 2; *le < e && WSP(m[*le]); (*le)++)
			 /* void */ ;
		if (*le == e || EOL(m[*le]))
			return (DELIM_CLOSE);
	}
	for (*le = i; *le < e && WSP(m[*le]); (*le)++)
		 /* void */ ;
	return (*le == e || EOL(m[*le]) ? DELIM_OPEN : DELIM_NONE);
}

/* next_byte - offset of the first c in m[i..e), e when none */
static size_t
next_byte(const char *m, size_t i, size_t e, int c)
{
	const char *q = memchr(m + i, c, e - i);

	return (q ? (size_t) (q - m) : e);
}

/*
 * The delimiter search of one multipart body m[i..e): the next LF and CR
 * found so far (NONE before the first search), each search resuming
 * after the last, so that finding line ends stays linear (even without
 * any LF).
 */
typedef struct delim_scan {
	const char *m;
	size_t  e;
	size_t  nl, cr;
} delim_scan;

/*
 * line_after - the start of the line after the one that holds k (after
 * k itself when it is a line break); k may not decrease from call to call
 */
static size_t
line_after(delim_scan *ds, size_t k)
{
	const char *m = ds->m;
	size_t  le;

	if (ds->nl == NONE || ds->nl < k)
		ds->nl = next_byte(m, k, ds->e, '\n');
	if (ds->cr == NONE || ds->cr < k)
		ds->cr = next_byte(m, k, ds->e, '\r');
	le = ds->nl < ds->cr ? ds->nl : ds->cr;
	return (le + (le < ds->e)
		+ (le + 1 < ds->e && m[le] == '\r' && m[le + 1] == '\n'));
}

/*
 * boundary_find - the first b[0..blen) in m[0..n): text_find() (sixteen
 * positions a step where the first and last bytes match) for a boundary
 * of RFC 2046's length at most, memmem() (linear whatever the bytes) for
 * a longer one, where text_find()'s compare at each position that
 * matches could cost up to blen bytes.
 */
#define BOUNDARY_MAX	70

static const char *
boundary_find(const char *m, size_t n, const char *b, size_t blen)
{
	if (blen <= BOUNDARY_MAX)
		return (text_find(m, n, b, blen));
	return (memmem(m, n, b, blen));
}

/*
 * delim_next - the next delimiter line at or after the line start i: the
 * boundary is found with boundary_find(), then "--" before it at a line start
 * and delim_kind() decide.  After a miss the search goes on at the line
 * after the one where that "--" would start (a delimiter there can start
 * no earlier), so a line full of the boundary is searched only once.
 * Returns the kind (DELIM_NONE: there is none more) with the line's start
 * and end in *ls and *le.
 */
static int
delim_next(delim_scan *ds, size_t i, const char *b, size_t blen,
	   size_t *ls, size_t *le)
{
	const char *q, *m = ds->m;
	size_t  k, e = ds->e;
	int     kind;

	while (i + 2 < e && e - i - 2 >= blen
	       && (q = boundary_find(m + i + 2, e - i - 2, b, blen)) != NULL) {
		k = (size_t) (q - m);
		*ls = k - 2;
		if (m[*ls] == '-' && m[*ls + 1] == '-'
		    && (*ls == i || EOL(m[*ls - 1]))
		    && (kind = delim_kind(m, *ls, e, blen, le)) != DELIM_NONE)
			return (kind);
		i = line_after(ds, *ls);
	}
	return (DELIM_NONE);
}

/* break_before - start of the line break before ls, not before lo */
static size_t
break_before(const char *m, size_t lo, size_t ls)
{
	if (ls > lo && m[ls - 1] == '\n') {
		ls--;
		if (ls > lo && m[ls - 1] == '\r')
			ls--;
	} else if (ls > lo && m[ls - 1] == '\r') {
		ls--;
	}
	return (ls);
}

static int part_build(mime_ctx *, mime_part *, const char *);

/* kid_build - add and build one kid; 0 to go on, -1 to stop */
static int
kid_build(mime_ctx *ctx, mime_part *p, size_t off, size_t end, int trunc)
{
	mime_part *kid;
	const char *dflt;

	if ((kid = part_new(ctx, p, off, end - off)) == NULL)
		return (-1);
	kid->truncated = trunc;
	dflt = strcmp(p->ctype, "multipart/digest") ? "text/plain"
		: "message/rfc822";
	return (part_build(ctx, kid, dflt));
}

/*
 * split - find the body parts of multipart p.  Only delimiter lines are
 * looked at (delim_next()); a boundary with a line break in it (RFC 2231
 * can encode one) never matches a line.
 */
static int
split(mime_ctx *ctx, mime_part *p)
{
	const char *m = ctx->msg;
	size_t  e = p->body_off + p->body_len, i = p->body_off, ls, le;
	size_t  start = NONE, blen = strlen(p->boundary);
	delim_scan ds;
	int     kind;

	if (strpbrk(p->boundary, "\r\n") != NULL)
		return (0);
	ds.m = m;
	ds.e = e;
	ds.nl = ds.cr = NONE;			/* not searched yet */
	while ((kind = delim_next(&ds, i, p->boundary, blen, &ls, &le))
	       != DELIM_NONE) {
		i = le + (le < e) + (le + 1 < e && m[le] == '\r' && m[le + 1] == '\n');
		if (start != NONE
		    && kid_build(ctx, p, start, break_before(m, start, ls), 0) < 0)
			return (-1);
		start = i;
		if (kind == DELIM_CLOSE)
			return (0);
	}
	if (start != NONE)
		return (kid_build(ctx, p, start, e, 1));
	return (0);
}

/* part_build - read p's headers, then its kids when depth allows */
static int
part_build(mime_ctx *ctx, mime_part *p, const char *dflt)
{
	mime_part *kid;

	if (part_headers(ctx, p, dflt) < 0) {
		ctx->nomem = 1;
		return (-1);
	}
	if ((size_t) p->depth >= ctx->lim->max_depth)
		return (0);
	if (strncmp(p->ctype, "multipart/", 10) == 0 && p->boundary)
		return (split(ctx, p));
	if (strcmp(p->ctype, "message/rfc822") == 0
	    || strcmp(p->ctype, "message/global") == 0) {
		if ((kid = part_new(ctx, p, p->body_off, p->body_len)) == NULL)
			return (-1);
		return (part_build(ctx, kid, "text/plain"));
	}
	return (0);
}

int
mime_parse(const char *msg, size_t len, const mime_limits *lim,
	   mime_part **root)
{
	static const mime_limits dflt = MIME_LIMITS_DEFAULT;
	mime_ctx ctx;

	*root = NULL;
	memset(&ctx, 0, sizeof(ctx));
	ctx.msg = msg ? msg : "";
	ctx.lim = lim ? lim : &dflt;
	buf_init(&ctx.ct);
	buf_init(&ctx.cte);
	buf_init(&ctx.val);
	buf_init(&ctx.param);
	if ((ctx.root = part_new(&ctx, NULL, 0, msg ? len : 0)) != NULL)
		(void) part_build(&ctx, ctx.root, "text/plain");
	free(ctx.fv);
	buf_free(&ctx.ct);
	buf_free(&ctx.cte);
	buf_free(&ctx.val);
	buf_free(&ctx.param);
	if (ctx.root == NULL || ctx.nomem) {
		chunks_free(ctx.chunks);
		return (MIME_NOMEM);
	}
	ctx.root->chunks = ctx.chunks;
	*root = ctx.root;
	return (MIME_OK);
}

/*
 * mime_free - all of the tree lies in the root's chunks (the root too, so
 * the list is taken first)
 */
void
mime_free(mime_part *root)
{
	if (root != NULL)
		chunks_free(root->chunks);
}

/* is_message - an enclosed message lies below this part */
static int
is_message(const mime_part *p)
{
	return (strcmp(p->ctype, "message/rfc822") == 0
		|| strcmp(p->ctype, "message/global") == 0);
}

/*
 * find - mime_find() with the length of ctype: a part's ctype is compared
 * only when its first byte matches
 */
static const mime_part *
find(const mime_part *p, const char *ctype, size_t n, int into_messages)
{
	const mime_part *hit;
	size_t  i;

	if (p->ctype && (p->ctype[0] | 0x20) == (ctype[0] | 0x20)
	    && text_ieq(ctype, n, p->ctype))
		return (p);
	if (!into_messages && p->ctype && p->ctype[0] == 'm' && is_message(p))
		return (NULL);
	for (i = 0; i < p->nkids; i++)
		if ((hit = find(p->kids[i], ctype, n, into_messages)) != NULL)
			return (hit);
	return (NULL);
}

const mime_part *
mime_find(const mime_part *root, const char *ctype, int into_messages)
{
	if (root == NULL)
		return (NULL);
	return (find(root, ctype, strlen(ctype), into_messages));
}
