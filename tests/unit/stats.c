// SPDX-License-Identifier: GPL-2.0
/* Statistics against hand-computed values: quantiles, median CI ranks, summaries, JSON. */
#include <math.h>
#include <string.h>
#include "tap.h"
#include "stats.h"

static int near(double a, double b)
{
	return fabs(a - b) <= 1e-9 * (fabs(b) > 1 ? fabs(b) : 1);
}

static void check_ranks(size_t n, size_t want_lo, size_t want_hi)
{
	size_t lo, hi;

	median_ci_ranks(n, 0.95, &lo, &hi);
	tap_ok(lo == want_lo && hi == want_hi,
	       "n=%zu: 95%% CI ranks (1-based) %zu..%zu, got %zu..%zu",
	       n, want_lo + 1, want_hi + 1, lo + 1, hi + 1);
}

/*
 * An independent check of every n up to 2000: coverage of the chosen ranks
 * computed with a recurrence in long double (not lgamma) must be >= 95%, and
 * the next narrower symmetric pair must be below 95%.
 */
static void check_ranks_exhaustive(void)
{
	size_t bad = 0, worst = 0;

	for (size_t n = 1; n <= 2000; n++) {
		long double pmf = powl(0.5L, n), cdf = 0, cov, cov_narrower;
		size_t lo, hi, l;

		median_ci_ranks(n, 0.95, &lo, &hi);
		l = lo + 1;
		if (hi != n - l) {
			bad++;
			worst = n;
			continue;
		}
		/* cdf = F(l - 1), the chance of missing on one side; pmf = P(l) */
		for (size_t k = 0; k < l; k++) {
			cdf += pmf;
			pmf = pmf * (n - k) / (k + 1);
		}
		cov = 1 - 2 * cdf;
		cov_narrower = 1 - 2 * (cdf + pmf);
		if (n <= 5) {
			/* Too few samples for 95%: the widest interval. */
			if (lo != 0 || hi != n - 1) {
				bad++;
				worst = n;
			}
			continue;
		}
		if (cov < 0.95L || (2 * l < n && cov_narrower >= 0.95L)) {
			bad++;
			worst = n;
		}
	}
	tap_ok(bad == 0, "CI ranks for n = 1..2000: coverage >= 95%%, narrowest such "
	       "(%zu bad, last n=%zu)", bad, worst);
}

int main(void)
{
	const double four[] = { 4, 1, 3, 2 };
	double v[100], s1 = 7.5;
	struct summary s;
	json_object *j, *ci;
	char buf[64];

	tap_plan(48);

	/* Type 7 on 1, 2, 3, 4: h = 3q, interpolated between neighbours. */
	{
		const double sorted[] = { 1, 2, 3, 4 };

		tap_ok(near(quantile_sorted(sorted, 4, 0.5), 2.5), "q50 of 1..4 = 2.5");
		tap_ok(near(quantile_sorted(sorted, 4, 0.1), 1.3), "q10 of 1..4 = 1.3");
		tap_ok(near(quantile_sorted(sorted, 4, 0.9), 3.7), "q90 of 1..4 = 3.7");
		tap_ok(near(quantile_sorted(sorted, 4, 0.25), 1.75), "q25 of 1..4 = 1.75");
		tap_ok(quantile_sorted(sorted, 4, 0) == 1 && quantile_sorted(sorted, 4, 1) == 4,
		       "q0 = min, q100 = max");
	}

	/* CI ranks from binomial tables (e.g. Conover, Practical Nonparametric Statistics). */
	check_ranks(1, 0, 0);
	check_ranks(5, 0, 4);		/* 93.75%: less than 95% is all five can give */
	check_ranks(6, 0, 5);		/* 96.9% */
	check_ranks(8, 0, 7);		/* (2,7) would be 93.0% */
	check_ranks(9, 1, 7);		/* 96.1% */
	check_ranks(10, 1, 8);		/* 97.9% */
	check_ranks(12, 2, 9);		/* 96.1% */
	check_ranks(20, 5, 14);		/* 95.9% */
	check_ranks(30, 9, 20);
	check_ranks(50, 17, 32);
	check_ranks(100, 39, 60);	/* 96.5% */
	check_ranks(1000, 468, 531);	/* 95.4% */
	check_ranks_exhaustive();
	{
		size_t lo, hi;

		median_ci_ranks(10, 0.99, &lo, &hi);
		tap_ok(lo == 0 && hi == 9, "n=10 at 99%%: ranks 1..10 (99.8%%), got %zu..%zu",
		       lo + 1, hi + 1);
	}

	/* n = 10, values 1..10 shuffled: median 5.5, CI [2, 9]. */
	{
		const double ten[] = { 7, 3, 10, 1, 5, 9, 2, 8, 6, 4 };

		summarize(ten, 10, &s);
		tap_ok(s.n == 10 && near(s.median, 5.5), "n=10 median 5.5");
		tap_ok(s.ci_lo == 2 && s.ci_hi == 9, "n=10 CI [2, 9], got [%g, %g]", s.ci_lo, s.ci_hi);
		tap_ok(near(s.p10, 1.9) && near(s.p90, 9.1), "n=10 p10 1.9 p90 9.1");
		tap_ok(s.min == 1 && s.max == 10, "n=10 min 1 max 10");
		/* sum of squared deviations of 1..10 = 82.5, / 9 */
		tap_ok(near(s.mean, 5.5) && near(s.stddev, sqrt(82.5 / 9)),
		       "n=10 mean 5.5 stddev %.6f", s.stddev);
		tap_ok(ten[0] == 7 && ten[9] == 4, "input not reordered");
	}

	/* n = 20 of 10, 20, ..., 200 reversed: CI is X(6), X(15). */
	{
		double twenty[20];

		for (int i = 0; i < 20; i++)
			twenty[i] = (20 - i) * 10;
		summarize(twenty, 20, &s);
		tap_ok(near(s.median, 105), "n=20 median 105 (even n: mean of X(10), X(11))");
		tap_ok(s.ci_lo == 60 && s.ci_hi == 150, "n=20 CI [60, 150], got [%g, %g]",
		       s.ci_lo, s.ci_hi);
		tap_ok(near(s.p10, 29) && near(s.p90, 181), "n=20 p10 29 p90 181 (h=1.9, 17.1)");
	}

	/* n = 100 of i^2 (skewed on purpose): CI is X(40) = 1600, X(61) = 3721. */
	for (int i = 0; i < 100; i++)
		v[i] = (double)((i * 37) % 100 + 1) * ((i * 37) % 100 + 1);
	summarize(v, 100, &s);
	tap_ok(near(s.median, (50.0 * 50 + 51.0 * 51) / 2), "n=100 median (X(50)+X(51))/2 = 2550.5");
	tap_ok(s.ci_lo == 1600 && s.ci_hi == 3721, "n=100 CI [1600, 3721], got [%g, %g]",
	       s.ci_lo, s.ci_hi);
	tap_ok(s.ci_lo <= s.median && s.median <= s.ci_hi, "n=100 CI holds the median");

	/* n = 1: everything is the one value; stddev undefined. */
	summarize(&s1, 1, &s);
	tap_ok(s.n == 1 && s.median == 7.5 && s.ci_lo == 7.5 && s.ci_hi == 7.5 &&
	       s.p10 == 7.5 && s.p90 == 7.5 && s.min == 7.5 && s.max == 7.5,
	       "n=1: median, CI, percentiles, min, max all 7.5");
	tap_ok(isnan(s.stddev), "n=1: stddev undefined (NaN)");

	/* Even n = 4: median interpolates; CI is [min, max] (too few samples). */
	summarize(four, 4, &s);
	tap_ok(near(s.median, 2.5) && s.ci_lo == 1 && s.ci_hi == 4, "n=4: median 2.5, CI [1, 4]");

	/* Constant samples: zero spread, CI collapses. */
	for (int i = 0; i < 50; i++)
		v[i] = 31.25;
	summarize(v, 50, &s);
	tap_ok(s.median == 31.25 && s.ci_lo == 31.25 && s.ci_hi == 31.25 && s.p10 == 31.25 &&
	       s.stddev == 0, "constant samples: median = CI = p10 = 31.25, stddev 0");

	tap_ok(summarize(v, 0, &s) == -1, "n=0 refused");

	/* JSON: the names and values of summary_to_json. */
	{
		const double ten[] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 };
		const char *txt;

		summarize(ten, 10, &s);
		j = summary_to_json(&s);
		ci = json_object_object_get(j, "ci95");
		tap_ok(json_object_get_double(json_object_object_get(j, "median")) == 5.5,
		       "json median");
		tap_ok(json_object_is_type(ci, json_type_array) && json_object_array_length(ci) == 2 &&
		       json_object_get_double(json_object_array_get_idx(ci, 0)) == 2 &&
		       json_object_get_double(json_object_array_get_idx(ci, 1)) == 9,
		       "json ci95 [2, 9]");
		tap_ok(json_object_get_int(json_object_object_get(j, "n")) == 10, "json n");
		tap_ok(json_object_object_get_ex(j, "p10", NULL) &&
		       json_object_object_get_ex(j, "p90", NULL) &&
		       json_object_object_get_ex(j, "min", NULL) &&
		       json_object_object_get_ex(j, "max", NULL) &&
		       json_object_object_get_ex(j, "mean", NULL) &&
		       json_object_object_get_ex(j, "stddev", NULL), "json has p10 p90 min max mean stddev");
		txt = json_object_to_json_string_ext(j, JSON_C_TO_STRING_PLAIN);
		tap_ok(strstr(txt, "\"median\":5.5") && strstr(txt, "\"min\":1.0"),
		       "json numbers in short form: %s", txt);
		json_object_put(j);

		summarize(&s1, 1, &s);
		j = summary_to_json(&s);
		tap_ok(json_object_object_get_ex(j, "stddev", &ci) && ci == NULL,
		       "json stddev null for n=1");
		json_object_put(j);
	}

	/* Shortest round-trip text. */
	json_double_text(31.3, buf, sizeof(buf));
	tap_ok(!strcmp(buf, "31.3"), "31.3 prints as 31.3 (%s)", buf);
	json_double_text(0.1 + 0.2, buf, sizeof(buf));
	tap_ok(strtod(buf, NULL) == 0.1 + 0.2, "0.1+0.2 reads back exactly (%s)", buf);
	json_double_text(2, buf, sizeof(buf));
	tap_ok(!strcmp(buf, "2.0"), "2 prints as 2.0 (%s)", buf);
	json_double_text(NAN, buf, sizeof(buf));
	tap_ok(!strcmp(buf, "null"), "NaN prints as null");
	j = json_double(INFINITY);
	tap_ok(j == NULL, "json_double(inf) is null");
	j = json_double(1e300);
	tap_ok(j && json_object_get_double(j) == 1e300, "json_double(1e300) %s",
	       json_object_to_json_string(j));
	json_object_put(j);

	return tap_done();
}
