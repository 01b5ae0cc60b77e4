#!/bin/sh
# privacy.sh - objects are private to their user, as DESIGN.md promises:
#   1. modes: every object or file a program makes with its defaults is
#      mode 0600 (run directory 0700, ours), even under umask 000;
#   2. other users (root only): uid 65534 cannot use root's objects
#      through the programs, and the reverse; two users' default names
#      never meet;
#   3. planted files: a symlink, a file or a directory where a program
#      wants its run directory, FIFO, socket or lock file is refused (or,
#      for a lock, used without a change) and whatever it points at is
#      left exactly as it was;
#   4. planted objects (root only): an object another user made under our
#      default name or key is refused, whatever its mode.
# Everything a program made is removed with the program's own rm.
#
# The tables are here-documents, one case a line:
#   "STATUS | PATH THE MESSAGE NAMES | PROG ARG..." (split by eval).
# tap.sh's run and bg set out, err, rc and bg_pid; 'shellcheck -x' sees
# that; the variables for the tables are used through eval (SC2034).
# cases takes its arguments from eval, not from its callers (SC2119, SC2120).
# shellcheck disable=SC1091,SC2034,SC2119,SC2120,SC2154
. "${top_srcdir:-.}/tests/tap.sh"
. "${top_srcdir:-.}/tests/objects.sh"
# The per-user default POSIX names are used throughout: hold them alone.
defaults_take

# A program that leaves its objects' privacy to the umask shows it here.
umask 000
uid=$(id -u)
rd=$XDG_RUNTIME_DIR/ipclab-$uid
mq=/dev/mqueue
[ -d "$mq" ] && [ -n "$(find "$mq" -maxdepth 0 -type d 2>/dev/null)" ] &&
    grep -q " $mq mqueue " /proc/mounts || mq=

# Files the planted links point at, and where the plants go.
t=$SCRATCH/t
p=$SCRATCH/p
mkdir -m 755 "$t" "$p"
printf 'precious\n' >"$t/file"
chmod 644 "$t/file"
mkdir -m 755 "$t/dir"
printf 'inside\n' >"$t/dir/inner"

# skip_n N REASON: N test points skipped, so the plan stays the same.
skip_n() {
	tap_k=$1
	shift
	while [ "$tap_k" -gt 0 ]; do
		skip "$*"
		tap_k=$((tap_k - 1))
	done
}

# fingerprint: everything under $t and $p as a student would compare it:
# type, mode, owner, size, mtime to the nanosecond, inode, link target,
# and every regular file's content.
fingerprint() {
	find "$t" "$p" -printf '%p %y %m %U %s %T@ %i %l\n' | sort
	find "$t" "$p" -type f | sort | while read -r tap_f; do
		printf '%s: ' "$tap_f"
		cat "$tap_f"
	done
}

# sysv_row KIND KEY: "perms uid cuid" of the System V object with KEY in
# /proc/sysvipc/KIND (msg, shm or sem), nothing when there is none.
sysv_row() {
	awk -v k="$(($2))" -v kind="$1" 'NR > 1 {
		key = $1 + 0
		if (key < 0)
			key += 4294967296
		if (key != k + 0)
			next
		if (kind == "sem")
			print $3, $5, $7
		else
			print $3, $8, $10
	}' "/proc/sysvipc/$1"
}

# default_key CMD...: the key CMD's narration says ftok(3) made.
default_key() {
	run "$@"
	printf '%s\n' "$err" | sed -n 's/.*ftok(.*) -> key \(0x[0-9a-f]*\).*/\1/p' |
	    head -n 1
}

# default_free KIND USER: nobody (no other run of this user either) has
# the POSIX default name of KIND (msgq, shm, sem) for USER's uid now.
# These names are per user, not per run: another test run of the same
# user may hold one for a moment, and then these points are skipped.
default_free() {
	case $1 in
	msgq) ! ipc-msgq -q --posix -N "/ipclab-$2-msgq" info >/dev/null 2>&1 ;;
	shm) [ ! -e "/dev/shm/ipclab-$2-shm" ] ;;
	sem) [ ! -e "${SEM_AT}ipclab-$2-sem" ] ;;
	esac
}

# refused STATUS NAMED DESC CMD...: CMD exits STATUS; for status 1 its
# stderr is one line naming NAMED; nothing under $t or $p changed and
# nothing new was made anywhere.
refused() {
	tap_want=$1
	tap_named=$2
	tap_desc=$3
	shift 3
	# Kept where objects.sh does not look (.objects.*).
	fingerprint >"$SCRATCH/.objects.fp-before"
	objects_before
	run -t 10 "$@" </dev/null
	why=
	[ "$rc" -eq "$tap_want" ] || why="$why exit $rc;"
	if [ "$tap_want" -eq 1 ]; then
		[ "$(printf '%s\n' "$err" | wc -l)" -eq 1 ] ||
		    why="$why not one line on stderr;"
		case $err in
		*"$tap_named"*) ;;
		*) why="$why the message does not name $tap_named;" ;;
		esac
	fi
	fingerprint >"$SCRATCH/.objects.fp-after"
	cmp -s "$SCRATCH/.objects.fp-before" "$SCRATCH/.objects.fp-after" ||
	    why="$why changed: $(diff "$SCRATCH/.objects.fp-before" \
	    "$SCRATCH/.objects.fp-after" | grep '^[<>]' | tr '\n' ' ');"
	nothing_new || why="$why left behind: $(objects_new | tr '\n' ' ');"
	if [ -z "$why" ]; then
		ok "$tap_desc"
	else
		not_ok "$tap_desc"
		diag "command: $*" "problem:$why" "stdout: $out" \
		    "stderr: $(printf '%s\n' "$err" | head -n 4)"
	fi
}

# cases: each line of the here-document on stdin, through refused.
cases() {
	while IFS='|' read -r want named cmd; do
		case $want in '' | '#'*) continue ;; esac
		want=$(printf '%s' "$want" | tr -d ' ')
		eval "set -- $named"
		named=$1
		eval "set -- $cmd"
		refused "$want" "$named" "exit $want: $(printf '%s' "$cmd" |
		    sed "s/^ *//; s/ *\$//; s|$SCRATCH|\\\$SCRATCH|g")" "$@"
	done
}

# 1. Modes ------------------------------------------------------------------

objects_before
run ipc-msgq -q send hello
is "$rc" 0 "msgq send with the defaults exits 0 (under umask 000)"
is "$(stat -c '%a %u %F' "$rd")" "700 $uid directory" \
    "the run directory it made is 0700 and ours"

# System V, default keys (ftok of this run's own run directory).
key=$(default_key ipc-msgq info)
is "$(sysv_row msg "$key")" "600 $uid $uid" \
    "ipc-msgq send (System V): the queue is 0600 and ours (/proc/sysvipc/msg)"
run ipc-msgq -q rm
is "$rc:$(sysv_row msg "$key")" "0:" "... ipc-msgq rm removes it"

# Our own default queue at mode 0200 may be sent to, not looked at: send
# must still know it is ours (/proc/sysvipc/msg tells) and send.
ipc-msgq -q send -m 200 first
run ipc-msgq -q send second
is "$rc:$err" "0:" "ipc-msgq send to our own default queue of mode 0200"
run ipc-msgq -q rm

run ipc-shm -q write hello
key=$(default_key ipc-shm info)
is "$rc:$(sysv_row shm "$key")" "0:600 $uid $uid" \
    "ipc-shm write (System V): the segment is 0600 and ours"
run ipc-shm -q rm
is "$rc:$(sysv_row shm "$key")" "0:" "... ipc-shm rm removes it"

run ipc-sem -q --sysv create
key=$(default_key ipc-sem --sysv info)
is "$rc:$(sysv_row sem "$key")" "0:600 $uid $uid" \
    "ipc-sem --sysv create: the set is 0600 and ours"
run ipc-sem -q --sysv rm
is "$rc:$(sysv_row sem "$key")" "0:" "... ipc-sem --sysv rm removes it"

# POSIX: the default names are per user, not per run.
if [ -z "$mq" ]; then
	skip_n 2 "$mq is not mounted: no file to look at"
elif default_free msgq "$uid"; then
	run ipc-msgq -q --posix send hello
	is "$rc:$(stat -c '%a %u' "$mq/ipclab-$uid-msgq" 2>&1)" "0:600 $uid" \
	    "ipc-msgq --posix send: $mq/ipclab-$uid-msgq is 0600 and ours"
	run ipc-msgq -q --posix rm
	check "... ipc-msgq --posix rm removes it" \
	    test "$rc" -eq 0 -a ! -e "$mq/ipclab-$uid-msgq"
else
	skip_n 2 "another run of uid $uid has /ipclab-$uid-msgq now"
fi
if default_free shm "$uid"; then
	run ipc-shm -q --posix write hello
	is "$rc:$(stat -c '%a %u' "/dev/shm/ipclab-$uid-shm" 2>&1)" \
	    "0:600 $uid" "ipc-shm --posix write: /dev/shm/ipclab-$uid-shm is 0600 and ours"
	run ipc-shm -q --posix rm
	check "... ipc-shm --posix rm removes it" \
	    test "$rc" -eq 0 -a ! -e "/dev/shm/ipclab-$uid-shm"
else
	skip_n 2 "another run of uid $uid has /ipclab-$uid-shm now"
fi
# ipc-sem.sh makes the default semaphore itself; here a name of this run.
run ipc-sem -q -N "/$UNIQ-sem" create
is "$rc:$(stat -c '%a %u' "$SEM_AT$UNIQ-sem" 2>&1)" "0:600 $uid" \
    "ipc-sem create: $SEM_AT$UNIQ-sem is 0600 and ours"
run ipc-sem -q -N "/$UNIQ-sem" rm
check "... ipc-sem rm removes it" \
    test "$rc" -eq 0 -a ! -e "$SEM_AT$UNIQ-sem"

# FIFOs: make, and read or write making a missing one; demo's own.
f=$SCRATCH/fifo
run ipc-fifo -q make "$f"
is "$rc:$(stat -c '%a %u %F' "$f")" "0:600 $uid fifo" "ipc-fifo make: the FIFO is 0600"
run ipc-fifo -q rm "$f"
check "... ipc-fifo rm removes it" test "$rc" -eq 0 -a ! -e "$f"
bg ipc-fifo -q write "$f" x
pid=$bg_pid
check "ipc-fifo write makes a missing FIFO..." wait_for 5 test -p "$f"
is "$(stat -c '%a %u' "$f")" "600 $uid" "... 0600"
run -t 10 ipc-fifo -q read "$f"
reap_bg "$pid"
run ipc-fifo -q rm "$f"
bg ipc-fifo -q read "$f"
pid=$bg_pid
check "ipc-fifo read makes a missing FIFO..." wait_for 5 test -p "$f"
is "$(stat -c '%a %u' "$f")" "600 $uid" "... 0600"
run ipc-fifo -q write "$f" x
reap_bg "$pid"
run ipc-fifo -q rm "$f"
check "... ipc-fifo rm removes it" test "$rc" -eq 0 -a ! -e "$f"
run ipc-fifo demo
like "$err" "stat\\(\"$rd/fifo-demo-[0-9]+\"\\) -> a FIFO[^,]*, mode 0600" \
    "ipc-fifo demo: its FIFO in the run directory is 0600"

# Sockets: serve's default socket file and recvfd's, while they run.
bg ipc-socket -q serve --once
pid=$bg_pid
check "ipc-socket serve: a socket at $rd/socket" wait_for 5 listening "$rd/socket"
is "$(stat -c '%a %u' "$rd/socket")" "600 $uid" "... 0600 and ours"
run ipc-socket -q connect hi
reap_bg "$pid"
is "$rc:$(test -e "$rd/socket" || echo gone)" "0:gone" \
    "... removed when serve ends"
bg ipc-socket -q recvfd
pid=$bg_pid
check "ipc-socket recvfd: a socket at $rd/socket-fd" \
    wait_for 5 listening "$rd/socket-fd"
is "$(stat -c '%a %u' "$rd/socket-fd")" "600 $uid" "... 0600 and ours"
run ipc-socket -q sendfd "$t/file"
reap_bg "$pid"
is "$rc:$(test -e "$rd/socket-fd" || echo gone)" "0:gone" \
    "... removed when recvfd ends"

# A lock file lock makes; ipc-flock has no rm: rm(1) does.
run ipc-flock -q lock "$SCRATCH/lock" -- true
is "$rc:$(stat -c '%a %u %F' "$SCRATCH/lock")" "0:600 $uid regular empty file" \
    "ipc-flock lock makes a missing lock file 0600"
rm -f "$SCRATCH/lock"
is "$(objects_left | tr '\n' ' ')" "" "every object of part 1 is gone"

# The run directory is ours but open to all (an old umask, a chmod):
# the program closes it up again (ipclab(7) says so), and goes on.
chmod 777 "$rd"
run ipc-msgq -q send again
is "$rc:$(stat -c %a "$rd")" "0:700" \
    "a run directory of ours at 0777 is set back to 0700, and used"
run ipc-msgq -q rm
# ... or closed to its owner too (chmod 0, or made under umask 777, which
# takes every bit from mkdir's 0700): set back, not refused for ever.
chmod 0 "$rd"
run ipc-fifo -q demo
is "$rc:$(stat -c %a "$rd")" "0:700" \
    "a run directory of ours at 0000 is set back to 0700, and used"
mkdir "$SCRATCH/xdg"
run sh -c 'umask 777; XDG_RUNTIME_DIR=$1 ipc-fifo -q demo' sh "$SCRATCH/xdg"
is "$rc:$(stat -c %a "$SCRATCH/xdg/ipclab-$uid")" "0:700" \
    "a run directory made under umask 777 is 0700, and used"
rm -r "$SCRATCH/xdg"
# Under umask 777 (0600 minus 0777 is 0000) the commands that make an
# object of their own and open it again still work: they set its mode
# with fchmod(), which the umask does not touch.  Only an ordinary user
# could be shut out.
for cmd in "ipc-flock -q compare" "ipc-flock -q deadlock" \
    "ipc-flock -q bench -n 100" "ipc-msgq -q --posix demo"; do
	run sh -c "umask 777; exec $cmd"
	is "$rc" 0 "$cmd under umask 777 exits 0"
done

# 3. Planted files (every user) --------------------------------------------
# A plant of each kind: a symlink to a file, to a directory, to nothing;
# a regular file; a directory.
ln -s "$t/file" "$p/tofile"
ln -s "$t/dir" "$p/todir"
ln -s "$t/none" "$p/tonone"
printf 'keep me\n' >"$p/file"
chmod 644 "$p/file"
mkdir -m 755 "$p/dir"

# Run directories someone else prepared: a symlink to our file or to our
# directory, a regular file.
for k in tofile todir file; do
	mkdir -m 755 "$p/rd-$k"
done
ln -s "$t/file" "$p/rd-tofile/ipclab-$uid"
ln -s "$t/dir" "$p/rd-todir/ipclab-$uid"
printf 'keep me\n' >"$p/rd-file/ipclab-$uid"

for k in tofile todir file; do
	x=$p/rd-$k
	cases <<EOF
1 | "$x/ipclab-$uid" | env XDG_RUNTIME_DIR="$x" ipc-fifo -q demo
1 | "$x/ipclab-$uid" | env XDG_RUNTIME_DIR="$x" ipc-fifo -q bench -n 1
1 | "$x/ipclab-$uid" | env XDG_RUNTIME_DIR="$x" ipc-msgq -q send hi
1 | "$x/ipclab-$uid" | env XDG_RUNTIME_DIR="$x" ipc-shm -q write hi
1 | "$x/ipclab-$uid" | env XDG_RUNTIME_DIR="$x" ipc-sem -q --sysv create
1 | "$x/ipclab-$uid" | env XDG_RUNTIME_DIR="$x" ipc-socket -q serve --once
1 | "$x/ipclab-$uid" | env XDG_RUNTIME_DIR="$x" ipc-socket -q connect hi
1 | "$x/ipclab-$uid" | env XDG_RUNTIME_DIR="$x" ipc-socket -q recvfd
1 | "$x/ipclab-$uid" | env XDG_RUNTIME_DIR="$x" ipc-flock -q demo -n 1
EOF
done

# FIFO, socket and lock paths.  A lock changes nothing in a file, so
# lock follows a symlink to a file, as flock(1) does, and leaves it as
# it was; it never creates a file through a dangling one.
for k in tofile todir tonone file dir; do
	x=$p/$k
	case $k in
	tofile | file) lk=0 ;;
	*) lk=1 ;;
	esac
	cases <<EOF
1 | "$x" | ipc-fifo -q read "$x"
1 | "$x" | ipc-fifo -q write "$x" secret
1 | "$x" | ipc-fifo -q write --nonblock "$x" secret
1 | "$x" | ipc-fifo -q make "$x"
1 | "$x" | ipc-fifo -q rm "$x"
1 | "$x" | ipc-socket -q serve "$x" --once
1 | "$x" | ipc-socket -q serve --dgram "$x" --once
1 | "$x" | ipc-socket -q recvfd "$x"
1 | "$x" | ipc-socket -q connect "$x" secret
1 | "$x" | ipc-socket -q sendfd "$x" "$t/file"
$lk | "$x" | ipc-flock -q lock "$x" -- true
EOF
done

# The default socket paths in our own run directory, planted (by us, or
# root): serve and recvfd refuse, connect finds no server.
ln -s "$t/file" "$rd/socket"
ln -s "$t/dir" "$rd/socket-fd"
cases <<EOF
1 | "$rd/socket" | ipc-socket -q serve --once
1 | "$rd/socket" | ipc-socket -q connect secret
1 | "$rd/socket-fd" | ipc-socket -q recvfd
1 | "$rd/socket-fd" | ipc-socket -q sendfd "$t/file"
EOF
rm -f "$rd/socket" "$rd/socket-fd"

# 2 and 4 need a second user: root becomes uid 65534 with setpriv.
nobody=
nrun=$SCRATCH/nrun
if [ "$uid" -ne 0 ]; then
	why_not="not root: cannot become another user"
elif ! command -v setpriv >/dev/null 2>&1; then
	why_not="no setpriv"
else
	mkdir -m 700 "$nrun"
	chown 65534:65534 "$nrun"
	# uid 65534 must reach the programs and, through x only, $SCRATCH.
	chmod 711 "$SCRATCH"
	nobody="setpriv --reuid=65534 --regid=65534 --clear-groups env XDG_RUNTIME_DIR=$nrun"
	# shellcheck disable=SC2086 # the command is words
	if ! $nobody ipc-msgq --version >/dev/null 2>&1; then
		why_not="uid 65534 cannot run $(command -v ipc-msgq)"
		nobody=
	fi
fi

# 2. Other users ------------------------------------------------------------

# denied DESC CMD...: uid 65534 runs CMD: exit 1, "Permission denied".
denied() {
	tap_desc=$1
	shift
	# shellcheck disable=SC2086 # the command is words
	run $nobody "$@"
	like "$rc:$err" "^1:[a-z-]+: .*Permission denied" "uid 65534: $tap_desc"
}

# Parts 2 and 4 have this many points each, for the skips.
n_users=45
n_planted=28
if [ -z "$nobody" ]; then
	skip_n "$n_users" "$why_not"
else
	n0=$tap_n
	pub=$SCRATCH/pub
	mkdir -m 755 "$pub"
	# uid 65534's run directory stays, as ours does; what is in it counts.
	# shellcheck disable=SC2086 # the command is words
	$nobody ipc-sem -q --sysv value 2>/dev/null
	# What uid 65534 makes here counts too.
	objects_uids="$uid 65534"
	objects_before

	# Root's System V defaults.
	ipc-msgq -q send secret
	key=$(default_key ipc-msgq info)
	denied "recv from root's default queue" ipc-msgq -q -k "$key" recv --nowait
	denied "send to root's default queue" ipc-msgq -q -k "$key" send spam
	run ipc-msgq -q recv --all
	is "$rc:$out" "0:secret" "... root's queue holds root's message alone"
	ipc-msgq -q rm

	ipc-shm -q write secret
	key=$(default_key ipc-shm info)
	denied "read root's default segment" ipc-shm -q -k "$key" read
	denied "write root's default segment" ipc-shm -q -k "$key" write spam
	run ipc-shm -q read
	is "$rc:$out" "0:secret" "... root's segment still says secret"
	ipc-shm -q rm

	ipc-sem -q --sysv create -V 1
	key=$(default_key ipc-sem --sysv info)
	denied "wait on root's default set" ipc-sem -q --sysv -k "$key" wait --try
	denied "post root's default set" ipc-sem -q --sysv -k "$key" post
	denied "read root's default set's value" ipc-sem -q --sysv -k "$key" value
	run ipc-sem -q --sysv value
	is "$rc:$out" "0:1" "... root's set still has the value 1"
	ipc-sem -q --sysv rm

	# Root's POSIX objects (default names where no other run has them).
	if default_free msgq 0; then
		ipc-msgq -q --posix send secret
		n=/ipclab-0-msgq
	else
		n=/$UNIQ-msgq
		ipc-msgq -q --posix -N "$n" send secret
	fi
	denied "recv from root's $n" ipc-msgq -q --posix -N "$n" recv --nowait
	denied "send to root's $n" ipc-msgq -q --posix -N "$n" send spam
	run ipc-msgq -q --posix -N "$n" recv --all
	is "$rc:$out" "0:secret" "... $n holds root's message alone"
	ipc-msgq -q --posix -N "$n" rm

	if default_free shm 0; then
		ipc-shm -q --posix write secret
		n=/ipclab-0-shm
	else
		n=/$UNIQ-shm
		ipc-shm -q --posix -N "$n" write secret
	fi
	denied "read root's $n" ipc-shm -q --posix -N "$n" read
	denied "write root's $n" ipc-shm -q --posix -N "$n" write spam
	run ipc-shm -q --posix -N "$n" read
	is "$rc:$out" "0:secret" "... $n still says secret"
	ipc-shm -q --posix -N "$n" rm

	n=/$UNIQ-sem
	ipc-sem -q -N "$n" create -V 1
	denied "wait on root's $n" ipc-sem -q -N "$n" wait --try
	denied "post root's $n" ipc-sem -q -N "$n" post
	denied "read root's $n's value" ipc-sem -q -N "$n" value
	run ipc-sem -q -N "$n" value
	is "$rc:$out" "0:1" "... $n still has the value 1"
	ipc-sem -q -N "$n" rm

	# Root's FIFOs: one in a directory anyone may enter (its mode guards
	# it), one in root's run directory (the directory guards it).
	ipc-fifo -q make "$pub/fifo"
	ipc-fifo -q make "$rd/fifo"
	denied "read root's FIFO" ipc-fifo -q read "$pub/fifo"
	denied "write root's FIFO" ipc-fifo -q write --nonblock "$pub/fifo" spam
	denied "read a FIFO in root's run directory" ipc-fifo -q read "$rd/fifo"
	is "$(stat -c '%a %u %F' "$pub/fifo")" "600 0 fifo" "... root's FIFO is as it was"
	ipc-fifo -q rm "$pub/fifo"
	ipc-fifo -q rm "$rd/fifo"

	# Root's sockets: the default one and one in a directory anyone may
	# enter; connect needs search permission on the directories and
	# write permission on the socket file, and says which one refused.
	bg ipc-socket -q serve --once
	pid=$bg_pid
	wait_for 5 listening "$rd/socket"
	# shellcheck disable=SC2086 # the command is words
	run $nobody ipc-socket -q connect "$rd/socket" hi
	like "$rc:$err" "^1:ipc-socket: connect .*: Permission denied: the directory .* does not let you search it.* --abstract NAME" \
	    "uid 65534: connect to root's default socket: the private directory refuses, --abstract is the way round"
	run ipc-socket -q connect mine
	is "$out" "mine" "... root's server still serves root"
	reap_bg "$pid"
	bg ipc-socket -q serve --once "$pub/sock"
	pid=$bg_pid
	wait_for 5 listening "$pub/sock"
	# shellcheck disable=SC2086 # the command is words
	run $nobody ipc-socket -q connect "$pub/sock" hi
	like "$rc:$err" "^1:ipc-socket: connect .*: Permission denied: the socket file \\(mode 0600, root's\\) does not let you write to it" \
	    "uid 65534: connect to root's 0600 socket: the socket file's mode refuses"
	denied "send a descriptor to it" ipc-socket -q sendfd "$pub/sock" /etc/hostname
	run ipc-socket -q connect "$pub/sock" mine
	is "$out" "mine" "... root's server still serves root"
	reap_bg "$pid"
	# A server of uid 65534's in root's directories: bind() makes the
	# socket file, so the directory must let it write there.
	# shellcheck disable=SC2086 # the command is words
	run -t 10 $nobody ipc-socket -q serve "$pub/theirs"
	like "$rc:$err" "^1:ipc-socket: bind $pub/theirs: Permission denied: the directory $pub \\(mode 0755, root's\\) does not let you write to it, and bind\\(\\) must: it makes the socket file there; serve in a directory of your own .* --abstract NAME" \
	    "uid 65534: serve in root's 0755 directory: bind() needs to write there, and says so"
	# shellcheck disable=SC2086 # the command is words
	run -t 10 $nobody ipc-socket -q serve "$rd/theirs"
	like "$rc:$err" "^1:ipc-socket: bind $rd/theirs: Permission denied: the directory [^ ]* \\(mode 0700, root's\\) does not let you search it, and bind\\(\\) must; serve in a directory of your own" \
	    "uid 65534: serve in root's run directory: no search permission, named"
	check "... and neither left a file" test ! -e "$pub/theirs" -a ! -e "$rd/theirs"

	# Root's lock file.
	ipc-flock -q lock "$pub/lock" -- true
	denied "take a write lock on root's lock file" ipc-flock -q lock "$pub/lock" --nowait -- true
	denied "take a shared lock on it" ipc-flock -q lock "$pub/lock" --shared --nowait -- true
	is "$(stat -c '%a %u %s' "$pub/lock")" "600 0 0" "... root's lock file is as it was"
	# shellcheck disable=SC2086 # the command is words
	run $nobody ipc-flock -q test "$pub/lock"
	like "$rc:$err" "^1:ipc-flock: open $pub/lock for reading \\(all that test needs, even to ask about a write lock\\): Permission denied\$" \
	    "uid 65534: test root's 0600 lock file: refused, and what it needs named"
	rm -f "$pub/lock"
	# A run directory of uid 65534's name that root made, mode 0700: even
	# unable to open it, the program says whose it is.
	mkdir -m 755 "$pub/xdg"
	mkdir -m 700 "$pub/xdg/ipclab-65534"
	# shellcheck disable=SC2086 # the command is words
	run $nobody env XDG_RUNTIME_DIR="$pub/xdg" ipc-fifo -q demo
	like "$rc:$err" "^1:ipc-fifo: $pub/xdg/ipclab-65534 belongs to uid 0, not to you; refusing to use it\$" \
	    "uid 65534: a run directory root made for it, closed to it: refused, its owner named"
	rm -r "$pub/xdg"
	# Passing a descriptor: the sender opens the file, so it needs the right.
	: >"$pub/secret"
	chmod 600 "$pub/secret"
	# shellcheck disable=SC2086 # the command is words
	run $nobody ipc-socket -q passfd "$pub/secret"
	like "$rc:$err" "^1:ipc-socket: open $pub/secret for reading \\(the sender needs that permission; the receiver gets the descriptor, and needs none\\): Permission denied\$" \
	    "uid 65534: passfd of root's 0600 file: refused in one line, the rule named"
	rm -f "$pub/secret"
	# shellcheck disable=SC2086 # the command is words
	run $nobody ipc-flock -q lock "$pub/new" -- true
	like "$rc:$err" "^1:ipc-flock: create $pub/new \\(a new file needs write permission on its directory\\): Permission denied\$" \
	    "uid 65534: a new lock file in root's directory: refused, the rule named"

	# The reverse: what uid 65534 makes with its defaults is its own.
	# shellcheck disable=SC2086 # the command is words
	{
		$nobody ipc-msgq -q send theirs
		run $nobody ipc-msgq info
		key=$(printf '%s\n' "$err" | sed -n 's/.*-> key \(0x[0-9a-f]*\).*/\1/p')
		is "$(sysv_row msg "$key")" "600 65534 65534" \
		    "uid 65534's default queue is 0600 and its own"
		run ipc-msgq -q -k "$key" recv --nowait
		is "$rc:$out" "0:theirs" "... root, named the key, may read it"
		run $nobody ipc-msgq -q rm
		is "$rc:$(sysv_row msg "$key")" "0:" "... uid 65534 removes it"
		$nobody ipc-shm -q write theirs
		run $nobody ipc-shm info
		key=$(printf '%s\n' "$err" | sed -n 's/.*-> key \(0x[0-9a-f]*\).*/\1/p')
		is "$(sysv_row shm "$key")" "600 65534 65534" \
		    "uid 65534's default segment is 0600 and its own"
		run $nobody ipc-shm -q rm
		is "$rc:$(sysv_row shm "$key")" "0:" "... uid 65534 removes it"
	}

	# Two users, one moment, each their default POSIX queue: each gets
	# its own message alone.
	if default_free msgq 0 && default_free msgq 65534; then
		bg ipc-msgq -q --posix send from-root
		p1=$bg_pid
		# shellcheck disable=SC2086 # the command is words
		bg $nobody ipc-msgq -q --posix send from-nobody
		p2=$bg_pid
		reap_bg "$p1"
		r1=$rc
		reap_bg "$p2"
		is "$r1:$rc" "0:0" "root and uid 65534 send to their default queues at once"
		run ipc-msgq -q --posix recv --all
		is "$out" from-root "... root receives its own message alone"
		# shellcheck disable=SC2086 # the command is words
		run $nobody ipc-msgq -q --posix recv --all
		is "$out" from-nobody "... and uid 65534 its own"
		ipc-msgq -q --posix rm
		# shellcheck disable=SC2086 # the command is words
		$nobody ipc-msgq -q --posix rm
	else
		skip_n 3 "another run holds /ipclab-0-msgq or /ipclab-65534-msgq"
	fi
	is "$(objects_left | tr '\n' ' ')" "" "nothing of part 2 is left"
	[ "$((tap_n - n0))" -eq "$n_users" ] ||
	    diag "part 2 has $((tap_n - n0)) points, not n_users=$n_users"
fi

# 4. Objects another user planted under our default name or key -----------

# uid 65534 makes each program's object under root's default key or
# name, mode 0666 so that its mode lets anyone in; root's commands that
# use it refuse it, and it still holds what uid 65534 put there.
if [ -z "$nobody" ]; then
	skip_n "$n_planted" "$why_not"
else
	# A run directory that belongs to uid 65534.
	mkdir -m 755 "$p/rd-theirs"
	mkdir -m 700 "$p/rd-theirs/ipclab-0"
	chown 65534:65534 "$p/rd-theirs/ipclab-0"
	n0=$tap_n
	objects_uids="$uid 65534"
	objects_before
	# plant_check DESC CMD...: root's CMD refuses the planted object.
	plant_check() {
		tap_desc=$1
		shift
		run "$@"
		like "$rc:$err" "^1:[a-z-]+: .* belongs to uid 65534, not to you: someone else made" \
		    "planted: $tap_desc is refused"
	}
	# shellcheck disable=SC2086 # the command is words
	{
		key=$(default_key ipc-msgq info)
		$nobody ipc-msgq -q -k "$key" -m 666 send planted
		plant_check "ipc-msgq send" ipc-msgq -q send secret
		plant_check "ipc-msgq recv" ipc-msgq -q recv --nowait
		run ipc-msgq -q info
		like "$rc $(printf '%s\n' "$out" | grep '^owner:')" \
		    "^0 owner: *uid 65534," "... info shows whose it is"
		run $nobody ipc-msgq -q -k "$key" recv --all
		is "$rc:$out" "0:planted" "... the queue holds the planted message alone"
		run $nobody ipc-msgq -q -k "$key" rm

		key=$(default_key ipc-shm info)
		$nobody ipc-shm -q -k "$key" -m 666 write planted
		plant_check "ipc-shm write" ipc-shm -q write secret
		plant_check "ipc-shm read" ipc-shm -q read
		run $nobody ipc-shm -q -k "$key" read
		is "$rc:$out" "0:planted" "... the segment still says planted"
		run $nobody ipc-shm -q -k "$key" rm

		key=$(default_key ipc-sem --sysv info)
		$nobody ipc-sem -q --sysv -k "$key" -m 666 create -V 2
		plant_check "ipc-sem --sysv wait" ipc-sem -q --sysv wait --try
		plant_check "ipc-sem --sysv post" ipc-sem -q --sysv post
		plant_check "ipc-sem --sysv value" ipc-sem -q --sysv value
		run $nobody ipc-sem -q --sysv -k "$key" value
		is "$rc:$out" "0:2" "... the set still has the value 2"
		run $nobody ipc-sem -q --sysv -k "$key" rm

		if default_free msgq 0; then
			$nobody ipc-msgq -q --posix -N /ipclab-0-msgq -m 666 send planted
			plant_check "ipc-msgq --posix send" ipc-msgq -q --posix send secret
			plant_check "ipc-msgq --posix recv" ipc-msgq -q --posix recv --nowait
			run $nobody ipc-msgq -q --posix -N /ipclab-0-msgq recv --all
			is "$rc:$out" "0:planted" "... the queue holds the planted message alone"
			run $nobody ipc-msgq -q --posix -N /ipclab-0-msgq rm
			is "$rc" 0 "... uid 65534 removes it"
		else
			skip_n 4 "another run holds /ipclab-0-msgq"
		fi
		if default_free shm 0; then
			$nobody ipc-shm -q --posix -N /ipclab-0-shm -m 666 write planted
			plant_check "ipc-shm --posix write" ipc-shm -q --posix write secret
			plant_check "ipc-shm --posix read" ipc-shm -q --posix read
			run $nobody ipc-shm -q --posix -N /ipclab-0-shm read
			is "$rc:$out" "0:planted" "... the object still says planted"
			run $nobody ipc-shm -q --posix -N /ipclab-0-shm rm
			is "$rc" 0 "... uid 65534 removes it"
		else
			skip_n 4 "another run holds /ipclab-0-shm"
		fi
		if default_free sem 0 &&
		    $nobody ipc-sem -q -N /ipclab-0-sem -m 666 create -V 2; then
			plant_check "ipc-sem wait" ipc-sem -q wait --try
			plant_check "ipc-sem post" ipc-sem -q post
			plant_check "ipc-sem value" ipc-sem -q value
			run $nobody ipc-sem -q -N /ipclab-0-sem value
			is "$rc:$out" "0:2" "... the semaphore still has the value 2"
			run $nobody ipc-sem -q -N /ipclab-0-sem rm
			is "$rc" 0 "... uid 65534 removes it"
		else
			skip_n 5 "another run holds /ipclab-0-sem"
		fi
	}

	is "$(objects_left | tr '\n' ' ')" "" "nothing of part 4 is left"
	x=$p/rd-theirs
	cases <<EOF
1 | "$x/ipclab-0" | env XDG_RUNTIME_DIR="$x" ipc-fifo -q demo
1 | "$x/ipclab-0" | env XDG_RUNTIME_DIR="$x" ipc-msgq -q send hi
1 | "$x/ipclab-0" | env XDG_RUNTIME_DIR="$x" ipc-socket -q serve --once
EOF
	[ "$((tap_n - n0))" -eq "$n_planted" ] ||
	    diag "part 4 has $((tap_n - n0)) points, not n_planted=$n_planted"
fi

left=$(leftovers)
is "$left" "" "nothing of ours is left running"
done_testing
