/* SPDX-License-Identifier: GPL-2.0 */
/* Order statistics of a sample set: median, percentiles, distribution-free CI. */
#ifndef STATS_H
#define STATS_H

#include <stddef.h>
#include <json-c/json.h>

struct summary {
	size_t n;
	double median;
	double ci_lo, ci_hi;	/* 95% CI of the median (binomial order statistics) */
	double p10, p90;
	double min, max;
	double mean, stddev;
};

/* Linear-interpolated quantile (Hyndman-Fan type 7) of a sorted array, 0 <= q <= 1. */
double quantile_sorted(const double *v, size_t n, double q);
/*
 * Ranks (0-based, inclusive) of the order statistics that bound a
 * distribution-free confidence interval of the median at level conf.
 * For n too small to reach conf, returns the widest interval [0, n-1].
 */
void median_ci_ranks(size_t n, double conf, size_t *lo, size_t *hi);
/* Fill s from v (not modified). 0 on success, -1 if n == 0. */
int summarize(const double *v, size_t n, struct summary *s);
/*
 * {"median":..,"ci95":[lo,hi],"p10":..,"p90":..,"min":..,"max":..,
 *  "mean":..,"stddev":..,"n":..}; a value that is not finite is null.
 */
json_object *summary_to_json(const struct summary *s);
/*
 * A JSON number that prints in the shortest text reading back to the same
 * double (31.3, not 31.300000000000001); NULL (JSON null) for NaN or inf.
 */
json_object *json_double(double d);
/* That text into buf: "null" for NaN or inf. */
void json_double_text(double d, char *buf, size_t n);

#endif
