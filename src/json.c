/*
 * NAME
 *	json - the one-line JSON form of a bounce (dsnmilter -j)
 * DESCRIPTION
 *	See json.h.
 */
#include <stdint.h>
#include <string.h>

#include "json.h"
#include "utf8.h"

/*
 * plain - length of the run at p[0..n) that needs no escaping (printable
 * ASCII but '"' and '\\'): sixteen bytes a step with SSE2 (a signed
 * compare: bytes of 0x80 and more count as below 0x20), eight with the
 * portable word trick elsewhere.  No byte past p[n - 1] is read: with
 * SSE2 a range of sixteen bytes or more ends with one more step over its
 * last sixteen bytes (the bits of those already looked at shifted out),
 * a shorter one is copied to a block of NULs (a NUL needs escaping, so
 * the run stops there at the latest); the portable path reads the step
 * where the run ends and the tail byte by byte.
 */
#ifdef __SSE2__
#include <emmintrin.h>

/* plain_mask - bit i set when byte i of the 16 at p needs escaping */
static inline unsigned
plain_mask(const unsigned char *p)
{
	const __m128i sp = _mm_set1_epi8(0x20), del = _mm_set1_epi8(0x7f),
	        dq = _mm_set1_epi8('"'), bs = _mm_set1_epi8('\\');
	__m128i v = _mm_loadu_si128((const __m128i *) (const void *) p);

	return ((unsigned) _mm_movemask_epi8(_mm_or_si128(
		_mm_or_si128(_mm_cmplt_epi8(v, sp), _mm_cmpeq_epi8(v, del)),
		_mm_or_si128(_mm_cmpeq_epi8(v, dq), _mm_cmpeq_epi8(v, bs)))));
}

static size_t
plain(const unsigned char *p, size_t n)
{
	unsigned char tail[16];
	size_t  k;
	unsigned m;

	if (n < 16) {
		memset(tail, 0, sizeof(tail));
		memcpy(tail, p, n);
		return ((size_t) __builtin_ctz(plain_mask(tail)));
	}
	for (k = 0; n - k >= 16; k += 16)
		if ((m = plain_mask(p + k)) != 0)
			return (k + (size_t) __builtin_ctz(m));
	if (k == n)
		return (n);
	m = plain_mask(p + n - 16) >> (16 - (n - k));
	return (m ? k + (size_t) __builtin_ctz(m) : n);
}
#else
/* plain_bytes - the run of plain() a byte at a time */
static size_t
plain_bytes(const unsigned char *p, size_t n)
{
	size_t  k;

	for (k = 0; k < n && p[k] >= 0x20 && p[k] < 0x7f && p[k] != '"'
	     && p[k] != '\\'; k++)
		 /* void */ ;
	return (k);
}

#define ONES8	0x0101010101010101ULL
#define HIGH8	0x8080808080808080ULL
/* LESS8: a byte of x is below c (c <= 128); BYTE8: a byte of x is c */
#define LESS8(x, c)	(((x) - ONES8 * (c)) & ~(x) & HIGH8)
#define BYTE8(x, c)	LESS8((x) ^ (ONES8 * (c)), 1)

static size_t
plain(const unsigned char *p, size_t n)
{
	uint64_t x;
	size_t  k;

	for (k = 0; n - k >= 8; k += 8) {
		memcpy(&x, p + k, 8);
		if ((x & HIGH8) | LESS8(x, 0x20) | BYTE8(x, 0x7f)
		    | BYTE8(x, '"') | BYTE8(x, '\\'))
			break;
	}
	return (k + plain_bytes(p + k, n - k));
}
#endif

/*
 * utf8_run - length of the run of well-formed UTF-8 characters other than
 * ASCII at p[0..n): copied as they are, the run at once
 */
static size_t
utf8_run(const unsigned char *p, size_t n)
{
	size_t  k, c;

	for (k = 0; k < n && p[k] >= 0x80
	     && (c = utf8_decode(p + k, n - k < 4 ? n - k : 4, NULL)) != 0;
	     k += c)
		 /* void */ ;
	return (k);
}

/*
 * json_string - a string that needs no escaping (most) is written with
 * its quotes into room reserved once; other strings a run at a time:
 * runs that need no escaping (found by plain()) are appended whole
 */
int
json_string(buf *out, const char *s)
{
	const unsigned char *p = (const unsigned char *) (s ? s : "");
	size_t  n = strlen((const char *) p), i, k;
	char   *d;

	if ((i = plain(p, n)) == n) {
		if (buf_reserve(out, n + 2) < 0)
			return (-1);
		d = out->data + out->len;
		d[0] = '"';
		memcpy(d + 1, p, n);
		d[n + 1] = '"';
		d[n + 2] = 0;
		out->len += n + 2;
		return (0);
	}
	buf_putc(out, '"');
	buf_add(out, p, i);
	while (i < n) {
		if ((k = plain(p + i, n - i)) > 0) {
			buf_add(out, p + i, k);
			i += k;
		} else if (p[i] == '"' || p[i] == '\\') {
			buf_putc(out, '\\');
			buf_putc(out, p[i++]);
		} else if (p[i] < 0x20 || p[i] == 0x7f) {
			buf_printf(out, "\\u%04x", p[i++]);
		} else if ((k = utf8_run(p + i, n - i)) == 0) {
			buf_puts(out, "\\ufffd");
			i++;
		} else {
			buf_add(out, p + i, k);
			i += k;
		}
	}
	buf_putc(out, '"');
	return (out->failed ? -1 : 0);
}

/* member - ,"name":"value"; key is the ready-made ,"name": (a literal) */
#define member(out, key, value) \
	(buf_add((out), (key), sizeof(key) - 1), json_string((out), (value)))

static void
json_rcpt(buf *out, const dsn_rcpt *p)
{
	buf_puts(out, "{\"recipient\":");
	json_string(out, p->recipient);
	member(out, ",\"original_recipient\":", p->original_recipient);
	member(out, ",\"action\":", p->action);
	member(out, ",\"status\":", p->status);
	member(out, ",\"reply_code\":", p->reply_code);
	member(out, ",\"reason\":", p->reason);
	member(out, ",\"owner\":", p->owner);
	member(out, ",\"remote_mta\":", p->remote_mta);
	member(out, ",\"diagnostic\":", p->diagnostic);
	member(out, ",\"last_attempt\":", p->last_attempt);
	buf_putc(out, '}');
}

int
json_report(buf *out, const char *file, int bounce, const dsn_report *r)
{
	size_t  i;

	buf_puts(out, "{\"file\":");
	json_string(out, file);
	buf_puts(out, bounce ? ",\"bounce\":true" : ",\"bounce\":false");
	member(out, ",\"kind\":", dsn_kind_name(r->kind));
	member(out, ",\"reporting_mta\":", r->reporting_mta);
	member(out, ",\"arrival_date\":", r->arrival_date);
	buf_puts(out, ",\"recipients\":[");
	for (i = 0; i < r->nrcpt; i++) {
		if (i > 0)
			buf_putc(out, ',');
		json_rcpt(out, r->rcpt + i);
	}
	buf_puts(out, "]}\n");
	return (out->failed ? -1 : 0);
}
