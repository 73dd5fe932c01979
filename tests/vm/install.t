#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The kselftest-style tree of `make install` in Debian's 6.12 guest: its run_gupbench.sh
# passes as TAP with the module the test bed loaded, and again loading and unloading the
# module itself (tests/vm/guest-install.sh).
. "$(dirname "$0")/../lib.sh"
need_tools qemu-system-x86_64 jq
need_kernel deb-6.12   # skips only when Debian's archive cannot be reached (tests/lib.sh)
out=$(mktemp -d "${TMPDIR:-/tmp}/gupbench-install.XXXXXX")
dest=$(mktemp -d "$TOP/build/kst-dest.XXXXXX")
trap 'rm -rf "$out" "$dest"' EXIT
plan 9
make -s -C "$TOP" install DESTDIR="$dest" >"$out/install.log" 2>&1
ok $? "make install DESTDIR=${dest#"$TOP/"} $(tail -n 1 "$out/install.log")"
tree=${dest#"$TOP/"}/usr/local/libexec/gupbench
"$TOP/scripts/vm-run" --kernel deb-6.12 --timeout 1200 --out "$out" \
	--include "${dest#"$TOP/"}" -- tests/vm/guest-install.sh "$tree" >"$out/vm-run.log" 2>&1
rc=$?
[ $rc -eq 0 ]; ok $? "vm-run exits 0 (rc $rc: $(grep -m1 'vm-run: infrastructure error' "$out/vm-run.log" || grep 'vm-run:' "$out/vm-run.log" | tail -n 1))"
for run in loaded own; do
	[ "$(cat "$out/$run.rc" 2>/dev/null)" = 0 ] && ! grep -q '^not ok' "$out/$run.tap" &&
		grep -q '^TAP version 13' "$out/$run.tap"
	ok $? "$run: run_gupbench.sh exits 0, TAP, nothing failed ($(grep -m1 '^# Totals' "$out/$run.tap" 2>/dev/null))"
	n=$(grep -cE '^ok [0-9]+ kmod/' "$out/$run.tap" 2>/dev/null)
	! grep -qE '^ok [0-9]+ kmod/.*# SKIP' "$out/$run.tap" && [ "${n:-0}" -ge 10 ]
	ok $? "$run: the module's cases ran, none skipped ($n)"
	prove -e cat "$out/$run.tap" >/dev/null 2>&1
	ok $? "$run: prove parses and passes it"
done
[ "$(cat "$out/loaded.after" 2>/dev/null)/$(cat "$out/own.after" 2>/dev/null)" = present/absent ]
ok $? "the module it found is left loaded, the one it loaded is unloaded ($(cat "$out/loaded.after" "$out/own.after" 2>/dev/null | tr '\n' ' '))"
done_testing
