/*
 * NAME
 *	render - the plain-language explanation of a bounce, text and HTML
 * SYNOPSIS
 *	#include "render.h"
 *	int    render_explanation(const dsn_report *r, const orig_msg *om,
 *	                          const render_opts *o, buf *text, buf *html);
 *	int    render_notice(const char *notice, size_t n, const render_opts *o,
 *	                     buf *text, buf *html);
 *	int    render_check_strings(const tmpl_set *t, buf *err);
 *	int    render_preview(const tmpl_set *t, const char *status,
 *	                      const char *diagnostic, const render_opts *o,
 *	                      buf *out);
 * DESCRIPTION
 *	render_explanation() appends the explanation of report r to text
 *	(plain text) and to html (a complete HTML document), both UTF-8
 *	with LF line ends, in the order of SPEC.md "Body": headline; per
 *	cause (recipients grouped by action and template) the cause, the
 *	fix-it owner indicator, how to fix it; the helpdesk line; more info
 *	for email admins; the original message details and its hops (om,
 *	may be NULL).  Fixed wording comes from the strings file of
 *	o->templates; every value from the message is cleaned (valid UTF-8,
 *	no control characters) and, in HTML, escaped.  Plain text is
 *	wrapped at RENDER_WIDTH columns where words allow.
 *
 *	render_notice() adds the bounce's original notice text notice[0..n)
 *	(UTF-8, any line ends) at the end of both: in text under a heading,
 *	in HTML escaped inside <pre>, before the closing tags.  It must
 *	follow render_explanation() on the same buffers.
 *
 *	render_check_strings() tells whether every strings key the
 *	renderer uses is present: 0, or -1 after appending one line
 *	"strings: missing key NAME" per missing key to err (when not NULL).
 *	`dsnmilter -t` runs it; render_explanation() refuses to render
 *	(returns -1) with a key missing, so the bounce passes unchanged.
 *
 *	render_preview() appends, for `dsnmilter -x`, the line
 *	"template: NAME (matched by HOW)" and the plain-text explanation of
 *	a failed (class 5), delayed (class 4) or delivered (class 2)
 *	recipient user@example.com with the given status and diagnostic.
 * DIAGNOSTICS
 *	The functions return 0, or -1 when memory runs out, o or its
 *	templates are NULL, or a strings key is missing.
 */
#ifndef DSN_RENDER_H
#define DSN_RENDER_H

#include <stddef.h>

#include "buf.h"
#include "dsn.h"
#include "origmsg.h"
#include "template.h"

#define RENDER_WIDTH	76		/* plain text columns */

typedef struct render_opts {
	const tmpl_set *templates;
	const char *organization;	/* "" or NULL: the reporting MTA */
	const char *helpdesk;		/* "" or NULL: no helpdesk line */
} render_opts;

int     render_explanation(const dsn_report *r, const orig_msg *om,
			   const render_opts *o, buf *text, buf *html);
int     render_notice(const char *notice, size_t n, const render_opts *o,
		      buf *text, buf *html);
int     render_check_strings(const tmpl_set *t, buf *err);
int     render_preview(const tmpl_set *t, const char *status,
		       const char *diagnostic, const render_opts *o, buf *out);

#endif
