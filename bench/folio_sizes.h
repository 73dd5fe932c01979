/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The sizes of the folios behind a mapped range, as they really are: page
 * cache of ext4 gets large folios from 6.16, mTHP gives anon any order.
 * From the PFNs of /proc/self/pagemap and the compound head/tail bits of
 * /proc/kpageflags; needs root.
 */
#ifndef FOLIO_SIZES_H
#define FOLIO_SIZES_H

#include <stddef.h>
#include <stdint.h>
#include "result.h"

#define FOLIO_SIZES_MAX 48

struct folio_sizes {
	size_t present;			/* present base pages of the range */
	size_t nr;			/* sizes in v, ascending */
	struct {
		uint64_t bytes;		/* folio size */
		uint64_t folios;	/* distinct folios of that size */
	} v[FOLIO_SIZES_MAX];
};

/*
 * Every distinct folio behind a present page of [addr, addr + len), by size,
 * each counted once however many of its pages are mapped. 0, or -1 with the
 * reason in why (no PFNs without root).
 */
int folio_sizes_read(const void *addr, size_t len, struct folio_sizes *fs, char *why, size_t n);

/*
 * Into a: "folio_sizes.<bytes>" = folios of that size; or, when they cannot
 * be read, "folio_sizes_unavailable" = why. Nothing when no page is present.
 */
void folio_sizes_record(const void *addr, size_t len, struct attrs *a);

#endif
