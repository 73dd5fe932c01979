#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# scripts/icount-report end to end, one boot per kernel: the -icount guests
# run, the table has every row with figures for both kernels, ext4
# WRITE|LONGTERM is refused on 6.12 only, and the module timing is reported.
. "$(dirname "$0")/../lib.sh"
need_tools qemu-system-x86_64 jq
for k in deb-6.1 deb-6.12; do
	need_kernel $k   # skips only when Debian's archive cannot be reached (tests/lib.sh)
done
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

plan 8
"$TOP/scripts/icount-report" --repeat 1 --out "$tmp/r" >"$tmp/table" 2>"$tmp/err"
rc=$?
[ $rc -eq 0 ]; ok $? "icount-report exits 0 (rc $rc: $(tail -n 1 "$tmp/err"))"
rows=$(grep -cE '^\| [a-z-]+ \| (pin_fast|pin) \| [A-Z,]+ \| [0-9.]+( \([A-Z]+\))? \| [0-9.]+( \([A-Z]+\))? \|' "$tmp/table")
[ "$rows" -eq 20 ]; ok $? "20 rows with figures for both kernels ($rows)"
grep -qE '^\| file-shared \| pin_fast \| WRITE,LONGTERM \| [0-9.]+ \| [0-9.]+ \(EFAULT\) \|' "$tmp/table"
ok $? "ext4 WRITE|LONGTERM: pinned on 6.1, EFAULT on 6.12"
[ "$(grep -c 'call .* ns after subtracting the empty window' "$tmp/table")" -eq 2 ]
ok $? "module timing reported for both kernels"
# the probe's cost per call: three cases per kernel, and only pin (the slow path) counted
[ "$(grep -c '^- deb-6\.[0-9]*: probe ' "$tmp/table")" -eq 6 ]
ok $? "probe armed vs disarmed reported for both kernels ($(grep -c '^- deb-6\.[0-9]*: probe ' "$tmp/table") lines)"
# (6.1 keeps its two probes armed from load to unload: kmod/fallback_probe.c says why)
n=$(jq -s '[.[].probe[] | select(.armed_fallback_status == 0 and .calls > 0
	and .armed_fallback_calls == (if .op == "pin" then .calls else 0 end))] | length' \
	"$tmp/r/deb-6.1-1/overhead.json" "$tmp/r/deb-6.12-1/overhead.json" 2>/dev/null)
u=$(jq '[.probe[] | select(.disarmed_probe_armed_flag | not)] | length' \
	"$tmp/r/deb-6.12-1/overhead.json" 2>/dev/null)
[ "${n:-0}" -eq 6 ] && [ "${u:-0}" -eq 3 ]
ok $? "armed requests counted every pin fallback and no pin_fast one ($n of 6); 6.12 timing requests ran disarmed ($u of 3)"
jq -e '.system.icount == "1"' "$tmp/r/deb-6.12-1/icount.json" >/dev/null 2>&1
ok $? "results record the -icount mode"
# the result itself says its timed samples ran with no probe in the kernel (6.12)
jq -e '[.cases[] | .timer.samples_with_probe_armed] | length > 0 and all(. == 0)' \
	"$tmp/r/deb-6.12-1/icount.json" >/dev/null 2>&1 &&
	jq -e '.kmod.fallback_probe | .selftest.status == "ok" and .armed_now == 0 and
		(.always_armed | not)' "$tmp/r/deb-6.12-1/list.json" >/dev/null 2>&1
ok $? "6.12: every timed sample ran with the probe disarmed; list: self-test ok, not armed ($(jq -c '.kmod.fallback_probe | [.selftest.status, .armed_now]' "$tmp/r/deb-6.12-1/list.json" 2>/dev/null))"
done_testing
