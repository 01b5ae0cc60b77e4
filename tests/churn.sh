#!/bin/sh
# churn.sh - a classmate doing the labs on the same machine, for the
# tests: run as another user, beside the suite (tests/neighbour.sh, and
# .ci/run around a whole make check):
#	sh tests/churn.sh BUILDDIR SECONDS [STOPFILE]
# For SECONDS, or until STOPFILE exists, it makes and removes, again and
# again, what a student's labs make: System V queues, segments and sets
# under the programs' default keys and under random ones (ipcmk(1)), and
# the default POSIX queue, memory and semaphore of its user.  Each lives
# a moment, some for a second or more, so the suite's leftover checks
# meet them.  At the end it removes whatever it still has and prints
# "churned N objects".  Not a test itself.
# shellcheck shell=sh
set -u
[ $# -ge 2 ] || { echo "usage: churn.sh BUILDDIR SECONDS [STOPFILE]" >&2; exit 2; }
builddir=$1 seconds=$2 stop=${3:-}
for d in msgq shm sem; do
	PATH="$builddir/$d:$PATH"
done
export PATH
run=$(mktemp -d "${TMPDIR:-/tmp}/ipclab-churn.XXXXXX") || exit 1
XDG_RUNTIME_DIR=$run
export XDG_RUNTIME_DIR
ids=
n=0

# mk KIND ARG: an object with a random key from ipcmk; its id kept.
mk() {
	id=$(ipcmk "-$1" ${2:+"$2"} -p 600 2>/dev/null | sed 's/.*: *//')
	[ -n "$id" ] && ids="$ids $1:$id" && n=$((n + 1))
}

# tidy: remove everything still made.
tidy() {
	for i in $ids; do
		case $i in
		Q:*) ipcrm -q "${i#Q:}" ;;
		M:*) ipcrm -m "${i#M:}" ;;
		S:*) ipcrm -s "${i#S:}" ;;
		esac
	done 2>/dev/null
	ids=
	ipc-msgq -q rm 2>/dev/null
	ipc-shm -q rm 2>/dev/null
	ipc-sem -q --sysv rm 2>/dev/null
	ipc-msgq -q --posix rm 2>/dev/null
	ipc-shm -q --posix rm 2>/dev/null
	ipc-sem -q rm 2>/dev/null
}
trap 'tidy; rm -rf "$run"; echo "churned $n objects"; exit 0' EXIT
trap 'exit 0' INT TERM HUP

end=$(($(date +%s) + seconds))
while [ "$(date +%s)" -lt "$end" ] && { [ -z "$stop" ] || [ ! -e "$stop" ]; }
do
	mk Q
	mk M 4096
	mk S 1
	ipc-msgq -q send "a classmate's message" && n=$((n + 1))
	ipc-shm -q write "a classmate's text" && n=$((n + 1))
	ipc-sem -q --sysv create && n=$((n + 1))
	ipc-msgq -q --posix send "a classmate's message" 2>/dev/null &&
	    n=$((n + 1))
	ipc-shm -q --posix write "a classmate's text" && n=$((n + 1))
	ipc-sem -q create && n=$((n + 1))
	sleep 0.3
	ipc-msgq -q recv >/dev/null
	ipc-shm -q read >/dev/null
	tidy
	sleep 0.1
	# Every tenth round, leave a queue and a segment for a while.
	if [ $((n % 90)) -lt 9 ]; then
		mk Q
		mk M 4096
		sleep 1.5
		tidy
	fi
done
