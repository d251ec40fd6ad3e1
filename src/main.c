/*
 * NAME
 *	main - dsnmilter command line
 * SYNOPSIS
 *	dsnmilter [-c FILE] [-f] [-p SOCKET]
 *	dsnmilter -t [-c FILE]
 *	dsnmilter -r FILE [-c FILE] [-a ADDR]
 *	dsnmilter -j [-P N] FILE...
 *	dsnmilter -x CODE [-d TEXT] [-c FILE]
 *	dsnmilter -V | -h
 * DESCRIPTION
 *	Each mode is one short function over the engine (engine.h); the
 *	milter itself is milter.c.  See dsnmilter(8).
 */

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libconfig.h>

#include "daemon.h"
#include "engine.h"
#include "json.h"
#include "log.h"
#include "logline.h"
#include "milter.h"
#include "ordered.h"
#include "patterns_image.h"
#include "render.h"

#define EX_OK_		0
#define EX_USAGE_	64
#define EX_DATAERR_	65
#define EX_NOINPUT_	66
#define EX_SOFTWARE_	70
#define EX_CONFIG_	78
#define READ_MAX	((size_t) 256 << 20)	/* -r and -j input cap */

typedef struct options {
	int     mode;			/* 0 (milter) or one of "trjxVh" */
	const char *config;		/* -c */
	const char *socket;		/* -p */
	const char *addr;		/* -a */
	const char *diag;		/* -d */
	const char *arg;		/* -r FILE, -x CODE */
	int     foreground;		/* -f */
	unsigned jobs;			/* -P: threads for -j, 0: one per CPU */
} options;

static void
usage(FILE *fp)
{
	fprintf(fp,
		"usage: dsnmilter [-c FILE] [-f] [-p SOCKET]   run the milter\n"
		"       dsnmilter -t [-c FILE]                 check configuration and templates\n"
		"       dsnmilter -r FILE [-c FILE] [-a ADDR]  annotate one message to stdout\n"
		"       dsnmilter -j [-P N] FILE...            bounce analysis as JSON lines\n"
		"       dsnmilter -x CODE [-d TEXT] [-c FILE]  show the explanation for a code\n"
		"       dsnmilter -V | -h                      version | this help\n");
}

/* read_file - all of path ("-" = stdin) into b, at most max bytes */
static int
read_file(const char *path, size_t max, buf *b)
{
	int     fd = strcmp(path, "-") == 0 ? 0 : open(path, O_RDONLY | O_CLOEXEC);
	int     ret = fd < 0 ? -1 : buf_read_fd(b, fd, max);

	if (ret < 0)
		fprintf(stderr, "dsnmilter: %s: %s\n", path, fd >= 0
			&& (errno == EFBIG || errno == ENOMEM) ?
			"too large or out of memory" : strerror(errno));
	if (fd > 0)
		close(fd);
	return (ret);
}

/* load - the engine, or the errors on stderr */
static engine *
load(const char *path, int flags)
{
	engine *e;
	buf     err;

	buf_init(&err);
	if ((e = engine_load(path, flags, &err)) == NULL)
		fprintf(stderr, "%s", err.data ? err.data : "out of memory\n");
	buf_free(&err);
	return (e);
}

static int
mode_test(const options *o)
{
	engine *e = load(o->config, ENGINE_TEMPLATES | ENGINE_NOJIT);

	if (e == NULL)
		return (EX_CONFIG_);
	printf("%s: configuration and templates are valid\n",
	       e->cfg.path ? e->cfg.path : "built-in defaults");
	engine_free(e);
	return (EX_OK_);
}

typedef struct json_job {
	const engine *e;
	char  **paths;
} json_job;

/*
 * json_one - analyse file i of the job into its JSON line (ordered_fn:
 * runs on several threads at once, and the engine is read-only)
 */
static int
json_one(size_t i, buf *out, void *arg)
{
	const json_job *j = arg;
	const engine *e = j->e;
	buf     msg;
	dsn_report r;
	int     ret = -1;

	buf_init(&msg);
	dsn_report_init(&r);
	if (read_file(j->paths[i], READ_MAX, &msg) == 0
	    && bounce_analyze_mbox(msg.data ? msg.data : "", msg.len,
				   &e->limits, e->classifier, &r) == 0
	    && json_report(out, j->paths[i], r.kind != DSN_KIND_NONE, &r) == 0)
		ret = 0;
	else
		buf_reset(out);
	dsn_report_free(&r);
	buf_free(&msg);
	return (ret);
}

static int
mode_json(const options *o, int argc, char **argv)
{
	engine *e = load(o->config, ENGINE_NOJIT | ENGINE_LAZY);
	json_job j;
	unsigned threads;
	int     bad;

	if (e == NULL)
		return (EX_CONFIG_);
	j.e = e;
	j.paths = argv;
	threads = o->jobs ? o->jobs : ordered_threads((size_t) argc);
	bad = ordered_run((size_t) argc, threads, json_one, &j, stdout);
	engine_free(e);
	return (bad ? EX_DATAERR_ : EX_OK_);
}

/* rewrite - annotate msg as the milter would; the result goes to out */
static void
rewrite(const engine *e, const char *msg, size_t len, int trusted, buf *out)
{
	dsn_report r;
	annotation a;
	buf     line;
	const char *action = "annotated";

	dsn_report_init(&r);
	buf_init(&line);
	memset(&a, 0, sizeof(a));
	if (len > (size_t) e->cfg.max_message_size) {
		action = "skipped";
		a.why = "message-too-large";
	} else if (engine_process(e, msg, len, trusted, annotate_eol(msg, len),
				  &r, &a) < 0)
		action = "error";
	else if (a.skip)
		action = "skipped";
	/* a skipped bounce may still lose forged X-DSN-* fields */
	if (strcmp(action, "error") == 0 || a.nedits == 0
	    || annotation_apply(msg, len, &a, out) < 0) {
		buf_reset(out);
		buf_add(out, msg, len);
	}
	logline_format(&line, NULL, &r, action, a.why);
	fprintf(stderr, "dsnmilter: %s\n", line.data ? line.data : "");
	annotation_free(&a);
	dsn_report_free(&r);
	buf_free(&line);
}

static int
mode_rewrite(const options *o)
{
	engine *e = load(o->config, ENGINE_TEMPLATES | ENGINE_NOJIT | ENGINE_LAZY);
	buf     msg, out;
	int     trusted, ret = EX_NOINPUT_;

	if (e == NULL)
		return (EX_CONFIG_);
	trusted = o->addr ? netlist_match(&e->cfg.trusted, o->addr) : 1;
	buf_init(&msg);
	buf_init(&out);
	if (read_file(o->arg, READ_MAX, &msg) == 0) {
		rewrite(e, msg.data ? msg.data : "", msg.len, trusted, &out);
		ret = fwrite(out.data ? out.data : "", 1, out.len, stdout)
		    == out.len && fflush(stdout) == 0 ? EX_OK_ : EX_SOFTWARE_;
	}
	buf_free(&msg);
	buf_free(&out);
	engine_free(e);
	return (ret);
}

static int
mode_explain(const options *o)
{
	engine *e = load(o->config, ENGINE_TEMPLATES | ENGINE_NOJIT | ENGINE_LAZY);
	render_opts ro;
	buf     out;
	int     ret = EX_OK_;

	if (e == NULL)
		return (EX_CONFIG_);
	memset(&ro, 0, sizeof(ro));
	ro.templates = e->templates;
	ro.organization = e->cfg.organization;
	ro.helpdesk = e->cfg.helpdesk;
	buf_init(&out);
	if (render_preview(e->templates, o->arg, o->diag, &ro, &out) < 0)
		ret = EX_SOFTWARE_;
	else
		fwrite(out.data, 1, out.len, stdout);
	buf_free(&out);
	engine_free(e);
	return (ret);
}

static int
mode_version(void)
{
	char    v[64];

	printf("dsnmilter %s (libmilter %s, libconfig %d.%d.%d)\n",
	       PACKAGE_VERSION, milter_libversion(v, sizeof(v)),
	       LIBCONFIG_VER_MAJOR, LIBCONFIG_VER_MINOR, LIBCONFIG_VER_REVISION);
	return (EX_OK_);
}

/* start - privileges, background, pid file, in that order */
static int
start(const engine *e, int foreground)
{
	buf     err;
	int     ret = 0;

	buf_init(&err);
	if (daemon_drop(e->cfg.user, e->cfg.group, &err) < 0
	    || (!foreground && daemon_detach(&err) < 0)
	    || daemon_pidfile(e->cfg.pid_file, &err) < 0) {
		log_msg(LOG_ERR, "cannot start: %s", err.data ? err.data : "");
		ret = -1;
	}
	buf_free(&err);
	return (ret);
}

static int
mode_milter(const options *o)
{
	engine *e;
	char   *spec;
	sigset_t usr1;

	/* a reload request before the reload thread runs must not kill us */
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	pthread_sigmask(SIG_BLOCK, &usr1, NULL);
	e = load(o->config, ENGINE_TEMPLATES);
	if (e == NULL)
		return (EX_CONFIG_);
	if (o->socket != NULL) {
		if ((spec = strdup(o->socket)) == NULL)
			return (EX_SOFTWARE_);
		free(e->cfg.socket);
		e->cfg.socket = spec;
	}
	log_open("dsnmilter", e->cfg.facility, e->cfg.level, o->foreground);
	if (start(e, o->foreground) < 0) {
		engine_free(e);
		return (EX_CONFIG_);
	}
	return (milter_run(e));
}

/* parse - the options; returns -1 on a usage error */
/* parse_jobs - -P N: 1 to ORDERED_MAX_THREADS threads */
static int
parse_jobs(const char *s, unsigned *jobs)
{
	char   *end;
	long    v = strtol(s, &end, 10);

	if (*s == 0 || *end != 0 || v < 1 || v > ORDERED_MAX_THREADS) {
		fprintf(stderr, "dsnmilter: -P %s: want a number from 1 to %d\n",
			s, ORDERED_MAX_THREADS);
		return (-1);
	}
	*jobs = (unsigned) v;
	return (0);
}

static int
parse(int argc, char **argv, options *o)
{
	int     ch;

	memset(o, 0, sizeof(*o));
	while ((ch = getopt(argc, argv, "a:c:d:fhjP:p:r:tVx:")) != -1) {
		switch (ch) {
		case 'a': o->addr = optarg; break;
		case 'c': o->config = optarg; break;
		case 'd': o->diag = optarg; break;
		case 'f': o->foreground = 1; break;
		case 'p': o->socket = optarg; break;
		case 'P':
			if (parse_jobs(optarg, &o->jobs) < 0)
				return (-1);
			break;
		case 'r': case 'x': o->arg = optarg; /* FALLTHROUGH */
		case 'h': case 'j': case 't': case 'V':
			if (o->mode != 0 && o->mode != ch)
				return (-1);
			o->mode = ch;
			break;
		default:
			return (-1);
		}
	}
	return (0);
}

int
main(int argc, char **argv)
{
	options o;

	patterns_image_use(&patterns_builtin_image);	/* for lazy sets */
	if (parse(argc, argv, &o) < 0) {
		usage(stderr);
		return (EX_USAGE_);
	}
	argc -= optind;
	argv += optind;
	if ((argc > 0 && o.mode != 'j') || (o.mode == 'j' && argc == 0)) {
		usage(stderr);
		return (EX_USAGE_);
	}
	switch (o.mode) {
	case 'h': usage(stdout); return (EX_OK_);
	case 'V': return (mode_version());
	case 't': return (mode_test(&o));
	case 'j': return (mode_json(&o, argc, argv));
	case 'r': return (mode_rewrite(&o));
	case 'x': return (mode_explain(&o));
	default: return (mode_milter(&o));
	}
}
