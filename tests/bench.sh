#!/bin/sh
# bench.sh - every bench at 64 B and 64 KiB, and the 64 B round trip, in
# one table with a bar chart of throughput (make bench).  Every figure is
# the median of three runs with the same CPU pinning, shown with the
# smallest and largest run; the raw key=value lines go to bench.log.
# Two yardsticks come first: memcpy, the ceiling of anything that copies,
# and pipe-ref, the plainest pipe loop, to read ipc-pipe's figure against.
# Usage: bench.sh BUILDDIR.  Mechanisms whose program is not built are left out.
set -u
b=${1:?usage: bench.sh BUILDDIR}
for d in tests pipe fifo msgq shm sem socket flock signal; do
	PATH="$b/$d:$PATH"
done
export PATH
log=bench.log
: >"$log"

# Counts that keep one run well under a second on a small machine, so
# that three runs of everything take a couple of minutes.
n_small=400000
n_large=4096
n_rtt=20000

# The same pinning for every run: sender on CPU 0, receiver on CPU 1, if
# there are two CPUs and this process may use them; else none.
ncpu=$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 1)
cpu=
pinning="none (one CPU)"
if [ "$ncpu" -ge 2 ]; then
	if ipc-pipe -q bench -n 10 --cpu 0,1 >/dev/null 2>&1 ||
	    benchref pipe -n 10 --cpu 0,1 >/dev/null 2>&1; then
		cpu='--cpu 0,1'
		pinning="sender on CPU 0, receiver on CPU 1 (--cpu 0,1)"
	else
		pinning="none (CPUs 0 and 1 may not be used here)"
	fi
fi

# measure KEY COMMAND...: run COMMAND three times, log its lines, and
# print the median, the smallest and the largest value of KEY.
measure() {
	key=$1
	shift
	vals=
	for _ in 1 2 3; do
		line=$("$@") || return 1
		printf '%s\n' "$line" >>"$log"
		vals="$vals$(printf '%s\n' "$line" | tr ' ' '\n' |
		    sed -n "s/^$key=//p")
"
	done
	printf '%s' "$vals" | sort -n |
	    awk '{ v[NR] = $1 } END { print v[2], v[1], v[3] }'
}

# One line per mechanism: name, the command that benches it, and what it
# measures: "tl" throughput and latency, "t" throughput only (splice moves
# a stream), "l" latency only (a signal or a lock carries no payload to
# stream).
mechanisms='pipe-ref|benchref pipe|tl
pipe|ipc-pipe -q bench|tl
pipe-splice|ipc-pipe -q bench --splice|t
fifo|ipc-fifo -q bench|tl
msgq-sysv|ipc-msgq -q bench|tl
msgq-posix|ipc-msgq -q --posix bench|tl
shm-sysv|ipc-shm -q bench|tl
shm-posix|ipc-shm -q --posix bench|tl
shm-spin|ipc-shm -q bench --spin|tl
unix-stream|ipc-socket -q bench|tl
tcp|ipc-socket -q bench --tcp 127.0.0.1:0|tl
flock-fcntl|ipc-flock -q bench|l
signal|ipc-signal -q bench|l'

printf 'Pinning: %s.\n' "$pinning"
printf 'Each figure: the median of 3 runs (smallest-largest); * and noisy:\n'
printf 'the largest run is more than 1.5 times the smallest.  Running...\n\n'

memcpy=$(measure mib_per_s benchref memcpy) || exit 1
printf '%s\n' "$mechanisms" | {
	table=
	while IFS='|' read -r name cmd modes; do
		# shellcheck disable=SC2086 # the command is words on purpose
		set -- $cmd
		command -v "$1" >/dev/null 2>&1 || continue
		small='- - -' large='- - -' rtt='- - -'
		# shellcheck disable=SC2086 # $cpu is zero or two words
		case $modes in
		t*)
			small=$(measure mib_per_s "$@" $cpu -n $n_small -s 64) ||
			    exit 1
			large=$(measure mib_per_s "$@" $cpu -n $n_large -s 64K) ||
			    exit 1
			;;
		esac
		# shellcheck disable=SC2086 # $cpu is zero or two words
		case $modes in
		tl)
			rtt=$(measure rtt_p50_us "$@" $cpu --latency -n $n_rtt \
			    -s 64) || exit 1
			;;
		l)
			rtt=$(measure rtt_p50_us "$@" $cpu --latency -n $n_rtt) ||
			    exit 1
			;;
		esac
		table="$table$name $small $large $rtt
"
	done
	printf '%s' "$table" | awk -v memcpy="$memcpy" '
	    function num(x) {
		return x >= 100 ? sprintf("%.0f", x) : sprintf("%.1f", x)
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
	    BEGIN {
		printf "%-11s %-17s %-20s %s\n", "mechanism",
		    "64 B MiB/s", "64 KiB MiB/s", "RTT p50 us"
	    }
	    {
		noisy = 0
		s = cell($2, $3, $4)
		l = cell($5, $6, $7)
		r = cell($8, $9, $10)
		row = sprintf("%-11s %-17s %-20s %-17s %s", $1, s, l, r,
		    noisy ? "noisy" : "")
		sub(/ +$/, "", row)
		print row
		if ($5 != "-") {
			n++
			name[n] = $1
			v[n] = $5
		}
	    }
	    END {
		split(memcpy, m, " ")
		max = m[1]
		for (i = 1; i <= n; i++)
			if (v[i] + 0 > max + 0)
				max = v[i]
		noisy = 0
		c = cell(m[1], m[2], m[3])
		printf "\nmemcpy of 64 MiB, the ceiling of a copy: %s MiB/s%s\n",
		    c, noisy ? " noisy" : ""
		printf "\nThroughput at 64 KiB, MiB/s (one # = 2%% of the"
		printf " largest):\n"
		name[0] = "memcpy"
		v[0] = m[1]
		for (i = 0; i <= n; i++) {
			w = max > 0 ? int(v[i] / max * 50 + 0.5) : 0
			bar = ""
			for (j = 0; j < w; j++)
				bar = bar "#"
			printf "%-11s %-50s %s\n", name[i], bar, num(v[i])
		}
	    }'
	printf '\nA 64 KiB message stays in the CPU caches, a 64 MiB memcpy does\n'
	printf 'not: shared memory can beat the line above it.\n'
	printf 'Raw lines, with the RTT p99 too: %s\n' "$log"
}
