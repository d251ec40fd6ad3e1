#!/usr/bin/env bash
# sizes.sh - adversarial sizes stay cheap: each message below is close to
# the 10 MiB default of max_message_size and was built to make the
# plain-text reader repeat work (a 9 MB word before many mentions of two
# addresses; 1000 X-Failed-Recipients entries, absent or all naming one
# Sendmail-style line after a 9 MB line; 1000 mentions of one address; a
# 9 MB notice in ISO-2022-JP, which is converted to UTF-8).
# `dsnmilter -j` and `-r` must finish each within LIMIT seconds (they
# take about 0.1 s; the quadratic behaviour this guards against took
# 4-13 s).  A time limit against hangs, not a benchmark: see make bench.
set -euo pipefail
: "${DSNMILTER:?}" "${TOP_SRCDIR:?}"
LIMIT=${LIMIT:-3}
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT

python3 - "$tmp" <<'PY'
import sys
d = sys.argv[1]
H = (b"From: Mail Delivery System <MAILER-DAEMON@mx.example.org>\n"
     b"To: sender@example.com\nSubject: Undelivered Mail Returned to Sender\n"
     b"Content-Type: text/plain\n")
W = 9_000_000
def w(name, data):
    open(d + "/" + name, "wb").write(data)
w("word-then-mentions.eml", H + b"\nDelivery failed: " + b"x" * W + b"\n\n"
  + b"victim@example.net\n!!\nother@example.net\n!!\n" * 500)
w("xfr-absent.eml", H + b"X-Failed-Recipients: "
  + b", ".join([b"nobody@example.net"] * 1000)
  + b"\n\nDelivery failed: " + b"x" * W + b"\n")
w("xfr-sendmail.eml", H + b"X-Failed-Recipients: "
  + b", ".join([b"victim@example.net"] * 1000) + b"\n\n"
  + b"wh" * (W // 2) + b"\n<victim@example.net>... User unknown\n")
w("one-address-1000.eml", H + b"\nDelivery failed.\n\n"
  + (b"victim@example.net " + b"y" * 9000 + b"\n") * 1000)
# a notice in a charset that must be converted (ISO-2022-JP, 9 MB)
J = H.replace(b"Content-Type: text/plain", b"Content-Type: text/plain; charset=iso-2022-jp")
w("iso-2022-jp.eml", J + b"\nvictim@example.net\n"
  + ("\u30e1\u30fc\u30eb\u30dc\u30c3\u30af\u30b9\u304c\u4e00\u676f\u3067\u3059\u3002\n" * 300000).encode("iso-2022-jp"))
PY

pass=0 fail=0
for f in "$tmp"/*.eml; do
	for mode in -j -r; do
		if timeout "$LIMIT" "$DSNMILTER" -c "$TOP_SRCDIR/etc/dsnmilter.conf" \
		    "$mode" "$f" >/dev/null 2>&1; then
			pass=$((pass + 1))
		else
			echo "FAIL: $mode $(basename "$f"): not done within $LIMIT s (or failed)"
			fail=$((fail + 1))
		fi
	done
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
