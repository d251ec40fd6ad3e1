/*
 * NAME
 *	qp - quoted-printable encoding (RFC 2045) of UTF-8 text
 * DESCRIPTION
 *	See qp.h.
 */
#include <string.h>

#include "buf.h"
#include "qp.h"

static const char hex[] = "0123456789ABCDEF";

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

/* literal - can byte i of the line go out as it is? */
static int
literal(const unsigned char *p, size_t n, size_t i)
{
	if (p[i] == ' ' || p[i] == '\t')
		return (i + 1 < n);		/* not trailing white space */
	if (i == 0 && p[0] == 'F' && n >= 5 && memcmp(p, "From ", 5) == 0)
		return (0);
	return (p[i] > 32 && p[i] < 127 && p[i] != '=');
}

/*
 * encode_line - one input line, without its terminator.  Each output line
 * is assembled in a small array and added to out at once: the encoder is
 * on the path of every rewritten bounce.
 */
static void
encode_line(const unsigned char *p, size_t n, const char *eol, buf *out)
{
	char    line[QP_LINE_MAX + 16];
	size_t  i = 0, col = 0, len, width, k;
	int     lit;

	while (i < n) {
		lit = literal(p, n, i);
		len = lit ? 1 : utf8_group(p + i, n - i);
		width = lit ? 1 : 3 * len;
		if (col + width > (i + len == n ? QP_LINE_MAX : QP_LINE_MAX - 1)) {
			line[col++] = '=';
			buf_add(out, line, col);
			buf_puts(out, eol);
			col = 0;
		}
		if (lit) {
			line[col++] = (char) p[i];
		} else {
			for (k = 0; k < len; k++) {
				line[col++] = '=';
				line[col++] = hex[p[i + k] >> 4];
				line[col++] = hex[p[i + k] & 15];
			}
		}
		i += len;
	}
	buf_add(out, line, col);
}

int
qp_encode(const char *p, size_t n, const char *eol, buf *out)
{
	const unsigned char *u = (const unsigned char *) p;
	size_t  start = 0, end, i;

	for (i = 0; i < n; i++) {
		if (u[i] != '\n')
			continue;
		end = (i > start && u[i - 1] == '\r') ? i - 1 : i;
		encode_line(u + start, end - start, eol, out);
		buf_puts(out, eol);
		start = i + 1;
	}
	if (start < n)
		encode_line(u + start, n - start, eol, out);
	return (out->failed ? -1 : 0);
}
