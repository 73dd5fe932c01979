/* SPDX-License-Identifier: GPL-2.0 */
/*
 * gupbench: declarations shared by the files of the module.
 */
#ifndef _GUPBENCH_H
#define _GUPBENCH_H

#include <linux/types.h>
#include <linux/compiler.h>

#include "gupbench_ioctl.h"

/* Set by Kbuild: major * 100 + minor of the kernel built against. */
#ifndef GUPBENCH_KV
#error "GUPBENCH_KV is not defined: build with kmod/Kbuild"
#endif

#define GUPBENCH_MODULE_VERSION	"0.1.0"

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
};

int gupbench_probe_init(bool enable);
void gupbench_probe_exit(void);
void gupbench_probe_describe(struct gupbench_info *info);

/* Start counting for current. Fills fb; fb->status says whether it counts. */
void gupbench_fb_begin(struct gupbench_fb *fb);
/* Stop counting; true if a kprobe missed hits since gupbench_fb_begin(). */
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
