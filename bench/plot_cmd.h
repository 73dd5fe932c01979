/* SPDX-License-Identifier: GPL-2.0 */
/*
 * gupbench plot, inside: the command (cmd_plot.c) loads the sides and picks
 * the cases, the figures (plot_figures.c) turn them into plot.h's structs.
 */
#ifndef PLOT_CMD_H
#define PLOT_CMD_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include "compare.h"
#include "plot.h"

/*
 * KIND_SCALING: curves over threads, struct plot_series per case drawn by
 * plot_xy() (a new curve over some other x goes the same way). KIND_HEATMAP:
 * the cross-node matrices (cross_node_view.h), drawn by plot_heatmap().
 */
enum plot_kind { KIND_BARS, KIND_DIST, KIND_ECDF, KIND_PAGES, KIND_TREND, KIND_SCALING,
		 KIND_HEATMAP, NR_KINDS };

#define PLOT_CANNOT CMP_CANNOT	/* nothing to plot: exit status, as compare's */
#define WHERE_MAX 8

/* --where AXIS=V1,V2: keep the cases whose AXIS is one of the values. */
struct where {
	unsigned int axis;	/* an index of cmd_plot.c's axis names */
	char values[128];
};

struct plot_job {
	enum plot_kind kind;
	const char *metric;		/* pin, unpin, call; throughput: the team's pages/s */
	bool eff;			/* --metric eff: throughput over threads x at 1 thread */
	struct compare_opts co;		/* threshold, min runs, single run, seed */
	struct side side[2];		/* A, and B when two */
	size_t nr_sides;
	struct side base;		/* trend: --baseline, when has_base */
	bool has_base;
	const char *names[2];		/* key entries of the sides */
	char name_buf[2][96];
	bool exact;			/* every run -icount: values are instructions */
	struct rows rows;		/* the cases drawn, after --where */
	size_t left_out;		/* cases not on every side, or without samples */
	char common[128];		/* what every case drawn shares */
	char unit[64];			/* "ns per 4 KiB page" */
	char title[256], caption[1024];
	char dir[PATH_MAX], name[256];
	struct plot_frame frame;
	bool size_given;
};

/*
 * The runs of s holding the row's case with samples of the job's metric (throughput:
 * the team's pages/s per sample): *out (to free), *n of them. 0, or -1 (memory).
 */
int job_runs(const struct plot_job *j, const struct side *s, const struct row *r,
	     struct cmp_run **out, size_t *n);
/* The side's median over runs of the row's case and its interval; y NaN without runs. */
int job_side_value(const struct plot_job *j, const struct side *s, const struct row *r,
		   struct plot_value *v);
/* The run's kernel release, or "(unknown kernel)". */
const char *run_kernel(const struct result *r);
/* Append a line to the caption (after a '\n' if it has one already). */
void job_caption_line(struct plot_job *j, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Widen the default figure for groups of per_group pixels and their tick labels (not --size). */
void job_widen(struct plot_job *j, size_t groups, size_t per_group);

/* compare's options for the job (threshold, runs, seed, exact). */
void job_cmp_opts(const struct plot_job *j, struct cmp_opts *o);
/* "; 2 cases without samples left out", or "" (for the caption). */
void job_left_out(const struct plot_job *j, char *buf, size_t n);
/* A plot that failed: its reason on stderr; PLOT_CANNOT for nothing to plot, else 1. */
int figure_failed(const char *why);
/* "out of memory" on stderr; 1. */
int figure_no_memory(void);

/* The figures: 0 drawn, PLOT_CANNOT nothing to draw (one line said), 1 failed. */
int figure_bars(struct plot_job *j);
int figure_dist(struct plot_job *j);
int figure_pages(struct plot_job *j);
int figure_trend(struct plot_job *j);
int figure_scaling(struct plot_job *j);
int figure_heatmap(struct plot_job *j);

#endif
