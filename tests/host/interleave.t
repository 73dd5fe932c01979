#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# gupbench run's order: interleaved by default (round i takes sample i of every case),
# sequential on request. What tells them apart from outside is what an interrupted run
# keeps: interleaved, every case has the rounds done so far; sequential, the first cases
# are whole and the rest missing.
. "$(dirname "$0")/../lib.sh"
need_tools jq
[ -x "$GUPBENCH" ] || skip_all "bench/gupbench not built"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

plan 12
args=(run -q --driver futex --backing anon,shmem --state warm,cold --size 64k --warmup 0 --count 1)
"$GUPBENCH" "${args[@]}" --samples 5 -o "$tmp/i.json" >/dev/null 2>"$tmp/i.err"
rc=$?
[ $rc = 0 ] && [ "$(jq -r .parameters.order "$tmp/i.json")" = interleaved ]
ok $? "the default order is interleaved, and the result says so ($rc: $(head -c 150 "$tmp/i.err"))"
[ "$(jq -r .parameters.rounds "$tmp/i.json")" = 5 ]
ok $? "rounds: one per sample by default ($(jq -r .parameters.rounds "$tmp/i.json"))"
jq -e '[.cases[] | .status == "ok" and (.pin.samples_ns_per_page | length) == 5
	and .pins.balanced and .fallback.counted_samples == 1] | length == 4 and all' "$tmp/i.json" >/dev/null
ok $? "interleaved: 4 cases, each with its 5 samples, its counting pass and balanced pins"
"$GUPBENCH" "${args[@]}" --samples 5 --order sequential -o "$tmp/s.json" >/dev/null 2>&1
jq -e '.parameters.order == "sequential" and ([.cases[] | .status == "ok" and
	(.pin.samples_ns_per_page | length) == 5] | length == 4 and all)' "$tmp/s.json" >/dev/null
ok $? "--order sequential: the same 4 cases, 5 samples each"

# interrupted after 1.5 s of a run that needs far more
"$GUPBENCH" "${args[@]}" --samples 100000 --rounds 100000 -o "$tmp/ii.json" >/dev/null 2>&1 &
pid=$!
sleep 1.5
kill -INT $pid
wait $pid
rc=$?
counts=$(jq -c '[.cases[] | (.pin.samples_ns_per_page // []) | length]' "$tmp/ii.json" 2>/dev/null)
[ $rc = 130 ] && jq -e '.interrupted' "$tmp/ii.json" >/dev/null 2>&1
ok $? "interleaved, Ctrl-C: exit 130 and marked interrupted ($rc)"
jq -e '[.cases[] | (.pin.samples_ns_per_page // []) | length] | (min >= 2) and (max - min <= 1)' \
	"$tmp/ii.json" >/dev/null 2>&1
ok $? "interleaved, Ctrl-C: every case has the rounds done so far, within one ($counts)"
jq -e '[.cases[] | .status == "ok" and .pins.balanced] | all' "$tmp/ii.json" >/dev/null 2>&1
ok $? "interleaved, Ctrl-C: the cases keep their status and balanced pins"

"$GUPBENCH" "${args[@]}" --samples 100000 --order sequential -o "$tmp/si.json" >/dev/null 2>&1 &
pid=$!
sleep 1.5
kill -INT $pid
wait $pid
rc=$?
counts=$(jq -c '[.cases[] | (.pin.samples_ns_per_page // []) | length]' "$tmp/si.json" 2>/dev/null)
[ $rc = 130 ] && jq -e '(.cases | length) < 4 or ([.cases[] | (.pin.samples_ns_per_page // []) | length]
	| .[-1] < .[0])' "$tmp/si.json" >/dev/null 2>&1
ok $? "sequential, Ctrl-C: the first case got far more samples than the last ($counts)"

"$GUPBENCH" "${args[@]}" --samples 9 --rounds 3 -o "$tmp/r3.json" >/dev/null 2>&1
jq -e '.parameters.rounds == 3 and ([.cases[] | (.pin.samples_ns_per_page | length) == 9] | all)' \
	"$tmp/r3.json" >/dev/null 2>&1
ok $? "--rounds 3: 9 samples per case, in 3 rounds"
"$GUPBENCH" run --order random -o "$tmp/x.json" >/dev/null 2>"$tmp/err"
rc=$?
[ $rc = 2 ] && [ "$(wc -l <"$tmp/err")" = 1 ] && [ ! -e "$tmp/x.json" ]
ok $? "an unknown order: exit 2, one line, no file ($rc: $(cat "$tmp/err"))"
"$GUPBENCH" run --order sequential --rounds 3 -o "$tmp/y.json" >/dev/null 2>"$tmp/err"
rc=$?
[ $rc = 2 ] && grep -q 'rounds is for --order interleaved' "$tmp/err"
ok $? "--rounds with --order sequential: exit 2 ($rc: $(cat "$tmp/err"))"
"$GUPBENCH" show "$tmp/i.json" | grep -q 'interleaved in 5 rounds'
ok $? "show says the run was interleaved ($("$GUPBENCH" show "$tmp/i.json" | grep -m1 'all cases'))"
done_testing
