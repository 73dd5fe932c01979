// SPDX-License-Identifier: GPL-2.0
/* Small helpers: clock, sizes, errno names, one-value sysfs/proc files. */
#include <errno.h>
#include <math.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/utsname.h>
#include "gupbench.h"
#include "util.h"
#include "settings.h"

struct kver running_kernel;
volatile int stop_requested;

void kver_init(void)
{
	struct utsname u;

	if (uname(&u) == 0)
		sscanf(u.release, "%d.%d.%d", &running_kernel.major,
		       &running_kernel.minor, &running_kernel.patch);
}

bool kver_at_least(const struct kver *kv, int major, int minor)
{
	return kv->major > major || (kv->major == major && kv->minor >= minor);
}

void rate_text(double v, char *buf, size_t n)
{
	if (!isfinite(v))
		snprintf(buf, n, "-");
	else if (v >= 1e9)
		snprintf(buf, n, "%.3gG", v / 1e9);
	else if (v >= 1e6)
		snprintf(buf, n, "%.3gM", v / 1e6);
	else if (v >= 1e3)
		snprintf(buf, n, "%.3gk", v / 1e3);
	else
		snprintf(buf, n, "%.3g", v);
}

uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

int parse_size(const char *s, size_t *out)
{
	char *end;
	unsigned long long v, mul = 1;

	if (!s || !*s || *s == '-')
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || end == s)
		return -1;
	switch (*end) {
	case 'k': case 'K': mul = 1ull << 10; end++; break;
	case 'm': case 'M': mul = 1ull << 20; end++; break;
	case 'g': case 'G': mul = 1ull << 30; end++; break;
	}
	if (*end == 'i' && mul > 1)	/* accept KiB/MiB/GiB spelt out */
		end++;
	if ((*end == 'B' || *end == 'b') && end[1] == '\0')
		end++;
	if (*end || v == 0 || v > (~0ull) / mul)
		return -1;
	*out = v * mul;
	return 0;
}

const char *errno_name(int e)
{
	static const struct { int e; const char *n; } names[] = {
		{ EPERM, "EPERM" }, { ENOENT, "ENOENT" }, { EINTR, "EINTR" },
		{ EIO, "EIO" }, { E2BIG, "E2BIG" }, { EBADF, "EBADF" },
		{ EAGAIN, "EAGAIN" }, { ENOMEM, "ENOMEM" }, { EACCES, "EACCES" },
		{ EFAULT, "EFAULT" }, { EBUSY, "EBUSY" }, { EEXIST, "EEXIST" },
		{ ENODEV, "ENODEV" }, { EINVAL, "EINVAL" }, { ENFILE, "ENFILE" },
		{ EMFILE, "EMFILE" }, { ENOTTY, "ENOTTY" }, { ENOSPC, "ENOSPC" },
		{ ERANGE, "ERANGE" }, { ENOSYS, "ENOSYS" }, { EOVERFLOW, "EOVERFLOW" },
		{ EOPNOTSUPP, "EOPNOTSUPP" }, { ETIMEDOUT, "ETIMEDOUT" },
		{ EHWPOISON, "EHWPOISON" },
	};
	static char buf[16];

	if (e == 0)
		return NULL;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].e == e)
			return names[i].n;
	snprintf(buf, sizeof(buf), "E%d", e);
	return buf;
}

int read_file_str(const char *path, char *buf, size_t n)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t r;

	if (fd < 0)
		return -1;
	r = read(fd, buf, n - 1);
	close(fd);
	if (r < 0)
		return -1;
	buf[r] = '\0';
	while (r > 0 && (buf[r - 1] == '\n' || buf[r - 1] == ' '))
		buf[--r] = '\0';
	return 0;
}

int selected_word(const char *line, char open, char close, char *out, size_t n)
{
	const char *a = strchr(line, open), *b;

	if (!a || !(b = strchr(a + 1, close)) || (size_t)(b - a - 1) >= n)
		return -1;
	memcpy(out, a + 1, b - a - 1);
	out[b - a - 1] = '\0';
	return 0;
}

int read_mode(const char *path, char *buf, size_t n)
{
	char raw[256];

	if (read_file_str(path, raw, sizeof(raw)))
		return -1;
	if (selected_word(raw, '[', ']', buf, n))
		snprintf(buf, n, "%s", raw);
	return 0;
}

int read_file_long(const char *path, long *out)
{
	char buf[64], *end;

	if (read_file_str(path, buf, sizeof(buf)))
		return -1;
	errno = 0;
	*out = strtol(buf, &end, 10);
	return (errno || end == buf) ? -1 : 0;
}

int write_file_str(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t len = strlen(s), r;

	if (fd < 0)
		return -1;
	r = write(fd, s, len);
	if (close(fd) || r != len)
		return -1;
	return 0;
}

void set_reason(char *why, size_t n, const char *fmt, ...)
{
	va_list ap;

	if (!why || !n)
		return;
	va_start(ap, fmt);
	vsnprintf(why, n, fmt, ap);
	va_end(ap);
}

static int write_all(int fd, const char *p, size_t len)
{
	while (len) {
		ssize_t w = write(fd, p, len);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += w;
		len -= w;
	}
	return 0;
}

/* Make the rename itself durable; a failure here loses nothing already written. */
static void fsync_dir_of(const char *path)
{
	char *copy = strdup(path);
	int fd;

	if (!copy)
		return;
	fd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
	free(copy);
}

/*
 * Same directory as path, so rename() is atomic: a reader sees the old file
 * or the new one, never half of either. Any failure removes the temporary
 * file and leaves an existing path untouched.
 */
int write_file_atomic(const char *path, const char *text, size_t len)
{
	const int oflags = O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW;
	char tmp[PATH_MAX];
	int fd, saved;

	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.tmp.%d", path, (int)getpid()) >= sizeof(tmp)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	fd = open(tmp, oflags, 0644);
	if (fd < 0 && errno == EEXIST) {
		/* Left by an earlier process that had our PID and died. */
		unlink(tmp);
		fd = open(tmp, oflags, 0644);
	}
	if (fd < 0)
		return -1;
	if (write_all(fd, text, len) || fsync(fd))
		goto err;
	if (close(fd)) {
		fd = -1;
		goto err;
	}
	fd = -1;
	if (rename(tmp, path))
		goto err;
	fsync_dir_of(path);
	return 0;
err:
	saved = errno;
	if (fd >= 0)
		close(fd);
	unlink(tmp);
	errno = saved;
	return -1;
}
