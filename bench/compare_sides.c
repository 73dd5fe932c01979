// SPDX-License-Identifier: GPL-2.0
/*
 * The sides of a comparison: runs loaded from files and folders, the cases
 * matched between them by key, and each case compared (compare.h). gupbench
 * compare and gupbench plot read their runs through it.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "gupbench.h"
#include "compare.h"
#include "case_key.h"

/* ---- loading ---- */

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

/* ---- matching and comparing ---- */

static const struct series *metric_series(const struct result_case *c, const char *metric)
{
	return !strcmp(metric, "unpin") ? &c->unpin : &c->pin;
}

const double *metric_samples(const struct result_case *c, const char *metric, size_t *n)
{
	const struct series *s = metric_series(c, metric);

	*n = s->present ? s->n : 0;
	if (!strcmp(metric, "call"))
		return s->ns_per_call;
	return s->ns_per_page;
}

bool case_usable(const struct result_case *c, const char *metric)
{
	size_t n;
	const double *v;

	if (c->status != CASE_OK || !c->has_run)
		return false;
	v = metric_samples(c, metric, &n);
	return v && n;
}

/* The run's case with this key, or NULL. */
const struct result_case *find_case(const struct result *r, const char *key)
{
	char k[256];

	for (size_t i = 0; i < r->nr_cases; i++) {
		case_key(&r->cases[i], k, sizeof(k));
		if (!strcmp(k, key))
			return &r->cases[i];
	}
	return NULL;
}


static struct row *rows_find(struct rows *rs, const char *key)
{
	for (size_t i = 0; i < rs->n; i++)
		if (!strcmp(rs->v[i].key, key))
			return &rs->v[i];
	return NULL;
}

/* Every key of every run of both sides, in the order first seen (A's first run first). */
int collect_rows(const struct side *a, const struct side *b, struct rows *rs)
{
	const struct side *sides[2] = { a, b };

	for (int s = 0; s < 2; s++)
		for (size_t i = 0; i < sides[s]->nr_runs; i++)
			for (size_t k = 0; k < sides[s]->runs[i].nr_cases; k++) {
				const struct result_case *c = &sides[s]->runs[i].cases[k];
				char key[256];
				struct row *r;

				case_key(c, key, sizeof(key));
				if (rows_find(rs, key))
					continue;
				if (rs->n == rs->cap) {
					size_t cap = rs->cap ? 2 * rs->cap : 32;
					struct row *v = realloc(rs->v, cap * sizeof(*v));

					if (!v)
						return -1;
					rs->v = v;
					rs->cap = cap;
				}
				r = &rs->v[rs->n++];
				memset(r, 0, sizeof(*r));
				r->first = c;
				snprintf(r->key, sizeof(r->key), "%s", key);
			}
	return 0;
}


/* The runs of one side holding the row's case, usable for metric. */
int side_runs(const struct side *s, const struct row *r, const char *metric,
		     struct cmp_run **out, size_t *n)
{
	struct cmp_run *v = calloc(s->nr_runs ? s->nr_runs : 1, sizeof(*v));

	if (!v)
		return -1;
	*n = 0;
	for (size_t i = 0; i < s->nr_runs; i++) {
		const struct result_case *c = find_case(&s->runs[i], r->key);

		if (c && case_usable(c, metric)) {
			v[*n].v = metric_samples(c, metric, &v[*n].n);
			(*n)++;
		}
	}
	*out = v;
	return 0;
}

/* Why a side has no usable run of the row's case: "not in B", "B: error EFAULT". */
static void side_absence(const struct side *s, const struct row *r, const char *metric,
			 char *buf, size_t n)
{
	const struct result_case *seen = NULL;

	buf[0] = '\0';
	for (size_t i = 0; i < s->nr_runs; i++) {
		const struct result_case *c = find_case(&s->runs[i], r->key);

		if (c && case_usable(c, metric))
			return;
		if (c && !seen)
			seen = c;
	}
	if (!seen)
		snprintf(buf, n, "not in %s", s->name);
	else if (seen->status == CASE_ERROR)
		snprintf(buf, n, "%s: error %s", s->name, seen->err_name ? seen->err_name : "");
	else if (seen->status == CASE_SKIPPED)
		snprintf(buf, n, "%s: skipped", s->name);
	else
		snprintf(buf, n, "%s: no %s samples", s->name, metric);
}

int compare_rows(const struct side *a, const struct side *b, struct rows *rs,
			const struct compare_opts *co, bool exact)
{
	struct cmp_opts o;

	cmp_opts_init(&o);
	o.threshold = co->threshold;
	o.min_runs = co->min_runs;
	o.single_run = co->single_run;
	o.exact = exact;
	o.seed = co->seed;

	for (size_t i = 0; i < rs->n; i++) {
		struct row *r = &rs->v[i];
		struct cmp_run *ra, *rb;
		struct cmp_side sa, sb;

		if (side_runs(a, r, co->metric, &ra, &r->nr_a) ||
		    side_runs(b, r, co->metric, &rb, &r->nr_b))
			return -1;
		if (r->nr_a && r->nr_b) {
			sa = (struct cmp_side){ ra, r->nr_a };
			sb = (struct cmp_side){ rb, r->nr_b };
			r->compared = cmp_case(&sa, &sb, &o, &r->res) == 0;
			if (!r->compared)
				r->why_not = "the samples cannot be compared";
		} else {
			side_absence(a, r, co->metric, r->absent_a, sizeof(r->absent_a));
			side_absence(b, r, co->metric, r->absent_b, sizeof(r->absent_b));
			snprintf(r->why_buf, sizeof(r->why_buf), "%s%s%s", r->absent_a,
				 *r->absent_a && *r->absent_b ? "; " : "", r->absent_b);
			r->why_not = r->why_buf;
		}
		free(ra);
		free(rb);
	}
	return 0;
}
