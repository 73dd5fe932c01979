/* SPDX-License-Identifier: GPL-2.0 */
/* Cost of the clock reads that bracket a timed region, and batches that keep it small. */
#ifndef TIMING_H
#define TIMING_H

#include <stdint.h>

/*
 * Median of t1 - t0 over back-to-back now_ns() pairs: what one clock pair
 * adds to a timed region.  Measured on the first call, cached after that
 * (call it once at startup so the measurement is not taken mid-run).
 * Every driver pin/unpin here brackets its kernel calls with exactly one
 * pair, so the clock overhead of an op is clock_pair_cost_ns() / op_result.ns.
 */
uint64_t clock_pair_cost_ns(void);

/*
 * A driver that makes one short syscall per page cannot time each call (a
 * call is ~1 us, a clock pair tens of ns): it times a batch with one pair.
 * The calls a batch needs so that the pair stays below 1% of it (sized for
 * 0.5%: the estimate and the calls vary), from the best of a few timed runs
 * of call(arg); arg must be memory of the caller's own, not a case's buffer
 * (touching that would fault a cold one in).
 */
uint64_t batch_min_calls(long (*call)(void *arg), void *arg);

#endif
