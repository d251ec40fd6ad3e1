/*
 * NAME
 *	rfc2047 - decode RFC 2047 encoded-words, clean header text to UTF-8
 * DESCRIPTION
 *	See rfc2047.h.
 */
#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "iconvpool.h"
#include "rfc2047.h"
#include "text.h"
#include "utf8.h"

#define CHARSET_MAX	64		/* longest charset label accepted */
#define REPLACEMENT	"\xEF\xBF\xBD"	/* U+FFFD in UTF-8 */
#define IS_LWSP(c)	((c) == ' ' || (c) == '\t' || (c) == '\r' || (c) == '\n')

/* An encoded-word found in the input. */
typedef struct ew {
	const char *cs;			/* charset label, no language */
	size_t  cs_len;
	int     enc;			/* 'B' or 'Q' */
	const char *text;		/* encoded text */
	size_t  text_len;
	size_t  end;			/* offset just past "?=" */
} ew;

/* Bytes decoded but not yet converted, all in one charset. */
typedef struct pending {
	const char *cs;
	size_t  cs_len;
	buf     raw;
} pending;

/* utf8_put_clean - append one well-formed character, cleaned */
static void
utf8_put_clean(buf *out, const char *p, size_t len, unsigned long cp)
{
	if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F)
	    || cp == 0x2028 || cp == 0x2029)
		buf_putc(out, ' ');
	else if ((cp >= 0x202A && cp <= 0x202E)
		 || (cp >= 0x2066 && cp <= 0x2069))
		return;
	else
		buf_add(out, p, len);
}

/* ascii_run - how many bytes of p[0..n) are printable ASCII */
static size_t
ascii_run(const unsigned char *p, size_t n)
{
	size_t  i;

	for (i = 0; i < n && p[i] >= 0x20 && p[i] < 0x7F; i++)
		 /* void */ ;
	return (i);
}

int
utf8_sanitize_buf(const char *s, size_t n, buf *out)
{
	const unsigned char *p = (const unsigned char *) s;
	unsigned long cp;
	size_t  i = 0, len;

	while (i < n) {
		if ((len = ascii_run(p + i, n - i)) > 0) {
			buf_add(out, s + i, len);	/* clean as it is */
			i += len;
			continue;
		}
		if ((len = utf8_decode(p + i, n - i, &cp)) == 0) {
			buf_puts(out, REPLACEMENT);
			i++;
			continue;
		}
		utf8_put_clean(out, s + i, len, cp);
		i += len;
	}
	return (out->failed ? -1 : 0);
}

char   *
utf8_sanitize(const char *s, size_t n)
{
	buf     out;

	buf_init(&out);
	if (utf8_sanitize_buf(s, n, &out) < 0) {
		buf_free(&out);
		return (NULL);
	}
	return (buf_detach(&out));
}

size_t
utf8_cut(const char *s, size_t n, size_t max)
{
	size_t  len = n < max ? n : max;

	if (len == n)
		return (len);
	/* Back up over continuation bytes to the start of a character. */
	while (len > 0 && ((unsigned char) s[len] & 0xC0) == 0x80)
		len--;
	return (len);
}

/* ew_parse - recognise an encoded-word at s[i..n) */
static int
ew_parse(const char *s, size_t n, size_t i, ew *w)
{
	const char *star;
	size_t  j, k;

	if (i + 2 > n || s[i] != '=' || s[i + 1] != '?')
		return (0);
	for (j = i + 2; j < n && s[j] != '?' && j - i - 2 <= CHARSET_MAX; j++)
		if (IS_LWSP(s[j]))
			return (0);
	if (j + 2 >= n || s[j] != '?' || s[j + 2] != '?' || j == i + 2)
		return (0);
	w->enc = s[j + 1] & ~0x20;
	if (w->enc != 'B' && w->enc != 'Q')
		return (0);
	for (k = j + 3; k < n && s[k] != '?' && !IS_LWSP(s[k]); k++)
		 /* void */ ;
	if (k + 1 >= n || s[k] != '?' || s[k + 1] != '=')
		return (0);
	w->cs = s + i + 2;
	w->cs_len = j - i - 2;
	if ((star = memchr(w->cs, '*', w->cs_len)) != NULL)
		w->cs_len = (size_t) (star - w->cs);	/* RFC 2231 language */
	w->text = s + j + 3;
	w->text_len = k - j - 3;
	w->end = k + 2;
	return (1);
}

/* q_decode - RFC 2047 "Q": '_' is a space, =XX a byte */
static void
q_decode(const char *p, size_t n, buf *out)
{
	size_t  i;
	int     v;

	for (i = 0; i < n; i++) {
		if (p[i] == '_') {
			buf_putc(out, ' ');
		} else if (p[i] == '=' && i + 2 < n
			   && (v = text_hex2(p + i + 1)) >= 0) {
			buf_putc(out, v);
			i += 2;
		} else {
			buf_putc(out, p[i]);
		}
	}
}

/* b_decode - RFC 2047 "B": base64, stray bytes skipped, stops at '=' */
static void
b_decode(const char *p, size_t n, buf *out)
{
	unsigned long acc = 0;
	size_t  i;
	int     bits = 0, v;

	for (i = 0; i < n && p[i] != '='; i++) {
		if ((v = text_b64val((unsigned char) p[i])) < 0)
			continue;
		acc = ((acc << 6) | (unsigned long) v) & 0xFFFFFF;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			buf_putc(out, (int) ((acc >> bits) & 0xFF));
		}
	}
}

/* Charset labels mapped to the superset that mail really uses. */
static const struct alias {
	const char *label;
	const char *name;
} aliases[] = {
	{"utf8", "UTF-8"},
	{"utf-8", "UTF-8"},
	{"us-ascii", "WINDOWS-1252"},
	{"ascii", "WINDOWS-1252"},
	{"iso-8859-1", "WINDOWS-1252"},
	{"iso8859-1", "WINDOWS-1252"},
	{"iso_8859-1", "WINDOWS-1252"},
	{"latin1", "WINDOWS-1252"},
	{"gb2312", "GB18030"},
	{"gbk", "GB18030"},
	{"x-gbk", "GB18030"},
	{"ks_c_5601-1987", "CP949"},
	{"euc-kr", "CP949"},
	{"shift_jis", "CP932"},
	{"x-sjis", "CP932"},
	{"sjis", "CP932"},
};

/* charset_name - validated, lowercased, aliased label in name (0: bad) */
static int
charset_name(const char *cs, size_t len, char *name)
{
	size_t  i;
	int     c;

	if (len == 0 || len > CHARSET_MAX)
		return (0);
	for (i = 0; i < len; i++) {
		c = (unsigned char) cs[i];
		if (c >= 'A' && c <= 'Z')
			c += 'a' - 'A';
		else if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
			   || strchr("-_.:+", c) != NULL) || c == 0)
			return (0);
		name[i] = (char) c;
	}
	name[len] = 0;
	for (i = 0; i < sizeof(aliases) / sizeof(aliases[0]); i++) {
		if (strcmp(name, aliases[i].label) == 0) {
			/* Every alias name is shorter than CHARSET_MAX. */
			memcpy(name, aliases[i].name,
			       strlen(aliases[i].name) + 1);
			break;
		}
	}
	return (1);
}

/* conv_unknown - keep ASCII, each run of other bytes becomes U+FFFD */
static void
conv_unknown(const char *p, size_t n, buf *out)
{
	size_t  i;

	for (i = 0; i < n; i++) {
		if ((unsigned char) p[i] < 0x80)
			buf_putc(out, p[i]);
		else if (i == 0 || (unsigned char) p[i - 1] < 0x80)
			buf_puts(out, REPLACEMENT);
	}
}

int
charset_is_utf8(const char *cs)
{
	return (cs == NULL || strcmp(cs, "us-ascii") == 0
		|| strcmp(cs, "ascii") == 0 || strcmp(cs, "utf-8") == 0
		|| strcmp(cs, "utf8") == 0);
}

/*
 * conv_run - iconv p[0..n) to UTF-8; a run of bad bytes or a cut
 * sequence is one U+FFFD (as in conv_unknown()).
 * The output chunk is large: glibc converts through an internal buffer
 * and, when the output is full, converts the input again to find where
 * it stopped, so a small chunk made a 9 MB ISO-2022-JP notice take 1.6 s.
 */
static void
conv_run(iconv_t cd, const char *p, size_t n, buf *out)
{
	char    chunk[8192], *in = (char *) p, *o;
	size_t  inleft = n, oleft;
	int     bad = 0;			/* U+FFFD last written */

	while (inleft > 0 && !out->failed) {
		o = chunk;
		oleft = sizeof(chunk);
		errno = 0;
		if (iconv(cd, &in, &inleft, &o, &oleft) == (size_t) -1
		    && errno != E2BIG) {
			buf_add(out, chunk, sizeof(chunk) - oleft);
			if (!bad || oleft < sizeof(chunk))
				buf_puts(out, REPLACEMENT);	/* one a run */
			bad = 1;
			if (errno != EILSEQ)
				break;
			in++;
			inleft--;
			continue;
		}
		buf_add(out, chunk, sizeof(chunk) - oleft);
		bad = 0;
	}
	o = chunk;
	oleft = sizeof(chunk);
	(void) iconv(cd, NULL, NULL, &o, &oleft);
	buf_add(out, chunk, sizeof(chunk) - oleft);
}

/*
 * Windows-1252, the charset of most Western mail (ISO-8859-1 and ASCII
 * labels are read as it): bytes 0x80-0x9F as glibc's iconv maps them, 0
 * where it has no character; from 0xA0 on, byte = code point.  Native
 * because it is common and iconv costs some 60 instructions a byte.
 */
static const unsigned short cp1252_high[32] = {
	0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
	0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
	0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
	0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178,
};

/* is_cp1252 - whether name (charset_name()'s) is Windows-1252 */
static int
is_cp1252(const char *name)
{
	return (strcmp(name, "WINDOWS-1252") == 0
		|| strcmp(name, "windows-1252") == 0
		|| strcmp(name, "cp1252") == 0);
}

#define ONES	0x0101010101010101ULL

/*
 * cp1252_run - p[0..n), Windows-1252, to UTF-8 as conv_run() would with
 * iconv: a run of bytes without a character is one U+FFFD.  The output
 * goes to a local chunk and into out a chunk at a time; long runs of
 * ASCII go to out directly.
 */
#define CP_CHUNK	2048

static void
cp1252_run(const char *p, size_t n, buf *out)
{
	const unsigned char *u = (const unsigned char *) p;
	char    chunk[CP_CHUNK];
	size_t  i, k, o = 0;
	unsigned cp;
	int     bad = 0;

	for (i = 0; i < n; i += k) {
		if (o > CP_CHUNK - 3) {		/* room for one character */
			buf_add(out, chunk, o);
			o = 0;
		}
		if ((k = text_ascii_run((const char *) u + i, n - i)) > 0) {
			if (k > CP_CHUNK - o) {
				buf_add(out, chunk, o);
				buf_add(out, p + i, k);
				o = 0;
			} else {
				memcpy(chunk + o, p + i, k);
				o += k;
			}
			bad = 0;
			continue;
		}
		k = 1;
		cp = u[i] >= 0xA0 ? u[i] : cp1252_high[u[i] - 0x80];
		if (cp == 0) {
			if (!bad) {
				memcpy(chunk + o, REPLACEMENT, 3);
				o += 3;
			}
			bad = 1;
			continue;
		}
		bad = 0;
		o += utf8_encode(cp, chunk + o);	/* 2 or 3 bytes */
	}
	if (o > 0)
		buf_add(out, chunk, o);
}

/*
 * Charsets (lowercased label prefixes, or the upper-case names of the
 * aliases above) in which every byte below 0x80 stands for its ASCII
 * character whenever the whole text is such bytes: single-byte sets and
 * the EUC, GB, Big5, CP932/949 and ISO-2022 families (for ISO-2022 only
 * without ESC, SO and SI, which plain_ascii() rules out).  EBCDIC,
 * UTF-7 and UTF-16/32 are not among them.
 */
static const char *const ascii_supersets[] = {
	"iso-8859-", "iso8859-", "iso_8859-", "windows-125", "cp125",
	"koi8-", "iso-2022-", "euc-", "gb18030", "big5", "tis-620",
	"WINDOWS-1252", "GB18030", "CP949", "CP932",
};

/* ascii_superset - whether name is one of ascii_supersets[] */
static int
ascii_superset(const char *name)
{
	size_t  i;

	for (i = 0; i < sizeof(ascii_supersets) / sizeof(ascii_supersets[0]); i++)
		if (strncmp(name, ascii_supersets[i], strlen(ascii_supersets[i])) == 0)
			return (1);
	return (0);
}

/*
 * plain_ascii - p[0..n) is bytes below 0x80 other than ESC, SO and SI:
 * eight bytes a step, and the bytes of a step that holds one below 0x20
 * one by one
 */
static int
plain_ascii(const char *p, size_t n)
{
	const unsigned char *u = (const unsigned char *) p;
	size_t  i = 0, k;
	uint64_t x;

	for (; n - i >= 8; i += 8) {
		memcpy(&x, u + i, 8);
		if (x & ONES * 0x80)
			return (0);
		if (((x - ONES * 0x20) & ~x & ONES * 0x80) == 0)
			continue;		/* no byte below 0x20 */
		for (k = i; k < i + 8; k++)
			if (u[k] == 0x1B || u[k] == 0x0E || u[k] == 0x0F)
				return (0);
	}
	for (; i < n; i++)
		if (u[i] >= 0x80 || u[i] == 0x1B || u[i] == 0x0E || u[i] == 0x0F)
			return (0);
	return (1);
}

/* charset_to_utf8 - append p[0..n), in charset cs, to out as UTF-8 */
void
charset_to_utf8(const char *cs, size_t cs_len, const char *p, size_t n,
		buf *out)
{
	char    name[CHARSET_MAX + 1];
	iconv_t cd;

	if (!charset_name(cs, cs_len, name)) {
		conv_unknown(p, n, out);
		return;
	}
	if (strcmp(name, "UTF-8") == 0
	    || (ascii_superset(name) && plain_ascii(p, n))) {
		buf_add(out, p, n);		/* checked by the sanitiser */
		return;
	}
	if (is_cp1252(name)) {
		cp1252_run(p, n, out);
		return;
	}
	if ((cd = iconv_pool_get(name)) == (iconv_t) -1) {
		conv_unknown(p, n, out);
		return;
	}
	conv_run(cd, p, n, out);
	iconv_pool_put(name, cd);
}

/* pending_flush - convert the bytes waiting in pd */
static void
pending_flush(pending *pd, buf *out)
{
	if (pd->cs == NULL)
		return;
	charset_to_utf8(pd->cs, pd->cs_len, pd->raw.data ? pd->raw.data : "",
			pd->raw.len, out);
	buf_reset(&pd->raw);
	pd->cs = NULL;
}

/* same_charset - ASCII case-insensitive equality of two labels */
static int
same_charset(const char *a, size_t alen, const char *b, size_t blen)
{
	size_t  i;
	int     x, y;

	if (alen != blen)
		return (0);
	for (i = 0; i < alen; i++) {
		x = (unsigned char) a[i];
		y = (unsigned char) b[i];
		if (x >= 'A' && x <= 'Z')
			x += 'a' - 'A';
		if (y >= 'A' && y <= 'Z')
			y += 'a' - 'A';
		if (x != y)
			return (0);
	}
	return (1);
}

/* pending_add - decode w's text; join with waiting bytes of its charset */
static void
pending_add(pending *pd, const ew *w, buf *out)
{
	if (pd->cs != NULL
	    && !same_charset(pd->cs, pd->cs_len, w->cs, w->cs_len))
		pending_flush(pd, out);
	pd->cs = w->cs;
	pd->cs_len = w->cs_len;
	if (w->enc == 'B')
		b_decode(w->text, w->text_len, &pd->raw);
	else
		q_decode(w->text, w->text_len, &pd->raw);
}

/* decode_words - the decoding pass, before cleaning; stops past cap */
static int
decode_words(const char *s, size_t n, size_t cap, buf *out)
{
	pending pd;
	size_t  i = 0, j;
	int     after_word = 0;
	ew      w;

	pd.cs = NULL;
	buf_init(&pd.raw);
	while (i < n && out->len + pd.raw.len <= cap) {
		if (ew_parse(s, n, i, &w)) {
			pending_add(&pd, &w, out);
			i = w.end;
			after_word = 1;
			continue;
		}
		if (after_word && IS_LWSP(s[i])) {
			for (j = i; j < n && IS_LWSP(s[j]); j++)
				 /* void */ ;
			if (ew_parse(s, n, j, &w)) {
				i = j;
				continue;
			}
		}
		pending_flush(&pd, out);
		buf_putc(out, s[i++]);
		after_word = 0;
	}
	pending_flush(&pd, out);
	j = pd.raw.failed;
	buf_free(&pd.raw);
	return (out->failed || j ? -1 : 0);
}

char   *
rfc2047_decode(const char *s, size_t n)
{
	size_t  cap = n > (BUF_MAX - 4) / 4 ? BUF_MAX : 4 * n + 4;
	buf     raw, clean;
	char   *res = NULL;

	buf_init(&raw);
	buf_init(&clean);
	if (decode_words(s, n, cap, &raw) < 0
	    || utf8_sanitize_buf(raw.data ? raw.data : "", raw.len,
				 &clean) < 0)
		goto out;
	clean.len = utf8_cut(clean.data ? clean.data : "", clean.len, cap);
	if (clean.data)
		clean.data[clean.len] = 0;
	res = buf_detach(&clean);
out:
	buf_free(&raw);
	buf_free(&clean);
	return (res);
}
