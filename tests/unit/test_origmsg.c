/*
 * NAME
 *	test_origmsg - unit tests for the returned message's details and hops
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "buf.h"
#include "mime.h"
#include "origmsg.h"

#define CORPUS_GLOB	"/mail/maildir/bsd/*.eml"	/* under $CORPUS */

/* assert_clean - NULL, or valid UTF-8 without controls, capped */
static void
assert_clean(const char *s)
{
	const unsigned char *p = (const unsigned char *) s;
	size_t  i, len, k;

	if (s == NULL)
		return;
	assert_true(strlen(s) <= ORIG_FIELD_MAX);
	for (i = 0; p[i]; i += len) {
		len = p[i] < 0x80 ? 1 : p[i] >= 0xF0 ? 4 : p[i] >= 0xE0 ? 3 : 2;
		if (len == 1)
			assert_true(p[i] >= 0x20 && p[i] != 0x7F);
		else
			assert_true(p[i] >= 0xC2 && p[i] <= 0xF4);
		for (k = 1; k < len; k++)
			assert_int_equal(p[i + k] & 0xC0, 0x80);
	}
}

/* assert_msg_clean - every string of m */
static void
assert_msg_clean(const orig_msg *m)
{
	size_t  i;

	assert_clean(m->subject);
	assert_clean(m->from);
	assert_clean(m->to);
	assert_clean(m->date);
	assert_clean(m->message_id);
	for (i = 0; i < m->nhops; i++) {
		assert_clean(m->hops[i].from);
		assert_clean(m->hops[i].by);
		assert_clean(m->hops[i].with);
		assert_clean(m->hops[i].time);
		assert_true(!m->hops[i].has_delay || m->hops[i].delay >= 0);
	}
}

/* extract - parse msg and extract; returns origmsg_extract's result */
static int
extract(const char *msg, size_t max_hops, orig_msg *m)
{
	mime_part *root;
	int     rc;

	assert_int_equal(mime_parse(msg, strlen(msg), NULL, &root), MIME_OK);
	rc = origmsg_extract(msg, strlen(msg), root, max_hops, m);
	mime_free(root);
	assert_msg_clean(m);
	return (rc);
}

#define REPORT_HEAD \
	"From: MAILER-DAEMON@mx.example.com\r\n" \
	"Subject: Undelivered Mail Returned to Sender\r\n" \
	"MIME-Version: 1.0\r\n" \
	"Content-Type: multipart/report; report-type=delivery-status;\r\n" \
	"\tboundary=\"BB\"\r\n" \
	"\r\n" \
	"--BB\r\n" \
	"Content-Type: text/plain\r\n" \
	"\r\n" \
	"Your message could not be delivered.\r\n" \
	"--BB\r\n" \
	"Content-Type: message/delivery-status\r\n" \
	"\r\n" \
	"Reporting-MTA: dns; mx.example.com\r\n" \
	"\r\n" \
	"Final-Recipient: rfc822; nobody@example.org\r\n" \
	"Action: failed\r\n" \
	"Status: 5.1.1\r\n"

#define RETURNED_HEADERS \
	"Received: from mx.example.com (mx.example.com [192.0.2.3])\r\n" \
	"\tby mx.example.org (Postfix) with ESMTP id C\r\n" \
	"\tfor <nobody@example.org>; Thu, 29 Apr 2013 23:45:48 +0900 (JST)\r\n" \
	"Received: from relay.example.com (relay.example.com [192.0.2.2])\r\n" \
	"\tby mx.example.com (Postfix) with ESMTPS id B;\r\n" \
	"\tThu, 29 Apr 2013 14:46:45 +0000\r\n" \
	"Received: from [10.0.0.1] (client.example.com [192.0.2.1])\r\n" \
	"\tby relay.example.com (Postfix) with ESMTPSA id A;\r\n" \
	"\tThu, 29 Apr 2013 23:45:45 +0900\r\n" \
	"From: =?UTF-8?Q?J=C3=BCrgen?= <j@example.com>\r\n" \
	"To: nobody@example.org\r\n" \
	"Subject: =?ISO-8859-1?Q?Gr=FC=DFe?=\r\n" \
	" =?UTF-8?B?YXVz?=\r\n" \
	"Date: Thu, 29 Apr 2013 23:45:44 +0900\r\n" \
	"Message-ID: <abc@example.com>\r\n"

static void
extract__message_rfc822__gives_details_and_hops(void **state)
{
	const char *msg = REPORT_HEAD
	"--BB\r\n"
	"Content-Type: message/rfc822\r\n"
	"\r\n"
	RETURNED_HEADERS
	"\r\n"
	"Body text. Subject: not this\r\n"
	"--BB--\r\n";
	orig_msg m;

	(void) state;
	assert_int_equal(extract(msg, 10, &m), 0);
	assert_string_equal(m.subject, "Gr\xC3\xBC\xC3\x9F" "eaus");
	assert_string_equal(m.from, "J\xC3\xBCrgen <j@example.com>");
	assert_string_equal(m.to, "nobody@example.org");
	assert_string_equal(m.date, "Thu, 29 Apr 2013 23:45:44 +0900");
	assert_string_equal(m.message_id, "<abc@example.com>");
	assert_int_equal(m.nhops, 3);
	assert_string_equal(m.hops[0].from, "[10.0.0.1] [192.0.2.1]");
	assert_string_equal(m.hops[0].by, "relay.example.com");
	assert_string_equal(m.hops[0].with, "ESMTPSA");
	assert_string_equal(m.hops[0].time, "Thu, 29 Apr 2013 23:45:45 +0900");
	assert_true(m.hops[0].has_epoch);
	assert_false(m.hops[0].has_delay);
	assert_string_equal(m.hops[1].from, "relay.example.com [192.0.2.2]");
	assert_true(m.hops[1].has_delay);
	assert_int_equal(m.hops[1].delay, 60);
	assert_string_equal(m.hops[2].by, "mx.example.org");
	assert_string_equal(m.hops[2].time,
			    "Thu, 29 Apr 2013 23:45:48 +0900 (JST)");
	assert_true(m.hops[2].has_delay);
	assert_int_equal(m.hops[2].delay, 0);	/* -57 s, clamped */
	origmsg_free(&m);
	assert_null(m.subject);
	assert_null(m.hops);
}

static void
extract__base64_rfc822_headers__are_decoded(void **state)
{
	const char *msg = REPORT_HEAD
	"--BB\r\n"
	"Content-Type: text/rfc822-headers\r\n"
	"Content-Transfer-Encoding: base64\r\n"
	"\r\n"
	/* "Subject: hi\r\nTo: a@b\r\nReceived: by x; 1 Jan 2000 00:00 +0000\r\n" */
	"U3ViamVjdDogaGkNClRvOiBhQGINClJlY2VpdmVkOiBieSB4OyAxIEphbiAy\r\n"
	"MDAwIDAwOjAwICswMDAwDQo=\r\n"
	"--BB--\r\n";
	orig_msg m;

	(void) state;
	assert_int_equal(extract(msg, 10, &m), 0);
	assert_string_equal(m.subject, "hi");
	assert_string_equal(m.to, "a@b");
	assert_null(m.from);
	assert_int_equal(m.nhops, 1);
	assert_string_equal(m.hops[0].by, "x");
	assert_true(m.hops[0].has_epoch);
	assert_int_equal(m.hops[0].epoch, 946684800);
	origmsg_free(&m);
}

static void
extract__qp_rfc822_headers__are_decoded(void **state)
{
	const char *msg = REPORT_HEAD
	"--BB\r\n"
	"Content-Type: text/rfc822-headers\r\n"
	"Content-Transfer-Encoding: quoted-printable\r\n"
	"\r\n"
	"\r\n"
	"Subject: a=3Db very long subject that was wrapped by a soft line =\r\n"
	"break\r\n"
	"--BB--\r\n";
	orig_msg m;

	(void) state;
	assert_int_equal(extract(msg, 10, &m), 0);
	assert_string_equal(m.subject, "a=b very long subject that was "
			    "wrapped by a soft line break");
	assert_int_equal(m.nhops, 0);
	assert_null(m.hops);
	origmsg_free(&m);
}

static void
extract__message_global__raw_utf8_is_kept(void **state)
{
	const char *msg = REPORT_HEAD
	"--BB\r\n"
	"Content-Type: message/global\r\n"
	"\r\n"
	"Subject: \xE7\x8C\xAB and \xFF\r\n"
	"\r\n"
	"--BB--\r\n";
	orig_msg m;

	(void) state;
	assert_int_equal(extract(msg, 10, &m), 0);
	assert_string_equal(m.subject, "\xE7\x8C\xAB and \xEF\xBF\xBD");
	origmsg_free(&m);
}

static void
extract__base64_message_part__is_decoded(void **state)
{
	const char *msg = REPORT_HEAD
	"--BB\r\n"
	"Content-Type: message/rfc822\r\n"
	"Content-Transfer-Encoding: base64\r\n"
	"\r\n"
	"U3ViamVjdDogaGkNClRvOiBhQGINClJlY2VpdmVkOiBieSB4OyAxIEphbiAy\r\n"
	"MDAwIDAwOjAwICswMDAwDQo=\r\n"
	"--BB--\r\n";
	orig_msg m;

	(void) state;
	assert_int_equal(extract(msg, 10, &m), 0);
	assert_string_equal(m.subject, "hi");
	assert_int_equal(m.nhops, 1);
	origmsg_free(&m);
}

static void
extract__message_part__wins_over_earlier_header_part(void **state)
{
	const char *msg = REPORT_HEAD
	"--BB\r\n"
	"Content-Type: text/rfc822-headers\r\n"
	"\r\n"
	"Subject: from the header part\r\n"
	"--BB\r\n"
	"Content-Type: message/rfc822\r\n"
	"\r\n"
	"Subject: from the message part\r\n"
	"\r\n"
	"body\r\n"
	"--BB--\r\n";
	orig_msg m;

	(void) state;
	assert_int_equal(extract(msg, 10, &m), 0);
	assert_string_equal(m.subject, "from the message part");
	origmsg_free(&m);
}

static void
extract__enclosed_message__is_not_searched_further(void **state)
{
	const char *msg =
	"Content-Type: multipart/mixed; boundary=\"X\"\r\n"
	"\r\n"
	"--X\r\n"
	"Content-Type: text/plain\r\n"
	"\r\n"
	"bounce text\r\n"
	"--X\r\n"
	"Content-Type: message/rfc822\r\n"
	"\r\n"
	"Content-Type: multipart/mixed; boundary=\"Y\"\r\n"
	"\r\n"
	"--Y\r\n"
	"Content-Type: message/rfc822\r\n"
	"\r\n"
	"Subject: inner\r\n"
	"\r\n"
	"--Y--\r\n"
	"--X--\r\n";
	orig_msg m;

	(void) state;
	assert_int_equal(extract(msg, 10, &m), 0);
	assert_null(m.subject);
	origmsg_free(&m);
}

static void
extract__no_returned_message__gives_all_null(void **state)
{
	const char *msg = REPORT_HEAD "--BB--\r\n";
	orig_msg m;

	(void) state;
	memset(&m, 0x55, sizeof(m));
	assert_int_equal(extract(msg, 10, &m), 0);
	assert_null(m.subject);
	assert_null(m.from);
	assert_null(m.to);
	assert_null(m.date);
	assert_null(m.message_id);
	assert_null(m.hops);
	assert_int_equal(m.nhops, 0);
	origmsg_free(&m);
	assert_int_equal(origmsg_extract("", 0, NULL, 10, &m), 0);
	assert_null(m.subject);
}

static void
extract__more_hops_than_max__keeps_the_oldest(void **state)
{
	const char *msg = REPORT_HEAD
	"--BB\r\n"
	"Content-Type: message/rfc822\r\n"
	"\r\n"
	"Received: by h5; 1 Jan 2000 00:00:05 +0000\r\n"
	"Received: by h4; 1 Jan 2000 00:00:04 +0000\r\n"
	"Received: by h3; 1 Jan 2000 00:00:03 +0000\r\n"
	"Received: by h2; 1 Jan 2000 00:00:02 +0000\r\n"
	"Received: by h1; 1 Jan 2000 00:00:00 +0000\r\n"
	"Subject: s\r\n"
	"\r\n"
	"--BB--\r\n";
	orig_msg m;

	(void) state;
	assert_int_equal(extract(msg, 2, &m), 0);
	assert_int_equal(m.nhops, 2);
	assert_string_equal(m.hops[0].by, "h1");
	assert_string_equal(m.hops[1].by, "h2");
	assert_int_equal(m.hops[1].delay, 2);
	origmsg_free(&m);
	assert_int_equal(extract(msg, 0, &m), 0);
	assert_int_equal(m.nhops, 0);
	assert_string_equal(m.subject, "s");
	origmsg_free(&m);
}

static void
extract__hostile_fields__are_cleaned_and_capped(void **state)
{
	static const char head[] = REPORT_HEAD
	"--BB\r\n"
	"Content-Type: message/rfc822\r\n"
	"\r\n"
	"Subject: =?utf-8?q?x=0D=0ABcc:_evil=00=3Cscript=3E?=\r\n"
	"To: caf\xE9 \x1B[2J\r\n"
	"Message-ID: <a\x7F" "b>\r\n"
	"From: ";
	buf     b;
	orig_msg m;
	size_t  i;

	(void) state;
	buf_init(&b);
	buf_puts(&b, head);
	for (i = 0; i < 5000; i++)
		buf_puts(&b, "\xE2\x82\xAC");
	buf_puts(&b, "\r\n\r\n--BB--\r\n");
	assert_int_equal(extract(b.data, 10, &m), 0);
	assert_string_equal(m.subject, "x  Bcc: evil <script>");
	assert_string_equal(m.to, "caf\xEF\xBF\xBD  [2J");
	assert_string_equal(m.message_id, "<a b>");
	assert_true(strlen(m.from) <= ORIG_FIELD_MAX);
	assert_true(strlen(m.from) > ORIG_FIELD_MAX - 6);
	assert_string_equal(m.from + strlen(m.from) - 3, "...");
	origmsg_free(&m);
	buf_free(&b);
}

typedef struct rcv_case {
	const char *name;
	const char *in;
	const char *from, *by, *with, *time;
	int     has_epoch;
} rcv_case;

static const rcv_case rcv[] = {
	{"postfix", "from mail.example.org (mail.example.org [192.0.2.1])\r\n"
		"\tby mx.example.com (Postfix) with ESMTPS id ABC\r\n\tfor "
		"<a@b>; Thu, 29 Apr 2013 23:45:45 +0900 (JST)",
		"mail.example.org [192.0.2.1]", "mx.example.com", "ESMTPS",
	"Thu, 29 Apr 2013 23:45:45 +0900 (JST)", 1},
	{"qmail invoked", "(qmail 123 invoked by uid 910); 29 Apr 2013 "
		"04:00:00 -0000", NULL, NULL, NULL, "29 Apr 2013 04:00:00 -0000", 1},
	{"qmail bare address comment", "from 127.0.0.1 (EHLO mx8.example.com) "
		"(192.0.2.8) by mta.example.com with SMTP; Thu, 29 Apr 2013 "
		"23:45:06 -0800", "127.0.0.1 [192.0.2.8]", "mta.example.com",
	"SMTP", "Thu, 29 Apr 2013 23:45:06 -0800", 1},
	{"exim literal", "from [192.0.2.1] (helo=x.example) by mx.example with "
		"esmtp (Exim 4.92) (envelope-from <a@b>) id 1a-2; Thu, 29 Apr "
		"2013 23:45:06 +0000", "[192.0.2.1]", "mx.example", "esmtp",
	"Thu, 29 Apr 2013 23:45:06 +0000", 1},
	{"microsoft several with words", "from A.example (2603:10b6::1) by "
		"B.example (10.0.0.1) with Microsoft SMTP Server (version=TLS1_2, "
		"cipher=X) id 15.20.1; Fri, 25 May 2018 08:21:13 +0000",
		"A.example [2603:10b6::1]", "B.example", "Microsoft SMTP Server",
	"Fri, 25 May 2018 08:21:13 +0000", 1},
	{"literal after the name", "from host [192.0.2.120] by f0.example - "
		"Filter ; Thu, 20 Apr 2008 23:34:45 +0900", "host [192.0.2.120]",
	"f0.example", NULL, "Thu, 20 Apr 2008 23:34:45 +0900", 1},
	{"date without semicolon", "by mx9.example.jp (Postfix, from userid "
		"525) id 0000 Thu, 20 Apr 2008 23:34:45 +0900 (JST)", NULL,
		"mx9.example.jp", NULL, "Thu, 20 Apr 2008 23:34:45 +0900 (JST)",
	1},
	{"no semicolon, no date", "from a by b with smtp id x", "a", "b",
	"smtp", NULL, 0},
	{"keywords in nested comments ignored", "from a (x (by evil; with "
		"bad) [192.0.2.9]) by good (y; z) with smtp; 1 Jan 2000 00:00 +0000",
		"a [192.0.2.9]", "good", "smtp", "1 Jan 2000 00:00 +0000", 1},
	{"unterminated comment swallows the rest", "from a (x by b; 1 Jan 2000 "
	"00:00 +0000", "a", NULL, NULL, NULL, 0},
	{"semicolon in quoted string", "from a by b with \"x;y\"; 1 Jan 2000 "
	"00:00 +0000", "a", "b", "\"x;y\"", "1 Jan 2000 00:00 +0000", 1},
	{"stray close paren", "from a) by b; 1 Jan 2000 00:00 +0000", "a", "b",
	NULL, "1 Jan 2000 00:00 +0000", 1},
	{"keywords in any case", "FROM a BY b WITH smtp; 1 Jan 2000 00:00 +0000",
	"a", "b", "smtp", "1 Jan 2000 00:00 +0000", 1},
	{"unparsable date kept as text", "by b; sometime yesterday", NULL, "b",
	NULL, "sometime yesterday", 0},
	{"empty after semicolon", "by b;  ", NULL, "b", NULL, NULL, 0},
	{"bracket in comment that is not an address", "from a (see [this one]) "
	"by b", "a", "b", NULL, NULL, 0},
	{"control characters cleaned", "from ev\x01il by x\x7Fy; 1 Jan 2000 "
	"00:00 +0000\r\n", "ev il", "x y", NULL, "1 Jan 2000 00:00 +0000", 1},
	{"empty", "", NULL, NULL, NULL, NULL, 0},
	{"only keywords", "from by with", NULL, NULL, NULL, NULL, 0},
};

/* assert_str - both NULL, or equal */
static void
assert_str(const char *name, const char *got, const char *want)
{
	if (want == NULL && got == NULL)
		return;
	if (want == NULL || got == NULL || strcmp(got, want) != 0)
		fail_msg("%s: got \"%s\", want \"%s\"", name,
			 got ? got : "(null)", want ? want : "(null)");
}

static void
received__table__gives_hop_parts(void **state)
{
	orig_hop h;
	size_t  i;

	(void) state;
	for (i = 0; i < sizeof(rcv) / sizeof(rcv[0]); i++) {
		assert_int_equal(origmsg_received(rcv[i].in, strlen(rcv[i].in),
						  &h), 0);
		assert_str(rcv[i].name, h.from, rcv[i].from);
		assert_str(rcv[i].name, h.by, rcv[i].by);
		assert_str(rcv[i].name, h.with, rcv[i].with);
		assert_str(rcv[i].name, h.time, rcv[i].time);
		if (h.has_epoch != rcv[i].has_epoch)
			fail_msg("%s: has_epoch %d", rcv[i].name, h.has_epoch);
		free(h.from);
		free(h.by);
		free(h.with);
		free(h.time);
	}
}

static void
received__huge_and_deep__is_bounded(void **state)
{
	size_t  n = 200000, i;
	char   *in = malloc(n);
	orig_hop h;

	(void) state;
	assert_non_null(in);
	memcpy(in, "from ", 5);
	for (i = 5; i < n; i++)
		in[i] = i < n / 2 ? 'a' : "(((by "[i % 6];
	assert_int_equal(origmsg_received(in, n, &h), 0);
	assert_non_null(h.from);
	assert_true(strlen(h.from) <= 255);
	assert_null(h.by);
	free(h.from);
	free(h.by);
	free(h.with);
	free(h.time);
	free(in);
}

#define PLAIN_HEAD \
	"From: MAILER-DAEMON@mx.example.com\n" \
	"Subject: Mail delivery failed\n" \
	"\n" \
	"This message was created automatically by mail delivery software.\n" \
	"\n" \
	"  nobody@example.org\n" \
	"    550 5.1.1 user unknown\n" \
	"\n"

static void
extract__header_quoted_in_notice__gives_details_and_hops(void **state)
{
	const char *msg = PLAIN_HEAD
	"------ This is a copy of the message, including all the headers.\n"
	"\n"
	"Return-path: <j@example.com>\n"
	"Received: from client.example.com ([192.0.2.1])\n"
	"\tby mx.example.com with esmtp id A\n"
	"\tfor nobody@example.org; Thu, 29 Apr 2013 23:45:45 +0900\n"
	"From: J <j@example.com>\n"
	"To: nobody@example.org\n"
	"Subject: quoted\n"
	"Message-Id: <q@example.com>\n"
	"\n"
	"Subject: a body line, not the header\n";
	orig_msg m;

	(void) state;
	assert_int_equal(extract(msg, 10, &m), 0);
	assert_string_equal(m.subject, "quoted");
	assert_string_equal(m.to, "nobody@example.org");
	assert_string_equal(m.message_id, "<q@example.com>");
	assert_int_equal(m.nhops, 1);
	assert_string_equal(m.hops[0].by, "mx.example.com");
	origmsg_free(&m);
}

static void
extract__notice_own_fields__are_not_a_header(void **state)
{
	/* indented, too few, or without two key fields: not a header */
	const char *msg = PLAIN_HEAD
	"Your message\n"
	"  To: nobody@example.org\n"
	"  Subject: indented\n"
	"  Sent: Thu, 29 Apr 2013 23:45:45 +0900\n"
	"\n"
	"Subject: alone\n"
	"Date: Thu, 29 Apr 2013 23:45:45 +0900\n"
	"\n"
	"Reporting-MTA: dns; mx.example.com\n"
	"Final-Recipient: rfc822; nobody@example.org\n"
	"Action: failed\n"
	"Subject: one key field only\n";
	orig_msg m;

	(void) state;
	assert_int_equal(extract(msg, 10, &m), 0);
	assert_null(m.subject);
	assert_null(m.to);
	assert_int_equal(m.nhops, 0);
	origmsg_free(&m);
}

static void
extract__quoted_header_in_qp_notice__is_decoded(void **state)
{
	const char *msg =
	"From: MAILER-DAEMON@mx.example.com\r\n"
	"MIME-Version: 1.0\r\n"
	"Content-Type: multipart/mixed; boundary=\"B\"\r\n"
	"\r\n"
	"--B\r\n"
	"Content-Type: text/plain; charset=us-ascii\r\n"
	"Content-Transfer-Encoding: quoted-printable\r\n"
	"\r\n"
	"Delivery has failed.\r\n"
	"Original message headers:\r\n"
	"\r\n"
	"From: J <j@exa=\r\n"
	"mple.com>\r\n"
	"Subject: =3D soft\r\n"
	"Date: Thu, 29 Apr 2013 23:45:44 +0900\r\n"
	"--B--\r\n";
	orig_msg m;

	(void) state;
	assert_int_equal(extract(msg, 10, &m), 0);
	assert_string_equal(m.from, "J <j@example.com>");
	assert_string_equal(m.subject, "= soft");
	origmsg_free(&m);
}

static void
corpus__every_bounce__gives_clean_details(void **state)
{
	glob_t  g;
	char    pat[4096];
	const char *dir;
	size_t  i, n, with_subject = 0, with_hops = 0;
	char   *msg;
	FILE   *fp;
	mime_part *root;
	orig_msg m;

	(void) state;
	if ((dir = getenv("CORPUS")) == NULL
	    || snprintf(pat, sizeof(pat), "%s%s", dir, CORPUS_GLOB)
	    >= (int) sizeof(pat)
	    || glob(pat, 0, NULL, &g) != 0 || g.gl_pathc == 0) {
		if (dir != NULL)
			globfree(&g);
		skip();
	}
	msg = malloc(1 << 22);
	assert_non_null(msg);
	for (i = 0; i < g.gl_pathc; i++) {
		assert_non_null(fp = fopen(g.gl_pathv[i], "rb"));
		n = fread(msg, 1, 1 << 22, fp);
		fclose(fp);
		assert_int_equal(mime_parse(msg, n, NULL, &root), MIME_OK);
		assert_int_equal(origmsg_extract(msg, n, root, 20, &m), 0);
		assert_msg_clean(&m);
		assert_true(m.nhops <= 20);
		with_subject += m.subject != NULL;
		with_hops += m.nhops > 0;
		origmsg_free(&m);
		mime_free(root);
	}
	/*
	 * 256 bounces: about 150 hold the returned message as a part and
	 * about 75 more quote it in the notice (checked by eye).
	 */
	assert_true(with_subject * 4 > g.gl_pathc * 3);
	assert_true(with_hops * 4 > g.gl_pathc * 3);
	free(msg);
	globfree(&g);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(extract__message_rfc822__gives_details_and_hops),
		cmocka_unit_test(extract__base64_rfc822_headers__are_decoded),
		cmocka_unit_test(extract__qp_rfc822_headers__are_decoded),
		cmocka_unit_test(extract__message_global__raw_utf8_is_kept),
		cmocka_unit_test(extract__base64_message_part__is_decoded),
		cmocka_unit_test(extract__message_part__wins_over_earlier_header_part),
		cmocka_unit_test(extract__enclosed_message__is_not_searched_further),
		cmocka_unit_test(extract__no_returned_message__gives_all_null),
		cmocka_unit_test(extract__header_quoted_in_notice__gives_details_and_hops),
		cmocka_unit_test(extract__notice_own_fields__are_not_a_header),
		cmocka_unit_test(extract__quoted_header_in_qp_notice__is_decoded),
		cmocka_unit_test(extract__more_hops_than_max__keeps_the_oldest),
		cmocka_unit_test(extract__hostile_fields__are_cleaned_and_capped),
		cmocka_unit_test(received__table__gives_hop_parts),
		cmocka_unit_test(received__huge_and_deep__is_bounded),
		cmocka_unit_test(corpus__every_bounce__gives_clean_details),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
