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
#include "counters.h"
#include "pins.h"
#include "placement.h"
#include "contend.h"
#include "run_case.h"
#include "state.h"
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
	c->threads = cs->team ? cs->threads : 1;
	if (cs->team) {
		c->share = strdup(cs->shared ? "shared" : "private");
		c->place = strdup(cs->place ? cs->place : "none");
		c->mem = strdup(cs->mem ? cs->mem : "none");
		c->contend = strdup(contend_name(cs->contend));
	}
	c->gup_path = dup_or_null(cs->driver->gup_path(&running_kernel, cs->op));
	c->samples = o->samples;
	c->warmup = o->warmup;
	c->count_ops = o->count_ops;
}

/* The first status set is the one kept. */
void case_set_status(struct result_case *c, enum case_status status, int err,
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
	case_set_status(out, CASE_SKIPPED, 0, reason);
}

/* One sample of one direction (pin or unpin), room made for o->samples. */
void series_add(struct series *s, const struct op_result *r)
{
	s->ns_per_page[s->n] = r->pages ? (double)r->ns / r->pages : 0;
	s->ns_per_call[s->n] = r->calls ? (double)r->ns / r->calls : 0;
	s->n++;
}

int series_alloc(struct series *s, int samples)
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

/* The next op's buffer: one in a state an op does not change is reused. */
static int next_buffer(const struct case_spec *cs, const struct run_opts *o,
		       struct buffer *b, bool *first, char *why, size_t n)
{
	if (*first || state_survives_op(cs->state)) {
		*first = false;
		return 0;
	}
	state_buffer_free(cs->backing, cs->state, b);
	return state_buffer_make(cs->backing, cs->state, o, o->mem_node, b, why, n);
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

void fallback_start(struct fallback *fb, struct counters *ctr)
{
	fb->baseline = counters_baseline_mmap_lock(ctr, 5);
	fb->tp_ok = fb->baseline >= 0;
	counters_reset_totals(ctr);
}

void fallback_add(struct fallback *fb, const struct op_result *rp, int64_t tp)
{
	fb->ops++;
	fb->calls += rp->calls;
	fb->pages += rp->pages;
	if (tp < 0 || fb->baseline < 0)
		fb->tp_ok = false;
	else
		fb->acquisitions += tp - fb->baseline > 0 ? tp - fb->baseline : 0;
	if (rp->has_fallback) {
		fb->kp_calls += rp->fallback_calls;
		fb->kp_pages += rp->fallback_pages;
	} else {
		fb->kp_ok = false;
	}
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
	fallback_start(fb, ctr);
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
		fallback_add(fb, &rp, tp);
	}
	dc->count = NULL;
	counters_call_totals(ctr, &fb->call_n, &fb->entries);
	return 0;
}

/* Start a case: fill its key; room for all its samples. 0, or -1 (the case says why). */
int case_run_begin(struct case_run *cr, const struct case_spec *cs, const struct run_opts *o,
		   struct result_case *c)
{
	memset(cr, 0, sizeof(*cr));
	cr->cs = cs;
	cr->c = c;
	cr->fb.kp_ok = true;
	cr->fb.call_n = -1;
	cr->fb.baseline = -1;
	cr->pins_ok = true;
	case_fill(cs, o, c);
	if (series_alloc(&c->pin, o->samples) || series_alloc(&c->unpin, o->samples) ||
	    (cs->team && team_alloc(cr, o))) {
		case_set_status(c, CASE_ERROR, ENOMEM, "out of memory for samples");
		cr->done = true;
		return -1;
	}
	return 0;
}

/* What the counting pass of the first round found, kept before the next case's resets it. */
void case_keep_counts(struct case_run *cr, struct counters *ctr)
{
	struct result_case *c = cr->c;

	fill_fallback(&cr->fb, ctr, &c->fallback);
	fill_mmap_lock(&cr->fb, ctr, &c->mmap_lock);
	/* per_call is per kernel call of the counting pass */
	counters_values(ctr, cr->fb.calls, c);
	c->counters_samples = cr->fb.ops;
	cr->counted = true;
}

/* One timed op into the case's totals (not its series: a team makes those). */
void case_add_op(struct case_run *cr, const struct op_result *rp)
{
	struct result_case *c = cr->c;

	if (rp->err) {
		cr->errors++;
		if (!cr->first_err)
			cr->first_err = rp->err;
	}
	if (rp->nr_call_ns && append_calls(&cr->calls, &cr->nr_calls, &cr->calls_cap, rp))
		case_set_status(c, CASE_ERROR, ENOMEM, "out of memory for per-call samples");
	cr->clock_ns = rp->clock_ns;
	cr->clock_subtracted = rp->clock_subtracted;
	if (rp->disturb_known) {
		cr->disturb_known = true;
		cr->probe_armed += rp->probe_armed;
		cr->calls_switched += rp->calls_switched;
		cr->calls_migrated += rp->calls_migrated;
	}
	if (rp->pages_per_call)
		cr->pages_per_call = rp->pages_per_call;
	cr->calls_timed += rp->calls;
	cr->pages_timed += rp->pages;
	cr->done_timed += rp->pages_done;
	cr->ops_timed++;
}

/* One timed sample of the main thread into the case's series and totals. */
static void add_sample(struct case_run *cr, const struct op_result *rp,
		       const struct op_result *ru)
{
	series_add(&cr->c->pin, rp);
	/* A failed pin holds nothing: there is no unpin to time. */
	if (cr->cs->driver->unpin && ru->calls)
		series_add(&cr->c->unpin, ru);
	case_add_op(cr, rp);
}

/*
 * One round of a case: a buffer of its own, the driver set up, warmup ops,
 * in the first round the counting pass, then nr timed samples; all of it
 * torn down again, so that rounds of other cases can run in between and
 * drift over the run hits every case alike. The pins taken and released
 * in the round add to the case's balance.
 */
void case_run_round(struct case_run *cr, const struct run_opts *o, struct counters *ctr,
		    int nr)
{
	const struct case_spec *cs = cr->cs;
	struct result_case *c = cr->c;
	struct driver_ctx dc = { .cs = cs, .o = o };
	char why[REASON_MAX] = "";
	uint64_t a0 = 0, r0 = 0, a1 = 0, r1 = 0;
	bool first = true, pins_ok;
	struct buffer b;

	if (cr->done || stop_requested)
		return;
	if (cs->team) {
		team_round(cr, o, nr);
		return;
	}
	if (state_buffer_make(cs->backing, cs->state, o, o->mem_node, &b, why, sizeof(why))) {
		/* only a case that never ran is skipped; later, it is an error */
		case_set_status(c, c->has_run ? CASE_ERROR : CASE_SKIPPED, 0, why);
		cr->done = true;
		return;
	}
	if (cs->driver->setup && cs->driver->setup(&dc, &b, why, sizeof(why))) {
		case_set_status(c, c->has_run ? CASE_ERROR : CASE_SKIPPED, 0, why);
		state_buffer_free(cs->backing, cs->state, &b);
		cr->done = true;
		return;
	}
	if (!c->has_run) {
		c->has_run = true;
		attrs_merge(&c->actual, "", &b.actual);
		c->warm_bytes = state_warm_bytes(cs->state, &b);
	}
	pins_ok = pins_read(&a0, &r0) == 0;

	/* a later round's fresh buffer gets one warm-up op: its pages are already faulted in */
	for (int i = 0; i < (cr->rounds ? (o->warmup > 0) : o->warmup) && !stop_requested; i++) {
		struct op_result rp, ru;

		if (next_buffer(cs, o, &b, &first, why, sizeof(why)))
			goto out_nobuf;
		one_op(cs, &dc, &b, &rp, &ru);
	}
	if (!cr->counted && !stop_requested) {
		if (count_pass(cs, o, &dc, &b, &first, ctr, &cr->fb, &cr->errors,
			       &cr->first_err, why, sizeof(why)))
			goto out_nobuf;
		case_keep_counts(cr, ctr);
	}
	for (int i = 0; i < nr && !stop_requested && c->pin.n < (size_t)o->samples; i++) {
		struct op_result rp, ru;

		if (next_buffer(cs, o, &b, &first, why, sizeof(why)))
			goto out_nobuf;
		one_op(cs, &dc, &b, &rp, &ru);
		add_sample(cr, &rp, &ru);
	}
	if (o->mem_node >= 0 || placement_nr_nodes() > 1) {
		attrs_free(&c->page_nodes);
		c->has_placement = true;
		c->placement_cpu = placement_current_cpu();
		c->placement_mem_node = o->mem_node;
		placement_page_nodes(b.addr, b.len, b.page_size, &c->page_nodes);
	}
	state_buffer_free(cs->backing, cs->state, &b);
	goto out_teardown;
out_nobuf:
	case_set_status(c, CASE_ERROR, 0, why);
	cr->done = true;
out_teardown:
	cr->rounds++;
	if (cs->driver->teardown)
		cs->driver->teardown(&dc);
	if (pins_ok && pins_read(&a1, &r1) == 0) {
		cr->acquired += a1 - a0;
		cr->released += r1 - r0;
	} else {
		cr->pins_ok = false;
	}
}

/* Put what the rounds so far measured into the case; again after every round is fine. */
void case_run_fill(struct case_run *cr)
{
	struct result_case *c = cr->c;
	struct series *pin = &c->pin, *unpin = &c->unpin;

	if (!c->has_run)
		return;
	c->errors = cr->errors;
	/* per op of one thread: a team's threads each make one op per sample */
	c->pages_requested_per_op = cr->ops_timed ? (double)cr->pages_timed / cr->ops_timed : 0;
	c->pages_done_per_op = cr->ops_timed ? (double)cr->done_timed / cr->ops_timed : 0;
	/* as the driver made the calls; 0 (null) when none was made */
	c->pages_per_call = cr->pages_per_call;
	c->kernel_calls_per_sample = cr->ops_timed ? (double)cr->calls_timed / cr->ops_timed : 0;
	pin->present = true;
	series_summarize(pin);
	pin->has_single_call = cr->nr_calls > 0;
	if (cr->nr_calls)
		summarize(cr->calls, cr->nr_calls, &pin->single_call);
	unpin->present = cr->cs->driver->unpin && unpin->n;
	series_summarize(unpin);
	c->timer.clock_pair_ns = cr->clock_ns;
	c->timer.subtracted = cr->clock_subtracted;
	/* kept in the timings: a reader decides; unknown where the driver cannot tell */
	c->timer.disturb_known = cr->disturb_known;
	c->timer.samples_with_probe_armed = cr->probe_armed;
	c->timer.calls_switched = cr->calls_switched;
	c->timer.calls_migrated = cr->calls_migrated;
	free(c->pins.source);
	free(c->pins.reason);
	memset(&c->pins, 0, sizeof(c->pins));
	if (cr->pins_ok)
		fill_pins(true, 0, 0, cr->acquired, cr->released, &c->pins);
	else
		fill_pins(false, 0, 0, 0, 0, &c->pins);
	c->interrupted = stop_requested != 0 && pin->n < (size_t)c->samples;
	if (cr->cs->team)
		team_fill(cr);
}

/* The case's final status, its numbers, and the memory of the rounds freed. */
void case_run_end(struct case_run *cr)
{
	struct result_case *c = cr->c;

	case_run_fill(cr);
	if (cr->first_err)
		case_set_status(c, CASE_ERROR, cr->first_err, NULL);
	else if (c->has_run)
		case_set_status(c, CASE_OK, 0, NULL);
	free(cr->calls);
	cr->calls = NULL;
	free(cr->team_done);
	cr->team_done = NULL;
	if (!c->has_run) {
		/* not run: no samples to keep */
		free(c->pin.ns_per_page);
		free(c->pin.ns_per_call);
		free(c->unpin.ns_per_page);
		free(c->unpin.ns_per_call);
		c->pin.ns_per_page = c->pin.ns_per_call = NULL;
		c->unpin.ns_per_page = c->unpin.ns_per_call = NULL;
	}
}

void run_case(const struct case_spec *cs, const struct run_opts *o, struct counters *ctr,
	      struct result_case *c)
{
	struct case_run cr;

	if (case_run_begin(&cr, cs, o, c) == 0)
		case_run_round(&cr, o, ctr, o->samples);
	case_run_end(&cr);
}
