// SPDX-License-Identifier: GPL-2.0
/* Bars per group, one per side, from 0 to the median, with the interval as error bar. */
#include <math.h>
#include <stdlib.h>
#include "plot_gp.h"
#include "util.h"

/* Bars of a group share 80% of the unit the group has on the x axis. */
#define GROUP_WIDTH 0.8

static void num_or_nan(FILE *o, double d)
{
	if (isfinite(d))
		gp_num(o, d);
	else
		fputs("NaN", o);	/* gnuplot skips the error bar, draws the bar */
}

static int lines(const char *s)
{
	int n = 1;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

int plot_bars(const struct plot_frame *f, const struct plot_bars *p, char *why, size_t n)
{
	double w, top = 0, *group_top;
	struct gp g;
	size_t gi, s;

	if (!p || !p->n_groups || !p->n_sides || !p->groups || !p->sides || !p->v) {
		set_reason(why, n, "plot: bars: no groups or sides");
		return -1;
	}
	if (gp_open(&g, f, "bars", why, n))
		return -1;
	group_top = calloc(p->n_groups, sizeof(*group_top));
	if (!group_top)
		return gp_fail(&g, "plot: out of memory");
	w = GROUP_WIDTH / p->n_sides;
	for (s = 0; s < p->n_sides; s++) {
		gp_block(&g, "side %s: x, median, lo, hi", p->sides[s]);
		for (gi = 0; gi < p->n_groups; gi++) {
			const struct plot_value *v = &p->v[gi * p->n_sides + s];
			double x = gi - GROUP_WIDTH / 2 + w * (s + 0.5);

			if (!isfinite(v->y)) {
				gp_skip(&g, "%s, %s: median %g", gp_or(p->groups[gi]),
					gp_or(p->sides[s]), v->y);
				continue;
			}
			gp_num(g.dat, x);
			fputc(' ', g.dat);
			gp_num(g.dat, v->y);
			fputc(' ', g.dat);
			num_or_nan(g.dat, v->lo);
			fputc(' ', g.dat);
			num_or_nan(g.dat, v->hi);
			gp_row_end(&g);
			group_top[gi] = fmax(group_top[gi], v->y);
			if (isfinite(v->hi))
				group_top[gi] = fmax(group_top[gi], v->hi);
			top = fmax(top, group_top[gi]);
		}
	}
	gp_frame(&g, NULL, NULL);
	/* Bars start at 0; room above the tallest for its note. */
	fputs("set yrange [0:", g.gp);
	gp_num(g.gp, top > 0 ? top * (p->notes ? 1.15 : 1.08) : 1);
	fprintf(g.gp, "]\nset xrange [-0.6:%g]\n", p->n_groups - 0.4);
	fputs("set xtics scale 0 (", g.gp);
	for (gi = 0; gi < p->n_groups; gi++) {
		fputs(gi ? ", " : "", g.gp);
		gp_name(g.gp, p->groups[gi]);
		fprintf(g.gp, " %zu", gi);
	}
	fputs(")\n", g.gp);
	for (gi = 0; p->notes && gi < p->n_groups; gi++) {
		if (!p->notes[gi] || !*p->notes[gi])
			continue;
		fprintf(g.gp, "set label %zu ", gi + 10);
		gp_str(g.gp, p->notes[gi]);
		fprintf(g.gp, " at first %zu, first ", gi);
		gp_num(g.gp, group_top[gi] + top * 0.025);
		/* gnuplot centres a label's lines on its place: lift them above the bars. */
		fprintf(g.gp, " center offset 0,%.1f font ',9'\n", 0.3 + 0.5 * lines(p->notes[gi]));
	}
	free(group_top);
	/*
	 * Error bars in 5.4 leave a white disc around their point; here it would
	 * punch a hole in the bar's top ("unset pointintervalbox" does not stop it).
	 */
	fputs("set style fill solid 0.85 border lc rgb '#333333'\n", g.gp);
	fprintf(g.gp, "set boxwidth %g absolute\nset errorbars 1\nset pointintervalbox 1e-4\n"
		"plot \\\n", w * 0.9);
	for (s = 0; s < p->n_sides; s++) {
		fprintf(g.gp, "\t'%s.dat' index %zu using 1:2 with boxes lt %zu title ",
			f->name, s, s + 1);
		gp_name(g.gp, p->sides[s]);
		fprintf(g.gp, ", \\\n\t'%s.dat' index %zu using 1:2:3:4 with yerrorbars "
			"lc rgb '#222222' lw 1.5 ps 0 notitle%s\n",
			f->name, s, s + 1 < p->n_sides ? ", \\" : "");
	}
	return gp_finish(&g);
}
