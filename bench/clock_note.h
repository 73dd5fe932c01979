/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one note a view prints when per-call times sit within a few ticks of the
 * clock (clock_info.h): those figures are counts of ticks, quantised.
 */
#ifndef CLOCK_NOTE_H
#define CLOCK_NOTE_H

#include <stddef.h>

struct result;

struct quantised {
	size_t cases;			/* ok cases (of every run added) whose pin per-call
					   median is quantised */
	double tick_ns;			/* the coarsest tick among them */
};

/* Count r's quantised cases into q (zeroed by the caller; add run after run). */
void quantised_add(struct quantised *q, const struct result *r);
/* The note ("per-call times are quantised: 2 case medians within ..."); NULL: none. */
const char *quantised_note(const struct quantised *q, char *buf, size_t n);

#endif
