/* SPDX-License-Identifier: GPL-2.0 */
/*
 * gupbench: declarations shared by the files of the module.
 */
#ifndef _GUPBENCH_H
#define _GUPBENCH_H

#include <linux/compiler.h>
#include <linux/mm.h>
#include <linux/types.h>

#include "gupbench_ioctl.h"

/* Set by Kbuild: major * 100 + minor of the kernel built against. */
#ifndef GUPBENCH_KV
#error "GUPBENCH_KV is not defined: build with kmod/Kbuild"
#endif

#define GUPBENCH_MODULE_VERSION	"0.2.0"

/*
 * Fallback counters of one request. Only the task that owns the slot writes
 * them (the kprobe handler runs in that task's context), so plain
 * READ_ONCE/WRITE_ONCE accesses suffice.
 */
struct gupbench_fb_counter {
	u64 calls;
	u64 pages;
} ____cacheline_aligned_in_smp;

/* A request's view of fallback counting. */
struct gupbench_fb {
	struct gupbench_fb_counter *ctr;	/* NULL when not counting */
	unsigned long missed;			/* kprobe misses at the start */
	int slot;
	u32 status;				/* GUPBENCH_FB_* */
	bool armed;				/* this request holds the probes armed */
	bool overlap;				/* a probe was armed during the request */
	int arm_seq;				/* arming sequence at the start */
};

/* The interface's flag bits, as the kernel being built names them. */
static inline unsigned int gupbench_foll_flags(u32 flags)
{
	unsigned int foll = 0;

	if (flags & GUPBENCH_F_WRITE)
		foll |= FOLL_WRITE;
	if (flags & GUPBENCH_F_LONGTERM)
		foll |= FOLL_LONGTERM;
	return foll;
}

int gupbench_probe_init(bool enable);
void gupbench_probe_exit(void);
/* Test the probes once, in the calling task's address space (needs an mm). */
void gupbench_probe_selftest(void);
void gupbench_probe_describe(struct gupbench_info *info);

/*
 * Before a request's first call, outside any timed window. count: arm the
 * probes and count for current (fb->status says whether it does);
 * otherwise only note whether another request has them armed.
 */
void gupbench_fb_begin(struct gupbench_fb *fb, bool count);
/*
 * After the last call: stop counting and disarm (if counting); true if a
 * kprobe missed hits since gupbench_fb_begin(). fb->overlap then says
 * whether a probe was armed at any time in between.
 */
bool gupbench_fb_end(struct gupbench_fb *fb);

static inline u64 gupbench_fb_calls(const struct gupbench_fb *fb)
{
	return fb->ctr ? READ_ONCE(fb->ctr->calls) : 0;
}

static inline u64 gupbench_fb_pages(const struct gupbench_fb *fb)
{
	return fb->ctr ? READ_ONCE(fb->ctr->pages) : 0;
}

#endif /* _GUPBENCH_H */
