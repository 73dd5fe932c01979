/* SPDX-License-Identifier: GPL-2.0 */
/* Making, warming, checking and freeing a backing's buffer, plus helpers the backings share. */
#ifndef BUFFER_H
#define BUFFER_H

#include <stddef.h>
#include "gupbench.h"

/*
 * Zero b (fd = -1), then ops->create. With node >= 0 the creation runs under
 * an MPOL_BIND thread policy for node (page cache written at create and
 * hugetlb reservations follow it) and the range is mbind()ed to node before
 * anything touches it. With node MEM_NODE_INTERLEAVE (place.h) the same is done
 * with MPOL_INTERLEAVE over all the nodes this process may use, recorded as
 * "interleave_nodes" ("0,1"). 0, or -1 with the reason in why and nothing mapped.
 */
int buffer_create(const struct backing_ops *ops, struct buffer *b, size_t len,
		  const struct run_opts *o, int node, char *why, size_t n);
/* Warm-up: write one byte into every 4 KiB page so each is faulted writable. */
void buffer_touch(struct buffer *b);
/* Read one byte of every page: map it without writing (clean page cache, zero page). */
void buffer_touch_read(struct buffer *b);
/*
 * After buffer_touch(): ops->verify (if any), then record where the pages sit
 * in b->actual "placement"; if the buffer was bound to a node, fail when a
 * sampled page is elsewhere (an interleaved one is not checked: "placement"
 * shows its split). 0, or -1 with the reason.
 */
int buffer_verify(const struct backing_ops *ops, struct buffer *b, char *why, size_t n);
/* ops->destroy, free b->actual, leave b empty (fd = -1). */
void buffer_destroy(const struct backing_ops *ops, struct buffer *b);

/* --- for the backings --- */

/* A run never maps more than this: 25% of RAM. */
size_t buffer_mem_cap(void);
/* len > 0, within the cap and (unit > 0) a multiple of unit; else -1 with why. */
int buffer_check_len(size_t len, size_t unit, char *why, size_t n);
/* mmap len bytes at an address aligned to align (over-map, then trim). */
void *map_aligned(size_t len, size_t align, int prot, int flags, int fd);
/* munmap, close, unlink b->path: what every destroy() does. */
void buffer_unmap(struct buffer *b);
/*
 * Sum, in bytes, of an smaps field ("AnonHugePages", ...) over the VMAs that
 * overlap [addr, addr + len), or -1. A VMA merged with a neighbour counts whole.
 */
long long smaps_bytes(const void *addr, size_t len, const char *field);
/* PMD size from /sys/kernel/mm/transparent_hugepage/hpage_pmd_size; 0 without THP. */
size_t thp_pmd_size(void);
/* An smaps field in bytes, clamped to the buffer, recorded as "thp_bytes"; -1 if unreadable. */
long long buffer_thp_bytes(struct buffer *b, const char *field);
/* 0 if the whole buffer (in PMD units) is THP by that smaps field, else -1 with why. */
int buffer_verify_thp(struct buffer *b, const char *field, char *why, size_t n);

#endif
