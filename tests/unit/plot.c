// SPDX-License-Identifier: GPL-2.0
/*
 * Plots through gnuplot, in a temporary directory: every kind as PNG and SVG of
 * the size asked for, the script redraws the same image on its own, strings
 * from results stay text, values that are not finite are left out, and a
 * missing or failing gnuplot gives a one-line reason and no image.
 */
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "tap.h"
#include "plot.h"

static char dir[64];

static const char *in_dir(const char *name, const char *suffix)
{
	static char buf[4][256];
	static int i;

	i = (i + 1) % 4;
	snprintf(buf[i], sizeof(buf[i]), "%s/%s%s", dir, name, suffix);
	return buf[i];
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	long n;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0) {
		buf = malloc(n + 1);
		if (buf && fread(buf, 1, n, f) != (size_t)n) {
			free(buf);
			buf = NULL;
		} else if (buf) {
			buf[n] = 0;
			*len = n;
		}
	}
	fclose(f);
	return buf;
}

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | p[1] << 16 | p[2] << 8 | p[3];
}

/* PNG signature, then IHDR first: its width and height. */
static int png_size(const char *path, int *w, int *h)
{
	static const unsigned char sig[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
	size_t len = 0;
	unsigned char *p = (unsigned char *)slurp(path, &len);
	int ok = p && len > 24 && !memcmp(p, sig, 8) && !memcmp(p + 12, "IHDR", 4);

	if (ok) {
		*w = be32(p + 16);
		*h = be32(p + 20);
	}
	free(p);
	return ok;
}

/*
 * XML-ish: every element closed in order, one root <svg>, whose width and
 * height attributes are returned. Comments, <?..?> and <!..> are skipped.
 */
static int svg_size(const char *path, int *w, int *h)
{
	char *stack[256], *buf, *p;
	int depth = 0, roots = 0, ok = 1;
	size_t len = 0;

	buf = slurp(path, &len);
	if (!buf)
		return 0;
	*w = *h = -1;
	for (p = buf; ok && (p = strchr(p, '<')); ) {
		char *end, *name;
		size_t n;

		if (!strncmp(p, "<!--", 4)) {
			end = strstr(p, "-->");
			p = end ? end + 3 : p + strlen(p);
			continue;
		}
		end = strchr(p, '>');
		if (!end) {
			ok = 0;
			break;
		}
		if (p[1] == '?' || p[1] == '!') {
			p = end + 1;
			continue;
		}
		name = p + 1 + (p[1] == '/');
		n = strcspn(name, " \t\r\n/>");
		if (p[1] == '/') {
			ok = depth > 0 && !strncmp(stack[depth - 1], name, n) &&
			     strcspn(stack[depth - 1], " \t\r\n/>") == n;
			depth--;
		} else {
			if (depth == 0) {
				roots++;
				ok = !strncmp(name, "svg", n) && n == 3;
				if (ok) {
					char *a = strstr(name, "width=\""),
					     *b = strstr(name, "height=\"");

					if (a && a < end)
						*w = atoi(a + 7);
					if (b && b < end)
						*h = atoi(b + 8);
				}
			}
			if (end[-1] != '/') {
				if (depth == 256)
					ok = 0;
				else
					stack[depth++] = name;
			}
		}
		p = end + 1;
	}
	free(buf);
	return ok && depth == 0 && roots == 1;
}

static int exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && st.st_size > 0;
}

/* No temporary file is left behind in the directory. */
static int no_tmp(void)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int clean = 1;

	while (d && (e = readdir(d)))
		if (strstr(e->d_name, ".tmp"))
			clean = 0;
	if (d)
		closedir(d);
	return d && clean;
}

/* gnuplot NAME.gp in the directory, as a user would; its exit status. */
static int rerun(const char *name)
{
	char script[128];
	pid_t pid;
	int st;

	snprintf(script, sizeof(script), "%s.gp", name);
	pid = fork();
	if (pid == 0) {
		if (chdir(dir) == 0 && freopen("/dev/null", "w", stderr))
			execlp("gnuplot", "gnuplot", script, (char *)NULL);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &st, 0) < 0)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static int same_file(const char *a, const char *b)
{
	size_t la = 0, lb = 0;
	char *pa = slurp(a, &la), *pb = slurp(b, &lb);
	int same = pa && pb && la == lb && !memcmp(pa, pb, la);

	free(pa);
	free(pb);
	return same;
}

typedef int (*plot_fn)(const struct plot_frame *, const void *, char *, size_t);

/* One plot as PNG and as SVG: its files, its image size, and the script redrawing it. */
static void check_kind(const char *name, plot_fn fn, const void *p)
{
	struct plot_frame f = {
		.dir = dir, .name = name, .title = "GUP-fast: a test",
		.caption = "kernel 6.12.117 (series on) vs 6.12.117 (series off) · test",
	};
	char why[256] = "", first[256];
	int rc, ok, w = 0, h = 0;

	rc = fn(&f, p, why, sizeof(why));
	tap_ok(rc == 0, "%s: PNG plotted%s%s", name, rc ? ": " : "", why);
	tap_ok(exists(in_dir(name, ".gp")) && exists(in_dir(name, ".dat")) &&
	       access(in_dir(name, ".log"), F_OK) == 0 && exists(in_dir(name, ".png")) && no_tmp(),
	       "%s: .gp, .dat, .log and .png there, no temporary file", name);
	ok = png_size(in_dir(name, ".png"), &w, &h);
	tap_ok(ok && w == PLOT_WIDTH && h == PLOT_HEIGHT,
	       "%s: PNG signature, IHDR %dx%d (want default %dx%d)", name, w, h,
	       PLOT_WIDTH, PLOT_HEIGHT);

	snprintf(first, sizeof(first), "%s", in_dir(name, ".first.png"));
	rename(in_dir(name, ".png"), first);
	rc = rerun(name);
	w = h = 0;
	ok = png_size(in_dir(name, ".png"), &w, &h);
	tap_ok(rc == 0 && ok && w == PLOT_WIDTH &&
	       h == PLOT_HEIGHT && same_file(first, in_dir(name, ".png")),
	       "%s: `gnuplot %s.gp` in the directory redraws the same PNG (exit %d, %dx%d)",
	       name, name, rc, w, h);
	unlink(first);

	f.format = PLOT_SVG;
	f.width = 640;
	f.height = 420;
	rc = fn(&f, p, why, sizeof(why));
	w = h = 0;
	ok = svg_size(in_dir(name, ".svg"), &w, &h);
	tap_ok(rc == 0 && ok && w == 640 && h == 420,
	       "%s: SVG well nested, root <svg width=%d height=%d> (want 640x420)%s%s",
	       name, w, h, rc ? ": " : "", rc ? why : "");
}

static int do_bars(const struct plot_frame *f, const void *p, char *why, size_t n)
{
	return plot_bars(f, p, why, n);
}

static int do_dist(const struct plot_frame *f, const void *p, char *why, size_t n)
{
	return plot_dist(f, p, why, n);
}

static int do_pages(const struct plot_frame *f, const void *p, char *why, size_t n)
{
	return plot_pages_per_call(f, p, why, n);
}

static int do_xy(const struct plot_frame *f, const void *p, char *why, size_t n)
{
	return plot_xy(f, p, why, n);
}

static int do_trend(const struct plot_frame *f, const void *p, char *why, size_t n)
{
	return plot_trend(f, p, why, n);
}

static int do_heatmap(const struct plot_frame *f, const void *p, char *why, size_t n)
{
	return plot_heatmap(f, p, why, n);
}

/* Fixtures: small, made up, shaped like an A/B result. */
static const char *groups[] = { "anon", "shmem", "hugetlb-2M" };
static const char *sides[] = { "series off", "series on" };
static const struct plot_value bar_v[] = {
	{ 20.1, 19.6, 20.7 }, { 20.9, 20.3, 21.4 },
	{ 30.2, 29.5, 30.8 }, { 31.0, 30.1, 31.9 },
	{ 12.4, 12.0, 12.9 }, { 12.5, NAN, NAN },
};
static const char *notes[] = { "+4.0% [1.2, 6.1]", NULL, "+0.8%\nnot significant" };
static double samples[6][40];
static struct plot_samples sets[6];
static struct plot_point pts[2][6];
static struct plot_series series[2] = {
	{ .name = "anon", .n = 6, .pt = pts[0] }, { .name = "shmem", .n = 6, .pt = pts[1] },
};
static struct plot_value runs[2][5];
static const char *releases[] = { "6.12.113", "6.12.114", "6.12.115", "6.12.116", "6.12.117" };
static const char *dates[] = { "2025-01-03", "2025-01-10", "2025-01-17", "2025-01-24",
			       "2025-02-01" };

static void fixtures(void)
{
	for (int k = 0; k < 6; k++) {
		for (int i = 0; i < 40; i++)
			samples[k][i] = 20 + 10 * (k / 2) + (k % 2) + ((i * 37) % 40) / 10.0;
		sets[k] = (struct plot_samples){ samples[k], 40 };
	}
	for (int s = 0; s < 2; s++)
		for (int i = 0; i < 6; i++) {
			double y = (s + 1) * 10 + 100.0 / (1 << (2 * i));

			pts[s][i] = (struct plot_point){ 1 << (2 * i), { y, y * 0.97, y * 1.04 } };
		}
	for (int c = 0; c < 2; c++)
		for (int r = 0; r < 5; r++) {
			double y = 20 + 8 * c + (c == 0 && r >= 3 ? 3 : 0);

			runs[c][r] = (struct plot_value){ y, y - 0.5, y + 0.6 };
		}
	runs[1][1].y = NAN;	/* not measured in that run */
}

static void kinds(void)
{
	struct plot_bars bars = { 3, 2, groups, sides, bar_v, notes };
	struct plot_dist box = { PLOT_BOX, 1, 3, 2, groups, sides, sets };
	struct plot_dist ecdf = { PLOT_ECDF, 0, 3, 2, groups, sides, sets };
	struct plot_xy xy = { .n_series = 2, .series = series, .yzero = 1 };
	struct plot_trend_case cases[] = { { "anon", runs[0], 3 }, { "shmem", runs[1], -1 } };
	struct plot_trend trend = { 5, 2, releases, dates, cases };

	check_kind("bars", do_bars, &bars);
	check_kind("box", do_dist, &box);
	check_kind("ecdf", do_dist, &ecdf);
	check_kind("pages", do_pages, &xy);
	check_kind("threads", do_xy, &xy);
	check_kind("trend", do_trend, &trend);
}

/* Rows of data in block `index` of a .dat: "index N:" up to the next block. */
static const char *block_of(const char *dat, int index)
{
	char want[32];

	snprintf(want, sizeof(want), "# index %d:", index);
	return dat ? strstr(dat, want) : NULL;
}

/* Curves over threads: a dashed reference per series, a line across, ticks at the data. */
static void scaling(void)
{
	struct plot_point a[3], b[3], ra[3];
	struct plot_series ser[2] = {
		{ .name = "private", .n = 3, .pt = a, .n_ref = 3, .ref = ra },
		{ .name = "shared", .n = 3, .pt = b },
	};
	struct plot_xy xy = { .n_series = 2, .series = ser, .yzero = 1, .xtics_data = 1,
			      .ysi = 1, .ref_name = "ideal" };
	struct plot_frame f = { .dir = dir, .name = "refs", .xlabel = "threads" };
	char why[256] = "", *dat, *gp, want[128];
	const char *blk;
	size_t len = 0;
	int rc;

	for (int i = 0; i < 3; i++) {
		double x = 1 << i, y = 2e7 * x * (1 - 0.2 * i);

		a[i] = (struct plot_point){ x, { y, y * 0.9, y * 1.1 } };
		b[i] = (struct plot_point){ x, { y / 2, y / 2 * 0.9, NAN } };
		ra[i] = (struct plot_point){ x, { 2e7 * x, NAN, NAN } };
	}
	check_kind("scaling", do_xy, &xy);
	rc = plot_xy(&f, &xy, why, sizeof(why));
	dat = slurp(in_dir("refs", ".dat"), &len);
	gp = slurp(in_dir("refs", ".gp"), &len);
	blk = block_of(dat, 1);
	snprintf(want, sizeof(want), "# index 1: private, reference: x, y\n"
		 "1 %.10g\n2 %.10g\n4 %.10g\n", ra[0].v.y, ra[1].v.y, ra[2].v.y);
	tap_ok(rc == 0 && blk && !strncmp(blk, want, strlen(want)) && !block_of(dat, 3),
	       "reference: a block of its own after its series' (x, y), none for a series "
	       "without%s%s", rc ? ": " : "", why);
	tap_ok(gp && strstr(gp, "'refs.dat' index 1 using 1:2 with lines lt 1 dt 2") &&
	       strstr(gp, "keyentry with lines lc rgb '#555555' dt 2 lw 1.5 title 'ideal'") &&
	       strstr(gp, "set xtics (1, 2, 4)\n") && strstr(gp, "set format y '%.1s%c'"),
	       "reference dashed in its series' colour, one key entry, ticks at 1, 2, 4, SI "
	       "y labels");
	free(dat);
	free(gp);

	xy.has_hline = 1;
	xy.hline = 1;
	ser[0].ref = NULL;
	f.name = "hline";
	rc = plot_xy(&f, &xy, why, sizeof(why));
	gp = slurp(in_dir("hline", ".gp"), &len);
	tap_ok(rc == 0 && gp && strstr(gp, "\t1 with lines lc rgb '#555555' dt 2") &&
	       strstr(gp, "title 'ideal'") && !strstr(gp, "reference"),
	       "a line across at y = 1 (efficiency), named in the key%s%s", rc ? ": " : "", why);
	free(gp);
}

/* Matrices: every finite cell a row of data and its number, NaN cells left out. */
static void heatmaps(void)
{
	const char *nodes[] = { "node 0", "node 1" }, *texts[] = { "52.9", "79.4", NULL, "54.0" };
	struct plot_value warm[4] = {
		{ 52.9, 52.8, 56.4 }, { 79.4, 79.2, 84.6 },
		{ 74.1, 73.9, 79.0 }, { 54.0, NAN, NAN },
	};
	struct plot_value cold[4] = {
		{ 1215, 1142, 1258 }, { NAN, NAN, NAN }, { 1701, 1599, 1761 }, { 1239, 1165, 1283 },
	};
	struct plot_matrix m[3] = {
		{ "warm", "remote/local 1.43", 2, 2, nodes, nodes, warm, texts },
		{ "cold", NULL, 2, 2, nodes, nodes, cold, NULL },
		{ "one", NULL, 1, 1, nodes, nodes, cold, NULL },
	};
	struct plot_heatmap hm = { 3, m };
	struct plot_frame f = { .dir = dir, .name = "cells", .xlabel = "memory node",
				.ylabel = "CPU node", .caption = "test" };
	char why[256] = "", *dat, *gp;
	const char *b0, *b1;
	size_t len = 0;
	int rc;

	check_kind("heatmap", do_heatmap, &hm);
	rc = plot_heatmap(&f, &hm, why, sizeof(why));
	dat = slurp(in_dir("cells", ".dat"), &len);
	gp = slurp(in_dir("cells", ".gp"), &len);
	b0 = block_of(dat, 0);
	b1 = block_of(dat, 1);
	tap_ok(rc == 0 && b0 && b1 && strstr(b0, "\n0 0 52.9 52.8 56.4\n") &&
	       strstr(b0, "\n1 0 79.4 79.2 84.6\n") && strstr(b0, "\n0 1 74.1 73.9 79\n") &&
	       strstr(b0, "\n1 1 54 NaN NaN\n") && strstr(b1, "\n0 1 1701 1599 1761\n") &&
	       strstr(b1, "# left out: cold, row node 0, column node 1: nan") &&
	       !strstr(b1, "\n1 0 ") && block_of(dat, 2),
	       "cells: column, row, value, lo, hi per panel; the NaN cell left out and named%s%s",
	       rc ? ": " : "", why);
	tap_ok(gp && strstr(gp, "set label 100 '52.9' at 0, 0") &&
	       strstr(gp, "set label 102 '74.1' at 0, 1") && strstr(gp, "'1701' at 0, 1") &&
	       strstr(gp, "set title 'warm' . \"\\n\" . 'remote/local 1.43'") &&
	       strstr(gp, "set ytics ('node 0' 0, 'node 1' 1)") &&
	       strstr(gp, "1 value left out (see cells.dat)") && strstr(gp, "set multiplot"),
	       "each cell's number (given, or from its value), panel titles, row ticks, the "
	       "left-out count");
	/* the largest cell of a panel is dark: its number white, the smallest's black */
	tap_ok(gp && strstr(gp, "'79.4' at 1, 0 center front font ',11' tc rgb '#ffffff'") &&
	       strstr(gp, "'52.9' at 0, 0 center front font ',11' tc rgb '#000000'"),
	       "numbers white on the dark end of a panel's scale, black on the light end");
	free(dat);
	free(gp);

	m[2].n_cols = 0;
	f.name = "nocells";
	why[0] = 0;
	rc = plot_heatmap(&f, &hm, why, sizeof(why));
	tap_ok(rc == -1 && strstr(why, "panel 3 has no cells") && no_tmp(),
	       "a panel without cells: refused (\"%s\")", why);
}

/* Strings from a result file are text: no command, macro, backquote or markup runs. */
static void injection(void)
{
	const char *evil[] = {
		"x\"; system(\"touch pwned1\"); \"",
		"x'; system('touch pwned2'); '",
		"x`touch pwned3`",
		"a\nsystem('touch pwned4')",
		"@evil \\ {b}_c^d & <e>",
		"x''' . system('touch pwned5') . '''",
	};
	const char *notes6[] = { evil[0], evil[1], evil[2], evil[3], evil[4], evil[5] };
	struct plot_value v[12];
	struct plot_bars bars = { 6, 2, evil, evil + 4, v, notes6 };
	struct plot_frame f = {
		.dir = dir, .name = "evil", .format = PLOT_SVG,
		.title = evil[1], .caption = evil[0], .xlabel = evil[2], .ylabel = evil[5],
	};
	char why[256] = "", *svg, name[32];
	size_t len = 0;
	int rc, w, h, pwned = 0;

	for (int i = 0; i < 12; i++)
		v[i] = (struct plot_value){ 10 + i, 9 + i, 11 + i };
	rc = plot_bars(&f, &bars, why, sizeof(why));
	for (int i = 1; i <= 5; i++) {
		snprintf(name, sizeof(name), "pwned%d", i);
		pwned += access(in_dir(name, ""), F_OK) == 0;
	}
	tap_ok(rc == 0 && !pwned, "hostile names: plotted, no command ran (%d files made)%s%s",
	       pwned, rc ? ": " : "", why);
	svg = slurp(in_dir("evil", ".svg"), &len);
	tap_ok(svg && svg_size(in_dir("evil", ".svg"), &w, &h) &&
	       strstr(svg, "x\"; system(\"touch pwned1\"); \"") &&
	       strstr(svg, "x'; system('touch pwned2'); '") && strstr(svg, "x`touch pwned3`") &&
	       strstr(svg, "@evil \\ {b}_c^d &amp; &lt;e>") &&
	       strstr(svg, "x''' . system('touch pwned5') . '''"),
	       "hostile names: printed literally in the SVG (quotes, backquotes, @, \\, {}_^, &)");
	tap_ok(svg && strstr(svg, ">a</text>") && strstr(svg, ">system('touch pwned4')</text>"),
	       "hostile names: a newline is a line break, not a new command");
	free(svg);
}

/* Some data row (not a comment) of text holds word. */
static int rows_have(const char *text, const char *word)
{
	const char *line = text, *eol;

	for (; line && *line; line = eol ? eol + 1 : NULL) {
		const char *hit = strcasestr(line, word);

		eol = strchr(line, '\n');
		if (*line != '#' && hit && (!eol || hit < eol))
			return 1;
	}
	return 0;
}

static void not_finite(void)
{
	struct plot_value v[] = {
		{ 20, 19, 21 }, { NAN, 20, 22 }, { 30, 29, 31 }, { INFINITY, 0, 0 },
	};
	struct plot_bars bars = { 2, 2, groups, sides, v, NULL };
	struct plot_frame f = { .dir = dir, .name = "nan", .caption = "caption" };
	char why[256] = "", *dat, *gp;
	size_t len = 0;
	int rc;

	rc = plot_bars(&f, &bars, why, sizeof(why));
	dat = slurp(in_dir("nan", ".dat"), &len);
	gp = slurp(in_dir("nan", ".gp"), &len);
	tap_ok(rc == 0 && exists(in_dir("nan", ".png")), "NaN and inf medians: still plotted%s%s",
	       rc ? ": " : "", why);
	tap_ok(dat && gp && strstr(dat, "# left out: anon, series on: median nan") &&
	       strstr(dat, "# left out: shmem, series on: median inf") &&
	       strstr(gp, "2 values left out (see nan.dat)") && !rows_have(dat, "nan") &&
	       !rows_have(dat, "inf"),
	       "NaN and inf medians: left out of the data, named in it, counted in the caption");
	free(dat);
	free(gp);

	for (int i = 0; i < 4; i++)
		v[i].y = NAN;
	f.name = "allnan";
	why[0] = 0;
	rc = plot_bars(&f, &bars, why, sizeof(why));
	tap_ok(rc == -1 && strstr(why, "nothing to plot (4 values left out)") &&
	       access(in_dir("allnan", ".png"), F_OK) && no_tmp(),
	       "only NaN: -1, \"%s\", no image", why);
}

static void failures(void)
{
	struct plot_bars bars = { 3, 2, groups, sides, bar_v, NULL };
	struct plot_frame f = { .dir = dir, .name = "fail" };
	char why[256] = "", *path = getenv("PATH") ? strdup(getenv("PATH")) : NULL;
	FILE *old;
	int rc;

	setenv("GUPBENCH_GNUPLOT", "/nonexistent/gnuplot", 1);
	rc = plot_bars(&f, &bars, why, sizeof(why));
	tap_ok(rc == -1 && !strcmp(why, "gnuplot not found (run scripts/setup.sh)") &&
	       access(in_dir("fail", ".png"), F_OK) && no_tmp(),
	       "GUPBENCH_GNUPLOT missing: -1, \"%s\", no image", why);

	unsetenv("GUPBENCH_GNUPLOT");
	setenv("PATH", "/nonexistent", 1);
	why[0] = 0;
	rc = plot_bars(&f, &bars, why, sizeof(why));
	if (path)
		setenv("PATH", path, 1);
	tap_ok(rc == -1 && !strcmp(why, "gnuplot not found (run scripts/setup.sh)"),
	       "no gnuplot on PATH: -1, \"%s\"", why);

	/* An image from before must not outlive a failed plot of new numbers. */
	old = fopen(in_dir("fail", ".png"), "w");
	if (old) {
		fputs("an older image", old);
		fclose(old);
	}
	setenv("GUPBENCH_GNUPLOT", "false", 1);
	why[0] = 0;
	rc = plot_bars(&f, &bars, why, sizeof(why));
	unsetenv("GUPBENCH_GNUPLOT");
	tap_ok(rc == -1 && !strncmp(why, "plot: gnuplot failed", 20) && !strchr(why, '\n') &&
	       access(in_dir("fail", ".png"), F_OK) && no_tmp(),
	       "gnuplot failing: -1, one line (\"%s\"), no image, no temporary file", why);

	why[0] = 0;
	f.name = "../escape";
	rc = plot_bars(&f, &bars, why, sizeof(why));
	tap_ok(rc == -1 && strstr(why, "bad name"), "a name with '/': refused (\"%s\")", why);
	f.name = "small";
	f.width = 10;
	why[0] = 0;
	rc = plot_bars(&f, &bars, why, sizeof(why));
	tap_ok(rc == -1 && strstr(why, "size"), "a 10-pixel plot: refused (\"%s\")", why);
	free(path);
}

static int have_gnuplot(void)
{
	pid_t pid = fork();
	int st;

	if (pid == 0) {
		if (freopen("/dev/null", "w", stdout) && freopen("/dev/null", "w", stderr))
			execlp("gnuplot", "gnuplot", "--version", (char *)NULL);
		_exit(127);
	}
	return pid > 0 && waitpid(pid, &st, 0) == pid && WIFEXITED(st) && !WEXITSTATUS(st);
}

static void remove_dir(void)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	while (d && (e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			unlink(in_dir(e->d_name, ""));
	if (d)
		closedir(d);
	rmdir(dir);
}

int main(void)
{
	if (!have_gnuplot())
		tap_skip_all("gnuplot not installed (scripts/setup.sh installs it)");
	snprintf(dir, sizeof(dir), "/tmp/gupbench-plot.XXXXXX");
	if (!mkdtemp(dir)) {
		printf("Bail out! mkdtemp: %s\n", strerror(errno));
		return KSFT_FAIL;
	}
	unsetenv("GUPBENCH_GNUPLOT");
	tap_plan(6 * 5 + 3 + 3 + 5 + (5 + 3) + (5 + 4));
	fixtures();
	kinds();
	scaling();
	heatmaps();
	injection();
	not_finite();
	failures();
	if (getenv("GUPBENCH_KEEP"))
		fprintf(stderr, "# plots kept in %s\n", dir);
	else
		remove_dir();
	return tap_done();
}
