#!/usr/bin/env bash
# dsnmilter -x finds a template of its own (matched by code) for every code
# of ../shared/reference (seed-status-codes.txt, iana-enhanced-status-codes.tsv).
set -euo pipefail
: "${DSNMILTER:?}" "${TOP_SRCDIR:?}"
ref=${REFERENCE:-$TOP_SRCDIR/../shared/reference}
if [ ! -f "$ref/seed-status-codes.txt" ]; then
	echo "SKIP: no reference files at $ref"; exit 77
fi
exec python3 "$TOP_SRCDIR/tests/templates/coverage.py" "$DSNMILTER" \
	"$TOP_SRCDIR/etc/dsnmilter.conf" "$ref/seed-status-codes.txt" \
	"$ref/iana-enhanced-status-codes.tsv"
