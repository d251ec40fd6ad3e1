#!/usr/bin/env bash
# Bounces of generators and formats that are not in the development corpus
# (tests/formats/*.eml): dsnmilter -j must give the answers of expected.tsv,
# except the mismatches listed in KNOWN (printed as "known", not failed),
# and dsnmilter -r must exit 0 and leave a message that Python's email
# package parses.  check.py says exactly what is compared.
#
# DSNMILTER and TOP_SRCDIR come from tests/Makefile.am; run by hand, they
# default to the in-tree paths.  STRICT_KNOWN=1 also fails on KNOWN
# entries that no longer mismatch (to prune KNOWN after a fix).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
TOP_SRCDIR=${TOP_SRCDIR:-$(cd "$here/../.." && pwd)}
DSNMILTER=${DSNMILTER:-$TOP_SRCDIR/src/dsnmilter}
if [ ! -x "$DSNMILTER" ]; then
	echo "formats: $DSNMILTER not built, skipped"
	exit 77
fi
command -v python3 >/dev/null || { echo "formats: no python3, skipped"; exit 77; }
exec python3 "$TOP_SRCDIR/tests/formats/check.py" "$DSNMILTER" \
	"$TOP_SRCDIR/etc/dsnmilter.conf" "$TOP_SRCDIR/tests/formats"
