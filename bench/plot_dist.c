// SPDX-License-Identifier: GPL-2.0
/* Distributions of raw samples: box plots (p10, p25, median, p75, p90) or ECDFs. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "plot_gp.h"
#include "stats.h"
#include "util.h"

#define GROUP_WIDTH 0.8

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* The finite samples of set k, sorted, into buf; how many. Others are counted as left out. */
static size_t finite_sorted(struct gp *g, const struct plot_dist *p, size_t k, double *buf)
{
	const struct plot_samples *s = &p->s[k];
	size_t i, n = 0;

	for (i = 0; i < s->n; i++) {
		if (isfinite(s->v[i]))
			buf[n++] = s->v[i];
		else
			gp_skip(g, "%s, %s: sample %zu is %g", gp_or(p->cases[k / p->n_sides]),
				gp_or(p->sides[k % p->n_sides]), i, s->v[i]);
	}
	qsort(buf, n, sizeof(*buf), cmp_double);
	return n;
}

static void box_data(struct gp *g, const struct plot_dist *p, double *buf, int *box, int *pts)
{
	double w = GROUP_WIDTH / p->n_sides;
	size_t c, s, i, n;

	for (s = 0; s < p->n_sides; s++) {
		box[s] = gp_block(g, "side %s: x, p10, p25, median, p75, p90, n",
				  gp_or(p->sides[s]));
		for (c = 0; c < p->n_cases; c++) {
			double x = c - GROUP_WIDTH / 2 + w * (s + 0.5);

			n = finite_sorted(g, p, c * p->n_sides + s, buf);
			if (!n) {
				gp_comment(g, "%s, %s: no samples", gp_or(p->cases[c]),
					   gp_or(p->sides[s]));
				continue;
			}
			fprintf(g->dat, "%.10g %.10g %.10g %.10g %.10g %.10g %zu", x,
				quantile_sorted(buf, n, 0.10), quantile_sorted(buf, n, 0.25),
				quantile_sorted(buf, n, 0.50), quantile_sorted(buf, n, 0.75),
				quantile_sorted(buf, n, 0.90), n);
			gp_row_end(g);
		}
	}
	for (s = 0; p->points && s < p->n_sides; s++) {
		pts[s] = gp_block(g, "side %s: samples, x jittered", gp_or(p->sides[s]));
		for (c = 0; c < p->n_cases; c++) {
			const struct plot_samples *set = &p->s[c * p->n_sides + s];
			double x = c - GROUP_WIDTH / 2 + w * (s + 0.5);

			/* Spread over 60% of the box in golden-ratio steps: the same each run. */
			for (i = 0; i < set->n; i++) {
				double off = fmod(i * 0.6180339887, 1.0) - 0.5;

				if (!isfinite(set->v[i]))
					continue;
				fprintf(g->dat, "%.10g %.10g", x + off * w * 0.6, set->v[i]);
				gp_row_end(g);
			}
		}
	}
}

static void box_script(struct gp *g, const struct plot_dist *p, const int *box, const int *pts,
		       int positive)
{
	const char *dat = g->f->name;
	FILE *o = g->gp;
	size_t c, s;

	gp_frame(g, NULL, NULL);
	fprintf(o, "set xrange [-0.6:%g]\nset xtics scale 0 (", p->n_cases - 0.4);
	for (c = 0; c < p->n_cases; c++) {
		fputs(c ? ", " : "", o);
		gp_name(o, p->cases[c]);
		fprintf(o, " %zu", c);
	}
	fprintf(o, ")\nset offsets 0, 0, graph 0.05, graph 0.05\n"
		"%s"
		"set boxwidth %g absolute\nset errorbars 1\nset pointintervalbox 1e-4\n"
		"# boxes: p25 to p75; whiskers: p10 to p90; thick bar: median\nplot \\\n",
		/* times: the margin below the lowest box stops at 0 */
		positive ? "set yrange [0<*:*]\n" : "", GROUP_WIDTH / p->n_sides * 0.8);
	for (s = 0; s < p->n_sides; s++) {
		fprintf(o, "\t'%s.dat' index %d using 1:3:2:6:5 with candlesticks whiskerbars 0.5 "
			"lt %zu lw 1.5 fs solid 0.25 title ", dat, box[s], s + 1);
		gp_name(o, p->sides[s]);
		fputs(", \\\n", o);
		if (p->points)
			/* ARGB: the samples half transparent, so dense places show darker */
			fprintf(o, "\t'%s.dat' index %d using 1:2 with points pt 7 ps 0.3 "
				"lc rgb '#80%s' notitle, \\\n", dat, pts[s], gp_colour(s) + 1);
		fprintf(o, "\t'%s.dat' index %d using 1:4:4:4:4 with candlesticks lt %zu lw 3 "
			"notitle%s\n", dat, box[s], s + 1, s + 1 < p->n_sides ? ", \\" : "");
	}
}

static void ecdf(struct gp *g, const struct plot_dist *p, double *buf, int *block)
{
	size_t k, i, n, sets = p->n_cases * p->n_sides;
	FILE *o = g->gp;

	for (k = 0; k < sets; k++) {
		block[k] = gp_block(g, "%s, %s: sample, fraction of samples at or below it",
				    gp_or(p->cases[k / p->n_sides]),
				    gp_or(p->sides[k % p->n_sides]));
		n = finite_sorted(g, p, k, buf);
		/* "steps" goes across, then up: start at 0 so the first step shows. */
		if (n) {
			fprintf(g->dat, "%.10g 0", buf[0]);
			gp_row_end(g);
		}
		for (i = 0; i < n; i++) {
			fprintf(g->dat, "%.10g %.10g", buf[i], (double)(i + 1) / n);
			gp_row_end(g);
		}
	}
	gp_frame(g, "ns per 4 KiB page", "fraction of samples at or below");
	fputs("set yrange [0:1]\nset grid xtics\nset key samplen 5\nplot \\\n", o);
	for (k = 0; k < sets; k++) {
		size_t c = k / p->n_sides, s = k % p->n_sides;

		/* Colour tells the sides apart, the dash pattern the cases. */
		fprintf(o, "\t'%s.dat' index %d using 1:2 with steps lt %zu dt %zu title ",
			g->f->name, block[k], (p->n_sides > 1 ? s : c) + 1,
			p->n_sides > 1 ? c % 5 + 1 : 1);
		if (p->n_cases > 1 && p->n_sides > 1) {
			gp_name(o, p->cases[c]);
			fputs(" . ', ' . ", o);
			gp_name(o, p->sides[s]);
		} else {
			gp_name(o, p->n_sides > 1 ? p->sides[s] : p->cases[c]);
		}
		fputs(k + 1 < sets ? ", \\\n" : "\n", o);
	}
}

int plot_dist(const struct plot_frame *f, const struct plot_dist *p, char *why, size_t n)
{
	size_t k, i, most = 0;
	int positive = 1;
	int *box, *pts;
	double *buf;
	struct gp g;
	int ret;

	if (!p || !p->n_cases || !p->n_sides || !p->cases || !p->sides || !p->s) {
		set_reason(why, n, "plot: distribution: no cases or sides");
		return -1;
	}
	for (k = 0; k < p->n_cases * p->n_sides; k++) {
		if (p->s[k].n && !p->s[k].v) {
			set_reason(why, n, "plot: distribution: set %zu has no samples array", k);
			return -1;
		}
		if (p->s[k].n > most)
			most = p->s[k].n;
		for (i = 0; i < p->s[k].n; i++)
			positive &= !(p->s[k].v[i] < 0);
	}
	if (gp_open(&g, f, p->style == PLOT_ECDF ? "ecdf" : "box", why, n))
		return -1;
	buf = malloc((most ? most : 1) * sizeof(*buf));
	box = calloc(p->n_cases * p->n_sides, sizeof(*box));	/* ECDF: a block per set */
	pts = calloc(p->n_sides, sizeof(*pts));
	if (!buf || !box || !pts) {
		free(buf);
		free(box);
		free(pts);
		return gp_fail(&g, "plot: out of memory");
	}
	if (p->style == PLOT_ECDF) {
		ecdf(&g, p, buf, box);
	} else {
		box_data(&g, p, buf, box, pts);
		box_script(&g, p, box, pts, positive);
	}
	ret = gp_finish(&g);
	free(buf);
	free(box);
	free(pts);
	return ret;
}
