/*
 * NAME
 *	milter - the libmilter glue (the only file that includes mfapi.h)
 * DESCRIPTION
 *	See milter.h.  Per-connection state lives in a conn (smfi_setpriv),
 *	freed at close.  The engine snapshot is reference-counted: a
 *	message holds a reference from MAIL FROM to its end, so a reload
 *	never frees a snapshot in use.
 */
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <libmilter/mfapi.h>

#include "log.h"
#include "logline.h"
#include "milter.h"

#define CHUNK 65535			/* libmilter's largest body chunk */

typedef struct snap {
	engine *e;
	int     refs;
} snap;

typedef struct conn {
	int     trusted;		/* client in trusted_networks */
	int     active;			/* collecting a null-sender message */
	snap   *s;			/* held while active */
	buf     msg;			/* header + body as the MTA sent */
	size_t  max;			/* size cap */
} conn;

static pthread_mutex_t snap_lock = PTHREAD_MUTEX_INITIALIZER;
static snap *snap_current;
static const char *reload_path;

/* Counters for the periodic statistics line. */
static unsigned long stat_annotated, stat_skipped, stat_error;
static time_t stat_last;

static snap *
snap_get(void)
{
	snap   *s;

	pthread_mutex_lock(&snap_lock);
	if ((s = snap_current) != NULL)
		s->refs++;
	pthread_mutex_unlock(&snap_lock);
	return (s);
}

static void
snap_put(snap *s)
{
	int     last;

	if (s == NULL)
		return;
	pthread_mutex_lock(&snap_lock);
	last = (--s->refs == 0);
	pthread_mutex_unlock(&snap_lock);
	if (last) {
		engine_free(s->e);
		free(s);
	}
}

/* snap_install - make e current; drop the reference of the old one */
static int
snap_install(engine *e)
{
	snap   *s, *old;

	if ((s = calloc(1, sizeof(*s))) == NULL)
		return (-1);
	s->e = e;
	s->refs = 1;
	pthread_mutex_lock(&snap_lock);
	old = snap_current;
	snap_current = s;
	pthread_mutex_unlock(&snap_lock);
	snap_put(old);
	return (0);
}

/* count - one more message of this outcome; log the counters when due */
static void
count(unsigned long *counter, int interval)
{
	time_t  now = time(NULL);
	unsigned long a, s, e;
	int     due;

	pthread_mutex_lock(&snap_lock);
	(*counter)++;
	due = interval > 0 && now - stat_last >= interval;
	if (due)
		stat_last = now;
	a = stat_annotated, s = stat_skipped, e = stat_error;
	pthread_mutex_unlock(&snap_lock);
	if (due)
		log_msg(LOG_INFO, "statistics: annotated=%lu skipped=%lu error=%lu",
			a, s, e);
}

/* log_result - the one line per bounce */
static void
log_result(SMFICTX *ctx, const dsn_report *r, const char *action,
	   const char *why, int interval)
{
	buf     line;

	buf_init(&line);
	logline_format(&line, smfi_getsymval(ctx, "{i}"), r, action, why);
	log_msg(strcmp(action, "error") == 0 ? LOG_WARNING : LOG_INFO, "%s",
		line.data ? line.data : "out of memory");
	buf_free(&line);
	count(strcmp(action, "annotated") == 0 ? &stat_annotated :
	      strcmp(action, "skipped") == 0 ? &stat_skipped : &stat_error,
	      interval);
}

/* conn_end - forget the message in progress */
static void
conn_end(conn *c)
{
	snap_put(c->s);
	c->s = NULL;
	c->active = 0;
	buf_free(&c->msg);
}

static sfsistat
cb_connect(SMFICTX *ctx, char *host, _SOCK_ADDR *sa)
{
	conn   *c;
	snap   *s;

	(void) host;
	if ((c = calloc(1, sizeof(*c))) == NULL)
		return (SMFIS_ACCEPT);
	if ((s = snap_get()) != NULL) {
		c->trusted = netlist_match_sa(&s->e->cfg.trusted,
					      (const struct sockaddr *) sa);
		snap_put(s);
	}
	buf_init(&c->msg);
	smfi_setpriv(ctx, c);
	return (SMFIS_CONTINUE);
}

/* null_sender - "<>" over SMTP, "" for the MTA's own bounces */
static int
null_sender(const char *from)
{
	return (from == NULL || *from == 0 || strcmp(from, "<>") == 0);
}

static sfsistat
cb_envfrom(SMFICTX *ctx, char **argv)
{
	conn   *c = smfi_getpriv(ctx);

	if (c == NULL)
		return (SMFIS_ACCEPT);
	conn_end(c);
	if (!null_sender(argv ? argv[0] : NULL))
		return (SMFIS_ACCEPT);
	if ((c->s = snap_get()) == NULL)
		return (SMFIS_ACCEPT);
	c->max = (size_t) c->s->e->cfg.max_message_size;
	c->active = 1;
	return (SMFIS_CONTINUE);
}

/* collect - add bytes to the message, within the size cap */
static sfsistat
collect(SMFICTX *ctx, conn *c, const void *p, size_t n)
{
	int     interval;

	if (c->msg.len + n <= c->max && buf_add(&c->msg, p, n) == 0)
		return (SMFIS_CONTINUE);
	interval = c->s->e->cfg.stats_interval;
	log_result(ctx, NULL, "skipped", c->msg.failed ?
		   "out-of-memory" : "message-too-large",
		   interval);
	conn_end(c);
	return (SMFIS_ACCEPT);
}

static sfsistat
cb_header(SMFICTX *ctx, char *name, char *value)
{
	conn   *c = smfi_getpriv(ctx);
	sfsistat st;

	if (c == NULL || !c->active)
		return (SMFIS_ACCEPT);
	if ((st = collect(ctx, c, name, strlen(name))) != SMFIS_CONTINUE
	    || (st = collect(ctx, c, ": ", 2)) != SMFIS_CONTINUE
	    || (st = collect(ctx, c, value, strlen(value))) != SMFIS_CONTINUE)
		return (st);
	return (collect(ctx, c, "\r\n", 2));
}

static sfsistat
cb_eoh(SMFICTX *ctx)
{
	conn   *c = smfi_getpriv(ctx);

	if (c == NULL || !c->active)
		return (SMFIS_ACCEPT);
	return (collect(ctx, c, "\r\n", 2));
}

static sfsistat
cb_body(SMFICTX *ctx, unsigned char *p, size_t n)
{
	conn   *c = smfi_getpriv(ctx);

	if (c == NULL || !c->active)
		return (SMFIS_ACCEPT);
	return (collect(ctx, c, p, n));
}

/* apply_edits - the header changes, in order */
static int
apply_edits(SMFICTX *ctx, const annotation *a)
{
	size_t  i;
	int     r = MI_SUCCESS;

	for (i = 0; i < a->nedits && r == MI_SUCCESS; i++) {
		const hdr_edit *e = a->edits + i;

		if (e->op == HDR_ADD)
			r = smfi_addheader(ctx, e->name, e->value);
		else
			r = smfi_chgheader(ctx, e->name, (int) e->index,
					   e->op == HDR_DELETE ? NULL : e->value);
	}
	return (r == MI_SUCCESS ? 0 : -1);
}

/* apply_body - the new body, in chunks libmilter can carry */
static int
apply_body(SMFICTX *ctx, const annotation *a)
{
	size_t  off, k;

	for (off = 0; off < a->body_len; off += k) {
		k = a->body_len - off > CHUNK ? CHUNK : a->body_len - off;
		if (smfi_replacebody(ctx, (unsigned char *) a->body + off,
				     (int) k) != MI_SUCCESS)
			return (-1);
	}
	return (0);
}

static sfsistat
cb_eom(SMFICTX *ctx)
{
	conn   *c = smfi_getpriv(ctx);
	dsn_report r;
	annotation a;
	int     interval;

	if (c == NULL || !c->active)
		return (SMFIS_ACCEPT);
	interval = c->s->e->cfg.stats_interval;
	dsn_report_init(&r);
	if (engine_process(c->s->e, c->msg.data ? c->msg.data : "", c->msg.len,
			   c->trusted, "\r\n", &r, &a) < 0)
		log_result(ctx, &r, "error", a.why, interval);
	else if (apply_edits(ctx, &a) < 0	/* a skip may delete forgeries */
		 || (a.body != NULL && apply_body(ctx, &a) < 0))
		log_result(ctx, &r, "error", "mta-refused-change", interval);
	else
		log_result(ctx, &r, a.skip ? "skipped" : "annotated", a.why,
			   interval);
	annotation_free(&a);
	dsn_report_free(&r);
	conn_end(c);
	return (SMFIS_ACCEPT);
}

static sfsistat
cb_abort(SMFICTX *ctx)
{
	conn   *c = smfi_getpriv(ctx);

	if (c != NULL)
		conn_end(c);
	return (SMFIS_CONTINUE);
}

static sfsistat
cb_close(SMFICTX *ctx)
{
	conn   *c = smfi_getpriv(ctx);

	if (c != NULL) {
		conn_end(c);
		free(c);
		smfi_setpriv(ctx, NULL);
	}
	return (SMFIS_CONTINUE);
}

/* cb_negotiate - ask only for the steps the filter uses */
static sfsistat
cb_negotiate(SMFICTX *ctx, unsigned long f0, unsigned long f1,
	     unsigned long f2, unsigned long f3, unsigned long *pf0,
	     unsigned long *pf1, unsigned long *pf2, unsigned long *pf3)
{
	unsigned long want = SMFIF_ADDHDRS | SMFIF_CHGHDRS | SMFIF_CHGBODY;
	unsigned long skip = SMFIP_NOHELO | SMFIP_NORCPT | SMFIP_NOUNKNOWN
	    | SMFIP_NODATA;

	(void) ctx, (void) f2, (void) f3;
	if ((f0 & want) != want)		/* fail open: go on, log it */
		log_msg(LOG_WARNING, "the MTA does not let milters change "
			"headers and bodies: bounces pass unchanged");
	*pf0 = f0 & want;
	*pf1 = f1 & skip;
	*pf2 = 0;
	*pf3 = 0;
	return (SMFIS_CONTINUE);
}

static struct smfiDesc desc = {
	"dsnmilter",
	SMFI_VERSION,
	SMFIF_ADDHDRS | SMFIF_CHGHDRS | SMFIF_CHGBODY,
	cb_connect,
	NULL,				/* helo */
	cb_envfrom,
	NULL,				/* envrcpt */
	cb_header,
	cb_eoh,
	cb_body,
	cb_eom,
	cb_abort,
	cb_close,
	NULL,				/* unknown */
	NULL,				/* data */
	cb_negotiate
};

/* reload_thread - SIGUSR1: load the configuration again */
static void *
reload_thread(void *arg)
{
	sigset_t *set = arg;
	engine *e;
	buf     err;
	int     sig;

	for (;;) {
		if (sigwait(set, &sig) != 0 || sig != SIGUSR1)
			continue;
		buf_init(&err);
		if ((e = engine_load(reload_path, ENGINE_TEMPLATES, &err)) == NULL)
			log_msg(LOG_ERR, "reload failed, keeping the old "
				"configuration: %s", err.data ? err.data : "");
		else if (snap_install(e) < 0)
			engine_free(e);
		else
			log_msg(LOG_INFO, "configuration reloaded");
		buf_free(&err);
	}
	return (NULL);
}

/* start_reloader - block SIGUSR1 everywhere; one thread waits for it */
static int
start_reloader(void)
{
	static sigset_t set;
	pthread_t tid;

	sigset_t all;

	/*
	 * The reload thread must not catch libmilter's stop signals: a thread
	 * created now inherits this mask, and libmilter's own signal thread
	 * sigwait()s for SIGHUP, SIGTERM and SIGINT later.
	 */
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	all = set;
	sigaddset(&all, SIGHUP);
	sigaddset(&all, SIGTERM);
	sigaddset(&all, SIGINT);
	if (pthread_sigmask(SIG_BLOCK, &all, NULL) != 0
	    || pthread_create(&tid, NULL, reload_thread, &set) != 0)
		return (-1);
	pthread_detach(tid);
	return (0);
}

/*
 * set_nodelay - TCP_NODELAY on libmilter's listening socket, inherited by
 * accepted sockets on Linux: without it every modified message stalls on
 * Nagle plus delayed ACK.  libmilter does not expose the descriptor, so
 * look for the inet socket that listens.
 */
static void
set_nodelay(void)
{
	int     fd, on = 1, acc;
	socklen_t len;
	struct sockaddr_storage ss;

	for (fd = 0; fd < 1024; fd++) {
		len = sizeof(acc);
		if (getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &acc, &len) < 0
		    || !acc)
			continue;
		len = sizeof(ss);
		if (getsockname(fd, (struct sockaddr *) &ss, &len) == 0
		    && (ss.ss_family == AF_INET || ss.ss_family == AF_INET6))
			setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof(on));
	}
}

/* socket_mode - a unix socket is for the MTA's group too */
static void
socket_mode(const char *spec)
{
	const char *path = NULL;

	if (strncmp(spec, "unix:", 5) == 0)
		path = spec + 5;
	else if (strncmp(spec, "local:", 6) == 0)
		path = spec + 6;
	else if (spec[0] == '/')
		path = spec;
	if (path != NULL && chmod(path, 0660) < 0)
		log_msg(LOG_WARNING, "chmod %s: %s", path, strerror(errno));
}

int
milter_run(engine *e)
{
	const char *spec = e->cfg.socket;
	int     ret;

	/* absolute (config.c makes it so): the daemon did chdir("/") */
	if (e->cfg.path != NULL && (reload_path = strdup(e->cfg.path)) == NULL) {
		engine_free(e);
		return (71);
	}
	stat_last = time(NULL);
	if (smfi_setconn((char *) spec) != MI_SUCCESS
	    || smfi_settimeout(e->cfg.timeout) != MI_SUCCESS
	    || smfi_register(desc) != MI_SUCCESS) {
		log_msg(LOG_ERR, "cannot set up libmilter for %s", spec);
		engine_free(e);
		return (71);
	}
	if (smfi_opensocket(1) != MI_SUCCESS) {
		log_msg(LOG_ERR, "cannot open milter socket %s", spec);
		engine_free(e);
		return (71);
	}
	socket_mode(spec);
	set_nodelay();
	if (snap_install(e) < 0) {
		engine_free(e);
		log_msg(LOG_ERR, "cannot start: out of memory");
		return (71);
	}
	if (start_reloader() < 0) {
		log_msg(LOG_ERR, "cannot start the reload thread");
		return (71);
	}
	log_msg(LOG_INFO, "ready on %s", spec);
	ret = smfi_main() == MI_SUCCESS ? 0 : 70;
	log_msg(LOG_INFO, "stopping");
	return (ret);
}

const char *
milter_libversion(char *out, size_t len)
{
	unsigned int major = 0, minor = 0, patch = 0;

	smfi_version(&major, &minor, &patch);
	snprintf(out, len, "%u.%u.%u", major, minor, patch);
	return (out);
}
