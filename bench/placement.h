/* SPDX-License-Identifier: GPL-2.0 */
/* CPU and memory-node placement (hwloc, libnuma) and where pages really sit. */
#ifndef PLACEMENT_H
#define PLACEMENT_H

#include <stddef.h>
#include <hwloc.h>

/* Bind the calling thread to logical CPU cpu (hwloc PU os index). 0 or -1 with why. */
int placement_bind_cpu(int cpu, char *why, size_t n);
/*
 * mbind(MPOL_BIND) the range to node before it is touched. 0 or -1 with why.
 * With addr NULL and len 0 it only checks that node exists and may be used.
 */
int placement_bind_mem(void *addr, size_t len, int node, char *why, size_t n);
/*
 * mbind(MPOL_INTERLEAVE) the range over all the nodes this process may allocate on,
 * before it is touched. 0 or -1 with why. With addr NULL and len 0 it only checks NUMA.
 */
int placement_interleave_mem(void *addr, size_t len, char *why, size_t n);
/* "0-1" style list of the nodes this process may allocate on. */
void placement_allowed_nodes(char *buf, size_t n);
/* This machine's topology, loaded once (thread-safe); NULL if hwloc failed. */
hwloc_topology_t placement_topology(void);
struct attrs;

/*
 * Where the range's base pages sit (move_pages), into out: "nodes.<node>"
 * pages, "not_present", "errors", "sampled", "total"; large ranges are
 * sampled evenly. 0, or -1 (no NUMA support, no memory) with out untouched.
 */
int placement_page_nodes(void *addr, size_t len, size_t page_size, struct attrs *out);
/* Number of NUMA nodes / CPUs that could be used. */
int placement_nr_nodes(void);
int placement_current_cpu(void);

#endif
