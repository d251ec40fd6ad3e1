/*
 * NAME
 *	classify - reason and fix-it owner of a failed recipient
 * DESCRIPTION
 *	See classify.h.  Decision order for one recipient:
 *	1. success actions (delivered, relayed, expanded) are "delivered";
 *	2. built-in diagnostic phrases (classify_text.c) that name a cause
 *	   more precisely than any status code can;
 *	3. the enhanced status code, exact, then by subject (x.y.*);
 *	4. the reply code alone;
 *	5. "undefined".
 *	The owner follows the reason (owner_of), except that a delay still
 *	being retried needs nobody to act.
 */
#include <stdio.h>
#include <string.h>

#include "classify.h"
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
	{"policyviolation", "sender"},
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

/* code_reason - the reason the status code alone gives, or NULL */
static const char *
code_reason(const char *status)
{
	const char *sd;
	size_t  i;

	if (status == NULL || status[0] == 0 || status[1] != '.')
		return (NULL);
	if (status[0] == '2')
		return ("delivered");
	sd = status + 2;
	for (i = 0; code_map[i].code; i++)
		if (strcmp(code_map[i].code, sd) == 0)
			return (code_map[i].reason);
	if (strncmp(sd, "7.", 2) == 0)
		return ("securityerror");
	if (strncmp(sd, "4.", 2) == 0)
		return ("networkerror");
	return (NULL);
}

/*
 * Phrases that name a cause more precisely than codes do.  First match
 * wins; the admin's pattern rules (patterns.c) come before these.
 */
static const struct {
	const char *phrase;
	const char *reason;
} text_map[] = {
	{"user unknown", "userunknown"},
	{"unknown user", "userunknown"},
	{"no such user", "userunknown"},
	{"user not found", "userunknown"},
	{"does not exist", "userunknown"},
	{"mailbox unavailable", "userunknown"},
	{"mailbox not found", "userunknown"},
	{"mailbox is full", "mailboxfull"},
	{"mailbox full", "mailboxfull"},
	{"over quota", "mailboxfull"},
	{"quota exceeded", "mailboxfull"},
	{"exceeded storage", "mailboxfull"},
	{"host not found", "hostunknown"},
	{"domain not found", "hostunknown"},
	{"message too large", "mesgtoobig"},
	{"message size exceeds", "mesgtoobig"},
	{"spamhaus", "blocked"},
	{"blacklisted", "blocked"},
	{"blocklisted", "blocked"},
	{"spam", "spamdetected"},
	{"virus", "virusdetected"},
	{"relay access denied", "norelaying"},
	{"relaying denied", "norelaying"},
	{"dmarc", "authfailure"},
	{"reverse dns", "requireptr"},
	{"connection timed out", "networkerror"},
	{"connection refused", "networkerror"},
	{"too many connections", "toomanyconn"},
	{"account disabled", "suspend"},
	{"account has been disabled", "suspend"},
	{NULL, NULL}
};

/* classify_text - the reason a phrase of the diagnostic names, or NULL */
static const char *
classify_text(const char *diag)
{
	size_t  i, n;

	if (diag == NULL)
		return (NULL);
	n = strlen(diag);
	for (i = 0; text_map[i].phrase; i++)
		if (text_isearch(diag, n, text_map[i].phrase))
			return (text_map[i].reason);
	return (NULL);
}

/* success - whether the action reports a success */
static int
success(const char *action)
{
	return (action != NULL && (strcmp(action, "delivered") == 0
				   || strcmp(action, "relayed") == 0
				   || strcmp(action, "expanded") == 0));
}

void
classify_rcpt(const classifier *c, dsn_rcpt *r)
{
	const char *reason = NULL;

	(void) c;
	if (success(r->action))
		reason = "delivered";
	if (reason == NULL)
		reason = classify_text(r->diagnostic);
	if (reason == NULL && r->status && !status_is_generic(r->status))
		reason = code_reason(r->status);
	if (reason == NULL)
		reason = "undefined";
	r->reason = reason;
	if (r->action != NULL && strcmp(r->action, "delayed") == 0)
		r->owner = "none";
	else
		r->owner = classify_owner_of(reason, r->status);
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
