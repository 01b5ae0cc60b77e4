/*
 * tally.c - the demo's bookkeeping: which numbers the consumer found, and
 * which it never did.
 *
 * Each number 1..COUNT should arrive exactly once.  Without the lock,
 * a number appended between the consumer's read and its ftruncate is
 * destroyed unread (lost), and a line caught half written is torn.  The
 * lesson itself is in demo.c; this only counts.
 */
#include "config.h"

#include <err.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ipclab.h"
#include "ipc-flock.h"

void
tally_start(struct tally *t, long long count)
{
	memset(t, 0, sizeof(*t));
	t->count = count;
	t->least = -1;
	if ((t->seen = calloc((size_t)count, 1)) == NULL)
		err(1, "calloc");
}

long long
tally_batch(struct tally *t, size_t len)
{
	char *p = t->buf, *nl, *end, *buf = t->buf;
	long long n = 0, v;

	while (p < buf + len) {
		/* A last line without its newline is half a write: torn. */
		if ((nl = memchr(p, '\n', (size_t)(buf + len - p))) == NULL) {
			t->garbled++;
			break;
		}
		*nl = '\0';
		/* Digits only: strtoll alone would take " 7" or "+7". */
		errno = 0;
		v = strtoll(p, &end, 10);
		if (end == p || *end != '\0' || errno != 0 || v < 1 ||
		    v > t->count || p[0] < '0' || p[0] > '9') {
			t->garbled++;
		} else {
			n++;
			if (t->seen[v - 1])
				t->dups++;
			else
				t->seen[v - 1] = 1;
		}
		p = nl + 1;
	}
	return n;
}

void
tally_turn(struct tally *t, long long got)
{
	t->consumed += got;
	t->turns++;
	if (got > t->most)
		t->most = got;
	if (t->least < 0 || got < t->least)
		t->least = got;
}

int
tally_report(const struct opts *o, struct tally *t)
{
	long long lost = 0, i;

	for (i = 0; i < t->count; i++)
		if (!t->seen[i])
			lost++;
	free(t->seen);
	free(t->buf);

	printf("the consumer emptied the file %lld times, %lld to %lld "
	    "numbers at a time\n", t->turns, t->least < 0 ? 0 : t->least,
	    t->most);
	if (t->garbled > 0)
		printf("%lld lines were torn (not a whole number)\n",
		    t->garbled);
	printf("produced %lld, consumed %lld, lost %lld, duplicated %lld\n",
	    t->count, t->consumed, lost, t->dups);
	if (o->no_lock) {
		if (lost + t->dups + t->garbled == 0)
			say("no damage this time: the race needs unlucky "
			    "timing; run it again, or with a larger -n");
		else
			say("lost numbers were appended after the consumer "
			    "read the file and before it emptied it");
		return 0;
	}
	if (lost + t->dups + t->garbled > 0)
		errx(1, "numbers were lost or repeated although both sides "
		    "used the lock");
	return 0;
}
