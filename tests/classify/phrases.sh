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

. "$TOP_SRCDIR/tests/classify/bounce.sh"

n=0
declare -a wants codes texts
while IFS= read -r line || [ -n "$line" ]; do
	case $line in ''|'#'*) continue ;; esac
	tsv_split "$line" phrases.tsv
	n=$((n + 1))
	wants[n]=$want; codes[n]=$code; texts[n]=$text
	write_bounce "$(printf '%s/p%05d.eml' "$out" "$n")" "$n" "$code" \
		"$text" phrase
done < "$TSV"

if [ "$n" -eq 0 ]; then
	echo "no phrases in $TSV" >&2; exit 1
fi
# shellcheck disable=SC2046
"$DSNMILTER" -j $(find "$out" -name 'p*.eml' | LC_ALL=C sort) > "$out/all.jsonl"

python3 - "$out" "$n" <<'PY' 3<<<"$(for i in $(seq 1 "$n"); do printf '%s\t%s\t%s\n' "${wants[i]}" "${codes[i]}" "${texts[i]}"; done)"
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
