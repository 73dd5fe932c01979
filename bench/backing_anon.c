// SPDX-License-Identifier: GPL-2.0
/* Private anonymous memory: 4 KiB pages (anon) and PMD-mapped THP (anon-thp). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include "gupbench.h"
#include "util.h"
#include "settings.h"
#include "buffer.h"

#define THP_DIR "/sys/kernel/mm/transparent_hugepage"

static int anon_probe(const struct run_opts *o, char *why, size_t n)
{
	(void)o, (void)why, (void)n;
	return 0;
}

static int anon_create(struct buffer *b, size_t len, const struct run_opts *o,
		       char *why, size_t n)
{
	void *p;

	(void)o;
	if (buffer_check_len(len, 0, why, n))
		return -1;
	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		set_reason(why, n, "mmap of %zu bytes: %s", len, strerror(errno));
		return -1;
	}
	/* THP "always" would make this a THP buffer; fails harmlessly without THP */
	madvise(p, len, MADV_NOHUGEPAGE);
	b->addr = p;
	b->len = len;
	b->page_size = sysconf(_SC_PAGESIZE);
	attrs_set_int(&b->actual, "page_size", b->page_size);
	attrs_set_str(&b->actual, "mapping", "private-anon");
	return 0;
}

static int anon_verify(struct buffer *b, char *why, size_t n)
{
	long long thp = buffer_thp_bytes(b, "AnonHugePages");

	if (thp > 0) {
		set_reason(why, n, "%lld bytes are THP despite MADV_NOHUGEPAGE", thp);
		return -1;
	}
	return 0;
}

/* The per-size file of the PMD size (6.8+); "inherit" defers to THP_DIR/enabled. */
static void pmd_enabled_path(char *path, size_t n)
{
	snprintf(path, n, THP_DIR "/hugepages-%zukB/enabled", thp_pmd_size() >> 10);
}

/* Mode that governs PMD-sized anon THP, and the two files it comes from. */
static int thp_mode(char *top, char *per, char *eff, size_t n)
{
	char path[256];

	if (!thp_pmd_size() || read_mode(THP_DIR "/enabled", top, n))
		return -1;
	pmd_enabled_path(path, sizeof(path));
	if (read_mode(path, per, n))
		snprintf(per, n, "inherit");
	snprintf(eff, n, "%s", strcmp(per, "inherit") ? per : top);
	return 0;
}

static bool mode_usable(const char *m)
{
	return !strcmp(m, "always") || !strcmp(m, "madvise");
}

static int anon_thp_probe(const struct run_opts *o, char *why, size_t n)
{
	char top[32], per[32], eff[32];

	(void)o;
	if (thp_mode(top, per, eff, sizeof(top))) {
		set_reason(why, n, "transparent hugepages not available (no " THP_DIR ")");
		return -1;
	}
	if (mode_usable(eff))
		return 0;
	/* create() switches it to madvise; probing changes nothing */
	if (access(THP_DIR "/enabled", W_OK) == 0)
		return 0;
	set_reason(why, n, "THP is disabled (enabled=%s, PMD size: %s); as root gupbench switches it to madvise for the run",
		   top, per);
	return -1;
}

/* THP off: switch to madvise for the run (settings_restore() puts it back). */
static int thp_enable(bool *switched, char *why, size_t n)
{
	char top[32], per[32], eff[32], path[256];

	if (thp_mode(top, per, eff, sizeof(top))) {
		set_reason(why, n, "transparent hugepages not available");
		return -1;
	}
	if (mode_usable(eff))
		return 0;
	if (!strcmp(top, "never") && setting_write(THP_DIR "/enabled", "madvise"))
		goto fail;
	pmd_enabled_path(path, sizeof(path));
	if (!strcmp(per, "never") && setting_write(path, "inherit"))
		goto fail;
	*switched = true;
	if (thp_mode(top, per, eff, sizeof(top)) == 0 && mode_usable(eff))
		return 0;
fail:
	set_reason(why, n, "THP is disabled (enabled=%s, PMD size: %s) and switching it to madvise failed: %s",
		   top, per, strerror(errno));
	return -1;
}

static int anon_thp_create(struct buffer *b, size_t len, const struct run_opts *o,
			   char *why, size_t n)
{
	size_t pmd = thp_pmd_size();
	bool switched = false;
	char top[32], per[32], eff[32];
	void *p;

	(void)o;
	if (buffer_check_len(len, 0, why, n))
		return -1;
	if (len < pmd) {
		set_reason(why, n, "anon-thp needs at least one %zu KiB huge page, got %zu bytes",
			   pmd >> 10, len);
		return -1;
	}
	if (thp_enable(&switched, why, n))
		return -1;
	p = map_aligned(len, pmd, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1);
	if (p == MAP_FAILED) {
		set_reason(why, n, "mmap of %zu bytes: %s", len, strerror(errno));
		return -1;
	}
	if (madvise(p, len, MADV_HUGEPAGE)) {
		set_reason(why, n, "madvise(MADV_HUGEPAGE): %s", strerror(errno));
		munmap(p, len);
		return -1;
	}
	b->addr = p;
	b->len = len;
	b->page_size = pmd;
	thp_mode(top, per, eff, sizeof(top));
	attrs_set_int(&b->actual, "page_size", pmd);
	attrs_set_str(&b->actual, "mapping", "private-anon");
	attrs_set_str(&b->actual, "thp_enabled", eff);
	attrs_set_bool(&b->actual, "thp_switched", switched);
	return 0;
}

static int anon_thp_verify(struct buffer *b, char *why, size_t n)
{
	return buffer_verify_thp(b, "AnonHugePages", why, n);
}

const struct backing_ops backing_anon = {
	.name = "anon",
	.desc = "private anonymous memory, 4 KiB pages (MADV_NOHUGEPAGE)",
	.probe = anon_probe,
	.create = anon_create,
	.verify = anon_verify,
	.destroy = buffer_unmap,
};

const struct backing_ops backing_anon_thp = {
	.name = "anon-thp",
	.desc = "private anonymous memory, PMD-aligned, MADV_HUGEPAGE (THP)",
	.probe = anon_thp_probe,
	.create = anon_thp_create,
	.verify = anon_thp_verify,
	.destroy = buffer_unmap,
};
