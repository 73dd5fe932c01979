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
#include <stdlib.h>
#include <string.h>
#include "gupbench.h"
#include "util.h"
#include "kmod.h"

struct kmod_priv {
	struct kmod mod;		/* open, INFO checked; info's limits apply */
	uint32_t op;			/* GUPBENCH_OP_* */
	/* what the last pin() released, reported by unpin() */
	uint64_t unpin_ns, unpin_calls, unpin_pages, clock_ns;
	/* per-call samples of one op, and their times for op_result.call_ns */
	struct gupbench_sample *samples;
	double *call_ns;
	uint64_t samples_cap;
};

/* Close and free what setup made; NULL is nothing to free, as for free(). */
static void kmod_free(struct kmod_priv *p)
{
	if (!p)
		return;
	kmod_close(&p->mod);
	free(p->samples);
	free(p->call_ns);
	free(p);
}

/* Pages per call the module is asked for: 0 (whole buffer) and caps resolved. */
static uint64_t kmod_per_call(const struct kmod_priv *p, uint64_t pages, uint64_t per_call)
{
	if (!per_call || per_call > pages)
		per_call = pages;
	if (per_call > p->mod.info.max_pages_per_call)
		per_call = p->mod.info.max_pages_per_call;
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
	struct kmod k;

	if (kmod_open(&k, o->kmod_dev, why, n))
		return -1;
	kmod_close(&k);
	return 0;
}

static int kmod_setup(struct driver_ctx *c, struct buffer *b, char *why, size_t n)
{
	const char *name = c->cs->op ? c->cs->op : kmod_op_names[0];
	const struct kmod_op *op = kmod_op_by_name(name);
	struct kmod_priv *p;
	uint32_t page_size;

	if (!op) {
		set_reason(why, n, "unknown op '%s' (pin_fast, get_fast, pin)", name);
		return -1;
	}
	if (op->op == GUPBENCH_OP_GET_FAST && (c->cs->flags & PIN_FLAG_LONGTERM)) {
		set_reason(why, n, "get_fast cannot take LONGTERM (only pins are long term)");
		return -1;
	}
	p = calloc(1, sizeof(*p));
	if (!p) {
		set_reason(why, n, "out of memory");
		return -1;
	}
	if (kmod_open(&p->mod, c->o->kmod_dev, why, n)) {
		free(p);
		return -1;
	}
	page_size = p->mod.info.page_size;
	if (b->len % page_size || (uintptr_t)b->addr % page_size) {
		set_reason(why, n, "buffer is not a whole number of %u-byte pages", page_size);
		kmod_free(p);
		return -1;
	}
	p->op = op->op;
	/* one sample per call of an op; allocated here, outside every timed region */
	p->samples_cap = kmod_calls_per_op(p, b->len / page_size, c->cs->nr_pages);
	p->samples = calloc(p->samples_cap, sizeof(*p->samples));
	p->call_ns = calloc(p->samples_cap, sizeof(*p->call_ns));
	if (!p->samples || !p->call_ns) {
		set_reason(why, n, "out of memory for %" PRIu64 " per-call samples", p->samples_cap);
		kmod_free(p);
		return -1;
	}
	c->priv = p;
	return 0;
}

static void kmod_pin(struct driver_ctx *c, struct buffer *b, struct op_result *r)
{
	struct kmod_priv *p = c->priv;
	uint64_t pages = b->len / p->mod.info.page_size, per_call = c->cs->nr_pages;
	struct gupbench_req req;
	int ret;

	memset(r, 0, sizeof(*r));
	p->unpin_ns = p->unpin_calls = p->unpin_pages = 0;
	if (!pages)
		return;
	per_call = kmod_per_call(p, pages, per_call);

	kmod_req(&req, &(struct kmod_req_spec){
		.op = p->op,
		.flags = c->cs->flags,
		/* The probe is armed for counting requests only, never while timing. */
		.options = c->count ? GUPBENCH_O_COUNT : 0,
		.addr = b->addr,
		.length = b->len,
		.pages_per_call = per_call,
		.iterations = 1,
		.samples = p->samples,
		.samples_cap = p->samples_cap,
	});
	ret = kmod_run(&p->mod, &req);
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

	c->priv = NULL;
	kmod_free(p);
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
