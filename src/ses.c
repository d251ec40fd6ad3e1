/*
 * NAME
 *	ses - Amazon SES bounce notifications (JSON sent by e-mail)
 * DESCRIPTION
 *	See ses.h.
 */
#include <stdlib.h>
#include <string.h>

#include "dsn.h"
#include "ses.h"
#include "status.h"
#include "text.h"
#include "utf8.h"

/*
 * Amazon SES notifications (sent by e-mail through SNS): one JSON object
 * in the body, {"notificationType":"Bounce","bounce":{"reportingMTA":
 * ..., "bouncedRecipients":[{"emailAddress", "action", "status",
 * "diagnosticCode"}]}} or a "Delivery" with "recipients" and
 * "smtpResponse"; event publishing says "eventType" instead.  The reader
 * below knows just enough JSON for that: skip a value, find an object's
 * member, walk an array, decode a string.  Offsets past the end or a
 * malformed value give JS_BAD; nesting is bounded.
 */
#define JS_BAD	((size_t) -1)
#define JS_DEPTH 32

/* js_ws - the first offset at or after i that is not white space */
static size_t
js_ws(const char *p, size_t n, size_t i)
{
	while (i < n && (p[i] == ' ' || p[i] == '\t' || p[i] == '\r'
			 || p[i] == '\n'))
		i++;
	return (i);
}

static size_t js_skip(const char *p, size_t n, size_t i, int depth);

/* js_skip_string - the offset past the string that starts at p[i] == '"' */
static size_t
js_skip_string(const char *p, size_t n, size_t i)
{
	for (i++; i < n; i++) {
		if (p[i] == '\\')
			i++;
		else if (p[i] == '"')
			return (i + 1);
	}
	return (JS_BAD);
}

/* js_skip_nested - the offset past the object or array at p[i] */
static size_t
js_skip_nested(const char *p, size_t n, size_t i, int depth)
{
	char    close = p[i] == '{' ? '}' : ']';
	int     object = p[i] == '{';

	if (depth >= JS_DEPTH)
		return (JS_BAD);
	if ((i = js_ws(p, n, i + 1)) < n && p[i] == close)
		return (i + 1);
	while (i < n) {
		if (object) {
			if (p[i] != '"' || (i = js_skip_string(p, n, i)) == JS_BAD
			    || (i = js_ws(p, n, i)) >= n || p[i] != ':')
				return (JS_BAD);
			i = js_ws(p, n, i + 1);
		}
		if ((i = js_skip(p, n, i, depth + 1)) == JS_BAD
		    || (i = js_ws(p, n, i)) >= n)
			return (JS_BAD);
		if (p[i] == close)
			return (i + 1);
		if (p[i] != ',')
			return (JS_BAD);
		i = js_ws(p, n, i + 1);
	}
	return (JS_BAD);
}

/* js_skip - the offset past the value that starts at p[i] */
static size_t
js_skip(const char *p, size_t n, size_t i, int depth)
{
	size_t  start = i;

	if (i >= n)
		return (JS_BAD);
	if (p[i] == '"')
		return (js_skip_string(p, n, i));
	if (p[i] == '{' || p[i] == '[')
		return (js_skip_nested(p, n, i, depth));
	while (i < n && ((p[i] >= '0' && p[i] <= '9') || (p[i] >= 'a'
			 && p[i] <= 'z') || p[i] == '.' || p[i] == '-'
			 || p[i] == '+' || p[i] == 'E'))
		i++;
	return (i > start ? i : JS_BAD);
}

/*
 * js_next - the offset of the next element of the object or array whose
 * previous element (or whose opening bracket, for the first) is at *i;
 * for an object, the member's name.  JS_BAD at the end.
 */
static size_t
js_next(const char *p, size_t n, size_t *i, int first)
{
	size_t  k = *i, v;

	if (!first) {
		if (p[k] == '"' && (v = js_skip_string(p, n, k)) != JS_BAD
		    && (v = js_ws(p, n, v)) < n && p[v] == ':')
			k = js_ws(p, n, v + 1);	/* a member: skip its name */
		if ((k = js_skip(p, n, k, 1)) == JS_BAD
		    || (k = js_ws(p, n, k)) >= n || p[k] != ',')
			return (JS_BAD);
	}
	k = js_ws(p, n, k + 1);
	if (k >= n || p[k] == '}' || p[k] == ']')
		return (JS_BAD);
	return (*i = k);
}

/* js_member - the offset of the value of member key of the object at o */
static size_t
js_member(const char *p, size_t n, size_t o, const char *key)
{
	size_t  i = o, k, len = strlen(key);
	int     first = 1;

	if (o >= n || p[o] != '{')
		return (JS_BAD);
	for (; js_next(p, n, &i, first) != JS_BAD; first = 0) {
		if (p[i] != '"' || (k = js_skip_string(p, n, i)) == JS_BAD)
			return (JS_BAD);
		if (k - i - 2 == len && memcmp(p + i + 1, key, len) == 0
		    && (k = js_ws(p, n, k)) < n && p[k] == ':')
			return (js_ws(p, n, k + 1));
	}
	return (JS_BAD);
}

/* js_hex4 - the four hex digits at p[i..i+4) as *c; 0 when they are not */
static int
js_hex4(const char *p, size_t n, size_t i, unsigned *c)
{
	size_t  k;
	unsigned v = 0;
	int     h;

	if (i + 4 > n)
		return (0);
	for (k = i; k < i + 4; k++) {
		h = p[k] | 0x20;
		if (p[k] >= '0' && p[k] <= '9')
			v = v << 4 | (unsigned) (p[k] - '0');
		else if (h >= 'a' && h <= 'f')
			v = v << 4 | (unsigned) (h - 'a' + 10);
		else
			return (0);
	}
	*c = v;
	return (1);
}

/*
 * js_string - a new copy of the string at p[i], escapes undone: control
 * characters (escaped or not) become spaces, surrogates U+FFFD, a broken
 * \u a "?".  The result is never longer than the JSON text.  NULL when
 * p[i] is not a string (*nomem 0) or memory ran out (*nomem 1).
 */
static char *
js_string(const char *p, size_t n, size_t i, int *nomem)
{
	size_t  end, w = 0;
	unsigned c;
	char   *s;

	*nomem = 0;
	if (i >= n || p[i] != '"' || (end = js_skip_string(p, n, i)) == JS_BAD)
		return (NULL);
	if ((s = malloc(end - i)) == NULL) {
		*nomem = 1;
		return (NULL);
	}
	for (i++; i + 1 < end; i++) {
		if (p[i] != '\\') {
			s[w++] = (unsigned char) p[i] < 0x20 ? ' ' : p[i];
			continue;
		}
		if (p[++i] != 'u')
			s[w++] = strchr("nrtbf", p[i]) ? ' ' : p[i];
		else if (!js_hex4(p, end - 1, i + 1, &c))
			s[w++] = '?';
		else {
			i += 4;
			c = c < 0x20 ? ' ' : c >= 0xd800 && c < 0xe000 ? 0xfffd : c;
			w += utf8_encode(c, s + w);
		}
	}
	s[w] = 0;
	return (s);
}

/* ses_text - *slot, when empty, gets the string member key of object o */
static int
ses_text(const char *p, size_t n, size_t o, const char *key, char **slot)
{
	size_t  v;
	int     nomem;

	if (*slot != NULL || (v = js_member(p, n, o, key)) == JS_BAD)
		return (0);
	*slot = js_string(p, n, v, &nomem);
	return (nomem ? -1 : 0);
}

/*
 * ses_normalise - the stored forms: bare address, lowercased action
 * (action when there is none; NULL: leave it), the code alone
 */
static int
ses_normalise(dsn_rcpt *rc, const char *action)
{
	char    code[STATUS_MAX], *v;

	if (action != NULL && rc->action == NULL
	    && (rc->action = text_dup(action, strlen(action))) == NULL)
		return (-1);
	if (rc->action != NULL)
		text_lower(rc->action);
	if (rc->recipient != NULL) {
		if ((v = dsn_field_value(rc->recipient,
					 strlen(rc->recipient))) == NULL)
			return (-1);
		free(rc->recipient);
		rc->recipient = v;
	}
	if (rc->status != NULL) {
		if (!status_find(rc->status, strlen(rc->status), code))
			code[0] = 0;
		free(rc->status);
		if ((rc->status = text_dup(code, strlen(code))) == NULL)
			return (-1);
	}
	return (0);
}

/* The notification types read, with their object and recipient list. */
typedef struct ses_type {
	const char *type;		/* notificationType / eventType */
	const char *object;		/* the member that describes it */
	const char *list;		/* its recipients */
	const char *action;		/* NULL: a complaint (feedback) */
	int     delivery;		/* recipients are bare addresses */
} ses_type;

static const ses_type ses_types[] = {
	{"Bounce", "bounce", "bouncedRecipients", "failed", 0},
	{"Delivery", "delivery", "recipients", "delivered", 1},
	{"Complaint", "complaint", "complainedRecipients", NULL, 0},
	{NULL, NULL, NULL, NULL, 0}
};

/*
 * ses_rcpt - one element of the recipient list (an object, or for a
 * delivery an address); g is the bounce, delivery or complaint object.
 */
static int
ses_rcpt(const char *p, size_t n, size_t e, size_t g, const ses_type *t,
	 dsn_rcpt *rc)
{
	int     nomem;

	if (p[e] == '"') {
		if ((rc->recipient = js_string(p, n, e, &nomem)) == NULL)
			return (nomem ? -1 : 0);
	} else if (ses_text(p, n, e, "emailAddress", &rc->recipient) < 0
		   || (t->action != NULL
		       && (ses_text(p, n, e, "action", &rc->action) < 0
			   || ses_text(p, n, e, "status", &rc->status) < 0
			   || ses_text(p, n, e, "diagnosticCode",
				       &rc->diagnostic) < 0)))
		return (-1);
	if (t->delivery && ses_text(p, n, g, "smtpResponse",
				    &rc->diagnostic) < 0)
		return (-1);
	if (t->action == NULL) {	/* as arf.c: final, nobody acts */
		rc->reason = "feedback";
		rc->owner = "none";
	}
	return (ses_normalise(rc, t->action));
}

/* ses_group - the recipients of the notification object g */
static int
ses_group(const char *p, size_t n, size_t g, const ses_type *t,
	  dsn_report *r, size_t max_rcpt)
{
	size_t  a, i;
	dsn_rcpt *rc;
	int     first, groups = 0;

	if ((a = js_member(p, n, g, t->list)) == JS_BAD || p[a] != '[')
		return (0);
	for (i = a, first = 1; js_next(p, n, &i, first) != JS_BAD; first = 0) {
		if (p[i] != '{' && p[i] != '"')
			continue;
		groups++;
		if ((rc = dsn_rcpt_new(r, max_rcpt)) == NULL) {
			if (r->nrcpt < max_rcpt)
				return (-1);
			continue;
		}
		if (ses_rcpt(p, n, i, g, t, rc) < 0)
			return (-1);
	}
	if (groups > 0 && (ses_text(p, n, g, "reportingMTA",
				    &r->reporting_mta) < 0
			   || (t->action == NULL
			       && ses_text(p, n, g, "complaintFeedbackType",
					   &r->feedback_type) < 0)))
		return (-1);
	return (groups);
}

/* ses_finish - the kind, and the stored forms of the report's fields */
static int
ses_finish(dsn_report *r, const ses_type *t)
{
	char   *mta = r->reporting_mta;

	r->kind = t->action ? DSN_KIND_PLAIN : DSN_KIND_ARF;
	if (t->action == NULL && r->feedback_type == NULL
	    && (r->feedback_type = text_dup("abuse", 5)) == NULL)
		return (-1);
	if (r->feedback_type != NULL)
		text_lower(r->feedback_type);
	if (mta != NULL) {
		r->reporting_mta = dsn_field_value(mta, strlen(mta));
		free(mta);
		if (r->reporting_mta == NULL)
			return (-1);
	}
	return (0);
}

int
ses_parse(const char *p, size_t n, dsn_report *r, size_t max_rcpt)
{
	size_t  o = js_ws(p, n, 0), i, g;
	const ses_type *t = NULL;
	char   *type;
	int     nomem, ret = 0;

	if (o >= n || p[o] != '{' || (n = js_skip(p, n, o, 0)) == JS_BAD)
		return (0);
	if ((i = js_member(p, n, o, "notificationType")) == JS_BAD)
		i = js_member(p, n, o, "eventType");
	if ((type = js_string(p, n, i, &nomem)) == NULL)
		return (nomem ? -1 : 0);
	for (t = ses_types; t->type && strcmp(t->type, type) != 0; t++)
		 /* void */ ;
	free(type);
	if (t->type != NULL && (g = js_member(p, n, o, t->object)) != JS_BAD
	    && p[g] == '{')
		ret = ses_group(p, n, g, t, r, max_rcpt);
	if (ret > 0 && ses_finish(r, t) < 0)
		ret = -1;
	return (ret);
}
