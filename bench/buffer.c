// SPDX-License-Identifier: GPL-2.0
/* Buffer life cycle around a backing (create, warm, verify, destroy); helpers for backings. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <numa.h>
#include <numaif.h>
#include "buffer.h"
#include "place.h"
#include "placement.h"
#include "util.h"

static void buffer_clear(struct buffer *b)
{
	memset(b, 0, sizeof(*b));
	b->fd = -1;
}

/*
 * Page cache filled by write(2) and hugetlb reservations are allocated by the
 * task's policy, not the range's: bind the thread to the node (or interleave
 * it) while the backing creates, then give back the policy it had.
 */
static struct bitmask *policy_bind(int node, int *old_mode, char *why, size_t n)
{
	struct bitmask *old = numa_allocate_nodemask();
	struct bitmask *want = numa_allocate_nodemask();
	int mode = node == MEM_NODE_INTERLEAVE ? MPOL_INTERLEAVE : MPOL_BIND;

	if (get_mempolicy(old_mode, old->maskp, old->size + 1, NULL, 0)) {
		set_reason(why, n, "get_mempolicy: %s", strerror(errno));
		goto fail;
	}
	if (mode == MPOL_INTERLEAVE)
		copy_bitmask_to_bitmask(numa_all_nodes_ptr, want);
	else
		numa_bitmask_setbit(want, node);
	if (set_mempolicy(mode, want->maskp, want->size + 1)) {
		if (mode == MPOL_INTERLEAVE)
			set_reason(why, n, "set_mempolicy(MPOL_INTERLEAVE, all nodes): %s",
				   strerror(errno));
		else
			set_reason(why, n, "set_mempolicy(MPOL_BIND, node %d): %s",
				   node, strerror(errno));
		goto fail;
	}
	numa_bitmask_free(want);
	return old;
fail:
	numa_bitmask_free(want);
	numa_bitmask_free(old);
	return NULL;
}

static void policy_restore(int mode, struct bitmask *old)
{
	if (mode == MPOL_DEFAULT)
		set_mempolicy(MPOL_DEFAULT, NULL, 0);
	else
		set_mempolicy(mode, old->maskp, old->size + 1);
	numa_bitmask_free(old);
}

int buffer_create(const struct backing_ops *ops, struct buffer *b, size_t len,
		  const struct run_opts *o, int node, char *why, size_t n)
{
	bool interleave = node == MEM_NODE_INTERLEAVE;
	struct bitmask *old = NULL;
	int old_mode = MPOL_DEFAULT, ret;
	char nodes[128];

	buffer_clear(b);
	if (node >= 0 || interleave) {
		/* len 0: only checks that node exists and may be used */
		if (interleave ? placement_interleave_mem(NULL, 0, why, n) :
				 placement_bind_mem(NULL, 0, node, why, n))
			return -1;
		old = policy_bind(node, &old_mode, why, n);
		if (!old)
			return -1;
	}
	ret = ops->create(b, len, o, why, n);
	if (old)
		policy_restore(old_mode, old);
	if (ret) {
		attrs_free(&b->actual);
		buffer_clear(b);
		return -1;
	}
	if (node >= 0) {
		if (placement_bind_mem(b->addr, b->len, node, why, n)) {
			buffer_destroy(ops, b);
			return -1;
		}
		attrs_set_int(&b->actual, "bind_node", node);
	}
	if (interleave) {
		if (placement_interleave_mem(b->addr, b->len, why, n)) {
			buffer_destroy(ops, b);
			return -1;
		}
		/* no single node to check: buffer_verify records the split */
		placement_allowed_nodes(nodes, sizeof(nodes));
		attrs_set_str(&b->actual, "interleave_nodes", nodes);
	}
	return 0;
}

void buffer_touch(struct buffer *b)
{
	volatile char *p = b->addr;

	for (size_t off = 0; off < b->len; off += BASE_PAGE_SIZE)
		p[off] = 1;
}

void buffer_touch_read(struct buffer *b)
{
	volatile char *p = b->addr;
	char sink = 0;

	for (size_t off = 0; off < b->len; off += BASE_PAGE_SIZE)
		sink ^= p[off];
	(void)sink;
}

int buffer_verify(const struct backing_ops *ops, struct buffer *b, char *why, size_t n)
{
	struct attrs pl = { 0 };
	const struct attr *bind;

	if (ops->verify && ops->verify(b, why, n))
		return -1;
	if (placement_page_nodes(b->addr, b->len, b->page_size, &pl))
		return 0;	/* no NUMA support: nothing to check */
	attrs_merge(&b->actual, "placement", &pl);
	bind = attrs_get(&b->actual, "bind_node");
	for (size_t i = 0; bind && bind->type == ATTR_INT && i < pl.n; i++) {
		const struct attr *at = &pl.v[i];

		if (strncmp(at->key, "nodes.", 6) || at->type != ATTR_INT)
			continue;
		if (atoi(at->key + 6) != bind->i && at->i > 0) {
			set_reason(why, n,
				   "%lld sampled pages are on node %s, not on bound node %d",
				   (long long)at->i, at->key + 6, (int)bind->i);
			attrs_free(&pl);
			return -1;
		}
	}
	attrs_free(&pl);
	return 0;
}

void buffer_destroy(const struct backing_ops *ops, struct buffer *b)
{
	if (b->addr || b->fd >= 0 || b->path[0])
		ops->destroy(b);
	attrs_free(&b->actual);
	buffer_clear(b);
}

size_t buffer_mem_cap(void)
{
	long pages = sysconf(_SC_PHYS_PAGES), psz = sysconf(_SC_PAGESIZE);

	if (pages <= 0 || psz <= 0)
		return 0;
	return (size_t)pages * (size_t)psz / 4;
}

int buffer_check_len(size_t len, size_t unit, char *why, size_t n)
{
	size_t cap = buffer_mem_cap();

	if (len == 0) {
		set_reason(why, n, "buffer length is 0");
		return -1;
	}
	if (len > cap) {
		set_reason(why, n, "%zu bytes is above the cap of 25%% of RAM (%zu bytes)",
			   len, cap);
		return -1;
	}
	if (unit && len % unit) {
		set_reason(why, n, "%zu bytes is not a multiple of the %zu KiB page size",
			   len, unit >> 10);
		return -1;
	}
	return 0;
}

void *map_aligned(size_t len, size_t align, int prot, int flags, int fd)
{
	size_t span = len + align;
	char *base, *p;
	int e;

	/* Reserve address space only, then put the real mapping in its aligned middle. */
	base = mmap(NULL, span, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
		    -1, 0);
	if (base == MAP_FAILED)
		return MAP_FAILED;
	p = (char *)(((uintptr_t)base + align - 1) & ~(uintptr_t)(align - 1));
	if (mmap(p, len, prot, flags | MAP_FIXED, fd, 0) == MAP_FAILED) {
		e = errno;
		munmap(base, span);
		errno = e;
		return MAP_FAILED;
	}
	if (p > base)
		munmap(base, p - base);
	if (p + len < base + span)
		munmap(p + len, base + span - (p + len));
	return p;
}

void buffer_unmap(struct buffer *b)
{
	if (b->addr)
		munmap(b->addr, b->len);
	if (b->fd >= 0)
		close(b->fd);
	if (b->path[0])
		unlink(b->path);
	b->addr = NULL;
	b->fd = -1;
	b->path[0] = '\0';
}

long long smaps_bytes(const void *addr, size_t len, const char *field)
{
	uintptr_t lo = (uintptr_t)addr, hi = lo + len;
	size_t flen = strlen(field);
	unsigned long start, end;
	long long sum = 0, kb;
	char *line = NULL;
	size_t cap = 0;
	bool in = false;
	FILE *f = fopen("/proc/self/smaps", "re");

	if (!f)
		return -1;
	while (getline(&line, &cap, f) > 0) {
		char perms[8];

		if (sscanf(line, "%lx-%lx %7s", &start, &end, perms) == 3) {
			in = start < hi && end > lo;
			continue;
		}
		if (in && !strncmp(line, field, flen) && line[flen] == ':' &&
		    sscanf(line + flen + 1, "%lld", &kb) == 1)
			sum += kb * 1024;
	}
	free(line);
	fclose(f);
	return sum;
}

size_t thp_pmd_size(void)
{
	long v;

	if (read_file_long("/sys/kernel/mm/transparent_hugepage/hpage_pmd_size", &v) ||
	    v <= 0)
		return 0;
	return v;
}

int buffer_verify_thp(struct buffer *b, const char *field, char *why, size_t n)
{
	long long thp = buffer_thp_bytes(b, field);
	long long want = b->len / b->page_size * b->page_size;

	if (thp < 0) {
		set_reason(why, n, "cannot read /proc/self/smaps");
		return -1;
	}
	if (thp < want) {
		set_reason(why, n, "only %lld of %lld bytes are PMD-mapped THP (%s): no free huge pages or compaction failed",
			   thp, want, field);
		return -1;
	}
	return 0;
}

long long buffer_thp_bytes(struct buffer *b, const char *field)
{
	long long got = smaps_bytes(b->addr, b->len, field);

	if (got < 0)
		return -1;
	if (got > (long long)b->len)
		got = b->len;
	attrs_set_int(&b->actual, "thp_bytes", got);
	return got;
}
