// SPDX-License-Identifier: GPL-2.0
/*
 * The rows of a comparison: every case of the runs of two sides, labelled by
 * what tells them apart, and side B's runs of each against side A's
 * (cmp_case). compare makes one such set of rows; history one per kernel.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "compare.h"
#include "case_key.h"

static const struct series *metric_series(const struct result_case *c, const char *metric)
{
	return !strcmp(metric, "unpin") ? &c->unpin : &c->pin;
}

const double *metric_samples(const struct result_case *c, const char *metric, size_t *n)
{
	const struct series *s = metric_series(c, metric);

	*n = s->present ? s->n : 0;
	if (!strcmp(metric, "call"))
		return s->ns_per_call;
	return s->ns_per_page;
}

bool case_usable(const struct result_case *c, const char *metric)
{
	size_t n;
	const double *v;

	if (c->status != CASE_OK || !c->has_run)
		return false;
	v = metric_samples(c, metric, &n);
	return v && n;
}

/* The run's case with this key, or NULL. */
const struct result_case *find_case(const struct result *r, const char *key)
{
	char k[256];

	for (size_t i = 0; i < r->nr_cases; i++) {
		case_key(&r->cases[i], k, sizeof(k));
		if (!strcmp(k, key))
			return &r->cases[i];
	}
	return NULL;
}


struct row *rows_find(struct rows *rs, const char *key)
{
	for (size_t i = 0; i < rs->n; i++)
		if (!strcmp(rs->v[i].key, key))
			return &rs->v[i];
	return NULL;
}

struct row *rows_add(struct rows *rs, const struct result_case *first, const char *key)
{
	struct row *r;

	if (rs->n == rs->cap) {
		size_t cap = rs->cap ? 2 * rs->cap : 32;
		struct row *v = realloc(rs->v, cap * sizeof(*v));

		if (!v)
			return NULL;
		rs->v = v;
		rs->cap = cap;
	}
	r = &rs->v[rs->n++];
	memset(r, 0, sizeof(*r));
	r->first = first;
	snprintf(r->key, sizeof(r->key), "%s", key);
	return r;
}

/* Every key of every run of both sides, in the order first seen (A's first run first). */
int collect_rows(const struct side *a, const struct side *b, struct rows *rs)
{
	const struct side *sides[2] = { a, b };

	for (int s = 0; s < 2; s++)
		for (size_t i = 0; i < sides[s]->nr_runs; i++)
			for (size_t k = 0; k < sides[s]->runs[i].nr_cases; k++) {
				const struct result_case *c = &sides[s]->runs[i].cases[k];
				char key[256];

				case_key(c, key, sizeof(key));
				if (!rows_find(rs, key) && !rows_add(rs, c, key))
					return -1;
			}
	return 0;
}

/* Rows say only what tells them apart; what all share is said once (report.common). */
int label_rows(struct rows *rs, unsigned int omit, char *common, size_t n)
{
	const struct result_case **cs = calloc(rs->n ? rs->n : 1, sizeof(*cs));
	unsigned int parts;

	if (!cs)
		return -1;
	for (size_t i = 0; i < rs->n; i++)
		cs[i] = rs->v[i].first;
	parts = case_parts_differing(cs, rs->n);
	free(cs);
	if (!(parts & ~omit))
		parts |= (CASE_DRIVER | CASE_BACKING | CASE_STATE) & ~omit;
	parts &= ~omit;
	for (size_t i = 0; i < rs->n; i++)
		case_label(rs->v[i].first, parts, rs->v[i].label, sizeof(rs->v[i].label));
	if (rs->n)
		case_label(rs->v[0].first, CASE_ALL & ~parts & ~omit, common, n);
	return 0;
}

/* The runs of one side holding the row's case, usable for metric. */
int side_runs(const struct side *s, const struct row *r, const char *metric,
		     struct cmp_run **out, size_t *n)
{
	struct cmp_run *v = calloc(s->nr_runs ? s->nr_runs : 1, sizeof(*v));

	if (!v)
		return -1;
	*n = 0;
	for (size_t i = 0; i < s->nr_runs; i++) {
		const struct result_case *c = find_case(&s->runs[i], r->key);

		if (c && case_usable(c, metric)) {
			v[*n].v = metric_samples(c, metric, &v[*n].n);
			(*n)++;
		}
	}
	*out = v;
	return 0;
}

/* Why a side has no usable run of the row's case: "not in B", "B: error EFAULT". */
static void side_absence(const struct side *s, const struct row *r, const char *metric,
			 char *buf, size_t n)
{
	const struct result_case *seen = NULL;

	buf[0] = '\0';
	for (size_t i = 0; i < s->nr_runs; i++) {
		const struct result_case *c = find_case(&s->runs[i], r->key);

		if (c && case_usable(c, metric))
			return;
		if (c && !seen)
			seen = c;
	}
	if (!seen)
		snprintf(buf, n, "not in %s", s->name);
	else if (seen->status == CASE_ERROR)
		snprintf(buf, n, "%s: error %s", s->name, seen->err_name ? seen->err_name : "");
	else if (seen->status == CASE_SKIPPED)
		snprintf(buf, n, "%s: skipped", s->name);
	else
		snprintf(buf, n, "%s: no %s samples", s->name, metric);
}

int compare_rows(const struct side *a, const struct side *b, struct rows *rs,
			const struct compare_opts *co, bool exact)
{
	struct cmp_opts o;

	cmp_opts_init(&o);
	o.threshold = co->threshold;
	o.min_runs = co->min_runs;
	o.single_run = co->single_run;
	o.exact = exact;
	o.seed = co->seed;

	for (size_t i = 0; i < rs->n; i++) {
		struct row *r = &rs->v[i];
		struct cmp_run *ra, *rb;
		struct cmp_side sa, sb;

		if (side_runs(a, r, co->metric, &ra, &r->nr_a) ||
		    side_runs(b, r, co->metric, &rb, &r->nr_b))
			return -1;
		if (r->nr_a && r->nr_b) {
			sa = (struct cmp_side){ ra, r->nr_a };
			sb = (struct cmp_side){ rb, r->nr_b };
			r->compared = cmp_case(&sa, &sb, &o, &r->res) == 0;
			if (!r->compared)
				r->why_not = "the samples cannot be compared";
		} else {
			side_absence(a, r, co->metric, r->absent_a, sizeof(r->absent_a));
			side_absence(b, r, co->metric, r->absent_b, sizeof(r->absent_b));
			snprintf(r->why_buf, sizeof(r->why_buf), "%s%s%s", r->absent_a,
				 *r->absent_a && *r->absent_b ? "; " : "", r->absent_b);
			r->why_not = r->why_buf;
		}
		free(ra);
		free(rb);
	}
	return 0;
}
