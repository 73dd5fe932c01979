// SPDX-License-Identifier: GPL-2.0
/*
 * One case: make the buffer, pin and unpin it warmup times, then count_ops
 * times in an untimed counting pass (perf counters on, every kernel call
 * bracketed, the kmod probe armed), then samples times in a timing pass with
 * no instrument armed, and turn what happened into the case object.  The
 * driver times its own kernel calls; everything here is outside them.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "gupbench.h"
#include "util.h"
#include "settings.h"
#include "buffer.h"
#include "counters.h"
#include "pins.h"
#include "placement.h"
#include "run_case.h"
#include "stats.h"

static const char *const flag_names[] = { "WRITE", "LONGTERM" };
#define NR_FLAG_NAMES (sizeof(flag_names) / sizeof(flag_names[0]))

json_object *flags_to_json(unsigned int flags)
{
	json_object *a = json_object_new_array();

	for (size_t i = 0; i < NR_FLAG_NAMES; i++)
		if (flags & (1u << i))
			json_object_array_add(a, json_object_new_string(flag_names[i]));
	return a;
}

int flags_parse(const char *s, unsigned int *out)
{
	char buf[128], *tok, *save;

	*out = 0;
	if (!strcmp(s, "none"))
		return 0;
	if (strlen(s) >= sizeof(buf))
		return -1;
	strcpy(buf, s);
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		size_t i;

		for (i = 0; i < NR_FLAG_NAMES; i++)
			if (!strcasecmp(tok, flag_names[i]))
				break;
		if (i == NR_FLAG_NAMES)
			return -1;
		*out |= 1u << i;
	}
	return 0;
}

static json_object *case_new(const struct case_spec *cs, const struct run_opts *o)
{
	json_object *c = json_object_new_object();

	json_object_object_add(c, "driver", json_object_new_string(cs->driver->name));
	json_object_object_add(c, "backing", json_object_new_string(cs->backing->name));
	json_object_object_add(c, "state",
			       json_object_new_string(state_name(cs->state)));
	json_object_object_add(c, "op", cs->op ? json_object_new_string(cs->op) : NULL);
	json_object_object_add(c, "flags", flags_to_json(cs->flags));
	json_object_object_add(c, "size_bytes", json_object_new_int64(o->size));
	json_object_object_add(c, "pages", json_object_new_int64(o->size / BASE_PAGE_SIZE));
	json_object_object_add(c, "gup_path",
			       json_object_new_string(cs->driver->gup_path(&running_kernel, cs->op)));
	json_object_object_add(c, "samples", json_object_new_int(o->samples));
	json_object_object_add(c, "warmup", json_object_new_int(o->warmup));
	json_object_object_add(c, "count_ops", json_object_new_int(o->count_ops));
	return c;
}

static void set_status(json_object *c, const char *status, int err, const char *reason)
{
	json_object_object_add(c, "status", json_object_new_string(status));
	json_object_object_add(c, "errno",
			       err ? json_object_new_string(errno_name(err)) : NULL);
	json_object_object_add(c, "reason",
			       reason && *reason ? json_object_new_string(reason) : NULL);
}

json_object *case_skipped(const struct case_spec *cs, const struct run_opts *o,
			  const char *reason)
{
	json_object *c = case_new(cs, o);

	set_status(c, "skipped", 0, reason);
	return c;
}

/* Per-op samples of one direction (pin or unpin). */
struct series {
	double *ns_per_page;
	double *ns_per_call;
	int n;
};

static json_object *series_to_json(const struct series *s)
{
	json_object *j = json_object_new_object(), *raw = json_object_new_array();
	struct summary sum;

	for (int i = 0; i < s->n; i++)
		json_object_array_add(raw, json_object_new_double(s->ns_per_page[i]));
	json_object_object_add(j, "samples_ns_per_page", raw);
	if (summarize(s->ns_per_page, s->n, &sum) == 0)
		json_object_object_add(j, "ns_per_page", summary_to_json(&sum));
	if (summarize(s->ns_per_call, s->n, &sum) == 0)
		json_object_object_add(j, "ns_per_call", summary_to_json(&sum));
	return j;
}

static void series_add(struct series *s, const struct op_result *r)
{
	s->ns_per_page[s->n] = r->pages ? (double)r->ns / r->pages : 0;
	s->ns_per_call[s->n] = r->calls ? (double)r->ns / r->calls : 0;
	s->n++;
}

/* Keep every single-call time of the measured samples (kmod: one per GUP call). */
static int append_calls(double **v, size_t *n, size_t *cap, const struct op_result *r)
{
	if (*n + r->nr_call_ns > *cap) {
		size_t want = (*n + r->nr_call_ns) * 2;
		double *nv = realloc(*v, want * sizeof(**v));

		if (!nv)
			return -1;
		*v = nv;
		*cap = want;
	}
	memcpy(*v + *n, r->call_ns, r->nr_call_ns * sizeof(**v));
	*n += r->nr_call_ns;
	return 0;
}

/*
 * What the counting pass saw: the ops it ran are untimed, and no counter or
 * probe is ever armed during the timing pass.
 */
struct fallback {
	int ops;		/* counting-pass ops run */
	uint64_t calls;		/* kernel GUP calls they made */
	uint64_t pages;		/* pages those calls asked for */
	int64_t call_n;		/* calls bracketed one by one (-1: tracepoint unavailable) */
	int64_t entries;	/* of those, calls with an mmap_lock acquisition */
	int64_t acquisitions;	/* mmap_lock acquisitions over whole ops, baseline off */
	int64_t baseline;	/* acquisitions of an empty window (-1: unavailable) */
	bool tp_ok;
	uint64_t kp_calls, kp_pages;	/* counted by the driver (kmod probe) */
	bool kp_ok;
};

static json_object *fallback_to_json(const struct fallback *f, struct counters *ctr)
{
	json_object *j = json_object_new_object();
	char why[REASON_MAX] = "";
	double calls = f->calls;

	/* "op" is one kernel GUP call (results/README.md): everything is per call */
	json_object_object_add(j, "counted_samples", json_object_new_int(f->ops));
	json_object_object_add(j, "counted_calls", json_object_new_int64(f->calls));
	if (f->ops && f->kp_ok && f->calls) {
		json_object_object_add(j, "calls_per_op",
			json_object_new_double(f->kp_calls / calls));
		json_object_object_add(j, "pages_per_op",
			json_object_new_double(f->kp_pages / calls));
		json_object_object_add(j, "fraction", f->pages ?
			json_object_new_double((double)f->kp_pages / f->pages) : NULL);
		json_object_object_add(j, "source", json_object_new_string("kprobe"));
		json_object_object_add(j, "reason", NULL);
		return j;
	}
	/* Exact only when every kernel call of the pass was bracketed by itself. */
	if (f->ops && f->call_n >= 0 && (uint64_t)f->call_n == f->calls && f->calls) {
		json_object_object_add(j, "calls_per_op",
			json_object_new_double(f->entries / calls));
		json_object_object_add(j, "pages_per_op", NULL);
		json_object_object_add(j, "fraction", NULL);
		json_object_object_add(j, "source",
				       json_object_new_string("mmap_lock-per-call"));
		json_object_object_add(j, "reason", NULL);
		return j;
	}
	if (!f->ops)
		set_reason(why, sizeof(why), "no counting pass (--count 0)");
	else if (!f->calls)
		set_reason(why, sizeof(why), "no kernel calls counted");
	else if (!counters_fallback_available(ctr, why, sizeof(why)) && !*why)
		set_reason(why, sizeof(why), "tracepoint unavailable");
	else if (!*why)
		set_reason(why, sizeof(why),
			   "the driver makes several GUP calls per syscall and counted none itself");
	json_object_object_add(j, "calls_per_op", NULL);
	json_object_object_add(j, "pages_per_op", NULL);
	json_object_object_add(j, "fraction", NULL);
	json_object_object_add(j, "source", json_object_new_string("unavailable"));
	json_object_object_add(j, "reason", json_object_new_string(why));
	return j;
}

/* Lock acquisitions are a cost of their own: a fault that dirties a page retakes the lock. */
static json_object *mmap_lock_to_json(const struct fallback *f, struct counters *ctr)
{
	json_object *j = json_object_new_object();
	char why[REASON_MAX] = "";
	bool ok = f->ops && f->calls && f->tp_ok;

	json_object_object_add(j, "acquisitions_per_op", ok ?
		json_object_new_double((double)f->acquisitions / f->calls) : NULL);
	json_object_object_add(j, "baseline_per_window", f->baseline >= 0 ?
		json_object_new_int64(f->baseline) : NULL);
	json_object_object_add(j, "source", json_object_new_string(ok ?
		"tracepoint mmap_lock:mmap_lock_start_locking" : "unavailable"));
	if (!ok) {
		if (!f->ops)
			set_reason(why, sizeof(why), "no counting pass (--count 0)");
		else if (counters_fallback_available(ctr, why, sizeof(why)) || !*why)
			set_reason(why, sizeof(why), "tracepoint unavailable");
	}
	json_object_object_add(j, "reason", ok ? NULL : json_object_new_string(why));
	return j;
}

static json_object *pins_to_json(bool ok0, uint64_t a0, uint64_t r0, uint64_t a1, uint64_t r1)
{
	json_object *j = json_object_new_object();

	if (!ok0) {
		json_object_object_add(j, "source", json_object_new_string("unavailable"));
		json_object_object_add(j, "reason",
			json_object_new_string("/proc/vmstat has no nr_foll_pin_* (kernel < 5.7?)"));
		return j;
	}
	json_object_object_add(j, "acquired", json_object_new_int64(a1 - a0));
	json_object_object_add(j, "released", json_object_new_int64(r1 - r0));
	json_object_object_add(j, "balanced", json_object_new_boolean(a1 - a0 == r1 - r0));
	json_object_object_add(j, "source", json_object_new_string(
		pins_refreshed() ? "vmstat" : "vmstat (not refreshed: per-CPU drift possible)"));
	return j;
}

/* Cold and half-warm buffers do not stay so: every sample needs a fresh one. */
static int buffer_ready(const struct case_spec *cs, const struct run_opts *o,
			struct buffer *b, char *why, size_t n)
{
	if (buffer_create(cs->backing, b, o->size, o, o->mem_node, why, n))
		return -1;
	if (cs->state == STATE_HALF) {
		struct buffer first = *b;

		first.len = b->len / 2 / b->page_size * b->page_size;
		buffer_touch(&first);
	} else if (cs->state == STATE_READ) {
		buffer_touch_read(b);
	} else if (cs->state == STATE_WARM) {
		buffer_touch(b);
		if (buffer_verify(cs->backing, b, why, n)) {
			buffer_destroy(cs->backing, b);
			return -1;
		}
	}
	return 0;
}

/*
 * The next op's buffer: warm buffers are reused, cold and half-warm ones are
 * made anew for every op but the first.
 */
static int next_buffer(const struct case_spec *cs, const struct run_opts *o,
		       struct buffer *b, bool *first, char *why, size_t n)
{
	if (*first || cs->state == STATE_WARM) {
		*first = false;
		return 0;
	}
	buffer_destroy(cs->backing, b);
	return buffer_ready(cs, o, b, why, n);
}

/* One op as the driver does it: pin, then release what the pin took. */
static void one_op(const struct case_spec *cs, struct driver_ctx *dc, struct buffer *b,
		   struct op_result *rp, struct op_result *ru)
{
	memset(ru, 0, sizeof(*ru));
	cs->driver->pin(dc, b, rp);
	if (cs->driver->unpin)
		cs->driver->unpin(dc, b, ru);
}

/*
 * Counting pass: untimed ops with the counters enabled around the pin and
 * each kernel call bracketed (or the kmod probe armed).  -1 when a buffer
 * could not be made again (reason in why).
 */
static int count_pass(const struct case_spec *cs, const struct run_opts *o,
		      struct driver_ctx *dc, struct buffer *b, bool *first,
		      struct counters *ctr, struct fallback *fb, int *errors, int *first_err,
		      char *why, size_t n)
{
	fb->baseline = counters_baseline_mmap_lock(ctr, 5);
	fb->tp_ok = fb->baseline >= 0;
	counters_reset_totals(ctr);
	dc->count = ctr;
	for (int i = 0; i < o->count_ops && !stop_requested; i++) {
		struct op_result rp, ru;
		int64_t tp;

		if (next_buffer(cs, o, b, first, why, n)) {
			dc->count = NULL;
			return -1;
		}
		counters_start(ctr);
		cs->driver->pin(dc, b, &rp);
		counters_stop(ctr);
		tp = counters_last_mmap_lock(ctr);
		memset(&ru, 0, sizeof(ru));
		if (cs->driver->unpin)
			cs->driver->unpin(dc, b, &ru);

		if (rp.err) {
			(*errors)++;
			if (!*first_err)
				*first_err = rp.err;
		}
		fb->ops++;
		fb->calls += rp.calls;
		fb->pages += rp.pages;
		if (tp < 0 || fb->baseline < 0)
			fb->tp_ok = false;
		else
			fb->acquisitions += tp - fb->baseline > 0 ? tp - fb->baseline : 0;
		if (rp.has_fallback) {
			fb->kp_calls += rp.fallback_calls;
			fb->kp_pages += rp.fallback_pages;
		} else {
			fb->kp_ok = false;
		}
	}
	dc->count = NULL;
	counters_call_totals(ctr, &fb->call_n, &fb->entries);
	return 0;
}

json_object *run_case(const struct case_spec *cs, const struct run_opts *o,
		      struct counters *ctr)
{
	int first_err = 0, errors = 0;
	struct series pin = { 0 }, unpin = { 0 };
	uint64_t clock_ns = 0, calls_timed = 0, pages_timed = 0, done_timed = 0;
	uint64_t calls_switched = 0, calls_migrated = 0, pages_per_call = 0;
	int probe_armed = 0;
	bool disturb_known = false;
	bool clock_subtracted = false, first = true;
	double *calls = NULL;		/* single-call times, when the driver has them */
	size_t nr_calls = 0, calls_cap = 0;
	struct driver_ctx dc = { .cs = cs, .o = o };
	struct fallback fb = { .kp_ok = true, .call_n = -1, .baseline = -1 };
	json_object *c = case_new(cs, o);
	char why[REASON_MAX] = "";
	uint64_t a0 = 0, r0 = 0, a1 = 0, r1 = 0;
	struct buffer b;
	bool pins_ok;

	pin.ns_per_page = calloc(o->samples, sizeof(double));
	pin.ns_per_call = calloc(o->samples, sizeof(double));
	unpin.ns_per_page = calloc(o->samples, sizeof(double));
	unpin.ns_per_call = calloc(o->samples, sizeof(double));
	if (!pin.ns_per_page || !pin.ns_per_call || !unpin.ns_per_page || !unpin.ns_per_call) {
		set_status(c, "error", ENOMEM, "out of memory for samples");
		goto out_free;
	}
	if (buffer_ready(cs, o, &b, why, sizeof(why))) {
		set_status(c, "skipped", 0, why);
		goto out_free;
	}
	if (cs->driver->setup && cs->driver->setup(&dc, &b, why, sizeof(why))) {
		set_status(c, "skipped", 0, why);
		buffer_destroy(cs->backing, &b);
		goto out_free;
	}
	json_object_object_add(c, "backing_actual", json_object_get(b.actual));
	json_object_object_add(c, "warm_bytes", json_object_new_int64(
		cs->state == STATE_WARM ? b.len :
		cs->state == STATE_HALF ? b.len / 2 / b.page_size * b.page_size : 0));

	pins_ok = pins_read(&a0, &r0) == 0;

	/* Warm-up, then the counting pass, then the timed samples. */
	for (int i = 0; i < o->warmup && !stop_requested; i++) {
		struct op_result rp, ru;

		if (next_buffer(cs, o, &b, &first, why, sizeof(why)))
			goto out_nobuf;
		one_op(cs, &dc, &b, &rp, &ru);
	}
	if (!stop_requested &&
	    count_pass(cs, o, &dc, &b, &first, ctr, &fb, &errors, &first_err,
		       why, sizeof(why)))
		goto out_nobuf;

	for (int i = 0; i < o->samples && !stop_requested; i++) {
		struct op_result rp, ru;

		if (next_buffer(cs, o, &b, &first, why, sizeof(why)))
			goto out_nobuf;
		one_op(cs, &dc, &b, &rp, &ru);

		if (rp.err) {
			errors++;
			if (!first_err)
				first_err = rp.err;
		}
		series_add(&pin, &rp);
		if (rp.nr_call_ns && append_calls(&calls, &nr_calls, &calls_cap, &rp))
			set_status(c, "error", ENOMEM, "out of memory for per-call samples");
		clock_ns = rp.clock_ns;
		clock_subtracted = rp.clock_subtracted;
		/* A failed pin holds nothing: there is no unpin to time. */
		if (cs->driver->unpin && ru.calls)
			series_add(&unpin, &ru);
		if (rp.disturb_known) {
			disturb_known = true;
			probe_armed += rp.probe_armed;
			calls_switched += rp.calls_switched;
			calls_migrated += rp.calls_migrated;
		}
		if (rp.pages_per_call)
			pages_per_call = rp.pages_per_call;
		calls_timed += rp.calls;
		pages_timed += rp.pages;
		done_timed += rp.pages_done;
	}

	if (o->mem_node >= 0 || placement_nr_nodes() > 1) {
		json_object *p = json_object_new_object();

		json_object_object_add(p, "cpu", json_object_new_int(placement_current_cpu()));
		json_object_object_add(p, "mem_node", json_object_new_int(o->mem_node));
		json_object_object_add(p, "page_nodes",
				       placement_page_nodes(b.addr, b.len, b.page_size));
		json_object_object_add(c, "placement", p);
	}
	buffer_destroy(cs->backing, &b);
	goto out_teardown;
out_nobuf:
	set_status(c, "error", 0, why);
out_teardown:
	if (cs->driver->teardown)
		cs->driver->teardown(&dc);
	if (!json_object_object_get_ex(c, "status", NULL)) {
		if (first_err)
			set_status(c, "error", first_err, NULL);
		else
			set_status(c, "ok", 0, NULL);
	}
	json_object_object_add(c, "errors", json_object_new_int(errors));
	json_object_object_add(c, "pages_requested_per_op",
			       json_object_new_double(pin.n ? (double)pages_timed / pin.n : 0));
	json_object_object_add(c, "pages_done_per_op",
			       json_object_new_double(pin.n ? (double)done_timed / pin.n : 0));
	/* as the driver made the calls; null when none was made */
	json_object_object_add(c, "pages_per_call", pages_per_call ?
			       json_object_new_int64(pages_per_call) : NULL);
	json_object_object_add(c, "kernel_calls_per_sample",
			       json_object_new_double(pin.n ? (double)calls_timed / pin.n : 0));
	json_object_object_add(c, "pin", series_to_json(&pin));
	if (nr_calls) {
		struct summary sum;

		summarize(calls, nr_calls, &sum);
		json_object_object_add(json_object_object_get(c, "pin"), "single_call_ns",
				       summary_to_json(&sum));
	}
	free(calls);
	json_object_object_add(c, "unpin", cs->driver->unpin && unpin.n ?
			       series_to_json(&unpin) : NULL);
	json_object_object_add(c, "fallback", fallback_to_json(&fb, ctr));
	json_object_object_add(c, "mmap_lock", mmap_lock_to_json(&fb, ctr));
	{
		json_object *t = json_object_new_object();

		json_object_object_add(t, "clock_pair_ns", json_object_new_int64(clock_ns));
		json_object_object_add(t, "subtracted", json_object_new_boolean(clock_subtracted));
		/* kept in the timings: a reader decides; null where the driver cannot tell */
		json_object_object_add(t, "samples_with_probe_armed",
				       disturb_known ? json_object_new_int(probe_armed) : NULL);
		json_object_object_add(t, "calls_switched",
				       disturb_known ? json_object_new_int64(calls_switched) : NULL);
		json_object_object_add(t, "calls_migrated",
				       disturb_known ? json_object_new_int64(calls_migrated) : NULL);
		json_object_object_add(c, "timer", t);
	}
	{
		json_object *k = counters_to_json(ctr, fb.calls);

		/* per_call is per kernel call of the counting pass */
		json_object_object_add(k, "pass", json_object_new_string("counting"));
		json_object_object_add(k, "samples", json_object_new_int(fb.ops));
		json_object_object_add(c, "counters", k);
	}
	if (pins_ok && pins_read(&a1, &r1) == 0)
		json_object_object_add(c, "pins", pins_to_json(true, a0, r0, a1, r1));
	else
		json_object_object_add(c, "pins", pins_to_json(false, 0, 0, 0, 0));
	if (stop_requested)
		json_object_object_add(c, "interrupted", json_object_new_boolean(true));
out_free:
	free(pin.ns_per_page);
	free(pin.ns_per_call);
	free(unpin.ns_per_page);
	free(unpin.ns_per_call);
	return c;
}
