// SPDX-License-Identifier: GPL-2.0
/* The options of compare's statistics, the same in compare and history. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "compare.h"

void compare_opts_init(struct compare_opts *co)
{
	struct cmp_opts defaults;

	cmp_opts_init(&defaults);
	*co = (struct compare_opts){
		.threshold = defaults.threshold, .min_runs = defaults.min_runs,
		.metric = "pin", .seed = defaults.seed,
	};
}

int compare_opt(struct cli *cli, int opt, struct compare_opts *co)
{
	char *end;

	switch (opt) {
	case CMP_O_METRIC:
		if (strcmp(optarg, "pin") && strcmp(optarg, "unpin") && strcmp(optarg, "call"))
			return cli_usage_error(cli, "unknown metric '%s' (pin, unpin, call)", optarg);
		co->metric = optarg;
		return 0;
	case CMP_O_THRESHOLD:
		errno = 0;
		co->threshold = strtod(optarg, &end) / 100;
		if (errno || end == optarg || (*end && strcmp(end, "%")) ||
		    !(co->threshold >= 0 && co->threshold < 1))
			return cli_usage_error(cli, "bad --threshold '%s' (a percentage, "
					       "e.g. 2 or 0.5)", optarg);
		return 0;
	case CMP_O_MIN_RUNS:
		errno = 0;
		co->min_runs = strtoul(optarg, &end, 10);
		if (errno || end == optarg || *end || co->min_runs < 1 ||
		    co->min_runs > 1000 || optarg[0] == '-')
			return cli_usage_error(cli, "bad --min-runs '%s'", optarg);
		return 0;
	case CMP_O_SINGLE:
		co->single_run = true;
		return 0;
	case CMP_O_SEED:
		errno = 0;
		co->seed = strtoull(optarg, &end, 0);
		if (errno || end == optarg || *end || optarg[0] == '-')
			return cli_usage_error(cli, "bad --seed '%s'", optarg);
		return 0;
	}
	return -1;
}
