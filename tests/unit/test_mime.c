/*
 * NAME
 *	test_mime - unit tests for mime.c
 * DESCRIPTION
 *	Header fields, Content-Type values and parameters (RFC 2045, 2231),
 *	transfer decoding, the part tree (RFC 2046) in LF, CR LF and CR-only
 *	form, every limit in mime_limits, and the real bounces of the corpus.
 *	The corpus test looks for the maildir in $DSN_CORPUS_DIR, then in
 *	$CORPUS/mail/maildir, then in shared/corpus/mail/maildir one to three
 *	levels up; it is skipped when none exists.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "mime.h"
#include "testutil.h"

 /*
  * Helpers.
  */

/* eol_convert - copy s with every LF replaced by eol */
static char *
eol_convert(const char *s, const char *eol, size_t *len)
{
	buf     b;

	buf_init(&b);
	for (; *s; s++) {
		if (*s == '\n')
			buf_puts(&b, eol);
		else
			buf_putc(&b, *s);
	}
	assert_false(b.failed);
	*len = b.len;
	return (buf_detach(&b));
}

/* check_tree - structural invariants of a parsed tree */
static void
check_tree(const mime_part *p, size_t len)
{
	size_t  i;
	const mime_part *k;

	assert_non_null(p->ctype);
	assert_true(p->off + p->len <= len);
	assert_int_equal(p->hdr_off, p->off);
	assert_true(p->hdr_off + p->hdr_len <= p->body_off);
	assert_int_equal(p->body_off + p->body_len, p->off + p->len);
	for (i = 0; i < p->nkids; i++) {
		k = p->kids[i];
		assert_ptr_equal(k->parent, p);
		assert_int_equal(k->depth, p->depth + 1);
		assert_true(k->off >= p->body_off);
		assert_true(k->off + k->len <= p->body_off + p->body_len);
		if (i > 0)
			assert_true(k->off >= p->kids[i - 1]->off
				    + p->kids[i - 1]->len);
		check_tree(k, len);
	}
}

/* count_parts - parts in the tree */
static size_t
count_parts(const mime_part *p)
{
	size_t  i, n = 1;

	for (i = 0; i < p->nkids; i++)
		n += count_parts(p->kids[i]);
	return (n);
}

/* max_depth_of - deepest part */
static int
max_depth_of(const mime_part *p)
{
	size_t  i;
	int     d = p->depth, k;

	for (i = 0; i < p->nkids; i++)
		if ((k = max_depth_of(p->kids[i])) > d)
			d = k;
	return (d);
}

/* parse_ok - parse with limits (NULL: defaults), check the invariants */
static mime_part *
parse_ok(const char *msg, size_t len, const mime_limits *lim)
{
	mime_part *root = NULL;

	assert_int_equal(mime_parse(msg, len, lim, &root), MIME_OK);
	assert_non_null(root);
	check_tree(root, len);
	return (root);
}

/* body_is - the body of p equals want */
static void
body_is(const mime_part *p, const char *msg, const char *want)
{
	assert_int_equal(p->body_len, strlen(want));
	assert_memory_equal(msg + p->body_off, want, p->body_len);
}

 /*
  * Header fields.
  */

struct hend_case {
	const char *in;
	size_t  hlen;
	size_t  body_off;
};

static const struct hend_case hend_cases[] = {
	{"A: 1\nB: 2\n\nbody", 10, 11},
	{"A: 1\r\nB: 2\r\n\r\nbody", 12, 14},
	{"A: 1\rB: 2\r\rbody", 10, 11},
	{"A: 1\r\nB: 2\n\rbody", 11, 12},		/* mixed */
	{"\nbody", 0, 1},
	{"\r\nbody", 0, 2},
	{"A: 1\nB: 2", 9, 9},			/* no blank line */
	{"A: 1\nB: 2\n", 10, 10},
	{"A: 1\n \nB", 8, 8},			/* white line is not empty */
	{"", 0, 0},
};

static void
header_end__finds_the_empty_line_for_every_line_ending(void **state)
{
	size_t  i, boff;

	(void) state;
	for (i = 0; i < sizeof(hend_cases) / sizeof(hend_cases[0]); i++) {
		const struct hend_case *c = &hend_cases[i];

		boff = 12345;
		assert_int_equal(mime_header_end(c->in, strlen(c->in), &boff),
				 c->hlen);
		assert_int_equal(boff, c->body_off);
	}
}

static void
header_next__gives_raw_folded_values_and_skips_non_fields(void **state)
{
	const char *h = "From someone Mon Jan  1 00:00:00 2024\n"
	"  orphan continuation\n"
	"Subject: one\n\t two\n"
	"no colon here\n"
	"Bad Name: x\n"
	":empty name\n"
	"X-Empty:\n"
	"To:a@b\n"
	"\n"
	"Body: not a header\n";
	mime_hiter it;

	(void) state;
	it.pos = 0;
	assert_int_equal(mime_header_next(h, strlen(h), &it), 1);
	assert_int_equal(it.name_len, 7);
	assert_memory_equal(it.name, "Subject", 7);
	assert_int_equal(it.raw_len, strlen(" one\n\t two"));
	assert_memory_equal(it.raw, " one\n\t two", it.raw_len);
	assert_int_equal(mime_header_next(h, strlen(h), &it), 1);
	assert_memory_equal(it.name, "X-Empty", 7);
	assert_int_equal(it.raw_len, 0);
	assert_int_equal(mime_header_next(h, strlen(h), &it), 1);
	assert_memory_equal(it.name, "To", 2);
	assert_int_equal(it.raw_len, 3);
	assert_int_equal(mime_header_next(h, strlen(h), &it), 0);
	assert_int_equal(mime_header_next(h, strlen(h), &it), 0);
}

/*
 * mime_field_next() gives the fields of mime_header_next() over the block
 * that mime_header_end() finds, and stops at its empty line: *blank and
 * it->pos are the header length and body offset of mime_header_end()
 */
static void
field_next__stops_at_the_empty_line_like_header_end(void **state)
{
	static const char *const texts[] = {
		"A: 1\n\tx\nB: 2\n\nC: 3\n", "A: 1\r\nB:\r\n 2\r\n\r\nC: 3\r\n",
		"A: 1\rB: 2\r\rC: 3", "\nA: 1\n", "\r\nA: 1", "A: 1\nB: 2",
		"no field\nA:1\n \n\nC", "", "A: 1\n", "From x y\nA: 1\n\n",
	};
	mime_hiter a, b;
	size_t  i, hlen, body, blank, n;
	char   *t;
	int     more;

	(void) state;
	for (i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		n = strlen(texts[i]);
		t = test_exact(texts[i], n);
		hlen = mime_header_end(t, n, &body);
		memset(&a, 0, sizeof(a));
		memset(&b, 0, sizeof(b));
		blank = (size_t) -1;
		do {
			more = mime_header_next(t, hlen, &a);
			assert_int_equal(mime_field_next(t, n, &b, &blank), more);
			if (more) {
				assert_ptr_equal(a.name, b.name);
				assert_int_equal(a.name_len, b.name_len);
				assert_ptr_equal(a.raw, b.raw);
				assert_int_equal(a.raw_len, b.raw_len);
			}
		} while (more);
		if (body < n || (n > 0 && hlen < n)) {
			assert_int_equal(blank, hlen);
			assert_int_equal(b.pos, body);
		} else {
			assert_int_equal(blank, (size_t) -1);
		}
		free(t);
	}
}

/*
 * ref_field - a byte at a time, what mime_field_next() gives: the next
 * field of h[0..len) from *pos (name, colon), its value's end in *vend;
 * 0 at the empty line (*blank its offset, *pos past it) or the end
 */
static int
ref_field(const char *h, size_t len, size_t *pos, size_t *name,
	  size_t *nlen, size_t *colon, size_t *vend, size_t *blank)
{
	size_t  s, e, q;

#define REF_EOL(c) ((c) == '\r' || (c) == '\n')
#define REF_WSP(c) ((c) == ' ' || (c) == '\t')
#define REF_NEXT(e) ((e) < len && h[e] == '\r' && (e) + 1 < len \
		     && h[(e) + 1] == '\n' ? (e) + 2 : (e) < len ? (e) + 1 : len)
	for (;;) {
		if ((s = *pos) >= len)
			return (0);
		for (e = s; e < len && !REF_EOL(h[e]); e++)
			 /* void */ ;
		*pos = REF_NEXT(e);
		if (e == s) {
			*blank = s;
			return (0);
		}
		for (q = s; q < e && h[q] != ':' && !REF_WSP(h[q]); q++)
			 /* void */ ;
		*nlen = q - s;
		while (q < e && REF_WSP(h[q]))
			q++;
		if (*nlen > 0 && q < e && h[q] == ':')
			break;
	}
	*name = s;
	*colon = q;
	while (*pos < len && REF_WSP(h[*pos])) {
		for (e = *pos; e < len && !REF_EOL(h[e]); e++)
			 /* void */ ;
		*pos = REF_NEXT(e);
	}
	*vend = e;
	return (1);
}

/*
 * mime_field_next() and mime_header_next() give the fields of a byte
 * loop on random header blocks in buffers of their exact size: the bytes
 * that end a name or a line, NULs and letters, lines longer than the
 * sixteen bytes of an SSE2 step, and text ending at every place
 */
static void
field_next__agrees_with_a_byte_loop_on_random_blocks(void **state)
{
	static const char alpha[] = ":: \t\t\r\n\n\rab-X\0";
	char    src[200], *t;
	mime_hiter a, b;
	size_t  i, k, n, pos, name, nlen, colon, vend, blank, rblank;
	int     more, ra;
	unsigned seed = 12345;

	(void) state;
	for (i = 0; i < 40000; i++) {
		n = (seed = seed * 1103515245 + 12345) >> 16 & 127;
		for (k = 0; k < n; k++) {
			seed = seed * 1103515245 + 12345;
			src[k] = (seed >> 16) % 8 < 5 ? "Abcdefgh"[(seed >> 20) % 8]
				: alpha[(seed >> 20) % (sizeof(alpha) - 1)];
		}
		t = test_exact(src, n);
		memset(&a, 0, sizeof(a));
		memset(&b, 0, sizeof(b));
		pos = 0;
		blank = rblank = (size_t) -1;
		do {
			more = ref_field(t, n, &pos, &name, &nlen, &colon, &vend,
					 &rblank);
			assert_int_equal(mime_field_next(t, n, &b, &blank), more);
			ra = mime_header_next(t, n, &a);
			assert_int_equal(ra, more);
			if (more) {
				assert_ptr_equal(b.name, t + name);
				assert_int_equal(b.name_len, nlen);
				assert_ptr_equal(b.raw, t + colon + 1);
				assert_int_equal(b.raw_len, vend - colon - 1);
				assert_ptr_equal(a.raw, b.raw);
				assert_int_equal(a.raw_len, b.raw_len);
				assert_int_equal(b.pos, pos);
			}
		} while (more);
		assert_int_equal(blank, rblank);
		assert_int_equal(b.pos, pos);
		free(t);
	}
}

static void
header_next__reads_cr_only_and_crlf_folding(void **state)
{
	const char *eols[] = {"\r", "\r\n"};
	mime_hiter it;
	size_t  i, n;
	char   *h;

	(void) state;
	for (i = 0; i < 2; i++) {
		h = eol_convert("A: 1\n 2\nB: 3\n", eols[i], &n);
		it.pos = 0;
		assert_int_equal(mime_header_next(h, n, &it), 1);
		assert_int_equal(it.raw_len, 3 + strlen(eols[i]) + 1);
		assert_int_equal(mime_header_next(h, n, &it), 1);
		assert_memory_equal(it.name, "B", 1);
		assert_int_equal(it.raw_len, 2);
		assert_int_equal(mime_header_next(h, n, &it), 0);
		free(h);
	}
}

static void
header__returns_nth_unfolded_value_ignoring_case(void **state)
{
	const char *h = "Received: one\n\ttwo\nSUBJECT: s\nreceived: three\n";
	char   *v;

	(void) state;
	v = mime_header(h, strlen(h), "received", 0);
	assert_string_equal(v, "one two");
	free(v);
	v = mime_header(h, strlen(h), "Received", 1);
	assert_string_equal(v, "three");
	free(v);
	v = mime_header(h, strlen(h), "subject", 0);
	assert_string_equal(v, "s");
	free(v);
	assert_null(mime_header(h, strlen(h), "received", 2));
	assert_null(mime_header(h, strlen(h), "from", 0));
	assert_null(mime_header(h, strlen(h), "subj", 0));
}

/* same_header - mime_part_header() agrees with mime_header() over p */
static void
same_header(const mime_part *p, const char *msg, const char *name)
{
	char   *a, *b;
	size_t  idx;

	for (idx = 0; idx < 4; idx++) {
		a = mime_header(msg + p->hdr_off, p->hdr_len, name, idx);
		b = mime_part_header(p, msg, name, idx);
		if (a == NULL || b == NULL)
			assert_ptr_equal(a, b);
		else
			assert_string_equal(a, b);
		free(a);
		free(b);
	}
}

/*
 * same_fields - mime_part_next() gives the fields that mime_header_next()
 * gives over p's header block: the same bytes, in the same order
 */
static void
same_fields(const mime_part *p, const char *msg)
{
	mime_hiter a, b;
	int     more_a, more_b;

	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	do {
		more_a = mime_header_next(msg + p->hdr_off, p->hdr_len, &a);
		more_b = mime_part_next(p, msg, &b);
		assert_int_equal(more_a, more_b);
		if (!more_a)
			break;
		assert_ptr_equal(a.name, b.name);
		assert_int_equal(a.name_len, b.name_len);
		assert_ptr_equal(a.raw, b.raw);
		assert_int_equal(a.raw_len, b.raw_len);
	} while (more_a);
	assert_int_equal(mime_part_next(p, msg, &b), 0);	/* stays at the end */
}

static void
part_header__agrees_with_header_for_every_line_ending(void **state)
{
	static const char *const eols[] = {"\n", "\r\n", "\r", NULL};
	static const char *const names[] = {
		"received", "X-A", "x-b", "from", "subject", "to", "x-c",
		"content-type", "", "x a", "x-a:", "x-", "x-aa", NULL
	};
	const char *m =
		"From someone  Mon Jan  1 00:00:00 2024\n"
		"Received: one\n\ttwo\n  three\n"
		"X-A: 1\nX-B : 2\nnot a field\nX-A:3\nx-a: 4\n"
		"X-C: 5\nX-C: 6\nX-C: 7\nX-C: 8\nX-C: 9\nX-C: 10\n"
		"X-C: 5\nX-C: 6\nX-C: 7\nX-C: 8\nX-C: 9\nX-C: 10\n"
		"Subject: s\n \n folded\n"
		"Content-Type: message/rfc822\n\n"
		"To: a@b\nx-b: 11\n\tmore\n\nbody\nX-A: not a header\n";
	size_t  i, k, len;
	mime_part *root;
	char   *msg;

	(void) state;
	for (i = 0; eols[i]; i++) {
		msg = eol_convert(m, eols[i], &len);
		assert_int_equal(mime_parse(msg, len, NULL, &root), MIME_OK);
		assert_int_equal(root->nfields, 19);	/* once grown */
		assert_int_equal(root->kids[0]->nfields, 2);
		assert_int_equal(root->nkids, 1);
		for (k = 0; names[k]; k++) {
			same_header(root, msg, names[k]);
			same_header(root->kids[0], msg, names[k]);
		}
		same_fields(root, msg);
		same_fields(root->kids[0], msg);
		mime_free(root);
		free(msg);
	}
}

struct str_case {
	const char *in;
	const char *want;			/* NULL: expect NULL */
};

static const struct str_case unfold_cases[] = {
	{" a\r\n b", "a b"},
	{"a \n\t  b", "a b"},
	{"a\rb", "a b"},
	{"a  b", "a  b"},			/* no fold: kept */
	{"a\n\n\n b", "a b"},
	{"  \t ", ""},
	{"", ""},
	{" x \r\n", "x"},
};

static void
unfold__joins_lines_with_one_space_and_trims(void **state)
{
	size_t  i;
	char   *s;

	(void) state;
	for (i = 0; i < sizeof(unfold_cases) / sizeof(unfold_cases[0]); i++) {
		s = mime_unfold(unfold_cases[i].in, strlen(unfold_cases[i].in));
		assert_non_null(s);
		assert_string_equal(s, unfold_cases[i].want);
		free(s);
	}
}

/* mime_unfold_to() writes what mime_unfold() returns into len + 1 bytes */
static void
unfold_to__same_string_in_the_callers_bytes(void **state)
{
	size_t  i, len, n;
	char   *s, *dst;

	(void) state;
	for (i = 0; i < sizeof(unfold_cases) / sizeof(unfold_cases[0]); i++) {
		len = strlen(unfold_cases[i].in);
		dst = malloc(len + 1);		/* exactly len + 1 bytes */
		assert_non_null(dst);
		n = mime_unfold_to(unfold_cases[i].in, len, dst);
		s = mime_unfold(unfold_cases[i].in, len);
		assert_string_equal(dst, s);
		assert_int_equal(n, strlen(s));
		free(s);
		free(dst);
	}
}

static void
unfold__replaces_nul_bytes(void **state)
{
	char   *s;

	(void) state;
	s = mime_unfold("a\0b", 3);
	assert_string_equal(s, "a b");
	free(s);
}

/*
 * A value of one line is trimmed before it is copied; a NUL (which the
 * copy makes a space) at either end of the trimmed range must still be
 * trimmed, as in a folded value.  Inputs are exact-size heap copies.
 */
static void
unfold__one_line_values_trim_nul_ends_like_folded_ones(void **state)
{
	static const struct {
		const char *in;
		size_t  len;
		const char *want;
	} c[] = {
		{" \t a b \t ", 9, "a b"},
		{"\0a\0", 3, "a"},
		{" \0 a", 4, "a"},
		{"a \0", 3, "a"},
		{"\0", 1, ""},
		{" \0 \0 ", 5, ""},
		{"a\0\r\n b\0", 7, "a  b"},
		{"\r\n \0a", 5, "a"},
		{"x", 1, "x"},
		{"\f\vx\v\f", 5, "x"},
	};
	size_t  i;
	char   *in, *s;

	(void) state;
	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		in = test_exact(c[i].in, c[i].len);
		s = mime_unfold(in, c[i].len);
		assert_non_null(s);
		if (strcmp(s, c[i].want) != 0)
			fail_msg("case %zu: got \"%s\"", i, s);
		free(s);
		free(in);
	}
}

 /*
  * Content-Type and parameters.
  */

static const struct str_case ctype_cases[] = {
	{"text/plain", "text/plain"},
	{"Text/HTML; charset=x", "text/html"},
	{" (c) multipart (x) / (y) Mixed (z);b=1", "multipart/mixed"},
	{"message/delivery-status", "message/delivery-status"},
	{"text/plain garbage", "text/plain"},
	{"application/vnd.ms-excel", "application/vnd.ms-excel"},
	{"text", NULL},
	{"/plain", NULL},
	{"text/", NULL},
	{"text/;charset=x", NULL},
	{"", NULL},
	{"   ", NULL},
	{"\"text/plain\"", NULL},
	{"(unterminated comment text/plain", NULL},
	{"t\xe9xt/plain", NULL},
};

static void
ctype__lowercases_type_and_rejects_malformed(void **state)
{
	size_t  i;
	char   *s;

	(void) state;
	for (i = 0; i < sizeof(ctype_cases) / sizeof(ctype_cases[0]); i++) {
		s = mime_ctype(ctype_cases[i].in);
		if (ctype_cases[i].want == NULL) {
			assert_null(s);
			continue;
		}
		assert_non_null(s);
		assert_string_equal(s, ctype_cases[i].want);
		free(s);
	}
}

/*
 * Every byte after "x/y" either belongs to the subtype (an RFC 2045 token
 * character: printable ASCII but the specials) or ends it
 */
static void
ctype__token_characters_are_exactly_rfc2045s(void **state)
{
	static const char specials[] = "()<>@,;:\\\"/[]?=";
	char    in[8], want[8];
	int     c, token;
	char   *s;

	(void) state;
	for (c = 1; c < 256; c++) {
		token = c > 32 && c < 127 && strchr(specials, c) == NULL;
		snprintf(in, sizeof(in), "x/y%cz", c);
		snprintf(want, sizeof(want), token ? "x/y%cz" : "x/y",
			 c >= 'A' && c <= 'Z' ? c + 32 : c);
		s = mime_ctype(in);
		assert_non_null(s);
		if (strcmp(s, want) != 0)
			fail_msg("byte %d: got \"%s\"", c, s);
		free(s);
	}
}

struct param_case {
	const char *value;
	const char *name;
	const char *want;			/* NULL: absent */
};

static const struct param_case param_cases[] = {
	{"text/plain; charset=us-ascii", "charset", "us-ascii"},
	{"text/plain; CHARSET=\"utf-8\"", "charset", "utf-8"},
	{"text/plain;charset=a;charset=b", "charset", "a"},
	{"x/y; n=\"a\\\"b\\\\c\"", "n", "a\"b\\c"},
	{"x/y; n=\"a\\", "n", "a"},
	{"x/y; a=\"1;b=2\"; b=3", "b", "3"},
	{"x/y; (c; b=9) b=(x)4(y)", "b", "4"},
	{"x/y; a=1 (b=2)", "b", NULL},
	{"x/y; a=1", "b", NULL},
	{"x/y", "b", NULL},
	{"x/y; boundary=----=_Part_1", "boundary", "----=_Part_1"},
	{"x/y; boundary=\"x/y:z?w\"", "boundary", "x/y:z?w"},
	{"multipart/mixed boundary=abc", "boundary", "abc"},
	{"x/y; b=\"abc", "b", "abc"},
	{"x/y; b=", "b", ""},
	{"x/y; b=\"\"", "b", ""},
	{"x/y; junk; =1; b=2", "b", "2"},
	{"x/y; boundaryx=1", "boundary", NULL},
	{"x/y; xboundary=1", "boundary", NULL},
	{"garbage; charset=x", "charset", "x"},
	{"x/y;\r\n\tb=1", "b", "1"},
	/* RFC 2231 */
	{"x/y; name*=utf-8''a%20b", "name", "a b"},
	{"x/y; name*=us-ascii'en-us'This%20is", "name", "This is"},
	{"x/y; name*=\"utf-8''a%20b\"", "name", "a b"},
	{"x/y; name*=''%zz%4%", "name", "%zz%4%"},
	{"x/y; name*=no-quotes%41", "name", "no-quotesA"},
	{"x/y; name*=''a%00b", "name", "a b"},
	{"x/y; name*0=foo; name*1=bar", "name", "foobar"},
	{"x/y; name*0*=utf-8''a%20; name*1=b%20c; name*2*=%41", "name",
	"a b%20cA"},
	{"x/y; n*0*=''a; n*1*=x'y'%41", "n", "ax'y'A"},
	{"x/y; n*1=b; n*0=a", "n", "ab"},
	{"x/y; n*0=a; n*2=c", "n", "a"},
	{"x/y; n*1=b; n*2=c", "n", NULL},
	{"x/y; n*0=a; n*0=z; n*1=b", "n", "ab"},
	{"x/y; n*0=\"a b\"; n*1=\" c\"", "n", "a b c"},
	{"x/y; name=plain; name*=''ext", "name", "ext"},
	{"x/y; name=plain; name*0=s0", "name", "s0"},
	{"x/y; n*01x=1", "n", NULL},
	{"x/y; n**=1", "n", NULL},
	{"x/y; n*99999999999999999999=1", "n", NULL},
	{"x/y; n*=", "n", ""},
	/* the name is found ignoring case, whatever its first byte */
	{"x/y; CharSet=a", "CHARSET", "a"},
	{"x/y; bOUNDARY=a", "Boundary", "a"},
	{"x/y; 1x=a", "1X", "a"},
	{"x/y; *x=a; :x=b", ":X", "b"},
	{"x/y; _x=a", "_x", "a"},
	{"x/y; x=a; charset=b", "c", NULL},
	{"c/c; cc=1; ccharset=2; CHARSET=3", "charset", "3"},
};

static void
param__table(void **state)
{
	size_t  i;
	char   *s;

	(void) state;
	for (i = 0; i < sizeof(param_cases) / sizeof(param_cases[0]); i++) {
		const struct param_case *c = &param_cases[i];

		s = mime_param(c->value, c->name);
		if (c->want == NULL) {
			if (s != NULL)
				fail_msg("case %zu: got \"%s\"", i, s);
			continue;
		}
		if (s == NULL)
			fail_msg("case %zu (%s): got NULL", i, c->value);
		assert_string_equal(s, c->want);
		free(s);
	}
}

static void
param__many_rfc2231_sections_are_joined_in_order(void **state)
{
	buf     v, want;
	int     i;
	char   *s;

	(void) state;
	buf_init(&v);
	buf_init(&want);
	buf_puts(&v, "x/y");
	for (i = 2999; i >= 0; i--)
		buf_printf(&v, "; n*%d=%d,", i, i);
	for (i = 0; i < 3000; i++)
		buf_printf(&want, "%d,", i);
	s = mime_param(v.data, "n");
	assert_non_null(s);
	assert_string_equal(s, want.data);
	free(s);
	buf_free(&v);
	buf_free(&want);
}

 /*
  * Transfer decoding.
  */

struct dec_case {
	const char *in;
	const char *want;
	size_t  want_len;
};

#define DEC(in, out)	{in, out, sizeof(out) - 1}

static const struct dec_case b64_cases[] = {
	DEC("aGVsbG8=", "hello"),
	DEC("aGVs\r\nbG8=\r\n", "hello"),
	DEC(" a G V s\tb G 8 ", "hello"),
	DEC("aG*V!sbG8~", "hello"),
	DEC("aGk=aGk=", "hi"),
	DEC("aGVsbG", "hell"),
	DEC("aGVsbG8", "hello"),
	DEC("a", ""),
	DEC("", ""),
	DEC("====", ""),
	DEC("AAEC", "\0\1\2"),
	DEC("+/+/", "\xfb\xff\xbf"),
};

static void
decode_b64__ignores_garbage_and_stops_at_padding(void **state)
{
	size_t  i;
	buf     b;

	(void) state;
	for (i = 0; i < sizeof(b64_cases) / sizeof(b64_cases[0]); i++) {
		buf_init(&b);
		assert_int_equal(mime_decode_b64(b64_cases[i].in,
					   strlen(b64_cases[i].in), &b), 0);
		assert_int_equal(b.len, b64_cases[i].want_len);
		if (b.len)
			assert_memory_equal(b.data, b64_cases[i].want, b.len);
		buf_free(&b);
	}
}

static void
decode_b64__round_trips_a_large_body(void **state)
{
	static const char al[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	unsigned char raw[5000];
	buf     enc, dec;
	size_t  i;
	unsigned long v;

	(void) state;
	for (i = 0; i < sizeof(raw); i++)
		raw[i] = (unsigned char) (i * 7 + i / 256);
	buf_init(&enc);
	buf_init(&dec);
	for (i = 0; i < sizeof(raw); i += 3) {		/* 5000 = 3 * 1666 + 2 */
		v = (unsigned long) raw[i] << 16;
		v |= i + 1 < sizeof(raw) ? (unsigned long) raw[i + 1] << 8 : 0;
		v |= i + 2 < sizeof(raw) ? raw[i + 2] : 0;
		buf_putc(&enc, al[v >> 18 & 63]);
		buf_putc(&enc, al[v >> 12 & 63]);
		buf_putc(&enc, i + 1 < sizeof(raw) ? al[v >> 6 & 63] : '=');
		buf_putc(&enc, i + 2 < sizeof(raw) ? al[v & 63] : '=');
		if (i % 57 == 54)
			buf_puts(&enc, "\r\n");
	}
	assert_int_equal(mime_decode_b64(enc.data, enc.len, &dec), 0);
	assert_int_equal(dec.len, sizeof(raw));
	assert_memory_equal(dec.data, raw, sizeof(raw));
	buf_free(&enc);
	buf_free(&dec);
}

static const struct dec_case qp_cases[] = {
	DEC("a=3Db", "a=b"),
	DEC("a=3db", "a=b"),
	DEC("ab=\r\ncd", "abcd"),
	DEC("ab=\ncd", "abcd"),
	DEC("ab=\rcd", "abcd"),
	DEC("ab= \t\r\ncd", "abcd"),
	DEC("ab=\r\n\r\ncd", "ab\r\ncd"),
	DEC("a=ZZb", "a=ZZb"),
	DEC("a=4", "a=4"),
	DEC("a=4G", "a=4G"),
	DEC("a=", "a"),
	DEC("a= ", "a"),
	DEC("a= x", "a= x"),
	DEC("a=00b", "a\0b"),
	DEC("a b\tc", "a b\tc"),
	DEC("a  \r\nb", "a\r\nb"),
	DEC("a \nb \rc\t", "a\nb\rc"),
	DEC("line1\r\nline2\n", "line1\r\nline2\n"),
	DEC("", ""),
	DEC("==41", "=A"),
};

static void
decode_qp__soft_breaks_for_every_line_ending_invalid_kept(void **state)
{
	size_t  i;
	buf     b;

	(void) state;
	for (i = 0; i < sizeof(qp_cases) / sizeof(qp_cases[0]); i++) {
		buf_init(&b);
		assert_int_equal(mime_decode_qp(qp_cases[i].in,
					  strlen(qp_cases[i].in), &b), 0);
		if (b.len != qp_cases[i].want_len)
			fail_msg("qp case %zu: got %zu bytes", i, b.len);
		if (b.len)
			assert_memory_equal(b.data, qp_cases[i].want, b.len);
		buf_free(&b);
	}
}

/* ref_b64 - base64 decoding a digit at a time (the reference) */
static void
ref_b64(const char *p, size_t n, buf *out)
{
	static const char digits[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	unsigned long acc = 0;
	const char *d;
	size_t  i;
	int     bits = 0;

	for (i = 0; i < n && p[i] != '='; i++) {
		if (p[i] == 0 || (d = strchr(digits, p[i])) == NULL)
			continue;
		acc = acc << 6 | (unsigned long) (d - digits);
		if ((bits += 6) < 8)
			continue;
		bits -= 8;
		buf_putc(out, (int) (acc >> bits & 0xff));
		acc &= (1UL << bits) - 1;
	}
}

/* ref_hex - value of hex digit c, or -1 */
static int
ref_hex(int c)
{
	const char *d = c ? strchr("0123456789abcdef", c | 0x20) : NULL;

	return (d && (c | 0x20) >= 'a' ? (int) (d - "0123456789abcdef")
		: d && c >= '0' && c <= '9' ? c - '0' : -1);
}

/*
 * ref_qp - quoted-printable decoding a byte at a time (the reference):
 * "=" then white space to a line break or the end is a soft break, "=XY"
 * a byte, any other "=" itself; white space before a line break or the
 * end is dropped.
 */
static void
ref_qp(const char *p, size_t n, buf *out)
{
	size_t  i = 0, k;

	while (i < n) {
		if (p[i] == '=') {
			for (k = i + 1; k < n && (p[k] == ' ' || p[k] == '\t'); k++)
				 /* void */ ;
			if (k == n) {
				i = n;
			} else if (p[k] == '\r' || p[k] == '\n') {
				i = k + 1 + (p[k] == '\r' && k + 1 < n && p[k + 1] == '\n');
			} else if (i + 2 < n && ref_hex(p[i + 1]) >= 0
				   && ref_hex(p[i + 2]) >= 0) {
				buf_putc(out, ref_hex(p[i + 1]) * 16 + ref_hex(p[i + 2]));
				i += 3;
			} else {
				buf_putc(out, '=');
				i++;
			}
		} else if (p[i] == ' ' || p[i] == '\t') {
			for (k = i; k < n && (p[k] == ' ' || p[k] == '\t'); k++)
				 /* void */ ;
			if (k < n && p[k] != '\r' && p[k] != '\n')
				buf_add(out, p + i, k - i);
			i = k;
		} else {
			buf_putc(out, p[i++]);
		}
	}
}

/*
 * The decoders take runs and quanta at once; random inputs over the bytes
 * that matter (digits, "=", white space, every line break, NUL, others)
 * at every length must decode exactly as a byte at a time.  Inputs are
 * exact-size heap copies.
 */
static void
decode__runs_and_quanta_agree_with_a_byte_at_a_time(void **state)
{
	static const char qp_set[] = "=\r\n \t3Da0fZ xy\xff";
	static const char b64_set[] = "QUJDRA+/z09\r\n =*\xff";
	unsigned seed = 11;
	char    in[64], *copy;
	size_t  round, len, i;
	buf     got, want;
	int     kind;

	(void) state;
	buf_init(&got);
	buf_init(&want);
	for (round = 0; round < 20000; round++) {
		kind = round & 1;
		len = round / 2 % sizeof(in);
		for (i = 0; i < len; i++) {
			seed = seed * 1103515245u + 12345u;
			in[i] = kind ? qp_set[(seed >> 16) % (sizeof(qp_set) - 1)]
			    : b64_set[(seed >> 16) % (sizeof(b64_set) - 1)];
			if ((seed >> 8 & 63) == 0)
				in[i] = 0;
		}
		copy = test_exact(in, len);
		buf_reset(&got);
		buf_reset(&want);
		if (kind) {
			assert_int_equal(mime_decode_qp(copy, len, &got), 0);
			ref_qp(in, len, &want);
		} else {
			assert_int_equal(mime_decode_b64(copy, len, &got), 0);
			ref_b64(in, len, &want);
		}
		if (got.len != want.len || (got.len
				&& memcmp(got.data, want.data, got.len) != 0))
			fail_msg("round %zu (%s, %zu bytes): %zu bytes, want %zu",
				 round, kind ? "qp" : "b64", len, got.len, want.len);
		free(copy);
	}
	buf_free(&got);
	buf_free(&want);
}

static void
decode__undoes_the_part_transfer_encoding(void **state)
{
	const char *m = "Content-Type: multipart/mixed; boundary=b\n\n"
	"--b\nContent-Transfer-Encoding: BASE64\n\naGVsbG8=\n"
	"--b\nContent-Transfer-Encoding: quoted-printable (c)\n\na=3Db=\nc\n"
	"--b\nContent-Transfer-Encoding: 8bit\n\nr=3D\n"
	"--b\nContent-Transfer-Encoding: x-uuencode\n\nu=3D\n"
	"--b--\n";
	static const char *want[] = {"hello", "a=bc", "r=3D", "u=3D"};
	mime_part *r;
	buf     b;
	size_t  i;

	(void) state;
	r = parse_ok(m, strlen(m), NULL);
	assert_int_equal(r->nkids, 4);
	assert_string_equal(r->kids[0]->cte, "base64");
	assert_string_equal(r->kids[1]->cte, "quoted-printable");
	assert_string_equal(r->kids[3]->cte, "x-uuencode");
	for (i = 0; i < 4; i++) {
		buf_init(&b);
		assert_int_equal(mime_decode(r->kids[i], m, &b), 0);
		assert_int_equal(b.len, strlen(want[i]));
		assert_memory_equal(b.data, want[i], b.len);
		buf_free(&b);
	}
	mime_free(r);
}

 /*
  * The part tree.
  */

static void
parse__plain_message_is_a_text_plain_leaf(void **state)
{
	const char *m = "Subject: hi\nFrom: a@b\n\nbody\n";
	mime_part *r;

	(void) state;
	r = parse_ok(m, strlen(m), NULL);
	assert_string_equal(r->ctype, "text/plain");
	assert_null(r->boundary);
	assert_null(r->cte);
	assert_null(r->charset);
	assert_int_equal(r->nkids, 0);
	assert_int_equal(r->hdr_len, 22);
	body_is(r, m, "body\n");
	assert_int_equal(r->limited, 0);
	mime_free(r);
}

static void
parse__no_blank_line_makes_everything_header(void **state)
{
	const char *m = "Content-Type: multipart/mixed; boundary=b\n--b\nX: 1";
	mime_part *r;

	(void) state;
	r = parse_ok(m, strlen(m), NULL);
	assert_int_equal(r->hdr_len, strlen(m));
	assert_int_equal(r->body_off, strlen(m));
	assert_int_equal(r->body_len, 0);
	assert_int_equal(r->nkids, 0);
	mime_free(r);
}

static void
parse__nul_bytes_in_parts_are_kept(void **state)
{
	static const char m[] = "Content-Type: multipart/mixed; boundary=b\n\n"
	"--b\nX-\0: \0\n\n\0\0\n--b--\n";
	mime_part *r;

	(void) state;
	r = parse_ok(m, sizeof(m) - 1, NULL);
	assert_int_equal(r->nkids, 1);
	assert_int_equal(r->kids[0]->body_len, 2);
	assert_memory_equal(m + r->kids[0]->body_off, "\0\0", 2);
	mime_free(r);
}

static void
parse__empty_and_null_input_give_a_leaf(void **state)
{
	mime_part *r;

	(void) state;
	r = parse_ok("", 0, NULL);
	assert_string_equal(r->ctype, "text/plain");
	assert_int_equal(r->len, 0);
	mime_free(r);
	r = parse_ok(NULL, 0, NULL);
	assert_int_equal(r->body_len, 0);
	mime_free(r);
}

static const char report_msg[] =
"From: MAILER-DAEMON\n"
"Content-Type: multipart/report; report-type=delivery-status;\n"
"\tboundary=\"BND.1/x\"\n"
"\n"
"preamble --BND.1/x\n"
"--BND.1/x\n"
"Content-Type: text/plain; charset=\" US-ASCII \"\n"
"\n"
"notice\n"
"--BND.1/xtra\n"
"-- BND.1/x\n"
"\n"
"--BND.1/x \t\n"
"Content-Type: message/delivery-status\n"
"\n"
"Reporting-MTA: dns; x\n"
"\n"
"Final-Recipient: rfc822; a@b\n"
"--BND.1/x\n"
"Content-Type: message/rfc822\n"
"\n"
"Subject: original\n"
"\n"
"original body\n"
"--BND.1/x--\n"
"epilogue\n"
"--BND.1/x\n"
"Content-Type: text/html\n"
"\n"
"not a part\n";

/* check_report - the tree of report_msg, for any line ending */
static void
check_report(const char *m, size_t len, const char *eol)
{
	mime_part *r;
	const mime_part *k;
	char    want[256];

	r = parse_ok(m, len, NULL);
	assert_string_equal(r->ctype, "multipart/report");
	assert_string_equal(r->boundary, "BND.1/x");
	assert_int_equal(r->nkids, 3);
	k = r->kids[0];
	assert_string_equal(k->ctype, "text/plain");
	assert_string_equal(k->charset, "us-ascii");
	snprintf(want, sizeof(want), "notice%s--BND.1/xtra%s-- BND.1/x%s",
		 eol, eol, eol);
	body_is(k, m, want);
	k = r->kids[1];
	assert_string_equal(k->ctype, "message/delivery-status");
	snprintf(want, sizeof(want), "Reporting-MTA: dns; x%s%s"
		 "Final-Recipient: rfc822; a@b", eol, eol);
	body_is(k, m, want);
	assert_int_equal(k->nkids, 0);
	k = r->kids[2];
	assert_string_equal(k->ctype, "message/rfc822");
	assert_int_equal(k->truncated, 0);
	assert_int_equal(k->nkids, 1);
	assert_string_equal(k->kids[0]->ctype, "text/plain");
	body_is(k->kids[0], m, "original body");
	assert_ptr_equal(mime_find(r, "message/delivery-status", 0), r->kids[1]);
	mime_free(r);
}

static void
parse__multipart_report_with_lf_crlf_and_cr_only(void **state)
{
	static const char *eols[] = {"\n", "\r\n", "\r"};
	size_t  i, n;
	char   *m;

	(void) state;
	for (i = 0; i < 3; i++) {
		m = eol_convert(report_msg, eols[i], &n);
		check_report(m, n, eols[i]);
		free(m);
	}
}

/*
 * boundary_msg - a multipart of two parts with boundary b, and decoys: b
 * not at a line start, b with its last byte changed, b followed by more
 * bytes, b with a middle byte changed (first and last bytes as in b; a
 * byte added when b is too short for one); want0 is the first part's body
 */
static char *
boundary_msg(const char *b, size_t *len, char *want0, size_t size)
{
	size_t  n = strlen(b);
	char   *last = strdup(b), *mid = malloc(n + 2);
	buf     m;

	assert_non_null(last);
	assert_non_null(mid);
	last[n - 1] = last[n - 1] == 'X' ? 'Y' : 'X';
	memcpy(mid, b, n + 1);
	if (n > 2)
		mid[n / 2] = mid[n / 2] == 'X' ? 'Y' : 'X';
	else
		memcpy(mid + n, "z", 2);
	buf_init(&m);
	buf_printf(&m, "Content-Type: multipart/mixed; boundary=\"%s\"\n\n"
		   "pre --%s\n--%s\n--%sjunk\n--%s\n"
		   "Content-Type: text/plain\n\none --%s\n--%s\n--%s  \n\n"
		   "two\n--%s--\nepilogue\n", b, b, last, b, b, b, mid, b, b);
	assert_false(m.failed);
	snprintf(want0, size, "one --%s\n--%s", b, mid);
	free(last);
	free(mid);
	*len = m.len;
	return (buf_detach(&m));
}

/*
 * parse__boundaries_of_every_length_find_only_delimiters - around
 * RFC 2046's longest boundary (70), where the search changes
 */
static void
parse__boundaries_of_every_length_find_only_delimiters(void **state)
{
	static const char set[] = "=_.-0123456789abcXYZ";
	size_t  blen, i, n;
	char    b[160], want[400], *m;
	mime_part *r;

	(void) state;
	for (blen = 1; blen < sizeof(b); blen++) {
		for (i = 0; i < blen; i++)
			b[i] = set[(i * 7 + blen) % (sizeof(set) - 1)];
		b[0] = b[blen - 1] = '=';
		b[blen] = 0;
		m = boundary_msg(b, &n, want, sizeof(want));
		r = parse_ok(m, n, NULL);
		assert_non_null(r->boundary);
		assert_string_equal(r->boundary, b);
		assert_int_equal(r->nkids, 2);
		body_is(r->kids[0], m, want);
		body_is(r->kids[1], m, "two");
		assert_int_equal(r->kids[1]->truncated, 0);
		mime_free(r);
		free(m);
	}
}

static void
parse__delimiter_at_body_start_and_empty_parts(void **state)
{
	const char *m = "Content-Type: multipart/mixed; boundary=b\n\n"
	"--b\n--b\n\n--b\nX: 1\n\nx\n\n--b--";
	mime_part *r;

	(void) state;
	r = parse_ok(m, strlen(m), NULL);
	assert_int_equal(r->nkids, 3);
	assert_int_equal(r->kids[0]->len, 0);
	assert_int_equal(r->kids[1]->len, 0);	/* its "\n" is the delimiter's */
	body_is(r->kids[2], m, "x\n");
	mime_free(r);
}

static void
parse__missing_close_delimiter_truncates_the_last_part(void **state)
{
	const char *m = "Content-Type: multipart/mixed; boundary=b\n\n"
	"--b\n\none\n--b\n\ntwo\n";
	mime_part *r;

	(void) state;
	r = parse_ok(m, strlen(m), NULL);
	assert_int_equal(r->nkids, 2);
	assert_int_equal(r->kids[0]->truncated, 0);
	body_is(r->kids[0], m, "one");
	assert_int_equal(r->kids[1]->truncated, 1);
	body_is(r->kids[1], m, "two\n");
	assert_int_equal(r->kids[1]->off + r->kids[1]->len, strlen(m));
	mime_free(r);
}

static void
parse__multipart_without_usable_boundary_is_a_leaf(void **state)
{
	static const char *msgs[] = {
		"Content-Type: multipart/mixed\n\n--b\n\nx\n--b--\n",
		"Content-Type: multipart/mixed; boundary=\"\"\n\n--\n\nx\n----\n",
		"Content-Type: multipart/mixed; boundary=zz\n\n--b\n\nx\n--b--\n",
		"Content-Type: multipart/mixed; boundary=b\n\n x--b\n\n--bb\n",
		"Content-Type: multipart/mixed; boundary=b\n\n--b--\n--b\n",
	};
	mime_part *r;
	size_t  i;

	(void) state;
	for (i = 0; i < sizeof(msgs) / sizeof(msgs[0]); i++) {
		r = parse_ok(msgs[i], strlen(msgs[i]), NULL);
		assert_string_equal(r->ctype, "multipart/mixed");
		assert_int_equal(r->nkids, 0);
		assert_int_equal(r->body_off + r->body_len, strlen(msgs[i]));
		mime_free(r);
	}
}

static void
parse__delimiter_overlapping_boundary_text_and_encoded_line_breaks(void **state)
{
	/* boundary "-": "a---" and "---x" hold it but are no delimiters */
	const char *m = "Content-Type: multipart/mixed; boundary=\"-\"\n\n"
	"a---\n---x\n--\n---  --\n---\t\n\none\n-----\n";
	/* the line after a line full of the boundary still counts */
	const char *m2 = "Content-Type: multipart/mixed; boundary=ab\n\n"
	"xx--ab--ab--ab--ab\r--ab\r\rtwo\r--ab--\r";
	/* a CR LF decoded into the boundary (RFC 2231) never matches */
	const char *m3 = "Content-Type: multipart/mixed; boundary*=''a%0D%0Ab\n\n"
	"--a\r\nb\n\nx\n--a\r\nb--\n";
	mime_part *r;

	(void) state;
	r = parse_ok(m, strlen(m), NULL);
	assert_int_equal(r->nkids, 1);
	body_is(r->kids[0], m, "one");
	mime_free(r);
	r = parse_ok(m2, strlen(m2), NULL);
	assert_int_equal(r->nkids, 1);
	body_is(r->kids[0], m2, "two");
	mime_free(r);
	r = parse_ok(m3, strlen(m3), NULL);
	assert_string_equal(r->boundary, "a\r\nb");
	assert_int_equal(r->nkids, 0);
	mime_free(r);
}

static void
parse__boundary_is_case_sensitive_and_kept_verbatim(void **state)
{
	const char *m = "Content-Type: multipart/mixed; Boundary=\"AbC\"\n\n"
	"--abc\n\nx\n--AbC\n\ny\n--AbC--\n";
	mime_part *r;

	(void) state;
	r = parse_ok(m, strlen(m), NULL);
	assert_string_equal(r->boundary, "AbC");
	assert_int_equal(r->nkids, 1);
	body_is(r->kids[0], m, "y");
	mime_free(r);
}

static const char nested_msg[] =
"Content-Type: multipart/mixed; boundary=outer\n\n"
"--outer\n"
"Content-Type: text/plain\n\nhello\n"
"--outer\n"
"Content-Type: multipart/report; boundary=\"inner\"\n\n"
"--inner\n\nnotice\n"
"--inner\n"
"Content-Type: message/delivery-status\n\nAction: failed\n"
"--inner--\n"
"--outer\n"
"Content-Type: message/delivery-status\n\nsecond\n"
"--outer--\n";

static void
parse__nested_multiparts_and_find_in_document_order(void **state)
{
	mime_part *r;
	const mime_part *f;

	(void) state;
	r = parse_ok(nested_msg, strlen(nested_msg), NULL);
	assert_int_equal(r->nkids, 3);
	assert_int_equal(r->kids[1]->nkids, 2);
	assert_string_equal(r->kids[1]->kids[0]->ctype, "text/plain");
	body_is(r->kids[1], nested_msg, "--inner\n\nnotice\n"
		"--inner\nContent-Type: message/delivery-status\n\n"
		"Action: failed\n--inner--");
	f = mime_find(r, "message/delivery-status", 0);
	assert_ptr_equal(f, r->kids[1]->kids[1]);
	body_is(f, nested_msg, "Action: failed");
	assert_ptr_equal(mime_find(r, "MULTIPART/Report", 0), r->kids[1]);
	assert_null(mime_find(r, "message/feedback-report", 1));
	assert_null(mime_find(NULL, "text/plain", 1));
	mime_free(r);
}

static void
parse__enclosed_messages_are_searched_only_on_request(void **state)
{
	const char *m = "Content-Type: multipart/mixed; boundary=o\n\n"
	"--o\n\nfwd\n"
	"--o\nContent-Type: message/global\n\n"
	"Content-Type: multipart/report; boundary=i\n\n"
	"--i\nContent-Type: message/delivery-status\n\nAction: delayed\n"
	"--i--\n"
	"--o\nContent-Type: text/rfc822-headers\n\nContent-Type: multipart/"
	"mixed; boundary=o\n"
	"--o--\n";
	mime_part *r;
	const mime_part *msg, *f;

	(void) state;
	r = parse_ok(m, strlen(m), NULL);
	assert_int_equal(r->nkids, 3);
	msg = r->kids[1];
	assert_string_equal(msg->ctype, "message/global");
	assert_int_equal(msg->nkids, 1);
	assert_string_equal(msg->kids[0]->ctype, "multipart/report");
	assert_int_equal(msg->kids[0]->off, msg->body_off);
	assert_int_equal(msg->kids[0]->len, msg->body_len);
	assert_null(mime_find(r, "message/delivery-status", 0));
	f = mime_find(r, "message/delivery-status", 1);
	assert_non_null(f);
	assert_int_equal(f->depth, 3);
	body_is(f, m, "Action: delayed");
	assert_int_equal(r->kids[2]->nkids, 0);	/* rfc822-headers: leaf */
	mime_free(r);
}

static void
parse__digest_parts_default_to_message_rfc822(void **state)
{
	const char *m = "Content-Type: multipart/digest; boundary=d\n\n"
	"--d\n\nSubject: one\n\n1\n"
	"--d\nContent-Type: text/plain\n\n2\n"
	"--d\n\n"
	"Content-Type: multipart/alternative; boundary=a\n\n"
	"--a\n\n3\n--a--\n"
	"--d--\n";
	mime_part *r;
	const mime_part *k;

	(void) state;
	r = parse_ok(m, strlen(m), NULL);
	assert_int_equal(r->nkids, 3);
	assert_string_equal(r->kids[0]->ctype, "message/rfc822");
	assert_int_equal(r->kids[0]->nkids, 1);
	body_is(r->kids[0]->kids[0], m, "1");
	assert_string_equal(r->kids[1]->ctype, "text/plain");
	k = r->kids[2]->kids[0];
	assert_string_equal(k->ctype, "multipart/alternative");
	assert_int_equal(k->nkids, 1);
	assert_string_equal(k->kids[0]->ctype, "text/plain");	/* not digest */
	mime_free(r);
}

static void
parse__malformed_content_type_falls_back_to_default(void **state)
{
	const char *m = "Content-Type: multipart; boundary=b\n"
	"Content-Type: text/html\n"
	"Content-Transfer-Encoding:  (c) Base64 (d)\n\n--b\n\nx\n--b--\n";
	mime_part *r;

	(void) state;
	r = parse_ok(m, strlen(m), NULL);
	assert_string_equal(r->ctype, "text/plain");	/* first field wins */
	assert_null(r->boundary);
	assert_string_equal(r->cte, "base64");
	assert_int_equal(r->nkids, 0);
	mime_free(r);
}

/* nest - n multiparts inside each other, boundaries b0, b1, ... */
static char *
nest(size_t n, size_t *len)
{
	buf     b;
	size_t  i;

	buf_init(&b);
	for (i = 0; i < n; i++)
		buf_printf(&b, "Content-Type: multipart/mixed; boundary=b%zu\n\n"
			   "--b%zu\n", i, i);
	buf_puts(&b, "\nleaf\n");
	for (i = n; i-- > 0;)
		buf_printf(&b, "--b%zu--\n", i);
	assert_false(b.failed);
	*len = b.len;
	return (buf_detach(&b));
}

static void
parse__deeper_than_max_depth_is_a_leaf(void **state)
{
	mime_limits lim = MIME_LIMITS_DEFAULT;
	mime_part *r;
	const mime_part *p;
	size_t  n;
	char   *m = nest(5, &n);

	(void) state;
	lim.max_depth = 2;
	r = parse_ok(m, n, &lim);
	assert_int_equal(max_depth_of(r), 2);
	p = r->kids[0]->kids[0];
	assert_string_equal(p->ctype, "multipart/mixed");
	assert_string_equal(p->boundary, "b2");
	assert_int_equal(p->nkids, 0);
	assert_int_equal(r->limited, 0);
	mime_free(r);
	lim.max_depth = 0;
	r = parse_ok(m, n, &lim);
	assert_int_equal(r->nkids, 0);
	mime_free(r);
	lim.max_depth = 5;
	r = parse_ok(m, n, &lim);
	assert_int_equal(max_depth_of(r), 5);
	mime_free(r);
	free(m);
}

static void
parse__message_at_max_depth_gets_no_kid(void **state)
{
	const char *m = "Content-Type: message/rfc822\n\n"
	"Content-Type: message/rfc822\n\nSubject: x\n\nbody\n";
	mime_limits lim = MIME_LIMITS_DEFAULT;
	mime_part *r;

	(void) state;
	lim.max_depth = 1;
	r = parse_ok(m, strlen(m), &lim);
	assert_int_equal(r->nkids, 1);
	assert_string_equal(r->kids[0]->ctype, "message/rfc822");
	assert_int_equal(r->kids[0]->nkids, 0);
	mime_free(r);
}

static void
parse__hostile_nesting_stops_at_default_depth(void **state)
{
	mime_part *r;
	size_t  n;
	char   *m = nest(20000, &n);

	(void) state;
	r = parse_ok(m, n, NULL);
	assert_int_equal(max_depth_of(r), 16);
	mime_free(r);
	free(m);
}

/* many - a multipart with n empty-bodied parts */
static char *
many(size_t n, size_t *len)
{
	buf     b;
	size_t  i;

	buf_init(&b);
	buf_puts(&b, "Content-Type: multipart/mixed; boundary=m\n\n");
	for (i = 0; i < n; i++)
		buf_printf(&b, "--m\n\npart %zu\n", i);
	buf_puts(&b, "--m--\n");
	assert_false(b.failed);
	*len = b.len;
	return (buf_detach(&b));
}

static void
parse__more_than_max_parts_sets_limited_on_root(void **state)
{
	mime_limits lim = MIME_LIMITS_DEFAULT;
	mime_part *r;
	size_t  n;
	char   *m = many(5, &n);

	(void) state;
	lim.max_parts = 6;				/* root + 5: fits */
	r = parse_ok(m, n, &lim);
	assert_int_equal(r->nkids, 5);
	assert_int_equal(r->limited, 0);
	mime_free(r);
	lim.max_parts = 3;
	r = parse_ok(m, n, &lim);
	assert_int_equal(count_parts(r), 3);
	assert_int_equal(r->limited, 1);
	body_is(r->kids[1], m, "part 1");		/* ends at its delimiter */
	assert_int_equal(r->kids[1]->truncated, 0);
	mime_free(r);
	free(m);
	m = many(100000, &n);
	r = parse_ok(m, n, NULL);
	assert_int_equal(count_parts(r), 1000);
	assert_int_equal(r->limited, 1);
	mime_free(r);
	free(m);
}

static void
parse__max_parts_counts_enclosed_messages_too(void **state)
{
	const char *m = "Content-Type: multipart/mixed; boundary=b\n\n"
	"--b\nContent-Type: message/rfc822\n\nSubject: x\n\n"
	"--b\n\ny\n--b--\n";
	mime_limits lim = MIME_LIMITS_DEFAULT;
	mime_part *r;

	(void) state;
	lim.max_parts = 3;
	r = parse_ok(m, strlen(m), &lim);
	assert_int_equal(r->nkids, 1);
	assert_int_equal(r->kids[0]->nkids, 1);
	assert_int_equal(r->limited, 1);
	mime_free(r);
}

static void
parse__long_header_values_are_cut_at_max_line(void **state)
{
	mime_limits lim = MIME_LIMITS_DEFAULT;
	mime_part *r;
	buf     b;

	(void) state;
	buf_init(&b);
	buf_puts(&b, "Content-Type: multipart/mixed; x=\"");
	while (b.len < 200)
		buf_putc(&b, 'x');
	buf_puts(&b, "\";\n boundary=b; charset=UTF-8\nX: 1\n\n--b\n\ny\n--b--\n");
	lim.max_line = 100;
	r = parse_ok(b.data, b.len, &lim);
	assert_string_equal(r->ctype, "multipart/mixed");
	assert_null(r->boundary);
	assert_null(r->charset);
	assert_int_equal(r->nkids, 0);
	assert_int_equal(r->body_off, b.len - strlen("--b\n\ny\n--b--\n"));
	mime_free(r);
	lim.max_line = 1000;
	r = parse_ok(b.data, b.len, &lim);
	assert_string_equal(r->boundary, "b");
	assert_string_equal(r->charset, "utf-8");
	assert_int_equal(r->nkids, 1);
	mime_free(r);
	lim.max_line = 5;				/* " mult" */
	r = parse_ok(b.data, b.len, &lim);
	assert_string_equal(r->ctype, "text/plain");
	mime_free(r);
	buf_free(&b);
}

static void
parse__hostile_bytes_do_not_break_the_tree(void **state)
{
	static const char *msgs[] = {
		"Content-Type: multipart/mixed; boundary=\"a\\\"\n\n--a\"\n\n",
		"Content-Type: multipart/mixed; boundary=b\n\n--b",
		"Content-Type: multipart/mixed; boundary=b\n\n--b\r",
		"Content-Type: multipart/mixed; boundary=b\n\n\r--b\r\n\r\n\r",
		"Content-Type: message/rfc822\n\n",
		"Content-Type: (((((\n\n",
		":\n\n",
		"\n",
		"\r\r\r\r",
		("Content-Type: multipart/mixed; boundary*0=b; boundary*1=c\n\n"
		 "--bc\n\nx\n--bc--"),
	};
	mime_part *r;
	size_t  i;

	(void) state;
	for (i = 0; i < sizeof(msgs) / sizeof(msgs[0]); i++) {
		r = parse_ok(msgs[i], strlen(msgs[i]), NULL);
		mime_free(r);
	}
	r = parse_ok(msgs[9], strlen(msgs[9]), NULL);
	assert_string_equal(r->boundary, "bc");
	assert_int_equal(r->nkids, 1);
	mime_free(r);
}

 /*
  * The corpus of real bounces.
  */

/* corpus_dir - the maildir of the corpus, or NULL */
static const char *
corpus_dir(void)
{
	static const char *cands[] = {
		"../shared/corpus/mail/maildir",
		"../../shared/corpus/mail/maildir",
		"../../../shared/corpus/mail/maildir",
	};
	static char from_env[4096];
	struct stat st;
	const char *env = getenv("DSN_CORPUS_DIR");
	size_t  i;

	if (env && *env)
		return (stat(env, &st) == 0 ? env : NULL);
	if ((env = getenv("CORPUS")) != NULL && *env) {	/* tests/Makefile.am */
		snprintf(from_env, sizeof(from_env), "%s/mail/maildir", env);
		if (stat(from_env, &st) == 0 && S_ISDIR(st.st_mode))
			return (from_env);
	}
	for (i = 0; i < sizeof(cands) / sizeof(cands[0]); i++)
		if (stat(cands[i], &st) == 0 && S_ISDIR(st.st_mode))
			return (cands[i]);
	return (NULL);
}

/* has_dsn_field - a line "Content-Type: message/delivery-status" */
static int
has_dsn_field(const char *p, size_t n)
{
	static const char f[] = "content-type:";
	size_t  i, j;

	for (i = 0; i < n; i++) {
		if (i > 0 && p[i - 1] != '\n' && p[i - 1] != '\r')
			continue;
		if (n - i < sizeof(f) - 1 || strncasecmp(p + i, f, sizeof(f) - 1))
			continue;
		for (j = i + sizeof(f) - 1; j < n && (p[j] == ' ' || p[j] == '\t'); j++)
			 /* void */ ;
		if (n - j >= 23 && strncasecmp(p + j, "message/delivery-status", 23) == 0)
			return (1);
	}
	return (0);
}

/* no_mime - corpus files whose report has no MIME structure at all */
static int
no_mime(const char *name)
{
	/* the top-level header has no Content-Type: text/plain by RFC 2045 */
	return (strcmp(name, "lhost-sendmail-53.eml") == 0);
}

/* corpus_file - parse one file; 1 when it has a delivery-status part */
static int
corpus_file(const char *dir, const char *sub, const char *name)
{
	char    path[4096];
	buf     b;
	mime_part *r;
	int     found, want;

	if (snprintf(path, sizeof(path), "%s/%s/%s", dir, sub, name)
	    >= (int) sizeof(path))
		fail_msg("path too long: %s/%s", sub, name);
	buf_init(&b);
	assert_int_equal(test_read_file(path, &b), 0);
	r = parse_ok(b.data ? b.data : "", b.len, NULL);
	found = mime_find(r, "message/delivery-status", 1) != NULL;
	want = has_dsn_field(b.data ? b.data : "", b.len) && !no_mime(name);
	if (found != want)
		fail_msg("%s: delivery-status found=%d expected=%d", path, found, want);
	if (strcmp(name, "lhost-postfix-01.eml") == 0)
		assert_non_null(mime_find(r, "message/delivery-status", 0));
	mime_free(r);
	buf_free(&b);
	return (found);
}

static void
corpus__every_file_parses_and_reports_are_found(void **state)
{
	static const char *subs[] = {"bsd", "dos", "mac", "not"};
	const char *dir = corpus_dir();
	char    path[4096];
	struct dirent *de;
	DIR    *d;
	size_t  i, nfiles = 0, ndsn = 0;

	(void) state;
	if (dir == NULL)
		skip();
	for (i = 0; i < sizeof(subs) / sizeof(subs[0]); i++) {
		if (snprintf(path, sizeof(path), "%s/%s", dir, subs[i])
		    >= (int) sizeof(path))
			fail_msg("path too long: %s", dir);
		if ((d = opendir(path)) == NULL)
			continue;
		while ((de = readdir(d)) != NULL) {
			size_t  n = strlen(de->d_name);

			if (n < 5 || strcmp(de->d_name + n - 4, ".eml") != 0)
				continue;
			ndsn += (size_t) corpus_file(dir, subs[i], de->d_name);
			nfiles++;
		}
		closedir(d);
	}
	assert_true(nfiles > 0);
	assert_true(ndsn > 0);
	print_message("corpus: %zu files, %zu with delivery-status\n",
		      nfiles, ndsn);
}

static void
header__space_before_colon__is_still_a_field(void **state)
{
	static const char h[] = "X-DSN-Reason : forged\nFrom nobody Mon\n"
		"Subject:\tok\n";
	char   *v;

	(void) state;
	v = mime_header(h, sizeof(h) - 1, "x-dsn-reason", 0);
	assert_non_null(v);
	assert_string_equal(v, "forged");
	free(v);
	assert_null(mime_header(h, sizeof(h) - 1, "from", 0));
	v = mime_header(h, sizeof(h) - 1, "subject", 0);
	assert_string_equal(v, "ok");
	free(v);
}

/*
 * A header block of more fields than the index keeps: only the first
 * MIME_FIELDS_MAX are indexed, and lookups (of fields on either side of
 * the limit) still agree with mime_header().
 */
/*
 * The tree's memory is handed out from chunks: values longer than a
 * chunk, many kids (the kid list doubles), field indexes of many fields
 * and the strings of every part must all come back whole and apart.
 */
static void
parse__tree_memory_holds_long_values_and_many_parts(void **state)
{
	mime_part *r, *k;
	buf     m, cs;
	size_t  i, j;
	char   *v;

	(void) state;
	buf_init(&m);
	buf_init(&cs);
	for (i = 0; i < 5000; i++)
		buf_putc(&cs, (int) ('a' + i % 26));
	buf_puts(&m, "Content-Type: multipart/mixed; boundary=\"=b=\"\n\n");
	for (i = 0; i < 300; i++) {
		buf_printf(&m, "--=b=\nContent-Type: text/plain; charset=\"X%zu%s\"\n"
			   "Content-Transfer-Encoding: Base64\n", i,
			   i % 7 ? "" : cs.data);
		for (j = 0; j < 40; j++)
			buf_printf(&m, "X-%zu: %zu\n", j, i);
		buf_printf(&m, "\nbody %zu\n", i);
	}
	buf_puts(&m, "--=b=--\n");
	assert_false(m.failed);
	assert_int_equal(mime_parse(m.data, m.len, NULL, &r), MIME_OK);
	assert_string_equal(r->boundary, "=b=");
	assert_int_equal(r->nkids, 300);
	for (i = 0; i < r->nkids; i++) {
		k = r->kids[i];
		assert_ptr_equal(k->parent, r);
		assert_string_equal(k->ctype, "text/plain");
		assert_string_equal(k->cte, "base64");
		assert_int_equal(k->nfields, 42);
		assert_int_equal(strncmp(k->charset, "x", 1), 0);
		assert_int_equal((size_t) strtoul(k->charset + 1, NULL, 10), i);
		if (i % 7 == 0)
			assert_int_equal(strlen(k->charset),
					 1 + (i < 10 ? 1 : i < 100 ? 2 : 3) + 5000);
		v = mime_part_header(k, m.data, "x-39", 0);
		assert_non_null(v);
		assert_int_equal((size_t) strtoul(v, NULL, 10), i);
		free(v);
	}
	mime_free(r);
	mime_free(NULL);
	buf_free(&m);
	buf_free(&cs);
}

static void
part_header__beyond_the_index_limit_reads_the_block(void **state)
{
	static const char *const names[] = {"x-0", "x-999", "x-1000", "x-1499",
		"subject", "x-1500", NULL};
	mime_part *root;
	buf     m;
	size_t  i;

	(void) state;
	buf_init(&m);
	for (i = 0; i < 1500; i++)
		buf_printf(&m, "X-%zu: %zu\n", i, i);
	buf_puts(&m, "Subject: last\n\nbody\n");
	assert_false(m.failed);
	assert_int_equal(mime_parse(m.data, m.len, NULL, &root), MIME_OK);
	assert_int_equal(root->nfields, MIME_FIELDS_MAX);
	assert_true(root->fields_partial);
	for (i = 0; names[i] != NULL; i++)
		same_header(root, m.data, names[i]);
	same_fields(root, m.data);
	mime_free(root);
	buf_free(&m);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(header__space_before_colon__is_still_a_field),
		cmocka_unit_test(header_end__finds_the_empty_line_for_every_line_ending),
		cmocka_unit_test(header_next__gives_raw_folded_values_and_skips_non_fields),
		cmocka_unit_test(header_next__reads_cr_only_and_crlf_folding),
		cmocka_unit_test(field_next__stops_at_the_empty_line_like_header_end),
		cmocka_unit_test(field_next__agrees_with_a_byte_loop_on_random_blocks),
		cmocka_unit_test(header__returns_nth_unfolded_value_ignoring_case),
		cmocka_unit_test(part_header__agrees_with_header_for_every_line_ending),
		cmocka_unit_test(part_header__beyond_the_index_limit_reads_the_block),
		cmocka_unit_test(parse__tree_memory_holds_long_values_and_many_parts),
		cmocka_unit_test(unfold__joins_lines_with_one_space_and_trims),
		cmocka_unit_test(unfold__replaces_nul_bytes),
		cmocka_unit_test(unfold_to__same_string_in_the_callers_bytes),
		cmocka_unit_test(unfold__one_line_values_trim_nul_ends_like_folded_ones),
		cmocka_unit_test(ctype__lowercases_type_and_rejects_malformed),
		cmocka_unit_test(ctype__token_characters_are_exactly_rfc2045s),
		cmocka_unit_test(param__table),
		cmocka_unit_test(param__many_rfc2231_sections_are_joined_in_order),
		cmocka_unit_test(decode_b64__ignores_garbage_and_stops_at_padding),
		cmocka_unit_test(decode_b64__round_trips_a_large_body),
		cmocka_unit_test(decode_qp__soft_breaks_for_every_line_ending_invalid_kept),
		cmocka_unit_test(decode__undoes_the_part_transfer_encoding),
		cmocka_unit_test(decode__runs_and_quanta_agree_with_a_byte_at_a_time),
		cmocka_unit_test(parse__plain_message_is_a_text_plain_leaf),
		cmocka_unit_test(parse__no_blank_line_makes_everything_header),
		cmocka_unit_test(parse__nul_bytes_in_parts_are_kept),
		cmocka_unit_test(parse__empty_and_null_input_give_a_leaf),
		cmocka_unit_test(parse__multipart_report_with_lf_crlf_and_cr_only),
		cmocka_unit_test(parse__boundaries_of_every_length_find_only_delimiters),
		cmocka_unit_test(parse__delimiter_at_body_start_and_empty_parts),
		cmocka_unit_test(parse__missing_close_delimiter_truncates_the_last_part),
		cmocka_unit_test(parse__multipart_without_usable_boundary_is_a_leaf),
		cmocka_unit_test(parse__delimiter_overlapping_boundary_text_and_encoded_line_breaks),
		cmocka_unit_test(parse__boundary_is_case_sensitive_and_kept_verbatim),
		cmocka_unit_test(parse__nested_multiparts_and_find_in_document_order),
		cmocka_unit_test(parse__enclosed_messages_are_searched_only_on_request),
		cmocka_unit_test(parse__digest_parts_default_to_message_rfc822),
		cmocka_unit_test(parse__malformed_content_type_falls_back_to_default),
		cmocka_unit_test(parse__deeper_than_max_depth_is_a_leaf),
		cmocka_unit_test(parse__message_at_max_depth_gets_no_kid),
		cmocka_unit_test(parse__hostile_nesting_stops_at_default_depth),
		cmocka_unit_test(parse__more_than_max_parts_sets_limited_on_root),
		cmocka_unit_test(parse__max_parts_counts_enclosed_messages_too),
		cmocka_unit_test(parse__long_header_values_are_cut_at_max_line),
		cmocka_unit_test(parse__hostile_bytes_do_not_break_the_tree),
		cmocka_unit_test(corpus__every_file_parses_and_reports_are_found),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
