// SPDX-License-Identifier: GPL-2.0
/*
 * The state table; states made, checked and freed on anon and shmem (the forked child
 * reaped, a refused state leaving nothing mapped, KSM settings put back); the folio
 * sizes of known buffers.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include "gupbench.h"
#include "util.h"
#include "settings.h"
#include "buffer.h"
#include "folio_sizes.h"
#include "state.h"
#include "../tap.h"

#define SZ_2M (2ul << 20)
#define SZ_4M (4ul << 20)

static struct run_opts opts = { .size = SZ_4M, .samples = 1, .file_dir = ".", .cpu = -1,
				 .mem_node = -1 };

static void on_signal(int sig)
{
	settings_restore();
	signal(sig, SIG_DFL);
	raise(sig);
}

static bool mapped(void *addr)
{
	return msync(addr, 4096, MS_ASYNC) == 0 || errno != ENOMEM;
}

/* The value of key as text into buf, "(none)" when absent. */
static void actual_text(struct buffer *b, const char *key, char *buf, size_t n)
{
	char tmp[128];
	const char *t = attrs_text(&b->actual, key, tmp, sizeof(tmp));

	snprintf(buf, n, "%s", t ? t : "(none)");
}

static void test_table(void)
{
	const enum buf_state keeps[] = { STATE_WARM, STATE_RO, STATE_DIRTY };
	bool names_ok = true, listed = true;
	int kept = 0;

	for (int s = 0; s < NR_STATES; s++) {
		names_ok &= state_find(state_name(s)) == s && state_desc(s) != NULL;
		listed &= strstr(state_names(), state_name(s)) != NULL;
		kept += state_survives_op(s);
	}
	tap_ok(names_ok, "every state is found by its name and has a description");
	tap_ok(listed, "state_names() lists every state: %s", state_names());
	tap_ok(state_find("tepid") == -1 && state_find("") == -1, "an unknown name is not found");
	for (size_t i = 0; i < sizeof(keeps) / sizeof(keeps[0]); i++)
		kept -= state_survives_op(keeps[i]);
	tap_ok(kept == 0, "only warm, ro and dirty survive an op");
}

/* make, then what the test checks, then free: 0 made, -1 refused (why). */
static int make(const char *backing, enum buf_state s, struct buffer *b, char *why, size_t n)
{
	return state_buffer_make(backing_find(backing), s, &opts, -1, b, why, n);
}

static void test_forked(void)
{
	char why[REASON_MAX] = "", buf[64];
	struct buffer b;
	pid_t child;
	void *addr;

	if (!tap_ok(make("anon", STATE_FORKED, &b, why, sizeof(why)) == 0, "anon forked: made%s%s",
		    *why ? ": " : "", why))
		return;
	child = b.child_pid;
	tap_ok(child > 0 && kill(child, 0) == 0, "anon forked: the child %d holds the pages",
	       child);
	actual_text(&b, "state.pages_exclusive", buf, sizeof(buf));
	tap_ok(!strcmp(buf, "0"), "anon forked: no sampled page exclusive (%s)", buf);
	addr = b.addr;
	state_buffer_free(backing_find("anon"), STATE_FORKED, &b);
	tap_ok(kill(child, 0) == -1 && errno == ESRCH && !mapped(addr),
	       "anon forked: free kills and reaps the child, unmaps");

	why[0] = '\0';
	tap_ok(make("shmem", STATE_FORKED, &b, why, sizeof(why)) == -1 && !b.addr &&
	       !b.child_pid && !strncmp(why, "forked: shmem is a shared", 25),
	       "shmem forked: refused, nothing left: %s", why);
}

static void test_made(const char *backing, enum buf_state s, const char *key, const char *want)
{
	char why[REASON_MAX] = "", buf[128];
	struct buffer b;

	if (!tap_ok(make(backing, s, &b, why, sizeof(why)) == 0, "%s %s: made%s%s", backing,
		    state_name(s), *why ? ": " : "", why))
		return;
	actual_text(&b, key, buf, sizeof(buf));
	tap_ok(!strcmp(buf, want), "%s %s: %s is %s (%s)", backing, state_name(s), key, want, buf);
	state_buffer_free(backing_find(backing), s, &b);
}

static void test_refused(const char *backing, enum buf_state s)
{
	char why[REASON_MAX] = "", prefix[32];
	struct buffer b;

	snprintf(prefix, sizeof(prefix), "%s: ", state_name(s));
	tap_ok(make(backing, s, &b, why, sizeof(why)) == -1 && !b.addr &&
	       !strncmp(why, prefix, strlen(prefix)), "%s %s: refused: %s", backing,
	       state_name(s), why);
}

static void test_folio_sizes(void)
{
	char why[REASON_MAX] = "";
	struct folio_sizes fs;
	size_t len = SZ_4M;
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int r;

	if (!tap_ok(p != MAP_FAILED, "folio sizes: map 4 MiB"))
		return;
	madvise(p, len, MADV_NOHUGEPAGE);
	r = folio_sizes_read(p, len, &fs, why, sizeof(why));
	tap_ok(r == 0 && fs.present == 0 && fs.nr == 0,
	       "folio sizes: nothing present, nothing counted");
	memset(p, 1, len / 2);
	r = folio_sizes_read(p, len, &fs, why, sizeof(why));
	if (geteuid()) {
		tap_ok(r == -1 && strstr(why, "root"), "folio sizes without root: %s", why);
	} else {
		tap_ok(r == 0 && fs.present == len / 2 / 4096 && fs.nr == 1 &&
		       fs.v[0].bytes == 4096 && fs.v[0].folios == len / 2 / 4096,
		       "folio sizes: half of 4 MiB written, 4 KiB folios: %zu present, %zu sizes, "
		       "%llu of %llu bytes", fs.present, fs.nr, fs.nr ? (unsigned long long)
		       fs.v[0].folios : 0ull, fs.nr ? (unsigned long long)fs.v[0].bytes : 0ull);
	}
	munmap(p, len);
}

/* A THP buffer counts each 2 MiB folio once, whichever of its pages are mapped. */
static void test_folio_sizes_thp(void)
{
	const struct backing_ops *ops = backing_find("anon-thp");
	char why[REASON_MAX] = "";
	struct folio_sizes fs;
	struct buffer b;
	int r;

	if (geteuid() || ops->probe(&opts, why, sizeof(why))) {
		tap_skip("folio sizes of THP", geteuid() ? "needs root" : why);
		return;
	}
	if (make("anon-thp", STATE_WARM, &b, why, sizeof(why))) {
		tap_skip("folio sizes of THP", why);
		return;
	}
	r = folio_sizes_read((char *)b.addr + 4096, b.len - 8192, &fs, why, sizeof(why));
	tap_ok(r == 0 && fs.nr == 1 && fs.v[0].bytes == SZ_2M && fs.v[0].folios == b.len / SZ_2M,
	       "folio sizes: anon-thp from its second page to its last but one: %llu folios "
	       "of %llu", fs.nr ? (unsigned long long)fs.v[0].folios : 0ull,
	       fs.nr ? (unsigned long long)fs.v[0].bytes : 0ull);
	state_buffer_free(ops, STATE_WARM, &b);
}

static void test_ksm(void)
{
	const char *knobs[] = { "/sys/kernel/mm/ksm/run", "/sys/kernel/mm/ksm/pages_to_scan",
				"/sys/kernel/mm/ksm/sleep_millisecs" };
	char before[3][64] = { "" }, after[3][64] = { "" }, why[REASON_MAX] = "";
	bool same = true;

	if (state_probe(STATE_KSM, why, sizeof(why))) {
		tap_skip("anon ksm", why);
		return;
	}
	for (int i = 0; i < 3; i++)
		read_file_str(knobs[i], before[i], sizeof(before[i]));
	test_made("anon", STATE_KSM, "state.verified_by",
		  "kpageflags KPF_KSM and pagemap: mapped more than once");
	for (int i = 0; i < 3; i++) {
		read_file_str(knobs[i], after[i], sizeof(after[i]));
		same &= !strcmp(before[i], after[i]);
	}
	tap_ok(same, "ksm: run, pages_to_scan, sleep_millisecs back to %s %s %s", before[0],
	       before[1], before[2]);
	test_refused("shmem", STATE_KSM);
}

int main(void)
{
	struct sigaction sa = { .sa_handler = on_signal };

	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	kver_init();
	test_table();
	test_forked();
	test_made("anon", STATE_RO, "state.protection", "r--p");
	test_refused("shmem", STATE_ZERO);
	test_refused("anon", STATE_DIRTY);
	if (geteuid())
		test_made("anon", STATE_ZERO, "state.verified_by", "pagemap present, smaps Rss 0");
	else
		test_made("anon", STATE_ZERO, "state.zero_page", "4 KiB");
	test_folio_sizes();
	test_folio_sizes_thp();
	test_ksm();
	settings_restore();
	printf("1..%d\n", tap_n);
	return tap_done();
}
