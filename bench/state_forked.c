// SPDX-License-Identifier: GPL-2.0
/*
 * State forked: warm private pages shared with a child after fork(). The
 * parent's PTEs are write-protected and its anon pages lose
 * PageAnonExclusive, so a WRITE pin needs a write fault and an R/O FOLL_PIN
 * must unshare (gup_must_unshare()): GUP-fast leaves both to the slow path.
 * The child only holds the mapping: it waits until state_forked_release()
 * kills and reaps it, and dies with the thread that forked it
 * (PR_SET_PDEATHSIG), so no exit of gupbench, not even SIGKILL, leaves it
 * behind.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include "gupbench.h"
#include "buffer.h"
#include "pagemap.h"
#include "state.h"
#include "util.h"

/* The child: holds the pages, nothing else; async-signal-safe calls only. */
static void __attribute__((noreturn)) child_hold(pid_t parent)
{
	struct sigaction ign = { .sa_handler = SIG_IGN }, dfl = { .sa_handler = SIG_DFL };

	if (prctl(PR_SET_PDEATHSIG, SIGKILL) || getppid() != parent)
		_exit(0);
	/* Ctrl-C and hangup reach the whole process group: the parent decides */
	sigaction(SIGINT, &ign, NULL);
	sigaction(SIGHUP, &ign, NULL);
	sigaction(SIGTERM, &dfl, NULL);
	/* no device, ring or counter stays open on its account */
	close_range(0, ~0u, 0);
	for (;;)
		pause();
}

int state_forked_make(enum buf_state s, const struct backing_ops *ops, struct buffer *b,
		      char *why, size_t n)
{
	pid_t parent = getpid(), pid;
	struct page_census pc;
	struct vma_desc v;
	char words[64];

	(void)s;
	if (state_vma(b, &v, why, n))
		return -1;
	if (v.shared) {
		set_reason(why, n, "forked: %s is %s: parent and child share its pages and "
			   "nothing is copied on write, so there is nothing to unshare (only "
			   "private mappings apply)", ops->name,
			   state_vma_words(&v, words, sizeof(words)));
		return -1;
	}
	buffer_touch(b);
	if (buffer_verify(ops, b, why, n))
		return -1;
	pid = fork();
	if (pid < 0) {
		set_reason(why, n, "forked: fork: %s", strerror(errno));
		return -1;
	}
	if (pid == 0)
		child_hold(parent);
	b->child_pid = pid;

	if (page_census(b->addr, b->len, STATE_CENSUS_PAGES, &pc, why, n))
		return -1;
	attrs_set_str(&b->actual, "state.verified_by", "pagemap PM_MMAP_EXCLUSIVE");
	attrs_set_int(&b->actual, "state.pages_sampled", pc.sampled);
	attrs_set_int(&b->actual, "state.pages_exclusive", pc.exclusive);
	if (pc.present < pc.sampled) {
		set_reason(why, n, "forked: %zu of %zu sampled pages are not mapped after fork",
			   pc.sampled - pc.present, pc.sampled);
		return -1;
	}
	if (pc.exclusive) {
		set_reason(why, n, "forked: %zu of %zu sampled pages are still mapped by this "
			   "process alone after fork", pc.exclusive, pc.sampled);
		return -1;
	}
	return 0;
}

void state_forked_release(struct buffer *b)
{
	pid_t pid = b->child_pid;

	if (pid <= 0)
		return;
	kill(pid, SIGKILL);
	while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
		;
	b->child_pid = 0;
}
