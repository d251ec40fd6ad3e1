/*
 * NAME
 *	test_patterns_image - unit tests for patterns_image.c
 * DESCRIPTION
 *	The image linked into the programs (src/patterns_builtin_image.c)
 *	loads into the very set that parsing the built-in rules lazily
 *	makes (every rule, literal, byte, bucket and probe), matches alike,
 *	and is what mkpatimage writes for today's rules (so the build
 *	cannot link a stale one); its compiled regexes are taken by a set
 *	without JIT, and left when PCRE2 cannot read them (the rules are
 *	then compiled on first use); patterns_parse() takes it only for a lazy
 *	set of the built-in text; an image made from other rules, or with
 *	an unknown word or an offset out of range, is refused whole and
 *	leaves the set empty, and parsing then works as without an image.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "patterns.h"
#include "patterns_image.h"
#include "patterns_int.h"
#include "testutil.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/*
 * parsed_as - the built-in rules parsed lazily, without any image; with
 * every regex compiled, without JIT, as mkpatimage does when compiled
 */
static pattern_set *
parsed_as(int compiled)
{
	pattern_set *s = patterns_new();
	buf     err;

	assert_non_null(s);
	buf_init(&err);
	patterns_image_use(NULL);
	patterns_lazy(s);
	if (compiled)
		patterns_no_jit(s);
	assert_int_equal(patterns_parse(s, "b", patterns_builtin,
					patterns_builtin_len, &err), 0);
	if (compiled)
		assert_int_equal(patterns_compile_all(s, &err), 0);
	buf_free(&err);
	return (s);
}

static pattern_set *
parsed(void)
{
	return (parsed_as(0));
}

/* loaded_as - a lazy set loaded from img (without JIT when nojit: then
 * with the image's compiled regexes); the result of the load in *k */
static pattern_set *
loaded_as(const patterns_image *img, int nojit, int *k)
{
	pattern_set *s = patterns_new();

	assert_non_null(s);
	patterns_lazy(s);
	if (nojit)
		patterns_no_jit(s);
	*k = patterns_image_load(s, img);
	return (s);
}

static pattern_set *
loaded(const patterns_image *img, int *k)
{
	return (loaded_as(img, 0, k));
}

/* compiled - how many rules of s have their regex */
static size_t
compiled(const pattern_set *s)
{
	size_t  i, n = 0;

	for (i = 0; i < s->nrules; i++)
		n += s->rules[i].re != NULL;
	return (n);
}

static void
assert_same_rule(const rule *a, const rule *b)
{
	assert_ptr_equal(a->pub.reason, b->pub.reason);	/* the same word */
	assert_ptr_equal(a->pub.owner, b->pub.owner);
	assert_string_equal(a->pub.status, b->pub.status);
	assert_int_equal(a->pub.cmds, b->pub.cmds);
	assert_int_equal(a->pub.force, b->pub.force);
	assert_int_equal(a->pub.index, b->pub.index);
	assert_int_equal(a->pub.line, b->pub.line);
	assert_ptr_equal(a->src, b->src);
	assert_int_equal(a->srcn, b->srcn);
	assert_int_equal(a->always, b->always);
	assert_int_equal(a->anchored, b->anchored);
	assert_int_equal(a->lit0, b->lit0);
	assert_int_equal(a->nlit, b->nlit);
	assert_null(b->re);
}

static void
assert_same_lit(const lit *a, const lit *b)
{
	assert_int_equal(a->rule, b->rule);
	assert_int_equal(a->off, b->off);
	assert_int_equal(a->n, b->n);
	assert_int_equal(a->lead, b->lead);
	assert_int_equal(a->filter, b->filter);
	if (a->filter)
		assert_int_equal(a->at, b->at);
}

static void
assert_same_probe(const pattern_set *a, const pattern_set *b, size_t i)
{
	const probe *p = a->probes + i, *q = b->probes + i;

	assert_int_equal(p->key, q->key);
	assert_int_equal(p->at, q->at);
	assert_int_equal(p->rule, q->rule);
	assert_int_equal(p->n, q->n);
	assert_int_equal(p->s - a->chars, q->s - b->chars);
}

/* assert_same_set - b holds what a holds, in its own memory */
static void
assert_same_set(const pattern_set *a, const pattern_set *b)
{
	size_t  i;

	assert_int_equal(a->nrules, b->nrules);
	assert_int_equal(a->npub, b->npub);
	assert_int_equal(a->nlits, b->nlits);
	assert_int_equal(a->nchars, b->nchars);
	assert_int_equal(a->broken, b->broken);
	for (i = 0; i < a->nrules; i++)
		assert_same_rule(a->rules + i, b->rules + i);
	for (i = 0; i < a->nlits; i++)
		assert_same_lit(a->lits + i, b->lits + i);
	assert_memory_equal(a->chars, b->chars, a->nchars);
	assert_ptr_not_equal(a->chars, b->chars);
	assert_memory_equal(a->start, b->start, sizeof(a->start));
	for (i = 0; i < a->start[NBUCKET]; i++)
		assert_same_probe(a, b, i);
	for (i = 0; i < (a->nrules + 63) / 64; i++)
		assert_int_equal(a->always[i], b->always[i]);
}

static void
load__builtin_image_is_the_lazily_parsed_set(void **state)
{
	pattern_set *a = parsed(), *b;
	int     k;

	(void) state;
	b = loaded(&patterns_builtin_image, &k);
	assert_int_equal(k, 0);
	assert_true(a->nrules > 100);
	assert_same_set(a, b);
	patterns_free(a);
	patterns_free(b);
}

static const char *const texts[] = {
	"550 5.1.1 <nobody@example.com>: Recipient address rejected: User unknown",
	"552 5.2.2 Mailbox full",
	"554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using zen.spamhaus.org",
	"421 4.4.2 Connection timed out",
	"550 5.7.26 This message does not have authentication information",
	"Host or domain name not found. Name service error for name=example.invalid",
	"all hosts have been failing for a long time",
	"nothing that any rule should know about",
};

/* assert_same_matches - a and b pick the same rule for every text */
static void
assert_same_matches(const pattern_set *a, const pattern_set *b)
{
	const pattern_rule *x, *y;
	size_t  i;
	int     hits = 0;

	for (i = 0; i < NELEM(texts); i++) {
		x = patterns_match(a, texts[i], strlen(texts[i]), 0);
		y = patterns_match(b, texts[i], strlen(texts[i]), 0);
		if (x == NULL) {
			assert_null(y);
			continue;
		}
		assert_non_null(y);
		assert_int_equal(x->index, y->index);
		assert_ptr_equal(x->reason, y->reason);
		hits++;
	}
	assert_true(hits >= 6);		/* the texts above mostly match */
}

static void
load__image_matches_as_the_parsed_set(void **state)
{
	pattern_set *a = parsed(), *b, *c;
	int     k;

	(void) state;
	b = loaded(&patterns_builtin_image, &k);
	assert_int_equal(k, 0);
	assert_int_equal(compiled(b), 0);		/* JIT: compiled on use */
	c = loaded_as(&patterns_builtin_image, 1, &k);
	assert_int_equal(k, 0);
	assert_int_equal(compiled(c), c->nrules);	/* the image's codes */
	assert_same_matches(a, b);
	assert_same_matches(a, c);
	patterns_free(a);
	patterns_free(b);
	patterns_free(c);
}

static void
emit__writes_the_image_the_build_linked(void **state)
{
	pattern_set *a = parsed_as(1);
	buf     out, file;

	(void) state;
	buf_init(&out);
	buf_init(&file);
	assert_int_equal(patterns_image_emit(a, "patterns_builtin_image", &out), 0);
	assert_int_equal(test_read_file(DSN_TOP_BUILDDIR
				"/src/patterns_builtin_image.c", &file), 0);
	assert_int_equal(out.len, file.len);
	assert_memory_equal(out.data, file.data, out.len);
	buf_free(&out);
	buf_free(&file);
	patterns_free(a);
}

static void
emit__refuses_a_set_compiled_at_load(void **state)
{
	pattern_set *s = patterns_new();
	buf     out, err;

	(void) state;
	buf_init(&out);
	buf_init(&err);
	patterns_no_jit(s);
	assert_int_equal(patterns_parse(s, "b", patterns_builtin,
					patterns_builtin_len, &err), 0);
	assert_int_equal(patterns_image_emit(s, "x", &out), -1);
	buf_free(&out);
	buf_free(&err);
	patterns_free(s);
}

/*
 * Edited copies of the built-in image: a rule's line number marks which
 * one a set came from.
 */
static patterns_image img;
static patterns_image_rule *img_rules;
static patterns_image_probe *img_probes;

static int
copy_image(void **state)
{
	size_t  nr = patterns_builtin_image.nrules;
	size_t  np = patterns_builtin_image.nprobes;

	(void) state;
	img = patterns_builtin_image;
	img_rules = malloc(nr * sizeof(*img_rules));
	img_probes = malloc((np ? np : 1) * sizeof(*img_probes));
	if (img_rules == NULL || img_probes == NULL)
		return (-1);
	memcpy(img_rules, img.rules, nr * sizeof(*img_rules));
	memcpy(img_probes, img.probes, np * sizeof(*img_probes));
	img_rules[0].line = 99999;
	img.rules = img_rules;
	img.probes = img_probes;
	return (0);
}

static int
free_image(void **state)
{
	(void) state;
	patterns_image_use(NULL);
	free(img_rules);
	free(img_probes);
	return (0);
}

/* parse_builtin - a set of the built-in text, lazy or compiled now */
static pattern_set *
parse_builtin(int lazy)
{
	pattern_set *s = patterns_new();
	buf     err;

	assert_non_null(s);
	buf_init(&err);
	if (lazy)
		patterns_lazy(s);
	else
		patterns_no_jit(s);
	assert_int_equal(patterns_parse(s, "b", patterns_builtin,
					patterns_builtin_len, &err), 0);
	buf_free(&err);
	return (s);
}

static void
parse__takes_the_image_for_a_lazy_builtin_set_only(void **state)
{
	pattern_set *s;

	(void) state;
	patterns_image_use(&img);
	assert_ptr_equal(patterns_image_used(), &img);
	s = parse_builtin(1);
	assert_int_equal(s->rules[0].pub.line, 99999);	/* from the image */
	patterns_free(s);
	s = parse_builtin(0);
	assert_int_not_equal(s->rules[0].pub.line, 99999);
	assert_non_null(s->rules[0].re);		/* compiled at load */
	patterns_free(s);
	patterns_image_use(NULL);
	s = parse_builtin(1);
	assert_int_not_equal(s->rules[0].pub.line, 99999);
	patterns_free(s);
}

/* assert_refused - img is refused whole, and parsing falls back */
static void
assert_refused(void)
{
	pattern_set *s;
	int     k;

	s = loaded(&img, &k);
	assert_int_equal(k, 1);
	assert_int_equal(s->nrules, 0);
	assert_int_equal(s->nlits, 0);
	assert_null(s->rules);
	patterns_free(s);
	patterns_image_use(&img);
	s = parse_builtin(1);
	assert_true(s->nrules > 100);
	assert_int_not_equal(s->rules[0].pub.line, 99999);	/* parsed */
	patterns_free(s);
	patterns_image_use(NULL);
}

static void
load__an_image_of_other_rules_is_refused(void **state)
{
	(void) state;
	img.text_len++;
	assert_refused();
	img.text_len--;
	img.nbucket /= 2;
	assert_refused();
	img.nbucket *= 2;
}

static void
load__an_unknown_word_is_refused(void **state)
{
	const char *was = img_rules[7].reason;
	size_t  i;

	(void) state;
	img_rules[7].reason = "nosuchreason";
	assert_refused();
	img_rules[7].reason = was;
	for (i = 0; i < img.nrules && img_rules[i].owner == NULL; i++)
		 /* void */ ;
	assert_true(i < img.nrules);
	was = img_rules[i].owner;
	img_rules[i].owner = "boss";
	assert_refused();
	img_rules[i].owner = was;
}

static void
load__offsets_out_of_range_are_refused(void **state)
{
	size_t  was = img_rules[3].srcn;

	(void) state;
	img_rules[3].srcn = patterns_builtin_len;
	assert_refused();
	img_rules[3].srcn = was;
	assert_true(img.nprobes > 0);
	was = img_probes[0].off;
	img_probes[0].off = img.nchars;
	assert_refused();
	img_probes[0].off = was;
}

static void
load__codes_pcre2_cannot_read_stay_lazy(void **state)
{
	pattern_set *a = parsed(), *b;
	unsigned char *codes;
	int     k;

	(void) state;
	assert_true(img.ncodes > 8);
	codes = malloc(img.ncodes);
	assert_non_null(codes);
	memcpy(codes, img.codes, img.ncodes);
	codes[0] ^= 0xff;			/* its magic number */
	img.codes = codes;
	img_rules[0].line = patterns_builtin_image.rules[0].line;
	b = loaded_as(&img, 1, &k);
	assert_int_equal(k, 0);
	assert_int_equal(compiled(b), 0);
	assert_same_matches(a, b);
	assert_true(compiled(b) > 0);		/* compiled on first use */
	img.codes = patterns_builtin_image.codes;
	img_rules[0].line = 99999;
	free(codes);
	patterns_free(a);
	patterns_free(b);
}

static void
load__refuses_a_set_not_empty_or_not_lazy(void **state)
{
	pattern_set *s = parse_builtin(1);

	(void) state;
	assert_int_equal(patterns_image_load(s, &patterns_builtin_image), 1);
	patterns_free(s);
	s = patterns_new();
	assert_int_equal(patterns_image_load(s, &patterns_builtin_image), 1);
	assert_int_equal(patterns_image_load(s, NULL), 1);
	patterns_free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(load__builtin_image_is_the_lazily_parsed_set),
		cmocka_unit_test(load__image_matches_as_the_parsed_set),
		cmocka_unit_test(emit__writes_the_image_the_build_linked),
		cmocka_unit_test(emit__refuses_a_set_compiled_at_load),
		cmocka_unit_test(load__refuses_a_set_not_empty_or_not_lazy),
	};
	const struct CMUnitTest edited[] = {
		cmocka_unit_test(parse__takes_the_image_for_a_lazy_builtin_set_only),
		cmocka_unit_test(load__an_image_of_other_rules_is_refused),
		cmocka_unit_test(load__an_unknown_word_is_refused),
		cmocka_unit_test(load__offsets_out_of_range_are_refused),
		cmocka_unit_test(load__codes_pcre2_cannot_read_stay_lazy),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL)
		| cmocka_run_group_tests(edited, copy_image, free_image));
}
