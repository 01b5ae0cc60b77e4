#!/bin/sh
# neighbour.sh - the labs beside a classmate.  A second user (uid 65531)
# runs tests/churn.sh, making and removing System V queues, segments and
# sets and POSIX names, while this test does the labs over and over as
# ourselves, each round with the leftover check the other tests use.
# Whatever the classmate has at the moment, none of it may be taken for
# ours, and a leftover of ours planted among theirs must still be caught.
# Needs root, to act as the classmate; .ci/run also runs the whole suite
# beside tests/churn.sh, as root and as uid 65534.
# shellcheck disable=SC1091
. "${top_srcdir:-.}/tests/tap.sh"
. "${top_srcdir:-.}/tests/objects.sh"

seconds=20
nrun=$SCRATCH/neighbour
as="setpriv --reuid=65531 --regid=65531 --clear-groups env TMPDIR=$nrun"
[ "$(id -u)" -eq 0 ] || skip_all "needs root to act as a second user"
command -v setpriv >/dev/null 2>&1 || skip_all "needs setpriv"
command -v ipcmk >/dev/null 2>&1 || skip_all "needs ipcmk"
mkdir -m 700 "$nrun"
chown 65531:65531 "$nrun"
chmod 711 "$SCRATCH"
# shellcheck disable=SC2086 # $as is words
$as "$top_builddir/msgq/ipc-msgq" --version >/dev/null 2>&1 ||
    skip_all "uid 65531 cannot run $top_builddir/msgq/ipc-msgq"

key=$((0x7e300000 + ($$ % 100000) * 16))
claim key "$key"
# shellcheck disable=SC2086 # $as is words
$as sh "${top_srcdir:-.}/tests/churn.sh" "$top_builddir" "$seconds" \
    "$nrun/stop" >"$SCRATCH/churn.out" 2>&1 &
churner=$!

# theirs: how many objects uid 65531 has now.
theirs() {
	{
		awk 'NR > 1 && $8 == 65531' /proc/sysvipc/msg /proc/sysvipc/shm
		awk 'NR > 1 && $5 == 65531' /proc/sysvipc/sem
		find /dev/shm /dev/mqueue -maxdepth 1 -uid 65531 2>/dev/null
	} | wc -l
}

# Made now, so that it is no news later.
: >"$SCRATCH/round.err"
rounds=0 bad=0 seen=0
end=$(($(date +%s) + seconds - 2))
while [ "$(date +%s)" -lt "$end" ]; do
	rounds=$((rounds + 1))
	objects_before
	{
		ipc-msgq -q demo
		ipc-msgq -q send "round $rounds"
		ipc-msgq -q recv
		ipc-msgq -q rm
		ipc-shm -q demo
		ipc-shm -q write "round $rounds"
		ipc-shm -q read
		ipc-shm -q rm
		ipc-sem -q counter -n 1000
		ipc-sem -q --sysv create
		ipc-sem -q --sysv rm
		ipc-msgq -q --posix -N "/ipclab-test-$UNIQ" send "round $rounds"
		ipc-msgq -q --posix -N "/ipclab-test-$UNIQ" rm
	} >/dev/null 2>"$SCRATCH/round.err" </dev/null ||
	    diag "round $rounds failed: $(cat "$SCRATCH/round.err")"
	[ "$(theirs)" -gt 0 ] && seen=$((seen + 1))
	if ! nothing_new; then
		bad=$((bad + 1))
		diag "round $rounds: taken for ours: $(objects_new | tr '\n' ' ')"
	fi
done
is "$bad" 0 "$rounds rounds of the labs beside the classmate: none of theirs taken for ours"
check "the classmate had objects during $seen of the $rounds rounds" \
    test "$seen" -gt 0

# A leftover of ours, planted while they still churn, is caught.
objects_before
ipc-msgq -q -k "$key" send planted
ipc-shm -q --posix -N "/ipclab-test-$UNIQ" write planted
objects_new >"$SCRATCH/left"
check "a planted queue and POSIX object of ours are reported among theirs" \
    test "$(grep -c -e "^msg:$((key)):" -e "^/dev/shm/ipclab-test-$UNIQ\$" \
    "$SCRATCH/left")" -eq 2
ipc-msgq -q -k "$key" rm
ipc-shm -q --posix -N "/ipclab-test-$UNIQ" rm

: >"$nrun/stop"
wait "$churner"
like "$(cat "$SCRATCH/churn.out")" "^churned [1-9][0-9]* objects\$" \
    "the classmate made and removed objects all along"
is "$(theirs)" 0 "the classmate left nothing"
is "$(leftovers)" "" "nothing of ours is left running"
done_testing
