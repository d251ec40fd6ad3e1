/*
 * NAME
 *	annotate - decide what to change in a bounce, and apply it
 * SYNOPSIS
 *	#include "annotate.h"
 *	int    annotate(const char *msg, size_t len, const dsn_report *r,
 *	                const mime_part *root, const annotate_opts *o,
 *	                annotation *a);
 *	int    annotation_apply(const char *msg, size_t len,
 *	                const annotation *a, buf *out);
 *	void   annotation_free(annotation *a);
 *	const char *annotate_eol(const char *msg, size_t len);
 * DESCRIPTION
 *	annotate() is the whole decision of the milter for one message that
 *	came with a null envelope sender, as pure code: whether to skip it
 *	(a->skip, with a->why; a skipped message still loses its forged
 *	X-DSN-* fields, so a->edits may hold deletions even then: apply
 *	them), which header changes to make (a->edits, in
 *	order: deletions of foreign X-DSN-* fields, highest index first per
 *	name, then changes, then additions), and the new body (a->body, NULL
 *	when the body stays).  Header values may contain "\n\t" folds.
 *	Returns 0, or -1 on an internal error (a->why says which); the
 *	caller then leaves the message unchanged.
 *
 *	Trust: a bounce from an untrusted client (o->trusted == 0) gets the
 *	headers plus X-DSN-Trust: external, and the body rewrite only with
 *	o->annotate_external.  An X-DSN-Annotated field naming o->hostid
 *	means "already done" only on a trusted bounce; from outside it is a
 *	forgery and is removed like any other X-DSN-* field.
 *
 *	annotation_apply() writes the message with the edits applied (what
 *	the MTA would deliver) to out, for dsnmilter -r; folds in header
 *	values become the message's own line ending (annotate_eol()).
 */
#ifndef DSN_ANNOTATE_H
#define DSN_ANNOTATE_H

#include <stddef.h>

#include "buf.h"
#include "compose.h"
#include "dsn.h"
#include "mime.h"

typedef struct annotate_opts {
	const char *hostid;
	int     trusted;
	int     annotate_external;
	int     annotate_delays;
	int     annotate_success;
	size_t  max_recipients;		/* X-DSN-Recipient fields */
	size_t  max_body;		/* larger new bodies are not used (0: any) */
	compose_opts compose;		/* body; compose.templates NULL: none */
} annotate_opts;

typedef enum hdr_op { HDR_DELETE, HDR_CHANGE, HDR_ADD } hdr_op;

typedef struct hdr_edit {
	hdr_op  op;
	char   *name;
	size_t  index;			/* 1-based among fields of that name */
	char   *value;			/* NULL for HDR_DELETE */
} hdr_edit;

typedef struct annotation {
	int     skip;			/* leave the message alone */
	const char *why;		/* reason for skip or error */
	hdr_edit *edits;
	size_t  nedits;
	size_t  cap;
	char   *body;			/* new body or NULL */
	size_t  body_len;
} annotation;

int     annotate(const char *msg, size_t len, const dsn_report *r,
		 const mime_part *root, const annotate_opts *o, annotation *a);
int     annotation_apply(const char *msg, size_t len, const annotation *a,
			 buf *out);
void    annotation_free(annotation *a);
const char *annotate_eol(const char *msg, size_t len);

#endif
