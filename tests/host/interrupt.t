#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Ctrl-C (SIGINT) and SIGTERM mid-run: a valid result file marked interrupted,
# and every system setting the run changed is back as it was.
. "$(dirname "$0")/../lib.sh"
[ -x "$GUPBENCH" ] || skip_all "bench/gupbench not built"
command -v jq >/dev/null || skip_all "jq not installed (scripts/setup.sh)"
[ "$(id -u)" -eq 0 ] || skip_all "needs root (the run must change hugetlb and THP settings)"

tmp=$(mktemp -d "$TOP/build/test-interrupt.XXXXXX"); trap 'rm -rf "$tmp"' EXIT
mm=/sys/kernel/mm
settings() {
	cat $mm/transparent_hugepage/enabled $mm/transparent_hugepage/shmem_enabled \
	    $mm/hugepages/hugepages-2048kB/nr_hugepages 2>/dev/null
	grep -c ' /sys/kernel/tracing ' /proc/mounts
}
before=$(settings)

# run_and_signal SIG EXPECTED_RC
run_and_signal() {
	local sig=$1 want=$2 r=$tmp/r-$1.json rc i
	rm -f "$r"
	"$GUPBENCH" run -q --driver iouring,futex --backing hugetlb,shmem-thp,anon \
		--state warm,cold --size 32M --samples 2000 --warmup 0 --file-dir "$tmp" \
		-o "$r" >/dev/null 2>"$tmp/err" &
	local pid=$!
	# wait until at least one case is in the file, so there is something to keep
	for ((i = 0; i < 300; i++)); do
		[ "$(jq '.cases | length' "$r" 2>/dev/null || echo 0)" -ge 1 ] && break
		sleep 0.1
	done
	kill -"$sig" $pid
	wait $pid
	rc=$?
	[ $rc -eq "$want" ]; ok $? "SIG$sig: exit $rc (expected $want)"
	jq -e '.interrupted == true and (.cases | length) >= 1' "$r" >/dev/null
	ok $? "SIG$sig: result valid, interrupted, $(jq '.cases | length' "$r") case(s) kept"
	[ "$(settings)" = "$before" ]
	ok $? "SIG$sig: THP modes, nr_hugepages and tracefs mount restored"
}

plan 6
run_and_signal INT 130
run_and_signal TERM 143
done_testing
