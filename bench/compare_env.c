// SPDX-License-Identifier: GPL-2.0
/* What differs between the two sides of a comparison, besides the numbers. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "compare.h"
#include "clock_note.h"

/*
 * What a comparison must see first. kernel: what A/B comparisons of kernels
 * are about; the others are warned about when they differ.
 */
struct env_field {
	const char *name;
	bool kernel;
	const char *(*get)(const struct result *r, char *buf, size_t n);
};

#define ENV_STR(fn, expr) \
	static const char *fn(const struct result *r, char *buf, size_t n) \
	{ (void)buf; (void)n; return (expr); }

ENV_STR(get_release, r->env.kernel_release)
ENV_STR(get_version, r->env.kernel_version)
ENV_STR(get_package, r->env.kernel_package)
ENV_STR(get_cmdline, r->env.kernel_cmdline)
ENV_STR(get_preempt, r->env.kernel_preempt)
ENV_STR(get_cpu, r->env.cpu_model)
ENV_STR(get_thp, r->env.thp_enabled)
ENV_STR(get_defrag, r->env.thp_defrag)
ENV_STR(get_shmem, r->env.thp_shmem_enabled)
ENV_STR(get_accel, r->env.accelerator)
ENV_STR(get_icount, r->env.icount)
ENV_STR(get_tool, r->tool_version)
ENV_STR(get_git, r->tool_git)
ENV_STR(get_module, r->env.module_version)
ENV_STR(get_host, r->env.hostname)

static const char *get_cpus(const struct result *r, char *buf, size_t n)
{
	snprintf(buf, n, "%d CPUs, %d nodes", r->env.cpus, r->env.numa_nodes);
	return buf;
}

/* Huge pages free at the start, per size: a pool set up differently changes hugetlb cases. */
static const char *get_hugetlb(const struct result *r, char *buf, size_t n)
{
	size_t used = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < r->env.nr_hugetlb && used < n; i++)
		used += snprintf(buf + used, n - used, "%s%ldkB:%ld", used ? " " : "",
				 r->env.hugetlb[i].size_kb, r->env.hugetlb[i].nr);
	return buf;
}

/* Per-call times read with another clocksource or counter are not comparable. */
static const char *get_clock(const struct result *r, char *buf, size_t n)
{
	return clock_info_identity(&r->env.clock, buf, n);
}

/* The config items the file records, as one line: differences show item by item below. */
static const char *get_config(const struct result *r, char *buf, size_t n)
{
	size_t used = 0;
	char v[64];

	buf[0] = '\0';
	for (size_t i = 0; i < r->env.config.n && used < n; i++)
		used += snprintf(buf + used, n - used, "%s%s=%s", used ? " " : "",
				 r->env.config.v[i].key,
				 attrs_text(&r->env.config, r->env.config.v[i].key, v, sizeof(v)));
	return buf;
}

static const struct env_field env_fields[] = {
	{ "kernel.release", true, get_release },
	{ "kernel.version", true, get_version },
	{ "kernel.package", true, get_package },
	{ "kernel.cmdline", true, get_cmdline },
	{ "config", true, get_config },
	{ "kernel.preempt", false, get_preempt },
	{ "cpu.model", false, get_cpu },
	{ "cpu.topology", false, get_cpus },
	{ "thp.enabled", false, get_thp },
	{ "thp.defrag", false, get_defrag },
	{ "thp.shmem_enabled", false, get_shmem },
	{ "hugetlb.nr", false, get_hugetlb },
	{ "accelerator", false, get_accel },
	{ "icount", false, get_icount },
	{ "clock", false, get_clock },
	{ "tool.version", false, get_tool },
	{ "tool.git", false, get_git },
	{ "module_version", false, get_module },
	{ "hostname", false, get_host },
};
#define NR_ENV_FIELDS (sizeof(env_fields) / sizeof(env_fields[0]))

/* Files older than the field lack it: a run that does not say differs from none. */
static bool newer(const struct env_field *f)
{
	return !strcmp(f->name, "clock");
}

/* The side's one value of f, or NULL with *mixed set when its runs disagree. */
static const char *side_value(const struct side *s, const struct env_field *f, char *buf,
			      size_t n, bool *mixed)
{
	char other[1024];
	const char *v0, *v;

	*mixed = false;
	if (!s->nr_runs)
		return NULL;
	v0 = f->get(&s->runs[0], buf, n);
	for (size_t i = 1; i < s->nr_runs; i++) {
		v = f->get(&s->runs[i], other, sizeof(other));
		/* a newer field: the runs that say it agree, the others do not count */
		if (newer(f) && !v)
			continue;
		if (newer(f) && !v0) {
			v0 = f->get(&s->runs[i], buf, n);
			continue;
		}
		if (strcmp(v0 ? v0 : "", v ? v : "")) {
			*mixed = true;
			return NULL;
		}
	}
	return v0;
}


size_t env_diff(const struct side *a, const struct side *b, struct env_diff *out)
{
	size_t n = 0;

	for (size_t i = 0; i < NR_ENV_FIELDS; i++) {
		const struct env_field *f = &env_fields[i];
		struct env_diff *d = &out[n];
		const char *va, *vb;

		va = side_value(a, f, d->a, sizeof(d->a), &d->mixed_a);
		if (va != d->a)
			snprintf(d->a, sizeof(d->a), "%s", d->mixed_a ? "(mixed)" : va ? va : "(null)");
		vb = side_value(b, f, d->b, sizeof(d->b), &d->mixed_b);
		if (vb != d->b)
			snprintf(d->b, sizeof(d->b), "%s", d->mixed_b ? "(mixed)" : vb ? vb : "(null)");
		if (!d->mixed_a && !d->mixed_b && !strcmp(d->a, d->b))
			continue;
		if (newer(f) && ((!va && !d->mixed_a) || (!vb && !d->mixed_b)))
			continue;
		/* the hostname names machines, and a config difference shows in its items */
		d->field = f->name;
		d->kernel = f->kernel;
		n++;
	}
	return n;
}

/* The VM test bed sets GUPBENCH_ICOUNT to 0 or 1: "0" is a run in real time. */
bool run_exact(const struct result *r)
{
	return r->env.icount && strcmp(r->env.icount, "0");
}

bool side_exact(const struct side *s)
{
	for (size_t i = 0; i < s->nr_runs; i++)
		if (!run_exact(&s->runs[i]))
			return false;
	return s->nr_runs > 0;
}

static void add_warning(struct report *rp, const char *fmt, ...)
{
	va_list ap;

	if (rp->nr_warnings == WARNINGS_MAX)
		return;
	va_start(ap, fmt);
	vsnprintf(rp->warn_buf[rp->nr_warnings], sizeof(rp->warn_buf[0]), fmt, ap);
	va_end(ap);
	rp->warnings[rp->nr_warnings] = rp->warn_buf[rp->nr_warnings];
	rp->nr_warnings++;
}

/* Per-call figures near the clock's tick, over both sides' runs: one warning. */
static void quantised_warning(struct report *rp)
{
	struct quantised q = { 0 };
	char note[200];

	if (!rp->co || !rp->co->metric || strcmp(rp->co->metric, "call"))
		return;
	for (size_t i = 0; i < rp->a->nr_runs; i++)
		quantised_add(&q, &rp->a->runs[i]);
	for (size_t i = 0; rp->b != rp->a && i < rp->b->nr_runs; i++)
		quantised_add(&q, &rp->b->runs[i]);
	if (quantised_note(&q, note, sizeof(note)))
		add_warning(rp, "%s", note);
}

void make_warnings(struct report *rp)
{
	bool exact_a = side_exact(rp->a), exact_b = side_exact(rp->b);

	for (size_t i = 0; i < rp->nr_diff; i++) {
		const struct env_diff *d = &rp->diff[i];

		if (d->mixed_a || d->mixed_b)
			add_warning(rp, "the runs of side %s differ in %s", d->mixed_a ? "A" : "B",
				    d->field);
		else if (!strcmp(d->field, "clock"))
			add_warning(rp, "the sides read different clocks: their per-call times do "
				    "not compare");
		else if (!d->kernel && strcmp(d->field, "hostname"))
			add_warning(rp, "the sides differ in %s, not only in the kernel", d->field);
	}
	if (exact_a != exact_b)
		add_warning(rp, "%s is -icount, %s is not: instruction counts compare only with "
			    "instruction counts", exact_a ? "A" : "B", exact_a ? "B" : "A");
	if (!rp->exact && rp->a->nr_runs && rp->a->runs[0].env.accelerator &&
	    !strcmp(rp->a->runs[0].env.accelerator, "emulated"))
		add_warning(rp, "wall-clock times under QEMU TCG measure the emulator, not the "
			    "kernel");
	quantised_warning(rp);
}

const char *env_field_text(const char *field, const struct result *r, char *buf, size_t n)
{
	for (size_t i = 0; i < NR_ENV_FIELDS; i++)
		if (!strcmp(env_fields[i].name, field))
			return env_fields[i].get(r, buf, n);
	return NULL;
}
