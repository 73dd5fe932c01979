/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Background contention on the process's mm while the measured threads pin:
 * threads that take mmap_lock as writers (mmap, mprotect) or fault pages.
 * A pin that falls back to the slow path takes mmap_read_lock, and waits
 * behind every writer; GUP-fast takes no lock at all.
 *
 * Each kind works on its own region, fenced by PROT_NONE guard pages so it
 * never merges with (and never changes) the measured buffer's VMA:
 *   mmap      one page mapped and unmapped (an op is the pair): two
 *             mmap_write_lock per op. The page is never touched, so the
 *             munmap frees no page and flushes no TLB: lock traffic only.
 *   mprotect  the middle page of three populated ones toggled between
 *             PROT_READ and PROT_READ|PROT_WRITE, so the VMA splits and
 *             merges (an op is one mprotect, one mmap_write_lock). Going
 *             read-only flushes the TLB on every CPU running the process.
 *   fault     MADV_DONTNEED on 1 MiB (THP off), then a write to each page
 *             (an op is one page fault). The madvise takes mmap_read_lock
 *             once a round and flushes the TLB like mprotect.
 *             Which lock a fault takes depends on the kernel: up to 6.3
 *             every user fault takes mmap_read_lock; with CONFIG_PER_VMA_LOCK
 *             (6.4 on, x86 and arm64) a fault on anonymous memory takes only
 *             its VMA's lock, and from 6.7 so does one on a file or shmem
 *             mapping whose vm_ops has ->map_pages (6.12: vmf_can_call_fault()
 *             in mm/memory.c; ext4, xfs, tmpfs, shared anon all have it).
 *             There a fault falls back to mmap_read_lock only for the first
 *             anon fault of a VMA without an anon_vma, a fault from kernel
 *             mode, vm_ops without ->map_pages, or a VMA being written under
 *             mmap_write_lock. So from 6.4 the fault kind barely touches
 *             mmap_lock: it contends on page tables, the page allocator and
 *             the TLB, not on the lock the slow path needs.
 *
 * Contender threads block the asynchronous signals (SIGINT, SIGTERM, SIGHUP
 * go to the main thread, which sets stop_requested) and run on stacks of
 * their own, unmapped at stop with everything else they mapped.
 */
#ifndef CONTEND_H
#define CONTEND_H

#include <stddef.h>
#include <stdint.h>

enum contend_kind { CONTEND_NONE, CONTEND_MMAP, CONTEND_MPROTECT, CONTEND_FAULT };

#define CONTEND_NR_KINDS 4

const char *contend_name(enum contend_kind k);	/* "none", "mmap", ...; "?" if out of range */
int contend_find(const char *name);		/* kind or -1 */
/* One line: what an op of kind k is and which lock it takes, for help and results. */
const char *contend_what(enum contend_kind k);

struct contender;

/*
 * Start nthreads background threads of kind k, thread i bound to cpus[i]
 * when cpus && cpus[i] >= 0 (placement_bind_cpu). They spin until stopped
 * and do nothing between contend_pause and contend_resume. Returns once
 * every thread has mapped its region and runs. NULL with why on failure
 * (nothing left running or mapped). CONTEND_NONE: a valid handle that
 * starts nothing (nthreads is ignored).
 */
struct contender *contend_start(enum contend_kind k, int nthreads, const int *cpus,
				char *why, size_t n);
void contend_pause(struct contender *c);	/* returns when every thread is idle */
void contend_resume(struct contender *c);

/*
 * What the contenders did since start (or since the last contend_read):
 * ops (one mmap+munmap pair, one mprotect, one page fault), and the seconds
 * they were running (resumed).
 */
struct contend_stats {
	uint64_t ops;
	double seconds;
	double ops_per_s;
};
void contend_read(struct contender *c, struct contend_stats *out);

/*
 * NULL while every thread works; else why one stopped making ops (an
 * mmap, mprotect or madvise failed). That thread waits for contend_stop.
 */
const char *contend_error(struct contender *c);

/* Stop and join every thread, unmap everything they mapped, free c. out may be NULL. */
void contend_stop(struct contender *c, struct contend_stats *out);

#endif
