#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# gupbench compare on synthetic runs with known effects (made from a real result of this
# tool, samples replaced), on the checked-in -icount A/B results, and on bad input:
# verdicts, exit statuses 0/1/2/125, the 72-column email table and the other formats.
. "$(dirname "$0")/../lib.sh"
need_tools jq
[ -x "$GUPBENCH" ] || skip_all "bench/gupbench not built"
tmp=$(mktemp -d)
trap '[ -n "${KEEP:-}" ] || rm -rf "$tmp"' EXIT

plan 34
"$GUPBENCH" run -q --driver futex --backing anon,shmem --state warm --size 64k --samples 7 \
	--warmup 0 --count 0 --format json -o "$tmp/template.json" >/dev/null 2>"$tmp/template.err"
jq -e '[.cases[].status] == ["ok", "ok"]' "$tmp/template.json" >/dev/null 2>&1
ok $? "a template result: futex on anon and shmem ($(head -c 150 "$tmp/template.err"))"

# synth OUT COST RUNSHIFT [ICOUNT]: both cases' 7 samples around COST, the run offset by
# RUNSHIFT (a fraction: between-run noise), each sample jittered by up to +-1.2%
# (within-run noise); with ICOUNT (1, as the VM test bed sets it; 0 there means no
# -icount), a -icount result whose samples are all exactly COST
synth() {
	jq --argjson c "$2" --argjson r "$3" --arg icount "${4:-}" '
		def s: [range(7)] | map(if $icount != "" then $c
			else $c * (1 + $r) * (1 + 0.004 * ((. * 3) % 7 - 3)) end);
		.cases |= map(.pin.samples_ns_per_page = s | .pin.samples_ns_per_call = s)
		| .system.icount = (if $icount != "" then $icount else null end)' \
		"$tmp/template.json" >"$1"
}
# five runs per side, run offsets -1%..+1%: A at 100, B0 unchanged, B5 5% slower
mkdir -p "$tmp/A" "$tmp/B0" "$tmp/B5" "$tmp/I0" "$tmp/I1" "$tmp/I1b"
i=0
for r in -0.01 0.005 0 0.01 -0.005; do
	i=$((i + 1))
	synth "$tmp/A/$i.json" 100 "$r"
	synth "$tmp/B0/$i.json" 100 "$(awk -v r="$r" 'BEGIN { print -r }')"
	synth "$tmp/B5/$i.json" 105 "$r"
done
for i in 1 2 3; do
	synth "$tmp/I0/$i.json" 1000 0 1
	synth "$tmp/I1b/$i.json" 1000 0 1
done
synth "$tmp/I1/1.json" 1001 0 1

"$GUPBENCH" compare "$tmp/A" -- "$tmp/B5" >"$tmp/b5.out" 2>"$tmp/b5.err"
rc=$?
[ $rc = 1 ]
ok $? "5% slower over 5 runs per side: exit 1 ($rc: $(head -c 200 "$tmp/b5.err"))"
[ "$(grep -c ' regressed$' "$tmp/b5.out")" = 2 ] && grep -q '^verdicts: 2 regressed' "$tmp/b5.out"
ok $? "both cases regressed: $(grep -E 'futex|anon|shmem' "$tmp/b5.out" | tr -s ' ' | tr '\n' ';')"
grep -qE '^anon +100\.0 +105\.0 +\+5\.0%' "$tmp/b5.out"
ok $? "the row gives both medians and +5.0% ($(grep -m1 '^anon' "$tmp/b5.out"))"

"$GUPBENCH" compare "$tmp/A" -- "$tmp/B0" >"$tmp/b0.out" 2>"$tmp/b0.err"
rc=$?
[ $rc = 0 ] && ! grep -qE 'regressed$|improved$' "$tmp/b0.out"
ok $? "no change over 5 runs per side: exit 0, no case regressed or improved ($rc)"
grep -qE ' no change$' "$tmp/b0.out"
ok $? "and within 2% it says no change ($(grep -m1 '^anon' "$tmp/b0.out"))"

# one run per side: inconclusive, whatever the numbers, unless --single-run
"$GUPBENCH" compare "$tmp/A/1.json" -- "$tmp/B5/1.json" >"$tmp/one.out" 2>&1
rc=$?
[ $rc = 0 ] && [ "$(grep -cE '^(anon|shmem) .* inconclusive$' "$tmp/one.out")" = 2 ] &&
	grep -q 'inconclusive: .*1 run per side (need 3)' "$tmp/one.out"
ok $? "one run per side is inconclusive and says why ($rc: $(grep -m1 'inconclusive:' "$tmp/one.out"))"
"$GUPBENCH" compare --single-run "$tmp/A/1.json" -- "$tmp/B5/1.json" >"$tmp/single.out" 2>&1
rc=$?
[ $rc = 1 ] && grep -q ' regressed$' "$tmp/single.out"
ok $? "--single-run gives the verdict from within-run samples ($rc)"

# -icount: 1 instruction in 1000 is real, identical counts are no change
"$GUPBENCH" compare "$tmp/I0" -- "$tmp/I1" >"$tmp/i1.out" 2>&1
rc=$?
[ $rc = 1 ] && [ "$(grep -c ' regressed$' "$tmp/i1.out")" = 2 ] && grep -q 'icount on both sides' "$tmp/i1.out"
ok $? "-icount: one instruction more per page is a regression, even from 1 run ($rc)"
"$GUPBENCH" compare "$tmp/I0" -- "$tmp/I1b" >"$tmp/i0.out" 2>&1
rc=$?
[ $rc = 0 ] && [ "$(grep -c ' no change$' "$tmp/i0.out")" = 2 ]
ok $? "-icount: the same counts are no change ($rc)"
mkdir -p "$tmp/W0"
synth "$tmp/W0/1.json" 1000 0 0
"$GUPBENCH" compare "$tmp/W0" -- "$tmp/W0" >"$tmp/w0.out" 2>&1
! grep -q 'icount on both sides' "$tmp/w0.out"
ok $? "icount 0 (the VM test bed's wall-clock boots) is not -icount"
"$GUPBENCH" compare "$tmp/A" -- "$tmp/I1" >"$tmp/mix.out" 2>&1
grep -q 'warning: .*icount' "$tmp/mix.out"
ok $? "-icount against wall clock is warned about ($(grep -m1 warning "$tmp/mix.out"))"

# the environment: what differs is said first; something besides the kernel is a warning
jq '.system.thp.enabled = "never"' "$tmp/B5/1.json" >"$tmp/thp.json"
"$GUPBENCH" compare --single-run "$tmp/A/1.json" -- "$tmp/thp.json" >"$tmp/env.out" 2>&1
grep -q '^differs: thp.enabled: A .*; B never' "$tmp/env.out" &&
	grep -q '^warning: the sides differ in thp.enabled, not only in the kernel' "$tmp/env.out"
ok $? "a THP setting that differs is named and warned about ($(grep -m1 '^differs' "$tmp/env.out"))"

# the checked-in A/B of Debian's 6.12 without and with the series (-icount): the email
# table fits 72 columns, and the long-term pins refused on ext4 are listed, not dropped
ab=$TOP/results/ab/deb-6.12-20261129
"$GUPBENCH" compare "$ab"/series-off/icount-* -- "$ab"/base/icount-* >"$tmp/ab.out" 2>&1
rc=$?
[ $rc = 1 ] && grep -q 'regressed$' "$tmp/ab.out"
ok $? "series off -> on, 6.12 -icount: the check costs instructions: exit 1 ($rc)"
w=$(awk '{ if (length($0) > m) m = length($0) } END { print m + 0 }' "$tmp/ab.out")
[ "$w" -le 72 ] && [ "$w" -gt 40 ]
ok $? "every line of the email table is at most 72 columns (widest: $w)"
grep -q '^not compared: file-shared W|LT.*(B: error EFAULT)' "$tmp/ab.out"
ok $? "a case that fails on one side is listed with why ($(grep -m1 '^not compared' "$tmp/ab.out"))"

# formats
"$GUPBENCH" compare -f json "$tmp/A" -- "$tmp/B5" >"$tmp/c.json" 2>/dev/null
jq -e '.schema == "gupbench-compare/1" and (.cases | length) == 2 and
	([.cases[].verdict] | unique) == ["regressed"] and .a.runs == 5 and
	(.cases[0].ci95 | length) == 2' "$tmp/c.json" >/dev/null 2>&1
ok $? "--format json: both cases, their verdicts, intervals and the runs per side"
"$GUPBENCH" compare -f csv "$tmp/A" -- "$tmp/B5" >"$tmp/c.csv" 2>/dev/null
[ "$(wc -l <"$tmp/c.csv")" = 3 ] && head -n 1 "$tmp/c.csv" | grep -q '^driver,backing,state,'
ok $? "--format csv: a header and a row per case"
"$GUPBENCH" compare -f markdown "$tmp/A" -- "$tmp/B5" >"$tmp/c.md" 2>/dev/null
grep -q '^| case | runs A/B |' "$tmp/c.md" && [ "$(grep -c '^| anon\|^| shmem' "$tmp/c.md")" = 2 ]
ok $? "--format markdown: a table with a row per case"
"$GUPBENCH" compare "$tmp/A" -- "$tmp/B5" >"$tmp/again.out" 2>&1
cmp -s "$tmp/b5.out" "$tmp/again.out"
ok $? "the same input gives the same output (fixed seed)"

expect2() {
	local what=$1
	shift
	"$GUPBENCH" compare "$@" >/dev/null 2>"$tmp/err"
	local rc=$?
	[ $rc = 2 ] && [ "$(wc -l <"$tmp/err")" = 1 ]
	ok $? "$what: exit 2 and one line ($rc: $(cat "$tmp/err"))"
}

# --pair: two cases of the same runs; interleaved, sample i of both is a pair. Each round
# drifts by up to +-20% (the same for both cases of the round); shmem costs 5% more
# than anon in every round: the pairs see 5.0% exactly, whatever the drift.
pairs() {
	jq --arg order "$2" --argjson r "$3" '
		def d: [range(9)] | map(1 + 0.05 * ((. * 5 + $r) % 9 - 4));
		.parameters.order = $order
		| .cases[0].pin.samples_ns_per_page = (d | map(100 * .))
		| .cases[1].pin.samples_ns_per_page = (d | map(105 * .))
		| .cases |= map(.pin.samples_ns_per_call = .pin.samples_ns_per_page)' \
		"$tmp/template.json" >"$1"
}
mkdir -p "$tmp/P" "$tmp/S"
for r in 1 2 3; do
	pairs "$tmp/P/$r.json" interleaved "$r"
	pairs "$tmp/S/$r.json" sequential "$r"
done
"$GUPBENCH" compare --pair backing=anon:shmem "$tmp/P" >"$tmp/pair.out" 2>&1
rc=$?
[ $rc = 1 ] && grep -qE '^futex warm +100\.0 +105\.0 +\+5\.0% \[\+5\.0,\+5\.0\] +regressed$' "$tmp/pair.out"
ok $? "--pair, interleaved: +5.0% [+5.0,+5.0] through 20% drift ($rc: $(grep -m1 '^futex' "$tmp/pair.out"))"
grep -q '^pairs: backing shmem (B) against anon (A), in the same runs' "$tmp/pair.out"
ok $? "--pair says what the two sides are"
"$GUPBENCH" compare --pair backing=anon:shmem "$tmp/S" >"$tmp/seq.out" 2>&1
grep -q '^warning: some runs are sequential' "$tmp/seq.out"
ok $? "--pair, sequential runs: compared as two sides, with a warning ($(grep -m1 '^futex' "$tmp/seq.out"))"
expect2 "a bad --pair" --pair backing=anon "$tmp/P"
expect2 "--pair with two sides" --pair backing=anon:shmem "$tmp/P" -- "$tmp/S"

# --detectable: from the 5 runs of A (run offsets within +-1%), what 2 runs per side find
"$GUPBENCH" compare --detectable 2 --min-runs 2 "$tmp/A" >"$tmp/mdc.out" 2>&1
rc=$?
v=$(awk '/^futex anon/ { print $NF }' "$tmp/mdc.out")
[ $rc = 0 ] && awk -v v="${v%\%}" 'BEGIN { exit !(v + 0 >= 2 && v + 0 < 50) }'
ok $? "--detectable 2: a finite shift above the 2% threshold for futex anon ($rc: $v)"
"$GUPBENCH" compare --detectable 3 "$tmp/A" >/dev/null 2>"$tmp/mdc.err"
rc=$?
[ $rc = 125 ] && grep -q 'no case has 6 runs' "$tmp/mdc.err"
ok $? "--detectable 3 from 5 runs: nothing to say, 125 ($rc: $(cat "$tmp/mdc.err"))"

# nothing in common, bad input
jq '.cases |= map(.backing = "hugetlb")' "$tmp/B5/1.json" >"$tmp/other.json"
"$GUPBENCH" compare "$tmp/A" -- "$tmp/other.json" >"$tmp/none.out" 2>"$tmp/none.err"
rc=$?
[ $rc = 125 ] && grep -q 'no case measured on both sides' "$tmp/none.err"
ok $? "no case in common: exit 125 ($rc: $(cat "$tmp/none.err"))"
expect2 "no -- between the sides" "$tmp/A"
expect2 "nothing after --" "$tmp/A" --
expect2 "a bad threshold" --threshold abc "$tmp/A" -- "$tmp/B5"
expect2 "a missing file" "$tmp/A" -- "$tmp/missing.json"
echo '{"schema": "gupbench-result/3", "cases": []}' >"$tmp/v3.json"
expect2 "a file of a schema it does not read" "$tmp/A" -- "$tmp/v3.json"
# team cases: matched by threads and share too, the key in the CSV
f=$TOP/tests/fixtures/results/team
"$GUPBENCH" compare --single-run -f csv "$f/scaling-1.json" -- "$f/scaling-2.json" \
	>"$tmp/team.csv" 2>/dev/null
[ "$(wc -l <"$tmp/team.csv")" = 7 ] &&
	head -n 1 "$tmp/team.csv" | grep -q ',threads,share,place,mem,contend,runs_a,' &&
	[ "$(cut -d, -f8,9 "$tmp/team.csv" | sort -u | grep -c '"')" = 6 ]
ok $? "team cases: 6 rows, one per threads x share, the team's key in the CSV"
done_testing
