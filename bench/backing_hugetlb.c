// SPDX-License-Identifier: GPL-2.0
/* hugetlbfs memfd mapped shared, 2 MiB or 1 GiB pages, reserving only the pages needed. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include "gupbench.h"
#include "util.h"
#include "settings.h"
#include "buffer.h"

#define SZ_2M (2ul << 20)
#define SZ_1G (1ul << 30)

/* The pool a create draws from: global, or one node's when the thread is bound to it. */
struct pool {
	char dir[160];		/* holds nr_hugepages and free_hugepages */
	char global[96];	/* holds resv_hugepages (there is no per-node count) */
	int node;		/* -1: global */
};

/* node: the one the run binds buffers to (run_opts.mem_node), or -1 */
static void pool_init(struct pool *p, size_t hsize, int node)
{
	snprintf(p->global, sizeof(p->global), "/sys/kernel/mm/hugepages/hugepages-%zukB",
		 hsize >> 10);
	p->node = node;
	if (p->node < 0)
		snprintf(p->dir, sizeof(p->dir), "%s", p->global);
	else
		snprintf(p->dir, sizeof(p->dir),
			 "/sys/devices/system/node/node%d/hugepages/hugepages-%zukB",
			 p->node, hsize >> 10);
}

static long pool_read(const char *dir, const char *file)
{
	char path[256];
	long v;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	return read_file_long(path, &v) ? -1 : v;
}

/* Pages a new mapping can get: free ones not promised to other mappings. */
static long pool_avail(const struct pool *p)
{
	long free = pool_read(p->dir, "free_hugepages");
	long resv = pool_read(p->global, "resv_hugepages");

	if (free < 0 || resv < 0)
		return -1;
	/* resv is global: on one node this may undercount, which only reserves more */
	return free > resv ? free - resv : 0;
}

static int pool_set(const struct pool *p, long nr)
{
	char path[256], val[32];

	snprintf(path, sizeof(path), "%s/nr_hugepages", p->dir);
	snprintf(val, sizeof(val), "%ld", nr);
	return setting_write(path, val);	/* restored at exit */
}

static int hugetlb_probe_size(size_t hsize, int node, char *why, size_t n)
{
	struct pool p;
	char path[256];

	pool_init(&p, hsize, node);
	if (access(p.global, F_OK)) {
		set_reason(why, n, "no %zu KiB huge pages on this machine (%s missing)",
			   hsize >> 10, p.global);
		return -1;
	}
	snprintf(path, sizeof(path), "%s/nr_hugepages", p.dir);
	if (pool_avail(&p) < 1 && access(path, W_OK)) {
		set_reason(why, n, "no free %zu KiB huge pages and %s is not writable (needs root)",
			   hsize >> 10, path);
		return -1;
	}
	return 0;
}

/* Make the pool hold need available pages; *added: how many it grew by. */
static int pool_reserve(const struct pool *p, long need, size_t hsize, long *added,
			char *why, size_t n)
{
	long nr = pool_read(p->dir, "nr_hugepages"), avail = pool_avail(p), got;

	*added = 0;
	if (nr < 0 || avail < 0) {
		set_reason(why, n, "cannot read the huge page pool in %s", p->dir);
		return -1;
	}
	if (avail >= need)
		return 0;
	if (pool_set(p, nr + need - avail)) {
		set_reason(why, n, "need %ld more %zu KiB huge pages and cannot raise %s/nr_hugepages: %s",
			   need - avail, hsize >> 10, p->dir, strerror(errno));
		return -1;
	}
	/* The kernel grows the pool as far as it can find memory: check what it gave. */
	got = pool_avail(p);
	if (got < need) {
		pool_set(p, nr);
		set_reason(why, n, "asked the kernel for %ld more %zu KiB huge pages%s, it found %ld (memory too fragmented?)",
			   need - avail, hsize >> 10, p->node >= 0 ? " on the bound node" : "",
			   got > avail ? got - avail : 0);
		return -1;
	}
	*added = need - avail;
	return 0;
}

static int hugetlb_create_size(struct buffer *b, size_t len, size_t hsize, int node,
			       char *why, size_t n)
{
	/* MFD_HUGE_SHIFT (linux/memfd.h) is MAP_HUGE_SHIFT; that header clashes with sys/mman.h */
	unsigned int flags = MFD_CLOEXEC | MFD_HUGETLB |
			     (unsigned int)__builtin_ctzl(hsize) << MAP_HUGE_SHIFT;
	long need = len / hsize, before, added;
	struct pool p;
	void *addr;

	if (buffer_check_len(len, hsize, why, n) || hugetlb_probe_size(hsize, node, why, n))
		return -1;
	pool_init(&p, hsize, node);
	before = pool_read(p.dir, "nr_hugepages");
	if (pool_reserve(&p, need, hsize, &added, why, n))
		return -1;
	b->fd = memfd_create("gupbench-hugetlb", flags);
	if (b->fd < 0) {
		set_reason(why, n, "memfd_create(MFD_HUGETLB, %zu KiB): %s", hsize >> 10,
			   strerror(errno));
		goto fail;
	}
	if (ftruncate(b->fd, len)) {
		set_reason(why, n, "ftruncate of the hugetlb memfd: %s", strerror(errno));
		goto fail;
	}
	/* hugetlbfs aligns the address to hsize itself; the pages are reserved here */
	addr = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, b->fd, 0);
	if (addr == MAP_FAILED) {
		set_reason(why, n, "mmap of %ld %zu KiB huge pages: %s", need, hsize >> 10,
			   strerror(errno));
		goto fail;
	}
	b->addr = addr;
	b->len = len;
	b->page_size = hsize;
	attrs_set_int(&b->actual, "page_size", hsize);
	attrs_set_str(&b->actual, "mapping", "hugetlb-memfd-shared");
	attrs_set_int(&b->actual, "hugetlb_needed", need);
	attrs_set_int(&b->actual, "hugetlb_reserved", added);
	attrs_set_int(&b->actual, "hugetlb_pool_before", before);
	if (p.node >= 0)
		attrs_set_int(&b->actual, "hugetlb_node", p.node);
	return 0;
fail:
	if (b->fd >= 0)
		close(b->fd);
	b->fd = -1;
	if (added)
		pool_set(&p, before);
	return -1;
}

static int hugetlb_verify(struct buffer *b, char *why, size_t n)
{
	long long shared = smaps_bytes(b->addr, b->len, "Shared_Hugetlb");
	long long private = smaps_bytes(b->addr, b->len, "Private_Hugetlb");
	long long got = shared + private;

	if (shared < 0 || private < 0) {
		set_reason(why, n, "cannot read /proc/self/smaps");
		return -1;
	}
	attrs_set_int(&b->actual, "hugetlb_bytes", got);
	if (got < (long long)b->len) {
		set_reason(why, n, "only %lld of %zu bytes are mapped by huge pages (smaps *_Hugetlb)",
			   got, b->len);
		return -1;
	}
	return 0;
}

static int hugetlb_probe(const struct run_opts *o, char *why, size_t n)
{
	return hugetlb_probe_size(SZ_2M, o ? o->mem_node : -1, why, n);
}

static int hugetlb_1g_probe(const struct run_opts *o, char *why, size_t n)
{
	return hugetlb_probe_size(SZ_1G, o ? o->mem_node : -1, why, n);
}

static int hugetlb_create(struct buffer *b, size_t len, const struct run_opts *o,
			  char *why, size_t n)
{
	return hugetlb_create_size(b, len, SZ_2M, o ? o->mem_node : -1, why, n);
}

static int hugetlb_1g_create(struct buffer *b, size_t len, const struct run_opts *o,
			     char *why, size_t n)
{
	return hugetlb_create_size(b, len, SZ_1G, o ? o->mem_node : -1, why, n);
}

/*
 * destroy is buffer_unmap: the pool keeps the pages for the next case, and
 * settings_restore() shrinks it at exit.
 */

const struct backing_ops backing_hugetlb = {
	.name = "hugetlb",
	.desc = "hugetlbfs memfd mapped shared, 2 MiB pages",
	.probe = hugetlb_probe,
	.create = hugetlb_create,
	.verify = hugetlb_verify,
	.destroy = buffer_unmap,
};

const struct backing_ops backing_hugetlb_1g = {
	.name = "hugetlb-1g",
	.desc = "hugetlbfs memfd mapped shared, 1 GiB pages",
	.probe = hugetlb_1g_probe,
	.create = hugetlb_1g_create,
	.verify = hugetlb_verify,
	.destroy = buffer_unmap,
};
