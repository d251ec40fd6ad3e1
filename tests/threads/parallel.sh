#!/usr/bin/env bash
# parallel.sh - `dsnmilter -j` on several threads writes what one thread
# writes: the 118 bounces of tests/formats (and the corpus, when it is
# there) with -P 4, three times, against -P 1.  Four threads on few CPUs
# interleave the lazy compiling of rules, the conversion pool and the
# per-thread match data.  In a ThreadSanitizer build (tests/run-all
# makes one) TSAN_OPTIONS turns any data race into a failure.
set -euo pipefail
: "${DSNMILTER:?}" "${TOP_SRCDIR:?}"
export TSAN_OPTIONS="halt_on_error=1 exitcode=66 ${TSAN_OPTIONS:-}"
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
conf=$TOP_SRCDIR/etc/dsnmilter.conf

files=("$TOP_SRCDIR"/tests/formats/*.eml)
if [ -n "${CORPUS:-}" ] && [ -d "$CORPUS/mail" ]; then
	mapfile -d '' more < <(find "$CORPUS/mail" -type f -print0 | sort -z)
	files+=("${more[@]}")
fi
[ "${#files[@]}" -gt 100 ] || { echo "parallel.sh: only ${#files[@]} files"; exit 1; }

rc=0
"$DSNMILTER" -c "$conf" -P 1 -j "${files[@]}" >"$tmp/one" || rc=$?
[ $rc -le 1 ] || { echo "parallel.sh: -P 1 exited $rc"; exit 1; }
for run in 1 2 3; do
	rc=0
	"$DSNMILTER" -c "$conf" -P 4 -j "${files[@]}" >"$tmp/four" 2>"$tmp/err" || rc=$?
	if [ $rc -gt 1 ] || ! cmp -s "$tmp/one" "$tmp/four"; then
		echo "parallel.sh: run $run: -P 4 (exit $rc) differs from -P 1"
		head -40 "$tmp/err"
		exit 1
	fi
done
echo "parallel.sh: ${#files[@]} files, -P 4 three times = -P 1"
