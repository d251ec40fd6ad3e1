/*
 * NAME
 *	stub_compose - compose_body() and compose_result_free() for unit
 *	tests that never rewrite a body
 * SYNOPSIS
 *	link instead of compose.c (test_annotate with
 *	o.compose.render.templates = NULL)
 * DESCRIPTION
 *	annotate.c calls compose_body() only when templates are loaded;
 *	the tests that link this file load none, so compose_body() here
 *	fails (-1, result empty) to make any unexpected call visible.
 *	The real compose.c replaces this file in the library build.
 */
#include <string.h>

#include "compose.h"

int
compose_body(const char *msg, size_t len, const mime_part *root,
	     const dsn_report *r, const compose_opts *o, compose_result *out)
{
	(void) msg;
	(void) len;
	(void) root;
	(void) r;
	(void) o;
	memset(out, 0, sizeof(*out));
	return (-1);
}

void
compose_result_free(compose_result *res)
{
	if (res != NULL)
		memset(res, 0, sizeof(*res));
}
