#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Runs inside a test-bed guest (scripts/vm-run): the installed kselftest-style tree's
# run_gupbench.sh, twice. On the host, first:
#   make install DESTDIR=$PWD/build/kst-dest
#   scripts/vm-run --kernel deb-6.12 --out OUT --include build/kst-dest -- tests/vm/guest-install.sh
# (GUPBENCH_KST_TREE overrides where the tree is.) Writes into the working folder:
#   loaded.{tap,err,rc}  with the module vm-run loaded: run_gupbench.sh uses /dev/gupbench
#                        and leaves it loaded (loaded.after: "present")
#   own.{tap,err,rc}     with the module unloaded and vm-run's gupbench.ko copied into the
#                        tree's kmod/ (the guest cannot build it): run_gupbench.sh loads it,
#                        runs the kmod cases and unloads it (own.after: "absent")
# Expected of both: rc 0, no "not ok", no kmod case skipped. Afterwards the module is
# loaded again, so that vm-run's own unload check sees what it loaded.
set -u
# the tree: $1 (relative to the checkout), else GUPBENCH_KST_TREE, else build/kst-dest's
T=${1:+$GUPBENCH_TOP/$1}
T=${T:-${GUPBENCH_KST_TREE:-$GUPBENCH_TOP/build/kst-dest/usr/local/libexec/gupbench}}
export TMPDIR=$PWD
dev_state() { if [ -e /dev/gupbench ]; then echo present; else echo absent; fi; }

"$T/run_gupbench.sh" >loaded.tap 2>loaded.err
echo $? >loaded.rc
dev_state >loaded.after

if [ -n "${GUPBENCH_KMOD_PATH:-}" ] && [ -f "$GUPBENCH_KMOD_PATH" ]; then
	rmmod gupbench 2>own.err
	cp "$GUPBENCH_KMOD_PATH" "$T/kmod/gupbench.ko"
	"$T/run_gupbench.sh" >own.tap 2>>own.err
	echo $? >own.rc
	dev_state >own.after
	rm -f "$T/kmod/gupbench.ko"
	[ -e /dev/gupbench ] || insmod "$GUPBENCH_KMOD_PATH" 2>>own.err
else
	echo "no module from vm-run (GUPBENCH_KMOD_PATH empty)" >own.err
	echo 4 >own.rc
fi
exit 0
