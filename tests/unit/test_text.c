/*
 * NAME
 *	test_text - unit tests for text.c
 * DESCRIPTION
 *	Line iteration over LF, CR LF, lone CR, mixed endings and a missing
 *	final line break; case-insensitive compare, prefix and search; trim;
 *	dup with embedded NUL bytes; lower.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "text.h"

struct line_case {
	const char *in;
	size_t  in_len;
	const char *lines[6];			/* NULL-terminated */
};

#define LC(s, ...)	{s, sizeof(s) - 1, {__VA_ARGS__, NULL}}

static const struct line_case line_cases[] = {
	LC("a\nbb\nccc\n", "a", "bb", "ccc"),
	LC("a\r\nbb\r\nccc\r\n", "a", "bb", "ccc"),
	LC("a\rbb\rccc\r", "a", "bb", "ccc"),
	LC("a\r\nbb\rccc\nd", "a", "bb", "ccc", "d"),
	LC("no final break", "no final break"),
	LC("\n\n", "", ""),
	LC("\r\n\r\n", "", ""),
	LC("\n\r", "", ""),			/* LF, then a lone CR */
	LC("x\r\r\ny", "x", "", "y"),
};

static void
line__reads_lf_crlf_cr_and_mixed_endings_alike(void **state)
{
	size_t  i, k, pos, len;
	const char *line;

	(void) state;
	for (i = 0; i < sizeof(line_cases) / sizeof(line_cases[0]); i++) {
		const struct line_case *c = &line_cases[i];

		pos = 0;
		for (k = 0; c->lines[k] != NULL; k++) {
			assert_int_equal(text_line(c->in, c->in_len, &pos, &line,
						   &len), 1);
			assert_true(line >= c->in && line + len <= c->in + c->in_len);
			assert_int_equal(len, strlen(c->lines[k]));
			assert_memory_equal(line, c->lines[k], len);
		}
		assert_int_equal(text_line(c->in, c->in_len, &pos, &line, &len), 0);
		assert_int_equal(pos, c->in_len);
	}
}

static void
line__keeps_nul_bytes_inside_a_line(void **state)
{
	static const char s[] = "a\0b\nc";
	size_t  pos = 0, len;
	const char *line;

	(void) state;
	assert_int_equal(text_line(s, sizeof(s) - 1, &pos, &line, &len), 1);
	assert_int_equal(len, 3);
	assert_int_equal(text_line(s, sizeof(s) - 1, &pos, &line, &len), 1);
	assert_int_equal(len, 1);
	assert_int_equal(line[0], 'c');
}

static void
line__empty_input_has_no_line(void **state)
{
	size_t  pos = 0, len = 99;
	const char *line = NULL;

	(void) state;
	assert_int_equal(text_line("", 0, &pos, &line, &len), 0);
	assert_int_equal(pos, 0);
	pos = 5;				/* past the end */
	assert_int_equal(text_line("abc", 3, &pos, &line, &len), 0);
}

static void
line__stops_at_the_given_length(void **state)
{
	const char *s = "abc\r\ndef";
	size_t  pos = 0, len;
	const char *line;

	(void) state;
	/* the CR at the end of the range is a lone CR: the LF is outside */
	assert_int_equal(text_line(s, 4, &pos, &line, &len), 1);
	assert_int_equal(len, 3);
	assert_int_equal(pos, 4);
	assert_int_equal(text_line(s, 4, &pos, &line, &len), 0);
}

/*
 * A terminator at every offset of a line of up to 40 bytes, in a buffer
 * that holds nothing else (so that a read past its end shows under ASan):
 * the line splitter's steps of 8 and 16 bytes must find the first CR or
 * LF wherever it sits, and a line with none must run to the end.
 */
static void
line__finds_the_terminator_at_every_offset(void **state)
{
	static const char *const ends[] = {"\n", "\r", "\r\n", ""};
	size_t  at, e, n, pos, len;
	const char *line;
	char   *s;

	(void) state;
	for (e = 0; e < 4; e++) {
		for (at = 0; at <= 40; at++) {
			n = at + strlen(ends[e]);
			assert_non_null(s = malloc(n + 1));
			memset(s, 'x', at);
			memcpy(s + at, ends[e], strlen(ends[e]));
			pos = 0;
			assert_int_equal(text_line(s, n, &pos, &line, &len), at > 0 || e < 3);
			if (at > 0 || e < 3) {
				assert_ptr_equal(line, s);
				assert_int_equal(len, at);
				assert_int_equal(pos, n);
			}
			assert_int_equal(text_line(s, n, &pos, &line, &len), 0);
			free(s);
		}
	}
}

/*
 * text_chr3() at every offset up to 40 of an exact-size buffer (reads
 * past it would show under ASan), for each of its three bytes; a range
 * without them, and one that ends just before one, give NULL.
 */
static void
chr3__finds_the_first_of_three_bytes_at_every_offset(void **state)
{
	static const char set[] = "245";
	size_t  at, k, n;
	char   *s;

	(void) state;
	for (k = 0; k < 3; k++) {
		for (at = 0; at <= 40; at++) {
			n = at + 3;
			assert_non_null(s = malloc(n));
			memset(s, 'x', n);
			s[at] = set[k];
			s[n - 1] = set[(k + 1) % 3];	/* a later one */
			assert_ptr_equal(text_chr3(s, n, '2', '4', '5'), s + at);
			assert_null(text_chr3(s, at, '2', '4', '5'));
			free(s);
		}
	}
	assert_null(text_chr3("0123", 0, '0', '1', '2'));
	assert_null(text_chr3("abcdefghijklmnopqrstuvwxyz", 26, '2', '4', '5'));
}

/* chr3_ref - text_chr3() a byte at a time */
static const char *
chr3_ref(const char *s, size_t n, int a, int b, int c)
{
	size_t  i;

	for (i = 0; i < n; i++)
		if (s[i] == (char) a || s[i] == (char) b || s[i] == (char) c)
			return (s + i);
	return (NULL);
}

/*
 * text_chr3() of exact-size ranges of every length to 48, each with the
 * byte at every place or nowhere, NUL one of the three (a range shorter
 * than a step, and the tail of a longer one, must not find the bytes
 * that are not there); also a second hit after the first
 */
static void
chr3__agrees_with_a_byte_loop_for_every_length_and_place(void **state)
{
	static const char set[] = {'\n', '\r', 0};
	size_t  n, at, k;
	char   *s;

	(void) state;
	for (n = 0; n <= 48; n++) {
		for (at = 0; at <= n; at++) {
			for (k = 0; k < 3; k++) {
				assert_non_null(s = malloc(n ? n : 1));
				memset(s, 'x', n);
				if (at < n)
					s[at] = set[k];
				if (at + 5 < n)
					s[at + 5] = set[(k + 1) % 3];
				assert_ptr_equal(text_chr3(s, n, '\n', '\r', 0),
						 chr3_ref(s, n, '\n', '\r', 0));
				assert_ptr_equal(text_chr3(s, n, 'y', 'z', '\r'),
						 chr3_ref(s, n, 'y', 'z', '\r'));
				free(s);
			}
		}
	}
}

struct ieq_case {
	const char *a;
	const char *b;
	int     eq;
	int     prefix;
};

static const struct ieq_case ieq_cases[] = {
	{"Content-Type", "content-type", 1, 1},
	{"CONTENT-TYPE", "Content-Type", 1, 1},
	{"Content-Type", "content-typ", 0, 1},
	{"Content-Typ", "content-type", 0, 0},
	{"", "", 1, 1},
	{"a", "", 0, 1},
	{"", "a", 0, 0},
	{"[", "{", 0, 0},			/* 0x5b vs 0x7b: not letters */
	{"@", "`", 0, 0},
	{"\xc4", "\xe4", 0, 0},			/* not ASCII: exact only */
};

static void
ieq_and_iprefix__ignore_ascii_case_only(void **state)
{
	size_t  i;

	(void) state;
	for (i = 0; i < sizeof(ieq_cases) / sizeof(ieq_cases[0]); i++) {
		const struct ieq_case *c = &ieq_cases[i];

		assert_int_equal(text_ieq(c->a, strlen(c->a), c->b), c->eq);
		assert_int_equal(text_iprefix(c->a, strlen(c->a), c->b), c->prefix);
	}
}

static void
ieq__uses_the_range_length_not_the_nul(void **state)
{
	(void) state;
	assert_int_equal(text_ieq("abcdef", 3, "ABC"), 1);
	assert_int_equal(text_ieq("abcdef", 3, "ABCD"), 0);
	assert_int_equal(text_ieq("a\0c", 3, "a"), 0);
	assert_int_equal(text_iprefix("abcdef", 2, "abc"), 0);
}

/* tolower_ascii - c with 'A'..'Z' lowercased, other bytes as they are */
static int
tolower_ascii(char c)
{
	unsigned char u = (unsigned char) c;

	return (u >= 'A' && u <= 'Z' ? u + 32 : u);
}

/* ieq_ref - text_ieq() a byte at a time */
static int
ieq_ref(const char *a, size_t alen, const char *b)
{
	size_t  i;

	for (i = 0; i < alen; i++)
		if (b[i] == 0 || tolower_ascii(a[i]) != tolower_ascii(b[i]))
			return (0);
	return (b[i] == 0);
}

/* iprefix_ref - text_iprefix() a byte at a time */
static int
iprefix_ref(const char *a, size_t alen, const char *p)
{
	size_t  i;

	for (i = 0; p[i]; i++)
		if (i >= alen || tolower_ascii(a[i]) != tolower_ascii(p[i]))
			return (0);
	return (1);
}

/*
 * text_ieq() and text_iprefix() against byte loops, in exact-size
 * buffers (reads past them would show under ASan): every length to 40
 * (the word steps and their overlapping last one), strings that differ
 * at each place in case only, by 0x20 in a byte that is no letter ('@'
 * and '`', '[' and '{', '\r' and '-', 0xc4 and 0xe4) or in any other
 * way, and strings one byte shorter or longer
 */
static void
ieq_and_iprefix__agree_with_byte_loops_at_every_length(void **state)
{
	static const char base[] = "Content-Transfer-Encoding: [x@y] -\xc4 9z Quoted";
	static const char flip[][2] = {
		{'a', 'A'}, {'Z', 'z'}, {'@', '`'}, {'[', '{'}, {'\r', '-'},
		{'\xc4', '\xe4'}, {'a', 'b'}, {'-', 0},
	};
	size_t  n, at, f, blen;
	char   *a, *b;

	(void) state;
	assert_true(sizeof(base) > 41);
	for (n = 0; n <= 40; n++) {
		for (at = 0; at <= n; at++) {
			for (f = 0; f < sizeof(flip) / sizeof(flip[0]); f++) {
				for (blen = n ? n - 1 : 0; blen <= n + 1; blen++) {
					assert_non_null(a = malloc(n ? n : 1));
					assert_non_null(b = malloc(blen + 1));
					memcpy(a, base, n);
					memcpy(b, base, blen < n ? blen : n);
					if (blen > n)
						b[n] = 'q';
					b[blen] = 0;
					if (at < n) {
						a[at] = flip[f][0];
						if (at < blen)
							b[at] = flip[f][1];
					}
					assert_int_equal(text_ieq(a, n, b) != 0,
							 ieq_ref(a, n, b));
					assert_int_equal(text_iprefix(a, n, b) != 0,
							 iprefix_ref(a, n, b));
					free(a);
					free(b);
				}
			}
		}
	}
}

static void
isearch__finds_needle_ignoring_case_within_the_range(void **state)
{
	const char *h = "Diagnostic-Code: SMTP; 550 User Unknown";

	(void) state;
	assert_ptr_equal(text_isearch(h, strlen(h), "user unknown"), h + 27);
	assert_ptr_equal(text_isearch(h, strlen(h), "DIAG"), h);
	assert_ptr_equal(text_isearch(h, strlen(h), ""), h);
	assert_null(text_isearch(h, strlen(h), "mailbox full"));
	assert_null(text_isearch(h, 30, "user unknown"));	/* cut range */
	assert_null(text_isearch(h, 0, "d"));
	assert_null(text_isearch("ab", 2, "abc"));
}

static void
isearch__sees_past_embedded_nul(void **state)
{
	static const char h[] = "a\0bXyZ";

	(void) state;
	assert_ptr_equal(text_isearch(h, sizeof(h) - 1, "xyz"), h + 3);
}

struct trim_case {
	const char *in;
	const char *out;
};

static const struct trim_case trim_cases[] = {
	{"  a b  ", "a b"},
	{"\t\r\n a\f\v", "a"},
	{"   ", ""},
	{"", ""},
	{"x", "x"},
};

static void
trim__strips_white_space_at_both_ends(void **state)
{
	size_t  i, n;
	const char *p;

	(void) state;
	for (i = 0; i < sizeof(trim_cases) / sizeof(trim_cases[0]); i++) {
		p = trim_cases[i].in;
		n = strlen(p);
		text_trim(&p, &n);
		assert_int_equal(n, strlen(trim_cases[i].out));
		assert_memory_equal(p, trim_cases[i].out, n);
		if (n > 0)
			assert_ptr_equal(p, strstr(trim_cases[i].in, trim_cases[i].out));
	}
}

static void
dup__copies_a_range_and_replaces_nul_bytes(void **state)
{
	char   *s;

	(void) state;
	s = text_dup("a\0b\0", 4);
	assert_non_null(s);
	assert_memory_equal(s, "a b \0", 5);
	free(s);
	s = text_dup("abcdef", 3);
	assert_string_equal(s, "abc");
	free(s);
	s = text_dup("", 0);
	assert_string_equal(s, "");
	free(s);
}

static void
lower__lowercases_ascii_in_place(void **state)
{
	char    s[] = "Message/Delivery-STATUS \xc4";

	(void) state;
	assert_ptr_equal(text_lower(s), s);
	assert_string_equal(s, "message/delivery-status \xc4");
}

static const struct {
	const char *hay;
	size_t  n;
	const char *needle;
	size_t  m;
	long    at;			/* expected offset, -1: not found */
} find_cases[] = {
	{"abc", 3, "", 0, 0},
	{"abc", 3, "c", 1, 2},
	{"abc", 3, "bc", 2, 1},
	{"abc", 2, "bc", 2, -1},		/* only partly in the range */
	{"aaab", 4, "aab", 3, 1},		/* first bytes repeat */
	{"mail message", 12, "message", 7, 5},
	{"mailbox", 7, "mail", 4, 0},
	{"Mail", 4, "mail", 4, -1},		/* exact bytes: case counts */
	{"a\0bc\0d", 6, "c\0d", 3, 3},	/* NUL bytes are bytes */
	{"ab", 2, "abc", 3, -1},
	{"xyxz", 4, "xz", 2, 2},
};

static void
find__exact_bytes_within_the_range(void **state)
{
	size_t  i;
	const char *r;

	(void) state;
	for (i = 0; i < sizeof(find_cases) / sizeof(find_cases[0]); i++) {
		r = text_find(find_cases[i].hay, find_cases[i].n,
			      find_cases[i].needle, find_cases[i].m);
		assert_int_equal(r ? (long) (r - find_cases[i].hay) : -1L,
				 find_cases[i].at);
	}
}

/* naive_find - the first copy of needle[0..m) in hay[0..n), the slow way */
static const char *
naive_find(const char *hay, size_t n, const char *needle, size_t m)
{
	size_t  i;

	for (i = 0; i + m <= n; i++)
		if (memcmp(hay + i, needle, m) == 0)
			return (hay + i);
	return (NULL);
}

/*
 * text_find() against naive_find() for needles of 1 to 20 bytes at every
 * offset of exact-size haystacks of up to 70 bytes (reads past them would
 * show under ASan): the needle whole, with its middle or its last byte
 * changed (the first and last bytes alone must not make a match), cut
 * off by the end of the range, and twice.
 */
static void
find__agrees_with_a_naive_search_at_every_offset(void **state)
{
	static const char pat[] = "message-original!";
	char    needle[21], *hay;
	size_t  m, n, at, k;

	(void) state;
	for (m = 1; m <= 20; m++) {
		for (k = 0; k < m; k++)
			needle[k] = (char) ('a' + (k * 7) % 26);
		for (n = 0; n <= 70; n++) {
			for (at = 0; at <= n; at++) {
				assert_non_null(hay = malloc(n ? n : 1));
				for (k = 0; k < n; k++)
					hay[k] = pat[(k + at) % (sizeof(pat) - 1)];
				for (k = 0; k < m && at + k < n; k++)
					hay[at + k] = needle[k];
				assert_ptr_equal(text_find(hay, n, needle, m),
						 naive_find(hay, n, needle, m));
				if (m >= 3 && at + m <= n) {
					hay[at + m / 2] = '#';	/* middle differs */
					assert_ptr_equal(text_find(hay, n, needle, m),
							 naive_find(hay, n, needle, m));
					hay[at + m / 2] = needle[m / 2];
				}
				if (m >= 2 && at + m <= n) {
					hay[at + m - 1] = '#';	/* last differs */
					assert_ptr_equal(text_find(hay, n, needle, m),
							 naive_find(hay, n, needle, m));
					hay[at + m - 1] = needle[m - 1];
				}
				if (at + 2 * m <= n) {		/* two copies */
					memcpy(hay + at + m, needle, m);
					assert_ptr_equal(text_find(hay, n, needle, m),
							 naive_find(hay, n, needle, m));
				}
				free(hay);
			}
		}
	}
}

static void
lower_copy__lowercases_every_ascii_letter_only(void **state)
{
	char    src[300], dst[300];
	size_t  i, n;

	(void) state;
	memset(src, 0, sizeof(src));
	for (n = 0; n < sizeof(src); n += 7) {
		for (i = 0; i < n; i++)
			src[i] = (char) (i * 37 + n);	/* every byte value */
		memset(dst, 'x', sizeof(dst));
		text_lower_copy(dst, src, n);
		for (i = 0; i < n; i++) {
			unsigned char c = (unsigned char) src[i];

			assert_int_equal((unsigned char) dst[i],
					 c >= 'A' && c <= 'Z' ? c + 32 : c);
		}
		assert_int_equal(dst[n], 'x');
	}
}

static void
hex2__digits_in_any_case__give_the_byte(void **state)
{
	(void) state;
	assert_int_equal(text_hex2("41"), 0x41);
	assert_int_equal(text_hex2("fF"), 0xff);
	assert_int_equal(text_hex2("0a"), 0x0a);
	assert_int_equal(text_hex2("g0"), -1);
	assert_int_equal(text_hex2("0 "), -1);
	assert_int_equal(text_hex2("\xc3\xa9"), -1);
}

static void
digits__hex_and_base64_values(void **state)
{
	static const char b64[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	int     c;

	(void) state;
	for (c = 0; c < 64; c++)
		assert_int_equal(text_b64val((unsigned char) b64[c]), c);
	assert_int_equal(text_b64val('='), -1);
	assert_int_equal(text_b64val('-'), -1);
	assert_int_equal(text_b64val(0xc3), -1);
	assert_int_equal(text_hexdigit('0'), 0);
	assert_int_equal(text_hexdigit('9'), 9);
	assert_int_equal(text_hexdigit('a'), 10);
	assert_int_equal(text_hexdigit('F'), 15);
	assert_int_equal(text_hexdigit('g'), -1);
	assert_int_equal(text_hexdigit(0xe9), -1);
}

/*
 * text_ascii_run: the first byte from 0x80 at every offset of ranges up
 * to 40 bytes (exact-size heap copies, so a read past the end shows
 * under AddressSanitizer), and ranges without one
 */
static void
ascii_run__stops_at_the_first_high_byte_at_every_offset(void **state)
{
	char   *p;
	size_t  n, at;

	(void) state;
	for (n = 0; n <= 40; n++) {
		for (at = 0; at <= n; at++) {
			if ((p = malloc(n ? n : 1)) == NULL)
				fail();
			memset(p, 'a', n);
			if (at < n)
				p[at] = (char) (0x80 | (at & 0x7f));
			if (at + 1 < n)
				p[at + 1] = (char) 0xff;
			assert_int_equal(text_ascii_run(p, n), at);
			free(p);
		}
	}
	assert_int_equal(text_ascii_run("\x7f\x00\x01", 3), 3);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(hex2__digits_in_any_case__give_the_byte),
		cmocka_unit_test(digits__hex_and_base64_values),
		cmocka_unit_test(line__reads_lf_crlf_cr_and_mixed_endings_alike),
		cmocka_unit_test(line__keeps_nul_bytes_inside_a_line),
		cmocka_unit_test(line__empty_input_has_no_line),
		cmocka_unit_test(line__stops_at_the_given_length),
		cmocka_unit_test(line__finds_the_terminator_at_every_offset),
		cmocka_unit_test(chr3__finds_the_first_of_three_bytes_at_every_offset),
		cmocka_unit_test(chr3__agrees_with_a_byte_loop_for_every_length_and_place),
		cmocka_unit_test(ieq_and_iprefix__ignore_ascii_case_only),
		cmocka_unit_test(ieq__uses_the_range_length_not_the_nul),
		cmocka_unit_test(ieq_and_iprefix__agree_with_byte_loops_at_every_length),
		cmocka_unit_test(isearch__finds_needle_ignoring_case_within_the_range),
		cmocka_unit_test(isearch__sees_past_embedded_nul),
		cmocka_unit_test(trim__strips_white_space_at_both_ends),
		cmocka_unit_test(dup__copies_a_range_and_replaces_nul_bytes),
		cmocka_unit_test(lower__lowercases_ascii_in_place),
		cmocka_unit_test(lower_copy__lowercases_every_ascii_letter_only),
		cmocka_unit_test(find__exact_bytes_within_the_range),
		cmocka_unit_test(find__agrees_with_a_naive_search_at_every_offset),
		cmocka_unit_test(ascii_run__stops_at_the_first_high_byte_at_every_offset),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
