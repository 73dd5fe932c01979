// SPDX-License-Identifier: GPL-2.0
/*
 * Heat maps: one matrix of values per panel, the panels in a grid of one
 * gnuplot multiplot. Cells are filled boxes (vector, in SVG as in PNG) with
 * their number written on them, each panel on a colour scale of its own: the
 * groups of one figure (warm and cold, say) differ by decades.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "plot_gp.h"
#include "util.h"

/* Light to dark blue (ColorBrewer Blues): black text reads on the light half, white on the dark. */
#define PALETTE "set palette defined (0 '#f7fbff', 0.35 '#c6dbef', 0.65 '#6baed6', 1 '#08306b')"
#define DARK_FROM 0.55	/* cells past this share of the scale get white text */

/* Panels per line of the grid: side by side up to 3, then 2x2, 3 a line, then 4. */
static size_t per_line(size_t n)
{
	return n <= 3 ? n : n == 4 ? 2 : n <= 9 ? 3 : 4;
}

static void tics(FILE *o, const char *axis, const char *const *names, size_t n)
{
	fprintf(o, "set %stics (", axis);
	for (size_t i = 0; i < n; i++) {
		fputs(i ? ", " : "", o);
		gp_name(o, names ? names[i] : NULL);
		fprintf(o, " %zu", i);
	}
	fputs(")\n", o);
}

static void num_or_nan(FILE *o, double d)
{
	if (isfinite(d))
		gp_num(o, d);
	else
		fputs("NaN", o);
}

/* The panel's cells in the data file; its smallest and largest value, 0 if it has none. */
static int cells(struct gp *g, const struct plot_matrix *m, size_t k, double *lo, double *hi)
{
	const char *name = m->name ? m->name : "";
	int found = 0;

	*lo = INFINITY;
	*hi = -INFINITY;
	gp_block(g, "panel %zu%s%s: column, row, value, lo, hi", k + 1, *name ? " " : "", name);
	for (size_t r = 0; r < m->n_rows; r++)
		for (size_t c = 0; c < m->n_cols; c++) {
			const struct plot_value *v = &m->v[r * m->n_cols + c];

			gp_comment(g, "row %zu %s, column %zu %s", r, gp_or(m->rows[r]), c,
				   gp_or(m->cols[c]));
			if (!isfinite(v->y)) {
				gp_skip(g, "%s, row %s, column %s: %g", gp_or(m->name),
					gp_or(m->rows[r]), gp_or(m->cols[c]), v->y);
				continue;
			}
			fprintf(g->dat, "%zu %zu ", c, r);
			gp_num(g->dat, v->y);
			fputc(' ', g->dat);
			num_or_nan(g->dat, v->lo);
			fputc(' ', g->dat);
			num_or_nan(g->dat, v->hi);
			gp_row_end(g);
			*lo = fmin(*lo, v->y);
			*hi = fmax(*hi, v->y);
			found = 1;
		}
	return found;
}

/* The number in each cell, in white on the dark end of the scale. */
static void cell_labels(struct gp *g, const struct plot_matrix *m, double lo, double hi)
{
	int id = 100;

	for (size_t r = 0; r < m->n_rows; r++)
		for (size_t c = 0; c < m->n_cols; c++) {
			size_t i = r * m->n_cols + c;
			double y = m->v[i].y;
			char num[32];
			int dark;

			if (!isfinite(y))
				continue;
			fprintf(g->gp, "set label %d ", id++);
			if (m->text && m->text[i]) {
				gp_str(g->gp, m->text[i]);
			} else {
				snprintf(num, sizeof(num), "%.4g", y);
				gp_str(g->gp, num);
			}
			dark = hi > lo && (y - lo) / (hi - lo) > DARK_FROM;
			fprintf(g->gp, " at %zu, %zu center front font ',11' tc rgb '%s'\n", c, r,
				dark ? "#ffffff" : "#000000");
		}
}

int plot_heatmap(const struct plot_frame *f, const struct plot_heatmap *p, char *why, size_t n)
{
	size_t cols, lines;
	double *lo, *hi, w, h;
	int *has;
	struct gp g;

	if (!p || !p->n_panels || !p->panels) {
		set_reason(why, n, "plot: heatmap: no panels");
		return -1;
	}
	for (size_t k = 0; k < p->n_panels; k++)
		if (!p->panels[k].n_rows || !p->panels[k].n_cols || !p->panels[k].v ||
		    !p->panels[k].rows || !p->panels[k].cols) {
			set_reason(why, n, "plot: heatmap: panel %zu has no cells", k + 1);
			return -1;
		}
	if (gp_open(&g, f, "heatmap", why, n))
		return -1;
	lo = calloc(p->n_panels, sizeof(*lo));
	hi = calloc(p->n_panels, sizeof(*hi));
	has = calloc(p->n_panels, sizeof(*has));
	if (!lo || !hi || !has) {
		free(lo);
		free(hi);
		free(has);
		return gp_fail(&g, "plot: out of memory");
	}
	for (size_t k = 0; k < p->n_panels; k++)
		has[k] = cells(&g, &p->panels[k], k, &lo[k], &hi[k]);
	gp_frame(&g, NULL, "");
	fputs("unset key\nunset grid\nset border 0\nset tics scale 0 nomirror\n"
	      PALETTE "\nset style fill solid 1.0 noborder\n", g.gp);
	fputs("set multiplot\n", g.gp);
	cols = per_line(p->n_panels);
	lines = (p->n_panels + cols - 1) / cols;
	w = 1.0 / cols;
	h = g.area_height / lines;
	for (size_t k = 0; k < p->n_panels; k++) {
		const struct plot_matrix *m = &p->panels[k];
		double a = lo[k], b = hi[k];

		if (!has[k])
			continue;
		/* square cells, within the panel's share of the canvas */
		fprintf(g.gp, "# panel %zu\nset origin %.4f,%.4f\nset size ratio %.4f %.4f,%.4f\n",
			k + 1, (k % cols) * w, g.area_bottom + (lines - 1 - k / cols) * h,
			(double)m->n_rows / m->n_cols, w, h);
		fputs("set title ", g.gp);
		gp_str(g.gp, m->name ? m->name : "");
		if (m->note) {
			fputs(" . \"\\n\" . ", g.gp);
			gp_str(g.gp, m->note);
		}
		fputc('\n', g.gp);
		fprintf(g.gp, "set xrange [-0.5:%zu.5]\nset yrange [%zu.5:-0.5]\n", m->n_cols - 1,
			m->n_rows - 1);
		tics(g.gp, "x", m->cols, m->n_cols);
		tics(g.gp, "y", m->rows, m->n_rows);
		/* one value, or all alike: a scale around it */
		if (!(b > a)) {
			a -= a ? fabs(a) * 0.01 : 1;
			b += b ? fabs(b) * 0.01 : 1;
		}
		fprintf(g.gp, "set cbrange [%.10g:%.10g]\nset format cb '%s'\n", a, b,
			fmax(fabs(a), fabs(b)) >= 1e5 ? "%.1s%c" : "%g");
		cell_labels(&g, m, lo[k], hi[k]);
		fprintf(g.gp, "plot '%s.dat' index %zu using 1:2:(0.5):(0.5):3 with boxxyerror "
			"fc palette notitle\n", f->name, k);
		/* the title and caption (labels 1 and 2) once, with the first panel */
		fputs("unset label\n", g.gp);
	}
	fputs("unset multiplot\n", g.gp);
	free(lo);
	free(hi);
	free(has);
	return gp_finish(&g);
}
