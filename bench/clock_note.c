// SPDX-License-Identifier: GPL-2.0
/* Whether a run's per-call times are quantised by its clock, said once (see clock_note.h). */
#include <stdio.h>
#include "result.h"
#include "clock_note.h"

void quantised_add(struct quantised *q, const struct result *r)
{
	const struct clock_info *clk = &r->env.clock;

	for (size_t i = 0; i < r->nr_cases; i++) {
		const struct result_case *c = &r->cases[i];

		if (c->status != CASE_OK || !c->has_run || !c->pin.present || !c->pin.per_call.n)
			continue;
		if (!clock_quantised(clk, c->pin.per_call.median))
			continue;
		q->cases++;
		if (clk->resolution_ns > q->tick_ns)
			q->tick_ns = clk->resolution_ns;
	}
}

const char *quantised_note(const struct quantised *q, char *buf, size_t n)
{
	if (!q->cases)
		return NULL;
	snprintf(buf, n, "per-call times are quantised: %zu case median%s within %d ticks of a "
		 "%.4g ns counter tick (CNTFRQ_EL0)", q->cases, q->cases == 1 ? "" : "s",
		 CLOCK_QUANTISED_TICKS, q->tick_ns);
	return buf;
}
