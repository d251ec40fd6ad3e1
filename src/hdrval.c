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

int
hdrval_addr(buf *out, const char *addr)
{
	const unsigned char *p;
	size_t  n = addr ? strlen(addr) : 0;
	int     ascii = 1, plain = 1;

	if (n > ADDR_MAX)
		n = ADDR_MAX;
	for (p = (const unsigned char *) addr; p && p < (const unsigned char *) addr + n; p++) {
		if (*p >= 0x80)
			ascii = 0;
		else if (*p <= 0x20 || *p == 0x7f || *p == '<' || *p == '>')
			plain = 0;
	}
	buf_putc(out, '<');
	if (!ascii && plain) {
		buf_puts(out, "=?utf-8?b?");
		b64(out, (const unsigned char *) addr, n);
		buf_puts(out, "?=");
	} else if (n > 0) {
		hdrval_clean(out, addr, n);
	}
	buf_putc(out, '>');
	return (out->failed ? -1 : 0);
}

/* break_at - where to break value[0..n) to keep col + k <= FOLD_COL */
static size_t
break_at(const char *v, size_t n, size_t col)
{
	size_t  i, best = 0;

	for (i = 1; i < n && (col + i <= FOLD_COL || best == 0); i++) {
		if (v[i] == ' ' && (v[i - 1] == ';' || v[i - 1] == ','))
			best = i;
		if (col + i > HARD_COL)
			return (best ? best : i);
	}
	if (i >= n && col + n <= FOLD_COL)
		return (n);
	return (best ? best : (n < HARD_COL ? n : HARD_COL));
}

int
hdrval_fold(buf *out, const char *value, size_t start)
{
	size_t  n = strlen(value), col = start + 1, k;

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
