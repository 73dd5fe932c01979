/* SPDX-License-Identifier: GPL-2.0 */
/* Measuring one case of the matrix into its JSON object. */
#ifndef RUN_CASE_H
#define RUN_CASE_H

#include <json-c/json.h>
#include "gupbench.h"

struct counters;

/*
 * Run warmup + samples of cs and return the case object (status ok, error
 * or skipped). Never fails: what goes wrong is recorded in the object.
 */
json_object *run_case(const struct case_spec *cs, const struct run_opts *o,
		      struct counters *ctr);
/* A skipped case object with its reason, for cells that cannot run. */
json_object *case_skipped(const struct case_spec *cs, const struct run_opts *o,
			  const char *reason);
/* ["WRITE", "LONGTERM"] */
json_object *flags_to_json(unsigned int flags);
/* "WRITE,LONGTERM" -> bits; "none" -> 0; -1 on an unknown name */
int flags_parse(const char *s, unsigned int *out);

#endif
