// SPDX-License-Identifier: GPL-2.0
/*
 * gupbench: time the kernel's GUP entry points from a tight in-kernel loop.
 *
 * /dev/gupbench (root only) takes a request (kmod/uapi/gupbench_ioctl.h):
 * a user range, pages per call, iterations, an operation and flags. The
 * module walks the range with one GUP call per chunk, times each call and
 * the release of what it returned with ktime_get_ns(), and releases every
 * page before the next call. Fallbacks to the slow path are counted by
 * fallback_probe.c, for requests that ask for it (GUPBENCH_O_COUNT) only:
 * its probes are in the kernel text only while such a request runs.
 *
 * Each sample also says on which CPU the call started and ended and how
 * many times the task was scheduled out during it (nvcsw + nivcsw), read
 * just outside the timed window, so that userspace can tell a preempted
 * or migrated call from a slow one.
 *
 * Each request has its own pages array and sample buffer, allocated before
 * anything is timed; nothing shared is written per call, so any number of
 * threads may run requests at once.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/capability.h>
#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/miscdevice.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/timekeeping.h>
#include <linux/uaccess.h>

#include "gupbench.h"

/* Samples are staged in a small buffer and copied out between calls. */
#define GUPBENCH_STAGE	128

static bool fallback_probe = true;
module_param(fallback_probe, bool, 0444);
MODULE_PARM_DESC(fallback_probe,
		 "Register the slow-path kprobe, armed only during counting requests (default: on)");

struct gupbench_run {
	const struct gupbench_req *req;
	unsigned long nr_pages;		/* pages in the range */
	unsigned long per_call;		/* pages per call */
	unsigned int gup_flags;		/* FOLL_* */
	struct page **pages;
	struct gupbench_sample *stage;
	unsigned int staged;
	struct gupbench_sample __user *usamples;
	struct gupbench_fb fb;
	struct gupbench_result res;
};

static int gupbench_validate(const struct gupbench_req *req)
{
	u64 end, npages;

	if (req->options & ~GUPBENCH_O_ALL)
		return -EINVAL;
	if (memchr_inv(req->__reserved, 0, sizeof(req->__reserved)))
		return -EINVAL;
	if (req->op != GUPBENCH_OP_PIN_FAST && req->op != GUPBENCH_OP_GET_FAST &&
	    req->op != GUPBENCH_OP_PIN)
		return -EINVAL;
	if (req->flags & ~GUPBENCH_F_ALL)
		return -EINVAL;
	/* get_user_pages_fast() WARNs on FOLL_LONGTERM (only pins may be long term). */
	if (req->op == GUPBENCH_OP_GET_FAST && (req->flags & GUPBENCH_F_LONGTERM))
		return -EINVAL;

	if (!req->length || req->length > GUPBENCH_MAX_LENGTH ||
	    !IS_ALIGNED(req->length, PAGE_SIZE) || !IS_ALIGNED(req->addr, PAGE_SIZE))
		return -EINVAL;
	if (check_add_overflow(req->addr, req->length, &end) ||
	    (unsigned long)end != end)
		return -EINVAL;
	npages = req->length >> PAGE_SHIFT;
	if (req->pages_per_call > GUPBENCH_MAX_PAGES_PER_CALL ||
	    req->pages_per_call > npages)
		return -EINVAL;
	if (!req->pages_per_call && npages > GUPBENCH_MAX_PAGES_PER_CALL)
		return -EINVAL;
	if (!req->iterations || req->iterations > GUPBENCH_MAX_ITERATIONS)
		return -EINVAL;

	if (!req->samples != !req->samples_cap ||
	    req->samples_cap > GUPBENCH_MAX_SAMPLES ||
	    (unsigned long)req->samples != req->samples)
		return -EINVAL;

	/* Kernel addresses and ranges past the end of user space. */
	if (!access_ok(u64_to_user_ptr(req->addr), req->length))
		return -EFAULT;
	if (req->samples &&
	    !access_ok(u64_to_user_ptr(req->samples),
		       req->samples_cap * sizeof(struct gupbench_sample)))
		return -EFAULT;
	return 0;
}

static int gupbench_flush(struct gupbench_run *run)
{
	size_t n = run->staged * sizeof(*run->stage);

	if (!run->staged)
		return 0;
	if (copy_to_user(run->usamples + run->res.samples_written, run->stage, n))
		return -EFAULT;
	run->res.samples_written += run->staged;
	run->staged = 0;
	return 0;
}

static int gupbench_record(struct gupbench_run *run, const struct gupbench_sample *s)
{
	if (run->res.samples_written + run->staged >= run->req->samples_cap) {
		if (run->usamples)
			run->res.flags |= GUPBENCH_RF_SAMPLES_TRUNCATED;
		return 0;
	}
	run->stage[run->staged++] = *s;
	if (run->staged == GUPBENCH_STAGE)
		return gupbench_flush(run);
	return 0;
}

/* One GUP call. The caller times it; for GUPBENCH_OP_PIN that includes the lock. */
static long gupbench_gup(struct gupbench_run *run, unsigned long start,
			 unsigned long n)
{
	struct mm_struct *mm = current->mm;
	long ret;

	switch (run->req->op) {
	case GUPBENCH_OP_PIN_FAST:
		return pin_user_pages_fast(start, n, run->gup_flags, run->pages);
	case GUPBENCH_OP_GET_FAST:
		return get_user_pages_fast(start, n, run->gup_flags, run->pages);
	case GUPBENCH_OP_PIN:
		if (mmap_read_lock_killable(mm))
			return -EINTR;
#if GUPBENCH_KV < 605	/* 6.5 dropped the vmas argument */
		ret = pin_user_pages(start, n, run->gup_flags, run->pages, NULL);
#else
		ret = pin_user_pages(start, n, run->gup_flags, run->pages);
#endif
		mmap_read_unlock(mm);
		return ret;
	default:
		/* gupbench_validate() lets no other op through. */
		WARN_ON_ONCE(1);
		return -EINVAL;
	}
}

/*
 * Release what a call returned. Nothing was written through the pages, so
 * they are not dirtied.
 */
static void gupbench_release(struct gupbench_run *run, unsigned long n)
{
	unsigned long i;

	if (run->req->op == GUPBENCH_OP_GET_FAST) {
		for (i = 0; i < n; i++)
			put_page(run->pages[i]);
	} else {
		unpin_user_pages(run->pages, n);
	}
}

/* Times the task was scheduled out, voluntarily or not. */
static unsigned long gupbench_switches(void)
{
	return READ_ONCE(current->nvcsw) + READ_ONCE(current->nivcsw);
}

/* What a timed region adds by itself: the best of a few empty ones. */
static u64 gupbench_clock_cost(void)
{
	u64 best = U64_MAX, t0, t1;
	int i;

	for (i = 0; i < 8; i++) {
		t0 = ktime_get_ns();
		t1 = ktime_get_ns();
		best = min(best, t1 - t0);
	}
	return best;
}

/* Returns 0, -EINTR (signal) or -EFAULT (samples). Pins nothing on return. */
static int gupbench_loop(struct gupbench_run *run)
{
	const struct gupbench_req *req = run->req;
	struct gupbench_result *res = &run->res;
	bool counting = run->fb.status == GUPBENCH_FB_COUNTED;
	bool timed = !(req->options & GUPBENCH_O_LOOP_TIME);
	u64 it;
	int err;

	for (it = 0; it < req->iterations; it++) {
		unsigned long off;

		for (off = 0; off < run->nr_pages; off += run->per_call) {
			unsigned long n = min(run->per_call, run->nr_pages - off);
			unsigned long start = req->addr + (off << PAGE_SHIFT);
			struct gupbench_sample s = { .pages_requested = n };
			u64 fb_calls, fb_pages, t0 = 0, t1 = 0, t2 = 0, t3 = 0;
			unsigned long sw = 0;
			long ret;

			fb_calls = gupbench_fb_calls(&run->fb);
			fb_pages = gupbench_fb_pages(&run->fb);

			if (timed) {
				s.cpu_start = raw_smp_processor_id();
				sw = gupbench_switches();
				t0 = ktime_get_ns();
			}
			ret = gupbench_gup(run, start, n);
			if (timed)
				t1 = ktime_get_ns();

			/* GUP never returns more pages than it was asked for. */
			if (WARN_ON_ONCE(ret > (long)n))
				ret = n;
			if (ret > 0) {
				unsigned long got = ret;

				if (timed)
					t2 = ktime_get_ns();
				gupbench_release(run, got);
				if (timed)
					t3 = ktime_get_ns();
				s.pages_pinned = got;
				s.unpin_ns = t3 - t2;
				if (got < n)
					res->short_calls++;
			} else if (ret < 0) {
				s.error = -ret;
				res->failed_calls++;
				if (!res->first_error)
					res->first_error = -ret;
			}
			s.pin_ns = t1 - t0;
			if (timed) {
				sw = gupbench_switches() - sw;
				s.cpu_end = raw_smp_processor_id();
				s.switches = min_t(unsigned long, sw, U32_MAX);
				if (s.cpu_end != s.cpu_start) {
					s.flags |= GUPBENCH_SF_MIGRATED;
					res->migrated_calls++;
				}
				if (sw) {
					s.flags |= GUPBENCH_SF_SWITCHED;
					res->switched_calls++;
				}
			}

			if (counting) {
				fb_calls = gupbench_fb_calls(&run->fb) - fb_calls;
				fb_pages = gupbench_fb_pages(&run->fb) - fb_pages;
				/* One slow-path entry per call, for at most n pages. */
				if (fb_calls > 1 || fb_pages > n) {
					counting = false;
					run->fb.status = GUPBENCH_FB_IMPLAUSIBLE;
				} else {
					s.fallback_pages = fb_pages;
				}
			}

			res->calls++;
			res->pages_requested += n;
			res->pages_pinned += s.pages_pinned;
			res->pin_ns += s.pin_ns;
			res->unpin_ns += s.unpin_ns;

			err = gupbench_record(run, &s);
			if (err)
				return err;
			if (signal_pending(current) || ret == -EINTR) {
				res->flags |= GUPBENCH_RF_INTERRUPTED;
				return -EINTR;
			}
			cond_resched();
		}
	}
	return 0;
}

static long gupbench_ioc_run(struct gupbench_req __user *ureq)
{
	struct gupbench_req req;
	struct gupbench_run run = { .req = &req };
	u64 fb_calls, fb_pages, t0;
	bool missed;
	u32 usize;
	int ret;

	/*
	 * Size-versioned, as copy_struct_from_user() defines it: a known size,
	 * or a larger one whose bytes beyond ours are zero.
	 */
	if (get_user(usize, &ureq->size))
		return -EFAULT;
	if (usize < GUPBENCH_REQ_SIZE_VER0)
		return -EINVAL;
	if (usize > GUPBENCH_REQ_SIZE_MAX)
		return -E2BIG;
	ret = copy_struct_from_user(&req, sizeof(req), ureq, usize);
	if (ret)
		return ret;
	/* Output only: whatever the caller left there means nothing. */
	memset(&req.res, 0, sizeof(req.res));
	ret = gupbench_validate(&req);
	if (ret)
		return ret;
	if (!current->mm)
		return -EFAULT;
	/*
	 * Stale figures must never pass for this request's, and a result
	 * that cannot be written is found out before anything runs.
	 */
	if (clear_user(&ureq->res, sizeof(ureq->res)))
		return -EFAULT;

	run.nr_pages = req.length >> PAGE_SHIFT;
	run.per_call = req.pages_per_call ? req.pages_per_call : run.nr_pages;
	run.gup_flags = gupbench_foll_flags(req.flags);
	run.usamples = u64_to_user_ptr(req.samples);

	run.pages = kvmalloc_array(run.per_call, sizeof(*run.pages), GFP_KERNEL_ACCOUNT);
	if (!run.pages)
		return -ENOMEM;
	if (req.samples) {
		run.stage = kmalloc_array(GUPBENCH_STAGE, sizeof(*run.stage), GFP_KERNEL);
		if (!run.stage) {
			kvfree(run.pages);
			return -ENOMEM;
		}
	}

	if (!(req.options & GUPBENCH_O_LOOP_TIME))
		run.res.clock_ns = gupbench_clock_cost();
	gupbench_fb_begin(&run.fb, req.options & GUPBENCH_O_COUNT);
	t0 = ktime_get_ns();
	ret = gupbench_loop(&run);
	run.res.loop_ns = ktime_get_ns() - t0;
	fb_calls = gupbench_fb_calls(&run.fb);
	fb_pages = gupbench_fb_pages(&run.fb);
	missed = gupbench_fb_end(&run.fb);
	/* Keep the samples of an interrupted request too; -EFAULT means they failed. */
	if (ret != -EFAULT) {
		int err = gupbench_flush(&run);

		if (!ret)
			ret = err;
	}

	run.res.fallback_status = run.fb.status;
	if (run.fb.overlap)
		run.res.flags |= GUPBENCH_RF_PROBE_ARMED;
	if (run.fb.status == GUPBENCH_FB_COUNTED) {
		run.res.fallback_calls = fb_calls;
		run.res.fallback_pages = fb_pages;
		if (missed)
			run.res.flags |= GUPBENCH_RF_PROBE_MISSED;
	}

	kfree(run.stage);
	kvfree(run.pages);

	if (copy_to_user(&ureq->res, &run.res, sizeof(run.res)))
		return -EFAULT;
	return ret;
}

/* usize: the caller's struct size, from the command; >= GUPBENCH_INFO_SIZE_VER0. */
static long gupbench_ioc_info(void __user *uinfo, size_t usize)
{
	struct gupbench_info info;
	size_t n = min(usize, sizeof(info));

	memset(&info, 0, sizeof(info));
	info.size = sizeof(info);
	info.version = GUPBENCH_UAPI_VERSION;
	info.page_size = PAGE_SIZE;
	strscpy(info.module_version, GUPBENCH_MODULE_VERSION, sizeof(info.module_version));
	info.max_length = GUPBENCH_MAX_LENGTH;
	info.max_pages_per_call = GUPBENCH_MAX_PAGES_PER_CALL;
	info.max_iterations = GUPBENCH_MAX_ITERATIONS;
	info.max_samples = GUPBENCH_MAX_SAMPLES;
	gupbench_probe_describe(&info);

	if (copy_to_user(uinfo, &info, n))
		return -EFAULT;
	/* Fields a newer caller knows and we do not: zero, "not reported". */
	if (usize > n && clear_user(uinfo + n, usize - n))
		return -EFAULT;
	return 0;
}

static long gupbench_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	void __user *uarg = (void __user *)arg;

	/* INFO: any struct size the caller was built with, from ours up. */
	if (_IOC_TYPE(cmd) == GUPBENCH_IOC_MAGIC &&
	    _IOC_NR(cmd) == _IOC_NR(GUPBENCH_IOC_INFO) && _IOC_DIR(cmd) == _IOC_READ) {
		if (_IOC_SIZE(cmd) < GUPBENCH_INFO_SIZE_VER0 ||
		    _IOC_SIZE(cmd) > GUPBENCH_REQ_SIZE_MAX)
			return -ENOTTY;
		return gupbench_ioc_info(uarg, _IOC_SIZE(cmd));
	}
	switch (cmd) {
	case GUPBENCH_IOC_RUN:
		return gupbench_ioc_run(uarg);
	default:
		return -ENOTTY;
	}
}

/*
 * The node is 0600 root, but a udev rule or a chmod can widen that; pinning
 * arbitrary amounts of memory on request stays an administrator's tool.
 */
static int gupbench_open(struct inode *inode, struct file *file)
{
	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	return nonseekable_open(inode, file);
}

static const struct file_operations gupbench_fops = {
	.owner		= THIS_MODULE,
	.open		= gupbench_open,
	.unlocked_ioctl	= gupbench_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
};

static struct miscdevice gupbench_dev = {
	.minor	= MISC_DYNAMIC_MINOR,
	.name	= "gupbench",
	.fops	= &gupbench_fops,
	.mode	= 0600,
};

static int __init gupbench_init(void)
{
	int ret;

	BUILD_BUG_ON(sizeof(struct gupbench_sample) != 48);
	BUILD_BUG_ON(sizeof(struct gupbench_result) != 144);
	BUILD_BUG_ON(sizeof(struct gupbench_req) != GUPBENCH_REQ_SIZE_VER0);
	BUILD_BUG_ON(sizeof(struct gupbench_probe_info) != 72);
	BUILD_BUG_ON(sizeof(struct gupbench_info) != GUPBENCH_INFO_SIZE_VER0);
	BUILD_BUG_ON(GUPBENCH_MAX_PAGES_PER_CALL > INT_MAX);

	ret = gupbench_probe_init(fallback_probe);
	if (ret)
		return ret;
	/* In the loading task: see gupbench_selftest_locked() for why at load. */
	if (current->mm)
		gupbench_probe_selftest();
	ret = misc_register(&gupbench_dev);
	if (ret) {
		gupbench_probe_exit();
		return ret;
	}
	return 0;
}

static void __exit gupbench_exit(void)
{
	/*
	 * The file's module reference keeps us loaded while a request can
	 * run; unregister_kprobe() waits for running handlers.
	 */
	misc_deregister(&gupbench_dev);
	gupbench_probe_exit();
}

module_init(gupbench_init);
module_exit(gupbench_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("gupbench: GUP-fast benchmark and fallback counter");
MODULE_VERSION(GUPBENCH_MODULE_VERSION);
