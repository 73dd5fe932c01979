// SPDX-License-Identifier: GPL-2.0
/* Folio sizes of a mapped range from pagemap PFNs and kpageflags' compound bits. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "folio_sizes.h"
#include "pagemap.h"
#include "util.h"

#define CHUNK 4096		/* pagemap entries per read */
#define MAX_FOLIO_PAGES (1u << 20)	/* 4 GiB: no walk goes further */

#define HEAD (1ull << KPF_COMPOUND_HEAD)
#define TAIL (1ull << KPF_COMPOUND_TAIL)

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static void add_size(struct folio_sizes *fs, uint64_t bytes)
{
	size_t i;

	for (i = 0; i < fs->nr && fs->v[i].bytes < bytes; i++)
		;
	if (i < fs->nr && fs->v[i].bytes == bytes) {
		fs->v[i].folios++;
		return;
	}
	if (fs->nr == FOLIO_SIZES_MAX)
		return;
	memmove(&fs->v[i + 1], &fs->v[i], (fs->nr - i) * sizeof(fs->v[0]));
	fs->v[i].bytes = bytes;
	fs->v[i].folios = 1;
	fs->nr++;
}

/* PFNs of the present pages, sorted, each once; *nr of them. NULL: out of memory or pagemap. */
static uint64_t *present_pfns(const void *addr, size_t len, size_t *nr, size_t *present,
			      char *why, size_t n)
{
	size_t npages = len / BASE_PAGE_SIZE, k = 0;
	uint64_t *pfn = malloc((npages ? npages : 1) * sizeof(*pfn));
	uint64_t *pm = malloc(CHUNK * sizeof(*pm));

	*present = 0;
	if (!pfn || !pm) {
		set_reason(why, n, "out of memory");
		goto fail;
	}
	for (size_t first = 0; first < npages; first += CHUNK) {
		size_t cnt = npages - first < CHUNK ? npages - first : CHUNK;

		if (pagemap_read((const char *)addr + first * BASE_PAGE_SIZE, cnt, pm)) {
			set_reason(why, n, "/proc/self/pagemap: %s", strerror(errno));
			goto fail;
		}
		for (size_t i = 0; i < cnt; i++) {
			if (!(pm[i] & PM_PRESENT))
				continue;
			(*present)++;
			if (pm[i] & PM_PFN_MASK)
				pfn[k++] = pm[i] & PM_PFN_MASK;
		}
	}
	free(pm);
	qsort(pfn, k, sizeof(*pfn), cmp_u64);
	*nr = 0;
	for (size_t i = 0; i < k; i++)
		if (!*nr || pfn[*nr - 1] != pfn[i])
			pfn[(*nr)++] = pfn[i];
	return pfn;
fail:
	free(pm);
	free(pfn);
	return NULL;
}

int folio_sizes_read(const void *addr, size_t len, struct folio_sizes *fs, char *why, size_t n)
{
	struct kpageflags k;
	uint64_t *pfn, end = 0;
	size_t nr = 0;

	memset(fs, 0, sizeof(*fs));
	pfn = present_pfns(addr, len, &nr, &fs->present, why, n);
	if (!pfn)
		return -1;
	if (!fs->present) {
		free(pfn);
		return 0;
	}
	if (!nr) {
		set_reason(why, n, "/proc/self/pagemap hides PFNs: needs root");
		free(pfn);
		return -1;
	}
	if (kpageflags_open(&k, why, n)) {
		free(pfn);
		return -1;
	}
	/*
	 * Ascending PFNs: the first PFN of a folio met is its head unless the
	 * range maps only the folio's later pages. A folio is its head and the
	 * run of tails right after it.
	 */
	for (size_t i = 0; i < nr; i++) {
		uint64_t head = pfn[i], f;
		unsigned int steps = 0;

		if (pfn[i] < end)
			continue;
		/* not read yet: read the run of consecutive PFNs from here at once */
		if (!k.n || head < k.base || head - k.base >= k.n) {
			size_t run = 1;

			while (i + run < nr && run < 512 && pfn[i + run] == head + run)
				run++;
			kpageflags_load(&k, head, run);
		}
		f = kpageflags_get(&k, head);
		if (f & (1ull << KPF_NOPAGE))
			continue;
		while ((f & TAIL) && head && ++steps < MAX_FOLIO_PAGES)
			f = kpageflags_get(&k, --head);
		end = head + 1;
		if (f & HEAD)
			while (end - head < MAX_FOLIO_PAGES && (kpageflags_get(&k, end) & TAIL))
				end++;
		add_size(fs, (end - head) * BASE_PAGE_SIZE);
	}
	kpageflags_close(&k);
	free(pfn);
	return 0;
}

void folio_sizes_record(const void *addr, size_t len, struct attrs *a)
{
	struct folio_sizes fs;
	char why[REASON_MAX], key[64];

	if (folio_sizes_read(addr, len, &fs, why, sizeof(why))) {
		attrs_set_str(a, "folio_sizes_unavailable", why);
		return;
	}
	for (size_t i = 0; i < fs.nr; i++) {
		snprintf(key, sizeof(key), "folio_sizes.%llu", (unsigned long long)fs.v[i].bytes);
		attrs_set_int(a, key, fs.v[i].folios);
	}
}
