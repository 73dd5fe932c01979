// SPDX-License-Identifier: GPL-2.0
/* B against A for one case: median ratio, hierarchical bootstrap, p-value, verdict. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "compare_stats.h"
#include "stats.h"

#define PERM_MAX_EXACT 200000	/* splits enumerated (10 vs 10: 184756); more: Monte-Carlo */
#define MWU_MAX_EXACT 2500	/* nx * ny for the exact U distribution */

void cmp_opts_init(struct cmp_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->threshold = 0.02;
	o->min_runs = 3;
	o->lower_is_better = true;
	o->resamples = 10000;
	o->seed = 0x67757062656e6368ULL;	/* "gupbench" */
	o->level = 0.95;
}

const char *cmp_verdict_name(enum cmp_verdict v)
{
	switch (v) {
	case CMP_NO_CHANGE:
		return "no change";
	case CMP_IMPROVED:
		return "improved";
	case CMP_REGRESSED:
		return "regressed";
	case CMP_INCONCLUSIVE:
		return "inconclusive";
	}
	return "?";
}

/*
 * xoshiro256** seeded through splitmix64 (Vigna's reference algorithms): ours, so that
 * the same seed gives the same numbers whatever the libc.
 */
struct rng {
	uint64_t s[4];
};

static uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static void rng_seed(struct rng *g, uint64_t seed)
{
	for (int i = 0; i < 4; i++)
		g->s[i] = splitmix64(&seed);
}

static uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

static uint64_t rng_next(struct rng *g)
{
	uint64_t *s = g->s, result = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return result;
}

/* Uniform in [0, n): the bias of the multiply-shift is n / 2^64, far below anything here. */
static size_t rng_below(struct rng *g, size_t n)
{
	return (size_t)(((unsigned __int128)rng_next(g) * n) >> 64);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* For the few values of one resample (run medians): qsort's call overhead dominates. */
static void sort_small(double *v, size_t n)
{
	for (size_t i = 1; i < n; i++) {
		double x = v[i];
		size_t j = i;

		for (; j > 0 && v[j - 1] > x; j--)
			v[j] = v[j - 1];
		v[j] = x;
	}
}

/* C(n, k) in double, or INFINITY once above limit. */
static double choose(size_t n, size_t k, double limit)
{
	double c = 1;

	if (k > n - k)
		k = n - k;
	for (size_t i = 1; i <= k; i++) {
		c = c * (double)(n - k + i) / (double)i;
		if (c > limit)
			return INFINITY;
	}
	return round(c);
}

/* One side, ready for the bootstrap: each run's samples sorted, run medians. */
struct side {
	size_t nr, total, max_n;
	double *buf;		/* all samples, run after run, each run sorted */
	size_t *off, *n;	/* run i: buf[off[i]], n[i] samples */
	double *medians;	/* run medians, in run order */
	double median;		/* median of the run medians */
};

static void side_free(struct side *s)
{
	free(s->buf);
	free(s->off);
	free(s->n);
	free(s->medians);
}

static int side_check(const struct cmp_side *in, char which, char *why, size_t len)
{
	if (!in || !in->runs || in->nr_runs == 0) {
		snprintf(why, len, "side %c has no runs", which);
		return -1;
	}
	for (size_t i = 0; i < in->nr_runs; i++) {
		const struct cmp_run *run = &in->runs[i];

		if (!run->v || run->n == 0) {
			snprintf(why, len, "side %c: run %zu has no samples", which, i + 1);
			return -1;
		}
		for (size_t j = 0; j < run->n; j++) {
			if (!isfinite(run->v[j]) || run->v[j] <= 0) {
				snprintf(why, len, "side %c: run %zu: sample %zu is %g, not > 0",
					 which, i + 1, j + 1, run->v[j]);
				return -1;
			}
		}
	}
	return 0;
}

static int side_init(struct side *s, const struct cmp_side *in)
{
	double *tmp;

	memset(s, 0, sizeof(*s));
	s->nr = in->nr_runs;
	for (size_t i = 0; i < s->nr; i++) {
		s->total += in->runs[i].n;
		if (in->runs[i].n > s->max_n)
			s->max_n = in->runs[i].n;
	}
	s->buf = malloc(s->total * sizeof(*s->buf));
	s->off = malloc(s->nr * sizeof(*s->off));
	s->n = malloc(s->nr * sizeof(*s->n));
	s->medians = malloc(s->nr * sizeof(*s->medians));
	tmp = malloc(s->nr * sizeof(*tmp));
	if (!s->buf || !s->off || !s->n || !s->medians || !tmp) {
		free(tmp);
		side_free(s);
		errno = ENOMEM;
		return -1;
	}
	for (size_t i = 0, off = 0; i < s->nr; i++) {
		double *x = s->buf + off;

		s->off[i] = off;
		s->n[i] = in->runs[i].n;
		memcpy(x, in->runs[i].v, s->n[i] * sizeof(*x));
		qsort(x, s->n[i], sizeof(*x), cmp_double);
		s->medians[i] = quantile_sorted(x, s->n[i], 0.5);
		off += s->n[i];
	}
	memcpy(tmp, s->medians, s->nr * sizeof(*tmp));
	qsort(tmp, s->nr, sizeof(*tmp), cmp_double);
	s->median = quantile_sorted(tmp, s->nr, 0.5);
	free(tmp);
	return 0;
}

/*
 * Median of a resample (with replacement) of the sorted x[0..n): count how often each
 * element is drawn and walk the counts to the middle rank(s), in O(n) without sorting.
 * Same interpolation as quantile_sorted(..., 0.5).
 */
static double resampled_median(const double *x, size_t n, unsigned int *count, struct rng *g)
{
	size_t lo = (n - 1) / 2, seen = 0, i;
	double a;

	memset(count, 0, n * sizeof(*count));
	for (size_t k = 0; k < n; k++)
		count[rng_below(g, n)]++;
	for (i = 0; ; i++) {
		seen += count[i];
		if (seen > lo)
			break;
	}
	a = x[i];
	if (n % 2)
		return a;
	while (seen <= lo + 1)
		seen += count[++i];
	return a + 0.5 * (x[i] - a);
}

/* One hierarchical resample of a side: runs with replacement, samples within each run. */
static double resampled_side(const struct side *s, double *meds, unsigned int *count,
			     struct rng *g)
{
	for (size_t j = 0; j < s->nr; j++) {
		size_t r = rng_below(g, s->nr);

		meds[j] = resampled_median(s->buf + s->off[r], s->n[r], count, g);
	}
	sort_small(meds, s->nr);
	return quantile_sorted(meds, s->nr, 0.5);
}

static int bootstrap(const struct side *a, const struct side *b, const struct cmp_opts *o,
		     double *lo, double *hi)
{
	size_t max_n = a->max_n > b->max_n ? a->max_n : b->max_n;
	size_t max_nr = a->nr > b->nr ? a->nr : b->nr;
	double *ratio = malloc(o->resamples * sizeof(*ratio));
	double *meds = malloc(max_nr * sizeof(*meds));
	unsigned int *count = malloc(max_n * sizeof(*count));
	struct rng g;

	if (!ratio || !meds || !count) {
		free(ratio);
		free(meds);
		free(count);
		errno = ENOMEM;
		return -1;
	}
	rng_seed(&g, o->seed);
	for (unsigned int i = 0; i < o->resamples; i++) {
		double ma = resampled_side(a, meds, count, &g);

		ratio[i] = resampled_side(b, meds, count, &g) / ma;
	}
	qsort(ratio, o->resamples, sizeof(*ratio), cmp_double);
	*lo = quantile_sorted(ratio, o->resamples, (1 - o->level) / 2);
	*hi = quantile_sorted(ratio, o->resamples, (1 + o->level) / 2);
	free(ratio);
	free(meds);
	free(count);
	return 0;
}

int cmp_median_interval(const struct cmp_side *in, const struct cmp_opts *o, double *median,
			double *lo, double *hi)
{
	char why[96];
	double *v, *meds;
	unsigned int *count;
	struct side s;
	struct rng g;

	*median = *lo = *hi = NAN;
	if (!o || !(o->level > 0 && o->level < 1) || o->resamples == 0 ||
	    side_check(in, 'A', why, sizeof(why))) {
		errno = EINVAL;
		return -1;
	}
	if (side_init(&s, in))
		return -1;
	v = malloc(o->resamples * sizeof(*v));
	meds = malloc(s.nr * sizeof(*meds));
	count = malloc(s.max_n * sizeof(*count));
	if (!v || !meds || !count) {
		free(v);
		free(meds);
		free(count);
		side_free(&s);
		errno = ENOMEM;
		return -1;
	}
	rng_seed(&g, o->seed);
	for (unsigned int i = 0; i < o->resamples; i++)
		v[i] = resampled_side(&s, meds, count, &g);
	qsort(v, o->resamples, sizeof(*v), cmp_double);
	*median = s.median;
	*lo = quantile_sorted(v, o->resamples, (1 - o->level) / 2);
	*hi = quantile_sorted(v, o->resamples, (1 + o->level) / 2);
	free(v);
	free(meds);
	free(count);
	side_free(&s);
	return 0;
}

struct rank_item {
	double v;
	int from_x;
};

static int cmp_rank_item(const void *a, const void *b)
{
	return cmp_double(&((const struct rank_item *)a)->v, &((const struct rank_item *)b)->v);
}

/*
 * P(U >= u) for the U statistic of samples of sizes m and n without ties: the number of
 * arrangements with each U is the coefficient of a Gaussian binomial, built with
 * c(m, n, u) = c(m - 1, n, u - n) + c(m, n - 1, u) one n at a time (all additions, so
 * no cancellation; the counts stay exact up to 2^53 and keep 16 digits beyond).
 */
static int mwu_exact_sf(size_t m, size_t n, size_t u, double *sf)
{
	size_t w = m * n + 1;
	double *c = calloc((m + 1) * w, sizeof(*c)), total = 0, tail = 0;

	if (!c) {
		errno = ENOMEM;
		return -1;
	}
	/* n = 0: one arrangement, U = 0, for every m. */
	for (size_t i = 0; i <= m; i++)
		c[i * w] = 1;
	for (size_t j = 1; j <= n; j++) {
		/* Row i holds c(i, j - 1, .); row i - 1 already c(i - 1, j, .). */
		for (size_t i = 1; i <= m; i++)
			for (size_t v = i * j; v >= j; v--)
				c[i * w + v] += c[(i - 1) * w + v - j];
	}
	for (size_t v = 0; v < w; v++) {
		total += c[m * w + v];
		if (v >= u)
			tail += c[m * w + v];
	}
	free(c);
	*sf = tail / total;
	return 0;
}

int cmp_mann_whitney(const double *x, size_t nx, const double *y, size_t ny,
		     double *p, double *p_floor, const char **test)
{
	size_t nn = nx + ny;
	struct rank_item *it;
	double r1 = 0, u1, u, tie_term = 0;
	bool ties = false;

	if (!x || !y || nx == 0 || ny == 0) {
		errno = EINVAL;
		return -1;
	}
	it = malloc(nn * sizeof(*it));
	if (!it) {
		errno = ENOMEM;
		return -1;
	}
	for (size_t i = 0; i < nn; i++) {
		it[i].v = i < nx ? x[i] : y[i - nx];
		it[i].from_x = i < nx;
	}
	qsort(it, nn, sizeof(*it), cmp_rank_item);
	/* Midranks: t equal values at 1-based ranks i + 1 .. j all get (i + 1 + j) / 2. */
	for (size_t i = 0, j; i < nn; i = j) {
		double t;

		for (j = i + 1; j < nn && it[j].v == it[i].v; j++)
			;
		t = (double)(j - i);
		if (j - i > 1)
			ties = true;
		tie_term += t * t * t - t;
		for (size_t k = i; k < j; k++)
			if (it[k].from_x)
				r1 += (double)(i + 1 + j) / 2;
	}
	free(it);
	u1 = r1 - (double)nx * (double)(nx + 1) / 2;
	u = fmax(u1, (double)nx * (double)ny - u1);

	if (!ties && nx * ny <= MWU_MAX_EXACT) {
		double sf;

		if (mwu_exact_sf(nx, ny, (size_t)llround(u), &sf))
			return -1;
		*p = fmin(1, 2 * sf);
		if (p_floor)
			*p_floor = fmin(1, 2 / choose(nn, nx, INFINITY));
		if (test)
			*test = "mann-whitney-exact";
		return 0;
	}
	{
		double mu = (double)nx * (double)ny / 2, n = (double)nn;
		double s = sqrt((double)nx * (double)ny / 12 *
				((n + 1) - tie_term / (n * (n - 1))));

		/* Continuity: 0.5 towards the mean; SciPy's sf of the larger U, doubled. */
		*p = s > 0 ? fmin(1, erfc((u - mu - 0.5) / s / M_SQRT2)) : 1;
	}
	if (p_floor)
		*p_floor = 0;
	if (test)
		*test = "mann-whitney-normal";
	return 0;
}

/* mean(z[not chosen]) - mean(z[chosen]): "y minus x" when x is the chosen part. */
static double split_stat(const double *z, size_t nn, const size_t *chosen, size_t k, double total)
{
	double s = 0;

	for (size_t i = 0; i < k; i++)
		s += z[chosen[i]];
	return (total - s) / (double)(nn - k) - s / (double)k;
}

int cmp_permutation(const double *x, size_t nx, const double *y, size_t ny,
		    unsigned int resamples, uint64_t seed, double *p, double *p_floor,
		    const char **test)
{
	size_t nn = nx + ny, *c;
	double *z, total = 0, obs, gamma, splits, n_less = 0, n_greater = 0, n_null;
	bool exact;

	if (!x || !y || nx == 0 || ny == 0 || resamples == 0) {
		errno = EINVAL;
		return -1;
	}
	z = malloc(nn * sizeof(*z));
	c = malloc(nn * sizeof(*c));
	if (!z || !c) {
		free(z);
		free(c);
		errno = ENOMEM;
		return -1;
	}
	memcpy(z, x, nx * sizeof(*z));
	memcpy(z + nx, y, ny * sizeof(*z));
	for (size_t i = 0; i < nn; i++) {
		total += z[i];
		c[i] = i;
	}
	/* The observed split, x chosen, summed the same way as every other split. */
	obs = split_stat(z, nn, c, nx, total);
	/* SciPy's tolerance: splits equal in theory must count as equal despite rounding. */
	gamma = fmax(1e-14, fabs(obs) * 1e-14);
	splits = choose(nn, nx, PERM_MAX_EXACT);
	exact = isfinite(splits);

	if (exact) {
		/* Every combination c[0] < ... < c[nx - 1] of nn, in lexicographic order. */
		for (;;) {
			double t = split_stat(z, nn, c, nx, total);
			size_t i = nx;

			n_less += t <= obs + gamma;
			n_greater += t >= obs - gamma;
			while (i > 0 && c[i - 1] == nn - nx + i - 1)
				i--;
			if (i == 0)
				break;
			c[i - 1]++;
			for (size_t j = i; j < nx; j++)
				c[j] = c[j - 1] + 1;
		}
		n_null = splits;
	} else {
		struct rng g;

		rng_seed(&g, seed);
		for (unsigned int r = 0; r < resamples; r++) {
			double t;

			/* The first nx of a partial Fisher-Yates shuffle: a random split. */
			for (size_t i = 0; i < nx; i++) {
				size_t j = i + rng_below(&g, nn - i), tmp = c[i];

				c[i] = c[j];
				c[j] = tmp;
			}
			t = split_stat(z, nn, c, nx, total);
			n_less += t <= obs + gamma;
			n_greater += t >= obs - gamma;
		}
		/* The observed split counts as one of the null draws (Phipson & Smyth 2010). */
		n_less++;
		n_greater++;
		n_null = (double)resamples + 1;
	}
	*p = fmin(1, 2 * fmin(n_less, n_greater) / n_null);
	if (p_floor)
		*p_floor = fmin(1, 2 / n_null);
	if (test)
		*test = exact ? "permutation-exact" : "permutation-monte-carlo";
	free(z);
	free(c);
	return 0;
}

static void why_runs(struct cmp_result *r, size_t need)
{
	if (r->runs_a == r->runs_b)
		snprintf(r->why, sizeof(r->why), "%zu run%s per side (need %zu)",
			 r->runs_a, r->runs_a == 1 ? "" : "s", need);
	else
		snprintf(r->why, sizeof(r->why), "%zu run%s of A, %zu of B (need %zu per side)",
			 r->runs_a, r->runs_a == 1 ? "" : "s", r->runs_b, need);
}

/* Largest max/min - 1 over the runs of a side: 0 when the samples are deterministic. */
static double spread(const struct side *s)
{
	double lo = INFINITY, hi = 0;

	for (size_t i = 0; i < s->nr; i++) {
		lo = fmin(lo, s->buf[s->off[i]]);
		hi = fmax(hi, s->buf[s->off[i] + s->n[i] - 1]);
	}
	return hi / lo - 1;
}

static void verdict_exact(const struct side *a, const struct side *b, const struct cmp_opts *o,
			  struct cmp_result *r)
{
	double var = fmax(spread(a), spread(b));
	bool slower = r->median_b > r->median_a;

	r->ci_lo = r->ci_hi = r->ratio;
	if (r->median_b == r->median_a)
		r->verdict = CMP_NO_CHANGE;
	else
		r->verdict = slower == o->lower_is_better ? CMP_REGRESSED : CMP_IMPROVED;
	if (var > 0)
		snprintf(r->why, sizeof(r->why), "exact mode, but samples vary by up to %.3g%%",
			 100 * var);
	else
		snprintf(r->why, sizeof(r->why), "exact: %s", r->verdict == CMP_NO_CHANGE ?
			 "identical medians" : "medians differ");
}

/* The test behind p: run medians when both sides have several runs, else the samples. */
static int run_test(const struct side *a, const struct side *b, const struct cmp_opts *o,
		    struct cmp_result *r, double *p_floor)
{
	double *la, *lb;
	int ret;

	if (a->nr < 2 || b->nr < 2)
		return cmp_mann_whitney(a->buf, a->total, b->buf, b->total, &r->p, p_floor,
					&r->test);
	la = malloc(a->nr * sizeof(*la));
	lb = malloc(b->nr * sizeof(*lb));
	if (!la || !lb) {
		free(la);
		free(lb);
		errno = ENOMEM;
		return -1;
	}
	/* Log: changes are ratios; a boot 2x slow and one 2x fast weigh the same. */
	for (size_t i = 0; i < a->nr; i++)
		la[i] = log(a->medians[i]);
	for (size_t i = 0; i < b->nr; i++)
		lb[i] = log(b->medians[i]);
	ret = cmp_permutation(la, a->nr, lb, b->nr, o->resamples, o->seed, &r->p, p_floor,
			      &r->test);
	free(la);
	free(lb);
	return ret;
}

int cmp_case(const struct cmp_side *a, const struct cmp_side *b, const struct cmp_opts *o,
	     struct cmp_result *r)
{
	struct side sa, sb;
	double thr, alpha, p_floor;
	bool beyond_hi, beyond_lo, significant;
	int ret = -1;

	memset(r, 0, sizeof(*r));
	r->ratio = r->ci_lo = r->ci_hi = r->median_a = r->median_b = r->p = NAN;
	r->test = "none";
	r->verdict = CMP_INCONCLUSIVE;
	if (!o || !(o->level > 0 && o->level < 1) || !(o->threshold >= 0) || o->resamples == 0) {
		snprintf(r->why, sizeof(r->why), "bad options");
		errno = EINVAL;
		return -1;
	}
	if (side_check(a, 'A', r->why, sizeof(r->why)) ||
	    side_check(b, 'B', r->why, sizeof(r->why))) {
		errno = EINVAL;
		return -1;
	}
	if (side_init(&sa, a))
		return -1;
	if (side_init(&sb, b)) {
		side_free(&sa);
		return -1;
	}
	r->runs_a = sa.nr;
	r->runs_b = sb.nr;
	r->median_a = sa.median;
	r->median_b = sb.median;
	r->ratio = sb.median / sa.median;

	if (o->exact) {
		verdict_exact(&sa, &sb, o, r);
		ret = 0;
		goto out;
	}
	if (bootstrap(&sa, &sb, o, &r->ci_lo, &r->ci_hi))
		goto out;
	if (!o->single_run && (sa.nr < o->min_runs || sb.nr < o->min_runs)) {
		why_runs(r, o->min_runs);
		ret = 0;
		goto out;
	}
	if (run_test(&sa, &sb, o, r, &p_floor))
		goto out;
	ret = 0;

	thr = o->threshold;
	alpha = 1 - o->level;
	beyond_hi = r->ci_lo > 1 + thr;
	beyond_lo = r->ci_hi < 1 - thr;
	/* The relative slack only absorbs rounding in p, which is a ratio of counts. */
	significant = r->p <= alpha * (1 + 1e-9) || r->p <= p_floor * (1 + 1e-9);
	if (r->ci_lo >= 1 - thr && r->ci_hi <= 1 + thr) {
		r->verdict = CMP_NO_CHANGE;
		snprintf(r->why, sizeof(r->why), "interval within %g%%", 100 * thr);
	} else if ((beyond_hi || beyond_lo) && significant) {
		r->verdict = beyond_hi == o->lower_is_better ? CMP_REGRESSED : CMP_IMPROVED;
		snprintf(r->why, sizeof(r->why), "interval beyond %s%g%%, p = %.2g",
			 beyond_hi ? "+" : "-", 100 * thr, r->p);
	} else if (beyond_hi || beyond_lo) {
		snprintf(r->why, sizeof(r->why), "runs overlap: p = %.2g (need <= %.2g)",
			 r->p, fmax(alpha, p_floor));
	} else {
		snprintf(r->why, sizeof(r->why),
			 "interval [%.3f, %.3f] straddles the %g%% threshold",
			 r->ci_lo, r->ci_hi, 100 * thr);
	}
out:
	side_free(&sa);
	side_free(&sb);
	return ret;
}

/* The draws of cmp_min_detectable(): the same for every shift tried. */
struct mdc {
	const struct cmp_side *pool;
	const struct cmp_opts *o;
	size_t k, *idx;
	unsigned int draws, need;
	struct cmp_run *ra, *rb;
	double **scaled;
};

/* Whether at least need of the draws detect B slowed down by 1 + s; -1 on error. */
static int mdc_detects(struct mdc *m, double s)
{
	enum cmp_verdict want = m->o->lower_is_better ? CMP_REGRESSED : CMP_IMPROVED;
	struct cmp_side a = { m->ra, m->k }, b = { m->rb, m->k };
	unsigned int hits = 0;

	for (unsigned int d = 0; d < m->draws; d++) {
		struct cmp_opts o = *m->o;
		struct cmp_result r;
		struct rng g;

		if (hits >= m->need)
			return 1;
		if (hits + (m->draws - d) < m->need)
			return 0;
		rng_seed(&g, m->o->seed ^ (0x9e3779b97f4a7c15ULL * (d + 1)));
		for (size_t i = 0; i < m->pool->nr_runs; i++)
			m->idx[i] = i;
		for (size_t i = 0; i < 2 * m->k; i++) {
			size_t j = i + rng_below(&g, m->pool->nr_runs - i), tmp = m->idx[i];

			m->idx[i] = m->idx[j];
			m->idx[j] = tmp;
		}
		for (size_t i = 0; i < m->k; i++) {
			const struct cmp_run *src = &m->pool->runs[m->idx[m->k + i]];

			m->ra[i] = m->pool->runs[m->idx[i]];
			for (size_t j = 0; j < src->n; j++)
				m->scaled[i][j] = src->v[j] * (1 + s);
			m->rb[i].v = m->scaled[i];
			m->rb[i].n = src->n;
		}
		o.seed = rng_next(&g);
		if (cmp_case(&a, &b, &o, &r))
			return -1;
		hits += r.verdict == want;
	}
	return hits >= m->need;
}

int cmp_min_detectable(const struct cmp_side *pool, size_t k, const struct cmp_opts *o,
		       unsigned int draws, double power, double *shift)
{
	struct mdc m = { pool, o, k, NULL, draws, 0, NULL, NULL, NULL };
	double lo = 0, hi = 0.01;
	size_t max_n = 0;
	int ret = -1, got;

	if (!pool || !pool->runs || !o || k == 0 || pool->nr_runs < 2 * k || draws == 0 ||
	    !(power > 0 && power <= 1)) {
		errno = EINVAL;
		return -1;
	}
	for (size_t i = 0; i < pool->nr_runs; i++)
		if (pool->runs[i].n > max_n)
			max_n = pool->runs[i].n;
	m.need = (unsigned int)ceil(power * draws - 1e-9);
	m.idx = malloc(pool->nr_runs * sizeof(*m.idx));
	m.ra = malloc(k * sizeof(*m.ra));
	m.rb = malloc(k * sizeof(*m.rb));
	m.scaled = calloc(k, sizeof(*m.scaled));
	if (!m.idx || !m.ra || !m.rb || !m.scaled)
		goto nomem;
	for (size_t i = 0; i < k; i++) {
		m.scaled[i] = malloc((max_n ? max_n : 1) * sizeof(**m.scaled));
		if (!m.scaled[i])
			goto nomem;
	}

	/* Double until detected, then bisect: detection grows with s, up to the noise of draws. */
	while ((got = mdc_detects(&m, hi)) == 0) {
		lo = hi;
		hi *= 2;
		if (hi > 10) {
			*shift = INFINITY;
			ret = 0;
			goto out;
		}
	}
	if (got < 0)
		goto out;
	while (hi - lo > fmax(0.001, 0.02 * hi)) {
		double mid = (lo + hi) / 2;

		got = mdc_detects(&m, mid);
		if (got < 0)
			goto out;
		if (got)
			hi = mid;
		else
			lo = mid;
	}
	*shift = hi;
	ret = 0;
	goto out;
nomem:
	errno = ENOMEM;
out:
	if (m.scaled)
		for (size_t i = 0; i < k; i++)
			free(m.scaled[i]);
	free(m.scaled);
	free(m.idx);
	free(m.ra);
	free(m.rb);
	return ret;
}
