/*
 * NAME
 *	daemon - process set-up: privileges, background, pid file
 * DESCRIPTION
 *	See daemon.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "daemon.h"

int
daemon_drop(const char *user, const char *group, buf *err)
{
	struct passwd *pw;
	struct group *gr;
	gid_t   gid;

	if (geteuid() != 0)
		return (0);
	if ((pw = getpwnam(user)) == NULL) {
		buf_printf(err, "user \"%s\" does not exist (config key user)\n",
			   user);
		return (-1);
	}
	gid = pw->pw_gid;
	if (group != NULL && *group) {
		if ((gr = getgrnam(group)) == NULL) {
			buf_printf(err, "group \"%s\" does not exist (config key "
				   "group)\n", group);
			return (-1);
		}
		gid = gr->gr_gid;
	}
	if (initgroups(pw->pw_name, gid) < 0 || setgid(gid) < 0
	    || setuid(pw->pw_uid) < 0) {
		buf_printf(err, "cannot switch to user %s: %s\n", user,
			   strerror(errno));
		return (-1);
	}
	if (pw->pw_uid != 0 && setuid(0) == 0) {
		buf_puts(err, "privileges could be regained after dropping\n");
		return (-1);
	}
	return (0);
}

int
daemon_detach(buf *err)
{
	pid_t   pid;
	int     fd;

	if ((pid = fork()) < 0) {
		buf_printf(err, "fork: %s\n", strerror(errno));
		return (-1);
	}
	if (pid > 0)
		_exit(0);
	if (setsid() < 0 || chdir("/") < 0) {
		buf_printf(err, "setsid/chdir: %s\n", strerror(errno));
		return (-1);
	}
	if ((fd = open("/dev/null", O_RDWR)) >= 0) {
		dup2(fd, 0);
		dup2(fd, 1);
		dup2(fd, 2);
		if (fd > 2)
			close(fd);
	}
	return (0);
}

int
daemon_pidfile(const char *path, buf *err)
{
	FILE   *fp;

	if (path == NULL || *path == 0)
		return (0);
	if ((fp = fopen(path, "w")) == NULL) {
		buf_printf(err, "%s: %s\n", path, strerror(errno));
		return (-1);
	}
	fprintf(fp, "%ld\n", (long) getpid());
	if (fclose(fp) != 0) {
		buf_printf(err, "%s: %s\n", path, strerror(errno));
		return (-1);
	}
	return (0);
}
