// SPDX-License-Identifier: GPL-2.0
/*
 * A side of runs for compare, history and show --env: result files named, or
 * every result file below the folders named, each file one run.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "compare.h"

static int side_add(struct side *s, const char *path, bool named, const char *cmd)
{
	struct result r;
	char err[512];

	if (result_load(path, &r, err, sizeof(err))) {
		/* a folder may hold other JSON (vm.json, summaries): only named files must be results */
		if (!named && strstr(err, "not a gupbench result")) {
			s->not_results++;
			return 0;
		}
		fprintf(stderr, "gupbench %s: %s: %s\n", cmd, path, err);
		return -1;
	}
	if (s->nr_runs == s->cap) {
		size_t cap = s->cap ? 2 * s->cap : 16;
		struct result *v = realloc(s->runs, cap * sizeof(*v));

		if (!v) {
			result_free(&r);
			fprintf(stderr, "gupbench %s: out of memory\n", cmd);
			return -1;
		}
		s->runs = v;
		s->cap = cap;
	}
	s->runs[s->nr_runs++] = r;
	return 0;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every *.json below dir, in name order (so the runs of a folder keep their time order). */
static int side_add_dir(struct side *s, const char *dir, const char *cmd)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char **names = NULL;
	size_t n = 0, cap = 0;
	int rc = 0;

	if (!d) {
		fprintf(stderr, "gupbench %s: %s: %s\n", cmd, dir, strerror(errno));
		return -1;
	}
	while ((e = readdir(d))) {
		char *p;

		if (e->d_name[0] == '.')
			continue;
		if (n == cap) {
			char **v = realloc(names, (cap = cap ? 2 * cap : 32) * sizeof(*v));

			if (!v) {
				rc = -1;
				break;
			}
			names = v;
		}
		if (asprintf(&p, "%s/%s", dir, e->d_name) < 0) {
			rc = -1;
			break;
		}
		names[n++] = p;
	}
	closedir(d);
	qsort(names, n, sizeof(*names), cmp_names);
	for (size_t i = 0; i < n && !rc; i++) {
		struct stat st;
		size_t len = strlen(names[i]);

		if (stat(names[i], &st))
			continue;
		if (S_ISDIR(st.st_mode))
			rc = side_add_dir(s, names[i], cmd);
		else if (S_ISREG(st.st_mode) && len > 5 && !strcmp(names[i] + len - 5, ".json"))
			rc = side_add(s, names[i], false, cmd);
	}
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return rc;
}

int side_load(struct side *s, char **paths, int n, const char *cmd)
{
	for (int i = 0; i < n; i++) {
		struct stat st;

		if (stat(paths[i], &st)) {
			fprintf(stderr, "gupbench %s: %s: %s\n", cmd, paths[i], strerror(errno));
			return -1;
		}
		if (S_ISDIR(st.st_mode) ? side_add_dir(s, paths[i], cmd) :
					  side_add(s, paths[i], true, cmd))
			return -1;
	}
	return 0;
}

void side_free(struct side *s)
{
	for (size_t i = 0; i < s->nr_runs; i++)
		result_free(&s->runs[i]);
	free(s->runs);
}
