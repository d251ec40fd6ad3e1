/*
 * NAME
 *	utf8 - decode and encode one UTF-8 character
 * SYNOPSIS
 *	#include "utf8.h"
 *	size_t utf8_decode(const unsigned char *p, size_t n, unsigned long *cp);
 *	size_t utf8_encode(unsigned long cp, char *out);
 * DESCRIPTION
 *	utf8_decode() returns the length (1-4) of the well-formed UTF-8
 *	character at p[0..n) and stores its code point in *cp (cp may be
 *	NULL), or returns 0 for an ill-formed one: a stray continuation
 *	byte, a truncated sequence, an overlong form, a surrogate or a code
 *	point above U+10FFFF.  n must be at least 1.  Never reads past n.
 *	utf8_encode() writes code point cp (at most U+10FFFF; the caller
 *	keeps surrogates out) to out[0..4) as UTF-8 and returns its length.
 */
#ifndef DSN_UTF8_H
#define DSN_UTF8_H

#include <stddef.h>

size_t  utf8_decode(const unsigned char *p, size_t n, unsigned long *cp);
size_t  utf8_encode(unsigned long cp, char *out);

#endif
