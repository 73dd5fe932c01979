// SPDX-License-Identifier: GPL-2.0
/* gupbench show: print a result file as a table, CSV or JSON. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include "gupbench.h"
#include "commands.h"
#include "result.h"

#define SHOW_USAGE "usage: gupbench show [--format table|json|csv] FILE.json\n"

static int usage_error(const char *fmt, const char *arg)
{
	fprintf(stderr, "gupbench: show: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\n" SHOW_USAGE);
	return 2;
}

int cmd_show(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *format = "table";
	char err[512];
	json_object *root;
	int c;

	/* main may have run getopt already: start over, and report errors ourselves. */
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":f:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'f':
			if (strcmp(optarg, "table") && strcmp(optarg, "json") && strcmp(optarg, "csv"))
				return usage_error("unknown format '%s' (table, json, csv)", optarg);
			format = optarg;
			break;
		case 'h':
			fputs(SHOW_USAGE, stdout);
			return 0;
		case ':':
			return usage_error("option '%s' needs a value", argv[optind - 1]);
		default:
			if (optopt) {
				char opt[3] = { '-', (char)optopt, '\0' };

				return usage_error("unknown option '%s'", opt);
			}
			return usage_error("unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind >= argc)
		return usage_error("%s", "no result file given");
	if (optind + 1 < argc)
		return usage_error("one result file at a time, got also '%s'", argv[optind + 1]);

	root = result_read(argv[optind], err, sizeof(err));
	if (!root) {
		fprintf(stderr, "gupbench: %s: %s\n", argv[optind], err);
		return 1;
	}
	if (!strcmp(format, "json"))
		/* As parsed: numbers keep the text they had in the file. */
		printf("%s\n", json_object_to_json_string_ext(root, JSON_C_TO_STRING_PRETTY |
				JSON_C_TO_STRING_SPACED | JSON_C_TO_STRING_NOSLASHESCAPE));
	else if (!strcmp(format, "csv"))
		result_print_csv(stdout, root);
	else
		result_print_table(stdout, root);
	json_object_put(root);
	return fflush(stdout) ? 1 : 0;
}
