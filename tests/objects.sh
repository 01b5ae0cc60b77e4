# objects.sh - did a program leave something behind?  Source it after
# tap.sh:
#	. "${top_srcdir:-.}/tests/objects.sh"
#
#   objects_before: note what exists now in the scratch directory (the
#	run directory in it too), /dev/shm, /dev/mqueue and ipcs;
#   objects_new: print what exists now that did not then, one a line;
#   nothing_new: true when nothing new is there, looking for up to 3 s.
#
# Other test runs and benches on the same machine make objects too, for a
# moment.  An object that names a live process (a POSIX name ending in
# -PID, a segment's creator, a queue's last sender or receiver) that is
# not one of this test's belongs to someone else and does not count; what
# names no one is waited for, as theirs goes and ours stays.
# shellcheck shell=sh

# The private run directory itself is made the first time a program needs
# it (the default System V keys are ftok(3) of it): it does not count, what
# is in it does.
objects_rd=$XDG_RUNTIME_DIR/ipclab-$(id -u)

# objects_list: every object, "ID PID" a line, PID "-" when none is known.
# run's .out and .err and our own lists in the scratch directory do not
# count.
objects_list() {
	find "$SCRATCH" ! -name .out ! -name .err ! -name '.objects.*' \
	    ! -path "$objects_rd" | sed 's/$/ -/'
	for tap_d in /dev/shm /dev/mqueue; do
		[ -d "$tap_d" ] || continue
		find "$tap_d" -mindepth 1 -maxdepth 1 2>/dev/null |
		    sed 's/-\([0-9][0-9]*\)$/-\1 \1/; / [0-9]*$/!s/$/ -/'
	done
	awk 'NR > 1 { print "shm:" $1 ":" $2, $5 }' /proc/sysvipc/shm 2>/dev/null
	awk 'NR > 1 { print "msg:" $1 ":" $2, ($6 ? $6 : ($7 ? $7 : "-")) }' \
	    /proc/sysvipc/msg 2>/dev/null
	awk 'NR > 1 { print "sem:" $1 ":" $2, "-" }' /proc/sysvipc/sem 2>/dev/null
}

objects_before() {
	objects_list | sed 's/ [^ ]*$//' | sort >"$SCRATCH/.objects.before"
}

# foreign PID: PID is a live process that this test did not start.
foreign() {
	[ "$1" != - ] && [ -r "/proc/$1/environ" ] &&
	    ! tr '\0' '\n' 2>/dev/null <"/proc/$1/environ" |
	    grep -qx "IPCLAB_TEST_TAG=$SCRATCH"
}

objects_new() {
	objects_list | awk 'NR == FNR { seen[$0] = 1; next }
	    { id = $0; sub(/ [^ ]*$/, "", id); if (!(id in seen)) print $NF, id }' \
	    "$SCRATCH/.objects.before" - |
	    while read -r tap_pid tap_id; do
		foreign "$tap_pid" || printf '%s\n' "$tap_id"
	    done
}

objects_none_new() {
	[ -z "$(objects_new)" ]
}

nothing_new() {
	objects_none_new || wait_for 3 objects_none_new
}
