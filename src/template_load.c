/*
 * NAME
 *	template_load - read and validate the explanation templates
 * SYNOPSIS
 *	#include "template_int.h"
 * DESCRIPTION
 *	See template.h for the interface and dsnmilter-templates(5) for the
 *	file format.  Loading builds the set completely to one side: every
 *	problem is reported as "FILE:LINE: problem" (up to TMPL_MAX_ERRORS)
 *	and any problem makes tmpl_load() return NULL.
 *
 *	Each match rule except "pattern" becomes a claim in one of six
 *	tables (template_int.h), sorted here once; sorting also finds every
 *	code claimed twice and every pair of overlapping ranges (adjacent
 *	after sorting).  Class X is stored as class 0; a reason claim keeps
 *	its index in classify_reasons[] as subject.
 * DIAGNOSTICS
 *	tmpl_load() appends one line per problem to err; "out of memory"
 *	when an allocation failed.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "classify.h"
#include "template_int.h"
#include "text.h"
#include "utf8.h"

#define TMPL_MAX_LINE		4096	/* bytes per line */
#define TMPL_MAX_VALUE		65536	/* bytes per joined field value */
#define TMPL_MAX_TEMPLATES	10000
#define TMPL_MAX_FIX		4	/* fix steps per template */
#define TMPL_MAX_FILES		10000
#define TMPL_MAX_FILE_SIZE	(16 * 1024 * 1024)
#define TMPL_MAX_ERRORS		200
#define TMPL_STRINGS_REQUIRED	1	/* a language needs its strings file */
#define TMPL_QUOTE_MAX		64	/* input bytes quoted in an error */

/* The placeholders, in the order of tmpl_vars. */
const tmpl_name tmpl_names[] = {
	{"recipient", offsetof(tmpl_vars, recipient)},
	{"domain", offsetof(tmpl_vars, domain)},
	{"status", offsetof(tmpl_vars, status)},
	{"reply_code", offsetof(tmpl_vars, reply_code)},
	{"remote_mta", offsetof(tmpl_vars, remote_mta)},
	{"reporting_mta", offsetof(tmpl_vars, reporting_mta)},
	{"diagnostic", offsetof(tmpl_vars, diagnostic)},
	{"organization", offsetof(tmpl_vars, organization)},
	{"helpdesk", offsetof(tmpl_vars, helpdesk)},
	{"retry_until", offsetof(tmpl_vars, retry_until)},
};

const size_t tmpl_nnames = sizeof(tmpl_names) / sizeof(tmpl_names[0]);

/* Template file keys. */
enum {
	KEY_TEMPLATE, KEY_MATCH, KEY_OWNER, KEY_CAUSE, KEY_FIX, KEY_ADMIN
};

static const char *const tmpl_keys[] = {
	"template", "match", "owner", "cause", "fix", "admin", NULL
};

/* The loader: what is being read now, and the error list. */
typedef struct loader {
	tmpl_set *s;
	buf    *err;
	size_t  nerr;
	int     nomem;
	char   *file;			/* current file (owned by s->files) */
	char   *langdir;		/* DIR/LANGUAGE */
	long    cur;			/* current template; -1 none, -2 skip */
	int     too_many;		/* TMPL_MAX_TEMPLATES reached */
	unsigned seen;			/* 1 << KEY_ of its fields, even bad */
	size_t  seq;
} loader;

typedef void (*field_fn) (loader *, const char *, size_t, const char *, int);

/* load_nomem - remember that memory ran out */
static void
load_nomem(loader *L)
{
	if (!L->nomem && L->err)
		buf_puts(L->err, "out of memory\n");
	L->nomem = 1;
}

/* load_err_at - append "FILE:LINE: problem" (no LINE when 0) */
__attribute__((format(printf, 4, 5)))
static void
load_err_at(loader *L, const char *file, int line, const char *fmt, ...)
{
	va_list ap;
	int     n;
	char   *msg;

	if (++L->nerr > TMPL_MAX_ERRORS) {
		if (L->nerr == TMPL_MAX_ERRORS + 1 && L->err)
			buf_puts(L->err, "too many errors, not listing more\n");
		return;
	}
	if (L->err == NULL)
		return;
	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || (msg = malloc((size_t) n + 1)) == NULL) {
		load_nomem(L);
		return;
	}
	va_start(ap, fmt);
	vsnprintf(msg, (size_t) n + 1, fmt, ap);
	va_end(ap);
	if (line > 0)
		buf_printf(L->err, "%s:%d: %s\n", file, line, msg);
	else
		buf_printf(L->err, "%s: %s\n", file, msg);
	free(msg);
}

#define load_err(L, line, ...) load_err_at((L), (L)->file, (line), __VA_ARGS__)

/* quote - printable, bounded copy of input for an error message */
static const char *
quote(char *q, size_t qsize, const char *p, size_t n)
{
	size_t  i, o = 0;

	for (i = 0; i < n && o + 4 < qsize; i++) {
		unsigned char c = (unsigned char) p[i];

		q[o++] = (c >= 0x20 && c < 0x7f) || c >= 0x80 ? (char) c : '?';
	}
	if (i < n) {
		while (o > 0 && ((unsigned char) q[o - 1] & 0xc0) == 0x80)
			o--;			/* do not cut a UTF-8 sequence */
		if (o > 0 && (unsigned char) q[o - 1] >= 0xc0)
			o--;
		memcpy(q + o, "...", 3);
		o += 3;
	}
	q[o] = 0;
	return (q);
}

#define QUOTE(q, p, n) quote((q), sizeof(q), (p), (n))

/* grow - room for one more element of size sz in *v */
static int
grow(void **v, size_t *cap, size_t n, size_t sz)
{
	size_t  ncap;
	void   *p;

	if (n < *cap)
		return (0);
	ncap = *cap ? *cap * 2 : 16;
	if (ncap > ((size_t) -1) / 2 / sz)
		return (-1);
	if ((p = realloc(*v, ncap * sz)) == NULL)
		return (-1);
	*v = p;
	*cap = ncap;
	return (0);
}

/* line_ok - report a line that is too long, not UTF-8, or holds NUL */
static int
line_ok(loader *L, int lineno, const char *line, size_t n)
{
	size_t  i, k;

	if (n > TMPL_MAX_LINE) {
		load_err(L, lineno, "line longer than %d bytes", TMPL_MAX_LINE);
		return (0);
	}
	for (i = 0; i < n; i += k) {
		if (line[i] == 0) {
			load_err(L, lineno, "NUL byte in line");
			return (0);
		}
		if ((k = utf8_decode((const unsigned char *) line + i, n - i, NULL)) == 0) {
			load_err(L, lineno, "not valid UTF-8 (byte %zu)", i + 1);
			return (0);
		}
	}
	return (1);
}

/* placeholder_index - index of {name} in tmpl_names, -1 if unknown */
int
tmpl_placeholder(const char *name, size_t n)
{
	size_t  i;

	for (i = 0; i < tmpl_nnames; i++)
		if (strlen(tmpl_names[i].name) == n
		    && memcmp(tmpl_names[i].name, name, n) == 0)
			return ((int) i);
	return (-1);
}

/* check_placeholders - every { starts {{ or a known {name} */
static void
check_placeholders(loader *L, int line, const char *what, const char *s)
{
	const char *p = s;
	size_t  n;
	char    q[TMPL_QUOTE_MAX + 4];

	while ((p = strchr(p, '{')) != NULL) {
		if (p[1] == '{') {
			p += 2;
			continue;
		}
		n = strcspn(p + 1, "{}");
		if (p[1 + n] != '}') {
			load_err(L, line, "unbalanced { in %s (write {{ for "
				 "a literal {)", what);
			p++;
			continue;
		}
		if (tmpl_placeholder(p + 1, n) < 0)
			load_err(L, line, "unknown placeholder {%s} in %s",
				 QUOTE(q, p + 1, n), what);
		p += n + 2;
	}
}

/* parse_num - 1 to 3 digits at *p, advancing it; -1 when not a number */
static int
parse_num(const char **p, const char *end)
{
	int     v = 0, digits = 0;

	while (*p < end && **p >= '0' && **p <= '9') {
		if (++digits > 3)
			return (-1);
		v = v * 10 + (**p - '0');
		(*p)++;
	}
	return (digits ? v : -1);
}

/* parse_class - 2, 4, 5, or X/x as 0; -1 otherwise */
static int
parse_class(const char **p, const char *end, int allow_x)
{
	int     c;

	if (*p >= end || (*p + 1 < end && (*p)[1] >= '0' && (*p)[1] <= '9'))
		return (-1);
	c = **p;
	if (c == '2' || c == '4' || c == '5') {
		(*p)++;
		return (c - '0');
	}
	if (allow_x && (c == 'X' || c == 'x')) {
		(*p)++;
		return (0);
	}
	return (-1);
}

/* parse_code - CLASS.SUBJECT.DETAIL[-HIGH]; NULL or the problem */
const char *
tmpl_parse_code(const char *p, size_t n, int allow_range, claim *c)
{
	const char *end = p + n;

	if ((c->cls = parse_class(&p, end, 1)) < 0)
		return ("class must be 2, 4, 5 or X");
	if (p >= end || *p++ != '.')
		return ("expected CLASS.SUBJECT.DETAIL");
	if ((c->subj = parse_num(&p, end)) < 0)
		return ("subject must be a number 0-999");
	if (p >= end || *p++ != '.')
		return ("expected CLASS.SUBJECT.DETAIL");
	if ((c->lo = parse_num(&p, end)) < 0)
		return ("detail must be a number 0-999");
	c->hi = c->lo;
	if (allow_range && p < end && *p == '-') {
		p++;
		if ((c->hi = parse_num(&p, end)) < 0)
			return ("range end must be a number 0-999");
		if (c->lo > c->hi)
			return ("range start is above its end");
	}
	if (p != end)
		return ("unexpected text after the code");
	return (NULL);
}

/* parse_subject - CLASS.SUBJECT; NULL or the problem */
static const char *
parse_subject(const char *p, size_t n, claim *c)
{
	const char *end = p + n;

	if ((c->cls = parse_class(&p, end, 1)) < 0)
		return ("class must be 2, 4, 5 or X");
	if (p >= end || *p++ != '.')
		return ("expected CLASS.SUBJECT");
	if ((c->subj = parse_num(&p, end)) < 0)
		return ("subject must be a number 0-999");
	if (p != end)
		return ("unexpected text after the subject");
	return (NULL);
}

/* reason_index - index of a vocabulary reason word, -1 if unknown */
int
tmpl_reason_index(const char *word)
{
	int     i;

	for (i = 0; classify_reasons[i]; i++)
		if (strcmp(classify_reasons[i], word) == 0)
			return (i);
	return (-1);
}

/* claim_add - record a rule of the current template */
static void
claim_add(loader *L, int kind, const claim *c, int line)
{
	claims *t = &L->s->c[kind];

	if (grow((void **) &t->v, &t->cap, t->n, sizeof(*t->v)) < 0) {
		load_nomem(L);
		return;
	}
	t->v[t->n] = *c;
	t->v[t->n].line = line;
	t->v[t->n].t = (size_t) L->cur;
	t->v[t->n].seq = L->seq++;
	t->n++;
}

/* pattern_compile - /REGEX/ or /REGEX/i; the compiled code or NULL */
static pcre2_code *
pattern_compile(loader *L, int line, const char *p, size_t n)
{
	const char *slash = NULL;
	uint32_t opts = PCRE2_UTF;
	PCRE2_UCHAR msg[256];
	PCRE2_SIZE off;
	pcre2_code *re;
	int     code;
	size_t  i;

	for (i = n; i > 1 && slash == NULL; i--)
		if (p[i - 1] == '/')
			slash = p + i - 1;
	if (n < 2 || p[0] != '/' || slash == NULL) {
		load_err(L, line, "pattern must be written /REGEX/ or /REGEX/i");
		return (NULL);
	}
	if (slash == p + 1) {
		load_err(L, line, "empty pattern");
		return (NULL);
	}
	if (p + n - slash - 1 == 1 && slash[1] == 'i')
		opts |= PCRE2_CASELESS;
	else if (slash + 1 != p + n) {
		load_err(L, line, "unknown pattern flag after /REGEX/ "
			 "(only i is allowed)");
		return (NULL);
	}
#ifdef PCRE2_MATCH_INVALID_UTF
	opts |= PCRE2_MATCH_INVALID_UTF;	/* diagnostics are hostile */
#endif
	re = pcre2_compile((PCRE2_SPTR) p + 1, (size_t) (slash - p - 1), opts,
			   &code, &off, NULL);
	if (re == NULL) {
		pcre2_get_error_message(code, msg, sizeof(msg));
		load_err(L, line, "bad pattern: %s at offset %zu",
			 (const char *) msg, (size_t) off);
		return (NULL);
	}
	(void) pcre2_jit_compile(re, PCRE2_JIT_COMPLETE);	/* optional */
	return (re);
}

/* rule_pattern - add a pattern rule of the current template */
static void
rule_pattern(loader *L, int line, const char *p, size_t n)
{
	tmpl_set *s = L->s;
	pcre2_code *re;

	if ((re = pattern_compile(L, line, p, n)) == NULL)
		return;
	if (grow((void **) &s->pat, &s->patcap, s->npat, sizeof(*s->pat)) < 0) {
		pcre2_code_free(re);
		load_nomem(L);
		return;
	}
	s->pat[s->npat].re = re;
	s->pat[s->npat].t = (size_t) L->cur;
	s->npat++;
}

/* rule_claim - parse the argument of a claiming rule; NULL or problem */
static const char *
rule_claim(const char *kw, const char *arg, size_t n, int *kind, claim *c)
{
	char    word[64];
	const char *why = NULL;

	memset(c, 0, sizeof(*c));
	if (strcmp(kw, "code") == 0) {
		why = tmpl_parse_code(arg, n, 1, c);
		*kind = c->lo == c->hi && memchr(arg, '-', n) == NULL
			? CLAIM_EXACT : CLAIM_RANGE;
	} else if (strcmp(kw, "subject") == 0) {
		why = parse_subject(arg, n, c);
		*kind = CLAIM_SUBJECT;
	} else if (strcmp(kw, "class") == 0) {
		*kind = CLAIM_CLASS;
		if ((c->cls = parse_class(&arg, arg + n, 0)) < 0 || n != 1)
			why = "class must be 2, 4 or 5";
	} else if (strcmp(kw, "reason") == 0) {
		*kind = CLAIM_REASON;
		if (n >= sizeof(word))
			return ("unknown reason (see dsnmilter-templates(5))");
		memcpy(word, arg, n);
		word[n] = 0;
		if (classify_reason_word(word) == NULL
		    || (c->subj = tmpl_reason_index(word)) < 0)
			why = "unknown reason (see dsnmilter-templates(5))";
	} else {
		*kind = CLAIM_DEFAULT;
		if (n != 0)
			why = "default takes no argument";
	}
	return (why);
}

/* field_match - parse one match rule */
static void
field_match(loader *L, int line, const char *val)
{
	static const char *const kws[] = {
		"code", "pattern", "reason", "subject", "class", "default", NULL
	};
	size_t  kwlen = strcspn(val, " \t"), n, i;
	const char *arg = val + kwlen, *why;
	char    q[TMPL_QUOTE_MAX + 4];
	claim   c;
	int     kind;

	n = strlen(arg);
	text_trim(&arg, &n);
	for (i = 0; kws[i]; i++)
		if (strlen(kws[i]) == kwlen && memcmp(kws[i], val, kwlen) == 0)
			break;
	if (kws[i] == NULL) {
		load_err(L, line, "unknown match rule \"%s\" (code, pattern, "
			 "reason, subject, class or default)",
			 QUOTE(q, val, kwlen));
		return;
	}
	if (strcmp(kws[i], "pattern") == 0) {
		rule_pattern(L, line, arg, n);
		return;
	}
	if ((why = rule_claim(kws[i], arg, n, &kind, &c)) != NULL) {
		load_err(L, line, "%s \"%s\": %s", kws[i], QUOTE(q, arg, n), why);
		return;
	}
	claim_add(L, kind, &c, line);
}

/* owner_list - "sender, sender-admin, recipient or none" */
static void
owner_list(buf *b)
{
	size_t  i;

	for (i = 0; classify_owners[i]; i++) {
		if (i > 0)
			buf_puts(b, classify_owners[i + 1] ? ", " : " or ");
		buf_puts(b, classify_owners[i]);
	}
}

/* field_owner - the fix-it owner word */
static void
field_owner(loader *L, tmpl *t, int line, const char *val)
{
	char    q[TMPL_QUOTE_MAX + 4];
	buf     list;

	if (t->owner != NULL) {
		load_err(L, line, "owner given twice");
		return;
	}
	if ((t->owner = classify_owner_word(val)) != NULL)
		return;
	buf_init(&list);
	owner_list(&list);
	load_err(L, line, "unknown owner \"%s\" (%s)",
		 QUOTE(q, val, strlen(val)), list.data ? list.data : "");
	buf_free(&list);
}

/* field_text - cause, admin: once each; fix: up to TMPL_MAX_FIX times */
static void
field_text(loader *L, tmpl *t, int key, int line, const char *val)
{
	char  **slot = key == KEY_CAUSE ? &t->cause : &t->admin;
	char  **fix;

	if (*val == 0) {
		load_err(L, line, "empty %s", tmpl_keys[key]);
		return;
	}
	check_placeholders(L, line, tmpl_keys[key], val);
	if (key == KEY_FIX) {
		if (t->nfix == TMPL_MAX_FIX) {
			load_err(L, line, "more than %d fix steps", TMPL_MAX_FIX);
			return;
		}
		if ((fix = realloc(t->fix, (t->nfix + 2) * sizeof(*fix))) == NULL)
			goto nomem;
		t->fix = fix;
		slot = &fix[t->nfix];
		fix[t->nfix + 1] = NULL;
	} else if (*slot != NULL) {
		load_err(L, line, "%s given twice", tmpl_keys[key]);
		return;
	}
	if ((*slot = strdup(val)) == NULL)
		goto nomem;
	if (key == KEY_FIX)
		t->nfix++;
	return;
nomem:
	load_nomem(L);
}

/* tmpl_end - check the current template for missing fields */
static void
tmpl_end(loader *L)
{
	tmpl   *t;
	int     k;

	if (L->cur < 0)
		return;
	t = &L->s->t[L->cur];
	for (k = KEY_MATCH; tmpl_keys[k]; k++)
		if (!(L->seen & (1u << k)))
			load_err(L, t->line, "template %s: missing %s", t->name,
				 tmpl_keys[k]);
	L->cur = -1;
}

/* name_ok - [a-z0-9][a-z0-9._-]* */
static int
name_ok(const char *p)
{
	if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9')))
		return (0);
	for (p++; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9')
		      || *p == '.' || *p == '_' || *p == '-'))
			return (0);
	return (1);
}

/* tmpl_begin - a template: line ends the previous template */
static void
tmpl_begin(loader *L, int line, const char *val)
{
	tmpl_set *s = L->s;
	char    q[TMPL_QUOTE_MAX + 4], *name;
	tmpl   *t;

	tmpl_end(L);
	L->cur = -2;				/* skip its fields */
	if (s->nt >= TMPL_MAX_TEMPLATES) {
		if (!L->too_many)
			load_err(L, line, "more than %d templates",
				 TMPL_MAX_TEMPLATES);
		L->too_many = 1;
		return;
	}
	if (grow((void **) &s->t, &s->tcap, s->nt, sizeof(*s->t)) < 0
	    || (name = strdup(val)) == NULL) {
		load_nomem(L);
		return;
	}
	t = memset(&s->t[s->nt], 0, sizeof(*t));
	t->name = name;
	t->file = L->file;
	t->line = line;
	L->cur = (long) s->nt++;
	L->seen = 0;
	if (!name_ok(name))
		load_err(L, line, "bad template name \"%s\" (use a-z, 0-9, "
			 ". _ -; start with a letter or digit)",
			 QUOTE(q, val, strlen(val)));
}

/* tmpl_field - apply one complete field of a template file */
static void
tmpl_field(loader *L, const char *key, size_t klen, const char *val,
	   int line)
{
	char    q[TMPL_QUOTE_MAX + 4];
	int     k;

	for (k = 0; tmpl_keys[k]; k++)
		if (strlen(tmpl_keys[k]) == klen
		    && memcmp(tmpl_keys[k], key, klen) == 0)
			break;
	if (tmpl_keys[k] == NULL) {
		load_err(L, line, "unknown key \"%s\" (template, match, owner, "
			 "cause, fix or admin)", QUOTE(q, key, klen));
		return;
	}
	if (k == KEY_TEMPLATE) {
		tmpl_begin(L, line, val);
		return;
	}
	if (L->cur == -2)
		return;
	if (L->cur < 0) {
		load_err(L, line, "%s: before any template: line", tmpl_keys[k]);
		return;
	}
	L->seen |= 1u << k;
	if (k == KEY_MATCH)
		field_match(L, line, val);
	else if (k == KEY_OWNER)
		field_owner(L, &L->s->t[L->cur], line, val);
	else
		field_text(L, &L->s->t[L->cur], k, line, val);
}

/* split_key - "key: value" into its parts; 0 when there is no colon */
static int
split_key(const char *line, size_t n, size_t *klen, const char **v,
	  size_t *vlen)
{
	const char *colon = memchr(line, ':', n);

	if (colon == NULL)
		return (0);
	*klen = (size_t) (colon - line);
	while (*klen > 0 && (line[*klen - 1] == ' ' || line[*klen - 1] == '\t'))
		(*klen)--;
	*v = colon + 1;
	*vlen = n - (size_t) (colon + 1 - line);
	text_trim(v, vlen);
	return (1);
}

/* walk_append - add to the pending value, bounded */
static int
walk_append(loader *L, int line, buf *val, const char *p, size_t n)
{
	if (val->len + n + 1 > TMPL_MAX_VALUE) {
		load_err(L, line, "value longer than %d bytes", TMPL_MAX_VALUE);
		return (-1);
	}
	if ((val->len > 0 && buf_putc(val, ' ') < 0) || buf_add(val, p, n) < 0) {
		load_nomem(L);
		return (-1);
	}
	return (0);
}

/* walk_key - start a field from a key line; 1 pending, -1 discard */
static int
walk_key(loader *L, int lineno, const char *line, size_t n,
	 const char **key, size_t *klen, buf *val)
{
	const char *v;
	size_t  vlen;

	buf_reset(val);
	if (!split_key(line, n, klen, &v, &vlen)) {
		load_err(L, lineno, "expected KEY: VALUE");
		return (-1);
	}
	*key = line;
	return (walk_append(L, lineno, val, v, vlen) < 0 ? -1 : 1);
}

/* walk_lines - call apply for each complete "key: value" field */
static void
walk_lines(loader *L, const char *data, size_t len, field_fn apply)
{
	size_t  pos = 0, n, klen = 0;
	const char *line, *key = NULL;
	int     lineno = 0, kline = 0, state = 0;	/* 1 pending, -1 skip */
	buf     val;

	buf_init(&val);
	if (len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0)
		pos = 3;			/* UTF-8 byte order mark */
	while (text_line(data, len, &pos, &line, &n)) {
		if (!line_ok(L, ++lineno, line, n))
			continue;
		if (n > 0 && (line[0] == ' ' || line[0] == '\t')) {
			text_trim(&line, &n);
			if (n == 0 || state < 0)
				continue;
			if (state == 0)
				load_err(L, lineno, "continuation line without "
					 "a field before it");
			if (state == 0 || walk_append(L, lineno, &val, line, n) < 0)
				state = -1;
			continue;
		}
		if (n == 0 || line[0] == '#')
			continue;
		if (state > 0)
			apply(L, key, klen, val.data, kline);
		kline = lineno;
		state = walk_key(L, lineno, line, n, &key, &klen, &val);
	}
	if (state > 0)
		apply(L, key, klen, val.data, kline);
	buf_free(&val);
}

/* read_file - the whole regular file; 0, or -1 after an error */
static int
read_file(loader *L, const char *path, char **data, size_t *len)
{
	struct stat st;
	ssize_t got;
	int     fd;

	*data = NULL;
	errno = 0;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0 || fstat(fd, &st) < 0)
		goto sys;
	if (!S_ISREG(st.st_mode)) {
		load_err_at(L, path, 0, "not a regular file");
		goto out;
	}
	if (st.st_size > TMPL_MAX_FILE_SIZE) {
		load_err_at(L, path, 0, "larger than %d bytes", TMPL_MAX_FILE_SIZE);
		goto out;
	}
	if ((*data = malloc((size_t) st.st_size + 1)) == NULL) {
		load_nomem(L);
		goto out;
	}
	for (*len = 0; *len < (size_t) st.st_size; *len += (size_t) got)
		if ((got = read(fd, *data + *len, (size_t) st.st_size - *len)) <= 0)
			break;
	if (*len == (size_t) st.st_size) {
		close(fd);
		return (0);
	}
sys:
	load_err_at(L, path, 0, "cannot read: %s", errno ? strerror(errno)
		    : "file changed while reading");
out:
	free(*data);
	*data = NULL;
	if (fd >= 0)
		close(fd);
	return (-1);
}

/* load_file - read one template file (path is kept in s->files) */
static void
load_file(loader *L, char *path)
{
	tmpl_set *s = L->s;
	char   *data;
	size_t  len;

	if (grow((void **) &s->files, &s->fcap, s->nfiles, sizeof(char *)) < 0) {
		free(path);
		load_nomem(L);
		return;
	}
	s->files[s->nfiles++] = path;
	L->file = path;
	if (read_file(L, path, &data, &len) < 0)
		return;
	L->cur = -1;
	walk_lines(L, data, len, tmpl_field);
	tmpl_end(L);
	free(data);
}

/* str_cmp - qsort order of file names */
static int
str_cmp(const void *a, const void *b)
{
	return (strcmp(*(char *const *) a, *(char *const *) b));
}

/* list_dir - the sorted *.tmpl names in path; -1 when it cannot open */
static int
list_dir(loader *L, const char *path, char ***names, size_t *n)
{
	size_t  cap = 0, len;
	struct dirent *de;
	DIR    *d;

	*names = NULL;
	*n = 0;
	if ((d = opendir(path)) == NULL) {
		load_err_at(L, path, 0, "cannot open the template directory: "
			    "%s", strerror(errno));
		return (-1);
	}
	while ((de = readdir(d)) != NULL) {
		len = strlen(de->d_name);
		if (de->d_name[0] == '.' || len <= 5
		    || strcmp(de->d_name + len - 5, ".tmpl") != 0)
			continue;
		if (*n == TMPL_MAX_FILES) {
			load_err_at(L, path, 0, "more than %d *.tmpl files",
				    TMPL_MAX_FILES);
			break;
		}
		if (grow((void **) names, &cap, *n, sizeof(char *)) < 0
		    || ((*names)[*n] = strdup(de->d_name)) == NULL) {
			load_nomem(L);
			break;
		}
		(*n)++;
	}
	closedir(d);
	if (*n > 0)
		qsort(*names, *n, sizeof(char *), str_cmp);
	return (0);
}

/* load_dir - read every DIR/LANG/ *.tmpl in name order */
static int
load_dir(loader *L, const char *dir, const char *language)
{
	char  **names;
	size_t  n, i;
	buf     path;

	buf_init(&path);
	if (buf_printf(&path, "%s/%s", dir, language) < 0
	    || (L->langdir = buf_detach(&path)) == NULL) {
		load_nomem(L);
		return (-1);
	}
	if (list_dir(L, L->langdir, &names, &n) < 0)
		return (-1);
	if (n == 0 && !L->nomem)
		load_err_at(L, L->langdir, 0, "no *.tmpl files");
	for (i = 0; i < n; i++) {
		buf_reset(&path);
		if (buf_printf(&path, "%s/%s/%s", dir, language, names[i]) < 0)
			load_nomem(L);
		else
			load_file(L, buf_detach(&path));
		free(names[i]);
	}
	free(names);
	buf_free(&path);
	return (0);
}

/* key_ok - strings keys are [a-z0-9_]+ */
static int
key_ok(const char *p, size_t n)
{
	size_t  i;

	for (i = 0; i < n; i++)
		if (!((p[i] >= 'a' && p[i] <= 'z') || (p[i] >= '0' && p[i] <= '9')
		      || p[i] == '_'))
			return (0);
	return (n > 0);
}

/* str_field - apply one field of the strings file */
static void
str_field(loader *L, const char *key, size_t klen, const char *val, int line)
{
	tmpl_set *s = L->s;
	char    q[TMPL_QUOTE_MAX + 4];
	strent *e;

	if (!key_ok(key, klen)) {
		load_err(L, line, "bad key \"%s\" (use a-z, 0-9 and _)",
			 QUOTE(q, key, klen));
		return;
	}
	check_placeholders(L, line, "value", val);
	if (grow((void **) &s->str, &s->strcap, s->nstr, sizeof(*s->str)) < 0)
		goto nomem;
	e = &s->str[s->nstr];
	e->line = line;
	if ((e->key = text_dup(key, klen)) == NULL)
		goto nomem;
	if ((e->value = strdup(val)) == NULL) {
		free(e->key);
		goto nomem;
	}
	s->nstr++;
	return;
nomem:
	load_nomem(L);
}

/* strent_cmp - by key, then by line */
static int
strent_cmp(const void *a, const void *b)
{
	const strent *x = a, *y = b;
	int     d = strcmp(x->key, y->key);

	return (d ? d : (x->line > y->line) - (x->line < y->line));
}

/* load_strings - DIR/LANG/strings, sorted for lookup */
static void
load_strings(loader *L, const char *dir, const char *language)
{
	tmpl_set *s = L->s;
	char   *data, *path;
	size_t  len, i;
	buf     b;

	buf_init(&b);
	if (buf_printf(&b, "%s/%s/strings", dir, language) < 0
	    || (path = buf_detach(&b)) == NULL
	    || grow((void **) &s->files, &s->fcap, s->nfiles, sizeof(char *)) < 0) {
		buf_free(&b);
		load_nomem(L);
		return;
	}
	s->files[s->nfiles++] = path;
	L->file = path;
	if (access(path, F_OK) < 0 && errno == ENOENT) {
		if (TMPL_STRINGS_REQUIRED)
			load_err(L, 0, "missing (each language needs a strings "
				 "file with the fixed texts of the layout)");
		return;
	}
	if (read_file(L, path, &data, &len) < 0)
		return;
	walk_lines(L, data, len, str_field);
	free(data);
	if (s->nstr > 1)
		qsort(s->str, s->nstr, sizeof(*s->str), strent_cmp);
	for (i = 1; i < s->nstr; i++)
		if (strcmp(s->str[i].key, s->str[i - 1].key) == 0)
			load_err(L, s->str[i].line, "duplicate key \"%s\" (first "
				 "at line %d)", s->str[i].key, s->str[i - 1].line);
}

/* tmpl_ptr_cmp - by name, then definition order */
static int
tmpl_ptr_cmp(const void *a, const void *b)
{
	const tmpl *x = *(const tmpl *const *) a, *y = *(const tmpl *const *) b;
	int     d = strcmp(x->name, y->name);

	return (d ? d : (x > y) - (x < y));
}

/* check_names - every template name is used once */
static void
check_names(loader *L)
{
	tmpl_set *s = L->s;
	const tmpl **v, *a, *b;
	size_t  i;

	if (s->nt < 2)
		return;
	if ((v = malloc(s->nt * sizeof(*v))) == NULL) {
		load_nomem(L);
		return;
	}
	for (i = 0; i < s->nt; i++)
		v[i] = &s->t[i];
	qsort(v, s->nt, sizeof(*v), tmpl_ptr_cmp);
	for (i = 1; i < s->nt; i++) {
		a = v[i - 1];
		b = v[i];
		if (strcmp(a->name, b->name) == 0)
			load_err_at(L, b->file, b->line, "duplicate template name "
				    "%s (first at %s:%d)", b->name, a->file, a->line);
	}
	free(v);
}

/* claim_cmp - by class, subject, start, definition order */
static int
claim_cmp(const void *a, const void *b)
{
	const claim *x = a, *y = b;

	if (x->cls != y->cls)
		return (x->cls - y->cls);
	if (x->subj != y->subj)
		return (x->subj - y->subj);
	if (x->lo != y->lo)
		return (x->lo - y->lo);
	return ((x->seq > y->seq) - (x->seq < y->seq));
}

/* claim_text - the rule as written, for messages */
static void
claim_text(buf *b, int kind, const claim *c)
{
	char    cls = c->cls ? (char) ('0' + c->cls) : 'X';

	if (kind == CLAIM_EXACT)
		buf_printf(b, "code %c.%d.%d", cls, c->subj, c->lo);
	else if (kind == CLAIM_RANGE)
		buf_printf(b, "code %c.%d.%d-%d", cls, c->subj, c->lo, c->hi);
	else if (kind == CLAIM_REASON)
		buf_printf(b, "reason %s", classify_reasons[c->subj]);
	else if (kind == CLAIM_SUBJECT)
		buf_printf(b, "subject %c.%d", cls, c->subj);
	else if (kind == CLAIM_CLASS)
		buf_printf(b, "class %c", cls);
	else
		buf_puts(b, "default");
}

/* claim_conflict - report rule c that collides with the earlier rule o */
static void
claim_conflict(loader *L, int kind, const claim *c, const claim *o)
{
	const tmpl *t = &L->s->t[c->t], *ot = &L->s->t[o->t];
	buf     a, b;

	buf_init(&a);
	buf_init(&b);
	claim_text(&a, kind, c);
	claim_text(&b, kind, o);
	if (a.failed || b.failed)
		load_nomem(L);
	else if (kind == CLAIM_DEFAULT)
		load_err_at(L, t->file, c->line, "template %s: a second default "
			    "template (the first is template %s at %s:%d)",
			    t->name, ot->name, ot->file, o->line);
	else if (kind == CLAIM_RANGE)
		load_err_at(L, t->file, c->line, "template %s: %s overlaps %s of "
			    "template %s (%s:%d)", t->name, a.data, b.data,
			    ot->name, ot->file, o->line);
	else
		load_err_at(L, t->file, c->line, "template %s: %s already "
			    "claimed by template %s (%s:%d)", t->name, a.data,
			    ot->name, ot->file, o->line);
	buf_free(&a);
	buf_free(&b);
}

/* check_claims - sort each table; report codes claimed twice */
static void
check_claims(loader *L)
{
	claims *t;
	size_t  i, best;
	int     kind;

	for (kind = 0; kind < CLAIM_KINDS; kind++) {
		t = &L->s->c[kind];
		if (t->n < 2)
			continue;
		qsort(t->v, t->n, sizeof(*t->v), claim_cmp);
		for (best = 0, i = 1; i < t->n; i++) {
			if (t->v[i].cls == t->v[best].cls
			    && t->v[i].subj == t->v[best].subj) {
				if (t->v[i].lo <= t->v[best].hi)
					claim_conflict(L, kind, &t->v[i], &t->v[best]);
				if (t->v[i].hi <= t->v[best].hi)
					continue;
			}
			best = i;
		}
	}
}

/* language_ok - a plain directory name */
static int
language_ok(const char *p)
{
	if (p == NULL || *p == 0 || *p == '.')
		return (0);
	for (; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z')
		      || (*p >= '0' && *p <= '9') || *p == '_' || *p == '-'
		      || *p == '.' || *p == '@'))
			return (0);
	return (1);
}

/* set_new - an empty set with its match limits */
static tmpl_set *
set_new(void)
{
	tmpl_set *s;

	if ((s = calloc(1, sizeof(*s))) == NULL)
		return (NULL);
	if ((s->mctx = pcre2_match_context_create(NULL)) == NULL) {
		free(s);
		return (NULL);
	}
	pcre2_set_match_limit(s->mctx, TMPL_MATCH_LIMIT);
	pcre2_set_depth_limit(s->mctx, TMPL_DEPTH_LIMIT);
	return (s);
}

tmpl_set *
tmpl_load(const char *dir, const char *language, buf *err)
{
	loader  L;

	memset(&L, 0, sizeof(L));
	L.err = err;
	L.cur = -1;
	if ((L.s = set_new()) == NULL) {
		load_nomem(&L);
		return (NULL);
	}
	if (dir == NULL || !language_ok(language)) {
		load_err_at(&L, dir ? dir : "(null)", 0, "bad language name \"%s\"",
			    language ? language : "(null)");
		goto out;
	}
	if (load_dir(&L, dir, language) < 0)
		goto out;
	load_strings(&L, dir, language);
	check_names(&L);
	check_claims(&L);
	if (L.s->c[CLAIM_DEFAULT].n == 0 && L.s->nt > 0)
		load_err_at(&L, L.langdir, 0, "no default template (one "
			    "template needs \"match: default\")");
out:
	free(L.langdir);
	if (L.nerr == 0 && !L.nomem)
		return (L.s);
	tmpl_free(L.s);
	return (NULL);
}

