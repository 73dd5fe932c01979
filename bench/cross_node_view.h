/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The cross-node matrix (run --cross-node): the cases whose threads ran on
 * --place node:C and whose buffers sat on --mem node:M, one cell (C, M) each.
 * Cases that differ only in C and M are one matrix; rows are CPU nodes,
 * columns memory nodes. Shared by the terminal view below and by gupbench
 * plot --kind heatmap.
 */
#ifndef CROSS_NODE_VIEW_H
#define CROSS_NODE_VIEW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include "result.h"

/* A cell of the matrix: place node:C (*cpu) and mem node:M (*mem), both set. */
bool case_cross_node(const struct result_case *c, int *cpu, int *mem);
/* What the cells of one matrix share: the case's key without its place and mem. */
void cross_node_group_key(const struct result_case *c, char *buf, size_t n);
/* The label of the case without its place and mem (case_label()'s parts). */
void cross_node_group_label(const struct result_case *c, unsigned int parts, char *buf,
			    size_t n);
/*
 * remote/local of a matrix v[r * nc + c] (rows: CPU nodes rows[], columns:
 * memory nodes cols[]): each remote cell over the local cell of its row (its
 * CPU node's own memory), geometric mean over the remote cells. NAN when no
 * row has both a local and a remote cell that is finite and > 0.
 */
double cross_node_ratio(const double *v, const int *rows, size_t nr, const int *cols,
			size_t nc);
/* ns per page as the run table prints them: 52.9, 1215. */
void cross_node_ns_text(double v, char *buf, size_t n);
/*
 * Per matrix of the run's cross-node cases: its label, a table of pin ns per
 * 4 KiB page (the median), rows CPU node, columns memory node, and its
 * remote/local. Nothing when the run has no cross-node case.
 */
void result_print_cross_node(FILE *f, const struct result *r);

#endif
