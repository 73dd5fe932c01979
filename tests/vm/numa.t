#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Placement in a two-socket, two-node guest (Debian 6.12): buffers bound to
# each node really sit there, the pinning thread runs on the CPU it was bound
# to, a node that does not exist is refused, and per-node hugetlb pools are
# put back.
. "$(dirname "$0")/../lib.sh"
need_tools qemu-system-x86_64 jq
need_kernel deb-6.12   # skips only when Debian's archive cannot be reached (tests/lib.sh)
out=$(mktemp -d "${TMPDIR:-/tmp}/gupbench-numa.XXXXXX")
trap 'rm -rf "$out"' EXIT
"$TOP/scripts/vm-run" --kernel deb-6.12 --cpus 4 --sockets 2 --nodes 2 --out "$out" \
	-- tests/vm/guest-numa.sh >"$out/vm-run.log" 2>&1
rc=$?

plan 15
[ $rc -eq 0 ]; ok $? "vm-run exits 0 (rc $rc: $(grep -m1 'vm-run: infrastructure error' "$out/vm-run.log" || grep 'vm-run:' "$out/vm-run.log" | tail -n 1))"
# what went wrong stays readable after the temporary folder is gone
[ $rc -eq 0 ] || { tail -n 8 "$out/vm-run.log"; tail -n 8 "$out/console.log" 2>/dev/null; } | sed 's/^/# /'
for node in 0 1; do
	for cpu in 0 2; do
		f=$out/numa-m$node-c$cpu.json
		[ "$(cat "$out/numa-m$node-c$cpu.rc" 2>/dev/null)" = 0 ] && [ -f "$f" ]
		ok $? "--mem-node $node --cpu $cpu: run exits 0 $(head -c 150 "$out/numa-m$node-c$cpu.err" 2>/dev/null | grep -v wrote)"
		# every page that is present sits on the bound node, and some are present
		bad=$(jq -r --arg n "$node" --argjson c "$cpu" '[.cases[] | select(.status != "skipped")
			| select((.placement.page_nodes.nodes | keys) - [$n] != []
				 or .placement.cpu != $c or .placement.mem_node != ($n | tonumber))
			| "\(.driver)/\(.backing)/\(.state)"] | join(" ")' "$f" 2>/dev/null)
		n=$(jq '[.cases[] | select(.placement.page_nodes.nodes[$n] > 0)] | length' \
			--arg n "$node" "$f" 2>/dev/null || echo 0)
		[ -n "$f" ] && [ -z "$bad" ] && [ "$n" -ge 12 ]
		ok $? "--mem-node $node --cpu $cpu: pages on node $node, pinned from CPU $cpu ($n cases with pages there${bad:+; wrong: $bad})"
		[ "$(jq '[.cases[] | select(.backing == "hugetlb" and .status == "ok")] | length' "$f" 2>/dev/null)" -ge 2 ]
		ok $? "--mem-node $node --cpu $cpu: hugetlb cases pinned (pool grown on node $node)"
	done
done
[ "$(cat "$out/bad-node.rc" 2>/dev/null)" = 2 ] && [ "$(wc -l <"$out/bad-node.err")" -eq 1 ]
ok $? "a node that does not exist is refused: $(cat "$out/bad-node.err" 2>/dev/null)"
[ "$(sort -u "$out/hugepages-after.txt" 2>/dev/null)" = 0 ]
ok $? "per-node hugetlb pools back to 0 ($(tr '\n' ' ' <"$out/hugepages-after.txt" 2>/dev/null))"
done_testing
