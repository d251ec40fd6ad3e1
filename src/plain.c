/*
 * NAME
 *	plain - bounces without a delivery-status part
 * DESCRIPTION
 *	See plain.h.  The notice is decoded into one buffer and split into
 *	lines (offsets); recipients are found per line, and each one's
 *	diagnostic is the text from its address to the next recipient's
 *	line.  Nothing here trusts the input: every scan is bounded by the
 *	lengths, lines and diagnostics are capped, and allocation failure is
 *	the only error.
 */


#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "patterns.h"
#include "plain.h"
#include "rfc2047.h"
#include "status.h"
#include "text.h"
#include "utf8.h"

#define MAX_LINES	4000		/* notice lines looked at */
#define MAX_CANDS	1000		/* address lines kept */
#define LOCAL_MAX	64		/* bytes of a local part (bare_local) */
#define DIAG_MAX	2000		/* bytes of a diagnostic */
#define TALK_MAX	1000		/* a "... while talking to" line */
#define AFTER_CUT	200		/* lines read past the returned-
					 * message line (for its To) */
#define ONES	0x0101010101010101ULL	/* a byte's value in each byte */
#define LOWER(c) ((c) >= 'A' && (c) <= 'Z' ? (c) + 32 : (c))
#define ALNUM(c) ((unsigned) ((c) - '0') < 10 \
		  || (unsigned) (((c) | 0x20) - 'a') < 26)	/* bit 5: case */

typedef struct span {
	size_t  off, len;
} span;

typedef struct cand {
	span    addr;			/* into the notice text */
	size_t  line;			/* line index */
	span    rest;			/* text after the address */
	int     sendmail;		/* "550 <a@b>... text" */
	int     bare;			/* a local part named by X-Failed-R. */
} cand;

typedef struct notice {
	buf     text;			/* decoded notice */
	char   *low;			/* the same, lowercased (ASCII) */
	span   *lines;
	size_t  nlines;			/* up to the returned message */
	size_t  nall;			/* all lines */
	cand   *c;
	size_t  nc;
	char  **xfr;			/* X-Failed-Recipients, split */
	size_t  nxfr;
	int     xfr_orig;		/* xfr holds the returned To/Cc */
	const mime_part *orig;		/* the returned message (orig_part) */
	int     orig_known;		/* orig was looked for */
} notice;

/* Addresses. */

/* local_chars - letters, digits and "._+-!#$%*^~" (a table, not strchr()) */
static const unsigned char local_chars[256] = {
	['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1, ['4'] = 1, ['5'] = 1,
	['6'] = 1, ['7'] = 1, ['8'] = 1, ['9'] = 1,
	['a'] = 1, ['b'] = 1, ['c'] = 1, ['d'] = 1, ['e'] = 1, ['f'] = 1,
	['g'] = 1, ['h'] = 1, ['i'] = 1, ['j'] = 1, ['k'] = 1, ['l'] = 1,
	['m'] = 1, ['n'] = 1, ['o'] = 1, ['p'] = 1, ['q'] = 1, ['r'] = 1,
	['s'] = 1, ['t'] = 1, ['u'] = 1, ['v'] = 1, ['w'] = 1, ['x'] = 1,
	['y'] = 1, ['z'] = 1,
	['A'] = 1, ['B'] = 1, ['C'] = 1, ['D'] = 1, ['E'] = 1, ['F'] = 1,
	['G'] = 1, ['H'] = 1, ['I'] = 1, ['J'] = 1, ['K'] = 1, ['L'] = 1,
	['M'] = 1, ['N'] = 1, ['O'] = 1, ['P'] = 1, ['Q'] = 1, ['R'] = 1,
	['S'] = 1, ['T'] = 1, ['U'] = 1, ['V'] = 1, ['W'] = 1, ['X'] = 1,
	['Y'] = 1, ['Z'] = 1,
	['.'] = 1, ['_'] = 1, ['+'] = 1, ['-'] = 1, ['!'] = 1, ['#'] = 1,
	['$'] = 1, ['%'] = 1, ['*'] = 1, ['^'] = 1, ['~'] = 1
};

static int
local_char(unsigned char c)
{
	return (local_chars[c]);
}

static int
domain_char(unsigned char c)
{
	return (ALNUM(c) || c == '.' || c == '-');
}

/*
 * addr_here - the length of the address that starts at p[i] (local part,
 * '@', domain with a dot), or 0.
 */
static size_t
addr_here(const char *p, size_t n, size_t i)
{
	size_t  k = i, at, dot = 0;

	while (k < n && local_char((unsigned char) p[k]))
		k++;
	if (k == i || k >= n || p[k] != '@' || p[i] == '.')
		return (0);
	at = k++;
	while (k < n && domain_char((unsigned char) p[k]))
		k++;
	while (k > at + 1 && (p[k - 1] == '.' || p[k - 1] == '-'))
		k--;
	for (dot = k; dot > at && p[dot - 1] != '.'; dot--)
		 /* void */ ;
	if (dot <= at + 2 || dot >= k)
		return (0);
	return (k - i);
}

/* addr_find - the first address in p[from..n): offset and length */
static int
addr_find(const char *p, size_t n, size_t from, span *a)
{
	const char *at;
	size_t  i, s, len;

	for (i = from; i < n; i++) {
		if ((at = memchr(p + i, '@', n - i)) == NULL)
			return (0);
		i = (size_t) (at - p);
		for (s = i; s > from && local_char((unsigned char) p[s - 1]); s--)
			 /* void */ ;
		while (s < i && p[s] == '.')
			s++;
		if ((len = addr_here(p, n, s)) > 0) {
			a->off = s;
			a->len = len;
			return (1);
		}
	}
	return (0);
}

/* The notice text. */

/* html_break - whether the tag at p[0..n) ("<br", "</p"...) breaks a line */
static int
html_break(const char *p, size_t n)
{
	return (n > 3 && (text_iprefix(p, 3, "<br") || text_iprefix(p, 3, "</p")
			  || text_iprefix(p, 4, "</tr")
			  || text_iprefix(p, 4, "</di")));
}

/*
 * strip_html - a rough text rendering of HTML, in place: the text between
 * tags is moved a run at a time (memchr() for the next '<'), and a tag is
 * skipped to its '>' (or to a '<' that starts another)
 */
static void
strip_html(buf *b)
{
	char   *d = b->data;
	const char *q;
	size_t  i = 0, o = 0, n = b->len, k;

	while (i < n) {
		k = (q = memchr(d + i, '<', n - i)) ? (size_t) (q - d) : n;
		memmove(d + o, d + i, k - i);	/* text: o <= i */
		o += k - i;
		while ((i = k) < n) {		/* d[i] is '<': a tag */
			if (html_break(d + i, n - i))
				d[o++] = '\n';
			if ((q = text_chr3(d + i + 1, n - i - 1, '<', '>', '>')) == NULL)
				k = n;		/* the rest is in the tag */
			else if (*q == '>') {
				i = (size_t) (q - d) + 1;
				break;
			} else
				k = (size_t) (q - d);
		}
	}
	b->len = o;
	d[o] = 0;
}

/* broken_or_text - a text leaf, or a multipart that did not parse */
static int
broken_or_text(const mime_part *p)
{
	return (p->ctype == NULL || strncmp(p->ctype, "text/", 5) == 0
		|| (strncmp(p->ctype, "multipart/", 10) == 0 && p->nkids == 0));
}

/* first_broken - the first multipart leaf (its boundary was lost) */
static const mime_part *
first_broken(const mime_part *p)
{
	const mime_part *k;
	size_t  i;

	if (p->ctype != NULL && strncmp(p->ctype, "message/", 8) == 0)
		return (NULL);
	if (p->nkids == 0)
		return (p->ctype && strncmp(p->ctype, "multipart/", 10) == 0
			? p : NULL);
	for (i = 0; i < p->nkids; i++)
		if ((k = first_broken(p->kids[i])) != NULL)
			return (k);
	return (NULL);
}

/* notice_part - the part that holds the human-readable notice, or NULL */
static const mime_part *
notice_part(const mime_part *root, int *html)
{
	const mime_part *p;

	*html = 0;
	if (root->nkids == 0)
		return (broken_or_text(root) ? root : NULL);
	if ((p = mime_find(root, "text/plain", 0)) != NULL)
		return (p);
	if ((p = mime_find(root, "text/html", 0)) != NULL) {
		*html = 1;
		return (p);
	}
	return (first_broken(root));
}

typedef struct phrase {
	const char *s;
	size_t  len;
} phrase;

#define PH(s)	{ (s), sizeof(s) - 1 }

/*
 * The phrases that introduce the returned message, each with the word of
 * cut_words[] it holds and where: a line holds a phrase only where it
 * holds the word, so the phrase is compared there, not searched for.
 */
typedef struct cut_phrase {
	const char *s;
	size_t  len;			/* of s */
	size_t  at;			/* of the word in s */
} cut_phrase;

#define PA(pre, w, post)	{ pre w post, sizeof(pre w post) - 1, sizeof(pre) - 1 }

static const cut_phrase cut_message[] = {	/* "original message -----" and
						 * "--- returned message" hold
						 * two of these */
	PA("below this line is a copy of the ", "message", ""),
	PA("this is a copy of the ", "message", ""),
	PA("this is a copy of your ", "message", ""),
	PA("copy of the original ", "message", ""),
	PA("included is a copy of the ", "message", ""),
	PA("enclosed is a copy of the ", "message", ""),
	PA("original ", "message", " follows"),
	PA("unsent ", "message", " follows"),
	PA("", "message", " headers follow"),
	PA("", "message", " text follows"),
	PA("header of the original ", "message", ""),
	PA("original ", "message", " ---"),
	PA("original ", "message", ":"),
	PA("original ", "message", " header"),
	PA("-- returned ", "message", ""),
	PA("returned ", "message", " --"),
	{NULL, 0, 0}
};

static const cut_phrase cut_original[] = {
	PA("-------", "original", ""),
	PA("", "original", " mail as follows"),
	{NULL, 0, 0}
};

static const cut_phrase cut_mail[] = {
	PA("bounced e-", "mail", ":"),
	{NULL, 0, 0}
};

#define CUT_WORDS	3

static const struct cut_word {
	phrase  word;
	const cut_phrase *v;		/* the phrases that hold it */
} cut_words[CUT_WORDS] = {
	{PH("message"), cut_message},
	{PH("original"), cut_original},
	{PH("mail"), cut_mail},
};

/*
 * Where the words of cut_words[] are: split_lines() does not look for
 * them in every line, but keeps the next copy of each in the text and
 * looks again only once a line has gone past it, CUT_AHEAD bytes or more
 * at a time, so the text is searched about once per word, not per line.
 */
#define CUT_AHEAD	768		/* bytes searched ahead of a line */

typedef struct cut_scan {
	const char *low;		/* the lowercased text */
	size_t  len;			/* its length */
	size_t  at[CUT_WORDS];		/* the next copy of a word, or ... */
	int     found[CUT_WORDS];	/* ... none starts before at[] */
} cut_scan;

/*
 * cut_word - whether the word of cut_words[j] is in the line s->low[off
 * ..off + n) (a copy that starts in a line ends there: the words hold no
 * white space and no line break); then s->at[j] is its first copy there
 */
static int
cut_word(cut_scan *s, size_t j, size_t off, size_t n)
{
	const phrase *w = &cut_words[j].word;
	size_t  ahead, rest = s->len - off;
	const char *hit;

	if (s->at[j] >= off && (s->found[j] || s->at[j] >= off + n))
		return (s->found[j] && s->at[j] < off + n);
	ahead = rest < CUT_AHEAD ? rest : n > CUT_AHEAD ? n : CUT_AHEAD;
	if ((hit = text_find(s->low + off, ahead, w->s, w->len)) != NULL) {
		s->at[j] = (size_t) (hit - s->low);
		s->found[j] = 1;
	} else {
		s->at[j] = ahead == rest ? (size_t) -1
			: off + ahead - w->len + 1;
		s->found[j] = 0;
	}
	return (s->found[j] && s->at[j] < off + n);
}

/*
 * phrase_at - whether phrase v is in low[lo..hi) with its word (wlen
 * bytes) at low[q]: the bytes next to the word are compared first
 */
static int
phrase_at(const char *low, size_t lo, size_t hi, size_t q, size_t wlen,
	  const cut_phrase *v)
{
	const char *p;
	size_t  i;

	if (q - lo < v->at || hi - (q - v->at) < v->len)
		return (0);
	p = low + q - v->at;			/* where v would start */
	for (i = v->at; i > 0; i--)
		if (p[i - 1] != v->s[i - 1])
			return (0);
	for (i = v->at + wlen; i < v->len; i++)
		if (p[i] != v->s[i])
			return (0);
	return (1);
}

/*
 * cut_phrases - whether the line low[lo..hi) holds a phrase of cut_words[j]
 * whose word's first copy there is at low[q]: each copy of the word is
 * tried with each phrase
 */
static int
cut_phrases(const char *low, size_t lo, size_t hi, size_t j, size_t q)
{
	const struct cut_word *w = cut_words + j;
	const cut_phrase *v;
	const char *hit;

	for (;;) {
		for (v = w->v; v->s; v++)
			if (phrase_at(low, lo, hi, q, w->word.len, v))
				return (1);
		if (hi - q <= w->word.len || (hit = text_find(low + q + 1,
				 hi - q - 1, w->word.s, w->word.len)) == NULL)
			return (0);
		q = (size_t) (hit - low);
	}
}

/*
 * cut_line - whether the line s->low[off..off + n) (lowercased)
 * introduces the returned message
 */
static int
cut_line(cut_scan *s, size_t off, size_t n)
{
	const char *p = s->low + off;
	size_t  j;

	text_trim(&p, &n);
	if (n > 100)
		return (0);
	if (n > 0 && *p == 'r' && (text_iprefix(p, n, "return-path:")
				  || text_iprefix(p, n, "received: ")))
		return (1);
	off = (size_t) (p - s->low);
	for (j = 0; j < CUT_WORDS; j++)
		if (cut_word(s, j, off, n)
		    && cut_phrases(s->low, off, off + n, j, s->at[j]))
			return (1);
	return (0);
}

/* has - whether the lowercased low[0..n) holds the lowercase word w */
static int
has(const char *low, size_t n, const char *w)
{
	return (text_find(low, n, w, strlen(w)) != NULL);
}

/* split_lines - line offsets of the notice; nlines stops at the cut */
static int
split_lines(notice *N)
{
	size_t  pos = 0, n, cap = 0;
	const char *line, *t = N->text.data ? N->text.data : "";
	span   *v;
	cut_scan cs;

	memset(&cs, 0, sizeof(cs));
	cs.low = N->low;
	cs.len = N->text.len;
	N->nlines = (size_t) -1;
	while (N->nall < MAX_LINES && text_line(t, N->text.len, &pos, &line, &n)
	       && (N->nlines == (size_t) -1 || N->nall < N->nlines + AFTER_CUT)) {
		if (N->nall == cap) {
			cap = cap ? cap * 2 : 64;
			if ((v = realloc(N->lines, cap * sizeof(*v))) == NULL)
				return (-1);
			N->lines = v;
		}
		N->lines[N->nall].off = (size_t) (line - t);
		N->lines[N->nall].len = n;
		if (N->nlines == (size_t) -1
		    && cut_line(&cs, (size_t) (line - t), n))
			N->nlines = N->nall;
		N->nall++;
	}
	if (N->nlines == (size_t) -1)
		N->nlines = N->nall;
	return (0);
}

/*
 * utf8_text - whether p[0..n) is UTF-8 with non-ASCII characters: a text
 * under an empty or unknown label ("unknown-8bit"), or mislabelled, that
 * conversion would only garble (other 8-bit charsets are hardly ever
 * valid UTF-8; 7-bit ones such as ISO-2022-JP have no non-ASCII byte)
 */
static int
utf8_text(const char *p, size_t n)
{
	const unsigned char *u = (const unsigned char *) p;
	size_t  i = 0, k;
	int     high = 0;

	while (i < n) {
		if (u[i] < 0x80) {
			i += text_ascii_run((const char *) u + i, n - i);
			continue;
		}
		if ((k = utf8_decode(u + i, n - i, NULL)) == 0)
			return (0);
		high = 1;
		i += k;
	}
	return (high);
}

/*
 * to_utf8 - the decoded notice b, in charset cs, converted in place: the
 * rules are UTF-8, so a notice in another charset is converted first
 */
static int
to_utf8(buf *b, const char *cs)
{
	buf     u;

	if (charset_is_utf8(cs) || b->len == 0 || *cs == 0
	    || utf8_text(b->data, b->len))
		return (0);
	buf_init(&u);
	charset_to_utf8(cs, strlen(cs), b->data, b->len, &u);
	if (u.failed) {
		buf_free(&u);
		return (-1);
	}
	buf_free(b);
	*b = u;
	return (0);
}

static int
notice_read(const char *msg, const mime_part *root, notice *N)
{
	const mime_part *p;
	int     html;

	if ((p = notice_part(root, &html)) != NULL) {
		if (p->nkids == 0 && p->ctype && p->ctype[0] == 'm')
			buf_add(&N->text, msg + p->body_off, p->body_len);
		else if (mime_decode(p, msg, &N->text) < 0
			 || to_utf8(&N->text, p->charset) < 0)
			return (-1);
		if (N->text.failed)
			return (-1);
		if (html && N->text.len)
			strip_html(&N->text);
	}
	if ((N->low = malloc(N->text.len + 1)) == NULL)
		return (-1);
	if (N->text.len > 0)
		text_lower_copy(N->low, N->text.data, N->text.len);
	N->low[N->text.len] = 0;
	return (split_lines(N));
}

/* Recipient lines. */

/* the labels of markers that start with an R (any case) */
static const char *const r_markers[] = {
	"recipient:", "recipients:", "rcpt:", NULL
};

/*
 * marker_len - the length of the marker that p[0..n) (n > 0) starts
 * with, or 0: the first of ">>>", "*", "-", ">", the UTF-8 bullet,
 * "recipient:", "recipients:", "rcpt:" and "address:" (labels in any
 * case).  Its first byte says which ones it may be: most lines start
 * with none of them and skip the comparisons.
 */
static size_t
marker_len(const char *p, size_t n)
{
	const char *const *m;

	switch ((unsigned char) p[0]) {
	case '>':
		return (n >= 3 && p[1] == '>' && p[2] == '>' ? 3 : 1);
	case '*':
	case '-':
		return (1);
	case 0xe2:
		return (n >= 3 && p[1] == '\x80' && p[2] == '\xa2' ? 3 : 0);
	case 'r':
	case 'R':
		for (m = r_markers; *m; m++)
			if (text_iprefix(p, n, *m))
				return (strlen(*m));
		return (0);
	case 'a':
	case 'A':
		return (text_iprefix(p, n, "address:") ? 8 : 0);
	default:
		return (0);
	}
}

/* skip_markers - step over bullets and labels before an address */
static size_t
skip_markers(const char *p, size_t n, size_t i)
{
	size_t  k;

	for (;;) {
		while (i < n && (p[i] == ' ' || p[i] == '\t'))
			i++;
		if (i >= n || (k = marker_len(p + i, n - i)) == 0)
			return (i);
		i += k;
	}
}

/* reply_prefix - length of "550 " or "550 5.1.1 " before '<', or 0 */
static size_t
reply_prefix(const char *p, size_t n, size_t i)
{
	size_t  k;

	if (i + 4 >= n || (p[i] != '4' && p[i] != '5') || !ALNUM(p[i + 1])
	    || !ALNUM(p[i + 2]) || p[i + 3] != ' ')
		return (0);
	k = i + 4;
	if (status_valid(p + k, n - k) > 0)
		k += status_valid(p + k, n - k) + 1;
	return (k < n && p[k] == '<' ? k - i : 0);
}

static int
has_code(const char *p, size_t n)
{
	char    code[STATUS_MAX], reply[4];

	return (status_find(p, n, code) || reply_find(p, n, reply));
}

/* lead_addr - the address a line starts with, into c; 1 when found */
static int
lead_addr(const char *t, span l, cand *c)
{
	const char *p = t + l.off;
	size_t  n = l.len, i, k, a;

	i = skip_markers(p, n, 0);
	if ((k = reply_prefix(p, n, i)) > 0) {
		c->sendmail = 1;
		i += k;
		c->rest = l;
	}
	if (i < n && (p[i] == '<' || p[i] == '"'))
		i++;
	if ((a = addr_here(p, n, i)) == 0)
		return (0);
	c->addr.off = l.off + i;
	c->addr.len = a;
	k = i + a;
	while (k < n && (p[k] == '>' || p[k] == '"' || p[k] == ':'))
		k++;
	if (!c->sendmail || has_code(p + k, n - k)) {
		c->rest.off = l.off + k;	/* "554 <a@b>... 550 Host unknown" */
		c->rest.len = n - k;
	}
	return (1);
}

/* after_sender - whether the line before names the sender ("sent by") */
static int
after_sender(const notice *N, size_t li)
{
	const char *t = N->text.data;
	size_t  n;
	const char *p;

	while (li > 0 && N->lines[li - 1].len == 0)
		li--;
	if (li == 0)
		return (0);
	p = t + N->lines[li - 1].off;
	n = N->lines[li - 1].len;
	text_trim(&p, &n);
	return ((n >= 2 && text_iprefix(p + n - 2, 2, "by"))
		|| (n >= 4 && text_iprefix(p + n - 4, 4, "from"))
		|| (n >= 5 && text_iprefix(p + n - 5, 5, "from:"))
		|| (n >= 7 && text_iprefix(p + n - 7, 7, "sender:")));
}

/*
 * bare_local - the line starts with a local part of the known addresses
 * (X-Failed-Recipients, else the returned message's To and Cc) on its
 * own or before its reason: "rgomez (user not found)", "info: full".
 */
static int
bare_local(const notice *N, span l, cand *c)
{
	const char *p = N->text.data + l.off, *at;
	size_t  n = l.len, i, k;

	if (N->nxfr == 0)
		return (0);
	text_trim(&p, &n);
	for (i = 0; n > 0 && i < N->nxfr; i++) {
		/* local parts of up to 64 bytes (RFC 5321): 4000 lines times
		 * 1000 addresses must not each compare kilobytes */
		at = memchr(N->xfr[i], '@', strnlen(N->xfr[i], LOCAL_MAX + 1));
		if (at == NULL || (k = (size_t) (at - N->xfr[i])) == 0 || k > n
		    || strncasecmp(N->xfr[i], p, k) != 0
		    || (k < n && p[k] != ' ' && p[k] != '\t' && p[k] != ':'
			&& p[k] != '(' && p[k] != ','))
			continue;
		c->addr.off = (size_t) (p - N->text.data);
		c->addr.len = k;
		c->bare = 1;
		c->rest.off = c->addr.off + k;
		c->rest.len = n - k;
		return (1);
	}
	return (0);
}

/* same_addr - whether two candidates name the same address */
static int
same_addr(const notice *N, const cand *a, const cand *b)
{
	return (a->addr.len == b->addr.len
		&& strncasecmp(N->text.data + a->addr.off,
			       N->text.data + b->addr.off, a->addr.len) == 0);
}

static int
add_cand(notice *N, const cand *c)
{
	cand   *v;

	if (N->nc >= MAX_CANDS
	    || (N->nc > 0 && same_addr(N, N->c + N->nc - 1, c)))
		return (0);			/* a continuation */
	if ((N->nc & (N->nc - 1)) == 0 || N->nc == 0) {
		size_t  cap = N->nc ? N->nc * 2 : 4;

		if ((v = realloc(N->c, cap * sizeof(*v))) == NULL)
			return (-1);
		N->c = v;
	}
	N->c[N->nc++] = *c;
	return (0);
}

/* find_leading - phase 1: lines that start with an address */
static int
find_leading(notice *N)
{
	size_t  li;
	cand    c;

	for (li = 0; li < N->nlines; li++) {
		memset(&c, 0, sizeof(c));
		c.line = li;
		if (!lead_addr(N->text.data, N->lines[li], &c)
		    && !bare_local(N, N->lines[li], &c))
			continue;
		if (!c.bare && after_sender(N, li))
			continue;
		if (add_cand(N, &c) < 0)
			return (-1);
	}
	return (0);
}

static const char *const sender_words[] = {
	"from", "sender", "contact", "by ", "mailto:", "reply-to",
	"return-path", "envelope", "postmaster", "message-id:", NULL
};

/*
 * sender_context - whether the words before an address (the lowercased
 * line p, the address at p[before]) name a sender (or a message: the
 * "Message-ID:" field that a transcript quotes looks like an address)
 */
static int
sender_context(const char *p, size_t before)
{
	size_t  k, from = before > 40 ? before - 40 : 0;

	if (before > 0 && (p[before - 1] == '=' || p[before - 1] == '/'))
		return (1);
	for (k = 0; sender_words[k]; k++)
		if (has(p + from, before - from, sender_words[k]))
			return (1);
	return (0);
}

/*
 * positive_reply - a 2yz reply before the address on its line ("<-- 250
 * 2.1.0 <a@b>... Sender ok" in a session transcript): a server that
 * accepted names no failed recipient there.
 */
static int
positive_reply(const char *p, size_t before)
{
	char    code[4];

	return (reply_find(p, before, code) && code[0] == '2');
}

/* find_named - phase 2: addresses named inside lines */
static int
find_named(notice *N)
{
	size_t  li, from;
	const char *t = N->text.data;
	cand    c;

	for (li = 0; li < N->nlines; li++) {
		span    l = N->lines[li];

		for (from = 0; from < l.len; from = c.addr.off - l.off + c.addr.len) {
			memset(&c, 0, sizeof(c));
			if (!addr_find(t + l.off, l.len, from, &c.addr))
				break;
			c.addr.off += l.off;
			c.line = li;
			c.rest = l;
			if (sender_context(N->low + l.off, c.addr.off - l.off)
			    || positive_reply(t + l.off, c.addr.off - l.off))
				continue;
			if (add_cand(N, &c) < 0)
				return (-1);
		}
	}
	return (0);
}

/* Diagnostics. */

/* gap - the bytes that separate words (put_text) */
static const unsigned char gap[256] = {
	[0] = 1, [' '] = 1, ['\t'] = 1, ['\r'] = 1, ['\n'] = 1
};

#define GAP(c) (gap[(unsigned char) (c)])

/*
 * copy_word - copy the word that starts p[0..n) (n > 0, p[0] no gap) to
 * out, up to its first gap; its length.  Where the byte order allows,
 * eight bytes a step: the bytes below 0x21 are found without a carry
 * between bytes (the low seven bits plus 0x5f reach bit 7 from 0x21 on),
 * and only the first of them is looked up in gap[].  A step stores its
 * eight bytes only when all of them are in p[0..n) and out[0..n).
 */
static size_t
copy_word(char *out, const char *p, size_t n)
{
	size_t  k = 0;

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	uint64_t x, low;

	while (n - k >= 8) {
		memcpy(&x, p + k, 8);
		memcpy(out + k, &x, 8);
		low = ~(((x & ONES * 0x7f) + ONES * 0x5f) | x) & ONES * 0x80;
		if (low == 0) {
			k += 8;
			continue;
		}
		k += (size_t) __builtin_ctzll(low) / 8;
		if (GAP(p[k]))
			return (k);
		k++;				/* a control byte: in the word */
	}
#endif
	for (; k < n && !GAP(p[k]); k++)
		out[k] = p[k];
	return (k);
}

/*
 * put_text - append p[0..n) with runs of white space as one space,
 * stopping once b holds DIAG_MAX bytes: the words go to a local buffer
 * first and into b at once (a diagnostic is made of many short words,
 * and one buf_add() or memcpy() per word cost more than the copying).
 * The words are copied while the end of each is looked for (copy_word),
 * up to one byte past the limit lim; then what goes past it is cut, but
 * for the byte after a space at the limit's last byte: at most DIAG_MAX
 * + 1 bytes are added (a space at DIAG_MAX - 1, then one byte of a word).
 */
static void
put_text(buf *b, const char *p, size_t n)
{
	char    out[DIAG_MAX + 2];
	size_t  i = 0, o = 0, lim, end, k;

	if (b->len >= DIAG_MAX)
		return;
	lim = DIAG_MAX - b->len;
	while (i < n && o <= lim) {
		if (GAP(p[i])) {
			i++;
			continue;
		}
		if (b->len + o > 0)		/* after a gap, or after b */
			out[o++] = ' ';
		if (o > lim)
			break;
		end = n - i > lim + 1 - o ? i + lim + 1 - o : n;
		k = copy_word(out + o, p + i, end - i);
		o += k;
		i += k;
	}
	if (o > lim)
		o = out[lim - 1] == ' ' ? lim + 1 : lim;
	if (o > 0)
		buf_add(b, out, o);
}

static void
put_lines(buf *b, const notice *N, size_t from, size_t to)
{
	size_t  li;

	for (li = from; li < to && li < N->nlines; li++)
		put_text(b, N->text.data + N->lines[li].off, N->lines[li].len);
}

/*
 * transcript - the ">>>"/"<<<" lines before a sendmail-style line, from
 * the last "while talking to" on, and a line that introduces it ("...
 * did not like our RCPT TO:").
 */
static void
transcript(buf *b, const notice *N, size_t from, size_t to)
{
	size_t  li;

	for (li = from; li < to; li++)
		if (N->lines[li].len <= TALK_MAX
		    && has(N->low + N->lines[li].off, N->lines[li].len,
			   "while talking to"))
			from = li;
	if (to > from && to > 0) {
		const char *p = N->text.data + N->lines[to - 1].off;
		size_t  n = N->lines[to - 1].len;

		text_trim(&p, &n);
		if (n > 0 && p[n - 1] == ':' && !text_iprefix(p, n, "<<<")
		    && !text_iprefix(p, n, ">>>"))
			put_text(b, p, n);
	}
	for (li = from; li < to; li++) {
		const char *p = N->text.data + N->lines[li].off;
		size_t  n = N->lines[li].len;

		text_trim(&p, &n);
		if (text_iprefix(p, n, "<<<") || text_iprefix(p, n, ">>>"))
			put_text(b, p, n);
	}
}

/* alnums - the number of letters and digits in p[0..n), counted up to max */
static size_t
alnums(const char *p, size_t n, size_t max)
{
	size_t  i, k = 0;

	for (i = 0; p != NULL && i < n && k < max; i++)
		k += ALNUM((unsigned char) p[i]) ? 1 : 0;
	return (k);
}

/*
 * block_text - the text of candidate k into b: from its address to the
 * next candidate (a sendmail-style line: with its transcript); returns
 * whether the lines before the first candidate may be added (block_pre).
 */
static int
block_text(buf *b, const notice *N, size_t k)
{
	const cand *c = N->c + k;
	size_t  prev = k > 0 ? N->c[k - 1].line + 1 : 0;
	size_t  next = k + 1 < N->nc ? N->c[k + 1].line : N->nlines;

	if (c->sendmail) {
		transcript(b, N, prev, c->line);
		put_text(b, N->text.data + c->rest.off, c->rest.len);
		return (0);
	}
	put_text(b, N->text.data + c->rest.off, c->rest.len);
	if (next > c->line)
		put_lines(b, N, c->line + 1, next);
	return (1);
}

/*
 * block_pre - the lines before the first candidate go first when they
 * hold the only code, or when b says next to nothing besides the address
 * of candidate k ("Invalid final delivery userid: a@b").  Only after
 * the first mention of an address (from_candidates()): after the later
 * ones it would put the same lines in front again.
 */
static void
block_pre(buf *b, const notice *N, size_t k)
{
	const cand *c = N->c + k;
	size_t  few = alnums(N->text.data + c->addr.off, c->addr.len,
			     (size_t) -1) + 30;
	buf     pre;

	if (has_code(b->data ? b->data : "", b->len) || b->failed)
		return;
	buf_init(&pre);
	put_lines(&pre, N, 0, N->c[0].line);
	if (pre.len > 0 && (alnums(b->data, b->len, few) < few
			    || has_code(pre.data, pre.len))) {
		put_text(&pre, b->data ? b->data : "", b->len);
		buf_reset(b);
		buf_add(b, pre.data, pre.len);	/* put_text()'s already */
	}
	buf_free(&pre);
}

/* block - the diagnostic of candidate k into b */
static void
block(buf *b, const notice *N, size_t k)
{
	if (block_text(b, N, k))
		block_pre(b, N, k);
}

/* Putting recipients into the report. */

/* each holds one of delay_words[] (below): keep them in step */
static const char *const delay_phrases[] = {
	"warning message only", "this is a warning", "has been delayed",
	"will be retried", "delayed mail", "still being retried",
	"delivery delayed", "has not yet been delivered", NULL
};

/* every delay phrase holds one of these words */
static const char *const delay_words[] = {
	"warning", "delayed", "retried", "not yet", NULL
};

static int
is_delay(const notice *N, size_t upto)
{
	size_t  i, n = upto < N->text.len ? upto : N->text.len;

	for (i = 0; delay_words[i]; i++)
		if (has(N->low, n, delay_words[i]))
			break;
	if (delay_words[i] == NULL)
		return (0);
	for (i = 0; delay_phrases[i]; i++)
		if (has(N->low, n, delay_phrases[i]))
			return (1);
	return (0);
}

/*
 * add_rcpt - one recipient with its diagnostic and action ("delayed" when
 * delayed > 0, "failed" when 0, none when < 0); 1 added, 0 over the cap
 */
static int
add_rcpt(dsn_report *r, size_t max_rcpt, const char *addr, size_t alen,
	 const buf *diag, int delayed)
{
	dsn_rcpt *p;

	if ((p = dsn_rcpt_new(r, max_rcpt)) == NULL)
		return (r->nrcpt >= max_rcpt ? 0 : -1);
	p->recipient = text_dup(addr, alen);
	if (delayed >= 0)
		p->action = text_dup(delayed ? "delayed" : "failed",
				     delayed ? 7 : 6);
	p->diagnostic = diag->len ? text_dup(diag->data, diag->len) : NULL;
	if (p->recipient == NULL || (delayed >= 0 && p->action == NULL)
	    || (diag->len && p->diagnostic == NULL))
		return (-1);
	return (1);
}

/* seen_before - whether candidate k repeats an earlier address */
static int
seen_before(const notice *N, size_t k)
{
	size_t  j;

	for (j = 0; j < k; j++)
		if (same_addr(N, N->c + j, N->c + k))
			return (1);
	return (0);
}

/* cand_named - the candidate that names address a (or its local part) */
static size_t
cand_named(const notice *N, const char *a)
{
	size_t  k, n = strlen(a);
	const char *at = strchr(a, '@');

	for (k = 0; k < N->nc; k++) {
		const cand *c = N->c + k;
		const char *t = N->text.data + c->addr.off;

		if ((c->addr.len == n && strncasecmp(t, a, n) == 0)
		    || (c->bare && at && (size_t) (at - a) == c->addr.len
			&& strncasecmp(t, a, c->addr.len) == 0))
			return (k);
	}
	return ((size_t) -1);
}

/* cand_for - cand_named(), else the only candidate there is */
static size_t
cand_for(const notice *N, const char *a)
{
	size_t  k = cand_named(N, a);

	return (k != (size_t) -1 || N->nc != 1 ? k : 0);
}

/*
 * keep_named_orig - the returned To and Cc stand for X-Failed-Recipients
 * only when every candidate is a bare local part of theirs; then the
 * addresses that no line names are left out (they were delivered).
 * Otherwise they go, and so do the bare candidates they made.
 */
static void
keep_named_orig(notice *N)
{
	size_t  i, k, o = 0;
	int     all_bare = N->nc > 0;

	if (!N->xfr_orig)
		return;
	for (k = 0; k < N->nc; k++)
		all_bare &= N->c[k].bare;
	for (i = 0; i < N->nxfr; i++) {
		if (all_bare && cand_named(N, N->xfr[i]) != (size_t) -1)
			N->xfr[o++] = N->xfr[i];
		else
			free(N->xfr[i]);
	}
	N->nxfr = o;
	for (k = i = 0; !all_bare && k < N->nc; k++)
		if (!N->c[k].bare)
			N->c[i++] = N->c[k];
	if (!all_bare)
		N->nc = i;
}

/* Everything above, for the caller. */

static void
notice_free(notice *N)
{
	size_t  i;

	buf_free(&N->text);
	free(N->low);
	free(N->lines);
	free(N->c);
	for (i = 0; i < N->nxfr; i++)
		free(N->xfr[i]);
	free(N->xfr);
}

/* xfr_add - the addresses of the field value v, added to N->xfr */
static int
xfr_add(notice *N, const char *v)
{
	size_t  i, n = strlen(v), cap = N->nxfr;
	span    a;
	char  **nv;

	for (i = 0; N->nxfr < MAX_CANDS && addr_find(v, n, i, &a);
	     i = a.off + a.len) {
		if (N->nxfr == cap) {
			cap = cap ? cap * 2 : 4;
			if ((nv = realloc(N->xfr, cap * sizeof(*nv))) == NULL)
				return (-1);
			N->xfr = nv;
		}
		if ((N->xfr[N->nxfr] = text_dup(v + a.off, a.len)) == NULL)
			return (-1);
		N->nxfr++;
	}
	return (0);
}

/* read_xfr - the addresses of X-Failed-Recipients */
static int
read_xfr(const char *msg, const mime_part *root, notice *N)
{
	char   *v;
	int     ret;

	if ((v = mime_part_header(root, msg, "x-failed-recipients", 0)) == NULL)
		return (0);
	ret = xfr_add(N, v);
	free(v);
	return (ret);
}

/*
 * orig_part - the part that holds the returned message, or NULL: looked
 * for once per notice (its To, its Cc and orig_to() need it)
 */
static const mime_part *
orig_part(notice *N, const mime_part *root)
{
	if (!N->orig_known) {
		N->orig = mime_find(root, "message/rfc822", 0);
		if (N->orig == NULL)
			N->orig = mime_find(root, "text/rfc822-headers", 0);
		N->orig_known = 1;
	}
	return (N->orig);
}

/*
 * orig_header - a field of the returned message's header (in part p, from
 * orig_part()), or NULL
 */
static char *
orig_header(const char *msg, const mime_part *p, const char *name)
{
	if (p != NULL && p->nkids > 0)
		return (mime_part_header(p->kids[0], msg, name, 0));
	if (p != NULL)				/* it stops at the empty line */
		return (mime_header(msg + p->body_off, p->body_len, name, 0));
	return (NULL);
}

/*
 * read_orig_rcpts - without X-Failed-Recipients, the returned message's
 * To and Cc addresses take their place for bare_local(): some notices
 * (GroupWise) name the failed recipients by their local part only.
 */
static int
read_orig_rcpts(const char *msg, const mime_part *root, notice *N)
{
	static const char *const names[] = {"to", "cc", NULL};
	char   *v;
	size_t  i;
	int     ret = 0;

	if (N->nxfr > 0)
		return (0);
	for (i = 0; names[i] && ret == 0; i++)
		if ((v = orig_header(msg, orig_part(N, root), names[i])) != NULL) {
			ret = xfr_add(N, v);
			free(v);
		}
	N->xfr_orig = N->nxfr > 0;
	return (ret);
}

/*
 * prose_diag - the text before an embedded delivery-status block, as the
 * diagnostic of its recipients that have none.
 */
static int
prose_diag(const notice *N, size_t upto, dsn_report *r, size_t first)
{
	buf     d;
	size_t  i;
	int     ret = 0;

	buf_init(&d);
	put_lines(&d, N, 0, upto);
	for (i = first; i < r->nrcpt && d.len > 0 && ret == 0; i++)
		if (r->rcpt[i].diagnostic == NULL
		    && (r->rcpt[i].diagnostic = text_dup(d.data, d.len)) == NULL)
			ret = -1;
	if (d.failed)
		ret = -1;
	buf_free(&d);
	return (ret);
}

/* embedded_dsn - delivery-status fields written into the notice text */
static int
embedded_dsn(notice *N, size_t max_rcpt, dsn_report *r)
{
	size_t  first = r->nrcpt;
	size_t  li, start = (size_t) -1;
	const char *t = N->text.data;

	for (li = 0; li < N->nall; li++) {
		const char *p = t + N->lines[li].off;
		size_t  n = N->lines[li].len;

		if (n == 0 || ((*p | 0x20) != 'r' && (*p | 0x20) != 'f'))
			continue;		/* neither field */
		if (start == (size_t) -1 && text_iprefix(p, n, "reporting-mta:"))
			start = li;
		if (text_iprefix(p, n, "final-recipient:")) {
			if (start == (size_t) -1)
				start = li;
			if (dsn_parse_fields(t + N->lines[start].off,
					     N->text.len - N->lines[start].off,
					     r, max_rcpt) < 0)
				return (-1);
			return (prose_diag(N, start, r, first) < 0 ? -1 : 1);
		}
	}
	return (0);
}

/* from_candidates - recipients from the candidates, or from X-F-R */
static int
from_candidates(notice *N, size_t max_rcpt, dsn_report *r, int delayed)
{
	size_t  i, k, n = N->nxfr ? N->nxfr : N->nc;
	buf     d;
	int     ret = 0;

	for (i = 0; i < n && ret >= 0; i++) {
		const char *a;
		size_t  alen;

		buf_init(&d);
		if (N->nxfr) {
			a = N->xfr[i];
			alen = strlen(a);
			if ((k = cand_for(N, a)) != (size_t) -1)
				block(&d, N, k);
			else
				put_lines(&d, N, 0, N->nlines);
		} else if (!seen_before(N, i)) {
			a = N->text.data + N->c[i].addr.off;
			alen = N->c[i].addr.len;
			block(&d, N, i);
			for (k = i + 1; k < N->nc; k++)	/* named again later */
				if (same_addr(N, N->c + i, N->c + k))
					(void) block_text(&d, N, k);
		} else {
			buf_free(&d);
			continue;
		}
		ret = d.failed ? -1 : add_rcpt(r, max_rcpt, a, alen, &d, delayed);
		buf_free(&d);
	}
	return (ret < 0 ? -1 : 0);
}

/* orig_to - the first address of the returned message's To field */
static int
orig_to(const char *msg, size_t len, const mime_part *root, notice *N,
	size_t max_rcpt, dsn_report *r, int delayed)
{
	char   *to = orig_header(msg, orig_part(N, root), "to");
	span    a;
	size_t  li;
	buf     d;
	int     ret = 0;

	for (li = N->nlines; to == NULL && li < N->nall; li++)
		if (text_iprefix(N->text.data + N->lines[li].off,
				 N->lines[li].len, "to:"))
			to = text_dup(N->text.data + N->lines[li].off + 3,
				      N->lines[li].len - 3);
	(void) len;
	if (to != NULL && addr_find(to, strlen(to), 0, &a)) {
		buf_init(&d);
		put_lines(&d, N, 0, N->nlines);
		ret = d.failed ? -1 : add_rcpt(r, max_rcpt, to + a.off, a.len, &d,
					       delayed);
		buf_free(&d);
	}
	free(to);
	return (ret < 0 ? -1 : 0);
}

/* commands - the SMTP command each new recipient's diagnostic names */
static int
commands(const dsn_report *r, size_t first, unsigned **cmds)
{
	size_t  i;

	*cmds = NULL;
	if (r->nrcpt <= first)
		return (0);
	if ((*cmds = calloc(r->nrcpt - first, sizeof(**cmds))) == NULL)
		return (-1);
	for (i = first; i < r->nrcpt; i++) {
		const char *d = r->rcpt[i].diagnostic;

		(*cmds)[i - first] = patterns_command(d, d ? strlen(d) : 0);
	}
	return (0);
}

int
plain_text(const char *msg, size_t len, const mime_part *root, buf *out)
{
	notice  N;
	int     ret = -1;

	(void) len;
	memset(&N, 0, sizeof(N));
	buf_init(&N.text);
	if (notice_read(msg, root, &N) == 0) {
		put_lines(out, &N, 0, N.nlines);
		ret = out->failed ? -1 : 0;
	}
	notice_free(&N);
	return (ret);
}

/*
 * notice_rcpts - plain_notice(), and without action plain_supplement():
 * the action of the recipients (a delay warning or not) is not looked for
 */
static int
notice_rcpts(const char *msg, size_t len, const mime_part *root,
	     size_t max_rcpt, dsn_report *r, unsigned **cmds, int action)
{
	notice  N;
	size_t  first = r->nrcpt;
	int     ret = -1, delayed = -1, e;

	*cmds = NULL;
	memset(&N, 0, sizeof(N));
	buf_init(&N.text);
	if (notice_read(msg, root, &N) < 0 || read_xfr(msg, root, &N) < 0
	    || read_orig_rcpts(msg, root, &N) < 0)
		goto out;
	if ((e = embedded_dsn(&N, max_rcpt, r)) != 0) {
		ret = e < 0 ? -1 : commands(r, first, cmds);
		goto out;
	}
	if (action)
		delayed = is_delay(&N, N.nlines < N.nall ? N.lines[N.nlines].off
				   : N.text.len);
	if (find_leading(&N) < 0)
		goto out;
	keep_named_orig(&N);
	if (N.nc == 0 && find_named(&N) < 0)
		goto out;
	if (from_candidates(&N, max_rcpt, r, delayed) < 0)
		goto out;
	if (r->nrcpt == first
	    && orig_to(msg, len, root, &N, max_rcpt, r, delayed) < 0)
		goto out;
	ret = commands(r, first, cmds);
out:
	notice_free(&N);
	return (ret < 0 ? -1 : (int) (r->nrcpt - first));
}

int
plain_notice(const char *msg, size_t len, const mime_part *root,
	     size_t max_rcpt, dsn_report *r, unsigned **cmds)
{
	return (notice_rcpts(msg, len, root, max_rcpt, r, cmds, 1));
}

int
plain_supplement(const char *msg, size_t len, const mime_part *root,
		 size_t max_rcpt, dsn_report *r, unsigned **cmds)
{
	return (notice_rcpts(msg, len, root, max_rcpt, r, cmds, 0));
}

/* What kind of message it is (the words in lowercase: see any_of()). */

static const char *const daemon_words[] = {
	"mailer-daemon", "mailer daemon", "mail-daemon", "postmaster",
	"post_master", "mail delivery", "mail.delivery", "mail system",
	"delivery subsystem", "ndr ", "interscan", NULL
};

static const char *const bounce_subjects[] = {
	"undeliver", "returned mail", "delivery fail", "failure notice",
	"failure delivery", "delivery status notification", "mail delivery",
	"could not be delivered", "non-delivery", "nondelivery",
	"delivery failure", "returning message", "mail system error",
	"error mail report", "mail failure", "delivery has failed",
	"error sending your mail", "delivery problem", "not delivered",
	"delivery notification", "returned to sender", "bounce",
	"mail error", "loop alert", "\xe3\x83\xa1\xe3\x83\xbc\xe3\x83\xab\xe3\x82\xa8"
	"\xe3\x83\xa9\xe3\x83\xbc", NULL
};

static const char *const autoreply_subjects[] = {
	"auto:", "automatic reply", "auto reply", "autoreply", "auto-reply",
	"auto response", "autoresponse", "autorespons", "auto-response",
	"out of office", "out of the office", "vacation", "abwesenheit",
	"away from", "on leave", "r\xc3\xa9ponse automatique",
	"respuesta autom", "risposta automatica", "resposta autom",
	"automatisch antwoord", "automatische antwort", "autoodpowied", NULL
};

/*
 * Challenge-response systems answer with an auto-reply that holds the
 * message until the sender confirms: nothing failed, nobody is away.
 */
static const char *const challenge_subjects[] = {
	"confirm your message", "confirm you are human",
	"confirm that you are human", "sender verification",
	"verify your message", NULL
};

/*
 * Subject prefixes that mail programs put before a forwarded message's
 * Subject (English, German, French, Spanish, Portuguese, Dutch).
 */
static const char *const forward_subjects[] = {
	"fwd:", "fw:", "wg:", "tr:", "rv:", "enc:", "doorst:", "[fwd:", NULL
};

/*
 * any_of - whether s starts with (prefix) or holds one of the lowercase
 * words, ignoring ASCII case.  A search lowercases s once and looks for
 * the words with text_find() (memchr() based), not with one
 * text_isearch() per word; without memory it falls back to those.
 */
#define ANY_LOCAL	256		/* longer: lowercased into malloc()ed memory */

static int
any_of(const char *s, const char *const *words, int prefix)
{
	size_t  i, n = s ? strlen(s) : 0;
	char    local[ANY_LOCAL], *low = local;
	int     hit = 0;

	while (prefix && n > 0 && (*s == ' ' || *s == '\t')) {
		s++;
		n--;
	}
	if (!prefix && n > sizeof(local) && (low = malloc(n)) == NULL) {
		for (i = 0; n && words[i]; i++)
			if (text_isearch(s, n, words[i]) != NULL)
				return (1);
		return (0);
	}
	if (!prefix)
		text_lower_copy(low, s, n);
	for (i = 0; n && !hit && words[i]; i++)
		hit = prefix ? text_iprefix(s, n, words[i])
			: text_find(low, n, words[i], strlen(words[i])) != NULL;
	if (low != local)
		free(low);
	return (hit);
}

/*
 * The root header fields plain_kind() reads, found in one scan: their
 * lengths differ, so a name's length says which one it may be.
 */
enum {
	KH_FROM, KH_SUBJECT, KH_AS, KH_XFR, KH_XAR, KH_XLA, KH_COUNT
};
static const phrase kind_fields[KH_COUNT] = {
	PH("from"), PH("subject"), PH("auto-submitted"),
	PH("x-failed-recipients"), PH("x-autoreply"), PH("x-list-administrivia")
};

/*
 * The fields of one message: where each first one is, and its value
 * once asked for (kind_value: most messages need From only).
 */
typedef struct kind_hdrs {
	const char *msg;
	const mime_part *root;
	const mime_field *f[KH_COUNT];	/* NULL: none (or fields_partial) */
	char   *v[KH_COUNT];		/* the unfolded values read */
	unsigned got;			/* v[k] was read */
} kind_hdrs;

/* kind_field - the kind_fields[] index of the field name n[0..len), or -1 */
static int
kind_field(const char *n, size_t len)
{
	size_t  i;
	int     k;

	switch (len) {
	case 4:
		k = KH_FROM;
		break;
	case 7:
		k = KH_SUBJECT;
		break;
	case 14:
		k = KH_AS;
		break;
	case 19:
		k = KH_XFR;
		break;
	case 11:
		k = KH_XAR;
		break;
	case 20:
		k = KH_XLA;
		break;
	default:
		return (-1);
	}
	for (i = 0; i < len; i++)	/* len is the name's: its lengths differ */
		if (LOWER((unsigned char) n[i]) != kind_fields[k].s[i])
			return (-1);
	return (k);
}

/*
 * kind_scan - the first field of each kind_fields[] name: one pass over
 * the field index (a partial index is left to kind_value())
 */
static void
kind_scan(const char *msg, const mime_part *root, kind_hdrs *h)
{
	const mime_field *f;
	size_t  i;
	int     k;

	memset(h, 0, sizeof(*h));
	h->msg = msg;
	h->root = root;
	if (root->fields_partial)
		return;
	for (i = 0; i < root->nfields; i++) {
		f = root->fields + i;
		if ((k = kind_field(msg + f->name_off, f->name_len)) >= 0
		    && h->f[k] == NULL)
			h->f[k] = f;
	}
}

/* subject - raw (a Subject value) with RFC 2047 words decoded; frees raw */
static char *
subject(char *raw)
{
	char   *dec;

	if (raw == NULL || strstr(raw, "=?") == NULL)
		return (raw);
	dec = rfc2047_decode(raw, strlen(raw));
	free(raw);
	return (dec);
}

/*
 * kind_value - the unfolded value of field k (Subject decoded), or NULL;
 * read on first need
 */
static const char *
kind_value(kind_hdrs *h, int k)
{
	const mime_field *f = h->f[k];
	char   *v;

	if (h->got & (1u << k))
		return (h->v[k]);
	h->got |= 1u << k;
	if (h->root->fields_partial)
		v = mime_part_header(h->root, h->msg, kind_fields[k].s, 0);
	else
		v = f ? mime_unfold(h->msg + f->raw_off, f->raw_len) : NULL;
	return (h->v[k] = k == KH_SUBJECT ? subject(v) : v);
}

/*
 * kind_person - the kind of a message whose From is no mailer daemon
 * (bounce: -1 until the Subject was looked at)
 */
static int
kind_person(kind_hdrs *h)
{
	const char *subj = kind_value(h, KH_SUBJECT), *as;
	int     xfr = kind_value(h, KH_XFR) != NULL, bounce = -1;

	/*
	 * A person who forwards a bounce ("Fwd: Undelivered Mail") writes a
	 * message of their own: the failure it encloses was reported when
	 * the bounce arrived, and the forwarder's message did not fail.
	 * So does a mailing list that sends its owner a bounce it could
	 * not read (Mailman's notices carry X-List-Administrivia).
	 */
	if (!xfr && (any_of(subj, forward_subjects, 1)
		     || kind_value(h, KH_XLA) != NULL))
		return (PLAIN_FORWARD);
	if (any_of(subj, challenge_subjects, 0))
		return (PLAIN_OTHER);
	if (any_of(subj, autoreply_subjects, 1) || kind_value(h, KH_XAR) != NULL)
		return (PLAIN_AUTOREPLY);
	if ((as = kind_value(h, KH_AS)) != NULL
	    && text_isearch(as, strlen(as), "auto-replied")
	    && !(bounce = any_of(subj, bounce_subjects, 0)) && !xfr)
		return (PLAIN_AUTOREPLY);
	if (bounce < 0)
		bounce = any_of(subj, bounce_subjects, 0);
	return (bounce || xfr ? PLAIN_BOUNCE : PLAIN_OTHER);
}

int
plain_kind(const char *msg, size_t len, const mime_part *root)
{
	kind_hdrs h;
	int     kind, k;

	(void) len;
	kind_scan(msg, root, &h);
	/* a mailer daemon's message is a bounce, whatever else it says */
	kind = any_of(kind_value(&h, KH_FROM), daemon_words, 0) ? PLAIN_BOUNCE
		: kind_person(&h);
	for (k = 0; k < KH_COUNT; k++)
		if (h.got & (1u << k))
			free(h.v[k]);
	return (kind);
}
