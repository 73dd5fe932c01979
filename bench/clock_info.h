/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The clock every timing here reads, and how fine it is. now_ns() (the vDSO's
 * CLOCK_MONOTONIC) and the module's ktime_get_ns() read the same clocksource:
 * on x86 the TSC (sub-ns), on arm64 the generic counter, often 24-25 MHz
 * (41.67 ns a tick; QEMU's virt board 62.5 MHz, ARMv8.6+ 1 GHz). A per-call
 * time near the tick is a count of ticks, not a latency.
 *
 * clock_getres() is no answer: it says 1 ns for every hrtimer clock.
 */
#ifndef CLOCK_INFO_H
#define CLOCK_INFO_H

#include <stdbool.h>
#include <stddef.h>

/* A per-call median below this many ticks is called quantised. */
#define CLOCK_QUANTISED_TICKS 10

/*
 * "system.clock" of a result. Unknown: NULL, and NAN (or 0) for a figure;
 * all of it in a file older than the field.
 */
struct clock_info {
	char *clocksource;		/* clocksource0/current_clocksource: "tsc", "arch_sys_counter" */
	double counter_hz;		/* aarch64: CNTFRQ_EL0; NAN where the architecture does not say */
	double resolution_ns;		/* a tick: 1e9 / counter_hz, else observed */
	/*
	 * "cntfrq_el0": the counter's tick. "observed": the smallest non-zero
	 * step of now_ns() over back-to-back reads, an upper bound (a read's
	 * own cost is in it: ~20 ns for a TSC that ticks well below 1 ns).
	 */
	char *resolution_source;
};

/* This machine's, collected once per run (a few thousand clock reads). */
void clock_info_collect(struct clock_info *c);
void clock_info_free(struct clock_info *c);
/* Either name recorded (a file older than the field has neither). */
bool clock_info_known(const struct clock_info *c);
/*
 * One line for the environment view, "arch_sys_counter, 62.5 MHz counter,
 * per-call resolution 16 ns (CNTFRQ_EL0)"; NULL when nothing is known.
 */
const char *clock_info_text(const struct clock_info *c, char *buf, size_t n);
/*
 * What tells two runs' per-call times apart as not comparable: the
 * clocksource and the counter's frequency where known ("tsc",
 * "arch_sys_counter, 24 MHz counter"). An observed figure is left out: it
 * moves from run to run with the read's cost. NULL when nothing is known.
 */
const char *clock_info_identity(const struct clock_info *c, char *buf, size_t n);
/*
 * A per-call median of ns within CLOCK_QUANTISED_TICKS ticks: only where the
 * tick is known (cntfrq_el0); an observed bound cannot tell a coarse clock
 * from a slow read.
 */
bool clock_quantised(const struct clock_info *c, double per_call_ns);

#endif
