#!/bin/bash
set -u
G=$GUPBENCH_TOP/bench/gupbench
mkdir -p files
$G run -q --driver kmod,iouring --backing anon,shmem,file-shared --op pin_fast --flags WRITE \
	--state warm,cold --size 4M --samples 5 --warmup 1 --count 1 --file-dir files \
	--place list:0 --mem node:0,node:1 -o icount-numa.json >icount-numa.out 2>icount-numa.err
echo $? >icount-numa.rc
exit 0
