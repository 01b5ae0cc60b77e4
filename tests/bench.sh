#!/bin/sh
# bench.sh - every bench against its yardstick, side by side (make bench).
#
# Each program's bench runs alternately with benchref's plainest loop
# over the same calls (pipe-ref, fifo-ref, ...), seven times each (RUNS),
# so that whatever else the machine does hits both alike; the table shows
# the median of the runs with the smallest and largest, and the
# ratio of the program's median to the loop's ("x ref").  Shared memory
# copies without the kernel, so its rows are held against memcpy of
# 64 MiB instead.  A stream across two CPUs of a virtual machine falls
# into a fast or a slow rhythm of wake-ups and may keep it for a whole
# run, so its range can be wide: read the ratio from a quiet machine.
# Throughput: 64 B and 64 KiB messages, sender on CPU 0 and receiver on
# CPU 1.  Latency: the 64 B round trip across CPUs (--cpu 0,1) and on one
# CPU (--cpu 0,0), where the wake-up is cheap and the calls themselves
# show.  The raw key=value lines go to bench.log after a header.
# Usage: bench.sh BUILDDIR [RUNS].  RUNS (default 7, at least 3) is how
# many runs of each; on a noisy machine more give a steadier median.
# Mechanisms whose program is not built are left out.
set -u
b=${1:?usage: bench.sh BUILDDIR [RUNS]}
runs=${2:-7}
case $runs in
''|*[!0-9]*|?????*)
	echo "bench.sh: RUNS must be a number from 3 to 9999, not '$runs'" >&2
	exit 2
	;;
esac
if [ "$runs" -lt 3 ]; then
	echo "bench.sh: RUNS must be at least 3, for a median and a spread" >&2
	exit 2
fi
# shellcheck source=tests/benchlib.sh
. "$(dirname "$0")/benchlib.sh"
bench_path "$b"
log=bench.log

# Counts that keep one run near a tenth of a second on a small machine
# (the slowest, msgq-posix at 64 B and a cross-CPU round trip, near half
# a second), so that seven runs of everything take about 70 seconds.
n_small=200000
n_large=4096
n_rtt_cross=4000
n_rtt_one=20000

bench_pinning

{
	bench_header "make bench"
	printf '# %s runs of each, program and loop alternately; counts: ' \
	    "$runs"
	printf '%s at 64 B, %s at 64 KiB (unless a line says), ' \
	    "$n_small" "$n_large"
	printf '%s round trips across CPUs, %s on one\n' "$n_rtt_cross" \
	    "$n_rtt_one"
} >"$log"

# one KEY COMMAND...: run COMMAND once, log its line, print KEY's value.
one() {
	key=$1
	shift
	line=$("$@") || { echo "bench.sh: failed: $*" >&2; exit 1; }
	printf '%s\n' "$line" >>"$log"
	field "$key" "$line"
}

# pair KEY REF PROG ARGS: REF ARGS and PROG ARGS alternately, $runs times
# each, in the order ref, prog, prog, ref, ref, prog... (whichever runs
# first after the other tends to gain a little); prints "median smallest
# largest" for the program, then the same for the loop (REF "-": the
# program alone, and "- - -").
pair() {
	key=$1 ref=$2 prog=$3
	shift 3
	pv="" rv=""
	i=0
	while [ "$i" -lt "$runs" ]; do
		order="ref prog"
		[ $((i % 2)) = 1 ] && order="prog ref"
		for who in $order; do
			if [ "$who" = ref ] && [ "$ref" != - ]; then
				# shellcheck disable=SC2086 # words on purpose
				rv="$rv$(one "$key" $ref "$@")
" || exit 1
			elif [ "$who" = prog ]; then
				# shellcheck disable=SC2086
				pv="$pv$(one "$key" $prog "$@")
" || exit 1
			fi
		done
		i=$((i + 1))
	done
	printf '%s %s\n' "$(printf '%s' "$pv" | stats)" \
	    "$(printf '%s' "$rv" | stats)"
}

# One line per mechanism: name, its bench, its loop ("memcpy": held
# against memcpy; "-": none), what it measures ("tl" throughput and
# latency, "t" throughput only: splice moves a stream, "l" latency only:
# a signal or a lock carries no payload to stream), and its counts at
# 64 B and 64 KiB where the defaults would take far too long or too
# short a time to mean much ("-": the default).
mechanisms="pipe|ipc-pipe -q bench|benchref pipe|tl|-|-
pipe-splice|ipc-pipe -q bench --splice|memcpy|t|-|16384
fifo|ipc-fifo -q bench|benchref fifo|tl|-|-
msgq-sysv|ipc-msgq -q bench|benchref msgq-sysv|tl|-|-
msgq-posix|ipc-msgq -q --posix bench|benchref msgq-posix|tl|50000|-
shm-sysv|ipc-shm -q bench|memcpy|tl|-|16384
shm-posix|ipc-shm -q --posix bench|memcpy|tl|-|16384
shm-spin|ipc-shm -q bench --spin|memcpy|tl|8000000|16384
unix-stream|ipc-socket -q bench|benchref unix-stream|tl|-|-
tcp|ipc-socket -q bench --tcp 127.0.0.1:0|benchref tcp|tl|-|-
flock-fcntl|ipc-flock -q bench|benchref flock|l|-|-
signal|ipc-signal -q bench|benchref signal|l|-|-"

printf 'Pinning: %s.\n' "$pinning"
printf 'Each figure: the median of %s runs (smallest-largest), the program\n' \
    "$runs"
printf 'and its plainest loop (tests/benchref) alternately.  x ref: the\n'
printf "program's median over its loop's (m: over memcpy's).  * and noisy:\n"
printf 'the largest run is more than 1.5 times the smallest.\n'
printf 'Running, about %s seconds on two CPUs...\n\n' "$((runs * 10))"

memcpy=$(pair mib_per_s - "benchref memcpy" -n 16) || exit 1
memcpy=${memcpy% - - -}
spin_cpu=
rows=$(printf '%s\n' "$mechanisms" |
    while IFS='|' read -r name cmd ref modes n64 n64k; do
	# shellcheck disable=SC2086 # the command is words on purpose
	set -- $cmd
	command -v "$1" >/dev/null 2>&1 || continue
	[ "$ref" = memcpy ] && ref=-
	[ "$n64" = - ] && n64=$n_small
	[ "$n64k" = - ] && n64k=$n_large
	small='- - - - - -' large='- - - - - -'
	rtt_x='- - - - - -' rtt_1='- - - - - -'
	# shellcheck disable=SC2086 # $cross and $one are zero or two words
	case $modes in
	t*)
		small=$(pair mib_per_s "$ref" "$cmd" $cross -n "$n64" \
		    -s 64) || exit 1
		large=$(pair mib_per_s "$ref" "$cmd" $cross -n "$n64k" \
		    -s 64K) || exit 1
		;;
	esac
	# shellcheck disable=SC2086
	case $modes in
	*l)
		# The cross-CPU round trip: the program only, the loop's
		# wake-up is the same.
		rtt_x=$(pair rtt_p50_us - "$cmd" $cross --latency \
		    -n $n_rtt_cross) || exit 1
		if [ -n "$one" ]; then
			rtt_1=$(pair rtt_p50_us "$ref" "$cmd" $one --latency \
			    -n $n_rtt_one) || exit 1
		fi
		;;
	esac
	echo "$name $small $large $rtt_x $rtt_1"
done) || exit 1
# What spinning costs: the CPU time of the median 64 KiB spin stream,
# the run the table's shm-spin figure comes from.
spin_cpu=$(grep '^mechanism=shm-sysv size=65536 .*wait=spin' "$log" |
    awk '{ for (i = 1; i <= NF; i++)
		if ($i ~ /^mib_per_s=/)
			print substr($i, 11), $0 }' | sort -n |
    awk '{ l[NR] = $0 } END { if (NR > 0) {
	x = l[int((NR + 1) / 2)]; sub(/^[^ ]* /, "", x); print x } }')

printf '%s\n' "$rows" | awk -v memcpy="$memcpy" -v spin="$spin_cpu" '
    function num(x) {
	return x >= 100 ? sprintf("%.0f", x) : x >= 10 ? sprintf("%.1f", x) : \
	    sprintf("%.2g", x)
    }
    # "median (smallest-largest)", with a * when it is noisy.
    function cell(med, lo, hi) {
	if (med == "-")
		return "-"
	if (lo > 0 && hi / lo > 1.5) {
		noisy = 1
		return num(med) " (" num(lo) "-" num(hi) ")*"
	}
	return num(med) " (" num(lo) "-" num(hi) ")"
    }
    function ratio(a, b) {
	if (a == "-" || b == "-" || b + 0 == 0)
		return "-"
	return sprintf("%.2f", a / b)
    }
    function trim(s) {
	sub(/ +$/, "", s)
	return s
    }
    BEGIN {
	split(memcpy, m, " ")
    }
    {
	# name, then 6 fields for each of: 64 B, 64 KiB, RTT 0,1, RTT 0,0;
	# in each, the program median low high, then the loop the same.
	n++
	name[n] = $1
	for (i = 2; i <= NF; i++)
		f[n, i] = $i
    }
    END {
	print "Throughput, MiB/s (sender on CPU 0, receiver on CPU 1)"
	printf "%-11s %-18s %-6s %-20s %s\n", "mechanism", "64 B",
	    "x ref", "64 KiB", "x ref"
	for (r = 1; r <= n; r++) {
		if (f[r, 2] == "-")
			continue
		noisy = 0
		s = cell(f[r, 2], f[r, 3], f[r, 4])
		l = cell(f[r, 8], f[r, 9], f[r, 10])
		shm = f[r, 5] == "-"
		rs = shm ? "-" : ratio(f[r, 2], f[r, 5])
		rl = ratio(f[r, 8], shm ? m[1] : f[r, 11])
		if (shm && rl != "-")
			rl = rl "m"
		print trim(sprintf("%-11s %-18s %-6s %-20s %-6s %s", name[r],
		    s, rs, l, rl, noisy ? "noisy" : ""))
		bars++
		bname[bars] = name[r]
		bval[bars] = f[r, 8]
	}
	noisy = 0
	c = cell(m[1], m[2], m[3])
	printf "memcpy 64 MiB, one core: %s MiB/s%s\n", c,
	    noisy ? " noisy" : ""
	print ""
	print "64 B round trip, p50 us"
	printf "%-11s %-20s %-20s %s\n", "mechanism", "--cpu 0,1",
	    "--cpu 0,0", "x ref"
	for (r = 1; r <= n; r++) {
		if (f[r, 14] == "-")
			continue
		noisy = 0
		x = cell(f[r, 14], f[r, 15], f[r, 16])
		o = cell(f[r, 20], f[r, 21], f[r, 22])
		print trim(sprintf("%-11s %-20s %-20s %-6s %s", name[r], x,
		    o, ratio(f[r, 20], f[r, 23]), noisy ? "noisy" : ""))
	}
	if (spin != "") {
		split(spin, kv, " ")
		for (i in kv) {
			if (kv[i] ~ /^cpu_s=/)
				cs = substr(kv[i], 7)
			if (kv[i] ~ /^seconds=/)
				sec = substr(kv[i], 9)
		}
		printf "shm-spin at 64 KiB burned %s s of CPU in %s s: both", cs,
		    sec
		printf " processes\nrun flat out, waiting or not.\n"
	}
	print ""
	print "Throughput at 64 KiB, MiB/s (one # = 2% of the largest):"
	bname[0] = "memcpy"
	bval[0] = m[1]
	max = 0
	for (i = 0; i <= bars; i++)
		if (bval[i] + 0 > max)
			max = bval[i] + 0
	for (i = 0; i <= bars; i++) {
		w = max > 0 ? int(bval[i] / max * 50 + 0.5) : 0
		bar = ""
		for (j = 0; j < w; j++)
			bar = bar "#"
		printf "%-11s %-50s %s\n", bname[i], bar, num(bval[i])
	}
    }'
printf '\nA 64 KiB message stays in the CPU caches, a 64 MiB memcpy does\n'
printf 'not: shared memory can beat memcpy.  Raw lines, p99 too: %s\n' "$log"
