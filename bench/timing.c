// SPDX-License-Identifier: GPL-2.0
/* Measures once what a clock_gettime pair costs (see timing.h). */
#include <stdlib.h>
#include "gupbench.h"
#include "timing.h"

#define CLOCK_SAMPLES 2001

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

uint64_t clock_read_ns(void)
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
