/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per-thread perf counters (libperf) around the pin call: software and
 * hardware counters where they open, and the mmap_lock tracepoint that
 * tells a call went to the GUP slow path.
 */
#ifndef COUNTERS_H
#define COUNTERS_H

#include <stdbool.h>
#include <stdint.h>
#include <json-c/json.h>

struct counters;

/* Open every counter that opens for the calling thread. Never fails hard. */
struct counters *counters_open(void);
void counters_close(struct counters *c);
/* Enable / disable around one pin; stop() reads and adds to the totals. */
void counters_start(struct counters *c);
void counters_stop(struct counters *c);
/* mmap_lock:mmap_lock_start_locking count of the last start..stop, or -1. */
int64_t counters_last_mmap_lock(const struct counters *c);
/* Whether the tracepoint counter works; if not, reason in why. */
bool counters_fallback_available(const struct counters *c, char *why, size_t n);
void counters_reset_totals(struct counters *c);
/*
 * {"task-clock": {"per_call": x} | "unsupported", "page-faults": ...,
 *  "instructions:k": ..., "instructions:u": ..., "cycles:k": ..., "cycles:u": ...}
 * Totals since the last reset divided by calls.
 */
json_object *counters_to_json(const struct counters *c, uint64_t calls);
/* Names of the counters that opened / did not, for `gupbench list`. */
json_object *counters_describe(const struct counters *c);

#endif
