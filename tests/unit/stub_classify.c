/*
 * NAME
 *	stub_classify - the classify vocabulary, for unit tests of modules
 *	that only validate words
 * SYNOPSIS
 *	link instead of classify.c
 * DESCRIPTION
 *	Defines classify_reasons[], classify_owners[], classify_reason_word()
 *	and classify_owner_word() with the vocabulary of SPEC.md, nothing
 *	else.  The real classify.c replaces this file in the library build.
 */
#include <string.h>

#include "classify.h"

const char *const classify_reasons[] = {
	"userunknown", "mailboxfull", "hostunknown", "filtered", "expired",
	"rejected", "blocked", "authfailure", "networkerror",
	"policyviolation", "requireptr", "spamdetected", "securityerror",
	"systemerror", "systemfull", "notaccept", "toomanyconn", "mailererror",
	"onhold", "hasmoved", "suspend", "notcompliantrfc", "norelaying",
	"exceedlimit", "mesgtoobig", "badreputation", "contenterror",
	"virusdetected", "syntaxerror", "speeding", "failedstarttls",
	"suppressed", "feedback", "vacation", "delivered", "undefined", NULL
};

const char *const classify_owners[] = {
	"sender", "sender-admin", "recipient", "none", NULL
};

/* word_in - the static word equal to name, or NULL */
static const char *
word_in(const char *const *list, const char *name)
{
	size_t  i;

	if (name == NULL)
		return (NULL);
	for (i = 0; list[i]; i++)
		if (strcmp(list[i], name) == 0)
			return (list[i]);
	return (NULL);
}

const char *
classify_reason_word(const char *name)
{
	return (word_in(classify_reasons, name));
}

const char *
classify_owner_word(const char *name)
{
	return (word_in(classify_owners, name));
}
