#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make ab end to end, small: both A/Bs (6.1 without / with the ported series, 6.12 without
# / with it), kernels built from Debian's sources by scripts/kernel-build (cached; a cold
# cache costs two kernel builds), one -icount and one wall-clock boot per variant. The
# series decides ext4 MAP_SHARED WRITE|LONGTERM (pinned on the fast path vs EFAULT after a
# fallback on every call); anon, shmem and hugetlb come out the same in both variants;
# the kernel's own gup_test runs beside gupbench in every variant.
. "$(dirname "$0")/../lib.sh"
need_tools qemu-system-x86_64 jq objdump gcc flex bison bc patch
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# the sources: skip (and note) only if Debian's archive cannot be reached
for s in deb-6.1 deb-6.12; do
	"$TOP/scripts/kernel-build" --source "$s" --prepare-only >/dev/null 2>"$tmp/e"
	case $? in
	0) ;;
	3) note_unreachable "$s source: $(tail -n 1 "$tmp/e")"; skip_all "no $s source: $(tail -n 1 "$tmp/e")" ;;
	*) fail_all "kernel-build $s: $(tail -n 1 "$tmp/e")" ;;
	esac
done

plan 15
"$TOP/scripts/ab" --source deb-6.1,deb-6.12 --icount-boots 1 --boots 1 \
	--backing anon,shmem,hugetlb,file-shared --op pin_fast --flags WRITE,LONGTERM --flags WRITE \
	--nr-pages all --samples 5 --out "$tmp/ab" >"$tmp/table" 2>"$tmp/err"
rc=$?
ok $rc "scripts/ab exits 0 (rc $rc: $(tail -n 1 "$tmp/err"))"
[ $rc -eq 0 ] || { diag "$(tail -n 20 "$tmp/err")"; for f in "$tmp"/ab/*/*/*.log; do [ -f "$f" ] && diag "$f: $(tail -n 3 "$f")"; done; }

row() { # SOURCE BACKING FLAGS JQ-EXPR
	jq -r --arg b "$2" --arg f "$3" ".rows[] | select(.backing == \$b and .flags == \$f and .op == \"pin_fast\") | $4" \
		"$tmp/ab/$1/summary.json" 2>/dev/null
}
for s in deb-6.1 deb-6.12; do
	v=$(row $s file-shared WRITE,LONGTERM '[.outcome.without, .fallback_fraction.without, .outcome.with, .fallback_fraction.with] | map(tostring) | join(" ")')
	[ "$v" = "pinned 0 EFAULT 1" ]
	ok $? "$s: ext4 MAP_SHARED WRITE|LONGTERM: without the series pinned with 0 fallback, with it EFAULT with fallback 1.0 ($v)"
	v=$(row $s file-shared WRITE '[.outcome.without, .outcome.with] | join(" ")')
	[ "$v" = "pinned pinned" ]
	ok $? "$s: ext4 MAP_SHARED WRITE without LONGTERM is pinned in both ($v)"
	n=$(jq '[.rows[] | select(.backing != "file-shared") | select(.outcome.without == "pinned" and .outcome.with == "pinned"
		and .fallback_fraction.without == 0 and .fallback_fraction.with == 0)] | length' "$tmp/ab/$s/summary.json" 2>/dev/null)
	[ "${n:-0}" -eq 6 ]
	ok $? "$s: anon, shmem and hugetlb: pinned on the fast path in both variants, both flag sets (${n:-0} of 6)"
	n=$(jq '[.rows[] | select(.gup_test_instr_per_page.without > 0 and .gup_test_instr_per_page.with > 0)] | length' \
		"$tmp/ab/$s/summary.json" 2>/dev/null)
	[ "${n:-0}" -ge 7 ]
	ok $? "$s: gup_test ran in both variants (figures for ${n:-0} of 8 rows; ext4 WRITE|LONGTERM is refused with the series)"
	n=$(jq '[.rows[] | select(.icount.without.instr_per_page > 0 and .icount.with.instr_per_page > 0 and .wall.without_ns_per_page > 0)] | length' \
		"$tmp/ab/$s/summary.json" 2>/dev/null)
	[ "${n:-0}" -eq 8 ]
	ok $? "$s: -icount and wall-clock figures for every row (${n:-0} of 8)"
done
r=$(jq -r .system.kernel.release "$tmp"/ab/deb-6.12/series-off/icount-1/ab.json "$tmp"/ab/deb-6.1/series-on/wall-1/ab.json 2>/dev/null | paste -sd' ')
[[ $r == *-gupbench-series-off\ *-gupbench-series-on ]]
ok $? "the guests ran the variants asked for (uname -r: $r)"
grep -q '^gup_fast_folio_allowed: ' "$tmp/ab/deb-6.12/series-off/codegen.txt" &&
	grep -q '^folio_fast_pin_allowed: ' "$tmp/ab/deb-6.1/series-on/codegen.txt" &&
	! grep -q 'folio_fast_pin_allowed' "$tmp/ab/deb-6.1/base/codegen.txt"
ok $? "the generated code of the check is recorded for each build ($(head -n 1 "$tmp/ab/deb-6.1/series-on/codegen.txt" 2>/dev/null))"
n=$(grep -c '^### ' "$tmp/table")
[ "$n" -eq 8 ]
ok $? "the printed table has a section per backing for both A/Bs ($n)"
# --install-to: what a user boots on hardware, from the finished build (no rebuild)
o=$("$TOP/scripts/kernel-build" --source deb-6.12 --series off --install-to "$tmp/inst" 2>"$tmp/e")
rc=$?
rel=$(echo "$o" | sed -n 's/^KRELEASE=//p')
[ $rc -eq 0 ] && [ -s "$tmp/inst/vmlinuz-$rel" ] && [ -s "$tmp/inst/System.map-$rel" ] &&
	grep -q '^CONFIG_GUP_TEST=y' "$tmp/inst/config-$rel" && [ -f "$tmp/inst/lib/modules/$rel/modules.builtin" ] &&
	! grep -q 'building' "$tmp/e"
ok $? "--install-to copies vmlinuz, System.map, config and modules of $rel, without rebuilding (rc $rc)"
done_testing
