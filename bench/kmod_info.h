/* SPDX-License-Identifier: GPL-2.0 */
/* What the gupbench module (/dev/gupbench) offers, for `gupbench list` and the kmod driver. */
#ifndef KMOD_INFO_H
#define KMOD_INFO_H

#include <json-c/json.h>

/*
 * Describe the module behind dev:
 *   {"loaded": true, "device": "/dev/gupbench", "reason": null,
 *    "module_version": "0.2.0", "uapi_version": 2, "page_size": 4096,
 *    "fallback_probe": {"available": true, "status": "counted", "reason": null,
 *                       "probes": [{"symbol": "__gup_longterm_locked", "arg": 3,
 *                                   "armed": true, "error": null}],
 *                       "armed_now": 0, "arm_count": 2,
 *                       "selftest": {"status": "ok", "calls": 1, "pages": 1,
 *                                    "reason": null, "pins": 2}},
 *    "max_concurrent": 64, "limits": {...}}
 * A probe's "armed" means registered: it is in the kernel text only while a
 * counting request runs ("armed_now" of them now, "arm_count" times so far).
 * "available" is true when counting requests count: probes registered and
 * the self-test passed (or not yet run). selftest.status is one of "ok",
 * "blind", "implausible", "failed", "not-run", "unavailable"; calls and
 * pages are null unless the probe was tested; reason is null when "ok".
 * Returns 0 when the module answered; -1 otherwise, with *out still set to
 * {"loaded": false, "device": ..., "reason": "module not loaded (...: ENOENT)"}
 * (or NULL if out of memory).
 */
int kmod_describe(const char *dev, json_object **out);

/* The kernel GUP entry point of a kmod op ("pin_fast" -> "pin_user_pages_fast"), NULL if unknown. */
const char *kmod_op_gup_path(const char *op);

/* Why fallback counting is unavailable, for a GUPBENCH_FB_* status ("counted" for 0). */
const char *kmod_fallback_reason(unsigned int status);

#endif
