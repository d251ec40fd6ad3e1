/*
 * NAME
 *	mime - MIME structure of a message, over the original bytes
 * SYNOPSIS
 *	#include "mime.h"
 *	int    mime_parse(const char *msg, size_t len, const mime_limits *lim,
 *	                  mime_part **root);
 *	void   mime_free(mime_part *root);
 *	const mime_part *mime_find(const mime_part *root, const char *ctype,
 *	                  int into_messages);
 *	int    mime_decode(const mime_part *p, const char *msg, buf *out);
 *
 *	size_t mime_header_end(const char *p, size_t n, size_t *body_off);
 *	int    mime_header_next(const char *hdr, size_t len, mime_hiter *it);
 *	int    mime_field_next(const char *hdr, size_t len, mime_hiter *it,
 *	                  size_t *blank);
 *	char  *mime_header(const char *hdr, size_t len, const char *name,
 *	                  size_t idx);
 *	char  *mime_part_header(const mime_part *p, const char *msg,
 *	                  const char *name, size_t idx);
 *	int    mime_part_next(const mime_part *p, const char *msg,
 *	                  mime_hiter *it);
 *	char  *mime_unfold(const char *raw, size_t len);
 *	size_t mime_unfold_to(const char *raw, size_t len, char *dst);
 *	char  *mime_ctype(const char *value);
 *	char  *mime_param(const char *value, const char *name);
 *	int    mime_decode_qp(const char *p, size_t n, buf *out);
 *	int    mime_decode_b64(const char *p, size_t n, buf *out);
 * DESCRIPTION
 *	mime_parse() builds a tree of parts whose offsets point into msg; it
 *	never copies bodies.  Line endings may be LF, CR LF or lone CR, even
 *	mixed.  Malformed input never fails the parse: it gets a defined
 *	result instead:
 *	- no blank line after the headers: everything is header, body empty;
 *	- a multipart without boundary parameter or whose boundary never
 *	  occurs: a leaf (its body is left as it is);
 *	- a missing closing delimiter: the last part runs to the end of its
 *	  parent and has truncated = 1;
 *	- deeper than lim->max_depth: a leaf;
 *	- more than lim->max_parts parts in the whole tree: the parse stops
 *	  adding parts, the tree's root has limited = 1;
 *	- header lines longer than lim->max_line are still parsed (offsets
 *	  are exact), but values taken from them are cut at max_line bytes.
 *	A message/rfc822 (or message/global) part whose depth allows gets
 *	one kid: the enclosed message, parsed like a top-level message.
 *	text/rfc822-headers parts are leaves.
 *	Returns MIME_OK, or MIME_NOMEM when memory ran out (*root NULL).
 *	All of the tree's memory (parts, kid lists, field indexes, strings)
 *	belongs to the root: mime_free() releases it at once, and takes
 *	the root only (NULL is allowed).
 *
 *	mime_find() returns the first part, in document order, whose
 *	ctype equals ctype; enclosed messages are searched only when
 *	into_messages is non-zero.  NULL when absent.
 *
 *	mime_decode() appends p's body to out, undoing base64 or
 *	quoted-printable transfer encoding (other encodings are copied).
 *	Broken encodings decode as much as they can; never fails but for
 *	memory (-1).
 *
 *	mime_header_end() returns the length of the header block of p[0..n)
 *	(up to, excluding, the empty line) and sets *body_off to the offset
 *	just past the empty line (n when there is none).
 *	mime_header_next() iterates the header fields of a header block: set
 *	it->pos = 0 first; each call fills name/name_len and the raw value
 *	(raw/raw_len: after the colon, folding kept, final line break
 *	dropped) and returns 1, or 0 at the end.  White space may stand
 *	between the name and the colon (obsolete syntax, still a field);
 *	lines whose name holds a space or that have no colon are skipped
 *	(mbox "From " lines among them).
 *	mime_field_next() is mime_header_next() over text that goes on
 *	after the header block: at the empty line that ends the block it
 *	returns 0 with *blank set to the line's offset and it->pos past it
 *	(the body's offset); when the text ends first, *blank is not set.
 *	mime_header() returns the unfolded value of the idx-th (0-based)
 *	field with that name (case-insensitive), or NULL.
 *	mime_part_header() is mime_header() over p's header block, from the
 *	field index that mime_parse() made (p->fields: the fields that
 *	mime_header_next() returns, in order, offsets into msg), so that the
 *	block is not read again.  The index holds at most MIME_FIELDS_MAX
 *	fields; a part with more has fields_partial set, and
 *	mime_part_header() then reads its header block as mime_header() does.
 *	mime_part_next() is mime_header_next() over p's header block, from
 *	the field index the same way (it->pos counts fields there; it is
 *	not an offset, but 0 before the first call all the same).
 *	mime_unfold() joins folded lines with one space and trims.
 *	mime_unfold_to() writes the same string to dst, which must hold len
 *	+ 1 bytes (no allocation), and returns its length.
 *	mime_ctype() returns the lowercased "type/subtype" of a Content-Type
 *	value, without parameters or comments; NULL when malformed.
 *	mime_param() returns the value of a parameter: quoted strings
 *	unquoted, comments skipped, RFC 2231 continuations (name*0, name*1*)
 *	joined and percent-decoded (the charset label is dropped; bytes are
 *	returned as they are).  NULL when absent.
 *	The strings returned are the caller's to free.
 */
#ifndef DSN_MIME_H
#define DSN_MIME_H

#include <stddef.h>

#include "buf.h"

#define MIME_OK		0
#define MIME_NOMEM	(-1)

typedef struct mime_limits {
	size_t  max_depth;		/* nesting levels, root is 0 */
	size_t  max_parts;		/* parts in the whole tree */
	size_t  max_line;		/* bytes of a header value kept */
} mime_limits;

#define MIME_LIMITS_DEFAULT { 16, 1000, 64 * 1024 }
#define MIME_FIELDS_MAX	1000		/* header fields indexed per part */

struct mime_chunk;

typedef struct mime_field {
	size_t  name_off, name_len;	/* field name, into the message */
	size_t  raw_off, raw_len;	/* raw value (mime_header_next()) */
} mime_field;

typedef struct mime_part {
	size_t  off, len;		/* whole part: headers + body */
	size_t  hdr_off, hdr_len;	/* header block, no empty line */
	size_t  body_off, body_len;	/* body, excluding the line break
					 * before the next delimiter */
	char   *ctype;			/* lowercased type/subtype */
	char   *boundary;		/* multipart: boundary, else NULL */
	char   *cte;			/* lowercased transfer encoding/NULL */
	char   *charset;		/* lowercased charset param or NULL */
	mime_field *fields;		/* the header fields, in order */
	size_t  nfields;
	int     fields_partial;		/* more than MIME_FIELDS_MAX fields */
	int     depth;
	int     truncated;		/* closing delimiter was missing */
	int     limited;		/* root only: max_parts was reached */
	struct mime_part *parent;
	struct mime_part **kids;
	size_t  nkids;
	struct mime_chunk *chunks;	/* root only: the tree's memory */
} mime_part;

typedef struct mime_hiter {
	size_t  pos;			/* set to 0 before the first call */
	const char *name;
	size_t  name_len;
	const char *raw;
	size_t  raw_len;
} mime_hiter;

int     mime_parse(const char *msg, size_t len, const mime_limits *lim,
		   mime_part **root);
void    mime_free(mime_part *root);
const mime_part *mime_find(const mime_part *root, const char *ctype,
			   int into_messages);
int     mime_decode(const mime_part *p, const char *msg, buf *out);

size_t  mime_header_end(const char *p, size_t n, size_t *body_off);
int     mime_header_next(const char *hdr, size_t len, mime_hiter *it);
int     mime_field_next(const char *hdr, size_t len, mime_hiter *it,
			size_t *blank);
char   *mime_header(const char *hdr, size_t len, const char *name,
		    size_t idx);
char   *mime_part_header(const mime_part *p, const char *msg,
			 const char *name, size_t idx);
int     mime_part_next(const mime_part *p, const char *msg,
		       mime_hiter *it);
char   *mime_unfold(const char *raw, size_t len);
size_t  mime_unfold_to(const char *raw, size_t len, char *dst);
char   *mime_ctype(const char *value);
char   *mime_param(const char *value, const char *name);
int     mime_decode_qp(const char *p, size_t n, buf *out);
int     mime_decode_b64(const char *p, size_t n, buf *out);

#endif
