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
 * EINVAL. A layout change bumps GUPBENCH_UAPI_VERSION (and, as the sizes are
 * part of the command numbers, usually the commands too).
 */
#ifndef _UAPI_GUPBENCH_IOCTL_H
#define _UAPI_GUPBENCH_IOCTL_H

#include <linux/types.h>
#include <linux/ioctl.h>

#define GUPBENCH_UAPI_VERSION	1
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
#define GUPBENCH_F_WRITE	(1U << 0)
#define GUPBENCH_F_LONGTERM	(1U << 1)	/* not with GUPBENCH_OP_GET_FAST: EINVAL */
#define GUPBENCH_F_ALL		(GUPBENCH_F_WRITE | GUPBENCH_F_LONGTERM)

/* Options (gupbench_req.options). */
/*
 * No clock reads around each call: pin_ns and unpin_ns stay 0 and only
 * loop_ns is measured, so loop_ns with and without this option gives the
 * cost of the per-call timing itself.
 */
#define GUPBENCH_O_LOOP_TIME	(1U << 0)
#define GUPBENCH_O_ALL		GUPBENCH_O_LOOP_TIME

/*
 * Limits. The module rejects larger values with EINVAL; GUPBENCH_IOC_INFO
 * reports the values the loaded module enforces.
 */
#define GUPBENCH_MAX_LENGTH		(1ULL << 36)	/* 64 GiB per request */
#define GUPBENCH_MAX_PAGES_PER_CALL	(1ULL << 18)	/* 1 GiB of 4 KiB pages */
#define GUPBENCH_MAX_ITERATIONS		(1ULL << 24)
#define GUPBENCH_MAX_SAMPLES		(1ULL << 24)	/* entries of samples[] */

/*
 * Why fallback counting is not available (gupbench_result.fallback_status,
 * gupbench_info.fallback_status). 0: counted by the kprobe.
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

/* gupbench_result.flags */
#define GUPBENCH_RF_INTERRUPTED		(1U << 0)	/* a signal stopped the request (EINTR) */
#define GUPBENCH_RF_SAMPLES_TRUNCATED	(1U << 1)	/* more calls than samples_cap */
#define GUPBENCH_RF_PROBE_MISSED	(1U << 2)	/* kprobe missed hits: counts may be low */

/* One call: what the module writes to samples[i] for the i-th call. */
struct gupbench_sample {
	/* ktime_get_ns() around each; 0 with GUPBENCH_O_LOOP_TIME */
	__u64 pin_ns;		/* the GUP call (for GUPBENCH_OP_PIN with the mmap lock) */
	__u64 unpin_ns;		/* unpin (or put) of what the call returned; 0 if nothing */
	__u32 pages_requested;
	__u32 pages_pinned;	/* 0 when the call failed */
	__u32 fallback_pages;	/* to the slow path; valid if res.fallback_status is 0 */
	__u32 error;		/* 0, or the errno the call returned */
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
	__u64 __reserved[2];
};

struct gupbench_req {
	/* in */
	__u32 version;		/* GUPBENCH_UAPI_VERSION */
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
	/* out (ignored on input) */
	struct gupbench_result res;
};

#define GUPBENCH_SYMBOL_LEN	64
#define GUPBENCH_MAX_PROBES	2

/* One kprobe on a slow-path entry. */
struct gupbench_probe_info {
	char symbol[GUPBENCH_SYMBOL_LEN];	/* NUL terminated */
	__u32 arg;		/* 1-based position of the page-count argument */
	__s32 status;		/* 0 armed, else the negative errno of register_kprobe() */
};

struct gupbench_info {
	__u32 version;		/* out: GUPBENCH_UAPI_VERSION of the module */
	__u32 page_size;
	char module_version[32];	/* NUL terminated */
	__u32 fallback_status;	/* GUPBENCH_FB_*: 0 if the probes are armed */
	__u32 nr_probes;	/* entries used in probes[] */
	__u32 max_concurrent;	/* requests that can count fallbacks at once */
	__u32 __pad;
	__u64 max_length;
	__u64 max_pages_per_call;
	__u64 max_iterations;
	__u64 max_samples;
	struct gupbench_probe_info probes[GUPBENCH_MAX_PROBES];
	__u64 __reserved[4];
};

#define GUPBENCH_IOC_MAGIC	'g'
/*
 * Run a request. Returns 0 when every call was made, whatever the calls
 * returned: a call that fails (say EFAULT for a hole or a refused pin) is
 * recorded in res and samples, not returned. Fails with EINVAL (a field is
 * out of range), EFAULT (addr/length or samples not in user space, or
 * unwritable), ENOMEM or ENOTTY before anything runs, leaving res alone;
 * once calls have run, res is written and the request may still fail with
 * EINTR (a signal stopped it) or EFAULT (samples could not be written).
 */
#define GUPBENCH_IOC_RUN	_IOWR(GUPBENCH_IOC_MAGIC, 0xa0, struct gupbench_req)
/* Describe the module; input is ignored. */
#define GUPBENCH_IOC_INFO	_IOWR(GUPBENCH_IOC_MAGIC, 0xa1, struct gupbench_info)

#endif /* _UAPI_GUPBENCH_IOCTL_H */
