/*
 * NAME
 *	test_iconvpool - unit tests for iconvpool.c
 * DESCRIPTION
 *	A descriptor given back is handed out again for the same charset
 *	only, in its initial shift state; an unknown charset gives -1; a
 *	full pool closes what it cannot keep; descriptors taken at once are
 *	distinct; iconv_pool_free() empties the pool.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "iconvpool.h"

/* conv - convert s with cd; the UTF-8 result in out (NUL-terminated) */
static size_t
conv(iconv_t cd, const char *s, size_t n, char *out, size_t outsz)
{
	char   *in = (char *) s, *o = out;
	size_t  inleft = n, oleft = outsz - 1;

	assert_int_not_equal(iconv(cd, &in, &inleft, &o, &oleft), (size_t) -1);
	*o = 0;
	return ((size_t) (o - out));
}

static void
get__reuses_a_given_back_descriptor_for_that_charset_only(void **state)
{
	iconv_t a, b, c;

	(void) state;
	iconv_pool_free();
	a = iconv_pool_get("WINDOWS-1252");
	assert_true(a != (iconv_t) -1);
	iconv_pool_put("WINDOWS-1252", a);
	c = iconv_pool_get("ISO-8859-2");	/* another charset: a new one */
	assert_true(c != (iconv_t) -1 && c != a);
	b = iconv_pool_get("WINDOWS-1252");
	assert_ptr_equal(b, a);
	iconv_pool_put("WINDOWS-1252", b);
	iconv_pool_put("ISO-8859-2", c);
	iconv_pool_free();
}

static void
get__two_takers_at_once_get_two_descriptors(void **state)
{
	iconv_t a, b;

	(void) state;
	a = iconv_pool_get("WINDOWS-1252");
	b = iconv_pool_get("WINDOWS-1252");
	assert_true(a != (iconv_t) -1 && b != (iconv_t) -1);
	assert_ptr_not_equal(a, b);
	iconv_pool_put("WINDOWS-1252", a);
	iconv_pool_put("WINDOWS-1252", b);
	iconv_pool_free();
}

static void
get__unknown_charset_is_minus_one(void **state)
{
	(void) state;
	assert_true(iconv_pool_get("NO-SUCH-CHARSET-X") == (iconv_t) -1);
	iconv_pool_put("NO-SUCH-CHARSET-X", (iconv_t) -1);	/* harmless */
}

/*
 * ISO-2022-JP is stateful: a conversion cut after the shift to JIS X 0208
 * leaves the descriptor shifted.  Given back and taken again, it must read
 * plain ASCII as ASCII.
 */
static void
get__hands_out_the_initial_shift_state(void **state)
{
	static const char shifted[] = "\x1b$B$\"";	/* ESC $ B, then one kanji */
	char    out[64];
	iconv_t cd;

	(void) state;
	iconv_pool_free();
	cd = iconv_pool_get("ISO-2022-JP");
	assert_true(cd != (iconv_t) -1);
	assert_int_equal(conv(cd, shifted, sizeof(shifted) - 1, out, sizeof(out)), 3);
	iconv_pool_put("ISO-2022-JP", cd);
	assert_ptr_equal(iconv_pool_get("ISO-2022-JP"), cd);
	conv(cd, "AB", 2, out, sizeof(out));
	assert_string_equal(out, "AB");
	iconv_pool_put("ISO-2022-JP", cd);
	iconv_pool_free();
}

/* kept - whether c is one of first[0..n) */
static int
kept(iconv_t c, const iconv_t *first, size_t n)
{
	size_t  i;

	for (i = 0; i < n; i++)
		if (first[i] == c)
			return (1);
	return (0);
}

static void
put__beyond_the_limit_closes_and_free_empties(void **state)
{
	iconv_t cd[ICONV_POOL_MAX + 2], again[ICONV_POOL_MAX];
	size_t  i;

	(void) state;
	iconv_pool_free();
	for (i = 0; i < ICONV_POOL_MAX + 2; i++)
		assert_true((cd[i] = iconv_pool_get("WINDOWS-1252")) != (iconv_t) -1);
	for (i = 0; i < ICONV_POOL_MAX + 2; i++)
		iconv_pool_put("WINDOWS-1252", cd[i]);
	/* the pool kept the first ICONV_POOL_MAX given back, each once */
	for (i = 0; i < ICONV_POOL_MAX; i++) {
		again[i] = iconv_pool_get("WINDOWS-1252");
		assert_true(kept(again[i], cd, ICONV_POOL_MAX));
		assert_false(kept(again[i], again, i));
	}
	for (i = 0; i < ICONV_POOL_MAX; i++)
		iconv_pool_put("WINDOWS-1252", again[i]);
	iconv_pool_free();
	cd[0] = iconv_pool_get("WINDOWS-1252");	/* a new one after free */
	assert_true(cd[0] != (iconv_t) -1);
	iconv_pool_put("WINDOWS-1252", cd[0]);
	iconv_pool_free();
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(get__reuses_a_given_back_descriptor_for_that_charset_only),
		cmocka_unit_test(get__two_takers_at_once_get_two_descriptors),
		cmocka_unit_test(get__unknown_charset_is_minus_one),
		cmocka_unit_test(get__hands_out_the_initial_shift_state),
		cmocka_unit_test(put__beyond_the_limit_closes_and_free_empties),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
