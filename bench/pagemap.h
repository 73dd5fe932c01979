/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What /proc/self/pagemap and /proc/kpageflags say about the pages of a
 * mapped range (Documentation/admin-guide/mm/pagemap.rst). PFNs, and so
 * kpageflags, need CAP_SYS_ADMIN; the present and exclusive bits do not.
 */
#ifndef PAGEMAP_H
#define PAGEMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "gupbench.h"

#define PM_PFN_MASK		((1ull << 55) - 1)
#define PM_MMAP_EXCLUSIVE	(1ull << 56)	/* mapped by this process only */
#define PM_PRESENT		(1ull << 63)

/* Bits of /proc/kpageflags (include/uapi/linux/kernel-page-flags.h). */
#define KPF_DIRTY		4
#define KPF_WRITEBACK		8
#define KPF_COMPOUND_HEAD	15
#define KPF_COMPOUND_TAIL	16
#define KPF_HUGE		17
#define KPF_NOPAGE		20
#define KPF_KSM			21
#define KPF_THP			22
#define KPF_ZERO_PAGE		24

/* npages entries from the base page at addr into out. 0, or -1 with errno set. */
int pagemap_read(const void *addr, size_t npages, uint64_t *out);

/* /proc/kpageflags, read a block of 512 PFNs at a time. */
struct kpageflags {
	int fd;
	uint64_t base;			/* first PFN in v */
	size_t n;			/* PFNs in v; 0: nothing read yet */
	uint64_t v[512];
};

/* 0, or -1 with the reason (root needed, no such file) in why. */
int kpageflags_open(struct kpageflags *k, char *why, size_t n);
/*
 * The flags of pfn; 1 << KPF_NOPAGE when there are none to read. get reads
 * the block of 512 around pfn (for walks along PFNs), get_one pfn alone
 * (for PFNs scattered over memory).
 */
uint64_t kpageflags_get(struct kpageflags *k, uint64_t pfn);
uint64_t kpageflags_get_one(struct kpageflags *k, uint64_t pfn);
/*
 * Read the flags of [pfn, pfn + count) (count <= 512) in one go, for get to
 * find: a run of PFNs costs one read, and the kernel computes no flags of
 * PFNs around it.
 */
void kpageflags_load(struct kpageflags *k, uint64_t pfn, size_t count);
void kpageflags_close(struct kpageflags *k);

/*
 * Up to max evenly spaced base pages of [addr, addr + len): how many are
 * present and mapped by this process alone, and with PFNs (flags_known)
 * how many present ones carry each kpageflags bit.
 */
struct page_census {
	size_t sampled, present, exclusive;
	/*
	 * KPF_KSM pages mapped more than once (pagemap bit 56 clear): merged.
	 * KPF_KSM alone is not enough: 6.12's fs/proc/page.c tests "mapping &
	 * PAGE_MAPPING_KSM", true of every anon page, and calls them all KSM.
	 */
	size_t ksm_merged;
	bool flags_known;
	char why[REASON_MAX];		/* why flags are not known */
	size_t flag[64];
};

/* 0, or -1 with the reason in why (the pagemap could not be read). */
int page_census(const void *addr, size_t len, size_t max, struct page_census *pc,
		char *why, size_t n);

#endif
