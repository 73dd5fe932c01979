// SPDX-License-Identifier: GPL-2.0
/* Background threads that take mmap_lock as writers or fault pages while the measured ones pin. */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include "placement.h"
#include "util.h"
#include "contend.h"

#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif

/* Own stacks: glibc keeps the stacks of joined threads mapped for reuse. */
#define STACK_SIZE	(256 << 10)
/* The fault kind's region: a round of faults per MADV_DONTNEED. */
#define FAULT_PAGES	256

enum state { STATE_SETUP, STATE_RUN, STATE_PAUSE, STATE_STOP };

struct worker {
	_Atomic uint64_t ops;		/* written by the worker only */
	struct contender *c;
	int cpu;			/* -1: not bound */
	char *map;			/* the reservation: guard, work region, guard */
	size_t map_len;
	char *work;			/* what the ops act on */
	size_t work_len;
	void *stack;
	int created;			/* pthread_create succeeded */
	pthread_t thread;
	uint64_t ops_read;		/* ops at the last contend_read (main thread) */
	_Atomic int failed;		/* why is set */
	char why[160];
};

struct contender {
	enum contend_kind kind;
	int nthreads;
	struct worker *w;
	_Atomic int state;		/* enum state; changed under lock */
	pthread_mutex_t lock;
	pthread_cond_t changed;
	int idle;			/* workers waiting in wait_to_run(), under lock */
	int failed;			/* workers whose setup failed, under lock */
	uint64_t run_ns;		/* time running since the last read */
	uint64_t since_ns;		/* when the current running stretch began */
};

static const char *const names[CONTEND_NR_KINDS] = {
	[CONTEND_NONE] = "none",
	[CONTEND_MMAP] = "mmap",
	[CONTEND_MPROTECT] = "mprotect",
	[CONTEND_FAULT] = "fault",
};

static const char *const whats[CONTEND_NR_KINDS] = {
	[CONTEND_NONE] = "no background threads",
	[CONTEND_MMAP] = "mmap+munmap of one untouched page (mmap_write_lock twice an op)",
	[CONTEND_MPROTECT] = "mprotect toggling one page of three R <-> RW, the VMA splits "
			     "and merges (mmap_write_lock)",
	[CONTEND_FAULT] = "write faults on 1 MiB emptied by MADV_DONTNEED (mmap_read_lock "
			  "before 6.4, the VMA's lock on 6.4+)",
};

static pthread_mutex_t bind_lock = PTHREAD_MUTEX_INITIALIZER;

const char *contend_name(enum contend_kind k)
{
	return (unsigned)k < CONTEND_NR_KINDS ? names[k] : "?";
}

const char *contend_what(enum contend_kind k)
{
	return (unsigned)k < CONTEND_NR_KINDS ? whats[k] : "?";
}

int contend_find(const char *name)
{
	for (int k = 0; name && k < CONTEND_NR_KINDS; k++)
		if (!strcmp(name, names[k]))
			return k;
	return -1;
}

static size_t page_size(void)
{
	return sysconf(_SC_PAGESIZE);
}

static void worker_fail(struct worker *w, const char *what, int err)
{
	snprintf(w->why, sizeof(w->why), "%s contender: %s: %s", contend_name(w->c->kind),
		 what, strerror(err));
	atomic_store_explicit(&w->failed, 1, memory_order_release);
}

/*
 * Idle until the state is RUN (true) or STOP (false). A parked worker (one
 * whose op failed) stays idle through RUN too, until STOP.
 */
static int wait_to_run(struct contender *c, int parked)
{
	int st;

	pthread_mutex_lock(&c->lock);
	c->idle++;
	pthread_cond_broadcast(&c->changed);
	for (;;) {
		st = atomic_load_explicit(&c->state, memory_order_relaxed);
		if (st == STATE_STOP || (st == STATE_RUN && !parked))
			break;
		pthread_cond_wait(&c->changed, &c->lock);
	}
	c->idle--;
	pthread_mutex_unlock(&c->lock);
	return st == STATE_RUN;
}

static int running(struct contender *c)
{
	return atomic_load_explicit(&c->state, memory_order_relaxed) == STATE_RUN;
}

/* A relaxed store of the worker's own counter: no locked instruction per op. */
static void count_op(struct worker *w, uint64_t *ops)
{
	atomic_store_explicit(&w->ops, ++*ops, memory_order_relaxed);
}

/* The work region is a hole between the guards: map it, unmap it. */
static int run_mmap(struct worker *w, uint64_t *ops)
{
	void *p;

	while (running(w->c)) {
		p = mmap(w->work, w->work_len, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
		if (p == MAP_FAILED) {
			/* EEXIST: someone else's mapping took the hole; leave it alone */
			worker_fail(w, "mmap", errno);
			return -1;
		}
		if (p != w->work) {
			/* a kernel before 4.17 took NOREPLACE as a hint */
			munmap(p, w->work_len);
			worker_fail(w, "mmap", EEXIST);
			return -1;
		}
		if (munmap(p, w->work_len)) {
			worker_fail(w, "munmap", errno);
			return -1;
		}
		count_op(w, ops);
	}
	return 0;
}

/*
 * The middle page of three: read-only splits the VMA in three, writable
 * merges it back. After an odd number of ops the page is read-only.
 */
static int run_mprotect(struct worker *w, uint64_t *ops)
{
	size_t ps = page_size();
	int prot[2] = { PROT_READ, PROT_READ | PROT_WRITE };

	while (running(w->c)) {
		if (mprotect(w->work + ps, ps, prot[*ops & 1])) {
			worker_fail(w, "mprotect", errno);
			return -1;
		}
		count_op(w, ops);
	}
	return 0;
}

static int run_fault(struct worker *w, uint64_t *ops)
{
	size_t ps = page_size();

	while (running(w->c)) {
		if (madvise(w->work, w->work_len, MADV_DONTNEED)) {
			worker_fail(w, "madvise(MADV_DONTNEED)", errno);
			return -1;
		}
		for (size_t off = 0; off < w->work_len && running(w->c); off += ps) {
			*(volatile char *)(w->work + off) = 1;
			count_op(w, ops);
		}
	}
	return 0;
}

static int worker_setup(struct worker *w)
{
	int ret = 0;

	if (w->cpu >= 0) {
		/* placement loads the hwloc topology on first use, unlocked */
		pthread_mutex_lock(&bind_lock);
		ret = placement_bind_cpu(w->cpu, w->why, sizeof(w->why));
		pthread_mutex_unlock(&bind_lock);
		if (ret) {
			atomic_store_explicit(&w->failed, 1, memory_order_release);
			return -1;
		}
	}
	/*
	 * The outer pages populated on the worker's CPU (an anon_vma, pages like
	 * a heap's); the toggled middle one never: with no PTE to change,
	 * mprotect flushes no TLB, and sends no IPI to the measured threads.
	 */
	if (w->c->kind == CONTEND_MPROTECT) {
		size_t ps = page_size();

		w->work[0] = 1;
		w->work[2 * ps] = 1;
	}
	return 0;
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	struct contender *c = w->c;
	uint64_t ops = 0;
	int ret = 0;

	if (worker_setup(w)) {
		pthread_mutex_lock(&c->lock);
		c->failed++;
		pthread_cond_broadcast(&c->changed);
		pthread_mutex_unlock(&c->lock);
		return NULL;
	}
	while (wait_to_run(c, ret)) {
		switch (c->kind) {
		case CONTEND_MMAP:
			ret = run_mmap(w, &ops);
			break;
		case CONTEND_MPROTECT:
			ret = run_mprotect(w, &ops);
			break;
		case CONTEND_FAULT:
			ret = run_fault(w, &ops);
			break;
		default:
			break;
		}
	}
	return NULL;
}

/*
 * PROT_NONE guard, work region, guard: the region never merges with a
 * neighbour (its protection differs from the guards'). mmap leaves a hole
 * where the region goes; the others map it writable.
 */
static int map_region(struct worker *w, char *why, size_t n)
{
	size_t ps = page_size();
	enum contend_kind k = w->c->kind;

	w->work_len = k == CONTEND_MMAP ? ps : k == CONTEND_MPROTECT ? 3 * ps : FAULT_PAGES * ps;
	w->map_len = w->work_len + 2 * ps;
	w->map = mmap(NULL, w->map_len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
		      -1, 0);
	if (w->map == MAP_FAILED) {
		w->map = NULL;
		set_reason(why, n, "%s contender: mmap of %zu bytes: %s", contend_name(k),
			   w->map_len, strerror(errno));
		return -1;
	}
	w->work = w->map + ps;
	if (k == CONTEND_MMAP) {
		if (munmap(w->work, w->work_len))
			goto fail;
		return 0;
	}
	if (mprotect(w->work, w->work_len, PROT_READ | PROT_WRITE))
		goto fail;
	/* one fault per 4 KiB page, not one per 2 MiB */
	if (k == CONTEND_FAULT)
		madvise(w->work, w->work_len, MADV_NOHUGEPAGE);
	return 0;
fail:
	set_reason(why, n, "%s contender: setting up its region: %s", contend_name(k),
		   strerror(errno));
	return -1;
}

static int map_stack(struct worker *w, char *why, size_t n)
{
	w->stack = mmap(NULL, STACK_SIZE, PROT_READ | PROT_WRITE,
			MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK | MAP_NORESERVE, -1, 0);
	if (w->stack == MAP_FAILED) {
		w->stack = NULL;
		set_reason(why, n, "contender stack: mmap: %s", strerror(errno));
		return -1;
	}
	return 0;
}

/* STOP, then join every thread that was created. */
static void join_all(struct contender *c)
{
	pthread_mutex_lock(&c->lock);
	atomic_store_explicit(&c->state, STATE_STOP, memory_order_relaxed);
	pthread_cond_broadcast(&c->changed);
	pthread_mutex_unlock(&c->lock);
	for (int i = 0; i < c->nthreads; i++) {
		if (c->w[i].created)
			pthread_join(c->w[i].thread, NULL);
		c->w[i].created = 0;
	}
}

/* After join_all: nothing uses what is unmapped. */
static void free_all(struct contender *c)
{
	for (int i = 0; i < c->nthreads; i++) {
		if (c->w[i].map)
			munmap(c->w[i].map, c->w[i].map_len);
		if (c->w[i].stack)
			munmap(c->w[i].stack, STACK_SIZE);
	}
	pthread_cond_destroy(&c->changed);
	pthread_mutex_destroy(&c->lock);
	free(c->w);
	free(c);
}

static int create_thread(struct worker *w, char *why, size_t n)
{
	pthread_attr_t attr;
	int err;

	err = pthread_attr_init(&attr);
	if (!err)
		err = pthread_attr_setstack(&attr, w->stack, STACK_SIZE);
	if (!err)
		err = pthread_create(&w->thread, &attr, worker_main, w);
	pthread_attr_destroy(&attr);
	if (err) {
		set_reason(why, n, "%s contender: pthread_create: %s", contend_name(w->c->kind),
			   strerror(err));
		return -1;
	}
	w->created = 1;
	return 0;
}

/* Asynchronous signals go to the main thread; faults stay with whoever faults. */
static void block_async_signals(sigset_t *old)
{
	static const int sync_sigs[] = { SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGTRAP, SIGSYS };
	sigset_t set;

	sigfillset(&set);
	for (size_t i = 0; i < sizeof(sync_sigs) / sizeof(sync_sigs[0]); i++)
		sigdelset(&set, sync_sigs[i]);
	pthread_sigmask(SIG_BLOCK, &set, old);
}

/* Wait for every worker to be set up and idle; -1 with the first failure's reason. */
static int wait_ready(struct contender *c, char *why, size_t n)
{
	pthread_mutex_lock(&c->lock);
	while (c->idle + c->failed < c->nthreads)
		pthread_cond_wait(&c->changed, &c->lock);
	pthread_mutex_unlock(&c->lock);
	for (int i = 0; i < c->nthreads; i++) {
		if (atomic_load_explicit(&c->w[i].failed, memory_order_acquire)) {
			set_reason(why, n, "%s", c->w[i].why);
			return -1;
		}
	}
	return 0;
}

struct contender *contend_start(enum contend_kind k, int nthreads, const int *cpus,
				char *why, size_t n)
{
	struct contender *c;
	sigset_t old;
	int i, ret = 0;

	if ((unsigned)k >= CONTEND_NR_KINDS) {
		set_reason(why, n, "unknown contention kind %d", (int)k);
		return NULL;
	}
	if (k == CONTEND_NONE) {
		nthreads = 0;
	} else if (nthreads < 1) {
		set_reason(why, n, "%s contender: %d threads (needs at least 1)",
			   contend_name(k), nthreads);
		return NULL;
	}
	c = calloc(1, sizeof(*c));
	if (c)
		c->w = calloc(nthreads ? nthreads : 1, sizeof(*c->w));
	if (!c || !c->w) {
		free(c);
		set_reason(why, n, "contender: out of memory");
		return NULL;
	}
	c->kind = k;
	c->nthreads = nthreads;
	atomic_init(&c->state, STATE_SETUP);
	pthread_mutex_init(&c->lock, NULL);
	pthread_cond_init(&c->changed, NULL);
	for (i = 0; i < nthreads; i++) {
		c->w[i].c = c;
		c->w[i].cpu = cpus && cpus[i] >= 0 ? cpus[i] : -1;
	}

	block_async_signals(&old);
	for (i = 0; i < nthreads && !ret; i++)
		ret = map_region(&c->w[i], why, n) || map_stack(&c->w[i], why, n) ||
		      create_thread(&c->w[i], why, n);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (ret) {
		/* workers 0..i-1: the last failed part way; the frees check each part */
		c->nthreads = i;
		join_all(c);
		free_all(c);
		return NULL;
	}
	if (wait_ready(c, why, n)) {
		join_all(c);
		free_all(c);
		return NULL;
	}
	contend_resume(c);
	return c;
}

void contend_pause(struct contender *c)
{
	if (!c)
		return;
	pthread_mutex_lock(&c->lock);
	if (atomic_load_explicit(&c->state, memory_order_relaxed) == STATE_RUN) {
		c->run_ns += now_ns() - c->since_ns;
		atomic_store_explicit(&c->state, STATE_PAUSE, memory_order_relaxed);
	}
	while (c->idle < c->nthreads)
		pthread_cond_wait(&c->changed, &c->lock);
	pthread_mutex_unlock(&c->lock);
}

void contend_resume(struct contender *c)
{
	int st;

	if (!c)
		return;
	pthread_mutex_lock(&c->lock);
	st = atomic_load_explicit(&c->state, memory_order_relaxed);
	if (st == STATE_PAUSE || st == STATE_SETUP) {
		c->since_ns = now_ns();
		atomic_store_explicit(&c->state, STATE_RUN, memory_order_relaxed);
		pthread_cond_broadcast(&c->changed);
	}
	pthread_mutex_unlock(&c->lock);
}

void contend_read(struct contender *c, struct contend_stats *out)
{
	uint64_t ops = 0, t;

	memset(out, 0, sizeof(*out));
	if (!c)
		return;
	for (int i = 0; i < c->nthreads; i++) {
		t = atomic_load_explicit(&c->w[i].ops, memory_order_relaxed);
		ops += t - c->w[i].ops_read;
		c->w[i].ops_read = t;
	}
	pthread_mutex_lock(&c->lock);
	if (atomic_load_explicit(&c->state, memory_order_relaxed) == STATE_RUN) {
		t = now_ns();
		c->run_ns += t - c->since_ns;
		c->since_ns = t;
	}
	out->ops = ops;
	out->seconds = c->run_ns / 1e9;
	out->ops_per_s = c->run_ns ? ops / out->seconds : 0;
	c->run_ns = 0;
	pthread_mutex_unlock(&c->lock);
}

const char *contend_error(struct contender *c)
{
	for (int i = 0; c && i < c->nthreads; i++)
		if (atomic_load_explicit(&c->w[i].failed, memory_order_acquire))
			return c->w[i].why;
	return NULL;
}

void contend_stop(struct contender *c, struct contend_stats *out)
{
	if (!c) {
		if (out)
			memset(out, 0, sizeof(*out));
		return;
	}
	/* running time ends here; the ops up to each thread's last one count */
	if (atomic_load_explicit(&c->state, memory_order_relaxed) == STATE_RUN)
		c->run_ns += now_ns() - c->since_ns;
	join_all(c);
	if (out)
		contend_read(c, out);
	free_all(c);
}
