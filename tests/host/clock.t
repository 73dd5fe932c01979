#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# gupbench run records the clock its timings read (system.clock): the clocksource sysfs
# names, and the resolution: aarch64's from CNTFRQ_EL0, elsewhere (x86) observed;
# show --env prints it.
. "$(dirname "$0")/../lib.sh"
need_tools jq
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
cs_file=/sys/devices/system/clocksource/clocksource0/current_clocksource
[ -r "$cs_file" ] || skip_all "no $cs_file"

plan 7
"$GUPBENCH" run --preset quick --driver futex --backing anon -o "$tmp/r.json" \
	>"$tmp/out" 2>"$tmp/err"
rc=$?
[ $rc -eq 0 ]; ok $? "gupbench run exits 0 (rc $rc: $(tail -n 1 "$tmp/err"))"
cs=$(cat "$cs_file")
got=$(jq -r '.system.clock.clocksource' "$tmp/r.json" 2>/dev/null)
[ -n "$cs" ] && [ "$got" = "$cs" ]
ok $? "system.clock.clocksource is sysfs's current_clocksource ($got, want $cs)"
if [ "$(uname -m)" = aarch64 ]; then
	src=cntfrq_el0 how='(CNTFRQ_EL0)' rel='' hz='counter_hz > 0'
else
	src=observed how='(observed)' rel='<= ' hz='counter_hz == null'
fi
jq -e --arg src "$src" ".system.clock | .resolution_source == \$src and .$hz" \
	"$tmp/r.json" >/dev/null 2>&1
ok $? "$(uname -m): resolution_source $src, $hz"
res=$(jq -r '.system.clock.resolution_ns' "$tmp/r.json" 2>/dev/null)
jq -e '.system.clock.resolution_ns | type == "number" and . > 0' "$tmp/r.json" >/dev/null 2>&1
ok $? "resolution_ns is a positive number ($res)"
# the table wraps at 72 columns: one line of words to look in
line=$("$GUPBENCH" show --env "$tmp/r.json" 2>&1 | tr -s ' \n' '  ' | grep -o ' clock [^)]*)')
grep -q "^ clock $cs, .*per-call resolution ${rel}[0-9.]* ns $how" <<<"$line"
ok $? "show --env: the clock line ($line)"
# a file from before the field: no clock row, and not a difference; another clocksource is
jq 'del(.system.clock)' "$tmp/r.json" >"$tmp/old.json" &&
	jq '.system.clock.clocksource = "other-clock"' "$tmp/r.json" >"$tmp/other.json"
"$GUPBENCH" show --env "$tmp/old.json" >"$tmp/old-env" 2>&1 &&
	"$GUPBENCH" compare "$tmp/old.json" -- "$tmp/r.json" >"$tmp/old-cmp" 2>&1 &&
	grep -q "^  kernel " "$tmp/old-env" && ! grep -q clock "$tmp/old-env" "$tmp/old-cmp"
ok $? "a file without system.clock: no clock row in show --env, no difference in compare"
"$GUPBENCH" compare "$tmp/r.json" -- "$tmp/other.json" >"$tmp/cmp" 2>&1
grep -q "^differs: clock: A $cs; B other-clock" "$tmp/cmp" &&
	grep -q "^warning: the sides read different clocks" "$tmp/cmp"
ok $? "compare: another clocksource is a difference, with a warning"
done_testing
