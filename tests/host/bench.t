#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make bench end to end (a small matrix): the result lands under
# <results>/<host>/<kernel-release>/, is valid, and the table names it.
. "$(dirname "$0")/../lib.sh"
need_tools jq
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

plan 5
GUPBENCH_RESULTS=$tmp GUPBENCH_ARGS="--preset quick --driver futex --backing anon,shmem" \
	make -s -C "$TOP" bench >"$tmp/out" 2>"$tmp/err"
rc=$?
[ $rc -eq 0 ]; ok $? "make bench exits 0 (rc $rc: $(tail -n 1 "$tmp/err"))"
f=$(ls "$tmp/$(hostname -s 2>/dev/null || hostname)/$(uname -r)"/*.json 2>/dev/null | head -n 1)
[ -n "$f" ]; ok $? "result written as <host>/<kernel-release>/<timestamp>.json (${f#$tmp/})"
jq -e '.schema == "gupbench-result/2" and (.cases | length) == 2 and .interrupted == false' \
	"$f" >/dev/null 2>&1
ok $? "result is complete: 2 cases, not interrupted"
grep -q "futex  *anon" "$tmp/out" && grep -q "bench: result in .*$(basename "${f:-none}")" "$tmp/out"
ok $? "the table and the file name are printed"
# make bench builds first: the result names the tree as it is now, even when no source
# changed since the last build (a stale commit in tool.git misleads a comparison)
want=$(git -C "$TOP" describe --always --dirty 2>/dev/null)
[ -n "$want" ] && [ "$(jq -r .tool.git "$f" 2>/dev/null)" = "$want" ]
ok $? "tool.git is this tree's git describe ($(jq -r .tool.git "$f" 2>/dev/null), want $want)"
done_testing
