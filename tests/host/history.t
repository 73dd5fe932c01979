#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# gupbench history on synthetic runs of several kernels with known steps (made from a
# checked-in result of this tool, samples and kernel replaced): the first kernel that
# regressed per case, time order over folder order, grouping by build, --baseline,
# --per-run, the formats, exit statuses 0/1/2/125 and bad input.
. "$(dirname "$0")/../lib.sh"
need_tools jq
[ -x "$GUPBENCH" ] || skip_all "bench/gupbench not built"
tmp=$(mktemp -d)
trap '[ -n "${KEEP:-}" ] || rm -rf "$tmp"' EXIT

plan 22
template=$TOP/tests/fixtures/results/v2.json
# three cases: iouring anon warm, futex shmem warm, and a copy of the latter marked cold
jq '.cases += [.cases[1] | .state = "cold"]' "$template" >"$tmp/template.json"
jq -e '[.cases[].status] == ["ok", "ok", "ok"]' "$tmp/template.json" >/dev/null 2>&1
ok $? "a template of three ok cases from $template"

# synth OUT RELEASE DAY RUN COST_ANON COST_SHMEM COST_COLD [VERSION]: 7 samples per case
# around its cost, the run offset by a fixed -1%, +0.5% or 0 (between-run noise), each
# sample jittered by up to +-1.2% (within-run noise); started on DAY, hour RUN
synth() {
	jq --arg rel "$2" --arg day "$3" --argjson run "$4" --argjson a "$5" --argjson s "$6" \
		--argjson c "$7" --arg ver "${8:-#1 SMP}" '
		def off: [-0.01, 0.005, 0][$run - 1];
		def s($x): [range(7)] | map($x * (1 + off) * (1 + 0.004 * ((. * 3) % 7 - 3)));
		.system.kernel.release = $rel | .system.kernel.version = $ver
		| .system.kernel.package = null | .system.icount = null
		| .started = "2026-01-\($day)T0\($run):00:00Z"
		| .cases[0].pin.samples_ns_per_page = s($a) | .cases[0].pin.samples_ns_per_call = s($a)
		| .cases[1].pin.samples_ns_per_page = s($s) | .cases[1].pin.samples_ns_per_call = s($s)
		| .cases[2].pin.samples_ns_per_page = s($c) | .cases[2].pin.samples_ns_per_call = s($c)' \
		"$tmp/template.json" >"$1"
}
# kernels 6.1 .. 6.4 on days 01 .. 04, in folders whose names sort the other way round:
# anon 10% slower from 6.3 on; shmem warm 10% slower on 6.2 only, then back, then slower
# again on 6.4 (the FIRST regression is 6.2); shmem cold never changes
mk() { # DIR RELEASE DAY ANON SHMEM COLD [VERSION]
	mkdir -p "$1"
	for run in 1 2 3; do
		synth "$1/run$run.json" "$2" "$3" "$run" "$4" "$5" "$6" "${7:-}"
	done
}
mk "$tmp/h/z-6.1" 6.1-test 01 100 300 300
mk "$tmp/h/y-6.2" 6.2-test 02 100 330 300
mk "$tmp/h/x-6.3" 6.3-test 03 110 300 300
mk "$tmp/h/w-6.4" 6.4-test 04 110 330 300

"$GUPBENCH" history "$tmp/h" >"$tmp/h.out" 2>"$tmp/h.err"
rc=$?
[ $rc = 1 ]
ok $? "a step: exit 1 ($rc: $(head -c 200 "$tmp/h.err"))"
grep -q '^k1: 6.1-test, 3 runs from 2026-01-01T01:00:00Z (baseline)$' "$tmp/h.out" &&
	grep -q '^k3: 6.3-test, 3 runs' "$tmp/h.out" && grep -q '^k4: 6.4-test' "$tmp/h.out"
ok $? "kernels in time order, not folder order, 6.1 the baseline ($(grep '^k[0-9]:' "$tmp/h.out" | cut -c1-14 | tr '\n' ' '))"
first() { # LABEL-REGEX FILE: the id named as first regressed for that case
	sed -n '/^first regressed/,$p' "$2" | grep -E "^  $1 " | awk '{ print $NF }'
}
f=$(first 'iouring anon' "$tmp/h.out")
[ "$f" = k3 ]
ok $? "anon, 10% slower from 6.3: first regressed k3 (got '$f')"
f=$(first 'futex shmem warm' "$tmp/h.out")
[ "$f" = k2 ]
ok $? "shmem warm, slower on 6.2 and 6.4: the FIRST, k2 (got '$f')"
f=$(first 'futex shmem cold' "$tmp/h.out")
[ "$f" = none ]
ok $? "shmem cold, unchanged: none (got '$f')"
grep -A4 '^iouring anon' "$tmp/h.out" | grep -qE '^  k3 +3 +110\.0 +\+10\.0% .* regressed$'
ok $? "the trend line of k3 gives runs, median, change and verdict ($(grep -A3 '^iouring anon' "$tmp/h.out" | tail -n 1))"
w=$(awk '{ if (length($0) > m) m = length($0) } END { print m + 0 }' "$tmp/h.out")
[ "$w" -le 72 ] && [ "$w" -gt 40 ]
ok $? "every line of the table is at most 72 columns (widest: $w)"

# formats
"$GUPBENCH" history -f json "$tmp/h" >"$tmp/h.json" 2>/dev/null
jq -e '.schema == "gupbench-history/1" and .baseline == "k1" and (.kernels | length) == 4 and
	([.cases[].first_regressed] == ["k3", "k2", null]) and
	(.cases[0].points | length) == 4 and .cases[0].points[2].verdict == "regressed"' \
	"$tmp/h.json" >/dev/null 2>&1
ok $? "--format json: kernels, points per case and the first regressed of each"
"$GUPBENCH" history -f csv "$tmp/h" >"$tmp/h.csv" 2>/dev/null
[ "$(wc -l <"$tmp/h.csv")" = 13 ] && head -n 1 "$tmp/h.csv" | grep -q '^driver,backing,state,'
ok $? "--format csv: a header and a row per case and kernel ($(wc -l <"$tmp/h.csv") lines)"
"$GUPBENCH" history -f markdown "$tmp/h" >"$tmp/h.md" 2>/dev/null
grep -q '^| case | k1 | k2 | k3 | k4 | first regressed |$' "$tmp/h.md" &&
	grep -qE '^\| iouring anon.* \| k3 \|$' "$tmp/h.md"
ok $? "--format markdown: a column per kernel and the first regressed"

# --baseline: every kernel against other runs; --per-run: each run its own point
"$GUPBENCH" history --baseline "$tmp/h/x-6.3" "$tmp/h/w-6.4" >"$tmp/b.out" 2>&1
rc=$?
[ $rc = 1 ] && [ "$(first 'futex shmem warm' "$tmp/b.out")" = k1 ] &&
	[ "$(first 'iouring anon' "$tmp/b.out")" = none ]
ok $? "--baseline 6.3 against 6.4: shmem warm regressed, anon did not ($rc)"
"$GUPBENCH" history --per-run --single-run "$tmp/h" >"$tmp/r.out" 2>&1
f=$(first 'iouring anon' "$tmp/r.out")
[ "$f" = r7 ]
ok $? "--per-run: the first run of 6.3 is run 7 (got '$f')"

# two builds of one release are two kernels
mk "$tmp/g/a" 6.9-test 01 100 300 300 "#1 SMP"
mk "$tmp/g/b" 6.9-test 02 100 300 300 "#2 SMP"
"$GUPBENCH" history "$tmp/g" >"$tmp/g.out" 2>&1
rc=$?
[ $rc = 0 ] && grep -q '^k2: 6.9-test' "$tmp/g.out" && [ "$(first 'iouring anon' "$tmp/g.out")" = none ]
ok $? "one release built twice: two kernels, nothing regressed, exit 0 ($rc)"

# nothing to compare
"$GUPBENCH" history "$tmp/h/z-6.1" >/dev/null 2>"$tmp/one.err"
rc=$?
[ $rc = 125 ] && [ "$(wc -l <"$tmp/one.err")" = 1 ]
ok $? "one kernel only: exit 125 and one line ($rc: $(cat "$tmp/one.err"))"
mkdir -p "$tmp/empty"
echo '{"not": "a result"}' >"$tmp/empty/vm.json"
"$GUPBENCH" history "$tmp/empty" >/dev/null 2>"$tmp/empty.err"
rc=$?
[ $rc = 125 ] && [ "$(wc -l <"$tmp/empty.err")" = 1 ]
ok $? "a folder without result files: exit 125 ($rc: $(cat "$tmp/empty.err"))"
mkdir -p "$tmp/other"
synth "$tmp/other/1.json" 7.0-test 09 1 100 300 300
jq '.cases |= map(.backing = "hugetlb")' "$tmp/other/1.json" >"$tmp/other/2.json"
rm "$tmp/other/1.json"
"$GUPBENCH" history "$tmp/h/z-6.1" "$tmp/other" >/dev/null 2>"$tmp/none.err"
rc=$?
[ $rc = 125 ] && grep -q 'no case measured both' "$tmp/none.err"
ok $? "no case in common: exit 125 ($rc: $(cat "$tmp/none.err"))"

# bad input
expect2() {
	local what=$1
	shift
	"$GUPBENCH" history "$@" >/dev/null 2>"$tmp/err"
	local rc=$?
	[ $rc = 2 ] && [ "$(wc -l <"$tmp/err")" = 1 ]
	ok $? "$what: exit 2 and one line ($rc: $(cat "$tmp/err"))"
}
expect2 "no PATH"
expect2 "an unknown metric" --metric fast "$tmp/h"
expect2 "a bad threshold" --threshold -3 "$tmp/h"
expect2 "a missing file" "$tmp/h" "$tmp/missing.json"
echo '{"schema": "gupbench-result/3", "cases": []}' >"$tmp/v3.json"
expect2 "a file of a schema it does not read" "$tmp/h" "$tmp/v3.json"
done_testing
