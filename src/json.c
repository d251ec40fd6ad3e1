/*
 * NAME
 *	json - the one-line JSON form of a bounce (dsnmilter -j)
 * DESCRIPTION
 *	See json.h.
 */
#include <string.h>

#include "json.h"
#include "utf8.h"

/* plain - length of the run at p that needs no escaping (ASCII only) */
static size_t
plain(const unsigned char *p)
{
	size_t  k = 0;

	while (p[k] >= 0x20 && p[k] < 0x7f && p[k] != '"' && p[k] != '\\')
		k++;
	return (k);
}

int
json_string(buf *out, const char *s)
{
	const unsigned char *p = (const unsigned char *) (s ? s : "");
	size_t  k;

	buf_putc(out, '"');
	while (*p) {
		if ((k = plain(p)) > 0) {
			buf_add(out, p, k);
			p += k;
		} else if (*p == '"' || *p == '\\') {
			buf_putc(out, '\\');
			buf_putc(out, *p++);
		} else if (*p < 0x20 || *p == 0x7f) {
			buf_printf(out, "\\u%04x", *p++);
		} else if ((k = utf8_decode(p, 4, NULL)) == 0) { /* stops at NUL */
			buf_puts(out, "\\ufffd");
			p++;
		} else {
			buf_add(out, p, k);
			p += k;
		}
	}
	buf_putc(out, '"');
	return (out->failed ? -1 : 0);
}

/* member - ,"name":"value"; key is the ready-made ,"name": */
static void
member(buf *out, const char *key, const char *value)
{
	buf_puts(out, key);
	json_string(out, value);
}

static void
json_rcpt(buf *out, const dsn_rcpt *p)
{
	buf_puts(out, "{\"recipient\":");
	json_string(out, p->recipient);
	member(out, ",\"original_recipient\":", p->original_recipient);
	member(out, ",\"action\":", p->action);
	member(out, ",\"status\":", p->status);
	member(out, ",\"reply_code\":", p->reply_code);
	member(out, ",\"reason\":", p->reason);
	member(out, ",\"owner\":", p->owner);
	member(out, ",\"remote_mta\":", p->remote_mta);
	member(out, ",\"diagnostic\":", p->diagnostic);
	member(out, ",\"last_attempt\":", p->last_attempt);
	buf_putc(out, '}');
}

int
json_report(buf *out, const char *file, int bounce, const dsn_report *r)
{
	size_t  i;

	buf_puts(out, "{\"file\":");
	json_string(out, file);
	buf_printf(out, ",\"bounce\":%s", bounce ? "true" : "false");
	member(out, ",\"kind\":", dsn_kind_name(r->kind));
	member(out, ",\"reporting_mta\":", r->reporting_mta);
	member(out, ",\"arrival_date\":", r->arrival_date);
	buf_puts(out, ",\"recipients\":[");
	for (i = 0; i < r->nrcpt; i++) {
		if (i > 0)
			buf_putc(out, ',');
		json_rcpt(out, r->rcpt + i);
	}
	buf_puts(out, "]}\n");
	return (out->failed ? -1 : 0);
}
