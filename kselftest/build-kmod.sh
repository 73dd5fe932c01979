#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Builds kmod/gupbench.ko of this installed tree against the running kernel's build
# tree, or KDIR=<kernel build tree>:
#   ./build-kmod.sh [KDIR]
# The objects land in kmod/ next to the sources; run_gupbench.sh loads kmod/gupbench.ko.
set -u
here=$(cd "$(dirname "$0")" && pwd)
KDIR=${1:-${KDIR:-/lib/modules/$(uname -r)/build}}
if [ ! -d "$KDIR" ]; then
	echo "build-kmod.sh: no kernel build tree at $KDIR (install the kernel's headers or pass KDIR)" >&2
	exit 1
fi
command -v make >/dev/null || { echo "build-kmod.sh: make not installed" >&2; exit 1; }
make -C "$here/kmod" KDIR="$KDIR" || exit 1
[ -f "$here/kmod/gupbench.ko" ] || { echo "build-kmod.sh: no kmod/gupbench.ko after the build" >&2; exit 1; }
echo "build-kmod.sh: built $here/kmod/gupbench.ko against $KDIR"
