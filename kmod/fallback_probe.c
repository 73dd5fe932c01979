// SPDX-License-Identifier: GPL-2.0
/*
 * gupbench: count the pages GUP-fast hands to the slow path.
 *
 * A kprobe sits on the slow-path entry that the fast entry calls when the
 * lockless walk stops early, and reads that entry's page-count argument:
 *
 *   5.11-6.2  __gup_longterm_locked (FOLL_LONGTERM, 3rd argument)
 *             get_user_pages_unlocked (otherwise, 2nd argument)
 *   6.3+      __gup_longterm_locked (3rd argument)
 *
 * These functions are also called by pin_user_pages(), get_user_pages() and
 * every other slow GUP user in the system, so a hit is counted only when the
 * probed task is inside a gupbench request, and only at entry (the
 * FOLL_LONGTERM migration loop retries inside the function).
 *
 * Gating without a shared lock: a request claims one slot of a small table
 * (cmpxchg on the slot's task pointer, once per request, outside the timed
 * region) and releases it before it returns. The handler looks for current
 * in the table (64 pointers, 8 cache lines, read-mostly) and bumps the
 * counters of the slot it finds, which only the owning task ever writes: the
 * handler runs in that task's context. Nothing is written to shared memory
 * per call. A per-task field would avoid the scan but the task_struct has no
 * field a module may borrow safely. With no request in flight the handler
 * returns after one atomic_read(). More concurrent requests than slots run
 * normally but report GUPBENCH_FB_BUSY.
 *
 * The pages counted are what the slow path was asked for, not what it
 * pinned. For GUPBENCH_OP_PIN (pin_user_pages(), the slow path by design)
 * the probe fires on every call and the count equals the pages requested;
 * that is reported as measured.
 *
 * Symbols are resolved by exact name. A compiler clone (.isra, .constprop)
 * may have dropped or reordered arguments, so it is never probed: the probe
 * is reported unavailable instead. Only gupbench_arg() is architecture
 * specific.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/bits.h>
#include <linux/hash.h>
#include <linux/kernel.h>
#include <linux/kprobes.h>
#include <linux/ptrace.h>
#include <linux/sched.h>
#include <linux/string.h>

#include "gupbench.h"

#define GUPBENCH_SLOT_BITS	6
#define GUPBENCH_SLOTS		BIT(GUPBENCH_SLOT_BITS)

struct gupbench_probe {
	const char *symbol;
	unsigned int arg;	/* 0-based index of the page-count argument */
	int status;		/* 0 armed, else -errno */
#ifdef CONFIG_KPROBES
	struct kprobe kp;
#endif
};

static struct gupbench_probe gupbench_probes[] = {
#if GUPBENCH_KV >= 603
	{ .symbol = "__gup_longterm_locked", .arg = 2 },
#elif GUPBENCH_KV >= 511
	{ .symbol = "__gup_longterm_locked", .arg = 2 },
	{ .symbol = "get_user_pages_unlocked", .arg = 1 },
#endif
};

#define GUPBENCH_NR_PROBES	ARRAY_SIZE(gupbench_probes)

static u32 gupbench_fb_status = GUPBENCH_FB_DISABLED;

static struct task_struct *gupbench_slot_task[GUPBENCH_SLOTS];
static struct gupbench_fb_counter gupbench_slot_ctr[GUPBENCH_SLOTS];
static atomic_t gupbench_active = ATOMIC_INIT(0);

#if defined(CONFIG_KPROBES) && (defined(CONFIG_X86_64) || defined(CONFIG_ARM64))
#define GUPBENCH_CAN_PROBE 1

/* The only architecture-specific part: the n-th (0-based) argument. */
static unsigned long gupbench_arg(struct pt_regs *regs, unsigned int n)
{
	return regs_get_kernel_argument(regs, n);
}
NOKPROBE_SYMBOL(gupbench_arg);

static int gupbench_kp_pre(struct kprobe *kp, struct pt_regs *regs)
{
	struct gupbench_probe *gp = container_of(kp, struct gupbench_probe, kp);
	struct task_struct *me = current;
	unsigned int start, i;

	if (!atomic_read(&gupbench_active))
		return 0;

	start = hash_ptr(me, GUPBENCH_SLOT_BITS);
	for (i = 0; i < GUPBENCH_SLOTS; i++) {
		unsigned int s = (start + i) & (GUPBENCH_SLOTS - 1);
		struct gupbench_fb_counter *ctr;

		if (READ_ONCE(gupbench_slot_task[s]) != me)
			continue;
		ctr = &gupbench_slot_ctr[s];
		WRITE_ONCE(ctr->calls, ctr->calls + 1);
		WRITE_ONCE(ctr->pages, ctr->pages + gupbench_arg(regs, gp->arg));
		break;
	}
	return 0;
}
NOKPROBE_SYMBOL(gupbench_kp_pre);

static unsigned long gupbench_missed(void)
{
	unsigned long n = 0;
	unsigned int i;

	for (i = 0; i < GUPBENCH_NR_PROBES; i++)
		n += READ_ONCE(gupbench_probes[i].kp.nmissed);
	return n;
}

static void gupbench_unregister(unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		if (!gupbench_probes[i].status)
			unregister_kprobe(&gupbench_probes[i].kp);
	}
}

int gupbench_probe_init(bool enable)
{
	unsigned int i;
	int ret;

	if (!enable) {
		gupbench_fb_status = GUPBENCH_FB_DISABLED;
		return 0;
	}
	if (!GUPBENCH_NR_PROBES) {
		gupbench_fb_status = GUPBENCH_FB_KERNEL;
		return 0;
	}
	for (i = 0; i < GUPBENCH_NR_PROBES; i++) {
		struct gupbench_probe *gp = &gupbench_probes[i];

		gp->kp.symbol_name = gp->symbol;
		gp->kp.pre_handler = gupbench_kp_pre;
		ret = register_kprobe(&gp->kp);
		gp->status = ret;
		if (ret) {
			/* All or nothing: a partial count would be a wrong count. */
			pr_info("no fallback counting: kprobe on %s: %d\n",
				gp->symbol, ret);
			gupbench_fb_status = ret == -ENOENT ? GUPBENCH_FB_NO_SYMBOL :
							      GUPBENCH_FB_REGISTER;
			gupbench_unregister(i);
			for (i++; i < GUPBENCH_NR_PROBES; i++)
				gupbench_probes[i].status = -ECANCELED;
			return 0;
		}
	}
	gupbench_fb_status = GUPBENCH_FB_COUNTED;
	return 0;
}

void gupbench_probe_exit(void)
{
	if (gupbench_fb_status == GUPBENCH_FB_COUNTED)
		gupbench_unregister(GUPBENCH_NR_PROBES);
}

#else /* !GUPBENCH_CAN_PROBE */

static unsigned long gupbench_missed(void)
{
	return 0;
}

int gupbench_probe_init(bool enable)
{
	unsigned int i;

	for (i = 0; i < GUPBENCH_NR_PROBES; i++)
		gupbench_probes[i].status = -EOPNOTSUPP;
	if (!enable)
		gupbench_fb_status = GUPBENCH_FB_DISABLED;
	else if (!IS_ENABLED(CONFIG_KPROBES))
		gupbench_fb_status = GUPBENCH_FB_NO_KPROBES;
	else
		gupbench_fb_status = GUPBENCH_FB_ARCH;
	return 0;
}

void gupbench_probe_exit(void)
{
}

#endif /* GUPBENCH_CAN_PROBE */

void gupbench_probe_describe(struct gupbench_info *info)
{
	unsigned int i;

	info->fallback_status = gupbench_fb_status;
	info->max_concurrent = GUPBENCH_SLOTS;
	info->nr_probes = min_t(unsigned int, GUPBENCH_NR_PROBES, GUPBENCH_MAX_PROBES);
	for (i = 0; i < info->nr_probes; i++) {
		struct gupbench_probe_info *pi = &info->probes[i];

		strscpy(pi->symbol, gupbench_probes[i].symbol, sizeof(pi->symbol));
		pi->arg = gupbench_probes[i].arg + 1;
		pi->status = gupbench_probes[i].status;
	}
}

void gupbench_fb_begin(struct gupbench_fb *fb)
{
	struct task_struct *me = current;
	unsigned int start, i;

	fb->ctr = NULL;
	fb->slot = -1;
	fb->missed = 0;
	fb->status = gupbench_fb_status;
	if (fb->status != GUPBENCH_FB_COUNTED)
		return;

	start = hash_ptr(me, GUPBENCH_SLOT_BITS);
	for (i = 0; i < GUPBENCH_SLOTS; i++) {
		unsigned int s = (start + i) & (GUPBENCH_SLOTS - 1);

		if (READ_ONCE(gupbench_slot_task[s]) ||
		    cmpxchg(&gupbench_slot_task[s], NULL, me))
			continue;
		/*
		 * The slot is ours. The handler writes its counters only in
		 * this task's context, so zeroing them here, before any GUP
		 * call, cannot race with it; cmpxchg() orders this after the
		 * previous owner's release.
		 */
		fb->slot = s;
		fb->ctr = &gupbench_slot_ctr[s];
		WRITE_ONCE(fb->ctr->calls, 0);
		WRITE_ONCE(fb->ctr->pages, 0);
		atomic_inc(&gupbench_active);
		fb->missed = gupbench_missed();
		return;
	}
	fb->status = GUPBENCH_FB_BUSY;
}

bool gupbench_fb_end(struct gupbench_fb *fb)
{
	bool missed;

	if (!fb->ctr)
		return false;
	missed = gupbench_missed() != fb->missed;
	atomic_dec(&gupbench_active);
	/* Pairs with the cmpxchg() of the next owner: our counter reads come first. */
	smp_store_release(&gupbench_slot_task[fb->slot], NULL);
	fb->ctr = NULL;
	fb->slot = -1;
	return missed;
}
