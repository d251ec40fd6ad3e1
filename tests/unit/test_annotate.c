/*
 * NAME
 *	test_annotate - unit tests for annotate.c
 * DESCRIPTION
 *	annotate() with no templates (o.compose.render.templates = NULL, so
 *	the body never changes): the skip reasons, removal of forged X-DSN-*
 *	fields (deletions first, highest index first per name), the headers
 *	added for a 5.1.1 bounce and their values, X-Failed-Recipients only
 *	when absent, X-DSN-Trust for untrusted clients, our own
 *	X-DSN-Annotated from outside treated as a forgery, hostile values.
 *	annotation_apply(): fields deleted and changed in place, additions
 *	at the end of the header block, folds in the message's own line
 *	ending, the body byte for byte; annotate_eol().
 *	Linked with the whole core library (libdsncore.a).
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
#include <strings.h>

#include "annotate.h"
#include "bounce.h"
#include "hdrval.h"
#include "testutil.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))
#define HOSTID	"mx.a.example"

/* The top-level header fields of every test bounce, after extra ones. */
static const char base_head[] =
	"From: MAILER-DAEMON@mx.a.example\n"
	"To: alice@a.example\n"
	"Subject: Undelivered Mail Returned to Sender\n"
	"MIME-Version: 1.0\n"
	"Content-Type: multipart/report; report-type=delivery-status;\n"
	"\tboundary=\"BB\"\n";

/* A bounce body with one failed and one delayed recipient. */
static const char body_mixed[] =
	"--BB\n"
	"Content-Type: text/plain\n"
	"\n"
	"Could not deliver.\n"
	"\n"
	"--BB\n"
	"Content-Type: message/delivery-status\n"
	"\n"
	"Reporting-MTA: dns; mx.a.example\n"
	"\n"
	"Final-Recipient: rfc822; bob@b.example\n"
	"Action: failed\n"
	"Status: 5.1.1\n"
	"Diagnostic-Code: smtp; 550 5.1.1 <bob@b.example>: User unknown\n"
	"\n"
	"Final-Recipient: rfc822; carol@c.example\n"
	"Action: delayed\n"
	"Status: 4.4.1\n"
	"\n"
	"--BB--\n";

static const char body_delay[] =
	"--BB\n"
	"Content-Type: message/delivery-status\n"
	"\n"
	"Reporting-MTA: dns; mx.a.example\n"
	"\n"
	"Final-Recipient: rfc822; carol@c.example\n"
	"Action: delayed\n"
	"Status: 4.4.1\n"
	"Will-Retry-Until: Fri, 5 Jan 2024 10:00:00 +0000\n"
	"\n"
	"--BB--\n";

static const char body_success[] =
	"--BB\n"
	"Content-Type: message/delivery-status\n"
	"\n"
	"Reporting-MTA: dns; mx.a.example\n"
	"\n"
	"Final-Recipient: rfc822; dan@d.example\n"
	"Action: delivered\n"
	"Status: 2.0.0\n"
	"\n"
	"--BB--\n";

typedef enum { EOL_LF, EOL_CRLF, EOL_CR } eol_kind;

/* A test bounce: message bytes, report, tree and annotation. */
typedef struct fixture {
	char   *msg;
	size_t  len;
	dsn_report r;
	mime_part *tree;
	annotation a;
	annotate_opts o;
	int     rc;
} fixture;

/*
 * make_msg - extra + base_head + "\n" + body with line ends k (body
 * NULL: extra is the whole message)
 */
static char *
make_msg(const char *extra, const char *body, eol_kind k, size_t *len)
{
	buf     lf, out;
	size_t  i;
	char   *p;

	buf_init(&lf);
	buf_init(&out);
	if (body == NULL)
		buf_puts(&lf, extra);		/* a whole message */
	else
		buf_printf(&lf, "%s%s\n%s", extra ? extra : "", base_head, body);
	for (i = 0; i < lf.len; i++) {
		if (lf.data[i] != '\n')
			buf_putc(&out, lf.data[i]);
		else
			buf_puts(&out, k == EOL_LF ? "\n" : k == EOL_CRLF ?
				 "\r\n" : "\r");
	}
	assert_false(lf.failed || out.failed);
	*len = out.len;
	p = malloc(out.len);		/* exact size: ASan sees over-reads */
	assert_non_null(p);
	memcpy(p, out.data, out.len);
	buf_free(&lf);
	buf_free(&out);
	return (p);
}

static void
default_opts(annotate_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->hostid = HOSTID;
	o->trusted = 1;
	o->max_recipients = 10;
	o->compose.render.templates = NULL;
}

/* the body of a qmail-style plain-text bounce for one recipient */
#define QMAIL_NOTICE \
	"I'm afraid I wasn't able to deliver your message to the " \
	"following addresses.\n\n<nouser@remote.example>:\n" \
	"550 5.1.1 user unknown\n"

/* rewrite_opts - default_opts() that rewrite plain bounces with set (LF) */
static void
rewrite_opts(annotate_opts *o, tmpl_set *set)
{
	assert_non_null(set);
	default_opts(o);
	o->compose.render.templates = set;
	o->compose.eol = "\n";
	o->compose.rewrite_plain = 1;
}

/* done - free what run() made; safe twice and on a zeroed fixture */
static void
done(fixture *f)
{
	if (f->msg == NULL)
		return;
	annotation_free(&f->a);
	mime_free(f->tree);
	dsn_report_free(&f->r);
	free(f->msg);
	memset(f, 0, sizeof(*f));
}

/* setup/teardown: the fixture lives in *state, freed even on failure */
static int
setup(void **state)
{
	fixture *f = calloc(1, sizeof(*f));

	*state = f;
	return (f == NULL ? -1 : 0);
}

static int
teardown(void **state)
{
	done(*state);
	free(*state);
	return (0);
}

/* why_has - the skip or error reason mentions word */
static void
why_has(const annotation *a, const char *word)
{
	assert_non_null(a->why);
	if (strstr(a->why, word) == NULL)
		fail_msg("why \"%s\" does not mention \"%s\"", a->why, word);
}

/* run - analyze and annotate msg with options o */
static void
run(fixture *f, const char *extra, const char *body, eol_kind k,
    const annotate_opts *o)
{
	bounce_limits lim = BOUNCE_LIMITS_DEFAULT;

	done(f);
	f->msg = make_msg(extra, body, k, &f->len);
	if (o != NULL)
		f->o = *o;
	else
		default_opts(&f->o);
	dsn_report_init(&f->r);
	assert_int_equal(bounce_analyze(f->msg, f->len, &lim, NULL, &f->r,
					&f->tree), 0);
	assert_non_null(f->tree);
	f->rc = annotate(f->msg, f->len, &f->r, f->tree, &f->o, &f->a);
}

/* count - edits with this op and name (any case) */
static size_t
count(const annotation *a, hdr_op op, const char *name)
{
	size_t  i, k = 0;

	for (i = 0; i < a->nedits; i++)
		if (a->edits[i].op == op && strcasecmp(a->edits[i].name, name) == 0)
			k++;
	return (k);
}

/* added - the unfolded value of the idx-th addition of name, or NULL */
static char *
added(const annotation *a, const char *name, size_t idx)
{
	size_t  i, j, n, k = 0;
	char   *v;

	for (i = 0; i < a->nedits; i++) {
		const hdr_edit *e = a->edits + i;

		if (e->op != HDR_ADD || strcasecmp(e->name, name) != 0)
			continue;
		if (k++ != idx)
			continue;
		assert_non_null(e->value);
		v = malloc(strlen(e->value) + 1);
		assert_non_null(v);
		for (j = 0, n = 0; e->value[j]; j++) {
			if (e->value[j] == '\n' && e->value[j + 1] == '\t') {
				v[n++] = ' ';
				j++;
			} else
				v[n++] = e->value[j];
		}
		v[n] = 0;
		return (v);
	}
	return (NULL);
}

/* expect_added - the idx-th addition of name unfolds to want */
static void
expect_added(const annotation *a, const char *name, size_t idx,
	     const char *want)
{
	char   *v = added(a, name, idx);
	int     same = v != NULL && strcmp(v, want) == 0;

	if (!same)
		print_error("%s[%zu]: got \"%s\", want \"%s\"\n", name, idx,
			    v ? v : "(absent)", want);
	free(v);
	assert_true(same);
}

/* assert_values_safe - added values: printable ASCII, "\n\t" folds */
static void
assert_values_safe(const annotation *a)
{
	size_t  i, col;
	const char *p;

	for (i = 0; i < a->nedits; i++) {
		const hdr_edit *e = a->edits + i;

		assert_non_null(e->name);
		if (e->op == HDR_DELETE) {
			assert_null(e->value);
			continue;
		}
		assert_non_null(e->value);
		col = strlen(e->name) + 2;
		for (p = e->value; *p; p++, col++) {
			if (*p == '\n') {
				assert_int_equal(p[1], '\t');
				col = 0;
				continue;
			}
			assert_true(*p == '\t' || (*p >= 0x20 && *p < 0x7f));
			assert_true(col < 998);
		}
	}
}

static void
skip__not_a_bounce(void **state)
{
	static const char plain[] =
		"From: alice@a.example\n"
		"To: bob@b.example\n"
		"Subject: hello\n"
		"Content-Type: text/plain\n"
		"\n"
		"Hello.\n";
	fixture *f = *state;

	run(f, plain, NULL, EOL_LF, NULL);
	assert_int_equal(f->rc, 0);
	assert_true(f->a.skip);
	assert_non_null(f->a.why);
	why_has(&f->a, "bounce");
	assert_int_equal(f->a.nedits, 0);
	assert_null(f->a.body);
	done(f);
}

static void
skip__already_annotated_by_our_host_from_a_trusted_client(void **state)
{
	fixture *f = *state;

	run(f, "X-DSN-Annotated: " HOSTID " (dsnmilter 1.0)\n", body_mixed,
	    EOL_LF, NULL);
	assert_int_equal(f->rc, 0);
	assert_true(f->a.skip);
	why_has(&f->a, "annotated");
	assert_int_equal(f->a.nedits, 0);
	done(f);
}

static void
skip__delay_report_unless_annotate_delays(void **state)
{
	annotate_opts o;
	fixture *f = *state;

	run(f, NULL, body_delay, EOL_LF, NULL);
	assert_int_equal(f->rc, 0);
	assert_true(f->a.skip);
	why_has(&f->a, "delay");
	assert_int_equal(f->a.nedits, 0);
	done(f);

	default_opts(&o);
	o.annotate_delays = 1;
	run(f, NULL, body_delay, EOL_LF, &o);
	assert_int_equal(f->rc, 0);
	assert_false(f->a.skip);
	expect_added(&f->a, "X-DSN-Status", 0, "4.4.1");
	expect_added(&f->a, "X-DSN-Fix-Owner", 0, "none");
	/* nothing failed: no X-Failed-Recipients */
	assert_int_equal(count(&f->a, HDR_ADD, "X-Failed-Recipients"), 0);
	done(f);
}

static void
skip__success_report_unless_annotate_success(void **state)
{
	annotate_opts o;
	fixture *f = *state;

	run(f, NULL, body_success, EOL_LF, NULL);
	assert_true(f->a.skip);
	why_has(&f->a, "success");
	done(f);
	default_opts(&o);
	o.annotate_success = 1;
	run(f, NULL, body_success, EOL_LF, &o);
	assert_false(f->a.skip);
	expect_added(&f->a, "X-DSN-Reason", 0, "delivered");
	expect_added(&f->a, "X-DSN-Fix-Owner", 0, "none");
	done(f);
}

static void
skip__report_without_recipients(void **state)
{
	static const char empty[] =
		"--BB\n"
		"Content-Type: message/delivery-status\n"
		"\n"
		"Reporting-MTA: dns; mx.a.example\n"
		"\n"
		"--BB--\n";
	fixture *f = *state;

	run(f, NULL, empty, EOL_LF, NULL);
	assert_int_equal(f->rc, 0);
	assert_true(f->a.skip);
	assert_non_null(f->a.why);
	assert_int_equal(f->a.nedits, 0);
	done(f);
}

static void
add__headers_of_a_5_1_1_bounce(void **state)
{
	fixture *f = *state;
	char   *v;

	run(f, NULL, body_mixed, EOL_LF, NULL);
	assert_int_equal(f->rc, 0);
	assert_false(f->a.skip);
	assert_null(f->a.body);
	v = added(&f->a, "X-DSN-Annotated", 0);
	assert_non_null(v);
	assert_true(strncmp(v, HOSTID " (dsnmilter ", strlen(HOSTID) + 12) == 0);
	assert_int_equal(v[strlen(v) - 1], ')');
	free(v);
	expect_added(&f->a, "X-DSN-Status", 0, "5.1.1");
	expect_added(&f->a, "X-DSN-Reason", 0, "userunknown");
	expect_added(&f->a, "X-DSN-Fix-Owner", 0, "sender");
	expect_added(&f->a, "X-DSN-Recipient", 0, "<bob@b.example>; "
		     "action=failed; status=5.1.1; reason=userunknown; "
		     "owner=sender");
	expect_added(&f->a, "X-DSN-Recipient", 1, "<carol@c.example>; "
		     "action=delayed; status=4.4.1; reason=networkerror; "
		     "owner=none");
	expect_added(&f->a, "X-Failed-Recipients", 0, "bob@b.example");
	assert_int_equal(count(&f->a, HDR_ADD, "X-DSN-Annotated"), 1);
	assert_int_equal(count(&f->a, HDR_ADD, "X-DSN-Status"), 1);
	assert_int_equal(count(&f->a, HDR_ADD, "X-DSN-Recipient"), 2);
	assert_int_equal(count(&f->a, HDR_ADD, "X-Failed-Recipients"), 1);
	assert_int_equal(count(&f->a, HDR_ADD, "X-DSN-Trust"), 0);
	assert_int_equal(count(&f->a, HDR_DELETE, "X-DSN-Status"), 0);
	assert_values_safe(&f->a);
	done(f);
}

static void
add__recipient_fields_stop_at_max_recipients(void **state)
{
	annotate_opts o;
	fixture *f = *state;

	default_opts(&o);
	o.max_recipients = 1;
	run(f, NULL, body_mixed, EOL_LF, &o);
	assert_int_equal(count(&f->a, HDR_ADD, "X-DSN-Recipient"), 1);
	done(f);
	o.max_recipients = 0;
	run(f, NULL, body_mixed, EOL_LF, &o);
	assert_int_equal(count(&f->a, HDR_ADD, "X-DSN-Recipient"), 0);
	assert_int_equal(count(&f->a, HDR_ADD, "X-DSN-Status"), 1);
	done(f);
}

static void
add__x_failed_recipients_only_when_absent(void **state)
{
	fixture *f = *state;

	run(f, "x-failed-recipients: bob@b.example\n", body_mixed, EOL_LF,
	    NULL);
	assert_false(f->a.skip);
	assert_int_equal(count(&f->a, HDR_ADD, "X-Failed-Recipients"), 0);
	assert_int_equal(count(&f->a, HDR_DELETE, "X-Failed-Recipients"), 0);
	done(f);
}

/*
 * A failed recipient whose address is empty ("Final-Recipient: rfc822;
 * <>") is no X-Failed-Recipients entry; it used to make an empty value
 * that was folded from a NULL string (a crash, found by fuzz_annotate).
 */
static void
add__empty_failed_address_is_no_failed_recipient(void **state)
{
	static const char body[] =
		"--BB\n"
		"Content-Type: message/delivery-status\n"
		"\n"
		"Reporting-MTA: dns; mx.a.example\n"
		"\n"
		"Final-Recipient: rfc822; <>\n"
		"Action: failed\n"
		"Status: 5.1.1\n"
		"\n"
		"--BB--\n";
	fixture *f = *state;

	run(f, NULL, body, EOL_LF, NULL);
	assert_int_equal(f->rc, 0);
	assert_false(f->a.skip);
	assert_int_equal(count(&f->a, HDR_ADD, "X-Failed-Recipients"), 0);
	assert_int_equal(count(&f->a, HDR_ADD, "X-DSN-Recipient"), 1);
	expect_added(&f->a, "X-DSN-Status", 0, "5.1.1");
	done(f);
}

static void
trust__untrusted_client_gets_x_dsn_trust_external(void **state)
{
	annotate_opts o;
	fixture *f = *state;

	default_opts(&o);
	o.trusted = 0;
	run(f, NULL, body_mixed, EOL_LF, &o);
	assert_int_equal(f->rc, 0);
	assert_false(f->a.skip);
	expect_added(&f->a, "X-DSN-Trust", 0, "external");
	assert_int_equal(count(&f->a, HDR_ADD, "X-DSN-Trust"), 1);
	assert_null(f->a.body);
	done(f);
}

static void
trust__our_annotation_from_an_untrusted_client_is_a_forgery(void **state)
{
	annotate_opts o;
	fixture *f = *state;

	default_opts(&o);
	o.trusted = 0;
	run(f, "X-DSN-Annotated: " HOSTID " (dsnmilter 1.0)\n"
	    "X-DSN-Fix-Owner: recipient\n", body_mixed, EOL_LF, &o);
	assert_int_equal(f->rc, 0);
	assert_false(f->a.skip);
	assert_int_equal(count(&f->a, HDR_DELETE, "X-DSN-Annotated"), 1);
	assert_int_equal(count(&f->a, HDR_DELETE, "X-DSN-Fix-Owner"), 1);
	assert_int_equal(count(&f->a, HDR_ADD, "X-DSN-Annotated"), 1);
	expect_added(&f->a, "X-DSN-Fix-Owner", 0, "sender");
	expect_added(&f->a, "X-DSN-Trust", 0, "external");
	done(f);
}

static void
trust__another_hosts_annotation_is_replaced(void **state)
{
	fixture *f = *state;

	run(f, "X-DSN-Annotated: mx.a.example.evil (dsnmilter 1.0)\n"
	    "X-DSN-Annotated: other.example (dsnmilter 1.0)\n", body_mixed,
	    EOL_LF, NULL);
	assert_false(f->a.skip);
	assert_int_equal(count(&f->a, HDR_DELETE, "X-DSN-Annotated"), 2);
	assert_int_equal(count(&f->a, HDR_ADD, "X-DSN-Annotated"), 1);
	done(f);
}

static void
forged__x_dsn_fields_deleted_first_highest_index_first(void **state)
{
	fixture *f = *state;
	size_t  i, first_other = 0, st1 = 0, st2 = 0;

	run(f, "X-DSN-Status: 2.0.0\n"
	    "Received: from a by b\n"
	    "x-dsn-reason: delivered\n"
	    "X-DSN-STATUS: 2.0.0\n"
	    "X-DSN-Whatever: folded\n\tcontinued\n", body_mixed, EOL_LF, NULL);
	assert_int_equal(f->rc, 0);
	assert_int_equal(count(&f->a, HDR_DELETE, "X-DSN-Status"), 2);
	assert_int_equal(count(&f->a, HDR_DELETE, "X-DSN-Reason"), 1);
	assert_int_equal(count(&f->a, HDR_DELETE, "X-DSN-Whatever"), 1);
	assert_int_equal(count(&f->a, HDR_DELETE, "Received"), 0);
	for (i = 0; i < f->a.nedits; i++) {
		const hdr_edit *e = f->a.edits + i;

		if (e->op != HDR_DELETE) {
			if (first_other == 0)
				first_other = i + 1;
			continue;
		}
		assert_int_equal(first_other, 0);	/* deletions first */
		assert_true(e->index >= 1);
		if (strcasecmp(e->name, "X-DSN-Status") == 0) {
			if (st1 == 0)
				st1 = e->index;
			else
				st2 = e->index;
		} else
			assert_int_equal(e->index, 1);
	}
	assert_int_equal(st1, 2);
	assert_int_equal(st2, 1);
	done(f);
}

static void
forged__many_x_dsn_fields_are_all_removed(void **state)
{
	buf     extra;
	size_t  i;
	fixture *f = *state;

	buf_init(&extra);
	for (i = 0; i < 300; i++)
		buf_printf(&extra, "X-DSN-Junk: %zu\n", i);
	run(f, extra.data, body_mixed, EOL_LF, NULL);
	assert_int_equal(f->rc, 0);
	assert_int_equal(count(&f->a, HDR_DELETE, "X-DSN-Junk"), 300);
	/* highest index first, so every index stays right */
	assert_int_equal(f->a.edits[0].index, 300);
	assert_int_equal(f->a.edits[299].index, 1);
	done(f);
	buf_free(&extra);
}

static void
forged__fields_removed_even_when_the_message_is_skipped(void **state)
{
	static const char plain[] =
		"From: alice@a.example\n"
		"X-DSN-Annotated: " HOSTID " (dsnmilter 0)\n"
		"X-DSN-Reason: userunknown\n"
		"Subject: hello\n"
		"\n"
		"Hello.\n";
	fixture *f = *state;
	annotate_opts o;

	default_opts(&o);
	o.trusted = 0;
	run(f, plain, NULL, EOL_LF, &o);
	assert_int_equal(f->rc, 0);
	assert_true(f->a.skip);
	why_has(&f->a, "bounce");
	assert_int_equal(f->a.nedits, 2);
	assert_int_equal(count(&f->a, HDR_DELETE, "X-DSN-Annotated"), 1);
	assert_int_equal(count(&f->a, HDR_DELETE, "X-DSN-Reason"), 1);
	done(f);
}

static void
hostile__values_from_the_report_and_hostid_are_clean(void **state)
{
	static const char hostile[] =
		"--BB\n"
		"Content-Type: message/delivery-status\n"
		"\n"
		"Final-Recipient: rfc822; a\x01" "b\x7f@c\xc3\xa9.example\n"
		"Action: failed\x02\n"
		"Status: 5.1.1\n"
		"\n"
		"Final-Recipient: rfc822; <x@y> X-Evil: 1\n"
		"Action: failed\n"
		"Status: 5.7.1\n"
		"\n"
		"--BB--\n";
	annotate_opts o;
	fixture *f = *state;
	char   *v;

	default_opts(&o);
	o.hostid = "host\r\nX-Injected: 1";
	run(f, NULL, hostile, EOL_LF, &o);
	assert_int_equal(f->rc, 0);
	assert_false(f->a.skip);
	assert_values_safe(&f->a);
	v = added(&f->a, "X-DSN-Annotated", 0);
	assert_non_null(v);
	assert_non_null(strstr(v, "host X-Injected: 1 (dsnmilter "));
	free(v);
	assert_int_equal(count(&f->a, HDR_ADD, "X-Injected"), 0);
	assert_int_equal(count(&f->a, HDR_ADD, "X-Evil"), 0);
	done(f);
}

static void
hostile__long_recipient_values_are_folded(void **state)
{
	buf     body;
	size_t  i;
	fixture *f = *state;
	char   *v;

	buf_init(&body);
	buf_puts(&body, "--BB\nContent-Type: message/delivery-status\n\n");
	for (i = 0; i < 50; i++)
		buf_printf(&body, "Final-Recipient: rfc822; user%zu.with.a.long"
			   ".name@department%zu.example.org\nAction: failed\n"
			   "Status: 5.1.1\n\n", i, i);
	buf_puts(&body, "--BB--\n");
	run(f, NULL, body.data, EOL_LF, NULL);
	assert_int_equal(f->rc, 0);
	assert_values_safe(&f->a);
	assert_int_equal(count(&f->a, HDR_ADD, "X-DSN-Recipient"), 10);
	v = added(&f->a, "X-Failed-Recipients", 0);
	assert_non_null(v);
	assert_non_null(strstr(v, "user0.with.a.long.name@department0.example.org, "
			       "user1.with"));
	assert_non_null(strstr(v, "user49.with.a.long.name@department49"));
	free(v);
	for (i = 0; i < f->a.nedits; i++)
		if (strcasecmp(f->a.edits[i].name, "X-Failed-Recipients") == 0)
			assert_non_null(strstr(f->a.edits[i].value, "\n\t"));
	done(f);
	buf_free(&body);
}

/* apply - annotation_apply() of f into a new string */
static void
rewrite__extra_content_type_fields_go(void **state)
{
	static const char plain[] =
		"From: MAILER-DAEMON@x.example\n"
		"Subject: failure notice\n"
		"Content-Type: text/plain\n"
		"Content-Type: text/html\n"
		"\n"
		QMAIL_NOTICE;
	fixture *f = *state;
	annotate_opts o;
	tmpl_set *set = test_catalogue();

	rewrite_opts(&o, set);
	run(f, plain, NULL, EOL_LF, &o);
	assert_int_equal(f->rc, 0);
	assert_false(f->a.skip);
	assert_non_null(f->a.body);
	assert_int_equal(count(&f->a, HDR_DELETE, "Content-Type"), 1);
	assert_int_equal(count(&f->a, HDR_CHANGE, "Content-Type"), 1);
	done(f);
	tmpl_free(set);
}

/*
 * A new body larger than max_body is not used: the bounce keeps its body
 * and gets the headers; within the limit the same bounce is rewritten.
 */
static void
rewrite__body_over_max_body_keeps_the_old_one(void **state)
{
	static const char plain[] =
		"From: MAILER-DAEMON@x.example\n"
		"Subject: failure notice\n"
		"\n"
		QMAIL_NOTICE;
	fixture *f = *state;
	annotate_opts o;
	tmpl_set *set = test_catalogue();
	size_t  len;

	rewrite_opts(&o, set);
	run(f, plain, NULL, EOL_LF, &o);
	assert_int_equal(f->rc, 0);
	assert_non_null(f->a.body);
	len = f->a.body_len;
	done(f);
	o.max_body = len;			/* just fits */
	run(f, plain, NULL, EOL_LF, &o);
	assert_non_null(f->a.body);
	assert_null(f->a.why);
	done(f);
	o.max_body = len - 1;
	run(f, plain, NULL, EOL_LF, &o);
	assert_int_equal(f->rc, 0);
	assert_false(f->a.skip);
	assert_null(f->a.body);
	assert_string_equal(f->a.why, "headers-only-body-too-large");
	assert_int_equal(count(&f->a, HDR_ADD, "X-DSN-Status"), 1);
	assert_int_equal(count(&f->a, HDR_CHANGE, "Content-Type"), 0);
	done(f);
	tmpl_free(set);
}

static char *
apply(const fixture *f, size_t *len)
{
	buf     out;

	buf_init(&out);
	assert_int_equal(annotation_apply(f->msg, f->len, &f->a, &out), 0);
	*len = out.len;
	return (buf_detach(&out));
}

/* header_len - length of the header block of msg (up to the empty line) */
static size_t
header_len(const char *msg, size_t len, const char *eol)
{
	size_t  k = strlen(eol), i;

	for (i = 0; i + 2 * k <= len; i++)
		if (memcmp(msg + i, eol, k) == 0
		    && memcmp(msg + i + k, eol, k) == 0)
			return (i + k);
	return (len);
}

static void
apply__in_every_line_ending(void **state)
{
	static const eol_kind kinds[] = {EOL_LF, EOL_CRLF, EOL_CR};
	static const char *const eols[] = {"\n", "\r\n", "\r"};
	size_t  i, olen, ohdr, nhdr, n;
	fixture *f = *state;
	char   *out, *fold;

	for (i = 0; i < NELEM(kinds); i++) {
		run(f, "X-DSN-Status: 2.0.0\n", body_mixed, kinds[i], NULL);
		assert_string_equal(annotate_eol(f->msg, f->len), eols[i]);
		out = apply(f, &olen);
		ohdr = header_len(f->msg, f->len, eols[i]);
		nhdr = header_len(out, olen, eols[i]);
		/* body unchanged, byte for byte */
		assert_int_equal(olen - nhdr, f->len - ohdr);
		assert_memory_equal(out + nhdr, f->msg + ohdr, f->len - ohdr);
		/* forged field gone, ours at the end of the header block */
		assert_null(strstr(out, "X-DSN-Status: 2.0.0"));
		assert_true(strstr(out, "X-DSN-Annotated: ") > strstr(out,
							"Content-Type: "));
		assert_true(strstr(out, "X-DSN-Annotated: ") < out + nhdr);
		assert_memory_equal(out, "From: MAILER-DAEMON", 19);
		/* the fold of the original Content-Type is still there */
		fold = malloc(strlen(eols[i]) + 30);
		assert_non_null(fold);
		n = (size_t) snprintf(fold, strlen(eols[i]) + 30,
				      "delivery-status;%s\tboundary", eols[i]);
		assert_non_null(memmem(out, nhdr, fold, n));
		free(fold);
		/* no line ending other than the message's own */
		if (kinds[i] == EOL_LF)
			assert_null(memchr(out, '\r', nhdr));
		else if (kinds[i] == EOL_CR)
			assert_null(memchr(out, '\n', nhdr));
		else {
			size_t  k;

			for (k = 0; k < nhdr; k++)
				if (out[k] == '\n')
					assert_true(k > 0 && out[k - 1] == '\r');
				else if (out[k] == '\r')
					assert_true(k + 1 < nhdr && out[k + 1] == '\n');
		}
		free(out);
		done(f);
	}
}

/* apply_eq - annotation_apply() of msg gives exactly want */
static void
apply_eq(const char *msg, size_t len, const annotation *a, const char *want)
{
	buf     out;
	int     same;

	buf_init(&out);
	assert_int_equal(annotation_apply(msg, len, a, &out), 0);
	same = out.data != NULL && strcmp(out.data, want) == 0;
	if (!same)
		print_error("got:\n%s\nwant:\n%s\n", out.data ? out.data : "",
			    want);
	buf_free(&out);
	assert_true(same);
}

static void
apply__folded_additions_use_the_message_line_ending(void **state)
{
	hdr_edit edits[1];
	annotation a;
	static const char msg[] = "Subject: x\r\n\r\nbody\r\n";

	(void) state;
	memset(&a, 0, sizeof(a));
	edits[0].op = HDR_ADD;
	edits[0].name = (char *) "X-DSN-Recipient";
	edits[0].index = 0;
	edits[0].value = (char *) "<a@b>; action=failed;\n\tstatus=5.1.1";
	a.edits = edits;
	a.nedits = 1;
	apply_eq(msg, sizeof(msg) - 1, &a, "Subject: x\r\n"
		 "X-DSN-Recipient: <a@b>; action=failed;\r\n"
		 "\tstatus=5.1.1\r\n\r\nbody\r\n");
}

static void
apply__delete_and_change_by_index_and_new_body(void **state)
{
	static const char msg[] =
		"Received: one\n"
		"X-DSN-Status: 2.0.0\n"
		"received: two\n"
		"\tfolded\n"
		"Content-Type: text/plain\n"
		"Received: three\n"
		"\n"
		"old body\n";
	hdr_edit edits[4];
	annotation a;

	(void) state;
	memset(&a, 0, sizeof(a));
	memset(edits, 0, sizeof(edits));
	edits[0].op = HDR_DELETE;
	edits[0].name = (char *) "Received";
	edits[0].index = 2;
	edits[1].op = HDR_DELETE;
	edits[1].name = (char *) "X-DSN-Status";
	edits[1].index = 1;
	edits[2].op = HDR_CHANGE;
	edits[2].name = (char *) "Content-Type";
	edits[2].index = 1;
	edits[2].value = (char *) "multipart/mixed;\n\tboundary=\"x\"";
	edits[3].op = HDR_ADD;
	edits[3].name = (char *) "MIME-Version";
	edits[3].value = (char *) "1.0";
	a.edits = edits;
	a.nedits = 4;
	a.body = (char *) "new body\n";
	a.body_len = 9;
	apply_eq(msg, sizeof(msg) - 1, &a,
		 "Received: one\n"
		 "Content-Type: multipart/mixed;\n"
		 "\tboundary=\"x\"\n"
		 "Received: three\n"
		 "MIME-Version: 1.0\n"
		 "\n"
		 "new body\n");
}

static void
apply__message_without_body_or_final_line_break(void **state)
{
	static const char msg[] = "Subject: x\nX-DSN-Reason: y";
	hdr_edit edits[2];
	annotation a;

	(void) state;
	memset(&a, 0, sizeof(a));
	memset(edits, 0, sizeof(edits));
	edits[0].op = HDR_DELETE;
	edits[0].name = (char *) "X-DSN-Reason";
	edits[0].index = 1;
	edits[1].op = HDR_ADD;
	edits[1].name = (char *) "X-DSN-Status";
	edits[1].value = (char *) "5.1.1";
	a.edits = edits;
	a.nedits = 2;
	apply_eq(msg, sizeof(msg) - 1, &a, "Subject: x\nX-DSN-Status: 5.1.1\n\n");
}

static void
apply__lines_that_are_no_field_are_kept(void **state)
{
	static const char msg[] =
		"From MAILER-DAEMON Mon Jan  1 00:00:00 2024\n"
		"X-DSN-Reason: forged\n"
		"Subject: x\n"
		"\n"
		"body\n";
	hdr_edit edit;
	annotation a;

	(void) state;
	memset(&a, 0, sizeof(a));
	memset(&edit, 0, sizeof(edit));
	edit.op = HDR_DELETE;
	edit.name = (char *) "X-DSN-Reason";
	edit.index = 1;
	a.edits = &edit;
	a.nedits = 1;
	apply_eq(msg, sizeof(msg) - 1, &a,
		 "From MAILER-DAEMON Mon Jan  1 00:00:00 2024\n"
		 "Subject: x\n"
		 "\n"
		 "body\n");
}

static void
apply__empty_annotation_gives_the_message_back(void **state)
{
	fixture *f = *state;
	char   *out;
	size_t  olen;

	run(f, NULL, body_delay, EOL_CRLF, NULL);
	assert_true(f->a.skip);
	out = apply(f, &olen);
	assert_int_equal(olen, f->len);
	assert_memory_equal(out, f->msg, f->len);
	free(out);
	done(f);
}

static void
eol__first_line_ending_decides(void **state)
{
	(void) state;
	assert_string_equal(annotate_eol("a\nb\r\n", 5), "\n");
	assert_string_equal(annotate_eol("a\r\nb\n", 5), "\r\n");
	assert_string_equal(annotate_eol("a\rb\n", 4), "\r");
	assert_string_equal(annotate_eol("a\r", 2), "\r");
	assert_string_equal(annotate_eol("abc", 3), "\n");
	assert_string_equal(annotate_eol("", 0), "\n");
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(skip__not_a_bounce),
		T(skip__already_annotated_by_our_host_from_a_trusted_client),
		T(skip__delay_report_unless_annotate_delays),
		T(skip__success_report_unless_annotate_success),
		T(skip__report_without_recipients),
		T(add__headers_of_a_5_1_1_bounce),
		T(add__recipient_fields_stop_at_max_recipients),
		T(add__x_failed_recipients_only_when_absent),
		T(add__empty_failed_address_is_no_failed_recipient),
		T(trust__untrusted_client_gets_x_dsn_trust_external),
		T(trust__our_annotation_from_an_untrusted_client_is_a_forgery),
		T(trust__another_hosts_annotation_is_replaced),
		T(forged__x_dsn_fields_deleted_first_highest_index_first),
		T(forged__many_x_dsn_fields_are_all_removed),
		T(forged__fields_removed_even_when_the_message_is_skipped),
		T(hostile__values_from_the_report_and_hostid_are_clean),
		T(hostile__long_recipient_values_are_folded),
		T(apply__in_every_line_ending),
		T(apply__folded_additions_use_the_message_line_ending),
		T(apply__delete_and_change_by_index_and_new_body),
		T(apply__message_without_body_or_final_line_break),
		T(rewrite__extra_content_type_fields_go),
		T(rewrite__body_over_max_body_keeps_the_old_one),
		T(apply__lines_that_are_no_field_are_kept),
		T(apply__empty_annotation_gives_the_message_back),
		T(eol__first_line_ending_decides),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
