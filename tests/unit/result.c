// SPDX-License-Identifier: GPL-2.0
/* Result file: JSON round trip, atomic write, schema check, table and CSV columns. */
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include "tap.h"
#include "gupbench.h"
#include "result.h"
#include "stats.h"

static char dir[64];

static char *path_in(const char *name)
{
	static char buf[4][256];
	static int i;

	i = (i + 1) % 4;
	snprintf(buf[i], sizeof(buf[i]), "%s/%s", dir, name);
	return buf[i];
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	size_t n = 0;

	if (!f)
		return NULL;
	if (getdelim(&buf, &n, '\0', f) < 0) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	return buf;
}

static void put(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

/* Files in dir other than those named; used to find left-over temporaries. */
static int stray_files(void)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	if (!d)
		return -1;
	while ((e = readdir(d)))
		if (strstr(e->d_name, ".tmp."))
			n++;
	closedir(d);
	return n;
}

static json_object *summary_of(double base)
{
	double v[20];
	struct summary s;

	/* 4 each of base + 0, .5, 1, 1.5, 2: median base + 1, CI X(6), X(15) = +.5, +1.5 */
	for (int i = 0; i < 20; i++)
		v[i] = base + (i % 5) * 0.5;
	summarize(v, 20, &s);
	return summary_to_json(&s);
}

static json_object *side(double base)
{
	json_object *o = json_object_new_object(), *raw = json_object_new_array();

	for (int i = 0; i < 20; i++)
		json_object_array_add(raw, json_object_new_double(base + (i % 5) * 0.5));
	/* Not exact in binary: json-c alone would write 31.300000000000001. */
	json_object_array_add(raw, json_object_new_double(31.3));
	json_object_object_add(o, "samples_ns_per_page", raw);
	json_object_object_add(o, "ns_per_page", summary_of(base));
	json_object_object_add(o, "ns_per_call", summary_of(base * 16384));
	return o;
}

static json_object *flags(const char *a, const char *b)
{
	json_object *f = json_object_new_array();

	if (a)
		json_object_array_add(f, json_object_new_string(a));
	if (b)
		json_object_array_add(f, json_object_new_string(b));
	return f;
}

static json_object *fallback(json_object *calls, json_object *frac, const char *src)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "calls_per_op", calls);
	json_object_object_add(o, "pages_per_op", NULL);
	json_object_object_add(o, "fraction", frac);
	json_object_object_add(o, "source", json_object_new_string(src));
	json_object_object_add(o, "reason", NULL);
	return o;
}

static json_object *pins(int balanced)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "acquired", json_object_new_int64(16384));
	json_object_object_add(o, "released", json_object_new_int64(balanced ? 16384 : 16000));
	json_object_object_add(o, "balanced", json_object_new_boolean(balanced));
	return o;
}

static json_object *base_case(const char *driver, const char *backing, const char *status)
{
	json_object *c = json_object_new_object();

	json_object_object_add(c, "driver", json_object_new_string(driver));
	json_object_object_add(c, "backing", json_object_new_string(backing));
	json_object_object_add(c, "state", json_object_new_string("warm"));
	json_object_object_add(c, "op", NULL);
	json_object_object_add(c, "flags", flags("WRITE", "LONGTERM"));
	json_object_object_add(c, "size_bytes", json_object_new_int64(64 << 20));
	json_object_object_add(c, "pages", json_object_new_int64(16384));
	json_object_object_add(c, "pages_per_call", json_object_new_int64(16384));
	json_object_object_add(c, "gup_path", json_object_new_string("pin_user_pages_fast"));
	json_object_object_add(c, "status", json_object_new_string(status));
	json_object_object_add(c, "errno", NULL);
	json_object_object_add(c, "reason", NULL);
	json_object_object_add(c, "samples", json_object_new_int(20));
	json_object_object_add(c, "warmup", json_object_new_int(3));
	return c;
}

/* ok, error, skipped, and a kmod case with a fraction. */
static void add_cases(json_object *root)
{
	json_object *cases = json_object_object_get(root, "cases"), *c;

	c = base_case("iouring", "anon", "ok");
	json_object_object_add(c, "pin", side(31.0));
	json_object_object_add(c, "unpin", side(11.0));
	json_object_object_add(c, "fallback", fallback(json_object_new_int(0), NULL,
						       "mmap_lock-tracepoint"));
	json_object_object_add(c, "pins", pins(1));
	json_object_array_add(cases, c);

	c = base_case("iouring", "file-shared", "error");
	json_object_object_add(c, "errno", json_object_new_string("EFAULT"));
	json_object_object_add(c, "pin", NULL);
	json_object_object_add(c, "unpin", NULL);
	json_object_object_add(c, "fallback", fallback(json_object_new_int(1), NULL,
						       "mmap_lock-tracepoint"));
	json_object_object_add(c, "pins", pins(1));
	json_object_array_add(cases, c);

	c = base_case("iouring", "secretmem", "skipped");
	json_object_object_add(c, "reason",
			       json_object_new_string("memfd_secret: ENOSYS, \"secretmem.enable=0\""));
	json_object_array_add(cases, c);

	c = base_case("kmod", "anon-thp", "ok");
	json_object_object_add(c, "op", json_object_new_string("pin_fast"));
	json_object_object_add(c, "flags", flags("WRITE", NULL));
	json_object_object_add(c, "pages_per_call", json_object_new_int64(512));
	json_object_object_add(c, "pin", side(1.5));
	json_object_object_add(c, "unpin", NULL);
	json_object_object_add(c, "fallback", fallback(json_object_new_double(0.5),
						       json_object_new_double(0.125), "kprobe"));
	json_object_object_add(c, "pins", pins(0));
	json_object_array_add(cases, c);
}

/* A case with nothing but a driver, as a damaged or hand-edited file might hold. */
static void add_bare_case(json_object *root)
{
	json_object *c = json_object_new_object();

	json_object_object_add(c, "driver", json_object_new_string("futex"));
	json_object_array_add(json_object_object_get(root, "cases"), c);
}

static char *capture(void (*print)(FILE *, json_object *), json_object *root)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	print(f, root);
	fclose(f);
	return buf;
}

/* Line number i (0-based) of text, copied into out. */
static const char *line_at(const char *text, int i, char *out, size_t n)
{
	const char *e;

	while (i-- > 0 && text && (text = strchr(text, '\n')))
		text++;
	if (!text)
		return "";
	e = strchr(text, '\n');
	snprintf(out, n, "%.*s", (int)(e ? e - text : (long)strlen(text)), text);
	return out;
}

/* Line holding needle, or "". */
static const char *line_with(const char *text, const char *needle, char *out, size_t n)
{
	const char *p = strstr(text, needle), *s;

	if (!p)
		return "";
	for (s = p; s > text && s[-1] != '\n'; s--)
		;
	return line_at(s, 0, out, n);
}

/* Fields of one CSV line, honouring quotes. */
static int csv_fields(const char *line)
{
	int n = 1, q = 0;

	for (; *line; line++) {
		if (*line == '"')
			q = !q;
		else if (*line == ',' && !q)
			n++;
	}
	return n;
}

static void test_read_errors(void)
{
	char err[256];
	json_object *r;

	put(path_in("wrong.json"), "{\"schema\": \"fio-result/1\", \"cases\": []}\n");
	r = result_read(path_in("wrong.json"), err, sizeof(err));
	tap_ok(!r && strstr(err, "not a gupbench result") && !strchr(err, '\n'),
	       "wrong schema refused: %s", err);

	put(path_in("v3.json"), "{\"schema\": \"gupbench-result/3\", \"cases\": []}\n");
	r = result_read(path_in("v3.json"), err, sizeof(err));
	tap_ok(!r && strstr(err, "gupbench-result/3") && strstr(err, "not supported"),
	       "newer major version refused: %s", err);

	put(path_in("v0.json"), "{\"schema\": \"gupbench-result/0\", \"cases\": []}\n");
	r = result_read(path_in("v0.json"), err, sizeof(err));
	tap_ok(!r && strstr(err, "not supported"), "older than /1 refused: %s", err);

	put(path_in("v11.json"), "{\"schema\": \"gupbench-result/2.1\", \"cases\": [], \"new\": 1}\n");
	r = result_read(path_in("v11.json"), err, sizeof(err));
	tap_ok(r != NULL, "additive minor version 2.1 accepted");
	json_object_put(r);

	put(path_in("v1.json"), "{\"schema\": \"gupbench-result/1\", \"cases\": []}\n");
	r = result_read(path_in("v1.json"), err, sizeof(err));
	tap_ok(r != NULL, "schema /1 files still read");
	json_object_put(r);

	put(path_in("noschema.json"), "{\"cases\": []}\n");
	r = result_read(path_in("noschema.json"), err, sizeof(err));
	tap_ok(!r && strstr(err, "no \"schema\""), "missing schema refused: %s", err);

	put(path_in("text.json"), "kernel 6.18 anon 31 ns/page\n");
	r = result_read(path_in("text.json"), err, sizeof(err));
	tap_ok(!r && !strncmp(err, "not JSON", 8) && !strchr(err, '\n'),
	       "non-JSON refused with one line: %s", err);

	put(path_in("trunc.json"), "{\"schema\": \"gupbench-result/1\", \"cases\": [\n");
	r = result_read(path_in("trunc.json"), err, sizeof(err));
	tap_ok(!r && strstr(err, "truncated"), "truncated JSON refused: %s", err);

	put(path_in("trail.json"), "{\"schema\": \"gupbench-result/1\", \"cases\": []} x\n");
	r = result_read(path_in("trail.json"), err, sizeof(err));
	tap_ok(!r && strstr(err, "trailing"), "trailing data refused: %s", err);

	put(path_in("empty.json"), "");
	r = result_read(path_in("empty.json"), err, sizeof(err));
	tap_ok(!r && strstr(err, "empty"), "empty file refused: %s", err);

	put(path_in("array.json"), "[1, 2]");
	r = result_read(path_in("array.json"), err, sizeof(err));
	tap_ok(!r && strstr(err, "not an object"), "top-level array refused: %s", err);

	r = result_read(path_in("missing.json"), err, sizeof(err));
	tap_ok(!r && strstr(err, "No such file"), "missing file: %s", err);

	r = result_read(dir, err, sizeof(err));
	tap_ok(!r && strstr(err, "directory"), "directory: %s", err);
}

static void test_failed_writes(json_object *root, const char *old)
{
	struct rlimit rl, small = { 4096, 4096 };
	char *now;
	int rc, e;

	rc = result_write_atomic(path_in("nodir/r.json"), root);
	e = errno;
	tap_ok(rc == -1 && e == ENOENT, "write into a missing directory fails (%s)", strerror(e));

	/* Works as root too: a file-size limit makes the write fail halfway. */
	signal(SIGXFSZ, SIG_IGN);
	getrlimit(RLIMIT_FSIZE, &rl);
	small.rlim_max = rl.rlim_max;
	setrlimit(RLIMIT_FSIZE, &small);
	rc = result_write_atomic(path_in("r.json"), root);
	e = errno;
	setrlimit(RLIMIT_FSIZE, &rl);
	now = slurp(path_in("r.json"));
	tap_ok(rc == -1 && e == EFBIG, "write beyond RLIMIT_FSIZE fails (%s)", strerror(e));
	tap_ok(now && !strcmp(now, old), "old file intact after a failed write");
	tap_ok(stray_files() == 0, "no temporary file left behind");
	free(now);

	/* The target is a directory: rename fails, the directory stays. */
	mkdir(path_in("isdir.json"), 0755);
	rc = result_write_atomic(path_in("isdir.json"), root);
	tap_ok(rc == -1 && stray_files() == 0, "rename over a directory fails cleanly (%s)",
	       strerror(errno));
	rmdir(path_in("isdir.json"));

	if (geteuid() == 0) {
		tap_skip("read-only directory refuses the write", "root ignores directory modes");
	} else {
		chmod(dir, 0555);
		rc = result_write_atomic(path_in("r.json"), root);
		e = errno;
		chmod(dir, 0755);
		now = slurp(path_in("r.json"));
		tap_ok(rc == -1 && e == EACCES && now && !strcmp(now, old),
		       "read-only directory: write fails, old file intact");
		free(now);
	}
}

static void test_table(json_object *root)
{
	char *t = capture(result_print_table, root), l[512], hdr[512], ok[512], er[512], sk[512];
	const char *cols[] = { "driver", "backing", "op/flags", "pages/call", "status",
			       "pin [95% CI]", "unpin", "fallback/op", "balanced" };
	int all = 1, off_ok, off_er;
	char *p;

	printf("# table:\n");
	for (p = t; p && *p; ) {
		char *e = strchr(p, '\n');

		printf("#   %.*s\n", (int)(e ? e - p : (long)strlen(p)), p);
		p = e ? e + 1 : NULL;
	}

	line_at(t, 0, l, sizeof(l));
	tap_ok(!strncmp(l, "kernel ", 7) && strstr(l, " accel ") && strstr(l, " cpu "),
	       "first line: kernel, accelerator, cpu");
	line_with(t, "driver ", hdr, sizeof(hdr));
	for (size_t i = 0; i < sizeof(cols) / sizeof(cols[0]); i++)
		all &= strstr(hdr, cols[i]) != NULL;
	tap_ok(all, "column header names every column");
	tap_ok(strstr(t, "all cases: state warm, size 64 MiB, 20 samples + 3 warm-up") &&
	       !strstr(hdr, "size") && !strstr(hdr, "state"),
	       "shared state and size go to one line, not columns");
	tap_ok(strstr(hdr, "op/flags") != NULL, "varying columns stay");

	line_with(t, "iouring  anon ", ok, sizeof(ok));
	tap_ok(strstr(ok, "WRITE|LONGTERM") && strstr(ok, "16384") && strstr(ok, " ok ") &&
	       strstr(ok, "32.0 [31.5-32.5]") && strstr(ok, "12.0") && strstr(ok, "yes"),
	       "ok row: flags, pages/call, status, pin median [CI], unpin, balanced");
	line_with(t, "file-shared", er, sizeof(er));
	tap_ok(strstr(er, "error EFAULT") && strstr(er, "yes"), "error row: error EFAULT");
	line_with(t, "secretmem", sk, sizeof(sk));
	tap_ok(strstr(sk, "skip: memfd_secret: ENOSYS") != NULL, "skipped row: skip: reason");
	off_ok = (int)(strstr(ok, "16384") - ok);
	off_er = (int)(strstr(er, "16384") - er);
	tap_ok(off_ok == off_er && off_ok == (int)(strstr(hdr, "pages/call") - hdr),
	       "columns line up (pages/call at %d and %d)", off_ok, off_er);
	line_with(t, "kmod", l, sizeof(l));
	tap_ok(strstr(l, "pin_fast WRITE") && strstr(l, "0.5 (12%)") && strstr(l, "NO"),
	       "kmod row: op and flags, fallback with fraction, unbalanced pins flagged");
	tap_ok(strstr(t, "95% CI of the median") && strstr(t, "mmap_lock-tracepoint"),
	       "legend names the CI and the fallback source");
	free(t);

	add_bare_case(root);
	t = capture(result_print_table, root);
	line_with(t, "futex", l, sizeof(l));
	tap_ok(strstr(l, "futex") && strstr(l, "?"), "case with nothing but a driver prints");
	line_with(t, "driver ", hdr, sizeof(hdr));
	tap_ok(strstr(hdr, "size") != NULL, "size differs between cases: a column again");
	free(t);
}

static void test_csv(json_object *root)
{
	char *t = capture(result_print_csv, root), l[1024];
	int nhead, lines = 0, same = 1;

	line_at(t, 0, l, sizeof(l));
	nhead = csv_fields(l);
	tap_ok(!strncmp(l, "driver,backing,state,op,flags,size_bytes,pages,pages_per_call,",
			strlen("driver,backing,state,op,flags,size_bytes,pages,pages_per_call,")) &&
	       strstr(l, "pin_ns_per_page_median") && strstr(l, "fallback_calls_per_op") &&
	       strstr(l, "pins_balanced"), "CSV header row");
	for (int i = 1; *line_at(t, i, l, sizeof(l)); i++) {
		lines++;
		same &= csv_fields(l) == nhead;
	}
	tap_ok(lines == 5 && same, "one row per case, %d fields each (%d rows)", nhead, lines);
	line_at(t, 1, l, sizeof(l));
	{
		const char *want = "iouring,anon,warm,,WRITE|LONGTERM,67108864,16384,16384,20,ok,,,"
				   "32.0,31.5,32.5,31.0,33.0,20,";

		tap_ok(!strncmp(l, want, strlen(want)), "ok row values: %s", l);
	}
	line_at(t, 2, l, sizeof(l));
	tap_ok(strstr(l, ",error,EFAULT,") && strstr(l, ",1,,,mmap_lock-tracepoint,yes"),
	       "error row: errno, fallback 1, balanced");
	line_at(t, 3, l, sizeof(l));
	tap_ok(strstr(l, ",skipped,,\"memfd_secret: ENOSYS, \"\"secretmem.enable=0\"\"\"") != NULL,
	       "skipped row: reason quoted per RFC 4180");
	free(t);
}

/*
 * The views never trust a file: a ci95 that is not a [lo, hi] pair leaves
 * both bounds empty in the CSV, and JSON shows the document as it was read.
 */
static void test_damaged_views(void)
{
	json_object *root = json_tokener_parse(
		"{\"schema\": \"gupbench-result/2\", \"cases\": [{\"driver\": \"x\", "
		"\"pin\": {\"ns_per_page\": {\"median\": 1.5, \"ci95\": [1, 2, 3]}}}]}");
	char *t = capture(result_print_csv, root), l[1024];
	json_object *again;

	line_at(t, 1, l, sizeof(l));
	tap_ok(!strncmp(l, "x,,,,,,,,,,,,1.5,,,", strlen("x,,,,,,,,,,,,1.5,,,")),
	       "CSV: a ci95 of three values leaves lo and hi empty: %s", l);
	free(t);
	t = capture(result_print_json, root);
	again = json_tokener_parse(t);
	tap_ok(strstr(t, "\"schema\": \"gupbench-result/2\"") && again &&
	       json_object_equal(again, root), "JSON view: the document, '/' unescaped");
	json_object_put(again);
	free(t);
	json_object_put(root);
}

int main(int argc, char **argv)
{
	json_object *root, *back, *v;
	char err[256], *old, *text;
	const char *s;

	tap_plan(56);
	snprintf(dir, sizeof(dir), "/tmp/gupbench-unit-XXXXXX");
	if (!mkdtemp(dir))
		tap_skip_all("cannot make a temporary directory");

	root = result_new(argc, argv);
	tap_ok(!strcmp(json_object_get_string(json_object_object_get(root, "schema")),
		       "gupbench-result/2"), "schema gupbench-result/2");
	v = json_object_object_get(root, "tool");
	tap_ok(!strcmp(json_object_get_string(json_object_object_get(v, "name")), "gupbench") &&
	       json_object_object_get(v, "version") && json_object_object_get(v, "git"),
	       "tool: name, version, git");
	v = json_object_object_get(root, "command");
	tap_ok(json_object_array_length(v) == (size_t)argc + 1 &&
	       !strcmp(json_object_get_string(json_object_array_get_idx(v, 0)), "gupbench") &&
	       !strcmp(json_object_get_string(json_object_array_get_idx(v, 1)), argv[0]),
	       "command is gupbench followed by the subcommand's argv");
	s = json_object_get_string(json_object_object_get(root, "started"));
	tap_ok(s && strlen(s) == 20 && s[4] == '-' && s[10] == 'T' && s[19] == 'Z',
	       "started is ISO-8601 UTC (%s)", s);
	tap_ok(json_object_object_get_ex(root, "finished", &v) && !v &&
	       json_object_object_get_ex(root, "interrupted", &v) && !json_object_get_boolean(v),
	       "finished null, interrupted false");
	v = json_object_object_get(json_object_object_get(root, "system"), "kernel");
	tap_ok(json_object_get_string(json_object_object_get(v, "release")) != NULL,
	       "system.kernel.release present");
	tap_ok(json_object_object_get(json_object_object_get(root, "system"), "accelerator") != NULL,
	       "system.accelerator present");

	add_cases(root);
	tap_ok(result_write_atomic(path_in("r.json"), root) == 0, "write r.json");
	back = result_read(path_in("r.json"), err, sizeof(err));
	tap_ok(back != NULL, "read it back (%s)", back ? "ok" : err);
	tap_ok(back && json_object_equal(root, back), "round trip: equal JSON");
	tap_ok(stray_files() == 0, "no temporary file left after success");
	old = slurp(path_in("r.json"));
	tap_ok(old && strstr(old, "\"median\": 32.0") && strstr(old, " 31.3\n") &&
	       !strstr(old, "31.3000"), "numbers in shortest exact form (31.3, not 31.300...01)");
	tap_ok(old && strstr(old, "\"finished\": null") != NULL, "null written as null");
	{
		struct stat st;
		mode_t mask = umask(0);

		umask(mask);
		tap_ok(stat(path_in("r.json"), &st) == 0 && (st.st_mode & 0777) == (0644 & ~mask),
		       "file mode 0644 less umask");
	}

	/* A second write replaces the first. */
	json_object_object_add(root, "interrupted", json_object_new_boolean(1));
	tap_ok(result_write_atomic(path_in("r.json"), root) == 0, "rewrite r.json");
	json_object_put(back);
	back = result_read(path_in("r.json"), err, sizeof(err));
	tap_ok(back && json_object_get_boolean(json_object_object_get(back, "interrupted")),
	       "rewrite visible");
	free(old);
	old = slurp(path_in("r.json"));

	test_failed_writes(root, old);
	test_read_errors();
	test_table(back);
	test_csv(back);
	test_damaged_views();

	/* What printers make of a file from which everything optional is gone. */
	put(path_in("bare.json"), "{\"schema\": \"gupbench-result/1\", \"cases\": [null, 3, {}]}");
	json_object_put(back);
	back = result_read(path_in("bare.json"), err, sizeof(err));
	text = back ? capture(result_print_table, back) : NULL;
	tap_ok(text && strstr(text, "kernel ?"), "bare file: table prints placeholders");
	free(text);
	text = back ? capture(result_print_csv, back) : NULL;
	tap_ok(text && strstr(text, "\n,,,,"), "bare file: CSV rows stay empty");
	free(text);

	json_object_put(back);
	json_object_put(root);
	free(old);
	{
		char cmd[128];

		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
		if (system(cmd))
			printf("# could not remove %s\n", dir);
	}
	return tap_done();
}
