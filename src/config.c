/*
 * NAME
 *	config - dsnmilter.conf: defaults, loading, validation
 * SYNOPSIS
 *	See config.h.
 * DESCRIPTION
 *	config_keys[] below is the one table of keys: name, type, where the
 *	value lives in dsn_config, its default, its range (numbers) or its
 *	check (strings).  A check may normalise the stored value (paths) or
 *	set a derived field (facility, level).
 *
 *	config_load() reads the file with libconfig into a temporary
 *	dsn_config that starts from the defaults, applies every top-level
 *	setting through the table, and goes on after a problem so that one
 *	run reports them all.  Only a file without problems replaces the
 *	caller's configuration, which must therefore hold one already (from
 *	config_defaults() or an earlier config_load()): it is freed then.
 *	A NULL path means DSN_CONFIG_DEFAULT.  libconfig's @include is
 *	relative to the directory of the file.
 *
 *	Every string is refused when it holds a control character (bytes
 *	below 0x20, and DEL), is not valid UTF-8, or is longer than
 *	CFG_STRING_MAX bytes.  Relative paths are joined to the absolute
 *	directory of the config file; "." components and repeated slashes
 *	are dropped, ".." is kept (the kernel resolves it, symlinks and
 *	all).
 * DIAGNOSTICS
 *	One line per problem in err: "FILE:LINE: KEY: problem", FILE being
 *	the path given (or the included file the setting came from).
 *	config_defaults() aborts when it cannot allocate a few bytes of
 *	defaults: there is no way to report that, and nothing can run.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <syslog.h>
#include <unistd.h>

#include <libconfig.h>

#include "config.h"
#include "utf8.h"

#define CFG_STRING_MAX	4096		/* bytes in one string value */
#define CFG_QUOTE_MAX	64		/* bytes of a value quoted in errors */

typedef enum cfg_type {
	CFG_STRING,
	CFG_INT,
	CFG_INT64,
	CFG_BOOL,
	CFG_NETS
} cfg_type;

/* A check returns NULL, or what is wrong with the value at *value. */
typedef const char *(*cfg_check) (dsn_config *c, char **value,
				  const char *dir);

typedef struct cfg_key {
	const char *name;
	cfg_type type;
	size_t  off;			/* offset of the field in dsn_config */
	const char *sdef;		/* default of a string */
	long long idef;			/* default of a number or boolean */
	long long min, max;		/* range of a number */
	cfg_check check;		/* strings: NULL or a check */
} cfg_key;

typedef struct cfg_ctx {
	const char *path;		/* as given, for messages */
	char   *dir;			/* absolute directory of the file */
	buf    *err;
	int     problems;
} cfg_ctx;

static const char *cfg_check_socket(dsn_config *, char **, const char *);
static const char *cfg_check_hostid(dsn_config *, char **, const char *);
static const char *cfg_check_facility(dsn_config *, char **, const char *);
static const char *cfg_check_level(dsn_config *, char **, const char *);
static const char *cfg_check_user(dsn_config *, char **, const char *);
static const char *cfg_check_group(dsn_config *, char **, const char *);
static const char *cfg_check_dir(dsn_config *, char **, const char *);
static const char *cfg_check_file(dsn_config *, char **, const char *);
static const char *cfg_check_language(dsn_config *, char **, const char *);

#define OFF(f)	offsetof(dsn_config, f)
#define STR(n, f, d, chk)	{n, CFG_STRING, OFF(f), d, 0, 0, 0, chk}
#define NUM(n, t, f, d, lo, hi)	{n, t, OFF(f), NULL, d, lo, hi, NULL}
#define BOOL(n, f, d)		{n, CFG_BOOL, OFF(f), NULL, d, 0, 1, NULL}

static const cfg_key config_keys[] = {
	STR("socket", socket, "unix:/run/dsnmilter/dsnmilter.sock",
	    cfg_check_socket),
	STR("hostid", hostid, "", cfg_check_hostid),
	STR("syslog_facility", syslog_facility, "mail", cfg_check_facility),
	STR("log_level", log_level, "info", cfg_check_level),
	STR("user", user, "dsnmilter", cfg_check_user),
	STR("group", group, "", cfg_check_group),
	STR("pid_file", pid_file, "", cfg_check_file),
	NUM("max_message_size", CFG_INT64, max_message_size, 10485760,
	    65536, 536870912),
	NUM("max_recipients", CFG_INT, max_recipients, 50, 1, 1000),
	NUM("max_mime_depth", CFG_INT, max_mime_depth, 16, 1, 64),
	NUM("max_mime_parts", CFG_INT, max_mime_parts, 1000, 2, 100000),
	NUM("timeout", CFG_INT, timeout, 300, 1, 3600),
	NUM("stats_interval", CFG_INT, stats_interval, 3600, 0, 604800),
	BOOL("annotate_delays", annotate_delays, 1),
	BOOL("annotate_success", annotate_success, 0),
	BOOL("annotate_external", annotate_external, 0),
	BOOL("rewrite_plain", rewrite_plain, 1),
	{"trusted_networks", CFG_NETS, OFF(trusted), NULL, 0, 0, 0, NULL},
	STR("language", language, "en", cfg_check_language),
	STR("template_dir", template_dir, DSN_SYSCONFDIR "/dsnmilter/templates",
	    cfg_check_dir),
	STR("patterns_file", patterns_file,
	    DSN_SYSCONFDIR "/dsnmilter/patterns.conf", cfg_check_file),
	STR("organization", organization, "", NULL),
	STR("helpdesk", helpdesk, "", NULL),
};

#define CFG_NKEYS	(sizeof(config_keys) / sizeof(config_keys[0]))

/* cfg_field - the address of a key's field in c */
static void *
cfg_field(dsn_config *c, const cfg_key *k)
{
	return ((char *) c + k->off);
}

/* cfg_lookup - the table entry for name, or NULL */
static const cfg_key *
cfg_lookup(const char *name)
{
	size_t  i;

	for (i = 0; name != NULL && i < CFG_NKEYS; i++)
		if (strcmp(config_keys[i].name, name) == 0)
			return (config_keys + i);
	return (NULL);
}

/*
 * Messages.
 */

/* cfg_quote - append "value", escaped and shortened, to b */
static void
cfg_quote(buf *b, const char *v)
{
	size_t  i;

	buf_putc(b, '"');
	for (i = 0; i < CFG_QUOTE_MAX && v[i] != 0; i++) {
		unsigned char ch = (unsigned char) v[i];

		if (ch == '"' || ch == '\\')
			buf_printf(b, "\\%c", ch);
		else if (ch < 0x20 || ch >= 0x7f)
			buf_printf(b, "\\x%02x", ch);
		else
			buf_putc(b, ch);
	}
	buf_puts(b, v[i] ? "\"..." : "\"");
}

/* cfg_type_name - libconfig type, as a phrase */
static const char *
cfg_type_name(int type)
{
	switch (type) {
	case CONFIG_TYPE_GROUP:
		return ("a group");
	case CONFIG_TYPE_INT:
	case CONFIG_TYPE_INT64:
		return ("an integer");
	case CONFIG_TYPE_FLOAT:
		return ("a floating-point number");
	case CONFIG_TYPE_STRING:
		return ("a string");
	case CONFIG_TYPE_BOOL:
		return ("a boolean");
	case CONFIG_TYPE_ARRAY:
	case CONFIG_TYPE_LIST:
		return ("a list");
	default:
		return ("an unknown type");
	}
}

/*
 * cfg_problem - append "FILE:LINE: KEY: "VALUE": what" to x->err.  s,
 * key and value may be NULL; without s the line number is left out.
 */
static void
__attribute__((format(printf, 5, 6)))
cfg_problem(cfg_ctx *x, const config_setting_t *s, const char *key,
	    const char *value, const char *fmt,...)
{
	const char *file = s ? config_setting_source_file(s) : NULL;
	char   *what = NULL;
	va_list ap;
	int     n;

	x->problems++;
	if (x->err == NULL)
		return;
	buf_printf(x->err, "%s:", file ? file : x->path);
	if (s != NULL)
		buf_printf(x->err, "%u:", (unsigned) config_setting_source_line(s));
	buf_putc(x->err, ' ');
	if (key != NULL)
		buf_printf(x->err, "%s: ", key);
	if (value != NULL) {
		cfg_quote(x->err, value);
		buf_puts(x->err, ": ");
	}
	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n >= 0 && (what = malloc((size_t) n + 1)) != NULL) {
		va_start(ap, fmt);
		vsnprintf(what, (size_t) n + 1, fmt, ap);
		va_end(ap);
	}
	buf_puts(x->err, what ? what : "(out of memory)");
	buf_putc(x->err, '\n');
	free(what);
}

/*
 * Text and path helpers.
 */

/* cfg_text_problem - NULL, or what makes v unfit as a string value */
static const char *
cfg_text_problem(const char *v)
{
	const unsigned char *p = (const unsigned char *) v;
	size_t  n;

	if (strlen(v) > CFG_STRING_MAX)
		return ("value longer than 4096 bytes");
	for (; *p != 0; p += n) {
		if (*p < 0x20 || *p == 0x7f)
			return ("control character in value");
		if ((n = utf8_decode(p, 4, NULL)) == 0)	/* stops at the NUL */
			return ("value is not valid UTF-8");
	}
	return (NULL);
}

/*
 * cfg_path_resolve - path, or dir/path when path is relative, with "."
 * components and repeated slashes removed.  NULL when out of memory.
 */
static char *
cfg_path_resolve(const char *dir, const char *path)
{
	const char *s, *e;
	buf     in, out;

	buf_init(&in);
	buf_init(&out);
	if (path[0] != '/')
		buf_printf(&in, "%s/", dir);
	buf_puts(&in, path);
	for (s = in.data; s != NULL && *s != 0; s = e) {
		while (*s == '/')
			s++;
		for (e = s; *e != 0 && *e != '/'; e++)
			 /* void */ ;
		if (e == s || (e - s == 1 && *s == '.'))
			continue;
		buf_putc(&out, '/');
		buf_add(&out, s, (size_t) (e - s));
	}
	if (out.len == 0)
		buf_putc(&out, '/');
	buf_free(&in);
	if (in.failed || out.failed) {
		buf_free(&out);
		return (NULL);
	}
	return (buf_detach(&out));
}

/*
 * String checks.
 */

static const char *
cfg_check_port_host(const char *p)
{
	long    port = 0;
	const char *s = p;

	while (*s >= '0' && *s <= '9' && port <= 65535)
		port = port * 10 + (*s++ - '0');
	if (s == p || port < 1 || port > 65535)
		return ("expected a port number 1..65535 after inet: or inet6:");
	if (*s == 0 || (*s == '@' && s[1] != 0))
		return (NULL);
	return ("expected inet:PORT or inet:PORT@HOST");
}

static const char *
cfg_check_socket(dsn_config *c, char **v, const char *dir)
{
	const char *s = *v;

	(void) c;
	(void) dir;
	if (s[0] == '/')
		return (NULL);
	if (strncmp(s, "unix:/", 6) == 0 || strncmp(s, "local:/", 7) == 0)
		return (NULL);
	if (strncmp(s, "inet:", 5) == 0)
		return (cfg_check_port_host(s + 5));
	if (strncmp(s, "inet6:", 6) == 0)
		return (cfg_check_port_host(s + 6));
	return ("expected unix:/PATH, local:/PATH, inet:PORT@HOST "
		"or inet6:PORT@HOST");
}

#define CFG_ALNUM "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"

static const char *
cfg_check_hostid(dsn_config *c, char **v, const char *dir)
{
	size_t  n = strlen(*v);

	(void) c;
	(void) dir;
	if (n > 255 || strspn(*v, CFG_ALNUM ".-_") != n)
		return ("expected at most 255 letters, digits, '.', '-', '_'");
	return (NULL);
}

static const char *
cfg_check_facility(dsn_config *c, char **v, const char *dir)
{
	static const struct {
		const char *name;
		int     facility;
	}       map[] = {
		{"mail", LOG_MAIL}, {"daemon", LOG_DAEMON}, {"user", LOG_USER},
		{"local0", LOG_LOCAL0}, {"local1", LOG_LOCAL1},
		{"local2", LOG_LOCAL2}, {"local3", LOG_LOCAL3},
		{"local4", LOG_LOCAL4}, {"local5", LOG_LOCAL5},
		{"local6", LOG_LOCAL6}, {"local7", LOG_LOCAL7},
	};
	size_t  i;

	(void) dir;
	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
		if (strcmp(*v, map[i].name) == 0) {
			c->facility = map[i].facility;
			return (NULL);
		}
	}
	return ("expected mail, daemon, user or local0..local7");
}

static const char *
cfg_check_level(dsn_config *c, char **v, const char *dir)
{
	static const struct {
		const char *name;
		int     level;
	}       map[] = {
		{"error", LOG_ERR}, {"warning", LOG_WARNING},
		{"notice", LOG_NOTICE}, {"info", LOG_INFO},
		{"debug", LOG_DEBUG},
	};
	size_t  i;

	(void) dir;
	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
		if (strcmp(*v, map[i].name) == 0) {
			c->level = map[i].level;
			return (NULL);
		}
	}
	return ("expected error, warning, notice, info or debug");
}

/* cfg_account_problem - NULL, or what makes v unfit as a user/group name */
static const char *
cfg_account_problem(const char *v)
{
	size_t  n = strlen(v);

	if (n > 64 || v[0] == '-' || strspn(v, CFG_ALNUM "._-") != n)
		return ("expected a name of letters, digits, '.', '-', '_'");
	return (NULL);
}

static const char *
cfg_check_user(dsn_config *c, char **v, const char *dir)
{
	(void) c;
	(void) dir;
	if (**v == 0)
		return ("must not be empty");
	return (cfg_account_problem(*v));
}

static const char *
cfg_check_group(dsn_config *c, char **v, const char *dir)
{
	(void) c;
	(void) dir;
	return (cfg_account_problem(*v));
}

/* cfg_check_file - "" (none), or a path made absolute */
static const char *
cfg_check_file(dsn_config *c, char **v, const char *dir)
{
	char   *abs;

	(void) c;
	if (**v == 0)
		return (NULL);
	if ((abs = cfg_path_resolve(dir, *v)) == NULL)
		return ("out of memory");
	free(*v);
	*v = abs;
	return (NULL);
}

/* cfg_check_dir - a path made absolute; never empty */
static const char *
cfg_check_dir(dsn_config *c, char **v, const char *dir)
{
	if (**v == 0)
		return ("must not be empty");
	return (cfg_check_file(c, v, dir));
}

/* cfg_check_language - [a-z]{2,3}(_[A-Z]{2})? */
static const char *
cfg_check_language(dsn_config *c, char **v, const char *dir)
{
	const char *s = *v;
	size_t  lang = strspn(s, "abcdefghijklmnopqrstuvwxyz");

	(void) c;
	(void) dir;
	if (lang >= 2 && lang <= 3 && s[lang] == 0)
		return (NULL);
	if (lang >= 2 && lang <= 3 && s[lang] == '_'
	    && strspn(s + lang + 1, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") == 2
	    && s[lang + 3] == 0)
		return (NULL);
	return ("expected a language like en, de or pt_BR");
}

/*
 * Defaults and freeing.
 */

void
config_defaults(dsn_config *c)
{
	size_t  i;

	memset(c, 0, sizeof(*c));
	netlist_init(&c->trusted);
	for (i = 0; i < CFG_NKEYS; i++) {
		const cfg_key *k = config_keys + i;
		void   *f = cfg_field(c, k);

		if (k->type == CFG_STRING) {
			if ((*(char **) f = strdup(k->sdef)) == NULL)
				abort();
			if (k->check && k->check(c, (char **) f, "/") != NULL)
				abort();	/* a default that fails its check */
		} else if (k->type == CFG_INT64) {
			*(long long *) f = k->idef;
		} else if (k->type == CFG_INT || k->type == CFG_BOOL) {
			*(int *) f = (int) k->idef;
		}
	}
}

void
config_free(dsn_config *c)
{
	size_t  i;

	for (i = 0; i < CFG_NKEYS; i++) {
		if (config_keys[i].type == CFG_STRING) {
			char  **f = cfg_field(c, config_keys + i);

			free(*f);
			*f = NULL;
		}
	}
	netlist_free(&c->trusted);
	free(c->path);
	c->path = NULL;
}

/*
 * Applying one setting.
 */

static void
cfg_apply_string(cfg_ctx *x, dsn_config *c, const cfg_key *k,
		 const config_setting_t *s)
{
	char  **f = cfg_field(c, k);
	const char *v = config_setting_get_string(s);
	const char *why;
	char   *copy;

	if ((why = cfg_text_problem(v)) != NULL) {
		cfg_problem(x, s, k->name, v, "%s", why);
		return;
	}
	if ((copy = strdup(v)) == NULL) {
		cfg_problem(x, s, k->name, NULL, "out of memory");
		return;
	}
	free(*f);
	*f = copy;
	if (k->check != NULL && (why = k->check(c, f, x->dir)) != NULL)
		cfg_problem(x, s, k->name, v, "%s", why);
}

static void
cfg_apply_number(cfg_ctx *x, dsn_config *c, const cfg_key *k,
		 const config_setting_t *s)
{
	long long v = config_setting_get_int64(s);

	if (v < k->min || v > k->max) {
		cfg_problem(x, s, k->name, NULL, "%lld is out of range (%lld..%lld)",
			    v, k->min, k->max);
		return;
	}
	if (k->type == CFG_INT64)
		*(long long *) cfg_field(c, k) = v;
	else
		*(int *) cfg_field(c, k) = (int) v;
}

static void
cfg_apply_nets(cfg_ctx *x, dsn_config *c, const config_setting_t *s)
{
	int     i, n = config_setting_length(s);

	for (i = 0; i < n; i++) {
		const config_setting_t *e = config_setting_get_elem(s, i);
		const char *v;

		if (config_setting_type(e) != CONFIG_TYPE_STRING) {
			cfg_problem(x, e, "trusted_networks", NULL,
				    "entry %d is %s, expected a string", i + 1,
				    cfg_type_name(config_setting_type(e)));
			continue;
		}
		v = config_setting_get_string(e);
		if (netlist_add(&c->trusted, v) < 0)
			cfg_problem(x, e, "trusted_networks", v,
				    "not a network: expected ADDRESS or "
				    "ADDRESS/BITS with no bits set after BITS");
	}
}

/* cfg_type_ok - whether libconfig type t is acceptable for key k */
static int
cfg_type_ok(const cfg_key *k, int t)
{
	switch (k->type) {
	case CFG_STRING:
		return (t == CONFIG_TYPE_STRING);
	case CFG_INT:
	case CFG_INT64:
		return (t == CONFIG_TYPE_INT || t == CONFIG_TYPE_INT64);
	case CFG_BOOL:
		return (t == CONFIG_TYPE_BOOL);
	case CFG_NETS:
		return (t == CONFIG_TYPE_ARRAY || t == CONFIG_TYPE_LIST);
	}
	return (0);
}

static const char *const cfg_expected[] = {
	[CFG_STRING] = "a string",
	[CFG_INT] = "an integer",
	[CFG_INT64] = "an integer",
	[CFG_BOOL] = "true or false",
	[CFG_NETS] = "a list of strings",
};

static void
cfg_apply(cfg_ctx *x, dsn_config *c, const config_setting_t *s)
{
	const char *name = config_setting_name(s);
	const cfg_key *k = cfg_lookup(name);
	int     t = config_setting_type(s);

	if (k == NULL) {
		cfg_problem(x, s, NULL, NULL, "unknown key \"%s\"",
			    name ? name : "");
		return;
	}
	if (!cfg_type_ok(k, t)) {
		cfg_problem(x, s, k->name, NULL, "expected %s, found %s",
			    cfg_expected[k->type], cfg_type_name(t));
		return;
	}
	if (k->type == CFG_STRING)
		cfg_apply_string(x, c, k, s);
	else if (k->type == CFG_NETS)
		cfg_apply_nets(x, c, s);
	else if (k->type == CFG_BOOL)
		*(int *) cfg_field(c, k) = config_setting_get_bool(s) != 0;
	else
		cfg_apply_number(x, c, k, s);
}

/*
 * Loading a file.
 */

/* cfg_locate - absolute path of the file into c->path, its dir into x */
static int
cfg_locate(cfg_ctx *x, dsn_config *c)
{
	char   *cwd = NULL, *slash;

	if (x->path[0] != '/' && (cwd = getcwd(NULL, 0)) == NULL) {
		cfg_problem(x, NULL, NULL, NULL, "cannot find the current "
			    "directory: %s", strerror(errno));
		return (-1);
	}
	c->path = cfg_path_resolve(cwd ? cwd : "/", x->path);
	x->dir = c->path ? strdup(c->path) : NULL;
	free(cwd);
	if (x->dir == NULL) {
		cfg_problem(x, NULL, NULL, NULL, "out of memory");
		return (-1);
	}
	slash = strrchr(x->dir, '/');
	slash[slash == x->dir ? 1 : 0] = 0;
	return (0);
}

/* cfg_open - the file for reading, or NULL after a problem */
static FILE *
cfg_open(cfg_ctx *x)
{
	struct stat st;
	FILE   *fp;

	if ((fp = fopen(x->path, "r")) == NULL) {
		cfg_problem(x, NULL, NULL, NULL, "cannot open: %s",
			    strerror(errno));
		return (NULL);
	}
	if (fstat(fileno(fp), &st) < 0 || !S_ISREG(st.st_mode)) {
		cfg_problem(x, NULL, NULL, NULL, "not a regular file");
		fclose(fp);
		return (NULL);
	}
	return (fp);
}

/* cfg_read - parse the file into lc; 0, or -1 after a problem */
static int
cfg_read(cfg_ctx *x, config_t *lc)
{
	const char *file;
	FILE   *fp;
	int     ok;

	if ((fp = cfg_open(x)) == NULL)
		return (-1);
	config_set_include_dir(lc, x->dir);
	ok = config_read(lc, fp);
	fclose(fp);
	if (ok)
		return (0);
	file = config_error_file(lc);
	x->problems++;
	if (x->err != NULL)
		buf_printf(x->err, "%s:%d: %s\n", file ? file : x->path,
			   config_error_line(lc), config_error_text(lc));
	return (-1);
}

int
config_load(const char *path, dsn_config *c, buf *err)
{
	config_setting_t *root;
	dsn_config tmp;
	config_t lc;
	cfg_ctx x;
	int     i;

	x.path = path ? path : DSN_CONFIG_DEFAULT;
	x.dir = NULL;
	x.err = err;
	x.problems = 0;
	config_defaults(&tmp);
	config_init(&lc);
	if (cfg_locate(&x, &tmp) < 0 || cfg_read(&x, &lc) < 0)
		goto out;
	root = config_root_setting(&lc);
	for (i = 0; i < config_setting_length(root); i++)
		cfg_apply(&x, &tmp, config_setting_get_elem(root, i));
	if (x.problems == 0) {
		config_free(c);
		*c = tmp;
	}
out:
	if (x.problems != 0)
		config_free(&tmp);
	config_destroy(&lc);
	free(x.dir);
	return (x.problems == 0 ? 0 : -1);
}
