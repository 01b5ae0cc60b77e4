#!/bin/sh
# kit.sh - make install's lab kit and tab completion, tried as a student
# would: install into a scratch DESTDIR, copy the source, build it with
# plain make, change a lesson and rebuild, complete a command line.
. "${top_srcdir:-.}/tests/tap.sh"

dest=$SCRATCH/dest
# A make of our own: not the suite's jobs, flags or directory.
run -t 300 env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL \
    make -C "$top_builddir" install DESTDIR="$dest"
is "$rc" 0 "make install DESTDIR=... succeeds"
[ "$rc" -eq 0 ] || diag "$err"

kit=$(find "$dest" -type d -path '*/doc/ipclab/src' | head -n 1)
check "the kit is installed under DOCDIR/src" test -n "$kit"
kit=${kit:-$dest/none}
for f in Makefile config.h lib/ipclab.h lib/io.c pipe/ipc-pipe.c \
    pipe/demo.c pipe/connect2.c sem/counter.c socket/passfd.c; do
	check "the kit has $f" test -f "$kit/$f"
done
# Every source file of the tree, and nothing built.
missing=
for f in $(cd "$top_srcdir" && ls lib/*.[ch] pipe/*.[ch] fifo/*.[ch] \
    msgq/*.[ch] shm/*.[ch] sem/*.[ch] socket/*.[ch] flock/*.[ch] \
    signal/*.[ch]); do
	[ -f "$kit/$f" ] || missing="$missing $f"
done
is "$missing" "" "every .c and .h of the tree is in the kit"
is "$(find "$kit" -name '*.o' -o -name '*.a' | wc -l | tr -d ' ')" 0 \
    "the kit holds no objects"
like "$(sed -n 1,20p "$kit/Makefile" 2>/dev/null)" '\./pipe/ipc-pipe demo' \
    "the kit's Makefile says how to run a program"

# The student: a copy of their own, plain make, nothing else.
copy=$SCRATCH/student
cp -R "$kit" "$copy"
run -t 600 env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -C "$copy"
is "$rc" 0 "plain make builds the copy"
[ "$rc" -eq 0 ] || diag "$(printf '%s\n' "$err" | tail -n 5)"
built=0
for p in pipe/ipc-pipe pipe/connect2 fifo/ipc-fifo msgq/ipc-msgq \
    shm/ipc-shm sem/ipc-sem socket/ipc-socket flock/ipc-flock \
    signal/ipc-signal; do
	[ -x "$copy/$p" ] && built=$((built + 1))
done
is "$built" 9 "all nine programs are built in place"
run "$copy/pipe/ipc-pipe" -q demo
is "$out" "received string: i am the child" "the copy's ipc-pipe demo runs"

# Change one line of a lesson and rebuild: the change shows.
sed 's/"i am the child"/"i am the kit"/' "$copy/pipe/demo.c" \
    >"$SCRATCH/demo.c" && cat "$SCRATCH/demo.c" >"$copy/pipe/demo.c"
# A file system whose clock is coarse could make the edit look old.
touch "$copy/pipe/demo.c"
run -t 300 env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -C "$copy"
like "$out" 'pipe/demo\.c' "make rebuilds the changed lesson"
is "$(printf '%s\n' "$out" | grep -c 'lib/io\.c')" 0 \
    "and not what did not change"
run "$copy/pipe/ipc-pipe" -q demo
is "$out" "received string: i am the kit" "the rebuilt program has the change"

run env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -C "$copy" clean
is "$rc" 0 "make clean in the copy succeeds"
is "$(find "$copy" -name '*.o' | wc -l | tr -d ' ')" 0 "make clean removes the objects"
check "make clean removes the programs" test ! -e "$copy/pipe/ipc-pipe"

# Tab completion: one file per program, words from the program itself.
comp=$(find "$dest" -type d -path '*/bash-completion/completions' | head -n 1)
for p in ipc-pipe connect2 ipc-fifo ipc-msgq ipc-shm ipc-sem ipc-socket \
    ipc-flock ipc-signal; do
	check "a completion is installed for $p" test -f "${comp:-/none}/$p"
done
# What --help lists, in its order: the commands the completion must offer.
help_commands() {
	"$1" --help | sed -n '/^Commands:/,/^$/p' |
	    sed -n 's/^  \([a-z][a-z0-9]*\).*/\1/p'
}
for p in ipc-pipe ipc-fifo ipc-msgq ipc-shm ipc-sem ipc-socket ipc-flock \
    ipc-signal; do
	is "$("$p" --list-commands | tr '\n' ' ')" \
	    "$(help_commands "$p" | tr '\n' ' ')" \
	    "$p --list-commands lists --help's commands"
done
is "$(ipc-msgq send --list-options | grep -c -- '^--nowait$')" 1 \
    "ipc-msgq send --list-options has --nowait"
is "$(ipc-msgq send --list-options | grep -c -- '^--all$')" 0 \
    "but not recv's --all"
if command -v bash >/dev/null 2>&1; then
	complete_words() {
		# shellcheck disable=SC2034 # COMP_* are bash's
		bash -c '. "$1"; shift; COMP_WORDS=("$@")
		    COMP_CWORD=$(($# - 1)); _ipclab
		    printf "%s\n" "${COMPREPLY[@]}"' sh "$comp/ipc-pipe" "$@" |
		    tr '\n' ' '
	}
	is "$(complete_words ipc-pipe '')" \
	    "demo duplex eof capacity sigpipe atomic bench " \
	    "ipc-pipe <TAB> offers its commands"
	is "$(complete_words ipc-msgq send --no)" "--nowait " \
	    "ipc-msgq send --no<TAB> offers --nowait"
	is "$(complete_words ipc-sem -q c)" "counter create " \
	    "ipc-sem -q c<TAB> offers counter and create"
	is "$(complete_words connect2 --p)" "--pipefail " \
	    "connect2 --p<TAB> offers --pipefail"
else
	for i in 1 2 3 4; do
		skip "no bash to complete with ($i)"
	done
fi

run -t 300 env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL \
    make -C "$top_builddir" uninstall DESTDIR="$dest"
is "$rc" 0 "make uninstall succeeds"
is "$(find "$dest" -type f | wc -l | tr -d ' ')" 0 \
    "make uninstall leaves no file behind"

done_testing
