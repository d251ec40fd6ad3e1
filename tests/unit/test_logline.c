/*
 * NAME
 *	test_logline - unit tests for logline.c
 * DESCRIPTION
 *	logline_format(): the exact Postfix-style line with a queue ID or
 *	NOQUEUE, values of the most significant recipient, why last,
 *	printable ASCII only and bounded length whatever the input;
 *	logline_printable().
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "logline.h"

/* add - a recipient with the given fields (strings copied) */
static void
add(dsn_report *r, const char *rcpt, const char *action, const char *status,
    const char *reason, const char *owner)
{
	dsn_rcpt *p = dsn_rcpt_new(r, 100);

	assert_non_null(p);
	p->recipient = rcpt ? strdup(rcpt) : NULL;
	p->action = action ? strdup(action) : NULL;
	p->status = status ? strdup(status) : NULL;
	p->reason = reason;
	p->owner = owner;
}

/* line - logline_format() into a fresh string */
static char *
line(const char *qid, const dsn_report *r, const char *action,
     const char *why)
{
	buf     b;

	buf_init(&b);
	assert_int_equal(logline_format(&b, qid, r, action, why), 0);
	return (buf_detach(&b));
}

static void
check_line(char *got, const char *want)
{
	int     same = strcmp(got, want) == 0;

	if (!same)
		print_error("got  \"%s\"\nwant \"%s\"\n", got, want);
	free(got);
	assert_true(same);
}

static void
assert_printable(const char *s)
{
	for (; *s; s++)
		assert_true(*s >= 0x20 && *s <= 0x7e);
}

static void
format__annotated_line_with_queue_id(void **state)
{
	dsn_report r;

	(void) state;
	dsn_report_init(&r);
	r.kind = DSN_KIND_DSN;
	add(&r, "a@b.example", "failed", "5.1.1", "userunknown", "sender");
	check_line(line("4F9D12345A", &r, "annotated", NULL),
		   "4F9D12345A: bounce status=5.1.1 reason=userunknown "
		   "owner=sender rcpt=<a@b.example> action=annotated");
	dsn_report_free(&r);
}

static void
format__noqueue_when_queue_id_missing_or_empty(void **state)
{
	dsn_report r;

	(void) state;
	dsn_report_init(&r);
	add(&r, "a@b", "failed", "5.2.2", "mailboxfull", "recipient");
	check_line(line(NULL, &r, "annotated", NULL),
		   "NOQUEUE: bounce status=5.2.2 reason=mailboxfull "
		   "owner=recipient rcpt=<a@b> action=annotated");
	check_line(line("", &r, "annotated", NULL),
		   "NOQUEUE: bounce status=5.2.2 reason=mailboxfull "
		   "owner=recipient rcpt=<a@b> action=annotated");
	dsn_report_free(&r);
}

static void
format__values_are_single_words(void **state)
{
	dsn_report r;
	char   *s;

	(void) state;
	dsn_report_init(&r);
	check_line(line("ABC", &r, "skipped", "not-a-bounce"),
		   "ABC: bounce status= reason= owner= rcpt=<> "
		   "action=skipped why=not-a-bounce");
	check_line(line("ABC", NULL, "error", "out of memory"),
		   "ABC: bounce status= reason= owner= rcpt=<> "
		   "action=error why=out?of?memory");
	/* a value never splits into several key=value words */
	s = line("ABC", &r, "skipped", "a why=with action=inside");
	assert_non_null(strstr(s, " action=skipped why=a?why=with?action=inside"));
	free(s);
}

static void
format__uses_the_most_significant_recipient_and_counts_dropped(void **state)
{
	dsn_report r;

	(void) state;
	dsn_report_init(&r);
	add(&r, "late@x", "delayed", "4.4.1", "networkerror", "none");
	add(&r, "ok@x", "delivered", "2.0.0", "delivered", "none");
	add(&r, "bad@x", "failed", "5.1.1", "userunknown", "sender");
	r.rcpt_dropped = 7;
	check_line(line("Q1", &r, "annotated", NULL),
		   "Q1: bounce status=5.1.1 reason=userunknown owner=sender "
		   "rcpt=<bad@x> action=annotated nrcpt=10");
	dsn_report_free(&r);
}

static void
format__hostile_bytes_become_question_marks(void **state)
{
	dsn_report r;
	char   *s;

	(void) state;
	dsn_report_init(&r);
	add(&r, "a@b\r\nFAKE: x\x1b[2J\xc3\xa9", "failed", "5.1.1\n",
	    "userunknown", "sender");
	s = line("Q\n1\x7f", &r, "annotated", "why\r\n\x01\xff");
	assert_printable(s);
	assert_string_equal(s, "Q?1?: bounce status=5.1.1? reason=userunknown "
			    "owner=sender rcpt=<a@b??FAKE:?x?[2J??" "> "
			    "action=annotated why=why?" "???");
	free(s);
	dsn_report_free(&r);
}

static void
format__long_values_are_capped(void **state)
{
	dsn_report r;
	char   *big = malloc(100001), *s;

	(void) state;
	assert_non_null(big);
	memset(big, 'A', 100000);
	big[100000] = 0;
	dsn_report_init(&r);
	add(&r, big, big, big, "undefined", "recipient");
	s = line(big, &r, big, big);
	assert_printable(s);
	assert_true(strlen(s) < 4000);
	assert_non_null(strstr(s, ": bounce status="));
	free(s);
	free(big);
	dsn_report_free(&r);
}

static void
format__appends_to_what_the_buffer_holds(void **state)
{
	buf     b;

	(void) state;
	buf_init(&b);
	buf_puts(&b, "dsnmilter[1]: ");
	assert_int_equal(logline_format(&b, "Q", NULL, "skipped", NULL), 0);
	assert_string_equal(b.data, "dsnmilter[1]: Q: bounce status= reason= "
			    "owner= rcpt=<> action=skipped");
	buf_free(&b);
}

static void
printable__replaces_controls_and_8bit_in_place(void **state)
{
	char    s[] = "ok \t\r\n\x01\x7f\x80\xff~ end";

	(void) state;
	logline_printable(s);
	assert_string_equal(s, "ok ???????~ end");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(format__annotated_line_with_queue_id),
		cmocka_unit_test(format__noqueue_when_queue_id_missing_or_empty),
		cmocka_unit_test(format__values_are_single_words),
		cmocka_unit_test(format__uses_the_most_significant_recipient_and_counts_dropped),
		cmocka_unit_test(format__hostile_bytes_become_question_marks),
		cmocka_unit_test(format__long_values_are_capped),
		cmocka_unit_test(format__appends_to_what_the_buffer_holds),
		cmocka_unit_test(printable__replaces_controls_and_8bit_in_place),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
