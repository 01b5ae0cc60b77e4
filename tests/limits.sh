#!/bin/sh
# limits.sh - what the kernel's limits refuse is refused with the limit
# named: a fork beyond RLIMIT_NPROC; POSIX queues beyond
# /proc/sys/fs/mqueue/msg_max or msgsize_max, beyond the hard ceilings no
# privilege passes, or beyond RLIMIT_MSGQUEUE; a System V message beyond
# /proc/sys/kernel/msgmax.  Each refusal is exit 1 and leaves nothing.  A process with
# CAP_SYS_RESOURCE (root, usually) may go above msg_max and msgsize_max,
# up to the ceilings: then the queue is made, as the man page says.
# tap.sh's run sets out, err and rc; 'shellcheck -x' sees that.
# shellcheck disable=SC1091,SC2154
. "${top_srcdir:-.}/tests/tap.sh"
. "${top_srcdir:-.}/tests/objects.sh"

N=/ipclab-test-$UNIQ
K=$(printf '0x%08x' $((0x7e100000 + ($$ % 100000) * 16)))
claim key "$K"
ours_cleanup() {
	ipc-msgq -q --posix rm -N "$N" 2>/dev/null
	ipcrm -Q "$K" 2>/dev/null
	tap_cleanup
}
trap ours_cleanup EXIT

# made DESC: the queue $N exists; remove it.
made() {
	run ipc-msgq -q --posix info -N "$N"
	is "$rc" 0 "$1"
	ipc-msgq -q --posix rm -N "$N" 2>/dev/null
}

# refused DESC PATTERN ARG...: creating $N with ARG... is refused, exit 1,
# with one line matching PATTERN; and nothing is made.
refused() {
	tap_desc=$1
	tap_pattern=$2
	shift 2
	objects_before
	run "$@"
	if [ "$rc" -eq 1 ] && printf '%s\n' "$err" | grep -Eq -- "$tap_pattern"; then
		ok "$tap_desc: refused, exit 1, the limit named"
	else
		not_ok "$tap_desc: refused, exit 1, the limit named"
		diag "exit $rc" "stderr: $err"
	fi
	if nothing_new; then
		ok "$tap_desc: nothing is made"
	else
		not_ok "$tap_desc: nothing is made"
		diag "made: $(objects_new | tr '\n' ' ')"
	fi
}

# RLIMIT_NPROC, the number of processes a user may run at once, which a
# lab server may keep low: a fork it refuses is named, exit 1, and what
# the run had made is gone.  Root passes the limit; as root the programs
# run as uid 65534, as a student on such a server.
as=
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null 2>&1; then
	chmod 711 "$SCRATCH"
	mkdir -m 700 "$SCRATCH/student"
	chown 65534:65534 "$SCRATCH/student"
	as="setpriv --reuid=65534 --regid=65534 --clear-groups env
	    XDG_RUNTIME_DIR=$SCRATCH/student"
fi
student_rundir=$SCRATCH/student/ipclab-65534
[ -n "$as" ] || student_rundir=$XDG_RUNTIME_DIR/ipclab-$(id -u)
if ! command -v prlimit >/dev/null 2>&1; then
	skip "no prlimit to lower RLIMIT_NPROC with"
elif [ "$(id -u)" = 0 ] && [ -z "$as" ]; then
	skip "no setpriv: root passes RLIMIT_NPROC"
else
	# A count of 1 is the program itself: every fork is refused.  (In a
	# sanitizer build, LeakSanitizer's check at exit needs a thread of
	# its own, which the limit refuses too: it is left out here.)
	asan=${ASAN_OPTIONS-}
	ASAN_OPTIONS=${asan:+$asan:}detect_leaks=0
	export ASAN_OPTIONS
	posix="ipc-msgq --posix demo"
	[ -r /proc/sys/fs/mqueue/msg_max ] || posix=
	for cmd in "ipc-pipe demo" "connect2 echo hi -- cat" "ipc-fifo demo" \
	    "ipc-msgq demo" ${posix:+"$posix"} "ipc-shm demo" \
	    "ipc-shm --posix demo" "ipc-sem counter -w 2 -n 10" \
	    "ipc-socket demo" "ipc-flock demo" "ipc-signal demo" \
	    "ipc-signal supervise --run 1"; do
		prog=${cmd%% *}
		# shellcheck disable=SC2086 # $as and $cmd are words
		refused "$cmd under 'ulimit -u 1'" \
		    "^$prog: fork: .*RLIMIT_NPROC, see ulimit -u" \
		    $as prlimit --nproc=1 $cmd
	done
	# Any other failure is the bare strerror: strace makes fork() fail
	# with ENOMEM.
	if strace -o /dev/null true 2>/dev/null; then
		refused "ipc-pipe demo, fork failing with ENOMEM" \
		    "^ipc-pipe: fork: [A-Z][a-z ]*\$" \
		    strace -o /dev/null -e trace=clone,clone3,fork,vfork \
		    -e inject=clone,clone3,fork,vfork:error=ENOMEM ipc-pipe demo
	else
		skip "no strace that may trace: fork cannot be made to fail"
		skip "no strace that may trace: fork cannot be made to fail"
	fi
	ASAN_OPTIONS=$asan
fi
is "$(ls -A "$student_rundir" 2>/dev/null)" "" \
    "... and nothing is left in the run directory"

if [ ! -r /proc/sys/fs/mqueue/msg_max ]; then
	skip "no /proc/sys/fs/mqueue: POSIX message queues are not there"
	done_testing
	exit 0
fi

msg_max=$(cat /proc/sys/fs/mqueue/msg_max)
msgsize_max=$(cat /proc/sys/fs/mqueue/msgsize_max)
# The ceilings in ipc/mqueue.c: HARD_MSGMAX and HARD_MSGSIZEMAX.
hard_msgmax=65536
hard_msgsizemax=16777216
# CAP_SYS_RESOURCE is capability 24.
cap=$(awk '/^CapEff:/ { print $2 }' /proc/self/status)
if [ $(((0x$cap >> 24) & 1)) -eq 1 ]; then
	privileged=1
	diag "we have CAP_SYS_RESOURCE: msg_max and msgsize_max do not bind us"
else
	privileged=0
fi

# At the limits: allowed to everyone.  (A small mq_msgsize or mq_maxmsg
# beside them keeps the queue within RLIMIT_MSGQUEUE.)
run ipc-msgq -q --posix send -N "$N" --maxmsg "$msg_max" --msgsize 16 x
is "$rc" 0 "--maxmsg $msg_max (msg_max itself) is allowed"
made "... and the queue is there"
run ipc-msgq -q --posix send -N "$N" --maxmsg 1 --msgsize "$msgsize_max" x
is "$rc" 0 "--msgsize $msgsize_max (msgsize_max itself) is allowed"
made "... and the queue is there"

# One above: refused, unless CAP_SYS_RESOURCE.
over=$((msg_max + 1))
if [ "$privileged" -eq 0 ]; then
	refused "--maxmsg $over (msg_max + 1)" \
	    "^ipc-msgq: mq_open $N: .*--maxmsg $over is above /proc/sys/fs/mqueue/msg_max, which is $msg_max" \
	    ipc-msgq -q --posix send -N "$N" --maxmsg "$over" --msgsize 16 x
else
	run ipc-msgq -q --posix send -N "$N" --maxmsg "$over" --msgsize 16 x
	is "$rc" 0 "--maxmsg $over (msg_max + 1) is allowed with CAP_SYS_RESOURCE"
	made "... and the queue is there"
fi
over=$((msgsize_max + 1))
if [ "$privileged" -eq 0 ]; then
	refused "--msgsize $over (msgsize_max + 1)" \
	    "^ipc-msgq: mq_open $N: .*--msgsize $over is above /proc/sys/fs/mqueue/msgsize_max, which is $msgsize_max" \
	    ipc-msgq -q --posix send -N "$N" --maxmsg 1 --msgsize "$over" x
else
	run ipc-msgq -q --posix send -N "$N" --maxmsg 1 --msgsize "$over" x
	is "$rc" 0 "--msgsize $over (msgsize_max + 1) is allowed with CAP_SYS_RESOURCE"
	made "... and the queue is there"
fi

# Above the ceilings: refused to everybody, root too.
over=$((hard_msgmax + 1))
refused "--maxmsg $over (above the ceiling)" \
    "--maxmsg $over is above /proc/sys/fs/mqueue/msg_max, which is $msg_max .*never above $hard_msgmax" \
    ipc-msgq -q --posix send -N "$N" --maxmsg "$over" --msgsize 16 x
over=$((hard_msgsizemax + 1))
refused "--msgsize $over (above the ceiling)" \
    "--msgsize $over is above /proc/sys/fs/mqueue/msgsize_max, which is $msgsize_max .*never above $hard_msgsizemax" \
    ipc-msgq -q --posix send -N "$N" --maxmsg 1 --msgsize "$over" x

# RLIMIT_MSGQUEUE counts the bytes of a user's queues, for root too: a
# queue of half again what the limit allows is refused (EMFILE).
maxmsg=$msg_max
[ "$maxmsg" -le 10 ] || maxmsg=10
msgsize=$msgsize_max
[ "$msgsize" -le 8192 ] || msgsize=8192
limit=$((maxmsg * msgsize * 2 / 3))
refused "--maxmsg $maxmsg --msgsize $msgsize under 'ulimit -q $limit'" \
    "RLIMIT_MSGQUEUE \\('ulimit -q'\\) allows: $limit bytes" \
    prlimit --msgqueue="$limit" ipc-msgq -q --posix send -N "$N" \
    --maxmsg "$maxmsg" --msgsize "$msgsize" x

# A message the new queue could never hold: refused before the queue is
# made, naming the option that would make room.
refused "a message longer than --msgsize" "--msgsize" \
    ipc-msgq -q --posix send -N "$N" --msgsize 8 "nine byte"

# System V: a message longer than msgmax, refused before the queue is made.
msgmax=$(cat /proc/sys/kernel/msgmax)
text=$(head -c $((msgmax + 1)) /dev/zero | tr '\0' x)
refused "a System V message of msgmax + 1 bytes" \
    "^ipc-msgq: message 1 is $((msgmax + 1)) bytes, .*/proc/sys/kernel/msgmax is $msgmax" \
    ipc-msgq -q send -k "$K" "$text"

done_testing
