/*
 * NAME
 *	template - the admin-editable explanation templates
 * SYNOPSIS
 *	#include "template.h"
 *	tmpl_set *tmpl_load(const char *dir, const char *language, buf *err);
 *	const tmpl *tmpl_select(const tmpl_set *s, const char *status,
 *	                const char *diagnostic, const char *reason,
 *	                tmpl_match *how);
 *	const char *tmpl_string(const tmpl_set *s, const char *key);
 *	const char *tmpl_match_name(tmpl_match how);
 *	int    tmpl_expand(const char *text, const tmpl_vars *v,
 *	                tmpl_escape esc, buf *out);
 *	void   tmpl_free(tmpl_set *s);
 * DESCRIPTION
 *	Templates live in DIR/LANGUAGE/ *.tmpl (format: dsnmilter-templates(5)
 *	and the comment at the top of etc/templates/en/README).  Each gives
 *	a name, one or more match rules, the fix-it owner, a short cause,
 *	how-to-fix steps and an admin explanation.  DIR/LANGUAGE/strings
 *	holds the fixed texts of the layout (headline, labels), so a new
 *	language is a new directory.
 *
 *	tmpl_load() reads and validates every file; on any problem it
 *	appends "FILE:LINE: problem" lines to err and returns NULL.
 *	tmpl_select() picks the most specific template: exact code, then
 *	code range, then pattern (PCRE2 over the diagnostic text), then a
 *	code of any class (X.1.1, X-ranges), then reason, then subject class
 *	(X.7 of class 4 or 5), then class, then default; *how says which
 *	rule matched ("code" for all code rules).  X.0.0 ("other or
 *	undefined status", what Postfix reports for a reply without an
 *	enhanced code) says nothing: when the reason is known (not
 *	"undefined", nor "expired" with class 4, the default of a delay
 *	that names no cause), pattern and reason come first, and the
 *	code's templates only after them.  So do the vague codes of
 *	classify_weak_code() when the reason is not classify_code_reason(),
 *	and the registry's codes when it is not classify_code_reason_exact():
 *	the diagnostic text decided it.  Never NULL once loaded (a
 *	default template is required by tmpl_load()).
 *	tmpl_expand() replaces {placeholders} in text with v's values,
 *	escaped for esc (TMPL_TEXT: control characters removed; TMPL_HTML:
 *	also & < > " ' as entities).  Values are inserted once, never
 *	re-scanned.  Unknown placeholders were refused at load time.
 */
#ifndef DSN_TEMPLATE_H
#define DSN_TEMPLATE_H

#include "buf.h"

typedef enum tmpl_match {
	TMPL_BY_CODE = 0,
	TMPL_BY_PATTERN,
	TMPL_BY_REASON,
	TMPL_BY_SUBJECT,
	TMPL_BY_CLASS,
	TMPL_BY_DEFAULT
} tmpl_match;

typedef enum tmpl_escape {
	TMPL_TEXT = 0,
	TMPL_HTML
} tmpl_escape;

typedef struct tmpl {
	char   *name;
	const char *owner;		/* classify_owners[] word */
	char   *cause;			/* one or more sentences */
	char  **fix;			/* steps, NULL-terminated */
	size_t  nfix;
	char   *admin;			/* for email admins */
	char   *file;			/* where it was defined */
	int     line;
} tmpl;

typedef struct tmpl_vars {
	const char *recipient;
	const char *domain;
	const char *status;
	const char *reply_code;
	const char *remote_mta;
	const char *reporting_mta;
	const char *diagnostic;
	const char *organization;
	const char *helpdesk;
	const char *retry_until;
} tmpl_vars;

typedef struct tmpl_set tmpl_set;

tmpl_set *tmpl_load(const char *dir, const char *language, buf *err);
const tmpl *tmpl_select(const tmpl_set *s, const char *status,
			const char *diagnostic, const char *reason,
			tmpl_match *how);
const char *tmpl_string(const tmpl_set *s, const char *key);
const char *tmpl_match_name(tmpl_match how);
int     tmpl_expand(const char *text, const tmpl_vars *v, tmpl_escape esc,
		    buf *out);
void    tmpl_free(tmpl_set *s);

#endif
