#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Runs in a two-socket, two-node guest (tests/vm/teams.t): the team matrix on
# kmod and io_uring, the cross-node matrix, and the refusals that need two nodes.
set -u
G=$GUPBENCH_TOP/bench/gupbench
mkdir -p files
# small and few: an emulated guest; the unit is what each case records, not its speed
$G run -q --threads 1,2,4 --share private,shared --place scatter --mem local,remote \
	--contend none,mmap --driver kmod,iouring --backing anon,shmem,file-shared \
	--state warm --size 1M --samples 2 --warmup 1 --count 1 --rounds 1 --file-dir files \
	--format csv -o teams.json >/dev/null 2>teams.err
echo $? >teams.rc
$G run -q --cross-node --driver kmod --backing anon,file-shared --op pin_fast \
	--flags WRITE --state warm,cold --size 1M --samples 2 --warmup 1 --count 1 \
	--file-dir files -o cross.json >cross.out 2>cross.err
echo $? >cross.rc
# the preset a two-socket box runs, on smaller buffers (an emulated guest): every case
# must finish; how long it took is recorded
start=$SECONDS
$G run -q --preset numa --size 2M --file-dir files -o numa.json >/dev/null 2>numa.err
echo $? >numa.rc
echo $((SECONDS - start)) >numa.seconds
cat /sys/devices/system/node/node*/hugepages/hugepages-2048kB/nr_hugepages >hugepages-after.txt
exit 0
