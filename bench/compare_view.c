// SPDX-License-Identifier: GPL-2.0
/*
 * The views of a comparison: a table that fits 72 columns for email, markdown,
 * JSON and CSV.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <json-c/json.h>
#include "compare.h"
#include "case_key.h"
#include "stats.h"

/* Three significant digits, as a median deserves on a noisy machine. */
void view_ns(double v, char *buf, size_t n)
{
	double a = fabs(v);

	if (!isfinite(v))
		snprintf(buf, n, "-");
	else if (a >= 1000)
		snprintf(buf, n, "%.0f", v);
	else if (a >= 100)
		snprintf(buf, n, "%.1f", v);
	else if (a >= 10)
		snprintf(buf, n, "%.2f", v);
	else
		snprintf(buf, n, "%.3f", v);
}

/* A ratio as a change in percent: 1.031 -> "+3.1%". */
void view_change(double ratio, bool sign_pct, char *buf, size_t n)
{
	double pct = (ratio - 1) * 100;

	if (!isfinite(ratio))
		snprintf(buf, n, "-");
	else if (fabs(pct) >= 99.95)
		snprintf(buf, n, "%+.0f%s", pct, sign_pct ? "%" : "");
	else
		snprintf(buf, n, "%+.1f%s", pct, sign_pct ? "%" : "");
}

void view_interval(const struct cmp_result *r, char *buf, size_t n)
{
	char lo[16], hi[16];

	if (!isfinite(r->ci_lo) || !isfinite(r->ci_hi)) {
		snprintf(buf, n, "-");
		return;
	}
	view_change(r->ci_lo, false, lo, sizeof(lo));
	view_change(r->ci_hi, false, hi, sizeof(hi));
	snprintf(buf, n, "[%s,%s]", lo, hi);
}

const char *metric_title(const char *metric)
{
	if (!strcmp(metric, "unpin"))
		return "unpin, median ns per 4 KiB page";
	if (!strcmp(metric, "call"))
		return "pin, median ns per kernel call";
	return "pin, median ns per 4 KiB page";
}

const char *side_kernel(const struct side *s)
{
	const char *k = s->nr_runs ? s->runs[0].env.kernel_release : NULL;

	for (size_t i = 1; i < s->nr_runs; i++)
		if (strcmp(k ? k : "", s->runs[i].env.kernel_release ?
			   s->runs[i].env.kernel_release : ""))
			return "(several kernels)";
	return k ? k : "(unknown kernel)";
}


void view_wrapped(FILE *f, const char *prefix, const char *text)
{
	size_t indent = strlen(prefix), col = indent;
	const char *p = text;

	fputs(prefix, f);
	while (*p) {
		size_t w = strcspn(p, " \n");

		/* a word wider than the line (a long path) is cut, so no line passes 72 */
		if (w > EMAIL_COLS - indent)
			w = EMAIL_COLS - indent;
		if (col > indent && col + 1 + w > EMAIL_COLS) {
			fprintf(f, "\n%*s", (int)indent, "");
			col = indent;
		} else if (col > indent) {
			fputc(' ', f);
			col++;
		}
		fwrite(p, 1, w, f);
		col += w;
		p += w;
		while (*p == ' ' || *p == '\n')
			p++;
	}
	fputc('\n', f);
}

static void print_table(FILE *f, const void *doc)
{
	const struct report *rp = doc;
	char line[512], a[32], b[32], ch[32], iv[48], how[64];

	fprintf(f, "gupbench compare: B against A, %s\n", metric_title(rp->co->metric));
	if (rp->pair[0])
		view_wrapped(f, "pairs: ", rp->pair);
	snprintf(line, sizeof(line), "%zu run%s, %s", rp->a->nr_runs,
		 rp->a->nr_runs == 1 ? "" : "s", side_kernel(rp->a));
	view_wrapped(f, "A: ", line);
	snprintf(line, sizeof(line), "%zu run%s, %s", rp->b->nr_runs,
		 rp->b->nr_runs == 1 ? "" : "s", side_kernel(rp->b));
	view_wrapped(f, "B: ", line);
	for (size_t i = 0; i < rp->nr_diff; i++) {
		snprintf(line, sizeof(line), "%s: A %s; B %s", rp->diff[i].field, rp->diff[i].a,
			 rp->diff[i].b);
		view_wrapped(f, "differs: ", line);
	}
	for (size_t i = 0; i < rp->nr_warnings; i++)
		view_wrapped(f, "warning: ", rp->warnings[i]);
	if (rp->exact)
		view_wrapped(f, "", "-icount on both sides: a guest ns is one instruction; "
			      "deterministic, so any difference is real");
	view_wrapped(f, "cases: ", rp->common);
	fputc('\n', f);
	/* 22 + 1 + 7 + 1 + 7 + 1 + 7 + 1 + 12 + 1 + 12 = 72 */
	fprintf(f, "%-22s %7s %7s %7s %-12s %s\n", "case", "A", "B", "B/A", "95% interval",
		"verdict");
	for (size_t i = 0; i < rp->rows.n; i++) {
		const struct row *r = &rp->rows.v[i];

		if (!r->compared)
			continue;
		view_ns(r->res.median_a, a, sizeof(a));
		view_ns(r->res.median_b, b, sizeof(b));
		view_change(r->res.ratio, true, ch, sizeof(ch));
		view_interval(&r->res, iv, sizeof(iv));
		if (strlen(r->label) > 22)
			fprintf(f, "%s\n%-22s", r->label, "");
		else
			fprintf(f, "%-22s", r->label);
		fprintf(f, " %7s %7s %7s %-12s %s\n", a, b, ch, iv,
			cmp_verdict_name(r->res.verdict));
	}
	fputc('\n', f);
	if (rp->exact)
		snprintf(how, sizeof(how), "exact: any difference counts");
	else
		snprintf(how, sizeof(how), "threshold %g%%, bootstrap over runs",
			 rp->co->threshold * 100);
	snprintf(line, sizeof(line), "%d regressed, %d improved, %d no change, %d inconclusive "
		 "(%s)", rp->counts[CMP_REGRESSED], rp->counts[CMP_IMPROVED],
		 rp->counts[CMP_NO_CHANGE], rp->counts[CMP_INCONCLUSIVE], how);
	view_wrapped(f, "verdicts: ", line);
	for (size_t i = 0; i < rp->rows.n; i++) {
		const struct row *r = &rp->rows.v[i];

		/* (an interval straddling the threshold shows in its column) */
		if (r->compared && r->res.verdict == CMP_INCONCLUSIVE && *r->res.why &&
		    !strstr(r->res.why, "straddles")) {
			snprintf(line, sizeof(line), "%s: %s", r->label, r->res.why);
			view_wrapped(f, "inconclusive: ", line);
		}
	}
	for (size_t i = 0; i < rp->rows.n; i++) {
		const struct row *r = &rp->rows.v[i];

		if (!r->compared) {
			snprintf(line, sizeof(line), "%s (%s)", r->label, r->why_not);
			view_wrapped(f, "not compared: ", line);
		}
	}
}

void view_md_text(FILE *f, const char *s)
{
	for (; s && *s; s++) {
		if (*s == '|' || *s == '\\' || *s == '*' || *s == '_' || *s == '`')
			fputc('\\', f);
		fputc(*s == '\n' ? ' ' : *s, f);
	}
}

static void print_markdown(FILE *f, const void *doc)
{
	const struct report *rp = doc;
	char a[32], b[32], ch[32], iv[48];

	fprintf(f, "**B against A**: %s. A: %zu runs of `%s`; B: %zu runs of `%s`. Cases: ",
		metric_title(rp->co->metric), rp->a->nr_runs, side_kernel(rp->a),
		rp->b->nr_runs, side_kernel(rp->b));
	view_md_text(f, rp->common);
	if (rp->pair[0]) {
		fprintf(f, ". Pairs: ");
		view_md_text(f, rp->pair);
	}
	fprintf(f, ".%s\n\n", rp->exact ? " -icount on both sides: instruction counts, "
		"any difference is real." : "");
	if (rp->nr_diff) {
		fprintf(f, "| differs | A | B |\n|---|---|---|\n");
		for (size_t i = 0; i < rp->nr_diff; i++) {
			fprintf(f, "| %s | ", rp->diff[i].field);
			view_md_text(f, rp->diff[i].a);
			fprintf(f, " | ");
			view_md_text(f, rp->diff[i].b);
			fprintf(f, " |\n");
		}
		fputc('\n', f);
	}
	for (size_t i = 0; i < rp->nr_warnings; i++) {
		fprintf(f, "- warning: ");
		view_md_text(f, rp->warnings[i]);
		fputc('\n', f);
	}
	if (rp->nr_warnings)
		fputc('\n', f);
	fprintf(f, "| case | runs A/B | A | B | B/A | 95%% interval | p | verdict |\n"
		"|---|---|---:|---:|---:|---|---:|---|\n");
	for (size_t i = 0; i < rp->rows.n; i++) {
		const struct row *r = &rp->rows.v[i];

		fprintf(f, "| ");
		view_md_text(f, r->label);
		if (!r->compared) {
			fprintf(f, " | %zu/%zu | | | | | | not compared: %s |\n", r->nr_a, r->nr_b,
				r->why_not);
			continue;
		}
		view_ns(r->res.median_a, a, sizeof(a));
		view_ns(r->res.median_b, b, sizeof(b));
		view_change(r->res.ratio, true, ch, sizeof(ch));
		view_interval(&r->res, iv, sizeof(iv));
		fprintf(f, " | %zu/%zu | %s | %s | %s | %s | ", r->nr_a, r->nr_b, a, b, ch, iv);
		if (isfinite(r->res.p))
			fprintf(f, "%.3g", r->res.p);
		fprintf(f, " | %s%s%s |\n", cmp_verdict_name(r->res.verdict),
			*r->res.why ? ": " : "", r->res.why);
	}
}

void view_csv_team(FILE *f, const struct result_case *c)
{
	const char *v[] = { case_share(c), case_place(c), case_mem(c), case_contend(c) };

	for (size_t k = 0; k < sizeof(v) / sizeof(v[0]); k++) {
		view_csv_text(f, v[k]);
		fputc(',', f);
	}
}

void view_json_team(struct json_object *o, const struct result_case *c)
{
	json_object_object_add(o, "share", json_object_new_string(case_share(c)));
	json_object_object_add(o, "place", json_object_new_string(case_place(c)));
	json_object_object_add(o, "mem", json_object_new_string(case_mem(c)));
	json_object_object_add(o, "contend", json_object_new_string(case_contend(c)));
}

void view_csv_text(FILE *f, const char *s)
{
	fputc('"', f);
	for (; s && *s; s++) {
		if (*s == '"')
			fputc('"', f);
		fputc(*s, f);
	}
	fputc('"', f);
}

void view_csv_num(FILE *f, double v)
{
	char buf[40];

	json_double_text(v, buf, sizeof(buf));
	fputs(strcmp(buf, "null") ? buf : "", f);
}

static void print_csv(FILE *f, const void *doc)
{
	const struct report *rp = doc;

	fprintf(f, "driver,backing,state,op,flags,pages_per_call,size_bytes,threads,share,place,"
		"mem,contend,runs_a,runs_b,"
		"median_a,median_b,ratio,ci_lo,ci_hi,p,verdict,why\n");
	for (size_t i = 0; i < rp->rows.n; i++) {
		const struct row *r = &rp->rows.v[i];
		const struct result_case *c = r->first;
		char fl[16];
		const char *key[] = { c->driver, c->backing, c->state, c->op, fl };
		const double num[] = { r->res.median_a, r->res.median_b, r->res.ratio,
				       r->res.ci_lo, r->res.ci_hi, r->res.p };

		case_flags_short(c->flags, fl, sizeof(fl));
		for (size_t k = 0; k < sizeof(key) / sizeof(key[0]); k++) {
			view_csv_text(f, key[k]);
			fputc(',', f);
		}
		fprintf(f, "%llu,%llu,%d,", (unsigned long long)c->pages_per_call,
			(unsigned long long)c->size_bytes, c->threads);
		view_csv_team(f, c);
		fprintf(f, "%zu,%zu,", r->nr_a, r->nr_b);
		if (r->compared) {
			for (size_t k = 0; k < sizeof(num) / sizeof(num[0]); k++) {
				view_csv_num(f, num[k]);
				fputc(',', f);
			}
			view_csv_text(f, cmp_verdict_name(r->res.verdict));
			fputc(',', f);
			view_csv_text(f, r->res.why);
		} else {
			fprintf(f, ",,,,,,\"not compared\",");
			view_csv_text(f, r->why_not);
		}
		fputc('\n', f);
	}
}

static json_object *jstr_or_null(const char *s)
{
	return s ? json_object_new_string(s) : NULL;
}

static json_object *side_json(const struct side *s)
{
	json_object *o = json_object_new_object(), *files = json_object_new_array();

	for (size_t i = 0; i < s->nr_runs; i++)
		json_object_array_add(files, jstr_or_null(s->runs[i].path));
	json_object_object_add(o, "runs", json_object_new_int64(s->nr_runs));
	json_object_object_add(o, "files", files);
	json_object_object_add(o, "kernel", json_object_new_string(side_kernel(s)));
	return o;
}

static void print_json(FILE *f, const void *doc)
{
	const struct report *rp = doc;
	json_object *root = json_object_new_object(), *d = json_object_new_array();
	json_object *w = json_object_new_array(), *cases = json_object_new_array();

	json_object_object_add(root, "schema", json_object_new_string("gupbench-compare/1"));
	json_object_object_add(root, "metric", json_object_new_string(rp->co->metric));
	json_object_object_add(root, "threshold", json_double(rp->co->threshold));
	json_object_object_add(root, "min_runs", json_object_new_int64(rp->co->min_runs));
	json_object_object_add(root, "exact", json_object_new_boolean(rp->exact));
	json_object_object_add(root, "pair", rp->pair[0] ? json_object_new_string(rp->pair) : NULL);
	json_object_object_add(root, "a", side_json(rp->a));
	json_object_object_add(root, "b", side_json(rp->b));
	for (size_t i = 0; i < rp->nr_diff; i++) {
		json_object *o = json_object_new_object();

		json_object_object_add(o, "field", json_object_new_string(rp->diff[i].field));
		json_object_object_add(o, "a", json_object_new_string(rp->diff[i].a));
		json_object_object_add(o, "b", json_object_new_string(rp->diff[i].b));
		json_object_array_add(d, o);
	}
	json_object_object_add(root, "environment_differs", d);
	for (size_t i = 0; i < rp->nr_warnings; i++)
		json_object_array_add(w, json_object_new_string(rp->warnings[i]));
	json_object_object_add(root, "warnings", w);
	for (size_t i = 0; i < rp->rows.n; i++) {
		const struct row *r = &rp->rows.v[i];
		const struct result_case *c = r->first;
		json_object *o = json_object_new_object(), *ci = json_object_new_array();

		json_object_object_add(o, "driver", jstr_or_null(c->driver));
		json_object_object_add(o, "backing", jstr_or_null(c->backing));
		json_object_object_add(o, "state", jstr_or_null(c->state));
		json_object_object_add(o, "op", jstr_or_null(c->op));
		json_object_object_add(o, "flags", json_object_new_int64(c->flags));
		json_object_object_add(o, "pages_per_call", json_object_new_int64(c->pages_per_call));
		json_object_object_add(o, "size_bytes", json_object_new_int64(c->size_bytes));
		json_object_object_add(o, "threads", json_object_new_int64(c->threads));
		view_json_team(o, c);
		json_object_object_add(o, "label", json_object_new_string(r->label));
		json_object_object_add(o, "runs_a", json_object_new_int64(r->nr_a));
		json_object_object_add(o, "runs_b", json_object_new_int64(r->nr_b));
		if (r->compared) {
			json_object_object_add(o, "median_a", json_double(r->res.median_a));
			json_object_object_add(o, "median_b", json_double(r->res.median_b));
			json_object_object_add(o, "ratio", json_double(r->res.ratio));
			json_object_array_add(ci, json_double(r->res.ci_lo));
			json_object_array_add(ci, json_double(r->res.ci_hi));
			json_object_object_add(o, "ci95", ci);
			json_object_object_add(o, "p", json_double(r->res.p));
			json_object_object_add(o, "verdict",
					       json_object_new_string(cmp_verdict_name(r->res.verdict)));
			json_object_object_add(o, "test", jstr_or_null(r->res.test));
			json_object_object_add(o, "why", *r->res.why ?
					       json_object_new_string(r->res.why) : NULL);
		} else {
			json_object_put(ci);
			json_object_object_add(o, "verdict", json_object_new_string("not compared"));
			json_object_object_add(o, "why", json_object_new_string(r->why_not));
		}
		json_object_array_add(cases, o);
	}
	json_object_object_add(root, "cases", cases);
	fprintf(f, "%s\n", json_object_to_json_string_ext(root, JSON_C_TO_STRING_PRETTY |
							    JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(root);
}


const cli_view compare_views[CLI_NR_FORMATS] = {
	[CLI_TABLE] = print_table,
	[CLI_MARKDOWN] = print_markdown,
	[CLI_JSON] = print_json,
	[CLI_CSV] = print_csv,
};

