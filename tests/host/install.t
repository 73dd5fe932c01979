#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make install DESTDIR=...: the kselftest-style tree, its contents, and its
# run_gupbench.sh on this machine (valid TAP, exit 0; 4 when a requirement is missing).
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
[ -x "$GUPBENCH" ] || skip_all "bench/gupbench not built"
LIBPERF=${LIBPERF:-$TOP/build/libperf}
[ -f "$LIBPERF/lib/libperf.a" ] || skip_all "no libperf in $LIBPERF (make install would build it)"
export LIBPERF
need_tools jq prove

dest=$(mktemp -d "${TMPDIR:-/tmp}/gupbench-install.XXXXXX")
trap 'rm -rf "$dest"' EXIT
chmod 755 "$dest"
plan 15

make -C "$TOP" --no-print-directory install DESTDIR="$dest" >"$dest.log" 2>&1
rc=$?
ok $rc "make install DESTDIR exits 0 ($(tail -n 1 "$dest.log"))"
rm -f "$dest.log"
t=$dest/usr/local/libexec/gupbench
want="README build-kmod.sh expect.sh expectations.tsv gupbench kmod/Kbuild kmod/Makefile
kmod/fallback_probe.c kmod/gupbench.h kmod/gupbench_main.c kmod/uapi/gupbench_ioctl.h
run_gupbench.sh"
got=$(cd "$t" 2>/dev/null && find . -type f | sed 's|^\./||' | LC_ALL=C sort | paste -sd' ')
[ "$got" = "$(echo "$want" | tr ' ' '\n' | grep . | LC_ALL=C sort | paste -sd' ')" ]
ok $? "the tree under PREFIX /usr/local/libexec/gupbench holds what it should ($got)"
[ "$(find "$dest" -type f | grep -vc "^$t/")" = 0 ]
ok $? "nothing installed in DESTDIR outside the tree"
[ -x "$t/gupbench" ] && [ -x "$t/run_gupbench.sh" ] && [ -x "$t/build-kmod.sh" ] &&
	cmp -s "$t/gupbench" "$GUPBENCH"
ok $? "gupbench (the built binary), run_gupbench.sh and build-kmod.sh are executable"
# every path make install writes to starts with DESTDIR
targets=$(make -C "$TOP" --no-print-directory -n install DESTDIR=/kst-dest PREFIX=/opt/g |
	grep -E '^install ' | awk '{ print $NF }')
bad=$(grep -v '^/kst-dest/opt/g' <<<"$targets" | paste -sd' ')
[ -n "$targets" ] && [ -z "$bad" ]
ok $? "PREFIX=/opt/g: every install target is under DESTDIR/opt/g (${bad:-all})"
"$t/build-kmod.sh" /nonexistent/kdir >/dev/null 2>"$dest/bk.err"
[ $? -eq 1 ] && grep -q 'no kernel build tree at /nonexistent/kdir' "$dest/bk.err"
ok $? "build-kmod.sh without a build tree: one-line error, exit 1 ($(cat "$dest/bk.err"))"

if [ "$(id -u)" -ne 0 ]; then
	for _ in 1 2 3 4 5 6 7; do skip "run_gupbench.sh as root" "not root"; done
	skip "run_gupbench.sh as nobody" "not root"
	skip "run_gupbench.sh as nobody" "not root"
	done_testing
fi
out=$dest/run.tap
"$t/run_gupbench.sh" >"$out" 2>"$dest/run.err"
rc=$?
[ $rc -eq 0 ]
ok $? "run_gupbench.sh exits 0 (rc $rc: $(grep -m1 '^not ok' "$out"; head -c 200 "$dest/run.err"))"
[ "$(head -n 1 "$out")" = "TAP version 13" ] && grep -qE '^1\.\.[0-9]+$' "$out"
ok $? "it starts with 'TAP version 13' and has a plan"
awk '/^1\.\./ { plan = substr($0, 4) }
	/^(not )?ok / { n++; num = ($1 == "not") ? $3 : $2; if (num != n) bad = 1 }
	END { exit !(plan == n && n > 0 && !bad) }' "$out"
ok $? "its lines are numbered 1..N as planned ($(grep -cE '^(not )?ok ' "$out") lines)"
prove -e cat "$out" >"$dest/prove.log" 2>&1
ok $? "prove parses it and passes it ($(tail -n 1 "$dest/prove.log"))"
n_user=$(grep -cE '^ok [0-9]+ (iouring|futex)/' "$out")
[ "$n_user" -eq 20 ] && ! grep -qE '^ok [0-9]+ (iouring|futex)/.*# SKIP' "$out"
ok $? "20 iouring and futex cases, none skipped ($n_user)"
nk=$(grep -cE '^(not )?ok [0-9]+ kmod/' "$out")
if [ -e /dev/gupbench ]; then
	[ "$nk" -eq 10 ] && ! grep -qE '^(not ok [0-9]+ kmod/|ok [0-9]+ kmod/.*# SKIP)' "$out"
	ok $? "10 kmod cases through the loaded module, none failed or skipped ($nk)"
elif [ ! -e /proc/modules ]; then
	[ "$nk" -eq 10 ] && [ "$(grep -cE '^ok [0-9]+ kmod/.* # SKIP kernel without module support' "$out")" -eq 10 ]
	ok $? "10 kmod cases, SKIP: kernel without module support ($nk)"
else
	[ "$nk" -eq 10 ] && ! grep -qE '^not ok [0-9]+ kmod/|^ok [0-9]+ kmod/.* # SKIP *$' "$out"
	ok $? "10 kmod cases, none failed, a skip says why ($(grep -m1 -E 'kmod/.*# SKIP' "$out"))"
fi
grep -qE '^ok [0-9]+ THP modes and huge page pools restored$' "$out"
ok $? "settings restored"

# A missing requirement: kselftest's skip, exit 4
if command -v setpriv >/dev/null; then
	setpriv --reuid=nobody --regid=nogroup --clear-groups "$t/run_gupbench.sh" >"$out" 2>&1
	rc=$?
	[ $rc -eq 4 ]
	ok $? "as nobody: exit 4 (rc $rc)"
	[ "$(sed -n 2p "$out")" = "1..0 # SKIP not root (gupbench needs the tracepoints, hugetlb pages and the module)" ]
	ok $? "as nobody: '1..0 # SKIP' with the reason ($(sed -n 2p "$out"))"
else
	skip "run_gupbench.sh as nobody" "no setpriv"
	skip "run_gupbench.sh as nobody" "no setpriv"
fi
done_testing
