// SPDX-License-Identifier: GPL-2.0
/*
 * The result model as JSON (schema gupbench-result/2, results/README.md) and
 * back: the one place that knows the file's field names and nesting.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <json-c/json.h>
#include "gupbench.h"
#include "util.h"
#include "result.h"
#include "stats.h"

#define SCHEMA_PREFIX "gupbench-result/"
#define SCHEMA_MAJOR 2
/* /1 files still read: /2 changed what fallback.calls_per_op counts, no field's type. */
#define SCHEMA_OLDEST 1

static const char *const status_names[] = {
	[CASE_OK] = "ok", [CASE_ERROR] = "error", [CASE_SKIPPED] = "skipped",
};

/*
 * The top-level keys of "system" in the order written. A section holds the
 * typed fields of struct env first, then the extra attributes under it;
 * extras under any other key come last.
 */
static const char *const env_sections[] = {
	"kernel", "config", "cpu", "memory", "thp", "hugetlb", "sysctl", "accelerator",
	"accelerator_detail", "icount", "clock", "module_version", "module_load", "fs", "hostname",
	"libc", "compiler",
};
#define NR_ENV_SECTIONS (sizeof(env_sections) / sizeof(env_sections[0]))

/* ---- writing ---- */

static json_object *jstr(const char *s)
{
	return s ? json_object_new_string(s) : NULL;
}

/* A count where -1 means unknown. */
static json_object *jcount(int64_t v)
{
	return v >= 0 ? json_object_new_int64(v) : NULL;
}

static void add(json_object *o, const char *key, json_object *v)
{
	json_object_object_add(o, key, v);
}

static json_object *attr_json(const struct attr *at)
{
	switch (at->type) {
	case ATTR_STR:
		return jstr(at->s);
	case ATTR_INT:
		return json_object_new_int64(at->i);
	case ATTR_DOUBLE:
		return json_double(at->d);
	case ATTR_BOOL:
		return json_object_new_boolean(at->b);
	case ATTR_OBJECT:
		return json_object_new_object();
	case ATTR_ARRAY:
		return json_object_new_array();
	case ATTR_NULL:
		break;
	}
	return NULL;
}

/* One step of an attribute's path: an object key or an array index. */
struct step {
	char name[128];
	long idx;		/* -1: a key */
};

/* "cpu.nodes[1].cpus" -> cpu, nodes, [1], cpus. Returns the number of steps, -1 if bad. */
static int parse_path(const char *key, struct step *st, int max)
{
	int n = 0;

	while (*key && n < max) {
		if (*key == '[') {
			char *end;

			st[n].idx = strtol(key + 1, &end, 10);
			if (end == key + 1 || *end != ']' || st[n].idx < 0 || st[n].idx > 1 << 20)
				return -1;
			st[n].name[0] = '\0';
			key = end + 1;
		} else {
			size_t len = strcspn(key, ".[");

			if (len >= sizeof(st[n].name))
				return -1;
			memcpy(st[n].name, key, len);
			st[n].name[len] = '\0';
			st[n].idx = -1;
			key += len;
		}
		n++;
		if (*key == '.')
			key++;
	}
	return *key ? -1 : n;
}

static json_object *child(json_object *o, const struct step *st)
{
	json_object *v = NULL;

	if (st->idx < 0)
		json_object_object_get_ex(o, st->name, &v);
	else if ((size_t)st->idx < json_object_array_length(o))
		v = json_object_array_get_idx(o, st->idx);
	return v;
}

static void put(json_object *o, const struct step *st, json_object *v)
{
	if (st->idx < 0)
		json_object_object_add(o, st->name, v);
	else if (json_object_array_put_idx(o, st->idx, v))
		json_object_put(v);
}

/* Set the value of at under o, making the objects and arrays its path names. */
static void put_attr(json_object *o, const struct attr *at)
{
	struct step st[16];
	int n = parse_path(at->key, st, 16);

	if (n <= 0)
		return;
	for (int i = 0; i < n - 1; i++) {
		json_type want = st[i + 1].idx < 0 ? json_type_object : json_type_array;
		json_object *c = child(o, &st[i]);

		if (!c || !json_object_is_type(c, want)) {
			c = want == json_type_object ? json_object_new_object() :
			    json_object_new_array();
			put(o, &st[i], c);
		}
		o = c;
	}
	/* An empty container never replaces one that keys under it filled. */
	if ((at->type == ATTR_OBJECT || at->type == ATTR_ARRAY) && child(o, &st[n - 1]))
		return;
	put(o, &st[n - 1], attr_json(at));
}

/* The attributes as an object; NULL (JSON null) when there are none. */
static json_object *attrs_json(const struct attrs *a)
{
	json_object *o;

	if (!a->n)
		return NULL;
	o = json_object_new_object();
	for (size_t i = 0; i < a->n; i++)
		put_attr(o, &a->v[i]);
	return o;
}

static bool summary_known(const struct summary *s)
{
	return s->n || isfinite(s->median);
}

static json_object *samples_json(const double *v, size_t n)
{
	json_object *a = json_object_new_array();

	for (size_t i = 0; i < n; i++)
		json_object_array_add(a, json_double(v[i]));
	return a;
}

static json_object *series_json(const struct series *s)
{
	json_object *o;

	if (!s->present)
		return NULL;
	o = json_object_new_object();
	add(o, "samples_ns_per_page", samples_json(s->ns_per_page, s->n));
	if (s->ns_per_call)
		add(o, "samples_ns_per_call", samples_json(s->ns_per_call, s->n));
	if (summary_known(&s->per_page))
		add(o, "ns_per_page", summary_to_json(&s->per_page));
	if (summary_known(&s->per_call))
		add(o, "ns_per_call", summary_to_json(&s->per_call));
	if (s->has_single_call)
		add(o, "single_call_ns", summary_to_json(&s->single_call));
	return o;
}

static json_object *fallback_json(const struct fallback_count *f)
{
	json_object *o = json_object_new_object();

	add(o, "counted_samples", jcount(f->counted_samples));
	add(o, "counted_calls", jcount(f->counted_calls));
	add(o, "calls_per_op", json_double(f->calls_per_op));
	add(o, "pages_per_op", json_double(f->pages_per_op));
	add(o, "fraction", json_double(f->fraction));
	add(o, "source", jstr(f->source));
	add(o, "reason", jstr(f->reason));
	return o;
}

static json_object *mmap_lock_json(const struct mmap_lock_count *m)
{
	json_object *o = json_object_new_object();

	add(o, "acquisitions_per_op", json_double(m->acquisitions_per_op));
	add(o, "baseline_per_window", jcount(m->baseline_per_window));
	add(o, "source", jstr(m->source));
	add(o, "reason", jstr(m->reason));
	return o;
}

static json_object *timer_json(const struct timer_info *t)
{
	json_object *o = json_object_new_object();

	add(o, "clock_pair_ns", jcount(t->clock_pair_ns));
	add(o, "subtracted", json_object_new_boolean(t->subtracted));
	/* kept in the timings: a reader decides; null where the driver cannot tell */
	if (!t->disturb_known) {
		add(o, "samples_with_probe_armed", NULL);
		add(o, "calls_switched", NULL);
		add(o, "calls_migrated", NULL);
		return o;
	}
	add(o, "samples_with_probe_armed", json_object_new_int(t->samples_with_probe_armed));
	add(o, "calls_switched", json_object_new_int64(t->calls_switched));
	add(o, "calls_migrated", json_object_new_int64(t->calls_migrated));
	return o;
}

static json_object *counters_json(const struct result_case *c)
{
	json_object *o = json_object_new_object(), *errs = json_object_new_object();

	for (size_t i = 0; i < c->nr_counters; i++) {
		const struct counter_value *k = &c->counters[i];
		json_object *v;

		if (!k->supported) {
			add(o, k->name, json_object_new_string("unsupported"));
			if (k->unsupported_errno)
				add(errs, k->name, json_object_new_string(k->unsupported_errno));
			continue;
		}
		v = json_object_new_object();
		add(v, "per_call", json_double(k->per_call));
		add(v, "total", json_object_new_int64(k->total));
		if (k->scaled)
			add(v, "scaled", json_object_new_boolean(true));
		if (k->user_only)
			add(v, "user_only", json_object_new_boolean(true));
		add(o, k->name, v);
	}
	/* Why each "unsupported" one did not open (perf_event_open errno). */
	if (json_object_object_length(errs))
		add(o, "unsupported_errno", errs);
	else
		json_object_put(errs);
	/* per_call is per kernel call of the counting pass */
	add(o, "pass", json_object_new_string("counting"));
	add(o, "samples", jcount(c->counters_samples));
	return o;
}

static json_object *pins_json(const struct pins_balance *p)
{
	json_object *o = json_object_new_object();

	if (p->known) {
		add(o, "acquired", json_object_new_int64(p->acquired));
		add(o, "released", json_object_new_int64(p->released));
		add(o, "balanced", json_object_new_boolean(p->balanced));
	}
	add(o, "source", jstr(p->source));
	if (!p->known || p->reason)
		add(o, "reason", jstr(p->reason));
	return o;
}

static json_object *flags_json(unsigned int flags)
{
	json_object *a = json_object_new_array();

	for (int i = 0; i < NR_PIN_FLAGS; i++)
		if (flags & (1u << i))
			json_object_array_add(a, json_object_new_string(pin_flag_names[i]));
	return a;
}

static json_object *thread_json(const struct thread_result *t)
{
	json_object *o = json_object_new_object(), *fb = json_object_new_object();

	add(o, "cpu_wanted", jcount(t->cpu_wanted));
	add(o, "cpu_first", jcount(t->cpu_first));
	add(o, "cpu_last", jcount(t->cpu_last));
	add(o, "samples_moved", json_object_new_int(t->samples_moved));
	add(o, "placement_held", json_object_new_boolean(t->placement_held));
	add(o, "mem_node_wanted", t->mem_node_wanted == -2 ? json_object_new_string("interleave") :
	    jcount(t->mem_node_wanted));
	add(o, "page_nodes", t->page_nodes.n ? attrs_json(&t->page_nodes) : NULL);
	add(o, "pin", series_json(&t->pin));
	add(o, "errors", json_object_new_int(t->errors));
	add(o, "errno", jstr(t->err_name));
	add(o, "pages_done_per_op", json_double(t->pages_done_per_op));
	add(fb, "counted_calls", jcount(t->counted_calls));
	add(fb, "calls_per_op", json_double(t->fallback_calls_per_op));
	add(fb, "fraction", json_double(t->fallback_fraction));
	add(fb, "source", jstr(t->fallback_source));
	add(o, "fallback", fb);
	return o;
}

static json_object *team_json(const struct team_result *t)
{
	json_object *o = json_object_new_object(), *th = json_object_new_array();

	for (size_t i = 0; i < t->nr_threads; i++)
		json_object_array_add(th, thread_json(&t->thread[i]));
	add(o, "per_thread", th);
	add(o, "samples_pages_per_s", samples_json(t->pages_per_s, t->n));
	add(o, "samples_pages", samples_json(t->pages, t->n));
	add(o, "samples_window_ns", samples_json(t->window_ns, t->n));
	add(o, "pages_per_s", summary_known(&t->throughput) ?
	    summary_to_json(&t->throughput) : NULL);
	add(o, "scaling_efficiency", json_double(t->scaling_efficiency));
	add(o, "placement_held", json_object_new_boolean(t->placement_held));
	if (t->has_contender) {
		json_object *c = json_object_new_object();

		add(c, "threads", json_object_new_int(t->contender_threads));
		add(c, "ops", json_object_new_int64(t->contender_ops));
		add(c, "seconds", json_double(t->contender_seconds));
		add(c, "ops_per_s", json_double(t->contender_ops_per_s));
		add(o, "contender", c);
	}
	return o;
}

static json_object *case_json(const struct result_case *c)
{
	json_object *o = json_object_new_object();

	add(o, "driver", jstr(c->driver));
	add(o, "backing", jstr(c->backing));
	add(o, "state", jstr(c->state));
	add(o, "op", jstr(c->op));
	add(o, "flags", flags_json(c->flags));
	add(o, "size_bytes", c->size_bytes ? json_object_new_int64(c->size_bytes) : NULL);
	add(o, "pages", c->size_bytes || c->pages ? json_object_new_int64(c->pages) : NULL);
	add(o, "threads", json_object_new_int(c->threads));
	/* absent: the defaults (private, none), as files before teams */
	if (c->share)
		add(o, "share", jstr(c->share));
	if (c->place)
		add(o, "place", jstr(c->place));
	if (c->mem)
		add(o, "mem", jstr(c->mem));
	if (c->contend)
		add(o, "contend", jstr(c->contend));
	add(o, "gup_path", jstr(c->gup_path));
	add(o, "samples", jcount(c->samples));
	add(o, "warmup", jcount(c->warmup));
	add(o, "count_ops", jcount(c->count_ops));
	if (c->has_run) {
		add(o, "backing_actual", attrs_json(&c->actual));
		add(o, "warm_bytes", json_object_new_int64(c->warm_bytes));
	}
	add(o, "status", c->status == CASE_UNKNOWN ? NULL :
	    json_object_new_string(status_names[c->status]));
	add(o, "errno", jstr(c->err_name));
	add(o, "reason", jstr(c->reason));
	if (c->has_run) {
		add(o, "errors", json_object_new_int(c->errors));
		add(o, "pages_requested_per_op", json_double(c->pages_requested_per_op));
		add(o, "pages_done_per_op", json_double(c->pages_done_per_op));
		/* as the driver made the calls; null when none was made */
		add(o, "pages_per_call",
		    c->pages_per_call ? json_object_new_int64(c->pages_per_call) : NULL);
		add(o, "kernel_calls_per_sample", json_double(c->kernel_calls_per_sample));
		add(o, "pin", series_json(&c->pin));
		add(o, "unpin", series_json(&c->unpin));
		add(o, "fallback", fallback_json(&c->fallback));
		add(o, "mmap_lock", mmap_lock_json(&c->mmap_lock));
		add(o, "timer", timer_json(&c->timer));
		add(o, "counters", counters_json(c));
		add(o, "pins", pins_json(&c->pins));
	} else if (c->pages_per_call) {
		add(o, "pages_per_call", json_object_new_int64(c->pages_per_call));
	}
	if (c->has_placement) {
		json_object *p = json_object_new_object();

		add(p, "cpu", json_object_new_int(c->placement_cpu));
		add(p, "mem_node", json_object_new_int(c->placement_mem_node));
		add(p, "page_nodes", attrs_json(&c->page_nodes));
		add(o, "placement", p);
	}
	if (c->team.present)
		add(o, "team", team_json(&c->team));
	if (c->interrupted)
		add(o, "interrupted", json_object_new_boolean(true));
	return o;
}

/* null when not known (a result loaded from a file older than the field). */
static json_object *clock_json(const struct clock_info *c)
{
	json_object *o;

	if (!clock_info_known(c))
		return NULL;
	o = json_object_new_object();
	add(o, "clocksource", jstr(c->clocksource));
	/* a frequency in whole Hz, as the register holds it */
	add(o, "counter_hz", c->counter_hz > 0 ? json_object_new_int64(llround(c->counter_hz)) :
	    NULL);
	add(o, "resolution_ns", c->resolution_ns > 0 ? json_double(c->resolution_ns) : NULL);
	add(o, "resolution_source", jstr(c->resolution_source));
	return o;
}

/* The typed fields of one section of "system" into sys. */
static void env_section_json(json_object *sys, const struct env *e, const char *sec)
{
	json_object *o;

	if (!strcmp(sec, "kernel")) {
		o = json_object_new_object();
		add(o, "release", jstr(e->kernel_release));
		add(o, "version", jstr(e->kernel_version));
		add(o, "machine", jstr(e->kernel_machine));
		add(o, "package", jstr(e->kernel_package));
		add(o, "cmdline", jstr(e->kernel_cmdline));
		add(o, "preempt", jstr(e->kernel_preempt));
		add(sys, sec, o);
	} else if (!strcmp(sec, "config")) {
		o = json_object_new_object();
		add(o, "source", jstr(e->config_source));
		if (e->config_reason)
			add(o, "reason", jstr(e->config_reason));
		for (size_t i = 0; i < e->config.n; i++)
			put_attr(o, &e->config.v[i]);
		add(sys, sec, o);
	} else if (!strcmp(sec, "cpu")) {
		o = json_object_new_object();
		add(o, "model", jstr(e->cpu_model));
		add(o, "cpus", jcount(e->cpus));
		add(o, "numa_nodes", jcount(e->numa_nodes));
		add(sys, sec, o);
	} else if (!strcmp(sec, "thp")) {
		o = json_object_new_object();
		add(o, "enabled", jstr(e->thp_enabled));
		add(o, "defrag", jstr(e->thp_defrag));
		add(o, "shmem_enabled", jstr(e->thp_shmem_enabled));
		add(sys, sec, o);
	} else if (!strcmp(sec, "hugetlb")) {
		o = json_object_new_object();
		for (size_t i = 0; i < e->nr_hugetlb; i++) {
			const struct hugetlb_pool *p = &e->hugetlb[i];
			json_object *s = json_object_new_object();
			char key[32];

			add(s, "nr", jcount(p->nr));
			add(s, "free", jcount(p->free));
			add(s, "resv", jcount(p->resv));
			add(s, "surplus", jcount(p->surplus));
			snprintf(key, sizeof(key), "%ldkB", p->size_kb);
			add(o, key, s);
		}
		add(sys, sec, o);
	} else if (!strcmp(sec, "accelerator")) {
		add(sys, sec, jstr(e->accelerator));
	} else if (!strcmp(sec, "icount")) {
		add(sys, sec, jstr(e->icount));
	} else if (!strcmp(sec, "clock")) {
		add(sys, sec, clock_json(&e->clock));
	} else if (!strcmp(sec, "module_version")) {
		add(sys, sec, jstr(e->module_version));
	} else if (!strcmp(sec, "hostname")) {
		add(sys, sec, jstr(e->hostname));
	}
}

static bool in_section(const char *key, const char *sec)
{
	size_t len = strlen(sec);

	return !strncmp(key, sec, len) && (!key[len] || key[len] == '.' || key[len] == '[');
}

json_object *result_env_json(const struct env *e)
{
	json_object *sys = json_object_new_object();

	for (size_t s = 0; s < NR_ENV_SECTIONS; s++) {
		env_section_json(sys, e, env_sections[s]);
		for (size_t i = 0; i < e->extra.n; i++)
			if (in_section(e->extra.v[i].key, env_sections[s]))
				put_attr(sys, &e->extra.v[i]);
	}
	for (size_t i = 0; i < e->extra.n; i++) {
		size_t s;

		for (s = 0; s < NR_ENV_SECTIONS; s++)
			if (in_section(e->extra.v[i].key, env_sections[s]))
				break;
		if (s == NR_ENV_SECTIONS)
			put_attr(sys, &e->extra.v[i]);
	}
	return sys;
}

static json_object *params_json(const struct run_params *p)
{
	json_object *o = json_object_new_object();

	add(o, "preset", jstr(p->preset));
	add(o, "size_bytes", p->size_bytes ? json_object_new_int64(p->size_bytes) : NULL);
	add(o, "samples", jcount(p->samples));
	add(o, "warmup", jcount(p->warmup));
	add(o, "count_ops", jcount(p->count_ops));
	add(o, "file_dir", jstr(p->file_dir));
	add(o, "cpu", json_object_new_int(p->cpu));
	add(o, "mem_node", json_object_new_int(p->mem_node));
	add(o, "order", jstr(p->order));
	add(o, "rounds", jcount(p->rounds));
	return o;
}

static json_object *result_json(const struct result *r)
{
	json_object *root = json_object_new_object(), *tool = json_object_new_object();
	json_object *cmd = json_object_new_array(), *cases = json_object_new_array();

	add(root, "schema", jstr(r->schema ? r->schema : RESULT_SCHEMA));
	add(tool, "name", json_object_new_string("gupbench"));
	add(tool, "version", jstr(r->tool_version));
	add(tool, "git", jstr(r->tool_git));
	add(tool, "target", jstr(r->tool_target));
	add(root, "tool", tool);
	for (size_t i = 0; i < r->nr_command; i++)
		json_object_array_add(cmd, jstr(r->command[i]));
	add(root, "command", cmd);
	add(root, "system", result_env_json(&r->env));
	add(root, "started", jstr(r->started));
	add(root, "finished", jstr(r->finished));
	add(root, "interrupted", json_object_new_boolean(r->interrupted));
	for (size_t i = 0; i < r->nr_cases; i++)
		json_object_array_add(cases, case_json(&r->cases[i]));
	add(root, "cases", cases);
	add(root, "parameters", params_json(&r->params));
	return root;
}

char *result_json_text(const struct result *r, bool plain)
{
	json_object *root = result_json(r);
	const char *text;
	char *out;

	/* run's stdout has always been json-c's plain pretty print: scripts may compare it */
	text = json_object_to_json_string_ext(root, plain ? JSON_C_TO_STRING_PRETTY :
					      JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
					      JSON_C_TO_STRING_NOSLASHESCAPE);
	out = text ? strdup(text) : NULL;
	json_object_put(root);
	return out;
}

void result_print_json(FILE *f, const struct result *r)
{
	char *text = result_json_text(r, false);

	fprintf(f, "%s\n", text ? text : "null");
	free(text);
}

void result_print_json_plain(FILE *f, const struct result *r)
{
	char *text = result_json_text(r, true);

	fprintf(f, "%s\n", text ? text : "null");
	free(text);
}

/* ---- reading ---- */

/*
 * The reader: a value that is null or absent is unknown and fine; one of
 * another type makes the file damaged, and the first such says why.
 */
struct rd {
	char *err;
	size_t n;
	bool bad;
};

static void damaged(struct rd *rd, const char *at, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void damaged(struct rd *rd, const char *at, const char *key, const char *fmt, ...)
{
	char what[160];
	va_list ap;

	if (rd->bad)
		return;
	rd->bad = true;
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	set_reason(rd->err, rd->n, "damaged result: %s%s%s %s", at, *at && *key ? "." : "", key,
		   what);
}

/* o's member key, NULL when absent or null (or o is no object). */
static json_object *member(json_object *o, const char *key)
{
	json_object *v = NULL;

	if (o && json_object_is_type(o, json_type_object))
		json_object_object_get_ex(o, key, &v);
	return v;
}

static json_object *get_typed(struct rd *rd, json_object *o, const char *at, const char *key,
			      json_type t, const char *what)
{
	json_object *v = member(o, key);

	if (v && !json_object_is_type(v, t)) {
		damaged(rd, at, key, "is not %s", what);
		return NULL;
	}
	return v;
}

static json_object *get_obj(struct rd *rd, json_object *o, const char *at, const char *key)
{
	return get_typed(rd, o, at, key, json_type_object, "an object");
}

static json_object *get_arr(struct rd *rd, json_object *o, const char *at, const char *key)
{
	return get_typed(rd, o, at, key, json_type_array, "an array");
}

static void get_str(struct rd *rd, json_object *o, const char *at, const char *key, char **out)
{
	json_object *v = get_typed(rd, o, at, key, json_type_string, "a string");

	if (v)
		*out = strdup(json_object_get_string(v));
}

static void get_bool(struct rd *rd, json_object *o, const char *at, const char *key, bool *out)
{
	json_object *v = get_typed(rd, o, at, key, json_type_boolean, "true or false");

	if (v)
		*out = json_object_get_boolean(v);
}

static bool is_number(json_object *v)
{
	return json_object_is_type(v, json_type_int) || json_object_is_type(v, json_type_double);
}

/* A number; true when one was there. */
static bool get_double(struct rd *rd, json_object *o, const char *at, const char *key,
		       double *out)
{
	json_object *v = member(o, key);

	if (!v)
		return false;
	if (!is_number(v)) {
		damaged(rd, at, key, "is not a number");
		return false;
	}
	*out = json_object_get_double(v);
	return true;
}

/* An integer (a double only when whole); true when one was there. */
static bool get_int64(struct rd *rd, json_object *o, const char *at, const char *key,
		      int64_t *out)
{
	json_object *v = member(o, key);
	double d;

	if (!v)
		return false;
	if (json_object_is_type(v, json_type_int)) {
		*out = json_object_get_int64(v);
		return true;
	}
	d = is_number(v) ? json_object_get_double(v) : NAN;
	if (!(d == floor(d) && fabs(d) < 9e18)) {
		damaged(rd, at, key, "is not an integer");
		return false;
	}
	*out = (int64_t)d;
	return true;
}

static void get_int(struct rd *rd, json_object *o, const char *at, const char *key, int *out)
{
	int64_t v;

	if (!get_int64(rd, o, at, key, &v))
		return;
	if (v < INT32_MIN || v > INT32_MAX)
		damaged(rd, at, key, "is out of range");
	else
		*out = (int)v;
}

static void get_u64(struct rd *rd, json_object *o, const char *at, const char *key,
		    uint64_t *out)
{
	int64_t v;

	if (!get_int64(rd, o, at, key, &v))
		return;
	if (v < 0)
		damaged(rd, at, key, "is negative");
	else
		*out = (uint64_t)v;
}

/* Every scalar under v into a, keyed by its path from key ("" at the top). */
static void flatten(json_object *v, const char *key, struct attrs *a)
{
	char *k;

	switch (json_object_get_type(v)) {
	case json_type_object:
		if (!json_object_object_length(v)) {
			if (*key)
				attrs_set_object(a, key);
			break;
		}
		json_object_object_foreach(v, name, val) {
			if (asprintf(&k, "%s%s%s", key, *key ? "." : "", name) < 0)
				continue;
			flatten(val, k, a);
			free(k);
		}
		break;
	case json_type_array:
		if (!json_object_array_length(v)) {
			if (*key)
				attrs_set_array(a, key);
			break;
		}
		for (size_t i = 0; i < json_object_array_length(v); i++) {
			if (asprintf(&k, "%s[%zu]", key, i) < 0)
				continue;
			flatten(json_object_array_get_idx(v, i), k, a);
			free(k);
		}
		break;
	case json_type_string:
		attrs_set_str(a, key, json_object_get_string(v));
		break;
	case json_type_int:
		attrs_set_int(a, key, json_object_get_int64(v));
		break;
	case json_type_double:
		attrs_set_double(a, key, json_object_get_double(v));
		break;
	case json_type_boolean:
		attrs_set_bool(a, key, json_object_get_boolean(v));
		break;
	case json_type_null:
		if (*key)
			attrs_set_null(a, key);
		break;
	}
}

/* An attribute that is a typed field of struct env: a string, or NULL when null. */
static bool env_str(struct rd *rd, const struct attr *at, const char *key, char **out)
{
	if (strcmp(at->key, key))
		return false;
	if (at->type == ATTR_STR)
		*out = strdup(at->s);
	else if (at->type != ATTR_NULL)
		damaged(rd, "system", key, "is not a string");
	return true;
}

static bool env_int(struct rd *rd, const struct attr *at, const char *key, int *out)
{
	if (strcmp(at->key, key))
		return false;
	if (at->type == ATTR_INT && at->i >= INT32_MIN && at->i <= INT32_MAX)
		*out = (int)at->i;
	else if (at->type != ATTR_NULL)
		damaged(rd, "system", key, "is not an integer");
	return true;
}

/* A figure of struct env: a number, NAN when null. */
static bool env_double(struct rd *rd, const struct attr *at, const char *key, double *out)
{
	if (strcmp(at->key, key))
		return false;
	if (at->type == ATTR_INT)
		*out = (double)at->i;
	else if (at->type == ATTR_DOUBLE)
		*out = at->d;
	else if (at->type != ATTR_NULL)
		damaged(rd, "system", key, "is not a number");
	return true;
}

/* "hugetlb.2048kB.nr": that pool's count, the pool made on first sight. */
static bool env_hugetlb(struct rd *rd, struct env *e, const struct attr *at)
{
	static const char *const fields[] = { "nr", "free", "resv", "surplus" };
	struct hugetlb_pool *p = NULL, *v;
	char field[16] = "";
	long kb;
	int end = 0;

	if (strncmp(at->key, "hugetlb.", 8))
		return false;
	if (sscanf(at->key, "hugetlb.%ldkB%n", &kb, &end) != 1 ||
	    (at->key[end] && sscanf(at->key + end, ".%15s", field) != 1))
		return false;
	for (size_t i = 0; i < e->nr_hugetlb; i++)
		if (e->hugetlb[i].size_kb == kb)
			p = &e->hugetlb[i];
	if (!p) {
		v = realloc(e->hugetlb, (e->nr_hugetlb + 1) * sizeof(*v));
		if (!v)
			return false;
		e->hugetlb = v;
		p = &v[e->nr_hugetlb++];
		*p = (struct hugetlb_pool){ kb, -1, -1, -1, -1 };
	}
	if (!field[0])
		return true;	/* {} */
	for (int i = 0; i < 4; i++) {
		long *out = i == 0 ? &p->nr : i == 1 ? &p->free : i == 2 ? &p->resv : &p->surplus;

		if (strcmp(field, fields[i]))
			continue;
		if (at->type == ATTR_INT)
			*out = (long)at->i;
		else if (at->type != ATTR_NULL)
			damaged(rd, "system", at->key, "is not an integer");
		return true;
	}
	return false;
}

static void env_from_json(struct rd *rd, json_object *sys, struct env *e)
{
	static const char *const objects[] = { "kernel", "config", "cpu", "thp", "hugetlb",
					       "clock" };
	struct attrs all = { 0 };

	e->cpus = e->numa_nodes = -1;
	/* absent in files older than it */
	e->clock.counter_hz = e->clock.resolution_ns = NAN;
	if (!sys)
		return;
	for (size_t i = 0; i < sizeof(objects) / sizeof(objects[0]); i++)
		get_obj(rd, sys, "system", objects[i]);
	flatten(sys, "", &all);
	for (size_t i = 0; i < all.n && !rd->bad; i++) {
		const struct attr *at = &all.v[i];

		if (env_str(rd, at, "kernel.release", &e->kernel_release) ||
		    env_str(rd, at, "kernel.version", &e->kernel_version) ||
		    env_str(rd, at, "kernel.machine", &e->kernel_machine) ||
		    env_str(rd, at, "kernel.package", &e->kernel_package) ||
		    env_str(rd, at, "kernel.cmdline", &e->kernel_cmdline) ||
		    env_str(rd, at, "kernel.preempt", &e->kernel_preempt) ||
		    env_str(rd, at, "config.source", &e->config_source) ||
		    env_str(rd, at, "config.reason", &e->config_reason) ||
		    env_str(rd, at, "cpu.model", &e->cpu_model) ||
		    env_int(rd, at, "cpu.cpus", &e->cpus) ||
		    env_int(rd, at, "cpu.numa_nodes", &e->numa_nodes) ||
		    env_str(rd, at, "thp.enabled", &e->thp_enabled) ||
		    env_str(rd, at, "thp.defrag", &e->thp_defrag) ||
		    env_str(rd, at, "thp.shmem_enabled", &e->thp_shmem_enabled) ||
		    env_str(rd, at, "accelerator", &e->accelerator) ||
		    env_str(rd, at, "icount", &e->icount) ||
		    env_str(rd, at, "module_version", &e->module_version) ||
		    env_str(rd, at, "hostname", &e->hostname) ||
		    env_str(rd, at, "clock.clocksource", &e->clock.clocksource) ||
		    env_double(rd, at, "clock.counter_hz", &e->clock.counter_hz) ||
		    env_double(rd, at, "clock.resolution_ns", &e->clock.resolution_ns) ||
		    env_str(rd, at, "clock.resolution_source", &e->clock.resolution_source) ||
		    env_hugetlb(rd, e, at))
			continue;
		if (!strcmp(at->key, "kernel") || !strcmp(at->key, "cpu") ||
		    !strcmp(at->key, "thp") || !strcmp(at->key, "hugetlb") ||
		    !strcmp(at->key, "config") || !strcmp(at->key, "clock"))
			continue;	/* {}: the section is written anyway; clock: null */
		if (!strncmp(at->key, "config.", 7)) {
			struct attr copy = *at;

			copy.key = at->key + 7;
			attrs_merge(&e->config, "", &(struct attrs){ .v = &copy, .n = 1 });
			continue;
		}
		attrs_merge(&e->extra, "", &(struct attrs){ .v = (struct attr *)at, .n = 1 });
	}
	attrs_free(&all);
}

static void summary_from_json(struct rd *rd, json_object *o, const char *at, struct summary *s)
{
	json_object *ci;
	int64_t n = 0;

	if (!o)
		return;
	get_double(rd, o, at, "median", &s->median);
	get_double(rd, o, at, "p10", &s->p10);
	get_double(rd, o, at, "p90", &s->p90);
	get_double(rd, o, at, "min", &s->min);
	get_double(rd, o, at, "max", &s->max);
	get_double(rd, o, at, "mean", &s->mean);
	get_double(rd, o, at, "stddev", &s->stddev);
	if (get_int64(rd, o, at, "n", &n) && n >= 0)
		s->n = (size_t)n;
	/* A ci95 that is not a [lo, hi] pair of numbers is unknown, not guessed. */
	ci = get_arr(rd, o, at, "ci95");
	if (ci && json_object_array_length(ci) == 2 &&
	    json_object_array_get_idx(ci, 0) && is_number(json_object_array_get_idx(ci, 0)) &&
	    json_object_array_get_idx(ci, 1) && is_number(json_object_array_get_idx(ci, 1))) {
		s->ci_lo = json_object_get_double(json_object_array_get_idx(ci, 0));
		s->ci_hi = json_object_get_double(json_object_array_get_idx(ci, 1));
	}
}

/* An array of numbers (null: NaN) into a new array of n doubles. */
static double *samples_from_json(struct rd *rd, json_object *a, const char *at, const char *key,
				 size_t *n)
{
	double *v;

	*n = json_object_array_length(a);
	v = calloc(*n ? *n : 1, sizeof(*v));
	if (!v) {
		damaged(rd, at, key, "does not fit in memory");
		return NULL;
	}
	for (size_t i = 0; i < *n; i++) {
		json_object *x = json_object_array_get_idx(a, i);

		if (x && !is_number(x)) {
			damaged(rd, at, key, "holds something other than numbers");
			break;
		}
		v[i] = x ? json_object_get_double(x) : NAN;
	}
	return v;
}

static void series_from_json(struct rd *rd, json_object *c, const char *cat, const char *key,
			     struct series *s)
{
	json_object *o = get_obj(rd, c, cat, key), *raw;
	char at[64];
	size_t n;

	if (!o)
		return;
	snprintf(at, sizeof(at), "%s.%s", cat, key);
	s->present = true;
	raw = get_arr(rd, o, at, "samples_ns_per_page");
	if (raw)
		s->ns_per_page = samples_from_json(rd, raw, at, "samples_ns_per_page", &s->n);
	raw = get_arr(rd, o, at, "samples_ns_per_call");
	if (raw) {
		s->ns_per_call = samples_from_json(rd, raw, at, "samples_ns_per_call", &n);
		if (n != s->n)
			damaged(rd, at, "samples_ns_per_call", "has %zu samples, not %zu", n, s->n);
	}
	summary_from_json(rd, get_obj(rd, o, at, "ns_per_page"), at, &s->per_page);
	summary_from_json(rd, get_obj(rd, o, at, "ns_per_call"), at, &s->per_call);
	if (get_obj(rd, o, at, "single_call_ns")) {
		s->has_single_call = true;
		summary_from_json(rd, member(o, "single_call_ns"), at, &s->single_call);
	}
}

static void counters_from_json(struct rd *rd, json_object *o, const char *at,
			       struct result_case *c)
{
	json_object *errs = get_obj(rd, o, at, "unsupported_errno");
	size_t n = 0;

	get_int(rd, o, at, "samples", &c->counters_samples);
	c->counters = calloc(json_object_object_length(o) + 1, sizeof(*c->counters));
	if (!c->counters) {
		damaged(rd, at, "", "does not fit in memory");
		return;
	}
	json_object_object_foreach(o, name, val) {
		struct counter_value *k = &c->counters[n];
		char kat[96];

		if (!strcmp(name, "unsupported_errno") || !strcmp(name, "pass") ||
		    !strcmp(name, "samples") || !val)
			continue;
		k->name = strdup(name);
		k->per_call = NAN;
		n++;
		if (json_object_is_type(val, json_type_string)) {
			get_str(rd, errs, at, name, &k->unsupported_errno);
			continue;
		}
		if (!json_object_is_type(val, json_type_object)) {
			damaged(rd, at, name, "is neither a counter nor \"unsupported\"");
			break;
		}
		snprintf(kat, sizeof(kat), "%s.%s", at, name);
		k->supported = true;
		get_double(rd, val, kat, "per_call", &k->per_call);
		get_int64(rd, val, kat, "total", &k->total);
		get_bool(rd, val, kat, "scaled", &k->scaled);
		get_bool(rd, val, kat, "user_only", &k->user_only);
	}
	c->nr_counters = n;
}

static void flags_from_json(struct rd *rd, json_object *c, const char *at, unsigned int *out)
{
	json_object *a = get_arr(rd, c, at, "flags");

	for (size_t i = 0; a && i < json_object_array_length(a); i++) {
		json_object *f = json_object_array_get_idx(a, i);
		int b;

		for (b = 0; b < NR_PIN_FLAGS; b++)
			if (f && json_object_is_type(f, json_type_string) &&
			    !strcmp(json_object_get_string(f), pin_flag_names[b]))
				break;
		if (b == NR_PIN_FLAGS) {
			damaged(rd, at, "flags", "holds an unknown flag (%.32s)",
				f ? json_object_get_string(f) : "null");
			return;
		}
		*out |= 1u << b;
	}
}

static void thread_from_json(struct rd *rd, json_object *o, const char *at,
			     struct thread_result *t)
{
	json_object *v;
	char sub[160];

	thread_result_init(t);
	get_int(rd, o, at, "cpu_wanted", &t->cpu_wanted);
	get_int(rd, o, at, "cpu_first", &t->cpu_first);
	get_int(rd, o, at, "cpu_last", &t->cpu_last);
	get_int(rd, o, at, "samples_moved", &t->samples_moved);
	get_bool(rd, o, at, "placement_held", &t->placement_held);
	v = member(o, "mem_node_wanted");
	if (v && json_object_is_type(v, json_type_string))
		t->mem_node_wanted = -2;
	else
		get_int(rd, o, at, "mem_node_wanted", &t->mem_node_wanted);
	v = get_obj(rd, o, at, "page_nodes");
	if (v)
		flatten(v, "", &t->page_nodes);
	series_from_json(rd, o, at, "pin", &t->pin);
	get_int(rd, o, at, "errors", &t->errors);
	get_str(rd, o, at, "errno", &t->err_name);
	get_double(rd, o, at, "pages_done_per_op", &t->pages_done_per_op);
	v = get_obj(rd, o, at, "fallback");
	snprintf(sub, sizeof(sub), "%s.fallback", at);
	get_int64(rd, v, sub, "counted_calls", &t->counted_calls);
	get_double(rd, v, sub, "calls_per_op", &t->fallback_calls_per_op);
	get_double(rd, v, sub, "fraction", &t->fallback_fraction);
	get_str(rd, v, sub, "source", &t->fallback_source);
}

static void team_from_json(struct rd *rd, json_object *o, const char *at, struct team_result *t)
{
	json_object *a = get_arr(rd, o, at, "per_thread"), *v;
	char sub[128];

	t->present = true;
	if (a && json_object_array_length(a)) {
		t->thread = calloc(json_object_array_length(a), sizeof(*t->thread));
		if (!t->thread) {
			damaged(rd, at, "per_thread", "does not fit in memory");
			return;
		}
		for (size_t i = 0; i < json_object_array_length(a); i++) {
			json_object *e = json_object_array_get_idx(a, i);

			snprintf(sub, sizeof(sub), "%s.per_thread[%zu]", at, i);
			t->nr_threads++;
			if (!e || !json_object_is_type(e, json_type_object)) {
				thread_result_init(&t->thread[i]);
				damaged(rd, sub, "", "is not an object");
				return;
			}
			thread_from_json(rd, e, sub, &t->thread[i]);
		}
	}
	v = get_arr(rd, o, at, "samples_pages_per_s");
	if (v)
		t->pages_per_s = samples_from_json(rd, v, at, "samples_pages_per_s", &t->n);
	for (int k = 0; k < 2; k++) {
		const char *key = k ? "samples_window_ns" : "samples_pages";
		double **out = k ? &t->window_ns : &t->pages;
		size_t m;

		v = get_arr(rd, o, at, key);
		if (!v)
			continue;
		*out = samples_from_json(rd, v, at, key, &m);
		if (m != t->n)
			damaged(rd, at, key, "has %zu samples, not %zu", m, t->n);
	}
	summary_from_json(rd, get_obj(rd, o, at, "pages_per_s"), at, &t->throughput);
	get_double(rd, o, at, "scaling_efficiency", &t->scaling_efficiency);
	get_bool(rd, o, at, "placement_held", &t->placement_held);
	v = get_obj(rd, o, at, "contender");
	snprintf(sub, sizeof(sub), "%s.contender", at);
	if (v) {
		t->has_contender = true;
		get_int(rd, v, sub, "threads", &t->contender_threads);
		get_int64(rd, v, sub, "ops", &t->contender_ops);
		get_double(rd, v, sub, "seconds", &t->contender_seconds);
		get_double(rd, v, sub, "ops_per_s", &t->contender_ops_per_s);
	}
}

static void case_from_json(struct rd *rd, json_object *o, const char *at, struct result_case *c)
{
	static const char *const run_keys[] = {
		"backing_actual", "warm_bytes", "errors", "pin", "fallback", "counters", "pins",
	};
	json_object *v;
	char *status = NULL;
	char sub[64];

	get_str(rd, o, at, "driver", &c->driver);
	get_str(rd, o, at, "backing", &c->backing);
	get_str(rd, o, at, "state", &c->state);
	get_str(rd, o, at, "op", &c->op);
	flags_from_json(rd, o, at, &c->flags);
	get_u64(rd, o, at, "size_bytes", &c->size_bytes);
	get_u64(rd, o, at, "pages", &c->pages);
	get_u64(rd, o, at, "pages_per_call", &c->pages_per_call);
	get_int(rd, o, at, "threads", &c->threads);
	get_str(rd, o, at, "share", &c->share);
	get_str(rd, o, at, "place", &c->place);
	get_str(rd, o, at, "mem", &c->mem);
	get_str(rd, o, at, "contend", &c->contend);
	get_str(rd, o, at, "gup_path", &c->gup_path);
	get_int(rd, o, at, "samples", &c->samples);
	get_int(rd, o, at, "warmup", &c->warmup);
	get_int(rd, o, at, "count_ops", &c->count_ops);
	get_str(rd, o, at, "status", &status);
	for (int i = 0; status && i <= CASE_SKIPPED; i++)
		if (!strcmp(status, status_names[i]))
			c->status = i;
	if (status && c->status == CASE_UNKNOWN)
		damaged(rd, at, "status", "is \"%.32s\", not ok, error or skipped", status);
	free(status);
	get_str(rd, o, at, "errno", &c->err_name);
	get_str(rd, o, at, "reason", &c->reason);

	for (size_t i = 0; i < sizeof(run_keys) / sizeof(run_keys[0]); i++)
		c->has_run |= member(o, run_keys[i]) != NULL;
	get_u64(rd, o, at, "warm_bytes", &c->warm_bytes);
	v = get_obj(rd, o, at, "backing_actual");
	if (v)
		flatten(v, "", &c->actual);
	get_int(rd, o, at, "errors", &c->errors);
	get_double(rd, o, at, "pages_requested_per_op", &c->pages_requested_per_op);
	get_double(rd, o, at, "pages_done_per_op", &c->pages_done_per_op);
	get_double(rd, o, at, "kernel_calls_per_sample", &c->kernel_calls_per_sample);
	series_from_json(rd, o, at, "pin", &c->pin);
	series_from_json(rd, o, at, "unpin", &c->unpin);

	v = get_obj(rd, o, at, "fallback");
	snprintf(sub, sizeof(sub), "%s.fallback", at);
	get_int(rd, v, sub, "counted_samples", &c->fallback.counted_samples);
	get_int64(rd, v, sub, "counted_calls", &c->fallback.counted_calls);
	get_double(rd, v, sub, "calls_per_op", &c->fallback.calls_per_op);
	get_double(rd, v, sub, "pages_per_op", &c->fallback.pages_per_op);
	get_double(rd, v, sub, "fraction", &c->fallback.fraction);
	get_str(rd, v, sub, "source", &c->fallback.source);
	get_str(rd, v, sub, "reason", &c->fallback.reason);

	v = get_obj(rd, o, at, "mmap_lock");
	snprintf(sub, sizeof(sub), "%s.mmap_lock", at);
	get_double(rd, v, sub, "acquisitions_per_op", &c->mmap_lock.acquisitions_per_op);
	get_int64(rd, v, sub, "baseline_per_window", &c->mmap_lock.baseline_per_window);
	get_str(rd, v, sub, "source", &c->mmap_lock.source);
	get_str(rd, v, sub, "reason", &c->mmap_lock.reason);

	v = get_obj(rd, o, at, "timer");
	snprintf(sub, sizeof(sub), "%s.timer", at);
	get_int64(rd, v, sub, "clock_pair_ns", &c->timer.clock_pair_ns);
	get_bool(rd, v, sub, "subtracted", &c->timer.subtracted);
	c->timer.disturb_known = member(v, "samples_with_probe_armed") != NULL;
	get_int(rd, v, sub, "samples_with_probe_armed", &c->timer.samples_with_probe_armed);
	get_int64(rd, v, sub, "calls_switched", &c->timer.calls_switched);
	get_int64(rd, v, sub, "calls_migrated", &c->timer.calls_migrated);

	v = get_obj(rd, o, at, "counters");
	snprintf(sub, sizeof(sub), "%s.counters", at);
	if (v)
		counters_from_json(rd, v, sub, c);

	v = get_obj(rd, o, at, "pins");
	snprintf(sub, sizeof(sub), "%s.pins", at);
	c->pins.known = member(v, "balanced") != NULL;
	get_int64(rd, v, sub, "acquired", &c->pins.acquired);
	get_int64(rd, v, sub, "released", &c->pins.released);
	get_bool(rd, v, sub, "balanced", &c->pins.balanced);
	get_str(rd, v, sub, "source", &c->pins.source);
	get_str(rd, v, sub, "reason", &c->pins.reason);

	v = get_obj(rd, o, at, "placement");
	snprintf(sub, sizeof(sub), "%s.placement", at);
	if (v) {
		c->has_placement = true;
		get_int(rd, v, sub, "cpu", &c->placement_cpu);
		get_int(rd, v, sub, "mem_node", &c->placement_mem_node);
		v = get_obj(rd, v, sub, "page_nodes");
		if (v)
			flatten(v, "", &c->page_nodes);
	}
	v = get_obj(rd, o, at, "team");
	snprintf(sub, sizeof(sub), "%s.team", at);
	if (v)
		team_from_json(rd, v, sub, &c->team);
	get_bool(rd, o, at, "interrupted", &c->interrupted);
}

static void params_from_json(struct rd *rd, json_object *p, struct run_params *o)
{
	get_str(rd, p, "parameters", "preset", &o->preset);
	get_u64(rd, p, "parameters", "size_bytes", &o->size_bytes);
	get_int(rd, p, "parameters", "samples", &o->samples);
	get_int(rd, p, "parameters", "warmup", &o->warmup);
	get_int(rd, p, "parameters", "count_ops", &o->count_ops);
	get_str(rd, p, "parameters", "file_dir", &o->file_dir);
	get_int(rd, p, "parameters", "cpu", &o->cpu);
	get_int(rd, p, "parameters", "mem_node", &o->mem_node);
	get_str(rd, p, "parameters", "order", &o->order);
	get_int(rd, p, "parameters", "rounds", &o->rounds);
}

static void result_from_json(struct rd *rd, json_object *root, struct result *r)
{
	json_object *tool = get_obj(rd, root, "", "tool"), *cmd = get_arr(rd, root, "", "command");
	json_object *cases = member(root, "cases");

	get_str(rd, root, "", "schema", &r->schema);
	get_str(rd, tool, "tool", "version", &r->tool_version);
	get_str(rd, tool, "tool", "git", &r->tool_git);
	get_str(rd, tool, "tool", "target", &r->tool_target);
	if (cmd && json_object_array_length(cmd)) {
		r->command = calloc(json_object_array_length(cmd), sizeof(*r->command));
		for (size_t i = 0; r->command && i < json_object_array_length(cmd); i++) {
			json_object *a = json_object_array_get_idx(cmd, i);

			if (!a || !json_object_is_type(a, json_type_string)) {
				damaged(rd, "", "command", "holds something other than strings");
				break;
			}
			r->command[r->nr_command++] = strdup(json_object_get_string(a));
		}
	}
	r->params.cpu = r->params.mem_node = -1;
	r->params.samples = r->params.warmup = r->params.count_ops = -1;
	r->params.rounds = -1;
	params_from_json(rd, get_obj(rd, root, "", "parameters"), &r->params);
	env_from_json(rd, get_obj(rd, root, "", "system"), &r->env);
	get_str(rd, root, "", "started", &r->started);
	get_str(rd, root, "", "finished", &r->finished);
	get_bool(rd, root, "", "interrupted", &r->interrupted);

	for (size_t i = 0; i < json_object_array_length(cases) && !rd->bad; i++) {
		json_object *c = json_object_array_get_idx(cases, i);
		struct result_case *rc;
		char at[32];

		snprintf(at, sizeof(at), "cases[%zu]", i);
		if (c && !json_object_is_type(c, json_type_object)) {
			damaged(rd, at, "", "is not an object");
			break;
		}
		rc = result_add_case(r);
		if (!rc) {
			damaged(rd, at, "", "does not fit in memory");
			break;
		}
		case_from_json(rd, c, at, rc);
	}
}

static int line_of(const char *buf, size_t off)
{
	int line = 1;

	for (size_t i = 0; i < off && buf[i]; i++)
		line += buf[i] == '\n';
	return line;
}

/* The checks of a document before its fields: JSON, one object, a schema this reads. */
static json_object *parse_checked(const char *buf, size_t len, char *err, size_t n)
{
	json_tokener *tok;
	json_object *root, *schema, *cases;
	enum json_tokener_error jerr;
	const char *s, *ver;
	size_t end;
	char *rest;
	long major;

	tok = json_tokener_new();
	if (!tok) {
		set_reason(err, n, "out of memory");
		return NULL;
	}
	root = json_tokener_parse_ex(tok, buf, (int)len);
	jerr = json_tokener_get_error(tok);
	end = json_tokener_get_parse_end(tok);
	json_tokener_free(tok);
	if (jerr == json_tokener_continue) {
		set_reason(err, n, "not JSON: truncated (ends inside a value)");
		goto bad;
	}
	if (jerr != json_tokener_success || !root) {
		set_reason(err, n, "not JSON: %s at line %d", json_tokener_error_desc(jerr),
			   line_of(buf, end));
		goto bad;
	}
	if (strspn(buf + end, " \t\r\n") != len - end) {
		set_reason(err, n, "not JSON: trailing data at line %d", line_of(buf, end));
		goto bad;
	}
	if (!json_object_is_type(root, json_type_object)) {
		set_reason(err, n, "not a gupbench result (top level is not an object)");
		goto bad;
	}
	if (!json_object_object_get_ex(root, "schema", &schema) ||
	    !json_object_is_type(schema, json_type_string)) {
		set_reason(err, n, "not a gupbench result (no \"schema\")");
		goto bad;
	}
	s = json_object_get_string(schema);
	if (strncmp(s, SCHEMA_PREFIX, strlen(SCHEMA_PREFIX))) {
		set_reason(err, n, "not a gupbench result (schema \"%.64s\")", s);
		goto bad;
	}
	/* Minor revisions only add fields: any "2" or "2.x" reads, and /1; "3" does not. */
	ver = s + strlen(SCHEMA_PREFIX);
	errno = 0;
	major = strtol(ver, &rest, 10);
	if (rest == ver || errno || (*rest && *rest != '.')) {
		set_reason(err, n, "bad schema version \"%.64s\"", s);
		goto bad;
	}
	if (major < SCHEMA_OLDEST || major > SCHEMA_MAJOR) {
		set_reason(err, n, "schema %.64s is not supported (this gupbench reads %s%d to %d)",
			   s, SCHEMA_PREFIX, SCHEMA_OLDEST, SCHEMA_MAJOR);
		goto bad;
	}
	if (!json_object_object_get_ex(root, "cases", &cases) ||
	    !json_object_is_type(cases, json_type_array)) {
		set_reason(err, n, "damaged result (no \"cases\" list)");
		goto bad;
	}
	return root;
bad:
	json_object_put(root);
	return NULL;
}

int result_json_parse(const char *text, size_t len, struct result *r, char *err, size_t n)
{
	struct rd rd = { .err = err, .n = n };
	json_object *root = parse_checked(text, len, err, n);

	memset(r, 0, sizeof(*r));
	if (!root)
		return -1;
	result_from_json(&rd, root, r);
	json_object_put(root);
	if (rd.bad) {
		result_free(r);
		return -1;
	}
	return 0;
}
