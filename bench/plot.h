/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Plots drawn by gnuplot from plain structs. Each plot leaves, in frame.dir:
 *   NAME.gp    the script: `gnuplot NAME.gp` in that directory redraws the image,
 *              `gnuplot -e "fmt='svg'" NAME.gp` draws NAME.svg instead
 *   NAME.dat   the numbers, in gnuplot "index" blocks named by a comment
 *   NAME.png or NAME.svg, and NAME.log (what gnuplot said on stderr).
 * Every string (names, labels, captions) is written as literal text: a result
 * file cannot inject gnuplot commands or enhanced-text markup.
 * A value that is NaN or infinite is left out of the plot (a comment in
 * NAME.dat says which); the caption then says how many were left out. An
 * interval bound that is not finite draws the point without its error bar.
 * A plot with no value left to draw is an error ("nothing to plot").
 * frame.xlabel and frame.ylabel, when set, replace the kind's axis labels.
 * Each plot function returns 0, or -1 with a one-line reason in why; a failed
 * plot leaves no image under NAME.png/NAME.svg (it is drawn to a temporary
 * name and renamed). GUPBENCH_GNUPLOT in the environment names the gnuplot
 * binary (default: gnuplot, found on PATH).
 */
#ifndef PLOT_H
#define PLOT_H

#include <stddef.h>

enum plot_format { PLOT_PNG, PLOT_SVG };

#define PLOT_WIDTH	800
#define PLOT_HEIGHT	500

/* What every kind of plot shares. NULL strings are left out. */
struct plot_frame {
	const char *dir;	/* existing directory for the files */
	const char *name;	/* base name: letters, digits, '.', '_', '+', '-' */
	enum plot_format format;
	int width, height;	/* pixels; 0 means PLOT_WIDTH x PLOT_HEIGHT */
	const char *title;
	const char *caption;	/* under the plot: kernels, machine, tool; '\n' between lines */
	const char *xlabel;	/* with units; NULL: the kind's default */
	const char *ylabel;	/* with units; NULL: "ns per 4 KiB page" */
};

/* A median and its interval (e.g. the 95% CI); lo/hi NaN for none. */
struct plot_value {
	double y, lo, hi;
};

/*
 * 1. Bars per group, one bar per side (e.g. groups = backings, sides = "series
 * off", "series on"): height = median from 0, error bar = [lo, hi]; note[g],
 * if given, is printed above group g's bars ("+3.1% [1.2, 5.0]", a verdict).
 */
struct plot_bars {
	size_t n_groups, n_sides;
	const char *const *groups;	/* n_groups x tick labels */
	const char *const *sides;	/* n_sides key entries */
	const struct plot_value *v;	/* v[g * n_sides + s] */
	const char *const *notes;	/* NULL, or n_groups strings (NULL: none) */
};
int plot_bars(const struct plot_frame *f, const struct plot_bars *p, char *why, size_t n);

/*
 * 2. The distribution of raw samples per case and side. PLOT_BOX: a box from
 * p25 to p75, a bar at the median, whiskers from p10 to p90 (type-7
 * quantiles); points, if set, overlays every sample (jittered sideways).
 * PLOT_ECDF: the empirical CDF of each case and side, one step line each.
 */
enum plot_dist_style { PLOT_BOX, PLOT_ECDF };

struct plot_samples {
	const double *v;
	size_t n;
};

struct plot_dist {
	enum plot_dist_style style;
	int points;
	size_t n_cases, n_sides;
	const char *const *cases;	/* n_cases x tick labels */
	const char *const *sides;	/* n_sides key entries */
	const struct plot_samples *s;	/* s[c * n_sides + s] */
};
int plot_dist(const struct plot_frame *f, const struct plot_dist *p, char *why, size_t n);

/*
 * 3 and 5. Lines with error bars, one per series, drawn in the order given:
 * plot_xy for any x (threads, ...); plot_pages_per_call draws x on a log2
 * scale (points with x <= 0 are left out) with "pages per call" as default
 * x label. A series' reference points are written to NAME.dat as a block of
 * their own ("NAME, reference: x, y").
 */
struct plot_point {
	double x;
	struct plot_value v;
};

struct plot_series {
	const char *name;	/* key entry */
	size_t n;
	const struct plot_point *pt;
	/*
	 * A reference for the series (ideal scaling), NULL for none: a dashed
	 * line through n_ref points (v.y; lo and hi unused) in the series'
	 * colour, without points or a key entry of its own.
	 */
	size_t n_ref;
	const struct plot_point *ref;
};

struct plot_xy {
	size_t n_series;
	const struct plot_series *series;
	int xlog2;		/* x on a log2 scale (plot_pages_per_call sets it) */
	int yzero;		/* y axis from 0 rather than from the data's range */
	int ylog;		/* y on a log10 scale (values spanning decades); not with yzero */
	int xtics_data;		/* a tick at each x of the data and none between (thread counts) */
	int ysi;		/* y tick labels with SI prefixes: 37.2M rather than 3.72e+07 */
	int has_hline;		/* a grey dashed line across the plot at y = hline */
	double hline;
	const char *ref_name;	/* key entry of the dashed lines (refs, hline); NULL: none */
};
int plot_xy(const struct plot_frame *f, const struct plot_xy *p, char *why, size_t n);
int plot_pages_per_call(const struct plot_frame *f, const struct plot_xy *p,
			char *why, size_t n);

/*
 * 4. A trend over runs, oldest first: x is the run's place in history, with
 * its label (kernel release) and sublabel (date) under it; one line per case,
 * with error bars. first_regressed, if >= 0, is the run a case first
 * regressed in: that point is ringed and the key says so.
 */
struct plot_trend_case {
	const char *name;		/* key entry */
	const struct plot_value *v;	/* n_runs values; y NaN: not in that run */
	long first_regressed;		/* run index, or -1 */
};

struct plot_trend {
	size_t n_runs, n_cases;
	const char *const *labels;	/* n_runs: "6.12.117"; "": a tick without text */
	const char *const *sublabels;	/* NULL, or n_runs: "2025-03-01" */
	const struct plot_trend_case *cases;
};
int plot_trend(const struct plot_frame *f, const struct plot_trend *p, char *why, size_t n);

/*
 * 6. Heat maps: a matrix of values per panel (CPU node x memory node of a
 * case), the panels in a grid. A cell's colour and the text in it are its
 * value's y (text[], when given, is what is written; else y in 4 significant
 * digits); a cell whose y is not finite is left blank and counted as left
 * out. Each panel has a colour scale of its own, from its smallest to its
 * largest value (light to dark), without a label: the frame's title or
 * caption says what the values are. NAME.dat holds a block per panel: column,
 * row, y, lo, hi. frame.xlabel and frame.ylabel name the columns and rows.
 */
struct plot_matrix {
	const char *name;		/* the panel's title; NULL: none */
	const char *note;		/* a line under the title ("remote/local 1.42"); NULL */
	size_t n_rows, n_cols;
	const char *const *rows;	/* n_rows tick labels, top to bottom */
	const char *const *cols;	/* n_cols tick labels, left to right */
	const struct plot_value *v;	/* v[r * n_cols + c] */
	const char *const *text;	/* NULL, or n_rows * n_cols strings (NULL: from y) */
};

struct plot_heatmap {
	size_t n_panels;
	const struct plot_matrix *panels;
};
int plot_heatmap(const struct plot_frame *f, const struct plot_heatmap *p, char *why,
		 size_t n);

#endif
