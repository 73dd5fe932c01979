// SPDX-License-Identifier: GPL-2.0
/* CPU binding (hwloc), memory binding (libnuma mbind) and the real node of pages (move_pages). */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <hwloc.h>
#include <numa.h>
#include <numaif.h>
#include "result.h"
#include "gupbench.h"
#include "util.h"
#include "placement.h"

/* Pages asked of move_pages() at most: enough to see a split, cheap for 1 GiB. */
#define MAX_SAMPLED 4096

static hwloc_topology_t topo;
static int topo_state;		/* 0: not loaded yet, 1: loaded, -1: failed */
static pthread_once_t topo_once = PTHREAD_ONCE_INIT;

static void topology_load(void)
{
	topo_state = -1;
	if (hwloc_topology_init(&topo) == 0) {
		if (hwloc_topology_load(topo) == 0)
			topo_state = 1;
		else
			hwloc_topology_destroy(topo);
	}
}

/* Loaded once, by whichever thread asks first: the threads of a run bind themselves. */
static hwloc_topology_t topology(void)
{
	pthread_once(&topo_once, topology_load);
	return topo_state > 0 ? topo : NULL;
}

hwloc_topology_t placement_topology(void)
{
	return topology();
}

int placement_bind_cpu(int cpu, char *why, size_t n)
{
	hwloc_topology_t t = topology();
	hwloc_obj_t pu;

	if (!t) {
		set_reason(why, n, "hwloc could not load the CPU topology");
		return -1;
	}
	pu = cpu >= 0 ? hwloc_get_pu_obj_by_os_index(t, cpu) : NULL;
	if (!pu) {
		set_reason(why, n, "CPU %d is not an online CPU this process may use (%d usable)",
			   cpu, hwloc_get_nbobjs_by_type(t, HWLOC_OBJ_PU));
		return -1;
	}
	if (hwloc_set_cpubind(t, pu->cpuset, HWLOC_CPUBIND_THREAD)) {
		set_reason(why, n, "binding the thread to CPU %d: %s", cpu, strerror(errno));
		return -1;
	}
	return 0;
}

void placement_allowed_nodes(char *buf, size_t n)
{
	size_t len = 0;

	buf[0] = '\0';
	for (int i = 0; i <= numa_max_node() && len < n; i++)
		if (numa_bitmask_isbitset(numa_all_nodes_ptr, i))
			len += snprintf(buf + len, n - len, "%s%d", len ? "," : "", i);
}

/* len 0 only checks that node exists and may be used (buffer_create relies on it). */
int placement_bind_mem(void *addr, size_t len, int node, char *why, size_t n)
{
	struct bitmask *mask;
	char nodes[128];
	int ret;

	if (numa_available() < 0) {
		set_reason(why, n, "NUMA is not available (numa_available() < 0: kernel without NUMA support)");
		return -1;
	}
	if (node < 0 || node > numa_max_node() ||
	    !numa_bitmask_isbitset(numa_all_nodes_ptr, node)) {
		placement_allowed_nodes(nodes, sizeof(nodes));
		set_reason(why, n, "NUMA node %d does not exist or has no memory this process may use (usable nodes: %s)",
			   node, nodes);
		return -1;
	}
	if (len == 0)
		return 0;
	mask = numa_allocate_nodemask();
	numa_bitmask_setbit(mask, node);
	ret = mbind(addr, len, MPOL_BIND, mask->maskp, mask->size + 1, 0);
	if (ret)
		set_reason(why, n, "mbind(MPOL_BIND, node %d): %s", node, strerror(errno));
	numa_bitmask_free(mask);
	return ret ? -1 : 0;
}

/* len 0 only checks that there is a node to interleave over. */
int placement_interleave_mem(void *addr, size_t len, char *why, size_t n)
{
	char nodes[128];

	if (numa_available() < 0) {
		set_reason(why, n, "NUMA is not available (numa_available() < 0: kernel without NUMA support)");
		return -1;
	}
	if (len == 0)
		return 0;
	if (mbind(addr, len, MPOL_INTERLEAVE, numa_all_nodes_ptr->maskp,
		  numa_all_nodes_ptr->size + 1, 0)) {
		placement_allowed_nodes(nodes, sizeof(nodes));
		set_reason(why, n, "mbind(MPOL_INTERLEAVE, nodes %s): %s", nodes, strerror(errno));
		return -1;
	}
	return 0;
}

static void node_counts(const int *status, size_t nr, struct attrs *out)
{
	int max = numa_max_node();
	long long not_present = 0, errors = 0;
	long long *count = calloc(max + 1, sizeof(*count));
	char key[32];

	for (size_t i = 0; i < nr; i++) {
		if (status[i] >= 0 && status[i] <= max)
			count[status[i]]++;
		else if (status[i] == -ENOENT)
			not_present++;
		else
			errors++;
	}
	for (int i = 0; i <= max; i++) {
		if (!count[i])
			continue;
		snprintf(key, sizeof(key), "nodes.%d", i);
		attrs_set_int(out, key, count[i]);
	}
	free(count);
	attrs_set_int(out, "not_present", not_present);
	attrs_set_int(out, "errors", errors);
}

/*
 * {"nodes": {"0": N, ...}, "not_present": N, "errors": N, "sampled": N, "total": N}:
 * for large ranges an even sample of MAX_SAMPLED pages, so "sampled" < "total".
 */
int placement_page_nodes(void *addr, size_t len, size_t page_size, struct attrs *out)
{
	size_t total, nr;
	void **pages;
	int *status, ret = -1;

	if (numa_available() < 0 || !addr || !len)
		return -1;
	if (!page_size)
		page_size = sysconf(_SC_PAGESIZE);
	total = (len + page_size - 1) / page_size;
	nr = total < MAX_SAMPLED ? total : MAX_SAMPLED;
	pages = calloc(nr, sizeof(*pages));
	status = calloc(nr, sizeof(*status));
	if (!pages || !status)
		goto out;
	for (size_t i = 0; i < nr; i++)
		pages[i] = (char *)addr + (uint64_t)i * total / nr * page_size;
	/* nodes == NULL: report where each page is, move nothing */
	if (move_pages(0, nr, pages, NULL, status, 0))
		goto out;
	/* the nodes first, then the counts, even when no page is present */
	attrs_set_object(out, "nodes");
	node_counts(status, nr, out);
	attrs_set_int(out, "sampled", nr);
	attrs_set_int(out, "total", total);
	ret = 0;
out:
	free(pages);
	free(status);
	return ret;
}

int placement_nr_nodes(void)
{
	if (numa_available() < 0)
		return 1;
	return numa_bitmask_weight(numa_all_nodes_ptr);
}

int placement_current_cpu(void)
{
	return sched_getcpu();
}
