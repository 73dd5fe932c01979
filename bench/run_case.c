// SPDX-License-Identifier: GPL-2.0
/*
 * One case: make the buffer, pin and unpin it warmup times, then count_ops
 * times in an untimed counting pass (perf counters on, every kernel call
 * bracketed, the kmod probe armed), then samples times in a timing pass with
 * no instrument armed, and record what happened in the case.  The
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
		int i;

		for (i = 0; i < NR_PIN_FLAGS; i++)
			if (!strcasecmp(tok, pin_flag_names[i]))
				break;
		if (i == NR_PIN_FLAGS)
			return -1;
		*out |= 1u << i;
	}
	return 0;
}

static char *dup_or_null(const char *s)
{
	return s && *s ? strdup(s) : NULL;
}

static void case_fill(const struct case_spec *cs, const struct run_opts *o,
		      struct result_case *c)
{
	c->driver = strdup(cs->driver->name);
	c->backing = strdup(cs->backing->name);
	c->state = strdup(state_name(cs->state));
	c->op = dup_or_null(cs->op);
	c->flags = cs->flags;
	c->size_bytes = o->size;
	c->pages = o->size / BASE_PAGE_SIZE;
	c->threads = 1;
	c->gup_path = dup_or_null(cs->driver->gup_path(&running_kernel, cs->op));
	c->samples = o->samples;
	c->warmup = o->warmup;
	c->count_ops = o->count_ops;
}

/* The first status set is the one kept. */
static void set_status(struct result_case *c, enum case_status status, int err,
		       const char *reason)
{
	if (c->status != CASE_UNKNOWN)
		return;
	c->status = status;
	c->err_name = err ? dup_or_null(errno_name(err)) : NULL;
	c->reason = dup_or_null(reason);
}

void case_skipped(const struct case_spec *cs, const struct run_opts *o, const char *reason,
		  struct result_case *out)
{
	case_fill(cs, o, out);
	set_status(out, CASE_SKIPPED, 0, reason);
}

/* One sample of one direction (pin or unpin), room made for o->samples. */
static void series_add(struct series *s, const struct op_result *r)
{
	s->ns_per_page[s->n] = r->pages ? (double)r->ns / r->pages : 0;
	s->ns_per_call[s->n] = r->calls ? (double)r->ns / r->calls : 0;
	s->n++;
}

static int series_alloc(struct series *s, int samples)
{
	s->ns_per_page = calloc(samples, sizeof(double));
	s->ns_per_call = calloc(samples, sizeof(double));
	return s->ns_per_page && s->ns_per_call ? 0 : -1;
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

static void fill_fallback(const struct fallback *f, struct counters *ctr,
			  struct fallback_count *j)
{
	char why[REASON_MAX] = "";
	double calls = f->calls;

	/* "op" is one kernel GUP call (results/README.md): everything is per call */
	j->counted_samples = f->ops;
	j->counted_calls = f->calls;
	if (f->ops && f->kp_ok && f->calls) {
		j->calls_per_op = f->kp_calls / calls;
		j->pages_per_op = f->kp_pages / calls;
		if (f->pages)
			j->fraction = (double)f->kp_pages / f->pages;
		j->source = strdup("kprobe");
		return;
	}
	/* Exact only when every kernel call of the pass was bracketed by itself. */
	if (f->ops && f->call_n >= 0 && (uint64_t)f->call_n == f->calls && f->calls) {
		j->calls_per_op = f->entries / calls;
		j->source = strdup("mmap_lock-per-call");
		return;
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
	j->source = strdup("unavailable");
	j->reason = strdup(why);
}

/* Lock acquisitions are a cost of their own: a fault that dirties a page retakes the lock. */
static void fill_mmap_lock(const struct fallback *f, struct counters *ctr,
			   struct mmap_lock_count *j)
{
	char why[REASON_MAX] = "";
	bool ok = f->ops && f->calls && f->tp_ok;

	if (ok)
		j->acquisitions_per_op = (double)f->acquisitions / f->calls;
	j->baseline_per_window = f->baseline >= 0 ? f->baseline : -1;
	j->source = strdup(ok ? "tracepoint mmap_lock:mmap_lock_start_locking" : "unavailable");
	if (ok)
		return;
	if (!f->ops)
		set_reason(why, sizeof(why), "no counting pass (--count 0)");
	else if (counters_fallback_available(ctr, why, sizeof(why)) || !*why)
		set_reason(why, sizeof(why), "tracepoint unavailable");
	j->reason = strdup(why);
}

static void fill_pins(bool ok0, uint64_t a0, uint64_t r0, uint64_t a1, uint64_t r1,
		      struct pins_balance *j)
{
	if (!ok0) {
		j->source = strdup("unavailable");
		j->reason = strdup("/proc/vmstat has no nr_foll_pin_* (kernel < 5.7?)");
		return;
	}
	j->known = true;
	j->acquired = a1 - a0;
	j->released = r1 - r0;
	j->balanced = a1 - a0 == r1 - r0;
	j->source = strdup(pins_refreshed() ? "vmstat" :
			   "vmstat (not refreshed: per-CPU drift possible)");
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

void run_case(const struct case_spec *cs, const struct run_opts *o, struct counters *ctr,
	      struct result_case *c)
{
	int first_err = 0, errors = 0;
	struct series *pin = &c->pin, *unpin = &c->unpin;
	uint64_t clock_ns = 0, calls_timed = 0, pages_timed = 0, done_timed = 0;
	uint64_t calls_switched = 0, calls_migrated = 0, pages_per_call = 0;
	int probe_armed = 0;
	bool disturb_known = false;
	bool clock_subtracted = false, first = true;
	double *calls = NULL;		/* single-call times, when the driver has them */
	size_t nr_calls = 0, calls_cap = 0;
	struct driver_ctx dc = { .cs = cs, .o = o };
	struct fallback fb = { .kp_ok = true, .call_n = -1, .baseline = -1 };
	char why[REASON_MAX] = "";
	uint64_t a0 = 0, r0 = 0, a1 = 0, r1 = 0;
	struct buffer b;
	bool pins_ok;

	case_fill(cs, o, c);
	if (series_alloc(pin, o->samples) || series_alloc(unpin, o->samples)) {
		set_status(c, CASE_ERROR, ENOMEM, "out of memory for samples");
		goto out_free;
	}
	if (buffer_ready(cs, o, &b, why, sizeof(why))) {
		set_status(c, CASE_SKIPPED, 0, why);
		goto out_free;
	}
	if (cs->driver->setup && cs->driver->setup(&dc, &b, why, sizeof(why))) {
		set_status(c, CASE_SKIPPED, 0, why);
		buffer_destroy(cs->backing, &b);
		goto out_free;
	}
	c->has_run = true;
	attrs_merge(&c->actual, "", &b.actual);
	c->warm_bytes = cs->state == STATE_WARM ? b.len :
			cs->state == STATE_HALF ? b.len / 2 / b.page_size * b.page_size : 0;

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
		series_add(pin, &rp);
		if (rp.nr_call_ns && append_calls(&calls, &nr_calls, &calls_cap, &rp))
			set_status(c, CASE_ERROR, ENOMEM, "out of memory for per-call samples");
		clock_ns = rp.clock_ns;
		clock_subtracted = rp.clock_subtracted;
		/* A failed pin holds nothing: there is no unpin to time. */
		if (cs->driver->unpin && ru.calls)
			series_add(unpin, &ru);
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
		c->has_placement = true;
		c->placement_cpu = placement_current_cpu();
		c->placement_mem_node = o->mem_node;
		placement_page_nodes(b.addr, b.len, b.page_size, &c->page_nodes);
	}
	buffer_destroy(cs->backing, &b);
	goto out_teardown;
out_nobuf:
	set_status(c, CASE_ERROR, 0, why);
out_teardown:
	if (cs->driver->teardown)
		cs->driver->teardown(&dc);
	if (first_err)
		set_status(c, CASE_ERROR, first_err, NULL);
	else
		set_status(c, CASE_OK, 0, NULL);
	c->errors = errors;
	c->pages_requested_per_op = pin->n ? (double)pages_timed / pin->n : 0;
	c->pages_done_per_op = pin->n ? (double)done_timed / pin->n : 0;
	/* as the driver made the calls; 0 (null) when none was made */
	c->pages_per_call = pages_per_call;
	c->kernel_calls_per_sample = pin->n ? (double)calls_timed / pin->n : 0;
	pin->present = true;
	series_summarize(pin);
	if (nr_calls) {
		pin->has_single_call = true;
		summarize(calls, nr_calls, &pin->single_call);
	}
	free(calls);
	unpin->present = cs->driver->unpin && unpin->n;
	series_summarize(unpin);
	fill_fallback(&fb, ctr, &c->fallback);
	fill_mmap_lock(&fb, ctr, &c->mmap_lock);
	c->timer.clock_pair_ns = clock_ns;
	c->timer.subtracted = clock_subtracted;
	/* kept in the timings: a reader decides; unknown where the driver cannot tell */
	c->timer.disturb_known = disturb_known;
	c->timer.samples_with_probe_armed = probe_armed;
	c->timer.calls_switched = calls_switched;
	c->timer.calls_migrated = calls_migrated;
	/* per_call is per kernel call of the counting pass */
	counters_values(ctr, fb.calls, c);
	c->counters_samples = fb.ops;
	if (pins_ok && pins_read(&a1, &r1) == 0)
		fill_pins(true, a0, r0, a1, r1, &c->pins);
	else
		fill_pins(false, 0, 0, 0, 0, &c->pins);
	c->interrupted = stop_requested != 0;
	return;
out_free:
	/* not run: no samples to keep */
	free(pin->ns_per_page);
	free(pin->ns_per_call);
	free(unpin->ns_per_page);
	free(unpin->ns_per_call);
	pin->ns_per_page = pin->ns_per_call = unpin->ns_per_page = unpin->ns_per_call = NULL;
}
