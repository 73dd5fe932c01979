/* SPDX-License-Identifier: GPL-2.0 */
/*
 * gupbench report, inside: the directives of a report (report_directive.c). A directive
 * is a line
 *	<!-- gupbench ARGS... -->
 * or, for a command that writes an image and prints its path,
 *	<!-- ![caption] gupbench ARGS... -->
 * followed, in the file, by what it printed last time and a line <!-- end -->.
 * ARGS are split at blanks; '...' and "..." keep blanks (no escapes); a word with
 * * ? or [ is a glob, expanded relative to the current directory in byte order, and
 * must match something.
 */
#ifndef REPORT_H
#define REPORT_H

#include <stdbool.h>
#include <stddef.h>

#define REPORT_END "<!-- end -->"

struct directive {
	char *caption;		/* of an image; NULL: the image file's name */
	char **argv;		/* "gupbench", the subcommand, ...: globs expanded; NULL-ended */
	int argc;
};

/*
 * 1 and d filled when line (without its newline) is a directive; 0 when it is not;
 * -1 with the reason in err when it is one that cannot be used (an open quote, a glob
 * that matches nothing).
 */
int directive_parse(const char *line, struct directive *d, char *err, size_t n);
void directive_free(struct directive *d);

/*
 * Run d as a subprocess of exe, stdout and stderr kept apart, and append what the report
 * shows of it to *out (malloc'd, grown): its markdown as printed (-f markdown), an image
 * link when it printed the path of a .png or .svg file, anything else in a fenced block.
 * 0, or -1 with one line in err (its exit status and the first line of its stderr).
 * Success is exit status 0, or 1 from compare and history (a regression is news, not a
 * failure).
 */
int directive_run(const struct directive *d, const char *exe, char **out, size_t *len,
		  char *err, size_t n);

#endif
