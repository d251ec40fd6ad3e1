/*
 * NAME
 *	utf8 - decode one UTF-8 character
 * DESCRIPTION
 *	See utf8.h.  The one decoder that the JSON writer, the RFC 2047
 *	decoder, the template loader and the configuration checks share.
 */
#include "utf8.h"

size_t
utf8_decode(const unsigned char *p, size_t n, unsigned long *cp)
{
	size_t  len, i;
	unsigned long v, min;

	if (p[0] < 0x80)
		len = 1, v = p[0], min = 0;
	else if (p[0] >= 0xc2 && p[0] <= 0xdf)
		len = 2, v = p[0] & 0x1f, min = 0x80;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		len = 3, v = p[0] & 0x0f, min = 0x800;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		len = 4, v = p[0] & 0x07, min = 0x10000;
	else
		return (0);
	if (len > n)
		return (0);
	for (i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return (0);
		v = (v << 6) | (p[i] & 0x3f);
	}
	if (v < min || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
		return (0);
	if (cp != NULL)
		*cp = v;
	return (len);
}

size_t
utf8_encode(unsigned long cp, char *o)
{
	if (cp < 0x80) {
		o[0] = (char) cp;
		return (1);
	}
	if (cp < 0x800) {
		o[0] = (char) (0xc0 | (cp >> 6));
		o[1] = (char) (0x80 | (cp & 0x3f));
		return (2);
	}
	if (cp < 0x10000) {
		o[0] = (char) (0xe0 | (cp >> 12));
		o[1] = (char) (0x80 | ((cp >> 6) & 0x3f));
		o[2] = (char) (0x80 | (cp & 0x3f));
		return (3);
	}
	o[0] = (char) (0xf0 | (cp >> 18));
	o[1] = (char) (0x80 | ((cp >> 12) & 0x3f));
	o[2] = (char) (0x80 | ((cp >> 6) & 0x3f));
	o[3] = (char) (0x80 | (cp & 0x3f));
	return (4);
}
