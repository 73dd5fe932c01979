#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make bench: set up what is missing, build, run the default preset with every
# driver and backing this machine supports, keep the result under results/.
# With root and headers for the running kernel, the helper module is built,
# loaded for the run and unloaded after (a module already loaded is left alone).
# Extra arguments go to gupbench run (GUPBENCH_ARGS="--preset quick" make bench);
# GUPBENCH_RESULTS=DIR writes under DIR instead of results/.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

if [ "$(id -u)" -eq 0 ]; then
	scripts/setup.sh --build
else
	echo "bench: not root: skipping package setup; cases that need root are skipped with reasons" >&2
fi
make -s gupbench

loaded_here=
cleanup() {
	if [ -n "$loaded_here" ]; then
		rmmod gupbench && echo "bench: unloaded gupbench.ko" >&2
	fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [ "$(id -u)" -eq 0 ] && [ -d "/lib/modules/$(uname -r)/build" ] && [ -f kmod/Makefile ] &&
   [ -e /proc/modules ]; then
	if grep -q '^gupbench ' /proc/modules; then
		echo "bench: gupbench.ko already loaded: using it, leaving it loaded" >&2
	elif make -s -C kmod && insmod kmod/gupbench.ko; then
		loaded_here=1
		echo "bench: loaded kmod/gupbench.ko" >&2
	else
		echo "bench: could not build or load kmod/gupbench.ko: the kmod driver is skipped" >&2
	fi
else
	echo "bench: no module support, root or headers for $(uname -r): the kmod driver is skipped" >&2
fi

host=$(hostname -s 2>/dev/null || hostname)
dir=${GUPBENCH_RESULTS:-results}/$host/$(uname -r)
mkdir -p "$dir"
out=$dir/$(date -u +%Y%m%dT%H%M%SZ).json
# A file-backed backing needs a writeback filesystem: the checkout's is the best guess.
bench/gupbench run --preset default --file-dir "$top" ${GUPBENCH_ARGS:-} -o "$out"
echo "bench: result in $out"
