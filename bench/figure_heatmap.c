// SPDX-License-Identifier: GPL-2.0
/*
 * gupbench plot --kind heatmap: the cross-node matrices of run --cross-node
 * (cross_node_view.h), one panel per case without its place and mem. A cell
 * is the median of the run medians of its case (CPU node C, memory node M),
 * its 95% bootstrap interval in NAME.dat; each panel's remote/local is under
 * its title and in the caption.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "case_key.h"
#include "cross_node_view.h"
#include "plot_cmd.h"
#include "util.h"

#define NODES_MAX 64	/* per panel and axis */

/* A cell's text: ns as the run table has them, pages/s as 18.9M. */
static void value_text(const struct plot_job *j, double v, char *buf, size_t n)
{
	if (strcmp(j->metric, "throughput"))
		cross_node_ns_text(v, buf, n);
	else
		rate_text(v, buf, n);
}

static int by_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

static int add_node(int *s, size_t *n, int v)
{
	for (size_t i = 0; i < *n; i++)
		if (s[i] == v)
			return 0;
	if (*n == NODES_MAX)
		return -1;
	s[(*n)++] = v;
	qsort(s, *n, sizeof(*s), by_int);
	return 0;
}

static size_t index_of(const int *s, size_t n, int v)
{
	size_t i = 0;

	while (i < n && s[i] != v)
		i++;
	return i;
}

/* One panel's nodes, values, their texts and tick labels; freed by panel_free(). */
struct panel {
	int rows[NODES_MAX], cols[NODES_MAX];
	size_t nr, nc;
	struct plot_value *v;
	double *y;
	char (*text)[24], (*names)[16];
	const char **text_p, **names_p;
	char title[160], note[48];
	double ratio;
};

static void panel_free(struct panel *p)
{
	free(p->v);
	free(p->y);
	free(p->text);
	free(p->names);
	free(p->text_p);
	free(p->names_p);
}

/* The cells of group g (rows whose group[] is g) into p and its plot_matrix m. */
static int fill_panel(const struct plot_job *j, const size_t *group, size_t g, struct panel *p,
		      struct plot_matrix *m)
{
	size_t cells;
	int cpu, mem;

	for (size_t i = 0; i < j->rows.n; i++)
		if (group[i] == g && case_cross_node(j->rows.v[i].first, &cpu, &mem) &&
		    (add_node(p->rows, &p->nr, cpu) || add_node(p->cols, &p->nc, mem)))
			return -2;
	cells = p->nr * p->nc;
	p->v = calloc(cells, sizeof(*p->v));
	p->y = calloc(cells, sizeof(*p->y));
	p->text = calloc(cells, sizeof(*p->text));
	p->text_p = calloc(cells, sizeof(*p->text_p));
	p->names = calloc(p->nr + p->nc, sizeof(*p->names));
	p->names_p = calloc(p->nr + p->nc, sizeof(*p->names_p));
	if (!p->v || !p->y || !p->text || !p->text_p || !p->names || !p->names_p)
		return -1;
	for (size_t k = 0; k < cells; k++)
		p->v[k] = (struct plot_value){ NAN, NAN, NAN };
	for (size_t i = 0; i < j->rows.n; i++) {
		size_t k;

		if (group[i] != g || !case_cross_node(j->rows.v[i].first, &cpu, &mem))
			continue;
		k = index_of(p->rows, p->nr, cpu) * p->nc + index_of(p->cols, p->nc, mem);
		if (job_side_value(j, &j->side[0], &j->rows.v[i], &p->v[k]))
			return -1;
	}
	for (size_t k = 0; k < cells; k++) {
		p->y[k] = p->v[k].y;
		value_text(j, p->v[k].y, p->text[k], sizeof(p->text[k]));
		p->text_p[k] = p->text[k];
	}
	for (size_t k = 0; k < p->nr + p->nc; k++) {
		snprintf(p->names[k], sizeof(p->names[k]), "node %d",
			 k < p->nr ? p->rows[k] : p->cols[k - p->nr]);
		p->names_p[k] = p->names[k];
	}
	p->ratio = cross_node_ratio(p->y, p->rows, p->nr, p->cols, p->nc);
	if (isfinite(p->ratio))
		snprintf(p->note, sizeof(p->note), "remote/local %.2f", p->ratio);
	else
		snprintf(p->note, sizeof(p->note), "remote/local -");
	*m = (struct plot_matrix){ .name = p->title, .note = p->note, .n_rows = p->nr,
				   .n_cols = p->nc, .rows = p->names_p,
				   .cols = p->names_p + p->nr, .v = p->v, .text = p->text_p };
	return 0;
}

/* Room for the panels' cells, unless --size said: about 90 x 60 pixels a cell. */
static void heatmap_size(struct plot_job *j, const struct panel *p, size_t n)
{
	size_t nc = 1, nr = 1, per = n <= 3 ? n : n == 4 ? 2 : n <= 9 ? 3 : 4;
	size_t lines = (n + per - 1) / per;
	int w, h;

	for (size_t k = 0; k < n; k++) {
		nc = p[k].nc > nc ? p[k].nc : nc;
		nr = p[k].nr > nr ? p[k].nr : nr;
	}
	w = (int)(per * (200 + 90 * nc));
	h = (int)(lines * (110 + 60 * nr) + 130);
	if (j->size_given)
		return;
	j->frame.width = w > PLOT_WIDTH ? (w < 2400 ? w : 2400) : PLOT_WIDTH;
	j->frame.height = h > PLOT_HEIGHT ? (h < 2400 ? h : 2400) : PLOT_HEIGHT;
}

int figure_heatmap(struct plot_job *j)
{
	size_t nr = j->rows.n, ng = 0, *group = calloc(nr, sizeof(*group));
	struct panel *panels = calloc(nr, sizeof(*panels));
	struct plot_matrix *m = calloc(nr, sizeof(*m));
	struct plot_heatmap hm = { .panels = m };
	char key[256], other[256], why[512], more[96], ratios[512] = "";
	int rc = 0;

	if (!group || !panels || !m) {
		rc = figure_no_memory();
		goto out;
	}
	for (size_t i = 0; i < nr; i++) {
		size_t k;

		cross_node_group_key(j->rows.v[i].first, key, sizeof(key));
		for (k = 0; k < i; k++) {
			cross_node_group_key(j->rows.v[k].first, other, sizeof(other));
			if (!strcmp(key, other))
				break;
		}
		group[i] = k < i ? group[k] : ng++;
		/* the row's label is its group's: what tells the panels apart */
		if (k == i && ng > 0)
			snprintf(panels[ng - 1].title, sizeof(panels[0].title), "%s",
				 j->rows.v[i].label);
	}
	for (size_t g = 0; g < ng; g++) {
		size_t used = strlen(ratios);

		rc = fill_panel(j, group, g, &panels[g], &m[g]);
		if (rc == -2) {
			fprintf(stderr, "gupbench plot: more than %d nodes in a cross-node "
				"matrix\n", NODES_MAX);
			rc = 1;
			goto out;
		}
		if (rc) {
			rc = figure_no_memory();
			goto out;
		}
		/* one panel: the title says what the case is */
		if (ng == 1)
			m[g].name = NULL;
		if (isfinite(panels[g].ratio))
			snprintf(ratios + used, sizeof(ratios) - used, "%s%s%s%.2f",
				 used ? ", " : "", ng > 1 ? panels[g].title : "",
				 ng > 1 ? " " : "", panels[g].ratio);
	}
	hm.n_panels = ng;
	job_left_out(j, more, sizeof(more));
	job_caption_line(j, "cells: %s, median of the run medians (95%% bootstrap intervals "
			 "in %s.dat)%s", j->unit, j->name, more);
	job_caption_line(j, "rows: the node the threads ran on (--place node:C), columns: "
			 "the node their buffers sat on (--mem node:M)");
	job_caption_line(j, "remote/local: a remote cell over the local cell of its CPU "
			 "node, geometric mean%s%s", *ratios ? ": " : " (none: no local and "
			 "remote cell in one row)", ratios);
	j->frame.xlabel = "memory node";
	j->frame.ylabel = "CPU node";
	heatmap_size(j, panels, ng);
	if (plot_heatmap(&j->frame, &hm, why, sizeof(why)))
		rc = figure_failed(why);
out:
	for (size_t g = 0; panels && g < ng; g++)
		panel_free(&panels[g]);
	free(group);
	free(panels);
	free(m);
	return rc;
}
