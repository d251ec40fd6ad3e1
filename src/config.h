/*
 * NAME
 *	config - dsnmilter.conf: defaults, loading, validation
 * SYNOPSIS
 *	#include "config.h"
 *	void   config_defaults(dsn_config *c);
 *	int    config_load(const char *path, dsn_config *c, buf *err);
 *	void   config_free(dsn_config *c);
 * DESCRIPTION
 *	The configuration is libconfig syntax.  Every key is described in one
 *	declarative table in config.c (name, type, where it is stored, check);
 *	unknown keys, wrong types and values that fail their check are
 *	errors.  config_defaults() fills c with the built-in defaults, safe
 *	without editing.  config_load() applies the file on top of the
 *	defaults; it returns 0, or -1 after appending one line per problem
 *	to err, each "FILE:LINE: problem" (LINE as libconfig reports it,
 *	FILE the path given).  On failure c still holds a usable (default)
 *	configuration: the caller keeps what it had.
 *	Relative paths in the file (template_dir, patterns_file, ...) are
 *	resolved against the directory of the config file, so the in-tree
 *	etc/dsnmilter.conf works from a build tree.
 *	config_free() releases what config_load() and config_defaults()
 *	allocated.
 */
#ifndef DSN_CONFIG_H
#define DSN_CONFIG_H

#include <stddef.h>

#include "buf.h"
#include "netmatch.h"

#ifndef DSN_SYSCONFDIR
#define DSN_SYSCONFDIR "/etc"
#endif
#define DSN_CONFIG_DEFAULT DSN_SYSCONFDIR "/dsnmilter/dsnmilter.conf"

typedef struct dsn_config {
	char   *path;			/* file loaded, or NULL */
	char   *socket;			/* libmilter connection spec */
	char   *hostid;			/* X-DSN-Annotated id; "" = hostname */
	char   *syslog_facility;	/* "mail", "local0".."local7", ... */
	int     facility;		/* LOG_MAIL etc., from the name */
	char   *log_level;		/* error|warning|notice|info|debug */
	int     level;			/* LOG_ERR etc., from the name */
	char   *user;			/* run as, when started as root */
	char   *group;			/* "" = the user's primary group */
	char   *pid_file;		/* "" = none */
	long long max_message_size;	/* bytes buffered; larger passes */
	int     max_recipients;		/* X-DSN-Recipient headers */
	int     max_mime_depth;
	int     max_mime_parts;
	int     timeout;		/* libmilter I/O timeout, seconds */
	int     stats_interval;		/* counters to syslog, seconds; 0 off */
	int     annotate_delays;	/* Action: delayed reports */
	int     annotate_success;	/* delivered/relayed/expanded */
	int     annotate_external;	/* full rewrite for untrusted */
	int     rewrite_plain;		/* body of non-RFC 3464 bounces */
	netlist trusted;		/* trusted_networks (+ loopback) */
	char   *language;		/* template language, "en" */
	char   *template_dir;		/* absolute after loading */
	char   *patterns_file;		/* absolute after loading; "" none */
	char   *organization;		/* {organization} */
	char   *helpdesk;		/* {helpdesk} */
} dsn_config;

void    config_defaults(dsn_config *c);
int     config_load(const char *path, dsn_config *c, buf *err);
void    config_free(dsn_config *c);

#endif
