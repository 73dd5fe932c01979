// SPDX-License-Identifier: GPL-2.0
/* A regular file in --file-dir, in the page cache but not yet mapped: MAP_SHARED or MAP_PRIVATE. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/vfs.h>
#include <linux/magic.h>
#include "gupbench.h"
#include "util.h"
#include "buffer.h"

#define FILL_CHUNK (1u << 20)

/*
 * Filesystems by statfs magic.  dirty_tracking: a shared writable mapping of
 * its files needs dirty tracking (vma_needs_dirty_tracking(): page_mkwrite
 * or pfn_mkwrite in its vm_ops, or a mapping that can write back), which is
 * what 6.5+ refuses FOLL_WRITE|FOLL_LONGTERM pins of.  ramfs writes nothing
 * back but its generic_file_vm_ops have page_mkwrite, so it is refused too;
 * tmpfs is shmem and hugetlbfs is hugetlb, both allowed.  shmem: its folios
 * are shmem folios, which GUP-fast treats as such.  writeback: pages go to
 * storage (informational).
 */
static const struct {
	unsigned long magic;
	const char *name;
	bool dirty_tracking, shmem, writeback;
} fs_types[] = {
	{ EXT4_SUPER_MAGIC, "ext4", true, false, true },	/* ext2 and ext3 share the magic */
	{ XFS_SUPER_MAGIC, "xfs", true, false, true },
	{ BTRFS_SUPER_MAGIC, "btrfs", true, false, true },
	{ F2FS_SUPER_MAGIC, "f2fs", true, false, true },
	{ 0xca451a4e, "bcachefs", true, false, true },
	{ 0x2fc12fc1, "zfs", true, false, true },
	/* the upper layer decides; usually a disk */
	{ OVERLAYFS_SUPER_MAGIC, "overlay", true, false, true },
	{ NFS_SUPER_MAGIC, "nfs", true, false, true },
	{ FUSE_SUPER_MAGIC, "fuse", true, false, true },
	{ V9FS_MAGIC, "9p", true, false, true },
	{ CIFS_SUPER_MAGIC, "cifs", true, false, true },
	{ SMB2_SUPER_MAGIC, "smb2", true, false, true },
	{ MSDOS_SUPER_MAGIC, "vfat", true, false, true },
	{ EXFAT_SUPER_MAGIC, "exfat", true, false, true },
	{ TMPFS_MAGIC, "tmpfs", false, true, false },
	{ RAMFS_MAGIC, "ramfs", true, false, false },
	{ HUGETLBFS_MAGIC, "hugetlbfs", false, false, false },
};

/* What the kernel keys the long-term pin rule on, for the filesystem of a folder. */
struct fs_props {
	char name[32];
	bool dirty_tracking, shmem, writeback;
	unsigned long long avail;
};

static const char *file_dir(const struct run_opts *o)
{
	return o && o->file_dir ? o->file_dir : ".";
}

/* Unknown filesystems are taken to need dirty tracking, as most disk filesystems do. */
static int dir_fs(const char *dir, struct fs_props *fp)
{
	struct statfs sf;

	if (statfs(dir, &sf))
		return -1;
	/* ramfs keeps no count of blocks (all zero): it is not full */
	fp->avail = sf.f_blocks ? (unsigned long long)sf.f_bavail * sf.f_bsize : ~0ull;
	fp->dirty_tracking = true;
	fp->shmem = false;
	fp->writeback = true;
	snprintf(fp->name, sizeof(fp->name), "0x%lx", (unsigned long)sf.f_type);
	for (size_t i = 0; i < sizeof(fs_types) / sizeof(fs_types[0]); i++) {
		if (fs_types[i].magic == (unsigned long)sf.f_type) {
			snprintf(fp->name, sizeof(fp->name), "%s", fs_types[i].name);
			fp->dirty_tracking = fs_types[i].dirty_tracking;
			fp->shmem = fs_types[i].shmem;
			fp->writeback = fs_types[i].writeback;
		}
	}
	return 0;
}

static int file_probe(const struct run_opts *o, char *why, size_t n)
{
	const char *dir = file_dir(o);
	struct fs_props fp;

	if (dir_fs(dir, &fp)) {
		set_reason(why, n, "file directory %s: %s", dir, strerror(errno));
		return -1;
	}
	if (access(dir, W_OK | X_OK)) {
		set_reason(why, n, "file directory %s (%s) is not writable: %s", dir, fp.name,
			   strerror(errno));
		return -1;
	}
	return 0;
}

/* write(2) the whole file once: the page cache holds it, no page table maps it. */
static int fill(int fd, size_t len)
{
	char *chunk = malloc(FILL_CHUNK);
	size_t done = 0;
	ssize_t r;

	if (!chunk)
		return -1;
	memset(chunk, 0x5a, FILL_CHUNK);
	while (done < len) {
		size_t want = len - done < FILL_CHUNK ? len - done : FILL_CHUNK;

		r = write(fd, chunk, want);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			if (r == 0)
				errno = EIO;
			break;
		}
		done += r;
	}
	free(chunk);
	return done == len ? 0 : -1;
}

static int file_create(struct buffer *b, size_t len, const struct run_opts *o,
		       bool shared, char *why, size_t n)
{
	char dir[PATH_MAX];
	struct fs_props fp;
	void *p;

	if (buffer_check_len(len, 0, why, n) || file_probe(o, why, n))
		return -1;
	/* absolute, so destroy() unlinks the right file whatever the cwd is then */
	if (!realpath(file_dir(o), dir)) {
		set_reason(why, n, "file directory %s: %s", file_dir(o), strerror(errno));
		return -1;
	}
	if (dir_fs(dir, &fp)) {
		set_reason(why, n, "file directory %s: %s", dir, strerror(errno));
		return -1;
	}
	if (fp.avail < len) {
		set_reason(why, n, "%s (%s) has %llu bytes free, the file needs %zu", dir, fp.name,
			   fp.avail, len);
		return -1;
	}
	if (snprintf(b->path, sizeof(b->path), "%s/gupbench-%s-XXXXXX", dir,
		     shared ? "shared" : "private") >= (int)sizeof(b->path)) {
		set_reason(why, n, "file directory path too long");
		b->path[0] = '\0';
		return -1;
	}
	b->fd = mkostemp(b->path, O_CLOEXEC);
	if (b->fd < 0) {
		set_reason(why, n, "creating a file in %s: %s", dir, strerror(errno));
		b->path[0] = '\0';
		return -1;
	}
	/* Written back now, so every case starts from clean page cache. */
	if (fill(b->fd, len) || fdatasync(b->fd)) {
		set_reason(why, n, "writing %zu bytes to %s: %s", len, b->path, strerror(errno));
		goto fail;
	}
	p = mmap(NULL, len, PROT_READ | PROT_WRITE, shared ? MAP_SHARED : MAP_PRIVATE,
		 b->fd, 0);
	if (p == MAP_FAILED) {
		set_reason(why, n, "mmap of %s: %s", b->path, strerror(errno));
		goto fail;
	}
	b->addr = p;
	b->len = len;
	b->page_size = sysconf(_SC_PAGESIZE);
	attrs_set_int(&b->actual, "page_size", b->page_size);
	attrs_set_str(&b->actual, "mapping", shared ? "file-shared" : "file-private");
	attrs_set_str(&b->actual, "fs", fp.name);
	attrs_set_bool(&b->actual, "shared", shared);
	/* only a shared writable mapping is dirty-tracked; a private one copies on write */
	attrs_set_bool(&b->actual, "dirty_tracking", shared && fp.dirty_tracking);
	attrs_set_str(&b->actual, "folios", fp.shmem ? "shmem" : "page cache");
	attrs_set_bool(&b->actual, "writeback", fp.writeback);
	attrs_set_str(&b->actual, "path", b->path);
	attrs_set_str(&b->actual, "page_cache", "clean");
	return 0;
fail:
	buffer_unmap(b);
	return -1;
}

static int file_shared_create(struct buffer *b, size_t len, const struct run_opts *o,
			      char *why, size_t n)
{
	return file_create(b, len, o, true, why, n);
}

static int file_private_create(struct buffer *b, size_t len, const struct run_opts *o,
			       char *why, size_t n)
{
	return file_create(b, len, o, false, why, n);
}

/* Record PMD-mapped page cache and copied-on-write bytes; private must be all COW after warm-up. */
static int file_verify(struct buffer *b, bool shared, char *why, size_t n)
{
	long long cow = smaps_bytes(b->addr, b->len, "Anonymous");

	if (cow < 0 || buffer_thp_bytes(b, "FilePmdMapped") < 0) {
		set_reason(why, n, "cannot read /proc/self/smaps");
		return -1;
	}
	if (cow > (long long)b->len)
		cow = b->len;
	attrs_set_int(&b->actual, "cow_bytes", cow);
	if (shared && cow) {
		set_reason(why, n, "%lld bytes of a shared file mapping are anonymous", cow);
		return -1;
	}
	if (!shared && cow < (long long)b->len) {
		set_reason(why, n, "only %lld of %zu bytes of the private mapping were copied on write",
			   cow, b->len);
		return -1;
	}
	return 0;
}

static int file_shared_verify(struct buffer *b, char *why, size_t n)
{
	return file_verify(b, true, why, n);
}

static int file_private_verify(struct buffer *b, char *why, size_t n)
{
	return file_verify(b, false, why, n);
}

const struct backing_ops backing_file_shared = {
	.name = "file-shared",
	.desc = "MAP_SHARED of a file in --file-dir (its filesystem decides: ext4/xfs/btrfs/ramfs "
		"need dirty tracking, tmpfs is shmem)",
	.probe = file_probe,
	.create = file_shared_create,
	.verify = file_shared_verify,
	.destroy = buffer_unmap,
};

const struct backing_ops backing_file_private = {
	.name = "file-private",
	.desc = "MAP_PRIVATE of a file in --file-dir (copied on write)",
	.probe = file_probe,
	.create = file_private_create,
	.verify = file_private_verify,
	.destroy = buffer_unmap,
};
