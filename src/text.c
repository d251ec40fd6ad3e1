/*
 * NAME
 *	text - small helpers over byte ranges
 * DESCRIPTION
 *	See text.h.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"

#define LOWER(c) ((c) >= 'A' && (c) <= 'Z' ? (c) + 32 : (c))
#define SPACE(c) ((c) == ' ' || (c) == '\t' || (c) == '\r' || (c) == '\n' \
		  || (c) == '\f' || (c) == '\v')

/*
 * chr3 - text_chr3(), inline for line_end(): one pass looks for three
 * bytes at once, sixteen bytes a step
 * with SSE2 (every x86-64 has it), eight with the portable word trick
 * elsewhere; a step that finds one is read again byte by byte.  Loads
 * stay inside s[0..n): the tail shorter than a step is read byte by
 * byte, except by text_chr3() with SSE2, where a range of sixteen bytes
 * or more ends with one more step over its last sixteen bytes (their
 * first bits, already looked at, shifted out).  line_end() keeps the
 * byte loop: its ranges run to the end of the text, so it seldom gets
 * there, and the extra step would cost every call registers to save.
 * A block of NULs holding a short range (as json.c's plain() does)
 * measured slower than the byte loop: the copy costs more than the few
 * bytes before the usual early hit.
 */
static const char *
chr3_bytes(const char *s, const char *end, char a, char b, char c)
{
	for (; s < end; s++)
		if (*s == a || *s == b || *s == c)
			return (s);
	return (NULL);
}

#define ONES	0x0101010101010101ULL	/* one in every byte */

#ifdef __SSE2__
#include <emmintrin.h>

/* chr3_mask - bit i set when byte i of the sixteen at p is a, b or c */
static inline unsigned
chr3_mask(const char *p, int a, int b, int c)
{
	__m128i v = _mm_loadu_si128((const __m128i *) (const void *) p);

	return ((unsigned) _mm_movemask_epi8(_mm_or_si128(_mm_or_si128(
		_mm_cmpeq_epi8(v, _mm_set1_epi8((char) a)),
		_mm_cmpeq_epi8(v, _mm_set1_epi8((char) b))),
		_mm_cmpeq_epi8(v, _mm_set1_epi8((char) c)))));
}

static inline const char *
chr3(const char *s, size_t n, int a, int b, int c)
{
	const char *end = s + n;
	unsigned m;

	for (; (size_t) (end - s) >= 16; s += 16)
		if ((m = chr3_mask(s, a, b, c)) != 0)
			return (s + __builtin_ctz(m));
	return (chr3_bytes(s, end, (char) a, (char) b, (char) c));
}

const char *
text_chr3(const char *s, size_t n, int a, int b, int c)
{
	const char *end = s + n;
	unsigned m;

	if (n < 16)
		return (chr3_bytes(s, end, (char) a, (char) b, (char) c));
	for (; (size_t) (end - s) >= 16; s += 16)
		if ((m = chr3_mask(s, a, b, c)) != 0)
			return (s + __builtin_ctz(m));
	if (s == end)
		return (NULL);
	m = chr3_mask(end - 16, a, b, c) >> (16 - (end - s));
	return (m ? s + __builtin_ctz(m) : NULL);
}
#else
#define HIGH8	0x8080808080808080ULL
#define HASZERO(v) (((v) - ONES) & ~(v) & HIGH8)

static inline const char *
chr3(const char *s, size_t n, int a, int b, int c)
{
	const char *end = s + n, *hit;
	uint64_t x;

	for (; (size_t) (end - s) >= 8; s += 8) {
		memcpy(&x, s, 8);
		if ((HASZERO(x ^ (ONES * (unsigned char) a))
		     | HASZERO(x ^ (ONES * (unsigned char) b))
		     | HASZERO(x ^ (ONES * (unsigned char) c)))
		    && (hit = chr3_bytes(s, s + 8, (char) a, (char) b, (char) c)))
			return (hit);
	}
	return (chr3_bytes(s, end, (char) a, (char) b, (char) c));
}

const char *
text_chr3(const char *s, size_t n, int a, int b, int c)
{
	return (chr3(s, n, a, b, c));
}
#endif

/* line_end - the first CR or LF in s[0..n), or s + n (chr3() inline) */
static const char *
line_end(const char *s, size_t n)
{
	const char *e = chr3(s, n, '\n', '\r', '\r');

	return (e ? e : s + n);
}

int
text_line(const char *p, size_t n, size_t *pos, const char **line, size_t *len)
{
	size_t  i = *pos;

	if (i >= n)
		return (0);
	*line = p + i;
	i = (size_t) (line_end(p + i, n - i) - p);
	*len = (size_t) (p + i - *line);
	if (i < n && p[i] == '\r') {
		i++;
		if (i < n && p[i] == '\n')
			i++;
	} else if (i < n) {
		i++;
	}
	*pos = i;
	return (1);
}

/*
 * fold8 - the eight bytes of x with ASCII 'A'..'Z' lowercased (see
 * text_lower_copy() for the trick)
 */

static inline uint64_t
fold8(uint64_t x)
{
	uint64_t low7 = x & (ONES * 0x7f);

	return (x | ((((low7 + ONES * (0x80 - 'A')) ^ (low7 + ONES * (0x80 - 'Z' - 1)))
		      & ~x & (ONES * 0x80)) >> 2));
}

/*
 * ieq_bytes - a[0..n) and b[0..n) are equal ignoring ASCII case: eight
 * bytes a step (folded only when they differ), the last step moved back
 * to end at n; four to seven bytes as two steps of four in one word;
 * fewer a byte at a time
 */
static int
ieq_bytes(const char *a, const char *b, size_t n)
{
	uint64_t x, y;
	uint32_t h[4];
	size_t  i;

	if (n < 4) {
		for (i = 0; i < n; i++)
			if (LOWER((unsigned char) a[i]) != LOWER((unsigned char) b[i]))
				return (0);
		return (1);
	}
	if (n < 8) {
		memcpy(h, a, 4);
		memcpy(h + 1, a + n - 4, 4);
		memcpy(h + 2, b, 4);
		memcpy(h + 3, b + n - 4, 4);
		x = (uint64_t) h[0] << 32 | h[1];
		y = (uint64_t) h[2] << 32 | h[3];
		return (x == y || fold8(x) == fold8(y));
	}
	for (i = 0;; i += 8) {
		if (i + 8 > n)
			i = n - 8;
		memcpy(&x, a + i, 8);
		memcpy(&y, b + i, 8);
		if (x != y && fold8(x) != fold8(y))
			return (0);
		if (i + 8 == n)
			return (1);
	}
}

/*
 * text_ieq - the first bytes decide most compares; then b must be alen
 * bytes long (strnlen() reads no byte past its NUL) and ieq_bytes() can
 * read both ranges whole
 */
int
text_ieq(const char *a, size_t alen, const char *b)
{
	if (alen == 0 || LOWER((unsigned char) a[0]) != LOWER((unsigned char) b[0]))
		return (alen == 0 && b[0] == 0);
	return (strnlen(b, alen + 1) == alen && ieq_bytes(a, b, alen));
}

/* text_iprefix - text_ieq() over the first strlen(prefix) bytes of a */
int
text_iprefix(const char *a, size_t alen, const char *prefix)
{
	size_t  n;

	if (prefix[0] == 0)
		return (1);
	if (alen == 0 || LOWER((unsigned char) a[0]) != LOWER((unsigned char) prefix[0]))
		return (0);
	return ((n = strnlen(prefix, alen + 1)) <= alen && ieq_bytes(a, prefix, n));
}

const char *
text_isearch(const char *hay, size_t n, const char *needle)
{
	size_t  m = strlen(needle), i;
	int     lo, up;

	if (m == 0)
		return (hay);
	lo = LOWER((unsigned char) needle[0]);
	up = lo >= 'a' && lo <= 'z' ? lo - 32 : lo;
	for (i = 0; i + m <= n; i++)
		if (((unsigned char) hay[i] == lo || (unsigned char) hay[i] == up)
		    && text_iprefix(hay + i + 1, n - i - 1, needle + 1))
			return (hay + i);
	return (NULL);
}

/*
 * find_pairs - text_find() sixteen starting positions a step (SSE2): a
 * position is looked at only when both the needle's first and its last
 * byte are where they belong, not at every copy of its first byte (a
 * memchr() per "d" of "delayed" costs more than the rest of the search).
 * The positions that a whole step does not reach are those at the end of
 * a step moved back to end at the last one.  Every load stays inside
 * p[0..n), n >= m + 15: the load of last bytes ends at byte m + 14 of a
 * step.
 */
#ifdef __SSE2__
static inline unsigned
pairs(const char *p, __m128i vf, __m128i vl, size_t m)
{
	return ((unsigned) _mm_movemask_epi8(_mm_and_si128(
		_mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *) (const void *) p), vf),
		_mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *) (const void *)
					       (p + m - 1)), vl))));
}

/* pair_match - the first position of mask (from p) where the needle is */
static inline const char *
pair_match(const char *p, unsigned mask, const char *needle, size_t m)
{
	int     k;

	for (; mask != 0; mask &= mask - 1) {
		k = __builtin_ctz(mask);
		if (memcmp(p + k + 1, needle + 1, m - 2) == 0)
			return (p + k);
	}
	return (NULL);
}

static const char *
find_pairs(const char *p, size_t n, const char *needle, size_t m)
{
	const __m128i vf = _mm_set1_epi8(needle[0]), vl = _mm_set1_epi8(needle[m - 1]);
	const char *last = p + n - m - 15, *hit;	/* the last whole step */
	unsigned mask;

	for (; p <= last; p += 16)
		if ((mask = pairs(p, vf, vl, m)) != 0
		    && (hit = pair_match(p, mask, needle, m)) != NULL)
			return (hit);
	if (p == last + 16)
		return (NULL);
	mask = pairs(last, vf, vl, m) >> (16 - (last + 16 - p));
	return (mask ? pair_match(p, mask, needle, m) : NULL);
}
#endif

const char *
text_find(const char *hay, size_t n, const char *needle, size_t m)
{
	const char *p = hay, *end = hay + n;

	if (m == 0)
		return (hay);
#ifdef __SSE2__
	if (m >= 2 && n >= m + 15)
		return (find_pairs(hay, n, needle, m));
#endif
	while ((size_t) (end - p) >= m
	       && (p = memchr(p, needle[0], (size_t) (end - p) - m + 1)) != NULL) {
		if (m == 1 || (p[1] == needle[1]
			       && memcmp(p + 2, needle + 2, m - 2) == 0))
			return (p);
		p++;
	}
	return (NULL);
}

void
text_trim(const char **p, size_t *n)
{
	while (*n > 0 && SPACE((unsigned char) (*p)[0])) {
		(*p)++;
		(*n)--;
	}
	while (*n > 0 && SPACE((unsigned char) (*p)[*n - 1]))
		(*n)--;
}

void
text_copy(char *dst, const char *src, size_t n)
{
	char   *q, *end = dst + n;

	if (n == 0)
		return;
	memcpy(dst, src, n);
	for (q = memchr(dst, 0, n); q != NULL; q = memchr(q, 0, (size_t) (end - q)))
		*q++ = ' ';
}

char   *
text_dup(const char *p, size_t n)
{
	char   *s;

	if ((s = malloc(n + 1)) == NULL)
		return (NULL);
	text_copy(s, p, n);
	s[n] = 0;
	return (s);
}

char   *
text_lower(char *s)
{
	char   *p;

	for (p = s; *p; p++)
		*p = (char) LOWER((unsigned char) *p);
	return (s);
}

/*
 * text_lower_copy - sixteen bytes at a time with SSE2, then eight bytes
 * at a time: in each byte, bit 7 of (b & 0x7f) + (0x80 - 'A') is set when
 * b >= 'A', of (b & 0x7f) + (0x80 - 'Z' - 1) when b > 'Z'; where exactly
 * the first is set (and b is ASCII), 0x20 is added.  No carry crosses a
 * byte: each sum stays below 0x100.
 */
void
text_lower_copy(char *restrict dst, const char *restrict src, size_t n)
{
	size_t  i = 0;
	uint64_t x, low7, upper;

#ifdef __SSE2__
	/* sixteen bytes a step: 'A'..'Z' by signed compares (non-ASCII is < 0) */
	const __m128i a1 = _mm_set1_epi8('A' - 1), z1 = _mm_set1_epi8('Z' + 1),
	        bit = _mm_set1_epi8(0x20);
	__m128i v;

	for (; i + 16 <= n; i += 16) {
		v = _mm_loadu_si128((const __m128i *) (const void *) (src + i));
		v = _mm_or_si128(v, _mm_and_si128(bit, _mm_and_si128(
			_mm_cmpgt_epi8(v, a1), _mm_cmplt_epi8(v, z1))));
		_mm_storeu_si128((__m128i *) (void *) (dst + i), v);
	}
#endif
	for (; i + 8 <= n; i += 8) {
		memcpy(&x, src + i, 8);
		low7 = x & (ONES * 0x7f);
		upper = ((low7 + ONES * (0x80 - 'A')) ^ (low7 + ONES * (0x80 - 'Z' - 1)))
			& ~x & (ONES * 0x80);
		x |= upper >> 2;
		memcpy(dst + i, &x, 8);
	}
	for (; i < n; i++) {
		unsigned char c = (unsigned char) src[i];

		dst[i] = (char) (c >= 'A' && c <= 'Z' ? c + 32 : c);
	}
}

int
text_hexdigit(int c)
{
	if (c >= '0' && c <= '9')
		return (c - '0');
	c = LOWER(c);
	return (c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1);
}

int
text_hex2(const char *p)
{
	int     hi = text_hexdigit((unsigned char) p[0]), lo;

	if (hi < 0 || (lo = text_hexdigit((unsigned char) p[1])) < 0)
		return (-1);
	return (hi << 4 | lo);
}

int
text_b64val(int c)
{
	if (c >= 'A' && c <= 'Z')
		return (c - 'A');
	if (c >= 'a' && c <= 'z')
		return (c - 'a' + 26);
	if (c >= '0' && c <= '9')
		return (c - '0' + 52);
	if (c == '+')
		return (62);
	if (c == '/')
		return (63);
	return (-1);
}

/* text_ascii_run - eight bytes a step while none has its high bit set */
size_t
text_ascii_run(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *) s;
	size_t  k = 0;
	uint64_t x;

	for (; n - k >= 8; k += 8) {
		memcpy(&x, p + k, 8);
		if (x & ONES * 0x80)
			break;
	}
	while (k < n && p[k] < 0x80)
		k++;
	return (k);
}
