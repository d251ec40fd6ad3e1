/*
 * NAME
 *	bench - in-process speed of the dsnmilter core
 * SYNOPSIS
 *	dsnbench [-c CONFIG] [-n PASSES] [-m full|parse|both] FILE...
 * DESCRIPTION
 *	Reads every FILE into memory once, loads the engine from CONFIG
 *	(with its templates, as the milter does), and times each message
 *	alone with CLOCK_MONOTONIC:
 *
 *	full	engine_process(): parse + classify + render + compose, with
 *		a trusted client and CRLF line endings, then
 *		dsn_report_free() and annotation_free();
 *	parse	bounce_analyze(): parse + classify, then dsn_report_free().
 *
 *	Each mode runs one untimed warm-up pass over all files, then PASSES
 *	timed passes (default 20).  For each mode one table row gives the
 *	messages timed, the total time, messages per second, the per-message
 *	p50, p99 and maximum latency in microseconds, and the peak resident
 *	size so far (getrusage ru_maxrss; it includes the corpus in memory).
 *	-m runs only one mode (for a profiler such as callgrind).
 * DIAGNOSTICS
 *	Exit status 0; 1 for a usage error, an unreadable file or a
 *	configuration that does not load; 2 when processing fails.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "annotate.h"
#include "bounce.h"
#include "buf.h"
#include "dsn.h"
#include "engine.h"

#define BENCH_FILE_MAX	((size_t) 64 << 20)	/* bytes per input file */
#define BENCH_PASS_MAX	100000

typedef struct corpus {
	buf    *msg;			/* one per file */
	size_t  n;
	size_t  bytes;
} corpus;

typedef enum bench_mode { MODE_FULL = 1, MODE_PARSE = 2 } bench_mode;

typedef struct stats {
	uint64_t *ns;			/* one latency per message timed */
	size_t  n;
	uint64_t total_ns;		/* wall time of all timed passes */
} stats;

/* now_ns - CLOCK_MONOTONIC in nanoseconds */
static uint64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((uint64_t) ts.tv_sec * 1000000000u + (uint64_t) ts.tv_nsec);
}

/* read_file - all of path into b, at most BENCH_FILE_MAX bytes */
static int
read_file(const char *path, buf *b)
{
	FILE   *fp;
	char    chunk[65536];
	size_t  n;
	int     ret = 0;

	if ((fp = fopen(path, "rb")) == NULL) {
		fprintf(stderr, "dsnbench: %s: %s\n", path, strerror(errno));
		return (-1);
	}
	while (ret == 0 && (n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		if (b->len + n > BENCH_FILE_MAX || buf_add(b, chunk, n) < 0)
			ret = -1;
	if (ret < 0 || ferror(fp)) {
		fprintf(stderr, "dsnbench: %s: %s\n", path, ret < 0 ?
			"too large or out of memory" : "read error");
		ret = -1;
	}
	fclose(fp);
	return (ret);
}

static void
corpus_free(corpus *c)
{
	size_t  i;

	for (i = 0; i < c->n; i++)
		buf_free(&c->msg[i]);
	free(c->msg);
	c->msg = NULL;
	c->n = 0;
}

/* corpus_load - every path into memory; -1 when one cannot be read */
static int
corpus_load(corpus *c, char **paths, size_t n)
{
	size_t  i;

	memset(c, 0, sizeof(*c));
	if ((c->msg = calloc(n, sizeof(*c->msg))) == NULL) {
		fprintf(stderr, "dsnbench: out of memory\n");
		return (-1);
	}
	for (i = 0; i < n; i++) {
		buf_init(&c->msg[i]);
		c->n = i + 1;
		if (read_file(paths[i], &c->msg[i]) < 0) {
			corpus_free(c);
			return (-1);
		}
		c->bytes += c->msg[i].len;
	}
	return (0);
}

/* run_one - process one message in the given mode; -1 on failure */
static int
run_one(const engine *e, bench_mode mode, const buf *m)
{
	const char *msg = m->data ? m->data : "";
	dsn_report r;
	annotation a;
	int     ret;

	dsn_report_init(&r);
	if (mode == MODE_PARSE) {
		ret = bounce_analyze(msg, m->len, &e->limits, e->classifier,
				     &r, NULL);
	} else {
		ret = engine_process(e, msg, m->len, 1, "\r\n", &r, &a);
		annotation_free(&a);
	}
	dsn_report_free(&r);
	return (ret);
}

/* run_pass - every message once; latencies into ns when not NULL */
static int
run_pass(const engine *e, bench_mode mode, const corpus *c, uint64_t *ns)
{
	uint64_t t0;
	size_t  i;

	for (i = 0; i < c->n; i++) {
		t0 = now_ns();
		if (run_one(e, mode, &c->msg[i]) < 0) {
			fprintf(stderr, "dsnbench: message %zu failed\n", i + 1);
			return (-1);
		}
		if (ns != NULL)
			ns[i] = now_ns() - t0;
	}
	return (0);
}

/* run_mode - warm-up pass, then passes timed passes into s */
static int
run_mode(const engine *e, bench_mode mode, const corpus *c, size_t passes,
	 stats *s)
{
	uint64_t t0;
	size_t  p;

	s->n = 0;
	if (run_pass(e, mode, c, NULL) < 0)
		return (-1);
	t0 = now_ns();
	for (p = 0; p < passes; p++) {
		if (run_pass(e, mode, c, s->ns + s->n) < 0)
			return (-1);
		s->n += c->n;
	}
	s->total_ns = now_ns() - t0;
	return (0);
}

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *) a, y = *(const uint64_t *) b;

	return (x < y ? -1 : x > y);
}

/* percentile_us - the q-th percentile (nearest rank) of sorted ns */
static double
percentile_us(const uint64_t *ns, size_t n, double q)
{
	size_t  rank;

	if (n == 0)
		return (0);
	rank = (size_t) (q / 100.0 * (double) n + 0.999999);
	if (rank < 1)
		rank = 1;
	if (rank > n)
		rank = n;
	return ((double) ns[rank - 1] / 1000.0);
}

static double
peak_rss_mib(void)
{
	struct rusage ru;

	if (getrusage(RUSAGE_SELF, &ru) < 0)
		return (0);
	return ((double) ru.ru_maxrss / 1024.0);	/* KiB on Linux */
}

static void
print_header(void)
{
	printf("  %-34s %7s %9s %10s %8s %8s %9s %9s\n", "in-process mode",
	       "msgs", "total s", "msgs/s", "p50 us", "p99 us", "max us",
	       "peak RSS");
}

/* print_row - one table row; sorts s->ns */
static void
print_row(const char *label, stats *s)
{
	double  secs = (double) s->total_ns / 1e9;

	qsort(s->ns, s->n, sizeof(*s->ns), cmp_u64);
	printf("  %-34s %7zu %9.4f %10.0f %8.1f %8.1f %9.1f %5.1f MiB\n",
	       label, s->n, secs, secs > 0 ? (double) s->n / secs : 0,
	       percentile_us(s->ns, s->n, 50), percentile_us(s->ns, s->n, 99),
	       s->n ? (double) s->ns[s->n - 1] / 1000.0 : 0, peak_rss_mib());
	fflush(stdout);
}

/* bench - the selected modes over the corpus; returns the exit status */
static int
bench(const engine *e, const corpus *c, size_t passes, int modes)
{
	stats   s;
	int     ret = 0;

	s.ns = calloc(passes * c->n + 1, sizeof(*s.ns));
	if (s.ns == NULL) {
		fprintf(stderr, "dsnbench: out of memory\n");
		return (2);
	}
	print_header();
	if ((modes & MODE_FULL) != 0) {
		if (run_mode(e, MODE_FULL, c, passes, &s) < 0)
			ret = 2;
		else
			print_row("parse+classify+render+compose", &s);
	}
	if (ret == 0 && (modes & MODE_PARSE) != 0) {
		if (run_mode(e, MODE_PARSE, c, passes, &s) < 0)
			ret = 2;
		else
			print_row("parse+classify (bounce_analyze)", &s);
	}
	free(s.ns);
	return (ret);
}

/* parse_mode - "full", "parse" or "both" as a mode mask; 0 if unknown */
static int
parse_mode(const char *s)
{
	if (strcmp(s, "full") == 0)
		return (MODE_FULL);
	if (strcmp(s, "parse") == 0)
		return (MODE_PARSE);
	if (strcmp(s, "both") == 0)
		return (MODE_FULL | MODE_PARSE);
	return (0);
}

static int
usage(void)
{
	fprintf(stderr, "usage: dsnbench [-c CONFIG] [-n PASSES] "
		"[-m full|parse|both] FILE...\n");
	return (1);
}

/* load_engine - the engine with templates, or the errors on stderr */
static engine *
load_engine(const char *config)
{
	engine *e;
	buf     err;

	buf_init(&err);
	if ((e = engine_load(config, 1, &err)) == NULL)
		fprintf(stderr, "%s", err.data ? err.data : "out of memory\n");
	buf_free(&err);
	return (e);
}

int
main(int argc, char **argv)
{
	const char *config = NULL;
	long    passes = 20;
	int     ch, modes = MODE_FULL | MODE_PARSE, ret = 1;
	engine *e = NULL;
	corpus  c = { NULL, 0, 0 };

	while ((ch = getopt(argc, argv, "c:m:n:")) != -1) {
		switch (ch) {
		case 'c': config = optarg; break;
		case 'm': modes = parse_mode(optarg); break;
		case 'n': passes = strtol(optarg, NULL, 10); break;
		default: return (usage());
		}
	}
	if (optind >= argc || modes == 0 || passes < 1
	    || passes > BENCH_PASS_MAX)
		return (usage());
	if (corpus_load(&c, argv + optind, (size_t) (argc - optind)) < 0)
		goto out;
	if ((e = load_engine(config)) == NULL)
		goto out;
	printf("  corpus: %zu files, %.2f MiB in memory; %ld timed passes "
	       "after 1 warm-up pass\n", c.n, (double) c.bytes / 1048576.0,
	       passes);
	ret = bench(e, &c, (size_t) passes, modes);
out:
	engine_free(e);
	corpus_free(&c);
	return (ret);
}
