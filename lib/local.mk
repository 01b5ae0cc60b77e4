## lib/: the plumbing every program links; not installed.
noinst_LIBRARIES += %D%/libipclab.a
%C%_libipclab_a_SOURCES = \
	%D%/bench.c \
	%D%/cleanup.c \
	%D%/command.c \
	%D%/exec.c \
	%D%/io.c \
	%D%/ipclab.h \
	%D%/names.c \
	%D%/narrate.c \
	%D%/parse.c \
	%D%/proc.c \
	%D%/sysv.c \
	%D%/usage.c
