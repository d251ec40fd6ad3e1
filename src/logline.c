/*
 * NAME
 *	logline - the one syslog line per bounce
 * DESCRIPTION
 *	See logline.h.
 */
#include <string.h>

#include "logline.h"

#define VALUE_MAX 256

/* value_printable - printable, and no space: one key=value word */
static void
value_printable(char *s)
{
	logline_printable(s);
	for (; *s; s++)
		if (*s == ' ')
			*s = '?';
}

void
logline_printable(char *s)
{
	unsigned char *p;

	for (p = (unsigned char *) s; *p; p++)
		if (*p < 0x20 || *p > 0x7e)
			*p = '?';
}

/* put - " key=value", value made printable and capped */
static void
put(buf *out, const char *key, const char *value)
{
	size_t  start, n = value ? strlen(value) : 0;

	buf_printf(out, " %s=", key);
	start = out->len;
	buf_add(out, value ? value : "", n > VALUE_MAX ? VALUE_MAX : n);
	if (!out->failed)
		value_printable(out->data + start);
}

int
logline_format(buf *out, const char *queue_id, const dsn_report *r,
	       const char *action, const char *why)
{
	const dsn_rcpt *top = r ? dsn_significant(r) : NULL;
	size_t  start = out->len;

	buf_add(out, queue_id && *queue_id ? queue_id : "NOQUEUE",
		queue_id && *queue_id ? strnlen(queue_id, 64) : 7);
	if (!out->failed)
		logline_printable(out->data + start);
	buf_puts(out, ": bounce");
	put(out, "status", top ? top->status : NULL);
	put(out, "reason", top ? top->reason : NULL);
	put(out, "owner", top ? top->owner : NULL);
	buf_puts(out, " rcpt=<");
	start = out->len;
	buf_add(out, top && top->recipient ? top->recipient : "",
		top && top->recipient ? strnlen(top->recipient, VALUE_MAX) : 0);
	if (!out->failed)
		value_printable(out->data + start);
	buf_putc(out, '>');
	put(out, "action", action);
	if (why != NULL)
		put(out, "why", why);
	if (r != NULL && r->nrcpt + r->rcpt_dropped > 1)
		buf_printf(out, " nrcpt=%zu", r->nrcpt + r->rcpt_dropped);
	return (out->failed ? -1 : 0);
}
