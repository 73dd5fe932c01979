// SPDX-License-Identifier: GPL-2.0
/* What a result needs to be reproduced and compared: kernel, CPU, topology, mm settings. */
#include <ctype.h>
#include <dirent.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/utsname.h>
#include <hwloc.h>
#ifdef __GLIBC__
#include <gnu/libc-version.h>
#endif
#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#endif
#include "gupbench.h"
#include "util.h"
#include "kmod.h"
#include "result.h"
#include "sysinfo.h"

#define LINE_MAX_LEN 4096

/*
 * Config items that change what GUP does or what it costs. A trailing '*'
 * takes every symbol with that prefix (the preempt model is spread over
 * several). CC_VERSION_TEXT and HZ help tell two builds of one release apart.
 */
static const char *const config_items[] = {
	"CONFIG_TRANSPARENT_HUGEPAGE",
	"CONFIG_HUGETLBFS",
	"CONFIG_NUMA",
	"CONFIG_PREEMPT*",
	"CONFIG_IO_URING",
	"CONFIG_FUTEX",
	"CONFIG_SECRETMEM",
	"CONFIG_KPROBES",
	"CONFIG_MODULES",
	"CONFIG_DEBUG_VM",
	"CONFIG_KASAN",
	"CONFIG_LOCKDEP",
	"CONFIG_PROVE_LOCKING",
	"CONFIG_GUP_TEST",
	"CONFIG_PAGE_TABLE_CHECK",
	"CONFIG_PERF_EVENTS",
	"CONFIG_HZ",
	"CONFIG_CC_VERSION_TEXT",
	NULL,
};

static char *dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

static void add_file_str(struct attrs *a, const char *key, const char *path)
{
	char buf[LINE_MAX_LEN];

	attrs_set_str(a, key, read_file_str(path, buf, sizeof(buf)) ? NULL : buf);
}

static char *file_str(const char *path)
{
	char buf[LINE_MAX_LEN];

	return read_file_str(path, buf, sizeof(buf)) ? NULL : strdup(buf);
}

static void add_file_long(struct attrs *a, const char *key, const char *path)
{
	long v;

	if (read_file_long(path, &v))
		attrs_set_null(a, key);
	else
		attrs_set_int(a, key, v);
}

static char *trim(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

/*
 * From a sysfs choice file: the selected word into *word (a typed field) or
 * as key, and the whole line as key_line.
 */
static void add_choice(struct attrs *a, const char *key, const char *path, char **word)
{
	char line[LINE_MAX_LEN], sel[64], lkey[128];
	const char *w = NULL;

	snprintf(lkey, sizeof(lkey), "%s_line", key);
	if (read_file_str(path, line, sizeof(line)) == 0) {
		if (!selected_word(line, '[', ']', sel, sizeof(sel)))
			w = sel;
	} else {
		line[0] = '\0';
	}
	if (word)
		*word = dup_or_null(w);
	else
		attrs_set_str(a, key, w);
	attrs_set_str(a, lkey, line[0] ? line : NULL);
}

/* ---- kernel config ---- */

static int config_wanted(const char *sym)
{
	for (int i = 0; config_items[i]; i++) {
		size_t len = strlen(config_items[i]);

		if (config_items[i][len - 1] == '*') {
			if (!strncmp(sym, config_items[i], len - 1))
				return 1;
		} else if (!strcmp(sym, config_items[i])) {
			return 1;
		}
	}
	return 0;
}

/* Parses "CONFIG_X=v" and "# CONFIG_X is not set" lines; returns items seen. */
static int config_parse(FILE *f, struct attrs *cfg)
{
	char line[LINE_MAX_LEN];
	int seen = 0;

	while (fgets(line, sizeof(line), f)) {
		char *s = trim(line), *eq, *val;

		if (!strncmp(s, "# CONFIG_", 9) && strstr(s, " is not set")) {
			*strstr(s, " is not set") = '\0';
			s += 2;
			if (config_wanted(s)) {
				attrs_set_str(cfg, s, "n");
				seen++;
			}
			continue;
		}
		if (strncmp(s, "CONFIG_", 7) || !(eq = strchr(s, '=')))
			continue;
		*eq = '\0';
		val = eq + 1;
		if (!config_wanted(s))
			continue;
		if (*val == '"' && strlen(val) >= 2 && val[strlen(val) - 1] == '"') {
			val[strlen(val) - 1] = '\0';
			val++;
		}
		attrs_set_str(cfg, s, val);
		seen++;
	}
	return seen;
}

/*
 * The running kernel's own config (/proc/config.gz) is the truth; a file in
 * /boot may belong to an earlier build of the same release. gzip avoids
 * linking zlib for one read.
 */
static void config_collect(const char *release, struct env *e)
{
	struct attrs cfg = { 0 };
	char path[512], why[REASON_MAX] = "";
	FILE *f;

	if (access("/proc/config.gz", R_OK) == 0) {
		f = popen("exec gzip -cd /proc/config.gz 2>/dev/null", "r");
		if (f) {
			int seen = config_parse(f, &cfg);
			int st = pclose(f);

			if (seen > 0 && st == 0) {
				e->config_source = strdup("/proc/config.gz");
				goto out;
			}
		}
		set_reason(why, sizeof(why), "gzip -cd /proc/config.gz failed; ");
		attrs_free(&cfg);
	}
	{
		const char *fmts[] = { "/boot/config-%s", "/lib/modules/%s/build/.config" };

		for (size_t i = 0; i < sizeof(fmts) / sizeof(fmts[0]); i++) {
			snprintf(path, sizeof(path), fmts[i], release);
			f = fopen(path, "re");
			if (!f)
				continue;
			config_parse(f, &cfg);
			fclose(f);
			e->config_source = strdup(path);
			goto out;
		}
	}
	e->config_source = strdup("unavailable");
	{
		char r[REASON_MAX + 128];

		snprintf(r, sizeof(r), "%sno /proc/config.gz (CONFIG_IKCONFIG_PROC), /boot/config-%s"
			 " or /lib/modules/%s/build/.config", why, release, release);
		e->config_reason = strdup(r);
	}
	return;
out:
	/* The items in table order, whatever the file's order. */
	for (int i = 0; config_items[i]; i++) {
		size_t len = strlen(config_items[i]);
		const struct attr *v;

		if (config_items[i][len - 1] != '*') {
			/* A symbol this kernel does not know is null: "n" and "absent" stay apart. */
			v = attrs_get(&cfg, config_items[i]);
			attrs_set_str(&e->config, config_items[i], v ? v->s : NULL);
			continue;
		}
		for (size_t k = 0; k < cfg.n; k++)
			if (!strncmp(cfg.v[k].key, config_items[i], len - 1))
				attrs_set_str(&e->config, cfg.v[k].key, cfg.v[k].s);
	}
	attrs_free(&cfg);
}

/* ---- CPU ---- */

struct cpuinfo {
	char model[256], vendor[64], family[16], model_nr[16], stepping[16], microcode[32];
	char arm_impl[16], arm_part[16], arm_var[16], arm_rev[16];
	int hypervisor_flag;
};

/* Only the first processor block: enough, and cheap on machines with many CPUs. */
static void cpuinfo_read(struct cpuinfo *ci)
{
	static const struct {
		const char *key;
		size_t off, len;
	} keys[] = {
#define K(k, f) { k, offsetof(struct cpuinfo, f), sizeof(((struct cpuinfo *)0)->f) }
		K("model name", model), K("vendor_id", vendor), K("cpu family", family),
		K("model", model_nr), K("stepping", stepping), K("microcode", microcode),
		K("CPU implementer", arm_impl), K("CPU part", arm_part),
		K("CPU variant", arm_var), K("CPU revision", arm_rev),
#undef K
	};
	char line[LINE_MAX_LEN];
	FILE *f;

	memset(ci, 0, sizeof(*ci));
	f = fopen("/proc/cpuinfo", "re");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		char *colon = strchr(line, ':'), *k, *v;

		if (!colon) {
			if (ci->model[0] || ci->arm_part[0])
				break;	/* end of the first block */
			continue;
		}
		*colon = '\0';
		k = trim(line);
		v = trim(colon + 1);
		if (!strcmp(k, "flags")) {
			ci->hypervisor_flag = strstr(v, " hypervisor") || !strncmp(v, "hypervisor", 10);
			continue;
		}
		for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
			if (!strcmp(k, keys[i].key) && !((char *)ci + keys[i].off)[0])
				snprintf((char *)ci + keys[i].off, keys[i].len, "%s", v);
	}
	fclose(f);
}

/* hwloc's counts and nodes; -1 if it cannot load the topology. */
static int topology_collect(struct env *e)
{
	hwloc_topology_t topo;
	hwloc_obj_t obj = NULL;
	int i = 0;

	if (hwloc_topology_init(&topo))
		return -1;
	/* Counts and node memory only: skip I/O and cache discovery work. */
	hwloc_topology_set_io_types_filter(topo, HWLOC_TYPE_FILTER_KEEP_NONE);
	hwloc_topology_set_cache_types_filter(topo, HWLOC_TYPE_FILTER_KEEP_NONE);
	hwloc_topology_set_icache_types_filter(topo, HWLOC_TYPE_FILTER_KEEP_NONE);
	if (hwloc_topology_load(topo)) {
		hwloc_topology_destroy(topo);
		return -1;
	}
	attrs_set_int(&e->extra, "cpu.packages", hwloc_get_nbobjs_by_type(topo, HWLOC_OBJ_PACKAGE));
	attrs_set_int(&e->extra, "cpu.cores", hwloc_get_nbobjs_by_type(topo, HWLOC_OBJ_CORE));
	attrs_set_int(&e->extra, "cpu.pus", hwloc_get_nbobjs_by_type(topo, HWLOC_OBJ_PU));
	e->numa_nodes = hwloc_get_nbobjs_by_type(topo, HWLOC_OBJ_NUMANODE);
	attrs_set_array(&e->extra, "cpu.nodes");
	while ((obj = hwloc_get_next_obj_by_type(topo, HWLOC_OBJ_NUMANODE, obj))) {
		char *cpus = NULL, key[64];

		snprintf(key, sizeof(key), "cpu.nodes[%d].node", i);
		attrs_set_int(&e->extra, key, (int)obj->os_index);
		snprintf(key, sizeof(key), "cpu.nodes[%d].memory_bytes", i);
		attrs_set_int(&e->extra, key, (int64_t)obj->attr->numanode.local_memory);
		if (obj->cpuset && hwloc_bitmap_list_asprintf(&cpus, obj->cpuset) >= 0) {
			snprintf(key, sizeof(key), "cpu.nodes[%d].cpus", i);
			attrs_set_str(&e->extra, key, cpus);
			free(cpus);
		}
		i++;
	}
	hwloc_topology_destroy(topo);
	return 0;
}

static void vulnerabilities_collect(struct attrs *a)
{
	const char *dir = "/sys/devices/system/cpu/vulnerabilities";
	struct dirent **ents;
	int n = scandir(dir, &ents, NULL, alphasort);

	attrs_set_object(a, "cpu.vulnerabilities");
	for (int i = 0; i < n; i++) {
		char path[512], key[320];

		if (ents[i]->d_name[0] != '.') {
			snprintf(path, sizeof(path), "%s/%s", dir, ents[i]->d_name);
			snprintf(key, sizeof(key), "cpu.vulnerabilities.%s", ents[i]->d_name);
			add_file_str(a, key, path);
		}
		free(ents[i]);
	}
	if (n >= 0)
		free(ents);
}

static void cpu_collect(const struct cpuinfo *ci, struct env *e)
{
	char model[320];

	if (ci->model[0])
		snprintf(model, sizeof(model), "%s", ci->model);
	else if (ci->arm_part[0])
		snprintf(model, sizeof(model), "implementer %s part %s variant %s revision %s",
			 ci->arm_impl, ci->arm_part, ci->arm_var, ci->arm_rev);
	else
		snprintf(model, sizeof(model), "unknown");
	e->cpu_model = strdup(model);
	attrs_set_str(&e->extra, "cpu.vendor", ci->vendor[0] ? ci->vendor : NULL);
	if (ci->family[0]) {
		char fms[64];

		snprintf(fms, sizeof(fms), "%s/%s/%s", ci->family, ci->model_nr, ci->stepping);
		attrs_set_str(&e->extra, "cpu.family_model_stepping", fms);
	}
	attrs_set_str(&e->extra, "cpu.microcode", ci->microcode[0] ? ci->microcode : NULL);
	e->cpus = (int)sysconf(_SC_NPROCESSORS_ONLN);
	if (topology_collect(e)) {
		attrs_set_str(&e->extra, "cpu.topology", "unavailable");
		attrs_set_str(&e->extra, "cpu.topology_reason", "hwloc could not load the topology");
	}
	add_file_str(&e->extra, "cpu.smt", "/sys/devices/system/cpu/smt/control");
	add_file_str(&e->extra, "cpu.cpufreq_governor",
		     "/sys/devices/system/cpu/cpu0/cpufreq/scaling_governor");
	vulnerabilities_collect(&e->extra);
}

/* ---- memory, THP, hugetlb ---- */

static void meminfo_collect(struct attrs *a)
{
	char line[256], key[64];
	long long v;
	FILE *f = fopen("/proc/meminfo", "re");

	attrs_set_object(a, "memory");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%63[^:]: %lld", key, &v) != 2)
			continue;
		if (!strcmp(key, "MemTotal"))
			attrs_set_int(a, "memory.total_kb", v);
		else if (!strcmp(key, "MemAvailable"))
			attrs_set_int(a, "memory.available_kb", v);
		else if (!strcmp(key, "Hugepagesize"))
			attrs_set_int(a, "memory.default_hugepage_kb", v);
	}
	fclose(f);
}

/* Entries "hugepages-<N>kB" of dir, sorted by N. Returns count; *out to free. */
static int size_dirs(const char *dir, long **out)
{
	struct dirent **ents;
	long *kb;
	int n = scandir(dir, &ents, NULL, NULL), m = 0;

	*out = NULL;
	if (n < 0)
		return 0;
	kb = calloc(n ? n : 1, sizeof(*kb));
	for (int i = 0; i < n; i++) {
		long v;

		if (kb && sscanf(ents[i]->d_name, "hugepages-%ldkB", &v) == 1)
			kb[m++] = v;
		free(ents[i]);
	}
	free(ents);
	/* Few entries: insertion sort. */
	for (int i = 1; i < m; i++)
		for (int j = i; j > 0 && kb[j - 1] > kb[j]; j--) {
			long t = kb[j];

			kb[j] = kb[j - 1];
			kb[j - 1] = t;
		}
	*out = kb;
	return m;
}

static void thp_collect(struct env *e)
{
	const char *base = "/sys/kernel/mm/transparent_hugepage";
	char path[512], key[64];
	long *kb;
	int n;

	snprintf(path, sizeof(path), "%s/enabled", base);
	add_choice(&e->extra, "thp.enabled", path, &e->thp_enabled);
	snprintf(path, sizeof(path), "%s/defrag", base);
	add_choice(&e->extra, "thp.defrag", path, &e->thp_defrag);
	snprintf(path, sizeof(path), "%s/shmem_enabled", base);
	add_choice(&e->extra, "thp.shmem_enabled", path, &e->thp_shmem_enabled);
	snprintf(path, sizeof(path), "%s/hpage_pmd_size", base);
	add_file_long(&e->extra, "thp.hpage_pmd_size", path);
	snprintf(path, sizeof(path), "%s/use_zero_page", base);
	add_file_long(&e->extra, "thp.use_zero_page", path);

	/* Per-size (mTHP, 6.8+) controls decide which anon/shmem folios appear. */
	n = size_dirs(base, &kb);
	attrs_set_object(&e->extra, "thp.sizes");
	for (int i = 0; i < n; i++) {
		/* Some sizes exist for shmem only (e.g. 8kB): record only the files there. */
		snprintf(key, sizeof(key), "thp.sizes.%ldkB", kb[i]);
		attrs_set_object(&e->extra, key);
		snprintf(path, sizeof(path), "%s/hugepages-%ldkB/enabled", base, kb[i]);
		snprintf(key, sizeof(key), "thp.sizes.%ldkB.enabled", kb[i]);
		if (access(path, R_OK) == 0)
			add_choice(&e->extra, key, path, NULL);
		snprintf(path, sizeof(path), "%s/hugepages-%ldkB/shmem_enabled", base, kb[i]);
		snprintf(key, sizeof(key), "thp.sizes.%ldkB.shmem_enabled", kb[i]);
		if (access(path, R_OK) == 0)
			add_choice(&e->extra, key, path, NULL);
	}
	free(kb);
}

static void hugetlb_collect(struct env *e)
{
	const char *base = "/sys/kernel/mm/hugepages";
	const char *fields[] = { "nr_hugepages", "free_hugepages", "resv_hugepages",
				 "surplus_hugepages" };
	char path[512];
	long *kb;
	int n = size_dirs(base, &kb);

	e->hugetlb = calloc(n ? n : 1, sizeof(*e->hugetlb));
	for (int i = 0; e->hugetlb && i < n; i++) {
		struct hugetlb_pool *p = &e->hugetlb[e->nr_hugetlb++];
		long *out[] = { &p->nr, &p->free, &p->resv, &p->surplus };

		p->size_kb = kb[i];
		for (size_t j = 0; j < sizeof(fields) / sizeof(fields[0]); j++) {
			snprintf(path, sizeof(path), "%s/hugepages-%ldkB/%s", base, kb[i], fields[j]);
			if (read_file_long(path, out[j]))
				*out[j] = -1;
		}
	}
	free(kb);
}

/* ---- filesystems ---- */

/*
 * Filesystem type of path, from the mountinfo line whose device matches
 * st_dev (cheaper and exact, unlike walking mount points by prefix).
 */
static int fs_type_of(const char *path, char *type, size_t n)
{
	char line[LINE_MAX_LEN];
	struct stat st;
	FILE *f;
	int ret = -1;

	if (stat(path, &st) || !(f = fopen("/proc/self/mountinfo", "re")))
		return -1;
	while (fgets(line, sizeof(line), f)) {
		unsigned int maj, min;
		char *sep = strstr(line, " - "), fstype[64];

		if (!sep || sscanf(line, "%*s %*s %u:%u", &maj, &min) != 2 ||
		    makedev(maj, min) != st.st_dev || sscanf(sep + 3, "%63s", fstype) != 1)
			continue;
		snprintf(type, n, "%s", fstype);
		ret = 0;
	}
	fclose(f);
	return ret;
}

/* Where file-backed backings are likely made: the current directory and /tmp. */
static void fs_collect(struct attrs *a)
{
	char cwd[4096], type[64], key[32];
	const char *paths[2] = { getcwd(cwd, sizeof(cwd)) ? cwd : NULL, "/tmp" };
	const char *keys[2] = { "cwd", "tmp" };

	/* Fixed keys, so two results compare key by key whatever the directory. */
	for (int i = 0; i < 2; i++) {
		snprintf(key, sizeof(key), "fs.%s.path", keys[i]);
		attrs_set_str(a, key, paths[i]);
		snprintf(key, sizeof(key), "fs.%s.type", keys[i]);
		attrs_set_str(a, key, paths[i] && !fs_type_of(paths[i], type, sizeof(type)) ?
			      type : NULL);
	}
}

/* ---- accelerator ---- */

static char accel[96];
static char accel_source[16];
static char hv_vendor[16];
static char dmi_vendor[128], dmi_product[128];

static int dmi_is_emulator(void)
{
	return !strncmp(dmi_vendor, "QEMU", 4) || !strncmp(dmi_vendor, "Bochs", 5) ||
	       strstr(dmi_product, "QEMU") || !strncmp(dmi_product, "Bochs", 5);
}

static void accel_detect(void)
{
	/*
	 * The VM test bed tells its guests what ran them; on a host the same
	 * variable is a user's choice for vm-run, not a fact about this machine.
	 */
	const char *vm = getenv("GUPBENCH_VM");
	const char *env = vm && !strcmp(vm, "1") ? getenv("GUPBENCH_ACCEL") : NULL;
	int hv_bit = -1;	/* -1: no way to know on this arch */
	char buf[128];

	if (accel[0])
		return;
	if (read_file_str("/sys/class/dmi/id/sys_vendor", dmi_vendor, sizeof(dmi_vendor)))
		dmi_vendor[0] = '\0';
	if (read_file_str("/sys/class/dmi/id/product_name", dmi_product, sizeof(dmi_product)))
		dmi_product[0] = '\0';
#if defined(__x86_64__) || defined(__i386__)
	{
		unsigned int a, b, c, d;

		if (__get_cpuid(1, &a, &b, &c, &d))
			hv_bit = !!(c & (1u << 31));
		if (hv_bit == 1) {
			__cpuid(0x40000000, a, b, c, d);
			memcpy(hv_vendor, &b, 4);
			memcpy(hv_vendor + 4, &c, 4);
			memcpy(hv_vendor + 8, &d, 4);
			hv_vendor[12] = '\0';
		}
	}
#endif
	/* The VM test bed knows what it started; trust it over any guess. */
	if (env && *env) {
		/* one vocabulary for every result: QEMU's TCG is "emulated" */
		snprintf(accel, sizeof(accel), "%s", strcmp(env, "tcg") ? env : "emulated");
		snprintf(accel_source, sizeof(accel_source), "env");
		return;
	}
	snprintf(accel_source, sizeof(accel_source), hv_bit >= 0 ? "cpuid" : "sysfs");
	if (hv_bit == 1) {
		static const struct { const char *sig, *name; } sigs[] = {
			{ "KVMKVMKVM", "kvm" },
			{ "TCGTCGTCGTCG", "emulated" },
			{ "Microsoft Hv", "hypervisor:hyperv" },
			{ "VMwareVMware", "hypervisor:vmware" },
			{ "XenVMMXenVMM", "hypervisor:xen" },
			{ "VBoxVBoxVBox", "hypervisor:virtualbox" },
			{ "bhyve bhyve ", "hypervisor:bhyve" },
			{ " lrpepyh  vr", "hypervisor:parallels" },
			{ "ACRNACRNACRN", "hypervisor:acrn" },
		};
		char clean[16];
		size_t j = 0;

		for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
			if (!strcmp(hv_vendor, sigs[i].sig)) {
				snprintf(accel, sizeof(accel), "%s", sigs[i].name);
				return;
			}
		for (size_t i = 0; hv_vendor[i]; i++)
			if (isalnum((unsigned char)hv_vendor[i]))
				clean[j++] = tolower((unsigned char)hv_vendor[i]);
		clean[j] = '\0';
		snprintf(accel, sizeof(accel), "hypervisor:%s", j ? clean : "unknown");
		return;
	}
	if (read_file_str("/sys/hypervisor/type", buf, sizeof(buf)) == 0 && buf[0]) {
		snprintf(accel, sizeof(accel), "hypervisor:%.64s", buf);
		snprintf(accel_source, sizeof(accel_source), "sysfs");
		return;
	}
	if (dmi_is_emulator()) {
		snprintf(accel_source, sizeof(accel_source), "dmi");
		/*
		 * On x86 QEMU with KVM sets the CPUID hypervisor bit and TCG
		 * does not; elsewhere QEMU is visible but its accelerator is not.
		 */
		snprintf(accel, sizeof(accel), "%s", hv_bit == 0 ? "emulated" : "hypervisor:qemu");
		return;
	}
	/* No hypervisor bit but no DMI either: could be a minimal TCG machine. */
	if (hv_bit == 0 && dmi_vendor[0])
		snprintf(accel, sizeof(accel), "bare-metal");
	else
		snprintf(accel, sizeof(accel), "unknown");
}

const char *sysinfo_accelerator(void)
{
	accel_detect();
	return accel;
}

/* ---- everything ---- */

static const char *compiler(void)
{
#if defined(__clang__)
	return __VERSION__;
#elif defined(__GNUC__)
	return "gcc " __VERSION__;
#else
	return "unknown";
#endif
}

/* The loaded gupbench module's version, NULL without one. */
static char *module_version(void)
{
	char why[REASON_MAX];
	struct kmod k;

	if (kmod_open(&k, NULL, why, sizeof(why)))
		return NULL;
	kmod_close(&k);
	return strdup(k.info.module_version);
}

void sysinfo_collect(struct env *e)
{
	struct cpuinfo ci;
	struct utsname u;
	char buf[LINE_MAX_LEN], word[64];
	const char *env;

	memset(e, 0, sizeof(*e));
	e->cpus = e->numa_nodes = -1;
	if (uname(&u))
		memset(&u, 0, sizeof(u));

	e->kernel_release = strdup(u.release);
	e->kernel_version = strdup(u.version);
	e->kernel_machine = strdup(u.machine);
	env = getenv("GUPBENCH_KERNEL_PKG");
	e->kernel_package = dup_or_null(env && *env ? env : NULL);
	e->kernel_cmdline = file_str("/proc/cmdline");
	/* PREEMPT_DYNAMIC kernels pick the model at boot: the config alone does not say. */
	if (read_file_str("/sys/kernel/debug/sched/preempt", buf, sizeof(buf)) == 0 &&
	    selected_word(buf, '(', ')', word, sizeof(word)) == 0)
		e->kernel_preempt = strdup(word);
	config_collect(u.release, e);

	cpuinfo_read(&ci);
	cpu_collect(&ci, e);
	meminfo_collect(&e->extra);
	thp_collect(e);
	hugetlb_collect(e);

	add_file_long(&e->extra, "sysctl.io_uring_disabled", "/proc/sys/kernel/io_uring_disabled");
	add_file_long(&e->extra, "sysctl.perf_event_paranoid",
		      "/proc/sys/kernel/perf_event_paranoid");
	add_file_long(&e->extra, "sysctl.numa_balancing", "/proc/sys/kernel/numa_balancing");

	e->accelerator = strdup(sysinfo_accelerator());
	attrs_set_str(&e->extra, "accelerator_detail.source", accel_source);
	attrs_set_bool(&e->extra, "accelerator_detail.cpuinfo_hypervisor_flag",
		       ci.hypervisor_flag);
	attrs_set_str(&e->extra, "accelerator_detail.cpuid_vendor",
		      hv_vendor[0] ? hv_vendor : NULL);
	attrs_set_str(&e->extra, "accelerator_detail.dmi_sys_vendor",
		      dmi_vendor[0] ? dmi_vendor : NULL);
	attrs_set_str(&e->extra, "accelerator_detail.dmi_product_name",
		      dmi_product[0] ? dmi_product : NULL);
	env = getenv("GUPBENCH_ICOUNT");
	e->icount = dup_or_null(env && *env ? env : NULL);
	e->module_version = module_version();
	clock_info_collect(&e->clock);
	/* who loaded it and how: make bench says (scripts/bench.sh) */
	env = getenv("GUPBENCH_MODULE_LOAD");
	attrs_set_str(&e->extra, "module_load", env && *env ? env : NULL);

	fs_collect(&e->extra);
	e->hostname = strdup(u.nodename);
#ifdef __GLIBC__
	snprintf(buf, sizeof(buf), "glibc %s", gnu_get_libc_version());
	attrs_set_str(&e->extra, "libc", buf);
#else
	attrs_set_str(&e->extra, "libc", "unknown");
#endif
	attrs_set_str(&e->extra, "compiler", compiler());
}
