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
/*
 * Whether a buffer in state s is still in s after a pin and unpin: warm
 * buffers are reused across ops, every other state gets a fresh buffer.
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

#endif
