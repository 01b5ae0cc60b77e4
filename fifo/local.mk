## fifo/: the FIFOs chapter.
bin_PROGRAMS += %D%/ipc-fifo
%C%_ipc_fifo_SOURCES = %D%/ipc-fifo.c
