# tap.sh - TAP helpers for ipclab's tests.  Source it first:
#	. "${top_srcdir:-.}/tests/tap.sh"
#
# It gives each test script:
#   - PATH with the freshly built programs first;
#   - $SCRATCH, a private directory removed on exit, and XDG_RUNTIME_DIR
#     inside it, so run directories and default objects stay in there;
#   - $UNIQ, a string no other run (make -j check, another user) uses;
#   - ok, not_ok, check, is, like, skip, skip_all, diag, done_testing;
#   - run: a command with a time bound, its stdout, stderr and status kept;
#   - bg and reap_bg: background programs, bounded and always reaped;
#     first_child: the program a bg's timeout runs;
#   - leftovers: our own processes still running; no_leftovers;
#   - claim: keys, names and pids that are ours, for the other runs'
#     leftover checks; defaults_take and defaults_give: the lock on the
#     per-user default POSIX names;
#   - narration: a log's narration lines, as "PID TEXT";
#   - listening: a Unix-domain server at PATH accepts connections.
# shellcheck shell=sh

set -u

if [ -z "${top_builddir:-}" ]; then
	echo "Bail out! run the tests through 'make check'"
	exit 99
fi
for d in pipe fifo msgq shm sem socket flock signal; do
	PATH="$top_builddir/$d:$PATH"
done
export PATH
LC_ALL=C
export LC_ALL

SCRATCH=$(mktemp -d "${TMPDIR:-/tmp}/ipclab-test.XXXXXX") || {
	echo "Bail out! mktemp failed"
	exit 99
}
# shellcheck disable=SC2034 # for the scripts that source this
UNIQ="t$$-$(basename "$SCRATCH" | sed 's/.*\.//')"
XDG_RUNTIME_DIR="$SCRATCH/run"
mkdir -m 700 "$XDG_RUNTIME_DIR"
export XDG_RUNTIME_DIR
# The lock that scripts using the per-user default POSIX names hold
# (defaults_take), one per build tree: every run of a user shares them.
tap_defaults_lock=$top_builddir/tests/defaults.lock
tap_defaults_held=
tap_defaults_wait=${IPCLAB_DEFAULTS_WAIT:-900}
# Every process a test starts carries this, so leftovers can be found.
IPCLAB_TEST_TAG="$SCRATCH"
export IPCLAB_TEST_TAG

# Where the C library keeps the named semaphore "/NAME": "$SEM_AT"NAME,
# /dev/shm/sem.NAME with glibc, /dev/shm/NAME with musl (configure asked
# it; make check passes what it found).
# shellcheck disable=SC2034 # for the scripts that source this
SEM_AT=/dev/shm/${IPCLAB_SEM_PREFIX-sem.}

# A CPU number --cpu accepts (below CPU_SETSIZE: 1024 with glibc, 128
# with musl) that no machine of ours has.
# shellcheck disable=SC2034 # for the scripts that source this
NOCPU=$((${IPCLAB_CPU_SETSIZE:-1024} - 1))

tap_n=0
tap_bg=

tap_cleanup() {
	for p in $tap_bg; do
		kill -KILL "$p" 2>/dev/null
	done
	defaults_give
	rm -rf "$SCRATCH"
}
trap tap_cleanup EXIT
trap 'exit 1' HUP INT TERM

ok() {
	tap_n=$((tap_n + 1))
	# printf, not echo: a name may hold a backslash ("tr '\0' z").
	printf 'ok %s - %s\n' "$tap_n" "$*"
}

not_ok() {
	tap_n=$((tap_n + 1))
	printf 'not ok %s - %s\n' "$tap_n" "$*"
}

diag() {
	printf '%s\n' "$@" | sed 's/^/# /'
}

# check DESC CMD...: ok when CMD succeeds.
check() {
	tap_desc=$1
	shift
	if "$@"; then
		ok "$tap_desc"
	else
		not_ok "$tap_desc"
	fi
}

# is GOT EXPECTED DESC
is() {
	if [ "$1" = "$2" ]; then
		ok "$3"
	else
		not_ok "$3"
		diag "expected: $2" "     got: $1"
	fi
}

# like GOT PATTERN DESC: GOT matches the extended regular expression.
like() {
	if printf '%s\n' "$1" | grep -Eq -- "$2"; then
		ok "$3"
	else
		not_ok "$3"
		diag "expected to match: $2" "got: $1"
	fi
}

skip() {
	tap_n=$((tap_n + 1))
	echo "ok $tap_n # SKIP $*"
}

skip_all() {
	echo "1..0 # SKIP $*"
	exit 0
}

done_testing() {
	echo "1..$tap_n"
}

# run [-t SECONDS] CMD...: run CMD with its standard input from /dev/null
# (inherited: redirect it on the call) and a time bound (default 30 s).  Sets $out, $err
# and $rc; a command that overran the bound gets rc 124.
run() {
	tap_limit=30
	if [ "$1" = -t ]; then
		tap_limit=$2
		shift 2
	fi
	timeout -k 2 "$tap_limit" "$@" >"$SCRATCH/.out" 2>"$SCRATCH/.err"
	rc=$?
	out=$(cat "$SCRATCH/.out")
	err=$(cat "$SCRATCH/.err")
}

# usage_error DESC PROG ARG...: exit 2, nothing on stdout, and stderr
# starting "PROG: " with the "Try 'PROG --help'" line after it.
usage_error() {
	tap_desc=$1
	shift
	run "$@" </dev/null
	tap_first=$(printf '%s\n' "$err" | head -n 1)
	tap_prog=$(basename "$1")
	if [ "$rc" -eq 2 ] && [ -z "$out" ] &&
	    case $tap_first in "$tap_prog: "*) true ;; *) false ;; esac; then
		ok "usage error: $tap_desc"
	else
		not_ok "usage error: $tap_desc"
		diag "rc=$rc" "stdout: $out" "stderr: $err"
	fi
}

# bg CMD...: start CMD in the background, bounded to 60 s, with SIGINT and
# SIGTERM at their defaults (a script's background jobs ignore SIGINT).
# Sets $bg_pid.
bg() {
	timeout -k 2 60 env --default-signal=INT,TERM "$@" &
	bg_pid=$!
	tap_bg="$tap_bg $bg_pid"
}

# reap_bg PID: wait for it; sets $rc.
reap_bg() {
	wait "$1"
	rc=$?
}

# first_child PID: the pid of PID's first child (for bg's $bg_pid: the
# program that timeout runs), in $child; false while there is none.
first_child() {
	child=$(pgrep -P "$1" | head -n 1)
	[ -n "$child" ]
}

# wait_for SECONDS CMD...: poll until CMD succeeds; false if it never does.
wait_for() {
	tap_tries=$(($1 * 20))
	shift
	while ! "$@"; do
		tap_tries=$((tap_tries - 1))
		[ "$tap_tries" -gt 0 ] || return 1
		sleep 0.05
	done
}

# claim key|name|pid VALUE...: tell the other test runs on the machine
# (make -j check) that these System V keys, POSIX names or pids of dead
# processes are this run's, so that their leftover checks (objects.sh)
# pass over them.  Kept in the scratch directory, so gone with the run.
claim() {
	tap_kind=$1
	shift
	for tap_v; do
		[ "$tap_kind" = key ] && tap_v=$(printf '%u' "$tap_v")
		printf '%s %s\n' "$tap_kind" "$tap_v"
	done >>"$SCRATCH/.objects.claims"
}

# defaults_take: wait for this tree's defaults lock and hold it until
# defaults_give or the end of the script.  For tests that use the per-user
# default POSIX names (/ipclab-UID-msgq, -sem, -shm), which a user's other
# runs share: no other script of make -j check uses them meanwhile, and
# the leftover checks of the others pass over them.  The holder is a
# flock(1) of its own, untagged, so it is none of the test's processes
# and passes no descriptor down; it lets go within seconds of the
# script's end, however the script ends (a script's background jobs
# ignore Ctrl-C, and a killed script runs no trap).
defaults_take() {
	[ -n "$tap_defaults_held" ] && return
	# The other holders are scripts of this tree's make check, each done
	# in a few minutes; one that never lets go is stuck, and waiting for
	# it for ever would hang this run too.  flock says 75 if it gave up.
	# shellcheck disable=SC2016 # $1 is the inner shell's
	env -u IPCLAB_TEST_TAG flock -o -w "$tap_defaults_wait" -E 75 \
	    "$tap_defaults_lock" sh -c \
	    'while kill -0 "$1" 2>/dev/null; do sleep 1; done' sh "$$" \
	    </dev/null >/dev/null 2>&1 &
	tap_defaults_held=$!
	while ! pgrep -P "$tap_defaults_held" >/dev/null; do
		if ! kill -0 "$tap_defaults_held" 2>/dev/null; then
			wait "$tap_defaults_held"
			tap_rc=$?
			tap_defaults_held=
			if [ "$tap_rc" -eq 75 ]; then
				echo "Bail out! $tap_defaults_lock: held by" \
				    "another script for over" \
				    "$tap_defaults_wait s; is a make check" \
				    "of this tree stuck?"
			else
				echo "Bail out! flock $tap_defaults_lock" \
				    "failed"
			fi
			exit 99
		fi
		sleep 0.05
	done
}

defaults_give() {
	[ -n "$tap_defaults_held" ] || return 0
	pkill -P "$tap_defaults_held" 2>/dev/null
	wait "$tap_defaults_held" 2>/dev/null
	tap_defaults_held=
}

# listening PATH: a Unix-domain socket listens at PATH: /proc/net/unix
# lists it with __SO_ACCEPTCON in its flags.  A server's bind() makes the
# file before its listen(), so the file alone does not say that a client
# may connect yet (connect() in between is refused).
listening() {
	awk -v p="$1" '$NF == p && $4 == "00010000" { f = 1 } END { exit !f }' \
	    /proc/net/unix
}

# narration FILE: FILE's narration lines "[role PID] TEXT", each as
# "PID TEXT", in order; other lines are left out.
narration() {
	awk '/^\[[^]]* [0-9]+\] / {
		head = $0
		sub(/\] .*/, "", head)
		n = split(head, w, " ")
		print w[n], substr($0, index($0, "] ") + 2)
	}' "$1"
}

# leftovers: pids of processes this test started that still run (the
# test's own shells and tools aside).
leftovers() {
	for tap_p in /proc/[0-9]*; do
		tap_pid=${tap_p#/proc/}
		[ "$tap_pid" = "$$" ] && continue
		# The process may end while we look: stay quiet then.
		{ read -r tap_comm <"$tap_p/comm"; } 2>/dev/null || continue
		case $tap_comm in
		sh | dash | bash | tr | grep) continue ;;
		esac
		if tr '\0' '\n' 2>/dev/null <"$tap_p/environ" |
		    grep -qx "IPCLAB_TEST_TAG=$SCRATCH"; then
			printf '%s(%s) ' "$tap_pid" "$tap_comm"
		fi
	done
}

# no_leftovers: true when none of our processes still runs (for wait_for).
no_leftovers() {
	[ -z "$(leftovers)" ]
}
