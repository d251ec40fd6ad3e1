/*
 * NAME
 *	test_config - unit tests for config.c
 * DESCRIPTION
 *	Scenario files live in tests/unit/data/config; single-value cases
 *	are written to a temporary file from a table.  The source tree is
 *	found through DSN_TOP_SRCDIR when the build defines it, else from
 *	__FILE__ (which works when the test runs in the directory it was
 *	compiled in, as "make check" and a direct gcc call both do).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include "config.h"
#include "testutil.h"

static char *
data_path(const char *name)
{
	buf     b;
	char   *p;

	buf_init(&b);
	buf_printf(&b, "tests/unit/data/config/%s", name);
	assert_false(b.failed);
	p = test_top_path(b.data);
	buf_free(&b);
	return (p);
}

/* load_data - config_load() a data file; returns rc, err text in err */
static int
load_data(const char *name, dsn_config *c, buf *err)
{
	char   *path = data_path(name);
	int     rc;

	rc = config_load(path, c, err);
	free(path);
	return (rc);
}

/* load_text - config_load() text written to a temporary file */
static int
load_text(const char *text, dsn_config *c, buf *err, char *path, size_t pathlen)
{
	FILE   *fp;
	int     fd, rc;

	assert_true(pathlen >= sizeof("/tmp/test_config.XXXXXX"));
	memcpy(path, "/tmp/test_config.XXXXXX", sizeof("/tmp/test_config.XXXXXX"));
	fd = mkstemp(path);
	assert_true(fd >= 0);
	fp = fdopen(fd, "w");
	assert_non_null(fp);
	assert_int_equal(fputs(text, fp) >= 0, 1);
	assert_int_equal(fclose(fp), 0);
	rc = config_load(path, c, err);
	unlink(path);
	return (rc);
}

static int
count_lines(const buf *b)
{
	size_t  i;
	int     n = 0;

	for (i = 0; i < b->len; i++)
		n += b->data[i] == '\n';
	return (n);
}

/* assert_err_has - the error text contains s */
static void
assert_err_has(const buf *err, const char *s)
{
	if (err->data == NULL || strstr(err->data, s) == NULL)
		fail_msg("error text lacks \"%s\"; it is:\n%s", s,
			 err->data ? err->data : "(empty)");
}

static void
assert_is_default(const dsn_config *c)
{
	assert_string_equal(c->socket, "unix:/run/dsnmilter/dsnmilter.sock");
	assert_string_equal(c->hostid, "");
	assert_string_equal(c->syslog_facility, "mail");
	assert_int_equal(c->facility, LOG_MAIL);
	assert_string_equal(c->log_level, "info");
	assert_int_equal(c->level, LOG_INFO);
	assert_string_equal(c->user, "dsnmilter");
	assert_string_equal(c->group, "");
	assert_string_equal(c->pid_file, "");
	assert_true(c->max_message_size == 10485760LL);
	assert_int_equal(c->max_recipients, 50);
	assert_int_equal(c->max_mime_depth, 16);
	assert_int_equal(c->max_mime_parts, 1000);
	assert_int_equal(c->timeout, 300);
	assert_int_equal(c->stats_interval, 3600);
	assert_int_equal(c->annotate_delays, 1);
	assert_int_equal(c->annotate_success, 0);
	assert_int_equal(c->annotate_external, 0);
	assert_int_equal(c->rewrite_plain, 1);
	assert_int_equal(c->trusted.n, 0);
	assert_string_equal(c->language, "en");
	assert_string_equal(c->template_dir, DSN_SYSCONFDIR "/dsnmilter/templates");
	assert_string_equal(c->patterns_file, DSN_SYSCONFDIR "/dsnmilter/patterns.conf");
	assert_string_equal(c->organization, "");
	assert_string_equal(c->helpdesk, "");
}

static void
config_defaults__every_key__has_its_documented_default(void **state)
{
	dsn_config c;

	(void) state;
	config_defaults(&c);
	assert_null(c.path);
	assert_is_default(&c);
	config_free(&c);
	config_free(&c);		/* twice is harmless */
}

static void
config_load__empty_file__gives_defaults(void **state)
{
	dsn_config c;
	buf     err;

	(void) state;
	buf_init(&err);
	config_defaults(&c);
	assert_int_equal(load_data("empty.conf", &c, &err), 0);
	assert_int_equal(err.len, 0);
	assert_non_null(c.path);
	assert_true(c.path[0] == '/');
	assert_non_null(strstr(c.path, "/data/config/empty.conf"));
	assert_is_default(&c);
	config_free(&c);
	buf_free(&err);
}

static void
config_load__full_file__sets_every_key(void **state)
{
	dsn_config c;
	buf     err;

	(void) state;
	buf_init(&err);
	config_defaults(&c);
	if (load_data("full.conf", &c, &err) != 0)
		fail_msg("full.conf: %s", err.data);
	assert_string_equal(c.socket, "inet:8891@127.0.0.1");
	assert_string_equal(c.hostid, "mx1.example.net");
	assert_int_equal(c.facility, LOG_LOCAL3);
	assert_int_equal(c.level, LOG_DEBUG);
	assert_string_equal(c.user, "nobody");
	assert_string_equal(c.group, "nogroup");
	assert_string_equal(c.pid_file, "/run/dsnmilter.pid");
	assert_true(c.max_message_size == 20971520LL);
	assert_int_equal(c.max_recipients, 10);
	assert_int_equal(c.max_mime_depth, 8);
	assert_int_equal(c.max_mime_parts, 200);
	assert_int_equal(c.timeout, 60);
	assert_int_equal(c.stats_interval, 0);
	assert_int_equal(c.annotate_delays, 0);
	assert_int_equal(c.annotate_success, 1);
	assert_int_equal(c.annotate_external, 1);
	assert_int_equal(c.rewrite_plain, 0);
	assert_int_equal(c.trusted.n, 3);
	assert_true(netlist_match(&c.trusted, "192.0.2.200"));
	assert_true(netlist_match(&c.trusted, "2001:db8:5::1"));
	assert_true(netlist_match(&c.trusted, "198.51.100.7"));
	assert_false(netlist_match(&c.trusted, "198.51.100.8"));
	assert_string_equal(c.language, "pt_BR");
	assert_string_equal(c.template_dir, "/usr/share/dsnmilter/templates");
	assert_string_equal(c.patterns_file, "");
	assert_string_equal(c.organization, "Ex\xc3\xa4mple Corp IT");
	assert_string_equal(c.helpdesk, "helpdesk@example.com, ext. 4357");
	config_free(&c);
	buf_free(&err);
}

static void
config_load__shipped_config__loads_cleanly(void **state)
{
	char   *path = test_top_path("etc/dsnmilter.conf");
	char   *etc;
	dsn_config c;
	buf     err;
	size_t  n;

	(void) state;
	buf_init(&err);
	config_defaults(&c);
	if (config_load(path, &c, &err) != 0)
		fail_msg("%s: %s", path, err.data);
	assert_int_equal(err.len, 0);
	/* Same as the defaults, but with paths beside the file. */
	assert_int_equal(c.max_recipients, 50);
	assert_int_equal(c.trusted.n, 0);
	assert_int_equal(c.facility, LOG_MAIL);
	etc = strdup(c.path);
	assert_non_null(etc);
	n = strlen(etc) - strlen("/dsnmilter.conf");
	assert_string_equal(etc + n, "/dsnmilter.conf");
	etc[n] = 0;
	assert_true(strncmp(c.template_dir, etc, n) == 0);
	assert_string_equal(c.template_dir + n, "/templates");
	assert_string_equal(c.patterns_file + n, "/patterns.conf");
	free(etc);
	free(path);
	config_free(&c);
	buf_free(&err);
}

static void
config_load__unknown_key__is_an_error_with_its_line(void **state)
{
	dsn_config c;
	buf     err;

	(void) state;
	buf_init(&err);
	config_defaults(&c);
	assert_int_equal(load_data("unknown.conf", &c, &err), -1);
	assert_err_has(&err, "unknown.conf:3: unknown key \"sokcet\"\n");
	assert_int_equal(count_lines(&err), 1);
	config_free(&c);
	buf_free(&err);
}

static void
config_load__wrong_types__are_each_reported(void **state)
{
	dsn_config c;
	buf     err;

	(void) state;
	buf_init(&err);
	config_defaults(&c);
	assert_int_equal(load_data("wrongtype.conf", &c, &err), -1);
	assert_err_has(&err, "wrongtype.conf:2: max_recipients: expected an integer, found a string\n");
	assert_err_has(&err, "wrongtype.conf:3: socket: expected a string, found an integer\n");
	assert_err_has(&err, "wrongtype.conf:4: annotate_delays: expected true or false, found an integer\n");
	assert_err_has(&err, "wrongtype.conf:5: trusted_networks: expected a list of strings, found a string\n");
	assert_err_has(&err, "wrongtype.conf:6: timeout: expected an integer, found a floating-point number\n");
	assert_err_has(&err, "wrongtype.conf:7: language: expected a string, found a list\n");
	assert_int_equal(count_lines(&err), 6);
	assert_is_default(&c);
	config_free(&c);
	buf_free(&err);
}

static void
config_load__bad_value__names_file_line_and_range(void **state)
{
	dsn_config c;
	buf     err;

	(void) state;
	buf_init(&err);
	config_defaults(&c);
	assert_int_equal(load_data("badvalue.conf", &c, &err), -1);
	assert_err_has(&err, "badvalue.conf:5: max_recipients: 0 is out of range (1..1000)\n");
	assert_int_equal(count_lines(&err), 1);
	config_free(&c);
	buf_free(&err);
}

static void
config_load__syntax_error__reports_file_and_line(void **state)
{
	dsn_config c;
	buf     err;

	(void) state;
	buf_init(&err);
	config_defaults(&c);
	assert_int_equal(load_data("syntax.conf", &c, &err), -1);
	assert_err_has(&err, "syntax.conf:4: syntax error\n");
	assert_int_equal(count_lines(&err), 1);
	assert_is_default(&c);
	config_free(&c);
	buf_free(&err);
}

static void
config_load__missing_file__is_reported(void **state)
{
	dsn_config c;
	buf     err;

	(void) state;
	buf_init(&err);
	config_defaults(&c);
	assert_int_equal(load_data("no-such-file.conf", &c, &err), -1);
	assert_err_has(&err, "no-such-file.conf: cannot open: ");
	assert_is_default(&c);
	buf_reset(&err);
	assert_int_equal(config_load("/", &c, &err), -1);
	assert_err_has(&err, "/: not a regular file\n");
	config_free(&c);
	buf_free(&err);
}

/* dir_of - the directory part of path, as a new string */
static char *
dir_of(const char *path)
{
	char   *d = strdup(path);
	char   *slash;

	assert_non_null(d);
	slash = strrchr(d, '/');
	assert_non_null(slash);
	*slash = 0;
	return (d);
}

static void
config_load__relative_paths__resolve_against_the_file(void **state)
{
	char   *rel = data_path("relative.conf");
	char    real[PATH_MAX], want[PATH_MAX + 32];
	char   *dir;
	dsn_config a, b;
	buf     err;

	(void) state;
	buf_init(&err);
	config_defaults(&a);
	config_defaults(&b);
	/* The path as given (relative to the working directory) ... */
	assert_int_equal(config_load(rel, &a, &err), 0);
	dir = dir_of(a.path);
	snprintf(want, sizeof(want), "%s/tpl/x/y", dir);
	assert_string_equal(a.template_dir, want);
	snprintf(want, sizeof(want), "%s/../p.conf", dir);
	assert_string_equal(a.patterns_file, want);
	snprintf(want, sizeof(want), "%s/run/d.pid", dir);
	assert_string_equal(a.pid_file, want);
	assert_null(strstr(a.template_dir, "/./"));
	assert_null(strstr(a.template_dir, "//"));
	free(dir);
	/* ... and the canonical absolute path give the same files. */
	assert_non_null(realpath(rel, real));
	assert_int_equal(config_load(real, &b, &err), 0);
	dir = dir_of(real);
	snprintf(want, sizeof(want), "%s/tpl/x/y", dir);
	assert_string_equal(b.template_dir, want);
	assert_string_equal(b.path, real);
	assert_int_equal(err.len, 0);
	free(dir);
	free(rel);
	config_free(&a);
	config_free(&b);
	buf_free(&err);
}

static void
config_load__absolute_paths__are_kept_and_tidied(void **state)
{
	dsn_config c;
	buf     err;

	(void) state;
	buf_init(&err);
	config_defaults(&c);
	assert_int_equal(load_data("absolute.conf", &c, &err), 0);
	assert_string_equal(c.template_dir, "/srv/dsn/templates");
	assert_string_equal(c.patterns_file, "/");
	config_free(&c);
	buf_free(&err);
}

static void
config_load__several_errors__are_reported_together(void **state)
{
	dsn_config c;
	buf     err;

	(void) state;
	buf_init(&err);
	config_defaults(&c);
	assert_int_equal(load_data("several.conf", &c, &err), -1);
	assert_err_has(&err, "several.conf:2: log_level: \"verbose\": expected error, warning, notice, info or debug\n");
	assert_err_has(&err, "several.conf:4: unknown key \"unknown_key\"\n");
	assert_err_has(&err, "several.conf:7: trusted_networks: \"10.0.0.1/8\": not a network");
	assert_err_has(&err, "several.conf:8: syslog_facility: \"kern\": expected mail, daemon, user or local0..local7\n");
	assert_int_equal(count_lines(&err), 4);
	assert_is_default(&c);
	config_free(&c);
	buf_free(&err);
}

static void
config_load__bad_network__names_each_bad_entry(void **state)
{
	dsn_config c;
	buf     err;

	(void) state;
	buf_init(&err);
	config_defaults(&c);
	assert_int_equal(load_data("badnets.conf", &c, &err), -1);
	assert_err_has(&err, "badnets.conf:3: trusted_networks: \"192.0.2.0/33\": not a network");
	assert_err_has(&err, "badnets.conf:5: trusted_networks: \"not-an-address\": not a network");
	assert_int_equal(count_lines(&err), 2);
	assert_int_equal(c.trusted.n, 0);
	buf_reset(&err);
	assert_int_equal(load_data("mixednets.conf", &c, &err), -1);
	assert_err_has(&err, "mixednets.conf:1: trusted_networks: entry 2 is an integer, expected a string\n");
	assert_int_equal(count_lines(&err), 1);
	config_free(&c);
	buf_free(&err);
}

static void
config_load__include__is_relative_to_the_file(void **state)
{
	dsn_config c;
	buf     err;

	(void) state;
	buf_init(&err);
	config_defaults(&c);
	if (load_data("include.conf", &c, &err) != 0)
		fail_msg("include.conf: %s", err.data);
	assert_int_equal(c.max_recipients, 7);
	assert_int_equal(c.timeout, 42);
	assert_int_equal(load_data("include_bad.conf", &c, &err), -1);
	assert_err_has(&err, "badinclude.inc:1: max_recipients: expected an integer");
	config_free(&c);
	buf_free(&err);
}

static void
config_load__failure__keeps_the_previous_configuration(void **state)
{
	dsn_config c;
	buf     err;
	char   *path;

	(void) state;
	buf_init(&err);
	config_defaults(&c);
	assert_int_equal(load_data("full.conf", &c, &err), 0);
	path = strdup(c.path);
	assert_non_null(path);
	assert_int_equal(load_data("several.conf", &c, &err), -1);
	assert_string_equal(c.path, path);
	assert_int_equal(c.max_recipients, 10);
	assert_int_equal(c.level, LOG_DEBUG);
	assert_int_equal(c.trusted.n, 3);
	assert_string_equal(c.language, "pt_BR");
	/* A later good load replaces it completely, back to defaults. */
	assert_int_equal(load_data("empty.conf", &c, &err), 0);
	assert_is_default(&c);
	free(path);
	config_free(&c);
	buf_free(&err);
}

static void
config_load__null_err__still_fails(void **state)
{
	dsn_config c;

	(void) state;
	config_defaults(&c);
	{
		char   *p = data_path("several.conf");

		assert_int_equal(config_load(p, &c, NULL), -1);
		free(p);
	}
	assert_is_default(&c);
	config_free(&c);
}

struct value_case {
	const char *text;		/* one line of config */
	const char *error;		/* in the one "FILE:1: ..." line, or NULL */
};

static const struct value_case value_cases[] = {
	{"socket = \"unix:/run/x.sock\";", NULL},
	{"socket = \"local:/run/x.sock\";", NULL},
	{"socket = \"/run/x.sock\";", NULL},
	{"socket = \"inet:8891\";", NULL},
	{"socket = \"inet:8891@localhost\";", NULL},
	{"socket = \"inet6:8891@[::1]\";", NULL},
	{"socket = \"\";", "socket: \"\": expected unix:/PATH"},
	{"socket = \"unix:run/x.sock\";", "socket: \"unix:run/x.sock\": expected unix:/PATH"},
	{"socket = \"inet:0\";", "socket: \"inet:0\": expected a port number"},
	{"socket = \"inet:65536@h\";", "expected a port number"},
	{"socket = \"inet:99999999999999999999\";", "expected a port number"},
	{"socket = \"inet:25@\";", "expected inet:PORT or inet:PORT@HOST"},
	{"socket = \"inet:smtp@h\";", "expected a port number"},
	{"socket = \"tcp:25\";", "expected unix:/PATH"},
	{"hostid = \"mx1.example.com\";", NULL},
	{"hostid = \"mx 1\";", "hostid: \"mx 1\": expected at most 255"},
	{"hostid = \"mx1(x)\";", "hostid: \"mx1(x)\": expected"},
	{"hostid = \"mx1\\n.example\";", "hostid: \"mx1\\x0a.example\": control character"},
	{"syslog_facility = \"local7\";", NULL},
	{"syslog_facility = \"daemon\";", NULL},
	{"syslog_facility = \"MAIL\";", "syslog_facility: \"MAIL\": expected mail"},
	{"syslog_facility = \"local8\";", "expected mail, daemon, user or local0..local7"},
	{"log_level = \"warning\";", NULL},
	{"log_level = \"warn\";", "log_level: \"warn\": expected error"},
	{"user = \"\";", "user: \"\": must not be empty"},
	{"user = \"-root\";", "user: \"-root\": expected a name"},
	{"user = \"mail user\";", "expected a name"},
	{"group = \"\";", NULL},
	{"group = \"postfix\";", NULL},
	{"group = \"a:b\";", "group: \"a:b\": expected a name"},
	{"max_message_size = 65536;", NULL},
	{"max_message_size = 65535;", "max_message_size: 65535 is out of range (65536..536870912)"},
	{"max_message_size = 536870912L;", NULL},
	{"max_message_size = 536870913L;", "out of range (65536..536870912)"},
	{"max_message_size = 8589934592L;", "8589934592 is out of range"},
	{"max_recipients = 1;", NULL},
	{"max_recipients = 1000;", NULL},
	{"max_recipients = 1001;", "max_recipients: 1001 is out of range (1..1000)"},
	{"max_recipients = -1;", "max_recipients: -1 is out of range"},
	{"max_recipients = 4294967297L;", "4294967297 is out of range"},
	{"max_mime_depth = 0;", "max_mime_depth: 0 is out of range (1..64)"},
	{"max_mime_depth = 65;", "max_mime_depth: 65 is out of range (1..64)"},
	{"max_mime_parts = 1;", "max_mime_parts: 1 is out of range (2..100000)"},
	{"max_mime_parts = 100001;", "out of range (2..100000)"},
	{"timeout = 0;", "timeout: 0 is out of range (1..3600)"},
	{"timeout = 3601;", "timeout: 3601 is out of range"},
	{"timeout = 0x10;", NULL},
	{"stats_interval = 0;", NULL},
	{"stats_interval = -1;", "stats_interval: -1 is out of range (0..604800)"},
	{"stats_interval = 604801;", "out of range (0..604800)"},
	{"annotate_external = TRUE;", NULL},
	{"annotate_external = \"yes\";", "annotate_external: expected true or false, found a string"},
	{"trusted_networks = [];", NULL},
	{"trusted_networks = ();", NULL},
	{"trusted_networks = ( \"192.0.2.0/24\", 2 );", "trusted_networks: entry 2 is an integer, expected a string"},
	{"trusted_networks = [ 1 ];", "trusted_networks: entry 1 is an integer"},
	{"trusted_networks = { a = 1; };", "trusted_networks: expected a list of strings, found a group"},
	{"language = \"de\";", NULL},
	{"language = \"ast\";", NULL},
	{"language = \"pt_BR\";", NULL},
	{"language = \"EN\";", "language: \"EN\": expected a language"},
	{"language = \"e\";", "expected a language"},
	{"language = \"engl\";", "expected a language"},
	{"language = \"en_us\";", "expected a language"},
	{"language = \"en_USA\";", "expected a language"},
	{"language = \"../en\";", "expected a language"},
	{"template_dir = \"\";", "template_dir: \"\": must not be empty"},
	{"patterns_file = \"\";", NULL},
	{"pid_file = \"\";", NULL},
	{"organization = \"Caf\xc3\xa9 Ltd\";", NULL},
	{"organization = \"a\\rb\";", "organization: \"a\\x0db\": control character in value"},
	{"organization = \"tab\\there\";", "control character in value"},
	{"organization = \"del\\x7f\";", "organization: \"del\\x7f\": control character"},
	{"helpdesk = \"\\xc3\\x28\";", "helpdesk: \"\\xc3(\": value is not valid UTF-8"},
	{"helpdesk = \"\\xc0\\xaf\";", "not valid UTF-8"},
	{"helpdesk = \"\\xed\\xa0\\x80\";", "not valid UTF-8"},
	{"helpdesk = \"\\xf4\\x90\\x80\\x80\";", "not valid UTF-8"},
	{"helpdesk = \"\\xe2\\x82\";", "not valid UTF-8"},
	{"helpdesk = \"\\xf0\\x9f\\x93\\x9e 4357\";", NULL},
	{"helpdesk = \"x\" \"\\n\";", "helpdesk: \"x\\x0a\": control character"},
	{"group = \"quote\\\"\";", "group: \"quote\\\"\": expected a name"},
	{"Socket = \"/x\";", "unknown key \"Socket\""},
	{"grp = { socket = \"/x\"; };", "unknown key \"grp\""},
};

static void
config_load__value_table__accepts_and_refuses(void **state)
{
	size_t  i;

	(void) state;
	for (i = 0; i < sizeof(value_cases) / sizeof(value_cases[0]); i++) {
		const struct value_case *v = value_cases + i;
		char    path[64], want[100];
		dsn_config c;
		buf     err;
		int     rc, ok;

		buf_init(&err);
		config_defaults(&c);
		rc = load_text(v->text, &c, &err, path, sizeof(path));
		snprintf(want, sizeof(want), "%s:1: ", path);
		if (v->error == NULL)
			ok = rc == 0 && err.len == 0;
		else
			ok = rc == -1 && count_lines(&err) == 1
			    && strncmp(err.data, want, strlen(want)) == 0
			    && strstr(err.data, v->error) != NULL;
		if (!ok)
			print_error("case %zu <%s>: rc %d, error text:\n%s", i,
				    v->text, rc, err.data ? err.data : "(empty)");
		config_free(&c);
		buf_free(&err);
		if (!ok)
			fail();
	}
}

static void
config_load__long_string__is_refused(void **state)
{
	dsn_config c;
	buf     text, err;
	char    path[64];
	size_t  i;

	(void) state;
	buf_init(&text);
	buf_init(&err);
	buf_puts(&text, "organization = \"");
	for (i = 0; i < 4097; i++)
		buf_putc(&text, 'a');
	buf_puts(&text, "\";\n");
	assert_false(text.failed);
	config_defaults(&c);
	assert_int_equal(load_text(text.data, &c, &err, path, sizeof(path)), -1);
	assert_err_has(&err, "organization: \"aaaa");
	assert_err_has(&err, "\"...: value longer than 4096 bytes\n");
	assert_true(err.len < 200);	/* the value is shortened */
	config_free(&c);
	buf_free(&text);
	buf_free(&err);
}

static void
config_load__facility_and_level__set_syslog_numbers(void **state)
{
	static const struct {
		const char *text;
		int     facility, level;
	}       cases[] = {
		{"syslog_facility = \"daemon\"; log_level = \"error\";", LOG_DAEMON, LOG_ERR},
		{"syslog_facility = \"user\"; log_level = \"warning\";", LOG_USER, LOG_WARNING},
		{"syslog_facility = \"local0\"; log_level = \"notice\";", LOG_LOCAL0, LOG_NOTICE},
		{"syslog_facility = \"local7\"; log_level = \"debug\";", LOG_LOCAL7, LOG_DEBUG},
		{"syslog_facility = \"mail\"; log_level = \"info\";", LOG_MAIL, LOG_INFO},
	};
	size_t  i;

	(void) state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		dsn_config c;
		buf     err;
		char    path[64];

		buf_init(&err);
		config_defaults(&c);
		assert_int_equal(load_text(cases[i].text, &c, &err, path, sizeof(path)), 0);
		assert_int_equal(c.facility, cases[i].facility);
		assert_int_equal(c.level, cases[i].level);
		config_free(&c);
		buf_free(&err);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(config_defaults__every_key__has_its_documented_default),
		cmocka_unit_test(config_load__empty_file__gives_defaults),
		cmocka_unit_test(config_load__full_file__sets_every_key),
		cmocka_unit_test(config_load__shipped_config__loads_cleanly),
		cmocka_unit_test(config_load__unknown_key__is_an_error_with_its_line),
		cmocka_unit_test(config_load__wrong_types__are_each_reported),
		cmocka_unit_test(config_load__bad_value__names_file_line_and_range),
		cmocka_unit_test(config_load__syntax_error__reports_file_and_line),
		cmocka_unit_test(config_load__missing_file__is_reported),
		cmocka_unit_test(config_load__relative_paths__resolve_against_the_file),
		cmocka_unit_test(config_load__absolute_paths__are_kept_and_tidied),
		cmocka_unit_test(config_load__several_errors__are_reported_together),
		cmocka_unit_test(config_load__bad_network__names_each_bad_entry),
		cmocka_unit_test(config_load__include__is_relative_to_the_file),
		cmocka_unit_test(config_load__failure__keeps_the_previous_configuration),
		cmocka_unit_test(config_load__null_err__still_fails),
		cmocka_unit_test(config_load__value_table__accepts_and_refuses),
		cmocka_unit_test(config_load__long_string__is_refused),
		cmocka_unit_test(config_load__facility_and_level__set_syslog_numbers),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
