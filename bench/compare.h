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

struct compare_opts {
	double threshold;
	size_t min_runs;
	bool single_run;
	const char *metric;		/* pin, unpin, call */
	uint64_t seed;
	enum cli_format format;
};

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
	bool exact;
	int counts[4];			/* per enum cmp_verdict */
};

/*
 * The sides (compare_sides.c). side_load: the runs in paths (files, or
 * folders: every *.json below them that is a result, in name order); a named
 * file that cannot be read is one line on stderr "gupbench CMD: ..." and -1.
 */
int side_load(struct side *s, char **paths, int n, const char *cmd);
void side_free(struct side *s);
/* The case's raw samples of metric (pin, unpin, call), *n of them; NULL if none. */
const double *metric_samples(const struct result_case *c, const char *metric, size_t *n);
/* Ran, ok, and has samples of metric. */
bool case_usable(const struct result_case *c, const char *metric);
/* The run's case with this key (case_key()), or NULL. */
const struct result_case *find_case(const struct result *r, const char *key);
/* A row per key of any run of a or b, in the order first seen (a's first run first). */
int collect_rows(const struct side *a, const struct side *b, struct rows *rs);
/* The runs of s holding the row's case usable for metric: *out (to free), *n of them. */
int side_runs(const struct side *s, const struct row *r, const char *metric,
	      struct cmp_run **out, size_t *n);
/* cmp_case() of every row with runs on both sides; the others say why not. */
int compare_rows(const struct side *a, const struct side *b, struct rows *rs,
		 const struct compare_opts *co, bool exact);
/* Fields of the environment that differ between the sides or within one; out: ENV_DIFF_MAX. */
size_t env_diff(const struct side *a, const struct side *b, struct env_diff *out);
/* What the reader must be told before the numbers (report.warnings). */
void make_warnings(struct report *rp);
/* The run was under QEMU -icount (its ns are instructions): icount set, not "0". */
bool run_exact(const struct result *r);
/* Every run of the side was under -icount. */
bool side_exact(const struct side *s);
/* The kernel release of the side's runs, or "(several kernels)". */
const char *side_kernel(const struct side *s);
/* table (72 columns), markdown, json, csv: of a struct report. */
extern const cli_view compare_views[CLI_NR_FORMATS];

#endif
