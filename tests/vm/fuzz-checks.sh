# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# fuzz_checks OUT [LABEL]: the TAP checks of what tests/vm/guest-fuzz.sh left in OUT
# (source after tests/lib.sh).
fuzz_checks() {
	local out=$1 l=${2:+$2: } total a0 r0 a1 r1
	[ "$(cat "$out/fuzz.rc" 2>/dev/null)" = 0 ]
	ok $? "${l}fuzz: $(grep -cE '^ok' "$out/fuzz.tap" 2>/dev/null) ok, $(grep -cE '^not ok' "$out/fuzz.tap" 2>/dev/null) not ok"
	grep '^not ok' "$out/fuzz.tap" 2>/dev/null | sed 's/^/# fuzz: /'
	total=$(grep -oE '[0-9]+ requests sent' "$out/fuzz.tap" 2>/dev/null | awk '{print $1 + 0}')
	total=${total:-0}
	[ "$total" -ge 10000 ]
	ok $? "${l}fuzz sent at least 10000 requests ($total counted in its report)"
	acq() { awk -v k="$1" '$1 == k {print $2}' "$2"; }
	a0=$(acq nr_foll_pin_acquired "$out/pins-before.txt"); r0=$(acq nr_foll_pin_released "$out/pins-before.txt")
	a1=$(acq nr_foll_pin_acquired "$out/pins-after.txt"); r1=$(acq nr_foll_pin_released "$out/pins-after.txt")
	[ -n "$a1" ] && [ $((a1 - a0)) -eq $((r1 - r0)) ] && [ "$a1" -eq "$r1" ]
	ok $? "${l}pins balance after the fuzzer (acquired +$((a1 - a0)), released +$((r1 - r0)); totals $a1/$r1)"
}
