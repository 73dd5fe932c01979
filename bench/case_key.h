/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What makes a case of one run the same case as one of another run: driver,
 * backing, state, op, flags, pages per call, size, threads and how they
 * ran (share, place, mem, contend). compare,
 * history and plot match cases by it and label them with it.
 */
#ifndef CASE_KEY_H
#define CASE_KEY_H

#include <stddef.h>
#include "result.h"

/* A string equal for the same case of any two runs (not for display). */
void case_key(const struct result_case *c, char *buf, size_t n);

/* The parts of a label: a table whose cases share some leaves them out of each row. */
#define CASE_DRIVER	(1u << 0)
#define CASE_BACKING	(1u << 1)
#define CASE_STATE	(1u << 2)
#define CASE_OP		(1u << 3)	/* with the op: its flags */
#define CASE_FLAGS	(1u << 4)
#define CASE_PPC	(1u << 5)	/* pages per call, when not the whole buffer */
#define CASE_SIZE	(1u << 6)
#define CASE_THREADS	(1u << 7)
#define CASE_TEAM	(1u << 8)	/* share, place, mem, contend where not the default */
#define CASE_ALL	0x1ffu

/* "kmod anon warm pin_fast W|LT 1024p 64M x2", of the parts asked for; "-" for none. */
void case_label(const struct result_case *c, unsigned int parts, char *buf, size_t n);
/* The parts in which the n cases are not all alike. */
unsigned int case_parts_differing(const struct result_case *const *cs, size_t n);
/* The case's share, place, mem, contend: the default when the file does not say. */
const char *case_share(const struct result_case *c);
const char *case_place(const struct result_case *c);
const char *case_mem(const struct result_case *c);
const char *case_contend(const struct result_case *c);
/* "W|LT" for WRITE|LONGTERM, "-" for none. */
void case_flags_short(unsigned int flags, char *buf, size_t n);

#endif
