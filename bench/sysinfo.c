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

static void add_str(json_object *o, const char *key, const char *val)
{
	json_object_object_add(o, key, val ? json_object_new_string(val) : NULL);
}

static void add_file_str(json_object *o, const char *key, const char *path)
{
	char buf[LINE_MAX_LEN];

	add_str(o, key, read_file_str(path, buf, sizeof(buf)) ? NULL : buf);
}

static void add_file_long(json_object *o, const char *key, const char *path)
{
	long v;

	json_object_object_add(o, key, read_file_long(path, &v) ? NULL : json_object_new_int64(v));
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

/* Adds key (selected word) and key_line (the whole line) from a sysfs choice file. */
static void add_choice(json_object *o, const char *key, const char *path)
{
	char line[LINE_MAX_LEN], word[64], lkey[64];

	snprintf(lkey, sizeof(lkey), "%s_line", key);
	if (read_file_str(path, line, sizeof(line))) {
		add_str(o, key, NULL);
		add_str(o, lkey, NULL);
		return;
	}
	add_str(o, key, selected_word(line, '[', ']', word, sizeof(word)) ? NULL : word);
	add_str(o, lkey, line);
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
static int config_parse(FILE *f, json_object *cfg)
{
	char line[LINE_MAX_LEN];
	int seen = 0;

	while (fgets(line, sizeof(line), f)) {
		char *s = trim(line), *eq, *val;

		if (!strncmp(s, "# CONFIG_", 9) && strstr(s, " is not set")) {
			*strstr(s, " is not set") = '\0';
			s += 2;
			if (config_wanted(s)) {
				add_str(cfg, s, "n");
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
		add_str(cfg, s, val);
		seen++;
	}
	return seen;
}

/*
 * The running kernel's own config (/proc/config.gz) is the truth; a file in
 * /boot may belong to an earlier build of the same release. gzip avoids
 * linking zlib for one read.
 */
static json_object *config_collect(const char *release)
{
	json_object *cfg = json_object_new_object(), *out;
	char path[512], why[REASON_MAX] = "";
	FILE *f;

	if (access("/proc/config.gz", R_OK) == 0) {
		f = popen("exec gzip -cd /proc/config.gz 2>/dev/null", "r");
		if (f) {
			int seen = config_parse(f, cfg);
			int st = pclose(f);

			if (seen > 0 && st == 0) {
				add_str(cfg, "source", "/proc/config.gz");
				goto out;
			}
		}
		set_reason(why, sizeof(why), "gzip -cd /proc/config.gz failed; ");
		json_object_put(cfg);
		cfg = json_object_new_object();
	}
	{
		const char *fmts[] = { "/boot/config-%s", "/lib/modules/%s/build/.config" };

		for (size_t i = 0; i < sizeof(fmts) / sizeof(fmts[0]); i++) {
			snprintf(path, sizeof(path), fmts[i], release);
			f = fopen(path, "re");
			if (!f)
				continue;
			config_parse(f, cfg);
			fclose(f);
			add_str(cfg, "source", path);
			goto out;
		}
	}
	add_str(cfg, "source", "unavailable");
	{
		char r[REASON_MAX + 128];

		snprintf(r, sizeof(r), "%sno /proc/config.gz (CONFIG_IKCONFIG_PROC), /boot/config-%s"
			 " or /lib/modules/%s/build/.config", why, release, release);
		add_str(cfg, "reason", r);
	}
	return cfg;
out:
	/* Source first, then the items in table order, whatever the file's order. */
	out = json_object_new_object();
	json_object_object_add(out, "source", json_object_get(json_object_object_get(cfg, "source")));
	for (int i = 0; config_items[i]; i++) {
		size_t len = strlen(config_items[i]);
		json_object *v;

		if (config_items[i][len - 1] != '*') {
			/* A symbol this kernel does not know is null: "n" and "absent" stay apart. */
			v = json_object_object_get(cfg, config_items[i]);
			json_object_object_add(out, config_items[i], json_object_get(v));
			continue;
		}
		json_object_object_foreach(cfg, key, val)
			if (!strncmp(key, config_items[i], len - 1))
				json_object_object_add(out, key, json_object_get(val));
	}
	json_object_put(cfg);
	return out;
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

static json_object *topology_collect(json_object *cpu)
{
	hwloc_topology_t topo;
	json_object *nodes;
	hwloc_obj_t obj = NULL;

	if (hwloc_topology_init(&topo))
		return NULL;
	/* Counts and node memory only: skip I/O and cache discovery work. */
	hwloc_topology_set_io_types_filter(topo, HWLOC_TYPE_FILTER_KEEP_NONE);
	hwloc_topology_set_cache_types_filter(topo, HWLOC_TYPE_FILTER_KEEP_NONE);
	hwloc_topology_set_icache_types_filter(topo, HWLOC_TYPE_FILTER_KEEP_NONE);
	if (hwloc_topology_load(topo)) {
		hwloc_topology_destroy(topo);
		return NULL;
	}
	json_object_object_add(cpu, "packages",
		json_object_new_int(hwloc_get_nbobjs_by_type(topo, HWLOC_OBJ_PACKAGE)));
	json_object_object_add(cpu, "cores",
		json_object_new_int(hwloc_get_nbobjs_by_type(topo, HWLOC_OBJ_CORE)));
	json_object_object_add(cpu, "pus",
		json_object_new_int(hwloc_get_nbobjs_by_type(topo, HWLOC_OBJ_PU)));
	json_object_object_add(cpu, "numa_nodes",
		json_object_new_int(hwloc_get_nbobjs_by_type(topo, HWLOC_OBJ_NUMANODE)));
	nodes = json_object_new_array();
	while ((obj = hwloc_get_next_obj_by_type(topo, HWLOC_OBJ_NUMANODE, obj))) {
		json_object *n = json_object_new_object();
		char *cpus = NULL;

		json_object_object_add(n, "node", json_object_new_int((int)obj->os_index));
		json_object_object_add(n, "memory_bytes",
				       json_object_new_int64((int64_t)obj->attr->numanode.local_memory));
		if (obj->cpuset && hwloc_bitmap_list_asprintf(&cpus, obj->cpuset) >= 0) {
			add_str(n, "cpus", cpus);
			free(cpus);
		}
		json_object_array_add(nodes, n);
	}
	hwloc_topology_destroy(topo);
	return nodes;
}

static json_object *vulnerabilities_collect(void)
{
	json_object *o = json_object_new_object();
	const char *dir = "/sys/devices/system/cpu/vulnerabilities";
	struct dirent **ents;
	int n = scandir(dir, &ents, NULL, alphasort);

	for (int i = 0; i < n; i++) {
		char path[512];

		if (ents[i]->d_name[0] != '.') {
			snprintf(path, sizeof(path), "%s/%s", dir, ents[i]->d_name);
			add_file_str(o, ents[i]->d_name, path);
		}
		free(ents[i]);
	}
	if (n >= 0)
		free(ents);
	return o;
}

static json_object *cpu_collect(const struct cpuinfo *ci)
{
	json_object *cpu = json_object_new_object(), *nodes;
	char model[320];

	if (ci->model[0])
		snprintf(model, sizeof(model), "%s", ci->model);
	else if (ci->arm_part[0])
		snprintf(model, sizeof(model), "implementer %s part %s variant %s revision %s",
			 ci->arm_impl, ci->arm_part, ci->arm_var, ci->arm_rev);
	else
		snprintf(model, sizeof(model), "unknown");
	add_str(cpu, "model", model);
	add_str(cpu, "vendor", ci->vendor[0] ? ci->vendor : NULL);
	if (ci->family[0]) {
		char fms[64];

		snprintf(fms, sizeof(fms), "%s/%s/%s", ci->family, ci->model_nr, ci->stepping);
		add_str(cpu, "family_model_stepping", fms);
	}
	add_str(cpu, "microcode", ci->microcode[0] ? ci->microcode : NULL);
	json_object_object_add(cpu, "cpus",
			       json_object_new_int((int)sysconf(_SC_NPROCESSORS_ONLN)));
	nodes = topology_collect(cpu);
	if (nodes) {
		json_object_object_add(cpu, "nodes", nodes);
	} else {
		add_str(cpu, "topology", "unavailable");
		add_str(cpu, "topology_reason", "hwloc could not load the topology");
	}
	add_file_str(cpu, "smt", "/sys/devices/system/cpu/smt/control");
	add_file_str(cpu, "cpufreq_governor",
		     "/sys/devices/system/cpu/cpu0/cpufreq/scaling_governor");
	json_object_object_add(cpu, "vulnerabilities", vulnerabilities_collect());
	return cpu;
}

/* ---- memory, THP, hugetlb ---- */

static json_object *meminfo_collect(void)
{
	json_object *o = json_object_new_object();
	char line[256], key[64];
	long long v;
	FILE *f = fopen("/proc/meminfo", "re");

	if (!f)
		return o;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%63[^:]: %lld", key, &v) != 2)
			continue;
		if (!strcmp(key, "MemTotal"))
			json_object_object_add(o, "total_kb", json_object_new_int64(v));
		else if (!strcmp(key, "MemAvailable"))
			json_object_object_add(o, "available_kb", json_object_new_int64(v));
		else if (!strcmp(key, "Hugepagesize"))
			json_object_object_add(o, "default_hugepage_kb", json_object_new_int64(v));
	}
	fclose(f);
	return o;
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

static json_object *thp_collect(void)
{
	const char *base = "/sys/kernel/mm/transparent_hugepage";
	json_object *o = json_object_new_object(), *sizes;
	char path[512];
	long *kb;
	int n;

	snprintf(path, sizeof(path), "%s/enabled", base);
	add_choice(o, "enabled", path);
	snprintf(path, sizeof(path), "%s/defrag", base);
	add_choice(o, "defrag", path);
	snprintf(path, sizeof(path), "%s/shmem_enabled", base);
	add_choice(o, "shmem_enabled", path);
	snprintf(path, sizeof(path), "%s/hpage_pmd_size", base);
	add_file_long(o, "hpage_pmd_size", path);
	snprintf(path, sizeof(path), "%s/use_zero_page", base);
	add_file_long(o, "use_zero_page", path);

	/* Per-size (mTHP, 6.8+) controls decide which anon/shmem folios appear. */
	n = size_dirs(base, &kb);
	sizes = json_object_new_object();
	for (int i = 0; i < n; i++) {
		json_object *s = json_object_new_object();
		char key[32];

		/* Some sizes exist for shmem only (e.g. 8kB): record only the files there. */
		snprintf(path, sizeof(path), "%s/hugepages-%ldkB/enabled", base, kb[i]);
		if (access(path, R_OK) == 0)
			add_choice(s, "enabled", path);
		snprintf(path, sizeof(path), "%s/hugepages-%ldkB/shmem_enabled", base, kb[i]);
		if (access(path, R_OK) == 0)
			add_choice(s, "shmem_enabled", path);
		snprintf(key, sizeof(key), "%ldkB", kb[i]);
		json_object_object_add(sizes, key, s);
	}
	free(kb);
	json_object_object_add(o, "sizes", sizes);
	return o;
}

static json_object *hugetlb_collect(void)
{
	static const char *const fields[][2] = {
		{ "nr", "nr_hugepages" }, { "free", "free_hugepages" },
		{ "resv", "resv_hugepages" }, { "surplus", "surplus_hugepages" },
	};
	const char *base = "/sys/kernel/mm/hugepages";
	json_object *o = json_object_new_object();
	char path[512], key[32];
	long *kb;
	int n = size_dirs(base, &kb);

	for (int i = 0; i < n; i++) {
		json_object *s = json_object_new_object();

		for (size_t j = 0; j < sizeof(fields) / sizeof(fields[0]); j++) {
			snprintf(path, sizeof(path), "%s/hugepages-%ldkB/%s", base, kb[i], fields[j][1]);
			add_file_long(s, fields[j][0], path);
		}
		snprintf(key, sizeof(key), "%ldkB", kb[i]);
		json_object_object_add(o, key, s);
	}
	free(kb);
	return o;
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
static json_object *fs_collect(void)
{
	json_object *o = json_object_new_object();
	char cwd[4096], type[64];
	const char *paths[2] = { getcwd(cwd, sizeof(cwd)) ? cwd : NULL, "/tmp" };
	const char *keys[2] = { "cwd", "tmp" };

	/* Fixed keys, so two results compare key by key whatever the directory. */
	for (int i = 0; i < 2; i++) {
		json_object *e = json_object_new_object();

		add_str(e, "path", paths[i]);
		add_str(e, "type", paths[i] && !fs_type_of(paths[i], type, sizeof(type)) ?
			type : NULL);
		json_object_object_add(o, keys[i], e);
	}
	return o;
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

json_object *sysinfo_collect(void)
{
	json_object *root = json_object_new_object(), *k, *o, *sys;
	struct cpuinfo ci;
	struct utsname u;
	char buf[LINE_MAX_LEN], word[64];
	const char *env;

	if (uname(&u))
		memset(&u, 0, sizeof(u));

	k = json_object_new_object();
	add_str(k, "release", u.release);
	add_str(k, "version", u.version);
	add_str(k, "machine", u.machine);
	env = getenv("GUPBENCH_KERNEL_PKG");
	add_str(k, "package", env && *env ? env : NULL);
	add_file_str(k, "cmdline", "/proc/cmdline");
	/* PREEMPT_DYNAMIC kernels pick the model at boot: the config alone does not say. */
	if (read_file_str("/sys/kernel/debug/sched/preempt", buf, sizeof(buf)) == 0 &&
	    selected_word(buf, '(', ')', word, sizeof(word)) == 0)
		add_str(k, "preempt", word);
	else
		add_str(k, "preempt", NULL);
	json_object_object_add(root, "kernel", k);
	json_object_object_add(root, "config", config_collect(u.release));

	cpuinfo_read(&ci);
	json_object_object_add(root, "cpu", cpu_collect(&ci));
	json_object_object_add(root, "memory", meminfo_collect());
	json_object_object_add(root, "thp", thp_collect());
	json_object_object_add(root, "hugetlb", hugetlb_collect());

	sys = json_object_new_object();
	add_file_long(sys, "io_uring_disabled", "/proc/sys/kernel/io_uring_disabled");
	add_file_long(sys, "perf_event_paranoid", "/proc/sys/kernel/perf_event_paranoid");
	add_file_long(sys, "numa_balancing", "/proc/sys/kernel/numa_balancing");
	json_object_object_add(root, "sysctl", sys);

	add_str(root, "accelerator", sysinfo_accelerator());
	o = json_object_new_object();
	add_str(o, "source", accel_source);
	json_object_object_add(o, "cpuinfo_hypervisor_flag",
			       json_object_new_boolean(ci.hypervisor_flag));
	add_str(o, "cpuid_vendor", hv_vendor[0] ? hv_vendor : NULL);
	add_str(o, "dmi_sys_vendor", dmi_vendor[0] ? dmi_vendor : NULL);
	add_str(o, "dmi_product_name", dmi_product[0] ? dmi_product : NULL);
	json_object_object_add(root, "accelerator_detail", o);
	env = getenv("GUPBENCH_ICOUNT");
	add_str(root, "icount", env && *env ? env : NULL);

	json_object_object_add(root, "fs", fs_collect());
	add_str(root, "hostname", u.nodename);
#ifdef __GLIBC__
	snprintf(buf, sizeof(buf), "glibc %s", gnu_get_libc_version());
	add_str(root, "libc", buf);
#else
	add_str(root, "libc", "unknown");
#endif
	add_str(root, "compiler", compiler());
	return root;
}
