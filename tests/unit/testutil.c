/*
 * NAME
 *	testutil - what several unit tests need
 * DESCRIPTION
 *	See testutil.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

char   *
test_top_path(const char *rel)
{
	buf     b;

	buf_init(&b);
#ifdef DSN_TOP_SRCDIR
	buf_printf(&b, "%s/%s", DSN_TOP_SRCDIR, rel);
#else
	{
		const char *slash = strrchr(__FILE__, '/');

		if (slash != NULL)
			buf_add(&b, __FILE__, (size_t) (slash - __FILE__ + 1));
		buf_printf(&b, "../../%s", rel);
	}
#endif
	return (b.failed ? NULL : buf_detach(&b));
}

int
test_read_file(const char *path, buf *b)
{
	FILE   *fp;
	char    chunk[8192];
	size_t  n;

	if ((fp = fopen(path, "rb")) == NULL)
		return (-1);
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		buf_add(b, chunk, n);
	fclose(fp);
	return (b->failed ? -1 : 0);
}

tmpl_set *
test_catalogue(void)
{
	const char *dir = getenv("CATALOGUE_DIR");
	char   *top = NULL;
	tmpl_set *set;
	buf     err;

	if (dir == NULL || *dir == 0)
		dir = top = test_top_path("etc/templates");
	buf_init(&err);
	if ((set = tmpl_load(dir, "en", &err)) == NULL)
		fprintf(stderr, "catalogue %s: %s\n", dir, err.data ? err.data : "");
	buf_free(&err);
	free(top);
	return (set);
}

tmpl_set *test_set;

int
test_catalogue_setup(void **state)
{
	(void) state;
	test_set = test_catalogue();
	return (test_set ? 0 : -1);
}

int
test_catalogue_teardown(void **state)
{
	(void) state;
	tmpl_free(test_set);
	test_set = NULL;
	return (0);
}

char   *
test_exact(const char *s, size_t n)
{
	char   *p = malloc(n ? n : 1);

	if (p == NULL)
		abort();
	memcpy(p, s, n);
	return (p);
}
