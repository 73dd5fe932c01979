#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Runs in a two-node guest (tests/vm/numa.t): buffers bound to each node, the
# pinning thread bound to a CPU of either node.
set -u
G=$GUPBENCH_TOP/bench/gupbench
mkdir -p files
for node in 0 1; do
	for cpu in 0 2; do
		$G run -q --driver kmod,iouring --backing anon,shmem,hugetlb,file-shared \
			--state warm,cold --size 4M --samples 2 --warmup 0 --file-dir files \
			--mem-node $node --cpu $cpu --format csv -o numa-m$node-c$cpu.json \
			>/dev/null 2>numa-m$node-c$cpu.err
		echo $? >numa-m$node-c$cpu.rc
	done
done
$G run -q --driver kmod --backing anon --mem-node 2 -o bad-node.json >/dev/null 2>bad-node.err
echo $? >bad-node.rc
cat /sys/devices/system/node/node*/hugepages/hugepages-2048kB/nr_hugepages >hugepages-after.txt
exit 0
