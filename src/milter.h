/*
 * NAME
 *	milter - the libmilter glue (the only file that includes mfapi.h)
 * SYNOPSIS
 *	#include "milter.h"
 *	int    milter_run(engine *e);
 *	const char *milter_libversion(char *buf, size_t len);
 * DESCRIPTION
 *	milter_run() registers the callbacks, opens e->cfg.socket and serves
 *	until libmilter stops (SIGTERM, SIGHUP, SIGINT).  It takes
 *	ownership of e.  SIGUSR1 reloads the file e was loaded from: the new
 *	snapshot
 *	replaces the old one only when it loads without error; messages in
 *	flight finish with the snapshot they started with.  Returns the
 *	exit status for main().
 *	The callbacks only collect bounded data; at end of message they call
 *	engine_process() and map its result to smfi_* calls.  Any error
 *	leaves the message unchanged (fail open).
 *	milter_libversion() formats the libmilter run-time version.
 */
#ifndef DSN_MILTER_H
#define DSN_MILTER_H

#include <stddef.h>

#include "engine.h"

int     milter_run(engine *e);
const char *milter_libversion(char *buf, size_t len);

#endif
