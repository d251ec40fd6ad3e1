/*
 * NAME
 *	test_template - unit tests for template.c and template_load.c
 * SYNOPSIS
 *	TEMPLATE_TEST_DATA=DIR CATALOGUE_DIR=DIR test_template
 * DESCRIPTION
 *	Loads the fixture sets under tests/unit/data/templates (override with
 *	TEMPLATE_TEST_DATA): "good" for the field parsing, every selection
 *	level (table-driven) and the strings file; "bad" and the small sets
 *	for every load error with its FILE:LINE; sets generated at run time
 *	for the template count limit.  Expansion and escaping are
 *	table-driven.  A smoke test runs tmpl_select() from several threads
 *	at once.  Last, the real catalogue etc/templates/en (override with
 *	CATALOGUE_DIR; skipped when absent) must load without errors.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "classify.h"
#include "template.h"

/* data_dir - where the fixture sets are */
static const char *
data_dir(void)
{
	const char *d = getenv("TEMPLATE_TEST_DATA");

	return (d && *d ? d : "tests/unit/data/templates");
}

/* load - load a set, keeping the error text in err (caller frees) */
static tmpl_set *
load(const char *set, const char *language, buf *err)
{
	buf     dir;
	tmpl_set *s;

	buf_init(&dir);
	buf_init(err);
	assert_int_equal(buf_printf(&dir, "%s/%s", data_dir(), set), 0);
	s = tmpl_load(dir.data, language, err);
	buf_free(&dir);
	return (s);
}

/* has_line - err holds a line "*SUFFIX_OF_PATH:LINE: ...FRAGMENT..." */
static int
has_line(const char *err, const char *where, const char *fragment)
{
	const char *p = err, *nl, *w;
	size_t  wl = strlen(where);

	for (; p && *p; p = nl ? nl + 1 : NULL) {
		nl = strchr(p, '\n');
		w = strstr(p, where);
		if (w == NULL || (nl && w > nl) || w[wl] != ':')
			continue;
		if (strstr(w, fragment) && (nl == NULL || strstr(w, fragment) < nl))
			return (1);
	}
	return (0);
}

/* count_lines - number of lines in err */
static size_t
count_lines(const char *err)
{
	size_t  n = 0;

	for (; err && *err; err++)
		n += *err == '\n';
	return (n);
}

static int
good_setup(void **state)
{
	buf     err;

	*state = load("good", "en", &err);
	if (*state == NULL)
		fprintf(stderr, "%s", err.data ? err.data : "");
	buf_free(&err);
	return (*state == NULL ? -1 : 0);
}

static int
good_teardown(void **state)
{
	tmpl_free(*state);
	return (0);
}

static void
load__good_set__gives_no_errors(void **state)
{
	buf     err;
	tmpl_set *s = load("good", "en", &err);

	(void) state;
	assert_non_null(s);
	assert_int_equal(err.len, 0);
	tmpl_free(s);
	buf_free(&err);
}

static void
load__template_fields__are_joined_and_kept(void **state)
{
	tmpl_match how;
	const tmpl *t = tmpl_select(*state, "5.1.1", NULL, NULL, &how);

	assert_non_null(t);
	assert_string_equal(t->name, "exact-5.1.1");
	assert_ptr_equal(t->owner, classify_owner_word("sender"));
	assert_string_equal(t->cause,
			    "The address {recipient} does not exist at {domain}.");
	assert_int_equal(t->nfix, 2);
	assert_string_equal(t->fix[0], "Check the spelling of {recipient}.");
	assert_string_equal(t->fix[1], "Send the message again.");
	assert_null(t->fix[2]);
	assert_string_equal(t->admin,
		       "Status {status}, reply {reply_code} from {remote_mta}.");
	assert_non_null(strstr(t->file, "good/en/10-codes.tmpl"));
	assert_int_equal(t->line, 2);
}

static void
load__bom_and_crlf_file__is_read(void **state)
{
	const tmpl *t = tmpl_select(*state, NULL, "second", NULL, NULL);

	assert_string_equal(t->name, "pattern-second");
	assert_int_equal(t->line, 2);
	assert_string_equal(t->cause, "Second of two patterns that both match.");
	assert_string_equal(t->admin, "Loses the tie.");
	assert_ptr_equal(t->owner, classify_owner_word("none"));
}

struct select_case {
	const char *status;
	const char *diagnostic;
	const char *reason;
	const char *name;
	tmpl_match how;
};

static const struct select_case select_cases[] = {
	/* exact code, X-code */
	{"5.1.1", NULL, NULL, "exact-5.1.1", TMPL_BY_CODE},
	{"4.1.1", NULL, NULL, "x-1.1", TMPL_BY_CODE},
	{"2.1.1", NULL, NULL, "x-1.1", TMPL_BY_CODE},
	{"X.1.1", NULL, NULL, "x-1.1", TMPL_BY_CODE},
	{"x.1.1", NULL, NULL, "x-1.1", TMPL_BY_CODE},
	{" 5.1.1\t", NULL, NULL, "exact-5.1.1", TMPL_BY_CODE},
	{"5.2.2", NULL, NULL, "mailbox-full", TMPL_BY_CODE},
	{"5.02.002", NULL, NULL, "mailbox-full", TMPL_BY_CODE},
	/* ranges and their boundaries; exact beats range */
	{"5.7.699", NULL, NULL, "subject-5.7", TMPL_BY_SUBJECT},
	{"5.7.700", NULL, NULL, "range-5.7.700-750", TMPL_BY_CODE},
	{"5.7.719", NULL, NULL, "range-5.7.700-750", TMPL_BY_CODE},
	{"5.7.720", NULL, NULL, "exact-5.7.720", TMPL_BY_CODE},
	{"5.7.750", NULL, NULL, "range-5.7.700-750", TMPL_BY_CODE},
	{"5.7.751", NULL, NULL, "subject-5.7", TMPL_BY_SUBJECT},
	{"4.7.720", NULL, NULL, "class-4", TMPL_BY_CLASS},
	/* a class-5 range beats the X range around it */
	{"5.7.799", NULL, NULL, "subject-5.7", TMPL_BY_SUBJECT},
	{"5.7.800", NULL, NULL, "range-5.7.800-810", TMPL_BY_CODE},
	{"5.7.810", NULL, NULL, "range-5.7.800-810", TMPL_BY_CODE},
	{"5.7.811", NULL, NULL, "range-x.7.800-899", TMPL_BY_CODE},
	{"4.7.805", NULL, NULL, "range-x.7.800-899", TMPL_BY_CODE},
	{"5.7.899", NULL, NULL, "range-x.7.800-899", TMPL_BY_CODE},
	{"5.7.900", NULL, NULL, "subject-5.7", TMPL_BY_SUBJECT},
	{"X.7.850", NULL, NULL, "range-x.7.800-899", TMPL_BY_CODE},
	/* code beats pattern beats reason beats subject beats class */
	{"5.1.1", "550 5.1.1 gsmtp", "userunknown", "exact-5.1.1", TMPL_BY_CODE},
	{"5.9.9", "550 gsmtp", "mailboxfull", "pattern-gmail", TMPL_BY_PATTERN},
	{"5.7.1", "no pattern here", "mailboxfull", "mailbox-full",
	 TMPL_BY_REASON},
	{"5.7.1", "no pattern here", "userunknown", "reason-userunknown",
	 TMPL_BY_REASON},
	{"5.7.1", "no pattern here", NULL, "subject-5.7", TMPL_BY_SUBJECT},
	{"5.7.1", "", "", "subject-5.7", TMPL_BY_SUBJECT},
	{"5.3.0", NULL, NULL, "class-5", TMPL_BY_CLASS},
	{"4.3.0", NULL, NULL, "class-4", TMPL_BY_CLASS},
	{"2.3.0", NULL, NULL, "default", TMPL_BY_DEFAULT},
	/* X.0.0 says nothing: pattern and a known reason come first */
	{"5.0.0", NULL, "userunknown", "reason-userunknown", TMPL_BY_REASON},
	{"5.0.0", "550 gsmtp", "userunknown", "pattern-gmail",
	 TMPL_BY_PATTERN},
	{"5.0.0", "550 gsmtp", NULL, "exact-5.0.0", TMPL_BY_CODE},
	{"5.0.0", NULL, NULL, "exact-5.0.0", TMPL_BY_CODE},
	{"5.0.0", NULL, "undefined", "exact-5.0.0", TMPL_BY_CODE},
	{"5.0.0", NULL, "expired", "exact-5.0.0", TMPL_BY_CODE},
	{"4.0.0", NULL, "expired", "exact-x.0.0", TMPL_BY_CODE},
	{"4.0.0", NULL, "userunknown", "reason-userunknown", TMPL_BY_REASON},
	{"2.0.0", NULL, "userunknown", "exact-x.0.0", TMPL_BY_CODE},
	{"5.9.9", NULL, "undefined", "reason-undefined", TMPL_BY_REASON},
	/* a weak code gives way when the text decided another reason */
	{"5.4.7", NULL, "expired", "exact-5.4.7", TMPL_BY_CODE},
	{"5.4.7", NULL, NULL, "exact-5.4.7", TMPL_BY_CODE},
	{"5.4.7", NULL, "userunknown", "reason-userunknown", TMPL_BY_REASON},
	{"5.4.7", "550 gsmtp", "networkerror", "pattern-gmail",
	 TMPL_BY_PATTERN},
	/* a registry code whose reason the text outranked ("5.1.1 ... full") */
	{"5.1.1", NULL, "mailboxfull", "mailbox-full", TMPL_BY_REASON},
	{"5.1.1", "550 5.1.1 gsmtp", "mailboxfull", "pattern-gmail",
	 TMPL_BY_PATTERN},
	/* subject: class 4 beats X; X covers the other classes */
	{"4.4.7", NULL, NULL, "subject-4.4", TMPL_BY_SUBJECT},
	{"5.4.4", NULL, NULL, "subject-x.4", TMPL_BY_SUBJECT},
	{"X.4.4", NULL, NULL, "subject-x.4", TMPL_BY_SUBJECT},
	{"X.3.0", NULL, NULL, "default", TMPL_BY_DEFAULT},
	/* patterns: caseless flag, case-sensitive, ties in file order */
	{NULL, "421 GSMTP try later", NULL, "pattern-gmail", TMPL_BY_PATTERN},
	{NULL, "a tie here", NULL, "pattern-first", TMPL_BY_PATTERN},
	{NULL, "A TIE HERE", NULL, "default", TMPL_BY_DEFAULT},
	{NULL, "second", NULL, "pattern-second", TMPL_BY_PATTERN},
	{NULL, "Mailbox is FULL", NULL, "mailbox-full", TMPL_BY_PATTERN},
	{NULL, "\xff\xfe\xc0 gsmtp \xed\xa0\x80", NULL, "pattern-gmail",
	 TMPL_BY_PATTERN},
	/* missing or broken status: code, subject and class rules skipped */
	{NULL, NULL, NULL, "default", TMPL_BY_DEFAULT},
	{"", "", "", "default", TMPL_BY_DEFAULT},
	{"", NULL, "userunknown", "reason-userunknown", TMPL_BY_REASON},
	{"5.1", NULL, NULL, "default", TMPL_BY_DEFAULT},
	{"5", NULL, NULL, "default", TMPL_BY_DEFAULT},
	{"5.1.1.1", NULL, NULL, "default", TMPL_BY_DEFAULT},
	{"55.1.1", NULL, NULL, "default", TMPL_BY_DEFAULT},
	{"3.1.1", NULL, NULL, "default", TMPL_BY_DEFAULT},
	{"5.1000.1", NULL, NULL, "default", TMPL_BY_DEFAULT},
	{"5.1.1000", NULL, NULL, "default", TMPL_BY_DEFAULT},
	{"5.1.-1", NULL, NULL, "default", TMPL_BY_DEFAULT},
	{"5.1.1 user unknown", NULL, NULL, "default", TMPL_BY_DEFAULT},
	{"5.7.700-750", NULL, NULL, "default", TMPL_BY_DEFAULT},
	{NULL, NULL, "nosuchreason", "default", TMPL_BY_DEFAULT},
	{NULL, NULL, "MailboxFull", "default", TMPL_BY_DEFAULT},
};

static void
select__each_level__picks_the_most_specific(void **state)
{
	const struct select_case *c;
	const tmpl *t;
	tmpl_match how;
	size_t  i;

	for (i = 0; i < sizeof(select_cases) / sizeof(select_cases[0]); i++) {
		c = &select_cases[i];
		how = (tmpl_match) - 1;
		t = tmpl_select(*state, c->status, c->diagnostic, c->reason, &how);
		if (t == NULL || strcmp(t->name, c->name) != 0 || how != c->how)
			fail_msg("case %zu (status \"%s\", diagnostic \"%s\", "
				 "reason \"%s\"): got %s by %s, want %s by %s",
				 i, c->status ? c->status : "(null)",
				 c->diagnostic ? c->diagnostic : "(null)",
				 c->reason ? c->reason : "(null)",
				 t ? t->name : "(null)", tmpl_match_name(how),
				 c->name, tmpl_match_name(c->how));
	}
}

static void
select__catastrophic_pattern__is_cut_off_by_the_match_limit(void **state)
{
	char    diag[4096];
	const tmpl *t;
	tmpl_match how;

	t = tmpl_select(*state, NULL, "aaaaaaaaaa!Z", NULL, &how);
	assert_string_equal(t->name, "pattern-evil");
	/* matches after ~10^6 steps: PCRE2's own limit (10^7) allows it */
	t = tmpl_select(*state, NULL, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!Z", NULL,
			&how);
	assert_string_equal(t->name, "default");
	assert_int_equal(how, TMPL_BY_DEFAULT);
	memset(diag, 'a', sizeof(diag) - 3);
	memcpy(diag + sizeof(diag) - 3, "!Z", 3);
	t = tmpl_select(*state, NULL, diag, NULL, &how);
	assert_string_equal(t->name, "default");
}

static void
select__null_set_or_how__is_safe(void **state)
{
	assert_null(tmpl_select(NULL, "5.1.1", NULL, NULL, NULL));
	assert_string_equal(tmpl_select(*state, "5.1.1", NULL, NULL,
					NULL)->name, "exact-5.1.1");
}

struct string_case {
	const char *key;
	const char *value;		/* NULL: absent */
};

static const struct string_case string_cases[] = {
	{"headline", "Your message to {recipient} couldn't be delivered."},
	{"action_required", "Action required"},
	{"long_text", "This value runs over two lines and three."},
	{"empty_value", ""},
	{"helpdesk_line", "Questions? Contact {helpdesk}."},
	{"absent", NULL},
	{"", NULL},
	{"Headline", NULL},
	{"headline ", NULL},
};

static void
string__keys__give_their_values(void **state)
{
	const char *v;
	size_t  i;

	for (i = 0; i < sizeof(string_cases) / sizeof(string_cases[0]); i++) {
		v = tmpl_string(*state, string_cases[i].key);
		if (string_cases[i].value == NULL)
			assert_null(v);
		else
			assert_string_equal(v, string_cases[i].value);
	}
	assert_null(tmpl_string(*state, NULL));
	assert_null(tmpl_string(NULL, "headline"));
}

static void
match_name__every_value__has_its_word(void **state)
{
	(void) state;
	assert_string_equal(tmpl_match_name(TMPL_BY_CODE), "code");
	assert_string_equal(tmpl_match_name(TMPL_BY_PATTERN), "pattern");
	assert_string_equal(tmpl_match_name(TMPL_BY_REASON), "reason");
	assert_string_equal(tmpl_match_name(TMPL_BY_SUBJECT), "subject");
	assert_string_equal(tmpl_match_name(TMPL_BY_CLASS), "class");
	assert_string_equal(tmpl_match_name(TMPL_BY_DEFAULT), "default");
	assert_string_equal(tmpl_match_name((tmpl_match) 99), "unknown");
}

struct err_case {
	const char *where;		/* FILE:LINE, FILE relative to the set */
	const char *fragment;
};

static const struct err_case bad_cases[] = {
	{"10-fields.tmpl:1", "owner: before any template: line"},
	{"10-fields.tmpl:3", "template no-owner: missing owner"},
	{"10-fields.tmpl:9", "template no-cause-fix-admin: missing cause"},
	{"10-fields.tmpl:9", "template no-cause-fix-admin: missing fix"},
	{"10-fields.tmpl:9", "template no-cause-fix-admin: missing admin"},
	{"10-fields.tmpl:13", "template no-match: missing match"},
	{"10-fields.tmpl:18", "unknown key \"colour\""},
	{"10-fields.tmpl:19", "expected KEY: VALUE"},
	{"10-fields.tmpl:25", "owner given twice"},
	{"10-fields.tmpl:27", "cause given twice"},
	{"10-fields.tmpl:32", "more than 4 fix steps"},
	{"10-fields.tmpl:34", "empty admin"},
	{"10-fields.tmpl:36", "bad template name \"Bad_Name\""},
	{"10-fields.tmpl:38", "unknown owner \"nobody\" (sender, sender-admin, "
	 "recipient or none)"},
	{"10-fields.tmpl:39", "unknown placeholder {recipent} in cause"},
	{"10-fields.tmpl:40", "unbalanced { in fix"},
	{"20-rules.tmpl:2", "code \"3.1.1\": class must be 2, 4, 5 or X"},
	{"20-rules.tmpl:3", "code \"5.1000.1\": subject must be a number 0-999"},
	{"20-rules.tmpl:4", "code \"5.1.1000\": detail must be a number 0-999"},
	{"20-rules.tmpl:5", "code \"5.7.750-700\": range start is above its end"},
	{"20-rules.tmpl:6", "code \"5.1\": expected CLASS.SUBJECT.DETAIL"},
	{"20-rules.tmpl:7", "unexpected text after the code"},
	{"20-rules.tmpl:8", "reason \"nosuchreason\": unknown reason"},
	{"20-rules.tmpl:9", "subject \"5.x\": subject must be a number"},
	{"20-rules.tmpl:10", "class \"3\": class must be 2, 4 or 5"},
	{"20-rules.tmpl:11", "class \"X\": class must be 2, 4 or 5"},
	{"20-rules.tmpl:12", "default takes no argument"},
	{"20-rules.tmpl:13", "unknown match rule \"colour\""},
	{"20-rules.tmpl:14", "pattern must be written /REGEX/ or /REGEX/i"},
	{"20-rules.tmpl:15", "unknown pattern flag"},
	{"20-rules.tmpl:16", "bad pattern: missing closing parenthesis at "
	 "offset 9"},
	{"20-rules.tmpl:17", "empty pattern"},
	{"30-conflicts.tmpl:1", "duplicate template name no-owner (first at "},
	{"30-conflicts.tmpl:2", "code 5.1.1 already claimed by template "
	 "no-owner ("},
	{"30-conflicts.tmpl:4", "code 5.7.740-760 overlaps code 5.7.700-750 of "
	 "template no-owner ("},
	{"30-conflicts.tmpl:8", "a second default template (the first is "
	 "template Bad_Name at "},
	{"30-conflicts.tmpl:15", "reason mailboxfull already claimed by "
	 "template no-owner ("},
	{"30-conflicts.tmpl:16", "subject 5.7 already claimed"},
	{"30-conflicts.tmpl:17", "class 5 already claimed"},
	{"40-bytes.tmpl:1", "template bytes: missing cause"},
	{"40-bytes.tmpl:1", "template bytes: missing fix"},
	{"40-bytes.tmpl:4", "not valid UTF-8 (byte 19)"},
	{"40-bytes.tmpl:5", "not valid UTF-8"},
	{"40-bytes.tmpl:6", "NUL byte in line"},
	{"40-bytes.tmpl:7", "line longer than 4096 bytes"},
	{"50-orphan.tmpl:1", "continuation line without a field before it"},
	{"strings:2", "bad key \"Bad-Key\""},
	{"strings:3", "unknown placeholder {name} in value"},
	{"strings:4", "duplicate key \"headline\" (first at line 1)"},
	{"strings:6", "expected KEY: VALUE"},
};

static void
load__bad_set__reports_every_problem_with_file_and_line(void **state)
{
	size_t  i, n = sizeof(bad_cases) / sizeof(bad_cases[0]);
	buf     err;
	tmpl_set *s = load("bad", "en", &err);

	(void) state;
	assert_null(s);
	assert_non_null(err.data);
	for (i = 0; i < n; i++)
		if (!has_line(err.data, bad_cases[i].where, bad_cases[i].fragment))
			fail_msg("no \"%s: ...%s\" in:\n%s", bad_cases[i].where,
				 bad_cases[i].fragment, err.data);
	if (count_lines(err.data) != n)
		fail_msg("%zu error lines, want %zu:\n%s", count_lines(err.data),
			 n, err.data);
	buf_free(&err);
}

struct small_case {
	const char *set;
	const char *language;
	const char *where;		/* "" for any */
	const char *fragment;
};

static const struct small_case small_cases[] = {
	{"nodefault", "en", "nodefault/en", "no default template"},
	{"nostrings", "en", "nostrings/en/strings", "missing (each language "
	 "needs a strings file"},
	{"empty", "en", "empty/en", "no *.tmpl files"},
	{"good", "xx", "good/xx", "cannot open the template directory: No such "
	 "file or directory"},
	{"good", "../good/en", "good", "bad language name \"../good/en\""},
	{"good", "en/", "good", "bad language name"},
	{"good", "", "good", "bad language name"},
	{"good", ".", "good", "bad language name"},
	{"good", "..", "good", "bad language name"},
	{"good", NULL, "good", "bad language name"},
};

static void
load__broken_small_sets__say_what_is_wrong(void **state)
{
	const struct small_case *c;
	tmpl_set *s;
	size_t  i;
	buf     err;

	(void) state;
	for (i = 0; i < sizeof(small_cases) / sizeof(small_cases[0]); i++) {
		c = &small_cases[i];
		s = load(c->set, c->language, &err);
		assert_null(s);
		if (err.data == NULL || count_lines(err.data) != 1
		    || !has_line(err.data, c->where, c->fragment))
			fail_msg("case %zu: want one line \"%s: %s\", got:\n%s", i,
				 c->where, c->fragment, err.data ? err.data : "");
		buf_free(&err);
	}
}

static void
load__without_error_buffer__still_fails(void **state)
{
	buf     dir;

	(void) state;
	buf_init(&dir);
	assert_int_equal(buf_printf(&dir, "%s/bad", data_dir()), 0);
	assert_null(tmpl_load(dir.data, "en", NULL));
	assert_null(tmpl_load(NULL, "en", NULL));
	buf_free(&dir);
}

/* make_set - DIR/en/gen.tmpl: a default and n - 1 code templates */
static void
make_set(char *dir, size_t n)
{
	char    path[256];
	FILE   *f;
	size_t  i;

	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/en", dir);
	assert_int_equal(mkdir(path, 0700), 0);
	snprintf(path, sizeof(path), "%s/en/strings", dir);
	assert_non_null(f = fopen(path, "w"));
	fputs("headline: Hello\n", f);
	fclose(f);
	snprintf(path, sizeof(path), "%s/en/gen.tmpl", dir);
	assert_non_null(f = fopen(path, "w"));
	fputs("template: default\nmatch: default\nowner: sender\n"
	      "cause: C.\nfix: F.\nadmin: A.\n", f);
	for (i = 1; i < n; i++)
		fprintf(f, "template: t%zu\nmatch: code 5.%zu.%zu\nowner: sender\n"
			"cause: C.\nfix: F.\nadmin: A.\n", i, i / 1000, i % 1000);
	fclose(f);
}

/* remove_set - undo make_set */
static void
remove_set(const char *dir)
{
	char    path[256];

	snprintf(path, sizeof(path), "%s/en/gen.tmpl", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/en/strings", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/en", dir);
	rmdir(path);
	rmdir(dir);
}

static void
load__10000_templates__load_and_select_by_code(void **state)
{
	char    dir[] = "/tmp/tmpltest.XXXXXX", code[32];
	tmpl_set *s;
	const tmpl *t;
	tmpl_match how;
	size_t  i;
	buf     err;

	(void) state;
	make_set(dir, 10000);
	buf_init(&err);
	s = tmpl_load(dir, "en", &err);
	remove_set(dir);
	if (s == NULL)
		fail_msg("%s", err.data ? err.data : "");
	for (i = 1; i < 10000; i++) {
		snprintf(code, sizeof(code), "5.%zu.%zu", i / 1000, i % 1000);
		t = tmpl_select(s, code, NULL, NULL, &how);
		assert_int_equal(how, TMPL_BY_CODE);
		assert_int_equal(atoi(t->name + 1), (int) i);
	}
	t = tmpl_select(s, "5.10.0", NULL, NULL, &how);
	assert_string_equal(t->name, "default");
	assert_int_equal(how, TMPL_BY_DEFAULT);
	tmpl_free(s);
	buf_free(&err);
}

static void
load__10001_templates__are_refused(void **state)
{
	char    dir[] = "/tmp/tmpltest.XXXXXX";
	tmpl_set *s;
	buf     err;

	(void) state;
	make_set(dir, 10001);
	buf_init(&err);
	s = tmpl_load(dir, "en", &err);
	remove_set(dir);
	assert_null(s);
	assert_int_equal(count_lines(err.data), 1);
	assert_true(has_line(err.data, "gen.tmpl:60001",
			     "more than 10000 templates"));
	buf_free(&err);
}

struct expand_case {
	const char *text;
	tmpl_escape esc;
	const char *want;
};

static const tmpl_vars expand_vars = {
	.recipient = "a@b.example",
	.domain = "b.example",
	.status = "5.1.1",
	.reply_code = "550",
	.remote_mta = "<mx&1>",
	.reporting_mta = "\"rep\" 'mta'",
	.diagnostic = "line1\r\nline2\ttab\x7f\x01 {recipient} {{",
	.organization = NULL,
	.helpdesk = "",
	.retry_until = "Mon, 1 Jan 2024",
};

static const struct expand_case expand_cases[] = {
	{"To {recipient} at {domain}.", TMPL_TEXT, "To a@b.example at b.example."},
	{"{status} {reply_code} {retry_until}", TMPL_TEXT,
	 "5.1.1 550 Mon, 1 Jan 2024"},
	{"[{organization}][{helpdesk}]", TMPL_TEXT, "[][]"},
	{"{{recipient} and {{{recipient}", TMPL_TEXT,
	 "{recipient} and {a@b.example"},
	{"a {{ b", TMPL_TEXT, "a { b"},
	/* values lose control characters, and are never re-expanded */
	{"<{diagnostic}>", TMPL_TEXT, "<line1line2tab {recipient} {{>"},
	{"<{diagnostic}>", TMPL_HTML,
	 "&lt;line1line2tab {recipient} {{&gt;"},
	/* HTML: values and template text escaped alike */
	{"{remote_mta} {reporting_mta}", TMPL_TEXT, "<mx&1> \"rep\" 'mta'"},
	{"{remote_mta} {reporting_mta}", TMPL_HTML,
	 "&lt;mx&amp;1&gt; &quot;rep&quot; &#39;mta&#39;"},
	{"a < b & \"c\" 'd' > e", TMPL_HTML,
	 "a &lt; b &amp; &quot;c&quot; &#39;d&#39; &gt; e"},
	{"a < b & \"c\" 'd' > e", TMPL_TEXT, "a < b & \"c\" 'd' > e"},
	/* text that was not validated: unknown or open braces stay */
	{"{nope} {recipient", TMPL_TEXT, "{nope} {recipient"},
	{"{ recipient } {}", TMPL_TEXT, "{ recipient } {}"},
	{"{<b>}", TMPL_HTML, "{&lt;b&gt;}"},
	{"end {", TMPL_TEXT, "end {"},
	{"} alone }", TMPL_TEXT, "} alone }"},
	{"", TMPL_TEXT, ""},
	{"caf\xc3\xa9 {domain}", TMPL_HTML, "caf\xc3\xa9 b.example"},
};

static void
expand__placeholders_and_escaping__table(void **state)
{
	const struct expand_case *c;
	size_t  i;
	buf     out;

	(void) state;
	for (i = 0; i < sizeof(expand_cases) / sizeof(expand_cases[0]); i++) {
		c = &expand_cases[i];
		buf_init(&out);
		assert_int_equal(tmpl_expand(c->text, &expand_vars, c->esc, &out), 0);
		if (strcmp(out.data ? out.data : "", c->want) != 0)
			fail_msg("case %zu: \"%s\" gave \"%s\", want \"%s\"", i,
				 c->text, out.data ? out.data : "", c->want);
		buf_free(&out);
	}
}

static void
expand__null_vars_and_text__give_empty_values(void **state)
{
	buf     out;

	(void) state;
	buf_init(&out);
	assert_int_equal(tmpl_expand("[{recipient}]", NULL, TMPL_HTML, &out), 0);
	assert_string_equal(out.data, "[]");
	assert_int_equal(tmpl_expand(NULL, NULL, TMPL_TEXT, &out), 0);
	assert_string_equal(out.data, "[]");
	buf_free(&out);
}

static void
expand__appends_to_the_buffer(void **state)
{
	tmpl_vars v = {.recipient = "r@x"};
	buf     out;

	(void) state;
	buf_init(&out);
	assert_int_equal(buf_puts(&out, "pre:"), 0);
	assert_int_equal(tmpl_expand("{recipient}", &v, TMPL_TEXT, &out), 0);
	assert_string_equal(out.data, "pre:r@x");
	buf_free(&out);
}

static void
expand__every_placeholder__has_its_value(void **state)
{
	static const struct {
		const char *text;
		const char *want;
	}       cases[] = {
		{"{recipient}", "1"}, {"{domain}", "2"}, {"{status}", "3"},
		{"{reply_code}", "4"}, {"{remote_mta}", "5"},
		{"{reporting_mta}", "6"}, {"{diagnostic}", "7"},
		{"{organization}", "8"}, {"{helpdesk}", "9"},
		{"{retry_until}", "10"},
	};
	tmpl_vars v = {"1", "2", "3", "4", "5", "6", "7", "8", "9", "10"};
	size_t  i;
	buf     out;

	(void) state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		buf_init(&out);
		assert_int_equal(tmpl_expand(cases[i].text, &v, TMPL_TEXT, &out), 0);
		assert_string_equal(out.data, cases[i].want);
		buf_free(&out);
	}
}

/* select_worker - many selections on a shared set; returns mismatches */
static void *
select_worker(void *arg)
{
	const tmpl_set *s = arg;
	const struct select_case *c;
	uintptr_t bad = 0;
	const tmpl *t;
	tmpl_match how;
	size_t  i, n = sizeof(select_cases) / sizeof(select_cases[0]);

	for (i = 0; i < 200 * n; i++) {
		c = &select_cases[i % n];
		t = tmpl_select(s, c->status, c->diagnostic, c->reason, &how);
		bad += t == NULL || strcmp(t->name, c->name) != 0 || how != c->how;
	}
	return ((void *) bad);
}

static void
select__threads_sharing_a_set__agree(void **state)
{
	pthread_t th[8];
	void   *bad;
	size_t  i;

	for (i = 0; i < 8; i++)
		assert_int_equal(pthread_create(&th[i], NULL, select_worker,
						*state), 0);
	for (i = 0; i < 8; i++) {
		assert_int_equal(pthread_join(th[i], &bad), 0);
		assert_ptr_equal(bad, NULL);
	}
}

static void
catalogue__shipped_language__loads_without_errors(void **state)
{
	const char *dir = getenv("CATALOGUE_DIR");
	struct stat st;
	tmpl_set *s;
	buf     err, path;

	(void) state;
	if (dir == NULL || *dir == 0)
		dir = "etc/templates";
	buf_init(&path);
	assert_int_equal(buf_printf(&path, "%s/en", dir), 0);
	if (stat(path.data, &st) < 0) {
		buf_free(&path);
		skip();
	}
	buf_free(&path);
	buf_init(&err);
	s = tmpl_load(dir, "en", &err);
	if (s == NULL)
		fail_msg("%s/en:\n%s", dir, err.data ? err.data : "");
	assert_string_equal(tmpl_match_name(TMPL_BY_DEFAULT), "default");
	assert_non_null(tmpl_select(s, NULL, NULL, NULL, NULL));
	tmpl_free(s);
	buf_free(&err);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(load__good_set__gives_no_errors),
		cmocka_unit_test(load__template_fields__are_joined_and_kept),
		cmocka_unit_test(load__bom_and_crlf_file__is_read),
		cmocka_unit_test(select__each_level__picks_the_most_specific),
		cmocka_unit_test(select__catastrophic_pattern__is_cut_off_by_the_match_limit),
		cmocka_unit_test(select__null_set_or_how__is_safe),
		cmocka_unit_test(select__threads_sharing_a_set__agree),
		cmocka_unit_test(string__keys__give_their_values),
		cmocka_unit_test(match_name__every_value__has_its_word),
	};
	const struct CMUnitTest loads[] = {
		cmocka_unit_test(load__bad_set__reports_every_problem_with_file_and_line),
		cmocka_unit_test(load__broken_small_sets__say_what_is_wrong),
		cmocka_unit_test(load__without_error_buffer__still_fails),
		cmocka_unit_test(load__10000_templates__load_and_select_by_code),
		cmocka_unit_test(load__10001_templates__are_refused),
		cmocka_unit_test(expand__placeholders_and_escaping__table),
		cmocka_unit_test(expand__null_vars_and_text__give_empty_values),
		cmocka_unit_test(expand__appends_to_the_buffer),
		cmocka_unit_test(expand__every_placeholder__has_its_value),
		cmocka_unit_test(catalogue__shipped_language__loads_without_errors),
	};
	int     rc;

	rc = cmocka_run_group_tests_name("template_good_set", tests, good_setup,
					 good_teardown);
	rc += cmocka_run_group_tests_name("template_load_expand", loads, NULL,
					  NULL);
	return (rc);
}
