// SPDX-License-Identifier: GPL-2.0
/* gupbench run: options, the matrix of cases, progress, and the result file. */
#include <ctype.h>
#include <errno.h>
#include <sched.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "gupbench.h"
#include "util.h"
#include "settings.h"
#include "cli.h"
#include "commands.h"
#include "counters.h"
#include "placement.h"
#include "result.h"
#include "run_case.h"
#include "state.h"
#include "contend.h"
#include "place.h"

#define MAX_LIST 16

struct preset {
	const char *name;
	size_t size;
	int samples, warmup;
	int nr_states;
	enum buf_state states[NR_STATES];
	/* the axes it sets when the command line does not: NULL leaves the default */
	const char *backings, *threads, *shares, *places, *mems;
	int rounds;
};

/*
 * quick: a smoke run in seconds. default: warm and cold, enough samples for
 * a CI of the median within a few percent. full: more of everything.
 * numa: what a two-socket box shows that one thread cannot: threads on both
 * sockets, memory local and remote, buffers private and shared, in minutes.
 */
static const struct preset presets[] = {
	{ .name = "quick", .size = 16 << 20, .samples = 9, .warmup = 2, .nr_states = 1,
	  .states = { STATE_WARM } },
	{ .name = "default", .size = 64 << 20, .samples = 21, .warmup = 3, .nr_states = 2,
	  .states = { STATE_WARM, STATE_COLD } },
	{ .name = "full", .size = 256 << 20, .samples = 41, .warmup = 5, .nr_states = 2,
	  .states = { STATE_WARM, STATE_COLD } },
	{ .name = "numa", .size = 16 << 20, .samples = 9, .warmup = 2, .nr_states = 2,
	  .states = { STATE_WARM, STATE_COLD }, .backings = "anon,shmem,file-shared",
	  .threads = "1,2,4", .shares = "private,shared", .places = "scatter",
	  .mems = "local,remote", .rounds = 3 },
};

struct run_args {
	const char *drivers[MAX_LIST], *backings[MAX_LIST], *ops[MAX_LIST];
	int nr_drivers, nr_backings, nr_ops;
	unsigned int flags[MAX_LIST];
	int nr_flags;
	uint64_t nr_pages[MAX_LIST];
	int nr_nr_pages;
	enum buf_state states[NR_STATES];
	int nr_states;
	const struct preset *preset;
	const char *out;
	bool force, quiet;
	/* the team axes: given at all, every case runs on worker threads (run_team.c) */
	bool team;
	int threads[MAX_LIST], nr_threads;
	bool shares[MAX_LIST];
	int nr_shares;
	int contends[MAX_LIST], nr_contends;
	int contend_threads;
	struct place_spec places[MAX_LIST];
	int nr_places;
	struct mem_spec mems[MAX_LIST];
	int nr_mems;
	bool cross_node;	/* --cross-node: place node:C x mem node:M, every C and M */
	char preset_axes[5][128];	/* the preset's lists, cut up in place by the parsers */
	bool sequential;	/* --order sequential: each case whole, one after the other */
	int rounds;		/* --rounds; 0: the default */
	size_t size;
	int samples, warmup, count_ops;
};

static void run_table(FILE *f, const void *doc)
{
	result_print_table(f, doc);
}

/*
 * run's JSON on stdout is json-c's pretty print without the result file's
 * spacing and unescaped '/', as it always was: scripts may compare it.
 */
static void run_json(FILE *f, const void *doc)
{
	result_print_json_plain(f, doc);
}

static void run_csv(FILE *f, const void *doc)
{
	result_print_csv(f, doc);
}

static const cli_view run_views[CLI_NR_FORMATS] = {
	[CLI_TABLE] = run_table,
	[CLI_JSON] = run_json,
	[CLI_CSV] = run_csv,
};

#define RUN_USAGE \
	"usage: gupbench run [options] [-o FILE.json]\n" \
	"  --driver LIST       drivers (default: every available one; see gupbench list)\n" \
	"  --backing LIST      backings (default: every available one)\n" \
	"  --size BYTES        buffer size, k/M/G suffixes (preset: quick 16M, default 64M)\n" \
	"  --state LIST        warm (prefaulted by writing), cold (mapped, untouched),\n" \
	"                      half (first half warm: GUP-fast stops in the middle),\n" \
	"                      read (prefaulted by reading: mapped without write access);\n" \
	"                      states GUP-fast falls back on: forked (warm private pages\n" \
	"                      shared with a child), zero (read-faulted private anon: the\n" \
	"                      zero page), ro (warm, then mprotect PROT_READ), ksm (warm\n" \
	"                      anon merged by KSM; root), and for a shared file mapping:\n" \
	"                      dirty (written), clean (written, fsynced), writeback (written,\n" \
	"                      writeback started). A state that does not apply to a backing\n" \
	"                      is a skipped case that says why (see gupbench list)\n" \
	"  --samples N         measured samples per case\n" \
	"  --warmup N          unmeasured samples first\n" \
	"  --count N           untimed counting-pass ops per case: perf counters, slow-path\n" \
	"                      entries, mmap_lock acquisitions (default 3; 0: none)\n" \
	"  --preset NAME       quick | default | full | numa (threads on both sockets,\n" \
	"                      memory local and remote: for a multi-socket box)\n" \
	"  --file-dir DIR      where file-backed backings create their file (default .)\n" \
	"  --op LIST           kmod: pin_fast,get_fast,pin (default pin_fast)\n" \
	"  --flags LIST        kmod: one flag combination, e.g. WRITE,LONGTERM or none;\n" \
	"                      repeat for several (default WRITE,LONGTERM)\n" \
	"  --nr-pages LIST     kmod: pages per call, numbers or 'all' (default all)\n" \
	"  --order O           interleaved (default: every case takes its turn in each of\n" \
	"                      --rounds rounds, so drift hits all cases alike) or\n" \
	"                      sequential (case by case)\n" \
	"  --rounds N          interleaved: rounds the samples are spread over (default:\n" \
	"                      one per sample; fewer take less time)\n" \
	"  --threads LIST      measured threads, numbers or 'all' (e.g. 1,2,4,all): each\n" \
	"                      case runs on worker threads that pin together\n" \
	"  --share LIST        private (a buffer per thread) and/or shared (one buffer all\n" \
	"                      threads pin: its folios' refcounts bounce between them)\n" \
	"  --contend LIST      none, mmap, mprotect, fault: background threads that take\n" \
	"                      the mmap lock (or fault) while the threads pin\n" \
	"  --contend-threads N background threads per contended case (default 1)\n" \
	"  --place LIST        where the threads run: none (default), compact, scatter, smt,\n" \
	"                      package:N, node:N, list:CPUS (e.g. list:0,2-3)\n" \
	"  --mem LIST          where their buffers are: none (default), local, remote,\n" \
	"                      interleave, node:N\n" \
	"  --cross-node        every CPU node x memory node: --place node:C --mem node:M\n" \
	"  --cpu N             bind the measuring thread to CPU N\n" \
	"  --mem-node N        bind buffers to NUMA node N\n" \
	"  -f, --format F      stdout: table | json | csv (default table)\n" \
	"  -o FILE             write the result file (JSON); --force to overwrite\n" \
	"  -q                  no progress on stderr\n"

/* Split a comma list into out[]; returns count or -1 if too many/empty. */
static int split_list(char *s, const char **out, int max)
{
	int n = 0;
	char *save, *tok;

	for (tok = strtok_r(s, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		if (n == max)
			return -1;
		out[n++] = tok;
	}
	return n ? n : -1;
}

static int parse_int(const char *s, int min, int *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < min || v > 1000000)
		return -1;
	*out = (int)v;
	return 0;
}

static bool driver_has_op(const struct driver_ops *d, const char *op)
{
	for (int i = 0; d->ops && d->ops[i]; i++)
		if (!strcmp(d->ops[i], op))
			return true;
	return false;
}

/*
 * Options that only some drivers take belong to those drivers (as a fio
 * engine's do): refuse one that no selected driver takes, rather than run a
 * matrix that silently ignores it.
 */
static int check_axes(const struct cli *cli, const struct run_args *a)
{
	static const struct {
		unsigned int axis;
		const char *opt;
	} axes[] = {
		{ DRIVER_AXIS_OP, "--op" },
		{ DRIVER_AXIS_FLAGS, "--flags" },
		{ DRIVER_AXIS_NR_PAGES, "--nr-pages" },
	};
	const struct driver_ops *sel[MAX_LIST];
	int nsel = 0;
	char names[128] = "";

	for (int i = 0; a->nr_drivers ? i < a->nr_drivers : drivers[i] != NULL; i++)
		sel[nsel++] = a->nr_drivers ? driver_find(a->drivers[i]) : drivers[i];
	for (int i = 0; i < nsel; i++)
		snprintf(names + strlen(names), sizeof(names) - strlen(names), "%s%s",
			 i ? ", " : "", sel[i]->name);
	for (size_t x = 0; x < sizeof(axes) / sizeof(axes[0]); x++) {
		bool given = axes[x].axis == DRIVER_AXIS_OP ? a->nr_ops :
			     axes[x].axis == DRIVER_AXIS_FLAGS ? a->nr_flags : a->nr_nr_pages;
		bool taken = false;

		for (int i = 0; i < nsel; i++)
			taken |= (sel[i]->axes & axes[x].axis) != 0;
		if (given && !taken)
			return cli_usage_error(cli, "%s is not an option of driver %s",
					       axes[x].opt, names);
	}
	for (int o = 0; o < a->nr_ops; o++) {
		bool known = false;

		for (int i = 0; i < nsel; i++)
			known |= (sel[i]->axes & DRIVER_AXIS_OP) && driver_has_op(sel[i], a->ops[o]);
		if (!known) {
			char ops[128] = "";

			for (int i = 0; i < nsel; i++)
				for (int k = 0; (sel[i]->axes & DRIVER_AXIS_OP) && sel[i]->ops[k]; k++)
					snprintf(ops + strlen(ops), sizeof(ops) - strlen(ops), "%s%s",
						 *ops ? ", " : "", sel[i]->ops[k]);
			return cli_usage_error(cli, "unknown op '%s' (%s)", a->ops[o], ops);
		}
	}
	return 0;
}

static bool is_driver(const char *name)
{
	return driver_find(name) != NULL;
}

static bool is_backing(const char *name)
{
	return backing_find(name) != NULL;
}

/* --driver, --backing: a list of names known() knows. 0, or 2 after the usage line. */
static int name_list(const struct cli *cli, const char *what, char *arg, const char **out,
		     int *n, bool (*known)(const char *))
{
	*n = split_list(arg, out, MAX_LIST);
	if (*n < 0)
		return cli_usage_error(cli, "bad --%s list '%s'", what, arg);
	for (int i = 0; i < *n; i++)
		if (!known(out[i]))
			return cli_usage_error(cli, "unknown %s '%s'", what, out[i]);
	return 0;
}

/* The value of integer option opt (optarg), at least min. 0, or 2 after the usage line. */
static int int_option(const struct cli *cli, const struct option *longopts, int opt, int min,
		      int *out)
{
	const struct option *lo = longopts;

	if (!parse_int(optarg, min, out))
		return 0;
	while (lo->name && lo->val != opt)
		lo++;
	return cli_usage_error(cli, "bad --%s '%s'", lo->name ? lo->name : "?", optarg);
}

static int parse_states(const struct cli *cli, char *arg, struct run_args *a)
{
	const char *items[MAX_LIST];
	int n = split_list(arg, items, MAX_LIST);

	if (n < 1 || n > NR_STATES)
		return cli_usage_error(cli, "bad --state '%s'", arg);
	for (int i = 0; i < n; i++) {
		int st = state_find(items[i]);

		if (st < 0)
			return cli_usage_error(cli, "unknown state '%s' (%s)", items[i],
					       state_names());
		a->states[i] = st;
	}
	a->nr_states = n;
	return 0;
}

static int parse_nr_pages(const struct cli *cli, char *arg, struct run_args *a)
{
	const char *items[MAX_LIST];
	int n = split_list(arg, items, MAX_LIST), v;

	if (n < 0)
		return cli_usage_error(cli, "bad --nr-pages '%s'", arg);
	for (int i = 0; i < n; i++) {
		if (!strcmp(items[i], "all"))
			a->nr_pages[i] = 0;
		else if (parse_int(items[i], 1, &v) == 0)
			a->nr_pages[i] = v;
		else
			return cli_usage_error(cli, "bad --nr-pages value '%s'", items[i]);
	}
	a->nr_nr_pages = n;
	return 0;
}

/* CPUs this process may run on: what --threads all means. */
static int usable_cpus(void)
{
	cpu_set_t set;

	if (sched_getaffinity(0, sizeof(set), &set))
		return 1;
	return CPU_COUNT(&set);
}

static int parse_threads(const struct cli *cli, char *arg, struct run_args *a)
{
	const char *items[MAX_LIST];
	int n = split_list(arg, items, MAX_LIST);

	if (n < 0)
		return cli_usage_error(cli, "bad --threads '%s'", arg);
	for (int i = 0; i < n; i++) {
		if (!strcmp(items[i], "all"))
			a->threads[i] = usable_cpus();
		else if (parse_int(items[i], 1, &a->threads[i]) || a->threads[i] > 1024)
			return cli_usage_error(cli, "bad --threads value '%s' (1 to 1024, or all)",
					       items[i]);
	}
	a->nr_threads = n;
	a->team = true;
	return 0;
}

static int parse_shares(const struct cli *cli, char *arg, struct run_args *a)
{
	const char *items[MAX_LIST];
	int n = split_list(arg, items, MAX_LIST);

	if (n < 0 || n > 2)
		return cli_usage_error(cli, "bad --share '%s' (private, shared)", arg);
	for (int i = 0; i < n; i++) {
		if (strcmp(items[i], "private") && strcmp(items[i], "shared"))
			return cli_usage_error(cli, "unknown share '%s' (private, shared)",
					       items[i]);
		a->shares[i] = !strcmp(items[i], "shared");
	}
	a->nr_shares = n;
	a->team = true;
	return 0;
}

static int parse_contends(const struct cli *cli, char *arg, struct run_args *a)
{
	const char *items[MAX_LIST];
	int n = split_list(arg, items, MAX_LIST);

	if (n < 0)
		return cli_usage_error(cli, "bad --contend '%s'", arg);
	for (int i = 0; i < n; i++) {
		a->contends[i] = contend_find(items[i]);
		if (a->contends[i] < 0)
			return cli_usage_error(cli, "unknown contention '%s' (none, mmap, mprotect, "
					       "fault)", items[i]);
	}
	a->nr_contends = n;
	a->team = true;
	return 0;
}

/* "list:0,2-3,scatter": the numbers after a list: are its CPUs, not policies of their own. */
static int parse_places(const struct cli *cli, char *arg, struct run_args *a)
{
	const char *items[MAX_LIST * 8];
	char why[REASON_MAX], spec[256];
	int n = split_list(arg, items, MAX_LIST * 8), np = 0;

	if (n < 0)
		return cli_usage_error(cli, "bad --place '%s'", arg);
	for (int i = 0; i < n; i++) {
		snprintf(spec, sizeof(spec), "%s", items[i]);
		while (!strncmp(spec, "list:", 5) && i + 1 < n && isdigit((unsigned char)*items[i + 1]))
			snprintf(spec + strlen(spec), sizeof(spec) - strlen(spec), ",%s", items[++i]);
		if (np == MAX_LIST)
			return cli_usage_error(cli, "bad --place '%s': more than %d policies", arg,
					       MAX_LIST);
		if (place_parse(spec, &a->places[np++], why, sizeof(why)))
			return cli_usage_error(cli, "--place: %s", why);
	}
	a->nr_places = np;
	a->team = true;
	return 0;
}

static int parse_mems(const struct cli *cli, char *arg, struct run_args *a)
{
	const char *items[MAX_LIST];
	char why[REASON_MAX];
	int n = split_list(arg, items, MAX_LIST);

	if (n < 0)
		return cli_usage_error(cli, "bad --mem '%s'", arg);
	for (int i = 0; i < n; i++)
		if (mem_parse(items[i], &a->mems[i], why, sizeof(why)))
			return cli_usage_error(cli, "--mem: %s", why);
	a->nr_mems = n;
	a->team = true;
	return 0;
}

/* --cross-node: node:C for the threads and node:M for the buffers, every node with both. */
static int cross_node(const struct cli *cli, struct run_args *a)
{
	int nodes[MAX_LIST], n = place_nodes(place_topology(), nodes, MAX_LIST);
	char spec[32], why[REASON_MAX];

	if (a->nr_places || a->nr_mems)
		return cli_usage_error(cli, "--cross-node makes --place and --mem itself");
	if (n < 1 || n > MAX_LIST)
		return cli_usage_error(cli, "--cross-node: %d NUMA nodes with CPUs and memory "
				       "(1 to %d)", n, MAX_LIST);
	for (int i = 0; i < n; i++) {
		snprintf(spec, sizeof(spec), "node:%d", nodes[i]);
		if (place_parse(spec, &a->places[i], why, sizeof(why)) ||
		    mem_parse(spec, &a->mems[i], why, sizeof(why)))
			return cli_usage_error(cli, "--cross-node: %s", why);
	}
	a->nr_places = a->nr_mems = n;
	a->team = true;
	return 0;
}

static int parse_preset(const struct cli *cli, const char *arg, struct run_args *a)
{
	for (size_t i = 0; i < sizeof(presets) / sizeof(presets[0]); i++)
		if (!strcmp(arg, presets[i].name)) {
			a->preset = &presets[i];
			return 0;
		}
	return cli_usage_error(cli, "unknown preset '%s' (quick, default, full, numa)", arg);
}

/* The preset's axes that the command line left alone. 0, or 2 after the usage line. */
static int preset_axes(const struct cli *cli, struct run_args *a)
{
	const struct preset *p = a->preset;
	const char *lists[5] = { p->backings, p->threads, p->shares, p->places, p->mems };
	bool given[5] = { a->nr_backings, a->nr_threads, a->nr_shares, a->nr_places, a->nr_mems };
	int rc = 0;

	for (int i = 0; i < 5 && !rc; i++) {
		char *l = a->preset_axes[i];

		if (!lists[i] || given[i])
			continue;
		snprintf(l, sizeof(a->preset_axes[i]), "%s", lists[i]);
		rc = i == 0 ? name_list(cli, "backing", l, a->backings, &a->nr_backings, is_backing) :
		     i == 1 ? parse_threads(cli, l, a) : i == 2 ? parse_shares(cli, l, a) :
		     i == 3 ? parse_places(cli, l, a) : parse_mems(cli, l, a);
	}
	if (p->rounds && !a->rounds && !a->sequential)
		a->rounds = p->rounds;
	return rc;
}

/*
 * Options into a and o. *stop says the command is done, and the value
 * returned is its exit status: 0 after --help, 2 after a usage error.
 */
static int parse_args(struct cli *cli, int argc, char **argv, struct run_args *a,
		      struct run_opts *o, bool *stop)
{
	enum { O_DRIVER = 256, O_BACKING, O_SIZE, O_STATE, O_SAMPLES, O_WARMUP, O_COUNT, O_PRESET,
	       O_FILE_DIR, O_OP, O_FLAGS, O_NR_PAGES, O_CPU, O_MEM_NODE, O_FORCE, O_ORDER,
	       O_ROUNDS, O_THREADS, O_SHARE, O_CONTEND, O_CONTEND_THREADS, O_PLACE, O_MEM,
	       O_CROSS_NODE };
	static const struct option longopts[] = {
		{ "driver", required_argument, NULL, O_DRIVER },
		{ "backing", required_argument, NULL, O_BACKING },
		{ "size", required_argument, NULL, O_SIZE },
		{ "state", required_argument, NULL, O_STATE },
		{ "samples", required_argument, NULL, O_SAMPLES },
		{ "warmup", required_argument, NULL, O_WARMUP },
		{ "count", required_argument, NULL, O_COUNT },
		{ "preset", required_argument, NULL, O_PRESET },
		{ "file-dir", required_argument, NULL, O_FILE_DIR },
		{ "op", required_argument, NULL, O_OP },
		{ "flags", required_argument, NULL, O_FLAGS },
		{ "nr-pages", required_argument, NULL, O_NR_PAGES },
		{ "cpu", required_argument, NULL, O_CPU },
		{ "mem-node", required_argument, NULL, O_MEM_NODE },
		{ "force", no_argument, NULL, O_FORCE },
		{ "order", required_argument, NULL, O_ORDER },
		{ "rounds", required_argument, NULL, O_ROUNDS },
		{ "threads", required_argument, NULL, O_THREADS },
		{ "share", required_argument, NULL, O_SHARE },
		{ "contend", required_argument, NULL, O_CONTEND },
		{ "contend-threads", required_argument, NULL, O_CONTEND_THREADS },
		{ "place", required_argument, NULL, O_PLACE },
		{ "mem", required_argument, NULL, O_MEM },
		{ "cross-node", no_argument, NULL, O_CROSS_NODE },
		{ "output", required_argument, NULL, 'o' },
		{ "quiet", no_argument, NULL, 'q' },
		CLI_OPTION_FORMAT,
		CLI_OPTION_HELP,
		{ 0 }
	};
	/* The integer options: their least value and where it goes. */
	const struct {
		int opt, min;
		int *out;
	} ints[] = {
		{ O_SAMPLES, 1, &a->samples }, { O_WARMUP, 0, &a->warmup },
		{ O_COUNT, 0, &a->count_ops }, { O_CPU, 0, &o->cpu },
		{ O_MEM_NODE, 0, &o->mem_node }, { O_ROUNDS, 1, &a->rounds },
		{ O_CONTEND_THREADS, 1, &a->contend_threads },
	};
	int opt, rc = 0;

	cli->shortopts = "o:qf:h";
	cli->longopts = longopts;
	cli->formats = cli_formats_of(run_views);
	*stop = true;
	while (!rc && (opt = cli_next(cli, argc, argv)) != CLI_END) {
		for (size_t i = 0; i < sizeof(ints) / sizeof(ints[0]); i++)
			if (opt == ints[i].opt)
				rc = int_option(cli, longopts, opt, ints[i].min, ints[i].out);
		switch (opt) {
		case CLI_STOP:
			return cli->status;
		case O_DRIVER:
			rc = name_list(cli, "driver", optarg, a->drivers, &a->nr_drivers, is_driver);
			break;
		case O_BACKING:
			rc = name_list(cli, "backing", optarg, a->backings, &a->nr_backings,
				       is_backing);
			break;
		case O_SIZE:
			if (parse_size(optarg, &a->size) || a->size % BASE_PAGE_SIZE)
				rc = cli_usage_error(cli, "bad size '%s' (a multiple of 4k, e.g. 64M)",
						     optarg);
			break;
		case O_STATE:
			rc = parse_states(cli, optarg, a);
			break;
		case O_PRESET:
			rc = parse_preset(cli, optarg, a);
			break;
		case O_THREADS:
			rc = parse_threads(cli, optarg, a);
			break;
		case O_SHARE:
			rc = parse_shares(cli, optarg, a);
			break;
		case O_CONTEND:
			rc = parse_contends(cli, optarg, a);
			break;
		case O_PLACE:
			rc = parse_places(cli, optarg, a);
			break;
		case O_MEM:
			rc = parse_mems(cli, optarg, a);
			break;
		case O_CROSS_NODE:
			a->cross_node = true;
			break;
		case O_FILE_DIR:
			o->file_dir = optarg;
			break;
		case O_OP:
			/* the drivers say which ops they take: checked once they are known */
			a->nr_ops = split_list(optarg, a->ops, MAX_LIST);
			if (a->nr_ops < 0)
				rc = cli_usage_error(cli, "bad --op list '%s'", optarg);
			break;
		case O_FLAGS:
			if (a->nr_flags == MAX_LIST || flags_parse(optarg, &a->flags[a->nr_flags]))
				rc = cli_usage_error(cli, "bad --flags '%s' (e.g. WRITE,LONGTERM, WRITE "
						     "or none)", optarg);
			else
				a->nr_flags++;
			break;
		case O_NR_PAGES:
			rc = parse_nr_pages(cli, optarg, a);
			break;
		case O_FORCE:
			a->force = true;
			break;
		case O_ORDER:
			if (!strcmp(optarg, "sequential") || !strcmp(optarg, "interleaved"))
				a->sequential = !strcmp(optarg, "sequential");
			else
				rc = cli_usage_error(cli, "unknown order '%s' (interleaved, sequential)",
						     optarg);
			break;
		case 'o':
			a->out = optarg;
			break;
		case 'q':
			a->quiet = true;
			break;
		}
	}
	if (rc)
		return rc;
	if (a->sequential && a->rounds)
		return cli_usage_error(cli, "--rounds is for --order interleaved");
	if (a->cross_node && (rc = cross_node(cli, a)))
		return rc;
	if (a->preset && (rc = preset_axes(cli, a)))
		return rc;
	for (int m = 0; m < a->nr_mems; m++)
		for (int p = 0; p < a->nr_places || p == 0; p++)
			if ((a->mems[m].kind == MEM_LOCAL || a->mems[m].kind == MEM_REMOTE) &&
			    (!a->nr_places || a->places[p].kind == PLACE_NONE))
				return cli_usage_error(cli, "--mem %s needs threads bound to CPUs "
						       "(--place)", a->mems[m].text);
	if (a->team && (o->cpu >= 0 || o->mem_node >= 0))
		return cli_usage_error(cli, "--cpu and --mem-node are for one unbound thread: "
				       "use --place list:N and --mem node:N");
	rc = cli_no_more_operands(cli, argc, argv, 0);
	if (!rc)
		rc = check_axes(cli, a);
	*stop = rc != 0;
	return rc;
}

static void apply_preset(struct run_args *a, struct run_opts *o)
{
	const struct preset *p = a->preset ? a->preset : &presets[1];

	o->size = a->size ? a->size : p->size;
	o->samples = a->samples ? a->samples : p->samples;
	o->warmup = a->warmup >= 0 ? a->warmup : p->warmup;
	o->count_ops = a->count_ops >= 0 ? a->count_ops : 3;
	/*
	 * Interleaved: a round per sample by default, so that sample i of every case
	 * is taken moments apart; each round costs a fresh buffer per case, and
	 * fewer rounds (--rounds) trade some of the pairing for time.
	 */
	o->rounds = a->sequential ? 1 : a->rounds ? a->rounds : o->samples;
	if (o->rounds > o->samples)
		o->rounds = o->samples;
	if (!a->nr_states) {
		a->nr_states = p->nr_states;
		memcpy(a->states, p->states, sizeof(p->states));
	}
	if (!a->nr_flags)
		a->flags[a->nr_flags++] = PIN_FLAG_WRITE | PIN_FLAG_LONGTERM;
	if (!a->nr_nr_pages)
		a->nr_pages[a->nr_nr_pages++] = 0;
	if (!a->nr_threads)
		a->threads[a->nr_threads++] = 1;
	if (!a->nr_shares)
		a->shares[a->nr_shares++] = false;
	if (!a->nr_contends)
		a->contends[a->nr_contends++] = CONTEND_NONE;
	if (!a->contend_threads)
		a->contend_threads = 1;
	if (!a->nr_places)
		place_parse("none", &a->places[a->nr_places++], NULL, 0);
	if (!a->nr_mems)
		mem_parse("none", &a->mems[a->nr_mems++], NULL, 0);
}

/* The cells of the matrix, in the order they run. */
struct cell {
	struct case_spec cs;
	const char *skip;	/* reason, or NULL to run */
	int *cpus, *nodes;	/* the team's, owned */
};

struct matrix {
	struct cell *cells;
	int n, cap;
	char reasons[64][REASON_MAX];
	int nr_reasons;
};

static void add_one_cell(struct matrix *m, const struct case_spec *cs, const char *skip)
{
	if (m->n == m->cap) {
		m->cap = m->cap ? 2 * m->cap : 64;
		m->cells = realloc(m->cells, m->cap * sizeof(*m->cells));
		if (!m->cells) {
			perror("gupbench");
			exit(1);
		}
	}
	m->cells[m->n].cs = *cs;
	m->cells[m->n].skip = skip;
	m->cells[m->n].cpus = NULL;
	m->cells[m->n].nodes = NULL;
	m->n++;
}

static const char *keep_reason(struct matrix *m, const char *why);

/*
 * A team cell: its threads' CPUs by the place policy and their buffers' nodes
 * by the mem policy, resolved on this machine's topology; a policy this
 * machine cannot follow (remote on one node) makes the cell a skipped one.
 */
static void add_team_cell(struct matrix *m, const struct case_spec *cs, const char *skip,
			  const struct place_spec *place, const struct mem_spec *mem)
{
	int *cpus = calloc(cs->threads, sizeof(int)), *nodes = calloc(cs->threads, sizeof(int));
	char why[REASON_MAX] = "";
	struct cell *cl;

	if (!cpus || !nodes) {
		perror("gupbench");
		exit(1);
	}
	if (!skip && place_resolve(place_topology(), place, cs->threads, cpus, why, sizeof(why)))
		skip = keep_reason(m, why);
	for (int i = 0; !skip && i < cs->threads; i++)
		if (mem_resolve(place_topology(), mem, cpus[i], &nodes[i], why, sizeof(why)))
			skip = keep_reason(m, why);
	add_one_cell(m, cs, skip);
	cl = &m->cells[m->n - 1];
	cl->cpus = cpus;
	cl->nodes = nodes;
	cl->cs.cpus = cpus;
	cl->cs.nodes = nodes;
	cl->cs.place = place->text;
	cl->cs.mem = mem->text;
}

static const char *keep_reason(struct matrix *m, const char *why)
{
	/* many cells share one reason (remote on a one-node machine) */
	for (int i = 0; i < m->nr_reasons; i++)
		if (!strcmp(m->reasons[i], why))
			return m->reasons[i];
	if (m->nr_reasons == 64)
		return "unavailable";
	snprintf(m->reasons[m->nr_reasons], REASON_MAX, "%s", why);
	return m->reasons[m->nr_reasons++];
}

/* A cell over the team axes (threads, share, contend), when a team runs it. */
static void add_cell(struct matrix *m, const struct run_args *a, const struct case_spec *base,
		     const char *skip)
{
	struct case_spec cs = *base;

	cs.threads = 1;
	if (!a->team) {
		add_one_cell(m, &cs, skip);
		return;
	}
	cs.team = true;
	cs.contend_threads = a->contend_threads;
	for (int t = 0; t < a->nr_threads; t++)
		for (int sh = 0; sh < a->nr_shares; sh++)
			for (int p = 0; p < a->nr_places; p++)
				for (int me = 0; me < a->nr_mems; me++)
					for (int k = 0; k < a->nr_contends; k++) {
						cs.threads = a->threads[t];
						cs.shared = a->shares[sh];
						cs.contend = a->contends[k];
						add_team_cell(m, &cs, skip, &a->places[p],
							      &a->mems[me]);
					}
}

/*
 * One driver x backing x state: its cells over the axes it takes. An axis it
 * does not take keeps the driver's own value; an op it does not have (another
 * selected driver's) is not its cell.
 */
static void add_driver_cells(struct matrix *m, const struct run_args *a,
			     const struct driver_ops *d, const struct backing_ops *b,
			     enum buf_state st, const char *skip)
{
	const char *def_op = d->axes & DRIVER_AXIS_OP && d->ops ? d->ops[0] : NULL;
	int nops = d->axes & DRIVER_AXIS_OP && a->nr_ops ? a->nr_ops : 1;
	int nflags = d->axes & DRIVER_AXIS_FLAGS ? a->nr_flags : 1;
	int npages = d->axes & DRIVER_AXIS_NR_PAGES ? a->nr_nr_pages : 1;

	for (int op = 0; op < nops; op++) {
		const char *name = d->axes & DRIVER_AXIS_OP && a->nr_ops ? a->ops[op] : def_op;

		if (name && !driver_has_op(d, name))
			continue;
		for (int f = 0; f < nflags; f++)
			for (int p = 0; p < npages; p++) {
				struct case_spec cs = {
					.driver = d, .backing = b, .state = st, .op = name,
					.flags = d->axes & DRIVER_AXIS_FLAGS ? a->flags[f] :
						 d->fixed_flags,
					.nr_pages = d->axes & DRIVER_AXIS_NR_PAGES ?
						    a->nr_pages[p] : 0,
				};

				add_cell(m, a, &cs, skip);
			}
	}
}

static void build_matrix(struct run_args *a, const struct run_opts *o, struct matrix *m)
{
	const struct driver_ops *dl[MAX_LIST];
	const struct backing_ops *bl[MAX_LIST];
	const char *dskip[MAX_LIST], *bskip[MAX_LIST];
	int nd = 0, nb = 0;
	char why[REASON_MAX];

	/*
	 * Without a list, take everything that is available; a named driver or
	 * backing that is not available still shows up, skipped with its reason.
	 */
	for (int i = 0; a->nr_drivers ? i < a->nr_drivers : drivers[i] != NULL; i++) {
		const struct driver_ops *d = a->nr_drivers ? driver_find(a->drivers[i]) : drivers[i];

		why[0] = '\0';
		if (d->probe && d->probe(o, why, sizeof(why))) {
			if (!a->nr_drivers)
				continue;
			dskip[nd] = keep_reason(m, why);
		} else {
			dskip[nd] = NULL;
		}
		dl[nd++] = d;
	}
	for (int i = 0; a->nr_backings ? i < a->nr_backings : backings[i] != NULL; i++) {
		const struct backing_ops *b = a->nr_backings ? backing_find(a->backings[i]) :
							       backings[i];

		why[0] = '\0';
		if (b->probe && b->probe(o, why, sizeof(why))) {
			if (!a->nr_backings)
				continue;
			bskip[nb] = keep_reason(m, why);
		} else {
			bskip[nb] = NULL;
		}
		bl[nb++] = b;
	}

	for (int d = 0; d < nd; d++) {
		for (int b = 0; b < nb; b++) {
			for (int s = 0; s < a->nr_states; s++) {
				add_driver_cells(m, a, dl[d], bl[b], a->states[s],
						 dskip[d] ? dskip[d] : bskip[b]);
			}
		}
	}
}

/* " x2 shared" for a team case in the progress line; "" otherwise. */
static const char *team_text(const struct case_spec *cs)
{
	static char buf[64];

	if (!cs->team)
		return "";
	snprintf(buf, sizeof(buf), " x%d%s", cs->threads, cs->shared ? " shared" : "");
	return buf;
}

static void progress(int done, int total, uint64_t t0, const struct case_spec *cs)
{
	double el = (now_ns() - t0) / 1e9, eta = done ? el / done * (total - done) : 0;

	fprintf(stderr, "\r\033[K[%d/%d] %s/%s/%s%s%s%s  elapsed %.0fs  eta %.0fs",
		done + 1, total, cs->driver->name, cs->backing->name,
		state_name(cs->state), cs->op ? "/" : "",
		cs->op ? cs->op : "", team_text(cs), el, eta);
}

static void progress_round(int round, int rounds, int i, int n, uint64_t t0,
			   const struct case_spec *cs)
{
	double el = (now_ns() - t0) / 1e9;
	double done = (double)round * n + i, total = (double)rounds * n;
	double eta = done ? el / done * (total - done) : 0;

	fprintf(stderr, "\r\033[K[round %d/%d, %d/%d] %s/%s/%s%s%s%s  elapsed %.0fs  eta %.0fs",
		round + 1, rounds, i + 1, n, cs->driver->name, cs->backing->name,
		state_name(cs->state), cs->op ? "/" : "", cs->op ? cs->op : "", team_text(cs), el,
		eta);
}

static int write_result(const char *path, struct result *r)
{
	team_scaling(r);
	if (!path)
		return 0;
	if (result_write(path, r)) {
		fprintf(stderr, "gupbench run: cannot write %s: %s\n", path, strerror(errno));
		return -1;
	}
	return 0;
}

/* The command line as given: option parsing cuts comma lists in place. */
static char **argv_copy(int argc, char **argv)
{
	char **v = calloc(argc + 1, sizeof(*v));

	for (int i = 0; v && i < argc; i++)
		if (!(v[i] = strdup(argv[i]))) {
			while (i--)
				free(v[i]);
			free(v);
			return NULL;
		}
	return v;
}

static void argv_free(int argc, char **v)
{
	for (int i = 0; v && i < argc; i++)
		free(v[i]);
	free(v);
}

static void set_params(struct result *r, const struct run_args *a, const struct run_opts *o)
{
	struct run_params *p = &r->params;

	p->preset = strdup(a->preset ? a->preset->name : "default");
	p->size_bytes = o->size;
	p->samples = o->samples;
	p->warmup = o->warmup;
	p->count_ops = o->count_ops;
	p->file_dir = strdup(o->file_dir);
	p->cpu = o->cpu;
	p->mem_node = o->mem_node;
	p->order = strdup(a->sequential ? "sequential" : "interleaved");
	p->rounds = o->rounds;
}

/* Case after case, each whole; the file rewritten after every case. 0, or 1 (no memory). */
static int run_sequential(struct matrix *m, const struct run_opts *o, struct counters *ctr,
			  struct result *r, const char *out, bool show_progress)
{
	uint64_t t0 = now_ns();

	for (int i = 0; i < m->n && !stop_requested; i++) {
		struct cell *cl = &m->cells[i];
		struct result_case *c;

		if (show_progress)
			progress(i, m->n, t0, &cl->cs);
		c = result_add_case(r);
		if (!c) {
			perror("gupbench");
			return 1;
		}
		if (cl->skip)
			case_skipped(&cl->cs, o, cl->skip, c);
		else
			run_case(&cl->cs, o, ctr, c);
		/* Rewritten after every case: an interrupted run keeps what finished. */
		if (write_result(out, r))
			return 1;
	}
	return 0;
}

/*
 * Round i runs sample i of every case (each with its warm-up, in a buffer of
 * its own), so that whatever drifts during the run (the machine's load, its
 * clock, page cache) hits every case alike, and sample i of two cases is a
 * pair taken moments apart. The file is rewritten after every round.
 */
static int run_interleaved(struct matrix *m, const struct run_opts *o, struct counters *ctr,
			   struct result *r, const char *out, bool show_progress)
{
	struct case_run *cr = calloc(m->n, sizeof(*cr));
	uint64_t t0 = now_ns();
	int rc = 0;

	if (!cr) {
		perror("gupbench");
		return 1;
	}
	/* every case first: the cases array does not move once all are in */
	for (int i = 0; i < m->n; i++) {
		if (!result_add_case(r)) {
			perror("gupbench");
			free(cr);
			return 1;
		}
	}
	for (int i = 0; i < m->n; i++) {
		if (m->cells[i].skip) {
			case_skipped(&m->cells[i].cs, o, m->cells[i].skip, &r->cases[i]);
			cr[i].done = true;
			cr[i].c = NULL;
		} else {
			case_run_begin(&cr[i], &m->cells[i].cs, o, &r->cases[i]);
		}
	}
	for (int round = 0; round < o->rounds && !stop_requested; round++) {
		/* the samples spread evenly: the first (samples % rounds) rounds take one more */
		int nr = o->samples / o->rounds + (round < o->samples % o->rounds);

		for (int i = 0; i < m->n && !stop_requested; i++) {
			if (!cr[i].c || cr[i].done)
				continue;
			if (show_progress)
				progress_round(round, o->rounds, i, m->n, t0, &m->cells[i].cs);
			case_run_round(&cr[i], o, ctr, nr);
			case_run_fill(&cr[i]);
		}
		if (write_result(out, r)) {
			rc = 1;
			break;
		}
	}
	for (int i = 0; i < m->n; i++)
		if (cr[i].c)
			case_run_end(&cr[i]);
	free(cr);
	return rc;
}

int cmd_run(int argc, char **argv)
{
	struct run_opts o = { .file_dir = ".", .cpu = -1, .mem_node = -1 };
	struct run_args a = { .warmup = -1, .count_ops = -1 };
	struct cli cli = { .cmd = "run", .help = RUN_USAGE };
	struct matrix m = { 0 };
	struct result r;
	bool show_progress, stop;
	char why[REASON_MAX], **given = argv_copy(argc, argv);
	struct counters *ctr;
	int rc;

	if (!given) {
		perror("gupbench");
		return 1;
	}
	rc = parse_args(&cli, argc, argv, &a, &o, &stop);
	if (stop)
		goto out_args;
	apply_preset(&a, &o);
	rc = 2;
	if (a.out && !a.force && access(a.out, F_OK) == 0) {
		cli_error(&cli, "%s exists (use --force to overwrite it)", a.out);
		goto out_args;
	}
	if (o.cpu >= 0 && placement_bind_cpu(o.cpu, why, sizeof(why))) {
		cli_error(&cli, "--cpu %d: %s", o.cpu, why);
		goto out_args;
	}
	if (o.mem_node >= 0 && o.mem_node >= placement_nr_nodes()) {
		cli_error(&cli, "--mem-node %d: this machine has %d node(s)", o.mem_node,
			  placement_nr_nodes());
		goto out_args;
	}

	build_matrix(&a, &o, &m);
	if (!m.n) {
		cli_error(&cli, "nothing to run (see gupbench list)");
		goto out_matrix;
	}

	result_init(&r, argc, given);
	set_params(&r, &a, &o);
	if (write_result(a.out, &r)) {
		rc = 1;
		goto out_result;
	}

	ctr = counters_open();
	show_progress = !a.quiet && isatty(STDERR_FILENO);
	rc = a.sequential ? run_sequential(&m, &o, ctr, &r, a.out, show_progress) :
			    run_interleaved(&m, &o, ctr, &r, a.out, show_progress);
	if (show_progress)
		fprintf(stderr, "\r\033[K");
	counters_close(ctr);
	counters_cleanup();
	settings_restore();

	result_finish(&r, stop_requested != 0);
	if (write_result(a.out, &r))
		rc = 1;

	cli_print(run_views, cli.format, stdout, &r);
	fflush(stdout);
	if (a.out)
		fprintf(stderr, "gupbench run: wrote %s\n", a.out);
	if (stop_requested) {
		fprintf(stderr, "gupbench run: interrupted; %zu case(s) kept\n", r.nr_cases);
		rc = 128 + stop_requested;
	}
out_result:
	result_free(&r);
out_matrix:
	for (int i = 0; i < m.n; i++) {
		free(m.cells[i].cpus);
		free(m.cells[i].nodes);
	}
	free(m.cells);
out_args:
	argv_free(argc, given);
	return rc;
}
