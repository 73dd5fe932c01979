// SPDX-License-Identifier: GPL-2.0
/*
 * gupbench compare A... -- B...: the same cases of two sets of runs, B against
 * A, with an interval that accounts for the variation between runs, a verdict
 * per case, and first what else differs between the two sides.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "gupbench.h"
#include "commands.h"
#include "compare.h"
#include "case_key.h"

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

/* ---- loading ---- */

static int side_add(struct side *s, const char *path, bool named, const char *cmd)
{
	struct result r;
	char err[512];

	if (result_load(path, &r, err, sizeof(err))) {
		/* a folder may hold other JSON (vm.json, summaries): only named files must be results */
		if (!named && strstr(err, "not a gupbench result")) {
			s->not_results++;
			return 0;
		}
		fprintf(stderr, "gupbench %s: %s: %s\n", cmd, path, err);
		return -1;
	}
	if (s->nr_runs == s->cap) {
		size_t cap = s->cap ? 2 * s->cap : 16;
		struct result *v = realloc(s->runs, cap * sizeof(*v));

		if (!v) {
			result_free(&r);
			fprintf(stderr, "gupbench %s: out of memory\n", cmd);
			return -1;
		}
		s->runs = v;
		s->cap = cap;
	}
	s->runs[s->nr_runs++] = r;
	return 0;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every *.json below dir, in name order (so the runs of a folder keep their time order). */
static int side_add_dir(struct side *s, const char *dir, const char *cmd)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char **names = NULL;
	size_t n = 0, cap = 0;
	int rc = 0;

	if (!d) {
		fprintf(stderr, "gupbench %s: %s: %s\n", cmd, dir, strerror(errno));
		return -1;
	}
	while ((e = readdir(d))) {
		char *p;

		if (e->d_name[0] == '.')
			continue;
		if (n == cap) {
			char **v = realloc(names, (cap = cap ? 2 * cap : 32) * sizeof(*v));

			if (!v) {
				rc = -1;
				break;
			}
			names = v;
		}
		if (asprintf(&p, "%s/%s", dir, e->d_name) < 0) {
			rc = -1;
			break;
		}
		names[n++] = p;
	}
	closedir(d);
	qsort(names, n, sizeof(*names), cmp_names);
	for (size_t i = 0; i < n && !rc; i++) {
		struct stat st;
		size_t len = strlen(names[i]);

		if (stat(names[i], &st))
			continue;
		if (S_ISDIR(st.st_mode))
			rc = side_add_dir(s, names[i], cmd);
		else if (S_ISREG(st.st_mode) && len > 5 && !strcmp(names[i] + len - 5, ".json"))
			rc = side_add(s, names[i], false, cmd);
	}
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return rc;
}

static int side_load(struct side *s, char **paths, int n, const char *cmd)
{
	for (int i = 0; i < n; i++) {
		struct stat st;

		if (stat(paths[i], &st)) {
			fprintf(stderr, "gupbench %s: %s: %s\n", cmd, paths[i], strerror(errno));
			return -1;
		}
		if (S_ISDIR(st.st_mode) ? side_add_dir(s, paths[i], cmd) :
					  side_add(s, paths[i], true, cmd))
			return -1;
	}
	return 0;
}

static void side_free(struct side *s)
{
	for (size_t i = 0; i < s->nr_runs; i++)
		result_free(&s->runs[i]);
	free(s->runs);
}

/* ---- matching and comparing ---- */

static const struct series *metric_series(const struct result_case *c, const char *metric)
{
	return !strcmp(metric, "unpin") ? &c->unpin : &c->pin;
}

static const double *metric_samples(const struct result_case *c, const char *metric, size_t *n)
{
	const struct series *s = metric_series(c, metric);

	*n = s->present ? s->n : 0;
	if (!strcmp(metric, "call"))
		return s->ns_per_call;
	return s->ns_per_page;
}

static bool case_usable(const struct result_case *c, const char *metric)
{
	size_t n;
	const double *v;

	if (c->status != CASE_OK || !c->has_run)
		return false;
	v = metric_samples(c, metric, &n);
	return v && n;
}

/* The run's case with this key, or NULL. */
static const struct result_case *find_case(const struct result *r, const char *key)
{
	char k[256];

	for (size_t i = 0; i < r->nr_cases; i++) {
		case_key(&r->cases[i], k, sizeof(k));
		if (!strcmp(k, key))
			return &r->cases[i];
	}
	return NULL;
}


static struct row *rows_find(struct rows *rs, const char *key)
{
	for (size_t i = 0; i < rs->n; i++)
		if (!strcmp(rs->v[i].key, key))
			return &rs->v[i];
	return NULL;
}

/* Every key of every run of both sides, in the order first seen (A's first run first). */
static int collect_rows(const struct side *a, const struct side *b, struct rows *rs)
{
	const struct side *sides[2] = { a, b };

	for (int s = 0; s < 2; s++)
		for (size_t i = 0; i < sides[s]->nr_runs; i++)
			for (size_t k = 0; k < sides[s]->runs[i].nr_cases; k++) {
				const struct result_case *c = &sides[s]->runs[i].cases[k];
				char key[256];
				struct row *r;

				case_key(c, key, sizeof(key));
				if (rows_find(rs, key))
					continue;
				if (rs->n == rs->cap) {
					size_t cap = rs->cap ? 2 * rs->cap : 32;
					struct row *v = realloc(rs->v, cap * sizeof(*v));

					if (!v)
						return -1;
					rs->v = v;
					rs->cap = cap;
				}
				r = &rs->v[rs->n++];
				memset(r, 0, sizeof(*r));
				r->first = c;
				snprintf(r->key, sizeof(r->key), "%s", key);
			}
	return 0;
}

/* Rows say only what tells them apart; what all share is said once (report.common). */
static int label_rows(struct rows *rs, unsigned int omit, char *common, size_t n)
{
	const struct result_case **cs = calloc(rs->n ? rs->n : 1, sizeof(*cs));
	unsigned int parts;

	if (!cs)
		return -1;
	for (size_t i = 0; i < rs->n; i++)
		cs[i] = rs->v[i].first;
	parts = case_parts_differing(cs, rs->n);
	free(cs);
	if (!(parts & ~omit))
		parts |= (CASE_DRIVER | CASE_BACKING | CASE_STATE) & ~omit;
	parts &= ~omit;
	for (size_t i = 0; i < rs->n; i++)
		case_label(rs->v[i].first, parts, rs->v[i].label, sizeof(rs->v[i].label));
	if (rs->n)
		case_label(rs->v[0].first, CASE_ALL & ~parts & ~omit, common, n);
	return 0;
}

/* The runs of one side holding the row's case, usable for metric. */
static int side_runs(const struct side *s, const struct row *r, const char *metric,
		     struct cmp_run **out, size_t *n)
{
	struct cmp_run *v = calloc(s->nr_runs ? s->nr_runs : 1, sizeof(*v));

	if (!v)
		return -1;
	*n = 0;
	for (size_t i = 0; i < s->nr_runs; i++) {
		const struct result_case *c = find_case(&s->runs[i], r->key);

		if (c && case_usable(c, metric)) {
			v[*n].v = metric_samples(c, metric, &v[*n].n);
			(*n)++;
		}
	}
	*out = v;
	return 0;
}

/* Why a side has no usable run of the row's case: "not in B", "B: error EFAULT". */
static void side_absence(const struct side *s, const struct row *r, const char *metric,
			 char *buf, size_t n)
{
	const struct result_case *seen = NULL;

	buf[0] = '\0';
	for (size_t i = 0; i < s->nr_runs; i++) {
		const struct result_case *c = find_case(&s->runs[i], r->key);

		if (c && case_usable(c, metric))
			return;
		if (c && !seen)
			seen = c;
	}
	if (!seen)
		snprintf(buf, n, "not in %s", s->name);
	else if (seen->status == CASE_ERROR)
		snprintf(buf, n, "%s: error %s", s->name, seen->err_name ? seen->err_name : "");
	else if (seen->status == CASE_SKIPPED)
		snprintf(buf, n, "%s: skipped", s->name);
	else
		snprintf(buf, n, "%s: no %s samples", s->name, metric);
}

static int compare_rows(const struct side *a, const struct side *b, struct rows *rs,
			const struct compare_opts *co, bool exact)
{
	struct cmp_opts o;

	cmp_opts_init(&o);
	o.threshold = co->threshold;
	o.min_runs = co->min_runs;
	o.single_run = co->single_run;
	o.exact = exact;
	o.seed = co->seed;

	for (size_t i = 0; i < rs->n; i++) {
		struct row *r = &rs->v[i];
		struct cmp_run *ra, *rb;
		struct cmp_side sa, sb;

		if (side_runs(a, r, co->metric, &ra, &r->nr_a) ||
		    side_runs(b, r, co->metric, &rb, &r->nr_b))
			return -1;
		if (r->nr_a && r->nr_b) {
			sa = (struct cmp_side){ ra, r->nr_a };
			sb = (struct cmp_side){ rb, r->nr_b };
			r->compared = cmp_case(&sa, &sb, &o, &r->res) == 0;
			if (!r->compared)
				r->why_not = "the samples cannot be compared";
		} else {
			side_absence(a, r, co->metric, r->absent_a, sizeof(r->absent_a));
			side_absence(b, r, co->metric, r->absent_b, sizeof(r->absent_b));
			snprintf(r->why_buf, sizeof(r->why_buf), "%s%s%s", r->absent_a,
				 *r->absent_a && *r->absent_b ? "; " : "", r->absent_b);
			r->why_not = r->why_buf;
		}
		free(ra);
		free(rb);
	}
	return 0;
}

/* ---- the command ---- */


static int parse_opts(struct cli *cli, int argc, char **argv, struct compare_opts *co,
		      int *split)
{
	enum { O_METRIC = 256, O_THRESHOLD, O_MIN_RUNS, O_SINGLE, O_SEED, O_PAIR, O_DETECT };
	static const struct option longopts[] = {
		{ "metric", required_argument, NULL, O_METRIC },
		{ "threshold", required_argument, NULL, O_THRESHOLD },
		{ "min-runs", required_argument, NULL, O_MIN_RUNS },
		{ "single-run", no_argument, NULL, O_SINGLE },
		{ "seed", required_argument, NULL, O_SEED },
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
		switch (opt) {
		case CLI_STOP:
			return cli->status;
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
		case O_SEED:
			errno = 0;
			co->seed = strtoull(optarg, &end, 0);
			if (errno || end == optarg || *end || optarg[0] == '-')
				return cli_usage_error(cli, "bad --seed '%s'", optarg);
			break;
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
	if (rc || cli.status)
		return rc ? rc : cli.status;
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
