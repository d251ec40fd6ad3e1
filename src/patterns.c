/*
 * NAME
 *	patterns - diagnostic-text rules (PCRE2) that name a bounce reason
 * DESCRIPTION
 *	See patterns.h.  Speed: a diagnostic is matched against hundreds of
 *	rules, so each rule carries the literal words its regex cannot match
 *	without (one per top-level alternative, found by lit_of_branch()).
 *	Each such literal is indexed under its rarest trigram (the one the
 *	fewest literals of the set share: index_build()); patterns_match()
 *	scans the text once, looks up every trigram in that hash, compares
 *	the literals found there whole, marks the rules whose literal
 *	occurs, and runs only those regexes (plus the few rules without a
 *	usable literal).  Compiled code, the index and the match context
 *	are read-only after loading; match data is per thread.
 */
#define PCRE2_CODE_UNIT_WIDTH 8


#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <pcre2.h>

#include "classify.h"
#include "patterns.h"
#include "patterns_image.h"
#include "patterns_int.h"
#include "text.h"

#define MATCH_LIMIT	100000		/* backtracking steps per match */
#define DEPTH_LIMIT	2000
#define MIN_LITERAL	3		/* shorter literals do not filter */
#define MIN_LEAD	2		/* shorter leading literals do not anchor */
#define MAX_RULE_LINE	8192

static pcre2_code *rule_code(const pattern_set *s, struct rule *r);

void
patterns_no_jit(pattern_set *s)
{
	s->nojit = 1;
}

void
patterns_lazy(pattern_set *s)
{
	s->lazy = 1;
}

#define LOWER(c) ((c) >= 'A' && (c) <= 'Z' ? (c) + 32 : (c))

/* KEY - the trigram key of the bytes a, b, c */
#define KEY(a, b, c) ((uint32_t) (a) << 16 | (uint32_t) (b) << 8 | (uint32_t) (c))

/* bucket_of - the index bucket of a trigram key */
static size_t
bucket_of(uint32_t k)
{
	return ((size_t) ((uint32_t) (k * 2654435761u) >> (32 - NBUCKET_BITS)));
}

pattern_set *
patterns_new(void)
{
	pattern_set *s;
	size_t  i;

	if ((s = calloc(1, sizeof(*s))) == NULL)
		return (NULL);
	if ((s->mctx = pcre2_match_context_create(NULL)) == NULL) {
		free(s);
		return (NULL);
	}
	for (i = 0; i < NLOCK; i++)
		pthread_mutex_init(s->lock + i, NULL);
	pcre2_set_match_limit(s->mctx, MATCH_LIMIT);
	pcre2_set_depth_limit(s->mctx, DEPTH_LIMIT);
	return (s);
}

/*
 * patterns_clear - s without rules: every array it owns freed, counts
 * and the index emptied (its match context and locks stay)
 */
void
patterns_clear(pattern_set *s)
{
	size_t  i;

	for (i = 0; i < s->nrules; i++)
		if (s->rules[i].re != NULL)
			pcre2_code_free(s->rules[i].re);
	free(s->rules);
	free(s->lits);
	free(s->chars);
	free(s->probes);
	free(s->always);
	s->rules = NULL;
	s->lits = NULL;
	s->chars = NULL;
	s->probes = NULL;
	s->always = NULL;
	s->nrules = s->rcap = s->npub = s->nlits = s->lcap = 0;
	s->nchars = s->ccap = 0;
	memset(s->start, 0, sizeof(s->start));
	s->broken = 0;
}

void
patterns_free(pattern_set *s)
{
	size_t  i;

	if (s == NULL)
		return;
	patterns_clear(s);
	pcre2_match_context_free(s->mctx);
	for (i = 0; i < NLOCK; i++)
		pthread_mutex_destroy(s->lock + i);
	free(s);
}

int
patterns_compile_all(pattern_set *s, buf *err)
{
	size_t  i;
	int     bad = 0;

	for (i = 0; i < s->nrules; i++)
		if (rule_code(s, s->rules + i) == NULL) {
			buf_printf(err, "line %d: a regex does not compile\n",
				   s->rules[i].pub.line);
			bad++;
		}
	return (bad);
}

size_t
patterns_count(const pattern_set *s)
{
	return (s ? s->npub : 0);
}

/* ESC_LEN - the length of the escape at p[i]: "\cX" (control-X) has 3 */
#define ESC_LEN(p, n, i) ((i) + 2 < (n) && (p)[(i) + 1] == 'c' ? 3 : 2)

/*
 * posix_end - where a POSIX class "[:alpha:]" that starts at p[i] ends
 * (its ']'), or i when there is none and '[' is a plain byte: the rule
 * of PCRE2's check_posix_syntax() (a ']' or another "[:" first).
 */
static size_t
posix_end(const char *p, size_t n, size_t i)
{
	size_t  k;

	for (k = i + 2; k + 1 < n; k++) {
		if (p[k] == '\\' && (p[k + 1] == ']' || p[k + 1] == '\\'))
			k++;
		else if ((p[k] == '[' && p[k + 1] == ':') || p[k] == ']')
			return (i);
		else if (p[k] == ':' && p[k + 1] == ']')
			return (k + 1);
	}
	return (i);
}

/*
 * Literal extraction.  skip_class() and skip_group() step over a
 * character class or a parenthesised group (escapes and nested classes
 * respected) and return the index after it, or n when unbalanced.
 */
static size_t
skip_class(const char *p, size_t n, size_t i)
{
	i++;					/* '[' */
	if (i < n && p[i] == '^')
		i++;
	if (i < n && p[i] == ']')
		i++;
	while (i < n && p[i] != ']') {
		if (p[i] == '\\')
			i += ESC_LEN(p, n, i) - 1;
		else if (p[i] == '[' && i + 1 < n && p[i + 1] == ':')
			i = posix_end(p, n, i);	/* its ']', or the '[' */
		i++;
	}
	return (i < n ? i + 1 : n);
}

static size_t
skip_group(const char *p, size_t n, size_t i)
{
	int     depth = 0;

	while (i < n) {
		if (p[i] == '\\')
			i += ESC_LEN(p, n, i);
		else if (p[i] == '[')
			i = skip_class(p, n, i);
		else if (p[i] == '(' && i + 2 < n && (p[i + 1] == '*'
			 || (p[i + 1] == '?' && p[i + 2] == '#'))) {
			/*
			 * A comment or a verb such as "(*:NAME)": no escapes,
			 * no classes, ends at its ')'.  (Other "(*" are
			 * extended(): their rules are not analysed.)
			 */
			const char *e = memchr(p + i, ')', n - i);

			if (e == NULL)
				return (n);
			i = (size_t) (e - p) + 1;
			if (depth == 0)
				return (i);
		} else {
			if (p[i] == '(')
				depth++;
			else if (p[i] == ')' && --depth == 0)
				return (i + 1);
			i++;
		}
	}
	return (n);
}

/*
 * regex_meta[] - the bytes that atom_literal() does not take as a plain
 * literal (besides those below 0x20), and those that may start a
 * quantifier: one look-up per byte of a regex instead of a chain of
 * comparisons
 */
#define META_ATOM	1
#define META_QUANT	2

static const unsigned char regex_meta[256] = {
	['\\'] = META_ATOM, ['['] = META_ATOM, ['('] = META_ATOM,
	[')'] = META_ATOM, ['|'] = META_ATOM, ['.'] = META_ATOM,
	['^'] = META_ATOM, ['$'] = META_ATOM,
	['*'] = META_QUANT, ['?'] = META_QUANT, ['+'] = META_QUANT,
	['{'] = META_QUANT,
};

/* QUANT_START - whether p[i..n) may start a quantifier */
#define QUANT_START(p, n, i) \
	((i) < (n) && (regex_meta[(unsigned char) (p)[i]] & META_QUANT))

/* quantifier - length of a quantifier at p[i..n), 0 when none */
static size_t
quantifier(const char *p, size_t n, size_t i, int *optional)
{
	size_t  k = i;

	if (i >= n)
		return (0);
	if (p[i] == '*' || p[i] == '?' || p[i] == '+') {
		*optional = p[i] != '+';
		k++;
	} else if (p[i] == '{') {
		/*
		 * Only digits, commas and spaces make "{...}" a quantifier;
		 * otherwise PCRE2 reads '{' as a plain byte ("{[0-9]}").
		 */
		*optional = 1;			/* {0,n} is possible: be safe */
		for (k = i + 1; k < n && ((p[k] >= '0' && p[k] <= '9')
					   || p[k] == ',' || p[k] == ' '); k++)
			 /* void */ ;
		if (k >= n || p[k] != '}' || k == i + 1)
			return (0);
		k++;
	} else
		return (0);
	if (k < n && (p[k] == '?' || p[k] == '+'))
		k++;
	return (k - i);
}

typedef struct run {
	char    cur[256], best[256], lead[256];
	size_t  ncur, nbest, nlead;
	size_t  cur_at, best_at;		/* where the run starts in the branch */
} run;

static void
run_end(run *r)
{
	if (r->ncur > r->nbest) {
		memcpy(r->best, r->cur, r->ncur);
		r->nbest = r->ncur;
		r->best_at = r->cur_at;
	}
	if (r->ncur > 0 && r->cur_at == 0 && r->nlead == 0) {
		memcpy(r->lead, r->cur, r->ncur);
		r->nlead = r->ncur;
	}
	r->ncur = 0;
}

static void
run_add(run *r, char c)
{
	if (r->ncur < sizeof(r->cur))
		r->cur[r->ncur++] = (char) LOWER(c);
	else
		run_end(r);
}

/*
 * atom_literal - the literal byte of the atom at p[*i], advancing *i;
 * -1 for an atom that is not one literal byte (stepped over), -2 when
 * the branch is beyond this simple analysis.
 */
static int
atom_literal(const char *p, size_t n, size_t *i)
{
	unsigned char c = (unsigned char) p[*i];

	if (c >= 0x20 && !(regex_meta[c] & META_ATOM)) {
		(*i)++;				/* the common case */
		return (c);
	}
	if (c == '\\') {
		if (*i + 1 >= n)
			return (-2);
		c = (unsigned char) p[*i + 1];
		*i += 2;
		if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z')
		    || (c >= 'A' && c <= 'Z'))
			return (strchr("QxopPNcgkEu", c) ? -2 : -1);
		return (c < 0x80 ? c : -1);
	}
	if (c == '[') {
		*i = skip_class(p, n, *i);
		return (-1);
	}
	if (c == '(') {
		*i = skip_group(p, n, *i);
		return (-1);
	}
	(*i)++;
	if (c == ')' || c == '|')
		return (-2);
	/*
	 * Bytes of 0x80 and up are literals too: rules are compiled without
	 * PCRE2_UTF, so caseless matching folds ASCII letters only and a
	 * UTF-8 "ящик" matches byte for byte.
	 */
	if (c == '.' || c == '^' || c == '$' || c < 0x20)
		return (-1);
	return (c);
}

/*
 * lit_of_branch - the longest required literal of a branch into r, and
 * the literal it starts with (r->lead; r->best_at is 0 when the same).
 */
static int
lit_of_branch(const char *p, size_t n, run *r)
{
	size_t  i = 0, q, at;
	int     c, optional = 0;

	r->ncur = r->nbest = r->nlead = 0;
	r->cur_at = r->best_at = 0;
	while (i < n) {
		at = i;
		if ((c = atom_literal(p, n, &i)) == -2)
			return (-1);
		q = QUANT_START(p, n, i) ? quantifier(p, n, i, &optional) : 0;
		if (c >= 0 && (q == 0 || !optional)) {
			if (r->ncur == 0)
				r->cur_at = at;
			run_add(r, (char) c);
		}
		if (c < 0 || q > 0)
			run_end(r);
		i += q;
	}
	run_end(r);
	return (0);
}

/*
 * add_chars - a lowercased copy of w[0..n) at the end of the set's
 * literal bytes (one block for all: literals are never freed alone),
 * its offset there into *off; -1 for lack of memory
 */
static int
add_chars(pattern_set *s, const char *w, size_t n, size_t *off)
{
	char   *v;
	size_t  cap;

	if (s->ccap - s->nchars < n) {
		for (cap = s->ccap ? s->ccap : 4096; cap - s->nchars < n; cap *= 2)
			 /* void */ ;
		if ((v = realloc(s->chars, cap)) == NULL)
			return (-1);
		s->chars = v;
		s->ccap = cap;
	}
	text_lower_copy(s->chars + s->nchars, w, n);
	*off = s->nchars;
	s->nchars += n;
	return (0);
}

/* add_lit - record a literal of rule ri; flags: LIT_FILTER, LIT_LEAD */
static int
add_lit(pattern_set *s, size_t ri, const char *w, size_t n, int flags)
{
	lit    *v;
	size_t  off;

	if (s->nlits == s->lcap) {
		size_t  cap = s->lcap ? s->lcap * 2 : 64;

		if ((v = realloc(s->lits, cap * sizeof(*v))) == NULL)
			return (-1);
		s->lits = v;
		s->lcap = cap;
	}
	if (add_chars(s, w, n, &off) < 0)
		return (-1);
	v = s->lits + s->nlits;
	v->off = off;
	v->n = n;
	v->rule = ri;
	v->lead = (flags & LIT_LEAD) != 0;
	v->filter = (flags & LIT_FILTER) != 0;	/* then n >= MIN_LITERAL */
	v->at = 0;				/* index_build() sets a filter's */
	s->nlits++;
	s->rules[ri].nlit++;
	return (0);
}

/*
 * lead_group - a branch p[0..n) that starts with a group of plain literal
 * alternatives ("(ip|host) blocked"): their text (between the parenthesis)
 * into *g, and its length; 0 otherwise.
 */
static size_t
lead_group(const char *p, size_t n, const char **g)
{
	size_t  i, k, e, alt = 0;
	int     optional = 0;

	if (n < 2 || p[0] != '(')
		return (0);
	i = n > 2 && p[1] == '?' && p[2] == ':' ? 3 : 1;
	e = skip_group(p, n, 0);
	if (e <= i || p[e - 1] != ')'
	    || (quantifier(p, n, e, &optional) > 0 && optional))
		return (0);
	for (k = i; k < e - 1; k++) {
		if (p[k] == '|' && alt >= MIN_LEAD)
			alt = 0;
		else if ((unsigned char) p[k] >= 0x20 && (unsigned char) p[k] < 0x7f
			 && strchr("\\[]()|.^$*+?{}#", p[k]) == NULL)
			alt++;
		else
			return (0);
	}
	*g = p + i;
	return (alt >= MIN_LEAD ? e - 1 - i : 0);
}

/* group_leads - each alternative of g[0..n) as a lead of rule ri */
static int
group_leads(pattern_set *s, size_t ri, const char *g, size_t n)
{
	size_t  i, start = 0;

	for (i = 0; i <= n; i++) {
		if (i < n && g[i] != '|')
			continue;
		if (add_lit(s, ri, g + start, i - start, LIT_LEAD) < 0)
			return (-1);
		start = i + 1;
	}
	return (0);
}

/*
 * branch_lits - the literals of the branch p[0..n) of rule ri (r: its
 * analysis).  Without a required literal the rule is "always" tried;
 * without a leading one it cannot be anchored.
 */
static int
branch_lits(pattern_set *s, size_t ri, const run *r, const char *p, size_t n)
{
	int     filter = r->nbest >= MIN_LITERAL;
	int     same = filter && r->best_at == 0;
	const char *g;
	size_t  ng;

	if (!filter)
		s->rules[ri].always = 1;
	if (filter && add_lit(s, ri, r->best, r->nbest,
			      LIT_FILTER | (same ? LIT_LEAD : 0)) < 0)
		return (-1);
	if (same)
		return (0);
	if (r->nlead >= MIN_LEAD)
		return (add_lit(s, ri, r->lead, r->nlead, LIT_LEAD));
	if ((ng = lead_group(p, n, &g)) > 0)
		return (group_leads(s, ri, g, ng));
	s->rules[ri].anchored = 0;
	return (0);
}

/*
 * extended - whether regex p[0..n) may set an option such as (?x): a
 * "(?" or "(*" not followed by one of the bytes below (memchr() goes
 * from one '(' to the next)
 */
static int
extended(const char *p, size_t n)
{
	const char *q = p, *end = p + n;

	while (end - q > 2 && (q = memchr(q, '(', (size_t) (end - q - 2))) != NULL) {
		if ((q[1] == '?' || q[1] == '*') && strchr(":=!<'>|#P", q[2]) == NULL)
			return (1);
		q++;
	}
	return (0);
}

/*
 * quoted - whether regex p[0..n) has a \Q...\E literal, where '|', '(',
 * ')' and '[' are plain bytes that the scanners below would take for
 * structure
 */
static int
quoted(const char *p, size_t n)
{
	const char *q = p, *end = p + n;

	while (end - q > 1 && (q = memchr(q, '\\', (size_t) (end - q - 1))) != NULL) {
		if (q[1] == 'Q')
			return (1);
		q += 2;				/* and the escaped byte */
	}
	return (0);
}

/*
 * branch_end - where the top-level branch of p[0..n) that starts at i
 * ends: at its '|' or at n.  Escapes, classes and groups are stepped over.
 */
static size_t
branch_end(const char *p, size_t n, size_t i)
{
	while (i < n && p[i] != '|') {
		if (p[i] == '\\')
			i += ESC_LEN(p, n, i);
		else if (p[i] == '[')
			i = skip_class(p, n, i);
		else if (p[i] == '(')
			i = skip_group(p, n, i);
		else
			i++;
	}
	return (i < n ? i : n);
}

/*
 * index_rule - the literals of rule ri: one per top-level branch; a
 * branch without a literal of MIN_LITERAL bytes makes the rule "always".
 * When every branch starts with a literal or a group of them (its
 * "leads"), a match can only start where one of these occurs: the rule
 * is "anchored".  Inline options (which could turn on (?x)) disable both.
 * With branch set, p[0..n) is one top-level branch of a regex that
 * add_split() found free of inline options and \Q: the checks, and
 * branch_end() over it, would only say so again (their scans stop
 * inside the branch where they stopped in the whole regex).
 */
static int
index_rule(pattern_set *s, size_t ri, const char *p, size_t n, int branch)
{
	size_t  start, end;
	run     r;

	s->rules[ri].lit0 = s->nlits;
	s->rules[ri].anchored = 1;
	if (!branch && (extended(p, n) || quoted(p, n)))
		goto always;
	for (start = 0;; start = end + 1) {
		end = branch ? n : branch_end(p, n, start);
		if (lit_of_branch(p + start, end - start, &r) < 0)
			break;
		if (branch_lits(s, ri, &r, p + start, end - start) < 0)
			return (-1);
		if (end >= n)
			return (0);
	}
always:
	s->rules[ri].always = 1;		/* literals added stay harmless */
	s->rules[ri].anchored = 0;
	return (0);
}

/*
 * trigrams - the bucket of each trigram of filter literal l into b[],
 * each counted in count[]; how many (l->n - 2)
 */
static size_t
trigrams(const pattern_set *s, const lit *l, uint16_t *b, uint32_t *count)
{
	const unsigned char *u = (const unsigned char *) s->chars + l->off;
	uint32_t k = KEY(0, u[0], u[1]);
	size_t  j;

	for (j = 0; j + 2 < l->n; j++) {
		k = (k << 8 | u[j + 2]) & 0xffffff;
		b[j] = (uint16_t) bucket_of(k);
		count[b[j]]++;
	}
	return (j);
}

/*
 * rarest_at - which of the buckets b[0..nb) of a literal's trigrams the
 * fewest trigrams of the set share (count[]), the first such on a tie.
 * Common trigrams ("ing", "ion") make long buckets; a rare one keeps the
 * literal out of the buckets a text hits at most places.
 */
static size_t
rarest_at(const uint16_t *b, size_t nb, const uint32_t *count)
{
	size_t  k, best = 0;

	for (k = 1; k < nb; k++)
		if (count[b[k]] < count[b[best]])
			best = k;
	return (best);
}

/* lit_bucket - the bucket of filter literal l, under its trigram l->at */
static size_t
lit_bucket(const pattern_set *s, const lit *l)
{
	const unsigned char *u = (const unsigned char *) s->chars + l->off + l->at;

	return (bucket_of(KEY(u[0], u[1], u[2])));
}

/*
 * index_count - count into s->start[] every trigram of the filter
 * literals (their buckets into tri[], in order), choose the rarest for
 * each, then count the buckets so chosen instead; the number of filter
 * literals
 */
static size_t
index_count(pattern_set *s, uint16_t *tri)
{
	size_t  k, m = 0, n = 0;
	lit    *l;

	memset(s->start, 0, sizeof(s->start));
	for (k = 0; k < s->nlits; k++)
		if (s->lits[k].filter)
			m += trigrams(s, s->lits + k, tri + m, s->start);
	for (k = 0, m = 0; k < s->nlits; k++)
		if ((l = s->lits + k)->filter) {
			l->at = rarest_at(tri + m, l->n - 2, s->start);
			m += l->n - 2;
		}
	memset(s->start, 0, sizeof(s->start));
	for (k = 0, m = 0; k < s->nlits; k++)
		if ((l = s->lits + k)->filter) {
			s->start[tri[m + l->at]]++;
			m += l->n - 2;
			n++;
		}
	return (n);
}

/*
 * index_build - the literal index of s, after rules were added: each
 * filter literal as a probe in the bucket of its rarest trigram (a
 * counting sort: probes[start[b]..start[b + 1]) is bucket b), and the
 * bitmap of rules without one.  Without memory the set is "broken":
 * patterns_match() then tries every rule.
 */
static int
index_build(pattern_set *s)
{
	size_t  k, b, n, sum = 0, nw = (s->nrules + 63) / 64 + 1;
	const unsigned char *u;
	const lit *l;
	uint16_t *tri;
	probe  *v;

	free(s->probes);
	free(s->always);
	s->probes = NULL;
	s->always = NULL;
	s->broken = 1;
	for (k = 0, n = 1; k < s->nlits; k++)
		if (s->lits[k].filter)
			n += s->lits[k].n - 2;
	if (s->nlits >= UINT32_MAX || (tri = malloc(n * sizeof(*tri))) == NULL)
		return (-1);
	n = index_count(s, tri);
	free(tri);
	for (b = 0; b < NBUCKET; b++) {		/* start[b]: end of bucket b */
		sum += s->start[b];
		s->start[b] = (uint32_t) sum;
	}
	s->start[NBUCKET] = (uint32_t) sum;
	if ((s->probes = malloc((n + 1) * sizeof(*v))) == NULL
	    || (s->always = calloc(nw, sizeof(*s->always))) == NULL)
		return (-1);
	for (k = s->nlits; k-- > 0;) {
		if (!(l = s->lits + k)->filter)
			continue;
		u = (const unsigned char *) s->chars + l->off;
		v = s->probes + --s->start[lit_bucket(s, l)];
		v->key = KEY(u[l->at], u[l->at + 1], u[l->at + 2]);
		v->at = (uint32_t) l->at;
		v->rule = l->rule;
		v->s = (const char *) u;
		v->n = l->n;
	}
	for (k = 0; k < s->nrules; k++)
		if (s->rules[k].always)
			s->always[k / 64] |= (uint64_t) 1 << (k % 64);
	s->broken = 0;
	return (0);
}

/* Rule file syntax. */

/* rule_err - "NAME:LINE: " then the message parts, then a newline */
static void
rule_err(buf *err, const char *name, int line, const char *msg,
	 const char *arg, const char *tail)
{
	buf_printf(err, "%s:%d: %s%s%s\n", name, line, msg, arg, tail);
}

/*
 * regex_end - index of the closing '/' of p[0..n) (p[0] == '/'), or 0:
 * the first '/' with no backslash before it that escapes it
 */
static size_t
regex_end(const char *p, size_t n)
{
	const char *q = p + 1, *end = p + n, *slash = p, *bs;

	while (q < end) {
		if (slash < q && (slash = memchr(q, '/', (size_t) (end - q))) == NULL)
			return (0);
		if ((bs = memchr(q, '\\', (size_t) (slash - q))) == NULL)
			return ((size_t) (slash - p));
		q = bs + 2;			/* past the escaped byte */
	}
	return (0);
}

static const struct {
	const char *name;
	unsigned bit;
} cmd_names[] = {
	{"none", PAT_CMD_NONE}, {"conn", PAT_CMD_CONN}, {"ehlo", PAT_CMD_EHLO},
	{"helo", PAT_CMD_EHLO}, {"mail", PAT_CMD_MAIL}, {"rcpt", PAT_CMD_RCPT},
	{"data", PAT_CMD_DATA}, {NULL, 0}
};

/* parse_cmds - "rcpt,mail" or "!rcpt" into a bit set; 0 when bad */
static unsigned
parse_cmds(const char *v, size_t n)
{
	unsigned bits = 0;
	int     neg = n > 0 && v[0] == '!';
	size_t  i = neg, k, j;

	while (i < n) {
		for (k = i; k < n && v[k] != ','; k++)
			 /* void */ ;
		for (j = 0; cmd_names[j].name; j++)
			if (k - i == strlen(cmd_names[j].name)
			    && text_iprefix(v + i, k - i, cmd_names[j].name))
				break;
		if (cmd_names[j].name == NULL)
			return (0);
		bits |= cmd_names[j].bit;
		i = k + 1;
	}
	if (bits == 0)
		return (0);
	return (neg ? (PAT_CMD_ALL & ~bits) : bits);
}

typedef struct line_ctx {
	const char *name;
	int     line;
	buf    *err;
	int     jit;			/* JIT-compile each regex */
	int     lazy;			/* compile each regex on first use */
	const char *text;		/* all lines: patterns_builtin[] when lazy */
} line_ctx;

/* word_equal - a copy of a word for vocabulary lookups */
static const char *
vocab_of(const char *w, size_t n, const char *(*lookup) (const char *))
{
	char    tmp[32];

	if (n == 0 || n >= sizeof(tmp))
		return (NULL);
	memcpy(tmp, w, n);
	tmp[n] = 0;
	return (lookup(tmp));
}

/* parse_option - one key=value after the reason */
static int
parse_option(line_ctx *L, pattern_rule *pr, const char *w, size_t n)
{
	const char *eq = memchr(w, '=', n);
	size_t  k = eq ? (size_t) (eq - w) : n, vn = eq ? n - k - 1 : 0;
	const char *v = eq ? eq + 1 : "";
	char    word[64];

	snprintf(word, sizeof(word), "%.*s", (int) (n > 60 ? 60 : n), w);
	if (n == 5 && text_iprefix(w, n, "force")) {
		pr->force = 1;
	} else if (k == 5 && text_iprefix(w, k, "owner")) {
		if ((pr->owner = vocab_of(v, vn, classify_owner_word)) == NULL) {
			rule_err(L->err, L->name, L->line, "unknown owner in \"",
				 word, "\" (sender, sender-admin, recipient, none)");
			return (-1);
		}
	} else if (k == 6 && text_iprefix(w, k, "status")) {
		if (vn >= STATUS_MAX || status_valid(v, vn) != vn) {
			rule_err(L->err, L->name, L->line, "bad status code in \"",
				 word, "\" (like 5.7.1)");
			return (-1);
		}
		memcpy(pr->status, v, vn);
		pr->status[vn] = 0;
	} else if (k == 3 && text_iprefix(w, k, "cmd")) {
		if ((pr->cmds = parse_cmds(v, vn)) == 0) {
			rule_err(L->err, L->name, L->line, "bad command list in \"",
				 word, "\" (rcpt, mail, data, conn, ehlo, none)");
			return (-1);
		}
	} else {
		rule_err(L->err, L->name, L->line, "unknown option \"", word,
			 "\" (owner=, status=, cmd=, force)");
		return (-1);
	}
	return (0);
}

/* next_word - the next blank-separated word of p[*i..n) */
static int
next_word(const char *p, size_t n, size_t *i, const char **w, size_t *wn)
{
	while (*i < n && (p[*i] == ' ' || p[*i] == '\t'))
		(*i)++;
	if (*i >= n || p[*i] == '#')
		return (0);
	*w = p + *i;
	while (*i < n && p[*i] != ' ' && p[*i] != '\t')
		(*i)++;
	*wn = (size_t) (p + *i - *w);
	return (1);
}

/* parse_tail - reason and options after the regex */
static int
parse_tail(line_ctx *L, pattern_rule *pr, const char *p, size_t n)
{
	const char *w;
	size_t  i = 0, wn;
	char    word[64];

	if (!next_word(p, n, &i, &w, &wn)) {
		rule_err(L->err, L->name, L->line, "missing reason after "
			 "/REGEX/", "", "");
		return (-1);
	}
	if ((pr->reason = vocab_of(w, wn, classify_reason_word)) == NULL) {
		snprintf(word, sizeof(word), "%.*s", (int) (wn > 60 ? 60 : wn), w);
		rule_err(L->err, L->name, L->line, "unknown reason \"", word,
			 "\" (see dsnmilter-patterns(5) for the list)");
		return (-1);
	}
	while (next_word(p, n, &i, &w, &wn))
		if (parse_option(L, pr, w, wn) < 0)
			return (-1);
	return (0);
}

/*
 * code_of - p[0..n) compiled as every rule is (caseless, JIT when jit),
 * or NULL with PCRE2's error code and offset in *code and *off
 */
static pcre2_code *
code_of(const char *p, size_t n, int jit, int *code, PCRE2_SIZE *off)
{
	pcre2_code *re;

	re = pcre2_compile((PCRE2_SPTR) p, n, PCRE2_CASELESS, code, off, NULL);
	if (re != NULL && jit)
		(void) pcre2_jit_compile(re, PCRE2_JIT_COMPLETE);
	return (re);
}

/* compile - the regex p[0..n) (no JIT), or NULL with an error reported */
static pcre2_code *
compile(line_ctx *L, const char *p, size_t n)
{
	int     code;
	PCRE2_SIZE off;
	PCRE2_UCHAR msg[160];
	pcre2_code *re;
	char    tmp[200];

	if (n == 0) {
		rule_err(L->err, L->name, L->line, "empty regex", "", "");
		return (NULL);
	}
	if ((re = code_of(p, n, 0, &code, &off)) == NULL) {
		pcre2_get_error_message(code, msg, sizeof(msg));
		snprintf(tmp, sizeof(tmp), "%s at offset %zu", (char *) msg,
			 (size_t) off);
		rule_err(L->err, L->name, L->line, "bad regex: ", tmp, "");
		return (NULL);
	}
	return (re);
}

/*
 * add_rule - append a parsed rule (or one branch of it: see add_split)
 * with its regex rx[0..rn) of the text L reads (compiled re, or NULL when
 * lazy: rx, in the built-in text, is compiled on first use); -1 for lack
 * of memory.  branch: see index_rule().
 */
static int
add_rule(pattern_set *s, const line_ctx *L, const pattern_rule *pr,
	 pcre2_code *re, const char *rx, size_t rn, int branch)
{
	rule   *v;

	if (s->nrules == s->rcap) {
		size_t  cap = s->rcap ? s->rcap * 2 : 64;

		if ((v = realloc(s->rules, cap * sizeof(*v))) == NULL)
			return (-1);
		s->rules = v;
		s->rcap = cap;
	}
	v = s->rules + s->nrules;
	v->pub = *pr;
	v->pub.index = s->npub;
	v->re = re;
	v->src = re == NULL && L->lazy ? patterns_builtin + (rx - L->text) : NULL;
	v->srcn = rn;
	v->failed = 0;
	v->always = 0;
	v->nlit = 0;
	s->nrules++;
	return (index_rule(s, s->nrules - 1, rx, rn, branch));
}

/*
 * cross_branch - whether a branch of rx[0..rn) may read differently when
 * compiled alone: back references and subroutine calls by number or
 * name ("\1", "\g", "\k", "(?P=", "(?P>") would find other groups once
 * the branches before are cut off.  (\Q...\E: see quoted().)
 */
static int
cross_branch(const char *rx, size_t rn)
{
	const char *q = rx, *end = rx + rn, *bs, *lim, *par;

	while (end - q > 1) {
		bs = memchr(q, '\\', (size_t) (end - q - 1));
		lim = bs ? bs : end;
		for (par = q; (par = memchr(par, '(', (size_t) (lim - par))) != NULL;
		     par++)
			if (end - par > 3 && par[1] == '?' && par[2] == 'P'
			    && (par[3] == '=' || par[3] == '>'))
				return (1);
		if (bs == NULL)
			return (0);
		if (strchr("123456789gk", bs[1]) != NULL)
			return (1);
		q = bs + 2;			/* past the escaped byte */
	}
	return (0);
}

/*
 * branch_ends - the end of each top-level branch of rx[0..rn) into end[]
 * (the offset of its '|', or rn), at most max; the number of branches,
 * 0 when there are more, the regex has inline options (which may reach
 * across branches) or a branch may depend on another (cross_branch()).
 */
static size_t
branch_ends(const char *rx, size_t rn, size_t *end, size_t max)
{
	size_t  nb = 0, i;

	if (extended(rx, rn) || quoted(rx, rn) || cross_branch(rx, rn))
		return (0);
	for (i = 0;; i = end[nb - 1] + 1) {
		if (nb == max)
			return (0);
		end[nb++] = branch_end(rx, rn, i);
		if (end[nb - 1] >= rn)
			return (nb);
	}
}

/*
 * add_split - rule pr as one internal rule per top-level branch of its
 * regex rx[0..rn).  A rule matches when one of its branches does, and the
 * first rule that matches decides, so consecutive branch rules with the
 * same options decide alike; but a text now runs only through the
 * branches whose literal it holds, not through the whole alternation at
 * each place.  Returns 1 when done, 0 when the regex is better kept
 * whole (one branch, inline options, a branch that does not compile
 * alone, such as a back reference into another), -1 for lack of memory.
 */
#define MAX_SPLIT	256

static int
add_split(pattern_set *s, const line_ctx *L, const pattern_rule *pr,
	  const char *rx, size_t rn)
{
	size_t  end[MAX_SPLIT], nb, i, start;
	pcre2_code *re[MAX_SPLIT];
	PCRE2_SIZE off;
	int     code, ret = 1;

	if ((nb = branch_ends(rx, rn, end, MAX_SPLIT)) < 2)
		return (0);
	for (i = 0, start = 0; i < nb; start = end[i++] + 1) {
		if (L->lazy) {
			re[i] = NULL;
			continue;
		}
		re[i] = code_of(rx + start, end[i] - start, L->jit, &code, &off);
		if (re[i] == NULL) {
			while (i-- > 0)
				pcre2_code_free(re[i]);
			return (0);
		}
	}
	for (i = 0, start = 0; i < nb; start = end[i++] + 1) {
		if (ret > 0 && add_rule(s, L, pr, re[i], rx + start,
					end[i] - start, 1) < 0)
			ret = -1;
		if (ret < 0 && re[i] != NULL && (s->nrules == 0
				|| s->rules[s->nrules - 1].re != re[i]))
			pcre2_code_free(re[i]);
	}
	return (ret);
}

/* named_groups - whether regex p[0..n) names a group: (?<n> (?P<n> (?'n' */
static int
named_groups(const char *p, size_t n)
{
	size_t  i;

	for (i = 0; i + 3 < n; i++)
		if (p[i] == '\\')
			i++;
		else if (p[i] == '(' && p[i + 1] == '?'
			 && ((p[i + 2] == '<' && p[i + 3] != '=' && p[i + 3] != '!')
			     || p[i + 2] == '\'' || (p[i + 2] == 'P' && p[i + 3] == '<')))
			return (1);
	return (0);
}

/* parse_line - one line; 1 problem, 0 fine, -1 no memory */
static int
parse_line(pattern_set *s, line_ctx *L, const char *p, size_t n)
{
	pattern_rule pr;
	pcre2_code *re;
	size_t  end, i;
	int     k;

	text_trim(&p, &n);
	if (n == 0 || p[0] == '#')
		return (0);
	if (n > MAX_RULE_LINE) {
		rule_err(L->err, L->name, L->line, "line too long", "", "");
		return (1);
	}
	if (p[0] != '/' || (end = regex_end(p, n)) == 0) {
		rule_err(L->err, L->name, L->line, "expected /REGEX/ REASON "
			 "[owner=OWNER] [status=CODE] [cmd=LIST] [force]", "", "");
		return (1);
	}
	for (i = end + 1; i < n && p[i] != ' ' && p[i] != '\t'; i++)
		if (p[i] != 'i') {
			rule_err(L->err, L->name, L->line, "unknown flag after "
				 "/REGEX/ (matching ignores case already)", "", "");
			return (1);
		}
	memset(&pr, 0, sizeof(pr));
	pr.cmds = PAT_CMD_ALL;
	pr.line = L->line;
	if (parse_tail(L, &pr, p + i, n - i) < 0)
		return (1);
	pr.index = s->npub;
	/*
	 * A rule loads only if its whole regex compiles.  When every branch
	 * compiles alone the whole does too, except for checks across
	 * branches: duplicate group names, so a regex with named groups is
	 * compiled whole first.
	 */
	re = NULL;
	if (!L->lazy && named_groups(p + 1, end - 1)
	    && (re = compile(L, p + 1, end - 1)) == NULL)
		return (1);
	if ((k = add_split(s, L, &pr, p + 1, end - 1)) != 0) {
		pcre2_code_free(re);
		if (k < 0)
			return (-1);
	} else {
		if (!L->lazy && re == NULL
		    && (re = compile(L, p + 1, end - 1)) == NULL)
			return (1);
		if (re != NULL && L->jit)
			(void) pcre2_jit_compile(re, PCRE2_JIT_COMPLETE);
		if (add_rule(s, L, &pr, re, p + 1, end - 1, 0) < 0) {
			/* kept by the set when only its literals failed */
			if (re != NULL && (s->nrules == 0
					   || s->rules[s->nrules - 1].re != re))
				pcre2_code_free(re);
			return (-1);
		}
	}
	s->npub++;
	return (0);
}

int
patterns_parse(pattern_set *s, const char *name, const char *text,
	       size_t len, buf *err)
{
	size_t  pos = 0, n;
	const char *line;
	line_ctx L;
	int     r, problems = 0;

	L.name = name;
	L.line = 0;
	L.err = err;
	L.jit = !s->nojit;
	L.lazy = s->lazy && len == patterns_builtin_len
		&& memcmp(text, patterns_builtin, len) == 0;
	L.text = text;
	if (L.lazy && (r = patterns_image_load(s, patterns_image_used())) <= 0)
		return (r);			/* loaded, or no memory */
	while (text_line(text, len, &pos, &line, &n)) {
		L.line++;
		if ((r = parse_line(s, &L, line, n)) < 0) {
			(void) index_build(s);
			return (-1);
		}
		problems += r;
	}
	if (index_build(s) < 0)
		return (-1);
	return (problems);
}

int
patterns_load_file(pattern_set *s, const char *path, buf *err)
{
	buf     text;
	int     fd, ret;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
		buf_printf(err, "%s:0: cannot open: %s\n", path, strerror(errno));
		return (1);
	}
	buf_init(&text);
	ret = buf_read_fd(&text, fd, BUF_MAX) < 0 ? (text.failed ? -1 : 1) : 0;
	close(fd);
	if (ret > 0)
		buf_printf(err, "%s:0: read error\n", path);
	else if (ret == 0)
		ret = patterns_parse(s, path, text.data ? text.data : "",
				     text.len, err);
	buf_free(&text);
	return (ret);
}

/* Matching. */

/* same - whether a[0..n) and b[0..n) hold the same bytes */
static int
same(const char *a, const char *b, size_t n)
{
	while (n > 0 && *a == *b) {
		a++;
		b++;
		n--;
	}
	return (n == 0);
}

/*
 * mark_bucket - set bit r of seen for every rule with a probe in bucket
 * b that occurs at t[i..] (t[0..n) lowercased, its trigram key k there):
 * the same key, fitting, and the same bytes before and after it.
 */
static void
mark_bucket(const pattern_set *s, const char *t, size_t n, size_t i,
	    uint32_t k, size_t b, uint64_t *seen)
{
	const probe *p = s->probes + s->start[b], *e = s->probes + s->start[b + 1];

	for (; p < e; p++) {
		if (p->key != k || p->at > i || p->n - p->at > n - i
		    || (seen[p->rule / 64] & ((uint64_t) 1 << (p->rule % 64))))
			continue;
		if (same(t + i - p->at, p->s, p->at)
		    && same(t + i + 3, p->s + p->at + 3, p->n - p->at - 3))
			seen[p->rule / 64] |= (uint64_t) 1 << (p->rule % 64);
	}
}

/*
 * mark_literals - set bit r of seen for every rule whose literal occurs
 * in the lowercased text t[0..n).  The trigram at each place keys the
 * index; most buckets are empty, which one comparison tells.
 */
static void
mark_literals(const pattern_set *s, const char *t, size_t n, uint64_t *seen)
{
	const unsigned char *u = (const unsigned char *) t;
	const uint32_t *start = s->start;
	size_t  i, b;
	uint32_t k;

	if (n < MIN_LITERAL)
		return;
	k = KEY(0, u[0], u[1]);
	for (i = 0; i + 2 < n; i++) {
		k = (k << 8 | u[i + 2]) & 0xffffff;
		b = bucket_of(k);
		if (start[b] != start[b + 1])
			mark_bucket(s, t, n, i, k, b, seen);
	}
}

/*
 * rule_code - the compiled regex of rule r, compiled now when the set is
 * lazy and r has not been needed before (under its lock, so that
 * threads matching at once compile it once); NULL when it does not
 * compile, which the build rules out for the built-in rules, the only
 * ones loaded lazily.  Only r->re is read without the lock (atomically);
 * r->failed, set by the thread that compiles, only under it.  r->src
 * stays (patterns_image_emit() reads it).
 */
static pcre2_code *
rule_code(const pattern_set *s, rule *r)
{
	pthread_mutex_t *lock = (pthread_mutex_t *) s->lock
		+ (size_t) (r - s->rules) % NLOCK;
	pcre2_code *re = __atomic_load_n(&r->re, __ATOMIC_ACQUIRE);
	PCRE2_SIZE off;
	int     code;

	if (re != NULL)
		return (re);
	pthread_mutex_lock(lock);	/* r->failed is read under it only */
	if ((re = r->re) == NULL && r->src != NULL && !r->failed) {
		if ((re = code_of(r->src, r->srcn, !s->nojit, &code, &off)) == NULL)
			r->failed = 1;
		__atomic_store_n(&r->re, re, __ATOMIC_RELEASE);
	}
	pthread_mutex_unlock(lock);
	return (re);
}

/*
 * rule_matches - whether rule r matches text[0..len) (low: the same,
 * lowercased).  An anchored rule is tried only where its leads occur.
 */
static int
rule_matches(const pattern_set *s, rule *r, const char *text,
	     const char *low, size_t len, pcre2_match_data *md)
{
	const char *p;
	const pcre2_code *re = rule_code(s, r);
	size_t  k;

	if (re == NULL)
		return (0);
	if (!r->anchored)
		return (pcre2_match(re, (PCRE2_SPTR) text, len, 0, 0, md,
				    s->mctx) >= 0);
	for (k = r->lit0; k < r->lit0 + r->nlit; k++) {
		const lit *l = s->lits + k;

		if (!l->lead)
			continue;
		for (p = low; (p = text_find(p, (size_t) (low + len - p),
					     s->chars + l->off,
					     l->n)) != NULL; p++)
			if (pcre2_match(re, (PCRE2_SPTR) text, len,
					(PCRE2_SIZE) (p - low), PCRE2_ANCHORED,
					md, s->mctx) >= 0)
				return (1);
	}
	return (0);
}

/* the command of one match: found at most once, when first needed */
typedef struct cmd_state {
	unsigned cmd;			/* 0: not known yet */
	int     asked;			/* pc->find() was called */
	const pattern_cmd *pc;
} cmd_state;

/* cmd_of - the command: pc's, else the one the text names */
static unsigned
cmd_of(cmd_state *cs, const char *text, size_t len)
{
	if (cs->cmd == 0 && !cs->asked && cs->pc->find != NULL) {
		cs->asked = 1;
		cs->cmd = cs->pc->find(cs->pc->arg);
	}
	if (cs->cmd == 0)
		cs->cmd = patterns_command(text, len);
	return (cs->cmd);
}

/*
 * rule_hit - rule r when it matches and accepts the command (cs: found
 * when r is the first that needs it), or NULL.  A command still to be
 * found is looked for only once the regex matched: finding it may cost
 * more than the match (pattern_cmd.find).
 */
static const pattern_rule *
rule_hit(const pattern_set *s, rule *r, const char *text, const char *low,
	 size_t len, cmd_state *cs, pcre2_match_data *md)
{
	if (r->pub.cmds == PAT_CMD_ALL || cs->cmd != 0) {
		if (r->pub.cmds != PAT_CMD_ALL && !(r->pub.cmds & cs->cmd))
			return (NULL);
		return (rule_matches(s, r, text, low, len, md) ? &r->pub : NULL);
	}
	if (!rule_matches(s, r, text, low, len, md))
		return (NULL);
	return (r->pub.cmds & cmd_of(cs, text, len) ? &r->pub : NULL);
}

/*
 * match_rules - the first rule, in order, that matches text[0..len) (low:
 * lowercased) and accepts cmd: of those that hold a literal of the text
 * (bits set into seen, all 0 before) or are always tried
 */
static const pattern_rule *
match_rules(const pattern_set *s, const char *text, const char *low,
	    size_t len, const pattern_cmd *pc, uint64_t *seen,
	    pcre2_match_data *md)
{
	cmd_state cs = {pc->cmd, 0, pc};
	const pattern_rule *hit = NULL;
	uint64_t bits;
	size_t  i, w;

	if (!s->broken)
		mark_literals(s, low, len, seen);
	for (w = 0; w < (s->nrules + 63) / 64 && hit == NULL; w++) {
		bits = seen[w] | (s->broken ? ~(uint64_t) 0 : s->always[w]);
		for (; bits != 0 && hit == NULL; bits &= bits - 1) {
			i = w * 64 + (size_t) __builtin_ctzll(bits);
			if (i >= s->nrules)
				break;
			hit = rule_hit(s, s->rules + i, text, low, len, &cs, md);
		}
	}
	return (hit);
}

/*
 * Match data: one per thread, made on its first match and freed when the
 * thread ends (match data holds no state between matches, and PCRE2's
 * interpreter keeps its frame vector there: making it per call cost two
 * allocations of 20 KiB and more per text).
 */
static pthread_key_t md_key;
static pthread_once_t md_once = PTHREAD_ONCE_INIT;
static int md_keyed;

static void
md_free(void *md)
{
	pcre2_match_data_free(md);
}

static void
md_init(void)
{
	md_keyed = pthread_key_create(&md_key, md_free) == 0;
}

/* match_data - this thread's match data, or NULL (then make one) */
static pcre2_match_data *
match_data(void)
{
	pcre2_match_data *md;

	(void) pthread_once(&md_once, md_init);
	if (!md_keyed)
		return (NULL);
	if ((md = pthread_getspecific(md_key)) == NULL
	    && (md = pcre2_match_data_create(1, NULL)) != NULL
	    && pthread_setspecific(md_key, md) != 0) {
		pcre2_match_data_free(md);
		md = NULL;
	}
	return (md);
}

#define SEEN_WORDS	32		/* rule bits kept on the stack */
#define LOW_BYTES	1024		/* text lowercased on the stack */

/*
 * patterns_match - see patterns.h.  The bitmap of rules and the
 * lowercased text live on the stack when they fit (most texts are a
 * line or two), on the heap otherwise.
 */
const pattern_rule *
patterns_match(const pattern_set *s, const char *text, size_t len,
	       unsigned cmd)
{
	pattern_cmd pc = {cmd, NULL, NULL};

	return (patterns_match_cmd(s, text, len, &pc));
}

const pattern_rule *
patterns_match_cmd(const pattern_set *s, const char *text, size_t len,
		   const pattern_cmd *pc)
{
	uint64_t seen_stack[SEEN_WORDS], *seen = seen_stack;
	char    low_stack[LOW_BYTES], *low = low_stack;
	pcre2_match_data *md, *own = NULL;
	const pattern_rule *hit = NULL;
	size_t  nw;

	if (s == NULL || s->nrules == 0 || text == NULL)
		return (NULL);
	if (len > PATTERNS_MAX_SUBJECT)
		len = PATTERNS_MAX_SUBJECT;
	if (len == 0)
		return (NULL);
	if ((nw = (s->nrules + 63) / 64) > SEEN_WORDS)
		seen = calloc(nw, sizeof(*seen));
	else
		memset(seen, 0, nw * sizeof(*seen));
	if (len > sizeof(low_stack))
		low = malloc(len);
	if ((md = match_data()) == NULL)
		md = own = pcre2_match_data_create(1, NULL);
	if (seen != NULL && low != NULL && md != NULL) {
		text_lower_copy(low, text, len);
		hit = match_rules(s, text, low, len, pc, seen, md);
	}
	pcre2_match_data_free(own);
	if (low != low_stack)
		free(low);
	if (seen != seen_stack)
		free(seen);
	return (hit);
}

/*
 * The SMTP command a text names.  Longer, more specific phrases first;
 * the first phrase of this list found anywhere decides.  Every phrase is
 * lowercase and has at least two bytes (patterns_command() reads pairs).
 */
static const struct {
	const char *phrase;
	unsigned cmd;
} cmd_phrases[] = {
	{"in reply to rcpt to", PAT_CMD_RCPT},
	{"in reply to mail from", PAT_CMD_MAIL},
	{"in reply to end of data", PAT_CMD_DATA},
	{"in reply to data", PAT_CMD_DATA},
	{"in reply to ehlo", PAT_CMD_EHLO},
	{"in reply to helo", PAT_CMD_EHLO},
	{"after rcpt to", PAT_CMD_RCPT},
	{"after mail from", PAT_CMD_MAIL},
	{"after end of data", PAT_CMD_DATA},
	{"after data", PAT_CMD_DATA},
	{"after initial connection", PAT_CMD_CONN},
	{"after ehlo", PAT_CMD_EHLO},
	{"after helo", PAT_CMD_EHLO},
	{">>> rcpt to", PAT_CMD_RCPT},
	{">>> mail from", PAT_CMD_MAIL},
	{">>> data", PAT_CMD_DATA},
	{">>> ehlo", PAT_CMD_EHLO},
	{">>> helo", PAT_CMD_EHLO},
	{"after rcpt command", PAT_CMD_RCPT},
	{"after mail command", PAT_CMD_MAIL},
	{"did not like our rcpt to", PAT_CMD_RCPT},
	{"did not like our mail from", PAT_CMD_MAIL},
	{"did not like our final data", PAT_CMD_DATA},
	{"did not like our data", PAT_CMD_DATA},
	{"does not like recipient", PAT_CMD_RCPT},
	{"sender was rejected", PAT_CMD_MAIL},
	{"failed after i sent the message", PAT_CMD_DATA},
	{"[rcpt_to]", PAT_CMD_RCPT},
	{"[mail_from]", PAT_CMD_MAIL},
	{"smtp:rcpt", PAT_CMD_RCPT},
	{"smtp:mail", PAT_CMD_MAIL},
	{"smtp:data", PAT_CMD_DATA},
	{NULL, 0}
};

#define NPHRASES (sizeof(cmd_phrases) / sizeof(cmd_phrases[0]) - 1)
/* head[] and chain[] hold phrase numbers + 1 in an unsigned char */
typedef char nphrases_fit_a_byte[NPHRASES < 255 ? 1 : -1];

/*
 * phrase_at - the lowest index k < best of a phrase that starts at
 * t[0..n); chain[] links the phrases with the same first byte, from
 * head (index + 1; 0 ends the chain).
 */
static size_t
phrase_at(const char *t, size_t n, size_t best, unsigned char head,
	  const unsigned char *chain)
{
	size_t  k;

	for (k = head; k != 0 && k - 1 < best; k = chain[k - 1]) {
		const char *ph = cmd_phrases[k - 1].phrase;

		if (n > 1 && LOWER((unsigned char) t[1]) == (unsigned char) ph[1]
		    && text_iprefix(t, n, ph))
			return (k - 1);
	}
	return (best);
}

/*
 * wm_hash - the shift table slot of the byte pair a, b (lowercased)
 */
#define WM_SLOTS	1024

static unsigned
wm_hash(unsigned char a, unsigned char b)
{
	return (((unsigned) a << 5 ^ b) % WM_SLOTS);
}

/*
 * The phrase tables of patterns_command(), the same for every call: built
 * once (pthread_once(): milter threads may be the first to ask).  m is
 * the length of the shortest phrase; shift[] is described below; head[]
 * and chain[] link the phrases by first byte (phrase_at()).
 */
static struct {
	unsigned char head[256], chain[NPHRASES], shift[WM_SLOTS];
	size_t  m;
} cmd_tab;
static pthread_once_t cmd_once = PTHREAD_ONCE_INIT;

static void
cmd_tab_init(void)
{
	size_t  j, k, n;
	unsigned h;

	cmd_tab.m = (size_t) -1;
	for (k = NPHRASES; k-- > 0;) {
		unsigned char c = (unsigned char) cmd_phrases[k].phrase[0];

		cmd_tab.chain[k] = cmd_tab.head[c];
		cmd_tab.head[c] = (unsigned char) (k + 1);
		if ((n = strlen(cmd_phrases[k].phrase)) < cmd_tab.m)
			cmd_tab.m = n;
	}
	memset(cmd_tab.shift, (int) (cmd_tab.m - 1), sizeof(cmd_tab.shift));
	for (k = 0; k < NPHRASES; k++) {
		const unsigned char *ph = (const unsigned char *) cmd_phrases[k].phrase;

		for (j = 1; j < cmd_tab.m; j++) {
			h = wm_hash(ph[j - 1], ph[j]);
			if (cmd_tab.shift[h] > cmd_tab.m - 1 - j)
				cmd_tab.shift[h] = (unsigned char) (cmd_tab.m - 1 - j);
		}
	}
}

/*
 * patterns_command - Wu-Manber over the phrases.  The window
 * text[i..i+m) is judged by its last two bytes: shift[] holds how far the
 * window may move before a phrase could hold them in its first m bytes
 * (m - 1 when no phrase does, less when pairs share a slot).  Only at a
 * shift of 0 is any phrase compared, at i, and only those that start with
 * its byte; the earliest phrase of the list found anywhere decides.  A
 * move never passes the start of a phrase: for a phrase at s in the
 * window, its pair at s + j makes the shift at most m - 1 - j = s - i.
 */
unsigned
patterns_command(const char *text, size_t len)
{
	size_t  i, k, m, best = NPHRASES;
	unsigned h;

	if (text == NULL || len == 0)
		return (PAT_CMD_NONE);
	if (len > PATTERNS_MAX_SUBJECT)
		len = PATTERNS_MAX_SUBJECT;
	(void) pthread_once(&cmd_once, cmd_tab_init);
	m = cmd_tab.m;
	for (i = 0; i + m <= len && best > 0;) {
		h = wm_hash((unsigned char) LOWER((unsigned char) text[i + m - 2]),
			    (unsigned char) LOWER((unsigned char) text[i + m - 1]));
		if (cmd_tab.shift[h] > 0) {
			i += cmd_tab.shift[h];
			continue;
		}
		k = cmd_tab.head[(unsigned char) LOWER((unsigned char) text[i])];
		if (k != 0)
			best = phrase_at(text + i, len - i, best, (unsigned char) k,
					 cmd_tab.chain);
		i++;
	}
	return (best < NPHRASES ? cmd_phrases[best].cmd : PAT_CMD_NONE);
}
