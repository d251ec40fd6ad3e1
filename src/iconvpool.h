/*
 * NAME
 *	iconvpool - reuse of iconv conversion descriptors across calls
 * SYNOPSIS
 *	#include "iconvpool.h"
 *	iconv_t iconv_pool_get(const char *from);
 *	void    iconv_pool_put(const char *from, iconv_t cd);
 *	void    iconv_pool_free(void);
 * DESCRIPTION
 *	iconv_open() looks the charset up and loads its gconv module;
 *	iconv_close() unloads it again.  For a process that converts
 *	message after message this costs more than the conversion itself.
 *	The pool keeps descriptors that are not in use, up to
 *	ICONV_POOL_MAX of them, keyed by the source charset name (the
 *	target is always UTF-8).
 *
 *	iconv_pool_get() takes a descriptor converting from charset from to
 *	UTF-8 out of the pool, in its initial shift state, or opens a new
 *	one; (iconv_t) -1 when iconv does not know the charset.  The caller
 *	owns it alone until it gives it back with iconv_pool_put() (which
 *	closes it when the pool is full), so threads never share one.
 *	Names longer than ICONV_POOL_NAME bytes are opened and closed as
 *	before, never pooled.
 *
 *	iconv_pool_free() closes every pooled descriptor; the pool stays
 *	usable.  The programs do not call it at exit: what the pool holds
 *	then is still reachable, not leaked.  All three are thread-safe.
 */
#ifndef DSN_ICONVPOOL_H
#define DSN_ICONVPOOL_H

#include <iconv.h>

#define ICONV_POOL_MAX	16
#define ICONV_POOL_NAME	64

iconv_t iconv_pool_get(const char *from);
void    iconv_pool_put(const char *from, iconv_t cd);
void    iconv_pool_free(void);

#endif
