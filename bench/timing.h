/* SPDX-License-Identifier: GPL-2.0 */
/* Cost of the clock reads that bracket a timed region, for the overhead check. */
#ifndef TIMING_H
#define TIMING_H

#include <stdint.h>

/*
 * Median of t1 - t0 over back-to-back now_ns() pairs: what one clock pair
 * adds to a timed region.  Measured on the first call, cached after that
 * (call it once at startup so the measurement is not taken mid-run).
 * Every driver pin/unpin here brackets its kernel calls with exactly one
 * pair, so the clock overhead of an op is clock_read_ns() / op_result.ns.
 */
uint64_t clock_read_ns(void);

#endif
