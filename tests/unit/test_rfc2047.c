/*
 * NAME
 *	test_rfc2047 - unit tests for RFC 2047 decoding and UTF-8 cleaning
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <iconv.h>

#include "rfc2047.h"

#define FFFD "\xEF\xBF\xBD"

/* assert_clean - valid UTF-8, no C0/C1 control, no DEL */
static void
assert_clean(const char *s)
{
	const unsigned char *p = (const unsigned char *) s;
	size_t  i = 0, len, k;
	unsigned long cp;

	while (p[i]) {
		if (p[i] < 0x80) {
			assert_true(p[i] >= 0x20 && p[i] != 0x7F);
			i++;
			continue;
		}
		len = p[i] >= 0xF0 ? 4 : p[i] >= 0xE0 ? 3 : 2;
		assert_true(p[i] >= 0xC2 && p[i] <= 0xF4);
		cp = p[i] & (0x7F >> len);
		for (k = 1; k < len; k++) {
			assert_int_equal(p[i + k] & 0xC0, 0x80);
			cp = (cp << 6) | (p[i + k] & 0x3F);
		}
		assert_false(cp >= 0x80 && cp <= 0x9F);
		assert_false(cp >= 0xD800 && cp <= 0xDFFF);
		assert_true(cp <= 0x10FFFF);
		assert_true(cp >= (len == 2 ? 0x80UL : len == 3 ? 0x800UL
				   : 0x10000UL));
		i += len;
	}
}

typedef struct decode_case {
	const char *name;
	const char *in;
	const char *want;
} decode_case;

static const decode_case decode_cases[] = {
	{"plain ascii is unchanged", "Hello world", "Hello world"},
	{"B utf-8", "=?UTF-8?B?w6k=?=", "\xC3\xA9"},
	{"b lowercase encoding letter", "=?utf-8?b?w6k=?=", "\xC3\xA9"},
	{"Q latin-1 via windows-1252", "=?iso-8859-1?q?caf=E9?=",
	"caf\xC3\xA9"},
	{"Q lowercase hex", "=?iso-8859-1?Q?caf=e9?=", "caf\xC3\xA9"},
	{"Q underscore is space", "=?utf-8?Q?a_b?=", "a b"},
	{"Q bad escape kept", "=?utf-8?Q?a=ZZb=?=", "a=ZZb="},
	{"adjacent words joined", "=?utf-8?q?a?= =?utf-8?q?b?=", "ab"},
	{"adjacent words over folding joined",
	"=?utf-8?q?a?=\r\n\t =?utf-8?q?b?=", "ab"},
	{"space to plain text kept", "x =?utf-8?q?a?= y", "x a y"},
	{"word inside text decoded", "re:=?utf-8?q?a?=!", "re:a!"},
	{"character split over two words",
	"=?utf-8?q?=E2=82?= =?utf-8?q?=AC?=", "\xE2\x82\xAC"},
	{"base64 split over two words", "=?utf-8?B?4oI=?= =?utf-8?B?rA==?=",
	"\xE2\x82\xAC"},
	{"charset change between words",
	"=?iso-8859-1?q?=E9?= =?utf-8?q?=C3=A9?=", "\xC3\xA9\xC3\xA9"},
	{"windows-1252 euro", "=?windows-1252?q?=80?=", "\xE2\x82\xAC"},
	{"iso-2022-jp", "=?ISO-2022-JP?B?GyRCJUslYyE8JXMbKEI=?=",
	"\xE3\x83\x8B\xE3\x83\xA3\xE3\x83\xBC\xE3\x83\xB3"},
	{"shift_jis alias", "=?shift_jis?q?=83j=83=83=81[=83=93?=",
	"\xE3\x83\x8B\xE3\x83\xA3\xE3\x83\xBC\xE3\x83\xB3"},
	{"gb2312 alias", "=?gb2312?B?w6g=?=", "\xE7\x8C\xAB"},
	{"language suffix ignored", "=?utf-8*en?q?a?=", "a"},
	{"empty encoded text", "x=?utf-8?q?" "?=y", "xy"},
	{"unknown charset keeps ascii", "=?x-no-such-set?q?a=E9=E8b?=",
	"a" FFFD "b"},
	{"charset with iconv options refused", "=?utf-8//TRANSLIT?q?a=E9?=",
	"a" FFFD},
	{"invalid utf-8 in a word", "=?utf-8?q?a=FFb?=", "a" FFFD "b"},
	{"invalid byte in a charset", "=?euc-jp?q?=FF?=", FFFD},
	{"cut multibyte at end", "=?utf-8?q?a=E2=82?=", "a" FFFD FFFD},
	{"CR LF from a word become spaces", "=?utf-8?q?a=0D=0Ab?=", "a  b"},
	{"NUL from a word becomes space", "=?utf-8?q?a=00b?=", "a b"},
	{"TAB becomes space", "a\tb", "a b"},
	{"DEL becomes space", "=?utf-8?q?a=7Fb?=", "a b"},
	{"C1 control becomes space", "=?utf-8?q?a=C2=85b?=", "a b"},
	{"line separator becomes space", "a\xE2\x80\xA8" "b", "a b"},
	{"bidi override dropped", "=?utf-8?q?a=E2=80=AEb?=", "ab"},
	{"bidi isolate dropped", "a\xE2\x81\xA6" "b", "ab"},
	{"markup is text, not this module's to escape",
	"=?utf-8?q?=3Cscript=3Ealert(1)=3C/script=3E?=",
	"<script>alert(1)</script>"},
	{"unterminated word kept", "=?utf-8?q?abc", "=?utf-8?q?abc"},
	{"white space inside word kept", "=?utf-8?q?a b?=", "=?utf-8?q?a b?="},
	{"bad encoding letter kept", "=?utf-8?x?abc?=", "=?utf-8?x?abc?="},
	{"empty charset kept", "=??q?abc?=", "=??q?abc?="},
	{"lone =? kept", "a =? b", "a =? b"},
	{"raw latin-1 byte replaced", "caf\xE9", "caf" FFFD},
	{"raw utf-8 kept", "caf\xC3\xA9", "caf\xC3\xA9"},
	{"overlong form replaced", "\xC0\xAF", FFFD FFFD},
	{"surrogate replaced", "\xED\xA0\x80", FFFD FFFD FFFD},
	{"beyond U+10FFFF replaced", "\xF4\x90\x80\x80",
	FFFD FFFD FFFD FFFD},
	{"B with junk characters", "=?utf-8?B?w6!k=?=", "\xC3\xA9"},
};

static void
decode__table__gives_expected_text(void **state)
{
	size_t  i;
	char   *s;

	(void) state;
	for (i = 0; i < sizeof(decode_cases) / sizeof(decode_cases[0]); i++) {
		s = rfc2047_decode(decode_cases[i].in, strlen(decode_cases[i].in));
		assert_non_null(s);
		if (strcmp(s, decode_cases[i].want) != 0)
			fail_msg("%s: got \"%s\", want \"%s\"",
				 decode_cases[i].name, s, decode_cases[i].want);
		assert_clean(s);
		free(s);
	}
}

static void
decode__explicit_length__stops_there(void **state)
{
	char   *s = rfc2047_decode("=?utf-8?q?a?=XYZ", 13);

	(void) state;
	assert_string_equal(s, "a");
	free(s);
	s = rfc2047_decode("=?utf-8?q?a?=", 12);	/* cut before '=' */
	assert_string_equal(s, "=?utf-8?q?a?");
	free(s);
}

static void
decode__embedded_nul__becomes_space(void **state)
{
	char   *s = rfc2047_decode("a\0b", 3);

	(void) state;
	assert_string_equal(s, "a b");
	free(s);
}

static void
decode__huge_input__is_bounded_and_clean(void **state)
{
	size_t  n = 1 << 20, i;
	char   *in = malloc(n), *s;

	(void) state;
	assert_non_null(in);
	memcpy(in, "=?utf-8?B?", 10);
	for (i = 10; i < n - 2; i++)
		in[i] = "/+9z"[i % 4];
	memcpy(in + n - 2, "?=", 2);
	s = rfc2047_decode(in, n);
	assert_non_null(s);
	assert_true(strlen(s) <= 4 * n + 4);
	assert_clean(s);
	free(s);
	for (i = 0; i < n; i++)		/* all invalid bytes: 3x growth */
		in[i] = (char) 0xFF;
	s = rfc2047_decode(in, n);
	assert_non_null(s);
	assert_int_equal(strlen(s), 3 * n);
	free(s);
	free(in);
}

static void
decode__many_unterminated_words__are_kept(void **state)
{
	size_t  n = 6 * 20000, i;
	char   *in = malloc(n + 1), *s;

	(void) state;
	assert_non_null(in);
	for (i = 0; i < n; i += 6)
		memcpy(in + i, "=?a?Q?", 6);
	in[n] = 0;
	s = rfc2047_decode(in, n);
	assert_non_null(s);
	assert_string_equal(s, in);
	free(s);
	free(in);
}

static void
decode__random_bytes__always_clean(void **state)
{
	static const char *const parts[] = {
		"=?", "?=", "?q?", "?B?", "utf-8", "iso-2022-jp", "=E2", "=82",
		"=00", "=0D", "_", " ", "\r\n", "\xC3", "\xFF", "w6k", "=",
		"GyRC", "\x1B$B", "*", "?",
	};
	char    in[256], *s;
	size_t  n, k;
	int     round;

	(void) state;
	srand(2047);
	for (round = 0; round < 20000; round++) {
		for (n = 0; n < 200;) {
			k = (size_t) rand() % (sizeof(parts) / sizeof(parts[0]));
			if (n + strlen(parts[k]) > 200)
				break;
			memcpy(in + n, parts[k], strlen(parts[k]));
			n += strlen(parts[k]);
		}
		s = rfc2047_decode(in, n);
		assert_non_null(s);
		assert_true(strlen(s) <= 4 * n + 4);
		assert_clean(s);
		free(s);
	}
}

static void
sanitize__controls_and_bad_bytes__are_replaced(void **state)
{
	char   *s = utf8_sanitize("a\r\nb\0c\x1B[31m\xFE", 12);

	(void) state;
	assert_string_equal(s, "a  b c [31m" FFFD);
	assert_clean(s);
	free(s);
}

static void
sanitize__encoded_words__are_not_decoded(void **state)
{
	char   *s = utf8_sanitize("=?utf-8?q?a?=", 13);

	(void) state;
	assert_string_equal(s, "=?utf-8?q?a?=");
	free(s);
}

static void
sanitize__empty_input__gives_empty_string(void **state)
{
	char   *s = utf8_sanitize("", 0);

	(void) state;
	assert_string_equal(s, "");
	free(s);
}

static void
cut__inside_character__backs_up(void **state)
{
	const char *s = "a\xE2\x82\xAC" "b";	/* a EURO b */

	(void) state;
	assert_int_equal(utf8_cut(s, 5, 10), 5);
	assert_int_equal(utf8_cut(s, 5, 4), 4);
	assert_int_equal(utf8_cut(s, 5, 3), 1);
	assert_int_equal(utf8_cut(s, 5, 2), 1);
	assert_int_equal(utf8_cut(s, 5, 1), 1);
	assert_int_equal(utf8_cut(s, 5, 0), 0);
}

/* to_utf8 - charset_to_utf8() of the NUL-terminated s, as a string */
static char *
to_utf8(const char *cs, const char *s)
{
	buf     out;

	buf_init(&out);
	charset_to_utf8(cs, strlen(cs), s, strlen(s), &out);
	buf_putc(&out, 0);
	assert_false(out.failed);
	return (out.data);
}

/*
 * Plain ASCII in an ASCII superset is copied as it is; ISO-2022-JP with an
 * escape, and ASCII bytes in charsets where they mean other letters
 * (EBCDIC, UTF-7), still go through iconv.
 */
static void
to_utf8__copies_ascii_only_where_it_reads_as_ascii(void **state)
{
	static const struct {
		const char *cs, *in, *out;
	} t[] = {
		{"iso-8859-15", "Mailbox full\r\n", "Mailbox full\r\n"},
		{"ISO-2022-JP", "user unknown", "user unknown"},
		{"iso-2022-jp", "\x1b$B$\"\x1b(B!", "\xE3\x81\x82!"},
		{"windows-1252", "caf\xE9", "caf\xC3\xA9"},
		{"ibm037", "\xC1\xC2", "AB"},
		{"ibm037", "AB", "\xC2\xA0\xC3\xA2"},
		{"utf-7", "A+AOk-", "A\xC3\xA9"},
	};
	size_t  i;
	char   *got;

	(void) state;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		got = to_utf8(t[i].cs, t[i].in);
		assert_string_equal(got, t[i].out);
		free(got);
	}
}

/* iconv_1252 - one byte of Windows-1252 as glibc's iconv reads it, into
 * out (NUL-terminated); 0 when it has no character */
static int
iconv_1252(unsigned char c, char *out, size_t len)
{
	iconv_t cd = iconv_open("UTF-8", "WINDOWS-1252");
	char   *in = (char *) &c, *o = out;
	size_t  inleft = 1, oleft = len - 1;
	int     ok;

	assert_true(cd != (iconv_t) -1);
	ok = iconv(cd, &in, &inleft, &o, &oleft) != (size_t) -1;
	*o = 0;
	iconv_close(cd);
	return (ok);
}

/*
 * Windows-1252 (and the ISO-8859-1 and ASCII labels read as it) is
 * converted without iconv: every byte as iconv converts it, a byte
 * without a character as U+FFFD, a run of them as one.
 */
static void
to_utf8__windows_1252_reads_as_iconv_does(void **state)
{
	static const char *const labels[] = {
		"windows-1252", "CP1252", "iso-8859-1", "Latin1", "us-ascii",
	};
	char    in[3], want[16], *got;
	size_t  i;
	int     c;

	(void) state;
	for (c = 1; c < 256; c++) {
		in[0] = 'a';
		in[1] = (char) c;
		in[2] = 0;
		if (!iconv_1252((unsigned char) c, want + 1, sizeof(want) - 1))
			strcpy(want + 1, FFFD);
		want[0] = 'a';
		for (i = 0; i < sizeof(labels) / sizeof(labels[0]); i++) {
			got = to_utf8(labels[i], in);
			assert_string_equal(got, want);
			free(got);
		}
	}
	got = to_utf8("windows-1252", "x\x81\x8D\x8F y\x90\x9D\x80z\x9D");
	assert_string_equal(got, "x" FFFD " y" FFFD "\xE2\x82\xACz" FFFD);
	free(got);
}

/*
 * A long text, read eight bytes at a time and written a chunk at a time:
 * an ISO-2022-JP escape at any offset of the text still goes to iconv,
 * and Windows-1252 comes out as iconv gives each byte, across chunk
 * boundaries and ASCII runs longer than a chunk.
 */
static void
to_utf8__long_text_reads_as_byte_by_byte(void **state)
{
	char    in[64], want[128], *got;
	char    cache[256][8];
	int     has[256];
	buf     text, exp;
	size_t  at, i, run;
	int     c, bad = 0;

	(void) state;
	for (at = 0; at <= 40; at++) {		/* "a...a" with an escape at at */
		memset(in, 'a', 40);
		memcpy(in + at, "\x1b$B$\"\x1b(B", 8);
		memset(in + at + 8, 'b', 40 - at);
		in[48] = 0;
		memset(want, 'a', at);
		memcpy(want + at, "\xE3\x81\x82", 3);
		memset(want + at + 3, 'b', 40 - at);
		want[at + 43] = 0;
		got = to_utf8("ISO-2022-JP", in);
		assert_string_equal(got, want);
		free(got);
	}
	for (c = 0x80; c < 256; c++)
		has[c] = iconv_1252((unsigned char) c, cache[c], sizeof(cache[c]));
	buf_init(&text);
	buf_init(&exp);
	for (i = 0; i < 3000; i++) {
		run = i % 97 == 0 ? 3000 + i : i % 13;	/* ASCII, some long */
		while (run-- > 0) {
			buf_putc(&text, (char) ('a' + i % 26));
			buf_putc(&exp, (char) ('a' + i % 26));
			bad = 0;
		}
		c = 0x80 + (int) ((i * 37) % 128);
		buf_putc(&text, (char) c);
		if (has[c]) {
			buf_puts(&exp, cache[c]);
			bad = 0;
		} else if (!bad++)
			buf_puts(&exp, FFFD);
	}
	buf_putc(&text, 0);
	buf_putc(&exp, 0);
	assert_false(text.failed || exp.failed);
	got = to_utf8("windows-1252", text.data);
	assert_string_equal(got, exp.data);
	free(got);
	buf_free(&text);
	buf_free(&exp);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(decode__table__gives_expected_text),
		cmocka_unit_test(to_utf8__long_text_reads_as_byte_by_byte),
		cmocka_unit_test(decode__explicit_length__stops_there),
		cmocka_unit_test(decode__embedded_nul__becomes_space),
		cmocka_unit_test(decode__huge_input__is_bounded_and_clean),
		cmocka_unit_test(decode__many_unterminated_words__are_kept),
		cmocka_unit_test(decode__random_bytes__always_clean),
		cmocka_unit_test(sanitize__controls_and_bad_bytes__are_replaced),
		cmocka_unit_test(sanitize__encoded_words__are_not_decoded),
		cmocka_unit_test(sanitize__empty_input__gives_empty_string),
		cmocka_unit_test(cut__inside_character__backs_up),
		cmocka_unit_test(to_utf8__copies_ascii_only_where_it_reads_as_ascii),
		cmocka_unit_test(to_utf8__windows_1252_reads_as_iconv_does),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
