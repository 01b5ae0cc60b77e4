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
# THE SOURCE: before SEE ALSO; each lesson it names is there in the
# tree, the function too; every command is in it.
for page in "$man"/*.[17]; do
	name=$(basename "$page")
	prog=${name%.[17]}
	order=$(sed -n 's/^\.Sh \(THE SOURCE\|SEE ALSO\)$/\1/p' "$page" |
	    tr '\n' '|')
	is "$order" "THE SOURCE|SEE ALSO|" \
	    "$name: THE SOURCE comes before SEE ALSO"
	src=$(sed -n '/^\.Sh THE SOURCE$/,/^\.Sh /p' "$page")
	entries=$(printf '%s\n' "$src" |
	    sed -n 's/^\.It Pa \([^ ]*\) Fn \([^ ]*\)$/\1 \2/p')
	bad=
	while read -r file fn; do
		[ -n "$file" ] || continue
		grep -q "^$fn(" "$top_srcdir/$file" 2>/dev/null ||
		    bad="$bad $file:$fn"
	done <<EOF2
$entries
EOF2
	is "$bad" "" \
	    "$name: each file and function THE SOURCE names is in the tree"
	check "$name: THE SOURCE names at least one lesson" test -n "$entries"
	stale=
	# shellcheck disable=SC2013 # file names, one word each
	for f in $(sed -n 's/^\.Pa \([a-z0-9]*\/[A-Za-z0-9_.-]*\.[ch]\).*/\1/p' \
	    "$page" | sort -u); do
		[ -f "$top_srcdir/$f" ] || stale="$stale $f"
	done
	is "$stale" "" "$name: every source file the page names is in the tree"
	command -v "$prog" >/dev/null 2>&1 || continue
	[ "$prog" = connect2 ] && continue
	missing=
	for c in $("$prog" --list-commands); do
		printf '%s\n' "$src" | grep -q "^\.Cm $c\( \|$\)" ||
		    missing="$missing $c"
	done
	is "$missing" "" "$name: THE SOURCE says where each command is taught"
done

# ipclab-labs(7) answers every exercise, in order: as many answers under
# ".Ss PAGE" as the page has exercises (items of its outer list).
items() {
	awk '/^\.Bl/ { depth++ } /^\.El/ { depth-- }
	    /^\.It/ && depth == 1 { n++ } END { print n + 0 }'
}
for page in "$man"/*.1; do
	name=$(basename "$page" .1)
	asked=$(sed -n '/^\.Sh EXERCISES$/,/^\.Sh /p' "$page" | items)
	answered=$(awk -v head=".Ss $name(1)" '
	    $0 == head { on = 1; next } /^\.S[hs] / { on = 0 } on' \
	    "$man/ipclab-labs.7" | items)
	is "$answered" "$asked" \
	    "ipclab-labs.7 answers each of $name.1's $asked exercises"
done
done_testing
