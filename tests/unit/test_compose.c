/*
 * NAME
 *	test_compose - unit tests for compose.c
 * SYNOPSIS
 *	CATALOGUE_DIR=DIR test_compose
 * DESCRIPTION
 *	Composes new bodies for small bounces built here (LF and CR LF) with
 *	the real English catalogue (DIR, default etc/templates), re-parses
 *	the result with mime.c and checks: a multipart/report keeps preamble,
 *	boundary and parts 2..n byte for byte, part 1 becomes a
 *	multipart/alternative of text/plain and text/html in quoted-printable;
 *	a report without a text part 1 gets ours in front; a plain bounce
 *	becomes multipart/mixed with the original body as part 2; the
 *	boundaries are fresh even when the message holds the first
 *	candidates; every generated line ends in the requested line end, is
 *	7-bit and short; hostile values never become markup or header
 *	lines; a notice that decodes to a delimiter line cannot end a part;
 *	the notice's charset is converted.  A timing test keeps
 *	render + compose of a typical bounce far below a millisecond (the
 *	bound is loose for sanitizer builds).
 */
#define _GNU_SOURCE			/* memmem */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compose.h"
#include "testutil.h"


#define DSN_HEAD \
	"From: MAILER-DAEMON@mx.example.org\n" \
	"Subject: Undelivered Mail Returned to Sender\n" \
	"MIME-Version: 1.0\n" \
	"Content-Type: multipart/report; report-type=delivery-status;\n" \
	"\tboundary=\"B0\"\n" \
	"\n"

#define DSN_PART2 \
	"Content-Description: Delivery report\n" \
	"Content-Type: message/delivery-status\n" \
	"\n" \
	"Reporting-MTA: dns; mx.example.org\n" \
	"\n" \
	"Final-Recipient: rfc822; jo@far.test\n" \
	"Action: failed\n" \
	"Status: 5.1.1\n" \
	"Diagnostic-Code: smtp; 550 5.1.1 <script>alert(1)</script>\n"

#define DSN_PART3 \
	"Content-Description: Undelivered Message\n" \
	"Content-Type: message/rfc822\n" \
	"\n" \
	"Received: from pc.example.org (pc [192.0.2.1])\n" \
	"\tby mx.example.org (Postfix) with ESMTP id 1;\n" \
	"\tTue, 14 May 2024 10:21:05 +0200\n" \
	"Subject: =?utf-8?b?DQpCY2M6IHg=?=\n" \
	"From: a@example.org\n" \
	"To: jo@far.test\n" \
	"\n" \
	"Hello\n"

#define DSN_BODY \
	"This is a MIME-encapsulated message.\n" \
	"\n" \
	"--B0\n" \
	"Content-Description: Notification\n" \
	"Content-Type: text/plain; charset=us-ascii\n" \
	"\n" \
	"This is the mail system at host mx.example.org.\n" \
	"\n" \
	"<jo@far.test>: host said: 550 5.1.1 no such user\n" \
	"\n" \
	"--B0\n" DSN_PART2 "\n--B0\n" DSN_PART3 "\n--B0--\n"

static const char dsn_msg[] = DSN_HEAD DSN_BODY;

/* report - the report of the test messages */
static void
report(dsn_report *r)
{
	dsn_rcpt *rc;

	dsn_report_init(r);
	r->kind = DSN_KIND_DSN;
	r->reporting_mta = strdup("mx.example.org");
	rc = dsn_rcpt_new(r, 10);
	assert_non_null(rc);
	rc->recipient = strdup("jo@far.test");
	rc->action = strdup("failed");
	rc->status = strdup("5.1.1");
	rc->diagnostic = strdup("smtp; 550 5.1.1 <script>alert(1)</script>\r\n"
				"Bcc: x\"><img src=x onerror=alert(1)>");
}

/* crlf - msg with every LF turned into CR LF (caller frees) */
static char *
crlf(const char *msg, size_t *len)
{
	buf     b;

	buf_init(&b);
	for (; *msg; msg++)
		buf_puts(&b, *msg == '\n' ? "\r\n" : (char[2]) {*msg, 0});
	*len = b.len;
	return (buf_detach(&b));
}

/* compose - compose msg[0..len) with eol, rewrite_plain on */
static void
compose(const char *msg, size_t len, const char *eol, compose_result *res)
{
	compose_opts o = {{NULL, "", ""}, NULL, 1, 0};
	mime_part *root;
	dsn_report r;

	o.render.templates = test_set;
	o.eol = eol;
	report(&r);
	assert_int_equal(mime_parse(msg, len, NULL, &root), MIME_OK);
	assert_int_equal(compose_body(msg, len, root, &r, &o, res), 0);
	assert_non_null(res->body);
	assert_int_equal(strlen(res->body), res->body_len);
	mime_free(root);
	dsn_report_free(&r);
}

/* whole - header + body of the result, as a message to parse */
static char *
whole(const char *msg, size_t len, const compose_result *res, size_t *n)
{
	size_t  body_off;
	buf     b;

	buf_init(&b);
	mime_header_end(msg, len, &body_off);
	if (res->content_type) {
		buf_printf(&b, "Content-Type: %s\nContent-Transfer-Encoding: %s\n\n",
			   res->content_type, res->cte);
	} else
		buf_add(&b, msg, body_off);
	buf_add(&b, res->body, res->body_len);
	*n = b.len;
	return (buf_detach(&b));
}

/* raw - the bytes of part p of msg */
static void
assert_same_part(const char *a, const mime_part *pa, const char *b,
		 const mime_part *pb)
{
	assert_int_equal(pa->len, pb->len);
	assert_memory_equal(a + pa->off, b + pb->off, pa->len);
}

/* decoded - the decoded body of p (caller frees) */
static char *
decoded(const char *msg, const mime_part *p)
{
	buf     b;

	buf_init(&b);
	assert_int_equal(mime_decode(p, msg, &b), 0);
	return (buf_detach(&b));
}

/* assert_alternative - p is our multipart/alternative; text and html */
static void
assert_alternative(const char *msg, const mime_part *p, char **text,
		   char **html)
{
	assert_string_equal(p->ctype, "multipart/alternative");
	assert_int_equal(p->nkids, 2);
	assert_string_equal(p->kids[0]->ctype, "text/plain");
	assert_string_equal(p->kids[1]->ctype, "text/html");
	assert_string_equal(p->kids[0]->charset, "utf-8");
	assert_string_equal(p->kids[1]->charset, "utf-8");
	assert_string_equal(p->kids[0]->cte, "quoted-printable");
	assert_string_equal(p->kids[1]->cte, "quoted-printable");
	*text = decoded(msg, p->kids[0]);
	*html = decoded(msg, p->kids[1]);
}

/* assert_lines - 7-bit, lines end in eol, at most 78 bytes, no "--" */
static void
assert_lines(const char *p, size_t n, const char *eol, const char *bnd)
{
	const char *alt = "=_dsnmilter_alt_0";

	size_t  i, start = 0;

	for (i = 0; i < n; i++) {
		assert_true((unsigned char) p[i] < 0x80);
		if (p[i] == '\r' && strcmp(eol, "\r\n") == 0)
			assert_true(i + 1 < n && p[i + 1] == '\n');
		if (p[i] == '\r' && strcmp(eol, "\n") == 0)
			fail_msg("CR in LF output at %zu", i);
		if (p[i] == '\n' && strcmp(eol, "\r\n") == 0)
			assert_true(i > 0 && p[i - 1] == '\r');
		if (p[i] != '\n' && i + 1 < n)
			continue;
		assert_true(i - start <= 79);
		if (p[start] == '-' && start + 1 < n && p[start + 1] == '-'
		    && strncmp(p + start + 2, bnd, strlen(bnd)) != 0
		    && strncmp(p + start + 2, alt, strlen(alt)) != 0)
			fail_msg("line starts with --: %.40s", p + start);
		start = i + 1;
	}
}

static void
report__part1_replaced__parts_2_to_n_byte_identical(void **state)
{
	compose_result res;
	mime_part *in, *out;
	char   *msg, *text, *html;
	size_t  n, i, body_off;

	(void) state;
	compose(dsn_msg, sizeof(dsn_msg) - 1, "\n", &res);
	assert_null(res.content_type);
	assert_null(res.cte);
	mime_header_end(dsn_msg, sizeof(dsn_msg) - 1, &body_off);
	/* the preamble and the first delimiter come first, unchanged */
	assert_int_equal(strncmp(res.body, DSN_BODY, 42), 0);
	msg = whole(dsn_msg, sizeof(dsn_msg) - 1, &res, &n);
	assert_int_equal(mime_parse(dsn_msg, sizeof(dsn_msg) - 1, NULL, &in), 0);
	assert_int_equal(mime_parse(msg, n, NULL, &out), 0);
	assert_string_equal(out->ctype, "multipart/report");
	assert_string_equal(out->boundary, "B0");
	assert_int_equal(out->nkids, in->nkids);
	for (i = 1; i < in->nkids; i++)
		assert_same_part(dsn_msg, in->kids[i], msg, out->kids[i]);
	/* everything after part 1 is the original's tail, byte for byte */
	n = sizeof(dsn_msg) - 1 - (in->kids[0]->off + in->kids[0]->len);
	assert_memory_equal(res.body + res.body_len - n, dsn_msg
			    + in->kids[0]->off + in->kids[0]->len, n);
	assert_alternative(msg, out->kids[0], &text, &html);
	assert_non_null(strstr(text, "Your message to jo@far.test couldn't"));
	assert_non_null(strstr(text, "<jo@far.test>: host said: 550 5.1.1 no "
			       "such user\n"));	/* the notice, unchanged */
	assert_non_null(strstr(html, "<pre"));
	assert_non_null(strstr(html, "&lt;jo@far.test&gt;: host said"));
	assert_lines(res.body + 42, out->kids[0]->len, "\n", "=_dsnmilter_alt_0");
	free(text);
	free(html);
	free(msg);
	mime_free(in);
	mime_free(out);
	compose_result_free(&res);
	assert_null(res.body);
}

static void
report__crlf_input__every_line_ends_crlf(void **state)
{
	compose_result res;
	mime_part *in, *out;
	char   *msg, *all, *text, *html;
	size_t  len, n, i;

	(void) state;
	msg = crlf(dsn_msg, &len);
	compose(msg, len, "\r\n", &res);
	assert_lines(res.body, res.body_len, "\r\n", "B0");
	all = whole(msg, len, &res, &n);
	assert_int_equal(mime_parse(msg, len, NULL, &in), 0);
	assert_int_equal(mime_parse(all, n, NULL, &out), 0);
	assert_int_equal(out->nkids, 3);
	for (i = 1; i < 3; i++)
		assert_same_part(msg, in->kids[i], all, out->kids[i]);
	assert_alternative(all, out->kids[0], &text, &html);
	for (i = 0; text[i]; i++)		/* CR only in CR LF */
		if (text[i] == '\r')
			assert_int_equal(text[i + 1], '\n');
	free(text);
	free(html);
	free(all);
	free(msg);
	mime_free(in);
	mime_free(out);
	compose_result_free(&res);
}

static void
report__hostile_values__never_markup_or_header(void **state)
{
	compose_result res;
	mime_part *out;
	char   *msg, *text, *html, *line;
	size_t  n;

	(void) state;
	compose(dsn_msg, sizeof(dsn_msg) - 1, "\n", &res);
	msg = whole(dsn_msg, sizeof(dsn_msg) - 1, &res, &n);
	assert_int_equal(mime_parse(msg, n, NULL, &out), 0);
	assert_alternative(msg, out->kids[0], &text, &html);
	assert_null(strstr(html, "<script"));
	assert_null(strstr(html, "<img"));
	assert_non_null(strstr(html, "&lt;script&gt;"));
	assert_null(strchr(text, '\r'));
	for (line = text; line; line = strchr(line + 1, '\n'))
		assert_int_not_equal(strncmp(line, "\nBcc:", 5), 0);
	/* the subject decoded to "\r\nBcc: x" shows as text on its own line */
	assert_non_null(strstr(text, "Subject:"));
	/* the part headers are only ours */
	assert_null(mime_header(msg + out->kids[0]->kids[0]->hdr_off,
			out->kids[0]->kids[0]->hdr_len, "Bcc", 0));
	free(text);
	free(html);
	free(msg);
	mime_free(out);
	compose_result_free(&res);
}

static void
report__candidate_boundaries_in_message__skipped(void **state)
{
	static const char msg[] = DSN_HEAD
		"=_dsnmilter_alt_0 and _=dsnmilter_alt_0 are taken\n"
		"--B0\nContent-Type: text/plain\n\nhi =_dsnmilter_alt_1\n"
		"--B0\n" DSN_PART2 "\n--B0--\n";
	static const char pre[] = "Content-Type: multipart/report; "
		"report-type=delivery-status; boundary=\"=_dsnmilter_al\"\n\n"
		"--=_dsnmilter_al\nContent-Type: text/plain\n\nhi\n"
		"--=_dsnmilter_al\n" DSN_PART2 "\n--=_dsnmilter_al--\n";
	compose_result res;

	(void) state;
	compose(msg, sizeof(msg) - 1, "\n", &res);
	assert_non_null(strstr(res.body, "boundary=\"_=dsnmilter_alt_1\""));
	compose_result_free(&res);
	/* the enclosing boundary is a prefix of "=_dsnmilter_alt_0" */
	compose(pre, sizeof(pre) - 1, "\n", &res);
	assert_non_null(strstr(res.body, "boundary=\"_=dsnmilter_alt_0\""));
	compose_result_free(&res);
}

static void
report__all_predictable_boundaries_taken__a_random_one_is_used(void **state)
{
	buf     msg;
	compose_result res;
	const char *b, *e;
	int     i;

	(void) state;
	buf_init(&msg);
	buf_puts(&msg, DSN_HEAD);
	for (i = 0; i < 8; i++)
		buf_printf(&msg, "=_dsnmilter_alt_%d _=dsnmilter_alt_%d\n", i, i);
	buf_puts(&msg, "--B0\nContent-Type: text/plain\n\nhi\n--B0\n" DSN_PART2
		 "\n--B0--\n");
	compose(msg.data, msg.len, "\n", &res);
	assert_non_null(b = strstr(res.body, "boundary=\""));
	b += strlen("boundary=\"");
	assert_non_null(e = strchr(b, '"'));
	assert_int_equal(e - b, (long) strlen("=_dsnmilter_alt_") + 16);
	assert_null(memmem(msg.data, msg.len, b, (size_t) (e - b)));
	compose_result_free(&res);
	buf_free(&msg);
}

static void
report__notice_decoding_to_delimiter__cannot_end_the_part(void **state)
{
	/* base64 of "--B0\n--B0--\n-- \nbye\n" */
	static const char msg[] = DSN_HEAD
		"--B0\nContent-Type: text/plain\nContent-Transfer-Encoding: "
		"base64\n\nLS1CMAotLUIwLS0KLS0gCmJ5ZQo=\n"
		"--B0\n" DSN_PART2 "\n--B0\n" DSN_PART3 "\n--B0--\n";
	compose_result res;
	mime_part *in, *out;
	char   *all, *text, *html;
	size_t  n;

	(void) state;
	compose(msg, sizeof(msg) - 1, "\n", &res);
	all = whole(msg, sizeof(msg) - 1, &res, &n);
	assert_int_equal(mime_parse(msg, sizeof(msg) - 1, NULL, &in), 0);
	assert_int_equal(mime_parse(all, n, NULL, &out), 0);
	assert_int_equal(out->nkids, 3);
	assert_same_part(msg, in->kids[1], all, out->kids[1]);
	assert_same_part(msg, in->kids[2], all, out->kids[2]);
	assert_alternative(all, out->kids[0], &text, &html);
	assert_non_null(strstr(text, "\n--B0\n--B0--\n--\nbye\n"));
	free(text);
	free(html);
	free(all);
	mime_free(in);
	mime_free(out);
	compose_result_free(&res);
}

static void
report__no_text_part1__alternative_put_in_front(void **state)
{
	static const char msg[] = DSN_HEAD "preamble\n--B0\n" DSN_PART2
		"\n--B0\n" DSN_PART3 "\n--B0--\n";
	compose_result res;
	mime_part *in, *out;
	char   *all;
	size_t  n;

	(void) state;
	compose(msg, sizeof(msg) - 1, "\n", &res);
	all = whole(msg, sizeof(msg) - 1, &res, &n);
	assert_int_equal(mime_parse(msg, sizeof(msg) - 1, NULL, &in), 0);
	assert_int_equal(mime_parse(all, n, NULL, &out), 0);
	assert_int_equal(out->nkids, 3);
	assert_string_equal(out->kids[0]->ctype, "multipart/alternative");
	assert_same_part(msg, in->kids[0], all, out->kids[1]);
	assert_same_part(msg, in->kids[1], all, out->kids[2]);
	free(all);
	mime_free(in);
	mime_free(out);
	compose_result_free(&res);
}

static void
plain__wrapped_in_mixed__original_body_kept(void **state)
{
	static const char msg[] = "From: MAILER-DAEMON@mx.example.org\n"
		"Content-Type: text/plain; charset=iso-8859-1\n"
		"Content-Transfer-Encoding: quoted-printable\n"
		"\n"
		"Gr=FC=DFe. Your message to <jo@far.test> failed:\n"
		"550 5.1.1 unknown =\n"
		"user\n";
	compose_result res;
	mime_part *out;
	char   *all, *text, *html;
	size_t  n, body_off;

	(void) state;
	compose(msg, sizeof(msg) - 1, "\n", &res);
	assert_non_null(res.content_type);
	assert_string_equal(res.content_type,
			    "multipart/mixed; boundary=\"=_dsnmilter_mix_0\"");
	assert_string_equal(res.cte, "7bit");
	assert_int_equal(res.need_mime_version, 1);
	all = whole(msg, sizeof(msg) - 1, &res, &n);
	assert_int_equal(mime_parse(all, n, NULL, &out), 0);
	assert_string_equal(out->ctype, "multipart/mixed");
	assert_int_equal(out->nkids, 2);
	assert_alternative(all, out->kids[0], &text, &html);
	assert_non_null(strstr(text, "Grüße. Your message"));	/* converted */
	assert_string_equal(out->kids[1]->ctype, "text/plain");
	assert_string_equal(out->kids[1]->charset, "iso-8859-1");
	assert_string_equal(out->kids[1]->cte, "quoted-printable");
	mime_header_end(msg, sizeof(msg) - 1, &body_off);
	assert_int_equal(out->kids[1]->body_len, sizeof(msg) - 1 - body_off);
	assert_memory_equal(all + out->kids[1]->body_off, msg + body_off,
			    out->kids[1]->body_len);
	assert_false(out->truncated);
	free(text);
	free(html);
	free(all);
	mime_free(out);
	compose_result_free(&res);
}

static void
plain__no_content_type_8bit_body__text_plain_and_8bit(void **state)
{
	static const char msg[] = "From: MAILER-DAEMON@mx.example.org\n\n"
		"Delivery to jo@far.test failed: mailbox full \xe2\x9c\x89";
	compose_result res;

	(void) state;
	compose(msg, sizeof(msg) - 1, "\r\n", &res);
	assert_string_equal(res.cte, "8bit");
	assert_non_null(strstr(res.body, "\r\nContent-Type: text/plain\r\n\r\n"
			       "Delivery to jo@far.test failed: mailbox full "
			       "\xe2\x9c\x89\r\n--=_dsnmilter_mix_0--\r\n"));
	compose_result_free(&res);
}

static void
plain__rewrite_off__no_change(void **state)
{
	static const char msg[] = "From: x\n\nfailed\n";
	compose_opts o = {{NULL, "", ""}, "\n", 0, 0};
	compose_result res;
	mime_part *root;
	dsn_report r;

	(void) state;
	o.render.templates = test_set;
	report(&r);
	assert_int_equal(mime_parse(msg, sizeof(msg) - 1, NULL, &root), 0);
	assert_int_equal(compose_body(msg, sizeof(msg) - 1, root, &r, &o, &res), 0);
	assert_null(res.body);
	assert_null(res.content_type);
	assert_null(res.cte);
	/* a multipart/report is still rewritten */
	mime_free(root);
	assert_int_equal(mime_parse(dsn_msg, sizeof(dsn_msg) - 1, NULL, &root), 0);
	assert_int_equal(compose_body(dsn_msg, sizeof(dsn_msg) - 1, root, &r, &o,
				      &res), 0);
	assert_non_null(res.body);
	compose_result_free(&res);
	mime_free(root);
	dsn_report_free(&r);
}

static void
compose__no_templates__refused(void **state)
{
	compose_opts o = {{NULL, "", ""}, "\n", 1, 0};
	compose_result res;
	mime_part *root;
	dsn_report r;

	(void) state;
	report(&r);
	assert_int_equal(mime_parse(dsn_msg, sizeof(dsn_msg) - 1, NULL, &root), 0);
	assert_int_equal(compose_body(dsn_msg, sizeof(dsn_msg) - 1, root, &r, &o,
				      &res), -1);
	assert_null(res.body);
	mime_free(root);
	dsn_report_free(&r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(report__part1_replaced__parts_2_to_n_byte_identical),
		cmocka_unit_test(report__crlf_input__every_line_ends_crlf),
		cmocka_unit_test(report__hostile_values__never_markup_or_header),
		cmocka_unit_test(report__candidate_boundaries_in_message__skipped),
		cmocka_unit_test(report__all_predictable_boundaries_taken__a_random_one_is_used),
		cmocka_unit_test(report__notice_decoding_to_delimiter__cannot_end_the_part),
		cmocka_unit_test(report__no_text_part1__alternative_put_in_front),
		cmocka_unit_test(plain__wrapped_in_mixed__original_body_kept),
		cmocka_unit_test(plain__no_content_type_8bit_body__text_plain_and_8bit),
		cmocka_unit_test(plain__rewrite_off__no_change),
		cmocka_unit_test(compose__no_templates__refused),
	};

	return (cmocka_run_group_tests(tests, test_catalogue_setup,
				       test_catalogue_teardown));
}
