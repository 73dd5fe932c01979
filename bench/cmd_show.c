// SPDX-License-Identifier: GPL-2.0
/*
 * gupbench show: print a result file as a table, CSV or JSON; with --env, the
 * environment of the runs under some paths, per kernel (env_view.c).
 */
#include <stdio.h>
#include "gupbench.h"
#include "cli.h"
#include "commands.h"
#include "env_view.h"
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
	enum { O_ENV = 256 };
	static const struct option longopts[] = {
		{ "env", no_argument, NULL, O_ENV },
		CLI_OPTION_FORMAT, CLI_OPTION_HELP, { NULL, 0, NULL, 0 },
	};
	struct cli cli = {
		.cmd = "show", .shortopts = "f:h", .longopts = longopts,
		.formats = cli_formats_of(show_views) | cli_formats_of(env_views),
		.help = "usage: gupbench show [--format table|json|csv] FILE.json\n"
			"       gupbench show --env [--format table|markdown|json|csv] PATH...\n"
			"  --env   the environment of the runs under PATH (files or folders), per\n"
			"          kernel: build, config, CPU, THP, hugetlb, accelerator, tool\n",
	};
	char err[512];
	struct result r;
	bool env = false;
	int opt;

	while ((opt = cli_next(&cli, argc, argv)) != CLI_END) {
		if (opt == CLI_STOP)
			return cli.status;
		if (opt == O_ENV)
			env = true;
	}
	if (env && optind >= argc)
		return cli_usage_error(&cli, "no result file or folder given");
	if (env)
		return show_env(cli.format, argv + optind, argc - optind);
	if (!show_views[cli.format])
		return cli_usage_error(&cli, "format markdown is for --env only");
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
