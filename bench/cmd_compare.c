// SPDX-License-Identifier: GPL-2.0
/*
 * gupbench compare A... -- B...: the same cases of two sets of runs, B against
 * A, with an interval that accounts for the variation between runs, a verdict
 * per case, and first what else differs between the two sides.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "gupbench.h"
#include "commands.h"
#include "compare.h"
#include "case_key.h"

#define COMPARE_USAGE \
	"usage: gupbench compare [options] A... -- B...\n" \
	"  A, B              result files, or folders (every result file below them);\n" \
	"                    each file is one run, the unit of replication\n" \
	"  --metric M        pin (default: ns per 4 KiB page of the pin), unpin, call\n" \
	"                    (ns per kernel call of the pin)\n" \
	"  --threshold PCT   a change smaller than this is no change (default 2)\n" \
	"  --min-runs N      fewer runs on a side give no verdict (default 3)\n" \
	"  --single-run      give verdicts from one run per side (within-run noise only)\n" \
	"  --seed N          of the bootstrap (default fixed: output is reproducible)\n" \
	"  -f, --format F    table (72 columns, for email; default), markdown, json, csv\n" \
	"exit status: 0 no regression, 1 a regression beyond the threshold, 2 usage,\n" \
	"125 nothing to compare (e.g. no case in common)\n"

/* Rows say only what tells them apart; what all share is said once (report.common). */
static int label_rows(struct rows *rs, char *common, size_t n)
{
	const struct result_case **cs = calloc(rs->n ? rs->n : 1, sizeof(*cs));
	unsigned int parts;

	if (!cs)
		return -1;
	for (size_t i = 0; i < rs->n; i++)
		cs[i] = rs->v[i].first;
	parts = case_parts_differing(cs, rs->n);
	free(cs);
	if (!parts)
		parts = CASE_DRIVER | CASE_BACKING | CASE_STATE;
	for (size_t i = 0; i < rs->n; i++)
		case_label(rs->v[i].first, parts, rs->v[i].label, sizeof(rs->v[i].label));
	if (rs->n)
		case_label(rs->v[0].first, CASE_ALL & ~parts, common, n);
	return 0;
}

/* ---- the command ---- */


static int parse_opts(struct cli *cli, int argc, char **argv, struct compare_opts *co,
		      int *split)
{
	enum { O_METRIC = 256, O_THRESHOLD, O_MIN_RUNS, O_SINGLE, O_SEED };
	static const struct option longopts[] = {
		{ "metric", required_argument, NULL, O_METRIC },
		{ "threshold", required_argument, NULL, O_THRESHOLD },
		{ "min-runs", required_argument, NULL, O_MIN_RUNS },
		{ "single-run", no_argument, NULL, O_SINGLE },
		{ "seed", required_argument, NULL, O_SEED },
		CLI_OPTION_FORMAT,
		CLI_OPTION_HELP,
		{ 0 }
	};
	char *end;
	int opt;

	/* options are read only before "--": what follows it is side B, whatever it looks like */
	for (*split = 1; *split < argc && strcmp(argv[*split], "--"); (*split)++)
		;
	cli->shortopts = "f:h";
	cli->longopts = longopts;
	while ((opt = cli_next(cli, *split, argv)) != CLI_END) {
		switch (opt) {
		case CLI_STOP:
			/* --help (status 0) stops too: -1 tells the caller to return the status */
			return -1;
		case O_METRIC:
			if (strcmp(optarg, "pin") && strcmp(optarg, "unpin") && strcmp(optarg, "call"))
				return cli_usage_error(cli, "unknown metric '%s' (pin, unpin, call)",
						       optarg);
			co->metric = optarg;
			break;
		case O_THRESHOLD:
			errno = 0;
			co->threshold = strtod(optarg, &end) / 100;
			if (errno || end == optarg || (*end && strcmp(end, "%")) ||
			    !(co->threshold >= 0 && co->threshold < 1))
				return cli_usage_error(cli, "bad --threshold '%s' (a percentage, "
						       "e.g. 2 or 0.5)", optarg);
			break;
		case O_MIN_RUNS:
			errno = 0;
			co->min_runs = strtoul(optarg, &end, 10);
			if (errno || end == optarg || *end || co->min_runs < 1 ||
			    co->min_runs > 1000 || optarg[0] == '-')
				return cli_usage_error(cli, "bad --min-runs '%s'", optarg);
			break;
		case O_SINGLE:
			co->single_run = true;
			break;
		case O_SEED:
			errno = 0;
			co->seed = strtoull(optarg, &end, 0);
			if (errno || end == optarg || *end || optarg[0] == '-')
				return cli_usage_error(cli, "bad --seed '%s'", optarg);
			break;
		}
	}
	co->format = cli->format;
	if (*split == optind)
		return cli_usage_error(cli, "no A side: give result files or folders before --");
	if (*split >= argc)
		return cli_usage_error(cli, "no '--' between the A and the B side");
	if (*split + 1 >= argc)
		return cli_usage_error(cli, "no B side: give result files or folders after --");
	return 0;
}

int cmd_compare(int argc, char **argv)
{
	struct compare_opts co = { .threshold = 0.02, .min_runs = 3, .metric = "pin" };
	struct cli cli = {
		.cmd = "compare", .help = COMPARE_USAGE,
		.formats = cli_formats_of(compare_views),
	};
	struct side a = { .name = "A" }, b = { .name = "B" };
	struct report rp = { .a = &a, .b = &b, .co = &co };
	struct cmp_opts defaults;
	int split = 0, rc;

	cmp_opts_init(&defaults);
	co.seed = defaults.seed;
	rc = parse_opts(&cli, argc, argv, &co, &split);
	if (rc)
		return rc < 0 ? cli.status : rc;
	/* A file that is named and cannot be read is bad input, as in show */
	if (side_load(&a, argv + optind, split - optind, "compare") ||
	    side_load(&b, argv + split + 1, argc - split - 1, "compare")) {
		rc = CLI_USAGE_STATUS;
		goto out;
	}
	if (!a.nr_runs || !b.nr_runs) {
		fprintf(stderr, "gupbench compare: no result file on side %s\n", a.nr_runs ? "B" : "A");
		rc = CMP_CANNOT;
		goto out;
	}
	rp.exact = side_exact(&a) && side_exact(&b);
	rp.nr_diff = env_diff(&a, &b, rp.diff);
	make_warnings(&rp);
	if (collect_rows(&a, &b, &rp.rows) || label_rows(&rp.rows, rp.common, sizeof(rp.common)) ||
	    compare_rows(&a, &b, &rp.rows, &co, rp.exact)) {
		fprintf(stderr, "gupbench compare: out of memory\n");
		rc = 1;
		goto out;
	}
	for (size_t i = 0; i < rp.rows.n; i++)
		if (rp.rows.v[i].compared)
			rp.counts[rp.rows.v[i].res.verdict]++;
	cli_print(compare_views, co.format, stdout, &rp);
	if (fflush(stdout)) {
		rc = 1;
	} else if (!rp.counts[CMP_REGRESSED] && !rp.counts[CMP_IMPROVED] &&
		   !rp.counts[CMP_NO_CHANGE] && !rp.counts[CMP_INCONCLUSIVE]) {
		fprintf(stderr, "gupbench compare: no case measured on both sides\n");
		rc = CMP_CANNOT;
	} else {
		rc = rp.counts[CMP_REGRESSED] ? 1 : 0;
	}
out:
	free(rp.rows.v);
	side_free(&a);
	side_free(&b);
	return rc;
}
