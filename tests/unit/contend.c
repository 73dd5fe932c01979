// SPDX-License-Identifier: GPL-2.0
/* Contenders: each kind makes ops, pauses, resumes, stops promptly and leaves nothing behind. */
#include <dirent.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>
#include "tap.h"
#include "util.h"
#include "contend.h"

/* a stop that hangs fails; a loaded machine does not (this is no timing test) */
#define STOP_MAX_MS	5000

static int count_maps(void)
{
	FILE *f = fopen("/proc/self/maps", "r");
	int c, lines = 0;

	if (!f)
		return -1;
	while ((c = fgetc(f)) != EOF)
		lines += c == '\n';
	fclose(f);
	return lines;
}

static int count_tasks(void)
{
	DIR *d = opendir("/proc/self/task");
	struct dirent *e;
	int n = 0;

	if (!d)
		return -1;
	while ((e = readdir(d)))
		n += e->d_name[0] != '.';
	closedir(d);
	return n;
}

static void sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

/* A joined thread leaves /proc/self/task a moment after pthread_join returns. */
static int tasks_back_to(int want)
{
	for (int i = 0; i < 100 && count_tasks() != want; i++)
		sleep_ms(2);
	return count_tasks();
}

static void check_kind(enum contend_kind k)
{
	const char *name = contend_name(k);
	int maps = count_maps(), tasks = count_tasks();
	struct contend_stats st, st2;
	struct contender *c;
	char why[256] = "";
	uint64_t t0, stop_ns, pause_ns;

	c = contend_start(k, 1, NULL, why, sizeof(why));
	if (!tap_ok(c != NULL, "%s: starts (%s)", name, c ? "ok" : why)) {
		for (int i = 0; i < 7; i++)
			tap_skip(name, "did not start");
		return;
	}
	tap_ok(count_tasks() == tasks + 1, "%s: one thread more (%d, was %d)", name,
	       count_tasks(), tasks);

	sleep_ms(50);
	contend_read(c, &st);
	tap_ok(st.ops > 0 && st.ops_per_s > 0 && st.seconds >= 0.045 && st.seconds < 30 &&
	       contend_error(c) == NULL,
	       "%s: %llu ops in %.3f s running (%.0f/s), no error", name,
	       (unsigned long long)st.ops, st.seconds, st.ops_per_s);

	t0 = now_ns();
	contend_pause(c);
	pause_ns = now_ns() - t0;
	contend_read(c, &st);		/* drains what ran up to the pause */
	sleep_ms(30);
	contend_read(c, &st);
	tap_ok(st.ops == 0 && st.seconds == 0 && pause_ns < STOP_MAX_MS * 1000000ull,
	       "%s: paused in %.3f ms: %llu ops in %.3f s", name, pause_ns / 1e6,
	       (unsigned long long)st.ops, st.seconds);

	contend_resume(c);
	sleep_ms(30);
	contend_read(c, &st);
	tap_ok(st.ops > 0 && st.seconds > 0.025, "%s: resumed: %llu ops in %.3f s", name,
	       (unsigned long long)st.ops, st.seconds);

	sleep_ms(10);
	t0 = now_ns();
	contend_stop(c, &st2);
	stop_ns = now_ns() - t0;
	tap_ok(stop_ns < STOP_MAX_MS * 1000000ull && st2.ops > 0,
	       "%s: stops in %.3f ms (under %d), counting the last %llu ops", name,
	       stop_ns / 1e6, STOP_MAX_MS, (unsigned long long)st2.ops);
	tap_ok(count_maps() == maps, "%s: /proc/self/maps back to %d lines (%d)", name, maps,
	       count_maps());
	tap_ok(tasks_back_to(tasks) == tasks, "%s: threads back to %d (%d)", name, tasks,
	       count_tasks());
}

/* Bound threads, stopped while paused and right after start. */
static void check_bound(void)
{
	int cpu_last = sysconf(_SC_NPROCESSORS_ONLN) - 1;
	int cpus[2] = { 0, cpu_last }, bad[1] = { 1 << 20 };
	struct contend_stats st;
	struct contender *c;
	char why[256] = "";
	int maps, tasks;
	uint64_t t0;

	/*
	 * hwloc mallocs in the bound threads: glibc gives each a malloc arena and
	 * keeps it for later threads, so count after one bound round.
	 */
	c = contend_start(CONTEND_FAULT, 2, cpus, why, sizeof(why));
	contend_stop(c, NULL);
	tasks_back_to(1);
	maps = count_maps();
	tasks = count_tasks();

	c = contend_start(CONTEND_MPROTECT, 2, cpus, why, sizeof(why));
	tap_ok(c != NULL, "2 threads bound to CPUs 0 and %d start (%s)", cpu_last,
	       c ? "ok" : why);
	sleep_ms(20);
	contend_pause(c);
	t0 = now_ns();
	contend_stop(c, &st);
	tap_ok(c && now_ns() - t0 < STOP_MAX_MS * 1000000ull && st.ops > 0,
	       "stopped while paused in %.3f ms, %llu ops", (now_ns() - t0) / 1e6,
	       (unsigned long long)st.ops);

	c = contend_start(CONTEND_MMAP, 2, cpus, why, sizeof(why));
	t0 = now_ns();
	contend_stop(c, &st);
	tap_ok(c && now_ns() - t0 < STOP_MAX_MS * 1000000ull,
	       "stopped right after start in %.3f ms", (now_ns() - t0) / 1e6);
	tap_ok(count_maps() == maps && tasks_back_to(tasks) == tasks,
	       "bound: maps %d lines (was %d), threads %d (was %d)", count_maps(), maps,
	       count_tasks(), tasks);

	why[0] = '\0';
	c = contend_start(CONTEND_MMAP, 1, bad, why, sizeof(why));
	tap_ok(c == NULL && why[0], "CPU %d: refused: %s", bad[0], why);
	tap_ok(count_maps() == maps && tasks_back_to(tasks) == tasks,
	       "after the refusal: maps %d lines (was %d), threads %d (was %d)", count_maps(),
	       maps, count_tasks(), tasks);
}

/*
 * The mmap kind's hole: one page between two one-page PROT_NONE guards.
 * NULL if /proc/self/maps shows none.
 */
static void *find_hole(void)
{
	unsigned long start, end, prev_end = 0, prev_len = 0, ps = sysconf(_SC_PAGESIZE);
	char line[512], perms[8];
	FILE *f = fopen("/proc/self/maps", "r");
	void *hole = NULL;

	while (f && !hole && fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%lx-%lx %7s", &start, &end, perms) != 3)
			continue;
		if (strcmp(perms, "---p")) {
			prev_len = 0;
			continue;
		}
		if (prev_len == ps && end - start == ps && start == prev_end + ps)
			hole = (void *)prev_end;
		prev_end = end;
		prev_len = end - start;
	}
	if (f)
		fclose(f);
	return hole;
}

/* Someone else's page in the mmap kind's hole: that thread parks, pause and stop still work. */
static void check_parked(void)
{
	struct contend_stats st;
	struct contender *c;
	char why[256] = "", err[256] = "";
	void *hole, *p = MAP_FAILED;
	uint64_t t0;

	c = contend_start(CONTEND_MMAP, 1, NULL, why, sizeof(why));
	contend_pause(c);
	hole = find_hole();
	if (hole)
		p = mmap(hole, sysconf(_SC_PAGESIZE), PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS |
			 MAP_FIXED_NOREPLACE, -1, 0);
	if (!tap_ok(c && p == hole, "mmap: its hole at %p taken while paused", hole)) {
		tap_skip("parked", "no hole");
		contend_stop(c, NULL);
		return;
	}
	contend_resume(c);
	for (int i = 0; i < 100 && !contend_error(c); i++)
		sleep_ms(1);
	/* the reason lives in the handle, which contend_stop frees */
	snprintf(err, sizeof(err), "%s", contend_error(c) ? contend_error(c) : "");
	contend_read(c, &st);
	sleep_ms(10);
	contend_read(c, &st);
	contend_pause(c);
	t0 = now_ns();
	contend_stop(c, NULL);
	tap_ok(err[0] && st.ops == 0 && now_ns() - t0 < STOP_MAX_MS * 1000000ull,
	       "mmap: parked (%s), %llu ops since, paused and stopped", err[0] ? err : "no error",
	       (unsigned long long)st.ops);
	munmap(p, sysconf(_SC_PAGESIZE));
}

int main(void)
{
	struct contend_stats st;
	struct contender *c;
	char why[256] = "";
	int maps, tasks, names_ok = 1;

	tap_plan(3 + 4 + 3 * 8 + 6 + 2 + 1);

	for (int k = 0; k < CONTEND_NR_KINDS; k++)
		names_ok &= contend_find(contend_name(k)) == k && strcmp(contend_what(k), "?");
	tap_ok(names_ok, "contend_find(contend_name(k)) == k for every kind");
	tap_ok(contend_find("mmap_lock") == -1 && contend_find("") == -1,
	       "a bad name gives -1");
	tap_ok(contend_find(NULL) == -1, "NULL gives -1");

	maps = count_maps();
	tasks = count_tasks();
	c = contend_start(CONTEND_NONE, 4, NULL, why, sizeof(why));
	tap_ok(c != NULL, "none: a handle (%s)", c ? "ok" : why);
	tap_ok(count_tasks() == tasks, "none: starts no thread (%d, was %d)", count_tasks(),
	       tasks);
	contend_pause(c);
	contend_resume(c);
	sleep_ms(10);
	contend_read(c, &st);
	tap_ok(st.ops == 0 && st.ops_per_s == 0 && st.seconds > 0,
	       "none: 0 ops in %.3f s", st.seconds);
	contend_stop(c, &st);
	tap_ok(count_maps() == maps, "none: maps back to %d lines (%d)", maps, count_maps());

	check_kind(CONTEND_MMAP);
	check_kind(CONTEND_MPROTECT);
	check_kind(CONTEND_FAULT);
	check_bound();
	check_parked();

	tap_ok(contend_start(CONTEND_MMAP, 0, NULL, why, sizeof(why)) == NULL,
	       "0 threads refused: %s", why);
	return tap_done();
}
