#!/bin/sh
# benchref.sh - make bench's yardsticks run, print the lines the benches
# print, and leave nothing behind.
. "${top_srcdir:-.}/tests/tap.sh"
. "${top_srcdir:-.}/tests/objects.sh"
ref=$top_builddir/tests/benchref
objects_before

# shape LINE: the line with every value taken out.
shape() {
	printf '%s\n' "$1" | sed 's/=[^ ]*//g'
}

run "$ref" memcpy -s 1M -n 2
like "$out" '^mechanism=memcpy size=1048576 count=2 seconds=[0-9.]+ mib_per_s=[0-9.]+ msgs_per_s=[0-9]+$' \
    "memcpy: one throughput line"
run "$ref" pipe -n 50
like "$out" '^mechanism=pipe-ref size=65536 count=50 seconds=[0-9.]+ mib_per_s=[0-9.]+ msgs_per_s=[0-9]+$' \
    "pipe: 64 KiB by default, as every bench"
is "$rc" 0 "pipe exits 0"
run "$ref" pipe -n 500 -s 1K --cpu 0,0
like "$out" '^mechanism=pipe-ref size=1024 count=500 .* cpu=0,0$' \
    "pipe -s 1K --cpu 0,0: the size and the pinning"
run "$ref" pipe --latency -n 200
like "$out" '^mechanism=pipe-ref size=64 count=200 rtt_p50_us=[0-9.]+ rtt_p99_us=[0-9.]+$' \
    "pipe --latency: 64 B round trips by default"

# The comparison holds only if both print the same fields.
ref_line=$("$ref" pipe -n 100 -s 64)
pipe_line=$(ipc-pipe -q bench -n 100 -s 64)
is "$(shape "$ref_line" | sed 's/^mechanism/M/')" \
    "$(shape "$pipe_line" | sed 's/^mechanism/M/')" \
    "pipe-ref and ipc-pipe bench print the same fields"
ref_line=$("$ref" pipe --latency -n 100)
pipe_line=$(ipc-pipe -q bench --latency -n 100)
is "$(shape "$ref_line")" "$(shape "$pipe_line")" \
    "the same fields for round trips"

# Every loop: it runs, exits 0, and prints the line its program prints,
# field for field (values aside), for a stream and for round trips.
# "mode|the program's bench|what it measures" (t stream, l round trips).
refs='fifo|ipc-fifo -q bench|tl
msgq-sysv|ipc-msgq -q bench|tl
msgq-posix|ipc-msgq -q --posix bench|tl
unix-stream|ipc-socket -q bench|tl
tcp|ipc-socket -q bench --tcp 127.0.0.1:0|tl
signal|ipc-signal -q bench|l
flock|ipc-flock -q bench|tl'
while IFS='|' read -r mode prog modes; do
	mech=$mode-ref
	[ "$mode" = flock ] && mech=flock-fcntl-ref
	size='-s 1K'
	[ "$mode" = flock ] && size=
	case $modes in
	t*)
		# shellcheck disable=SC2086 # $size is zero or two words
		run -t 60 "$ref" "$mode" -n 300 $size --cpu 0,0
		is "$rc" 0 "$mode: a stream exits 0"
		like "$out" "^mechanism=$mech size=[0-9]+ count=300 seconds=[0-9.]+ mib_per_s=[0-9.]+ msgs_per_s=[0-9]+ cpu=0,0( |\$)" \
		    "$mode: one throughput line, mechanism=$mech"
		# shellcheck disable=SC2086 # the command is words on purpose
		is "$(shape "$out" | sed 's/^mechanism/M/')" \
		    "$(shape "$($prog -n 300 $size --cpu 0,0)" | sed 's/^mechanism/M/')" \
		    "$mode: the same fields as $prog"
		;;
	esac
	run -t 60 "$ref" "$mode" --latency -n 200 --cpu 0,0
	is "$rc" 0 "$mode --latency --cpu 0,0 exits 0"
	like "$out" "^mechanism=$mech size=[0-9]+ count=200 rtt_p50_us=[0-9.]+ rtt_p99_us=[0-9.]+ cpu=0,0( |\$)" \
	    "$mode --latency: median and p99, and the pinning"
	# shellcheck disable=SC2086
	is "$(shape "$out" | sed 's/^mechanism/M/')" \
	    "$(shape "$($prog --latency -n 200 --cpu 0,0)" | sed 's/^mechanism/M/')" \
	    "$mode --latency: the same fields as $prog"
done <<EOF
$refs
EOF

# Chunks as the program makes them, and the line says so.
msgmax=$(cat /proc/sys/kernel/msgmax)
run "$ref" msgq-sysv -n 100 -s 64K
like "$out" "^mechanism=msgq-sysv-ref size=65536 count=100 chunk=$msgmax " \
    "msgq-sysv: 64 KiB in chunks of msgmax, chunk=$msgmax"
run "$ref" msgq-posix -n 100 -s 64
like "$out" " maxmsg=[0-9]+\$" "msgq-posix: the queue's depth in the line"
run "$ref" signal -n 100
like "$out" '^mechanism=signal-ref size=4 ' "signal: the payload is one int"
check "the loops left no queue, FIFO or file behind" nothing_new

run "$ref" --help
like "$out" '^Usage: benchref memcpy\|pipe\|fifo' "--help prints the usage on stdout"
usage_error "no mode" "$ref"
usage_error "an unknown mode" "$ref" shm
usage_error "count zero" "$ref" pipe -n 0
usage_error "an extra argument" "$ref" pipe now
usage_error "flock pairs on two CPUs" "$ref" flock --cpu 0,1

# make bench RUNS=N: refused before it runs anything or writes bench.log.
bench_sh=$(cd "${top_srcdir:-.}" && pwd)/tests/bench.sh
for bad in x 2 -1 1e3; do
	( cd "$SCRATCH" && timeout -k 2 30 sh "$bench_sh" "$top_builddir" \
	    "$bad" >.out 2>.err )
	is "$?" 2 "make bench RUNS=$bad: exit 2"
	like "$(cat "$SCRATCH/.err")" '^bench.sh: RUNS must be' \
	    "RUNS=$bad: one line naming RUNS"
	check "RUNS=$bad: no bench.log" test ! -e "$SCRATCH/bench.log"
done
done_testing
