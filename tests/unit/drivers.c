// SPDX-License-Identifier: GPL-2.0
/* Drivers, counters and pin balance on the running kernel (no backings involved). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <linux/capability.h>
#include "gupbench.h"
#include "util.h"
#include "counters.h"
#include "pins.h"
#include "timing.h"
#include "../tap.h"

extern const struct driver_ops driver_iouring, driver_futex;

#define BUF_LEN		(4u << 20)
#define BUF_PAGES	(BUF_LEN / 4096)
#define NR_TESTS	26

/* How many tracefs mounts this process sees: must not change. */
static int tracefs_mounts(void)
{
	FILE *f = fopen("/proc/self/mountinfo", "re");
	char line[4096];
	int n = 0;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (strstr(line, " - tracefs "))
			n++;
	fclose(f);
	return n;
}

static void *map_anon(size_t len, bool warm)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return NULL;
	if (warm)
		memset(p, 1, len);
	return p;
}

static void drop_caps(void)
{
	struct __user_cap_header_struct h = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct d[_LINUX_CAPABILITY_U32S_3];

	syscall(SYS_capget, &h, d);
	d[CAP_IPC_LOCK / 32].effective &= ~(1u << (CAP_IPC_LOCK % 32));
	d[CAP_IPC_LOCK / 32].permitted &= ~(1u << (CAP_IPC_LOCK % 32));
	d[CAP_SYS_RESOURCE / 32].effective &= ~(1u << (CAP_SYS_RESOURCE % 32));
	d[CAP_SYS_RESOURCE / 32].permitted &= ~(1u << (CAP_SYS_RESOURCE % 32));
	syscall(SYS_capset, &h, d);
}

/*
 * In a child without CAP_IPC_LOCK and CAP_SYS_RESOURCE, with a 1 MiB soft
 * RLIMIT_MEMLOCK: setup must skip naming the limit when the hard limit is
 * 1 MiB too, and raise the soft limit so the pin works when the hard one
 * allows (CAP_SYS_RESOURCE is not testable: root here may not have it).  Exit 0 when the expectation held.  Run last: the fork
 * write-protects our anon pages, and the next pin of them would fall back.
 */
static int memlock_child(bool raisable)
{
	struct buffer own = { .len = BUF_LEN, .page_size = 4096, .fd = -1 }, *b = &own;
	struct case_spec cs = { .driver = &driver_iouring, .state = STATE_WARM };
	struct driver_ctx dc = { .cs = &cs };
	struct rlimit rl = { 1 << 20, raisable ? 8 << 20 : 1 << 20 };
	struct op_result r;
	char why[REASON_MAX] = "";
	pid_t pid = fork();
	int st;

	if (pid == 0) {
		drop_caps();
		if (setrlimit(RLIMIT_MEMLOCK, &rl))
			_exit(10);
		own.addr = map_anon(BUF_LEN, true);
		if (!own.addr)
			_exit(14);
		if (driver_iouring.setup(&dc, b, why, sizeof(why))) {
			printf("# setup skipped: %s\n", why);
			fflush(stdout);
			_exit(raisable || !strstr(why, "RLIMIT_MEMLOCK") ? 11 : 0);
		}
		if (!raisable)
			_exit(12);
		driver_iouring.pin(&dc, b, &r);
		if (r.err) {
			printf("# pin after raising the limit: %s\n", errno_name(r.err));
			fflush(stdout);
			_exit(13);
		}
		driver_iouring.unpin(&dc, b, &r);
		driver_iouring.teardown(&dc);
		_exit(0);
	}
	if (pid < 0 || waitpid(pid, &st, 0) != pid)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}

int main(void)
{
	struct case_spec cs_iou = { .driver = &driver_iouring, .state = STATE_WARM };
	struct case_spec cs_fut = { .driver = &driver_futex, .state = STATE_WARM };
	struct driver_ctx iou = { .cs = &cs_iou }, fut = { .cs = &cs_fut };
	struct kver k65 = { 6, 5, 0 }, k64 = { 6, 4, 0 }, k610 = { 6, 10, 0 };
	struct buffer b = { .len = BUF_LEN, .page_size = 4096, .fd = -1 };
	struct buffer cold = b;
	struct op_result rp, ru;
	char why[REASON_MAX] = "";
	int mounts0 = tracefs_mounts();
	bool root = geteuid() == 0;
	struct counters *ctr;
	int64_t base, n;

	kver_init();
	tap_plan(NR_TESTS);

	tap_ok(!strcmp(driver_iouring.gup_path(&k610, NULL), "pin_user_pages_fast") &&
	       strstr(driver_iouring.gup_path(&k65, NULL), "mmap lock") &&
	       strstr(driver_iouring.gup_path(&k64, NULL), "file check"),
	       "iouring gup_path by kernel version");
	printf("# clock_pair_cost_ns %llu\n", (unsigned long long)clock_pair_cost_ns());
	tap_ok(clock_pair_cost_ns() > 0 && clock_pair_cost_ns() < 10000, "clock_pair_cost_ns plausible");

	b.addr = map_anon(BUF_LEN, true);
	if (!b.addr)
		tap_skip_all("cannot map 4 MiB");

	/* io_uring registration of a warm anon buffer */
	if (driver_iouring.probe(NULL, why, sizeof(why))) {
		for (int i = 0; i < 7; i++)
			tap_skip("iouring", why);
	} else {
		tap_ok(1, "iouring probe");
		tap_ok(driver_iouring.setup(&iou, &b, why, sizeof(why)) == 0,
		       "iouring setup %s", why);
		driver_iouring.pin(&iou, &b, &rp);
		tap_ok(rp.err == 0, "iouring pin: %s", rp.err ? errno_name(rp.err) : "ok");
		tap_ok(rp.calls == 1 && rp.pages == BUF_PAGES && rp.pages_done == BUF_PAGES,
		       "iouring pin calls %llu pages %llu done %llu",
		       (unsigned long long)rp.calls, (unsigned long long)rp.pages,
		       (unsigned long long)rp.pages_done);
		tap_ok(rp.ns > 0, "iouring pin ns %llu", (unsigned long long)rp.ns);
		driver_iouring.unpin(&iou, &b, &ru);
		tap_ok(ru.err == 0 && ru.calls == 1 && ru.ns > 0,
		       "iouring unpin: %s, ns %llu", ru.err ? errno_name(ru.err) : "ok",
		       (unsigned long long)ru.ns);
		driver_iouring.unpin(&iou, &b, &ru);
		tap_ok(ru.calls == 0 && ru.ns == 0, "unpin without a pin does nothing");
	}

	/* mmap_lock tracepoint as the fallback signal */
	ctr = counters_open();
	tap_ok(ctr != NULL, "counters_open");
	if (!counters_fallback_available(ctr, why, sizeof(why))) {
		if (root)
			tap_ok(0, "tracepoint opens as root: %s", why);
		else
			tap_skip("tracepoint", why);
		for (int i = 0; i < 4; i++)
			tap_skip("fallback counting", why);
	} else {
		tap_ok(1, "mmap_lock tracepoint opens");
		base = counters_baseline_mmap_lock(ctr, 9);
		tap_ok(base == 0, "empty-window baseline %lld", (long long)base);
		if (!iou.priv) {
			for (int i = 0; i < 3; i++)
				tap_skip("fallback around registration", "no io_uring");
		} else {
			counters_start(ctr);
			driver_iouring.pin(&iou, &b, &rp);
			counters_stop(ctr);
			n = counters_last_mmap_lock(ctr);
			driver_iouring.unpin(&iou, &b, &ru);
			tap_ok(rp.err == 0 && n == 0, "warm registration: %lld mmap_lock", (long long)n);

			cold.addr = map_anon(BUF_LEN, false);
			counters_start(ctr);
			driver_iouring.pin(&iou, &cold, &rp);
			counters_stop(ctr);
			n = counters_last_mmap_lock(ctr);
			driver_iouring.unpin(&iou, &cold, &ru);
			tap_ok(rp.err == 0 && n >= 1, "cold registration: %lld mmap_lock", (long long)n);
			munmap(cold.addr, BUF_LEN);

			/* The futex GUP falls back and faults on every cold page. */
			cold.addr = map_anon(BUF_LEN, false);
			cs_fut.state = STATE_COLD;
			driver_futex.setup(&fut, &cold, why, sizeof(why));
			counters_start(ctr);
			driver_futex.pin(&fut, &cold, &rp);
			counters_stop(ctr);
			n = counters_last_mmap_lock(ctr);
			driver_futex.teardown(&fut);
			cs_fut.state = STATE_WARM;
			munmap(cold.addr, BUF_LEN);
			printf("# cold futex pass: %lld mmap_lock for %llu calls\n",
			       (long long)n, (unsigned long long)rp.calls);
			tap_ok(rp.err == 0 && n >= 1 && rp.calls == BUF_PAGES,
			       "cold futex pass sees the slow path");
		}
	}
	{
		json_object *d = counters_describe(ctr);
		struct result_case cv = { 0 };
		bool clock = false, cycles = false;

		printf("# %s\n", json_object_to_json_string(d));
		counters_values(ctr, 1, &cv);
		for (size_t i = 0; i < cv.nr_counters; i++) {
			const struct counter_value *k = &cv.counters[i];

			printf("# %s: %s\n", k->name, k->supported ? "supported" : k->unsupported_errno);
			clock |= !strcmp(cv.counters[i].name, "task-clock");
			cycles |= !strcmp(cv.counters[i].name, "cycles:u");
		}
		tap_ok(clock && cycles, "counters_values names every counter");
		json_object_put(d);
		result_case_free(&cv);
	}
	counters_close(ctr);
	counters_cleanup();
	tap_ok(tracefs_mounts() == mounts0, "tracefs mounts unchanged (%d)", mounts0);

	/* futex pass over the warm buffer */
	why[0] = '\0';
	tap_ok(driver_futex.probe(NULL, why, sizeof(why)) == 0, "futex probe %s", why);
	tap_ok(driver_futex.setup(&fut, &b, why, sizeof(why)) == 0, "futex setup %s", why);
	driver_futex.pin(&fut, &b, &rp);
	tap_ok(rp.err == 0 && rp.calls == rp.pages && rp.pages_done == rp.pages &&
	       rp.pages % BUF_PAGES == 0 && rp.pages > 0,
	       "futex pass: calls %llu pages %llu done %llu err %s",
	       (unsigned long long)rp.calls, (unsigned long long)rp.pages,
	       (unsigned long long)rp.pages_done, rp.err ? errno_name(rp.err) : "0");
	tap_ok(rp.ns > 100 * clock_pair_cost_ns(), "futex pass: clock pair < 1%% of %llu ns",
	       (unsigned long long)rp.ns);
	tap_ok(driver_futex.unpin == NULL, "futex holds nothing after the call");
	driver_futex.teardown(&fut);

	/* pin balance from /proc/vmstat */
	if (!root || !iou.priv) {
		tap_skip("pin balance", !root ? "stat_refresh needs root" : "no io_uring");
		tap_skip("pin balance", !root ? "stat_refresh needs root" : "no io_uring");
	} else {
		uint64_t a0, r0, a1, r1;
		bool ok = false;
		int rd = 0;

		/* The counters are global: retry if another process pinned meanwhile. */
		for (int t = 0; t < 5 && !ok; t++) {
			rd = pins_read(&a0, &r0);
			driver_iouring.pin(&iou, &b, &rp);
			driver_iouring.unpin(&iou, &b, &ru);
			rd |= pins_read(&a1, &r1);
			ok = !rd && a1 - a0 == r1 - r0 && a1 - a0 >= BUF_PAGES;
		}
		tap_ok(!rd && pins_refreshed(), "pins_read with stat_refresh");
		tap_ok(ok, "acquired +%llu, released +%llu (>= %u)",
		       (unsigned long long)(a1 - a0), (unsigned long long)(r1 - r0), BUF_PAGES);
	}
	if (iou.priv)
		driver_iouring.teardown(&iou);
	tap_ok(iou.priv == NULL, "iouring teardown");
	munmap(b.addr, BUF_LEN);

	if (root && driver_iouring.probe(NULL, why, sizeof(why)) == 0) {
		int a = memlock_child(false), c = memlock_child(true);

		tap_ok(a == 0 && c == 0,
		       "RLIMIT_MEMLOCK: skip names the limit (%d), soft limit raised to hard (%d)",
		       a, c);
	} else {
		tap_skip("RLIMIT_MEMLOCK handling", root ? why : "needs root to drop capabilities");
	}
	return tap_done();
}
