## flock/: the file locks chapter.
bin_PROGRAMS += %D%/ipc-flock
%C%_ipc_flock_SOURCES = %D%/ipc-flock.c
