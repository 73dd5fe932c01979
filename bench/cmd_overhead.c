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
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include "gupbench.h"
#include "commands.h"
#include "gupbench_ioctl.h"
#include "stats.h"

#define PROBE_PAGES 512

struct ov_req {
	uint32_t op, flags, options;
	uint64_t pages, iters;
};

static int run_req(int fd, void *buf, const struct ov_req *o, struct gupbench_sample *s,
		   struct gupbench_result *res)
{
	struct gupbench_req req = {
		.size = sizeof(req),
		.op = o->op,
		.flags = o->flags,
		.options = o->options,
		.addr = (uintptr_t)buf,
		.length = o->pages * 4096,
		.iterations = o->iters,
		.samples = s ? (uintptr_t)s : 0,
		.samples_cap = s ? o->iters : 0,
	};

	if (ioctl(fd, GUPBENCH_IOC_RUN, &req))
		return -1;
	*res = req.res;
	return 0;
}

/* Median of the per-call pin times of one request. -1 if it failed. */
static double pin_median(int fd, void *buf, const struct ov_req *o, struct gupbench_sample *s,
			 double *v, struct gupbench_result *res)
{
	struct summary sum;

	if (run_req(fd, buf, o, s, res) || res->samples_written != o->iters ||
	    res->failed_calls)
		return -1;
	for (uint64_t i = 0; i < o->iters; i++)
		v[i] = s[i].pin_ns;
	summarize(v, o->iters, &sum);
	return sum.median;
}

static const char *op_name(uint32_t op)
{
	return op == GUPBENCH_OP_PIN ? "pin" : op == GUPBENCH_OP_GET_FAST ? "get_fast" : "pin_fast";
}

/* One "probe" entry: disarmed, armed, disarmed again (both warm), as JSON. */
static int probe_entry(int fd, void *buf, struct ov_req o, struct gupbench_sample *s, double *v,
		       bool last)
{
	struct gupbench_result rd, ra;
	double off, on;

	o.options = 0;
	if (pin_median(fd, buf, &o, s, v, &rd) < 0)
		return -1;
	o.options = GUPBENCH_O_COUNT;
	on = pin_median(fd, buf, &o, s, v, &ra);
	o.options = 0;
	off = pin_median(fd, buf, &o, s, v, &rd);
	if (on < 0 || off < 0)
		return -1;
	printf("  {\"op\": \"%s\", \"pages\": %lu, \"flags\": \"%s\", \"calls\": %lu,"
	       " \"disarmed_median\": %.1f, \"armed_median\": %.1f, \"difference\": %.1f,"
	       " \"armed_fallback_status\": %u, \"armed_fallback_calls\": %llu,"
	       " \"disarmed_probe_armed_flag\": %s}%s\n",
	       op_name(o.op), (unsigned long)o.pages, o.flags & GUPBENCH_F_LONGTERM ?
	       "WRITE,LONGTERM" : "WRITE", (unsigned long)o.iters, off, on, on - off,
	       ra.fallback_status, (unsigned long long)ra.fallback_calls,
	       rd.flags & GUPBENCH_RF_PROBE_ARMED ? "true" : "false", last ? "" : ",");
	return 0;
}

int cmd_overhead(int argc, char **argv)
{
	const char *dev = getenv("GUPBENCH_DEV") ? getenv("GUPBENCH_DEV") : GUPBENCH_DEVICE;
	struct gupbench_result timed, untimed;
	struct gupbench_sample *s;
	struct summary pin;
	uint64_t iters = 10000, big;
	double *v, loop_t, loop_u, call;
	struct ov_req o;
	void *buf;
	int fd;

	if (argc > 2 || (argc == 2 && (sscanf(argv[1], "%lu", &iters) != 1 || !iters ||
				       iters > 1000000))) {
		fprintf(stderr, "gupbench overhead: usage: gupbench overhead [ITERATIONS]\n");
		return 2;
	}
	fd = open(dev, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "gupbench overhead: %s: %s (is the module loaded?)\n", dev,
			strerror(errno));
		return 1;
	}
	buf = mmap(NULL, PROBE_PAGES * 4096, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	s = calloc(iters, sizeof(*s));
	v = calloc(iters, sizeof(*v));
	if (buf == MAP_FAILED || !s || !v) {
		fprintf(stderr, "gupbench overhead: out of memory\n");
		return 1;
	}
	/* 4K pages, as the anon backing makes them: THP would change the path */
	madvise(buf, PROBE_PAGES * 4096, MADV_NOHUGEPAGE);
	memset(buf, 1, PROBE_PAGES * 4096);
	/* untimed first, then timed, then untimed again: both loops warm */
	o = (struct ov_req){ GUPBENCH_OP_PIN_FAST, GUPBENCH_F_WRITE | GUPBENCH_F_LONGTERM,
			     GUPBENCH_O_LOOP_TIME, 1, iters };
	if (run_req(fd, buf, &o, NULL, &untimed) ||
	    (o.options = 0, run_req(fd, buf, &o, s, &timed)) ||
	    (o.options = GUPBENCH_O_LOOP_TIME, run_req(fd, buf, &o, NULL, &untimed))) {
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
	if (probe_entry(fd, buf, (struct ov_req){ GUPBENCH_OP_PIN_FAST, GUPBENCH_F_WRITE, 0, 1,
						  iters }, s, v, false) ||
	    probe_entry(fd, buf, (struct ov_req){ GUPBENCH_OP_PIN_FAST, GUPBENCH_F_WRITE, 0,
						  PROBE_PAGES, big }, s, v, false) ||
	    probe_entry(fd, buf, (struct ov_req){ GUPBENCH_OP_PIN, GUPBENCH_F_WRITE, 0, 1,
						  iters }, s, v, true)) {
		fprintf(stderr, "gupbench overhead: probe request failed: %s\n", strerror(errno));
		return 1;
	}
	printf(" ]}\n");
	munmap(buf, PROBE_PAGES * 4096);
	free(s);
	free(v);
	close(fd);
	return 0;
}
