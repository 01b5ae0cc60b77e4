#!/bin/sh
# ipc-shm.sh - what a student would check by hand about ipc-shm.
. "${top_srcdir:-.}/tests/tap.sh"

uid=$(id -u)
# Keys and names of this run alone ($$ is unique while we run).
K1=$((0x16d00000 + $$))
K2=$((0x26d00000 + $$))
K3=$((0x36d00000 + $$))
claim key "$K1" "$K2" "$K3"
N1=/ipclab-test-$UNIQ-shm
N2=/ipclab-test-$UNIQ-shm2
hex() {
	printf '0x%08x' "$1"
}
# ipcs_row KEY FIELDS: the awk fields of KEY's row in ipcs -m.
ipcs_row() {
	ipcs -m | awk -v k="$(hex "$1")" -v f="$2" '$1 == k {
	    n = split(f, a, " "); s = ""
	    for (i = 1; i <= n; i++) s = s (i > 1 ? " " : "") $a[i]
	    print s }'
}
# field NAME: the value of NAME in info's output ($out).
field() {
	printf '%s\n' "$out" | sed -n "s/^$1  *//p"
}
# As another user, when we are root and can become one.
stranger=
if [ "$uid" -eq 0 ] && command -v setpriv >/dev/null 2>&1 &&
    setpriv --reuid=65534 --regid=65534 --clear-groups true 2>/dev/null; then
	stranger="setpriv --reuid=65534 --regid=65534 --clear-groups"
fi
prog=$(command -v ipc-shm)
# uid 65534 with a run directory of its own, so its default key is its own.
nobody=
if [ -n "$stranger" ]; then
	mkdir -m 700 "$SCRATCH/nrun"
	chown 65534:65534 "$SCRATCH/nrun"
	# uid 65534 must reach its run directory through $SCRATCH: x only.
	chmod 711 "$SCRATCH"
	nobody="$stranger env XDG_RUNTIME_DIR=$SCRATCH/nrun"
fi

# System V: write makes the segment, read prints it, ipcs shows it.
sh -c 'echo $$ >"$1"; exec ipc-shm -q write "hello, segment" -k "$2"' sh \
    "$SCRATCH/wpid" "$K1"
is "$?" 0 "write -k KEY exits 0"
is "$(ipcs_row "$K1" '4 5 6')" "600 4096 0" \
    "ipcs -m: mode 600, 4096 bytes, nattch 0"
like "$(cat /proc/sysvipc/shm)" "^ *$((K1)) " "/proc/sysvipc/shm lists the key"
sh -c 'echo $$ >"$1"; exec ipc-shm read -k "$2" >"$3" 2>"$4"' sh \
    "$SCRATCH/rpid" "$K1" "$SCRATCH/read.out" "$SCRATCH/read.err"
is "$(cat "$SCRATCH/read.out")" "hello, segment" "read prints the text"
like "$(cat "$SCRATCH/read.err")" 'shmat\([0-9]+, NULL, SHM_RDONLY\)' \
    "read narrates its read-only shmat"
run ipc-shm -q info -k "$K1"
is "$rc" 0 "info exits 0"
is "$(field key)" "$(hex "$K1")" "info: the key, as ipcs prints it"
is "$(field size)" "4096 bytes" "info: size"
is "$(field mode)" "0600" "info: mode 0600"
is "$(field nattch)" "0" "info: nattch 0 once everyone detached"
is "$(field cpid)" "$(cat "$SCRATCH/wpid")" "info: cpid is the write that made it"
is "$(field lpid)" "$(cat "$SCRATCH/rpid")" "info: lpid is the read that detached last"
like "$(field owner)" "^uid $uid " "info: the owner is us"

run ipc-shm -q write bye -k "$K1"
run ipc-shm -q read -k "$K1"
is "$out" "bye" "a shorter text replaces the longer one whole"
long=$(printf '%5000s' x)
run ipc-shm -q write "$long" -k "$K1"
is "$rc" 1 "a text larger than the existing segment: exit 1"
like "$err" "key $(hex "$K1"): TEXT needs 5001 bytes .* holds 4096" \
    "... naming the key and both sizes"
run ipc-shm write "$long" -k "$K2" -s 8K -m 640
is "$(ipcs_row "$K2" '4 5')" "640 8192" "write -s 8K -m 640 makes that segment"
like "$err" 'IPC_CREAT\|IPC_EXCL\|0640\) -> shmid' "... narrated"
run ipc-shm -q read -k "$K2"
is "$out" "$long" "5000 bytes come back"

# -f PATH -P PROJ: ftok(3) makes the key.
: >"$SCRATCH/keyfile"
run ipc-shm -q write ftok -f "$SCRATCH/keyfile" -P 7
run ipc-shm info -f "$SCRATCH/keyfile" -P 7
fkey=$(field key)
like "$err" "ftok\\(\"$SCRATCH/keyfile\", 7\\) -> key $fkey" "info: ftok's key is narrated"
is "$(ipcs -m | awk -v k="$fkey" '$1 == k { print $4 }')" 600 \
    "ipcs -m shows the ftok key"
run ipc-shm -q rm -f "$SCRATCH/keyfile" -P 7
is "$(ipcs -m | awk -v k="$fkey" '$1 == k')" "" "rm -f PATH -P PROJ removes it"

# The default key: ftok on the private run directory, mode 0600.
run ipc-shm write mine
run ipc-shm info
dkey=$(field key)
like "$err" "ftok\\(\"$XDG_RUNTIME_DIR/ipclab-$uid\", 'm'\\)" \
    "the default key comes from the run directory"
is "$(ipcs -m | awk -v k="$dkey" '$1 == k { print $4 }')" 600 \
    "the default segment is mode 600"
if [ -n "$stranger" ]; then
	run $stranger "$prog" read -k "$dkey"
	is "$rc" 1 "another user cannot read it: exit 1"
	like "$err" "^ipc-shm: shmget key $dkey: Permission denied" "... Permission denied, naming the key"
	run $stranger "$prog" write theirs -k "$dkey"
	is "$rc" 1 "another user cannot write it"
	run $stranger "$prog" rm -k "$dkey"
	like "$err" 'IPC_RMID .*Operation not permitted \(only its owner' \
	    "another user cannot remove it"
	run ipc-shm -q read
	is "$out" mine "... and it is untouched"
else
	for n in 1 2 3 4 5; do
		skip "not root: cannot test another user ($n)"
	done
fi

# rm: the segment goes; after it, read and rm fail and name the key.
for k in "$K1" "$K2"; do
	run ipc-shm rm -k "$k"
	is "$rc" 0 "rm $(hex "$k") exits 0"
done
like "$err" 'IPC_RMID\): nobody had it attached' "rm narrates the removal"
run ipc-shm -q rm
is "$(ipcs -m | awk -v k="$dkey" '$1 == k')" "" "rm removes the default segment"
is "$(ipcs_row "$K1" 1)" "" "ipcs -m no longer lists it"
run ipc-shm -q read -k "$K1"
is "$rc" 1 "read after rm: exit 1"
is "$err" "ipc-shm: shmget key $(hex "$K1"): No such file or directory (no segment has this key; 'ipc-shm write TEXT' makes one)" \
    "... and says why"
run ipc-shm -q rm -k "$K1"
is "$rc" 1 "rm of a missing segment: exit 1"

# POSIX: an ordinary file under /dev/shm.
run ipc-shm -q --posix write "posix text" -N "$N1"
is "$rc" 0 "--posix write exits 0"
check "the object is a file under /dev/shm" test -f "/dev/shm$N1"
cat "/dev/shm$N1" >"$SCRATCH/cat.out"
is "$(tr -d '\000' <"$SCRATCH/cat.out")" "posix text" \
    "cat /dev/shm/NAME shows the text (and NUL bytes)"
is "$(stat -c '%a %s %u' "/dev/shm$N1")" "600 4096 $uid" \
    "mode 600, 4096 bytes, ours"
run ipc-shm -q --posix read -N "$N1"
is "$out" "posix text" "--posix read prints it"
run ipc-shm -q info --posix -N "$N1"
is "$(field file)" "/dev/shm$N1" "--posix info: the file"
is "$(field size) $(field mode)" "4096 bytes 0600" "--posix info: size and mode"
like "$(field owner)" "^uid $uid " "--posix info: owner"
(umask 077 && ipc-shm -q --posix write x -N "$N2" -m 640 -s 100)
is "$(stat -c '%a %s' "/dev/shm$N2")" "640 100" "-m 640 holds whatever the umask"
if [ -n "$stranger" ]; then
	run $stranger "$prog" --posix read -N "$N1"
	is "$rc" 1 "another user cannot open the object: exit 1"
	like "$err" "^ipc-shm: shm_open $N1: Permission denied" "... Permission denied"
else
	skip "not root: cannot test another user"
	skip "not root: cannot test another user"
fi
run ipc-shm --posix rm -N "$N1"
is "$rc" 0 "--posix rm exits 0"
check "the file is gone from /dev/shm" test ! -e "/dev/shm$N1"
run ipc-shm -q --posix rm -N "$N1"
is "$rc" 1 "--posix rm of a missing object: exit 1"
like "$err" "shm_unlink $N1: No such file or directory" "... and says so"
run ipc-shm -q --posix rm -N "$N2"
run ipc-shm -q --posix read -N "$N2"
like "$err" "^ipc-shm: shm_open $N2: No such file or directory" \
    "--posix read of a missing object names it"

# As an ordinary user, whom permissions bind (uid 65534, when we are root).
# shellcheck disable=SC2086 # $nobody is words
if [ -n "$nobody" ]; then
	run $nobody "$prog" info
	nkey=$(printf '%s\n' "$err" | sed -n 's/.*-> key \(0x[0-9a-f]*\).*/\1/p')
	nrow() {
		awk -v k=$((nkey)) 'NR > 1 && $1 == k { print $3, $8 }' \
		    /proc/sysvipc/shm
	}
	run $nobody "$prog" write hi -m 200
	is "$rc:$out" "2:" "uid 65534: write -m 200 is a usage error, not a failure"
	is "$(nrow)" "" "... and leaves no segment its owner cannot read"
	$nobody "$prog" -q rm 2>/dev/null

	# Refused (EACCES) under its default key: its own, of a mode that
	# shuts it out too, or root's.
	if perl -MIPC::SysV=IPC_CREAT -e 1 2>/dev/null; then
		# shellcheck disable=SC2016 # perl's $ARGV
		$nobody perl -MIPC::SysV=IPC_CREAT -e \
		    'shmget(hex($ARGV[0]), 4096, IPC_CREAT | 0400) // exit 1' \
		    "$nkey"
		run $nobody "$prog" -q write x
		is "$rc:$err" "1:ipc-shm: shmget key $nkey: Permission denied (the segment is yours, but its mode 0400 does not let you in; 'ipc-shm rm' removes it)" \
		    "uid 65534: write to its own 0400 segment: yours, but its mode"
		run $nobody "$prog" -q rm
		is "$rc:$(nrow)" "0:" "... and rm removes it"
	else
		skip "no perl IPC::SysV: cannot make a 0400 segment"
		skip "no perl IPC::SysV: cannot make a 0400 segment"
	fi
	ipc-shm -q -k "$nkey" write "root's"
	run $nobody "$prog" -q read
	like "$rc:$err" "^1:ipc-shm: shmget key $nkey: Permission denied \\(a segment with your default key exists but belongs to uid 0( \\([a-z]+\\))?, not you; choose another key with -k KEY\\)\$" \
	    "uid 65534: root's segment on its default key: whose it is"
	ipc-shm -q -k "$nkey" rm
	nobj=/dev/shm/ipclab-65534-shm
	if [ ! -e "$nobj" ]; then
		$nobody "$prog" -q --posix write first
		$nobody chmod 400 "$nobj"
		run $nobody "$prog" -q --posix write second
		is "$rc:$err" "1:ipc-shm: shm_open /ipclab-65534-shm: Permission denied ($nobj is yours, but its mode 0400 does not let you in; 'ipc-shm --posix rm' removes it)" \
		    "uid 65534: --posix write to its own 0400 object: yours, but its mode"
		run $nobody "$prog" -q --posix read
		is "$rc:$out" "0:first" "... read may, and finds the text unchanged"
		run $nobody "$prog" -q --posix rm
		check "... and rm removes it" test ! -e "$nobj"
		# A FIFO another user (65533) put under uid 65534's default
		# name: opening it for reading would wait for a writer.
		mkfifo -m 666 "$nobj"
		chown 65533:65533 "$nobj"
		for c in read info write; do
			# shellcheck disable=SC2046 # write's TEXT, or nothing
			run -t 5 $nobody "$prog" -q --posix "$c" \
			    $([ "$c" = write ] && echo x)
			is "$rc:$err" "1:ipc-shm: $nobj is a FIFO of uid 65533, not a shared memory object; refusing to use it" \
			    "uid 65534: --posix $c on a FIFO planted in /dev/shm: refused at once, in one line"
		done
		rm -f "$nobj"
	else
		for n in 1 2 3 4 5 6; do
			skip "$nobj exists: another run uses it ($n)"
		done
	fi
else
	for n in 1 2 3 4 5 6 7 8 9 10 11; do
		skip "not root: cannot become uid 65534 ($n)"
	done
fi

# demo: every message once, in order, whatever the memory.
run ipc-shm demo
is "$out" "received 5000 of 5000 messages in order" "demo: 5000 messages in order"
is "$rc" 0 "demo exits 0"
like "$err" 'shmget\(IPC_PRIVATE, [0-9]+, IPC_CREAT\|0600\) -> shmid' \
    "demo makes a private segment"
like "$err" '\[writer [0-9]+\] sem_wait\(empty\)' "the writer waits for empty"
like "$err" '\[reader [0-9]+\] sem_wait\(full\)' "the reader waits for full"
like "$err" 'nattch 2' "fork() attaches the child: nattch 2"
like "$err" 'shmctl\([0-9]+, IPC_RMID\)' "demo removes its segment"
run ipc-shm -q demo -n 777 --posix
is "$out" "received 777 of 777 messages in order" "demo --posix -n 777"
run ipc-shm demo --memfd -n 2000
is "$(printf '%s\n' "$out" | tail -n 1)" "received 2000 of 2000 messages in order" \
    "demo --memfd -n 2000"
like "$out" '^ftruncate to [0-9]+ bytes refused: Operation not permitted \(the size is sealed\)' \
    "demo --memfd: the sealed size refuses ftruncate (EPERM)"
like "$err" 'F_ADD_SEALS, F_SEAL_SHRINK\|F_SEAL_GROW' "... after F_ADD_SEALS"
run ipc-shm -q demo --no-sem
is "$rc" 0 "demo --no-sem exits 0"
like "$out" '^received [0-9]+ of 5000 messages: [0-9]+ lost, [0-9]+ read again, [0-9]+ torn$' \
    "demo --no-sem counts the damage"
case $out in
"received 5000 of 5000"*) not_ok "demo --no-sem shows lost or repeated messages" ;;
*) ok "demo --no-sem shows lost or repeated messages" ;;
esac
run ipc-shm -q demo --no-sem --memfd -n 3000
like "$out" '^received [0-9]+ of 3000 messages: ' "demo --no-sem --memfd too"

# A reader of the output that goes away cannot make the demo leave its
# object behind (SIGPIPE would kill it before its cleanup).
ipc-shm demo --posix -n 20000 2>&1 | head -n 1 >"$SCRATCH/head.out"
name=$(sed -n 's/.*shm_open("\([^"]*\)".*/\1/p' "$SCRATCH/head.out")
like "$name" "^/ipclab-$uid-shm-[0-9]+\$" "demo --posix names its object after its pid"
check "ipc-shm demo | head: the object is removed all the same" \
    test ! -e "/dev/shm$name"

# Two demos at once never meet.
bg ipc-shm -q demo -n 20000 >"$SCRATCH/d1"
p1=$bg_pid
bg ipc-shm -q demo -n 20000 --posix >"$SCRATCH/d2"
p2=$bg_pid
reap_bg "$p1"
r1=$rc
reap_bg "$p2"
is "$r1 $rc" "0 0" "two demos at once both succeed"
is "$(cat "$SCRATCH/d1" "$SCRATCH/d2")" "received 20000 of 20000 messages in order
received 20000 of 20000 messages in order" "... each with all its messages"

# A running demo: ipcs sees it; Ctrl-Z and fg change nothing; ipcrm
# under it only marks it, and the cleanup says so; SIGINT ends it and the
# segment goes with its last detach.
bg ipc-shm demo -n 100000000 >"$SCRATCH/long.out" 2>"$SCRATCH/long.err"
pid=$bg_pid
wait_for 10 grep -q 'fork() -> writer' "$SCRATCH/long.err"
shmid=$(sed -n 's/.*shmget(IPC_PRIVATE.* -> shmid \([0-9]*\).*/\1/p' "$SCRATCH/long.err")
reader=$(sed -n 's/^\[reader \([0-9]*\)\] fork() ->.*/\1/p' "$SCRATCH/long.err")
writer=$(sed -n 's/.*fork() -> writer \([0-9]*\);.*/\1/p' "$SCRATCH/long.err")
is "$(ipcs -m | awk -v id="$shmid" '$2 == id { print $1, $4, $6 }')" \
    "0x00000000 600 2" "ipcs -m: key 0 (IPC_PRIVATE), mode 600, nattch 2"
kill -STOP "$reader" "$writer"
sleep 0.2
kill -CONT "$reader" "$writer"
sleep 0.3
check "after SIGSTOP and SIGCONT the demo runs on" kill -0 "$reader"
is "$(grep '^ipc-shm:' "$SCRATCH/long.err")" "" "... with no error"
ipcrm -m "$shmid"
is "$(ipcs -m | awk -v id="$shmid" '$2 == id { print $6, $7 }')" "2 dest" \
    "ipcrm -m under it: nattch 2, marked dest"
check "... and the demo runs on" kill -0 "$reader"
kill -INT "$pid"
reap_bg "$pid"
is "$rc" 130 "SIGINT ends the demo, dying of the signal"
check "... its cleanup says ipcrm marked the segment first" \
    grep -q "shmid $shmid was already marked for removal" "$SCRATCH/long.err"
is "$(ipcs -m | awk -v id="$shmid" '$2 == id')" "" "... and the segment is gone"
check "... and so is the writer" wait_for 3 test -z "$(leftovers)"

# mmap: the four kinds, the table, and no file left.
run ipc-shm -q mmap
is "$out" "mapping                before the child  parent sees       file holds
shared, file-backed    from the file     from the child    from the child
shared, anonymous      from the parent   from the child    -
private, file-backed   from the file     from the file     from the file
private, anonymous     from the parent   from the parent   -" "mmap: what the parent sees, what reached the file"
is "$rc" 0 "mmap exits 0"
is "$(ls -A "$XDG_RUNTIME_DIR/ipclab-$uid")" "" "mmap removes its file"

# bench: one key=value line for each kind of memory.
for kind in sysv posix memfd; do
	case $kind in
	sysv) flag= ;;
	*) flag=--$kind ;;
	esac
	run ipc-shm -q bench $flag -n 300
	like "$out" "^mechanism=shm-$kind size=65536 count=300 seconds=[0-9.]+ mib_per_s=[0-9.]+ msgs_per_s=[0-9]+ slots=64 wait=sem cpu_s=[0-9.]+\$" \
	    "bench $flag: the throughput line"
done
run ipc-shm -q bench --latency -n 300 -s 1K
like "$out" '^mechanism=shm-sysv size=1024 count=300 rtt_p50_us=[0-9.]+ rtt_p99_us=[0-9.]+ wait=sem cpu_s=[0-9.]+$' \
    "bench --latency: median and p99"
run ipc-shm -q bench --spin -s 64 -n 5000
like "$out" '^mechanism=shm-sysv size=64 count=5000 .* wait=spin cpu_s=[0-9.]+$' \
    "bench --spin reports the CPU it burned"
run -t 30 ipc-shm -q bench --spin --cpu 0,0 -s 4K -n 2000
like "$out" ' cpu=0,0 slots=1024 wait=spin ' "bench --spin on one CPU finishes"
run -t 30 ipc-shm -q bench --spin --latency --cpu 0,0 -n 500
like "$out" '^mechanism=shm-sysv size=64 count=500 .* cpu=0,0 wait=spin ' \
    "bench --spin --latency on one CPU finishes"
run ipc-shm -q bench -n 10 --cpu "0,$NOCPU"
is "$rc" 1 "bench --cpu with a CPU we cannot use: exit 1"

# SIGTERM and SIGHUP end a bench and remove its objects.
bg ipc-shm bench --posix -s 64 -n 100000000 2>"$SCRATCH/b.err"
pid=$bg_pid
wait_for 10 grep -q 'one-way stream' "$SCRATCH/b.err"
name=$(sed -n 's/.*shm_open("\([^"]*\)".*/\1/p' "$SCRATCH/b.err")
check "bench --posix makes its own object in /dev/shm" test -e "/dev/shm$name"
kill -TERM "$pid"
reap_bg "$pid"
is "$rc" 143 "SIGTERM ends bench --posix"
check "... and removes its object" test ! -e "/dev/shm$name"
bg ipc-shm bench --spin -s 64 -n 100000000 2>"$SCRATCH/b2.err"
pid=$bg_pid
wait_for 10 grep -q 'one-way stream' "$SCRATCH/b2.err"
shmid=$(sed -n 's/.*-> shmid \([0-9]*\).*/\1/p' "$SCRATCH/b2.err")
kill -HUP "$pid"
reap_bg "$pid"
is "$rc" 129 "SIGHUP ends bench --spin"
is "$(ipcs -m | awk -v id="$shmid" '$2 == id')" "" "... and removes its segment"

# The map in ipc-shm.c sends a student to the function that makes the
# memory of demo --posix and --memfd, and the call is there.
map=$(sed -n '/Where to read:/,/See also:/p' "${top_srcdir:-.}/shm/ipc-shm.c" |
    tr -d '*\t' | tr '\n' ' ')
for pair in new_region_posix:shm_open new_region_memfd:memfd_create \
    seal_memfd:F_ADD_SEALS; do
	fn=${pair%:*} call=${pair#*:}
	like "$map" "$fn: ([a-z_]+, )*$call" "the map: $call in $fn"
	like "$(awk -v f="$fn" '$0 ~ "^" f "\\(" { p = 1 } p { print }
	    p && /^}/ { exit }' "${top_srcdir:-.}/shm/region.c")" "${call}[(,]" \
	    "... and shm/region.c:$fn calls it"
done

# Help and version.
run ipc-shm --help
like "$out" '^Usage: ipc-shm \[OPTION\.\.\.\] COMMAND' "--help prints usage on stdout"
run ipc-shm demo --help
like "$out" '--no-sem' "demo --help shows its options"
run ipc-shm --version
like "$out" '^ipc-shm \(ipclab\) [0-9]' "--version"

# Usage errors: exit 2, nothing on stdout, and nothing made.
usage_error "no command" ipc-shm
usage_error "unknown command" ipc-shm frobnicate
usage_error "write without TEXT" ipc-shm write -k "$K3"
usage_error "write with two TEXTs" ipc-shm write a b -k "$K3"
usage_error "TEXT larger than -s" ipc-shm write 0123456789 -s 5 -k "$K3"
usage_error "TEXT larger than a new segment" ipc-shm write "$long" -k "$K3"
usage_error "size with a bad suffix" ipc-shm write x -s 4Q -k "$K3"
usage_error "key 0" ipc-shm read -k 0
usage_error "key not a number" ipc-shm read -k 12ab
usage_error "key too large" ipc-shm read -k 0x100000000
usage_error "-k with -f" ipc-shm read -k 5 -f /
usage_error "-P 0" ipc-shm read -P 0
usage_error "-P 256" ipc-shm read -P 256
usage_error "mode 999" ipc-shm write x -m 999 -k "$K3"
usage_error "write -m 400: shmat for writing would be refused" \
    ipc-shm write x -m 400 -k "$K3"
like "$err" "^ipc-shm: -m 0400: a new segment of that mode would refuse you, its owner, the shmat\\(\\) for writing" \
    "... naming the call and the permission"
is "$(awk -v k=$((K3)) 'NR > 1 && $1 == k' /proc/sysvipc/shm)" "" \
    "... and no segment is made"
usage_error "write -m 200: IPC_STAT and shmat() need read permission too" \
    ipc-shm write x -m 200 -k "$K3"
like "$err" "^ipc-shm: -m 0200: .*\\(read and write permission, 0600\\)\$" \
    "... naming both permissions"
for m in 0 200 400; do
	usage_error "--posix write -m $m: later opens would be refused" \
	    ipc-shm --posix write x -m "$m" -N "$N1"
done
like "$err" "^ipc-shm: -m 0400: a new object of that mode would refuse you, its owner, the shm_open\\(\\) with O_RDWR" \
    "... naming the open it would refuse"
check "... and no object is made" test ! -e "/dev/shm$N1"
usage_error "-N without --posix" ipc-shm read -N "$N1"
usage_error "--posix with -k" ipc-shm --posix read -k 5
usage_error "-N without a slash" ipc-shm --posix read -N nope
usage_error "-N with a second slash" ipc-shm --posix read -N /a/b
usage_error "--memfd with write" ipc-shm --memfd write x
usage_error "--posix with --memfd" ipc-shm demo --posix --memfd
usage_error "demo -n 0" ipc-shm demo -n 0
usage_error "demo with an argument" ipc-shm demo now
usage_error "--spin for demo" ipc-shm demo --spin
usage_error "mmap with an argument" ipc-shm mmap x
usage_error "bench -s above 64M" ipc-shm bench -s 65M
usage_error "cpu pair without a comma" ipc-shm bench --cpu 1
usage_error "missing option argument" ipc-shm read -k
is "$(ipcs_row "$K3" 1)" "" "no usage error made a segment"

# Nothing of ours is left: no segment, no object, no process.
left=
for k in "$K1" "$K2" "$K3"; do
	left="$left$(ipcs_row "$k" 1)"
done
is "$left" "" "ipcs -m shows none of the test's keys"
# A demo's or bench's name ends in its pid: one whose process is gone is stale.
left=
for f in /dev/shm/ipclab-test-"$UNIQ"*; do
	[ -e "$f" ] && left="$left $f"
done
for f in /dev/shm/ipclab-"$uid"-shm-*; do
	[ -e "$f" ] || continue
	kill -0 "${f##*-}" 2>/dev/null || left="$left $f"
done
is "$left" "" "/dev/shm holds none of the test's names"
is "$(leftovers)" "" "nothing of ours is left running"
done_testing
