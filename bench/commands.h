/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Subcommands of gupbench: argv[0] is the subcommand's name, the return value
 * the exit status. Each parses its options with cli.h, so bad input is one
 * line "gupbench <cmd>: ..." and status 2 in all of them.
 */
#ifndef COMMANDS_H
#define COMMANDS_H

int cmd_show(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_list(int argc, char **argv);
int cmd_overhead(int argc, char **argv);
int cmd_compare(int argc, char **argv);
int cmd_history(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_plot(int argc, char **argv);

#endif
