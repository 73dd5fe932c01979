/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The result model: one run of gupbench, the machine it ran on and its cases
 * with their samples, as plain structs. The runner fills them; result.c alone
 * turns them into the file (schema gupbench-result/2, results/README.md) and
 * back (result_json.c), and every command reads results through
 * result_load(): none parses JSON of its own.
 *
 * Unknown values: a string is NULL, a double is NAN, a count that can be
 * unknown has a "has_" flag. What has no field of its own (a backing's
 * findings, the long tail of the environment) is an attribute list.
 */
#ifndef RESULT_H
#define RESULT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "stats.h"
#include "clock_info.h"

/* ---- attribute lists ---- */

/* ATTR_OBJECT, ATTR_ARRAY: an empty {} or [] (keys under it, set later, fill it). */
enum attr_type { ATTR_NULL, ATTR_STR, ATTR_INT, ATTR_DOUBLE, ATTR_BOOL, ATTR_OBJECT, ATTR_ARRAY };

/*
 * One scalar under a dotted path relative to the list's object:
 * "placement.nodes.0", "vulnerabilities.l1tf", "nodes[1].cpus" (an array
 * element). Written back as the nested objects and arrays the path names.
 */
struct attr {
	char *key;
	enum attr_type type;
	char *s;
	int64_t i;
	double d;
	bool b;
};

/* Ordered: written in the order set; setting a key again replaces its value. */
struct attrs {
	struct attr *v;
	size_t n, cap;
};

void attrs_set_str(struct attrs *a, const char *key, const char *s);	/* NULL: null */
void attrs_set_int(struct attrs *a, const char *key, int64_t i);
void attrs_set_double(struct attrs *a, const char *key, double d);	/* NAN: null */
void attrs_set_bool(struct attrs *a, const char *key, bool b);
void attrs_set_null(struct attrs *a, const char *key);
void attrs_set_object(struct attrs *a, const char *key);
void attrs_set_array(struct attrs *a, const char *key);
/* Every attribute of src under prefix + "." (prefix "" copies as is). */
void attrs_merge(struct attrs *dst, const char *prefix, const struct attrs *src);
const struct attr *attrs_get(const struct attrs *a, const char *key);
/* The value as text ("y", "2048", "true", "null", "{}"); NULL when the key is absent. */
const char *attrs_text(const struct attrs *a, const char *key, char *buf, size_t n);
void attrs_free(struct attrs *a);

/* ---- the machine ---- */

struct hugetlb_pool {
	long size_kb;
	long nr, free, resv, surplus;	/* -1: unknown */
};

/*
 * "system" of the file. The fields are what a comparison of two runs must
 * look at first (gupbench compare's environment diff); everything else the
 * file holds under "system" is in extra, keyed as in the file
 * ("cpu.vulnerabilities.l1tf", "memory.total_kb", "fs.cwd.type").
 */
struct env {
	char *kernel_release, *kernel_version, *kernel_machine;
	char *kernel_package;		/* GUPBENCH_KERNEL_PKG, NULL outside the VM test bed */
	char *kernel_cmdline, *kernel_preempt;
	char *config_source, *config_reason;
	struct attrs config;		/* "CONFIG_HZ" -> "250"; "n"; null when not in the config */
	char *cpu_model;
	int cpus, numa_nodes;		/* -1: unknown */
	char *thp_enabled, *thp_defrag, *thp_shmem_enabled;
	struct hugetlb_pool *hugetlb;
	size_t nr_hugetlb;
	char *accelerator;		/* bare-metal, kvm, emulated, hypervisor:NAME, unknown */
	char *icount;			/* QEMU -icount shift, NULL without */
	char *module_version;		/* the gupbench module's, NULL when not loaded */
	char *hostname;
	struct clock_info clock;	/* what per-call times are read with; unknown in older files */
	struct attrs extra;
};

/* ---- a case ---- */

/* CASE_UNKNOWN: a file that does not say (written as null). */
enum case_status { CASE_OK, CASE_ERROR, CASE_SKIPPED, CASE_UNKNOWN };

/* Timed samples of one direction, in the order taken (sample i of every case is round i). */
struct series {
	bool present;
	size_t n;
	double *ns_per_page;		/* n raw samples */
	double *ns_per_call;		/* n raw samples; NULL in files that did not keep them */
	struct summary per_page, per_call;	/* n == 0: none (no sample) */
	bool has_single_call;		/* kmod: every single GUP call */
	struct summary single_call;
};

/* From the untimed counting pass; NAN where source says unavailable. */
struct fallback_count {
	int counted_samples;
	int64_t counted_calls;
	double calls_per_op, pages_per_op, fraction;
	char *source;			/* "kprobe", "mmap_lock-per-call", "unavailable"; /1: others */
	char *reason;
};

struct mmap_lock_count {
	double acquisitions_per_op;
	int64_t baseline_per_window;	/* -1: unknown */
	char *source, *reason;
};

struct counter_value {
	char *name;			/* "instructions:k", "task-clock", ... */
	bool supported;
	double per_call;		/* per kernel call of the counting pass; NAN unknown */
	int64_t total;
	bool scaled, user_only;
	char *unsupported_errno;	/* "ENOENT" when !supported */
};

struct timer_info {
	int64_t clock_pair_ns;
	bool subtracted;
	bool disturb_known;		/* the three below are known (kmod) */
	int samples_with_probe_armed;
	int64_t calls_switched, calls_migrated;
};

struct pins_balance {
	bool known;
	int64_t acquired, released;
	bool balanced;
	char *source, *reason;
};

/* One measured thread of a case run by several (a team: --threads, --place, ...). */
struct thread_result {
	int cpu_wanted;			/* where --place put it; -1: unbound */
	int cpu_first, cpu_last;	/* sched_getcpu before its first, after its last sample */
	int samples_moved;		/* samples that did not start and end on cpu_wanted */
	bool placement_held;		/* bound and never moved, or unbound */
	int mem_node_wanted;		/* -1: not bound, -2: interleaved */
	struct attrs page_nodes;	/* where its buffer's pages sat (as the case's) */
	struct series pin;		/* its own timed calls, one sample per round sample */
	int errors;
	char *err_name;			/* the first error, NULL if none */
	double pages_done_per_op;
	/* its ops of the counting pass */
	int64_t counted_calls;		/* -1: no counting pass */
	double fallback_calls_per_op, fallback_fraction;	/* NAN: unknown */
	char *fallback_source;
};

/* The threads of a case together. */
struct team_result {
	bool present;
	size_t nr_threads;
	struct thread_result *thread;
	/*
	 * Per sample: pages all threads pinned over the window from the barrier
	 * releasing them to the last pin returning (wall clock, syscalls
	 * included), per second.
	 */
	size_t n;
	double *pages_per_s;
	double *pages;			/* per sample: pages pinned, all threads */
	double *window_ns;		/* per sample: the window */
	struct summary throughput;
	/* throughput / (threads x throughput of the same case at 1 thread); NAN: none */
	double scaling_efficiency;
	bool placement_held;		/* every thread's */
	/* the --contend threads over the rounds */
	bool has_contender;
	int contender_threads;
	int64_t contender_ops;
	double contender_seconds, contender_ops_per_s;
};

struct result_case {
	/* the key: what makes two cases of two runs the same case */
	char *driver, *backing, *state;
	char *op;			/* NULL for drivers without the op axis */
	unsigned int flags;		/* PIN_FLAG_* */
	uint64_t size_bytes, pages;
	uint64_t pages_per_call;	/* 0: unknown (no call made) */
	int threads;			/* measured threads */
	/*
	 * How the threads ran; NULL in a file that does not say, which is the
	 * default: "private", "none", "none", "none".
	 */
	char *share;			/* private: a buffer each; shared: one for all */
	char *place;			/* --place policy ("scatter", "node:1", ...) */
	char *mem;			/* --mem policy ("local", "remote", ...) */
	char *contend;			/* --contend kind ("mmap", ...) */

	char *gup_path;
	int samples, warmup, count_ops;
	enum case_status status;
	char *err_name;			/* "EFAULT"; NULL unless an error */
	char *reason;
	int errors;
	bool has_run;			/* not skipped: the fields below were measured */
	uint64_t warm_bytes;
	double pages_requested_per_op, pages_done_per_op, kernel_calls_per_sample;
	struct series pin, unpin;
	struct fallback_count fallback;
	struct mmap_lock_count mmap_lock;
	size_t nr_counters;
	struct counter_value *counters;
	int counters_samples;
	struct timer_info timer;
	struct pins_balance pins;
	struct attrs actual;		/* backing_actual */
	bool has_placement;
	int placement_cpu, placement_mem_node;
	struct attrs page_nodes;	/* "nodes.0" -> pages on node 0, "sampled", ...; none: null */
	struct team_result team;
	bool interrupted;
};

/* ---- a run ---- */

struct run_params {
	char *preset;
	uint64_t size_bytes;
	int samples, warmup, count_ops;
	char *file_dir;
	int cpu, mem_node;		/* -1: not bound */
	char *order;			/* "interleaved" or "sequential"; NULL in older files */
	int rounds;			/* interleaved: rounds the samples were spread over; -1 */
};

struct result {
	char *schema;			/* as read; result_init() sets the one written */
	char *tool_version, *tool_git;
	char *tool_target;		/* $(CC) -dumpmachine of the build; NULL in older files */
	char **command;			/* argv of the run, "gupbench" first */
	size_t nr_command;
	struct run_params params;
	struct env env;
	char *started, *finished;	/* ISO 8601 UTC; finished NULL while running */
	bool interrupted;
	struct result_case *cases;
	size_t nr_cases, cap_cases;
	char *path;			/* the file it was read from, NULL if made here */
};

/* An empty result of this tool, the environment collected now (sysinfo), started now. */
int result_init(struct result *r, int argc, char **argv);
/* A new case at the end of r->cases, zeroed but for unknowns (NAN, -1); NULL: no memory. */
struct result_case *result_add_case(struct result *r);
void result_free(struct result *r);
void result_case_free(struct result_case *c);
/* A thread's record with its unknowns set (-1, NAN); team_free() frees a team's. */
void thread_result_init(struct thread_result *t);
void team_free(struct team_result *t);
void env_free(struct env *e);
/* Set finished to now and interrupted. */
void result_finish(struct result *r, bool interrupted);
/* per_page and per_call from the n raw samples (single_call is the caller's). */
void series_summarize(struct series *s);
/* PIN_FLAG_* names, bit i named pin_flag_names[i]: "WRITE", "LONGTERM". */
#define NR_PIN_FLAGS 2
extern const char *const pin_flag_names[NR_PIN_FLAGS];
/* The names of flags joined with sep ("WRITE|LONGTERM"); "" for none. */
void flags_text(unsigned int flags, const char *sep, char *buf, size_t n);

/*
 * Write to path.tmp.PID, fsync, rename over path: a reader sees the old
 * file or the new one. 0, or -1 with errno set and path untouched.
 */
int result_write(const char *path, const struct result *r);
/*
 * Read and check a result file of schema /1 or /2 (any /2.N). 0, or -1 with
 * a one-line reason in err ("not JSON: ...", "schema ... is not supported").
 */
int result_load(const char *path, struct result *r, char *err, size_t n);

/*
 * Between result.c (the file) and result_json.c (its text): the document
 * as text to free, "plain" in run's stdout form; and the document parsed into
 * r, 0 or -1 with the reason (r then freed).
 */
char *result_json_text(const struct result *r, bool plain);
/* "system" as the file holds it, for `gupbench list` (a json_object to put). */
struct json_object *result_env_json(const struct env *e);
int result_json_parse(const char *text, size_t len, struct result *r, char *err, size_t n);

/*
 * Views of a result (result_view.c): a table of the cases, one line each,
 * made to paste into mail; CSV, one row per case under a header row; the
 * JSON of the file.
 */
void result_print_table(FILE *f, const struct result *r);
void result_print_csv(FILE *f, const struct result *r);
void result_print_json(FILE *f, const struct result *r);
/* The same document as run has always printed it on stdout: no spaces, '/' escaped. */
void result_print_json_plain(FILE *f, const struct result *r);

#endif
