#!/bin/sh
# benchref.sh - make bench's yardsticks print the lines the benches print.
. "${top_srcdir:-.}/tests/tap.sh"
ref=$top_builddir/tests/benchref

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

run "$ref" --help
like "$out" '^Usage: benchref memcpy\|pipe' "--help prints the usage on stdout"
usage_error "no mode" "$ref"
usage_error "an unknown mode" "$ref" fifo
usage_error "count zero" "$ref" pipe -n 0
usage_error "an extra argument" "$ref" pipe now
done_testing
