/*
 * NAME
 *	patterns_int - the inside of a pattern set (patterns.c), shared with
 *	patterns_image.c only
 * DESCRIPTION
 *	A set holds its rules (one per top-level branch of a split regex),
 *	their literals (bytes in chars[]) and the trigram index of the
 *	filter literals (probes[], in buckets by start[]).  Nothing here
 *	points outside the set, except rule.src (into patterns_builtin[])
 *	and pattern_rule's vocabulary words (static).
 *	patterns_clear() frees what a set owns and leaves it without rules
 *	(patterns_free() and a refused image use it).
 */
#ifndef DSN_PATTERNS_INT_H
#define DSN_PATTERNS_INT_H

#ifndef PCRE2_CODE_UNIT_WIDTH
#define PCRE2_CODE_UNIT_WIDTH 8
#endif

#include <pthread.h>
#include <stdint.h>

#include <pcre2.h>

#include "patterns.h"

#define NBUCKET_BITS	12
#define NBUCKET		(1 << NBUCKET_BITS)	/* index buckets */
#define NLOCK		16		/* locks of lazy rules: threads that
					 * compile different rules seldom wait */
/* index_build() keeps bucket numbers in a uint16_t */
typedef char nbucket_fits_16_bits[NBUCKET <= 65536 ? 1 : -1];

typedef struct rule {
	pattern_rule pub;
	pcre2_code *re;			/* NULL until first use when lazy */
	const char *src;		/* lazy: its regex, in patterns_builtin[]
					 * (static), or NULL */
	size_t  srcn;
	int     failed;			/* lazy: src did not compile */
	int     always;			/* no literal: always try the regex */
	int     anchored;		/* every branch has a leading literal */
	size_t  lit0, nlit;		/* its literals: lits[lit0..lit0+nlit) */
} rule;

typedef struct lit {
	size_t  rule;
	size_t  off;			/* its bytes, lowercased: chars[off..off+n) */
	size_t  n;
	int     lead;			/* its branch starts with it */
	int     filter;			/* required: goes into the index */
	size_t  at;			/* filter: its trigram in the index */
} lit;

#define LIT_FILTER	1		/* required: goes into the index */
#define LIT_LEAD	2		/* leading: matches start there */

/*
 * probe - a filter literal in the index, under one of its trigrams: the
 * bytes s[at..at+3), as key (a << 16 | b << 8 | c)
 */
typedef struct probe {
	uint32_t key;
	uint32_t at;
	size_t  rule;
	const char *s;
	size_t  n;
} probe;

struct pattern_set {
	rule   *rules;			/* one per branch of a split rule */
	size_t  nrules, rcap;
	size_t  npub;			/* rules of the file */
	lit    *lits;
	size_t  nlits, lcap;
	char   *chars;			/* the bytes of every literal */
	size_t  nchars, ccap;
	uint32_t start[NBUCKET + 1];	/* bucket b: probes[start[b]..start[b+1]) */
	probe  *probes;
	uint64_t *always;		/* bit per rule: tried without literal */
	int     broken;			/* no index (no memory): try every rule */
	pcre2_match_context *mctx;
	int     nojit;			/* patterns_no_jit() */
	int     lazy;			/* patterns_lazy() */
	pthread_mutex_t lock[NLOCK];	/* lock[i % NLOCK] guards compiling
					 * lazy rule i */
};

void    patterns_clear(pattern_set *s);

#endif
