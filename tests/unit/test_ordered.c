/*
 * NAME
 *	test_ordered - unit tests for ordered.c
 * DESCRIPTION
 *	Jobs that finish out of order (later jobs faster) are still written
 *	in order, on one thread and on several, with more jobs than the
 *	window holds; failed jobs are counted and their output kept; no
 *	job runs twice; zero jobs write nothing.
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
#include <time.h>

#include "ordered.h"

struct jobs {
	size_t  n;
	int    *runs;			/* times each job ran */
	pthread_mutex_t mu;
};

/* job - "i\n"; early jobs sleep longer, every seventh fails */
static int
job(size_t i, buf *out, void *arg)
{
	struct jobs *j = arg;
	struct timespec ts = {0, (long) ((j->n - i) % 5) * 200000L};

	nanosleep(&ts, NULL);
	pthread_mutex_lock(&j->mu);
	j->runs[i]++;
	pthread_mutex_unlock(&j->mu);
	buf_printf(out, "%zu\n", i);
	return (i % 7 == 3 ? -1 : 0);
}

/* run_jobs - n jobs on threads threads; checks order, runs and errors */
static void
run_jobs(size_t n, unsigned threads)
{
	struct jobs j;
	char   *text = NULL, *p;
	size_t  len = 0, i;
	FILE   *fp = open_memstream(&text, &len);
	int     bad, want = 0;

	assert_non_null(fp);
	j.n = n;
	j.runs = calloc(n + 1, sizeof(int));
	assert_non_null(j.runs);
	pthread_mutex_init(&j.mu, NULL);
	bad = ordered_run(n, threads, job, &j, fp);
	fclose(fp);
	p = text;
	for (i = 0; i < n; i++) {
		assert_int_equal(strtoul(p, &p, 10), i);
		assert_int_equal(*p++, '\n');
		assert_int_equal(j.runs[i], 1);
		want += i % 7 == 3;
	}
	assert_int_equal(*p, 0);
	assert_int_equal(bad, want);
	pthread_mutex_destroy(&j.mu);
	free(j.runs);
	free(text);
}

static void
run__one_thread_writes_in_order(void **state)
{
	(void) state;
	run_jobs(20, 1);
}

static void
run__threads_write_in_order_past_the_window(void **state)
{
	(void) state;
	run_jobs(3 * ORDERED_WINDOW + 5, 2);
	run_jobs(3 * ORDERED_WINDOW + 5, 4);
	run_jobs(ORDERED_WINDOW, ORDERED_MAX_THREADS + 3);
}

static void
run__zero_and_one_job(void **state)
{
	(void) state;
	run_jobs(0, 4);
	run_jobs(1, 4);
}

static void
threads__bounded_by_jobs_and_limit(void **state)
{
	(void) state;
	assert_int_equal(ordered_threads(1), 1);
	assert_int_equal(ordered_threads(0), 1);
	assert_true(ordered_threads(1000) >= 1);
	assert_true(ordered_threads(1000) <= ORDERED_MAX_THREADS);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(run__one_thread_writes_in_order),
		cmocka_unit_test(run__threads_write_in_order_past_the_window),
		cmocka_unit_test(run__zero_and_one_job),
		cmocka_unit_test(threads__bounded_by_jobs_and_limit),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
