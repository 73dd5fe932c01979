// SPDX-License-Identifier: GPL-2.0
/* gupbench list: what this machine supports, and why not. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include "gupbench.h"
#include "commands.h"
#include "counters.h"
#include "kmod_info.h"
#include "sysinfo.h"

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

static json_object *list_collect(const struct run_opts *o)
{
	json_object *root = json_object_new_object(), *dj = json_object_new_object(),
		    *bj = json_object_new_object(), *sys = sysinfo_collect(), *v, *kmod = NULL;
	struct counters *ctr;
	char why[REASON_MAX] = "";

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
	json_object_object_add(root, "thp", json_object_object_get_ex(sys, "thp", &v) ?
			       json_object_get(v) : NULL);
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
	json_object_object_add(root, "kmod", kmod);
	json_object_put(sys);
	return root;
}

static const char *avail_str(json_object *j, char *buf, size_t n)
{
	json_object *a, *r;

	json_object_object_get_ex(j, "available", &a);
	if (json_object_get_boolean(a))
		return "yes";
	json_object_object_get_ex(j, "reason", &r);
	snprintf(buf, n, "no: %s", r ? json_object_get_string(r) : "unavailable");
	return buf;
}

static void list_print(json_object *root)
{
	json_object *v, *k;
	char buf[REASON_MAX + 8];

	json_object_object_get_ex(root, "kernel", &k);
	printf("kernel      %s (%s)\n",
	       json_object_object_get_ex(k, "release", &v) ? json_object_get_string(v) : "?",
	       json_object_get_string(json_object_object_get(root, "accelerator")));
	printf("\ndrivers\n");
	json_object_object_foreach(json_object_object_get(root, "drivers"), dn, dv)
		printf("  %-14s %-40s reaches %s\n", dn, avail_str(dv, buf, sizeof(buf)),
		       json_object_get_string(json_object_object_get(dv, "gup_path")));
	printf("\nbackings\n");
	json_object_object_foreach(json_object_object_get(root, "backings"), bn, bv)
		printf("  %-14s %s\n", bn, avail_str(bv, buf, sizeof(buf)));
	printf("\nTHP         %s\n",
	       json_object_to_json_string(json_object_object_get(root, "thp")));
	printf("hugetlb     %s\n",
	       json_object_to_json_string(json_object_object_get(root, "hugetlb")));
	printf("fallback    mmap_lock tracepoint: %s\n",
	       avail_str(json_object_object_get(root, "fallback_tracepoint"), buf, sizeof(buf)));
	printf("counters    %s\n",
	       json_object_to_json_string(json_object_object_get(root, "counters")));
	printf("kmod        %s\n",
	       json_object_to_json_string(json_object_object_get(root, "kmod")));
}

int cmd_list(int argc, char **argv)
{
	struct run_opts o = { .file_dir = ".", .kmod_dev = "/dev/gupbench",
			      .size = 4 << 20, .cpu = -1, .mem_node = -1 };
	bool json = false;
	json_object *root;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--format") && i + 1 < argc) {
			i++;
			if (!strcmp(argv[i], "json")) {
				json = true;
			} else if (strcmp(argv[i], "table")) {
				fprintf(stderr, "gupbench list: unknown format '%s' (table, json)\n",
					argv[i]);
				return 2;
			}
		} else if (!strcmp(argv[i], "--file-dir") && i + 1 < argc) {
			o.file_dir = argv[++i];
		} else {
			fprintf(stderr, "gupbench list: unknown option '%s' "
				"(usage: gupbench list [--format table|json] [--file-dir DIR])\n",
				argv[i]);
			return 2;
		}
	}
	if (getenv("GUPBENCH_DEV"))
		o.kmod_dev = getenv("GUPBENCH_DEV");
	root = list_collect(&o);
	if (json)
		printf("%s\n", json_object_to_json_string_ext(root, JSON_C_TO_STRING_PRETTY));
	else
		list_print(root);
	json_object_put(root);
	settings_restore();
	return 0;
}
