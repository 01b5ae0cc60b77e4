/*
 * command.c - "PROG [OPTION...] COMMAND [ARG...]" for every program.
 *
 * Options may come before the command, after it or among its arguments
 * (GNU order); "--" ends them.  A leading '-' in the getopt string hands
 * us each operand in order, so this holds even when POSIXLY_CORRECT is
 * set.  An option the command does not take is a usage error, and so is
 * one after the command that "lock FILE CMD" runs: it is more likely CMD's.
 */
#include "config.h"

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ipclab.h"

/* Options every command of every program takes; lib handles them. */
static const struct option_def common_options[] = {
	{ 'h', 1, "help", NULL, "show help (for COMMAND if given) and exit" },
	{ 'q', 1, "quiet", NULL, "no narration on stderr" },
	{ OPT_TIMESTAMPS, 0, "timestamps", NULL,
	  "begin each narration line with the seconds since start" },
	{ 0, 0, NULL, NULL, NULL }
};

/* Whether VAL is one of common_options. */
static int
is_common(int val)
{
	const struct option_def *k;

	for (k = common_options; k->val != 0; k++)
		if (k->val == val)
			return 1;
	return 0;
}

/*
 * Whether WORD, which getopt could not take, is more likely an argument
 * than a mistyped option: a negative number ("-5"), a message or a
 * cluster of letters ("-hello"), or any word after the command's own
 * arguments have begun (the "-l" of "lock FILE ls -l").  NARGS < 0: the
 * program has no such arguments (connect2 stops at CMD1).
 */
static int
looks_like_argument(const char *word, int nargs)
{
	if (nargs < 0)
		return 0;
	if (word[0] == '-' && word[1] >= '0' && word[1] <= '9')
		return 1;
	if (word[0] == '-' && word[1] != '-' && strlen(word) > 2)
		return 1;
	return nargs >= 2;
}

void
bad_option(int ch, char **argv, int at, int nargs)
{
	/*
	 * AT is where optind was before the getopt call that failed: the
	 * word it did not like, even in the middle of a cluster ("-hello").
	 */
	const char *word = argv[at];
	const char *hint = "";

	if (ch == ':')
		usage_error("option '%s' needs an argument", argv[optind - 1]);
	if (looks_like_argument(word, nargs))
		hint = " (to pass an argument that starts with '-', put it "
		    "after --)";
	if (optopt != 0 && optopt < 0x100 && word[1] != '-' &&
	    strlen(word) > 2)
		usage_error("unknown option -%c in '%s'%s", optopt, word, hint);
	if (optopt != 0 && optopt < 0x100 && word[1] != '-')
		usage_error("unknown option -%c%s", optopt, hint);
	usage_error("unknown option '%s'%s", word, hint);
}

/*
 * "  HEAD  TEXT", TEXT folded to fit 79 columns; TEXT starts on a line of
 * its own when HEAD is too wide.
 */
static void
print_item(FILE *f, const char *head, const char *text)
{
	const int indent = 27, width = 79 - 27;
	int n, col = 0;

	if (strlen(head) > 24)
		fprintf(f, "  %s\n%*s", head, indent, "");
	else
		fprintf(f, "  %-24s ", head);
	while (*text != '\0') {
		n = (int)strcspn(text, " ");
		if (col > 0 && col + 1 + n > width) {
			fprintf(f, "\n%*s", indent, "");
			col = 0;
		} else if (col > 0) {
			fputc(' ', f);
			col++;
		}
		fprintf(f, "%.*s", n, text);
		col += n;
		text += n;
		text += strspn(text, " ");
	}
	fputc('\n', f);
}

/* How --help writes option D: "-s, --size SIZE", "--cpu A,B", "-n N". */
static const char *
option_spec(char *buf, size_t len, const struct option_def *d)
{
	char letter[4] = "";

	if (d->has_short)
		snprintf(letter, sizeof(letter), "-%c", d->val);
	snprintf(buf, len, "%s%s%s%s%s%s", letter,
	    d->has_short && d->name ? ", " : "", d->name ? "--" : "",
	    d->name ? d->name : "", d->arg ? " " : "", d->arg ? d->arg : "");
	return buf;
}

/*
 * The next of the program's options *D and the common ones *K, merged in
 * the order of their letters (both tables are sorted so); NULL at the end.
 */
static const struct option_def *
next_option(const struct option_def **d, const struct option_def **k)
{
	if ((*d)->val == 0 && (*k)->val == 0)
		return NULL;
	if ((*k)->val == 0 || ((*d)->val != 0 && (*d)->val < (*k)->val))
		return (*d)++;
	return (*k)++;
}

/* Whether command C takes option D; with C NULL, the program does. */
static int
takes(const struct command *c, const struct option_def *d)
{
	return c == NULL || strchr(c->opts, d->val) != NULL ||
	    is_common(d->val);
}

/* --help's options: those C takes (all of them, if C is NULL). */
static void
print_options(FILE *f, const struct program *p, const struct command *c)
{
	const struct option_def *d = p->options, *k = common_options, *next;
	char spec[64];

	while ((next = next_option(&d, &k)) != NULL)
		if (takes(c, next))
			print_item(f, option_spec(spec, sizeof(spec), next),
			    next->text);
}

static void
print_usage(FILE *f, const struct program *p)
{
	const struct command *c;
	char head[128];

	fprintf(f, "Usage: %s [OPTION...] COMMAND [ARG...]\n%s\n\nCommands:\n",
	    program_invocation_short_name, p->summary);
	for (c = p->commands; c->name != NULL; c++) {
		snprintf(head, sizeof(head), "%s %s", c->name, c->args);
		print_item(f, head, c->summary);
	}
	fprintf(f, "\nOptions:\n");
	print_options(f, p, NULL);
	print_item(f, "--version", "print the version and exit");
	fprintf(f, "\nOptions may stand anywhere; '--' ends them.\n"
	    "'%s COMMAND --help' shows one command;\n"
	    "'man %s' teaches the concept.\n",
	    program_invocation_short_name, program_invocation_short_name);
}

/*
 * --list-options: every option word C takes (or the program, if C is
 * NULL), one a line, for the completion; --help's order.
 */
static void
list_options(const struct program *p, const struct command *c)
{
	const struct option_def *d = p->options, *k = common_options, *next;

	while ((next = next_option(&d, &k)) != NULL) {
		if (!takes(c, next))
			continue;
		if (next->has_short)
			printf("-%c\n", next->val);
		if (next->name != NULL)
			printf("--%s\n", next->name);
	}
	if (c == NULL)
		printf("--version\n");
}

/* --list-commands and --list-options: what the completion offers. */
static int
list_words(const struct program *p, int what, int nargs, char **argv)
{
	const struct command *c, *only = NULL;

	for (c = p->commands; c->name != NULL; c++) {
		if (what == OPT_LIST_COMMANDS)
			printf("%s\n", c->name);
		else if (nargs > 0 && strcmp(c->name, argv[1]) == 0)
			only = c;
	}
	if (what == OPT_LIST_OPTIONS)
		list_options(p, only);
	flush_stdout();
	return 0;
}

static void
print_command_help(const struct program *p, const struct command *c)
{
	printf("Usage: %s %s %s\n%s\n\nOptions:\n",
	    program_invocation_short_name, c->name, c->args, c->summary);
	print_options(stdout, p, c);
}

/* Refuse an option the command does not take, by the name it was given. */
static void
check_options(const struct program *p, const struct command *c,
    const char *seen)
{
	const struct option_def *d;

	for (; *seen != '\0'; seen++) {
		if (strchr(c->opts, *seen) != NULL || is_common(*seen))
			continue;
		for (d = p->options; d->val != 0; d++)
			if (d->val == *seen && d->name != NULL)
				usage_error("option --%s does not apply to "
				    "'%s'", d->name, c->name);
		usage_error("option -%c does not apply to '%s'", *seen,
		    c->name);
	}
}

/* Add option D to getopt's string OS and to the long options LO at *N. */
static void
add_option(const struct option_def *d, char *os, size_t oslen,
    struct option *lo, size_t *n, size_t max)
{
	size_t len = strlen(os);

	if (d->has_short && len + 3 <= oslen) {
		os[len++] = (char)d->val;
		if (d->arg != NULL)
			os[len++] = ':';
		os[len] = '\0';
	} else if (d->has_short) {
		errx(1, "internal error: option string too long");
	}
	if (d->name == NULL)
		return;
	/* Room for this one, lib's three and the terminating entry. */
	if (*n + 5 > max)
		errx(1, "internal error: too many long options");
	lo[*n].name = d->name;
	lo[*n].has_arg = d->arg != NULL ? required_argument : no_argument;
	lo[*n].flag = NULL;
	lo[*n].val = d->val;
	(*n)++;
}

/*
 * getopt_long's two tables, made from the program's options and the
 * common ones: "-:" first (operands in order, ':' for a missing argument).
 */
static void
make_getopt_tables(const struct program *p, char *os, size_t oslen,
    struct option *lo, size_t max)
{
	const struct option_def *d;
	size_t n = 0;

	snprintf(os, oslen, "-:");
	for (d = common_options; d->val != 0; d++)
		add_option(d, os, oslen, lo, &n, max);
	for (d = p->options; d->val != 0; d++)
		add_option(d, os, oslen, lo, &n, max);
	/* --version: a long option only; print_usage lists it last. */
	lo[n++] = (struct option){ "version", no_argument, NULL, OPT_VERSION };
	lo[n++] = (struct option){ "list-commands", no_argument, NULL,
	    OPT_LIST_COMMANDS };
	lo[n++] = (struct option){ "list-options", no_argument, NULL,
	    OPT_LIST_OPTIONS };
	memset(&lo[n], 0, sizeof(lo[n]));
}

int
common_option(int ch)
{
	switch (ch) {
	case 'q':
		narrate_quiet(1);
		return 1;
	case OPT_TIMESTAMPS:
		narrate_timestamps(1);
		return 1;
	case OPT_VERSION:
		print_version();
	}
	return 0;
}

/*
 * A descriptor 0, 1 or 2 that was closed when we started ("2>&-") is the
 * lowest free number, which the first open(), socket() or pipe() would
 * get: narration or results would go into our own FIFO, socket or file.
 * Hold each such number with /dev/null, opened the wrong way round (0
 * for writing, 1 and 2 for reading), so that using it still fails with
 * EBADF, as with a closed descriptor.  (connect2, whose lesson is what
 * pipe() returns then, does not call this.)
 */
static void
hold_closed_standard_fds(void)
{
	int fd, held;

	for (fd = 0; fd <= 2; fd++) {
		if (fcntl(fd, F_GETFD) != -1 || errno != EBADF)
			continue;
		/*
		 * open() gives the lowest free number: this one.  If it
		 * cannot (no /dev/null), we go on as before.
		 */
		held = open("/dev/null", fd == 0 ? O_WRONLY : O_RDONLY);
		if (held != -1 && held != fd)
			(void)close(held);
	}
}

/*
 * An option getopt knows, after the CMD of "lock FILE CMD": taken, it
 * would run CMD without it (the -q of "lock f grep -q root f").
 */
static void
refuse_after_command(const struct program *p, int nargs, char **argv,
    int at)
{
	const struct command *c;

	for (c = p->commands; nargs >= 3 && c->name != NULL; c++)
		if (strcmp(c->name, argv[1]) == 0 &&
		    strstr(c->args, "[-- CMD...]") != NULL)
			usage_error("option '%s' after the command '%s' (to "
			    "pass an argument that starts with '-', put it "
			    "after --)", argv[at], argv[3]);
}

int
run_program(const struct program *p, struct opts *o, int argc, char **argv)
{
	static struct option longopts[64];
	const struct command *c;
	char optstring[128], seen[64] = "";
	int at, ch, help = 0, list = 0, nargs = 0, rc;

	hold_closed_standard_fds();
	narrate_start();
	/* We word the errors ourselves: getopt would name argv[0] as typed. */
	opterr = 0;
	make_getopt_tables(p, optstring, sizeof(optstring), longopts,
	    sizeof(longopts) / sizeof(longopts[0]));
	for (;;) {
		at = optind;
		if ((ch = getopt_long(argc, argv, optstring, longopts,
		    NULL)) == -1)
			break;
		if (ch != 1 && ch != '?')
			refuse_after_command(p, nargs, argv, at);
		switch (ch) {
		case 1:
			/*
			 * An operand: keep it, in order, after argv[0] (which
			 * getopt still needs for its messages).
			 */
			argv[1 + nargs++] = optarg;
			continue;
		case ':':
		case '?':
			bad_option(ch, argv, at, nargs);
		case 'h':
			help = 1;
			break;
		case OPT_LIST_COMMANDS:
		case OPT_LIST_OPTIONS:
			list = ch;
			break;
		default:
			if (!common_option(ch))
				p->set(o, ch, optarg);
			break;
		}
		if (ch < 0x100 && strchr(seen, ch) == NULL &&
		    strlen(seen) < sizeof(seen) - 1)
			seen[strlen(seen)] = (char)ch;
	}
	/* After "--", the rest are operands too. */
	while (optind < argc)
		argv[1 + nargs++] = argv[optind++];

	if (list != 0)
		return list_words(p, list, nargs, argv);
	if (nargs == 0) {
		if (help) {
			print_usage(stdout, p);
			flush_stdout();
			return 0;
		}
		fprintf(stderr, "%s: missing command\n",
		    program_invocation_short_name);
		print_usage(stderr, p);
		return 2;
	}
	for (c = p->commands; c->name != NULL; c++)
		if (strcmp(c->name, argv[1]) == 0)
			break;
	if (c->name == NULL)
		usage_error("unknown command '%s'", argv[1]);
	if (help) {
		print_command_help(p, c);
		flush_stdout();
		return 0;
	}
	check_options(p, c, seen);
	catch_termination();
	rc = c->run(o, nargs - 1, argv + 2);
	flush_stdout();
	return rc;
}
