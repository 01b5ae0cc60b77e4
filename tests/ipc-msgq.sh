#!/bin/sh
# ipc-msgq.sh - what a student would check by hand about ipc-msgq.
. "${top_srcdir:-.}/tests/tap.sh"

uid=$(id -u)
# Keys of our own (0x07100000 and up: never an ftok key of project 'q'),
# and POSIX names carrying $UNIQ, so two runs at once never meet.
base=$((0x7100000 + ($$ % 100000) * 16))
key() {
	printf '0x%08x' $((base + $1))
}
K1=$(key 1) K2=$(key 2) K3=$(key 3) K4=$(key 4) K5=$(key 5) K6=$(key 6)
K7=$(key 7) K8=$(key 8)
N1=/ipclab-test-$UNIQ-1 N2=/ipclab-test-$UNIQ-2 N3=/ipclab-test-$UNIQ-3
N4=/ipclab-test-$UNIQ-4 N5=/ipclab-test-$UNIQ-5 N6=/ipclab-test-$UNIQ-6
keys="$K1 $K2 $K3 $K4 $K5 $K6 $K7 $K8"
# shellcheck disable=SC2086 # a list of keys
claim key $keys
# The per-user default POSIX queue is used below: hold it alone.
defaults_take
names="$N1 $N2 $N3 $N4 $N5 $N6"

# Whatever happens, remove what we made, then what tap.sh made.
ours_cleanup() {
	for k in $keys $ftok_key; do
		ipcrm -Q "$k" 2>/dev/null
	done
	for n in $names; do
		ipc-msgq -q --posix rm -N "$n" 2>/dev/null
	done
	tap_cleanup
}
ftok_key=
trap ours_cleanup EXIT

# ipcs_row KEY: the queue's line in "ipcs -q", if there is one.
ipcs_row() {
	ipcs -q | awk -v k="$1" '$1 == k'
}

# queue_id ID: true while /proc/sysvipc/msg lists a queue with that id.
queue_id() {
	awk -v id="$1" 'NR > 1 && $2 == id { found = 1 } END { exit !found }' \
	    /proc/sysvipc/msg
}

# field NAME: the value after "NAME:" in $out (info's output).
field() {
	printf '%s\n' "$out" | sed -n "s/^$1: *//p"
}

# The mqueue file system shows POSIX queues as files; mount it if we may.
mq=
if mountpoint -q /dev/mqueue 2>/dev/null; then
	mq=/dev/mqueue
elif [ "$uid" -eq 0 ] && mkdir -p /dev/mqueue 2>/dev/null &&
    mount -t mqueue none /dev/mqueue 2>/dev/null; then
	mq=/dev/mqueue
fi

msgmax=$(cat /proc/sys/kernel/msgmax)
msgmnb=$(cat /proc/sys/kernel/msgmnb)

# demo: the tagged batch, and what each msgrcv() type rule picks.
demo_out="sent type 1: info: the backup started
sent type 3: error: disk 2 is failing
sent type 2: warning: disk 1 is 90% full
sent type 1: info: the backup finished
sent type 3: error: the fan stopped
sent type 2: warning: the room is warm
sent type 99: that was all
asked for type 99, got type 99: that was all
asked for type 3, got type 3: error: disk 2 is failing
asked for type 3, got type 3: error: the fan stopped
asked for type -2, got type 1: info: the backup started
asked for type -2, got type 1: info: the backup finished
asked for type -2, got type 2: warning: disk 1 is 90% full
asked for type 0, got type 2: warning: the room is warm
asked for type 0, got nothing: the queue is empty (ENOMSG)"
run ipc-msgq demo
is "$out" "$demo_out" "demo: the child picks the messages by type"
is "$rc" 0 "demo exits 0"
like "$err" '^\[parent [0-9]+\] msgget\(IPC_PRIVATE' "demo narrates the parent's msgget"
like "$err" '\[child [0-9]+\] msgrcv\(id [0-9]+, type -2\)' "demo narrates the child's msgrcv"
id=$(printf '%s\n' "$err" | sed -n 's/.*msgget(IPC_PRIVATE, 0600) -> id \([0-9]*\).*/\1/p')
check "demo: its queue (id $id) is gone afterwards" \
    test -n "$id" -a ! "$(queue_id "$id" && echo there)"

posix_demo_out="sent priority 1: info: the backup started
sent priority 3: error: disk 2 is failing
sent priority 2: warning: disk 1 is 90% full
sent priority 1: info: the backup finished
sent priority 3: error: the fan stopped
sent priority 2: warning: the room is warm
received priority 3: error: disk 2 is failing
received priority 3: error: the fan stopped
received priority 2: warning: disk 1 is 90% full
received priority 2: warning: the room is warm
received priority 1: info: the backup started
received priority 1: info: the backup finished
nothing left: the queue is empty (EAGAIN)"
run ipc-msgq demo --posix
is "$out" "$posix_demo_out" "demo --posix: the highest priority first, in order within one"
is "$rc" 0 "demo --posix exits 0"
name=$(printf '%s\n' "$err" | sed -n 's/.*mq_open("\(\/[^"]*\)", O_CREAT.*/\1/p')
like "$name" "^/ipclab-$uid-msgq-[0-9]+\$" "demo --posix: a name of its own, with the pid"
if [ -n "$mq" ]; then
	check "demo --posix: $mq$name is gone afterwards" test ! -e "$mq$name"
else
	skip "/dev/mqueue is not mounted"
fi

# Two demos at once never meet.
ipc-msgq -q demo >"$SCRATCH/d1" 2>&1 &
p1=$!
ipc-msgq -q demo >"$SCRATCH/d2" 2>&1 &
p2=$!
ipc-msgq -q --posix demo >"$SCRATCH/d3" 2>&1 &
p3=$!
ipc-msgq -q --posix demo >"$SCRATCH/d4" 2>&1 &
p4=$!
wait "$p1"; r1=$?
wait "$p2"; r2=$?
wait "$p3"; r3=$?
wait "$p4"; r4=$?
is "$r1 $r2 $r3 $r4" "0 0 0 0" "four demos at once all succeed"
is "$(cat "$SCRATCH/d1")" "$demo_out" "... the first System V demo's output is whole"
is "$(cat "$SCRATCH/d2")" "$demo_out" "... so is the second's"
is "$(cat "$SCRATCH/d4")" "$posix_demo_out" "... and the POSIX ones'"

# send and recv: the queue is made by send and stays between programs.
run ipc-msgq send -k "$K1" hello world
is "$rc" 0 "send exits 0"
like "$err" "^\\[sender [0-9]+\\] msgget\\(key $K1, IPC_CREAT \\| IPC_EXCL \\| 0600\\) -> id [0-9]+: a new queue" \
    "send narrates that it made the queue"
row=$(ipcs_row "$K1")
like "$row" "^$K1 +[0-9]+ +[^ ]+ +600 +10 +2 *\$" "ipcs -q: mode 600, 10 bytes in 2 messages"
run ipc-msgq -q info -k "$K1"
is "$(field key)" "$K1" "info: the key"
is "$(field mode)" "0600" "info: mode 0600"
is "$(field qnum)" "2 messages" "info: 2 messages"
is "$(field cbytes)" "10 bytes in them" "info: 10 bytes"
like "$(field lspid)" '^[1-9][0-9]* \(the last to send\)$' "info: the last sender's pid"
is "$(field lrpid)" "0 (the last to receive)" "info: nobody received yet"
is "$(field rtime)" "never (the last msgrcv)" "info: no msgrcv yet"
if [ -r /proc/sysvipc/msg ]; then
	like "$(awk -v k=$((K1)) '$1 == k { print $3, $4, $5 }' /proc/sysvipc/msg)" \
	    '^600 10 2$' "/proc/sysvipc/msg shows the same queue"
else
	skip "no /proc/sysvipc/msg"
fi
run ipc-msgq -q recv -k "$K1"
is "$out" "hello" "recv takes one message: the first"
run ipc-msgq recv -k "$K1"
is "$out" "world" "recv again: the second"
like "$err" '\[receiver [0-9]+\] msgrcv\(id [0-9]+, type 0\) -> a message of type 1, 5 bytes' \
    "recv narrates the message's type and size"
run ipc-msgq -q info -k "$K1"
is "$(field qnum)" "0 messages" "info: the queue is empty, but still there"
like "$(field lrpid)" '^[1-9][0-9]* \(the last to receive\)$' "info: the last receiver's pid"

printf 'line one\n\nline three\n' >"$SCRATCH/lines"
run ipc-msgq -q send -k "$K1" <"$SCRATCH/lines"
is "$rc" 0 "send from standard input exits 0"
run ipc-msgq -q info -k "$K1"
is "$(field qnum)" "3 messages" "send: each line of stdin is a message, empty ones too"
run ipc-msgq -q recv -k "$K1" -c 3
is "$out" "line one

line three" "recv -c 3: three messages, each on its own line, in order"

# Types: msgrcv's rules, with queues set up so each answer is unique.
for tm in "3 c3" "1 a1" "2 b2" "1 a1bis"; do
	# shellcheck disable=SC2086 # TYPE TEXT, split on purpose
	set -- $tm
	ipc-msgq -q send -k "$K1" -t "$1" "$2"
done
run ipc-msgq -q recv -k "$K1" -t 2
is "$out" "b2" "recv -t 2: the first of type 2, though others are ahead"
run ipc-msgq -q recv -k "$K1" -t -2 -c 2 -l
is "$out" "1	a1
1	a1bis" "recv -t -2 -l: the lowest type up to 2, in order of arrival"
run -t 5 ipc-msgq -q recv -k "$K1" -t -2 --nowait
is "$rc" 1 "recv -t -2 --nowait: nothing of type 1 or 2 left: exit 1"
like "$err" 'ENOMSG' "... and says ENOMSG"
run ipc-msgq -q recv -k "$K1" -t 0 -l
is "$out" "3	c3" "recv -t 0: the first message, of type 3"
for tm in "5 e5" "4 d4" "6 f6" "4 d4bis"; do
	# shellcheck disable=SC2086 # TYPE TEXT, split on purpose
	set -- $tm
	ipc-msgq -q send -k "$K1" -t "$1" "$2"
done
run ipc-msgq -q recv -k "$K1" -t -5 -l
is "$out" "4	d4" "recv -t -5: type 4, the lowest, not the first (5)"
run ipc-msgq -q recv -k "$K1" --all -l
is "$out" "5	e5
6	f6
4	d4bis" "recv --all: everything left, in queue order"
is "$rc" 0 "recv --all exits 0"
run -t 5 ipc-msgq -q recv -k "$K1" --all
is "$rc:$out" "0:" "recv --all on an empty queue: nothing, exit 0"
run -t 5 ipc-msgq recv -k "$K1" --nowait
is "$rc" 1 "recv --nowait on an empty queue: exit 1 at once"
like "$err" "^ipc-msgq: msgrcv key $K1: no message .*--nowait.*ENOMSG" "... explained"

# A message larger than the receive buffer stays, unless --truncate.
ipc-msgq -q send -k "$K1" "hello world"
run ipc-msgq -q recv -k "$K1" -s 5
is "$rc" 1 "recv -s 5 of an 11-byte message: exit 1"
like "$err" 'longer than the 5-byte buffer.*--truncate' "... says why and what to do"
run ipc-msgq -q info -k "$K1"
is "$(field qnum)" "1 message" "... and the message is still queued"
run ipc-msgq -q recv -k "$K1" -s 5 --truncate
is "$out" "hello" "recv --truncate: the message cut to the buffer"

# Sizes: msgmax is the limit, checked before anything is made.
max=$(head -c "$msgmax" /dev/zero | tr '\0' m)
run ipc-msgq -q send -k "$K1" "$max"
is "$rc" 0 "a message of exactly msgmax ($msgmax) bytes is sent"
run ipc-msgq -q recv -k "$K1"
is "${#out}" "$msgmax" "... and arrives whole"
run ipc-msgq -q send -k "$K2" "${max}m"
is "$rc" 1 "a message of msgmax+1 bytes: exit 1"
like "$err" "/proc/sys/kernel/msgmax is $msgmax" "... naming /proc/sys/kernel/msgmax and its value"
is "$(ipcs_row "$K2")" "" "... and no queue was created"

# A full queue: --nowait fails with EAGAIN; without it, send waits.
fits=$((msgmnb / msgmax))
n=0
while [ "$n" -le "$fits" ]; do
	ipc-msgq -q send -k "$K3" --nowait "$max" 2>"$SCRATCH/full.err" || break
	n=$((n + 1))
done
is "$n" "$fits" "msgmnb/msgmax = $fits messages of msgmax bytes fill a new queue"
like "$(cat "$SCRATCH/full.err")" "^ipc-msgq: msgsnd key $K3: the queue is full.*EAGAIN" \
    "send --nowait on a full queue: EAGAIN, explained"
bg ipc-msgq send -k "$K3" last 2>"$SCRATCH/send.err"
pid=$bg_pid
check "send on a full queue says that it waits" \
    wait_for 5 grep -q 'the queue is full' "$SCRATCH/send.err"
run ipc-msgq -q recv -k "$K3" -c 1
reap_bg "$pid"
is "$rc" 0 "... and completes once a receiver makes room"
run ipc-msgq -q info -k "$K3"
is "$(field qnum)" "$fits messages" "... so the queue holds $fits again"
run ipc-msgq -q rm -k "$K3"
is "$rc:$(ipcs_row "$K3")" "0:" "rm removes the queue and its messages"

# Modes, ftok keys and the per-user default key.
run ipc-msgq -q send -k "$K4" -m 640 x
like "$(ipcs_row "$K4")" "^$K4 +[0-9]+ +[^ ]+ +640 " "send -m 640: ipcs shows mode 640"
run ipc-msgq -q send -k "$K4" -m 644 y
like "$err" "already exists with mode 0640; -m applies only when a queue is created" \
    "-m on an existing queue: a warning, the mode stays"
ipc-msgq -q rm -k "$K4"
: >"$SCRATCH/keyfile"
run ipc-msgq send -f "$SCRATCH/keyfile" -P 7 hi
ftok_key=$(printf '%s\n' "$err" | sed -n 's/.*ftok(.*) -> key \(0x[0-9a-f]*\).*/\1/p')
like "$ftok_key" '^0x07[0-9a-f]{6}$' "-f PATH -P 7: ftok's key has 7 in its top byte"
run ipc-msgq -q info -f "$SCRATCH/keyfile" -P 7
is "$(field key)" "$ftok_key" "info -f PATH -P 7 finds the same queue"
run ipc-msgq -q recv -f "$SCRATCH/keyfile" -P 7
is "$out" "hi" "... and recv takes its message"
run ipc-msgq -q rm -f "$SCRATCH/keyfile" -P 7
is "$(ipcs_row "$ftok_key")" "" "rm -f PATH -P 7 removes it"

run ipc-msgq send "to the default queue"
dkey=$(printf '%s\n' "$err" | sed -n 's/.*ftok(.*, .q.) -> key \(0x[0-9a-f]*\).*/\1/p')
like "$err" "ftok\\(\"$XDG_RUNTIME_DIR/ipclab-$uid\", 'q'\\)" \
    "the default key is ftok(3) of the private run directory, project 'q'"
ftok_key="$ftok_key $dkey"
like "$(ipcs_row "$dkey")" "^$dkey +[0-9]+ +[^ ]+ +600 " "the default queue has mode 600"
run ipc-msgq -q info
is "$(field key)" "$dkey" "info prints the default key"
run ipc-msgq -q recv
is "$out" "to the default queue" "recv takes from the default queue"
run ipc-msgq -q rm
is "$rc" 0 "rm removes the default queue"
run ipc-msgq -q info
is "$rc" 1 "info on a missing queue: exit 1"
like "$err" "^ipc-msgq: msgget key $dkey: no queue has this key" "... naming the key"
run ipc-msgq -q rm -k "$K2"
is "$rc" 1 "rm of a missing queue: exit 1"

# A waiting recv: Ctrl-Z and fg change nothing; a message ends the wait.
bg ipc-msgq recv -k "$K5" -t 3 >"$SCRATCH/r.out" 2>"$SCRATCH/r.err"
pid=$bg_pid
check "recv waits for a message of type 3" \
    wait_for 5 grep -q 'nothing yet; waiting' "$SCRATCH/r.err"
kill -STOP "$pid"
sleep 0.2
kill -CONT "$pid"
sleep 0.2
ipc-msgq -q send -k "$K5" -t 1 ignored
ipc-msgq -q send -k "$K5" -t 3 taken
reap_bg "$pid"
is "$rc:$(cat "$SCRATCH/r.out")" "0:taken" "after SIGSTOP and SIGCONT, recv -t 3 gets its message"
run ipc-msgq -q recv -k "$K5"
is "$out" "ignored" "... and leaves the message of type 1"

# The queue removed under a waiting recv: exit 1, explained, at once.
bg ipc-msgq recv -k "$K5" 2>"$SCRATCH/r.err"
pid=$bg_pid
check "recv waits on an empty queue" \
    wait_for 5 grep -q 'nothing yet; waiting' "$SCRATCH/r.err"
ipc-msgq -q rm -k "$K5"
reap_bg "$pid"
is "$rc" 1 "rm under a waiting recv: recv exits 1"
like "$(tail -n 1 "$SCRATCH/r.err")" "^ipc-msgq: msgrcv key $K5: the queue was removed" \
    "... saying the queue was removed"

# Signals end a waiting recv as they would end any program.
bg ipc-msgq -q recv -k "$K6"
pid=$bg_pid
check "recv made the queue to wait on" wait_for 5 sh -c "ipcs -q | grep -q '^$K6 '"
sleep 0.2
kill -INT "$pid"
reap_bg "$pid"
is "$rc" 130 "SIGINT ends a waiting recv (128+2)"
bg ipc-msgq -q recv -k "$K6" -c 0
pid=$bg_pid
sleep 0.3
kill -TERM "$pid"
reap_bg "$pid"
is "$rc" 143 "SIGTERM ends recv -c 0 (128+15)"
ipc-msgq -q rm -k "$K6"

# A send reading standard input waits in read(2) for the next line; a
# signal ends it there too, by the same cleanup, not as a read error.
# The FIFO, held open by the test, is a terminal nobody types at.
mkfifo "$SCRATCH/typed"
# typing OPTION...: a send in the background (pid in $pid) reading the
# FIFO, on fd 3 here; "first" is typed and queued.
typing() {
	exec 3<>"$SCRATCH/typed"
	# shellcheck disable=SC2016 # the inner shell's "$@" and "$0"
	bg sh -c 'exec ipc-msgq "$@" send <"$0" 3>&-' "$SCRATCH/typed" "$@" \
	    2>"$SCRATCH/s.err"
	pid=$bg_pid
	echo first >&3
	wait_for 5 grep -q 'queued' "$SCRATCH/s.err"
}
for how in "INT 130 -k $K6" "TERM 143 -k $K6" "INT 130 --posix -N $N6"; do
	# shellcheck disable=SC2086 # the words of $how
	set -- $how
	sig=$1 want=$2
	shift 2
	typing "$@"
	kill -"$sig" "$pid"
	reap_bg "$pid"
	exec 3>&-
	is "$rc:$(grep '^ipc-msgq:' "$SCRATCH/s.err")" "$want:" \
	    "SIG$sig ends send $1 waiting for a line ($want, no error)"
	run ipc-msgq -q "$@" recv --all
	is "$out" "first" "... after sending the line it had"
	ipc-msgq -q "$@" rm
done

# The queue removed under such a send: its next line fails, saying so,
# for POSIX as for System V; it is not queued where nobody can reach it.
for how in "msgsnd key $K6: the queue was removed|-k $K6" \
    "$N6 was removed since we opened it|--posix -N $N6"; do
	said=${how%%|*}
	# shellcheck disable=SC2086 # the words after the |
	set -- ${how#*|}
	typing "$@"
	ipc-msgq -q "$@" rm
	echo second >&3
	exec 3>&-
	reap_bg "$pid"
	like "$rc:$(tail -n 1 "$SCRATCH/s.err")" "^1:ipc-msgq: $said" \
	    "rm under send $1 reading stdin: the next line fails (exit 1)"
done

# POSIX queues: names, priorities, attributes.
run ipc-msgq --posix send -N "$N1" -p 5 urgent
is "$rc" 0 "--posix send exits 0"
like "$err" "mq_open\\(\"$N1\", O_CREAT \\| O_EXCL, 0600, NULL\\) -> descriptor [0-9]+: a new queue, mode 0600" \
    "--posix send makes the queue, narrated"
ipc-msgq -q --posix send -N "$N1" calm
ipc-msgq -q --posix send -N "$N1" -p 9 "very urgent"
ipc-msgq -q --posix send -N "$N1" -p 5 "urgent too"
if [ -n "$mq" ]; then
	like "$(ls -l "$mq$N1")" '^-rw------- ' "$mq$N1 is there, mode rw-------"
	like "$(cat "$mq$N1")" '^QSIZE:31 ' "... and its QSIZE counts 31 bytes"
else
	skip "/dev/mqueue is not mounted"
	skip "/dev/mqueue is not mounted"
fi
run ipc-msgq -q --posix info -N "$N1"
is "$(field name)" "$N1" "--posix info: the name"
is "$(field curmsgs)" "4 messages" "--posix info: 4 messages"
is "$(field maxmsg)" "$(cat /proc/sys/fs/mqueue/msg_default) messages at most" \
    "--posix info: mq_maxmsg is msg_default"
is "$(field msgsize)" "$(cat /proc/sys/fs/mqueue/msgsize_default) bytes at most in each" \
    "--posix info: mq_msgsize is msgsize_default"
run ipc-msgq -q --posix recv -N "$N1" -c 4 -l
is "$out" "9	very urgent
5	urgent
5	urgent too
0	calm" "--posix recv: the highest priority first, in order within one"
run -t 5 ipc-msgq --posix recv -N "$N1" --nowait
is "$rc" 1 "--posix recv --nowait on an empty queue: exit 1"
like "$err" "^ipc-msgq: mq_receive $N1: the queue is empty.*EAGAIN" "... explained"
run ipc-msgq -q --posix rm -N "$N1"
is "$rc" 0 "--posix rm exits 0"
if [ -n "$mq" ]; then
	check "... and $mq$N1 is gone" test ! -e "$mq$N1"
else
	skip "/dev/mqueue is not mounted"
fi

run ipc-msgq -q --posix send -N "$N2" --maxmsg 2 --msgsize 16 one two
run ipc-msgq -q --posix info -N "$N2"
is "$(field maxmsg) / $(field msgsize)" "2 messages at most / 16 bytes at most in each" \
    "--maxmsg 2 --msgsize 16 at creation"
run -t 5 ipc-msgq -q --posix send -N "$N2" --nowait three
is "$rc" 1 "--posix send --nowait on a full queue: exit 1"
like "$err" "the queue is full \\(2 messages; mq_maxmsg is 2\\).*EAGAIN" "... explained"
run ipc-msgq -q --posix send -N "$N2" "seventeen bytes!!"
is "$rc" 1 "a message longer than mq_msgsize: exit 1"
like "$err" "message 1 is 17 bytes; $N2 takes at most mq_msgsize 16" "... naming mq_msgsize"
run ipc-msgq -q --posix recv -N "$N2" --all
is "$out" "one
two" "... and nothing was sent: the queue holds its two"
ipc-msgq -q --posix rm -N "$N2"

# Creation refused by the limits: explained, and nothing is left.
msg_max=$(cat /proc/sys/fs/mqueue/msg_max)
run ipc-msgq -q --posix send -N "$N3" --maxmsg 70000 x
is "$rc" 1 "--maxmsg 70000: refused, exit 1"
like "$err" "/proc/sys/fs/mqueue/msg_max, which is $msg_max" "... naming msg_max and its value"
msgsize_max=$(cat /proc/sys/fs/mqueue/msgsize_max)
run ipc-msgq -q --posix send -N "$N3" --msgsize 17M x
is "$rc" 1 "--msgsize 17M: refused, exit 1"
like "$err" "/proc/sys/fs/mqueue/msgsize_max, which is $msgsize_max" "... naming msgsize_max and its value"
if [ "$uid" -ne 0 ]; then
	run ipc-msgq -q --posix send -N "$N3" --maxmsg $((msg_max + 1)) x
	like "$rc:$err" "^1:.*msg_max, which is $msg_max" "--maxmsg msg_max+1 is refused to a user"
else
	skip "root may have CAP_SYS_RESOURCE"
fi
run ipc-msgq -q --posix info -N "$N3"
is "$rc" 1 "... and no queue was created"
if [ -n "$mq" ]; then
	check "... $mq holds nothing of that name" test ! -e "$mq$N3"
else
	skip "/dev/mqueue is not mounted"
fi
run ipc-msgq -q --posix send -N "$N3" --msgsize 8 "nine byte"
is "$rc" 1 "a message too long for the new queue: exit 1"
run ipc-msgq -q --posix info -N "$N3"
is "$rc" 1 "... and no queue was created"

# The umask takes bits from a POSIX queue's mode, as from a file's, and
# fchmod() puts them back: -m is the mode, whatever the umask.
run sh -c "umask 077; exec ipc-msgq --posix send -N '$N4' -m 644 x"
like "$err" "mode 0600 after the umask" "--posix -m 644 under umask 077: mq_open gives 0600"
like "$err" "fchmod\([0-9]+, 0644\): the mode asked for" "... and fchmod sets 0644"
run ipc-msgq -q --posix info -N "$N4"
is "$(field mode)" "0644" "--posix -m 644 under umask 077: mode 0644"
ipc-msgq -q --posix rm -N "$N4"
run sh -c "umask 022; exec ipc-msgq --posix send -N '$N4' x"
check "--posix send under umask 022: the mode 0600 needs no fchmod" \
    test -z "$(printf '%s\n' "$err" | grep fchmod)"
ipc-msgq -q --posix rm -N "$N4"
# Made under umask 477 (0600 minus 0477 leaves 0200, which would shut
# its receiver out): 0600 all the same.
run sh -c "umask 477; exec ipc-msgq -q --posix send -N '$N4' x"
run ipc-msgq -q --posix recv -N "$N4"
is "$rc:$out" "0:x" "--posix: a queue made under umask 477 is still ours to receive from"
ipc-msgq -q --posix rm -N "$N4"

# Waiting POSIX receivers: Ctrl-Z and fg, and the name removed.
bg ipc-msgq --posix recv -N "$N5" >"$SCRATCH/r.out" 2>"$SCRATCH/r.err"
pid=$bg_pid
check "--posix recv waits (it made the queue)" \
    wait_for 5 grep -q 'messages wait' "$SCRATCH/r.err"
kill -STOP "$pid"
sleep 0.2
kill -CONT "$pid"
ipc-msgq -q --posix send -N "$N5" after-cont
reap_bg "$pid"
is "$rc:$(cat "$SCRATCH/r.out")" "0:after-cont" "--posix recv survives SIGSTOP and SIGCONT"
bg ipc-msgq --posix recv -N "$N5" 2>"$SCRATCH/r.err"
pid=$bg_pid
check "--posix recv waits again" wait_for 5 grep -q 'messages wait' "$SCRATCH/r.err"
ipc-msgq -q --posix rm -N "$N5"
reap_bg "$pid"
is "$rc" 1 "--posix rm under a waiting recv: recv exits 1"
like "$(tail -n 1 "$SCRATCH/r.err")" "^ipc-msgq: $N5 was removed while we waited" \
    "... saying the queue was removed"

# The per-user default POSIX name (looked at, not made: runs may share it).
run ipc-msgq -q --posix info
like "$rc:$out$err" "^(0:name: */ipclab-$uid-msgq|1:ipc-msgq: mq_open /ipclab-$uid-msgq: no queue)" \
    "the default POSIX name is /ipclab-UID-msgq"

# Another user may not use our queues (mode 0600).
if [ "$uid" -eq 0 ] && command -v setpriv >/dev/null 2>&1; then
	ipc-msgq -q send -k "$K7" secret
	ipc-msgq -q --posix send -N "$N6" secret
	nobody="setpriv --reuid=65534 --regid=65534 --clear-groups"
	# shellcheck disable=SC2086 # the command is words
	run $nobody "$top_builddir/msgq/ipc-msgq" -q send -k "$K7" x
	like "$rc:$err" "^1:ipc-msgq: msgget key $K7: Permission denied" \
	    "another user cannot send to a 600 queue"
	# shellcheck disable=SC2086 # the command is words
	run $nobody "$top_builddir/msgq/ipc-msgq" -q recv -k "$K7" --nowait
	like "$rc:$err" "^1:ipc-msgq: msgget key $K7: Permission denied" \
	    "... nor receive from it"
	# shellcheck disable=SC2086 # the command is words
	run $nobody "$top_builddir/msgq/ipc-msgq" -q --posix recv -N "$N6" --nowait
	like "$rc:$err" "^1:ipc-msgq: mq_open $N6: Permission denied" \
	    "... nor from a POSIX one"
	run ipc-msgq -q recv -k "$K7"
	is "$out" "secret" "... and the message is still there"
	ipc-msgq -q rm -k "$K7"
	ipc-msgq -q --posix rm -N "$N6"
	# Removal: the mode does not matter; who you are does.
	ipc-msgq -q send -k "$K7" -m 0666 open
	(umask 000; ipc-msgq -q --posix send -N "$N6" -m 0666 open)
	# shellcheck disable=SC2086 # the command is words
	run $nobody "$top_builddir/msgq/ipc-msgq" -q rm -k "$K7"
	like "$rc:$err" "^1:ipc-msgq: msgctl IPC_RMID key $K7: Operation not permitted; only the queue's owner or its creator" \
	    "another user's rm of a 0666 queue: IPC_RMID says EPERM, owner or creator"
	# shellcheck disable=SC2086 # the command is words
	run $nobody "$top_builddir/msgq/ipc-msgq" -q --posix rm -N "$N6"
	like "$rc:$err" "^1:ipc-msgq: mq_unlink $N6: Permission denied; the queue is not yours.*sticky bit" \
	    "... and of a 0666 POSIX queue: the directory's sticky bit"
	run ipc-msgq -q rm -k "$K7"
	is "$rc" 0 "... its owner removes it"
	run ipc-msgq -q --posix rm -N "$N6"
	is "$rc" 0 "... and the POSIX one"
else
	skip "not root: setpriv cannot become another user"
	skip "not root"
	skip "not root"
	skip "not root"
	skip "not root"
	skip "not root"
	skip "not root"
	skip "not root"
fi

# bench: one key=value line; a payload above msgmax goes in chunks.
run ipc-msgq -q bench -n 200
like "$out" "^mechanism=msgq-sysv size=65536 count=200 chunk=$msgmax seconds=[0-9.]+ mib_per_s=[0-9.]+ msgs_per_s=[0-9]+\$" \
    "bench: 64 KiB in chunks of msgmax, and the line says so"
run ipc-msgq -q bench -n 500 -s 1K
like "$out" '^mechanism=msgq-sysv size=1024 count=500 seconds=' "bench -s 1K: one message each, no chunk"
run ipc-msgq -q bench --latency -n 300 -s 64
like "$out" '^mechanism=msgq-sysv size=64 count=300 rtt_p50_us=[0-9.]+ rtt_p99_us=[0-9.]+$' \
    "bench --latency: median and p99"
run ipc-msgq -q bench --latency -n 50 -s 20K
like "$out" "^mechanism=msgq-sysv size=20480 count=50 chunk=$msgmax rtt_p50_us=" \
    "bench --latency -s 20K: chunks both ways"
run ipc-msgq -q --posix bench -n 200
like "$out" "^mechanism=msgq-posix size=65536 count=200 chunk=$msgsize_max seconds=" \
    "bench --posix: chunks of msgsize_max"
run ipc-msgq -q --posix bench --latency -n 300 --cpu 0,0
like "$out" '^mechanism=msgq-posix size=64 count=300 rtt_p50_us=[0-9.]+ rtt_p99_us=[0-9.]+ cpu=0,0 maxmsg=[0-9]+$' \
    "bench --posix --latency --cpu 0,0, and the queue's depth"
run ipc-msgq -q bench -n 10 --cpu "$NOCPU,0"
like "$rc:$err" "^1:ipc-msgq: cannot pin to CPU $NOCPU" "bench: a sender that cannot start ends the bench, exit 1"
bg ipc-msgq bench -n 100000000 2>"$SCRATCH/b.err" >/dev/null
pid=$bg_pid
check "a long bench starts" wait_for 5 grep -q 'msgget(IPC_PRIVATE)' "$SCRATCH/b.err"
id=$(sed -n 's/.*msgget(IPC_PRIVATE) -> id \([0-9]*\).*/\1/p' "$SCRATCH/b.err")
kill -INT "$pid"
reap_bg "$pid"
is "$rc" 130 "SIGINT ends a bench (128+2)"
check "... and its queue (id $id) is removed" \
    test -n "$id" -a ! "$(queue_id "$id" && echo there)"
bg ipc-msgq -q --posix bench -n 100000000
pid=$bg_pid
sleep 0.3
kill -HUP "$pid"
reap_bg "$pid"
is "$rc" 129 "SIGHUP ends a POSIX bench (128+1)"

# A latency bench whose echo is killed ends, exit 1, saying so, whether
# the parent then waits to receive or to send: a ping of 8 times what
# the queue holds (msgmnb, or 10 messages of msgsize_max) fills it, so
# the parent waits in either about half the time.  Eight kills each, or
# until one hangs: the old bench waited for ever in a send.
ping=$((msgsize_max * 80))
[ "$ping" -gt 67108864 ] && ping=67108864
for kind in "System V" POSIX; do
	set -- -s $((msgmnb * 8))
	[ "$kind" = POSIX ] && set -- --posix -s "$ping"
	hung=0 bad='' i=0
	while [ "$i" -lt 8 ] && [ "$hung" -eq 0 ]; do
		i=$((i + 1))
		timeout -k 2 10 ipc-msgq -q "$@" bench --latency -n 1000000 \
		    2>"$SCRATCH/k.err" &
		pid=$!
		# timeout's child is the bench; the bench's child, its echo.
		if wait_for 5 first_child "$pid" &&
		    wait_for 5 first_child "$child"; then
			sleep 0.1
			kill -KILL "$child"
		fi
		wait "$pid"
		rc=$?
		[ "$rc" -eq 124 ] && hung=1
		case $rc:$(cat "$SCRATCH/k.err") in
		"1:ipc-msgq: the peer "*SIGKILL*) ;;
		*) bad="$bad $rc" ;;
		esac
	done
	is "$hung:$bad" "0:" \
	    "$kind bench --latency: its echo killed $i times, it ends each time (exit 1)"
done

# Help and version.
run ipc-msgq --help
like "$out" '^Usage: ipc-msgq \[OPTION\.\.\.\] COMMAND' "--help prints usage on stdout"
is "$rc" 0 "--help exits 0"
run ipc-msgq recv --help
like "$out" '^Usage: ipc-msgq recv ' "recv --help shows that command"
like "$out" '--truncate' "... with its options"
run ipc-msgq --version
like "$out" '^ipc-msgq \(ipclab\) [0-9]' "--version"

# Usage errors: exit 2, nothing on stdout, "ipc-msgq: ..." first, nothing made.
usage_error "no command" ipc-msgq
usage_error "unknown command" ipc-msgq frobnicate
usage_error "unknown option" ipc-msgq send --frob x
usage_error "option of another command" ipc-msgq send --all -k "$K8" x
usage_error "type 0 for send" ipc-msgq send -t 0 -k "$K8" x
usage_error "negative type for send" ipc-msgq send -t -1 -k "$K8" x
usage_error "type not a number" ipc-msgq recv -t two -k "$K8"
usage_error "-t with --posix" ipc-msgq --posix recv -t 1 -N "$N3"
usage_error "-p without --posix" ipc-msgq send -p 1 -k "$K8" x
usage_error "priority too high" ipc-msgq --posix send -p 99999999 -N "$N3" x
usage_error "negative priority" ipc-msgq --posix send -p -1 -N "$N3" x
usage_error "--truncate with --posix" ipc-msgq --posix recv --truncate -N "$N3"
usage_error "-s with --posix recv" ipc-msgq --posix recv -s 10 -N "$N3"
usage_error "--maxmsg without --posix" ipc-msgq send --maxmsg 5 -k "$K8" x
usage_error "--maxmsg 0" ipc-msgq --posix send --maxmsg 0 -N "$N3" x
usage_error "-k and -f together" ipc-msgq send -k "$K8" -f /etc/passwd x
usage_error "-P without -f" ipc-msgq send -P 7 x
usage_error "-P out of range" ipc-msgq send -f /etc/passwd -P 256 x
usage_error "-k with --posix" ipc-msgq --posix send -k "$K8" x
usage_error "-N without --posix" ipc-msgq send -N "$N3" x
usage_error "key 0" ipc-msgq send -k 0 x
usage_error "key too large" ipc-msgq send -k 0x100000000 x
usage_error "name without a slash" ipc-msgq --posix send -N noslash x
usage_error "name with two slashes" ipc-msgq --posix send -N /a/b x
usage_error "mode not octal" ipc-msgq send -m 999 -k "$K8" x
# A mode that would shut the command out of the queue it makes.
usage_error "send -m 400: the new queue would refuse the send itself" \
    ipc-msgq send -m 400 -k "$K8" x
like "$err" "^ipc-msgq: -m 0400: a new queue of that mode would refuse this very send \\(its owner needs write permission, 0200\\)" \
    "... saying which permission the owner needs"
usage_error "recv -m 200: the new queue would refuse the recv itself" \
    ipc-msgq recv -m 200 -k "$K8"
is "$(awk -v k=$((K8)) 'NR > 1 && $1 == k' /proc/sysvipc/msg)" "" \
    "... and neither made a queue"
usage_error "count negative" ipc-msgq recv -c -1 -k "$K8"
usage_error "--all with -c" ipc-msgq recv --all -c 2 -k "$K8"
usage_error "-c 0 with --nowait" ipc-msgq recv -c 0 --nowait -k "$K8"
usage_error "recv with an argument" ipc-msgq recv hello -k "$K8"
usage_error "info with an argument" ipc-msgq info x -k "$K8"
usage_error "demo with an argument" ipc-msgq demo x
usage_error "-k for demo" ipc-msgq demo -k "$K8"
usage_error "bench size 0" ipc-msgq bench -s 0
usage_error "bench cpu pair without a comma" ipc-msgq bench --cpu 1
usage_error "missing option argument" ipc-msgq recv -k
is "$(ipcs_row "$K8")" "" "no usage error made a queue"
if [ -n "$mq" ]; then
	check "... nor a POSIX one" test ! -e "$mq$N3"
else
	skip "/dev/mqueue is not mounted"
fi

ipc-msgq -q rm -k "$K1"

# Output errors are failures, not silence.
if [ -w /dev/full ]; then
	ipc-msgq -q send -k "$K8" x
	timeout 10 ipc-msgq -q recv -k "$K8" >/dev/full 2>"$SCRATCH/full.err"
	is "$?" 1 "a full stdout is exit 1"
	like "$(cat "$SCRATCH/full.err")" 'write error' "... with a message"
	ipc-msgq -q rm -k "$K8"
else
	skip "no /dev/full"
	skip "no /dev/full"
fi

# Nothing of ours is left: no process, no queue, no name.
left=$(leftovers)
is "$left" "" "nothing of ours is left running"
rows=
for k in $keys $ftok_key; do
	rows="$rows$(ipcs_row "$k")"
done
is "$rows" "" "ipcs -q shows none of our keys"
if [ -n "$mq" ]; then
	found=
	for f in "$mq/ipclab-test-$UNIQ"* "$mq/ipclab-$uid-msgq-"*; do
		[ -e "$f" ] && found="$found $f"
	done
	is "$found" "" "$mq holds none of our names"
else
	skip "/dev/mqueue is not mounted"
fi
done_testing
