/*
 * NAME
 *	test_mbox - unit tests for mbox.c and bounce_analyze_mbox()
 * DESCRIPTION
 *	Which lines are mbox envelope lines (table), how input splits into
 *	messages (LF, CRLF, CR-only, a body line that starts with "From ",
 *	no envelope line, empty input), and that bounce_analyze_mbox()
 *	appends the recipients of later bounces and skips non-bounces.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "bounce.h"
#include "mbox.h"

struct from_case {
	const char *line;
	int     is;
};

static const struct from_case from_cases[] = {
	{"From MAILER-DAEMON Mon Dec 19 03:18:51 2016", 1},
	{"From double-bounce@tr2.example.com  Thu Jul  2 12:05:05 2020", 1},
	{"From a@b Thu Jul 2 12:05 2020", 1},
	{"From <> Sun Jan 31 23:59:59 1999 +0000", 1},
	{"From a@b\tWed Oct 16 14:15:35 2013", 1},
	{"From the desk of the postmaster: hello", 0},
	{"From: a@b Thu Jul  2 12:05:05 2020", 0},
	{"From  Thu Jul  2 12:05:05 2020", 0},	/* no sender */
	{"From a@b Thu", 0},
	{"From a@b Thx Jul  2 12:05:05 2020", 0},	/* weekday */
	{"From a@b Thu Jux  2 12:05:05 2020", 0},	/* month */
	{"From a@b Thu Jul xx 12:05:05 2020", 0},	/* day */
	{"From a@b Thu Jul  2 1:05:05 2020", 0},	/* hour */
	{"From a@b Thu Jul  2 12.05.05 2020", 0},
	{">From a@b Thu Jul  2 12:05:05 2020", 0},
	{"from a@b Thu Jul  2 12:05:05 2020", 0},
	{"From ", 0},
	{"", 0},
};

static void
test_from_line(void **state)
{
	size_t  i;

	(void) state;
	for (i = 0; i < sizeof(from_cases) / sizeof(from_cases[0]); i++) {
		const struct from_case *c = from_cases + i;

		if (mbox_from_line(c->line, strlen(c->line)) != c->is)
			fail_msg("case %zu \"%s\": want %d", i, c->line, c->is);
	}
}

/* split - the messages of in, joined by "|" into out */
static size_t
split(const char *in, char *out, size_t size)
{
	mbox_iter it;
	const char *m;
	size_t  len, n = 0, used = 0;

	memset(&it, 0, sizeof(it));
	out[0] = 0;
	while (mbox_next(in, strlen(in), &it, &m, &len)) {
		assert_true(used + len + 2 < size);
		if (n++)
			out[used++] = '|';
		memcpy(out + used, m, len);
		used += len;
		out[used] = 0;
	}
	return (n);
}

struct split_case {
	const char *in;
	size_t  n;
	const char *out;
};

#define F1 "From a@b Thu Jul  2 12:05:05 2020"
#define F2 "From c@d Fri Jul  3 01:00:00 2020"

static const struct split_case split_cases[] = {
	{"Subject: x\n\nbody\n", 1, "Subject: x\n\nbody\n"},
	{"", 1, ""},
	{F1 "\nA: 1\n\nb\n", 1, F1 "\nA: 1\n\nb\n"},
	{F1 "\nA: 1\n\nb\n" F2 "\nB: 2\n\nc\n", 2,
	 F1 "\nA: 1\n\nb\n|" F2 "\nB: 2\n\nc\n"},
	{F1 "\r\nA: 1\r\n\r\n" F2 "\r\nB: 2\r\n", 2,
	 F1 "\r\nA: 1\r\n\r\n|" F2 "\r\nB: 2\r\n"},
	{F1 "\rA: 1\r\r" F2 "\rB: 2\r", 2, F1 "\rA: 1\r\r|" F2 "\rB: 2\r"},
	/* a body line that starts with "From " is no envelope line */
	{F1 "\nA: 1\n\nFrom here on, hello\n", 1,
	 F1 "\nA: 1\n\nFrom here on, hello\n"},
	/* no envelope line first: one message, whatever follows */
	{"A: 1\n\n" F2 "\nB: 2\n", 1, "A: 1\n\n" F2 "\nB: 2\n"},
	{F1 F2 "\n", 1, F1 F2 "\n"},
	{F1 "\n" F2 "\n" F1, 3, F1 "\n|" F2 "\n|" F1},
};

static void
test_split(void **state)
{
	char    out[512];
	size_t  i, n;
	mbox_iter it;
	const char *m = "x";
	size_t  len = 1;

	(void) state;
	/* no input at all: one empty message, no pointer arithmetic on NULL */
	memset(&it, 0, sizeof(it));
	assert_int_equal(mbox_next(NULL, 0, &it, &m, &len), 1);
	assert_null(m);
	assert_int_equal(len, 0);
	assert_int_equal(mbox_next(NULL, 0, &it, &m, &len), 0);
	for (i = 0; i < sizeof(split_cases) / sizeof(split_cases[0]); i++) {
		const struct split_case *c = split_cases + i;

		n = split(c->in, out, sizeof(out));
		if (n != c->n || strcmp(out, c->out) != 0)
			fail_msg("case %zu: %zu messages \"%s\", want %zu \"%s\"",
				 i, n, out, c->n, c->out);
	}
}

#define BOUNCE(rcpt) \
	"From: MAILER-DAEMON@example.org\n" \
	"Content-Type: multipart/report; report-type=delivery-status;" \
	" boundary=\"b\"\n\n--b\nContent-Type: text/plain\n\nfailed\n" \
	"--b\nContent-Type: message/delivery-status\n\n" \
	"Reporting-MTA: dns; mx.example.org\n\n" \
	"Final-Recipient: rfc822; " rcpt "\nAction: failed\n" \
	"Status: 5.1.1\n\n--b--\n"

static void
test_analyze_mbox(void **state)
{
	static const char none[] = F1 "\nA: 1\n\nx\n";
	static const char box[] =
		F1 "\nSubject: hello\n\nnot a bounce\n"
		F1 "\n" BOUNCE("one@example.net")
		F2 "\nSubject: again\n\nnot a bounce either\n"
		F2 "\n" BOUNCE("two@example.net");
	bounce_limits lim = BOUNCE_LIMITS_DEFAULT;
	dsn_report r;

	(void) state;
	dsn_report_init(&r);
	assert_int_equal(bounce_analyze_mbox(box, sizeof(box) - 1, &lim, NULL,
					     &r), 0);
	assert_int_equal(r.kind, DSN_KIND_DSN);
	assert_string_equal(r.reporting_mta, "mx.example.org");
	assert_int_equal(r.nrcpt, 2);
	assert_string_equal(r.rcpt[0].recipient, "one@example.net");
	assert_string_equal(r.rcpt[1].recipient, "two@example.net");
	assert_string_equal(r.rcpt[1].status, "5.1.1");
	dsn_report_free(&r);

	/* the cap on recipients holds over all messages */
	lim.max_rcpt = 1;
	dsn_report_init(&r);
	assert_int_equal(bounce_analyze_mbox(box, sizeof(box) - 1, &lim, NULL,
					     &r), 0);
	assert_int_equal(r.nrcpt, 1);
	assert_int_equal(r.rcpt_dropped, 1);
	dsn_report_free(&r);

	/* no bounce at all: the first message's report, kind none */
	dsn_report_init(&r);
	assert_int_equal(bounce_analyze_mbox(none, sizeof(none) - 1, &lim, NULL,
					     &r), 0);
	assert_int_equal(r.kind, DSN_KIND_NONE);
	assert_int_equal(r.nrcpt, 0);
	dsn_report_free(&r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_from_line),
		cmocka_unit_test(test_split),
		cmocka_unit_test(test_analyze_mbox),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
