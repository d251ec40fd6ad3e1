/*
 * NAME
 *	date - RFC 5322 date-time parsing, and delays in words
 * SYNOPSIS
 *	#include "date.h"
 *	int    date_parse(const char *s, long long *epoch, int *tz_minutes);
 *	long long date_from_civil(int year, int month, int day);
 *	int    date_format_delay(long long seconds, buf *out);
 * DESCRIPTION
 *	date_parse() reads an RFC 5322 date-time from the C string s:
 *	optional day name (with or without the comma), day of 1-2 digits,
 *	month name (English, any case, the first three letters decide, up
 *	to 9 letters), year of 4 digits (2 digits: 00-49 mean 20xx, 50-99
 *	19xx; 3 digits: + 1900), hh:mm or hh:mm:ss, then a zone: +hhmm or
 *	-hhmm, or an obsolete name (UT, UTC, GMT, Z, EST, EDT, CST, CDT,
 *	MST, MDT, PST, PDT).  Other alphabetic zones and a missing zone count
 *	as +0000, as RFC 5322 section 4.3 asks.  The asctime order ("Thu Apr
 *	29 23:45:46 2013") is accepted too.  White space and (nested)
 *	comments may appear between the tokens and after the date; what
 *	follows the zone is ignored, but something other than a zone right
 *	after the time ("00:00:00.5") makes the date invalid.  Out-of-range fields (day 31 in April,
 *	hour 24, zone minutes 60) make the date invalid.  No locale, no
 *	time zone database, no libc time conversion is involved.
 *	On success *epoch gets the UTC seconds since 1970 and *tz_minutes
 *	the zone offset east of UTC (either pointer may be NULL).
 *
 *	date_from_civil() returns the number of days from 1970-01-01 to the
 *	given proleptic Gregorian date (negative before it).
 *
 *	date_format_delay() appends a short delay in words to out: "3 sec",
 *	"2 min 5 sec", "1 h 5 min", "1 day", "2 days 3 h": the two largest
 *	units, the second left out when it is zero.  Negative delays count
 *	as 0 ("0 sec").
 * DIAGNOSTICS
 *	date_parse() returns 0, or -1 when s is not a date it understands
 *	(the outputs are then left alone).  date_format_delay() returns 0,
 *	or -1 when memory runs out.
 */
#ifndef DSN_DATE_H
#define DSN_DATE_H

#include "buf.h"

int     date_parse(const char *s, long long *epoch, int *tz_minutes);
long long date_from_civil(int year, int month, int day);
int     date_format_delay(long long seconds, buf *out);

#endif
