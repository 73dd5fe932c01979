// SPDX-License-Identifier: GPL-2.0
/*
 * The figures of gupbench plot: the cases the command picked (plot_cmd.h)
 * turned into plot.h's structs. A side's value is the median of its run
 * medians, as compare reports it, with the 95% interval of the same
 * hierarchical bootstrap; a change is cmp_case()'s. The caption's last line
 * says what the marks are.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "gupbench.h"
#include "case_key.h"
#include "plot_cmd.h"
#include "stats.h"

int figure_failed(const char *why)
{
	fprintf(stderr, "gupbench plot: %s\n", why);
	/* gnuplot's refusal of an empty plot is ours to report as nothing to plot */
	return strstr(why, "nothing to plot") ? PLOT_CANNOT : 1;
}

int figure_no_memory(void)
{
	fprintf(stderr, "gupbench plot: out of memory\n");
	return 1;
}

/* Many groups: a tick label breaks after its first word. */
static void tick_label(const char *label, bool narrow, char *buf, size_t n)
{
	size_t sp = strcspn(label, " ");

	if (narrow && label[sp])
		snprintf(buf, n, "%.*s\n%s", (int)sp, label, label + sp + 1);
	else
		snprintf(buf, n, "%s", label);
}

void job_cmp_opts(const struct plot_job *j, struct cmp_opts *o)
{
	cmp_opts_init(o);
	o->threshold = j->co.threshold;
	o->min_runs = j->co.min_runs;
	o->single_run = j->co.single_run;
	o->seed = j->co.seed;
	o->exact = j->exact;
}

/* "+3.1%\n[+1.2, +5.0]\nregressed": B against A, from cmp_case(). */
static int change_note(const struct plot_job *j, const struct row *r, char *buf, size_t n)
{
	struct cmp_run *ra = NULL, *rb = NULL;
	struct cmp_side sa, sb;
	struct cmp_result res;
	struct cmp_opts o;
	size_t na, nb;
	int rc = 0;

	job_cmp_opts(j, &o);
	if (side_runs(&j->side[0], r, j->metric, &ra, &na) ||
	    side_runs(&j->side[1], r, j->metric, &rb, &nb)) {
		free(ra);
		return -1;
	}
	sa = (struct cmp_side){ ra, na };
	sb = (struct cmp_side){ rb, nb };
	if (cmp_case(&sa, &sb, &o, &res)) {
		if (errno != EINVAL)
			rc = -1;
		snprintf(buf, n, "not compared");
	} else if (j->exact || !isfinite(res.ci_lo) || !isfinite(res.ci_hi)) {
		snprintf(buf, n, "%+.1f%%\n%s", 100 * (res.ratio - 1),
			 cmp_verdict_name(res.verdict));
	} else {
		snprintf(buf, n, "%+.1f%%\n[%+.1f, %+.1f]\n%s", 100 * (res.ratio - 1),
			 100 * (res.ci_lo - 1), 100 * (res.ci_hi - 1),
			 cmp_verdict_name(res.verdict));
	}
	free(ra);
	free(rb);
	return rc;
}

void job_left_out(const struct plot_job *j, char *buf, size_t n)
{
	buf[0] = '\0';
	if (j->left_out)
		snprintf(buf, n, "; %zu case%s without samples%s left out", j->left_out,
			 j->left_out == 1 ? "" : "s", j->nr_sides > 1 ? " on both sides" : "");
}

int figure_bars(struct plot_job *j)
{
	size_t ng = j->rows.n, ns = j->nr_sides;
	struct plot_value *v = calloc(ng * ns, sizeof(*v));
	const char **groups = calloc(ng, sizeof(*groups)), **notes = calloc(ng, sizeof(*notes));
	char (*gbuf)[160] = calloc(ng, sizeof(*gbuf)), (*nbuf)[96] = calloc(ng, sizeof(*nbuf));
	struct plot_bars pb = { .n_groups = ng, .n_sides = ns, .groups = groups,
				.sides = j->names, .v = v, .notes = ns > 1 ? notes : NULL };
	char why[512], more[96], how[96];
	int rc = 0;

	if (!v || !groups || !notes || !gbuf || !nbuf) {
		rc = figure_no_memory();
		goto out;
	}
	for (size_t g = 0; g < ng && !rc; g++) {
		const struct row *r = &j->rows.v[g];

		tick_label(r->label, ng > 6, gbuf[g], sizeof(gbuf[g]));
		groups[g] = gbuf[g];
		for (size_t s = 0; s < ns && !rc; s++)
			rc = job_side_value(j, &j->side[s], r, &v[g * ns + s]);
		if (!rc && ns > 1) {
			rc = change_note(j, r, nbuf[g], sizeof(nbuf[g]));
			notes[g] = nbuf[g];
		}
	}
	if (rc) {
		rc = figure_no_memory();
		goto out;
	}
	if (j->exact)
		snprintf(how, sizeof(how), "-icount: exact, any difference counts");
	else
		snprintf(how, sizeof(how), "threshold %g%%, at least %zu runs per side%s", 100 *
			 j->co.threshold, j->co.single_run ? (size_t)1 : j->co.min_runs,
			 j->co.single_run ? ", within-run noise only" : "");
	job_left_out(j, more, sizeof(more));
	job_caption_line(j, "bars: median of the run medians; error bars: its 95%% bootstrap "
			 "interval (runs, and samples within them)%s", more);
	if (ns > 1)
		job_caption_line(j, "above: B against A, change%s and verdict as gupbench "
				 "compare gives them (%s)", j->exact ? "" : " [its 95% interval]",
				 how);
	j->frame.ylabel = j->unit;
	/* a note of change is about 80 pixels wide */
	job_widen(j, ng, ns > 1 ? 90 : 40);
	if (plot_bars(&j->frame, &pb, why, sizeof(why)))
		rc = figure_failed(why);
out:
	free(v);
	free(groups);
	free(notes);
	free(gbuf);
	free(nbuf);
	return rc;
}

/*
 * Every sample of every run of the row's case on side s, in one array (to free);
 * *runs: the most runs a side had.
 */
static int pooled(const struct plot_job *j, const struct side *s, const struct row *r,
		  struct plot_samples *out, size_t *runs)
{
	struct cmp_run *rr;
	size_t n, total = 0;
	double *v;

	if (side_runs(s, r, j->metric, &rr, &n))
		return -1;
	for (size_t i = 0; i < n; i++)
		total += rr[i].n;
	v = malloc((total ? total : 1) * sizeof(*v));
	if (!v) {
		free(rr);
		return -1;
	}
	total = 0;
	for (size_t i = 0; i < n; i++) {
		memcpy(v + total, rr[i].v, rr[i].n * sizeof(*v));
		total += rr[i].n;
	}
	free(rr);
	out->v = v;
	out->n = total;
	if (n > *runs)
		*runs = n;
	return 0;
}

int figure_dist(struct plot_job *j)
{
	size_t nc = j->rows.n, ns = j->nr_sides, sets = nc * ns, runs = 0, most = 0;
	struct plot_samples *sm = calloc(sets, sizeof(*sm));
	const char **cases = calloc(nc, sizeof(*cases));
	char (*cbuf)[160] = calloc(nc, sizeof(*cbuf));
	struct plot_dist pd = { .style = j->kind == KIND_ECDF ? PLOT_ECDF : PLOT_BOX,
				.n_cases = nc, .n_sides = ns, .cases = cases, .sides = j->names,
				.s = sm };
	char why[512], more[96];
	int rc = 0;

	if (!sm || !cases || !cbuf) {
		rc = figure_no_memory();
		goto out;
	}
	for (size_t c = 0; c < nc && !rc; c++) {
		tick_label(j->rows.v[c].label, pd.style == PLOT_BOX && nc * ns > 8, cbuf[c],
			   sizeof(cbuf[c]));
		cases[c] = cbuf[c];
		for (size_t s = 0; s < ns && !rc; s++) {
			rc = pooled(j, &j->side[s], &j->rows.v[c], &sm[c * ns + s], &runs);
			if (!rc && sm[c * ns + s].n > most)
				most = sm[c * ns + s].n;
		}
	}
	if (rc) {
		rc = figure_no_memory();
		goto out;
	}
	/* beyond a few thousand, the dots are a smear that hides the box */
	pd.points = most <= 2000;
	job_left_out(j, more, sizeof(more));
	if (pd.style == PLOT_BOX) {
		job_caption_line(j, "box: p25 to p75, thick bar: median, whiskers: p10 to p90 of "
				 "every sample of every run (%zu run%s)%s%s", runs,
				 runs == 1 ? "" : "s",
				 pd.points ? "; dots: the samples" : "", more);
		j->frame.ylabel = j->unit;
		job_widen(j, nc, 32 * (ns + 1));
	} else {
		job_caption_line(j, "each line: the share of the samples (every sample of every "
				 "run, %zu run%s) at or below a value%s", runs,
				 runs == 1 ? "" : "s",
				 more);
		j->frame.xlabel = j->unit;
	}
	if (plot_dist(&j->frame, &pd, why, sizeof(why)))
		rc = figure_failed(why);
out:
	for (size_t k = 0; sm && k < sets; k++)
		free((void *)sm[k].v);
	free(sm);
	free(cases);
	free(cbuf);
	return rc;
}

/* ---- pages per call ---- */

/* The key of a case without its pages per call: the cases of one line (teams apart). */
static void line_key(const struct result_case *c, char *buf, size_t n)
{
	struct result_case t = *c;

	t.pages_per_call = 0;
	case_key(&t, buf, n);
}

static int by_x(const void *a, const void *b)
{
	double x = ((const struct plot_point *)a)->x, y = ((const struct plot_point *)b)->x;

	return (x > y) - (x < y);
}

int figure_pages(struct plot_job *j)
{
	size_t nr = j->rows.n, ns = j->nr_sides, nser = 0, *line = calloc(nr, sizeof(*line));
	size_t nlines = 0;
	struct plot_series *ser = calloc(nr * ns, sizeof(*ser));
	struct plot_point *pts = calloc(nr * ns, sizeof(*pts));
	char (*names)[200] = calloc(nr * ns, sizeof(*names)), key[256], other[256], why[512];
	char more[96];
	double lo = INFINITY, hi = 0;
	struct plot_xy xy = { 0 };
	int rc = 0;

	if (!line || !ser || !pts || !names) {
		rc = figure_no_memory();
		goto out;
	}
	/* line[i]: the line of row i; a line's rows are its pages-per-call points */
	for (size_t i = 0; i < nr; i++) {
		size_t k;

		line_key(j->rows.v[i].first, key, sizeof(key));
		for (k = 0; k < i; k++) {
			line_key(j->rows.v[k].first, other, sizeof(other));
			if (!strcmp(key, other))
				break;
		}
		line[i] = k < i ? line[k] : nlines++;
	}
	/* a series per line of two or more points and side, its slice of pts in x order */
	for (size_t l = 0, used = 0; l < nlines; l++) {
		size_t first = 0, count = 0;

		for (size_t i = 0; i < nr; i++)
			if (line[i] == l && !count++)
				first = i;
		if (count < 2)
			continue;
		for (size_t s = 0; s < ns; s++, nser++) {
			struct plot_series *se = &ser[nser];

			snprintf(names[nser], sizeof(names[nser]), "%s%s%s", j->rows.v[first].label,
				 ns > 1 ? ", " : "", ns > 1 ? j->names[s] : "");
			se->name = names[nser];
			se->pt = pts + used;
			for (size_t i = 0; i < nr; i++) {
				struct plot_point *p;

				if (line[i] != l)
					continue;
				p = &pts[used + se->n++];
				p->x = j->rows.v[i].first->pages_per_call;
				if (job_side_value(j, &j->side[s], &j->rows.v[i], &p->v)) {
					rc = figure_no_memory();
					goto out;
				}
				if (isfinite(p->v.y) && p->v.y > 0) {
					lo = fmin(lo, isfinite(p->v.lo) ? p->v.lo : p->v.y);
					hi = fmax(hi, isfinite(p->v.hi) ? p->v.hi : p->v.y);
				}
			}
			qsort(pts + used, se->n, sizeof(*pts), by_x);
			used += se->n;
		}
	}
	if (!nser) {
		fprintf(stderr, "gupbench plot: no cases that differ only in pages per call\n");
		rc = PLOT_CANNOT;
		goto out;
	}
	xy.n_series = nser;
	xy.series = ser;
	/* ns per page falls by decades from one page per call to many */
	xy.ylog = lo > 0 && hi / lo > 20;
	job_left_out(j, more, sizeof(more));
	job_caption_line(j, "points: median of the run medians; error bars: its 95%% bootstrap "
			 "interval (runs, and samples within them)%s", more);
	j->frame.ylabel = j->unit;
	if (plot_pages_per_call(&j->frame, &xy, why, sizeof(why)))
		rc = figure_failed(why);
out:
	free(line);
	free(ser);
	free(pts);
	free(names);
	return rc;
}

/* ---- trend ---- */

static const struct result *sort_runs;

static int by_started(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	const char *sx = sort_runs[x].started, *sy = sort_runs[y].started;
	int c = strcmp(sx ? sx : "~", sy ? sy : "~");

	return c ? c : (x > y) - (x < y);
}

/* The run's value of the case: its median and distribution-free 95% interval. */
static void run_value(const struct plot_job *j, const struct result *run, const char *key,
		      struct plot_value *v)
{
	const struct result_case *c = find_case(run, key);
	struct summary sm;
	const double *x;
	size_t n;

	v->y = v->lo = v->hi = NAN;
	if (!c || !case_usable(c, j->metric))
		return;
	x = metric_samples(c, j->metric, &n);
	if (!summarize(x, n, &sm)) {
		v->y = sm.median;
		v->lo = sm.ci_lo;
		v->hi = sm.ci_hi;
	}
}

/*
 * The first run (in order) in which the case regressed against the baseline's
 * runs: each run alone, so with --single-run's statistics (within-run noise).
 */
static int first_regressed(const struct plot_job *j, const struct row *r, const size_t *order,
			   long *first)
{
	struct cmp_run *rb, one;
	struct cmp_side base, b = { &one, 1 };
	struct cmp_result res;
	struct cmp_opts o;
	size_t nb;

	*first = -1;
	if (side_runs(&j->base, r, j->metric, &rb, &nb))
		return -1;
	base = (struct cmp_side){ rb, nb };
	job_cmp_opts(j, &o);
	o.single_run = true;
	for (size_t i = 0; nb && i < j->side[0].nr_runs; i++) {
		const struct result *run = &j->side[0].runs[order[i]];
		const struct result_case *c = find_case(run, r->key);

		if (!c || !case_usable(c, j->metric))
			continue;
		one.v = metric_samples(c, j->metric, &one.n);
		o.exact = side_exact(&j->base) && run_exact(run);
		if (cmp_case(&base, &b, &o, &res)) {
			if (errno == EINVAL)
				continue;
			free(rb);
			return -1;
		}
		/* -icount boots differ by a few instructions: a change must pass the threshold */
		if (res.verdict == CMP_REGRESSED && res.ratio > 1 + o.threshold) {
			*first = i;
			break;
		}
	}
	free(rb);
	return 0;
}

int figure_trend(struct plot_job *j)
{
	const struct side *a = &j->side[0];
	size_t nrun = a->nr_runs, nc = j->rows.n, *order = calloc(nrun, sizeof(*order));
	const char **labels = calloc(nrun, sizeof(*labels)), **sub = calloc(nrun, sizeof(*sub));
	char (*subbuf)[24] = calloc(nrun, sizeof(*subbuf));
	struct plot_trend_case *tc = calloc(nc, sizeof(*tc));
	struct plot_value *v = calloc(nc * nrun, sizeof(*v));
	struct plot_trend pt = { .n_runs = nrun, .n_cases = nc, .labels = labels,
				 .sublabels = sub, .cases = tc };
	bool one_day = true;
	size_t ringed = 0;
	char why[512], more[96];
	int rc = 0;

	if (!order || !labels || !sub || !subbuf || !tc || !v) {
		rc = figure_no_memory();
		goto out;
	}
	for (size_t i = 0; i < nrun; i++)
		order[i] = i;
	sort_runs = a->runs;
	qsort(order, nrun, sizeof(*order), by_started);
	for (size_t i = 0; i < nrun; i++) {
		const char *st = a->runs[order[i]].started, *s0 = a->runs[order[0]].started;

		if (!st || !s0 || strncmp(st, s0, 10))
			one_day = false;
	}
	/*
	 * Under the first run of each stretch of one kernel on one day: the kernel
	 * and the date (the time, when all ran on one day); the runs after it
	 * have a tick without text.
	 */
	for (size_t i = 0; i < nrun; i++) {
		const char *st = a->runs[order[i]].started;

		labels[i] = run_kernel(&a->runs[order[i]]);
		if (st && strlen(st) >= 19)
			snprintf(subbuf[i], sizeof(subbuf[i]), "%.*s", one_day ? 5 : 10,
				 one_day ? st + 11 : st);
		else
			snprintf(subbuf[i], sizeof(subbuf[i]), "?");
		sub[i] = subbuf[i];
	}
	for (size_t i = nrun; i-- > 1; )
		if (!strcmp(labels[i], labels[i - 1]) && (one_day || !strcmp(sub[i], sub[i - 1]))) {
			labels[i] = "";
			sub[i] = "";
		}
	for (size_t c = 0; c < nc; c++) {
		tc[c].name = j->rows.v[c].label;
		tc[c].v = v + c * nrun;
		tc[c].first_regressed = -1;
		for (size_t i = 0; i < nrun; i++)
			run_value(j, &a->runs[order[i]], j->rows.v[c].key, &v[c * nrun + i]);
		if (j->has_base) {
			if (first_regressed(j, &j->rows.v[c], order, &tc[c].first_regressed)) {
				rc = figure_no_memory();
				goto out;
			}
			ringed += tc[c].first_regressed >= 0;
		}
	}
	job_left_out(j, more, sizeof(more));
	job_caption_line(j, "points: each run's median; error bars: its distribution-free 95%% "
			 "interval (within the run)%s", more);
	if (j->has_base)
		job_caption_line(j, "%s regressed by more than %g%% against the baseline %s "
				 "(%zu run%s), each run alone (%s): %zu of %zu cases",
				 ringed ? "ringed: the first run that" : "no run",
				 100 * j->co.threshold, side_kernel(&j->base), j->base.nr_runs,
				 j->base.nr_runs == 1 ? "" : "s", j->exact ? "-icount" :
				 "within-run noise only: a hint, not a verdict", ringed, nc);
	j->frame.ylabel = j->unit;
	if (plot_trend(&j->frame, &pt, why, sizeof(why)))
		rc = figure_failed(why);
out:
	free(order);
	free(labels);
	free(sub);
	free(subbuf);
	free(tc);
	free(v);
	return rc;
}
