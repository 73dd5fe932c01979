#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# pages_per_call comes from the driver, as it made the calls: the module caps a
# call at GUPBENCH_MAX_PAGES_PER_CALL (1 GiB of 4K pages), so --nr-pages all on
# a buffer of 1 GiB + 2 MiB is two calls, of 262144 and 512 pages (Debian 6.12 guest).
. "$(dirname "$0")/../lib.sh"
need_tools qemu-system-x86_64 jq
need_kernel deb-6.12   # skips only when Debian's archive cannot be reached (tests/lib.sh)
out=$(mktemp -d "${TMPDIR:-/tmp}/gupbench-ppc.XXXXXX")
trap 'rm -rf "$out"' EXIT
# anon-thp: prefaulted with 513 faults, not 262656, under TCG; 5G: buffers are capped
# at 25% of RAM
"$TOP/scripts/vm-run" --kernel deb-6.12 --mem 5G --out "$out" -- bench/gupbench run -q \
	--driver kmod --op pin_fast --flags WRITE --nr-pages all --backing anon-thp --state warm \
	--size 1026M --samples 1 --warmup 0 --count 1 --format json -o r.json >"$out/vm-run.log" 2>&1
rc=$?

plan 3
[ $rc -eq 0 ] && [ "$(jq -r '.cases[0].status' "$out/r.json" 2>/dev/null)" = ok ]
ok $? "kmod pins 1 GiB + 2 MiB (rc $rc: $(grep -m1 'vm-run: infrastructure error' "$out/vm-run.log" || tail -n 1 "$out/vm-run.log"))"
[ "$(jq -r '.cases[0].pages_per_call' "$out/r.json" 2>/dev/null)" = 262144 ]
ok $? "pages_per_call 262144, the module's cap ($(jq -r '.cases[0].pages_per_call' "$out/r.json" 2>/dev/null))"
[ "$(jq -r '.cases[0].kernel_calls_per_sample' "$out/r.json" 2>/dev/null)" = 2 ] &&
	[ "$(jq -r '.cases[0].pages_requested_per_op' "$out/r.json" 2>/dev/null)" = 262656 ]
ok $? "two calls of the module per sample, 262656 pages ($(jq -c '.cases[0] | [.kernel_calls_per_sample, .pages_requested_per_op]' "$out/r.json" 2>/dev/null))"
done_testing
