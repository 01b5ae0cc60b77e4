#!/bin/sh
# connect2.sh - connect2 builds CMD1 | CMD2 as a shell does.
. "${top_srcdir:-.}/tests/tap.sh"

# Data flows, large amounts too (no deadlock).
run connect2 -q printf 'a\nb\nc\n' -- wc -l
is "$(printf %s "$out" | tr -d " ")" 3 "three lines pass through the pipe"
run connect2 -q seq 1 200000 -- tail -n 1
is "$out" 200000 "200000 lines pass through, more than the pipe holds"
run connect2 printf 'x\n' -- cat
like "$err" '^\[connect2 [0-9]+\] pipe\(fd\)' "the parent narrates its steps"
like "$err" '\[cmd1 [0-9]+\] close\(fd\[0\]\); dup2\(fd\[1\], 1\)' "the first child narrates its dup2"
like "$err" '\[cmd2 [0-9]+\] close\(fd\[1\]\); dup2\(fd\[0\], 0\)' "the second child narrates its dup2"

# Exit statuses as a shell's.
run connect2 -q true -- true
is "$rc" 0 "true | true: 0"
run connect2 -q true -- false
is "$rc" 1 "true | false: CMD2's status"
run connect2 -q false -- true
is "$rc" 0 "false | true: CMD2's status, CMD1's is ignored"
run connect2 -q sh -c 'exit 3' -- sh -c 'exit 4'
is "$rc" 4 "exit 3 | exit 4: 4"
run connect2 -q -p false -- true
is "$rc" 1 "-p false | true: pipefail gives 1"
run connect2 -q -p sh -c 'exit 3' -- sh -c 'exit 4'
is "$rc" 4 "-p: the rightmost non-zero status wins"
run connect2 -q -p sh -c 'exit 3' -- true
is "$rc" 3 "-p: CMD1's status when CMD2 succeeds"
run connect2 -q true -- "no-such-command-$UNIQ"
is "$rc" 127 "CMD2 not found: 127"
like "$err" "no-such-command-$UNIQ: command not found" "... with the shell's message"
mkdir "$SCRATCH/locked"
chmod 000 "$SCRATCH/locked"
run env PATH="$SCRATCH/locked:$PATH" connect2 -q true -- "no-such-command-$UNIQ"
is "$rc" 127 "not found is 127 even when a PATH directory cannot be searched"
chmod 700 "$SCRATCH/locked"
run connect2 -q -p "no-such-command-$UNIQ" -- true
is "$rc" 127 "-p with CMD1 not found: 127"
printf 'echo hi\n' >"$SCRATCH/noexec"
chmod 644 "$SCRATCH/noexec"
run connect2 -q true -- "$SCRATCH/noexec"
is "$rc" 126 "CMD2 not executable: 126"
run connect2 -q true -- sh -c 'kill -TERM $$'
is "$rc" 143 "CMD2 killed by SIGTERM: 128+15"

# yes | head ends at once, even when the caller ignores SIGPIPE.
run -t 10 connect2 -q yes -- head -n 1
is "$out" y "yes | head -n 1 prints one line"
is "$rc" 0 "... and ends with head's status"
if env --ignore-signal=PIPE true 2>/dev/null; then
	run -t 10 env --ignore-signal=PIPE connect2 -q yes -- head -n 1
	is "$rc" 0 "yes | head ends when SIGPIPE was ignored by the caller"
else
	skip "env has no --ignore-signal"
fi
# The signal mask is inherited too: a caller's blocked SIGPIPE is not
# CMD1's.  With -p, yes's death by SIGPIPE is the status: 128+13.
if env --block-signal=PIPE true 2>/dev/null; then
	run -t 10 env --block-signal=PIPE connect2 -q -p yes -- head -n 1
	is "$rc:$out:$err" "141:y:" \
	    "yes | head ends by SIGPIPE when the caller blocked it"
else
	skip "env has no --block-signal"
fi

# A signal that comes between fork() and execvp() is not lost: strace
# holds each child for a second in getppid(), and SIGTERM comes then.
if command -v strace >/dev/null 2>&1 &&
    strace -f -o /dev/null true 2>/dev/null; then
	ASAN_OPTIONS="${ASAN_OPTIONS:-}:detect_leaks=0" timeout -k 2 20 \
	    strace -f -qq -o /dev/null -e inject=getppid:delay_exit=1000000 \
	    env --default-signal=INT,TERM connect2 -q sleep 30 -- sleep 31 &
	pid=$!
	both_forked() { st=$(pgrep -P "$pid") && c2=$(pgrep -P "$st") &&
	    [ "$(pgrep -P "$c2" | wc -l)" -eq 2 ]; }
	if wait_for 5 both_forked; then
		# shellcheck disable=SC2046 # two pids, split on purpose
		kill -TERM $(pgrep -P "$c2")
	fi
	reap_bg "$pid"
	is "$rc" 143 "SIGTERM before execvp(): the children die of it"
else
	skip "strace cannot trace here"
fi

# Options after CMD1 belong to CMD1.
run connect2 -q echo -q -p -- cat
is "$out" "-q -p" "options after CMD1 are CMD1's"
# shellcheck disable=SC2016 # $1 is the inner shell's
run connect2 -q echo x -- sh -c 'echo "$1"' sh --
is "$out" "--" "the first lone -- separates; a later one is CMD2's"

# No stray descriptors: the commands see what a shell's would, and what
# the caller gave (fd 7 here) passes through.
expect=$(sh -c 'ls /proc/self/fd | cat' 7</dev/null)
run connect2 -q ls /proc/self/fd -- cat 7</dev/null
is "$out" "$expect" "CMD1 holds the same descriptors as in a shell pipeline"
expect=$(true | sh -c 'ls /proc/$$/fd' 7</dev/null)
run connect2 -q true -- sh -c 'ls /proc/$$/fd' 7</dev/null
is "$out" "$expect" "CMD2 holds the same descriptors as in a shell pipeline"

# A signal to connect2 stops both commands.
bg connect2 -q sleep 30 -- sleep 31
pid=$bg_pid
wait_for 5 sh -c "pgrep -P $pid >/dev/null" || true
sleep 0.2
kill -TERM "$pid"
reap_bg "$pid"
is "$rc" 143 "SIGTERM: connect2 dies of it"
check "both commands are gone" wait_for 3 test -z "$(leftovers)"

# Help, version, usage errors.
run connect2 --help
like "$out" '^Usage: connect2 \[-p\] \[-q\] CMD1' "--help prints usage on stdout"
is "$rc" 0 "--help exits 0"
run connect2 --version
like "$out" '^connect2 \(ipclab\) ' "--version"
usage_error "no arguments" connect2
usage_error "no --" connect2 ls
usage_error "nothing after --" connect2 ls --
usage_error "nothing before --" connect2 -q -- -- wc
usage_error "unknown option" connect2 -x ls -- wc
usage_error "unknown long option" connect2 --frob ls -- wc

is "$(leftovers)" "" "nothing of ours is left running"
done_testing
