/* SPDX-License-Identifier: GPL-2.0 */
/* What the gupbench module (/dev/gupbench) offers, for `gupbench list` and the kmod driver. */
#ifndef KMOD_INFO_H
#define KMOD_INFO_H

#include <json-c/json.h>

/*
 * Describe the module behind dev:
 *   {"loaded": true, "device": "/dev/gupbench", "reason": null,
 *    "module_version": "0.1.0", "uapi_version": 1, "page_size": 4096,
 *    "fallback_probe": {"available": true, "status": "counted", "reason": null,
 *                       "probes": [{"symbol": "__gup_longterm_locked", "arg": 3,
 *                                   "armed": true, "error": null}]},
 *    "max_concurrent": 64, "limits": {...}}
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
