/*
 * tally.c - the demo's bookkeeping: its count, which numbers the consumer
 * found and which it never did, and which turns the demo narrates.
 *
 * Each number 1..COUNT should arrive exactly once.  Without the lock,
 * a number appended between the consumer's read and its ftruncate is
 * destroyed unread (lost), and a line caught half written is torn.  The
 * lesson itself is in demo.c; this only counts.
 */
#include "config.h"

#include <err.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ipclab.h"
#include "ipc-flock.h"

static long long	count_batch(struct tally *, size_t);

/* One number a byte in seen[]: a million of them is plenty. */
long long
demo_count(const struct opts *o, int argc, char **argv)
{
	(void)argv;
	if (argc > 0)
		usage_error("demo takes no arguments");
	if (o->count == 0)
		return 1000;
	if (o->count > 1000000)
		usage_error("-n: demo counts at most 1000000 numbers");
	return o->count;
}

void
tally_start(struct tally *t, long long count)
{
	memset(t, 0, sizeof(*t));
	t->count = count;
	t->least = -1;
	if ((t->seen = calloc((size_t)count, 1)) == NULL)
		err(1, "calloc");
}

/*
 * A turn that found numbers counts towards the batch sizes the report
 * gives.  Narrated: the first turn that finds the file empty, the first
 * NARRATED that find numbers, and the last (once the producer is gone).
 */
int
tally_turn(struct tally *t, size_t len, int last, size_t *got)
{
	long long n = count_batch(t, len);

	*got = (size_t)n;
	if (len > 0) {
		t->consumed += n;
		t->turns++;
		if (n > t->most)
			t->most = n;
		if (t->least < 0 || n < t->least)
			t->least = n;
	}
	if (last)
		return 1;
	return len > 0 ? t->turns <= NARRATED : t->empty++ == 0;
}

/* The numbers in the LEN bytes of t->buf: each marked seen, or counted bad. */
static long long
count_batch(struct tally *t, size_t len)
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

/* After its last narrated full turn, the consumer goes on unnarrated. */
void
consumer_goes_quiet(const struct tally *t, size_t len, int last)
{
	if (len > 0 && t->turns == NARRATED && !last)
		say("the consumer goes on taking turns, without narration");
}

/* After its NARRATED-th number, the producer makes the rest unnarrated. */
void
producer_goes_quiet(long long i, long long count)
{
	if (i == NARRATED && count > NARRATED)
		say("the other %lld numbers go the same way, without "
		    "narration", count - NARRATED);
}

/* say(), on the turns the demo narrates (TELL) and on no others. */
void
say_if(int tell, const char *fmt, ...)
{
	char line[1024];
	va_list ap;

	if (!tell)
		return;
	va_start(ap, fmt);
	(void)vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	say("%s", line);
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
