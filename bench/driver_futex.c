// SPDX-License-Identifier: GPL-2.0
/* Driver "futex": a shared FUTEX_WAKE per page, one 1-page get_user_pages_fast each. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <linux/futex.h>
#include "gupbench.h"
#include "util.h"
#include "state.h"
#include "counters.h"
#include "timing.h"

struct futex_priv {
	uint64_t min_calls;	/* calls one timed region needs (batch_min_calls) */
};

/*
 * No FUTEX_PRIVATE_FLAG: get_futex_key() must then find the page behind
 * the address (get_user_pages_fast(addr, 1, FOLL_WRITE)) to build an
 * mm- or inode-based key.  Nobody waits, so it returns 0 right after that.
 */
static long futex_wake_shared(void *addr)
{
	return syscall(SYS_futex, addr, FUTEX_WAKE, 1, NULL, NULL, 0);
}

static const char *futex_gup_path(const struct kver *kv, const char *op __attribute__((unused)))
{
	(void)kv;
	return "get_user_pages_fast (1 page, in get_futex_key)";
}

static int futex_probe(const struct run_opts *o, char *why, size_t n)
{
	static int word;

	(void)o;
	if (futex_wake_shared(&word) < 0) {
		set_reason(why, n, "FUTEX_WAKE: %s", errno_name(errno));
		return -1;
	}
	return 0;
}

/* The batch size, estimated on a page of our own (see batch_min_calls()). */
static uint64_t futex_min_calls(void)
{
	void *page = mmap(NULL, BASE_PAGE_SIZE, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	uint64_t n;

	if (page == MAP_FAILED)
		return 1;
	memset(page, 0, BASE_PAGE_SIZE);
	n = batch_min_calls(futex_wake_shared, page);
	munmap(page, BASE_PAGE_SIZE);
	return n;
}

static int futex_setup(struct driver_ctx *c, struct buffer *b, char *why, size_t n)
{
	struct futex_priv *p = calloc(1, sizeof(*p));

	(void)b;
	if (!p) {
		set_reason(why, n, "out of memory");
		return -1;
	}
	p->min_calls = futex_min_calls();
	c->priv = p;
	return 0;
}

/* Counting pass: one walk, each call bracketed on its own, nothing timed. */
static void futex_count(struct driver_ctx *c, struct buffer *b, struct op_result *r)
{
	uint64_t pages = b->len / BASE_PAGE_SIZE, done = 0;
	char *base = b->addr;
	int first_err = 0;

	for (uint64_t i = 0; i < pages; i++) {
		long ret;

		counters_call_begin(c->count);
		ret = futex_wake_shared(base + i * BASE_PAGE_SIZE);
		counters_call_end(c->count);
		if (ret >= 0)
			done++;
		else if (!first_err)
			first_err = errno;
	}
	r->calls = pages;
	r->pages = pages;
	r->pages_per_call = 1;
	r->pages_done = done;
	r->err = first_err;
}

/*
 * One timed region, one clock pair, over the whole pass: per-call timing
 * is impossible (a call is ~1 us, a clock pair tens of ns).  A buffer in a
 * state an op keeps (warm, ro, dirty) too small for the 1% rule is walked
 * several times in the same region; calls and pages count every walk, so
 * per-call and per-page figures stay right.  Any other state is walked
 * once: a second walk would find it changed (cold pages faulted in), and
 * such calls fault (~15 us), which dwarfs the clock anyway.
 */
static void futex_pin(struct driver_ctx *c, struct buffer *b, struct op_result *r)
{
	struct futex_priv *p = c->priv;
	uint64_t pages = b->len / BASE_PAGE_SIZE, passes = 1, done = 0, t0, t1;
	char *base = b->addr;
	int first_err = 0;

	memset(r, 0, sizeof(*r));
	if (!pages)
		return;
	if (c->count) {
		futex_count(c, b, r);
		return;
	}
	if (!(c->cs && !state_survives_op(c->cs->state)) && pages < p->min_calls)
		passes = (p->min_calls + pages - 1) / pages;
	t0 = now_ns();
	for (uint64_t k = 0; k < passes; k++) {
		for (uint64_t i = 0; i < pages; i++) {
			if (futex_wake_shared(base + i * BASE_PAGE_SIZE) >= 0)
				done++;
			else if (!first_err)
				first_err = errno;
		}
	}
	t1 = now_ns();
	r->ns = t1 - t0;
	r->clock_ns = clock_pair_cost_ns();
	r->calls = passes * pages;
	r->pages = passes * pages;
	r->pages_per_call = 1;
	r->pages_done = done;
	r->err = first_err;
}

static void futex_teardown(struct driver_ctx *c)
{
	free(c->priv);
	c->priv = NULL;
}

const struct driver_ops driver_futex = {
	.name = "futex",
	.desc = "shared FUTEX_WAKE (no waiters) on the first word of every 4K page",
	.gup_path = futex_gup_path,
	.fixed_flags = PIN_FLAG_WRITE,
	.axes = 0,
	.probe = futex_probe,
	.setup = futex_setup,
	.pin = futex_pin,
	.unpin = NULL,
	.teardown = futex_teardown,
};
