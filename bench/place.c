// SPDX-License-Identifier: GPL-2.0
/* Placement policies: the CPU order of --place and the buffer node of --mem, from hwloc. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <hwloc.h>
#include "placement.h"
#include "util.h"
#include "place.h"

/* Largest CPU, package or node number a policy may name: above any machine, far from INT_MAX. */
#define MAX_INDEX 1000000

/* One allowed CPU; key0, key1: its rank in the order of the policy being resolved. */
struct cpu_slot {
	int os;
	int core;	/* index in cpu_table.core */
	int smt;	/* 0: first allowed hardware thread of its core, 1: the second... */
	long key0, key1;
};

/* A core with at least one allowed CPU (a CPU without a Core object is its own core). */
struct core_slot {
	int pkg;	/* package os index, -1 without a package */
	int pkg_rank;	/* package logical index, 0 without */
	int node;	/* nearest NUMA node os index, -1 without */
	int node_rank;	/* its logical index, 0 without */
	int nr_cpus;
	int in_node;	/* rank among the cores of the same package and node */
	int in_pkg;	/* rank in the package's round-robin over its nodes */
	int scatter;	/* rank in the round-robin over packages */
};

/* The allowed CPUs in hwloc's logical (tree) order, so a core's CPUs are adjacent. */
struct cpu_table {
	struct cpu_slot *cpu;
	struct core_slot *core;
	int nr_cpus, nr_cores;
};

/* A decimal number 0..MAX_INDEX at s, *end after it; -1 if there is none. */
static int parse_index(const char *s, const char **end)
{
	long v = 0;

	if (*s < '0' || *s > '9')
		return -1;
	for (; *s >= '0' && *s <= '9'; s++) {
		v = v * 10 + (*s - '0');
		if (v > MAX_INDEX)
			return -1;
	}
	*end = s;
	return v;
}

/* The number that is all of s, or -1. */
static int parse_whole(const char *s)
{
	const char *end;
	int v = parse_index(s, &end);

	return v >= 0 && *end == '\0' ? v : -1;
}

/* One "a" or "a-b" (a <= b) of a CPU list at s; *next after its comma. 0, or -1 if bad. */
static int list_item(const char *s, int *a, int *b, const char **next)
{
	const char *end;

	*a = *b = parse_index(s, &end);
	if (*a < 0)
		return -1;
	if (*end == '-') {
		*b = parse_index(end + 1, &end);
		if (*b < *a)
			return -1;
	}
	if (*end == ',' && end[1])
		end++;
	else if (*end)
		return -1;
	*next = end;
	return 0;
}

/* How many CPUs the list names (with repeats), or -1 if it is not a list. */
static int list_count(const char *s)
{
	int a, b, count = 0;

	if (!*s)
		return -1;
	while (*s) {
		if (list_item(s, &a, &b, &s))
			return -1;
		count += b - a + 1;
	}
	return count;
}

int place_parse(const char *s, struct place_spec *out, char *why, size_t n)
{
	static const struct {
		const char *name;
		enum place_kind kind;
	} plain[] = {
		{ "none", PLACE_NONE }, { "compact", PLACE_COMPACT },
		{ "scatter", PLACE_SCATTER }, { "smt", PLACE_SMT },
	};

	memset(out, 0, sizeof(*out));
	if (!s)
		s = "";
	for (size_t i = 0; i < sizeof(plain) / sizeof(plain[0]); i++) {
		if (!strcmp(s, plain[i].name)) {
			out->kind = plain[i].kind;
			snprintf(out->text, sizeof(out->text), "%s", s);
			return 0;
		}
	}
	if (!strncmp(s, "package:", 8) || !strncmp(s, "node:", 5)) {
		bool pkg = s[0] == 'p';
		const char *num = strchr(s, ':') + 1;

		out->kind = pkg ? PLACE_PACKAGE : PLACE_NODE;
		out->arg = parse_whole(num);
		if (out->arg < 0) {
			set_reason(why, n, "placement \"%s\": \"%s\" is not a %s number (0-%d)",
				   s, num, pkg ? "package" : "NUMA node", MAX_INDEX);
			return -1;
		}
		snprintf(out->text, sizeof(out->text), "%s:%d", pkg ? "package" : "node", out->arg);
		return 0;
	}
	if (!strncmp(s, "list:", 5)) {
		if (strlen(s + 5) >= sizeof(out->list)) {
			set_reason(why, n,
				   "placement list is longer than %zu characters: use ranges (4-7)",
				   sizeof(out->list) - 1);
			return -1;
		}
		out->kind = PLACE_LIST;
		out->arg = list_count(s + 5);
		if (out->arg < 0) {
			set_reason(why, n,
				   "placement \"%s\": not a list of CPU numbers 0-%d like list:0,2,4-7",
				   s, MAX_INDEX);
			return -1;
		}
		snprintf(out->list, sizeof(out->list), "%s", s + 5);
		snprintf(out->text, sizeof(out->text), "list:%s", out->list);
		return 0;
	}
	set_reason(why, n,
		   "unknown placement \"%s\" (compact, scatter, smt, package:N, node:N, list:CPUS, none)",
		   s);
	return -1;
}

/* The first NUMA node among obj's memory children (under a memory-side cache, too). */
static hwloc_obj_t first_numanode(hwloc_obj_t obj)
{
	for (hwloc_obj_t m = obj->memory_first_child; m; m = m->next_sibling) {
		hwloc_obj_t node = m->type == HWLOC_OBJ_NUMANODE ? m : first_numanode(m);

		if (node)
			return node;
	}
	return NULL;
}

/* The nearest node: attached to the CPU's closest ancestor that has memory (DRAM first). */
static hwloc_obj_t cpu_node_obj(hwloc_obj_t pu)
{
	for (hwloc_obj_t o = pu; o; o = o->parent) {
		hwloc_obj_t node = first_numanode(o);

		if (node)
			return node;
	}
	return NULL;
}

int place_cpu_node(hwloc_topology_t t, int cpu)
{
	hwloc_obj_t pu = t && cpu >= 0 ? hwloc_get_pu_obj_by_os_index(t, cpu) : NULL;
	hwloc_obj_t node = pu ? cpu_node_obj(pu) : NULL;

	return node ? (int)node->os_index : -1;
}

static bool before(int a0, int a1, int b0, int b1)
{
	return a0 < b0 || (a0 == b0 && a1 < b1);
}

/*
 * Scatter ranks by counting (n^2 over cores is nothing next to a run). Inside a package,
 * ordering by (rank in its node, node) is a round-robin over its nodes that skips those
 * already used up; across packages, (rank in package, package) likewise.
 */
static void core_ranks(struct cpu_table *tb)
{
	struct core_slot *c = tb->core;
	int nr = tb->nr_cores;

	for (int i = 0; i < nr; i++)
		for (int j = 0; j < i; j++)
			if (c[j].pkg_rank == c[i].pkg_rank && c[j].node_rank == c[i].node_rank)
				c[i].in_node++;
	for (int i = 0; i < nr; i++)
		for (int j = 0; j < nr; j++)
			if (c[j].pkg_rank == c[i].pkg_rank &&
			    before(c[j].in_node, c[j].node_rank, c[i].in_node, c[i].node_rank))
				c[i].in_pkg++;
	for (int i = 0; i < nr; i++)
		for (int j = 0; j < nr; j++)
			if (before(c[j].in_pkg, c[j].pkg_rank, c[i].in_pkg, c[i].pkg_rank))
				c[i].scatter++;
}

static void table_free(struct cpu_table *tb)
{
	free(tb->cpu);
	free(tb->core);
}

static int table_build(hwloc_topology_t t, struct cpu_table *tb, char *why, size_t n)
{
	hwloc_const_cpuset_t allowed = hwloc_topology_get_allowed_cpuset(t);
	int max = hwloc_get_nbobjs_by_type(t, HWLOC_OBJ_PU);
	hwloc_obj_t pu = NULL, last = NULL;

	memset(tb, 0, sizeof(*tb));
	tb->cpu = calloc(max > 0 ? max : 1, sizeof(*tb->cpu));
	tb->core = calloc(max > 0 ? max : 1, sizeof(*tb->core));
	if (!tb->cpu || !tb->core) {
		set_reason(why, n, "out of memory");
		return -1;
	}
	while ((pu = hwloc_get_next_obj_by_type(t, HWLOC_OBJ_PU, pu)) && tb->nr_cpus < max) {
		hwloc_obj_t core = hwloc_get_ancestor_obj_by_type(t, HWLOC_OBJ_CORE, pu);
		struct core_slot *c;

		if (!hwloc_bitmap_isset(allowed, pu->os_index))
			continue;
		if (!core)
			core = pu;
		if (core != last) {
			hwloc_obj_t pkg = hwloc_get_ancestor_obj_by_type(t, HWLOC_OBJ_PACKAGE, pu);
			hwloc_obj_t node = cpu_node_obj(pu);

			c = &tb->core[tb->nr_cores++];
			c->pkg = pkg ? (int)pkg->os_index : -1;
			c->pkg_rank = pkg ? (int)pkg->logical_index : 0;
			c->node = node ? (int)node->os_index : -1;
			c->node_rank = node ? (int)node->logical_index : 0;
			last = core;
		}
		c = &tb->core[tb->nr_cores - 1];
		tb->cpu[tb->nr_cpus].os = pu->os_index;
		tb->cpu[tb->nr_cpus].core = tb->nr_cores - 1;
		tb->cpu[tb->nr_cpus].smt = c->nr_cpus++;
		tb->nr_cpus++;
	}
	if (!tb->nr_cpus) {
		set_reason(why, n, "hwloc sees no CPU this process may use");
		table_free(tb);
		return -1;
	}
	core_ranks(tb);
	return 0;
}

static int by_keys(const void *a, const void *b)
{
	const struct cpu_slot *x = a, *y = b;

	if (x->key0 != y->key0)
		return x->key0 < y->key0 ? -1 : 1;
	return x->key1 < y->key1 ? -1 : x->key1 > y->key1;
}

/* The os indexes of type's objects in t ("0-1"), "none" if it has none. */
static void os_indexes(hwloc_topology_t t, hwloc_obj_type_t type, char *buf, size_t n)
{
	hwloc_bitmap_t set = hwloc_bitmap_alloc();
	hwloc_obj_t o = NULL;

	while ((o = hwloc_get_next_obj_by_type(t, type, o)))
		hwloc_bitmap_set(set, o->os_index);
	if (hwloc_bitmap_iszero(set))
		snprintf(buf, n, "none");
	else
		hwloc_bitmap_list_snprintf(buf, n, set);
	hwloc_bitmap_free(set);
}

/* Whether some CPU, allowed or not, has node as its nearest. */
static bool node_has_cpus(hwloc_topology_t t, hwloc_obj_t node)
{
	hwloc_obj_t pu = NULL;

	while ((pu = hwloc_get_next_obj_by_type(t, HWLOC_OBJ_PU, pu)))
		if (cpu_node_obj(pu) == node)
			return true;
	return false;
}

/* package:N or node:N selected no CPU: say whether it does not exist or is not allowed. */
static void nothing_there(hwloc_topology_t t, const struct place_spec *p, char *why, size_t n)
{
	hwloc_obj_type_t type = p->kind == PLACE_PACKAGE ? HWLOC_OBJ_PACKAGE : HWLOC_OBJ_NUMANODE;
	hwloc_obj_t o = NULL;
	char have[128];

	while ((o = hwloc_get_next_obj_by_type(t, type, o)))
		if ((int)o->os_index == p->arg)
			break;
	if (o && p->kind == PLACE_NODE && !node_has_cpus(t, o)) {
		set_reason(why, n, "%s is a node without CPUs (memory only)", p->text);
		return;
	}
	if (o) {
		set_reason(why, n, "%s has no CPU this process may use", p->text);
		return;
	}
	os_indexes(t, type, have, sizeof(have));
	set_reason(why, n, "%s: no such %s (this machine's: %s)", p->text,
		   p->kind == PLACE_PACKAGE ? "package" : "NUMA node", have);
}

/* compact, smt, scatter, package:N, node:N: sort the allowed CPUs, keep the policy's. */
static int resolve_order(hwloc_topology_t t, const struct place_spec *p, int nthreads, int *cpus,
			 char *why, size_t n)
{
	struct cpu_table tb;
	int got = 0, cores = 0;

	if (table_build(t, &tb, why, n))
		return -1;
	for (int i = 0; i < tb.nr_cpus; i++) {
		struct cpu_slot *s = &tb.cpu[i];

		/* smt: a core's threads together; else first threads of all cores, then seconds */
		s->key0 = p->kind == PLACE_SMT ? s->core : s->smt;
		s->key1 = p->kind == PLACE_SMT ? s->smt : s->core;
		if (p->kind == PLACE_SCATTER)
			s->key1 = tb.core[s->core].scatter;
	}
	qsort(tb.cpu, tb.nr_cpus, sizeof(*tb.cpu), by_keys);
	for (int i = 0; i < tb.nr_cpus; i++) {
		const struct cpu_slot *s = &tb.cpu[i];
		const struct core_slot *c = &tb.core[s->core];

		if ((p->kind == PLACE_PACKAGE && c->pkg != p->arg) ||
		    (p->kind == PLACE_NODE && c->node != p->arg))
			continue;
		if (got < nthreads)
			cpus[got] = s->os;
		got++;
		cores += s->smt == 0;
	}
	table_free(&tb);
	if (!got) {
		nothing_there(t, p, why, n);
		return -1;
	}
	if (got < nthreads) {
		set_reason(why, n,
			   "%s: %d threads, but it has only %d CPUs (%d core%s) this process may use",
			   p->text, nthreads, got, cores, cores == 1 ? "" : "s");
		return -1;
	}
	return 0;
}

static int resolve_list(hwloc_topology_t t, const struct place_spec *p, int nthreads, int *cpus,
			char *why, size_t n)
{
	hwloc_const_cpuset_t allowed = hwloc_topology_get_allowed_cpuset(t);
	hwloc_bitmap_t seen = hwloc_bitmap_alloc();
	const char *s = p->list;
	int a, b, got = 0, ret = -1;
	char have[128];

	if (list_count(s) < 0) {
		set_reason(why, n,
			   "placement \"list:%s\": not a list of CPU numbers like list:0,2,4-7", s);
		goto out;
	}
	while (*s) {
		list_item(s, &a, &b, &s);
		for (int cpu = a; cpu <= b; cpu++) {
			if (!hwloc_bitmap_isset(allowed, cpu) ||
			    !hwloc_get_pu_obj_by_os_index(t, cpu)) {
				hwloc_bitmap_list_snprintf(have, sizeof(have), allowed);
				set_reason(why, n,
					   "%s: CPU %d is not one this process may use (%s)",
					   p->text, cpu, have);
				goto out;
			}
			if (hwloc_bitmap_isset(seen, cpu)) {
				set_reason(why, n,
					   "%s: CPU %d is listed twice (threads never share a CPU)",
					   p->text, cpu);
				goto out;
			}
			hwloc_bitmap_set(seen, cpu);
			if (got < nthreads)
				cpus[got] = cpu;
			got++;
		}
	}
	if (got < nthreads) {
		set_reason(why, n, "%s: %d threads, but it names only %d CPUs", p->text, nthreads,
			   got);
		goto out;
	}
	ret = 0;
out:
	hwloc_bitmap_free(seen);
	return ret;
}

int place_resolve(hwloc_topology_t t, const struct place_spec *p, int nthreads, int *cpus,
		  char *why, size_t n)
{
	if (nthreads < 1) {
		set_reason(why, n, "%d threads: need at least 1", nthreads);
		return -1;
	}
	switch (p->kind) {
	case PLACE_NONE:
		for (int i = 0; i < nthreads; i++)
			cpus[i] = -1;
		return 0;
	case PLACE_LIST:
	case PLACE_COMPACT:
	case PLACE_SCATTER:
	case PLACE_SMT:
	case PLACE_PACKAGE:
	case PLACE_NODE:
		break;
	default:
		set_reason(why, n, "unknown placement kind %d", p->kind);
		return -1;
	}
	if (!t) {
		set_reason(why, n, "%s: hwloc could not load the CPU topology", p->text);
		return -1;
	}
	if (p->kind == PLACE_LIST)
		return resolve_list(t, p, nthreads, cpus, why, n);
	return resolve_order(t, p, nthreads, cpus, why, n);
}

int mem_parse(const char *s, struct mem_spec *out, char *why, size_t n)
{
	static const struct {
		const char *name;
		enum mem_kind kind;
	} plain[] = {
		{ "none", MEM_NONE }, { "local", MEM_LOCAL },
		{ "remote", MEM_REMOTE }, { "interleave", MEM_INTERLEAVE },
	};

	memset(out, 0, sizeof(*out));
	out->node = -1;
	if (!s)
		s = "";
	for (size_t i = 0; i < sizeof(plain) / sizeof(plain[0]); i++) {
		if (!strcmp(s, plain[i].name)) {
			out->kind = plain[i].kind;
			snprintf(out->text, sizeof(out->text), "%s", s);
			return 0;
		}
	}
	if (!strncmp(s, "node:", 5)) {
		out->kind = MEM_NODE;
		out->node = parse_whole(s + 5);
		if (out->node < 0) {
			set_reason(why, n,
				   "memory policy \"%s\": \"%s\" is not a NUMA node number (0-%d)",
				   s, s + 5, MAX_INDEX);
			return -1;
		}
		snprintf(out->text, sizeof(out->text), "node:%d", out->node);
		return 0;
	}
	set_reason(why, n, "unknown memory policy \"%s\" (local, remote, interleave, node:N, none)",
		   s);
	return -1;
}

/* Node os_index if it has memory this process may use, else NULL. */
static hwloc_obj_t mem_node_obj(hwloc_topology_t t, int node)
{
	hwloc_obj_t o = node >= 0 ? hwloc_get_numanode_obj_by_os_index(t, node) : NULL;

	if (!o || !o->attr->numanode.local_memory ||
	    !hwloc_bitmap_isset(hwloc_topology_get_allowed_nodeset(t), node))
		return NULL;
	return o;
}

/* The nodes with memory this process may use (os indexes); hwloc_bitmap_free() it. */
static hwloc_bitmap_t mem_nodes(hwloc_topology_t t)
{
	hwloc_bitmap_t set = hwloc_bitmap_alloc();
	hwloc_obj_t o = NULL;

	while ((o = hwloc_get_next_obj_by_type(t, HWLOC_OBJ_NUMANODE, o)))
		if (mem_node_obj(t, o->os_index))
			hwloc_bitmap_set(set, o->os_index);
	return set;
}

/* Steps from own to node going up in os index order and wrapping round: 1 for the next. */
static int steps_after(int own, int node, int span)
{
	return node > own ? node - own : node - own + span;
}

/* The usable node nearest to own by latency; ties and no matrix: the next in order. */
static int remote_node(hwloc_topology_t t, int own, hwloc_const_bitmap_t usable)
{
	struct hwloc_distances_s *d = NULL;
	hwloc_obj_t me = hwloc_get_numanode_obj_by_os_index(t, own);
	unsigned nr = 1;
	int last = hwloc_bitmap_last(usable), span = (last > own ? last : own) + 1, best = -1;
	hwloc_uint64_t best_v = 0;

	if (hwloc_distances_get_by_type(t, HWLOC_OBJ_NUMANODE, &nr, &d,
					HWLOC_DISTANCES_KIND_MEANS_LATENCY, 0) || !nr)
		d = NULL;
	/* the matrix is used only if it has every node concerned */
	if (d && (!me || hwloc_distances_obj_index(d, me) < 0)) {
		hwloc_distances_release(t, d);
		d = NULL;
	}
	for (int i = hwloc_bitmap_first(usable); i >= 0 && d; i = hwloc_bitmap_next(usable, i)) {
		if (hwloc_distances_obj_index(d, hwloc_get_numanode_obj_by_os_index(t, i)) < 0) {
			hwloc_distances_release(t, d);
			d = NULL;
		}
	}
	for (int i = hwloc_bitmap_first(usable); i >= 0; i = hwloc_bitmap_next(usable, i)) {
		hwloc_obj_t other = hwloc_get_numanode_obj_by_os_index(t, i);
		hwloc_uint64_t v = 0, back;

		if (i == own)
			continue;
		if (d)
			hwloc_distances_obj_pair_values(d, me, other, &v, &back);
		if (best < 0 || v < best_v ||
		    (v == best_v && steps_after(own, i, span) < steps_after(own, best, span))) {
			best = i;
			best_v = v;
		}
	}
	if (d)
		hwloc_distances_release(t, d);
	return best;
}

int mem_resolve(hwloc_topology_t t, const struct mem_spec *m, int cpu, int *node, char *why,
		size_t n)
{
	hwloc_bitmap_t usable;
	char have[128];
	int own, ret = -1;

	*node = -1;
	if (m->kind == MEM_NONE)
		return 0;
	if (!t) {
		set_reason(why, n, "%s: hwloc could not load the topology", m->text);
		return -1;
	}
	usable = mem_nodes(t);
	hwloc_bitmap_list_snprintf(have, sizeof(have), usable);
	if (hwloc_bitmap_iszero(usable)) {
		set_reason(why, n, "%s: hwloc sees no NUMA node with memory this process may use",
			   m->text);
		goto out;
	}
	switch (m->kind) {
	case MEM_NODE:
		if (!hwloc_bitmap_isset(usable, m->node)) {
			set_reason(why, n,
				   "%s: no NUMA node %d with memory this process may use (usable: %s)",
				   m->text, m->node, have);
			goto out;
		}
		*node = m->node;
		break;
	case MEM_INTERLEAVE:
		*node = MEM_NODE_INTERLEAVE;
		break;
	case MEM_LOCAL:
	case MEM_REMOTE:
		if (cpu < 0) {
			set_reason(why, n,
				   "%s needs threads bound to CPUs (--place): an unbound thread can move to another node after its buffer is placed",
				   m->text);
			goto out;
		}
		own = place_cpu_node(t, cpu);
		if (own < 0) {
			set_reason(why, n, "%s: CPU %d is not in the topology", m->text, cpu);
			goto out;
		}
		if (m->kind == MEM_LOCAL) {
			if (!hwloc_bitmap_isset(usable, own)) {
				set_reason(why, n,
					   "local: node %d of CPU %d has no memory this process may use (usable: %s)",
					   own, cpu, have);
				goto out;
			}
			*node = own;
			break;
		}
		*node = remote_node(t, own, usable);
		if (*node < 0) {
			set_reason(why, n,
				   "remote needs 2 NUMA nodes with memory, this machine has %d",
				   hwloc_bitmap_weight(usable));
			goto out;
		}
		break;
	default:
		set_reason(why, n, "unknown memory policy kind %d", m->kind);
		goto out;
	}
	ret = 0;
out:
	hwloc_bitmap_free(usable);
	return ret;
}

int place_nodes(hwloc_topology_t t, int *nodes, int max)
{
	hwloc_const_cpuset_t allowed;
	hwloc_bitmap_t with_cpus, usable;
	hwloc_obj_t pu = NULL;
	int count = 0;

	if (!t)
		return 0;
	allowed = hwloc_topology_get_allowed_cpuset(t);
	with_cpus = hwloc_bitmap_alloc();
	while ((pu = hwloc_get_next_obj_by_type(t, HWLOC_OBJ_PU, pu))) {
		hwloc_obj_t node = cpu_node_obj(pu);

		if (node && hwloc_bitmap_isset(allowed, pu->os_index))
			hwloc_bitmap_set(with_cpus, node->os_index);
	}
	usable = mem_nodes(t);
	hwloc_bitmap_and(with_cpus, with_cpus, usable);
	for (int i = hwloc_bitmap_first(with_cpus); i >= 0; i = hwloc_bitmap_next(with_cpus, i)) {
		if (count < max)
			nodes[count] = i;
		count++;
	}
	hwloc_bitmap_free(usable);
	hwloc_bitmap_free(with_cpus);
	return count;
}

hwloc_topology_t place_topology(void)
{
	return placement_topology();
}
