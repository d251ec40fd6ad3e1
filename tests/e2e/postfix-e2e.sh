#!/bin/bash
#
# NAME
#	postfix-e2e.sh - dsnmilter end-to-end test through a private Postfix
# SYNOPSIS
#	DSNMILTER=src/dsnmilter TOP_SRCDIR=. tests/e2e/postfix-e2e.sh
# DESCRIPTION
#	Builds a throw-away Postfix instance in a fresh temporary directory
#	(own config, queue and data directories, log file inside, no chroot,
#	no DNS, 127.0.0.1 only), an SMTP sink of our own (smtp-sink.py) that
#	plays the remote site, and dsnmilter on an inet socket hooked in as
#	both smtpd_milters and non_smtpd_milters (internal_mail_filter_classes
#	= bounce).  Local mail for local.test is written to files by a pipe
#	transport running as nobody.  Then it sends mail through Postfix and
#	checks what arrives:
#	  a  Postfix's own bounce (sink says 550 5.1.1) is annotated
#	  b  a multipart/report DSN injected over SMTP with a null sender
#	  c  ordinary mail passes untouched
#	  d  Postfix's delay notice (sink says 452 4.2.2) is tagged as delayed
#	  e  forged X-DSN-* headers on an injected DSN are removed
#	  f  a plain-text qmail-style bounce (E2E_PLAIN=1, default on)
#	  g  the bounce body holds multipart/alternative (E2E_BODY=1, default on)
#	  h  a DSN from an untrusted client (XCLIENT ADDR=192.0.2.99) gets the
#	     headers and X-DSN-Trust: external, its body stays as it was
#	  r  before any mail is sent the milter gets SIGUSR1 (reload) and
#	     must keep running; every later check then runs after a reload
#	Every wait is bounded.  The system's own Postfix configuration is
#	neither read for the instance nor touched.
# ENVIRONMENT
#	DSNMILTER	the milter binary (default $TOP_SRCDIR/src/dsnmilter)
#	TOP_SRCDIR	source tree (default: two levels above this script)
#	E2E_NO_MILTER=1	run the mail flow without the milter (harness check)
#	E2E_PLAIN, E2E_BODY	switch checks f and g (1 on, 0 off)
#	E2E_KEEP=1	keep the temporary directory and print its path
#	E2E_VARIANT=bcleanup	hook Postfix's own notices in through a
#			separate cleanup service (contrib/postfix/
#			master.cf.fragment) instead of non_smtpd_milters
# EXIT STATUS
#	0 all checks passed, 1 a check failed, 77 skipped (no Postfix, not root)

# shellcheck disable=SC2317  # cleanup functions are called from traps
set -euo pipefail

POSTFIX=${POSTFIX:-/usr/sbin/postfix}
E2E_NO_MILTER=${E2E_NO_MILTER:-0}
E2E_PLAIN=${E2E_PLAIN:-1}
E2E_BODY=${E2E_BODY:-1}
E2E_KEEP=${E2E_KEEP:-0}
E2E_VARIANT=${E2E_VARIANT:-main}
PYTHON=${PYTHON:-python3}
SHORT_WAIT=30		# seconds after sending, for mail that needs no retry
DELAY_WAIT=60		# seconds after sending, for the delay notice
WATCHDOG_AFTER=150	# the whole run is aborted after this many seconds

skip() { echo "SKIP: $*"; exit 77; }
die() { echo "not ok - $*"; exit 1; }

[ -x "$POSTFIX" ] || skip "$POSTFIX not found: install postfix to run the end-to-end test"
[ "$(id -u)" = 0 ] || skip "a private Postfix instance needs root"
command -v swaks >/dev/null || skip "swaks not found: install swaks"
command -v "$PYTHON" >/dev/null || skip "$PYTHON not found"
id nobody >/dev/null 2>&1 || skip "no user nobody"
id postfix >/dev/null 2>&1 || skip "no user postfix"

HERE=$(cd "$(dirname "$0")" && pwd)
TOP_SRCDIR=$(cd "${TOP_SRCDIR:-$HERE/../..}" && pwd)
DSNMILTER=${DSNMILTER:-$TOP_SRCDIR/src/dsnmilter}
case $DSNMILTER in /*) ;; *) DSNMILTER=$PWD/$DSNMILTER ;; esac
DATA=$HERE/data
if [ "$E2E_NO_MILTER" != 1 ] && [ ! -x "$DSNMILTER" ]; then
	die "milter binary $DSNMILTER not found (build it, or E2E_NO_MILTER=1)"
fi

T=$(mktemp -d /tmp/dsnmilter-e2e.XXXXXX)
chmod 755 "$T"
MAIN_PID=$$
MILTER_PID=
WATCHDOG_PID=
FAILED=0
PASSED=0

# --- cleanup ---------------------------------------------------------------

stop_postfix() {
	[ -f "$T/etc/main.cf" ] || return 0
	local pidfile=$T/queue/pid/master.pid pid="" _
	[ -s "$pidfile" ] && pid=$(tr -dc 0-9 <"$pidfile")
	timeout 15 "$POSTFIX" -c "$T/etc" stop >/dev/null 2>&1 || true
	[ -n "$pid" ] || return 0
	for _ in $(seq 50); do
		kill -0 "$pid" 2>/dev/null || return 0
		sleep 0.1
	done
	kill -9 "$pid" 2>/dev/null || true
}

stop_pid() {
	local pid=$1 _
	[ -n "$pid" ] || return 0
	kill "$pid" 2>/dev/null || return 0
	for _ in $(seq 30); do
		kill -0 "$pid" 2>/dev/null || return 0
		sleep 0.1
	done
	kill -9 "$pid" 2>/dev/null || true
}

cleanup() {
	local rc=$?
	[ "$$" = "$MAIN_PID" ] || return 0
	trap - EXIT INT TERM
	stop_pid "$WATCHDOG_PID"
	stop_postfix
	stop_pid "$MILTER_PID"
	[ -s "$T/sink.pid" ] && stop_pid "$(tr -dc 0-9 <"$T/sink.pid")"
	if [ "$E2E_KEEP" = 1 ]; then
		echo "# kept $T"
	else
		rm -rf "$T"
	fi
	exit "$rc"
}
trap cleanup EXIT
trap 'echo "# interrupted"; show_logs; exit 1' INT TERM

# --- reporting -------------------------------------------------------------

ok() { PASSED=$((PASSED + 1)); echo "ok - $*"; }
not_ok() { FAILED=$((FAILED + 1)); echo "not ok - $*"; }

show_logs() {
	echo "# --- Postfix log ($T/maillog), last 80 lines"
	tail -n 80 "$T/maillog" 2>/dev/null | sed 's/^/#   /' || true
	echo "# --- milter log ($T/milter.log), last 60 lines"
	tail -n 60 "$T/milter.log" 2>/dev/null | sed 's/^/#   /' || true
	echo "# --- delivered files: $(find "$T/mail/new" -type f 2>/dev/null | wc -l)," \
	    "sink files: $(find "$T/sink" -type f 2>/dev/null | wc -l)"
}

# --- set-up ----------------------------------------------------------------

start_watchdog() {
	"$PYTHON" -c '
import os, signal, sys, time
time.sleep(float(sys.argv[2]))
print("not ok - watchdog: run exceeded %s s, aborting" % sys.argv[2], flush=True)
os.kill(int(sys.argv[1]), signal.SIGTERM)' "$MAIN_PID" "$WATCHDOG_AFTER" &
	WATCHDOG_PID=$!
}

free_ports() {
	"$PYTHON" - "$1" <<'EOF'
import socket, sys
socks = []
for _ in range(int(sys.argv[1])):
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    socks.append(s)
print(" ".join(str(s.getsockname()[1]) for s in socks))
EOF
}

write_main_cf() {
	cat >"$T/etc/main.cf" <<EOF
# private instance for the dsnmilter end-to-end test; generated
compatibility_level = 3.6
queue_directory = $T/queue
data_directory = $T/data
meta_directory = /etc/postfix
mail_owner = postfix
maillog_file = $T/maillog
maillog_file_prefixes = $T
myhostname = mx.e2e.test
mydomain = e2e.test
myorigin = \$myhostname
mydestination =
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
relay_domains = local.test
smtpd_authorized_xclient_hosts = 127.0.0.1
smtpd_relay_restrictions = permit_mynetworks, reject_unauth_destination
smtp_dns_support_level = disabled
smtpd_peername_lookup = no
smtp_tls_security_level = none
smtpd_tls_security_level = none
smtp_connect_timeout = 5s
biff = no
local_recipient_maps =
alias_maps =
alias_database =
transport_maps = inline:{ remote.test=smtp:[127.0.0.1]:$SINK_PORT, local.test=e2edeliver: }
default_transport = error:e2e_instance_sends_nothing_outside
relay_transport = error:e2e_instance_sends_nothing_outside
e2edeliver_destination_recipient_limit = 1
queue_run_delay = 1s
minimal_backoff_time = 1s
maximal_backoff_time = 2s
delay_warning_time = 2s
maximal_queue_lifetime = 20s
bounce_queue_lifetime = 20s
EOF
	[ "$E2E_NO_MILTER" = 1 ] && return 0
	cat >>"$T/etc/main.cf" <<EOF
milter_protocol = 6
milter_default_action = accept
milter_connect_timeout = 10s
milter_command_timeout = 10s
milter_content_timeout = 15s
smtpd_milters = inet:127.0.0.1:$MILTER_PORT
internal_mail_filter_classes = bounce
EOF
	[ "$E2E_VARIANT" = bcleanup ] ||
	    echo "non_smtpd_milters = inet:127.0.0.1:$MILTER_PORT" >>"$T/etc/main.cf"
}

write_master_cf() {
	cat >"$T/etc/master.cf" <<EOF
# service type  private unpriv  chroot  wakeup  maxproc command + args
127.0.0.1:$SMTPD_PORT inet n - n - - smtpd
pickup     unix  n       -       n       60      1       pickup
cleanup    unix  n       -       n       -       0       cleanup
qmgr       unix  n       -       n       300     1       qmgr
rewrite    unix  -       -       n       -       -       trivial-rewrite
bounce     unix  -       -       n       -       0       bounce
defer      unix  -       -       n       -       0       bounce
trace      unix  -       -       n       -       0       bounce
verify     unix  -       -       n       -       1       verify
flush      unix  n       -       n       1000?   0       flush
proxymap   unix  -       -       n       -       -       proxymap
proxywrite unix  -       -       n       -       1       proxymap
smtp       unix  -       -       n       -       -       smtp
relay      unix  -       -       n       -       -       smtp
showq      unix  n       -       n       -       -       showq
error      unix  -       -       n       -       -       error
retry      unix  -       -       n       -       -       error
discard    unix  -       -       n       -       -       discard
local      unix  -       n       n       -       -       local
anvil      unix  -       -       n       -       1       anvil
scache     unix  -       -       n       -       1       scache
postlog    unix-dgram n  -       n       -       1       postlogd
e2edeliver unix  -       n       n       -       -       pipe
  flags=DORq user=nobody argv=/bin/sh $T/deliver.sh $T/mail \${queue_id}
EOF
	[ "$E2E_VARIANT" = bcleanup ] && [ "$E2E_NO_MILTER" != 1 ] || return 0
	# contrib/postfix/master.cf.fragment: a milter for Postfix's notices only
	sed -i -E 's/^(bounce|defer|trace) .*/&\n  -o cleanup_service_name=bcleanup/' \
	    "$T/etc/master.cf"
	cat >>"$T/etc/master.cf" <<EOF
bcleanup   unix  n       -       n       -       0       cleanup
  -o non_smtpd_milters=inet:127.0.0.1:$MILTER_PORT
  -o milter_macro_daemon_name=\$myhostname-bounce
EOF
}

write_deliver_sh() {
	cat >"$T/deliver.sh" <<'EOF'
#!/bin/sh
# deliver.sh MAILDIR QUEUEID - store one message from stdin in MAILDIR/new
umask 022
tmp="$1/tmp/$2.$$"
/bin/cat >"$tmp" || exit 75
/bin/mv "$tmp" "$1/new/$2.$$.eml" || exit 75
EOF
	chmod 755 "$T/deliver.sh"
}

write_milter_conf() {
	# the milter reloads as user nobody: give it a readable copy
	cp -R "$TOP_SRCDIR/etc/templates" "$T/templates"
	chmod -R a+rX "$T/templates"
	cat >"$T/dsnmilter.conf" <<EOF
# dsnmilter configuration for the end-to-end test; generated
socket = "inet:$MILTER_PORT@127.0.0.1";
user = "nobody";
template_dir = "$T/templates";
patterns_file = "";
pid_file = "";
trusted_networks = [ ];
hostid = "$HOSTID";
EOF
	chmod 644 "$T/dsnmilter.conf"
}

# wait_port PORT SECONDS [PID]: true once something accepts on
# 127.0.0.1:PORT; false after SECONDS, or as soon as process PID is gone
wait_port() {
	local end=$((SECONDS + $2))
	while [ "$SECONDS" -lt "$end" ]; do
		if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then
			return 0
		fi
		if [ -n "${3:-}" ] && ! kill -0 "$3" 2>/dev/null; then
			return 1
		fi
		sleep 0.2
	done
	return 1
}

start_sink() {
	"$PYTHON" "$HERE/smtp-sink.py" --port "$SINK_PORT" --spool "$T/sink" \
	    --pid-file "$T/sink.pid" --lifetime 170 >"$T/sink.log" 2>&1 &
	wait_port "$SINK_PORT" 10 $! || { cat "$T/sink.log"; die "SMTP sink did not start"; }
}

start_milter() {
	[ "$E2E_NO_MILTER" = 1 ] && return 0
	timeout 170 "$DSNMILTER" -f -c "$T/dsnmilter.conf" \
	    -p "inet:$MILTER_PORT@127.0.0.1" >"$T/milter.log" 2>&1 &
	MILTER_PID=$!
	if ! wait_port "$MILTER_PORT" 10 "$MILTER_PID"; then
		show_logs
		kill -0 "$MILTER_PID" 2>/dev/null || die "dsnmilter exited at start-up"
		die "dsnmilter did not listen on 127.0.0.1:$MILTER_PORT within 10s"
	fi
	ok "dsnmilter listens on 127.0.0.1:$MILTER_PORT"
}

start_postfix() {
	if ! "$POSTFIX" -c "$T/etc" check >"$T/postfix-check.log" 2>&1 ||
	    ! "$POSTFIX" -c "$T/etc" start >>"$T/postfix-check.log" 2>&1; then
		cat "$T/postfix-check.log"
		show_logs
		die "private Postfix instance did not start"
	fi
	wait_port "$SMTPD_PORT" 15 || { show_logs; die "Postfix smtpd not listening"; }
	ok "private Postfix listens on 127.0.0.1:$SMTPD_PORT"
}

setup() {
	read -r SMTPD_PORT SINK_PORT MILTER_PORT <<<"$(free_ports 3)"
	mkdir -p "$T/etc" "$T/queue" "$T/data" "$T/sink" "$T/mail/tmp" "$T/mail/new"
	chown postfix "$T/data"
	chown nobody "$T/mail" "$T/mail/tmp" "$T/mail/new"
	write_main_cf
	write_master_cf
	write_deliver_sh
	write_milter_conf
	start_sink
	start_milter
	start_postfix
}

# --- sending ---------------------------------------------------------------

# send NAME swaks-args...: one SMTP transaction into the private Postfix
send() {
	local name=$1
	shift
	if swaks --server 127.0.0.1 --port "$SMTPD_PORT" --helo client.e2e.test \
	    --timeout 30 "$@" >"$T/swaks-$name.log" 2>&1; then
		return 0
	fi
	not_ok "$name: Postfix did not accept the message"
	sed 's/^/#   /' "$T/swaks-$name.log" | tail -n 20
	return 1
}

# --- inspecting delivered mail -----------------------------------------------

# find_mail END PATTERN...: print the first delivered file that contains
# every fixed string PATTERN, waiting until $SECONDS reaches END
find_mail() {
	local end=$1 f p hit
	shift
	while :; do
		for f in "$T"/mail/new/*.eml; do
			[ -f "$f" ] || continue
			hit=1
			for p in "$@"; do
				grep -qF -- "$p" "$f" || { hit=0; break; }
			done
			[ "$hit" = 1 ] && { echo "$f"; return 0; }
		done
		[ "$SECONDS" -lt "$end" ] || return 1
		sleep 0.3
	done
}

# header_values FILE NAME: the values of every header NAME, unfolded
header_values() {
	awk -v want="$2" '
	function flush() { if (cur != "") { split(cur, kv, ":");
		if (tolower(kv[1]) == tolower(want)) { sub(/^[^:]*:[ \t]*/, "", cur); print cur } }
		cur = "" }
	/^$/ { flush(); exit }
	/^[ \t]/ { sub(/^[ \t]+/, " "); cur = cur $0; next }
	{ flush(); cur = $0 }
	END { flush() }' "$1"
}

# expect_header CASE FILE NAME VALUE: exactly one NAME header, equal to VALUE
expect_header() {
	local got
	got=$(header_values "$2" "$3")
	if [ "$got" = "$4" ]; then
		ok "$1: $3: $4"
	else
		not_ok "$1: $3 should be exactly '$4', got: '$(echo "$got" | tr '\n' '|')'"
	fi
}

# expect_header_match CASE FILE NAME ERE: at least one NAME header matches
expect_header_match() {
	if header_values "$2" "$3" | grep -qE -- "$4"; then
		ok "$1: $3 matches /$4/"
	else
		not_ok "$1: no $3 header matching /$4/ (have: $(header_values "$2" "$3" | tr '\n' '|'))"
	fi
}

# dsn_headers FILE: the header lines the milter may add
dsn_headers() {
	awk '/^$/ { exit } { print }' "$1" |
	    grep -iE '^(X-DSN-[A-Za-z-]*|X-Failed-Recipients):' || true
}

# expect_annotated CASE FILE STATUS REASON [OWNER]
expect_annotated() {
	expect_header_match "$1" "$2" X-DSN-Annotated "$ANNOTATED_RE"
	expect_header "$1" "$2" X-DSN-Status "$3"
	expect_header "$1" "$2" X-DSN-Reason "$4"
	[ -z "${5:-}" ] || expect_header "$1" "$2" X-DSN-Fix-Owner "$5"
}

# delivered CASE WAIT PATTERN...: find the file for CASE, waiting at most
# WAIT seconds after the messages were sent, or fail the case
delivered() {
	local name=$1 wait=$2 f
	shift 2
	if f=$(find_mail $((SENT_AT + wait)) "$@"); then
		ok "$name: delivered to sender@local.test after $((SECONDS - SENT_AT))s ($(basename "$f"))"
		echo "$f" >"$T/file-$name"
		return 0
	fi
	not_ok "$name: nothing delivered within ${wait}s containing: $*"
	return 1
}

milter_on() { [ "$E2E_NO_MILTER" != 1 ]; }

# check_reload: SIGUSR1 to the milter (the child of timeout(1)) must not
# stop it; libmilter stops on SIGHUP and SIGTERM, not on SIGUSR1
check_reload() {
	milter_on || return 0
	local pid
	pid=$(ps -o pid= --ppid "$MILTER_PID" | tr -dc 0-9)
	if [ -z "$pid" ] || ! kill -USR1 "$pid" 2>/dev/null; then
		not_ok "r: cannot send SIGUSR1 to dsnmilter"
		return 0
	fi
	sleep 1
	if kill -0 "$pid" 2>/dev/null && wait_port "$MILTER_PORT" 5 "$pid"; then
		ok "r: dsnmilter still serving after SIGUSR1 (reload)"
	else
		not_ok "r: dsnmilter stopped after SIGUSR1"
	fi
}

# --- the cases ---------------------------------------------------------------

TOKEN=$$.$RANDOM
HOSTID=e2e-host.test
ANNOTATED_RE="^$HOSTID \\(dsnmilter [^)]+\\)\$"

send_all() {
	# d first: it needs the longest (deferral, then the delay notice)
	send d --from sender@local.test --to full@remote.test \
	    --h-Subject "e2e-d-$TOKEN delayed" --body "case d" || true
	send a --from sender@local.test --to nouser@remote.test \
	    --h-Subject "e2e-a-$TOKEN unknown user" --body "case a" || true
	send b --from '<>' --to sender@local.test --data "@$DATA/dsn-over-smtp.eml" \
	    --add-header "X-E2E-Case: b-$TOKEN" || true
	send c --from colleague@remote.test --to sender@local.test \
	    --data "@$DATA/plain-mail.eml" --add-header "X-E2E-Case: c-$TOKEN" || true
	send e --from '<>' --to sender@local.test --data "@$DATA/dsn-over-smtp.eml" \
	    --add-header "X-E2E-Case: e-$TOKEN" --add-header "X-DSN-Status: 9.9.9" \
	    --add-header "X-DSN-Reason: forged" \
	    --add-header "X-DSN-Annotated: evil.example (dsnmilter 0.0)" || true
	send h --from '<>' --to sender@local.test --data "@$DATA/dsn-over-smtp.eml" \
	    --add-header "X-E2E-Case: h-$TOKEN" --xclient-addr 192.0.2.99 || true
	if [ "$E2E_PLAIN" = 1 ]; then
		send f --from '<>' --to sender@local.test --data "@$DATA/plain-bounce.eml" \
		    --add-header "X-E2E-Case: f-$TOKEN" || true
	fi
}

check_a() {
	delivered a "$SHORT_WAIT" "e2e-a-$TOKEN" "Undelivered Mail Returned to Sender" || return 0
	local f qid
	f=$(cat "$T/file-a")
	expect_header_match a "$f" Return-Path '^<(MAILER-DAEMON)?>$'
	milter_on || return 0
	expect_annotated a "$f" 5.1.1 userunknown sender
	expect_header_match a "$f" X-DSN-Recipient \
	    '^<nouser@remote.test>; *action=failed; *status=5\.1\.1; *reason=userunknown; *owner=sender'
	# the delivered file is named after the bounce's queue ID
	qid=$(basename "$f" | cut -d. -f1)
	if grep -qE "$qid: bounce status=5\\.1\\.1 reason=userunknown owner=sender rcpt=<nouser@remote\\.test>( [a-z_]+=[^ ]*)* action=annotated" \
	    "$T/milter.log"; then
		ok "a: milter logged '$qid: bounce status=5.1.1 ... action=annotated'"
	else
		not_ok "a: no '$qid: bounce status=5.1.1 ... action=annotated' line in the milter log"
	fi
}

check_b() {
	delivered b "$SHORT_WAIT" "X-E2E-Case: b-$TOKEN" || return 0
	milter_on || return 0
	expect_annotated b "$(cat "$T/file-b")" 5.2.2 mailboxfull recipient
}

# body_of FILE: everything after the first empty line, without trailing
# empty lines (swaks appends one to --data)
body_of() {
	awk 'b { if ($0 == "") { n++; next } while (n) { print ""; n-- } print }
	     /^$/ && !b { b = 1 }' "$1"
}

check_c() {
	delivered c "$SHORT_WAIT" "X-E2E-Case: c-$TOKEN" || return 0
	local f
	f=$(cat "$T/file-c")
	if [ -z "$(dsn_headers "$f")" ]; then
		ok "c: ordinary mail carries no X-DSN-* or X-Failed-Recipients header"
	else
		not_ok "c: ordinary mail got: $(dsn_headers "$f" | tr '\n' '|')"
	fi
	if cmp -s <(body_of "$f") <(body_of "$DATA/plain-mail.eml"); then
		ok "c: ordinary mail body unchanged"
	else
		not_ok "c: ordinary mail body changed:"
		{ diff <(body_of "$DATA/plain-mail.eml") <(body_of "$f") || true; } |
		    sed 's/^/#   /' | head -n 20
	fi
}

check_d() {
	delivered d "$DELAY_WAIT" "e2e-d-$TOKEN" "Subject: Delayed Mail" || return 0
	milter_on || return 0
	local f
	f=$(cat "$T/file-d")
	expect_header_match d "$f" X-DSN-Annotated "$ANNOTATED_RE"
	expect_header d "$f" X-DSN-Status 4.2.2
	expect_header d "$f" X-DSN-Fix-Owner none
	expect_header_match d "$f" X-DSN-Recipient '^<full@remote.test>;.*action=delayed'
}

check_e() {
	delivered e "$SHORT_WAIT" "X-E2E-Case: e-$TOKEN" || return 0
	milter_on || return 0
	local f
	f=$(cat "$T/file-e")
	expect_header e "$f" X-DSN-Status 5.2.2
	expect_header e "$f" X-DSN-Reason mailboxfull
	if dsn_headers "$f" | grep -qiE '9\.9\.9|forged|evil\.example'; then
		not_ok "e: a forged X-DSN-* header survived: $(dsn_headers "$f" | tr '\n' '|')"
	else
		ok "e: forged X-DSN-* headers removed"
	fi
	expect_header_match e "$f" X-DSN-Annotated "$ANNOTATED_RE"
}

check_f() {
	[ "$E2E_PLAIN" = 1 ] || { echo "ok - f: # SKIP plain-text bounces (E2E_PLAIN=0)"; return 0; }
	delivered f "$SHORT_WAIT" "X-E2E-Case: f-$TOKEN" || return 0
	milter_on || return 0
	expect_annotated f "$(cat "$T/file-f")" 5.1.1 userunknown
	[ "$E2E_BODY" = 1 ] || return 0
	local why
	if why=$(plain_body_check "$(cat "$T/file-f")" \
		"$TOP_SRCDIR/tests/e2e/data/plain-bounce.eml" 2>&1); then
		ok "f: plain bounce became multipart/mixed, explanation first, original body kept"
	else
		not_ok "f: $why"
	fi
}

# plain_body_check FILE SENT: multipart/mixed, part 1 our alternative, part 2
# the body of the plain-text bounce SENT, unchanged (line ends aside)
plain_body_check() {
	"$PYTHON" - "$1" "$2" <<'EOF'
import email, email.policy, sys
msg = email.message_from_binary_file(open(sys.argv[1], "rb"), policy=email.policy.compat32)
sent = email.message_from_binary_file(open(sys.argv[2], "rb"), policy=email.policy.compat32)
if msg.get_content_type() != "multipart/mixed":
    sys.exit("top level is %s, not multipart/mixed" % msg.get_content_type())
first, second = msg.get_payload()[0], msg.get_payload()[1]
if first.get_content_type() != "multipart/alternative":
    sys.exit("part 1 is %s, not multipart/alternative" % first.get_content_type())
norm = lambda b: b.replace(b"\r\n", b"\n").strip()
if norm(second.get_payload(decode=True)) != norm(sent.get_payload(decode=True)):
    sys.exit("part 2 is not the original body")
EOF
}

# body_check FILE: multipart/report whose part 1 is multipart/alternative
# with a text/plain that starts with "Your message to"
body_check() {
	"$PYTHON" - "$1" <<'EOF'
import email, email.policy, sys
msg = email.message_from_binary_file(open(sys.argv[1], "rb"), policy=email.policy.compat32)
if msg.get_content_type() != "multipart/report":
    sys.exit("top level is %s, not multipart/report" % msg.get_content_type())
first = msg.get_payload()[0]
if first.get_content_type() != "multipart/alternative":
    sys.exit("part 1 is %s, not multipart/alternative" % first.get_content_type())
plain = [p for p in first.get_payload() if p.get_content_type() == "text/plain"]
if not plain:
    sys.exit("no text/plain in part 1")
text = plain[0].get_payload(decode=True).decode("utf-8", "replace").lstrip()
if not text.startswith("Your message to"):
    sys.exit("text/plain starts with %r" % text[:60])
EOF
}

check_g() {
	[ "$E2E_BODY" = 1 ] || { echo "ok - g: # SKIP body rewrite (E2E_BODY=0)"; return 0; }
	if ! milter_on || [ ! -s "$T/file-a" ]; then
		not_ok "g: no annotated bounce from case a to inspect"
		return 0
	fi
	local why
	if why=$(body_check "$(cat "$T/file-a")" 2>&1); then
		ok "g: bounce part 1 is multipart/alternative starting 'Your message to'"
	else
		not_ok "g: $why"
	fi
}

check_h() {
	delivered h "$SHORT_WAIT" "X-E2E-Case: h-$TOKEN" || return 0
	milter_on || return 0
	local f
	f=$(cat "$T/file-h")
	expect_header h "$f" X-DSN-Trust external
	expect_header h "$f" X-DSN-Status 5.2.2
	if cmp -s <(body_of "$f") <(body_of "$DATA/dsn-over-smtp.eml"); then
		ok "h: body of the untrusted bounce unchanged"
	else
		not_ok "h: body of the untrusted bounce was changed"
	fi
}

# --- main --------------------------------------------------------------------

START=$SECONDS
echo "# dsnmilter e2e in $T (milter: $([ "$E2E_NO_MILTER" = 1 ] && echo off || echo "$DSNMILTER"), hook: $E2E_VARIANT)"
start_watchdog
setup
check_reload
send_all
SENT_AT=$SECONDS
check_a
check_b
check_c
check_e
check_f
check_g
check_h
check_d
if milter_on; then
	if kill -0 "$MILTER_PID" 2>/dev/null; then
		ok "dsnmilter still running after the run"
	else
		not_ok "dsnmilter died during the run"
	fi
fi
echo "# $PASSED passed, $FAILED failed, $((SECONDS - START))s"
if [ "$FAILED" -gt 0 ]; then
	show_logs
	exit 1
fi
exit 0
