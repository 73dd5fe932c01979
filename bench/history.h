/* SPDX-License-Identifier: GPL-2.0 */
/*
 * gupbench history, inside: the runs grouped by kernel in time order, every case of
 * every group compared with the baseline (compare's rows, one set per group), the
 * first group that regressed per case, and the views (history_view.c).
 */
#ifndef HISTORY_H
#define HISTORY_H

#include <stdbool.h>
#include <stddef.h>
#include "compare.h"
#include "run_groups.h"

#define HISTORY_NONE ((size_t)-1)

struct history {
	const struct compare_opts *co;
	struct run_groups groups;
	const struct side *base;	/* the baseline: groups.v[0].side, or --baseline's runs */
	bool base_is_group;
	struct rows rows;		/* the cases: key, label (their res is not used) */
	struct row *cells;		/* group g, case i: cells[g * rows.n + i], against base */
	size_t *first;			/* per case: the first group that regressed, HISTORY_NONE */
	char common[128];		/* what every case shares */
	const char *warnings[WARNINGS_MAX];
	char warn_buf[WARNINGS_MAX][256];
	size_t nr_warnings;
	bool exact;			/* every run under -icount */
	size_t regressed;		/* cases with a first regression */
};

static inline const struct row *history_cell(const struct history *h, size_t g, size_t i)
{
	return &h->cells[g * h->rows.n + i];
}

/* The baseline group's cells are the baseline itself, not a comparison. */
static inline bool history_is_base(const struct history *h, size_t g)
{
	return h->base_is_group && g == 0;
}

/* table (72 columns), markdown, json, csv: of a struct history. */
extern const cli_view history_views[CLI_NR_FORMATS];

#endif
