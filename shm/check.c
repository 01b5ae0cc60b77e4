/*
 * check.c - what the demos got, counted and checked: the handoff's
 * messages (each once and in order, or lost, read again or torn) and
 * what each kind of mapping showed after the fork.  A kernel that broke
 * a promise of the man pages fails the run.  The checking, not the
 * lesson: handoff.c and mmap.c teach.
 */
#include "config.h"

#include <err.h>
#include <stdio.h>
#include <string.h>

#include "ipclab.h"
#include "ipc-shm.h"

/* The writer stores SEQ first and last; two numbers mean torn. */
void
count_message(struct tally *t, long long seq, long long seq_again)
{
	if (seq != seq_again)
		t->torn++;
	else if (seq <= t->last)
		t->again++;
	else {
		t->received++;
		t->last = seq;
	}
}

int
report_tally(const struct tally *t, long long count, int sem)
{
	if (t->received == count) {
		printf("received %lld of %lld messages in order\n", t->received,
		    count);
		return 0;
	}
	printf("received %lld of %lld messages: %lld lost, %lld read again, "
	    "%lld torn\n", t->received, count, count - t->received, t->again,
	    t->torn);
	if (sem)
		errx(1, "messages went wrong although semaphores guard the "
		    "slot");
	return 0;
}

/*
 * mmap's table: for each KIND, its text before the child stored, what
 * the parent sees now, and for the two backed by the file what the file
 * holds.  Then exactly what Linux promises, or exit 1.
 */
void
report_mappings(const char *const kind[4], char *const map[4],
    char before[4][32], char file[2][32])
{
	int i;

	printf("%-22s %-17s %-17s %s\n", "mapping", "before the child",
	    "parent sees", "file holds");
	for (i = 0; i < 4; i++)
		printf("%-22s %-17s %-17s %s\n", kind[i], before[i], map[i],
		    i == 0 ? file[0] : i == 2 ? file[1] : "-");
	if (strcmp(map[0], FROM_CHILD) != 0 ||
	    strcmp(map[1], FROM_CHILD) != 0 ||
	    strcmp(map[2], FROM_FILE) != 0 ||
	    strcmp(map[3], FROM_PARENT) != 0 ||
	    strcmp(file[0], FROM_CHILD) != 0 ||
	    strcmp(file[1], FROM_FILE) != 0)
		errx(1, "the mappings did not behave as mmap(2) says");
}
