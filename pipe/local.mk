## pipe/: the pipes chapter.
bin_PROGRAMS += %D%/ipc-pipe %D%/connect2
%C%_ipc_pipe_SOURCES = %D%/ipc-pipe.c
%C%_connect2_SOURCES = %D%/connect2.c
