#!/bin/sh
# manpages.sh - every program has a page; every page lints clean, has the
# sections a teaching page needs, and names every command of its program.
. "${top_srcdir:-.}/tests/tap.sh"

man=$top_srcdir/man

# Every installed program has its page.
# shellcheck disable=SC2013 # the programs are words on those lines
for mk in "$top_srcdir"/*/local.mk; do
	for prog in $(sed -n 's/^bin_PROGRAMS *+= *//p' "$mk"); do
		prog=${prog#%D%/}
		check "$prog has man/$prog.1" test -s "$man/$prog.1"
	done
done

for page in "$man"/*.[17]; do
	name=$(basename "$page")
	if command -v mandoc >/dev/null 2>&1; then
		lint=$(mandoc -T lint -W warning "$page" 2>&1 |
		    grep -v 'outdated mandoc.db\|lacks .* entry')
		is "$lint" "" "$name: mandoc -T lint -W warning is clean"
	else
		skip "mandoc is not installed"
	fi
	case $name in
	*.1) sections="NAME|SYNOPSIS|DESCRIPTION|EXIT STATUS|EXAMPLES|EXERCISES|SEE ALSO|STANDARDS|CAVEATS" ;;
	*) sections="NAME|DESCRIPTION|SEE ALSO" ;;
	esac
	missing=
	IFS='|'
	for s in $sections; do
		grep -q "^\.Sh $s\$" "$page" || missing="$missing [$s]"
	done
	unset IFS
	is "$missing" "" "$name has the sections a teaching page needs"
done

# Every command a program lists in --help is taught on its page.
for prog in ipc-pipe ipc-fifo ipc-msgq ipc-shm ipc-sem ipc-socket \
    ipc-flock ipc-signal; do
	command -v "$prog" >/dev/null 2>&1 || continue
	cmds=$("$prog" --help | sed -n '/^Commands:/,/^$/s/^  \([a-z]*\).*/\1/p')
	missing=
	for c in $cmds; do
		grep -q "^\.It Cm $c\( \|$\)" "$man/$prog.1" ||
		    missing="$missing $c"
	done
	is "$missing" "" "$prog.1 has an entry for every command"
done
done_testing
