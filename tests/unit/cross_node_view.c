// SPDX-License-Identifier: GPL-2.0
/*
 * The cross-node matrix: which cases are its cells, remote/local, and the
 * table for the terminal, on tests/fixtures/results/team/cross-node.json (two
 * nodes made from a one-node run --cross-node by cross-node.jq: each remote
 * cell's pin times scaled). The expected cells come from the file's medians.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tap.h"
#include "case_key.h"
#include "cross_node_view.h"
#include "result.h"

static char *print(const struct result *r)
{
	char *buf = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&buf, &n);

	if (!f)
		return NULL;
	result_print_cross_node(f, r);
	fclose(f);
	return buf;
}

/* The run table's precision: 2 decimals under 10 ns, 1 under 100, then none. */
static void ns(double v, char *buf, size_t n)
{
	snprintf(buf, n, "%.*f", fabs(v) < 10 ? 2 : fabs(v) < 100 ? 1 : 0, v);
}

static const struct result_case *cell(const struct result *r, const char *state, int cpu,
				      int mem)
{
	int c, m;

	for (size_t i = 0; i < r->nr_cases; i++)
		if (!strcmp(r->cases[i].state, state) && case_cross_node(&r->cases[i], &c, &m) &&
		    c == cpu && m == mem)
			return &r->cases[i];
	return NULL;
}

/* The line after the group's label line that starts (after spaces) with start; NULL. */
static const char *line_of(const char *out, const char *label, const char *start,
			   char *buf, size_t n)
{
	char want[256];
	const char *p;

	snprintf(want, sizeof(want), "\n%s\n", label);
	p = strstr(out, want);
	if (!p)
		return NULL;
	for (p += strlen(want); *p; ) {
		size_t len = strcspn(p, "\n"), sp = strspn(p, " ");

		if (!strncmp(p + sp, start, strlen(start))) {
			snprintf(buf, n, "%.*s", (int)len, p);
			return buf;
		}
		/* the next group's label (no indent) ends this one */
		if (!sp)
			return NULL;
		p += len + (p[len] == '\n');
	}
	return NULL;
}

/* Row "node C" of the group: its cells, each right-aligned in 8 columns after 10. */
static void check_group(const struct result *r, const char *out, const char *state)
{
	const struct result_case *c00 = cell(r, state, 0, 0), *c01 = cell(r, state, 0, 1);
	const struct result_case *c10 = cell(r, state, 1, 0), *c11 = cell(r, state, 1, 1);
	char label[160], line[256], want[256], a[32], b[32];
	double ratio;

	if (!c00 || !c01 || !c10 || !c11) {
		tap_ok(0, "%s: four cells in the fixture", state);
		tap_ok(0, "%s: (skipped)", state);
		tap_ok(0, "%s: (skipped)", state);
		return;
	}
	cross_node_group_label(c00, CASE_ALL, label, sizeof(label));
	ns(c00->pin.per_page.median, a, sizeof(a));
	ns(c01->pin.per_page.median, b, sizeof(b));
	snprintf(want, sizeof(want), "%10s%8s%8s", "node 0", a, b);
	tap_ok(line_of(out, label, "node 0", line, sizeof(line)) && !strcmp(line, want),
	       "%s: CPU node 0 reads its local and its remote median: '%s'", state, want);
	ns(c10->pin.per_page.median, a, sizeof(a));
	ns(c11->pin.per_page.median, b, sizeof(b));
	snprintf(want, sizeof(want), "%10s%8s%8s", "node 1", a, b);
	tap_ok(line_of(out, label, "node 1", line, sizeof(line)) && !strcmp(line, want),
	       "%s: CPU node 1 reads its remote and its local median: '%s'", state, want);
	ratio = sqrt(c01->pin.per_page.median / c00->pin.per_page.median *
		     c10->pin.per_page.median / c11->pin.per_page.median);
	snprintf(want, sizeof(want), "  remote/local %.2f", ratio);
	tap_ok(line_of(out, label, "remote/local", line, sizeof(line)) && !strcmp(line, want),
	       "%s: remote/local, the geometric mean of the two rows' ratios: '%s'", state, want);
}

static void ratios(void)
{
	/* nodes 0, 2, 5; row 2 has no local cell, row 5 one remote cell left blank */
	const int rows[] = { 0, 2, 5 }, cols[] = { 0, 2, 5 };
	const double v[] = {
		10, 20, 40,
		30, NAN, 60,
		NAN, 16, 8,
	};
	const int one[] = { 0 }, other[] = { 1 };
	const double local_only[] = { 5 };
	double want = exp((log(2.0) + log(4.0) + log(2.0)) / 3), got;

	got = cross_node_ratio(v, rows, 3, cols, 3);
	tap_ok(fabs(got - want) < 1e-12,
	       "ratio: remote cells over their row's local cell, geometric mean (%g, want %g)",
	       got, want);
	tap_ok(isnan(cross_node_ratio(local_only, one, 1, one, 1)) &&
	       isnan(cross_node_ratio(local_only, one, 1, other, 1)),
	       "ratio: NaN without a local and a remote cell in one row");
}

static void cells(void)
{
	struct result_case c = { 0 };
	int cpu = -1, mem = -1;
	const char *bad[] = { NULL, "none", "node:", "node:x", "node:1x", "node:-1", "scatter" };
	bool none = true;

	c.place = "node:3";
	c.mem = "node:12";
	tap_ok(case_cross_node(&c, &cpu, &mem) && cpu == 3 && mem == 12,
	       "node:3 x node:12 is a cell (%d, %d)", cpu, mem);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		c.place = (char *)bad[i];
		none = none && !case_cross_node(&c, &cpu, &mem);
		c.place = "node:0";
		c.mem = (char *)bad[i];
		none = none && !case_cross_node(&c, &cpu, &mem);
		c.mem = "node:1";
	}
	tap_ok(none, "any other place or mem (none, node:, node:x, node:1x, scatter) is not");
}

int main(int argc, char **argv)
{
	char path[512], err[256] = "", *d = strdup(argc ? argv[0] : "."), *slash = strrchr(d, '/');
	char *out, label[160], line[256];
	struct result r, plain;
	struct result_case *c;
	int cpu, mem;

	tap_plan(17);
	if (slash)
		*slash = '\0';
	cells();
	ratios();
	snprintf(path, sizeof(path), "%s/../fixtures/results/team/cross-node.json",
		 slash ? d : ".");
	if (!tap_ok(result_load(path, &r, err, sizeof(err)) == 0 && r.nr_cases == 8,
		    "fixture reads, 8 cases%s%s", *err ? ": " : "", err))
		return tap_done();
	out = print(&r);
	tap_ok(out && !strncmp(out, "cross-node pin, median ns per 4 KiB page: CPU node x "
			       "memory node\n", 64) &&
	       strstr(out, "\n   cpu\\mem  node 0  node 1\n") &&
	       strstr(out, "\nremote/local: remote cell / its CPU node's local cell, "
		      "geometric mean\n"),
	       "a heading, the memory nodes over the columns, what remote/local is");
	tap_ok(out && strstr(out, "\niouring anon warm 4M\n") &&
	       strstr(out, "\niouring anon cold 4M\n") &&
	       strstr(out, "warm 4M\n") < strstr(out, "cold 4M\n"),
	       "a matrix per case without place and mem, in the run's order");
	check_group(&r, out ? out : "", "warm");
	check_group(&r, out ? out : "", "cold");
	free(out);

	/* an error is its name in the cell; a case no longer node:M leaves its cell empty */
	c = (struct result_case *)cell(&r, "warm", 0, 1);
	c->status = CASE_ERROR;
	c->err_name = strdup("EFAULT");
	c = (struct result_case *)cell(&r, "cold", 1, 0);
	free(c->mem);
	c->mem = strdup("local");
	out = print(&r);
	cross_node_group_label(&r.cases[0], CASE_ALL, label, sizeof(label));
	tap_ok(out && line_of(out, label, "node 0", line, sizeof(line)) &&
	       strstr(line, "EFAULT"), "an error cell says its errno: '%s'", line);
	cross_node_group_label(&r.cases[4], CASE_ALL, label, sizeof(label));
	tap_ok(out && line_of(out, label, "node 1", line, sizeof(line)) &&
	       !strncmp(line + 10, "       -", 8) && c && !case_cross_node(c, &cpu, &mem),
	       "a cell whose case is gone is '-': '%s'", line);
	free(out);
	result_free(&r);

	snprintf(path, sizeof(path), "%s/../fixtures/results/team/scaling-1.json",
		 slash ? d : ".");
	if (tap_ok(result_load(path, &plain, err, sizeof(err)) == 0, "a team run without "
		   "--cross-node reads%s%s", *err ? ": " : "", err)) {
		out = print(&plain);
		tap_ok(out && !*out, "and prints nothing");
		free(out);
		result_free(&plain);
	} else {
		tap_ok(0, "and prints nothing");
	}
	free(d);
	return tap_done();
}
