#!/bin/sh
# sourcemap.sh - the maps a student follows into the source stay true:
#   1. each chapter's PROG.c, and connect2.c, opens with "Where to read":
#      every file it names is there (for PROG.c, at least three of its
#      chapter besides itself), and every function it names as
#      FILE:FUNCTION is defined in that file;
#   2. each page's THE SOURCE section: every source file it names with
#      .Pa is there, and in its reading list (".It Pa FILE Fn FUNCTION")
#      every function is defined in its file.
. "${top_srcdir:-.}/tests/tap.sh"

src=$top_srcdir

# named FILE NAME: FILE defines the function NAME (the house style starts
# a definition with the function's name, at the start of a line).
named() {
	grep -q "^$2(" "$src/$1"
}

# 1. The maps -----------------------------------------------------------------

for prog in "$src"/*/ipc-*.c "$src"/pipe/connect2.c; do
	dir=$(basename "$(dirname "$prog")")
	name=$(basename "$prog")
	map=$(sed -n '/Where to read:/,/See also:/p' "$prog")
	if [ -z "$map" ]; then
		not_ok "$dir/$name opens with a 'Where to read' map"
		continue
	fi
	missing='' others=0
	for f in $(printf '%s\n' "$map" |
	    grep -o '[a-z0-9]*/[a-z0-9_-]*\.[ch]' | sort -u); do
		if [ ! -f "$src/$f" ]; then
			missing="$missing $f"
		elif [ "${f%%/*}" = "$dir" ] && [ "$f" != "$dir/$name" ]; then
			others=$((others + 1))
		fi
	done
	is "$missing" "" "$dir/$name: every file its map names is there"
	# connect2.c is one file: its map points into lib/.
	[ "$name" = connect2.c ] ||
	check "$dir/$name: its map names at least 3 other files of $dir/ ($others)" \
	    test "$others" -ge 3
	# FILE:FUNCTION, or FILE: FUNCTION where the name has an underscore
	# (after "FILE: " a plain word is prose: "fifo/path.c: the ...").
	wrong='' n=0
	for ref in $(printf '%s\n' "$map" | tr '\t' ' ' |
	    grep -oE '[a-z0-9]+/[a-z0-9_-]+\.[ch]:([a-z][a-z0-9_]*| [a-z0-9]*_[a-z0-9_]*)' |
	    tr -d ' ' | sort -u); do
		f=${ref%%:*} fn=${ref#*:}
		[ "$fn" = struct ] && continue
		n=$((n + 1))
		[ -f "$src/$f" ] && named "$f" "$fn" || wrong="$wrong $ref"
	done
	is "$wrong" "" "$dir/$name: each function its map names is where it says ($n)"
done

# 2. The pages' THE SOURCE ---------------------------------------------------

for page in "$src"/man/*.[17]; do
	name=$(basename "$page")
	part=$(sed -n '/^\.Sh THE SOURCE/,/^\.Sh /p' "$page")
	if [ -z "$part" ]; then
		not_ok "$name has a THE SOURCE section"
		continue
	fi
	missing=
	for f in $(printf '%s\n' "$part" |
	    sed -n 's/^\.\(It \)\{0,1\}Pa \([a-z0-9]*\/[a-z0-9_.-]*\.[ch]\).*/\2/p' |
	    sort -u); do
		[ -f "$src/$f" ] || missing="$missing $f"
	done
	is "$missing" "" "$name: every source file THE SOURCE names is there"
	wrong='' n=0
	for ref in $(printf '%s\n' "$part" |
	    sed -n 's/^\.It Pa \([a-z0-9]*\/[a-z0-9_.-]*\.[ch]\) Fn \([a-z_0-9]*\).*/\1:\2/p' |
	    sort -u); do
		f=${ref%%:*} fn=${ref#*:}
		n=$((n + 1))
		[ -f "$src/$f" ] && named "$f" "$fn" || wrong="$wrong $ref"
	done
	is "$wrong" "" "$name: each lesson of its reading list is in its file ($n)"
	# Every other function the section names, ours or the C library's,
	# is in the source: a lesson renamed leaves no name behind.
	wrong='' n=0
	for fn in $(printf '%s\n' "$part" |
	    sed -n 's/^\(\.It .*\)\{0,1\}\.\{0,1\}Fn \([a-z_0-9]*\).*/\2/p' |
	    sort -u); do
		n=$((n + 1))
		grep -qw -- "$fn" "$src"/*/*.[ch] || wrong="$wrong $fn"
	done
	is "$wrong" "" "$name: every function THE SOURCE names is in the source ($n)"
done

done_testing
