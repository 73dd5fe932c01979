/* SPDX-License-Identifier: GPL-2.0 */
/*
 * System settings a run changes (hugetlb pools, THP modes), put back on every
 * exit, and the flag the signal handler sets so a run stops between samples.
 */
#ifndef SETTINGS_H
#define SETTINGS_H

int setting_write(const char *path, const char *value);	/* saves original first */
void settings_restore(void);			/* async-signal-safe */

/* interrupted by SIGINT/SIGTERM; checked between samples */
extern volatile int stop_requested;

#endif
