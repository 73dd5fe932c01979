/* SPDX-License-Identifier: GPL-2.0 */
/* Measuring one case of the matrix into the result model. */
#ifndef RUN_CASE_H
#define RUN_CASE_H

#include "gupbench.h"
#include "result.h"

struct counters;

/*
 * Run warmup + samples of cs into out, a case fresh from result_add_case()
 * (status ok, error or skipped). Never fails: what goes wrong is recorded
 * in the case.
 */
void run_case(const struct case_spec *cs, const struct run_opts *o, struct counters *ctr,
	      struct result_case *out);
/* A skipped case with its reason, for cells that cannot run. */
void case_skipped(const struct case_spec *cs, const struct run_opts *o, const char *reason,
		  struct result_case *out);
/* "WRITE,LONGTERM" -> bits; "none" -> 0; -1 on an unknown name */
int flags_parse(const char *s, unsigned int *out);

#endif
