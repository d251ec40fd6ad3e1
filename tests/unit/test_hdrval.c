/*
 * NAME
 *	test_hdrval - unit tests for hdrval.c
 * DESCRIPTION
 *	hdrval_clean(): CR, LF and other controls become one space, 8-bit
 *	bytes '?', the cap holds.  hdrval_addr(): plain addresses in angle
 *	brackets, non-ASCII ones as RFC 2047 words that decode back, hostile
 *	ones cleaned.  hdrval_fold(): no line over 78 bytes where a break
 *	point exists, never over 998, only "\n\t" inserted, content kept.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hdrval.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* clean - hdrval_clean() of s into a fresh buffer, as a new string */
static char *
clean(const char *s, size_t max)
{
	buf     b;

	buf_init(&b);
	assert_int_equal(hdrval_clean(&b, s, max), 0);
	return (buf_detach(&b));
}

/* check_str - compare and free, so a failing test leaks nothing */
static void
check_str(char *got, const char *want)
{
	int     same = strcmp(got, want) == 0;

	if (!same)
		print_error("got \"%s\", want \"%s\"\n", got, want);
	free(got);
	assert_true(same);
}

static void
assert_header_safe(const char *s, size_t n)
{
	size_t  i;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char) s[i];

		assert_true(c >= 0x20 && c < 0x7f);
	}
}

struct clean_case {
	const char *in;
	size_t  max;
	const char *want;
};

static const struct clean_case clean_cases[] = {
	{"a@b.example", 200, "a@b.example"},
	{"a\r\nb", 200, "a b"},
	{"a\nb\rc", 200, "a b c"},
	{"a \t\r\n\t b", 200, "a b"},
	{"a\x01\x02\x1f" "b", 200, "a b"},
	{"a\x7f" "b", 200, "a b"},
	{"caf\xc3\xa9", 200, "caf??"},
	{"\xff\x80", 200, "??"},
	{"abcdefgh", 5, "abcde"},
	{"ab cd ef", 5, "ab cd"},
	{"abc", 0, ""},
	{"", 200, ""},
	{"X-Evil: 1\r\nBcc: x@y", 200, "X-Evil: 1 Bcc: x@y"},
};

static void
clean__controls_become_one_space_and_8bit_becomes_question_mark(void **state)
{
	size_t  i, bad = 0;

	(void) state;
	for (i = 0; i < NELEM(clean_cases); i++) {
		const struct clean_case *c = clean_cases + i;
		char   *got = clean(c->in, c->max);

		if (strcmp(got, c->want) != 0) {
			print_error("clean(\"%s\", %zu) = \"%s\", want \"%s\"\n",
				    c->in, c->max, got, c->want);
			bad++;
		}
		free(got);
	}
	assert_int_equal(bad, 0);
}

static void
clean__never_exceeds_the_cap_and_appends(void **state)
{
	char    in[300];
	size_t  i, max;
	buf     b;

	(void) state;
	for (i = 0; i + 1 < sizeof(in); i++)
		in[i] = (char) (i % 3 == 0 ? '\n' : 0x80 + i % 100);
	in[sizeof(in) - 1] = 0;
	for (max = 0; max < 40; max++) {
		buf_init(&b);
		buf_puts(&b, "Name: ");
		assert_int_equal(hdrval_clean(&b, in, max), 0);
		assert_true(b.len <= 6 + max);
		assert_memory_equal(b.data, "Name: ", 6);
		assert_header_safe(b.data, b.len);
		buf_free(&b);
	}
	check_str(clean(NULL, 10), "");
}

/* b64_decode - decode RFC 4648 base64 s[0..n) into out; -1 if invalid */
static int
b64_decode(const char *s, size_t n, buf *out)
{
	static const char tab[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	unsigned long v = 0;
	size_t  i, bits = 0, pad = 0;
	const char *k;

	if (n % 4 != 0)
		return (-1);
	for (i = 0; i < n; i++) {
		if (s[i] == '=') {
			pad++;
			continue;
		}
		if (pad > 0 || s[i] == 0 || (k = strchr(tab, s[i])) == NULL)
			return (-1);
		v = (v << 6 | (unsigned long) (k - tab)) & 0xffffff;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			buf_putc(out, (int) (v >> bits & 0xff));
		}
	}
	return (pad > 2 ? -1 : 0);
}

/*
 * decode_words - the bytes of the RFC 2047 "b" words in s, in order;
 * every word must be at most 75 characters (RFC 2047 section 2).
 */
static int
decode_words(const char *s, buf *out, size_t *longest)
{
	const char *p = s, *w, *e;

	*longest = 0;
	while ((w = strstr(p, "=?")) != NULL) {
		if (strncmp(w, "=?utf-8?b?", 10) != 0
		    && strncmp(w, "=?UTF-8?B?", 10) != 0)
			return (-1);
		if ((e = strstr(w + 10, "?=")) == NULL)
			return (-1);
		if ((size_t) (e + 2 - w) > *longest)
			*longest = (size_t) (e + 2 - w);
		if (b64_decode(w + 10, (size_t) (e - w - 10), out) < 0)
			return (-1);
		p = e + 2;
	}
	return (0);
}

static void
addr__plain_ascii_goes_in_angle_brackets(void **state)
{
	buf     b;

	(void) state;
	buf_init(&b);
	assert_int_equal(hdrval_addr(&b, "a@b.example"), 0);
	assert_string_equal(b.data, "<a@b.example>");
	buf_reset(&b);
	assert_int_equal(hdrval_addr(&b, "\"odd;name\"@b.example"), 0);
	assert_string_equal(b.data, "<\"odd;name\"@b.example>");
	buf_reset(&b);
	assert_int_equal(hdrval_addr(&b, NULL), 0);
	assert_string_equal(b.data, "<>");
	buf_reset(&b);
	assert_int_equal(hdrval_addr(&b, ""), 0);
	assert_string_equal(b.data, "<>");
	buf_free(&b);
}

static void
addr__non_ascii_becomes_an_rfc2047_word_that_decodes_back(void **state)
{
	static const char *const addrs[] = {
		"\xe7\x94\xa8\xe6\x88\xb7@\xe4\xbe\x8b\xe5\xad\x90.\xe5\xb9\xbf"
		"\xe5\x91\x8a",
		"j\xc3\xb6rg@m\xc3\xbcller.example",
		"\xc3\xa9@x",
		"ab\xc3\xa9@x",
	};
	size_t  i, longest;
	buf     b, dec;

	(void) state;
	for (i = 0; i < NELEM(addrs); i++) {
		buf_init(&b);
		buf_init(&dec);
		assert_int_equal(hdrval_addr(&b, addrs[i]), 0);
		assert_header_safe(b.data, b.len);
		assert_int_equal(b.data[0], '<');
		assert_int_equal(b.data[b.len - 1], '>');
		assert_non_null(strstr(b.data, "=?utf-8?b?"));
		assert_int_equal(decode_words(b.data, &dec, &longest), 0);
		assert_non_null(dec.data);
		assert_string_equal(dec.data, addrs[i]);
		buf_free(&b);
		buf_free(&dec);
	}
}

/*
 * RFC 2047 section 2: "An 'encoded-word' may not be more than 75
 * characters long".  A long non-ASCII address needs several words.
 */
static void
addr__long_non_ascii_address_uses_words_of_at_most_75_chars(void **state)
{
	char    addr[200];
	size_t  i, n = 0, longest = 0;
	buf     b, dec;
	int     rc;

	(void) state;
	for (i = 0; i < 20; i++) {		/* 20 x "é" = 40 bytes */
		addr[n++] = '\xc3';
		addr[n++] = '\xa9';
	}
	memcpy(addr + n, "@example.com", 13);
	buf_init(&b);
	buf_init(&dec);
	assert_int_equal(hdrval_addr(&b, addr), 0);
	rc = decode_words(b.data, &dec, &longest);
	if (longest > 75)
		print_error("longest encoded word: %zu chars in %s\n", longest,
			    b.data);
	assert_int_equal(rc, 0);
	assert_string_equal(dec.data, addr);
	buf_free(&b);
	buf_free(&dec);
	assert_true(longest <= 75);
}

static void
addr__brackets_spaces_and_line_breaks_are_cleaned(void **state)
{
	static const char *const addrs[] = {
		"<a@b.example>",
		"a b@c.example",
		"a@b\r\nX-Evil: 1",
		"a@b>\r\n\r\n<html>",
		"\x01\x02",
		"caf\xc3\xa9 x@y",
	};
	size_t  i;
	buf     b;
	char   *inner;

	(void) state;
	for (i = 0; i < NELEM(addrs); i++) {
		buf_init(&b);
		assert_int_equal(hdrval_addr(&b, addrs[i]), 0);
		assert_header_safe(b.data, b.len);
		assert_int_equal(b.data[0], '<');
		assert_int_equal(b.data[b.len - 1], '>');
		inner = clean(addrs[i], 320);
		assert_int_equal(b.len, strlen(inner) + 2);
		assert_memory_equal(b.data + 1, inner, strlen(inner));
		free(inner);
		buf_free(&b);
	}
}

static void
addr__is_capped_at_320_bytes(void **state)
{
	char    addr[2000];
	buf     b;

	(void) state;
	memset(addr, 'a', sizeof(addr) - 1);
	addr[sizeof(addr) - 1] = 0;
	addr[1000] = '@';
	buf_init(&b);
	assert_int_equal(hdrval_addr(&b, addr), 0);
	assert_int_equal(b.len, 322);
	buf_reset(&b);
	addr[5] = ' ';				/* not plain: cleaned */
	assert_int_equal(hdrval_addr(&b, addr), 0);
	assert_true(b.len <= 322);
	buf_free(&b);
}

/*
 * check_fold - fold value after "Name: " and check the result:
 * lines <= limit bytes, only "\n\t" inserted, continuation lines not
 * blank, and unfolding gives value back (with "\n\t" read as one space
 * where the break took a space, else as nothing).
 */
static void
check_fold(const char *name, const char *value, size_t limit)
{
	buf     b, unf;
	const char *line, *nl;
	size_t  start = strlen(name) + 1, len, ok_lines = 1;

	buf_init(&b);
	buf_init(&unf);
	buf_printf(&b, "%s: ", name);
	assert_int_equal(hdrval_fold(&b, value, start), 0);
	for (line = b.data; line != NULL; line = nl ? nl + 1 : NULL) {
		nl = strchr(line, '\n');
		len = nl ? (size_t) (nl - line) : strlen(line);
		if (len > limit) {
			print_error("line of %zu bytes: %.*s\n", len, (int) len,
				    line);
			ok_lines = 0;
		}
		if (line != b.data) {
			assert_int_equal(line[0], '\t');
			assert_true(len > 1);		/* not blank */
		}
		assert_true(len == 0 || line[len - 1] != '\r');
	}
	/* unfold: "\n\t" after a space-taking break is one space */
	for (line = b.data + start + 1; *line; line++) {
		if (line[0] == '\n') {
			assert_int_equal(line[1], '\t');
			line++;
			if (unf.len < strlen(value) && value[unf.len] == ' ')
				buf_putc(&unf, ' ');
			continue;
		}
		buf_putc(&unf, *line);
	}
	assert_string_equal(unf.data ? unf.data : "", value);
	buf_free(&b);
	buf_free(&unf);
	assert_true(ok_lines);
}

static void
fold__short_value_is_unchanged(void **state)
{
	buf     b;

	(void) state;
	buf_init(&b);
	assert_int_equal(hdrval_fold(&b, "5.1.1", 12), 0);
	assert_string_equal(b.data, "5.1.1");
	buf_reset(&b);
	assert_int_equal(hdrval_fold(&b, "", 12), 0);
	assert_int_equal(b.len, 0);
	buf_free(&b);
}

static void
fold__breaks_after_semicolons_and_commas_to_keep_78(void **state)
{
	static const char rcpt[] =
		"<long.local-part@sub.recipient.example.com>; action=failed; "
		"status=5.1.1; reason=userunknown; owner=sender";
	char    list[2000];
	size_t  i, n = 0;

	(void) state;
	check_fold("X-DSN-Recipient", rcpt, 78);
	for (i = 0; i < 40; i++)
		n += (size_t) snprintf(list + n, sizeof(list) - n,
				       "%suser%zu@dept%zu.example.org",
				       i ? ", " : "", i, i);
	check_fold("X-Failed-Recipients", list, 78);
}

/* hdrval.h: "at the last '; ' or ', ' or space before column 78" */
static void
fold__breaks_at_plain_spaces_too(void **state)
{
	char    v[400];
	size_t  i, n = 0;

	(void) state;
	for (i = 0; i < 30; i++)
		n += (size_t) snprintf(v + n, sizeof(v) - n, "%sword%zu",
				       i ? " " : "", i);
	check_fold("X-DSN-Annotated", v, 78);
}

static void
fold__a_run_without_break_points_stays_under_998(void **state)
{
	char   *v = malloc(5001);
	buf     b;
	const char *line, *nl;

	(void) state;
	assert_non_null(v);
	memset(v, 'x', 5000);
	v[5000] = 0;
	buf_init(&b);
	buf_puts(&b, "X-DSN-Recipient: ");
	assert_int_equal(hdrval_fold(&b, v, 16), 0);
	for (line = b.data; line != NULL; line = nl ? nl + 1 : NULL) {
		nl = strchr(line, '\n');
		assert_true((nl ? (size_t) (nl - line) : strlen(line)) <= 998);
		if (line != b.data)
			assert_int_equal(line[0], '\t');
	}
	/* nothing lost: only "\n\t" was inserted */
	{
		size_t  i, k = 0;

		for (i = 17; i < b.len; i++) {
			if (b.data[i] == '\n' && b.data[i + 1] == '\t') {
				i++;
				continue;
			}
			assert_int_equal(b.data[i], 'x');
			k++;
		}
		assert_int_equal(k, 5000);
	}
	buf_free(&b);
	free(v);
}

static void
fold__long_name_breaks_at_the_first_place_possible(void **state)
{
	char    name[100];

	(void) state;
	memset(name, 'N', 90);
	name[90] = 0;
	check_fold(name, "aaaa; bbbb; cccc", 998);
}

static void
fold__trailing_separator_leaves_no_blank_continuation(void **state)
{
	char    v[200];
	buf     b;

	(void) state;
	memset(v, 'y', 100);
	memcpy(v + 100, "; ", 3);
	buf_init(&b);
	assert_int_equal(hdrval_fold(&b, v, 10), 0);
	assert_true(b.len >= 100);
	assert_int_not_equal(b.data[b.len - 1], '\t');
	assert_int_not_equal(b.data[b.len - 1], '\n');
	buf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(clean__controls_become_one_space_and_8bit_becomes_question_mark),
		cmocka_unit_test(clean__never_exceeds_the_cap_and_appends),
		cmocka_unit_test(addr__plain_ascii_goes_in_angle_brackets),
		cmocka_unit_test(addr__non_ascii_becomes_an_rfc2047_word_that_decodes_back),
		cmocka_unit_test(addr__long_non_ascii_address_uses_words_of_at_most_75_chars),
		cmocka_unit_test(addr__brackets_spaces_and_line_breaks_are_cleaned),
		cmocka_unit_test(addr__is_capped_at_320_bytes),
		cmocka_unit_test(fold__short_value_is_unchanged),
		cmocka_unit_test(fold__breaks_after_semicolons_and_commas_to_keep_78),
		cmocka_unit_test(fold__breaks_at_plain_spaces_too),
		cmocka_unit_test(fold__a_run_without_break_points_stays_under_998),
		cmocka_unit_test(fold__long_name_breaks_at_the_first_place_possible),
		cmocka_unit_test(fold__trailing_separator_leaves_no_blank_continuation),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
