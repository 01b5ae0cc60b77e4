## tests/: one TAP script per program, run by automake's parallel harness.
TEST_EXTENSIONS = .sh
SH_LOG_DRIVER = env AM_TAP_AWK='$(AWK)' $(SHELL) \
	$(top_srcdir)/build-aux/tap-driver.sh
SH_LOG_COMPILER = $(SHELL)
AM_TESTS_ENVIRONMENT = \
	top_builddir='$(abs_top_builddir)'; export top_builddir; \
	top_srcdir='$(abs_top_srcdir)'; export top_srcdir;

## make bench's yardsticks (memcpy, a bare pipe loop); built, not installed.
noinst_PROGRAMS += %D%/benchref
%C%_benchref_SOURCES = %D%/benchref.c

TESTS += \
	%D%/badinput.sh \
	%D%/benchref.sh \
	%D%/concurrency.sh \
	%D%/connect2.sh \
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
	%D%/limits.sh \
	%D%/manpages.sh \
	%D%/privacy.sh \
	%D%/removal.sh \
	%D%/sigkill.sh

EXTRA_DIST += \
	%D%/bench.sh \
	%D%/objects.sh \
	%D%/tap.sh \
	%D%/tour.sh \
	%D%/valgrind.sh \
	$(TESTS)
