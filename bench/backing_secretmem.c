// SPDX-License-Identifier: GPL-2.0
/* memfd_secret(2) memory: removed from the kernel's direct map, so GUP must refuse it. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include "gupbench.h"
#include "util.h"
#include "buffer.h"

#ifndef SYS_memfd_secret
#define SYS_memfd_secret 447	/* x86-64, arm64, riscv: same number */
#endif

static int memfd_secret(unsigned int flags)
{
	return syscall(SYS_memfd_secret, flags);
}

static void secret_reason(int err, char *why, size_t n)
{
	if (err == ENOSYS)
		set_reason(why, n, "memfd_secret not enabled (CONFIG_SECRETMEM / secretmem.enable)");
	else
		set_reason(why, n, "memfd_secret: %s", strerror(err));
}

static int secretmem_probe(const struct run_opts *o, char *why, size_t n)
{
	int fd = memfd_secret(O_CLOEXEC);

	(void)o;
	if (fd < 0) {
		secret_reason(errno, why, n);
		return -1;
	}
	close(fd);
	return 0;
}

/*
 * The mapping is VM_LOCKED, so without CAP_IPC_LOCK it must fit RLIMIT_MEMLOCK:
 * raise the soft limit to the hard one, or both to infinity where allowed.
 */
static int raise_memlock(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_MEMLOCK, &rl))
		return -1;
	if (rl.rlim_cur != rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		return setrlimit(RLIMIT_MEMLOCK, &rl);
	}
	rl.rlim_cur = rl.rlim_max = RLIM_INFINITY;
	return setrlimit(RLIMIT_MEMLOCK, &rl);
}

static void *map_secret(struct buffer *b, size_t len, bool *raised)
{
	struct rlimit rl;
	void *p;
	int err;

	/*
	 * Root's mmap passes the limit check (CAP_IPC_LOCK), but Debian's 6.12 (at least)
	 * then faults beyond the limit with SIGBUS: raise it first where it is too small.
	 */
	*raised = false;
	for (int i = 0; i < 2 && !getrlimit(RLIMIT_MEMLOCK, &rl) && rl.rlim_cur != RLIM_INFINITY &&
	     rl.rlim_cur < len && raise_memlock() == 0; i++)
		*raised = true;
	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, b->fd, 0);
	err = errno;
	/* at most twice: soft to hard, then both to infinity */
	for (int i = 0; i < 2 && p == MAP_FAILED && err == EAGAIN && raise_memlock() == 0; i++) {
		*raised = true;
		p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, b->fd, 0);
		err = errno;
	}
	errno = err;	/* the mmap's, not setrlimit's */
	return p;
}

static int secretmem_create(struct buffer *b, size_t len, const struct run_opts *o,
			    char *why, size_t n)
{
	struct rlimit rl;
	bool raised;
	void *p;

	(void)o;
	if (buffer_check_len(len, 0, why, n))
		return -1;
	b->fd = memfd_secret(O_CLOEXEC);
	if (b->fd < 0) {
		secret_reason(errno, why, n);
		return -1;
	}
	if (ftruncate(b->fd, len)) {
		set_reason(why, n, "ftruncate of the secretmem fd: %s", strerror(errno));
		goto fail;
	}
	p = map_secret(b, len, &raised);
	if (p == MAP_FAILED) {
		getrlimit(RLIMIT_MEMLOCK, &rl);
		if (errno == EAGAIN)
			set_reason(why, n, "secretmem counts against RLIMIT_MEMLOCK (%llu bytes) and %zu bytes do not fit: raise ulimit -l or run as root",
				   (unsigned long long)rl.rlim_cur, len);
		else
			set_reason(why, n, "mmap of the secretmem fd: %s", strerror(errno));
		goto fail;
	}
	b->addr = p;
	b->len = len;
	b->page_size = sysconf(_SC_PAGESIZE);
	attrs_set_int(&b->actual, "page_size", b->page_size);
	attrs_set_str(&b->actual, "mapping", "secretmem-shared");
	attrs_set_bool(&b->actual, "memlock_raised", raised);
	return 0;
fail:
	close(b->fd);
	b->fd = -1;
	return -1;
}

/* Nothing to verify: smaps shows secretmem like any locked shared mapping. */
const struct backing_ops backing_secretmem = {
	.name = "secretmem",
	.desc = "memfd_secret mapped shared (not in the direct map; counts against RLIMIT_MEMLOCK)",
	.probe = secretmem_probe,
	.create = secretmem_create,
	.destroy = buffer_unmap,
};
