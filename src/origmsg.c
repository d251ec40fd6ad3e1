/*
 * NAME
 *	origmsg - details and hops of the message returned in a bounce
 * DESCRIPTION
 *	See origmsg.h.
 */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "date.h"
#include "mime.h"
#include "rfc2047.h"
#include "text.h"
#include "origmsg.h"

#define RAW_MAX		(16 * 1024)	/* bytes of a field value looked at */
#define WORD_MAX	255		/* bytes of a host name or keyword value */
#define ADDR_MAX	64		/* bytes of an address literal */
#define DATE_TAIL	96		/* where a date without ';' may start */
#define WITH_WORDS	3		/* "with Microsoft SMTP Server" */
#define INLINE_FIELDS	3		/* a header quoted in a notice: */
#define INLINE_KEYS	2		/* fields, key fields (inline_block) */

/* A token of a Received field: a word, or the inside of a comment. */
typedef struct rtok {
	const char *p;
	size_t  n;
	int     comment;
} rtok;

/* Received clause whose words come next. */
enum { CL_NONE, CL_FROM, CL_BY, CL_WITH, CL_OTHER };

/* What is known while a Received field is read. */
typedef struct rstate {
	int     clause;			/* CL_* */
	int     want;			/* the clause's first word is next */
	rtok    name;			/* after "from" */
	const char *addr;		/* inside of the sender's [address] */
	size_t  alen;
	rtok    by;			/* after "by" */
	buf     with;			/* words after "with" */
	size_t  with_words;
} rstate;

 /*
  * Strings.
  */

/* clean - sanitised copy of p[0..n), cut to max bytes with "..." */
static char *
clean(const char *p, size_t n, size_t max, int decode)
{
	char   *s;
	size_t  len, cut;

	if (n > RAW_MAX)
		n = RAW_MAX;
	s = decode ? rfc2047_decode(p, n) : utf8_sanitize(p, n);
	if (s == NULL || (len = strlen(s)) <= max)
		return (s);
	cut = utf8_cut(s, len, max - 3);
	memcpy(s + cut, "...", 4);
	return (s);
}

/* set_once - store a cleaned copy in *dst unless it is set; -1: memory */
static int
set_once(char **dst, const char *p, size_t n, size_t max, int decode)
{
	if (*dst != NULL)
		return (0);
	return ((*dst = clean(p, n, max, decode)) == NULL ? -1 : 0);
}

 /*
  * Received fields.
  */

/* skip_comment - from the '(' at s[i], past its matching ')' */
static size_t
skip_comment(const char *s, size_t n, size_t i)
{
	size_t  depth = 0;

	for (; i < n; i++) {
		if (s[i] == '\\' && i + 1 < n)
			i++;
		else if (s[i] == '(')
			depth++;
		else if (s[i] == ')' && --depth == 0)
			return (i + 1);
	}
	return (n);
}

/* skip_quoted - from the '"' at s[i], past the closing '"' */
static size_t
skip_quoted(const char *s, size_t n, size_t i)
{
	for (i++; i < n; i++) {
		if (s[i] == '\\' && i + 1 < n)
			i++;
		else if (s[i] == '"')
			return (i + 1);
	}
	return (n);
}

/* last_semicolon - the last ';' outside comments and quotes, or n */
static size_t
last_semicolon(const char *s, size_t n)
{
	size_t  i = 0, last = n;

	while (i < n) {
		if (s[i] == '(')
			i = skip_comment(s, n, i);
		else if (s[i] == '"')
			i = skip_quoted(s, n, i);
		else if (s[i++] == ';')
			last = i - 1;
	}
	return (last);
}

/* rtok_next - next token of s[0..n) from *pos; 0 at the end */
static int
rtok_next(const char *s, size_t n, size_t *pos, rtok *t)
{
	const char *rb;
	size_t  i = *pos, e;

	while (i < n && (strchr(" \t\r\n;)", s[i]) != NULL || s[i] == 0))
		i++;
	if (i >= n)
		return (0);
	t->comment = s[i] == '(';
	if (s[i] == '(') {
		e = skip_comment(s, n, i);
		t->p = s + i + 1;
		t->n = e - i - 1 - (e > i + 1 && s[e - 1] == ')');
	} else {
		if (s[i] == '"')
			e = skip_quoted(s, n, i);
		else if (s[i] == '[' && (rb = memchr(s + i, ']', n - i < WORD_MAX ?
						     n - i : WORD_MAX)) != NULL)
			e = (size_t) (rb - s) + 1;	/* domain literal */
		else
			for (e = i; e < n && strchr(" \t\r\n;()\"", s[e]) == NULL
			     && s[e] != 0; e++)
				 /* void */ ;
		t->p = s + i;
		t->n = e - i;
	}
	*pos = e;
	return (1);
}

/* clause_of - the clause a keyword opens, or CL_NONE for other words */
static int
clause_of(const rtok *t)
{
	static const char *const other[] = {"via", "id", "for", NULL};
	size_t  i;

	if (t->comment)
		return (CL_NONE);
	if (text_ieq(t->p, t->n, "from"))
		return (CL_FROM);
	if (text_ieq(t->p, t->n, "by"))
		return (CL_BY);
	if (text_ieq(t->p, t->n, "with"))
		return (CL_WITH);
	for (i = 0; other[i]; i++)
		if (text_ieq(t->p, t->n, other[i]))
			return (CL_OTHER);
	return (CL_NONE);
}

/* is_alnum - ASCII letter or digit */
static int
is_alnum(int c)
{
	return ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z')
		|| (c >= 'A' && c <= 'Z'));
}

/* addr_literal - inside of "[...]": letters, digits, '.', ':', '-' */
static int
addr_literal(const char *a, size_t n)
{
	size_t  i;

	if (n == 0 || n > ADDR_MAX)
		return (0);
	for (i = 0; i < n; i++)
		if (!is_alnum((unsigned char) a[i]) && a[i] != '.'
		    && a[i] != ':' && a[i] != '-')
			return (0);
	return (1);
}

/* addr_bare - dotted IPv4 (digits, 3 dots) or IPv6 (hex, 2+ colons) */
static int
addr_bare(const char *a, size_t n)
{
	size_t  i, dots = 0, colons = 0, hexletters = 0;
	int     c;

	if (n == 0 || n > ADDR_MAX)
		return (0);
	for (i = 0; i < n; i++) {
		c = (unsigned char) a[i];
		if (c == '.')
			dots++;
		else if (c == ':')
			colons++;
		else if ((c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))
			hexletters++;
		else if (!(c >= '0' && c <= '9'))
			return (0);
	}
	return ((dots == 3 && colons == 0 && hexletters == 0) || colons >= 2);
}

/* comment_addr - the address a comment after "from" gives, if any */
static void
comment_addr(const rtok *t, const char **addr, size_t *alen)
{
	const char *lb, *rb;
	const char *p = t->p;
	size_t  n = t->n;

	if ((lb = memchr(p, '[', n)) != NULL
	    && (rb = memchr(lb, ']', n - (size_t) (lb - p))) != NULL) {
		if (addr_literal(lb + 1, (size_t) (rb - lb - 1))) {
			*addr = lb + 1;
			*alen = (size_t) (rb - lb - 1);
		}
		return;
	}
	text_trim(&p, &n);
	if (addr_bare(p, n)) {
		*addr = p;
		*alen = n;
	}
}

/* hop_from - "name [addr]", or either alone */
static int
hop_from(orig_hop *hop, const rstate *st)
{
	buf     b;
	int     rc;

	if (st->name.p == NULL && st->addr == NULL)
		return (0);
	buf_init(&b);
	if (st->name.p != NULL)
		buf_add(&b, st->name.p, st->name.n < WORD_MAX ?
			st->name.n : WORD_MAX);
	if (st->addr != NULL && !(st->name.p != NULL
				  && st->name.n == st->alen + 2
				  && memcmp(st->name.p + 1, st->addr,
					    st->alen) == 0)) {
		buf_puts(&b, b.len ? " [" : "[");
		buf_add(&b, st->addr, st->alen);
		buf_putc(&b, ']');
	}
	rc = b.failed ? -1 : set_once(&hop->from, b.data ? b.data : "",
				      b.len, ORIG_FIELD_MAX, 0);
	buf_free(&b);
	return (rc);
}

/* hop_time - the date text, and its epoch */
static int
hop_time(orig_hop *hop, const char *p, size_t n)
{
	text_trim(&p, &n);
	if (n == 0)
		return (0);
	if (set_once(&hop->time, p, n, ORIG_FIELD_MAX, 0) < 0)
		return (-1);
	hop->has_epoch = date_parse(hop->time, &hop->epoch, NULL) == 0;
	return (0);
}

/* hop_free - free the strings of one hop */
static void
hop_free(orig_hop *hop)
{
	free(hop->from);
	free(hop->by);
	free(hop->with);
	free(hop->time);
	memset(hop, 0, sizeof(*hop));
}

/* date_start - where a date without ';' before it starts, or n */
static size_t
date_start(const char *s, size_t n)
{
	char    tail[DATE_TAIL + 1];
	size_t  base = n > DATE_TAIL ? n - DATE_TAIL : 0, pos = 0, at;
	rtok    t;

	memcpy(tail, s + base, n - base);
	tail[n - base] = 0;
	while (rtok_next(s, n, &pos, &t)) {
		at = (size_t) (t.p - s);
		if (t.comment || at < base)
			continue;
		if (date_parse(tail + (at - base), NULL, NULL) == 0)
			return (at);
	}
	return (n);
}

/* st_word - one word (not a keyword, not a comment) of a clause */
static void
st_word(rstate *st, const rtok *t)
{
	int     want = st->want;

	st->want = 0;
	if (st->clause == CL_FROM && want && st->name.p == NULL)
		st->name = *t;
	else if (st->clause == CL_FROM && st->addr == NULL && t->n > 2
		 && t->p[0] == '[' && t->p[t->n - 1] == ']'
		 && addr_literal(t->p + 1, t->n - 2)) {
		st->addr = t->p + 1;
		st->alen = t->n - 2;
	} else if (st->clause == CL_BY && want && st->by.p == NULL)
		st->by = *t;
	else if (st->clause == CL_WITH && st->with_words < WITH_WORDS) {
		if (st->with_words++ > 0)
			buf_putc(&st->with, ' ');
		buf_add(&st->with, t->p, t->n < WORD_MAX ? t->n : WORD_MAX);
	}
}

/* st_token - feed one token of the clause part to the parse state */
static void
st_token(rstate *st, const rtok *t)
{
	int     k;

	if ((k = clause_of(t)) != CL_NONE) {
		st->clause = k;
		st->want = 1;
	} else if (t->comment) {
		if (st->clause == CL_FROM && st->addr == NULL)
			comment_addr(t, &st->addr, &st->alen);
		if (st->clause == CL_WITH)	/* its words end here */
			st->clause = CL_NONE;
	} else {
		st_word(st, t);
	}
}

/* hop_fill - the strings of hop from the parse state */
static int
hop_fill(orig_hop *hop, const rstate *st)
{
	if (hop_from(hop, st) < 0 || st->with.failed)
		return (-1);
	if (st->by.p != NULL
	    && set_once(&hop->by, st->by.p, st->by.n, WORD_MAX, 0) < 0)
		return (-1);
	if (st->with.len > 0 && set_once(&hop->with, st->with.data,
					 st->with.len, ORIG_FIELD_MAX, 0) < 0)
		return (-1);
	return (0);
}

int
origmsg_received(const char *s, size_t n, orig_hop *hop)
{
	rstate  st;
	rtok    t;
	size_t  end, start, pos = 0;
	int     rc;

	memset(hop, 0, sizeof(*hop));
	memset(&st, 0, sizeof(st));
	buf_init(&st.with);
	n = n > RAW_MAX ? RAW_MAX : n;
	if ((end = last_semicolon(s, n)) == n)
		end = date_start(s, n);
	while (rtok_next(s, end, &pos, &t))
		st_token(&st, &t);
	rc = hop_fill(hop, &st);
	if (rc == 0 && end < n) {
		start = s[end] == ';' ? end + 1 : end;
		rc = hop_time(hop, s + start, n - start);
	}
	buf_free(&st.with);
	if (rc < 0)
		hop_free(hop);
	return (rc);
}

 /*
  * The returned message and its header fields.
  */

/* is_message - a part that encloses a message */
static int
is_message(const char *ct)
{
	return (ct != NULL && (strcmp(ct, "message/rfc822") == 0
			       || strcmp(ct, "message/global") == 0));
}

/* is_headers - a part whose body is a header block */
static int
is_headers(const char *ct)
{
	return (ct != NULL && (strcmp(ct, "text/rfc822-headers") == 0
			       || strcmp(ct, "text/rfc822-header") == 0
			       || strcmp(ct, "message/global-headers") == 0));
}

/* find_part - first message (or header block) part, not in messages */
static const mime_part *
find_part(const mime_part *p, int headers)
{
	const mime_part *hit;
	size_t  i;

	if (headers ? is_headers(p->ctype) : is_message(p->ctype))
		return (p);
	if (is_message(p->ctype))
		return (NULL);
	for (i = 0; i < p->nkids; i++)
		if ((hit = find_part(p->kids[i], headers)) != NULL)
			return (hit);
	return (NULL);
}

/* find_text - the first text/plain part (the notice), not in messages */
static const mime_part *
find_text(const mime_part *p)
{
	const mime_part *hit;
	size_t  i;

	if (p->nkids == 0)
		return (p->ctype == NULL || strcmp(p->ctype, "text/plain") == 0
			? p : NULL);
	if (is_message(p->ctype))
		return (NULL);
	for (i = 0; i < p->nkids; i++)
		if ((hit = find_text(p->kids[i])) != NULL)
			return (hit);
	return (NULL);
}

/* field_line - p[0..n) starts with a field name and its colon */
static int
field_line(const char *p, size_t n)
{
	size_t  i = 0;

	while (i < n && p[i] > ' ' && p[i] < 127 && p[i] != ':')
		i++;
	return (i > 0 && i < n && p[i] == ':');
}

/* key_field - a field that every message header has one of */
static int
key_field(const char *p, size_t n)
{
	static const char *const key[] = {
		"received:", "from:", "to:", "subject:", "date:",
		"message-id:", "return-path:", NULL
	};
	size_t  i;

	for (i = 0; key[i]; i++)
		if (text_iprefix(p, n, key[i]))
			return (1);
	return (0);
}

/*
 * inline_block - in a notice that quotes the returned message in its
 * text (qmail, Exim, old Sendmail, Exchange's "Original message
 * headers"): the first run of header lines, at the start of a line, of
 * at least INLINE_FIELDS fields with INLINE_KEYS key fields among them
 * (so the notice's own "Subject:" or "Reporting-MTA:" lines do not
 * count).  Returns 1 with the block in *hdr and *hlen, else 0.
 */
static int
inline_block(const char *b, size_t n, const char **hdr, size_t *hlen)
{
	const char *line;
	size_t  pos = 0, at, len, start = 0, fields = 0, keys = 0;
	int     more, in = 0;

	do {
		at = pos;
		more = text_line(b, n, &pos, &line, &len);
		if (more && in && len > 0 && (*line == ' ' || *line == '\t'))
			continue;			/* folded */
		if (more && field_line(line, len)) {
			if (!in)
				start = at, fields = keys = 0, in = 1;
			fields++;
			keys += key_field(line, len);
			continue;
		}
		if (in && fields >= INLINE_FIELDS && keys >= INLINE_KEYS) {
			*hdr = b + start;
			*hlen = at - start;
			return (1);
		}
		in = 0;
	} while (more);
	return (0);
}

/*
 * header_block - the returned header block; dec keeps decoded bytes.
 * With inline, p is the notice and the block is looked for in its text.
 */
static int
header_block(const char *msg, size_t len, const mime_part *p, int inline_,
	     buf *dec, const char **hdr, size_t *hlen)
{
	const char *b = msg + p->body_off;
	size_t  n = p->body_len, body_off;

	*hdr = "";
	*hlen = 0;
	if (p->body_off > len || p->body_len > len - p->body_off)
		return (0);
	if (p->cte && (strcmp(p->cte, "base64") == 0
		       || strcmp(p->cte, "quoted-printable") == 0)) {
		if (mime_decode(p, msg, dec) < 0)
			return (-1);
		b = dec->data ? dec->data : "";
		n = dec->len;
	}
	if (inline_) {
		if (!inline_block(b, n, hdr, hlen))
			*hdr = "", *hlen = 0;
		return (0);
	}
	/* Some MTAs put a spurious empty line before the header block. */
	while (n > 0 && (*b == '\r' || *b == '\n'))
		b++, n--;
	*hdr = b;
	*hlen = mime_header_end(b, n, &body_off);
	return (0);
}

/* unfold_clean - *slot = unfolded, decoded or sanitised value */
static int
unfold_clean(const mime_hiter *it, int decode, char **slot)
{
	char   *u;

	if ((u = mime_unfold(it->raw, it->raw_len < RAW_MAX ?
			     it->raw_len : RAW_MAX)) == NULL)
		return (-1);
	*slot = clean(u, strlen(u), ORIG_FIELD_MAX, decode);
	free(u);
	return (*slot == NULL ? -1 : 0);
}

/* field_slot - where a header field goes, NULL for fields not kept */
static char **
field_slot(orig_msg *m, const mime_hiter *it, int *decode)
{
	*decode = 1;
	if (text_ieq(it->name, it->name_len, "Subject"))
		return (&m->subject);
	if (text_ieq(it->name, it->name_len, "From"))
		return (&m->from);
	if (text_ieq(it->name, it->name_len, "To"))
		return (&m->to);
	*decode = 0;
	if (text_ieq(it->name, it->name_len, "Date"))
		return (&m->date);
	if (text_ieq(it->name, it->name_len, "Message-ID"))
		return (&m->message_id);
	return (NULL);
}

/* read_fields - the first of each kept field; counts Received fields */
static int
read_fields(const char *hdr, size_t hlen, orig_msg *m, size_t *nrecv)
{
	mime_hiter it;
	char  **slot;
	int     decode;

	it.pos = 0;
	*nrecv = 0;
	while (mime_header_next(hdr, hlen, &it)) {
		if (text_ieq(it.name, it.name_len, "Received"))
			(*nrecv)++;
		else if ((slot = field_slot(m, &it, &decode)) != NULL
			 && *slot == NULL && unfold_clean(&it, decode, slot) < 0)
			return (-1);
	}
	return (0);
}

/* set_delays - each hop's delay after the one before it */
static void
set_delays(orig_msg *m)
{
	size_t  i;
	orig_hop *h;

	for (i = 1; i < m->nhops; i++) {
		h = m->hops + i;
		if (!h->has_epoch || !h[-1].has_epoch)
			continue;
		h->delay = h->epoch > h[-1].epoch ? h->epoch - h[-1].epoch : 0;
		h->has_delay = 1;
	}
}

/* read_hops - the oldest max_hops Received fields, oldest first */
static int
read_hops(const char *hdr, size_t hlen, size_t nrecv, size_t max_hops,
	  orig_msg *m)
{
	size_t  keep = nrecv < max_hops ? nrecv : max_hops, idx = 0, at;
	mime_hiter it;
	char   *u;
	int     rc;

	if (keep == 0)
		return (0);
	if ((m->hops = calloc(keep, sizeof(*m->hops))) == NULL)
		return (-1);
	m->nhops = keep;
	it.pos = 0;
	while (mime_header_next(hdr, hlen, &it)) {
		if (!text_ieq(it.name, it.name_len, "Received")
		    || idx++ < nrecv - keep || (at = nrecv - idx) >= keep)
			continue;
		if ((u = mime_unfold(it.raw, it.raw_len < RAW_MAX ?
				     it.raw_len : RAW_MAX)) == NULL)
			return (-1);
		rc = origmsg_received(u, strlen(u), m->hops + at);
		free(u);
		if (rc < 0)
			return (-1);
	}
	set_delays(m);
	return (0);
}

int
origmsg_extract(const char *msg, size_t len, const mime_part *root,
		size_t max_hops, orig_msg *out)
{
	const mime_part *p;
	const char *hdr;
	size_t  hlen, nrecv;
	buf     dec;
	int     rc = -1, inline_ = 0;

	memset(out, 0, sizeof(*out));
	if (root == NULL || msg == NULL)
		return (0);
	if ((p = find_part(root, 0)) == NULL
	    && (p = find_part(root, 1)) == NULL) {
		if ((p = find_text(root)) == NULL)
			return (0);
		inline_ = 1;			/* quoted in the notice? */
	}
	buf_init(&dec);
	if (header_block(msg, len, p, inline_, &dec, &hdr, &hlen) < 0
	    || read_fields(hdr, hlen, out, &nrecv) < 0
	    || read_hops(hdr, hlen, nrecv, max_hops, out) < 0)
		goto out;
	rc = 0;
out:
	if (rc < 0)
		origmsg_free(out);
	buf_free(&dec);
	return (rc);
}

void
origmsg_free(orig_msg *m)
{
	size_t  i;

	free(m->subject);
	free(m->from);
	free(m->to);
	free(m->date);
	free(m->message_id);
	for (i = 0; i < m->nhops; i++)
		hop_free(m->hops + i);
	free(m->hops);
	memset(m, 0, sizeof(*m));
}
