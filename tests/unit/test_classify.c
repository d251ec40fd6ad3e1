/*
 * NAME
 *	test_classify - unit tests for classify.c
 * DESCRIPTION
 *	A table of (action, status, reply code, diagnostic) to (reason,
 *	owner) for the main codes and phrases; delays need nobody to act,
 *	success reports are "delivered"; every result is a vocabulary word;
 *	the vocabulary lookups and classify_owner_of().
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "classify.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

struct class_case {
	const char *action;
	const char *status;
	const char *reply;
	const char *diag;
	const char *reason;
	const char *owner;
};

static const struct class_case class_cases[] = {
	/* the status code alone */
	{"failed", "5.1.1", NULL, NULL, "userunknown", "sender"},
	{"failed", "5.1.2", NULL, NULL, "hostunknown", "sender"},
	{"failed", "5.1.6", NULL, NULL, "hasmoved", "sender"},
	{"failed", "5.2.1", NULL, NULL, "suspend", "recipient"},
	{"failed", "5.2.2", NULL, NULL, "mailboxfull", "recipient"},
	{"failed", "5.2.3", NULL, NULL, "exceedlimit", "sender"},
	{"failed", "5.3.4", NULL, NULL, "mesgtoobig", "sender"},
	{"failed", "5.4.4", NULL, NULL, "hostunknown", "sender"},
	{"failed", "4.4.7", NULL, NULL, "expired", "recipient"},
	{"failed", "5.4.7", NULL, NULL, "expired", "recipient"},
	{"failed", "5.7.1", NULL, NULL, "rejected", "sender-admin"},
	{"failed", "5.7.25", NULL, NULL, "requireptr", "sender-admin"},
	{"failed", "5.7.26", NULL, NULL, "authfailure", "sender-admin"},
	{"failed", "5.7.509", NULL, NULL, "authfailure", "sender-admin"},
	{"failed", "5.7.606", NULL, NULL, "blocked", "sender-admin"},
	{"failed", "5.7.10", NULL, NULL, "failedstarttls", "sender-admin"},
	{"failed", "5.7.99", NULL, NULL, "securityerror", "sender-admin"},
	{"failed", "5.6.3", NULL, NULL, "contenterror", "sender"},
	{"failed", "5.3.2", NULL, NULL, "notaccept", "recipient"},
	{"failed", "5.4.99", NULL, NULL, "networkerror", "recipient"},
	{NULL, "5.1.1", NULL, NULL, "userunknown", "sender"},
	{"FAILED-unknown-action", "5.2.2", NULL, NULL, "mailboxfull",
	 "recipient"},
	/* nothing known */
	{"failed", NULL, NULL, NULL, "undefined", "recipient"},
	{"failed", "5.0.0", NULL, "smtp; 550 no idea", "undefined",
	 "recipient"},
	{"failed", "", NULL, "", "undefined", "recipient"},
	/* delays: nobody needs to act yet */
	{"delayed", "4.4.1", NULL, NULL, "networkerror", "none"},
	{"delayed", "4.2.2", NULL, NULL, "mailboxfull", "none"},
	{"delayed", "4.7.1", NULL, NULL, "rejected", "none"},
	/* successes */
	{"delivered", "2.0.0", "250", "smtp; 250 2.0.0 OK", "delivered",
	 "none"},
	{"relayed", "2.0.0", NULL, NULL, "delivered", "none"},
	{"expanded", "2.0.0", NULL, NULL, "delivered", "none"},
	{"delivered", NULL, NULL, "smtp; 250 spam folder", "delivered", "none"},
};

/*
 * Diagnostic phrases that name the cause more precisely than the code:
 * these come from the built-in rules (etc/patterns.conf, compiled in).
 */
static const struct class_case phrase_cases[] = {
	{"failed", "5.1.1", "550",
	 "smtp; 550 5.1.1 <a@b.example>: Recipient address rejected: "
	 "User unknown in virtual mailbox table", "userunknown", "sender"},
	{"failed", "5.0.0", "550", "smtp; 550 5.0.0 <a@b>... User unknown "
	 "(in reply to RCPT TO command)", "userunknown", "sender"},
	{"failed", "5.0.0", "550", "smtp; 550 No such user here (in reply to "
	 "RCPT TO command)", "userunknown", "sender"},
	/* refused after the message was sent: a filter, whatever it says */
	{"failed", "5.0.0", "550", "smtp; 550 No such user here (in reply to "
	 "end of DATA command)", "filtered", "recipient"},
	/* Gmail's wording, whatever the command and the code */
	{"failed", "5.0.0", NULL, "The email account that you tried to reach "
	 "does not exist.", "userunknown", "sender"},
	{"failed", "5.0.0", "552", "smtp; 552 Mailbox is FULL",
	 "mailboxfull", "recipient"},
	{"failed", "5.7.1", "554", "smtp; 554 5.7.1 <a@b>: Relay access denied",
	 "norelaying", "sender-admin"},
	{"failed", "5.7.1", "550",
	 "smtp; 550 5.7.1 Message rejected as spam", "spamdetected",
	 "sender-admin"},
	{"failed", "5.7.1", "554",
	 "smtp; 554 5.7.1 Service unavailable; Client host [192.0.2.1] "
	 "blocked using zen.spamhaus.org", "blocked", "sender-admin"},
	{"failed", "5.7.1", "550",
	 "smtp; 550 5.7.1 Unauthenticated email is not accepted due to "
	 "domain's DMARC policy", "authfailure", "sender-admin"},
	{"failed", "5.0.0", NULL, "smtp; 554 Virus found in message",
	 "virusdetected", "sender"},
	{"failed", "5.0.0", NULL, "X-Postfix; message too large",
	 "mesgtoobig", "sender"},
	{"failed", "5.4.4", NULL,
	 "X-Postfix; Host or domain name not found. Name service error",
	 "hostunknown", "sender"},
	{"delayed", "4.4.1", NULL, "smtp; connection timed out",
	 "networkerror", "none"},
	{"delayed", "4.2.2", "452", "smtp; 452 4.2.2 Over quota",
	 "mailboxfull", "none"},
};

/* run_table - classify every case, report every mismatch, count them */
static size_t
run_table(const struct class_case *cases, size_t n)
{
	size_t  i, bad = 0;

	for (i = 0; i < n; i++) {
		const struct class_case *c = cases + i;
		dsn_rcpt r;

		memset(&r, 0, sizeof(r));
		r.action = (char *) c->action;
		r.status = (char *) c->status;
		r.reply_code = (char *) c->reply;
		r.diagnostic = (char *) c->diag;
		classify_rcpt(NULL, &r);
		if (r.reason == NULL || r.owner == NULL
		    || strcmp(r.reason, c->reason) != 0
		    || strcmp(r.owner, c->owner) != 0) {
			print_error("case %zu (%s, %s, %s): got %s/%s, want "
				    "%s/%s\n", i, c->action ? c->action : "-",
				    c->status ? c->status : "-",
				    c->diag ? c->diag : "-",
				    r.reason ? r.reason : "NULL",
				    r.owner ? r.owner : "NULL", c->reason,
				    c->owner);
			bad++;
		}
	}
	return (bad);
}

static void
rcpt__status_codes_give_reason_and_owner(void **state)
{
	(void) state;
	assert_int_equal(run_table(class_cases, NELEM(class_cases)), 0);
}

static void
rcpt__diagnostic_phrases_name_the_cause(void **state)
{
	(void) state;
	assert_int_equal(run_table(phrase_cases, NELEM(phrase_cases)), 0);
}

/* classify - the reason for one failed recipient */
static const char *
classify(const char *status, const char *reply, const char *diag,
	 const char **owner)
{
	dsn_rcpt r;

	memset(&r, 0, sizeof(r));
	r.action = (char *) "failed";
	r.status = (char *) status;
	r.reply_code = (char *) reply;
	r.diagnostic = (char *) diag;
	classify_rcpt(NULL, &r);
	if (owner != NULL)
		*owner = r.owner;
	return (r.reason);
}

/*
 * A phrase inside an address or host name names no cause: the code
 * 5.1.1 decides, not the "spam" in the recipient's domain.
 */
static void
rcpt__phrase_inside_an_address_does_not_override_the_code(void **state)
{
	const char *owner = NULL;

	(void) state;
	assert_string_equal(classify("5.1.1", "550",
				     "smtp; 550 5.1.1 <abuse@spamcop.example>: "
				     "RESOLVER.ADR.RecipNotFound; not found",
				     &owner), "userunknown");
	assert_string_equal(owner, "sender");
}

/*
 * Decision step 4 of classify.c: with neither a usable enhanced code
 * nor a known phrase, the reply code still says something.
 */
static void
rcpt__reply_code_alone_gives_a_reason(void **state)
{
	static const char *const replies[] = {"550", "552", "554", "421",
	"450", "452"};
	size_t  i, bad = 0;
	char    diag[64];

	(void) state;
	for (i = 0; i < NELEM(replies); i++) {
		const char *reason;

		snprintf(diag, sizeof(diag), "smtp; %s Requested action "
			 "not taken", replies[i]);
		reason = classify(NULL, replies[i], diag, NULL);
		if (strcmp(reason, "undefined") == 0) {
			print_error("reply %s alone: undefined\n", replies[i]);
			bad++;
		}
	}
	assert_int_equal(bad, 0);
}

/*
 * PowerMTA's own category (X-PowerMTA-BounceCategory) names the reason
 * when the text leaves only a stand-in ("mailbox unavailable" names no
 * command: filtered), and yields to a text that names a cause.
 */
static void
rcpt__reporting_mta_category_replaces_a_stand_in_only(void **state)
{
	static const struct {
		const char *category, *diag, *reason;
	} cases[] = {
		{"bad-mailbox", "smtp; 550 Requested action not taken: mailbox "
		 "unavailable", "userunknown"},
		{"quota-issues", "smtp; 550 Requested action not taken: mailbox "
		 "unavailable", "mailboxfull"},
		{"inactive-mailbox", "smtp; 550 Requested action not taken",
		 "suspend"},
		{"other", "smtp; 550 Requested action not taken: mailbox "
		 "unavailable", "filtered"},
		{"no-such-category", "smtp; 550 mailbox unavailable", "filtered"},
		{"bad-mailbox", "smtp; 552 5.2.2 Mailbox full", "mailboxfull"},
		{"spam-related", "smtp; 550 5.7.1 Service unavailable; client "
		 "host blocked using zen.spamhaus.org", "blocked"},
	};
	size_t  i, bad = 0;
	dsn_rcpt r;

	(void) state;
	for (i = 0; i < NELEM(cases); i++) {
		memset(&r, 0, sizeof(r));
		r.action = (char *) "failed";
		r.status = (char *) "5.0.0";
		r.diagnostic = (char *) cases[i].diag;
		r.category = (char *) cases[i].category;
		classify_rcpt(NULL, &r);
		if (strcmp(r.reason, cases[i].reason) != 0) {
			print_error("%s / %s: got %s, want %s\n",
				    cases[i].category, cases[i].diag, r.reason,
				    cases[i].reason);
			bad++;
		}
	}
	assert_int_equal(bad, 0);
}

static void
rcpt__every_result_is_a_vocabulary_word(void **state)
{
	static const char *const actions[] = {"failed", "delayed", "delivered",
	"relayed", "expanded", "bogus", NULL};
	static const char *const diags[] = {NULL, "", "user unknown",
	"\xff\xfe spam \x01", "over quota", "relay access denied"};
	char    status[16];
	size_t  a, d, cls, sub, det;
	dsn_rcpt r;

	(void) state;
	for (a = 0; a < NELEM(actions); a++)
		for (d = 0; d < NELEM(diags); d++)
			for (cls = 2; cls <= 5; cls++)
				for (sub = 0; sub <= 8; sub++)
					for (det = 0; det <= 30; det += 3) {
						status[0] = (char) ('0' + cls);
						status[1] = '.';
						status[2] = (char) ('0' + sub);
						status[3] = '.';
						status[4] = (char) ('0' + det / 10);
						status[5] = (char) ('0' + det % 10);
						status[6] = 0;
						memset(&r, 0, sizeof(r));
						r.action = (char *) actions[a];
						r.status = status;
						r.diagnostic = (char *) diags[d];
						classify_rcpt(NULL, &r);
						assert_non_null(classify_reason_word(r.reason));
						assert_non_null(classify_owner_word(r.owner));
					}
}

static void
vocabulary__has_the_spec_words_and_returns_the_static_string(void **state)
{
	static const char *const spec_reasons[] = {
		"userunknown", "mailboxfull", "hostunknown", "filtered",
		"expired", "rejected", "blocked", "authfailure",
		"networkerror", "policyviolation", "requireptr",
		"spamdetected", "securityerror", "systemerror", "systemfull",
		"notaccept", "toomanyconn", "mailererror", "onhold",
		"hasmoved", "suspend", "notcompliantrfc", "norelaying",
		"exceedlimit", "mesgtoobig", "badreputation", "contenterror",
		"virusdetected", "syntaxerror", "speeding", "failedstarttls",
		"suppressed", "feedback", "vacation", "delivered", "undefined"
	};
	static const char *const spec_owners[] = {"sender", "sender-admin",
	"recipient", "none"};
	char    copy[32];
	size_t  i, n;
	const char *w;

	(void) state;
	for (n = 0; classify_reasons[n]; n++)
		/* count */ ;
	assert_int_equal(n, NELEM(spec_reasons));
	for (i = 0; i < NELEM(spec_reasons); i++) {
		snprintf(copy, sizeof(copy), "%s", spec_reasons[i]);
		w = classify_reason_word(copy);
		assert_non_null(w);
		assert_ptr_not_equal(w, copy);
		assert_string_equal(w, spec_reasons[i]);
	}
	for (n = 0; classify_owners[n]; n++)
		/* count */ ;
	assert_int_equal(n, NELEM(spec_owners));
	for (i = 0; i < NELEM(spec_owners); i++) {
		snprintf(copy, sizeof(copy), "%s", spec_owners[i]);
		w = classify_owner_word(copy);
		assert_non_null(w);
		assert_ptr_not_equal(w, copy);
		assert_string_equal(w, spec_owners[i]);
	}
}

static void
vocabulary__rejects_unknown_case_variants_and_null(void **state)
{
	(void) state;
	assert_null(classify_reason_word("UserUnknown"));
	assert_null(classify_reason_word("userunknown "));
	assert_null(classify_reason_word(""));
	assert_null(classify_reason_word(NULL));
	assert_null(classify_reason_word("sender"));
	assert_null(classify_owner_word("Sender"));
	assert_null(classify_owner_word("sender_admin"));
	assert_null(classify_owner_word(""));
	assert_null(classify_owner_word(NULL));
	assert_null(classify_owner_word("userunknown"));
}

struct owner_case {
	const char *reason;
	const char *status;
	const char *owner;
};

/* SPEC.md "owner": the examples named there. */
static const struct owner_case owner_cases[] = {
	{"userunknown", "5.1.1", "sender"},	/* typo */
	{"mesgtoobig", "5.3.4", "sender"},	/* too large */
	{"authfailure", "5.7.26", "sender-admin"},	/* SPF, DKIM, DMARC */
	{"blocked", "5.7.1", "sender-admin"},	/* blocklisted IP */
	{"badreputation", "5.7.1", "sender-admin"},
	{"norelaying", "5.7.1", "sender-admin"},	/* relay setup */
	{"failedstarttls", "5.7.10", "sender-admin"},	/* TLS setup */
	{"mailboxfull", "5.2.2", "recipient"},	/* mailbox full */
	{"networkerror", "4.4.1", "recipient"},	/* server down */
	{"systemerror", "5.3.0", "recipient"},
	{"delivered", "2.0.0", "none"},
	{"userunknown", "2.1.5", "none"},	/* a success code */
	{"undefined", NULL, "recipient"},
	{NULL, NULL, "recipient"},
	{"no-such-reason", "5.9.9", "recipient"},
};

static void
owner_of__follows_the_spec_examples(void **state)
{
	size_t  i, bad = 0;

	(void) state;
	for (i = 0; i < NELEM(owner_cases); i++) {
		const struct owner_case *c = owner_cases + i;
		const char *got = classify_owner_of(c->reason, c->status);

		if (got == NULL || strcmp(got, c->owner) != 0) {
			print_error("owner_of(%s, %s) = %s, want %s\n",
				    c->reason ? c->reason : "NULL",
				    c->status ? c->status : "NULL",
				    got ? got : "NULL", c->owner);
			bad++;
		}
	}
	assert_int_equal(bad, 0);
}

/*
 * SPEC.md puts "policy" with the recipient's side (mailbox full, server
 * down, policy): a recipient's policy is not the sender's to fix.
 */
static void
owner_of__policy_violation_belongs_to_the_recipient_side(void **state)
{
	(void) state;
	assert_string_equal(classify_owner_of("policyviolation", "5.7.1"),
			    "recipient");
}

static void
owner_of__every_reason_has_a_vocabulary_owner(void **state)
{
	size_t  i;

	(void) state;
	for (i = 0; classify_reasons[i]; i++)
		assert_non_null(classify_owner_word(
				classify_owner_of(classify_reasons[i], "5.0.0")));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(rcpt__status_codes_give_reason_and_owner),
		cmocka_unit_test(rcpt__diagnostic_phrases_name_the_cause),
		cmocka_unit_test(rcpt__phrase_inside_an_address_does_not_override_the_code),
		cmocka_unit_test(rcpt__reply_code_alone_gives_a_reason),
		cmocka_unit_test(rcpt__reporting_mta_category_replaces_a_stand_in_only),
		cmocka_unit_test(rcpt__every_result_is_a_vocabulary_word),
		cmocka_unit_test(vocabulary__has_the_spec_words_and_returns_the_static_string),
		cmocka_unit_test(vocabulary__rejects_unknown_case_variants_and_null),
		cmocka_unit_test(owner_of__follows_the_spec_examples),
		cmocka_unit_test(owner_of__policy_violation_belongs_to_the_recipient_side),
		cmocka_unit_test(owner_of__every_reason_has_a_vocabulary_owner),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
