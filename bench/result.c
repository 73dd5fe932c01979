// SPDX-License-Identifier: GPL-2.0
/*
 * The result model (result.h): attribute lists, a result's life time, and
 * its file: written atomically, read with a size cap. The text of the file
 * is result_json.c's; the views are result_view.c's.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include "gupbench.h"
#include "util.h"
#include "result.h"
#include "stats.h"
#include "sysinfo.h"

#ifndef GUPBENCH_GIT
#define GUPBENCH_GIT "unknown"
#endif
#ifndef GUPBENCH_TARGET
#define GUPBENCH_TARGET "unknown"
#endif

/* Far beyond any real result (raw samples of a full preset are a few MB). */
#define RESULT_MAX_BYTES (1L << 30)

const char *const pin_flag_names[NR_PIN_FLAGS] = { "WRITE", "LONGTERM" };

/* A result is made of small allocations: running out of memory ends the run. */
static void *xrealloc(void *p, size_t size)
{
	p = realloc(p, size ? size : 1);
	if (!p) {
		fputs("gupbench: out of memory\n", stderr);
		exit(1);
	}
	return p;
}

static char *xstrdup(const char *s)
{
	return s ? strcpy(xrealloc(NULL, strlen(s) + 1), s) : NULL;
}

void flags_text(unsigned int flags, const char *sep, char *buf, size_t n)
{
	size_t used = 0;

	buf[0] = '\0';
	for (int i = 0; i < NR_PIN_FLAGS; i++)
		if (flags & (1u << i))
			used += snprintf(buf + used, used < n ? n - used : 0, "%s%s",
					 used ? sep : "", pin_flag_names[i]);
}

/* ---- attribute lists ---- */

/* Whether key names something inside the container named c ("a" holds "a.b", "a[0]"). */
static bool inside(const char *c, const char *key)
{
	size_t len = strlen(c);

	return !strncmp(c, key, len) && (key[len] == '.' || key[len] == '[');
}

static struct attr *attr_slot(struct attrs *a, const char *key)
{
	struct attr *at;

	for (size_t i = 0; i < a->n; i++)
		if (!strcmp(a->v[i].key, key)) {
			at = &a->v[i];
			free(at->s);
			at->s = NULL;
			return at;
		}
	/* An empty object or array gives its place to the first key under it. */
	for (size_t i = 0; i < a->n; i++) {
		at = &a->v[i];
		if ((at->type == ATTR_OBJECT || at->type == ATTR_ARRAY) && inside(at->key, key)) {
			free(at->key);
			memset(at, 0, sizeof(*at));
			at->key = xstrdup(key);
			return at;
		}
	}
	if (a->n == a->cap) {
		a->cap = a->cap ? 2 * a->cap : 8;
		a->v = xrealloc(a->v, a->cap * sizeof(*a->v));
	}
	at = &a->v[a->n++];
	memset(at, 0, sizeof(*at));
	at->key = xstrdup(key);
	return at;
}

void attrs_set_str(struct attrs *a, const char *key, const char *s)
{
	struct attr *at = attr_slot(a, key);

	at->type = s ? ATTR_STR : ATTR_NULL;
	at->s = xstrdup(s);
}

void attrs_set_int(struct attrs *a, const char *key, int64_t i)
{
	struct attr *at = attr_slot(a, key);

	at->type = ATTR_INT;
	at->i = i;
}

void attrs_set_double(struct attrs *a, const char *key, double d)
{
	struct attr *at = attr_slot(a, key);

	at->type = isfinite(d) ? ATTR_DOUBLE : ATTR_NULL;
	at->d = d;
}

void attrs_set_bool(struct attrs *a, const char *key, bool b)
{
	struct attr *at = attr_slot(a, key);

	at->type = ATTR_BOOL;
	at->b = b;
}

void attrs_set_null(struct attrs *a, const char *key)
{
	attr_slot(a, key)->type = ATTR_NULL;
}

void attrs_set_object(struct attrs *a, const char *key)
{
	attr_slot(a, key)->type = ATTR_OBJECT;
}

void attrs_set_array(struct attrs *a, const char *key)
{
	attr_slot(a, key)->type = ATTR_ARRAY;
}

static void attr_copy(struct attrs *dst, const char *key, const struct attr *src)
{
	struct attr *at = attr_slot(dst, key);
	char *k = at->key;

	*at = *src;
	at->key = k;
	at->s = xstrdup(src->s);
}

void attrs_merge(struct attrs *dst, const char *prefix, const struct attrs *src)
{
	for (size_t i = 0; i < src->n; i++) {
		char *key;

		if (!*prefix) {
			attr_copy(dst, src->v[i].key, &src->v[i]);
			continue;
		}
		key = xrealloc(NULL, strlen(prefix) + strlen(src->v[i].key) + 2);
		/* "a" + "[0].b" is "a[0].b"; "a" + "b" is "a.b" */
		sprintf(key, "%s%s%s", prefix, src->v[i].key[0] == '[' ? "" : ".", src->v[i].key);
		attr_copy(dst, key, &src->v[i]);
		free(key);
	}
}

const struct attr *attrs_get(const struct attrs *a, const char *key)
{
	for (size_t i = 0; i < a->n; i++)
		if (!strcmp(a->v[i].key, key))
			return &a->v[i];
	return NULL;
}

const char *attrs_text(const struct attrs *a, const char *key, char *buf, size_t n)
{
	const struct attr *at = attrs_get(a, key);

	if (!at)
		return NULL;
	switch (at->type) {
	case ATTR_STR:
		return at->s;
	case ATTR_INT:
		snprintf(buf, n, "%lld", (long long)at->i);
		return buf;
	case ATTR_DOUBLE:
		json_double_text(at->d, buf, n);
		return buf;
	case ATTR_BOOL:
		return at->b ? "true" : "false";
	case ATTR_OBJECT:
		return "{}";
	case ATTR_ARRAY:
		return "[]";
	case ATTR_NULL:
		break;
	}
	return "null";
}

void attrs_free(struct attrs *a)
{
	for (size_t i = 0; i < a->n; i++) {
		free(a->v[i].key);
		free(a->v[i].s);
	}
	free(a->v);
	memset(a, 0, sizeof(*a));
}

/* ---- a result's life time ---- */

static void timestamp(char **out)
{
	char ts[32];
	time_t now = time(NULL);
	struct tm tm;

	gmtime_r(&now, &tm);
	strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%SZ", &tm);
	free(*out);
	*out = xstrdup(ts);
}

int result_init(struct result *r, int argc, char **argv)
{
	memset(r, 0, sizeof(*r));
	r->schema = xstrdup(RESULT_SCHEMA);
	r->tool_version = xstrdup(GUPBENCH_VERSION);
	r->tool_git = xstrdup(GUPBENCH_GIT);
	r->tool_target = xstrdup(GUPBENCH_TARGET);
	r->nr_command = argc + 1;
	r->command = xrealloc(NULL, r->nr_command * sizeof(*r->command));
	r->command[0] = xstrdup("gupbench");
	for (int i = 0; i < argc; i++)
		r->command[i + 1] = xstrdup(argv[i]);
	r->params.cpu = r->params.mem_node = -1;
	r->params.samples = r->params.warmup = r->params.count_ops = -1;
	r->params.rounds = -1;
	sysinfo_collect(&r->env);
	timestamp(&r->started);
	return 0;
}

static void summary_unknown(struct summary *s)
{
	s->n = 0;
	s->median = s->ci_lo = s->ci_hi = s->p10 = s->p90 = NAN;
	s->min = s->max = s->mean = s->stddev = NAN;
}

static void series_init(struct series *s)
{
	memset(s, 0, sizeof(*s));
	summary_unknown(&s->per_page);
	summary_unknown(&s->per_call);
	summary_unknown(&s->single_call);
}

struct result_case *result_add_case(struct result *r)
{
	struct result_case *c;

	if (r->nr_cases == r->cap_cases) {
		size_t cap = r->cap_cases ? 2 * r->cap_cases : 16;
		struct result_case *v = realloc(r->cases, cap * sizeof(*v));

		if (!v)
			return NULL;
		r->cases = v;
		r->cap_cases = cap;
	}
	c = &r->cases[r->nr_cases++];
	memset(c, 0, sizeof(*c));
	c->threads = 1;
	c->status = CASE_UNKNOWN;
	c->samples = c->warmup = c->count_ops = -1;
	c->pages_requested_per_op = c->pages_done_per_op = c->kernel_calls_per_sample = NAN;
	series_init(&c->pin);
	series_init(&c->unpin);
	c->fallback.counted_samples = -1;
	c->fallback.counted_calls = -1;
	c->fallback.calls_per_op = c->fallback.pages_per_op = c->fallback.fraction = NAN;
	c->mmap_lock.acquisitions_per_op = NAN;
	c->mmap_lock.baseline_per_window = -1;
	c->counters_samples = -1;
	c->timer.clock_pair_ns = -1;
	c->placement_cpu = c->placement_mem_node = -1;
	c->team.scaling_efficiency = NAN;
	summary_unknown(&c->team.throughput);
	return c;
}

void series_summarize(struct series *s)
{
	if (!s->n || summarize(s->ns_per_page, s->n, &s->per_page))
		summary_unknown(&s->per_page);
	if (!s->n || !s->ns_per_call || summarize(s->ns_per_call, s->n, &s->per_call))
		summary_unknown(&s->per_call);
}

static void series_free(struct series *s)
{
	free(s->ns_per_page);
	free(s->ns_per_call);
	series_init(s);
}

void thread_result_init(struct thread_result *t)
{
	memset(t, 0, sizeof(*t));
	t->cpu_wanted = t->cpu_first = t->cpu_last = -1;
	t->mem_node_wanted = -1;
	t->placement_held = true;
	t->counted_calls = -1;
	t->fallback_calls_per_op = t->fallback_fraction = NAN;
	series_init(&t->pin);
}

void team_free(struct team_result *t)
{
	for (size_t i = 0; i < t->nr_threads; i++) {
		attrs_free(&t->thread[i].page_nodes);
		series_free(&t->thread[i].pin);
		free(t->thread[i].err_name);
		free(t->thread[i].fallback_source);
	}
	free(t->thread);
	free(t->pages_per_s);
	free(t->pages);
	free(t->window_ns);
	memset(t, 0, sizeof(*t));
	t->scaling_efficiency = NAN;
}

void result_case_free(struct result_case *c)
{
	free(c->driver);
	free(c->backing);
	free(c->state);
	free(c->op);
	free(c->gup_path);
	free(c->err_name);
	free(c->reason);
	series_free(&c->pin);
	series_free(&c->unpin);
	free(c->fallback.source);
	free(c->fallback.reason);
	free(c->mmap_lock.source);
	free(c->mmap_lock.reason);
	for (size_t i = 0; i < c->nr_counters; i++) {
		free(c->counters[i].name);
		free(c->counters[i].unsupported_errno);
	}
	free(c->counters);
	free(c->pins.source);
	free(c->pins.reason);
	attrs_free(&c->actual);
	attrs_free(&c->page_nodes);
	free(c->share);
	free(c->place);
	free(c->mem);
	free(c->contend);
	team_free(&c->team);
	memset(c, 0, sizeof(*c));
}

void env_free(struct env *e)
{
	char **strs[] = {
		&e->kernel_release, &e->kernel_version, &e->kernel_machine, &e->kernel_package,
		&e->kernel_cmdline, &e->kernel_preempt, &e->config_source, &e->config_reason,
		&e->cpu_model, &e->thp_enabled, &e->thp_defrag, &e->thp_shmem_enabled,
		&e->accelerator, &e->icount, &e->module_version, &e->hostname,
	};

	for (size_t i = 0; i < sizeof(strs) / sizeof(strs[0]); i++)
		free(*strs[i]);
	attrs_free(&e->config);
	free(e->hugetlb);
	attrs_free(&e->extra);
	clock_info_free(&e->clock);
	memset(e, 0, sizeof(*e));
}

void result_free(struct result *r)
{
	free(r->schema);
	free(r->tool_version);
	free(r->tool_git);
	free(r->tool_target);
	for (size_t i = 0; i < r->nr_command; i++)
		free(r->command[i]);
	free(r->command);
	free(r->params.preset);
	free(r->params.file_dir);
	free(r->params.order);
	env_free(&r->env);
	free(r->started);
	free(r->finished);
	for (size_t i = 0; i < r->nr_cases; i++)
		result_case_free(&r->cases[i]);
	free(r->cases);
	free(r->path);
	memset(r, 0, sizeof(*r));
}

void result_finish(struct result *r, bool interrupted)
{
	timestamp(&r->finished);
	r->interrupted = interrupted;
}

/* ---- writing ---- */

/* Same directory as path, so a reader sees the old file or the new one (write_file_atomic). */
int result_write(const char *path, const struct result *r)
{
	char *text = result_json_text(r, false), *line;
	int rc, saved;

	if (!text || asprintf(&line, "%s\n", text) < 0) {
		free(text);
		errno = ENOMEM;
		return -1;
	}
	rc = write_file_atomic(path, line, strlen(line));
	saved = errno;
	free(text);
	free(line);
	errno = saved;
	return rc;
}

/* ---- reading ---- */

static char *slurp(const char *path, size_t *len, char *err, size_t n)
{
	struct stat st;
	char *buf;
	size_t got = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0) {
		set_reason(err, n, "%s", strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		set_reason(err, n, "%s", S_ISDIR(st.st_mode) ? "is a directory" : "not a regular file");
		close(fd);
		return NULL;
	}
	if (st.st_size > RESULT_MAX_BYTES) {
		set_reason(err, n, "too large for a result file (%lld bytes)", (long long)st.st_size);
		close(fd);
		return NULL;
	}
	buf = malloc(st.st_size + 1);
	if (!buf) {
		set_reason(err, n, "out of memory");
		close(fd);
		return NULL;
	}
	while (got < (size_t)st.st_size) {
		ssize_t rd = read(fd, buf + got, st.st_size - got);

		if (rd < 0 && errno == EINTR)
			continue;
		if (rd < 0) {
			set_reason(err, n, "read: %s", strerror(errno));
			free(buf);
			close(fd);
			return NULL;
		}
		if (rd == 0)
			break;
		got += rd;
	}
	close(fd);
	buf[got] = '\0';
	*len = got;
	return buf;
}

int result_load(const char *path, struct result *r, char *err, size_t n)
{
	size_t len;
	char *buf;
	int ret;

	memset(r, 0, sizeof(*r));
	buf = slurp(path, &len, err, n);
	if (!buf)
		return -1;
	if (strspn(buf, " \t\r\n") == len) {
		set_reason(err, n, "empty file, not a gupbench result");
		free(buf);
		return -1;
	}
	ret = result_json_parse(buf, len, r, err, n);
	free(buf);
	if (ret)
		return -1;
	r->path = xstrdup(path);
	return 0;
}
