// SPDX-License-Identifier: GPL-2.0
/*
 * --place and --mem policies on synthetic hwloc topologies (2 packages, SMT, 4 nodes,
 * Linux-style sibling numbering, restricted CPUs and nodes), then on this machine:
 * its topology, and a buffer made under MPOL_INTERLEAVE.
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <numa.h>
#include <numaif.h>
#include "gupbench.h"
#include "buffer.h"
#include "placement.h"
#include "place.h"
#include "../tap.h"

#define MAXT 64

/* Two packages, one node each, 2 cores of 2 hardware threads: PUs 0-3, 4-7. */
#define TWO_PKG_SMT "pack:2 [numa(memory=1GB)] core:2 pu:2"
/* Two packages of two nodes each, one thread a core: nodes 0-3 hold PUs 0-1, 2-3, ... */
#define FOUR_NODES "pack:2 numa:2 core:2 pu:1"
/* A small box like the one the tests run on: one package, one node, 2 cores. */
#define SMALL "pack:1 core:2 pu:1"
/* Linux numbering: the siblings of core c are c and c + 4. */
#define LINUX_SMT "pack:2 core:2 pu:2(indexes=0,4,1,5,2,6,3,7)"
/* Nodes above packages: node 0 holds packages 0-1, node 1 packages 2-3. */
#define NODES_ABOVE "numa:2 pack:2 core:1 pu:1"
/* Nodes without memory. */
#define NO_MEMORY "pack:2 [numa] core:1 pu:1"
/* A second node per package, nearest to no CPU: high-bandwidth or CXL memory. */
#define MEMORY_ONLY "pack:2 [numa(memory=1GB)] [numa(memory=1GB)] core:1 pu:1"

static hwloc_topology_t synthetic(const char *desc, const char *cpus, const char *nodes)
{
	hwloc_topology_t t;

	if (hwloc_topology_init(&t))
		return NULL;
	if (cpus)
		hwloc_topology_set_flags(t, HWLOC_TOPOLOGY_FLAG_INCLUDE_DISALLOWED);
	if (hwloc_topology_set_synthetic(t, desc) || hwloc_topology_load(t)) {
		hwloc_topology_destroy(t);
		return NULL;
	}
	if (cpus) {
		/* what a cgroup cpuset or taskset leaves to the process */
		hwloc_bitmap_t c = hwloc_bitmap_alloc(), m = hwloc_bitmap_alloc();

		hwloc_bitmap_list_sscanf(c, cpus);
		hwloc_bitmap_list_sscanf(m, nodes);
		if (hwloc_topology_allow(t, c, m, HWLOC_ALLOW_FLAG_CUSTOM)) {
			hwloc_topology_destroy(t);
			t = NULL;
		}
		hwloc_bitmap_free(c);
		hwloc_bitmap_free(m);
	}
	return t;
}

static void join(const int *v, int nr, char *buf, size_t n)
{
	size_t len = 0;

	buf[0] = '\0';
	for (int i = 0; i < nr && len < n; i++)
		len += snprintf(buf + len, n - len, "%s%d", i ? "," : "", v[i]);
}

/* policy with nthreads on t gives exactly the CPUs want ("0,2,4"). */
static void order(hwloc_topology_t t, const char *name, const char *policy, int nthreads,
		  const char *want)
{
	struct place_spec p;
	char why[REASON_MAX] = "", got[256] = "";
	int cpus[MAXT], r;

	r = place_parse(policy, &p, why, sizeof(why));
	if (r == 0) {
		for (int i = 0; i < MAXT; i++)
			cpus[i] = -100;
		r = place_resolve(t, &p, nthreads, cpus, why, sizeof(why));
		join(cpus, nthreads, got, sizeof(got));
	}
	tap_ok(r == 0 && !strcmp(got, want), "%s: %s x%d = %s (got %s%s%s)", name, policy,
	       nthreads, want, r ? "error: " : "", r ? why : got, "");
}

/* policy with nthreads on t is refused, with a reason that has word in it. */
static void refused(hwloc_topology_t t, const char *name, const char *policy, int nthreads,
		    const char *word)
{
	struct place_spec p;
	char why[REASON_MAX] = "";
	int cpus[MAXT], r;

	r = place_parse(policy, &p, why, sizeof(why));
	if (r == 0)
		r = place_resolve(t, &p, nthreads, cpus, why, sizeof(why));
	tap_ok(r == -1 && strstr(why, word), "%s: %s x%d refused (\"%s\"): %s", name, policy,
	       nthreads, word, why);
}

/* The node mem_resolve gives for policy and cpu: want, or (want_err) a refusal with word. */
static void mem(hwloc_topology_t t, const char *name, const char *policy, int cpu, int want,
		const char *word)
{
	struct mem_spec m;
	char why[REASON_MAX] = "";
	int node = -100, r;

	r = mem_parse(policy, &m, why, sizeof(why));
	if (r == 0)
		r = mem_resolve(t, &m, cpu, &node, why, sizeof(why));
	if (word)
		tap_ok(r == -1 && strstr(why, word), "%s: --mem %s, CPU %d refused (\"%s\"): %s",
		       name, policy, cpu, word, why);
	else
		tap_ok(r == 0 && node == want, "%s: --mem %s, CPU %d: node %d (got %d%s%s)", name,
		       policy, cpu, want, node, r ? ", error: " : "", r ? why : "");
}

static void nodes(hwloc_topology_t t, const char *name, int max, const char *want, int want_nr)
{
	int v[MAXT], nr = place_nodes(t, v, max);
	char got[256];

	join(v, nr < max ? nr : max, got, sizeof(got));
	tap_ok(nr == want_nr && !strcmp(got, want),
	       "%s: place_nodes (max %d) = %d: %s (got %d: %s)", name, max, want_nr, want, nr, got);
}

static void test_parse(void)
{
	static const char *const good[] = { "none", "compact", "scatter", "smt", "package:1",
					    "node:0", "list:0,2-3" };
	static const char *const bad[] = { "", "fast", "Compact", "package", "package:",
		"package:x", "package:-1", "package:1.5", "package:1x", "package:99999999", "node:",
		"node: 1", "list:", "list:a", "list:1,", "list:,1", "list:3-1", "list:1-",
		"list:1--2", "list:0 1", "list:99999999" };
	struct place_spec p;
	struct mem_spec m;
	char why[REASON_MAX], longlist[400];
	int r;

	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		r = place_parse(good[i], &p, why, sizeof(why));
		tap_ok(r == 0 && !strcmp(p.text, good[i]),
		       "place_parse \"%s\": recorded as \"%s\"%s%s", good[i], r ? "" : p.text,
		       r ? ": " : "", r ? why : "");
	}
	place_parse("package:01", &p, why, sizeof(why));
	tap_ok(p.kind == PLACE_PACKAGE && p.arg == 1 && !strcmp(p.text, "package:1"),
	       "package:01 is package 1, recorded as \"%s\"", p.text);
	place_parse("list:0,2-3", &p, why, sizeof(why));
	tap_ok(p.kind == PLACE_LIST && p.arg == 3 && !strcmp(p.list, "0,2-3"),
	       "list:0,2-3 names 3 CPUs (arg %d, list \"%s\")", p.arg, p.list);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		why[0] = '\0';
		r = place_parse(bad[i], &p, why, sizeof(why));
		tap_ok(r == -1 && why[0] && !strchr(why, '\n'), "place_parse \"%s\" refused: %s",
		       bad[i], why);
	}
	tap_ok(place_parse(NULL, &p, why, sizeof(why)) == -1, "place_parse NULL refused: %s", why);
	strcpy(longlist, "list:");
	for (int i = 0; strlen(longlist) < 300; i++)
		sprintf(longlist + strlen(longlist), "%s%d", i ? "," : "", i * 2);
	tap_ok(place_parse(longlist, &p, why, sizeof(why)) == -1,
	       "a 300-character list refused: %s", why);

	static const char *const mgood[] = { "none", "local", "remote", "interleave", "node:3" };
	static const char *const mbad[] = { "", "near", "node", "node:", "node:x", "node:-1",
					    "node:1x", "node:99999999", "interleave:0" };

	for (size_t i = 0; i < sizeof(mgood) / sizeof(mgood[0]); i++) {
		r = mem_parse(mgood[i], &m, why, sizeof(why));
		tap_ok(r == 0 && !strcmp(m.text, mgood[i]),
		       "mem_parse \"%s\": recorded as \"%s\"%s%s", mgood[i], r ? "" : m.text,
		       r ? ": " : "", r ? why : "");
	}
	mem_parse("node:3", &m, why, sizeof(why));
	tap_ok(m.kind == MEM_NODE && m.node == 3, "mem_parse node:3 is node 3 (got %d)", m.node);
	for (size_t i = 0; i < sizeof(mbad) / sizeof(mbad[0]); i++) {
		why[0] = '\0';
		tap_ok(mem_parse(mbad[i], &m, why, sizeof(why)) == -1 && why[0],
		       "mem_parse \"%s\" refused: %s", mbad[i], why);
	}
}

static void test_two_packages_smt(void)
{
	hwloc_topology_t t = synthetic(TWO_PKG_SMT, NULL, NULL);
	const char *name = "2 packages, SMT2";
	int cpus[4] = { 0 };
	struct place_spec p;
	char why[REASON_MAX];

	if (!tap_ok(t != NULL, "synthetic topology %s loads", TWO_PKG_SMT))
		return;
	order(t, name, "compact", 8, "0,2,4,6,1,3,5,7");
	order(t, name, "compact", 3, "0,2,4");
	order(t, name, "smt", 8, "0,1,2,3,4,5,6,7");
	order(t, name, "smt", 3, "0,1,2");
	order(t, name, "scatter", 8, "0,4,2,6,1,5,3,7");
	order(t, name, "scatter", 2, "0,4");
	order(t, name, "package:1", 4, "4,6,5,7");
	order(t, name, "package:0", 2, "0,2");
	order(t, name, "node:1", 4, "4,6,5,7");
	order(t, name, "list:7,0-2", 4, "7,0,1,2");
	order(t, name, "list:7,0-2", 2, "7,0");
	order(t, name, "none", 3, "-1,-1,-1");
	refused(t, name, "compact", 9, "only 8 CPUs (4 cores)");
	refused(t, name, "smt", 9, "only 8 CPUs");
	refused(t, name, "scatter", 9, "only 8 CPUs");
	refused(t, name, "package:1", 5, "only 4 CPUs (2 cores)");
	refused(t, name, "package:2", 1, "no such package (this machine's: 0-1)");
	refused(t, name, "node:2", 1, "no such NUMA node (this machine's: 0-1)");
	refused(t, name, "node:1", 5, "only 4 CPUs");
	refused(t, name, "list:0,8", 1, "CPU 8 is not one this process may use (0-7)");
	refused(t, name, "list:1,0-2", 1, "CPU 1 is listed twice");
	refused(t, name, "list:0-1", 3, "names only 2 CPUs");
	refused(t, name, "compact", 0, "need at least 1");
	place_parse("compact", &p, why, sizeof(why));
	tap_ok(place_resolve(NULL, &p, 1, cpus, why, sizeof(why)) == -1,
	       "no topology: compact refused: %s", why);
	place_parse("none", &p, why, sizeof(why));
	tap_ok(place_resolve(NULL, &p, 1, cpus, why, sizeof(why)) == 0 && cpus[0] == -1,
	       "no topology: none still means unbound");

	tap_ok(place_cpu_node(t, 5) == 1 && place_cpu_node(t, 3) == 0 &&
	       place_cpu_node(t, 8) == -1 && place_cpu_node(t, -1) == -1 &&
	       place_cpu_node(NULL, 0) == -1,
	       "%s: place_cpu_node 5 -> 1, 3 -> 0, 8, -1 and no topology -> -1", name);
	mem(t, name, "local", 5, 1, NULL);
	mem(t, name, "local", 2, 0, NULL);
	mem(t, name, "remote", 5, 0, NULL);
	mem(t, name, "remote", 0, 1, NULL);
	mem(t, name, "interleave", 0, MEM_NODE_INTERLEAVE, NULL);
	mem(t, name, "interleave", -1, MEM_NODE_INTERLEAVE, NULL);
	mem(t, name, "node:1", 0, 1, NULL);
	mem(t, name, "node:1", -1, 1, NULL);
	mem(t, name, "none", 3, -1, NULL);
	mem(t, name, "node:2", 0, 0,
	    "no NUMA node 2 with memory this process may use (usable: 0-1)");
	mem(t, name, "local", -1, 0, "needs threads bound to CPUs");
	mem(t, name, "remote", -1, 0, "needs threads bound to CPUs");
	mem(t, name, "local", 8, 0, "CPU 8 is not in the topology");
	nodes(t, name, MAXT, "0,1", 2);
	nodes(t, name, 1, "0", 2);
	hwloc_topology_destroy(t);
}

/* A latency matrix where a node's nearest is not the next one, and one tie. */
static int add_distances(hwloc_topology_t t)
{
	static const hwloc_uint64_t lat[16] = {
		10, 30, 20, 30,		/* 0: nearest 2 */
		25, 10, 25, 30,		/* 1: 0 and 2 tie: the next after 1, so 2 */
		20, 30, 10, 30,		/* 2: nearest 0 */
		30, 20, 30, 10,		/* 3: nearest 1 */
	};
	hwloc_obj_t objs[4];
	hwloc_distances_add_handle_t h;

	for (int i = 0; i < 4; i++)
		objs[i] = hwloc_get_numanode_obj_by_os_index(t, i);
	h = hwloc_distances_add_create(t, "test", HWLOC_DISTANCES_KIND_FROM_USER |
				       HWLOC_DISTANCES_KIND_MEANS_LATENCY, 0);
	if (!h || hwloc_distances_add_values(t, h, 4, objs, (hwloc_uint64_t *)lat, 0))
		return -1;
	return hwloc_distances_add_commit(t, h, 0);
}

static void test_four_nodes(void)
{
	hwloc_topology_t t = synthetic(FOUR_NODES, NULL, NULL);
	const char *name = "2 packages x 2 nodes";

	if (!tap_ok(t != NULL, "synthetic topology %s loads", FOUR_NODES))
		return;
	order(t, name, "compact", 8, "0,1,2,3,4,5,6,7");
	order(t, name, "smt", 8, "0,1,2,3,4,5,6,7");
	/* packages alternate; within one, its nodes alternate */
	order(t, name, "scatter", 8, "0,4,2,6,1,5,3,7");
	order(t, name, "package:1", 4, "4,5,6,7");
	order(t, name, "node:3", 2, "6,7");
	refused(t, name, "compact", 9, "only 8 CPUs (8 cores)");
	refused(t, name, "node:3", 3, "only 2 CPUs (2 cores)");
	/* no distances: the next node, wrapping round */
	mem(t, name, "remote", 0, 1, NULL);
	mem(t, name, "remote", 2, 2, NULL);
	mem(t, name, "remote", 7, 0, NULL);
	mem(t, name, "local", 7, 3, NULL);
	nodes(t, name, MAXT, "0,1,2,3", 4);
	if (!tap_ok(add_distances(t) == 0, "%s: latency matrix added", name)) {
		hwloc_topology_destroy(t);
		return;
	}
	name = "2 packages x 2 nodes, latencies";
	mem(t, name, "remote", 0, 2, NULL);
	mem(t, name, "remote", 2, 2, NULL);
	mem(t, name, "remote", 4, 0, NULL);
	mem(t, name, "remote", 6, 1, NULL);
	hwloc_topology_destroy(t);
}

static void test_small(void)
{
	hwloc_topology_t t = synthetic(SMALL, NULL, NULL);
	const char *name = "1 package, 2 cores";

	if (!tap_ok(t != NULL, "synthetic topology %s loads", SMALL))
		return;
	order(t, name, "compact", 2, "0,1");
	order(t, name, "smt", 2, "0,1");
	order(t, name, "scatter", 2, "0,1");
	order(t, name, "package:0", 2, "0,1");
	order(t, name, "node:0", 1, "0");
	refused(t, name, "compact", 3, "only 2 CPUs (2 cores)");
	refused(t, name, "package:1", 1, "no such package (this machine's: 0)");
	refused(t, name, "list:2", 1, "CPU 2 is not one");
	mem(t, name, "local", 1, 0, NULL);
	mem(t, name, "interleave", 1, MEM_NODE_INTERLEAVE, NULL);
	mem(t, name, "node:0", 1, 0, NULL);
	mem(t, name, "remote", 1, 0, "remote needs 2 NUMA nodes with memory, this machine has 1");
	mem(t, name, "node:1", 1, 0, "no NUMA node 1");
	nodes(t, name, MAXT, "0", 1);
	hwloc_topology_destroy(t);
}

static void test_odd_shapes(void)
{
	hwloc_topology_t t = synthetic(LINUX_SMT, NULL, NULL);
	const char *name = "Linux sibling numbering";

	if (tap_ok(t != NULL, "synthetic topology %s loads", LINUX_SMT)) {
		order(t, name, "compact", 8, "0,1,2,3,4,5,6,7");
		order(t, name, "smt", 8, "0,4,1,5,2,6,3,7");
		order(t, name, "scatter", 8, "0,2,1,3,4,6,5,7");
		order(t, name, "package:1", 4, "2,3,6,7");
		order(t, name, "list:4-6", 3, "4,5,6");
		hwloc_topology_destroy(t);
	}
	t = synthetic(NODES_ABOVE, NULL, NULL);
	name = "nodes above packages";
	if (tap_ok(t != NULL, "synthetic topology %s loads", NODES_ABOVE)) {
		order(t, name, "scatter", 4, "0,1,2,3");
		order(t, name, "node:1", 2, "2,3");
		order(t, name, "package:3", 1, "3");
		nodes(t, name, MAXT, "0,1", 2);
		hwloc_topology_destroy(t);
	}
	t = synthetic(NO_MEMORY, NULL, NULL);
	name = "nodes without memory";
	if (tap_ok(t != NULL, "synthetic topology %s loads", NO_MEMORY)) {
		nodes(t, name, MAXT, "", 0);
		mem(t, name, "local", 0, 0, "no NUMA node with memory");
		mem(t, name, "node:0", 0, 0, "no NUMA node with memory");
		hwloc_topology_destroy(t);
	}
	t = synthetic(MEMORY_ONLY, NULL, NULL);
	name = "memory-only nodes";
	if (tap_ok(t != NULL, "synthetic topology %s loads", MEMORY_ONLY)) {
		order(t, name, "node:2", 1, "1");
		refused(t, name, "node:1", 1, "node:1 is a node without CPUs (memory only)");
		nodes(t, name, MAXT, "0,2", 2);
		mem(t, name, "local", 1, 2, NULL);
		mem(t, name, "node:3", 1, 3, NULL);
		/* no distances: the next node, a memory-only one */
		mem(t, name, "remote", 0, 1, NULL);
		hwloc_topology_destroy(t);
	}
}

/* What a cgroup cpuset leaves: only some CPUs and nodes may be used. */
static void test_restricted(void)
{
	hwloc_topology_t t = synthetic(TWO_PKG_SMT, "0-5", "0");
	const char *name = "CPUs 0-5, node 0 allowed";

	if (tap_ok(t != NULL, "%s loads, restricted to CPUs 0-5 and node 0", TWO_PKG_SMT)) {
		order(t, name, "compact", 6, "0,2,4,1,3,5");
		/* package 1 has one core left: it is skipped once used up */
		order(t, name, "scatter", 6, "0,4,2,1,5,3");
		order(t, name, "package:1", 2, "4,5");
		order(t, name, "node:1", 1, "4");
		refused(t, name, "list:6", 1, "CPU 6 is not one this process may use (0-5)");
		refused(t, name, "package:1", 3, "only 2 CPUs (1 core)");
		mem(t, name, "local", 0, 0, NULL);
		mem(t, name, "local", 4, 0, "node 1 of CPU 4 has no memory this process may use");
		mem(t, name, "node:1", 0, 0, "usable: 0");
		mem(t, name, "remote", 0, 0, "this machine has 1");
		/* CPU 4's node may not be used: every usable node is remote to it */
		mem(t, name, "remote", 4, 0, NULL);
		nodes(t, name, MAXT, "0", 1);
		hwloc_topology_destroy(t);
	}
	t = synthetic(TWO_PKG_SMT, "0-3", "0-1");
	name = "CPUs 0-3, nodes 0-1 allowed";
	if (tap_ok(t != NULL, "%s loads, restricted to CPUs 0-3 and nodes 0-1", TWO_PKG_SMT)) {
		refused(t, name, "package:1", 1, "package:1 has no CPU this process may use");
		refused(t, name, "node:1", 1, "node:1 has no CPU this process may use");
		/* node 1 has memory but no CPU of ours: not a row of the cross-node matrix */
		nodes(t, name, MAXT, "0", 1);
		mem(t, name, "remote", 0, 1, NULL);
		hwloc_topology_destroy(t);
	}
}

static void *ask_topology(void *arg)
{
	*(hwloc_topology_t *)arg = place_topology();
	return NULL;
}

static void test_this_machine(void)
{
	hwloc_topology_t got[4] = { 0 }, t;
	pthread_t th[4];
	struct place_spec p;
	char why[REASON_MAX], list[256];
	int cpus[MAXT], nodes_here[MAXT], nr_cpus, nr_nodes, r, node;
	hwloc_const_cpuset_t allowed;
	bool distinct = true, in_set = true;
	struct mem_spec m;

	/* the first callers race to load it: all must get the one topology */
	for (int i = 0; i < 4; i++)
		pthread_create(&th[i], NULL, ask_topology, &got[i]);
	for (int i = 0; i < 4; i++)
		pthread_join(th[i], NULL);
	t = place_topology();
	if (!tap_ok(t && got[0] == t && got[1] == t && got[2] == t && got[3] == t,
		    "this machine: place_topology() loads once, the same for 4 threads"))
		return;
	allowed = hwloc_topology_get_allowed_cpuset(t);
	nr_cpus = hwloc_bitmap_weight(allowed);
	if (nr_cpus > MAXT)
		nr_cpus = MAXT;
	place_parse("smt", &p, why, sizeof(why));
	r = place_resolve(t, &p, nr_cpus, cpus, why, sizeof(why));
	for (int i = 0; r == 0 && i < nr_cpus; i++) {
		in_set &= cpus[i] >= 0 && hwloc_bitmap_isset(allowed, cpus[i]);
		for (int j = 0; j < i; j++)
			distinct &= cpus[i] != cpus[j];
	}
	join(cpus, r ? 0 : nr_cpus, list, sizeof(list));
	tap_ok(r == 0 && distinct && in_set,
	       "this machine: smt x%d gives distinct allowed CPUs: %s", nr_cpus, r ? why : list);
	place_parse("compact", &p, why, sizeof(why));
	tap_ok(place_resolve(t, &p, nr_cpus + 1, cpus, why, sizeof(why)) == -1,
	       "this machine: compact x%d (one more than its CPUs) refused: %s", nr_cpus + 1, why);
	nr_nodes = place_nodes(t, nodes_here, MAXT);
	place_parse("smt", &p, why, sizeof(why));
	place_resolve(t, &p, 1, cpus, why, sizeof(why));
	mem_parse("local", &m, why, sizeof(why));
	r = mem_resolve(t, &m, cpus[0], &node, why, sizeof(why));
	tap_ok(nr_nodes >= 1 && r == 0 && node == place_cpu_node(t, cpus[0]) &&
	       nr_nodes == placement_nr_nodes(),
	       "this machine: %d node(s) with CPUs and memory, as libnuma counts (%d); CPU %d is local to node %d%s%s",
	       nr_nodes, placement_nr_nodes(), cpus[0], node, r ? ": " : "", r ? why : "");
	mem_parse("remote", &m, why, sizeof(why));
	r = mem_resolve(t, &m, cpus[0], &node, why, sizeof(why));
	if (nr_nodes == 1)
		tap_ok(r == -1 && strstr(why, "this machine has 1"),
		       "this machine (1 node): remote refused: %s", why);
	else
		tap_ok(r == 0 && node >= 0 && node != place_cpu_node(t, cpus[0]),
		       "this machine: remote of CPU %d is node %d", cpus[0], node);
}

/* Sum of the "placement.nodes.N" pages buffer_verify recorded, and how many nodes hold some. */
static long long placed(struct buffer *b, int *nr_nodes)
{
	long long sum = 0;

	*nr_nodes = 0;
	for (size_t i = 0; i < b->actual.n; i++) {
		const struct attr *a = &b->actual.v[i];

		if (!strncmp(a->key, "placement.nodes.", 16) && a->type == ATTR_INT && a->i > 0) {
			sum += a->i;
			(*nr_nodes)++;
		}
	}
	return sum;
}

/*
 * On a 1-node machine this only shows the policy is accepted and in force (the range's
 * policy is MPOL_INTERLEAVE, the thread's is given back); the split needs 2 nodes.
 */
static void test_interleave_buffer(void)
{
	const struct backing_ops *ops = backing_find("anon");
	static struct run_opts o = { .size = 4ul << 20, .samples = 1, .cpu = -1, .mem_node = -1 };
	const struct attr *nodes_at, *sampled;
	char why[REASON_MAX] = "";
	int mode = -1, thread_mode = -1, nr, r;
	struct buffer b;
	long long sum;

	if (numa_available() < 0) {
		tap_skip("interleaved buffer", "no NUMA support in this kernel");
		return;
	}
	r = buffer_create(ops, &b, o.size, &o, MEM_NODE_INTERLEAVE, why, sizeof(why));
	if (!tap_ok(r == 0, "anon buffer under MPOL_INTERLEAVE: created%s%s", r ? ": " : "", why))
		return;
	get_mempolicy(&mode, NULL, 0, b.addr, MPOL_F_ADDR);
	get_mempolicy(&thread_mode, NULL, 0, NULL, 0);
	nodes_at = attrs_get(&b.actual, "interleave_nodes");
	tap_ok(mode == MPOL_INTERLEAVE && thread_mode == MPOL_DEFAULT && nodes_at &&
	       nodes_at->type == ATTR_STR,
	       "interleaved: range policy %d (MPOL_INTERLEAVE %d), thread's back to default, nodes \"%s\" recorded",
	       mode, MPOL_INTERLEAVE, nodes_at && nodes_at->type == ATTR_STR ? nodes_at->s : "");
	buffer_touch(&b);
	r = buffer_verify(ops, &b, why, sizeof(why));
	sampled = attrs_get(&b.actual, "placement.sampled");
	sum = placed(&b, &nr);
	tap_ok(r == 0 && sampled && sampled->i == sum && nr >= 1,
	       "interleaved: verified, the split recorded: %lld sampled pages on %d node(s)%s%s",
	       sum, nr, r ? ": " : "", r ? why : "");
	if (placement_nr_nodes() >= 2)
		tap_ok(nr >= 2, "interleaved over %d nodes: pages on %d of them",
		       placement_nr_nodes(), nr);
	else
		tap_skip("interleaved pages on 2+ nodes", "this machine has 1 NUMA node");
	buffer_destroy(ops, &b);
}

int main(void)
{
	tap_plan(171);
	kver_init();
	test_parse();
	test_two_packages_smt();
	test_four_nodes();
	test_small();
	test_odd_shapes();
	test_restricted();
	test_this_machine();
	test_interleave_buffer();
	return tap_done();
}
