// SPDX-License-Identifier: GPL-2.0
/* Driver "iouring": IORING_REGISTER_BUFFERS pins the buffer, UNREGISTER unpins it. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <linux/capability.h>
#include <linux/io_uring.h>
#include "gupbench.h"
#include "util.h"
#include "counters.h"
#include "timing.h"

/* io_uring refuses a registered buffer longer than this with EFAULT. */
#define IOU_MAX_IOV_LEN	(1ull << 30)

struct iou_priv {
	int ring;
	struct iovec *iov;
	int nr_iov;
	bool pinned;		/* buffers are registered: unpin has work to do */
	bool rlimit_saved;
	struct rlimit saved;
};

static int iou_setup_ring(unsigned int entries)
{
	struct io_uring_params p;

	memset(&p, 0, sizeof(p));
	return syscall(__NR_io_uring_setup, entries, &p);
}

static int iou_register(int ring, unsigned int op, void *arg, unsigned int nr)
{
	return syscall(__NR_io_uring_register, ring, op, arg, nr);
}

/* No libcap: one capget is all that is needed to know what io_uring will do. */
static bool has_cap(int cap)
{
	struct __user_cap_header_struct h = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct d[_LINUX_CAPABILITY_U32S_3];

	memset(d, 0, sizeof(d));
	if (syscall(SYS_capget, &h, d))
		return false;
	return d[cap / 32].effective & (1u << (cap % 32));
}

static const char *iou_gup_path(const struct kver *kv, const char *op __attribute__((unused)))
{
	if (kver_at_least(kv, 6, 10))
		return "pin_user_pages_fast";
	if (kver_at_least(kv, 6, 5))
		return "pin_user_pages (slow path, mmap lock)";
	return "pin_user_pages (slow path) + io_uring file check";
}

static int iou_probe(const struct run_opts *o, char *why, size_t n)
{
	long disabled = -1;
	int fd, e;

	(void)o;
	read_file_long("/proc/sys/kernel/io_uring_disabled", &disabled);
	fd = iou_setup_ring(1);
	if (fd >= 0) {
		close(fd);
		return 0;
	}
	e = errno;
	if (e == ENOSYS)
		set_reason(why, n, "io_uring_setup: ENOSYS (kernel built without CONFIG_IO_URING)");
	else if (disabled > 0)
		set_reason(why, n, "io_uring_setup: %s (kernel.io_uring_disabled=%ld%s)",
			   errno_name(e), disabled,
			   disabled == 1 ? ": needs CAP_SYS_ADMIN or kernel.io_uring_group" : "");
	else
		set_reason(why, n, "io_uring_setup: %s", errno_name(e));
	return -1;
}

/*
 * Without CAP_IPC_LOCK io_uring charges every registered page to the user's
 * RLIMIT_MEMLOCK (capability checked when the ring is created), so a large
 * buffer fails with ENOMEM unless the limit covers it.  Raise the soft limit
 * up to the hard one (anyone may), or both with CAP_SYS_RESOURCE.
 */
static int iou_memlock(struct iou_priv *p, size_t len, char *why, size_t n)
{
	struct rlimit rl, nrl;

	if (has_cap(CAP_IPC_LOCK))
		return 0;
	if (getrlimit(RLIMIT_MEMLOCK, &rl))
		return 0;
	if (rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur >= len)
		return 0;
	if (rl.rlim_max == RLIM_INFINITY || rl.rlim_max >= len)
		nrl = (struct rlimit){ .rlim_cur = rl.rlim_max, .rlim_max = rl.rlim_max };
	else if (has_cap(CAP_SYS_RESOURCE))
		nrl = (struct rlimit){ .rlim_cur = RLIM_INFINITY, .rlim_max = RLIM_INFINITY };
	else
		goto too_low;
	if (setrlimit(RLIMIT_MEMLOCK, &nrl))
		goto too_low;
	p->saved = rl;
	p->rlimit_saved = true;
	return 0;
too_low:
	set_reason(why, n,
		   "RLIMIT_MEMLOCK too low: %llu KiB (hard %llu KiB) < %zu KiB buffer; io_uring charges registered pages to it without CAP_IPC_LOCK (raise with ulimit -l or run as root)",
		   (unsigned long long)rl.rlim_cur >> 10,
		   rl.rlim_max == RLIM_INFINITY ? 0ull : (unsigned long long)rl.rlim_max >> 10,
		   len >> 10);
	return -1;
}

static int iou_setup(struct driver_ctx *c, struct buffer *b, char *why, size_t n)
{
	struct iou_priv *p = calloc(1, sizeof(*p));

	if (!p) {
		set_reason(why, n, "out of memory");
		return -1;
	}
	/* Only registration is used: a one-entry ring is enough. */
	p->ring = iou_setup_ring(1);
	if (p->ring < 0) {
		set_reason(why, n, "io_uring_setup: %s", errno_name(errno));
		free(p);
		return -1;
	}
	if (iou_memlock(p, b->len, why, n)) {
		close(p->ring);
		free(p);
		return -1;
	}
	c->priv = p;
	return 0;
}

/* Cold cases remap the buffer for every sample: rebuild the iovecs each time. */
static int iou_fill_iov(struct iou_priv *p, const struct buffer *b)
{
	size_t nr = (b->len + IOU_MAX_IOV_LEN - 1) / IOU_MAX_IOV_LEN;
	char *a = b->addr;
	size_t left = b->len;

	if ((int)nr > p->nr_iov) {
		struct iovec *iov = realloc(p->iov, nr * sizeof(*iov));

		if (!iov)
			return -1;
		p->iov = iov;
	}
	p->nr_iov = nr;
	for (size_t i = 0; i < nr; i++) {
		size_t l = left < IOU_MAX_IOV_LEN ? left : IOU_MAX_IOV_LEN;

		p->iov[i] = (struct iovec){ .iov_base = a, .iov_len = l };
		a += l;
		left -= l;
	}
	return 0;
}

static void iou_pin(struct driver_ctx *c, struct buffer *b, struct op_result *r)
{
	struct iou_priv *p = c->priv;
	uint64_t t0, t1;
	int ret, e;

	memset(r, 0, sizeof(*r));
	r->pages = b->len / BASE_PAGE_SIZE;
	if (iou_fill_iov(p, b)) {
		r->err = ENOMEM;
		return;
	}
	counters_call_begin(c->count);
	t0 = now_ns();
	ret = iou_register(p->ring, IORING_REGISTER_BUFFERS, p->iov, p->nr_iov);
	t1 = now_ns();
	e = errno;
	counters_call_end(c->count);
	r->ns = t1 - t0;
	r->clock_ns = clock_pair_cost_ns();
	r->calls = 1;
	/* the kernel pins each iovec with its own call */
	r->pages_per_call = (b->len < IOU_MAX_IOV_LEN ? b->len : IOU_MAX_IOV_LEN) / BASE_PAGE_SIZE;
	if (ret < 0) {
		r->err = e;
		return;
	}
	r->pages_done = r->pages;
	p->pinned = true;
}

static void iou_unpin(struct driver_ctx *c, struct buffer *b, struct op_result *r)
{
	struct iou_priv *p = c->priv;
	uint64_t t0, t1;
	int ret, e;

	memset(r, 0, sizeof(*r));
	if (!p->pinned)
		return;
	r->pages = b->len / BASE_PAGE_SIZE;
	t0 = now_ns();
	ret = iou_register(p->ring, IORING_UNREGISTER_BUFFERS, NULL, 0);
	t1 = now_ns();
	e = errno;
	r->ns = t1 - t0;
	r->clock_ns = clock_pair_cost_ns();
	r->calls = 1;
	/* Whatever the outcome, the ring close in teardown releases the rest. */
	p->pinned = false;
	if (ret < 0) {
		r->err = e;
		return;
	}
	r->pages_done = r->pages;
}

static void iou_teardown(struct driver_ctx *c)
{
	struct iou_priv *p = c->priv;

	if (!p)
		return;
	close(p->ring);
	if (p->rlimit_saved)
		setrlimit(RLIMIT_MEMLOCK, &p->saved);
	free(p->iov);
	free(p);
	c->priv = NULL;
}

const struct driver_ops driver_iouring = {
	.name = "iouring",
	.desc = "io_uring IORING_REGISTER_BUFFERS / UNREGISTER_BUFFERS of the whole buffer",
	.gup_path = iou_gup_path,
	.fixed_flags = PIN_FLAG_WRITE | PIN_FLAG_LONGTERM,
	.axes = 0,
	.probe = iou_probe,
	.setup = iou_setup,
	.pin = iou_pin,
	.unpin = iou_unpin,
	.teardown = iou_teardown,
};
