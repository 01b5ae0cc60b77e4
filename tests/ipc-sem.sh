#!/bin/sh
# ipc-sem.sh - what a student would check by hand about ipc-sem.
# shellcheck disable=SC1091,SC2154 # tap.sh sets out, err, rc and bg_pid
. "${top_srcdir:-.}/tests/tap.sh"

uid=$(id -u)
# Keys and names of this run only, so make -j check and two users at once
# never meet.  'ipcs -s' prints keys in hex.
key=$((0x73000000 + ($$ % 1000000) * 4))
key2=$((key + 1))
key3=$((key + 2))
claim key "$key" "$key2" "$key3" $((key + 3))
# The per-user default semaphore is used below: hold it alone.
defaults_take
hex() {
	printf '0x%08x' "$1"
}
name=/ipclab-test-$UNIQ
name2=/ipclab-test-$UNIQ-b
file=$SEM_AT${name#/}

# The perms and nsems columns of ipcs -s for KEY, or nothing.
ipcs_row() {
	ipcs -s | awk -v k="$(hex "$1")" '$1 == k { print $4, $5 }'
}
# The one-letter state of process PID (S sleeping, T stopped).
state() {
	sed -n 's/^State:[[:space:]]*\(.\).*/\1/p' "/proc/$1/status" 2>/dev/null
}
# The program that bg's timeout runs.
prog_of() {
	pgrep -P "$1" | head -n 1
}
# stop_cont PID CHECK...: Ctrl-Z and fg five times; after each, CHECK holds.
stop_cont() {
	sc_pid=$1
	shift
	for sc_round in 1 2 3 4 5; do
		kill -STOP "$sc_pid"
		wait_for 2 test "$(state "$sc_pid")" = T ||
		    diag "round $sc_round: not stopped"
		kill -CONT "$sc_pid"
		wait_for 2 "$@"
	done
}
# The semaphore's value, as ipc-sem prints it.
value() {
	ipc-sem -q value "$@" 2>/dev/null
}
waiting_sysv() {
	ipc-sem -q --sysv info -k "$1" | grep -q "^semncnt: *$2 "
}

# counter: the seed's line, exact with any of the three locks.
run ipc-sem counter
is "$out" "Total count: 2000, Expected: 2000" "counter: 2 workers x 1000, exact"
is "$rc" 0 "counter exits 0"
like "$err" 'MAP_SHARED\|MAP_ANONYMOUS' "counter narrates the shared anonymous mapping"
like "$err" 'sem_init\(&c->sem, pshared=1, 1\)' "counter narrates sem_init with pshared=1"
like "$err" '^\[worker 2 [0-9]+\] ' "the workers narrate too"
run ipc-sem -q counter -w 4 -n 100000
is "$out" "Total count: 400000, Expected: 400000" "counter -w 4 -n 100000: exact"
run ipc-sem counter --named -w 4 -n 100000
is "$out" "Total count: 400000, Expected: 400000" "counter --named: exact"
cname=$(printf '%s\n' "$err" | sed -n 's/.*sem_open("\(\/[^"]*\)".*/\1/p' | head -n 1)
like "$cname" "^/ipclab-$uid-counter-[0-9]+\$" "counter --named: a private name carrying the pid"
check "counter --named: $cname is unlinked at the end" test ! -e "$SEM_AT${cname#/}"
run ipc-sem counter --sysv -w 4 -n 100000
is "$out" "Total count: 400000, Expected: 400000" "counter --sysv: exact"
semid=$(printf '%s\n' "$err" | sed -n 's/.*semget(IPC_PRIVATE, 1, 0600) -> semid \([0-9]*\).*/\1/p')
like "$semid" '^[0-9]+$' "counter --sysv: narrates its IPC_PRIVATE set"
check "counter --sysv: the set is removed at the end" \
    sh -c "! awk '\$2 == $semid' /proc/sysvipc/sem | grep -q ."
# The most workers -w allows, with each lock that makes an object.
for lock in --named --sysv; do
	run ipc-sem -q counter $lock -w 64 -n 100
	is "$rc:$out:$err" "0:Total count: 6400, Expected: 6400:" \
	    "counter $lock -w 64, the most workers: exact"
done
# Without the lock a worker's yield lets the others overwrite its update
# nearly every time; it also hands the CPU to any busy process, so on a
# loaded machine -n 100000 took over a minute, and -n 2000 a few seconds.
run ipc-sem -q counter --no-lock -w 4 -n 2000
is "$rc" 0 "counter --no-lock exits 0 (it showed what it meant to)"
total=$(printf '%s\n' "$out" | sed -n 's/^Total count: \([0-9]*\), Expected: 8000$/\1/p')
check "counter --no-lock: updates are lost ($total of 8000)" \
    test "${total:-8000}" -lt 8000
like "$out" '^Lost updates: [0-9]+' "counter --no-lock: says how many were lost"
run ipc-sem -q counter --no-lock
like "$out" '^Total count: [0-9]+, Expected: 2000$' "counter --no-lock with the defaults"

# The narration is in the order things happened: the parent says it
# closes its ends of the start gate before any worker can say the gate
# opened.  Through a pipe, as "ipc-sem counter 2>&1 | less" shows it.
# gate_order: the run in $SCRATCH/gate tells them in that order.
gate_order() {
	awk '/^\[parent [0-9]+\] close\(/ { closed = 1 }
	    /the gate opened/ && !closed { early = 1 }
	    END { exit early || !closed }' "$SCRATCH/gate"
}
early=0
i=0
while [ "$i" -lt 20 ]; do
	i=$((i + 1))
	timeout -k 2 30 ipc-sem counter -w 2 -n 1 2>&1 | cat >"$SCRATCH/gate"
	gate_order || early=$((early + 1))
done
is "$early" 0 "counter: no worker's 'gate opened' before the parent's close (20 runs)"
# A parent slow to come back from close() (strace delays it 0.2 s) lets
# the workers run first every time: it must have spoken before.
if strace -f -qq -o /dev/null -e trace=close \
    -e inject=close:delay_exit=1 true 2>/dev/null; then
	# LeakSanitizer cannot run under ptrace (a sanitizer build).
	asan="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
	timeout -k 2 30 env ASAN_OPTIONS="$asan" strace -f -qq -o /dev/null \
	    -e trace=close -e inject=close:delay_exit=200000 \
	    ipc-sem counter -w 2 -n 1 2>&1 | cat >"$SCRATCH/gate"
	check "... nor when the parent's close() is slow to return" gate_order
else
	skip "strace cannot delay a call here"
fi

# Two counters at once never meet: private names, IPC_PRIVATE sets.  (A
# worker yields while it holds the lock, which on a busy machine makes a
# counter slow: -n 2000 keeps three of them well within bg's minute.)
bg ipc-sem -q counter --named -w 2 -n 2000 >"$SCRATCH/c1"
p1=$bg_pid
bg ipc-sem -q counter --named -w 2 -n 2000 >"$SCRATCH/c2"
p2=$bg_pid
bg ipc-sem -q counter --sysv -w 2 -n 2000 >"$SCRATCH/c3"
p3=$bg_pid
reap_bg "$p1"
rc1=$rc
reap_bg "$p2"
rc2=$rc
reap_bg "$p3"
is "$rc1 $rc2 $rc" "0 0 0" "three counters at once all exit 0"
exact="Total count: 4000, Expected: 4000"
is "$(cat "$SCRATCH/c1" "$SCRATCH/c2" "$SCRATCH/c3")" \
    "$(printf '%s\n' "$exact" "$exact" "$exact")" \
    "three counters at once: each exact"

# A named POSIX semaphore: create, value, wait, post, rm.
run ipc-sem create -N "$name" -V 0
is "$rc" 0 "create -N $name -V 0"
check "create: $file exists" test -e "$file"
is "$(stat -c %a "$file")" 600 "create: mode 0600 by default"
is "$(value -N "$name")" 0 "value: 0"
run ipc-sem -q info -N "$name"
like "$out" "^file: +$file" "info names the file under /dev/shm"
like "$out" '^mode: +0600$' "info: mode 0600"
like "$out" '^value: +0$' "info: value 0"
run ipc-sem create -N "$name"
is "$rc" 1 "create of an existing name: exit 1"
like "$err" 'exists already' "... saying it exists"
run -t 10 ipc-sem wait --try -N "$name"
is "$rc" 1 "wait --try on 0: exit 1"
like "$err" '^ipc-sem: sem_trywait .*--try does not wait \(EAGAIN\)' "... at once, saying why"
run -t 10 ipc-sem -q wait --timeout 0.3 -N "$name"
is "$rc" 1 "wait --timeout on 0: exit 1"
like "$err" 'timed out \(ETIMEDOUT\): no post came within 0.3 seconds' "... explaining ETIMEDOUT"
run ipc-sem post -N "$name"
is "$rc" 0 "post: exit 0"
is "$(value -N "$name")" 1 "post: value 1"
run -t 10 ipc-sem -q wait --try -N "$name"
is "$rc" 0 "wait --try on 1: exit 0"
is "$(value -N "$name")" 0 "wait --try took the unit: 0"
ipc-sem -q post -N "$name"
run -t 10 ipc-sem -q wait -N "$name" --timeout 5
is "$rc" 0 "wait --timeout: a unit there is taken at once"

# Another terminal's post releases a blocked wait.
bg ipc-sem wait -N "$name" 2>"$SCRATCH/w1"
w=$bg_pid
wait_for 5 grep -q 'sleeps until a post' "$SCRATCH/w1"
sleep 0.3
check "wait blocks while the value is 0" kill -0 "$w"
ipc-sem -q post -N "$name"
reap_bg "$w"
is "$rc" 0 "a post releases the waiting wait"
is "$(value -N "$name")" 0 "the waiter took the posted unit"

# Ctrl-Z and fg, five times, change nothing.
bg ipc-sem wait -N "$name" 2>"$SCRATCH/w2"
w=$bg_pid
wait_for 5 grep -q 'sleeps until a post' "$SCRATCH/w2"
p=$(prog_of "$w")
if [ -n "$p" ]; then
	stop_cont "$p" sleep 0.1
	is "$(state "$p")" S "wait: still asleep after five stops and continues"
else
	skip "pgrep cannot find the waiting program"
fi
ipc-sem -q post -N "$name"
reap_bg "$w"
is "$rc" 0 "... and a post then completes it"

# rm under a waiting wait ends it, clearly.
bg ipc-sem -q wait -N "$name" 2>"$SCRATCH/w3"
w=$bg_pid
sleep 0.3
ipc-sem -q rm -N "$name"
reap_bg "$w"
is "$rc" 1 "rm while a wait blocks: the wait exits 1"
like "$(cat "$SCRATCH/w3")" 'the semaphore was removed while we waited' "... saying it was removed"
check "rm: $file is gone" test ! -e "$file"
run ipc-sem rm -N "$name"
is "$rc" 1 "rm of a missing name: exit 1"
like "$err" "no such semaphore \\(no $file\\)" "... saying so"
run ipc-sem post -N "$name"
is "$rc" 1 "post to a missing name: exit 1"
like "$err" "make it with 'ipc-sem create -N $name'" "... saying how to make it"

# -m is the mode, whatever the umask.
(umask 077 && ipc-sem -q create -N "$name2" -m 644)
is "$(stat -c %a "$SEM_AT${name2#/}")" 644 "create -m 644 under umask 077: mode 644"
ipc-sem -q rm -N "$name2"

# The default name is the user's own.
dfile=${SEM_AT}ipclab-$uid-sem
made_dfile=
if [ ! -e "$dfile" ]; then
	made_dfile=$dfile
	run ipc-sem create
	check "create with no -N: $dfile" test -e "$dfile"
	is "$(stat -c %a "$dfile")" 600 "the default semaphore is mode 0600"
	if [ "$uid" -eq 0 ] && ipc_nobody=$(command -v ipc-sem) &&
	    setpriv --reuid=65534 --regid=65534 --clear-groups \
	    "$ipc_nobody" --version >/dev/null 2>&1; then
		run setpriv --reuid=65534 --regid=65534 --clear-groups \
		    "$ipc_nobody" value -N "/ipclab-$uid-sem"
		is "$rc" 1 "another user cannot use the default semaphore"
		like "$err" 'Permission denied' "... Permission denied"
	else
		skip "not root: cannot try as another user"
		skip "not root: cannot try as another user"
	fi
	ipc-sem -q rm
	check "rm with no -N removes it" test ! -e "$dfile"
else
	skip "$dfile exists already: not touching it"
	skip "$dfile exists already: not touching it"
	skip "$dfile exists already: not touching it"
	skip "$dfile exists already: not touching it"
	skip "$dfile exists already: not touching it"
fi

# A System V set: create, ipcs, value, wait, post, rm.
run ipc-sem --sysv create -k "$key" -V 0
is "$rc" 0 "--sysv create -k $(hex "$key") -V 0"
is "$(ipcs_row "$key")" "600 1" "ipcs -s: the set, mode 600, one semaphore"
ipc-sem -q --sysv create -k "$key2" -m 640
is "$(ipcs_row "$key2")" "640 1" "--sysv create -m 640: ipcs says 640"
is "$(value --sysv -k "$key2")" 1 "--sysv create: value 1 by default"
ipc-sem -q --sysv rm -k "$key2"
is "$(ipcs_row "$key2")" "" "--sysv rm: gone from ipcs"

# Removal is not use: even at mode 0666 another user may not remove a
# set (IPC_RMID: owner or creator) nor a name (/dev/shm is sticky), and
# the refusal says so rather than blaming the mode.
if [ "$uid" -eq 0 ] && ipc_other=$(command -v ipc-sem) &&
    setpriv --reuid=65534 --regid=65534 --clear-groups \
    "$ipc_other" --version >/dev/null 2>&1; then
	ipc-sem -q --sysv create -k "$key2" -m 666
	run setpriv --reuid=65534 --regid=65534 --clear-groups \
	    "$ipc_other" -q --sysv rm -k "$key2"
	is "$rc" 1 "another user's --sysv rm of a 0666 set: exit 1"
	like "$err" "IPC_RMID .*Operation not permitted \\(only the set's owner \\(uid 0\\), its creator \\(uid 0\\) or root" \
	    "... naming the owner-or-creator rule"
	is "$(ipcs_row "$key2")" "666 1" "... and the set is still there"
	ipc-sem -q --sysv rm -k "$key2"
	ipc-sem -q create -N "$name2" -m 666
	run setpriv --reuid=65534 --regid=65534 --clear-groups \
	    "$ipc_other" -q rm -N "$name2"
	is "$rc" 1 "another user's rm of a 0666 POSIX name: exit 1"
	like "$err" "sem_unlink $name2: .*/dev/shm has the sticky bit" \
	    "... naming /dev/shm's sticky bit"
	check "... and the name is still there" \
	    test -e "$SEM_AT${name2#/}"
	ipc-sem -q rm -N "$name2"
else
	for _ in 1 2 3 4 5 6; do
		skip "not root: cannot try as another user"
	done
fi
run ipc-sem -q --sysv info -k "$key"
like "$out" "^key: +$(hex "$key")\$" "--sysv info: the key, as ipcs prints it"
like "$out" '^mode: +0600$' "--sysv info: mode 0600"
run ipc-sem --sysv create -k "$key"
is "$rc" 1 "--sysv create of an existing key: exit 1"
run -t 10 ipc-sem --sysv wait --try -k "$key"
is "$rc" 1 "--sysv wait --try on 0: exit 1"
like "$err" '^ipc-sem: semop key .*--try does not wait \(EAGAIN\)' "... saying why"
run -t 10 ipc-sem --sysv wait -t 0.3 -k "$key"
is "$rc" 1 "--sysv wait --timeout on 0: exit 1"
like "$err" 'semtimedop .*timed out' "... saying it timed out"
ipc-sem -q --sysv post -k "$key"
is "$(value --sysv -k "$key")" 1 "--sysv post: value 1"
run -t 10 ipc-sem --sysv wait -k "$key"
is "$rc" 0 "--sysv wait (SEM_UNDO): exit 0"
like "$err" 'SEM_UNDO gives it back the moment this process exits' "... explaining SEM_UNDO"
is "$(value --sysv -k "$key")" 1 "--sysv wait with SEM_UNDO: the unit is back once it exits"
run -t 10 ipc-sem -q --sysv wait --no-undo -k "$key"
is "$(value --sysv -k "$key")" 0 "--sysv wait --no-undo: the unit stays taken"

bg ipc-sem --sysv wait --no-undo -k "$key" 2>"$SCRATCH/s1"
w=$bg_pid
check "--sysv info counts the waiter (semncnt 1)" wait_for 5 waiting_sysv "$key" 1
ipc-sem -q --sysv post -k "$key"
reap_bg "$w"
is "$rc" 0 "--sysv: a post releases the waiting wait"
is "$(value --sysv -k "$key")" 0 "... which took the unit"

bg ipc-sem --sysv wait -k "$key" 2>"$SCRATCH/s2"
w=$bg_pid
wait_for 5 waiting_sysv "$key" 1
p=$(prog_of "$w")
if [ -n "$p" ]; then
	stop_cont "$p" waiting_sysv "$key" 1
	is "$(state "$p")" S "--sysv wait: still asleep after five stops and continues"
	like "$(cat "$SCRATCH/s2")" 'semop -> EINTR .*waiting again' "... semop's EINTR was retried"
else
	skip "pgrep cannot find the waiting program"
	skip "pgrep cannot find the waiting program"
fi
ipc-sem -q --sysv post -k "$key"
reap_bg "$w"
is "$rc" 0 "... and a post then completes it"

bg ipc-sem -q --sysv wait -k "$key3" 2>"$SCRATCH/s3"
w=$bg_pid
sleep 0.2
reap_bg "$w"
is "$rc" 1 "--sysv wait on a missing key: exit 1"
like "$(cat "$SCRATCH/s3")" "semget key $(hex "$key3"): no such set" "... saying so"

is "$(value --sysv -k "$key")" 1 "... whose SEM_UNDO gave the unit back when it exited"
ipc-sem -q --sysv wait --no-undo -k "$key"
bg ipc-sem -q --sysv wait -k "$key" 2>"$SCRATCH/s4"
w=$bg_pid
wait_for 5 waiting_sysv "$key" 1
ipc-sem -q --sysv rm -k "$key"
reap_bg "$w"
is "$rc" 1 "--sysv rm while a wait blocks: the wait exits 1"
like "$(cat "$SCRATCH/s4")" 'the set was removed \(EIDRM\)' "... saying EIDRM"
is "$(ipcs_row "$key")" "" "--sysv rm: gone from ipcs"
run ipc-sem --sysv rm -k "$key"
is "$rc" 1 "--sysv rm of a missing key: exit 1"

# The default key: ftok(3) on the private run directory, project 's'.
run ipc-sem --sysv info
is "$rc" 1 "--sysv info with no set yet: exit 1"
run ipc-sem --sysv create
is "$rc" 0 "--sysv create with the default key"
like "$err" "ftok\\(\"$XDG_RUNTIME_DIR/ipclab-$uid\", 's'\\)" "the default key is ftok of the run directory"
dkey=$(ipc-sem -q --sysv info | sed -n 's/^key: *//p')
like "$dkey" '^0x73[0-9a-f]{6}$' "--sysv info prints the default key"
is "$(ipcs -s | awk -v k="$dkey" '$1 == k { print $4 }')" 600 "ipcs -s: the default set is mode 600"
if [ "$uid" -eq 0 ] && ipc_nobody=$(command -v ipc-sem) &&
    setpriv --reuid=65534 --regid=65534 --clear-groups \
    "$ipc_nobody" --version >/dev/null 2>&1; then
	run setpriv --reuid=65534 --regid=65534 --clear-groups \
	    "$ipc_nobody" --sysv value -k "$dkey"
	is "$rc" 1 "another user cannot use the default set"
	like "$err" "^ipc-sem: semget key $dkey: Permission denied" "... Permission denied, naming the key"
else
	skip "not root: cannot try as another user"
	skip "not root: cannot try as another user"
fi
ipc-sem -q --sysv rm
run ipc-sem --sysv value
is "$rc" 1 "--sysv rm removed the default set"
ipc-sem -q --sysv create -f "$SCRATCH" -P 7 -V 3
is "$(value --sysv -f "$SCRATCH" -P 7)" 3 "-f PATH -P PROJ: the key is ftok's"
ipc-sem -q --sysv rm -f "$SCRATCH" -P 7

# undo: only System V with SEM_UNDO gets the unit back.
run -t 20 ipc-sem undo -t 0.2
is "$rc" 0 "undo exits 0 (it showed what it meant to)"
like "$out" '^System V, SEM_UNDO: +holder killed; value 1, .*gave the unit back' "undo: SEM_UNDO gives the unit back"
like "$out" 'System V, no SEM_UNDO: +holder killed; value 0, a timed wait of 0.2 s times out' "undo: without SEM_UNDO the unit is lost"
like "$out" 'POSIX, sem_wait: +holder killed; value 0, a timed wait of 0.2 s times out' "undo: POSIX has no undo"
like "$err" 'killed by SIGKILL' "undo: the holder dies of SIGKILL"

# Signals: a counter stopped by a signal removes its objects.
bg ipc-sem counter --sysv -w 2 -n 100000000 2>"$SCRATCH/k1"
w=$bg_pid
wait_for 5 grep -q 'the gate opened' "$SCRATCH/k1"
semid=$(sed -n 's/.*semget(IPC_PRIVATE, 1, 0600) -> semid \([0-9]*\).*/\1/p' "$SCRATCH/k1")
kill -TERM "$w"
reap_bg "$w"
is "$rc" 143 "SIGTERM ends counter --sysv, dying of the signal"
check "... and its set is removed" \
    sh -c "! awk '\$2 == ${semid:-x}' /proc/sysvipc/sem | grep -q ."
bg ipc-sem counter --named -w 2 -n 100000000 2>"$SCRATCH/k2"
w=$bg_pid
wait_for 5 grep -q 'the gate opened' "$SCRATCH/k2"
cname=$(sed -n 's/.*sem_open("\(\/[^"]*\)".*/\1/p' "$SCRATCH/k2" | head -n 1)
check "counter --named: $SEM_AT${cname#/} exists while it runs" \
    test -e "$SEM_AT${cname#/}"
kill -INT "$w"
reap_bg "$w"
is "$rc" 130 "SIGINT ends counter --named"
check "... and its name is unlinked" test ! -e "$SEM_AT${cname#/}"
check "no worker is left running" wait_for 3 test -z "$(leftovers)"

# Help and version.
run ipc-sem --help
like "$out" '^Usage: ipc-sem \[OPTION\.\.\.\] COMMAND' "--help prints usage on stdout"
is "$rc" 0 "--help exits 0"
run ipc-sem wait --help
like "$out" '^Usage: ipc-sem wait ' "COMMAND --help shows that command"
like "$out" '--no-undo' "... with its options"
run ipc-sem --version
like "$out" '^ipc-sem \(ipclab\) [0-9]' "--version"

# Usage errors: exit 2, nothing on stdout, "ipc-sem: ..." first.
usage_error "no command" ipc-sem
usage_error "unknown command" ipc-sem frobnicate
usage_error "unknown option" ipc-sem counter --frob
usage_error "option of another command" ipc-sem post --try
usage_error "counter takes no arguments" ipc-sem counter 5
usage_error "--named and --sysv" ipc-sem counter --named --sysv
usage_error "--no-lock and --named" ipc-sem counter --no-lock --named
usage_error "no workers" ipc-sem counter -w 0
usage_error "too many workers" ipc-sem counter -w 65
usage_error "count not a number" ipc-sem counter -n lots
usage_error "count zero" ipc-sem counter -n 0
usage_error "value negative" ipc-sem create -N "$name" -V -1
usage_error "value not a number" ipc-sem create -N "$name" -V one
usage_error "System V value above SEMVMX" ipc-sem --sysv create -k "$key" -V 40000
usage_error "name without a slash" ipc-sem create -N noslash
usage_error "name with a second slash" ipc-sem create -N /a/b
usage_error "name too long" ipc-sem create -N "/$(printf '%0300d' 0)"
usage_error "mode not octal" ipc-sem create -N "$name" -m 9
usage_error "mode with set-id bits" ipc-sem create -N "$name" -m 4600
usage_error "--sysv -m 400: SETVAL on the new set would be refused" \
    ipc-sem --sysv create -k "$key" -m 400
like "$err" "^ipc-sem: -m 0400: a new set of that mode would refuse you, its owner, the semctl SETVAL" \
    "... naming the call and the permission"
is "$(awk -v k=$((key)) 'NR > 1 && $1 == k' /proc/sysvipc/sem)" "" \
    "... and no set is made"
usage_error "-k without --sysv" ipc-sem create -k "$key"
usage_error "-N with --sysv" ipc-sem --sysv create -N "$name"
usage_error "-k and -f" ipc-sem --sysv create -k "$key" -f /tmp
usage_error "key zero (IPC_PRIVATE)" ipc-sem --sysv create -k 0
usage_error "key not a number" ipc-sem --sysv create -k abc
usage_error "project id zero" ipc-sem --sysv create -P 0
usage_error "project id 256" ipc-sem --sysv create -P 256
usage_error "--try and --timeout" ipc-sem wait -N "$name" --try --timeout 1
usage_error "--no-undo without --sysv" ipc-sem wait -N "$name" --no-undo
usage_error "timeout zero" ipc-sem wait -N "$name" -t 0
usage_error "timeout not a number" ipc-sem wait -N "$name" -t soon
usage_error "missing option argument" ipc-sem wait -t
usage_error "undo takes no --sysv" ipc-sem undo --sysv
check "a usage error creates nothing" test ! -e "$file"
run ipc-sem
like "$err" '^ipc-sem: missing command' "no command: says so first"

# Nothing of this run is left: no set, no name, no process.
left=
for k in "$key" "$key2" "$key3" "$dkey"; do
	[ -n "$(ipcs_row "$k")" ] && left="$left $(hex "$k")"
done
# The default name too, if this script made it (it holds the defaults
# lock).
for f in "$file" "$SEM_AT${name2#/}" ${made_dfile:+"$made_dfile"} \
    "$SEM_AT"ipclab-"$uid"-counter-*; do
	[ -e "$f" ] && left="$left $f"
done
is "$left" "" "nothing is left in ipcs -s or /dev/shm"
is "$(leftovers)" "" "nothing of ours is left running"
done_testing
