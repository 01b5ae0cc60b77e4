#!/bin/sh
# sigkill.sh - kill -9 in the middle of a run, then start again.
#
# SIGKILL cannot be caught: the program gets no chance to remove what it
# made or to stop its children.  What a student may then expect:
#   - its children do not run on without it (they die with it);
#   - the same command, started again at once, works: no EEXIST, a stale
#     socket file is probed with connect() and replaced;
#   - what the killed run left behind is removed by the next run, or by
#     the program's own rm, and the test says which.  Objects made with
#     IPC_PRIVATE have no key or name that rm could take: the test
#     removes those itself with ipcrm(1), as a student would, after
#     finding them with ipcs(1);
#   - at the end nothing is left.
# tests/interrupt.sh covers the signals a program can catch.
# tap.sh's run, bg and reap_bg set out, err, rc and bg_pid; 'shellcheck
# -x' sees that.  kill_case calls ready and works, redefined for some
# cases (SC2317).
# shellcheck disable=SC1091,SC2154,SC2317
. "${top_srcdir:-.}/tests/tap.sh"
. "${top_srcdir:-.}/tests/objects.sh"

uid=$(id -u)
rd=$XDG_RUNTIME_DIR/ipclab-$uid
big=100000000
sock=$SCRATCH/sock
fifo=$SCRATCH/fifo
lockfile=$SCRATCH/lockfile
key=$((0x6b000000 + ($$ % 1000000) * 4))
claim key "$key"
# Made now, so that they are no new objects later.
: >"$SCRATCH/k.out"
: >"$SCRATCH/k.err"
: >"$lockfile"

said() {
	grep -Eq -- "$1" "$SCRATCH/k.err"
}
has_child() {
	pgrep -P "$child" >/dev/null
}
# remove_left ID: remove one thing a killed run left, the way a student
# would, and print how.
remove_left() {
	case $1 in
	/dev/mqueue/*)
		ipc-msgq -q --posix -N "/${1#/dev/mqueue/}" rm &&
		    echo "ipc-msgq --posix rm" ;;
	"$SEM_AT"*)
		ipc-sem -q -N "/${1#"$SEM_AT"}" rm && echo "ipc-sem rm" ;;
	/dev/shm/*)
		ipc-shm -q --posix -N "/${1#/dev/shm/}" rm &&
		    echo "ipc-shm --posix rm" ;;
	msg:0:*) ipcrm -q "${1##*:}" && echo "ipcrm -q (IPC_PRIVATE)" ;;
	shm:0:*) ipcrm -m "${1##*:}" && echo "ipcrm -m (IPC_PRIVATE)" ;;
	sem:0:*) ipcrm -s "${1##*:}" && echo "ipcrm -s (IPC_PRIVATE)" ;;
	msg:*)
		k=${1#msg:}
		ipc-msgq -q -k "${k%%:*}" rm && echo "ipc-msgq rm" ;;
	*)
		if [ -p "$1" ]; then
			ipc-fifo -q rm "$1" && echo "ipc-fifo rm"
		else
			echo "nothing removes $1"
		fi ;;
	esac
}

# What each case may override: ready (the run is under way: by default,
# the program has forked its child) and works (a check on the second run
# while it runs; by default none).
default_hooks() {
	ready() {
		has_child
	}
	works() {
		:
	}
}
default_hooks

# ours ID: ID (as objects_new prints it) is the killed run's: in the
# scratch directory, named with this run's $UNIQ or key, or naming one of
# the killed run's processes ($pids) as its creator, last user or in its
# name.
# Other test runs on the machine make and remove objects all the time:
# those are never counted, nor touched.
ours() {
	case $1 in
	"$SCRATCH"/* | *"$UNIQ"*) return 0 ;;
	/dev/shm/* | /dev/mqueue/*) o_pids=${1##*-} ;;
	shm:*) o_pids=$(awk -v id="${1##*:}" '$2 == id { print $5, $6 }' \
	    /proc/sysvipc/shm) ;;
	msg:*) o_pids=$(awk -v id="${1##*:}" '$2 == id { print $6, $7 }' \
	    /proc/sysvipc/msg) ;;
	sem:*) o_pids=$(ipcs -s -i "${1##*:}" 2>/dev/null |
	    awk 'f && NF == 5 { print $5 } /^semnum/ { f = 1 }') ;;
	*) return 1 ;;
	esac
	case $1 in
	msg:"$key":* | sem:"$key":*) return 0 ;;
	esac
	for o_p in $o_pids; do
		case " $pids " in
		*" $o_p "*) return 0 ;;
		esac
	done
	return 1
}
# ours_now: the killed run's objects that are there now, one a line.
# (objects_new would take an orphan's zombie, whose pid still shows in
# /proc until init reaps it, for someone else.)
ours_now() {
	objects_list | awk 'NR == FNR { seen[$1] = 1; next }
	    !($1 in seen) { print $1 }' \
	    "$SCRATCH/.objects.before" - |
	    while read -r id; do
		if ours "$id"; then
			printf '%s\n' "$id"
		fi
	    done
}

# kill_case LEFT TERM CMD...: start CMD; once it is under way, SIGKILL
# it.  Its children must die with it.  Then start CMD again: it must get
# under way (and pass works), and end at SIGTERM with status TERM.  LEFT
# says what the killed run leaves and what removes it:
#   none   nothing is left;
#   next   the second run removes it (a stale socket, an old file);
#   rm     it stays until the program's rm (or ipcrm for IPC_PRIVATE).
kill_case() {
	left=$1
	want=$2
	shift 2
	desc="SIGKILL: $*"
	objects_before
	bg "$@" >"$SCRATCH/k.out" 2>"$SCRATCH/k.err"
	pid=$bg_pid
	if ! wait_for 5 first_child "$pid" || ! wait_for 5 ready; then
		not_ok "$desc: it gets under way"
		diag "stderr: $(tail -n 3 "$SCRATCH/k.err")"
		kill -s KILL "${child:-$pid}" 2>/dev/null
		{ reap_bg "$pid"; } 2>/dev/null
		default_hooks
		return
	fi
	# Mid-run: let it get going first.
	sleep 0.3
	kids=$(pgrep -P "$child" | tr '\n' ' ')
	# And any process it narrated, a child that came and went among them.
	pids="$child $kids $(sed -n 's/^\[[^]]* \([0-9][0-9]*\)\] .*/\1/p' \
	    "$SCRATCH/k.err" | sort -u | tr '\n' ' ')"
	# What they leave is ours: tell the other runs, before they can see
	# it left by a dead process.
	# shellcheck disable=SC2086 # a list of pids
	claim pid $pids
	kill -s KILL "$child"
	# The shell would say "Killed": it is no news here.
	{ reap_bg "$pid"; } 2>/dev/null
	# Orphans notice within a few seconds at most (ipc-signal bench's
	# echo looks every 5 s).
	if wait_for 8 no_leftovers; then
		ok "$desc: its children${kids:+ ($kids)} do not run on"
	else
		not_ok "$desc: its children${kids:+ ($kids)} do not run on"
		diag "still running: $(leftovers)"
		for p in $(leftovers); do
			kill -s KILL "${p%%(*}" 2>/dev/null
		done
	fi
	killed_left=$(ours_now)

	# The same command again, at once.
	bg "$@" >"$SCRATCH/k.out" 2>"$SCRATCH/k.err"
	pid=$bg_pid
	if wait_for 5 first_child "$pid" && wait_for 5 ready && works; then
		ok "$desc: started again at once, it works"
	else
		not_ok "$desc: started again at once, it works"
		diag "stderr: $(tail -n 3 "$SCRATCH/k.err")"
	fi
	kill -s TERM "${child:-$pid}" 2>/dev/null
	reap_bg "$pid"
	is "$rc" "$want" "$desc: the second run ends at SIGTERM with status $want"
	wait_for 2 no_leftovers
	now_left=$(ours_now)

	shown=$(echo "$killed_left" | tr '\n' ' ' | sed 's/ $//')
	case $left in
	none)
		is "$shown" "" "$desc: the killed run left nothing"
		;;
	next)
		if [ -n "$killed_left" ] && [ -z "$now_left" ]; then
			ok "$desc: what it left ($shown) the next run removed"
		else
			not_ok "$desc: what it left the next run removed"
			diag "killed run left: $killed_left" "still there: $now_left"
		fi
		;;
	rm)
		how=
		for id in $now_left; do
			how="$how $(remove_left "$id"),"
		done
		if [ -n "$killed_left" ] && [ "$now_left" = "$killed_left" ] &&
		    [ -z "$(ours_now)" ]; then
			ok "$desc: what it left ($shown) stays until${how%,}"
		else
			not_ok "$desc: what it left stays until rm"
			diag "killed run left: $killed_left" \
			    "after the next run: $now_left" \
			    "after rm: $(ours_now)"
		fi
		;;
	esac
	# Whatever happened above, leave nothing of ours for the next case.
	for id in $(ours_now); do
		remove_left "$id" >/dev/null
	done
	check "$desc: nothing is left in the end" nothing_new
	default_hooks
}

term=143

# Servers and waiters with a file or a name of their own.  A second
# server finds the socket file the killed one left, sees with connect()
# that nobody listens, and replaces it.
ready() {
	said 'listen\('
}
stale() {
	said 'connect\(.*\) from a datagram socket -> ECONNREFUSED: a stale socket file'
}
works() {
	stale && [ "$(ipc-socket -q connect "$sock" "still here")" = "still here" ]
}
kill_case next "$term" ipc-socket serve "$sock"
ready() {
	said 'listen\('
}
works() {
	stale && [ "$(ipc-socket -q connect "$rd/socket" "still here")" = "still here" ]
}
kill_case next "$term" ipc-socket serve
ready() {
	said 'bind\('
}
works() {
	stale &&
	    [ "$(ipc-socket -q connect --dgram "$sock" "still here")" = "still here" ]
}
kill_case next "$term" ipc-socket serve --dgram "$sock"
ready() {
	said 'listen\('
}
works() {
	[ "$(ipc-socket -q connect --abstract "$UNIQ" "still here")" = "still here" ]
}
kill_case none "$term" ipc-socket serve --abstract "$UNIQ"
ready() {
	said 'listen\('
}
works() {
	stale
}
kill_case next "$term" ipc-socket recvfd "$sock"
ready() {
	said 'waiting for a writer'
}
kill_case rm "$term" ipc-fifo read --follow "$fifo"
ready() {
	said 'waiting|waits'
}
kill_case rm "$term" ipc-msgq -k "$key" recv
ready() {
	said 'waiting|waits'
}
kill_case rm "$term" ipc-msgq --posix -N "/ipclab-test-$UNIQ" recv

# Demos and benches: objects of their own, children.
kill_case none "$term" ipc-pipe -q bench -n "$big"
kill_case none "$term" ipc-pipe -q atomic -n "$big"
kill_case none "$term" ipc-pipe -q eof --leave-open -t 60
kill_case none "$term" ipc-fifo -q bench -n "$big"
kill_case none "$term" ipc-fifo -q bench --latency -n "$big"
kill_case rm "$term" ipc-msgq -q bench -n "$big"
kill_case rm "$term" ipc-msgq -q bench --latency -n "$big"
kill_case none "$term" ipc-msgq -q --posix bench -n "$big"
kill_case none "$term" ipc-msgq -q --posix bench --latency -n "$big"
kill_case rm "$term" ipc-shm -q demo -n "$big"
kill_case rm "$term" ipc-shm -q --posix demo -n "$big"
kill_case none "$term" ipc-shm -q --memfd demo -n "$big"
kill_case rm "$term" ipc-shm -q bench -n "$big"
kill_case rm "$term" ipc-shm -q --posix bench -n "$big"
kill_case none "$term" ipc-shm -q --memfd bench --spin -n "$big"
kill_case none "$term" ipc-sem -q counter -n "$big"
kill_case rm "$term" ipc-sem -q counter --named -n "$big"
kill_case rm "$term" ipc-sem -q counter --sysv -n "$big"
# undo's second set: its holder was killed, its timed wait goes on.
ready() {
	said 'nobody notes it'
}
kill_case rm "$term" ipc-sem undo -t 30
kill_case none "$term" ipc-socket -q bench -n "$big"
kill_case none "$term" ipc-socket -q bench --latency -n "$big"
kill_case next "$term" ipc-flock -q demo -n 1000000
# bench's lock+unlock pairs need no second process: its files say it runs.
ready() {
	[ -n "$(ls -A "$rd" 2>/dev/null)" ]
}
kill_case next "$term" ipc-flock -q bench -n "$big"
kill_case next "$term" ipc-flock -q bench --latency -n "$big"
kill_case none "$term" ipc-signal -q bench -n "$big"
# supervise ends normally at SIGTERM.
kill_case none 0 ipc-signal -q supervise

# The lock dies with its holder; the command it ran is told to stop.
kill_case none "$term" ipc-flock -q lock "$lockfile" -- sleep 60
run ipc-flock -q test "$lockfile"
like "$out" '^unlocked' "SIGKILL: the killed holder's lock is gone"
rm -f "$lockfile"
# connect2's commands are told to stop too.
kill_case none "$term" connect2 -q yes -- tail -n 1
kill_case none "$term" connect2 -q sleep 60 -- cat

is "$(ls -A "$rd" 2>/dev/null)" "" "the run directory is empty"
is "$(leftovers)" "" "nothing of ours is left running"
done_testing
