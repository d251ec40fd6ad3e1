/*
 * NAME
 *	status - RFC 3463 enhanced status codes and SMTP reply codes in text
 * DESCRIPTION
 *	See status.h.  Everything here is pure and bounded by the length
 *	given; no input is assumed to be NUL-terminated.
 */
#include <string.h>

#include "status.h"
#include "text.h"

#define DIGIT(c) ((c) >= '0' && (c) <= '9')
#define ALNUM(c) (DIGIT(c) || ((c) >= 'a' && (c) <= 'z') \
		  || ((c) >= 'A' && (c) <= 'Z'))

/* digits - count 1..max digits at s[i..n), 0 when none or too many */
static size_t
digits(const char *s, size_t n, size_t i, size_t max)
{
	size_t  k = 0;

	while (i + k < n && DIGIT(s[i + k]))
		k++;
	return (k >= 1 && k <= max ? k : 0);
}

size_t
status_valid(const char *s, size_t n)
{
	size_t  i, k;

	if (n < 5 || (s[0] != '2' && s[0] != '4' && s[0] != '5') || s[1] != '.')
		return (0);
	if ((k = digits(s, n, 2, 3)) == 0)
		return (0);
	i = 2 + k;
	if (i >= n || s[i] != '.')
		return (0);
	if ((k = digits(s, n, i + 1, 3)) == 0)
		return (0);
	i += 1 + k;
	if (i < n && (DIGIT(s[i]) || (s[i] == '.' && i + 1 < n
				      && DIGIT(s[i + 1]))))
		return (0);
	return (i);
}

/* after_reply - whether s[i] follows "NNN-", a multi-line SMTP reply */
static int
after_reply(const char *s, size_t i)
{
	return (i >= 4 && s[i - 1] == '-' && DIGIT(s[i - 2]) && DIGIT(s[i - 3])
		&& (s[i - 4] == '2' || s[i - 4] == '4' || s[i - 4] == '5')
		&& (i == 4 || !ALNUM(s[i - 5])));
}

/* spaced_colon - whether s[i] follows " :" ("ERROR_CODE :550") */
static int
spaced_colon(const char *s, size_t i)
{
	return (i >= 2 && s[i - 1] == ':' && (s[i - 2] == ' ' || s[i - 2] == '\t'));
}

/* standalone - whether the token s[i..i+len) is not part of a longer one */
static int
standalone(const char *s, size_t n, size_t i, size_t len)
{
	if (i > 0 && !after_reply(s, i) && !spaced_colon(s, i)) {
		unsigned char c = (unsigned char) s[i - 1];

		if (ALNUM(c) || c == '.' || c == '-' || c == '_' || c == '/'
		    || c == ':' || c == '=' || c == '+' || c == '@'
		    || c == '$' || c == '%')
			return (0);
	}
	if (i + len < n) {
		unsigned char c = (unsigned char) s[i + len];

		if (ALNUM(c) || c == '-' || c == '_' || c == '@' || c == '/'
		    || c == '%')
			return (0);
	}
	return (1);
}

/* in_set - whether c (never NUL) is one of set */
static int
in_set(char c, const char *set)
{
	return (c != 0 && strchr(set, c) != NULL);
}

static void
copy_code(char *out, const char *s, size_t len)
{
	memcpy(out, s, len);
	out[len] = 0;
}

int
status_find(const char *text, size_t n, char *out)
{
	const char *q;
	size_t  i, len;
	char    first[STATUS_MAX] = "";

	for (i = 0; i < n; i++) {
		if ((q = text_chr3(text + i, n - i, '2', '4', '5')) == NULL)
			break;
		i = (size_t) (q - text);
		if ((len = status_valid(text + i, n - i)) == 0
		    || !standalone(text, n, i, len))
			continue;
		copy_code(out, text + i, len);
		if (!status_is_generic(out))
			return (1);
		if (first[0] == 0)
			copy_code(first, text + i, len);
		i += len - 1;
	}
	copy_code(out, first, strlen(first));
	return (first[0] != 0);
}

/*
 * The reply codes SMTP defines (RFC 5321, 1846, 2034, 3030, 4954, 7504,
 * 7372): a number outside this set ("522", "542") is some vendor's
 * counter or error number, not the server's reply.
 */
static const char reply_known[] =
	" 211 214 220 221 235 250 251 252 253"
	" 421 422 430 432 450 451 452 453 454 455 458 459"
	" 500 501 502 503 504 521 523 524 525 530 533 534 535 538"
	" 550 551 552 553 554 555 556 557 ";

/* known_reply - whether the three digits at s are a defined reply code */
static int
known_reply(const char *s)
{
	char    key[6] = {' ', s[0], s[1], s[2], ' ', 0};

	return (strstr(reply_known, key) != NULL);
}

int
reply_find(const char *text, size_t n, char *out)
{
	size_t  i;

	for (i = 0; i + 3 <= n; i++) {
		const char *s = text_chr3(text + i, n - i - 2, '2', '4', '5');

		if (s == NULL)
			break;
		i = (size_t) (s - text);
		if (s[1] < '0' || s[1] > '5' || !DIGIT(s[2]))
			continue;
		if (i > 0 && !spaced_colon(text, i) && (ALNUM(text[i - 1])
		    || in_set(text[i - 1], ".-_/:=+@#$%")))
			continue;
		if (i + 3 < n && s[3] != ' ' && s[3] != '-' && s[3] != '\t'
		    && s[3] != ',' && s[3] != ';' && s[3] != ']' && s[3] != ')'
		    && s[3] != ':'
		    && s[3] != '"' && s[3] != '\r' && s[3] != '\n')
			continue;
		if (!known_reply(s))
			continue;
		copy_code(out, s, 3);
		return (1);
	}
	return (0);
}

int
status_is_generic(const char *code)
{
	size_t  n = strlen(code);

	return (n == 0 || (n >= 5 && strcmp(code + 1, ".0.0") == 0));
}
