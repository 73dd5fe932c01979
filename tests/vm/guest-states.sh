#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Runs inside a test-bed guest (scripts/vm-run) with the module loaded: the buffer states
# GUP-fast falls back on (forked, zero, ro, ksm, dirty, clean, writeback) through the
# module, pin_fast and pin with WRITE, WRITE|LONGTERM, LONGTERM and no flags, and
# get_fast where FOLL_GET and FOLL_PIN part ways. Writes everything into the working
# folder, which vm-run copies out; on the host, states_guest_checks (tests/states-check.sh)
# checks it against tests/expectations.tsv.
set -u
G=$GUPBENCH_TOP/bench/gupbench
mkdir -p files
common=(-q --driver kmod --size 4M --file-dir files --format csv)
flags=(--flags WRITE --flags "WRITE,LONGTERM" --flags LONGTERM --flags none)
ksm_settings() {
	cat /sys/kernel/mm/ksm/run /sys/kernel/mm/ksm/pages_to_scan \
		/sys/kernel/mm/ksm/sleep_millisecs 2>/dev/null | tr '\n' ' '
}

# run NAME ARGS...: NAME.json, .csv, .err and .rc
run() {
	local name=$1
	shift
	$G run "${common[@]}" "$@" -o "$name.json" >"$name.csv" 2>"$name.err"
	echo $? >"$name.rc"
}

ksm_settings >ksm-before.txt
# Private mappings: forked, zero and ro apply (zero to anon only), dirty and the other
# file states are refused.
run states-private --op pin_fast,pin "${flags[@]}" --samples 3 --warmup 1 \
	--backing anon,anon-thp,file-private --state forked,zero,ro,dirty
# Shared mappings (file-shared on the guest's ext4): ro and the page cache states.
run states-shared --op pin_fast,pin "${flags[@]}" --samples 3 --warmup 1 \
	--backing shmem,hugetlb,file-shared --state forked,ro,dirty,clean,writeback
# ksm makes its buffer anew for every op and waits for ksmd each time: fewer ops.
run states-ksm --op pin_fast,pin "${flags[@]}" --samples 2 --warmup 0 --count 1 \
	--backing anon,anon-thp,shmem --state ksm
# FOLL_GET (get_fast) takes R/O what FOLL_PIN must unshare.
run states-get --op get_fast --flags none --flags WRITE --samples 2 --warmup 0 --count 1 \
	--backing anon,anon-thp --state forked,ksm,zero
ksm_settings >ksm-after.txt
# no forked child outlives its run: every gupbench process is gone
for f in /proc/[0-9]*/comm; do
	{ read -r comm <"$f"; } 2>/dev/null && [ "$comm" = gupbench ] && echo "${f%/comm}"
done >leftover.txt
exit 0
