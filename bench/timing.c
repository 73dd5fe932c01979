// SPDX-License-Identifier: GPL-2.0
/* What a clock_gettime pair costs, and how long a batch must be to hide it (see timing.h). */
#include <stdlib.h>
#include "gupbench.h"
#include "util.h"
#include "timing.h"

#define CLOCK_SAMPLES 2001
/* A batch's clock pair at 0.5% of it (the rule is 1%). */
#define OVERHEAD_DIV	200
/* Estimate a call's cost over this many calls, best of a few tries. */
#define EST_CALLS	64
#define EST_TRIES	7

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

uint64_t clock_pair_cost_ns(void)
{
	static uint64_t cached;
	static uint64_t v[CLOCK_SAMPLES];

	if (cached)
		return cached;
	/* Let the vDSO page and the clock source data be hot first. */
	for (int i = 0; i < 100; i++)
		(void)now_ns();
	for (int i = 0; i < CLOCK_SAMPLES; i++) {
		uint64_t t0 = now_ns();

		v[i] = now_ns() - t0;
	}
	qsort(v, CLOCK_SAMPLES, sizeof(v[0]), cmp_u64);
	/* A 0 median (coarse clock) would read as "not measured": keep 1. */
	cached = v[CLOCK_SAMPLES / 2] ? v[CLOCK_SAMPLES / 2] : 1;
	return cached;
}

uint64_t batch_min_calls(long (*call)(void *arg), void *arg)
{
	uint64_t best = ~0ull, per_call, clk = clock_pair_cost_ns();

	for (int t = 0; t < EST_TRIES; t++) {
		uint64_t t0 = now_ns(), t1;

		for (int i = 0; i < EST_CALLS; i++)
			call(arg);
		t1 = now_ns();
		if (t1 - t0 < best)
			best = t1 - t0;
	}
	/* Best case is the cheapest call: sizing from it errs on the safe side. */
	per_call = best / EST_CALLS ? best / EST_CALLS : 1;
	return (OVERHEAD_DIV * clk + per_call - 1) / per_call;
}
