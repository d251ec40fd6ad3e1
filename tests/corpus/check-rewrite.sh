#!/usr/bin/env bash
# Every bounce of the corpus goes through `dsnmilter -r`; the result must
# parse with Python's strict email parser without new defects and keep the
# report's parts 2..n byte-identical (check-rewrite.py says exactly what).
set -euo pipefail
: "${DSNMILTER:?}" "${TOP_SRCDIR:?}"
CORPUS=${CORPUS:-$TOP_SRCDIR/../shared/corpus}
if [ ! -d "$CORPUS/mail/maildir" ]; then
	echo "SKIP: no corpus at $CORPUS"; exit 77
fi
export DSNMILTER DSNMILTER_CONF="${DSNMILTER_CONF:-$TOP_SRCDIR/etc/dsnmilter.conf}"
find "$CORPUS/mail/maildir" -type f -name '*.eml' -print0 | LC_ALL=C sort -z |
	xargs -0 python3 "$TOP_SRCDIR/tests/corpus/check-rewrite.py"
