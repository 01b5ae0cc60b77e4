#!/bin/sh
# order.sh - narration in a lab report: piped, as students log their runs
# (PROG 2>&1 | tee lab.txt), the lines keep the order things happened in.
#   - A parent's "fork(): making ..." line comes before any line of
#     the child it makes, in every run: the k-th process to speak after
#     the first has k such lines before its first.
#   - A result on stdout comes where it happened among the narration on
#     stderr, not at the end.
. "${top_srcdir:-.}/tests/tap.sh"

RUNS=${IPCLAB_ORDER_RUNS:-20}
file=$SCRATCH/file
echo 'a line to pass' >"$file"

# The first narration line, if any, where a process speaks before its
# fork() line.
first_early() {
	narration "$1" | awk '
	{
		pid = $1
		text = substr($0, length(pid) + 2)
		if (main == "")
			main = pid
		if (!(pid in seen)) {
			seen[pid] = 1
			if (pid != main && ++kids > forks) {
				print NR ": " $0
				exit
			}
		}
		if (text ~ /^fork\(\): making /)
			forks++
	}'
}

# order DESC CMD...: RUNS piped runs of CMD, none out of order.
order() {
	desc=$1
	shift
	bad=0 why=
	i=0
	while [ "$i" -lt "$RUNS" ]; do
		i=$((i + 1))
		timeout -k 2 30 "$@" 2>&1 </dev/null | cat >"$SCRATCH/log"
		early=$(first_early "$SCRATCH/log")
		if [ -n "$early" ]; then
			bad=$((bad + 1))
			why="run $i, line $early"
		fi
	done
	is "$bad" 0 "$desc: in $RUNS piped runs no child speaks before its fork() line"
	[ "$bad" -eq 0 ] || diag "$why"
}

order "ipc-pipe demo" ipc-pipe demo
order "ipc-pipe demo --reverse" ipc-pipe demo --reverse
order "ipc-pipe duplex" ipc-pipe duplex ping pong
order "ipc-pipe eof" ipc-pipe eof
order "ipc-pipe sigpipe" ipc-pipe sigpipe
order "ipc-pipe atomic" ipc-pipe atomic -s 64 -n 5
order "connect2" connect2 true -- true
order "ipc-fifo demo" ipc-fifo demo
order "ipc-signal demo" ipc-signal demo -n 3
order "ipc-flock demo" ipc-flock demo -n 20
order "ipc-flock lock -- true" ipc-flock lock "$file" -- true
order "ipc-flock compare" ipc-flock compare
order "ipc-flock deadlock" ipc-flock deadlock
order "ipc-msgq demo" ipc-msgq demo
order "ipc-msgq --posix demo" ipc-msgq --posix demo
order "ipc-sem counter" ipc-sem counter -n 50
order "ipc-sem undo" ipc-sem undo -t 0.05
order "ipc-shm demo" ipc-shm demo -n 20
order "ipc-shm mmap" ipc-shm mmap
order "ipc-socket demo" ipc-socket demo
order "ipc-socket pair" ipc-socket pair ping
order "ipc-socket passfd" ipc-socket passfd "$file"
order "ipc-socket cred" ipc-socket cred

# stdout among stderr: the result where it happened.
timeout -k 2 30 ipc-pipe eof --leave-open -t 0.3 2>&1 </dev/null |
    cat >"$SCRATCH/log"
r=$(grep -n 'no EOF after' "$SCRATCH/log" | cut -d: -f1)
c=$(grep -n 'no write end is left' "$SCRATCH/log" | cut -d: -f1)
check "ipc-pipe eof --leave-open, piped: the result comes before the close" \
    test -n "$r" -a -n "$c" -a "${r:-0}" -lt "${c:-0}"
timeout -k 2 30 ipc-shm -q write 'text in the segment' >/dev/null 2>&1
timeout -k 2 30 ipc-shm read 2>&1 </dev/null | cat >"$SCRATCH/log"
timeout -k 2 30 ipc-shm -q rm >/dev/null 2>&1
t=$(grep -n '^text in the segment$' "$SCRATCH/log" | cut -d: -f1)
d=$(grep -n 'shmdt' "$SCRATCH/log" | cut -d: -f1)
check "ipc-shm read, piped: the text comes before shmdt" \
    test -n "$t" -a -n "$d" -a "${t:-0}" -lt "${d:-0}"

check "nothing of ours is left running" wait_for 2 no_leftovers
done_testing
