/*
 * NAME
 *	date - RFC 5322 date-time parsing, and delays in words
 * DESCRIPTION
 *	See date.h.
 */
#include <string.h>

#include "buf.h"
#include "date.h"

#define IS_DIGIT(c)	((c) >= '0' && (c) <= '9')
#define IS_ALPHA(c)	(((c) >= 'a' && (c) <= 'z') || ((c) >= 'A' && (c) <= 'Z'))
#define LOWER(c)	((c) >= 'A' && (c) <= 'Z' ? (c) + 32 : (c))

/* The fields of a date while they are read. */
typedef struct civil {
	int     year, month, day;
	int     hour, min, sec;
	int     tz;			/* minutes east of UTC */
} civil;

static const char *const month_names[] = {
	"january", "february", "march", "april", "may", "june", "july",
	"august", "september", "october", "november", "december", NULL
};
static const char *const day_names[] = {
	"monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
	"sunday", NULL
};

static const struct zone {
	const char *name;
	int     minutes;
} zones[] = {
	{"ut", 0}, {"utc", 0}, {"gmt", 0}, {"z", 0},
	{"est", -300}, {"edt", -240}, {"cst", -360}, {"cdt", -300},
	{"mst", -420}, {"mdt", -360}, {"pst", -480}, {"pdt", -420},
};

/* skip_cfws - skip white space and comments, nested, with quoted pairs */
static void
skip_cfws(const char **pp)
{
	const char *p = *pp;
	size_t  depth = 0;

	for (; *p; p++) {
		if (*p == '(')
			depth++;
		else if (depth > 0 && *p == ')')
			depth--;
		else if (depth > 0 && *p == '\\' && p[1])
			p++;
		else if (depth == 0 && !(*p == ' ' || *p == '\t'
					 || *p == '\r' || *p == '\n'))
			break;
	}
	*pp = p;
}

/* read_num - 1..max digits (not more) into *val; 0 digits read: 0 */
static int
read_num(const char **pp, int max, int *val)
{
	const char *p = *pp;
	int     n = 0, v = 0;

	while (IS_DIGIT(*p) && n <= max) {
		v = v * 10 + (*p++ - '0');
		n++;
	}
	if (n == 0 || n > max)
		return (0);
	*val = v;
	*pp = p;
	return (n);
}

/* read_word - letters, at most max of them; returns their number */
static size_t
read_word(const char **pp, char *w, size_t max)
{
	const char *p = *pp;
	size_t  n = 0;

	while (IS_ALPHA(*p)) {
		if (n < max)
			w[n] = (char) LOWER(*p);
		n++;
		p++;
	}
	if (n > max)
		return (0);
	w[n] = 0;
	*pp = p;
	return (n);
}

/* name_index - index of the name that w (3+ letters) abbreviates, or -1 */
static int
name_index(const char *const *names, const char *w, size_t len)
{
	int     i;

	if (len < 3)
		return (-1);
	for (i = 0; names[i]; i++)
		if (len <= strlen(names[i]) && memcmp(names[i], w, len) == 0)
			return (i);
	return (-1);
}

/* parse_month - a month name */
static int
parse_month(const char **pp, civil *c)
{
	char    w[10];
	size_t  n;
	int     i;

	skip_cfws(pp);
	if ((n = read_word(pp, w, 9)) == 0
	    || (i = name_index(month_names, w, n)) < 0)
		return (-1);
	c->month = i + 1;
	return (0);
}

/* parse_day - day of month, 1 or 2 digits */
static int
parse_day(const char **pp, civil *c)
{
	skip_cfws(pp);
	return (read_num(pp, 2, &c->day) ? 0 : -1);
}

/* parse_year - 4 digits, or the obsolete 2 and 3 digit forms */
static int
parse_year(const char **pp, civil *c)
{
	int     n;

	skip_cfws(pp);
	n = read_num(pp, 4, &c->year);
	if (n == 2)
		c->year += c->year < 50 ? 2000 : 1900;
	else if (n == 3)
		c->year += 1900;
	return (n >= 2 ? 0 : -1);
}

/* parse_time - hh:mm or hh:mm:ss */
static int
parse_time(const char **pp, civil *c)
{
	skip_cfws(pp);
	if (!read_num(pp, 2, &c->hour))
		return (-1);
	skip_cfws(pp);
	if (**pp != ':')
		return (-1);
	(*pp)++;
	skip_cfws(pp);
	if (!read_num(pp, 2, &c->min))
		return (-1);
	skip_cfws(pp);
	if (**pp != ':')
		return (0);
	(*pp)++;
	skip_cfws(pp);
	return (read_num(pp, 2, &c->sec) ? 0 : -1);
}

/* parse_zone - +hhmm, -hhmm, a zone name; unknown or absent: +0000 */
static int
parse_zone(const char **pp, civil *c)
{
	char    w[6];
	size_t  n, i;
	int     v, sign;

	skip_cfws(pp);
	c->tz = 0;
	if (**pp == '+' || **pp == '-') {
		sign = **pp == '-' ? -1 : 1;
		(*pp)++;
		if (read_num(pp, 4, &v) != 4 || v / 100 > 23 || v % 100 > 59)
			return (-1);
		c->tz = sign * (v / 100 * 60 + v % 100);
		return (0);
	}
	if (**pp == 0)
		return (0);
	if (!IS_ALPHA(**pp))		/* "00:00:00.5", "00:00 0900" */
		return (-1);
	if ((n = read_word(pp, w, 5)) == 0)
		return (0);
	for (i = 0; i < sizeof(zones) / sizeof(zones[0]); i++)
		if (strcmp(w, zones[i].name) == 0)
			c->tz = zones[i].minutes;
	return (0);
}

/* days_in_month - with leap years */
static int
days_in_month(int year, int month)
{
	static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
	30, 31};
	int     leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;

	return (mdays[month - 1] + (month == 2 && leap));
}

/* civil_valid - every field in range */
static int
civil_valid(const civil *c)
{
	return (c->year >= 1900 && c->year <= 9999
		&& c->month >= 1 && c->month <= 12
		&& c->day >= 1 && c->day <= days_in_month(c->year, c->month)
		&& c->hour <= 23 && c->min <= 59 && c->sec <= 60);
}

long long
date_from_civil(int year, int month, int day)
{
	long long y = year - (month <= 2);
	long long era = (y >= 0 ? y : y - 399) / 400;
	long long yoe = y - era * 400;
	long long doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5
	+ day - 1;
	long long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	return (era * 146097 + doe - 719468);
}

/* parse_fields - after the day name: RFC 5322 order, or asctime order */
static int
parse_fields(const char **pp, civil *c, int asctime_order)
{
	if (asctime_order)
		return (parse_month(pp, c) < 0 || parse_day(pp, c) < 0
			|| parse_time(pp, c) < 0 || parse_year(pp, c) < 0
			|| parse_zone(pp, c) < 0 ? -1 : 0);
	return (parse_day(pp, c) < 0 || parse_month(pp, c) < 0
		|| parse_year(pp, c) < 0 || parse_time(pp, c) < 0
		|| parse_zone(pp, c) < 0 ? -1 : 0);
}

int
date_parse(const char *s, long long *epoch, int *tz_minutes)
{
	const char *p = s;
	civil   c;
	char    w[10];
	size_t  n;
	int     asctime_order = 0;

	memset(&c, 0, sizeof(c));
	skip_cfws(&p);
	if (IS_ALPHA(*p)) {
		if ((n = read_word(&p, w, 9)) == 0
		    || name_index(day_names, w, n) < 0)
			return (-1);
		skip_cfws(&p);
		if (*p == ',')
			p++;
		else if (IS_ALPHA(*p))
			asctime_order = 1;
	}
	if (parse_fields(&p, &c, asctime_order) < 0 || !civil_valid(&c))
		return (-1);
	if (epoch)
		*epoch = date_from_civil(c.year, c.month, c.day) * 86400
		    + c.hour * 3600 + c.min * 60 + c.sec - c.tz * 60LL;
	if (tz_minutes)
		*tz_minutes = c.tz;
	return (0);
}

int
date_format_delay(long long seconds, buf *out)
{
	long long d, h, m, s;

	if (seconds < 0)
		seconds = 0;
	d = seconds / 86400;
	h = seconds % 86400 / 3600;
	m = seconds % 3600 / 60;
	s = seconds % 60;
	if (d > 0) {
		buf_printf(out, "%lld day%s", d, d == 1 ? "" : "s");
		if (h > 0)
			buf_printf(out, " %lld h", h);
	} else if (h > 0) {
		buf_printf(out, "%lld h", h);
		if (m > 0)
			buf_printf(out, " %lld min", m);
	} else if (m > 0) {
		buf_printf(out, "%lld min", m);
		if (s > 0)
			buf_printf(out, " %lld sec", s);
	} else {
		buf_printf(out, "%lld sec", s);
	}
	return (out->failed ? -1 : 0);
}
