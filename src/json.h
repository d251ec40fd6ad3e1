/*
 * NAME
 *	json - the one-line JSON form of a bounce (dsnmilter -j)
 * SYNOPSIS
 *	#include "json.h"
 *	int    json_report(buf *out, const char *file, int bounce,
 *	                   const dsn_report *r);
 *	int    json_string(buf *out, const char *s);
 * DESCRIPTION
 *	json_report() appends one JSON object and a newline to out, with the
 *	members and order of SPEC.md; unknown values are empty strings.
 *	json_string() appends s as a JSON string: quotes, backslashes and
 *	control characters escaped, invalid UTF-8 replaced by U+FFFD, so the
 *	output is always valid JSON.  NULL is written as "".  Both return 0,
 *	or -1 for lack of memory.
 */
#ifndef DSN_JSON_H
#define DSN_JSON_H

#include "buf.h"
#include "dsn.h"

int     json_report(buf *out, const char *file, int bounce,
		    const dsn_report *r);
int     json_string(buf *out, const char *s);

#endif
