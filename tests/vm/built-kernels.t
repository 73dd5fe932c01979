#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The helper module on the kernels scripts/kernel-build makes (tinyconfig-based, no
# preemption, both series states; built and cached by tests/vm/ab.t, which runs first):
# it loads with O/E taint only, its probe's self-test passes, the fuzzer gets only the
# errors it predicts with the pins balanced, dmesg stays clean and rmmod succeeds.
. "$(dirname "$0")/../lib.sh"
. "$TOP/tests/vm/fuzz-checks.sh"
need_tools qemu-system-x86_64 jq gcc flex bison bc patch
[ -x "$TOP/tests/vm/kmod_fuzz" ] || fail_all "tests/vm/kmod_fuzz not built (make -C tests)"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

variants=("deb-6.1" "deb-6.1 --series on" "deb-6.12 --series off" "deb-6.12")
builds=()
for v in "${variants[@]}"; do
	# shellcheck disable=SC2086 # (the source and its variant options)
	o=$("$TOP/scripts/kernel-build" --source $v 2>"$tmp/e")
	case $? in
	0) builds+=("$(echo "$o" | sed -n 's/^KBUILD=//p')") ;;
	3) note_unreachable "${v%% *} source: $(tail -n 1 "$tmp/e")"; skip_all "no ${v%% *} source: $(tail -n 1 "$tmp/e")" ;;
	*) fail_all "kernel-build --source $v: $(tail -n 1 "$tmp/e")" ;;
	esac
done

plan $((${#builds[@]} * 7))
for kb in "${builds[@]}"; do
	name=$(jq -r '.source + ":" + .variant' "$kb/gupbench-kernel.json")
	out=$tmp/$(basename "$kb")-$(jq -r .source "$kb/gupbench-kernel.json")
	"$TOP/scripts/vm-run" --kernel "$kb" --out "$out" -- \
		sh -c '"$GUPBENCH_TOP"/bench/gupbench list --format json >list.json; "$GUPBENCH_TOP"/tests/vm/guest-fuzz.sh' >"$out.log" 2>&1
	rc=$?
	[ $rc -eq 0 ]
	ok $? "$name: vm-run exits 0: no kernel warning, rmmod ok (rc $rc: $(grep 'vm-run:' "$out.log" | tail -n 1))"
	taint=$(jq -r '.taint.after_kmod_load - .taint.boot' "$out/vm.json" 2>/dev/null)
	[ "$(jq -r .kmod.state "$out/vm.json" 2>/dev/null)" = loaded ] && { [ "$taint" = 12288 ] || [ "$taint" = 4096 ]; }
	ok $? "$name: the module loads, tainting with O/E only (taint delta $taint)"
	jq -e '.kmod.fallback_probe.selftest.status == "ok"' "$out/list.json" >/dev/null 2>&1
	ok $? "$name: the fallback probe's self-test passes ($(jq -c '[.kmod.fallback_probe.probes[]? | .symbol]' "$out/list.json" 2>/dev/null))"
	[ "$(jq -r .kmod.unload "$out/vm.json" 2>/dev/null)" = ok ] && [ "$(jq -r .kernel_warnings "$out/vm.json" 2>/dev/null)" = 0 ]
	ok $? "$name: dmesg clean and rmmod ok ($(jq -r .first_kernel_warning "$out/vm.json" 2>/dev/null))"
	fuzz_checks "$out" "$name"
done
done_testing
