#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Remote against local memory in a two-node -icount guest (Debian 6.12, one vCPU on
# node 0, node 1 memory only): the thread stays on CPU 0, every buffer's pages sit on the
# node --mem names, and the instructions per page of each case are printed for both.
# -icount counts instructions, not latency: the ratio is how much longer the code path
# is for far memory (allocation falls back through the zonelist), never the cost of the
# distance itself, which only bare metal shows.
. "$(dirname "$0")/../lib.sh"
need_tools qemu-system-x86_64 jq
need_kernel deb-6.12   # skips only when Debian's archive cannot be reached (tests/lib.sh)
out=$(mktemp -d "${TMPDIR:-/tmp}/gupbench-icount-numa.XXXXXX")
trap 'rm -rf "$out"' EXIT
"$TOP/scripts/vm-run" --kernel deb-6.12 --icount --nodes 2 --mem 2G --out "$out" \
	-- tests/vm/guest-icount-numa.sh >"$out/vm-run.log" 2>&1
rc=$?
r=$out/icount-numa.json

plan 5
[ $rc -eq 0 ]; ok $? "vm-run exits 0 (rc $rc: $(grep -m1 'vm-run: infrastructure error' "$out/vm-run.log" || grep 'vm-run:' "$out/vm-run.log" | tail -n 1))"
[ "$(cat "$out/icount-numa.rc" 2>/dev/null)" = 0 ] && [ "$(jq '.cases | length' "$r")" -eq 24 ]
ok $? "the run exits 0 with 2 drivers x 3 backings x 2 states x 2 nodes = 24 cases"
jq -e '.system.icount != null' "$r" >/dev/null 2>&1
ok $? "the result says -icount ($(jq -r .system.icount "$r" 2>/dev/null))"
bad=$(jq '[.cases[] | select(.status == "ok") | (.mem | ltrimstr("node:")) as $m
	| select(.team.per_thread[0].cpu_first != 0 or .team.per_thread[0].placement_held != true
		 or ((.team.per_thread[0].page_nodes.nodes // {}) | keys) != [$m])] | length' "$r" 2>/dev/null)
[ "$bad" = 0 ]; ok $? "every thread on CPU 0, every buffer's pages on the node named (${bad:-?} wrong)"
pairs=$(jq -r '[.cases[] | select(.status == "ok")] | group_by([.driver, .backing, .state])
	| map(select(length == 2) | "\(.[0].driver) \(.[0].backing) \(.[0].state): local \(.[0].pin.ns_per_page.median) remote \(.[1].pin.ns_per_page.median) instructions/page")
	| .[]' "$r" 2>/dev/null)
[ "$(grep -c . <<<"$pairs")" -eq 10 ]; ok $? "local and remote of the 10 cases that pin"
sed 's/^/# /' <<<"$pairs"
done_testing
