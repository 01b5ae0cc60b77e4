#!/bin/sh
# leftovers.sh - the leftover check itself (objects.sh), which the other
# tests trust to say "nothing left behind":
#   1. it catches a planted leftover of ours of each kind: System V queue,
#      segment and set (under one of our keys, a default key of our run
#      directory, and IPC_PRIVATE with a dead creator); POSIX queue,
#      memory and semaphore (under our $UNIQ, a pid-named name of a dead
#      process, and, while we hold the defaults lock, the default names);
#      a FIFO and a file in the run directory;
#   2. it passes over what is someone else's: another test run's claimed
#      key, name and dead pid, its $UNIQ, a key ftok(3) makes from its
#      scratch directory, a name after a live process that is not this
#      test's, the default names while another script holds their lock;
#   3. as root, another user's objects of every kind, even under our keys
#      and names (tests/neighbour.sh has one churning beside the suite);
#   4. a stuck holder of the defaults lock makes a script bail out in
#      time, not hang.
# tap.sh's run sets rc; 'shellcheck -x' sees that.
# shellcheck disable=SC1091,SC2154
. "${top_srcdir:-.}/tests/tap.sh"
. "${top_srcdir:-.}/tests/objects.sh"

uid=$(id -u)
rd=$XDG_RUNTIME_DIR/ipclab-$uid
base=$((0x7e200000 + ($$ % 100000) * 16))
key() {
	printf '0x%08x' $((base + $1))
}
K1=$(key 1) K2=$(key 2) K3=$(key 3) K4=$(key 4) K5=$(key 5) K6=$(key 6)
claim key "$K1" "$K2" "$K3"
mq=
[ -d /dev/mqueue ] && mountpoint -q /dev/mqueue 2>/dev/null && mq=/dev/mqueue
# A pid no process has any more.  (Under make -j check other scripts'
# objects come and go: the checks that nothing is reported wait them out
# with nothing_new, as the other tests do.)
dead=$(sh -c 'echo $$')

# Whatever happens, remove what we made, then what tap.sh made.
ours_cleanup() {
	for k in $K1 $K2 $K3 $K4 $K5 $K6; do
		ipcrm -Q "$k" -M "$k" -S "$k" 2>/dev/null
	done
	for id in $private; do
		ipcrm "-${id%%:*}" "${id#*:}" 2>/dev/null
	done
	rm -f /dev/shm/*"$UNIQ"* /dev/shm/*"-$dead" "${mq:-/nonexistent}"/*"$UNIQ"*
	[ -n "$other" ] && rm -rf "$other"
	tap_cleanup
}
private='' other=''
trap ours_cleanup EXIT

# reported DESC ID-PATTERN: objects_new reports an object matching the
# extended regular expression.
reported() {
	if objects_new | grep -Eq -- "$2"; then
		ok "caught: $1"
	else
		not_ok "caught: $1"
		diag "objects_new: $(objects_new | tr '\n' ' ')"
	fi
}
# passed_over DESC ID-PATTERN: objects_new does not.
passed_over() {
	if objects_new | grep -Eq -- "$2"; then
		not_ok "passed over: $1"
		diag "objects_new: $(objects_new | tr '\n' ' ')"
	else
		ok "passed over: $1"
	fi
}
# sysv_id KIND KEY: the id of the object of that kind with that key.
sysv_id() {
	awk -v k=$(($2)) 'NR > 1 && $1 == k { print $2 }' "/proc/sysvipc/$1"
}

# 1. Ours, planted --------------------------------------------------------

objects_before
check "nothing new at first" objects_none_new
ipc-msgq -q -k "$K1" send planted
ipc-shm -q -k "$K2" write planted
ipc-sem -q --sysv -k "$K3" create
reported "a System V queue under our key" "^msg:$((K1)):"
reported "a System V segment under our key" "^shm:$((K2)):"
reported "a System V set under our key" "^sem:$((K3)):"
ipc-msgq -q send planted
dkey=$(ipc-msgq -q info | sed -n 's/^key: *//p')
reported "a System V queue under our run directory's default key" \
    "^msg:$((dkey)):"
ipc-msgq -q rm
# IPC_PRIVATE, made by ipcmk, which is gone: a creator no one knows.
for kind in Q M S; do
	case $kind in
	Q) arg= ;;
	M) arg=4096 ;;
	S) arg=1 ;;
	esac
	# shellcheck disable=SC2086 # no argument for -Q
	id=$(ipcmk -"$kind" $arg -p 600 | sed 's/.*: *//')
	case $kind in
	Q) private="$private q:$id" t=msg ;;
	M) private="$private m:$id" t=shm ;;
	S) private="$private s:$id" t=sem ;;
	esac
	reported "a System V $t of ours (ipcmk, now gone) no one claims" \
	    "^$t:-?[0-9]+:$id\$"
done
N=/ipclab-test-$UNIQ
ipc-shm -q --posix -N "$N-shm" write planted
ipc-sem -q -N "$N-sem" create
reported "POSIX memory under our \$UNIQ" "^/dev/shm/ipclab-test-$UNIQ-shm\$"
reported "a POSIX semaphore under our \$UNIQ" "^${SEM_AT}ipclab-test-$UNIQ-sem\$"
if [ -n "$mq" ]; then
	ipc-msgq -q --posix -N "$N-mq" send planted
	reported "a POSIX queue under our \$UNIQ" "^$mq/ipclab-test-$UNIQ-mq\$"
else
	skip "/dev/mqueue is not mounted: POSIX queues cannot be seen"
fi
ipc-shm -q --posix -N "/ipclab-$uid-shm-$dead" write planted
reported "POSIX memory named after a dead pid no one claims" \
    "^/dev/shm/ipclab-$uid-shm-$dead\$"
ipc-fifo -q make "$rd/planted"
reported "a FIFO in the run directory" "^$rd/planted\$"
: >"$rd/file"
reported "a file in the run directory" "^$rd/file\$"
defaults_take
ipc-shm -q --posix write planted
ipc-sem -q create
reported "the default POSIX memory name, while we hold the lock" \
    "^/dev/shm/ipclab-$uid-shm\$"
reported "the default semaphore name, while we hold the lock" \
    "^${SEM_AT}ipclab-$uid-sem\$"
ipc-shm -q --posix rm
ipc-sem -q rm
defaults_give
# Gone again: none of it is reported.
ipc-msgq -q -k "$K1" rm
ipc-shm -q -k "$K2" rm
ipc-sem -q --sysv -k "$K3" rm
for id in $private; do
	ipcrm "-${id%%:*}" "${id#*:}"
done
private=
ipc-shm -q --posix -N "$N-shm" rm
ipc-sem -q -N "$N-sem" rm
[ -z "$mq" ] || ipc-msgq -q --posix -N "$N-mq" rm
ipc-shm -q --posix -N "/ipclab-$uid-shm-$dead" rm
rm -f "$rd/planted" "$rd/file"
is "$(objects_left | tr '\n' ' ')" "" "removed, none of it is reported"

# 2. Another test run's, of our uid -----------------------------------------

# A scratch directory like tap.sh's, its claims, and an object of each
# sort that ties to it.
other=$(mktemp -d "${TMPDIR:-/tmp}/ipclab-test.XXXXXX")
ouniq="t1-$(basename "$other" | sed 's/.*\.//')"
: >"$other/keyfile"
printf 'key %u\nname /%s\npid %s\n' "$K4" "claimed-$$" "$dead" \
    >"$other/.objects.claims"
objects_before
ipc-msgq -q -k "$K4" send theirs
passed_over "a queue under a key another run claimed" "^msg:$((K4)):"
ipc-shm -q --posix -N "/claimed-$$" write theirs
passed_over "a name another run claimed" "claimed-$$"
ipc-shm -q --posix -N "/ipclab-$uid-shm-$dead" write theirs
passed_over "a name after a dead pid another run claimed" "shm-$dead\$"
ipc-sem -q -N "/ipclab-test-$ouniq-sem" create
passed_over "a name with another run's \$UNIQ" "$ouniq"
ipc-shm -q -f "$other/keyfile" -P 9 write theirs
fkey=$(ipc-shm -q -f "$other/keyfile" -P 9 info | sed -n 's/^key: *//p')
passed_over "a key ftok(3) makes from another run's file" "^shm:$((fkey)):"
# A receiver of someone else's (not a process of this test) waits on it.
env -u IPCLAB_TEST_TAG timeout 30 ipc-msgq -q -k "$K5" recv \
    >/dev/null 2>&1 &
stranger=$!
wait_for 5 test -n "$(sysv_id msg "$K5")"
ipc-msgq -q -k "$K5" send "for the stranger"
wait "$stranger"
ipc-msgq -q -k "$K5" send again
# Its last receiver is gone now, its last sender ours: still ours?  The
# queue names the stranger as its last receiver and us as its last
# sender, who are gone too: no one live, no claim, so it counts.
reported "a queue whose last users are gone and claimed by no one" \
    "^msg:$((K5)):"
ipc-msgq -q -k "$K5" rm
# A name after a live process that is not this test's.
env -u IPCLAB_TEST_TAG sleep 30 &
stranger=$!
ipc-shm -q --posix -N "/ipclab-$uid-shm-$stranger" write theirs
passed_over "a name after a live process that is not this test's" \
    "shm-$stranger\$"
ipc-shm -q --posix -N "/ipclab-$uid-shm-$stranger" rm
kill "$stranger"
wait "$stranger" 2>/dev/null
# Another script of this tree holds the defaults lock: a default name is
# its business.  (We take the lock, so that no real script has it, and
# forget for a moment that it is ours.)
defaults_take
held=$tap_defaults_held
tap_defaults_held=''
ipc-shm -q --posix write theirs
passed_over "the default name while another script holds the lock" \
    "^/dev/shm/ipclab-$uid-shm\$"
tap_defaults_held=$held
reported "the same, while this script holds the lock" \
    "^/dev/shm/ipclab-$uid-shm\$"
ipc-shm -q --posix rm
defaults_give
ipc-msgq -q -k "$K4" rm
ipc-shm -q --posix -N "/claimed-$$" rm
ipc-shm -q --posix -N "/ipclab-$uid-shm-$dead" rm
ipc-sem -q -N "/ipclab-test-$ouniq-sem" rm
ipc-shm -q -f "$other/keyfile" -P 9 rm
rm -rf "$other"
other=''
is "$(objects_left | tr '\n' ' ')" "" "all of part 2 is gone"

# 3. Another user's -------------------------------------------------------

nrun=$SCRATCH/neighbour
as="setpriv --reuid=65531 --regid=65531 --clear-groups env XDG_RUNTIME_DIR=$nrun"
if [ "$uid" -ne 0 ] || ! command -v setpriv >/dev/null 2>&1; then
	skip "another user's objects: needs root and setpriv to act as uid 65531"
elif ! $as ipc-msgq --version >/dev/null 2>&1; then
	skip "uid 65531 cannot run $(command -v ipc-msgq)"
else
	mkdir -m 700 "$nrun"
	chown 65531:65531 "$nrun"
	chmod 711 "$SCRATCH"
	objects_before
	# Even under our own keys and names: another user's is never ours.
	# shellcheck disable=SC2086 # $as is words
	{
		$as ipc-msgq -q -k "$K1" send theirs
		$as ipc-shm -q -k "$K2" write theirs
		$as ipc-sem -q --sysv -k "$K3" create
		$as ipc-shm -q --posix -N "$N-shm" write theirs
		$as ipc-sem -q -N "$N-sem" create
		[ -z "$mq" ] || $as ipc-msgq -q --posix -N "$N-mq" send theirs
	}
	# (nothing_new waits out the passing objects of other scripts.)
	left=$(objects_left | tr '\n' ' ')
	n=$(awk -v k=$((K1)) '$1 == k && $8 == 65531' /proc/sysvipc/msg | wc -l)
	is "$n:$left" "1:" "another user's queue, segment, set and POSIX objects, under our keys and names, are not ours"
	# shellcheck disable=SC2086 # $as is words
	{
		$as ipc-msgq -q -k "$K1" rm
		$as ipc-shm -q -k "$K2" rm
		$as ipc-sem -q --sysv -k "$K3" rm
		$as ipc-shm -q --posix -N "$N-shm" rm
		$as ipc-sem -q -N "$N-sem" rm
		[ -z "$mq" ] || $as ipc-msgq -q --posix -N "$N-mq" rm
	}
	rm -rf "$nrun"
fi

# 4. A holder of the defaults lock that never lets go ----------------------

# A script of this tree that is stuck with the lock must not hang ours for
# ever: defaults_take gives up, says which lock, and bails out.  (A lock
# of our own, held by a sleep, stands for the stuck script's.)
stuck=$SCRATCH/stuck.lock
flock -o "$stuck" sleep 60 &
holder=$!
wait_for 5 sh -c "! flock -n '$stuck' true"
out=$(tap_defaults_lock=$stuck tap_defaults_wait=1; defaults_take; echo took)
rc=$?
is "$rc:$out" "99:Bail out! $stuck: held by another script for over 1 s; is a make check of this tree stuck?" \
    "a lock held too long: defaults_take bails out, naming the lock"
pkill -P "$holder" sleep
wait "$holder" 2>/dev/null
out=$(tap_defaults_lock=$stuck tap_defaults_wait=1; defaults_take; \
    defaults_give; echo took)
is "$out" "took" "once the holder is gone, the same lock is taken at once"

is "$(leftovers)" "" "nothing of ours is left running"
done_testing
