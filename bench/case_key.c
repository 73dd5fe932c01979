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

/* A file that does not say ran the default: the same case as one that does. */
static const char *or_default(const char *s, const char *def)
{
	return s ? s : def;
}

const char *case_share(const struct result_case *c)
{
	return or_default(c->share, "private");
}

const char *case_place(const struct result_case *c)
{
	return or_default(c->place, "none");
}

const char *case_mem(const struct result_case *c)
{
	return or_default(c->mem, "none");
}

const char *case_contend(const struct result_case *c)
{
	return or_default(c->contend, "none");
}

void case_key(const struct result_case *c, char *buf, size_t n)
{
	snprintf(buf, n, "%s|%s|%s|%s|%u|%" PRIu64 "|%" PRIu64 "|%d|%s|%s|%s|%s",
		 c->driver ? c->driver : "", c->backing ? c->backing : "",
		 c->state ? c->state : "", c->op ? c->op : "", c->flags,
		 c->pages_per_call, c->size_bytes, c->threads, case_share(c), case_place(c),
		 case_mem(c), case_contend(c));
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
	if ((parts & CASE_TEAM) && strcmp(case_share(c), "private"))
		add_word(buf, n, case_share(c));
	if ((parts & CASE_TEAM) && strcmp(case_place(c), "none")) {
		snprintf(w, sizeof(w), "cpu:%s", case_place(c));
		add_word(buf, n, w);
	}
	if ((parts & CASE_TEAM) && strcmp(case_mem(c), "none")) {
		snprintf(w, sizeof(w), "mem:%s", case_mem(c));
		add_word(buf, n, w);
	}
	if ((parts & CASE_TEAM) && strcmp(case_contend(c), "none")) {
		snprintf(w, sizeof(w), "contend:%s", case_contend(c));
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
		if (strcmp(case_share(a), case_share(b)) || strcmp(case_place(a), case_place(b)) ||
		    strcmp(case_mem(a), case_mem(b)) || strcmp(case_contend(a), case_contend(b)))
			parts |= CASE_TEAM;
	}
	return parts;
}
