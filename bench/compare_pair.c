// SPDX-License-Identifier: GPL-2.0
/*
 * gupbench compare --pair AXIS=A:B FILES...: two cases of the same runs, which
 * differ only in one axis (WRITE against WRITE|LONGTERM, anon against shmem,
 * pin_fast against pin). In an interleaved run, sample i of both cases was
 * taken in the same round, moments apart: the ratio of each pair cancels what
 * drifts over the run, so the ratio's samples, not the two cases' separately,
 * go to the statistics (B's pairs against ones: the bootstrap over runs and
 * samples then gives the interval of the paired ratio). A sequential run has
 * no pairs; its two cases are compared as two sides.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "gupbench.h"
#include "compare.h"
#include "case_key.h"
#include "run_case.h"

static const char *const axis_names[] = {
	"driver", "backing", "state", "op", "flags", "pages-per-call",
};
#define NR_AXES (sizeof(axis_names) / sizeof(axis_names[0]))

int pair_parse(const char *arg, struct pair_spec *p)
{
	const char *eq = strchr(arg, '='), *colon;
	size_t i;

	if (!eq)
		return -1;
	for (i = 0; i < NR_AXES; i++)
		if (strlen(axis_names[i]) == (size_t)(eq - arg) &&
		    !strncmp(arg, axis_names[i], eq - arg))
			break;
	colon = strchr(eq + 1, ':');
	if (i == NR_AXES || !colon || colon == eq + 1 || !colon[1] ||
	    (size_t)(colon - eq - 1) >= sizeof(p->a) || strlen(colon + 1) >= sizeof(p->b))
		return -1;
	p->axis = i;
	snprintf(p->a, sizeof(p->a), "%.*s", (int)(colon - eq - 1), eq + 1);
	snprintf(p->b, sizeof(p->b), "%s", colon + 1);
	return 0;
}

const char *pair_axis_name(const struct pair_spec *p)
{
	return axis_names[p->axis];
}

unsigned int pair_axis_part(const struct pair_spec *p)
{
	static const unsigned int part[NR_AXES] = {
		CASE_DRIVER, CASE_BACKING, CASE_STATE, CASE_OP, CASE_FLAGS, CASE_PPC,
	};

	return part[p->axis];
}

/* The case's value on the axis is v: "W|LT" or "WRITE,LONGTERM" for flags, "all" for pages. */
static bool axis_is(const struct result_case *c, const struct pair_spec *p, const char *v)
{
	const char *s[] = { c->driver, c->backing, c->state, c->op };
	unsigned int bits;
	char buf[32];

	switch (p->axis) {
	case 4:
		case_flags_short(c->flags, buf, sizeof(buf));
		return !strcmp(buf, v) || (flags_parse(v, &bits) == 0 && bits == c->flags);
	case 5:
		if (!strcmp(v, "all"))
			return c->pages_per_call == c->pages;
		snprintf(buf, sizeof(buf), "%llu", (unsigned long long)c->pages_per_call);
		return !strcmp(buf, v);
	default:
		return s[p->axis] && !strcmp(s[p->axis], v);
	}
}

/* The case's key with the axis left out: the two cases of a pair share it. */
static void pair_key(const struct result_case *c, const struct pair_spec *p, char *buf,
		     size_t n)
{
	struct result_case k = *c;

	switch (p->axis) {
	case 0: k.driver = NULL; break;
	case 1: k.backing = NULL; break;
	case 2: k.state = NULL; break;
	case 3: k.op = NULL; break;
	case 4: k.flags = 0; break;
	default: k.pages_per_call = 0; break;
	}
	case_key(&k, buf, n);
}

static const struct result_case *find_pair_case(const struct result *r, const struct pair_spec *p,
						const char *key, const char *value)
{
	char k[256];

	for (size_t i = 0; i < r->nr_cases; i++) {
		if (!axis_is(&r->cases[i], p, value))
			continue;
		pair_key(&r->cases[i], p, k, sizeof(k));
		if (!strcmp(k, key))
			return &r->cases[i];
	}
	return NULL;
}

static bool usable(const struct result_case *c, const char *metric, const double **v, size_t *n)
{
	const struct series *s = !strcmp(metric, "unpin") ? &c->unpin : &c->pin;

	*v = !strcmp(metric, "call") ? s->ns_per_call : s->ns_per_page;
	*n = s->present ? s->n : 0;
	return c->status == CASE_OK && c->has_run && *v && *n;
}

/* The rows: one per A case of any run that has the axis value A. */
static int collect(const struct side *s, const struct pair_spec *p, struct rows *rs)
{
	for (size_t i = 0; i < s->nr_runs; i++)
		for (size_t k = 0; k < s->runs[i].nr_cases; k++) {
			const struct result_case *c = &s->runs[i].cases[k];
			char key[256];

			if (!axis_is(c, p, p->a))
				continue;
			pair_key(c, p, key, sizeof(key));
			if (!rows_find(rs, key) && !rows_add(rs, c, key))
				return -1;
		}
	return 0;
}

/* Median of the run medians of one side's runs, for the table's A and B columns. */
static double side_median(const struct cmp_run *runs, size_t n)
{
	double *m = calloc(n ? n : 1, sizeof(*m)), med = NAN;
	struct summary s;

	if (!m)
		return NAN;
	for (size_t i = 0; i < n; i++) {
		m[i] = NAN;
		if (summarize(runs[i].v, runs[i].n, &s) == 0)
			m[i] = s.median;
	}
	if (summarize(m, n, &s) == 0)
		med = s.median;
	free(m);
	return med;
}

/* One row: every run with both cases; paired where the run interleaved them. */
static int pair_row(const struct side *s, const struct pair_spec *p, struct row *r,
		    const struct cmp_opts *o, const char *metric, bool *unpaired)
{
	struct cmp_run *ra = calloc(s->nr_runs + 1, sizeof(*ra));
	struct cmp_run *rb = calloc(s->nr_runs + 1, sizeof(*rb));
	struct cmp_run *ones = calloc(s->nr_runs + 1, sizeof(*ones));
	struct cmp_run *ratios = calloc(s->nr_runs + 1, sizeof(*ratios));
	double **buf = calloc(2 * s->nr_runs + 1, sizeof(*buf));
	size_t n = 0, paired = 0;
	int rc = -1;

	if (!ra || !rb || !ones || !ratios || !buf)
		goto out;
	for (size_t i = 0; i < s->nr_runs; i++) {
		const struct result *run = &s->runs[i];
		const struct result_case *ca = find_pair_case(run, p, r->key, p->a);
		const struct result_case *cb = find_pair_case(run, p, r->key, p->b);
		bool interleaved = run->params.order && !strcmp(run->params.order, "interleaved");

		if (!ca || !cb || !usable(ca, metric, &ra[n].v, &ra[n].n) ||
		    !usable(cb, metric, &rb[n].v, &rb[n].n))
			continue;
		if (interleaved && ra[n].n == rb[n].n) {
			double *q = malloc(ra[n].n * sizeof(*q)), *one = malloc(ra[n].n * sizeof(*one));

			buf[2 * n] = q;
			buf[2 * n + 1] = one;
			if (!q || !one)
				goto out;
			for (size_t k = 0; k < ra[n].n; k++) {
				q[k] = rb[n].v[k] / ra[n].v[k];
				one[k] = 1;
			}
			ratios[n] = (struct cmp_run){ q, ra[n].n };
			ones[n] = (struct cmp_run){ one, ra[n].n };
			paired++;
		}
		n++;
	}
	r->nr_a = r->nr_b = n;
	rc = 0;
	if (!n) {
		snprintf(r->why_buf, sizeof(r->why_buf), "no run has both %s %s and %s",
			 axis_names[p->axis], p->a, p->b);
		r->why_not = r->why_buf;
		goto out;
	}
	if (paired == n) {
		struct cmp_side sa = { ones, n }, sb = { ratios, n };

		r->compared = cmp_case(&sa, &sb, o, &r->res) == 0;
	} else {
		struct cmp_side sa = { ra, n }, sb = { rb, n };

		*unpaired = true;
		r->compared = cmp_case(&sa, &sb, o, &r->res) == 0;
	}
	if (!r->compared) {
		r->why_not = "the samples cannot be compared";
		goto out;
	}
	/* the columns show each case's own median; ratio and interval are the pairs' */
	r->res.median_a = side_median(ra, n);
	r->res.median_b = side_median(rb, n);
out:
	for (size_t i = 0; buf && i < 2 * s->nr_runs; i++)
		free(buf[i]);
	free(buf);
	free(ra);
	free(rb);
	free(ones);
	free(ratios);
	return rc;
}

int pair_rows(const struct side *s, const struct pair_spec *p, const struct compare_opts *co,
	      bool exact, struct rows *rs, bool *unpaired)
{
	struct cmp_opts o;

	cmp_opts_init(&o);
	o.threshold = co->threshold;
	o.min_runs = co->min_runs;
	o.single_run = co->single_run;
	o.exact = exact;
	o.seed = co->seed;
	*unpaired = false;
	if (collect(s, p, rs))
		return -1;
	for (size_t i = 0; i < rs->n; i++)
		if (pair_row(s, p, &rs->v[i], &o, co->metric, unpaired))
			return -1;
	return 0;
}
