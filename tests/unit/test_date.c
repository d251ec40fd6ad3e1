/*
 * NAME
 *	test_date - unit tests for RFC 5322 date parsing and delay wording
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "buf.h"
#include "date.h"

typedef struct good_case {
	const char *in;
	long long epoch;
	int     tz;
} good_case;

/* Epochs checked with: date -u -d '...' +%s */
static const good_case good[] = {
	{"Thu, 29 Apr 2013 23:45:46 +0900", 1367246746LL, 540},
	{"Thu, 29 Apr 2013 23:45:46 +0900 (JST)", 1367246746LL, 540},
	{"29 Apr 2013 04:00:00 -0000", 1367208000LL, 0},
	{"Wed, 31 Oct 2012 04:46:27 -0500 (CDT)", 1351676787LL, -300},
	{"Thu, 1 Jan 1970 00:00:00 +0000", 0LL, 0},
	{"1 Jan 1970 00:00 GMT", 0LL, 0},
	{"  Thu ,  1  Jan  1970  00 : 00 : 01  UT  ", 1LL, 0},
	{"Thu,\r\n 1 Jan 1970 00:00:00 EST", 18000LL, -300},
	{"1 Jan 1970 00:00:00 PDT", 25200LL, -420},
	{"1 Jan 1970 00:00:00 mst", 25200LL, -420},
	{"1 Jan 70 00:00:00 +0000", 0LL, 0},
	{"1 Jan 00 00:00:00 +0000", 946684800LL, 0},
	{"1 Jan 100 00:00:00 +0000", 946684800LL, 0},
	{"1 January 2000 00:00:00 +0000", 946684800LL, 0},
	{"Saturday, 1 Jan 2000 00:00:00 +0000", 946684800LL, 0},
	{"1 Jan 2000 00:00:00 JST", 946684800LL, 0},	/* unknown: +0000 */
	{"1 Jan 2000 00:00:00", 946684800LL, 0},	/* missing zone */
	{"1 Jan 2000 00:00:00 Z", 946684800LL, 0},
	{"(comment) 1 (more (nested)) Jan 2000 00:00:00 +0000", 946684800LL, 0},
	{"29 Feb 2000 12:00:00 +0000", 951825600LL, 0},
	{"31 Dec 1999 23:59:60 +0000", 946684800LL, 0},	/* leap second */
	{"1 Jan 2000 00:00:00 -2359", 946684800LL + 86340, -1439},
	{"Thu Apr 29 23:45:46 2013", 1367279146LL, 0},	/* asctime */
	{"1 Jan 1900 00:00:00 +0000", -2208988800LL, 0},
	{"31 Dec 9999 23:59:59 +0000", 253402300799LL, 0},
};

static void
parse__good_dates__give_epoch_and_zone(void **state)
{
	long long epoch;
	int     tz;
	size_t  i;

	(void) state;
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		epoch = -1;
		tz = 12345;
		if (date_parse(good[i].in, &epoch, &tz) != 0)
			fail_msg("rejected: %s", good[i].in);
		if (epoch != good[i].epoch || tz != good[i].tz)
			fail_msg("%s: got %lld %d", good[i].in, epoch, tz);
	}
}

static const char *const bad[] = {
	"",
	"   ",
	"(only a comment)",
	"yesterday",
	"Thu, 29 Foo 2013 23:45:46 +0900",
	"Thu, 31 Apr 2013 23:45:46 +0900",	/* April has 30 days */
	"29 Feb 2001 00:00:00 +0000",		/* not a leap year */
	"29 Feb 1900 00:00:00 +0000",		/* not a leap year */
	"0 Jan 2000 00:00:00 +0000",
	"100 Jan 2000 00:00:00 +0000",
	"1 Jan 2000 24:00:00 +0000",
	"1 Jan 2000 23:60:00 +0000",
	"1 Jan 2000 23:59:61 +0000",
	"1 Jan 2000 23 +0000",
	"1 Jan 2000 23: +0000",
	"1 Jan 2000 00:00:00 +000",
	"1 Jan 2000 00:00:00 +00000",
	"1 Jan 2000 00:00:00 +0060",
	"1 Jan 2000 00:00:00 +2400",
	"1 Jan 2000 00:00:00 +",
	"1 Jan 20000 00:00:00 +0000",
	"1 Jan 2 00:00:00 +0000",
	"1 Jan 1899 00:00:00 +0000",
	"Thu, Apr 2013",
	"Monkey, 1 Jan 2000 00:00:00 +0000",
	"Thu, 1 Ja 2000 00:00:00 +0000",
	"Thu, 1 Janx 2000 00:00:00 +0000",
	"1 Jan 2000 00:00:00.5 +0000",
	"1 Jan 2000 00:00:00 0900",
	"99999999999999999999 Jan 2000 00:00:00 +0000",
	"(unterminated comment 1 Jan 2000 00:00:00 +0000",
};

static void
parse__bad_dates__are_refused_and_outputs_kept(void **state)
{
	long long epoch;
	int     tz;
	size_t  i;

	(void) state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		epoch = 42;
		tz = 7;
		if (date_parse(bad[i], &epoch, &tz) == 0)
			fail_msg("accepted: %s", bad[i]);
		assert_true(epoch == 42 && tz == 7);
	}
}

static void
parse__null_outputs__are_allowed(void **state)
{
	(void) state;
	assert_int_equal(date_parse("1 Jan 2000 00:00 +0000", NULL, NULL), 0);
}

static void
parse__trailing_text__is_ignored(void **state)
{
	long long epoch;

	(void) state;
	assert_int_equal(date_parse("1 Jan 1970 00:00:05 +0000 junk here",
				    &epoch, NULL), 0);
	assert_int_equal(epoch, 5);
}

static void
civil__known_days__match(void **state)
{
	(void) state;
	assert_int_equal(date_from_civil(1970, 1, 1), 0);
	assert_int_equal(date_from_civil(2000, 3, 1), 11017);
	assert_int_equal(date_from_civil(1969, 12, 31), -1);
	assert_int_equal(date_from_civil(2024, 2, 29), 19782);
}

typedef struct delay_case {
	long long sec;
	const char *want;
} delay_case;

static const delay_case delays[] = {
	{-5, "0 sec"},
	{0, "0 sec"},
	{3, "3 sec"},
	{59, "59 sec"},
	{60, "1 min"},
	{125, "2 min 5 sec"},
	{3600, "1 h"},
	{3900, "1 h 5 min"},
	{3959, "1 h 5 min"},
	{86400, "1 day"},
	{86400 + 3600 * 3 + 59, "1 day 3 h"},
	{2 * 86400 + 3 * 3600, "2 days 3 h"},
	{400LL * 86400, "400 days"},
};

static void
delay__table__gives_words(void **state)
{
	buf     b;
	size_t  i;

	(void) state;
	for (i = 0; i < sizeof(delays) / sizeof(delays[0]); i++) {
		buf_init(&b);
		assert_int_equal(date_format_delay(delays[i].sec, &b), 0);
		assert_string_equal(b.data, delays[i].want);
		buf_free(&b);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parse__good_dates__give_epoch_and_zone),
		cmocka_unit_test(parse__bad_dates__are_refused_and_outputs_kept),
		cmocka_unit_test(parse__null_outputs__are_allowed),
		cmocka_unit_test(parse__trailing_text__is_ignored),
		cmocka_unit_test(civil__known_days__match),
		cmocka_unit_test(delay__table__gives_words),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
