/*
 * command.c - "PROG [OPTION...] COMMAND [ARG...]" for every program.
 *
 * Options may come before the command, after it or among its arguments
 * (GNU order); "--" ends them.  A leading '-' in the getopt string hands
 * us each operand in order, so this holds even when POSIXLY_CORRECT is
 * set.  An option the command does not take is a usage error.
 */
#include "config.h"

#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ipclab.h"

/* Options every command of every program takes; lib handles them. */
#define COMMON_OPTIONS "hq"

static const struct option common_longopts[] = {
	{ "help", no_argument, NULL, 'h' },
	{ "quiet", no_argument, NULL, 'q' },
	{ "version", no_argument, NULL, OPT_VERSION },
	{ NULL, 0, NULL, 0 }
};

static const struct option_help common_help[] = {
	{ 'h', "-h, --help", "show help (for COMMAND if given) and exit" },
	{ 'q', "-q, --quiet", "no narration on stderr" },
	{ 0, NULL, NULL }
};

void
bad_option(int ch, char **argv)
{
	/* optind has moved past the word getopt did not like. */
	const char *word = argv[optind - 1];

	if (ch == ':')
		usage_error("option '%s' needs an argument", word);
	if (optopt != 0 && optopt < 0x100 && word[1] != '-')
		usage_error("unknown option -%c", optopt);
	usage_error("unknown option '%s'", word);
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

/*
 * The program's options and the common ones, merged in the order of their
 * letters (both tables are sorted so); only those C takes, unless C is NULL.
 */
static void
print_options(FILE *f, const struct program *p, const struct command *c)
{
	const struct option_help *h = p->options, *k = common_help, *next;

	while (h->val != 0 || k->val != 0) {
		if (k->val == 0 || (h->val != 0 && h->val < k->val))
			next = h++;
		else
			next = k++;
		if (c == NULL || strchr(c->opts, next->val) != NULL ||
		    strchr(COMMON_OPTIONS, next->val) != NULL)
			print_item(f, next->spec, next->text);
	}
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
	const struct option *o;

	for (; *seen != '\0'; seen++) {
		if (strchr(c->opts, *seen) != NULL ||
		    strchr(COMMON_OPTIONS, *seen) != NULL)
			continue;
		for (o = p->longopts; o->name != NULL; o++)
			if (o->val == *seen)
				usage_error("option --%s does not apply to "
				    "'%s'", o->name, c->name);
		usage_error("option -%c does not apply to '%s'", *seen,
		    c->name);
	}
}

int
run_program(const struct program *p, struct opts *o, int argc, char **argv)
{
	static struct option longopts[64];
	const struct command *c;
	char optstring[128], seen[64] = "";
	int ch, help = 0, nargs = 0, rc;
	size_t n = 0, i;

	/* We word the errors ourselves: getopt would name argv[0] as typed. */
	opterr = 0;
	if ((size_t)snprintf(optstring, sizeof(optstring), "-:%s%s",
	    COMMON_OPTIONS, p->shortopts) >= sizeof(optstring))
		errx(1, "internal error: option string too long");
	/* The program's long options, then the common ones, then the end. */
	while (p->longopts[n].name != NULL)
		n++;
	if (n + sizeof(common_longopts) / sizeof(common_longopts[0]) >
	    sizeof(longopts) / sizeof(longopts[0]))
		errx(1, "internal error: too many long options");
	memcpy(longopts, p->longopts, n * sizeof(longopts[0]));
	for (i = 0; i < sizeof(common_longopts) / sizeof(common_longopts[0]);
	    i++)
		longopts[n + i] = common_longopts[i];
	while ((ch = getopt_long(argc, argv, optstring, longopts,
	    NULL)) != -1) {
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
			bad_option(ch, argv);
		case 'h':
			help = 1;
			break;
		case 'q':
			narrate_quiet(1);
			break;
		case OPT_VERSION:
			print_version();
		default:
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
