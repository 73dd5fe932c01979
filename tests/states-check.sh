# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# Checks of runs of the buffer states GUP-fast falls back on (forked, zero, ro, ksm, dirty,
# clean, writeback), made by tests/host/states.t here and tests/vm/guest-states.sh in a
# guest: the backings each state refuses and why, what each state verified, and every
# outcome against tests/expectations.tsv. Source after tests/lib.sh and tests/expect.sh.

# state_refusal BACKING STATE FS: the start of the reason a state gives for not applying
# to the backing (a file backing's file on FS), or nothing when it applies.
state_refusal() {
	local bk=$1 st=$2 fs=$3
	case $st:$bk in
	forked:anon|forked:anon-thp|forked:file-private) ;;
	forked:*) echo "forked: $bk is a shared .* nothing to unshare" ;;
	zero:anon|zero:anon-thp) ;;
	zero:*) echo "zero: only private anonymous memory maps the shared zero page" ;;
	ksm:anon|ksm:anon-thp|ksm:file-private) ;;
	ksm:*) echo "ksm: KSM merges only anonymous pages of private mappings" ;;
	ro:*) ;;
	*:file-shared)
		[ "$fs" = tmpfs ] && echo "$st: file-shared's file is on tmpfs, which never writes" ;;
	*) echo "$st: only the page cache behind a shared file mapping" ;;
	esac
}

# state_verified CASE_JSON: what the state saw and recorded under backing_actual.state
state_verified() {
	jq -e --argjson size "$(jq .size_bytes <<<"$1")" '.state as $s | .backing as $b
		| .backing_actual.state as $v
		| if $s == "forked" then $v.pages_sampled > 0 and $v.pages_exclusive == 0
		  elif $s == "zero" then $v.verified_by == "kpageflags KPF_ZERO_PAGE" and
			$v.zero_page == (if $b == "anon" then "4 KiB" else "huge" end)
		  elif $s == "ro" then ($v.protection | startswith("r--"))
		  elif $s == "ksm" then $v.pages_ksm == $v.pages_sampled and $v.pages_sampled > 0
		  elif $s == "dirty" then $v.dirty_bytes == $size
		  elif $s == "clean" then $v.dirty_bytes == 0
		  elif $s == "writeback" then ($v.pages_writeback | type) == "number"
		  else false end' <<<"$1" >/dev/null
}

# states_check FILE KVER FS LABEL: TAP lines for every case of FILE, whose file backings
# had their file on FS ("tmpfs" or anything else).
states_check() {
	local f=$1 kv=$2 fs=$3 label=$4 n i c bk st drv status reason what want_why
	n=$(jq '.cases | length' "$f" 2>/dev/null || echo 0)
	[ "$n" -gt 0 ]
	ok $? "$label: cases recorded ($n)"
	for ((i = 0; i < n; i++)); do
		c=$(jq -c ".cases[$i]" "$f")
		bk=$(jq -r .backing <<<"$c") st=$(jq -r .state <<<"$c")
		drv=$(jq -r .driver <<<"$c") status=$(jq -r .status <<<"$c")
		reason=$(jq -r '.reason // ""' <<<"$c")
		what="$label: $drv/$bk/$st$(jq -r '"/" + (.op // "-") + "/"
			+ (.flags | if length == 0 then "none" else join(",") end)' <<<"$c")"
		want_why=$(state_refusal "$bk" "$st" "$fs")
		if [ -n "$want_why" ] && [ "$status" = skipped ] && [[ $reason != "$st:"* ]]; then
			skip "$what" "$reason"
			continue
		fi
		if [ -n "$want_why" ]; then
			[ "$status" = skipped ] && [[ $reason =~ ^$want_why ]]
			ok $? "$what: refused, skipped with the reason ($status: $reason)"
			continue
		fi
		# A state's own refusal or failed check says "state: ..."; anything else (no
		# KSM, no huge pages) is the machine's, and so is THP without its zero page.
		if [ "$status" = skipped ] &&
		   { [[ $reason != "$st:"* ]] || [[ $reason == *"use_zero_page 0"* ]]; }; then
			skip "$what" "$reason"
			continue
		fi
		[ "$status" != skipped ]
		ok $? "$what: the state applies and was made ($status${reason:+: $reason})"
		[ "$status" != skipped ] || continue
		state_verified "$c"
		ok $? "$what: verified ($(jq -c .backing_actual.state <<<"$c"))"
		check_case "$f" "$i" "$kv"
	done
}

# states_guest_checks OUT KVER: the TAP checks of what tests/vm/guest-states.sh left in
# OUT (the guest's kernel KVER, major.minor).
states_guest_checks() {
	local out=$1 kv=$2 run
	for run in states-private states-shared states-ksm states-get; do
		[ "$(cat "$out/$run.rc" 2>/dev/null)" = 0 ]
		ok $? "$run: gupbench run exits 0: $(head -c 200 "$out/$run.err" 2>/dev/null |
			grep -v wrote)"
		states_check "$out/$run.json" "$kv" ext4 "$run"
	done
	[ -s "$out/ksm-before.txt" ] && cmp -s "$out/ksm-before.txt" "$out/ksm-after.txt"
	ok $? "KSM run, pages_to_scan, sleep_millisecs as before ($(cat "$out/ksm-after.txt" \
		2>/dev/null))"
	[ -f "$out/leftover.txt" ] && [ ! -s "$out/leftover.txt" ]
	ok $? "no gupbench process (forked child) left after the runs ($(tr '\n' ' ' \
		<"$out/leftover.txt" 2>/dev/null))"
}
