/* SPDX-License-Identifier: GPL-2.0 */
/* Writing one gnuplot script and its data file, and running it (plot.c), for plot_*.c. */
#ifndef PLOT_GP_H
#define PLOT_GP_H

#include <stdio.h>
#include "plot.h"

/* A plot being written: NAME.gp and NAME.dat under temporary names until gp_finish(). */
struct gp {
	const struct plot_frame *f;
	int width, height;
	FILE *gp, *dat;
	int blocks;		/* index blocks started in NAME.dat */
	size_t rows;		/* rows of data in them */
	size_t skipped;		/* values left out: not finite, or x <= 0 on a log scale */
	double area_bottom, area_height;	/* gp_frame(): the plot's strip (screen 0..1) */
	char *why;
	size_t n;
};

/* Check the frame, open both files and write the script's terminal and colours. */
int gp_open(struct gp *g, const struct plot_frame *f, const char *kind, char *why, size_t n);
/*
 * s as a gnuplot string expression that prints as s: single-quoted, a newline
 * as a line break, other control characters as spaces.
 */
void gp_str(FILE *o, const char *s);
/* s, or "?" if NULL or empty (a name gnuplot can show). */
void gp_name(FILE *o, const char *s);
/* s, or "?" if NULL (for messages and comments). */
const char *gp_or(const char *s);
/* The colour of linetype i + 1, "#rrggbb". */
const char *gp_colour(size_t i);
/* A finite number as gnuplot and humans read it back. */
void gp_num(FILE *o, double d);
/* Start a data block, "# index N: what"; returns N for "index N" in the script. */
int gp_block(struct gp *g, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* End the current row of data (a point to plot). */
void gp_row_end(struct gp *g);
/* A comment line in the data. */
void gp_comment(struct gp *g, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Leave a value out: counted, and a comment in the data says what it was. */
void gp_skip(struct gp *g, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* 1 if d is a usable value, else counts it as skipped (what names it). */
int gp_finite(struct gp *g, double d, const char *what, const char *name);
/*
 * Title, axis labels, grid, key and caption. xlabel/ylabel: defaults if the
 * frame has none. Call after the data is written (the caption counts values
 * left out).
 */
void gp_frame(struct gp *g, const char *xlabel, const char *ylabel);
/* Close and rename the files, run gnuplot, rename the image into place; 0 or -1. */
int gp_finish(struct gp *g);
/* Give up before gp_finish(): close and remove the temporary files; returns -1. */
int gp_fail(struct gp *g, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
