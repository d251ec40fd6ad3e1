/*
 * NAME
 *	test_dsn - unit tests for dsn.c
 * DESCRIPTION
 *	dsn_parse_fields() on the forms of RFC 3464 and on what generators
 *	really write: several recipients, folded fields, type prefixes and
 *	comments, any case, groups without an empty line between them,
 *	Original-Recipient only, a group split by a stray empty line, the
 *	per-message group, the recipient cap,
 *	binary garbage and empty input.  dsn_significant() order,
 *	dsn_field_value(), dsn_rcpt_new() and the model helpers.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dsn.h"
#include "ses.h"
#include "testutil.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))
#define BIG 1000

/* parse - dsn_parse_fields() over an exact-size copy of s[0..n) */
static int
parse(const char *s, size_t n, dsn_report *r, size_t max_rcpt)
{
	char   *p = test_exact(s, n);
	int     ret;

	dsn_report_init(r);
	ret = dsn_parse_fields(p, n, r, max_rcpt);
	free(p);
	return (ret);
}

#define PARSE(s, r, max) parse((s), sizeof(s) - 1, (r), (max))

/* str_eq - compare a model string (NULL = unknown) with want */
static void
str_eq(const char *got, const char *want)
{
	if (want == NULL)
		assert_null(got);
	else {
		assert_non_null(got);
		assert_string_equal(got, want);
	}
}

/* clean - no CR, LF or NUL-terminated surprises in a model string */
static void
assert_clean(const char *s)
{
	if (s == NULL)
		return;
	assert_null(strchr(s, '\r'));
	assert_null(strchr(s, '\n'));
}

static void
assert_report_clean(const dsn_report *r)
{
	size_t  i;

	assert_clean(r->reporting_mta);
	assert_clean(r->arrival_date);
	assert_clean(r->received_from_mta);
	assert_clean(r->original_envelope_id);
	assert_true(r->nrcpt <= r->rcpt_cap);
	for (i = 0; i < r->nrcpt; i++) {
		const dsn_rcpt *p = r->rcpt + i;

		assert_clean(p->recipient);
		assert_clean(p->original_recipient);
		assert_clean(p->action);
		assert_clean(p->status);
		assert_clean(p->reply_code);
		assert_clean(p->remote_mta);
		assert_clean(p->diagnostic);
		assert_clean(p->last_attempt);
		assert_clean(p->will_retry_until);
	}
}

/* The RFC 3464 section 10.2 example, slightly shortened. */
static const char rfc3464_sample[] =
	"Reporting-MTA: dns; cs.utk.edu\n"
	"\n"
	"Original-Recipient: rfc822;louisl@larry.slip.umd.edu\n"
	"Final-Recipient: rfc822;louisl@larry.slip.umd.edu\n"
	"Action: failed\n"
	"Status: 4.0.0\n"
	"Diagnostic-Code: smtp; 426 connection timed out\n"
	"Last-Attempt-Date: Thu, 7 Jul 1994 17:15:49 -0400\n"
	"\n"
	"Original-Recipient: rfc822;pongo@zoo.example\n"
	"Final-Recipient: rfc822;pongo@zoo.example\n"
	"Action: delayed\n"
	"Status: 4.4.1\n"
	"Remote-MTA: dns; mx.zoo.example\n"
	"Will-Retry-Until: Fri, 8 Jul 1994 17:15:49 -0400\n"
	"\n"
	"Final-Recipient: rfc822;ok@zoo.example\n"
	"Action: delivered\n"
	"Status: 2.0.0\n";

static void
parse__rfc3464_sample_gives_every_recipient_in_order(void **state)
{
	dsn_report r;

	(void) state;
	assert_int_equal(PARSE(rfc3464_sample, &r, BIG), 3);
	assert_int_equal(r.nrcpt, 3);
	assert_int_equal(r.rcpt_dropped, 0);
	str_eq(r.reporting_mta, "cs.utk.edu");
	str_eq(r.rcpt[0].recipient, "louisl@larry.slip.umd.edu");
	str_eq(r.rcpt[0].original_recipient, "louisl@larry.slip.umd.edu");
	str_eq(r.rcpt[0].action, "failed");
	str_eq(r.rcpt[0].status, "4.0.0");
	str_eq(r.rcpt[0].diagnostic, "smtp; 426 connection timed out");
	str_eq(r.rcpt[0].last_attempt, "Thu, 7 Jul 1994 17:15:49 -0400");
	str_eq(r.rcpt[0].remote_mta, NULL);
	str_eq(r.rcpt[1].recipient, "pongo@zoo.example");
	str_eq(r.rcpt[1].action, "delayed");
	str_eq(r.rcpt[1].status, "4.4.1");
	str_eq(r.rcpt[1].remote_mta, "mx.zoo.example");
	str_eq(r.rcpt[1].will_retry_until, "Fri, 8 Jul 1994 17:15:49 -0400");
	str_eq(r.rcpt[1].diagnostic, NULL);
	str_eq(r.rcpt[2].recipient, "ok@zoo.example");
	str_eq(r.rcpt[2].original_recipient, NULL);
	str_eq(r.rcpt[2].action, "delivered");
	assert_string_equal(r.rcpt[0].reason, "");
	assert_string_equal(r.rcpt[0].owner, "");
	assert_report_clean(&r);
	dsn_report_free(&r);
}

static void
parse__per_message_group_fills_the_report(void **state)
{
	static const char s[] =
		"Reporting-MTA: dns; mail.a.example\r\n"
		"Received-From-MTA: DNS; client.a.example (192.0.2.7)\r\n"
		"Original-Envelope-Id: 0123456789ABC\r\n"
		"Arrival-Date: Mon, 1 Jan 2024 10:00:00 +0000\r\n"
		"X-Postfix-Queue-ID: 4ABC\r\n"
		"Reporting-MTA: dns; second.example\r\n"
		"\r\n"
		"Final-Recipient: rfc822; a@b.example\r\n"
		"Action: failed\r\n"
		"Status: 5.1.1\r\n";
	dsn_report r;

	(void) state;
	assert_int_equal(PARSE(s, &r, BIG), 1);
	str_eq(r.reporting_mta, "mail.a.example");	/* first one wins */
	str_eq(r.received_from_mta, "client.a.example");
	str_eq(r.original_envelope_id, "0123456789ABC");
	str_eq(r.arrival_date, "Mon, 1 Jan 2024 10:00:00 +0000");
	str_eq(r.rcpt[0].recipient, "a@b.example");
	str_eq(r.rcpt[0].status, "5.1.1");
	assert_report_clean(&r);
	dsn_report_free(&r);
}

static void
parse__folded_diagnostic_code_is_unfolded(void **state)
{
	static const char s[] =
		"Reporting-MTA: dns; mx.example\n"
		"\n"
		"Final-Recipient: rfc822; a@b.example\n"
		"Action: failed\n"
		"Status: 5.1.1\n"
		"Diagnostic-Code: smtp; 550 5.1.1 <a@b.example>:\n"
		"    Recipient address rejected:\n"
		"\tUser unknown in virtual mailbox table\n"
		"Remote-MTA: dns; mx.b.example\n";
	dsn_report r;

	(void) state;
	assert_int_equal(PARSE(s, &r, BIG), 1);
	str_eq(r.rcpt[0].diagnostic, "smtp; 550 5.1.1 <a@b.example>: Recipient "
	       "address rejected: User unknown in virtual mailbox table");
	str_eq(r.rcpt[0].remote_mta, "mx.b.example");
	assert_report_clean(&r);
	dsn_report_free(&r);
}

/*
 * A value is unfolded into a buffer on the stack when its raw form is
 * shorter than 256 bytes, else on the heap: diagnostic codes of every
 * length around that edge, folded or not, come out whole.
 */
static void
parse__values_around_the_stack_buffer_edge_are_whole(void **state)
{
	static const size_t lens[] = {1, 200, 252, 253, 254, 255, 256, 257, 600};
	buf     in, want;
	dsn_report r;
	size_t  i, k, fold;

	(void) state;
	for (fold = 0; fold < 2; fold++) {
		for (i = 0; i < NELEM(lens); i++) {
			buf_init(&in);
			buf_init(&want);
			buf_puts(&in, "Final-Recipient: rfc822; a@b.example\n"
				 "Diagnostic-Code:");
			for (k = 0; k < lens[i]; k++) {
				if (fold && k % 50 == 49) {
					buf_puts(&in, "\n\t");
					buf_putc(&want, ' ');
				}
				buf_putc(&in, (int) ('a' + k % 26));
				buf_putc(&want, (int) ('a' + k % 26));
			}
			buf_puts(&in, "\nAction: failed\n");
			assert_false(in.failed || want.failed);
			assert_int_equal(parse(in.data, in.len, &r, BIG), 1);
			str_eq(r.rcpt[0].diagnostic, want.data);
			str_eq(r.rcpt[0].action, "failed");
			dsn_report_free(&r);
			buf_free(&in);
			buf_free(&want);
		}
	}
}

static void
parse__type_prefixes_comments_and_angle_brackets_are_stripped(void **state)
{
	static const char s[] =
		"Reporting-MTA: dns;mx.example (Postfix)\n"
		"\n"
		"Final-Recipient: RFC822; <a@b.example> (the user)\n"
		"Original-Recipient: rfc822;A@B.example\n"
		"Action: failed (permanent)\n"
		"Status: 5.1.1 (bad destination mailbox)\n"
		"Remote-MTA: DNS; mx.b.example (192.0.2.1)\n"
		"Diagnostic-Code: X-Postfix; unknown user\n";
	dsn_report r;

	(void) state;
	assert_int_equal(PARSE(s, &r, BIG), 1);
	str_eq(r.reporting_mta, "mx.example");
	str_eq(r.rcpt[0].recipient, "a@b.example");
	str_eq(r.rcpt[0].original_recipient, "A@B.example");
	str_eq(r.rcpt[0].action, "failed");
	str_eq(r.rcpt[0].status, "5.1.1");
	str_eq(r.rcpt[0].remote_mta, "mx.b.example");
	/* the diagnostic keeps its type */
	str_eq(r.rcpt[0].diagnostic, "X-Postfix; unknown user");
	dsn_report_free(&r);
}

static void
parse__field_names_in_any_case_and_action_lowercased(void **state)
{
	static const char s[] =
		"REPORTING-MTA: dns; mx.example\n"
		"\n"
		"FINAL-RECIPIENT: rfc822; a@b.example\n"
		"aCtIoN: FAILED\n"
		"status: 5.2.2\n"
		"diagnostic-code: smtp; 552 5.2.2 Over quota\n"
		"\n"
		"final-recipient: rfc822; c@d.example\n"
		"ACTION: Delayed\n"
		"STATUS: 4.4.7\n";
	dsn_report r;

	(void) state;
	assert_int_equal(PARSE(s, &r, BIG), 2);
	str_eq(r.reporting_mta, "mx.example");
	str_eq(r.rcpt[0].action, "failed");
	str_eq(r.rcpt[0].status, "5.2.2");
	str_eq(r.rcpt[0].diagnostic, "smtp; 552 5.2.2 Over quota");
	str_eq(r.rcpt[1].recipient, "c@d.example");
	str_eq(r.rcpt[1].action, "delayed");
	str_eq(r.rcpt[1].status, "4.4.7");
	dsn_report_free(&r);
}

static void
parse__repeated_final_recipient_starts_a_group_without_empty_line(void **state)
{
	static const char s[] =
		"Reporting-MTA: dns; mx.example\n"
		"\n"
		"Final-Recipient: rfc822; one@b.example\n"
		"Action: failed\n"
		"Status: 5.1.1\n"
		"Final-Recipient: rfc822; two@b.example\n"
		"Action: delayed\n"
		"Status: 4.2.2\n"
		"Final-Recipient: rfc822; three@b.example\n"
		"Action: failed\n";
	dsn_report r;

	(void) state;
	assert_int_equal(PARSE(s, &r, BIG), 3);
	assert_int_equal(r.nrcpt, 3);
	str_eq(r.rcpt[0].recipient, "one@b.example");
	str_eq(r.rcpt[0].action, "failed");
	str_eq(r.rcpt[0].status, "5.1.1");
	str_eq(r.rcpt[1].recipient, "two@b.example");
	str_eq(r.rcpt[1].action, "delayed");
	str_eq(r.rcpt[1].status, "4.2.2");
	str_eq(r.rcpt[2].recipient, "three@b.example");
	str_eq(r.rcpt[2].action, "failed");
	str_eq(r.rcpt[2].status, NULL);
	dsn_report_free(&r);
}

static void
parse__recipient_group_directly_after_per_message_fields(void **state)
{
	static const char s[] =
		"Reporting-MTA: dns; mx.example\n"
		"Final-Recipient: rfc822; a@b.example\n"
		"Action: failed\n"
		"Status: 5.1.1\n";
	dsn_report r;

	(void) state;
	assert_int_equal(PARSE(s, &r, BIG), 1);
	str_eq(r.reporting_mta, "mx.example");
	str_eq(r.rcpt[0].recipient, "a@b.example");
	str_eq(r.rcpt[0].status, "5.1.1");
	dsn_report_free(&r);
}

static void
parse__original_recipient_only_groups_are_recipients(void **state)
{
	static const char s[] =
		"Reporting-MTA: dns; mx.example\n"
		"\n"
		"Original-Recipient: rfc822; one@b.example\n"
		"Action: failed\n"
		"Status: 5.1.1\n"
		"Original-Recipient: rfc822; two@b.example\n"
		"Action: failed\n"
		"\n"
		"Action: failed\n"
		"Status: 5.4.4\n"
		"Final-Recipient: rfc822; late@b.example\n";
	dsn_report r;

	(void) state;
	assert_int_equal(PARSE(s, &r, BIG), 3);
	str_eq(r.rcpt[0].recipient, NULL);
	str_eq(r.rcpt[0].original_recipient, "one@b.example");
	str_eq(r.rcpt[0].status, "5.1.1");
	str_eq(r.rcpt[1].original_recipient, "two@b.example");
	str_eq(r.rcpt[1].action, "failed");
	/* fields before Final-Recipient belong to its group */
	str_eq(r.rcpt[2].recipient, "late@b.example");
	str_eq(r.rcpt[2].status, "5.4.4");
	dsn_report_free(&r);
}

static void
parse__status_field_is_validated(void **state)
{
	static const char s[] =
		"Final-Recipient: rfc822; a@b.example\n"
		"Status: 5.1\n"
		"\n"
		"Final-Recipient: rfc822; c@b.example\n"
		"Status: 192.168.5.1\n"
		"\n"
		"Final-Recipient: rfc822; d@b.example\n"
		"Status: 5.7.509\n";
	dsn_report r;

	(void) state;
	assert_int_equal(PARSE(s, &r, BIG), 3);
	/* invalid: unknown, NULL or "" */
	assert_true(r.rcpt[0].status == NULL || r.rcpt[0].status[0] == 0);
	assert_true(r.rcpt[1].status == NULL || r.rcpt[1].status[0] == 0);
	str_eq(r.rcpt[2].status, "5.7.509");
	dsn_report_free(&r);
}

static void
parse__cr_only_line_ends_read_like_lf(void **state)
{
	static const char s[] =
		"Reporting-MTA: dns; mx.example\r"
		"\r"
		"Final-Recipient: rfc822; a@b.example\r"
		"Action: failed\r"
		"Diagnostic-Code: smtp; 550 5.1.1\r"
		" user unknown\r"
		"\r"
		"Final-Recipient: rfc822; c@b.example\r"
		"Action: delayed\r";
	dsn_report r;

	(void) state;
	assert_int_equal(PARSE(s, &r, BIG), 2);
	str_eq(r.reporting_mta, "mx.example");
	str_eq(r.rcpt[0].diagnostic, "smtp; 550 5.1.1 user unknown");
	str_eq(r.rcpt[1].recipient, "c@b.example");
	assert_report_clean(&r);
	dsn_report_free(&r);
}

static void
parse__max_rcpt_keeps_the_first_and_counts_the_rest(void **state)
{
	static const char s[] =
		"Reporting-MTA: dns; mx.example\n"
		"\n"
		"Final-Recipient: rfc822; r1@b.example\n"
		"Action: failed\n"
		"\n"
		"Final-Recipient: rfc822; r2@b.example\n"
		"Action: delayed\n"
		"\n"
		"Final-Recipient: rfc822; r3@b.example\n"
		"Action: failed\n"
		"Status: 5.1.1\n"
		"Final-Recipient: rfc822; r4@b.example\n"
		"Action: failed\n"
		"\n"
		"Action: failed\n"
		"Final-Recipient: rfc822; r5@b.example\n";
	dsn_report r;

	(void) state;
	assert_int_equal(PARSE(s, &r, 2), 5);
	assert_int_equal(r.nrcpt, 2);
	assert_int_equal(r.rcpt_dropped, 3);
	str_eq(r.rcpt[0].recipient, "r1@b.example");
	str_eq(r.rcpt[1].recipient, "r2@b.example");
	/* dropped groups never write into kept ones */
	str_eq(r.rcpt[1].action, "delayed");
	str_eq(r.rcpt[1].status, NULL);
	dsn_report_free(&r);

	assert_int_equal(PARSE(s, &r, 0), 5);
	assert_int_equal(r.nrcpt, 0);
	assert_int_equal(r.rcpt_dropped, 5);
	str_eq(r.reporting_mta, "mx.example");
	dsn_report_free(&r);
}

static void
parse__many_recipients_grow_the_array(void **state)
{
	char    s[64 * 100];
	size_t  n = 0, i;
	dsn_report r;
	char    want[40];

	(void) state;
	for (i = 0; i < 100; i++)
		n += (size_t) snprintf(s + n, sizeof(s) - n,
				       "Final-Recipient: rfc822; u%zu@x\n\n", i);
	assert_int_equal(parse(s, n, &r, BIG), 100);
	assert_int_equal(r.nrcpt, 100);
	for (i = 0; i < 100; i++) {
		snprintf(want, sizeof(want), "u%zu@x", i);
		str_eq(r.rcpt[i].recipient, want);
	}
	dsn_report_free(&r);
}

static void
parse__empty_input_has_no_recipients(void **state)
{
	dsn_report r;

	(void) state;
	assert_int_equal(parse("", 0, &r, BIG), 0);
	assert_int_equal(r.nrcpt, 0);
	assert_null(r.reporting_mta);
	dsn_report_free(&r);
	assert_int_equal(PARSE("\n\n\r\n\r\r", &r, BIG), 0);
	assert_int_equal(r.nrcpt, 0);
	dsn_report_free(&r);
	assert_int_equal(PARSE("no colon here\nnor here\n", &r, BIG), 0);
	assert_int_equal(r.nrcpt, 0);
	dsn_report_free(&r);
}

static void
parse__binary_garbage_never_crashes_and_stays_clean(void **state)
{
	static const char nul_value[] =
		"Final-Recipient: rfc822; a\0b@c.example\n"
		"Action: fa\0iled\n"
		"Diagnostic-Code: smtp; 550\0 5.1.1\r\n\r\n";
	char    s[4096];
	dsn_report r;
	unsigned seed = 12345;
	size_t  i, round;

	(void) state;
	for (round = 0; round < 200; round++) {
		for (i = 0; i < sizeof(s); i++) {
			seed = seed * 1103515245u + 12345u;
			s[i] = (char) (seed >> 16);
			/* sprinkle structure so the parser goes deep */
			if (seed % 37 == 0)
				s[i] = ':';
			else if (seed % 41 == 0)
				s[i] = '\n';
		}
		if (round % 2)
			memcpy(s, "Final-Recipient: x\n", 19);
		assert_true(parse(s, sizeof(s), &r, 5) >= 0);
		assert_true(r.nrcpt <= 5);
		assert_report_clean(&r);
		dsn_report_free(&r);
	}
	assert_int_equal(PARSE(nul_value, &r, BIG), 1);
	str_eq(r.rcpt[0].recipient, "a b@c.example");
	assert_report_clean(&r);
	dsn_report_free(&r);
}

static void
parse__header_only_fields_without_value(void **state)
{
	static const char s[] =
		"Final-Recipient:\n"
		"Action:\n"
		"Status:\n"
		"Diagnostic-Code:";
	dsn_report r;

	(void) state;
	assert_int_equal(PARSE(s, &r, BIG), 1);
	assert_int_equal(r.nrcpt, 1);
	str_eq(r.rcpt[0].recipient, "");
	assert_true(r.rcpt[0].status == NULL || r.rcpt[0].status[0] == 0);
	dsn_report_free(&r);
}

/* significant - index of dsn_significant() for a list of actions */
static long
significant(const char *const *actions, size_t n)
{
	dsn_report r;
	const dsn_rcpt *top;
	size_t  i;
	long    k;

	dsn_report_init(&r);
	for (i = 0; i < n; i++) {
		dsn_rcpt *p = dsn_rcpt_new(&r, BIG);

		assert_non_null(p);
		if (actions[i] != NULL) {
			p->action = strdup(actions[i]);
			assert_non_null(p->action);
		}
	}
	top = dsn_significant(&r);
	k = top ? (long) (top - r.rcpt) : -1;
	dsn_report_free(&r);
	return (k);
}

static void
significant__failed_before_delayed_before_the_first(void **state)
{
	static const char *const a1[] = {"delivered", "delayed", "failed",
	"failed"};
	static const char *const a2[] = {"delivered", "relayed", "delayed",
	"delayed"};
	static const char *const a3[] = {"relayed", "delivered", "expanded"};
	static const char *const a4[] = {NULL, "failed"};
	static const char *const a5[] = {NULL, NULL};
	static const char *const a6[] = {"failed", "delayed"};

	(void) state;
	assert_int_equal(significant(a1, NELEM(a1)), 2);
	assert_int_equal(significant(a2, NELEM(a2)), 2);
	assert_int_equal(significant(a3, NELEM(a3)), 0);
	assert_int_equal(significant(a4, NELEM(a4)), 1);
	assert_int_equal(significant(a5, NELEM(a5)), 0);
	assert_int_equal(significant(a6, NELEM(a6)), 0);
	assert_int_equal(significant(NULL, 0), -1);
}

struct value_case {
	const char *in;
	const char *want;
};

static const struct value_case value_cases[] = {
	{"rfc822; a@b.example", "a@b.example"},
	{"rfc822;a@b.example", "a@b.example"},
	{"RFC822; <a@b.example>", "a@b.example"},
	{"  rfc822 ;  a@b.example  ", "a@b.example"},
	{"a@b.example", "a@b.example"},
	{"<a@b.example>", "a@b.example"},
	{"rfc822; a@b.example (Joe)", "a@b.example"},
	{"a@b.example (comment; with semicolon)", "a@b.example"},
	{"dns; mx.b.example (192.0.2.1)", "mx.b.example"},
	{"dns; mx.b.example [192.0.2.1]", "mx.b.example [192.0.2.1]"},
	{"utf-8; \xe7\x94\xa8\xe6\x88\xb7@example.com",
	 "\xe7\x94\xa8\xe6\x88\xb7@example.com"},
	{"rfc822;", ""},
	{"rfc822; <>", ""},
	{"", ""},
	{"(only a comment)", "(only a comment)"},
	{"<", "<"},
	{"rfc822; a@b;c", "a@b;c"},
	{"rfc822; \"Doe, Jane\" <jane@b.example>", "jane@b.example"},
	{"Jane Doe <jane@b.example>", "jane@b.example"},
	{"rfc822; \"a<b\" < jane@b.example >", "jane@b.example"},
	{">", ">"},
	{"x>", "x>"},
};

static void
field_value__strips_type_comment_and_brackets(void **state)
{
	size_t  i, bad = 0;

	(void) state;
	for (i = 0; i < NELEM(value_cases); i++) {
		const struct value_case *c = value_cases + i;
		size_t  n = strlen(c->in);
		char   *p = test_exact(c->in, n), *v;

		v = dsn_field_value(p, n);
		free(p);
		assert_non_null(v);
		if (strcmp(v, c->want) != 0) {
			print_error("dsn_field_value(\"%s\") = \"%s\", want "
				    "\"%s\"\n", c->in, v, c->want);
			bad++;
		}
		free(v);
	}
	assert_int_equal(bad, 0);
}

/*
 * An address type is an atom (RFC 3464 section 2.1.2); a ';' inside a
 * quoted local part does not end one.
 */
static void
field_value__semicolon_in_a_quoted_local_part_is_no_type(void **state)
{
	static const char s[] = "\"a;b\"@example.com";
	char   *v;
	int     same;

	(void) state;
	v = dsn_field_value(s, sizeof(s) - 1);
	assert_non_null(v);
	same = strcmp(v, "\"a;b\"@example.com") == 0;
	if (!same)
		print_error("got \"%s\"\n", v);
	free(v);
	assert_true(same);
}

static void
rcpt_new__past_the_cap_counts_and_returns_null(void **state)
{
	dsn_report r;
	dsn_rcpt *p;

	(void) state;
	dsn_report_init(&r);
	p = dsn_rcpt_new(&r, 2);
	assert_non_null(p);
	assert_null(p->recipient);
	assert_string_equal(p->reason, "");
	assert_string_equal(p->owner, "");
	assert_non_null(dsn_rcpt_new(&r, 2));
	assert_null(dsn_rcpt_new(&r, 2));
	assert_null(dsn_rcpt_new(&r, 2));
	assert_int_equal(r.nrcpt, 2);
	assert_int_equal(r.rcpt_dropped, 2);
	dsn_report_free(&r);
	assert_int_equal(r.nrcpt, 0);
	assert_int_equal(r.rcpt_dropped, 0);
	assert_null(r.rcpt);
	assert_int_equal(r.kind, DSN_KIND_NONE);
}

/* ses - ses_parse() over an exact-size copy of s */
static int
ses(const char *s, dsn_report *r, size_t max_rcpt)
{
	size_t  n = strlen(s);
	char   *p = test_exact(s, n);
	int     ret;

	dsn_report_init(r);
	ret = ses_parse(p, n, r, max_rcpt);
	free(p);
	return (ret);
}

static void
ses__bounce_gives_each_bounced_recipient(void **state)
{
	dsn_report r;

	(void) state;
	assert_int_equal(ses("\r\n {\"notificationType\":\"Bounce\",\"bounce\":"
		"{\"bounceType\":\"Permanent\",\"bouncedRecipients\":[{\"emailAddress\":"
		"\"a@example.org\",\"action\":\"Failed\",\"status\":\"5.1.1\","
		"\"diagnosticCode\":\"smtp; 550 5.1.1 user unknown\"},"
		"{\"emailAddress\":\"b@example.org\"}],"
		"\"reportingMTA\":\"dsn; mta.example.com\"},\"mail\":{\"x\":[1,2.5e3,"
		"true,null,{\"y\":\"}\"}]}}\n--\nIf you wish to stop", &r, BIG), 2);
	assert_int_equal(r.nrcpt, 2);
	str_eq(r.reporting_mta, "mta.example.com");
	str_eq(r.rcpt[0].recipient, "a@example.org");
	str_eq(r.rcpt[0].action, "failed");
	str_eq(r.rcpt[0].status, "5.1.1");
	str_eq(r.rcpt[0].diagnostic, "smtp; 550 5.1.1 user unknown");
	str_eq(r.rcpt[1].recipient, "b@example.org");
	str_eq(r.rcpt[1].action, "failed");	/* a bounce without action */
	str_eq(r.rcpt[1].status, NULL);
	assert_int_equal(r.kind, DSN_KIND_PLAIN);
	dsn_report_free(&r);
}

static void
ses__delivery_and_event_type_give_delivered_recipients(void **state)
{
	dsn_report r;

	(void) state;
	assert_int_equal(ses("{\"eventType\":\"Delivery\",\"delivery\":{"
		"\"recipients\":[\"a@example.org\", \"b@example.org\"],"
		"\"smtpResponse\":\"250 2.6.0 Message received\"}}", &r, BIG), 2);
	str_eq(r.rcpt[1].recipient, "b@example.org");
	str_eq(r.rcpt[1].action, "delivered");
	str_eq(r.rcpt[1].diagnostic, "250 2.6.0 Message received");
	dsn_report_free(&r);
}

static void
ses__escapes_are_decoded_and_controls_become_spaces(void **state)
{
	dsn_report r;

	(void) state;
	assert_int_equal(ses("{\"notificationType\":\"Bounce\",\"bounce\":{"
		"\"bouncedRecipients\":[{\"emailAddress\":\"a\\u0040b.example\","
		"\"diagnosticCode\":\"x\\n\\\"y\\\"\\u00e9\\ud800\\uZZ\\u0000\"}]}}",
		&r, BIG), 1);
	str_eq(r.rcpt[0].recipient, "a@b.example");
	str_eq(r.rcpt[0].diagnostic, "x \"y\"\xc3\xa9\xef\xbf\xbd?ZZ ");
	dsn_report_free(&r);
}

static void
ses__complaint_is_a_feedback_report(void **state)
{
	dsn_report r;

	(void) state;
	assert_int_equal(ses("{\"notificationType\":\"Complaint\",\"complaint\":{"
		"\"complainedRecipients\":[{\"emailAddress\":\"a@example.org\"}],"
		"\"complaintFeedbackType\":\"Abuse\"}}", &r, BIG), 1);
	assert_int_equal(r.kind, DSN_KIND_ARF);
	str_eq(r.feedback_type, "abuse");
	str_eq(r.rcpt[0].recipient, "a@example.org");
	str_eq(r.rcpt[0].action, NULL);
	assert_string_equal(r.rcpt[0].reason, "feedback");
	assert_string_equal(r.rcpt[0].owner, "none");
	dsn_report_free(&r);
	assert_int_equal(ses("{\"eventType\":\"Complaint\",\"complaint\":{"
		"\"complainedRecipients\":[{\"emailAddress\":\"a@x\"}]}}", &r,
		BIG), 1);
	str_eq(r.feedback_type, "abuse");	/* the type is optional */
	dsn_report_free(&r);
}

static void
ses__max_rcpt_keeps_the_first_and_counts_the_rest(void **state)
{
	dsn_report r;

	(void) state;
	assert_int_equal(ses("{\"notificationType\":\"Bounce\",\"bounce\":{"
		"\"bouncedRecipients\":[{\"emailAddress\":\"a@x\"},"
		"{\"emailAddress\":\"b@x\"},{\"emailAddress\":\"c@x\"}]}}",
		&r, 1), 3);
	assert_int_equal(r.nrcpt, 1);
	assert_int_equal(r.rcpt_dropped, 2);
	dsn_report_free(&r);
}

/* Not SES, malformed, truncated or too deep: 0 and no recipients. */
static void
ses__anything_else_is_no_notification(void **state)
{
	static const char *const in[] = {
		"", "   ", "hello {\"notificationType\":\"Bounce\"}",
		"{\"notificationType\":\"Complaint\",\"complaint\":{}}",
		"{\"notificationType\":\"Bounce\",\"bounce\":[]}",
		"{\"notificationType\":\"Bounce\",\"bounce\":{\"bouncedRecipients\":[]}}",
		"{\"notificationType\":\"Bounce\",\"bounce\":{\"bouncedRecipients\":"
		"[{\"emailAddress\":\"a@x\"}",		/* truncated */
		"{\"notificationType\":\"Bounce\" \"bounce\":{}}",	/* no comma */
		"{\"notificationType\":Bounce}", "{\"a\":\"\\\"}", "{\"a\":[1,]}",
		"{\"a\":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}",
		"{\"notificationType\":1,\"bounce\":{}}",
	};
	dsn_report r;
	size_t  i;

	(void) state;
	for (i = 0; i < NELEM(in); i++) {
		assert_int_equal(ses(in[i], &r, BIG), 0);
		assert_int_equal(r.nrcpt, 0);
		dsn_report_free(&r);
	}
}

static void
kind_name__names_every_kind(void **state)
{
	(void) state;
	assert_string_equal(dsn_kind_name(DSN_KIND_NONE), "none");
	assert_string_equal(dsn_kind_name(DSN_KIND_DSN), "dsn");
	assert_string_equal(dsn_kind_name(DSN_KIND_PLAIN), "plain");
	assert_string_equal(dsn_kind_name(DSN_KIND_ARF), "arf");
	assert_string_equal(dsn_kind_name((dsn_kind) 42), "none");
}

/*
 * A utf-8 address (RFC 6533) has its "\\x{HEX}" escapes decoded; bad ones
 * stay.  A Final-Recipient that is no Internet address (x400) gives way
 * to an rfc822 Original-Recipient.
 */
static void
parse__utf8_escapes_and_x400_final_recipient(void **state)
{
	static const char in[] =
	"Reporting-MTA: dns; mx.example.org\n"
	"\n"
	"Final-Recipient: utf-8; \\x{5F20}\\x{4F1F}@example.cn\n"
	"Action: failed\n"
	"\n"
	"Final-Recipient: utf-8; a\\x{D800}b\\x{}c\\x{110000}\\x{D}\\x{7F}@example.cn\n"
	"Action: failed\n"
	"\n"
	"Original-Recipient: rfc822;j.smith@example.org\n"
	"Final-Recipient: x400; /c=us/prmd=example/s=smith/\n"
	"Action: failed\n"
	"\n"
	"Final-Recipient: x400; /c=us/s=doe/\n"
	"Action: failed\n";
	dsn_report r;

	(void) state;
	assert_int_equal(PARSE(in, &r, BIG), 4);
	str_eq(r.rcpt[0].recipient, "\xe5\xbc\xa0\xe4\xbc\x9f@example.cn");
	str_eq(r.rcpt[1].recipient,	/* and no control characters */
	       "a\\x{D800}b\\x{}c\\x{110000}\\x{D}\\x{7F}@example.cn");
	str_eq(r.rcpt[2].recipient, "j.smith@example.org");
	str_eq(r.rcpt[2].original_recipient, "j.smith@example.org");
	str_eq(r.rcpt[3].recipient, "/c=us/s=doe/");
	dsn_report_free(&r);
}

/*
 * A stray empty line inside a recipient's group: the fields after it
 * fill what the group lacks (and change nothing it has); they make no
 * recipient of their own.  A first group without an address stays.
 */
static void
parse__group_split_by_an_empty_line_is_one_recipient(void **state)
{
	static const char s[] =
		"Reporting-MTA: dns; a.example\n"
		"\n"
		"Final-Recipient: rfc822; one@b.example\n"
		"Action: delayed\n"
		"Status: 4.4.1\n"
		"Diagnostic-Code: smtp; 421 try later\n"
		"\n"
		"Will-Retry-Until: Fri, 27 Nov 2026 10:00:00 +0000\n"
		"Action: failed\n"
		"\n"
		"Final-Recipient: rfc822; two@b.example\n"
		"Action: failed\n"
		"Status: 5.1.1\n";
	static const char lone[] =
		"Reporting-MTA: dns; a.example\n"
		"\n"
		"Action: failed\n"
		"Status: 5.0.0\n";
	dsn_report r;

	(void) state;
	assert_int_equal(PARSE(s, &r, BIG), 2);
	assert_int_equal(r.nrcpt, 2);
	str_eq(r.rcpt[0].recipient, "one@b.example");
	str_eq(r.rcpt[0].action, "delayed");
	str_eq(r.rcpt[0].status, "4.4.1");
	str_eq(r.rcpt[0].will_retry_until, "Fri, 27 Nov 2026 10:00:00 +0000");
	str_eq(r.rcpt[1].recipient, "two@b.example");
	str_eq(r.rcpt[1].will_retry_until, NULL);
	dsn_report_free(&r);
	assert_int_equal(PARSE(lone, &r, BIG), 1);
	assert_int_equal(r.nrcpt, 1);
	str_eq(r.rcpt[0].recipient, NULL);
	str_eq(r.rcpt[0].status, "5.0.0");
	dsn_report_free(&r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parse__rfc3464_sample_gives_every_recipient_in_order),
		cmocka_unit_test(parse__per_message_group_fills_the_report),
		cmocka_unit_test(parse__folded_diagnostic_code_is_unfolded),
		cmocka_unit_test(parse__values_around_the_stack_buffer_edge_are_whole),
		cmocka_unit_test(parse__type_prefixes_comments_and_angle_brackets_are_stripped),
		cmocka_unit_test(parse__field_names_in_any_case_and_action_lowercased),
		cmocka_unit_test(parse__repeated_final_recipient_starts_a_group_without_empty_line),
		cmocka_unit_test(parse__recipient_group_directly_after_per_message_fields),
		cmocka_unit_test(parse__original_recipient_only_groups_are_recipients),
		cmocka_unit_test(parse__status_field_is_validated),
		cmocka_unit_test(parse__cr_only_line_ends_read_like_lf),
		cmocka_unit_test(parse__max_rcpt_keeps_the_first_and_counts_the_rest),
		cmocka_unit_test(parse__many_recipients_grow_the_array),
		cmocka_unit_test(parse__empty_input_has_no_recipients),
		cmocka_unit_test(parse__binary_garbage_never_crashes_and_stays_clean),
		cmocka_unit_test(parse__header_only_fields_without_value),
		cmocka_unit_test(significant__failed_before_delayed_before_the_first),
		cmocka_unit_test(field_value__strips_type_comment_and_brackets),
		cmocka_unit_test(field_value__semicolon_in_a_quoted_local_part_is_no_type),
		cmocka_unit_test(rcpt_new__past_the_cap_counts_and_returns_null),
		cmocka_unit_test(kind_name__names_every_kind),
		cmocka_unit_test(ses__bounce_gives_each_bounced_recipient),
		cmocka_unit_test(ses__delivery_and_event_type_give_delivered_recipients),
		cmocka_unit_test(ses__escapes_are_decoded_and_controls_become_spaces),
		cmocka_unit_test(ses__complaint_is_a_feedback_report),
		cmocka_unit_test(ses__max_rcpt_keeps_the_first_and_counts_the_rest),
		cmocka_unit_test(ses__anything_else_is_no_notification),
		cmocka_unit_test(parse__utf8_escapes_and_x400_final_recipient),
		cmocka_unit_test(parse__group_split_by_an_empty_line_is_one_recipient),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
