// SPDX-License-Identifier: GPL-2.0
/*
 * The clock a run's timings read (system.clock): its line in the environment view,
 * the file round trip, files without it, the quantised note and compare's diff.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "tap.h"
#include "gupbench.h"
#include "result.h"
#include "clock_info.h"
#include "clock_note.h"
#include "compare.h"

static char dir[64];

static char *path_in(const char *name)
{
	static char buf[4][256];
	static int i;

	i = (i + 1) % 4;
	snprintf(buf[i], sizeof(buf[i]), "%s/%s", dir, name);
	return buf[i];
}

static void put(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

/* A clock as a file would hold it; hz 0: the architecture does not say. */
static void set_clock(struct clock_info *c, const char *cs, double hz, double res,
		      const char *src)
{
	clock_info_free(c);
	c->clocksource = cs ? strdup(cs) : NULL;
	c->counter_hz = hz ? hz : NAN;
	c->resolution_ns = res;
	c->resolution_source = src ? strdup(src) : NULL;
}

static void arm(struct clock_info *c, double hz)
{
	set_clock(c, "arch_sys_counter", hz, 1e9 / hz, "cntfrq_el0");
}

static void test_text(void)
{
	struct clock_info c = { 0 };
	char buf[160];
	const char *t;

	arm(&c, 62.5e6);
	t = clock_info_text(&c, buf, sizeof(buf));
	tap_ok(t && !strcmp(t, "arch_sys_counter, 62.5 MHz counter, per-call resolution 16 ns "
			    "(CNTFRQ_EL0)"), "62.5 MHz: %s", t ? t : "NULL");
	arm(&c, 24e6);
	t = clock_info_text(&c, buf, sizeof(buf));
	tap_ok(t && strstr(t, "24 MHz counter") && strstr(t, "resolution 41.67 ns (CNTFRQ_EL0)"),
	       "24 MHz: 41.67 ns (%s)", t ? t : "NULL");
	arm(&c, 1e9);
	t = clock_info_text(&c, buf, sizeof(buf));
	tap_ok(t && strstr(t, "1 GHz counter") && strstr(t, "resolution 1 ns"),
	       "1 GHz: 1 ns (%s)", t ? t : "NULL");
	set_clock(&c, "tsc", 0, 20, "observed");
	t = clock_info_text(&c, buf, sizeof(buf));
	tap_ok(t && !strcmp(t, "tsc, per-call resolution <= 20 ns (observed)"),
	       "observed: a bound, no counter (%s)", t ? t : "NULL");
	t = clock_info_identity(&c, buf, sizeof(buf));
	tap_ok(t && !strcmp(t, "tsc"), "identity of an observed clock: the clocksource alone");
	set_clock(&c, NULL, 0, NAN, NULL);
	tap_ok(!clock_info_known(&c) && !clock_info_text(&c, buf, sizeof(buf)) &&
	       !clock_info_identity(&c, buf, sizeof(buf)), "nothing known: no line");

	arm(&c, 24e6);
	tap_ok(clock_quantised(&c, 400) && !clock_quantised(&c, 420) && !clock_quantised(&c, NAN),
	       "24 MHz: 400 ns per call is within 10 ticks, 420 ns is not");
	set_clock(&c, "tsc", 0, 20, "observed");
	tap_ok(!clock_quantised(&c, 50), "an observed bound never calls a figure quantised");
	clock_info_free(&c);
}

/* One ok case of r, its pin per-call median ns. */
static void one_case(struct result *r, double ns)
{
	struct result_case *c = result_add_case(r);

	c->driver = strdup("kmod");
	c->backing = strdup("anon");
	c->state = strdup("warm");
	c->status = CASE_OK;
	c->has_run = true;
	c->pin.present = true;
	c->pin.n = 3;
	c->pin.ns_per_page = calloc(3, sizeof(double));
	c->pin.ns_per_call = calloc(3, sizeof(double));
	for (int i = 0; i < 3; i++)
		c->pin.ns_per_page[i] = c->pin.ns_per_call[i] = ns;
	series_summarize(&c->pin);
}

static char *table_of(const struct result *r)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	result_print_table(f, r);
	fclose(f);
	return buf;
}

static void test_file(int argc, char **argv)
{
	struct result r, back;
	char err[256] = "", *text;
	FILE *f;

	result_init(&r, argc, argv);
	tap_ok(clock_info_known(&r.env.clock) && r.env.clock.resolution_ns > 0,
	       "collected: %s, %g ns (%s)", r.env.clock.clocksource ?: "?",
	       r.env.clock.resolution_ns, r.env.clock.resolution_source ?: "?");
	arm(&r.env.clock, 24e6);
	one_case(&r, 300);
	tap_ok(result_write(path_in("r.json"), &r) == 0 &&
	       result_load(path_in("r.json"), &back, err, sizeof(err)) == 0,
	       "write and read back%s%s", *err ? ": " : "", err);
	tap_ok(back.env.clock.clocksource && !strcmp(back.env.clock.clocksource, "arch_sys_counter") &&
	       back.env.clock.counter_hz == 24e6 && back.env.clock.resolution_ns == 1e9 / 24e6 &&
	       back.env.clock.resolution_source &&
	       !strcmp(back.env.clock.resolution_source, "cntfrq_el0"),
	       "round trip: clocksource, counter_hz, resolution_ns, resolution_source");
	f = fopen(path_in("r.json"), "r");
	text = NULL;
	if (f) {
		size_t n = 0;

		if (getdelim(&text, &n, '\0', f) < 0) {
			free(text);
			text = NULL;
		}
		fclose(f);
	}
	tap_ok(text && strstr(text, "\"counter_hz\": 24000000,") &&
	       strstr(text, "\"resolution_source\": \"cntfrq_el0\""),
	       "counter_hz written in whole Hz");
	free(text);

	text = table_of(&back);
	tap_ok(text && strstr(text, "clock: per-call times are quantised: 1 case median within "
				    "10 ticks of a 41.67 ns counter tick (CNTFRQ_EL0)"),
	       "table: the quantised note");
	free(text);
	set_clock(&back.env.clock, "tsc", 0, 20, "observed");
	text = table_of(&back);
	tap_ok(text && !strstr(text, "quantised"), "table: no note with an observed bound");
	free(text);
	arm(&back.env.clock, 1e9);
	text = table_of(&back);
	tap_ok(text && !strstr(text, "quantised"), "table: no note at 300 ticks of a 1 GHz counter");
	free(text);
	result_free(&back);

	/* files older than the field */
	put(path_in("old.json"), "{\"schema\": \"gupbench-result/2\", \"system\": "
	    "{\"kernel\": {\"release\": \"6.12\"}}, \"cases\": []}");
	tap_ok(result_load(path_in("old.json"), &back, err, sizeof(err)) == 0 &&
	       !clock_info_known(&back.env.clock) && isnan(back.env.clock.counter_hz) &&
	       isnan(back.env.clock.resolution_ns), "a file without system.clock loads: unknown");
	result_free(&back);
	put(path_in("null.json"), "{\"schema\": \"gupbench-result/2\", \"system\": "
	    "{\"clock\": null}, \"cases\": []}");
	tap_ok(result_load(path_in("null.json"), &back, err, sizeof(err)) == 0 &&
	       !clock_info_known(&back.env.clock), "system.clock null loads: unknown");
	result_free(&back);
	put(path_in("bad.json"), "{\"schema\": \"gupbench-result/2\", \"system\": "
	    "{\"clock\": \"tsc\"}, \"cases\": []}");
	err[0] = '\0';
	tap_ok(result_load(path_in("bad.json"), &back, err, sizeof(err)) && strstr(err, "clock"),
	       "system.clock not an object is refused (%s)", err);
	put(path_in("bad.json"), "{\"schema\": \"gupbench-result/2\", \"system\": "
	    "{\"clock\": {\"counter_hz\": \"fast\"}}, \"cases\": []}");
	err[0] = '\0';
	tap_ok(result_load(path_in("bad.json"), &back, err, sizeof(err)) &&
	       strstr(err, "clock.counter_hz"), "counter_hz not a number is refused (%s)", err);
	result_free(&r);
}

static bool differs_in_clock(struct result *a, struct result *b, char *what, size_t n)
{
	struct side sa = { .name = "A", .runs = a, .nr_runs = 1 };
	struct side sb = { .name = "B", .runs = b, .nr_runs = 1 };
	struct env_diff *d = calloc(ENV_DIFF_MAX, sizeof(*d));
	size_t nr = d ? env_diff(&sa, &sb, d) : 0;
	bool found = false;

	for (size_t i = 0; i < nr; i++)
		if (!strcmp(d[i].field, "clock")) {
			snprintf(what, n, "A %s; B %s", d[i].a, d[i].b);
			found = true;
		}
	free(d);
	return found;
}

static void test_diff(void)
{
	struct result a = { 0 }, b = { 0 };
	char what[256] = "";

	a.env.cpus = b.env.cpus = a.env.numa_nodes = b.env.numa_nodes = -1;
	set_clock(&a.env.clock, "tsc", 0, 20, "observed");
	set_clock(&b.env.clock, "tsc", 0, 21, "observed");
	tap_ok(!differs_in_clock(&a, &b, what, sizeof(what)),
	       "same clocksource, observed bounds 20 and 21 ns: no difference");
	set_clock(&b.env.clock, "kvm-clock", 0, 20, "observed");
	tap_ok(differs_in_clock(&a, &b, what, sizeof(what)) &&
	       !strcmp(what, "A tsc; B kvm-clock"), "another clocksource differs (%s)", what);
	arm(&a.env.clock, 24e6);
	arm(&b.env.clock, 62.5e6);
	tap_ok(differs_in_clock(&a, &b, what, sizeof(what)) &&
	       strstr(what, "24 MHz") && strstr(what, "62.5 MHz"),
	       "another counter frequency differs (%s)", what);
	set_clock(&b.env.clock, NULL, 0, NAN, NULL);
	tap_ok(!differs_in_clock(&a, &b, what, sizeof(what)),
	       "a file without the field differs from none");
	env_free(&a.env);
	env_free(&b.env);
}

int main(int argc, char **argv)
{
	tap_plan(23);
	snprintf(dir, sizeof(dir), "/tmp/gupbench-unit-XXXXXX");
	if (!mkdtemp(dir))
		tap_skip_all("cannot make a temporary directory");
	test_text();
	test_file(argc, argv);
	test_diff();
	{
		char cmd[128];

		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
		if (system(cmd))
			printf("# could not remove %s\n", dir);
	}
	return tap_done();
}
