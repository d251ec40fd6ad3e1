/*
 * NAME
 *	patterns_image - the built-in rule set, parsed and indexed at build
 *	time
 * SYNOPSIS
 *	#include "patterns_image.h"
 *	int    patterns_image_emit(const pattern_set *s, const char *name,
 *	                           buf *out);
 *	int    patterns_image_load(pattern_set *s, const patterns_image *img);
 *	void   patterns_image_use(const patterns_image *img);
 *	const patterns_image *patterns_image_used(void);
 *
 *	extern const patterns_image patterns_builtin_image;
 * DESCRIPTION
 *	Parsing and indexing the built-in rules costs about as much as
 *	reading a hundred bounces, so a one-shot run (dsnmilter -j, -r, -x)
 *	should not do it at every start.  At build time src/mkpatimage
 *	parses patterns_builtin[] as a lazy set would and writes the result
 *	as C (patterns_builtin_image.c, linked into the programs, not into
 *	libdsncore.a); at run time loading it is copying arrays.
 *
 *	patterns_image_emit() appends to out the C source of an image of
 *	the lazy set s, parsed from patterns_builtin[], as a definition of
 *	the object NAME; -1 when s is not such a set or out->failed is set.
 *	When every regex of s is compiled (patterns_compile_all()) and s is
 *	without JIT, the image holds them too, serialised by PCRE2.
 *
 *	patterns_image_load() makes the empty set s what parsing the text
 *	the image was made from would make it, with each regex compiled on
 *	first use: s must be empty and lazy, and the image must have been
 *	made from this program's patterns_builtin[] (its length is
 *	checked).  The compiled regexes of the image are taken when s is
 *	without JIT (patterns_no_jit()) and this PCRE2 reads them (the same
 *	version and build); else each is compiled on first use.  Returns 0,
 *	1 when the image does not fit (s is left empty: parse the text
 *	instead), -1 for lack of memory.
 *
 *	patterns_image_use() names the image that patterns_parse() loads,
 *	for a lazy set, instead of parsing text that is patterns_builtin[]
 *	(NULL: none, the default); patterns_image_used() returns it.
 *	Programs call it once at start, before any thread runs.
 * SEE ALSO
 *	patterns(3) in patterns.h; src/mkpatimage.c.
 */
#ifndef DSN_PATTERNS_IMAGE_H
#define DSN_PATTERNS_IMAGE_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "patterns.h"

/* a rule as stored: vocabulary words by name, its regex by offset */
typedef struct patterns_image_rule {
	const char *reason;
	const char *owner;		/* NULL: none */
	const char *status;		/* "" when none */
	unsigned cmds;
	int     force;
	size_t  index;
	int     line;
	size_t  src, srcn;		/* patterns_builtin[src..src+srcn) */
	int     always, anchored;
	size_t  lit0, nlit;
} patterns_image_rule;

/* a literal (see patterns_int.h: struct lit) */
typedef struct patterns_image_lit {
	size_t  rule, off, n, at;
	int     lead, filter;
} patterns_image_lit;

/* an index probe, its bytes by offset into chars */
typedef struct patterns_image_probe {
	uint32_t key, at;
	size_t  rule, off, n;
} patterns_image_probe;

typedef struct patterns_image {
	size_t  text_len;		/* patterns_builtin_len it was made from */
	size_t  nbucket;		/* NBUCKET it was made with */
	size_t  nrules, npub, nlits, nchars, nprobes;
	const patterns_image_rule *rules;
	const patterns_image_lit *lits;
	const char *chars;
	const uint32_t *start;		/* nbucket + 1 */
	const patterns_image_probe *probes;
	const unsigned char *codes;	/* every rule's regex compiled without
					 * JIT, pcre2_serialize_encode()d */
	size_t  ncodes;			/* its bytes, 0: none */
} patterns_image;

int     patterns_image_emit(const pattern_set *s, const char *name, buf *out);
int     patterns_image_load(pattern_set *s, const patterns_image *img);
void    patterns_image_use(const patterns_image *img);
const patterns_image *patterns_image_used(void);

extern const patterns_image patterns_builtin_image;

#endif
