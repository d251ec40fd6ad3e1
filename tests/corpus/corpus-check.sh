#!/usr/bin/env bash
# Corpus test: every file of the bounce corpus goes through `dsnmilter -j`
# without a crash, one valid JSON line each; the accuracy against the
# hand-curated answers must not drop below tests/corpus/floors (ratchet:
# raise the floors when the score improves).
set -euo pipefail
: "${DSNMILTER:?}" "${TOP_SRCDIR:?}"
CORPUS=${CORPUS:-$TOP_SRCDIR/../shared/corpus}
if [ ! -d "$CORPUS/mail" ]; then
	echo "SKIP: no corpus at $CORPUS"; exit 77
fi
out=$(mktemp -d); trap 'rm -rf "$out"' EXIT
cd "$CORPUS"
files=$(find mail -type f | LC_ALL=C sort)
nfiles=$(printf '%s\n' "$files" | wc -l)
# shellcheck disable=SC2086
"$DSNMILTER" -j $files > "$out/all.jsonl"
python3 "$TOP_SRCDIR/tests/corpus/score.py" "$out/all.jsonl" "$nfiles" \
	"$CORPUS" "${SCORE_CORPUS:-$TOP_SRCDIR/../shared/tools/score-corpus}" \
	"$TOP_SRCDIR/tests/corpus/floors"
