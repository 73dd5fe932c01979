// SPDX-License-Identifier: GPL-2.0
/* Views of a result file: the table made to paste into mail, CSV, and the JSON itself. */
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "gupbench.h"
#include "result.h"
#include "stats.h"

/*
 * A case object, as the run loop writes it (results/README.md has the full
 * list): driver, backing, state, op, flags[], size_bytes, pages,
 * pages_per_call, gup_path, status ("ok" | "error" | "skipped"), errno,
 * reason, samples, warmup, pin / unpin {samples_ns_per_page[], ns_per_page,
 * ns_per_call}, fallback {calls_per_op, pages_per_op, fraction, source,
 * reason}, mmap_lock {acquisitions_per_op, ...}, counters, pins {acquired, released, balanced} or {source, reason},
 * placement. Any of them may be null or absent (a skipped case has no pin):
 * the printers below never assume one is there.
 */

/* ---- field access that tolerates null and absent ---- */

static json_object *jget(json_object *o, const char *key)
{
	json_object *v;

	if (!o || !json_object_is_type(o, json_type_object) ||
	    !json_object_object_get_ex(o, key, &v))
		return NULL;
	return v;
}

static const char *jstr(json_object *o, const char *key)
{
	json_object *v = jget(o, key);

	return v && json_object_is_type(v, json_type_string) ? json_object_get_string(v) : NULL;
}

static bool jnum(json_object *v, double *out)
{
	if (!v || !(json_object_is_type(v, json_type_double) ||
		    json_object_is_type(v, json_type_int)))
		return false;
	*out = json_object_get_double(v);
	return true;
}

static bool jnum_at(json_object *o, const char *key, double *out)
{
	return jnum(jget(o, key), out);
}

/* A case's flags array as "WRITE|LONGTERM"; "" when none. */
static void flags_str(json_object *fl, char *buf, size_t n)
{
	size_t used = 0;

	buf[0] = '\0';
	if (!fl || !json_object_is_type(fl, json_type_array))
		return;
	for (size_t i = 0; i < json_object_array_length(fl); i++) {
		json_object *f = json_object_array_get_idx(fl, i);

		if (!f || !json_object_is_type(f, json_type_string))
			continue;
		used += snprintf(buf + used, used < n ? n - used : 0, "%s%s",
				 used ? "|" : "", json_object_get_string(f));
	}
}

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
	C_DRIVER, C_BACKING, C_STATE, C_SIZE, C_OPFLAGS, C_PPC, C_STATUS,
	C_PIN, C_UNPIN, C_FALLBACK, C_PINS, C_NCOLS
};

static const char *const col_head[C_NCOLS] = {
	"driver", "backing", "state", "size", "op/flags", "pages/call", "status",
	"pin [95% CI]", "unpin", "fallback/op", "balanced",
};

#define CELL 160

struct row {
	char cell[C_NCOLS][CELL];
	bool skipped;		/* status cell runs to the end of the line */
};

static void summary_cell(json_object *side, bool with_ci, char *buf, size_t n)
{
	json_object *s = jget(side, "ns_per_page"), *ci = jget(s, "ci95");
	double med, lo, hi;
	int p;

	if (!jnum_at(s, "median", &med)) {
		snprintf(buf, n, "-");
		return;
	}
	p = ns_prec(med);
	if (with_ci && ci && json_object_is_type(ci, json_type_array) &&
	    json_object_array_length(ci) == 2 &&
	    jnum(json_object_array_get_idx(ci, 0), &lo) &&
	    jnum(json_object_array_get_idx(ci, 1), &hi))
		snprintf(buf, n, "%.*f [%.*f-%.*f]", p, med, p, lo, p, hi);
	else
		snprintf(buf, n, "%.*f", p, med);
}

static void fill_row(json_object *c, struct row *r)
{
	json_object *fb = jget(c, "fallback"), *pins = jget(c, "pins"), *bal;
	const char *status = jstr(c, "status"), *op = jstr(c, "op"), *e, *why;
	char flags[96], num[32];
	double v, frac;

	memset(r, 0, sizeof(*r));
	snprintf(r->cell[C_DRIVER], CELL, "%s", jstr(c, "driver") ?: "?");
	snprintf(r->cell[C_BACKING], CELL, "%s", jstr(c, "backing") ?: "?");
	snprintf(r->cell[C_STATE], CELL, "%s", jstr(c, "state") ?: "-");
	if (jnum_at(c, "size_bytes", &v))
		fmt_size(v, r->cell[C_SIZE], CELL);
	else
		snprintf(r->cell[C_SIZE], CELL, "-");
	flags_str(jget(c, "flags"), flags, sizeof(flags));
	snprintf(r->cell[C_OPFLAGS], CELL, "%s%s%s", op ?: "", op && *flags ? " " : "",
		 *flags || op ? flags : "-");
	if (jnum_at(c, "pages_per_call", &v))
		snprintf(r->cell[C_PPC], CELL, "%.0f", v);
	else
		snprintf(r->cell[C_PPC], CELL, "-");

	if (status && !strcmp(status, "ok")) {
		snprintf(r->cell[C_STATUS], CELL, "ok");
	} else if (status && !strcmp(status, "error")) {
		e = jstr(c, "errno");
		snprintf(r->cell[C_STATUS], CELL, "error%s%s", e ? " " : "", e ?: "");
	} else if (status && !strcmp(status, "skipped")) {
		why = jstr(c, "reason");
		snprintf(r->cell[C_STATUS], CELL, "skip: %s", why ?: "no reason given");
		r->skipped = true;
		return;
	} else {
		snprintf(r->cell[C_STATUS], CELL, "%s", status ?: "?");
	}

	/*
	 * A failed call's time (to EFAULT, say) is not a pin cost: next to real
	 * ones in a mail it would read as one. The JSON and CSV keep it.
	 */
	if (status && !strcmp(status, "error")) {
		snprintf(r->cell[C_PIN], CELL, "-");
		snprintf(r->cell[C_UNPIN], CELL, "-");
	} else {
		summary_cell(jget(c, "pin"), true, r->cell[C_PIN], CELL);
		summary_cell(jget(c, "unpin"), false, r->cell[C_UNPIN], CELL);
	}

	if (jnum_at(fb, "calls_per_op", &v)) {
		fmt_count(v, num, sizeof(num));
		if (jnum_at(fb, "fraction", &frac))
			snprintf(r->cell[C_FALLBACK], CELL, "%s (%.0f%%)", num, frac * 100);
		else
			snprintf(r->cell[C_FALLBACK], CELL, "%s", num);
	} else {
		snprintf(r->cell[C_FALLBACK], CELL, "n/a");
	}

	bal = jget(pins, "balanced");
	if (bal && json_object_is_type(bal, json_type_boolean))
		snprintf(r->cell[C_PINS], CELL, "%s", json_object_get_boolean(bal) ? "yes" : "NO");
	else
		snprintf(r->cell[C_PINS], CELL, "n/a");
}

/* True if every case has the same value (or none) for key. */
static bool uniform(json_object *cases, size_t n, const char *key, double *val)
{
	bool seen = false;

	for (size_t i = 0; i < n; i++) {
		double v;

		if (!jnum_at(json_object_array_get_idx(cases, i), key, &v))
			continue;
		if (seen && v != *val)
			return false;
		*val = v;
		seen = true;
	}
	return seen;
}

static void print_header(FILE *f, json_object *root)
{
	json_object *sys = jget(root, "system"), *k = jget(sys, "kernel"), *cpu = jget(sys, "cpu");
	json_object *thp = jget(sys, "thp"), *tool = jget(root, "tool");
	const char *pkg = jstr(k, "package"), *icount = jstr(sys, "icount");
	const char *started = jstr(root, "started");
	double v;

	fprintf(f, "kernel %s", jstr(k, "release") ?: "?");
	if (pkg)
		fprintf(f, " (%s)", pkg);
	fprintf(f, "  accel %s", jstr(sys, "accelerator") ?: "?");
	fprintf(f, "  cpu %s", jstr(cpu, "model") ?: "?");
	if (jnum_at(cpu, "cpus", &v)) {
		fprintf(f, ", %.0f CPUs", v);
		if (jnum_at(cpu, "numa_nodes", &v) && v > 1)
			fprintf(f, ", %.0f nodes", v);
	}
	fprintf(f, "\n");
	/* Say up front what emulated timings are worth, before anyone quotes them. */
	if (icount && !strcmp(icount, "1"))
		fprintf(f, "timings: QEMU -icount, 1 ns = 1 instruction: code-path length, not latency\n");
	else if (!strcmp(jstr(sys, "accelerator") ?: "", "emulated"))
		fprintf(f, "timings: emulated CPU (QEMU TCG): for function, not for speed\n");

	fprintf(f, "gupbench %s (%s)", jstr(tool, "version") ?: "?", jstr(tool, "git") ?: "?");
	if (jstr(jget(root, "parameters"), "preset"))
		fprintf(f, "  preset %s", jstr(jget(root, "parameters"), "preset"));
	if (started)
		fprintf(f, "  started %s", started);
	if (jstr(thp, "enabled"))
		fprintf(f, "  thp %s", jstr(thp, "enabled"));
	if (jstr(thp, "shmem_enabled"))
		fprintf(f, ", shmem %s", jstr(thp, "shmem_enabled"));
	fprintf(f, "\n");
	if (json_object_get_boolean(jget(root, "interrupted")))
		fprintf(f, "INTERRUPTED: only the cases that finished are shown\n");
}

/* Columns that may move to the header when every case has the same value. */
static const enum col shareable[] = { C_STATE, C_SIZE, C_OPFLAGS };

void result_print_table(FILE *f, json_object *root)
{
	json_object *cases = jget(root, "cases"), *c, *fb;
	size_t n = cases && json_object_is_type(cases, json_type_array) ?
		   json_object_array_length(cases) : 0;
	int width[C_NCOLS], nsrc = 0, nshared = 0;
	bool show[C_NCOLS], any_ci = false, any_error = false;
	const char *sources[8];
	struct row *rows = NULL;
	double samples, warmup;

	print_header(f, root);
	if (!n || !(rows = calloc(n, sizeof(*rows)))) {
		fprintf(f, "(no cases)\n");
		return;
	}
	for (int j = 0; j < C_NCOLS; j++) {
		width[j] = (int)strlen(col_head[j]);
		show[j] = true;
	}
	for (size_t i = 0; i < n; i++) {
		c = json_object_array_get_idx(cases, i);
		fill_row(c, &rows[i]);
		any_ci |= strchr(rows[i].cell[C_PIN], '[') != NULL;
		any_error |= !strncmp(rows[i].cell[C_STATUS], "error", 5);
		fb = jget(c, "fallback");
		if (jstr(fb, "source")) {
			int k;

			for (k = 0; k < nsrc && strcmp(sources[k], jstr(fb, "source")); k++)
				;
			if (k == nsrc && nsrc < 8)
				sources[nsrc++] = jstr(fb, "source");
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
	if (uniform(cases, n, "samples", &samples)) {
		fprintf(f, "%s%.0f samples", nshared++ ? ", " : "all cases: ", samples);
		if (uniform(cases, n, "warmup", &warmup))
			fprintf(f, " + %.0f warm-up", warmup);
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
}

/* ---- CSV ---- */

enum csv_kind {
	CSV_TEXT,	/* a string, RFC 4180 quoted */
	CSV_NUMBER,	/* exact: an integer as such, a double in its shortest text */
	CSV_FLAGS,	/* an array of flag names, joined with '|' */
	CSV_YES_NO,	/* a boolean */
};

/*
 * The columns, in order, as results/README.md lists them: the header row and
 * every case's row are both made from this table, so they cannot disagree.
 * path: keys from the case object down, dot-separated; a number indexes an
 * array. Anything missing, null or of another type is an empty cell.
 */
static const struct csv_col {
	const char *name;
	enum csv_kind kind;
	const char *path;
} csv_cols[] = {
	{ "driver", CSV_TEXT, "driver" },
	{ "backing", CSV_TEXT, "backing" },
	{ "state", CSV_TEXT, "state" },
	{ "op", CSV_TEXT, "op" },
	{ "flags", CSV_FLAGS, "flags" },
	{ "size_bytes", CSV_NUMBER, "size_bytes" },
	{ "pages", CSV_NUMBER, "pages" },
	{ "pages_per_call", CSV_NUMBER, "pages_per_call" },
	{ "samples", CSV_NUMBER, "samples" },
	{ "status", CSV_TEXT, "status" },
	{ "errno", CSV_TEXT, "errno" },
	{ "reason", CSV_TEXT, "reason" },
	{ "pin_ns_per_page_median", CSV_NUMBER, "pin.ns_per_page.median" },
	{ "pin_ns_per_page_ci95_lo", CSV_NUMBER, "pin.ns_per_page.ci95.0" },
	{ "pin_ns_per_page_ci95_hi", CSV_NUMBER, "pin.ns_per_page.ci95.1" },
	{ "pin_ns_per_page_p10", CSV_NUMBER, "pin.ns_per_page.p10" },
	{ "pin_ns_per_page_p90", CSV_NUMBER, "pin.ns_per_page.p90" },
	{ "pin_n", CSV_NUMBER, "pin.ns_per_page.n" },
	{ "pin_ns_per_call_median", CSV_NUMBER, "pin.ns_per_call.median" },
	{ "unpin_ns_per_page_median", CSV_NUMBER, "unpin.ns_per_page.median" },
	{ "unpin_ns_per_page_ci95_lo", CSV_NUMBER, "unpin.ns_per_page.ci95.0" },
	{ "unpin_ns_per_page_ci95_hi", CSV_NUMBER, "unpin.ns_per_page.ci95.1" },
	{ "fallback_calls_per_op", CSV_NUMBER, "fallback.calls_per_op" },
	{ "fallback_pages_per_op", CSV_NUMBER, "fallback.pages_per_op" },
	{ "fallback_fraction", CSV_NUMBER, "fallback.fraction" },
	{ "fallback_source", CSV_TEXT, "fallback.source" },
	{ "pins_balanced", CSV_YES_NO, "pins.balanced" },
	{ "mmap_lock_acquisitions_per_op", CSV_NUMBER, "mmap_lock.acquisitions_per_op" },
};

/* The value at a dotted path from o; NULL where a step is missing. */
static json_object *jpath(json_object *o, const char *path)
{
	char key[64], *end;
	unsigned long i;

	while (o && *path) {
		size_t len = strcspn(path, ".");

		snprintf(key, sizeof(key), "%.*s", (int)len, path);
		path += len + (path[len] == '.');
		if (!json_object_is_type(o, json_type_array)) {
			o = jget(o, key);
			continue;
		}
		/*
		 * Only ci95 is indexed, a [lo, hi] pair: one of another length is
		 * damaged, and its bounds are left empty rather than guessed.
		 */
		i = strtoul(key, &end, 10);
		o = end == key || *end || i > 1 || json_object_array_length(o) != 2 ? NULL :
		    json_object_array_get_idx(o, i);
	}
	return o;
}

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

static void csv_number(FILE *f, json_object *v)
{
	char buf[40];
	double d;

	if (!jnum(v, &d))
		return;
	if (json_object_is_type(v, json_type_int)) {
		fprintf(f, "%lld", (long long)json_object_get_int64(v));
		return;
	}
	json_double_text(d, buf, sizeof(buf));
	if (strcmp(buf, "null"))
		fputs(buf, f);
}

static void csv_cell(FILE *f, const struct csv_col *col, json_object *c)
{
	json_object *v = jpath(c, col->path);
	char flags[96];

	switch (col->kind) {
	case CSV_TEXT:
		csv_text(f, v && json_object_is_type(v, json_type_string) ?
			    json_object_get_string(v) : NULL);
		break;
	case CSV_NUMBER:
		csv_number(f, v);
		break;
	case CSV_FLAGS:
		flags_str(v, flags, sizeof(flags));
		csv_text(f, flags);
		break;
	case CSV_YES_NO:
		csv_text(f, v && json_object_is_type(v, json_type_boolean) ?
			    (json_object_get_boolean(v) ? "yes" : "no") : NULL);
		break;
	}
}

void result_print_csv(FILE *f, json_object *root)
{
	json_object *cases = jget(root, "cases");
	size_t n = cases && json_object_is_type(cases, json_type_array) ?
		   json_object_array_length(cases) : 0;
	const size_t ncols = sizeof(csv_cols) / sizeof(csv_cols[0]);

	for (size_t j = 0; j < ncols; j++) {
		if (j)
			fputc(',', f);
		csv_text(f, csv_cols[j].name);
	}
	fputc('\n', f);
	for (size_t i = 0; i < n; i++) {
		json_object *c = json_object_array_get_idx(cases, i);

		for (size_t j = 0; j < ncols; j++) {
			if (j)
				fputc(',', f);
			csv_cell(f, &csv_cols[j], c);
		}
		fputc('\n', f);
	}
}

/* ---- JSON ---- */

void result_print_json(FILE *f, json_object *root)
{
	/* As parsed: numbers keep the text they had in the file. */
	fprintf(f, "%s\n", json_object_to_json_string_ext(root, JSON_C_TO_STRING_PRETTY |
			JSON_C_TO_STRING_SPACED | JSON_C_TO_STRING_NOSLASHESCAPE));
}
