/*
 * NAME
 *	test_bounce - unit tests for bounce.c
 * DESCRIPTION
 *	bounce_analyze() on small messages under tests/unit/data/core (each
 *	read with LF, CR LF and CR-only line ends): a plain multipart/report,
 *	a base64-encoded delivery-status part, a report inside
 *	multipart/mixed after an enclosed bounce that must be ignored,
 *	message/global-delivery-status, a feedback report, a message that
 *	is no bounce; the status and reply code completed from the
 *	diagnostic; every prefix of a message as hostile input; and a few
 *	real corpus files (skipped when the corpus is absent; $CORPUS, as
 *	make check sets it, names the corpus root).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bounce.h"
#include "testutil.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* load_core - a fixture from tests/unit/data/core into b */
static void
load_core(const char *name, buf *b)
{
	buf     rel;
	char   *path;

	buf_init(&rel);
	buf_printf(&rel, "tests/unit/data/core/%s", name);
	path = test_top_path(rel.data);
	buf_init(b);
	if (test_read_file(path, b) < 0)
		fail_msg("cannot read %s", path);
	free(path);
	buf_free(&rel);
}

typedef enum { EOL_LF, EOL_CRLF, EOL_CR } eol_kind;

/* with_eol - an exact-size heap copy of LF text s with other line ends */
static char *
with_eol(const char *s, size_t n, eol_kind k, size_t *outlen)
{
	buf     b;
	size_t  i;
	char   *p;

	buf_init(&b);
	for (i = 0; i < n; i++) {
		if (s[i] != '\n')
			buf_putc(&b, s[i]);
		else if (k == EOL_LF)
			buf_putc(&b, '\n');
		else if (k == EOL_CRLF)
			buf_puts(&b, "\r\n");
		else
			buf_putc(&b, '\r');
	}
	assert_false(b.failed);
	*outlen = b.len;
	p = malloc(b.len ? b.len : 1);
	assert_non_null(p);
	memcpy(p, b.data ? b.data : "", b.len);
	buf_free(&b);
	return (p);
}

/* analyze - bounce_analyze() with default limits over msg[0..len) */
static void
analyze(const char *msg, size_t len, dsn_report *r, size_t max_rcpt)
{
	bounce_limits lim = BOUNCE_LIMITS_DEFAULT;

	lim.max_rcpt = max_rcpt;
	dsn_report_init(r);
	assert_int_equal(bounce_analyze(msg, len, &lim, NULL, r, NULL), 0);
}

static void
str_eq(const char *got, const char *want)
{
	if (want == NULL)
		assert_true(got == NULL || got[0] == 0);
	else {
		assert_non_null(got);
		assert_string_equal(got, want);
	}
}

/* each_eol - run check on the fixture with LF, CR LF and CR line ends */
static void
each_eol(const char *name, void (*check)(const dsn_report *, eol_kind))
{
	static const eol_kind kinds[] = {EOL_LF, EOL_CRLF, EOL_CR};
	buf     b;
	size_t  i, n;
	char   *msg;
	dsn_report r;

	load_core(name, &b);
	for (i = 0; i < NELEM(kinds); i++) {
		msg = with_eol(b.data, b.len, kinds[i], &n);
		analyze(msg, n, &r, 1000);
		check(&r, kinds[i]);
		dsn_report_free(&r);
		free(msg);
	}
	buf_free(&b);
}

static void
check_basic(const dsn_report *r, eol_kind k)
{
	(void) k;
	assert_int_equal(r->kind, DSN_KIND_DSN);
	str_eq(r->reporting_mta, "mx.a.example");
	assert_int_equal(r->nrcpt, 2);
	str_eq(r->rcpt[0].recipient, "bob@b.example");
	str_eq(r->rcpt[0].action, "failed");
	/* Status 5.0.0, the diagnostic says 5.1.1: the specific one wins */
	str_eq(r->rcpt[0].status, "5.1.1");
	str_eq(r->rcpt[0].reply_code, "550");
	str_eq(r->rcpt[0].remote_mta, "mx.b.example");
	str_eq(r->rcpt[0].diagnostic, "smtp; 550 5.1.1 <bob@b.example>: "
	       "Recipient address rejected: User unknown");
	str_eq(r->rcpt[0].reason, "userunknown");
	str_eq(r->rcpt[0].owner, "sender");
	str_eq(r->rcpt[1].recipient, "carol@c.example");
	/* no Status field: taken from the diagnostic */
	str_eq(r->rcpt[1].status, "5.2.2");
	str_eq(r->rcpt[1].reply_code, "552");
	str_eq(r->rcpt[1].reason, "mailboxfull");
	str_eq(r->rcpt[1].owner, "recipient");
}

static void
analyze__multipart_report_in_lf_crlf_and_cr(void **state)
{
	(void) state;
	each_eol("dsn-basic.eml", check_basic);
}

static void
check_base64(const dsn_report *r, eol_kind k)
{
	(void) k;
	assert_int_equal(r->kind, DSN_KIND_DSN);
	assert_int_equal(r->nrcpt, 1);
	str_eq(r->reporting_mta, "mx.a.example");
	str_eq(r->rcpt[0].recipient, "dave@d.example");
	str_eq(r->rcpt[0].status, "5.4.4");
	str_eq(r->rcpt[0].diagnostic, "X-Postfix; Host or domain name not "
	       "found. Name service error for name=d.example type=A: Host "
	       "not found");
	str_eq(r->rcpt[0].reply_code, NULL);
	str_eq(r->rcpt[0].reason, "hostunknown");
}

static void
analyze__base64_delivery_status_part_is_decoded(void **state)
{
	(void) state;
	each_eol("dsn-base64.eml", check_base64);
}

static void
check_mixed(const dsn_report *r, eol_kind k)
{
	(void) k;
	assert_int_equal(r->kind, DSN_KIND_DSN);
	assert_int_equal(r->nrcpt, 1);
	str_eq(r->reporting_mta, "relay.example");
	str_eq(r->rcpt[0].recipient, "outer@y.example");
	str_eq(r->rcpt[0].action, "delayed");
	str_eq(r->rcpt[0].status, "4.4.1");
	str_eq(r->rcpt[0].reply_code, "451");
	str_eq(r->rcpt[0].owner, "none");
}

static void
analyze__report_inside_mixed_not_the_enclosed_message(void **state)
{
	(void) state;
	each_eol("dsn-in-mixed.eml", check_mixed);
}

static void
check_global(const dsn_report *r, eol_kind k)
{
	(void) k;
	assert_int_equal(r->kind, DSN_KIND_DSN);
	assert_int_equal(r->nrcpt, 1);
	/* only Original-Recipient: it becomes the recipient */
	str_eq(r->rcpt[0].original_recipient,
	       "\xe7\x94\xa8\xe6\x88\xb7@\xe4\xbe\x8b\xe5\xad\x90."
	       "\xe5\xb9\xbf\xe5\x91\x8a");
	str_eq(r->rcpt[0].recipient, r->rcpt[0].original_recipient);
	str_eq(r->rcpt[0].status, "5.1.1");
	str_eq(r->rcpt[0].reply_code, "550");
	str_eq(r->rcpt[0].reason, "userunknown");
}

static void
analyze__global_delivery_status_and_original_recipient_only(void **state)
{
	(void) state;
	each_eol("dsn-global.eml", check_global);
}

static void
check_none(const dsn_report *r, eol_kind k)
{
	(void) k;
	assert_int_equal(r->kind, DSN_KIND_NONE);
	assert_int_equal(r->nrcpt, 0);
}

static void
analyze__plain_message_is_no_report(void **state)
{
	(void) state;
	each_eol("not-bounce.eml", check_none);
}

/* bounce.h: "or else a feedback report (RFC 5965)" */
static void
analyze__feedback_report_is_kind_arf(void **state)
{
	dsn_report r;
	buf     b;
	int     arf, abuse;

	(void) state;
	load_core("arf.eml", &b);
	analyze(b.data, b.len, &r, 1000);
	arf = r.kind == DSN_KIND_ARF;
	abuse = r.feedback_type != NULL
	    && strcmp(r.feedback_type, "abuse") == 0;
	if (!arf || !abuse)
		print_error("kind %s, feedback_type %s\n", dsn_kind_name(r.kind),
			    r.feedback_type ? r.feedback_type : "NULL");
	dsn_report_free(&r);
	buf_free(&b);
	assert_true(arf);
	assert_true(abuse);
}

/*
 * arf.c reads fields from a part's field index where there is one (the
 * top-level header, an enclosed message/rfc822) and from the header block
 * of a body elsewhere (the feedback report, text/rfc822-headers): every
 * source, for every line ending, with folded fields, fields named in any
 * case and white space before the colon.
 */
static const struct {
	const char *msg;
	const char *type;
	const char *rcpt[2];
} arf_cases[] = {
	{"Content-Type: multipart/report; report-type=feedback-report;\n"
	 " boundary=b\n\n"
	 "--b\nContent-Type: message/feedback-report\n\n"
	 "Feedback-Type: Fraud\nUser-Agent: x\n\n"
	 "--b\nContent-Type: message/rfc822\n\n"
	 "Subject: s\nTO: A <a@x.example>\nto :\n b@y.example\n\nbody\n"
	 "--b--\n", "fraud", {"a@x.example", "b@y.example"}},
	{"Content-Type: multipart/report; report-type=feedback-report;\n"
	 " boundary=b\n\n"
	 "--b\nContent-Type: message/feedback-report\n\n"
	 "Feedback-Type: abuse\n"
	 "Original-Rcpt-To:\n <o@x.example>\n\n"
	 "--b\nContent-Type: text/rfc822-headers\n\n"
	 "To: a@x.example\n\n"
	 "--b--\n", "abuse", {"o@x.example", NULL}},
	{"Content-Type: multipart/report; report-type=feedback-report;\n"
	 " boundary=b\n\n"
	 "--b\nContent-Type: message/feedback-report\n\n"
	 "Feedback-Type: abuse\n\n"
	 "--b\nContent-Type: text/rfc822-headers\n\n"
	 "Subject: s\nTo: <h@x.example>\n\nnot: header\n"
	 "--b--\n", "abuse", {"h@x.example", NULL}},
	{"Content-Type: multipart/mixed; boundary=b\n\n"
	 "--b\n\nsee below\n"
	 "--b\nContent-Type: message/rfc822\n\n"
	 "X-HmXmrOriginalRecipient: <c@z.example>\n\nbody\n"
	 "--b--\n", "abuse", {"c@z.example", NULL}},
	{"From: \"Name\"\n <d@w.example>\nX-Apple-Unsubscribe:  TRUE\n"
	 "Subject: unsubscribe\n\nbody\n", "opt-out", {"d@w.example", NULL}},
	{"From: d@w.example\nX-Apple-Unsubscribe: false\n\nbody\n",
	 NULL, {NULL, NULL}},
};

static void
analyze__feedback_recipients_from_every_header_source(void **state)
{
	static const eol_kind kinds[] = {EOL_LF, EOL_CRLF, EOL_CR};
	size_t  i, k, j, n, want;
	dsn_report r;
	char   *msg;

	(void) state;
	for (i = 0; i < NELEM(arf_cases); i++) {
		for (k = 0; k < NELEM(kinds); k++) {
			msg = with_eol(arf_cases[i].msg, strlen(arf_cases[i].msg),
				       kinds[k], &n);
			analyze(msg, n, &r, 1000);
			if (arf_cases[i].type == NULL) {
				assert_int_not_equal(r.kind, DSN_KIND_ARF);
			} else {
				if (r.kind != DSN_KIND_ARF)
					fail_msg("case %zu/%zu: kind %s", i, k,
						 dsn_kind_name(r.kind));
				str_eq(r.feedback_type, arf_cases[i].type);
				for (want = 0; want < 2 && arf_cases[i].rcpt[want];)
					want++;
				assert_int_equal(r.nrcpt, want);
				for (j = 0; j < want; j++)
					str_eq(r.rcpt[j].recipient, arf_cases[i].rcpt[j]);
			}
			dsn_report_free(&r);
			free(msg);
		}
	}
}

/*
 * Gmail writes multi-line replies: "550-5.1.1 ...".  Status 5.0.0 must
 * still become the 5.1.1 of the diagnostic.
 */
static void
analyze__status_from_a_multiline_reply_diagnostic(void **state)
{
	static const char msg[] =
		"From: MAILER-DAEMON@a.example\n"
		"MIME-Version: 1.0\n"
		"Content-Type: multipart/report; report-type=delivery-status; "
		"boundary=b\n"
		"\n"
		"--b\n"
		"Content-Type: message/delivery-status\n"
		"\n"
		"Reporting-MTA: dns; a.example\n"
		"\n"
		"Final-Recipient: rfc822; x@gmail.example\n"
		"Action: failed\n"
		"Status: 5.0.0\n"
		"Diagnostic-Code: smtp; 550-5.1.1 The email account that you "
		"tried to reach\n"
		"    does not exist. Please try double-checking the recipient's\n"
		"\n"
		"--b--\n";
	dsn_report r;
	char    status[16] = "", reply[8] = "";

	(void) state;
	analyze(msg, sizeof(msg) - 1, &r, 1000);
	assert_int_equal(r.nrcpt, 1);
	if (r.rcpt[0].status)
		snprintf(status, sizeof(status), "%s", r.rcpt[0].status);
	if (r.rcpt[0].reply_code)
		snprintf(reply, sizeof(reply), "%s", r.rcpt[0].reply_code);
	dsn_report_free(&r);
	assert_string_equal(reply, "550");
	assert_string_equal(status, "5.1.1");
}

/*
 * An SMTP transcript as the diagnostic: the refusal (451 4.3.0) comes
 * after replies that went well (250 2.1.5); the failure code counts.
 */
static void
analyze__transcript_diagnostic_gives_the_failure_code(void **state)
{
	static const char msg[] =
		"From: MAILER-DAEMON@a.example\n"
		"MIME-Version: 1.0\n"
		"Content-Type: multipart/report; report-type=delivery-status; "
		"boundary=b\n"
		"\n"
		"--b\n"
		"Content-Type: message/delivery-status\n"
		"\n"
		"Final-Recipient: rfc822; x@b.example\n"
		"Action: failed\n"
		"Diagnostic-Code: X-Postfix; In: RCPT TO:<x@b.example> Out: 250 "
		"2.1.5 Ok In: DATA Out: 354 End data Out: 451 4.3.0 Error: queue "
		"file write error\n"
		"\n"
		"--b--\n";
	dsn_report r;
	char    status[16] = "", reply[8] = "", reason[32] = "";

	(void) state;
	analyze(msg, sizeof(msg) - 1, &r, 1000);
	assert_int_equal(r.nrcpt, 1);
	snprintf(status, sizeof(status), "%s", r.rcpt[0].status ? r.rcpt[0].status : "");
	snprintf(reply, sizeof(reply), "%s", r.rcpt[0].reply_code ? r.rcpt[0].reply_code : "");
	snprintf(reason, sizeof(reason), "%s", r.rcpt[0].reason ? r.rcpt[0].reason : "");
	dsn_report_free(&r);
	assert_string_equal(status, "4.3.0");
	assert_string_equal(reply, "451");
	assert_string_equal(reason, "systemerror");
}

/* bounce.h: "or else an Amazon SES notification" (JSON body, kind plain) */
static void
analyze__amazon_ses_json_notification_is_read(void **state)
{
	static const char msg[] =
		"From: SES <no-reply@sns.amazonaws.com>\n"
		"Subject: AWS Notification Message\n"
		"Content-Type: text/plain; charset=UTF-8\n"
		"\n"
		"{\"notificationType\":\"Bounce\",\"bounce\":{\"bounceType\":"
		"\"Permanent\",\"bouncedRecipients\":[{\"emailAddress\":"
		"\"x@b.example\",\"action\":\"failed\",\"status\":\"5.1.1\","
		"\"diagnosticCode\":\"smtp; 550 5.1.1 user unknown\"}],"
		"\"reportingMTA\":\"dsn; a.example\"}}\n"
		"\n--\nIf you wish to stop receiving notifications ...\n";
	dsn_report r;
	int     plain, ok;

	(void) state;
	analyze(msg, sizeof(msg) - 1, &r, 1000);
	plain = r.kind == DSN_KIND_PLAIN;
	ok = r.nrcpt == 1 && r.rcpt[0].recipient
	    && strcmp(r.rcpt[0].recipient, "x@b.example") == 0
	    && r.rcpt[0].reply_code && strcmp(r.rcpt[0].reply_code, "550") == 0
	    && strcmp(r.rcpt[0].reason, "userunknown") == 0
	    && r.reporting_mta && strcmp(r.reporting_mta, "a.example") == 0;
	dsn_report_free(&r);
	assert_true(plain);
	assert_true(ok);
}

/*
 * The report's diagnostic has no reply code ("X-Unix; 77"); the notice
 * gives one for the same recipient: it is taken from there.
 */
static void
analyze__reply_code_from_the_notice_when_the_report_has_none(void **state)
{
	static const char msg[] =
		"From: Mail Delivery Subsystem <MAILER-DAEMON@a.example>\n"
		"Subject: Returned mail: see transcript for details\n"
		"MIME-Version: 1.0\n"
		"Content-Type: multipart/report; report-type=delivery-status; "
		"boundary=b\n"
		"\n"
		"--b\n"
		"\n"
		"   ----- The following addresses had permanent fatal errors -----\n"
		"<x@b.example>\n"
		"    (reason: Insufficient permission)\n"
		"\n"
		"   ----- Transcript of session follows -----\n"
		"550 5.0.0 <x@b.example>... Insufficient permission\n"
		"\n"
		"--b\n"
		"Content-Type: message/delivery-status\n"
		"\n"
		"Reporting-MTA: dns; a.example\n"
		"\n"
		"Final-Recipient: RFC822; x@b.example\n"
		"Action: failed\n"
		"Status: 5.3.0\n"
		"Diagnostic-Code: X-Unix; 77\n"
		"\n"
		"--b--\n";
	dsn_report r;
	char    reply[8] = "";

	(void) state;
	analyze(msg, sizeof(msg) - 1, &r, 1000);
	assert_int_equal(r.nrcpt, 1);
	snprintf(reply, sizeof(reply), "%s", r.rcpt[0].reply_code ? r.rcpt[0].reply_code : "");
	dsn_report_free(&r);
	assert_string_equal(reply, "550");
}

/*
 * A report that gives the recipient, its diagnostic and reply code reads
 * its notice only when a rule asks for the SMTP command; the command the
 * notice names still decides (the diagnostic names none): user unknown
 * at RCPT TO is userunknown, at end of DATA the message was filtered.
 */
static void
analyze__command_from_the_notice_when_a_rule_needs_it(void **state)
{
	static const char *const cmds[] = {"RCPT TO", "end of DATA"};
	static const char *const want[] = {"userunknown", "filtered"};
	char    msg[2048];
	dsn_report r;
	size_t  i;

	(void) state;
	for (i = 0; i < NELEM(cmds); i++) {
		snprintf(msg, sizeof(msg),
			 "From: MAILER-DAEMON@a.example\n"
			 "Subject: Undelivered Mail Returned to Sender\n"
			 "MIME-Version: 1.0\n"
			 "Content-Type: multipart/report; "
			 "report-type=delivery-status; boundary=b\n"
			 "\n--b\n\n"
			 "<x@b.example>: host mx.b.example[192.0.2.1] said: 550 "
			 "5.0.0 user unknown (in reply to %s command)\n"
			 "\n--b\n"
			 "Content-Type: message/delivery-status\n\n"
			 "Reporting-MTA: dns; a.example\n\n"
			 "Final-Recipient: rfc822; x@b.example\n"
			 "Action: failed\nStatus: 5.0.0\n"
			 "Diagnostic-Code: smtp; 550 5.0.0 user unknown\n"
			 "\n--b--\n", cmds[i]);
		analyze(msg, strlen(msg), &r, 1000);
		assert_int_equal(r.nrcpt, 1);
		str_eq(r.rcpt[0].reply_code, "550");
		str_eq(r.rcpt[0].reason, want[i]);
		dsn_report_free(&r);
	}
}

static void
analyze__returns_the_tree_when_asked(void **state)
{
	bounce_limits lim = BOUNCE_LIMITS_DEFAULT;
	mime_part *tree = NULL;
	dsn_report r;
	buf     b;

	(void) state;
	load_core("dsn-basic.eml", &b);
	dsn_report_init(&r);
	assert_int_equal(bounce_analyze(b.data, b.len, &lim, NULL, &r, &tree),
			 0);
	assert_non_null(tree);
	assert_string_equal(tree->ctype, "multipart/report");
	assert_int_equal(tree->nkids, 3);
	assert_non_null(mime_find(tree, "message/delivery-status", 0));
	mime_free(tree);
	dsn_report_free(&r);
	buf_free(&b);
}

static void
analyze__max_rcpt_caps_the_report(void **state)
{
	dsn_report r;
	buf     b;

	(void) state;
	load_core("dsn-basic.eml", &b);
	analyze(b.data, b.len, &r, 1);
	assert_int_equal(r.nrcpt, 1);
	assert_int_equal(r.rcpt_dropped, 1);
	str_eq(r.rcpt[0].recipient, "bob@b.example");
	str_eq(r.rcpt[0].reason, "userunknown");
	dsn_report_free(&r);
	buf_free(&b);
}

static void
analyze__every_prefix_of_a_message_is_handled(void **state)
{
	static const char *const names[] = {"dsn-basic.eml", "dsn-base64.eml",
	"dsn-in-mixed.eml"};
	size_t  i, cut;
	buf     b;
	char   *p;
	dsn_report r;

	(void) state;
	for (i = 0; i < NELEM(names); i++) {
		load_core(names[i], &b);
		for (cut = 0; cut <= b.len; cut++) {
			p = malloc(cut ? cut : 1);
			assert_non_null(p);
			memcpy(p, b.data, cut);
			analyze(p, cut, &r, 1000);
			assert_true(r.nrcpt <= 2);
			free(p);
			dsn_report_free(&r);
		}
		buf_free(&b);
	}
}

static void
analyze__empty_and_binary_input_is_no_report(void **state)
{
	char    junk[2048];
	unsigned seed = 99;
	size_t  i;
	dsn_report r;

	(void) state;
	analyze("", 0, &r, 1000);
	assert_int_equal(r.kind, DSN_KIND_NONE);
	dsn_report_free(&r);
	for (i = 0; i < sizeof(junk); i++) {
		seed = seed * 1103515245u + 12345u;
		junk[i] = (char) (seed >> 16);
	}
	analyze(junk, sizeof(junk), &r, 1000);
	assert_int_equal(r.nrcpt, 0);
	dsn_report_free(&r);
}

/*
 * corpus_path - the corpus file, or NULL when the corpus is absent: under
 * $CORPUS (the corpus root, as make check sets it), else TOP/../shared/corpus
 */
static char *
corpus_path(const char *dir, const char *name)
{
	const char *env = getenv("CORPUS");
	buf     b;
	char   *top;
	FILE   *fp;

	buf_init(&b);
	if (env != NULL && *env) {
		buf_printf(&b, "%s/mail/maildir/%s/%s", env, dir, name);
	} else {
		top = test_top_path("../shared/corpus/mail/maildir");
		buf_printf(&b, "%s/%s/%s", top, dir, name);
		free(top);
	}
	if ((fp = fopen(b.data, "rb")) == NULL) {
		buf_free(&b);
		return (NULL);
	}
	fclose(fp);
	return (buf_detach(&b));
}

/* analyze_corpus - 1 and the report when the corpus file exists */
static int
analyze_corpus(const char *dir, const char *name, dsn_report *r)
{
	char   *path = corpus_path(dir, name);
	buf     b;

	if (path == NULL)
		return (0);
	buf_init(&b);
	assert_int_equal(test_read_file(path, &b), 0);
	analyze(b.data, b.len, r, 1000);
	buf_free(&b);
	free(path);
	return (1);
}

static void
corpus__postfix_01_procmail_failure(void **state)
{
	dsn_report r;

	(void) state;
	if (!analyze_corpus("bsd", "lhost-postfix-01.eml", &r))
		skip();
	assert_int_equal(r.kind, DSN_KIND_DSN);
	str_eq(r.reporting_mta, "p351355.pool.example.ne.jp");
	assert_int_equal(r.nrcpt, 1);
	str_eq(r.rcpt[0].recipient, "r@p351355.pool.example.ne.jp");
	str_eq(r.rcpt[0].original_recipient, "kijitora@example.org");
	str_eq(r.rcpt[0].action, "failed");
	str_eq(r.rcpt[0].status, "5.1.1");
	assert_non_null(classify_reason_word(r.rcpt[0].reason));
	assert_non_null(classify_owner_word(r.rcpt[0].owner));
	dsn_report_free(&r);
}

static void
check_sendmail_02(const dsn_report *r)
{
	assert_int_equal(r->kind, DSN_KIND_DSN);
	str_eq(r->reporting_mta, "nijo.example.jp");
	assert_int_equal(r->nrcpt, 2);
	str_eq(r->rcpt[0].recipient, "userunknown@example.org");
	str_eq(r->rcpt[0].status, "5.1.1");
	str_eq(r->rcpt[0].reply_code, "550");
	str_eq(r->rcpt[0].remote_mta, "mx.example.org");
	str_eq(r->rcpt[0].reason, "userunknown");
	str_eq(r->rcpt[1].recipient, "filtered@example.com");
	str_eq(r->rcpt[1].status, "5.2.1");
	str_eq(r->rcpt[1].reply_code, "550");
}

static void
corpus__sendmail_02_two_recipients_in_every_line_ending(void **state)
{
	static const char *const dirs[] = {"bsd", "dos", "mac"};
	dsn_report r;
	size_t  i, seen = 0;

	(void) state;
	for (i = 0; i < NELEM(dirs); i++) {
		if (!analyze_corpus(dirs[i], "lhost-sendmail-02.eml", &r))
			continue;
		seen++;
		check_sendmail_02(&r);
		dsn_report_free(&r);
	}
	if (seen == 0)
		skip();
}

static void
corpus__every_bsd_report_yields_vocabulary_words(void **state)
{
	static const char *const names[] = {
		"lhost-postfix-02.eml", "lhost-postfix-04.eml",
		"lhost-postfix-05.eml", "rfc3464-04.eml",
		"lhost-exim-02.eml", "lhost-gmail-01.eml",
		"lhost-office365-06.eml", "arf-02.eml",
	};
	dsn_report r;
	size_t  i, k, seen = 0;

	(void) state;
	for (i = 0; i < NELEM(names); i++) {
		if (!analyze_corpus("bsd", names[i], &r))
			continue;
		seen++;
		for (k = 0; k < r.nrcpt; k++) {
			assert_non_null(classify_reason_word(r.rcpt[k].reason));
			assert_non_null(classify_owner_word(r.rcpt[k].owner));
		}
		dsn_report_free(&r);
	}
	if (seen == 0)
		skip();
}

/*
 * A person forwarding a bounce ("Fwd:") writes no bounce; a feedback
 * report titled "Fw:" is still one.  A delivery-status part is found
 * when no delimiter line uses the declared boundary.
 */
static void
forward_and_broken_boundary(void **state)
{
	static const char fwd[] =
	"From: Anna <anna@example.com>\n"
	"Subject: Fwd: Undelivered Mail Returned to Sender\n"
	"MIME-Version: 1.0\n"
	"Content-Type: multipart/mixed; boundary=\"F\"\n"
	"\n"
	"--F\n"
	"Content-Type: text/plain\n"
	"\n"
	"See attached, kunde@example.net fails.\n"
	"--F\n"
	"Content-Type: message/rfc822\n"
	"\n"
	"From: MAILER-DAEMON@example.com\n"
	"Subject: Undelivered Mail Returned to Sender\n"
	"Content-Type: multipart/report; report-type=delivery-status; boundary=\"R\"\n"
	"\n"
	"--R\n"
	"Content-Type: message/delivery-status\n"
	"\n"
	"Final-Recipient: rfc822; kunde@example.net\n"
	"Action: failed\n"
	"Status: 5.1.1\n"
	"--R--\n"
	"--F--\n";
	static const char broken[] =
	"From: MAILER-DAEMON@example.org\n"
	"Subject: Delivery Status Notification (Failure)\n"
	"MIME-Version: 1.0\n"
	"Content-Type: multipart/report; report-type=delivery-status; boundary=\"ab\"\n"
	"\n"
	"--AB\n"
	"Content-Type: text/plain\n"
	"\n"
	"Delivery to nina@example.org failed.\n"
	"--AB\n"
	"Content-Type: message/delivery-status\n"
	"\n"
	"Reporting-MTA: dns; mta.example.org\n"
	"\n"
	"Final-Recipient: rfc822; nina@example.org\n"
	"Action: failed\n"
	"Status: 5.2.1\n"
	"--AB--\n";
	dsn_report r;

	(void) state;
	analyze(fwd, sizeof(fwd) - 1, &r, 10);
	assert_int_equal(r.kind, DSN_KIND_NONE);
	assert_int_equal(r.nrcpt, 0);
	dsn_report_free(&r);
	analyze(broken, sizeof(broken) - 1, &r, 10);
	assert_int_equal(r.kind, DSN_KIND_DSN);
	assert_int_equal(r.nrcpt, 1);
	str_eq(r.rcpt[0].recipient, "nina@example.org");
	str_eq(r.rcpt[0].status, "5.2.1");
	dsn_report_free(&r);
}

/*
 * Without a usable boundary the delivery-status block is found by its
 * "delivery-status" line, in any case, among many other dashes; the text
 * may end right after a dash (an exact-size copy, so that a read past it
 * is seen).
 */
static void
broken_boundary__status_line_in_any_case_among_dashes(void **state)
{
	static const char *const types[] = {
		"message/delivery-status", "Message/Delivery-STATUS",
		"MESSAGE/DELIVERY-Status",
	};
	static const char *const tails[] = {"", "-", "-s", "-S", "x-", "--"};
	size_t  i, t, n;
	buf     m;
	char   *msg;
	dsn_report r;

	(void) state;
	for (i = 0; i < NELEM(types); i++) {
		for (t = 0; t < NELEM(tails); t++) {
			buf_init(&m);
			buf_printf(&m, "From: MAILER-DAEMON@example.org\n"
				   "Content-Type: multipart/report; boundary=\"ab\"\n\n"
				   "--AB\n\n- -s -S -x ---- delivery- -status\n"
				   "--AB\nContent-Type: %s\n\n"
				   "Final-Recipient: rfc822; nina@example.org\n"
				   "Action: failed\nStatus: 5.2.1\n--AB--\n%s",
				   types[i], tails[t]);
			msg = with_eol(m.data, m.len, EOL_LF, &n);
			analyze(msg, n, &r, 10);
			assert_int_equal(r.kind, DSN_KIND_DSN);
			assert_int_equal(r.nrcpt, 1);
			str_eq(r.rcpt[0].recipient, "nina@example.org");
			dsn_report_free(&r);
			free(msg);
			buf_free(&m);
		}
	}
}

/*
 * Without a usable boundary and without a delivery-status part the
 * message's own "report-type=delivery-status" line opens the block of
 * fields written right into its body; a message with no
 * "delivery-status" anywhere has no raw report (its one search finds
 * none for either kind of block).
 */
static void
broken_boundary__own_report_type_opens_the_block(void **state)
{
	static const char own[] =
	"From: MAILER-DAEMON@example.org\n"
	"Subject: Undelivered Mail\n"
	"Content-Type: multipart/report; report-type=delivery-status;\n"
	"\tboundary=\"zz\"\n"
	"\n"
	"Reporting-MTA: dns; mta.example.org\n"
	"\n"
	"Final-Recipient: rfc822; olga@example.org\n"
	"Action: failed\n"
	"Status: 5.1.1\n"
	"--\n"
	"Final-Recipient: rfc822; not-this@example.org\n";
	static const char none[] =
	"From: MAILER-DAEMON@example.org\n"
	"Content-Type: multipart/report; report-type=delivery-report;\n"
	"\tboundary=\"zz\"\n"
	"\n"
	"Final-Recipient: rfc822; olga@example.org\n"
	"Action: failed\n"
	"Status: 5.1.1\n";
	static const eol_kind eols[] = {EOL_LF, EOL_CRLF, EOL_CR};
	size_t  e, n;
	char   *msg;
	dsn_report r;

	(void) state;
	for (e = 0; e < NELEM(eols); e++) {
		msg = with_eol(own, sizeof(own) - 1, eols[e], &n);
		analyze(msg, n, &r, 10);
		assert_int_equal(r.kind, DSN_KIND_DSN);
		assert_int_equal(r.nrcpt, 1);
		str_eq(r.rcpt[0].recipient, "olga@example.org");
		str_eq(r.rcpt[0].status, "5.1.1");
		dsn_report_free(&r);
		free(msg);
		msg = with_eol(none, sizeof(none) - 1, eols[e], &n);
		analyze(msg, n, &r, 10);
		assert_int_not_equal(r.kind, DSN_KIND_DSN);
		dsn_report_free(&r);
		free(msg);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(analyze__multipart_report_in_lf_crlf_and_cr),
		cmocka_unit_test(analyze__base64_delivery_status_part_is_decoded),
		cmocka_unit_test(analyze__report_inside_mixed_not_the_enclosed_message),
		cmocka_unit_test(analyze__global_delivery_status_and_original_recipient_only),
		cmocka_unit_test(analyze__plain_message_is_no_report),
		cmocka_unit_test(analyze__feedback_report_is_kind_arf),
		cmocka_unit_test(analyze__feedback_recipients_from_every_header_source),
		cmocka_unit_test(analyze__status_from_a_multiline_reply_diagnostic),
		cmocka_unit_test(analyze__transcript_diagnostic_gives_the_failure_code),
		cmocka_unit_test(analyze__amazon_ses_json_notification_is_read),
		cmocka_unit_test(analyze__reply_code_from_the_notice_when_the_report_has_none),
		cmocka_unit_test(analyze__command_from_the_notice_when_a_rule_needs_it),
		cmocka_unit_test(analyze__returns_the_tree_when_asked),
		cmocka_unit_test(analyze__max_rcpt_caps_the_report),
		cmocka_unit_test(analyze__every_prefix_of_a_message_is_handled),
		cmocka_unit_test(analyze__empty_and_binary_input_is_no_report),
		cmocka_unit_test(corpus__postfix_01_procmail_failure),
		cmocka_unit_test(corpus__sendmail_02_two_recipients_in_every_line_ending),
		cmocka_unit_test(corpus__every_bsd_report_yields_vocabulary_words),
		cmocka_unit_test(forward_and_broken_boundary),
		cmocka_unit_test(broken_boundary__status_line_in_any_case_among_dashes),
		cmocka_unit_test(broken_boundary__own_report_type_opens_the_block),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
