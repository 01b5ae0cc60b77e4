#!/bin/sh
# badinput.sh - every program meets bad input the way DESIGN.md promises:
# a usage error is one "PROG: " line and the "Try 'PROG --help'" line on
# stderr, nothing on stdout, exit 2; bad input that is not a usage error
# (a missing file, a pid that does not exist) is "PROG: ..." and exit 1.
# Either way nothing is created: not in the run directory, the scratch
# directory, /dev/shm, /dev/mqueue or ipcs.
#
# The tables are here-documents, one case a line: "DESCRIPTION | PROG ARG...".
# The command part is split as the shell would (eval), so quotes and the
# variables below work in it.
# tap.sh's run sets out, err and rc; 'shellcheck -x' sees that; the
# variables for the tables are used through eval (SC2034).
# shellcheck disable=SC1091,SC2034,SC2154
. "${top_srcdir:-.}/tests/tap.sh"
. "${top_srcdir:-.}/tests/objects.sh"

# A POSIX name of 300 characters, longer than NAME_MAX.
long=$(printf '%300s' '' | tr ' ' n)
# A socket path longer than sun_path (108 bytes) holds.
longsock=$SCRATCH/$(printf '%120s' '' | tr ' ' s)
# 2^64: one more than the largest unsigned 64-bit number.
big=18446744073709551616
x=$SCRATCH/x
# A FIFO, no file to lock: ipc-flock refuses it rather than wait in open().
mkfifo "$SCRATCH/ff"
# A pid no process has: one above the largest the kernel hands out.
nopid=$(($(cat /proc/sys/kernel/pid_max) + 1))
me=$$
rd=$XDG_RUNTIME_DIR/ipclab-$(id -u)
# Run directories someone else prepared: a symlink to a directory of
# theirs, and a file.
uid=$(id -u)
mkdir "$SCRATCH/theirs" "$SCRATCH/link" "$SCRATCH/file"
ln -s "$SCRATCH/theirs" "$SCRATCH/link/ipclab-$uid"
: >"$SCRATCH/file/ipclab-$uid"

# cases EXPECTED: run each case of the here-document on stdin and check
# it ends with status EXPECTED (2 for usage errors) in the promised form.
cases() {
	tap_want=$1
	while IFS='|' read -r desc cmd; do
		case $desc in '' | '#'*) continue ;; esac
		desc=$(printf '%s' "$desc" | sed 's/[[:space:]]*$//')
		eval "set -- $cmd"
		# env VAR=VALUE PROG ...: the program is the first word after.
		prog=$1
		for a; do
			case $a in
			env | *=*) ;;
			*) prog=$a; break ;;
			esac
		done
		objects_before
		run -t 10 "$@" </dev/null
		first=$(printf '%s\n' "$err" | head -n 1)
		second=$(printf '%s\n' "$err" | sed -n 2p)
		why=
		[ "$rc" -eq "$tap_want" ] || why="$why exit $rc;"
		[ -z "$out" ] || why="$why output on stdout;"
		case $first in
		"$prog: "*) ;;
		*) why="$why stderr does not begin with '$prog: ';" ;;
		esac
		# DESIGN.md: with no command at all, the usage itself follows.
		case $tap_want:$desc:$second in
		1:*) ;;
		2:*:"Try '$prog --help' for more information.") ;;
		"2:no command"*":Usage: $prog "*) ;;
		*) why="$why no Try line second;" ;;
		esac
		if ! nothing_new; then
			why="$why left behind: $(objects_new |
			    tr '\n' ' ');"
		fi
		if [ -z "$why" ]; then
			ok "exit $tap_want: $desc"
		else
			not_ok "exit $tap_want: $desc"
			diag "command: $*" "problem:$why" "stdout: $out" \
			    "stderr: $(printf '%s\n' "$err" | head -n 4)"
		fi
	done
}

# Usage errors: exit 2.
cases 2 <<'EOF'
no command                         | ipc-pipe
no command                         | connect2
no command                         | ipc-fifo
no command                         | ipc-signal
no command                         | ipc-flock
no command                         | ipc-msgq
no command                         | ipc-sem
no command                         | ipc-shm
no command                         | ipc-socket
unknown command                    | ipc-pipe frobnicate
unknown command                    | ipc-fifo frobnicate
unknown command                    | ipc-signal frobnicate
unknown command                    | ipc-flock frobnicate
unknown command                    | ipc-msgq frobnicate
unknown command                    | ipc-sem frobnicate
unknown command                    | ipc-shm frobnicate
unknown command                    | ipc-socket frobnicate
unknown option                     | ipc-pipe demo --frobnicate
unknown option                     | connect2 --frobnicate true -- cat
unknown short option               | connect2 -x true -- cat
unknown option                     | ipc-fifo --frobnicate demo
unknown option                     | ipc-signal demo -Z
unknown option                     | ipc-flock demo --frobnicate
unknown option                     | ipc-msgq info --frobnicate
unknown option                     | ipc-sem counter --frobnicate
unknown option                     | ipc-shm demo --frobnicate
unknown option                     | ipc-socket pair --frobnicate
connect2: no CMD2                  | connect2 true --
connect2: no -- between commands   | connect2 true
no command, only --                | connect2 --
capacity's --set for demo          | ipc-pipe demo --set 4096
write's --nonblock for read        | ipc-fifo read "$x" --nonblock
supervise's --hang for catch       | ipc-signal catch --hang 1
lock's --nowait for test           | ipc-flock test "$x" --nowait
recv's --truncate for info         | ipc-msgq info --truncate
wait's --try for post              | ipc-sem post --try
demo's --no-sem for read           | ipc-shm read --no-sem
serve's --once for pair            | ipc-socket pair --once
non-numeric count                  | ipc-pipe atomic -n abc
non-numeric workers                | ipc-signal supervise -w x
non-numeric workers                | ipc-sem counter -w two
count with junk after it           | ipc-shm demo -n 12x
size with a bad suffix             | ipc-socket bench -s 12Q
non-numeric count                  | ipc-flock demo -n many
non-numeric type                   | ipc-msgq recv -t one
negative writers                   | ipc-pipe atomic -w -1
negative count                     | ipc-flock demo -n -5
negative type for send             | ipc-msgq send -t -1 hi
negative priority                  | ipc-msgq --posix -N "/$UNIQ" send -p -1 hi
negative initial value             | ipc-sem -N "/$UNIQ" create -V -1
negative timeout                   | ipc-signal supervise -t -1
zero count                         | ipc-pipe bench -n 0
zero workers                       | ipc-signal supervise -w 0
zero workers                       | ipc-sem counter -w 0
type 0 for send                    | ipc-msgq send -t 0 hi
zero size                          | ipc-shm bench -s 0
zero count                         | ipc-socket bench -n 0
2^64 bytes of pipe                 | ipc-pipe capacity --set "$big"
2^64 messages                      | ipc-fifo bench -n "$big"
key 2^64                           | ipc-msgq -k "$big" info
pid 2^64                           | ipc-signal send "$big" TERM
2^64 bytes per message             | ipc-shm bench -s "$big"
initial value 2^64                 | ipc-sem -N "/$UNIQ" create -V "$big"
a 300-character queue name         | ipc-msgq --posix -N "/$long" send hi
a 300-character object name        | ipc-shm --posix -N "/$long" write hi
a 300-character semaphore name     | ipc-sem -N "/$long" create
a queue name with a second /       | ipc-msgq --posix -N "/$UNIQ/b" send hi
an object name with a second /     | ipc-shm --posix -N "/$UNIQ/b" write hi
a semaphore name with a second /   | ipc-sem -N "/$UNIQ/b" create
a queue name without leading /     | ipc-msgq --posix -N "$UNIQ" send hi
an object name without leading /   | ipc-shm --posix -N "$UNIQ" write hi
a semaphore name without leading / | ipc-sem -N "$UNIQ" create
HOST:PORT without a port           | ipc-socket serve --tcp 127.0.0.1
HOST:PORT with port 70000          | ipc-socket serve --tcp 127.0.0.1:70000
HOST:PORT with a word for port     | ipc-socket connect --tcp 127.0.0.1:http x
HOST:PORT empty                    | ipc-socket bench --tcp ''
an unknown signal name             | ipc-signal send "$me" SIGFROB
an unknown signal name             | ipc-signal catch FROB
signal number 999                  | ipc-signal send "$me" 999
a mode that is not octal           | ipc-fifo make "$x" -m 999
a mode that is not octal           | ipc-msgq send -m 8888 hi
a mode in letters                  | ipc-sem -N "/$UNIQ" create -m rw
a mode with set-id bits            | ipc-shm write hi -m 4600
a key that is not a number         | ipc-msgq -k xyz info
a key of 0x and nothing            | ipc-shm -k 0x info
a key that is not a number         | ipc-sem --sysv -k zz value
ftok project 256                   | ipc-shm -P 256 info
a missing PATH                     | ipc-fifo make
a missing FILE                     | ipc-socket passfd
a missing FILE                     | ipc-socket sendfd
a missing PID and SIGNAL           | ipc-signal send
a missing SIGNAL                   | ipc-signal send "$me"
a missing FILE                     | ipc-flock lock
a missing FILE                     | ipc-flock test
an option without its argument     | ipc-msgq info -k
an option without its argument     | ipc-pipe atomic -n
too many arguments                 | ipc-pipe demo a b
too many arguments                 | ipc-fifo rm "$x" "$x.2"
too many arguments                 | ipc-flock test "$x" "$x.2"
too many arguments                 | ipc-sem post extra
too many arguments                 | ipc-shm read extra
too many arguments                 | ipc-socket serve "$x" "$x.2"
too many arguments                 | ipc-signal send "$me" 0 5 6
too many arguments                 | ipc-msgq info extra
a socket path too long             | ipc-socket serve "$longsock"
a socket path too long             | ipc-socket connect "$longsock" hi
a socket path too long             | ipc-socket recvfd "$longsock"
--cpu with one CPU                 | ipc-pipe bench --cpu 0
--cpu not numbers                  | ipc-shm bench --cpu a,b
--cpu negative                     | ipc-msgq bench --cpu -1,0
an empty abstract name             | ipc-socket serve --abstract ''
an abstract name too long          | ipc-socket serve --abstract "$long"
a host that is no address          | ipc-socket connect --tcp 256.1.1.1:80 x
--maxmsg 0                         | ipc-msgq --posix -N "/$UNIQ" --maxmsg 0 send hi
--msgsize 0                        | ipc-msgq --posix -N "/$UNIQ" --msgsize 0 send hi
a segment of 0 bytes               | ipc-shm write hi -s 0
a negative timeout                 | ipc-sem -N "/$UNIQ" wait -t -1
a timeout of nan seconds           | ipc-sem -N "/$UNIQ" wait -t nan
a timeout of inf seconds           | ipc-pipe eof -t inf
a timeout of 1e999 seconds         | ipc-sem -N "/$UNIQ" wait -t 1e999
--hang with junk seconds           | ipc-signal supervise --hang 1@x
--hang worker 0                    | ipc-signal supervise --hang 0
--interval 0                       | ipc-signal supervise --interval 0
a negative --run                   | ipc-signal supervise --run -1
100000 workers                     | ipc-signal supervise -w 100000
100000 workers                     | ipc-sem counter -w 100000 -n 1
100000 writers                     | ipc-pipe atomic -w 100000 -n 1
a VALUE that is no number          | ipc-signal send "$me" 0 notanumber
a negative --start                 | ipc-flock test "$x" --start -1
a negative --len                   | ipc-flock test "$x" --len -1
--start 2^64                       | ipc-flock test "$x" --start "$big"
--flock and --ofd                  | ipc-flock test "$x" --flock --ofd
a range for --flock                | ipc-flock lock "$x" --flock --start 5
a negative recv count              | ipc-msgq recv -c -1
a receive buffer of 0 bytes        | ipc-msgq recv -s 0 --nowait
two counter modes                  | ipc-sem counter --named --sysv
two counter modes                  | ipc-sem counter --no-lock --named
key 0, which is IPC_PRIVATE        | ipc-msgq -k 0 send hi
key 0, which is IPC_PRIVATE        | ipc-shm -k 0 write hi
key 0, which is IPC_PRIVATE        | ipc-sem --sysv -k 0 create
ftok project 0                     | ipc-shm -P 0 -f "$x" info
a pipe size of 0                   | ipc-pipe capacity --set 0
a negative pipe size               | ipc-pipe capacity --set -1
a bench message of 1 GiB           | ipc-shm bench -s 1G -n 1
a bench message of 1 GiB           | ipc-msgq bench -s 1G -n 1
a bench message of 1 GiB           | ipc-socket bench -s 1G -n 1
-N without --posix                 | ipc-msgq -N "/$UNIQ" send hi
EOF

check "usage errors do not even make the run directory" test ! -e "$rd"

# What was typed is quoted in the error: a newline in it, or a terminal's
# escape sequence, is shown as \n or \033, so the error stays one line
# and cannot repaint the terminal.
nl='
'
esc=$(printf '\033')
run ipc-pipe -q demo -s "1${nl}x"
is "$rc:$err" "2:ipc-pipe: -s: '1\\nx' is not a size (a number, optionally followed by K, M or G)
Try 'ipc-pipe --help' for more information." \
    "a newline in a value: shown as \\n, the error one line"
run ipc-fifo "bogus${esc}[31m"
is "$rc:$err" "2:ipc-fifo: unknown command 'bogus\\033[31m'
Try 'ipc-fifo --help' for more information." \
    "an escape sequence in a command's name: shown as \\033"

# Bad input that is not a usage error: exit 1, and still nothing made.
# With -q, so the error is the first line.
cases 1 <<'EOF'
a FIFO that is not there           | ipc-fifo -q rm "$x"
a POSIX queue that is not there    | ipc-msgq -q --posix -N "/$UNIQ" info
a System V queue that is not there | ipc-msgq -q info
a POSIX object that is not there   | ipc-shm -q --posix -N "/$UNIQ" read
a System V segment not there       | ipc-shm -q rm
a semaphore that is not there      | ipc-sem -q -N "/$UNIQ" value
a semaphore set that is not there  | ipc-sem -q --sysv rm
a socket that is not there         | ipc-socket -q connect "$x" hi
a file that is not there           | ipc-socket -q passfd "$x"
a pid that does not exist          | ipc-signal -q send "$nopid" TERM
a file to test that is not there   | ipc-flock -q test "$x"
an empty path                      | ipc-fifo -q make ''
a file to send that is not there   | ipc-socket -q sendfd "$x" "$x.2"
a socket path that is a directory  | ipc-socket -q serve "$SCRATCH"
a FIFO path that is a directory    | ipc-fifo -q read "$SCRATCH"
a named semaphore not there: post  | ipc-sem -q -N "/$UNIQ" post
a named semaphore not there: wait  | ipc-sem -q -N "/$UNIQ" wait --try
a named semaphore not there: rm    | ipc-sem -q -N "/$UNIQ" rm
a POSIX object not there: rm       | ipc-shm -q --posix -N "/$UNIQ" rm
a POSIX queue not there: recv      | ipc-msgq -q --posix -N "/$UNIQ" recv --nowait
a POSIX queue not there: rm        | ipc-msgq -q --posix -N "/$UNIQ" rm
a System V queue not there: recv   | ipc-msgq -q recv --nowait
a System V segment not there: read | ipc-shm -q read
a semaphore set not there: post    | ipc-sem -q --sysv post
a directory to lock                | ipc-flock -q lock "$SCRATCH"
a FIFO to lock                     | ipc-flock -q lock --shared "$SCRATCH/ff"
a FIFO to test                     | ipc-flock -q test "$SCRATCH/ff"
a device to lock                   | ipc-flock -q lock /dev/null -- true
an abstract name nobody listens at | ipc-socket -q connect --abstract "$UNIQ" hi
a run directory that is a symlink  | env XDG_RUNTIME_DIR="$SCRATCH/link" ipc-fifo -q bench -n 1
a run directory that is a symlink  | env XDG_RUNTIME_DIR="$SCRATCH/link" ipc-msgq -q info
a run directory that is a symlink  | env XDG_RUNTIME_DIR="$SCRATCH/link" ipc-shm -q write hi
a run directory that is a symlink  | env XDG_RUNTIME_DIR="$SCRATCH/link" ipc-sem -q --sysv create
a run directory that is a symlink  | env XDG_RUNTIME_DIR="$SCRATCH/link" ipc-socket -q serve --once
a run directory that is a file     | env XDG_RUNTIME_DIR="$SCRATCH/file" ipc-fifo -q demo
a run directory that is a file     | env XDG_RUNTIME_DIR="$SCRATCH/file" ipc-socket -q demo
EOF

# An argument that starts with a dash is read as options; the error names
# the option and, when the word looks like an argument, ends with the
# hint of "--".  After "--" the same word is an argument.
hint="(to pass an argument that starts with '-', put it after --)"
# dashed DESC EXPECTED-FIRST-LINE CMD...: exit 2 and that first line.
dashed() {
	tap_desc=$1 tap_line=$2
	shift 2
	run "$@" </dev/null
	is "$rc:$(printf '%s\n' "$err" | head -n 1)" "2:$tap_line" "$tap_desc"
}
dashed "a message that starts with a dash: the hint of --" \
    "ipc-pipe: unknown option -e in '-hello' $hint" ipc-pipe demo -hello
dashed "a negative number: the hint of --" \
    "ipc-signal: unknown option -5 $hint" ipc-signal send "$$" RTMIN -5
dashed "the locked command's own option: the hint of --" \
    "ipc-flock: unknown option -l $hint" ipc-flock lock "$SCRATCH/f" ls -l
dashed "a mistyped option before any argument: no hint" \
    "ipc-msgq: unknown option -z" ipc-msgq send -z hi
dashed "connect2's command words are not ours: no hint" \
    "connect2: unknown option -5" connect2 -5 -- cat
run ipc-pipe -q demo -- -hello
is "$rc:$out" "0:received string: -hello" "ipc-pipe demo -- -hello sends '-hello'"
run ipc-flock -q lock "$SCRATCH/f" -- ls -l "$SCRATCH/f"
like "$rc:$out" "^0:-rw------- .*$SCRATCH/f\$" \
    "ipc-flock lock FILE -- ls -l FILE runs ls -l"
rm -f "$SCRATCH/f"
bg ipc-signal catch >"$SCRATCH/catch.out" 2>/dev/null
catcher=$bg_pid
if wait_for 5 first_child "$catcher" &&
    wait_for 5 grep -q "waits for" "$SCRATCH/catch.out"; then
	run ipc-signal -q send "$child" RTMIN -- -5
	wait_for 5 grep -q "^SIGRTMIN" "$SCRATCH/catch.out"
	kill -s INT "$child"
fi
reap_bg "$catcher"
like "$(grep '^SIGRTMIN' "$SCRATCH/catch.out")" "^SIGRTMIN from pid [0-9]+ uid [0-9]+ value -5 \\(sigqueue\\)\$" \
    "ipc-signal send PID RTMIN -- -5 queues SIGRTMIN with the value -5"

# Started with descriptor 0, 1 or 2 closed: the number is held, so no
# FIFO, socket or file of ours gets it and takes in narration or output;
# using it fails as on a closed descriptor.
run sh -c 'ipc-fifo demo 2>&-'
is "$rc:$out" "0:size of the FIFO while 6 bytes wait in it: 0
received string: 12345" "ipc-fifo demo 2>&-: the narration does not go into the FIFO"
run sh -c 'ipc-flock demo -n 300 2>&-'
is "$rc:$(printf '%s\n' "$out" | grep '^produced')" \
    "0:produced 300, consumed 300, lost 0, duplicated 0" \
    "ipc-flock demo 2>&-: no narration in the shared file"
sock=$SCRATCH/closed.sock
bg ipc-socket -q serve --once "$sock" >/dev/null
server=$bg_pid
wait_for 5 listening "$sock"
# shellcheck disable=SC2016 # $1 is the inner sh's
run -t 10 sh -c 'ipc-socket -q connect "$1" <&-' sh "$sock"
is "$rc:$err" "1:ipc-socket: read standard input: Bad file descriptor" \
    "ipc-socket connect <&-: fails at once, as on a closed stdin, not reading its own socket"
kill -s TERM "$server" 2>/dev/null
reap_bg "$server"
run sh -c 'ipc-pipe -q demo >&-'
is "$rc:$err" "1:ipc-pipe: write error on standard output: Bad file descriptor" \
    "ipc-pipe demo >&-: stdout closed is still a write error"
rm -f "$sock"

left=$(leftovers)
is "$left" "" "nothing of ours is left running"
done_testing
