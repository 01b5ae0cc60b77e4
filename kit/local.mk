## kit/: the lab kit and the tab completion, both made for make install.
##
## The kit: the source of every program and of lib/, in the tree's layout,
## with config.h and a plain Makefile, under $(kitdir).  A student copies
## it, changes a lesson and rebuilds with cc and make alone.  The Makefile
## is written from the source lists of the local.mk files, so the kit
## builds what the tree builds.
kitdir = $(docdir)/src
kit_sources = \
	$(lib_libipclab_a_SOURCES) \
	$(pipe_ipc_pipe_SOURCES) \
	$(pipe_connect2_SOURCES) \
	$(fifo_ipc_fifo_SOURCES) \
	$(signal_ipc_signal_SOURCES) \
	$(flock_ipc_flock_SOURCES) \
	$(msgq_ipc_msgq_SOURCES) \
	$(sem_ipc_sem_SOURCES) \
	$(shm_ipc_shm_SOURCES) \
	$(socket_ipc_socket_SOURCES)
nobase_kit_DATA = $(kit_sources)
kit_DATA = config.h %D%/Makefile
CLEANFILES += %D%/Makefile
EXTRA_DIST += %D%/makefile.sh %D%/ipclab.bash

%D%/Makefile: Makefile $(srcdir)/%D%/makefile.sh
	$(AM_V_GEN)$(MKDIR_P) %D% && \
	$(SHELL) $(srcdir)/%D%/makefile.sh '$(LIBS)' \
	    '$(lib_libipclab_a_SOURCES)' \
	    pipe/ipc-pipe '$(pipe_ipc_pipe_SOURCES)' \
	    pipe/connect2 '$(pipe_connect2_SOURCES)' \
	    fifo/ipc-fifo '$(fifo_ipc_fifo_SOURCES)' \
	    signal/ipc-signal '$(signal_ipc_signal_SOURCES)' \
	    flock/ipc-flock '$(flock_ipc_flock_SOURCES)' \
	    msgq/ipc-msgq '$(msgq_ipc_msgq_SOURCES)' \
	    sem/ipc-sem '$(sem_ipc_sem_SOURCES)' \
	    shm/ipc-shm '$(shm_ipc_shm_SOURCES)' \
	    socket/ipc-socket '$(socket_ipc_socket_SOURCES)' >$@-t && \
	mv -f $@-t $@

## Tab completion: one script, installed under each program's name in
## bash-completion's directory (configure's --with-bash-completion-dir),
## which loads completions/NAME the first time NAME is completed.
install-data-local:
	$(MKDIR_P) '$(DESTDIR)$(bashcompdir)'
	for p in $(bin_PROGRAMS); do \
		$(INSTALL_DATA) $(srcdir)/%D%/ipclab.bash \
		    "$(DESTDIR)$(bashcompdir)/$${p##*/}" || exit 1; \
	done

uninstall-local:
	for p in $(bin_PROGRAMS); do \
		rm -f "$(DESTDIR)$(bashcompdir)/$${p##*/}"; \
	done
