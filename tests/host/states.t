#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The buffer states GUP-fast falls back on (forked, zero, ro, ksm, dirty, clean, writeback)
# on the running kernel with the userspace drivers: outcomes against
# tests/expectations.tsv, what each state verified (backing_actual), the backings a state
# refuses (a skipped case that says why), an unknown state name, and that no forked child
# and no KSM setting outlives a run, Ctrl-C and SIGKILL included.
. "$(dirname "$0")/../lib.sh"
. "$TOP/tests/expect.sh"
. "$TOP/tests/states-check.sh"
[ -x "$GUPBENCH" ] || skip_all "bench/gupbench not built"
need_tools jq setsid
[ "$(id -u)" -eq 0 ] || skip_all "needs root (PFNs, ksmd, hugetlb, the tracepoint)"
kv=$(uname -r | sed -E 's/^([0-9]+\.[0-9]+).*/\1/')

tmp=$(mktemp -d "$TOP/build/test-states.XXXXXX")
shm=$(mktemp -d /dev/shm/gupbench-states.XXXXXX)
trap 'rm -rf "$tmp" "$shm"' EXIT
ksm_settings() { cat /sys/kernel/mm/ksm/run /sys/kernel/mm/ksm/pages_to_scan \
	/sys/kernel/mm/ksm/sleep_millisecs 2>/dev/null | tr '\n' ' '; }
ksm_before=$(ksm_settings)

run() {
	local out=$1
	shift
	"$GUPBENCH" run -q --driver iouring,futex --size 8M --samples 3 --warmup 1 \
		--format csv -o "$tmp/$out.json" "$@" >"$tmp/$out.csv" 2>"$tmp/$out.err"
	echo $? >"$tmp/$out.rc"
}
# File backings on the checkout's filesystem (ext4 here: written back), then on tmpfs.
run private --backing anon,anon-thp,file-private --state forked,zero,ro,ksm --file-dir "$tmp"
run shared --backing shmem,hugetlb,file-shared,secretmem \
	--state forked,zero,ro,ksm,dirty,clean,writeback --file-dir "$tmp"
run tmpfs --backing file-shared --state dirty,clean,writeback --file-dir "$shm"

{
	for name in private:24 shared:56 tmpfs:6; do
		want=${name#*:} name=${name%%:*} f=$tmp/$name.json
		rc=$(cat "$tmp/$name.rc")
		[ "$rc" -eq 0 ]
		ok $? "$name: run exits 0 (rc $rc: $(head -c 200 "$tmp/$name.err"))"
		n=$(jq '.cases | length' "$f" 2>/dev/null || echo 0)
		[ "$n" -eq "$want" ]; ok $? "$name: $want cases recorded ($n)"
		states_check "$f" "$kv" "$name" "$name"
	done
	# The folios of the page cache, each counted once: together the whole file.
	jq -e '[.cases[] | select(.backing == "file-shared" and .status != "skipped")
		| (.backing_actual.folio_sizes // {} | to_entries
		   | map((.key | tonumber) * .value) | add) == .size_bytes] | length > 0 and all' \
		"$tmp/shared.json" >/dev/null
	ok $? "file-shared: folio sizes cover the file exactly ($(jq -c '[.cases[]
		| select(.backing == "file-shared" and .status != "skipped")
		| .backing_actual.folio_sizes] | unique' "$tmp/shared.json"))"
	jq -e '[.cases[] | select(.backing == "anon" and .state == "zero")
		| .backing_actual.folio_sizes == {"4096": 1}] | length > 0 and all' \
		"$tmp/private.json" >/dev/null
	ok $? "anon zero: one folio, the 4 KiB zero page, behind every page"
	[ "$(ksm_settings)" = "$ksm_before" ]
	ok $? "KSM settings as before the runs ($(ksm_settings))"

	# An unknown state: one line naming the states, exit 2.
	"$GUPBENCH" run --driver futex --backing anon --state forked,tepid >"$tmp/u.out" \
		2>"$tmp/u.err"
	rc=$?
	[ $rc -eq 2 ] && [ "$(wc -l <"$tmp/u.err")" -eq 1 ] &&
		grep -q "tepid.*writeback" "$tmp/u.err"
	ok $? "unknown state: exit $rc, one line ($(cat "$tmp/u.err"))"
	names=$(sed -E "s/.*unknown state '[^']*' \(([^)]*)\).*/\1/; s/ or /, /; s/, /\n/g" \
		"$tmp/u.err" | sort | tr '\n' ' ')
	"$GUPBENCH" list --format json >"$tmp/list.json" 2>/dev/null
	[ "$(jq -r '.states | keys[]' "$tmp/list.json" | sort | tr '\n' ' ')" = "$names" ] &&
		jq -e '[.states[] | .description != null and (.available or .reason != null)]
			| all' \
			"$tmp/list.json" >/dev/null
	ok $? "gupbench list names every state the usage error does ($names)"

	# The forked child: gone after Ctrl-C, and after SIGKILL of gupbench (PR_SET_PDEATHSIG).
	# in_session SID: the processes of session SID, read with builtins only: a forked
	# child lives for one op, a process per file would be too slow to see it
	in_session() {
		local f l s
		for f in /proc/[0-9]*/stat; do
			{ read -r l <"$f"; } 2>/dev/null || continue
			read -r _ _ _ s _ <<<"${l##*) }"
			[ "$s" = "$1" ] && echo "$f"
		done
	}
	for sig in INT KILL; do
		setsid "$GUPBENCH" run -q --driver futex --backing anon --state forked --size 64M \
			--samples 5000 --warmup 0 -o "$tmp/sig.json" --force >/dev/null 2>&1 &
		pid=$!
		for ((i = 0; i < 300; i++)); do
			seen=$(in_session "$pid" | wc -l)
			[ "$seen" -ge 2 ] && break
			sleep 0.05
		done
		kill -"$sig" "$pid"
		wait "$pid" 2>/dev/null
		for ((i = 0; i < 40; i++)); do
			[ -z "$(in_session "$pid")" ] && break
			sleep 0.05
		done
		left=$(in_session "$pid" | wc -l)
		[ "$seen" -ge 2 ] && [ "$left" -eq 0 ]
		ok $? "SIG$sig: the forked child was there ($seen processes), is gone ($left left)"
	done
	# KSM settings after a run stopped twice, at once: settings_restore() from the handler.
	"$GUPBENCH" run -q --driver futex --backing anon --state ksm --size 8M --samples 5000 \
		--warmup 0 -o "$tmp/ksm-sig.json" --force >/dev/null 2>&1 &
	pid=$!
	sleep 1
	kill -INT "$pid"; kill -INT "$pid"
	wait "$pid"
	[ "$(ksm_settings)" = "$ksm_before" ]
	ok $? "KSM settings restored after a double Ctrl-C ($(ksm_settings))"
} >"$tmp/tap"
echo "# kernel $kv"
plan "$(grep -cE '^(not )?ok ' "$tmp/tap")"
cat "$tmp/tap"
! grep -q '^not ok' "$tmp/tap"
