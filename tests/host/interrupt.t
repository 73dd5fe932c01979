#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Ctrl-C (SIGINT) and SIGTERM mid-run: a valid result file marked interrupted,
# and every system setting the run changed is back as it was.
. "$(dirname "$0")/../lib.sh"
[ -x "$GUPBENCH" ] || skip_all "bench/gupbench not built"
need_tools jq
[ "$(id -u)" -eq 0 ] || skip_all "needs root (the run must change hugetlb and THP settings)"

tmp=$(mktemp -d "$TOP/build/test-interrupt.XXXXXX"); trap 'rm -rf "$tmp"' EXIT
mm=/sys/kernel/mm
settings() {
	cat $mm/transparent_hugepage/enabled $mm/transparent_hugepage/shmem_enabled \
	    $mm/hugepages/hugepages-2048kB/nr_hugepages 2>/dev/null
	grep -c ' /sys/kernel/tracing ' /proc/mounts
}
before=$(settings)

# pins held system-wide: a run that leaves pins behind changes it
held() {
	awk '$1 == "nr_foll_pin_acquired" { a = $2 } $1 == "nr_foll_pin_released" { r = $2 }
	     END { print a - r }' /proc/vmstat
}

# run_and_signal SIG EXPECTED_RC [twice|team]: twice = a second signal right after the
# first, which leaves at once: settings restored, the file as last written (still valid);
# team = the cases run on two threads pinning one buffer, with a contender
run_and_signal() {
	local sig=$1 want=$2 twice=${3:-} r=$tmp/r-$1$3.json rc i extra=() held0
	[ "$twice" = team ] && { extra=(--threads 2 --share shared --contend mmap); twice=; }
	rm -f "$r"
	held0=$(held)
	"$GUPBENCH" run -q --driver iouring,futex --backing hugetlb,shmem-thp,anon \
		--state warm,cold --size 32M --samples 2000 --warmup 0 --file-dir "$tmp" \
		"${extra[@]}" -o "$r" >/dev/null 2>"$tmp/err" &
	local pid=$!
	# wait until at least one case is in the file, so there is something to keep
	for ((i = 0; i < 300; i++)); do
		[ "$(jq '.cases | length' "$r" 2>/dev/null || echo 0)" -ge 1 ] && break
		sleep 0.1
	done
	kill -"$sig" $pid
	[ -n "$twice" ] && kill -"$sig" $pid
	wait $pid
	rc=$?
	[ $rc -eq "$want" ]; ok $? "SIG$sig${twice:+ $twice}: exit $rc (expected $want)"
	if [ -n "$twice" ]; then
		jq -e '(.cases | length) >= 1' "$r" >/dev/null
		ok $? "SIG$sig${twice:+ $twice}: result file still valid, $(jq '.cases | length' "$r") case(s)"
	else
		jq -e '.interrupted == true and (.cases | length) >= 1' "$r" >/dev/null
		ok $? "SIG$sig: result valid, interrupted, $(jq '.cases | length' "$r") case(s) kept"
	fi
	[ "$(settings)" = "$before" ]
	ok $? "SIG$sig${twice:+ $twice}${extra[*]:+ ${extra[*]}}: THP modes, nr_hugepages and tracefs mount restored"
	[ "$(held)" = "$held0" ]
	ok $? "SIG$sig${twice:+ $twice}${extra[*]:+ ${extra[*]}}: no pin left held ($(held), was $held0)"
}

plan 16
run_and_signal INT 130
run_and_signal TERM 143
run_and_signal INT 130 twice
run_and_signal INT 130 team
done_testing
