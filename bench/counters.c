// SPDX-License-Identifier: GPL-2.0
/* Per-thread perf counters with libperf, and the mmap_lock tracepoint as the fallback signal. */
#include <errno.h>
#include <math.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <linux/perf_event.h>
#include <perf/core.h>
#include <perf/evsel.h>
#include <perf/threadmap.h>
#include "gupbench.h"
#include "util.h"
#include "counters.h"

#define TRACEFS		"/sys/kernel/tracing"
#define DEBUG_TRACEFS	"/sys/kernel/debug/tracing"
#define TP_SYS		"mmap_lock"
#define TP_NAME		"mmap_lock_start_locking"
#define TP_ID_REL	"/events/" TP_SYS "/" TP_NAME "/id"

enum {
	CTR_TASK_CLOCK,
	CTR_PAGE_FAULTS,
	CTR_INSN_K,
	CTR_INSN_U,
	CTR_CYC_K,
	CTR_CYC_U,
	CTR_MMAP_LOCK,		/* last: enabled last, disabled first */
	NR_CTR,
};

static const struct {
	const char *name;
	__u32 type;
	__u64 config;
	bool kernel_only, user_only;
} ctr_defs[NR_CTR] = {
	[CTR_TASK_CLOCK]  = { "task-clock", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_TASK_CLOCK },
	[CTR_PAGE_FAULTS] = { "page-faults", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_PAGE_FAULTS },
	[CTR_INSN_K] = { "instructions:k", PERF_TYPE_HARDWARE, PERF_COUNT_HW_INSTRUCTIONS, true, false },
	[CTR_INSN_U] = { "instructions:u", PERF_TYPE_HARDWARE, PERF_COUNT_HW_INSTRUCTIONS, false, true },
	[CTR_CYC_K]  = { "cycles:k", PERF_TYPE_HARDWARE, PERF_COUNT_HW_CPU_CYCLES, true, false },
	[CTR_CYC_U]  = { "cycles:u", PERF_TYPE_HARDWARE, PERF_COUNT_HW_CPU_CYCLES, false, true },
	[CTR_MMAP_LOCK] = { TP_SYS ":" TP_NAME, PERF_TYPE_TRACEPOINT, 0 },
};

struct ctr {
	struct perf_evsel *evsel;	/* NULL: did not open */
	int err;			/* errno of the failed open */
	uint64_t val, ena, run;		/* raw values at the last stop */
	uint64_t last;			/* scaled count of the last start..stop */
	uint64_t total;			/* since counters_reset_totals() */
	bool scaled;			/* multiplexed at some point: totals estimated */
	bool user_only;			/* software event reopened with exclude_kernel */
};

struct counters {
	struct perf_thread_map *threads;
	struct ctr c[NR_CTR];
	long tp_id;
	/* Per-call brackets of a counting pass (counters_call_begin/end). */
	uint64_t call_mark;		/* tracepoint value at the last begin */
	bool call_open;			/* begin read the counter; end may compare */
	uint64_t call_n, call_entries;
	char tp_why[REASON_MAX];	/* why the tracepoint is unavailable */
	char tp_src[64];		/* where its id came from */
};

/* Set while tracefs is mounted by us in the global namespace (fallback only). */
static volatile sig_atomic_t tracefs_mounted_by_us;

/* errno_name() is NULL for 0: a reason is never missing. */
static const char *err_str(int e)
{
	return e ? errno_name(e) : "unknown";
}

static int quiet_print(enum libperf_print_level level, const char *fmt, va_list ap)
{
	(void)level; (void)fmt; (void)ap;
	return 0;
}

/* Is a tracefs mounted exactly at dir?  (A bare directory is not enough.) */
static bool tracefs_mounted_at(const char *dir)
{
	FILE *f = fopen("/proc/self/mountinfo", "re");
	char line[4096];
	bool found = false;

	if (!f)
		return false;
	while (!found && fgets(line, sizeof(line), f)) {
		char mnt[4096], *sep = strstr(line, " - ");

		if (!sep || sscanf(line, "%*s %*s %*s %*s %4095s", mnt) != 1)
			continue;
		found = !strcmp(mnt, dir) && !strncmp(sep + 3, "tracefs ", 8);
	}
	fclose(f);
	return found;
}

static int read_id(const char *root, long *id)
{
	char path[256];

	snprintf(path, sizeof(path), "%s" TP_ID_REL, root);
	return read_file_long(path, id) ? -errno : 0;
}

struct tp_child {
	long id;
	int err;		/* -errno */
};

static int tp_child_fn(void *arg)
{
	struct tp_child *t = arg;
	char buf[32];
	ssize_t r;
	int fd;

	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) ||
	    mount("tracefs", TRACEFS, "tracefs", 0, NULL)) {
		t->err = -errno;
		return 0;
	}
	fd = open(TRACEFS TP_ID_REL, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		t->err = -errno;
		return 0;
	}
	r = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (r <= 0) {
		t->err = -EIO;
		return 0;
	}
	buf[r] = '\0';
	t->id = strtol(buf, NULL, 10);
	return 0;
}

/*
 * Mount tracefs in a child's own mount namespace and read the id there:
 * the perf event needs only the id, so no mount is ever visible outside.
 * Making / private first stops the mount propagating back to our namespace
 * when / is a shared mount (systemd's default).  The child shares our
 * memory (CLONE_VM|CLONE_VFORK) rather than being forked: a fork would
 * write-protect every private anon page we have, and the next FOLL_WRITE
 * pin of a buffer would fall back to unshare it.
 */
static int read_id_private_ns(long *id)
{
	static char stack[64 * 1024] __attribute__((aligned(16)));
	struct tp_child t = { .id = -1, .err = 0 };
	int status;
	pid_t pid;

	pid = clone(tp_child_fn, stack + sizeof(stack),
		    CLONE_VM | CLONE_VFORK | CLONE_NEWNS | SIGCHLD, &t);
	if (pid < 0)
		return -errno;
	waitpid(pid, &status, 0);
	if (t.err)
		return t.err;
	*id = t.id;
	return 0;
}

/* Last resort: mount globally, read, unmount at once (counters_cleanup covers a signal). */
static int read_id_global_mount(long *id)
{
	int ret;

	if (mount("tracefs", TRACEFS, "tracefs", 0, NULL))
		return -errno;
	tracefs_mounted_by_us = 1;
	ret = read_id(TRACEFS, id);
	counters_cleanup();
	return ret;
}

static int tracepoint_id(struct counters *c)
{
	int ret;

	if (tracefs_mounted_at(TRACEFS)) {
		ret = read_id(TRACEFS, &c->tp_id);
		snprintf(c->tp_src, sizeof(c->tp_src), TRACEFS);
	} else if (tracefs_mounted_at(DEBUG_TRACEFS)) {
		/* Only when already there: touching it would automount it for good. */
		ret = read_id(DEBUG_TRACEFS, &c->tp_id);
		snprintf(c->tp_src, sizeof(c->tp_src), DEBUG_TRACEFS);
	} else {
		ret = read_id_private_ns(&c->tp_id);
		snprintf(c->tp_src, sizeof(c->tp_src), TRACEFS " (private mount)");
		if (ret == -EPERM || ret == -EINVAL) {
			int r2 = read_id_global_mount(&c->tp_id);

			if (r2 != -EPERM) {
				ret = r2;
				snprintf(c->tp_src, sizeof(c->tp_src),
					 TRACEFS " (mounted, read, unmounted)");
			}
		}
		if (ret == -EPERM) {
			c->tp_src[0] = '\0';
			set_reason(c->tp_why, sizeof(c->tp_why),
				   "tracefs is not mounted and mounting it needs root (CAP_SYS_ADMIN)");
			return -1;
		}
	}
	if (ret == -ENOENT) {
		set_reason(c->tp_why, sizeof(c->tp_why),
			   "no tracepoint " TP_SYS ":" TP_NAME " (kernel < 5.15 or CONFIG_TRACING off)");
		return -1;
	}
	if (ret) {
		set_reason(c->tp_why, sizeof(c->tp_why), "reading the tracepoint id from %s: %s",
			   c->tp_src, err_str(-ret));
		return -1;
	}
	return 0;
}

static void ctr_open(struct counters *c, int i)
{
	struct perf_event_attr attr = {
		.size = sizeof(attr),
		.type = ctr_defs[i].type,
		.config = ctr_defs[i].config,
		.disabled = 1,
		.exclude_kernel = ctr_defs[i].user_only,
		.exclude_user = ctr_defs[i].kernel_only,
		.exclude_hv = ctr_defs[i].kernel_only || ctr_defs[i].user_only,
		.read_format = PERF_FORMAT_TOTAL_TIME_ENABLED |
			       PERF_FORMAT_TOTAL_TIME_RUNNING,
	};
	struct perf_evsel *e;
	int ret;

	if (i == CTR_MMAP_LOCK)
		attr.config = c->tp_id;
	e = perf_evsel__new(&attr);
	if (!e) {
		c->c[i].err = ENOMEM;
		return;
	}
	ret = perf_evsel__open(e, NULL, c->threads);
	/*
	 * perf_event_paranoid >= 2 refuses kernel counting without CAP_PERFMON.
	 * A software event can still open user-only: task-clock counts the same
	 * (it is time, not samples), page-faults keeps the faults taken in user
	 * mode (GUP's own faults never reach it anyway).
	 */
	if (ret == -EACCES && ctr_defs[i].type == PERF_TYPE_SOFTWARE) {
		perf_evsel__delete(e);
		attr.exclude_kernel = 1;
		e = perf_evsel__new(&attr);
		if (!e) {
			c->c[i].err = ENOMEM;
			return;
		}
		ret = perf_evsel__open(e, NULL, c->threads);
		c->c[i].user_only = !ret;
	}
	if (ret) {
		c->c[i].err = ret < 0 ? -ret : EINVAL;
		perf_evsel__delete(e);
		return;
	}
	c->c[i].evsel = e;
}

struct counters *counters_open(void)
{
	struct counters *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	libperf_init(quiet_print);
	c->threads = perf_thread_map__new_dummy();
	if (!c->threads) {
		for (int i = 0; i < NR_CTR; i++)
			c->c[i].err = ENOMEM;
		set_reason(c->tp_why, sizeof(c->tp_why), "out of memory");
		return c;
	}
	/* pid 0, cpu -1: this thread only, wherever it runs. */
	perf_thread_map__set_pid(c->threads, 0, 0);
	for (int i = 0; i < NR_CTR; i++) {
		if (i == CTR_MMAP_LOCK && tracepoint_id(c)) {
			c->c[i].err = ENOENT;
			continue;
		}
		ctr_open(c, i);
		if (i == CTR_MMAP_LOCK && c->c[i].err)
			set_reason(c->tp_why, sizeof(c->tp_why),
				   "perf_event_open of the tracepoint (id %ld): %s%s",
				   c->tp_id, err_str(c->c[i].err),
				   c->c[i].err == EACCES ?
				   " (kernel.perf_event_paranoid > 1 needs CAP_PERFMON)" : "");
	}
	return c;
}

void counters_close(struct counters *c)
{
	if (!c)
		return;
	for (int i = 0; i < NR_CTR; i++) {
		if (!c->c[i].evsel)
			continue;
		perf_evsel__close(c->c[i].evsel);
		perf_evsel__delete(c->c[i].evsel);
	}
	if (c->threads)
		perf_thread_map__put(c->threads);
	free(c);
}

void counters_cleanup(void)
{
	/* Async-signal-safe: one syscall, one flag. */
	if (tracefs_mounted_by_us) {
		umount2(TRACEFS, MNT_DETACH);
		tracefs_mounted_by_us = 0;
	}
}

/*
 * Counters are only ever enabled between start and stop, so the change of
 * the raw value over that window is the window's count: no reset ioctl.
 */
void counters_start(struct counters *c)
{
	if (!c)
		return;
	for (int i = 0; i < NR_CTR; i++)
		if (c->c[i].evsel)
			perf_evsel__enable(c->c[i].evsel);
}

static void ctr_read(struct ctr *k)
{
	struct perf_counts_values v;
	uint64_t dv, de, dr;

	k->last = 0;
	if (perf_evsel__read(k->evsel, 0, 0, &v))
		return;
	dv = v.val - k->val;
	de = v.ena - k->ena;
	dr = v.run - k->run;
	k->val = v.val;
	k->ena = v.ena;
	k->run = v.run;
	/* Multiplexed hardware counters ran part of the window: scale up. */
	if (dr && dr < de) {
		dv = (uint64_t)((double)dv * de / dr);
		k->scaled = true;
	}
	k->last = dv;
	k->total += dv;
}

void counters_stop(struct counters *c)
{
	if (!c)
		return;
	for (int i = NR_CTR - 1; i >= 0; i--)
		if (c->c[i].evsel)
			perf_evsel__disable(c->c[i].evsel);
	for (int i = 0; i < NR_CTR; i++)
		if (c->c[i].evsel)
			ctr_read(&c->c[i]);
}

int64_t counters_last_mmap_lock(const struct counters *c)
{
	if (!c || !c->c[CTR_MMAP_LOCK].evsel)
		return -1;
	return c->c[CTR_MMAP_LOCK].last;
}

/* Raw value of the tracepoint counter, no scaling: it is never multiplexed. */
static int mmap_lock_raw(struct counters *c, uint64_t *v)
{
	struct perf_counts_values cv;

	if (!c || !c->c[CTR_MMAP_LOCK].evsel ||
	    perf_evsel__read(c->c[CTR_MMAP_LOCK].evsel, 0, 0, &cv))
		return -1;
	*v = cv.val;
	return 0;
}

void counters_call_begin(struct counters *c)
{
	if (c)
		c->call_open = mmap_lock_raw(c, &c->call_mark) == 0;
}

void counters_call_end(struct counters *c)
{
	uint64_t v;

	if (!c || !c->call_open)
		return;
	c->call_open = false;
	if (mmap_lock_raw(c, &v))
		return;
	c->call_n++;
	if (v != c->call_mark)
		c->call_entries++;
}

void counters_call_totals(const struct counters *c, int64_t *calls, int64_t *entries)
{
	if (!c || !c->c[CTR_MMAP_LOCK].evsel) {
		*calls = *entries = -1;
		return;
	}
	*calls = c->call_n;
	*entries = c->call_entries;
}

bool counters_fallback_available(const struct counters *c, char *why, size_t n)
{
	if (!c) {
		set_reason(why, n, "counters not opened");
		return false;
	}
	if (c->c[CTR_MMAP_LOCK].evsel)
		return true;
	set_reason(why, n, "%s", c->tp_why[0] ? c->tp_why : "tracepoint unavailable");
	return false;
}

void counters_reset_totals(struct counters *c)
{
	if (!c)
		return;
	for (int i = 0; i < NR_CTR; i++) {
		c->c[i].total = 0;
		c->c[i].scaled = false;
	}
	c->call_n = c->call_entries = 0;
	c->call_open = false;
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

int64_t counters_baseline_mmap_lock(struct counters *c, int reps)
{
	uint64_t totals[NR_CTR];
	int64_t *v, med;

	if (!c || !c->c[CTR_MMAP_LOCK].evsel || reps <= 0)
		return -1;
	v = calloc(reps, sizeof(*v));
	if (!v)
		return -1;
	/* The empty windows must not leak into the case's totals. */
	for (int i = 0; i < NR_CTR; i++)
		totals[i] = c->c[i].total;
	for (int r = 0; r < reps; r++) {
		counters_start(c);
		counters_stop(c);
		v[r] = counters_last_mmap_lock(c);
	}
	for (int i = 0; i < NR_CTR; i++)
		c->c[i].total = totals[i];
	qsort(v, reps, sizeof(*v), cmp_i64);
	med = v[reps / 2];
	free(v);
	return med;
}

int counters_values(const struct counters *c, uint64_t calls, struct result_case *out)
{
	out->counters = calloc(CTR_MMAP_LOCK, sizeof(*out->counters));
	if (!out->counters)
		return -1;
	for (int i = 0; i < CTR_MMAP_LOCK; i++) {
		const struct ctr *k = c ? &c->c[i] : NULL;
		struct counter_value *v = &out->counters[out->nr_counters++];

		v->name = strdup(ctr_defs[i].name);
		v->per_call = NAN;
		if (!k || !k->evsel) {
			/* why it did not open (perf_event_open errno) */
			v->unsupported_errno = strdup(err_str(k ? k->err : ENOMEM));
			continue;
		}
		v->supported = true;
		if (calls)
			v->per_call = (double)k->total / calls;
		v->total = k->total;
		v->scaled = k->scaled;
		v->user_only = k->user_only;
	}
	return 0;
}

json_object *counters_describe(const struct counters *c)
{
	json_object *j = json_object_new_object(), *ok = json_object_new_array(),
		    *bad = json_object_new_object(), *tp = json_object_new_object();
	bool tp_ok = c && c->c[CTR_MMAP_LOCK].evsel;

	for (int i = 0; i < NR_CTR; i++) {
		if (c && c->c[i].evsel)
			json_object_array_add(ok, json_object_new_string(ctr_defs[i].name));
		else
			json_object_object_add(bad, ctr_defs[i].name,
				json_object_new_string(err_str(c ? c->c[i].err : ENOMEM)));
	}
	json_object_object_add(j, "opened", ok);
	json_object_object_add(j, "unsupported", bad);
	json_object_object_add(tp, "name", json_object_new_string(ctr_defs[CTR_MMAP_LOCK].name));
	json_object_object_add(tp, "available", json_object_new_boolean(tp_ok));
	json_object_object_add(tp, "id", c && c->tp_id > 0 ? json_object_new_int64(c->tp_id) : NULL);
	json_object_object_add(tp, "tracefs", c && c->tp_src[0] ?
			       json_object_new_string(c->tp_src) : NULL);
	json_object_object_add(tp, "reason", !tp_ok ? json_object_new_string(
		c && c->tp_why[0] ? c->tp_why : "counters not opened") : NULL);
	json_object_object_add(j, "tracepoint", tp);
	return j;
}
