#!/bin/sh
# jobcontrol.sh - Ctrl-Z and fg while a command sleeps in the kernel.
#
# A student who stops a waiting `ipc-sem wait`, `ipc-msgq recv`,
# `ipc-fifo read` or `ipc-flock lock` and lets it go on must see nothing
# change: it waits on, and once the post, message, data or lock comes it
# gets it, prints what it should, exits 0 and leaves nothing behind.
# Each waiter is stopped and continued five times with SIGSTOP (what
# kill -STOP and a debugger send) and five times with SIGTSTP (what
# Ctrl-Z sends); on Linux a stop and a SIGCONT can end semop(2) and a
# few other calls with EINTR even with no handler installed.
# tap.sh's bg and reap_bg set bg_pid and rc; 'shellcheck -x' sees that.
# jobs_case calls setup, waiting, release and teardown, redefined for each
# case (SC2317); the sh -c scripts expand their own "$1" (SC2016).
# shellcheck disable=SC1091,SC2154,SC2317,SC2016
. "${top_srcdir:-.}/tests/tap.sh"
. "${top_srcdir:-.}/tests/objects.sh"

rd=$XDG_RUNTIME_DIR/ipclab-$(id -u)
key=$((0x6a000000 + ($$ % 1000000) * 4))
claim key "$key"
name=/ipclab-test-$UNIQ
fifo=$SCRATCH/fifo
lockfile=$SCRATCH/lockfile
go=$SCRATCH/go
# The waiter's output; made now so that they are no new objects later.
: >"$SCRATCH/j.out"
: >"$SCRATCH/j.err"

# The one-letter state of process PID (S sleeping, T stopped), or nothing
# once it is gone.
state() {
	sed -n 's/^State:[[:space:]]*\(.\).*/\1/p' "/proc/$1/status" 2>/dev/null
}
stopped() {
	[ "$(state "$1")" = T ]
}
# running PID: alive, not stopped, not a zombie.
running() {
	case $(state "$1") in
	'' | T | Z) false ;;
	*) true ;;
	esac
}
said() {
	grep -q -- "$1" "$SCRATCH/j.err"
}
semncnt() {
	ipc-sem -q --sysv -k "$key" info | grep -q "^semncnt: *$1 "
}

# What each case does; the functions are set before calling jobs_case.
#   setup:    make the object the waiter waits on (after objects_before);
#   waiting:  true while the waiter ($child) sleeps for it;
#   release:  give it what it waits for;
#   teardown: remove what setup made.
# jobs_case SIG WANT DESC CMD...: start CMD, stop it with SIG and continue
# it five times, release it, and check that it printed WANT on stdout,
# exited 0, and that nothing is left running or behind.
jobs_case() {
	sig=$1
	want=$2
	desc="$3 (SIG$sig/SIGCONT x5)"
	shift 3
	objects_before
	setup
	bg "$@" >"$SCRATCH/j.out" 2>"$SCRATCH/j.err"
	pid=$bg_pid
	if ! wait_for 5 first_child "$pid" || ! wait_for 5 waiting; then
		not_ok "$desc: it waits"
		diag "stderr: $(tail -n 3 "$SCRATCH/j.err")"
		kill -s KILL "$pid" "${child:-}" 2>/dev/null
		reap_bg "$pid"
		teardown
		return
	fi
	ok "$desc: it waits"
	why=
	for round in 1 2 3 4 5; do
		if [ -z "$(state "$child")" ]; then
			why="$why it ended before round $round;"
			break
		fi
		kill -s "$sig" "$child"
		wait_for 2 stopped "$child" ||
		    why="$why round $round: not stopped (state $(state "$child"));"
		kill -s CONT "$child"
		wait_for 2 running "$child" ||
		    why="$why round $round: not running after SIGCONT (state $(state "$child"));"
		wait_for 2 waiting ||
		    why="$why round $round: no longer waiting;"
	done
	if [ -z "$why" ]; then
		ok "$desc: still waiting after each stop"
	else
		not_ok "$desc: still waiting after each stop"
		diag "problem:$why" "stderr: $(tail -n 3 "$SCRATCH/j.err")"
	fi
	release
	reap_bg "$pid"
	is "$rc" 0 "$desc: exits 0 once released"
	is "$(cat "$SCRATCH/j.out")" "$want" "$desc: prints what it got"
	# The program may narrate an EINTR it retried; it must not fail on one.
	if grep -q 'Interrupted system call' "$SCRATCH/j.err"; then
		not_ok "$desc: no EINTR reaches the student"
		diag "$(grep 'Interrupted system call' "$SCRATCH/j.err")"
	else
		ok "$desc: no EINTR reaches the student"
	fi
	teardown
	check "$desc: nothing left running" wait_for 2 no_leftovers
	if nothing_new; then
		ok "$desc: nothing left behind"
	else
		not_ok "$desc: nothing left behind"
		diag "left: $(objects_new | tr '\n' ' ')"
	fi
}

# A named POSIX semaphore at 0; sem_wait sleeps until a post.
setup() {
	ipc-sem -q -N "$name" create -V 0
}
waiting() {
	running "$child" && said 'sem_timedwait("'
}
release() {
	ipc-sem -q -N "$name" post
}
teardown() {
	ipc-sem -q -N "$name" rm
}
for sig in STOP TSTP; do
	jobs_case "$sig" '' "ipc-sem wait (POSIX)" ipc-sem -N "$name" wait
	like "$(cat "$SCRATCH/j.err")" 'sem_timedwait -> 0: a unit was there' \
	    "ipc-sem wait (POSIX, SIG$sig): the post's unit is taken"
done

# A System V set at 0: semop sleeps, and semncnt counts it.
setup() {
	ipc-sem -q --sysv -k "$key" create -V 0
}
waiting() {
	running "$child" && semncnt 1
}
release() {
	ipc-sem -q --sysv -k "$key" post
}
teardown() {
	ipc-sem -q --sysv -k "$key" rm
}
for sig in STOP TSTP; do
	jobs_case "$sig" '' "ipc-sem --sysv wait" ipc-sem --sysv -k "$key" wait
	like "$(cat "$SCRATCH/j.err")" 'semop -> 0: took one unit' \
	    "ipc-sem --sysv wait (SIG$sig): the post's unit is taken"
	diag "semop failed with EINTR $(grep -c 'semop -> EINTR' \
	    "$SCRATCH/j.err") times after SIG$sig and SIGCONT; ipc-sem waited again"
done

# An empty System V queue: msgrcv sleeps until a message comes.
setup() {
	:
}
waiting() {
	running "$child" && said 'nothing yet; waiting'
}
release() {
	ipc-msgq -q -k "$key" send "after the stops"
}
teardown() {
	ipc-msgq -q -k "$key" rm
}
for sig in STOP TSTP; do
	jobs_case "$sig" "after the stops" "ipc-msgq recv" \
	    ipc-msgq -k "$key" recv
done

# An empty POSIX queue: mq_receive sleeps.
waiting() {
	running "$child" && said 'mq_receive waits'
}
release() {
	ipc-msgq -q --posix -N "$name" send "after the stops"
}
teardown() {
	ipc-msgq -q --posix -N "$name" rm
}
for sig in STOP TSTP; do
	jobs_case "$sig" "after the stops" "ipc-msgq --posix recv" \
	    ipc-msgq --posix -N "$name" recv
done

# A FIFO with no writer: the reader's open(2) sleeps until one comes.
setup() {
	ipc-fifo -q make "$fifo"
}
waiting() {
	running "$child" && said 'waiting for a writer'
}
release() {
	ipc-fifo -q write "$fifo" "after the stops"
}
teardown() {
	ipc-fifo -q rm "$fifo"
}
for sig in STOP TSTP; do
	jobs_case "$sig" "after the stops" "ipc-fifo read, asleep in open" \
	    ipc-fifo read "$fifo"
done

# A FIFO whose writer sent one line and holds it open: read(2) sleeps.
setup() {
	ipc-fifo -q make "$fifo"
	rm -f "$go"
	bg sh -c 'exec 3>"$1"; echo before >&3
	    while [ ! -e "$2" ]; do sleep 0.05; done; echo after >&3' \
	    sh "$fifo" "$go"
	writer=$bg_pid
}
waiting() {
	running "$child" && said 'the first data arrives'
}
release() {
	: >"$go"
	reap_bg "$writer"
}
teardown() {
	ipc-fifo -q rm "$fifo"
	rm -f "$go"
}
for sig in STOP TSTP; do
	jobs_case "$sig" "before
after" "ipc-fifo read, asleep in read" ipc-fifo read "$fifo"
done

# A lock another process holds: F_SETLKW (or flock, or F_OFD_SETLKW)
# sleeps until it lets go.
: >"$lockfile"
setup() {
	rm -f "$go"
	bg ipc-flock -q $style lock "$lockfile" -- sh -c \
	    'while [ ! -e "$1" ]; do sleep 0.05; done' sh "$go"
	holder=$bg_pid
	wait_for 5 sh -c 'ipc-flock -q $1 test "$2" | grep -q "^locked:"' \
	    sh "$style" "$lockfile" || diag "the holder never took the lock"
}
waiting() {
	running "$child" && said 'waiting until it is released'
}
release() {
	: >"$go"
	reap_bg "$holder"
	[ "$rc" -eq 0 ] || diag "the holder exited $rc"
}
teardown() {
	rm -f "$go"
}
for style in --fcntl --ofd --flock; do
	[ "$style" = --fcntl ] && style=
	for sig in STOP TSTP; do
		# $style is one option or none: split on purpose.
		# shellcheck disable=SC2086
		jobs_case "$sig" "got the lock" "ipc-flock ${style:---fcntl} lock" \
		    ipc-flock $style lock "$lockfile" -- echo "got the lock"
	done
done
rm -f "$lockfile"

is "$(ls -A "$rd" 2>/dev/null)" "" "the run directory is empty"
is "$(leftovers)" "" "nothing of ours is left running"
done_testing
