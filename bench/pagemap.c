// SPDX-License-Identifier: GPL-2.0
/* Pagemap entries and kpageflags of a mapped range, and a census of sampled pages. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "pagemap.h"
#include "util.h"

#define CHUNK 4096	/* pagemap entries per read */

int pagemap_read(const void *addr, size_t npages, uint64_t *out)
{
	off_t off = (uintptr_t)addr / BASE_PAGE_SIZE * sizeof(uint64_t);
	size_t want = npages * sizeof(uint64_t), done = 0;
	int fd = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC), e;

	if (fd < 0)
		return -1;
	while (done < want) {
		ssize_t r = pread(fd, (char *)out + done, want - done, off + done);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			e = r ? errno : EIO;
			close(fd);
			errno = e;
			return -1;
		}
		done += r;
	}
	close(fd);
	return 0;
}

int kpageflags_open(struct kpageflags *k, char *why, size_t n)
{
	memset(k, 0, sizeof(*k));
	k->fd = open("/proc/kpageflags", O_RDONLY | O_CLOEXEC);
	if (k->fd >= 0)
		return 0;
	if (errno == EACCES || errno == EPERM)
		set_reason(why, n, "PFNs (/proc/self/pagemap, /proc/kpageflags) need root");
	else
		set_reason(why, n, "/proc/kpageflags: %s", strerror(errno));
	return -1;
}

void kpageflags_load(struct kpageflags *k, uint64_t pfn, size_t count)
{
	ssize_t r;

	if (count > sizeof(k->v) / sizeof(k->v[0]))
		count = sizeof(k->v) / sizeof(k->v[0]);
	r = pread(k->fd, k->v, count * sizeof(uint64_t), pfn * sizeof(uint64_t));
	k->base = pfn;
	k->n = r > 0 ? (size_t)r / sizeof(uint64_t) : 0;
}

uint64_t kpageflags_get(struct kpageflags *k, uint64_t pfn)
{
	if (!k->n || pfn < k->base || pfn - k->base >= k->n)
		kpageflags_load(k, pfn & ~(uint64_t)511, 512);
	if (pfn < k->base || pfn - k->base >= k->n)
		return 1ull << KPF_NOPAGE;
	return k->v[pfn - k->base];
}

uint64_t kpageflags_get_one(struct kpageflags *k, uint64_t pfn)
{
	uint64_t f;

	if (k->n && pfn >= k->base && pfn - k->base < k->n)
		return k->v[pfn - k->base];
	if (pread(k->fd, &f, sizeof(f), pfn * sizeof(uint64_t)) != sizeof(f))
		return 1ull << KPF_NOPAGE;
	return f;
}

void kpageflags_close(struct kpageflags *k)
{
	if (k->fd >= 0)
		close(k->fd);
	k->fd = -1;
}

int page_census(const void *addr, size_t len, size_t max, struct page_census *pc,
		char *why, size_t n)
{
	size_t npages = len / BASE_PAGE_SIZE, stride, at;
	uint64_t *pm = malloc(CHUNK * sizeof(*pm));
	struct kpageflags k = { .fd = -1 };
	bool pfn_seen = false;

	memset(pc, 0, sizeof(*pc));
	if (!pm) {
		set_reason(why, n, "out of memory");
		return -1;
	}
	stride = max && npages > max ? (npages + max - 1) / max : 1;
	pc->flags_known = kpageflags_open(&k, pc->why, sizeof(pc->why)) == 0;
	for (size_t first = 0; first < npages; first += CHUNK) {
		size_t nr = npages - first < CHUNK ? npages - first : CHUNK;

		if (pagemap_read((const char *)addr + first * BASE_PAGE_SIZE, nr, pm)) {
			set_reason(why, n, "/proc/self/pagemap: %s", strerror(errno));
			free(pm);
			kpageflags_close(&k);
			return -1;
		}
		/* the sampled pages in this chunk: multiples of stride */
		at = (first + stride - 1) / stride * stride;
		for (; at < first + nr; at += stride) {
			uint64_t e = pm[at - first], f;

			pc->sampled++;
			if (!(e & PM_PRESENT))
				continue;
			pc->present++;
			pc->exclusive += !!(e & PM_MMAP_EXCLUSIVE);
			if (!pc->flags_known)
				continue;
			pfn_seen |= (e & PM_PFN_MASK) != 0;
			f = kpageflags_get_one(&k, e & PM_PFN_MASK);
			for (int b = 0; b < 64; b++)
				pc->flag[b] += (f >> b) & 1;
			pc->ksm_merged += (f >> KPF_KSM & 1) && !(e & PM_MMAP_EXCLUSIVE);
		}
	}
	free(pm);
	kpageflags_close(&k);
	/* without CAP_SYS_ADMIN the PFN field reads as 0 */
	if (pc->flags_known && pc->present && !pfn_seen) {
		pc->flags_known = false;
		set_reason(pc->why, sizeof(pc->why), "/proc/self/pagemap hides PFNs: needs root");
		memset(pc->flag, 0, sizeof(pc->flag));
	}
	return 0;
}
