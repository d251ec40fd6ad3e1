/*
 * NAME
 *	ordered - run numbered jobs on several threads, output in order
 * DESCRIPTION
 *	See ordered.h.  Job i writes into slot i % ORDERED_WINDOW; a worker
 *	takes job i only once job i - ORDERED_WINDOW is written, so a slot
 *	is never shared.  The calling thread is one of the workers, and the
 *	worker that finishes the job next in line writes it and every
 *	finished job after it, under the lock: nobody waits to write.  One
 *	mutex guards the counters, the slot states and fp; the jobs run
 *	unlocked.  A worker sleeps only when the window is full.
 */
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

#include "ordered.h"

#define W ORDERED_WINDOW

typedef struct run {
	pthread_mutex_t mu;
	pthread_cond_t cv;		/* the window moved */
	size_t  n, next, written;
	buf     out[W];
	int     state[W];		/* 0 pending, 1 done, -1 done with error */
	int     bad;
	ordered_fn fn;
	void   *arg;
	FILE   *fp;
} run;

/* put - write out and empty it */
static void
put(buf *out, FILE *fp)
{
	if (out->len > 0)
		fwrite(out->data, 1, out->len, fp);
	buf_reset(out);
}

/* take - the next job to run, or n when none is left (lock held) */
static size_t
take(run *r)
{
	while (r->next < r->n && r->next >= r->written + W)
		pthread_cond_wait(&r->cv, &r->mu);
	return (r->next < r->n ? r->next++ : r->n);
}

/* finish - job i is done; write what is in line (lock held) */
static void
finish(run *r, size_t i, int k)
{
	size_t  w0 = r->written;

	r->state[i % W] = k;
	while (r->written < r->n && r->state[r->written % W] != 0) {
		put(r->out + r->written % W, r->fp);
		r->bad += r->state[r->written % W] < 0;
		r->state[r->written % W] = 0;
		r->written++;
	}
	if (r->written != w0)
		pthread_cond_broadcast(&r->cv);
}

static void *
worker(void *arg)
{
	run    *r = arg;
	size_t  i;
	int     k;

	pthread_mutex_lock(&r->mu);
	while ((i = take(r)) < r->n) {
		pthread_mutex_unlock(&r->mu);
		k = r->fn(i, r->out + i % W, r->arg) < 0 ? -1 : 1;
		pthread_mutex_lock(&r->mu);
		finish(r, i, k);
	}
	pthread_mutex_unlock(&r->mu);
	return (NULL);
}

/* run_here - every job on the calling thread */
static int
run_here(size_t n, ordered_fn fn, void *arg, FILE *fp)
{
	buf     out;
	size_t  i;
	int     bad = 0;

	buf_init(&out);
	for (i = 0; i < n; i++) {
		bad += fn(i, &out, arg) < 0;
		put(&out, fp);
	}
	buf_free(&out);
	return (bad);
}

int
ordered_run(size_t n, unsigned threads, ordered_fn fn, void *arg, FILE *fp)
{
	pthread_t tid[ORDERED_MAX_THREADS];
	run    *r;
	unsigned t, started = 0;
	int     bad;

	if (threads > ORDERED_MAX_THREADS)
		threads = ORDERED_MAX_THREADS;
	if (threads <= 1 || n <= 1 || (r = calloc(1, sizeof(*r))) == NULL)
		return (run_here(n, fn, arg, fp));
	pthread_mutex_init(&r->mu, NULL);
	pthread_cond_init(&r->cv, NULL);
	r->n = n;
	r->fn = fn;
	r->arg = arg;
	r->fp = fp;
	for (t = 0; t < W; t++)
		buf_init(r->out + t);
	/* the calling thread is the last worker */
	for (t = 0; t + 1 < threads; t++)
		if (pthread_create(tid + started, NULL, worker, r) == 0)
			started++;
	worker(r);
	for (t = 0; t < started; t++)
		pthread_join(tid[t], NULL);
	bad = r->bad;
	for (t = 0; t < W; t++)
		buf_free(r->out + t);
	pthread_cond_destroy(&r->cv);
	pthread_mutex_destroy(&r->mu);
	free(r);
	return (bad);
}

unsigned
ordered_threads(size_t n)
{
	long    cpus = sysconf(_SC_NPROCESSORS_ONLN);
	unsigned t = cpus > 0 ? (unsigned) cpus : 1;

	if (t > ORDERED_MAX_THREADS)
		t = ORDERED_MAX_THREADS;
	if ((size_t) t > n)
		t = (unsigned) n;
	return (t ? t : 1);
}
