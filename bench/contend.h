/* SPDX-License-Identifier: GPL-2.0 */
/* TEMPORARY: replaced by the contend branch */
#ifndef CONTEND_H
#define CONTEND_H
#include <stddef.h>
#include <stdint.h>
enum contend_kind { CONTEND_NONE, CONTEND_MMAP, CONTEND_MPROTECT, CONTEND_FAULT };
const char *contend_name(enum contend_kind k);
int contend_find(const char *name);
struct contender;
struct contender *contend_start(enum contend_kind k, int nthreads, const int *cpus, char *why, size_t n);
void contend_pause(struct contender *c);
void contend_resume(struct contender *c);
struct contend_stats { uint64_t ops; double seconds; double ops_per_s; };
void contend_read(struct contender *c, struct contend_stats *out);
void contend_stop(struct contender *c, struct contend_stats *out);
#endif
