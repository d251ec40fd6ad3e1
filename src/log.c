/*
 * NAME
 *	log - syslog, and stderr in the foreground
 * DESCRIPTION
 *	See log.h.  The settings are written once at start-up, before any
 *	milter thread exists, and only read afterwards.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "log.h"
#include "logline.h"

static int log_syslog;
static int log_tty = 1;
static int log_level = LOG_INFO;

void
log_open(const char *ident, int facility, int level, int tty)
{
	openlog(ident, LOG_PID | LOG_NDELAY, facility);
	log_syslog = 1;
	log_tty = tty;
	log_level = level;
}

void
log_msg(int prio, const char *fmt, ...)
{
	char    line[2048];
	va_list ap;
	size_t  n;

	if (prio > log_level)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	n = strlen(line);
	while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
		line[--n] = 0;
	logline_printable(line);
	if (log_syslog)
		syslog(prio, "%s", line);
	if (log_tty)
		fprintf(stderr, "dsnmilter: %s\n", line);
}
