#!/bin/sh
# interrupt.sh - Ctrl-C, kill and a closed terminal at a random moment:
# every long-running command ends promptly with the status its man page
# promises, leaves no process running and nothing behind in ipcs,
# /dev/shm, /dev/mqueue, the run directory or the scratch directory.
#
# The moments come from a seeded pseudo-random sequence; the seed is
# printed, and IPCLAB_SEED=N make check TESTS=tests/interrupt.sh replays it.
# tap.sh's bg and reap_bg set bg_pid and rc; 'shellcheck -x' sees that.
# shellcheck disable=SC1091,SC2154
. "${top_srcdir:-.}/tests/tap.sh"
. "${top_srcdir:-.}/tests/objects.sh"

seed=${IPCLAB_SEED:-20261123}
case $seed in
'' | *[!0-9]*) echo "Bail out! IPCLAB_SEED must be a number"; exit 99 ;;
esac
diag "seed $seed: IPCLAB_SEED=$seed replays these moments"
state=$((seed % 2147483648))

# next_delay: the next moment, 0.050 to 0.600 s, in $delay (an LCG, the
# C standard's example rand(), so every sh computes the same sequence).
next_delay() {
	state=$(((state * 1103515245 + 12345) % 2147483648))
	delay=0.$(printf '%03d' $((50 + (state / 65536) % 551)))
}

# Files the test makes for the commands; they are meant to stay.
fifo=$SCRATCH/follow
mkfifo "$fifo"
lockfile=$SCRATCH/lockfile
: >"$lockfile"
sock=$SCRATCH/sock
rd=$XDG_RUNTIME_DIR/ipclab-$(id -u)

# ended PID: PID has exited (gone, or a zombie waiting for its parent).
ended() {
	tap_state=$(sed 's/.*) \([A-Z]\).*/\1/' "/proc/$1/stat" 2>/dev/null)
	[ -z "$tap_state" ] || [ "$tap_state" = Z ]
}

# interrupt "INT TERM HUP" STATUSES CMD...: for each signal, start CMD,
# send the signal to it at a random moment, and check the status (the
# matching word of STATUSES), that it ended within 2 s, and that nothing
# of it remains.
interrupt() {
	sigs=$1
	statuses=$2
	shift 2
	for sig in $sigs; do
		want=${statuses%% *}
		statuses=${statuses#* }
		next_delay
		objects_before
		bg "$@" >/dev/null 2>"$SCRATCH/.err"
		pid=$bg_pid
		desc="SIG$sig after ${delay}s ends $*"
		if ! wait_for 5 first_child "$pid"; then
			reap_bg "$pid"
			not_ok "$desc"
			diag "it never started: status $rc" \
			    "$(head -n 3 "$SCRATCH/.err")"
			continue
		fi
		sleep "$delay"
		kill -s "$sig" "$child"
		why=
		if ! wait_for 2 ended "$pid"; then
			why="$why still running 2 s after SIG$sig;"
			kill -s KILL "$child" 2>/dev/null
		fi
		reap_bg "$pid"
		[ "$rc" -eq "$want" ] || why="$why exit $rc, not $want;"
		if ! wait_for 2 no_leftovers; then
			why="$why left running: $(leftovers);"
			for p in $(leftovers); do
				kill -s KILL "${p%%(*}" 2>/dev/null
			done
		fi
		if ! nothing_new; then
			why="$why left behind: $(objects_new |
			    tr '\n' ' ');"
		fi
		if [ -z "$why" ]; then
			ok "$desc"
		else
			not_ok "$desc"
			diag "problem:$why" "stderr: $(tail -n 3 "$SCRATCH/.err")"
		fi
	done
}

# 128+N: 130 for SIGINT, 143 for SIGTERM, 129 for SIGHUP.
all='INT TERM HUP'
died='130 143 129'
n=100000000
interrupt "$all" "$died" ipc-pipe -q atomic -n "$n"
interrupt "$all" "$died" ipc-pipe -q bench -n "$n"
interrupt "$all" "$died" ipc-pipe -q bench --latency -n "$n"
interrupt "$all" "$died" connect2 -q yes -- cat
interrupt "$all" "$died" ipc-fifo -q bench -n "$n"
interrupt "$all" "$died" ipc-fifo -q read --follow "$fifo"
interrupt "$all" "$died" ipc-msgq -q bench -n "$n"
interrupt "$all" "$died" ipc-msgq -q --posix bench -n "$n"
interrupt "$all" "$died" ipc-shm -q demo -n "$n"
interrupt "$all" "$died" ipc-shm -q bench -n "$n"
interrupt "$all" "$died" ipc-shm -q --posix bench -n "$n"
interrupt "$all" "$died" ipc-shm -q --memfd bench --spin -n "$n"
interrupt "$all" "$died" ipc-sem -q counter -w 2 -n "$n"
interrupt "$all" "$died" ipc-sem -q counter --named -w 2 -n "$n"
interrupt "$all" "$died" ipc-sem -q counter --sysv -w 2 -n "$n"
interrupt "$all" "$died" ipc-socket -q serve "$sock"
interrupt "$all" "$died" ipc-socket -q bench -n "$n"
interrupt "$all" "$died" ipc-flock -q demo -n 1000000
interrupt "$all" "$died" ipc-flock -q lock "$lockfile" -- sleep 60
interrupt "$all" "$died" ipc-flock -q bench -n "$n"
interrupt "$all" "$died" ipc-signal -q bench -n "$n"
# ipc-signal(1): SIGINT, SIGTERM and SIGHUP are supervise's normal end,
# SIGINT and SIGTERM catch's (it reports SIGHUP and goes on).
interrupt "$all" '0 0 0' ipc-signal -q supervise
interrupt 'INT TERM' '0 0' ipc-signal -q catch

# More paths through the programs, one signal each.
interrupt INT 130 ipc-pipe -q eof --leave-open -t 60
interrupt TERM 143 connect2 -q sleep 60 -- cat
interrupt HUP 129 ipc-fifo -q bench --latency -n "$n"
interrupt INT 130 ipc-msgq -q --posix bench --latency -n "$n"
interrupt TERM 143 ipc-shm -q --memfd demo -n "$n"
interrupt HUP 129 ipc-shm -q bench --latency -n "$n"
interrupt INT 130 ipc-socket -q bench --latency -n "$n"
interrupt TERM 143 ipc-socket -q bench --tcp 127.0.0.1:0 -n "$n"
interrupt HUP 129 ipc-socket -q serve --dgram "$sock"
interrupt INT 130 ipc-socket -q serve --abstract "$UNIQ"
interrupt TERM 143 ipc-socket -q recvfd "$sock"
interrupt HUP 129 ipc-flock -q bench --latency -n "$n"
# ipc-flock lock waiting for a lock that another process holds, of each
# kind: in F_SETLKW, F_OFD_SETLKW (both meet the fcntl lock) or flock().
# The holders run without the test's tag, so the leftover checks of the
# cases pass them by; they are stopped below.
held=$SCRATCH/held
: >"$held"
env -u IPCLAB_TEST_TAG timeout -k 2 120 ipc-flock -q lock "$held" \
    -- sleep 120 </dev/null >/dev/null 2>&1 &
holders=$!
env -u IPCLAB_TEST_TAG timeout -k 2 120 ipc-flock -q lock --flock "$held" \
    -- sleep 120 </dev/null >/dev/null 2>&1 &
holders="$holders $!"
# both_held FILE: an fcntl lock and a flock(2) lock are held on FILE.
both_held() {
	ipc-flock -q test "$1" | grep -q '^locked' &&
	    ipc-flock -q test --flock "$1" | grep -q '^locked'
}
if wait_for 5 both_held "$held"; then
	interrupt "$all" "$died" ipc-flock -q lock "$held" -- true
	interrupt "$all" "$died" ipc-flock -q lock --ofd "$held" -- true
	interrupt "$all" "$died" ipc-flock -q lock --flock "$held" -- true
	interrupt INT 130 ipc-flock -q lock --flock --shared "$held" -- true
else
	for _ in 1 2 3 4 5 6 7 8 9 10; do
		skip "the holders of $held never took their locks"
	done
fi
# shellcheck disable=SC2086 # two pids
kill -s TERM $holders 2>/dev/null
# shellcheck disable=SC2086
wait $holders
# A lease (fcntl F_SETLEASE) makes every other open() of the file wait
# until its holder lets go, or for lease-break-time (45 s): lock and test
# wait in open().  python3 holds one, ignoring the SIGIO that asks it to
# let go.
leased=$SCRATCH/leased
: >"$leased"
if command -v python3 >/dev/null 2>&1 &&
    [ "$(cat /proc/sys/fs/lease-break-time)" -ge 20 ]; then
	env -u IPCLAB_TEST_TAG timeout -k 2 60 python3 -c '
import fcntl, os, signal, sys, time
signal.signal(signal.SIGIO, signal.SIG_IGN)
fcntl.fcntl(os.open(sys.argv[1], os.O_RDONLY), 1024, fcntl.F_WRLCK)
time.sleep(60)' "$leased" 2>/dev/null &
	lessor=$!
	ino=$(stat -c %i "$leased")
	if wait_for 5 grep -q " LEASE .*:$ino " /proc/locks; then
		interrupt INT 130 ipc-flock -q lock "$leased" -- true
		interrupt TERM 143 ipc-flock -q test "$leased"
	else
		skip "python3 could not take a lease on $leased"
		skip "python3 could not take a lease on $leased"
	fi
	kill -s TERM "$lessor" 2>/dev/null
	wait "$lessor"
else
	skip "a lease needs python3 and a lease-break-time of 20 s or more"
	skip "a lease needs python3 and a lease-break-time of 20 s or more"
fi
# A semaphore at 0 that the test made: wait sleeps until the signal.
sem=/$UNIQ
ipc-sem -q -N "$sem" create -V 0
interrupt INT 130 ipc-sem -q -N "$sem" wait
ipc-sem -q -N "$sem" rm

# SIGPIPE and SIGXFSZ would kill as surely as SIGTERM: a reader of our
# output that goes away at once ("| true"), a file size limit of 0 on
# the output file.  Caught, each ends by the cleanup: exit 1, or death
# by the signal once the cleanup is done, and nothing left.  (Each
# command writes to stdout at least at its end.)
: >"$SCRATCH/.fsize"
for cmd in "ipc-msgq -q demo" "ipc-msgq -q demo --posix" "ipc-sem -q counter --sysv" \
    "ipc-sem -q counter --named" "ipc-fifo -q demo" "ipc-socket -q cred" \
    "ipc-shm -q demo -n 2000" "ipc-shm -q mmap" "ipc-sem -q undo" "ipc-pipe -q demo"; do
	for how in pipe fsize; do
		objects_before
		case $how in
		pipe)
			# true is gone before the command starts, so its
			# every write to the pipe meets no reader.
			# shellcheck disable=SC2086 # the command is words
			run -t 30 sh -c '(sleep 0.3; exec "$@") | true' sh $cmd ;;
		fsize)
			# (No exec: this sh, not ours, reports a death by
			# SIGXFSZ, as a status.)
			# shellcheck disable=SC2016,SC2086 # $0 is sh's; words
			run -t 30 sh -c 'ulimit -f 0; "$@" >"$0" 2>/dev/null' \
			    "$SCRATCH/.fsize" $cmd ;;
		esac
		why=
		if ! wait_for 2 no_leftovers; then
			why="$why left running: $(leftovers);"
		fi
		if ! nothing_new; then
			why="$why left behind: $(objects_new | tr '\n' ' ');"
		fi
		if [ -z "$why" ]; then
			ok "$cmd, its output's $how gone: nothing left"
		else
			not_ok "$cmd, its output's $how gone: nothing left"
			diag "problem:$why" "status $rc" "stderr: $(printf '%s\n' "$err" | head -n 3)"
		fi
	done
done
rm -f "$SCRATCH/.fsize"

is "$(ls -A "$rd" 2>/dev/null)" "" "the run directory is empty"
left=$(leftovers)
is "$left" "" "nothing of ours is left running"
done_testing
