/* SPDX-License-Identifier: GPL-2.0 */
/*
 * gupbench compare, inside: the two sides of runs, the rows of cases, the
 * environment diff (compare_env.c) and the views (compare_view.c).
 */
#ifndef COMPARE_H
#define COMPARE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "cli.h"
#include "compare_stats.h"
#include "result.h"

#define CMP_CANNOT 125		/* nothing in common: no verdict at all */
#define EMAIL_COLS 72

struct side {
	const char *name;		/* "A", "B" */
	struct result *runs;
	size_t nr_runs, cap;
	size_t not_results;		/* files in folders that are not gupbench results */
};

/* One case present on both sides, or on one only. */
struct row {
	const struct result_case *first;	/* for its key and label */
	char key[256], label[128];
	size_t nr_a, nr_b;			/* runs with an ok case on each side */
	struct cmp_result res;
	bool compared;
	const char *why_not;			/* set when not compared */
	char absent_a[96], absent_b[96], why_buf[200];
};

/* --pair AXIS=A:B: two cases of the same runs that differ in one axis (compare_pair.c). */
struct pair_spec {
	unsigned int axis;		/* an index of compare_pair.c's axis names */
	char a[32], b[32];
};

struct compare_opts {
	double threshold;
	size_t min_runs;
	bool single_run;
	const char *metric;		/* pin, unpin, call */
	uint64_t seed;
	enum cli_format format;
	bool pair;
	struct pair_spec pair_spec;
	size_t detectable;		/* --detectable K: runs per side; 0: not asked */
};

/*
 * The options both compare and history take, as getopt entries (COMPARE_OPTIONS, codes
 * from CMP_O_METRIC; a command's own start at CMP_O_NEXT) and parsed by compare_opt():
 * 0 when opt was one of them, -1 when it was not, 2 after a usage line.
 */
enum { CMP_O_METRIC = 256, CMP_O_THRESHOLD, CMP_O_MIN_RUNS, CMP_O_SINGLE, CMP_O_SEED, CMP_O_NEXT };
#define COMPARE_OPTIONS \
	{ "metric", required_argument, NULL, CMP_O_METRIC }, \
	{ "threshold", required_argument, NULL, CMP_O_THRESHOLD }, \
	{ "min-runs", required_argument, NULL, CMP_O_MIN_RUNS }, \
	{ "single-run", no_argument, NULL, CMP_O_SINGLE }, \
	{ "seed", required_argument, NULL, CMP_O_SEED }
/* Defaults: metric pin, and cmp_opts_init()'s threshold, run count and seed. */
void compare_opts_init(struct compare_opts *co);
int compare_opt(struct cli *cli, int opt, struct compare_opts *co);

struct rows {
	struct row *v;
	size_t n, cap;
};

#define ENV_DIFF_MAX 32
#define WARNINGS_MAX 16

struct env_diff {
	const char *field;
	bool kernel;
	bool mixed_a, mixed_b;
	char a[1024], b[1024];		/* "(null)" when unknown, "(mixed)" when the runs differ */
};

struct report {
	const struct side *a, *b;
	const struct compare_opts *co;
	struct env_diff diff[ENV_DIFF_MAX];
	size_t nr_diff;
	const char *warnings[WARNINGS_MAX];
	char warn_buf[WARNINGS_MAX][256];
	size_t nr_warnings;
	struct rows rows;
	char common[128];		/* what every case shares, left out of the rows */
	char pair[128];			/* --pair: what A and B are; "" otherwise */
	bool exact;
	int counts[4];			/* per enum cmp_verdict */
};

/*
 * Load the runs of paths (result files, or folders: every *.json below them that is a
 * result, in name order) onto s. A named file that is not a result, or any that is
 * damaged, is one line "gupbench CMD: PATH: reason" on stderr and -1.
 */
int side_load(struct side *s, char **paths, int n, const char *cmd);
void side_free(struct side *s);

/* The case's raw samples of metric (pin, unpin, call), *n of them; NULL if none. */
const double *metric_samples(const struct result_case *c, const char *metric, size_t *n);
/* Ran, ok, and has samples of metric. */
bool case_usable(const struct result_case *c, const char *metric);
/* The run's case with this key (case_key()), or NULL. */
const struct result_case *find_case(const struct result *r, const char *key);
/* The runs of s holding the row's case usable for metric: *out (to free), *n of them. */
int side_runs(const struct side *s, const struct row *r, const char *metric,
	      struct cmp_run **out, size_t *n);
/* The row with this key, or NULL; a new row for first under key (NULL: no memory). */
struct row *rows_find(struct rows *rs, const char *key);
struct row *rows_add(struct rows *rs, const struct result_case *first, const char *key);
/* Every case of both sides' runs, in the order first seen, A first (compare_rows.c). */
int collect_rows(const struct side *a, const struct side *b, struct rows *rs);
/* Label the rows by what tells them apart; what all share goes to common. */
int label_rows(struct rows *rs, unsigned int omit, char *common, size_t n);
/* Compare B's runs of each row with A's; -1 without memory. */
int compare_rows(const struct side *a, const struct side *b, struct rows *rs,
		 const struct compare_opts *co, bool exact);

/* Fields of the environment that differ between the sides or within one; out: ENV_DIFF_MAX. */
size_t env_diff(const struct side *a, const struct side *b, struct env_diff *out);
/* The value of one field env_diff() looks at ("cpu.model"), NULL when unknown. */
const char *env_field_text(const char *field, const struct result *r, char *buf, size_t n);
/* What the reader must be told before the numbers (report.warnings). */
void make_warnings(struct report *rp);
/* The run was under QEMU -icount: its times are instruction counts. */
bool run_exact(const struct result *r);
/* Every run of the side was under -icount. */
bool side_exact(const struct side *s);
/* The kernel release of the side's runs, or "(several kernels)". */
const char *side_kernel(const struct side *s);
/* "flags=W:W|LT" into p: 0, or -1 when it does not parse. */
int pair_parse(const char *arg, struct pair_spec *p);
const char *pair_axis_name(const struct pair_spec *p);
/* Its CASE_* label part, which the rows of --pair leave out. */
unsigned int pair_axis_part(const struct pair_spec *p);
/*
 * The rows of --pair from the runs of s: the pairs' ratio per row (paired
 * samples where a run interleaved them; *unpaired set when some did not).
 */
int pair_rows(const struct side *s, const struct pair_spec *p, const struct compare_opts *co,
	      bool exact, struct rows *rs, bool *unpaired);
/* --detectable K: the smallest slowdown found with K runs per side, per case of s. */
int compare_detectable(const struct side *s, const struct compare_opts *co, size_t k);
/*
 * Pieces of the views, shared with history: a median in three significant digits, a
 * ratio as a change ("+3.1%"), an interval of a ratio ("[+2.9,+3.3]"), text wrapped at
 * 72 columns after prefix, text escaped for a markdown cell, CSV fields.
 */
void view_ns(double v, char *buf, size_t n);
void view_change(double ratio, bool sign_pct, char *buf, size_t n);
void view_interval(const struct cmp_result *r, char *buf, size_t n);
void view_wrapped(FILE *f, const char *prefix, const char *text);
void view_md_text(FILE *f, const char *s);
void view_csv_text(FILE *f, const char *s);
void view_csv_num(FILE *f, double v);
/* The case's share, place, mem, contend (defaults spelt out): CSV fields, JSON members. */
void view_csv_team(FILE *f, const struct result_case *c);
void view_json_team(struct json_object *o, const struct result_case *c);
/* "pin, median ns per 4 KiB page" and the like. */
const char *metric_title(const char *metric);

/* table (72 columns), markdown, json, csv: of a struct report. */
extern const cli_view compare_views[CLI_NR_FORMATS];

#endif
