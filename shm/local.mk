## shm/: the shared memory chapter.
bin_PROGRAMS += %D%/ipc-shm
%C%_ipc_shm_SOURCES = %D%/ipc-shm.c
