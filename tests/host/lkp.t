#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# scripts/lkp/gupbench: parse maps every case of a result file to its own stat keys, keys
# are strict and values numbers; run runs a tiny matrix for real and parse reads it.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
need_tools jq
LKP=$TOP/scripts/lkp/gupbench
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

seg='[a-z0-9][a-z0-9_-]*'
metric='(pass|fail|skip|pin_errors|pin_ns_per_page|pin_ns_per_call|unpin_ns_per_page|unpin_ns_per_call|pages_per_s|scaling_efficiency|fallback_calls_per_op|fallback_pages_fraction|mmap_lock_acquisitions_per_op|pins_balanced)'
key_re="^$seg\\.$seg\\.$seg(\\.op-$seg)?\\.(write_longterm|write|longterm|none)(\\.ppc-[0-9]+)?(\\.size-[0-9]+[kmg])?(\\.threads-[0-9]+)?(\\.share-$seg)?(\\.place-$seg)?(\\.mem-$seg)?(\\.contend-$seg)?\\.$metric: -?[0-9.]+(e[-+]?[0-9]+)?\$"

# The case's own fields, as the key must give them back: the case tuple of a file.
case_tuples() {
	jq -r '.parameters.size_bytes as $s | .cases[] |
		[.driver, .backing, .state, (.op // "-"),
		 ([(.flags // [])[] | ascii_downcase] | sort | join("+") | if . == "" then "none" else . end),
		 (if .op and .pages_per_call and .pages_per_call != .pages then .pages_per_call else "-" end),
		 .size_bytes, (.threads // 1), (.share // "private"),
		 ((.place // "none") | gsub("[:,]"; "_")), ((.mem // "none") | gsub("[:,]"; "_")),
		 (.contend // "none")] | map(tostring) | join(" ")' "$1" | sort
}

# The same tuple read back from the stat keys alone.
key_tuples() {
	sed 's/: .*//; s/\.[a-z_]*$//' "$1" | sort -u | awk -v size="$2" -F. '{
		op = "-"; ppc = "-"; sz = size; th = 1; sh = "private"; pl = "none"; me = "none"; co = "none"
		i = 4
		if ($i ~ /^op-/) { op = substr($i, 4); i++ }
		fl = $i; i++
		n = split(fl, f, "_"); if (fl == "write_longterm") fl = "longterm+write"
		for (; i <= NF; i++) {
			t = $i; v = substr(t, index(t, "-") + 1)
			if (t ~ /^ppc-/) ppc = v
			else if (t ~ /^size-/) { m = substr(v, length(v)); v = substr(v, 1, length(v) - 1)
				sz = v * (m == "k" ? 1024 : m == "m" ? 1048576 : 1073741824) }
			else if (t ~ /^threads-/) th = v
			else if (t ~ /^share-/) sh = v
			else if (t ~ /^place-/) pl = v
			else if (t ~ /^mem-/) me = v
			else if (t ~ /^contend-/) co = v
		}
		printf "%s %s %s %s %s %s %d %s %s %s %s %s\n", $1, $2, $3, op, fl, ppc, sz, th, sh, pl, me, co
	}' | sort
}

files=$(ls "$TOP"/tests/fixtures/results/*.json "$TOP"/tests/fixtures/results/team/*.json
	find "$TOP/results/icount" "$TOP/results/ab" -name '*.json' \
		-exec grep -l '"schema": "gupbench-result/' {} + 2>/dev/null | sort | head -n 6)
nfiles=$(echo "$files" | wc -l)
plan $((nfiles * 5 + 8))

for f in $files; do
	name=${f#"$TOP/"}
	"$LKP/parse" <"$f" >"$tmp/stats" 2>"$tmp/err"
	ok $? "$name: parse exits 0"
	bad=$(grep -cvE "$key_re" "$tmp/stats")
	[ "$bad" -eq 0 ] && [ -s "$tmp/stats" ]
	ok $? "$name: every line is a strict key and a number ($bad not)"
	cases=$(jq '.cases | length' "$f")
	prefixes=$(sed 's/: .*//; s/\.[a-z_]*$//' "$tmp/stats" | sort -u | wc -l)
	[ "$cases" -eq "$prefixes" ]
	ok $? "$name: $cases cases, $prefixes distinct stat key sets"
	# one status line per case: pass, fail, skip or the status word
	status=$(grep -cE '\.(pass|fail|skip): 1$' "$tmp/stats")
	[ "$status" -eq "$cases" ]
	ok $? "$name: one status stat per case ($status)"
	size=$(jq '.parameters.size_bytes' "$f")
	case_tuples "$f" >"$tmp/want"
	key_tuples "$tmp/stats" "$size" >"$tmp/got"
	diff "$tmp/want" "$tmp/got" >"$tmp/diff"
	ok $? "$name: keys read back give every case"
	[ -s "$tmp/diff" ] && sed 's/^/# /' "$tmp/diff" | head -n 6
done

# a skipped case has only its skip line; an error case no timings
jq '.cases[0].status = "skipped" | .cases[0] |= del(.pin, .unpin, .fallback, .mmap_lock, .pins, .errors)
	| .cases[1].status = "error" | .cases[1].errors = 3' \
	"$TOP/tests/fixtures/results/v2.json" | "$LKP/parse" >"$tmp/st"
first=$(jq -r '.cases[0] | "\(.driver).\(.backing).\(.state)."' "$TOP/tests/fixtures/results/v2.json")
second=$(jq -r '.cases[1] | "\(.driver).\(.backing).\(.state)."' "$TOP/tests/fixtures/results/v2.json")
[ "$(grep -c "^$first" "$tmp/st")" -eq 1 ] && grep -q "^$first.*\.skip: 1$" "$tmp/st"
ok $? "a skipped case gives one line: skip: 1"
grep -q "^$second.*\.fail: 1$" "$tmp/st" && grep -q "^$second.*\.pin_errors: 3$" "$tmp/st" &&
	! grep -qE "^$second.*\.(un)?pin_ns_per_(page|call): " "$tmp/st"
ok $? "an error case gives fail: 1 and pin_errors, no timings"

# two cases with one key are refused, not averaged by lkp
jq '.cases[1] = .cases[0]' "$TOP/tests/fixtures/results/v2.json" | "$LKP/parse" >/dev/null 2>"$tmp/err"
[ $? -eq 1 ] && grep -q 'two cases map to one key' "$tmp/err" && [ "$(wc -l <"$tmp/err")" -eq 1 ]
ok $? "two cases with one key: one-line error, exit 1"
echo 'not json' | "$LKP/parse" >/dev/null 2>"$tmp/err"
[ $? -eq 1 ] && [ "$(wc -l <"$tmp/err")" -eq 1 ]
ok $? "no JSON in the input: one-line error, exit 1"
jq '.schema = "gupbench-result/3"' "$TOP/tests/fixtures/results/v2.json" | "$LKP/parse" >/dev/null 2>&1
[ $? -eq 1 ]
ok $? "an unknown schema major is refused"
# lkp hands parse the run's whole stdout: lines before the JSON are skipped
{ echo "2026-11-29 12:00:00 gupbench run"; cat "$TOP/tests/fixtures/results/v2.json"; } |
	"$LKP/parse" | cmp -s - <("$LKP/parse" <"$TOP/tests/fixtures/results/v2.json")
ok $? "log lines before the JSON are skipped"

# the run script for real: a tiny matrix, as lkp's environment gives it
if [ -x "$GUPBENCH" ]; then
	mkdir -p "$tmp/rr"
	TMP_RESULT_ROOT=$tmp/rr GUPBENCH=$GUPBENCH preset=quick driver=iouring,futex backing=anon \
		state=warm,cold size=1M samples=3 "$LKP/run" >"$tmp/rr/gupbench" 2>"$tmp/rr/err"
	ok $? "run: exits 0"
	"$LKP/parse" <"$tmp/rr/gupbench" >"$tmp/rr/stats"
	n=$(grep -cE '\.pin_ns_per_page: ' "$tmp/rr/stats")
	want=$(jq '[.cases[] | select(.status == "ok")] | length' "$tmp/rr/gupbench")
	[ "$n" -eq "$want" ] && [ "$(jq '.cases | length' "$tmp/rr/gupbench")" -eq 4 ] &&
		! grep -vqE "$key_re" "$tmp/rr/stats"
	ok $? "run + parse: 4 cases, a pin_ns_per_page for each ok case ($n of $want), strict keys"
else
	skip "run: exits 0" "bench/gupbench not built"
	skip "run + parse" "bench/gupbench not built"
fi
done_testing
