/* SPDX-License-Identifier: GPL-2.0 */
/* Measuring one case of the matrix into the result model. */
#ifndef RUN_CASE_H
#define RUN_CASE_H

#include "gupbench.h"
#include "result.h"

struct counters;

/*
 * What the counting pass saw: the ops it ran are untimed, and no counter or
 * probe is ever armed during the timing pass.
 */
struct fallback {
	int ops;		/* counting-pass ops run */
	uint64_t calls;		/* kernel GUP calls they made */
	uint64_t pages;		/* pages those calls asked for */
	int64_t call_n;		/* calls bracketed one by one (-1: tracepoint unavailable) */
	int64_t entries;	/* of those, calls with an mmap_lock acquisition */
	int64_t acquisitions;	/* mmap_lock acquisitions over whole ops, baseline off */
	int64_t baseline;	/* acquisitions of an empty window (-1: unavailable) */
	bool tp_ok;
	uint64_t kp_calls, kp_pages;	/* counted by the driver (kmod probe) */
	bool kp_ok;
};

/* A case between its rounds: what its timed samples added up to so far. */
struct case_run {
	const struct case_spec *cs;
	struct result_case *c;
	bool done;			/* skipped or failed: no more rounds */
	bool counted;			/* the counting pass ran (first round) */
	int rounds;			/* rounds run so far */
	struct fallback fb;
	int errors, first_err;
	uint64_t clock_ns, calls_timed, pages_timed, done_timed, pages_per_call;
	bool clock_subtracted, disturb_known;
	int probe_armed;
	uint64_t calls_switched, calls_migrated;
	double *calls;			/* single-call times, when the driver has them */
	size_t nr_calls, calls_cap;
	bool pins_ok;
	uint64_t acquired, released;	/* pins over the case's rounds */
	uint64_t ops_timed;		/* timed ops: samples x threads */
	uint64_t *team_done;		/* per thread: pages its timed ops pinned */
};

/*
 * A case in rounds (gupbench run interleaves the rounds of all cases):
 * begin, then rounds of up to nr timed samples each until c->samples are
 * taken, then end. fill puts the samples so far into the case (for a file
 * rewritten between rounds). The case records whatever goes wrong.
 */
int case_run_begin(struct case_run *cr, const struct case_spec *cs, const struct run_opts *o,
		   struct result_case *c);
void case_run_round(struct case_run *cr, const struct run_opts *o, struct counters *ctr,
		    int nr);
void case_run_fill(struct case_run *cr);
void case_run_end(struct case_run *cr);

/*
 * All of cs in one round (--order sequential) into out, a case fresh from
 * result_add_case() (status ok, error or skipped).
 */
void run_case(const struct case_spec *cs, const struct run_opts *o, struct counters *ctr,
	      struct result_case *out);
/* A skipped case with its reason, for cells that cannot run. */
void case_skipped(const struct case_spec *cs, const struct run_opts *o, const char *reason,
		  struct result_case *out);
/* "WRITE,LONGTERM" -> bits; "none" -> 0; -1 on an unknown name */
int flags_parse(const char *s, unsigned int *out);

/* --- shared by run_case.c and run_team.c --- */

/* The first status set is the one kept. */
void case_set_status(struct result_case *c, enum case_status status, int err,
		     const char *reason);
/* Room for samples samples; one op's time per page and per call added. */
int series_alloc(struct series *s, int samples);
void series_add(struct series *s, const struct op_result *r);
/*
 * A counting pass: its empty-window baseline taken and the counters' totals
 * reset; then each op's result and its mmap_lock count (tp) added up.
 */
void fallback_start(struct fallback *fb, struct counters *ctr);
void fallback_add(struct fallback *fb, const struct op_result *rp, int64_t tp);
/* A timed op into the case's totals (calls, pages, errors, disturbances). */
void case_add_op(struct case_run *cr, const struct op_result *rp);
/* The counting pass's findings (cr->fb, counters of ctr) into the case. */
void case_keep_counts(struct case_run *cr, struct counters *ctr);

/* run_team.c: a case whose threads are workers of their own. */
int team_alloc(struct case_run *cr, const struct run_opts *o);
void team_round(struct case_run *cr, const struct run_opts *o, int nr);
void team_fill(struct case_run *cr);
/*
 * Every team case's scaling efficiency: its throughput over threads times
 * the throughput of the same case at 1 thread in r, where r has that one.
 */
void team_scaling(struct result *r);

#endif
