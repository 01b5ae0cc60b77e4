#!/bin/sh
# honesty.sh - the narration does not lie.  Each demo runs under strace(1),
# one trace file per process; then every narrated call whose line states
# its result ("read(fd[0]) -> 14 bytes", "fork() -> child 812",
# "fcntl(F_SETLK) -> EAGAIN: ...") must be in the trace of the process that
# said it, after the calls that process narrated before it, with the
# result the line gives: the byte count, the descriptor, the id, the child's
# pid, the address, the errno.
#
# A call that is not a system call (sem_wait(), which needs none when the
# semaphore is free) is not looked for.
. "${top_srcdir:-.}/tests/tap.sh"

command -v strace >/dev/null 2>&1 || skip_all "strace is not installed"
strace -f -qq -o /dev/null true 2>/dev/null ||
	skip_all "strace cannot trace here"

# LeakSanitizer cannot run under ptrace: in a sanitizer build, the traced
# programs run without it (the rest of the suite checks for leaks).
ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
export ASAN_OPTIONS

file=$SCRATCH/file
echo 'a line to pass' >"$file"

# The narrated calls with a stated result, one a line, in order:
# "PID NAME ARGS<tab>RESULT", from narration lines "[role PID] ... -> ...".
# The call is the last NAME( before each " -> ".
narrated_calls() {
	narration "$1" | awk '
	{
		pid = $1
		text = substr($0, length(pid) + 2)
		while ((i = index(text, " -> ")) > 0) {
			before = substr(text, 1, i - 1)
			text = substr(text, i + 4)
			name = ""
			while (match(before, /[a-z_][a-z_0-9]*\(/)) {
				name = substr(before, RSTART, RLENGTH - 1)
				args = substr(before, RSTART + RLENGTH)
				before = args
			}
			if (name == "")
				continue
			sub(/\).*/, "", args)
			result = text
			j = index(result, " -> ")
			if (j > 0)
				result = substr(result, 1, j - 1)
			printf "%s %s %s\t%s\n", pid, name, args, result
		}
	}'
}

# check_trace NARRATED TRACE_PREFIX: the lines of NARRATED that the traces
# do not bear out, with why; then "checked N", the calls it looked for.
check_trace() {
	awk -F '\t' -v prefix="$2" '
	function syscalls(name) {
		if (name == "fork")
			return " clone clone3 fork vfork "
		if (name == "waitpid")
			return " wait4 waitid "
		if (name == "open")
			return " open openat "
		if (name == "pipe")
			return " pipe pipe2 "
		if (name == "stat")
			return " stat lstat newfstatat statx fstatat64 stat64 "
		if (name == "accept")
			return " accept accept4 "
		if (name == "semop")
			return " semop semtimedop "
		if (name == "sigqueue")
			return " rt_sigqueueinfo "
		if (name == "sigtimedwait")
			return " rt_sigtimedwait "
		if (name == "sigpending")
			return " rt_sigpending "
		if (name ~ /^(read|write|close|fcntl|flock|ioctl|mmap|socket|socketpair|recvmsg|sendmsg|msgget|msgsnd|msgrcv|semget|semctl|semtimedop|shmget|shmat|shmdt|mq_open|kill)$/)
			return " " name " "
		return ""
	}
	# Load the trace of PID into call[], ret[], line[]; n[pid] calls.
	function load(pid,    f, l, k, s, c) {
		if (pid in n)
			return
		f = prefix "." pid
		k = 0
		while ((getline l < f) > 0) {
			if (l !~ /^[a-z_0-9]+\(/ || l !~ / = /)
				continue
			c = l
			sub(/\(.*/, "", c)
			s = l
			# The result follows the last " = ".
			while ((p = index(s, " = ")) > 0)
				s = substr(s, p + 3)
			k++
			call[pid, k] = c
			ret[pid, k] = s
			line[pid, k] = l
		}
		close(f)
		n[pid] = k
		at[pid] = 0
	}
	# Whether trace line K of PID bears out NAME(ARGS) -> RESULT.
	function fits(pid, k, name, args, result,    r, v, a, b, e) {
		if (index(syscalls(name), " " call[pid, k] " ") == 0)
			return 0
		r = ret[pid, k]
		if (result ~ /^E[A-Z]+/) {
			e = result
			sub(/[^A-Z].*/, "", e)
			if (e == "EWOULDBLOCK")
				e = "EAGAIN"
			return r ~ ("^-1 " e "( |$)")
		}
		if (result ~ /^[A-Z][a-z]+ /) {
			# strerror(3) words: "Bad file descriptor".
			e = result
			sub(/:.*/, "", e)
			return r ~ /^-1 E/ && index(r, "(" e ")") > 0
		}
		if (r ~ /^-1 /)
			return 0
		v = r
		sub(/ .*/, "", v)
		if (name == "fork") {
			match(result, /[0-9]+/)
			return RSTART > 0 && v == substr(result, RSTART, RLENGTH)
		}
		if (name == "waitpid") {
			match(args, /[0-9]+/)
			return RSTART == 0 || v == substr(args, RSTART, RLENGTH)
		}
		if (name == "write" && line[pid, k] ~ /^write\([12],/)
			return 0	# our own narration or output
		if (name == "pipe" || name == "socketpair") {
			a = result
			gsub(/\[[01]\]/, "", a)
			if (!match(a, /[0-9]+[^0-9]+[0-9]+/))
				return 1
			a = substr(a, RSTART, RLENGTH)
			b = a
			sub(/[^0-9].*/, "", a)
			sub(/.*[^0-9]/, "", b)
			return index(line[pid, k], "[" a ", " b "]") > 0
		}
		if (result ~ /^(fd |descriptor |id |shmid |semid )?[0-9]+( |,|;|:|$)/ &&
		    name != "ioctl") {
			a = result
			sub(/^[a-z]+ /, "", a)
			sub(/[^0-9].*/, "", a)
			return v == a
		}
		if (result ~ /^0x[0-9a-f]+/) {
			a = result
			sub(/[^0-9a-fx].*/, "", a)
			return v == a
		}
		if (result ~ /^(granted|released|queued)/)
			return v == "0"
		return 1
	}
	{
		split($1, w, " ")
		pid = w[1]
		name = w[2]
		args = substr($1, length(pid) + length(name) + 3)
		result = $2
		if (syscalls(name) == "")
			next
		load(pid)
		for (k = at[pid] + 1; k <= n[pid]; k++)
			if (fits(pid, k, name, args, result))
				break
		if (k > n[pid]) {
			print "process " pid " said " name "(" args ") -> " \
			    result ", which its trace does not show after its " \
			    "call " at[pid]
			next
		}
		at[pid] = k
		checked++
	}
	END {
		printf "checked %d\n", checked
	}' "$1"
}

# honest DESC CMD...: CMD under strace; every narrated result is true.
honest() {
	desc=$1
	shift
	rm -f "$SCRATCH"/trace.*
	timeout -k 2 60 strace -f -ff -qq -o "$SCRATCH/trace" "$@" \
	    >"$SCRATCH/out" 2>"$SCRATCH/err" </dev/null
	narrated_calls "$SCRATCH/err" >"$SCRATCH/calls"
	check_trace "$SCRATCH/calls" "$SCRATCH/trace" >"$SCRATCH/lies"
	count=$(sed -n 's/^checked //p' "$SCRATCH/lies")
	lies=$(grep -v '^checked ' "$SCRATCH/lies")
	is "$lies" "" "$desc: each of its $count narrated results is in the trace"
	[ "$count" -gt 0 ] || not_ok "$desc: no narrated result was checked"
}

honest "ipc-pipe demo" ipc-pipe demo
honest "ipc-pipe demo --reverse" ipc-pipe demo --reverse
honest "ipc-pipe duplex" ipc-pipe duplex ping pong
honest "ipc-pipe eof" ipc-pipe eof
honest "ipc-pipe sigpipe" ipc-pipe sigpipe
honest "ipc-pipe capacity" ipc-pipe capacity
honest "ipc-pipe atomic" ipc-pipe atomic -s 64 -n 5
honest "connect2" connect2 echo hi -- cat
honest "ipc-fifo demo" ipc-fifo demo
honest "ipc-signal demo" ipc-signal demo -n 3
honest "ipc-flock demo" ipc-flock demo -n 20
honest "ipc-flock lock -- true" ipc-flock lock "$file" -- true
honest "ipc-flock compare" ipc-flock compare
honest "ipc-flock deadlock" ipc-flock deadlock
honest "ipc-msgq demo" ipc-msgq demo
honest "ipc-msgq --posix demo" ipc-msgq --posix demo
honest "ipc-sem counter" ipc-sem counter -n 50
honest "ipc-sem counter --sysv" ipc-sem counter --sysv -n 50
honest "ipc-sem undo" ipc-sem undo -t 0.05
honest "ipc-shm demo" ipc-shm demo -n 20
honest "ipc-shm mmap" ipc-shm mmap
honest "ipc-socket demo" ipc-socket demo
honest "ipc-socket pair" ipc-socket pair ping
honest "ipc-socket passfd" ipc-socket passfd "$file"
honest "ipc-socket cred" ipc-socket cred

# The test itself: a narrated result the trace does not show is caught.
printf '%s\n' "[parent $$] read(fd[0]) -> 14 bytes" >"$SCRATCH/err"
printf '%s\n' 'read(3, "i am the child", 20) = 13' >"$SCRATCH/trace.$$"
narrated_calls "$SCRATCH/err" >"$SCRATCH/calls"
like "$(check_trace "$SCRATCH/calls" "$SCRATCH/trace")" "said read" \
    "a line that claims 14 bytes where the trace read 13 is caught"
# ... and so is a child pid, an errno or an order the trace does not show.
printf '%s\n' "[parent $$] fork() -> child 99999" \
    "[parent $$] fcntl(F_SETLK) -> EAGAIN: held" \
    "[parent $$] msgget(IPC_PRIVATE) -> id 7" \
    "[parent $$] read(3) -> 0: end of file" >"$SCRATCH/err"
printf '%s\n' 'clone(child_stack=NULL, flags=SIGCHLD) = 4242' \
    'fcntl(4, F_SETLK, {l_type=F_WRLCK}) = 0' \
    'read(3, "", 20) = 0' \
    'msgget(IPC_PRIVATE, 0600) = 7' >"$SCRATCH/trace.$$"
narrated_calls "$SCRATCH/err" >"$SCRATCH/calls"
is "$(check_trace "$SCRATCH/calls" "$SCRATCH/trace" | grep -c 'said')" 3 \
    "a wrong child pid, a wrong errno and a call out of order are caught"

check "nothing of ours is left running" wait_for 2 no_leftovers
done_testing
