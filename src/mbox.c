/*
 * NAME
 *	mbox - the messages of an mbox file
 * DESCRIPTION
 *	See mbox.h.  Pure and bounded: every scan stays within p[0..n).
 */

#include <string.h>

#include "mbox.h"
#include "text.h"

#define DIGIT(c) ((c) >= '0' && (c) <= '9')

/* name_at - p starts with one of the three-letter names of list */
static int
name_at(const char *p, const char *list)
{
	for (; *list; list += 3)
		if (memcmp(p, list, 3) == 0)
			return (1);
	return (0);
}

/*
 * ctime_date - p[0..n) starts with "Www Mmm dd hh:mm" (the day may be
 * padded with a space, "Jul  2"); what follows (seconds, year, zone)
 * varies between writers and is not checked.
 */
static int
ctime_date(const char *p, size_t n)
{
	size_t  i = 8;

	if (n < 15 || !name_at(p, "MonTueWedThuFriSatSun") || p[3] != ' '
	    || !name_at(p + 4, "JanFebMarAprMayJunJulAugSepOctNovDec")
	    || p[7] != ' ')
		return (0);
	if (p[i] == ' ')
		i++;
	if (!DIGIT(p[i]))
		return (0);
	i += DIGIT(p[i + 1]) ? 2 : 1;
	if (i + 6 > n || p[i] != ' ')
		return (0);
	i++;
	return (DIGIT(p[i]) && DIGIT(p[i + 1]) && p[i + 2] == ':'
		&& DIGIT(p[i + 3]) && DIGIT(p[i + 4]));
}

int
mbox_from_line(const char *p, size_t n)
{
	size_t  i = 5;

	if (n < 5 || memcmp(p, "From ", 5) != 0)
		return (0);
	while (i < n && p[i] != ' ' && p[i] != '\t')
		i++;
	if (i == 5)
		return (0);			/* no sender */
	while (i < n && (p[i] == ' ' || p[i] == '\t'))
		i++;
	return (ctime_date(p + i, n - i));
}

/* next_from - the offset of the next envelope line after pos, or n */
static size_t
next_from(const char *p, size_t n, size_t pos)
{
	const char *line;
	size_t  len, start;

	(void) text_line(p, n, &pos, &line, &len);	/* the own one */
	for (start = pos; text_line(p, n, &pos, &line, &len); start = pos)
		if (mbox_from_line(line, len))
			return (start);
	return (n);
}

int
mbox_next(const char *p, size_t n, mbox_iter *it, const char **msg,
	  size_t *len)
{
	size_t  end;

	if (it->count == 0) {
		const char *line;
		size_t  ll, pos = 0;

		it->split = text_line(p, n, &pos, &line, &ll)
			&& mbox_from_line(line, ll);
	} else if (it->pos >= n)
		return (0);
	end = n;
	if (it->split && it->count + 1 < MBOX_MAX)
		end = next_from(p, n, it->pos);
	*msg = n > 0 ? p + it->pos : p;		/* p may be NULL when n is 0 */
	*len = end - it->pos;
	it->pos = end;
	it->count++;
	return (1);
}
