#!/usr/bin/env bash
# Phrase test: each line of tests/classify/phrases.tsv is
#
#     expected-reason <TAB> status-code-or-empty <TAB> diagnostic text
#
# (blank lines and lines starting with "#" are skipped).  For every line a
# minimal RFC 3464 bounce is written (multipart/report, one failed
# recipient, "Status:" the code or 5.0.0 when empty, "Diagnostic-Code:
# smtp; TEXT"), all of them go through one `dsnmilter -j` call with the
# built-in patterns, and the reasons are compared.  One line per failure,
# then "N passed, N failed"; exit 1 on any failure.
#
# The texts are real server phrases (many from Sisimai's tables, see
# tests/classify/sisimai-phrases.py), so the rules stay general: a rule
# change that breaks a phrase shows here first.
set -euo pipefail
: "${DSNMILTER:?}" "${TOP_SRCDIR:?}"
TSV=${PHRASES_TSV:-$TOP_SRCDIR/tests/classify/phrases.tsv}
out=$(mktemp -d); trap 'rm -rf "$out"' EXIT

n=0
declare -a want code text
while IFS= read -r line || [ -n "$line" ]; do
	case $line in ''|'#'*) continue ;; esac
	# split by hand: "read" would merge the two tabs around an empty code
	r=${line%%$'\t'*}; rest=${line#*$'\t'}
	c=${rest%%$'\t'*}; t=${rest#*$'\t'}
	if [ "$rest" = "$line" ] || [ "$t" = "$rest" ] || [ -z "$t" ]; then
		echo "phrases.tsv: bad line: $line" >&2; exit 1
	fi
	n=$((n + 1))
	want[n]=$r; code[n]=$c; text[n]=$t
	f=$(printf '%s/p%05d.eml' "$out" "$n")
	cat > "$f" <<EOF
From: MAILER-DAEMON@mx.example.org
To: sender@example.com
Subject: Undelivered Mail Returned to Sender
Date: Mon, 1 Jan 2024 00:00:00 +0000
Message-ID: <phrase-$n@mx.example.org>
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
EOF
done < "$TSV"

if [ "$n" -eq 0 ]; then
	echo "no phrases in $TSV" >&2; exit 1
fi
# shellcheck disable=SC2046
"$DSNMILTER" -j $(find "$out" -name 'p*.eml' | LC_ALL=C sort) > "$out/all.jsonl"

python3 - "$out" "$n" <<'PY' 3<<<"$(for i in $(seq 1 "$n"); do printf '%s\t%s\t%s\n' "${want[i]}" "${code[i]}" "${text[i]}"; done)"
import json, os, sys
out, n = sys.argv[1], int(sys.argv[2])
cases = [l.rstrip('\n').split('\t', 2) for l in os.fdopen(3)]
got = {}
for line in open(os.path.join(out, 'all.jsonl')):
    o = json.loads(line)
    rc = o.get('recipients') or []
    got[os.path.basename(o['file'])] = rc[0]['reason'] if rc else '(no recipient)'
bad = 0
for i, (want, code, text) in enumerate(cases, 1):
    g = got.get('p%05d.eml' % i, '(no output)')
    if g != want:
        bad += 1
        print('FAIL: want %s got %s: [%s] %s' % (want, g, code, text))
print('%d passed, %d failed' % (n - bad, bad))
sys.exit(1 if bad else 0)
PY
