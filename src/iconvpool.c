/*
 * NAME
 *	iconvpool - reuse of iconv conversion descriptors across calls
 * DESCRIPTION
 *	See iconvpool.h.  A small array under one mutex: a lookup compares
 *	at most ICONV_POOL_MAX names, far less than one iconv_open().
 */
#include <pthread.h>
#include <string.h>

#include "iconvpool.h"

typedef struct slot {
	char    name[ICONV_POOL_NAME + 1];
	iconv_t cd;
} slot;

static pthread_mutex_t pool_lock = PTHREAD_MUTEX_INITIALIZER;
static slot pool[ICONV_POOL_MAX];
static size_t pool_len;

/* take - remove and return the pooled descriptor for from, or -1 */
static iconv_t
take(const char *from)
{
	iconv_t cd = (iconv_t) - 1;
	size_t  i;

	pthread_mutex_lock(&pool_lock);
	for (i = 0; i < pool_len; i++) {
		if (strcmp(pool[i].name, from) == 0) {
			cd = pool[i].cd;
			pool[i] = pool[--pool_len];
			break;
		}
	}
	pthread_mutex_unlock(&pool_lock);
	return (cd);
}

iconv_t
iconv_pool_get(const char *from)
{
	iconv_t cd;

	if (strlen(from) <= ICONV_POOL_NAME
	    && (cd = take(from)) != (iconv_t) - 1) {
		(void) iconv(cd, NULL, NULL, NULL, NULL);	/* initial state */
		return (cd);
	}
	return (iconv_open("UTF-8", from));
}

void
iconv_pool_put(const char *from, iconv_t cd)
{
	size_t  n = strlen(from);

	if (cd == (iconv_t) - 1)
		return;
	if (n <= ICONV_POOL_NAME) {
		pthread_mutex_lock(&pool_lock);
		if (pool_len < ICONV_POOL_MAX) {
			memcpy(pool[pool_len].name, from, n + 1);
			pool[pool_len++].cd = cd;
			cd = (iconv_t) - 1;
		}
		pthread_mutex_unlock(&pool_lock);
	}
	if (cd != (iconv_t) - 1)
		iconv_close(cd);
}

void
iconv_pool_free(void)
{
	pthread_mutex_lock(&pool_lock);
	while (pool_len > 0)
		iconv_close(pool[--pool_len].cd);
	pthread_mutex_unlock(&pool_lock);
}
