// SPDX-License-Identifier: GPL-2.0
/* Lines with error bars: any x, pages per call on a log2 scale, a trend over runs. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "plot_gp.h"
#include "util.h"

static void num_or_nan(FILE *o, double d)
{
	if (isfinite(d))
		gp_num(o, d);
	else
		fputs("NaN", o);	/* gnuplot skips the error bar, draws the point */
}

static void row(struct gp *g, double x, const struct plot_value *v)
{
	gp_num(g->dat, x);
	fputc(' ', g->dat);
	gp_num(g->dat, v->y);
	fputc(' ', g->dat);
	num_or_nan(g->dat, v->lo);
	fputc(' ', g->dat);
	num_or_nan(g->dat, v->hi);
	gp_row_end(g);
}

/*
 * Series i from data block b: a line through the medians (its key entry) and
 * the error bars over it, which skip rows whose interval is NaN.
 */
static void plot_line(struct gp *g, int b, size_t i, const char *name, int last)
{
	fprintf(g->gp, "\t'%s.dat' index %d using 1:2 with linespoints lt %zu ps 0.8 title ",
		g->f->name, b, i + 1);
	gp_name(g->gp, name);
	fprintf(g->gp, ", \\\n\t'%s.dat' index %d using 1:2:3:4 with yerrorbars lt %zu lw 1.5 "
		"ps 0.8 notitle%s\n", g->f->name, b, i + 1, last ? "" : ", \\");
}

/*
 * A log y axis over the data (with room), not out to whole decades, ticks at
 * 1, 2 and 5 of each decade: a plot within one decade still has numbers.
 */
static void ylog_axis(struct gp *g, const struct plot_xy *p)
{
	double lo = INFINITY, hi = 0;
	const char *sep = "";

	for (size_t s = 0; s < p->n_series; s++)
		for (size_t i = 0; p->series[s].pt && i < p->series[s].n; i++) {
			const struct plot_value *v = &p->series[s].pt[i].v;
			double y[3] = { v->y, v->lo, v->hi };

			for (int k = 0; k < 3; k++)
				if (isfinite(y[k]) && y[k] > 0) {
					lo = fmin(lo, y[k]);
					hi = fmax(hi, y[k]);
				}
		}
	fputs("set logscale y 10\nset format y '%g'\nset grid mytics\n", g->gp);
	if (!(hi > 0))
		return;
	fprintf(g->gp, "set yrange [%.6g:%.6g]\nset ytics (", lo / 1.25, hi * 1.25);
	for (double d = pow(10, floor(log10(lo / 1.25))); d <= hi * 1.25 * 10; d *= 10)
		for (int m = 1; m <= 5; m += m == 1 ? 1 : 3) {
			fprintf(g->gp, "%s%.6g", sep, m * d);
			sep = ", ";
		}
	fputs(")\n", g->gp);
}

/* The reference of series s (ideal scaling): its block, or -1 when it has no point. */
static int ref_block(struct gp *g, const struct plot_series *ser, int xlog2)
{
	const char *name = gp_or(ser->name);
	int b = -1;

	for (size_t i = 0; ser->ref && i < ser->n_ref; i++) {
		const struct plot_point *pt = &ser->ref[i];

		if (!isfinite(pt->x) || !isfinite(pt->v.y) || (xlog2 && pt->x <= 0))
			continue;
		if (b < 0)
			b = gp_block(g, "%s, reference: x, y", name);
		gp_num(g->dat, pt->x);
		fputc(' ', g->dat);
		gp_num(g->dat, pt->v.y);
		fputc('\n', g->dat);
	}
	return b;
}

static int by_value(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* A tick at each distinct x of the points (at most 24 of them; else gnuplot's own). */
static void data_tics(struct gp *g, const struct plot_xy *p)
{
	double x[24];
	size_t nx = 0, k;

	for (size_t s = 0; s < p->n_series; s++)
		for (size_t i = 0; p->series[s].pt && i < p->series[s].n; i++) {
			double v = p->series[s].pt[i].x;

			if (!isfinite(v) || !isfinite(p->series[s].pt[i].v.y))
				continue;
			for (k = 0; k < nx && x[k] != v; k++)
				;
			if (k < nx)
				continue;
			if (nx == sizeof(x) / sizeof(x[0]))
				return;
			x[nx++] = v;
		}
	if (!nx)
		return;
	qsort(x, nx, sizeof(x[0]), by_value);
	fputs("set xtics (", g->gp);
	for (k = 0; k < nx; k++) {
		fputs(k ? ", " : "", g->gp);
		gp_num(g->gp, x[k]);
	}
	fputs(")\n", g->gp);
}

int plot_xy(const struct plot_frame *f, const struct plot_xy *p, char *why, size_t n)
{
	struct gp g;
	size_t s, i;
	int *block, *ref, refs = 0;

	if (!p || !p->n_series || !p->series) {
		set_reason(why, n, "plot: lines: no series");
		return -1;
	}
	if (gp_open(&g, f, p->xlog2 ? "pages-per-call" : "xy", why, n))
		return -1;
	block = calloc(p->n_series, sizeof(*block));
	ref = calloc(p->n_series, sizeof(*ref));
	if (!block || !ref) {
		free(block);
		free(ref);
		return gp_fail(&g, "plot: out of memory");
	}
	for (s = 0; s < p->n_series; s++) {
		const struct plot_series *ser = &p->series[s];
		const char *name = gp_or(ser->name);

		block[s] = gp_block(&g, "%s: x, median, lo, hi", name);
		for (i = 0; ser->pt && i < ser->n; i++) {
			const struct plot_point *pt = &ser->pt[i];

			if (!gp_finite(&g, pt->x, "x", name) || !gp_finite(&g, pt->v.y, "y", name))
				continue;
			if (p->xlog2 && pt->x <= 0) {
				gp_skip(&g, "%s: x %g on a log scale", name, pt->x);
				continue;
			}
			row(&g, pt->x, &pt->v);
		}
		ref[s] = ref_block(&g, ser, p->xlog2);
		refs += ref[s] >= 0;
	}
	gp_frame(&g, p->xlog2 ? "pages per call" : NULL, NULL);
	fprintf(g.gp, "set grid xtics\nset offsets graph 0.03, graph 0.03, graph 0.05, %s\n",
		p->yzero ? "0" : "graph 0.05");
	if (p->xlog2)
		fputs("set logscale x 2\nset format x '%g'\n", g.gp);
	if (p->xtics_data)
		data_tics(&g, p);
	if (p->yzero)
		fputs("set yrange [0:*]\n", g.gp);
	else if (p->ylog)
		ylog_axis(&g, p);
	if (p->ysi)
		fputs("set format y '%.1s%c'\n", g.gp);	/* 37.2M */
	fputs("set errorbars 0.5\nplot \\\n", g.gp);
	/* the dashed lines first: the medians and their error bars are drawn over them */
	for (s = 0; s < p->n_series; s++)
		if (ref[s] >= 0)
			fprintf(g.gp, "\t'%s.dat' index %d using 1:2 with lines lt %zu dt 2 lw 1.5 "
				"notitle, \\\n", f->name, ref[s], s + 1);
	if (p->has_hline && isfinite(p->hline)) {
		fputs("\t", g.gp);
		gp_num(g.gp, p->hline);
		fputs(" with lines lc rgb '#555555' dt 2 lw 1.5 notitle, \\\n", g.gp);
		refs++;
	}
	for (s = 0; s < p->n_series; s++)
		plot_line(&g, block[s], s, p->series[s].name,
			  s + 1 == p->n_series && !(refs && p->ref_name));
	/* the key's last entry: what the dashed lines are */
	if (refs && p->ref_name) {
		fputs("\tkeyentry with lines lc rgb '#555555' dt 2 lw 1.5 title ", g.gp);
		gp_str(g.gp, p->ref_name);
		fputc('\n', g.gp);
	}
	free(block);
	free(ref);
	return gp_finish(&g);
}

int plot_pages_per_call(const struct plot_frame *f, const struct plot_xy *p, char *why, size_t n)
{
	struct plot_xy log2 = { 0 };

	if (p)
		log2 = *p;
	log2.xlog2 = 1;
	return plot_xy(f, p ? &log2 : NULL, why, n);
}

static size_t text_len(const char *s)
{
	return s ? strlen(s) : 0;
}

/*
 * Whether two labelled runs are too close for their labels side by side: a
 * character is about 6.5 pixels, the plot about 85% of the width. An empty
 * label (a run like the one before it) takes no room.
 */
static int labels_collide(const struct gp *g, const struct plot_trend *p, size_t every)
{
	double per_run = 0.85 * g->width / p->n_runs;
	size_t r, last = 0, last_len = 0;
	int seen = 0;

	for (r = 0; r < p->n_runs; r += every) {
		size_t len = text_len(p->labels[r]);

		if (p->sublabels && text_len(p->sublabels[r]) > len)
			len = text_len(p->sublabels[r]);
		if (!len)
			continue;
		if (seen && (r - last) * per_run < 6.5 * (len + last_len) / 2 + 8)
			return 1;
		seen = 1;
		last = r;
		last_len = len;
	}
	return 0;
}

/* Label every run while they fit; past 24 runs, every k-th. Tilted when they collide. */
static void trend_tics(struct gp *g, const struct plot_trend *p)
{
	size_t r, every = (p->n_runs + 23) / 24;
	int tilt = labels_collide(g, p, every);

	fprintf(g->gp, "set xrange [-0.5:%g]\n", p->n_runs - 0.5);
	if (g->f->xlabel && p->sublabels && !tilt)
		fputs("set xlabel offset 0,-1\n", g->gp);	/* below the second line */
	fputs(tilt ? "set xtics rotate by 30 right scale 0.5 (" : "set xtics scale 0.5 (", g->gp);
	for (r = 0; r < p->n_runs; r += every) {
		fputs(r ? ", " : "", g->gp);
		/* an empty label stays empty: a tick without text */
		if (p->labels[r] && !*p->labels[r])
			gp_str(g->gp, "");
		else
			gp_name(g->gp, p->labels[r]);
		if (p->sublabels && p->sublabels[r] && *p->sublabels[r]) {
			/* Tilted, a second line would stray from its tick: one line then. */
			fputs(tilt ? " . '  ' . " : " . \"\\n\" . ", g->gp);
			gp_str(g->gp, p->sublabels[r]);
		}
		fprintf(g->gp, " %zu", r);
	}
	fputs(")\n", g->gp);
}

int plot_trend(const struct plot_frame *f, const struct plot_trend *p, char *why, size_t n)
{
	int *block, marks = -1, positive = 1;
	size_t c, r;
	struct gp g;

	if (!p || !p->n_runs || !p->n_cases || !p->labels || !p->cases) {
		set_reason(why, n, "plot: trend: no runs or cases");
		return -1;
	}
	if (gp_open(&g, f, "trend", why, n))
		return -1;
	block = calloc(p->n_cases, sizeof(*block));
	if (!block)
		return gp_fail(&g, "plot: out of memory");
	for (c = 0; c < p->n_cases; c++) {
		const struct plot_trend_case *tc = &p->cases[c];

		for (r = 0; tc->v && r < p->n_runs; r++)
			positive &= !(tc->v[r].y < 0);
		block[c] = gp_block(&g, "%s: run, median, lo, hi", gp_or(tc->name));
		for (r = 0; tc->v && r < p->n_runs; r++) {
			/* A case not measured in a run: no value to report, a break in its line. */
			if (isnan(tc->v[r].y)) {
				fputc('\n', g.dat);	/* one blank line: a gap */
				continue;
			}
			if (gp_finite(&g, tc->v[r].y, "median", tc->name))
				row(&g, r, &tc->v[r]);
		}
	}
	for (c = 0; c < p->n_cases; c++) {
		const struct plot_trend_case *tc = &p->cases[c];
		long r0 = tc->first_regressed;

		if (r0 < 0 || (size_t)r0 >= p->n_runs || !tc->v || !isfinite(tc->v[r0].y))
			continue;
		if (marks < 0)
			marks = gp_block(&g, "first regressed runs: run, median");
		fprintf(g.dat, "%ld %.10g\n", r0, tc->v[r0].y);
	}
	gp_frame(&g, NULL, NULL);
	trend_tics(&g, p);
	fputs("set grid xtics\nset offsets 0, 0, graph 0.05, graph 0.05\n", g.gp);
	if (positive)
		fputs("set yrange [0<*:*]\n", g.gp);	/* the margin below stops at 0 */
	fputs("set errorbars 0.5\nplot \\\n", g.gp);
	for (c = 0; c < p->n_cases; c++)
		plot_line(&g, block[c], c, p->cases[c].name, c + 1 == p->n_cases && marks < 0);
	if (marks >= 0)
		fprintf(g.gp, "\t'%s.dat' index %d using 1:2 with points pt 6 ps 3 lw 2 "
			"lc rgb '#D55E00' title 'first regressed run'\n", f->name, marks);
	free(block);
	return gp_finish(&g);
}
