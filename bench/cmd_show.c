// SPDX-License-Identifier: GPL-2.0
/* gupbench show: print a result file as a table, CSV or JSON. */
#include <stdio.h>
#include "gupbench.h"
#include "cli.h"
#include "commands.h"
#include "result.h"

static const cli_view show_views[CLI_NR_FORMATS] = {
	[CLI_TABLE] = result_print_table,
	[CLI_JSON] = result_print_json,
	[CLI_CSV] = result_print_csv,
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
	json_object *root;

	/* show has no option of its own: --help and --format are cli_next()'s */
	if (cli_next(&cli, argc, argv) == CLI_STOP)
		return cli.status;
	if (optind >= argc)
		return cli_usage_error(&cli, "no result file given");
	if (optind + 1 < argc)
		return cli_usage_error(&cli, "one result file at a time, got also '%s'",
				       argv[optind + 1]);

	root = result_read(argv[optind], err, sizeof(err));
	if (!root) {
		fprintf(stderr, "gupbench show: %s: %s\n", argv[optind], err);
		return 1;
	}
	cli_print(show_views, cli.format, stdout, root);
	json_object_put(root);
	return fflush(stdout) ? 1 : 0;
}
