// SPDX-License-Identifier: GPL-2.0
/* The result file (schema gupbench-result/2, see results/README.md): create, write, read, print. */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include "gupbench.h"
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

/*
 * A case object, as the run loop writes it (results/README.md has the full
 * list): driver, backing, state, op, flags[], size_bytes, pages,
 * pages_per_call, gup_path, status ("ok" | "error" | "skipped"), errno,
 * reason, samples, warmup, pin / unpin {samples_ns_per_page[], ns_per_page,
 * ns_per_call}, fallback {calls_per_op, pages_per_op, fraction, source,
 * reason}, mmap_lock {acquisitions_per_op, ...}, counters, pins {acquired, released, balanced} or {source, reason},
 * placement. Any of them may be null or absent (a skipped case has no pin):
 * the printers below never assume one is there.
 */

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

/* ---- field access that tolerates null and absent ---- */

static json_object *jget(json_object *o, const char *key)
{
	json_object *v;

	if (!o || !json_object_is_type(o, json_type_object) ||
	    !json_object_object_get_ex(o, key, &v))
		return NULL;
	return v;
}

static const char *jstr(json_object *o, const char *key)
{
	json_object *v = jget(o, key);

	return v && json_object_is_type(v, json_type_string) ? json_object_get_string(v) : NULL;
}

static bool jnum(json_object *v, double *out)
{
	if (!v || !(json_object_is_type(v, json_type_double) ||
		    json_object_is_type(v, json_type_int)))
		return false;
	*out = json_object_get_double(v);
	return true;
}

static bool jnum_at(json_object *o, const char *key, double *out)
{
	return jnum(jget(o, key), out);
}

/* Flags as "WRITE|LONGTERM"; "" when none. */
static void flags_str(json_object *c, char *buf, size_t n)
{
	json_object *fl = jget(c, "flags");
	size_t used = 0;

	buf[0] = '\0';
	if (!fl || !json_object_is_type(fl, json_type_array))
		return;
	for (size_t i = 0; i < json_object_array_length(fl); i++) {
		json_object *f = json_object_array_get_idx(fl, i);

		if (!f || !json_object_is_type(f, json_type_string))
			continue;
		used += snprintf(buf + used, used < n ? n - used : 0, "%s%s",
				 used ? "|" : "", json_object_get_string(f));
	}
}

/* ---- table ---- */

/* Precision follows the magnitude of the median, so the CI bounds line up with it. */
static int ns_prec(double median)
{
	double a = fabs(median);

	return a < 10 ? 2 : a < 100 ? 1 : 0;
}

static void fmt_count(double v, char *buf, size_t n)
{
	if (fabs(v - round(v)) < 1e-9 || fabs(v) >= 100)
		snprintf(buf, n, "%.0f", v);
	else if (fabs(v) >= 1)
		snprintf(buf, n, "%.2f", v);
	else
		snprintf(buf, n, "%.2g", v);
}

static void fmt_size(double bytes, char *buf, size_t n)
{
	static const char *const unit[] = { "B", "KiB", "MiB", "GiB", "TiB" };
	int u = 0;

	while (bytes >= 1024 && u < 4 && fmod(bytes, 1024) == 0) {
		bytes /= 1024;
		u++;
	}
	snprintf(buf, n, "%.0f %s", bytes, unit[u]);
}

enum col {
	C_DRIVER, C_BACKING, C_STATE, C_SIZE, C_OPFLAGS, C_PPC, C_STATUS,
	C_PIN, C_UNPIN, C_FALLBACK, C_PINS, C_NCOLS
};

static const char *const col_head[C_NCOLS] = {
	"driver", "backing", "state", "size", "op/flags", "pages/call", "status",
	"pin [95% CI]", "unpin", "fallback/op", "balanced",
};

#define CELL 160

struct row {
	char cell[C_NCOLS][CELL];
	bool skipped;		/* status cell runs to the end of the line */
};

static void summary_cell(json_object *side, bool with_ci, char *buf, size_t n)
{
	json_object *s = jget(side, "ns_per_page"), *ci = jget(s, "ci95");
	double med, lo, hi;
	int p;

	if (!jnum_at(s, "median", &med)) {
		snprintf(buf, n, "-");
		return;
	}
	p = ns_prec(med);
	if (with_ci && ci && json_object_is_type(ci, json_type_array) &&
	    json_object_array_length(ci) == 2 &&
	    jnum(json_object_array_get_idx(ci, 0), &lo) &&
	    jnum(json_object_array_get_idx(ci, 1), &hi))
		snprintf(buf, n, "%.*f [%.*f-%.*f]", p, med, p, lo, p, hi);
	else
		snprintf(buf, n, "%.*f", p, med);
}

static void fill_row(json_object *c, struct row *r)
{
	json_object *fb = jget(c, "fallback"), *pins = jget(c, "pins"), *bal;
	const char *status = jstr(c, "status"), *op = jstr(c, "op"), *e, *why;
	char flags[96], num[32];
	double v, frac;

	memset(r, 0, sizeof(*r));
	snprintf(r->cell[C_DRIVER], CELL, "%s", jstr(c, "driver") ?: "?");
	snprintf(r->cell[C_BACKING], CELL, "%s", jstr(c, "backing") ?: "?");
	snprintf(r->cell[C_STATE], CELL, "%s", jstr(c, "state") ?: "-");
	if (jnum_at(c, "size_bytes", &v))
		fmt_size(v, r->cell[C_SIZE], CELL);
	else
		snprintf(r->cell[C_SIZE], CELL, "-");
	flags_str(c, flags, sizeof(flags));
	snprintf(r->cell[C_OPFLAGS], CELL, "%s%s%s", op ?: "", op && *flags ? " " : "",
		 *flags || op ? flags : "-");
	if (jnum_at(c, "pages_per_call", &v))
		snprintf(r->cell[C_PPC], CELL, "%.0f", v);
	else
		snprintf(r->cell[C_PPC], CELL, "-");

	if (status && !strcmp(status, "ok")) {
		snprintf(r->cell[C_STATUS], CELL, "ok");
	} else if (status && !strcmp(status, "error")) {
		e = jstr(c, "errno");
		snprintf(r->cell[C_STATUS], CELL, "error%s%s", e ? " " : "", e ?: "");
	} else if (status && !strcmp(status, "skipped")) {
		why = jstr(c, "reason");
		snprintf(r->cell[C_STATUS], CELL, "skip: %s", why ?: "no reason given");
		r->skipped = true;
		return;
	} else {
		snprintf(r->cell[C_STATUS], CELL, "%s", status ?: "?");
	}

	/*
	 * A failed call's time (to EFAULT, say) is not a pin cost: next to real
	 * ones in a mail it would read as one. The JSON and CSV keep it.
	 */
	if (status && !strcmp(status, "error")) {
		snprintf(r->cell[C_PIN], CELL, "-");
		snprintf(r->cell[C_UNPIN], CELL, "-");
	} else {
		summary_cell(jget(c, "pin"), true, r->cell[C_PIN], CELL);
		summary_cell(jget(c, "unpin"), false, r->cell[C_UNPIN], CELL);
	}

	if (jnum_at(fb, "calls_per_op", &v)) {
		fmt_count(v, num, sizeof(num));
		if (jnum_at(fb, "fraction", &frac))
			snprintf(r->cell[C_FALLBACK], CELL, "%s (%.0f%%)", num, frac * 100);
		else
			snprintf(r->cell[C_FALLBACK], CELL, "%s", num);
	} else {
		snprintf(r->cell[C_FALLBACK], CELL, "n/a");
	}

	bal = jget(pins, "balanced");
	if (bal && json_object_is_type(bal, json_type_boolean))
		snprintf(r->cell[C_PINS], CELL, "%s", json_object_get_boolean(bal) ? "yes" : "NO");
	else
		snprintf(r->cell[C_PINS], CELL, "n/a");
}

/* True if every case has the same value (or none) for key. */
static bool uniform(json_object *cases, size_t n, const char *key, double *val)
{
	bool seen = false;

	for (size_t i = 0; i < n; i++) {
		double v;

		if (!jnum_at(json_object_array_get_idx(cases, i), key, &v))
			continue;
		if (seen && v != *val)
			return false;
		*val = v;
		seen = true;
	}
	return seen;
}

static void print_header(FILE *f, json_object *root)
{
	json_object *sys = jget(root, "system"), *k = jget(sys, "kernel"), *cpu = jget(sys, "cpu");
	json_object *thp = jget(sys, "thp"), *tool = jget(root, "tool");
	const char *pkg = jstr(k, "package"), *icount = jstr(sys, "icount");
	const char *started = jstr(root, "started");
	double v;

	fprintf(f, "kernel %s", jstr(k, "release") ?: "?");
	if (pkg)
		fprintf(f, " (%s)", pkg);
	fprintf(f, "  accel %s", jstr(sys, "accelerator") ?: "?");
	fprintf(f, "  cpu %s", jstr(cpu, "model") ?: "?");
	if (jnum_at(cpu, "cpus", &v)) {
		fprintf(f, ", %.0f CPUs", v);
		if (jnum_at(cpu, "numa_nodes", &v) && v > 1)
			fprintf(f, ", %.0f nodes", v);
	}
	fprintf(f, "\n");
	/* Say up front what emulated timings are worth, before anyone quotes them. */
	if (icount && !strcmp(icount, "1"))
		fprintf(f, "timings: QEMU -icount, 1 ns = 1 instruction: code-path length, not latency\n");
	else if (!strcmp(jstr(sys, "accelerator") ?: "", "emulated"))
		fprintf(f, "timings: emulated CPU (QEMU TCG): for function, not for speed\n");

	fprintf(f, "gupbench %s (%s)", jstr(tool, "version") ?: "?", jstr(tool, "git") ?: "?");
	if (jstr(jget(root, "parameters"), "preset"))
		fprintf(f, "  preset %s", jstr(jget(root, "parameters"), "preset"));
	if (started)
		fprintf(f, "  started %s", started);
	if (jstr(thp, "enabled"))
		fprintf(f, "  thp %s", jstr(thp, "enabled"));
	if (jstr(thp, "shmem_enabled"))
		fprintf(f, ", shmem %s", jstr(thp, "shmem_enabled"));
	fprintf(f, "\n");
	if (json_object_get_boolean(jget(root, "interrupted")))
		fprintf(f, "INTERRUPTED: only the cases that finished are shown\n");
}

/* Columns that may move to the header when every case has the same value. */
static const enum col shareable[] = { C_STATE, C_SIZE, C_OPFLAGS };

void result_print_table(FILE *f, json_object *root)
{
	json_object *cases = jget(root, "cases"), *c, *fb;
	size_t n = cases && json_object_is_type(cases, json_type_array) ?
		   json_object_array_length(cases) : 0;
	int width[C_NCOLS], nsrc = 0, nshared = 0;
	bool show[C_NCOLS], any_ci = false, any_error = false;
	const char *sources[8];
	struct row *rows = NULL;
	double samples, warmup;

	print_header(f, root);
	if (!n || !(rows = calloc(n, sizeof(*rows)))) {
		fprintf(f, "(no cases)\n");
		return;
	}
	for (int j = 0; j < C_NCOLS; j++) {
		width[j] = (int)strlen(col_head[j]);
		show[j] = true;
	}
	for (size_t i = 0; i < n; i++) {
		c = json_object_array_get_idx(cases, i);
		fill_row(c, &rows[i]);
		any_ci |= strchr(rows[i].cell[C_PIN], '[') != NULL;
		any_error |= !strncmp(rows[i].cell[C_STATUS], "error", 5);
		fb = jget(c, "fallback");
		if (jstr(fb, "source")) {
			int k;

			for (k = 0; k < nsrc && strcmp(sources[k], jstr(fb, "source")); k++)
				;
			if (k == nsrc && nsrc < 8)
				sources[nsrc++] = jstr(fb, "source");
		}
	}

	/* Keep the table narrow enough to paste into mail: shared values go on one line. */
	for (size_t s = 0; s < sizeof(shareable) / sizeof(shareable[0]); s++) {
		int j = shareable[s];
		size_t i;

		for (i = 1; i < n && !strcmp(rows[i].cell[j], rows[0].cell[j]); i++)
			;
		if (i < n)
			continue;
		show[j] = false;
		if (strcmp(rows[0].cell[j], "-"))
			fprintf(f, "%s%s %s", nshared++ ? ", " : "all cases: ", col_head[j],
				rows[0].cell[j]);
	}
	if (uniform(cases, n, "samples", &samples)) {
		fprintf(f, "%s%.0f samples", nshared++ ? ", " : "all cases: ", samples);
		if (uniform(cases, n, "warmup", &warmup))
			fprintf(f, " + %.0f warm-up", warmup);
	}
	if (nshared)
		fprintf(f, "\n");

	for (size_t i = 0; i < n; i++)
		for (int j = 0; j < C_NCOLS; j++) {
			int w = (int)strlen(rows[i].cell[j]);

			if (rows[i].skipped && j >= C_STATUS)
				break;
			if (w > width[j])
				width[j] = w;
		}
	for (int j = 0, first = 1; j < C_NCOLS; j++) {
		if (!show[j])
			continue;
		fprintf(f, "%s%-*s", first ? "" : "  ", j == C_NCOLS - 1 ? 0 : width[j],
			col_head[j]);
		first = 0;
	}
	fprintf(f, "\n");
	for (size_t i = 0; i < n; i++) {
		int first = 1;

		for (int j = 0; j < C_NCOLS; j++) {
			bool last = j == C_NCOLS - 1 || (rows[i].skipped && j == C_STATUS);

			if (!show[j])
				continue;
			fprintf(f, "%s%-*s", first ? "" : "  ", last ? 0 : width[j],
				rows[i].cell[j]);
			first = 0;
			if (last)
				break;
		}
		fprintf(f, "\n");
	}
	free(rows);

	if (any_ci)
		fprintf(f, "pin, unpin: ns per page, median [distribution-free 95%% CI of the median]\n");
	if (any_error)
		fprintf(f, "error: times of failed calls are not shown (the JSON keeps them)\n");
	fprintf(f, "fallback/op: share of kernel GUP calls that entered the slow path "
		"(untimed counting pass: ");
	for (int k = 0; k < nsrc; k++)
		fprintf(f, "%s%s", k ? ", " : "", sources[k]);
	fprintf(f, "%s)\n", nsrc ? "" : "no source");
	fprintf(f, "balanced: /proc/vmstat nr_foll_pin_acquired = nr_foll_pin_released\n");
}

/* ---- CSV ---- */

static const char *const csv_head[] = {
	"driver", "backing", "state", "op", "flags", "size_bytes", "pages",
	"pages_per_call", "samples", "status", "errno", "reason",
	"pin_ns_per_page_median", "pin_ns_per_page_ci95_lo", "pin_ns_per_page_ci95_hi",
	"pin_ns_per_page_p10", "pin_ns_per_page_p90", "pin_n", "pin_ns_per_call_median",
	"unpin_ns_per_page_median", "unpin_ns_per_page_ci95_lo", "unpin_ns_per_page_ci95_hi",
	"fallback_calls_per_op", "fallback_pages_per_op", "fallback_fraction",
	"fallback_source", "pins_balanced", "mmap_lock_acquisitions_per_op",
};

/* RFC 4180: quote a field that holds a comma, quote or line break. */
static void csv_str(FILE *f, const char *s, bool first)
{
	if (!first)
		fputc(',', f);
	if (!s)
		return;
	if (!strpbrk(s, ",\"\r\n")) {
		fputs(s, f);
		return;
	}
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', f);
		fputc(*s, f);
	}
	fputc('"', f);
}

static void csv_num(FILE *f, json_object *v)
{
	char buf[40];
	double d;

	fputc(',', f);
	if (!jnum(v, &d))
		return;
	if (json_object_is_type(v, json_type_int)) {
		fprintf(f, "%lld", (long long)json_object_get_int64(v));
		return;
	}
	json_double_text(d, buf, sizeof(buf));
	if (strcmp(buf, "null"))
		fputs(buf, f);
}

static json_object *ci_at(json_object *s, size_t i)
{
	json_object *ci = jget(s, "ci95");

	if (!ci || !json_object_is_type(ci, json_type_array) || json_object_array_length(ci) != 2)
		return NULL;
	return json_object_array_get_idx(ci, i);
}

void result_print_csv(FILE *f, json_object *root)
{
	json_object *cases = jget(root, "cases");
	size_t n = cases && json_object_is_type(cases, json_type_array) ?
		   json_object_array_length(cases) : 0;

	for (size_t j = 0; j < sizeof(csv_head) / sizeof(csv_head[0]); j++)
		csv_str(f, csv_head[j], j == 0);
	fputc('\n', f);
	for (size_t i = 0; i < n; i++) {
		json_object *c = json_object_array_get_idx(cases, i);
		json_object *pin = jget(jget(c, "pin"), "ns_per_page");
		json_object *unpin = jget(jget(c, "unpin"), "ns_per_page");
		json_object *fb = jget(c, "fallback"), *bal = jget(jget(c, "pins"), "balanced");
		char flags[96];

		csv_str(f, jstr(c, "driver"), true);
		csv_str(f, jstr(c, "backing"), false);
		csv_str(f, jstr(c, "state"), false);
		csv_str(f, jstr(c, "op"), false);
		flags_str(c, flags, sizeof(flags));
		csv_str(f, flags, false);
		csv_num(f, jget(c, "size_bytes"));
		csv_num(f, jget(c, "pages"));
		csv_num(f, jget(c, "pages_per_call"));
		csv_num(f, jget(c, "samples"));
		csv_str(f, jstr(c, "status"), false);
		csv_str(f, jstr(c, "errno"), false);
		csv_str(f, jstr(c, "reason"), false);
		csv_num(f, jget(pin, "median"));
		csv_num(f, ci_at(pin, 0));
		csv_num(f, ci_at(pin, 1));
		csv_num(f, jget(pin, "p10"));
		csv_num(f, jget(pin, "p90"));
		csv_num(f, jget(pin, "n"));
		csv_num(f, jget(jget(jget(c, "pin"), "ns_per_call"), "median"));
		csv_num(f, jget(unpin, "median"));
		csv_num(f, ci_at(unpin, 0));
		csv_num(f, ci_at(unpin, 1));
		csv_num(f, jget(fb, "calls_per_op"));
		csv_num(f, jget(fb, "pages_per_op"));
		csv_num(f, jget(fb, "fraction"));
		csv_str(f, jstr(fb, "source"), false);
		csv_str(f, bal && json_object_is_type(bal, json_type_boolean) ?
			   (json_object_get_boolean(bal) ? "yes" : "no") : NULL, false);
		csv_num(f, jget(jget(c, "mmap_lock"), "acquisitions_per_op"));
		fputc('\n', f);
	}
}
