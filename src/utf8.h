/*
 * NAME
 *	utf8 - decode one UTF-8 character
 * SYNOPSIS
 *	#include "utf8.h"
 *	size_t utf8_decode(const unsigned char *p, size_t n, unsigned long *cp);
 * DESCRIPTION
 *	utf8_decode() returns the length (1-4) of the well-formed UTF-8
 *	character at p[0..n) and stores its code point in *cp (cp may be
 *	NULL), or returns 0 for an ill-formed one: a stray continuation
 *	byte, a truncated sequence, an overlong form, a surrogate or a code
 *	point above U+10FFFF.  n must be at least 1.  Never reads past n.
 */
#ifndef DSN_UTF8_H
#define DSN_UTF8_H

#include <stddef.h>

size_t  utf8_decode(const unsigned char *p, size_t n, unsigned long *cp);

#endif
