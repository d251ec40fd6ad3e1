/*
 * NAME
 *	dsn - the bounce model, and RFC 3464 field parsing
 * SYNOPSIS
 *	#include "dsn.h"
 *	void   dsn_report_init(dsn_report *r);
 *	void   dsn_report_free(dsn_report *r);
 *	dsn_rcpt *dsn_rcpt_new(dsn_report *r, size_t max_rcpt);
 *	int    dsn_report_append(dsn_report *dst, dsn_report *src,
 *	                          size_t max_rcpt);
 *	int    dsn_parse_fields(const char *p, size_t n, dsn_report *r,
 *	                        size_t max_rcpt);
 *	const dsn_rcpt *dsn_significant(const dsn_report *r);
 *	char  *dsn_field_value(const char *raw, size_t n);
 * DESCRIPTION
 *	A dsn_report is what dsnmilter knows about one bounce: its kind, the
 *	per-message fields, and one dsn_rcpt per recipient in report order.
 *	String members are NULL when unknown (printed as "") and otherwise
 *	NUL-terminated, unfolded, without CR, LF or NUL.  reason and owner
 *	point to static vocabulary strings (classify.h), never freed.
 *
 *	dsn_rcpt_new() appends an empty recipient; past max_rcpt it counts
 *	the recipient in r->rcpt_dropped and returns NULL.
 *	dsn_report_append() moves the recipients of src behind those of dst
 *	(past max_rcpt they count as dropped) and frees src; it returns 0,
 *	or -1 when memory ran out (src is freed all the same).
 *	dsn_parse_fields() parses the body of a message/delivery-status (or
 *	message/global-delivery-status) part: the per-message group, then
 *	one group per recipient; fields in any case, folded, with type
 *	prefixes ("rfc822;", "dns;", "smtp;") and comments.  It fills the
 *	address fields without the type prefix, the diagnostic with it.  A
 *	group without Final- or Original-Recipient after another continues
 *	it (a stray empty line inside a recipient's group): it fills the
 *	fields that group lacks and is no recipient of its own.  It
 *	returns the number of recipient groups seen, or -1 for lack of memory.
 *	dsn_significant() returns the recipient that decides the summary
 *	headers: the first failed, else the first delayed, else the first
 *	one; NULL when there are none.
 *	dsn_field_value() strips a "type;" prefix and a trailing comment
 *	from an address-type field, keeps only the address of a value
 *	that ends in "<address>" (with or without a display name before
 *	it), and returns a new string.
 */
#ifndef DSN_DSN_H
#define DSN_DSN_H

#include <stddef.h>

typedef enum dsn_kind {
	DSN_KIND_NONE = 0,		/* not a bounce */
	DSN_KIND_DSN,			/* RFC 3464 report */
	DSN_KIND_PLAIN,			/* bounce without delivery-status */
	DSN_KIND_ARF			/* RFC 5965 feedback report */
} dsn_kind;

typedef struct dsn_rcpt {
	char   *recipient;		/* Final-Recipient, no type prefix */
	char   *original_recipient;
	char   *action;			/* lowercased */
	char   *status;			/* "5.1.1" */
	char   *reply_code;		/* "550" */
	char   *remote_mta;
	char   *diagnostic;		/* "smtp; 550 5.1.1 ..." */
	char   *last_attempt;
	char   *will_retry_until;
	char   *category;		/* X-PowerMTA-BounceCategory, lowercased */
	const char *reason;		/* vocabulary word, static */
	const char *owner;		/* sender|sender-admin|recipient|none */
} dsn_rcpt;

typedef struct dsn_report {
	dsn_kind kind;
	char   *reporting_mta;
	char   *arrival_date;
	char   *received_from_mta;
	char   *original_envelope_id;
	char   *feedback_type;		/* ARF only */
	dsn_rcpt *rcpt;
	size_t  nrcpt;
	size_t  rcpt_cap;
	size_t  rcpt_dropped;		/* recipients beyond max_rcpt */
} dsn_report;

const char *dsn_kind_name(dsn_kind kind);
void    dsn_report_init(dsn_report *r);
void    dsn_report_free(dsn_report *r);
dsn_rcpt *dsn_rcpt_new(dsn_report *r, size_t max_rcpt);
int     dsn_report_append(dsn_report *dst, dsn_report *src,
			  size_t max_rcpt);
int     dsn_parse_fields(const char *p, size_t n, dsn_report *r,
			 size_t max_rcpt);
const dsn_rcpt *dsn_significant(const dsn_report *r);
char   *dsn_field_value(const char *raw, size_t n);

#endif
