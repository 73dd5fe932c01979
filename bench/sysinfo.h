/* SPDX-License-Identifier: GPL-2.0 */
/* What a result needs to be reproduced and compared: kernel, CPU, topology, mm settings. */
#ifndef SYSINFO_H
#define SYSINFO_H

struct env;

/*
 * The machine into e (zeroed first; env_free() frees it): kernel, config,
 * CPU and topology, memory, THP, hugetlb, sysctls, accelerator, the loaded
 * module's version, the clock, filesystems. Keys as results/README.md lists them.
 */
void sysinfo_collect(struct env *e);
/* "bare-metal", "kvm", "emulated" (TCG), ... */
const char *sysinfo_accelerator(void);

#endif
