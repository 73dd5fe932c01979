// TEMPORARY: replaced by the contend branch
#include <string.h>
#include "contend.h"
const char *contend_name(enum contend_kind k) { return k ? "?" : "none"; }
int contend_find(const char *name) { return strcmp(name, "none") ? -1 : 0; }
struct contender *contend_start(enum contend_kind k, int nthreads, const int *cpus, char *why, size_t n) { (void)k; (void)nthreads; (void)cpus; (void)why; (void)n; return NULL; }
void contend_stop(struct contender *c, struct contend_stats *out) { (void)c; memset(out, 0, sizeof(*out)); }
