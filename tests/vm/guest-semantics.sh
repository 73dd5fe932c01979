#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Runs inside a test-bed guest (scripts/vm-run): what the host-side VM tests
# check. Writes everything into the working folder, which vm-run copies out.
set -u
G=$GUPBENCH_TOP/bench/gupbench
mkdir -p files
common=(-q --size 4M --samples 3 --warmup 1 --file-dir files --format csv)
all=anon,shmem,anon-thp,hugetlb,file-shared,file-private,secretmem

$G list --format json >list.json 2>list.err
echo $? >list.rc
$G run "${common[@]}" --driver kmod --op pin_fast,pin --flags WRITE,LONGTERM --flags WRITE --flags LONGTERM \
	--backing $all --state warm,cold,half -o kmod.json >kmod.csv 2>kmod.err
echo $? >kmod.rc
$G run "${common[@]}" --driver kmod --op get_fast --flags WRITE --flags none \
	--backing anon,file-shared --state warm,cold -o kmod-get.json >kmod-get.csv 2>kmod-get.err
echo $? >kmod-get.rc
# Read-faulted: what GUP-fast does with pages mapped without write access, R/O
# long-term pins above all (page cache falls back on every call from 6.2).
$G run "${common[@]}" --driver kmod --op pin_fast --flags LONGTERM --flags WRITE,LONGTERM \
	--flags WRITE --backing $all --state read -o kmod-read.json >kmod-read.csv 2>kmod-read.err
echo $? >kmod-read.rc
$G run "${common[@]}" --driver iouring,futex --backing $all --state warm,cold,read \
	-o user.json >user.csv 2>user.err
echo $? >user.rc

# The fuzzer, with the pin balance around it.
"$GUPBENCH_TOP/tests/vm/guest-fuzz.sh"
exit 0
