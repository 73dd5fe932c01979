// SPDX-License-Identifier: GPL-2.0
/* The clock the timings read and its resolution (see clock_info.h). */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "util.h"
#include "clock_info.h"

#define CLOCKSOURCE_PATH "/sys/devices/system/clocksource/clocksource0/current_clocksource"
#define STEP_READS 4000

/* The counter's frequency where the architecture tells it, else NAN. */
static double counter_hz(void)
{
#ifdef __aarch64__
	uint64_t hz;

	/* EL0 may read it wherever it may read the counter, as the vDSO does; firmware sets it. */
	asm volatile("mrs %0, cntfrq_el0" : "=r"(hz));
	return hz ? (double)hz : NAN;
#else
	return NAN;
#endif
}

/*
 * The smallest non-zero step between back-to-back now_ns() reads; NAN when the
 * clock did not move over them all (a clock coarser than their span).
 */
static double observed_step_ns(void)
{
	uint64_t prev, t, step = UINT64_MAX;

	/* Let the vDSO page and the clock source data be hot first. */
	for (int i = 0; i < 100; i++)
		(void)now_ns();
	prev = now_ns();
	for (int i = 0; i < STEP_READS; i++) {
		t = now_ns();
		if (t != prev && t - prev < step)
			step = t - prev;
		prev = t;
	}
	return step == UINT64_MAX ? NAN : (double)step;
}

void clock_info_collect(struct clock_info *c)
{
	char buf[128];

	memset(c, 0, sizeof(*c));
	c->clocksource = read_file_str(CLOCKSOURCE_PATH, buf, sizeof(buf)) ? NULL : strdup(buf);
	c->counter_hz = counter_hz();
	if (c->counter_hz > 0) {
		c->resolution_ns = 1e9 / c->counter_hz;
		c->resolution_source = strdup("cntfrq_el0");
		return;
	}
	c->resolution_ns = observed_step_ns();
	c->resolution_source = isfinite(c->resolution_ns) ? strdup("observed") : NULL;
}

void clock_info_free(struct clock_info *c)
{
	free(c->clocksource);
	free(c->resolution_source);
	c->clocksource = c->resolution_source = NULL;
	c->counter_hz = c->resolution_ns = NAN;
}

bool clock_info_known(const struct clock_info *c)
{
	return c->clocksource || c->resolution_source;
}

static bool source_is(const struct clock_info *c, const char *name)
{
	return c->resolution_source && !strcmp(c->resolution_source, name);
}

/* "24 MHz", "62.5 MHz", "1 GHz" */
static void hz_text(double hz, char *buf, size_t n)
{
	if (hz >= 1e9)
		snprintf(buf, n, "%.4g GHz", hz / 1e9);
	else
		snprintf(buf, n, "%.4g MHz", hz / 1e6);
}

const char *clock_info_identity(const struct clock_info *c, char *buf, size_t n)
{
	char hz[32];

	if (!clock_info_known(c))
		return NULL;
	snprintf(buf, n, "%s", c->clocksource ? c->clocksource : "?");
	if (c->counter_hz > 0) {
		hz_text(c->counter_hz, hz, sizeof(hz));
		snprintf(buf + strlen(buf), n - strlen(buf), ", %s counter", hz);
	}
	return buf;
}

const char *clock_info_text(const struct clock_info *c, char *buf, size_t n)
{
	size_t used;

	if (!clock_info_identity(c, buf, n))
		return NULL;
	used = strlen(buf);
	if (!(c->resolution_ns > 0))
		snprintf(buf + used, n - used, ", per-call resolution unknown");
	else if (source_is(c, "cntfrq_el0"))
		snprintf(buf + used, n - used, ", per-call resolution %.4g ns (CNTFRQ_EL0)",
			 c->resolution_ns);
	else if (source_is(c, "observed"))
		snprintf(buf + used, n - used, ", per-call resolution <= %.4g ns (observed)",
			 c->resolution_ns);
	else
		snprintf(buf + used, n - used, ", per-call resolution %.4g ns (%s)",
			 c->resolution_ns, c->resolution_source ? c->resolution_source : "?");
	return buf;
}

bool clock_quantised(const struct clock_info *c, double per_call_ns)
{
	return source_is(c, "cntfrq_el0") && c->resolution_ns > 0 &&
	       isfinite(per_call_ns) && per_call_ns < CLOCK_QUANTISED_TICKS * c->resolution_ns;
}
