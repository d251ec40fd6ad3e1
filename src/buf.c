/*
 * NAME
 *	buf - growable byte string
 * DESCRIPTION
 *	See buf.h.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "buf.h"

void
buf_init(buf *b)
{
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
	b->failed = 0;
}

/*
 * buf_reserve - room grows by doubling from a first block of BUF_FIRST
 * bytes: most buffers (a decoded body, a notice, a JSON line) then never
 * grow again or only a few times, and the block is still small to
 * malloc() (glibc's per-thread cache takes blocks up to 1 KiB)
 */
#define BUF_FIRST	1000

int
buf_reserve(buf *b, size_t n)
{
	size_t  need, cap;
	char   *p;

	if (n > BUF_MAX - b->len - 1) {
		b->failed = 1;
		return (-1);
	}
	need = b->len + n + 1;
	if (need <= b->cap)
		return (0);
	cap = b->cap ? b->cap : BUF_FIRST;
	while (cap < need)
		cap = cap > BUF_MAX / 2 ? BUF_MAX : cap * 2;
	if ((p = realloc(b->data, cap)) == NULL) {
		b->failed = 1;
		return (-1);
	}
	b->data = p;
	b->cap = cap;
	return (0);
}

int
buf_add(buf *b, const void *p, size_t n)
{
	/* cap > len whenever data exists: the usual add needs no growth */
	if (n >= b->cap - b->len && buf_reserve(b, n) < 0)
		return (-1);
	if (n > 0)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = 0;
	return (0);
}

int
buf_puts(buf *b, const char *s)
{
	return (buf_add(b, s, strlen(s)));
}

int
buf_putc(buf *b, int c)
{
	char    ch = (char) c;

	if (b->len + 1 < b->cap) {		/* room for it and the NUL */
		b->data[b->len++] = ch;
		b->data[b->len] = 0;
		return (0);
	}
	return (buf_add(b, &ch, 1));
}

int
buf_printf(buf *b, const char *fmt, ...)
{
	va_list ap;
	int     n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0) {
		b->failed = 1;
		return (-1);
	}
	if (buf_reserve(b, (size_t) n) < 0)
		return (-1);
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, (size_t) n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t) n;
	return (0);
}

char *
buf_detach(buf *b)
{
	char   *p;

	if (b->data == NULL && buf_reserve(b, 0) < 0)
		return (NULL);
	p = b->data;
	b->data[b->len] = 0;
	buf_init(b);
	return (p);
}

void
buf_reset(buf *b)
{
	b->len = 0;
	b->failed = 0;
	if (b->data)
		b->data[0] = 0;
}

void
buf_free(buf *b)
{
	free(b->data);
	buf_init(b);
}

/*
 * buf_read_fd - a regular file is read in one read(2) of its size plus
 * one byte: fewer bytes than asked means its end, so no second call is
 * needed to see it.  Other files are read 64 KiB at a time to EOF.
 */
int
buf_read_fd(buf *b, int fd, size_t max)
{
	struct stat st;
	size_t  want = 65536, start = b->len;
	ssize_t n;
	int     reg = fstat(fd, &st) == 0 && S_ISREG(st.st_mode);

	if (reg && st.st_size >= 0 && (unsigned long long) st.st_size < max)
		want = (size_t) st.st_size + 1;
	for (;;) {
		if (buf_reserve(b, want) < 0) {
			errno = ENOMEM;
			return (-1);
		}
		if ((n = read(fd, b->data + b->len, want)) < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return (-1);
		b->len += (size_t) n;
		b->data[b->len] = 0;
		if (b->len - start > max) {
			errno = EFBIG;
			return (-1);
		}
		if (n == 0 || (reg && (size_t) n < want))
			return (0);
		want = 65536;
	}
}
