/*
 * NAME
 *	rfc2047 - decode RFC 2047 encoded-words, clean header text to UTF-8
 * SYNOPSIS
 *	#include "rfc2047.h"
 *	char  *rfc2047_decode(const char *s, size_t n);
 *	char  *utf8_sanitize(const char *s, size_t n);
 *	int    charset_is_utf8(const char *cs);
 *	void   charset_to_utf8(const char *cs, size_t cs_len, const char *p,
 *	                       size_t n, buf *out);
 *	int    utf8_sanitize_buf(const char *s, size_t n, buf *out);
 *	size_t utf8_cut(const char *s, size_t n, size_t max);
 * DESCRIPTION
 *	rfc2047_decode() decodes the encoded-words (=?charset?B?...?= and
 *	=?charset?Q?...?=, charset and encoding in any case, an RFC 2231
 *	"*language" suffix ignored) in the header value s[0..n) and returns
 *	the text as UTF-8.  White space between two adjacent encoded-words
 *	is dropped; bytes of adjacent words in the same charset are joined
 *	before conversion, so a character split across two words survives.
 *	Encoded-words are also recognised inside other text (as mail
 *	clients do).  Something that looks like the start of an encoded-word
 *	but is not well formed (unterminated, white space inside, bad
 *	encoding letter) is kept as it is.  Conversion uses iconv, with
 *	descriptors reused from iconvpool (thread-safe); a few charset labels are mapped to their
 *	usual supersets (iso-8859-1 to windows-1252, gb2312 to gb18030,
 *	ks_c_5601-1987 to cp949, shift_jis to cp932).  A charset iconv does
 *	not know keeps its ASCII bytes and turns each run of other bytes
 *	into one U+FFFD; bytes invalid in their charset become U+FFFD.
 *	The result then goes through the same cleaning as utf8_sanitize()
 *	and is cut (at a character boundary) to at most 4 * n + 4 bytes.
 *
 *	utf8_sanitize() returns a clean copy of s[0..n) without decoding:
 *	every byte that does not start a well-formed UTF-8 character
 *	(overlong forms, surrogates and values above U+10FFFF included)
 *	becomes U+FFFD; C0 controls (TAB, CR, LF and NUL among them), DEL,
 *	C1 controls and U+2028/U+2029 become a space; the bidirectional
 *	embedding, override and isolate controls (U+202A..U+202E,
 *	U+2066..U+2069), which could reorder what a reader sees, are
 *	dropped.  utf8_sanitize_buf() appends the same to out.
 *
 *	utf8_cut() returns the largest length <= max (and <= n) that does
 *	not end inside a UTF-8 character of s.
 * DIAGNOSTICS
 *	The char * functions return a new string (the caller frees it), or
 *	NULL when memory runs out; utf8_sanitize_buf() returns 0 or -1.
 *	charset_to_utf8() appends p[0..n) converted from charset cs (a label
 *	of cs_len bytes, checked against a strict character set and mapped to
 *	the usual superset) to out; bytes iconv cannot convert, and every
 *	non-ASCII byte of an unknown charset, become U+FFFD.  It does not
 *	clean control characters: pass the result through utf8_sanitize().
 *	charset_is_utf8() tells whether text labelled cs (a lowercased MIME
 *	charset, NULL for none) is read as it is, without conversion: no
 *	label, US-ASCII (often on raw UTF-8) and UTF-8.
 */
#ifndef DSN_RFC2047_H
#define DSN_RFC2047_H

#include <stddef.h>

#include "buf.h"

char   *rfc2047_decode(const char *s, size_t n);
char   *utf8_sanitize(const char *s, size_t n);
int     charset_is_utf8(const char *cs);
void    charset_to_utf8(const char *cs, size_t cs_len, const char *p,
			size_t n, buf *out);
int     utf8_sanitize_buf(const char *s, size_t n, buf *out);
size_t  utf8_cut(const char *s, size_t n, size_t max);

#endif
