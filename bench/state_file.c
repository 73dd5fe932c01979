// SPDX-License-Identifier: GPL-2.0
/*
 * States dirty, clean and writeback: the page cache behind a shared mapping
 * of a file that is written back (ext4, xfs, ...). dirty: written through
 * the mapping, PTEs writable and dirty. clean: then fdatasync(): writeback
 * cleaned the folios and folio_mkclean() write-protected the PTEs, so a
 * WRITE pin needs a write fault (page_mkwrite). writeback: then
 * sync_file_range(SYNC_FILE_RANGE_WRITE) started writeback without waiting;
 * the PTEs are write-protected as for clean, and a pin that arrives before
 * the I/O completes meets folios under writeback (a write fault may wait on
 * them where the device needs stable pages). How many were still under
 * writeback after the start is recorded, not required: a fast disk is done
 * before the census.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include "gupbench.h"
#include "buffer.h"
#include "pagemap.h"
#include "state.h"
#include "util.h"

/* Dirty bytes of the mapping: smaps counts a page dirty by its PTE or its folio. */
static long long dirty_bytes(struct buffer *b)
{
	long long shared = smaps_bytes(b->addr, b->len, "Shared_Dirty");
	long long private = smaps_bytes(b->addr, b->len, "Private_Dirty");

	return shared < 0 || private < 0 ? -1 : shared + private;
}

/* The mapping must be shared page cache that is written back; else why not. */
static int file_applies(enum buf_state s, const struct backing_ops *ops, struct buffer *b,
			char *why, size_t n)
{
	const struct attr *wb = attrs_get(&b->actual, "writeback");
	const struct attr *fs = attrs_get(&b->actual, "fs");
	struct vma_desc v;
	char words[64];

	if (state_vma(b, &v, why, n))
		return -1;
	if (!v.shared || v.anon || !wb || wb->type != ATTR_BOOL) {
		set_reason(why, n, "%s: only the page cache behind a shared file mapping is "
			   "dirtied, cleaned and written back; %s is %s", state_name(s), ops->name,
			   state_vma_words(&v, words, sizeof(words)));
		return -1;
	}
	if (!wb->b) {
		set_reason(why, n, "%s: %s's file is on %s, which never writes pages back",
			   state_name(s), ops->name,
			   fs && fs->type == ATTR_STR ? fs->s : "a filesystem");
		return -1;
	}
	return 0;
}

int state_file_make(enum buf_state s, const struct backing_ops *ops, struct buffer *b,
		    char *why, size_t n)
{
	struct page_census pc;
	long long dirty;

	if (file_applies(s, ops, b, why, n))
		return -1;
	buffer_touch(b);
	if (buffer_verify(ops, b, why, n))
		return -1;
	if (s == STATE_CLEAN && fdatasync(b->fd)) {
		set_reason(why, n, "clean: fdatasync: %s", strerror(errno));
		return -1;
	}
	if (s == STATE_WRITEBACK && sync_file_range(b->fd, 0, b->len, SYNC_FILE_RANGE_WRITE)) {
		set_reason(why, n, "writeback: sync_file_range: %s", strerror(errno));
		return -1;
	}
	if (page_census(b->addr, b->len, STATE_CENSUS_PAGES, &pc, why, n))
		return -1;
	dirty = dirty_bytes(b);
	attrs_set_int(&b->actual, "state.pages_sampled", pc.sampled);
	attrs_set_int(&b->actual, "state.dirty_bytes", dirty);
	attrs_set_str(&b->actual, "page_cache", s == STATE_DIRTY ? "dirty" : s == STATE_CLEAN ?
		      "clean" : "writeback started");
	if (pc.present < pc.sampled) {
		set_reason(why, n, "%s: %zu of %zu sampled pages are not mapped after writing",
			   state_name(s), pc.sampled - pc.present, pc.sampled);
		return -1;
	}
	if (dirty < 0) {
		set_reason(why, n, "%s: cannot read /proc/self/smaps", state_name(s));
		return -1;
	}
	if (s == STATE_DIRTY && dirty < (long long)b->len) {
		set_reason(why, n, "dirty: only %lld of %zu bytes are dirty after writing", dirty,
			   b->len);
		return -1;
	}
	if (s == STATE_CLEAN && dirty) {
		set_reason(why, n, "clean: %lld bytes are still dirty after fdatasync", dirty);
		return -1;
	}
	if (s != STATE_WRITEBACK)
		return 0;
	if (pc.flags_known)
		attrs_set_int(&b->actual, "state.pages_writeback", pc.flag[KPF_WRITEBACK]);
	else
		attrs_set_str(&b->actual, "state.pages_writeback_unknown", pc.why);
	return 0;
}
