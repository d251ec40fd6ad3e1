/*
 * NAME
 *	status - RFC 3463 enhanced status codes and SMTP reply codes in text
 * SYNOPSIS
 *	#include "status.h"
 *	size_t status_valid(const char *s, size_t n);
 *	int    status_find(const char *text, size_t n, char *out);
 *	int    reply_find(const char *text, size_t n, char *out);
 *	int    status_is_generic(const char *code);
 * DESCRIPTION
 *	status_valid() returns the length of the RFC 3463 code that starts
 *	at s (class 2, 4 or 5, a dot, 1-3 digits, a dot, 1-3 digits), or 0.
 *	The code must not continue with a digit or with ".digit" (so IP
 *	addresses and version numbers are not codes).
 *	status_find() copies the first enhanced code in text that stands
 *	alone (not inside a longer token such as an IP address, a date or a
 *	queue id; "550-5.1.1" of a multi-line reply counts as alone) into out (STATUS_MAX bytes); it prefers a code that is not
 *	x.0.0 when both occur.  Returns 1 when found, else 0.
 *	reply_find() copies the first SMTP reply code of text into out
 *	(4 bytes): one of the codes SMTP defines (RFC 5321 and its
 *	extensions; "522" or "542" are vendor numbers), standing alone and
 *	followed by a space, '-', end of text or an enhanced code; it skips
 *	numbers inside longer tokens.  Returns 1 when found.
 *	status_is_generic() tells whether code is x.0.0 (or empty).
 */
#ifndef DSN_STATUS_H
#define DSN_STATUS_H

#include <stddef.h>

#define STATUS_MAX 12		/* "5.123.123" + NUL, rounded */

size_t  status_valid(const char *s, size_t n);
int     status_find(const char *text, size_t n, char *out);
int     reply_find(const char *text, size_t n, char *out);
int     status_is_generic(const char *code);

#endif
