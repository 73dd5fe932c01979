# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# TAP helpers for shell tests run under prove. Source it, call plan, then ok/skip.
TOP=$(cd "$(dirname "$0")/../.." && pwd)
GUPBENCH=${GUPBENCH:-$TOP/bench/gupbench}
_n=0
_failed=0

plan() { echo "1..$1"; }
# A skipped file exits 0: prove counts it as skipped (and prints the reason), not failed.
skip_all() { echo "1..0 # SKIP $*"; exit 0; }
# The whole file fails with one reason (e.g. a kernel it needs cannot be had).
fail_all() { echo "1..1"; echo "not ok 1 - $*"; echo "#   Failed test 1 in ${0#"$TOP/"}: $*" >&2; exit 1; }
# ok COND_EXIT_STATUS DESCRIPTION: pass the status of the check, e.g. ok $? "..."
ok() {
	_n=$((_n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $_n - $2"
	else
		echo "not ok $_n - $2"
		# prove shows stderr without -v: a CI log then says what failed, not only which
		echo "#   Failed test $_n in ${0#"$TOP/"}: $2" >&2
		_failed=$((_failed + 1))
	fi
}
skip() { _n=$((_n + 1)); echo "ok $_n - $1 # SKIP $2"; }
diag() { echo "# $*"; }
done_testing() { [ "$_failed" -eq 0 ]; exit $?; }

# What the VM tests fetch from Debian's archive. fetch_script NAME ARGS... runs scripts/NAME
# (kernel-fetch, sysroot-fetch) and returns its status: 0 (KFETCH_OUT holds its shell
# lines), 3 when Debian's archive cannot be reached and nothing is cached, anything else on
# a real failure; KFETCH_ERR is its last stderr line. Only status 3 may skip a test: a
# reachable archive without a usable kernel is a failure. kernel_fetch [--arch ARCH] KIND
# is fetch_script kernel-fetch.
KFETCH_OUT='' KFETCH_ERR=''
# shellcheck disable=SC2034  # KFETCH_OUT is for the test that sources this file
fetch_script() {
	local errf rc=0
	errf=$(mktemp)
	KFETCH_OUT=$("$TOP/scripts/$1" "${@:2}" 2>"$errf") || rc=$?
	KFETCH_ERR=$(tail -n 1 "$errf")
	rm -f "$errf"
	return $rc
}
kernel_fetch() { fetch_script kernel-fetch "$@"; }
# Skipped for lack of the archive: noted in build/vm-skipped.txt, which `make test` prints
# after prove's summary (and removes), so such a run does not pass unnoticed.
VM_SKIPPED_FILE=${VM_SKIPPED_FILE:-$TOP/build/vm-skipped.txt}
note_unreachable() {
	mkdir -p "$(dirname "$VM_SKIPPED_FILE")" &&
		echo "$(basename "$0"): $*" >>"$VM_SKIPPED_FILE"
}
# need_kernel [--arch ARCH] KIND: fetch it; skip the whole file only if the archive is unreachable,
# fail it otherwise.
# need_tools TOOL...: the tests' tools come from Debian's registry (scripts/setup.sh
# installs them): a test fails without them, it never skips for want of them.
need_tools() {
	local t
	for t in "$@"; do
		command -v "$t" >/dev/null || fail_all "$t not installed (run scripts/setup.sh)"
	done
}

need_kernel() {
	need_fetch kernel-fetch "$@" || skip_all "no $* kernel: $KFETCH_ERR"
}
# need_fetch NAME ARGS...: fetch_script; status 3 is noted for make test and returned (the
# caller skips what needs it), any other failure fails the file.
need_fetch() {
	fetch_script "$@"
	case $? in
	0) return 0 ;;
	3) note_unreachable "${*:2}: $KFETCH_ERR"; return 3 ;;
	*) fail_all "$* failed: $KFETCH_ERR" ;;
	esac
}
