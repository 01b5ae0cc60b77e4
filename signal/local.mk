## signal/: the signals chapter.
bin_PROGRAMS += %D%/ipc-signal
%C%_ipc_signal_SOURCES = %D%/ipc-signal.c
