#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The userspace drivers on the running kernel: every backing in every state,
# checked against tests/expectations.tsv for this kernel version.
. "$(dirname "$0")/../lib.sh"
. "$TOP/tests/expect.sh"
[ -x "$GUPBENCH" ] || skip_all "bench/gupbench not built"
need_tools jq
[ "$(id -u)" -eq 0 ] || skip_all "needs root (tracepoint for fallback counts, hugetlb reservation)"
kv=$(uname -r | sed -E 's/^([0-9]+\.[0-9]+).*/\1/')

# File-backed backings on the checkout's filesystem (ext4 here: dirty-tracked), then
# again on tmpfs (shmem: allowed) and ramfs (no writeback, but dirty-tracked: refused):
# expectations follow the filesystem, not the backing's name.
tmp=$(mktemp -d "$TOP/build/test-semantics.XXXXXX")
shm=$(mktemp -d /dev/shm/gupbench-test.XXXXXX)
mkdir -p "$tmp/ramfs"
ramfs=
mount -t ramfs ramfs "$tmp/ramfs" 2>/dev/null && ramfs=$tmp/ramfs
trap '[ -z "$ramfs" ] || umount "$ramfs"; rm -rf "$tmp" "$shm"' EXIT
run() {
	local out=$1
	shift
	"$GUPBENCH" run -q --driver iouring,futex --size 4M --samples 3 --warmup 1 \
		--format csv -o "$tmp/$out.json" "$@" >"$tmp/$out.csv" 2>"$tmp/$out.err"
	echo $? >"$tmp/$out.rc"
}
run main --backing anon,anon-thp,shmem,shmem-thp,hugetlb,file-shared,file-private,secretmem \
	--state warm,cold,half,read --file-dir "$tmp"
run tmpfs --backing file-shared,file-private --state warm,cold,read --file-dir "$shm"
[ -z "$ramfs" ] || run ramfs --backing file-shared,file-private --state warm,cold,read --file-dir "$ramfs"
{
	for r in main:64 tmpfs:12 ramfs:12; do
		name=${r%%:*} want=${r#*:} f=$tmp/${r%%:*}.json
		if [ "$name" = ramfs ] && [ -z "$ramfs" ]; then
			skip "ramfs file-dir" "cannot mount a ramfs here"
			continue
		fi
		rc=$(cat "$tmp/$name.rc")
		[ "$rc" -eq 0 ]; ok $? "$name: run exits 0 (rc $rc: $(head -c 200 "$tmp/$name.err"))"
		n=$(jq '.cases | length' "$f" 2>/dev/null || echo 0)
		[ "$n" -eq "$want" ]; ok $? "$name: $want cases recorded ($n)"
		[ "$(jq -r .interrupted "$f")" = false ] && [ "$(jq -r .finished "$f")" != null ]
		ok $? "$name: result marked finished, not interrupted"
		for ((i = 0; i < n; i++)); do check_case "$f" $i "$kv"; done
	done
	# What the kernel keys on is recorded with the case.
	jq -e '[.cases[] | select(.backing == "file-shared" and .status != "skipped")
		| .backing_actual | .fs == "tmpfs" and .dirty_tracking == false and .folios == "shmem"]
		| length > 0 and all' "$tmp/tmpfs.json" >/dev/null
	ok $? "tmpfs file-shared recorded as shmem folios without dirty tracking"
	if [ -n "$ramfs" ]; then
		jq -e '[.cases[] | select(.backing == "file-shared" and .status != "skipped")
			| .backing_actual | .fs == "ramfs" and .dirty_tracking == true and .writeback == false]
			| length > 0 and all' "$tmp/ramfs.json" >/dev/null
		ok $? "ramfs file-shared recorded as dirty-tracked, without writeback"
	fi
	# One slow-path entry, many lock acquisitions: the two are counted apart.
	jq -e '[.cases[] | select(.driver == "iouring" and .backing == "shmem" and .state == "cold")][0]
		| .fallback.calls_per_op == 1 and .fallback.source == "mmap_lock-per-call"
		  and .mmap_lock.acquisitions_per_op > 1' "$tmp/main.json" >/dev/null
	ok $? "cold memfd io_uring: 1 slow-path entry per registration, more lock acquisitions ($(jq -c '[.cases[] | select(.driver == "iouring" and .backing == "shmem" and .state == "cold")][0] | [.fallback.calls_per_op, .mmap_lock.acquisitions_per_op]' "$tmp/main.json"))"
} >"$tmp/tap"
echo "# kernel $kv"
plan "$(grep -cE '^(not )?ok ' "$tmp/tap")"
cat "$tmp/tap"
! grep -q '^not ok' "$tmp/tap"
