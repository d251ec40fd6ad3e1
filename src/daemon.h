/*
 * NAME
 *	daemon - process set-up: privileges, background, pid file
 * SYNOPSIS
 *	#include "daemon.h"
 *	int    daemon_drop(const char *user, const char *group, buf *err);
 *	int    daemon_detach(buf *err);
 *	int    daemon_pidfile(const char *path, buf *err);
 * DESCRIPTION
 *	daemon_drop() switches to user (and group, or the user's primary
 *	group when group is empty) when running as root, with supplementary
 *	groups set from the group database; a non-root process is left as it
 *	is.  daemon_detach() forks into the background, starts a new session
 *	and points standard input and output at /dev/null.
 *	daemon_pidfile() writes the process ID to path ("" = none).  All
 *	return 0, or -1 with the reason appended to err.
 */
#ifndef DSN_DAEMON_H
#define DSN_DAEMON_H

#include "buf.h"

int     daemon_drop(const char *user, const char *group, buf *err);
int     daemon_detach(buf *err);
int     daemon_pidfile(const char *path, buf *err);

#endif
