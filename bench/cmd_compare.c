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

#define COMPARE_USAGE \
	"usage: gupbench compare [options] A... -- B...\n" \
	"       gupbench compare [options] --pair AXIS=A:B RUNS...\n" \
	"       gupbench compare [options] --detectable K RUNS...\n" \
	"  A, B              result files, or folders (every result file below them);\n" \
	"                    each file is one run, the unit of replication\n" \
	"  --metric M        pin (default: ns per 4 KiB page of the pin), unpin, call\n" \
	"                    (ns per kernel call of the pin)\n" \
	"  --threshold PCT   a change smaller than this is no change (default 2)\n" \
	"  --min-runs N      fewer runs on a side give no verdict (default 3)\n" \
	"  --single-run      give verdicts from one run per side (within-run noise only)\n" \
	"  --seed N          of the bootstrap (default fixed: output is reproducible)\n" \
	"  --pair AXIS=A:B   two cases of the same runs that differ in AXIS (driver,\n" \
	"                    backing, state, op, flags, pages-per-call), e.g. flags=W:W|LT;\n" \
	"                    interleaved runs give paired samples\n" \
	"  --detectable K    from runs of one configuration: the smallest slowdown that\n" \
	"                    K runs per side find 80%% of the time (subsampling them)\n" \
	"  -f, --format F    table (72 columns, for email; default), markdown, json, csv\n" \
	"exit status: 0 no regression, 1 a regression beyond the threshold, 2 usage,\n" \
	"125 nothing to compare (e.g. no case in common)\n"

/* ---- the command ---- */

static int parse_opts(struct cli *cli, int argc, char **argv, struct compare_opts *co,
		      int *split)
{
	enum { O_PAIR = CMP_O_NEXT, O_DETECT };
	static const struct option longopts[] = {
		COMPARE_OPTIONS,
		{ "pair", required_argument, NULL, O_PAIR },
		{ "detectable", required_argument, NULL, O_DETECT },
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
		if (opt == CLI_STOP)
			return -1;	/* --help (status 0) or a usage error: cli->status */
		switch (opt) {
		case O_DETECT:
			errno = 0;
			co->detectable = strtoul(optarg, &end, 10);
			if (errno || end == optarg || *end || optarg[0] == '-' ||
			    co->detectable < 1 || co->detectable > 1000)
				return cli_usage_error(cli, "bad --detectable '%s' (runs per side)",
						       optarg);
			break;
		case O_PAIR:
			if (pair_parse(optarg, &co->pair_spec))
				return cli_usage_error(cli, "bad --pair '%s' (AXIS=A:B, e.g. "
						       "flags=W:W|LT or backing=anon:shmem)", optarg);
			co->pair = true;
			break;
		default:
			if (compare_opt(cli, opt, co) > 0)
				return CLI_USAGE_STATUS;
		}
	}
	co->format = cli->format;
	if (co->detectable && co->pair)
		return cli_usage_error(cli, "--detectable and --pair exclude each other");
	if (co->pair || co->detectable) {
		if (*split < argc)
			return cli_usage_error(cli, "%s takes one set of runs: no '--'",
					       co->pair ? "--pair" : "--detectable");
		if (optind >= argc)
			return cli_usage_error(cli, "%s needs result files or folders",
					       co->pair ? "--pair" : "--detectable");
		return 0;
	}
	if (*split == optind)
		return cli_usage_error(cli, "no A side: give result files or folders before --");
	if (*split >= argc)
		return cli_usage_error(cli, "no '--' between the A and the B side");
	if (*split + 1 >= argc)
		return cli_usage_error(cli, "no B side: give result files or folders after --");
	return 0;
}

static int finish(struct report *rp)
{
	for (size_t i = 0; i < rp->rows.n; i++)
		if (rp->rows.v[i].compared)
			rp->counts[rp->rows.v[i].res.verdict]++;
	cli_print(compare_views, rp->co->format, stdout, rp);
	if (fflush(stdout))
		return 1;
	if (!rp->counts[CMP_REGRESSED] && !rp->counts[CMP_IMPROVED] &&
	    !rp->counts[CMP_NO_CHANGE] && !rp->counts[CMP_INCONCLUSIVE]) {
		fprintf(stderr, "gupbench compare: no case measured on both sides\n");
		return CMP_CANNOT;
	}
	return rp->counts[CMP_REGRESSED] ? 1 : 0;
}

/* --pair: both sides from the same runs. */
static int compare_pair(const struct compare_opts *co, int n, char **paths)
{
	struct side s = { .name = "runs" };
	struct report rp = { .a = &s, .b = &s, .co = co };
	const struct pair_spec *p = &co->pair_spec;
	bool unpaired;
	int rc;

	if (side_load(&s, paths, n, "compare")) {
		side_free(&s);
		return CLI_USAGE_STATUS;
	}
	if (!s.nr_runs) {
		fprintf(stderr, "gupbench compare: no result file\n");
		side_free(&s);
		return CMP_CANNOT;
	}
	rp.exact = side_exact(&s);
	rp.nr_diff = env_diff(&s, &s, rp.diff);
	make_warnings(&rp);
	snprintf(rp.pair, sizeof(rp.pair), "%s %s (B) against %s (A), in the same runs",
		 pair_axis_name(p), p->b, p->a);
	if (pair_rows(&s, p, co, rp.exact, &rp.rows, &unpaired) ||
	    label_rows(&rp.rows, pair_axis_part(p), rp.common, sizeof(rp.common))) {
		fprintf(stderr, "gupbench compare: out of memory\n");
		rc = 1;
	} else {
		if (unpaired && rp.nr_warnings < WARNINGS_MAX) {
			snprintf(rp.warn_buf[rp.nr_warnings], sizeof(rp.warn_buf[0]),
				 "some runs are sequential: their cases are not pairs, and are "
				 "compared as two sides");
			rp.warnings[rp.nr_warnings] = rp.warn_buf[rp.nr_warnings];
			rp.nr_warnings++;
		}
		rc = finish(&rp);
	}
	free(rp.rows.v);
	side_free(&s);
	return rc;
}

int cmd_compare(int argc, char **argv)
{
	struct compare_opts co;
	struct cli cli = {
		.cmd = "compare", .help = COMPARE_USAGE,
		.formats = cli_formats_of(compare_views),
	};
	struct side a = { .name = "A" }, b = { .name = "B" };
	struct report rp = { .a = &a, .b = &b, .co = &co };
	int split = 0, rc;

	compare_opts_init(&co);
	rc = parse_opts(&cli, argc, argv, &co, &split);
	if (rc)
		return rc < 0 ? cli.status : rc;
	if (co.pair) {
		rc = compare_pair(&co, argc - optind, argv + optind);
		goto out;
	}
	if (co.detectable) {
		if (side_load(&a, argv + optind, argc - optind, "compare"))
			rc = CLI_USAGE_STATUS;
		else if (!a.nr_runs)
			rc = CMP_CANNOT;
		else
			rc = compare_detectable(&a, &co, co.detectable);
		goto out;
	}
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
	if (collect_rows(&a, &b, &rp.rows) || label_rows(&rp.rows, 0, rp.common, sizeof(rp.common)) ||
	    compare_rows(&a, &b, &rp.rows, &co, rp.exact)) {
		fprintf(stderr, "gupbench compare: out of memory\n");
		rc = 1;
		goto out;
	}
	rc = finish(&rp);
out:
	free(rp.rows.v);
	side_free(&a);
	side_free(&b);
	return rc;
}
