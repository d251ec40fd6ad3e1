/*
 * NAME
 *	fuzz_bounce - libFuzzer harness for the whole analysis path
 * DESCRIPTION
 *	Feeds one message to bounce_analyze() (MIME, DSN fields, plain-text
 *	bounces, feedback reports, classification with the built-in rules)
 *	and writes its JSON line; then the same input as an mbox file
 *	(bounce_analyze_mbox()), as `dsnmilter -j` reads it.  Build: see
 *	tests/fuzz/README.
 */
#include <stddef.h>
#include <stdint.h>

#include "bounce.h"
#include "json.h"

int     LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const bounce_limits lim = BOUNCE_LIMITS_DEFAULT;
	dsn_report r;
	mime_part *tree = NULL;
	buf     out;

	dsn_report_init(&r);
	buf_init(&out);
	if (bounce_analyze((const char *) data, size, &lim, NULL, &r, &tree) == 0)
		(void) json_report(&out, "fuzz", r.kind != DSN_KIND_NONE, &r);
	mime_free(tree);
	dsn_report_free(&r);
	dsn_report_init(&r);
	if (bounce_analyze_mbox((const char *) data, size, &lim, NULL, &r) == 0)
		(void) json_report(&out, "fuzz", r.kind != DSN_KIND_NONE, &r);
	dsn_report_free(&r);
	buf_free(&out);
	return (0);
}
