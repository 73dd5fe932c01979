#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# gupbench list: the table says in words what the JSON says, in aligned columns of at most
# 100 characters, and tells why the module is not usable here. --from renders a saved list
# (as the QEMU test bed writes one), which is how the loaded-module lines are checked on a
# host that cannot load the module.
. "$(dirname "$0")/../lib.sh"
[ -x "$GUPBENCH" ] || skip_all "bench/gupbench not built"
need_tools jq
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

# cell TABLE SECTION HEADING LABEL [NEXT]: the text of column HEADING in the row LABEL of
# the section whose heading line starts with SECTION, up to column NEXT (else the end of
# the line), with its continuation lines; all blanks removed (a wrap may cut anywhere).
cell() {
	awk -v sec="$2" -v head="$3" -v label="$4" -v next_head="${5:-}" '
	index($0, sec) == 1 && index($0, head) { on = 1; s = index($0, head)
		e = next_head == "" ? 0 : index($0, next_head); next }
	on && $0 == "" { on = 0 }
	on {
		nm = substr($0, 1, s - 1); gsub(/ /, "", nm)
		if (nm != "") cur = nm
		if (cur == label) { c = e ? substr($0, s, e - s) : substr($0, s); gsub(/ /, "", c); out = out c }
	}
	END { print out }' "$1"
}

# aligned TABLE SECTION HEADING [NEXT]: in every line of the section, column HEADING (and
# NEXT) starts after two blanks, and every row's first line has text exactly there.
aligned() {
	awk -v sec="$2" -v head="$3" -v next_head="${4:-}" '
	index($0, sec) == 1 && index($0, head) { on = 1; s = index($0, head)
		e = next_head == "" ? 0 : index($0, next_head); next }
	on && $0 == "" { on = 0 }
	on {
		if (substr($0, s - 2, 2) != "  ") bad++
		if (e && length($0) >= e && substr($0, e - 2, 2) != "  ") bad++
		nm = substr($0, 1, s - 1); gsub(/ /, "", nm)
		if (nm != "" && substr($0, s, 1) == " ") bad++
		rows++
	}
	END { exit !(rows > 0 && bad == 0) }' "$1"
}

squash() { tr -d ' \n'; }
widest() { awk '{ if (length($0) > m) m = length($0) } END { print m + 0 }' "$1"; }

plan 25

"$GUPBENCH" list >"$tmp/table" 2>"$tmp/err"
ok $? "list exits 0"
"$GUPBENCH" list --format json >"$tmp/list.json" 2>"$tmp/err" && jq -e . "$tmp/list.json" >/dev/null
ok $? "list --format json is JSON"

! grep -n '[{}"]' "$tmp/table"
ok $? "the table has no JSON fragments ({, } or \")"
w=$(widest "$tmp/table")
[ "$w" -le 100 ]
ok $? "every line fits in 100 columns (widest: $w)"

# Every driver and backing: "yes", or "no: " and the reason the JSON gives.
missing=
for kind in driver backing; do
	for name in $(jq -r ".${kind}s | keys_unsorted[]" "$tmp/list.json"); do
		want=$(jq -r ".${kind}s[\"$name\"] | if .available then \"yes\" else \"no: \" + .reason end" \
			"$tmp/list.json" | squash)
		if [ $kind = driver ]; then
			got=$(cell "$tmp/table" driver available "$name" reaches)
		else
			got=$(cell "$tmp/table" backing available "$name")
		fi
		[ "$got" = "$want" ] || missing="$missing $kind:$name(table '$got', json '$want')"
	done
done
[ -z "$missing" ]
ok $? "every driver and backing of the JSON has its yes or reason in the table${missing:+:$missing}"
n=$(jq '[.drivers[], .backings[]] | length' "$tmp/list.json")
[ "$n" -gt 0 ]
ok $? "there were drivers and backings to check ($n)"

aligned "$tmp/table" driver available reaches
ok $? "driver columns hold (available, reaches start at their headings on every line)"
aligned "$tmp/table" backing available
ok $? "backing column holds"
aligned "$tmp/table" "perf counter" state && aligned "$tmp/table" "hugetlb pool" pages free
ok $? "counter and hugetlb columns hold"

# THP and hugetlb in words: modes as the kernel names them, pool sizes in bytes.
thp=$(jq -r '.thp.enabled // empty' "$tmp/list.json")
if [ -n "$thp" ]; then
	grep -Eq "^  top level +$thp " "$tmp/table" &&
		grep -Eq "^  defrag +$(jq -r .thp.defrag "$tmp/list.json")\$" "$tmp/table"
	ok $? "THP top-level modes ($thp) and defrag in words"
else
	grep -q '^THP .*not available' "$tmp/table"
	ok $? "no THP: said so"
fi
pools=$(jq '.hugetlb | length' "$tmp/list.json")
rows=$(sed -n '/^hugetlb pool/,/^$/p' "$tmp/table" | grep -cE '^  [0-9]+ [KMG]iB +[0-9]')
[ "$pools" -eq "$rows" ]
ok $? "one hugetlb row per page size ($pools sizes, $rows rows)"

# Counters: each opened or unsupported with its errno; the tracepoint in words.
bad=
for c in $(jq -r '.counters.opened[]' "$tmp/list.json"); do
	grep -Eq "^  $c +opened\$" "$tmp/table" || bad="$bad $c"
done
for c in $(jq -r '.counters.unsupported | keys[]' "$tmp/list.json"); do
	grep -Eq "^  $c +unsupported \($(jq -r ".counters.unsupported[\"$c\"]" "$tmp/list.json")\)\$" \
		"$tmp/table" || bad="$bad $c"
done
[ -z "$bad" ]
ok $? "every counter opened or unsupported (errno)${bad:+: missing$bad}"
if jq -e .fallback_tracepoint.available "$tmp/list.json" >/dev/null; then
	grep -Eq '^  mmap_lock tracepoint +yes' "$tmp/table"
else
	[ "$(cell "$tmp/table" "perf counter" state mmap_locktracepoint)" = \
	  "$(jq -r '"no: " + .counters.tracepoint.reason' "$tmp/list.json" | squash)" ]
fi
ok $? "the mmap_lock tracepoint line"

# The module, on this host: why it is not usable and what to do about it.
if jq -e .kmod.loaded "$tmp/list.json" >/dev/null; then
	grep -Eq '^  loaded +yes: version ' "$tmp/table"
	ok $? "module loaded: says so with its version"
	skip "module hint" "the module is loaded here"
else
	if [ ! -e /proc/modules ]; then
		want="this kernel cannot load modules: run the module in the QEMU test bed (scripts/vm-run)"
	elif [ -e /sys/module/gupbench ]; then
		want=$(jq -r .kmod.hint "$tmp/list.json")
	elif [ "$(id -u)" -ne 0 ]; then
		want="needs root: as root, make module && insmod kmod/gupbench.ko"
	else
		want="make module && insmod kmod/gupbench.ko"
	fi
	got=$(cell "$tmp/table" module /dev/gupbench touseit)
	[ "$(cell "$tmp/table" module /dev/gupbench loaded)" = \
	  "$(jq -r '"no: " + .kmod.reason' "$tmp/list.json" | squash)" ]
	ok $? "module: loaded: no, with kmod_describe's reason"
	[ "${got#"$(echo "$want" | squash)"}" != "$got" ] &&
		[ "$got" = "$(jq -r .kmod.hint "$tmp/list.json" | squash)" ]
	ok $? "module: why not usable here and what to do: $(jq -r .kmod.hint "$tmp/list.json")"
fi

# --format json keeps what it had; the new keys are additive.
jq -e '(.kernel.release | type == "string") and (.accelerator | type == "string") and
	(.drivers | type == "object") and (.backings | type == "object") and
	(.thp | type == "object") and (.hugetlb | type == "object") and
	(.fallback_tracepoint | has("available") and has("reason")) and
	(.counters | has("opened") and has("unsupported") and has("tracepoint")) and
	(.kmod | has("device") and has("loaded") and has("reason")) and
	([.drivers[] | has("available") and has("reason") and has("description") and
	  has("gup_path")] | all) and
	(.kmod.module_support | has("available") and has("reason"))' \
	"$tmp/list.json" >/dev/null
ok $? "JSON: every key it had, plus kmod.module_support and kmod.hint"

# A saved list with the module loaded, two NUMA nodes and a long reason, rendered with --from.
jq '.kmod = {device: "/dev/gupbench", loaded: true, reason: null, module_version: "0.1.0",
	uapi_version: 1, page_size: 4096, max_concurrent: 64,
	fallback_probe: {available: true, status: "counted", reason: null,
		probes: [{symbol: "__gup_longterm_locked", arg: 3, armed: true, error: null},
			 {symbol: "get_user_pages_unlocked", arg: 2, armed: false, error: "ENOENT"}],
		armed_now: 0, arm_count: 7,
		selftest: {status: "ok", calls: 4, pages: 16, reason: null}},
	limits: {length: 1073741824, pages_per_call: 262144, iterations: 1000000,
		 samples: 1048576}}
    | .hugetlb = {"2048kB": {nr: 8, free: 6, resv: 0, surplus: 0,
		nodes: {"0": {nr: 3, free: 1}, "1": {nr: 5, free: 5}}}}
    | .backings.anon = {available: false, description: "x", reason: ("a reason that is far " +
	"too long for one line of the table, so that it has to wrap over several lines while " +
	"the column keeps its place; /a/path/without/blanks/that/is/longer/than/the/column/" +
	"itself/and/must/be/cut/somewhere/sensible/or/other/at/last")}' \
	"$tmp/list.json" >"$tmp/fx.json"
"$GUPBENCH" list --from "$tmp/fx.json" >"$tmp/fx" 2>"$tmp/err"
ok $? "list --from a saved list exits 0"
! grep -q '[{}"]' "$tmp/fx" && [ "$(widest "$tmp/fx")" -le 100 ] &&
	aligned "$tmp/fx" backing available
ok $? "--from: no JSON fragments, 100 columns, a long reason wraps in its column"
[ "$(cell "$tmp/fx" backing available anon)" = \
  "$(jq -r '"no: " + .backings.anon.reason' "$tmp/fx.json" | squash)" ]
ok $? "--from: the wrapped reason reads back whole"
grep -Eq '^  loaded +yes: version 0.1.0, interface v1, 4096-byte pages$' "$tmp/fx" &&
	grep -Eq '^  fallback probe +yes' "$tmp/fx" &&
	grep -Eq '^    probe +__gup_longterm_locked: registered, page count from argument 3$' "$tmp/fx" &&
	grep -Eq '^    probe +get_user_pages_unlocked: not registered \(ENOENT\)' "$tmp/fx" &&
	grep -Eq '^    armed +only during counting requests \(not now\)$' "$tmp/fx" &&
	grep -Eq '^    self-test +ok \(4 calls, 16 pages\)$' "$tmp/fx" &&
	! grep -q 'to use it' "$tmp/fx"
ok $? "--from: loaded module, probes registered or not, armed only while counting, self-test ok"
grep -Eq '^    node 0 +3 +1$' "$tmp/fx" && grep -Eq '^    node 1 +5 +5$' "$tmp/fx"
ok $? "--from: per-node hugetlb pools with two nodes"
[ "$(jq '[.hugetlb[].nodes | length] | max // 0' "$tmp/list.json")" -ge 2 ] ||
	! grep -q '^    node ' "$tmp/table"
ok $? "no per-node rows on a single-node host"

bad=
for st in blind implausible failed not-run unavailable; do
	jq --arg st "$st" '.kmod.fallback_probe.selftest = {status: $st, calls: null, pages: null,
		reason: "because"}' "$tmp/fx.json" >"$tmp/st.json"
	line=$("$GUPBENCH" list --from "$tmp/st.json" | grep '^    self-test')
	[ "$(echo "$line" | awk '{ $1 = ""; print }' | squash)" = \
	  "$(echo "${st/not-run/not run}: because" | squash)" ] || bad="$bad $st($line)"
done
[ -z "$bad" ]
ok $? "--from: every self-test status in words with its reason${bad:+:$bad}"

"$GUPBENCH" list --from "$tmp/fx.json" --format json >"$tmp/rt.json" &&
	[ "$(jq -S . "$tmp/rt.json")" = "$(jq -S . "$tmp/fx.json")" ]
ok $? "--from --format json gives the saved list back unchanged"
"$GUPBENCH" list --from "$tmp/missing.json" >/dev/null 2>"$tmp/err"
rc=$?
[ $rc -eq 1 ] && [ "$(wc -l <"$tmp/err")" -eq 1 ]
ok $? "--from a missing file: exit $rc, one line: $(cat "$tmp/err")"
done_testing
