#!/bin/sh
# makefile.sh - write the lab kit's plain Makefile on stdout.
#
# Usage: makefile.sh LIBS LIBSOURCES PROGRAM SOURCES [PROGRAM SOURCES]...
# The build passes automake's own source lists (lib/local.mk and each
# chapter's local.mk), so the kit builds exactly what the tree builds.
# The Makefile it writes needs only cc and a POSIX make: no autoreconf,
# no configure (config.h comes with the kit, made on the teacher's machine).
# shellcheck disable=SC2016 # the $(...) are make's, written as they are
set -eu
if [ $# -lt 4 ] || [ $(($# % 2)) -ne 0 ]; then
	echo "usage: makefile.sh LIBS LIBSOURCES PROGRAM SOURCES..." >&2
	exit 2
fi
libs=$1
libsrc=$2
shift 2

# Those of the files in $1 whose names end in $2, with $3 for that ending.
pick() {
	for f in $1; do
		case $f in
		*"$2") printf ' %s' "${f%"$2"}$3" ;;
		esac
	done
}
# "pipe/ipc-pipe" -> "pipe_ipc_pipe": a make variable's name.
varname() {
	printf '%s' "$1" | tr '/.-' '___'
}

cat <<'HEAD'
# Makefile - build the ipclab programs from this copy of their source.
#
# It needs only cc and make: no autoreconf, no configure.
#   cp -r /usr/local/share/doc/ipclab/src ~/ipclab
#   cd ~/ipclab
#   make                      build all nine programs, each in its chapter
#   ./pipe/ipc-pipe demo      run one from here
#   make clean                remove what make built
# (The path is the default one; each man page's THE SOURCE gives it.)
# Change a lesson, say pipe/demo.c, and run make again: what depends on
# it is rebuilt.  The map of where each lesson is sits at the top of each
# program's main file (pipe/ipc-pipe.c, fifo/ipc-fifo.c, ...).  lib/ is
# the plumbing every program links; config.h is what configure found on
# the machine ipclab was installed on.
# Written by ipclab's build (kit/makefile.sh) from its own source lists.

CC = cc
CFLAGS = -g -O2 -Wall -Wextra
CPPFLAGS = -I. -Ilib
HEAD
printf 'LIBS =%s%s\n\n' "${libs:+ }" "$libs"
printf 'LIB_OBJS =%s\n' "$(pick "$libsrc" .c .o)"
progs=
rules=
objs='$(LIB_OBJS)'
while [ $# -gt 0 ]; do
	v=$(varname "$1")
	printf '%s_OBJS =%s\n' "$v" "$(pick "$2" .c .o)"
	progs="$progs $1"
	objs="$objs \$(${v}_OBJS)"
	rules="$rules
$1: \$(${v}_OBJS) \$(LIB_OBJS)
	\$(CC) \$(CFLAGS) \$(LDFLAGS) -o \$@ \$(${v}_OBJS) \$(LIB_OBJS) \$(LIBS)
"
	headers=$(pick "$2" .h .h)
	if [ -n "$headers" ]; then
		rules="$rules\$(${v}_OBJS):$headers
"
	fi
	shift 2
done
printf 'PROGRAMS =%s\n\n' "$progs"
printf '.SUFFIXES: .c .o\n\nall: $(PROGRAMS)\n%s\n' "$rules"
printf 'OBJS = %s\n\n' "$objs"
cat <<'TAIL'
# Every object is remade when the shared headers change.
$(OBJS): config.h lib/ipclab.h

.c.o:
	$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

clean:
	rm -f $(PROGRAMS) $(OBJS)

.PHONY: all clean
TAIL
