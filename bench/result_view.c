// SPDX-License-Identifier: GPL-2.0
/* Views of a result: the table made to paste into mail, CSV, and the JSON of the file. */
#include <math.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "gupbench.h"
#include "result.h"
#include "stats.h"
#include "case_key.h"
#include "util.h"
#include "cross_node_view.h"
#include "clock_note.h"

/*
 * Any field of a case may be unknown (NULL, NAN, -1, not present: a skipped
 * case has no pin, a damaged or hand-edited file anything): the printers
 * below never assume one is there.
 */

/* ---- table ---- */

/* Precision follows the magnitude of the median, so the CI bounds line up with it. */
static int ns_prec(double median)
{
	double a = fabs(median);

	return a < 10 ? 2 : a < 100 ? 1 : 0;
}

static void fmt_count(double v, char *buf, size_t n)
{
	if (fabs(v - round(v)) < 1e-9 || fabs(v) >= 100)
		snprintf(buf, n, "%.0f", v);
	else if (fabs(v) >= 1)
		snprintf(buf, n, "%.2f", v);
	else
		snprintf(buf, n, "%.2g", v);
}

static void fmt_size(double bytes, char *buf, size_t n)
{
	static const char *const unit[] = { "B", "KiB", "MiB", "GiB", "TiB" };
	int u = 0;

	while (bytes >= 1024 && u < 4 && fmod(bytes, 1024) == 0) {
		bytes /= 1024;
		u++;
	}
	snprintf(buf, n, "%.0f %s", bytes, unit[u]);
}

enum col {
	C_DRIVER, C_BACKING, C_STATE, C_SIZE, C_OPFLAGS, C_PPC, C_THREADS, C_STATUS,
	C_PIN, C_UNPIN, C_FALLBACK, C_PINS, C_NCOLS
};

static const char *const col_head[C_NCOLS] = {
	"driver", "backing", "state", "size", "op/flags", "pages/call", "threads", "status",
	"pin [95% CI]", "unpin", "fallback/op", "balanced",
};

#define CELL 160

struct row {
	char cell[C_NCOLS][CELL];
	bool skipped;		/* status cell runs to the end of the line */
};

static void summary_cell(const struct series *side, bool with_ci, char *buf, size_t n)
{
	const struct summary *s = &side->per_page;
	int p;

	if (!side->present || !isfinite(s->median)) {
		snprintf(buf, n, "-");
		return;
	}
	p = ns_prec(s->median);
	if (with_ci && isfinite(s->ci_lo) && isfinite(s->ci_hi))
		snprintf(buf, n, "%.*f [%.*f-%.*f]", p, s->median, p, s->ci_lo, p, s->ci_hi);
	else
		snprintf(buf, n, "%.*f", p, s->median);
}

static void fill_row(const struct result_case *c, struct row *r)
{
	const struct fallback_count *fb = &c->fallback;
	const char *op = c->op;
	char flags[96], num[32];

	memset(r, 0, sizeof(*r));
	snprintf(r->cell[C_DRIVER], CELL, "%s", c->driver ?: "?");
	snprintf(r->cell[C_BACKING], CELL, "%s", c->backing ?: "?");
	snprintf(r->cell[C_STATE], CELL, "%s", c->state ?: "-");
	if (c->size_bytes)
		fmt_size(c->size_bytes, r->cell[C_SIZE], CELL);
	else
		snprintf(r->cell[C_SIZE], CELL, "-");
	flags_text(c->flags, "|", flags, sizeof(flags));
	snprintf(r->cell[C_OPFLAGS], CELL, "%s%s%s", op ?: "", op && *flags ? " " : "",
		 *flags || op ? flags : "-");
	if (c->pages_per_call)
		snprintf(r->cell[C_PPC], CELL, "%llu", (unsigned long long)c->pages_per_call);
	else
		snprintf(r->cell[C_PPC], CELL, "-");
	/* the team's axes that are not the defaults, as in compare's labels */
	case_label(c, CASE_THREADS | CASE_TEAM, r->cell[C_THREADS], CELL);
	if (c->team.present && c->threads == 1) {
		char rest[CELL - 4];

		snprintf(rest, sizeof(rest), "%s", r->cell[C_THREADS]);
		snprintf(r->cell[C_THREADS], CELL, "x1%s%s", strcmp(rest, "-") ? " " : "",
			 strcmp(rest, "-") ? rest : "");
	}

	switch (c->status) {
	case CASE_OK:
		snprintf(r->cell[C_STATUS], CELL, "ok");
		break;
	case CASE_ERROR:
		snprintf(r->cell[C_STATUS], CELL, "error%s%s", c->err_name ? " " : "",
			 c->err_name ?: "");
		break;
	case CASE_SKIPPED:
		snprintf(r->cell[C_STATUS], CELL, "skip: %s", c->reason ?: "no reason given");
		r->skipped = true;
		return;
	case CASE_UNKNOWN:
		snprintf(r->cell[C_STATUS], CELL, "?");
		break;
	}

	/*
	 * A failed call's time (to EFAULT, say) is not a pin cost: next to real
	 * ones in a mail it would read as one. The JSON and CSV keep it.
	 */
	if (c->status == CASE_ERROR) {
		snprintf(r->cell[C_PIN], CELL, "-");
		snprintf(r->cell[C_UNPIN], CELL, "-");
	} else {
		summary_cell(&c->pin, true, r->cell[C_PIN], CELL);
		summary_cell(&c->unpin, false, r->cell[C_UNPIN], CELL);
	}

	if (isfinite(fb->calls_per_op)) {
		fmt_count(fb->calls_per_op, num, sizeof(num));
		if (isfinite(fb->fraction))
			snprintf(r->cell[C_FALLBACK], CELL, "%s (%.0f%%)", num, fb->fraction * 100);
		else
			snprintf(r->cell[C_FALLBACK], CELL, "%s", num);
	} else {
		snprintf(r->cell[C_FALLBACK], CELL, "n/a");
	}

	if (c->pins.known)
		snprintf(r->cell[C_PINS], CELL, "%s", c->pins.balanced ? "yes" : "NO");
	else
		snprintf(r->cell[C_PINS], CELL, "n/a");
}

/* True if every case that knows it has the same value (>= 0) at offset off. */
static bool uniform(const struct result *r, size_t off, int *val)
{
	bool seen = false;

	for (size_t i = 0; i < r->nr_cases; i++) {
		int v = *(const int *)((const char *)&r->cases[i] + off);

		if (v < 0)
			continue;
		if (seen && v != *val)
			return false;
		*val = v;
		seen = true;
	}
	return seen;
}

static void print_header(FILE *f, const struct result *r)
{
	const struct env *e = &r->env;

	fprintf(f, "kernel %s", e->kernel_release ?: "?");
	if (e->kernel_package)
		fprintf(f, " (%s)", e->kernel_package);
	fprintf(f, "  accel %s", e->accelerator ?: "?");
	fprintf(f, "  cpu %s", e->cpu_model ?: "?");
	if (e->cpus >= 0) {
		fprintf(f, ", %d CPUs", e->cpus);
		if (e->numa_nodes > 1)
			fprintf(f, ", %d nodes", e->numa_nodes);
	}
	fprintf(f, "\n");
	/* Say up front what emulated timings are worth, before anyone quotes them. */
	if (e->icount && !strcmp(e->icount, "1"))
		fprintf(f, "timings: QEMU -icount, 1 ns = 1 instruction: code-path length, not latency\n");
	else if (!strcmp(e->accelerator ?: "", "emulated"))
		fprintf(f, "timings: emulated CPU (QEMU TCG): for function, not for speed\n");

	fprintf(f, "gupbench %s (%s)", r->tool_version ?: "?", r->tool_git ?: "?");
	if (r->params.preset)
		fprintf(f, "  preset %s", r->params.preset);
	if (r->started)
		fprintf(f, "  started %s", r->started);
	if (e->thp_enabled)
		fprintf(f, "  thp %s", e->thp_enabled);
	if (e->thp_shmem_enabled)
		fprintf(f, ", shmem %s", e->thp_shmem_enabled);
	fprintf(f, "\n");
	if (r->interrupted)
		fprintf(f, "INTERRUPTED: only the cases that finished are shown\n");
}

/* Columns that may move to the header when every case has the same value. */
static void print_team_table(FILE *f, const struct result *r);

static const enum col shareable[] = { C_STATE, C_SIZE, C_OPFLAGS, C_THREADS };

void result_print_table(FILE *f, const struct result *r)
{
	size_t n = r->nr_cases;
	int width[C_NCOLS], nsrc = 0, nshared = 0, samples = 0, warmup = 0;
	bool show[C_NCOLS], any_ci = false, any_error = false;
	const char *sources[8];
	struct row *rows = NULL;
	struct quantised q = { 0 };
	char note[200];

	print_header(f, r);
	if (!n || !(rows = calloc(n, sizeof(*rows)))) {
		fprintf(f, "(no cases)\n");
		return;
	}
	for (int j = 0; j < C_NCOLS; j++) {
		width[j] = (int)strlen(col_head[j]);
		show[j] = true;
	}
	for (size_t i = 0; i < n; i++) {
		const char *src = r->cases[i].fallback.source;

		fill_row(&r->cases[i], &rows[i]);
		any_ci |= strchr(rows[i].cell[C_PIN], '[') != NULL;
		any_error |= !strncmp(rows[i].cell[C_STATUS], "error", 5);
		if (src) {
			int k;

			for (k = 0; k < nsrc && strcmp(sources[k], src); k++)
				;
			if (k == nsrc && nsrc < 8)
				sources[nsrc++] = src;
		}
	}

	/* Keep the table narrow enough to paste into mail: shared values go on one line. */
	for (size_t s = 0; s < sizeof(shareable) / sizeof(shareable[0]); s++) {
		int j = shareable[s];
		size_t i;

		for (i = 1; i < n && !strcmp(rows[i].cell[j], rows[0].cell[j]); i++)
			;
		if (i < n)
			continue;
		show[j] = false;
		if (strcmp(rows[0].cell[j], "-"))
			fprintf(f, "%s%s %s", nshared++ ? ", " : "all cases: ", col_head[j],
				rows[0].cell[j]);
	}
	if (uniform(r, offsetof(struct result_case, samples), &samples)) {
		fprintf(f, "%s%d samples", nshared++ ? ", " : "all cases: ", samples);
		if (uniform(r, offsetof(struct result_case, warmup), &warmup))
			fprintf(f, " + %d warm-up", warmup);
		if (r->params.order && !strcmp(r->params.order, "interleaved") && r->params.rounds > 0)
			fprintf(f, ", interleaved in %d rounds", r->params.rounds);
	}
	if (nshared)
		fprintf(f, "\n");

	for (size_t i = 0; i < n; i++)
		for (int j = 0; j < C_NCOLS; j++) {
			int w = (int)strlen(rows[i].cell[j]);

			if (rows[i].skipped && j >= C_STATUS)
				break;
			if (w > width[j])
				width[j] = w;
		}
	for (int j = 0, first = 1; j < C_NCOLS; j++) {
		if (!show[j])
			continue;
		fprintf(f, "%s%-*s", first ? "" : "  ", j == C_NCOLS - 1 ? 0 : width[j],
			col_head[j]);
		first = 0;
	}
	fprintf(f, "\n");
	for (size_t i = 0; i < n; i++) {
		int first = 1;

		for (int j = 0; j < C_NCOLS; j++) {
			bool last = j == C_NCOLS - 1 || (rows[i].skipped && j == C_STATUS);

			if (!show[j])
				continue;
			fprintf(f, "%s%-*s", first ? "" : "  ", last ? 0 : width[j],
				rows[i].cell[j]);
			first = 0;
			if (last)
				break;
		}
		fprintf(f, "\n");
	}
	free(rows);

	if (any_ci)
		fprintf(f, "pin, unpin: ns per page, median [distribution-free 95%% CI of the median]\n");
	if (any_error)
		fprintf(f, "error: times of failed calls are not shown (the JSON keeps them)\n");
	fprintf(f, "fallback/op: share of kernel GUP calls that entered the slow path "
		"(untimed counting pass: ");
	for (int k = 0; k < nsrc; k++)
		fprintf(f, "%s%s", k ? ", " : "", sources[k]);
	fprintf(f, "%s)\n", nsrc ? "" : "no source");
	fprintf(f, "balanced: /proc/vmstat nr_foll_pin_acquired = nr_foll_pin_released\n");
	/* the ns per page above are those calls' times over their pages */
	quantised_add(&q, r);
	if (quantised_note(&q, note, sizeof(note)))
		fprintf(f, "clock: %s\n", note);
	print_team_table(f, r);
	result_print_cross_node(f, r);
}

/* ---- the threads of team cases ---- */

static void team_line(FILE *f, const struct result_case *c)
{
	const struct team_result *t = &c->team;
	char label[256], rate[100] = "-", eff[16] = "-", med[32], lo[32], hi[32], con[48] = "-";

	case_label(c, CASE_DRIVER | CASE_BACKING | CASE_STATE | CASE_OP | CASE_FLAGS, label,
		   sizeof(label));
	if (c->status == CASE_OK && isfinite(t->throughput.median)) {
		rate_text(t->throughput.median, med, sizeof(med));
		rate_text(t->throughput.ci_lo, lo, sizeof(lo));
		rate_text(t->throughput.ci_hi, hi, sizeof(hi));
		snprintf(rate, sizeof(rate), "%s [%s-%s]", med, lo, hi);
	}
	if (isfinite(t->scaling_efficiency))
		snprintf(eff, sizeof(eff), "%.2f", t->scaling_efficiency);
	if (t->has_contender) {
		rate_text(t->contender_ops_per_s, con, sizeof(con));
		snprintf(con + strlen(con), sizeof(con) - strlen(con), " %s/s", case_contend(c));
	}
	fprintf(f, "%-28s  %3d  %-7s  %-9s  %-10s  %-22s  %4s  %-7s  %s\n", label, c->threads,
		case_share(c), case_place(c), case_mem(c), rate, eff,
		t->placement_held ? "held" : "MOVED", con);
	for (size_t i = 0; i < t->nr_threads; i++) {
		const struct thread_result *th = &t->thread[i];
		char nodes[64] = "", fb[16] = "n/a";

		for (size_t k = 0; k < th->page_nodes.n; k++) {
			const struct attr *a = &th->page_nodes.v[k];

			if (!strncmp(a->key, "nodes.", 6) && a->type == ATTR_INT && a->i > 0)
				snprintf(nodes + strlen(nodes), sizeof(nodes) - strlen(nodes), "%s%s",
					 *nodes ? "," : "", a->key + 6);
		}
		if (isfinite(th->fallback_calls_per_op))
			snprintf(fb, sizeof(fb), "%.2f", th->fallback_calls_per_op);
		fprintf(f, "    thread %zu: cpu %d->%d%s%s  mem %s  %.*f ns/page  fallback %s\n",
			i, th->cpu_first, th->cpu_last, th->cpu_wanted >= 0 ? " (bound)" : "",
			!th->placement_held ? " MOVED" : "", *nodes ? nodes : "-",
			ns_prec(th->pin.per_page.median), th->pin.per_page.median, fb);
	}
}

/* Printed after the cases when any ran on worker threads. */
static void print_team_table(FILE *f, const struct result *r)
{
	bool any = false;

	for (size_t i = 0; i < r->nr_cases; i++)
		any |= r->cases[i].team.present;
	if (!any)
		return;
	fprintf(f, "\n%-28s  %3s  %-7s  %-9s  %-10s  %-22s  %4s  %-7s  %s\n", "threads", "n",
		"share", "place", "mem", "pages/s [95% CI]", "eff", "cpus", "contender");
	for (size_t i = 0; i < r->nr_cases; i++)
		if (r->cases[i].team.present)
			team_line(f, &r->cases[i]);
	fprintf(f, "pages/s: pages all threads pinned per second of a sample's window (the "
		"threads released\n  together, to the last pin returned), median [95%% CI]; "
		"eff: pages/s over n x pages/s\n  at 1 thread; pin above: the median of the "
		"threads' ns per page; cpu: before the\n  first and after the last sample; mem: "
		"nodes the buffer's pages sat on\n");
}

/* ---- CSV ---- */

enum csv_kind {
	CSV_TEXT,	/* a string (char *), RFC 4180 quoted */
	CSV_DOUBLE,	/* in its shortest exact text; NaN empty */
	CSV_U64,	/* uint64_t; 0 (unknown) empty */
	CSV_INT,	/* int; -1 (unknown) empty */
	CSV_N,		/* size_t count of a summary; 0 (none) empty */
	CSV_FLAGS,	/* the case's flags, joined with '|' */
	CSV_STATUS,	/* the case's status */
	CSV_BALANCED,	/* pins.balanced as yes or no; empty when not known */
};

#define AT(field) offsetof(struct result_case, field)

/*
 * The columns, in order, as results/README.md lists them: the header row and
 * every case's row are both made from this table, so they cannot disagree.
 * off: where the value sits in struct result_case. An unknown value is an
 * empty cell.
 */
static const struct csv_col {
	const char *name;
	enum csv_kind kind;
	size_t off;
} csv_cols[] = {
	{ "driver", CSV_TEXT, AT(driver) },
	{ "backing", CSV_TEXT, AT(backing) },
	{ "state", CSV_TEXT, AT(state) },
	{ "op", CSV_TEXT, AT(op) },
	{ "flags", CSV_FLAGS, AT(flags) },
	{ "size_bytes", CSV_U64, AT(size_bytes) },
	{ "pages", CSV_U64, AT(pages) },
	{ "pages_per_call", CSV_U64, AT(pages_per_call) },
	{ "samples", CSV_INT, AT(samples) },
	{ "status", CSV_STATUS, AT(status) },
	{ "errno", CSV_TEXT, AT(err_name) },
	{ "reason", CSV_TEXT, AT(reason) },
	{ "pin_ns_per_page_median", CSV_DOUBLE, AT(pin.per_page.median) },
	{ "pin_ns_per_page_ci95_lo", CSV_DOUBLE, AT(pin.per_page.ci_lo) },
	{ "pin_ns_per_page_ci95_hi", CSV_DOUBLE, AT(pin.per_page.ci_hi) },
	{ "pin_ns_per_page_p10", CSV_DOUBLE, AT(pin.per_page.p10) },
	{ "pin_ns_per_page_p90", CSV_DOUBLE, AT(pin.per_page.p90) },
	{ "pin_n", CSV_N, AT(pin.per_page.n) },
	{ "pin_ns_per_call_median", CSV_DOUBLE, AT(pin.per_call.median) },
	{ "unpin_ns_per_page_median", CSV_DOUBLE, AT(unpin.per_page.median) },
	{ "unpin_ns_per_page_ci95_lo", CSV_DOUBLE, AT(unpin.per_page.ci_lo) },
	{ "unpin_ns_per_page_ci95_hi", CSV_DOUBLE, AT(unpin.per_page.ci_hi) },
	{ "fallback_calls_per_op", CSV_DOUBLE, AT(fallback.calls_per_op) },
	{ "fallback_pages_per_op", CSV_DOUBLE, AT(fallback.pages_per_op) },
	{ "fallback_fraction", CSV_DOUBLE, AT(fallback.fraction) },
	{ "fallback_source", CSV_TEXT, AT(fallback.source) },
	{ "pins_balanced", CSV_BALANCED, AT(pins) },
	{ "mmap_lock_acquisitions_per_op", CSV_DOUBLE, AT(mmap_lock.acquisitions_per_op) },
	/* how the threads ran: empty share, place, mem, contend are the defaults */
	{ "threads", CSV_INT, AT(threads) },
	{ "share", CSV_TEXT, AT(share) },
	{ "place", CSV_TEXT, AT(place) },
	{ "mem", CSV_TEXT, AT(mem) },
	{ "contend", CSV_TEXT, AT(contend) },
	{ "pages_per_s_median", CSV_DOUBLE, AT(team.throughput.median) },
	{ "scaling_efficiency", CSV_DOUBLE, AT(team.scaling_efficiency) },
	{ "contender_ops_per_s", CSV_DOUBLE, AT(team.contender_ops_per_s) },
};

/* RFC 4180: quote a field that holds a comma, quote or line break. */
static void csv_text(FILE *f, const char *s)
{
	if (!s)
		return;
	if (!strpbrk(s, ",\"\r\n")) {
		fputs(s, f);
		return;
	}
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', f);
		fputc(*s, f);
	}
	fputc('"', f);
}

static void csv_cell(FILE *f, const struct csv_col *col, const struct result_case *c)
{
	const void *p = (const char *)c + col->off;
	char buf[96];

	switch (col->kind) {
	case CSV_TEXT:
		csv_text(f, *(char *const *)p);
		break;
	case CSV_DOUBLE:
		if (isfinite(*(const double *)p)) {
			json_double_text(*(const double *)p, buf, sizeof(buf));
			fputs(buf, f);
		}
		break;
	case CSV_U64:
		if (*(const uint64_t *)p)
			fprintf(f, "%llu", (unsigned long long)*(const uint64_t *)p);
		break;
	case CSV_INT:
		if (*(const int *)p >= 0)
			fprintf(f, "%d", *(const int *)p);
		break;
	case CSV_N:
		if (*(const size_t *)p)
			fprintf(f, "%zu", *(const size_t *)p);
		break;
	case CSV_FLAGS:
		flags_text(c->flags, "|", buf, sizeof(buf));
		csv_text(f, buf);
		break;
	case CSV_STATUS:
		csv_text(f, c->status == CASE_OK ? "ok" : c->status == CASE_ERROR ? "error" :
			    c->status == CASE_SKIPPED ? "skipped" : NULL);
		break;
	case CSV_BALANCED:
		csv_text(f, c->pins.known ? (c->pins.balanced ? "yes" : "no") : NULL);
		break;
	}
}

void result_print_csv(FILE *f, const struct result *r)
{
	const size_t ncols = sizeof(csv_cols) / sizeof(csv_cols[0]);

	for (size_t j = 0; j < ncols; j++) {
		if (j)
			fputc(',', f);
		csv_text(f, csv_cols[j].name);
	}
	fputc('\n', f);
	for (size_t i = 0; i < r->nr_cases; i++) {
		for (size_t j = 0; j < ncols; j++) {
			if (j)
				fputc(',', f);
			csv_cell(f, &csv_cols[j], &r->cases[i]);
		}
		fputc('\n', f);
	}
}
