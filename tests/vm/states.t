#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The buffer states GUP-fast falls back on (forked, zero, ro, ksm, dirty, clean,
# writeback) through the module, on Debian's 6.1 and 6.12: every case against
# tests/expectations.tsv (outcome and fallback), what each state verified, the refusals,
# KSM settings put back and no forked child left (tests/vm/guest-states.sh).
. "$(dirname "$0")/../lib.sh"
. "$TOP/tests/expect.sh"
. "$TOP/tests/states-check.sh"
need_tools qemu-system-x86_64 jq
for k in deb-6.1 deb-6.12; do
	need_kernel $k   # skips only when Debian's archive cannot be reached (tests/lib.sh)
done
tmp=$(mktemp -d "${TMPDIR:-/tmp}/gupbench-states.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

{
	for k in deb-6.1 deb-6.12; do
		out=$tmp/$k
		mkdir -p "$out"
		"$TOP/scripts/vm-run" --kernel $k --mem 3G --timeout 1500 --out "$out" \
			-- tests/vm/guest-states.sh >"$out/vm-run.log" 2>&1
		rc=$?
		[ $rc -eq 0 ]
		ok $? "$k: vm-run exits 0 (rc $rc: $(grep -m1 'vm-run: infrastructure error' "$out/vm-run.log" || grep 'vm-run:' "$out/vm-run.log" | tail -n 1))"
		kv=$(jq -r '.kernel.guest_release // .kernel.release' "$out/vm.json" 2>/dev/null |
			cut -d. -f1-2)
		states_guest_checks "$out" "$kv"
	done
} >"$tmp/tap"
plan "$(grep -cE '^(not )?ok ' "$tmp/tap")"
cat "$tmp/tap"
grep '^not ok' "$tmp/tap" | sed "s|^not ok \([0-9]*\) - |#   Failed test \1 in ${0#"$TOP/"}: |" >&2
! grep -q '^not ok' "$tmp/tap"
