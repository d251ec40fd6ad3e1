/*
 * NAME
 *	ordered - run numbered jobs on several threads, output in order
 * SYNOPSIS
 *	#include "ordered.h"
 *	typedef int (*ordered_fn)(size_t i, buf *out, void *arg);
 *	int    ordered_run(size_t n, unsigned threads, ordered_fn fn,
 *	                   void *arg, FILE *fp);
 *	unsigned ordered_threads(size_t n);
 * DESCRIPTION
 *	ordered_run() calls fn(i, out, arg) for i = 0 .. n-1 on up to
 *	threads threads (the calling one among them) and writes each job's out to fp in the order
 *	of i, as soon as the jobs before it are written.  Workers stay at
 *	most ORDERED_WINDOW jobs ahead of the writer, so memory stays
 *	bounded however many jobs there are.  fn must be safe to run on
 *	several threads at once.  threads <= 1, or a thread that cannot be
 *	started, runs the jobs on the calling thread (one thread is always
 *	enough).  Returns the number of jobs whose fn returned < 0 (their
 *	out is still written).
 *
 *	ordered_threads() is the number of threads worth starting for n
 *	jobs: the online CPUs, at most ORDERED_MAX_THREADS and at most n.
 */
#ifndef DSN_ORDERED_H
#define DSN_ORDERED_H

#include <stddef.h>
#include <stdio.h>

#include "buf.h"

#define ORDERED_WINDOW		64
#define ORDERED_MAX_THREADS	8

typedef int (*ordered_fn) (size_t i, buf *out, void *arg);

int     ordered_run(size_t n, unsigned threads, ordered_fn fn, void *arg,
		    FILE *fp);
unsigned ordered_threads(size_t n);

#endif
