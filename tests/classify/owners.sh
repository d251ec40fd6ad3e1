#!/usr/bin/env bash
# Owner test: each line of tests/classify/owners.tsv is
#
#     expected-owner <TAB> status-code-or-empty <TAB> diagnostic text
#
# (blank lines and lines starting with "#" are skipped).  Every line becomes
# the one-recipient bounce of phrases.sh (Status: the code or 5.0.0,
# Diagnostic-Code: smtp; TEXT), `dsnmilter -r` annotates it with the shipped
# configuration and templates, and its X-DSN-Fix-Owner (the owner of the
# explanation template, as the milter writes it) is compared.  One line per
# failure, then "N passed, N failed"; exit 1 on any failure.
set -euo pipefail
: "${DSNMILTER:?}" "${TOP_SRCDIR:?}"
TSV=${OWNERS_TSV:-$TOP_SRCDIR/tests/classify/owners.tsv}
CONF=$TOP_SRCDIR/etc/dsnmilter.conf
out=$(mktemp -d); trap 'rm -rf "$out"' EXIT

n=0 bad=0
while IFS= read -r line || [ -n "$line" ]; do
	case $line in ''|'#'*) continue ;; esac
	w=${line%%$'\t'*}; rest=${line#*$'\t'}
	c=${rest%%$'\t'*}; t=${rest#*$'\t'}
	if [ "$rest" = "$line" ] || [ "$t" = "$rest" ] || [ -z "$t" ]; then
		echo "owners.tsv: bad line: $line" >&2; exit 1
	fi
	n=$((n + 1))
	cat > "$out/m.eml" <<EOM
From: MAILER-DAEMON@mx.example.org
To: sender@example.com
Subject: Undelivered Mail Returned to Sender
Date: Mon, 1 Jan 2024 00:00:00 +0000
Message-ID: <owner-$n@mx.example.org>
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status;
 boundary="BOUNDARY-$n"

--BOUNDARY-$n
Content-Type: text/plain; charset=us-ascii

Your message could not be delivered to one or more recipients.

--BOUNDARY-$n
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.org

Final-Recipient: rfc822; user@example.net
Action: failed
Status: ${c:-5.0.0}
Diagnostic-Code: smtp; $t

--BOUNDARY-$n--
EOM
	g=$("$DSNMILTER" -c "$CONF" -r "$out/m.eml" 2>/dev/null \
		| sed -n 's/^X-DSN-Fix-Owner: *//p' | head -n 1 | tr -d '\r')
	if [ "$g" != "$w" ]; then
		bad=$((bad + 1))
		echo "FAIL: want $w got ${g:-(none)}: [$c] $t"
	fi
done < "$TSV"

if [ "$n" -eq 0 ]; then
	echo "no lines in $TSV" >&2; exit 1
fi
echo "$((n - bad)) passed, $bad failed"
[ "$bad" -eq 0 ]
