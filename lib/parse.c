/*
 * parse.c - strict parsing of command-line values.
 *
 * Every function here either returns a value that is exactly what the
 * user typed, or stops with a usage error (exit 2) that names the option
 * and quotes the bad value.  Nothing is created before arguments parse.
 */
#include "config.h"

#include <sys/stat.h>

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ipclab.h"

/* Digits only: strtoll alone would accept " 12", "+12" and "-0". */
static int
all_digits(const char *s)
{
	if (*s == '\0')
		return 0;
	for (; *s != '\0'; s++)
		if (!isdigit((unsigned char)*s))
			return 0;
	return 1;
}

long long
parse_count(const char *what, const char *s, long long min, long long max)
{
	const char *digits = (*s == '-') ? s + 1 : s;
	long long v;
	char *end;

	if (!all_digits(digits))
		usage_error("%s: '%s' is not a whole number", what, s);
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno == ERANGE || v < min || v > max)
		usage_error("%s: %s is out of range (%lld to %lld)", what, s,
		    min, max);
	return v;
}

size_t
parse_size(const char *what, const char *s, size_t min, size_t max)
{
	size_t n = strspn(s, "0123456789"), shift = 0;
	unsigned long long v;

	if (n == 0 || strlen(s) > n + 1)
		goto bad;
	switch (s[n]) {
	case '\0':
		break;
	case 'G': case 'g':
		shift = 30;
		break;
	case 'K': case 'k':
		shift = 10;
		break;
	case 'M': case 'm':
		shift = 20;
		break;
	default:
		goto bad;
	}
	errno = 0;
	v = strtoull(s, NULL, 10);
	if (errno == ERANGE || v > (ULLONG_MAX >> shift) ||
	    (v << shift) < min || (v << shift) > max)
		usage_error("%s: %s is out of range (%zu to %zu bytes)", what,
		    s, min, max);
	return (size_t)(v << shift);
bad:
	usage_error("%s: '%s' is not a size (a number, optionally followed "
	    "by K, M or G)", what, s);
}

double
parse_seconds(const char *what, const char *s, double min, double max)
{
	size_t whole = strspn(s, "0123456789"), frac = 0;
	double v;

	/* Plain decimals only: no "inf", "nan", "1e9" or hex floats. */
	if (s[whole] == '.')
		frac = strspn(s + whole + 1, "0123456789") + 1;
	if (whole + frac == 0 || s[whole + frac] != '\0' ||
	    (whole == 0 && frac == 1))
		usage_error("%s: '%s' is not a number of seconds", what, s);
	v = strtod(s, NULL);
	if (v < min || v > max)
		usage_error("%s: %s is out of range (%g to %g seconds)", what,
		    s, min, max);
	return v;
}

static const struct {
	const char	*name;
	int		 sig;
} signals[] = {
	{ "HUP", SIGHUP }, { "INT", SIGINT }, { "QUIT", SIGQUIT },
	{ "ILL", SIGILL }, { "TRAP", SIGTRAP }, { "ABRT", SIGABRT },
	{ "BUS", SIGBUS }, { "FPE", SIGFPE }, { "KILL", SIGKILL },
	{ "USR1", SIGUSR1 }, { "SEGV", SIGSEGV }, { "USR2", SIGUSR2 },
	{ "PIPE", SIGPIPE }, { "ALRM", SIGALRM }, { "TERM", SIGTERM },
	{ "CHLD", SIGCHLD }, { "CONT", SIGCONT }, { "STOP", SIGSTOP },
	{ "TSTP", SIGTSTP }, { "TTIN", SIGTTIN }, { "TTOU", SIGTTOU },
	{ "URG", SIGURG }, { "XCPU", SIGXCPU }, { "XFSZ", SIGXFSZ },
	{ "VTALRM", SIGVTALRM }, { "PROF", SIGPROF }, { "WINCH", SIGWINCH },
	{ "IO", SIGIO }, { "SYS", SIGSYS },
};

int
parse_signal(const char *what, const char *s)
{
	const char *name = s;
	size_t i;
	long long off;

	if (all_digits(s))
		return (int)parse_count(what, s, 0, SIGRTMAX);
	if (strncasecmp(name, "SIG", 3) == 0)
		name += 3;
	for (i = 0; i < sizeof(signals) / sizeof(signals[0]); i++)
		if (strcasecmp(name, signals[i].name) == 0)
			return signals[i].sig;
	if (strcasecmp(name, "RTMIN") == 0)
		return SIGRTMIN;
	if (strcasecmp(name, "RTMAX") == 0)
		return SIGRTMAX;
	if (strncasecmp(name, "RTMIN+", 6) == 0 &&
	    all_digits(name + 6)) {
		off = parse_count(what, name + 6, 0, SIGRTMAX - SIGRTMIN);
		return SIGRTMIN + (int)off;
	}
	if (strncasecmp(name, "RTMAX-", 6) == 0 &&
	    all_digits(name + 6)) {
		off = parse_count(what, name + 6, 0, SIGRTMAX - SIGRTMIN);
		return SIGRTMAX - (int)off;
	}
	usage_error("%s: '%s' is not a signal (try USR1, SIGTERM, 15 or "
	    "RTMIN+1)", what, s);
}

const char *
signal_name(int sig, char *buf, size_t len)
{
	size_t i;

	for (i = 0; i < sizeof(signals) / sizeof(signals[0]); i++)
		if (signals[i].sig == sig) {
			snprintf(buf, len, "SIG%s", signals[i].name);
			return buf;
		}
	if (sig == SIGRTMIN)
		snprintf(buf, len, "SIGRTMIN");
	else if (sig > SIGRTMIN && sig <= SIGRTMAX)
		snprintf(buf, len, "SIGRTMIN+%d", sig - SIGRTMIN);
	else
		snprintf(buf, len, "signal %d", sig);
	return buf;
}

key_t
parse_key(const char *what, const char *s)
{
	unsigned long long v;
	char *end;

	/* Base 0: "0x71001234" as ipcs prints it, or decimal. */
	if (!isdigit((unsigned char)*s))
		goto bad;
	errno = 0;
	v = strtoull(s, &end, 0);
	if (*end != '\0')
		goto bad;
	if (errno == ERANGE || v == 0 || v > 0xffffffffULL)
		usage_error("%s: %s is out of range (0x1 to 0xffffffff; 0 "
		    "would be IPC_PRIVATE)", what, s);
	return (key_t)(uint32_t)v;
bad:
	usage_error("%s: '%s' is not a key (decimal or 0x hex)", what, s);
}

/*
 * glibc's mq_open, shm_open and sem_open do not agree on which bad names
 * they refuse, so the program decides.  sem_open adds "sem." to the name,
 * so NAME_MAX - 4 characters after the slash fit all three.
 */
const char *
parse_posix_name(const char *what, const char *s)
{
	size_t len = strlen(s);

	if (s[0] != '/')
		usage_error("%s: '%s' must start with '/', as in /myqueue",
		    what, s);
	if (strchr(s + 1, '/') != NULL)
		usage_error("%s: '%s' may have no '/' but the first", what, s);
	if (len < 2 || strcmp(s, "/.") == 0 || strcmp(s, "/..") == 0)
		usage_error("%s: '%s' needs a name after the '/'", what, s);
	if (len - 1 > NAME_MAX - 4)
		usage_error("%s: name is %zu characters long; at most %d may "
		    "follow the '/'", what, len - 1, NAME_MAX - 4);
	return s;
}

mode_t
parse_mode(const char *what, const char *s)
{
	size_t n = strspn(s, "01234567");
	unsigned long v;

	if (n == 0 || s[n] != '\0' || n > 4)
		usage_error("%s: '%s' is not an octal mode such as 600", what,
		    s);
	v = strtoul(s, NULL, 8);
	if (v > 0777)
		usage_error("%s: %s: only permission bits (at most 777) make "
		    "sense here", what, s);
	return (mode_t)v;
}

void
parse_cpu_pair(const char *what, const char *s, int cpu[2])
{
	char first[32];
	const char *comma = strchr(s, ',');
	size_t n;

	if (comma == NULL || (n = (size_t)(comma - s)) >= sizeof(first))
		usage_error("%s: '%s' is not a pair of CPUs such as 0,1",
		    what, s);
	memcpy(first, s, n);
	first[n] = '\0';
	cpu[0] = (int)parse_count(what, first, 0, CPU_SETSIZE - 1);
	cpu[1] = (int)parse_count(what, comma + 1, 0, CPU_SETSIZE - 1);
}

int
parse_proj(const char *s)
{
	if (s[0] != '\0' && s[1] == '\0' && !isdigit((unsigned char)s[0]))
		return (unsigned char)s[0];
	return (int)parse_count("-P", s, 1, 255);
}
