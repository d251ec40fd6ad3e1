/*
 * NAME
 *	fuzz_annotate - libFuzzer harness for what the milter does
 * DESCRIPTION
 *	Loads the engine once (configuration DSN_FUZZ_CONF, default
 *	etc/dsnmilter.conf, with its templates), then gives every input to
 *	engine_process() as a bounce from a trusted client (analysis,
 *	explanation, new body) and applies the result as `dsnmilter -r`
 *	does.  Build: see tests/fuzz/README.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "engine.h"

int     LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static engine *
fuzz_engine(void)
{
	static engine *e;
	const char *conf = getenv("DSN_FUZZ_CONF");
	buf     err;

	if (e == NULL) {
		buf_init(&err);
		e = engine_load(conf ? conf : "etc/dsnmilter.conf",
				ENGINE_TEMPLATES | ENGINE_NOJIT, &err);
		if (e == NULL) {
			fprintf(stderr, "%s", err.data ? err.data : "");
			abort();
		}
		buf_free(&err);
	}
	return (e);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *msg = (const char *) data;
	dsn_report r;
	annotation a;
	buf     out;

	dsn_report_init(&r);
	buf_init(&out);
	if (engine_process(fuzz_engine(), msg, size, 1, "\r\n", &r, &a) == 0
	    && !a.skip)
		(void) annotation_apply(msg, size, &a, &out);
	annotation_free(&a);
	dsn_report_free(&r);
	buf_free(&out);
	return (0);
}
