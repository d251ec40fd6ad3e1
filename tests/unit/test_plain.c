/*
 * NAME
 *	test_plain - unit tests for plain.c
 * DESCRIPTION
 *	Plain-text bounces of the common shapes (qmail, Exim with
 *	X-Failed-Recipients, Sendmail transcripts, Gmail, web-mail prose)
 *	give their failed recipients in order with the text that explains
 *	each; LF, CRLF and CR-only copies read alike; senders, contacts and
 *	URLs are not recipients; embedded delivery-status blocks and the
 *	returned message's To are used when the prose names nobody; what a
 *	message is (bounce, auto-reply, other) comes from its headers; and
 *	hostile input (huge lines, NUL bytes, thousands of addresses) stays
 *	bounded.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "patterns.h"
#include "plain.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* with_eol - msg with every "\n" replaced by eol, in a buf */
static void
with_eol(const char *msg, const char *eol, buf *out)
{
	const char *p;

	buf_init(out);
	for (p = msg; *p; p++) {
		if (*p == '\n')
			buf_puts(out, eol);
		else
			buf_putc(out, *p);
	}
	assert_false(out->failed);
}

typedef struct parsed {
	mime_part *root;
	dsn_report r;
	unsigned *cmds;
	int     n;
} parsed;

static void
parse(const char *msg, size_t len, parsed *p)
{
	mime_limits lim = MIME_LIMITS_DEFAULT;

	memset(p, 0, sizeof(*p));
	assert_int_equal(mime_parse(msg, len, &lim, &p->root), MIME_OK);
	dsn_report_init(&p->r);
	p->n = plain_notice(msg, len, p->root, 100, &p->r, &p->cmds);
	assert_true(p->n >= 0);
	assert_int_equal((size_t) p->n, p->r.nrcpt);
}

static void
done(parsed *p)
{
	free(p->cmds);
	dsn_report_free(&p->r);
	mime_free(p->root);
}

static const char qmail[] =
"From: MAILER-DAEMON@mx.example.jp\n"
"Subject: failure notice\n"
"\n"
"Hi. This is the qmail-send program at mx.example.jp.\n"
"I'm afraid I wasn't able to deliver your message to the following addresses.\n"
"This is a permanent error; I've given up. Sorry it didn't work out.\n"
"\n"
"<kijitora@example.org>:\n"
"192.0.2.1 does not like recipient.\n"
"Remote host said: 550 5.1.1 <kijitora@example.org>... User unknown\n"
"Giving up on 192.0.2.1.\n"
"\n"
"<mikeneko@example.org>:\n"
"Connected to 192.0.2.1 but sender was rejected.\n"
"Remote host said: 553 sorry, <sender@example.jp> is not allowed\n"
"\n"
"--- Below this line is a copy of the message.\n"
"\n"
"Return-Path: <sender@example.jp>\n"
"To: someone-else@example.net\n"
"\n"
"hello\n";

static void
qmail__each_recipient_gets_its_own_text_in_any_line_ending(void **state)
{
	static const char *const eols[] = {"\n", "\r\n", "\r"};
	size_t  i;

	(void) state;
	for (i = 0; i < NELEM(eols); i++) {
		buf     m;
		parsed  p;

		with_eol(qmail, eols[i], &m);
		parse(m.data, m.len, &p);
		assert_int_equal(p.n, 2);
		assert_string_equal(p.r.rcpt[0].recipient, "kijitora@example.org");
		assert_string_equal(p.r.rcpt[0].action, "failed");
		assert_non_null(strstr(p.r.rcpt[0].diagnostic,
				       "550 5.1.1 <kijitora@example.org>... User unknown"));
		assert_null(strstr(p.r.rcpt[0].diagnostic, "mikeneko"));
		assert_int_equal(p.cmds[0], PAT_CMD_RCPT);
		assert_string_equal(p.r.rcpt[1].recipient, "mikeneko@example.org");
		assert_non_null(strstr(p.r.rcpt[1].diagnostic, "553 sorry"));
		assert_null(strstr(p.r.rcpt[1].diagnostic, "Return-Path"));
		assert_int_equal(p.cmds[1], PAT_CMD_MAIL);
		done(&p);
		buf_free(&m);
	}
}

static const char exim[] =
"From: Mail Delivery System <Mailer-Daemon@mx.example.org>\n"
"Subject: Mail delivery failed: returning message to sender\n"
"X-Failed-Recipients: kijitora@example.jp, sabatora@example.jp\n"
"\n"
"This message was created automatically by mail delivery software.\n"
"\n"
"A message sent by\n"
"\n"
"  <shironeko@example.org>\n"
"\n"
"could not be delivered to one or more of its recipients. The following\n"
"address(es) failed:\n"
"\n"
"  kijitora\n"
"    SMTP error from remote mail server after MAIL FROM:<shironeko@example.org>:\n"
"    host mx.example.jp [192.0.2.2]: 550 5.7.1 Please use the smtp server of your ISP\n"
"  sabatora@example.jp\n"
"    SMTP error from remote mail server after RCPT TO:<sabatora@example.jp>:\n"
"    host mx.example.jp [192.0.2.2]: 550 5.1.1 <sabatora@example.jp>:\n"
"    User unknown\n"
"\n"
"------ This is a copy of the message, including all the headers. ------\n"
"To: kijitora@example.jp\n";

static void
exim__x_failed_recipients_give_the_list_and_bare_local_parts_match(void **state)
{
	parsed  p;

	(void) state;
	parse(exim, strlen(exim), &p);
	assert_int_equal(p.n, 2);
	assert_string_equal(p.r.rcpt[0].recipient, "kijitora@example.jp");
	assert_non_null(strstr(p.r.rcpt[0].diagnostic, "Please use the smtp server"));
	assert_int_equal(p.cmds[0], PAT_CMD_MAIL);
	assert_string_equal(p.r.rcpt[1].recipient, "sabatora@example.jp");
	/* the repeated address inside the text continues the same block */
	assert_non_null(strstr(p.r.rcpt[1].diagnostic, "User unknown"));
	assert_int_equal(p.cmds[1], PAT_CMD_RCPT);
	done(&p);
}

static const char sendmail[] =
"From: Mail Delivery Subsystem <MAILER-DAEMON@example.com>\n"
"Subject: Returned mail: User unknown\n"
"\n"
"   ----- Transcript of session follows -----\n"
"While talking to mx.example.org:\n"
">>> RCPT To:<neko@example.org>\n"
"<<< 550 Requested mailbox not found\n"
"550 <neko@example.org>... User unknown\n"
"554 <tora@example.net>... 550 Host unknown (Authoritative answer from name server)\n"
"   ----- Unsent message follows -----\n";

static void
sendmail__transcript_lines_belong_to_the_recipient_after_them(void **state)
{
	parsed  p;

	(void) state;
	parse(sendmail, strlen(sendmail), &p);
	assert_int_equal(p.n, 2);
	assert_string_equal(p.r.rcpt[0].recipient, "neko@example.org");
	assert_non_null(strstr(p.r.rcpt[0].diagnostic,
			       ">>> RCPT To:<neko@example.org> <<< 550 Requested"));
	assert_int_equal(p.cmds[0], PAT_CMD_RCPT);
	assert_string_equal(p.r.rcpt[1].recipient, "tora@example.net");
	/* the remote server's code, not Sendmail's own 554, comes first */
	assert_true(strncmp(p.r.rcpt[1].diagnostic, "... 550 Host unknown", 20) == 0);
	done(&p);
}

static const char prose[] =
"From: postmaster@example.net\n"
"Subject: Undeliverable Mail\n"
"\n"
"For help contact <postmaster@example.net> or see\n"
"https://help.example.net/?user=nobody@example.net\n"
"Invalid final delivery userid: kijitora@example.com.\n"
"Original message follows.\n"
"To: other@example.com\n";

static void
prose__named_address_is_found_but_not_contacts_or_urls(void **state)
{
	parsed  p;

	(void) state;
	parse(prose, strlen(prose), &p);
	assert_int_equal(p.n, 1);
	assert_string_equal(p.r.rcpt[0].recipient, "kijitora@example.com");
	assert_non_null(strstr(p.r.rcpt[0].diagnostic,
			       "Invalid final delivery userid"));
	assert_int_equal(p.cmds[0], PAT_CMD_NONE);
	done(&p);
}

/* a session transcript: the accepted sender and the repeated recipient */
static const char transcript[] =
"From: MDaemon@mail.example.com\n"
"Subject: Permanent Delivery Failure\n"
"\n"
"The attached message had PERMANENT fatal delivery errors!\n"
"\n"
"--- Session Transcript ---\n"
" Mon 10:00:00: *  To: buyer@example.net\n"
" Mon 10:00:01: Attempting SMTP connection to [mx.example.net : 25]\n"
" Mon 10:00:01: <-- 220 mx.example.net ESMTP\n"
" Mon 10:00:02: --> MAIL From:<sender@example.com>\n"
" Mon 10:00:02: <-- 250 2.1.0 <sender@example.com>... Sender ok\n"
" Mon 10:00:02: --> RCPT To:<buyer@example.net>\n"
" Mon 10:00:02: <-- 250 2.1.5 <buyer@example.net>... Recipient ok\n"
" Mon 10:00:03: --> DATA\n"
" Mon 10:00:03: <-- 554 5.7.1 blocked: listed URL in the message\n"
"--- End Transcript ---\n";

static void
transcript__accepted_addresses_are_not_recipients_and_mentions_add_up(
    void **state)
{
	parsed  p;

	(void) state;
	parse(transcript, strlen(transcript), &p);
	assert_int_equal(p.n, 1);
	assert_string_equal(p.r.rcpt[0].recipient, "buyer@example.net");
	/* the reply after the last mention is in the diagnostic */
	assert_non_null(strstr(p.r.rcpt[0].diagnostic, "554 5.7.1 blocked"));
	done(&p);
}

/* GroupWise names the failed recipients by their local part only */
static const char groupwise[] =
"From: postmaster@example.org\n"
"Subject: Undeliverable: Site survey\n"
"Content-Type: multipart/mixed; boundary=\"b\"\n"
"\n"
"--b\n"
"Content-Type: text/plain\n"
"\n"
"The message that you sent was undeliverable to the following:\n"
"\trgomez (user not found)\n"
"\ttbaker (mailbox is full)\n"
"--b\n"
"Content-Type: message/rfc822\n"
"\n"
"From: sam@example.com\n"
"To: rgomez@example.org, ok@example.org\n"
"Cc: tbaker@example.org\n"
"Subject: Site survey\n"
"\n"
"hi\n"
"--b--\n";

static void
groupwise__local_parts_of_the_returned_to_and_cc_are_the_recipients(
    void **state)
{
	parsed  p;

	(void) state;
	parse(groupwise, strlen(groupwise), &p);
	assert_int_equal(p.n, 2);
	assert_string_equal(p.r.rcpt[0].recipient, "rgomez@example.org");
	assert_non_null(strstr(p.r.rcpt[0].diagnostic, "user not found"));
	assert_null(strstr(p.r.rcpt[0].diagnostic, "mailbox is full"));
	assert_string_equal(p.r.rcpt[1].recipient, "tbaker@example.org");
	assert_non_null(strstr(p.r.rcpt[1].diagnostic, "mailbox is full"));
	done(&p);
}

/* the same, the local part written in other case; UTF-8 text under an
 * unknown charset label is read as it is, not garbled */
static const char groupwise_case[] =
"From: postmaster@example.org\n"
"Subject: Undeliverable: Umfrage\n"
"Content-Type: multipart/mixed; boundary=\"b\"\n"
"\n"
"--b\n"
"Content-Type: text/plain; charset=unknown-8bit\n"
"\n"
"Die Nachricht war nicht zustellbar:\n"
"\tRGomez (Empf\xc3\xa4nger unbekannt)\n"
"--b\n"
"Content-Type: message/rfc822\n"
"\n"
"To: rgomez@example.org\n"
"Subject: Umfrage\n"
"\n"
"hi\n"
"--b--\n";

static void
groupwise__local_part_in_any_case_and_utf8_under_an_unknown_label(
    void **state)
{
	parsed  p;

	(void) state;
	parse(groupwise_case, strlen(groupwise_case), &p);
	assert_int_equal(p.n, 1);
	assert_string_equal(p.r.rcpt[0].recipient, "rgomez@example.org");
	assert_non_null(strstr(p.r.rcpt[0].diagnostic,
			       "Empf\xc3\xa4nger unbekannt"));
	done(&p);
}

/* an address named again: its later text adds up, the preamble once */
static const char repeated[] =
"From: Mail Delivery System <MAILER-DAEMON@mx.example.org>\n"
"Subject: Undelivered Mail Returned to Sender\n"
"\n"
"Delivery failed.\n"
"\n"
"victim@example.net\n"
"  mailbox full\n"
"other@example.net\n"
"  host unreachable\n"
"victim@example.net\n"
"  quota\n";

static void
repeated__later_mentions_add_their_text_but_not_the_preamble_again(
    void **state)
{
	parsed  p;
	const char *d, *first;

	(void) state;
	parse(repeated, strlen(repeated), &p);
	assert_int_equal(p.n, 2);
	assert_string_equal(p.r.rcpt[0].recipient, "victim@example.net");
	d = p.r.rcpt[0].diagnostic;
	assert_non_null(strstr(d, "mailbox full"));
	assert_non_null(strstr(d, "quota"));
	assert_non_null(first = strstr(d, "Delivery failed."));
	assert_null(strstr(first + 1, "Delivery failed."));
	assert_null(strstr(d, "host unreachable"));
	done(&p);
}

static const char multipart_to[] =
"From: MAILER-DAEMON@example.net\n"
"Subject: Delivery failure\n"
"Content-Type: multipart/mixed; boundary=\"b\"\n"
"\n"
"--b\n"
"Content-Type: text/plain\n"
"Content-Transfer-Encoding: quoted-printable\n"
"\n"
"Message could not be delivered to mobile.=20\n"
"Error: No valid recipients for this M=\n"
"M\n"
"--b\n"
"Content-Type: message/rfc822\n"
"\n"
"From: sender@example.org\n"
"To: 0000000000@mms.example.com\n"
"Subject: hi\n"
"\n"
"hi\n"
"--b--\n";

static void
fallback__returned_message_to_when_the_text_names_nobody(void **state)
{
	parsed  p;

	(void) state;
	parse(multipart_to, strlen(multipart_to), &p);
	assert_int_equal(p.n, 1);
	assert_string_equal(p.r.rcpt[0].recipient, "0000000000@mms.example.com");
	/* quoted-printable is decoded before reading */
	assert_non_null(strstr(p.r.rcpt[0].diagnostic,
			       "No valid recipients for this MM"));
	done(&p);
}

/* a notice only in HTML, that ends inside a tag */
static const char html_notice[] =
"From: MAILER-DAEMON@example.com\n"
"Subject: Undeliverable\n"
"Content-Type: multipart/alternative; boundary=\"b\"\n"
"\n"
"--b\n"
"Content-Type: text/html\n"
"\n"
"<p>Delivery has failed to:<BR><b>neko@example.jp</b></P>"
"<div>550 5.1.1 User unknown</div><span a=\"<x>\"> kept <i\n"
"--b--\n";

static void
html__tags_go_line_breaks_stay_and_an_open_tag_ends_the_text(void **state)
{
	mime_limits lim = MIME_LIMITS_DEFAULT;
	mime_part *root;
	buf     out;
	parsed  p;

	(void) state;
	assert_int_equal(mime_parse(html_notice, strlen(html_notice), &lim,
				    &root), MIME_OK);
	buf_init(&out);
	assert_int_equal(plain_text(html_notice, strlen(html_notice), root,
				    &out), 0);
	assert_string_equal(out.data, "Delivery has failed to: neko@example.jp"
			    " 550 5.1.1 User unknown \"> kept");
	buf_free(&out);
	mime_free(root);
	parse(html_notice, strlen(html_notice), &p);
	assert_int_equal(p.n, 1);
	assert_string_equal(p.r.rcpt[0].recipient, "neko@example.jp");
	done(&p);
}

static const char embedded[] =
"From: MAILER-DAEMON@example.com\n"
"Subject: Delivery Status Notification (Failure)\n"
"\n"
"An error occurred while trying to deliver the mail to the following\n"
"recipients: see below.\n"
"\n"
"Reporting-MTA: dns; mx.example.com\n"
"\n"
"Action: failed\n"
"Final-Recipient: rfc822; neko@example.jp\n"
"Status: 5.2.2\n";

static void
embedded__delivery_status_fields_in_the_text_are_parsed(void **state)
{
	parsed  p;

	(void) state;
	parse(embedded, strlen(embedded), &p);
	assert_int_equal(p.n, 1);
	assert_string_equal(p.r.rcpt[0].recipient, "neko@example.jp");
	assert_string_equal(p.r.rcpt[0].status, "5.2.2");
	assert_string_equal(p.r.reporting_mta, "mx.example.com");
	/* the prose before the block explains it */
	assert_non_null(strstr(p.r.rcpt[0].diagnostic, "An error occurred"));
	done(&p);
}

static const char delay[] =
"From: Mail Delivery Subsystem <mailer-daemon@googlemail.com>\n"
"Subject: Delivery Status Notification (Delay)\n"
"\n"
"THIS IS A WARNING MESSAGE ONLY.\n"
"Delivery to the following recipient has been delayed:\n"
"\n"
"     kijitora@example.com\n"
"\n"
"Message will be retried for 2 more day(s)\n";

static void
delay__warning_gives_action_delayed(void **state)
{
	parsed  p;

	(void) state;
	parse(delay, strlen(delay), &p);
	assert_int_equal(p.n, 1);
	assert_string_equal(p.r.rcpt[0].action, "delayed");
	done(&p);
}

/*
 * plain_supplement() finds what plain_notice() finds, recipient by
 * recipient (address, diagnostic, command), but gives the prose ones no
 * action: a delay warning is not looked for.  A delivery-status block in
 * the text keeps its Action.
 */
static void
supplement__same_recipients_and_commands_without_action(void **state)
{
	static const char *const msgs[] = {
		qmail, exim, sendmail, prose, transcript, groupwise,
		groupwise_case, repeated, multipart_to, html_notice, embedded,
		delay
	};
	size_t  i, k;

	(void) state;
	for (i = 0; i < NELEM(msgs); i++) {
		parsed  p;
		dsn_report s;
		unsigned *sc;
		int     n;

		parse(msgs[i], strlen(msgs[i]), &p);
		assert_true(p.n > 0);
		dsn_report_init(&s);
		n = plain_supplement(msgs[i], strlen(msgs[i]), p.root, 100, &s, &sc);
		assert_int_equal(n, p.n);
		assert_non_null(sc);
		for (k = 0; k < s.nrcpt; k++) {
			assert_string_equal(s.rcpt[k].recipient, p.r.rcpt[k].recipient);
			if (p.r.rcpt[k].diagnostic == NULL)
				assert_null(s.rcpt[k].diagnostic);
			else
				assert_string_equal(s.rcpt[k].diagnostic,
						    p.r.rcpt[k].diagnostic);
			assert_int_equal(sc[k], p.cmds[k]);
			if (msgs[i] == embedded)
				assert_string_equal(s.rcpt[k].action, "failed");
			else
				assert_null(s.rcpt[k].action);
		}
		if (msgs[i] == delay)
			assert_string_equal(p.r.rcpt[0].action, "delayed");
		free(sc);
		dsn_report_free(&s);
		done(&p);
	}
}

struct kind_case {
	const char *headers;
	int     kind;
};

static const struct kind_case kind_cases[] = {
	{"From: MAILER-DAEMON@example.org\nSubject: hello\n", PLAIN_BOUNCE},
	{"From: Mail Delivery System <x@example.org>\nSubject: x\n", PLAIN_BOUNCE},
	{"From: a@example.org\nSubject: Undeliverable: hi\n", PLAIN_BOUNCE},
	{"From: a@example.org\nSubject: =?utf-8?B?44Oh44O844Or44Ko44Op44O86YCa55+l?=\n",
	 PLAIN_BOUNCE},
	{"From: a@example.org\nX-Failed-Recipients: b@example.org\nSubject: x\n",
	 PLAIN_BOUNCE},
	/* Postfix marks its bounces auto-replied: still a bounce */
	{"From: MAILER-DAEMON@example.org (Mail Delivery System)\n"
	 "Auto-Submitted: auto-replied\nSubject: Undelivered Mail\n", PLAIN_BOUNCE},
	{"From: Neko <neko@example.org>\nSubject: Automatic reply: Nyaan\n",
	 PLAIN_AUTOREPLY},
	{"From: neko@example.org\nSubject: Out of Office\n", PLAIN_AUTOREPLY},
	{"From: neko@example.org\nAuto-Submitted: auto-replied\nSubject: Re: x\n",
	 PLAIN_AUTOREPLY},
	{"From: neko@example.org\nSubject: =?UTF-8?Q?AutoRespons?= :Nyaan\n",
	 PLAIN_AUTOREPLY},
	/* a mailing list that refused a looping message (fml) */
	{"From: list-admin@example.org\n"
	 "Subject: Loop Alert: Duplicated Message-ID (list)\n", PLAIN_BOUNCE},
	{"From: neko@example.org\nSubject: lunch?\n", PLAIN_OTHER},
	{"Subject: no from at all\n", PLAIN_OTHER},
	/* a mailer daemon decides, whatever the Subject and fields say */
	{"From: postmaster@example.org\nSubject: Fwd: hi\nX-Autoreply: yes\n"
	 "X-List-Administrivia: yes\n", PLAIN_BOUNCE},
	/* auto-replied, but the Subject or X-Failed-Recipients says bounce */
	{"From: neko@example.org\nAuto-Submitted: auto-replied\n"
	 "Subject: Undeliverable: hi\n", PLAIN_BOUNCE},
	{"From: neko@example.org\nAuto-Submitted: Auto-Replied\n"
	 "X-Failed-Recipients: b@example.org\nSubject: hi\n", PLAIN_BOUNCE},
	{"From: neko@example.org\nSubject: Fwd: Undelivered Mail\n", PLAIN_FORWARD},
	{"From: neko@example.org\nSubject: Fwd: Undelivered Mail\n"
	 "X-Failed-Recipients: b@example.org\n", PLAIN_BOUNCE},
	{"From: list-owner@example.org\nX-List-Administrivia: yes\n"
	 "Subject: Undeliverable\n", PLAIN_FORWARD},
	{"From: neko@example.org\nSubject: Please confirm your message\n"
	 "X-Autoreply: yes\n", PLAIN_OTHER},
	{"From: neko@example.org\nX-AutoReply: yes\nSubject: Undeliverable\n",
	 PLAIN_AUTOREPLY},
	/* the first field of a name counts; names of the same length differ */
	{"From: neko@example.org\nSubject: hi\nSubject: Undeliverable\n",
	 PLAIN_OTHER},
	{"FROM: neko@example.org\nFrom: MAILER-DAEMON@example.org\n", PLAIN_OTHER},
	{"From: neko@example.org\nX-Autoreplx: yes\nX-Failed-Recipientz: a@b.c\n"
	 "Auto-Submittex: auto-replied\nSubjecx: Undeliverable\n", PLAIN_OTHER},
	{"", PLAIN_OTHER},
};

static void
kind__headers_tell_bounces_auto_replies_and_others_apart(void **state)
{
	size_t  i;

	(void) state;
	for (i = 0; i < NELEM(kind_cases); i++) {
		mime_limits lim = MIME_LIMITS_DEFAULT;
		mime_part *root;
		char    msg[512];
		int     k;

		snprintf(msg, sizeof(msg), "%s\nbody\n", kind_cases[i].headers);
		assert_int_equal(mime_parse(msg, strlen(msg), &lim, &root), MIME_OK);
		k = plain_kind(msg, strlen(msg), root);
		if (k != kind_cases[i].kind)
			print_error("case %zu: kind %d, want %d\n", i, k,
				    kind_cases[i].kind);
		assert_int_equal(k, kind_cases[i].kind);
		mime_free(root);
	}
}

/*
 * A header with more fields than the index holds is read field by field:
 * the kind comes out the same.
 */
static void
kind__a_header_past_the_field_index_is_read_all_the_same(void **state)
{
	static const char *const last[] = {
		"From: MAILER-DAEMON@example.org\n",
		"From: neko@example.org\nSubject: Fwd: Undelivered Mail\n",
		"From: neko@example.org\nAuto-Submitted: auto-replied\n",
		"From: neko@example.org\nSubject: lunch?\n"
	};
	static const int want[] = {
		PLAIN_BOUNCE, PLAIN_FORWARD, PLAIN_AUTOREPLY, PLAIN_OTHER
	};
	size_t  i, k;

	(void) state;
	for (k = 0; k < NELEM(last); k++) {
		mime_limits lim = MIME_LIMITS_DEFAULT;
		mime_part *root;
		buf     m;

		buf_init(&m);
		for (i = 0; i < MIME_FIELDS_MAX + 10; i++)
			buf_printf(&m, "X-Filler-%zu: x\n", i);
		buf_printf(&m, "%s\nbody\n", last[k]);
		assert_false(m.failed);
		assert_int_equal(mime_parse(m.data, m.len, &lim, &root), MIME_OK);
		assert_true(root->fields_partial);
		assert_int_equal(plain_kind(m.data, m.len, root), want[k]);
		mime_free(root);
		buf_free(&m);
	}
}

static void
hostile__huge_line_nul_bytes_and_many_addresses_stay_bounded(void **state)
{
	buf     m;
	parsed  p;
	size_t  i;

	(void) state;
	buf_init(&m);
	buf_puts(&m, "From: MAILER-DAEMON@example.org\nSubject: failure notice\n\n");
	for (i = 0; i < 2 * 1024 * 1024; i++)	/* one 2 MB line */
		buf_putc(&m, (char) (i % 7 ? 'x' : 0));
	buf_puts(&m, "\n");
	for (i = 0; i < 3000; i++)
		buf_printf(&m, "<u%zu@example.org>: 550 no\n", i);
	assert_false(m.failed);
	parse(m.data, m.len, &p);
	/* at most max_rcpt (100) recipients; every diagnostic is capped */
	assert_int_equal(p.n, 100);
	assert_string_equal(p.r.rcpt[0].recipient, "u0@example.org");
	for (i = 0; i < p.r.nrcpt; i++)
		assert_true(p.r.rcpt[i].diagnostic == NULL
			    || strlen(p.r.rcpt[i].diagnostic) <= 2000);
	done(&p);
	buf_free(&m);
}

static void
hostile__empty_and_headerless_input_gives_nobody(void **state)
{
	static const char *const inputs[] = {"", "\n\n\n", "no headers at all",
	"From: MAILER-DAEMON@x\n\n@@@ a@ @b <@> <a@b> x@y.\n"};
	size_t  i;

	(void) state;
	for (i = 0; i < NELEM(inputs); i++) {
		parsed  p;

		parse(inputs[i], strlen(inputs[i]), &p);
		assert_int_equal(p.n, 0);
		done(&p);
	}
}

/*
 * A notice in a legacy charset is converted to UTF-8 (the rules are
 * UTF-8), one labelled US-ASCII or unlabelled is kept as it is.
 */
static void
charset__notice_in_a_legacy_charset_is_read_as_utf8(void **state)
{
	static const char latin1[] =
	"From: postmaster@example.de\n"
	"Subject: Unzustellbar\n"
	"Content-Type: text/plain; charset=ISO-8859-1\n"
	"Content-Transfer-Encoding: quoted-printable\n"
	"\n"
	"Die Nachricht wurde an folgende Empf=E4nger nicht zugestellt:\n"
	"\n"
	"  max@example.de\n"
	"    Postfach voll, Speicherplatz =FCberschritten\n";
	static const char koi8[] =
	"From: MAILER-DAEMON@example.ru\n"
	"Content-Type: text/plain; charset=koi8-r\n"
	"\n"
	"ivan@example.ru\n"
	"    \xf0\xcf\xcc\xd8\xda\xcf\xd7\xc1\xd4\xc5\xcc\xd8 \xce\xc5 "
	"\xce\xc1\xca\xc4\xc5\xce\n";
	static const char raw8[] =
	"From: MAILER-DAEMON@example.de\n"
	"Content-Type: text/plain; charset=us-ascii\n"
	"\n"
	"Empf\xc3\xa4nger: petra@example.de\n";
	parsed  p;

	(void) state;
	parse(latin1, sizeof(latin1) - 1, &p);
	assert_int_equal(p.n, 1);
	assert_non_null(strstr(p.r.rcpt[0].diagnostic,
			       "Speicherplatz \xc3\xbc" "berschritten"));
	done(&p);
	parse(koi8, sizeof(koi8) - 1, &p);
	assert_int_equal(p.n, 1);
	assert_non_null(strstr(p.r.rcpt[0].diagnostic,
			       "\xd0\x9f\xd0\xbe\xd0\xbb\xd1\x8c"));	/* "Поль" */
	done(&p);
	parse(raw8, sizeof(raw8) - 1, &p);
	assert_int_equal(p.n, 1);
	assert_string_equal(p.r.rcpt[0].recipient, "petra@example.de");
	done(&p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(qmail__each_recipient_gets_its_own_text_in_any_line_ending),
		cmocka_unit_test(html__tags_go_line_breaks_stay_and_an_open_tag_ends_the_text),
		cmocka_unit_test(exim__x_failed_recipients_give_the_list_and_bare_local_parts_match),
		cmocka_unit_test(sendmail__transcript_lines_belong_to_the_recipient_after_them),
		cmocka_unit_test(prose__named_address_is_found_but_not_contacts_or_urls),
		cmocka_unit_test(transcript__accepted_addresses_are_not_recipients_and_mentions_add_up),
		cmocka_unit_test(groupwise__local_parts_of_the_returned_to_and_cc_are_the_recipients),
		cmocka_unit_test(groupwise__local_part_in_any_case_and_utf8_under_an_unknown_label),
		cmocka_unit_test(repeated__later_mentions_add_their_text_but_not_the_preamble_again),
		cmocka_unit_test(fallback__returned_message_to_when_the_text_names_nobody),
		cmocka_unit_test(embedded__delivery_status_fields_in_the_text_are_parsed),
		cmocka_unit_test(delay__warning_gives_action_delayed),
		cmocka_unit_test(supplement__same_recipients_and_commands_without_action),
		cmocka_unit_test(kind__headers_tell_bounces_auto_replies_and_others_apart),
		cmocka_unit_test(kind__a_header_past_the_field_index_is_read_all_the_same),
		cmocka_unit_test(hostile__huge_line_nul_bytes_and_many_addresses_stay_bounded),
		cmocka_unit_test(hostile__empty_and_headerless_input_gives_nobody),
		cmocka_unit_test(charset__notice_in_a_legacy_charset_is_read_as_utf8),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
