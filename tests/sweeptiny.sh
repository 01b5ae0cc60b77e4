#!/bin/sh
# sweeptiny.sh - make bench-sweep at tiny counts: every mechanism and size
# gets a figure or its queue's limit, the SVG is well formed, the text
# chart has a row per mechanism and fits 80 columns, and nothing is left
# behind.  No figure is judged: speed is measured, not tested.
. "${top_srcdir:-.}/tests/tap.sh"
. "${top_srcdir:-.}/tests/objects.sh"
sweep_sh=$(cd "${top_srcdir:-.}" && pwd)/tests/sweep.sh
objects_before

# A ten-thousandth of every count: a few messages a run, seconds in all.
( cd "$SCRATCH" && SWEEP_OUT="$SCRATCH/tiny" SWEEP_COUNT_DIVISOR=10000 \
    timeout -k 2 60 sh "$sweep_sh" "$top_builddir" 3 >.out 2>.err )
is "$?" 0 "the sweep exits 0"
[ -s "$SCRATCH/.err" ] && diag "$(cat "$SCRATCH/.err")"
for f in log svg txt; do
	check "it writes tiny.$f" test -s "$SCRATCH/tiny.$f"
done
check "nothing written under the default names" \
    test ! -e "$SCRATCH/bench-sweep.log"
log=$SCRATCH/tiny.log
txt=$SCRATCH/tiny.txt
svg=$SCRATCH/tiny.svg

like "$(sed 1q "$log")" '^# make bench-sweep, ' "the log opens with its header"
like "$(grep '^# pinning: ' "$log")" '^# pinning: .' "the header names the pinning"

# Every figure the sweep promises: 3 runs of each size, or the limit.
mechs="pipe pipe-splice fifo msgq-sysv msgq-posix shm-sysv shm-posix
shm-spin unix-stream tcp"
sizes="64 256 1024 4096 16384 65536 262144 1048576"
missing=""
for s in $sizes; do
	n=$(grep -c "^sweep=memcpy run=tput mechanism=memcpy size=$s .*mib_per_s=" \
	    "$log")
	[ "$n" = 3 ] || missing="$missing memcpy/$s:$n"
done
for m in $mechs; do
	max=$(sed -n "s/^sweep=$m run=limit max=\([0-9]*\) .*/\1/p" "$log")
	for s in $sizes; do
		if [ -n "$max" ] && [ "$s" -gt "$max" ]; then
			n=$(grep -c "^sweep=$m run=tput .* size=$s " "$log")
			[ "$n" = 0 ] || missing="$missing $m/$s:beyond:$n"
			continue
		fi
		n=$(grep -c "^sweep=$m run=tput .* size=$s .*mib_per_s=" "$log")
		[ "$n" = 3 ] || missing="$missing $m/$s:$n"
	done
done
is "$missing" "" "3 runs of every mechanism and size, or its limit logged"
for m in msgq-sysv msgq-posix; do
	like "$(grep "^sweep=$m run=limit " "$log")" \
	    "^sweep=$m run=limit max=[0-9]+ source=[^ ]+$" \
	    "$m: its largest message is logged"
done
missing=""
for m in pipe fifo msgq-sysv msgq-posix shm-sysv shm-posix shm-spin \
    unix-stream tcp flock-fcntl signal; do
	n=$(grep -c "^sweep=$m run=rtt-cross .*rtt_p50_us=" "$log")
	[ "$n" = 3 ] || missing="$missing $m:$n"
done
is "$missing" "" "3 round trips across CPUs of each mechanism"

# The text chart: a row per mechanism, each size a figure or "limit".
for m in memcpy $mechs; do
	like "$(grep "^$m " "$txt" | sed 1q)" \
	    "^$m( +([0-9.e+-]+k?|limit)\\*?){8}\$" "text chart: a row for $m"
done
is "$(awk 'length > 72' "$txt")" "" \
    "the text chart fits 72 columns, 80 in a manual page"
# "k: thousands." explains a figure such as 148k, and only if one is there.
k=0
grep -Eq '[0-9]k(\*| |$)' "$txt" && k=1
is "$(grep -c '^k: thousands\.$' "$txt")" "$k" \
    "the legend has 'k: thousands.' exactly when a figure is in thousands"
like "$(cat "$SCRATCH/.out")" '[0-9]+ left +pipe +tput +64 B:' \
    "progress: one line per mechanism and size, with what is left"
like "$(tail -n 1 "$SCRATCH/.out")" '^Raw lines: ' "the chart, then the files"

# The SVG: well formed, one root, a line per mechanism and memcpy.
if command -v xmllint >/dev/null 2>&1; then
	check "xmllint --noout: well formed" xmllint --noout "$svg"
else
	# Without xmllint: every element opened is closed, in order.
	bad=$(tr -d '\n' <"$svg" | sed 's/<?[^>]*?>//' |
	    awk 'BEGIN { RS = "<" } NR > 1 {
		t = $0; sub(/>.*/, "", t)
		if (t ~ /\/$/) next
		split(t, w, /[ \t]/); n = w[1]
		if (n ~ /^\//) {
			if (d == 0 || st[d] != substr(n, 2)) { print "bad " n; exit }
			d--
		} else st[++d] = n
	    } END { if (d != 0) print "unclosed " st[d] }')
	is "$bad" "" "every tag of the SVG is balanced (no xmllint here)"
fi
is "$(grep -c '<svg ' "$svg")" 1 "one <svg> element"
like "$(sed -n 2p "$svg")" '^<svg xmlns="http://www.w3.org/2000/svg" ' \
    "the root is <svg>"
is "$(tail -n 1 "$svg")" "</svg>" "and it closes the file"
for m in memcpy $mechs; do
	check "SVG: a line for $m" grep -q "<polyline id=\"$m\" " "$svg"
done
check "SVG: the queue limit is drawn" grep -q 'queue limit' "$svg"

# Refused before it writes anything.
for bad in 2 x; do
	( cd "$SCRATCH" && SWEEP_OUT="$SCRATCH/bad" timeout -k 2 30 \
	    sh "$sweep_sh" "$top_builddir" "$bad" >.out 2>.err )
	is "$?" 2 "RUNS=$bad: exit 2"
	check "RUNS=$bad: no log" test ! -e "$SCRATCH/bad.log"
done

# Its three files aside, nothing: no queue, segment, FIFO or socket.
rm -f "$log" "$svg" "$txt"
if nothing_new; then
	ok "nothing else left behind"
else
	not_ok "nothing else left behind"
	diag "left: $(objects_new | tr '\n' ' ')"
fi
done_testing
