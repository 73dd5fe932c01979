// SPDX-License-Identifier: GPL-2.0
/* Shared memory from a memfd (tmpfs): 4 KiB pages (shmem) and PMD-mapped THP (shmem-thp). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include "gupbench.h"
#include "util.h"
#include "settings.h"
#include "buffer.h"

/* memfd lives on the kernel's internal tmpfs mount, which this file governs */
#define SHMEM_ENABLED "/sys/kernel/mm/transparent_hugepage/shmem_enabled"

static int shmem_probe(const struct run_opts *o, char *why, size_t n)
{
	int fd;

	(void)o;
	fd = memfd_create("gupbench-probe", MFD_CLOEXEC);
	if (fd < 0) {
		set_reason(why, n, "memfd_create: %s", strerror(errno));
		return -1;
	}
	close(fd);
	return 0;
}

/* memfd of len bytes mapped shared, PMD-aligned when align > 0. */
static int memfd_map(struct buffer *b, size_t len, size_t align, char *why, size_t n)
{
	int prot = PROT_READ | PROT_WRITE;
	void *p;

	b->fd = memfd_create("gupbench-shmem", MFD_CLOEXEC);
	if (b->fd < 0) {
		set_reason(why, n, "memfd_create: %s", strerror(errno));
		return -1;
	}
	if (ftruncate(b->fd, len)) {
		set_reason(why, n, "ftruncate of the memfd to %zu bytes: %s", len, strerror(errno));
		goto fail;
	}
	if (align)
		p = map_aligned(len, align, prot, MAP_SHARED, b->fd);
	else
		p = mmap(NULL, len, prot, MAP_SHARED, b->fd, 0);
	if (p == MAP_FAILED) {
		set_reason(why, n, "mmap of the memfd (%zu bytes): %s", len, strerror(errno));
		goto fail;
	}
	b->addr = p;
	b->len = len;
	return 0;
fail:
	close(b->fd);
	b->fd = -1;
	return -1;
}

static void add_actual(struct buffer *b)
{
	char mode[32] = "unknown";

	read_mode(SHMEM_ENABLED, mode, sizeof(mode));
	attrs_set_int(&b->actual, "page_size", b->page_size);
	attrs_set_str(&b->actual, "mapping", "memfd-shared");
	attrs_set_str(&b->actual, "shmem_enabled", mode);
}

static int shmem_create(struct buffer *b, size_t len, const struct run_opts *o,
			char *why, size_t n)
{
	(void)o;
	if (buffer_check_len(len, 0, why, n) || memfd_map(b, len, 0, why, n))
		return -1;
	/* shmem_enabled=always would give THP; "force" ignores this and verify says so */
	madvise(b->addr, len, MADV_NOHUGEPAGE);
	b->page_size = sysconf(_SC_PAGESIZE);
	add_actual(b);
	return 0;
}

static int shmem_verify(struct buffer *b, char *why, size_t n)
{
	long long thp = buffer_thp_bytes(b, "ShmemPmdMapped");

	if (thp > 0) {
		set_reason(why, n, "%lld bytes are THP despite MADV_NOHUGEPAGE (shmem_enabled=force?)",
			   thp);
		return -1;
	}
	return 0;
}

/* memfd huge pages: always, within_size, advise (with MADV_HUGEPAGE) or force. */
static bool mode_usable(const char *m)
{
	return !strcmp(m, "always") || !strcmp(m, "within_size") ||
	       !strcmp(m, "advise") || !strcmp(m, "force");
}

static int shmem_thp_probe(const struct run_opts *o, char *why, size_t n)
{
	char mode[32];

	if (shmem_probe(o, why, n))
		return -1;
	if (!thp_pmd_size() || read_mode(SHMEM_ENABLED, mode, sizeof(mode))) {
		set_reason(why, n, "shmem THP not available (no " SHMEM_ENABLED ")");
		return -1;
	}
	if (mode_usable(mode))
		return 0;
	/* create() switches "never" to advise; probing changes nothing */
	if (!strcmp(mode, "never") && access(SHMEM_ENABLED, W_OK) == 0)
		return 0;
	set_reason(why, n, "shmem THP is off (shmem_enabled=%s)%s", mode,
		   strcmp(mode, "never") ? "" : "; as root gupbench switches it to advise for the run");
	return -1;
}

static int shmem_thp_create(struct buffer *b, size_t len, const struct run_opts *o,
			    char *why, size_t n)
{
	size_t pmd = thp_pmd_size();
	bool switched = false;
	char mode[32];

	(void)o;
	if (buffer_check_len(len, 0, why, n))
		return -1;
	if (!pmd || read_mode(SHMEM_ENABLED, mode, sizeof(mode))) {
		set_reason(why, n, "shmem THP not available (no " SHMEM_ENABLED ")");
		return -1;
	}
	if (len < pmd) {
		set_reason(why, n, "shmem-thp needs at least one %zu KiB huge page, got %zu bytes",
			   pmd >> 10, len);
		return -1;
	}
	if (!mode_usable(mode)) {
		/* settings_restore() puts the original back */
		if (strcmp(mode, "never") || setting_write(SHMEM_ENABLED, "advise")) {
			set_reason(why, n, "shmem THP is off (shmem_enabled=%s) and cannot be switched to advise: %s",
				   mode, strcmp(mode, "never") ? "not switching from that mode" : strerror(errno));
			return -1;
		}
		switched = true;
	}
	if (memfd_map(b, len, pmd, why, n))
		return -1;
	if (madvise(b->addr, len, MADV_HUGEPAGE)) {
		set_reason(why, n, "madvise(MADV_HUGEPAGE): %s", strerror(errno));
		buffer_unmap(b);
		return -1;
	}
	b->page_size = pmd;
	add_actual(b);
	attrs_set_bool(&b->actual, "thp_switched", switched);
	return 0;
}

static int shmem_thp_verify(struct buffer *b, char *why, size_t n)
{
	return buffer_verify_thp(b, "ShmemPmdMapped", why, n);
}

const struct backing_ops backing_shmem = {
	.name = "shmem",
	.desc = "memfd (tmpfs) mapped shared, 4 KiB pages (MADV_NOHUGEPAGE)",
	.probe = shmem_probe,
	.create = shmem_create,
	.verify = shmem_verify,
	.destroy = buffer_unmap,
};

const struct backing_ops backing_shmem_thp = {
	.name = "shmem-thp",
	.desc = "memfd (tmpfs) mapped shared, PMD-aligned, MADV_HUGEPAGE (shmem THP)",
	.probe = shmem_thp_probe,
	.create = shmem_thp_create,
	.verify = shmem_thp_verify,
	.destroy = buffer_unmap,
};
