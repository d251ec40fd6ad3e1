#!/usr/bin/env bash
# Owner test: each line of tests/classify/owners.tsv is
#
#     expected-owner <TAB> status-code-or-empty <TAB> diagnostic text
#
# (blank lines and lines starting with "#" are skipped).  Every line becomes
# the one-recipient bounce of bounce.sh (Status: the code or 5.0.0,
# Diagnostic-Code: smtp; TEXT), `dsnmilter -r` annotates it with the shipped
# configuration and templates, and its X-DSN-Fix-Owner (the owner of the
# explanation template, as the milter writes it) is compared.  One line per
# failure, then "N passed, N failed"; exit 1 on any failure.
set -euo pipefail
: "${DSNMILTER:?}" "${TOP_SRCDIR:?}"
TSV=${OWNERS_TSV:-$TOP_SRCDIR/tests/classify/owners.tsv}
CONF=$TOP_SRCDIR/etc/dsnmilter.conf
out=$(mktemp -d); trap 'rm -rf "$out"' EXIT

. "$TOP_SRCDIR/tests/classify/bounce.sh"

n=0 bad=0
while IFS= read -r line || [ -n "$line" ]; do
	case $line in ''|'#'*) continue ;; esac
	tsv_split "$line" owners.tsv
	n=$((n + 1))
	write_bounce "$out/m.eml" "$n" "$code" "$text" owner
	g=$("$DSNMILTER" -c "$CONF" -r "$out/m.eml" 2>/dev/null \
		| sed -n 's/^X-DSN-Fix-Owner: *//p' | head -n 1 | tr -d '\r')
	if [ "$g" != "$want" ]; then
		bad=$((bad + 1))
		echo "FAIL: want $want got ${g:-(none)}: [$code] $text"
	fi
done < "$TSV"

if [ "$n" -eq 0 ]; then
	echo "no lines in $TSV" >&2; exit 1
fi
echo "$((n - bad)) passed, $bad failed"
[ "$bad" -eq 0 ]
