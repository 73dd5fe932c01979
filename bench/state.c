// SPDX-License-Identifier: GPL-2.0
/* The buffer states and how a buffer is brought into each. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include "gupbench.h"
#include "buffer.h"
#include "folio_sizes.h"
#include "pagemap.h"
#include "state.h"
#include "util.h"

typedef int (*state_make_fn)(enum buf_state s, const struct backing_ops *ops,
			     struct buffer *b, char *why, size_t n);

static int make_warm(enum buf_state, const struct backing_ops *, struct buffer *, char *, size_t);
static int make_half(enum buf_state, const struct backing_ops *, struct buffer *, char *, size_t);
static int make_read(enum buf_state, const struct backing_ops *, struct buffer *, char *, size_t);
static int make_zero(enum buf_state, const struct backing_ops *, struct buffer *, char *, size_t);
static int make_ro(enum buf_state, const struct backing_ops *, struct buffer *, char *, size_t);

struct state_info {
	const char *name, *desc;
	bool survives_op;
	state_make_fn make;			/* NULL: mapped as created (cold) */
	int (*probe)(char *why, size_t n);	/* NULL: always possible */
};

static const struct state_info states[NR_STATES] = {
	[STATE_WARM] = { "warm", "prefaulted by writing", true, make_warm },
	[STATE_COLD] = { "cold", "mapped, untouched", false },
	[STATE_HALF] = { "half", "first half warm: GUP-fast stops in the middle", false,
			 make_half },
	[STATE_READ] = { "read", "prefaulted by reading: mapped without write access", false,
			 make_read },
	[STATE_FORKED] = { "forked", "warm private pages shared with a child after fork: "
			   "a pin must unshare", false, state_forked_make },
	[STATE_ZERO] = { "zero", "read-faulted private anon: the shared zero page (4 KiB or "
			 "huge), verified", false, make_zero },
	[STATE_RO] = { "ro", "warm, then mprotect(PROT_READ): WRITE pins fail", true, make_ro },
	[STATE_KSM] = { "ksm", "warm anon pages of equal content merged by KSM", false,
			state_ksm_make, state_ksm_probe },
	[STATE_DIRTY] = { "dirty", "shared file mapping written, not synced: dirty page cache",
			  true, state_file_make },
	[STATE_CLEAN] = { "clean", "shared file mapping written, then fsync()ed: clean, "
			  "write-protected page cache", false, state_file_make },
	[STATE_WRITEBACK] = { "writeback", "shared file mapping written, then writeback "
			      "started, not waited for", false, state_file_make },
};

const char *state_name(enum buf_state s)
{
	return s < NR_STATES ? states[s].name : "?";
}

const char *state_desc(enum buf_state s)
{
	return s < NR_STATES ? states[s].desc : NULL;
}

int state_find(const char *name)
{
	for (int s = 0; s < NR_STATES; s++)
		if (!strcmp(name, states[s].name))
			return s;
	return -1;
}

const char *state_names(void)
{
	static char buf[256];
	size_t len = 0;

	if (!buf[0])
		for (int s = 0; s < NR_STATES && len < sizeof(buf); s++)
			len += snprintf(buf + len, sizeof(buf) - len, "%s%s", s == 0 ? "" :
					s == NR_STATES - 1 ? " or " : ", ", states[s].name);
	return buf;
}

int state_probe(enum buf_state s, char *why, size_t n)
{
	if (s >= NR_STATES) {
		set_reason(why, n, "no such state");
		return -1;
	}
	return states[s].probe ? states[s].probe(why, n) : 0;
}

bool state_survives_op(enum buf_state s)
{
	return s < NR_STATES && states[s].survives_op;
}

size_t state_warm_bytes(enum buf_state s, const struct buffer *b)
{
	if (s == STATE_HALF)
		return b->len / 2 / b->page_size * b->page_size;
	if (s == STATE_COLD || s == STATE_READ || s == STATE_ZERO)
		return 0;
	return b->len;
}

int state_buffer_make(const struct backing_ops *ops, enum buf_state s, const struct run_opts *o,
		      int node, struct buffer *b, char *why, size_t n)
{
	if (s >= NR_STATES) {
		set_reason(why, n, "no such state");
		return -1;
	}
	if (states[s].probe && states[s].probe(why, n))
		return -1;
	if (buffer_create(ops, b, o->size, o, node, why, n))
		return -1;
	if (states[s].make && states[s].make(s, ops, b, why, n)) {
		state_buffer_free(ops, s, b);
		return -1;
	}
	folio_sizes_record(b->addr, b->len, &b->actual);
	return 0;
}

void state_buffer_free(const struct backing_ops *ops, enum buf_state s, struct buffer *b)
{
	(void)s;
	state_forked_release(b);
	buffer_destroy(ops, b);
}

static int make_warm(enum buf_state s, const struct backing_ops *ops, struct buffer *b,
		     char *why, size_t n)
{
	(void)s;
	buffer_touch(b);
	return buffer_verify(ops, b, why, n);
}

static int make_half(enum buf_state s, const struct backing_ops *ops, struct buffer *b,
		     char *why, size_t n)
{
	struct buffer first = *b;

	(void)ops, (void)why, (void)n;
	first.len = state_warm_bytes(s, b);
	buffer_touch(&first);
	return 0;
}

static int make_read(enum buf_state s, const struct backing_ops *ops, struct buffer *b,
		     char *why, size_t n)
{
	(void)s, (void)ops, (void)why, (void)n;
	buffer_touch_read(b);
	return 0;
}

/*
 * A read fault of private anonymous memory maps the shared zero page (the
 * huge zero page in a THP range, when use_zero_page allows); anything else
 * maps pages of its own. Checked by PFN where root may read them, else by a
 * resident size of 0 with every page present.
 */
static int make_zero(enum buf_state s, const struct backing_ops *ops, struct buffer *b,
		     char *why, size_t n)
{
	struct page_census pc;
	struct vma_desc v;
	char words[64], zp[16] = "?";
	size_t zero, huge;
	long long rss;

	(void)s;
	if (state_vma(b, &v, why, n))
		return -1;
	if (v.shared || !v.anon) {
		set_reason(why, n, "zero: only private anonymous memory maps the shared zero page "
			   "on a read fault; %s is %s", ops->name,
			   state_vma_words(&v, words, sizeof(words)));
		return -1;
	}
	buffer_touch_read(b);
	if (page_census(b->addr, b->len, STATE_CENSUS_PAGES, &pc, why, n))
		return -1;
	attrs_set_int(&b->actual, "state.pages_sampled", pc.sampled);
	if (pc.present < pc.sampled) {
		set_reason(why, n, "zero: %zu of %zu sampled pages are not mapped after a read",
			   pc.sampled - pc.present, pc.sampled);
		return -1;
	}
	read_file_str("/sys/kernel/mm/transparent_hugepage/use_zero_page", zp, sizeof(zp));
	if (!pc.flags_known) {
		rss = smaps_bytes(b->addr, b->len, "Rss");
		if (rss != 0) {
			set_reason(why, n, "zero: %lld bytes resident after a read: real "
				   "pages, not the zero page (THP use_zero_page %s)", rss, zp);
			return -1;
		}
		attrs_set_str(&b->actual, "state.verified_by", "pagemap present, smaps Rss 0");
		attrs_set_str(&b->actual, "state.zero_page", "unknown (4 KiB or huge)");
		attrs_set_str(&b->actual, "state.zero_page_unknown", pc.why);
		return 0;
	}
	zero = pc.flag[KPF_ZERO_PAGE];
	/* the huge zero page carries KPF_THP as well */
	huge = pc.flag[KPF_THP];
	if (zero < pc.present) {
		set_reason(why, n, "zero: %zu of %zu sampled pages are pages of their own after a "
			   "read, not the zero page (THP use_zero_page %s)", pc.present - zero,
			   pc.present, zp);
		return -1;
	}
	attrs_set_str(&b->actual, "state.verified_by", "kpageflags KPF_ZERO_PAGE");
	attrs_set_str(&b->actual, "state.zero_page", huge == zero ? "huge" : huge ?
		      "4 KiB and huge" : "4 KiB");
	attrs_set_int(&b->actual, "state.zero_pages_4k", zero - huge);
	attrs_set_int(&b->actual, "state.zero_pages_huge", huge);
	return 0;
}

/* Written, then read-only: a WRITE pin must fail in the VMA check, not only in GUP-fast. */
static int make_ro(enum buf_state s, const struct backing_ops *ops, struct buffer *b,
		   char *why, size_t n)
{
	struct vma_desc v;

	(void)s;
	buffer_touch(b);
	if (buffer_verify(ops, b, why, n))
		return -1;
	if (mprotect(b->addr, b->len, PROT_READ)) {
		set_reason(why, n, "ro: mprotect(PROT_READ): %s", strerror(errno));
		return -1;
	}
	if (state_vma(b, &v, why, n))
		return -1;
	if (strncmp(v.perms, "r--", 3)) {
		set_reason(why, n, "ro: the mapping is %s after mprotect(PROT_READ)", v.perms);
		return -1;
	}
	attrs_set_str(&b->actual, "state.protection", v.perms);
	return 0;
}

int state_vma(const struct buffer *b, struct vma_desc *v, char *why, size_t n)
{
	uintptr_t addr = (uintptr_t)b->addr;
	FILE *f = fopen("/proc/self/maps", "re");
	unsigned long start, end, inode;
	char *line = NULL;
	size_t cap = 0;
	int pos = 0;
	bool found = false;

	memset(v, 0, sizeof(*v));
	if (!f) {
		set_reason(why, n, "/proc/self/maps: %s", strerror(errno));
		return -1;
	}
	while (!found && getline(&line, &cap, f) > 0) {
		if (sscanf(line, "%lx-%lx %4s %*x %*x:%*x %lu %n", &start, &end, v->perms, &inode,
			   &pos) < 4 || addr < start || addr >= end)
			continue;
		line[strcspn(line, "\n")] = '\0';
		snprintf(v->path, sizeof(v->path), "%s", line + pos);
		v->shared = v->perms[3] == 's';
		v->anon = inode == 0 && (!v->path[0] || v->path[0] == '[');
		found = true;
	}
	free(line);
	fclose(f);
	if (!found)
		set_reason(why, n, "the buffer at %p is not in /proc/self/maps", b->addr);
	return found ? 0 : -1;
}

const char *state_vma_words(const struct vma_desc *v, char *buf, size_t n)
{
	const char *kind = !strncmp(v->path, "/memfd:", 7) ? "memfd" :
			   !strncmp(v->path, "/secretmem", 10) ? "secretmem" : "file";

	if (v->anon)
		snprintf(buf, n, "%s anonymous memory", v->shared ? "shared" : "private");
	else
		snprintf(buf, n, "a %s %s mapping", v->shared ? "shared" : "private", kind);
	return buf;
}
