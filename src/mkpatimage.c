/*
 * NAME
 *	mkpatimage - write the image of the built-in rule set as C
 * SYNOPSIS
 *	mkpatimage OUTPUT
 * DESCRIPTION
 *	Build tool (src/Makefile.am): parses patterns_builtin[] (the text
 *	of etc/patterns.conf) as a lazy set, the way dsnmilter -j would,
 *	compiles every regex (without JIT, as -j runs them), and writes
 *	patterns_image_emit()'s C source for it, as the object
 *	patterns_builtin_image, to OUTPUT (through OUTPUT.tmp, renamed when
 *	complete).  See patterns_image.h.
 * DIAGNOSTICS
 *	Exit status 0; 1 with a message when a rule does not parse, memory
 *	runs out or OUTPUT cannot be written.
 */
#include <stdio.h>
#include <stdlib.h>

#include "buf.h"
#include "patterns.h"
#include "patterns_image.h"

/* image - the C source of the built-in set's image into out; 0 or -1 */
static int
image(buf *out, buf *err)
{
	pattern_set *s;
	int     ret = -1;

	if ((s = patterns_new()) == NULL) {
		buf_puts(err, "out of memory\n");
		return (-1);
	}
	patterns_lazy(s);
	patterns_no_jit(s);
	if (patterns_parse(s, "(built-in patterns.conf)", patterns_builtin,
			   patterns_builtin_len, err) != 0
	    || patterns_compile_all(s, err) != 0)
		buf_puts(err, "the built-in rules do not parse\n");
	else if (patterns_image_emit(s, "patterns_builtin_image", out) < 0)
		buf_puts(err, "the built-in rules were not parsed lazily\n");
	else
		ret = 0;
	patterns_free(s);
	return (ret);
}

int
main(int argc, char **argv)
{
	buf     out, err, tmp;
	FILE   *fp;
	int     ok;

	if (argc != 2) {
		fprintf(stderr, "usage: mkpatimage OUTPUT\n");
		return (1);
	}
	buf_init(&out);
	buf_init(&err);
	buf_init(&tmp);
	if (image(&out, &err) < 0 || buf_printf(&tmp, "%s.tmp", argv[1]) < 0) {
		fprintf(stderr, "mkpatimage: %.*s", (int) err.len,
			err.data ? err.data : "out of memory\n");
		return (1);
	}
	ok = (fp = fopen(tmp.data, "w")) != NULL
		&& fwrite(out.data, 1, out.len, fp) == out.len;
	if (fp != NULL && fclose(fp) != 0)
		ok = 0;
	if (!ok || rename(tmp.data, argv[1]) != 0) {
		perror(tmp.data);
		(void) remove(tmp.data);
		return (1);
	}
	buf_free(&out);
	buf_free(&err);
	buf_free(&tmp);
	return (0);
}
