/*
 * NAME
 *	template - choose a template, look up strings, expand placeholders
 * SYNOPSIS
 *	#include "template.h"
 * DESCRIPTION
 *	See template.h for the interface and dsnmilter-templates(5) for the
 *	file format; template_load.c reads the files.
 *
 *	Lookup.  Every match rule except "pattern" is a claim (class,
 *	subject, low, high) in one of six tables sorted at load time, so
 *	tmpl_select() looks claims up by binary search; pattern rules are
 *	tried in file order.
 *
 *	Thread safety.  A loaded set is never modified, so any number of
 *	threads may call tmpl_select(), tmpl_string() and tmpl_expand() on
 *	one set at once.  Compiled PCRE2 patterns and the match context are
 *	read-only during matching (pcre2api(3)); the match data, the only
 *	per-match state, is allocated per call.
 *
 *	Escaping.  Template text is trusted (the admin wrote it) and is
 *	plain text, not HTML: for TMPL_HTML it is escaped like the values,
 *	so "<" in a template shows as "<" in the browser.  Values come from
 *	the bounce: control characters are dropped for both outputs.
 */
#include <stdlib.h>
#include <string.h>

#include "classify.h"
#include "template_int.h"
#include "text.h"

/* claim_find - the claim covering (cls, subj, d) in a sorted table */
static const tmpl *
claim_find(const tmpl_set *s, int kind, int cls, int subj, int d)
{
	const claims *t = &s->c[kind];
	const claim *e;
	size_t  lo = 0, hi = t->n, mid;

	while (lo < hi) {			/* first entry above the key */
		mid = lo + (hi - lo) / 2;
		e = &t->v[mid];
		if (e->cls < cls || (e->cls == cls && (e->subj < subj
				     || (e->subj == subj && e->lo <= d))))
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0)
		return (NULL);
	e = &t->v[lo - 1];
	if (e->cls == cls && e->subj == subj && e->lo <= d && d <= e->hi)
		return (&s->t[e->t]);
	return (NULL);
}

/*
 * select_code - a code rule for the class given (wild = 0: exact code, then
 * range) or for any class (wild = 1: X-code, then X-range).  Patterns rank
 * between the two: a provider's phrase says more than the registry meaning.
 */
static const tmpl *
select_code(const tmpl_set *s, const claim *c, int wild)
{
	const tmpl *t;
	int     cls = wild ? 0 : c->cls;

	if (wild && c->cls == 0)
		return (NULL);		/* an X-code query was answered first */
	if ((t = claim_find(s, CLAIM_EXACT, cls, c->subj, c->lo)) != NULL)
		return (t);
	return (claim_find(s, CLAIM_RANGE, cls, c->subj, c->lo));
}

/* select_pattern - the first pattern, in file order, that matches */
static const tmpl *
select_pattern(const tmpl_set *s, const char *diagnostic)
{
	pcre2_match_data *md;
	const tmpl *t = NULL;
	size_t  i, len = strlen(diagnostic);

	if (s->npat == 0 || (md = pcre2_match_data_create(1, NULL)) == NULL)
		return (NULL);
	for (i = 0; i < s->npat && t == NULL; i++)
		if (pcre2_match(s->pat[i].re, (PCRE2_SPTR) diagnostic, len, 0, 0,
				md, s->mctx) >= 0)
			t = &s->t[s->pat[i].t];	/* limit errors: no match */
	pcre2_match_data_free(md);
	return (t);
}

/* parse_status - an enhanced status code, white space around allowed */
static int
parse_status(const char *status, claim *c)
{
	const char *p = status;
	size_t  n;

	if (status == NULL)
		return (-1);
	n = strlen(status);
	text_trim(&p, &n);
	return (n > 0 && tmpl_parse_code(p, n, 0, c) == NULL ? 0 : -1);
}

/* found - set *how */
static const tmpl *
found(const tmpl *t, tmpl_match m, tmpl_match *how)
{
	if (how)
		*how = m;
	return (t);
}

/*
 * overruled - the diagnostic text gave the recipient another reason than
 * its code gives, so the code's own template would explain the wrong
 * thing: a weak code (classify_weak_code(): x.7.1 "not authorized",
 * x.2.1, x.4.1, x.4.7, x.y.0) with any other reason ("550 5.7.1 No such
 * user!"), or a registry code with a reason that outranked it ("550
 * 5.1.1 mailbox full").  Provider codes (5.7.509, whose reason comes
 * from the subject only) keep their own templates.
 */
static int
overruled(const char *status, const char *reason)
{
	const char *own;

	if (classify_weak_code(status)) {
		own = classify_code_reason(status);
		return (own == NULL || strcmp(own, reason) != 0);
	}
	own = classify_code_reason_exact(status);
	return (own != NULL && strcmp(own, reason) != 0);
}

const tmpl *
tmpl_select(const tmpl_set *s, const char *status, const char *diagnostic,
	    const char *reason, tmpl_match *how)
{
	const tmpl *t;
	claim   c;
	int     code, named, known, vague, r;

	if (s == NULL)
		return (NULL);
	code = parse_status(status, &c) == 0;
	named = reason && *reason;
	known = named && strcmp(reason, "undefined") != 0
		&& !(code && c.cls == 4 && strcmp(reason, "expired") == 0);
	vague = code && c.cls != 2 && known
		&& ((c.subj == 0 && c.lo == 0) || overruled(status, reason));
	if (code && !vague && (t = select_code(s, &c, 0)) != NULL)
		return (found(t, TMPL_BY_CODE, how));
	if (diagnostic && *diagnostic && (t = select_pattern(s, diagnostic)))
		return (found(t, TMPL_BY_PATTERN, how));
	if (code && !vague && (t = select_code(s, &c, 1)) != NULL)
		return (found(t, TMPL_BY_CODE, how));
	if (named && (r = tmpl_reason_index(reason)) >= 0
	    && (t = claim_find(s, CLAIM_REASON, 0, r, 0)) != NULL)
		return (found(t, TMPL_BY_REASON, how));
	if (vague && ((t = select_code(s, &c, 0)) != NULL
		      || (t = select_code(s, &c, 1)) != NULL))
		return (found(t, TMPL_BY_CODE, how));
	if (code && ((t = claim_find(s, CLAIM_SUBJECT, c.cls, c.subj, 0))
		     || (c.cls && (t = claim_find(s, CLAIM_SUBJECT, 0, c.subj, 0)))))
		return (found(t, TMPL_BY_SUBJECT, how));
	if (code && c.cls && (t = claim_find(s, CLAIM_CLASS, c.cls, 0, 0)))
		return (found(t, TMPL_BY_CLASS, how));
	return (found(claim_find(s, CLAIM_DEFAULT, 0, 0, 0), TMPL_BY_DEFAULT,
		      how));
}

const char *
tmpl_string(const tmpl_set *s, const char *key)
{
	size_t  lo = 0, hi, mid;
	int     d;

	if (s == NULL || key == NULL)
		return (NULL);
	for (hi = s->nstr; lo < hi;) {
		mid = lo + (hi - lo) / 2;
		if ((d = strcmp(key, s->str[mid].key)) == 0)
			return (s->str[mid].value);
		if (d < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return (NULL);
}

const char *
tmpl_match_name(tmpl_match how)
{
	static const char *const names[] = {
		"code", "pattern", "reason", "subject", "class", "default"
	};

	if ((unsigned) how >= sizeof(names) / sizeof(names[0]))
		return ("unknown");
	return (names[how]);
}

/*
 * Bytes that put_escaped() does not copy, as bit sets over 0x00-0x3F (DEL
 * is tested apart): what HTML turns into entities, and the controls.
 */
#define ESC_HTML	((1ULL << '"') | (1ULL << '&') | (1ULL << '\'') \
			 | (1ULL << '<') | (1ULL << '>'))
#define ESC_CONTROLS	0xFFFFFFFFULL

/* plain_run - how many bytes of p[0..n) are copied as they are */
static size_t
plain_run(const char *p, size_t n, unsigned long long stop, int drop)
{
	size_t  i;
	unsigned char c;

	for (i = 0; i < n; i++) {
		c = (unsigned char) p[i];
		if (c < 0x40 ? (stop >> c) & 1 : c == 0x7f && drop)
			break;
	}
	return (i);
}

/* put_escaped - n bytes of p; controls dropped if drop; HTML entities */
static int
put_escaped(buf *out, const char *p, size_t n, tmpl_escape esc, int drop)
{
	unsigned long long stop = (esc == TMPL_HTML ? ESC_HTML : 0)
	| (drop ? ESC_CONTROLS : 0);
	const char *ent;
	size_t  i, run;
	int     rc = 0;

	for (i = 0; i < n; i += run + 1) {
		run = plain_run(p + i, n - i, stop, drop);
		rc |= buf_add(out, p + i, run);
		if (i + run >= n)
			break;
		switch (p[i + run]) {
		case '&': ent = "&amp;"; break;
		case '<': ent = "&lt;"; break;
		case '>': ent = "&gt;"; break;
		case '"': ent = "&quot;"; break;
		case '\'': ent = "&#39;"; break;
		default: ent = ""; break;	/* a dropped control */
		}
		rc |= buf_puts(out, ent);
	}
	return (rc);
}

/* var_value - the value of placeholder i, "" when unset */
static const char *
var_value(const tmpl_vars *v, int i)
{
	const char *val;

	if (v == NULL)
		return ("");
	val = *(const char *const *) ((const char *) v + tmpl_names[i].off);
	return (val ? val : "");
}

int
tmpl_expand(const char *text, const tmpl_vars *v, tmpl_escape esc, buf *out)
{
	const char *p = text, *val;
	size_t  run, n;
	int     rc = 0, i;

	if (text == NULL)
		return (0);
	while (*p) {
		run = strcspn(p, "{");
		rc |= put_escaped(out, p, run, esc, 0);
		p += run;
		if (*p == 0)
			break;
		n = strcspn(p + 1, "{}");
		i = p[1 + n] == '}' ? tmpl_placeholder(p + 1, n) : -1;
		if (p[1] == '{') {
			rc |= buf_putc(out, '{');
			p += 2;
		} else if (i >= 0) {
			val = var_value(v, i);
			rc |= put_escaped(out, val, strlen(val), esc, 1);
			p += n + 2;
		} else {
			rc |= buf_putc(out, '{');	/* text not validated */
			p++;
		}
	}
	return (rc ? -1 : 0);
}

void
tmpl_free(tmpl_set *s)
{
	size_t  i, j;

	if (s == NULL)
		return;
	for (i = 0; i < s->nt; i++) {
		free(s->t[i].name);
		free(s->t[i].cause);
		for (j = 0; j < s->t[i].nfix; j++)
			free(s->t[i].fix[j]);
		free(s->t[i].fix);
		free(s->t[i].admin);
	}
	free(s->t);
	for (i = 0; i < s->nfiles; i++)
		free(s->files[i]);
	free(s->files);
	for (i = 0; i < CLAIM_KINDS; i++)
		free(s->c[i].v);
	for (i = 0; i < s->npat; i++)
		pcre2_code_free(s->pat[i].re);
	free(s->pat);
	for (i = 0; i < s->nstr; i++) {
		free(s->str[i].key);
		free(s->str[i].value);
	}
	free(s->str);
	pcre2_match_context_free(s->mctx);
	free(s);
}
