// SPDX-License-Identifier: GPL-2.0
/*
 * gupbench history PATH...: the runs found under PATH grouped by kernel, in time
 * order, each case's median per kernel against a baseline, and for each case the
 * first kernel that regressed. A bisection of releases, from result files.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "gupbench.h"
#include "commands.h"
#include "history.h"
#include "clock_note.h"

#define HISTORY_USAGE \
	"usage: gupbench history [options] PATH...\n" \
	"  PATH              result files, or folders (every result file below them);\n" \
	"                    runs are grouped by kernel (release and build), in time order\n" \
	"  --baseline PATH   the runs to compare every kernel with (a file or folder; may\n" \
	"                    be repeated); default: the first kernel in time order\n" \
	"  --per-run         each run its own point, not the runs of a kernel together\n" \
	"  --metric M        pin (default: ns per 4 KiB page of the pin), unpin, call\n" \
	"  --threshold PCT   a change smaller than this is no change (default 2)\n" \
	"  --min-runs N      fewer runs on a side give no verdict (default 3)\n" \
	"  --single-run      give verdicts from one run per side (within-run noise only)\n" \
	"  --seed N          of the bootstrap (default fixed: output is reproducible)\n" \
	"  -f, --format F    table (72 columns, for email; default), markdown, json, csv\n" \
	"exit status: 0 no case regressed, 1 a case regressed against the baseline,\n" \
	"2 usage, 125 nothing to compare (one kernel only, no case in common)\n"

#define MAX_BASELINE 64

static int parse_opts(struct cli *cli, int argc, char **argv, struct compare_opts *co,
		      char **baseline, int *nr_baseline, bool *per_run)
{
	enum { O_BASELINE = CMP_O_NEXT, O_PER_RUN };
	static const struct option longopts[] = {
		{ "baseline", required_argument, NULL, O_BASELINE },
		{ "per-run", no_argument, NULL, O_PER_RUN },
		COMPARE_OPTIONS,
		CLI_OPTION_FORMAT,
		CLI_OPTION_HELP,
		{ 0 }
	};
	int opt;

	cli->shortopts = "f:h";
	cli->longopts = longopts;
	while ((opt = cli_next(cli, argc, argv)) != CLI_END) {
		if (opt == CLI_STOP)
			return -1;	/* --help (status 0) or a usage error: cli->status */
		if (opt == O_BASELINE) {
			if (*nr_baseline == MAX_BASELINE)
				return cli_usage_error(cli, "more than %d --baseline", MAX_BASELINE);
			baseline[(*nr_baseline)++] = optarg;
		} else if (opt == O_PER_RUN) {
			*per_run = true;
		} else if (compare_opt(cli, opt, co) > 0) {
			return CLI_USAGE_STATUS;
		}
	}
	co->format = cli->format;
	if (optind >= argc)
		return cli_usage_error(cli, "no PATH: give result files or folders");
	return 0;
}

static void add_warning(struct history *h, const char *fmt, ...)
{
	va_list ap;

	if (h->nr_warnings == WARNINGS_MAX)
		return;
	va_start(ap, fmt);
	vsnprintf(h->warn_buf[h->nr_warnings], sizeof(h->warn_buf[0]), fmt, ap);
	va_end(ap);
	h->warnings[h->nr_warnings] = h->warn_buf[h->nr_warnings];
	h->nr_warnings++;
}

/* What differs from the baseline besides the kernel, or within a kernel's runs. */
static void make_history_warnings(struct history *h)
{
	struct env_diff *diff = calloc(ENV_DIFF_MAX, sizeof(*diff));
	bool some_exact = false;

	if (diff && !h->base_is_group) {
		size_t n = env_diff(h->base, h->base, diff);

		for (size_t i = 0; i < n; i++)
			add_warning(h, "the baseline's runs differ in %s", diff[i].field);
	}
	for (size_t g = 0; diff && g < h->groups.n; g++) {
		const struct side *s = &h->groups.v[g].side;
		size_t n = env_diff(h->base, s, diff);

		some_exact |= side_exact(s);
		for (size_t i = 0; i < n; i++) {
			if (diff[i].mixed_b)
				add_warning(h, "the runs of %s differ in %s", s->name, diff[i].field);
			else if (!diff[i].kernel && strcmp(diff[i].field, "hostname") &&
				 !diff[i].mixed_a)
				add_warning(h, "%s differs from the baseline in %s: %s (baseline %s)",
					    s->name, diff[i].field, diff[i].b, diff[i].a);
		}
	}
	free(diff);
	if (some_exact && !h->exact)
		add_warning(h, "some runs are -icount and some not: instruction counts compare "
			    "only with instruction counts");
}

/* Per-call figures near the clock's tick, over every run shown: one warning. */
static void quantised_warning(struct history *h)
{
	struct quantised q = { 0 };
	char note[200];

	if (strcmp(h->co->metric, "call"))
		return;
	for (size_t g = 0; g < h->groups.n; g++)
		for (size_t i = 0; i < h->groups.v[g].side.nr_runs; i++)
			quantised_add(&q, &h->groups.v[g].side.runs[i]);
	for (size_t i = 0; !h->base_is_group && i < h->base->nr_runs; i++)
		quantised_add(&q, &h->base->runs[i]);
	if (quantised_note(&q, note, sizeof(note)))
		add_warning(h, "%s", note);
}

static int compare_groups(struct history *h)
{
	size_t n = h->rows.n, from = h->base_is_group ? 1 : 0;
	struct rows tmp = { .n = n, .cap = n };

	h->cells = calloc(h->groups.n * n + 1, sizeof(*h->cells));
	h->first = calloc(n + 1, sizeof(*h->first));
	if (!h->cells || !h->first)
		return -1;
	for (size_t g = 0; g < h->groups.n; g++) {
		const struct side *s = &h->groups.v[g].side;

		tmp.v = &h->cells[g * n];
		memcpy(tmp.v, h->rows.v, n * sizeof(*tmp.v));
		if (compare_rows(h->base, s, &tmp, h->co, side_exact(h->base) && side_exact(s)))
			return -1;
	}
	for (size_t i = 0; i < n; i++) {
		h->first[i] = HISTORY_NONE;
		for (size_t g = from; g < h->groups.n; g++) {
			const struct row *c = history_cell(h, g, i);

			if (c->compared && c->res.verdict == CMP_REGRESSED) {
				h->first[i] = g;
				h->regressed++;
				break;
			}
		}
	}
	return 0;
}

/* Any case of a group other than the baseline compared: something to say. */
static bool compared_any(const struct history *h)
{
	for (size_t g = h->base_is_group ? 1 : 0; g < h->groups.n; g++)
		for (size_t i = 0; i < h->rows.n; i++)
			if (history_cell(h, g, i)->compared)
				return true;
	return false;
}

int cmd_history(int argc, char **argv)
{
	struct compare_opts co;
	struct cli cli = {
		.cmd = "history", .help = HISTORY_USAGE,
		.formats = cli_formats_of(history_views),
	};
	struct side all = { .name = "runs" }, base = { .name = "baseline" };
	struct history h = { .co = &co };
	char *baseline[MAX_BASELINE];
	int nr_baseline = 0, rc;
	bool per_run = false;

	compare_opts_init(&co);
	rc = parse_opts(&cli, argc, argv, &co, baseline, &nr_baseline, &per_run);
	if (rc)
		return rc < 0 ? cli.status : rc;
	if (side_load(&all, argv + optind, argc - optind, "history") ||
	    side_load(&base, baseline, nr_baseline, "history")) {
		rc = CLI_USAGE_STATUS;
		goto out;
	}
	if (!all.nr_runs || (nr_baseline && !base.nr_runs)) {
		fprintf(stderr, "gupbench history: no result file %s\n",
			all.nr_runs ? "in --baseline" : "in PATH");
		rc = CMP_CANNOT;
		goto out;
	}
	if (run_groups_make(&all, per_run, &h.groups))
		goto oom;
	h.base_is_group = !nr_baseline;
	h.base = nr_baseline ? &base : &h.groups.v[0].side;
	if (h.base_is_group && h.groups.n < 2) {
		fprintf(stderr, "gupbench history: every run is of one %s (%s): nothing to "
			"compare it with (give --baseline)\n", per_run ? "run" : "kernel",
			h.groups.v[0].release ? h.groups.v[0].release : "unknown");
		rc = CMP_CANNOT;
		goto out;
	}
	h.exact = side_exact(&all) && side_exact(h.base);
	make_history_warnings(&h);
	quantised_warning(&h);
	if (collect_rows(h.base, &all, &h.rows) || label_rows(&h.rows, 0, h.common, sizeof(h.common)) ||
	    compare_groups(&h))
		goto oom;
	if (!compared_any(&h)) {
		fprintf(stderr, "gupbench history: no case measured both in the baseline and "
			"in another %s\n", per_run ? "run" : "kernel");
		rc = CMP_CANNOT;
		goto out;
	}
	cli_print(history_views, co.format, stdout, &h);
	rc = fflush(stdout) ? 1 : h.regressed ? 1 : 0;
	goto out;
oom:
	fprintf(stderr, "gupbench history: out of memory\n");
	rc = 1;
out:
	free(h.rows.v);
	free(h.cells);
	free(h.first);
	run_groups_free(&h.groups);
	side_free(&all);
	side_free(&base);
	return rc;
}
