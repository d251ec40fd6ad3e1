/*
 * NAME
 *	engine - everything loaded from the configuration, as one snapshot
 * SYNOPSIS
 *	#include "engine.h"
 *	engine *engine_load(const char *path, int flags, buf *err);
 *	void   engine_free(engine *e);
 *	int    engine_process(const engine *e, const char *msg, size_t len,
 *	                      int trusted, const char *eol, dsn_report *r,
 *	                      annotation *a);
 * DESCRIPTION
 *	engine_load() loads the configuration file (NULL: the built-in
 *	default path, and built-in defaults when that file does not exist),
 *	then the templates (flags ENGINE_TEMPLATES) and the pattern rules
 *	(JIT-compiled unless flags has ENGINE_NOJIT: a one-shot run of a
 *	few hundred messages is faster without).
 *	This is the one load-and-validate path: dsnmilter -t, start-up and
 *	reload all call it.  On any problem it appends "FILE:LINE: problem"
 *	lines to err and returns NULL.
 *	An engine is immutable once loaded, so milter threads share it; the
 *	daemon counts references around it (milter.c).
 *
 *	engine_process() does for one message what the milter does at end
 *	of message: analyse the bounce into r (initialised by the caller)
 *	and decide the changes into a.  trusted says whether the client is
 *	in the trusted networks; eol is the line ending of generated lines.
 *	With templates loaded, a failed recipient's owner is that of the
 *	template that explains it (dsnmilter -j, without templates, shows
 *	the classifier's owner, from reason and pattern rules).
 *	Returns 0, or -1 with a->why set: the message must stay unchanged.
 */
#ifndef DSN_ENGINE_H
#define DSN_ENGINE_H

#include "annotate.h"
#include "bounce.h"
#include "buf.h"
#include "config.h"
#include "dsn.h"
#include "template.h"

typedef struct engine {
	dsn_config cfg;
	char   *hostid;			/* cfg.hostid or the host name */
	tmpl_set *templates;		/* NULL when not loaded */
	classifier *classifier;		/* pattern rules, NULL: built-in */
	bounce_limits limits;
} engine;

#define ENGINE_TEMPLATES	1	/* load the explanation templates */
#define ENGINE_NOJIT		2	/* no JIT for the pattern regexes */
#define ENGINE_LAZY		4	/* built-in regexes compiled on first use */

engine *engine_load(const char *path, int flags, buf *err);
void    engine_free(engine *e);
int     engine_process(const engine *e, const char *msg, size_t len,
			int trusted, const char *eol, dsn_report *r,
			annotation *a);

#endif
