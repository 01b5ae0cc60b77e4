## sem/: the semaphores chapter.
bin_PROGRAMS += %D%/ipc-sem
%C%_ipc_sem_SOURCES = %D%/ipc-sem.c
