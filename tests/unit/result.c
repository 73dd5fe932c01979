// SPDX-License-Identifier: GPL-2.0
/* The result model: its file round trip, atomic write, checks on reading, table and CSV. */
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include "tap.h"
#include "gupbench.h"
#include "result.h"
#include "stats.h"

static char dir[64];

static char *path_in(const char *name)
{
	static char buf[4][256];
	static int i;

	i = (i + 1) % 4;
	snprintf(buf[i], sizeof(buf[i]), "%s/%s", dir, name);
	return buf[i];
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	size_t n = 0;

	if (!f)
		return NULL;
	if (getdelim(&buf, &n, '\0', f) < 0) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	return buf;
}

static void put(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

/* Files in dir other than those named; used to find left-over temporaries. */
static int stray_files(void)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	if (!d)
		return -1;
	while ((e = readdir(d)))
		if (strstr(e->d_name, ".tmp."))
			n++;
	closedir(d);
	return n;
}


/* ---- a model with every field set ---- */

/* 4 each of base + 0, .5, 1, 1.5, 2: median base + 1, CI X(6), X(15) = +.5, +1.5 */
static void side(struct series *s, double base, bool raw_calls)
{
	double v[21];

	for (int i = 0; i < 20; i++)
		v[i] = base + (i % 5) * 0.5;
	/* Not exact in binary: json-c alone would write 31.300000000000001. */
	v[20] = 31.3;
	s->present = true;
	s->n = 21;
	s->ns_per_page = malloc(sizeof(v));
	memcpy(s->ns_per_page, v, sizeof(v));
	if (raw_calls) {
		s->ns_per_call = malloc(sizeof(v));
		for (int i = 0; i < 21; i++)
			s->ns_per_call[i] = v[i] * 16384;
	}
	summarize(v, 20, &s->per_page);
	for (int i = 0; i < 20; i++)
		v[i] *= 16384;
	summarize(v, 20, &s->per_call);
}

static struct result_case *base_case(struct result *r, const char *driver, const char *backing,
				     enum case_status status)
{
	struct result_case *c = result_add_case(r);

	c->driver = strdup(driver);
	c->backing = strdup(backing);
	c->state = strdup("warm");
	c->flags = PIN_FLAG_WRITE | PIN_FLAG_LONGTERM;
	c->size_bytes = 64 << 20;
	c->pages = 16384;
	c->pages_per_call = 16384;
	c->gup_path = strdup("pin_user_pages_fast");
	c->status = status;
	c->samples = 20;
	c->warmup = 3;
	c->count_ops = 3;
	return c;
}

static void fallback(struct result_case *c, double calls, double frac, const char *src)
{
	c->fallback.calls_per_op = calls;
	c->fallback.fraction = frac;
	c->fallback.source = strdup(src);
	c->fallback.counted_samples = 3;
	c->fallback.counted_calls = 3;
}

static void pins(struct result_case *c, bool balanced)
{
	c->pins.known = true;
	c->pins.acquired = 16384;
	c->pins.released = balanced ? 16384 : 16000;
	c->pins.balanced = balanced;
	c->pins.source = strdup("vmstat");
}

/* The first case has every field of a case set. */
static void fill_everything(struct result_case *c)
{
	static const char *const names[] = { "task-clock", "cycles:k" };

	c->has_run = true;
	c->warm_bytes = 64 << 20;
	c->errors = 0;
	c->pages_requested_per_op = 16384;
	c->pages_done_per_op = 16384;
	c->kernel_calls_per_sample = 1;
	c->pin.has_single_call = true;
	summarize(c->pin.ns_per_page, 10, &c->pin.single_call);
	attrs_set_int(&c->actual, "page_size", 4096);
	attrs_set_str(&c->actual, "mapping", "private-anon");
	attrs_set_bool(&c->actual, "thp_switched", false);
	attrs_set_double(&c->actual, "ratio", 0.1 + 0.2);
	attrs_set_null(&c->actual, "thp_enabled");
	attrs_set_int(&c->actual, "placement.nodes.0", 16384);
	attrs_set_int(&c->actual, "placement.sampled", 4096);
	attrs_set_str(&c->actual, "list[0]", "a");
	attrs_set_int(&c->actual, "list[1].x", 1);
	attrs_set_object(&c->actual, "none");
	attrs_set_array(&c->actual, "nothing");
	c->mmap_lock.acquisitions_per_op = 0.25;
	c->mmap_lock.baseline_per_window = 0;
	c->mmap_lock.source = strdup("tracepoint mmap_lock:mmap_lock_start_locking");
	c->counters = calloc(2, sizeof(*c->counters));
	for (int i = 0; i < 2; i++) {
		struct counter_value *k = &c->counters[c->nr_counters++];

		k->name = strdup(names[i]);
		k->per_call = NAN;
		if (i) {
			k->unsupported_errno = strdup("ENOENT");
			continue;
		}
		k->supported = true;
		k->per_call = 1234.5;
		k->total = 3703;
		k->scaled = true;
		k->user_only = true;
	}
	c->counters_samples = 3;
	c->timer.clock_pair_ns = 20;
	c->timer.subtracted = true;
	c->timer.disturb_known = true;
	c->timer.samples_with_probe_armed = 1;
	c->timer.calls_switched = 2;
	c->timer.calls_migrated = 3;
	c->has_placement = true;
	c->placement_cpu = 1;
	c->placement_mem_node = 0;
	attrs_set_object(&c->page_nodes, "nodes");
	attrs_set_int(&c->page_nodes, "nodes.0", 4096);
	attrs_set_int(&c->page_nodes, "sampled", 4096);
	c->interrupted = true;
}

/* Two threads on one buffer, bound, under contention: every team field. */
static void fill_team(struct result_case *c)
{
	struct team_result *t = &c->team;

	c->threads = 2;
	c->share = strdup("shared");
	c->place = strdup("scatter");
	c->mem = strdup("remote");
	c->contend = strdup("mmap");
	t->present = true;
	t->nr_threads = 2;
	t->thread = calloc(2, sizeof(*t->thread));
	for (int i = 0; i < 2; i++) {
		struct thread_result *th = &t->thread[i];

		thread_result_init(th);
		th->cpu_wanted = i;
		th->cpu_first = i;
		th->cpu_last = i ? 0 : i;
		th->samples_moved = i;
		th->placement_held = !i;
		th->mem_node_wanted = i ? -2 : 1;
		attrs_set_int(&th->page_nodes, "nodes.1", 2048);
		side(&th->pin, 40.0 + i, true);
		th->errors = i;
		th->err_name = i ? strdup("EFAULT") : NULL;
		th->pages_done_per_op = 2048;
		th->counted_calls = 3;
		th->fallback_calls_per_op = i ? 1 : 0;
		th->fallback_fraction = i ? 0.5 : NAN;
		th->fallback_source = strdup(i ? "kprobe" : "mmap_lock-per-call");
	}
	t->n = 3;
	t->pages_per_s = calloc(3, sizeof(double));
	t->pages = calloc(3, sizeof(double));
	t->window_ns = calloc(3, sizeof(double));
	for (int i = 0; i < 3; i++) {
		t->pages[i] = 4096;
		t->window_ns[i] = 100000 + i * 0.5;
		t->pages_per_s[i] = t->pages[i] * 1e9 / t->window_ns[i];
	}
	summarize(t->pages_per_s, 3, &t->throughput);
	t->scaling_efficiency = 0.875;
	t->placement_held = false;
	t->has_contender = true;
	t->contender_threads = 1;
	t->contender_ops = 12345;
	t->contender_seconds = 0.25;
	t->contender_ops_per_s = 49380;
}

/* ok (every field), error, skipped, a kmod case with a fraction, and a team. */
static void add_cases(struct result *r)
{
	struct result_case *c;

	r->params.preset = strdup("default");
	r->params.size_bytes = 64 << 20;
	r->params.samples = 20;
	r->params.warmup = 3;
	r->params.count_ops = 3;
	r->params.file_dir = strdup(".");
	r->params.order = strdup("interleaved");
	r->params.rounds = 20;

	c = base_case(r, "iouring", "anon", CASE_OK);
	side(&c->pin, 31.0, true);
	side(&c->unpin, 11.0, true);
	fallback(c, 0, NAN, "mmap_lock-tracepoint");
	pins(c, true);
	fill_everything(c);

	c = base_case(r, "iouring", "file-shared", CASE_ERROR);
	c->has_run = true;
	c->err_name = strdup("EFAULT");
	fallback(c, 1, NAN, "mmap_lock-tracepoint");
	pins(c, true);

	c = base_case(r, "iouring", "secretmem", CASE_SKIPPED);
	c->pages_per_call = 0;
	c->reason = strdup("memfd_secret: ENOSYS, \"secretmem.enable=0\"");

	c = base_case(r, "kmod", "anon-thp", CASE_OK);
	c->has_run = true;
	c->op = strdup("pin_fast");
	c->flags = PIN_FLAG_WRITE;
	c->pages_per_call = 512;
	side(&c->pin, 1.5, false);
	fallback(c, 0.5, 0.125, "kprobe");
	c->fallback.pages_per_op = 64;
	pins(c, false);

	c = base_case(r, "kmod", "shmem", CASE_OK);
	c->has_run = true;
	c->op = strdup("pin_fast");
	side(&c->pin, 41.0, true);
	fallback(c, 0.5, 0.25, "kprobe");
	pins(c, true);
	fill_team(c);
}

/* ---- field-by-field comparison ---- */

static const char *differs;	/* the first field that differed */

static bool same_str(const char *a, const char *b, const char *what)
{
	bool same = (!a && !b) || (a && b && !strcmp(a, b));

	if (!same && !differs)
		differs = what;
	return same;
}

static bool same_num(double a, double b, const char *what)
{
	bool same = (isnan(a) && isnan(b)) || a == b;

	if (!same && !differs)
		differs = what;
	return same;
}

static bool same_summary(const struct summary *a, const struct summary *b, const char *what)
{
	return same_num(a->n, b->n, what) && same_num(a->median, b->median, what) &&
	       same_num(a->ci_lo, b->ci_lo, what) && same_num(a->ci_hi, b->ci_hi, what) &&
	       same_num(a->p10, b->p10, what) && same_num(a->p90, b->p90, what) &&
	       same_num(a->min, b->min, what) && same_num(a->max, b->max, what) &&
	       same_num(a->mean, b->mean, what) && same_num(a->stddev, b->stddev, what);
}

static bool same_series(const struct series *a, const struct series *b, const char *what)
{
	bool same = same_num(a->present, b->present, what) && same_num(a->n, b->n, what) &&
		    same_num(!a->ns_per_call, !b->ns_per_call, what) &&
		    same_summary(&a->per_page, &b->per_page, what) &&
		    same_summary(&a->per_call, &b->per_call, what) &&
		    same_num(a->has_single_call, b->has_single_call, what) &&
		    (!a->has_single_call || same_summary(&a->single_call, &b->single_call, what));

	for (size_t i = 0; same && i < a->n; i++)
		same = same_num(a->ns_per_page[i], b->ns_per_page[i], what) &&
		       (!a->ns_per_call || same_num(a->ns_per_call[i], b->ns_per_call[i], what));
	return same;
}

static bool same_attrs(const struct attrs *a, const struct attrs *b, const char *what)
{
	char x[64], y[64];

	if (a->n != b->n)
		return same_num(a->n, b->n, what);
	for (size_t i = 0; i < a->n; i++)
		if (!same_str(a->v[i].key, b->v[i].key, what) ||
		    !same_num(a->v[i].type, b->v[i].type, what) ||
		    !same_str(attrs_text(a, a->v[i].key, x, sizeof(x)),
			      attrs_text(b, b->v[i].key, y, sizeof(y)), what))
			return false;
	return true;
}

#define S(f) same_str(a->f, b->f, #f)
#define N(f) same_num(a->f, b->f, #f)

static bool same_case(const struct result_case *a, const struct result_case *b)
{
	bool same = S(driver) && S(backing) && S(state) && S(op) && N(flags) && N(size_bytes) &&
		    N(pages) && N(pages_per_call) && N(threads) && S(gup_path) && N(samples) &&
		    N(warmup) && N(count_ops) && N(status) && S(err_name) && S(reason) &&
		    N(errors) && N(has_run) && N(warm_bytes) && N(pages_requested_per_op) &&
		    N(pages_done_per_op) && N(kernel_calls_per_sample) &&
		    same_series(&a->pin, &b->pin, "pin") &&
		    same_series(&a->unpin, &b->unpin, "unpin") &&
		    N(fallback.counted_samples) && N(fallback.counted_calls) &&
		    N(fallback.calls_per_op) && N(fallback.pages_per_op) && N(fallback.fraction) &&
		    S(fallback.source) && S(fallback.reason) && N(mmap_lock.acquisitions_per_op) &&
		    N(mmap_lock.baseline_per_window) && S(mmap_lock.source) &&
		    S(mmap_lock.reason) &&
		    N(nr_counters) && N(counters_samples) && N(timer.clock_pair_ns) &&
		    N(timer.subtracted) && N(timer.disturb_known) &&
		    N(timer.samples_with_probe_armed) && N(timer.calls_switched) &&
		    N(timer.calls_migrated) && N(pins.known) && N(pins.acquired) &&
		    N(pins.released) && N(pins.balanced) && S(pins.source) && S(pins.reason) &&
		    same_attrs(&a->actual, &b->actual, "backing_actual") && N(has_placement) &&
		    N(placement_cpu) && N(placement_mem_node) &&
		    same_attrs(&a->page_nodes, &b->page_nodes, "page_nodes") && N(interrupted) &&
		    S(share) && S(place) && S(mem) && S(contend) && N(team.present) &&
		    N(team.nr_threads) && N(team.n) && same_summary(&a->team.throughput,
		    &b->team.throughput, "team.throughput") && N(team.scaling_efficiency) &&
		    N(team.placement_held) && N(team.has_contender) && N(team.contender_threads) &&
		    N(team.contender_ops) && N(team.contender_seconds) &&
		    N(team.contender_ops_per_s);

	for (size_t i = 0; same && i < a->team.n; i++)
		same = N(team.pages_per_s[i]) && N(team.pages[i]) && N(team.window_ns[i]);
	for (size_t i = 0; same && i < a->team.nr_threads; i++)
		same = N(team.thread[i].cpu_wanted) && N(team.thread[i].cpu_first) &&
		       N(team.thread[i].cpu_last) && N(team.thread[i].samples_moved) &&
		       N(team.thread[i].placement_held) && N(team.thread[i].mem_node_wanted) &&
		       same_attrs(&a->team.thread[i].page_nodes, &b->team.thread[i].page_nodes,
				  "thread page_nodes") &&
		       same_series(&a->team.thread[i].pin, &b->team.thread[i].pin, "thread pin") &&
		       N(team.thread[i].errors) && S(team.thread[i].err_name) &&
		       N(team.thread[i].pages_done_per_op) && N(team.thread[i].counted_calls) &&
		       N(team.thread[i].fallback_calls_per_op) &&
		       N(team.thread[i].fallback_fraction) && S(team.thread[i].fallback_source);
	for (size_t i = 0; same && i < a->nr_counters; i++)
		same = S(counters[i].name) && N(counters[i].supported) &&
		       N(counters[i].per_call) && N(counters[i].total) && N(counters[i].scaled) &&
		       N(counters[i].user_only) && S(counters[i].unsupported_errno);
	return same;
}

/* Every scalar extra of a is in b with the same text (containers only shape the JSON). */
static bool same_extras(const struct attrs *a, const struct attrs *b, const char *what)
{
	size_t na = 0, nb = 0;
	char x[64], y[64];

	for (size_t i = 0; i < a->n; i++) {
		const char *k = a->v[i].key;

		if (a->v[i].type == ATTR_OBJECT || a->v[i].type == ATTR_ARRAY)
			continue;
		na++;
		if (!same_str(attrs_text(a, k, x, sizeof(x)), attrs_text(b, k, y, sizeof(y)), k))
			return false;
	}
	for (size_t i = 0; i < b->n; i++)
		nb += b->v[i].type != ATTR_OBJECT && b->v[i].type != ATTR_ARRAY;
	return same_num(na, nb, what);
}

static bool same_env(const struct env *a, const struct env *b)
{
	bool same = S(kernel_release) && S(kernel_version) && S(kernel_machine) &&
		    S(kernel_package) && S(kernel_cmdline) && S(kernel_preempt) &&
		    S(config_source) && S(config_reason) &&
		    same_attrs(&a->config, &b->config, "config") &&
		    S(cpu_model) && N(cpus) && N(numa_nodes) && S(thp_enabled) && S(thp_defrag) &&
		    S(thp_shmem_enabled) && N(nr_hugetlb) && S(accelerator) && S(icount) &&
		    S(module_version) && S(hostname) && S(clock.clocksource) &&
		    N(clock.counter_hz) && N(clock.resolution_ns) && S(clock.resolution_source) &&
		    same_extras(&a->extra, &b->extra, "extra");

	for (size_t i = 0; same && i < a->nr_hugetlb; i++)
		same = N(hugetlb[i].size_kb) && N(hugetlb[i].nr) && N(hugetlb[i].free) &&
		       N(hugetlb[i].resv) && N(hugetlb[i].surplus);
	return same;
}

static bool same_result(const struct result *a, const struct result *b)
{
	bool same = S(schema) && S(tool_version) && S(tool_git) && N(nr_command) &&
		    S(params.preset) && N(params.size_bytes) && N(params.samples) &&
		    N(params.warmup) && N(params.count_ops) && S(params.file_dir) &&
		    N(params.cpu) && N(params.mem_node) && S(params.order) && N(params.rounds) &&
		    same_env(&a->env, &b->env) && S(started) && S(finished) && N(interrupted) &&
		    N(nr_cases);

	for (size_t i = 0; same && i < a->nr_command; i++)
		same = S(command[i]);
	for (size_t i = 0; same && i < a->nr_cases; i++)
		same = same_case(&a->cases[i], &b->cases[i]);
	return same;
}

#undef S
#undef N

static char *capture(void (*print)(FILE *, const struct result *), const struct result *r)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	print(f, r);
	fclose(f);
	return buf;
}

/* Line number i (0-based) of text, copied into out. */
static const char *line_at(const char *text, int i, char *out, size_t n)
{
	const char *e;

	while (i-- > 0 && text && (text = strchr(text, '\n')))
		text++;
	if (!text)
		return "";
	e = strchr(text, '\n');
	snprintf(out, n, "%.*s", (int)(e ? e - text : (long)strlen(text)), text);
	return out;
}

/* Line holding needle, or "". */
static const char *line_with(const char *text, const char *needle, char *out, size_t n)
{
	const char *p = strstr(text, needle), *s;

	if (!p)
		return "";
	for (s = p; s > text && s[-1] != '\n'; s--)
		;
	return line_at(s, 0, out, n);
}

/* Fields of one CSV line, honouring quotes. */
static int csv_fields(const char *line)
{
	int n = 1, q = 0;

	for (; *line; line++) {
		if (*line == '"')
			q = !q;
		else if (*line == ',' && !q)
			n++;
	}
	return n;
}

/* text is refused with a one-line reason holding want. */
static void refused(const char *name, const char *text, const char *want, const char *what)
{
	struct result r;
	char err[256] = "";
	int rc;

	put(path_in(name), text);
	rc = result_load(path_in(name), &r, err, sizeof(err));
	if (!rc)
		result_free(&r);
	tap_ok(rc == -1 && strstr(err, want) && !strchr(err, '\n'), "%s refused: %s", what, err);
}

static void accepted(const char *name, const char *text, const char *what)
{
	struct result r;
	char err[256] = "";
	int rc;

	put(path_in(name), text);
	rc = result_load(path_in(name), &r, err, sizeof(err));
	tap_ok(rc == 0, "%s%s%s", what, rc ? ": " : "", rc ? err : "");
	if (!rc)
		result_free(&r);
}

#define DOC(cases) "{\"schema\": \"gupbench-result/2\", \"cases\": [" cases "]}\n"

static void test_read_errors(void)
{
	struct result r;
	char err[256];

	refused("wrong.json", "{\"schema\": \"fio-result/1\", \"cases\": []}\n",
		"not a gupbench result", "wrong schema");
	refused("v3.json", "{\"schema\": \"gupbench-result/3\", \"cases\": []}\n",
		"schema gupbench-result/3 is not supported", "newer major version");
	refused("v0.json", "{\"schema\": \"gupbench-result/0\", \"cases\": []}\n",
		"not supported", "older than /1");
	accepted("v21.json", "{\"schema\": \"gupbench-result/2.1\", \"cases\": [], \"new\": 1}\n",
		 "additive minor version 2.1 accepted");
	accepted("v1.json", "{\"schema\": \"gupbench-result/1\", \"cases\": []}\n",
		 "schema /1 files still read");
	refused("noschema.json", "{\"cases\": []}\n", "no \"schema\"", "missing schema");
	refused("text.json", "kernel 6.18 anon 31 ns/page\n", "not JSON", "non-JSON");
	refused("trunc.json", "{\"schema\": \"gupbench-result/1\", \"cases\": [\n", "truncated",
		"truncated JSON");
	refused("trail.json", "{\"schema\": \"gupbench-result/1\", \"cases\": []} x\n",
		"trailing data at line 1", "trailing data");
	refused("empty.json", "", "empty", "empty file");
	refused("array.json", "[1, 2]", "not an object", "top-level array");
	refused("nocases.json", "{\"schema\": \"gupbench-result/2\"}", "no \"cases\" list",
		"no cases");

	/* Null or absent is unknown; a value of another type is damage. */
	refused("driver.json", DOC("{\"driver\": 5}"), "cases[0].driver is not a string",
		"a number for driver");
	refused("case.json", DOC("{}, 3"), "cases[1] is not an object", "a number for a case");
	refused("raw.json", DOC("{\"pin\": {\"samples_ns_per_page\": [1.5, \"x\"]}}"),
		"cases[0].pin.samples_ns_per_page holds something other than numbers",
		"a string among the samples");
	refused("flags.json", DOC("{\"flags\": [\"WRITE\", \"BOGUS\"]}"),
		"cases[0].flags holds an unknown flag (BOGUS)", "an unknown flag");
	refused("status.json", DOC("{\"status\": \"weird\"}"), "cases[0].status is \"weird\"",
		"an unknown status");
	refused("samples.json", DOC("{\"samples\": 1.5}"), "cases[0].samples is not an integer",
		"a fraction for samples");
	refused("size.json", DOC("{\"size_bytes\": \"64M\"}"), "cases[0].size_bytes is not an",
		"a string for size_bytes");
	refused("calls.json", DOC("{\"pin\": {\"samples_ns_per_page\": [1.0], "
				  "\"samples_ns_per_call\": []}}"),
		"samples_ns_per_call has 0 samples, not 1",
		"raw per-call samples of another count");
	refused("cpus.json", "{\"schema\": \"gupbench-result/2\", \"cases\": [], "
		"\"system\": {\"cpu\": {\"cpus\": \"two\"}}}", "system.cpu.cpus is not an integer",
		"a string for system.cpu.cpus");
	refused("system.json", "{\"schema\": \"gupbench-result/2\", \"cases\": [], "
		"\"system\": []}", "system is not an object", "an array for system");
	accepted("nulls.json", DOC("null, {\"driver\": null, \"pin\": null, \"flags\": null, "
				   "\"samples\": 20.0, \"fallback\": {\"calls_per_op\": null}}"),
		 "null anywhere reads as unknown, a whole double as an integer");

	tap_ok(result_load(path_in("missing.json"), &r, err, sizeof(err)) == -1 &&
	       strstr(err, "No such file"), "missing file: %s", err);
	tap_ok(result_load(dir, &r, err, sizeof(err)) == -1 && strstr(err, "directory"),
	       "directory: %s", err);
}

static void test_failed_writes(const struct result *r, const char *old)
{
	struct rlimit rl, small = { 4096, 4096 };
	char *now;
	int rc, e;

	rc = result_write(path_in("nodir/r.json"), r);
	e = errno;
	tap_ok(rc == -1 && e == ENOENT, "write into a missing directory fails (%s)", strerror(e));

	/* Works as root too: a file-size limit makes the write fail halfway. */
	signal(SIGXFSZ, SIG_IGN);
	getrlimit(RLIMIT_FSIZE, &rl);
	small.rlim_max = rl.rlim_max;
	setrlimit(RLIMIT_FSIZE, &small);
	rc = result_write(path_in("r.json"), r);
	e = errno;
	setrlimit(RLIMIT_FSIZE, &rl);
	now = slurp(path_in("r.json"));
	tap_ok(rc == -1 && e == EFBIG, "write beyond RLIMIT_FSIZE fails (%s)", strerror(e));
	tap_ok(now && !strcmp(now, old), "old file intact after a failed write");
	tap_ok(stray_files() == 0, "no temporary file left behind");
	free(now);

	/* The target is a directory: rename fails, the directory stays. */
	mkdir(path_in("isdir.json"), 0755);
	rc = result_write(path_in("isdir.json"), r);
	tap_ok(rc == -1 && stray_files() == 0, "rename over a directory fails cleanly (%s)",
	       strerror(errno));
	rmdir(path_in("isdir.json"));

	if (geteuid() == 0) {
		tap_skip("read-only directory refuses the write", "root ignores directory modes");
	} else {
		chmod(dir, 0555);
		rc = result_write(path_in("r.json"), r);
		e = errno;
		chmod(dir, 0755);
		now = slurp(path_in("r.json"));
		tap_ok(rc == -1 && e == EACCES && now && !strcmp(now, old),
		       "read-only directory: write fails, old file intact");
		free(now);
	}
}

static void test_table(struct result *r)
{
	char *t = capture(result_print_table, r), l[512], hdr[512], ok[512], er[512], sk[512];
	const char *cols[] = { "driver", "backing", "op/flags", "pages/call", "status",
			       "pin [95% CI]", "unpin", "fallback/op", "balanced" };
	int all = 1, off_ok, off_er;
	struct result_case *c;
	char *p;

	printf("# table:\n");
	for (p = t; p && *p; ) {
		char *e = strchr(p, '\n');

		printf("#   %.*s\n", (int)(e ? e - p : (long)strlen(p)), p);
		p = e ? e + 1 : NULL;
	}

	line_at(t, 0, l, sizeof(l));
	tap_ok(!strncmp(l, "kernel ", 7) && strstr(l, " accel ") && strstr(l, " cpu "),
	       "first line: kernel, accelerator, cpu");
	line_with(t, "driver ", hdr, sizeof(hdr));
	for (size_t i = 0; i < sizeof(cols) / sizeof(cols[0]); i++)
		all &= strstr(hdr, cols[i]) != NULL;
	tap_ok(all, "column header names every column");
	tap_ok(strstr(t, "all cases: state warm, size 64 MiB, 20 samples + 3 warm-up") &&
	       !strstr(hdr, "size") && !strstr(hdr, "state"),
	       "shared state and size go to one line, not columns");
	tap_ok(strstr(hdr, "op/flags") != NULL, "varying columns stay");

	line_with(t, "iouring  anon ", ok, sizeof(ok));
	tap_ok(strstr(ok, "WRITE|LONGTERM") && strstr(ok, "16384") && strstr(ok, " ok ") &&
	       strstr(ok, "32.0 [31.5-32.5]") && strstr(ok, "12.0") && strstr(ok, "yes"),
	       "ok row: flags, pages/call, status, pin median [CI], unpin, balanced");
	line_with(t, "file-shared", er, sizeof(er));
	tap_ok(strstr(er, "error EFAULT") && strstr(er, "yes"), "error row: error EFAULT");
	line_with(t, "secretmem", sk, sizeof(sk));
	tap_ok(strstr(sk, "skip: memfd_secret: ENOSYS") != NULL, "skipped row: skip: reason");
	off_ok = (int)(strstr(ok, "16384") - ok);
	off_er = (int)(strstr(er, "16384") - er);
	tap_ok(off_ok == off_er && off_ok == (int)(strstr(hdr, "pages/call") - hdr),
	       "columns line up (pages/call at %d and %d)", off_ok, off_er);
	line_with(t, "kmod shmem warm pin_fast W|LT", l, sizeof(l));
	tap_ok(strstr(l, " 2  shared   scatter    remote") && strstr(l, "41M [41M-41M]") &&
	       strstr(l, "0.88") && strstr(l, "MOVED") && strstr(l, "49.4k mmap/s") &&
	       strstr(t, "thread 1: cpu 1->0 (bound) MOVED  mem 1  42.0 ns/page  fallback 1.00"),
	       "threads table: share, place, mem, pages/s, efficiency, moved, contender, a "
	       "line per thread");
	line_with(t, "kmod", l, sizeof(l));
	tap_ok(strstr(l, "pin_fast WRITE") && strstr(l, "0.5 (12%)") && strstr(l, "NO"),
	       "kmod row: op and flags, fallback with fraction, unbalanced pins flagged");
	tap_ok(strstr(t, "95% CI of the median") && strstr(t, "mmap_lock-tracepoint"),
	       "legend names the CI and the fallback source");
	free(t);

	/* A case with nothing but a driver, as a damaged or hand-edited file might hold. */
	c = result_add_case(r);
	c->driver = strdup("futex");
	t = capture(result_print_table, r);
	line_with(t, "futex", l, sizeof(l));
	tap_ok(strstr(l, "futex") && strstr(l, "?"), "case with nothing but a driver prints");
	line_with(t, "driver ", hdr, sizeof(hdr));
	tap_ok(strstr(hdr, "size") != NULL, "size differs between cases: a column again");
	free(t);
}

static void test_csv(const struct result *r)
{
	char *t = capture(result_print_csv, r), l[1024];
	int nhead, lines = 0, same = 1;

	line_at(t, 0, l, sizeof(l));
	nhead = csv_fields(l);
	tap_ok(!strncmp(l, "driver,backing,state,op,flags,size_bytes,pages,pages_per_call,",
			strlen("driver,backing,state,op,flags,size_bytes,pages,pages_per_call,")) &&
	       strstr(l, "pin_ns_per_page_median") && strstr(l, "fallback_calls_per_op") &&
	       strstr(l, "pins_balanced"), "CSV header row");
	for (int i = 1; *line_at(t, i, l, sizeof(l)); i++) {
		lines++;
		same &= csv_fields(l) == nhead;
	}
	tap_ok(lines == 6 && same, "one row per case, %d fields each (%d rows)", nhead, lines);
	line_at(t, 5, l, sizeof(l));
	tap_ok(strstr(l, ",2,shared,scatter,remote,mmap,") && strstr(l, ",0.875,49380"),
	       "team row: threads, share, place, mem, contend, efficiency, contender rate");
	line_at(t, 1, l, sizeof(l));
	{
		const char *want = "iouring,anon,warm,,WRITE|LONGTERM,67108864,16384,16384,20,ok,,,"
				   "32.0,31.5,32.5,31.0,33.0,20,";

		tap_ok(!strncmp(l, want, strlen(want)), "ok row values: %s", l);
	}
	line_at(t, 2, l, sizeof(l));
	tap_ok(strstr(l, ",error,EFAULT,") && strstr(l, ",1.0,,,mmap_lock-tracepoint,yes"),
	       "error row: errno, fallback 1.0, balanced");
	line_at(t, 3, l, sizeof(l));
	tap_ok(strstr(l, ",skipped,,\"memfd_secret: ENOSYS, \"\"secretmem.enable=0\"\"\"") != NULL,
	       "skipped row: reason quoted per RFC 4180");
	free(t);
}

/*
 * The views never trust a file: a ci95 that is not a [lo, hi] pair leaves
 * both bounds empty in the CSV. JSON is the file as the model writes it.
 */
static void test_damaged_views(void)
{
	struct result r;
	char err[256], l[1024], *t, *file;

	put(path_in("ci.json"), DOC("{\"driver\": \"x\", "
				    "\"pin\": {\"ns_per_page\": {\"median\": 1.5, \"ci95\": [1, 2, 3]}}}"));
	if (!tap_ok(result_load(path_in("ci.json"), &r, err, sizeof(err)) == 0,
		    "a ci95 of three values reads%s%s", *err ? ": " : "", err)) {
		tap_skip("CSV of a damaged ci95", "not read");
		tap_skip("JSON view", "not read");
		return;
	}
	t = capture(result_print_csv, &r);
	line_at(t, 1, l, sizeof(l));
	tap_ok(!strncmp(l, "x,,,,,,,,,,,,1.5,,,", strlen("x,,,,,,,,,,,,1.5,,,")),
	       "CSV: a ci95 of three values leaves lo and hi empty: %s", l);
	free(t);
	t = capture(result_print_json, &r);
	result_write(path_in("ci-again.json"), &r);
	file = slurp(path_in("ci-again.json"));
	tap_ok(t && file && !strcmp(t, file) && strstr(t, "\"schema\": \"gupbench-result/2\""),
	       "JSON view: the file as the model writes it");
	free(file);
	free(t);
	result_free(&r);
}

/* Checked-in files of both schemas read with the values they hold. */
static void test_fixtures(const char *argv0)
{
	char path[512], err[256], *d = strdup(argv0), *slash = strrchr(d, '/');
	struct result r;
	const struct result_case *c;
	char buf[64];

	if (slash)
		*slash = '\0';
	snprintf(path, sizeof(path), "%s/../fixtures/results/v1.json", slash ? d : ".");
	if (!tap_ok(result_load(path, &r, err, sizeof(err)) == 0, "/1 fixture reads%s%s",
		    *err ? ": " : "", err)) {
		free(d);
		return;
	}
	c = &r.cases[1];
	tap_ok(!strcmp(r.schema, "gupbench-result/1") && r.nr_cases == 2 && r.path &&
	       !strcmp(r.params.preset, "quick") && r.params.count_ops == -1 &&
	       !r.params.order, "/1: schema, 2 cases, preset, no count_ops or order");
	tap_ok(!strcmp(r.cases[0].driver, "iouring") && r.cases[0].pin.n == 9 &&
	       r.cases[0].pin.per_page.median == 51.834716796875 &&
	       r.cases[0].pin.per_page.ci_hi == 65.509765625 && !r.cases[0].pin.ns_per_call &&
	       r.cases[0].unpin.present && r.cases[0].flags == (PIN_FLAG_WRITE | PIN_FLAG_LONGTERM),
	       "/1: iouring anon pin median, CI, 9 raw samples, no raw per-call ones");
	tap_ok(!strcmp(c->driver, "futex") && !strcmp(c->backing, "shmem") &&
	       c->status == CASE_OK && !c->unpin.present && c->fallback.calls_per_op == 1.0 &&
	       !strcmp(c->fallback.source, "mmap_lock-tracepoint") &&
	       c->fallback.counted_samples == -1 && isnan(c->mmap_lock.acquisitions_per_op) &&
	       !c->timer.disturb_known && c->counters_samples == -1 && c->pins.balanced &&
	       c->threads == 1 && c->pages_per_call == 1,
	       "/1: futex shmem: no unpin, /1 fallback source, what /1 lacks is unknown");
	tap_ok(!strcmp(r.env.kernel_release, "6.18.44-fc-v669") &&
	       !strcmp(r.env.kernel_package, "6.12.57-1") && r.env.cpus == 2 &&
	       r.env.numa_nodes == 1 && !strcmp(r.env.accelerator, "kvm") &&
	       r.env.nr_hugetlb == 2 && r.env.hugetlb[0].size_kb == 2048 &&
	       r.env.hugetlb[0].nr == 0 && !strcmp(r.env.thp_enabled, "madvise") &&
	       !r.env.module_version &&
	       !strcmp(attrs_text(&r.env.config, "CONFIG_HZ", buf, sizeof(buf)), "250") &&
	       !strcmp(attrs_text(&r.env.extra, "cpu.vulnerabilities.l1tf", buf, sizeof(buf)),
		       "Not affected") &&
	       !strcmp(attrs_text(&r.env.extra, "cpu.nodes[0].cpus", buf, sizeof(buf)), "0-1"),
	       "/1: system: kernel, cpus, accelerator, hugetlb, config, extras");
	result_free(&r);

	snprintf(path, sizeof(path), "%s/../fixtures/results/v2.json", slash ? d : ".");
	free(d);
	if (!tap_ok(result_load(path, &r, err, sizeof(err)) == 0, "/2 fixture reads%s%s",
		    *err ? ": " : "", err))
		return;
	c = &r.cases[1];
	tap_ok(!strcmp(r.schema, "gupbench-result/2") && r.params.count_ops == 3 &&
	       c->fallback.calls_per_op == 0 && !strcmp(c->fallback.source, "mmap_lock-per-call") &&
	       c->fallback.counted_samples == 3 && c->count_ops == 3 &&
	       !strcmp(c->mmap_lock.source, "tracepoint mmap_lock:mmap_lock_start_locking") &&
	       c->counters_samples == 3 && c->nr_counters == 6 &&
	       !strcmp(c->counters[0].name, "task-clock") && c->counters[0].supported &&
	       !c->counters[2].supported && !strcmp(c->counters[2].unsupported_errno, "ENOENT") &&
	       c->pin.per_page.median == 326.903076171875 &&
	       !strcmp(attrs_text(&c->actual, "mapping", buf, sizeof(buf)), "memfd-shared") &&
	       !strcmp(attrs_text(&c->actual, "placement.nodes.0", buf, sizeof(buf)), "4096"),
	       "/2: counting pass, mmap_lock, counters, backing_actual");
	result_free(&r);
}

int main(int argc, char **argv)
{
	struct result r, back;
	char err[256] = "", *old, *again, *text;
	bool same;

	tap_plan(83);
	snprintf(dir, sizeof(dir), "/tmp/gupbench-unit-XXXXXX");
	if (!mkdtemp(dir))
		tap_skip_all("cannot make a temporary directory");

	result_init(&r, argc, argv);
	tap_ok(!strcmp(r.schema, "gupbench-result/2"), "schema gupbench-result/2");
	tap_ok(!strcmp(r.tool_version, GUPBENCH_VERSION) && r.tool_git,
	       "tool: version %s, git %s", r.tool_version, r.tool_git);
	tap_ok(r.nr_command == (size_t)argc + 1 && !strcmp(r.command[0], "gupbench") &&
	       !strcmp(r.command[1], argv[0]),
	       "command is gupbench followed by the subcommand's argv");
	tap_ok(r.started && strlen(r.started) == 20 && r.started[4] == '-' &&
	       r.started[10] == 'T' && r.started[19] == 'Z',
	       "started is ISO-8601 UTC (%s)", r.started);
	tap_ok(!r.finished && !r.interrupted, "finished unknown, interrupted false");
	tap_ok(r.env.kernel_release && r.env.accelerator && r.env.cpus > 0 && r.env.config_source,
	       "system: kernel %s, accelerator %s, %d CPUs, config from %s", r.env.kernel_release,
	       r.env.accelerator, r.env.cpus, r.env.config_source);

	add_cases(&r);
	tap_ok(r.nr_cases == 5 && r.cases[2].threads == 1 && isnan(r.cases[2].pages_done_per_op) &&
	       r.cases[2].fallback.counted_samples == -1, "result_add_case: threads 1, unknowns");
	tap_ok(result_write(path_in("r.json"), &r) == 0, "write r.json");
	tap_ok(stray_files() == 0, "no temporary file left after success");
	tap_ok(result_load(path_in("r.json"), &back, err, sizeof(err)) == 0,
	       "read it back%s%s", *err ? ": " : "", err);
	differs = NULL;
	same = same_result(&r, &back);
	tap_ok(same, "round trip: every field the same%s%s", differs ? "; differs: " : "",
	       differs ? differs : "");
	tap_ok(back.path && !strcmp(back.path, path_in("r.json")), "path kept");
	tap_ok(result_write(path_in("r2.json"), &back) == 0, "write what was read");
	old = slurp(path_in("r.json"));
	again = slurp(path_in("r2.json"));
	tap_ok(old && again && !strcmp(old, again), "written again: the same bytes");
	free(again);
	tap_ok(old && strstr(old, "\"median\": 32.0") && strstr(old, " 31.3\n") &&
	       !strstr(old, "31.3000"), "numbers in shortest exact form (31.3, not 31.300...01)");
	tap_ok(old && strstr(old, "\"finished\": null") && strstr(old, "\"threads\": 1") &&
	       strstr(old, "\"order\": \"interleaved\"") && strstr(old, "\"module_version\": ") &&
	       strstr(old, "\"samples_ns_per_call\": ["),
	       "null written as null; threads, order, module_version, raw per-call samples");
	tap_ok(old && strstr(old, "\"list\": [\n          \"a\"") &&
	       strstr(old, "\"none\": {\n") && strstr(old, "\"nothing\": [\n") &&
	       strstr(old, "\"nodes\": {\n            \"0\": 16384"),
	       "attributes: dotted keys nest, [i] makes arrays, empty ones stay");
	{
		struct stat st;
		mode_t mask = umask(0);

		umask(mask);
		tap_ok(stat(path_in("r.json"), &st) == 0 && (st.st_mode & 0777) == (0644 & ~mask),
		       "file mode 0644 less umask");
	}

	/* A second write replaces the first. */
	result_finish(&r, true);
	tap_ok(result_write(path_in("r.json"), &r) == 0, "rewrite r.json");
	result_free(&back);
	tap_ok(result_load(path_in("r.json"), &back, err, sizeof(err)) == 0 && back.interrupted &&
	       back.finished && !strcmp(back.finished, r.finished), "rewrite visible");
	free(old);
	old = slurp(path_in("r.json"));

	test_failed_writes(&r, old);
	test_read_errors();
	test_table(&back);
	test_csv(&back);
	test_damaged_views();
	test_fixtures(argv[0]);

	/* What printers make of a file from which everything optional is gone. */
	put(path_in("bare.json"), "{\"schema\": \"gupbench-result/1\", \"cases\": [null, {}]}");
	result_free(&back);
	tap_ok(result_load(path_in("bare.json"), &back, err, sizeof(err)) == 0, "bare file reads");
	text = capture(result_print_table, &back);
	tap_ok(text && strstr(text, "kernel ?"), "bare file: table prints placeholders");
	free(text);
	text = capture(result_print_csv, &back);
	tap_ok(text && strstr(text, "\n,,,,"), "bare file: CSV rows stay empty");
	free(text);

	result_free(&back);
	result_free(&r);
	free(old);
	{
		char cmd[128];

		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
		if (system(cmd))
			printf("# could not remove %s\n", dir);
	}
	return tap_done();
}
