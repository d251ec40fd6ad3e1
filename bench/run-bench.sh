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
#	[1] src/dsnmilter -c BENCH_CONFIG -j FILES: one process, best of 5;
#	[2] perl bench/sisimai-dump.pl FILES (Sisimai->dump per file): one
#	    process, best of 3; skipped, with a note, when Sisimai is missing;
#	    then the ratio [2]/[1] against the target of 100x;
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

top=${TOP_SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}
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

# best_of N NAME CMD... - best wall time (us) of N runs into $best;
# output of the last run in $tmp/NAME.out and .err, status in $rc
best_of() {
	local n=$1 name=$2 i t0
	shift 2
	best=
	for ((i = 0; i < n; i++)); do
		now_us; t0=$us
		"$@" >"$tmp/$name.out" 2>"$tmp/$name.err"
		rc=$?
		now_us
		if [ -z "$best" ] || [ $((us - t0)) -lt "$best" ]; then
			best=$((us - t0))
		fi
	done
}

# row LABEL RUNS US - one line of the whole-process table
row() {
	awk -v l="$1" -v r="$2" -v us="$3" -v n="$nfiles" 'BEGIN {
		s = us / 1e6
		printf "  %-30s %4d %9.4f %10.0f %9.3f\n", l, r, s,
		    (s > 0 ? n / s : 0), s * 1000 / n }'
}

bytes=$(cat "${files[@]}" | wc -c)
cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo 2>/dev/null | head -1)
echo "dsnmilter benchmark (make bench)"
printf '  corpus: %s: %d files, %s MiB\n' "$dir" "$nfiles" \
	"$(awk -v b="$bytes" 'BEGIN { printf "%.2f", b / 1048576 }')"
printf '  host:   %s CPUs, %s\n' "$(nproc 2>/dev/null || echo '?')" "${cpu:-unknown CPU}"
echo
printf '  %-30s %4s %9s %10s %9s\n' "whole process (wall, best of)" runs \
	"best s" "files/s" "ms/file"

best_of 5 dsnmilter "$dsnmilter" -c "$config" -j "${files[@]}"
d_us=$best d_rc=$rc
row "[1] dsnmilter -j" 5 "$d_us"
if [ "$d_rc" -ne 0 ]; then	# 65: some file unreadable; else fatal
	echo "  note: dsnmilter exited $d_rc:"
	head -5 "$tmp/dsnmilter.err"
	[ "$d_rc" -eq 65 ] || exit 1
fi

have_sisimai=0
if perl -MSisimai -e 1 2>/dev/null; then
	have_sisimai=1
	sver=$(perl -MSisimai -e 'print $Sisimai::VERSION')
	best_of 3 sisimai perl "$sisimai_pl" "${files[@]}"
	s_us=$best
	row "[2] Sisimai $sver ->dump" 3 "$s_us"
	[ "$rc" -eq 0 ] || echo "  note: sisimai-dump.pl exited $rc"
	awk -v s="$s_us" -v d="$d_us" 'BEGIN {
		r = d > 0 ? s / d : 0
		printf "  %-30s %14.1fx   target >= 100x: %s (informational)\n",
		    "ratio [2] / [1]", r, (r >= 100 ? "PASS" : "FAIL") }'
else
	echo "  [2] Sisimai: not installed (perl -MSisimai fails): skipped," \
		"no ratio (Debian: apt-get install libsisimai-perl)"
fi

echo
"$dsnbench" -c "$config" -n "$passes" "${files[@]}" || exit 1

echo
echo "  commands (FILES = the $nfiles files under $dir, find -type f, sorted):"
echo "  [1] $dsnmilter -c $config -j FILES"
[ "$have_sisimai" -eq 1 ] && echo "  [2] perl $sisimai_pl FILES"
echo "  [3] $dsnbench -c $config -n $passes FILES"
exit 0
