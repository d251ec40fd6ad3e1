/*
 * NAME
 *	log - syslog, and stderr in the foreground
 * SYNOPSIS
 *	#include "log.h"
 *	void   log_open(const char *ident, int facility, int level, int tty);
 *	void   log_msg(int prio, const char *fmt, ...);
 * DESCRIPTION
 *	log_open() opens syslog with the facility and the highest priority
 *	to log (LOG_ERR ... LOG_DEBUG); with tty, lines also go to stderr.
 *	Before log_open(), lines go to stderr only.  log_msg() formats a
 *	line, replaces every byte outside printable ASCII by '?', and logs
 *	it when prio is within the level.
 */
#ifndef DSN_LOG_H
#define DSN_LOG_H

#include <syslog.h>

void    log_open(const char *ident, int facility, int level, int tty);
void    log_msg(int prio, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
