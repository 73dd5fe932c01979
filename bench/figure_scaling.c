// SPDX-License-Identifier: GPL-2.0
/*
 * gupbench plot --kind scaling: throughput against threads, a curve per case
 * (the cases that differ only in their thread count) and side. A point is the
 * median of the run medians of the team's pages/s with the 95% interval of
 * compare's bootstrap; the dashed line beside a curve is ideal scaling, its
 * 1-thread median times the threads. --metric eff draws each point over
 * threads x the 1-thread median instead, its interval that of compare's ratio
 * of the two cases (cmp_case), so a point under 1 by more than its error bar
 * scales worse than ideal.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "case_key.h"
#include "plot_cmd.h"

/* The key of a case without its thread count: the cases of one curve. */
static void curve_key(const struct result_case *c, char *buf, size_t n)
{
	struct result_case t = *c;

	t.threads = 0;
	case_key(&t, buf, n);
}

static int by_x(const void *a, const void *b)
{
	double x = ((const struct plot_point *)a)->x, y = ((const struct plot_point *)b)->x;

	return (x > y) - (x < y);
}

/*
 * Efficiency of row r on side s: its median over threads x the 1-thread
 * row's, the interval cmp_case()'s of that ratio over the threads. The
 * 1-thread point is 1, without an interval. y NaN when a side lacks runs.
 */
static int eff_value(const struct plot_job *j, const struct side *s, const struct row *one,
		     const struct row *r, struct plot_value *v)
{
	struct cmp_run *ra = NULL, *rb = NULL;
	struct cmp_result res;
	struct cmp_opts o;
	size_t na, nb;
	int rc = 0;

	v->y = v->lo = v->hi = NAN;
	if (job_runs(j, s, one, &ra, &na) || job_runs(j, s, r, &rb, &nb)) {
		free(ra);
		return -1;
	}
	job_cmp_opts(j, &o);
	if (na && nb && r == one) {
		v->y = 1;
	} else if (na && nb) {
		struct cmp_side sa = { ra, na }, sb = { rb, nb };

		if (!cmp_case(&sa, &sb, &o, &res)) {
			v->y = res.ratio / r->first->threads;
			v->lo = res.ci_lo / r->first->threads;
			v->hi = res.ci_hi / r->first->threads;
		} else if (errno != EINVAL) {
			rc = -1;
		}
	}
	free(ra);
	free(rb);
	return rc;
}

struct curves {
	size_t *curve;		/* per row: its curve */
	size_t n;		/* curves */
	struct plot_series *ser;
	struct plot_point *pts, *refs;
	char (*names)[200];
	size_t nser, no_one;	/* series made; curves without a 1-thread case (eff) */
};

/* The series of curve l on side s, its points (and reference) at pts/refs + used. */
static int curve_series(struct plot_job *j, struct curves *cv, size_t l, size_t s,
			size_t *used)
{
	const struct row *one = NULL, *first = NULL;
	struct plot_series *se = &cv->ser[cv->nser];
	struct plot_point *pt = cv->pts + *used, *ref = cv->refs + *used;
	struct plot_value v1 = { NAN, NAN, NAN };

	for (size_t i = 0; i < j->rows.n; i++)
		if (cv->curve[i] == l) {
			first = first ? first : &j->rows.v[i];
			if (j->rows.v[i].first->threads == 1)
				one = &j->rows.v[i];
		}
	if (one && job_side_value(j, &j->side[s], one, &v1))
		return -1;
	if (j->eff && !isfinite(v1.y)) {
		char label[128];

		/* once per curve: its sides have no other reason to differ */
		if (s == 0) {
			case_label(first->first, CASE_ALL & ~CASE_THREADS, label, sizeof(label));
			fprintf(stderr, "gupbench plot: left out, no 1-thread case to scale "
				"against: %s\n", label);
			cv->no_one++;
		}
		return 0;
	}
	snprintf(cv->names[cv->nser], sizeof(cv->names[0]), "%s%s%s", first->label,
		 j->nr_sides > 1 ? ", " : "", j->nr_sides > 1 ? j->names[s] : "");
	*se = (struct plot_series){ .name = cv->names[cv->nser], .pt = pt };
	for (size_t i = 0; i < j->rows.n; i++) {
		const struct row *r = &j->rows.v[i];

		if (cv->curve[i] != l)
			continue;
		pt[se->n].x = r->first->threads;
		if (j->eff ? eff_value(j, &j->side[s], one, r, &pt[se->n].v) :
		    job_side_value(j, &j->side[s], r, &pt[se->n].v))
			return -1;
		se->n++;
	}
	qsort(pt, se->n, sizeof(*pt), by_x);
	/* ideal: the 1-thread median times the threads (eff: the line at 1) */
	if (!j->eff && isfinite(v1.y)) {
		for (size_t k = 0; k < se->n; k++)
			ref[k] = (struct plot_point){ pt[k].x, { v1.y * pt[k].x, NAN, NAN } };
		se->ref = ref;
		se->n_ref = se->n;
	}
	*used += se->n;
	cv->nser++;
	return 0;
}

int figure_scaling(struct plot_job *j)
{
	size_t nr = j->rows.n, ns = j->nr_sides, used = 0, with_ref = 0;
	struct curves cv = {
		.curve = calloc(nr, sizeof(*cv.curve)), .ser = calloc(nr * ns, sizeof(*cv.ser)),
		.pts = calloc(nr * ns, sizeof(*cv.pts)), .refs = calloc(nr * ns, sizeof(*cv.refs)),
		.names = calloc(nr * ns, sizeof(*cv.names)),
	};
	struct plot_xy xy = { .yzero = 1, .xtics_data = 1 };
	char key[256], other[256], why[512], more[96];
	int rc = 0;

	if (!cv.curve || !cv.ser || !cv.pts || !cv.refs || !cv.names) {
		rc = figure_no_memory();
		goto out;
	}
	for (size_t i = 0; i < nr; i++) {
		size_t k;

		curve_key(j->rows.v[i].first, key, sizeof(key));
		for (k = 0; k < i; k++) {
			curve_key(j->rows.v[k].first, other, sizeof(other));
			if (!strcmp(key, other))
				break;
		}
		cv.curve[i] = k < i ? cv.curve[k] : cv.n++;
	}
	/* a curve is two thread counts or more (a case's rows differ in threads alone) */
	for (size_t l = 0; l < cv.n; l++) {
		size_t count = 0;

		for (size_t i = 0; i < nr; i++)
			count += cv.curve[i] == l;
		for (size_t s = 0; count > 1 && s < ns; s++)
			if (curve_series(j, &cv, l, s, &used)) {
				rc = figure_no_memory();
				goto out;
			}
	}
	if (!cv.nser) {
		fprintf(stderr, "gupbench plot: no cases that differ only in threads%s\n",
			cv.no_one ? " and have a 1-thread case" : "");
		rc = PLOT_CANNOT;
		goto out;
	}
	for (size_t k = 0; k < cv.nser; k++)
		with_ref += cv.ser[k].ref != NULL;
	xy.n_series = cv.nser;
	xy.series = cv.ser;
	xy.ysi = !j->eff;
	xy.has_hline = j->eff;
	xy.hline = 1;
	xy.ref_name = "ideal";
	job_left_out(j, more, sizeof(more));
	if (cv.no_one)
		snprintf(more + strlen(more), sizeof(more) - strlen(more),
			 "; %zu without a 1-thread case left out", cv.no_one);
	if (j->eff) {
		job_caption_line(j, "points: median of the run medians of pages/s (all threads) "
				 "over threads x the same at 1 thread%s", more);
		job_caption_line(j, "error bars: 95%% bootstrap interval of that ratio, as "
				 "gupbench compare's; dashed: 1, ideal scaling");
	} else {
		job_caption_line(j, "points: median of the run medians of pages/s, all threads "
				 "(barrier to last pin returned)%s", more);
		job_caption_line(j, "error bars: its 95%% bootstrap interval (runs, and samples "
				 "within them)%s", with_ref ? "; dashed: ideal, the 1-thread "
				 "median x threads" : "");
	}
	j->frame.xlabel = "threads";
	j->frame.ylabel = j->unit;
	if (plot_xy(&j->frame, &xy, why, sizeof(why)))
		rc = figure_failed(why);
out:
	free(cv.curve);
	free(cv.ser);
	free(cv.pts);
	free(cv.refs);
	free(cv.names);
	return rc;
}
