// SPDX-License-Identifier: GPL-2.0
/*
 * State ksm: warm anon pages of equal content in groups (see ksm_fill())
 * merged by KSM. A KSM page is write-protected and never
 * exclusive, so every pin unshares it (gup_must_unshare()): the state is
 * made anew for every op. ksmd runs, scanning flat out, only while this waits
 * for the merge; then run, pages_to_scan and sleep_millisecs go back to what
 * they were (settings_restore() puts them back on any exit as well).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include "gupbench.h"
#include "buffer.h"
#include "pagemap.h"
#include "settings.h"
#include "state.h"
#include "util.h"

#define KSM_DIR		"/sys/kernel/mm/ksm"
#define KSM_WAIT_MS	10000	/* two scans of a few MiB take ms; emulated, more */
#define KSM_POLL_US	1000


/*
 * One KSM page is shared by at most max_page_sharing mappings; more equal
 * pages make a chain of duplicates, and ksmd can leave a page of such a chain
 * unmerged for good (seen: 1023 of 1024 after 10 s). Groups of equal pages
 * no larger than half of that each make one KSM page.
 */
static void ksm_fill(struct buffer *b)
{
	volatile unsigned char *p = b->addr;
	long sharing;
	size_t group;

	if (read_file_long(KSM_DIR "/max_page_sharing", &sharing) || sharing < 4)
		sharing = 256;
	group = sharing / 2;
	for (size_t i = 0, off = 0; off < b->len; i++, off += BASE_PAGE_SIZE) {
		p[off] = 1;
		p[off + 1] = (unsigned char)(i / group);
		p[off + 2] = (unsigned char)(i / group >> 8);
	}
}

static const char *const knobs[] = {
	KSM_DIR "/pages_to_scan", KSM_DIR "/sleep_millisecs", KSM_DIR "/run",
};
#define NR_KNOBS (sizeof(knobs) / sizeof(knobs[0]))

int state_ksm_probe(char *why, size_t n)
{
	if (access(KSM_DIR "/run", F_OK)) {
		set_reason(why, n, "no " KSM_DIR ": the kernel has no KSM (CONFIG_KSM)");
		return -1;
	}
	if (access(KSM_DIR "/run", W_OK)) {
		set_reason(why, n, "ksmd is started through " KSM_DIR "/run: needs root");
		return -1;
	}
	return 0;
}

/*
 * ksmd on, scanning the whole buffer at every pass without sleeping: two
 * passes merge it (the first takes checksums), in tens of milliseconds
 * rather than hundreds with 1 ms sleeps. Only while this waits; and once
 * no mergeable memory is left (gupbench gone) ksmd idles whatever its
 * settings.
 */
static int ksm_start(size_t pages, char old[][32], bool *tuned, char *why, size_t n)
{
	char scan[32];
	long cur;

	for (size_t i = 0; i < NR_KNOBS; i++) {
		if (read_file_str(knobs[i], old[i], 32)) {
			set_reason(why, n, "ksm: cannot read %s", knobs[i]);
			return -1;
		}
	}
	if (read_file_long(knobs[0], &cur) || cur < (long)pages)
		cur = pages;
	snprintf(scan, sizeof(scan), "%ld", cur);
	/* the advisor (advisor_mode scan-time) refuses pages_to_scan: its pace, then */
	*tuned = setting_write(knobs[0], scan) == 0 && setting_write(knobs[1], "0") == 0;
	if (setting_write(knobs[2], "1")) {
		set_reason(why, n, "ksm: writing 1 to " KSM_DIR "/run: %s", strerror(errno));
		return -1;
	}
	return 0;
}

static void ksm_stop(char old[][32])
{
	/* run first: stopped ksmd keeps what it merged (run=2 would unmerge) */
	for (int i = NR_KNOBS - 1; i >= 0; i--)
		if (old[i][0])
			setting_write(knobs[i], old[i]);
}

/*
 * Whether a sample of the buffer's pages are all KSM pages (-1: cannot tell).
 * Not /proc/self/ksm_merging_pages: it still counts the pages of a buffer
 * unmapped since, until ksmd scans again.
 */
static int all_merged(struct buffer *b, size_t *merged, size_t *sampled, char *why, size_t n)
{
	struct page_census pc;

	if (page_census(b->addr, b->len, STATE_CENSUS_PAGES, &pc, why, n))
		return -1;
	if (!pc.flags_known) {
		set_reason(why, n, "ksm: cannot tell merged pages: %s", pc.why);
		return -1;
	}
	*merged = pc.ksm_merged;
	*sampled = pc.sampled;
	return pc.ksm_merged == pc.sampled;
}

int state_ksm_make(enum buf_state s, const struct backing_ops *ops, struct buffer *b,
		   char *why, size_t n)
{
	char old[NR_KNOBS][32] = { "" }, words[64];
	struct page_census pc;
	struct vma_desc v;
	bool tuned = false;
	size_t merged = 0, sampled = 0;
	int done = 0;
	uint64_t t0, ms = 0;

	(void)s;
	if (state_vma(b, &v, why, n))
		return -1;
	if (v.shared) {
		set_reason(why, n, "ksm: KSM merges only anonymous pages of private mappings; %s "
			   "is %s", ops->name, state_vma_words(&v, words, sizeof(words)));
		return -1;
	}
	ksm_fill(b);
	if (buffer_verify(ops, b, why, n))
		return -1;
	if (madvise(b->addr, b->len, MADV_MERGEABLE)) {
		set_reason(why, n, "ksm: madvise(MADV_MERGEABLE): %s", strerror(errno));
		return -1;
	}
	if (ksm_start(b->len / BASE_PAGE_SIZE, old, &tuned, why, n)) {
		ksm_stop(old);
		return -1;
	}
	/*
	 * Not cut short by Ctrl-C: the op this buffer is for ends the run
	 * cleanly after it; a second Ctrl-C leaves at once (settings restored).
	 */
	t0 = now_ns();
	while (ms < KSM_WAIT_MS) {
		done = all_merged(b, &merged, &sampled, why, n);
		if (done)
			break;
		usleep(KSM_POLL_US);
		ms = (now_ns() - t0) / 1000000;
	}
	ms = (now_ns() - t0) / 1000000;
	ksm_stop(old);
	if (done < 0)
		return -1;
	attrs_set_int(&b->actual, "state.ksm_wait_ms", ms);
	attrs_set_bool(&b->actual, "state.ksm_scan_tuned", tuned);
	if (!done) {
		set_reason(why, n, "ksm: timed out after %llu ms: %zu of %zu sampled pages merged "
			   "(ksmd scanning %s)", (unsigned long long)ms, merged, sampled, tuned ?
			   "the whole buffer without sleeping" : "at the KSM advisor's pace");
		return -1;
	}
	if (page_census(b->addr, b->len, STATE_CENSUS_PAGES, &pc, why, n))
		return -1;
	attrs_set_int(&b->actual, "state.pages_sampled", pc.sampled);
	attrs_set_str(&b->actual, "state.verified_by",
		      "kpageflags KPF_KSM and pagemap: mapped more than once");
	attrs_set_int(&b->actual, "state.pages_ksm", pc.ksm_merged);
	if (pc.ksm_merged < pc.sampled) {
		set_reason(why, n, "ksm: %zu of %zu sampled pages are not merged KSM pages after "
			   "the merge", pc.sampled - pc.ksm_merged, pc.sampled);
		return -1;
	}
	return 0;
}
