#!/usr/bin/env bash
# Hostile values in a bounce end up escaped (hostile.py says exactly what).
set -euo pipefail
: "${DSNMILTER:?}" "${TOP_SRCDIR:?}"
exec python3 "$TOP_SRCDIR/tests/hostile/hostile.py" "$DSNMILTER" \
	"$TOP_SRCDIR/etc/dsnmilter.conf"
