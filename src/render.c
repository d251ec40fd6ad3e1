/*
 * NAME
 *	render - the plain-language explanation of a bounce, text and HTML
 * DESCRIPTION
 *	See render.h.  This file builds the model (render_int.h): it
 *	cleans every value from the report once, groups the recipients by
 *	action kind (failed, delayed, delivered) and template, in report
 *	order within each kind, and names the three parties of the fix-it
 *	owner indicator.  The layout itself is in render_text.c and
 *	render_html.c.  Grouping compares each recipient with the groups
 *	found so far: recipients x causes, both small in practice.
 */
#include <stdlib.h>
#include <string.h>

#include "classify.h"
#include "date.h"
#include "render_int.h"
#include "rfc2047.h"

#define RENDER_LIST_MAX	20		/* recipients named in one list */

/* Every strings key the layout uses. */
static const char *const render_keys[] = {
	"headline_failed", "headline_failed_many", "headline_delayed",
	"headline_delayed_many", "headline_delivered",
	"headline_delivered_many", "headline_unknown", "headline_also",
	"group_applies", "owner_title", "party_sender", "party_system",
	"party_system_unnamed", "party_recipient", "party_recipient_unnamed",
	"role_sender", "role_system", "role_recipient", "action_required",
	"no_action", "fix_title", "delay_until", "delay_open",
	"delivered_note", "helpdesk", "admin_title", "label_recipient",
	"label_action", "label_status", "label_reply_code",
	"label_diagnostic", "label_remote_mta", "label_reporting_mta",
	"label_arrival_date", "label_last_attempt", "label_retry_until",
	"label_about", "original_title", "label_subject", "label_date",
	"label_from", "label_to", "label_message_id", "original_missing",
	"hops_title", "hop_number", "hop_time", "hop_from", "hop_by",
	"hop_with", "hop_delay", "hops_none", "notice_title", NULL
};

const char *
render_str(const rmodel *m, const char *key)
{
	const char *s = tmpl_string(m->t, key);

	return (s ? s : "");
}

int
render_expand(const rmodel *m, const char *key, const tmpl_vars *v,
	      tmpl_escape esc, buf *out)
{
	return (tmpl_expand(render_str(m, key), v, esc, out));
}

int
render_check_strings(const tmpl_set *t, buf *err)
{
	size_t  i;
	int     rc = 0;

	for (i = 0; render_keys[i]; i++) {
		if (tmpl_string(t, render_keys[i]) != NULL)
			continue;
		if (err)
			buf_printf(err, "strings: missing key %s\n", render_keys[i]);
		rc = -1;
	}
	return (rc);
}

/* civil - the date of a day number since 1970-01-01 (H. Hinnant) */
static void
civil(long long z, int *y, int *mo, int *d)
{
	long long era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int) (doy - (153 * mp + 2) / 5 + 1);
	*mo = (int) (mp < 10 ? mp + 3 : mp - 9);
	*y = (int) (yoe + era * 400 + (*mo <= 2));
}

/* put_num - v >= 0 with at least width digits, as "%0*lld" would */
static int
put_num(buf *out, long long v, int width)
{
	char    d[24];
	size_t  i = sizeof(d);

	do {
		d[--i] = (char) ('0' + v % 10);
		v /= 10;
	} while ((v > 0 || sizeof(d) - i < (size_t) width) && i > 0);
	return (buf_add(out, d + i, sizeof(d) - i));
}

/*
 * render_hop_time - "YYYY-MM-DD HH:MM:SS +HHMM" in the hop's own zone; the
 * fields are put one by one (printf is costly on this path).  All values
 * are positive: date_parse() accepts years 1900-9999 only.
 */
int
render_hop_time(const orig_hop *h, buf *out)
{
	long long t, days, secs;
	int     tz, y, mo, d, rc;

	if (h->time == NULL)
		return (0);
	if (date_parse(h->time, &t, &tz) < 0)
		return (buf_puts(out, h->time));
	t += (long long) tz * 60;
	days = t >= 0 ? t / 86400 : -((-t + 86399) / 86400);
	secs = t - days * 86400;
	civil(days, &y, &mo, &d);
	rc = put_num(out, y, 4) | buf_putc(out, '-') | put_num(out, mo, 2)
		| buf_putc(out, '-') | put_num(out, d, 2) | buf_putc(out, ' ');
	rc |= put_num(out, secs / 3600, 2) | buf_putc(out, ':')
		| put_num(out, secs / 60 % 60, 2) | buf_putc(out, ':')
		| put_num(out, secs % 60, 2) | buf_putc(out, ' ');
	return (rc | buf_putc(out, tz < 0 ? '-' : '+')
		| put_num(out, abs(tz) / 60, 2) | put_num(out, abs(tz) % 60, 2));
}

int
render_hop_delay(const orig_hop *h, buf *out)
{
	return (h->has_delay ? date_format_delay(h->delay, out) : 0);
}

/* clean - a cleaned copy of s ("" for NULL); NULL when out of memory */
static char *
clean(const char *s)
{
	return (utf8_sanitize(s ? s : "", s ? strlen(s) : 0));
}

/* rcpt_kind - RK_* of an Action value */
static int
rcpt_kind(const char *action)
{
	if (action && strcmp(action, "delayed") == 0)
		return (RK_DELAYED);
	if (action && (strcmp(action, "delivered") == 0
		       || strcmp(action, "relayed") == 0
		       || strcmp(action, "expanded") == 0))
		return (RK_DELIVERED);
	return (RK_FAILED);
}

/* view_fill - the cleaned values of one recipient */
static int
view_fill(rcpt_view *v, const dsn_rcpt *rc)
{
	const char *at;

	v->kind = rcpt_kind(rc->action);
	if ((v->recipient = clean(rc->recipient)) == NULL
	    || (v->action = clean(rc->action)) == NULL
	    || (v->status = clean(rc->status)) == NULL
	    || (v->reply_code = clean(rc->reply_code)) == NULL
	    || (v->remote_mta = clean(rc->remote_mta)) == NULL
	    || (v->diagnostic = clean(rc->diagnostic)) == NULL
	    || (v->last_attempt = clean(rc->last_attempt)) == NULL
	    || (v->retry_until = clean(rc->will_retry_until)) == NULL)
		return (-1);
	at = strrchr(v->recipient, '@');
	v->domain = clean(at ? at + 1 : "");
	return (v->domain ? 0 : -1);
}

/* view_free - release one recipient's values */
static void
view_free(rcpt_view *v)
{
	free(v->recipient);
	free(v->domain);
	free(v->action);
	free(v->status);
	free(v->reply_code);
	free(v->remote_mta);
	free(v->diagnostic);
	free(v->last_attempt);
	free(v->retry_until);
}

/* group_of - the group for (kind, t), added when new; NULL for memory */
static rgroup *
group_of(rmodel *m, int kind, const tmpl *t, size_t max)
{
	size_t  i;
	rgroup *g;

	for (i = 0; i < m->ng; i++)
		if (m->g[i].kind == kind && m->g[i].t == t)
			return (&m->g[i]);
	g = &m->g[m->ng++];
	g->kind = kind;
	g->t = t;
	if ((g->idx = calloc(max ? max : 1, sizeof(*g->idx))) == NULL)
		return (NULL);
	return (g);
}

/* group_rcpts - sort the recipients of r into groups, kind by kind */
static int
group_rcpts(rmodel *m, const dsn_report *r)
{
	const dsn_rcpt *rc;
	const tmpl *t;
	rgroup *g;
	size_t  i;
	int     k;

	for (k = 0; k < RK_KINDS; k++) {
		for (i = 0; i < r->nrcpt; i++) {
			if (m->rv[i].kind != k)
				continue;
			rc = &r->rcpt[i];
			t = tmpl_select(m->t, rc->status, rc->diagnostic,
					rc->reason, NULL);
			if ((g = group_of(m, k, t, r->nrcpt)) == NULL)
				return (-1);
			g->idx[g->n++] = i;
		}
	}
	return (0);
}

/* group_list - "a@x, b@y" for a group, at most RENDER_LIST_MAX names */
static int
group_list(const rmodel *m, rgroup *g)
{
	buf     b;
	size_t  i;

	buf_init(&b);
	for (i = 0; i < g->n && i < RENDER_LIST_MAX; i++) {
		if (i > 0)
			buf_puts(&b, ", ");
		buf_puts(&b, m->rv[g->idx[i]].recipient);
	}
	if (g->n > RENDER_LIST_MAX)
		buf_printf(&b, ", ... (+%zu)", g->n - RENDER_LIST_MAX);
	if (b.failed) {
		buf_free(&b);
		return (-1);
	}
	g->rcpt_list = buf_detach(&b);
	return (g->rcpt_list ? 0 : -1);
}

/* group_party - name the recipient's side: the domain they all share */
static int
group_party(const rmodel *m, rgroup *g)
{
	const char *d = g->n ? m->rv[g->idx[0]].domain : "";
	tmpl_vars v;
	size_t  i;
	buf     b;

	for (i = 1; i < g->n; i++)
		if (strcmp(m->rv[g->idx[i]].domain, d) != 0)
			d = "";
	memset(&v, 0, sizeof(v));
	v.domain = d;
	buf_init(&b);
	if (render_expand(m, *d ? "party_recipient" : "party_recipient_unnamed",
			  &v, TMPL_TEXT, &b) < 0) {
		buf_free(&b);
		return (-1);
	}
	g->party_rcpt = buf_detach(&b);
	return (g->party_rcpt ? 0 : -1);
}

/* acting - index of the party that must act, -1 for none */
static int
acting(const char *owner)
{
	if (strcmp(owner, "sender") == 0)
		return (0);
	if (strcmp(owner, "sender-admin") == 0)
		return (1);
	if (strcmp(owner, "recipient") == 0)
		return (2);
	return (-1);
}

/* group_finish - list, party, owner and placeholder values of a group */
static int
group_finish(rmodel *m, rgroup *g)
{
	const rcpt_view *f;
	static const rcpt_view none = {"", "", "", "", "", "", "", "", "", 0};

	if (group_list(m, g) < 0 || group_party(m, g) < 0)
		return (-1);
	f = g->n ? &m->rv[g->idx[0]] : &none;
	g->owner = g->kind != RK_FAILED ? "none"
		: g->t && g->t->owner ? g->t->owner : "sender";
	g->act = acting(g->owner);
	g->v = m->v;
	g->v.recipient = g->rcpt_list;
	g->v.domain = f->domain;
	g->v.status = f->status;
	g->v.reply_code = f->reply_code;
	g->v.remote_mta = f->remote_mta;
	g->v.diagnostic = f->diagnostic;
	g->v.retry_until = f->retry_until;
	return (0);
}

/* clean_opt - a cleaned copy of s, NULL for NULL; -1 when out of memory */
static int
clean_opt(const char *s, char **out)
{
	*out = NULL;
	return (s == NULL || (*out = clean(s)) != NULL ? 0 : -1);
}

/* orig_clean - dst = src with every string cleaned once more */
static int
orig_clean(orig_msg *dst, const orig_msg *src)
{
	const orig_hop *h;
	size_t  i;

	memset(dst, 0, sizeof(*dst));
	if (src == NULL)
		return (0);
	if (clean_opt(src->subject, &dst->subject) < 0
	    || clean_opt(src->from, &dst->from) < 0
	    || clean_opt(src->to, &dst->to) < 0
	    || clean_opt(src->date, &dst->date) < 0
	    || clean_opt(src->message_id, &dst->message_id) < 0
	    || (src->nhops > 0 && (dst->hops = calloc(src->nhops,
						      sizeof(*dst->hops))) == NULL))
		return (-1);
	for (i = 0; i < src->nhops; i++, dst->nhops++) {
		h = &src->hops[i];
		dst->hops[i] = *h;
		dst->hops[i].from = dst->hops[i].by = NULL;
		dst->hops[i].with = dst->hops[i].time = NULL;
		if (clean_opt(h->from, &dst->hops[i].from) < 0
		    || clean_opt(h->by, &dst->hops[i].by) < 0
		    || clean_opt(h->with, &dst->hops[i].with) < 0
		    || clean_opt(h->time, &dst->hops[i].time) < 0) {
			dst->nhops++;
			return (-1);
		}
	}
	return (0);
}

/* model_free - release what model_build() made */
static void
model_free(rmodel *m)
{
	size_t  i;

	for (i = 0; m->rv && i < m->nrv; i++)
		view_free(&m->rv[i]);
	for (i = 0; m->g && i < m->ng; i++) {
		free(m->g[i].idx);
		free(m->g[i].rcpt_list);
		free(m->g[i].party_rcpt);
	}
	free(m->rv);
	free(m->g);
	free(m->reporting_mta);
	free(m->arrival_date);
	free(m->party_system);
	origmsg_free(&m->orig);
}

/* model_init - the parts that need no report */
static void
model_init(rmodel *m, const render_opts *o, const orig_msg *om)
{
	memset(m, 0, sizeof(*m));
	m->o = o;
	m->t = o->templates;
	m->om = &m->orig;
	m->src = om;
}

/* model_party - name our side: the organisation, else the reporting MTA */
static int
model_party(rmodel *m)
{
	const char *org = m->o->organization;
	tmpl_vars v;
	buf     b;

	memset(&v, 0, sizeof(v));
	v.organization = org && *org ? org : m->reporting_mta;
	buf_init(&b);
	if (render_expand(m, *v.organization ? "party_system"
			  : "party_system_unnamed", &v, TMPL_TEXT, &b) < 0) {
		buf_free(&b);
		return (-1);
	}
	m->party_system = buf_detach(&b);
	return (m->party_system ? 0 : -1);
}

/* model_headline - which kind the headline speaks of, and how many */
static void
model_headline(rmodel *m)
{
	size_t  i, count[RK_KINDS] = {0, 0, 0};
	int     k;

	for (i = 0; i < m->nrv; i++)
		count[m->rv[i].kind]++;
	m->kind = RK_FAILED;
	for (k = RK_KINDS - 1; k >= 0; k--)
		if (count[k] > 0)
			m->kind = k;
	m->nhead = count[m->kind];
	m->others = m->nhead < m->nrv;
}

/* model_build - clean, group and name everything the writers need */
static int
model_build(rmodel *m, const dsn_report *r)
{
	size_t  i, ng = r->nrcpt ? r->nrcpt : 1;

	if (orig_clean(&m->orig, m->src) < 0
	    || (m->reporting_mta = clean(r->reporting_mta)) == NULL
	    || (m->arrival_date = clean(r->arrival_date)) == NULL
	    || (m->rv = calloc(ng, sizeof(*m->rv))) == NULL
	    || (m->g = calloc(ng, sizeof(*m->g))) == NULL)
		return (-1);
	m->v.reporting_mta = m->reporting_mta;
	m->v.organization = m->o->organization ? m->o->organization : "";
	m->v.helpdesk = m->o->helpdesk ? m->o->helpdesk : "";
	for (i = 0; i < r->nrcpt; i++, m->nrv++)
		if (view_fill(&m->rv[i], &r->rcpt[i]) < 0) {
			m->nrv++;
			return (-1);
		}
	if (group_rcpts(m, r) < 0)
		return (-1);
	if (m->ng == 0 && group_of(m, RK_FAILED,
				   tmpl_select(m->t, NULL, NULL, NULL, NULL), 1) == NULL)
		return (-1);
	for (i = 0; i < m->ng; i++)
		if (group_finish(m, &m->g[i]) < 0)
			return (-1);
	model_headline(m);
	return (model_party(m));
}

int
render_explanation(const dsn_report *r, const orig_msg *om,
		   const render_opts *o, buf *text, buf *html)
{
	rmodel  m;
	int     rc = -1;

	if (o == NULL || o->templates == NULL || r == NULL
	    || render_check_strings(o->templates, NULL) < 0)
		return (-1);
	model_init(&m, o, om);
	if (model_build(&m, r) < 0)
		goto out;
	if ((text && render_text(&m, text) < 0)
	    || (html && render_html(&m, html) < 0))
		goto out;
	rc = 0;
out:
	model_free(&m);
	return (rc);
}

int
render_notice(const char *notice, size_t n, const render_opts *o,
	      buf *text, buf *html)
{
	rmodel  m;
	size_t  tail = strlen(RENDER_HTML_TAIL);

	if (o == NULL || o->templates == NULL)
		return (-1);
	model_init(&m, o, NULL);
	if (text && render_text_notice(notice, n, &m, text) < 0)
		return (-1);
	if (html == NULL)
		return (0);
	if (html->len >= tail
	    && memcmp(html->data + html->len - tail, RENDER_HTML_TAIL, tail) == 0)
		html->len -= tail;
	if (render_html_notice(notice, n, &m, html) < 0
	    || buf_puts(html, RENDER_HTML_TAIL) < 0)
		return (-1);
	return (0);
}

/* preview_action - the Action a status of this class would come with */
static const char *
preview_action(const char *status)
{
	if (status && status[0] == '2')
		return ("delivered");
	if (status && status[0] == '4')
		return ("delayed");
	return ("failed");
}

/* preview_report - a report with one recipient user@example.com */
static int
preview_report(dsn_report *r, const char *status, const char *diagnostic)
{
	dsn_rcpt *rc;

	if ((rc = dsn_rcpt_new(r, 1)) == NULL
	    || (rc->recipient = strdup("user@example.com")) == NULL
	    || (rc->action = strdup(preview_action(status))) == NULL
	    || (status && (rc->status = strdup(status)) == NULL)
	    || (diagnostic && (rc->diagnostic = strdup(diagnostic)) == NULL))
		return (-1);
	classify_rcpt(NULL, rc);
	return (0);
}

int
render_preview(const tmpl_set *t, const char *status, const char *diagnostic,
	       const render_opts *o, buf *out)
{
	render_opts po = {t, NULL, NULL};
	dsn_report r;
	const tmpl *tp;
	tmpl_match how = TMPL_BY_DEFAULT;
	int     rc = -1;

	if (o != NULL) {
		po.organization = o->organization;
		po.helpdesk = o->helpdesk;
	}
	dsn_report_init(&r);
	if (preview_report(&r, status, diagnostic) < 0)
		goto out;
	tp = tmpl_select(t, r.rcpt[0].status, r.rcpt[0].diagnostic,
			 r.rcpt[0].reason, &how);
	if (tp == NULL)
		goto out;
	buf_printf(out, "template: %s (matched by %s)\n", tp->name,
		   tmpl_match_name(how));
	rc = render_explanation(&r, NULL, &po, out, NULL);
out:
	dsn_report_free(&r);
	return (rc);
}
