// SPDX-License-Identifier: GPL-2.0
/* The command-line convention of every subcommand (see cli.h). */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include "cli.h"

static const char *const format_name[CLI_NR_FORMATS] = {
	[CLI_TABLE] = "table", [CLI_JSON] = "json", [CLI_CSV] = "csv",
	[CLI_MARKDOWN] = "markdown",
};

int cli_line(const struct cli *c, bool hint, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "gupbench %s: ", c->cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	if (hint)
		fprintf(stderr, " (see gupbench %s --help)", c->cmd);
	fputc('\n', stderr);
	return CLI_USAGE_STATUS;
}

/* The long option "--name" or "--name=value" names, if it takes no value. */
static const struct option *flag_option(const struct cli *c, const char *arg)
{
	size_t len = strcspn(arg + 2, "=");

	for (const struct option *o = c->longopts; o && o->name; o++)
		if (o->has_arg == no_argument && strlen(o->name) == len &&
		    !strncmp(o->name, arg + 2, len))
			return o;
	return NULL;
}

static int stop(struct cli *c, int status)
{
	c->status = status;
	return CLI_STOP;
}

/* --format ARG among the formats in mask: 0, or 2 after one line naming the ones there are. */
static int parse_format(const struct cli *c, const char *arg, unsigned int mask,
			enum cli_format *out)
{
	char have[64] = "";

	for (int f = 0; f < CLI_NR_FORMATS; f++) {
		if (!(mask & CLI_FORMAT_BIT(f)))
			continue;
		if (!strcmp(arg, format_name[f])) {
			*out = f;
			return 0;
		}
		snprintf(have + strlen(have), sizeof(have) - strlen(have), "%s%s",
			 *have ? ", " : "", format_name[f]);
	}
	return cli_usage_error(c, "unknown format '%s' (%s)", arg, have);
}

int cli_next(struct cli *c, int argc, char **argv)
{
	char shortopts[64];
	const char *arg;
	int opt;

	if (!c->started) {
		/* main may have run getopt already: start over, and report errors here. */
		optind = 0;
		opterr = 0;
		c->started = true;
	}
	/* The leading ':' tells a missing value (':') from an unknown option ('?'). */
	snprintf(shortopts, sizeof(shortopts), ":%s", c->shortopts ? c->shortopts : "");
	opt = getopt_long(argc, argv, shortopts, c->longopts, NULL);
	switch (opt) {
	case CLI_OPT_FORMAT:
		if (parse_format(c, optarg, c->formats, &c->format))
			return stop(c, CLI_USAGE_STATUS);
		return cli_next(c, argc, argv);
	case 'h':
		fputs(c->help, stdout);
		return stop(c, 0);
	case ':':
		/* A missing value is at the end of argv: argv[optind - 1] is the option itself. */
		arg = argv[optind - 1];
		if (!strncmp(arg, "--", 2))
			return stop(c, cli_usage_error(c, "option '%s' needs a value", arg));
		return stop(c, cli_usage_error(c, "option '-%c' needs a value", optopt));
	case '?':
		/*
		 * Inside a cluster of short options (-xq) optind has not moved on,
		 * so argv[optind - 1] is not the culprit: a short option is named
		 * by optopt. A long one is argv[optind - 1]: optopt is 0 when it
		 * is unknown, its value when it was given one it does not take.
		 */
		arg = argv[optind - 1];
		if (optopt && !strncmp(arg, "--", 2) && strchr(arg, '=') && flag_option(c, arg))
			return stop(c, cli_usage_error(c, "option '--%s' takes no value",
						       flag_option(c, arg)->name));
		if (optopt > 0 && optopt < 256)
			return stop(c, cli_usage_error(c, "unknown option '-%c'", optopt));
		return stop(c, cli_usage_error(c, "unknown option '%s'", arg));
	default:
		return opt;
	}
}

int cli_no_more_operands(const struct cli *c, int argc, char **argv, int n)
{
	if (optind + n < argc)
		return cli_usage_error(c, "unexpected argument '%s'", argv[optind + n]);
	return 0;
}

unsigned int cli_formats_of(const cli_view views[CLI_NR_FORMATS])
{
	unsigned int mask = 0;

	for (int f = 0; f < CLI_NR_FORMATS; f++)
		if (views[f])
			mask |= CLI_FORMAT_BIT(f);
	return mask;
}

void cli_print(const cli_view views[CLI_NR_FORMATS], enum cli_format fmt, FILE *f,
	       const void *doc)
{
	views[fmt](f, doc);
}
