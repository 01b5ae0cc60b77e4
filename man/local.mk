## man/: one teaching page per program, and the overview.
dist_man_MANS += \
	%D%/connect2.1 \
	%D%/ipc-flock.1 \
	%D%/ipc-pipe.1 \
	%D%/ipclab.7
