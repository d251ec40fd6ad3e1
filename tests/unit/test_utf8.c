/*
 * NAME
 *	test_utf8 - unit tests of utf8_decode()
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "utf8.h"

static const struct {
	const char *bytes;
	size_t  n;			/* bytes offered */
	size_t  len;			/* expected length, 0 = ill-formed */
	unsigned long cp;
} cases[] = {
	{"A", 1, 1, 0x41},
	{"\xc3\xa9", 2, 2, 0xe9},
	{"\xe2\x82\xac", 3, 3, 0x20ac},
	{"\xf0\x9f\x98\x80", 4, 4, 0x1f600},
	{"\xc3", 1, 0, 0},			/* truncated */
	{"\xe2\x82", 2, 0, 0},			/* truncated */
	{"\x80", 1, 0, 0},			/* stray continuation */
	{"\xc0\xaf", 2, 0, 0},			/* overlong '/' */
	{"\xe0\x80\xaf", 3, 0, 0},		/* overlong */
	{"\xed\xa0\x80", 3, 0, 0},		/* surrogate U+D800 */
	{"\xf4\x90\x80\x80", 4, 0, 0},		/* above U+10FFFF */
	{"\xc3(", 2, 0, 0},			/* bad continuation */
	{"\xe2\x82\xac", 2, 0, 0},		/* cut by n, never read past */
};

static void
decode__table__lengths_and_code_points(void **state)
{
	size_t  i, len;
	unsigned long cp;

	(void) state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		cp = 0;
		len = utf8_decode((const unsigned char *) cases[i].bytes,
				  cases[i].n, &cp);
		assert_int_equal(len, cases[i].len);
		if (len > 0)
			assert_int_equal(cp, cases[i].cp);
	}
}

static void
decode__null_cp__only_validates(void **state)
{
	(void) state;
	assert_int_equal(utf8_decode((const unsigned char *) "\xc3\xa9", 2,
				     NULL), 2);
}

static void
encode__round_trips_through_decode(void **state)
{
	static const unsigned long cps[] = {
		0x1, 0x41, 0x7f, 0x80, 0xe9, 0x7ff, 0x800, 0x44f, 0x4e2d,
		0xd7ff, 0xe000, 0xfffd, 0xffff, 0x10000, 0x1f600, 0x10ffff
	};
	static const size_t lens[] = {
		1, 1, 1, 2, 2, 2, 3, 2, 3, 3, 3, 3, 3, 4, 4, 4
	};
	char    out[4];
	unsigned long back;
	size_t  i, n;

	(void) state;
	for (i = 0; i < sizeof(cps) / sizeof(cps[0]); i++) {
		n = utf8_encode(cps[i], out);
		assert_int_equal(n, lens[i]);
		assert_int_equal(utf8_decode((unsigned char *) out, n, &back), n);
		assert_int_equal(back, cps[i]);
	}
	assert_int_equal(utf8_encode(0xe9, out), 2);
	assert_memory_equal(out, "\xc3\xa9", 2);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(decode__table__lengths_and_code_points),
		cmocka_unit_test(decode__null_cp__only_validates),
		cmocka_unit_test(encode__round_trips_through_decode),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
