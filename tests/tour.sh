#!/bin/sh
# tour.sh - every chapter's demo, in teaching order (make tour).
# Usage: tour.sh BUILDDIR.  Steps whose program is not built yet are skipped.
set -u
b=${1:?usage: tour.sh BUILDDIR}
for d in pipe fifo msgq shm sem socket flock signal; do
	PATH="$b/$d:$PATH"
done
export PATH

step() {
	title=$1
	shift
	command -v "$1" >/dev/null 2>&1 || return 0
	printf '\n=== %s\n$ %s\n' "$title" "$*"
	if ! "$@"; then
		echo "tour: '$*' failed" >&2
		exit 1
	fi
	sleep 0.1
}

step "Pipes: a child writes, its parent reads" ipc-pipe demo
step "Pipes: EOF only once every write end is closed" \
    ipc-pipe eof --leave-open --timeout 1
step "Pipes: writing when nobody reads" ipc-pipe sigpipe
step "Pipes: small writes are atomic, large ones may tear" \
    ipc-pipe -q atomic -s 512
step "Pipes: the shell's pipeline, built by hand" connect2 ls / -- wc -l
step "FIFOs: a pipe with a name" ipc-fifo demo
step "Signals: standard signals merge, real-time ones queue" ipc-signal demo
step "File locks: a producer and a consumer share a file" ipc-flock demo
step "Message queues: messages with types" ipc-msgq demo
step "Semaphores: a shared counter, guarded" ipc-sem counter
step "Shared memory: a handoff guarded by semaphores" ipc-shm demo
step "Sockets: a server and a client" ipc-socket demo
printf '\n=== End of the tour.  "man -l man/ipclab.7" compares the mechanisms.\n'
