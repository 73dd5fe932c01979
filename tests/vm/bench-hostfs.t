#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# `make bench` as a user runs it on their own machine, with the module: in Debian's 6.12
# and 6.1 guests that see this host's file system (scripts/vm-run --host-fs), so make, the
# compiler, the checkout and the kernel's headers are the host's and make bench builds,
# loads and unloads the module itself (tests/vm/guest-bench-hostfs.sh). On 6.12 also: a
# module already loaded is left loaded, Ctrl-C during the kmod cases unloads it and puts
# the settings back, a module that does not build or is refused (signatures enforced)
# leaves the userspace drivers running and says why. And the host's checkout is unchanged.
. "$(dirname "$0")/../lib.sh"
need_tools qemu-system-x86_64 jq
need_kernel deb-6.12   # skips only when Debian's archive cannot be reached (tests/lib.sh)
need_kernel deb-6.1
out=$(mktemp -d "${TMPDIR:-/tmp}/gupbench-hostfs.XXXXXX")
trap 'rm -rf "$out"' EXIT
stamp=$out/stamp
touch "$stamp"
sleep 1   # (mtimes: anything the host writes from here on is newer)
find /lib/modules -mindepth 1 -maxdepth 1 2>/dev/null | sort >"$out/lib-modules.before"
version=$(sed -n 's/^#define GUPBENCH_MODULE_VERSION[[:space:]]*"\(.*\)"/\1/p' "$TOP/kmod/gupbench.h")
plan 37

# guest KERNEL SCENARIO...: a host-fs guest running tests/vm/guest-bench-hostfs.sh; sets o
guest() {
	local k=$1 rc
	shift
	o=$out/$k
	"$TOP/scripts/vm-run" --kernel "$k" --host-fs --timeout 1800 --out "$o" \
		-- tests/vm/guest-bench-hostfs.sh "$@" >"$out/$k.log" 2>&1
	rc=$?
	[ $rc -eq 0 ]
	ok $? "$k: vm-run exits 0 (rc $rc: $(grep -m1 'vm-run: infrastructure error' "$out/$k.log" || grep 'vm-run:' "$out/$k.log" | tail -n 1))"
}
# result DIR: the result file under DIR, in r
result() { r=$(find "$1" -name '*.json' 2>/dev/null | head -n 1); r=${r:-/nonexistent}; }
q() { jq -e "$1" "$r" >/dev/null 2>&1; }
# shellcheck disable=SC2016 # (jq's variables)
kmod_ok='[.cases[] | select(.driver == "kmod")] as $k | ([$k[] | select(.status == "ok")] | length) >= 2 and
	all($k[]; .status == "ok" or .status == "skipped" or (.backing == "secretmem" and .errno == "EFAULT"))'
user_ok='any(.cases[]; .driver == "iouring" and .status == "ok") and any(.cases[]; .driver == "futex" and .status == "ok")'
field() { jq -r "$1" "$r" 2>/dev/null; }

# README's make bench, word for word: checks of one kernel
readme_checks() {
	local k=$1 rel
	rel=$(jq -r .kernel.release "$o/vm.json" 2>/dev/null)
	[ "$(cat "$o/readme.rc" 2>/dev/null)" = 0 ]
	ok $? "$k: GUPBENCH_ARGS=\"--preset quick\" make bench exits 0 ($(tail -n 1 "$o/readme.err" 2>/dev/null))"
	grep -q '^setup: all packages present' "$o/readme.out" && ! grep -q 'installing' "$o/readme.out"
	ok $? "$k: setup.sh finds everything installed on the host's root and installs nothing"
	result "$o/results/gupbench-vm/$rel"
	[ -f "$r" ]
	ok $? "$k: the result written under the checkout's results/ is copied out (${r#"$o/"})"
	q "$kmod_ok"
	ok $? "$k: kmod cases ran ok ($(field '[.cases[] | select(.driver == "kmod") | .status] | group_by(.) | map("\(.[0]) \(length)") | join(", ")'))"
	q "$user_ok"
	ok $? "$k: iouring and futex cases ran beside them"
	[ "$(field .system.module_version)" = "$version" ] && [ "$(field .system.module_load)" = "loaded by make bench" ]
	ok $? "$k: the result records the module's version and who loaded it ($(field .system.module_version), $(field .system.module_load))"
	grep -q '^bench: loaded kmod/gupbench.ko' "$o/readme.err" && grep -q '^bench: unloaded gupbench.ko' "$o/readme.err"
	ok $? "$k: make bench says it loaded and unloaded the module"
	[ -f "$o/readme.after" ] && [ ! -s "$o/readme.after" ] && [ "$(jq -r .host_fs.module_after "$o/vm.json")" = absent ]
	ok $? "$k: the module is gone after make bench ($(cat "$o/readme.after" 2>/dev/null))"
}

guest deb-6.12 readme loaded interrupt broken nomodule refused
readme_checks deb-6.12

# a module loaded before make bench
result "$o/loaded"
[ "$(cat "$o/loaded.rc" 2>/dev/null)" = 0 ] && grep -q 'already loaded' "$o/loaded.err"
ok $? "loaded: make bench exits 0 and uses the module it found ($(tail -n 1 "$o/loaded.err" 2>/dev/null))"
q "$kmod_ok" && [ "$(field .system.module_load)" = "already loaded" ]
ok $? "loaded: kmod cases ok, module_load \"already loaded\" ($(field .system.module_load))"
[ -s "$o/loaded.after" ]
ok $? "loaded: the module is still loaded afterwards"

# Ctrl-C during the kmod cases
grep -qE '^nr_hugepages=[1-9][0-9]* refcnt=[1-9]' "$o/interrupt.during" 2>/dev/null
ok $? "interrupt: SIGINT came while a kmod case ran with the hugetlb pool raised ($(cat "$o/interrupt.during" 2>/dev/null))"
rc=$(cat "$o/interrupt.rc" 2>/dev/null)
[ -n "$rc" ] && [ "$rc" != 0 ]
ok $? "interrupt: make bench exits non-zero ($rc)"
grep -q '^bench: unloaded gupbench.ko' "$o/interrupt.err" && [ -f "$o/interrupt.after" ] && [ ! -s "$o/interrupt.after" ]
ok $? "interrupt: the module is unloaded ($(grep -m1 '^bench: .*unload' "$o/interrupt.err" 2>/dev/null))"
[ -s "$o/interrupt.before" ] && cmp -s "$o/interrupt.before" "$o/interrupt.settings"
ok $? "interrupt: THP modes and the hugetlb pool are as before ($(tr '\n' ' ' <"$o/interrupt.settings" 2>/dev/null))"

# a module that does not build
result "$o/broken"
[ "$(cat "$o/broken.rc" 2>/dev/null)" = 0 ]
ok $? "broken: make bench exits 0 ($(tail -n 1 "$o/broken.err" 2>/dev/null))"
grep -q '^bench: could not build kmod/gupbench.ko' "$o/broken.err" && grep -q 'error: #error injected' "$o/broken.err"
ok $? "broken: it says the module did not build, with the compiler's error"
q "$user_ok" && ! q 'any(.cases[]; .driver == "kmod" and .status == "ok")'
ok $? "broken: iouring and futex ran, the kmod driver did not"
[[ $(field .system.module_load) == "could not load: build failed: "*"#error injected"* ]]
ok $? "broken: module_load says why ($(field .system.module_load))"

# without the module
result "$o/nomodule"
[ "$(cat "$o/nomodule.rc" 2>/dev/null)" = 0 ] && q "$user_ok" && ! q 'any(.cases[]; .driver == "kmod" and .status == "ok")'
ok $? "nomodule: GUPBENCH_NO_MODULE=1 make bench runs iouring and futex, not kmod ($(tail -n 1 "$o/nomodule.err" 2>/dev/null))"
[ "$(field .system.module_load)" = "not attempted: GUPBENCH_NO_MODULE is set" ] && [ ! -s "$o/nomodule.after" ] &&
	! grep -q 'bench: loaded' "$o/nomodule.err"
ok $? "nomodule: nothing loaded, module_load says so ($(field .system.module_load))"

# a module the kernel refuses
result "$o/refused"
[ "$(cat "$o/refused.rc" 2>/dev/null)" = 0 ] && grep -q 'Key was rejected' "$o/refused.err"
ok $? "refused: make bench exits 0 and prints insmod's reason ($(grep -m1 'Key was rejected' "$o/refused.err" 2>/dev/null))"
q "$user_ok" && ! q 'any(.cases[]; .driver == "kmod" and .status == "ok")'
ok $? "refused: iouring and futex ran, the kmod driver did not"
[[ $(field .system.module_load) == "could not load: insmod: Key was rejected"* ]] && [ ! -s "$o/refused.after" ]
ok $? "refused: module_load says why ($(field .system.module_load))"

guest deb-6.1 readme
readme_checks deb-6.1

# A checkout under /tmp (CI clones there): the guest's fresh /tmp must not hide it.
clone=$out/clone
git clone -q "$TOP" "$clone" 2>/dev/null
"$clone/scripts/vm-run" --kernel deb-6.12 --host-fs --out "$out/tmpclone" -- sh -c \
	'test -f scripts/bench.sh && mkdir -p results && pwd >results/where' >"$out/tmpclone.log" 2>&1
[ "$(cat "$out/tmpclone/results/where" 2>/dev/null)" = "$clone" ]
ok $? "a checkout under ${TMPDIR:-/tmp} is the command's folder, and what it writes comes out ($(tail -n 1 "$out/tmpclone.log"))"

# the host: its checkout, results/ and /lib/modules as they were
changed=$(find "$TOP/results" "$TOP/kmod" -newer "$stamp" 2>/dev/null | head -n 3 | tr '\n' ' ')
[ -z "$changed" ]
ok $? "the host's results/ and kmod/ are unchanged (${changed:-nothing newer})"
find /lib/modules -mindepth 1 -maxdepth 1 2>/dev/null | sort | cmp -s "$out/lib-modules.before" -
ok $? "the host's /lib/modules is unchanged (the guests' build links were their own)"
done_testing
