#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Smoke test of the QEMU test bed (scripts/vm-run) on Debian's 6.1 and 6.12 kernels: the
# command's exit status and files come back, the guest runs the packaged kernel, dmesg is
# clean, the module (when kmod/ exists) loads and unloads, two sockets give two NUMA nodes,
# and a kernel warning or panic is told apart from the command's own status.
. "$(dirname "$0")/../lib.sh"
VMRUN=$TOP/scripts/vm-run
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

kernels=(deb-6.1 deb-6.12)
# A kernel is skipped only when Debian's archive cannot be reached (kernel-fetch status 3,
# noted for make test's summary); any other fetch failure fails that kernel's first check.
declare -A rel pkgver fetch_err fetch_rc
fetched=0
for k in "${kernels[@]}"; do
	if kernel_fetch "$k"; then
		rel[$k]=$(eval "$KFETCH_OUT"; echo "$KRELEASE")
		pkgver[$k]=$(eval "$KFETCH_OUT"; echo "$KERNEL_PKG_VERSION")
		fetched=$((fetched + 1))
	else
		fetch_rc[$k]=$? fetch_err[$k]=$KFETCH_ERR
		[ "${fetch_rc[$k]}" -ne 3 ] || note_unreachable "$k: $KFETCH_ERR"
	fi
done
if [ $fetched -eq 0 ]; then
	[ "${fetch_rc[deb-6.1]}" -eq 3 ] && [ "${fetch_rc[deb-6.12]}" -eq 3 ] &&
		skip_all "no kernel packages: ${fetch_err[deb-6.1]}"
	fail_all "kernel-fetch failed: deb-6.1: ${fetch_err[deb-6.1]}; deb-6.12: ${fetch_err[deb-6.12]}"
fi
need_tools qemu-system-x86_64 jq

per_kernel=10
plan $((per_kernel * ${#kernels[@]} + 3))

# json_field FILE KEY: the raw value of "KEY": in vm.json (strings without quotes)
json_field() {
	grep -o "\"$2\": *\\(\"[^\"]*\"\\|[a-z0-9.]*\\)" "$1" | sed -n 1p | sed 's/^[^:]*: *//; s/^"//; s/"$//'
}

for k in "${kernels[@]}"; do
	if [ -z "${rel[$k]:-}" ]; then
		i=0
		if [ "${fetch_rc[$k]}" -ne 3 ]; then
			false; ok $? "$k: kernel-fetch: ${fetch_err[$k]}"
			i=1
		fi
		for ((; i < per_kernel; i++)); do skip "$k" "${fetch_err[$k]}"; done
		continue
	fi
	o=$tmp/$k
	t0=$(date +%s.%N)
	"$VMRUN" --kernel "$k" --out "$o" -- sh -c 'uname -r >release.txt; mkdir -p sub; echo x >sub/file; echo guest-stdout; echo guest-stderr >&2; exit 3' \
		>"$tmp/stdout" 2>"$tmp/stderr"
	rc=$?
	diag "$k: boot to exit $(echo "$(date +%s.%N) $t0" | awk '{ printf "%.1f", $1 - $2 }') s"
	[ $rc -eq 3 ]
	ok $? "$k: the command's exit status 3 passes through (got $rc$([ $rc = 3 ] || echo ": $(tail -n 1 "$tmp/stderr")"))"
	[ "$(cat "$o/release.txt" 2>/dev/null)" = "${rel[$k]}" ]
	ok $? "$k: the guest runs ${rel[$k]} (release.txt: $(cat "$o/release.txt" 2>/dev/null))"
	[ "$(cat "$o/sub/file" 2>/dev/null)" = x ]
	ok $? "$k: files in subfolders of the working folder come out"
	grep -qx guest-stdout "$tmp/stdout" && grep -qx guest-stderr "$tmp/stderr"
	ok $? "$k: the command's stdout and stderr reach ours"
	[ -s "$o/dmesg.txt" ] && ! grep -qE 'BUG:|WARNING:|Oops|Call Trace' "$o/dmesg.txt"
	ok $? "$k: dmesg.txt is there and clean"
	[ "$(json_field "$o/vm.json" package_version)" = "${pkgver[$k]}" ] &&
		[ "$(json_field "$o/vm.json" guest_release)" = "${rel[$k]}" ]
	ok $? "$k: vm.json records package version ${pkgver[$k]}"
	accel=$(json_field "$o/vm.json" accel)
	[ "$accel" = tcg ] || [ "$accel" = kvm ]
	ok $? "$k: vm.json records the accelerator ($accel)"
	if [ -f "$TOP/kmod/Makefile" ]; then
		[ "$(json_field "$o/vm.json" state)" = loaded ] && [ "$(json_field "$o/vm.json" unload)" = ok ]
		ok $? "$k: the gupbench module loaded and unloaded (state $(json_field "$o/vm.json" state), unload $(json_field "$o/vm.json" unload))"
	else
		skip "$k: the gupbench module loads" "no kmod/Makefile"
	fi

	o=$tmp/$k-numa
	"$VMRUN" --kernel "$k" --no-kmod --sockets 2 --nodes 2 --out "$o" -- \
		sh -c 'cat /sys/devices/system/node/online >online.txt; cat /sys/devices/system/node/node1/cpulist >node1.txt' \
		>/dev/null 2>"$tmp/stderr"
	rc=$?
	[ $rc -eq 0 ] && [ "$(cat "$o/online.txt" 2>/dev/null)" = 0-1 ]
	ok $? "$k: --sockets 2 --nodes 2 gives nodes 0-1 (exit $rc, online $(cat "$o/online.txt" 2>/dev/null))"
	[ "$(cat "$o/node1.txt" 2>/dev/null)" = 2-3 ]
	ok $? "$k: node1 has CPUs 2-3 ($(cat "$o/node1.txt" 2>/dev/null))"
done

# Status conventions, on one kernel: 124 for a kernel warning, 125 for a guest panic.
k=deb-6.12
[ -n "${rel[$k]:-}" ] || k=deb-6.1
"$VMRUN" --kernel "$k" --no-kmod --out "$tmp/warn" -- \
	sh -c 'echo "WARNING: CPU: 0 PID: 1 at vm-run-selftest" >/dev/kmsg; exit 0' >/dev/null 2>"$tmp/stderr"
rc=$?
[ $rc -eq 124 ] && grep -q 'kernel warned' "$tmp/stderr"
ok $? "$k: a WARNING in dmesg gives 124 (got $rc)"
"$VMRUN" --kernel "$k" --no-kmod --out "$tmp/panic" -- sh -c 'echo c >/proc/sysrq-trigger' >/dev/null 2>"$tmp/stderr"
rc=$?
[ $rc -eq 125 ] && grep -q 'infrastructure error: guest kernel panic' "$tmp/stderr"
ok $? "$k: a guest panic gives 125 and says so (got $rc: $(tail -n 1 "$tmp/stderr"))"
"$VMRUN" --kernel "$k" --no-kmod --timeout 1 --out "$tmp/timeout" -- true >/dev/null 2>"$tmp/stderr"
rc=$?
[ $rc -eq 125 ] && grep -q 'infrastructure error: timed out' "$tmp/stderr"
ok $? "$k: a timeout gives 125 and says so (got $rc)"
done_testing
