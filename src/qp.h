/*
 * NAME
 *	qp - quoted-printable encoding (RFC 2045) of UTF-8 text
 * SYNOPSIS
 *	#include "qp.h"
 *	int    qp_encode(const char *p, size_t n, const char *eol, buf *out);
 * DESCRIPTION
 *	qp_encode() appends p[0..n) to out in quoted-printable.  Line ends in
 *	the input (LF or CR LF) become eol; a lone CR is data and is encoded
 *	as =0D.  Printable ASCII other than '=' is copied; '=', every other
 *	byte, and a space or tab at the end of a line are encoded as =XX
 *	(upper-case hex).  Encoded lines are at most 76 characters, using
 *	soft line breaks ("=" eol); a break never splits an =XX triplet nor
 *	the triplets of one well-formed UTF-8 character.  A line starting
 *	with "From " gets its 'F' encoded, so mbox writers leave it alone.
 *	When the input does not end with a line end, neither does the
 *	output.  The output is 7-bit clean (given a 7-bit eol).
 * DIAGNOSTICS
 *	Returns 0, or -1 when memory runs out (out->failed is set).
 */
#ifndef DSN_QP_H
#define DSN_QP_H

#include <stddef.h>

#include "buf.h"

#define QP_LINE_MAX	76

int     qp_encode(const char *p, size_t n, const char *eol, buf *out);

#endif
