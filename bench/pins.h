/* SPDX-License-Identifier: GPL-2.0 */
/* Cross-check of pin balance from /proc/vmstat nr_foll_pin_acquired/released. */
#ifndef PINS_H
#define PINS_H

#include <stdbool.h>
#include <stdint.h>

/* Writes /proc/sys/vm/stat_refresh (when allowed) first. 0 or -1 if unavailable. */
int pins_read(uint64_t *acquired, uint64_t *released);
/* Whether the last pins_read() could refresh the counters (root) before reading. */
bool pins_refreshed(void);

#endif
