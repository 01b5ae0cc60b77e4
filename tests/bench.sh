#!/bin/sh
# bench.sh - every bench at 64 B and 64 KiB, and the 64 B round trip, in
# one table with a bar chart of throughput (make bench).  The raw
# key=value lines go to bench.log.
# Usage: bench.sh BUILDDIR.  Mechanisms whose program is not built are left out.
set -u
b=${1:?usage: bench.sh BUILDDIR}
for d in pipe fifo msgq shm sem socket flock signal; do
	PATH="$b/$d:$PATH"
done
export PATH
log=bench.log
: >"$log"

# field LINE KEY: the value of KEY=... in LINE.
field() {
	printf '%s\n' "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"
}

# One line per mechanism: name, the command that benches it, and what it
# measures: "tl" throughput and latency, "l" latency only (a signal or a
# lock carries no payload to stream).
mechanisms='pipe|ipc-pipe bench|tl
fifo|ipc-fifo bench|tl
msgq-sysv|ipc-msgq bench|tl
msgq-posix|ipc-msgq --posix bench|tl
shm-sysv|ipc-shm bench|tl
shm-posix|ipc-shm --posix bench|tl
shm-spin|ipc-shm bench --spin|tl
unix-stream|ipc-socket bench|tl
tcp|ipc-socket bench --tcp 127.0.0.1:0|tl
flock-fcntl|ipc-flock bench|l
signal|ipc-signal bench|l'

table=
printf '%s\n' "$mechanisms" | {
	while IFS='|' read -r name cmd modes; do
		# shellcheck disable=SC2086 # the command is words on purpose
		set -- $cmd
		command -v "$1" >/dev/null 2>&1 || continue
		small='' large=''
		if [ "$modes" = tl ]; then
			small=$("$@" -q -s 64) || exit 1
			large=$("$@" -q -s 64K) || exit 1
			rtt=$("$@" -q --latency -s 64) || exit 1
			printf '%s\n%s\n' "$small" "$large" >>"$log"
		else
			rtt=$("$@" -q --latency) || exit 1
		fi
		printf '%s\n' "$rtt" >>"$log"
		table="$table$name $(field "$small" mib_per_s | grep . || echo -) \
$(field "$large" mib_per_s | grep . || echo -) $(field "$rtt" rtt_p50_us) \
$(field "$rtt" rtt_p99_us)
"
	done
	printf '%-12s %14s %14s %12s %12s\n' mechanism "64 B MiB/s" \
	    "64 KiB MiB/s" "RTT p50 us" "RTT p99 us"
	printf '%s' "$table" | awk '{ printf "%-12s %14s %14s %12s %12s\n",
	    $1, $2, $3, $4, $5 }'
	printf '\nThroughput at 64 KiB (one # = 2%% of the fastest):\n'
	printf '%s' "$table" | awk '
	    NF && $3 != "-" { n++; name[n] = $1; v[n] = $3; if ($3 > max) max = $3 }
	    END { for (i = 1; i <= n; i++) {
		w = max > 0 ? int(v[i] / max * 50 + 0.5) : 0
		bar = ""; for (j = 0; j < w; j++) bar = bar "#"
		printf "%-12s %-50s %s\n", name[i], bar, v[i] } }'
	printf '\nRaw lines: %s\n' "$log"
}
