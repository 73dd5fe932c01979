/* SPDX-License-Identifier: GPL-2.0 */
/* The result file (schema gupbench-result/1, see results/README.md). */
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
/* Human table of the cases, one line each. */
void result_print_table(FILE *f, json_object *root);
void result_print_csv(FILE *f, json_object *root);

#endif
