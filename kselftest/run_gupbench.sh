#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# gupbench as a kselftest: a small matrix of GUP-fast cases on the running kernel, each
# checked against expectations.tsv (status, errno, slow-path entries, pins balanced), one
# TAP line per case. Drivers: iouring and futex always; kmod when /dev/gupbench exists, or
# after loading kmod/gupbench.ko (built by build-kmod.sh; built here if it is missing and
# the kernel's build tree is installed), unloaded again at the end.
# Exit status as kselftest's: 0 every case passed or skipped, 1 a case failed, 4 skipped
# (not root, no jq, the binary cannot run, or every case skipped).
# Environment: GUPBENCH_KST_SIZE (buffer size, default 4M), GUPBENCH_KST_SAMPLES (default
# 3), KDIR (kernel build tree for building the module), TMPDIR.
set -u
here=$(cd "$(dirname "$0")" && pwd)
G=$here/gupbench
KSFT_PASS=0 KSFT_FAIL=1 KSFT_SKIP=4
BACKINGS=anon,anon-thp,shmem,hugetlb,file-shared
STATES=warm,cold
KMOD_OP=pin_fast KMOD_FLAGS=WRITE,LONGTERM

skip_all() {
	echo "TAP version 13"
	echo "1..0 # SKIP $*"
	exit $KSFT_SKIP
}
[ "$(id -u)" -eq 0 ] || skip_all "not root (gupbench needs the tracepoints, hugetlb pages and the module)"
command -v jq >/dev/null || skip_all "jq not installed"
ver=$("$G" --version 2>&1) || skip_all "$G cannot run: $(echo "$ver" | head -n 1)"
export EXPECTATIONS=$here/expectations.tsv
# shellcheck disable=SC1091 # installed next to this script from tests/expect.sh
. "$here/expect.sh"
kv=$(uname -r | sed -E 's/^([0-9]+\.[0-9]+).*/\1/')

tmp=$(mktemp -d "${TMPDIR:-/tmp}/gupbench-kst.XXXXXX") || skip_all "cannot create a temporary folder"
mkdir -p "$tmp/files"
loaded=0
# shellcheck disable=SC2317 # (a trap)
cleanup() {
	[ "$loaded" = 0 ] || rmmod gupbench 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# TAP lines are collected and printed after the plan, once their number is known.
n=0 pass=0 fail=0 skipped=0
tap() { echo "$*" >>"$tmp/tap"; }
t_pass() { n=$((n + 1)); pass=$((pass + 1)); tap "ok $n $1"; }
t_fail() { n=$((n + 1)); fail=$((fail + 1)); tap "not ok $n $1"; }
t_skip() { n=$((n + 1)); skipped=$((skipped + 1)); tap "ok $n $1 # SKIP $2"; }
t_result() { if [ "$1" -eq 0 ]; then t_pass "$2"; else t_fail "$2"; fi; }

# check_case (expect.sh) reports each aspect through ok and skip: gather them into one
# line per case, the failed aspects as diagnostics under it.
case_fails=() case_skip=''
# shellcheck disable=SC2317 # (called by check_case)
ok() { [ "$1" -eq 0 ] || case_fails+=("$2"); }
# shellcheck disable=SC2317
skip() { case_skip=$2; }
report_cases() {
	local file=$1 i nc desc kind f
	nc=$(jq '.cases | length' "$file" 2>/dev/null || echo 0)
	for ((i = 0; i < nc; i++)); do
		case_fails=() case_skip=''
		check_case "$file" "$i" "$kv"
		desc=$(jq -r ".cases[$i] | [.driver, .backing, .state, (.op // empty),
			(.flags | if length == 0 then \"none\" else join(\",\") end)] | join(\"/\")" "$file")
		kind=$(case_kind "$(jq -c ".cases[$i]" "$file")")
		[ "$kind" = "$(jq -r ".cases[$i].backing" "$file")" ] ||
			desc="$desc ($kind on $(jq -r ".cases[$i].backing_actual.fs" "$file"))"
		if [ -n "$case_skip" ]; then
			t_skip "$desc" "$case_skip"
		elif [ ${#case_fails[@]} -eq 0 ]; then
			t_pass "$desc"
		else
			t_fail "$desc"
			for f in "${case_fails[@]}"; do tap "# $f"; done
		fi
	done
}

# run NAME ARGS...: one gupbench run into $tmp/NAME.json, its exit status as a TAP line
run() {
	local name=$1 rc
	shift
	"$G" run -q --size "${GUPBENCH_KST_SIZE:-4M}" --samples "${GUPBENCH_KST_SAMPLES:-3}" \
		--warmup 1 --backing "$BACKINGS" --state "$STATES" --file-dir "$tmp/files" \
		--format csv -o "$tmp/$name.json" "$@" >"$tmp/$name.csv" 2>"$tmp/$name.err"
	rc=$?
	t_result $rc "gupbench run $name exits 0 (rc $rc)"
	[ $rc -eq 0 ] || sed 's/^/# /' "$tmp/$name.err" | head -n 5 >>"$tmp/tap"
}

# The module: already loaded, or ours to load (and build) and unload; else why not.
kmod_reason=''
kmod_ready() {
	local ko=$here/kmod/gupbench.ko kdir=${KDIR:-/lib/modules/$(uname -r)/build} i out
	[ -e /dev/gupbench ] && return 0
	if [ ! -e /proc/modules ]; then
		kmod_reason="kernel without module support (no /proc/modules)"
		return 1
	fi
	if [ ! -f "$ko" ]; then
		if [ ! -d "$kdir" ]; then
			kmod_reason="module not built and no kernel build tree at $kdir (build-kmod.sh KDIR)"
			return 1
		fi
		if ! "$here/build-kmod.sh" "$kdir" >"$tmp/kmod-build.log" 2>&1; then
			kmod_reason="module build failed: $(grep -m1 -E 'error|build-kmod' "$tmp/kmod-build.log")"
			return 1
		fi
	fi
	if ! out=$(insmod "$ko" 2>&1); then
		kmod_reason="insmod $ko: $out"
		return 1
	fi
	loaded=1
	for ((i = 0; i < 20; i++)); do
		[ -e /dev/gupbench ] && return 0
		sleep 0.1 2>/dev/null || sleep 1
	done
	kmod_reason="module loaded but no /dev/gupbench"
	return 1
}

settings() {
	grep -H . /sys/kernel/mm/transparent_hugepage/enabled \
		/sys/kernel/mm/transparent_hugepage/shmem_enabled \
		/sys/kernel/mm/hugepages/*/nr_hugepages 2>/dev/null
}
settings_before=$(settings)

run user --driver iouring,futex
report_cases "$tmp/user.json"
if kmod_ready; then
	run kmod --driver kmod --op "$KMOD_OP" --flags "$KMOD_FLAGS"
	report_cases "$tmp/kmod.json"
else
	t_skip "gupbench run kmod" "$kmod_reason"
	IFS=, read -ra bs <<<"$BACKINGS"
	IFS=, read -ra ss <<<"$STATES"
	for b in "${bs[@]}"; do
		for s in "${ss[@]}"; do t_skip "kmod/$b/$s/$KMOD_OP/$KMOD_FLAGS" "$kmod_reason"; done
	done
fi
if [ "$loaded" = 1 ]; then
	out=$(rmmod gupbench 2>&1)
	t_result $? "module unloaded ($out)"
	loaded=0
fi
[ "$(settings)" = "$settings_before" ]
t_result $? "THP modes and huge page pools restored"

echo "TAP version 13"
echo "# $ver on $(uname -r)"
echo "1..$n"
cat "$tmp/tap"
echo "# Totals: pass:$pass fail:$fail xfail:0 xpass:0 skip:$skipped error:0"
[ "$fail" -eq 0 ] || exit $KSFT_FAIL
[ "$pass" -gt 0 ] || exit $KSFT_SKIP
exit $KSFT_PASS
