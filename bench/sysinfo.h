/* SPDX-License-Identifier: GPL-2.0 */
/* What a result needs to be reproduced and compared: kernel, CPU, topology, mm settings. */
#ifndef SYSINFO_H
#define SYSINFO_H

#include <json-c/json.h>

/*
 * {"kernel": {"release","version","machine"}, "config": {"CONFIG_X": "y"...},
 *  "cpu": {"model","cpus","packages","numa_nodes", ...},
 *  "thp": {"enabled","defrag","shmem_enabled"}, "hugetlb": {"2048kB": {"nr","free"}...},
 *  "accelerator": "bare-metal"|"kvm"|"emulated"|"hypervisor:<name>"|"unknown",
 *  "hostname", "fs" ...}
 */
json_object *sysinfo_collect(void);
/* "bare-metal", "kvm", "emulated" (TCG), ... */
const char *sysinfo_accelerator(void);

#endif
