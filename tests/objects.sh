# objects.sh - did this test leave something behind?  Source it after
# tap.sh:
#	. "${top_srcdir:-.}/tests/objects.sh"
#
#   objects_before: note what exists now in the scratch directory (the
#	run directory in it too), /dev/shm, /dev/mqueue and ipcs;
#   objects_new: print what exists now that did not then and is this
#	test's, one a line;
#   nothing_new: true when nothing new of this test's is there, looking
#	for up to 3 s; objects_left: what is still there after them.
#
# On a shared lab server other users make and remove objects all the
# time, and under make -j check so do the other test scripts.  A new
# object counts as this test's unless it is tied to someone else:
#   - its owner and its creator are not among $objects_uids (our uid; a
#     script that also acts as another user adds that uid): another
#     user's object is never ours;
#   - it names a live process that is not this test's (a segment's
#     creator or last user, a queue's last sender or receiver, a set's
#     last semop, the pid that ends a POSIX name), or a dead one that
#     another test run claimed (tap.sh's claim);
#   - its key or name is one another test run claimed, or its key is
#     ftok(3)'s of something in another run's scratch directory (its run
#     directory's default keys, its -f PATH);
#   - its name carries another run's $UNIQ;
#   - it has a per-user default POSIX name (/ipclab-UID-msgq, -sem, -shm)
#     while another script of this tree holds the defaults lock (tap.sh's
#     defaults_take).
# What is tied to this test (its scratch directory, $UNIQ, its claims,
# ftok(3) keys of its own files, its live processes) counts at once, what
# is tied to no one after 3 s: a stranger's passing object goes, ours
# stays.  Objects the user makes by hand during the test, outside it, are
# tied to no one and count.
# tap.sh sets tap_defaults_lock and tap_defaults_held.
# shellcheck shell=sh disable=SC2154

objects_uids=${objects_uids:-$(id -u)}

# The private run directory itself is made the first time a program needs
# it (the default System V keys are ftok(3) of it): it does not count, what
# is in it does.
objects_rd=$XDG_RUNTIME_DIR/ipclab-$(id -u)

# objects_list: every object of $objects_uids, "ID PID..." a line, PID "-"
# when none is known.  run's .out and .err and our own lists in the
# scratch directory do not count.
objects_list() {
	tap_own=
	for tap_u in $objects_uids; do
		tap_own="$tap_own${tap_own:+ -o} -uid $tap_u"
	done
	# shellcheck disable=SC2086 # $tap_own is find's words
	find "$SCRATCH" ! -name .out ! -name .err ! -name '.objects.*' \
	    ! -path "$objects_rd" \( $tap_own \) | sed 's/$/ -/'
	for tap_d in /dev/shm /dev/mqueue; do
		[ -d "$tap_d" ] || continue
		# shellcheck disable=SC2086 # $tap_own is find's words
		find "$tap_d" -mindepth 1 -maxdepth 1 \( $tap_own \) 2>/dev/null |
		    sed 's/-\([0-9][0-9]*\)$/-\1 \1/; / [0-9]*$/!s/$/ -/'
	done
	# The owner's and creator's uids: fields 8 and 10 for msg and shm,
	# 5 and 7 for sem.
	for tap_t in shm msg sem; do
		[ -r "/proc/sysvipc/$tap_t" ] || continue
		awk -v t="$tap_t" -v uids=" $objects_uids " '
		    function mine(u) { return index(uids, " " u " ") > 0 }
		    NR == 1 { next }
		    t == "shm" && (mine($8) || mine($10)) {
			print "shm:" $1 ":" $2, $5, $6 }
		    t == "msg" && (mine($8) || mine($10)) {
			print "msg:" $1 ":" $2, $6, $7 }
		    t == "sem" && (mine($5) || mine($7)) {
			print "sem:" $1 ":" $2, "-" }' "/proc/sysvipc/$tap_t"
	done
}

objects_before() {
	objects_list | cut -d ' ' -f 1 | sort >"$SCRATCH/.objects.before"
}

# objects_bases DIR: ftok(3)'s key without its project byte, for DIR and
# what is in it: (st_dev & 0xff) << 16 | (st_ino & 0xffff).
objects_bases() {
	find "$1" -maxdepth 4 -printf '%D %i\n' 2>/dev/null |
	    awk '{ print ($1 % 256) * 65536 + $2 % 65536 }' | sort -u
}

# objects_ties NEW: what ties NEW's objects ("ID PID..." lines) to us or
# to other runs, for objects_new's awk: "me|them key|name|pid|base V",
# "live PID me|them", "uniq U" (ours), "defaults mine|theirs|free".
objects_ties() {
	printf 'uniq %s\n' "$UNIQ"
	sed 's/^/me /' "$SCRATCH/.objects.claims" 2>/dev/null
	objects_bases "$SCRATCH" | sed 's/^/me base /'
	for tap_d in "${TMPDIR:-/tmp}"/ipclab-test.*; do
		if [ "$tap_d" = "$SCRATCH" ] || [ ! -d "$tap_d" ] ||
		    [ ! -r "$tap_d" ] || [ ! -x "$tap_d" ]; then
			continue
		fi
		sed 's/^/them /' "$tap_d/.objects.claims" 2>/dev/null
		objects_bases "$tap_d" | sed 's/^/them base /'
	done
	# The pids the new objects name, and a set's last semop pids.
	{
		cut -d ' ' -f 2- "$1" | tr ' ' '\n'
		sed -n 's/^sem:[^:]*:\([0-9]*\) .*/\1/p' "$1" |
		    while read -r tap_id; do
			ipcs -s -i "$tap_id" 2>/dev/null |
			    awk 'f && NF == 5 { print $5 } /^semnum/ { f = 1 }'
		    done
	} | grep -x '[1-9][0-9]*' | sort -u | while read -r tap_p; do
		[ -r "/proc/$tap_p/environ" ] || continue
		if tr '\0' '\n' 2>/dev/null <"/proc/$tap_p/environ" |
		    grep -qx "IPCLAB_TEST_TAG=$SCRATCH"; then
			echo "live $tap_p me"
		else
			echo "live $tap_p them"
		fi
	done
	sed -n 's/^sem:[^:]*:\([0-9]*\) .*/\1/p' "$1" | while read -r tap_id; do
		printf 'sempids %s' "$tap_id"
		ipcs -s -i "$tap_id" 2>/dev/null |
		    awk 'f && NF == 5 { printf " %s", $5 } /^semnum/ { f = 1 }'
		echo
	done
	if [ -n "${tap_defaults_held:-}" ]; then
		echo "defaults mine"
	elif ! flock -n -o "$tap_defaults_lock" true 2>/dev/null; then
		echo "defaults theirs"
	else
		echo "defaults free"
	fi
}

objects_new() {
	objects_list | awk 'NR == FNR { seen[$1] = 1; next } !($1 in seen)' \
	    "$SCRATCH/.objects.before" - >"$SCRATCH/.objects.new"
	[ -s "$SCRATCH/.objects.new" ] || return 0
	objects_ties "$SCRATCH/.objects.new" >"$SCRATCH/.objects.ties"
	awk -v scratch="$SCRATCH/" '
	# Whether the object ID, naming pids P[1..N], counts as ours.
	function ours(id, n, p,    a, key, base, name, i, mine, theirs) {
		if (index(id, scratch) == 1 || index(id, uniq) > 0)
			return 1
		if (id ~ /^(shm|msg|sem):/) {
			split(id, a, ":")
			key = a[2] + 0
			if (key < 0)
				key += 4294967296
			base = sprintf("%.0f", key % 16777216)
			key = sprintf("%.0f", key)
			if (key != "0") {
				if (("me key " key) in tie) return 1
				if (("them key " key) in tie) return 0
				if (("them base " base) in tie) return 0
				if (("me base " base) in tie) return 1
			}
		} else {
			name = id
			sub(/^\/dev\/(shm|mqueue)\//, "/", name)
			sub(/^\/sem\./, "/", name)
			if (("me name " name) in tie) return 1
			if (("them name " name) in tie) return 0
			if (name ~ /t[0-9]+-[A-Za-z0-9][A-Za-z0-9][A-Za-z0-9][A-Za-z0-9][A-Za-z0-9][A-Za-z0-9]/)
				return 0
			if (name ~ /^\/ipclab-[0-9]+-(msgq|sem|shm)$/ &&
			    defaults != "free")
				return defaults == "mine"
		}
		for (i = 1; i <= n; i++) {
			if (live[p[i]] == "me" || ("me pid " p[i]) in tie)
				mine = 1
			else if (live[p[i]] == "them" || ("them pid " p[i]) in tie)
				theirs = 1
		}
		return mine || !theirs
	}
	FILENAME == ARGV[1] {
		if ($1 == "me" || $1 == "them")
			tie[$1 " " $2 " " $3] = 1
		else if ($1 == "live")
			live[$2] = $3
		else if ($1 == "uniq")
			uniq = $2
		else if ($1 == "defaults")
			defaults = $2
		else if ($1 == "sempids")
			for (i = 3; i <= NF; i++)
				sempids[$2] = sempids[$2] " " $i
		next
	}
	{
		n = 0
		for (i = 2; i <= NF; i++)
			if ($i != "-" && $i != 0)
				p[++n] = $i
		if ($1 ~ /^sem:/) {
			split($1, a, ":")
			m = split(sempids[a[3]], s, " ")
			for (i = 1; i <= m; i++)
				if (s[i] != 0)
					p[++n] = s[i]
		}
		if (ours($1, n, p))
			print $1
	}' "$SCRATCH/.objects.ties" "$SCRATCH/.objects.new"
}

objects_none_new() {
	[ -z "$(objects_new)" ]
}

nothing_new() {
	objects_none_new || wait_for 3 objects_none_new
}

# objects_left: what is new and stays so for 3 s, one a line (nothing
# when, at some moment, nothing is).
objects_left() {
	nothing_new || objects_new
}
