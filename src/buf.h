/*
 * NAME
 *	buf - growable byte string
 * SYNOPSIS
 *	#include "buf.h"
 *	void buf_init(buf *b);
 *	int  buf_add(buf *b, const void *p, size_t n);
 *	int  buf_reserve(buf *b, size_t n);
 *	int  buf_read_fd(buf *b, int fd, size_t max);
 *	int  buf_puts(buf *b, const char *s);
 *	int  buf_putc(buf *b, int c);
 *	int  buf_printf(buf *b, const char *fmt, ...);
 *	char *buf_detach(buf *b);
 *	void buf_reset(buf *b);
 *	void buf_free(buf *b);
 * DESCRIPTION
 *	A buf holds b->len bytes at b->data, always followed by a NUL byte
 *	(when data is not NULL), so text can be used as a C string.  Growth is
 *	checked for overflow in one place.  Functions that add return 0 on
 *	success and -1 when memory runs out or the buffer would exceed
 *	BUF_MAX; the buffer is then left as it was and b->failed is set, so a
 *	caller may add many times and check once.
 *	buf_reserve() makes room for n more bytes (and the NUL) at
 *	b->data + b->len, for a caller that writes there itself and then
 *	adds to b->len (keeping b->data[b->len] a NUL).
 *	buf_read_fd() appends what fd holds, to its end, to b: 0, or -1 with
 *	errno set (EFBIG when it holds more than max bytes, ENOMEM, or the
 *	error of read(2)); b keeps what was read before the error.
 *	buf_detach() hands the data to the caller (never NULL: an empty
 *	string when nothing was added, NULL only when out of memory).
 */
#ifndef DSN_BUF_H
#define DSN_BUF_H

#include <stddef.h>

#define BUF_MAX ((size_t)1 << 30)

typedef struct buf {
	char   *data;
	size_t  len;
	size_t  cap;
	int     failed;
} buf;

void  buf_init(buf *b);
int   buf_add(buf *b, const void *p, size_t n);
int   buf_reserve(buf *b, size_t n);
int   buf_read_fd(buf *b, int fd, size_t max);
int   buf_puts(buf *b, const char *s);
int   buf_putc(buf *b, int c);
int   buf_printf(buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
char *buf_detach(buf *b);
void  buf_reset(buf *b);
void  buf_free(buf *b);

#endif
