// SPDX-License-Identifier: GPL-2.0
/* nr_foll_pin_acquired/released from /proc/vmstat, per-CPU deltas folded in first. */
#include <stdio.h>
#include <string.h>
#include "gupbench.h"
#include "util.h"
#include "pins.h"

static bool refreshed;

bool pins_refreshed(void)
{
	return refreshed;
}

int pins_read(uint64_t *acquired, uint64_t *released)
{
	unsigned long long v;
	char name[64];
	int found = 0;
	FILE *f;

	/*
	 * vmstat counters sit in per-CPU deltas of up to ~125 pages each until
	 * folded; stat_refresh folds them so the deltas of two reads are exact.
	 * Root only: without it the values can drift by the batch size.
	 */
	refreshed = write_file_str("/proc/sys/vm/stat_refresh", "1") == 0;
	f = fopen("/proc/vmstat", "re");
	if (!f)
		return -1;
	while (found != 3 && fscanf(f, "%63s %llu", name, &v) == 2) {
		if (!strcmp(name, "nr_foll_pin_acquired")) {
			*acquired = v;
			found |= 1;
		} else if (!strcmp(name, "nr_foll_pin_released")) {
			*released = v;
			found |= 2;
		}
	}
	fclose(f);
	return found == 3 ? 0 : -1;
}
