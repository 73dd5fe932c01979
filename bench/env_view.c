// SPDX-License-Identifier: GPL-2.0
/*
 * The environment of sets of runs, per kernel: a small table of what a report must
 * say beside its numbers. Where the runs of one kernel differ, every value is shown.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <json-c/json.h>
#include "env_view.h"
#include "run_groups.h"

#define MAX_VALUES 4

struct env_row {
	const char *name;
	const char *(*get)(const struct result *r, char *buf, size_t n);
};

static const char *config(const struct result *r, const char *item)
{
	const struct attr *a = attrs_get(&r->env.config, item);

	return a && a->type == ATTR_STR ? a->s : NULL;
}

static bool config_y(const struct result *r, const char *item)
{
	const char *v = config(r, item);

	return v && !strcmp(v, "y");
}

static const char *get_kernel(const struct result *r, char *buf, size_t n)
{
	return env_field_text("kernel.release", r, buf, n);
}

static const char *get_build(const struct result *r, char *buf, size_t n)
{
	const char *p = env_field_text("kernel.package", r, buf, n);

	return p ? p : env_field_text("kernel.version", r, buf, n);
}

/* The active model where the kernel says it, else the one the config chose. */
static const char *get_preempt(const struct result *r, char *buf, size_t n)
{
	static const char *const models[] = { "PREEMPT_RT", "PREEMPT", "PREEMPT_VOLUNTARY",
					      "PREEMPT_NONE" };
	char item[40];

	if (r->env.kernel_preempt)
		return r->env.kernel_preempt;
	for (size_t i = 0; i < sizeof(models) / sizeof(models[0]); i++) {
		snprintf(item, sizeof(item), "CONFIG_%s", models[i]);
		if (config_y(r, item)) {
			snprintf(buf, n, "%s%s", models[i],
				 config_y(r, "CONFIG_PREEMPT_DYNAMIC") ? " (dynamic)" : "");
			return buf;
		}
	}
	return NULL;
}

static const char *get_config(const struct result *r, char *buf, size_t n)
{
	static const char *const items[] = { "HZ", "TRANSPARENT_HUGEPAGE", "HUGETLBFS",
					     "NUMA", "SECRETMEM", "GUP_TEST" };
	size_t used = 0;
	char item[40];

	if (!r->env.config.n)
		return NULL;
	buf[0] = '\0';
	for (size_t i = 0; i < sizeof(items) / sizeof(items[0]) && used < n; i++) {
		const char *v;

		snprintf(item, sizeof(item), "CONFIG_%s", items[i]);
		v = config(r, item);
		used += snprintf(buf + used, n - used, "%s%s=%s", used ? " " : "", items[i],
				 v ? v : "-");
	}
	return buf;
}

/* The debug options that change what a pin costs: the ones set, or "none". */
static const char *get_debug(const struct result *r, char *buf, size_t n)
{
	static const char *const items[] = { "DEBUG_VM", "KASAN", "LOCKDEP", "PROVE_LOCKING",
					     "PAGE_TABLE_CHECK" };
	size_t used = 0;
	char item[40];

	if (!r->env.config.n)
		return NULL;
	buf[0] = '\0';
	for (size_t i = 0; i < sizeof(items) / sizeof(items[0]) && used < n; i++) {
		snprintf(item, sizeof(item), "CONFIG_%s", items[i]);
		if (config_y(r, item))
			used += snprintf(buf + used, n - used, "%s%s", used ? " " : "", items[i]);
	}
	return used ? buf : "none";
}

static const char *get_compiler(const struct result *r, char *buf, size_t n)
{
	(void)buf;
	(void)n;
	return config(r, "CONFIG_CC_VERSION_TEXT");
}

static const char *get_cpu(const struct result *r, char *buf, size_t n)
{
	char topo[64];

	if (!r->env.cpu_model)
		return NULL;
	snprintf(buf, n, "%s, %s", r->env.cpu_model,
		 env_field_text("cpu.topology", r, topo, sizeof(topo)));
	return buf;
}

static const char *get_thp(const struct result *r, char *buf, size_t n)
{
	if (!r->env.thp_enabled)
		return NULL;
	snprintf(buf, n, "%s, defrag %s, shmem %s", r->env.thp_enabled,
		 r->env.thp_defrag ? r->env.thp_defrag : "-",
		 r->env.thp_shmem_enabled ? r->env.thp_shmem_enabled : "-");
	return buf;
}

static const char *get_hugetlb(const struct result *r, char *buf, size_t n)
{
	const char *v = env_field_text("hugetlb.nr", r, buf, n);

	return v && *v ? v : NULL;
}

static const char *get_accel(const struct result *r, char *buf, size_t n)
{
	if (!r->env.accelerator)
		return NULL;
	snprintf(buf, n, "%s%s", r->env.accelerator, run_exact(r) ? ", -icount" : "");
	return buf;
}

static const char *get_clock(const struct result *r, char *buf, size_t n)
{
	return clock_info_text(&r->env.clock, buf, n);
}

static const char *get_tool(const struct result *r, char *buf, size_t n)
{
	/* make bench says who loaded the module, or why it could not */
	const struct attr *load = attrs_get(&r->env.extra, "module_load");

	snprintf(buf, n, "%s (%s), module %s%s%s%s", r->tool_version ? r->tool_version : "-",
		 r->tool_git ? r->tool_git : "-",
		 r->env.module_version ? r->env.module_version : "not loaded",
		 load && load->type == ATTR_STR ? " (" : "",
		 load && load->type == ATTR_STR ? load->s : "",
		 load && load->type == ATTR_STR ? ")" : "");
	return buf;
}

static const struct env_row env_rows[] = {
	{ "kernel", get_kernel },
	{ "build", get_build },
	{ "preempt", get_preempt },
	{ "config", get_config },
	{ "debug", get_debug },
	{ "compiler", get_compiler },
	{ "cpu", get_cpu },
	{ "thp", get_thp },
	{ "hugetlb", get_hugetlb },
	{ "accelerator", get_accel },
	{ "clock", get_clock },
	{ "gupbench", get_tool },
};
#define NR_ENV_ROWS (sizeof(env_rows) / sizeof(env_rows[0]))

/* The distinct values of a row among a group's runs, " / " between them; "-" unknown. */
static void group_value(const struct run_group *g, const struct env_row *row, char *out,
			size_t n)
{
	char seen[MAX_VALUES][256], buf[256];
	size_t nr = 0, used = 0;

	out[0] = '\0';
	for (size_t i = 0; i < g->side.nr_runs; i++) {
		const char *v = row->get(&g->side.runs[i], buf, sizeof(buf));
		size_t k = 0;

		v = v ? v : "-";
		while (k < nr && strcmp(seen[k], v))
			k++;
		if (k < nr)
			continue;
		if (nr == MAX_VALUES) {
			used += snprintf(out + used, used < n ? n - used : 0, " / ...");
			break;
		}
		used += snprintf(out + used, used < n ? n - used : 0, "%s%s", nr ? " / " : "", v);
		snprintf(seen[nr++], sizeof(seen[0]), "%s", v);
	}
}

/*
 * Rows for what older files do not record (clock): left out of the table and markdown
 * when no run shown records it, rather than a row of dashes.
 */
static bool row_shown(const struct run_groups *gs, const struct env_row *row)
{
	char buf[256];

	if (strcmp(row->name, "clock"))
		return true;
	for (size_t g = 0; g < gs->n; g++)
		for (size_t i = 0; i < gs->v[g].side.nr_runs; i++)
			if (row->get(&gs->v[g].side.runs[i], buf, sizeof(buf)))
				return true;
	return false;
}

struct env_doc {
	const struct run_groups *groups;
};

static bool same_in_all(const struct run_groups *gs, const struct env_row *row)
{
	char a[512], b[512];

	group_value(&gs->v[0], row, a, sizeof(a));
	for (size_t g = 1; g < gs->n; g++) {
		group_value(&gs->v[g], row, b, sizeof(b));
		if (strcmp(a, b))
			return false;
	}
	return true;
}

static void table_row(FILE *f, const char *name, const char *value)
{
	char prefix[32];

	snprintf(prefix, sizeof(prefix), "  %-12s ", name);
	view_wrapped(f, prefix, value);
}

/* What every kernel shares once, then per kernel what is its own: 72 columns. */
static void print_table(FILE *f, const void *doc)
{
	const struct run_groups *gs = ((const struct env_doc *)doc)->groups;
	char v[512], line[256];
	bool any = false;

	for (size_t r = 0; r < NR_ENV_ROWS && gs->n > 1; r++) {
		if (!row_shown(gs, &env_rows[r]) || !same_in_all(gs, &env_rows[r]))
			continue;
		if (!any)
			fprintf(f, "every kernel:\n");
		any = true;
		group_value(&gs->v[0], &env_rows[r], v, sizeof(v));
		table_row(f, env_rows[r].name, v);
	}
	for (size_t g = 0; g < gs->n; g++) {
		const struct run_group *rg = &gs->v[g];

		snprintf(line, sizeof(line), "%s: %zu run%s from %s", rg->id, rg->side.nr_runs,
			 rg->side.nr_runs == 1 ? "" : "s", rg->started ? rg->started : "-");
		view_wrapped(f, "", line);
		for (size_t r = 0; r < NR_ENV_ROWS; r++) {
			if (!row_shown(gs, &env_rows[r]) ||
			    (gs->n > 1 && same_in_all(gs, &env_rows[r])))
				continue;
			group_value(rg, &env_rows[r], v, sizeof(v));
			table_row(f, env_rows[r].name, v);
		}
	}
}

static void print_markdown(FILE *f, const void *doc)
{
	const struct run_groups *gs = ((const struct env_doc *)doc)->groups;
	char v[512];

	fprintf(f, "| |");
	for (size_t g = 0; g < gs->n; g++)
		fprintf(f, " %s |", gs->v[g].id);
	fprintf(f, "\n|---|");
	for (size_t g = 0; g < gs->n; g++)
		fprintf(f, "---|");
	fprintf(f, "\n| runs |");
	for (size_t g = 0; g < gs->n; g++)
		fprintf(f, " %zu |", gs->v[g].side.nr_runs);
	fputc('\n', f);
	for (size_t r = 0; r < NR_ENV_ROWS; r++) {
		if (!row_shown(gs, &env_rows[r]))
			continue;
		fprintf(f, "| %s |", env_rows[r].name);
		for (size_t g = 0; g < gs->n; g++) {
			group_value(&gs->v[g], &env_rows[r], v, sizeof(v));
			fputc(' ', f);
			view_md_text(f, v);
			fprintf(f, " |");
		}
		fputc('\n', f);
	}
}

static void print_csv(FILE *f, const void *doc)
{
	const struct run_groups *gs = ((const struct env_doc *)doc)->groups;
	char v[512];

	fprintf(f, "kernel,runs,field,value\n");
	for (size_t g = 0; g < gs->n; g++)
		for (size_t r = 0; r < NR_ENV_ROWS; r++) {
			group_value(&gs->v[g], &env_rows[r], v, sizeof(v));
			fprintf(f, "%s,%zu,%s,", gs->v[g].id, gs->v[g].side.nr_runs,
				env_rows[r].name);
			view_csv_text(f, v);
			fputc('\n', f);
		}
}

static void print_json(FILE *f, const void *doc)
{
	const struct run_groups *gs = ((const struct env_doc *)doc)->groups;
	json_object *root = json_object_new_object(), *ks = json_object_new_array();
	char v[512];

	json_object_object_add(root, "schema", json_object_new_string("gupbench-env/1"));
	for (size_t g = 0; g < gs->n; g++) {
		json_object *o = json_object_new_object(), *files = json_object_new_array();

		json_object_object_add(o, "id", json_object_new_string(gs->v[g].id));
		json_object_object_add(o, "runs", json_object_new_int64(gs->v[g].side.nr_runs));
		for (size_t i = 0; i < gs->v[g].side.nr_runs; i++)
			json_object_array_add(files, gs->v[g].side.runs[i].path ?
					      json_object_new_string(gs->v[g].side.runs[i].path) :
					      NULL);
		json_object_object_add(o, "files", files);
		for (size_t r = 0; r < NR_ENV_ROWS; r++) {
			group_value(&gs->v[g], &env_rows[r], v, sizeof(v));
			json_object_object_add(o, env_rows[r].name, json_object_new_string(v));
		}
		json_object_array_add(ks, o);
	}
	json_object_object_add(root, "kernels", ks);
	fprintf(f, "%s\n", json_object_to_json_string_ext(root, JSON_C_TO_STRING_PRETTY |
							    JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(root);
}

const cli_view env_views[CLI_NR_FORMATS] = {
	[CLI_TABLE] = print_table,
	[CLI_MARKDOWN] = print_markdown,
	[CLI_JSON] = print_json,
	[CLI_CSV] = print_csv,
};

int show_env(enum cli_format fmt, char **paths, int n)
{
	struct side all = { .name = "runs" };
	struct run_groups gs = { 0 };
	struct env_doc doc = { &gs };
	int rc = 0;

	if (side_load(&all, paths, n, "show")) {
		rc = CLI_USAGE_STATUS;
	} else if (!all.nr_runs) {
		fprintf(stderr, "gupbench show: no result file under %s\n", paths[0]);
		rc = CMP_CANNOT;
	} else if (run_groups_make(&all, false, &gs)) {
		fprintf(stderr, "gupbench show: out of memory\n");
		rc = 1;
	} else {
		cli_print(env_views, fmt, stdout, &doc);
		rc = fflush(stdout) ? 1 : 0;
	}
	run_groups_free(&gs);
	side_free(&all);
	return rc;
}
