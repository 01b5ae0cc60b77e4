#!/bin/sh
# ipc-flock.sh - what a student would check by hand about ipc-flock.
# shellcheck source=tests/tap.sh disable=SC1091,SC2154 # tap.sh sets out, err, rc, bg_pid
. "${top_srcdir:-.}/tests/tap.sh"

F=$SCRATCH/lockfile
: >"$F"
ino=$(stat -c %i "$F")

# holder_pid BGPID: the ipc-flock (or flock) that bg started under timeout.
holder_pid() {
	pgrep -P "$1" | head -n 1
}

# is_locked [OPTION...] FILE: ipc-flock test sees a lock in the way.
is_locked() {
	ipc-flock -q test "$@" 2>/dev/null | grep -q '^locked:'
}

# demo_files: what a demo, bench, compare or deadlock left in the run directory.
demo_files() {
	find "$XDG_RUNTIME_DIR" -name 'flock-*' 2>/dev/null
}

# listed INODE: lslocks's lines about the file.  lslocks reads /proc/locks
# in pieces, and another script's locks coming and going in between can
# show a line twice or hide it (ipc-flock(1), OBSERVING): ask again until
# two listings agree, as proc_locks does.
listed() {
	seen=$(lslocks -n -r -o TYPE,PID,INODE | grep " $1\$")
	for _ in 1 2 3 4 5 6 7 8 9; do
		again=$(lslocks -n -r -o TYPE,PID,INODE | grep " $1\$")
		[ "$again" = "$seen" ] && break
		seen=$again
	done
	printf '%s\n' "$seen"
}

# released BGPID: stop a background holder with SIGTERM and reap it.
released() {
	kill -TERM "$1" 2>/dev/null
	reap_bg "$1"
}

# demo: every number arrives once; the file is gone afterwards.
run ipc-flock demo
is "$(printf '%s\n' "$out" | tail -n 1)" \
    "produced 1000, consumed 1000, lost 0, duplicated 0" "demo: every number once"
is "$rc" 0 "demo exits 0"
like "$err" '\[producer [0-9]+\] fcntl\([0-9]+, F_SETLKW, write lock, whole file\) -> granted' \
    "demo narrates the producer's lock"
like "$err" '\[consumer [0-9]+\] ftruncate\([0-9]+, 0\)' "demo narrates the consumer's ftruncate"
run ipc-flock -q demo -n 300
like "$out" '^the consumer emptied the file [0-9]+ times, [0-9]+ to [0-9]+ numbers at a time
produced 300, consumed 300, lost 0, duplicated 0$' "demo -n 300: two lines, the count exact"
is "$err" "" "-q silences the narration"
is "$(demo_files)" "" "demo removes its file"

# --no-lock: the same run without the lock; whatever it lost, it adds up.
run ipc-flock -q demo --no-lock -n 1000
is "$rc" 0 "demo --no-lock exits 0"
last=$(printf '%s\n' "$out" | tail -n 1)
like "$last" '^produced 1000, consumed [0-9]+, lost [0-9]+, duplicated [0-9]+$' \
    "demo --no-lock ends with the counts"
# shellcheck disable=SC2046 # four numbers, split on purpose
set -- $(printf '%s\n' "$last" | tr -cs '0-9' ' ')
if printf '%s\n' "$out" | grep -q 'torn'; then
	skip "a torn line makes the arithmetic inexact"
else
	is "$2" "$(($1 - $3 + $4))" "demo --no-lock: consumed = produced - lost + duplicated"
fi
if [ "$(($3 + $4))" -gt 0 ]; then
	ok "demo --no-lock shows the damage (lost $3)"
else
	skip "the race did not bite this time"
fi
is "$(demo_files)" "" "demo --no-lock removes its file"

# A reader that goes away early does not leave the demo's file behind.
ipc-flock demo -n 100 2>&1 | head -n 1 >/dev/null
is "$(demo_files)" "" "demo 2>&1 | head: the file is removed all the same"
ipc-flock compare 2>&1 | head -n 1 >/dev/null
is "$(demo_files)" "" "compare 2>&1 | head: the file is removed all the same"

# strace: every ftruncate of the consumer happens while it holds the lock.
if command -v strace >/dev/null 2>&1 &&
    strace -f -o /dev/null true 2>/dev/null; then
	# LeakSanitizer cannot work under ptrace: off for this run.
	ASAN_OPTIONS="${ASAN_OPTIONS:-}:detect_leaks=0" \
	    strace -ff -qq -e trace=fcntl,ftruncate -o "$SCRATCH/st" \
	    ipc-flock -q demo -n 40 >/dev/null 2>&1
	consumer=$(grep -l '^ftruncate' "$SCRATCH"/st.*)
	bad=$(awk '/F_WRLCK/ { held = 1 } /F_UNLCK/ { held = 0 }
	    /^ftruncate/ { n++; if (!held) bad++ }
	    END { print (n > 0 ? bad + 0 : "none") }' "$consumer")
	is "$bad" 0 "strace: the consumer truncates only while it holds the lock"
	rm -f "$SCRATCH"/st.*
else
	skip "strace cannot trace here"
fi

# A demo stopped by a signal takes its producer and its file with it.
for sig in TERM INT; do
	bg ipc-flock -q demo -n 1000000
	pid=$bg_pid
	wait_for 5 test -n "$(demo_files)" || true
	kill -"$sig" "$pid"
	reap_bg "$pid"
	is "$rc" "$([ $sig = TERM ] && echo 143 || echo 130)" "SIG$sig ends demo, dying of it"
	is "$(demo_files)" "" "... and removes the demo's file"
	check "... and no producer is left" wait_for 3 test -z "$(leftovers)"
done

# test: nobody holds anything yet.
run ipc-flock -q test "$F"
is "$out" "unlocked: no lock stops a write lock on bytes 0 to EOF" "test: an unlocked file"
is "$rc" 0 "test exits 0"
run ipc-flock -q test "$SCRATCH/missing"
is "$rc" 1 "test of a missing file exits 1"
like "$err" "^ipc-flock: open $SCRATCH/missing: No such file or directory" "... and says why"
check "test creates nothing" test ! -e "$SCRATCH/missing"

# A signal that comes between fork() and execvp() is not lost: strace
# holds the command's process a second in getppid() (die_with_parent),
# and SIGTERM comes then.  Noted by an inherited handler, it was forgotten
# by execvp, and the command ran on.
if command -v strace >/dev/null 2>&1 &&
    strace -f -o /dev/null true 2>/dev/null; then
	ASAN_OPTIONS="${ASAN_OPTIONS:-}:detect_leaks=0" timeout -k 2 20 \
	    strace -f -qq -o /dev/null -e inject=getppid:delay_exit=1000000 \
	    env --default-signal=INT,TERM ipc-flock -q lock "$F" -- sleep 30 &
	pid=$!
	cmd_forked() { st=$(pgrep -P "$pid") && fl=$(pgrep -P "$st") &&
	    c=$(pgrep -P "$fl"); }
	wait_for 5 cmd_forked && kill -TERM "$c"
	reap_bg "$pid"
	is "$rc" 143 "lock -- CMD: SIGTERM before execvp(), CMD's process dies of it"
else
	skip "strace cannot trace here"
fi

# An fcntl lock held while a command runs: test, --nowait, lslocks.
bg ipc-flock -q lock "$F" -- sleep 30
holder=$bg_pid
check "lock -- sleep: the lock is taken" wait_for 5 is_locked "$F"
h=$(holder_pid "$holder")
run ipc-flock -q test "$F"
is "$out" "locked: a write lock on bytes 0 to EOF, held by pid $h" "test names the holder's pid"
run ipc-flock -q test --ofd "$F"
is "$out" "locked: a write lock on bytes 0 to EOF, held by pid $h" "test --ofd sees the fcntl lock"
run -t 5 ipc-flock -q lock --nowait "$F" -- echo never
is "$rc" 1 "lock --nowait on a held lock exits 1"
is "$out" "" "... without running the command"
is "$err" "ipc-flock: $F is locked: a write lock on bytes 0 to EOF, held by pid $h" \
    "... naming the holder"
run -t 5 ipc-flock -q lock --ofd --nowait "$F"
is "$rc" 1 "fcntl and OFD locks conflict: lock --ofd --nowait exits 1"
run -t 5 ipc-flock -q lock --flock --nowait "$F" -- echo independent
is "$out" "independent" "flock(2) locks ignore fcntl locks"
is "$(listed "$ino")" "POSIX $h $ino" \
    "lslocks shows a POSIX lock of the holder"
like "$(grep " POSIX .* [0-9a-f:]*:$ino " /proc/locks)" "WRITE $h " \
    "/proc/locks shows it"

# A waiter names the holder, survives SIGSTOP/SIGCONT, then gets the lock.
bg ipc-flock lock "$F" -- echo got >"$SCRATCH/w.out" 2>"$SCRATCH/w.err"
waiter=$bg_pid
check "a second lock waits" wait_for 5 grep -q 'waiting until it is released' "$SCRATCH/w.err"
like "$(cat "$SCRATCH/w.err")" "EAGAIN: a write lock on bytes 0 to EOF, held by pid $h" \
    "the waiter names the holder (F_GETLK)"
w=$(holder_pid "$waiter")
kill -STOP "$w"
sleep 0.2
kill -CONT "$w"
sleep 0.2
check "after SIGSTOP and SIGCONT it still waits" kill -0 "$w"
is "$(cat "$SCRATCH/w.out")" "" "... and has not run its command"
released "$holder"
is "$rc" 143 "SIGTERM ends the holder, dying of it"
reap_bg "$waiter"
is "$rc" 0 "the waiter completes once the holder is gone"
is "$(cat "$SCRATCH/w.out")" "got" "... and runs its command"
check "no sleep is left behind" wait_for 3 test -z "$(leftovers)"
run ipc-flock -q test "$F"
like "$out" '^unlocked' "the lock is released after the command ends"

# OFD locks: owned by an open file description, so F_GETLK says pid -1.
bg ipc-flock -q lock --ofd "$F" -- sleep 30
holder=$bg_pid
check "lock --ofd: the lock is taken" wait_for 5 is_locked --ofd "$F"
run ipc-flock -q test "$F"
is "$out" "locked: a write lock on bytes 0 to EOF, held through an open file description (an OFD lock belongs to no process: pid -1)" \
    "test: an OFD lock has pid -1"
is "$(listed "$ino")" "OFDLCK -1 $ino" \
    "lslocks shows an OFDLCK lock with pid -1"
run -t 5 ipc-flock -q lock --nowait "$F"
is "$rc" 1 "an fcntl lock --nowait fails against an OFD lock"
released "$holder"

# flock(2): the same locks as util-linux flock(1), both ways.
bg ipc-flock -q lock --flock "$F" -- sleep 30
holder=$bg_pid
check "lock --flock: the lock is taken" wait_for 5 is_locked --flock "$F"
h=$(holder_pid "$holder")
run -t 5 flock -n "$F" true
is "$rc" 1 "flock -n F true fails while ipc-flock lock --flock holds F"
run ipc-flock -q test --flock "$F"
is "$out" "locked: an exclusive lock (flock) held by pid $h" "test --flock names the holder"
# It looks for F under the device /proc/locks shows for it (on btrfs not
# stat's st_dev, which is a subvolume's).
lockdev=$(grep " FLOCK .* $h [0-9a-f:]*:$ino " /proc/locks | awk '{ print $6 }')
run ipc-flock test --flock "$F"
like "$err" "reading /proc/locks for device ${lockdev%:*} inode $ino\$" \
    "test --flock narrates the device and inode /proc/locks shows"
is "$(listed "$ino")" "FLOCK $h $ino" \
    "lslocks shows a FLOCK lock of the holder"
run -t 5 ipc-flock -q lock --nowait "$F" -- echo independent
is "$out" "independent" "fcntl locks ignore flock(2) locks"
released "$holder"
run -t 5 flock -n "$F" true
is "$rc" 0 "flock -n succeeds once the holder is gone"

bg flock "$F" sleep 30
holder=$bg_pid
check "flock(1) holds the file" wait_for 5 is_locked --flock "$F"
h=$(holder_pid "$holder")
run -t 5 ipc-flock -q lock --flock --nowait "$F"
is "$rc" 1 "lock --flock --nowait fails while flock(1) holds F"
is "$err" "ipc-flock: $F is locked: an exclusive lock held by pid $h" \
    "... naming flock(1)'s pid (from /proc/locks)"
run -t 5 ipc-flock -q lock --flock --shared --nowait "$F"
is "$rc" 1 "a shared flock lock fails against an exclusive one"
bg ipc-flock lock --flock "$F" -- echo got >"$SCRATCH/w.out" 2>"$SCRATCH/w.err"
waiter=$bg_pid
check "lock --flock waits for flock(1)" wait_for 5 grep -q 'waiting until' "$SCRATCH/w.err"
w=$(holder_pid "$waiter")
kill -STOP "$w"
sleep 0.2
kill -CONT "$w"
released "$holder"
reap_bg "$waiter"
is "$rc" 0 "lock --flock completes after SIGSTOP/SIGCONT once flock(1) lets go"
is "$(cat "$SCRATCH/w.out")" "got" "... and runs its command"

# /proc/locks is no snapshot: the kernel writes it afresh for each read(),
# a page at most, and a lock taken or let go in between shows one line
# twice or hides it.  150 other locks (two pages), one churning, and the
# holder of F must still be named once, every time.
bg flock "$F" sleep 30
holder=$bg_pid
check "flock(1) holds the file again" wait_for 5 is_locked --flock "$F"
h=$(holder_pid "$holder")
mkdir "$SCRATCH/busy"
# shellcheck disable=SC2016 # the inner shell's
bg sh -c 'i=0; while [ $i -lt 150 ]; do
	flock "$0/$i" sleep 30 & i=$((i + 1)); done; wait' "$SCRATCH/busy"
others=$bg_pid
# shellcheck disable=SC2016
bg sh -c 'while :; do flock "$0" true; done' "$SCRATCH/busy/churn"
churn=$bg_pid
# shellcheck disable=SC2016
check "150 other locks are taken" wait_for 10 sh -c \
    '[ "$(grep -c FLOCK /proc/locks)" -gt 150 ]'
torn=0 i=0
while [ $i -lt 200 ]; do
	run ipc-flock -q test --flock "$F"
	[ "$out" = "locked: an exclusive lock (flock) held by pid $h" ] ||
	    torn=$((torn + 1))
	i=$((i + 1))
done
is "$torn" 0 "test --flock beside 150 locks, one churning: the holder, once, in 200 of 200"
released "$churn"
released "$others"
released "$holder"

# Ranges and shared locks.
bg ipc-flock -q lock --start 10 --len 10 "$F" -- sleep 30
holder=$bg_pid
check "lock --start 10 --len 10 is taken" wait_for 5 is_locked --start 10 --len 1 "$F"
h=$(holder_pid "$holder")
run ipc-flock -q test --start 0 --len 10 "$F"
is "$out" "unlocked: no lock stops a write lock on bytes 0 to 9" "bytes 0 to 9 are free"
run ipc-flock -q test --start 15 --len 10 "$F"
is "$out" "locked: a write lock on bytes 10 to 19, held by pid $h" "bytes 15 to 24 overlap 10 to 19"
run ipc-flock -q test --start 20 "$F"
like "$out" '^unlocked: .* bytes 20 to EOF$' "bytes 20 to EOF are free"
run -t 5 ipc-flock -q lock --nowait --start 0 --len 10 "$F" -- echo free
is "$out" "free" "a lock on bytes 0 to 9 is granted beside it"
released "$holder"
# The largest range: bytes 2^62 to 2^63 - 1, with no overflow on the way
# (a sanitizer build reports one on stderr).
big=4611686018427387904
run ipc-flock -q test --start "$big" --len "$big" "$F"
is "$rc:$out:$err" "0:unlocked: no lock stops a write lock on bytes $big to 9223372036854775807:" \
    "test --start 2^62 --len 2^62: the last byte is 2^63 - 1, no overflow"

bg ipc-flock -q lock --shared "$F" -- sleep 30
holder=$bg_pid
check "lock --shared is taken" wait_for 5 is_locked "$F"
h=$(holder_pid "$holder")
run ipc-flock -q test --shared "$F"
like "$out" '^unlocked: no lock stops a read lock' "read locks share"
run ipc-flock -q test "$F"
is "$out" "locked: a read lock on bytes 0 to EOF, held by pid $h" "a write lock would conflict"
run -t 5 ipc-flock -q lock --shared --nowait "$F" -- echo shared
is "$out" "shared" "a second read lock is granted"
released "$holder"

# On NFS an exclusive flock lock is an fcntl lock underneath: flock() on
# lock --flock's read-only descriptor says EBADF.  No NFS here, so strace
# makes flock() say it; the error must say why.
if strace -o /dev/null -e inject=flock:error=EBADF true 2>/dev/null; then
	run env ASAN_OPTIONS="${ASAN_OPTIONS:-}:detect_leaks=0" strace -qq \
	    -o /dev/null -e trace=flock -e inject=flock:error=EBADF \
	    ipc-flock -q lock --flock "$F" -- echo never
	is "$rc:$out:$err" "1::ipc-flock: flock(LOCK_EX|LOCK_NB) $F, open for reading only (on NFS a flock lock is an fcntl lock underneath, and a write lock needs the file open for writing): Bad file descriptor" \
	    "lock --flock: EBADF from flock() says what NFS needs"
else
	skip "strace cannot inject a fault here"
fi

# The command's exit status is lock's; the lock's descriptor stays out of it.
run ipc-flock -q lock "$F" -- sh -c 'exit 3'
is "$rc" 3 "lock -- CMD: CMD's exit status"
run ipc-flock -q lock "$F" -- sh -c 'kill -TERM $$'
is "$rc" 143 "lock -- CMD killed by SIGTERM: 128+15"
# (A path, not a PATH search: a directory on PATH we may not search
# would make execvp answer EACCES, and lock exit 126.)
run ipc-flock -q lock "$F" -- "$SCRATCH/no-such-command"
is "$rc" 127 "lock -- CMD not found: 127"
like "$err" "no-such-command: command not found" "... with the shell's message"
printf 'echo hi\n' >"$SCRATCH/noexec"
chmod 644 "$SCRATCH/noexec"
run ipc-flock -q lock "$F" -- "$SCRATCH/noexec"
is "$rc" 126 "lock -- CMD not executable: 126"
expect=$(ls /proc/self/fd 7</dev/null)
for k in "" --ofd --flock; do
	# shellcheck disable=SC2086 # $k is empty or one option
	run ipc-flock -q lock $k "$F" -- ls /proc/self/fd 7</dev/null
	is "$out" "$expect" "lock ${k:-(fcntl)}: CMD gets no descriptor of the lock"
done

# A FIFO, a socket or a device is no file to lock: refused by its kind
# at once, unopened (open() of a FIFO would wait for a writer for ever).
why="not a regular file: locks are for the records of a data file"
mkfifo "$SCRATCH/fifo"
for args in "lock --shared" "lock --flock" "lock" "test"; do
	# shellcheck disable=SC2086 # $args is words
	run -t 5 ipc-flock -q $args "$SCRATCH/fifo" </dev/null
	is "$rc" 1 "$args on a FIFO exits 1 at once"
	is "$err" "ipc-flock: $SCRATCH/fifo is a FIFO, $why, and opening a FIFO would wait for the other end" \
	    "... naming the FIFO, and why"
done
bg ipc-socket -q serve "$SCRATCH/sock" >/dev/null
server=$bg_pid
if wait_for 5 test -S "$SCRATCH/sock"; then
	run -t 5 ipc-flock -q lock --flock "$SCRATCH/sock" -- echo never
	is "$rc $out" "1 " "lock on a socket exits 1 without running CMD"
	is "$err" "ipc-flock: $SCRATCH/sock is a socket, $why, and a socket cannot even be opened (ENXIO)" \
	    "... naming the socket, and why"
	run -t 5 ipc-flock -q test "$SCRATCH/sock"
	is "$rc" 1 "test on a socket exits 1"
else
	skip "ipc-socket serve made no socket"
	skip "ipc-socket serve made no socket"
	skip "ipc-socket serve made no socket"
fi
released "$server"
run -t 5 ipc-flock -q lock /dev/null -- echo never
is "$rc $out" "1 " "lock on /dev/null exits 1 without running CMD"
is "$err" "ipc-flock: /dev/null is a character device, $why, and opening a device may act on it" \
    "... naming the device, and why"
run -t 5 ipc-flock -q test --shared /dev/null
is "$rc" 1 "test on /dev/null exits 1"
# A directory can be locked, as flock(1) users do; but a write lock of
# fcntl needs it open for writing, which a directory never is.
run -t 5 ipc-flock -q lock --shared "$SCRATCH" -- echo locked
is "$rc $out" "0 locked" "lock --shared on a directory runs CMD"
run -t 5 ipc-flock -q lock --flock "$SCRATCH" -- echo locked
is "$rc $out" "0 locked" "lock --flock on a directory runs CMD"
run -t 5 ipc-flock -q lock "$SCRATCH" -- echo never
is "$rc $out" "1 " "an fcntl write lock on a directory exits 1"
like "$err" "^ipc-flock: open $SCRATCH for writing \\(an fcntl write lock needs it; --shared or --flock would not\\): Is a directory\$" \
    "... saying what would do"

# A missing FILE is created private.
run ipc-flock -q lock "$SCRATCH/new" -- true
is "$(stat -c %a "$SCRATCH/new" 2>/dev/null)" 600 "lock creates a missing FILE with mode 600"

# No command: hold until Enter; Ctrl-C also ends it.
# (A background job's stdin is /dev/null unless redirected on the job itself.)
mkfifo "$SCRATCH/enter"
exec 3<>"$SCRATCH/enter"
timeout -k 2 30 env --default-signal=INT,TERM ipc-flock -q lock "$F" \
    <&3 >"$SCRATCH/h.out" &
holder=$!
tap_bg="$tap_bg $holder"
check "lock without CMD holds the lock" wait_for 5 is_locked "$F"
echo >&3
reap_bg "$holder"
is "$rc" 0 "Enter releases it, exit 0"
is "$(cat "$SCRATCH/h.out")" "locked $F: write lock (fcntl) on bytes 0 to EOF" \
    "it said what it held"
run ipc-flock -q test "$F"
like "$out" '^unlocked' "... and it is free again"
timeout -k 2 30 env --default-signal=INT,TERM ipc-flock -q lock "$F" \
    <&3 >/dev/null &
holder=$!
tap_bg="$tap_bg $holder"
check "it holds the lock again" wait_for 5 is_locked "$F"
kill -INT "$(holder_pid "$holder")"
reap_bg "$holder"
is "$rc" 130 "SIGINT ends it, dying of the signal"
run ipc-flock -q test "$F"
like "$out" '^unlocked' "... and the lock died with it"
exec 3>&-

# compare: this kernel's answers to the two questions.
run ipc-flock -q compare
is "$out" "lock    child after fork         after closing another fd
fcntl   does not hold it         released
ofd     shares the lock          still held
flock   shares the lock          still held" "compare: fork and close, kind by kind"
is "$rc" 0 "compare exits 0"

# deadlock: EDEADLK for fcntl locks, none for OFD locks.
run ipc-flock deadlock
is "$rc" 0 "deadlock exits 0"
like "$out" "refused the (parent|child)'s F_SETLKW with EDEADLK" "deadlock: the kernel says EDEADLK"
like "$err" '/proc/locks: \(waiting\) POSIX' "deadlock shows the waiting request in /proc/locks"
run ipc-flock -q deadlock --ofd -t 0.3
is "$rc" 0 "deadlock --ofd exits 0"
like "$out" '^no EDEADLK after 0.3 seconds' "deadlock --ofd: no EDEADLK, the timer ends it"
is "$(demo_files)" "" "deadlock and compare remove their files"

# bench: one key=value line for each kind.
for k in fcntl ofd flock; do
	opt=--$k
	[ $k = fcntl ] && opt=
	# shellcheck disable=SC2086 # $opt is empty or one option
	run ipc-flock -q bench -n 2000 $opt
	like "$out" "^mechanism=flock-$k size=0 count=2000 seconds=[0-9.]+ mib_per_s=0.0 msgs_per_s=[0-9]+\$" \
	    "bench $opt: lock+unlock pairs per second"
	# shellcheck disable=SC2086
	run ipc-flock -q bench --latency -n 300 $opt
	like "$out" "^mechanism=flock-$k size=0 count=300 rtt_p50_us=[0-9.]+ rtt_p99_us=[0-9.]+\$" \
	    "bench --latency $opt: a lock handed back and forth"
done
run ipc-flock -q bench --latency -n 100 --cpu 0,0
like "$out" ' cpu=0,0$' "bench --cpu reports the pinning"
run ipc-flock -q bench --latency -n 10 --cpu "0,$NOCPU"
is "$rc" 1 "bench --cpu with a CPU we cannot use exits 1"
like "$err" "^ipc-flock: cannot pin to CPU $NOCPU" "... and says why"
# The error names the CPUs it runs on, not every CPU the machine has
# (under a cpuset, as docker --cpuset-cpus makes, they differ).
first=$(sed -n 's/^Cpus_allowed_list:[[:space:]]*\([0-9]*\).*/\1/p' /proc/self/status)
if command -v taskset >/dev/null 2>&1 && [ -n "$first" ]; then
	run taskset -c "$first" ipc-flock -q bench --latency -n 10 \
	    --cpu "$NOCPU,$NOCPU"
	like "$rc:$err" "^1:ipc-flock: cannot pin to CPU $NOCPU: not one this process may use here \\(it runs on CPU $first\\)" \
	    "... naming the CPU it runs on (taskset -c $first)"
else
	skip "no taskset"
fi
is "$(demo_files)" "" "bench removes its files"

# Help and version.
run ipc-flock --help
like "$out" '^Usage: ipc-flock \[OPTION\.\.\.\] COMMAND' "--help prints usage on stdout"
is "$rc" 0 "--help exits 0"
run ipc-flock lock --help
like "$out" '^Usage: ipc-flock lock FILE' "lock --help shows that command"
like "$out" '--nowait' "... with its options"
run ipc-flock --version
like "$out" '^ipc-flock \(ipclab\) [0-9]' "--version"

# Usage errors: exit 2, nothing on stdout, "ipc-flock: ..." first.
usage_error "no command" ipc-flock
usage_error "unknown command" ipc-flock frobnicate
usage_error "unknown option" ipc-flock demo --frob
usage_error "option of another command" ipc-flock demo --shared
usage_error "--no-lock for lock" ipc-flock lock "$F" --no-lock
usage_error "lock without FILE" ipc-flock lock
usage_error "test without FILE" ipc-flock test
usage_error "test with two files" ipc-flock test "$F" "$F"
usage_error "--flock with --ofd" ipc-flock lock --flock --ofd "$F"
usage_error "--flock with --start" ipc-flock lock --flock --start 5 "$F"
usage_error "--start negative" ipc-flock test --start -1 "$F"
usage_error "--len not a number" ipc-flock test --len ten "$F"
usage_error "count zero" ipc-flock demo -n 0
usage_error "count not a number" ipc-flock demo -n many
usage_error "demo count too large" ipc-flock demo -n 2000000
usage_error "demo with an argument" ipc-flock demo now
usage_error "deadlock with --flock" ipc-flock deadlock --flock
usage_error "timeout zero" ipc-flock deadlock -t 0
usage_error "compare with an argument" ipc-flock compare x
usage_error "bench -s (a lock carries no data)" ipc-flock bench -s 64
usage_error "missing option argument" ipc-flock bench -n
usage_error "bench --cpu A,B without --latency" ipc-flock bench --cpu 0,1
is "$(demo_files)" "" "usage errors create nothing"
check "lock's usage error created no file" test ! -e "$SCRATCH/never"
usage_error "lock --flock --len" ipc-flock lock --flock --len 1 "$SCRATCH/never"
check "... nor this one" test ! -e "$SCRATCH/never"

# lock FILE CMD without "--": an option after CMD is refused, even one of
# ours (it would run CMD without it), with the hint of "--".
# after_cmd WORD CMD ARG...: "lock FILE CMD ARG..." is refused for WORD.
after_cmd() {
	word=$1
	shift
	run ipc-flock lock "$SCRATCH/never" "$@" </dev/null
	is "$rc:$out:$(printf '%s\n' "$err" | head -n 1)" \
	    "2::ipc-flock: option '$word' after the command '$1' (to pass an argument that starts with '-', put it after --)" \
	    "lock FILE $*: exit 2, nothing run, the hint of --"
}
after_cmd -q grep -q root /etc/passwd
after_cmd -h ls -h
after_cmd -n head -n 3 "$F"
after_cmd -t, sort -t, "$F"
after_cmd --nowait sleep 1 --nowait
check "... and none of them created FILE" test ! -e "$SCRATCH/never"
run ipc-flock -q lock "$F" --shared -- ls -d "$SCRATCH"
is "$rc:$out" "0:$SCRATCH" "an option between FILE and CMD is ours, and after -- CMD's"

is "$(leftovers)" "" "nothing of ours is left running"
is "$(demo_files)" "" "nothing of ours is left in the run directory"
done_testing
