/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The runs of a side grouped by the kernel they ran on, in time order: what history
 * trends and show --env describes. A kernel is its build, not only its release: two
 * builds of one release (another kernel.version or kernel.package) are two groups.
 * Runs of one group are replicates; groups come in the order of their first run.
 */
#ifndef RUN_GROUPS_H
#define RUN_GROUPS_H

#include <stdbool.h>
#include <stddef.h>
#include "compare.h"

struct run_group {
	char id[16];			/* "k1", "k2", ... ("r1" per run) */
	const char *release, *version, *package;	/* of its runs; NULL unknown */
	const char *started;		/* of its first run */
	struct side side;		/* its runs: a view into the grouped side, not owned */
};

struct run_groups {
	struct run_group *v;
	size_t n;
};

/*
 * Group the runs of s (per_run: each run alone). Reorders s->runs so that a group's
 * runs follow each other, by `started` (then path); s must outlive the groups.
 * 0, or -1 without memory.
 */
int run_groups_make(struct side *s, bool per_run, struct run_groups *g);
void run_groups_free(struct run_groups *g);

#endif
