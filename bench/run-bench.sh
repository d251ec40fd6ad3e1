#!/bin/bash
#
# NAME
#	run-bench.sh - make bench: dsnmilter against Sisimai, and in-process
# SYNOPSIS
#	[CORPUS=DIR] [DSNMILTER=PATH] [DSNBENCH=PATH] [TOP_SRCDIR=DIR]
#	[BENCH_PASSES=N] [BENCH_CONFIG=FILE] bench/run-bench.sh
# DESCRIPTION
#	Runs on the same files (every regular file under $CORPUS/mail, or
#	under $CORPUS when it has no mail/, sorted by name):
#	[1] src/dsnmilter -c BENCH_CONFIG -j FILES: one process (one
#	    thread per CPU), best of 5; [1'] the same with -P 1 (one thread);
#	[2] perl bench/sisimai-dump.pl FILES (Sisimai->dump per file): one
#	    process, best of 3; skipped, with a note, when Sisimai is missing;
#	    then the ratio [2]/[1] against the target of 100x.  The runs of
#	    [1] and [2] alternate, so that a busy moment hits both;
#	[4] with Sisimai and the corpus answers ($CORPUS/expected.jsonl,
#	    scored by SCORE_CORPUS, default $CORPUS/../tools/score-corpus):
#	    the accuracy of the outputs of [1] and [2];
#	[3] DSNBENCH -c BENCH_CONFIG -n BENCH_PASSES FILES: messages per
#	    second, per-message p50/p99/max and peak RSS, for the full path
#	    and for parse + classify alone (bench/bench.c).
#	Wall times come from bash's EPOCHREALTIME (microseconds).  The ratio
#	is informational: a FAIL does not fail the build.
#	`make bench` sets TOP_SRCDIR, DSNMILTER, DSNBENCH and CORPUS.
# DIAGNOSTICS
#	Exit status 0; 1 when a program or the corpus is missing, or when
#	dsnmilter or dsnbench fails.
set -u
export LC_ALL=C

top=$(cd "${TOP_SRCDIR:-$(dirname "$0")/..}" && pwd -P) || exit 1
dsnmilter=${DSNMILTER:-$top/src/dsnmilter}
dsnbench=${DSNBENCH:-$top/tests/dsnbench}
config=${BENCH_CONFIG:-$top/etc/dsnmilter.conf}
corpus=${CORPUS:-$top/../shared/corpus}
passes=${BENCH_PASSES:-20}
sisimai_pl=$top/bench/sisimai-dump.pl

die() { echo "run-bench.sh: $*" >&2; exit 1; }

[ -x "$dsnmilter" ] || die "$dsnmilter: not built"
[ -x "$dsnbench" ] || die "$dsnbench: not built"
[ -r "$config" ] || die "$config: cannot read"
dir=$corpus
[ -d "$corpus/mail" ] && dir=$corpus/mail
dir=$(cd "$dir" 2>/dev/null && pwd -P) || die "$corpus: no corpus (set CORPUS)"
mapfile -d '' files < <(find "$dir" -type f -print0 | sort -z)
nfiles=${#files[@]}
[ "$nfiles" -gt 0 ] || die "$dir: no files"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/dsnbench.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT

# now_us - microseconds since the epoch into $us
now_us() {
	if [ -n "${EPOCHREALTIME:-}" ]; then
		us=${EPOCHREALTIME/./}
	else
		us=$(date +%s%6N)
	fi
}

# child_cpu_us - user + system time of all children so far into $cpu
# (bash's times builtin: millisecond resolution)
child_cpu_us() {
	times >"$tmp/times"
	cpu=$(awk 'NR == 2 {
		t = 0
		for (i = 1; i <= 2; i++) {
			split($i, a, /[ms]/); t += a[1] * 60 + a[2]
		}
		printf "%d", t * 1e6 }' "$tmp/times")
}

# timed NAME CMD... - one run: wall and CPU time (us) into $wall and
# $used, its output in $tmp/NAME.out and .err, its status in $rc
timed() {
	local name=$1 t0 c0
	shift
	child_cpu_us; c0=$cpu
	now_us; t0=$us
	"$@" >"$tmp/$name.out" 2>"$tmp/$name.err"
	rc=$?
	now_us
	wall=$((us - t0))
	child_cpu_us
	used=$((cpu - c0))
}

# least OLD NEW - the smaller number; an empty OLD counts as infinite
least() {
	if [ -z "$1" ] || [ "$2" -lt "$1" ]; then echo "$2"; else echo "$1"; fi
}

# row LABEL RUNS US CPU_US - one line of the whole-process table
row() {
	awk -v l="$1" -v r="$2" -v us="$3" -v cpu="$4" -v n="$nfiles" 'BEGIN {
		s = us / 1e6
		printf "  %-28s %4d %9.4f %10.0f %9.3f %9.3f\n", l, r, s,
		    (s > 0 ? n / s : 0), s * 1000 / n, cpu / 1e6 }'
}

bytes=$(cat "${files[@]}" | wc -c)
model=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo 2>/dev/null | head -1)
echo "dsnmilter benchmark (make bench)"
printf '  corpus: %s: %d files, %s MiB\n' "$dir" "$nfiles" \
	"$(awk -v b="$bytes" 'BEGIN { printf "%.2f", b / 1048576 }')"
printf '  host:   %s CPUs, %s; load average %s (other work skews wall times)\n' \
	"$(nproc 2>/dev/null || echo '?')" "${model:-unknown CPU}" \
	"$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null)"
echo
printf '  %-28s %4s %9s %10s %9s %9s\n' "whole process, best of" runs \
	"wall s" "files/s" "ms/file" "CPU s"

have_sisimai=0
if perl -MSisimai -e 1 2>/dev/null; then
	have_sisimai=1
	sver=$(perl -MSisimai -e 'print $Sisimai::VERSION')
	sver=${sver#v}
fi
# The runs alternate, so that both programs meet the same machine.
d_us='' d_cpu='' d_rc=0 s_us='' s_cpu='' s_rc=0 o_us='' o_cpu=''
for ((i = 0; i < 5; i++)); do
	timed dsnmilter "$dsnmilter" -c "$config" -j "${files[@]}"
	if [ "$rc" -ne 0 ]; then	# 65: some file unreadable; else fatal
		d_rc=$rc
		[ "$rc" -eq 65 ] || break
	fi
	d_us=$(least "$d_us" "$wall") d_cpu=$(least "$d_cpu" "$used")
	timed one "$dsnmilter" -c "$config" -P 1 -j "${files[@]}"
	o_us=$(least "$o_us" "$wall") o_cpu=$(least "$o_cpu" "$used")
	if [ "$have_sisimai" -eq 1 ] && [ "$i" -lt 3 ]; then
		timed sisimai perl "$sisimai_pl" "${files[@]}"
		[ "$rc" -eq 0 ] || s_rc=$rc
		s_us=$(least "$s_us" "$wall") s_cpu=$(least "$s_cpu" "$used")
	fi
done
if [ "$d_rc" -ne 0 ]; then
	echo "  note: dsnmilter exited $d_rc:"
	head -5 "$tmp/dsnmilter.err"
	[ "$d_rc" -eq 65 ] || exit 1
fi
row "[1] dsnmilter -j" 5 "$d_us" "$d_cpu"
row "[1'] dsnmilter -j -P 1" 5 "$o_us" "$o_cpu"

if [ "$have_sisimai" -eq 1 ]; then
	row "[2] Sisimai $sver ->dump" 3 "$s_us" "$s_cpu"
	[ "$s_rc" -eq 0 ] || echo "  note: sisimai-dump.pl exited $s_rc"
	awk -v s="$s_us" -v d="$d_us" -v sc="$s_cpu" -v dc="$d_cpu" 'BEGIN {
		r = d > 0 ? s / d : 0
		printf "  %-28s %14.1fx   target >= 100x: %s (informational)\n",
		    "ratio [2] / [1], wall", r, (r >= 100 ? "PASS" : "FAIL")
		if (dc > 0)
			printf "  %-28s %14.1fx   (CPU time, ms resolution)\n",
			    "ratio [2] / [1], CPU", sc / dc }'
	awk -v s="$s_us" -v d="$o_us" 'BEGIN { if (d > 0)
		printf "  %-28s %14.1fx   (one thread)\n",
		    "ratio [2] / [1\x27], wall", s / d }'
else
	echo "  [2] Sisimai: not installed (perl -MSisimai fails): skipped," \
		"no ratio (Debian: apt-get install libsisimai-perl)"
fi

echo
echo "  [3] in-process, one thread, CLOCK_MONOTONIC per message (bench/bench.c):"
"$dsnbench" -c "$config" -n "$passes" "${files[@]}" || exit 1

# [4] accuracy of both outputs of [1] and [2] against the corpus answers
score=${SCORE_CORPUS:-$corpus/../tools/score-corpus}
if [ "$have_sisimai" -eq 1 ] && [ -r "$score" ] && [ -r "$corpus/expected.jsonl" ]; then
	echo
	echo "  [4] accuracy on the same files ($(realpath -m "$score"), answers: $(realpath -m "$corpus/expected.jsonl")):"
	printf '%s\n' "${files[@]}" >"$tmp/files"
	python3 - "$tmp/files" "$tmp/sisimai.out" >"$tmp/sisimai.jsonl" <<'PY' || exit 1
import json, sys
# Sisimai's dump (one JSON array per file) in the shape of dsnmilter -j
names = open(sys.argv[1]).read().splitlines()
for name, line in zip(names, open(sys.argv[2], encoding="utf-8", errors="replace")):
    try:
        rows = json.loads(line)
    except ValueError:
        rows = []
    rcpts = [{"status": r.get("deliverystatus", ""), "reason": r.get("reason", ""),
              "reply_code": str(r.get("replycode", "") or "")} for r in rows]
    print(json.dumps({"file": name, "recipients": rcpts}))
PY
	for who in dsnmilter sisimai; do
		f=$tmp/$who.out
		[ "$who" = sisimai ] && f=$tmp/sisimai.jsonl
		printf '  %-28s %s\n' "$who" "$(python3 "$score" "$f" "$corpus/expected.jsonl" | sed -n 's/^score: //p')"
	done
fi

echo
echo "  commands (FILES = the $nfiles files under $dir, find -type f, sorted):"
echo "  [1] $dsnmilter -c $config -j FILES   (one thread per CPU)"
echo "  [1'] $dsnmilter -c $config -P 1 -j FILES"
[ "$have_sisimai" -eq 1 ] && echo "  [2] perl $sisimai_pl FILES"
echo "  [3] $dsnbench -c $config -n $passes FILES"
exit 0
