#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Runs inside a host-fs guest (scripts/vm-run --host-fs), in the checkout, as root: `make
# bench` as README tells a user, and what happens around it. On the host:
#   scripts/vm-run --kernel deb-6.12 --host-fs --out OUT -- tests/vm/guest-bench-hostfs.sh readme ...
# Each argument is a scenario, run in the order given; each writes NAME.out, NAME.err,
# NAME.rc (make bench's status) and NAME.after (the gupbench line of /proc/modules after
# it, empty when the module is gone) into $GUPBENCH_WORKDIR (OUT on the host):
#   readme     GUPBENCH_ARGS="--preset quick" make bench, word for word; its result goes to
#              results/ in the checkout (vm-run copies it to OUT/results/)
#   loaded     the module built and loaded beforehand: make bench must leave it loaded
#   interrupt  SIGINT to make bench's process group (Ctrl-C) while a kmod case runs with
#              the hugetlb pool raised; NAME.before/NAME.settings: THP modes and the pool
#              before and after, NAME.during: the pool and the module's refcount when hit
#   broken     a compile error injected through KCFLAGS: the userspace drivers run
#   nomodule   GUPBENCH_NO_MODULE=1 make bench: the module is neither built nor loaded
#   refused    module signatures enforced (module.sig_enforce=1, which can be switched on
#              at run time and never off): insmod must fail and make bench say why
# The scenarios other than readme keep their results under $GUPBENCH_WORKDIR/NAME/.
set -u
W=${GUPBENCH_WORKDIR:?not in a vm-run guest}
quick="--preset quick --backing anon,hugetlb"

module_line() { grep '^gupbench ' /proc/modules; }
settings() {
	cat /sys/kernel/mm/transparent_hugepage/enabled /sys/kernel/mm/transparent_hugepage/shmem_enabled \
		/proc/sys/vm/nr_hugepages 2>&1
}
# bench NAME [VAR=VALUE...]: make bench with that environment, its output into W
bench() {
	local n=$1
	shift
	env "$@" make bench >"$W/$n.out" 2>"$W/$n.err"
	echo $? >"$W/$n.rc"
	module_line >"$W/$n.after"
}

for s in "$@"; do
	case $s in
	readme)
		GUPBENCH_ARGS="--preset quick" make bench >"$W/readme.out" 2>"$W/readme.err"
		echo $? >"$W/readme.rc"
		module_line >"$W/readme.after"
		;;
	loaded)
		{ make -s -C kmod && insmod kmod/gupbench.ko; } >"$W/loaded.pre" 2>&1
		bench loaded GUPBENCH_RESULTS="$W/loaded" GUPBENCH_ARGS="$quick --driver kmod"
		rmmod gupbench
		;;
	interrupt)
		settings >"$W/interrupt.before"
		# (job control: the background job gets its own process group and does not
		# ignore SIGINT, as a terminal's foreground job would)
		set -m
		# (hugetlb raises the pool until gupbench exits; anon with many samples keeps a
		# kmod case running for a while)
		GUPBENCH_RESULTS="$W/interrupt" GUPBENCH_ARGS="--preset quick --driver kmod --backing hugetlb,anon --samples 1000" \
			make bench >"$W/interrupt.out" 2>"$W/interrupt.err" &
		pid=$!
		set +m
		# a kmod case runs: /dev/gupbench open (the module's refcount) and the pool raised
		i=0
		while [ $i -lt 1200 ]; do
			ref=$(cat /sys/module/gupbench/refcnt 2>/dev/null || echo 0)
			pool=$(cat /proc/sys/vm/nr_hugepages)
			[ "$ref" -gt 0 ] && [ "$pool" -gt 0 ] && break
			kill -0 $pid 2>/dev/null || break
			sleep 0.1
			i=$((i + 1))
		done
		echo "nr_hugepages=$pool refcnt=$ref waited_ds=$i" >"$W/interrupt.during"
		kill -INT -- -$pid
		wait $pid
		echo $? >"$W/interrupt.rc"
		module_line >"$W/interrupt.after"
		settings >"$W/interrupt.settings"
		;;
	broken)
		echo '#error injected by tests/vm/bench-hostfs.t' >/tmp/broken.h
		bench broken GUPBENCH_RESULTS="$W/broken" GUPBENCH_ARGS="$quick" KCFLAGS="-include /tmp/broken.h"
		;;
	nomodule)
		bench nomodule GUPBENCH_RESULTS="$W/nomodule" GUPBENCH_ARGS="$quick" GUPBENCH_NO_MODULE=1
		;;
	refused)
		echo 1 >/sys/module/module/parameters/sig_enforce
		bench refused GUPBENCH_RESULTS="$W/refused" GUPBENCH_ARGS="$quick"
		;;
	*)
		echo "guest-bench-hostfs.sh: unknown scenario '$s'" >&2
		exit 2
		;;
	esac
done
exit 0
