/*
 * NAME
 *	fuzz_mime - libFuzzer harness for mime.c
 * SYNOPSIS
 *	clang -fsanitize=fuzzer,address,undefined -Isrc tests/fuzz/fuzz_mime.c
 *	    src/mime.c src/buf.c src/text.c -o fuzz_mime
 *	./fuzz_mime -max_total_time=60 CORPUS_DIR...
 * DESCRIPTION
 *	Parses the input with small limits (so deep and wide trees are
 *	reached quickly), walks the tree, decodes every part, reads its
 *	parameters again, and frees it.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "mime.h"

int     LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* walk - decode every part below p; check offsets stay inside msg */
static void
walk(const mime_part *p, const char *msg, size_t len)
{
	buf     b;
	char   *hv;
	size_t  i;

	if (p->off + p->len > len || p->body_off + p->body_len != p->off + p->len)
		abort();
	buf_init(&b);
	(void) mime_decode(p, msg, &b);
	buf_free(&b);
	if ((hv = mime_header(msg + p->hdr_off, p->hdr_len, "content-type", 0))) {
		free(mime_ctype(hv));
		free(mime_param(hv, "boundary"));
		free(mime_param(hv, "name"));
		free(hv);
	}
	for (i = 0; i < p->nkids; i++)
		walk(p->kids[i], msg, len);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	mime_limits lim = {8, 200, 4096};
	const char *msg = (const char *) data;
	mime_part *root;

	if (mime_parse(msg, size, &lim, &root) != MIME_OK)
		return (0);
	walk(root, msg, size);
	(void) mime_find(root, "message/delivery-status", 1);
	mime_free(root);
	return (0);
}
