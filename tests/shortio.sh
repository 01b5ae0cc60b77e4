#!/bin/sh
# shortio.sh - DESIGN.md promises that short reads and writes are looped
# and EINTR is retried.  Run the programs that move bytes through pipes,
# FIFOs and stream sockets with tests/shortio.so preloaded (see
# tests/shortio.c): every transfer is cut to at most N bytes and about
# one call in K fails with EINTR.  The data must still arrive byte for
# byte, every run must exit 0 and leave nothing behind, and the shim's
# own report must show that it did cut calls short and fail some, so that
# no case passes without being put to the test.
#
# The choice of failing calls is seeded: SHORTIO_SEED=N make check
# TESTS=tests/shortio.sh replays it (as far as the processes' timing
# lets the same calls happen).
# tap.sh's run, bg and reap_bg set out, rc and bg_pid; 'shellcheck -x'
# sees that.
# shellcheck disable=SC1091,SC2154
. "${top_srcdir:-.}/tests/tap.sh"
. "${top_srcdir:-.}/tests/objects.sh"

so=$top_builddir/tests/shortio.so
if [ ! -f "$so" ]; then
	[ -f "$so.skip" ] && skip_all "$(cat "$so.skip")"
	skip_all "tests/shortio.so is not built ('make check' builds it)"
fi
case $so in
*[[:space:]:]*)
	skip_all "LD_PRELOAD cannot name $so: it has a blank or a colon"
	;;
esac

# The settings go to every process; without LD_PRELOAD they do nothing,
# so only the programs run with "env LD_PRELOAD=..." feel them.
SHORTIO_SEED=${SHORTIO_SEED:-20261123}
case $SHORTIO_SEED in
'' | *[!0-9]*) echo "Bail out! SHORTIO_SEED must be a number"; exit 99 ;;
esac
diag "seed $SHORTIO_SEED: SHORTIO_SEED=$SHORTIO_SEED replays the choice"
SHORTIO_REPORT=$SCRATCH/report
export SHORTIO_SEED SHORTIO_REPORT

# Under --enable-sanitizers, AddressSanitizer insists on being the first
# library a program loads and refuses to start behind a preloaded one.
# Its check is all that is in the way: the shim only passes the calls on
# to the next definition, which is ASan's own interceptor.
started() {
	env LD_PRELOAD="$so" ipc-pipe --version >/dev/null 2>"$SCRATCH/start.err"
}
if ! started && grep -q 'ASan runtime does not come first' "$SCRATCH/start.err"
then
	ASAN_OPTIONS=verify_asan_link_order=0${ASAN_OPTIONS:+:$ASAN_OPTIONS}
	export ASAN_OPTIONS
	diag "AddressSanitizer: ASAN_OPTIONS=$ASAN_OPTIONS lets it start second"
	started || skip_all "AddressSanitizer will not run behind a preloaded \
library: $(head -n 1 "$SCRATCH/start.err")"
fi
check "the programs start with the shim preloaded" started
rm -f "$SCRATCH/start.err"

# What goes through: a MESSAGE of 60000 printable bytes for the demos'
# command lines (N=4096 needs many calls to show EINTR), its first 3000
# for ipc-fifo demo (at most PIPE_BUF - 1), and a file of
# every byte value, NUL and newline included, lines of all lengths and
# some longer than PIPE_BUF, for standard input.
msg=$(awk 'BEGIN { for (i = 0; i < 60000; i++)
    printf "%c", 32 + (i * 7 + int(i / 95)) % 95 }')
short=$(printf '%.3000s' "$msg")
data=$SCRATCH/data
i=0
while [ $i -lt 256 ]; do
	# shellcheck disable=SC2059 # the octal escape is the point
	printf "\\$(printf %03o $i)"
	i=$((i + 1))
done >"$SCRATCH/bytes"
{
	for i in 1 2 3 4 5 6 7 8; do
		cat "$SCRATCH/bytes"
		head -c $((i * 1100)) /dev/zero | tr '\0' z
		echo
		seq 1 $((i * 40))
	done
	printf 'the last line has no newline'
} >"$data"
rm -f "$SCRATCH/bytes"
fifo=$SCRATCH/fifo
sock=$SCRATCH/sock

# bit WHAT: the shim's reports summed ("capped=C eintr=E"), each process
# that loaded it one line; both must be above 0.  The report goes.
bit() {
	if [ -f "$SHORTIO_REPORT" ]; then
		sums=$(awk '{ for (i = 1; i <= NF; i++) {
		    split($i, kv, "="); s[kv[1]] += kv[2] } }
		    END { printf "capped=%d eintr=%d", s["capped"], s["eintr"] }' \
		    "$SHORTIO_REPORT")
		rm -f "$SHORTIO_REPORT"
	else
		sums="no report: the shim never loaded"
	fi
	like "$sums" '^capped=[1-9][0-9]* eintr=[1-9][0-9]*$' \
	    "$1: the shim cut calls short and failed some with EINTR"
}

# scratch_new: what is in the scratch directory (the run directory in it
# too) that the test did not put there.  These programs make FIFOs and
# sockets there and nothing in ipcs, /dev/shm or /dev/mqueue, which the
# end of the test looks at once, as other runs on the machine come and go.
scratch_new() {
	find "$SCRATCH" ! -path "$SCRATCH" ! -path "$data" ! -name .out \
	    ! -name .err ! -name '.objects.*' ! -path "$XDG_RUNTIME_DIR" \
	    ! -path "$objects_rd"
}

# tidy WHAT: nothing of ours runs on, nothing is left behind.
tidy() {
	rm -f "$SCRATCH"/case.*
	left=$(leftovers)
	if [ -z "$left" ] && [ -z "$(scratch_new)" ]; then
		ok "$1: nothing left running or behind"
	else
		not_ok "$1: nothing left running or behind"
		diag "still running: $left" "left: $(scratch_new)"
	fi
}

# same WHAT FILE: FILE holds exactly $data.
same() {
	if cmp -s "$data" "$2"; then
		ok "$1: every byte arrives, in order"
	else
		not_ok "$1: every byte arrives, in order"
		diag "$(cmp "$data" "$2" 2>&1)"
	fi
}

# With no shim: what a demo prints, to hold the runs under it against.
run ipc-pipe -q duplex "ping pong" "$(printf '%03999d' 7)" "bye now"
ref_duplex=$out
run ipc-socket -q pair "ping pong" "hello, child"
ref_pair=$out
run ipc-signal -q demo
ref_signal=$out
run ipc-pipe -q sigpipe
ref_sigpipe=$out
run ipc-pipe -q sigpipe --ignore
ref_sigpipe_ignore=$out
like "$ref_signal" 'SIGRTMIN: sent 3, received 3, in order' \
    "without the shim, ipc-signal demo shows what it should"

objects_before

# N bytes at most a call, EINTR about once in K calls; "split": pipe
# writes of PIPE_BUF bytes or less are cut too (one writer each here).
for setting in "1 5 split" "3 13 whole" "7 4 split" "4096 3 whole"; do
	# shellcheck disable=SC2086 # three words, on purpose
	set -- $setting
	SHORTIO_MAX=$1
	SHORTIO_EINTR=$2
	SHORTIO_SPLIT_ATOMIC=0
	[ "$3" = split ] && SHORTIO_SPLIT_ATOMIC=1
	export SHORTIO_MAX SHORTIO_EINTR SHORTIO_SPLIT_ATOMIC
	t="N=$1 K=$2${3%whole}:"

	# A pipe between parent and child, each way.
	for rev in "" --reverse; do
		run -t 60 env LD_PRELOAD="$so" ipc-pipe -q demo $rev "$msg"
		is "$rc" 0 "$t ipc-pipe demo $rev exits 0"
		check "$t ... the 60000-byte MESSAGE arrives intact" \
		    test "$out" = "received string: $msg"
		bit "$t ipc-pipe demo $rev"
		tidy "$t ipc-pipe demo $rev"
	done

	# A FIFO between two unrelated programs, standard input to output.
	bg env LD_PRELOAD="$so" ipc-fifo -q read "$fifo" >"$SCRATCH/case.out"
	pid=$bg_pid
	run -t 60 env LD_PRELOAD="$so" ipc-fifo -q write "$fifo" <"$data"
	is "$rc" 0 "$t ipc-fifo write exits 0"
	reap_bg "$pid"
	is "$rc" 0 "$t ipc-fifo read exits 0"
	same "$t ipc-fifo write to read" "$SCRATCH/case.out"
	bit "$t ipc-fifo write and read"
	run ipc-fifo -q rm "$fifo"
	tidy "$t ipc-fifo write and read"

	# An echo server and its client, on a Unix path and over TCP.
	for where in "$sock" --tcp; do
		if [ "$where" = --tcp ]; then
			set -- --tcp 127.0.0.1:0
		else
			set -- "$where"
		fi
		bg env LD_PRELOAD="$so" ipc-socket -q serve --once "$@" \
		    >"$SCRATCH/case.serve"
		pid=$bg_pid
		wait_for 10 grep -q '^listening on ' "$SCRATCH/case.serve"
		at=$(sed -n '1s/^listening on //p' "$SCRATCH/case.serve")
		[ "$where" = --tcp ] && set -- --tcp "$at"
		# Not through run: the shell's $out cannot hold a NUL.
		timeout -k 2 60 env LD_PRELOAD="$so" ipc-socket -q connect \
		    "$@" <"$data" >"$SCRATCH/case.out"
		is "$?" 0 "$t ipc-socket connect ${where#"$SCRATCH"/} exits 0"
		same "$t ipc-socket serve ${where#"$SCRATCH"/} echoes" \
		    "$SCRATCH/case.out"
		reap_bg "$pid"
		is "$rc" 0 "$t ipc-socket serve --once ${where#"$SCRATCH"/} exits 0"
		bit "$t ipc-socket serve and connect ${where#"$SCRATCH"/}"
		tidy "$t ipc-socket serve and connect ${where#"$SCRATCH"/}"
	done

	# bench counts every byte: an early end is an error, exit 1.
	for bench in pipe:pipe fifo:fifo socket:unix-stream; do
		for lat in "" --latency; do
			prog=ipc-${bench%:*}
			run -t 60 env LD_PRELOAD="$so" "$prog" -q bench $lat \
			    -s 5000 -n 10
			is "$rc" 0 "$t $prog bench $lat exits 0"
			like "$out" "^mechanism=${bench#*:} size=5000 count=10 " \
			    "$t ... and prints its line"
			bit "$t $prog bench $lat"
			tidy "$t $prog bench $lat"
		done
	done
done

# The smaller demos move only a few bytes: at N=1 with every write cut,
# and at N=3 with pipe writes whole (as in the kernel), EINTR about
# every other call, so that each is sure to feel both.
for setting in "1 split" "3 whole"; do
	# shellcheck disable=SC2086 # two words, on purpose
	set -- $setting
	SHORTIO_MAX=$1
	SHORTIO_EINTR=2
	SHORTIO_SPLIT_ATOMIC=0
	[ "$2" = split ] && SHORTIO_SPLIT_ATOMIC=1
	export SHORTIO_MAX SHORTIO_EINTR SHORTIO_SPLIT_ATOMIC
	t="N=$1 K=2${2%whole}:"

	# Lines of at most PIPE_BUF bytes: whole pipe writes are never cut.
	if [ "$2" = split ]; then
		run -t 60 env LD_PRELOAD="$so" ipc-pipe -q duplex "ping pong" \
		    "$(printf '%03999d' 7)" "bye now"
		is "$rc" 0 "$t ipc-pipe duplex exits 0"
		check "$t ... every line and every answer arrives intact" \
		    test "$out" = "$ref_duplex"
		bit "$t ipc-pipe duplex"
		tidy "$t ipc-pipe duplex"
	fi

	run -t 60 env LD_PRELOAD="$so" ipc-fifo -q demo "$short"
	is "$rc" 0 "$t ipc-fifo demo exits 0"
	check "$t ... the 3000-byte MESSAGE arrives intact" test "$out" = \
	    "size of the FIFO while 3001 bytes wait in it: 0
received string: $short"
	bit "$t ipc-fifo demo"
	tidy "$t ipc-fifo demo"

	# Short lines: the client sends a whole line before it reads the
	# echo, which fits the socket buffers; cut into 1-byte pieces that
	# the kernel accounts at several hundred bytes each, a 4000-byte
	# line would not, and both sides would wait for ever.
	run -t 60 env LD_PRELOAD="$so" ipc-socket -q demo "ping pong" \
	    "$(printf '%040d' 9)"
	is "$rc" 0 "$t ipc-socket demo exits 0"
	is "$out" "echo: ping pong
echo: $(printf '%040d' 9)" "$t ... both lines come back intact"
	bit "$t ipc-socket demo"
	tidy "$t ipc-socket demo"

	run -t 60 env LD_PRELOAD="$so" ipc-socket -q pair "ping pong" \
	    "hello, child"
	is "$rc" 0 "$t ipc-socket pair exits 0"
	is "$out" "$ref_pair" "$t ... every line and answer arrives intact"
	bit "$t ipc-socket pair"
	tidy "$t ipc-socket pair"

	run -t 60 env LD_PRELOAD="$so" ipc-signal -q demo
	is "$rc" 0 "$t ipc-signal demo exits 0"
	is "$out" "$ref_signal" "$t ... and shows the same as without the shim"
	bit "$t ipc-signal demo"
	tidy "$t ipc-signal demo"

	run -t 60 env LD_PRELOAD="$so" ipc-pipe -q sigpipe
	is "$rc" 0 "$t ipc-pipe sigpipe exits 0"
	is "$out" "$ref_sigpipe" "$t ... the writer still dies of SIGPIPE"
	bit "$t ipc-pipe sigpipe"
	tidy "$t ipc-pipe sigpipe"
	run -t 60 env LD_PRELOAD="$so" ipc-pipe -q sigpipe --ignore
	is "$rc" 0 "$t ipc-pipe sigpipe --ignore exits 0"
	is "$out" "$ref_sigpipe_ignore" "$t ... the writer still gets EPIPE"
	bit "$t ipc-pipe sigpipe --ignore"
	tidy "$t ipc-pipe sigpipe --ignore"

	# catch's handler writes each record whole (PIPE_BUF): only then.
	[ "$2" = whole ] || continue
	bg env LD_PRELOAD="$so" ipc-signal -q catch >"$SCRATCH/case.out"
	pid=$bg_pid
	wait_for 10 grep -q 'waits for' "$SCRATCH/case.out"
	cpid=$(sed -n '1s/^pid \([0-9]*\) .*/\1/p' "$SCRATCH/case.out")
	for sig in USR1 USR2 TERM; do
		kill -$sig "$cpid"
		wait_for 10 grep -q "^SIG$sig from pid $$ " "$SCRATCH/case.out"
	done
	reap_bg "$pid"
	is "$rc" 0 "$t ipc-signal catch exits 0 after SIGTERM"
	is "$(sed 1d "$SCRATCH/case.out")" "SIGUSR1 from pid $$ uid $(id -u) (kill)
SIGUSR2 from pid $$ uid $(id -u) (kill)
SIGTERM from pid $$ uid $(id -u) (kill)
caught 2 signals before SIGTERM" "$t ... each record whole, from the shell"
	bit "$t ipc-signal catch"
	tidy "$t ipc-signal catch"
done

if nothing_new; then
	ok "nothing new in ipcs, /dev/shm, /dev/mqueue or the scratch directory"
else
	not_ok "nothing new in ipcs, /dev/shm, /dev/mqueue or the scratch directory"
	diag "new: $(objects_new)"
fi
done_testing
