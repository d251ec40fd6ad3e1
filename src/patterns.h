/*
 * NAME
 *	patterns - diagnostic-text rules (PCRE2) that name a bounce reason
 * SYNOPSIS
 *	#include "patterns.h"
 *	pattern_set *patterns_new(void);
 *	int    patterns_parse(pattern_set *s, const char *name,
 *	                      const char *text, size_t len, buf *err);
 *	int    patterns_load_file(pattern_set *s, const char *path, buf *err);
 *	const pattern_rule *patterns_match(const pattern_set *s,
 *	                      const char *text, size_t len, unsigned cmd);
 *	size_t patterns_rank(const pattern_set *s, const char *reason);
 *	size_t patterns_count(const pattern_set *s);
 *	unsigned patterns_command(const char *text, size_t len);
 *	void   patterns_free(pattern_set *s);
 * DESCRIPTION
 *	A pattern set is an ordered list of rules, one per line of a rules
 *	file (etc/patterns.conf; syntax in dsnmilter-patterns(5)):
 *
 *	    /REGEX/  REASON  [owner=OWNER] [status=CODE] [cmd=[!]CMD,...]
 *
 *	REGEX is a PCRE2 pattern, matched case-insensitively against the
 *	diagnostic text; "\/" stands for a slash.  REASON and OWNER are
 *	words of the vocabularies in classify.h; CODE an RFC 3463 code used
 *	when the bounce carries none; cmd= limits the rule to the SMTP
 *	command the remote server rejected (rcpt, mail, data, conn, ehlo,
 *	none; "!" negates the list).
 *
 *	patterns_parse() appends the rules of text[0..len) to s, compiling
 *	each regex once (with JIT when available).  Every problem is
 *	appended to err as "NAME:LINE: problem"; the return value is the
 *	number of problems (0: all rules added), or -1 for lack of memory.
 *	Rules with problems are skipped.  patterns_load_file() does the same
 *	for a file; a file that cannot be read is one problem.
 *
 *	patterns_match() returns the first rule, in order, whose regex
 *	matches text[0..len) and whose cmd= accepts cmd (a PAT_CMD_* value),
 *	or NULL.  Only the first PATTERNS_MAX_SUBJECT bytes are looked at,
 *	every match runs under a match limit, and a literal prefilter skips
 *	rules whose required words do not occur in the text.  A set is
 *	read-only once loaded: threads may match against it concurrently.
 *	patterns_rank() returns the position of the first rule with that
 *	reason (the reason's priority), or (size_t) -1 when none names it.
 *	patterns_command() finds the SMTP command a diagnostic or transcript
 *	mentions ("after RCPT TO", ">>> DATA", "in reply to MAIL FROM
 *	command", ...) and returns its PAT_CMD_* value (PAT_CMD_NONE when
 *	none is named).
 */
#ifndef DSN_PATTERNS_H
#define DSN_PATTERNS_H

#include <stddef.h>

#include "buf.h"
#include "status.h"

#define PATTERNS_MAX_SUBJECT	8192	/* bytes of diagnostic matched */

#define PAT_CMD_NONE	0x01		/* the command is not known */
#define PAT_CMD_CONN	0x02		/* greeting / initial connection */
#define PAT_CMD_EHLO	0x04		/* HELO or EHLO */
#define PAT_CMD_MAIL	0x08
#define PAT_CMD_RCPT	0x10
#define PAT_CMD_DATA	0x20		/* DATA or end of data */
#define PAT_CMD_ALL	0x3f

typedef struct pattern_set pattern_set;

typedef struct pattern_rule {
	const char *reason;		/* vocabulary word, static */
	const char *owner;		/* vocabulary word or NULL */
	char    status[STATUS_MAX];	/* "" when none */
	unsigned cmds;			/* PAT_CMD_* accepted */
	size_t  index;			/* position in the set */
	int     line;			/* line in its file */
} pattern_rule;

pattern_set *patterns_new(void);
int     patterns_parse(pattern_set *s, const char *name, const char *text,
		       size_t len, buf *err);
int     patterns_load_file(pattern_set *s, const char *path, buf *err);
const pattern_rule *patterns_match(const pattern_set *s, const char *text,
				   size_t len, unsigned cmd);
size_t  patterns_rank(const pattern_set *s, const char *reason);
size_t  patterns_count(const pattern_set *s);
unsigned patterns_command(const char *text, size_t len);
void    patterns_free(pattern_set *s);

#endif
