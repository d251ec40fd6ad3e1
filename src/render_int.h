/*
 * NAME
 *	render_int - the explanation model shared by the text and HTML writers
 * SYNOPSIS
 *	#include "render_int.h"
 *	const char *render_str(const rmodel *m, const char *key);
 *	int    render_expand(const rmodel *m, const char *key,
 *	                     const tmpl_vars *v, tmpl_escape esc, buf *out);
 *	int    render_hop_time(const orig_hop *h, buf *out);
 *	int    render_hop_delay(const orig_hop *h, buf *out);
 *	int    render_text(const rmodel *m, buf *out);
 *	int    render_html(const rmodel *m, buf *out);
 *	int    render_text_notice(const char *s, size_t n, const rmodel *m,
 *	                     buf *out);
 *	int    render_text_clean(const char *s, size_t n, buf *out);
 *	int    render_html_notice(const char *s, size_t n, const rmodel *m,
 *	                     buf *out);
 * DESCRIPTION
 *	render.c builds an rmodel from a report: every value from the
 *	message cleaned once (rcpt_view, orig), the recipients grouped by action
 *	kind and template (rgroup), the names of the three parties.  The
 *	writers (render_text.c, render_html.c) only lay the model out.
 *
 *	render_str() returns a strings value, "" when absent (the public
 *	functions refuse to render with missing keys).  render_expand()
 *	appends a strings value with its placeholders filled and escaped
 *	for esc.  render_hop_time() appends a hop's time as
 *	"YYYY-MM-DD HH:MM:SS +ZZZZ" (the text as written when it does not
 *	parse); render_hop_delay() its delay in words, or nothing.
 *	render_text() and render_html() append the layout of the model;
 *	render_html() ends with RENDER_HTML_TAIL so that
 *	render_html_notice() can add a section before it.
 *	render_text_clean() appends text cleaned line by line (the notice).
 */
#ifndef DSN_RENDER_INT_H
#define DSN_RENDER_INT_H

#include "render.h"

#define RENDER_HTML_TAIL "</td></tr></table>\n</td></tr></table>\n</body>\n</html>\n"

enum { RK_FAILED = 0, RK_DELAYED, RK_DELIVERED, RK_KINDS };

typedef struct rcpt_view {		/* cleaned values, never NULL */
	char   *recipient;
	char   *domain;
	char   *action;
	char   *status;
	char   *reply_code;
	char   *remote_mta;
	char   *diagnostic;
	char   *last_attempt;
	char   *retry_until;
	int     kind;			/* RK_* */
} rcpt_view;

typedef struct rgroup {
	const tmpl *t;
	int     kind;			/* RK_* */
	const char *owner;		/* sender|sender-admin|recipient|none */
	int     act;			/* acting party 0..2, -1 for none */
	size_t *idx;			/* recipients, report order */
	size_t  n;
	char   *rcpt_list;		/* "a@x, b@y" */
	char   *party_rcpt;		/* the recipient's side, named */
	tmpl_vars v;			/* for cause, fix and admin */
} rgroup;

typedef struct rmodel {
	const render_opts *o;
	const tmpl_set *t;
	const orig_msg *om;		/* &orig */
	const orig_msg *src;		/* as given, or NULL */
	orig_msg orig;			/* src cleaned once more */
	rcpt_view *rv;
	size_t  nrv;
	rgroup *g;
	size_t  ng;
	int     kind;			/* the headline's RK_* */
	size_t  nhead;			/* recipients of that kind */
	int     others;			/* recipients of other kinds exist */
	char   *reporting_mta;
	char   *arrival_date;
	char   *party_system;		/* our side, named */
	tmpl_vars v;			/* message-level values */
} rmodel;

const char *render_str(const rmodel *m, const char *key);
int     render_expand(const rmodel *m, const char *key, const tmpl_vars *v,
		      tmpl_escape esc, buf *out);
int     render_hop_time(const orig_hop *h, buf *out);
int     render_hop_delay(const orig_hop *h, buf *out);
int     render_text(const rmodel *m, buf *out);
int     render_html(const rmodel *m, buf *out);
int     render_text_notice(const char *s, size_t n, const rmodel *m,
			   buf *out);
int     render_text_clean(const char *s, size_t n, buf *out);
int     render_html_notice(const char *s, size_t n, const rmodel *m,
			   buf *out);

#endif
