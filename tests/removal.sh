#!/bin/sh
# removal.sh - an object removed under a program that waits on it: by
# the program's own rm, by ipcrm(1) or rm(1), or all at once as logind's
# RemoveIPC does at logout.  The waiter must not spin while it waits; once
# the object is gone it ends within a few seconds with exit 1 and one
# line on stderr that names the object and says it was removed; nothing
# of it is left running or behind.  Where the removal is harmless (a
# segment still attached, a lock file still open), the program goes on,
# as its man page says.
# tap.sh's bg and reap_bg set bg_pid and rc; 'shellcheck -x' sees that.
# The setup and removal steps are shell code in single quotes, evaluated
# when their turn comes (SC2016).
# shellcheck disable=SC1091,SC2016,SC2154
. "${top_srcdir:-.}/tests/tap.sh"
. "${top_srcdir:-.}/tests/objects.sh"

uid=$(id -u)
hz=$(getconf CLK_TCK)
# Keys of our own (0x7e000000 and up: no other test's, never an ftok key
# of ours), and POSIX names carrying $UNIQ, so two runs never meet.
base=$((0x7e000000 + ($$ % 100000) * 16))
key() {
	printf '0x%08x' $((base + $1))
}
K1=$(key 1) K2=$(key 2) K3=$(key 3)
claim key "$K1" "$K2" "$K3"
N1=/ipclab-test-$UNIQ-1 N2=/ipclab-test-$UNIQ-2 N3=/ipclab-test-$UNIQ-3
mq=
[ -d /dev/mqueue ] && mq=/dev/mqueue

# remove_ipc: what logind's RemoveIPC does at logout, for the objects this
# test made: every System V queue, set and segment of ours with one of our
# keys, by id, and every POSIX queue and semaphore of ours, in one go.
remove_ipc() {
	for tap_t in msg sem shm; do
		# The owner's uid is the 8th field for msg and shm, 5th for sem.
		awk -v lo="$base" -v hi=$((base + 16)) -v uid="$uid" -v t="$tap_t" '
		    NR > 1 { u = (t == "sem") ? $5 : $8
			if ($1 >= lo && $1 < hi && u == uid) print $2 }' \
		    "/proc/sysvipc/$tap_t" |
		    while read -r tap_id; do
			case $tap_t in
			msg) ipcrm -q "$tap_id" ;;
			sem) ipcrm -s "$tap_id" ;;
			shm) ipcrm -m "$tap_id" ;;
			esac
		    done
	done
	rm -f "$SEM_AT"ipclab-test-"$UNIQ"-* /dev/shm/ipclab-test-"$UNIQ"-*
	[ -z "$mq" ] || rm -f "$mq"/ipclab-test-"$UNIQ"-*
}

# Whatever happens, remove what we made, then what tap.sh made.
ours_cleanup() {
	remove_ipc 2>/dev/null
	tap_cleanup
}
trap ours_cleanup EXIT

# The files the waiters write to are made once, here, so that they are
# no news to nothing_new.
for f in w.out w.err c.out all1.err all2.err all3.err all4.err all5.err \
    all6.err; do
	: >"$SCRATCH/$f"
done

# proc_state PID: R, S, D, T, Z..., or nothing once PID is gone.
proc_state() {
	sed -n 's/.*) \([A-Z]\).*/\1/p' "/proc/$1/stat" 2>/dev/null
}

asleep() {
	[ "$(proc_state "$1")" = S ]
}

# ended PID: gone, or a zombie waiting for its parent.
ended() {
	tap_state=$(proc_state "$1")
	[ -z "$tap_state" ] || [ "$tap_state" = Z ]
}

# cpu_ticks PID: the user and system CPU time PID has used, in ticks.
cpu_ticks() {
	sed 's/.*) //' "/proc/$1/stat" | awk '{ print $12 + $13 }'
}

# start_waiter READY CMD...: start CMD in the background, its output in
# $SCRATCH/w.out and w.err, and wait until its narration matches READY
# and it sleeps.  Sets $pid (timeout's) and $child (the program's); false
# if it never got there.
start_waiter() {
	tap_ready=$1
	shift
	bg "$@" >"$SCRATCH/w.out" 2>"$SCRATCH/w.err"
	pid=$bg_pid
	wait_for 10 first_child "$pid" &&
	    wait_for 10 grep -q -- "$tap_ready" "$SCRATCH/w.err" &&
	    wait_for 10 asleep "$child"
}

# check_asleep DESC: the waiter, after a second of waiting (long enough
# for those that wake once a second to look), has used next to no CPU:
# it sleeps rather than spins.  A fifth of a second is plenty for a
# program that only starts, narrates and checks now and then.
check_asleep() {
	sleep 1
	tap_ticks=$(cpu_ticks "$child")
	if [ "${tap_ticks:-999}" -le $((hz / 5)) ]; then
		ok "$1: waits without spinning ($tap_ticks ticks of CPU)"
	else
		not_ok "$1: waits without spinning"
		diag "it used $tap_ticks ticks ($hz a second) while it waited"
	fi
}

# check_ended DESC PROG PATTERN: the waiter ends within 5 s with exit 1,
# and its last line on stderr, its only "PROG: " line, matches PATTERN;
# nothing of it is left running, nothing new is left behind.
check_ended() {
	tap_why=
	if ! wait_for 5 ended "$pid"; then
		tap_why="still running 5 s after the removal;"
		kill -s KILL "$child" 2>/dev/null
	fi
	reap_bg "$pid"
	is "$rc" 1 "$1: ends with exit 1"
	tap_last=$(tail -n 1 "$SCRATCH/w.err")
	w_lines=$(grep -c "^$2: " "$SCRATCH/w.err")
	if [ -z "$tap_why" ] && [ "$w_lines" -eq 1 ] &&
	    printf '%s\n' "$tap_last" | grep -Eq -- "^$2: .*$3"; then
		ok "$1: one line names it and says it was removed"
	else
		not_ok "$1: one line names it and says it was removed"
		diag "problem: $tap_why $w_lines lines start '$2: '" \
		    "last line: $tap_last"
	fi
	if ! wait_for 2 no_leftovers; then
		tap_why="left running: $(leftovers);"
		for tap_p in $(leftovers); do
			kill -s KILL "${tap_p%%(*}" 2>/dev/null
		done
	fi
	nothing_new || tap_why="$tap_why left behind: $(objects_new | tr '\n' ' ');"
	if [ -z "$tap_why" ]; then
		ok "$1: nothing is left running or behind"
	else
		not_ok "$1: nothing is left running or behind"
		diag "problem: $tap_why"
	fi
}

# waiter DESC SETUP READY REMOVE PATTERN CMD...: note the objects there
# are, run SETUP (shell code), start CMD and wait until it waits (READY),
# check that it sleeps, run REMOVE (shell code), and check how it ends
# (PATTERN: see check_ended).
waiter() {
	w_desc=$1 w_setup=$2 w_ready=$3 w_remove=$4 w_pattern=$5
	shift 5
	w_prog=$(basename "$1")
	objects_before
	eval "$w_setup"
	if ! start_waiter "$w_ready" "$@"; then
		not_ok "$w_desc: starts waiting"
		diag "stderr: $(tail -n 3 "$SCRATCH/w.err")"
		kill -s KILL "$child" 2>/dev/null
		reap_bg "$pid"
		eval "$w_remove" 2>/dev/null
		return
	fi
	check_asleep "$w_desc"
	eval "$w_remove"
	check_ended "$w_desc" "$w_prog" "$w_pattern"
}

# System V: the kernel wakes the sleeper with EIDRM ------------------------

msgmax=$(cat /proc/sys/kernel/msgmax)
msgmnb=$(cat /proc/sys/kernel/msgmnb)
full=$(head -c "$msgmax" /dev/zero | tr '\0' x)
# fill_sysv KEY: as many messages of msgmax bytes as the queue holds.
fill_sysv() {
	tap_i=$((msgmnb / msgmax))
	while [ "$tap_i" -gt 0 ]; do
		ipc-msgq -q send -k "$1" "$full" || return
		tap_i=$((tap_i - 1))
	done
}

removed='the queue was removed'
waiter "msgq recv, ipc-msgq rm" '' 'nothing yet; waiting' \
    'ipc-msgq -q rm -k "$K1"' "msgrcv key $K1: $removed" \
    ipc-msgq recv -k "$K1"
waiter "msgq recv, ipcrm -Q" '' 'nothing yet; waiting' \
    'ipcrm -Q "$K1"' "msgrcv key $K1: $removed" \
    ipc-msgq recv -k "$K1" -c 0
waiter "msgq send to a full queue, ipc-msgq rm" 'fill_sysv "$K2"' \
    'waiting until a receiver makes room' \
    'ipc-msgq -q rm -k "$K2"' "msgsnd key $K2: $removed" \
    ipc-msgq send -k "$K2" "$full"
waiter "msgq send to a full queue, ipcrm -Q" 'fill_sysv "$K2"' \
    'waiting until a receiver makes room' \
    'ipcrm -Q "$K2"' "msgsnd key $K2: $removed" \
    ipc-msgq send -k "$K2" "$full"

removed='the set was removed \(EIDRM\)'
waiter "sem --sysv wait, ipc-sem rm" 'ipc-sem -q --sysv -k "$K3" create -V 0' \
    'sleeping until the value is above 0' \
    'ipc-sem -q --sysv -k "$K3" rm' "semop key $K3 \\(semid [0-9]+\\): $removed" \
    ipc-sem --sysv -k "$K3" wait
waiter "sem --sysv wait, ipcrm -S" 'ipc-sem -q --sysv -k "$K3" create -V 0' \
    'sleeping until the value is above 0' \
    'ipcrm -S "$K3"' "semop key $K3 \\(semid [0-9]+\\): $removed" \
    ipc-sem --sysv -k "$K3" wait --no-undo
waiter "sem --sysv wait --timeout, ipcrm -S" \
    'ipc-sem -q --sysv -k "$K3" create -V 0' 'sleeping at most the timeout' \
    'ipcrm -S "$K3"' "semop key $K3 \\(semid [0-9]+\\): $removed" \
    ipc-sem --sysv -k "$K3" wait --timeout 50

# POSIX: unlinking wakes nobody; the waiters look once a second ----------

removed='was removed while we waited'
waiter "msgq --posix recv, ipc-msgq rm" '' 'mq_receive waits' \
    'ipc-msgq -q --posix rm -N "$N1"' "$N1 $removed" \
    ipc-msgq --posix recv -N "$N1"
waiter "msgq --posix send to a full queue, ipc-msgq rm" \
    'ipc-msgq -q --posix send -N "$N1" --maxmsg 1 first' 'mq_send waits' \
    'ipc-msgq -q --posix rm -N "$N1"' "$N1 $removed" \
    ipc-msgq --posix send -N "$N1" second
if [ -n "$mq" ]; then
	waiter "msgq --posix recv, rm $mq$N1" '' 'mq_receive waits' \
	    'rm "$mq$N1"' "$N1 $removed" \
	    ipc-msgq --posix recv -N "$N1" -c 0
	waiter "msgq --posix send to a full queue, rm $mq$N1" \
	    'ipc-msgq -q --posix send -N "$N1" --maxmsg 1 first' \
	    'mq_send waits' 'rm "$mq$N1"' "$N1 $removed" \
	    ipc-msgq --posix send -N "$N1" second
else
	for i in 1 2 3 4 5 6; do
		skip "/dev/mqueue is not mounted"
	done
fi

removed='the semaphore was removed while we waited'
waiter "sem wait, ipc-sem rm" 'ipc-sem -q -N "$N2" create -V 0' \
    'sleeps until a post' 'ipc-sem -q -N "$N2" rm' \
    "sem_timedwait $N2: $removed" \
    ipc-sem -N "$N2" wait
waiter "sem wait, rm $SEM_AT${N2#/}" 'ipc-sem -q -N "$N2" create -V 0' \
    'sleeps until a post' 'rm "$SEM_AT${N2#/}"' \
    "sem_timedwait $N2: $removed" \
    ipc-sem -N "$N2" wait
waiter "sem wait --timeout, ipc-sem rm" 'ipc-sem -q -N "$N2" create -V 0' \
    'gives up with ETIMEDOUT' 'ipc-sem -q -N "$N2" rm' \
    "sem_timedwait $N2: $removed" \
    ipc-sem -N "$N2" wait --timeout 50

# Files: a FIFO nobody can open any more, a socket nobody can reach ------

f=$SCRATCH/fifo
waiter "fifo read waiting in open(), ipc-fifo rm" '' 'waiting for a writer' \
    'ipc-fifo -q rm "$f"' "$f was removed while we waited for a writer" \
    ipc-fifo read "$f"
waiter "fifo write waiting in open(), rm" '' 'waiting for a reader' \
    'rm "$f"' "$f was removed while we waited for a reader" \
    ipc-fifo write "$f" hello
waiter "fifo read --follow waiting in open(), rm" '' 'waiting for a writer' \
    'rm "$f"' "$f was removed while we waited for a writer" \
    ipc-fifo read --follow "$f"
s=$SCRATCH/sock
waiter "socket serve, rm" '' 'clients may connect now' \
    'rm "$s"' "$s was removed: no new client can connect" \
    ipc-socket serve "$s"
waiter "socket serve --dgram, rm" '' 'SO_PASSCRED' \
    'rm "$s"' "$s was removed .*no client can send" \
    ipc-socket serve --dgram "$s"
waiter "socket recvfd, rm" '' 'waiting for a sender' \
    'rm "$s"' "$s was removed while we waited for a client" \
    ipc-socket recvfd "$s"

# A server whose file goes keeps the clients it has: they still get
# their echo, and it ends when the last one leaves.
objects_before
bg ipc-socket -q serve "$s" >"$SCRATCH/w.out" 2>"$SCRATCH/w.err"
pid=$bg_pid
wait_for 10 listening "$s"
mkfifo "$SCRATCH/in"
# A background job's standard input is /dev/null unless it says otherwise.
bg sh -c 'exec ipc-socket -q connect "$1" <"$2"' sh "$s" "$SCRATCH/in" \
    >"$SCRATCH/c.out" 2>&1
cpid=$bg_pid
exec 3>"$SCRATCH/in"
echo before >&3
wait_for 10 grep -qx before "$SCRATCH/c.out"
rm "$s"
check "socket serve: it stops listening once its file is gone" \
    wait_for 5 grep -q 'no new client can connect' "$SCRATCH/w.err"
echo after >&3
check "... and the connected client still gets its echo" \
    wait_for 5 grep -qx after "$SCRATCH/c.out"
exec 3>&-
reap_bg "$cpid"
reap_bg "$pid"
is "$rc" 1 "... and it ends with exit 1 when that client leaves"
rm -f "$SCRATCH/in"
check "... leaving nothing behind" nothing_new

# flock: the lock is the file's, not the name's --------------------------

# The waiter keeps waiting for the holder (the removal frees nothing);
# the lock it then gets is on a file nobody can open any more: it gives
# it up, exit 1, and does not run its command.
l=$SCRATCH/lockfile
hold=$SCRATCH/hold
for kind in '' --ofd --flock; do
	desc="flock lock${kind:+ $kind}, rm FILE"
	objects_before
	: >"$hold"
	# shellcheck disable=SC2086 # $kind is one word or none
	bg ipc-flock -q $kind lock "$l" -- sh -c \
	    'while [ -e "$1" ]; do sleep 0.05; done' sh "$hold"
	holder=$bg_pid
	wait_for 10 test -e "$l"
	# shellcheck disable=SC2086
	if ! start_waiter 'waiting until it is released' \
	    ipc-flock $kind lock "$l" -- touch "$SCRATCH/ran"; then
		not_ok "$desc: starts waiting"
		rm -f "$hold"
		reap_bg "$holder"
		reap_bg "$pid"
		continue
	fi
	check_asleep "$desc"
	rm "$l"
	sleep 0.5
	check "$desc: the waiter still waits for the holder" \
	    test "$(proc_state "$child")" = S
	rm "$hold"
	reap_bg "$holder"
	is "$rc" 0 "$desc: the holder is not disturbed"
	check_ended "$desc" ipc-flock "$l was removed or replaced while we waited"
	check "$desc: the command did not run" test ! -e "$SCRATCH/ran"
done

# Shared memory: attached memory outlives the removal --------------------

# ipcrm under a running demo only marks the segment; shm_unlink only takes
# the name.  Both demos finish, every message there, nothing left.
objects_before
bg ipc-shm -q demo -n 400000 >"$SCRATCH/w.out" 2>"$SCRATCH/w.err"
pid=$bg_pid
# seg_of PID: the id of the segment PID created, in $shmid.
seg_of() {
	shmid=$(awk -v p="$1" 'NR > 1 && $5 == p { print $2 }' /proc/sysvipc/shm)
	[ -n "$shmid" ]
}
if wait_for 10 first_child "$pid" && wait_for 10 seg_of "$child"; then
	ipcrm -m "$shmid"
	reap_bg "$pid"
	is "$rc:$(cat "$SCRATCH/w.out")" "0:received 400000 of 400000 messages in order" \
	    "shm demo, ipcrm -m under it: it goes on and gets every message"
else
	reap_bg "$pid"
	not_ok "shm demo, ipcrm -m under it: it goes on and gets every message"
	diag "no segment seen: $(cat "$SCRATCH/w.err")"
fi
check "... and nothing is left behind" nothing_new
objects_before
bg ipc-shm -q --posix demo -n 400000 >"$SCRATCH/w.out" 2>"$SCRATCH/w.err"
pid=$bg_pid
if wait_for 10 first_child "$pid" &&
    wait_for 10 test -e "/dev/shm/ipclab-$uid-shm-$child"; then
	rm "/dev/shm/ipclab-$uid-shm-$child"
	reap_bg "$pid"
	is "$rc:$(cat "$SCRATCH/w.out")" "0:received 400000 of 400000 messages in order" \
	    "shm --posix demo, rm /dev/shm/NAME under it: it goes on"
else
	reap_bg "$pid"
	not_ok "shm --posix demo, rm /dev/shm/NAME under it: it goes on"
	diag "no object seen: $(cat "$SCRATCH/w.err")"
fi
check "... and nothing is left behind" nothing_new

# logind's RemoveIPC: everything at once, under waiting pairs ------------

# A receiver on an empty queue and a sender on a full one, System V and
# POSIX, and a waiter on each kind of semaphore: one sweep removes every
# object, and every one of them ends as it would alone.
objects_before
fill_sysv "$K2"
ipc-msgq -q --posix send -N "$N3" --maxmsg 1 first
ipc-sem -q --sysv -k "$K3" create -V 0
ipc-sem -q -N "$N2" create -V 0
set -- \
    "sysv recv|nothing yet; waiting|msgrcv key $K1: the queue was removed" \
    "sysv send|waiting until a receiver|msgsnd key $K2: the queue was removed" \
    "posix recv|mq_receive waits|$N1 was removed while we waited" \
    "posix send|mq_send waits|$N3 was removed while we waited" \
    "sysv sem|sleeping until the value|semop key $K3 .*: the set was removed" \
    "posix sem|sleeps until a post|sem_timedwait $N2: the semaphore was removed"
pids=
i=0
for w in "$@"; do
	i=$((i + 1))
	case $w in
	"sysv recv"*) cmd="ipc-msgq recv -k $K1" ;;
	"sysv send"*) cmd="ipc-msgq send -k $K2 $full" ;;
	"posix recv"*) cmd="ipc-msgq --posix recv -N $N1" ;;
	"posix send"*) cmd="ipc-msgq --posix send -N $N3 second" ;;
	"sysv sem"*) cmd="ipc-sem --sysv -k $K3 wait" ;;
	"posix sem"*) cmd="ipc-sem -N $N2 wait" ;;
	esac
	# shellcheck disable=SC2086 # the words of $cmd are the arguments
	bg $cmd >/dev/null 2>"$SCRATCH/all$i.err"
	pids="$pids $bg_pid"
done
i=0
for w in "$@"; do
	i=$((i + 1))
	ready=${w#*|}
	ready=${ready%%|*}
	wait_for 10 grep -q -- "$ready" "$SCRATCH/all$i.err" ||
	    diag "${w%%|*} never said it waits"
done
sleep 0.5
remove_ipc
i=0
for p in $pids; do
	i=$((i + 1))
	eval "w=\${$i}"
	pattern=${w##*|}
	prog=ipc-msgq
	case $w in *sem*) prog=ipc-sem ;; esac
	wait_for 5 ended "$p" || diag "${w%%|*} still runs 5 s after"
	reap_bg "$p"
	last=$(tail -n 1 "$SCRATCH/all$i.err")
	if [ "$rc" -eq 1 ] && printf '%s\n' "$last" | grep -Eq -- "^$prog: .*$pattern"; then
		ok "RemoveIPC under a waiting ${w%%|*}: exit 1, removal explained"
	else
		not_ok "RemoveIPC under a waiting ${w%%|*}: exit 1, removal explained"
		diag "exit $rc" "last line: $last"
	fi
done
check "RemoveIPC: nothing is left running" wait_for 2 no_leftovers
check "... nor behind" nothing_new

done_testing
