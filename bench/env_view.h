/* SPDX-License-Identifier: GPL-2.0 */
/*
 * gupbench show --env PATH...: the environment of the runs under PATH, per kernel
 * (run_groups.h): kernel and build, config items, CPU, THP and hugetlb, accelerator,
 * clock, tool. What a report must say about the machine beside its numbers.
 */
#ifndef ENV_VIEW_H
#define ENV_VIEW_H

#include "cli.h"

/* The formats show --env has. */
extern const cli_view env_views[CLI_NR_FORMATS];
/* Load, group and print; the exit status (2: a path that is not a result, 125: none). */
int show_env(enum cli_format fmt, char **paths, int n);

#endif
