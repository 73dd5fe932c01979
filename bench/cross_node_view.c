// SPDX-License-Identifier: GPL-2.0
/* The cross-node matrix of a run's cases, and its table for the terminal (cross_node_view.h). */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "case_key.h"
#include "cross_node_view.h"

#define CELL_W 8	/* 8 nodes fit in 72 columns */

/* "node:N" -> N; -1 for any other policy. */
static int policy_node(const char *policy)
{
	char *end;
	long v;

	if (!policy || strncmp(policy, "node:", 5) || policy[5] < '0' || policy[5] > '9')
		return -1;
	errno = 0;
	v = strtol(policy + 5, &end, 10);
	return errno || *end || v > 1 << 20 ? -1 : (int)v;
}

bool case_cross_node(const struct result_case *c, int *cpu, int *mem)
{
	*cpu = policy_node(c->place);
	*mem = policy_node(c->mem);
	return *cpu >= 0 && *mem >= 0;
}

void cross_node_group_key(const struct result_case *c, char *buf, size_t n)
{
	struct result_case t = *c;

	t.place = t.mem = NULL;
	case_key(&t, buf, n);
}

void cross_node_group_label(const struct result_case *c, unsigned int parts, char *buf,
			    size_t n)
{
	struct result_case t = *c;

	t.place = t.mem = NULL;
	case_label(&t, parts, buf, n);
}

double cross_node_ratio(const double *v, const int *rows, size_t nr, const int *cols,
			size_t nc)
{
	double logs = 0;
	size_t cells = 0;

	for (size_t r = 0; r < nr; r++) {
		double local = NAN;

		for (size_t c = 0; c < nc; c++)
			if (cols[c] == rows[r])
				local = v[r * nc + c];
		if (!(isfinite(local) && local > 0))
			continue;
		for (size_t c = 0; c < nc; c++) {
			double x = v[r * nc + c];

			if (cols[c] != rows[r] && isfinite(x) && x > 0) {
				logs += log(x / local);
				cells++;
			}
		}
	}
	return cells ? exp(logs / cells) : NAN;
}

void cross_node_ns_text(double v, char *buf, size_t n)
{
	double a = fabs(v);

	if (!isfinite(v))
		snprintf(buf, n, "-");
	else
		snprintf(buf, n, "%.*f", a < 10 ? 2 : a < 100 ? 1 : 0, v);
}

static int by_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

/* Add v to the set s of *n ints (room for it is the caller's). */
static void add_node(int *s, size_t *n, int v)
{
	for (size_t i = 0; i < *n; i++)
		if (s[i] == v)
			return;
	s[(*n)++] = v;
	qsort(s, *n, sizeof(*s), by_int);
}

static double pin_median(const struct result_case *c)
{
	if (c->status != CASE_OK || !c->has_run || !c->pin.present || !c->pin.per_page.n)
		return NAN;
	return c->pin.per_page.median;
}

static void cell_text(const struct result_case *c, char *buf, size_t n)
{
	if (!c)
		snprintf(buf, n, "-");
	else if (c->status == CASE_ERROR)
		snprintf(buf, n, "%.*s", CELL_W - 1, c->err_name ? c->err_name : "error");
	else if (c->status == CASE_SKIPPED)
		snprintf(buf, n, "skipped");
	else
		cross_node_ns_text(pin_median(c), buf, n);
}

/* The matrix of the group whose first case is first; done[] marks the cases printed. */
static void print_group(FILE *f, const struct result *r, size_t first, bool *done)
{
	size_t nc = r->nr_cases, nrow = 0, ncol = 0;
	int *rows = calloc(nc, sizeof(*rows)), *cols = calloc(nc, sizeof(*cols));
	const struct result_case **cell = NULL;
	double *v = NULL;
	char key[256], other[256], label[160], text[32];
	double ratio;
	int cpu, mem;

	if (!rows || !cols)
		goto out;
	cross_node_group_key(&r->cases[first], key, sizeof(key));
	for (size_t i = first; i < nc; i++) {
		if (done[i] || !case_cross_node(&r->cases[i], &cpu, &mem))
			continue;
		cross_node_group_key(&r->cases[i], other, sizeof(other));
		if (strcmp(key, other))
			continue;
		add_node(rows, &nrow, cpu);
		add_node(cols, &ncol, mem);
	}
	cell = calloc(nrow * ncol, sizeof(*cell));
	v = calloc(nrow * ncol, sizeof(*v));
	if (!cell || !v)
		goto out;
	for (size_t i = first; i < nc; i++) {
		size_t ri = 0, ci = 0;

		if (done[i] || !case_cross_node(&r->cases[i], &cpu, &mem))
			continue;
		cross_node_group_key(&r->cases[i], other, sizeof(other));
		if (strcmp(key, other))
			continue;
		done[i] = true;
		while (rows[ri] != cpu)
			ri++;
		while (cols[ci] != mem)
			ci++;
		/* a run has one case per key: the first is the cell */
		if (!cell[ri * ncol + ci])
			cell[ri * ncol + ci] = &r->cases[i];
	}
	cross_node_group_label(&r->cases[first], CASE_ALL, label, sizeof(label));
	fprintf(f, "%s\n%*s", label, CELL_W + 2, "cpu\\mem");
	for (size_t c = 0; c < ncol; c++) {
		snprintf(text, sizeof(text), "node %d", cols[c]);
		fprintf(f, "%*s", CELL_W, text);
	}
	fputc('\n', f);
	for (size_t ri = 0; ri < nrow; ri++) {
		snprintf(text, sizeof(text), "node %d", rows[ri]);
		fprintf(f, "%*s", CELL_W + 2, text);
		for (size_t c = 0; c < ncol; c++) {
			const struct result_case *cs = cell[ri * ncol + c];

			v[ri * ncol + c] = cs ? pin_median(cs) : NAN;
			cell_text(cs, text, sizeof(text));
			fprintf(f, "%*s", CELL_W, text);
		}
		fputc('\n', f);
	}
	ratio = cross_node_ratio(v, rows, nrow, cols, ncol);
	if (isfinite(ratio))
		fprintf(f, "  remote/local %.2f\n", ratio);
	else
		fprintf(f, "  remote/local -\n");
out:
	free(rows);
	free(cols);
	free(cell);
	free(v);
}

void result_print_cross_node(FILE *f, const struct result *r)
{
	bool *done = calloc(r->nr_cases ? r->nr_cases : 1, sizeof(*done)), any = false;
	int cpu, mem;

	if (!done)
		return;
	for (size_t i = 0; i < r->nr_cases; i++) {
		if (done[i] || !case_cross_node(&r->cases[i], &cpu, &mem))
			continue;
		if (!any)
			fprintf(f, "cross-node pin, median ns per 4 KiB page: CPU node x memory "
				"node\n");
		any = true;
		print_group(f, r, i, done);
		/* without memory, print_group() marks nothing: do not loop on it */
		done[i] = true;
	}
	if (any)
		fprintf(f, "remote/local: remote cell / its CPU node's local cell, geometric "
			"mean\n");
	free(done);
}
