/*
 * NAME
 *	classify - reason and fix-it owner of a failed recipient
 * DESCRIPTION
 *	See classify.h.  Decision order for one recipient:
 *	1. success actions (delivered, relayed, expanded) are "delivered";
 *	2. the first pattern rule that matches the diagnostic (patterns.c;
 *	   the admin's rules, then the built-in etc/patterns.conf), unless
 *	   the enhanced status code names a reason of higher priority
 *	   (code_priority[]) and is specific (classify_weak_code()), and the
 *	   rule is not marked "force";
 *	3. the enhanced status code, exact, then by subject (x.y.*);
 *	4. the reply code alone;
 *	5. "expired" for a delay, else "undefined".
 *	The owner follows the reason (owner_of) or the rule's owner=, except
 *	that a delay still being retried needs nobody to act.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "classify.h"
#include "patterns.h"
#include "status.h"
#include "text.h"

const char *const classify_reasons[] = {
	"userunknown", "mailboxfull", "hostunknown", "filtered", "expired",
	"rejected", "blocked", "authfailure", "networkerror",
	"policyviolation", "requireptr", "spamdetected", "securityerror",
	"systemerror", "systemfull", "notaccept", "toomanyconn",
	"mailererror", "onhold", "hasmoved", "suspend", "notcompliantrfc",
	"norelaying", "exceedlimit", "mesgtoobig", "badreputation",
	"contenterror", "virusdetected", "syntaxerror", "speeding",
	"failedstarttls", "suppressed", "feedback", "vacation", "delivered",
	"undefined", NULL
};

const char *const classify_owners[] = {
	"sender", "sender-admin", "recipient", "none", NULL
};

static const char *
vocab(const char *const *v, const char *name)
{
	if (name == NULL)
		return (NULL);
	for (; *v; v++)
		if (strcmp(*v, name) == 0)
			return (*v);
	return (NULL);
}

const char *
classify_reason_word(const char *name)
{
	return (vocab(classify_reasons, name));
}

const char *
classify_owner_word(const char *name)
{
	return (vocab(classify_owners, name));
}

/* Owner by reason; reasons not listed belong to the recipient's side. */
static const struct {
	const char *reason;
	const char *owner;
} owner_map[] = {
	{"userunknown", "sender"},
	{"hostunknown", "sender"},
	{"hasmoved", "sender"},
	{"mesgtoobig", "sender"},
	{"exceedlimit", "sender"},
	{"contenterror", "sender"},
	{"virusdetected", "sender"},
	{"suppressed", "sender"},
	{"spamdetected", "sender-admin"},
	{"authfailure", "sender-admin"},
	{"blocked", "sender-admin"},
	{"badreputation", "sender-admin"},
	{"requireptr", "sender-admin"},
	{"norelaying", "sender-admin"},
	{"failedstarttls", "sender-admin"},
	{"securityerror", "sender-admin"},
	{"notcompliantrfc", "sender-admin"},
	{"syntaxerror", "sender-admin"},
	{"speeding", "sender-admin"},
	{"rejected", "sender-admin"},
	{"delivered", "none"},
	{"feedback", "none"},
	{"vacation", "none"},
	{NULL, NULL}
};

const char *
classify_owner_of(const char *reason, const char *status)
{
	size_t  i;

	if (status != NULL && status[0] == '2')
		return ("none");
	for (i = 0; reason != NULL && owner_map[i].reason; i++)
		if (strcmp(owner_map[i].reason, reason) == 0)
			return (owner_map[i].owner);
	return ("recipient");
}

/*
 * Reason by enhanced status code: exact "c.s.d" first, then "s.d" for
 * any class, then the subject "s" alone.  Keys without a class apply to
 * classes 4 and 5 alike.
 */
static const struct {
	const char *code;
	const char *reason;
} code_map[] = {
	{"1.0", "userunknown"}, {"1.1", "userunknown"},
	{"1.2", "hostunknown"}, {"1.3", "userunknown"},
	{"1.4", "userunknown"}, {"1.6", "hasmoved"},
	{"1.7", "rejected"}, {"1.8", "rejected"}, {"1.9", "systemerror"},
	{"1.10", "hostunknown"},
	{"2.0", "filtered"}, {"2.1", "suspend"}, {"2.2", "mailboxfull"},
	{"2.3", "exceedlimit"}, {"2.4", "systemerror"},
	{"3.0", "systemerror"}, {"3.1", "systemfull"}, {"3.2", "notaccept"},
	{"3.3", "systemerror"}, {"3.4", "mesgtoobig"},
	{"3.5", "systemerror"},
	{"4.0", "networkerror"}, {"4.1", "networkerror"},
	{"4.2", "networkerror"}, {"4.3", "systemerror"},
	{"4.4", "hostunknown"}, {"4.5", "toomanyconn"},
	{"4.6", "networkerror"}, {"4.7", "expired"},
	{"5.0", "syntaxerror"}, {"5.1", "syntaxerror"},
	{"5.2", "syntaxerror"}, {"5.3", "exceedlimit"},
	{"5.4", "syntaxerror"}, {"5.5", "syntaxerror"},
	{"5.6", "syntaxerror"},
	{"6.0", "contenterror"}, {"6.1", "contenterror"},
	{"6.2", "contenterror"}, {"6.3", "contenterror"},
	{"6.4", "contenterror"}, {"6.5", "contenterror"},
	{"6.6", "contenterror"}, {"6.7", "contenterror"},
	{"6.8", "contenterror"}, {"6.9", "contenterror"},
	{"7.0", "securityerror"}, {"7.1", "rejected"},
	{"7.2", "rejected"}, {"7.3", "securityerror"},
	{"7.4", "securityerror"}, {"7.5", "securityerror"},
	{"7.6", "securityerror"}, {"7.7", "securityerror"},
	{"7.8", "authfailure"}, {"7.9", "securityerror"},
	{"7.10", "failedstarttls"}, {"7.11", "failedstarttls"},
	{"7.12", "securityerror"}, {"7.13", "suspend"},
	{"7.14", "securityerror"}, {"7.15", "securityerror"},
	{"7.16", "mesgtoobig"}, {"7.17", "hasmoved"},
	{"7.18", "hasmoved"}, {"7.19", "securityerror"},
	{"7.20", "authfailure"}, {"7.21", "authfailure"},
	{"7.22", "authfailure"}, {"7.23", "authfailure"},
	{"7.24", "authfailure"}, {"7.25", "requireptr"},
	{"7.26", "authfailure"}, {"7.27", "notaccept"},
	{"7.28", "spamdetected"}, {"7.29", "authfailure"},
	{"7.30", "failedstarttls"},
	{"7.509", "authfailure"}, {"7.510", "notaccept"},
	{"7.511", "blocked"}, {"7.606", "blocked"},
	{NULL, NULL}
};

/* By subject, for details not listed above (5.1.351, 5.7.750, ...). */
static const struct {
	const char *subject;
	const char *reason;
} subject_map[] = {
	{"1.", "userunknown"}, {"2.", "mailboxfull"}, {"3.", "systemerror"},
	{"4.", "networkerror"}, {"5.", "syntaxerror"}, {"6.", "contenterror"},
	{"7.", "securityerror"}, {NULL, NULL}
};

const char *
classify_code_reason_exact(const char *status)
{
	size_t  i;

	if (status == NULL || status[0] == 0 || status[1] != '.')
		return (NULL);
	if (status[0] == '2')
		return ("delivered");
	for (i = 0; code_map[i].code; i++)
		if (strcmp(code_map[i].code, status + 2) == 0)
			return (code_map[i].reason);
	return (NULL);
}

const char *
classify_code_reason(const char *status)
{
	const char *sd, *r;
	size_t  i;

	if ((r = classify_code_reason_exact(status)) != NULL)
		return (r);
	if (status == NULL || status[0] == 0 || status[1] != '.')
		return (NULL);
	sd = status + 2;
	for (i = 0; subject_map[i].subject; i++)
		if (strncmp(sd, subject_map[i].subject, 2) == 0)
			return (subject_map[i].reason);
	return (NULL);
}

/*
 * Reason by SMTP reply code, for recipients with neither a usable
 * enhanced code nor a matching rule (RFC 5321 section 4.2.3 meanings).
 */
static const struct {
	const char *reply;
	const char *reason;
} reply_map[] = {
	{"421", "systemerror"}, {"450", "onhold"}, {"451", "systemerror"},
	{"452", "systemfull"}, {"454", "systemerror"}, {"455", "systemerror"},
	{"500", "syntaxerror"}, {"501", "syntaxerror"},
	{"502", "syntaxerror"}, {"503", "syntaxerror"},
	{"504", "syntaxerror"}, {"521", "notaccept"}, {"530", "securityerror"},
	{"535", "securityerror"}, {"550", "onhold"}, {"551", "hasmoved"},
	{"552", "mailboxfull"}, {"553", "syntaxerror"}, {"554", "onhold"},
	{"555", "syntaxerror"}, {"556", "notaccept"},
	{NULL, NULL}
};

static const char *
reply_reason(const char *reply)
{
	size_t  i;

	for (i = 0; reply != NULL && reply_map[i].reply; i++)
		if (strcmp(reply_map[i].reply, reply) == 0)
			return (reply_map[i].reason);
	return (NULL);
}

struct classifier {
	pattern_set *rules;
};

classifier *
classifier_load(const char *path, buf *err)
{
	return (classifier_load_flags(path, CLASSIFY_JIT, err));
}

classifier *
classifier_load_flags(const char *path, int flags, buf *err)
{
	classifier *c;
	int     bad = 0;

	if ((c = calloc(1, sizeof(*c))) == NULL
	    || (c->rules = patterns_new()) == NULL) {
		free(c);
		buf_puts(err, "out of memory\n");
		return (NULL);
	}
	if (!(flags & CLASSIFY_JIT))
		patterns_no_jit(c->rules);
	if (flags & CLASSIFY_LAZY)
		patterns_lazy(c->rules);
	/* An admin's file is a whole rule set: it replaces the built-in one. */
	if (path != NULL && *path)
		bad = patterns_load_file(c->rules, path, err);
	else
		bad = patterns_parse(c->rules, "(built-in patterns.conf)",
				     patterns_builtin, patterns_builtin_len, err);
	if (bad != 0) {
		if (bad < 0)
			buf_puts(err, "out of memory\n");
		classifier_free(c);
		return (NULL);
	}
	return (c);
}

void
classifier_free(classifier *c)
{
	if (c == NULL)
		return;
	patterns_free(c->rules);
	free(c);
}

/*
 * The built-in classifier for callers that pass NULL, built once.  It
 * never changes after that, so threads share it like any other.
 */
static pthread_once_t builtin_once = PTHREAD_ONCE_INIT;
static classifier *builtin;

static void
builtin_init(void)
{
	buf     err;

	buf_init(&err);
	builtin = classifier_load(NULL, &err);
	buf_free(&err);
}

static const classifier *
classifier_or_builtin(const classifier *c)
{
	if (c != NULL)
		return (c);
	(void) pthread_once(&builtin_once, builtin_init);
	return (builtin);
}

/* success - whether the action reports a success */
static int
success(const char *action)
{
	return (action != NULL && (strcmp(action, "delivered") == 0
				   || strcmp(action, "relayed") == 0
				   || strcmp(action, "expanded") == 0));
}

static int
delayed(const char *action)
{
	return (action != NULL && strcmp(action, "delayed") == 0);
}

/*
 * classify_weak_code - a code too vague to beat any matching rule: a subject's
 * "other" detail (x.y.0) and the catch-alls that servers use for any
 * refusal (x.7.1 "delivery not authorized", x.4.1 and x.4.7 for every
 * kind of give-up, x.2.1 "mailbox disabled" that many servers send for
 * unknown users).
 */
int
classify_weak_code(const char *status)
{
	const char *sd, *dot;

	if (status == NULL || strlen(status) < 5 || status[1] != '.')
		return (0);
	sd = status + 2;
	dot = strchr(sd, '.');
	return ((dot != NULL && strcmp(dot, ".0") == 0)
		|| strcmp(sd, "7.1") == 0 || strcmp(sd, "4.1") == 0
		|| strcmp(sd, "4.7") == 0 || strcmp(sd, "2.1") == 0);
}

/*
 * The reasons a status code can hold against a matching rule, in order of
 * priority (the order in which Sisimai tries them): when the code names
 * one of these and the rule's reason is later in the list or not in it,
 * the code wins.  Codes for other reasons (x.3.0 system error, x.4.7
 * expired, x.7.0 security error, ...) describe the failure too vaguely
 * to overrule a diagnostic that names its cause.
 */
static const char *const code_priority[] = {
	"mailboxfull", "exceedlimit", "mesgtoobig", "suspend", "hasmoved",
	"norelaying", "authfailure", "userunknown", "filtered", "requireptr",
	"notcompliantrfc", "badreputation", "rejected", "hostunknown",
	"spamdetected", "speeding", "toomanyconn", "blocked", NULL
};

static size_t
priority(const char *reason)
{
	size_t  i;

	for (i = 0; code_priority[i]; i++)
		if (strcmp(code_priority[i], reason) == 0)
			return (i);
	return (i);
}

/*
 * decide - the reason from the first matching rule and the status code:
 * the code wins when its reason has a higher priority than the rule's,
 * unless the code is vague or the rule says "force".
 */
static const char *
decide(const dsn_rcpt *r, const pattern_rule *hit)
{
	const char *code = NULL;

	if (r->status && !status_is_generic(r->status))
		code = classify_code_reason(r->status);
	if (hit != NULL && code != NULL && !hit->force
	    && !classify_weak_code(r->status)
	    && priority(code) < priority(hit->reason)
	    && code_priority[priority(code)] != NULL)
		return (code);
	if (hit != NULL)
		return (hit->reason);
	if (code != NULL)
		return (code);
	if ((code = reply_reason(r->reply_code)) != NULL)
		return (code);
	if (delayed(r->action))
		return ("expired");
	return ("undefined");
}

/*
 * The categories in which PowerMTA (the MTA of many bulk senders) files
 * a failure, from the reply and the command it saw, sent per recipient
 * as X-PowerMTA-BounceCategory.  "other" names nothing.
 */
static const struct {
	const char *category;
	const char *reason;
} categories[] = {
	{"bad-mailbox", "userunknown"}, {"inactive-mailbox", "suspend"},
	{"bad-domain", "hostunknown"}, {"quota-issues", "mailboxfull"},
	{"spam-related", "spamdetected"}, {"virus-related", "virusdetected"},
	{"policy-related", "policyviolation"}, {"content-related", "contenterror"},
	{"relaying-issues", "norelaying"}, {"invalid-sender", "rejected"},
	{"message-expired", "expired"}, {"no-answer-from-host", "networkerror"},
	{"bad-connection", "networkerror"}, {"routing-errors", "systemerror"},
	{"bad-configuration", "systemerror"}, {"protocol-errors", "syntaxerror"},
	{NULL, NULL}
};

/*
 * category_reason - the reason of the reporting MTA's own category, when
 * the text and code left only a stand-in: "filtered" (the reason of a
 * refusal whose command the text does not name: the MTA knew it) or
 * "undefined"
 */
static const char *
category_reason(const dsn_rcpt *r, const char *reason)
{
	size_t  i;

	if (r->category == NULL || (strcmp(reason, "filtered") != 0
				    && strcmp(reason, "undefined") != 0))
		return (reason);
	for (i = 0; categories[i].category; i++)
		if (strcmp(categories[i].category, r->category) == 0)
			return (categories[i].reason);
	return (reason);
}

void
classify_rcpt_cmd(const classifier *c, dsn_rcpt *r, unsigned cmd,
		  char *status)
{
	pattern_cmd pc = {cmd, NULL, NULL};

	classify_rcpt_pc(c, r, &pc, status);
}

void
classify_rcpt_pc(const classifier *c, dsn_rcpt *r, const pattern_cmd *pc,
		 char *status)
{
	const pattern_rule *hit = NULL;
	const char *d = r->diagnostic;

	if (status != NULL)
		status[0] = 0;
	c = classifier_or_builtin(c);
	if (success(r->action)) {
		r->reason = "delivered";
		r->owner = "none";
		return;
	}
	if (c != NULL && d != NULL)
		hit = patterns_match_cmd(c->rules, d, strlen(d), pc);
	r->reason = classify_reason_word(category_reason(r, decide(r, hit)));
	if (hit != NULL && hit->reason == r->reason && status != NULL)
		memcpy(status, hit->status, STATUS_MAX);
	if (delayed(r->action))
		r->owner = "none";
	else if (hit != NULL && hit->reason == r->reason && hit->owner)
		r->owner = hit->owner;
	else
		r->owner = classify_owner_of(r->reason, r->status);
}

void
classify_rcpt(const classifier *c, dsn_rcpt *r)
{
	classify_rcpt_cmd(c, r, 0, NULL);
}

/*
 * Status codes for recipients whose bounce gives none: x.0.9NN by reason,
 * the convention of Sisimai, so results line up with what postmasters'
 * existing tools report.  Temporary codes exist for fewer reasons.
 */
static const struct {
	const char *reason;
	int     detail;
	int     temporary;		/* a 4.0.9NN form exists */
} pseudo_map[] = {
	{"blocked", 971, 1}, {"contenterror", 960, 1}, {"exceedlimit", 923, 0},
	{"expired", 947, 1}, {"filtered", 910, 0}, {"hasmoved", 916, 0},
	{"hostunknown", 912, 0}, {"mailboxfull", 922, 1},
	{"mailererror", 939, 0}, {"mesgtoobig", 934, 0},
	{"networkerror", 944, 1}, {"norelaying", 909, 0},
	{"notaccept", 932, 1}, {"onhold", 901, 1}, {"policyviolation", 972, 0},
	{"rejected", 918, 1}, {"securityerror", 970, 1},
	{"spamdetected", 980, 1}, {"suspend", 921, 0}, {"systemerror", 930, 1},
	{"systemfull", 931, 1}, {"syntaxerror", 902, 0},
	{"toomanyconn", 945, 1}, {"userunknown", 911, 0},
	{"undefined", 900, 1}, {"virusdetected", 971, 0},
	{"requireptr", 973, 0}, {"failedstarttls", 976, 0},
	{NULL, 0, 0}
};

int
classify_pseudo_status(const char *reason, int temporary, char *out,
		       size_t len)
{
	size_t  i;

	for (i = 0; reason != NULL && pseudo_map[i].reason; i++) {
		if (strcmp(pseudo_map[i].reason, reason) != 0)
			continue;
		snprintf(out, len, "%d.0.%d", temporary
			 && pseudo_map[i].temporary ? 4 : 5, pseudo_map[i].detail);
		return (1);
	}
	return (0);
}
