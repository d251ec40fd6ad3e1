/*
 * NAME
 *	test_render - unit tests for render.c, render_text.c, render_html.c
 * SYNOPSIS
 *	CATALOGUE_DIR=DIR test_render
 * DESCRIPTION
 *	Renders explanations with the real English catalogue (DIR, default
 *	etc/templates, holds en/) and checks the structure: section order,
 *	the fix-it owner marked under the party the selected template names,
 *	grouping by cause, delay and success wording, wrapping, the helpdesk
 *	line, hop times, the notice, the -x preview.  Hostile values (markup,
 *	CR LF, control characters, invalid UTF-8) must come out escaped in
 *	HTML and cleaned in text.  A strings file with a missing key must be
 *	reported, and refuse rendering.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "render.h"
#include "testutil.h"

#define TAIL "</body>\n</html>\n"


/* rcpt - add a recipient; NULL strings stay unset */
static void
rcpt(dsn_report *r, const char *addr, const char *action, const char *status,
     const char *diag)
{
	dsn_rcpt *rc = dsn_rcpt_new(r, 100);

	assert_non_null(rc);
	rc->recipient = addr ? strdup(addr) : NULL;
	rc->action = action ? strdup(action) : NULL;
	rc->status = status ? strdup(status) : NULL;
	rc->diagnostic = diag ? strdup(diag) : NULL;
}

/* render - text and HTML of r with om, default options */
static void
render(const dsn_report *r, const orig_msg *om, const char *helpdesk,
       buf *text, buf *html)
{
	render_opts o = {test_set, "", helpdesk};

	buf_init(text);
	buf_init(html);
	assert_int_equal(render_explanation(r, om, &o, text, html), 0);
	assert_non_null(text->data);
	assert_non_null(html->data);
}

/* after - the first occurrence of needle in hay at or after from */
static const char *
after(const char *hay, const char *from, const char *needle)
{
	const char *p = strstr(from ? from : hay, needle);

	if (p == NULL)
		fail_msg("missing \"%s\" in:\n%s", needle, hay);
	return (p);
}

/* count - occurrences of needle in hay */
static int
count(const char *hay, const char *needle)
{
	int     n = 0;

	for (; (hay = strstr(hay, needle)) != NULL; hay++)
		n++;
	return (n);
}

/* text_clean - no control byte but LF, every line <= max columns */
static void
assert_text_clean(const char *s, size_t max)
{
	size_t  col = 0;

	for (; *s; s++) {
		unsigned char c = (unsigned char) *s;

		if (c == '\n') {
			col = 0;
			continue;
		}
		if (c < 0x20 || c == 0x7f)
			fail_msg("control byte 0x%02x in text", c);
		if ((c & 0xc0) != 0x80 && ++col > max)
			fail_msg("line longer than %zu: %.40s", max, s - col + 1);
	}
}

static void
explanation__failed_rcpt__has_every_section_in_order(void **state)
{
	dsn_report r;
	orig_msg om = {0};
	orig_hop hop = {0};
	buf     t, h;
	const char *p;

	(void) state;
	dsn_report_init(&r);
	r.reporting_mta = strdup("mail.example.org");
	rcpt(&r, "jo@recipient.test", "failed", "5.1.1",
	     "smtp; 550 5.1.1 <jo@recipient.test>: no such user");
	om.subject = "Agenda";
	om.message_id = "<1@example.org>";
	hop.by = "mail.example.org";
	hop.time = "Tue, 14 May 2024 10:21:05 +0200";
	om.hops = &hop;
	om.nhops = 1;
	render(&r, &om, NULL, &t, &h);
	p = after(t.data, NULL, "Your message to jo@recipient.test couldn't be "
		  "delivered.");
	assert_ptr_equal(p, t.data);		/* the headline comes first */
	p = after(t.data, p, "Who needs to act");
	p = after(t.data, p, "How to fix it");
	p = after(t.data, p, "  1. ");
	p = after(t.data, p, "More info for email admins");
	p = after(t.data, p, "Reporting server: mail.example.org");
	p = after(t.data, p, "Status:");
	p = after(t.data, p, "5.1.1");
	p = after(t.data, p, "Original message details");
	p = after(t.data, p, "Agenda");
	p = after(t.data, p, "Message hops");
	p = after(t.data, p, "2024-05-14 10:21:05 +0200");
	assert_text_clean(t.data, 200);
	assert_int_equal(strncmp(h.data, "<!DOCTYPE html>\n<html>", 22), 0);
	assert_true(h.len > strlen(TAIL));
	assert_string_equal(h.data + h.len - strlen(TAIL), TAIL);
	p = after(h.data, NULL, "<title>Your message to jo@recipient.test");
	p = after(h.data, p, "<h1");
	p = after(h.data, p, "Who needs to act");
	p = after(h.data, p, "<ol");
	p = after(h.data, p, "More info for email admins");
	p = after(h.data, p, "Original message details");
	p = after(h.data, p, "Message hops");
	p = after(h.data, p, "<th");
	buf_free(&t);
	buf_free(&h);
	dsn_report_free(&r);
}

/* marker_column - column of the first '^' in text, -1 when none */
static int
marker_column(const char *text)
{
	const char *m = strchr(text, '^'), *bol;

	if (m == NULL)
		return (-1);
	for (bol = m; bol > text && bol[-1] != '\n'; bol--)
		 /* void */ ;
	return ((int) (m - bol));
}

/* box_column - column of "[ name ]" in the drawing line */
static int
box_column(const char *text, const char *name)
{
	char    box[128];
	const char *b, *bol;

	snprintf(box, sizeof(box), "[ %s ]", name);
	b = after(text, NULL, box);
	for (bol = b; bol > text && bol[-1] != '\n'; bol--)
		 /* void */ ;
	return ((int) (b - bol));
}

static void
explanation__owner_marker__sits_under_the_acting_party(void **state)
{
	static const char *const codes[] = {"5.1.1", "5.2.2", "5.7.26", "5.3.4"};
	const tmpl *tp;
	dsn_report r;
	buf     t, h;
	size_t  i;
	int     col;

	(void) state;
	for (i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
		dsn_report_init(&r);
		r.reporting_mta = strdup("mx.example.org");
		rcpt(&r, "a@far.test", "failed", codes[i], NULL);
		tp = tmpl_select(test_set, codes[i], NULL, NULL, NULL);
		assert_non_null(tp);
		render(&r, NULL, NULL, &t, &h);
		col = marker_column(t.data);
		if (strcmp(tp->owner, "sender") == 0)
			assert_int_equal(col, box_column(t.data, "You"));
		else if (strcmp(tp->owner, "sender-admin") == 0)
			assert_int_equal(col, box_column(t.data, "mx.example.org"));
		else if (strcmp(tp->owner, "recipient") == 0)
			assert_int_equal(col, box_column(t.data, "far.test"));
		else
			assert_int_equal(col, -1);
		/* HTML: exactly one cell framed, holding "Action required" */
		assert_int_equal(count(h.data, "2px solid"), col >= 0);
		assert_int_equal(count(h.data, "Action required"), col >= 0);
		buf_free(&t);
		buf_free(&h);
		dsn_report_free(&r);
	}
}

static void
explanation__organization__names_our_side(void **state)
{
	render_opts o = {NULL, "Example Corp", ""};
	dsn_report r;
	buf     t;

	(void) state;
	o.templates = test_set;
	dsn_report_init(&r);
	r.reporting_mta = strdup("mx.example.org");
	rcpt(&r, "a@far.test", "failed", "5.7.26", NULL);
	buf_init(&t);
	assert_int_equal(render_explanation(&r, NULL, &o, &t, NULL), 0);
	after(t.data, NULL, "[ Example Corp ]");
	assert_null(strstr(t.data, "[ mx.example.org ]"));
	buf_free(&t);
	dsn_report_free(&r);
}

static void
explanation__recipients__grouped_by_cause(void **state)
{
	dsn_report r;
	buf     t, h;

	(void) state;
	dsn_report_init(&r);
	rcpt(&r, "a@one.test", "failed", "5.1.1", NULL);
	rcpt(&r, "b@two.test", "failed", "5.2.2", NULL);
	rcpt(&r, "c@one.test", "failed", "5.1.1", NULL);
	assert_ptr_not_equal(tmpl_select(test_set, "5.1.1", NULL, NULL, NULL),
			     tmpl_select(test_set, "5.2.2", NULL, NULL, NULL));
	render(&r, NULL, NULL, &t, &h);
	after(t.data, NULL, "Your message couldn't be delivered to these "
	      "recipients:\n\n  a@one.test\n  b@two.test\n  c@one.test\n");
	after(t.data, NULL, "For a@one.test, c@one.test:");
	after(t.data, NULL, "For b@two.test:");
	assert_int_equal(count(t.data, "Who needs to act"), 2);
	assert_int_equal(count(h.data, "Who needs to act"), 2);
	/* the first group's recipients share a domain: it names their side */
	after(t.data, NULL, "[ one.test ]");
	/* every recipient keeps its own admin details */
	assert_int_equal(count(t.data, "Recipient:"), 3);
	buf_free(&t);
	buf_free(&h);
	dsn_report_free(&r);
}

static void
explanation__delay__says_nothing_to_do_until_retry_end(void **state)
{
	dsn_report r;
	buf     t, h;

	(void) state;
	dsn_report_init(&r);
	rcpt(&r, "slow@far.test", "delayed", "4.4.1", "smtp; 421 try later");
	r.rcpt[0].will_retry_until = strdup("Fri, 17 May 2024 10:21:05 +0200");
	render(&r, NULL, NULL, &t, &h);
	after(t.data, NULL, "Your message to slow@far.test hasn't been "
	      "delivered yet.");
	after(t.data, NULL, "Nothing needs to be done yet.");
	after(t.data, NULL, "Fri, 17 May 2024 10:21:05");
	after(t.data, NULL, "No action required");
	assert_null(strstr(t.data, "How to fix it"));
	assert_int_equal(marker_column(t.data), -1);
	assert_int_equal(count(h.data, "Action required"), 0);
	after(h.data, NULL, "Nothing needs to be done yet.");
	buf_free(&t);
	buf_free(&h);
	dsn_report_free(&r);

	dsn_report_init(&r);			/* no Will-Retry-Until */
	rcpt(&r, "slow@far.test", "delayed", "4.4.1", NULL);
	render(&r, NULL, NULL, &t, &h);
	after(t.data, NULL, "for a while");
	assert_null(strstr(t.data, "until"));
	buf_free(&t);
	buf_free(&h);
	dsn_report_free(&r);
}

static void
explanation__mixed_kinds__headline_speaks_of_failures(void **state)
{
	dsn_report r;
	buf     t, h;

	(void) state;
	dsn_report_init(&r);
	rcpt(&r, "ok@far.test", "delivered", "2.0.0", NULL);
	rcpt(&r, "wait@far.test", "delayed", "4.4.1", NULL);
	rcpt(&r, "bad@far.test", "failed", "5.1.1", NULL);
	render(&r, NULL, NULL, &t, &h);
	assert_int_equal(strncmp(t.data, "Your message to bad@far.test "
				 "couldn't be delivered.", 51), 0);
	after(t.data, NULL, "Other recipients are listed below.");
	after(t.data, after(t.data, NULL, "For bad@far.test:"),
	      "For wait@far.test:");
	after(t.data, NULL, "This is only a confirmation.");
	buf_free(&t);
	buf_free(&h);
	dsn_report_free(&r);
}

static void
explanation__no_recipients__generic_headline(void **state)
{
	dsn_report r;
	buf     t, h;

	(void) state;
	dsn_report_init(&r);
	render(&r, NULL, NULL, &t, &h);
	assert_int_equal(strncmp(t.data, "Your message couldn't be delivered.\n",
				 36), 0);
	after(t.data, NULL, "The report doesn't include the original message.");
	after(t.data, NULL, "The report doesn't list the servers");
	buf_free(&t);
	buf_free(&h);
	dsn_report_free(&r);
}

static void
explanation__hostile_values__escaped_in_html_cleaned_in_text(void **state)
{
	orig_msg om = {0};
	orig_hop hop = {0};
	dsn_report r;
	buf     t, h;

	(void) state;
	dsn_report_init(&r);
	r.reporting_mta = strdup("<b>mta</b>");
	rcpt(&r, "\"><img src=x onerror=alert(1)>@evil.test", "failed", "5.1.1",
	     "smtp; 550 <script>alert('x')</script>\r\nBcc: victim@x\x01\x7f");
	r.rcpt[0].remote_mta = strdup("mx\r\nX-Injected: yes");
	om.subject = "\r\nBcc: x";		/* as if decoded from RFC 2047 */
	om.from = "a\xff\xfe<i>";
	hop.from = "<svg onload=alert(1)>";
	hop.time = "'\"><script>";
	om.hops = &hop;
	om.nhops = 1;
	render(&r, &om, "\"><script>alert(2)</script>", &t, &h);
	assert_null(strstr(h.data, "<script"));
	assert_null(strstr(h.data, "<img"));
	assert_null(strstr(h.data, "<svg"));
	assert_null(strstr(h.data, "<b>"));
	assert_null(strstr(h.data, "<i>"));
	assert_null(strstr(h.data, "onerror=alert(1)>"));
	assert_null(strstr(h.data, "onload=alert(1)>"));
	assert_null(strstr(h.data, "href"));	/* not an address: no link */
	assert_null(strchr(h.data, '\r'));
	after(h.data, NULL, "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;");
	after(h.data, NULL, "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;");
	assert_text_clean(t.data, 1000);
	assert_null(strstr(t.data, "\nBcc:"));
	assert_null(strstr(t.data, "\nX-Injected"));
	after(t.data, NULL, "\xef\xbf\xbd");	/* invalid UTF-8: U+FFFD */
	buf_free(&t);
	buf_free(&h);
	dsn_report_free(&r);
}

static void
explanation__html__has_no_remote_resource_script_or_style(void **state)
{
	dsn_report r;
	buf     t, h;

	(void) state;
	dsn_report_init(&r);
	rcpt(&r, "a@far.test", "failed", "5.7.26",
	     "smtp; see https://support.example/answer?x=1&y=<2>");
	render(&r, NULL, "help@example.org", &t, &h);
	assert_null(strstr(h.data, "<script"));
	assert_null(strstr(h.data, "<style"));
	assert_null(strstr(h.data, "<img"));
	assert_null(strstr(h.data, "<link"));
	assert_null(strstr(h.data, "url("));
	assert_null(strstr(h.data, "src="));
	assert_int_equal(count(h.data, "href="), 1);
	after(h.data, NULL, "<a href=\"mailto:help@example.org\"");
	after(h.data, NULL, "x=1&amp;y=&lt;2&gt;");
	after(t.data, NULL, "Need help? Contact help@example.org.");
	buf_free(&t);
	buf_free(&h);
	dsn_report_free(&r);
}

static void
explanation__long_diagnostic__wrapped_in_text(void **state)
{
	dsn_report r;
	buf     t, h, d;
	int     i;

	(void) state;
	buf_init(&d);
	buf_puts(&d, "smtp; 550 5.7.1");
	for (i = 0; i < 60; i++)
		buf_puts(&d, " word");
	buf_puts(&d, " https://very.long.example/");
	for (i = 0; i < 10; i++)
		buf_puts(&d, "path-segment-that-does-not-break/");
	dsn_report_init(&r);
	rcpt(&r, "a@far.test", "failed", "5.7.1", d.data);
	render(&r, NULL, NULL, &t, &h);
	/* every line fits, but the URL, which is kept whole on its own line */
	after(t.data, NULL, "\n                  https://very.long.example/");
	*strstr(t.data, "https://very.long.example/") = 0;
	assert_text_clean(t.data, 76);
	buf_free(&d);
	buf_free(&t);
	buf_free(&h);
	dsn_report_free(&r);
}

static void
explanation__hop_times__normalised_with_their_zone(void **state)
{
	static const struct {
		const char *in, *out;
	}       cases[] = {
		{"Fri, 13 Nov 2020 09:42:35 +0900 (JST)", "2020-11-13 09:42:35 +0900"},
		{"Mon, 1 Jan 2024 00:00:01 -0130", "2024-01-01 00:00:01 -0130"},
		{"Thu, 29 Feb 1968 23:59:59 +0000", "1968-02-29 23:59:59 +0000"},
		{"not a date at all", "not a date at all"},
	};
	orig_hop hop = {0};
	orig_msg om = {0};
	dsn_report r;
	buf     t, h;
	size_t  i;

	(void) state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		dsn_report_init(&r);
		rcpt(&r, "a@far.test", "failed", "5.1.1", NULL);
		hop.time = (char *) cases[i].in;
		hop.by = "mx";
		hop.has_delay = 1;
		hop.delay = 125;
		om.hops = &hop;
		om.nhops = 1;
		render(&r, &om, NULL, &t, &h);
		after(t.data, NULL, cases[i].out);
		after(h.data, NULL, cases[i].out);
		after(t.data, NULL, "2 min 5 sec");
		buf_free(&t);
		buf_free(&h);
		dsn_report_free(&r);
	}
}

static void
notice__appended_to_text_and_inside_pre_before_the_tail(void **state)
{
	static const char notice[] = "\r\n\r\nThe mail system\r\n\r\n"
		"<a@b>:\thost said <b>no</b>\x1b[31m\r\n\r\n";
	render_opts o = {NULL, "", ""};
	dsn_report r;
	buf     t, h;
	const char *pre;

	(void) state;
	o.templates = test_set;
	dsn_report_init(&r);
	rcpt(&r, "a@b.test", "failed", "5.1.1", NULL);
	render(&r, NULL, NULL, &t, &h);
	assert_int_equal(render_notice(notice, sizeof(notice) - 1, &o, &t, &h), 0);
	after(t.data, NULL, "Original notice from the mail server\n====");
	after(t.data, NULL, "=\n\nThe mail system\n\n<a@b>:  host said "
	      "<b>no</b> [31m\n");
	assert_int_equal(t.data[t.len - 1], '\n');
	assert_int_not_equal(t.data[t.len - 2], '\n');	/* no blank tail */
	assert_text_clean(t.data, 200);
	pre = after(h.data, NULL, "<pre");
	after(h.data, pre, "&lt;b&gt;no&lt;/b&gt;");
	assert_string_equal(h.data + h.len - strlen(TAIL), TAIL);
	assert_int_equal(count(h.data, "</html>"), 1);
	assert_null(strchr(h.data, '\x1b'));
	buf_free(&t);
	buf_free(&h);
	dsn_report_free(&r);
}

static void
check_strings__real_catalogue__is_complete(void **state)
{
	buf     err;

	(void) state;
	buf_init(&err);
	assert_int_equal(render_check_strings(test_set, &err), 0);
	assert_int_equal(err.len, 0);
	buf_free(&err);
}

/* write_file - create path with text */
static void
write_file(const char *path, const char *text)
{
	FILE   *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void
check_strings__missing_key__is_named_and_rendering_refused(void **state)
{
	char    dir[] = "/tmp/test_render.XXXXXX", path[256];
	render_opts o = {NULL, "", ""};
	tmpl_set *small;
	dsn_report r;
	buf     err, t;

	(void) state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/en", dir);
	assert_int_equal(mkdir(path, 0700), 0);
	snprintf(path, sizeof(path), "%s/en/strings", dir);
	write_file(path, "headline_failed: Your message to {recipient} failed.\n");
	snprintf(path, sizeof(path), "%s/en/all.tmpl", dir);
	write_file(path, "template: dflt\nmatch: default\nowner: sender\n"
		   "cause: It failed.\nfix: Try again.\nadmin: Unknown.\n");
	buf_init(&err);
	small = tmpl_load(dir, "en", &err);
	assert_non_null(small);
	assert_int_equal(render_check_strings(small, &err), -1);
	assert_non_null(strstr(err.data, "strings: missing key headline_delayed\n"));
	assert_non_null(strstr(err.data, "strings: missing key notice_title\n"));
	assert_null(strstr(err.data, "missing key headline_failed\n"));
	o.templates = small;
	dsn_report_init(&r);
	rcpt(&r, "a@b.test", "failed", "5.1.1", NULL);
	buf_init(&t);
	assert_int_equal(render_explanation(&r, NULL, &o, &t, NULL), -1);
	dsn_report_free(&r);
	buf_free(&t);
	buf_free(&err);
	tmpl_free(small);
	snprintf(path, sizeof(path), "%s/en/strings", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/en/all.tmpl", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/en", dir);
	rmdir(path);
	rmdir(dir);
}

static void
preview__first_line_names_template_and_rule(void **state)
{
	render_opts o = {NULL, "", ""};
	const tmpl *tp;
	tmpl_match how;
	char    line[256];
	buf     out;

	(void) state;
	tp = tmpl_select(test_set, "5.1.1", NULL, NULL, &how);
	snprintf(line, sizeof(line), "template: %s (matched by %s)\n", tp->name,
		 tmpl_match_name(how));
	buf_init(&out);
	assert_int_equal(render_preview(test_set, "5.1.1", NULL, &o, &out), 0);
	assert_int_equal(strncmp(out.data, line, strlen(line)), 0);
	after(out.data, NULL, "Your message to user@example.com couldn't be "
	      "delivered.");
	buf_reset(&out);
	assert_int_equal(render_preview(test_set, "4.4.7", "smtp; 421 later", &o,
					&out), 0);
	after(out.data, NULL, "hasn't been delivered yet");
	buf_free(&out);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(explanation__failed_rcpt__has_every_section_in_order),
		cmocka_unit_test(explanation__owner_marker__sits_under_the_acting_party),
		cmocka_unit_test(explanation__organization__names_our_side),
		cmocka_unit_test(explanation__recipients__grouped_by_cause),
		cmocka_unit_test(explanation__delay__says_nothing_to_do_until_retry_end),
		cmocka_unit_test(explanation__mixed_kinds__headline_speaks_of_failures),
		cmocka_unit_test(explanation__no_recipients__generic_headline),
		cmocka_unit_test(explanation__hostile_values__escaped_in_html_cleaned_in_text),
		cmocka_unit_test(explanation__html__has_no_remote_resource_script_or_style),
		cmocka_unit_test(explanation__long_diagnostic__wrapped_in_text),
		cmocka_unit_test(explanation__hop_times__normalised_with_their_zone),
		cmocka_unit_test(notice__appended_to_text_and_inside_pre_before_the_tail),
		cmocka_unit_test(check_strings__real_catalogue__is_complete),
		cmocka_unit_test(check_strings__missing_key__is_named_and_rendering_refused),
		cmocka_unit_test(preview__first_line_names_template_and_rule),
	};

	return (cmocka_run_group_tests(tests, test_catalogue_setup,
				       test_catalogue_teardown));
}
