// SPDX-License-Identifier: GPL-2.0
/*
 * gupbench list: what this machine supports, and why not.
 *
 * list_collect() builds one JSON document (--format json); list_print()
 * renders that document, and nothing else, as a plain-text table a kernel
 * developer can paste into an email: columns aligned, at most LIST_WIDTH
 * columns, long reasons wrapped inside their column.  Because the table is
 * made from the JSON alone, `--from FILE` renders a list taken elsewhere
 * (the QEMU test bed writes one) exactly as that machine would have.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/utsname.h>
#include "gupbench.h"
#include "util.h"
#include "settings.h"
#include "cli.h"
#include "commands.h"
#include "counters.h"
#include "kmod.h"
#include "sysinfo.h"
#include "state.h"

#define LIST_USAGE \
	"usage: gupbench list [--format table|json] [--file-dir DIR] [--from LIST.json]\n" \
	"  -f, --format F  table (default) or json\n" \
	"  --file-dir DIR  where the file backings would create their file (default .)\n" \
	"  --from FILE     print a list saved elsewhere (--format json) instead of this machine's\n"
#define LIST_WIDTH	100	/* email-safe line length */
#define LIST_GAP	2	/* blanks between columns */
#define LIST_MIN_LAST	24	/* the last column never gets narrower than this */
#define KMOD_LOAD	"make module && insmod kmod/gupbench.ko"

static json_object *availability(int (*probe)(const struct run_opts *, char *, size_t),
				 const struct run_opts *o)
{
	json_object *j = json_object_new_object();
	char why[REASON_MAX] = "";
	bool ok = !probe || probe(o, why, sizeof(why)) == 0;

	json_object_object_add(j, "available", json_object_new_boolean(ok));
	json_object_object_add(j, "reason", ok ? NULL : json_object_new_string(why));
	return j;
}

/* o[key] as a string, NULL when absent or null. */
static const char *jstr(json_object *o, const char *key)
{
	json_object *v;

	if (!o || !json_object_object_get_ex(o, key, &v) || !v)
		return NULL;
	return json_object_get_string(v);
}

/* o[key] as an integer; false when absent or null. */
static bool jint(json_object *o, const char *key, int64_t *out)
{
	json_object *v;

	if (!o || !json_object_object_get_ex(o, key, &v) || !v)
		return false;
	*out = json_object_get_int64(v);
	return true;
}

/* o[key] if it is an object (or an array): NULL otherwise, so that loops over it are safe. */
static json_object *jobj(json_object *o, const char *key)
{
	json_object *v = json_object_object_get(o, key);

	return json_object_is_type(v, json_type_object) ? v : NULL;
}

static json_object *jarr(json_object *o, const char *key)
{
	json_object *v = json_object_object_get(o, key);

	return json_object_is_type(v, json_type_array) ? v : NULL;
}

static bool jbool(json_object *o, const char *key)
{
	json_object *v;

	return o && json_object_object_get_ex(o, key, &v) && json_object_get_boolean(v);
}

static void append(char *buf, size_t n, const char *fmt, const char *s)
{
	size_t len = strlen(buf);

	if (len < n)
		snprintf(buf + len, n - len, fmt, s);
}

/*
 * Per-node hugetlb pools, added as "nodes": {"0": {"nr", "free"}} to each
 * size of sysinfo's "hugetlb" (additive: sysinfo records system totals only).
 */
static void hugetlb_nodes(json_object *hugetlb)
{
	json_object_object_foreach(hugetlb, size, pool) {
		json_object *nodes = json_object_new_object();
		char dir[160], path[200];
		long nr, fr;

		/* node ids may have holes: try every id a kernel can have */
		for (int node = 0; node < 1024; node++) {
			json_object *nj;

			snprintf(dir, sizeof(dir), "/sys/devices/system/node/node%d/hugepages/"
				 "hugepages-%s", node, size);
			snprintf(path, sizeof(path), "%s/nr_hugepages", dir);
			if (read_file_long(path, &nr))
				continue;
			snprintf(path, sizeof(path), "%s/free_hugepages", dir);
			if (read_file_long(path, &fr))
				continue;
			nj = json_object_new_object();
			json_object_object_add(nj, "nr", json_object_new_int64(nr));
			json_object_object_add(nj, "free", json_object_new_int64(fr));
			snprintf(path, sizeof(path), "%d", node);
			json_object_object_add(nodes, path, nj);
		}
		json_object_object_add(pool, "nodes", nodes);
	}
}

/*
 * Whether this kernel can load modules at all.  /proc/modules exists exactly
 * when the running kernel has CONFIG_MODULES; the config file says the same
 * from the build side (and is all there is when /proc is not mounted).
 * 1 yes, 0 no, -1 unknown; the evidence goes to ev.
 */
static int modules_supported(json_object *sys, char *ev, size_t n)
{
	json_object *cfg = json_object_object_get(sys, "config");
	const char *m = jstr(cfg, "CONFIG_MODULES"), *src = jstr(cfg, "source");
	bool have_proc = access("/proc/self", F_OK) == 0;
	bool proc_modules = access("/proc/modules", F_OK) == 0;
	int can = -1;
	long disabled = 0;

	*ev = '\0';
	if (m && src) {
		if (!strcmp(m, "n"))
			set_reason(ev, n, "CONFIG_MODULES is not set (%s)", src);
		else
			set_reason(ev, n, "CONFIG_MODULES=%s (%s)", m, src);
		can = strcmp(m, "n") != 0;
	} else if (src && !strcmp(src, "unavailable")) {
		set_reason(ev, n, "kernel config unavailable");
	}
	if (have_proc) {
		if (*ev)
			append(ev, n, "%s", ", ");
		append(ev, n, "%s", proc_modules ? "/proc/modules present" : "no /proc/modules");
		can = proc_modules;
	}
	if (can == 1 && !read_file_long("/proc/sys/kernel/modules_disabled", &disabled) &&
	    disabled) {
		append(ev, n, "%s", ", kernel.modules_disabled=1");
		can = 0;
	}
	return can;
}

/*
 * What it takes to use the module here, added to kmod_describe()'s JSON as
 * "module_support" {"available", "reason"} and "hint" (null when loaded).
 */
static void kmod_advise(json_object *kmod, json_object *sys, const struct run_opts *o)
{
	json_object *ms = json_object_new_object();
	const char *dev = jstr(kmod, "device"), *why = jstr(kmod, "reason");
	char ev[REASON_MAX], hint[REASON_MAX * 2] = "", path[300];
	int can = modules_supported(sys, ev, sizeof(ev));
	long disabled = 0;
	struct utsname u;

	json_object_object_add(ms, "available", can < 0 ? NULL : json_object_new_boolean(can));
	json_object_object_add(ms, "reason", *ev ? json_object_new_string(ev) : NULL);
	json_object_object_add(kmod, "module_support", ms);
	if (!dev)
		dev = kmod_device(o->kmod_dev);

	if (jbool(kmod, "loaded")) {
		/* nothing to do */
	} else if (access("/sys/module/gupbench", F_OK) == 0) {
		/* In the kernel, but the device did not answer. */
		if (geteuid() != 0)
			set_reason(hint, sizeof(hint), "needs root: the module is loaded, and "
				   "opening %s takes CAP_SYS_ADMIN", dev);
		else if (why && strstr(why, "ENOENT"))
			set_reason(hint, sizeof(hint), "the module is loaded but %s does not "
				   "exist: is devtmpfs mounted? (or set GUPBENCH_DEV)", dev);
		else
			set_reason(hint, sizeof(hint), "load a build that matches: rmmod gupbench "
				   "&& " KMOD_LOAD);
	} else if (can == 0) {
		if (!read_file_long("/proc/sys/kernel/modules_disabled", &disabled) && disabled)
			set_reason(hint, sizeof(hint), "module loading is disabled until reboot "
				   "(kernel.modules_disabled=1): run the module in the QEMU test "
				   "bed (scripts/vm-run)");
		else
			set_reason(hint, sizeof(hint), "this kernel cannot load modules: run the "
				   "module in the QEMU test bed (scripts/vm-run)");
	} else if (geteuid() != 0) {
		set_reason(hint, sizeof(hint), "needs root: as root, " KMOD_LOAD);
	} else {
		set_reason(hint, sizeof(hint), KMOD_LOAD);
		/* make module builds against this tree unless told otherwise */
		if (!uname(&u)) {
			snprintf(path, sizeof(path), "/lib/modules/%s/build", u.release);
			if (access(path, F_OK))
				append(hint, sizeof(hint), " (needs this kernel's headers in %s, "
				       "or make module KDIR=...)", path);
		}
	}
	json_object_object_add(kmod, "hint", *hint ? json_object_new_string(hint) : NULL);
}

/* Each state: whether this machine can make it, what it is, whether an op keeps it. */
static json_object *list_states(void)
{
	json_object *sj = json_object_new_object();

	for (int i = 0; i < NR_STATES; i++) {
		json_object *st = json_object_new_object();
		char why[REASON_MAX] = "";
		bool ok = state_probe(i, why, sizeof(why)) == 0;

		json_object_object_add(st, "available", json_object_new_boolean(ok));
		json_object_object_add(st, "reason", ok ? NULL : json_object_new_string(why));
		json_object_object_add(st, "description", json_object_new_string(state_desc(i)));
		json_object_object_add(st, "survives_op",
				       json_object_new_boolean(state_survives_op(i)));
		json_object_object_add(sj, state_name(i), st);
	}
	return sj;
}

static json_object *list_collect(const struct run_opts *o)
{
	json_object *root = json_object_new_object(), *dj = json_object_new_object(),
		    *bj = json_object_new_object(), *sys, *v, *kmod = NULL;
	struct counters *ctr;
	char why[REASON_MAX] = "";
	struct env env;

	sysinfo_collect(&env);
	sys = result_env_json(&env);
	env_free(&env);

	json_object_object_add(root, "kernel", json_object_object_get_ex(sys, "kernel", &v) ?
			       json_object_get(v) : NULL);
	json_object_object_add(root, "accelerator",
			       json_object_new_string(sysinfo_accelerator()));
	for (int i = 0; drivers[i]; i++) {
		json_object *d = availability(drivers[i]->probe, o);

		json_object_object_add(d, "description", json_object_new_string(drivers[i]->desc));
		json_object_object_add(d, "gup_path",
			json_object_new_string(drivers[i]->gup_path(&running_kernel, NULL)));
		json_object_object_add(dj, drivers[i]->name, d);
	}
	json_object_object_add(root, "drivers", dj);
	for (int i = 0; backings[i]; i++) {
		json_object *b = availability(backings[i]->probe, o);

		json_object_object_add(b, "description",
				       json_object_new_string(backings[i]->desc));
		json_object_object_add(bj, backings[i]->name, b);
	}
	json_object_object_add(root, "backings", bj);
	json_object_object_add(root, "states", list_states());
	json_object_object_add(root, "thp", json_object_object_get_ex(sys, "thp", &v) ?
			       json_object_get(v) : NULL);
	if (json_object_object_get_ex(sys, "hugetlb", &v) && v)
		hugetlb_nodes(v);
	json_object_object_add(root, "hugetlb", json_object_object_get_ex(sys, "hugetlb", &v) ?
			       json_object_get(v) : NULL);

	ctr = counters_open();
	v = json_object_new_object();
	json_object_object_add(v, "available", json_object_new_boolean(
		counters_fallback_available(ctr, why, sizeof(why))));
	json_object_object_add(v, "reason", *why ? json_object_new_string(why) : NULL);
	json_object_object_add(root, "fallback_tracepoint", v);
	json_object_object_add(root, "counters", counters_describe(ctr));
	counters_close(ctr);

	if (kmod_describe(o->kmod_dev, &kmod) != 0 && !kmod)
		kmod = json_object_new_object();
	kmod_advise(kmod, sys, o);
	json_object_object_add(root, "kmod", kmod);

	v = json_object_new_object();
	json_object_object_add(v, "version", json_object_new_string(GUPBENCH_VERSION));
	json_object_object_add(v, "git", json_object_new_string(GUPBENCH_GIT));
	json_object_object_add(root, "tool", v);
	json_object_put(sys);
	return root;
}

/* ---- the table ---- */

/*
 * Length of the next line of s in w columns: up to the last blank that fits,
 * else just after a '|' or '/' (paths, alternatives), else cut at w.
 */
static size_t wrap_len(const char *s, size_t w)
{
	size_t len = strlen(s), brk = 0;

	if (len <= w)
		return len;
	for (size_t i = 1; i <= w; i++)
		if (s[i] == ' ')
			brk = i;
	if (brk)
		return brk;
	for (size_t i = w; i > 1; i--)
		if (s[i - 1] == '|' || s[i - 1] == '/')
			return i;
	return w;
}

/*
 * One row of n cells, the first at column indent, cell i in w[i] columns
 * (the last one: what is left of LIST_WIDTH).  A cell too long for its
 * column goes on under itself, so every column keeps its start.
 */
static void row(int indent, int n, const int *w, const char *const *cell)
{
	const char *p[8];
	char line[LIST_WIDTH + 64];
	bool more;

	for (int i = 0; i < n && i < 8; i++)
		p[i] = cell[i] ? cell[i] : "";
	do {
		int col = indent, len = snprintf(line, sizeof(line), "%*s", indent, "");

		more = false;
		for (int i = 0; i < n && i < 8; i++) {
			int width = w[i];
			size_t k;

			if (i == n - 1)
				width = LIST_WIDTH - col < LIST_MIN_LAST ? LIST_MIN_LAST :
					LIST_WIDTH - col;
			k = wrap_len(p[i], width);
			len += snprintf(line + len, sizeof(line) - len, "%-*.*s",
					i == n - 1 ? 0 : width + LIST_GAP, (int)k, p[i]);
			p[i] += k;
			col += width + LIST_GAP;
			while (*p[i] == ' ')
				p[i]++;
			more |= *p[i] != '\0';
		}
		while (len > 0 && line[len - 1] == ' ')
			line[--len] = '\0';
		puts(line);
	} while (more);
}

/* A section title and its column headings, aligned with rows indented by 2. */
static void heading(int n, const int *w, const char *const *cell)
{
	int hw[8];

	for (int i = 0; i < n && i < 8; i++)
		hw[i] = w[i] + (i == 0 ? 2 : 0);
	putchar('\n');
	row(0, n, hw, cell);
}

#define ROW2(w, a, b)		row(2, 2, w, (const char *const[]){ a, b })
#define ROW3(w, a, b, c)	row(2, 3, w, (const char *const[]){ a, b, c })

static int max_int(int a, int b)
{
	return a > b ? a : b;
}

/* Widest key of an object, at least min. */
static int key_width(json_object *o, int min)
{
	if (o && json_object_is_type(o, json_type_object)) {
		json_object_object_foreach(o, k, v) {
			(void)v;
			min = max_int(min, (int)strlen(k));
		}
	}
	return min;
}

/* "yes", or "no: reason" */
static const char *avail_str(json_object *j, char *buf, size_t n)
{
	const char *r = jstr(j, "reason");

	if (jbool(j, "available"))
		return "yes";
	snprintf(buf, n, "no: %s", r ? r : "unavailable");
	return buf;
}

/* "8kB"/"2048kB" (sysfs spelling) -> "8 KiB"/"2 MiB" */
static const char *size_words(const char *kb, char *buf, size_t n)
{
	char *end;
	long v = strtol(kb, &end, 10);

	if (end == kb || strcmp(end, "kB"))
		snprintf(buf, n, "%s", kb);
	else if (v >= 1048576 && v % 1048576 == 0)
		snprintf(buf, n, "%ld GiB", v / 1048576);
	else if (v >= 1024 && v % 1024 == 0)
		snprintf(buf, n, "%ld MiB", v / 1024);
	else
		snprintf(buf, n, "%ld KiB", v);
	return buf;
}

static void print_system(json_object *root)
{
	json_object *k = json_object_object_get(root, "kernel"), *t;
	const int w[] = { 18, 0 };
	char buf[512];

	snprintf(buf, sizeof(buf), "%s %s %s", jstr(k, "release") ? : "?",
		 jstr(k, "version") ? : "", jstr(k, "machine") ? : "");
	row(0, 2, w, (const char *const[]){ "kernel", buf });
	row(0, 2, w, (const char *const[]){ "accelerator", jstr(root, "accelerator") ? : "?" });
	if (json_object_object_get_ex(root, "tool", &t)) {
		snprintf(buf, sizeof(buf), "%s (%s)", jstr(t, "version") ? : "?",
			 jstr(t, "git") ? : "?");
		row(0, 2, w, (const char *const[]){ "gupbench", buf });
	}
}

static void print_drivers(json_object *root)
{
	json_object *dj = jobj(root, "drivers");
	int w[3] = { key_width(dj, 6), 9, 0 };
	char buf[REASON_MAX + 8];

	if (!dj)
		return;
	json_object_object_foreach(dj, n0, d0) {
		(void)n0;
		w[1] = max_int(w[1], (int)strlen(avail_str(d0, buf, sizeof(buf))));
	}
	/* leave the kernel path at least 40 columns; a longer reason wraps */
	w[1] = max_int(9, w[1] < LIST_WIDTH - 2 - w[0] - 2 * LIST_GAP - 40 ? w[1] :
		       LIST_WIDTH - 2 - w[0] - 2 * LIST_GAP - 40);
	heading(3, w, (const char *const[]){ "driver", "available", "reaches (kernel GUP entry)" });
	json_object_object_foreach(dj, name, d)
		ROW3(w, name, avail_str(d, buf, sizeof(buf)), jstr(d, "gup_path") ? : "?");
}

static void print_backings(json_object *root)
{
	json_object *bj = jobj(root, "backings");
	int w[2] = { key_width(bj, 7), 0 };
	char buf[REASON_MAX + 8];

	if (!bj)
		return;
	heading(2, w, (const char *const[]){ "backing", "available" });
	json_object_object_foreach(bj, name, b)
		ROW2(w, name, avail_str(b, buf, sizeof(buf)));
}

/* A state that cannot be made says why; one that can says what it is. */
static void print_states(json_object *root)
{
	json_object *sj = jobj(root, "states");
	int w[2] = { key_width(sj, 9), 0 };
	char buf[REASON_MAX + 8];

	if (!sj)
		return;
	heading(2, w, (const char *const[]){ "state", "available" });
	json_object_object_foreach(sj, name, st) {
		if (jbool(st, "available"))
			snprintf(buf, sizeof(buf), "yes: %s", jstr(st, "description") ? : "");
		else
			avail_str(st, buf, sizeof(buf));
		ROW2(w, name, buf);
	}
}

/* A per-size THP mode: "inherit" spelt out with the top-level mode it takes. */
static void thp_mode(json_object *s, const char *key, const char *top, char *buf, size_t n)
{
	const char *m = jstr(s, key);

	if (!m)
		snprintf(buf, n, "-");
	else if (!strcmp(m, "inherit") && top)
		snprintf(buf, n, "inherit (%s)", top);
	else
		snprintf(buf, n, "%s", m);
}

/* One row for the sizes first..last, which share their modes. */
static void thp_row(const int *w, const char *first, const char *last, const char *anon,
		    const char *shm)
{
	char label[80];

	snprintf(label, sizeof(label), strcmp(first, last) ? "%s - %s" : "%s", first, last);
	ROW3(w, label, anon, shm);
}

static void print_thp(json_object *root)
{
	json_object *thp = json_object_object_get(root, "thp"), *sizes;
	const char *en = jstr(thp, "enabled"), *sh = jstr(thp, "shmem_enabled");
	const int w[3] = { 16, 20, 0 };
	char anon[64], shm[64], prev_a[64] = "", prev_s[64] = "", first[32] = "", last[32] = "";
	char label[80], buf[128];
	int64_t v;

	if (!en && !sh) {
		heading(2, w, (const char *const[]){ "THP", "not available: no /sys/kernel/mm/"
			"transparent_hugepage (CONFIG_TRANSPARENT_HUGEPAGE off?)" });
		return;
	}
	heading(3, w, (const char *const[]){ "THP", "anon", "shmem" });
	ROW3(w, "top level", en ? : "-", sh ? : "-");
	/*
	 * Per size (mTHP, 6.8+), ascending; a run of sizes with the same modes
	 * is one row ("16 KiB - 1 MiB"), or the 9 sizes of x86 take 9 lines.
	 */
	sizes = jobj(thp, "sizes");
	if (sizes) {
		json_object_object_foreach(sizes, kb, s) {
			thp_mode(s, "enabled", en, anon, sizeof(anon));
			thp_mode(s, "shmem_enabled", sh, shm, sizeof(shm));
			if (*first && (strcmp(anon, prev_a) || strcmp(shm, prev_s))) {
				thp_row(w, first, last, prev_a, prev_s);
				*first = '\0';
			}
			if (!*first)
				size_words(kb, first, sizeof(first));
			size_words(kb, last, sizeof(last));
			snprintf(prev_a, sizeof(prev_a), "%s", anon);
			snprintf(prev_s, sizeof(prev_s), "%s", shm);
		}
		if (*first)
			thp_row(w, first, last, prev_a, prev_s);
	}
	ROW2(w, "defrag", jstr(thp, "defrag") ? : "-");
	*buf = '\0';
	if (jint(thp, "hpage_pmd_size", &v)) {
		snprintf(label, sizeof(label), "%" PRId64 "kB", v / 1024);
		snprintf(buf, sizeof(buf), "%s", size_words(label, first, sizeof(first)));
	}
	if (jint(thp, "use_zero_page", &v))
		snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf), "%shuge zero page %s",
			 *buf ? "; " : "", v ? "used" : "not used");
	if (*buf)
		ROW2(w, "PMD size", buf);
}

static void count_str(json_object *o, const char *key, char *buf, size_t n)
{
	int64_t v;

	if (jint(o, key, &v))
		snprintf(buf, n, "%" PRId64, v);
	else
		snprintf(buf, n, "?");
}

static void print_hugetlb(json_object *root)
{
	json_object *h = jobj(root, "hugetlb"), *nodes;
	const int w[5] = { 16, 8, 8, 8, 0 };
	char sz[32], nr[24], fr[24], rs[24], su[24], label[32];

	if (!h || !json_object_object_length(h)) {
		heading(2, w, (const char *const[]){ "hugetlb", "no pool sizes in "
			"/sys/kernel/mm/hugepages (CONFIG_HUGETLBFS off?)" });
		return;
	}
	heading(5, w, (const char *const[]){ "hugetlb pool", "pages", "free", "reserved",
					     "surplus" });
	json_object_object_foreach(h, kb, p) {
		count_str(p, "nr", nr, sizeof(nr));
		count_str(p, "free", fr, sizeof(fr));
		count_str(p, "resv", rs, sizeof(rs));
		count_str(p, "surplus", su, sizeof(su));
		row(2, 5, w, (const char *const[]){ size_words(kb, sz, sizeof(sz)),
						    nr, fr, rs, su });
		/* One node: its pool is the total already. */
		nodes = jobj(p, "nodes");
		if (!nodes || json_object_object_length(nodes) < 2)
			continue;
		json_object_object_foreach(nodes, node, np) {
			snprintf(label, sizeof(label), "  node %s", node);
			count_str(np, "nr", nr, sizeof(nr));
			count_str(np, "free", fr, sizeof(fr));
			row(2, 3, w, (const char *const[]){ label, nr, fr });
		}
	}
}

static void print_counters(json_object *root)
{
	json_object *c = json_object_object_get(root, "counters"), *ok, *bad, *tp;
	int w[2] = { 20, 0 };
	char buf[REASON_MAX + 160];
	int64_t id;

	ok = jarr(c, "opened");
	bad = jobj(c, "unsupported");
	tp = json_object_object_get(c, "tracepoint");
	for (size_t i = 0; ok && i < json_object_array_length(ok); i++)
		w[0] = max_int(w[0], (int)strlen(json_object_get_string(
			json_object_array_get_idx(ok, i))));
	w[0] = key_width(bad, w[0]);
	heading(2, w, (const char *const[]){ "perf counter", "state" });
	for (size_t i = 0; ok && i < json_object_array_length(ok); i++)
		ROW2(w, json_object_get_string(json_object_array_get_idx(ok, i)), "opened");
	if (bad) {
		json_object_object_foreach(bad, name, err) {
			snprintf(buf, sizeof(buf), "unsupported (%s)",
				 err ? json_object_get_string(err) : "?");
			ROW2(w, name, buf);
		}
	}
	/* The slow-path entry count of iouring and futex rests on this one. */
	if (!tp)
		tp = json_object_object_get(root, "fallback_tracepoint");
	if (jbool(tp, "available")) {
		snprintf(buf, sizeof(buf), "yes");
		if (jint(tp, "id", &id))
			snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf),
				 ": id %" PRId64 "%s%s", id, jstr(tp, "tracefs") ? " in " : "",
				 jstr(tp, "tracefs") ? : "");
	} else {
		snprintf(buf, sizeof(buf), "no: %s", jstr(tp, "reason") ? : "unavailable");
	}
	ROW2(w, "mmap_lock tracepoint", buf);
}

/* The module's fallback-probe self-test, when the module reports one. */
static void print_selftest(const int *w, json_object *st)
{
	const char *status = jstr(st, "status"), *why = jstr(st, "reason");
	char buf[REASON_MAX + 128];
	int64_t calls, pages;

	if (!st)
		return;
	snprintf(buf, sizeof(buf), "%s", !status ? "?" : !strcmp(status, "not-run") ?
		 "not run" : status);
	if (why)
		snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf), ": %s", why);
	if (jint(st, "calls", &calls) && jint(st, "pages", &pages))
		snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf),
			 " (%" PRId64 " calls, %" PRId64 " pages)", calls, pages);
	ROW2(w, "  self-test", buf);
}

static void print_kmod(json_object *root)
{
	json_object *k = json_object_object_get(root, "kmod"), *fb, *probes, *lim;
	const int w[2] = { 16, 0 };
	char buf[REASON_MAX * 2 + 64], label[64], tmp[32];
	int64_t a, b, c, d;

	heading(2, w, (const char *const[]){ "module", jstr(k, "device") ? : GUPBENCH_DEVICE });
	if (!jbool(k, "loaded")) {
		snprintf(buf, sizeof(buf), "no: %s", jstr(k, "reason") ? : "unknown");
		ROW2(w, "loaded", buf);
		if (jstr(k, "hint"))
			ROW2(w, "to use it", jstr(k, "hint"));
		fb = json_object_object_get(k, "module_support");
		if (fb && jstr(fb, "reason")) {
			snprintf(buf, sizeof(buf), "%s: %s",
				 !json_object_object_get(fb, "available") ? "unknown" :
				 jbool(fb, "available") ? "yes" : "no", jstr(fb, "reason"));
			ROW2(w, "module support", buf);
		}
		return;
	}
	snprintf(buf, sizeof(buf), "yes: version %s", jstr(k, "module_version") ? : "?");
	if (jint(k, "uapi_version", &a))
		snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf), ", interface v%" PRId64, a);
	if (jint(k, "page_size", &a))
		snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf), ", %" PRId64 "-byte pages",
			 a);
	ROW2(w, "loaded", buf);

	fb = json_object_object_get(k, "fallback_probe");
	if (fb) {
		snprintf(buf, sizeof(buf), "%s", jbool(fb, "available") ? "yes: counts fallback "
			 "calls and pages" : "no: ");
		if (!jbool(fb, "available"))
			snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf), "%s",
				 jstr(fb, "reason") ? : jstr(fb, "status") ? : "unknown");
		ROW2(w, "fallback probe", buf);
		probes = jarr(fb, "probes");
		for (size_t i = 0; probes && i < json_object_array_length(probes); i++) {
			json_object *p = json_object_array_get_idx(probes, i);

			snprintf(buf, sizeof(buf), "%s: ", jstr(p, "symbol") ? : "?");
			/* "armed" in the JSON means registered: in the text only while counting */
			if (jbool(p, "armed"))
				append(buf, sizeof(buf), "%s", "registered");
			else
				snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf),
					 "not registered (%s)", jstr(p, "error") ? : "?");
			if (jint(p, "arg", &a))
				snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf),
					 ", page count from argument %" PRId64, a);
			ROW2(w, "  probe", buf);
		}
		if (jbool(fb, "always_armed"))
			ROW2(w, "  armed", "always, from load to unload (switching it per "
			     "request is not safe on this kernel): timed requests are flagged");
		else if (jint(fb, "armed_now", &a))
			ROW2(w, "  armed", a ? "now (a counting request is running)" :
			     "only during counting requests (not now)");
		print_selftest(w, json_object_object_get(fb, "selftest"));
	}
	lim = json_object_object_get(k, "limits");
	if (lim && jint(lim, "length", &a) && jint(lim, "pages_per_call", &b) &&
	    jint(lim, "iterations", &c) && jint(lim, "samples", &d)) {
		snprintf(label, sizeof(label), "%" PRId64 "kB", a / 1024);
		snprintf(buf, sizeof(buf), "%s per request, %" PRId64 " pages per call, %"
			 PRId64 " iterations, %" PRId64 " samples",
			 a % 1024 ? "?" : size_words(label, tmp, sizeof(tmp)), b, c, d);
		if (jint(k, "max_concurrent", &a))
			snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf),
				 ", %" PRId64 " concurrent requests", a);
		ROW2(w, "limits", buf);
	}
}

static void list_print(json_object *root)
{
	print_system(root);
	print_drivers(root);
	print_backings(root);
	print_states(root);
	print_thp(root);
	print_hugetlb(root);
	print_counters(root);
	print_kmod(root);
}

/* list_print() writes to stdout, which is all the dispatcher passes. */
static void list_table(FILE *f, const void *doc)
{
	(void)f;
	list_print((json_object *)doc);
}

static void list_json(FILE *f, const void *doc)
{
	fprintf(f, "%s\n", json_object_to_json_string_ext((json_object *)doc,
							   JSON_C_TO_STRING_PRETTY));
}

static const cli_view list_views[CLI_NR_FORMATS] = {
	[CLI_TABLE] = list_table,
	[CLI_JSON] = list_json,
};

int cmd_list(int argc, char **argv)
{
	struct run_opts o = { .file_dir = ".", .size = 4 << 20, .cpu = -1, .mem_node = -1 };
	enum { O_FILE_DIR = 256, O_FROM };
	static const struct option longopts[] = {
		{ "file-dir", required_argument, NULL, O_FILE_DIR },
		{ "from", required_argument, NULL, O_FROM },
		CLI_OPTION_FORMAT,
		CLI_OPTION_HELP,
		{ NULL, 0, NULL, 0 },
	};
	struct cli cli = { .cmd = "list", .help = LIST_USAGE, .shortopts = "f:h",
			   .longopts = longopts, .formats = cli_formats_of(list_views) };
	const char *from = NULL;
	json_object *root;
	int opt;

	while ((opt = cli_next(&cli, argc, argv)) != CLI_END) {
		if (opt == CLI_STOP)
			return cli.status;
		if (opt == O_FILE_DIR)
			o.file_dir = optarg;
		else if (opt == O_FROM)
			from = optarg;
	}
	if (cli_no_more_operands(&cli, argc, argv, 0))
		return CLI_USAGE_STATUS;
	if (from) {
		/* A list saved elsewhere (e.g. in the QEMU test bed): render, probe nothing. */
		char err[REASON_MAX];

		if (access(from, R_OK)) {
			fprintf(stderr, "gupbench list: %s: %s\n", from, strerror(errno));
			return 1;
		}
		root = json_object_from_file(from);
		if (!root || !json_object_is_type(root, json_type_object)) {
			/* json-c's message ends in a newline: one line on stderr */
			snprintf(err, sizeof(err), "%s (%s)", root ? "not a gupbench list" :
				 "not valid JSON", root ? "not an object" :
				 json_util_get_last_err() ? : "json-c");
			err[strcspn(err, "\n")] = '\0';
			fprintf(stderr, "gupbench list: %s: %s\n", from, err);
			json_object_put(root);
			return 1;
		}
	} else {
		root = list_collect(&o);
	}
	cli_print(list_views, cli.format, stdout, root);
	json_object_put(root);
	settings_restore();
	return fflush(stdout) ? 1 : 0;
}
