#!/bin/sh
# ipc-socket.sh - what a student would check by hand about ipc-socket, with
# socat and Python as the other side wherever they can be.  TCP only on
# 127.0.0.1 and ::1; abstract names carry $UNIQ.
# shellcheck disable=SC2016 # sh -c '...' sh "$f": the path comes in as $1
. "${top_srcdir:-.}/tests/tap.sh"

rd=$XDG_RUNTIME_DIR/ipclab-$(id -u)
sock=$rd/socket
have_socat=0
command -v socat >/dev/null 2>&1 && have_socat=1
have_python=0
command -v python3 >/dev/null 2>&1 && have_python=1

# start_server OUT ERR ARGS...: serve in the background; wait until its
# first stdout line says where it listens.  Sets $spid and $where.
start_server() {
	so=$1
	se=$2
	shift 2
	bg ipc-socket serve "$@" >"$so" 2>"$se"
	spid=$bg_pid
	wait_for 5 grep -q '^listening on ' "$so"
	where=$(sed -n '1s/^listening on //p' "$so")
}

# stop_server: SIGTERM, reap; sets $rc.
stop_server() {
	kill -TERM "$spid" 2>/dev/null
	reap_bg "$spid"
}

# demo: server and client in one run; the echo comes back.
run ipc-socket demo
is "$out" "echo: hello, socket
echo: one server, one client" "demo: the client gets each line back"
is "$rc" 0 "demo exits 0"
like "$err" '\[server [0-9]+\] bind\([0-9]+, ".*/socket-demo-[0-9]+"\): a socket file now, mode 0600' \
    "demo narrates the bind, mode 0600"
like "$err" 'SO_PEERCRED: pid [0-9]+ uid [0-9]+' "demo narrates the client's credentials"
run ipc-socket -q demo "just this"
is "$out" "echo: just this" "demo carries MESSAGE"
is "$err" "" "-q silences the narration"
is "$(ls -A "$rd")" "" "demo leaves nothing in the run directory"
is "$(stat -c %a "$rd")" 700 "the run directory is private (0700)"

# pair: one descriptor each way, versus a pipe's one-way ends.
run ipc-socket pair ping pong
is "$out" "sent: ping
got:  PING
sent: pong
got:  PONG" "pair: the child answers on the same descriptor"
is "$rc" 0 "pair exits 0"
like "$err" 'write\([0-9]+\) -> Bad file descriptor: a pipe goes one way' \
    "pair contrasts a pipe's read end, which cannot be written"

# passfd: the parent prints a file only the child opened.
printf 'line one\nline two\n' >"$SCRATCH/file"
run ipc-socket passfd "$SCRATCH/file"
is "$out" "line one
line two" "passfd: the file comes through the passed descriptor"
is "$rc" 0 "passfd exits 0"
like "$err" "got fd [0-9]+; the sender's was fd [0-9]+" \
    "passfd shows both descriptor numbers"
like "$err" '\[sender [0-9]+\] open\(' "only the sender opens FILE"
run ipc-socket -q passfd "$SCRATCH/missing"
is "$rc:$err" "1:ipc-socket: open $SCRATCH/missing: No such file or directory" \
    "passfd of a missing FILE: exit 1, the sender's one line naming the file"
# A FIFO's open() would wait for a writer, perhaps for ever: refused.
mkfifo "$SCRATCH/ff"
run -t 10 ipc-socket -q passfd "$SCRATCH/ff"
is "$rc:$err" "1:ipc-socket: $SCRATCH/ff is a FIFO: opening it would wait for a writer, perhaps for ever; pass a regular file" \
    "passfd of a FIFO: refused at once, in one line"
run -t 10 ipc-socket -q sendfd --abstract "$UNIQ-nobody" "$SCRATCH/ff"
is "$rc:$err" "1:ipc-socket: $SCRATCH/ff is a FIFO: opening it would wait for a writer, perhaps for ever; pass a regular file" \
    "sendfd of a FIFO: the same, before it looks for a receiver"
rm -f "$SCRATCH/ff"

# cred: every answer names the same client.
run ipc-socket -q cred
is "$rc" 0 "cred exits 0"
cpid=$(printf '%s\n' "$out" | sed -n '1s/^the client is pid \([0-9]*\),.*/\1/p')
is "$(printf '%s\n' "$out" | grep -c "pid $cpid uid $(id -u) gid $(id -g)$")" 3 \
    "cred: SO_PEERCRED and both SCM_CREDENTIALS name the client"
if [ "$(id -u)" = 0 ]; then
	like "$out" 'claim to be pid 1: (accepted|refused)' "cred: the claim is judged"
else
	like "$out" 'claim to be pid 1: refused by the kernel \(EPERM\)' \
	    "cred: an ordinary process cannot claim pid 1"
fi
is "$(ls -A "$rd")" "" "cred leaves nothing in the run directory"

# serve and connect on the default path.
start_server "$SCRATCH/s1.out" "$SCRATCH/s1.err"
is "$where" "$sock" "serve listens on the default path and says so"
is "$(stat -c %F:%a "$sock")" "socket:600" "the socket file is a socket, mode 600"
run ipc-socket connect hello "two words"
is "$out" "hello
two words" "connect: each MESSAGE comes back"
is "$rc" 0 "connect exits 0"
like "$err" 'SO_PEERCRED\) -> the server is pid [0-9]+' "connect narrates the server's pid"
like "$(cat "$SCRATCH/s1.err")" "accept\\(\\) -> fd [0-9]+: a client, pid [0-9]+ uid $(id -u) gid $(id -g)" \
    "serve narrates each client's pid, uid and gid"
printf 'from stdin\nno newline' >"$SCRATCH/in"
run ipc-socket -q connect "$sock" <"$SCRATCH/in"
check "connect PATH copies stdin, a last line without newline too" \
    cmp -s "$SCRATCH/in" "$SCRATCH/.out"
seq 1 300000 >"$SCRATCH/seq"
run ipc-socket -q connect <"$SCRATCH/seq"
is "$rc" 0 "connect of 2 MB from stdin exits 0"
check "... and every byte comes back, in order (no deadlock)" \
    cmp -s "$SCRATCH/seq" "$SCRATCH/.out"

# Several clients at once: each gets its own bytes back.
for i in 1 2 3 4 5; do
	seq "$i" 5 100000 >"$SCRATCH/c$i"
	ipc-socket -q connect <"$SCRATCH/c$i" >"$SCRATCH/c$i.out" 2>&1 &
	eval "c$i=\$!"
done
all=ok
for i in 1 2 3 4 5; do
	eval "wait \$c$i" || all="client $i failed"
	cmp -s "$SCRATCH/c$i" "$SCRATCH/c$i.out" || all="client $i got other bytes"
done
is "$all" ok "five concurrent clients each get exactly their bytes back"

# Real clients: socat and Python.
if [ "$have_socat" = 1 ]; then
	run -t 10 socat - "UNIX-CONNECT:$sock" <"$SCRATCH/in"
	check "socat UNIX-CONNECT gets its bytes back" cmp -s "$SCRATCH/in" "$SCRATCH/.out"
else
	skip "socat is not installed"
fi
if [ "$have_python" = 1 ]; then
	run -t 10 python3 -c '
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.connect(sys.argv[1])
s.sendall(b"from python\n")
s.shutdown(socket.SHUT_WR)
data = b""
while True:
    b = s.recv(4096)
    if not b:
        break
    data += b
sys.stdout.write(data.decode())' "$sock"
	is "$out" "from python" "a Python client gets its line back"
	# A client that sends a lot and hangs up without reading.
	run -t 10 python3 -c '
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.connect(sys.argv[1])
s.sendall(b"x" * 1000000)
s.close()' "$sock"
	run ipc-socket -q connect still there
	is "$out" "still
there" "a client hanging up mid-stream does not kill the server"
else
	skip "python3 is not installed"
	skip "python3 is not installed"
fi

# A second server on the same path is refused; the first keeps serving.
run ipc-socket serve
is "$rc" 1 "a second server on a live socket: exit 1"
like "$err" "a server is listening there .*refusing to replace a live socket" \
    "... saying a server is listening"
run ipc-socket -q connect after
is "$out" after "... and the first server still answers"

# SIGTERM: the server removes its socket file and dies of the signal.
stop_server
is "$rc" 143 "serve dies of SIGTERM (128+15)"
check "... after removing its socket file" test ! -e "$sock"
like "$(cat "$SCRATCH/s1.err")" 'unlink\(".*/socket"\): the socket file goes' \
    "... and narrates the unlink"
run ipc-socket connect hi
is "$rc" 1 "connect with no server: exit 1"
like "$err" 'no such socket; start .ipc-socket serve. first' "... saying what to do"

# kill -9 leaves a stale file; a new server replaces it.
p=$SCRATCH/stale.sock
start_server "$SCRATCH/s2.out" "$SCRATCH/s2.err" "$p"
# bg runs it under timeout(1): kill the server itself, by the pid it narrates.
kill -KILL "$(sed -n '1s/^\[server \([0-9]*\)\].*/\1/p' "$SCRATCH/s2.err")"
reap_bg "$spid"
check "kill -9 leaves the socket file behind" test -S "$p"
run ipc-socket connect "$p" hi
like "$err" 'Connection refused: nobody is listening there \(a stale socket file' \
    "connect to a stale socket explains it"
start_server "$SCRATCH/s3.out" "$SCRATCH/s3.err" "$p"
like "$(cat "$SCRATCH/s3.err")" 'ECONNREFUSED: a stale socket file, nobody listens; removing it' \
    "a restarted server replaces the stale file"
run ipc-socket -q connect "$p" again
is "$out" again "... and serves"
kill -INT "$spid"
reap_bg "$spid"
is "$rc" 130 "serve dies of SIGINT (128+2)"
check "... after removing its socket file" test ! -e "$p"

# Paths that are not sockets are never touched.
printf 'keep me\n' >"$SCRATCH/reg"
run ipc-socket serve "$SCRATCH/reg"
is "$rc" 1 "serve refuses a regular file"
like "$err" "reg is a regular file, not a socket; refusing to touch it" "... saying what it is"
is "$(cat "$SCRATCH/reg")" "keep me" "... which stays untouched"
ln -s reg "$SCRATCH/link"
run ipc-socket serve "$SCRATCH/link"
is "$rc" 1 "serve refuses a symlink"
like "$err" "link is a symbolic link, not a socket" "... saying so"
check "... the link and its target stay" test -L "$SCRATCH/link" -a -f "$SCRATCH/reg"
is "$(cat "$SCRATCH/reg")" "keep me" "... the target untouched"

# --once: one client, then exit 0 and remove the file.
p=$SCRATCH/once.sock
start_server "$SCRATCH/s4.out" "$SCRATCH/s4.err" --once "$p"
run ipc-socket -q connect "$p" only
is "$out" only "serve --once answers its client"
reap_bg "$spid"
is "$rc" 0 "... then exits 0"
check "... and removes its socket file" test ! -e "$p"

# A client that keeps a server busy (a line every 0.25 s, so poll()
# never waits a whole second) does not hide that its file was removed.
p=$SCRATCH/busy.sock
start_server "$SCRATCH/s9.out" "$SCRATCH/s9.err" "$p"
bg sh -c 'i=0; while [ "$i" -lt 40 ]; do echo tick; sleep 0.25
    i=$((i + 1)); done | ipc-socket -q connect "$1"' sh "$p" \
    >"$SCRATCH/busy.out"
cpid=$bg_pid
wait_for 5 grep -q tick "$SCRATCH/busy.out"
rm "$p"
check "a busy server notices its socket file removed within seconds" \
    wait_for 4 grep -q "$p was removed: no new client can connect" \
    "$SCRATCH/s9.err"
check "... while its client is still connected and served" first_child "$cpid"
kill -TERM "$cpid"
reap_bg "$cpid"
reap_bg "$spid"

# A client whose recv() fails (strace makes it fail with EIO) is dropped;
# the server serves the next one.
if command -v strace >/dev/null 2>&1; then
	p=$SCRATCH/eio.sock
	bg strace -f -qq -o /dev/null -e trace=recvfrom \
	    -e inject=recvfrom:error=EIO:when=1 ipc-socket serve "$p" \
	    >"$SCRATCH/s10.out" 2>"$SCRATCH/s10.err"
	spid=$bg_pid
	wait_for 5 grep -q '^listening on ' "$SCRATCH/s10.out"
	run ipc-socket -q connect "$p" first
	run ipc-socket -q connect "$p" second
	is "$rc:$out" "0:second" "a client whose recv() fails is dropped; the next is served"
	like "$(cat "$SCRATCH/s10.err")" "^ipc-socket: recv from pid [0-9]+ uid [0-9]+ gid [0-9]+: (Input/output|I/O) error$" \
	    "... after one line naming the client and the error"
	stop_server
else
	skip "strace is not installed"
	skip "strace is not installed"
fi

# Datagrams: each one comes back whole.
p=$SCRATCH/dgram.sock
start_server "$SCRATCH/s5.out" "$SCRATCH/s5.err" --dgram "$p"
run ipc-socket connect --dgram "$p" one "two words"
is "$out" "one
two words" "connect --dgram: each datagram comes back"
like "$err" 'the kernel named us "@[0-9a-f]+"' "the datagram client autobinds"
is "$(printf '%s\n' "$err" | sed -n 's/^\[client [0-9]*\] \(bind\|connect\)(.*/\1/p' |
    tr '\n' ' ')" "bind connect " "... before it connects, as the page says"
like "$(cat "$SCRATCH/s5.err")" "a datagram of 3 bytes from pid [0-9]+ uid $(id -u)" \
    "the datagram server narrates each sender (SO_PASSCRED)"
printf 'a\nb\n' >"$SCRATCH/ab"
run ipc-socket -q connect --dgram "$p" <"$SCRATCH/ab"
is "$out" "a
b" "connect --dgram sends stdin lines"
if [ "$have_python" = 1 ]; then
	run -t 10 python3 -c '
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind("")
s.sendto(b"py datagram", sys.argv[1])
sys.stdout.write(s.recv(100).decode())' "$p"
	is "$out" "py datagram" "a Python datagram client gets its reply"
else
	skip "python3 is not installed"
fi
run ipc-socket connect "$p" stream
like "$err" 'Protocol wrong type for socket: the server there is not a stream socket' \
    "a stream client at a datagram server is told why"
stop_server
check "the datagram server removes its file on SIGTERM" test ! -e "$p"

# Abstract names: no file at all.
start_server "$SCRATCH/s6.out" "$SCRATCH/s6.err" --abstract "$UNIQ"
is "$where" "@$UNIQ" "serve --abstract says its name"
run ipc-socket -q connect --abstract "$UNIQ" abstract
is "$out" abstract "connect --abstract gets its line back"
run ipc-socket -q connect --abstract "$UNIQ" 'a/b' c
is "$rc:$out" "0:a/b
c" "connect --abstract: a first message with a '/' is a message, not a PATH"
if [ "$have_socat" = 1 ]; then
	run -t 10 socat - "ABSTRACT-CONNECT:$UNIQ" <"$SCRATCH/in"
	check "socat ABSTRACT-CONNECT gets its bytes back" cmp -s "$SCRATCH/in" "$SCRATCH/.out"
else
	skip "socat is not installed"
fi
run ipc-socket serve --abstract "$UNIQ"
is "$rc" 1 "a second server on a live abstract name: exit 1"
like "$err" 'Address (already )?in use: another server has it' "... saying so"
stop_server
run ipc-socket connect --abstract "$UNIQ" x
is "$rc" 1 "the abstract name is gone with its server"

# TCP on the loopback only: port 0, then read the port.
start_server "$SCRATCH/s7.out" "$SCRATCH/s7.err" --tcp 127.0.0.1:0
like "$where" '^127\.0\.0\.1:[1-9][0-9]*$' "serve --tcp 127.0.0.1:0 prints the port it got"
run ipc-socket -q connect --tcp "$where" over tcp
is "$out" "over
tcp" "connect --tcp gets its lines back"
run ipc-socket -q connect --tcp "$where" 'and/or'
is "$rc:$out" "0:and/or" "connect --tcp: a message with a '/' too"
if [ "$have_socat" = 1 ]; then
	run -t 10 socat - "TCP:$where" <"$SCRATCH/in"
	check "socat TCP gets its bytes back" cmp -s "$SCRATCH/in" "$SCRATCH/.out"
else
	skip "socat is not installed"
fi
stop_server
is "$rc" 143 "the TCP server dies of SIGTERM"
if start_server "$SCRATCH/s8.out" "$SCRATCH/s8.err" --tcp '[::1]:0' &&
    [ -n "$where" ]; then
	run ipc-socket -q connect --tcp "$where" six
	is "$out" six "TCP over IPv6 loopback [::1]"
	stop_server
else
	stop_server
	skip "no IPv6 loopback here"
fi

# recvfd and sendfd across two processes; Python's send_fds too.
start_server_recvfd() {
	bg ipc-socket recvfd "$@" >"$SCRATCH/r.out" 2>"$SCRATCH/r.err"
	spid=$bg_pid
	wait_for 5 grep -q '^listening on ' "$SCRATCH/r.out"
}
start_server_recvfd
run ipc-socket sendfd "$SCRATCH/file"
is "$rc" 0 "sendfd exits 0"
reap_bg "$spid"
is "$rc" 0 "recvfd exits 0"
is "$(sed 1d "$SCRATCH/r.out")" "line one
line two" "recvfd prints the file through the descriptor it got"
like "$(cat "$SCRATCH/r.err")" "fd [0-9]+ -> $SCRATCH/file .*a file this process never opened" \
    "recvfd names the file it never opened"
is "$(ls -A "$rd")" "" "recvfd removes its socket file"
# recvfd again, by mistake, at a live recvfd's path: refused, and its
# probe is no sender that the first one takes for its one client.
start_server_recvfd
rpid=$spid
run ipc-socket recvfd
like "$rc:$err" "^1:ipc-socket: $rd/socket-fd: a server is listening there \\(a datagram connect\\(\\) got EPROTOTYPE" \
    "a second recvfd at a live one's path: exit 1, the datagram probe named"
sleep 0.3
check "... the first recvfd still waits" first_child "$rpid"
check "... its socket file is still there" test -S "$rd/socket-fd"
run ipc-socket -q sendfd "$SCRATCH/file"
reap_bg "$rpid"
is "$rc:$(sed 1d "$SCRATCH/r.out")" "0:line one
line two" "... and it takes the real sender's descriptor"
if [ "$have_python" = 1 ]; then
	p=$SCRATCH/fd.sock
	start_server_recvfd "$p"
	run -t 10 python3 -c '
import os, socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.connect(sys.argv[1])
fd = os.open(sys.argv[2], os.O_RDONLY)
socket.send_fds(s, [b"x"], [fd])' "$p" "$SCRATCH/file"
	reap_bg "$spid"
	is "$rc:$(sed 1d "$SCRATCH/r.out")" "0:line one
line two" "recvfd takes a descriptor from Python's socket.send_fds"
	check "... and removes its socket file" test ! -e "$p"
else
	skip "python3 is not installed"
	skip "python3 is not installed"
fi

# recvfd's accept() is in its lesson, cmd_recvfd, as ipc-socket(1) says.
like "$(awk '/^cmd_recvfd\(/ { p = 1 } p { print } p && /^}/ { exit }' \
    "${top_srcdir:-.}/socket/passfd.c")" 'accept4\(' \
    "socket/passfd.c:cmd_recvfd calls accept4() itself"
like "$(sed -n '/^\.Sh THE SOURCE/,/^\.Sh /p' \
    "${top_srcdir:-.}/man/ipc-socket.1" | tr '\n' ' ')" \
    'Fn cmd_recvfd listens with .Fn server_socket and accepts one sender with .Fn accept4' \
    "... and THE SOURCE says so"

# bench: one key=value line.
run ipc-socket -q bench -n 2000 -s 4K
like "$out" '^mechanism=unix-stream size=4096 count=2000 seconds=[0-9.]+ mib_per_s=[0-9.]+ msgs_per_s=[0-9]+$' \
    "bench: one throughput line"
run ipc-socket -q bench --latency -n 500
like "$out" '^mechanism=unix-stream size=64 count=500 rtt_p50_us=[0-9.]+ rtt_p99_us=[0-9.]+$' \
    "bench --latency: one latency line"
run ipc-socket -q bench --tcp 127.0.0.1:0 -n 500 -s 1K
like "$out" '^mechanism=tcp size=1024 count=500 ' "bench --tcp on the loopback"

# Usage errors: exit 2, nothing on stdout, nothing made.
usage_error "no command" ipc-socket
usage_error "unknown command" ipc-socket frob
usage_error "unknown option" ipc-socket serve --frob
usage_error "an option of another command" ipc-socket pair --once
usage_error "--tcp without a port" ipc-socket serve --tcp 127.0.0.1
usage_error "--tcp with a bad port" ipc-socket serve --tcp 127.0.0.1:x
usage_error "--tcp port out of range" ipc-socket serve --tcp 127.0.0.1:70000
usage_error "--tcp IPv6 without brackets" ipc-socket connect --tcp ::1:80 x
usage_error "connect to port 0" ipc-socket connect --tcp 127.0.0.1:0 x
usage_error "PATH and --abstract" ipc-socket serve "$SCRATCH/x" --abstract "$UNIQ"
usage_error "--dgram with --tcp" ipc-socket serve --dgram --tcp 127.0.0.1:0
usage_error "an empty abstract name" ipc-socket serve --abstract ''
long=$SCRATCH/$(printf '%0110d' 0)
usage_error "a PATH too long for sun_path" ipc-socket serve "$long"
like "$err" 'at most 107 \(sun_path is 108 bytes' "... naming the limit"
usage_error "serve with two PATHs" ipc-socket serve a b
usage_error "passfd without FILE" ipc-socket passfd
usage_error "sendfd without FILE" ipc-socket sendfd
usage_error "sendfd over TCP" ipc-socket sendfd --tcp 127.0.0.1:1 f
usage_error "cred with an argument" ipc-socket cred x
usage_error "bench with an argument" ipc-socket bench x
usage_error "bench -n 0" ipc-socket bench -n 0
run ipc-socket --help
like "$out" '^Usage: ipc-socket ' "--help prints the usage on stdout"
run ipc-socket serve --help
like "$out" '--tcp HOST:PORT' "serve --help lists --tcp"

# Nothing left behind.
is "$(ls -A "$rd")" "" "the run directory is empty at the end"
is "$(leftovers)" "" "no process of ours is left running"
done_testing
