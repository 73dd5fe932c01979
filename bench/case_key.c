// SPDX-License-Identifier: GPL-2.0
/* The identity of a case across runs, and its label (case_key.h). */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include "gupbench.h"
#include "case_key.h"

void case_flags_short(unsigned int flags, char *buf, size_t n)
{
	snprintf(buf, n, "%s%s%s", flags & PIN_FLAG_WRITE ? "W" : "",
		 (flags & PIN_FLAG_WRITE) && (flags & PIN_FLAG_LONGTERM) ? "|" : "",
		 flags & PIN_FLAG_LONGTERM ? "LT" : "");
	if (!flags)
		snprintf(buf, n, "-");
}

void case_key(const struct result_case *c, char *buf, size_t n)
{
	snprintf(buf, n, "%s|%s|%s|%s|%u|%" PRIu64 "|%" PRIu64 "|%d",
		 c->driver ? c->driver : "", c->backing ? c->backing : "",
		 c->state ? c->state : "", c->op ? c->op : "", c->flags,
		 c->pages_per_call, c->size_bytes, c->threads);
}

static void size_text(uint64_t bytes, char *buf, size_t n)
{
	if (bytes && !(bytes % (1ull << 30)))
		snprintf(buf, n, "%" PRIu64 "G", bytes >> 30);
	else if (bytes && !(bytes % (1ull << 20)))
		snprintf(buf, n, "%" PRIu64 "M", bytes >> 20);
	else
		snprintf(buf, n, "%" PRIu64 "K", bytes >> 10);
}

/* Append " word" (no space first) to buf. */
static void add_word(char *buf, size_t n, const char *word)
{
	size_t used = strlen(buf);

	if (used < n)
		snprintf(buf + used, n - used, "%s%s", used ? " " : "", word);
}

void case_label(const struct result_case *c, unsigned int parts, char *buf, size_t n)
{
	char w[64];

	buf[0] = '\0';
	if (parts & CASE_DRIVER)
		add_word(buf, n, c->driver ? c->driver : "?");
	if (parts & CASE_BACKING)
		add_word(buf, n, c->backing ? c->backing : "?");
	if (parts & CASE_STATE)
		add_word(buf, n, c->state ? c->state : "?");
	/* the op axis and what goes with it are the module's: the others have fixed ones */
	if (c->op && (parts & CASE_OP))
		add_word(buf, n, c->op);
	if (c->op && (parts & CASE_FLAGS)) {
		case_flags_short(c->flags, w, sizeof(w));
		add_word(buf, n, w);
	}
	if (c->op && (parts & CASE_PPC) && c->pages_per_call && c->pages_per_call != c->pages) {
		snprintf(w, sizeof(w), "%" PRIu64 "p", c->pages_per_call);
		add_word(buf, n, w);
	}
	if (parts & CASE_SIZE) {
		size_text(c->size_bytes, w, sizeof(w));
		add_word(buf, n, w);
	}
	if ((parts & CASE_THREADS) && c->threads > 1) {
		snprintf(w, sizeof(w), "x%d", c->threads);
		add_word(buf, n, w);
	}
	if (!buf[0])
		snprintf(buf, n, "-");
}

unsigned int case_parts_differing(const struct result_case *const *cs, size_t n)
{
	unsigned int parts = 0;

	for (size_t i = 1; i < n; i++) {
		const struct result_case *a = cs[0], *b = cs[i];

		if (strcmp(a->driver ? a->driver : "", b->driver ? b->driver : ""))
			parts |= CASE_DRIVER;
		if (strcmp(a->backing ? a->backing : "", b->backing ? b->backing : ""))
			parts |= CASE_BACKING;
		if (strcmp(a->state ? a->state : "", b->state ? b->state : ""))
			parts |= CASE_STATE;
		if (strcmp(a->op ? a->op : "", b->op ? b->op : ""))
			parts |= CASE_OP;
		if (a->flags != b->flags)
			parts |= CASE_FLAGS;
		if (a->pages_per_call != b->pages_per_call)
			parts |= CASE_PPC;
		if (a->size_bytes != b->size_bytes)
			parts |= CASE_SIZE;
		if (a->threads != b->threads)
			parts |= CASE_THREADS;
	}
	return parts;
}
