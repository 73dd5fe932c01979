/* SPDX-License-Identifier: GPL-2.0 */
/* The result file (schema gupbench-result/2, see results/README.md). */
#ifndef RESULT_H
#define RESULT_H

#include <stdio.h>
#include <json-c/json.h>

/* Top-level object with schema, tool, system, command line, started. */
json_object *result_new(int argc, char **argv);
/* Write to path.tmp.PID, fsync, rename over path. 0 or -1 with errno set. */
int result_write_atomic(const char *path, json_object *root);
/* Parse and check schema; NULL with a one-line reason in err. */
json_object *result_read(const char *path, char *err, size_t n);
/*
 * Views of a result (result_view.c), each of any document result_read()
 * accepts: a table of the cases, one line each, made to paste into mail; CSV,
 * one row per case under a header row; the JSON itself, as show prints it.
 */
void result_print_table(FILE *f, json_object *root);
void result_print_csv(FILE *f, json_object *root);
void result_print_json(FILE *f, json_object *root);

#endif
