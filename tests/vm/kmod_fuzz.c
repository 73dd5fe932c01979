// SPDX-License-Identifier: GPL-2.0
/*
 * kmod_fuzz: robustness pass over /dev/gupbench (kmod/uapi/gupbench_ioctl.h).
 *
 *   kmod_fuzz [-d DEV] [-n RANDOM_REQUESTS] [-s SEED] [-v]
 *
 * Sends well over 10,000 requests: malformed fields (one at a time, then at
 * random), bad, kernel, non-canonical and unaligned addresses, overflowing
 * lengths, huge counts, unknown ops, flags and ioctl numbers, non-zero
 * reserved fields, holes, PROT_NONE and read-only ranges, bad request and
 * sample pointers, concurrent threads (some racing munmap/mprotect), more
 * concurrent requests than the module has fallback slots, signals in the
 * middle of a long request (SIGALRM with and without SA_RESTART, SIGKILL and
 * SIGINT of a child), mixed with valid requests whose results are checked
 * against what the request implies (call and page counts, samples, fallback
 * counts where they are exact). Interface v2: request sizes below, at and
 * above the known one (zero and non-zero tails), INFO buffers of other
 * sizes, the counting option (GUPBENCH_O_COUNT: counts only with it, the
 * probe disarmed after), and timing requests that run while another thread
 * counts (they must say so: GUPBENCH_RF_PROBE_ARMED).
 *
 * Every outcome is predicted by a model of the module's validation: a
 * request that should fail but succeeds, an unexpected errno, a result that
 * disagrees with its request, or a result written by a request that was
 * refused, is a failure. Prints TAP; exit status 0 pass, 1 fail, 4 skip (no
 * device). dmesg and the pin balance in the guest are checked by the caller
 * too; this program also checks nr_foll_pin_acquired/released itself.
 *
 * Build: make -C tests (static: it runs only inside the VM guests, from
 * tests/vm/guest-semantics.sh), or
 * cc -std=gnu11 -Wall -Wextra -I kmod/uapi -I tests tests/vm/kmod_fuzz.c -lpthread
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/time.h>
#include <sys/wait.h>
#include "gupbench_ioctl.h"
#include "tap.h"

#define NR_TESTS	27
#define RW_PAGES	64
#define SB_ENTRIES	512	/* sample buffer entries, followed by a guard page */
#define MAX_NOTES	12	/* diagnostics per test */

/* Definitely beyond user space on x86-64 (4- or 5-level) and arm64. */
#define KADDR_DIRECT	0xffff888000000000ULL
#define KADDR_TEXT	0xffffffff81000000ULL
#define KADDR_VSYSCALL	0xffffffffff600000ULL
#define NONCANON	0x8000000000000000ULL
/*
 * The end of the default mmap window (DEFAULT_MAP_WINDOW): every mapping of ours
 * lies below it, and a range ending above it may fault. x86-64 keeps user mappings
 * under 47 bits even with 5-level paging unless asked; arm64 under 48 bits, whatever
 * VA_BITS is (52-bit user addresses, too, need a hint).
 */
#ifdef __aarch64__
#define USER_SURE_END	0x0001000000000000ULL
#else
#define USER_SURE_END	0x00007ffffffff000ULL
#endif
/* Lowest address that is beyond user space on every configuration. */
#define KERNEL_SURE	0xff00000000000000ULL

static const char *dev = GUPBENCH_DEVICE;
static int fd;
static long pg;
static bool verbose;
static struct gupbench_info info;
static atomic_long nreq;	/* requests sent, all threads */
static int notes;
/*
 * Only one thread sends requests: a timing request must then never see the
 * probe armed, and a counting one must find the probe free of others.
 */
static bool solo = true;
/*
 * Up to 6.1 (two probes) the module keeps them armed from load to unload
 * (kmod/fallback_probe.c: GUPBENCH_ARM_ON_DEMAND) and flags every request.
 */
static bool always_armed;

/* memory the requests point at */
static char *rw, *hole, *none, *ro, *textpage;
static struct gupbench_sample *sbuf, *sro;
static char *reqpage;	/* one RW page followed by a PROT_NONE page */

enum expect { EXP_OK, EXP_EINVAL, EXP_EFAULT, EXP_SAMPLES_EFAULT, EXP_FAULT_OR_FAILED,
	      EXP_E2BIG, EXP_NOMODEL };

/* Each test gets its own budget of diagnostic lines. */
#define tap_ok(...) (notes = 0, tap_ok(__VA_ARGS__))

static const char *const exp_name[] = {
	"ok", "EINVAL", "EFAULT", "EFAULT after run (samples)", "EFAULT or failed calls",
	"E2BIG", "(size beyond this struct: not modelled)",
};

static void note(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));

static void note(const char *fmt, ...)
{
	va_list ap;

	if (notes++ >= MAX_NOTES && !verbose)
		return;
	printf("# ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
}

/* ---- random numbers (xorshift64*), per thread ---- */
static uint64_t rnd_next(uint64_t *s)
{
	uint64_t x = *s;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*s = x;
	return x * 0x2545F4914F6CDD1DULL;
}

static uint64_t rnd_below(uint64_t *s, uint64_t n)
{
	return n ? rnd_next(s) % n : 0;
}

static bool chance(uint64_t *s, unsigned int percent)
{
	return rnd_below(s, 100) < percent;
}

/* ---- requests ---- */
static void req_init(struct gupbench_req *q, unsigned int op, unsigned int flags,
		     const void *addr, uint64_t len, uint64_t ppc, uint64_t it)
{
	memset(q, 0, sizeof(*q));
	q->size = sizeof(*q);
	q->op = op;
	q->flags = flags;
	q->addr = (uintptr_t)addr;
	q->length = len;
	q->pages_per_call = ppc;
	q->iterations = it;
}

static int do_req(int dfd, void *q)
{
	int ret;

	atomic_fetch_add(&nreq, 1);
	ret = ioctl(dfd, GUPBENCH_IOC_RUN, q);
	return ret < 0 ? errno : 0;
}

static uint64_t ceil_div(uint64_t a, uint64_t b)
{
	return (a + b - 1) / b;
}

/* The module's validation, as documented in the uapi header. */
static enum expect model(const struct gupbench_req *q)
{
	uint64_t end, npages, ppc, send, calls, written;
	bool vague = false;

	/* size: E2BIG above the cap; this struct is all the tail there is */
	if (q->size > GUPBENCH_REQ_SIZE_MAX)
		return EXP_E2BIG;
	if (q->size < GUPBENCH_REQ_SIZE_VER0)
		return EXP_EINVAL;
	if (q->size > sizeof(*q))
		return EXP_NOMODEL;
	if (q->options & ~GUPBENCH_O_ALL)
		return EXP_EINVAL;
	for (size_t i = 0; i < sizeof(q->__reserved) / sizeof(q->__reserved[0]); i++)
		if (q->__reserved[i])
			return EXP_EINVAL;
	if (q->op < GUPBENCH_OP_PIN_FAST || q->op > GUPBENCH_OP_PIN)
		return EXP_EINVAL;
	if (q->flags & ~GUPBENCH_F_ALL)
		return EXP_EINVAL;
	if (q->op == GUPBENCH_OP_GET_FAST && (q->flags & GUPBENCH_F_LONGTERM))
		return EXP_EINVAL;
	if (!q->length || q->length > GUPBENCH_MAX_LENGTH || q->length % pg || q->addr % pg)
		return EXP_EINVAL;
	if (__builtin_add_overflow(q->addr, q->length, &end))
		return EXP_EINVAL;
	npages = q->length / pg;
	if (q->pages_per_call > GUPBENCH_MAX_PAGES_PER_CALL || q->pages_per_call > npages)
		return EXP_EINVAL;
	if (!q->pages_per_call && npages > GUPBENCH_MAX_PAGES_PER_CALL)
		return EXP_EINVAL;
	if (!q->iterations || q->iterations > GUPBENCH_MAX_ITERATIONS)
		return EXP_EINVAL;
	if (!q->samples != !q->samples_cap || q->samples_cap > GUPBENCH_MAX_SAMPLES)
		return EXP_EINVAL;

	if (q->addr >= KERNEL_SURE || end > KERNEL_SURE)
		return EXP_EFAULT;
	if (end > USER_SURE_END)
		vague = true;
	if (q->samples) {
		send = q->samples + q->samples_cap * sizeof(struct gupbench_sample);
		if (q->samples >= KERNEL_SURE || send > KERNEL_SURE || send < q->samples)
			return EXP_EFAULT;
		if (send > USER_SURE_END)
			vague = true;
	}
	if (vague)
		return EXP_FAULT_OR_FAILED;

	if (q->samples) {
		ppc = q->pages_per_call ? q->pages_per_call : npages;
		calls = q->iterations * ceil_div(npages, ppc);
		written = calls < q->samples_cap ? calls : q->samples_cap;
		/* Only sbuf (before its guard page) is writable. */
		if (q->samples < (uintptr_t)sbuf ||
		    q->samples + written * sizeof(struct gupbench_sample) >
		    (uintptr_t)(sbuf + SB_ENTRIES))
			return EXP_SAMPLES_EFAULT;
	}
	return EXP_OK;
}

static uint64_t req_calls(const struct gupbench_req *q)
{
	uint64_t npages = q->length / pg;
	uint64_t ppc = q->pages_per_call ? q->pages_per_call : npages;

	return q->iterations * ceil_div(npages, ppc);
}

static bool fb_status_ok(const struct gupbench_req *q, uint32_t st)
{
	if (!(q->options & GUPBENCH_O_COUNT))
		return st == GUPBENCH_FB_NOT_ASKED;
	return st == info.fallback_status || st == GUPBENCH_FB_BUSY ||
	       st == GUPBENCH_FB_IMPLAUSIBLE;
}

/* How a request ended, for res_consistent(). */
enum run_end {
	END_FULL,	/* every call made */
	END_SIGNAL,	/* stopped by a signal (EINTR) */
	END_SAMPLES,	/* stopped because samples could not be written (EFAULT) */
};

/*
 * Check a result against its request. samples: the sample array the module
 * wrote (NULL if none or not readable). Returns true if consistent; on false
 * why says what disagreed.
 */
static bool res_consistent(const struct gupbench_req *q, const struct gupbench_sample *samples,
			   enum run_end end, char *why, size_t n)
{
	bool interrupted = end == END_SIGNAL, partial = end != END_FULL;
	const struct gupbench_result *r = &q->res;
	uint64_t calls = req_calls(q), npages = q->length / pg, written;
	uint64_t ppc = q->pages_per_call ? q->pages_per_call : npages;
	bool counted = r->fallback_status == GUPBENCH_FB_COUNTED &&
		       !(r->flags & GUPBENCH_RF_PROBE_MISSED);
	uint64_t sum_pin = 0, sum_pinned = 0, sum_fb = 0, sum_sw = 0, sum_mig = 0;

#define BAD(...) do { snprintf(why, n, __VA_ARGS__); return false; } while (0)
	if (partial ? r->calls > calls : r->calls != calls)
		BAD("calls %" PRIu64 ", expected %" PRIu64, (uint64_t)r->calls, calls);
	if (interrupted != !!(r->flags & GUPBENCH_RF_INTERRUPTED))
		BAD("INTERRUPTED flag %s", interrupted ? "missing" : "without a signal");
	if (partial ? r->pages_requested > q->iterations * npages :
	    r->pages_requested != q->iterations * npages)
		BAD("pages_requested %" PRIu64, (uint64_t)r->pages_requested);
	if (r->pages_pinned > r->pages_requested)
		BAD("pinned %" PRIu64 " > requested", (uint64_t)r->pages_pinned);
	if (r->failed_calls + r->short_calls > r->calls)
		BAD("failed %" PRIu64 " + short %" PRIu64 " > calls", (uint64_t)r->failed_calls,
		    (uint64_t)r->short_calls);
	if (!r->failed_calls != !r->first_error)
		BAD("first_error %u with %" PRIu64 " failed calls", r->first_error,
		    (uint64_t)r->failed_calls);
	if (r->first_error >= 4096)
		BAD("first_error %u", r->first_error);
	if (!fb_status_ok(q, r->fallback_status))
		BAD("fallback_status %u (module: %u, options %#x)", r->fallback_status,
		    info.fallback_status, q->options);
	/* A request that counted had the probe armed; alone, no other one did. */
	if (r->fallback_status == GUPBENCH_FB_COUNTED && !(r->flags & GUPBENCH_RF_PROBE_ARMED))
		BAD("counted without PROBE_ARMED");
	if (solo && !always_armed && !(q->options & GUPBENCH_O_COUNT) &&
	    (r->flags & GUPBENCH_RF_PROBE_ARMED))
		BAD("timing request saw the probe armed with nobody counting");
	if (r->switched_calls > r->calls || r->migrated_calls > r->calls)
		BAD("switched %" PRIu64 " / migrated %" PRIu64 " calls of %" PRIu64,
		    (uint64_t)r->switched_calls, (uint64_t)r->migrated_calls, (uint64_t)r->calls);
	if ((q->options & GUPBENCH_O_LOOP_TIME) && (r->switched_calls || r->migrated_calls))
		BAD("scheduling figures with GUPBENCH_O_LOOP_TIME");
	if (r->fallback_status != GUPBENCH_FB_COUNTED && (r->fallback_calls || r->fallback_pages))
		BAD("fallback counts without status 0");
	if (r->flags & ~(GUPBENCH_RF_INTERRUPTED | GUPBENCH_RF_SAMPLES_TRUNCATED |
			 GUPBENCH_RF_PROBE_MISSED | GUPBENCH_RF_PROBE_ARMED))
		BAD("unknown result flags %#x", r->flags);
	if (r->__pad || r->__reserved[0] || r->__reserved[1])
		BAD("reserved result fields set");
	if ((q->options & GUPBENCH_O_LOOP_TIME) && (r->pin_ns || r->unpin_ns || r->clock_ns))
		BAD("per-call times with GUPBENCH_O_LOOP_TIME");
	if (r->calls && !r->loop_ns)
		BAD("no loop time");
	if (counted) {
		if (r->fallback_calls > r->calls || r->fallback_pages > r->pages_requested)
			BAD("fallback %" PRIu64 " calls %" PRIu64 " pages beyond the request",
			    (uint64_t)r->fallback_calls, (uint64_t)r->fallback_pages);
		/* pin_user_pages() is the slow path: every call enters it. */
		if (q->op == GUPBENCH_OP_PIN &&
		    (r->fallback_calls != r->calls || r->fallback_pages != r->pages_requested))
			BAD("op pin: fallback %" PRIu64 "/%" PRIu64 " != calls/pages %" PRIu64
			    "/%" PRIu64, (uint64_t)r->fallback_calls, (uint64_t)r->fallback_pages,
			    (uint64_t)r->calls, (uint64_t)r->pages_requested);
	}
	written = q->samples ? (r->calls < q->samples_cap ? r->calls : q->samples_cap) : 0;
	if (end == END_SAMPLES ? r->samples_written >= written : r->samples_written != written)
		BAD("samples_written %" PRIu64 ", expected %s%" PRIu64,
		    (uint64_t)r->samples_written, end == END_SAMPLES ? "< " : "", written);
	if (!partial && !!(r->flags & GUPBENCH_RF_SAMPLES_TRUNCATED) !=
	    (q->samples && q->samples_cap < calls))
		BAD("SAMPLES_TRUNCATED flag wrong");
	if (!samples)
		return true;
	for (uint64_t i = 0; i < r->samples_written; i++) {
		const struct gupbench_sample *s = &samples[i];
		uint64_t off = (i % ceil_div(npages, ppc)) * ppc;
		uint64_t want = npages - off < ppc ? npages - off : ppc;

		if (s->pages_requested != want)
			BAD("sample %" PRIu64 ": requested %u, expected %" PRIu64, i,
			    s->pages_requested, want);
		if (s->pages_pinned > s->pages_requested || (s->error && s->pages_pinned))
			BAD("sample %" PRIu64 ": pinned %u of %u, error %u", i, s->pages_pinned,
			    s->pages_requested, s->error);
		if (s->error >= 4096 || (!s->pages_pinned && !s->error))
			BAD("sample %" PRIu64 ": error %u with %u pinned", i, s->error,
			    s->pages_pinned);
		if (!s->pages_pinned && s->unpin_ns)
			BAD("sample %" PRIu64 ": unpin time without pages", i);
		if (s->fallback_pages > s->pages_requested || (!counted && s->fallback_pages))
			BAD("sample %" PRIu64 ": fallback_pages %u", i, s->fallback_pages);
		if (counted && q->op == GUPBENCH_OP_PIN && s->fallback_pages != s->pages_requested)
			BAD("sample %" PRIu64 ": op pin fell back %u of %u", i, s->fallback_pages,
			    s->pages_requested);
		if (s->flags & ~(GUPBENCH_SF_MIGRATED | GUPBENCH_SF_SWITCHED))
			BAD("sample %" PRIu64 ": unknown flags %#x", i, s->flags);
		if (!!(s->flags & GUPBENCH_SF_SWITCHED) != !!s->switches ||
		    !!(s->flags & GUPBENCH_SF_MIGRATED) != (s->cpu_start != s->cpu_end))
			BAD("sample %" PRIu64 ": flags %#x, %u switches, cpu %u -> %u", i,
			    s->flags, s->switches, s->cpu_start, s->cpu_end);
		if ((q->options & GUPBENCH_O_LOOP_TIME) &&
		    (s->flags || s->switches || s->cpu_start || s->cpu_end))
			BAD("sample %" PRIu64 ": scheduling figures with LOOP_TIME", i);
		if (s->cpu_start >= 65536 || s->cpu_end >= 65536)
			BAD("sample %" PRIu64 ": cpu %u -> %u", i, s->cpu_start, s->cpu_end);
		sum_pin += s->pin_ns;
		sum_pinned += s->pages_pinned;
		sum_fb += s->fallback_pages;
		sum_sw += !!(s->flags & GUPBENCH_SF_SWITCHED);
		sum_mig += !!(s->flags & GUPBENCH_SF_MIGRATED);
	}
	if (r->samples_written == r->calls) {
		if (sum_pin != r->pin_ns || sum_pinned != r->pages_pinned)
			BAD("samples do not add up to the totals");
		if (sum_sw != r->switched_calls || sum_mig != r->migrated_calls)
			BAD("sample flags %" PRIu64 "/%" PRIu64 " != switched/migrated %" PRIu64
			    "/%" PRIu64, sum_sw, sum_mig, (uint64_t)r->switched_calls,
			    (uint64_t)r->migrated_calls);
		if (counted && sum_fb != r->fallback_pages)
			BAD("sample fallbacks %" PRIu64 " != total %" PRIu64, sum_fb,
			    (uint64_t)r->fallback_pages);
	}
	return true;
#undef BAD
}

static void res_poison(struct gupbench_req *q)
{
	memset(&q->res, 0xa5, sizeof(q->res));
}

static bool res_poisoned(const struct gupbench_req *q)
{
	const unsigned char *p = (const unsigned char *)&q->res;

	for (size_t i = 0; i < sizeof(q->res); i++)
		if (p[i] != 0xa5)
			return false;
	return true;
}

static void describe(const struct gupbench_req *q, char *buf, size_t n)
{
	snprintf(buf, n, "size %u op %u flags %#x options %#x addr %#" PRIx64 " len %#" PRIx64
		 " ppc %" PRIu64 " it %" PRIu64 " samples %#" PRIx64 " cap %" PRIu64
		 " rsv %" PRIx64 "/%" PRIx64, q->size, q->op, q->flags, q->options,
		 (uint64_t)q->addr, (uint64_t)q->length, (uint64_t)q->pages_per_call,
		 (uint64_t)q->iterations, (uint64_t)q->samples, (uint64_t)q->samples_cap,
		 (uint64_t)q->__reserved[0], (uint64_t)q->__reserved[3]);
}

/* More pages pinned than the part of the range below user space's end holds. */
static bool pinned_beyond_user(const struct gupbench_req *q)
{
	uint64_t below = q->addr < USER_SURE_END ? (USER_SURE_END - q->addr) >> 12 : 0;

	return q->res.pages_pinned > below * q->iterations;
}

/*
 * Send q and check the outcome against the model. Returns true if as
 * expected.
 */
static bool check_req(int dfd, struct gupbench_req *q, const char *what)
{
	enum expect e = model(q);
	char why[256] = "", d[320];
	/* the range itself reaches past what is user space everywhere */
	bool high = q->addr + q->length > USER_SURE_END;
	bool ok;
	int err;

	res_poison(q);
	err = do_req(dfd, q);
	switch (e) {
	case EXP_NOMODEL:
		/* random sizes beyond this struct are tested in test_sizes() */
		ok = true;
		break;
	case EXP_EINVAL:
	case EXP_EFAULT:
	case EXP_E2BIG:
		ok = err == (e == EXP_EINVAL ? EINVAL : e == EXP_E2BIG ? E2BIG : EFAULT) &&
		     res_poisoned(q);
		if (!ok)
			snprintf(why, sizeof(why), "got %s%s", err ? strerror(err) : "success",
				 res_poisoned(q) ? "" : ", result written");
		break;
	case EXP_SAMPLES_EFAULT:
		ok = err == EFAULT && !res_poisoned(q) &&
		     res_consistent(q, NULL, END_SAMPLES, why, sizeof(why));
		if (!ok && !*why)
			snprintf(why, sizeof(why), "got %s", err ? strerror(err) : "success");
		break;
	case EXP_FAULT_OR_FAILED:
		if (err == EFAULT && res_poisoned(q)) {
			ok = true;
		} else if (err == EFAULT) {
			/* Accepted, ran, and then the samples could not be written. */
			ok = res_consistent(q, NULL, END_SAMPLES, why, sizeof(why));
			if (ok && high && pinned_beyond_user(q)) {
				ok = false;
				snprintf(why, sizeof(why), "pages beyond user space were pinned");
			}
		} else if (!err) {
			/*
			 * Accepted: nothing can be pinned up there. A call that starts
			 * in mapped user space may still pin the pages before the end.
			 */
			ok = res_consistent(q, NULL, END_FULL, why, sizeof(why));
			if (ok && high && pinned_beyond_user(q)) {
				ok = false;
				snprintf(why, sizeof(why), "pages beyond user space were pinned");
			}
		} else {
			ok = false;
			snprintf(why, sizeof(why), "got %s", strerror(err));
		}
		break;
	default:
		ok = !err && res_consistent(q, q->samples ? sbuf + (q->samples -
			(uintptr_t)sbuf) / sizeof(*sbuf) : NULL, END_FULL, why, sizeof(why));
		if (err)
			snprintf(why, sizeof(why), "got %s", strerror(err));
		break;
	}
	if (!ok) {
		describe(q, d, sizeof(d));
		note("%s: expected %s: %s [%s]", what, exp_name[e], why, d);
	}
	return ok;
}

/* ---- memory ---- */
static void *map(size_t pages, int prot)
{
	void *p = mmap(NULL, pages * pg, prot, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED) {
		printf("Bail out! mmap: %s\n", strerror(errno));
		exit(KSFT_FAIL);
	}
	madvise(p, pages * pg, MADV_NOHUGEPAGE);
	return p;
}

static void setup_memory(void)
{
	char *p;

	rw = map(RW_PAGES, PROT_READ | PROT_WRITE);
	memset(rw, 1, RW_PAGES * pg);
	none = map(8, PROT_NONE);
	ro = map(8, PROT_READ);
	textpage = (char *)((uintptr_t)&setup_memory & ~(uintptr_t)(pg - 1));

	p = map(SB_ENTRIES * sizeof(struct gupbench_sample) / pg + 1, PROT_READ | PROT_WRITE);
	sbuf = (struct gupbench_sample *)p;
	mprotect(p + SB_ENTRIES * sizeof(struct gupbench_sample), pg, PROT_NONE);
	sro = map(1, PROT_READ);
	reqpage = map(2, PROT_READ | PROT_WRITE);
	mprotect(reqpage + pg, pg, PROT_NONE);
	/* last: a later small mmap() could fill the hole */
	hole = map(16, PROT_READ | PROT_WRITE);
	memset(hole, 1, 16 * pg);
	munmap(hole + 7 * pg, pg);
}

/* Is page 7 of hole still unmapped (mincore() fails with ENOMEM)? */
static bool hole_intact(void)
{
	unsigned char v;

	return mincore(hole + 7 * pg, pg, &v) < 0 && errno == ENOMEM;
}

static bool pins_read(uint64_t *acq, uint64_t *rel)
{
	char line[256];
	int found = 0;
	FILE *f;
	int w = open("/proc/sys/vm/stat_refresh", O_WRONLY);

	if (w >= 0) {
		if (write(w, "1", 1) < 0)
			(void)0;
		close(w);
	}
	f = fopen("/proc/vmstat", "r");
	if (!f)
		return false;
	while (fgets(line, sizeof(line), f)) {
		found += sscanf(line, "nr_foll_pin_acquired %" SCNu64, acq);
		found += sscanf(line, "nr_foll_pin_released %" SCNu64, rel);
	}
	fclose(f);
	return found == 2;
}

/* ---- targeted tests ---- */
static void test_info(void)
{
	struct gupbench_info i2;
	bool ok = true;

	ok &= ioctl(fd, GUPBENCH_IOC_INFO, NULL) < 0 && errno == EFAULT;
	ok &= ioctl(fd, GUPBENCH_IOC_INFO, (void *)(uintptr_t)KADDR_DIRECT) < 0 &&
	      errno == EFAULT;
	ok &= ioctl(fd, GUPBENCH_IOC_INFO, none) < 0 && errno == EFAULT;
	ok &= ioctl(fd, GUPBENCH_IOC_INFO, ro) < 0 && errno == EFAULT;
	/* straddling into a PROT_NONE page */
	ok &= ioctl(fd, GUPBENCH_IOC_INFO, reqpage + pg - sizeof(i2) / 2) < 0 && errno == EFAULT;
	memset(&i2, 0x5a, sizeof(i2));
	ok &= ioctl(fd, GUPBENCH_IOC_INFO, &i2) == 0 && !memcmp(&i2, &info, sizeof(i2));
	atomic_fetch_add(&nreq, 6);
	tap_ok(ok, "INFO with bad pointers fails with EFAULT, a good one repeats");
}

static void test_bad_cmds(void)
{
	static const unsigned long cmds[] = {
		/* interface v1's RUN and INFO */
		_IOWR(GUPBENCH_IOC_MAGIC, 0xa0, char[224]),
		_IOWR(GUPBENCH_IOC_MAGIC, 0xa1, char[264]),
		/* RUN encodes the __u32 size field, nothing else */
		_IOWR(GUPBENCH_IOC_MAGIC, 0xa2, struct gupbench_req),
		_IOWR(GUPBENCH_IOC_MAGIC, 0xa2, __u64),
		_IOR(GUPBENCH_IOC_MAGIC, 0xa2, __u32),
		_IOW(GUPBENCH_IOC_MAGIC, 0xa2, __u32),
		_IO(GUPBENCH_IOC_MAGIC, 0xa2),
		_IOWR('h', 0xa2, __u32),
		/* INFO: _IOR only, from the v2 size up to the cap */
		_IOWR(GUPBENCH_IOC_MAGIC, 0xa3, struct gupbench_info),
		_IOW(GUPBENCH_IOC_MAGIC, 0xa3, struct gupbench_info),
		_IOR(GUPBENCH_IOC_MAGIC, 0xa3, char[GUPBENCH_INFO_SIZE_VER0 - 8]),
		_IOR(GUPBENCH_IOC_MAGIC, 0xa3, char[GUPBENCH_REQ_SIZE_MAX + 8]),
		_IOR(GUPBENCH_IOC_MAGIC, 0xa4, struct gupbench_info),
		0, 1, 0xffffffffUL, TCGETS,
	};
	struct gupbench_req q;
	bool ok = true;

	req_init(&q, GUPBENCH_OP_PIN_FAST, 0, rw, pg, 0, 1);
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		atomic_fetch_add(&nreq, 1);
		if (ioctl(fd, cmds[i], &q) == 0 || errno != ENOTTY) {
			note("ioctl %#lx: %s", cmds[i], strerror(errno));
			ok = false;
		}
	}
	ok &= lseek(fd, 0, SEEK_SET) < 0;
	tap_ok(ok, "unknown ioctl numbers fail with ENOTTY");
}

static void test_bad_req_ptr(void)
{
	struct gupbench_req q, *p;
	uint64_t a0, r0, a1, r1;
	bool ok = true, pins = pins_read(&a0, &r0);

	void *bad[] = { NULL, (void *)(uintptr_t)KADDR_DIRECT, (void *)(uintptr_t)KADDR_TEXT,
			(void *)(uintptr_t)NONCANON, none, hole + 7 * pg,
			/* straddling into the PROT_NONE page */
			reqpage + pg - sizeof(q) + 8 };
	int err;

	/* the straddling one: a valid size, so the module reads on into PROT_NONE */
	req_init(&q, GUPBENCH_OP_PIN_FAST, GUPBENCH_F_WRITE, rw, 4 * pg, 1, 1);
	memcpy(reqpage + pg - sizeof(q) + 8, &q, sizeof(q) - 8);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err = do_req(fd, bad[i]);
		if (err != EFAULT) {
			note("request at %p: %s", bad[i], err ? strerror(err) : "success");
			ok = false;
		}
	}
	/* ends exactly at the page end: fine */
	p = (struct gupbench_req *)(reqpage + pg - sizeof(q));
	req_init(p, GUPBENCH_OP_PIN_FAST, GUPBENCH_F_WRITE, rw, 4 * pg, 1, 1);
	err = do_req(fd, p);
	if (err || p->res.pages_pinned != 4) {
		note("request at the end of a page: %s, pinned %" PRIu64,
		     err ? strerror(err) : "success", (uint64_t)p->res.pages_pinned);
		ok = false;
	}
	/* unaligned */
	p = (struct gupbench_req *)(reqpage + 3);
	req_init(p, GUPBENCH_OP_PIN, GUPBENCH_F_WRITE, rw, 4 * pg, 0, 2);
	err = do_req(fd, p);
	if (err || p->res.pages_pinned != 8) {
		note("unaligned request: %s, pinned %" PRIu64, err ? strerror(err) : "success",
		     (uint64_t)p->res.pages_pinned);
		ok = false;
	}
	/* read-only request: the result cannot be written, so it does not run */
	req_init(&q, GUPBENCH_OP_PIN_FAST, GUPBENCH_F_WRITE | GUPBENCH_F_LONGTERM, rw,
		 RW_PAGES * pg, 0, 3);
	memcpy(reqpage, &q, sizeof(q));
	mprotect(reqpage, pg, PROT_READ);
	err = do_req(fd, reqpage);
	if (err != EFAULT) {
		note("read-only request: %s", err ? strerror(err) : "success");
		ok = false;
	}
	mprotect(reqpage, pg, PROT_READ | PROT_WRITE);
	if (pins && pins_read(&a1, &r1) && a1 - a0 != r1 - r0) {
		note("pins: acquired %" PRIu64 " released %" PRIu64, a1 - a0, r1 - r0);
		ok = false;
	}
	tap_ok(ok, "bad request pointers fail with EFAULT; odd but valid ones work");
}

/* One field at a time made invalid, on every op. */
static void test_fields(void)
{
	struct gupbench_req q;
	int bad = 0, n = 0;

	for (unsigned int op = GUPBENCH_OP_PIN_FAST; op <= GUPBENCH_OP_PIN; op++) {
		for (int m = 0; m < 40; m++) {
			req_init(&q, op, GUPBENCH_F_WRITE, rw, 8 * pg, 2, 1);
			switch (m) {
			case 0: q.size = 0; break;
			case 1: q.size = GUPBENCH_REQ_SIZE_VER0 - 8; break;
			case 2: q.size = ~0u; break;	/* E2BIG */
			case 3: q.options = 1u << 2; break;
			case 4: q.__reserved[0] = 1; break;
			case 5: q.__reserved[3] = 1ULL << 63; break;
			case 6: q.op = 0; break;
			case 7: q.op = GUPBENCH_OP_PIN + 1; break;
			case 8: q.op = ~0u; break;
			case 9: q.flags = 1u << 2; break;
			case 10: q.flags = 1u << 31; break;
			case 11: q.flags = ~0u; break;
			case 12: q.flags |= GUPBENCH_F_LONGTERM; break;	/* EINVAL for get_fast only */
			case 13: q.length = 0; break;
			case 14: q.length = 8 * pg + 1; break;
			case 15: q.length = pg / 2; break;
			case 16: q.addr += 1; break;
			case 17: q.addr += pg / 2; break;
			case 18: q.length = GUPBENCH_MAX_LENGTH + pg; q.pages_per_call = 1; break;
			case 19: q.length = ~0ULL & ~(uint64_t)(pg - 1); q.pages_per_call = 1; break;
			case 20: q.addr = ~0ULL & ~(uint64_t)(pg - 1); break;	/* addr + len overflows */
			case 21: q.addr = ~0ULL - 4 * pg + 1; q.addr &= ~(uint64_t)(pg - 1);
				 break;
			case 22: q.pages_per_call = 9; break;
			case 23: q.pages_per_call = GUPBENCH_MAX_PAGES_PER_CALL + 1; break;
			case 24: q.pages_per_call = ~0ULL; break;
			case 25: q.length = (GUPBENCH_MAX_PAGES_PER_CALL + 1) * pg;
				 q.pages_per_call = 0; break;
			case 26: q.iterations = 0; break;
			case 27: q.iterations = GUPBENCH_MAX_ITERATIONS + 1; break;
			case 28: q.iterations = ~0ULL; break;
			case 29: q.samples = (uintptr_t)sbuf; q.samples_cap = 0; break;
			case 30: q.samples = 0; q.samples_cap = 4; break;
			case 31: q.samples = (uintptr_t)sbuf;
				 q.samples_cap = GUPBENCH_MAX_SAMPLES + 1; break;
			case 32: q.samples = (uintptr_t)sbuf; q.samples_cap = ~0ULL; break;
			/* EFAULT: not user space */
			case 33: q.addr = KADDR_DIRECT; break;
			case 34: q.addr = KADDR_TEXT; break;
			case 35: q.addr = KADDR_VSYSCALL; q.length = pg; q.pages_per_call = 1; break;
			case 36: q.addr = NONCANON; break;
			case 37: q.samples = KADDR_DIRECT; q.samples_cap = 4; break;
			case 38: q.samples = (uintptr_t)sro; q.samples_cap = 4; break;
			case 39: q.samples = (uintptr_t)(none); q.samples_cap = 4; break;
			}
			n++;
			if (!check_req(fd, &q, "field"))
				bad++;
		}
	}
	tap_ok(!bad, "%d single-field mutations refused as predicted (%d wrong)", n, bad);
}

/* Valid requests on warm anonymous memory: everything pins, counts add up. */
static void test_valid(void)
{
	static const uint64_t ppcs[] = { 0, 1, 3, 16, RW_PAGES - 1, RW_PAGES };
	struct gupbench_req q;
	int bad = 0, n = 0;
	char why[256];

	for (unsigned int op = GUPBENCH_OP_PIN_FAST; op <= GUPBENCH_OP_PIN; op++) {
		for (unsigned int fl = 0; fl <= GUPBENCH_F_ALL; fl++) {
			if (op == GUPBENCH_OP_GET_FAST && (fl & GUPBENCH_F_LONGTERM))
				continue;
			for (size_t k = 0; k < sizeof(ppcs) / sizeof(ppcs[0]); k++) {
				req_init(&q, op, fl, rw, RW_PAGES * pg, ppcs[k], 1 + k % 3);
				q.samples = (uintptr_t)sbuf;
				q.samples_cap = k == 2 ? 5 : SB_ENTRIES;
				q.options = (k == 4 ? GUPBENCH_O_LOOP_TIME : 0) |
					    (k & 1 ? GUPBENCH_O_COUNT : 0);
				n++;
				if (!check_req(fd, &q, "valid")) {
					bad++;
					continue;
				}
				if (q.res.pages_pinned != q.res.pages_requested ||
				    q.res.failed_calls) {
					note("valid op %u flags %u: pinned %" PRIu64 " of %" PRIu64,
					     op, fl, (uint64_t)q.res.pages_pinned,
					     (uint64_t)q.res.pages_requested);
					bad++;
				}
				/* warm and not the slow path: nothing falls back */
				if (q.res.fallback_status == GUPBENCH_FB_COUNTED &&
				    op != GUPBENCH_OP_PIN && q.res.fallback_pages) {
					note("warm op %u flags %u: %" PRIu64 " pages fell back",
					     op, fl, (uint64_t)q.res.fallback_pages);
					bad++;
				}
			}
		}
	}
	/* cold: every page of a one-call pin falls back */
	for (int i = 0; i < 6; i++) {
		unsigned int op = i % 3 + 1;

		madvise(rw, RW_PAGES * pg, MADV_DONTNEED);
		req_init(&q, op, GUPBENCH_F_WRITE, rw, RW_PAGES * pg, 0, 1);
		q.options = GUPBENCH_O_COUNT;
		n++;
		res_poison(&q);
		if (do_req(fd, &q) || !res_consistent(&q, NULL, END_FULL, why, sizeof(why)) ||
		    q.res.pages_pinned != RW_PAGES) {
			note("cold op %u: %s", op, why);
			bad++;
		} else if (q.res.fallback_status == GUPBENCH_FB_COUNTED &&
			   !(q.res.flags & GUPBENCH_RF_PROBE_MISSED) &&
			   (q.res.fallback_calls != 1 || q.res.fallback_pages != RW_PAGES)) {
			note("cold op %u: fallback %" PRIu64 " calls %" PRIu64 " pages, expected 1/%d",
			     op, (uint64_t)q.res.fallback_calls, (uint64_t)q.res.fallback_pages,
			     RW_PAGES);
			bad++;
		}
	}
	memset(rw, 1, RW_PAGES * pg);
	tap_ok(!bad, "%d valid requests pin everything with consistent counts (%d wrong)", n, bad);
}

/* Holes, PROT_NONE, read-only and text ranges: errors per call, never per request. */
static void test_ranges(void)
{
	struct gupbench_req q;
	int bad = 0, n = 0;

	if (!hole_intact()) {
		note("something was mapped into the hole");
		bad++;
	}

	for (unsigned int op = GUPBENCH_OP_PIN_FAST; op <= GUPBENCH_OP_PIN; op++) {
		for (unsigned int fl = 0; fl <= GUPBENCH_F_ALL; fl++) {
			if (op == GUPBENCH_OP_GET_FAST && (fl & GUPBENCH_F_LONGTERM))
				continue;
			for (uint64_t ppc = 0; ppc <= 16; ppc += 4) {
				/* the hole is page 7 of 16 */
				req_init(&q, op, fl, hole, 16 * pg, ppc, 1);
				q.samples = (uintptr_t)sbuf;
				q.samples_cap = SB_ENTRIES;
				n++;
				if (!check_req(fd, &q, "hole"))
					bad++;
				else if (q.res.pages_pinned >= 16 || !q.res.pages_pinned) {
					note("hole op %u fl %u ppc %" PRIu64 ": pinned %" PRIu64,
					     op, fl, ppc, (uint64_t)q.res.pages_pinned);
					bad++;
				}
				req_init(&q, op, fl, none, 8 * pg, ppc > 8 ? 8 : ppc, 1);
				n++;
				if (!check_req(fd, &q, "prot_none"))
					bad++;
				else if (q.res.pages_pinned || q.res.first_error != EFAULT) {
					note("PROT_NONE op %u fl %u: pinned %" PRIu64 " error %u", op,
					     fl, (uint64_t)q.res.pages_pinned, q.res.first_error);
					bad++;
				}
				req_init(&q, op, fl, ro, 8 * pg, ppc > 8 ? 8 : ppc, 1);
				n++;
				if (!check_req(fd, &q, "read-only"))
					bad++;
				else if ((fl & GUPBENCH_F_WRITE) &&
					 (q.res.pages_pinned || q.res.first_error != EFAULT)) {
					note("read-only WRITE op %u: pinned %" PRIu64, op,
					     (uint64_t)q.res.pages_pinned);
					bad++;
				}
				req_init(&q, op, fl, textpage, pg, 0, 1);
				n++;
				if (!check_req(fd, &q, "text"))
					bad++;
				else if ((fl & GUPBENCH_F_WRITE) && q.res.pages_pinned) {
					note("text WRITE op %u: pinned", op);
					bad++;
				}
			}
		}
	}
	tap_ok(!bad, "%d requests over holes, PROT_NONE, read-only and text ranges (%d wrong)", n,
	       bad);
}

static void test_samples(void)
{
	struct gupbench_req q;
	int bad = 0, n = 0;

	/* more calls than samples: truncated, the rest still counted */
	req_init(&q, GUPBENCH_OP_PIN_FAST, GUPBENCH_F_WRITE, rw, RW_PAGES * pg, 1, 2);
	q.samples = (uintptr_t)sbuf;
	q.samples_cap = 7;
	n++;
	bad += !check_req(fd, &q, "truncated");
	bad += !(q.res.flags & GUPBENCH_RF_SAMPLES_TRUNCATED);
	/* samples run into the guard page: EFAULT after the run, result written */
	req_init(&q, GUPBENCH_OP_PIN_FAST, GUPBENCH_F_WRITE, rw, RW_PAGES * pg, 1, 1);
	q.samples = (uintptr_t)(sbuf + SB_ENTRIES - 10);
	q.samples_cap = 64;
	n++;
	bad += !check_req(fd, &q, "guard page");
	/* read-only, PROT_NONE, unmapped and hole sample buffers */
	for (int i = 0; i < 4; i++) {
		uintptr_t s[] = { (uintptr_t)sro, (uintptr_t)none, (uintptr_t)(hole + 7 * pg),
				  (uintptr_t)(hole + 7 * pg - 16) };

		req_init(&q, GUPBENCH_OP_PIN, 0, rw, 4 * pg, 1, 1);
		q.samples = s[i];
		q.samples_cap = 4;
		n++;
		bad += !check_req(fd, &q, "bad samples");
	}
	/* samples crossing the end of user space */
	req_init(&q, GUPBENCH_OP_PIN, 0, rw, 4 * pg, 1, 1);
	q.samples = USER_SURE_END - 2 * sizeof(struct gupbench_sample);
	q.samples_cap = 4;
	n++;
	bad += !check_req(fd, &q, "samples at the top");
	tap_ok(!bad, "%d sample-buffer cases: truncation, guard page, unwritable buffers", n);
}


/* INFO into buffers of other sizes: what both know is filled, the rest zeroed. */
static void test_info_sizes(void)
{
	static const size_t sizes[] = { GUPBENCH_INFO_SIZE_VER0, GUPBENCH_INFO_SIZE_VER0 + 8,
					1024, GUPBENCH_REQ_SIZE_MAX };
	unsigned char buf[GUPBENCH_REQ_SIZE_MAX];
	bool ok = true;

	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		struct gupbench_info got;

		memset(buf, 0x5a, sizeof(buf));
		atomic_fetch_add(&nreq, 1);
		if (ioctl(fd, _IOC(_IOC_READ, GUPBENCH_IOC_MAGIC, 0xa3, sizes[i]), buf)) {
			note("INFO of %zu bytes: %s", sizes[i], strerror(errno));
			ok = false;
			continue;
		}
		memcpy(&got, buf, sizeof(got));
		/* arm_count moves with every counting request: compare the rest */
		got.arm_count = info.arm_count;
		if (memcmp(&got, &info, sizeof(got))) {
			note("INFO of %zu bytes differs from the first", sizes[i]);
			ok = false;
		}
		for (size_t k = sizeof(got); k < sizes[i]; k++) {
			if (buf[k]) {
				note("INFO of %zu bytes: byte %zu is %#x, not 0", sizes[i], k,
				     buf[k]);
				ok = false;
				break;
			}
		}
		if (buf[sizes[i]] != 0x5a && sizes[i] < sizeof(buf)) {
			note("INFO of %zu bytes wrote past it", sizes[i]);
			ok = false;
		}
	}
	tap_ok(ok && info.size == sizeof(info),
	       "INFO fills any size from v2's %d up, zeroes what it does not know (size %u)",
	       GUPBENCH_INFO_SIZE_VER0, info.size);
}

/*
 * The module tests its probe at load: a WRITE and a WRITE|LONGTERM pin of an
 * untouched page must each be one slow-path entry for one page. Where the
 * module could register its probe, the test must have passed.
 */
static void test_selftest(void)
{
	bool registered = info.nr_probes > 0 && info.probes[0].status == 0;
	bool ok;

	if (registered)
		ok = info.selftest_status == GUPBENCH_ST_OK && info.selftest_calls == 1 &&
		     info.selftest_pages == 1 && info.selftest_pins == 2 &&
		     info.fallback_status == GUPBENCH_FB_COUNTED;
	else
		ok = info.selftest_status == GUPBENCH_ST_UNAVAILABLE &&
		     info.fallback_status != GUPBENCH_FB_COUNTED;
	tap_ok(ok && info.armed == 0, "probe self-test: status %u, %" PRIu64 " calls, %" PRIu64
	       " pages, %u pins, error %u; armed now %u", info.selftest_status,
	       (uint64_t)info.selftest_calls, (uint64_t)info.selftest_pages, info.selftest_pins,
	       info.selftest_error, info.armed);
}

/* A request in a larger buffer: the struct, then a tail. */
struct big_req {
	struct gupbench_req q;
	unsigned char tail[GUPBENCH_REQ_SIZE_MAX + 64 - sizeof(struct gupbench_req)];
};

/*
 * Size versioning (copy_struct_from_user()): smaller than v2's size is
 * EINVAL; larger runs if the unknown tail is zero, else E2BIG; beyond the
 * cap E2BIG whatever the tail; a tail in unreadable memory EFAULT. Refused
 * requests leave res alone; accepted ones write it where v2 has it.
 */
static void test_sizes(void)
{
	static struct big_req b;
	struct gupbench_req *q = &b.q;
	const size_t ks = sizeof(struct gupbench_req);
	int bad = 0, n = 0, err;
	char why[256];
	struct {
		uint32_t size;
		int tail_at;		/* offset into tail of a non-zero byte, -1: none */
		int want;
	} c[] = {
		{ 0, -1, EINVAL }, { 4, -1, EINVAL }, { ks - 1, -1, EINVAL },
		{ ks - 8, -1, EINVAL }, { ks, -1, 0 }, { ks + 1, -1, 0 }, { ks + 8, -1, 0 },
		{ ks + 8, 7, E2BIG }, { ks + 1, 0, E2BIG }, { 1024, -1, 0 }, { 1024, 500, E2BIG },
		{ GUPBENCH_REQ_SIZE_MAX, -1, 0 },
		{ GUPBENCH_REQ_SIZE_MAX, GUPBENCH_REQ_SIZE_MAX - ks - 1, E2BIG },
		{ GUPBENCH_REQ_SIZE_MAX + 1, -1, E2BIG }, { GUPBENCH_REQ_SIZE_MAX + 64, -1, E2BIG },
		{ ~0u, -1, E2BIG },
	};

	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		memset(&b, 0, sizeof(b));
		req_init(q, GUPBENCH_OP_PIN_FAST, GUPBENCH_F_WRITE, rw, 8 * pg, 2, 1);
		q->size = c[i].size;
		q->options = i & 1 ? GUPBENCH_O_COUNT : 0;
		if (c[i].tail_at >= 0)
			b.tail[c[i].tail_at] = 0x80;
		res_poison(q);
		n++;
		err = do_req(fd, q);
		if (err != c[i].want || (err && !res_poisoned(q)) ||
		    (!err && (!res_consistent(q, NULL, END_FULL, why, sizeof(why)) ||
			      q->res.pages_pinned != 8))) {
			note("size %u, tail byte %d: got %s, expected %s%s", c[i].size, c[i].tail_at,
			     err ? strerror(err) : "success",
			     c[i].want ? strerror(c[i].want) : "success",
			     err && !res_poisoned(q) ? " (result written)" : "");
			bad++;
		}
	}
	/* a larger request whose tail runs into a PROT_NONE page */
	{
		struct gupbench_req *p = (struct gupbench_req *)(reqpage + pg - ks - 16);

		req_init(p, GUPBENCH_OP_PIN_FAST, GUPBENCH_F_WRITE, rw, 4 * pg, 1, 1);
		p->size = ks + 64;
		memset(reqpage + pg - 16, 0, 16);
		n++;
		err = do_req(fd, p);
		if (err != EFAULT) {
			note("tail into PROT_NONE: %s", err ? strerror(err) : "success");
			bad++;
		}
	}
	tap_ok(!bad, "%d request sizes: smaller EINVAL, larger with a zero tail run, "
	       "non-zero tail or beyond %d E2BIG, unreadable tail EFAULT", n,
	       GUPBENCH_REQ_SIZE_MAX);
}

/*
 * The counting option: without it, nothing is counted and the probe is not
 * armed; with it, a cold range falls back exactly once per call for every
 * page, a warm one never; the probe is disarmed again after each request.
 */
static void test_count(void)
{
	struct gupbench_info i0, i1;
	struct gupbench_req q;
	int bad = 0, n = 0, counted = 0;
	char why[256];

	memset(&i0, 0, sizeof(i0));
	ioctl(fd, GUPBENCH_IOC_INFO, &i0);
	for (int k = 0; k < 12; k++) {
		bool count = k & 1, cold = k & 2;
		unsigned int op = k / 4 + 1;
		uint64_t ppc = op == GUPBENCH_OP_PIN ? 4 : 0;

		if (cold)
			madvise(rw, RW_PAGES * pg, MADV_DONTNEED);
		req_init(&q, op, GUPBENCH_F_WRITE, rw, RW_PAGES * pg, ppc, 1);
		q.options = count ? GUPBENCH_O_COUNT : 0;
		q.samples = (uintptr_t)sbuf;
		q.samples_cap = SB_ENTRIES;
		res_poison(&q);
		n++;
		if (do_req(fd, &q) || !res_consistent(&q, sbuf, END_FULL, why, sizeof(why))) {
			note("count k %d: %s", k, why);
			bad++;
			continue;
		}
		if (!count) {
			if (q.res.fallback_status != GUPBENCH_FB_NOT_ASKED ||
			    (!always_armed && (q.res.flags & GUPBENCH_RF_PROBE_ARMED)) ||
			    q.res.fallback_calls) {
				note("timing k %d: status %u flags %#x", k, q.res.fallback_status,
				     q.res.flags);
				bad++;
			}
			continue;
		}
		if (info.fallback_status != GUPBENCH_FB_COUNTED)
			continue;
		counted++;
		/* pin is the slow path: every call; pin_fast/get_fast: one call if cold */
		uint64_t want_calls = op == GUPBENCH_OP_PIN ? RW_PAGES / 4 : cold ? 1 : 0;
		uint64_t want_pages = op == GUPBENCH_OP_PIN || cold ? RW_PAGES : 0;

		if (q.res.fallback_status != GUPBENCH_FB_COUNTED ||
		    (q.res.flags & GUPBENCH_RF_PROBE_MISSED) ||
		    q.res.fallback_calls != want_calls || q.res.fallback_pages != want_pages) {
			note("count k %d op %u %s: status %u, %" PRIu64 " calls %" PRIu64
			     " pages, expected %" PRIu64 "/%" PRIu64, k, op, cold ? "cold" : "warm",
			     q.res.fallback_status, (uint64_t)q.res.fallback_calls,
			     (uint64_t)q.res.fallback_pages, want_calls, want_pages);
			bad++;
		}
	}
	memset(rw, 1, RW_PAGES * pg);
	memset(&i1, 0, sizeof(i1));
	ioctl(fd, GUPBENCH_IOC_INFO, &i1);
	atomic_fetch_add(&nreq, 2);
	if (i1.armed || (info.fallback_status == GUPBENCH_FB_COUNTED && !always_armed &&
			 i1.arm_count != i0.arm_count + (uint64_t)counted)) {
		note("armed now %u; armed %" PRIu64 " times for %d counting requests", i1.armed,
		     (uint64_t)(i1.arm_count - i0.arm_count), counted);
		bad++;
	}
	tap_ok(!bad, "%d requests: counts only with GUPBENCH_O_COUNT, exact (%d counted), "
	       "probe disarmed after each", n, counted);
}

static void long_req(struct gupbench_req *q, unsigned int op);

/* ---- a timing request while another thread counts ---- */
static atomic_int overlap_ret;
static struct gupbench_req overlap_q;

static void on_usr1(int sig)
{
	(void)sig;
}

static void *overlap_counter(void *arg)
{
	(void)arg;
	long_req(&overlap_q, GUPBENCH_OP_PIN_FAST);
	overlap_q.options = GUPBENCH_O_COUNT;
	atomic_store(&overlap_ret, do_req(fd, &overlap_q));
	return NULL;
}

static bool wait_armed(unsigned int want)
{
	struct gupbench_info i;

	for (int t = 0; t < 2000; t++) {
		memset(&i, 0, sizeof(i));
		if (ioctl(fd, GUPBENCH_IOC_INFO, &i) == 0 && i.armed == want)
			return true;
		usleep(5000);
	}
	return false;
}

static void test_overlap(void)
{
	struct sigaction sa = { .sa_handler = on_usr1 };
	struct gupbench_req q;
	bool ok = true;
	char why[256] = "";
	char *mine;
	pthread_t t;

	if (info.fallback_status != GUPBENCH_FB_COUNTED) {
		tap_skip("timing while counting", "the module cannot count here");
		return;
	}
	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR1, &sa, NULL);
	/* the counter pins rw; the timing requests their own range */
	mine = map(16, PROT_READ | PROT_WRITE);
	memset(mine, 5, 16 * pg);
	solo = false;
	pthread_create(&t, NULL, overlap_counter, NULL);
	if (!wait_armed(1)) {
		note("the counting thread never armed the probe");
		ok = false;
	}
	/* timing requests while it counts: both must say the probe was armed */
	for (int i = 0; i < 2 && ok; i++) {
		/* warm, then cold: a fallback that hits the armed probe */
		if (i)
			madvise(mine, 16 * pg, MADV_DONTNEED);
		req_init(&q, GUPBENCH_OP_PIN_FAST, GUPBENCH_F_WRITE, mine, 16 * pg, 0, 1);
		res_poison(&q);
		if (do_req(fd, &q) || !res_consistent(&q, NULL, END_FULL, why, sizeof(why)) ||
		    !(q.res.flags & GUPBENCH_RF_PROBE_ARMED) ||
		    q.res.fallback_status != GUPBENCH_FB_NOT_ASKED) {
			note("timing request %d during counting: flags %#x status %u %s", i,
			     q.res.flags, q.res.fallback_status, why);
			ok = false;
		}
	}
	pthread_kill(t, SIGUSR1);
	pthread_join(t, NULL);
	signal(SIGUSR1, SIG_DFL);
	solo = true;
	if (atomic_load(&overlap_ret) != EINTR ||
	    !res_consistent(&overlap_q, NULL, END_SIGNAL, why, sizeof(why)) ||
	    overlap_q.res.fallback_status != GUPBENCH_FB_COUNTED ||
	    overlap_q.res.fallback_calls) {
		note("counting thread: %s, status %u, %" PRIu64 " fallbacks %s",
		     strerror(atomic_load(&overlap_ret)), overlap_q.res.fallback_status,
		     (uint64_t)overlap_q.res.fallback_calls, why);
		ok = false;
	}
	munmap(mine, 16 * pg);
	/* and alone again: not armed, not flagged */
	ok &= wait_armed(0);
	req_init(&q, GUPBENCH_OP_PIN_FAST, GUPBENCH_F_WRITE, rw, RW_PAGES * pg, 0, 1);
	res_poison(&q);
	if (do_req(fd, &q) || !res_consistent(&q, NULL, END_FULL, why, sizeof(why))) {
		note("timing request after: %s", why);
		ok = false;
	}
	tap_ok(ok, "timing requests while another thread counts are flagged PROBE_ARMED "
	       "(the counter's own fallbacks stay 0); alone again, not");
}

/* ---- random requests ---- */
static uint64_t pick_addr(uint64_t *s)
{
	uint64_t a;

	switch (rnd_below(s, 16)) {
	case 0: case 1: case 2: case 3:
		return (uintptr_t)rw + rnd_below(s, RW_PAGES) * pg;
	case 4: return (uintptr_t)hole + rnd_below(s, 16) * pg;
	case 5: return (uintptr_t)none + rnd_below(s, 8) * pg;
	case 6: return (uintptr_t)ro + rnd_below(s, 8) * pg;
	case 7: return (uintptr_t)textpage;
	case 8: return (rnd_next(s) & ((1ULL << 47) - 1)) & ~(uint64_t)(pg - 1);
	case 9: {
		const uint64_t k[] = { KADDR_DIRECT, KADDR_TEXT, KADDR_VSYSCALL, NONCANON,
				0, (uint64_t)pg, 1ULL << 47, 1ULL << 56 };
		return k[rnd_below(s, 8)];
	}
	case 10: return USER_SURE_END - rnd_below(s, 4) * pg;
	case 11: return rnd_next(s);
	case 12: return ((uintptr_t)rw + rnd_below(s, RW_PAGES * pg)) | 1;
	case 13: return ~0ULL - rnd_below(s, 8) * pg + 1;
	default:
		a = (uintptr_t)rw + rnd_below(s, RW_PAGES / 2) * pg;
		return a;
	}
}

static uint64_t pick_len(uint64_t *s)
{
	switch (rnd_below(s, 12)) {
	case 0: return 0;
	case 1: return rnd_below(s, 1 << 20);
	case 2: return GUPBENCH_MAX_LENGTH;
	case 3: return GUPBENCH_MAX_LENGTH + pg;
	case 4: return rnd_next(s) & ~(uint64_t)(pg - 1);
	case 5: return (1 + rnd_below(s, 64)) * pg + rnd_below(s, 2);
	default: return (1 + rnd_below(s, RW_PAGES)) * pg;
	}
}

static uint64_t pick_ppc(uint64_t *s, uint64_t len)
{
	uint64_t np = len / pg;

	switch (rnd_below(s, 10)) {
	case 0: return np + 1;
	case 1: return GUPBENCH_MAX_PAGES_PER_CALL;
	case 2: return GUPBENCH_MAX_PAGES_PER_CALL + 1;
	case 3: return rnd_next(s);
	case 4: case 5: return 0;
	default: return np ? 1 + rnd_below(s, np) : 1;
	}
}

static void random_req(uint64_t *s, struct gupbench_req *q)
{
	memset(q, 0, sizeof(*q));
	q->size = chance(s, 97) ? sizeof(*q) : chance(s, 50) ? (uint32_t)rnd_next(s) :
		  (uint32_t)rnd_below(s, sizeof(*q));
	q->op = chance(s, 95) ? 1 + rnd_below(s, 3) : (uint32_t)rnd_next(s) % 6;
	q->flags = chance(s, 95) ? rnd_below(s, 4) : (uint32_t)rnd_next(s);
	if (chance(s, 10))
		q->options = chance(s, 60) ? rnd_below(s, GUPBENCH_O_ALL + 1) :
			     (uint32_t)rnd_next(s);
	if (chance(s, 3))
		q->__reserved[rnd_below(s, 4)] = rnd_next(s) | 1;
	q->addr = pick_addr(s);
	q->length = pick_len(s);
	q->pages_per_call = pick_ppc(s, q->length);
	q->iterations = chance(s, 95) ? 1 + rnd_below(s, 3) :
			(uint64_t[]){ 0, GUPBENCH_MAX_ITERATIONS, GUPBENCH_MAX_ITERATIONS + 1,
				      ~0ULL }[rnd_below(s, 4)];
	switch (rnd_below(s, 10)) {
	case 0: case 1: case 2: case 3: break;
	case 4: case 5:
		q->samples = (uintptr_t)sbuf;
		q->samples_cap = 1 + rnd_below(s, SB_ENTRIES);
		break;
	case 6:
		q->samples = (uintptr_t)(sbuf + rnd_below(s, SB_ENTRIES));
		q->samples_cap = 1 + rnd_below(s, 64);
		break;
	case 7:
		q->samples = chance(s, 50) ? (uintptr_t)sro : (uintptr_t)none;
		q->samples_cap = 1 + rnd_below(s, 8);
		break;
	case 8:
		q->samples = chance(s, 50) ? KADDR_DIRECT : rnd_next(s);
		q->samples_cap = rnd_below(s, 8);
		break;
	default:
		q->samples = chance(s, 50) ? (uintptr_t)sbuf : 0;
		q->samples_cap = chance(s, 50) ? rnd_next(s) : 0;
		break;
	}
}

/* A valid request must stay small: skip ones that would run for minutes. */
static bool too_long(const struct gupbench_req *q)
{
	enum expect e = model(q);

	if (e == EXP_EINVAL || e == EXP_EFAULT || e == EXP_E2BIG || e == EXP_NOMODEL)
		return false;
	return req_calls(q) > 4096;
}

static void test_random(uint64_t seed, long count)
{
	struct gupbench_req q;
	long bad = 0, by[7] = { 0 };
	uint64_t s = seed;

	for (long i = 0; i < count; i++) {
		do
			random_req(&s, &q);
		while (too_long(&q));
		by[model(&q)]++;
		if (!check_req(fd, &q, "random"))
			bad++;
	}
	memset(rw, 1, RW_PAGES * pg);
	tap_ok(!bad, "%ld random requests as predicted (ok %ld, EINVAL %ld, EFAULT %ld, "
	       "samples EFAULT %ld, boundary %ld, E2BIG %ld, larger %ld; %ld wrong; seed %"
	       PRIu64 ")", count, by[0], by[1], by[2], by[3], by[4], by[5], by[6], bad, seed);
}

/* ---- threads ---- */
struct worker {
	pthread_t t;
	int kind;		/* 0 warm, 1 cold, 2 churn user, 3 churner */
	int rounds;
	uint64_t seed;
	char *mem;
	long bad, fb_nonzero, busy, done;
	char why[256];
};

static char *churn;		/* shared region the churner remaps */
static atomic_int churn_stop;
#define CHURN_PAGES	32
#define W_PAGES		32

static void *worker_fn(void *arg)
{
	struct worker *w = arg;
	struct gupbench_req q;
	uint64_t s = w->seed;

	for (int i = 0; w->kind == 3 ? !atomic_load(&churn_stop) : i < w->rounds; i++) {
		switch (w->kind) {
		case 0:
		case 1:
			if (w->kind == 1)
				madvise(w->mem, W_PAGES * pg, MADV_DONTNEED);
			req_init(&q, GUPBENCH_OP_PIN_FAST, GUPBENCH_F_WRITE |
				 (i & 1 ? GUPBENCH_F_LONGTERM : 0), w->mem, W_PAGES * pg, 0, 1);
			q.options = GUPBENCH_O_COUNT;
			if (do_req(fd, &q) || q.res.pages_pinned != W_PAGES) {
				snprintf(w->why, sizeof(w->why), "kind %d: pinned %" PRIu64 " err %d",
					 w->kind, (uint64_t)q.res.pages_pinned, errno);
				w->bad++;
				break;
			}
			if (q.res.fallback_status == GUPBENCH_FB_BUSY)
				w->busy++;
			if (q.res.fallback_status != GUPBENCH_FB_COUNTED ||
			    (q.res.flags & GUPBENCH_RF_PROBE_MISSED))
				break;
			if (w->kind == 0 && q.res.fallback_pages)
				w->fb_nonzero++;
			/* Exact: the gate must not leak other threads' fallbacks in. */
			if (w->kind == 1 && (q.res.fallback_pages != W_PAGES ||
					     q.res.fallback_calls != 1)) {
				snprintf(w->why, sizeof(w->why),
					 "cold: fallback %" PRIu64 " calls %" PRIu64 " pages",
					 (uint64_t)q.res.fallback_calls,
					 (uint64_t)q.res.fallback_pages);
				w->bad++;
			}
			break;
		case 2: {
			int err;

			uint64_t np = 1 + rnd_below(&s, CHURN_PAGES / 2);

			req_init(&q, 1 + rnd_below(&s, 3), rnd_below(&s, 2) ? GUPBENCH_F_WRITE : 0,
				 churn + rnd_below(&s, CHURN_PAGES / 2) * pg, np * pg,
				 rnd_below(&s, np < 4 ? np + 1 : 4), 1);
			q.options = rnd_below(&s, 2) ? GUPBENCH_O_COUNT : 0;
			res_poison(&q);
			err = do_req(fd, &q);
			if (err || !res_consistent(&q, NULL, END_FULL, w->why, sizeof(w->why))) {
				if (err)
					snprintf(w->why, sizeof(w->why), "churn: %s", strerror(err));
				w->bad++;
			}
			break;
		}
		default:
			switch (rnd_below(&s, 4)) {
			case 0:
				munmap(churn + rnd_below(&s, CHURN_PAGES) * pg, pg);
				break;
			case 1:
				mprotect(churn, CHURN_PAGES * pg,
					 rnd_below(&s, 2) ? PROT_READ : PROT_READ | PROT_WRITE);
				break;
			case 2:
				madvise(churn, CHURN_PAGES * pg, MADV_DONTNEED);
				break;
			default:
				mmap(churn, CHURN_PAGES * pg, PROT_READ | PROT_WRITE,
				     MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
				memset(churn, 2, CHURN_PAGES * pg);
				break;
			}
			break;
		}
		w->done++;
	}
	return NULL;
}

static void test_threads(uint64_t seed)
{
	enum { NW = 7 };
	struct worker w[NW];
	long bad = 0, fbn = 0, warm = 0, done = 0;

	churn = map(CHURN_PAGES, PROT_READ | PROT_WRITE);
	memset(churn, 2, CHURN_PAGES * pg);
	atomic_store(&churn_stop, 0);
	memset(w, 0, sizeof(w));
	for (int i = 0; i < NW; i++) {
		w[i].kind = i < 2 ? 0 : i < 4 ? 1 : i < 6 ? 2 : 3;
		w[i].rounds = w[i].kind == 1 ? 150 : 400;
		w[i].seed = seed + 77 * (i + 1);
		if (w[i].kind < 2) {
			w[i].mem = map(W_PAGES, PROT_READ | PROT_WRITE);
			memset(w[i].mem, 3, W_PAGES * pg);
		}
	}
	solo = false;
	/* churner last so it starts after the others */
	for (int i = 0; i < NW; i++)
		pthread_create(&w[i].t, NULL, worker_fn, &w[i]);
	for (int i = 0; i < NW - 1; i++)
		pthread_join(w[i].t, NULL);
	atomic_store(&churn_stop, 1);
	pthread_join(w[NW - 1].t, NULL);
	for (int i = 0; i < NW; i++) {
		bad += w[i].bad;
		if (w[i].bad)
			note("thread %d: %ld bad, last: %s", i, w[i].bad, w[i].why);
		if (w[i].kind == 0) {
			fbn += w[i].fb_nonzero;
			warm += w[i].done;
		}
		if (w[i].kind < 3)
			done += w[i].done;
		if (w[i].mem)
			munmap(w[i].mem, W_PAGES * pg);
	}
	munmap(churn, CHURN_PAGES * pg);
	solo = true;
	/* A warm range may rarely fall back (page migration); a leaky gate would be constant. */
	if (fbn)
		note("%ld of %ld warm requests saw fallbacks", fbn, warm);
	tap_ok(!bad && fbn * 10 <= warm,
	       "%ld requests from 6 threads, one remapping under them: cold fallbacks exact, "
	       "warm ones 0", done);
}

/* More concurrent requests than fallback slots: some report BUSY, all complete. */
/* long enough that all the threads are inside a request at once */
#define CROWD_IT	400
static pthread_barrier_t crowd_barrier;

static void *crowd_fn(void *arg)
{
	struct worker *w = arg;
	struct gupbench_req q;

	pthread_barrier_wait(&crowd_barrier);
	for (int i = 0; i < w->rounds; i++) {
		req_init(&q, GUPBENCH_OP_PIN_FAST, GUPBENCH_F_WRITE, w->mem, 16 * pg, 1, CROWD_IT);
		q.options = GUPBENCH_O_COUNT;
		res_poison(&q);
		if (do_req(fd, &q) || !res_consistent(&q, NULL, END_FULL, w->why, sizeof(w->why)) ||
		    q.res.pages_pinned != 16 * CROWD_IT) {
			w->bad++;
			continue;
		}
		if (q.res.fallback_status == GUPBENCH_FB_BUSY)
			w->busy++;
		else if (q.res.fallback_status == GUPBENCH_FB_COUNTED && q.res.fallback_pages)
			w->fb_nonzero++;
		w->done++;
	}
	return NULL;
}

static void test_crowd(void)
{
	unsigned int nt = info.max_concurrent + 8;
	struct worker *w = calloc(nt, sizeof(*w));
	long bad = 0, busy = 0, fbn = 0, done = 0;
	char *mem = map(16 * nt, PROT_READ | PROT_WRITE);

	memset(mem, 4, 16 * nt * pg);
	solo = false;
	pthread_barrier_init(&crowd_barrier, NULL, nt);
	for (unsigned int i = 0; i < nt; i++) {
		w[i].rounds = 2;
		w[i].mem = mem + 16 * i * pg;
		pthread_create(&w[i].t, NULL, crowd_fn, &w[i]);
	}
	for (unsigned int i = 0; i < nt; i++) {
		pthread_join(w[i].t, NULL);
		bad += w[i].bad;
		busy += w[i].busy;
		fbn += w[i].fb_nonzero;
		done += w[i].done;
		if (w[i].bad)
			note("crowd thread %u: %s", i, w[i].why);
	}
	pthread_barrier_destroy(&crowd_barrier);
	solo = true;
	munmap(mem, 16 * nt * pg);
	free(w);
	tap_ok(!bad && fbn * 10 <= done, "%u threads at once (%u slots): %ld requests, %ld BUSY, "
	       "%ld with fallbacks", nt, info.max_concurrent, done, busy, fbn);
}

/* ---- signals ---- */
static atomic_int alarms;

static void on_alarm(int sig)
{
	(void)sig;
	atomic_fetch_add(&alarms, 1);
}

static double secs(const struct timespec *a, const struct timespec *b)
{
	return (b->tv_sec - a->tv_sec) + (b->tv_nsec - a->tv_nsec) / 1e9;
}

/* A request of ~10^9 calls: only a signal ends it. */
static void long_req(struct gupbench_req *q, unsigned int op)
{
	req_init(q, op, GUPBENCH_F_WRITE, rw, RW_PAGES * pg, 1, GUPBENCH_MAX_ITERATIONS);
}

static void test_alarm(bool restart)
{
	struct sigaction sa = { .sa_handler = on_alarm, .sa_flags = restart ? SA_RESTART : 0 };
	struct itimerval it = { .it_value = { .tv_usec = 200000 } };
	struct gupbench_req q;
	struct timespec t0, t1;
	bool ok = true;
	char why[256] = "";

	sigemptyset(&sa.sa_mask);
	sigaction(SIGALRM, &sa, NULL);
	for (unsigned int op = GUPBENCH_OP_PIN_FAST; op <= GUPBENCH_OP_PIN; op++) {
		long_req(&q, op);
		q.samples = (uintptr_t)sbuf;
		q.samples_cap = SB_ENTRIES;
		atomic_store(&alarms, 0);
		clock_gettime(CLOCK_MONOTONIC, &t0);
		setitimer(ITIMER_REAL, &it, NULL);
		if (do_req(fd, &q) != EINTR) {
			note("alarm op %u: not EINTR", op);
			ok = false;
		} else if (!res_consistent(&q, sbuf, END_SIGNAL, why, sizeof(why))) {
			note("alarm op %u: %s", op, why);
			ok = false;
		} else if (q.res.samples_written != (q.res.calls < SB_ENTRIES ? q.res.calls :
						     SB_ENTRIES)) {
			note("alarm op %u: %" PRIu64 " samples for %" PRIu64 " calls", op,
			     (uint64_t)q.res.samples_written, (uint64_t)q.res.calls);
			ok = false;
		}
		clock_gettime(CLOCK_MONOTONIC, &t1);
		if (secs(&t0, &t1) > 20) {
			note("alarm op %u: took %.1f s", op, secs(&t0, &t1));
			ok = false;
		}
	}
	signal(SIGALRM, SIG_DFL);
	tap_ok(ok, "SIGALRM (%s) stops a long request with EINTR and a partial, consistent result",
	       restart ? "SA_RESTART" : "no SA_RESTART");
}

static void test_kill(int sig)
{
	bool ok = true;

	for (unsigned int op = GUPBENCH_OP_PIN_FAST; op <= GUPBENCH_OP_PIN; op++) {
		struct timespec t0, t1;
		int p[2], status = 0;
		pid_t pid, r = 0;
		char c;

		if (pipe(p))
			break;
		pid = fork();
		if (pid == 0) {
			struct gupbench_req q;

			close(p[0]);
			signal(sig, SIG_DFL);
			long_req(&q, op);
			if (write(p[1], "x", 1) != 1)
				_exit(3);
			ioctl(fd, GUPBENCH_IOC_RUN, &q);
			_exit(2);	/* not reached unless the request ended by itself */
		}
		close(p[1]);
		atomic_fetch_add(&nreq, 1);
		if (pid < 0 || read(p[0], &c, 1) != 1) {
			ok = false;
			close(p[0]);
			continue;
		}
		close(p[0]);
		usleep(150000);
		clock_gettime(CLOCK_MONOTONIC, &t0);
		kill(pid, sig);
		for (int i = 0; i < 2000 && r == 0; i++) {
			r = waitpid(pid, &status, WNOHANG);
			if (!r)
				usleep(10000);
		}
		clock_gettime(CLOCK_MONOTONIC, &t1);
		if (r != pid) {
			note("op %u: child still running 20 s after signal %d", op, sig);
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			ok = false;
		} else if (!WIFSIGNALED(status) || WTERMSIG(status) != sig) {
			note("op %u: child status %#x", op, status);
			ok = false;
		} else if (verbose) {
			note("op %u: child died %.3f s after the signal", op, secs(&t0, &t1));
		}
	}
	tap_ok(ok, "%s ends a child in the middle of a long request promptly",
	       sig == SIGKILL ? "SIGKILL" : "SIGINT");
}

static void usage(void)
{
	fprintf(stderr, "usage: kmod_fuzz [-d DEV] [-n RANDOM_REQUESTS] [-s SEED] [-v]\n");
	exit(2);
}

/*
 * Without root: the 0600 node refuses the open (EACCES), and a node made
 * 0666 (as a udev rule might) is still refused by the module (EPERM).
 */
static void test_unprivileged(void)
{
	const char *wide = "gupbench-fuzz-node";
	int status = -1;
	struct stat st;
	pid_t pid;

	if (stat(dev, &st) || (unlink(wide) < 0 && errno != ENOENT) ||
	    mknod(wide, S_IFCHR | 0666, st.st_rdev) || chmod(wide, 0666)) {
		tap_ok(0, "unprivileged opens: cannot make a 0666 node: %s", strerror(errno));
		return;
	}
	pid = fork();
	if (pid == 0) {
		int a, b;

		if (setgid(65534) || setuid(65534))
			_exit(10);
		a = open(dev, O_RDWR) < 0 ? errno : 0;
		b = open(wide, O_RDWR) < 0 ? errno : 0;
		_exit((a == EACCES ? 0 : 1) | (b == EPERM ? 0 : 2));
	}
	if (pid > 0)
		waitpid(pid, &status, 0);
	unlink(wide);
	tap_ok(pid > 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0,
	       "unprivileged: the 0600 node refuses (EACCES), a 0666 one too (EPERM) [%d]",
	       WIFEXITED(status) ? WEXITSTATUS(status) : -1);
}

int main(int argc, char **argv)
{
	uint64_t seed = (uint64_t)time(NULL) * 2654435761u ^ (uint64_t)getpid();
	uint64_t a0 = 0, r0 = 0, a1 = 0, r1 = 0;
	long nrandom = 9000;
	bool pins;
	int opt;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (getenv("GUPBENCH_DEV"))
		dev = getenv("GUPBENCH_DEV");
	while ((opt = getopt(argc, argv, "d:n:s:v")) != -1) {
		switch (opt) {
		case 'd': dev = optarg; break;
		case 'n': nrandom = strtol(optarg, NULL, 0); break;
		case 's': seed = strtoull(optarg, NULL, 0); break;
		case 'v': verbose = true; break;
		default: usage();
		}
	}
	if (!seed)
		seed = 1;
	pg = sysconf(_SC_PAGESIZE);
	fd = open(dev, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		char why[300];

		snprintf(why, sizeof(why), "%s: %s", dev, strerror(errno));
		tap_skip_all(why);
	}
	tap_plan(NR_TESTS);
	printf("# seed %" PRIu64 "\n", seed);
	tap_ok(fd >= 0, "open %s", dev);
	memset(&info, 0, sizeof(info));
	opt = ioctl(fd, GUPBENCH_IOC_INFO, &info);
	if (!tap_ok(opt == 0 && info.version == GUPBENCH_UAPI_VERSION && info.page_size == pg,
		    "INFO: interface v%u, module %.32s, page size %u, fallback status %u",
		    info.version, info.module_version, info.page_size, info.fallback_status)) {
		printf("Bail out! module interface mismatch\n");
		return KSFT_FAIL;
	}
	tap_ok(info.max_length == GUPBENCH_MAX_LENGTH &&
	       info.max_pages_per_call == GUPBENCH_MAX_PAGES_PER_CALL &&
	       info.max_iterations == GUPBENCH_MAX_ITERATIONS &&
	       info.max_samples == GUPBENCH_MAX_SAMPLES && info.max_concurrent > 0 &&
	       info.nr_probes <= GUPBENCH_MAX_PROBES, "INFO limits match the header");
	always_armed = info.nr_probes > 1 && info.fallback_status == GUPBENCH_FB_COUNTED;
	pins = pins_read(&a0, &r0);
	setup_memory();

	test_info();
	test_info_sizes();
	test_selftest();
	test_bad_cmds();
	test_bad_req_ptr();
	test_fields();
	test_valid();
	test_ranges();
	test_samples();
	test_sizes();
	test_count();
	test_random(seed, nrandom);
	test_threads(seed);
	test_crowd();
	test_overlap();
	test_alarm(false);
	test_alarm(true);
	test_kill(SIGKILL);
	test_kill(SIGINT);
	test_unprivileged();

	/* the module still works after all that */
	{
		struct gupbench_req q;

		req_init(&q, GUPBENCH_OP_PIN_FAST, GUPBENCH_F_WRITE | GUPBENCH_F_LONGTERM, rw,
			 RW_PAGES * pg, 0, 1);
		memset(rw, 1, RW_PAGES * pg);
		tap_ok(do_req(fd, &q) == 0 && q.res.pages_pinned == RW_PAGES,
		       "a plain request still pins everything");
	}
	{
		struct gupbench_info i2;

		memset(&i2, 0, sizeof(i2));
		tap_ok(ioctl(fd, GUPBENCH_IOC_INFO, &i2) == 0 &&
		       i2.fallback_status == info.fallback_status && i2.armed == 0 &&
		       i2.selftest_status == info.selftest_status,
		       "probe state unchanged (status %u, self-test %u) and disarmed (%u armed, "
		       "armed %" PRIu64 " times in all)", i2.fallback_status, i2.selftest_status,
		       i2.armed, (uint64_t)i2.arm_count);
	}
	if (pins && pins_read(&a1, &r1))
		tap_ok(a1 - a0 == r1 - r0, "nr_foll_pin balanced: %" PRIu64 " acquired, %" PRIu64
		       " released", a1 - a0, r1 - r0);
	else
		tap_skip("nr_foll_pin balanced", "no nr_foll_pin_* in /proc/vmstat");
	tap_ok(atomic_load(&nreq) >= 10000, "%ld requests sent", (long)atomic_load(&nreq));
	close(fd);
	return tap_done();
}
