## flock/: the file locks chapter.
bin_PROGRAMS += %D%/ipc-flock
%C%_ipc_flock_SOURCES = %D%/ipc-flock.c \
	%D%/ipc-flock.h \
	%D%/bench.c \
	%D%/compare.c \
	%D%/deadlock.c \
	%D%/demo.c \
	%D%/files.c \
	%D%/kinds.c \
	%D%/lock.c \
	%D%/pause.c \
	%D%/proclocks.c \
	%D%/tally.c
