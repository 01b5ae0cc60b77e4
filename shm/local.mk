## shm/: the shared memory chapter.
bin_PROGRAMS += %D%/ipc-shm
%C%_ipc_shm_SOURCES = \
	%D%/ipc-shm.c \
	%D%/ipc-shm.h \
	%D%/bench.c \
	%D%/check.c \
	%D%/failed.c \
	%D%/handoff.c \
	%D%/lookup.c \
	%D%/mmap.c \
	%D%/peer.c \
	%D%/region.c \
	%D%/segment.c
