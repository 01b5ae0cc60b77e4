#!/bin/sh
# ipc-signal.sh - what a student would check by hand about ipc-signal.
# tap.sh's run and bg set out, err, rc and bg_pid; 'shellcheck -x' sees that.
# shellcheck disable=SC1091,SC2154
. "${top_srcdir:-.}/tests/tap.sh"

uid=$(id -u)

# has_lines FILE N: FILE has N lines or more.
has_lines() {
	[ "$(wc -l <"$1")" -ge "$2" ]
}

# wait_lines FILE N: wait (at most 5 s) until FILE has N lines or more.
wait_lines() {
	wait_for 5 has_lines "$1" "$2"
}

# children_of PID STATE: how many children PID has in STATE (Z for
# zombies) or, with "live", in any other state.
children_of() {
	tap_count=0
	# The paths are /proc/N/status: no spaces, one word each.
	# shellcheck disable=SC2013
	for tap_f in $(grep -l "^PPid:[[:space:]]*$1\$" /proc/[0-9]*/status \
	    2>/dev/null); do
		tap_state=$(sed -n 's/^State:[[:space:]]*\([A-Z]\).*/\1/p' \
		    "$tap_f" 2>/dev/null)
		[ -n "$tap_state" ] || continue
		if [ "$2" = live ]; then
			[ "$tap_state" != Z ] && tap_count=$((tap_count + 1))
		elif [ "$tap_state" = "$2" ]; then
			tap_count=$((tap_count + 1))
		fi
	done
	echo "$tap_count"
}

# children_are PID STATE N: PID has N children in STATE (see children_of).
children_are() {
	[ "$(children_of "$1" "$2")" = "$3" ]
}

# gone PID...: none of these processes exists any more.
gone() {
	for tap_p in "$@"; do
		[ -e "/proc/$tap_p" ] && return 1
	done
	return 0
}

# demo: the standard signal merges, the real-time one queues, in order.
run ipc-signal demo
is "$rc" 0 "demo exits 0"
is "$out" "sent SIGUSR1 3 times and SIGRTMIN 3 times (values 1, 2, 3...) while the receiver blocked both
received SIGUSR1 with value 1
received SIGRTMIN with value 1
received SIGRTMIN with value 2
received SIGRTMIN with value 3
SIGUSR1: sent 3, received 1: a standard signal is only a pending bit, so the copies merged
SIGRTMIN: sent 3, received 3, in order: real-time signals queue, each with its value" \
    "demo: SIGUSR1 three times arrives once, SIGRTMIN three times, in order"
like "$err" '\[receiver [0-9]+\] sigpending\(\) -> SIGUSR1 pending, SIGRTMIN pending' \
    "demo narrates what is pending before anything is delivered"
run ipc-signal -q demo -n 7
is "$(printf '%s\n' "$out" | grep -c '^received SIGRTMIN')" 7 "demo -n 7: seven real-time signals arrive"
is "$(printf '%s\n' "$out" | grep -c '^received SIGUSR1')" 1 "demo -n 7: one SIGUSR1 arrives"
is "$err" "" "-q silences the narration"

# The queue has a per-user limit; the demo shows the refusal and goes on.
# (Other processes of the same user may hold some of it: no exact count.)
if command -v bash >/dev/null 2>&1; then
	run bash -c 'ulimit -i 5 && exec ipc-signal -q demo -n 10'
	is "$rc" 0 "demo under ulimit -i 5 exits 0"
	like "$out" 'SIGRTMIN: the kernel refused the other [0-9]+ \(the RLIMIT_SIGPENDING limit\)' \
	    "... and says the kernel refused the rest"
	run bash -c 'ulimit -i 0 && exec ipc-signal -q bench -n 100'
	like "$rc:$err" '^1:ipc-signal: sigqueue: .*RLIMIT_SIGPENDING allows, see ulimit -i\)$' \
	    "bench under ulimit -i 0: exit 1, the limit named"
else
	skip "no bash for ulimit -i"
	skip "no bash for ulimit -i"
	skip "no bash for ulimit -i"
fi

# catch and send, with the shell's own kill as a peer.
bg ipc-signal catch >"$SCRATCH/c1.out" 2>"$SCRATCH/c1.err"
c1=$bg_pid
wait_lines "$SCRATCH/c1.out" 1
cpid=$(sed -n 's/^pid \([0-9]*\) .*/\1/p' "$SCRATCH/c1.out")
like "$(head -n 1 "$SCRATCH/c1.out")" \
    '^pid [0-9]+ waits for SIGUSR1 SIGUSR2 SIGHUP SIGRTMIN \(SIGINT or SIGTERM ends it\)$' \
    "catch prints its pid and its default signals"
shpid=$(sh -c 'kill -USR1 "$1" && echo "$$"' sh "$cpid")
wait_lines "$SCRATCH/c1.out" 2
is "$(sed -n 2p "$SCRATCH/c1.out")" "SIGUSR1 from pid $shpid uid $uid (kill)" \
    "kill -USR1 from a shell: catch shows the shell's pid and uid"
run ipc-signal send "$cpid" RTMIN 42
spid=$(printf '%s\n' "$err" | sed -n 's/^\[send \([0-9]*\)\].*/\1/p')
is "$out" "queued SIGRTMIN with value 42 for pid $cpid" "send with a VALUE says it queued it"
like "$err" "^\\[send $spid\\] sigqueue\\($cpid, SIGRTMIN, 42\\) -> 0" "send narrates sigqueue()"
wait_lines "$SCRATCH/c1.out" 3
is "$(sed -n 3p "$SCRATCH/c1.out")" "SIGRTMIN from pid $spid uid $uid value 42 (sigqueue)" \
    "sigqueue: catch shows the sender's pid and the value"
run ipc-signal -q send "$cpid" sigusr2
is "$out" "sent SIGUSR2 to pid $cpid" "send takes a lower-case name with SIG"
wait_lines "$SCRATCH/c1.out" 4
like "$(sed -n 4p "$SCRATCH/c1.out")" '^SIGUSR2 from pid [0-9]+ uid [0-9]+ \(kill\)$' \
    "kill(2) without a value: no value shown"
run ipc-signal -q send "$cpid" 1
is "$out" "sent SIGHUP to pid $cpid" "send takes a number (1 is SIGHUP)"
wait_lines "$SCRATCH/c1.out" 5
like "$(sed -n 5p "$SCRATCH/c1.out")" '^SIGHUP from pid ' "catch catches SIGHUP by default"
run ipc-signal -q send "$cpid" 0
is "$out" "pid $cpid exists and you may signal it" "send PID 0 only checks the pid"
is "$rc" 0 "send PID 0 exits 0"
kill -TERM "$cpid"
reap_bg "$c1"
is "$rc" 0 "SIGTERM stops catch with exit 0"
is "$(sed -n '$p' "$SCRATCH/c1.out")" "caught 4 signals before SIGTERM" \
    "catch counts exactly the signals sent (signal 0 sends nothing)"
is "$(wc -l <"$SCRATCH/c1.out" | tr -d ' ')" 7 "one line per signal, no more"

bg ipc-signal -q catch USR1 RTMIN+2 >"$SCRATCH/c2.out" 2>&1
c2=$bg_pid
wait_lines "$SCRATCH/c2.out" 1
cpid=$(sed -n 's/^pid \([0-9]*\) .*/\1/p' "$SCRATCH/c2.out")
like "$(head -n 1 "$SCRATCH/c2.out")" '^pid [0-9]+ waits for SIGUSR1 SIGRTMIN\+2 ' \
    "catch SIGNAL...: only the ones given"
run ipc-signal -q send "$cpid" SIGRTMIN+2 -- -7
wait_lines "$SCRATCH/c2.out" 2
like "$(sed -n 2p "$SCRATCH/c2.out")" '^SIGRTMIN\+2 from pid [0-9]+ uid [0-9]+ value -7 \(sigqueue\)$' \
    "a negative value passes after --"
kill -INT "$cpid"
reap_bg "$c2"
is "$rc" 0 "SIGINT stops catch with exit 0"
is "$(sed -n '$p' "$SCRATCH/c2.out")" "caught 1 signal before SIGINT" "... with its count"

bg ipc-signal -q catch USR1 >"$SCRATCH/c3.out" 2>&1
c3=$bg_pid
wait_lines "$SCRATCH/c3.out" 1
cpid=$(sed -n 's/^pid \([0-9]*\) .*/\1/p' "$SCRATCH/c3.out")
kill -USR2 "$cpid"
reap_bg "$c3"
is "$rc" 140 "a signal catch does not catch takes its default action: SIGUSR2 kills (128+12)"

bg ipc-signal -q catch USR1 >"$SCRATCH/c4.out" 2>&1
c4=$bg_pid
wait_lines "$SCRATCH/c4.out" 1
cpid=$(sed -n 's/^pid \([0-9]*\) .*/\1/p' "$SCRATCH/c4.out")
kill -HUP "$cpid"
reap_bg "$c4"
is "$rc" 129 "SIGHUP when not in the set: catch dies of it (128+1)"

# send's failures are explained.
pidmax=$(cat /proc/sys/kernel/pid_max)
run ipc-signal -q send "$pidmax" USR1
is "$rc" 1 "send to a pid nobody has: exit 1"
like "$err" "^ipc-signal: kill\\($pidmax, SIGUSR1\\): No such process \\(no process has pid" \
    "... ESRCH, explained"
if [ "$uid" -eq 0 ] && command -v setpriv >/dev/null 2>&1; then
	run setpriv --reuid=65534 --regid=65534 --clear-groups \
	    ipc-signal -q send "$$" 0
elif [ "$(stat -c %u /proc/1)" != "$uid" ]; then
	run ipc-signal -q send 1 0
else
	rc=skip
fi
if [ "$rc" = skip ]; then
	skip "no process of another user to try"
	skip "no process of another user to try"
else
	is "$rc" 1 "send to another user's process: exit 1"
	like "$err" 'Operation not permitted \(you may signal a process only if your real or effective uid' \
	    "... EPERM, explained"
fi

# supervise: a hung worker is killed and restarted; nothing is left.
run -t 20 ipc-signal supervise -w 3 --interval 0.2 --timeout 1.5 \
    --hang 2@0.3 --run 4
is "$rc" 0 "supervise --run exits 0"
old=$(printf '%s\n' "$out" | sed -n 's/.*worker 2 started: pid //p')
like "$out" "t=[0-9.]+ worker 2 \\(pid $old\\) silent for [0-9.]+ s \\(timeout 1.5 s\\): SIGKILL" \
    "--hang 2: worker 2 falls silent and is killed"
like "$out" "t=[0-9.]+ worker 2 \\(pid $old\\) reaped: killed by SIGKILL" "... and reaped"
new=$(printf '%s\n' "$out" | sed -n 's/.*worker 2 restarted: pid //p')
like "$new" '^[0-9]+$' "... and restarted, the log giving its new pid"
check "... which is a new pid" test "$new" != "$old"
is "$(printf '%s\n' "$out" | sed -n '/^summary/,$p' | sed 's/^summary: [0-9.]* s, /summary: /')" \
    "summary: 3 workers, 1 restart
worker 1: 0 restarts
worker 2: 1 restart
worker 3: 0 restarts" "the summary counts one restart, of worker 2"
like "$err" 'waitpid\(-1, WNOHANG\) -> ECHILD: no child is left, not even a zombie' \
    "supervise checks that no child is left, not even a zombie"
# shellcheck disable=SC2046 # the pids are words on purpose
check "no worker it started still exists" wait_for 3 gone $(printf '%s\n' "$out" |
    sed -n 's/.*started: pid //p; s/.*restarted: pid //p')

# supervise until a signal: a worker killed from outside comes back, a
# forged heartbeat is refused, SIGTERM stops it all.
bg ipc-signal supervise --interval 0.2 --timeout 2 >"$SCRATCH/s.out" 2>"$SCRATCH/s.err"
s1=$bg_pid
wait_lines "$SCRATCH/s.out" 4
sup=$(sed -n 's/^t=[0-9.]* supervisor \([0-9]*\):.*/\1/p' "$SCRATCH/s.out")
check "three live workers, no zombie" \
    wait_for 5 children_are "$sup" live 3
w1=$(sed -n 's/.*worker 1 started: pid //p' "$SCRATCH/s.out")
kill -KILL "$w1"
check "a worker killed from outside is restarted" \
    wait_for 5 grep -q 'worker 1 restarted: pid' "$SCRATCH/s.out"
like "$(cat "$SCRATCH/s.out")" "worker 1 \\(pid $w1\\) died: killed by SIGKILL" \
    "... and the log says how it died"
check "... and reaped: no zombie is left" \
    wait_for 5 children_are "$sup" Z 0
run ipc-signal -q send "$sup" RTMIN 2
check "a heartbeat from a stranger is ignored" \
    wait_for 5 grep -q 'ignored a heartbeat for worker 2 from pid' "$SCRATCH/s.out"
kill -TERM "$sup"
reap_bg "$s1"
is "$rc" 0 "SIGTERM stops supervise with exit 0"
like "$(cat "$SCRATCH/s.out")" 'SIGTERM from pid [0-9]+ uid [0-9]+ \(kill\): stopping the workers' \
    "... and the log says who sent it"
like "$(cat "$SCRATCH/s.out")" 'worker 1: 1 restart' "... and the summary counts the restart"
# shellcheck disable=SC2046 # the pids are words on purpose
check "no worker it started still exists" wait_for 3 gone $(sed -n \
    's/.*started: pid //p; s/.*restarted: pid //p' "$SCRATCH/s.out")
like "$(cat "$SCRATCH/s.err")" '\[worker 2 [0-9]+\] started: sigqueue\([0-9]+, SIGRTMIN, 2\)' \
    "workers narrate their heartbeat"

for sig in INT HUP; do
	bg ipc-signal -q supervise -w 1 --interval 0.2 >"$SCRATCH/s$sig.out" 2>&1
	s2=$bg_pid
	wait_lines "$SCRATCH/s$sig.out" 2
	sup=$(sed -n 's/^t=[0-9.]* supervisor \([0-9]*\):.*/\1/p' "$SCRATCH/s$sig.out")
	kill -"$sig" "$sup"
	reap_bg "$s2"
	is "$rc" 0 "SIG$sig stops supervise with exit 0"
	like "$(cat "$SCRATCH/s$sig.out")" 'worker 1: 0 restarts' "... after the summary"
done

# Ignored on entry (nohup): SIGHUP does not stop supervise, --run does.
if env --ignore-signal=HUP true 2>/dev/null; then
	bg env --ignore-signal=HUP ipc-signal -q supervise -w 1 --interval 0.2 \
	    --run 1.5 >"$SCRATCH/sn.out" 2>&1
	s3=$bg_pid
	wait_lines "$SCRATCH/sn.out" 2
	sup=$(sed -n 's/^t=[0-9.]* supervisor \([0-9]*\):.*/\1/p' "$SCRATCH/sn.out")
	kill -HUP "$sup"
	reap_bg "$s3"
	is "$rc" 0 "SIGHUP ignored on entry (nohup): supervise keeps it ignored"
	like "$(cat "$SCRATCH/sn.out")" '--run 1.5 s is over' "... and ends when --run is over"
else
	skip "env has no --ignore-signal"
	skip "env has no --ignore-signal"
fi

# bench: one key=value line.
run ipc-signal -q bench -n 300
like "$out" '^mechanism=signal size=4 count=300 rtt_p50_us=[0-9.]+ rtt_p99_us=[0-9.]+$' \
    "bench prints its round-trip line"
run ipc-signal -q bench --latency -n 100 --cpu 0,0
like "$out" '^mechanism=signal size=4 count=100 .* cpu=0,0$' "bench --cpu reports the pinning"
bg ipc-signal -q bench -n 100000000
b1=$bg_pid
sleep 0.3
kill -TERM "$b1"
reap_bg "$b1"
is "$rc" 143 "SIGTERM ends a long bench, which dies of it"

# Help and version.
run ipc-signal --help
like "$out" '^Usage: ipc-signal \[OPTION\.\.\.\] COMMAND' "--help prints usage on stdout"
is "$rc" 0 "--help exits 0"
run ipc-signal supervise --help
like "$out" '^Usage: ipc-signal supervise ' "COMMAND --help shows that command"
like "$out" '--hang N\[@S\]' "... with its options"
run ipc-signal --version
like "$out" '^ipc-signal \(ipclab\) [0-9]' "--version"

# Usage errors: exit 2, nothing on stdout, "ipc-signal: ..." first.
usage_error "no command" ipc-signal
usage_error "unknown command" ipc-signal frobnicate
usage_error "send without arguments" ipc-signal send
usage_error "send without a signal" ipc-signal send "$$"
usage_error "send with too many arguments" ipc-signal send "$$" USR1 1 2
usage_error "send: PID not a number" ipc-signal send abc USR1
usage_error "send: PID 0 (a process group)" ipc-signal send 0 USR1
usage_error "send: PID -1 (everyone)" ipc-signal send -- -1 USR1
usage_error "send: PID too large" ipc-signal send 99999999999 USR1
usage_error "send: unknown signal" ipc-signal send "$$" NOSUCH
usage_error "send: signal number too large" ipc-signal send "$$" 99
usage_error "send: value not a number" ipc-signal send "$$" USR1 abc
usage_error "send: value too large" ipc-signal send "$$" USR1 4294967296
usage_error "catch SIGKILL" ipc-signal catch KILL
usage_error "catch SIGSTOP" ipc-signal catch SIGSTOP
usage_error "catch signal 0" ipc-signal catch 0
usage_error "catch an unknown signal" ipc-signal catch USR3
usage_error "catch a signal the C library keeps" ipc-signal catch 32
usage_error "demo with an argument" ipc-signal demo now
usage_error "demo -n 0" ipc-signal demo -n 0
usage_error "option of another command" ipc-signal demo --run 1
usage_error "supervise -w 0" ipc-signal supervise -w 0
usage_error "supervise -w 100" ipc-signal supervise -w 100
usage_error "--hang a worker that does not exist" ipc-signal supervise --hang 4
usage_error "--hang not a number" ipc-signal supervise --hang two
usage_error "--hang with bad seconds" ipc-signal supervise --hang 1@soon
usage_error "timeout not longer than the interval" ipc-signal supervise --interval 2 --timeout 2
usage_error "--run 0" ipc-signal supervise --run 0
usage_error "--interval negative" ipc-signal supervise --interval -1
usage_error "bench has no size" ipc-signal bench -s 64
is "$(leftovers)" "" "no usage error left anything running"

# Output errors are failures, not silence.
if [ -w /dev/full ]; then
	timeout 10 ipc-signal -q demo >/dev/full 2>"$SCRATCH/full.err"
	is "$?" 1 "a full stdout is exit 1"
	like "$(cat "$SCRATCH/full.err")" 'write error' "... with a message"
else
	skip "no /dev/full"
	skip "no /dev/full"
fi

check "nothing of ours is left running" wait_for 3 test -z "$(leftovers)"
done_testing
