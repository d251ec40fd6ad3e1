/*
 * NAME
 *	classify - reason and fix-it owner of a failed recipient
 * SYNOPSIS
 *	#include "classify.h"
 *	classifier *classifier_load(const char *path, buf *err);
 *	classifier *classifier_load_flags(const char *path, int flags,
 *	                buf *err);
 *	void   classifier_free(classifier *c);
 *	void   classify_rcpt(const classifier *c, dsn_rcpt *r);
 *	void   classify_rcpt_cmd(const classifier *c, dsn_rcpt *r,
 *	                unsigned cmd, char *status);
 *	void   classify_rcpt_pc(const classifier *c, dsn_rcpt *r,
 *	                const pattern_cmd *pc, char *status);
 *	const char *classify_reason_word(const char *name);
 *	const char *classify_owner_word(const char *name);
 *	const char *classify_owner_of(const char *reason, const char *status);
 *	int    classify_pseudo_status(const char *reason, int temporary,
 *	                char *out, size_t len);
 *	const char *classify_code_reason(const char *status);
 *	const char *classify_code_reason_exact(const char *status);
 *	int    classify_weak_code(const char *status);
 * DESCRIPTION
 *	classifier_load() builds a classifier: the admin's pattern rules
 *	from path when given (a whole rule set), else the built-in rules (the
 *	etc/patterns.conf of the source tree, compiled in).  Problems go to
 *	err as "FILE:LINE: problem" and make it return NULL.
 *	classifier_load_flags() does the same with CLASSIFY_JIT (JIT
 *	compilation of the regexes; classifier_load() sets it) and
 *	CLASSIFY_LAZY (patterns_lazy(): the built-in rules are compiled one
 *	by one when first needed, for one-shot runs).  A classifier
 *	is read-only once loaded: milter threads share it.
 *	classifier_free() releases it (NULL is fine).
 *
 *	classify_rcpt() decides r->reason and r->owner from the action, the
 *	enhanced status, the reply code and the diagnostic text together.
 *	The first pattern rule that matches decides, unless the status code
 *	names a reason of higher priority (Sisimai's order: mailboxfull,
 *	exceedlimit, mesgtoobig, suspend, ... blocked) and is not vague
 *	(x.y.0, x.7.1, ...) and the rule is not marked "force".  Without a
 *	matching rule the code decides, then the reply code.  The owner
 *	follows the reason unless the rule overrides it; a delay needs
 *	nobody to act.  c NULL: the built-in rules.
 *	classify_rcpt_cmd() does the same knowing the SMTP command that was
 *	rejected (PAT_CMD_*, 0: look for it in the diagnostic); when status
 *	is not NULL it receives (STATUS_MAX bytes) the status code the
 *	matching rule supplies for bounces without one, else "".
 *	classify_rcpt_pc() takes the command from pc, found only when a
 *	rule needs it (patterns_match_cmd()).
 *	classify_reason_word() and classify_owner_word() return the static
 *	vocabulary string equal to name, or NULL when name is not in the
 *	vocabulary (SPEC.md lists both).  classify_owner_of() gives the
 *	default owner for a reason.
 *	classify_pseudo_status() writes the status code that stands for a
 *	reason when the bounce carries none (Sisimai's x.0.9NN codes, so
 *	results line up with that tool); returns 0 when there is none.
 *	classify_code_reason() is the reason a status code alone gives (NULL
 *	when none), classify_code_reason_exact() the same only for the codes
 *	the registry defines one by one (not from their subject, as for
 *	provider codes such as 5.7.509); classify_weak_code() tells whether a code is too vague to
 *	overrule a matching rule (x.y.0, x.7.1, x.4.1, x.4.7, x.2.1): when the
 *	reason differs from the code's own, the text decided it.
 */
#ifndef DSN_CLASSIFY_H
#define DSN_CLASSIFY_H

#include <stddef.h>

#include "buf.h"
#include "dsn.h"
#include "patterns.h"

typedef struct classifier classifier;

extern const char *const classify_reasons[];	/* NULL-terminated */
extern const char *const classify_owners[];	/* NULL-terminated */

classifier *classifier_load(const char *path, buf *err);
#define CLASSIFY_JIT	1
#define CLASSIFY_LAZY	2
classifier *classifier_load_flags(const char *path, int flags, buf *err);
void    classifier_free(classifier *c);
void    classify_rcpt(const classifier *c, dsn_rcpt *r);
void    classify_rcpt_cmd(const classifier *c, dsn_rcpt *r, unsigned cmd,
			  char *status);
void    classify_rcpt_pc(const classifier *c, dsn_rcpt *r,
			 const pattern_cmd *pc, char *status);
const char *classify_reason_word(const char *name);
const char *classify_owner_word(const char *name);
const char *classify_owner_of(const char *reason, const char *status);
const char *classify_code_reason(const char *status);
const char *classify_code_reason_exact(const char *status);
int     classify_weak_code(const char *status);
int     classify_pseudo_status(const char *reason, int temporary, char *out,
			       size_t len);

#endif
