/*
 * NAME
 *	test_qp - unit tests for quoted-printable encoding
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "buf.h"
#include "qp.h"

/* encode - qp_encode into a new string */
static char *
encode(const char *p, size_t n, const char *eol)
{
	buf     out;

	buf_init(&out);
	assert_int_equal(qp_encode(p, n, eol, &out), 0);
	return (buf_detach(&out));
}

/* hexval - test-local */
static int
hexval(int c)
{
	return (c >= '0' && c <= '9' ? c - '0' : c >= 'A' && c <= 'F'
		? c - 'A' + 10 : -1);
}

/*
 * decode - a strict RFC 2045 decoder, independent of the encoder: only
 * upper-case =XX and "=" CR LF soft breaks are accepted; hard line breaks
 * (CR LF) come out as LF.  Fails the test on anything else.
 */
static void
decode(const char *s, buf *out)
{
	size_t  i = 0, n = strlen(s);

	while (i < n) {
		if (s[i] == '=' && i + 2 < n && s[i + 1] == '\r'
		    && s[i + 2] == '\n') {
			i += 3;
		} else if (s[i] == '=') {
			assert_true(i + 2 < n && hexval(s[i + 1]) >= 0
				    && hexval(s[i + 2]) >= 0);
			buf_putc(out, hexval(s[i + 1]) * 16 + hexval(s[i + 2]));
			i += 3;
		} else if (s[i] == '\r') {
			assert_true(i + 1 < n && s[i + 1] == '\n');
			buf_putc(out, '\n');
			i += 2;
		} else {
			buf_putc(out, s[i++]);
		}
	}
}

/* assert_wellformed - 7-bit, CR LF only, lines <= 76, no trailing space */
static void
assert_wellformed(const char *s)
{
	const char *line = s, *e;
	size_t  len, i;

	for (;;) {
		e = strstr(line, "\r\n");
		len = e ? (size_t) (e - line) : strlen(line);
		assert_true(len <= QP_LINE_MAX);
		if (len > 0)
			assert_true(line[len - 1] != ' ' && line[len - 1] != '\t');
		for (i = 0; i < len; i++)
			assert_true((line[i] >= 32 && line[i] < 127)
				    || line[i] == '\t');
		if (e == NULL)
			break;
		line = e + 2;
	}
}

typedef struct qp_case {
	const char *name;
	const char *in;
	const char *want;
} qp_case;

static const qp_case cases[] = {
	{"plain text unchanged", "abc xyz", "abc xyz"},
	{"equals sign encoded", "a=b", "a=3Db"},
	{"utf-8 encoded", "caf\xC3\xA9", "caf=C3=A9"},
	{"LF becomes CR LF", "a\nb\n", "a\r\nb\r\n"},
	{"CR LF stays CR LF", "a\r\nb", "a\r\nb"},
	{"lone CR encoded", "a\rb", "a=0Db"},
	{"trailing space encoded", "a \nb ", "a=20\r\nb=20"},
	{"trailing tab encoded", "a\t\n", "a=09\r\n"},
	{"inner spaces kept", "a  b", "a  b"},
	{"From line protected", "From x\nFrom", "=46rom x\r\nFrom"},
	{"controls encoded", "\x01\x7F", "=01=7F"},
	{"empty lines kept", "\n\n", "\r\n\r\n"},
	{"empty input", "", ""},
};

static void
encode__table__gives_expected_text(void **state)
{
	size_t  i;
	char   *s;

	(void) state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		s = encode(cases[i].in, strlen(cases[i].in), "\r\n");
		if (strcmp(s, cases[i].want) != 0)
			fail_msg("%s: got \"%s\"", cases[i].name, s);
		free(s);
	}
}

static void
encode__76_chars__fit_on_one_line(void **state)
{
	char    in[78], *s;

	(void) state;
	memset(in, 'a', 76);
	s = encode(in, 76, "\r\n");
	assert_int_equal(strlen(s), 76);
	free(s);
	memset(in, 'a', 77);
	s = encode(in, 77, "\r\n");
	assert_int_equal(strlen(s), 75 + 3 + 2);	/* 75 "=" CRLF 2 */
	assert_memory_equal(s + 75, "=\r\naa", 5);
	free(s);
}

static void
encode__long_line__gets_soft_breaks(void **state)
{
	char    in[1000], *s;
	buf     back;

	(void) state;
	memset(in, 'x', sizeof(in));
	s = encode(in, sizeof(in), "\r\n");
	assert_wellformed(s);
	buf_init(&back);
	decode(s, &back);
	assert_int_equal(back.len, sizeof(in));
	assert_memory_equal(back.data, in, sizeof(in));
	buf_free(&back);
	free(s);
}

static void
encode__soft_break__never_splits_a_character(void **state)
{
	char    in[80], *s, *brk;

	(void) state;
	memset(in, 'a', 72);
	memcpy(in + 72, "\xE2\x82\xAC" "bcdef", 8);	/* EURO at col 72 */
	s = encode(in, 80, "\r\n");
	brk = strstr(s, "=\r\n");
	assert_non_null(brk);
	assert_int_equal(brk - s, 72);
	assert_memory_equal(brk + 3, "=E2=82=AC", 9);
	free(s);
}

static void
encode__other_eol__is_used(void **state)
{
	char   *s = encode("a\r\nb\n", 5, "\n");

	(void) state;
	assert_string_equal(s, "a\nb\n");
	free(s);
}

static void
encode__random_utf8__round_trips(void **state)
{
	static const char *const pieces[] = {
		"a", "Z", " ", "\t", "=", "\n", "\r\n", "\r", "\xC3\xA9",
		"\xE2\x82\xAC", "\xF0\x9F\x98\x80", "\xFF", ".", "From ", "\x00",
	};
	char    in[600], *s, *expect;
	size_t  n, k, len, i, o;
	buf     back;
	int     round;

	(void) state;
	srand(2045);
	for (round = 0; round < 3000; round++) {
		for (n = 0;;) {
			k = (size_t) rand() % (sizeof(pieces) / sizeof(pieces[0]));
			len = k == sizeof(pieces) / sizeof(pieces[0]) - 1 ? 1
			    : strlen(pieces[k]);
			if (n + len > sizeof(in))
				break;
			memcpy(in + n, pieces[k], len);
			n += len;
		}
		s = encode(in, n, "\r\n");
		assert_wellformed(s);
		buf_init(&back);
		decode(s, &back);
		/* What comes back: line ends as LF, everything else equal. */
		expect = malloc(n + 1);
		assert_non_null(expect);
		for (i = o = 0; i < n; i++)
			if (!(in[i] == '\r' && i + 1 < n && in[i + 1] == '\n'))
				expect[o++] = in[i];
		assert_int_equal(back.len, o);
		assert_memory_equal(back.data ? back.data : "", expect, o);
		free(expect);
		buf_free(&back);
		free(s);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(encode__table__gives_expected_text),
		cmocka_unit_test(encode__76_chars__fit_on_one_line),
		cmocka_unit_test(encode__long_line__gets_soft_breaks),
		cmocka_unit_test(encode__soft_break__never_splits_a_character),
		cmocka_unit_test(encode__other_eol__is_used),
		cmocka_unit_test(encode__random_utf8__round_trips),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
