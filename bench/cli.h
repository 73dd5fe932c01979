/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The command-line convention every subcommand follows: getopt_long, bad
 * input as one line "gupbench <cmd>: ... (see gupbench <cmd> --help)" on
 * stderr with exit status 2, --help on stdout with status 0, and --format
 * chosen among the views the command has.
 */
#ifndef CLI_H
#define CLI_H

#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>

#define CLI_USAGE_STATUS 2

enum cli_format { CLI_TABLE, CLI_JSON, CLI_CSV, CLI_MARKDOWN, CLI_NR_FORMATS };

/* What prints one format: to f, from the command's document (a result, list's JSON). */
typedef void (*cli_view)(FILE *f, const void *doc);

/* The formats a command has, as a bit per enum cli_format; from its views or by hand. */
#define CLI_FORMAT_BIT(fmt) (1u << (fmt))
unsigned int cli_formats_of(const cli_view views[CLI_NR_FORMATS]);

/* Print doc with the view of fmt (one cli_next() let through). */
void cli_print(const cli_view views[CLI_NR_FORMATS], enum cli_format fmt, FILE *f,
	       const void *doc);

struct cli {
	const char *cmd;		/* "run": every message starts "gupbench run: " */
	const char *help;		/* the --help text */
	const char *shortopts;		/* getopt's, without the leading ':' */
	const struct option *longopts;	/* CLI_OPTION_HELP and CLI_OPTION_FORMAT are handled */
	unsigned int formats;		/* the formats --format may choose (CLI_FORMAT_BIT) */
	enum cli_format format;		/* the one chosen: CLI_TABLE (0) unless told */
	int status;			/* when cli_next() returns CLI_STOP: the exit status */
	bool started;
};

/* Entries of longopts that cli_next() handles itself; -f is --format where shortopts has "f:". */
#define CLI_OPT_FORMAT		'f'
#define CLI_OPTION_HELP		{ "help", no_argument, NULL, 'h' }
#define CLI_OPTION_FORMAT	{ "format", required_argument, NULL, CLI_OPT_FORMAT }

#define CLI_END		(-1)	/* no more options: the operands start at optind */
#define CLI_STOP	(-2)	/* --help printed or a usage error reported: return c->status */

/*
 * The next option, as getopt_long returns it, or CLI_END, or CLI_STOP after
 * --help or one line about an unknown option, a missing value, a value
 * given to an option that takes none, or a format not in c->formats.
 * --format is not returned: its choice is in c->format.
 */
int cli_next(struct cli *c, int argc, char **argv);

/*
 * One line "gupbench <cmd>: <message>" on stderr; returns 2. With hint, it
 * ends " (see gupbench <cmd> --help)": cli_usage_error() for input that does
 * not parse, cli_error() for input that parses but cannot be done here (a
 * file that exists, a CPU this machine lacks).
 */
int cli_line(const struct cli *c, bool hint, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
#define cli_usage_error(c, ...)	cli_line((c), true, __VA_ARGS__)
#define cli_error(c, ...)	cli_line((c), false, __VA_ARGS__)

/* Operands past the n expected ones are a usage error: 0, or 2 after the line. */
int cli_no_more_operands(const struct cli *c, int argc, char **argv, int n);

#endif
