#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Teams in a two-socket, two-node guest (Debian 6.12, 4 vCPUs): the issue's matrix
# (--threads 1,2,4 --share private,shared --place scatter --mem local,remote
# --contend none,mmap on kmod and io_uring over anon, shmem and ext4) completes, and
# its result says where every thread ran and where its pages sat, adds up (aggregate
# pages = the threads' sum), balances its pins, and keeps each case's outcome under
# contention; the cross-node matrix puts threads and pages on the nodes it names.
. "$(dirname "$0")/../lib.sh"
need_tools qemu-system-x86_64 jq
need_kernel deb-6.12   # skips only when Debian's archive cannot be reached (tests/lib.sh)
out=$(mktemp -d "${TMPDIR:-/tmp}/gupbench-teams.XXXXXX")
trap 'rm -rf "$out"' EXIT
"$TOP/scripts/vm-run" --kernel deb-6.12 --cpus 4 --sockets 2 --nodes 2 --mem 4G \
	--timeout 1500 --out "$out" -- tests/vm/guest-teams.sh >"$out/vm-run.log" 2>&1
rc=$?
r=$out/teams.json c=$out/cross.json

plan 18
[ $rc -eq 0 ]; ok $? "vm-run exits 0 (rc $rc: $(grep -m1 'vm-run: infrastructure error' "$out/vm-run.log" || grep 'vm-run:' "$out/vm-run.log" | tail -n 1))"
[ $rc -eq 0 ] || { tail -n 8 "$out/vm-run.log"; tail -n 8 "$out/console.log" 2>/dev/null; } | sed 's/^/# /'
[ "$(cat "$out/teams.rc" 2>/dev/null)" = 0 ]
ok $? "the team matrix runs to the end: exit $(cat "$out/teams.rc" 2>/dev/null) $(head -c 200 "$out/teams.err" 2>/dev/null | grep -v wrote)"
n=$(jq '.cases | length' "$r" 2>/dev/null || echo 0)
[ "$n" -eq 144 ]; ok $? "2 drivers x 3 backings x 3 thread counts x 2 shares x 2 mems x 2 contends: $n cases"
# ext4 MAP_SHARED WRITE|LONGTERM is refused on 6.12 (the series); everything else pins
bad=$(jq -r '[.cases[] | select(if .backing == "file-shared" then
		.status != "error" or .errno != "EFAULT" else .status != "ok" end)
	| "\(.driver)/\(.backing)/x\(.threads)/\(.share)/\(.mem)/\(.contend): \(.status) \(.errno // .reason)"]
	| .[:3] | join("; ")' "$r" 2>/dev/null)
[ -f "$r" ] && [ -z "$bad" ]; ok $? "anon, shmem pinned; file-shared EFAULT in every cell${bad:+ ($bad)}"
jq -e 'all(.cases[]; (.team.per_thread | length) == .threads and .place == "scatter")' "$r" >/dev/null 2>&1
ok $? "a record per thread, place recorded"
# scatter over 2 sockets of 2 CPUs (CPUs 0-1 node 0, 2-3 node 1): 0, 2, 1, 3
jq -e 'all(.cases[]; [.team.per_thread[].cpu_wanted] == ([0, 2, 1, 3][:.threads]))' "$r" >/dev/null 2>&1
ok $? "scatter puts thread i on CPUs 0, 2, 1, 3: one socket, then the other"
moved=$(jq '[.cases[].team.per_thread[] | select(.placement_held != true or .cpu_first != .cpu_wanted or .cpu_last != .cpu_wanted)] | length' "$r" 2>/dev/null)
[ "$moved" = 0 ]; ok $? "every thread ran where it was bound, first sample to last (${moved:-?} moved)"
# pages of a thread bound to CPU c: node c/2 (local) or the other one (remote)
bad=$(jq '[.cases[] | select(.share == "private") | .mem as $m | .team.per_thread[]
	| ((.cpu_wanted / 2 | floor) as $own | (if $m == "local" then $own else 1 - $own end)) as $want
	| select(.mem_node_wanted != $want or ((.page_nodes.nodes // {}) | keys) != [$want | tostring])]
	| length' "$r" 2>/dev/null)
[ "$bad" = 0 ]; ok $? "private buffers: every thread's pages on its own node (local) or the other (remote) (${bad:-?} wrong)"
bad=$(jq '[.cases[] | select(.share == "shared") | .team.per_thread[0] as $t0
	| select(((.placement.page_nodes.nodes // {}) | keys) != [$t0.mem_node_wanted | tostring]
		 or any(.team.per_thread[]; .page_nodes != $t0.page_nodes))] | length' "$r" 2>/dev/null)
[ "$bad" = 0 ]; ok $? "shared buffers: the pages on thread 0's node, as every thread sees them (${bad:-?} wrong)"
jq -e 'all(.cases[] | select(.status == "ok"); . as $c | all(range(0; .team.samples_pages | length);
	$c.team.samples_pages[.] == $c.threads * $c.pages))' "$r" >/dev/null 2>&1
ok $? "aggregate pages of every sample = threads x pages (the threads' sum)"
jq -e 'all(.cases[] | select(.status == "ok"); (.team.per_thread | map(.pages_done_per_op) | add) == .threads * .pages)' "$r" >/dev/null 2>&1
ok $? "per-thread pages done add up to the aggregate"
jq -e 'all(.cases[]; .pins.balanced == true)' "$r" >/dev/null 2>&1
ok $? "pins balanced in every case: private, shared, refused"
# contention changes no outcome: same status and fallback with and without
diff=$(jq -r '[.cases[] | select(.driver == "kmod")] | group_by([.backing, .threads, .share, .mem])
	| map(select((map([.status, .errno, .fallback.calls_per_op]) | unique | length) != 1)
	      | "\(.[0].backing)/x\(.[0].threads)/\(.[0].share)/\(.[0].mem)") | join(" ")' "$r" 2>/dev/null)
[ -f "$r" ] && [ -z "$diff" ]; ok $? "kmod: status and fallback the same with and without the mmap contender${diff:+ ($diff)}"
jq -e 'all(.cases[]; if .contend == "mmap" then .team.contender.ops > 0 else .team.contender == null end)' "$r" >/dev/null 2>&1
ok $? "the contender's ops are recorded where it ran"
# cross-node: 2 CPU nodes x 2 memory nodes
[ "$(cat "$out/cross.rc" 2>/dev/null)" = 0 ] &&
	[ "$(jq '[.cases[] | select(.status == "ok" or .status == "error")] | length' "$c")" -eq 16 ]
ok $? "--cross-node: 2 x 2 cells of 4 cases run $(head -c 200 "$out/cross.err" 2>/dev/null | grep -v wrote)"
bad=$(jq '[.cases[] | (.place | ltrimstr("node:") | tonumber) as $cn | (.mem | ltrimstr("node:")) as $mn
	| select(((.team.per_thread[0].cpu_wanted / 2) | floor) != $cn
		 or ((.team.per_thread[0].page_nodes.nodes // {}) | keys) != [$mn])] | length' "$c" 2>/dev/null)
[ "$bad" = 0 ]; ok $? "--cross-node: each cell's thread on its CPU node, pages on its memory node (${bad:-?} wrong)"
# --preset numa: 3 drivers x 3 backings x 2 states x 3 thread counts x 2 shares x 2 mems
n=$(jq '.cases | length' "$out/numa.json" 2>/dev/null || echo 0)
[ "$(cat "$out/numa.rc" 2>/dev/null)" = 0 ] && [ "$n" -eq 216 ]
ok $? "--preset numa: exit $(cat "$out/numa.rc" 2>/dev/null), $n cases in $(cat "$out/numa.seconds" 2>/dev/null) s (--size 2M, $(jq -r .accel "$out/vm.json" 2>/dev/null || echo ?) guest) $(head -c 200 "$out/numa.err" 2>/dev/null | grep -v wrote)"
bad=$(jq -r '[.cases[] | select(if .backing == "file-shared" and .driver != "futex" then
		.status != "error" or .errno != "EFAULT" else .status != "ok" end)
	| "\(.driver)/\(.backing)/\(.state)/x\(.threads): \(.status) \(.errno // .reason)"] | .[:3] | join("; ")' \
	"$out/numa.json" 2>/dev/null)
[ -f "$out/numa.json" ] && [ -z "$bad" ]
ok $? "--preset numa: every case pinned, but ext4 WRITE|LONGTERM (EFAULT)${bad:+ ($bad)}"
done_testing
