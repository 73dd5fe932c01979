// SPDX-License-Identifier: GPL-2.0
/*
 * gupbench compare --detectable K RUNS...: how small a change compare finds,
 * from real runs of ONE configuration. For each case, K runs are drawn for A
 * and K others for B, B's samples slowed by a shift, and compare's verdict
 * taken; the answer is the smallest shift called "regressed" in 80% of the
 * draws (cmp_min_detectable()). It measures the machine's noise as compare
 * sees it, not a formula's idea of it.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "compare.h"
#include "case_key.h"

#define DRAWS 200
#define RESAMPLES 500
#define POWER 0.8

static const double *case_samples(const struct result_case *c, const char *metric, size_t *n)
{
	const struct series *s = !strcmp(metric, "unpin") ? &c->unpin : &c->pin;

	*n = s->present ? s->n : 0;
	if (c->status != CASE_OK || !c->has_run)
		*n = 0;
	return !strcmp(metric, "call") ? s->ns_per_call : s->ns_per_page;
}

int compare_detectable(const struct side *s, const struct compare_opts *co, size_t k)
{
	const struct result *first = &s->runs[0];
	struct cmp_run *pool = calloc(s->nr_runs, sizeof(*pool));
	struct cmp_opts o;
	int printed = 0;

	if (!pool) {
		fprintf(stderr, "gupbench compare: out of memory\n");
		return 1;
	}
	cmp_opts_init(&o);
	o.threshold = co->threshold;
	o.min_runs = co->min_runs;
	o.single_run = co->single_run;
	o.seed = co->seed;
	o.resamples = RESAMPLES;
	printf("gupbench compare: smallest slowdown found in %.0f%% of %d draws of %zu runs\n"
	       "against %zu other runs (95%% level, threshold %g%%), from %zu runs\n\n",
	       POWER * 100, DRAWS, k, k, co->threshold * 100, s->nr_runs);
	printf("%-40s %5s %12s\n", "case", "runs", "detectable");
	for (size_t i = 0; i < first->nr_cases; i++) {
		const struct result_case *c = &first->cases[i];
		char key[256], label[128], k2[256];
		size_t n = 0;
		double shift;

		case_key(c, key, sizeof(key));
		for (size_t r = 0; r < s->nr_runs; r++)
			for (size_t j = 0; j < s->runs[r].nr_cases; j++) {
				case_key(&s->runs[r].cases[j], k2, sizeof(k2));
				if (strcmp(k2, key))
					continue;
				pool[n].v = case_samples(&s->runs[r].cases[j], co->metric, &pool[n].n);
				if (pool[n].v && pool[n].n)
					n++;
				break;
			}
		if (n < 2 * k)
			continue;
		case_label(c, CASE_ALL & ~CASE_THREADS, label, sizeof(label));
		if (cmp_min_detectable(&(struct cmp_side){ pool, n }, k, &o, DRAWS, POWER, &shift)) {
			printf("%-40s %5zu %12s\n", label, n, "error");
			continue;
		}
		if (isinf(shift))
			printf("%-40s %5zu %12s\n", label, n, "> +1000%");
		else
			printf("%-40s %5zu %+11.1f%%\n", label, n, shift * 100);
		printed++;
	}
	free(pool);
	if (!printed) {
		fprintf(stderr, "gupbench compare: no case has %zu runs (twice --detectable)\n", 2 * k);
		return CMP_CANNOT;
	}
	return fflush(stdout) ? 1 : 0;
}
