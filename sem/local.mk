## sem/: the semaphores chapter.
bin_PROGRAMS += %D%/ipc-sem
%C%_ipc_sem_SOURCES = %D%/ipc-sem.c \
	%D%/ipc-sem.h \
	%D%/clock.c \
	%D%/counter.c \
	%D%/failed.c \
	%D%/gate.c \
	%D%/info.c \
	%D%/lookup.c \
	%D%/named.c \
	%D%/ready.c \
	%D%/sysv.c \
	%D%/undo.c
