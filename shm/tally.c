/*
 * tally.c - what the demo's reader made of its reads: each message once
 * and in order, or lost, read again, or torn (caught half written).  The
 * checking, not the lesson: handoff.c hands the messages over.
 */
#include "config.h"

#include <err.h>
#include <stdio.h>

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
