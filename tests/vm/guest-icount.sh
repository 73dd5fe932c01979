#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Runs in an -icount guest (scripts/icount-report): code-path length of the
# module's pin calls, and the cost of its own timing.
set -u
G=$GUPBENCH_TOP/bench/gupbench
mkdir -p files
# the module as the runs found it: probe registered, self-test, armed or not
$G list --format json >list.json 2>list.err
$G run -q --driver kmod --op pin_fast,pin --flags WRITE,LONGTERM --flags WRITE \
	--backing anon,shmem,anon-thp,hugetlb,file-shared --state warm --size 4M \
	--samples 15 --warmup 2 --file-dir files --format csv -o icount.json >icount.csv 2>icount.err
echo $? >icount.rc
$G overhead 2000 >overhead.json 2>overhead.err
echo $? >overhead.rc
exit 0
