#!/bin/sh
# screenshot.sh - render the HTML explanation of typical bounces in Chromium
#
# usage: tests/html/screenshot.sh [OUTDIR]
#
# For three typical bounces (tests/golden/in: a DMARC rejection, a delay,
# several recipients with different causes) run `$DSNMILTER -r`, take the
# text/html part of the explanation out of the result, and have headless
# Chromium take a 1000x1400 screenshot of it (no network, no GPU, a fresh
# profile).  Each PNG must exist and must not be blank: png-check.py
# decodes it and requires enough non-white pixels, dark (text) pixels and
# distinct colours.  The PNGs are kept in OUTDIR (default: a temporary
# directory that is removed) so that a person can look at them.
# Exit 0 when all pass, 1 otherwise, 77 (skip) without chromium or
# without a built dsnmilter.
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
DSNMILTER=${DSNMILTER:-$root/src/dsnmilter}
conf=${DSNMILTER_CONF:-$root/etc/dsnmilter.conf}
PYTHON=${PYTHON:-python3}
CHROMIUM=${CHROMIUM:-}

if [ -z "$CHROMIUM" ]; then
	for c in chromium chromium-browser google-chrome; do
		if command -v "$c" >/dev/null 2>&1; then
			CHROMIUM=$c
			break
		fi
	done
fi
if [ -z "$CHROMIUM" ]; then
	echo "screenshot.sh: no chromium, skipped" >&2
	exit 77
fi
if [ ! -x "$DSNMILTER" ]; then
	echo "screenshot.sh: $DSNMILTER not built, skipped" >&2
	exit 77
fi
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
out=${1:-$tmp}
mkdir -p "$out" || exit 1
fail=0
for name in dmarc delay several; do
	"$DSNMILTER" -c "$conf" -r "$root/tests/golden/in/$name.eml" \
		>"$tmp/$name.eml" 2>/dev/null &&
	"$PYTHON" "$root/tests/golden/extract.py" --html \
		<"$tmp/$name.eml" >"$out/$name.html" || {
		echo "FAIL $name: no HTML explanation"
		fail=1
		continue
	}
	rm -f "$out/$name.png"
	timeout 120 "$CHROMIUM" --headless --no-sandbox --disable-gpu \
		--no-first-run --disable-background-networking \
		--disable-component-update --disable-sync \
		--user-data-dir="$tmp/profile-$name" \
		--screenshot="$out/$name.png" --window-size=1000,1400 \
		"file://$out/$name.html" >"$tmp/chromium.log" 2>&1
	if "$PYTHON" "$here/png-check.py" "$out/$name.png"; then
		echo "ok   $name ($out/$name.png)"
	else
		echo "FAIL $name: screenshot missing or blank"
		tail -5 "$tmp/chromium.log"
		fail=1
	fi
done
exit $fail
