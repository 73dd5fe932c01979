/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * gupbench_ioctl.h - interface of the gupbench kernel module (/dev/gupbench)
 *
 * Shared by the module (kmod/) and by userspace (bench/, tests/). Every field
 * has a fixed width and explicit padding, so the layout is the same for 32-
 * and 64-bit userspace and for every compiler. Userspace pointers travel as
 * __u64. The flag bits and op codes are this interface's own: the module maps
 * them to the kernel's FOLL_* values when it is built (FOLL_LONGTERM changed
 * value in 6.3).
 *
 * Conventions: errno values in results are positive (EFAULT, not -EFAULT).
 * Every reserved field must be zero on input, or the request fails with
 * EINVAL.
 *
 * Extending it (the rules of copy_struct_from_user()): struct gupbench_req
 * starts with its own size. New input fields are only ever appended, after
 * res, and their zero value means "as before". The module accepts every size
 * it knows (GUPBENCH_REQ_SIZE_VER*), and a larger one if the bytes it does
 * not know are zero (E2BIG otherwise): old binaries keep working with a new
 * module, and new binaries with an old module as long as they do not ask for
 * what it lacks. GUPBENCH_IOC_RUN encodes only the size of the leading size
 * field, so it never changes. struct gupbench_info also starts with a size
 * (what the module filled in); GUPBENCH_IOC_INFO takes any buffer size from
 * GUPBENCH_INFO_SIZE_VER0 up, fills what both sides know and zeroes the rest.
 * The samples' layout is fixed per request size. GUPBENCH_UAPI_VERSION counts
 * incompatible changes only (v1: an exact-size, exact-version request).
 */
#ifndef _UAPI_GUPBENCH_IOCTL_H
#define _UAPI_GUPBENCH_IOCTL_H

#include <linux/const.h>
#include <linux/ioctl.h>
#include <linux/types.h>

#define GUPBENCH_UAPI_VERSION	2
#define GUPBENCH_DEVICE		"/dev/gupbench"

/* Operations (gupbench_req.op). 0 is invalid, so a zeroed request fails. */
#define GUPBENCH_OP_PIN_FAST	1	/* pin_user_pages_fast() */
#define GUPBENCH_OP_GET_FAST	2	/* get_user_pages_fast() */
/*
 * pin_user_pages() under mmap_read_lock: the slow path on purpose. The
 * fallback probe fires on every call, so its fallback counts equal calls and
 * pages requested; pin_ns includes taking and dropping the lock.
 */
#define GUPBENCH_OP_PIN		3

/* Flags (gupbench_req.flags), mapped to FOLL_WRITE and FOLL_LONGTERM. */
#define GUPBENCH_F_WRITE	_BITUL(0)
#define GUPBENCH_F_LONGTERM	_BITUL(1)	/* not with GUPBENCH_OP_GET_FAST: EINVAL */
#define GUPBENCH_F_ALL		(GUPBENCH_F_WRITE | GUPBENCH_F_LONGTERM)

/* Options (gupbench_req.options). */
/*
 * No clock reads around each call: pin_ns and unpin_ns stay 0 and only
 * loop_ns is measured, so loop_ns with and without this option gives the
 * cost of the per-call timing itself. No CPU or context-switch readings
 * either (gupbench_sample.cpu_* and switches stay 0).
 */
#define GUPBENCH_O_LOOP_TIME	_BITUL(0)
/*
 * Count fallbacks: the module arms its kprobe(s) for the length of this
 * request (refcounted across concurrent counting requests, armed and
 * disarmed before the first and after the last call). Its timings then
 * include the probe's cost: use them for counts only. Without this option
 * the request arms nothing and fallback_status is GUPBENCH_FB_NOT_ASKED.
 */
#define GUPBENCH_O_COUNT	_BITUL(1)
#define GUPBENCH_O_ALL		(GUPBENCH_O_LOOP_TIME | GUPBENCH_O_COUNT)

/*
 * Limits. The module rejects larger values with EINVAL; GUPBENCH_IOC_INFO
 * reports the values the loaded module enforces.
 */
#define GUPBENCH_MAX_LENGTH		_BITULL(36)	/* 64 GiB per request */
#define GUPBENCH_MAX_PAGES_PER_CALL	_BITULL(18)	/* 1 GiB of 4 KiB pages */
#define GUPBENCH_MAX_ITERATIONS		_BITULL(24)
#define GUPBENCH_MAX_SAMPLES		_BITULL(24)	/* entries of samples[] */

/*
 * Whether fallbacks were counted (gupbench_result.fallback_status), or can
 * be (gupbench_info.fallback_status). 0: counted by the kprobe.
 */
#define GUPBENCH_FB_COUNTED	0
#define GUPBENCH_FB_DISABLED	1	/* module loaded with fallback_probe=0 */
#define GUPBENCH_FB_NO_KPROBES	2	/* kernel built without CONFIG_KPROBES */
#define GUPBENCH_FB_ARCH	3	/* no argument reader for this architecture */
#define GUPBENCH_FB_KERNEL	4	/* no slow-path symbol known for this kernel version */
#define GUPBENCH_FB_NO_SYMBOL	5	/* symbol absent (inlined, renamed or a clone) */
#define GUPBENCH_FB_REGISTER	6	/* register_kprobe() failed otherwise */
#define GUPBENCH_FB_BUSY	7	/* too many concurrent requests (see max_concurrent) */
#define GUPBENCH_FB_IMPLAUSIBLE	8	/* the probe saw more than a call asked for: not trusted */
#define GUPBENCH_FB_NOT_TRUSTED	9	/* the probe self-test did not pass (see info.selftest_*) */
#define GUPBENCH_FB_NOT_ASKED	10	/* the request had no GUPBENCH_O_COUNT */

/* gupbench_result.flags */
#define GUPBENCH_RF_INTERRUPTED		_BITUL(0)	/* a signal stopped the request (EINTR) */
#define GUPBENCH_RF_SAMPLES_TRUNCATED	_BITUL(1)	/* more calls than samples_cap */
#define GUPBENCH_RF_PROBE_MISSED	_BITUL(2)	/* kprobe missed hits: counts may be low */
/*
 * The fallback probe was armed at some time during this request: always so
 * for a counting request that counted; for any other request, another
 * process was counting at the same time and every fallback of this one
 * paid for a probe hit. Timings of such a request are not probe-free.
 */
#define GUPBENCH_RF_PROBE_ARMED		_BITUL(3)

/* gupbench_sample.flags */
#define GUPBENCH_SF_MIGRATED	_BITUL(0)	/* cpu_end != cpu_start */
#define GUPBENCH_SF_SWITCHED	_BITUL(1)	/* switches > 0: the task slept or was preempted */

/* One call: what the module writes to samples[i] for the i-th call. */
struct gupbench_sample {
	/* ktime_get_ns() around each; 0 with GUPBENCH_O_LOOP_TIME */
	__u64 pin_ns;		/* the GUP call (for GUPBENCH_OP_PIN with the mmap lock) */
	__u64 unpin_ns;		/* unpin (or put) of what the call returned; 0 if nothing */
	__u32 pages_requested;
	__u32 pages_pinned;	/* 0 when the call failed */
	__u32 fallback_pages;	/* to the slow path; valid if res.fallback_status is 0 */
	__u32 error;		/* 0, or the errno the call returned */
	/*
	 * Read just outside the timed window (pin and unpin): where the call
	 * ran and whether it was scheduled out (nvcsw + nivcsw of the task
	 * after minus before). All 0 with GUPBENCH_O_LOOP_TIME.
	 */
	__u32 flags;		/* GUPBENCH_SF_* */
	__u32 cpu_start;
	__u32 cpu_end;
	__u32 switches;
};

struct gupbench_result {
	__u64 calls;		/* GUP calls made */
	__u64 pages_requested;
	__u64 pages_pinned;
	__u64 pin_ns;		/* sum over calls of gupbench_sample.pin_ns */
	__u64 unpin_ns;		/* sum over calls of gupbench_sample.unpin_ns */
	__u64 failed_calls;	/* calls that returned an error */
	__u64 short_calls;	/* calls that pinned some but not all pages */
	__u64 fallback_calls;	/* calls that entered the slow path */
	__u64 fallback_pages;	/* pages handed to the slow path */
	__u64 samples_written;
	__u32 first_error;	/* errno of the first failed call, 0 if none */
	__u32 fallback_status;	/* GUPBENCH_FB_*; fallback_* are valid only if 0 */
	__u32 flags;		/* GUPBENCH_RF_* */
	__u32 __pad;
	/*
	 * The whole loop, first call to last: calls, releases, the clock reads
	 * and the bookkeeping between calls (and sample copies, if any).
	 */
	__u64 loop_ns;
	/*
	 * Smallest time between two back-to-back ktime_get_ns() calls, taken
	 * before the loop: the clock's own share of each pin_ns and unpin_ns
	 * (0 with GUPBENCH_O_LOOP_TIME).
	 */
	__u64 clock_ns;
	__u64 switched_calls;	/* calls with GUPBENCH_SF_SWITCHED */
	__u64 migrated_calls;	/* calls with GUPBENCH_SF_MIGRATED */
	__u64 __reserved[2];
};

struct gupbench_req {
	/* in */
	__u32 size;		/* sizeof(struct gupbench_req) as the caller knows it */
	__u32 op;		/* GUPBENCH_OP_* */
	__u32 flags;		/* GUPBENCH_F_* */
	__u32 options;		/* GUPBENCH_O_* */
	__u64 addr;		/* page aligned */
	__u64 length;		/* bytes, page multiple, > 0 */
	__u64 pages_per_call;	/* 0: the whole range in one call; <= range pages */
	__u64 iterations;	/* passes over the range, >= 1 */
	__u64 samples;		/* user pointer to gupbench_sample[], or 0 */
	__u64 samples_cap;	/* entries at samples; 0 if samples is 0 */
	__u64 __reserved[4];	/* must be 0 */
	/*
	 * out: ignored on input; zeroed before the first call (so a request
	 * whose result cannot be written fails with EFAULT before it runs).
	 */
	struct gupbench_result res;
	/* New input fields go here (GUPBENCH_REQ_SIZE_VER1, ...). */
};

/* Sizes of struct gupbench_req the module knows. */
#define GUPBENCH_REQ_SIZE_VER0	240	/* interface v2 */
/* Larger requests are refused (E2BIG) beyond this, whatever their tail. */
#define GUPBENCH_REQ_SIZE_MAX	4096

#define GUPBENCH_SYMBOL_LEN	64
#define GUPBENCH_MAX_PROBES	2

/* One kprobe on a slow-path entry. */
struct gupbench_probe_info {
	char symbol[GUPBENCH_SYMBOL_LEN];	/* NUL terminated */
	__u32 arg;		/* 1-based position of the page-count argument */
	/*
	 * 0: registered (disarmed, armed only during counting requests);
	 * else the negative errno of register_kprobe().
	 */
	__s32 status;
};

/* Outcome of the probe self-test (gupbench_info.selftest_status). */
#define GUPBENCH_ST_NOT_RUN	0	/* not yet (the module runs it at load, if it can) */
#define GUPBENCH_ST_OK		1	/* every pin seen once, for exactly its one page */
#define GUPBENCH_ST_BLIND	2	/* a pin that must fall back was not seen at all */
#define GUPBENCH_ST_IMPLAUSIBLE	3	/* seen more than once, or for another page count */
#define GUPBENCH_ST_FAILED	4	/* the test could not run (mmap or pin failed) */
#define GUPBENCH_ST_UNAVAILABLE	5	/* no probe to test (see fallback_status) */

/*
 * gupbench_info.flags. ALWAYS_ARMED: this kernel keeps the probes armed from
 * load to unload (switching them per request is not safe on it, see
 * fallback_probe.c), so every request runs with them in the kernel text.
 */
#define GUPBENCH_IF_ALWAYS_ARMED	_BITUL(0)

struct gupbench_info {
	__u32 size;		/* out: bytes of this struct the module filled in */
	__u32 version;		/* out: GUPBENCH_UAPI_VERSION of the module */
	__u32 page_size;
	__u32 fallback_status;	/* GUPBENCH_FB_*: 0 if counting requests count */
	char module_version[32];	/* NUL terminated */
	__u32 nr_probes;	/* entries used in probes[] */
	__u32 max_concurrent;	/* requests that can count fallbacks at once */
	__u64 max_length;
	__u64 max_pages_per_call;
	__u64 max_iterations;
	__u64 max_samples;
	struct gupbench_probe_info probes[GUPBENCH_MAX_PROBES];
	/*
	 * The self-test: pins of one untouched anonymous page, each of which
	 * must reach the slow path exactly once for one page. The figures are
	 * those of the pin that decided the status (the first that failed, or
	 * the last one when all passed); selftest_flags is its GUPBENCH_F_*.
	 */
	__u32 selftest_status;	/* GUPBENCH_ST_* */
	__u32 selftest_flags;
	__u32 selftest_error;	/* errno of a failed mmap or pin, else 0 */
	__u32 selftest_pins;	/* pins the self-test made and checked */
	__u64 selftest_calls;	/* slow-path entries the probe saw for that pin */
	__u64 selftest_pages;	/* pages it read from the entries' argument */
	__u32 armed;		/* counting requests holding the probe armed now */
	__u32 flags;		/* GUPBENCH_IF_* */
	__u64 arm_count;	/* times the probe was armed since load */
	__u64 __reserved[4];
};

#define GUPBENCH_INFO_SIZE_VER0	312	/* interface v2 */

#define GUPBENCH_IOC_MAGIC	'g'
/*
 * Run a request. The argument points at a struct gupbench_req whose first
 * field says its size (the command encodes only that __u32). Returns 0 when
 * every call was made, whatever the calls returned: a call that fails (say
 * EFAULT for a hole or a refused pin) is recorded in res and samples, not
 * returned. Fails before anything runs, leaving res alone, with EINVAL (a
 * field is out of range, size below GUPBENCH_REQ_SIZE_VER0), E2BIG (size
 * above GUPBENCH_REQ_SIZE_MAX, or unknown trailing bytes not zero), EFAULT
 * (the request, addr/length or samples not in user space), ENOMEM or ENOTTY;
 * with EFAULT after zeroing res if res cannot be written. Once calls have
 * run, res is written and the request may still fail with EINTR (a signal
 * stopped it) or EFAULT (samples could not be written).
 */
#define GUPBENCH_IOC_RUN	_IOWR(GUPBENCH_IOC_MAGIC, 0xa2, __u32)
/*
 * Describe the module: _IOR of any size from GUPBENCH_INFO_SIZE_VER0 to
 * GUPBENCH_REQ_SIZE_MAX (the macro below uses this header's size).
 */
#define GUPBENCH_IOC_INFO	_IOR(GUPBENCH_IOC_MAGIC, 0xa3, struct gupbench_info)

#endif /* _UAPI_GUPBENCH_IOCTL_H */
