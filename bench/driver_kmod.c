// SPDX-License-Identifier: GPL-2.0
/*
 * Driver "kmod": the gupbench module (kmod/) calls pin_user_pages_fast,
 * get_user_pages_fast or pin_user_pages from a tight in-kernel loop and
 * times each call with ktime, so the times here are in-kernel GUP time
 * only, with no syscall around them. It also counts the pages that fell
 * back to the slow path (a kprobe, when the module could arm it).
 *
 * One ioctl pins the whole buffer, nr_pages per call, once: the module
 * releases each call's pages right after timing it, so pin() learns both
 * times and unpin() only reports the stashed unpin time.
 *
 * Timing pass (ctx->count NULL): the request does not ask to count, so the
 * module's kprobe stays out of the kernel text. If another process was
 * counting at the same time (or on 6.1, where it stays armed) the module
 * says so (GUPBENCH_RF_PROBE_ARMED), and it counts the calls the scheduler
 * interrupted (context switch or migration): op_result carries both and the
 * case records them beside the timings, which keep those samples.
 * Counting pass (ctx->count set): GUPBENCH_O_COUNT arms the probe for that
 * request only, and op_result gets its fallback counts when the module
 * says they are valid.
 */
#include <errno.h>
#include <inttypes.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include "gupbench.h"
#include "gupbench_ioctl.h"
#include "kmod_info.h"

_Static_assert(sizeof(struct gupbench_req) == GUPBENCH_REQ_SIZE_VER0, "uapi layout");
_Static_assert(sizeof(struct gupbench_info) == GUPBENCH_INFO_SIZE_VER0, "uapi layout");
_Static_assert(sizeof(struct gupbench_sample) == 48, "uapi layout");

struct kmod_priv {
	int fd;
	uint32_t op;
	uint32_t flags;
	uint64_t max_per_call;
	uint32_t page_size;
	/* what the last pin() released, reported by unpin() */
	uint64_t unpin_ns, unpin_calls, unpin_pages, clock_ns;
	/* per-call samples of one op, and their times for op_result.call_ns */
	struct gupbench_sample *samples;
	double *call_ns;
	uint64_t samples_cap;
	/* timing ops whose calls a probe may have slowed; calls scheduled out */
};

static void kmod_free(struct kmod_priv *p)
{
	free(p->samples);
	free(p->call_ns);
	free(p);
}

/* Pages per call the module is asked for: 0 (whole buffer) and caps resolved. */
static uint64_t kmod_per_call(const struct kmod_priv *p, uint64_t pages, uint64_t per_call)
{
	if (!per_call || per_call > pages)
		per_call = pages;
	if (per_call > p->max_per_call)
		per_call = p->max_per_call;
	return per_call;
}

static uint64_t kmod_calls_per_op(const struct kmod_priv *p, uint64_t pages, uint64_t per_call)
{
	per_call = kmod_per_call(p, pages, per_call);
	return per_call ? (pages + per_call - 1) / per_call : 0;
}

/* total - calls * clock, never below zero */
static uint64_t sub_clock(uint64_t total, uint64_t calls, uint64_t clock)
{
	return total > calls * clock ? total - calls * clock : 0;
}

static const struct {
	const char *name;
	uint32_t op;
	const char *gup;
} kmod_ops[] = {
	{ "pin_fast", GUPBENCH_OP_PIN_FAST, "pin_user_pages_fast" },
	{ "get_fast", GUPBENCH_OP_GET_FAST, "get_user_pages_fast" },
	{ "pin", GUPBENCH_OP_PIN, "pin_user_pages" },
};

#define NR_KMOD_OPS (sizeof(kmod_ops) / sizeof(kmod_ops[0]))

/* What `gupbench run --op` offers: the names of kmod_ops[], pin_fast first (the default). */
static const char *const kmod_op_names[] = { "pin_fast", "get_fast", "pin", NULL };

const char *kmod_op_gup_path(const char *op)
{
	for (size_t i = 0; op && i < NR_KMOD_OPS; i++)
		if (!strcmp(kmod_ops[i].name, op))
			return kmod_ops[i].gup;
	return NULL;
}

const char *kmod_fallback_reason(unsigned int status)
{
	switch (status) {
	case GUPBENCH_FB_COUNTED:	return "counted";
	case GUPBENCH_FB_DISABLED:	return "disabled (module parameter fallback_probe=0)";
	case GUPBENCH_FB_NO_KPROBES:	return "kernel built without CONFIG_KPROBES";
	case GUPBENCH_FB_ARCH:		return "no kprobe argument reader for this architecture";
	case GUPBENCH_FB_KERNEL:	return "no slow-path symbol known for this kernel version";
	case GUPBENCH_FB_NO_SYMBOL:	return "slow-path symbol absent (inlined, renamed or cloned)";
	case GUPBENCH_FB_REGISTER:	return "register_kprobe failed";
	case GUPBENCH_FB_BUSY:		return "too many concurrent requests";
	case GUPBENCH_FB_IMPLAUSIBLE:	return "the probe read an implausible page count";
	case GUPBENCH_FB_NOT_TRUSTED:	return "the probe's self-test did not pass: not trusted";
	case GUPBENCH_FB_NOT_ASKED:	return "not asked for (timing request)";
	default:			return "unknown reason";
	}
}

/* Open dev and check it speaks our interface. fd, or -1 with the reason in why. */
static int kmod_open(const char *dev, struct gupbench_info *info, char *why, size_t n)
{
	int fd;

	if (!dev)
		dev = GUPBENCH_DEVICE;
	fd = open(dev, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOENT)
			set_reason(why, n, "module not loaded (%s: ENOENT)", dev);
		else
			set_reason(why, n, "%s: %s%s", dev, errno_name(errno),
				   errno == EACCES || errno == EPERM ? " (needs root)" : "");
		return -1;
	}
	memset(info, 0, sizeof(*info));
	if (ioctl(fd, GUPBENCH_IOC_INFO, info) < 0) {
		/* An interface-v1 module knows no such command. */
		set_reason(why, n, "%s: GUPBENCH_IOC_INFO: %s (%s)", dev, errno_name(errno),
			   errno == ENOTTY ? "an older gupbench module? rebuild and reload kmod/" :
			   "not the gupbench module?");
		close(fd);
		return -1;
	}
	if (info->version != GUPBENCH_UAPI_VERSION) {
		set_reason(why, n, "module interface v%u, gupbench expects v%u (rebuild kmod/)",
			   info->version, GUPBENCH_UAPI_VERSION);
		close(fd);
		return -1;
	}
	return fd;
}

static const char *kmod_gup_path(const struct kver *kv, const char *op)
{
	if (kmod_op_gup_path(op))
		return kmod_op_gup_path(op);
	/* No case yet (gupbench list): every op, and the fallback target by kv. */
	if (kver_at_least(kv, 6, 2))
		return "pin_user_pages_fast|get_user_pages_fast|pin_user_pages by --op "
		       "(slow path: __gup_longterm_locked)";
	return "pin_user_pages_fast|get_user_pages_fast|pin_user_pages by --op "
	       "(slow path: __gup_longterm_locked, get_user_pages_unlocked)";
}

static int kmod_probe(const struct run_opts *o, char *why, size_t n)
{
	struct gupbench_info info;
	int fd = kmod_open(o->kmod_dev, &info, why, n);

	if (fd < 0)
		return -1;
	close(fd);
	return 0;
}

static int kmod_setup(struct driver_ctx *c, struct buffer *b, char *why, size_t n)
{
	const char *op = c->cs->op ? c->cs->op : "pin_fast";
	struct gupbench_info info;
	struct kmod_priv *p;
	size_t i;

	for (i = 0; i < NR_KMOD_OPS; i++)
		if (!strcmp(kmod_ops[i].name, op))
			break;
	if (i == NR_KMOD_OPS) {
		set_reason(why, n, "unknown op '%s' (pin_fast, get_fast, pin)", op);
		return -1;
	}
	if (kmod_ops[i].op == GUPBENCH_OP_GET_FAST && (c->cs->flags & PIN_FLAG_LONGTERM)) {
		set_reason(why, n, "get_fast cannot take LONGTERM (only pins are long term)");
		return -1;
	}
	p = calloc(1, sizeof(*p));
	if (!p) {
		set_reason(why, n, "out of memory");
		return -1;
	}
	p->fd = kmod_open(c->o->kmod_dev, &info, why, n);
	if (p->fd < 0) {
		free(p);
		return -1;
	}
	if (b->len % info.page_size || (uintptr_t)b->addr % info.page_size) {
		set_reason(why, n, "buffer is not a whole number of %u-byte pages", info.page_size);
		close(p->fd);
		free(p);
		return -1;
	}
	p->op = kmod_ops[i].op;
	p->flags = (c->cs->flags & PIN_FLAG_WRITE ? GUPBENCH_F_WRITE : 0) |
		   (c->cs->flags & PIN_FLAG_LONGTERM ? GUPBENCH_F_LONGTERM : 0);
	p->max_per_call = info.max_pages_per_call;
	p->page_size = info.page_size;
	/* one sample per call of an op; allocated here, outside every timed region */
	p->samples_cap = kmod_calls_per_op(p, b->len / p->page_size, c->cs->nr_pages);
	p->samples = calloc(p->samples_cap, sizeof(*p->samples));
	p->call_ns = calloc(p->samples_cap, sizeof(*p->call_ns));
	if (!p->samples || !p->call_ns) {
		set_reason(why, n, "out of memory for %" PRIu64 " per-call samples", p->samples_cap);
		close(p->fd);
		kmod_free(p);
		return -1;
	}
	c->priv = p;
	return 0;
}

static void kmod_pin(struct driver_ctx *c, struct buffer *b, struct op_result *r)
{
	struct kmod_priv *p = c->priv;
	uint64_t pages = b->len / p->page_size, per_call = c->cs->nr_pages;
	struct gupbench_req req;
	int ret;

	memset(r, 0, sizeof(*r));
	p->unpin_ns = p->unpin_calls = p->unpin_pages = 0;
	if (!pages)
		return;
	per_call = kmod_per_call(p, pages, per_call);

	memset(&req, 0, sizeof(req));
	req.size = sizeof(req);
	req.op = p->op;
	req.flags = p->flags;
	/* The probe is armed for counting requests only, never while timing. */
	req.options = c->count ? GUPBENCH_O_COUNT : 0;
	req.addr = (uintptr_t)b->addr;
	req.length = b->len;
	req.pages_per_call = per_call;
	req.iterations = 1;
	req.samples = (uintptr_t)p->samples;
	req.samples_cap = p->samples_cap;

	ret = ioctl(p->fd, GUPBENCH_IOC_RUN, &req);
	if (ret < 0 && errno != EINTR && errno != EFAULT) {
		/* Refused before any call: res is not filled. */
		r->err = errno;
		return;
	}
	if (ret < 0 && !req.res.calls) {
		r->err = errno;
		return;
	}
	/*
	 * Each call sits between two clock reads, and half of each read's cost
	 * falls inside the window: the module measures an empty window
	 * (clock_ns) per request. On a one-page call that is ~6% of the call
	 * (-icount), so take it off and say so in the result.
	 */
	r->clock_ns = req.res.clock_ns;
	r->clock_subtracted = true;
	for (uint64_t i = 0; i < req.res.samples_written && i < p->samples_cap; i++)
		p->call_ns[i] = sub_clock(p->samples[i].pin_ns, 1, req.res.clock_ns);
	r->call_ns = p->call_ns;
	r->nr_call_ns = req.res.samples_written < p->samples_cap ?
			req.res.samples_written : p->samples_cap;
	r->ns = sub_clock(req.res.pin_ns, req.res.calls, req.res.clock_ns);
	r->calls = req.res.calls;
	r->pages_per_call = per_call;
	r->pages = req.res.pages_requested;
	r->pages_done = req.res.pages_pinned;
	r->err = req.res.first_error ? (int)req.res.first_error : (ret < 0 ? errno : 0);
	/* A probe that missed hits would undercount: report nothing rather than a guess. */
	r->has_fallback = c->count && req.res.fallback_status == GUPBENCH_FB_COUNTED &&
			  !(req.res.flags & GUPBENCH_RF_PROBE_MISSED);
	r->disturb_known = true;
	r->probe_armed = req.res.flags & GUPBENCH_RF_PROBE_ARMED;
	r->calls_switched = req.res.switched_calls;
	r->calls_migrated = req.res.migrated_calls;
	if (r->has_fallback) {
		r->fallback_calls = req.res.fallback_calls;
		r->fallback_pages = req.res.fallback_pages;
	}
	/* Every call that did not fail returned at least one page, released once. */
	p->unpin_calls = req.res.calls - req.res.failed_calls;
	p->unpin_ns = sub_clock(req.res.unpin_ns, p->unpin_calls, req.res.clock_ns);
	p->clock_ns = req.res.clock_ns;
	p->unpin_pages = req.res.pages_pinned;
}

static void kmod_unpin(struct driver_ctx *c, struct buffer *b, struct op_result *r)
{
	struct kmod_priv *p = c->priv;

	(void)b;
	memset(r, 0, sizeof(*r));
	r->ns = p->unpin_ns;
	r->clock_ns = p->clock_ns;
	r->clock_subtracted = true;
	r->calls = p->unpin_calls;
	r->pages = p->unpin_pages;
	r->pages_done = p->unpin_pages;
	p->unpin_ns = p->unpin_calls = p->unpin_pages = 0;
}

static void kmod_teardown(struct driver_ctx *c)
{
	struct kmod_priv *p = c->priv;

	if (!p)
		return;
	close(p->fd);
	kmod_free(p);
	c->priv = NULL;
}

static const char *const selftest_names[] = {
	[GUPBENCH_ST_NOT_RUN] = "not-run",
	[GUPBENCH_ST_OK] = "ok",
	[GUPBENCH_ST_BLIND] = "blind",
	[GUPBENCH_ST_IMPLAUSIBLE] = "implausible",
	[GUPBENCH_ST_FAILED] = "failed",
	[GUPBENCH_ST_UNAVAILABLE] = "unavailable",
};

/* fallback_probe.selftest: {"status", "calls", "pages", "reason"} (names fixed). */
static json_object *kmod_selftest_json(const struct gupbench_info *info)
{
	json_object *j = json_object_new_object();
	uint32_t st = info->selftest_status;
	const char *pin = info->selftest_flags & GUPBENCH_F_LONGTERM ? "WRITE|LONGTERM" : "WRITE";
	bool figures = st == GUPBENCH_ST_OK || st == GUPBENCH_ST_BLIND ||
		       st == GUPBENCH_ST_IMPLAUSIBLE;
	char why[REASON_MAX] = "";

	switch (st) {
	case GUPBENCH_ST_OK:
		break;
	case GUPBENCH_ST_NOT_RUN:
		set_reason(why, sizeof(why), "runs at the first counting request");
		break;
	case GUPBENCH_ST_BLIND:
		set_reason(why, sizeof(why), "a %s pin of an untouched page reached the slow path "
			   "but the probe never fired (call site inlined?)", pin);
		break;
	case GUPBENCH_ST_IMPLAUSIBLE:
		set_reason(why, sizeof(why), "a %s pin of one untouched page was seen %" PRIu64
			   " times for %" PRIu64 " pages (expected 1 and 1)", pin,
			   (uint64_t)info->selftest_calls, (uint64_t)info->selftest_pages);
		break;
	case GUPBENCH_ST_FAILED:
		set_reason(why, sizeof(why), "the %s test pin could not be made: %s", pin,
			   errno_name((int)info->selftest_error) ? : "unknown error");
		break;
	case GUPBENCH_ST_UNAVAILABLE:
		set_reason(why, sizeof(why), "no probe to test: %s",
			   kmod_fallback_reason(info->fallback_status));
		break;
	default:
		set_reason(why, sizeof(why), "unknown self-test status %u", st);
		break;
	}
	json_object_object_add(j, "status", json_object_new_string(
		st < sizeof(selftest_names) / sizeof(selftest_names[0]) ? selftest_names[st] :
		"failed"));
	json_object_object_add(j, "calls", figures ?
		json_object_new_int64(info->selftest_calls) : NULL);
	json_object_object_add(j, "pages", figures ?
		json_object_new_int64(info->selftest_pages) : NULL);
	json_object_object_add(j, "reason", *why ? json_object_new_string(why) : NULL);
	json_object_object_add(j, "pins", json_object_new_int(info->selftest_pins));
	return j;
}

int kmod_describe(const char *dev, json_object **out)
{
	json_object *j = json_object_new_object(), *fb, *probes, *lim;
	struct gupbench_info info;
	char why[REASON_MAX] = "";
	int fd;

	*out = j;
	if (!j)
		return -1;
	if (!dev)
		dev = GUPBENCH_DEVICE;
	json_object_object_add(j, "device", json_object_new_string(dev));
	fd = kmod_open(dev, &info, why, sizeof(why));
	if (fd < 0) {
		json_object_object_add(j, "loaded", json_object_new_boolean(false));
		json_object_object_add(j, "reason", json_object_new_string(why));
		return -1;
	}
	close(fd);
	info.module_version[sizeof(info.module_version) - 1] = '\0';
	json_object_object_add(j, "loaded", json_object_new_boolean(true));
	json_object_object_add(j, "reason", NULL);
	json_object_object_add(j, "module_version",
			       json_object_new_string(info.module_version));
	json_object_object_add(j, "uapi_version", json_object_new_int(info.version));
	json_object_object_add(j, "page_size", json_object_new_int(info.page_size));

	fb = json_object_new_object();
	/* available: counting requests count (probes registered, self-test passed) */
	json_object_object_add(fb, "available",
			       json_object_new_boolean(info.fallback_status == GUPBENCH_FB_COUNTED));
	json_object_object_add(fb, "status", json_object_new_string(
		kmod_fallback_reason(info.fallback_status)));
	json_object_object_add(fb, "reason", info.fallback_status == GUPBENCH_FB_COUNTED ? NULL :
			       json_object_new_string(kmod_fallback_reason(info.fallback_status)));
	probes = json_object_new_array();
	for (uint32_t i = 0; i < info.nr_probes && i < GUPBENCH_MAX_PROBES; i++) {
		json_object *pj = json_object_new_object();

		info.probes[i].symbol[GUPBENCH_SYMBOL_LEN - 1] = '\0';
		json_object_object_add(pj, "symbol",
				       json_object_new_string(info.probes[i].symbol));
		json_object_object_add(pj, "arg", json_object_new_int(info.probes[i].arg));
		/* registered; armed only during counting requests (see "armed_now") */
		json_object_object_add(pj, "armed",
				       json_object_new_boolean(info.probes[i].status == 0));
		json_object_object_add(pj, "error", info.probes[i].status ?
			json_object_new_string(errno_name(-info.probes[i].status)) : NULL);
		json_object_array_add(probes, pj);
	}
	json_object_object_add(fb, "probes", probes);
	json_object_object_add(fb, "armed_now", json_object_new_int(info.armed));
	json_object_object_add(fb, "always_armed",
			       json_object_new_boolean(info.flags & GUPBENCH_IF_ALWAYS_ARMED));
	json_object_object_add(fb, "arm_count", json_object_new_int64(info.arm_count));
	json_object_object_add(fb, "selftest", kmod_selftest_json(&info));
	json_object_object_add(j, "fallback_probe", fb);
	json_object_object_add(j, "max_concurrent", json_object_new_int(info.max_concurrent));

	lim = json_object_new_object();
	json_object_object_add(lim, "length", json_object_new_int64(info.max_length));
	json_object_object_add(lim, "pages_per_call",
			       json_object_new_int64(info.max_pages_per_call));
	json_object_object_add(lim, "iterations", json_object_new_int64(info.max_iterations));
	json_object_object_add(lim, "samples", json_object_new_int64(info.max_samples));
	json_object_object_add(j, "limits", lim);
	return 0;
}

const struct driver_ops driver_kmod = {
	.name = "kmod",
	.desc = "gupbench.ko: GUP calls from an in-kernel loop, ktime per call, kprobe fallback count",
	.gup_path = kmod_gup_path,
	.fixed_flags = 0,
	.axes = DRIVER_AXIS_OP | DRIVER_AXIS_FLAGS | DRIVER_AXIS_NR_PAGES,
	.ops = kmod_op_names,
	.probe = kmod_probe,
	.setup = kmod_setup,
	.pin = kmod_pin,
	.unpin = kmod_unpin,
	.teardown = kmod_teardown,
};
