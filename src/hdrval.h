/*
 * NAME
 *	hdrval - header values built from hostile data
 * SYNOPSIS
 *	#include "hdrval.h"
 *	int    hdrval_clean(buf *out, const char *s, size_t max);
 *	int    hdrval_addr(buf *out, const char *addr);
 *	int    hdrval_fold(buf *out, const char *value, size_t start);
 * DESCRIPTION
 *	hdrval_clean() appends s with every byte outside printable ASCII
 *	replaced: CR, LF, TAB and other controls become one space (runs
 *	collapse), NUL ends nothing (there is none: strings are C strings),
 *	bytes >= 0x80 become '?'; at most max bytes are appended.
 *	hdrval_addr() appends an address for a header: "<addr>" when it is
 *	printable ASCII without '<', '>' and white space; a non-ASCII
 *	address is written as one RFC 2047 encoded word
 *	(=?utf-8?b?...?=) inside the angle brackets; anything else is
 *	cleaned with hdrval_clean().  Addresses are capped at 320 bytes.
 *	hdrval_fold() appends value folded for a header whose name and
 *	colon take start columns: a line break "\n\t" is inserted at the
 *	last "; " or ", " or space before column 78; a run without any
 *	such place is broken at 900 bytes so no line exceeds 998; a NULL
 *	value is empty.
 *	All return 0, or -1 for lack of memory.
 */
#ifndef DSN_HDRVAL_H
#define DSN_HDRVAL_H

#include <stddef.h>

#include "buf.h"

int     hdrval_clean(buf *out, const char *s, size_t max);
int     hdrval_addr(buf *out, const char *addr);
int     hdrval_fold(buf *out, const char *value, size_t start);

#endif
