#!/bin/sh
# ipc-pipe.sh - what a student would check by hand about ipc-pipe.
. "${top_srcdir:-.}/tests/tap.sh"

# demo: the seed's exact output, and a message of our own.
run ipc-pipe demo
is "$out" "received string: i am the child" "demo prints the seed's line"
is "$rc" 0 "demo exits 0"
like "$err" '^\[parent [0-9]+\] pipe\(fd\)' "demo narrates the parent's steps"
like "$err" '^\[child [0-9]+\] close\(fd\[0\]\)' "demo narrates the child's steps"
run ipc-pipe -q demo "hello, pipe"
is "$out" "received string: hello, pipe" "demo carries MESSAGE"
is "$err" "" "-q silences the narration"
run ipc-pipe demo --reverse -q "from the parent"
is "$out" "received string: from the parent" "demo --reverse: the child reads"
like "$(ipc-pipe demo -r x 2>&1 >/dev/null)" '^\[child [0-9]+\] read' \
    "demo --reverse: the reading is the child's"
big=$(head -c 100000 /dev/zero | tr '\0' 'z')
run ipc-pipe -q demo "$big"
is "$out" "received string: $big" "demo carries 100000 bytes, more than the pipe holds"
run ipc-pipe demo x
like "$err" '\] write\(fd\[1\], "x", 1\) -> 1 byte written$' "demo: one byte is a byte"
like "$err" '\] read\(fd\[0\]\) -> 1 byte$' "demo: ... when read, too"
run ipc-pipe atomic -w 1 -n 1
like "$err" '\] 1 writer x 1 record of ' "atomic: one writer, one record, no plurals"

# Narration never changes the result: when nobody reads it any more (its
# reader, head -c 0, gone at once), the demo goes on untold, and the
# message still arrives.  A demo killed by its narration's SIGPIPE left
# an empty or a half line in the file.
for r in "" --reverse; do
	{ ipc-pipe demo $r 2>&1 >"$SCRATCH/demo.out"; echo $? >"$SCRATCH/demo.rc"; } |
	    head -c 0
	is "$(cat "$SCRATCH/demo.rc"):$(cat "$SCRATCH/demo.out")" \
	    "0:received string: i am the child" \
	    "demo${r:+ $r} 2>&1 >out | head -c 0: exit 0, the message in out"
done

# The student's own check: options anywhere, even under POSIXLY_CORRECT.
run env POSIXLY_CORRECT=1 ipc-pipe demo "opt last" --reverse --quiet
is "$out" "received string: opt last" "options after the arguments, POSIXLY_CORRECT set"
run ipc-pipe -q demo -- -r
is "$out" "received string: -r" "'--' ends the options"

# strace: each process closes the end it does not use before using its own.
if command -v strace >/dev/null 2>&1 &&
    strace -f -o /dev/null true 2>/dev/null; then
	# -ff: one file per process, so no line is split by another's.
	# LeakSanitizer cannot work under ptrace: off for this run.
	ASAN_OPTIONS="${ASAN_OPTIONS:-}:detect_leaks=0" \
	    strace -ff -qq -e trace=pipe,pipe2,close,read,write \
	    -o "$SCRATCH/st" ipc-pipe -q demo >/dev/null 2>&1
	parent=$(grep -l '^pipe' "$SCRATCH"/st.*)
	# The descriptors pipe() returned (make may hold 3 and 4 already).
	# shellcheck disable=SC2046 # two numbers, split on purpose
	set -- $(sed -n 's/^pipe2*(\[\([0-9]*\), \([0-9]*\)\].*/\1 \2/p' "$parent")
	r=$1 w=$2
	child=$(grep -l "^write($w, \"i am the child\"" "$SCRATCH"/st.*)
	first=$(grep -Em1 "^(close\\($r\\)|write\\($w)" "$child")
	like "$first" "^close\\($r\\)" "strace: the child closes the read end before it writes"
	first=$(awk '/^pipe/ { p = 1 } p' "$parent" |
	    grep -Em1 "^(close\\($w\\)|read\\($r)")
	like "$first" "^close\\($w\\)" "strace: the parent closes the write end before it reads"
else
	skip "strace cannot trace here"
	skip "strace cannot trace here"
fi

# The map sends a student to parent_writes for --reverse: its calls are
# there to read, each side's close() of the end it does not use too.
reverse=$(sed -n '/^parent_writes(/,/^}/p' "${top_srcdir:-.}/pipe/demo.c")
for call in 'pipe(fd)' 'fork()' 'close(fd[1])' 'read(fd[0]' 'close(fd[0])' \
    'write_all(fd[1]' 'waitpid(pid'; do
	case $reverse in
	*"$call"*) ok "demo.c: parent_writes shows $call" ;;
	*) not_ok "demo.c: parent_writes shows $call" ;;
	esac
done

# duplex: every line comes back from the child, in capitals.
run ipc-pipe -q duplex ping "two words"
is "$out" "sent: ping
got:  PING
sent: two words
got:  TWO WORDS" "duplex: the child answers each line"
is "$rc" 0 "duplex exits 0"

# eof: EOF once every write end is closed; --leave-open is caught.
run ipc-pipe -q eof
is "$out" "line 1
line 2
line 3
EOF after 21 bytes" "eof: data, then end of file"
run -t 10 ipc-pipe -q eof --leave-open --timeout 0.3
is "$rc" 0 "eof --leave-open exits 0 (it showed what it meant to)"
like "$out" '^no EOF after 0.3 seconds' "eof --leave-open: no EOF while the reader holds fd[1]"
like "$out" 'EOF after 21 bytes, once the reader closed its own fd\[1\]$' \
    "eof --leave-open: EOF once it closes it"
# A slow writer is no missing EOF: strace delays its close(), then its
# write(), by more than the timeout.
if command -v strace >/dev/null 2>&1 &&
    strace -f -o /dev/null true 2>/dev/null; then
	run env ASAN_OPTIONS="${ASAN_OPTIONS:-}:detect_leaks=0" \
	    strace -f -qq -o /dev/null -e inject=close:delay_enter=300000 \
	    ipc-pipe -q eof -t 0.1
	is "$rc:$out" "0:line 1
line 2
line 3
EOF after 21 bytes" "eof -t 0.1, the writer's close 0.3 s late: still EOF, exit 0"
	run env ASAN_OPTIONS="${ASAN_OPTIONS:-}:detect_leaks=0" \
	    strace -f -qq -o /dev/null -e inject=write:delay_enter=300000 \
	    ipc-pipe -q eof -t 0.1 --leave-open
	is "$rc:$out" "0:line 1
line 2
line 3
no EOF after 0.1 seconds: the writer has exited, but this process still holds fd[1]
EOF after 21 bytes, once the reader closed its own fd[1]" \
	    "eof --leave-open -t 0.1, the data 0.3 s late: read, then the lesson"
else
	skip "strace cannot trace here"
	skip "strace cannot trace here"
fi

# capacity: 64 KiB by default; --set takes, rounded to pages.
run ipc-pipe -q capacity
like "$out" '^capacity: 65536 bytes' "capacity is 65536 by default"
like "$out" 'F_GETPIPE_SZ: 65536 bytes' "F_GETPIPE_SZ agrees"
like "$out" '^PIPE_BUF: 4096 bytes' "PIPE_BUF is 4096"
run ipc-pipe -q capacity --set 131072
like "$out" '^capacity: 131072 bytes' "capacity --set 131072 takes"
like "$out" 'granted 131072 bytes \(as asked' "... as asked: nothing was rounded"
run ipc-pipe -q capacity --set 100K
like "$out" 'granted 131072 bytes \(rounded up' "--set 100K is rounded up to 128 KiB"
max=$(cat /proc/sys/fs/pipe-max-size)
run ipc-pipe -q capacity --set $((max * 2))
if [ "$rc" -eq 0 ]; then
	like "$out" "^capacity: $((max * 2)) bytes" "--set above pipe-max-size takes with CAP_SYS_RESOURCE"
else
	is "$rc" 1 "--set above pipe-max-size fails with exit 1"
fi
if [ "$rc" -ne 0 ]; then
	like "$err" "pipe-max-size is $max" "the refusal names /proc/sys/fs/pipe-max-size"
else
	skip "privileged: nothing was refused"
fi

# sigpipe: killed by SIGPIPE, or EPIPE when ignored; even if the caller
# ignores SIGPIPE, the default case sets it back.
run ipc-pipe sigpipe
is "$rc" 0 "sigpipe exits 0"
like "$out" 'killed by SIGPIPE' "sigpipe: the writer dies of SIGPIPE"
like "$err" 'waitpid\([0-9]+\) -> the writer killed by SIGPIPE \(signal 13\)' \
    "sigpipe: the wait status says so"
run ipc-pipe -q sigpipe --ignore
like "$out" 'EPIPE' "sigpipe --ignore: write fails with EPIPE"
is "$rc" 0 "sigpipe --ignore exits 0"
# The writer's own failure (its stdout a full disk) is said once, by it.
if [ -w /dev/full ]; then
	run sh -c 'ipc-pipe -q sigpipe --ignore >/dev/full'
	is "$rc:$err" "1:ipc-pipe: write error on standard output: No space left on device" \
	    "sigpipe --ignore >/dev/full: exit 1, the writer's one line"
else
	skip "no /dev/full"
fi
if env --ignore-signal=PIPE true 2>/dev/null; then
	run env --ignore-signal=PIPE ipc-pipe -q sigpipe
	like "$out" 'killed by SIGPIPE' "sigpipe: SIGPIPE ignored by the caller is reset"
else
	skip "env has no --ignore-signal"
fi
if env --block-signal=PIPE true 2>/dev/null; then
	run env --block-signal=PIPE ipc-pipe -q sigpipe
	is "$rc:$out" "0:writer: killed by SIGPIPE, as the kernel does to a writer with no reader" \
	    "sigpipe: SIGPIPE blocked by the caller is unblocked"
else
	skip "env has no --block-signal"
fi

# atomic: no torn records at or below PIPE_BUF.
run ipc-pipe -q atomic -w 4 -s 512
is "$out" "torn records: 0 of 4000" "atomic: 4 writers, 512-byte records: none torn"
run ipc-pipe -q atomic -w 3 -s 4K -n 300
is "$out" "torn records: 0 of 900" "atomic: records of exactly PIPE_BUF: none torn"
run ipc-pipe -q atomic -w 4 -s 100K -n 20
like "$out" '^torn records: [0-9]+ of 80$' "atomic above PIPE_BUF: every record counted"
is "$rc" 0 "atomic above PIPE_BUF exits 0 whatever tore"
# Each writer's records are its own symbol, or a record torn between two
# writers of the same symbol would count as whole: 64 writers, 64 symbols.
if command -v strace >/dev/null 2>&1 &&
    strace -f -o /dev/null true 2>/dev/null; then
	ASAN_OPTIONS="${ASAN_OPTIONS:-}:detect_leaks=0" \
	    strace -ff -qq -e trace=write -e signal=none -o "$SCRATCH/aw" \
	    ipc-pipe -q atomic -w 64 -n 1 -s 2 >/dev/null 2>&1
	is "$(cat "$SCRATCH"/aw.* | grep -o '"[^"]\\n", 2)' | sort -u |
	    wc -l | tr -d ' ')" 64 "atomic -w 64: the writers write 64 distinct symbols"
else
	skip "strace cannot trace here"
fi

# bench: one key=value line.
run ipc-pipe -q bench -n 200
like "$out" '^mechanism=pipe size=65536 count=200 seconds=[0-9.]+ mib_per_s=[0-9.]+ msgs_per_s=[0-9]+$' \
    "bench prints its throughput line"
run ipc-pipe -q bench -n 500 -s 1K
like "$out" '^mechanism=pipe size=1024 count=500 ' "bench -s 1K is 1024 bytes"
run ipc-pipe -q bench --latency -n 300 -s 64
like "$out" '^mechanism=pipe size=64 count=300 rtt_p50_us=[0-9.]+ rtt_p99_us=[0-9.]+$' \
    "bench --latency prints median and p99"
run ipc-pipe -q bench --latency -n 100 --cpu 0,0
like "$out" ' cpu=0,0$' "bench --cpu reports the pinning"
run ipc-pipe -q bench -n 10 --cpu "0,$NOCPU"
is "$rc" 1 "bench --cpu with a CPU we cannot use fails with exit 1"
like "$err" "^ipc-pipe: cannot pin to CPU $NOCPU" "... and says why"
run ipc-pipe -q bench --splice -n 300 -s 8K
like "$out" '^mechanism=pipe-splice size=8192 count=300 seconds=[0-9.]+ mib_per_s=[0-9.]+ msgs_per_s=[0-9]+ pipe_size=[0-9]+$' \
    "bench --splice: the stream's line, with the pipe size granted"
is "$rc" 0 "bench --splice exits 0"
run ipc-pipe -q bench --splice -n 100 -s 64 --cpu 0,0
like "$out" '^mechanism=pipe-splice size=64 count=100 .* cpu=0,0 pipe_size=[0-9]+$' \
    "bench --splice -s 64 --cpu 0,0: small messages, pinned"

# Help and version.
run ipc-pipe --help
like "$out" '^Usage: ipc-pipe \[OPTION\.\.\.\] COMMAND' "--help prints usage on stdout"
is "$rc" 0 "--help exits 0"
run ipc-pipe capacity --help
like "$out" '^Usage: ipc-pipe capacity ' "COMMAND --help shows that command"
like "$out" '--set BYTES' "... with its options"
run ipc-pipe --version
like "$out" '^ipc-pipe \(ipclab\) [0-9]' "--version"

# Usage errors: exit 2, nothing on stdout, "ipc-pipe: ..." first.
usage_error "no command" ipc-pipe
usage_error "unknown command" ipc-pipe frobnicate
usage_error "unknown option" ipc-pipe demo --frob
usage_error "option of another command" ipc-pipe demo --set 4096
usage_error "too many arguments" ipc-pipe demo a b
usage_error "argument where none is taken" ipc-pipe eof now
usage_error "count not a number" ipc-pipe atomic -n abc
usage_error "count zero" ipc-pipe atomic -n 0
usage_error "count negative" ipc-pipe atomic -n -5
usage_error "count 2^64" ipc-pipe atomic -n 18446744073709551616
usage_error "size with a bad suffix" ipc-pipe atomic -s 5Q
usage_error "size of one byte" ipc-pipe atomic -s 1
usage_error "too many writers" ipc-pipe atomic -w 1000
usage_error "timeout not a number" ipc-pipe eof -t soon
usage_error "timeout negative" ipc-pipe eof -t -1
usage_error "missing option argument" ipc-pipe eof -t
usage_error "cpu pair without a comma" ipc-pipe bench --cpu 1
usage_error "bench --splice with --latency" ipc-pipe bench --splice --latency
usage_error "set of zero bytes" ipc-pipe capacity --set 0
usage_error "line with a newline" ipc-pipe duplex "a
b"
run ipc-pipe
like "$err" '^ipc-pipe: missing command' "no command: says so first"
like "$err" 'Usage: ipc-pipe' "no command: usage on stderr"

# Output errors are failures, not silence.
if [ -w /dev/full ]; then
	run ipc-pipe -q demo >/dev/full
	timeout 10 ipc-pipe -q demo >/dev/full 2>"$SCRATCH/full.err"
	is "$?" 1 "a full stdout is exit 1"
	like "$(cat "$SCRATCH/full.err")" 'write error' "... with a message"
else
	skip "no /dev/full"
	skip "no /dev/full"
fi

# Signals: a run stopped by SIGTERM takes its children with it.
bg ipc-pipe -q atomic -w 3 -n 100000000
pid=$bg_pid
sleep 0.3
kill -TERM "$pid"
reap_bg "$pid"
is "$rc" 143 "SIGTERM ends atomic, dying of the signal"
check "no writer is left running" wait_for 3 test -z "$(leftovers)"

bg ipc-pipe -q eof --leave-open -t 60
pid=$bg_pid
sleep 0.3
kill -INT "$pid"
reap_bg "$pid"
is "$rc" 130 "SIGINT ends a waiting eof --leave-open"

bg ipc-pipe -q bench -n 100000000
pid=$bg_pid
sleep 0.3
kill -HUP "$pid"
reap_bg "$pid"
is "$rc" 129 "SIGHUP ends a long bench"

left=$(leftovers)
is "$left" "" "nothing of ours is left running"
done_testing
