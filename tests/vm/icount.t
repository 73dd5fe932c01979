#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# scripts/icount-report end to end, one boot per kernel: the -icount guests
# run, the table has every row with figures for both kernels, ext4
# WRITE|LONGTERM is refused on 6.12 only, and the module timing is reported.
. "$(dirname "$0")/../lib.sh"
command -v jq >/dev/null || skip_all "jq not installed (scripts/setup.sh)"
command -v qemu-system-x86_64 >/dev/null || skip_all "qemu-system-x86 not installed (scripts/setup.sh)"
for k in deb-6.1 deb-6.12; do
	need_kernel $k   # skips only when Debian's archive cannot be reached (tests/lib.sh)
done
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

plan 5
"$TOP/scripts/icount-report" --repeat 1 --out "$tmp/r" >"$tmp/table" 2>"$tmp/err"
rc=$?
[ $rc -eq 0 ]; ok $? "icount-report exits 0 (rc $rc: $(tail -n 1 "$tmp/err"))"
rows=$(grep -cE '^\| [a-z-]+ \| (pin_fast|pin) \| [A-Z,]+ \| [0-9.]+( \([A-Z]+\))? \| [0-9.]+( \([A-Z]+\))? \|' "$tmp/table")
[ "$rows" -eq 20 ]; ok $? "20 rows with figures for both kernels ($rows)"
grep -qE '^\| file-shared \| pin_fast \| WRITE,LONGTERM \| [0-9.]+ \| [0-9.]+ \(EFAULT\) \|' "$tmp/table"
ok $? "ext4 WRITE|LONGTERM: pinned on 6.1, EFAULT on 6.12"
[ "$(grep -c 'call .* ns after subtracting the empty window' "$tmp/table")" -eq 2 ]
ok $? "module timing reported for both kernels"
jq -e '.system.icount == "1"' "$tmp/r/deb-6.12-1/icount.json" >/dev/null 2>&1
ok $? "results record the -icount mode"
done_testing
