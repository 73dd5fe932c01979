/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one userspace client of the gupbench module (kmod/, /dev/gupbench):
 * the kmod driver, `gupbench list` and `gupbench overhead` reach the module
 * only through these, so the device path, the interface check and the
 * request layout are each decided once.
 */
#ifndef KMOD_H
#define KMOD_H

#include <stddef.h>
#include <stdint.h>
#include <json-c/json.h>
#include "gupbench_ioctl.h"

/*
 * The device to open: dev when set (run_opts.kmod_dev), else $GUPBENCH_DEV,
 * else GUPBENCH_DEVICE. The only place the path is resolved.
 */
const char *kmod_device(const char *dev);

/* An open module that answered INFO with this interface's version. */
struct kmod {
	int fd;
	const char *dev;		/* as resolved by kmod_device() */
	struct gupbench_info info;
};

/*
 * Open dev (see kmod_device()) and check it speaks interface
 * GUPBENCH_UAPI_VERSION with an INFO of at least GUPBENCH_INFO_SIZE_VER0
 * bytes. 0, or -1 with k->fd -1 and the reason in why ("module not loaded
 * (/dev/gupbench: ENOENT)", "... (needs root)", "module interface v1, ...").
 */
int kmod_open(struct kmod *k, const char *dev, char *why, size_t n);
void kmod_close(struct kmod *k);

/* An op of the module: what `--op` calls it, its GUPBENCH_OP_*, the kernel function. */
struct kmod_op {
	const char *name;
	uint32_t op;
	const char *gup;
};

/* By name ("pin_fast") or by GUPBENCH_OP_*; NULL if unknown. */
const struct kmod_op *kmod_op_by_name(const char *name);
const struct kmod_op *kmod_op_by_code(uint32_t op);

/* What `gupbench run --op` offers, pin_fast first (the default); NULL-terminated. */
extern const char *const kmod_op_names[];

/* The kernel GUP entry point of a kmod op ("pin_fast" -> "pin_user_pages_fast"), NULL if unknown. */
const char *kmod_op_gup_path(const char *op);

/* One request, as the callers think of it; kmod_req() turns it into the uapi struct. */
struct kmod_req_spec {
	uint32_t op;			/* GUPBENCH_OP_* */
	unsigned int flags;		/* PIN_FLAG_* (gupbench's names, not the module's) */
	uint32_t options;		/* GUPBENCH_O_* */
	const void *addr;
	uint64_t length;		/* bytes */
	uint64_t pages_per_call;	/* 0: the whole range in one call */
	uint64_t iterations;		/* 0 is taken as 1 */
	struct gupbench_sample *samples;	/* or NULL */
	uint64_t samples_cap;
};

/* PIN_FLAG_* as GUPBENCH_F_*. */
uint32_t kmod_flags(unsigned int pin_flags);

/* Fill req (size, every field, reserved zero) from s. */
void kmod_req(struct gupbench_req *req, const struct kmod_req_spec *s);

/*
 * GUPBENCH_IOC_RUN: the ioctl's return (0 or -1 with errno). On -1, res
 * is only valid if errno is EINTR or EFAULT and res.calls is not 0 (see
 * gupbench_ioctl.h).
 */
int kmod_run(const struct kmod *k, struct gupbench_req *req);

/*
 * Describe the module behind dev (see kmod_device()):
 *   {"loaded": true, "device": "/dev/gupbench", "reason": null,
 *    "module_version": "0.2.0", "uapi_version": 2, "page_size": 4096,
 *    "fallback_probe": {"available": true, "status": "counted", "reason": null,
 *                       "probes": [{"symbol": "__gup_longterm_locked", "arg": 3,
 *                                   "armed": true, "error": null}],
 *                       "armed_now": 0, "always_armed": false, "arm_count": 2,
 *                       "selftest": {"status": "ok", "calls": 1, "pages": 1,
 *                                    "reason": null, "pins": 2}},
 *    "max_concurrent": 64, "limits": {...}}
 * A probe's "armed" means registered: it is in the kernel text only while a
 * counting request runs ("armed_now" of them now, "arm_count" times so far).
 * "available" is true when counting requests count: probes registered and
 * the self-test passed (or not yet run). selftest.status is one of "ok",
 * "blind", "implausible", "failed", "not-run", "unavailable"; calls and
 * pages are null unless the probe was tested; reason is null when "ok".
 * Returns 0 when the module answered; -1 otherwise, with *out still set to
 * {"loaded": false, "device": ..., "reason": "module not loaded (...: ENOENT)"}
 * (or NULL if out of memory).
 */
int kmod_describe(const char *dev, json_object **out);

/* Why fallback counting is unavailable, for a GUPBENCH_FB_* status ("counted" for 0). */
const char *kmod_fallback_reason(unsigned int status);

/* Why the probe's self-test did not pass ("" when it did), from INFO. */
void kmod_selftest_reason(const struct gupbench_info *info, char *why, size_t n);

#endif
