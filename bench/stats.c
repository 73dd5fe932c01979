// SPDX-License-Identifier: GPL-2.0
/* Order statistics of a sample set: median, percentiles, distribution-free CI. */
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "stats.h"

double quantile_sorted(const double *v, size_t n, double q)
{
	double h, frac;
	size_t lo;

	if (n == 0)
		return NAN;
	if (q <= 0)
		return v[0];
	if (q >= 1)
		return v[n - 1];
	/* Type 7 (R's and NumPy's default): h = (n - 1) q, interpolate. */
	h = (double)(n - 1) * q;
	lo = (size_t)floor(h);
	frac = h - (double)lo;
	if (lo + 1 >= n)
		return v[n - 1];
	return v[lo] + frac * (v[lo + 1] - v[lo]);
}

/* P(B = k) for B ~ Binomial(n, 1/2), in log space so that large n cannot underflow 2^-n early. */
static double binom_half_pmf(size_t n, size_t k)
{
	return exp(lgamma((double)n + 1) - lgamma((double)k + 1) -
		   lgamma((double)(n - k) + 1) - (double)n * M_LN2);
}

/*
 * Distribution-free CI of the median from order statistics.
 *
 * Let X(1) <= ... <= X(n) be the sorted sample (1-based) and m the true
 * median. The number B of observations below m is Binomial(n, 1/2) whatever
 * the distribution (continuous case), so for the symmetric pair of ranks
 * l and h = n + 1 - l:
 *
 *	P(X(l) <= m <= X(h)) = P(l <= B <= n - l) = 1 - 2 F(l - 1)
 *
 * with F the Binomial(n, 1/2) CDF. We take the largest l (the narrowest
 * interval) with 1 - 2 F(l - 1) >= conf, i.e. F(l - 1) <= (1 - conf) / 2.
 * The coverage is then at least conf (exactly 1 - 2 F(l - 1)); ties in the
 * data only make the closed interval more conservative. Known values for
 * conf = 0.95: n = 6 -> (1, 6); n = 10 -> (2, 9); n = 20 -> (6, 15);
 * n = 100 -> (40, 61). For n <= 5 even (1, n) covers less than 95%
 * (1 - 2^(1-n)), and we return it anyway: the widest interval the data give.
 *
 * Returned ranks are 0-based: lo = l - 1, hi = h - 1.
 */
void median_ci_ranks(size_t n, double conf, size_t *lo, size_t *hi)
{
	double alpha = (1.0 - conf) / 2.0, cdf = 0;
	size_t l = 0;	/* largest 1-based rank found so far, 0 = none */

	if (n == 0) {
		*lo = *hi = 0;
		return;
	}
	/* F(k) for k = 0, 1, ...: l = k + 1 is valid while F(k) <= alpha. */
	for (size_t k = 0; k < (n + 1) / 2; k++) {
		cdf += binom_half_pmf(n, k);
		/* F(k) is a multiple of 2^-n: the slack only absorbs rounding. */
		if (cdf > alpha * (1 + 1e-12))
			break;
		l = k + 1;
	}
	if (l == 0) {
		*lo = 0;
		*hi = n - 1;
		return;
	}
	*lo = l - 1;
	*hi = n - l;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

int summarize(const double *v, size_t n, struct summary *s)
{
	double *w, sum = 0, ss = 0;
	size_t lo, hi;

	memset(s, 0, sizeof(*s));
	if (n == 0)
		return -1;
	w = malloc(n * sizeof(*w));
	if (!w)
		return -1;
	memcpy(w, v, n * sizeof(*w));
	qsort(w, n, sizeof(*w), cmp_double);

	s->n = n;
	s->min = w[0];
	s->max = w[n - 1];
	s->median = quantile_sorted(w, n, 0.5);
	s->p10 = quantile_sorted(w, n, 0.10);
	s->p90 = quantile_sorted(w, n, 0.90);
	median_ci_ranks(n, 0.95, &lo, &hi);
	s->ci_lo = w[lo];
	s->ci_hi = w[hi];

	for (size_t i = 0; i < n; i++)
		sum += w[i];
	s->mean = sum / (double)n;
	/* Two-pass: the one-pass formula loses digits when stddev << mean. */
	for (size_t i = 0; i < n; i++)
		ss += (w[i] - s->mean) * (w[i] - s->mean);
	/* The sample stddev of one value is undefined, not 0: NaN becomes null in JSON. */
	s->stddev = n > 1 ? sqrt(ss / (double)(n - 1)) : NAN;

	free(w);
	return 0;
}

void json_double_text(double d, char *buf, size_t n)
{
	if (!isfinite(d)) {
		snprintf(buf, n, "null");
		return;
	}
	/*
	 * %.15g already drops trailing zeros, so when 15 digits read back
	 * exactly it is the shortest form; otherwise 16 or 17 digits do.
	 */
	for (int prec = 15; prec <= 17; prec++) {
		snprintf(buf, n, "%.*g", prec, d);
		if (strtod(buf, NULL) == d)
			break;
	}
	/* Keep the value a JSON double when read back, not an integer. */
	if (!strpbrk(buf, ".eE") && strlen(buf) + 2 < n)
		strcat(buf, ".0");
}

json_object *json_double(double d)
{
	char buf[40];

	/* Not JSON numbers: null says "no value" instead of writing "NaN". */
	if (!isfinite(d))
		return NULL;
	json_double_text(d, buf, sizeof(buf));
	return json_object_new_double_s(d, buf);
}

json_object *summary_to_json(const struct summary *s)
{
	json_object *o = json_object_new_object(), *ci = json_object_new_array();

	json_object_object_add(o, "median", json_double(s->median));
	json_object_array_add(ci, json_double(s->ci_lo));
	json_object_array_add(ci, json_double(s->ci_hi));
	json_object_object_add(o, "ci95", ci);
	json_object_object_add(o, "p10", json_double(s->p10));
	json_object_object_add(o, "p90", json_double(s->p90));
	json_object_object_add(o, "min", json_double(s->min));
	json_object_object_add(o, "max", json_double(s->max));
	json_object_object_add(o, "mean", json_double(s->mean));
	json_object_object_add(o, "stddev", json_double(s->stddev));
	json_object_object_add(o, "n", json_object_new_int64((int64_t)s->n));
	return o;
}
