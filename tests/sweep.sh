#!/bin/sh
# sweep.sh - every mechanism's throughput at eight message sizes, drawn
# as a chart (make bench-sweep).
#
# Which mechanism for which size?  Each mechanism with a stream streams
# messages of 64 B, 256 B, 1 KiB, 4 KiB, 16 KiB, 64 KiB, 256 KiB and
# 1 MiB, sender on CPU 0 and receiver on CPU 1 (the pinning of bench.sh,
# probed the same way; the log and the chart say when there is none),
# and memcpy(3) of the same sizes on one core is the ceiling.  A message
# queue stops at its kernel's largest message (kernel.msgmax for System
# V, fs.mqueue.msgsize_max for POSIX): beyond it the program would cut
# each message in pieces, which is another experiment.  Then every
# mechanism with a round trip bounces 64 B across the two CPUs and on
# one.  Each figure is run RUNS times in a row (default 3, at least 3)
# and the chart takes the median.
#
# The raw key=value lines go to bench-sweep.log after a header, each
# prefixed with sweep=NAME and run=tput, rtt-cross or rtt-one; a queue's
# limit is a line of its own (run=limit max=BYTES).  tests/sweepchart.awk
# reads nothing but that log and writes bench-sweep.svg and the text
# chart, which is printed at the end and kept in bench-sweep.txt.
#
# Usage: sweep.sh BUILDDIR [RUNS].  Environment:
#   SWEEP_OUT            the files' name without .log, .svg and .txt
#                        (default bench-sweep, in the current directory)
#   SWEEP_COUNT_DIVISOR  divide every count by this (default 1; at
#                        least 2 messages are always sent): tests/
#                        sweeptiny.sh uses it to run the whole sweep in
#                        seconds, with figures that mean nothing
# Mechanisms whose program is not built are left out.
set -u
b=${1:?usage: sweep.sh BUILDDIR [RUNS]}
runs=${2:-3}
out=${SWEEP_OUT:-bench-sweep}
div=${SWEEP_COUNT_DIVISOR:-1}
case $runs in
''|*[!0-9]*|?????*)
	echo "sweep.sh: RUNS must be a number from 3 to 9999, not '$runs'" >&2
	exit 2
	;;
esac
if [ "$runs" -lt 3 ]; then
	echo "sweep.sh: RUNS must be at least 3, for a median" >&2
	exit 2
fi
case $div in
''|0|*[!0-9]*|????????*)
	echo "sweep.sh: SWEEP_COUNT_DIVISOR must be a number from 1 to" \
	    "9999999, not '$div'" >&2
	exit 2
	;;
esac
here=$(dirname "$0")
# shellcheck source=tests/benchlib.sh
. "$here/benchlib.sh"
bench_path "$b"
log=$out.log

sizes="64 256 1024 4096 16384 65536 262144 1048576"

# Counts: each run moves about $bytes bytes, in at most $msgs messages
# (the small sizes, where each message costs a system call or two and a
# wake-up, not a copy), or a mechanism's own cap; memcpy copies $cbytes
# in at most $cmsgs calls.  On two virtual CPUs under KVM a run takes a
# tenth to a half of a second (a queue's or a socket's small messages,
# about a second), and the whole sweep about two minutes.
bytes=$((1024 << 20))
msgs=600000
cbytes=$((4096 << 20))
cmsgs=50000000
n_rtt_cross=3000
n_rtt_one=20000

# scaled N: N divided by $div, at least 2.
scaled() {
	n=$(($1 / div))
	[ "$n" -lt 2 ] && n=2
	echo "$n"
}

# count CAP SIZE [BYTES]: the messages of one run at SIZE.
count() {
	n=$((${3:-$bytes} / $2))
	[ "$n" -gt "$1" ] && n=$1
	scaled "$n"
}

# One line per mechanism: name, its bench, what it measures ("tl"
# throughput and latency, "t" a stream only, "l" a round trip only: a
# lock or a signal carries no payload), its cap on messages in one run
# ("-": $msgs), and the file that holds its largest message ("-": none).
mechanisms="pipe|ipc-pipe -q bench|tl|-|-
pipe-splice|ipc-pipe -q bench --splice|t|-|-
fifo|ipc-fifo -q bench|tl|-|-
msgq-sysv|ipc-msgq -q bench|tl|-|/proc/sys/kernel/msgmax
msgq-posix|ipc-msgq -q --posix bench|tl|200000|/proc/sys/fs/mqueue/msgsize_max
shm-sysv|ipc-shm -q bench|tl|-|-
shm-posix|ipc-shm -q --posix bench|tl|-|-
shm-spin|ipc-shm -q bench --spin|tl|10000000|-
unix-stream|ipc-socket -q bench|tl|-|-
tcp|ipc-socket -q bench --tcp 127.0.0.1:0|tl|-|-
flock-fcntl|ipc-flock -q bench|l|-|-
signal|ipc-signal -q bench|l|-|-"

# Only the mechanisms that are built; and how many figures to go.
mechanisms=$(printf '%s\n' "$mechanisms" |
    while IFS='|' read -r name cmd modes cap limit; do
	# shellcheck disable=SC2086 # the command is words on purpose
	set -- $cmd
	command -v "$1" >/dev/null 2>&1 || continue
	printf '%s\n' "$name|$cmd|$modes|$cap|$limit"
done)
command -v benchref >/dev/null 2>&1 || {
	echo "sweep.sh: tests/benchref is not built in $b" >&2
	exit 1
}

bench_pinning
[ -n "$one" ] && nrtt=2 || nrtt=1
left=$(printf '%s\n' "$mechanisms" | awk -F'|' -v nrtt="$nrtt" '
    $3 ~ /t/ { n += 8 } $3 ~ /l/ { n += nrtt } END { print n + 8 }')

{
	bench_header "make bench-sweep"
	printf '# %s runs of each in a row; counts: about %s bytes a run, ' \
	    "$runs" "$bytes"
	printf 'at most %s messages (unless a line says), %s round trips ' \
	    "$msgs" "$n_rtt_cross"
	printf 'across CPUs, %s on one' "$n_rtt_one"
	[ "$div" != 1 ] && printf ', all divided by %s' "$div"
	printf '\n'
} >"$log"

# point SWEEP RUN SIZE COMMAND...: run COMMAND $runs times, log each line
# with its sweep= and run= prefix, and say the figures and what is left.
point() {
	sw=$1 what=$2 sz=$3
	shift 3
	key=mib_per_s unit=MiB/s
	case $what in
	rtt*)
		key=rtt_p50_us unit=us
		;;
	esac
	vals=""
	i=0
	while [ "$i" -lt "$runs" ]; do
		# Stdin from /dev/null: the loop below reads the list of
		# mechanisms from it.
		line=$("$@" </dev/null) || {
			echo "sweep.sh: failed: $*" >&2
			exit 1
		}
		printf 'sweep=%s run=%s %s\n' "$sw" "$what" "$line" >>"$log"
		vals="$vals $(field "$key" "$line")"
		i=$((i + 1))
	done
	left=$((left - 1))
	printf '%4s left  %-11s %-9s %7s B:%s %s\n' "$left" "$sw" "$what" \
	    "$sz" "$vals" "$unit"
}

printf 'Pinning: %s.\n' "$pinning"
printf 'Sweeping %s figures, %s runs of each: two or three minutes on two CPUs.\n' \
    "$left" "$runs"

for s in $sizes; do
	point memcpy tput "$s" benchref memcpy -s "$s" \
	    -n "$(count "$cmsgs" "$s" "$cbytes")" || exit 1
done

printf '%s\n' "$mechanisms" | {
	while IFS='|' read -r name cmd modes cap limit; do
		[ "$cap" = - ] && cap=$msgs
		max=""
		if [ "$limit" != - ]; then
			max=$(cat "$limit" 2>/dev/null)
			src=$limit
			case $max in
			''|*[!0-9]*)
				# Unreadable: ask the bench, which cuts a
				# message larger than the limit in chunks.
				# shellcheck disable=SC2086
				max=$(field chunk "$($cmd -s 1M -n 2 \
				    </dev/null)")
				src=bench
				;;
			esac
			[ -n "$max" ] &&
			    printf 'sweep=%s run=limit max=%s source=%s\n' \
			    "$name" "$max" "$src" >>"$log"
		fi
		case $modes in
		t*)
			for s in $sizes; do
				if [ -n "$max" ] && [ "$s" -gt "$max" ]; then
					left=$((left - 1))
					printf '%4s left  %-11s %-9s %7s B: beyond its limit of %s B\n' \
					    "$left" "$name" tput "$s" "$max"
					continue
				fi
				# shellcheck disable=SC2086 # words on purpose
				point "$name" tput "$s" $cmd $cross -s "$s" \
				    -n "$(count "$cap" "$s")" || exit 1
			done
			;;
		esac
		case $modes in
		*l)
			# shellcheck disable=SC2086
			point "$name" rtt-cross 64 $cmd $cross --latency \
			    -n "$(scaled "$n_rtt_cross")" || exit 1
			if [ -n "$one" ]; then
				# shellcheck disable=SC2086
				point "$name" rtt-one 64 $cmd $one --latency \
				    -n "$(scaled "$n_rtt_one")" || exit 1
			fi
			;;
		esac
	done
} || exit 1

printf '\n'
awk -v svg="$out.svg" -f "$here/sweepchart.awk" "$log" >"$out.txt" || {
	echo "sweep.sh: the chart failed" >&2
	exit 1
}
cat "$out.txt"
printf '\nRaw lines: %s; the chart: %s and %s\n' "$log" "$out.svg" "$out.txt"
