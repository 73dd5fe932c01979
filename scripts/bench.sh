#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make bench: set up what is missing, build, run the default preset with every
# driver and backing this machine supports, keep the result under results/.
# With root and headers for the running kernel, the helper module is built,
# loaded for the run and unloaded after (a module already loaded is left alone).
# Extra arguments go to gupbench run (GUPBENCH_ARGS="--preset quick" make bench);
# GUPBENCH_RESULTS=DIR writes under DIR instead of results/; GUPBENCH_NO_MODULE=1 leaves
# the module alone (not built, not loaded).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

if [ "$(id -u)" -eq 0 ]; then
	scripts/setup.sh --build
else
	echo "bench: not root: skipping package setup; cases that need root are skipped with reasons" >&2
fi
make -s gupbench

# The module: built against the running kernel's headers, loaded for the run and unloaded
# after it, also after Ctrl-C or a failure; one already loaded is used and left alone.
# GUPBENCH_MODULE_LOAD says what happened (system.module_load in the result): "loaded by
# make bench", "already loaded", "could not load: REASON" or "not attempted: REASON".
loaded_here=
tmpd=$(mktemp -d)
cleanup() {
	if [ -n "$loaded_here" ] && grep -q '^gupbench ' /proc/modules; then
		if rmmod gupbench; then
			echo "bench: unloaded gupbench.ko" >&2
		else
			echo "bench: could not unload gupbench.ko: it stays loaded" >&2
		fi
	fi
	rm -rf "$tmpd"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

# insmod's words for the usual refusals, with what to do about them
load_hint() {
	case $1 in
	*"Key was rejected"*|*"Required key not available"*)
		echo " (module signatures are enforced: sign kmod/gupbench.ko with a key this kernel trusts)" ;;
	*"Invalid module format"*)
		echo " (built for another kernel than $(uname -r)? see dmesg)" ;;
	*"Operation not permitted"*)
		echo " (kernel lockdown, or kernel.modules_disabled=1?)" ;;
	esac
}

load_module() {
	local kbuild why
	kbuild=/lib/modules/$(uname -r)/build
	if [ -n "${GUPBENCH_NO_MODULE:-}" ]; then
		GUPBENCH_MODULE_LOAD="not attempted: GUPBENCH_NO_MODULE is set"
	elif [ "$(id -u)" -ne 0 ]; then
		GUPBENCH_MODULE_LOAD="not attempted: not root"
	elif [ ! -e /proc/modules ]; then
		GUPBENCH_MODULE_LOAD="not attempted: this kernel has no module support"
	elif grep -q '^gupbench ' /proc/modules; then
		GUPBENCH_MODULE_LOAD="already loaded"
		echo "bench: gupbench.ko already loaded: using it, leaving it loaded" >&2
		return 0
	elif [ ! -f kmod/Makefile ]; then
		GUPBENCH_MODULE_LOAD="not attempted: no kmod/ in this tree"
	elif [ ! -d "$kbuild" ]; then
		GUPBENCH_MODULE_LOAD="not attempted: no headers for $(uname -r) in $kbuild"
	elif ! make -s -C kmod >"$tmpd/kmod-build.log" 2>&1; then
		why=$(grep -m1 -E 'error|Error' "$tmpd/kmod-build.log" || tail -n 1 "$tmpd/kmod-build.log")
		GUPBENCH_MODULE_LOAD="could not load: build failed: $why"
		echo "bench: could not build kmod/gupbench.ko against $kbuild (make -C kmod):" >&2
		{ grep -E 'error|Error' "$tmpd/kmod-build.log" || tail -n 10 "$tmpd/kmod-build.log"; } |
			head -n 10 | sed 's/^/bench:   /' >&2
	else
		# (set first: a Ctrl-C right after insmod must still unload it)
		loaded_here=1
		if insmod kmod/gupbench.ko 2>"$tmpd/insmod.err"; then
			GUPBENCH_MODULE_LOAD="loaded by make bench"
			echo "bench: loaded kmod/gupbench.ko (version $(cat /sys/module/gupbench/version 2>/dev/null || echo unknown))" >&2
			return 0
		fi
		loaded_here=
		why=$(tail -n 1 "$tmpd/insmod.err" | sed 's/^insmod: ERROR: could not insert module [^:]*: //')
		GUPBENCH_MODULE_LOAD="could not load: insmod: ${why:-failed}$(load_hint "$why")"
	fi
	echo "bench: the kmod driver is skipped: gupbench.ko $GUPBENCH_MODULE_LOAD" >&2
}
GUPBENCH_MODULE_LOAD=
load_module
export GUPBENCH_MODULE_LOAD

host=$(hostname -s 2>/dev/null || hostname)
dir=${GUPBENCH_RESULTS:-results}/$host/$(uname -r)
mkdir -p "$dir"
out=$dir/$(date -u +%Y%m%dT%H%M%SZ).json
# A file-backed backing needs a writeback filesystem: the checkout's is the best guess.
# shellcheck disable=SC2086 # (GUPBENCH_ARGS holds options, one a word)
bench/gupbench run --preset default --file-dir "$top" ${GUPBENCH_ARGS:-} -o "$out"
echo "bench: result in $out"
