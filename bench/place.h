/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Thread and memory placement policies (--place, --mem), resolved on an hwloc topology.
 *
 * CPUs are OS indexes (what sched_getcpu() and taskset use), nodes are NUMA node OS
 * indexes, packages are physical package ids (hwloc P#, lscpu's SOCKET). Only CPUs and
 * nodes the process may use (cgroup cpuset, affinity at start) count.
 *
 * A policy is an order of distinct allowed CPUs; thread i gets the i-th. No two threads
 * ever share a CPU: more threads than the policy has CPUs is refused.
 *
 *   compact    One thread per core, the cores of package 0 in order, then package 1's...
 *              When every core has a thread, it wraps onto the second hardware thread of
 *              each core in the same order, then the third...
 *   smt        Every hardware thread of a core before the next core (cores in compact
 *              order). Without SMT this is compact.
 *   scatter    Round-robin over packages, so threads i and i+1 are on different packages;
 *              inside a package, round-robin over its NUMA nodes when it has several, then
 *              the cores of each node in order. One thread per core, then wraps onto the
 *              second hardware threads in the same order, like compact.
 *   package:N  The cores of package N in compact order (wrapping onto siblings likewise).
 *   node:N     The CPUs whose nearest NUMA node is N (a CPU-less node has none), in
 *              compact order (wrapping onto siblings likewise).
 *   list:CPUS  Exactly these OS indexes ("0,2,4-7"), in this order; each must be allowed
 *              and appear once. Fewer threads use the first ones (so one list serves a
 *              sweep of thread counts); more threads than the list holds is refused.
 *   none       Threads are not bound (cpus[i] = -1).
 *
 * The node of a buffer (mem_resolve), for a thread on a CPU:
 *   local       the CPU's nearest NUMA node (place_cpu_node).
 *   remote      another node with memory: the nearest by the hwloc (ACPI SLIT) latency
 *               matrix, ties and no matrix: the next node by OS index after the CPU's own,
 *               wrapping round. Needs 2 nodes with memory.
 *   interleave  MPOL_INTERLEAVE over all allowed nodes with memory (MEM_NODE_INTERLEAVE).
 *   node:N      node N, whatever the CPU.
 *   none        no binding: first touch, the kernel's default (-1).
 * local and remote need a bound thread (cpu >= 0): an unbound thread can move to another
 * node after its buffer is placed, so they are refused with cpu -1.
 */
#ifndef PLACE_H
#define PLACE_H

#include <stddef.h>
#include <hwloc.h>

enum place_kind { PLACE_NONE, PLACE_COMPACT, PLACE_SCATTER, PLACE_SMT, PLACE_PACKAGE, PLACE_NODE,
		  PLACE_LIST };

/*
 * arg: N of package:N and node:N, the number of CPUs list: names; list: the text after
 * "list:"; text: the policy as it is recorded ("package:1", "list:0,2-3").
 */
struct place_spec {
	enum place_kind kind;
	int arg;
	char list[256];
	char text[300];
};

/* "compact", "scatter", "smt", "package:N", "node:N", "list:0,2-3", "none". 0 or -1 with why */
int place_parse(const char *s, struct place_spec *out, char *why, size_t n);
/*
 * OS indexes of the CPUs for threads 0..nthreads-1 on topology t. 0, or -1 with why
 * (package:3 on a 2-package box, more threads than the policy has CPUs, a list CPU not
 * allowed). PLACE_NONE: every cpus[i] = -1 (unbound).
 */
int place_resolve(hwloc_topology_t t, const struct place_spec *p, int nthreads, int *cpus,
		  char *why, size_t n);

enum mem_kind { MEM_NONE, MEM_LOCAL, MEM_REMOTE, MEM_INTERLEAVE, MEM_NODE };

/* node: N of node:N; text: as recorded ("local", "node:1"). */
struct mem_spec {
	enum mem_kind kind;
	int node;
	char text[32];
};

/* mem_resolve's node for interleave; buffer_create takes it as its node. */
#define MEM_NODE_INTERLEAVE (-2)

/* "local", "remote", "interleave", "node:N", "none". 0 or -1 with why */
int mem_parse(const char *s, struct mem_spec *out, char *why, size_t n);
/*
 * Node for the buffer of a thread on cpu (-1: unbound, refused for local and remote):
 * >= 0 a node, MEM_NODE_INTERLEAVE, or -1 for no binding (MEM_NONE). 0, or -1 with why
 * ("remote needs 2 NUMA nodes with memory, this machine has 1").
 */
int mem_resolve(hwloc_topology_t t, const struct mem_spec *m, int cpu, int *node, char *why,
		size_t n);

/* NUMA node (os index) of cpu: the nearest one, whose memory its local allocations get; or -1 */
int place_cpu_node(hwloc_topology_t t, int cpu);
/*
 * The NUMA nodes (os indexes, ascending) that have both allowed CPUs and memory this
 * process may use, for the cross-node matrix. Stores at most max; returns how many there
 * are (so a return > max means some were left out).
 */
int place_nodes(hwloc_topology_t t, int *nodes, int max);
/* hwloc topology of this machine (the one placement.c loads), NULL if it failed */
hwloc_topology_t place_topology(void);

#endif
