/*
 * NAME
 *	testutil - what several unit tests need
 * SYNOPSIS
 *	#include "testutil.h"
 *	char  *test_top_path(const char *rel);
 *	int    test_read_file(const char *path, buf *b);
 *	tmpl_set *test_catalogue(void);
 *	char  *test_exact(const char *s, size_t n);
 *	extern tmpl_set *test_set;
 *	int    test_catalogue_setup(void **state);
 *	int    test_catalogue_teardown(void **state);
 * DESCRIPTION
 *	test_top_path() returns TOP/rel as a new string: TOP is the source
 *	tree (DSN_TOP_SRCDIR from the build, else found from __FILE__).
 *	test_read_file() appends a whole file to b (0, or -1 when it cannot
 *	be read).  test_catalogue() loads the shipped English templates
 *	(CATALOGUE_DIR, default etc/templates of the source tree) and
 *	prints the loader's errors when that fails (NULL).
 *	test_catalogue_setup() and test_catalogue_teardown() are cmocka
 *	group fixtures that load it into test_set and free it.
 *	test_exact() returns a copy of s[0..n) in a heap block of exactly
 *	n bytes (no NUL after it), so that AddressSanitizer sees a read past
 *	the end; it aborts when memory runs out.
 */
#ifndef DSN_TESTUTIL_H
#define DSN_TESTUTIL_H

#include "buf.h"
#include "template.h"

char   *test_top_path(const char *rel);
int     test_read_file(const char *path, buf *b);
tmpl_set *test_catalogue(void);
char   *test_exact(const char *s, size_t n);

extern tmpl_set *test_set;
int     test_catalogue_setup(void **state);
int     test_catalogue_teardown(void **state);

#endif
