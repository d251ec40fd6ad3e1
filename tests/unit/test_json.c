/*
 * NAME
 *	test_json - unit tests for json.c
 * DESCRIPTION
 *	json_string() on hostile strings (quotes, backslashes, every control
 *	character, invalid UTF-8, valid multibyte UTF-8): the output is
 *	checked by a small strict JSON checker and decoder in this file, and
 *	must decode back to the input with invalid bytes as U+FFFD.
 *	json_report(): exact output for a known report, member order and
 *	presence of unknown values, one line per report, hostile values.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "testutil.h"
#include "utf8.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* A strict JSON checker (RFC 8259) that decodes strings into a buf. */
typedef struct jp {
	const unsigned char *p;
	const unsigned char *end;
	buf    *str;			/* decoded text of the last string */
} jp;

static int jp_value(jp *j, int depth);

static void
jp_ws(jp *j)
{
	while (j->p < j->end && (*j->p == ' ' || *j->p == '\t'
				 || *j->p == '\n' || *j->p == '\r'))
		j->p++;
}

/* put_utf8 - append code point cp as UTF-8 */
static void
put_utf8(buf *b, unsigned long cp)
{
	unsigned char s[4];
	size_t  n;

	if (cp < 0x80)
		s[0] = (unsigned char) cp, n = 1;
	else if (cp < 0x800)
		s[0] = (unsigned char) (0xc0 | cp >> 6),
		    s[1] = (unsigned char) (0x80 | (cp & 0x3f)), n = 2;
	else if (cp < 0x10000)
		s[0] = (unsigned char) (0xe0 | cp >> 12),
		    s[1] = (unsigned char) (0x80 | (cp >> 6 & 0x3f)),
		    s[2] = (unsigned char) (0x80 | (cp & 0x3f)), n = 3;
	else
		s[0] = (unsigned char) (0xf0 | cp >> 18),
		    s[1] = (unsigned char) (0x80 | (cp >> 12 & 0x3f)),
		    s[2] = (unsigned char) (0x80 | (cp >> 6 & 0x3f)),
		    s[3] = (unsigned char) (0x80 | (cp & 0x3f)), n = 4;
	buf_add(b, s, n);
}

/* utf8_ok - length of the valid UTF-8 sequence at p, 0 if invalid */
static size_t
utf8_ok(const unsigned char *p, const unsigned char *end)
{
	size_t  n, i;
	unsigned long cp, min;

	if (*p < 0x80)
		return (1);
	if ((*p & 0xe0) == 0xc0)
		n = 2, cp = *p & 0x1f, min = 0x80;
	else if ((*p & 0xf0) == 0xe0)
		n = 3, cp = *p & 0x0f, min = 0x800;
	else if ((*p & 0xf8) == 0xf0)
		n = 4, cp = *p & 0x07, min = 0x10000;
	else
		return (0);
	if ((size_t) (end - p) < n)
		return (0);
	for (i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return (0);
		cp = cp << 6 | (p[i] & 0x3f);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return (0);
	return (n);
}

static int
hex4(jp *j, unsigned long *v)
{
	int     i;

	*v = 0;
	for (i = 0; i < 4; i++, j->p++) {
		unsigned c;

		if (j->p >= j->end)
			return (-1);
		c = *j->p;
		if (c >= '0' && c <= '9')
			*v = *v << 4 | (c - '0');
		else if (c >= 'a' && c <= 'f')
			*v = *v << 4 | (c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			*v = *v << 4 | (c - 'A' + 10);
		else
			return (-1);
	}
	return (0);
}

static int
jp_escape(jp *j)
{
	static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
	const char *k;
	unsigned long cp, lo;

	if (j->p >= j->end)
		return (-1);
	if (*j->p != 'u') {
		if (*j->p == 0 || (k = strchr(from, *j->p)) == NULL)
			return (-1);
		buf_putc(j->str, to[k - from]);
		j->p++;
		return (0);
	}
	j->p++;
	if (hex4(j, &cp) < 0)
		return (-1);
	if (cp >= 0xdc00 && cp <= 0xdfff)
		return (-1);		/* lone low surrogate */
	if (cp >= 0xd800 && cp <= 0xdbff) {
		if (j->end - j->p < 6 || j->p[0] != '\\' || j->p[1] != 'u')
			return (-1);
		j->p += 2;
		if (hex4(j, &lo) < 0 || lo < 0xdc00 || lo > 0xdfff)
			return (-1);
		cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
	}
	put_utf8(j->str, cp);
	return (0);
}

static int
jp_string(jp *j)
{
	size_t  n;

	if (j->p >= j->end || *j->p != '"')
		return (-1);
	j->p++;
	buf_reset(j->str);
	while (j->p < j->end && *j->p != '"') {
		if (*j->p < 0x20)
			return (-1);	/* raw control character */
		if (*j->p == '\\') {
			j->p++;
			if (jp_escape(j) < 0)
				return (-1);
			continue;
		}
		if ((n = utf8_ok(j->p, j->end)) == 0)
			return (-1);	/* raw invalid UTF-8 */
		buf_add(j->str, j->p, n);
		j->p += n;
	}
	if (j->p >= j->end)
		return (-1);
	j->p++;
	return (0);
}

static int
jp_literal(jp *j, const char *w)
{
	size_t  n = strlen(w);

	if ((size_t) (j->end - j->p) < n || memcmp(j->p, w, n) != 0)
		return (-1);
	j->p += n;
	return (0);
}

/* jp_list - members of an object (obj) or elements of an array */
static int
jp_list(jp *j, int obj, int depth)
{
	char    close = obj ? '}' : ']';

	j->p++;
	jp_ws(j);
	if (j->p < j->end && *j->p == close) {
		j->p++;
		return (0);
	}
	for (;;) {
		jp_ws(j);
		if (obj) {
			if (jp_string(j) < 0)
				return (-1);
			jp_ws(j);
			if (j->p >= j->end || *j->p++ != ':')
				return (-1);
		}
		if (jp_value(j, depth + 1) < 0)
			return (-1);
		jp_ws(j);
		if (j->p >= j->end)
			return (-1);
		if (*j->p == close) {
			j->p++;
			return (0);
		}
		if (*j->p++ != ',')
			return (-1);
	}
}

static int
jp_value(jp *j, int depth)
{
	jp_ws(j);
	if (j->p >= j->end || depth > 20)
		return (-1);
	switch (*j->p) {
	case '"':
		return (jp_string(j));
	case '{':
		return (jp_list(j, 1, depth));
	case '[':
		return (jp_list(j, 0, depth));
	case 't':
		return (jp_literal(j, "true"));
	case 'f':
		return (jp_literal(j, "false"));
	case 'n':
		return (jp_literal(j, "null"));
	default:
		return (-1);		/* no numbers in our output */
	}
}

/* json_valid - whether s[0..n) is one JSON value plus white space */
static int
json_valid(const char *s, size_t n, buf *decoded)
{
	jp      j;
	buf     scratch;
	int     ok;

	buf_init(&scratch);
	j.p = (const unsigned char *) s;
	j.end = j.p + n;
	j.str = decoded ? decoded : &scratch;
	ok = jp_value(&j, 0) == 0;
	jp_ws(&j);
	ok = ok && j.p == j.end;
	buf_free(&scratch);
	return (ok);
}

/* roundtrip - json_string(in) must be valid and decode to want */
static void
roundtrip(const char *in, const char *want)
{
	buf     out, dec;
	int     ok, same;

	buf_init(&out);
	buf_init(&dec);
	assert_int_equal(json_string(&out, in), 0);
	ok = json_valid(out.data, out.len, &dec);
	same = ok && dec.len == strlen(want)
	    && memcmp(dec.data ? dec.data : "", want, dec.len) == 0;
	if (!ok || !same)
		print_error("json_string gave %s (valid %d)\n", out.data, ok);
	buf_free(&out);
	buf_free(&dec);
	assert_true(ok);
	assert_true(same);
}

/* The checker itself must catch what json_string() must never write. */
static void
checker__rejects_raw_controls_bad_utf8_and_bad_escapes(void **state)
{
	static const char *const bad[] = {"\"a\x01\"", "\"a\nb\"", "\"\xff\"",
	"\"\xc3\"", "\"\\x\"", "\"\\ud800\"", "\"\\u12\"", "\"open",
	"{\"a\":\"b\",}", "[\"a\" \"b\"]", "\"a\"\"b\"", ""};
	size_t  i;

	(void) state;
	for (i = 0; i < NELEM(bad); i++)
		assert_false(json_valid(bad[i], strlen(bad[i]), NULL));
	{
		static const char good[] = "{\"a\":[\"\\ud83d\\ude00\",true]}\n";

		assert_true(json_valid(good, sizeof(good) - 1, NULL));
	}
}

static void
string__quotes_and_backslashes_are_escaped(void **state)
{
	(void) state;
	roundtrip("a\"b", "a\"b");
	roundtrip("\\", "\\");
	roundtrip("\\\"", "\\\"");
	roundtrip("\"\"\"", "\"\"\"");
	roundtrip("end\\", "end\\");
	roundtrip("C:\\path\\\"x\"", "C:\\path\\\"x\"");
	roundtrip("/slash/", "/slash/");
}

static void
string__every_control_character_is_escaped(void **state)
{
	char    in[40];
	size_t  i;

	(void) state;
	for (i = 1; i < 0x20; i++)
		in[i - 1] = (char) i;
	in[0x1f] = 0x7f;
	in[0x20] = 0;
	roundtrip(in, in);
	roundtrip("line1\r\nline2\ttab", "line1\r\nline2\ttab");
}

static void
string__invalid_utf8_becomes_replacement_character(void **state)
{
	(void) state;
	roundtrip("a\xff" "b", "a\xef\xbf\xbd" "b");
	roundtrip("\x80", "\xef\xbf\xbd");
	roundtrip("\xc0\xaf", "\xef\xbf\xbd\xef\xbf\xbd");	/* overlong */
	roundtrip("\xed\xa0\x80", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
	roundtrip("\xf4\x90\x80\x80",
		  "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
	roundtrip("x\xc3", "x\xef\xbf\xbd");			/* cut at end */
	roundtrip("\xe2\x82" "x", "\xef\xbf\xbd\xef\xbf\xbd" "x");
	roundtrip("\xf8\x88\x80\x80\x80", "\xef\xbf\xbd\xef\xbf\xbd"
		  "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
}

static void
string__valid_multibyte_utf8_is_kept(void **state)
{
	(void) state;
	roundtrip("caf\xc3\xa9", "caf\xc3\xa9");			/* é */
	roundtrip("\xe2\x82\xac 5", "\xe2\x82\xac 5");		/* € */
	roundtrip("\xf0\x9f\x98\x80", "\xf0\x9f\x98\x80");	/* U+1F600 */
	roundtrip("\xef\xbf\xbd", "\xef\xbf\xbd");		/* U+FFFD */
	roundtrip("\xf4\x8f\xbf\xbf", "\xf4\x8f\xbf\xbf");	/* U+10FFFF */
	roundtrip("\xe7\x94\xa8\xe6\x88\xb7@\xe4\xbe\x8b.\xe5\xb9\xbf",
		  "\xe7\x94\xa8\xe6\x88\xb7@\xe4\xbe\x8b.\xe5\xb9\xbf");
}

/* escaped - what json_string() writes for one of the bytes tested below */
static const char *
escaped(const char *c)
{
	static const char *const map[][2] = {
		{"\"", "\\\""}, {"\\", "\\\\"}, {"\n", "\\u000a"},
		{"\x1f", "\\u001f"}, {"\x7f", "\\u007f"}, {"\xff", "\\ufffd"},
		{"\xc3\xa9", "\xc3\xa9"}, {"~", "~"}, {" ", " "},
	};
	size_t  i;

	for (i = 0; i < NELEM(map); i++)
		if (strcmp(map[i][0], c) == 0)
			return (map[i][1]);
	return (NULL);
}

/*
 * The run of bytes that need no escaping is found a block at a time: a
 * byte to escape, at every offset of strings of every length up to 40
 * (blocks of 8 and 16, and their tails), gives the exact output; the
 * input is an exact-size heap copy, so a read past its NUL is seen under
 * AddressSanitizer.
 */
static void
string__escape_at_every_offset_of_every_length(void **state)
{
	static const char *const bytes[] = {
		"\"", "\\", "\n", "\x1f", "\x7f", "\xff", "\xc3\xa9", "~", " ",
	};
	char    in[48], want[128], *copy;
	size_t  len, at, k, blen, o;
	buf     b;

	(void) state;
	buf_init(&b);
	for (k = 0; k < NELEM(bytes); k++) {
		blen = strlen(bytes[k]);
		for (len = 0; len <= 40; len++) {
			for (at = 0; at <= len; at++) {
				memset(in, 'a', len);
				memcpy(in + at, bytes[k], blen);
				memset(in + at + blen, 'b', len - at);
				in[len + blen] = 0;
				o = (size_t) snprintf(want, sizeof(want), "\"%.*s%s%s\"",
						      (int) at, in, escaped(bytes[k]),
						      in + at + blen);
				assert_true(o < sizeof(want));
				copy = test_exact(in, len + blen + 1);
				buf_reset(&b);
				assert_int_equal(json_string(&b, copy), 0);
				assert_string_equal(b.data, want);
				free(copy);
			}
		}
	}
	buf_free(&b);
}

/* ref_string - json_string() a character at a time, as it once was */
static void
ref_string(buf *b, const unsigned char *p, size_t n)
{
	size_t  i = 0, k;

	buf_putc(b, '"');
	while (i < n) {
		if (p[i] == '"' || p[i] == '\\') {
			buf_putc(b, '\\');
			buf_putc(b, p[i++]);
		} else if (p[i] < 0x20 || p[i] == 0x7f) {
			buf_printf(b, "\\u%04x", p[i++]);
		} else if (p[i] < 0x80) {
			buf_putc(b, p[i++]);
		} else if ((k = utf8_decode(p + i, n - i < 4 ? n - i : 4,
					    NULL)) == 0) {
			buf_puts(b, "\\ufffd");
			i++;
		} else {
			buf_add(b, p + i, k);
			i += k;
		}
	}
	buf_putc(b, '"');
}

/*
 * Runs of multibyte characters are copied at once, ill-formed bytes in
 * and after them still replaced: random strings of ASCII, characters of
 * two to four bytes, stray continuation bytes, truncated, overlong and
 * surrogate forms give what a character at a time gives (exact-size
 * copies, lengths up to about 70: blocks of 16 and their tails)
 */
static void
string__utf8_runs_give_what_a_character_at_a_time_gives(void **state)
{
	static const char *const pieces[] = {
		"a", "Z", " ", "\"", "\\", "\n", "\x7f", "\xc3\xa9", "\xe3\x81\x82",
		"\xf0\x9f\x98\x80", "\x80", "\xbf", "\xc3", "\xe3\x81", "\xc0\x80",
		"\xed\xa0\x80", "\xf4\x90\x80\x80", "\xff", "abcdefgh",
	};
	char    in[128], *copy;
	size_t  i, k, n, np;
	unsigned seed = 7;
	buf     b, want;

	(void) state;
	buf_init(&b);
	buf_init(&want);
	for (i = 0; i < 20000; i++) {
		seed = seed * 1103515245 + 12345;
		np = (seed >> 16) % 24;
		for (n = k = 0; k < np; k++) {
			const char *pc;

			seed = seed * 1103515245 + 12345;
			pc = pieces[(seed >> 16) % NELEM(pieces)];
			memcpy(in + n, pc, strlen(pc));
			n += strlen(pc);
		}
		in[n] = 0;
		copy = test_exact(in, n + 1);
		buf_reset(&b);
		buf_reset(&want);
		assert_int_equal(json_string(&b, copy), 0);
		ref_string(&want, (const unsigned char *) copy, n);
		assert_false(want.failed);
		assert_int_equal(b.len, want.len);
		assert_memory_equal(b.data, want.data, want.len);
		free(copy);
	}
	buf_free(&b);
	buf_free(&want);
}

static void
string__null_and_empty_are_empty_strings(void **state)
{
	buf     b;

	(void) state;
	buf_init(&b);
	assert_int_equal(json_string(&b, NULL), 0);
	assert_int_equal(json_string(&b, ""), 0);
	assert_string_equal(b.data, "\"\"\"\"");
	buf_free(&b);
}

static void
string__random_bytes_always_give_valid_json(void **state)
{
	char    in[257];
	unsigned seed = 7;
	size_t  i, round;
	buf     b;

	(void) state;
	buf_init(&b);
	for (round = 0; round < 500; round++) {
		for (i = 0; i + 1 < sizeof(in); i++) {
			seed = seed * 1103515245u + 12345u;
			in[i] = (char) ((seed >> 16) | 1);	/* no NUL */
		}
		in[sizeof(in) - 1] = 0;
		buf_reset(&b);
		assert_int_equal(json_string(&b, in), 0);
		assert_true(json_valid(b.data, b.len, NULL));
	}
	buf_free(&b);
}

static void
report__known_report_gives_the_exact_spec_line(void **state)
{
	static const char want[] =
		"{\"file\":\"tests/x.eml\",\"bounce\":true,\"kind\":\"dsn\","
		"\"reporting_mta\":\"mx.a.example\",\"arrival_date\":\"\","
		"\"recipients\":[{\"recipient\":\"a@b.example\","
		"\"original_recipient\":\"\",\"action\":\"failed\","
		"\"status\":\"5.1.1\",\"reply_code\":\"550\","
		"\"reason\":\"userunknown\",\"owner\":\"sender\","
		"\"remote_mta\":\"mx.b.example\","
		"\"diagnostic\":\"smtp; 550 5.1.1 <a@b.example>: unknown\","
		"\"last_attempt\":\"\"},{\"recipient\":\"\","
		"\"original_recipient\":\"\",\"action\":\"\",\"status\":\"\","
		"\"reply_code\":\"\",\"reason\":\"\",\"owner\":\"\","
		"\"remote_mta\":\"\",\"diagnostic\":\"\","
		"\"last_attempt\":\"\"}]}\n";
	dsn_report r;
	dsn_rcpt *p;
	buf     b;

	(void) state;
	dsn_report_init(&r);
	r.kind = DSN_KIND_DSN;
	r.reporting_mta = strdup("mx.a.example");
	p = dsn_rcpt_new(&r, 10);
	assert_non_null(p);
	p->recipient = strdup("a@b.example");
	p->action = strdup("failed");
	p->status = strdup("5.1.1");
	p->reply_code = strdup("550");
	p->remote_mta = strdup("mx.b.example");
	p->diagnostic = strdup("smtp; 550 5.1.1 <a@b.example>: unknown");
	p->reason = "userunknown";
	p->owner = "sender";
	assert_non_null(dsn_rcpt_new(&r, 10));
	buf_init(&b);
	assert_int_equal(json_report(&b, "tests/x.eml", 1, &r), 0);
	assert_string_equal(b.data, want);
	assert_true(json_valid(b.data, b.len, NULL));
	buf_free(&b);
	dsn_report_free(&r);
}

static void
report__no_bounce_has_empty_recipient_list(void **state)
{
	dsn_report r;
	buf     b;

	(void) state;
	dsn_report_init(&r);
	buf_init(&b);
	buf_puts(&b, "prefix|");
	assert_int_equal(json_report(&b, NULL, 0, &r), 0);
	assert_string_equal(b.data, "prefix|{\"file\":\"\",\"bounce\":false,"
			    "\"kind\":\"none\",\"reporting_mta\":\"\","
			    "\"arrival_date\":\"\",\"recipients\":[]}\n");
	buf_free(&b);
}

static void
report__hostile_values_stay_one_valid_line(void **state)
{
	dsn_report r;
	dsn_rcpt *p;
	buf     b;
	char   *nl;

	(void) state;
	dsn_report_init(&r);
	r.kind = DSN_KIND_PLAIN;
	r.reporting_mta = strdup("mx\n\"},{\"injected\":true");
	r.arrival_date = strdup("\xff\xfe\x01");
	p = dsn_rcpt_new(&r, 10);
	assert_non_null(p);
	p->recipient = strdup("\"a\\\"@b\r\n");
	p->diagnostic = strdup("smtp; 550 \xe2\x82 \x7f \x1b[31m");
	p->reason = "undefined";
	p->owner = "recipient";
	buf_init(&b);
	assert_int_equal(json_report(&b, "a\"b\nc.eml", 1, &r), 0);
	assert_true(b.len > 0);
	nl = strchr(b.data, '\n');
	assert_non_null(nl);
	assert_ptr_equal(nl, b.data + b.len - 1);	/* one line */
	assert_true(json_valid(b.data, b.len, NULL));
	assert_null(strstr(b.data, "\"injected\":true"));
	buf_free(&b);
	dsn_report_free(&r);
}

static void
report__kind_names_every_kind(void **state)
{
	static const struct {
		dsn_kind kind;
		const char *text;
	} kinds[] = {
		{DSN_KIND_NONE, "\"kind\":\"none\""},
		{DSN_KIND_DSN, "\"kind\":\"dsn\""},
		{DSN_KIND_PLAIN, "\"kind\":\"plain\""},
		{DSN_KIND_ARF, "\"kind\":\"arf\""},
	};
	dsn_report r;
	buf     b;
	size_t  i;

	(void) state;
	for (i = 0; i < NELEM(kinds); i++) {
		dsn_report_init(&r);
		r.kind = kinds[i].kind;
		buf_init(&b);
		assert_int_equal(json_report(&b, "f", 1, &r), 0);
		assert_non_null(strstr(b.data, kinds[i].text));
		buf_free(&b);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(checker__rejects_raw_controls_bad_utf8_and_bad_escapes),
		cmocka_unit_test(string__quotes_and_backslashes_are_escaped),
		cmocka_unit_test(string__every_control_character_is_escaped),
		cmocka_unit_test(string__invalid_utf8_becomes_replacement_character),
		cmocka_unit_test(string__valid_multibyte_utf8_is_kept),
		cmocka_unit_test(string__escape_at_every_offset_of_every_length),
		cmocka_unit_test(string__utf8_runs_give_what_a_character_at_a_time_gives),
		cmocka_unit_test(string__null_and_empty_are_empty_strings),
		cmocka_unit_test(string__random_bytes_always_give_valid_json),
		cmocka_unit_test(report__known_report_gives_the_exact_spec_line),
		cmocka_unit_test(report__no_bounce_has_empty_recipient_list),
		cmocka_unit_test(report__hostile_values_stay_one_valid_line),
		cmocka_unit_test(report__kind_names_every_kind),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
