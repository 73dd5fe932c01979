#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The userspace drivers on the running kernel: every backing, warm and cold,
# checked against tests/expectations.tsv for this kernel version.
. "$(dirname "$0")/../lib.sh"
. "$TOP/tests/expect.sh"
[ -x "$GUPBENCH" ] || skip_all "bench/gupbench not built"
command -v jq >/dev/null || skip_all "jq not installed (scripts/setup.sh)"
[ "$(id -u)" -eq 0 ] || skip_all "needs root (tracepoint for fallback counts, hugetlb reservation)"
kv=$(uname -r | sed -E 's/^([0-9]+\.[0-9]+).*/\1/')

# File-backed backings need a writeback filesystem: the checkout's, not /tmp's tmpfs.
tmp=$(mktemp -d "$TOP/build/test-semantics.XXXXXX"); trap 'rm -rf "$tmp"' EXIT
r=$tmp/r.json
"$GUPBENCH" run -q --driver iouring,futex \
	--backing anon,anon-thp,shmem,shmem-thp,hugetlb,file-shared,file-private,secretmem \
	--state warm,cold --size 4M --samples 3 --warmup 1 --file-dir "$tmp" \
	--format csv -o "$r" >"$tmp/out.csv" 2>"$tmp/err"
rc=$?
n=$(jq '.cases | length' "$r" 2>/dev/null || echo 0)
echo "# kernel $kv: $n cases"
{
	[ $rc -eq 0 ]; ok $? "run exits 0 (rc $rc: $(head -c 200 "$tmp/err"))"
	[ "$n" -eq 32 ]; ok $? "32 cases recorded ($n)"
	[ "$(jq -r .interrupted "$r")" = false ] && [ "$(jq -r .finished "$r")" != null ]
	ok $? "result marked finished, not interrupted"
	for ((i = 0; i < n; i++)); do check_case "$r" $i "$kv"; done
} >"$tmp/tap"
plan "$(grep -cE '^(not )?ok ' "$tmp/tap")"
cat "$tmp/tap"
! grep -q '^not ok' "$tmp/tap"
