/*
 * NAME
 *	hdrval - header values built from hostile data
 * DESCRIPTION
 *	See hdrval.h.
 */
#include <string.h>

#include "hdrval.h"

#define ADDR_MAX	320
#define FOLD_COL	78
#define HARD_COL	900
#define WORD_BYTES	45	/* 4 * 45 / 3 + 12 = 72 characters */

int
hdrval_clean(buf *out, const char *s, size_t max)
{
	const unsigned char *p = (const unsigned char *) (s ? s : "");
	size_t  k = 0;
	int     space = 0;

	for (; *p && k < max; p++) {
		if (*p < 0x20 || *p == 0x7f || *p == ' ') {
			space = 1;
			continue;
		}
		if (space && k > 0 && k + 1 < max) {
			buf_putc(out, ' ');
			k++;
		}
		space = 0;
		buf_putc(out, *p >= 0x80 ? '?' : *p);
		k++;
	}
	return (out->failed ? -1 : 0);
}

/* b64 - append RFC 4648 base64 of p[0..n) */
static void
b64(buf *out, const unsigned char *p, size_t n)
{
	static const char tab[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t  i;
	unsigned long v;

	for (i = 0; i + 2 < n; i += 3) {
		v = (unsigned long) p[i] << 16 | p[i + 1] << 8 | p[i + 2];
		buf_putc(out, tab[v >> 18 & 63]);
		buf_putc(out, tab[v >> 12 & 63]);
		buf_putc(out, tab[v >> 6 & 63]);
		buf_putc(out, tab[v & 63]);
	}
	if (i < n) {
		v = (unsigned long) p[i] << 16 | (i + 1 < n ? p[i + 1] << 8 : 0);
		buf_putc(out, tab[v >> 18 & 63]);
		buf_putc(out, tab[v >> 12 & 63]);
		buf_putc(out, i + 1 < n ? tab[v >> 6 & 63] : '=');
		buf_putc(out, '=');
	}
}

/*
 * utf8_back - n moved back so that p[0..n) ends on a character boundary;
 * p[n] must exist (n < the length of p).
 */
static size_t
utf8_back(const unsigned char *p, size_t n)
{
	size_t  k = n;

	while (k > 0 && (p[k] & 0xc0) == 0x80)
		k--;
	return (k > 0 ? k : n);
}

/* encoded_words - RFC 2047 "b" words of at most 75 characters each */
static void
encoded_words(buf *out, const unsigned char *p, size_t n)
{
	size_t  k;

	while (n > 0) {
		k = n > WORD_BYTES ? utf8_back(p, WORD_BYTES) : n;
		buf_puts(out, "=?utf-8?b?");
		b64(out, p, k);
		buf_puts(out, "?=");
		p += k;
		n -= k;
		if (n > 0)
			buf_putc(out, ' ');
	}
}

int
hdrval_addr(buf *out, const char *addr)
{
	const unsigned char *u = (const unsigned char *) (addr ? addr : "");
	size_t  n = strlen((const char *) u), i;
	int     ascii = 1, plain = 1;

	if (n > ADDR_MAX)
		n = utf8_back(u, ADDR_MAX);
	for (i = 0; i < n; i++) {
		if (u[i] >= 0x80)
			ascii = 0;
		else if (u[i] <= 0x20 || u[i] == 0x7f || u[i] == '<' || u[i] == '>')
			plain = 0;
	}
	buf_putc(out, '<');
	if (!ascii && plain) {
		encoded_words(out, u, n);
	} else if (n > 0) {
		hdrval_clean(out, (const char *) u, n);
	}
	buf_putc(out, '>');
	return (out->failed ? -1 : 0);
}

/*
 * break_at - where to break v[0..n) so the line stays within FOLD_COL:
 * after the last "; " or ", " that fits, else at the last space that fits,
 * else at the first space at all; a run without spaces breaks at HARD_COL.
 */
static size_t
break_at(const char *v, size_t n, size_t col)
{
	size_t  i, sep = 0, space = 0, room;

	if (col + n <= FOLD_COL)
		return (n);
	room = FOLD_COL > col ? FOLD_COL - col : 1;
	for (i = 1; i < n && i <= room; i++) {
		if (v[i] != ' ')
			continue;
		if (v[i - 1] == ';' || v[i - 1] == ',')
			sep = i;
		space = i;
	}
	if (sep || space)
		return (sep ? sep : space);
	for (; i < n && i < HARD_COL; i++)
		if (v[i] == ' ')
			return (i);
	return (n < HARD_COL ? n : HARD_COL);
}

int
hdrval_fold(buf *out, const char *value, size_t start)
{
	size_t  n = value ? strlen(value) : 0, col = start + 1, k;

	while (n > 0) {
		k = break_at(value, n, col);
		buf_add(out, value, k);
		value += k;
		n -= k;
		while (n > 0 && *value == ' ') {
			value++;
			n--;
		}
		if (n > 0) {
			buf_puts(out, "\n\t");
			col = 8;
		}
	}
	return (out->failed ? -1 : 0);
}
