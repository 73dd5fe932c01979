// SPDX-License-Identifier: GPL-2.0
/* The buffer states and how a buffer is brought into each. */
#include <string.h>
#include "gupbench.h"
#include "buffer.h"
#include "state.h"

struct state_info {
	const char *name, *desc;
	bool survives_op;
};

static const struct state_info states[NR_STATES] = {
	[STATE_WARM] = { "warm", "prefaulted by writing", true },
	[STATE_COLD] = { "cold", "mapped, untouched", false },
	[STATE_HALF] = { "half", "first half warm: GUP-fast stops in the middle", false },
	[STATE_READ] = { "read", "prefaulted by reading: mapped without write access", false },
};

const char *state_name(enum buf_state s)
{
	return s < NR_STATES ? states[s].name : "?";
}

const char *state_desc(enum buf_state s)
{
	return s < NR_STATES ? states[s].desc : NULL;
}

int state_find(const char *name)
{
	for (int s = 0; s < NR_STATES; s++)
		if (!strcmp(name, states[s].name))
			return s;
	return -1;
}

bool state_survives_op(enum buf_state s)
{
	return s < NR_STATES && states[s].survives_op;
}

size_t state_warm_bytes(enum buf_state s, const struct buffer *b)
{
	if (s == STATE_WARM)
		return b->len;
	if (s == STATE_HALF)
		return b->len / 2 / b->page_size * b->page_size;
	return 0;
}

int state_buffer_make(const struct backing_ops *ops, enum buf_state s, const struct run_opts *o,
		      int node, struct buffer *b, char *why, size_t n)
{
	struct buffer first;

	if (buffer_create(ops, b, o->size, o, node, why, n))
		return -1;
	switch (s) {
	case STATE_HALF:
		first = *b;
		first.len = state_warm_bytes(s, b);
		buffer_touch(&first);
		break;
	case STATE_READ:
		buffer_touch_read(b);
		break;
	case STATE_WARM:
		buffer_touch(b);
		if (buffer_verify(ops, b, why, n)) {
			buffer_destroy(ops, b);
			return -1;
		}
		break;
	default:
		break;
	}
	return 0;
}

void state_buffer_free(const struct backing_ops *ops, enum buf_state s, struct buffer *b)
{
	(void)s;
	buffer_destroy(ops, b);
}
