/* SPDX-License-Identifier: GPL-2.0 */
/*
 * How side B of one case compares with side A, each side several runs (boots) of timed
 * samples. The statistics, and why:
 *
 * The run is the unit of replication. Back-to-back runs of one case on a shared VM gave
 * medians from 45.6 to 72.5 ns/page while each run's own 95% CI was a few percent wide:
 * what differs between boots (page placement, cache colouring, neighbours) dominates.
 * Pooling all samples as if independent would call that a 50% change. So:
 *
 * - Point estimate: ratio B/A of the median of the run medians of each side. A run's
 *   median is robust to its outliers; the median over runs gives each run one vote, so
 *   a run with more samples does not weigh more, and one odd boot cannot move it far.
 *   (The median of the pooled samples would mix the two levels and, with bimodal runs,
 *   jump between modes.) With one run per side it is that run's median.
 *
 * - Interval: hierarchical percentile bootstrap at opts.level. Each resample draws the
 *   runs of a side with replacement, then the samples of each drawn run with replacement,
 *   and recomputes the median of run medians; the ratio of the two sides' values gives
 *   one bootstrap ratio. Run-to-run spread so drives the width; with one run per side
 *   only the within-run spread is left, which is why that needs --single-run. The
 *   generator is our own (xoshiro256**, seeded by splitmix64 from opts.seed): the same
 *   input and seed give bit-identical output on any machine and libc. Resampling both
 *   levels counts the within-run noise twice (it is in the run medians already): when
 *   boots agree to 0.5-1% the interval comes out 7-13% wider than from run medians
 *   alone (simulated; no difference at 15%), the safe side. With few runs a bootstrap
 *   is a little narrow; the p gate covers that.
 *
 * - p-value, two-sided, H0 "no difference" (result.test names the test used):
 *   with >= 2 runs on each side, a permutation test of the mean log run median between
 *   sides: all C(nA + nB, nA) splits when there are at most 200000 (10 against 10), else
 *   opts.resamples random splits from the same seed. With one run on a side, the
 *   Mann-Whitney U test on the samples (a side's runs together): exact (no ties,
 *   nA * nB <= 2500) or the normal approximation with tie and continuity correction.
 *   Both follow SciPy 1.10 (permutation_test, mannwhitneyu): the two-sided p is
 *   min(1, 2 * the smaller one-sided p).
 *
 * - Verdict. Exact mode (instruction counts): the samples are deterministic, so equal
 *   medians are "no change" and any difference is real; no threshold, interval or run
 *   count applies. Otherwise:
 *     fewer than opts.min_runs runs on a side (and not single_run): inconclusive;
 *     interval within [1 - thr, 1 + thr]: no change (any change is smaller than thr);
 *     interval entirely beyond 1 + thr on the worse side: regressed, beyond 1 - thr on
 *     the better side: improved, if also p <= 1 - level;
 *     anything else: inconclusive, with the reason in why.
 *   The p gate makes a verdict of change need the runs themselves to separate, not only
 *   the bootstrap. Where too few runs make p <= 1 - level impossible (3 against 3: the
 *   smallest two-sided p is 2 / 20 = 0.1), the smallest p the test can give is accepted:
 *   every run of B beyond every run of A, which chance alone does 1 time in 20 for each
 *   direction. From 4 runs per side on, the gate is the plain p <= 1 - level.
 *
 * Samples must be finite and > 0 (ratios of times or counts).
 */
#ifndef COMPARE_STATS_H
#define COMPARE_STATS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct cmp_run {
	const double *v;	/* one run's timed samples of the case */
	size_t n;
};

struct cmp_side {
	const struct cmp_run *runs;
	size_t nr_runs;
};

enum cmp_verdict { CMP_NO_CHANGE, CMP_IMPROVED, CMP_REGRESSED, CMP_INCONCLUSIVE };

struct cmp_opts {
	double threshold;	/* 0.02: a change smaller than 2% is "no change" */
	size_t min_runs;	/* 3: fewer runs on a side -> inconclusive unless single_run */
	bool single_run;	/* allow verdicts with fewer runs (1 per side: its samples) */
	bool exact;		/* deterministic samples (-icount): any difference is real */
	bool lower_is_better;	/* true for ns */
	unsigned int resamples;	/* 10000: bootstrap resamples, Monte-Carlo permutations */
	uint64_t seed;		/* fixed default: output reproducible */
	double level;		/* 0.95 */
};

struct cmp_result {
	double median_a, median_b;	/* median of each side's run medians */
	double ratio;			/* median_b / median_a */
	double ci_lo, ci_hi;		/* bootstrap interval of ratio; = ratio in exact mode */
	double p;			/* two-sided, H0: no difference; NAN if not computed */
	const char *test;		/* the test behind p: see cmp_case() */
	enum cmp_verdict verdict;
	char why[96];			/* short reason, e.g. "1 run per side (need 3)" */
	size_t runs_a, runs_b;
};

/* Defaults: threshold 2%, 3 runs, lower is better, 10000 resamples, level 0.95. */
void cmp_opts_init(struct cmp_opts *o);

/*
 * Compare side b with side a. 0 on success; -1 with errno EINVAL on bad input (a side
 * without runs, a run without samples, a sample not finite and > 0, level not in (0, 1),
 * no resamples) and why saying which, ENOMEM without memory.
 * result.test: "permutation-exact", "permutation-monte-carlo", "mann-whitney-exact",
 * "mann-whitney-normal", or "none" (exact mode, or too few runs without single_run).
 */
int cmp_case(const struct cmp_side *a, const struct cmp_side *b, const struct cmp_opts *o,
	     struct cmp_result *r);

/*
 * One side on its own: the median of its run medians and the percentile interval at
 * o->level of the same hierarchical bootstrap cmp_case() uses (runs, then samples within
 * each run, o->resamples times from o->seed). For error bars of a side's median; the
 * interval of a change is cmp_case()'s. 0, or -1 (EINVAL: as cmp_case(); ENOMEM).
 */
int cmp_median_interval(const struct cmp_side *s, const struct cmp_opts *o, double *median,
			double *lo, double *hi);

/* "no change", "improved", "regressed", "inconclusive". */
const char *cmp_verdict_name(enum cmp_verdict v);

/*
 * The two tests on their own (cmp_case() uses them; tests check them against SciPy).
 * Two-sided p; *p_floor, if not NULL, gets the smallest p the test could give with these
 * sizes (0 for the normal approximation). *test gets the name as in cmp_result.test.
 * Mann-Whitney U of samples x against y; permutation test of mean(y) - mean(x) (the
 * caller passes log run medians), Monte-Carlo with `resamples` splits from `seed` when
 * there are more than 200000 splits. -1 (EINVAL/ENOMEM) on empty input or no memory.
 */
int cmp_mann_whitney(const double *x, size_t nx, const double *y, size_t ny,
		     double *p, double *p_floor, const char **test);
int cmp_permutation(const double *x, size_t nx, const double *y, size_t ny,
		    unsigned int resamples, uint64_t seed, double *p, double *p_floor,
		    const char **test);

/*
 * Minimum detectable change of a comparison of k runs per side, from real runs of ONE
 * configuration (pool, at least 2k runs): the smallest relative slowdown s such that
 * cmp_case(o) says "regressed" (or "improved" if !lower_is_better) in at least `power`
 * (0.8) of `draws` comparisons of k pool runs against k other pool runs whose samples are
 * multiplied by 1 + s. Draws are seeded from o->seed and the same for every s; s is
 * found by doubling from 1% and then bisecting to 0.1% (or 2% of s). It includes the
 * threshold: it is never below o->threshold. *shift = INFINITY when not reached by
 * +1000% (e.g. k below min_runs without single_run). 0 on success, -1 (EINVAL/ENOMEM).
 * Cost: about draws * 15 cmp_case() calls; a few hundred resamples are enough here.
 */
int cmp_min_detectable(const struct cmp_side *pool, size_t k, const struct cmp_opts *o,
		       unsigned int draws, double power, double *shift);

#endif
