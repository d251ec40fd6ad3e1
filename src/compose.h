/*
 * NAME
 *	compose - the new body of an annotated bounce
 * SYNOPSIS
 *	#include "compose.h"
 *	int    compose_body(const char *msg, size_t len, const mime_part *root,
 *	                    const dsn_report *r, const compose_opts *o,
 *	                    compose_result *out);
 *	void   compose_result_free(compose_result *res);
 * DESCRIPTION
 *	compose_body() builds the body (everything after the top-level
 *	header block's empty line) of bounce msg[0..len), whose MIME tree
 *	is root and whose report is r, with the explanation of render.h in
 *	a multipart/alternative of text/plain and text/html (both UTF-8,
 *	quoted-printable), and the original notice text appended to both.
 *
 *	A multipart/report (RFC 6522) keeps its preamble, boundary,
 *	report-type and parts 2..n byte for byte: only part 1 (the
 *	human-readable notice) is replaced by the alternative.  When part 1
 *	is not text (a report without a notice), the alternative is put in
 *	front of it instead, and every original part stays.  content_type
 *	and cte stay NULL.
 *
 *	Anything else, when o->rewrite_plain: the body becomes
 *	multipart/mixed, part 1 the alternative, part 2 the original body
 *	byte for byte under the original Content-Type and
 *	Content-Transfer-Encoding fields (text/plain when there is none).
 *	out->content_type and out->cte give the new top-level values
 *	(cte "7bit", or "8bit"/"binary" when the original body needs it) and
 *	need_mime_version is 1.  Without o->rewrite_plain the result is
 *	empty (body NULL): no change.
 *
 *	Boundaries are "=_dsnmilter_alt_N" and "=_dsnmilter_mix_N" with the
 *	smallest N that occurs nowhere in msg and does not start with the
 *	enclosing boundary ("_=dsnmilter_..." when it does); "=_" and "_="
 *	never occur in the quoted-printable text of the new parts.
 *	Every generated line ends in o->eol (CR LF when NULL); the generated
 *	parts are 7-bit, no line is longer than 78 bytes, and no line starts
 *	with "--" (a leading '-' is encoded), so no text can pose as a
 *	delimiter.  The returned message's details and hops come from
 *	origmsg_extract(), at most o->max_hops hops (0: COMPOSE_MAX_HOPS).
 * DIAGNOSTICS
 *	compose_body() returns 0, or -1 when memory runs out, the templates
 *	are missing or no fresh boundary was found (out is then empty): the
 *	caller leaves the body alone.
 */
#ifndef DSN_COMPOSE_H
#define DSN_COMPOSE_H

#include <stddef.h>

#include "dsn.h"
#include "mime.h"
#include "render.h"

#define COMPOSE_MAX_HOPS	30

typedef struct compose_opts {
	render_opts render;
	const char *eol;		/* "\r\n" in the milter */
	int     rewrite_plain;		/* bounces without multipart/report */
	size_t  max_hops;		/* hops shown; 0: COMPOSE_MAX_HOPS */
} compose_opts;

typedef struct compose_result {
	char   *body;			/* NULL: leave the body alone */
	size_t  body_len;
	char   *content_type;		/* new top-level value, or NULL */
	char   *cte;			/* new top-level value, or NULL */
	int     need_mime_version;
} compose_result;

int     compose_body(const char *msg, size_t len, const mime_part *root,
		     const dsn_report *r, const compose_opts *o,
		     compose_result *out);
void    compose_result_free(compose_result *res);

#endif
