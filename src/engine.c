/*
 * NAME
 *	engine - everything loaded from the configuration, as one snapshot
 * DESCRIPTION
 *	See engine.h.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "engine.h"
#include "render.h"

/* host_id - the configured id, else the host name */
static char *
host_id(const char *configured)
{
	char    name[256];

	if (configured != NULL && *configured)
		return (strdup(configured));
	if (gethostname(name, sizeof(name)) < 0)
		return (strdup("localhost"));
	name[sizeof(name) - 1] = 0;
	return (strdup(name));
}

/* load_config - the file, or defaults when the default path is absent */
static int
load_config(const char *path, dsn_config *cfg, buf *err)
{
	config_defaults(cfg);
	if (path == NULL && access(DSN_CONFIG_DEFAULT, F_OK) != 0)
		return (0);
	return (config_load(path ? path : DSN_CONFIG_DEFAULT, cfg, err));
}

static void
set_limits(engine *e)
{
	e->limits.mime.max_depth = (size_t) e->cfg.max_mime_depth;
	e->limits.mime.max_parts = (size_t) e->cfg.max_mime_parts;
	e->limits.mime.max_line = 64 * 1024;
	e->limits.max_rcpt = 1000;
}

/* load_templates - the template set of the configured language */
static int
load_templates(engine *e, buf *err)
{
	e->templates = tmpl_load(e->cfg.template_dir, e->cfg.language, err);
	if (e->templates == NULL)
		return (-1);
	return (render_check_strings(e->templates, err));
}

/*
 * load_classifier - the pattern rules: patterns_file when it exists (a
 * whole rule set, normally a copy of the shipped etc/patterns.conf that the
 * admin extends), else the built-in copy of the shipped file.  A file that
 * exists but does not validate fails the load.
 */
static int
load_classifier(engine *e, int flags, buf *err)
{
	const char *path = e->cfg.patterns_file;

	if (path != NULL && *path && access(path, F_OK) != 0)
		path = NULL;
	e->classifier = classifier_load_flags(path,
			(flags & ENGINE_NOJIT ? 0 : CLASSIFY_JIT)
			| (flags & ENGINE_LAZY ? CLASSIFY_LAZY : 0), err);
	return (e->classifier == NULL ? -1 : 0);
}

engine *
engine_load(const char *path, int flags, buf *err)
{
	engine *e;

	if ((e = calloc(1, sizeof(*e))) == NULL) {
		buf_puts(err, "out of memory\n");
		return (NULL);
	}
	if (load_config(path, &e->cfg, err) < 0)
		goto fail;
	if ((e->hostid = host_id(e->cfg.hostid)) == NULL)
		goto fail;
	set_limits(e);
	if ((flags & ENGINE_TEMPLATES) && load_templates(e, err) < 0)
		goto fail;
	if (load_classifier(e, flags, err) < 0)
		goto fail;
	return (e);
fail:
	engine_free(e);
	return (NULL);
}

void
engine_free(engine *e)
{
	if (e == NULL)
		return;
	config_free(&e->cfg);
	tmpl_free(e->templates);
	classifier_free(e->classifier);
	free(e->hostid);
	free(e);
}

/* annotate_options - the annotate() options for one message */
static void
annotate_options(const engine *e, int trusted, const char *eol,
		 annotate_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->hostid = e->hostid;
	o->trusted = trusted;
	o->annotate_external = e->cfg.annotate_external;
	o->annotate_delays = e->cfg.annotate_delays;
	o->annotate_success = e->cfg.annotate_success;
	o->max_recipients = (size_t) e->cfg.max_recipients;
	o->max_body = (size_t) e->cfg.max_message_size;
	o->compose.render.templates = e->templates;
	o->compose.render.organization = e->cfg.organization;
	o->compose.render.helpdesk = e->cfg.helpdesk;
	o->compose.eol = eol;
	o->compose.rewrite_plain = e->cfg.rewrite_plain;
	o->compose.max_hops = 30;
}

/*
 * template_owners - the fix-it owner of a failed recipient is the owner of
 * the template that explains it, so headers, log and explanation agree and
 * an admin who edits a template's owner changes all three.  Delays and
 * successes keep "none".
 */
static void
template_owners(const engine *e, dsn_report *r)
{
	const tmpl *t;
	size_t  i;

	for (i = 0; e->templates != NULL && i < r->nrcpt; i++) {
		dsn_rcpt *p = r->rcpt + i;

		if (p->action != NULL && strcmp(p->action, "failed") != 0)
			continue;
		t = tmpl_select(e->templates, p->status, p->diagnostic, p->reason,
				NULL);
		if (t != NULL && t->owner != NULL)
			p->owner = t->owner;
	}
}

int
engine_process(const engine *e, const char *msg, size_t len, int trusted,
	       const char *eol, dsn_report *r, annotation *a)
{
	mime_part *root = NULL;
	annotate_opts o;
	int     ret;

	memset(a, 0, sizeof(*a));
	if (bounce_analyze(msg, len, &e->limits, e->classifier, r, &root) < 0) {
		a->why = "out-of-memory";
		return (-1);
	}
	template_owners(e, r);
	annotate_options(e, trusted, eol, &o);
	ret = annotate(msg, len, r, root, &o, a);
	mime_free(root);
	return (ret);
}
