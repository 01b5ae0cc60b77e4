#!/bin/sh
# ipc-fifo.sh - what a student would check by hand about ipc-fifo, with the
# shell, mkfifo and cat as the other side wherever they can be.
# shellcheck disable=SC2016 # sh -c '...' sh "$f": the path comes in as $1
. "${top_srcdir:-.}/tests/tap.sh"

rd=$XDG_RUNTIME_DIR/ipclab-$(id -u)

# demo: the data waits in the kernel while the FIFO's size stays 0.
run ipc-fifo demo
is "$out" "size of the FIFO while 6 bytes wait in it: 0
received string: 12345" "demo: size 0 while 6 bytes wait; the seed's 12345 arrives"
is "$rc" 0 "demo exits 0"
like "$err" '^\[parent [0-9]+\] mkfifo\(".*/fifo-demo-[0-9]+", 0600\)' \
    "demo narrates the parent's mkfifo"
like "$err" '\[writer [0-9]+\] open\(.*O_WRONLY\): waiting for a reader' \
    "demo narrates the writer's waiting open"
run ipc-fifo -q demo "hello, fifo"
is "$out" "size of the FIFO while 12 bytes wait in it: 0
received string: hello, fifo" "demo carries MESSAGE"
is "$err" "" "-q silences the narration"
run ipc-fifo demo ""
is "$out" "size of the FIFO while 1 byte waits in it: 0
received string: " "demo of an empty MESSAGE: 1 byte, the newline, waits"
like "$err" 'FIONREAD\) -> 1 byte waits to be read' "... in the singular"
is "$(ls -A "$rd")" "" "demo leaves nothing in the run directory"
is "$(stat -c %a "$rd")" 700 "the run directory is private (0700)"

# strace: the two processes share no descriptor; each opens the name.
if command -v strace >/dev/null 2>&1 &&
    strace -f -o /dev/null true 2>/dev/null; then
	# LeakSanitizer cannot work under ptrace: off for this run.
	ASAN_OPTIONS="${ASAN_OPTIONS:-}:detect_leaks=0" \
	    strace -ff -qq -e trace=open,openat -o "$SCRATCH/st" \
	    ipc-fifo -q demo >/dev/null 2>&1
	w=$(grep -l 'fifo-demo-[0-9]*", O_WRONLY' "$SCRATCH"/st.* | wc -l)
	r=$(grep -l 'fifo-demo-[0-9]*", O_RDONLY' "$SCRATCH"/st.* | wc -l)
	both=$(grep -l 'fifo-demo-[0-9]*", O_WRONLY' "$SCRATCH"/st.* |
	    xargs grep -l 'fifo-demo-[0-9]*", O_RDONLY' | wc -l)
	is "$w $r $both" "1 1 0" \
	    "strace: one process opens the path to write, another to read"
	# The demo unlinks its FIFO itself; the cleanup at exit must not
	# unlink it again (a second unlink fails with ENOENT).
	ASAN_OPTIONS="${ASAN_OPTIONS:-}:detect_leaks=0" \
	    strace -f -qq -e trace=unlink,unlinkat -o "$SCRATCH/unl" \
	    ipc-fifo -q demo >/dev/null 2>&1
	n=$(grep -c 'unlink[a-z]*(.*fifo-demo-[0-9]*"' "$SCRATCH/unl")
	e=$(grep -c 'fifo-demo-.*ENOENT' "$SCRATCH/unl")
	is "$n $e" "1 0" "strace: the demo unlinks its FIFO once, and no unlink fails"
	for lat in "" --latency; do
		ASAN_OPTIONS="${ASAN_OPTIONS:-}:detect_leaks=0" \
		    strace -f -qq -e trace=unlink,unlinkat -o "$SCRATCH/unl" \
		    ipc-fifo -q bench -n 10 $lat >/dev/null 2>&1
		n=$(grep -c 'unlink[a-z]*(.*fifo-bench-' "$SCRATCH/unl")
		e=$(grep -c 'fifo-bench-.*ENOENT' "$SCRATCH/unl")
		is "$n $e" "$([ -n "$lat" ] && echo 2 || echo 1) 0" \
		    "strace: bench${lat:+ $lat} unlinks each FIFO once"
	done
else
	skip "strace cannot trace here"
	skip "strace cannot trace here"
	skip "strace cannot trace here"
	skip "strace cannot trace here"
fi

# make and rm: a FIFO, mode 600 by default, exactly -m MODE otherwise.
f=$SCRATCH/made
run ipc-fifo -q make "$f"
is "$rc" 0 "make exits 0"
is "$(stat -c %F:%a "$f")" "fifo:600" "make: a FIFO with mode 600"
run ipc-fifo -q make "$f"
is "$rc" 1 "make over an existing name: exit 1"
like "$err" "^ipc-fifo: mkfifo $f: File exists" "... and says so"
run sh -c 'umask 077; exec ipc-fifo -q make -m 644 "$1"' sh "$SCRATCH/m644"
is "$(stat -c %a "$SCRATCH/m644")" 644 "make -m 644 gives 644 whatever the umask"
run ipc-fifo -q rm "$f"
is "$rc" 0 "rm exits 0"
check "rm: the FIFO is gone" test ! -e "$f"
run ipc-fifo rm "$f"
is "$rc" 1 "rm of a missing FIFO: exit 1"
like "$err" "^ipc-fifo: $f: No such file or directory" "... and says so"
printf 'keep me\n' >"$SCRATCH/reg"
run ipc-fifo rm "$SCRATCH/reg"
is "$rc" 1 "rm refuses a regular file"
like "$err" 'is a regular file, not a FIFO' "... and says what it is"
is "$(cat "$SCRATCH/reg")" "keep me" "... which stays untouched"
mkfifo "$SCRATCH/target"
ln -s target "$SCRATCH/link"
run ipc-fifo rm "$SCRATCH/link"
is "$rc" 1 "rm refuses a symlink to a FIFO"
check "... and both stay" test -p "$SCRATCH/target" -a -L "$SCRATCH/link"

# read: the shell's "echo > FIFO" reaches it; end of file ends it.
f=$SCRATCH/f1
mkfifo "$f"
bg ipc-fifo read "$f" >"$SCRATCH/out1" 2>"$SCRATCH/err1"
pid=$bg_pid
run -t 10 sh -c 'echo 12345 >"$1"' sh "$f"
reap_bg "$pid"
is "$rc" 0 "read exits 0 once the writer has closed"
is "$(cat "$SCRATCH/out1")" 12345 "echo 12345 > FIFO reaches ipc-fifo read"
like "$(cat "$SCRATCH/err1")" "open\\(\"$f\", O_RDONLY\\): waiting for a writer to open" \
    "read narrates its waiting open"
like "$(cat "$SCRATCH/err1")" "read\\([0-9]+\\) -> 0: end of file" \
    "read narrates the end of file"

# write: cat reads it, a line per MESSAGE.
bg ipc-fifo -q write "$f" one "two words"
pid=$bg_pid
run -t 10 cat "$f"
is "$out" "one
two words" "cat reads what ipc-fifo write sends, a line per MESSAGE"
reap_bg "$pid"
is "$rc" 0 "write exits 0"

# read and write make a missing FIFO, mode 600 or -m.
f=$SCRATCH/new
bg ipc-fifo -q write "$f" hello
pid=$bg_pid
check "write makes a missing FIFO" wait_for 5 test -p "$f"
is "$(stat -c %a "$f")" 600 "... with mode 600"
run -t 10 ipc-fifo -q read "$f"
is "$out" hello "ipc-fifo write reaches ipc-fifo read"
reap_bg "$pid"
f=$SCRATCH/new640
bg ipc-fifo -q read -m 640 "$f" >"$SCRATCH/out2"
pid=$bg_pid
check "read makes a missing FIFO" wait_for 5 test -p "$f"
is "$(stat -c %a "$f")" 640 "... with the mode -m gives"
printf 'from stdin\nno newline' >"$SCRATCH/in2"
run -t 10 ipc-fifo -q write "$f" <"$SCRATCH/in2"
reap_bg "$pid"
check "write copies stdin, a last line without newline too" \
    cmp -s "$SCRATCH/in2" "$SCRATCH/out2"

# One byte is "1 byte", in one write: the counts speak in the singular.
bg ipc-fifo read "$f" >/dev/null 2>"$SCRATCH/err1b"
pid=$bg_pid
printf x >"$SCRATCH/in1"
run -t 10 ipc-fifo write "$f" <"$SCRATCH/in1"
reap_bg "$pid"
like "$err" 'write\([0-9]+, 1 byte\) -> 1: ' "write narrates a 1-byte write"
like "$err" 'standard input ended: 1 byte in 1 write$' \
    "... and ends with 1 byte in 1 write"
like "$(cat "$SCRATCH/err1b")" '\(1 byte in all\)$' \
    "read counts 1 byte in all"

# Much more than the FIFO holds, through write's stdin.
seq 1 200000 >"$SCRATCH/seq"
bg ipc-fifo -q read "$f" >"$SCRATCH/seq.out"
pid=$bg_pid
run -t 30 ipc-fifo -q write "$f" <"$SCRATCH/seq"
is "$rc" 0 "write of 1.2 MB from stdin exits 0"
reap_bg "$pid"
check "... and every byte arrives, in order" cmp -s "$SCRATCH/seq" "$SCRATCH/seq.out"

# --nonblock: no reader, no waiting: ENXIO, explained.
f=$SCRATCH/nb
mkfifo "$f"
run -t 10 ipc-fifo write --nonblock "$f" hi
is "$rc" 1 "write --nonblock with no reader: exit 1, at once"
like "$err" 'no process has the FIFO open for reading \(ENXIO\)' "... saying why"
check "... and the FIFO, which it did not make, stays" test -p "$f"
# A FIFO that write or read made for an open() that then fails is of no
# use to anybody: it goes, and only the error line is left.
run -t 10 ipc-fifo -q write --nonblock "$SCRATCH/nb2" hi
is "$rc:$err" "1:ipc-fifo: open $SCRATCH/nb2 for writing: no process has the FIFO open for reading (ENXIO); without --nonblock the writer waits for one" \
    "write --nonblock to a missing FIFO: it makes one, and fails at once"
check "... and removes the FIFO it made" test ! -e "$SCRATCH/nb2"
run -t 10 ipc-fifo write --nonblock "$SCRATCH/nb2" hi
like "$err" "unlink\\(\"$SCRATCH/nb2\"\\): the FIFO we made goes, unused" \
    "... which the narration says"
bg ipc-fifo -q read "$f" >"$SCRATCH/out3"
pid=$bg_pid
# A reader waiting in open() counts: retry until it has got there.
nb_write() {
	ipc-fifo -q write --nonblock "$f" hi 2>/dev/null
}
check "write --nonblock succeeds once a reader is there" wait_for 5 nb_write
reap_bg "$pid"
is "$(cat "$SCRATCH/out3")" hi "... and the line arrives"

# A writer whose reader leaves gets EPIPE, and says so.
bg head -n 1 "$f"
pid=$bg_pid
run -t 10 sh -c 'yes | ipc-fifo -q write "$1"' sh "$f"
is "$rc" 1 "write when the reader leaves: exit 1"
like "$err" 'every reader has closed the FIFO' "... naming the cause"
reap_bg "$pid"

# Nothing but a FIFO, and never through a symlink.
for cmd in read write; do
	run -t 10 ipc-fifo -q $cmd "$SCRATCH/reg"
	is "$rc" 1 "$cmd refuses a regular file, at once"
	like "$err" "^ipc-fifo: $SCRATCH/reg is a regular file, not a FIFO" \
	    "... saying what it is"
	run -t 10 ipc-fifo -q $cmd "$SCRATCH/link"
	is "$rc" 1 "$cmd refuses a symlink to a FIFO, at once"
	like "$err" 'is a symbolic link' "... saying so"
	run -t 10 ipc-fifo -q $cmd "$SCRATCH"
	like "$err" 'is a directory, not a FIFO' "$cmd refuses a directory"
done
is "$(cat "$SCRATCH/reg")" "keep me" "the regular file is untouched"
ln -s reg "$SCRATCH/reglink"
run -t 10 ipc-fifo -q write "$SCRATCH/reglink" x
is "$(cat "$SCRATCH/reg")" "keep me" "write through a symlink to a file changes nothing"

# A FIFO whose mode shuts us out: open() fails at once with EACCES, with
# no wait announced, and the one-line error names the FIFO's owner and
# mode and the rule that refused; a directory we may not search on the
# way is named the same way.  Root passes every mode check, so root tries
# as uid 65534 what root made; an ordinary user tries its own.
as=
why_not=
if [ "$(id -u)" -eq 0 ]; then
	if command -v setpriv >/dev/null 2>&1; then
		as="setpriv --reuid=65534 --regid=65534 --clear-groups"
		# uid 65534 reaches the FIFOs through x alone.
		chmod 711 "$SCRATCH"
		# shellcheck disable=SC2086 # the command is words
		$as ipc-fifo --version >/dev/null 2>&1 ||
		    why_not="uid 65534 cannot run $(command -v ipc-fifo)"
	else
		why_not="root, and no setpriv to become another user"
	fi
fi
mkdir -m 755 "$SCRATCH/modes"
mkfifo -m 400 "$SCRATCH/modes/ro"
mkfifo -m 200 "$SCRATCH/modes/wo"
mkdir -m 755 "$SCRATCH/modes/shut"
mkfifo -m 666 "$SCRATCH/modes/shut/f"
chmod 600 "$SCRATCH/modes/shut"
# A directory no one may add a name to or remove one from (but root).
mkdir -m 755 "$SCRATCH/modes/full"
mkfifo -m 666 "$SCRATCH/modes/full/f"
chmod 555 "$SCRATCH/modes/full"
# A directory anyone may make a FIFO in.
mkdir -m 777 "$SCRATCH/modes/open"
# shellcheck disable=SC2086 # the command is words
if [ -z "$why_not" ] && $as test -w "$SCRATCH/modes/ro"; then
	why_not="the mode bits do not bind us (CAP_DAC_OVERRIDE?)"
fi
me=$(id -u)
if [ -n "$why_not" ]; then
	k=0
	while [ "$k" -lt 17 ]; do
		skip "$why_not"
		k=$((k + 1))
	done
else
	f=$SCRATCH/modes/ro
	# shellcheck disable=SC2086 # the command is words
	run -t 10 $as ipc-fifo write "$f" hi
	is "$rc" 1 "write to a FIFO of mode 0400: exit 1, at once"
	like "$err" "^ipc-fifo: open $f for writing: Permission denied: the FIFO \\(owner [^)]*uid $me, mode 0400\\) gives you.* no write permission, which opening it for writing needs$" \
	    "... naming the owner, the mode and the rule, in one line"
	check "... and announcing no wait for a reader" \
	    test -z "$(printf '%s\n' "$err" | grep 'waiting for')"
	# shellcheck disable=SC2086 # the command is words
	run -t 10 $as ipc-fifo -q write --nonblock "$f" hi
	like "$rc:$err" "^1:ipc-fifo: open $f for writing: Permission denied: the FIFO \\(owner .* no write permission" \
	    "write --nonblock: the same explanation"
	f=$SCRATCH/modes/wo
	# shellcheck disable=SC2086 # the command is words
	run -t 10 $as ipc-fifo read "$f"
	is "$rc" 1 "read from a FIFO of mode 0200: exit 1, at once"
	like "$err" "^ipc-fifo: open $f for reading: Permission denied: the FIFO \\(owner [^)]*uid $me, mode 0200\\) gives you.* no read permission, which opening it for reading needs$" \
	    "... naming the owner, the mode and the rule, in one line"
	check "... and announcing no wait for a writer" \
	    test -z "$(printf '%s\n' "$err" | grep 'waiting for')"
	f=$SCRATCH/modes/shut/f
	# shellcheck disable=SC2086 # the command is words
	run -t 10 $as ipc-fifo -q write "$f" hi
	like "$rc:$err" "^1:ipc-fifo: $f: Permission denied: the directory $SCRATCH/modes/shut \\(owner [^)]*uid $me, mode 0600\\) gives you.* no search permission \\(x\\), which every directory on the path to a FIFO must give$" \
	    "write behind a directory we may not search: its owner, mode, the rule"
	# shellcheck disable=SC2086 # the command is words
	run -t 10 $as ipc-fifo -q read "$f"
	like "$rc:$err" "^1:ipc-fifo: $f: Permission denied: the directory $SCRATCH/modes/shut " \
	    "read: the same"
	# Making and removing a name: the directory's mode, not the FIFO's.
	d=$SCRATCH/modes/full
	# shellcheck disable=SC2086 # the command is words
	run -t 10 $as ipc-fifo make "$d/new"
	is "$rc" 1 "make in a directory of mode 0555: exit 1"
	like "$err" "^ipc-fifo: mkfifo $d/new: Permission denied: the directory $d \\(owner [^)]*uid $me, mode 0555\\) gives you.* no write permission \\(w\\), which making a name in it needs$" \
	    "... naming the directory, its owner, its mode and the rule"
	# shellcheck disable=SC2086 # the command is words
	run -t 10 $as ipc-fifo -q write "$d/new" hi
	like "$rc:$err" "^1:ipc-fifo: mkfifo $d/new: Permission denied: the directory $d .*making a name in it needs$" \
	    "write, which makes a missing FIFO: the same, at once"
	# shellcheck disable=SC2086 # the command is words
	run -t 10 $as ipc-fifo -q rm "$d/f"
	like "$rc:$err" "^1:ipc-fifo: unlink $d/f: Permission denied: the directory $d \\(owner [^)]*uid $me, mode 0555\\) gives you.* no write permission \\(w\\), which removing a name from it needs$" \
	    "rm of a FIFO of mode 0666 in that directory: refused, the rule named"
	check "... and the FIFO is still there" test -p "$d/f"
	# A FIFO write makes with a mode that shuts out the writer itself:
	# explained, and then removed, since nobody will use it.
	d=$SCRATCH/modes/open
	# shellcheck disable=SC2086 # the command is words
	run -t 10 $as ipc-fifo -q write -m 400 "$d/mine" hi
	like "$rc:$err" "^1:ipc-fifo: open $d/mine for writing: Permission denied: the FIFO \\(owner [^)]*, mode 0400\\) gives you, its owner, no write permission, which opening it for writing needs$" \
	    "write -m 400 of a new FIFO: it shuts the writer out, explained"
	check "... and the FIFO it made is gone" test ! -e "$d/mine"
	# shellcheck disable=SC2086 # the command is words
	run -t 10 $as ipc-fifo -q read -m 200 "$d/mine"
	like "$rc:$err:$(ls "$d")" "^1:ipc-fifo: open $d/mine for reading: Permission denied: the FIFO .* no read permission, which opening it for reading needs:\$" \
	    "read -m 200: the same, and nothing is left"
fi
chmod 755 "$SCRATCH/modes/shut" "$SCRATCH/modes/full"

# A sticky directory (as /tmp): only the owner of a name, or of the
# directory, may remove it, whatever the directory's and the FIFO's modes.
if [ -n "$why_not" ] || [ -z "$as" ]; then
	skip "${why_not:-a sticky directory: needs root, to act as another user}"
	skip "${why_not:-a sticky directory: needs root, to act as another user}"
else
	d=$SCRATCH/modes/drop
	mkdir -m 1777 "$d"
	mkfifo -m 666 "$d/f"
	# shellcheck disable=SC2086 # the command is words
	run -t 10 $as ipc-fifo -q rm "$d/f"
	is "$rc:$err" "1:ipc-fifo: unlink $d/f: Operation not permitted: the directory $d is sticky (mode 1777): only the FIFO's owner (root, uid 0) or the directory's may remove it" \
	    "rm of another user's FIFO in a sticky directory: EPERM, the rule named"
	check "... and the FIFO is still there" test -p "$d/f"
fi

# read --follow: writer after writer, never end of file in between.
f=$SCRATCH/follow
bg ipc-fifo -q read --follow "$f" >"$SCRATCH/fout"
pid=$bg_pid
check "read --follow makes its FIFO" wait_for 5 test -p "$f"
run -t 10 sh -c 'echo first >"$1"' sh "$f"
run -t 10 ipc-fifo -q write "$f" second
printf 'third\n' >"$SCRATCH/third"
run -t 10 sh -c 'cat "$2" >"$1"' sh "$f" "$SCRATCH/third"
check "three writers in turn all reach one reader" \
    wait_for 10 test "$(cat "$SCRATCH/fout")" = "first
second
third"

check "the reader is still following" kill -0 "$pid"
kill -TERM "$pid"
reap_bg "$pid"
is "$rc" 143 "SIGTERM ends read --follow, dying of the signal"

# Four writers at once, 2000 lines of 1000 bytes each: a line never mixes
# with another's.  Lines of 1000 bytes do not line up with the kernel's
# pages, and the slow consumer keeps the FIFO full, so writes that ignored
# PIPE_BUF would be split and interleaved.
f=$SCRATCH/many
awk 'BEGIN { s = sprintf("%999s", ""); gsub(/ /, "A", s);
    for (i = 0; i < 2000; i++) print s }' >"$SCRATCH/A"
bg sh -c 'ipc-fifo -q read --follow "$1" | { sleep 1; cat; } >"$2"' \
    sh "$f" "$SCRATCH/many.out"
pid=$bg_pid
wait_for 5 test -p "$f"
pids=
for l in A B C D; do
	[ "$l" = A ] || tr A "$l" <"$SCRATCH/A" >"$SCRATCH/$l"
	# The redirection inside: a background job's stdin is /dev/null.
	bg sh -c 'exec ipc-fifo -q write "$1" <"$2"' sh "$f" "$SCRATCH/$l"
	pids="$pids $bg_pid"
done
for p in $pids; do
	reap_bg "$p"
done
check "8000 lines arrive" \
    wait_for 20 test "$(wc -l <"$SCRATCH/many.out")" -eq 8000
bad=$(awk '!/^(A+|B+|C+|D+)$/ || length($0) != 999' "$SCRATCH/many.out" |
    wc -l)
is "$bad" 0 "four writers at once: no line is torn or mixed"
kill -TERM "$pid"
reap_bg "$pid"

bg ipc-fifo -q read --follow "$f"
pid=$bg_pid
run -t 10 ipc-fifo -q write "$f" x
kill -INT "$pid"
reap_bg "$pid"
is "$rc" 130 "SIGINT ends read --follow"

# A FIFO removed under read --follow: it notices, and ends.
bg ipc-fifo -q read --follow "$f" >"$SCRATCH/gone" 2>"$SCRATCH/gone.err"
pid=$bg_pid
run -t 10 ipc-fifo -q write "$f" last
check "the line arrives before the FIFO goes" \
    wait_for 5 grep -q last "$SCRATCH/gone"
run ipc-fifo -q rm "$f"
reap_bg "$pid"
is "$rc" 1 "read --follow ends with exit 1 when its FIFO is removed"
like "$(cat "$SCRATCH/gone.err")" "$f was removed or replaced" "... and says so"

# A FIFO with no reader put at PATH between read --follow's two open()s:
# strace holds the reader for 2 s just after its first.  Its own write
# end's open() fails with ENXIO at once, where it waited for ever.
if command -v strace >/dev/null 2>&1 &&
    strace -f -o /dev/null true 2>/dev/null; then
	f=$SCRATCH/swapped
	mkfifo "$f"
	bg sh -c 'ipc-fifo -q write "$1" x && rm "$1" && mkfifo "$1"' sh "$f"
	run -t 10 env ASAN_OPTIONS="${ASAN_OPTIONS:-}:detect_leaks=0" \
	    strace -qq -o /dev/null \
	    -e inject=setitimer:delay_exit=2000000:when=2 \
	    ipc-fifo -q read --follow "$f"
	swap=$rc
	reap_bg "$bg_pid"
	is "$swap:$err" "1:ipc-fifo: open $f for writing: no process has the FIFO now at that path open for reading (ENXIO), so it is not the one we read: it was replaced" \
	    "read --follow, its FIFO replaced before it holds a write end: ENXIO, exit 1"
	rm -f "$f"
else
	skip "strace cannot trace here"
fi

# Signals while an open waits for the other side.
f=$SCRATCH/waiting
bg ipc-fifo -q read "$f"
pid=$bg_pid
wait_for 5 test -p "$f"
sleep 0.2
kill -INT "$pid"
reap_bg "$pid"
is "$rc" 130 "SIGINT ends a read waiting for a writer"
bg ipc-fifo -q write "$f" never
pid=$bg_pid
sleep 0.2
kill -TERM "$pid"
reap_bg "$pid"
is "$rc" 143 "SIGTERM ends a write waiting for a reader"
check "the FIFO they share stays, as a shared object should" test -p "$f"

# bench: one key=value line, and no FIFO left behind.
run ipc-fifo -q bench -n 200
like "$out" '^mechanism=fifo size=65536 count=200 seconds=[0-9.]+ mib_per_s=[0-9.]+ msgs_per_s=[0-9]+$' \
    "bench prints its throughput line"
run ipc-fifo -q bench -n 500 -s 1K
like "$out" '^mechanism=fifo size=1024 count=500 ' "bench -s 1K is 1024 bytes"
run ipc-fifo -q bench --latency -n 300 -s 64
like "$out" '^mechanism=fifo size=64 count=300 rtt_p50_us=[0-9.]+ rtt_p99_us=[0-9.]+$' \
    "bench --latency prints median and p99"
run ipc-fifo -q bench --latency -n 100 --cpu 0,0
like "$out" ' cpu=0,0$' "bench --cpu reports the pinning"
for cpus in "0,$NOCPU" "$NOCPU,0"; do
	for lat in "" --latency; do
		run -t 20 ipc-fifo -q bench -n 10 $lat --cpu $cpus
		is "$rc" 1 "bench $lat --cpu $cpus: exit 1, no hang"
	done
done
like "$err" "^ipc-fifo: cannot pin to CPU $NOCPU" "... saying why"
bg ipc-fifo -q bench -n 100000000
pid=$bg_pid
sleep 0.3
kill -HUP "$pid"
reap_bg "$pid"
is "$rc" 129 "SIGHUP ends a long bench"
is "$(ls -A "$rd")" "" "bench leaves no FIFO in the run directory"

# Help and version.
run ipc-fifo --help
like "$out" '^Usage: ipc-fifo \[OPTION\.\.\.\] COMMAND' "--help prints usage on stdout"
is "$rc" 0 "--help exits 0"
run ipc-fifo write --help
like "$out" '^Usage: ipc-fifo write PATH' "COMMAND --help shows that command"
like "$out" '--nonblock' "... with its options"
run ipc-fifo --version
like "$out" '^ipc-fifo \(ipclab\) [0-9]' "--version"

# Usage errors: exit 2, nothing on stdout, nothing made.
x=$SCRATCH/x
usage_error "no command" ipc-fifo
usage_error "unknown command" ipc-fifo frobnicate
usage_error "make without PATH" ipc-fifo make
usage_error "make with two PATHs" ipc-fifo make "$x" "$x.2"
usage_error "read without PATH" ipc-fifo read
usage_error "read with two PATHs" ipc-fifo read "$x" "$x.2"
usage_error "write without PATH" ipc-fifo write
usage_error "rm without PATH" ipc-fifo rm
usage_error "mode not octal" ipc-fifo make "$x" -m 999
usage_error "mode with set-id bits" ipc-fifo make "$x" -m 4755
usage_error "mode missing" ipc-fifo make "$x" -m
usage_error "--follow for write" ipc-fifo write "$x" --follow
usage_error "--nonblock for read" ipc-fifo read "$x" --nonblock
usage_error "-m for rm" ipc-fifo rm "$x" -m 600
usage_error "demo with two MESSAGEs" ipc-fifo demo a b
usage_error "demo MESSAGE longer than PIPE_BUF" ipc-fifo demo \
    "$(head -c 4096 /dev/zero | tr '\0' m)"
usage_error "bench with an argument" ipc-fifo bench now
usage_error "bench size with a bad suffix" ipc-fifo bench -s 5Q
usage_error "bench count zero" ipc-fifo bench -n 0
check "usage errors make nothing" test ! -e "$x" -a ! -e "$x.2"

# Output errors are failures, not silence.
if [ -w /dev/full ]; then
	timeout 10 ipc-fifo -q demo >/dev/full 2>"$SCRATCH/full.err"
	is "$?" 1 "demo to a full stdout: exit 1"
	f=$SCRATCH/full
	bg ipc-fifo -q write "$f" "to a full disk"
	pid=$bg_pid
	wait_for 5 test -p "$f"
	timeout 10 ipc-fifo -q read "$f" >/dev/full 2>"$SCRATCH/full.err"
	is "$?" 1 "read to a full stdout: exit 1"
	like "$(cat "$SCRATCH/full.err")" 'write error' "... with a message"
	reap_bg "$pid"
else
	skip "no /dev/full"
	skip "no /dev/full"
	skip "no /dev/full"
fi

left=$(leftovers)
is "$left" "" "nothing of ours is left running"
done_testing
