/*
 * NAME
 *	render_text - plain-text layout of the explanation
 * SYNOPSIS
 *	#include "render_int.h"
 *	int    render_text(const rmodel *m, buf *out);
 *	int    render_text_notice(const char *s, size_t n, const rmodel *m,
 *	                          buf *out);
 *	int    render_text_clean(const char *s, size_t n, buf *out);
 * DESCRIPTION
 *	render_text() lays out the model as UTF-8 text with LF line ends:
 *	sections under underlined titles, paragraphs wrapped at
 *	RENDER_WIDTH columns (a word longer than a line, such as a URL, is
 *	kept whole), label/value tables with hanging indents, the fix-it
 *	owner as a small drawing of three boxes with the acting one marked
 *	("^^^^" and the "Action required" text under it; stacked vertically
 *	when the names are too long for one line), and the message hops as
 *	a table, or one block per hop when a table would not fit.
 *	Columns are counted in UTF-8 characters.  Values were cleaned when
 *	the model was built; template and strings texts are expanded with
 *	TMPL_TEXT, which drops control characters once more.
 *
 *	render_text_clean() appends the text s[0..n) (any line ends) with
 *	LF line ends, every line cleaned of control characters (a tab
 *	becomes spaces, trailing blanks go), invalid UTF-8 replaced, no
 *	blank lines at the start or the end.  render_text_notice() appends
 *	the original notice so cleaned under its title.
 */
#include <string.h>

#include "render_int.h"
#include "rfc2047.h"
#include "text.h"

#define LABEL_MAX	24		/* label column, at most */
#define HOP_FIELDS	6

/* width - columns of s[0..n): UTF-8 characters */
static size_t
width(const char *s, size_t n)
{
	size_t  i, w = 0;

	for (i = 0; i < n; i++)
		if (((unsigned char) s[i] & 0xc0) != 0x80)
			w++;
	return (w);
}

/* spaces - n blanks */
static int
spaces(buf *out, size_t n)
{
	int     rc = 0;

	while (n-- > 0)
		rc |= buf_putc(out, ' ');
	return (rc);
}

/* wrap - words of s, the cursor at column col; continuation at indent */
static int
wrap(buf *out, const char *s, size_t col, size_t indent)
{
	size_t  n, w;
	int     rc = 0, first = 1;

	for (;;) {
		while (*s == ' ')
			s++;
		if (*s == 0)
			break;
		n = strcspn(s, " ");
		w = width(s, n);
		if (!first && col + 1 + w > RENDER_WIDTH) {
			rc |= buf_putc(out, '\n') | spaces(out, indent);
			col = indent;
		} else if (!first) {
			rc |= buf_putc(out, ' ');
			col++;
		}
		rc |= buf_add(out, s, n);
		col += w;
		first = 0;
		s += n;
	}
	return (rc | buf_putc(out, '\n'));
}

/* para - expand key (or text when key is NULL), wrap it, blank line */
static int
para(const rmodel *m, const char *key, const char *text, const tmpl_vars *v,
     size_t indent, buf *out)
{
	buf     b;
	int     rc;

	buf_init(&b);
	rc = tmpl_expand(key ? render_str(m, key) : text, v, TMPL_TEXT, &b);
	rc |= spaces(out, indent);
	rc |= wrap(out, b.data ? b.data : "", indent, indent);
	rc |= buf_putc(out, '\n');
	rc |= b.failed ? -1 : 0;
	buf_free(&b);
	return (rc);
}

/* title - a section title underlined with c */
static int
title(const rmodel *m, const char *key, int c, buf *out)
{
	const char *s = render_str(m, key);
	size_t  w = width(s, strlen(s));
	int     rc;

	rc = buf_puts(out, s) | buf_putc(out, '\n');
	while (w-- > 0)
		rc |= buf_putc(out, c);
	return (rc | buf_puts(out, "\n\n"));
}

/* field - "Label:   value" with the value wrapped; empty value: nothing */
static int
field(const rmodel *m, const char *key, const char *value, size_t lw,
      buf *out)
{
	const char *label = render_str(m, key);
	size_t  w = width(label, strlen(label)) + 1;

	if (value == NULL || *value == 0)
		return (0);
	if (buf_puts(out, label) < 0 || buf_putc(out, ':') < 0
	    || spaces(out, w < lw ? lw - w : 1) < 0)
		return (-1);
	return (wrap(out, value, w < lw ? lw : w + 1, lw));
}

/* label_width - the value column for these labels */
static size_t
label_width(const rmodel *m, const char *const *keys)
{
	size_t  w, max = 0;
	const char *s;

	for (; *keys; keys++) {
		s = render_str(m, *keys);
		if ((w = width(s, strlen(s)) + 2) > max)
			max = w;
	}
	return (max > LABEL_MAX ? LABEL_MAX : max);
}

/* headline - the first sentence, and the list of recipients */
static int
headline(const rmodel *m, buf *out)
{
	static const char *const one[] = {"headline_failed",
	"headline_delayed", "headline_delivered"};
	static const char *const many[] = {"headline_failed_many",
	"headline_delayed_many", "headline_delivered_many"};
	tmpl_vars v = m->v;
	size_t  i;
	int     rc = 0;

	if (m->nrv == 0)
		return (para(m, "headline_unknown", NULL, &v, 0, out));
	for (i = 0; i < m->nrv && m->rv[i].kind != m->kind; i++)
		 /* void */ ;
	v.recipient = m->rv[i].recipient;
	if (m->nhead == 1)
		rc |= para(m, one[m->kind], NULL, &v, 0, out);
	else {
		rc |= para(m, many[m->kind], NULL, &v, 0, out);
		for (i = 0; i < m->nrv; i++)
			if (m->rv[i].kind == m->kind)
				rc |= spaces(out, 2) | buf_puts(out, m->rv[i].recipient)
					| buf_putc(out, '\n');
		rc |= buf_putc(out, '\n');
	}
	if (m->others)
		rc |= para(m, "headline_also", NULL, &v, 0, out);
	return (rc);
}

/* box - "[ name ]" */
static int
box(buf *out, const char *name)
{
	return (buf_puts(out, "[ ") | buf_puts(out, name) | buf_puts(out, " ]"));
}

/* drawing_wide - the three boxes on one line, a marker line under one */
static int
drawing_wide(const rmodel *m, const char *const name[3], int act, buf *out)
{
	size_t  col = 2, at = 0, w = 0;
	int     i, rc = spaces(out, 2);

	for (i = 0; i < 3; i++) {
		if (i > 0) {
			rc |= buf_puts(out, " ---> ");
			col += 6;
		}
		if (i == act) {
			at = col;
			w = width(name[i], strlen(name[i])) + 4;
		}
		rc |= box(out, name[i]);
		col += width(name[i], strlen(name[i])) + 4;
	}
	rc |= buf_putc(out, '\n');
	if (act < 0)
		return (rc | spaces(out, 2) | buf_puts(out, render_str(m, "no_action"))
			| buf_puts(out, "\n\n"));
	rc |= spaces(out, at);
	while (w-- > 0)
		rc |= buf_putc(out, '^');
	return (rc | buf_putc(out, '\n') | spaces(out, at)
		| buf_puts(out, render_str(m, "action_required")) | buf_puts(out, "\n\n"));
}

/* drawing_tall - the three boxes stacked, the acting one marked */
static int
drawing_tall(const rmodel *m, const char *const name[3], int act, buf *out)
{
	int     i, rc = 0;

	for (i = 0; i < 3; i++) {
		if (i > 0)
			rc |= buf_puts(out, "     |\n     v\n");
		rc |= spaces(out, 2) | box(out, name[i]);
		if (i == act)
			rc |= buf_puts(out, "  <-- ")
				| buf_puts(out, render_str(m, "action_required"));
		rc |= buf_putc(out, '\n');
	}
	if (act < 0)
		rc |= spaces(out, 2) | buf_puts(out, render_str(m, "no_action"))
			| buf_putc(out, '\n');
	return (rc | buf_putc(out, '\n'));
}

/* owner - who needs to act, as a drawing */
static int
owner(const rmodel *m, const rgroup *g, buf *out)
{
	const char *name[3];
	size_t  w = 2 + 12 + 6 * 2;
	int     i, rc;

	name[0] = render_str(m, "party_sender");
	name[1] = m->party_system;
	name[2] = g->party_rcpt;
	for (i = 0; i < 3; i++)
		w += width(name[i], strlen(name[i]));
	rc = title(m, "owner_title", '-', out);
	if (w <= RENDER_WIDTH)
		return (rc | drawing_wide(m, name, g->act, out));
	return (rc | drawing_tall(m, name, g->act, out));
}

/* fix - the numbered steps, or what a delay or a success means */
static int
fix(const rmodel *m, const rgroup *g, buf *out)
{
	size_t  i;
	buf     b;
	int     rc = 0;

	if (g->kind == RK_DELAYED)
		return (para(m, *g->v.retry_until ? "delay_until" : "delay_open",
			     NULL, &g->v, 0, out));
	if (g->kind == RK_DELIVERED)
		return (para(m, "delivered_note", NULL, &g->v, 0, out));
	if (g->t == NULL || g->t->nfix == 0)
		return (0);
	rc |= title(m, "fix_title", '-', out);
	buf_init(&b);
	for (i = 0; i < g->t->nfix; i++) {
		buf_reset(&b);
		rc |= tmpl_expand(g->t->fix[i], &g->v, TMPL_TEXT, &b);
		rc |= buf_printf(out, "%3zu. ", i + 1);
		rc |= wrap(out, b.data ? b.data : "", 5, 5);
	}
	rc |= b.failed ? -1 : 0;
	buf_free(&b);
	return (rc | buf_putc(out, '\n'));
}

/* group - one cause: for whom, what happened, who acts, what to do */
static int
group(const rmodel *m, const rgroup *g, buf *out)
{
	int     rc = 0;

	if (m->ng > 1)
		rc |= para(m, "group_applies", NULL, &g->v, 0, out);
	if (g->t && g->t->cause)
		rc |= para(m, NULL, g->t->cause, &g->v, 0, out);
	rc |= owner(m, g, out);
	return (rc | fix(m, g, out));
}

/* admin_rcpt - the details of one recipient */
static int
admin_rcpt(const rmodel *m, const rcpt_view *v, size_t lw, buf *out)
{
	int     rc = 0;

	rc |= field(m, "label_recipient", v->recipient, lw, out);
	rc |= field(m, "label_action", v->action, lw, out);
	rc |= field(m, "label_status", v->status, lw, out);
	rc |= field(m, "label_reply_code", v->reply_code, lw, out);
	rc |= field(m, "label_diagnostic", v->diagnostic, lw, out);
	rc |= field(m, "label_remote_mta", v->remote_mta, lw, out);
	rc |= field(m, "label_last_attempt", v->last_attempt, lw, out);
	rc |= field(m, "label_retry_until", v->retry_until, lw, out);
	return (rc);
}

/* admin - more info for email admins, group by group */
static int
admin(const rmodel *m, buf *out)
{
	static const char *const keys[] = {"label_recipient", "label_action",
		"label_status", "label_reply_code", "label_diagnostic",
		"label_remote_mta", "label_reporting_mta", "label_arrival_date",
		"label_last_attempt", "label_retry_until", NULL};
	size_t  lw = label_width(m, keys), i, j;
	int     rc = title(m, "admin_title", '=', out);
	buf     b;

	rc |= field(m, "label_reporting_mta", m->reporting_mta, lw, out);
	rc |= field(m, "label_arrival_date", m->arrival_date, lw, out);
	if (*m->reporting_mta || *m->arrival_date)
		rc |= buf_putc(out, '\n');
	buf_init(&b);
	for (i = 0; i < m->ng; i++) {
		for (j = 0; j < m->g[i].n; j++)
			rc |= admin_rcpt(m, &m->rv[m->g[i].idx[j]], lw, out);
		if (m->g[i].t && m->g[i].t->admin) {
			buf_reset(&b);
			rc |= tmpl_expand(m->g[i].t->admin, &m->g[i].v, TMPL_TEXT, &b);
			rc |= field(m, "label_about", b.data, lw, out);
		}
		rc |= buf_putc(out, '\n');
	}
	rc |= b.failed ? -1 : 0;
	buf_free(&b);
	return (rc);
}

/* original - the returned message's subject, date, from, to, id */
static int
original(const rmodel *m, buf *out)
{
	static const char *const keys[] = {"label_subject", "label_date",
	"label_from", "label_to", "label_message_id", NULL};
	const orig_msg *om = m->om;
	size_t  lw = label_width(m, keys);
	int     rc = title(m, "original_title", '=', out);

	if (om == NULL || (!om->subject && !om->date && !om->from && !om->to
			   && !om->message_id))
		return (rc | para(m, "original_missing", NULL, &m->v, 0, out));
	rc |= field(m, "label_subject", om->subject, lw, out);
	rc |= field(m, "label_date", om->date, lw, out);
	rc |= field(m, "label_from", om->from, lw, out);
	rc |= field(m, "label_to", om->to, lw, out);
	rc |= field(m, "label_message_id", om->message_id, lw, out);
	return (rc | buf_putc(out, '\n'));
}

/* hop_cells - the six cells of hop i (0-based) into c[] */
static int
hop_cells(const orig_hop *h, size_t i, buf c[HOP_FIELDS])
{
	int     k, rc = 0;

	for (k = 0; k < HOP_FIELDS; k++)
		buf_reset(&c[k]);
	rc |= buf_printf(&c[0], "%zu", i + 1);
	rc |= render_hop_time(h, &c[1]);
	rc |= buf_puts(&c[2], h->from ? h->from : "");
	rc |= buf_puts(&c[3], h->by ? h->by : "");
	rc |= buf_puts(&c[4], h->with ? h->with : "");
	rc |= render_hop_delay(h, &c[5]);
	for (k = 0; k < HOP_FIELDS; k++)
		if (c[k].data == NULL)
			rc |= buf_puts(&c[k], "");
	return (rc);
}

static const char *const hop_keys[HOP_FIELDS + 1] = {"hop_number",
	"hop_time", "hop_from", "hop_by", "hop_with", "hop_delay", NULL};

/* hop_widths - column widths of the hop table; its total width */
static size_t
hop_widths(const rmodel *m, buf c[HOP_FIELDS], size_t w[HOP_FIELDS])
{
	size_t  i, total = 0, cw;
	const char *s;
	int     k;

	for (k = 0; k < HOP_FIELDS; k++) {
		s = render_str(m, hop_keys[k]);
		w[k] = width(s, strlen(s));
	}
	for (i = 0; i < m->om->nhops; i++) {
		if (hop_cells(&m->om->hops[i], i, c) < 0)
			return ((size_t) -1);
		for (k = 0; k < HOP_FIELDS; k++)
			if ((cw = width(c[k].data, c[k].len)) > w[k])
				w[k] = cw;
	}
	for (k = 0; k < HOP_FIELDS; k++)
		total += w[k] + (k ? 2 : 0);
	return (total);
}

/* hop_row - one table row of cells, padded to w, no trailing blanks */
static int
hop_row(const char *const cell[HOP_FIELDS], const size_t w[HOP_FIELDS],
	buf *out)
{
	size_t  pad = 0, cw;
	int     k, rc = 0;

	for (k = 0; k < HOP_FIELDS; k++) {
		if (*cell[k] == 0) {
			pad += w[k] + 2;
			continue;
		}
		rc |= spaces(out, pad) | buf_puts(out, cell[k]);
		cw = width(cell[k], strlen(cell[k]));
		pad = w[k] - cw + 2;
	}
	return (rc | buf_putc(out, '\n'));
}

/* hop_table - the hops as a table of HOP_FIELDS columns */
static int
hop_table(const rmodel *m, buf c[HOP_FIELDS], const size_t w[HOP_FIELDS],
	  buf *out)
{
	const char *cell[HOP_FIELDS];
	size_t  i;
	int     k, rc;

	for (k = 0; k < HOP_FIELDS; k++)
		cell[k] = render_str(m, hop_keys[k]);
	rc = hop_row(cell, w, out);
	for (i = 0; i < m->om->nhops; i++) {
		rc |= hop_cells(&m->om->hops[i], i, c);
		for (k = 0; k < HOP_FIELDS; k++)
			cell[k] = c[k].data;
		rc |= hop_row(cell, w, out);
	}
	return (rc);
}

/* hop_blocks - the hops one block each, for long names */
static int
hop_blocks(const rmodel *m, buf c[HOP_FIELDS], buf *out)
{
	size_t  lw = label_width(m, hop_keys + 1) + 4, i;
	int     k, rc = 0;

	for (i = 0; i < m->om->nhops; i++) {
		rc |= hop_cells(&m->om->hops[i], i, c);
		if (i > 0)
			rc |= buf_putc(out, '\n');
		rc |= buf_printf(out, "%2zu. ", i + 1);
		for (k = 1; k < HOP_FIELDS; k++) {
			if (k > 1 && c[k].len > 0)
				rc |= spaces(out, 4);
			rc |= field(m, hop_keys[k], c[k].data, lw - 4, out);
		}
	}
	return (rc);
}

/* hops - the servers the original message passed, oldest first */
static int
hops(const rmodel *m, buf *out)
{
	buf     c[HOP_FIELDS];
	size_t  w[HOP_FIELDS], total;
	int     k, rc = title(m, "hops_title", '=', out);

	if (m->om == NULL || m->om->nhops == 0)
		return (rc | para(m, "hops_none", NULL, &m->v, 0, out));
	for (k = 0; k < HOP_FIELDS; k++)
		buf_init(&c[k]);
	if ((total = hop_widths(m, c, w)) == (size_t) -1)
		rc = -1;
	else if (total <= RENDER_WIDTH)
		rc |= hop_table(m, c, w, out);
	else
		rc |= hop_blocks(m, c, out);
	for (k = 0; k < HOP_FIELDS; k++) {
		rc |= c[k].failed ? -1 : 0;
		buf_free(&c[k]);
	}
	return (rc | buf_putc(out, '\n'));
}

int
render_text(const rmodel *m, buf *out)
{
	size_t  i;
	int     rc;

	rc = headline(m, out);
	for (i = 0; i < m->ng; i++)
		rc |= group(m, &m->g[i], out);
	if (*m->v.helpdesk)
		rc |= para(m, "helpdesk", NULL, &m->v, 0, out);
	rc |= admin(m, out);
	rc |= original(m, out);
	rc |= hops(m, out);
	return (rc || out->failed ? -1 : 0);
}

/* notice_line - one line of the notice, cleaned, tabs expanded */
static int
notice_line(const char *s, size_t n, buf *out)
{
	const char *tab;
	size_t  i, run, col = 0;
	int     rc = 0;

	for (i = 0; i < n; i += run) {
		if (s[i] == '\t') {
			rc |= spaces(out, 8 - col % 8);
			col += 8 - col % 8;
			run = 1;
			continue;
		}
		tab = memchr(s + i, '\t', n - i);
		run = tab ? (size_t) (tab - (s + i)) : n - i;
		rc |= utf8_sanitize_buf(s + i, run, out);
		if (tab != NULL)		/* the column matters to a tab */
			col += width(s + i, run);
	}
	while (out->len > 0 && out->data[out->len - 1] == ' ')
		out->len--;
	return (rc | buf_putc(out, '\n'));
}

int
render_text_clean(const char *s, size_t n, buf *out)
{
	size_t  pos = 0, len, blank = 0;
	const char *line;
	int     rc = 0, started = 0;

	while (text_line(s, n, &pos, &line, &len)) {
		if (len == 0) {			/* no leading or trailing blanks */
			blank++;
			continue;
		}
		while (started && blank > 0 && blank-- > 0)
			rc |= buf_putc(out, '\n');
		blank = 0;
		started = 1;
		rc |= notice_line(line, len, out);
	}
	return (rc || out->failed ? -1 : 0);
}

int
render_text_notice(const char *s, size_t n, const rmodel *m, buf *out)
{
	if (title(m, "notice_title", '=', out) < 0)
		return (-1);
	return (render_text_clean(s, n, out));
}
