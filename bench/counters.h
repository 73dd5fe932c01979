/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per-thread perf counters (libperf) around the pin call of a counting pass
 * (never around a timed one): software and hardware counters where they
 * open, and the mmap_lock:mmap_lock_start_locking tracepoint.  That one
 * counts mmap_lock acquisitions, not slow-path entries: a shared write fault
 * that dirties a shmem or ext4 page drops and retakes the lock, so one
 * slow-path entry can show hundreds of acquisitions.  Entries are counted
 * per kernel call instead (counters_call_begin/end).
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
/*
 * Inside one start..stop of a counting pass, around each single kernel call:
 * a call during which the calling thread began at least one mmap_lock
 * acquisition is one slow-path entry.  Both read the tracepoint counter
 * only (no enable/disable); no-ops when it is unavailable.
 */
void counters_call_begin(struct counters *c);
void counters_call_end(struct counters *c);
/*
 * Per-call totals since counters_reset_totals(): calls bracketed, calls with
 * at least one acquisition.  -1 in both when the tracepoint is unavailable.
 */
void counters_call_totals(const struct counters *c, int64_t *calls, int64_t *entries);
/* mmap_lock:mmap_lock_start_locking count of the last start..stop, or -1. */
int64_t counters_last_mmap_lock(const struct counters *c);
/* Whether the tracepoint counter works; if not, reason in why. */
bool counters_fallback_available(const struct counters *c, char *why, size_t n);
void counters_reset_totals(struct counters *c);
/*
 * Median mmap_lock count of reps empty start..stop windows (should be 0),
 * to subtract from every window; -1 if the tracepoint is unavailable.
 * Leaves the totals untouched.
 */
int64_t counters_baseline_mmap_lock(struct counters *c, int reps);
/*
 * Undo system changes made to reach the tracepoint (a tracefs mount), at
 * exit and from a signal handler: async-signal-safe, idempotent.
 */
void counters_cleanup(void);
struct result_case;

/*
 * Every counter (task-clock, page-faults, instructions:k, instructions:u,
 * cycles:k, cycles:u) into out->counters: totals since the last reset and
 * per_call = total / calls; scaled when it was multiplexed (its total is an
 * estimate), user_only when a software counter opened only with
 * exclude_kernel; unsupported with the errno when it did not open.
 * 0, or -1 out of memory.
 */
int counters_values(const struct counters *c, uint64_t calls, struct result_case *out);
/* Names of the counters that opened / did not, for `gupbench list`. */
json_object *counters_describe(const struct counters *c);

#endif
