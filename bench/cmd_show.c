// SPDX-License-Identifier: GPL-2.0
/* gupbench show: print a result file as a table, CSV or JSON. */
#include <stdio.h>
#include "gupbench.h"
#include "cli.h"
#include "commands.h"
#include "result.h"

static void show_table(FILE *f, const void *doc)
{
	result_print_table(f, doc);
}

static void show_json(FILE *f, const void *doc)
{
	result_print_json(f, doc);
}

static void show_csv(FILE *f, const void *doc)
{
	result_print_csv(f, doc);
}

static const cli_view show_views[CLI_NR_FORMATS] = {
	[CLI_TABLE] = show_table,
	[CLI_JSON] = show_json,
	[CLI_CSV] = show_csv,
};

int cmd_show(int argc, char **argv)
{
	static const struct option longopts[] = {
		CLI_OPTION_FORMAT, CLI_OPTION_HELP, { NULL, 0, NULL, 0 },
	};
	struct cli cli = {
		.cmd = "show", .shortopts = "f:h", .longopts = longopts,
		.formats = cli_formats_of(show_views),
		.help = "usage: gupbench show [--format table|json|csv] FILE.json\n",
	};
	char err[512];
	struct result r;

	/* show has no option of its own: --help and --format are cli_next()'s */
	if (cli_next(&cli, argc, argv) == CLI_STOP)
		return cli.status;
	if (optind >= argc)
		return cli_usage_error(&cli, "no result file given");
	if (optind + 1 < argc)
		return cli_usage_error(&cli, "one result file at a time, got also '%s'",
				       argv[optind + 1]);

	if (result_load(argv[optind], &r, err, sizeof(err))) {
		fprintf(stderr, "gupbench show: %s: %s\n", argv[optind], err);
		return 1;
	}
	cli_print(show_views, cli.format, stdout, &r);
	result_free(&r);
	return fflush(stdout) ? 1 : 0;
}
