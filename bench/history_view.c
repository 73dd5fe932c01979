// SPDX-License-Identifier: GPL-2.0
/*
 * The views of a history: a table that fits 72 columns for email (a block per case,
 * a line per kernel), markdown (a column per kernel), JSON and CSV.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <json-c/json.h>
#include "history.h"
#include "case_key.h"
#include "stats.h"

static const char *str_or(const char *s, const char *unknown)
{
	return s ? s : unknown;
}

/* "6.12.117+deb12-amd64 (linux-image-...=6.12.117-1~deb12u1)": the build, where known. */
static void group_name(const struct run_group *g, char *buf, size_t n)
{
	snprintf(buf, n, "%s%s%s%s", str_or(g->release, "(unknown kernel)"),
		 g->package ? " (" : "", g->package ? g->package : "", g->package ? ")" : "");
}

static void baseline_name(const struct history *h, char *buf, size_t n)
{
	if (h->base_is_group)
		snprintf(buf, n, "%s", h->groups.v[0].id);
	else
		snprintf(buf, n, "--baseline (%zu run%s of %s)", h->base->nr_runs,
			 h->base->nr_runs == 1 ? "" : "s", side_kernel(h->base));
}

/* The median of the group's runs: B's against the baseline, A's for the baseline. */
static double cell_median(const struct history *h, size_t g, const struct row *c)
{
	return history_is_base(h, g) ? c->res.median_a : c->res.median_b;
}

static void print_table(FILE *f, const void *doc)
{
	const struct history *h = doc;
	char line[512], name[256], base[160], med[32], ch[32], iv[48];

	fprintf(f, "gupbench history: %s\n", metric_title(h->co->metric));
	for (size_t g = 0; g < h->groups.n; g++) {
		const struct run_group *rg = &h->groups.v[g];

		group_name(rg, name, sizeof(name));
		snprintf(line, sizeof(line), "%s, %zu run%s from %s%s", name, rg->side.nr_runs,
			 rg->side.nr_runs == 1 ? "" : "s", str_or(rg->started, "(unknown)"),
			 history_is_base(h, g) ? " (baseline)" : "");
		snprintf(base, sizeof(base), "%s: ", rg->id);
		view_wrapped(f, base, line);
	}
	baseline_name(h, base, sizeof(base));
	if (!h->base_is_group)
		view_wrapped(f, "baseline: ", base);
	for (size_t i = 0; i < h->nr_warnings; i++)
		view_wrapped(f, "warning: ", h->warnings[i]);
	if (h->exact)
		view_wrapped(f, "", "-icount on every run: a guest ns is one instruction; "
			     "deterministic, so any difference is real");
	view_wrapped(f, "cases: ", h->common);
	fputc('\n', f);
	/* a line per case, then per kernel: 2 + 6 + 1 + 4 + 1 + 8 + 1 + 8 + 1 + 14 + 1 + 12 = 59 */
	fprintf(f, "%-8s %4s %8s %8s %-14s %s\n", "kernel", "runs", "median", "change",
		"95% interval", "verdict");
	for (size_t i = 0; i < h->rows.n; i++) {
		fprintf(f, "%s\n", h->rows.v[i].label);
		for (size_t g = 0; g < h->groups.n; g++) {
			const struct row *c = history_cell(h, g, i);
			size_t runs = history_is_base(h, g) ? c->nr_a : c->nr_b;

			snprintf(base, sizeof(base), "  %-6s %4zu ", h->groups.v[g].id, runs);
			if (!c->compared) {
				snprintf(line, sizeof(line), "(%s)", c->why_not);
				view_wrapped(f, base, line);
				continue;
			}
			view_ns(cell_median(h, g, c), med, sizeof(med));
			if (history_is_base(h, g)) {
				fprintf(f, "%s%8s %8s\n", base, med, "baseline");
				continue;
			}
			view_change(c->res.ratio, true, ch, sizeof(ch));
			view_interval(&c->res, iv, sizeof(iv));
			fprintf(f, "%s%8s %8s %-14s %s\n", base, med, ch, iv,
				cmp_verdict_name(c->res.verdict));
		}
	}
	fputc('\n', f);
	for (size_t i = 0; i < h->rows.n; i++)
		for (size_t g = 0; g < h->groups.n; g++) {
			const struct row *c = history_cell(h, g, i);

			/* (an interval straddling the threshold shows in its column) */
			if (!history_is_base(h, g) && c->compared &&
			    c->res.verdict == CMP_INCONCLUSIVE && *c->res.why &&
			    !strstr(c->res.why, "straddles")) {
				snprintf(line, sizeof(line), "%s, %s: %s", h->rows.v[i].label,
					 h->groups.v[g].id, c->res.why);
				view_wrapped(f, "inconclusive: ", line);
			}
		}
	baseline_name(h, base, sizeof(base));
	if (h->exact)
		snprintf(line, sizeof(line), "exact: any difference counts");
	else
		snprintf(line, sizeof(line), "threshold %g%%, bootstrap over runs",
			 h->co->threshold * 100);
	fprintf(f, "first regressed against %s (%s):\n", base, line);
	for (size_t i = 0; i < h->rows.n; i++) {
		size_t g = h->first[i];

		const char *label = h->rows.v[i].label;

		/* the kernels are named above: the id is enough */
		if (strlen(label) > 28)
			fprintf(f, "  %s\n  %-28s", label, "");
		else
			fprintf(f, "  %-28s", label);
		fprintf(f, " %s\n", g == HISTORY_NONE ? "none" : h->groups.v[g].id);
	}
}

/* One cell of the markdown matrix: "269.9 +26.8% [+26.8,+26.8] regressed". */
static void md_cell(FILE *f, const struct history *h, size_t g, const struct row *c)
{
	char med[32], ch[32], iv[48];

	if (!c->compared) {
		fprintf(f, " (");
		view_md_text(f, c->why_not);
		fprintf(f, ") |");
		return;
	}
	view_ns(cell_median(h, g, c), med, sizeof(med));
	if (history_is_base(h, g)) {
		fprintf(f, " %s (%zu) |", med, c->nr_a);
		return;
	}
	view_change(c->res.ratio, true, ch, sizeof(ch));
	view_interval(&c->res, iv, sizeof(iv));
	fprintf(f, " %s (%zu) %s %s %s |", med, c->nr_b, ch, iv, cmp_verdict_name(c->res.verdict));
}

static void print_markdown(FILE *f, const void *doc)
{
	const struct history *h = doc;
	char base[160];

	baseline_name(h, base, sizeof(base));
	fprintf(f, "**History**: %s, per kernel in time order, against %s. Cases: ",
		metric_title(h->co->metric), base);
	view_md_text(f, h->common);
	fprintf(f, ".%s\n\n", h->exact ? " -icount on every run: instruction counts, any "
		"difference is real." : "");
	fprintf(f, "| kernel | release | build | runs | first started |\n|---|---|---|---:|---|\n");
	for (size_t g = 0; g < h->groups.n; g++) {
		const struct run_group *rg = &h->groups.v[g];

		fprintf(f, "| %s | ", rg->id);
		view_md_text(f, str_or(rg->release, "(unknown)"));
		fprintf(f, " | ");
		view_md_text(f, rg->package ? rg->package : str_or(rg->version, ""));
		fprintf(f, " | %zu | %s |\n", rg->side.nr_runs, str_or(rg->started, ""));
	}
	fputc('\n', f);
	for (size_t i = 0; i < h->nr_warnings; i++) {
		fprintf(f, "- warning: ");
		view_md_text(f, h->warnings[i]);
		fputc('\n', f);
	}
	if (h->nr_warnings)
		fputc('\n', f);
	fprintf(f, "| case |");
	for (size_t g = 0; g < h->groups.n; g++)
		fprintf(f, " %s |", h->groups.v[g].id);
	fprintf(f, " first regressed |\n|---|");
	for (size_t g = 0; g < h->groups.n; g++)
		fprintf(f, "---|");
	fprintf(f, "---|\n");
	for (size_t i = 0; i < h->rows.n; i++) {
		fprintf(f, "| ");
		view_md_text(f, h->rows.v[i].label);
		fprintf(f, " |");
		for (size_t g = 0; g < h->groups.n; g++)
			md_cell(f, h, g, history_cell(h, g, i));
		fprintf(f, " %s |\n", h->first[i] == HISTORY_NONE ? "none" :
			h->groups.v[h->first[i]].id);
	}
	fprintf(f, "\nA cell: median of the run medians (runs), change against the baseline, its "
		"95%% interval and the verdict.\n");
}

static void print_csv(FILE *f, const void *doc)
{
	const struct history *h = doc;

	fprintf(f, "driver,backing,state,op,flags,pages_per_call,size_bytes,threads,share,place,"
		"mem,contend,kernel,"
		"release,version,package,runs,median,ratio,ci_lo,ci_hi,p,verdict,why,"
		"first_regressed\n");
	for (size_t i = 0; i < h->rows.n; i++) {
		const struct result_case *c = h->rows.v[i].first;
		char fl[16];
		const char *key[] = { c->driver, c->backing, c->state, c->op, fl };

		case_flags_short(c->flags, fl, sizeof(fl));
		for (size_t g = 0; g < h->groups.n; g++) {
			const struct run_group *rg = &h->groups.v[g];
			const struct row *r = history_cell(h, g, i);
			bool is_base = history_is_base(h, g);
			const double num[] = { cell_median(h, g, r), is_base ? NAN : r->res.ratio,
					       is_base ? NAN : r->res.ci_lo,
					       is_base ? NAN : r->res.ci_hi,
					       is_base ? NAN : r->res.p };
			const char *grp[] = { rg->id, rg->release, rg->version, rg->package };

			for (size_t k = 0; k < sizeof(key) / sizeof(key[0]); k++) {
				view_csv_text(f, key[k]);
				fputc(',', f);
			}
			fprintf(f, "%llu,%llu,%d,", (unsigned long long)c->pages_per_call,
				(unsigned long long)c->size_bytes, c->threads);
			view_csv_team(f, c);
			for (size_t k = 0; k < sizeof(grp) / sizeof(grp[0]); k++) {
				view_csv_text(f, grp[k]);
				fputc(',', f);
			}
			fprintf(f, "%zu,", is_base ? r->nr_a : r->nr_b);
			if (r->compared) {
				for (size_t k = 0; k < sizeof(num) / sizeof(num[0]); k++) {
					view_csv_num(f, num[k]);
					fputc(',', f);
				}
				view_csv_text(f, is_base ? "baseline" : cmp_verdict_name(r->res.verdict));
				fputc(',', f);
				view_csv_text(f, is_base ? "" : r->res.why);
			} else {
				fprintf(f, ",,,,,\"not compared\",");
				view_csv_text(f, r->why_not);
			}
			fputc(',', f);
			view_csv_text(f, h->first[i] == HISTORY_NONE ? "none" :
				      h->groups.v[h->first[i]].id);
			fputc('\n', f);
		}
	}
}

static json_object *jstr(const char *s)
{
	return s ? json_object_new_string(s) : NULL;
}

static json_object *group_json(const struct run_group *rg)
{
	json_object *o = json_object_new_object(), *files = json_object_new_array();

	json_object_object_add(o, "id", json_object_new_string(rg->id));
	json_object_object_add(o, "release", jstr(rg->release));
	json_object_object_add(o, "version", jstr(rg->version));
	json_object_object_add(o, "package", jstr(rg->package));
	json_object_object_add(o, "first_started", jstr(rg->started));
	json_object_object_add(o, "runs", json_object_new_int64(rg->side.nr_runs));
	for (size_t i = 0; i < rg->side.nr_runs; i++)
		json_object_array_add(files, jstr(rg->side.runs[i].path));
	json_object_object_add(o, "files", files);
	return o;
}

static json_object *point_json(const struct history *h, size_t g, const struct row *r)
{
	json_object *o = json_object_new_object(), *ci;
	bool is_base = history_is_base(h, g);

	json_object_object_add(o, "kernel", json_object_new_string(h->groups.v[g].id));
	json_object_object_add(o, "runs", json_object_new_int64(is_base ? r->nr_a : r->nr_b));
	if (!r->compared) {
		json_object_object_add(o, "verdict", json_object_new_string("not compared"));
		json_object_object_add(o, "why", json_object_new_string(r->why_not));
		return o;
	}
	json_object_object_add(o, "median", json_double(cell_median(h, g, r)));
	if (is_base) {
		json_object_object_add(o, "verdict", json_object_new_string("baseline"));
		return o;
	}
	json_object_object_add(o, "baseline_median", json_double(r->res.median_a));
	json_object_object_add(o, "ratio", json_double(r->res.ratio));
	ci = json_object_new_array();
	json_object_array_add(ci, json_double(r->res.ci_lo));
	json_object_array_add(ci, json_double(r->res.ci_hi));
	json_object_object_add(o, "ci95", ci);
	json_object_object_add(o, "p", json_double(r->res.p));
	json_object_object_add(o, "verdict", json_object_new_string(cmp_verdict_name(r->res.verdict)));
	json_object_object_add(o, "test", jstr(r->res.test));
	json_object_object_add(o, "why", *r->res.why ? json_object_new_string(r->res.why) : NULL);
	return o;
}

static void print_json(FILE *f, const void *doc)
{
	const struct history *h = doc;
	json_object *root = json_object_new_object(), *groups = json_object_new_array();
	json_object *w = json_object_new_array(), *cases = json_object_new_array(), *b;

	json_object_object_add(root, "schema", json_object_new_string("gupbench-history/1"));
	json_object_object_add(root, "metric", json_object_new_string(h->co->metric));
	json_object_object_add(root, "threshold", json_double(h->co->threshold));
	json_object_object_add(root, "min_runs", json_object_new_int64(h->co->min_runs));
	json_object_object_add(root, "exact", json_object_new_boolean(h->exact));
	if (h->base_is_group) {
		b = json_object_new_string(h->groups.v[0].id);
	} else {
		b = json_object_new_object();
		json_object_object_add(b, "runs", json_object_new_int64(h->base->nr_runs));
		json_object_object_add(b, "kernel", json_object_new_string(side_kernel(h->base)));
	}
	json_object_object_add(root, "baseline", b);
	for (size_t g = 0; g < h->groups.n; g++)
		json_object_array_add(groups, group_json(&h->groups.v[g]));
	json_object_object_add(root, "kernels", groups);
	for (size_t i = 0; i < h->nr_warnings; i++)
		json_object_array_add(w, json_object_new_string(h->warnings[i]));
	json_object_object_add(root, "warnings", w);
	for (size_t i = 0; i < h->rows.n; i++) {
		const struct result_case *c = h->rows.v[i].first;
		json_object *o = json_object_new_object(), *pts = json_object_new_array();

		json_object_object_add(o, "driver", jstr(c->driver));
		json_object_object_add(o, "backing", jstr(c->backing));
		json_object_object_add(o, "state", jstr(c->state));
		json_object_object_add(o, "op", jstr(c->op));
		json_object_object_add(o, "flags", json_object_new_int64(c->flags));
		json_object_object_add(o, "pages_per_call", json_object_new_int64(c->pages_per_call));
		json_object_object_add(o, "size_bytes", json_object_new_int64(c->size_bytes));
		json_object_object_add(o, "threads", json_object_new_int64(c->threads));
		view_json_team(o, c);
		json_object_object_add(o, "label", json_object_new_string(h->rows.v[i].label));
		for (size_t g = 0; g < h->groups.n; g++)
			json_object_array_add(pts, point_json(h, g, history_cell(h, g, i)));
		json_object_object_add(o, "points", pts);
		json_object_object_add(o, "first_regressed", h->first[i] == HISTORY_NONE ? NULL :
				       json_object_new_string(h->groups.v[h->first[i]].id));
		json_object_array_add(cases, o);
	}
	json_object_object_add(root, "cases", cases);
	fprintf(f, "%s\n", json_object_to_json_string_ext(root, JSON_C_TO_STRING_PRETTY |
							    JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(root);
}

const cli_view history_views[CLI_NR_FORMATS] = {
	[CLI_TABLE] = print_table,
	[CLI_MARKDOWN] = print_markdown,
	[CLI_JSON] = print_json,
	[CLI_CSV] = print_csv,
};
