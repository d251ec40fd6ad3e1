/*
 * NAME
 *	qp - quoted-printable encoding (RFC 2045) of UTF-8 text
 * DESCRIPTION
 *	See qp.h.  The encoder is on the path of every rewritten bounce, so
 *	runs of bytes that go out as they are are copied at once, and the
 *	output is gathered in a chunk on the stack and added to the buf a
 *	chunk at a time.
 */
#include <string.h>

#include "buf.h"
#include "qp.h"

#define QP_CHUNK	1024		/* output gathered before buf_add */
#define QP_UNIT_MAX	12		/* one UTF-8 character as =XX=XX=XX=XX */

static const char hex[] = "0123456789ABCDEF";

/*
 * Bytes that may go out as they are: printable ASCII other than '=', and
 * space and tab, which only inside a line (plain_run() is never given
 * the last byte of a line; encode_unit() checks it for white space).
 */
static const unsigned char plain[256] = {
	0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0,	/* 0x00: tab */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,	/* 0x20: space */
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1,	/* 0x3D: '=' */
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0,	/* 0x7F: DEL */
	/* 0x80-0xFF: all zero */
};

/* Encoded output on its way to the buf. */
typedef struct qp_sink {
	buf    *out;
	const char *eol;
	size_t  eol_len;
	size_t  len;			/* bytes in chunk */
	char    chunk[QP_CHUNK];
} qp_sink;

/* sink_flush - hand the chunk to the buf */
static void
sink_flush(qp_sink *s)
{
	if (s->len > 0)
		buf_add(s->out, s->chunk, s->len);
	s->len = 0;
}

/* sink_put - append p[0..n), any length */
static void
sink_put(qp_sink *s, const void *p, size_t n)
{
	if (n > QP_CHUNK - s->len) {
		sink_flush(s);
		if (n > QP_CHUNK) {
			buf_add(s->out, p, n);
			return;
		}
	}
	memcpy(s->chunk + s->len, p, n);
	s->len += n;
}

/* sink_encode - append p[0..n) as =XX triplets, n <= 4 */
static void
sink_encode(qp_sink *s, const unsigned char *p, size_t n)
{
	char   *d;
	size_t  k;

	if (QP_UNIT_MAX > QP_CHUNK - s->len)
		sink_flush(s);
	d = s->chunk + s->len;
	for (k = 0; k < n; k++) {
		*d++ = '=';
		*d++ = hex[p[k] >> 4];
		*d++ = hex[p[k] & 15];
	}
	s->len += 3 * n;
}

/* utf8_group - length of a well-formed-looking UTF-8 sequence at p, or 1 */
static size_t
utf8_group(const unsigned char *p, size_t n)
{
	size_t  len, i;

	if (p[0] >= 0xC2 && p[0] <= 0xDF)
		len = 2;
	else if (p[0] >= 0xE0 && p[0] <= 0xEF)
		len = 3;
	else if (p[0] >= 0xF0 && p[0] <= 0xF4)
		len = 4;
	else
		return (1);
	if (len > n)
		return (1);
	for (i = 1; i < len; i++)
		if ((p[i] & 0xC0) != 0x80)
			return (1);
	return (len);
}

/* plain_run - how many bytes of p[0..n) are plain, at most max */
static size_t
plain_run(const unsigned char *p, size_t n, size_t max)
{
	size_t  i = 0, end = n < max ? n : max;

	while (i + 4 <= end && (plain[p[i]] & plain[p[i + 1]]
				& plain[p[i + 2]] & plain[p[i + 3]]))
		i += 4;				/* four at a time */
	while (i < end && plain[p[i]])
		i++;
	return (i);
}

/*
 * encode_unit - byte i of the line, or the UTF-8 character starting
 * there, with a soft break before it when it would not fit.  Returns the
 * number of input bytes consumed.
 */
static size_t
encode_unit(const unsigned char *p, size_t n, size_t i, size_t *col,
	    qp_sink *s)
{
	int     blank = p[i] == ' ' || p[i] == '\t';
	int     lit = plain[p[i]] && (i + 1 < n || !blank);
	size_t  len = lit ? 1 : utf8_group(p + i, n - i);
	size_t  width = lit ? 1 : 3 * len;

	if (*col + width > (i + len == n ? QP_LINE_MAX : QP_LINE_MAX - 1)) {
		sink_put(s, "=", 1);
		sink_put(s, s->eol, s->eol_len);
		*col = 0;
	}
	if (lit)
		sink_put(s, p + i, 1);
	else
		sink_encode(s, p + i, len);
	*col += width;
	return (len);
}

/*
 * encode_line - one input line, without its terminator.  Plain runs that
 * fit before column QP_LINE_MAX - 1 are copied at once; anything else
 * (an encoded byte, the last byte, a byte near the margin) goes through
 * encode_unit, which knows the soft-break rules.
 */
static void
encode_line(const unsigned char *p, size_t n, qp_sink *s)
{
	size_t  i = 0, col = 0, run;

	if (n >= 5 && memcmp(p, "From ", 5) == 0) {
		sink_encode(s, p, 1);
		i = 1;
		col = 3;
	}
	while (i < n) {				/* the last byte: encode_unit */
		run = plain_run(p + i, n - 1 - i, QP_LINE_MAX - 1 - col);
		if (run > 0) {
			sink_put(s, p + i, run);
			i += run;
			col += run;
		} else {
			i += encode_unit(p, n, i, &col, s);
		}
	}
}

int
qp_encode(const char *p, size_t n, const char *eol, buf *out)
{
	const unsigned char *u = (const unsigned char *) p;
	const unsigned char *nl;
	size_t  start = 0, end;
	qp_sink s;

	s.out = out;
	s.eol = eol;
	s.eol_len = strlen(eol);
	s.len = 0;
	while (start < n) {
		if ((nl = memchr(u + start, '\n', n - start)) == NULL) {
			encode_line(u + start, n - start, &s);
			break;
		}
		end = (size_t) (nl - u);
		if (end > start && u[end - 1] == '\r')
			end--;
		encode_line(u + start, end - start, &s);
		sink_put(&s, eol, s.eol_len);
		start = (size_t) (nl - u) + 1;
	}
	sink_flush(&s);
	return (out->failed ? -1 : 0);
}
