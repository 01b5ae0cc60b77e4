## tests/: one TAP script per program, run by automake's parallel harness.
TEST_EXTENSIONS = .sh
SH_LOG_DRIVER = env AM_TAP_AWK='$(AWK)' $(SHELL) \
	$(top_srcdir)/build-aux/tap-driver.sh
SH_LOG_COMPILER = $(SHELL)
## What configure found out about the C library: where a named semaphore's
## file is (sem.NAME or NAME in /dev/shm), how many CPUs --cpu may name,
## and whether it is glibc (some pages' transcripts show glibc's calls).
AM_TESTS_ENVIRONMENT = \
	top_builddir='$(abs_top_builddir)'; export top_builddir; \
	top_srcdir='$(abs_top_srcdir)'; export top_srcdir; \
	IPCLAB_SEM_PREFIX='$(SEM_FILE_PREFIX)'; export IPCLAB_SEM_PREFIX; \
	IPCLAB_CPU_SETSIZE='$(CPU_SETSIZE_VALUE)'; export IPCLAB_CPU_SETSIZE; \
	IPCLAB_LIBC='$(IPCLAB_LIBC)'; export IPCLAB_LIBC;

## make bench's yardsticks (memcpy, a bare pipe loop); built, not installed.
noinst_PROGRAMS += %D%/benchref
%C%_benchref_SOURCES = %D%/benchref.c

## tests/shortio.sh preloads this shim (short reads and writes, EINTR).
## A plain rule, not libtool: ipclab needs nothing beyond libc, autoconf
## and automake.  A compiler that cannot make a shared object at all
## leaves tests/shortio.so.skip saying so, and the test skips; one that
## can but fails on shortio.c fails the build, so the test never skips
## for a bug of its own.  No sanitizer flags: the programs carry those.
check_DATA = %D%/shortio.so
%D%/shortio.so: $(srcdir)/%D%/shortio.c
	$(AM_V_GEN)rm -f $@ $@.skip %D%/shortio-probe.c %D%/shortio-probe.so; \
	$(MKDIR_P) %D% && \
	echo 'int shortio_probe(void); int shortio_probe(void) { return 0; }' \
	    >%D%/shortio-probe.c && \
	if $(CC) $(CFLAGS) -shared -fPIC $(LDFLAGS) -o %D%/shortio-probe.so \
	    %D%/shortio-probe.c >/dev/null 2>&1; then \
		ldl=; \
		if $(CC) $(CFLAGS) -shared -fPIC $(LDFLAGS) \
		    -o %D%/shortio-probe.so %D%/shortio-probe.c -ldl \
		    >/dev/null 2>&1; then ldl=-ldl; fi; \
		rm -f %D%/shortio-probe.c %D%/shortio-probe.so; \
		$(CC) $(WARN_CFLAGS) $(CPPFLAGS) $(CFLAGS) -shared -fPIC \
		    $(LDFLAGS) -o $@ $(srcdir)/%D%/shortio.c $$ldl; \
	else \
		rm -f %D%/shortio-probe.c %D%/shortio-probe.so; \
		echo "$(CC) cannot make a shared object (-shared -fPIC)" >$@.skip; \
		echo "$@: not built: $(CC) cannot make a shared object"; \
	fi
## The lock of the tests that use the per-user default POSIX names.
CLEANFILES += %D%/defaults.lock
CLEANFILES += %D%/shortio.so %D%/shortio.so.skip %D%/shortio-probe.c \
	%D%/shortio-probe.so

## neighbour.sh first: its classmate churns beside the scripts that follow.
TESTS += \
	%D%/neighbour.sh \
	%D%/badinput.sh \
	%D%/benchref.sh \
	%D%/concurrency.sh \
	%D%/connect2.sh \
	%D%/examples.sh \
	%D%/honesty.sh \
	%D%/interrupt.sh \
	%D%/ipc-fifo.sh \
	%D%/ipc-flock.sh \
	%D%/ipc-msgq.sh \
	%D%/ipc-pipe.sh \
	%D%/ipc-sem.sh \
	%D%/ipc-shm.sh \
	%D%/ipc-signal.sh \
	%D%/ipc-socket.sh \
	%D%/jobcontrol.sh \
	%D%/kit.sh \
	%D%/leftovers.sh \
	%D%/limits.sh \
	%D%/manpages.sh \
	%D%/order.sh \
	%D%/privacy.sh \
	%D%/removal.sh \
	%D%/shortio.sh \
	%D%/sigkill.sh \
	%D%/sourcemap.sh \
	%D%/sweeptiny.sh

EXTRA_DIST += \
	%D%/bench.sh \
	%D%/benchlib.sh \
	%D%/churn.sh \
	%D%/objects.sh \
	%D%/shortio.c \
	%D%/sweep.sh \
	%D%/sweepchart.awk \
	%D%/tap.sh \
	%D%/tour.sh \
	%D%/valgrind.sh \
	$(TESTS)
