/*
 * NAME
 *	test_buf - unit tests for buf.c
 * DESCRIPTION
 *	Growth across many reallocations, the NUL after the data, printf,
 *	detach of an empty and of a used buf, reset, and the BUF_MAX cap
 *	that fails without changing the buffer.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"

static void
add__grows_and_keeps_every_byte_with_a_nul_after(void **state)
{
	buf     b;
	size_t  i;
	char    c;

	(void) state;
	buf_init(&b);
	assert_null(b.data);
	for (i = 0; i < 100000; i++) {
		c = (char) ('a' + i % 26);
		assert_int_equal(buf_add(&b, &c, 1), 0);
	}
	assert_int_equal(b.len, 100000);
	assert_true(b.cap > b.len);
	assert_int_equal(b.data[b.len], 0);
	for (i = 0; i < b.len; i++)
		if (b.data[i] != (char) ('a' + i % 26))
			fail_msg("byte %zu differs", i);
	assert_int_equal(b.failed, 0);
	buf_free(&b);
	assert_null(b.data);
	assert_int_equal(b.len, 0);
}

static void
add__keeps_embedded_nul_bytes(void **state)
{
	buf     b;

	(void) state;
	buf_init(&b);
	assert_int_equal(buf_add(&b, "a\0b", 3), 0);
	assert_int_equal(buf_putc(&b, 0), 0);
	assert_int_equal(buf_puts(&b, "cd"), 0);
	assert_int_equal(b.len, 6);
	assert_memory_equal(b.data, "a\0b\0cd", 7);
	buf_free(&b);
}

static void
add__of_nothing_gives_an_empty_string(void **state)
{
	buf     b;

	(void) state;
	buf_init(&b);
	assert_int_equal(buf_add(&b, NULL, 0), 0);
	assert_non_null(b.data);
	assert_string_equal(b.data, "");
	buf_free(&b);
}

static void
printf__appends_formatted_text_of_any_length(void **state)
{
	buf     b;
	char    big[3000];

	(void) state;
	buf_init(&b);
	assert_int_equal(buf_printf(&b, "%s=%d;", "n", 42), 0);
	assert_int_equal(buf_printf(&b, "%05zu", (size_t) 7), 0);
	assert_string_equal(b.data, "n=42;00007");
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = 0;
	assert_int_equal(buf_printf(&b, "[%s]", big), 0);
	assert_int_equal(b.len, 10 + 2 + sizeof(big) - 1);
	assert_int_equal(b.data[b.len - 1], ']');
	assert_int_equal(b.data[b.len], 0);
	assert_int_equal(buf_printf(&b, "%s", ""), 0);
	assert_int_equal(b.len, 10 + 2 + sizeof(big) - 1);
	buf_free(&b);
}

static void
detach__of_an_empty_buf_is_an_empty_string(void **state)
{
	buf     b;
	char   *s;

	(void) state;
	buf_init(&b);
	s = buf_detach(&b);
	assert_non_null(s);
	assert_string_equal(s, "");
	assert_null(b.data);
	assert_int_equal(b.len, 0);
	free(s);
}

static void
detach__hands_over_the_data_and_resets_the_buf(void **state)
{
	buf     b;
	char   *s;

	(void) state;
	buf_init(&b);
	buf_puts(&b, "hello");
	s = buf_detach(&b);
	assert_string_equal(s, "hello");
	assert_null(b.data);
	assert_int_equal(b.len, 0);
	assert_int_equal(b.cap, 0);
	buf_puts(&b, "again");
	assert_string_equal(b.data, "again");
	assert_ptr_not_equal(b.data, s);
	free(s);
	buf_free(&b);
}

static void
reset__empties_but_keeps_the_memory(void **state)
{
	buf     b;
	char   *p;

	(void) state;
	buf_init(&b);
	buf_puts(&b, "abc");
	p = b.data;
	b.failed = 1;
	buf_reset(&b);
	assert_int_equal(b.len, 0);
	assert_int_equal(b.failed, 0);
	assert_ptr_equal(b.data, p);
	assert_string_equal(b.data, "");
	buf_reset(&b);
	buf_free(&b);
	buf_reset(&b);				/* on a freed buf: no crash */
	assert_null(b.data);
}

static void
add__past_buf_max_fails_and_leaves_the_buf_as_it_was(void **state)
{
	buf     b;
	static const char dummy[1];

	(void) state;
	buf_init(&b);
	buf_puts(&b, "keep");
	assert_int_equal(buf_add(&b, dummy, BUF_MAX), -1);
	assert_int_equal(b.failed, 1);
	assert_int_equal(b.len, 4);
	assert_string_equal(b.data, "keep");
	assert_int_equal(buf_add(&b, dummy, (size_t) -1), -1);
	assert_int_equal(b.len, 4);
	assert_int_equal(buf_add(&b, dummy, BUF_MAX - 4), -1);	/* + NUL */
	assert_int_equal(b.len, 4);
	buf_free(&b);
}

/* a regular file of 200000 bytes, after what b already held */
static void
read_fd__reads_a_whole_regular_file_after_what_is_there(void **state)
{
	FILE   *fp = tmpfile();
	buf     b;
	size_t  i;

	(void) state;
	assert_non_null(fp);
	for (i = 0; i < 200000; i++)
		fputc('a' + (int) (i % 26), fp);
	fflush(fp);
	rewind(fp);
	buf_init(&b);
	buf_puts(&b, "x");
	assert_int_equal(buf_read_fd(&b, fileno(fp), 200000), 0);
	assert_int_equal(b.len, 200001);
	assert_int_equal(b.data[1], 'a');
	assert_int_equal(b.data[200000], 'a' + (200000 - 1) % 26);
	assert_int_equal(b.data[b.len], 0);
	rewind(fp);
	buf_reset(&b);
	errno = 0;
	assert_int_equal(buf_read_fd(&b, fileno(fp), 199999), -1);
	assert_int_equal(errno, EFBIG);
	buf_free(&b);
	fclose(fp);
}

/* a pipe, which gives its bytes in pieces, is read to its end */
static void
read_fd__reads_a_pipe_to_its_end(void **state)
{
	int     fds[2];
	buf     b;

	(void) state;
	assert_int_equal(pipe(fds), 0);
	assert_int_equal(write(fds[1], "one ", 4), 4);
	assert_int_equal(write(fds[1], "two", 3), 3);
	close(fds[1]);
	buf_init(&b);
	assert_int_equal(buf_read_fd(&b, fds[0], 100), 0);
	assert_string_equal(b.data, "one two");
	close(fds[0]);
	buf_free(&b);
}

/*
 * Room grows by doubling from a first block: a byte at a time up to
 * 100000 bytes takes few distinct capacities (the growth is geometric
 * from the start), and every byte is kept.
 */
static void
reserve__grows_geometrically_and_keeps_the_bytes(void **state)
{
	buf     b;
	size_t  i, caps = 0, last = 0;

	(void) state;
	buf_init(&b);
	for (i = 0; i < 100000; i++) {
		assert_int_equal(buf_putc(&b, (int) ('a' + i % 26)), 0);
		if (b.cap != last) {
			assert_true(b.cap > b.len);
			assert_true(last == 0 || b.cap >= 2 * last);
			last = b.cap;
			caps++;
		}
	}
	assert_true(caps <= 12);
	for (i = 0; i < b.len; i++)
		assert_int_equal(b.data[i], 'a' + i % 26);
	assert_int_equal(b.data[b.len], 0);
	buf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(reserve__grows_geometrically_and_keeps_the_bytes),
		cmocka_unit_test(add__grows_and_keeps_every_byte_with_a_nul_after),
		cmocka_unit_test(add__keeps_embedded_nul_bytes),
		cmocka_unit_test(add__of_nothing_gives_an_empty_string),
		cmocka_unit_test(printf__appends_formatted_text_of_any_length),
		cmocka_unit_test(detach__of_an_empty_buf_is_an_empty_string),
		cmocka_unit_test(detach__hands_over_the_data_and_resets_the_buf),
		cmocka_unit_test(reset__empties_but_keeps_the_memory),
		cmocka_unit_test(add__past_buf_max_fails_and_leaves_the_buf_as_it_was),
		cmocka_unit_test(read_fd__reads_a_whole_regular_file_after_what_is_there),
		cmocka_unit_test(read_fd__reads_a_pipe_to_its_end),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
