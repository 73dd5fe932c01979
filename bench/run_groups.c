// SPDX-License-Identifier: GPL-2.0
/* The runs of a side grouped by kernel build, in time order. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "run_groups.h"

static int str_cmp(const char *a, const char *b)
{
	/* unknown sorts last, and equals unknown */
	if (!a || !b)
		return !a && !b ? 0 : a ? -1 : 1;
	return strcmp(a, b);
}

static int by_start(const void *pa, const void *pb)
{
	const struct result *a = *(const struct result *const *)pa;
	const struct result *b = *(const struct result *const *)pb;
	int c = str_cmp(a->started, b->started);

	return c ? c : str_cmp(a->path, b->path);
}

static bool same_kernel(const struct result *r, const struct run_group *g)
{
	return !str_cmp(r->env.kernel_release, g->release) &&
	       !str_cmp(r->env.kernel_version, g->version) &&
	       !str_cmp(r->env.kernel_package, g->package);
}

int run_groups_make(struct side *s, bool per_run, struct run_groups *g)
{
	size_t n = s->nr_runs;
	const struct result **order = calloc(n ? n : 1, sizeof(*order));
	size_t *of = calloc(n ? n : 1, sizeof(*of));
	struct result *runs = calloc(n ? n : 1, sizeof(*runs));
	size_t done = 0;

	g->n = 0;
	g->v = calloc(n ? n : 1, sizeof(*g->v));
	if (!order || !of || !runs || !g->v) {
		free(order);
		free(of);
		free(runs);
		free(g->v);
		g->v = NULL;
		return -1;
	}
	for (size_t i = 0; i < n; i++)
		order[i] = &s->runs[i];
	qsort(order, n, sizeof(*order), by_start);
	for (size_t i = 0; i < n; i++) {
		const struct result *r = order[i];
		size_t k = 0;

		while (!per_run && k < g->n && !same_kernel(r, &g->v[k]))
			k++;
		if (per_run || k == g->n) {
			k = g->n++;
			snprintf(g->v[k].id, sizeof(g->v[k].id), "%c%zu", per_run ? 'r' : 'k', k + 1);
			g->v[k].release = r->env.kernel_release;
			g->v[k].version = r->env.kernel_version;
			g->v[k].package = r->env.kernel_package;
			g->v[k].started = r->started;
		}
		of[i] = k;
	}
	/* the runs of each group together, in time order within it */
	for (size_t k = 0; k < g->n; k++) {
		g->v[k].side.name = g->v[k].id;
		g->v[k].side.runs = runs + done;
		for (size_t i = 0; i < n; i++)
			if (of[i] == k)
				runs[done++] = *order[i];
		g->v[k].side.nr_runs = done - (size_t)(g->v[k].side.runs - runs);
	}
	free(s->runs);
	s->runs = runs;
	s->cap = n ? n : 1;
	free(order);
	free(of);
	return 0;
}

void run_groups_free(struct run_groups *g)
{
	free(g->v);
	g->v = NULL;
	g->n = 0;
}
