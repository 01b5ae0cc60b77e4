# benchlib.sh - what bench.sh and sweep.sh share; sourced, not run.
#
# bench_path BUILDDIR: put the build's programs first on PATH.
# bench_pinning: probe whether --cpu 0,1 and --cpu 0,0 may be used here;
#   sets ncpu, cross and one (each "--cpu A,B" or empty) and pinning, a
#   sentence for the log and the reader.
# bench_header TITLE: the header of a log: the date, the machine, the
#   load average and the pinning, each line starting with "#".
# stats: the median, smallest and largest of the numbers on stdin.
# field KEY LINE: the value of KEY in a bench line.
# shellcheck shell=sh

bench_path() {
	for d in tests pipe fifo msgq shm sem socket flock signal; do
		PATH="$1/$d:$PATH"
	done
	export PATH
}

# The same pinning for every run, if there are two CPUs and this process
# may use them; else none, and no one-CPU figures.
# shellcheck disable=SC2034 # for the scripts that source this
bench_pinning() {
	ncpu=$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 1)
	cross="" one=""
	pinning="none (one CPU)"
	if benchref pipe -n 10 --cpu 0,0 >/dev/null 2>&1; then
		one='--cpu 0,0'
		pinning="none across CPUs (one CPU); --cpu 0,0 on one"
		if [ "$ncpu" -ge 2 ] &&
		    benchref pipe -n 10 --cpu 0,1 >/dev/null 2>&1; then
			cross='--cpu 0,1'
			pinning="sender on CPU 0, receiver on CPU 1 (--cpu 0,1); --cpu 0,0 on one CPU"
		fi
	else
		pinning="none (CPUs 0 and 1 may not be used here)"
	fi
}

bench_header() {
	model=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo \
	    2>/dev/null | sed 1q)
	printf '# %s, %s\n' "$1" "$(date -u '+%Y-%m-%d %H:%M UTC')"
	printf '# %s; %s; %s CPUs online\n' "$(uname -srm)" \
	    "${model:-CPU model unknown}" "$ncpu"
	printf '# load average before: %s\n' "$(cut -d' ' -f1-3 \
	    /proc/loadavg 2>/dev/null || echo unknown)"
	printf '# pinning: %s\n' "$pinning"
}

stats() {
	sort -n | awk '{ v[NR] = $1 } END {
		if (NR == 0) { print "- - -"; exit }
		print v[int((NR + 1) / 2)], v[1], v[NR] }'
}

field() {
	printf '%s\n' "$2" | tr ' ' '\n' | sed -n "s/^$1=//p"
}
