## man/: one teaching page per program, the overview, the teacher's guide.
dist_man_MANS += \
	%D%/connect2.1 \
	%D%/ipc-fifo.1 \
	%D%/ipc-flock.1 \
	%D%/ipc-msgq.1 \
	%D%/ipc-pipe.1 \
	%D%/ipc-sem.1 \
	%D%/ipc-shm.1 \
	%D%/ipc-signal.1 \
	%D%/ipc-socket.1 \
	%D%/ipclab.7 \
	%D%/ipclab-labs.7

## The chart of one make bench-sweep run that ipclab(7) shows as text.
dist_doc_DATA = %D%/bench-sweep.svg
