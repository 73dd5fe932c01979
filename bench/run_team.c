// SPDX-License-Identifier: GPL-2.0
/*
 * A case run by a team: cs->threads worker threads, each bound where --place
 * put it, each with its own driver context (a module fd, an io_uring ring)
 * and its own buffer (--share private) or all on one (--share shared). The
 * main thread only coordinates: every step of a sample (remake the buffers,
 * pin, unpin) starts with all workers released by one barrier and ends when
 * all have reached the next, so the pins of a sample run together and no
 * thread's unpin overlaps another's pin. Each worker times its own kernel
 * calls with the driver's clock pair, as a single-threaded case does; the
 * sample's aggregate throughput comes from the clock read right after the
 * release and right after each pin returned, outside those pairs.
 */
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include "gupbench.h"
#include "util.h"
#include "settings.h"
#include "counters.h"
#include "contend.h"
#include "pins.h"
#include "placement.h"
#include "run_case.h"
#include "state.h"
#include "case_key.h"

enum team_step {
	STEP_SETUP,		/* bind, make the buffer */
	STEP_DRIVER,		/* driver setup, once every buffer exists */
	STEP_REMAKE,		/* a fresh buffer, for states an op does not leave as they were */
	STEP_PIN,		/* one timed pin */
	STEP_COUNT_BEGIN,	/* open this thread's counters */
	STEP_COUNT_PIN,		/* one untimed pin with the counters on */
	STEP_COUNT_END,
	STEP_UNPIN,
	STEP_TEARDOWN,		/* driver teardown */
	STEP_FREE,		/* buffers freed (after every thread is done with a shared one) */
	STEP_EXIT,
};

struct team;

struct worker {
	struct team *t;
	int idx;
	pthread_t th;
	bool started;
	struct buffer own;		/* private, or worker 0's shared one */
	bool has_own;
	struct buffer *buf;		/* what this thread pins */
	struct run_opts o;		/* the run's, with this thread's node as mem_node */
	struct driver_ctx dc;
	bool set_up;
	struct counters *ctr;
	struct fallback fb;
	struct op_result rp, ru;
	uint64_t t_start, t_end;
	int cpu_before, cpu_after;
	int failed;			/* the step failed: reason in why */
	char why[REASON_MAX];
};

struct team {
	const struct case_spec *cs;
	const struct run_opts *o;
	int n;
	struct worker *w;
	pthread_barrier_t go, done;
	pthread_mutex_t start_lock;	/* held while the workers are created */
	enum team_step step;
	struct contender *con;		/* paused while buffers are made */
	int arrived;			/* workers at the start line of this pin */
};

/*
 * Driver setup and teardown may touch process-wide limits (io_uring's
 * RLIMIT_MEMLOCK), and opening counters may mount tracefs: one thread at a time.
 */
static pthread_mutex_t setup_lock = PTHREAD_MUTEX_INITIALIZER;

/*
 * Buffers are made and freed one at a time: a backing may grow a hugetlb pool
 * on the buffer's node (a system setting, saved to be put back).
 */
static pthread_mutex_t make_lock = PTHREAD_MUTEX_INITIALIZER;

static int make_buffer(struct worker *w)
{
	const struct case_spec *cs = w->t->cs;
	int rc;

	pthread_mutex_lock(&make_lock);
	rc = state_buffer_make(cs->backing, cs->state, &w->o, w->o.mem_node, &w->own, w->why,
			       sizeof(w->why));
	pthread_mutex_unlock(&make_lock);
	w->has_own = rc == 0;
	if (rc)
		w->failed = 1;
	return rc;
}

static void free_buffer(struct worker *w)
{
	if (!w->has_own)
		return;
	pthread_mutex_lock(&make_lock);
	state_buffer_free(w->t->cs->backing, w->t->cs->state, &w->own);
	pthread_mutex_unlock(&make_lock);
	w->has_own = false;
}

static bool owns_buffer(const struct worker *w)
{
	return !w->t->cs->shared || w->idx == 0;
}

static void step_setup(struct worker *w)
{
	const struct case_spec *cs = w->t->cs;
	int cpu = cs->cpus ? cs->cpus[w->idx] : -1;

	w->o = *w->t->o;
	w->o.mem_node = cs->nodes ? cs->nodes[w->idx] : -1;
	w->o.cpu = cpu;
	if (cpu >= 0 && placement_bind_cpu(cpu, w->why, sizeof(w->why))) {
		w->failed = 1;
		return;
	}
	/* made by the thread that pins it: unbound memory is first-touch local to it */
	if (owns_buffer(w))
		make_buffer(w);
}

/* After every owner made its buffer: the others find worker 0's, and the driver opens. */
static void step_driver_setup(struct worker *w)
{
	const struct case_spec *cs = w->t->cs;

	w->buf = owns_buffer(w) ? &w->own : &w->t->w[0].own;
	w->dc.cs = cs;
	w->dc.o = &w->o;
	if (!cs->driver->setup) {
		w->set_up = true;
		return;
	}
	pthread_mutex_lock(&setup_lock);
	if (cs->driver->setup(&w->dc, w->buf, w->why, sizeof(w->why)))
		w->failed = 1;
	else
		w->set_up = true;
	pthread_mutex_unlock(&setup_lock);
}

static void step_remake(struct worker *w)
{
	if (!owns_buffer(w))
		return;
	free_buffer(w);
	make_buffer(w);
}

/*
 * A futex barrier wakes its waiters one after the other, tens of
 * microseconds apart: longer than a warm pin of a few MiB. The pins start
 * from a spin instead, once every worker is awake (yielding, in case there
 * are more workers than CPUs).
 */
static void start_line(struct team *t)
{
	unsigned int spins = 0;

	__atomic_add_fetch(&t->arrived, 1, __ATOMIC_ACQ_REL);
	while (__atomic_load_n(&t->arrived, __ATOMIC_ACQUIRE) < t->n)
		if (++spins % 1024 == 0)
			sched_yield();
}

static void step_pin(struct worker *w, struct counters *count)
{
	const struct case_spec *cs = w->t->cs;

	memset(&w->rp, 0, sizeof(w->rp));
	w->dc.count = count;
	start_line(w->t);
	w->cpu_before = sched_getcpu();
	w->t_start = now_ns();
	if (count)
		counters_start(count);
	cs->driver->pin(&w->dc, w->buf, &w->rp);
	if (count)
		counters_stop(count);
	w->t_end = now_ns();
	w->cpu_after = sched_getcpu();
	w->dc.count = NULL;
}

static void step_count_pin(struct worker *w)
{
	step_pin(w, w->ctr);
	fallback_add(&w->fb, &w->rp, counters_last_mmap_lock(w->ctr));
}

static void step_count_begin(struct worker *w)
{
	memset(&w->fb, 0, sizeof(w->fb));
	w->fb.kp_ok = true;
	w->fb.call_n = -1;
	/*
	 * Per-thread counters, opened by the thread they count; one at a time:
	 * reaching the tracepoint may mount tracefs.
	 */
	pthread_mutex_lock(&setup_lock);
	w->ctr = counters_open();
	pthread_mutex_unlock(&setup_lock);
	fallback_start(&w->fb, w->ctr);
}

static void step_unpin(struct worker *w)
{
	memset(&w->ru, 0, sizeof(w->ru));
	if (w->t->cs->driver->unpin)
		w->t->cs->driver->unpin(&w->dc, w->buf, &w->ru);
}

static void step_teardown(struct worker *w)
{
	if (!w->set_up)
		return;
	pthread_mutex_lock(&setup_lock);
	if (w->t->cs->driver->teardown)
		w->t->cs->driver->teardown(&w->dc);
	pthread_mutex_unlock(&setup_lock);
	w->set_up = false;
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	struct team *t = w->t;

	/* the barriers exist once every worker that could be created is */
	pthread_mutex_lock(&t->start_lock);
	pthread_mutex_unlock(&t->start_lock);
	for (;;) {
		pthread_barrier_wait(&t->go);
		switch (t->step) {
		case STEP_SETUP:
			step_setup(w);
			break;
		case STEP_DRIVER:
			step_driver_setup(w);
			break;
		case STEP_REMAKE:
			step_remake(w);
			break;
		case STEP_PIN:
			step_pin(w, NULL);
			break;
		case STEP_COUNT_BEGIN:
			step_count_begin(w);
			break;
		case STEP_COUNT_PIN:
			step_count_pin(w);
			break;
		case STEP_COUNT_END:
			counters_call_totals(w->ctr, &w->fb.call_n, &w->fb.entries);
			break;
		case STEP_UNPIN:
			step_unpin(w);
			break;
		case STEP_TEARDOWN:
			step_teardown(w);
			break;
		case STEP_FREE:
			free_buffer(w);
			break;
		case STEP_EXIT:
			pthread_barrier_wait(&t->done);
			return NULL;
		}
		pthread_barrier_wait(&t->done);
	}
}

/* Every worker through one step; the first failure's reason into why, or 0. */
static int run_step(struct team *t, enum team_step step, char *why, size_t n)
{
	t->step = step;
	t->arrived = 0;
	pthread_barrier_wait(&t->go);
	pthread_barrier_wait(&t->done);
	for (int i = 0; i < t->n; i++)
		if (t->w[i].failed) {
			set_reason(why, n, "thread %d: %s", i, t->w[i].why);
			t->w[i].failed = 0;
			return -1;
		}
	return 0;
}

static void team_stop(struct team *t)
{
	char why[REASON_MAX];

	run_step(t, STEP_TEARDOWN, why, sizeof(why));
	run_step(t, STEP_FREE, why, sizeof(why));
	run_step(t, STEP_EXIT, why, sizeof(why));
	for (int i = 0; i < t->n; i++) {
		pthread_join(t->w[i].th, NULL);
		if (t->w[i].ctr)
			counters_close(t->w[i].ctr);
	}
	pthread_barrier_destroy(&t->go);
	pthread_barrier_destroy(&t->done);
	pthread_mutex_destroy(&t->start_lock);
}

/*
 * Workers that block the signals the main thread handles (stop_requested).
 * 0, or -1 with why and nothing left running.
 */
static int team_start(struct team *t, char *why, size_t n)
{
	sigset_t block, old;
	int err = 0, started = 0;

	pthread_mutex_init(&t->start_lock, NULL);
	pthread_mutex_lock(&t->start_lock);
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &block, &old);
	for (int i = 0; i < t->n && !err; i++) {
		t->w[i].t = t;
		t->w[i].idx = i;
		t->w[i].own.fd = -1;
		err = pthread_create(&t->w[i].th, NULL, worker_main, &t->w[i]);
		started += !err;
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	t->n = started;
	pthread_barrier_init(&t->go, NULL, t->n + 1);
	pthread_barrier_init(&t->done, NULL, t->n + 1);
	pthread_mutex_unlock(&t->start_lock);
	if (!err)
		return 0;
	set_reason(why, n, "pthread_create: %s", strerror(err));
	team_stop(t);
	return -1;
}

int team_alloc(struct case_run *cr, const struct run_opts *o)
{
	struct team_result *tr = &cr->c->team;
	int n = cr->cs->threads;

	tr->present = true;
	tr->placement_held = true;
	tr->thread = calloc(n, sizeof(*tr->thread));
	tr->pages_per_s = calloc(o->samples, sizeof(double));
	tr->pages = calloc(o->samples, sizeof(double));
	tr->window_ns = calloc(o->samples, sizeof(double));
	cr->team_done = calloc(n, sizeof(*cr->team_done));
	if (!tr->thread || !tr->pages_per_s || !tr->pages || !tr->window_ns || !cr->team_done)
		return -1;
	tr->nr_threads = n;
	for (int i = 0; i < n; i++) {
		thread_result_init(&tr->thread[i]);
		tr->thread[i].cpu_wanted = cr->cs->cpus ? cr->cs->cpus[i] : -1;
		tr->thread[i].mem_node_wanted = cr->cs->nodes ? cr->cs->nodes[i] : -1;
		if (series_alloc(&tr->thread[i].pin, o->samples))
			return -1;
	}
	return 0;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* One sample of the case: the median over its threads of their ns per page and per call. */
static void series_add_median(struct series *s, const struct worker *w, int n, bool unpin)
{
	double page[n], call[n];
	int k = 0;

	for (int i = 0; i < n; i++) {
		const struct op_result *r = unpin ? &w[i].ru : &w[i].rp;

		if (unpin && !r->calls)
			continue;
		page[k] = r->pages ? (double)r->ns / r->pages : 0;
		call[k] = r->calls ? (double)r->ns / r->calls : 0;
		k++;
	}
	if (!k)
		return;
	qsort(page, k, sizeof(double), cmp_double);
	qsort(call, k, sizeof(double), cmp_double);
	s->ns_per_page[s->n] = k % 2 ? page[k / 2] : (page[k / 2 - 1] + page[k / 2]) / 2;
	s->ns_per_call[s->n] = k % 2 ? call[k / 2] : (call[k / 2 - 1] + call[k / 2]) / 2;
	s->n++;
}

/* One timed sample: every thread's op into its own record, the median and the throughput. */
static void add_team_sample(struct case_run *cr, struct team *t)
{
	struct team_result *tr = &cr->c->team;
	uint64_t first = UINT64_MAX, last = 0, pages = 0;

	for (int i = 0; i < t->n; i++) {
		struct worker *w = &t->w[i];
		struct thread_result *th = &tr->thread[i];

		series_add(&th->pin, &w->rp);
		if (w->rp.err) {
			th->errors++;
			if (!th->err_name)
				th->err_name = strdup(errno_name(w->rp.err));
		}
		cr->team_done[i] += w->rp.pages_done;
		if (th->cpu_first < 0)
			th->cpu_first = w->cpu_before;
		th->cpu_last = w->cpu_after;
		if (th->cpu_wanted >= 0 &&
		    (w->cpu_before != th->cpu_wanted || w->cpu_after != th->cpu_wanted))
			th->samples_moved++;
		else if (th->cpu_wanted < 0 && w->cpu_before != w->cpu_after)
			th->samples_moved++;
		first = w->t_start < first ? w->t_start : first;
		last = w->t_end > last ? w->t_end : last;
		pages += w->rp.pages_done;
		case_add_op(cr, &w->rp);
	}
	series_add_median(&cr->c->pin, t->w, t->n, false);
	series_add_median(&cr->c->unpin, t->w, t->n, true);
	tr->pages[tr->n] = pages;
	tr->window_ns[tr->n] = last - first;
	tr->pages_per_s[tr->n++] = last > first ? pages * 1e9 / (last - first) : 0;
}

/* The counting pass of every thread, summed into the case; each thread's into its record. */
static void keep_team_counts(struct case_run *cr, struct team *t)
{
	struct fallback *sum = &cr->fb;

	memset(sum, 0, sizeof(*sum));
	sum->kp_ok = sum->tp_ok = true;
	sum->baseline = 0;
	for (int i = 0; i < t->n; i++) {
		const struct fallback *f = &t->w[i].fb;
		struct thread_result *th = &cr->c->team.thread[i];

		sum->ops += f->ops;
		sum->calls += f->calls;
		sum->pages += f->pages;
		sum->entries += f->entries;
		sum->acquisitions += f->acquisitions;
		sum->kp_calls += f->kp_calls;
		sum->kp_pages += f->kp_pages;
		sum->kp_ok &= f->kp_ok;
		sum->tp_ok &= f->tp_ok;
		if (f->call_n < 0 || sum->call_n < 0)
			sum->call_n = -1;
		else
			sum->call_n += f->call_n;
		if (f->baseline < 0)
			sum->baseline = -1;
		else if (sum->baseline >= 0 && f->baseline > sum->baseline)
			sum->baseline = f->baseline;

		th->counted_calls = f->calls;
		free(th->fallback_source);
		if (f->ops && f->kp_ok && f->calls) {
			th->fallback_calls_per_op = (double)f->kp_calls / f->calls;
			th->fallback_fraction = f->pages ? (double)f->kp_pages / f->pages : NAN;
			th->fallback_source = strdup("kprobe");
		} else if (f->ops && f->call_n >= 0 && (uint64_t)f->call_n == f->calls && f->calls) {
			th->fallback_calls_per_op = (double)f->entries / f->calls;
			th->fallback_source = strdup("mmap_lock-per-call");
		} else {
			th->fallback_source = strdup("unavailable");
		}
	}
	/* the case's counters are thread 0's (per kernel call, as a single thread's) */
	case_keep_counts(cr, t->w[0].ctr);
}

/*
 * The next op's buffers: a state an op leaves as it was keeps them; any
 * other is made anew, but for the op right after setup.
 */
static int next_buffers(struct team *t, bool *first, char *why, size_t n)
{
	int rc;

	if (*first || state_survives_op(t->cs->state)) {
		*first = false;
		return 0;
	}
	contend_pause(t->con);
	rc = run_step(t, STEP_REMAKE, why, n);
	contend_resume(t->con);
	return rc;
}

static void record_placement(struct case_run *cr, struct team *t)
{
	struct team_result *tr = &cr->c->team;

	tr->placement_held = true;
	for (int i = 0; i < t->n; i++) {
		struct thread_result *th = &tr->thread[i];
		const struct buffer *b = t->w[i].buf;

		/* an unbound thread has no placement to hold; its moves are still counted */
		th->placement_held = th->cpu_wanted < 0 || th->samples_moved == 0;
		tr->placement_held &= th->placement_held;
		attrs_free(&th->page_nodes);
		if (b && b->addr)
			placement_page_nodes(b->addr, b->len, b->page_size, &th->page_nodes);
	}
	/* the case's own placement record: thread 0's, as a single thread's */
	attrs_free(&cr->c->page_nodes);
	cr->c->has_placement = true;
	cr->c->placement_cpu = tr->thread[0].cpu_last;
	cr->c->placement_mem_node = tr->thread[0].mem_node_wanted;
	attrs_merge(&cr->c->page_nodes, "", &tr->thread[0].page_nodes);
}

void team_round(struct case_run *cr, const struct run_opts *o, int nr)
{
	const struct case_spec *cs = cr->cs;
	struct result_case *c = cr->c;
	struct team t = { .cs = cs, .o = o, .n = cs->threads };
	struct contender *con = NULL;
	struct contend_stats cst;
	char why[REASON_MAX] = "";
	uint64_t a0 = 0, r0 = 0, a1 = 0, r1 = 0;
	bool first = true, pins_ok, failed_setup = false;

	t.w = calloc(t.n, sizeof(*t.w));
	if (!t.w || team_start(&t, why, sizeof(why))) {
		case_set_status(c, CASE_ERROR, t.w ? 0 : ENOMEM, t.w ? why : "out of memory");
		free(t.w);
		cr->done = true;
		return;
	}
	pins_ok = pins_read(&a0, &r0) == 0;
	failed_setup = run_step(&t, STEP_SETUP, why, sizeof(why)) ||
		       run_step(&t, STEP_DRIVER, why, sizeof(why));
	if (failed_setup) {
		/* only a case that never ran is skipped; later, it is an error */
		case_set_status(c, c->has_run ? CASE_ERROR : CASE_SKIPPED, 0, why);
		cr->done = true;
		goto out;
	}
	if (!c->has_run) {
		c->has_run = true;
		attrs_merge(&c->actual, "", &t.w[0].own.actual);
		c->warm_bytes = state_warm_bytes(cs->state, &t.w[0].own);
	}
	if (cs->contend) {
		con = contend_start(cs->contend, cs->contend_threads, NULL, why, sizeof(why));
		t.con = con;
		if (!con) {
			case_set_status(c, CASE_ERROR, 0, why);
			cr->done = true;
			goto out;
		}
	}

	for (int i = 0; i < (cr->rounds ? (o->warmup > 0) : o->warmup) && !stop_requested; i++) {
		if (next_buffers(&t, &first, why, sizeof(why)))
			goto out_nobuf;
		run_step(&t, STEP_PIN, why, sizeof(why));
		run_step(&t, STEP_UNPIN, why, sizeof(why));
	}
	if (!cr->counted && !stop_requested) {
		run_step(&t, STEP_COUNT_BEGIN, why, sizeof(why));
		for (int i = 0; i < o->count_ops && !stop_requested; i++) {
			if (next_buffers(&t, &first, why, sizeof(why)))
				goto out_nobuf;
			run_step(&t, STEP_COUNT_PIN, why, sizeof(why));
			run_step(&t, STEP_UNPIN, why, sizeof(why));
		}
		run_step(&t, STEP_COUNT_END, why, sizeof(why));
		keep_team_counts(cr, &t);
	}
	for (int i = 0; i < nr && !stop_requested && c->pin.n < (size_t)o->samples; i++) {
		if (next_buffers(&t, &first, why, sizeof(why)))
			goto out_nobuf;
		run_step(&t, STEP_PIN, why, sizeof(why));
		add_team_sample(cr, &t);
		run_step(&t, STEP_UNPIN, why, sizeof(why));
	}
	record_placement(cr, &t);
	goto out;
out_nobuf:
	case_set_status(c, CASE_ERROR, 0, why);
	cr->done = true;
out:
	if (con) {
		/* pins measured against a contender that stopped are not what was asked for */
		if (contend_error(con)) {
			set_reason(why, sizeof(why), "contender stopped: %s", contend_error(con));
			case_set_status(c, CASE_ERROR, 0, why);
			cr->done = true;
		}
		contend_stop(con, &cst);
		c->team.has_contender = true;
		c->team.contender_threads = cs->contend_threads;
		c->team.contender_ops += cst.ops;
		c->team.contender_seconds += cst.seconds;
	}
	cr->rounds++;
	team_stop(&t);
	free(t.w);
	if (pins_ok && pins_read(&a1, &r1) == 0) {
		cr->acquired += a1 - a0;
		cr->released += r1 - r0;
	} else {
		cr->pins_ok = false;
	}
}

/* What the rounds so far give: per-thread and aggregate summaries. */
void team_fill(struct case_run *cr)
{
	struct team_result *tr = &cr->c->team;
	uint64_t per_thread_ops = cr->c->pin.n;

	for (size_t i = 0; i < tr->nr_threads; i++) {
		struct thread_result *th = &tr->thread[i];

		th->pin.present = true;
		series_summarize(&th->pin);
		th->pages_done_per_op = per_thread_ops ?
					(double)cr->team_done[i] / per_thread_ops : NAN;
	}
	if (!tr->n || summarize(tr->pages_per_s, tr->n, &tr->throughput)) {
		memset(&tr->throughput, 0, sizeof(tr->throughput));
		tr->throughput.median = NAN;
	}
	if (tr->has_contender)
		tr->contender_ops_per_s = tr->contender_seconds > 0 ?
					  tr->contender_ops / tr->contender_seconds : NAN;
}

void team_scaling(struct result *r)
{
	for (size_t i = 0; i < r->nr_cases; i++) {
		struct result_case *c = &r->cases[i];
		char key[1024], base[1024];
		int threads = c->threads;

		c->team.scaling_efficiency = NAN;
		if (!c->team.present || c->status != CASE_OK || threads == 1 ||
		    !isfinite(c->team.throughput.median))
			continue;
		c->threads = 1;
		case_key(c, key, sizeof(key));
		c->threads = threads;
		for (size_t k = 0; k < r->nr_cases; k++) {
			const struct result_case *one = &r->cases[k];

			if (one->threads != 1 || !one->team.present || one->status != CASE_OK ||
			    !(one->team.throughput.median > 0))
				continue;
			case_key(one, base, sizeof(base));
			if (!strcmp(key, base))
				c->team.scaling_efficiency = c->team.throughput.median /
							     (threads * one->team.throughput.median);
		}
	}
}
