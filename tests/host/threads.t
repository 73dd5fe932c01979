#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Teams on the machine's own kernel: --threads, --share and --contend with the drivers
# that need no module. What the result says must add up: a record per thread, aggregate
# pages that are the threads' sum, the case's sample the median of its threads', pins
# balanced (shared buffers too), scaling efficiency against the 1-thread case, the
# contender's rate; and bad values are refused in one line.
. "$(dirname "$0")/../lib.sh"
[ -x "$GUPBENCH" ] || skip_all "bench/gupbench not built"
need_tools jq
[ "$(id -u)" -eq 0 ] || skip_all "needs root (pin counts in /proc/vmstat, io_uring memlock)"

tmp=$(mktemp -d "$TOP/build/test-threads.XXXXXX"); trap 'rm -rf "$tmp"' EXIT
plan 20

r=$tmp/team.json
"$GUPBENCH" run -q --driver iouring,futex --backing anon,shmem --state warm,cold --size 4M \
	--samples 5 --warmup 1 --count 1 --threads 1,2 --share private,shared -o "$r" \
	>"$tmp/out" 2>"$tmp/err"
ok $? "run --threads 1,2 --share private,shared: exit 0 $(head -c 200 "$tmp/err")"
n=$(jq '.cases | length' "$r")
[ "$n" -eq 32 ]; ok $? "2 drivers x 2 backings x 2 states x 2 thread counts x 2 shares: $n cases"
bad=$(jq -c '[.cases[] | select(.status != "ok") | [.driver, .backing, .state, .reason]]' "$r")
[ "$bad" = "[]" ]; ok $? "every case ok ($bad)"
jq -e 'all(.cases[]; (.team.per_thread | length) == .threads and
	(.share == "private" or .share == "shared") and .place == "none" and .mem == "none" and
	.contend == "none")' "$r" >/dev/null
ok $? "a record per thread; share, place, mem, contend recorded"

# the aggregate is the threads' sum, and its rate is that over the window
jq -e 'all(.cases[]; . as $c | .pages as $p | .threads as $t |
	all(range(0; .team.samples_pages | length);
	    $c.team.samples_pages[.] == $t * $p and
	    ($c.team.samples_pages_per_s[.] - $c.team.samples_pages[.] * 1e9 /
	     $c.team.samples_window_ns[.] | fabs) <= 1e-6 * $c.team.samples_pages_per_s[.]))' \
	"$r" >/dev/null
ok $? "sample by sample: aggregate pages = threads x pages each, pages/s = pages / window"
jq -e 'all(.cases[]; (.team.per_thread | map(.pages_done_per_op) | add) == .threads * .pages)' \
	"$r" >/dev/null
ok $? "per-thread pages done add up to the aggregate"
jq -e 'all(.cases[]; . as $c | all(range(0; .pin.samples_ns_per_page | length);
	. as $i | [$c.team.per_thread[].pin.samples_ns_per_page[$i]] | sort as $v |
	($v | length) as $k |
	(if $k % 2 == 1 then $v[($k - 1) / 2] else ($v[$k / 2 - 1] + $v[$k / 2]) / 2 end)
	== $c.pin.samples_ns_per_page[$i]))' "$r" >/dev/null
ok $? "the case's sample i is the median of its threads' sample i"
jq -e 'all(.cases[]; .pins.balanced == true)' "$r" >/dev/null
ok $? "pins balanced in every case, shared buffers included"
jq -e 'all(.cases[]; if .threads == 1 then .team.scaling_efficiency == null
	else .team.scaling_efficiency > 0 end)' "$r" >/dev/null
ok $? "scaling efficiency for 2 threads (against the same case at 1), none for 1"
jq -e 'all(.cases[]; all(.team.per_thread[]; .cpu_first >= 0 and .cpu_last >= 0 and
	.cpu_wanted == null and .placement_held == true))' "$r" >/dev/null
ok $? "unbound threads: their CPUs recorded, nothing to hold"
# a shared cold buffer is faulted in by whichever thread gets there first: the other may
# then find every page present
jq -e 'all(.cases[] | select(.state == "cold");
	all(.team.per_thread[]; .fallback.counted_calls > 0) and
	if .team.per_thread[0].fallback.source == "unavailable" then true
	elif .share == "private" then all(.team.per_thread[]; .fallback.calls_per_op > 0)
	else any(.team.per_thread[]; .fallback.calls_per_op > 0) end)' "$r" >/dev/null
ok $? "cold: each thread counted its own calls; private ones all fell back, shared ones at least one"
grep -q '^threads  *n  share' "$tmp/out" && grep -q 'thread 1: cpu' "$tmp/out"
ok $? "the table has the threads section with a line per thread"
"$GUPBENCH" show -f csv "$r" | head -1 | grep -q ',threads,share,place,mem,contend,pages_per_s_median,'
ok $? "CSV has the team columns"

# contention
r=$tmp/contend.json
"$GUPBENCH" run -q --driver iouring --backing anon --state warm,cold --size 4M --samples 3 \
	--warmup 1 --count 0 --contend none,mmap,mprotect,fault -o "$r" >/dev/null 2>"$tmp/err"
ok $? "run --contend none,mmap,mprotect,fault: exit 0 $(head -c 200 "$tmp/err")"
jq -e 'all(.cases[]; .status == "ok" and if .contend == "none" then .team.contender == null
	else .team.contender.ops > 0 and .team.contender.ops_per_s > 0 and
	.team.contender.threads == 1 end)' "$r" >/dev/null
ok $? "each contender's ops and rate recorded, none without one"
jq -e 'all(.cases[]; .pins.balanced == true)' "$r" >/dev/null
ok $? "pins balanced under contention"

# refusals: one line, exit 2
refused() {
	local what=$1; shift
	"$GUPBENCH" run -q --driver iouring --backing anon "$@" >/dev/null 2>"$tmp/err"
	local rc=$?
	[ $rc -eq 2 ] && [ "$(wc -l <"$tmp/err")" -eq 1 ]
	ok $? "$what: exit $rc, one line: $(head -1 "$tmp/err")"
}
refused "--threads 0" --threads 0
refused "--threads 2000" --threads 2000
refused "--share both" --share both
refused "--contend lots" --contend lots
done_testing
