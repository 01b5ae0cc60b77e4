## signal/: the signals chapter.
bin_PROGRAMS += %D%/ipc-signal
%C%_ipc_signal_SOURCES = \
	%D%/ipc-signal.c \
	%D%/ipc-signal.h \
	%D%/bench.c \
	%D%/catch.c \
	%D%/clock.c \
	%D%/demo.c \
	%D%/send.c \
	%D%/stop.c \
	%D%/supervise.c \
	%D%/worker.c
