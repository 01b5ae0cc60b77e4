## fifo/: the FIFOs chapter.
bin_PROGRAMS += %D%/ipc-fifo
%C%_ipc_fifo_SOURCES = \
	%D%/ipc-fifo.c \
	%D%/ipc-fifo.h \
	%D%/bench.c \
	%D%/demo.c \
	%D%/lines.c \
	%D%/name.c \
	%D%/path.c \
	%D%/reader.c \
	%D%/writer.c
