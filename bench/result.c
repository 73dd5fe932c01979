// SPDX-License-Identifier: GPL-2.0
/*
 * The result file (schema gupbench-result/2, see results/README.md): create,
 * write atomically, read and validate. Its views (table, CSV, JSON) are in
 * result_view.c.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include "gupbench.h"
#include "util.h"
#include "result.h"
#include "stats.h"
#include "sysinfo.h"

#ifndef GUPBENCH_GIT
#define GUPBENCH_GIT "unknown"
#endif

#define SCHEMA_PREFIX "gupbench-result/"
#define SCHEMA_MAJOR 2
/* /1 files still read: /2 changed what fallback.calls_per_op counts, no field's type. */
#define SCHEMA_OLDEST 1
/* Far beyond any real result (raw samples of a full preset are a few MB). */
#define RESULT_MAX_BYTES (1L << 30)

json_object *result_new(int argc, char **argv)
{
	json_object *root = json_object_new_object(), *tool = json_object_new_object();
	json_object *cmd = json_object_new_array();
	char ts[32];
	time_t now = time(NULL);
	struct tm tm;

	json_object_object_add(root, "schema", json_object_new_string(RESULT_SCHEMA));
	json_object_object_add(tool, "name", json_object_new_string("gupbench"));
	json_object_object_add(tool, "version", json_object_new_string(GUPBENCH_VERSION));
	json_object_object_add(tool, "git", json_object_new_string(GUPBENCH_GIT));
	json_object_object_add(root, "tool", tool);
	json_object_array_add(cmd, json_object_new_string("gupbench"));
	for (int i = 0; i < argc; i++)
		json_object_array_add(cmd, json_object_new_string(argv[i]));
	json_object_object_add(root, "command", cmd);
	json_object_object_add(root, "system", sysinfo_collect());
	gmtime_r(&now, &tm);
	strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%SZ", &tm);
	json_object_object_add(root, "started", json_object_new_string(ts));
	json_object_object_add(root, "finished", NULL);
	json_object_object_add(root, "interrupted", json_object_new_boolean(false));
	json_object_object_add(root, "cases", json_object_new_array());
	return root;
}

/* ---- writing ---- */

/*
 * Give every double made with json_object_new_double() the shortest text that
 * reads back exactly: 31.3 instead of 31.300000000000001, null for NaN.
 * Doubles that already carry their text (parsed, or json_double()) keep it.
 */
static void normalize_doubles(json_object *o)
{
	char buf[40];

	switch (json_object_get_type(o)) {
	case json_type_object: {
		json_object_object_foreach(o, key, val) {
			(void)key;
			normalize_doubles(val);
		}
		break;
	}
	case json_type_array:
		for (size_t i = 0; i < json_object_array_length(o); i++)
			normalize_doubles(json_object_array_get_idx(o, i));
		break;
	case json_type_double:
		if (json_object_get_userdata(o))
			break;
		json_double_text(json_object_get_double(o), buf, sizeof(buf));
		json_object_set_serializer(o, json_object_userdata_to_json_string, strdup(buf),
					   json_object_free_userdata);
		break;
	default:
		break;
	}
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
int result_write_atomic(const char *path, json_object *root)
{
	const int oflags = O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW;
	char tmp[PATH_MAX];
	const char *text;
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

	normalize_doubles(root);
	text = json_object_to_json_string_ext(root, JSON_C_TO_STRING_PRETTY |
					      JSON_C_TO_STRING_SPACED |
					      JSON_C_TO_STRING_NOSLASHESCAPE);
	if (!text) {
		errno = ENOMEM;
		goto err;
	}
	if (write_all(fd, text, strlen(text)) || write_all(fd, "\n", 1))
		goto err;
	if (fsync(fd))
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

/* ---- reading ---- */

static char *slurp(const char *path, size_t *len, char *err, size_t n)
{
	struct stat st;
	char *buf;
	size_t got = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0) {
		set_reason(err, n, "%s", strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		set_reason(err, n, "%s", S_ISDIR(st.st_mode) ? "is a directory" : "not a regular file");
		close(fd);
		return NULL;
	}
	if (st.st_size > RESULT_MAX_BYTES) {
		set_reason(err, n, "too large for a result file (%lld bytes)", (long long)st.st_size);
		close(fd);
		return NULL;
	}
	buf = malloc(st.st_size + 1);
	if (!buf) {
		set_reason(err, n, "out of memory");
		close(fd);
		return NULL;
	}
	while (got < (size_t)st.st_size) {
		ssize_t r = read(fd, buf + got, st.st_size - got);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			set_reason(err, n, "read: %s", strerror(errno));
			free(buf);
			close(fd);
			return NULL;
		}
		if (r == 0)
			break;
		got += r;
	}
	close(fd);
	buf[got] = '\0';
	*len = got;
	return buf;
}

static int line_of(const char *buf, size_t off)
{
	int line = 1;

	for (size_t i = 0; i < off && buf[i]; i++)
		line += buf[i] == '\n';
	return line;
}

json_object *result_read(const char *path, char *err, size_t n)
{
	json_tokener *tok;
	json_object *root, *schema, *cases;
	enum json_tokener_error jerr;
	const char *s, *ver;
	size_t len, end;
	char *buf, *rest;
	long major;

	buf = slurp(path, &len, err, n);
	if (!buf)
		return NULL;
	if (strspn(buf, " \t\r\n") == len) {
		set_reason(err, n, "empty file, not a gupbench result");
		free(buf);
		return NULL;
	}
	tok = json_tokener_new();
	if (!tok) {
		set_reason(err, n, "out of memory");
		free(buf);
		return NULL;
	}
	root = json_tokener_parse_ex(tok, buf, (int)len);
	jerr = json_tokener_get_error(tok);
	end = json_tokener_get_parse_end(tok);
	json_tokener_free(tok);
	if (jerr == json_tokener_continue) {
		set_reason(err, n, "not JSON: truncated (ends inside a value)");
		goto bad;
	}
	if (jerr != json_tokener_success || !root) {
		set_reason(err, n, "not JSON: %s at line %d", json_tokener_error_desc(jerr),
			   line_of(buf, end));
		goto bad;
	}
	if (strspn(buf + end, " \t\r\n") != len - end) {
		set_reason(err, n, "not JSON: trailing data at line %d", line_of(buf, end));
		goto bad;
	}
	if (!json_object_is_type(root, json_type_object)) {
		set_reason(err, n, "not a gupbench result (top level is not an object)");
		goto bad;
	}
	if (!json_object_object_get_ex(root, "schema", &schema) ||
	    !json_object_is_type(schema, json_type_string)) {
		set_reason(err, n, "not a gupbench result (no \"schema\")");
		goto bad;
	}
	s = json_object_get_string(schema);
	if (strncmp(s, SCHEMA_PREFIX, strlen(SCHEMA_PREFIX))) {
		set_reason(err, n, "not a gupbench result (schema \"%.64s\")", s);
		goto bad;
	}
	/* Minor revisions only add fields: any "2" or "2.x" reads, and /1; "3" does not. */
	ver = s + strlen(SCHEMA_PREFIX);
	errno = 0;
	major = strtol(ver, &rest, 10);
	if (rest == ver || errno || (*rest && *rest != '.')) {
		set_reason(err, n, "bad schema version \"%.64s\"", s);
		goto bad;
	}
	if (major < SCHEMA_OLDEST || major > SCHEMA_MAJOR) {
		set_reason(err, n, "schema %.64s is not supported (this gupbench reads %s%d to %d)",
			   s, SCHEMA_PREFIX, SCHEMA_OLDEST, SCHEMA_MAJOR);
		goto bad;
	}
	if (!json_object_object_get_ex(root, "cases", &cases) ||
	    !json_object_is_type(cases, json_type_array)) {
		set_reason(err, n, "damaged result (no \"cases\" list)");
		goto bad;
	}
	free(buf);
	return root;
bad:
	json_object_put(root);
	free(buf);
	return NULL;
}
