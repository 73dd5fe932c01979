#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# pages_per_call comes from the driver, as it made the calls: io_uring pins each
# iovec (at most 1 GiB) with its own call, so a 2 GiB buffer is 262144 pages per call.
. "$(dirname "$0")/../lib.sh"
[ -x "$GUPBENCH" ] || skip_all "bench/gupbench not built"
need_tools jq
[ "$(id -u)" -eq 0 ] || skip_all "needs root (2 GiB of pinned memory is over RLIMIT_MEMLOCK)"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

plan 3
"$GUPBENCH" run -q --driver iouring --backing anon-thp --state warm --size 2G --samples 1 \
	--warmup 0 --count 1 --format json -o "$tmp/r.json" >/dev/null 2>"$tmp/err"
rc=$?
[ $rc -eq 0 ] && [ "$(jq -r '.cases[0].status' "$tmp/r.json")" = ok ]
ok $? "io_uring registers 2 GiB (exit $rc, $(jq -r '.cases[0].status + " " + (.cases[0].reason // "")' "$tmp/r.json" 2>/dev/null) $(head -c 160 "$tmp/err"))"
[ "$(jq -r '.cases[0].pages_per_call' "$tmp/r.json" 2>/dev/null)" = 262144 ]
ok $? "pages_per_call 262144: one GUP call per 1 GiB iovec ($(jq -r '.cases[0].pages_per_call' "$tmp/r.json" 2>/dev/null))"
[ "$(jq -r '.cases[0].kernel_calls_per_sample' "$tmp/r.json" 2>/dev/null)" = 1 ] &&
	[ "$(jq -r '.cases[0].pages' "$tmp/r.json" 2>/dev/null)" = 524288 ]
ok $? "one registration of 524288 pages per sample"
done_testing
