/*
 * NAME
 *	test_patterns - unit tests for patterns.c
 * DESCRIPTION
 *	Rule syntax and its "file:line: problem" errors, first-match order,
 *	cmd= and force, the literal prefilter (rules whose words are absent
 *	are skipped, rules it cannot analyse still run), case-insensitive
 *	matching, the match limit on a catastrophic regex, huge and
 *	binary subjects, the SMTP command finder, and the shipped rules.
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

#include "patterns.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* load - a set from rules text; the number of problems in *problems */
static pattern_set *
load(const char *text, int *problems, buf *err)
{
	pattern_set *s = patterns_new();

	assert_non_null(s);
	*problems = patterns_parse(s, "t.conf", text, strlen(text), err);
	return (s);
}

/* reason_of - the reason of the first matching rule, or "-" */
static const char *
reason_of(const pattern_set *s, const char *text, unsigned cmd)
{
	const pattern_rule *r = patterns_match(s, text, strlen(text), cmd);

	return (r ? r->reason : "-");
}

struct bad_case {
	const char *line;
	const char *error;		/* expected in the message */
};

static const struct bad_case bad_cases[] = {
	{"/user unknown/ nosuchreason", "t.conf:1: unknown reason \"nosuchreason\""},
	{"/user unknown/", "t.conf:1: missing reason"},
	{"user unknown userunknown", "t.conf:1: expected /REGEX/"},
	{"/unterminated userunknown", "t.conf:1: expected /REGEX/"},
	{"/a(b/ userunknown", "t.conf:1: bad regex: missing closing parenthesis at offset 3"},
	{"// userunknown", "t.conf:1: empty regex"},
	{"/x/ userunknown owner=boss", "t.conf:1: unknown owner in \"owner=boss\""},
	{"/x/ userunknown status=5.x", "t.conf:1: bad status code"},
	{"/x/ userunknown status=9.1.1", "t.conf:1: bad status code"},
	{"/x/ userunknown cmd=quit", "t.conf:1: bad command list"},
	{"/x/ userunknown cmd=", "t.conf:1: bad command list"},
	{"/x/ userunknown colour=red", "t.conf:1: unknown option \"colour=red\""},
	{"/x/g userunknown", "t.conf:1: unknown flag"},
};

static void
parse__bad_lines__are_reported_with_file_and_line(void **state)
{
	size_t  i;

	(void) state;
	for (i = 0; i < NELEM(bad_cases); i++) {
		buf     err;
		int     problems;
		pattern_set *s;

		buf_init(&err);
		s = load(bad_cases[i].line, &problems, &err);
		if (problems != 1 || err.data == NULL
		    || strstr(err.data, bad_cases[i].error) == NULL)
			print_error("case %zu: %d problems, \"%s\"\n", i, problems,
				    err.data ? err.data : "");
		assert_int_equal(problems, 1);
		assert_non_null(strstr(err.data, bad_cases[i].error));
		assert_int_equal(patterns_count(s), 0);
		patterns_free(s);
		buf_free(&err);
	}
}

static void
parse__every_problem_counts_and_good_lines_stay(void **state)
{
	buf     err;
	int     problems;
	pattern_set *s;

	(void) state;
	buf_init(&err);
	s = load("# comment\n\n/one/ userunknown\n/(/ userunknown\n"
		 "   /two/  mailboxfull  owner=sender  # trailing comment\n"
		 "/three/ nope\n", &problems, &err);
	assert_int_equal(problems, 2);
	assert_non_null(strstr(err.data, "t.conf:4: bad regex"));
	assert_non_null(strstr(err.data, "t.conf:6: unknown reason"));
	assert_int_equal(patterns_count(s), 2);
	assert_string_equal(reason_of(s, "xx TWO xx", PAT_CMD_NONE), "mailboxfull");
	patterns_free(s);
	buf_free(&err);
}

static void
split__branches_decide_as_their_rule(void **state)
{
	buf     err;
	int     problems;
	pattern_set *s;
	const pattern_rule *hit;

	(void) state;
	buf_init(&err);
	/* a split rule, a back reference that keeps its rule whole, UTF-8 */
	s = load("/alpha one|(beta|gamma) two|\\bdelta\\b/ userunknown\n"
		 "/(echo)x|\\1y/ mailboxfull\n"
		 "/ящик переполнен|(п|П)ревышен\\S* квот/ systemfull\n"
		 "/alpha/ rejected\n", &problems, &err);
	assert_int_equal(problems, 0);
	assert_int_equal(patterns_count(s), 4);
	assert_string_equal(reason_of(s, "xx GAMMA two", PAT_CMD_NONE),
			    "userunknown");
	assert_string_equal(reason_of(s, "the delta", PAT_CMD_NONE),
			    "userunknown");
	assert_string_equal(reason_of(s, "alpha", PAT_CMD_NONE), "rejected");
	assert_string_equal(reason_of(s, "echox", PAT_CMD_NONE), "mailboxfull");
	assert_string_equal(reason_of(s, "echoy", PAT_CMD_NONE), "-");
	assert_string_equal(reason_of(s, "Ваш ящик переполнен", PAT_CMD_NONE),
			    "systemfull");
	assert_string_equal(reason_of(s, "Превышена квота", PAT_CMD_NONE),
			    "systemfull");
	assert_string_equal(reason_of(s, "ЯЩИК ПЕРЕПОЛНЕН", PAT_CMD_NONE), "-");
	hit = patterns_match(s, "alpha", 5, PAT_CMD_NONE);
	assert_non_null(hit);
	assert_int_equal(hit->index, 3);
	assert_int_equal(hit->line, 4);
	hit = patterns_match(s, "beta two", 8, PAT_CMD_NONE);
	assert_non_null(hit);
	assert_int_equal(hit->index, 0);
	patterns_free(s);
	/* never split: \Q..\E, references across branches; the scanner
	 * steps over POSIX classes, comments and "{" that is no quantifier */
	buf_reset(&err);
	s = load("/user\\Q|\\E/ userunknown\n"
		 "/x[[:digit:]abcdefgh]y/ blocked\n"
		 "/abcdef(?#[)|xyz/ rejected\n"
		 "/q{[}abcdef]/ filtered\n"
		 "/(a)|(b)\\1/ mailboxfull\n", &problems, &err);
	assert_int_equal(problems, 0);
	assert_string_equal(reason_of(s, "zzz", PAT_CMD_NONE), "-");
	assert_string_equal(reason_of(s, "user|", PAT_CMD_NONE), "userunknown");
	assert_string_equal(reason_of(s, "bb", PAT_CMD_NONE), "-");
	assert_string_equal(reason_of(s, "ab", PAT_CMD_NONE), "mailboxfull");
	assert_string_equal(reason_of(s, "x5y", PAT_CMD_NONE), "blocked");
	assert_string_equal(reason_of(s, "xyz", PAT_CMD_NONE), "rejected");
	assert_string_equal(reason_of(s, "q{a", PAT_CMD_NONE), "filtered");
	patterns_free(s);
	/* names across branches are checked on the whole regex */
	buf_reset(&err);
	s = load("/(?<n>abc)|(?<n>def)/ userunknown\n", &problems, &err);
	assert_int_equal(problems, 1);
	assert_non_null(strstr(err.data, "t.conf:1: bad regex"));
	patterns_free(s);
	/* a bad branch: reported at its offset in the whole regex */
	buf_reset(&err);
	s = load("/good one|bad(/ userunknown\n", &problems, &err);
	assert_int_equal(problems, 1);
	assert_non_null(strstr(err.data, "t.conf:1: bad regex"));
	assert_non_null(strstr(err.data, "at offset 13"));
	assert_int_equal(patterns_count(s), 0);
	patterns_free(s);
	buf_free(&err);
}

static void
parse__crlf_and_cr_only_line_ends_read_alike(void **state)
{
	buf     err;
	int     p1, p2;
	pattern_set *a, *b;

	(void) state;
	buf_init(&err);
	a = load("/one/ userunknown\r\n/two/ mailboxfull\r\n", &p1, &err);
	b = load("/one/ userunknown\r/two/ mailboxfull\r/(/ x", &p2, &err);
	assert_int_equal(p1, 0);
	assert_int_equal(p2, 1);
	assert_non_null(strstr(err.data, "t.conf:3:"));
	assert_string_equal(reason_of(a, "two", PAT_CMD_NONE), "mailboxfull");
	assert_string_equal(reason_of(b, "two", PAT_CMD_NONE), "mailboxfull");
	patterns_free(a);
	patterns_free(b);
	buf_free(&err);
}

static void
match__first_rule_in_order_wins_and_case_is_ignored(void **state)
{
	buf     err;
	int     problems;
	pattern_set *s;
	const pattern_rule *r;

	(void) state;
	buf_init(&err);
	s = load("/mailbox full/ mailboxfull owner=sender status=5.2.2\n"
		 "/full/ systemfull\n/user unknown|no such user/ userunknown\n",
		 &problems, &err);
	assert_int_equal(problems, 0);
	r = patterns_match(s, "550 MAILBOX FULL", 16, PAT_CMD_NONE);
	assert_non_null(r);
	assert_string_equal(r->reason, "mailboxfull");
	assert_string_equal(r->owner, "sender");
	assert_string_equal(r->status, "5.2.2");
	assert_int_equal(r->index, 0);
	assert_int_equal(r->line, 1);
	assert_string_equal(reason_of(s, "disk full", PAT_CMD_NONE), "systemfull");
	assert_string_equal(reason_of(s, "No Such User here", PAT_CMD_NONE),
			    "userunknown");
	assert_string_equal(reason_of(s, "all is well", PAT_CMD_NONE), "-");
	assert_string_equal(reason_of(s, "", PAT_CMD_NONE), "-");
	assert_null(patterns_match(s, NULL, 0, PAT_CMD_NONE));
	assert_null(patterns_match(NULL, "x", 1, PAT_CMD_NONE));
	patterns_free(s);
	buf_free(&err);
}

static void
match__cmd_limits_a_rule_and_force_is_kept(void **state)
{
	buf     err;
	int     problems;
	pattern_set *s;
	const pattern_rule *r;

	(void) state;
	buf_init(&err);
	s = load("/user unknown/ userunknown cmd=rcpt\n"
		 "/user unknown/ filtered cmd=!rcpt,mail force\n", &problems, &err);
	assert_int_equal(problems, 0);
	assert_string_equal(reason_of(s, "user unknown", PAT_CMD_RCPT),
			    "userunknown");
	assert_string_equal(reason_of(s, "user unknown", PAT_CMD_DATA), "filtered");
	assert_string_equal(reason_of(s, "user unknown", PAT_CMD_NONE), "filtered");
	assert_string_equal(reason_of(s, "user unknown", PAT_CMD_MAIL), "-");
	r = patterns_match(s, "user unknown", 12, PAT_CMD_DATA);
	assert_non_null(r);
	assert_int_equal(r->force, 1);
	assert_int_equal(r->cmds, PAT_CMD_ALL & ~(PAT_CMD_RCPT | PAT_CMD_MAIL));
	patterns_free(s);
	buf_free(&err);
}

/* count_find - pattern_cmd.find that counts its calls and gives *arg */
static int finds;

static unsigned
count_find(void *arg)
{
	finds++;
	return (*(unsigned *) arg);
}

/* match_cmd - patterns_match_cmd() with pc = {cmd, count_find, &found} */
static const char *
match_cmd(const pattern_set *s, const char *text, unsigned cmd,
	  unsigned found)
{
	pattern_cmd pc = {cmd, count_find, &found};
	const pattern_rule *r;

	finds = 0;
	r = patterns_match_cmd(s, text, strlen(text), &pc);
	return (r ? r->reason : "-");
}

/*
 * patterns_match_cmd() asks for the command once, and only when a rule
 * with cmd= is reached; a command given, or found, is not asked for; when
 * none is found the text names it.
 */
static void
match__command_is_asked_for_once_and_only_when_needed(void **state)
{
	buf     err;
	int     problems;
	pattern_set *s;

	(void) state;
	buf_init(&err);
	s = load("/mailbox full/ mailboxfull\n"
		 "/user unknown/ userunknown cmd=rcpt\n"
		 "/user unknown|no such user/ filtered cmd=!rcpt,mail\n",
		 &problems, &err);
	assert_int_equal(problems, 0);
	assert_string_equal(match_cmd(s, "mailbox full", 0, PAT_CMD_RCPT),
			    "mailboxfull");
	assert_int_equal(finds, 0);		/* no rule needed it */
	assert_string_equal(match_cmd(s, "user unknown", 0, PAT_CMD_RCPT),
			    "userunknown");
	assert_int_equal(finds, 1);
	assert_string_equal(match_cmd(s, "user unknown", 0, PAT_CMD_DATA),
			    "filtered");
	assert_int_equal(finds, 1);		/* asked once for two rules */
	assert_string_equal(match_cmd(s, "user unknown", PAT_CMD_DATA,
				      PAT_CMD_RCPT), "filtered");
	assert_int_equal(finds, 0);		/* given */
	assert_string_equal(match_cmd(s, "user unknown after RCPT TO", 0, 0),
			    "userunknown");	/* not found: the text's */
	assert_int_equal(finds, 1);
	assert_string_equal(match_cmd(s, "no such user", 0, 0), "filtered");
	patterns_free(s);
	buf_free(&err);
}

/*
 * The prefilter must never hide a match: optional parts, classes,
 * groups, alternatives without a long literal and escapes all still
 * match what PCRE2 matches.
 */
static const struct {
	const char *rule;
	const char *text;
	int     match;
} filter_cases[] = {
	{"/colou?r full/", "color full", 1},
	{"/colou?r full/", "colour full", 1},
	{"/ab*cdef/", "acdef", 1},
	{"/over ?quota/", "overquota", 1},
	{"/x{0,3}yzzy/", "yzzy", 1},
	{"/[Mm]ailbox (is )?full/", "MAILBOX FULL", 1},
	{"/a|bb|ccc/", "xx bb xx", 1},
	{"/rate limit(ed)?|too fast/", "you are TOO FAST", 1},
	{"/\\bspam\\b/", "spamcop listed", 0},
	{"/\\bspam\\b/", "this is spam.", 1},
	{"/send\\.mail\\/x/", "SEND.MAIL/X", 1},
	{"/\\Qa.b\\E/", "a.b", 1},
	{"/\\x41bcd/", "abcd", 1},
	{"/^x-unix;/", "X-Unix; 77", 1},
	{"/^x-unix;/", "smtp; x-unix;", 0},
	{"/(?i)héllo wörld/", "héllo wörld", 1},
	{"/mailbox.{1,20}full/", "mailbox is now full", 1},
	{"/[/]x/", "/x", 0},			/* "[/" ends the regex: bad */
	/* anchored rules: tried only where a branch's leading literal is */
	{"/user ?unknown|no such user/", "the USERUNKNOWN here", 1},
	{"/user ?unknown|no such user/", "user: unknown", 0},
	{"/user (is )?unknown/", "user x, then user is unknown", 1},
	{"/abc(def)?ghi|xyz/", "--ABCGHI", 1},
	{"/ab+cde/", "abbbcde", 1},
	{"/mail(box)? full/", "MAIL FULL", 1},
	{"/host not found\\b/", "host not foundx host not found", 1},
	{"/\\bhost not found/", "ahost not found", 0},
	{"/(?<=x)host not found/", "xhost not found", 1},
	{"/bl\\d\\d\\b|blocked by/", "listed on BL42.", 1},
	{"/bl\\d\\d\\b|blocked by/", "bl4 bl42x blocked  by", 0},
};

static void
match__prefilter_never_hides_a_match(void **state)
{
	size_t  i;

	(void) state;
	for (i = 0; i < NELEM(filter_cases); i++) {
		char    line[256];
		buf     err;
		int     problems;
		pattern_set *s;
		const char *got;

		snprintf(line, sizeof(line), "%s userunknown", filter_cases[i].rule);
		buf_init(&err);
		s = load(line, &problems, &err);
		got = reason_of(s, filter_cases[i].text, PAT_CMD_NONE);
		if ((strcmp(got, "userunknown") == 0) != filter_cases[i].match)
			print_error("case %zu: %s on \"%s\": %s (%s)\n", i,
				    filter_cases[i].rule, filter_cases[i].text, got,
				    err.data ? err.data : "");
		assert_int_equal(strcmp(got, "userunknown") == 0,
				 filter_cases[i].match);
		patterns_free(s);
		buf_free(&err);
	}
}

/*
 * A regex that backtracks exponentially stops at the match limit (no
 * match) instead of hanging, and other rules still work.
 */
static void
match__catastrophic_regex_stops_at_the_match_limit(void **state)
{
	buf     err;
	int     problems;
	pattern_set *s;
	char    text[4096];

	(void) state;
	memset(text, 'a', sizeof(text) - 2);
	text[sizeof(text) - 2] = '!';
	text[sizeof(text) - 1] = 0;
	buf_init(&err);
	s = load("/^(a+)+$/ spamdetected\n/a!/ blocked\n", &problems, &err);
	assert_int_equal(problems, 0);
	assert_string_equal(reason_of(s, text, PAT_CMD_NONE), "blocked");
	patterns_free(s);
	buf_free(&err);
}

static void
match__huge_and_binary_subjects_are_bounded(void **state)
{
	buf     err;
	int     problems;
	pattern_set *s;
	size_t  n = PATTERNS_MAX_SUBJECT * 4;
	char   *text = malloc(n);

	(void) state;
	assert_non_null(text);
	memset(text, 0, n);
	memcpy(text + 10, "mailbox full", 12);
	memcpy(text + n - 20, "user unknown", 12);
	buf_init(&err);
	s = load("/user unknown/ userunknown\n/mailbox full/ mailboxfull\n",
		 &problems, &err);
	assert_int_equal(problems, 0);
	/* NUL bytes do not end the subject; text past the cap is not read */
	assert_string_equal(patterns_match(s, text, n, PAT_CMD_NONE)->reason,
			    "mailboxfull");
	memset(text + 10, 'x', 12);
	assert_null(patterns_match(s, text, n, PAT_CMD_NONE));
	patterns_free(s);
	buf_free(&err);
	free(text);
}

static void
load_file__missing_file_is_one_problem(void **state)
{
	buf     err;
	pattern_set *s = patterns_new();

	(void) state;
	buf_init(&err);
	assert_int_equal(patterns_load_file(s, "/nonexistent/patterns.conf",
					    &err), 1);
	assert_non_null(strstr(err.data, "/nonexistent/patterns.conf:0: cannot open"));
	patterns_free(s);
	buf_free(&err);
}

static const struct {
	const char *text;
	unsigned cmd;
} cmd_cases[] = {
	{"host x said: 550 user unknown (in reply to RCPT TO command)", PAT_CMD_RCPT},
	{"SMTP error from remote mail server after MAIL FROM:<a@b> SIZE=1", PAT_CMD_MAIL},
	{"SMTP error from remote mail server after end of data: 550", PAT_CMD_DATA},
	{">>> DATA <<< 550 rejected", PAT_CMD_DATA},
	{"192.0.2.1 does not like recipient. Remote host said: 550", PAT_CMD_RCPT},
	{"Connected to 192.0.2.1 but sender was rejected.", PAT_CMD_MAIL},
	{"SMTP error from remote mail server after initial connection:", PAT_CMD_CONN},
	{"550 5.1.1 user unknown", PAT_CMD_NONE},
	{"after DATA; earlier: in reply to RCPT TO", PAT_CMD_RCPT},	/* list order */
	{"AFTER MAIL FROM, >>> rcpt to", PAT_CMD_MAIL},
	{"ends in after rcp", PAT_CMD_NONE},
	{"", PAT_CMD_NONE},
};

static void
command__phrases_name_the_rejected_command(void **state)
{
	size_t  i;

	(void) state;
	for (i = 0; i < NELEM(cmd_cases); i++)
		assert_int_equal(patterns_command(cmd_cases[i].text,
						  strlen(cmd_cases[i].text)),
				 cmd_cases[i].cmd);
	assert_int_equal(patterns_command(NULL, 0), PAT_CMD_NONE);
}

static void
builtin__shipped_rules_load_without_problems(void **state)
{
	buf     err;
	int     problems;
	pattern_set *s = patterns_new();

	(void) state;
	buf_init(&err);
	problems = patterns_parse(s, "patterns.conf", patterns_builtin,
				  patterns_builtin_len, &err);
	if (problems)
		print_error("%s", err.data);
	assert_int_equal(problems, 0);
	assert_true(patterns_count(s) > 50);
	assert_string_equal(reason_of(s, "550 5.7.1 Service unavailable; "
				      "client host blocked using zen.spamhaus.org",
				      PAT_CMD_RCPT), "blocked");
	assert_string_equal(reason_of(s, "552 5.2.2 Mailbox full", PAT_CMD_RCPT),
			    "mailboxfull");
	assert_string_equal(reason_of(s, "550 5.7.509 Access denied, sending "
				      "domain does not pass DMARC verification",
				      PAT_CMD_DATA), "authfailure");
	patterns_free(s);
	buf_free(&err);
}

/* texts the shipped rules classify, for comparing lazy and eager sets */
static const char *const shipped_texts[] = {
	"550 5.7.1 Service unavailable; client host blocked using zen.spamhaus.org",
	"552 5.2.2 Mailbox full",
	"550 5.7.509 Access denied, sending domain does not pass DMARC verification",
	"550 5.1.1 <a@b.example>: Recipient address rejected: User unknown",
	"421 4.7.0 Try again later, closing connection. (EHLO) gsmtp",
	"554 5.7.1 Message rejected as spam by Content Filtering",
	"Host or domain name not found. Name service error for name=b.example",
	"retry timeout exceeded",
	"no such text in any rule: zzzz qqqq",
};

/* builtin_set - the shipped rules, compiled at load or (lazy) on use */
static pattern_set *
builtin_set(int lazy)
{
	pattern_set *s = patterns_new();
	buf     err;

	assert_non_null(s);
	buf_init(&err);
	if (lazy) {
		patterns_no_jit(s);
		patterns_lazy(s);
	}
	assert_int_equal(patterns_parse(s, "p", patterns_builtin,
					patterns_builtin_len, &err), 0);
	buf_free(&err);
	return (s);
}

static void
lazy__builtin_rules_compile_on_first_use_and_match_alike(void **state)
{
	pattern_set *eager = builtin_set(0), *lazy = builtin_set(1);
	const pattern_rule *a, *b;
	buf     err;
	size_t  i;

	(void) state;
	buf_init(&err);
	assert_int_equal(patterns_count(lazy), patterns_count(eager));
	for (i = 0; i < NELEM(shipped_texts); i++) {
		a = patterns_match(eager, shipped_texts[i],
				   strlen(shipped_texts[i]), 0);
		b = patterns_match(lazy, shipped_texts[i],
				   strlen(shipped_texts[i]), 0);
		assert_true((a == NULL) == (b == NULL));
		if (a != NULL) {
			assert_int_equal(a->line, b->line);
			assert_string_equal(a->reason, b->reason);
		}
	}
	/* every branch compiles alone, so lazy splits as eager does */
	assert_int_equal(patterns_compile_all(lazy, &err), 0);
	assert_null(err.data);
	patterns_free(eager);
	patterns_free(lazy);
	buf_free(&err);
}

static void
lazy__other_text_is_checked_at_load(void **state)
{
	pattern_set *s = patterns_new();
	buf     err;

	(void) state;
	buf_init(&err);
	patterns_no_jit(s);
	patterns_lazy(s);
	assert_int_equal(patterns_parse(s, "t.conf", "/a(b|c/ userunknown\n",
					19, &err), 1);
	assert_non_null(strstr(err.data, "t.conf:1: bad regex"));
	assert_int_equal(patterns_compile_all(s, &err), 0);
	patterns_free(s);
	buf_free(&err);
}

struct lazy_job {
	const pattern_set *s;
	int     hits;
};

static void *
lazy_worker(void *arg)
{
	struct lazy_job *j = arg;
	size_t  i, k;

	for (k = 0; k < 50; k++)
		for (i = 0; i + 1 < NELEM(shipped_texts); i++)
			if (patterns_match(j->s, shipped_texts[i],
					   strlen(shipped_texts[i]), 0))
				j->hits++;
	return (NULL);
}

static void
lazy__threads_compiling_at_once_agree(void **state)
{
	pattern_set *s = builtin_set(1), *eager = builtin_set(0);
	struct lazy_job jobs[4];
	pthread_t t[4];
	size_t  i;
	int     expect;

	(void) state;
	for (i = 0; i < 4; i++) {
		jobs[i].s = s;
		jobs[i].hits = 0;
		assert_int_equal(pthread_create(t + i, NULL, lazy_worker,
						jobs + i), 0);
	}
	for (i = 0; i < 4; i++)
		assert_int_equal(pthread_join(t[i], NULL), 0);
	/* each thread saw what one eager thread sees */
	jobs[0].s = eager;
	expect = jobs[0].hits;
	jobs[0].hits = 0;
	lazy_worker(jobs);
	assert_int_equal(jobs[0].hits, expect);
	assert_true(expect >= 50 * 5);
	for (i = 1; i < 4; i++)
		assert_int_equal(jobs[i].hits, expect);
	patterns_free(eager);
	patterns_free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parse__bad_lines__are_reported_with_file_and_line),
		cmocka_unit_test(parse__every_problem_counts_and_good_lines_stay),
		cmocka_unit_test(parse__crlf_and_cr_only_line_ends_read_alike),
		cmocka_unit_test(split__branches_decide_as_their_rule),
		cmocka_unit_test(match__first_rule_in_order_wins_and_case_is_ignored),
		cmocka_unit_test(match__cmd_limits_a_rule_and_force_is_kept),
		cmocka_unit_test(match__command_is_asked_for_once_and_only_when_needed),
		cmocka_unit_test(match__prefilter_never_hides_a_match),
		cmocka_unit_test(match__catastrophic_regex_stops_at_the_match_limit),
		cmocka_unit_test(match__huge_and_binary_subjects_are_bounded),
		cmocka_unit_test(load_file__missing_file_is_one_problem),
		cmocka_unit_test(command__phrases_name_the_rejected_command),
		cmocka_unit_test(builtin__shipped_rules_load_without_problems),
		cmocka_unit_test(lazy__builtin_rules_compile_on_first_use_and_match_alike),
		cmocka_unit_test(lazy__other_text_is_checked_at_load),
		cmocka_unit_test(lazy__threads_compiling_at_once_agree),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
