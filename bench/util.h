/* SPDX-License-Identifier: GPL-2.0 */
/* Small helpers of the tool: time, sizes, errno names, sysfs and proc files, reasons. */
#ifndef UTIL_H
#define UTIL_H

#include <stddef.h>
#include <stdint.h>

uint64_t now_ns(void);
int parse_size(const char *s, size_t *out);	/* "64M" -> bytes; -1 if bad */
/* A rate in three significant digits: 1234567 as "1.23M"; "-" when not finite. */
void rate_text(double v, char *buf, size_t n);
const char *errno_name(int e);			/* "EFAULT", or NULL for 0 */
int read_file_str(const char *path, char *buf, size_t n);	/* trims newline */
int read_file_long(const char *path, long *out);
/* "always [madvise] never" -> "madvise" (sysfs marks the active choice); -1 if none. */
int selected_word(const char *line, char open, char close, char *out, size_t n);
/* A sysfs choice file's selected word, or a plain file's value. */
int read_mode(const char *path, char *buf, size_t n);
int write_file_str(const char *path, const char *s);
/* Write to path.tmp.PID, fsync, rename over path. 0, or -1 with errno and path untouched. */
int write_file_atomic(const char *path, const char *text, size_t len);
void set_reason(char *why, size_t n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
