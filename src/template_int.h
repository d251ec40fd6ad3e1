/*
 * NAME
 *	template_int - what the template loader and the lookup share
 * SYNOPSIS
 *	#include "template_int.h"
 *	const char *tmpl_parse_code(const char *p, size_t n, int allow_range,
 *	                claim *c);
 *	int    tmpl_reason_index(const char *word);
 *	int    tmpl_placeholder(const char *name, size_t n);
 *	void   tmpl_free(tmpl_set *s);
 * DESCRIPTION
 *	The layout of a loaded set (tmpl_set) and its claim tables, shared
 *	by template_load.c (reading and validating the files) and template.c
 *	(selection, strings, expansion); nothing else includes this file.
 *	tmpl_parse_code() parses CLASS.SUBJECT.DETAIL[-HIGH] into c and
 *	returns NULL, or the problem; tmpl_reason_index() is the index of a
 *	reason word in classify_reasons[] (-1: unknown); tmpl_placeholder()
 *	the index of a placeholder name in tmpl_names[] (-1: unknown).
 */
#ifndef DSN_TEMPLATE_INT_H
#define DSN_TEMPLATE_INT_H

#define PCRE2_CODE_UNIT_WIDTH 8

#include <pcre2.h>
#include <stddef.h>

#include "template.h"

#define TMPL_MATCH_LIMIT	100000
#define TMPL_DEPTH_LIMIT	10000

/* Claim tables, in no particular order (selection order is in the code). */
enum {
	CLAIM_EXACT, CLAIM_RANGE, CLAIM_REASON, CLAIM_SUBJECT, CLAIM_CLASS,
	CLAIM_DEFAULT, CLAIM_KINDS
};

typedef struct claim {
	int     cls;			/* 2, 4, 5; 0 for X or none */
	int     subj;			/* subject, or reason index */
	int     lo, hi;			/* detail range */
	int     line;
	size_t  t;			/* template index */
	size_t  seq;			/* definition order */
} claim;

typedef struct claims {
	claim  *v;
	size_t  n, cap;
} claims;

typedef struct pattern {
	pcre2_code *re;
	size_t  t;
} pattern;

typedef struct strent {
	char   *key;
	char   *value;
	int     line;
} strent;

struct tmpl_set {
	tmpl   *t;
	size_t  nt, tcap;
	char  **files;			/* paths, tmpl.file points here */
	size_t  nfiles, fcap;
	claims  c[CLAIM_KINDS];
	pattern *pat;
	size_t  npat, patcap;
	strent *str;			/* sorted by key */
	size_t  nstr, strcap;
	pcre2_match_context *mctx;
};

/* The placeholders, in the order of tmpl_vars. */
typedef struct tmpl_name {
	const char *name;
	size_t  off;
} tmpl_name;

extern const tmpl_name tmpl_names[];
extern const size_t tmpl_nnames;

const char *tmpl_parse_code(const char *p, size_t n, int allow_range,
			    claim *c);
int     tmpl_reason_index(const char *word);
int     tmpl_placeholder(const char *name, size_t n);

#endif
