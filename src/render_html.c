/*
 * NAME
 *	render_html - HTML layout of the explanation
 * SYNOPSIS
 *	#include "render_int.h"
 *	int    render_html(const rmodel *m, buf *out);
 *	int    render_html_notice(const char *s, size_t n, const rmodel *m,
 *	                          buf *out);
 * DESCRIPTION
 *	render_html() lays out the model as a complete HTML document for a
 *	mail part: nested tables for the layout, inline style attributes
 *	only (mail clients drop <style> blocks), no scripts, no images, no
 *	remote resources, and no link but a mailto: one for a helpdesk that
 *	is a plain address.  Every text, from the message or from the
 *	templates and strings, is HTML-escaped (tmpl_expand() with
 *	TMPL_HTML, or esc()); markup comes only from this file.  The fix-it
 *	owner is a row of three cells joined by arrows, the acting one
 *	framed in red with "Action required".  The document ends with
 *	RENDER_HTML_TAIL.
 *
 *	render_html_notice() appends the original notice, cleaned like the
 *	text version and escaped, inside <pre>.
 */
#include <string.h>

#include "render_int.h"

#define FONT	"font-family:'Segoe UI',Helvetica,Arial,sans-serif;"
#define MONO	"font-family:Consolas,'Courier New',monospace;"
#define RED	"#b3261e"
#define H2	"<h2 style=\"margin:24px 0 10px 0;padding-top:14px;" \
		"border-top:1px solid #dddddd;font-size:17px;line-height:22px;" \
		"font-weight:600;color:#222222;\">"
#define H3	"<h3 style=\"margin:16px 0 8px 0;font-size:15px;" \
		"line-height:20px;font-weight:600;color:#222222;\">"
#define P	"<p style=\"margin:0 0 12px 0;\">"
#define TABLE	"<table role=\"presentation\" width=\"100%\" cellpadding=\"0\" " \
		"cellspacing=\"0\" border=\"0\" style=\"margin:0 0 14px 0;" \
		"font-size:13px;line-height:18px;\">\n"
#define TD_LABEL "<td valign=\"top\" width=\"150\" style=\"padding:3px 12px " \
		"3px 0;color:#555555;\">"
#define TD_VALUE "<td valign=\"top\" style=\"padding:3px 0;" \
		"word-break:break-word;\">"
#define TD_MONO	"<td valign=\"top\" style=\"padding:3px 0;" MONO \
		"font-size:12px;word-break:break-word;\">"
#define HOP_CELL "padding:4px 6px;border:1px solid #dddddd;text-align:left;" \
		"vertical-align:top;"

/* esc - s, HTML-escaped */
static int
esc(buf *out, const char *s)
{
	const char *ent;
	size_t  run;
	int     rc = 0;

	for (; *s; s += run + 1) {
		run = strcspn(s, "&<>\"'");
		rc |= buf_add(out, s, run);
		switch (s[run]) {
		case 0: return (rc);
		case '&': ent = "&amp;"; break;
		case '<': ent = "&lt;"; break;
		case '>': ent = "&gt;"; break;
		case '"': ent = "&quot;"; break;
		default: ent = "&#39;"; break;
		}
		rc |= buf_puts(out, ent);
	}
	return (rc);
}

/* put - expand a strings key for HTML */
static int
put(const rmodel *m, const char *key, const tmpl_vars *v, buf *out)
{
	return (render_expand(m, key, v, TMPL_HTML, out));
}

/* elem - open, the expanded strings key, close */
static int
elem(const rmodel *m, const char *open, const char *key, const tmpl_vars *v,
     const char *close, buf *out)
{
	return (buf_puts(out, open) | put(m, key, v, out) | buf_puts(out, close));
}

/* headline_key - the strings key of the headline, and its recipient */
static const char *
headline_key(const rmodel *m, const char **rcpt)
{
	static const char *const one[] = {"headline_failed",
	"headline_delayed", "headline_delivered"};
	static const char *const many[] = {"headline_failed_many",
	"headline_delayed_many", "headline_delivered_many"};
	size_t  i;

	*rcpt = "";
	if (m->nrv == 0)
		return ("headline_unknown");
	for (i = 0; i < m->nrv && m->rv[i].kind != m->kind; i++)
		 /* void */ ;
	*rcpt = m->rv[i].recipient;
	return (m->nhead == 1 ? one[m->kind] : many[m->kind]);
}

/* head - doctype, head and the outer layout tables */
static int
head(const rmodel *m, buf *out)
{
	tmpl_vars v = m->v;
	const char *key = headline_key(m, &v.recipient);

	return (buf_puts(out, "<!DOCTYPE html>\n<html>\n<head>\n"
			 "<meta charset=\"utf-8\">\n<meta name=\"viewport\" "
			 "content=\"width=device-width, initial-scale=1\">\n")
		| elem(m, "<title>", key, &v, "</title>\n</head>\n", out)
		| buf_puts(out, "<body style=\"margin:0;padding:0;"
			   "background-color:#f4f4f4;\">\n"
			   "<table role=\"presentation\" width=\"100%\" "
			   "cellpadding=\"0\" cellspacing=\"0\" border=\"0\" "
			   "style=\"background-color:#f4f4f4;\">\n<tr><td "
			   "align=\"center\" style=\"padding:16px 8px;\">\n"
			   "<table role=\"presentation\" width=\"680\" "
			   "cellpadding=\"0\" cellspacing=\"0\" border=\"0\" "
			   "style=\"width:100%;max-width:680px;background-color:"
			   "#ffffff;border:1px solid #dcdcdc;" FONT "font-size:"
			   "14px;line-height:20px;color:#222222;text-align:left;"
			   "\">\n<tr><td style=\"padding:24px 28px;\">\n"));
}

/* headline - the first sentence, and the list of recipients */
static int
headline(const rmodel *m, buf *out)
{
	static const char *const color[] = {RED, "#8a5a00", "#1e7d32"};
	tmpl_vars v = m->v;
	const char *key = headline_key(m, &v.recipient);
	size_t  i;
	int     rc;

	rc = buf_puts(out, "<h1 style=\"margin:0 0 14px 0;font-size:22px;"
		      "line-height:28px;font-weight:600;color:")
		| buf_puts(out, color[m->kind]) | buf_puts(out, ";\">");
	rc |= put(m, key, &v, out) | buf_puts(out, "</h1>\n");
	if (m->nhead > 1) {
		rc |= buf_puts(out, "<ul style=\"margin:0 0 14px 0;"
			       "padding-left:22px;\">\n");
		for (i = 0; i < m->nrv; i++)
			if (m->rv[i].kind == m->kind)
				rc |= buf_puts(out, "<li>") | esc(out, m->rv[i].recipient)
					| buf_puts(out, "</li>\n");
		rc |= buf_puts(out, "</ul>\n");
	}
	if (m->others)
		rc |= elem(m, P, "headline_also", &v, "</p>\n", out);
	return (rc);
}

/* party - one cell of the owner row */
static int
party(const rmodel *m, const char *name, const char *role, int act,
      buf *out)
{
	int     rc;

	rc = buf_puts(out, "<td width=\"30%\" valign=\"top\" style=\"padding:"
		      "10px 8px;text-align:center;border:")
		| buf_puts(out, act ? "2px solid " RED : "1px solid #d0d0d0")
		| buf_puts(out, ";background-color:")
		| buf_puts(out, act ? "#fdecea" : "#f7f7f7")
		| buf_puts(out, ";\">\n<div style=\"font-size:15px;"
			   "font-weight:600;word-break:break-word;\">");
	rc |= esc(out, name) | buf_puts(out, "</div>\n");
	rc |= elem(m, "<div style=\"font-size:12px;color:#666666;\">", role,
		   &m->v, "</div>\n", out);
	if (act)
		rc |= elem(m, "<div style=\"margin-top:6px;font-size:12px;"
			   "font-weight:700;color:" RED ";\">", "action_required",
			   &m->v, "</div>\n", out);
	return (rc | buf_puts(out, "</td>\n"));
}

/* owner - who needs to act: three cells joined by arrows */
static int
owner(const rmodel *m, const rgroup *g, buf *out)
{
	static const char arrow[] = "<td width=\"5%\" align=\"center\" "
		"style=\"font-size:20px;color:#888888;\">&#8594;</td>\n";
	int     act = g->act, rc;

	rc = elem(m, H3, "owner_title", &m->v, "</h3>\n", out);
	rc |= buf_puts(out, "<table role=\"presentation\" width=\"100%\" "
		       "cellpadding=\"0\" cellspacing=\"0\" border=\"0\" "
		       "style=\"margin:0 0 12px 0;\">\n<tr>\n");
	rc |= party(m, render_str(m, "party_sender"), "role_sender", act == 0,
		    out) | buf_puts(out, arrow);
	rc |= party(m, m->party_system, "role_system", act == 1, out)
		| buf_puts(out, arrow);
	rc |= party(m, g->party_rcpt, "role_recipient", act == 2, out);
	rc |= buf_puts(out, "</tr>\n</table>\n");
	if (act < 0)
		rc |= elem(m, "<p style=\"margin:0 0 12px 0;color:#555555;\">",
			   "no_action", &m->v, "</p>\n", out);
	return (rc);
}

/* note - a delay or success note in a tinted box */
static int
note(const rmodel *m, const rgroup *g, buf *out)
{
	const char *key = g->kind == RK_DELIVERED ? "delivered_note"
		: *g->v.retry_until ? "delay_until" : "delay_open";

	return (elem(m, "<p style=\"margin:0 0 12px 0;padding:10px 12px;"
		     "background-color:#fff8e1;border-left:4px solid #8a5a00;\">",
		     key, &g->v, "</p>\n", out));
}

/* fix - the numbered steps */
static int
fix(const rmodel *m, const rgroup *g, buf *out)
{
	size_t  i;
	int     rc;

	if (g->kind != RK_FAILED)
		return (note(m, g, out));
	if (g->t == NULL || g->t->nfix == 0)
		return (0);
	rc = elem(m, H3, "fix_title", &m->v, "</h3>\n", out);
	rc |= buf_puts(out, "<ol style=\"margin:0 0 12px 0;padding-left:24px;"
		       "\">\n");
	for (i = 0; i < g->t->nfix; i++)
		rc |= buf_puts(out, "<li style=\"margin:0 0 4px 0;\">")
			| tmpl_expand(g->t->fix[i], &g->v, TMPL_HTML, out)
			| buf_puts(out, "</li>\n");
	return (rc | buf_puts(out, "</ol>\n"));
}

/* group - one cause: for whom, what happened, who acts, what to do */
static int
group(const rmodel *m, const rgroup *g, buf *out)
{
	int     rc = 0;

	if (m->ng > 1)
		rc |= elem(m, "<p style=\"margin:20px 0 8px 0;padding-top:12px;"
			   "border-top:1px solid #eeeeee;font-weight:600;\">",
			   "group_applies", &g->v, "</p>\n", out);
	if (g->t && g->t->cause)
		rc |= buf_puts(out, P) | tmpl_expand(g->t->cause, &g->v,
						     TMPL_HTML, out)
			| buf_puts(out, "</p>\n");
	return (rc | owner(m, g, out) | fix(m, g, out));
}

/* row - a label/value row; nothing for an empty value */
static int
row(const rmodel *m, const char *key, const char *value, int mono, buf *out)
{
	if (value == NULL || *value == 0)
		return (0);
	return (elem(m, "<tr>" TD_LABEL, key, &m->v, "</td>", out)
		| buf_puts(out, mono ? TD_MONO : TD_VALUE) | esc(out, value)
		| buf_puts(out, "</td></tr>\n"));
}

/* mail_address - is s a plain address fit for a mailto: link */
static int
mail_address(const char *s)
{
	const char *at = strchr(s, '@');

	return (at != NULL && at != s && at[1] != 0 && strchr(at + 1, '@') == NULL
		&& strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
			  "0123456789.-_+@") == strlen(s));
}

/* fragment - expand text[0..n) of a strings value */
static int
fragment(const char *text, size_t n, const tmpl_vars *v, buf *out)
{
	buf     b;
	int     rc;

	buf_init(&b);
	if (buf_add(&b, text, n) < 0)
		return (-1);
	rc = tmpl_expand(b.data, v, TMPL_HTML, out);
	buf_free(&b);
	return (rc);
}

/* helpdesk - the helpdesk line, the contact a mailto: link if it can be */
static int
helpdesk(const rmodel *m, buf *out)
{
	const char *s = render_str(m, "helpdesk"), *ph = "{helpdesk}", *at;
	const char *hd = m->v.helpdesk;
	size_t  k;
	int     rc;

	if (strncmp(hd, "mailto:", 7) == 0)
		hd += 7;
	for (at = strstr(s, ph); at; at = strstr(at + 1, ph)) {
		for (k = 0; at - k > s && at[-(long) k - 1] == '{'; k++)
			 /* void */ ;
		if (k % 2 == 0)			/* not an escaped "{{" */
			break;
	}
	if (at == NULL || !mail_address(hd))
		return (elem(m, P, "helpdesk", &m->v, "</p>\n", out));
	rc = buf_puts(out, P) | fragment(s, (size_t) (at - s), &m->v, out);
	rc |= buf_puts(out, "<a href=\"mailto:") | esc(out, hd)
		| buf_puts(out, "\" style=\"color:#0b57d0;\">") | esc(out, hd)
		| buf_puts(out, "</a>");
	at += strlen(ph);
	return (rc | fragment(at, strlen(at), &m->v, out) | buf_puts(out, "</p>\n"));
}

/* admin_rcpt - the details of one recipient */
static int
admin_rcpt(const rmodel *m, const rcpt_view *v, buf *out)
{
	int     rc = 0;

	rc |= row(m, "label_recipient", v->recipient, 0, out);
	rc |= row(m, "label_action", v->action, 0, out);
	rc |= row(m, "label_status", v->status, 0, out);
	rc |= row(m, "label_reply_code", v->reply_code, 0, out);
	rc |= row(m, "label_diagnostic", v->diagnostic, 1, out);
	rc |= row(m, "label_remote_mta", v->remote_mta, 0, out);
	rc |= row(m, "label_last_attempt", v->last_attempt, 0, out);
	rc |= row(m, "label_retry_until", v->retry_until, 0, out);
	return (rc);
}

/* admin - more info for email admins, group by group */
static int
admin(const rmodel *m, buf *out)
{
	const rgroup *g;
	size_t  i, j;
	int     rc;

	rc = elem(m, H2, "admin_title", &m->v, "</h2>\n", out);
	if (*m->reporting_mta || *m->arrival_date)
		rc |= buf_puts(out, TABLE)
			| row(m, "label_reporting_mta", m->reporting_mta, 0, out)
			| row(m, "label_arrival_date", m->arrival_date, 0, out)
			| buf_puts(out, "</table>\n");
	for (i = 0; i < m->ng; i++) {
		g = &m->g[i];
		rc |= buf_puts(out, TABLE);
		for (j = 0; j < g->n; j++)
			rc |= admin_rcpt(m, &m->rv[g->idx[j]], out);
		if (g->t && g->t->admin)
			rc |= elem(m, "<tr>" TD_LABEL, "label_about", &m->v, "</td>",
				   out) | buf_puts(out, TD_VALUE)
				| tmpl_expand(g->t->admin, &g->v, TMPL_HTML, out)
				| buf_puts(out, "</td></tr>\n");
		rc |= buf_puts(out, "</table>\n");
	}
	return (rc);
}

/* original - the returned message's subject, date, from, to, id */
static int
original(const rmodel *m, buf *out)
{
	const orig_msg *om = m->om;
	int     rc = elem(m, H2, "original_title", &m->v, "</h2>\n", out);

	if (om == NULL || (!om->subject && !om->date && !om->from && !om->to
			   && !om->message_id))
		return (rc | elem(m, P, "original_missing", &m->v, "</p>\n", out));
	return (rc | buf_puts(out, TABLE)
		| row(m, "label_subject", om->subject, 0, out)
		| row(m, "label_date", om->date, 0, out)
		| row(m, "label_from", om->from, 0, out)
		| row(m, "label_to", om->to, 0, out)
		| row(m, "label_message_id", om->message_id, 0, out)
		| buf_puts(out, "</table>\n"));
}

/* Columns of the hop table that may wrap: from and by. */
#define HOP_WRAPS(col)	((col) == 2 || (col) == 3)

/* cell - one cell of column col of the hop table */
static int
cell(buf *out, const char *tag, int col, const char *s, size_t n)
{
	buf     b;
	int     rc;

	buf_init(&b);
	rc = buf_putc(out, '<') | buf_puts(out, tag)
		| buf_puts(out, " style=\"" HOP_CELL)
		| buf_puts(out, *tag == 'h' ? "background-color:#f0f0f0;" : "")
		| buf_puts(out, HOP_WRAPS(col) ? "overflow-wrap:break-word;"
			   : "white-space:nowrap;") | buf_puts(out, "\">");
	rc |= buf_add(&b, s, n) | esc(out, b.data ? b.data : "");
	buf_free(&b);
	return (rc | buf_puts(out, "</") | buf_puts(out, tag)
		| buf_putc(out, '>'));
}

/* hop - one row of the hop table */
static int
hop(const orig_hop *h, size_t i, buf *tmp, buf *out)
{
	int     rc;

	rc = buf_puts(out, "<tr>");
	buf_reset(tmp);
	rc |= buf_printf(tmp, "%zu", i + 1) | cell(out, "td", 0, tmp->data,
						   tmp->len);
	buf_reset(tmp);
	rc |= render_hop_time(h, tmp) | cell(out, "td", 1, tmp->data ? tmp->data
					      : "", tmp->len);
	rc |= cell(out, "td", 2, h->from ? h->from : "",
		   h->from ? strlen(h->from) : 0);
	rc |= cell(out, "td", 3, h->by ? h->by : "", h->by ? strlen(h->by) : 0);
	rc |= cell(out, "td", 4, h->with ? h->with : "",
		   h->with ? strlen(h->with) : 0);
	buf_reset(tmp);
	rc |= render_hop_delay(h, tmp) | cell(out, "td", 5, tmp->data ? tmp->data
					       : "", tmp->len);
	return (rc | buf_puts(out, "</tr>\n"));
}

/* hops - the servers the original message passed, oldest first */
static int
hops(const rmodel *m, buf *out)
{
	static const char *const keys[] = {"hop_number", "hop_time",
	"hop_from", "hop_by", "hop_with", "hop_delay"};
	const char *s;
	size_t  i;
	buf     tmp;
	int     rc = elem(m, H2, "hops_title", &m->v, "</h2>\n", out);

	if (m->om == NULL || m->om->nhops == 0)
		return (rc | elem(m, P, "hops_none", &m->v, "</p>\n", out));
	rc |= buf_puts(out, "<table cellpadding=\"0\" cellspacing=\"0\" "
		       "border=\"0\" width=\"100%\" style=\"border-collapse:"
		       "collapse;margin:0 0 14px 0;font-size:12px;"
		       "line-height:16px;\">\n<tr>");
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		s = render_str(m, keys[i]);
		rc |= cell(out, "th", (int) i, s, strlen(s));
	}
	rc |= buf_puts(out, "</tr>\n");
	buf_init(&tmp);
	for (i = 0; i < m->om->nhops; i++)
		rc |= hop(&m->om->hops[i], i, &tmp, out);
	rc |= tmp.failed ? -1 : 0;
	buf_free(&tmp);
	return (rc | buf_puts(out, "</table>\n"));
}

int
render_html(const rmodel *m, buf *out)
{
	size_t  i;
	int     rc;

	rc = head(m, out) | headline(m, out);
	for (i = 0; i < m->ng; i++)
		rc |= group(m, &m->g[i], out);
	if (*m->v.helpdesk)
		rc |= helpdesk(m, out);
	rc |= admin(m, out) | original(m, out) | hops(m, out);
	rc |= buf_puts(out, RENDER_HTML_TAIL);
	return (rc || out->failed ? -1 : 0);
}

int
render_html_notice(const char *s, size_t n, const rmodel *m, buf *out)
{
	buf     b;
	int     rc;

	buf_init(&b);
	rc = elem(m, H2, "notice_title", &m->v, "</h2>\n", out);
	rc |= render_text_clean(s, n, &b);
	rc |= buf_puts(out, "<pre style=\"margin:0;padding:12px;"
		       "background-color:#f7f7f7;border:1px solid #e0e0e0;" MONO
		       "font-size:12px;line-height:16px;white-space:pre-wrap;"
		       "word-wrap:break-word;\">");
	rc |= esc(out, b.data ? b.data : "") | buf_puts(out, "</pre>\n");
	buf_free(&b);
	return (rc || out->failed ? -1 : 0);
}
