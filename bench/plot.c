// SPDX-License-Identifier: GPL-2.0
/*
 * The part every plot shares: a gnuplot script and its data file written
 * beside the image, every string quoted so it prints as itself, and gnuplot
 * run without a shell in the output directory.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "plot_gp.h"
#include "util.h"

/* Okabe-Ito: told apart with the common colour-vision deficiencies, and in grey. */
static const char *const colours[] = {
	"#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#000000", "#999999",
};
static const int point_types[] = { 7, 5, 9, 11, 13, 15, 7, 5 };

static const char *ext(const struct plot_frame *f)
{
	return f->format == PLOT_SVG ? "svg" : "png";
}

const char *gp_colour(size_t i)
{
	return colours[i % (sizeof(colours) / sizeof(colours[0]))];
}

static void path(const struct gp *g, const char *suffix, char *buf, size_t n)
{
	snprintf(buf, n, "%s/%s%s", g->f->dir, g->f->name, suffix);
}

static int name_ok(const char *s)
{
	if (!s || !*s || *s == '.' || strlen(s) > 200)
		return 0;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || strchr("._+-", *s)))
			return 0;
	return 1;
}

void gp_str(FILE *o, const char *s)
{
	/*
	 * In single quotes gnuplot expands nothing: no backslash, macro or
	 * backquote. A quote is joined on from double quotes: gnuplot 5.4 reads
	 * runs of '' (the documented escape) wrongly.
	 */
	fputc('\'', o);
	for (; s && *s; s++) {
		unsigned char c = *s;

		if (c == '\'')
			fputs("' . \"'\" . '", o);
		else if (c == '\n')
			fputs("' . \"\\n\" . '", o);	/* a line break, as a string expression */
		else if (c < 0x20 || c == 0x7f)
			fputc(' ', o);	/* a carriage return would end the command */
		else
			fputc(c, o);
	}
	fputc('\'', o);
}

void gp_name(FILE *o, const char *s)
{
	gp_str(o, s && *s ? s : "?");
}

const char *gp_or(const char *s)
{
	return s ? s : "?";
}

void gp_num(FILE *o, double d)
{
	fprintf(o, "%.10g", d);
}

/* Like gp_str(), for a comment line in the data file. */
static void comment_text(FILE *o, const char *s)
{
	for (; s && *s; s++)
		fputc((unsigned char)*s < 0x20 ? ' ' : *s, o);
}

int gp_block(struct gp *g, const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	/* Two blank lines end a block; a new one starts with its name. */
	fprintf(g->dat, "%s# index %d: ", g->blocks ? "\n\n" : "", g->blocks);
	comment_text(g->dat, buf);
	fputc('\n', g->dat);
	return g->blocks++;
}

void gp_row_end(struct gp *g)
{
	fputc('\n', g->dat);
	g->rows++;
}

static void vcomment(struct gp *g, const char *prefix, const char *fmt, va_list ap)
{
	char buf[512];

	vsnprintf(buf, sizeof(buf), fmt, ap);
	fprintf(g->dat, "# %s", prefix);
	comment_text(g->dat, buf);
	fputc('\n', g->dat);
}

void gp_comment(struct gp *g, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vcomment(g, "", fmt, ap);
	va_end(ap);
}

void gp_skip(struct gp *g, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vcomment(g, "left out: ", fmt, ap);
	va_end(ap);
	g->skipped++;
}

int gp_finite(struct gp *g, double d, const char *what, const char *name)
{
	if (isfinite(d))
		return 1;
	gp_skip(g, "%s of %s is %g", what, gp_or(name), d);
	return 0;
}

static void remove_tmp(struct gp *g)
{
	char p[PATH_MAX];

	if (g->gp)
		fclose(g->gp);
	if (g->dat)
		fclose(g->dat);
	g->gp = g->dat = NULL;
	path(g, ".gp.tmp", p, sizeof(p));
	unlink(p);
	path(g, ".dat.tmp", p, sizeof(p));
	unlink(p);
}

int gp_fail(struct gp *g, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (g->why && g->n)
		vsnprintf(g->why, g->n, fmt, ap);
	va_end(ap);
	remove_tmp(g);
	return -1;
}

int gp_open(struct gp *g, const struct plot_frame *f, const char *kind, char *why, size_t n)
{
	char p[PATH_MAX];
	size_t i;

	memset(g, 0, sizeof(*g));
	g->why = why;
	g->n = n;
	if (!f || !f->dir || strlen(f->dir) > PATH_MAX - 300 || !name_ok(f->name)) {
		set_reason(why, n, "plot: bad name '%s' (letters, digits, '.', '_', '+', '-')",
			   f && f->name ? f->name : "");
		return -1;
	}
	g->f = f;
	g->width = f->width ? f->width : PLOT_WIDTH;
	g->height = f->height ? f->height : PLOT_HEIGHT;
	if (g->width < 100 || g->width > 10000 || g->height < 100 || g->height > 10000) {
		set_reason(why, n, "plot: size %dx%d out of range (100 to 10000 pixels)",
			   g->width, g->height);
		return -1;
	}
	path(g, ".gp.tmp", p, sizeof(p));
	g->gp = fopen(p, "w");
	if (!g->gp)
		return gp_fail(g, "plot: %s: %s", p, strerror(errno));
	path(g, ".dat.tmp", p, sizeof(p));
	g->dat = fopen(p, "w");
	if (!g->dat)
		return gp_fail(g, "plot: %s: %s", p, strerror(errno));

	fprintf(g->dat, "# gupbench %s plot: the numbers %s.gp draws\n", kind, f->name);
	fprintf(g->gp,
		"# gupbench %s plot. Redraw it in this directory: gnuplot %s.gp\n"
		"# as SVG: gnuplot -e \"fmt='svg'\" %s.gp    (numbers: %s.dat)\n"
		"if (!exists('fmt')) fmt = '%s'\n"
		"if (!exists('out')) out = '%s.' . fmt\n"
		"if (fmt eq 'svg') {\n"
		"\tset terminal svg size %d,%d font 'sans-serif,11' noenhanced"
		" background rgb 'white'\n"
		"} else {\n"
		"\tset terminal pngcairo size %d,%d font 'sans-serif,10' noenhanced"
		" background rgb 'white'\n"
		"}\n"
		"set output out\n"
		"set encoding utf8\n",
		kind, f->name, f->name, f->name, ext(f), f->name,
		g->width, g->height, g->width, g->height);
	for (i = 0; i < sizeof(colours) / sizeof(colours[0]); i++)
		fprintf(g->gp, "set linetype %zu lc rgb '%s' lw 2 pt %d ps 1\n",
			i + 1, colours[i], point_types[i]);
	fprintf(g->gp, "set linetype cycle %zu\n", i);
	return 0;
}

void gp_frame(struct gp *g, const char *xlabel, const char *ylabel)
{
	const struct plot_frame *f = g->f;
	int caption = f->caption || g->skipped, lines = 1;
	double top = f->title ? 34.0 / g->height : 0, bottom;
	FILE *o = g->gp;

	/*
	 * The title and the caption get strips of the canvas of their own; the
	 * plot, with margins gnuplot sizes for the key and tick labels, gets the
	 * rest (gnuplot would draw the key above a title).
	 */
	for (const char *c = f->caption; c && *c; c++)
		lines += *c == '\n';
	/* a caption line is 11 pixels; a label's first line is at its place, the rest below */
	bottom = caption ? (28.0 + 11 * (lines - 1)) / g->height : 0;
	g->area_bottom = bottom;
	g->area_height = 1 - top - bottom;
	fprintf(o, "set origin 0,%.4f\nset size 1,%.4f\n", bottom, 1 - top - bottom);
	if (f->title) {
		fputs("set label 1 ", o);
		gp_str(o, f->title);
		fprintf(o, " at screen 0.5, screen %.4f center font ',12'\n", 1 - 18.0 / g->height);
	}
	if (caption) {
		char more[96] = "";

		if (g->skipped)
			snprintf(more, sizeof(more), "%s%zu value%s left out (see %s.dat)",
				 f->caption ? " · " : "", g->skipped, g->skipped == 1 ? "" : "s",
				 f->name);
		fputs("set label 2 ", o);
		gp_str(o, f->caption);
		fputs(" . ", o);
		gp_str(o, more);
		fprintf(o, " at screen 0.01, screen %.4f left font ',8' tc rgb '#555555'\n",
			(12.0 + 11 * (lines - 1)) / g->height);
	}
	xlabel = f->xlabel ? f->xlabel : xlabel;
	ylabel = f->ylabel ? f->ylabel : ylabel ? ylabel : "ns per 4 KiB page";
	if (xlabel) {
		fputs("set xlabel ", o);
		gp_str(o, xlabel);
		fputc('\n', o);
	}
	fputs("set ylabel ", o);
	gp_str(o, ylabel);
	fputs("\n"
	      "set border 3 lc rgb '#444444'\n"
	      "set tics nomirror\n"
	      "set grid ytics lt 1 lw 1 lc rgb '#e0e0e0'\n"
	      "set key outside top center horizontal samplen 2 spacing 1.1\n", o);
}

static int close_rename(struct gp *g, FILE **fp, const char *suffix, const char *tmp_suffix)
{
	char tmp[PATH_MAX], dst[PATH_MAX];
	int bad = ferror(*fp);

	if (fclose(*fp))
		bad = 1;
	*fp = NULL;
	path(g, suffix, dst, sizeof(dst));
	path(g, tmp_suffix, tmp, sizeof(tmp));
	if (bad || rename(tmp, dst))
		return gp_fail(g, "plot: cannot write %s: %s", dst, strerror(errno ? errno : EIO));
	return 0;
}

/* The last line gnuplot printed that says something: its error, as a rule. */
static void last_line(const char *log, char *buf, size_t n)
{
	char line[512];
	FILE *f = fopen(log, "r");

	snprintf(buf, n, "no message");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = 0;
		if (strspn(line, " \t^") != strlen(line))
			snprintf(buf, n, "%s", line + strspn(line, " \t"));
	}
	fclose(f);
}

/* Run gnuplot in the output directory: image to a temporary name, stderr to NAME.log. */
static int run_gnuplot(struct gp *g, const char *tmp_image)
{
	const char *bin = getenv("GUPBENCH_GNUPLOT");
	char log[PATH_MAX], script[PATH_MAX], expr[PATH_MAX + 64], msg[256];
	int pfd[2], err = 0, logfd, status;
	pid_t pid;

	if (!bin || !*bin)
		bin = "gnuplot";
	path(g, ".log", log, sizeof(log));
	snprintf(script, sizeof(script), "%s.gp", g->f->name);
	/* Names passed name_ok(): nothing in them needs quoting. */
	snprintf(expr, sizeof(expr), "fmt='%s'; out='%s'", ext(g->f), tmp_image);
	logfd = open(log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (logfd < 0)
		return gp_fail(g, "plot: %s: %s", log, strerror(errno));
	if (pipe2(pfd, O_CLOEXEC)) {
		close(logfd);
		return gp_fail(g, "plot: pipe: %s", strerror(errno));
	}
	pid = fork();
	if (pid < 0) {
		err = errno;
		close(logfd);
		close(pfd[0]);
		close(pfd[1]);
		return gp_fail(g, "plot: fork: %s", strerror(err));
	}
	if (pid == 0) {
		int in = open("/dev/null", O_RDONLY);

		if (in < 0 || dup2(in, 0) < 0 || dup2(logfd, 1) < 0 || dup2(logfd, 2) < 0 ||
		    chdir(g->f->dir)) {
			err = errno;
		} else {
			execlp(bin, bin, "-e", expr, script, (char *)NULL);
			err = errno;
		}
		/* The parent learns why through the pipe the exec would have closed. */
		if (write(pfd[1], &err, sizeof(err)) < 0)
			_exit(126);
		_exit(127);
	}
	close(pfd[1]);
	close(logfd);
	if (read(pfd[0], &err, sizeof(err)) != sizeof(err))
		err = 0;
	close(pfd[0]);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return gp_fail(g, "plot: waitpid: %s", strerror(errno));
	if (err == ENOENT)
		return gp_fail(g, "gnuplot not found (run scripts/setup.sh)");
	if (err)
		return gp_fail(g, "plot: cannot run %s: %s", bin, strerror(err));
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		last_line(log, msg, sizeof(msg));
		return gp_fail(g, "plot: gnuplot failed (%s): %s", log, msg);
	}
	return 0;
}

int gp_finish(struct gp *g)
{
	char tmp[PATH_MAX], dst[PATH_MAX], tmp_name[NAME_MAX + 1], sfx[8];
	struct stat st;

	fputc('\n', g->dat);
	/* gnuplot fails on a plot without one point: say why, in our words. */
	if (!g->rows)
		return gp_fail(g, "plot: %s: nothing to plot (%zu value%s left out)", g->f->name,
			       g->skipped, g->skipped == 1 ? "" : "s");
	if (close_rename(g, &g->dat, ".dat", ".dat.tmp") ||
	    close_rename(g, &g->gp, ".gp", ".gp.tmp"))
		return -1;
	snprintf(sfx, sizeof(sfx), ".%s", ext(g->f));
	path(g, sfx, dst, sizeof(dst));
	snprintf(tmp_name, sizeof(tmp_name), "%s.%s.tmp%d", g->f->name, ext(g->f), (int)getpid());
	snprintf(tmp, sizeof(tmp), "%s/%s", g->f->dir, tmp_name);
	/* An image left from an earlier plot would not match the new script. */
	unlink(dst);
	if (run_gnuplot(g, tmp_name)) {
		unlink(tmp);
		return -1;
	}
	if (stat(tmp, &st) || !st.st_size) {
		unlink(tmp);
		return gp_fail(g, "plot: gnuplot wrote no image (%s/%s.log)", g->f->dir,
			       g->f->name);
	}
	if (rename(tmp, dst)) {
		unlink(tmp);
		return gp_fail(g, "plot: %s: %s", dst, strerror(errno));
	}
	return 0;
}
