// SPDX-License-Identifier: GPL-2.0
/*
 * gupbench: count the pages GUP-fast hands to the slow path.
 *
 * A kprobe sits on the slow-path entry that the fast entry calls when the
 * lockless walk stops early, and reads that entry's page-count argument.
 * Read in the real mm/gup.c of each version (Debian's linux-source-6.1
 * 6.1.192 and linux-source-6.12 6.12.117, and trees at v6.2.1 and v6.3.8):
 *
 *   5.11-6.1  internal_get_user_pages_fast() -> __gup_longterm_unlocked()
 *             (static, inlined) which calls, exclusively,
 *             __gup_longterm_locked(mm, start, nr_pages, ...) for
 *             FOLL_LONGTERM and get_user_pages_unlocked(start, nr_pages,
 *             ...) otherwise; the latter goes on to __get_user_pages_locked()
 *             and never to __gup_longterm_locked(). Probe both: exactly one
 *             fires per fallback. pin_user_pages() calls
 *             __gup_longterm_locked() for every call.
 *   6.2       internal_get_user_pages_fast() calls get_user_pages_unlocked()
 *             for every fallback, LONGTERM or not, and that now calls
 *             __gup_longterm_locked(mm, start, nr_pages, ...) ("mm/gup:
 *             remove the restriction on locked with FOLL_LONGTERM"). Probing
 *             both would count each fallback twice: probe
 *             __gup_longterm_locked only (it also sees pin_user_pages()).
 *   6.3+      the fast entry (gup_fast_fallback() from 6.10) calls
 *             __gup_longterm_locked(mm, start, nr_pages, ...) directly;
 *             get_user_pages_unlocked() is no longer on that path (6.3:
 *             __get_user_pages_locked()). Same single probe.
 * The page count is the 3rd argument of __gup_longterm_locked() and the 2nd
 * of get_user_pages_unlocked() in all of these.
 *
 * The probes are registered at load, disabled: a request arms them only
 * when it asks to count (GUPBENCH_O_COUNT), under a mutex and refcounted
 * across concurrent counting requests, before its first call and after its
 * last; so a timing request runs with no probe in the kernel at all unless
 * another process is counting at the same time, and then it is told so
 * (GUPBENCH_RF_PROBE_ARMED).
 *
 * These functions are also called by pin_user_pages(), get_user_pages() and
 * every other slow GUP user in the system, so a hit is counted only when the
 * probed task is inside a counting request, and only at entry (the
 * FOLL_LONGTERM migration loop retries inside the function).
 *
 * Gating without a shared lock: a counting request claims one slot of a
 * small table (cmpxchg on the slot's task pointer, once per request,
 * outside the timed region) and releases it before it returns. The handler
 * looks for current in the table (64 pointers, 8 cache lines, read-mostly)
 * and bumps the counters of the slot it finds, which only the owning task
 * ever writes: the handler runs in that task's context. With no counting
 * request in flight the handler returns after one atomic_read(). More
 * concurrent counting requests than slots run but report GUPBENCH_FB_BUSY.
 *
 * A probe that registers is not yet a probe that fires: the compiler may
 * have inlined the call site into a caller, or the symbol may be a leftover
 * out-of-line copy. So the module tests it before trusting it: see
 * gupbench_selftest().
 *
 * Symbols are resolved by exact name. A compiler clone (.isra, .constprop)
 * may have dropped or reordered arguments, so it is never probed: the probe
 * is reported unavailable instead. Only gupbench_arg() is architecture
 * specific.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/bits.h>
#include <linux/err.h>
#include <linux/hash.h>
#include <linux/kernel.h>
#include <linux/kprobes.h>
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/mutex.h>
#include <linux/ptrace.h>
#include <linux/sched.h>
#include <linux/string.h>

#include "gupbench.h"

#define GUPBENCH_SLOT_BITS	6
#define GUPBENCH_SLOTS		BIT(GUPBENCH_SLOT_BITS)

struct gupbench_probe {
	const char *symbol;
	unsigned int arg;	/* 0-based index of the page-count argument */
	int status;		/* 0 registered, else -errno */
#ifdef CONFIG_KPROBES
	struct kprobe kp;
#endif
};

static struct gupbench_probe gupbench_probes[] = {
#if GUPBENCH_KV >= 602
	{ .symbol = "__gup_longterm_locked", .arg = 2 },
#elif GUPBENCH_KV >= 511
	{ .symbol = "__gup_longterm_locked", .arg = 2 },
	{ .symbol = "get_user_pages_unlocked", .arg = 1 },
#endif
};

#define GUPBENCH_NR_PROBES	ARRAY_SIZE(gupbench_probes)

/*
 * Arm on demand only where it has been seen to work. On Debian's 6.1.192
 * (two ftrace-based kprobes, get_user_pages_unlocked() and
 * __gup_longterm_locked()) enabling and disabling them between requests
 * crashed the guest in internal_get_user_pages_fast() (a call to address 0)
 * within seconds of the fuzzer; the cause is not yet understood. There the
 * probes stay armed from load to unload, as in interface v1, and every
 * request says so (GUPBENCH_RF_PROBE_ARMED): timings on such kernels
 * include a probe hit per fallback.
 */
#define GUPBENCH_ARM_ON_DEMAND	(GUPBENCH_KV >= 602)

/* What registration gave: GUPBENCH_FB_COUNTED if every probe registered. */
static u32 gupbench_fb_status = GUPBENCH_FB_DISABLED;

static struct task_struct *gupbench_slot_task[GUPBENCH_SLOTS];
static struct gupbench_fb_counter gupbench_slot_ctr[GUPBENCH_SLOTS];
static atomic_t gupbench_active = ATOMIC_INIT(0);

/*
 * Arming. gupbench_arm_lock serialises enable/disable and the self-test;
 * gupbench_armed (counting requests holding the probes armed) and
 * gupbench_arm_seq (bumped before every 0->1 arming) are also read without
 * the lock by timing requests, to learn whether a probe may have been live
 * during their calls.
 */
static DEFINE_MUTEX(gupbench_arm_lock);
static atomic_t gupbench_armed = ATOMIC_INIT(0);
static atomic_t gupbench_arm_seq = ATOMIC_INIT(0);
static u64 gupbench_arm_count;

/* The self-test's outcome, written once under gupbench_arm_lock. */
struct gupbench_selftest {
	u32 status;		/* GUPBENCH_ST_* */
	u32 flags;		/* GUPBENCH_F_* of the deciding pin */
	u32 error;
	u32 pins;
	u64 calls;
	u64 pages;
};

static struct gupbench_selftest gupbench_st;

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

/* Called with gupbench_arm_lock held. */
static int gupbench_arm_locked(void)
{
	unsigned int i;
	int ret;

	lockdep_assert_held(&gupbench_arm_lock);
	if (atomic_read(&gupbench_armed) || !GUPBENCH_ARM_ON_DEMAND) {
		atomic_inc(&gupbench_armed);
		return 0;
	}
	atomic_inc(&gupbench_armed);
	atomic_inc(&gupbench_arm_seq);
	/* Both visible before a probe can fire; pairs with gupbench_fb_begin/end(). */
	smp_mb__after_atomic();
	for (i = 0; i < GUPBENCH_NR_PROBES; i++) {
		ret = enable_kprobe(&gupbench_probes[i].kp);
		if (ret) {
			pr_warn_ratelimited("cannot arm the kprobe on %s: %d\n",
					    gupbench_probes[i].symbol, ret);
			while (i--)
				disable_kprobe(&gupbench_probes[i].kp);
			/* The probes are out of the text before we say so. */
			smp_mb__before_atomic();
			atomic_dec(&gupbench_armed);
			return ret;
		}
	}
	gupbench_arm_count++;
	return 0;
}

/* Called with gupbench_arm_lock held. */
static void gupbench_disarm_locked(void)
{
	unsigned int i;

	lockdep_assert_held(&gupbench_arm_lock);
	if (WARN_ON_ONCE(!atomic_read(&gupbench_armed)))
		return;
	if (atomic_read(&gupbench_armed) == 1 && GUPBENCH_ARM_ON_DEMAND) {
		for (i = 0; i < GUPBENCH_NR_PROBES; i++)
			disable_kprobe(&gupbench_probes[i].kp);
	}
	/* The probes are out of the text before we say so. */
	smp_mb__before_atomic();
	atomic_dec(&gupbench_armed);
}

int gupbench_probe_init(bool enable)
{
	unsigned int i;
	int ret;

	gupbench_st.status = GUPBENCH_ST_UNAVAILABLE;
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
		/* Registered but not in the text until a counting request. */
		if (GUPBENCH_ARM_ON_DEMAND)
			gp->kp.flags = KPROBE_FLAG_DISABLED;
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
	gupbench_st.status = GUPBENCH_ST_NOT_RUN;
	return 0;
}

void gupbench_probe_exit(void)
{
	/* No request can run: the open file holds a module reference. */
	WARN_ON_ONCE(atomic_read(&gupbench_armed));
	if (gupbench_fb_status == GUPBENCH_FB_COUNTED)
		gupbench_unregister(GUPBENCH_NR_PROBES);
}

#else /* !GUPBENCH_CAN_PROBE */

static unsigned long gupbench_missed(void)
{
	return 0;
}

static int gupbench_arm_locked(void)
{
	return -EOPNOTSUPP;
}

static void gupbench_disarm_locked(void)
{
}

int gupbench_probe_init(bool enable)
{
	unsigned int i;

	for (i = 0; i < GUPBENCH_NR_PROBES; i++)
		gupbench_probes[i].status = -EOPNOTSUPP;
	gupbench_st.status = GUPBENCH_ST_UNAVAILABLE;
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

/* Claim a counting slot for current; false if all are taken. */
static bool gupbench_slot_claim(struct gupbench_fb *fb)
{
	struct task_struct *me = current;
	unsigned int start, i;

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
		return true;
	}
	return false;
}

/* Release the slot; true if a kprobe missed hits since it was claimed. */
static bool gupbench_slot_release(struct gupbench_fb *fb)
{
	bool missed = gupbench_missed() != fb->missed;

	atomic_dec(&gupbench_active);
	/* Pairs with the cmpxchg() of the next owner: our counter reads come first. */
	smp_store_release(&gupbench_slot_task[fb->slot], NULL);
	fb->ctr = NULL;
	fb->slot = -1;
	return missed;
}

/*
 * One self-test pin: map one anonymous page that was never touched (no page
 * table entry, so GUP-fast must give up on it and the slow path must fault
 * it in), pin it with pin_user_pages_fast() and require the probe to have
 * seen exactly one slow-path entry for exactly one page. Returns the
 * GUPBENCH_ST_* outcome of this pin.
 */
static u32 gupbench_selftest_pin(u32 uflags, struct gupbench_selftest *st)
{
	struct gupbench_fb fb = { .slot = -1 };
	unsigned long addr;
	struct page *page;
	bool missed;
	long ret;

	st->flags = uflags;
	st->calls = 0;
	st->pages = 0;
	addr = vm_mmap(NULL, 0, PAGE_SIZE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, 0);
	if (IS_ERR_VALUE(addr)) {
		st->error = -(long)addr;
		return GUPBENCH_ST_FAILED;
	}
	if (!gupbench_slot_claim(&fb)) {
		vm_munmap(addr, PAGE_SIZE);
		st->error = EBUSY;
		return GUPBENCH_ST_FAILED;
	}
	ret = pin_user_pages_fast(addr, 1, gupbench_foll_flags(uflags), &page);
	st->calls = READ_ONCE(fb.ctr->calls);
	st->pages = READ_ONCE(fb.ctr->pages);
	missed = gupbench_slot_release(&fb);
	if (ret == 1)
		unpin_user_page(page);
	vm_munmap(addr, PAGE_SIZE);
	st->pins++;

	if (ret != 1) {
		st->error = ret < 0 ? -ret : EIO;
		return GUPBENCH_ST_FAILED;
	}
	if (!st->calls && !missed)
		return GUPBENCH_ST_BLIND;
	if (st->calls != 1 || st->pages != 1 || missed)
		return GUPBENCH_ST_IMPLAUSIBLE;
	return GUPBENCH_ST_OK;
}

/*
 * The self-test, run once, with gupbench_arm_lock held, in a task with a
 * user address space: from gupbench_probe_selftest() at load (the insmod
 * task), or else at the first counting request.
 *
 * Why at load: the status is then known before anyone counts (gupbench
 * list shows it, and a broken probe is reported once, in dmesg, instead of
 * surprising a benchmark run), and its cost (arming the probes, two page
 * faults, unarming) is paid once in a process that is about to exit, never
 * inside a user's request. It borrows the loading task's address space for
 * one page, unmapped again before init returns.
 *
 * Both a WRITE pin and a WRITE|LONGTERM pin are tested: up to 6.1 they
 * reach the slow path through different entries (get_user_pages_unlocked()
 * and __gup_longterm_locked()), so each probe must prove itself; from 6.2
 * they share the entry and the second pin tests it again through the
 * LONGTERM flags.
 */
static void gupbench_selftest_locked(void)
{
	static const u32 tests[] = { GUPBENCH_F_WRITE,
				     GUPBENCH_F_WRITE | GUPBENCH_F_LONGTERM };
	struct gupbench_selftest st = { };
	unsigned int i;
	u32 status = GUPBENCH_ST_OK;
	int ret;

	lockdep_assert_held(&gupbench_arm_lock);
	if (gupbench_st.status != GUPBENCH_ST_NOT_RUN || !current->mm)
		return;
	ret = gupbench_arm_locked();
	if (ret) {
		st.status = GUPBENCH_ST_FAILED;
		st.error = -ret;
		gupbench_st = st;
		return;
	}
	for (i = 0; i < ARRAY_SIZE(tests) && status == GUPBENCH_ST_OK; i++)
		status = gupbench_selftest_pin(tests[i], &st);
	gupbench_disarm_locked();
	st.status = status;
	gupbench_st = st;
	if (status != GUPBENCH_ST_OK)
		pr_warn("fallback probe self-test: status %u (flags %#x: %llu calls, %llu pages, error %u): fallback counts will not be trusted\n",
			status, st.flags, st.calls, st.pages, st.error);
}

void gupbench_probe_selftest(void)
{
	mutex_lock(&gupbench_arm_lock);
	gupbench_selftest_locked();
	mutex_unlock(&gupbench_arm_lock);
}

static u32 gupbench_info_status(void)
{
	if (gupbench_fb_status != GUPBENCH_FB_COUNTED)
		return gupbench_fb_status;
	if (gupbench_st.status != GUPBENCH_ST_OK &&
	    gupbench_st.status != GUPBENCH_ST_NOT_RUN)
		return GUPBENCH_FB_NOT_TRUSTED;
	return GUPBENCH_FB_COUNTED;
}

void gupbench_probe_describe(struct gupbench_info *info)
{
	unsigned int i;

	mutex_lock(&gupbench_arm_lock);
	info->fallback_status = gupbench_info_status();
	info->selftest_status = gupbench_st.status;
	info->selftest_flags = gupbench_st.flags;
	info->selftest_error = gupbench_st.error;
	info->selftest_pins = gupbench_st.pins;
	info->selftest_calls = gupbench_st.calls;
	info->selftest_pages = gupbench_st.pages;
	info->armed = atomic_read(&gupbench_armed);
	if (!GUPBENCH_ARM_ON_DEMAND && gupbench_fb_status == GUPBENCH_FB_COUNTED)
		info->flags |= GUPBENCH_IF_ALWAYS_ARMED;
	info->arm_count = gupbench_arm_count;
	mutex_unlock(&gupbench_arm_lock);

	info->max_concurrent = GUPBENCH_SLOTS;
	info->nr_probes = min_t(unsigned int, GUPBENCH_NR_PROBES, GUPBENCH_MAX_PROBES);
	for (i = 0; i < info->nr_probes; i++) {
		struct gupbench_probe_info *pi = &info->probes[i];

		strscpy(pi->symbol, gupbench_probes[i].symbol, sizeof(pi->symbol));
		pi->arg = gupbench_probes[i].arg + 1;
		pi->status = gupbench_probes[i].status;
	}
}

void gupbench_fb_begin(struct gupbench_fb *fb, bool count)
{
	fb->ctr = NULL;
	fb->slot = -1;
	fb->missed = 0;
	fb->armed = false;
	fb->overlap = false;
	if (!count) {
		/*
		 * A timing request: note whether a probe is or may become live
		 * while it runs (pairs with gupbench_arm_locked()).
		 */
		fb->status = GUPBENCH_FB_NOT_ASKED;
		fb->arm_seq = atomic_read(&gupbench_arm_seq);
		/* seq before armed; pairs with gupbench_arm_locked() */
		smp_rmb();
		fb->overlap = atomic_read(&gupbench_armed) > 0 ||
			      (!GUPBENCH_ARM_ON_DEMAND &&
			       gupbench_fb_status == GUPBENCH_FB_COUNTED);
		return;
	}

	fb->status = gupbench_fb_status;
	if (fb->status != GUPBENCH_FB_COUNTED)
		return;
	mutex_lock(&gupbench_arm_lock);
	gupbench_selftest_locked();
	if (gupbench_st.status != GUPBENCH_ST_OK) {
		fb->status = GUPBENCH_FB_NOT_TRUSTED;
	} else if (!gupbench_slot_claim(fb)) {
		fb->status = GUPBENCH_FB_BUSY;
	} else if (gupbench_arm_locked()) {
		gupbench_slot_release(fb);
		fb->status = GUPBENCH_FB_REGISTER;
	} else {
		fb->armed = true;
	}
	mutex_unlock(&gupbench_arm_lock);
}

bool gupbench_fb_end(struct gupbench_fb *fb)
{
	bool missed;

	if (!fb->armed) {
		if (fb->status == GUPBENCH_FB_NOT_ASKED) {
			/* the calls before the reads; pairs with gupbench_arm_locked() */
			smp_rmb();
			fb->overlap |= atomic_read(&gupbench_armed) > 0 ||
				       atomic_read(&gupbench_arm_seq) != fb->arm_seq;
		}
		return false;
	}
	missed = gupbench_slot_release(fb);
	mutex_lock(&gupbench_arm_lock);
	gupbench_disarm_locked();
	mutex_unlock(&gupbench_arm_lock);
	fb->overlap = true;
	return missed;
}
