/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Buffer states (--state): what a buffer looks like when it is pinned, how
 * it is brought there, and whether it stays so after an op. A new state is
 * an entry in state.c's table; tests/expectations.tsv says what the kernel
 * does with it, by version.
 */
#ifndef STATE_H
#define STATE_H

#include <stdbool.h>
#include <stddef.h>
#include "gupbench.h"

/* NULL when unknown. */
const char *state_desc(enum buf_state s);
/* The state named name, or -1. */
int state_find(const char *name);
/* Every state's name, for messages: "warm, cold, ... or writeback". */
const char *state_names(void);
/*
 * 0 if this machine can bring buffers into state s (for some backing), else
 * -1 with the reason in why: ksm needs KSM and root. Which backings a state
 * applies to is told per case (skipped, with the reason).
 */
int state_probe(enum buf_state s, char *why, size_t n);
/*
 * Whether a buffer in state s is still in s after a pin and unpin: warm, ro
 * and dirty buffers are reused across ops, every other state gets a fresh
 * buffer (a pin faults cold pages in, unshares forked and KSM pages,
 * replaces the zero page, dirties clean page cache).
 */
bool state_survives_op(enum buf_state s);
/*
 * A new buffer of the backing in state s: created (bound to node when
 * node >= 0), brought into the state and checked. 0, or -1 with the reason
 * in why and nothing left mapped.
 */
int state_buffer_make(const struct backing_ops *ops, enum buf_state s, const struct run_opts *o,
		      int node, struct buffer *b, char *why, size_t n);
/* Undo what the state holds (a child, a merge) and destroy the buffer. */
void state_buffer_free(const struct backing_ops *ops, enum buf_state s, struct buffer *b);
/* Bytes of b that the state prefaulted, for the case's warm_bytes. */
size_t state_warm_bytes(enum buf_state s, const struct buffer *b);

/*
 * --- for state_*.c: bring a buffer just created into the state and check
 * it, recording what was seen under "state." in b->actual. 0, or -1 with the
 * reason in why (the caller frees the buffer with state_buffer_free()).
 */
int state_forked_make(enum buf_state s, const struct backing_ops *ops, struct buffer *b,
		      char *why, size_t n);
/* Kill and reap the child of a forked buffer, if any. */
void state_forked_release(struct buffer *b);
int state_ksm_probe(char *why, size_t n);
int state_ksm_make(enum buf_state s, const struct backing_ops *ops, struct buffer *b,
		   char *why, size_t n);
/* dirty, clean and writeback */
int state_file_make(enum buf_state s, const struct backing_ops *ops, struct buffer *b,
		    char *why, size_t n);
/* Pages of a buffer the census samples to check a state. */
#define STATE_CENSUS_PAGES 4096

/* The mapping behind b->addr, as /proc/self/maps shows it. */
struct vma_desc {
	char perms[5];			/* "rw-p" */
	bool shared;			/* 's': MAP_SHARED */
	bool anon;			/* no file behind it */
	char path[256];			/* "" for anon */
};
int state_vma(const struct buffer *b, struct vma_desc *v, char *why, size_t n);
/* "private anonymous", "shared file /path", ...: what a refusal names. */
const char *state_vma_words(const struct vma_desc *v, char *buf, size_t n);

#endif
