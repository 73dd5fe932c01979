// SPDX-License-Identifier: GPL-2.0
/*
 * The gupbench module as userspace sees it (kmod.h): where the device is,
 * the interface check every open makes, the op table, the request layout,
 * and what INFO says in words (gupbench list's "kmod" JSON).
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include "gupbench.h"
#include "util.h"
#include "kmod.h"

/* This build's structs are the sizes the module expects for interface v2. */
_Static_assert(sizeof(struct gupbench_req) == GUPBENCH_REQ_SIZE_VER0, "uapi layout");
_Static_assert(sizeof(struct gupbench_info) == GUPBENCH_INFO_SIZE_VER0, "uapi layout");
_Static_assert(sizeof(struct gupbench_sample) == 48, "uapi layout");

const char *kmod_device(const char *dev)
{
	if (dev)
		return dev;
	/* GUPBENCH_DEV: a device node elsewhere (no devtmpfs, a test bed) */
	if (getenv("GUPBENCH_DEV"))
		return getenv("GUPBENCH_DEV");
	return GUPBENCH_DEVICE;
}

int kmod_open(struct kmod *k, const char *dev, char *why, size_t n)
{
	memset(k, 0, sizeof(*k));
	k->dev = kmod_device(dev);
	k->fd = open(k->dev, O_RDWR | O_CLOEXEC);
	if (k->fd < 0) {
		if (errno == ENOENT)
			set_reason(why, n, "module not loaded (%s: ENOENT)", k->dev);
		else
			set_reason(why, n, "%s: %s%s", k->dev, errno_name(errno),
				   errno == EACCES || errno == EPERM ? " (needs root)" : "");
		return -1;
	}
	if (ioctl(k->fd, GUPBENCH_IOC_INFO, &k->info) < 0) {
		/* An interface-v1 module knows no such command. */
		set_reason(why, n, "%s: GUPBENCH_IOC_INFO: %s (%s)", k->dev, errno_name(errno),
			   errno == ENOTTY ? "an older gupbench module? rebuild and reload kmod/" :
			   "not the gupbench module?");
		goto fail;
	}
	if (k->info.version != GUPBENCH_UAPI_VERSION) {
		set_reason(why, n, "module interface v%u, gupbench expects v%u (rebuild kmod/)",
			   k->info.version, GUPBENCH_UAPI_VERSION);
		goto fail;
	}
	/* A module that filled in less than we read would leave fields we trust at 0. */
	if (k->info.size < GUPBENCH_INFO_SIZE_VER0) {
		set_reason(why, n, "module INFO is %u bytes, gupbench reads %u (rebuild kmod/)",
			   k->info.size, GUPBENCH_INFO_SIZE_VER0);
		goto fail;
	}
	k->info.module_version[sizeof(k->info.module_version) - 1] = '\0';
	return 0;
fail:
	kmod_close(k);
	return -1;
}

void kmod_close(struct kmod *k)
{
	if (k->fd >= 0)
		close(k->fd);
	k->fd = -1;
}

static const struct kmod_op kmod_ops[] = {
	{ "pin_fast", GUPBENCH_OP_PIN_FAST, "pin_user_pages_fast" },
	{ "get_fast", GUPBENCH_OP_GET_FAST, "get_user_pages_fast" },
	{ "pin", GUPBENCH_OP_PIN, "pin_user_pages" },
};

#define NR_KMOD_OPS (sizeof(kmod_ops) / sizeof(kmod_ops[0]))

/* The names of kmod_ops[], in its order: a driver_ops.ops list must be a constant. */
const char *const kmod_op_names[] = { "pin_fast", "get_fast", "pin", NULL };

_Static_assert(sizeof(kmod_op_names) / sizeof(kmod_op_names[0]) == NR_KMOD_OPS + 1,
	       "kmod_op_names[] lists kmod_ops[]");

const struct kmod_op *kmod_op_by_name(const char *name)
{
	for (size_t i = 0; name && i < NR_KMOD_OPS; i++)
		if (!strcmp(kmod_ops[i].name, name))
			return &kmod_ops[i];
	return NULL;
}

const struct kmod_op *kmod_op_by_code(uint32_t op)
{
	for (size_t i = 0; i < NR_KMOD_OPS; i++)
		if (kmod_ops[i].op == op)
			return &kmod_ops[i];
	return NULL;
}

const char *kmod_op_gup_path(const char *op)
{
	const struct kmod_op *k = kmod_op_by_name(op);

	return k ? k->gup : NULL;
}

uint32_t kmod_flags(unsigned int pin_flags)
{
	return (pin_flags & PIN_FLAG_WRITE ? GUPBENCH_F_WRITE : 0) |
	       (pin_flags & PIN_FLAG_LONGTERM ? GUPBENCH_F_LONGTERM : 0);
}

void kmod_req(struct gupbench_req *req, const struct kmod_req_spec *s)
{
	/* reserved fields and res must be zero, or the module refuses (EINVAL) */
	memset(req, 0, sizeof(*req));
	req->size = sizeof(*req);
	req->op = s->op;
	req->flags = kmod_flags(s->flags);
	req->options = s->options;
	req->addr = (uintptr_t)s->addr;
	req->length = s->length;
	req->pages_per_call = s->pages_per_call;
	req->iterations = s->iterations ? s->iterations : 1;
	req->samples = s->samples ? (uintptr_t)s->samples : 0;
	req->samples_cap = s->samples ? s->samples_cap : 0;
}

int kmod_run(const struct kmod *k, struct gupbench_req *req)
{
	return ioctl(k->fd, GUPBENCH_IOC_RUN, req);
}

const char *kmod_fallback_reason(unsigned int status)
{
	switch (status) {
	case GUPBENCH_FB_COUNTED:	return "counted";
	case GUPBENCH_FB_DISABLED:	return "disabled (module parameter fallback_probe=0)";
	case GUPBENCH_FB_NO_KPROBES:	return "kernel built without CONFIG_KPROBES";
	case GUPBENCH_FB_ARCH:		return "no kprobe argument reader for this architecture";
	case GUPBENCH_FB_KERNEL:	return "no slow-path symbol known for this kernel version";
	case GUPBENCH_FB_NO_SYMBOL:	return "slow-path symbol absent (inlined, renamed or cloned)";
	case GUPBENCH_FB_REGISTER:	return "register_kprobe failed";
	case GUPBENCH_FB_BUSY:		return "too many concurrent requests";
	case GUPBENCH_FB_IMPLAUSIBLE:	return "the probe read an implausible page count";
	case GUPBENCH_FB_NOT_TRUSTED:	return "the probe's self-test did not pass: not trusted";
	case GUPBENCH_FB_NOT_ASKED:	return "not asked for (timing request)";
	default:			return "unknown reason";
	}
}

void kmod_selftest_reason(const struct gupbench_info *info, char *why, size_t n)
{
	const char *pin = info->selftest_flags & GUPBENCH_F_LONGTERM ? "WRITE|LONGTERM" : "WRITE";

	*why = '\0';
	switch (info->selftest_status) {
	case GUPBENCH_ST_OK:
		break;
	case GUPBENCH_ST_NOT_RUN:
		set_reason(why, n, "runs at the first counting request");
		break;
	case GUPBENCH_ST_BLIND:
		set_reason(why, n, "a %s pin of an untouched page reached the slow path "
			   "but the probe never fired (call site inlined?)", pin);
		break;
	case GUPBENCH_ST_IMPLAUSIBLE:
		set_reason(why, n, "a %s pin of one untouched page was seen %" PRIu64
			   " times for %" PRIu64 " pages (expected 1 and 1)", pin,
			   (uint64_t)info->selftest_calls, (uint64_t)info->selftest_pages);
		break;
	case GUPBENCH_ST_FAILED:
		set_reason(why, n, "the %s test pin could not be made: %s", pin,
			   errno_name((int)info->selftest_error) ? : "unknown error");
		break;
	case GUPBENCH_ST_UNAVAILABLE:
		set_reason(why, n, "no probe to test: %s",
			   kmod_fallback_reason(info->fallback_status));
		break;
	default:
		set_reason(why, n, "unknown self-test status %u", info->selftest_status);
		break;
	}
}

static const char *const selftest_names[] = {
	[GUPBENCH_ST_NOT_RUN] = "not-run",
	[GUPBENCH_ST_OK] = "ok",
	[GUPBENCH_ST_BLIND] = "blind",
	[GUPBENCH_ST_IMPLAUSIBLE] = "implausible",
	[GUPBENCH_ST_FAILED] = "failed",
	[GUPBENCH_ST_UNAVAILABLE] = "unavailable",
};

/* fallback_probe.selftest: {"status", "calls", "pages", "reason", "pins"} (names fixed). */
static json_object *selftest_json(const struct gupbench_info *info)
{
	json_object *j = json_object_new_object();
	uint32_t st = info->selftest_status;
	bool figures = st == GUPBENCH_ST_OK || st == GUPBENCH_ST_BLIND ||
		       st == GUPBENCH_ST_IMPLAUSIBLE;
	char why[REASON_MAX];

	kmod_selftest_reason(info, why, sizeof(why));
	json_object_object_add(j, "status", json_object_new_string(
		st < sizeof(selftest_names) / sizeof(selftest_names[0]) ? selftest_names[st] :
		"failed"));
	json_object_object_add(j, "calls", figures ?
		json_object_new_int64(info->selftest_calls) : NULL);
	json_object_object_add(j, "pages", figures ?
		json_object_new_int64(info->selftest_pages) : NULL);
	json_object_object_add(j, "reason", *why ? json_object_new_string(why) : NULL);
	json_object_object_add(j, "pins", json_object_new_int(info->selftest_pins));
	return j;
}

/* fallback_probe: whether counting requests count, each probe, the self-test. */
static json_object *fallback_json(struct gupbench_info *info)
{
	json_object *fb = json_object_new_object(), *probes = json_object_new_array();
	bool counted = info->fallback_status == GUPBENCH_FB_COUNTED;

	/* available: counting requests count (probes registered, self-test passed) */
	json_object_object_add(fb, "available", json_object_new_boolean(counted));
	json_object_object_add(fb, "status", json_object_new_string(
		kmod_fallback_reason(info->fallback_status)));
	json_object_object_add(fb, "reason", counted ? NULL :
			       json_object_new_string(kmod_fallback_reason(info->fallback_status)));
	for (uint32_t i = 0; i < info->nr_probes && i < GUPBENCH_MAX_PROBES; i++) {
		json_object *pj = json_object_new_object();

		info->probes[i].symbol[GUPBENCH_SYMBOL_LEN - 1] = '\0';
		json_object_object_add(pj, "symbol",
				       json_object_new_string(info->probes[i].symbol));
		json_object_object_add(pj, "arg", json_object_new_int(info->probes[i].arg));
		/* registered; armed only during counting requests (see "armed_now") */
		json_object_object_add(pj, "armed",
				       json_object_new_boolean(info->probes[i].status == 0));
		json_object_object_add(pj, "error", info->probes[i].status ?
			json_object_new_string(errno_name(-info->probes[i].status)) : NULL);
		json_object_array_add(probes, pj);
	}
	json_object_object_add(fb, "probes", probes);
	json_object_object_add(fb, "armed_now", json_object_new_int(info->armed));
	json_object_object_add(fb, "always_armed",
			       json_object_new_boolean(info->flags & GUPBENCH_IF_ALWAYS_ARMED));
	json_object_object_add(fb, "arm_count", json_object_new_int64(info->arm_count));
	json_object_object_add(fb, "selftest", selftest_json(info));
	return fb;
}

int kmod_describe(const char *dev, json_object **out)
{
	json_object *j = json_object_new_object(), *lim;
	char why[REASON_MAX] = "";
	struct kmod k;
	int ret;

	*out = j;
	if (!j)
		return -1;
	ret = kmod_open(&k, dev, why, sizeof(why));
	json_object_object_add(j, "device", json_object_new_string(k.dev));
	if (ret) {
		json_object_object_add(j, "loaded", json_object_new_boolean(false));
		json_object_object_add(j, "reason", json_object_new_string(why));
		return -1;
	}
	kmod_close(&k);
	json_object_object_add(j, "loaded", json_object_new_boolean(true));
	json_object_object_add(j, "reason", NULL);
	json_object_object_add(j, "module_version",
			       json_object_new_string(k.info.module_version));
	json_object_object_add(j, "uapi_version", json_object_new_int(k.info.version));
	json_object_object_add(j, "page_size", json_object_new_int(k.info.page_size));
	json_object_object_add(j, "fallback_probe", fallback_json(&k.info));
	json_object_object_add(j, "max_concurrent", json_object_new_int(k.info.max_concurrent));

	lim = json_object_new_object();
	json_object_object_add(lim, "length", json_object_new_int64(k.info.max_length));
	json_object_object_add(lim, "pages_per_call",
			       json_object_new_int64(k.info.max_pages_per_call));
	json_object_object_add(lim, "iterations", json_object_new_int64(k.info.max_iterations));
	json_object_object_add(lim, "samples", json_object_new_int64(k.info.max_samples));
	json_object_object_add(j, "limits", lim);
	return 0;
}
