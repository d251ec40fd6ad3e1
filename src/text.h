/*
 * NAME
 *	text - small helpers over byte ranges
 * SYNOPSIS
 *	#include "text.h"
 *	int    text_line(const char *p, size_t n, size_t *pos,
 *	                 const char **line, size_t *len);
 *	int    text_ieq(const char *a, size_t alen, const char *b);
 *	int    text_iprefix(const char *a, size_t alen, const char *prefix);
 *	const char *text_isearch(const char *hay, size_t n, const char *needle);
 *	const char *text_find(const char *hay, size_t n, const char *needle,
 *	                 size_t m);
 *	const char *text_chr3(const char *s, size_t n, int a, int b, int c);
 *	size_t text_ascii_run(const char *s, size_t n);
 *	void   text_trim(const char **p, size_t *n);
 *	char  *text_dup(const char *p, size_t n);
 *	void   text_copy(char *dst, const char *src, size_t n);
 *	char  *text_lower(char *s);
 *	int    text_hex2(const char *p);
 *	int    text_hexdigit(int c);
 *	int    text_b64val(int c);
 *	void   text_lower_copy(char *dst, const char *src, size_t n);
 * DESCRIPTION
 *	text_line() returns the next line of p[0..n) starting at *pos and
 *	advances *pos past its terminator.  A line ends at CR LF, LF, or a
 *	lone CR, so LF, CRLF and CR-only input read the same.  The line
 *	excludes its terminator.  Returns 0 at the end of input, 1 otherwise.
 *
 *	text_ieq() compares a byte range with a C string, ignoring ASCII case;
 *	text_iprefix() tests for a prefix the same way; text_isearch() finds
 *	needle in hay ignoring ASCII case (NULL when absent); text_find()
 *	finds the bytes needle[0..m) exactly (for the short needles of the
 *	classifier, where memmem()'s set-up dominates: sixteen positions a
 *	step where their first and last bytes match with SSE2, memchr()
 *	for the first byte elsewhere and in short ranges).
 *	text_chr3() finds the first of the bytes a, b and c in s[0..n)
 *	(NULL when none), a block of bytes at a time (a scan for digits or
 *	line ends, where a byte loop or memchr() per byte value is slow).
 *	text_ascii_run() is the number of bytes below 0x80 that s[0..n)
 *	starts with (eight bytes a step).
 *	text_trim() strips ASCII white space from both ends of a range.
 *	text_dup() copies a range into a new NUL-terminated string; embedded
 *	NUL bytes are replaced by spaces.  text_copy() copies src[0..n) to
 *	dst[0..n) the same way (no NUL added; the ranges must not overlap).
 *	text_lower() lowercases in place; text_lower_copy() writes the
 *	ASCII-lowercased src[0..n) to dst[0..n) (the ranges must not overlap;
 *	written so that it vectorises).
 *	text_hex2() is the value of the two hex digits at p, text_hexdigit()
 *	of one, text_b64val() of one base64 digit; -1 when not digits.
 *	Allocation failure returns NULL.
 */
#ifndef DSN_TEXT_H
#define DSN_TEXT_H

#include <stddef.h>

int     text_line(const char *p, size_t n, size_t *pos,
		  const char **line, size_t *len);
int     text_ieq(const char *a, size_t alen, const char *b);
int     text_iprefix(const char *a, size_t alen, const char *prefix);
const char *text_isearch(const char *hay, size_t n, const char *needle);
const char *text_find(const char *hay, size_t n, const char *needle,
		      size_t m);
const char *text_chr3(const char *s, size_t n, int a, int b, int c);
size_t  text_ascii_run(const char *s, size_t n);
void    text_trim(const char **p, size_t *n);
char   *text_dup(const char *p, size_t n);
void    text_copy(char *dst, const char *src, size_t n);
char   *text_lower(char *s);
int     text_hex2(const char *p);
int     text_hexdigit(int c);
int     text_b64val(int c);
void    text_lower_copy(char *restrict dst, const char *restrict src,
			size_t n);

#endif
