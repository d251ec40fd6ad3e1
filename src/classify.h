/*
 * NAME
 *	classify - reason and fix-it owner of a failed recipient
 * SYNOPSIS
 *	#include "classify.h"
 *	void   classify_rcpt(const classifier *c, dsn_rcpt *r);
 *	const char *classify_reason_word(const char *name);
 *	const char *classify_owner_word(const char *name);
 *	const char *classify_owner_of(const char *reason, const char *status);
int     classify_pseudo_status(const char *reason, int temporary, char *out,
			       size_t len);
 *	int    classify_pseudo_status(const char *reason, int temporary,
 *	                char *out, size_t len);
 * DESCRIPTION
 *	classify_rcpt() decides r->reason and r->owner from the action, the
 *	enhanced status, the reply code and the diagnostic text together.
 *	Built-in tables cover the RFC 3463 codes; the classifier c (NULL for
 *	built-in rules only) adds the admin's pattern rules.
 *	classify_reason_word() and classify_owner_word() return the static
 *	vocabulary string equal to name, or NULL when name is not in the
 *	vocabulary (SPEC.md lists both).  classify_owner_of() gives the
 *	default owner for a reason.
 *	classify_pseudo_status() writes the status code that stands for a
 *	reason when the bounce carries none (Sisimai's x.0.9NN codes, so
 *	results line up with that tool); returns 0 when there is none.
 */
#ifndef DSN_CLASSIFY_H
#define DSN_CLASSIFY_H

#include <stddef.h>

#include "dsn.h"

typedef struct classifier classifier;

extern const char *const classify_reasons[];	/* NULL-terminated */
extern const char *const classify_owners[];	/* NULL-terminated */

void    classify_rcpt(const classifier *c, dsn_rcpt *r);
const char *classify_reason_word(const char *name);
const char *classify_owner_word(const char *name);
const char *classify_owner_of(const char *reason, const char *status);
int     classify_pseudo_status(const char *reason, int temporary, char *out,
			       size_t len);

#endif
