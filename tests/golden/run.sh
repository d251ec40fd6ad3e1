#!/bin/sh
# run.sh - golden tests of the plain-text explanation
#
# usage: tests/golden/run.sh            compare with the references
#        UPDATE=1 tests/golden/run.sh   regenerate the references
#
# For every in/NAME.eml: run `$DSNMILTER -c $DSNMILTER_CONF -r FILE` (the
# in-tree src/dsnmilter and etc/dsnmilter.conf by default), take the
# text/plain part of the multipart/alternative explanation out of the
# result, decoded (extract.py, python3 email with policy.default), and
# diff it against NAME.txt.ref.  Exit 0 when all match, 1 otherwise, 77
# (skip) when dsnmilter has not been built.
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
DSNMILTER=${DSNMILTER:-$root/src/dsnmilter}
conf=${DSNMILTER_CONF:-$root/etc/dsnmilter.conf}
PYTHON=${PYTHON:-python3}

if [ ! -x "$DSNMILTER" ]; then
	echo "run.sh: $DSNMILTER not built, skipped" >&2
	exit 77
fi
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
fail=0
for msg in "$here"/in/*.eml; do
	name=$(basename "$msg" .eml)
	ref=$here/$name.txt.ref
	if ! "$DSNMILTER" -c "$conf" -r "$msg" >"$tmp/out.eml" 2>"$tmp/err"; then
		echo "FAIL $name: dsnmilter -r exited non-zero"
		cat "$tmp/err"
		fail=1
		continue
	fi
	if ! "$PYTHON" "$here/extract.py" <"$tmp/out.eml" >"$tmp/$name.txt"; then
		echo "FAIL $name: no explanation in the result"
		fail=1
		continue
	fi
	if [ "${UPDATE:-0}" = 1 ]; then
		cp "$tmp/$name.txt" "$ref"
		echo "updated $name.txt.ref"
	elif diff -u "$ref" "$tmp/$name.txt"; then
		echo "ok   $name"
	else
		echo "FAIL $name: differs from $name.txt.ref"
		fail=1
	fi
done
exit $fail
