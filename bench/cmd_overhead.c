// SPDX-License-Identifier: GPL-2.0
/*
 * gupbench overhead: what the module's own timing costs. A one-page
 * pin_fast is repeated N times twice, with and without the clock reads
 * around each call; the difference of the two loops is the timing's cost,
 * and the module's empty-window figure is the part of it that lands inside
 * each timed call. Meant for the deterministic -icount guest, where a
 * nanosecond is an instruction and the figures repeat exactly.
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

static int run_req(int fd, void *buf, uint32_t options, uint64_t iters,
		   struct gupbench_sample *s, struct gupbench_result *res)
{
	struct gupbench_req req = {
		.version = GUPBENCH_UAPI_VERSION,
		.op = GUPBENCH_OP_PIN_FAST,
		.flags = GUPBENCH_F_WRITE | GUPBENCH_F_LONGTERM,
		.options = options,
		.addr = (uintptr_t)buf,
		.length = 4096,
		.iterations = iters,
		.samples = s ? (uintptr_t)s : 0,
		.samples_cap = s ? iters : 0,
	};

	if (ioctl(fd, GUPBENCH_IOC_RUN, &req))
		return -1;
	*res = req.res;
	return 0;
}

int cmd_overhead(int argc, char **argv)
{
	const char *dev = getenv("GUPBENCH_DEV") ? getenv("GUPBENCH_DEV") : GUPBENCH_DEVICE;
	struct gupbench_result timed, untimed;
	struct gupbench_sample *s;
	struct summary pin;
	uint64_t iters = 10000;
	double *v, loop_t, loop_u, call;
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
	buf = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	s = calloc(iters, sizeof(*s));
	v = calloc(iters, sizeof(*v));
	if (buf == MAP_FAILED || !s || !v) {
		fprintf(stderr, "gupbench overhead: out of memory\n");
		return 1;
	}
	memset(buf, 1, 4096);
	/* untimed first, then timed, then untimed again: both loops warm */
	if (run_req(fd, buf, GUPBENCH_O_LOOP_TIME, iters, NULL, &untimed) ||
	    run_req(fd, buf, 0, iters, s, &timed) ||
	    run_req(fd, buf, GUPBENCH_O_LOOP_TIME, iters, NULL, &untimed)) {
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
	       " \"timing_cost_per_call\": %.1f, \"clock_share_of_raw_call\": %.4f}\n",
	       (unsigned long)iters, pin.median, (unsigned long long)timed.clock_ns, call,
	       loop_t, loop_u, loop_t - loop_u, timed.clock_ns / pin.median);
	munmap(buf, 4096);
	free(s);
	free(v);
	close(fd);
	return 0;
}
