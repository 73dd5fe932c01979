// SPDX-License-Identifier: GPL-2.0
/*
 * gupbench report [IN]: the report with every directive's output in place. Each table
 * of REPORT.md is a gupbench command line in the file, above what it printed; the
 * prose around is written by hand in IN (report/REPORT.in.md). Expanding a report
 * already expanded gives the same bytes: what lies between a directive and its
 * <!-- end --> is replaced, everything else is copied.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "gupbench.h"
#include "cli.h"
#include "commands.h"
#include "report.h"
#include "util.h"

#define REPORT_USAGE \
	"usage: gupbench report [-o OUT] [--check] [IN]\n" \
	"  IN           the report with its directives (default report/REPORT.in.md)\n" \
	"  -o OUT       where to write it (default REPORT.md), atomically: a failed\n" \
	"               directive leaves OUT as it was\n" \
	"  --check      write nothing; exit 1 if OUT is not what IN gives\n" \
	"A directive is a line <!-- gupbench ARGS... --> (an image: <!-- ![caption]\n" \
	"gupbench ARGS... -->), then a line <!-- end -->. Commands run from the current\n" \
	"directory; globs in ARGS are expanded there, in byte order.\n"

static char *read_all(const char *path, size_t *len)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	size_t cap = 0, r;

	*len = 0;
	if (!f)
		return NULL;
	for (;;) {
		if (*len + 4096 > cap) {
			char *v = realloc(buf, cap = 2 * cap + 4096);

			if (!v)
				break;
			buf = v;
		}
		r = fread(buf + *len, 1, cap - *len - 1, f);
		*len += r;
		if (r == 0)
			break;
	}
	if (ferror(f) || !buf) {
		fclose(f);
		free(buf);
		errno = errno ? errno : EIO;
		return NULL;
	}
	fclose(f);
	buf[*len] = '\0';
	return buf;
}

static int append_text(char **out, size_t *len, const char *s, size_t n)
{
	char *v = realloc(*out, *len + n + 1);

	if (!v)
		return -1;
	memcpy(v + *len, s, n);
	v[*len + n] = '\0';
	*out = v;
	*len += n;
	return 0;
}

/*
 * The expanded report of text (named in): each directive line, a blank line, what it
 * shows, a blank line and <!-- end -->. 0, or -1 after one line on stderr.
 */
static int expand(const char *in, const char *text, const char *exe, char **out,
		  size_t *len)
{
	const char *p = text;
	unsigned int lineno = 0, at;
	char err[512];

	while (*p) {
		size_t n = strcspn(p, "\n");
		char *line = strndup(p, n);
		struct directive d;
		int rc;

		at = ++lineno;
		if (!line)
			goto oom;
		rc = directive_parse(line, &d, err, sizeof(err));
		if (rc < 0) {
			fprintf(stderr, "gupbench report: %s:%u: %s: %s\n", in, lineno, line, err);
			free(line);
			return -1;
		}
		p += n + (p[n] == '\n');
		if (append_text(out, len, line, n) || append_text(out, len, "\n", 1)) {
			free(line);
			goto oom;
		}
		if (rc == 0) {
			free(line);
			continue;
		}
		/* drop what it printed last time, up to its end */
		for (;;) {
			size_t m = strcspn(p, "\n");

			if (!*p) {
				fprintf(stderr, "gupbench report: %s:%u: %s: no %s line after it\n",
					in, at, line, REPORT_END);
				directive_free(&d);
				free(line);
				return -1;
			}
			lineno++;
			if (m == strlen(REPORT_END) && !strncmp(p, REPORT_END, m)) {
				p += m + (p[m] == '\n');
				break;
			}
			p += m + (p[m] == '\n');
		}
		if (append_text(out, len, "\n", 1) ||
		    directive_run(&d, exe, out, len, err, sizeof(err)) ||
		    append_text(out, len, "\n" REPORT_END "\n", strlen(REPORT_END) + 2)) {
			fprintf(stderr, "gupbench report: %s:%u: %s: %s\n", in, at, line,
				*err ? err : "out of memory");
			directive_free(&d);
			free(line);
			return -1;
		}
		directive_free(&d);
		free(line);
	}
	return 0;
oom:
	fprintf(stderr, "gupbench report: out of memory\n");
	return -1;
}

int cmd_report(int argc, char **argv)
{
	enum { O_CHECK = 256 };
	static const struct option longopts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "check", no_argument, NULL, O_CHECK },
		CLI_OPTION_HELP,
		{ 0 }
	};
	struct cli cli = {
		.cmd = "report", .help = REPORT_USAGE, .shortopts = "o:h", .longopts = longopts,
		.formats = CLI_FORMAT_BIT(CLI_TABLE),
	};
	const char *in = "report/REPORT.in.md", *outpath = "REPORT.md";
	const char *exe = getenv("GUPBENCH_REPORT_EXE");
	char *text, *out = NULL, *old;
	size_t len, olen = 0, oldlen;
	bool check = false;
	int opt, rc = 1;

	while ((opt = cli_next(&cli, argc, argv)) != CLI_END) {
		switch (opt) {
		case CLI_STOP:
			return cli.status;
		case 'o':
			outpath = optarg;
			break;
		case O_CHECK:
			check = true;
			break;
		}
	}
	if (cli_no_more_operands(&cli, argc, argv, 1))
		return CLI_USAGE_STATUS;
	if (optind < argc)
		in = argv[optind];
	text = read_all(in, &len);
	if (!text)
		return cli_error(&cli, "%s: %s", in, strerror(errno));
	if (strlen(text) != len) {
		free(text);
		return cli_error(&cli, "%s: not text (holds a NUL byte)", in);
	}
	/* the tool that expands is the tool the directives name: this very binary */
	if (expand(in, text, exe && *exe ? exe : "/proc/self/exe", &out, &olen))
		goto out;
	if (check) {
		old = read_all(outpath, &oldlen);
		rc = !old || oldlen != olen || memcmp(old, out, olen);
		if (rc)
			fprintf(stderr, "gupbench report: %s is not what %s gives (make report "
				"regenerates it)\n", outpath, in);
		free(old);
		goto out;
	}
	if (write_file_atomic(outpath, out ? out : "", olen)) {
		fprintf(stderr, "gupbench report: %s: %s\n", outpath, strerror(errno));
		goto out;
	}
	rc = 0;
out:
	free(text);
	free(out);
	return rc;
}
