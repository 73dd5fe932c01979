// SPDX-License-Identifier: GPL-2.0
/* One directive of a report: its command line, run, and what the report shows of it. */
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>
#include "report.h"

#define OPEN "<!-- "
#define CLOSE " -->"

static int add_arg(struct directive *d, const char *s, size_t len)
{
	char **v = realloc(d->argv, (d->argc + 2) * sizeof(*v));

	if (!v)
		return -1;
	d->argv = v;
	if (!(v[d->argc] = strndup(s, len)))
		return -1;
	v[++d->argc] = NULL;
	return 0;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A word: a glob's matches in byte order (not the locale's: the report must not change). */
static int add_word(struct directive *d, const char *w, char *err, size_t n)
{
	glob_t g;
	int rc;

	if (!strpbrk(w, "*?["))
		return add_arg(d, w, strlen(w));
	rc = glob(w, GLOB_NOSORT, NULL, &g);
	if (rc == GLOB_NOMATCH) {
		snprintf(err, n, "%s matches nothing", w);
		return -1;
	}
	if (rc) {
		snprintf(err, n, "%s: cannot expand", w);
		return -1;
	}
	qsort(g.gl_pathv, g.gl_pathc, sizeof(*g.gl_pathv), by_name);
	for (size_t i = 0; i < g.gl_pathc && !rc; i++)
		rc = add_arg(d, g.gl_pathv[i], strlen(g.gl_pathv[i]));
	globfree(&g);
	if (rc)
		snprintf(err, n, "out of memory");
	return rc;
}

int directive_parse(const char *line, struct directive *d, char *err, size_t n)
{
	size_t len = strlen(line);
	char *body, *p, *word;
	int rc = 0;

	memset(d, 0, sizeof(*d));
	if (len < strlen(OPEN) + strlen(CLOSE) || strncmp(line, OPEN, strlen(OPEN)) ||
	    strcmp(line + len - strlen(CLOSE), CLOSE))
		return 0;
	body = strndup(line + strlen(OPEN), len - strlen(OPEN) - strlen(CLOSE));
	if (!body) {
		snprintf(err, n, "out of memory");
		return -1;
	}
	p = body;
	if (!strncmp(p, "![", 2) && strchr(p, ']')) {
		char *end = strchr(p, ']');

		d->caption = strndup(p + 2, end - p - 2);
		p = end + 1;
		p += strspn(p, " \t");
	}
	if (strncmp(p, "gupbench", 8) || (p[8] != ' ' && p[8] != '\t')) {
		free(body);
		directive_free(d);
		return 0;
	}
	word = malloc(strlen(p) + 1);
	while (word && !rc) {
		size_t w = 0;
		char quote = 0;

		p += strspn(p, " \t");
		if (!*p)
			break;
		for (; *p && (quote || (*p != ' ' && *p != '\t')); p++) {
			if (quote && *p == quote)
				quote = 0;
			else if (!quote && (*p == '\'' || *p == '"'))
				quote = *p;
			else
				word[w++] = *p;
		}
		word[w] = '\0';
		if (quote) {
			snprintf(err, n, "a quote (%c) is not closed", quote);
			rc = -1;
		} else if (d->argc == 0) {
			rc = add_arg(d, word, w);
		} else {
			rc = add_word(d, word, err, n);
		}
	}
	if (!word) {
		snprintf(err, n, "out of memory");
		rc = -1;
	}
	free(word);
	free(body);
	if (!rc && d->argc < 2) {
		snprintf(err, n, "no gupbench command");
		rc = -1;
	}
	if (rc) {
		directive_free(d);
		return -1;
	}
	return 1;
}

void directive_free(struct directive *d)
{
	for (int i = 0; i < d->argc; i++)
		free(d->argv[i]);
	free(d->argv);
	free(d->caption);
	memset(d, 0, sizeof(*d));
}

/* The whole of an unlinked temporary file, NUL-terminated. */
static char *slurp_fd(int fd, size_t *len)
{
	size_t cap = 4096;
	char *buf = malloc(cap);
	ssize_t r;

	*len = 0;
	if (!buf || lseek(fd, 0, SEEK_SET) < 0) {
		free(buf);
		return NULL;
	}
	while ((r = read(fd, buf + *len, cap - *len - 1)) != 0) {
		if (r < 0) {
			if (errno == EINTR)
				continue;
			free(buf);
			return NULL;
		}
		*len += r;
		if (*len + 1 == cap) {
			char *v = realloc(buf, cap *= 2);

			if (!v) {
				free(buf);
				return NULL;
			}
			buf = v;
		}
	}
	buf[*len] = '\0';
	return buf;
}

static int tmp_fd(void)
{
	char name[] = "/tmp/gupbench-report.XXXXXX";
	int fd = mkstemp(name);

	if (fd >= 0)
		unlink(name);
	return fd;
}

/* exe ARGV with stdout and stderr to the two files; its wait status, or -1. */
static int run(const char *exe, char **argv, int out, int errfd)
{
	pid_t pid;
	int status;

	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return -1;
	if (!pid) {
		int null = open("/dev/null", O_RDONLY);

		if (null < 0 || dup2(null, 0) < 0 || dup2(out, 1) < 0 || dup2(errfd, 2) < 0)
			_exit(127);
		execv(exe, argv);
		dprintf(2, "cannot run %s: %s\n", exe, strerror(errno));
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return status;
}

static bool wants_markdown(const struct directive *d)
{
	for (int i = 1; i < d->argc; i++) {
		const char *a = d->argv[i];

		if (!strcmp(a, "-fmarkdown") || !strcmp(a, "--format=markdown") ||
		    ((!strcmp(a, "-f") || !strcmp(a, "--format")) && i + 1 < d->argc &&
		     !strcmp(d->argv[i + 1], "markdown")))
			return true;
	}
	return false;
}

/* Output that is one line naming a .png or .svg file: that path (malloc'd); else NULL. */
static char *image_path(const char *text)
{
	size_t len = strlen(text);

	while (len && (text[len - 1] == '\n' || text[len - 1] == ' '))
		len--;
	if (len < 5 || memchr(text, '\n', len) ||
	    (strncmp(text + len - 4, ".png", 4) && strncmp(text + len - 4, ".svg", 4)))
		return NULL;
	return strndup(text, len);
}

static int append(char **out, size_t *len, const char *fmt, ...)
{
	va_list ap;
	char *s, *v;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (n < 0)
		return -1;
	v = realloc(*out, *len + n + 1);
	if (!v) {
		free(s);
		return -1;
	}
	memcpy(v + *len, s, n + 1);
	*out = v;
	*len += n;
	free(s);
	return 0;
}

/* What the report shows of text, the command's stdout. */
static int show(const struct directive *d, const char *text, size_t tlen, char **out,
		size_t *len, char *err, size_t n)
{
	const char *nl = tlen && text[tlen - 1] == '\n' ? "" : "\n";
	const char *link, *base, *dot;
	char *img, *cwd;
	int rc;

	if (wants_markdown(d))
		return append(out, len, "%s%s", text, nl);
	img = image_path(text);
	if (!img)
		return append(out, len, "```\n%s%s```\n", text, nl);
	/* the report links it from the top, where it is written */
	link = img;
	cwd = getcwd(NULL, 0);
	if (cwd && !strncmp(img, cwd, strlen(cwd)) && img[strlen(cwd)] == '/')
		link = img + strlen(cwd) + 1;
	free(cwd);
	if (access(link, R_OK)) {
		snprintf(err, n, "printed %s, which cannot be read", link);
		free(img);
		return -1;
	}
	base = strrchr(link, '/') ? strrchr(link, '/') + 1 : link;
	dot = strrchr(base, '.');
	if (d->caption)
		rc = append(out, len, "![%s](%s)\n", d->caption, link);
	else
		rc = append(out, len, "![%.*s](%s)\n", (int)(dot - base), base, link);
	free(img);
	return rc;
}

/* A regression is what compare and history exist to say: exit 1 is their verdict. */
static bool succeeded(const struct directive *d, int status)
{
	if (!WIFEXITED(status))
		return false;
	if (WEXITSTATUS(status) == 0)
		return true;
	return WEXITSTATUS(status) == 1 &&
	       (!strcmp(d->argv[1], "compare") || !strcmp(d->argv[1], "history"));
}

int directive_run(const struct directive *d, const char *exe, char **out, size_t *len,
		  char *err, size_t n)
{
	int fo = tmp_fd(), fe = tmp_fd(), status, rc = -1;
	char *text = NULL, *etext = NULL;
	size_t tlen = 0, elen = 0;

	err[0] = '\0';
	if (fo < 0 || fe < 0) {
		snprintf(err, n, "no temporary file: %s", strerror(errno));
		goto out;
	}
	status = run(exe, d->argv, fo, fe);
	if (status < 0) {
		snprintf(err, n, "cannot run %s: %s", exe, strerror(errno));
		goto out;
	}
	text = slurp_fd(fo, &tlen);
	etext = slurp_fd(fe, &elen);
	if (!text || !etext) {
		snprintf(err, n, "cannot read its output");
		goto out;
	}
	if (!succeeded(d, status)) {
		char how[32];

		if (WIFEXITED(status))
			snprintf(how, sizeof(how), "exit %d", WEXITSTATUS(status));
		else
			snprintf(how, sizeof(how), "signal %d", WIFSIGNALED(status) ?
				 WTERMSIG(status) : 0);
		snprintf(err, n, "%s: %.*s", how, (int)strcspn(etext, "\n"), etext);
		goto out;
	}
	if (!tlen) {
		snprintf(err, n, "printed nothing");
		goto out;
	}
	/*
	 * What a command that succeeded says on stderr (plot's "left out ...") is also in
	 * its output (the caption); a report run stays one line or none.
	 */
	rc = show(d, text, tlen, out, len, err, n);
	if (rc && !*err)
		snprintf(err, n, "out of memory");
out:
	if (fo >= 0)
		close(fo);
	if (fe >= 0)
		close(fe);
	free(text);
	free(etext);
	return rc;
}
