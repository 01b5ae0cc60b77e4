#!/bin/sh
# concurrency.sh - two students run the same thing at the same moment.
#
# Demos and benches use objects of their own (IPC_PRIVATE, anonymous
# mappings, names and paths that carry the pid), so two copies at once
# never meet: both exit 0 with the whole output one copy alone prints,
# and nothing is left.  Two `ipc-sem counter` runs at once each count
# exactly.  Named objects are per user: two users (or, for what lives in
# the run directory, two shells with their own XDG_RUNTIME_DIR) using the
# default names each see only their own.
# tap.sh's run, bg and reap_bg set out, err, rc and bg_pid; 'shellcheck
# -x' sees that.  The sh -c scripts expand their own "$1" (SC2016).
# shellcheck disable=SC1091,SC2154,SC2016
. "${top_srcdir:-.}/tests/tap.sh"
. "${top_srcdir:-.}/tests/objects.sh"

rd=$XDG_RUNTIME_DIR/ipclab-$(id -u)
# Made now, so that they are no new objects later.
for f in o1 o2 e1 e2 solo; do
	: >"$SCRATCH/$f"
done
printf 'passed through a descriptor\n' >"$SCRATCH/passme"

# at_once CMD...: start two copies of CMD together; their stdout in o1
# and o2, stderr in e1 and e2, their exit statuses in rc1 and rc2.
at_once() {
	bg "$@" >"$SCRATCH/o1" 2>"$SCRATCH/e1"
	p1=$bg_pid
	bg "$@" >"$SCRATCH/o2" 2>"$SCRATCH/e2"
	p2=$bg_pid
	reap_bg "$p1"
	rc1=$rc
	reap_bg "$p2"
	rc2=$rc
}

# left DESC: nothing of the two copies is running or left behind.
left() {
	why=
	wait_for 2 no_leftovers || why="$why running: $(leftovers);"
	nothing_new || why="$why left: $(objects_new | tr '\n' ' ');"
	if [ -z "$why" ]; then
		ok "$1: nothing left"
	else
		not_ok "$1: nothing left"
		diag "problem:$why"
	fi
}

# both MASK PATTERN CMD...: CMD alone prints a line matching PATTERN (an
# ERE); then two copies at once both exit 0 and print what it printed
# alone, compared after the sed script MASK (for pids and counts that
# differ from run to run; '' for none).
both() {
	mask=$1
	pattern=$2
	shift 2
	desc="two '$*' at once"
	objects_before
	run "$@" </dev/null
	sed "$mask" "$SCRATCH/.out" >"$SCRATCH/solo"
	if [ "$rc" -ne 0 ] || ! grep -Eq -- "$pattern" "$SCRATCH/solo"; then
		not_ok "$desc: alone, it works (exit $rc)"
		diag "stdout: $out" "stderr: $(printf '%s\n' "$err" | tail -n 3)"
	fi
	at_once "$@" </dev/null
	is "$rc1 $rc2" "0 0" "$desc: both exit 0"
	for n in 1 2; do
		if sed "$mask" "$SCRATCH/o$n" | cmp -s - "$SCRATCH/solo" &&
		    grep -Eq -- "$pattern" "$SCRATCH/o$n"; then
			ok "$desc: copy $n prints the full output"
		else
			not_ok "$desc: copy $n prints the full output"
			diag "alone:" "$(cat "$SCRATCH/solo")" \
			    "copy $n:" "$(sed "$mask" "$SCRATCH/o$n")" \
			    "stderr: $(tail -n 3 "$SCRATCH/e$n")"
		fi
	done
	left "$desc"
}

# Every program's demonstrations.
both '' '^received string: i am the child$' ipc-pipe -q demo
both '' '^received string: i am the child$' ipc-pipe -q demo --reverse
both '' '^got:  BYE$' ipc-pipe -q duplex
both '' '^EOF after 21 bytes$' ipc-pipe -q eof
both '' '^capacity: [0-9]+ bytes' ipc-pipe -q capacity
both '' 'killed by SIGPIPE' ipc-pipe -q sigpipe
both '' '^torn records: 0 of 2000$' ipc-pipe -q atomic -n 500
both '' '^5000$' connect2 -q seq 1 5000 -- wc -l
both '' '^received string: 12345$' ipc-fifo -q demo
both '' '^asked for type 0, got nothing' ipc-msgq -q demo
both '' '^nothing left: the queue is empty' ipc-msgq -q --posix demo
both '' '^received 5000 of 5000 messages in order$' ipc-shm -q demo
both '' '^received 5000 of 5000 messages in order$' ipc-shm -q --posix demo
both '' '^received 5000 of 5000 messages in order$' ipc-shm -q --memfd demo
both '' '^shared, anonymous +from the parent +from the child' ipc-shm -q mmap
both '' '^Total count: 2000, Expected: 2000$' ipc-sem -q counter
both '' '^Total count: 2000, Expected: 2000$' ipc-sem -q counter --named
both '' '^Total count: 2000, Expected: 2000$' ipc-sem -q counter --sysv
both '' '^System V, SEM_UNDO: +holder killed; value 1' ipc-sem -q undo
both '' '^echo: one server, one client$' ipc-socket -q demo
both '' '^got:  BYE$' ipc-socket -q pair
both '' '^passed through a descriptor$' ipc-socket -q passfd "$SCRATCH/passme"
both 's/[0-9][0-9]*/N/g' '^SO_PEERCRED: pid' ipc-socket -q cred
both 's/emptied the file [0-9]* times, [0-9]* to [0-9]*/emptied the file N times, N to N/' \
    '^produced 1000, consumed 1000, lost 0, duplicated 0$' ipc-flock -q demo
both '' '^flock +shares the lock' ipc-flock -q compare
both 's/[0-9][0-9]*/N/g' 'EDEADLK' ipc-flock -q deadlock
both '' '^SIGRTMIN: sent 3, received 3, in order' ipc-signal -q demo

# Two benches at once: each prints its one line, every message counted.
bench2() {
	mech=$1
	shift
	desc="two '$*' at once"
	objects_before
	at_once "$@" </dev/null
	is "$rc1 $rc2" "0 0" "$desc: both exit 0"
	for n in 1 2; do
		like "$(cat "$SCRATCH/o$n")" "^mechanism=$mech size=[0-9]+ count=2000 " \
		    "$desc: copy $n prints its line"
	done
	left "$desc"
}
bench2 pipe ipc-pipe -q bench -n 2000
bench2 pipe ipc-pipe -q bench --latency -n 2000
bench2 fifo ipc-fifo -q bench -n 2000
bench2 msgq-sysv ipc-msgq -q bench -n 2000
bench2 msgq-posix ipc-msgq -q --posix bench -n 2000
bench2 shm-sysv ipc-shm -q bench -n 2000
bench2 shm-posix ipc-shm -q --posix bench -n 2000
bench2 shm-memfd ipc-shm -q --memfd bench --latency -n 2000
bench2 unix-stream ipc-socket -q bench -n 2000
bench2 unix-stream ipc-socket -q bench --latency -n 2000
bench2 tcp ipc-socket -q bench --tcp 127.0.0.1:0 -n 2000
bench2 flock-fcntl ipc-flock -q bench -n 2000
bench2 signal ipc-signal -q bench -n 2000

# Two counters at once, each with four workers: both totals exact.  The
# counts are small: a worker yields while it holds the lock, and on a
# busy machine each increment may then wait a time slice (ipc-sem(1)).
for lock in '' --named --sysv; do
	# $lock is one option or none: split on purpose.
	# shellcheck disable=SC2086
	set -- ipc-sem -q counter $lock -w 4 -n 2000
	desc="two '$*' at once"
	objects_before
	at_once "$@" </dev/null
	is "$rc1 $rc2" "0 0" "$desc: both exit 0"
	for n in 1 2; do
		is "$(cat "$SCRATCH/o$n")" "Total count: 8000, Expected: 8000" \
		    "$desc: copy $n counts exactly"
	done
	left "$desc"
done

# Two shells with their own XDG_RUNTIME_DIR: the run directory, the
# default socket and the default System V keys (ftok of the run
# directory) are their own, so each sees its own message.
mkdir -m 700 "$SCRATCH/xdg1" "$SCRATCH/xdg2"
objects_before
for n in 1 2; do
	XDG_RUNTIME_DIR=$SCRATCH/xdg$n ipc-msgq -q send "msgq of shell $n"
	XDG_RUNTIME_DIR=$SCRATCH/xdg$n ipc-shm -q write "shm of shell $n"
	XDG_RUNTIME_DIR=$SCRATCH/xdg$n ipc-sem -q --sysv create -V "$n"
done
for n in 1 2; do
	x=$SCRATCH/xdg$n
	is "$(XDG_RUNTIME_DIR=$x ipc-msgq -q recv --nowait)" "msgq of shell $n" \
	    "XDG_RUNTIME_DIR shell $n: its default System V queue is its own"
	is "$(XDG_RUNTIME_DIR=$x ipc-shm -q read)" "shm of shell $n" \
	    "XDG_RUNTIME_DIR shell $n: its default segment is its own"
	is "$(XDG_RUNTIME_DIR=$x ipc-sem -q --sysv value)" "$n" \
	    "XDG_RUNTIME_DIR shell $n: its default semaphore set is its own"
done
# Two servers on the default socket at once, one per shell.
for n in 1 2; do
	XDG_RUNTIME_DIR=$SCRATCH/xdg$n bg ipc-socket -q serve \
	    >"$SCRATCH/xdg$n.out"
	eval "srv$n=\$bg_pid"
done
for n in 1 2; do
	x=$SCRATCH/xdg$n
	wait_for 5 listening "$x/ipclab-$(id -u)/socket" ||
	    diag "shell $n: no server listening at $x/ipclab-$(id -u)/socket"
	is "$(XDG_RUNTIME_DIR=$x ipc-socket -q connect "from shell $n")" \
	    "from shell $n" "XDG_RUNTIME_DIR shell $n: its own server echoes"
done
kill -s TERM "$srv1" "$srv2"
reap_bg "$srv1"
reap_bg "$srv2"
for n in 1 2; do
	x=$SCRATCH/xdg$n
	XDG_RUNTIME_DIR=$x ipc-msgq -q rm
	XDG_RUNTIME_DIR=$x ipc-shm -q rm
	XDG_RUNTIME_DIR=$x ipc-sem -q --sysv rm
	rmdir "$x/ipclab-$(id -u)" "$x"
	rm -f "$x.out"
done
left "two shells with their own XDG_RUNTIME_DIR"

# Two users: root and nobody, at once.  Each has its own run directory,
# so its own default System V queue, segment and set (ftok of that
# directory); objects are made mode 0600, so neither may read the
# other's, POSIX ones included.  (The default POSIX names, one per uid,
# are not made here: other runs of the suite may use them.)
other=65534
if [ "$(id -u)" -ne 0 ]; then
	skip "two users at once: needs root to become uid $other"
elif ! command -v setpriv >/dev/null; then
	skip "two users at once: no setpriv(1)"
# Through env, as below: setpriv itself finds a program even in a
# directory the new user may not search, and env does not.
elif ! setpriv --reuid="$other" --regid="$other" --clear-groups \
    env ipc-msgq --version >/dev/null 2>&1; then
	skip "two users at once: uid $other cannot run the programs where they are built"
else
	# Nobody must get through the scratch directory to its own.
	chmod 711 "$SCRATCH"
	mkdir -m 700 "$SCRATCH/xdg-nobody"
	chown "$other:$other" "$SCRATCH/xdg-nobody"
	# as WHO CMD...: run CMD as root (here) or as nobody.
	as() {
		if [ "$1" = root ]; then
			shift
			"$@"
		else
			shift
			setpriv --reuid="$other" --regid="$other" --clear-groups \
			    env XDG_RUNTIME_DIR="$SCRATCH/xdg-nobody" "$@"
		fi
	}
	# waiting WHO: one process sleeps on WHO's default System V set.
	waiting() {
		as "$1" ipc-sem -q --sysv info | grep -q "^semncnt: *1 "
	}
	objects_before
	for who in root nobody; do
		as "$who" ipc-msgq -q send "msgq of $who"
		as "$who" ipc-shm -q write "shm of $who"
		as "$who" ipc-sem -q --sysv create -V 0
	done
	# Both users wait on their own default set at once; each post wakes
	# only its own user's waiter.
	bg ipc-sem -q --sysv wait
	w1=$bg_pid
	bg setpriv --reuid="$other" --regid="$other" --clear-groups \
	    env XDG_RUNTIME_DIR="$SCRATCH/xdg-nobody" ipc-sem -q --sysv wait
	w2=$bg_pid
	for who in root nobody; do
		wait_for 5 waiting "$who" || diag "$who's waiter does not wait"
	done
	as nobody ipc-sem -q --sysv post
	reap_bg "$w2"
	is "$rc" 0 "two users: nobody's post wakes nobody's waiter"
	check "two users: root's waiter still waits" waiting root
	ipc-sem -q --sysv post
	reap_bg "$w1"
	is "$rc" 0 "two users: root's post wakes root's waiter"
	for who in root nobody; do
		is "$(as "$who" ipc-msgq -q recv --nowait)" "msgq of $who" \
		    "two users: $who's default System V queue is its own"
		is "$(as "$who" ipc-shm -q read)" "shm of $who" \
		    "two users: $who's default segment is its own"
	done
	# Root's POSIX objects, mode 0600: nobody is refused.
	pname=/ipclab-test-$UNIQ
	ipc-msgq -q --posix -N "$pname" send "root's secret"
	ipc-shm -q --posix -N "$pname" write "root's secret"
	ipc-sem -q -N "$pname" create
	for cmd in "ipc-msgq --posix -N $pname recv --nowait" \
	    "ipc-shm --posix -N $pname read" "ipc-sem -N $pname value" \
	    "ipc-msgq recv --nowait -k $(ipc-msgq -q info |
	    sed -n 's/^key: *\(0x[0-9a-f]*\).*/\1/p')"; do
		# The command is words on purpose.
		# shellcheck disable=SC2086
		run setpriv --reuid="$other" --regid="$other" --clear-groups \
		    env XDG_RUNTIME_DIR="$SCRATCH/xdg-nobody" $cmd
		like "$rc:$out:$err" "^1::.*Permission denied" \
		    "two users: nobody may not use root's: ${cmd%% -N*}"
	done
	is "$(ipc-msgq -q --posix -N "$pname" recv --nowait)" "root's secret" \
	    "two users: root's POSIX queue kept its message"
	ipc-msgq -q --posix -N "$pname" rm
	ipc-shm -q --posix -N "$pname" rm
	ipc-sem -q -N "$pname" rm
	for who in root nobody; do
		as "$who" ipc-msgq -q rm
		as "$who" ipc-shm -q rm
		as "$who" ipc-sem -q --sysv rm
	done
	rm -rf "$SCRATCH/xdg-nobody"
	chmod 700 "$SCRATCH"
	left "two users at once"
fi

is "$(ls -A "$rd" 2>/dev/null)" "" "the run directory is empty"
is "$(leftovers)" "" "nothing of ours is left running"
done_testing
