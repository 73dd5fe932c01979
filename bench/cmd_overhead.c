// SPDX-License-Identifier: GPL-2.0
/*
 * gupbench overhead: what the module's own instruments cost.
 *
 * Timing: a one-page pin_fast is repeated N times twice, with and without
 * the clock reads around each call; the difference of the two loops is the
 * timing's cost, and the module's empty-window figure is the part of it that
 * lands inside each timed call.
 *
 * Fallback probe ("probe"): the same requests with the probe disarmed (a
 * timing request) and armed (GUPBENCH_O_COUNT), median of the per-call pin
 * times each way: warm anon pin_fast of 1 and 512 pages (GUP-fast succeeds,
 * the probe is never hit) and a 1-page pin (the slow path, hit on every
 * call). Meant for the deterministic -icount guest, where a nanosecond is
 * an instruction and the figures repeat exactly.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include "gupbench.h"
#include "cli.h"
#include "commands.h"
#include "kmod.h"
#include "stats.h"

#define PROBE_PAGES 512

/* One request of s, its result in res. 0, or -1 with errno. */
static int run_req(const struct kmod *k, const struct kmod_req_spec *s,
		   struct gupbench_result *res)
{
	struct gupbench_req req;

	kmod_req(&req, s);
	if (kmod_run(k, &req))
		return -1;
	*res = req.res;
	return 0;
}

/* Median of the per-call pin times of one request (v: its scratch). -1 if it failed. */
static double pin_median(const struct kmod *k, const struct kmod_req_spec *s, double *v,
			 struct gupbench_result *res)
{
	struct summary sum;

	if (run_req(k, s, res) || res->samples_written != s->iterations || res->failed_calls)
		return -1;
	for (uint64_t i = 0; i < s->iterations; i++)
		v[i] = s->samples[i].pin_ns;
	summarize(v, s->iterations, &sum);
	return sum.median;
}

/* One "probe" entry: disarmed, armed, disarmed again (both warm), as JSON. */
static int probe_entry(const struct kmod *k, struct kmod_req_spec o, double *v, bool last)
{
	struct gupbench_result rd, ra;
	double off, on;

	o.options = 0;
	if (pin_median(k, &o, v, &rd) < 0)
		return -1;
	o.options = GUPBENCH_O_COUNT;
	on = pin_median(k, &o, v, &ra);
	o.options = 0;
	off = pin_median(k, &o, v, &rd);
	if (on < 0 || off < 0)
		return -1;
	printf("  {\"op\": \"%s\", \"pages\": %lu, \"flags\": \"%s\", \"calls\": %lu,"
	       " \"disarmed_median\": %.1f, \"armed_median\": %.1f, \"difference\": %.1f,"
	       " \"armed_fallback_status\": %u, \"armed_fallback_calls\": %llu,"
	       " \"disarmed_probe_armed_flag\": %s}%s\n",
	       kmod_op_by_code(o.op)->name, (unsigned long)(o.length / k->info.page_size),
	       o.flags & PIN_FLAG_LONGTERM ? "WRITE,LONGTERM" : "WRITE",
	       (unsigned long)o.iterations, off, on, on - off,
	       ra.fallback_status, (unsigned long long)ra.fallback_calls,
	       rd.flags & GUPBENCH_RF_PROBE_ARMED ? "true" : "false", last ? "" : ",");
	return 0;
}

#define OVERHEAD_USAGE \
	"usage: gupbench overhead [--format json] [ITERATIONS]\n" \
	"  ITERATIONS      1-page calls per loop (default 10000, at most 1000000)\n" \
	"  -f, --format F  json, the only format (the figures are for scripts)\n"

/*
 * The options and ITERATIONS. *stop says the command is done, and the value
 * returned is its exit status: 0 after --help, 2 after a usage error.
 */
static int overhead_args(int argc, char **argv, uint64_t *iters, bool *stop)
{
	static const struct option longopts[] = {
		CLI_OPTION_FORMAT, CLI_OPTION_HELP, { NULL, 0, NULL, 0 },
	};
	/* JSON is printed as it is measured: there is no other view to choose */
	struct cli cli = { .cmd = "overhead", .help = OVERHEAD_USAGE, .shortopts = "f:h",
			   .longopts = longopts, .formats = CLI_FORMAT_BIT(CLI_JSON) };
	char *end;

	*stop = true;
	/* no option of its own: --help and --format are cli_next()'s */
	if (cli_next(&cli, argc, argv) == CLI_STOP)
		return cli.status;
	if (optind < argc) {
		errno = 0;
		*iters = strtoull(argv[optind], &end, 10);
		if (errno || end == argv[optind] || *end || *argv[optind] == '-' || !*iters ||
		    *iters > 1000000)
			return cli_usage_error(&cli, "bad ITERATIONS '%s' (1 to 1000000)",
					       argv[optind]);
	}
	if (cli_no_more_operands(&cli, argc, argv, 1))
		return CLI_USAGE_STATUS;
	*stop = false;
	return 0;
}

int cmd_overhead(int argc, char **argv)
{
	struct gupbench_result timed, untimed;
	struct gupbench_sample *s;
	struct summary pin;
	uint64_t iters = 10000, big;
	double *v, loop_t, loop_u, call;
	/* o: one page; ot: o timed; om: PROBE_PAGES at a time; os: o on the slow path */
	struct kmod_req_spec o, ot, om, os;
	char why[REASON_MAX];
	struct kmod k;
	size_t len;
	void *buf;
	bool stop;
	int rc;

	rc = overhead_args(argc, argv, &iters, &stop);
	if (stop)
		return rc;
	if (kmod_open(&k, NULL, why, sizeof(why))) {
		fprintf(stderr, "gupbench overhead: %s\n", why);
		return 1;
	}
	len = PROBE_PAGES * k.info.page_size;
	buf = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	s = calloc(iters, sizeof(*s));
	v = calloc(iters, sizeof(*v));
	if (buf == MAP_FAILED || !s || !v) {
		fprintf(stderr, "gupbench overhead: out of memory\n");
		return 1;
	}
	/* base pages, as the anon backing makes them: THP would change the path */
	madvise(buf, len, MADV_NOHUGEPAGE);
	memset(buf, 1, len);
	/* untimed first, then timed, then untimed again: both loops warm */
	o = (struct kmod_req_spec){ .op = GUPBENCH_OP_PIN_FAST,
				    .flags = PIN_FLAG_WRITE | PIN_FLAG_LONGTERM,
				    .options = GUPBENCH_O_LOOP_TIME, .addr = buf,
				    .length = k.info.page_size, .iterations = iters };
	ot = o;
	ot.options = 0;
	ot.samples = s;
	ot.samples_cap = iters;
	if (run_req(&k, &o, &untimed) || run_req(&k, &ot, &timed) ||
	    run_req(&k, &o, &untimed)) {
		fprintf(stderr, "gupbench overhead: request failed: %s\n", strerror(errno));
		return 1;
	}
	for (uint64_t i = 0; i < iters; i++)
		v[i] = s[i].pin_ns;
	summarize(v, iters, &pin);
	loop_t = (double)timed.loop_ns / timed.calls;
	loop_u = (double)untimed.loop_ns / untimed.calls;
	call = pin.median - timed.clock_ns;
	printf("{\"iterations\": %lu, \"pin_ns_median\": %.1f, \"clock_ns\": %llu,\n"
	       " \"call_ns\": %.1f, \"loop_ns_per_call_timed\": %.1f,"
	       " \"loop_ns_per_call_untimed\": %.1f,\n"
	       " \"timing_cost_per_call\": %.1f, \"clock_share_of_raw_call\": %.4f,\n"
	       " \"probe\": [\n",
	       (unsigned long)iters, pin.median, (unsigned long long)timed.clock_ns, call,
	       loop_t, loop_u, loop_t - loop_u, timed.clock_ns / pin.median);

	/* 512-page calls cost ~500x more: fewer of them give as steady a median. */
	big = iters / 8 > 50 ? iters / 8 : iters;
	o = (struct kmod_req_spec){ .op = GUPBENCH_OP_PIN_FAST, .flags = PIN_FLAG_WRITE,
				    .addr = buf, .length = k.info.page_size, .iterations = iters,
				    .samples = s, .samples_cap = iters };
	om = o;
	om.length = len;
	om.iterations = big;
	os = o;
	os.op = GUPBENCH_OP_PIN;
	if (probe_entry(&k, o, v, false) || probe_entry(&k, om, v, false) ||
	    probe_entry(&k, os, v, true)) {
		fprintf(stderr, "gupbench overhead: probe request failed: %s\n", strerror(errno));
		return 1;
	}
	printf(" ]}\n");
	munmap(buf, len);
	free(s);
	free(v);
	kmod_close(&k);
	return 0;
}
