// SPDX-License-Identifier: GPL-2.0
/*
 * gupbench plot [options] -o DIR/NAME A... [-- B...]: figures from result
 * files, through gnuplot (plot.h). The runs are loaded and matched as
 * compare does (compare_sides.c); the figures are in plot_figures.c.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "gupbench.h"
#include "commands.h"
#include "case_key.h"
#include "cross_node_view.h"
#include "plot_cmd.h"

#define PLOT_USAGE \
	"usage: gupbench plot [options] -o DIR/NAME A... [-- B...]\n" \
	"  A, B              result files, or folders (every result file below them);\n" \
	"                    each file is one run; B is compared against A\n" \
	"  -o DIR/NAME       writes DIR/NAME.png (or .svg) and, beside it, NAME.gp (the\n" \
	"                    gnuplot script), NAME.dat (the numbers), NAME.log\n" \
	"  --kind K          bars: median per case, one bar per side (default)\n" \
	"                    dist: box plots of every sample; ecdf: their CDFs\n" \
	"                    pages: ns per page against pages per call\n" \
	"                    trend: a history of runs, ordered by start time\n" \
	"                    scaling: pages/s of all threads against threads, a line per\n" \
	"                    case and side, dashed: ideal (1-thread value x threads)\n" \
	"                    heatmap: CPU node x memory node of run --cross-node, a\n" \
	"                    panel per case (A only)\n" \
	"  --metric M        pin (default: ns per 4 KiB page of the pin), unpin, call\n" \
	"                    (ns per kernel call of the pin); scaling and heatmap:\n" \
	"                    throughput (pages/s, all threads; scaling's default);\n" \
	"                    scaling: eff (throughput over threads x 1-thread value)\n" \
	"  --where AXIS=V,.. only cases whose AXIS (driver, backing, state, op, flags,\n" \
	"                    pages-per-call, threads, share, place, mem, contend) is\n" \
	"                    one of the values; repeatable\n" \
	"  --names A,B       key entries of the sides (default: their kernels)\n" \
	"  --format F        png (default) or svg; -o NAME.svg says svg too\n" \
	"  --size WxH        in pixels (default 800x500, wider for many cases)\n" \
	"  --title TEXT      (default: the metric and what every case shares)\n" \
	"  --baseline P      trend: ring each case's first run that regressed against\n" \
	"                    the runs in P (each run alone against them)\n" \
	"  --threshold PCT, --min-runs N, --single-run, --seed N: as in compare, for\n" \
	"                    the change and verdict written above the bars\n" \
	"prints the image's path; exit status: 0 drawn, 1 gnuplot failed, 2 usage,\n" \
	"125 nothing to plot (e.g. no case in common)\n"

static const char *const kind_names[NR_KINDS] = {
	[KIND_BARS] = "bars", [KIND_DIST] = "dist", [KIND_ECDF] = "ecdf",
	[KIND_PAGES] = "pages", [KIND_TREND] = "trend", [KIND_SCALING] = "scaling",
	[KIND_HEATMAP] = "heatmap",
};

/* As compare --pair names them. */
static const char *const axis_names[] = {
	"driver", "backing", "state", "op", "flags", "pages-per-call", "threads", "share", "place",
	"mem", "contend",
};
#define NR_AXES (sizeof(axis_names) / sizeof(axis_names[0]))
#define NAME_CHARS "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._+-"
#define LEFT_OUT_SHOWN 4	/* cases left out named on stderr */

/* ---- options ---- */

static int parse_where(const char *arg, struct where *w)
{
	const char *eq = strchr(arg, '=');

	if (!eq || !eq[1] || strlen(eq + 1) >= sizeof(w->values))
		return -1;
	for (w->axis = 0; w->axis < NR_AXES; w->axis++)
		if (strlen(axis_names[w->axis]) == (size_t)(eq - arg) &&
		    !strncmp(arg, axis_names[w->axis], eq - arg))
			break;
	if (w->axis == NR_AXES)
		return -1;
	snprintf(w->values, sizeof(w->values), "%s", eq + 1);
	return 0;
}

/* -o DIR/NAME[.png|.svg]: the directory (made if missing) and the base name. */
static int parse_output(struct cli *cli, struct plot_job *j, const char *arg, int *fmt)
{
	const char *slash = strrchr(arg, '/'), *base = slash ? slash + 1 : arg;
	size_t len = strlen(base);
	struct stat st;

	if (len > 4 && (!strcmp(base + len - 4, ".png") || !strcmp(base + len - 4, ".svg"))) {
		*fmt = !strcmp(base + len - 4, ".svg") ? PLOT_SVG : PLOT_PNG;
		len -= 4;
	}
	if (!len || len >= sizeof(j->name) || base[0] == '.' ||
	    strspn(base, NAME_CHARS) < len)
		return cli_usage_error(cli, "bad -o '%s': DIR/NAME, NAME of letters, digits, "
				       "'.', '_', '+', '-'", arg);
	snprintf(j->name, sizeof(j->name), "%.*s", (int)len, base);
	if (!slash)
		snprintf(j->dir, sizeof(j->dir), ".");
	else if (slash == arg)
		snprintf(j->dir, sizeof(j->dir), "/");
	else
		snprintf(j->dir, sizeof(j->dir), "%.*s", (int)(slash - arg), arg);
	if (stat(j->dir, &st) && (errno != ENOENT || mkdir(j->dir, 0777)))
		return cli_error(cli, "%s: %s", j->dir, strerror(errno));
	if (!stat(j->dir, &st) && !S_ISDIR(st.st_mode))
		return cli_error(cli, "%s: not a directory", j->dir);
	return 0;
}

static int parse_size(const char *arg, int *w, int *h)
{
	char x, end;

	return sscanf(arg, "%d%c%d%c", w, &x, h, &end) == 3 && (x == 'x' || x == 'X') &&
	       *w >= 100 && *w <= 10000 && *h >= 100 && *h <= 10000 ? 0 : -1;
}

/* Which metrics each kind draws; eff is the throughput's, over its 1-thread value. */
static int check_metric(struct cli *cli, struct plot_job *j, bool given)
{
	bool team = !strcmp(j->metric, "throughput") || !strcmp(j->metric, "eff");

	if (j->kind == KIND_SCALING && !given)
		j->metric = "throughput";
	else if (j->kind == KIND_SCALING && !team)
		return cli_usage_error(cli, "--kind scaling draws --metric throughput or eff, "
				       "not %s", j->metric);
	else if (j->kind == KIND_HEATMAP && !strcmp(j->metric, "eff"))
		return cli_usage_error(cli, "--metric eff is for --kind scaling");
	else if (team && j->kind != KIND_SCALING && j->kind != KIND_HEATMAP)
		return cli_usage_error(cli, "--metric %s is for --kind scaling%s", j->metric,
				       strcmp(j->metric, "eff") ? " and heatmap" : "");
	if (!strcmp(j->metric, "eff")) {
		j->metric = "throughput";
		j->eff = true;
	}
	return 0;
}

struct parsed {
	int split;
	int format;		/* -1: not said */
	const char *output, *baseline, *names;
	struct where where[WHERE_MAX];
	size_t nr_where;
};

static int parse_opts(struct cli *cli, int argc, char **argv, struct plot_job *j,
		      struct parsed *p)
{
	enum { O_KIND = 256, O_METRIC, O_FORMAT, O_SIZE, O_TITLE, O_WHERE, O_NAMES, O_BASELINE,
	       O_THRESHOLD, O_MIN_RUNS, O_SINGLE, O_SEED };
	static const struct option longopts[] = {
		{ "kind", required_argument, NULL, O_KIND },
		{ "metric", required_argument, NULL, O_METRIC },
		{ "format", required_argument, NULL, O_FORMAT },
		{ "size", required_argument, NULL, O_SIZE },
		{ "title", required_argument, NULL, O_TITLE },
		{ "where", required_argument, NULL, O_WHERE },
		{ "names", required_argument, NULL, O_NAMES },
		{ "baseline", required_argument, NULL, O_BASELINE },
		{ "output", required_argument, NULL, 'o' },
		{ "threshold", required_argument, NULL, O_THRESHOLD },
		{ "min-runs", required_argument, NULL, O_MIN_RUNS },
		{ "single-run", no_argument, NULL, O_SINGLE },
		{ "seed", required_argument, NULL, O_SEED },
		CLI_OPTION_HELP,
		{ 0 }
	};
	bool kind_given = false, metric_given = false;
	int opt, k, ofmt = -1;
	char *end;

	/* options are read only before "--": what follows it is side B, whatever it looks like */
	for (p->split = 1; p->split < argc && strcmp(argv[p->split], "--"); p->split++)
		;
	cli->shortopts = "o:h";
	cli->longopts = longopts;
	while ((opt = cli_next(cli, p->split, argv)) != CLI_END) {
		switch (opt) {
		case CLI_STOP:
			/* --help (status 0) stops too: -1 tells the caller to return the status */
			return -1;
		case O_KIND:
			for (k = 0; k < NR_KINDS && strcmp(optarg, kind_names[k]); k++)
				;
			if (k == NR_KINDS)
				return cli_usage_error(cli, "unknown kind '%s' (bars, dist, ecdf, "
						       "pages, trend, scaling, heatmap)", optarg);
			j->kind = k;
			kind_given = true;
			break;
		case O_METRIC:
			if (strcmp(optarg, "pin") && strcmp(optarg, "unpin") &&
			    strcmp(optarg, "call") && strcmp(optarg, "throughput") &&
			    strcmp(optarg, "eff"))
				return cli_usage_error(cli, "unknown metric '%s' (pin, unpin, "
						       "call, throughput, eff)", optarg);
			j->metric = optarg;
			metric_given = true;
			break;
		case O_FORMAT:
			if (strcmp(optarg, "png") && strcmp(optarg, "svg"))
				return cli_usage_error(cli, "unknown format '%s' (png, svg)",
						       optarg);
			p->format = !strcmp(optarg, "svg") ? PLOT_SVG : PLOT_PNG;
			break;
		case O_SIZE:
			if (parse_size(optarg, &j->frame.width, &j->frame.height))
				return cli_usage_error(cli, "bad --size '%s' (WxH, 100 to 10000 "
						       "pixels, e.g. 1200x600)", optarg);
			j->size_given = true;
			break;
		case O_TITLE:
			snprintf(j->title, sizeof(j->title), "%s", optarg);
			j->frame.title = j->title;
			break;
		case O_WHERE:
			if (p->nr_where == WHERE_MAX || parse_where(optarg, &p->where[p->nr_where]))
				return cli_usage_error(cli, "bad --where '%s' (AXIS=V1,V2: "
						       "driver, backing, state, op, flags, "
						       "pages-per-call, threads, share, place, "
						       "mem, contend; at most %d)", optarg,
						       WHERE_MAX);
			p->nr_where++;
			break;
		case O_NAMES:
			if (!strchr(optarg, ','))
				return cli_usage_error(cli, "bad --names '%s' (NAME_A,NAME_B)",
						       optarg);
			p->names = optarg;
			break;
		case O_BASELINE:
			p->baseline = optarg;
			break;
		case 'o':
			p->output = optarg;
			break;
		case O_THRESHOLD:
			errno = 0;
			j->co.threshold = strtod(optarg, &end) / 100;
			if (errno || end == optarg || (*end && strcmp(end, "%")) ||
			    !(j->co.threshold >= 0 && j->co.threshold < 1))
				return cli_usage_error(cli, "bad --threshold '%s' (a percentage, "
						       "e.g. 2 or 0.5)", optarg);
			break;
		case O_MIN_RUNS:
			errno = 0;
			j->co.min_runs = strtoul(optarg, &end, 10);
			if (errno || end == optarg || *end || j->co.min_runs < 1 ||
			    j->co.min_runs > 1000 || optarg[0] == '-')
				return cli_usage_error(cli, "bad --min-runs '%s'", optarg);
			break;
		case O_SINGLE:
			j->co.single_run = true;
			break;
		case O_SEED:
			errno = 0;
			j->co.seed = strtoull(optarg, &end, 0);
			if (errno || end == optarg || *end || optarg[0] == '-')
				return cli_usage_error(cli, "bad --seed '%s'", optarg);
			break;
		}
	}
	if (!p->output)
		return cli_usage_error(cli, "no -o DIR/NAME for the image");
	if (p->split == optind)
		return cli_usage_error(cli, "no result files or folders to plot");
	if (p->split < argc && p->split + 1 >= argc)
		return cli_usage_error(cli, "no B side: give result files or folders after --");
	if (!kind_given)
		j->kind = KIND_BARS;
	if (j->kind == KIND_TREND && p->split < argc)
		return cli_usage_error(cli, "trend takes one history of runs: no '--' (the "
				       "reference is --baseline)");
	if (p->baseline && j->kind != KIND_TREND)
		return cli_usage_error(cli, "--baseline is for --kind trend");
	if (p->names && (p->split >= argc || j->kind == KIND_TREND))
		return cli_usage_error(cli, "--names names two sides: A... -- B...");
	if (check_metric(cli, j, metric_given))
		return CLI_USAGE_STATUS;
	if (j->kind == KIND_HEATMAP && p->split < argc)
		return cli_usage_error(cli, "heatmap draws one side: no '--' (compare the "
				       "cells with gupbench compare)");
	if (parse_output(cli, j, p->output, &ofmt))
		return CLI_USAGE_STATUS;
	if (p->format >= 0 && ofmt >= 0 && p->format != ofmt)
		return cli_usage_error(cli, "-o '%s' and --format %s disagree", p->output,
				       p->format == PLOT_SVG ? "svg" : "png");
	j->frame.format = p->format >= 0 ? p->format : ofmt >= 0 ? ofmt : PLOT_PNG;
	return 0;
}

/* ---- the cases ---- */

static bool where_matches(const struct where *w, const struct result_case *c)
{
	char buf[32];
	const char *v = NULL;
	size_t len;

	switch (w->axis) {
	case 0: v = c->driver; break;
	case 1: v = c->backing; break;
	case 2: v = c->state; break;
	case 3: v = c->op; break;
	case 4:
		case_flags_short(c->flags, buf, sizeof(buf));
		v = buf;
		break;
	case 5:
		snprintf(buf, sizeof(buf), "%llu", (unsigned long long)c->pages_per_call);
		v = buf;
		break;
	case 6:
		snprintf(buf, sizeof(buf), "%d", c->threads);
		v = buf;
		break;
	case 7: v = case_share(c); break;
	case 8: v = case_place(c); break;
	case 9: v = case_mem(c); break;
	case 10: v = case_contend(c); break;
	}
	if (!v)
		return false;
	len = strlen(v);
	for (const char *p = w->values; *p; ) {
		size_t n = strcspn(p, ",");

		if (n == len && !strncmp(p, v, n))
			return true;
		p += n + (p[n] == ',');
	}
	return false;
}

/*
 * Keep the rows that pass --where and have runs on every side (trend: in any
 * run); the others are counted in left_out. 0, PLOT_CANNOT, or -1 (memory).
 */
static int pick_rows(struct plot_job *j, const struct parsed *p)
{
	const struct result_case *left_first[LEFT_OUT_SHOWN];
	size_t kept = 0, matched = 0, taken = 0;
	int cpu, mem;

	for (size_t i = 0; i < j->rows.n; i++) {
		struct row *r = &j->rows.v[i];
		size_t nr[2] = { 0, 0 };
		bool keep = true;

		for (size_t w = 0; w < p->nr_where; w++)
			keep = keep && where_matches(&p->where[w], r->first);
		if (!keep)
			continue;
		matched++;
		/* a heat map's cells: cases with place node:C and mem node:M */
		if (j->kind == KIND_HEATMAP && !case_cross_node(r->first, &cpu, &mem))
			continue;
		taken++;
		for (size_t s = 0; s < j->nr_sides; s++) {
			struct cmp_run *runs;

			if (job_runs(j, &j->side[s], r, &runs, &nr[s]))
				return -1;
			free(runs);
			keep = keep && nr[s];
		}
		r->nr_a = nr[0];
		r->nr_b = nr[1];
		if (!keep) {
			if (j->left_out < LEFT_OUT_SHOWN)
				left_first[j->left_out] = r->first;
			j->left_out++;
			continue;
		}
		j->rows.v[kept++] = *r;
	}
	j->rows.n = kept;
	if (!matched) {
		fprintf(stderr, "gupbench plot: no case matches --where\n");
		return PLOT_CANNOT;
	}
	if (!taken) {
		fprintf(stderr, "gupbench plot: no cross-node case%s (place node:C and mem "
			"node:M, as run --cross-node makes)\n",
			p->nr_where ? " left by --where" : "");
		return PLOT_CANNOT;
	}
	if (!kept) {
		fprintf(stderr, "gupbench plot: no case with %s samples %s\n", j->metric,
			j->nr_sides > 1 ? "on both sides" : "in the runs");
		return PLOT_CANNOT;
	}
	for (size_t k = 0; k < j->left_out && k < LEFT_OUT_SHOWN; k++) {
		char label[128];

		case_label(left_first[k], CASE_ALL, label, sizeof(label));
		fprintf(stderr, "gupbench plot: left out, no %s samples%s: %s\n", j->metric,
			j->nr_sides > 1 ? " on both sides" : "", label);
	}
	if (j->left_out > LEFT_OUT_SHOWN)
		fprintf(stderr, "gupbench plot: and %zu more cases left out\n",
			j->left_out - LEFT_OUT_SHOWN);
	return 0;
}

/*
 * case_label() leaves out a team's defaults (share private, place, mem and
 * contend none): where the rows differ in one, a row at its default says so.
 */
static void label_team_defaults(const struct result_case *const *cs, size_t n, size_t i,
				char *buf, size_t len)
{
	static const char *const shown[] = { "private", "cpu:none", "mem:none", "contend:none" };
	const char *(*const get[])(const struct result_case *) = {
		case_share, case_place, case_mem, case_contend,
	};
	static const char *const def[] = { "private", "none", "none", "none" };

	for (size_t f = 0; f < 4; f++) {
		bool differ = false;
		size_t used;

		for (size_t k = 1; k < n && !differ; k++)
			differ = strcmp(get[f](cs[k]), get[f](cs[0]));
		if (!differ || strcmp(get[f](cs[i]), def[f]))
			continue;
		if (!strcmp(buf, "-"))
			buf[0] = '\0';
		used = strlen(buf);
		snprintf(buf + used, len - used, "%s%s", used ? " " : "", shown[f]);
	}
}

/* Rows say what tells them apart, the title what all share (as compare's rows). */
static int label_plot_rows(struct plot_job *j)
{
	const struct result_case **cs = calloc(j->rows.n, sizeof(*cs));
	struct result_case *bare = NULL;
	unsigned int parts, axis = j->kind == KIND_PAGES ? CASE_PPC :
				   j->kind == KIND_SCALING ? CASE_THREADS : 0;

	/* heatmap: place and mem are the cells; the panels are what else differs */
	if (j->kind == KIND_HEATMAP)
		bare = calloc(j->rows.n, sizeof(*bare));
	if (!cs || (j->kind == KIND_HEATMAP && !bare)) {
		free(cs);
		return -1;
	}
	for (size_t i = 0; i < j->rows.n; i++) {
		cs[i] = j->rows.v[i].first;
		if (bare) {
			bare[i] = *cs[i];
			bare[i].place = bare[i].mem = NULL;
			cs[i] = &bare[i];
		}
	}
	parts = case_parts_differing(cs, j->rows.n);
	/* pages, scaling: pages per call, threads are the x axis; the lines what else differs */
	parts &= ~axis;
	/* one heat map panel: the title says what its case is; else a row needs a name */
	if (!parts && j->kind != KIND_HEATMAP)
		parts = CASE_BACKING;
	for (size_t i = 0; i < j->rows.n; i++) {
		case_label(cs[i], parts, j->rows.v[i].label, sizeof(j->rows.v[i].label));
		if (parts & CASE_TEAM)
			label_team_defaults(cs, j->rows.n, i, j->rows.v[i].label,
					    sizeof(j->rows.v[i].label));
	}
	case_label(cs[0], CASE_ALL & ~parts & ~axis, j->common, sizeof(j->common));
	free(cs);
	free(bare);
	return 0;
}

/* ---- sides, caption ---- */

/* "wall-1" of "results/x/wall-1/", "ab" of "ab.json". */
const char *run_kernel(const struct result *r)
{
	return r->env.kernel_release ? r->env.kernel_release : "(unknown kernel)";
}

static void path_name(const char *path, char *buf, size_t n)
{
	size_t len = strlen(path);
	const char *b;

	while (len > 1 && path[len - 1] == '/')
		len--;
	for (b = path + len; b > path && b[-1] != '/'; b--)
		;
	len -= b - path;
	if (len > 5 && !strncmp(b + len - 5, ".json", 5))
		len -= 5;
	snprintf(buf, n, "%.*s", (int)len, b);
}

static void name_sides(struct plot_job *j, const struct parsed *p, char **argv)
{
	const char *ka = side_kernel(&j->side[0]), *kb;
	char na[64], nb[64];

	if (j->nr_sides == 1) {
		snprintf(j->name_buf[0], sizeof(j->name_buf[0]), "%s", ka);
		j->names[0] = j->name_buf[0];
		return;
	}
	if (p->names) {
		const char *comma = strchr(p->names, ',');

		snprintf(j->name_buf[0], sizeof(j->name_buf[0]), "%.*s",
			 (int)(comma - p->names), p->names);
		snprintf(j->name_buf[1], sizeof(j->name_buf[1]), "%s", comma + 1);
	} else if (kb = side_kernel(&j->side[1]), strcmp(ka, kb) && ka[0] != '(' && kb[0] != '(') {
		snprintf(j->name_buf[0], sizeof(j->name_buf[0]), "%s", ka);
		snprintf(j->name_buf[1], sizeof(j->name_buf[1]), "%s", kb);
	} else {
		/* the same kernel (a config, a setting): the sides' first paths */
		path_name(argv[optind], na, sizeof(na));
		path_name(argv[p->split + 1], nb, sizeof(nb));
		snprintf(j->name_buf[0], sizeof(j->name_buf[0]), "A %s", na);
		snprintf(j->name_buf[1], sizeof(j->name_buf[1]), "B %s", nb);
	}
	j->names[0] = j->name_buf[0];
	j->names[1] = j->name_buf[1];
}

void job_caption_line(struct plot_job *j, const char *fmt, ...)
{
	size_t used = strlen(j->caption);
	va_list ap;

	if (used && used + 1 < sizeof(j->caption))
		j->caption[used++] = '\n';
	va_start(ap, fmt);
	vsnprintf(j->caption + used, sizeof(j->caption) - used, fmt, ap);
	va_end(ap);
}

/* The distinct values of get over every run drawn, joined by sep (at most 3). */
static void distinct(const struct plot_job *j, const char *(*get)(const struct result *r,
		     char *b, size_t n), const char *sep, char *buf, size_t n)
{
	size_t sl = strlen(sep);
	const struct side *sides[3] = { &j->side[0], &j->side[1], &j->base };
	size_t count = 0;
	char one[256];

	buf[0] = '\0';
	for (size_t s = 0; s < 3; s++)
		for (size_t i = 0; i < sides[s]->nr_runs; i++) {
			const char *v = get(&sides[s]->runs[i], one, sizeof(one));
			size_t used = strlen(buf);
			char *hit = strstr(buf, v);

			/* a value already there, as a whole item */
			if (hit && (hit == buf || !strncmp(hit - sl, sep, sl)) &&
			    (!hit[strlen(v)] || !strncmp(hit + strlen(v), sep, sl)))
				continue;
			if (++count > 3) {
				if (!strstr(buf, "..."))
					snprintf(buf + used, n - used, "%s...", sep);
				continue;
			}
			snprintf(buf + used, n - used, "%s%s", used ? sep : "", v);
		}
}

static const char *get_cpu(const struct result *r, char *b, size_t n)
{
	if (r->env.cpus > 0)
		snprintf(b, n, "%s, %d CPU%s", r->env.cpu_model ? r->env.cpu_model : "cpu unknown",
			 r->env.cpus, r->env.cpus == 1 ? "" : "s");
	else
		snprintf(b, n, "%s", r->env.cpu_model ? r->env.cpu_model : "cpu unknown");
	return b;
}

static const char *get_accel(const struct result *r, char *b, size_t n)
{
	snprintf(b, n, "%s%s", r->env.accelerator ? r->env.accelerator : "accelerator unknown",
		 run_exact(r) ? " -icount" : "");
	return b;
}

static const char *get_version(const struct result *r, char *b, size_t n)
{
	(void)b;
	(void)n;
	return r->tool_version ? r->tool_version : "?";
}

static const char *get_git(const struct result *r, char *b, size_t n)
{
	(void)b;
	(void)n;
	return r->tool_git ? r->tool_git : "?";
}

static void side_line(const struct side *s, const char *name, bool named, char *buf, size_t n)
{
	const char *k = side_kernel(s);

	if (!named || !strcmp(name, k))
		snprintf(buf, n, "%s, %zu run%s", k, s->nr_runs, s->nr_runs == 1 ? "" : "s");
	else
		snprintf(buf, n, "%s: %s, %zu run%s", name, k, s->nr_runs,
			 s->nr_runs == 1 ? "" : "s");
}

static void make_caption(struct plot_job *j)
{
	char a[256], b[256], cpu[512], accel[256], version[128], git[256];

	if (j->kind == KIND_TREND) {
		char first[96], last[96];
		const struct result *r0 = &j->side[0].runs[0];
		const struct result *rn = &j->side[0].runs[j->side[0].nr_runs - 1];

		snprintf(first, sizeof(first), "%s", run_kernel(r0));
		snprintf(last, sizeof(last), "%s", run_kernel(rn));
		snprintf(a, sizeof(a), "%zu runs, %s%s%s", j->side[0].nr_runs, first,
			 strcmp(first, last) ? " ... " : "", strcmp(first, last) ? last : "");
		job_caption_line(j, "%s", a);
	} else if (j->nr_sides == 1) {
		side_line(&j->side[0], j->names[0], false, a, sizeof(a));
		job_caption_line(j, "%s", a);
	} else {
		side_line(&j->side[0], j->names[0], true, a, sizeof(a));
		side_line(&j->side[1], j->names[1], true, b, sizeof(b));
		job_caption_line(j, "A %s  ·  B %s", a, b);
	}
	distinct(j, get_cpu, " / ", cpu, sizeof(cpu));
	distinct(j, get_accel, " / ", accel, sizeof(accel));
	distinct(j, get_version, " / ", version, sizeof(version));
	distinct(j, get_git, ", ", git, sizeof(git));
	if (strlen(cpu) + strlen(accel) + strlen(version) + strlen(git) > 110) {
		job_caption_line(j, "%s, %s", cpu, accel);
		job_caption_line(j, "gupbench %s (%s)", version, git);
	} else {
		job_caption_line(j, "%s, %s  ·  gupbench %s (%s)", cpu, accel, version, git);
	}
}

static void make_unit(struct plot_job *j)
{
	const char *what = !strcmp(j->metric, "call") ? "kernel call" : "4 KiB page";
	bool tput = !strcmp(j->metric, "throughput");

	if (j->eff)
		snprintf(j->unit, sizeof(j->unit), "scaling efficiency (1 = ideal)");
	else if (tput && j->exact)
		snprintf(j->unit, sizeof(j->unit), "pages per 10^9 instructions, all threads "
			 "(-icount)");
	else if (tput)
		snprintf(j->unit, sizeof(j->unit), "pages per second, all threads");
	else if (j->exact)
		snprintf(j->unit, sizeof(j->unit), "instructions per %s (-icount)", what);
	else
		snprintf(j->unit, sizeof(j->unit), "ns per %s", what);
	if (!j->frame.title) {
		snprintf(j->title, sizeof(j->title), "%s%s: %s",
			 j->eff ? "scaling efficiency" : tput ? "throughput" :
			 !strcmp(j->metric, "unpin") ? "unpin" : "pin",
			 !strcmp(j->metric, "call") ? ", per call" : "", j->common);
		j->frame.title = j->title;
	}
}

void job_widen(struct plot_job *j, size_t groups, size_t per_group)
{
	size_t longest = 0;
	int w;

	/* room for the widest line of a tick label (about 7 pixels a character) */
	for (size_t i = 0; i < j->rows.n; i++) {
		const char *l = j->rows.v[i].label;
		size_t sp = strcspn(l, " ");

		longest = fmax(longest, groups > 6 && l[sp] ? fmax(sp, strlen(l + sp + 1)) :
			       strlen(l));
	}
	per_group = fmax(per_group, 7 * longest + 14);
	w = 100 + (int)(per_group * groups);

	if (!j->size_given && w > PLOT_WIDTH)
		j->frame.width = w < 2400 ? w : 2400;
}

/* The team's pages/s per sample, when the case ran and has them. */
static const double *team_samples(const struct result_case *c, size_t *n)
{
	*n = 0;
	if (c->status != CASE_OK || !c->has_run || !c->team.present || !c->team.pages_per_s)
		return NULL;
	*n = c->team.n;
	return *n ? c->team.pages_per_s : NULL;
}

int job_runs(const struct plot_job *j, const struct side *s, const struct row *r,
	     struct cmp_run **out, size_t *n)
{
	struct cmp_run *v;

	if (strcmp(j->metric, "throughput"))
		return side_runs(s, r, j->metric, out, n);
	v = calloc(s->nr_runs ? s->nr_runs : 1, sizeof(*v));
	if (!v)
		return -1;
	*n = 0;
	for (size_t i = 0; i < s->nr_runs; i++) {
		const struct result_case *c = find_case(&s->runs[i], r->key);

		if (c && (v[*n].v = team_samples(c, &v[*n].n)))
			(*n)++;
	}
	*out = v;
	return 0;
}

int job_side_value(const struct plot_job *j, const struct side *s, const struct row *r,
		   struct plot_value *v)
{
	struct cmp_opts o;
	struct cmp_run *runs;
	size_t n;
	int rc = 0;

	v->y = v->lo = v->hi = NAN;
	if (job_runs(j, s, r, &runs, &n))
		return -1;
	cmp_opts_init(&o);
	o.seed = j->co.seed;
	if (n) {
		struct cmp_side cs = { runs, n };

		/* a sample that is not > 0 leaves the value out (the plot says so) */
		if (cmp_median_interval(&cs, &o, &v->y, &v->lo, &v->hi) && errno != EINVAL)
			rc = -1;
	}
	free(runs);
	return rc;
}

/* ---- the command ---- */

static int load(struct plot_job *j, const struct parsed *p, int argc, char **argv)
{
	j->side[0].name = "A";
	j->side[1].name = "B";
	j->base.name = "baseline";
	j->nr_sides = p->split < argc ? 2 : 1;
	/* A file that is named and cannot be read is bad input, as in show */
	if (side_load(&j->side[0], argv + optind, p->split - optind, "plot") ||
	    (j->nr_sides == 2 &&
	     side_load(&j->side[1], argv + p->split + 1, argc - p->split - 1, "plot")))
		return CLI_USAGE_STATUS;
	if (p->baseline) {
		char *paths[] = { (char *)p->baseline };

		if (side_load(&j->base, paths, 1, "plot"))
			return CLI_USAGE_STATUS;
		j->has_base = true;
		if (!j->base.nr_runs) {
			fprintf(stderr, "gupbench plot: no result file in --baseline %s\n",
				p->baseline);
			return PLOT_CANNOT;
		}
	}
	for (size_t s = 0; s < j->nr_sides; s++)
		if (!j->side[s].nr_runs) {
			fprintf(stderr, "gupbench plot: no result file on side %s\n",
				j->side[s].name);
			return PLOT_CANNOT;
		}
	j->exact = side_exact(&j->side[0]) && (j->nr_sides == 1 || side_exact(&j->side[1]));
	return 0;
}

static void free_job(struct plot_job *j)
{
	free(j->rows.v);
	side_free(&j->side[0]);
	side_free(&j->side[1]);
	side_free(&j->base);
}

int cmd_plot(int argc, char **argv)
{
	static int (*const figure[NR_KINDS])(struct plot_job *) = {
		[KIND_BARS] = figure_bars, [KIND_DIST] = figure_dist, [KIND_ECDF] = figure_dist,
		[KIND_PAGES] = figure_pages, [KIND_TREND] = figure_trend,
		[KIND_SCALING] = figure_scaling, [KIND_HEATMAP] = figure_heatmap,
	};
	struct cli cli = { .cmd = "plot", .help = PLOT_USAGE };
	struct plot_job j = { .metric = "pin" };
	struct parsed p = { .format = -1 };
	struct cmp_opts defaults;
	int rc;

	cmp_opts_init(&defaults);
	j.co = (struct compare_opts){ .threshold = defaults.threshold,
				      .min_runs = defaults.min_runs, .seed = defaults.seed };
	rc = parse_opts(&cli, argc, argv, &j, &p);
	if (rc)
		return rc < 0 ? cli.status : rc;
	j.co.metric = j.metric;
	j.frame.dir = j.dir;
	j.frame.name = j.name;
	rc = load(&j, &p, argc, argv);
	if (rc)
		goto out;
	if (collect_rows(&j.side[0], &j.side[1], &j.rows)) {
		rc = -1;
	} else {
		rc = pick_rows(&j, &p);
		if (!rc)
			rc = label_plot_rows(&j);
	}
	if (rc < 0) {
		fprintf(stderr, "gupbench plot: out of memory\n");
		rc = 1;
		goto out;
	}
	if (rc)
		goto out;
	name_sides(&j, &p, argv);
	make_unit(&j);
	make_caption(&j);
	j.frame.caption = j.caption;
	rc = figure[j.kind](&j);
	if (!rc) {
		/* the path as given: "NAME.png" for -o NAME */
		printf("%s%s%s.%s\n", strchr(p.output, '/') ? j.dir : "",
		       strchr(p.output, '/') ? "/" : "", j.name,
		       j.frame.format == PLOT_SVG ? "svg" : "png");
		rc = fflush(stdout) ? 1 : 0;
	}
out:
	free_job(&j);
	return rc;
}
