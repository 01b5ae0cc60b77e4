#!/bin/sh
# examples.sh - the pages' examples, run as printed.  Every literal block
# of every page's EXAMPLES and OBSERVING sections carries a comment line
# just above its .Bd that says how to run it (see "The markup" below); a
# block without one fails, so a page and this test cannot drift apart.
#
# The markup, one roff comment line before the block:
#	.\" ex
#		Run the "$ " lines in one sh, in order, in a fresh directory;
#		the other lines are their output (stdout and stderr as they
#		come).  A line indented four spaces continues the one above
#		(the page folds long lines).  A "^C" line interrupts the
#		command above it: SIGINT after 2 seconds.
#		"terminal N$ " lines run in terminal N instead: terminal 1's
#		commands in the background first; once it has come to rest
#		(every process of it asleep, waiting for a lock, a peer or
#		a timer; 1 second at least, about 10 at most) the others', then
#		terminal 1 is waited for.  Output lines belong to the
#		terminal whose command came last, or to N after "terminal N:".
#		"other$ " lines are another user's (uid 65533): the block's
#		commands then run one at a time, in order, each in its own sh,
#		as the student or as the other user; such a block runs only
#		when the test runs as root.
#	.\" ex WORDS
#		The same, with these changes (any of them):
#		any-order	compare the lines as a set: processes print
#				to stdout in no fixed order
#		excerpt		the page shows some of the lines: each one
#				shown must come, in order, among the real ones
#		sigint=S	interrupt after S seconds, not 2
#		busy		terminal 1 never comes to rest (a demo that
#				runs until ^C): the others start once its
#				program runs, after 1 second at least
#		needs=T,U	skip when tool T or U is not installed
#		plain		skip in a sanitizer build, whose runtime makes
#				system calls of its own (a strace of the
#				dynamic loader's steps)
#		glibc		the block shows glibc's own system calls,
#				messages or file names: skip when the
#				programs use another C library (musl), as
#				configure found ($IPCLAB_LIBC)
#		shape		the figures vary from run to run (timings,
#				bench results): compare what the lines are,
#				not how many of each
#		torn		the block reads /proc/locks, which the
#				kernel writes afresh for each read(2): on a
#				busy machine a line can come twice or not at
#				all (ipc-flock(1) says so); try it up to three
#				times
#	.\" ex skip: WHY
#		Not run; WHY says what it needs (another user, root, a
#		tool this machine lacks).
#
# In kind: numbers, hex addresses and keys are masked, the run directory,
# user names, months and /proc/locks' device numbers too; runs of spaces
# count as one; strace's "[pid N] " goes, which it prints only while it
# traces more than one process (whether the child is attached yet is a
# matter of timing), and so does its "Process N attached" line, which
# comes among the calls whenever strace gets round to it.  Narration
# lines of one role ("[writer 812] ...") keep their order among
# themselves, whatever other processes say in between; other lines keep
# theirs.

# The pages find terminal 1's program with pgrep(1) (p=$(pgrep -o -x -u
# "$(id -u)" ipc-shm)), which on a student's machine sees that one copy.
# Under make -j check other scripts run the same programs as the same
# user, and the pgrep of a block once found ipc-signal.sh's supervisor
# and sent it SIGUSR1.  So this script runs in a session of its own, and
# the blocks' pgrep (a wrapper first in PATH) looks in that session only.
# A signal that would end the script is passed on to it.
if [ -z "${IPCLAB_EXAMPLES_SESSION:-}" ] && command -v setsid >/dev/null 2>&1
then
	IPCLAB_EXAMPLES_SESSION=yes
	export IPCLAB_EXAMPLES_SESSION
	setsid -w sh "$0" "$@" &
	session=$!
	trap 'kill -TERM "$session" 2>/dev/null' HUP INT TERM
	while :; do
		wait "$session"
		rc=$?
		kill -0 "$session" 2>/dev/null || exit "$rc"
	done
fi
. "${top_srcdir:-.}/tests/tap.sh"

# In a sanitizer build (.ci/run's), the pages still show what a plain
# build prints: no leak check (LeakSanitizer cannot run under the pages'
# strace), no ASan handlers in SigCgt, and a report, if any, on stderr
# where the block's comparison shows it (the student cannot write to the
# report directory).
ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0:handle_segv=0:handle_sigbus=0:handle_sigfpe=0:log_path=stderr"
UBSAN_OPTIONS="${UBSAN_OPTIONS:+$UBSAN_OPTIONS:}log_path=stderr"
export ASAN_OPTIONS UBSAN_OPTIONS
sanitized=no
grep -q __asan_init "$top_builddir/pipe/connect2" 2>/dev/null && sanitized=yes

# As root, the blocks run as uid 65534, as a student would: root may do
# what the pages show refused.
rundir=$XDG_RUNTIME_DIR
as_student='' as_other=''
if [ "$(id -u)" = 0 ]; then
	command -v setpriv >/dev/null 2>&1 ||
		skip_all "setpriv is missing: cannot run the examples as a student"
	chmod 711 "$SCRATCH"
	mkdir "$SCRATCH/student"
	mkdir -m 700 "$SCRATCH/student/run"
	chown -R 65534:65534 "$SCRATCH/student"
	rundir=$SCRATCH/student/run
	as_student="setpriv --reuid=65534 --regid=65534 --clear-groups env
	    HOME=$SCRATCH/student XDG_RUNTIME_DIR=$rundir"
	mkdir "$SCRATCH/other"
	mkdir -m 700 "$SCRATCH/other/run"
	chown -R 65533:65533 "$SCRATCH/other"
	as_other="setpriv --reuid=65533 --regid=65533 --clear-groups env
	    HOME=$SCRATCH/other XDG_RUNTIME_DIR=$SCRATCH/other/run"
fi
if [ -n "${IPCLAB_EXAMPLES_SESSION:-}" ] && command -v pgrep >/dev/null; then
	mkdir "$SCRATCH/bin"
	printf '#!/bin/sh\n# pgrep in this session only (examples.sh)\nexec %s -s 0 "$@"\n' \
	    "$(command -v pgrep)" >"$SCRATCH/bin/pgrep"
	chmod 755 "$SCRATCH/bin" "$SCRATCH/bin/pgrep"
	PATH=$SCRATCH/bin:$PATH
fi
user=$(${as_student:-} id -un)
group=$(${as_student:-} id -gn)

pages=${IPCLAB_PAGES:-"connect2.1 ipc-pipe.1 ipc-fifo.1 ipc-msgq.1 ipc-shm.1
    ipc-sem.1 ipc-socket.1 ipc-flock.1 ipc-signal.1 ipclab.7"}
mandir=${top_srcdir:-.}/man

# blocks PAGE: each marked block as lines "B MARKUP|LINE", then "C T CMD"
# (a command for terminal T), "O T TEXT" (its output), "I T" (a ^C), with
# the page's escapes undone and folded lines joined.
blocks() {
	awk '
	function flush() {
		if (pending != "")
			print pending
		pending = ""
	}
	function unescape(s) {
		gsub(/\\-/, "-", s)
		gsub(/\\&/, "", s)
		gsub(/\\\(ha/, "^", s)
		gsub(/\\\(dq/, "\"", s)
		gsub(/\\\(aq/, "\047", s)
		gsub(/\\\(em/, "--", s)
		gsub(/\\e/, "\\\\", s)
		return s
	}
	/^\.Sh / {
		insec = ($0 ~ /^\.Sh (EXAMPLES|OBSERVING)/)
		next
	}
	/^\.\\" ex( |$)/ { mark = "|" substr($0, 7); markline = NR; next }
	insec && /^\.Bd -literal/ {
		if (mark == "" || markline != NR - 1)
			mark = "|none"
		print "B " substr(mark, 2) "|" NR
		inblock = 1
		term = 1
		mark = ""
		next
	}
	inblock && /^\.Ed/ {
		flush()
		inblock = 0
		next
	}
	inblock {
		line = unescape($0)
		if (line ~ /^    / && pending != "") {
			sub(/^ +/, "", line)
			# A command line ending in "\" joins as a space.
			if (pending ~ /^C / && pending ~ /\\$/)
				sub(/ *\\$/, "", pending)
			pending = pending " " line
			next
		}
		flush()
		if (line ~ /^other\$ /) {
			term = "o"
			pending = "C o " substr(line, 8)
		} else if (line ~ /^terminal [0-9]+\$ /) {
			term = substr(line, 10, 1)
			pending = "C " term " " substr(line, 13)
		} else if (line ~ /^\$ /) {
			if (term == "o")
				term = 1
			pending = "C " term " " substr(line, 3)
		} else if (line ~ /^terminal [0-9]+:$/) {
			term = substr(line, 10, 1)
		} else if (line == "^C") {
			print "I " term
		} else if (line != "" || last != "") {
			pending = "O " term " " line
		}
		last = line
	}' "$1"
}

# kind FILE: the lines of FILE in kind, as described at the top.  Exit
# statuses and signal numbers stay: "exit status 130", "(signal 13)".
kind() {
	sed -e "s|$rundir|RUN|g" \
	    -e 's|/run/user/[0-9]*|RUN|g; s|/tmp/ipclab-|RUN/ipclab-|g' \
	    -e "s/\\b$user\\b/USER/g; s/\\b$group\\b/USER/g" \
	    -e 's/\b\(alice\|bob\|root\|nobody\|nogroup\|cloudsdk\)\b/USER/g' \
	    -e 's/\b\(Jan\|Feb\|Mar\|Apr\|May\|Jun\|Jul\|Aug\|Sep\|Oct\|Nov\|Dec\)\b/MON/g' \
	    -e 's/\b[0-9a-f][0-9a-f]:[0-9a-f][0-9a-f]:\([0-9]\)/#:#:\1/g' \
	    -e 's/[[:space:]][[:space:]]*/ /g; s/^ //; s/ $//' \
	    -e 's/^\[pid [0-9]*\] //' \
	    -e '/^strace: Process [0-9]* attached$/d' "$1" |
	    awk '
	    NF > 0 {
		s = $0
		out = ""
		while (match(s, /0x[0-9a-fA-F]+|[0-9]+/)) {
			pre = substr(s, 1, RSTART - 1)
			tok = substr(s, RSTART, RLENGTH)
			if (tok ~ /^0x/)
				tok = "0x#"
			else if (pre !~ /(status|signal|exit) $/)
				tok = "#"
			out = out pre tok
			s = substr(s, RSTART + RLENGTH)
		}
		print out s
	    }'
}

# streams FILE: FILE's lines, each role's narration kept together in its
# own order (the roles by name, whoever spoke first), then the other lines
# in theirs.
streams() {
	tab=$(printf '\t')
	awk -v OFS="$tab" '
	/^( *#\.# )?\[[^]]*\] / {
		role = $0
		sub(/^ *#\.# /, "", role)
		sub(/\] .*/, "", role)
		sub(/ [#0-9]+$/, "", role)
		print "1" role, ++n[role], $0
		next
	}
	{ print "2", ++other, $0 }' | sort -t "$tab" -k1,1 -k2,2n | cut -f3-
}

# excerpt WANT GOT: whether every line of WANT comes, in order, in GOT.
excerpt() {
	awk 'FILENAME == ARGV[1] { want[++n] = $0; next }
	    i < n && $0 == want[i + 1] { i++ }
	    END { exit i == n ? 0 : 1 }' "$1" "$2"
}

# in_terminal CWD SCRIPT SECONDS [other]: SCRIPT's commands in one sh, in
# CWD, as the student (or the other user), for at most SECONDS.
in_terminal() {
	who=$as_student
	[ "${4:-}" = other ] && who=$as_other
	# Descriptors make or a lock passed down would change the numbers
	# the pages show: a student's shell has only 0, 1 and 2 open.
	# shellcheck disable=SC2086 # $who is words
	(cd "$1" && exec timeout -k 5 "$3" $who sh -c "$(cat "$2")" \
	    </dev/null 3<&- 4<&- 5<&- 6<&- 7<&- 8<&- 9<&-)
}

# below PID TEST: TEST holds for PID and the processes below it.  rest:
# each is asleep (state S) or has exited (Z, a zombie its parent has yet
# to reap), or all are gone; a process that is starting or running is
# not at rest.  started: one of them runs a program other than the
# shells and wrappers that lead to the block's commands.
below() {
	cat /proc/[0-9]*/stat 2>/dev/null | awk -v root="$1" -v test="$2" '
	{
		pid = $1
		name = $0	# in (...), and it may hold spaces
		sub(/^[^(]*\(/, "", name)
		sub(/\) [^)]*$/, "", name)
		rest = $0
		sub(/.*\) /, "", rest)
		split(rest, f, " ")
		comm[pid] = name
		state[pid] = f[1]
		parent[pid] = f[2]
	}
	END {
		below[root] = 1
		for (more = 1; more; ) {
			more = 0
			for (p in parent)
				if (!(p in below) && (parent[p] in below)) {
					below[p] = 1
					more = 1
				}
		}
		for (p in below) {
			if (!(p in state))
				continue
			if (test == "rest" && state[p] != "S" && state[p] != "Z")
				exit 1
			if (test == "started" &&
			    comm[p] !~ /^(sh|dash|bash|timeout|setpriv)$/)
				exit 0
		}
		exit test == "rest" ? 0 : 1
	}'
}

# run_block DIR MARK: run the block whose lines are in DIR/block; 0 when
# its output is the page's in kind, else the difference on stdout.
run_block() {
	dir=$1 mark=$2
	sig=2
	case " $mark " in *" sigint="*)
		sig=$(printf '%s\n' "$mark" | sed 's/.*sigint=\([0-9.]*\).*/\1/') ;;
	esac
	terms=$(awk '$1 == "C" { print $2 }' "$dir/block" | sort -u)
	for t in $terms; do
		# Each terminal's script; a command followed by ^C is
		# interrupted.
		awk -v t="$t" -v sig="$sig" '
		$1 == "C" && $2 == t {
			if (cmd != "")
				print cmd
			cmd = substr($0, 5)
		}
		$1 == "I" && $2 == t && cmd != "" {
			cmd = "timeout -k 5 --preserve-status -s INT " sig \
			    " sh -c \047" cmd "\047"
			print cmd
			cmd = ""
		}
		END { if (cmd != "") print cmd }' "$dir/block" >"$dir/t$t.sh"
		awk -v t="$t" '$1 == "O" && $2 == t { print substr($0, 5) }' \
		    "$dir/block" >"$dir/want$t"
	done
	cwd=$dir/cwd
	if [ -n "$as_student" ]; then
		cwd=$SCRATCH/student/cwd.$(basename "$dir")
	fi
	# A torn block's next try starts afresh.
	rm -rf "$cwd"
	mkdir "$cwd"
	if [ -n "$as_student" ]; then
		chown 65534:65534 "$cwd"
	fi
	if printf '%s\n' "$terms" | grep -qx o; then
		# The student and another user, one command at a time.
		for t in $terms; do
			: >"$dir/got$t"
		done
		awk '$1 == "C" { print $2 " " substr($0, 5) }' "$dir/block" |
		while read -r t cmd; do
			printf '%s\n' "$cmd" >"$dir/cmd"
			if [ "$t" = o ]; then
				in_terminal "$cwd" "$dir/cmd" 30 other \
				    >>"$dir/goto" 2>&1
			else
				in_terminal "$cwd" "$dir/cmd" 30 \
				    >>"$dir/got$t" 2>&1
			fi
		done
	elif [ "$(printf '%s\n' "$terms" | wc -l)" -gt 1 ]; then
		in_terminal "$cwd" "$dir/t1.sh" 30 >"$dir/got1" 2>&1 &
		bgpid=$!
		sleep 1
		# At rest twice in a row, 0.1 s apart: a shell between two
		# commands may look asleep for a moment.
		tries=60
		case " $mark " in
		*" busy "*)
			until below "$bgpid" started || [ "$tries" -eq 0 ]; do
				tries=$((tries - 1))
				sleep 0.1
			done ;;
		*)
			until below "$bgpid" rest && sleep 0.1 &&
			    below "$bgpid" rest || [ "$tries" -eq 0 ]; do
				tries=$((tries - 1))
				sleep 0.1
			done ;;
		esac
		for t in $terms; do
			[ "$t" = 1 ] && continue
			in_terminal "$cwd" "$dir/t$t.sh" 30 >"$dir/got$t" 2>&1
		done
		wait "$bgpid"
	else
		# The limit is for a hang: a busy machine may make a block
		# ten times as slow as on an idle one.
		in_terminal "$cwd" "$dir/t$terms.sh" 120 >"$dir/got$terms" 2>&1
	fi
	bad=0
	for t in $terms; do
		kind "$dir/want$t" >"$dir/w"
		kind "$dir/got$t" >"$dir/g"
		case " $mark " in
		*" any-order "*)
			sort "$dir/w" -o "$dir/w"
			sort "$dir/g" -o "$dir/g" ;;
		*" excerpt "*)
			excerpt "$dir/w" "$dir/g" && continue
			bad=1
			diff "$dir/w" "$dir/g"
			continue ;;
		*" shape "*)
			sort -u "$dir/w" -o "$dir/w"
			sort -u "$dir/g" -o "$dir/g" ;;
		*)
			streams <"$dir/w" >"$dir/w2"
			streams <"$dir/g" >"$dir/g2"
			mv "$dir/w2" "$dir/w"
			mv "$dir/g2" "$dir/g" ;;
		esac
		cmp -s "$dir/w" "$dir/g" && continue
		bad=1
		diff "$dir/w" "$dir/g"
	done
	return $bad
}

# The fixed keys and names the examples use are this run's, for the
# other runs' leftover checks; "$(id -u)" in a name is the student's uid.
student=$(id -u)
[ -n "$as_student" ] && student=65534
for page in $pages; do
	grep -E '^((terminal [0-9]+|other)?\$) ' "$mandir/$page"
done >"$SCRATCH/commands"
# shellcheck disable=SC2046 # lists of words
claim key $(grep -Eo -- '-k (0x[0-9a-fA-F]+|[0-9]+)' "$SCRATCH/commands" |
    sed 's/^-k //' | sort -u)
# shellcheck disable=SC2046,SC2016 # lists of words; $(id -u) is text
claim name $(grep -Eo -- '-N /[^ ";]+' "$SCRATCH/commands" |
    sed "s/^-N //; s/\\\$(id -u)/$student/" | sort -u)

nrun=0 nskip=0
for page in $pages; do
	blocks "$mandir/$page" >"$SCRATCH/blocks"
	# Split into one file a block.
	awk -v d="$SCRATCH/$page" '
	/^B / { n++; f = d "." n; print substr($0, 3) >(f ".mark"); next }
	{ print >>(f ".block") }' "$SCRATCH/blocks"
	n=1
	while [ -f "$SCRATCH/$page.$n.mark" ]; do
		line=$(sed 's/.*|//' "$SCRATCH/$page.$n.mark")
		mark=$(sed 's/|[^|]*$//' "$SCRATCH/$page.$n.mark")
		where="$page:$line"
		dir=$SCRATCH/ex.$page.$n
		mkdir "$dir"
		touch "$SCRATCH/$page.$n.block"
		mv "$SCRATCH/$page.$n.block" "$dir/block"
		n=$((n + 1))
		case $mark in
		none)
			not_ok "$where: the block has no '.\\\" ex' line above it"
			continue ;;
		" skip: "?*)
			nskip=$((nskip + 1))
			skip "$where:${mark#* skip:}"
			continue ;;
		"" | " "*) ;;
		*)
			not_ok "$where: unknown markup '.\\\" ex$mark'"
			continue ;;
		esac
		case " $mark " in *" plain "*)
			if [ "$sanitized" = yes ]; then
				nskip=$((nskip + 1))
				skip "$where: the sanitizers' runtime makes calls of its own"
				continue
			fi ;;
		esac
		case " $mark " in *" glibc "*)
			if [ "${IPCLAB_LIBC:-glibc}" != glibc ]; then
				nskip=$((nskip + 1))
				skip "$where: shows glibc's own calls and messages; this C library's differ"
				continue
			fi ;;
		esac
		tools=$(printf '%s\n' "$mark" | tr ' ' '\n' |
		    sed -n 's/^needs=//p' | tr ',' ' ')
		lacking=
		for tool in $tools; do
			command -v "$tool" >/dev/null 2>&1 || lacking="$lacking $tool"
		done
		if [ -n "$lacking" ]; then
			nskip=$((nskip + 1))
			skip "$where: needs$lacking"
			continue
		fi
		if grep -q '^C o ' "$dir/block" && [ -z "$as_other" ]; then
			nskip=$((nskip + 1))
			skip "$where: another user's commands need root to run"
			continue
		fi
		nrun=$((nrun + 1))
		first=$(awk '$1 == "C" { print substr($0, 5); exit }' "$dir/block")
		# The blocks use the per-user default POSIX names.
		defaults_take
		tries=1
		case " $mark " in *" torn "*) tries=3 ;; esac
		passed=
		while [ "$tries" -gt 0 ]; do
			if why=$(run_block "$dir" "$mark"); then
				passed=yes
				break
			fi
			tries=$((tries - 1))
			[ "$tries" -gt 0 ] &&
			    diag "$where: torn, trying again:" "$why"
		done
		if [ -n "$passed" ]; then
			ok "$where: $first"
		else
			not_ok "$where: $first"
			printf '%s\n' "$why" | sed 's/^/# /' | head -40
		fi
		defaults_give
	done
done
diag "$nrun blocks run, $nskip skipped"

check "nothing of ours is left running" wait_for 2 no_leftovers
done_testing
