#!/bin/sh
# valgrind.sh - every demo, and a short run of every other command that
# forks, talks or maps, under valgrind with its children (make valgrind;
# .ci/run runs it).  A command passes when valgrind finds no memory error
# and no definite leak in any process, the command exits 0 and nothing of
# it is left in ipcs, /dev/shm or /dev/mqueue.
# Usage: valgrind.sh BUILDDIR.  Prints "ok N - CMD" or "not ok N - CMD"
# per command, then a summary; exits 1 if any command failed.
set -u
b=${1:?usage: valgrind.sh BUILDDIR}
for d in pipe fifo msgq shm sem socket flock signal; do
	PATH="$b/$d:$PATH"
done
export PATH
if ! command -v valgrind >/dev/null 2>&1; then
	echo "valgrind.sh: valgrind is not installed" >&2
	exit 1
fi

scratch=$(mktemp -d "${TMPDIR:-/tmp}/ipclab-valgrind.XXXXXX") || exit 1
trap 'rm -rf "$scratch"' EXIT
# The run directory of the commands below, so that nothing lands in the
# user's own.
XDG_RUNTIME_DIR=$scratch
export XDG_RUNTIME_DIR
echo hello >"$scratch/file"

# One command a line.  A demo first, then the other commands of the
# chapter with small counts (valgrind runs them some 20 to 50 times
# slower).
commands="ipc-pipe demo
ipc-pipe demo -r
ipc-pipe duplex one two three
ipc-pipe eof --leave-open --timeout 1
ipc-pipe eof
ipc-pipe sigpipe
ipc-pipe sigpipe --ignore
ipc-pipe capacity
ipc-pipe -q atomic -w 3 -n 50 -s 512
ipc-pipe -q bench -n 200
ipc-pipe -q bench -n 200 --latency
ipc-pipe -q bench -n 200 --splice
connect2 echo through a pipe -- cat
ipc-fifo demo
ipc-fifo -q bench -n 200
ipc-fifo -q bench -n 200 --latency
ipc-signal demo
ipc-signal -q bench -n 200
ipc-flock demo -n 20
ipc-flock compare
ipc-flock deadlock -t 5
ipc-flock -q bench -n 200
ipc-flock -q bench -n 200 --ofd
ipc-msgq demo
ipc-msgq --posix demo
ipc-msgq -q bench -n 200
ipc-msgq -q --posix bench -n 200 --latency
ipc-sem counter -w 2 -n 200
ipc-sem counter -w 2 -n 200 --named
ipc-sem counter -w 2 -n 200 --sysv
ipc-sem undo
ipc-shm demo -n 200
ipc-shm --posix demo -n 200
ipc-shm --memfd demo -n 200
ipc-shm mmap
ipc-shm -q bench -n 200
ipc-shm -q bench -n 200 --spin
ipc-shm -q bench -n 200 --spin --latency
ipc-socket demo
ipc-socket pair one two
ipc-socket passfd $scratch/file
ipc-socket cred
ipc-socket -q bench -n 200
ipc-socket -q bench -n 200 --tcp 127.0.0.1:0"

sysv() {
	{ ipcs -q; ipcs -m; ipcs -s; } 2>/dev/null | awk '$1 ~ /^0x/' |
	    sort
}
before=$(sysv)
n=0 bad=0
while IFS= read -r cmd; do
	n=$((n + 1))
	log="$scratch/vg.$n"
	# shellcheck disable=SC2086 # the command is words on purpose
	valgrind -q --trace-children=yes --error-exitcode=99 \
	    --leak-check=full --show-leak-kinds=definite \
	    --errors-for-leak-kinds=definite --log-file="$log.%p" \
	    $cmd >"$log.out" 2>&1 </dev/null
	rc=$?
	why=
	[ "$rc" -eq 99 ] && why="valgrind found errors"
	[ "$rc" -ne 0 ] && [ -z "$why" ] && why="exit status $rc"
	if [ -z "$why" ] && cat "$log".[0-9]* 2>/dev/null | grep -q .; then
		why="valgrind reported"
	fi
	if [ -z "$why" ] && [ "$(sysv)" != "$before" ]; then
		why="left System V objects"
	fi
	for f in /dev/shm/*ipclab* /dev/mqueue/*ipclab*; do
		[ -z "$why" ] && [ -e "$f" ] && why="left $f"
	done
	if [ -z "$why" ]; then
		echo "ok $n - $cmd"
	else
		bad=$((bad + 1))
		echo "not ok $n - $cmd: $why"
		sed 's/^/#   /' "$log.out" | tail -5
		cat "$log".[0-9]* 2>/dev/null | sed 's/^/#   /' | head -40
	fi
done <<EOF
$commands
EOF
echo "valgrind: $n commands, $((n - bad)) clean, $bad failed"
[ "$bad" -eq 0 ]
