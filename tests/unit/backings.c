// SPDX-License-Identifier: GPL-2.0
/* Every backing: made, warmed, verified, recorded, freed; settings restored; placement. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include "gupbench.h"
#include "util.h"
#include "settings.h"
#include "buffer.h"
#include "placement.h"
#include "../tap.h"

#define SZ_2M (2ul << 20)
#define SZ_4M (4ul << 20)
#define SZ_1G (1ul << 30)

/* What a run may change; all must read the same after settings_restore(). */
static const char *const watched[] = {
	"/sys/kernel/mm/transparent_hugepage/enabled",
	"/sys/kernel/mm/transparent_hugepage/shmem_enabled",
	"/sys/kernel/mm/transparent_hugepage/hugepages-2048kB/enabled",
	"/sys/kernel/mm/transparent_hugepage/hugepages-2048kB/shmem_enabled",
	"/sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages",
	"/sys/kernel/mm/hugepages/hugepages-1048576kB/nr_hugepages",
	"/sys/devices/system/node/node0/hugepages/hugepages-2048kB/nr_hugepages",
	"/sys/devices/system/node/node0/hugepages/hugepages-1048576kB/nr_hugepages",
};
#define NR_WATCHED (sizeof(watched) / sizeof(watched[0]))


static struct run_opts opts = { .size = SZ_4M, .samples = 1 };

static void snapshot(char vals[][256])
{
	for (size_t i = 0; i < NR_WATCHED; i++)
		if (read_file_str(watched[i], vals[i], 256))
			strcpy(vals[i], "(absent)");
}

static void on_signal(int sig)
{
	settings_restore();
	signal(sig, SIG_DFL);
	raise(sig);
}

static bool mapped(void *addr)
{
	return msync(addr, 4096, MS_ASYNC) == 0 || errno != ENOMEM;
}

static long long actual_int(struct buffer *b, const char *key)
{
	const struct attr *v = attrs_get(&b->actual, key);

	return v && v->type == ATTR_INT ? v->i : -1;
}

static const char *actual_str(struct buffer *b, const char *key)
{
	const struct attr *v = attrs_get(&b->actual, key);

	return v && v->type == ATTR_STR ? v->s : NULL;
}

static void print_actual(const char *name, struct buffer *b)
{
	char buf[64];

	printf("# %s:", name);
	for (size_t i = 0; i < b->actual.n; i++)
		printf(" %s=%s", b->actual.v[i].key,
		       attrs_text(&b->actual, b->actual.v[i].key, buf, sizeof(buf)));
	printf("\n");
}

/* The backing-specific promise in b->actual, after verify. */
static void check_actual(const struct backing_ops *ops, struct buffer *b)
{
	const char *name = ops->name, *fs;
	const struct attr *wb;

	tap_ok(actual_int(b, "page_size") == (long long)b->page_size,
	       "%s: actual page_size %lld matches the buffer", name, actual_int(b, "page_size"));
	if (!strcmp(name, "anon") || !strcmp(name, "shmem"))
		tap_ok(actual_int(b, "thp_bytes") == 0, "%s: no THP (thp_bytes %lld)", name,
		       actual_int(b, "thp_bytes"));
	if (!strcmp(name, "anon-thp") || !strcmp(name, "shmem-thp"))
		tap_ok(actual_int(b, "thp_bytes") == (long long)b->len,
		       "%s: really THP (thp_bytes %lld of %zu)", name, actual_int(b, "thp_bytes"),
		       b->len);
	if (!strcmp(name, "hugetlb"))
		tap_ok(b->page_size == SZ_2M, "%s: page_size 2 MiB", name);
	if (!strcmp(name, "hugetlb-1g"))
		tap_ok(b->page_size == SZ_1G, "%s: page_size 1 GiB", name);
	if (!strncmp(name, "hugetlb", 7))
		tap_ok(actual_int(b, "hugetlb_bytes") == (long long)b->len &&
		       actual_int(b, "hugetlb_reserved") >= 0,
		       "%s: hugetlb_bytes %lld, reserved %lld", name,
		       actual_int(b, "hugetlb_bytes"), actual_int(b, "hugetlb_reserved"));
	if (!strncmp(name, "file-", 5)) {
		fs = actual_str(b, "fs");
		wb = attrs_get(&b->actual, "writeback");
		tap_ok(fs && wb && wb->type == ATTR_BOOL,
		       "%s: fs %s and writeback recorded", name, fs ? fs : "(none)");
		tap_ok(b->path[0] && access(b->path, F_OK) == 0, "%s: file %s exists", name,
		       b->path);
	}
	if (!strcmp(name, "file-private"))
		tap_ok(actual_int(b, "cow_bytes") == (long long)b->len,
		       "%s: whole range copied on write", name);
}

static void test_backing(const struct backing_ops *ops)
{
	size_t len = strcmp(ops->name, "hugetlb-1g") ? SZ_4M : SZ_1G;
	char why[REASON_MAX], path[4096];
	struct buffer b;
	void *addr;
	int v;

	if (ops->probe(&opts, why, sizeof(why))) {
		tap_skip(ops->name, why);
		return;
	}
	if (buffer_create(ops, &b, len, &opts, -1, why, sizeof(why))) {
		/*
		 * Limits of the machine, not faults: 1 GiB pages need 1 GiB of
		 * contiguous memory, secretmem must fit RLIMIT_MEMLOCK.
		 */
		if (!strcmp(ops->name, "hugetlb-1g") || strstr(why, "RLIMIT_MEMLOCK"))
			tap_skip(ops->name, why);
		else
			tap_ok(0, "%s: create %zu bytes: %s", ops->name, len, why);
		return;
	}
	tap_ok(b.addr && b.len == len, "%s: create %zu bytes", ops->name, len);
	buffer_touch(&b);
	v = buffer_verify(ops, &b, why, sizeof(why));
	tap_ok(v == 0, "%s: verify%s%s", ops->name, v ? ": " : "", v ? why : "");
	print_actual(ops->name, &b);
	check_actual(ops, &b);
	addr = b.addr;
	strcpy(path, b.path);
	buffer_destroy(ops, &b);
	tap_ok(!mapped(addr) && b.fd == -1 && !b.actual.n &&
	       (!path[0] || access(path, F_OK)), "%s: destroy unmaps, closes, unlinks", ops->name);
}

static void test_refusals(void)
{
	char why[REASON_MAX] = "";
	struct buffer b;
	int r;

	r = buffer_create(backing_find("anon"), &b, buffer_mem_cap() + 4096, &opts, -1, why,
			  sizeof(why));
	tap_ok(r == -1 && !b.addr && strstr(why, "25%"), "a length above 25%% of RAM is refused: %s",
	       why);
	why[0] = '\0';
	r = buffer_create(backing_find("hugetlb"), &b, 3ul << 20, &opts, -1, why, sizeof(why));
	tap_ok(r == -1 && !b.addr && strstr(why, "multiple"),
	       "hugetlb refuses 3 MiB (not a multiple of 2 MiB): %s", why);
}

/* Every sampled page of b on node (after buffer_verify recorded "placement"). */
static bool all_on_node(struct buffer *b, int node, long long *sampled)
{
	const struct attr *cnt = attrs_get(&b->actual, "placement.sampled");
	int nodes = 0;
	char key[48];

	*sampled = cnt && cnt->type == ATTR_INT ? cnt->i : -1;
	if (*sampled < 0)
		return false;
	for (size_t i = 0; i < b->actual.n; i++)
		nodes += !strncmp(b->actual.v[i].key, "placement.nodes.", 16);
	snprintf(key, sizeof(key), "placement.nodes.%d", node);
	cnt = attrs_get(&b->actual, key);
	return nodes == 1 && cnt && cnt->type == ATTR_INT && cnt->i == *sampled;
}

static void test_bound(const char *name, size_t len, int node)
{
	const struct backing_ops *ops = backing_find(name);
	char why[REASON_MAX];
	long long sampled = -1;
	struct buffer b;
	bool on;
	int v;

	if (ops->probe(&opts, why, sizeof(why))) {
		tap_skip(name, why);
		return;
	}
	v = buffer_create(ops, &b, len, &opts, node, why, sizeof(why));
	if (!tap_ok(v == 0, "%s bound to node %d: create%s%s", name, node, v ? ": " : "",
		    v ? why : ""))
		return;
	buffer_touch(&b);
	v = buffer_verify(ops, &b, why, sizeof(why));
	on = v == 0 && all_on_node(&b, node, &sampled);
	tap_ok(on, "%s bound to node %d: move_pages puts all %lld sampled pages there%s%s",
	       name, node, sampled, v ? ": " : "", v ? why : "");
	print_actual(name, &b);
	buffer_destroy(ops, &b);
}

static void test_placement(void)
{
	char why[REASON_MAX] = "";
	struct buffer b;
	int r;

	r = placement_bind_cpu(0, why, sizeof(why));
	tap_ok(r == 0 && placement_current_cpu() == 0, "bind to CPU 0: now on CPU %d%s%s",
	       placement_current_cpu(), r ? ": " : "", r ? why : "");
	r = placement_bind_cpu(100000, why, sizeof(why));
	tap_ok(r == -1 && why[0], "CPU 100000 refused: %s", why);

	test_bound("anon", SZ_4M, 0);
	test_bound("shmem", SZ_4M, 0);
	test_bound("hugetlb", SZ_4M, 0);
	test_bound("file-shared", SZ_4M, 0);

	/* 64 MiB of 4 KiB pages: 16384 pages, sampled down to 4096 */
	if (buffer_create(backing_find("anon"), &b, 64ul << 20, &opts, -1, why, sizeof(why)) == 0) {
		buffer_touch(&b);
		struct attrs pl = { 0 };
		char t1[32], t2[32];

		tap_ok(placement_page_nodes(b.addr, b.len, b.page_size, &pl) == 0 &&
		       attrs_get(&pl, "sampled") && attrs_get(&pl, "sampled")->i == 4096 &&
		       attrs_get(&pl, "total") && attrs_get(&pl, "total")->i == 16384,
		       "64 MiB: move_pages samples 4096 of 16384 pages: sampled %s, total %s",
		       attrs_text(&pl, "sampled", t1, sizeof(t1)) ?: "(none)",
		       attrs_text(&pl, "total", t2, sizeof(t2)) ?: "(none)");
		attrs_free(&pl);
		buffer_destroy(backing_find("anon"), &b);
	} else {
		tap_ok(0, "64 MiB anon: %s", why);
	}

	if (placement_nr_nodes() >= 2) {
		tap_skip("node 1 refused", "this machine has 2+ NUMA nodes");
		return;
	}
	why[0] = '\0';
	r = buffer_create(backing_find("anon"), &b, SZ_4M, &opts, 1, why, sizeof(why));
	tap_ok(r == -1 && !b.addr && why[0], "1-node machine: binding to node 1 fails: %s", why);
}

int main(void)
{
	char before[NR_WATCHED][256], after[NR_WATCHED][256];
	char cwd[4096];

	snapshot(before);
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	kver_init();
	/* files of file-backed backings go to TMPDIR if set, else the current directory */
	opts.file_dir = getenv("TMPDIR");
	printf("# file_dir %s\n", opts.file_dir ? opts.file_dir : getcwd(cwd, sizeof(cwd)));

	for (int i = 0; backings[i]; i++)
		test_backing(backings[i]);
	test_refusals();
	test_placement();

	settings_restore();
	snapshot(after);
	for (size_t i = 0; i < NR_WATCHED; i++)
		tap_ok(!strcmp(before[i], after[i]), "restored %s: %s", watched[i], after[i]);
	tap_plan(tap_n);
	return tap_done();
}
