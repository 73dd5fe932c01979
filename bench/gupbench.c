// SPDX-License-Identifier: GPL-2.0
/* gupbench: entry point and subcommand dispatch. */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "gupbench.h"
#include "settings.h"
#include "commands.h"
#include "counters.h"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: gupbench <command> [options]\n"
		"  list [--format table|json]   what this machine supports, and why not\n"
		"  run [options] [-o FILE.json] run a matrix of cases\n"
		"  show [--format F] FILE.json  print a result file (table, json, csv)\n"
		"  compare [options] A... -- B...  the same cases of two sets of runs, B against A\n"
		"  history [options] PATH...    each case per kernel in time order: which regressed first\n"
		"  report [options] [IN]        expand the gupbench directives of a report (REPORT.md)\n"
		"  plot [options] -o DIR/NAME A... [-- B...]  figures of runs (gnuplot)\n"
		"  overhead [ITERATIONS]        the module's own timing cost (1-page pin_fast)\n"
		"  version                      print the version\n"
		"gupbench <command> --help lists its options; bad input gets one line on stderr\n"
		"and exit status 2.\n");
}

/*
 * First Ctrl-C: finish the current sample, write what finished, restore.
 * Second: restore the system settings now and leave.
 */
static void on_signal(int sig)
{
	if (stop_requested) {
		settings_restore();
		counters_cleanup();
		signal(sig, SIG_DFL);
		raise(sig);
		_exit(128 + sig);
	}
	stop_requested = sig;
}

static void at_exit_restore(void)
{
	settings_restore();
	counters_cleanup();
}

int main(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_signal };

	if (argc < 2) {
		fprintf(stderr, "gupbench: missing command (try: gupbench help)\n");
		return 2;
	}
	kver_init();
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	atexit(at_exit_restore);

	if (!strcmp(argv[1], "run"))
		return cmd_run(argc - 1, argv + 1);
	if (!strcmp(argv[1], "list"))
		return cmd_list(argc - 1, argv + 1);
	if (!strcmp(argv[1], "overhead"))
		return cmd_overhead(argc - 1, argv + 1);
	if (!strcmp(argv[1], "show"))
		return cmd_show(argc - 1, argv + 1);
	if (!strcmp(argv[1], "compare"))
		return cmd_compare(argc - 1, argv + 1);
	if (!strcmp(argv[1], "history"))
		return cmd_history(argc - 1, argv + 1);
	if (!strcmp(argv[1], "report"))
		return cmd_report(argc - 1, argv + 1);
	if (!strcmp(argv[1], "plot"))
		return cmd_plot(argc - 1, argv + 1);
	if (!strcmp(argv[1], "version") || !strcmp(argv[1], "--version")) {
		printf("gupbench %s (%s)\n", GUPBENCH_VERSION, GUPBENCH_GIT);
		return 0;
	}
	if (!strcmp(argv[1], "help") || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		usage(stdout);
		return 0;
	}
	fprintf(stderr, "gupbench: unknown command '%s' (try: gupbench help)\n", argv[1]);
	return 2;
}
