/* SPDX-License-Identifier: GPL-2.0 */
/*
 * gupbench: the model types of the userspace tool (cases, buffers, backings,
 * drivers, what one op did); helpers are in util.h, system settings in
 * settings.h.
 *
 * Extension points: a backing is a struct backing_ops in backing_<name>.c listed
 * in backings.c; a driver is a struct driver_ops in driver_<name>.c listed in
 * drivers.c (README's "Adding a driver" lists the tests that count them).
 */
#ifndef GUPBENCH_H
#define GUPBENCH_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include "result.h"

#define GUPBENCH_VERSION "0.1.0"
#ifndef GUPBENCH_GIT
#define GUPBENCH_GIT "unknown"
#endif
#define RESULT_SCHEMA "gupbench-result/2"

#define REASON_MAX 256

/*
 * The unit results count in: a 4 KiB base page, whatever the folio size (a
 * hugetlb buffer's ns_per_page divides by its 512 base pages per 2 MiB).
 */
#define BASE_PAGE_SIZE 4096u

struct kver {
	int major, minor, patch;
};

/* Running kernel, filled by kver_init() from uname(2). */
extern struct kver running_kernel;
void kver_init(void);
/* true if running_kernel >= major.minor */
bool kver_at_least(const struct kver *kv, int major, int minor);

/* Flag bits of a pin request, as gupbench names them (not the kernel's FOLL_*). */
#define PIN_FLAG_WRITE		(1u << 0)
#define PIN_FLAG_LONGTERM	(1u << 1)

/*
 * What a buffer looks like when it is pinned (bench/state.c says how each is
 * made and checked). warm: every page prefaulted by writing; cold: mapped,
 * never touched; half: the first half (in whole pages of the mapping) warm,
 * the rest cold, so GUP-fast stops in the middle of the range; read: every
 * page prefaulted by reading, so page tables map it without write permission
 * (clean page cache of a dirty-tracked file, the shared zero page for private
 * anon). The states GUP-fast falls back on: forked: warm private pages
 * shared with a child (not exclusive); zero: read-faulted private anon, the
 * shared zero page verified; ro: warm, then mprotect(PROT_READ); ksm: warm
 * anon pages merged by KSM; dirty, clean, writeback: page cache of a shared
 * file mapping written, written and fsync()ed, written and writeback started.
 */
enum buf_state {
	STATE_WARM, STATE_COLD, STATE_HALF, STATE_READ,
	STATE_FORKED, STATE_ZERO, STATE_RO, STATE_KSM,
	STATE_DIRTY, STATE_CLEAN, STATE_WRITEBACK,
	NR_STATES
};
const char *state_name(enum buf_state s);

struct run_opts {
	size_t size;			/* bytes per buffer */
	int samples;
	int warmup;
	int rounds;			/* interleaved: rounds the samples are spread over */
	int count_ops;			/* ops of the untimed counting pass; 0: none */
	const char *file_dir;		/* where file-backed backings create files */
	const char *kmod_dev;		/* NULL: $GUPBENCH_DEV or /dev/gupbench (kmod_device()) */
	int cpu;			/* bind the measuring thread here, -1: no binding */
	int mem_node;			/* bind buffers to this node, -1: no binding */
	bool verbose;
};

/* One cell of the matrix. */
struct case_spec {
	const struct driver_ops *driver;
	const struct backing_ops *backing;
	enum buf_state state;
	const char *op;			/* kmod: pin_fast|get_fast|pin; NULL otherwise */
	unsigned int flags;		/* PIN_FLAG_*: what the pin asks the kernel for */
	uint64_t nr_pages;		/* pages per kernel call, 0 = whole buffer */
	/*
	 * Run by a team of worker threads (run_team.c) rather than the main
	 * thread: set by --threads, --share, --place, --mem or --contend.
	 */
	bool team;
	int threads;			/* measured threads (1 without a team) */
	bool shared;			/* --share shared: one buffer all threads pin */
	const int *cpus;		/* per thread: CPU to bind to, -1 unbound */
	const int *nodes;		/* per thread: buffer node, -1 none, -2 interleave */
	const char *place, *mem;	/* policy names, for the result */
	int contend;			/* enum contend_kind; 0: none */
	int contend_threads;
};

/* A mapped buffer, as a backing made it. */
struct buffer {
	void *addr;
	size_t len;
	size_t page_size;		/* unit the mapping is built from: 4K, 2M, 1G */
	int fd;				/* -1 when none */
	char path[4096];		/* file to unlink on destroy, "" when none */
	struct attrs actual;		/* what was really obtained (owned) */
	int child_pid;			/* forked: the child sharing the pages; 0: none */
	void *priv;
};

struct backing_ops {
	const char *name;
	const char *desc;
	/* 0 if this machine can provide it, else -1 with the reason in why. */
	int (*probe)(const struct run_opts *o, char *why, size_t n);
	/*
	 * Map len bytes without touching them (the caller applies warm/cold).
	 * 0, or -1 with the reason in why; on failure nothing stays mapped.
	 */
	int (*create)(struct buffer *b, size_t len, const struct run_opts *o,
		      char *why, size_t n);
	/*
	 * After warm-up: check the buffer is what was asked for (a THP really
	 * is huge, ...), add findings to b->actual. -1 with reason if not.
	 * May be NULL.
	 */
	int (*verify)(struct buffer *b, char *why, size_t n);
	void (*destroy)(struct buffer *b);
};

/* What one pin or unpin of the whole buffer did. */
struct op_result {
	int err;			/* 0 or the errno of the first failing call */
	uint64_t ns;			/* time inside the kernel calls only */
	uint64_t calls;			/* kernel calls made */
	uint64_t pages;			/* pages the calls asked for */
	uint64_t pages_done;		/* pages pinned (or got) */
	/*
	 * Pages one kernel GUP call asks for, as the driver really made the
	 * calls (module caps, io_uring's 1 GiB iovecs): the only place the
	 * result's pages_per_call comes from.
	 */
	uint64_t pages_per_call;
	/*
	 * Cost of one clock pair around a call; subtracted from ns when
	 * clock_subtracted (the module times each call, where it matters).
	 */
	uint64_t clock_ns;
	bool clock_subtracted;
	/*
	 * Time of each kernel call of this op (clock subtracted), when the
	 * driver sees single calls (kmod); owned by the driver, valid until
	 * its next pin.
	 */
	const double *call_ns;
	uint64_t nr_call_ns;
	/*
	 * What disturbed a timed op, when the driver can tell (kmod: the
	 * module samples the CPU and context switches around every call).
	 */
	bool disturb_known;
	bool probe_armed;		/* a fallback probe was in the kernel during the op */
	uint64_t calls_switched;	/* calls during which the task was scheduled out */
	uint64_t calls_migrated;	/* calls that ended on another CPU */
	/* Filled by drivers that can count fallbacks themselves (kmod). */
	bool has_fallback;
	uint64_t fallback_calls;
	uint64_t fallback_pages;
};

/*
 * A case runs two kinds of pass over the same driver.  Timing pass: count is
 * NULL, and nothing but the driver's clock pair sits around its kernel calls.
 * Counting pass (untimed, its ns are discarded): count is non-NULL; a driver
 * that makes one syscall per kernel GUP call brackets each one with
 * counters_call_begin(count) / counters_call_end(count), so that slow-path
 * entries are "calls with at least one mmap_lock acquisition"; the kmod
 * driver instead asks the module to arm its fallback probe for the request
 * (has_fallback and fallback_* in op_result) and never arms it otherwise.
 */
struct counters;

struct driver_ctx {
	const struct case_spec *cs;
	const struct run_opts *o;
	void *priv;
	struct counters *count;
};

#define DRIVER_AXIS_OP		(1u << 0)	/* --op */
#define DRIVER_AXIS_FLAGS	(1u << 1)	/* --flags */
#define DRIVER_AXIS_NR_PAGES	(1u << 2)	/* --nr-pages */

struct driver_ops {
	const char *name;
	const char *desc;
	/* Kernel GUP entry point this driver reaches on kv, e.g. "pin_user_pages_fast". */
	const char *(*gup_path)(const struct kver *kv, const char *op);
	/* Flags the kernel consumer uses (PIN_FLAG_*) when it fixes them. */
	unsigned int fixed_flags;
	/*
	 * The axes of the matrix this driver takes (DRIVER_AXIS_*), in the
	 * manner of fio's per-engine options: `gupbench run` refuses an option
	 * that no selected driver takes, and a driver never sees a case value
	 * on an axis it does not take (cs->op NULL, cs->flags = fixed_flags,
	 * cs->nr_pages 0).
	 */
	unsigned int axes;
	/* With DRIVER_AXIS_OP: the op names it takes, NULL-terminated; the first is the default. */
	const char *const *ops;
	int (*probe)(const struct run_opts *o, char *why, size_t n);
	/* Per case: open what the driver needs. 0, or -1 with reason (skip). */
	int (*setup)(struct driver_ctx *c, struct buffer *b, char *why, size_t n);
	/*
	 * Pin the whole buffer once. Time only the kernel call(s) (batches for
	 * per-page syscalls) with clock_gettime(CLOCK_MONOTONIC).
	 */
	void (*pin)(struct driver_ctx *c, struct buffer *b, struct op_result *r);
	/* Release what pin took; NULL when pin holds nothing afterwards. */
	void (*unpin)(struct driver_ctx *c, struct buffer *b, struct op_result *r);
	void (*teardown)(struct driver_ctx *c);
};

/* Tables: backings.c and drivers.c. NULL-terminated. */
extern const struct backing_ops *const backings[];
extern const struct driver_ops *const drivers[];
const struct backing_ops *backing_find(const char *name);
const struct driver_ops *driver_find(const char *name);

#endif
