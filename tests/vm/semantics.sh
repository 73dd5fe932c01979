# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# The helper module and the userspace drivers inside a Debian kernel in QEMU:
# source after tests/lib.sh with KERNEL=deb-6.1|deb-6.12 (and ARCH=arm64 for Debian's
# arm64 kernel on qemu's virt board, cross-built binaries and module). Every outcome is
# checked against tests/expectations.tsv for the guest's kernel version.
. "$TOP/tests/expect.sh"
. "$TOP/tests/vm/fuzz-checks.sh"
ARCH=${ARCH:-amd64}
if [ "$ARCH" = amd64 ]; then
	need_tools qemu-system-x86_64 jq
	[ -x "$TOP/tests/vm/kmod_fuzz" ] || fail_all "tests/vm/kmod_fuzz not built (make -C tests)"
else
	# (vm-run cross-builds the guest's binaries with make ARCH=arm64)
	need_tools qemu-system-aarch64 aarch64-linux-gnu-gcc jq
fi
need_kernel --arch "$ARCH" "$KERNEL"   # skips only when Debian's archive cannot be reached (tests/lib.sh)

out=$(mktemp -d "${TMPDIR:-/tmp}/gupbench-vm.XXXXXX")
trap 'rm -rf "$out"' EXIT
t0=$(date +%s)
"$TOP/scripts/vm-run" --arch "$ARCH" --kernel "$KERNEL" --timeout "${VM_TIMEOUT:-300}" --out "$out" \
	-- tests/vm/guest-semantics.sh >"$out/vm-run.log" 2>&1
rc=$?
t1=$(date +%s)

{
	[ $rc -eq 0 ]
	ok $? "vm-run exits 0 (rc $rc: $(grep -m1 'vm-run: infrastructure error' "$out/vm-run.log" || grep 'vm-run:' "$out/vm-run.log" | tail -n 1))"
	[ $rc -eq 125 ] && { diag "$(tail -n 5 "$out/vm-run.log")"; }
	kv=$(jq -r '.kernel.guest_release // ""' "$out/vm.json" 2>/dev/null |
	     sed -E 's/^([0-9]+\.[0-9]+).*/\1/')
	[ "$ARCH" = amd64 ] || diag "emulated $ARCH: timings are worth nothing; outcomes, errnos and fallback counts are what is checked"
	diag "guest kernel $(jq -r '.kernel.package + "=" + .kernel.package_version' "$out/vm.json" 2>/dev/null), $(jq -r '.arch + ", " + .accel' "$out/vm.json" 2>/dev/null), $((t1 - t0)) s"
	[ "$(jq -r .arch "$out/vm.json" 2>/dev/null)" = "$ARCH" ] &&
		[ "$(jq -r .system.kernel.machine "$out/kmod.json" 2>/dev/null)" = "$([ "$ARCH" = arm64 ] && echo aarch64 || echo x86_64)" ]
	ok $? "the guest is $ARCH ($(jq -r .system.kernel.machine "$out/kmod.json" 2>/dev/null))"
	# Per-call timing states its resolution: the counter's own on arm64, observed elsewhere.
	src=$([ "$ARCH" = arm64 ] && echo cntfrq_el0 || echo observed)
	jq -e --arg src "$src" '.system.clock | .resolution_source == $src and .resolution_ns > 0
		and (if $src == "cntfrq_el0" then .counter_hz > 0 else true end)' "$out/kmod.json" >/dev/null 2>&1
	ok $? "the result records the timer's resolution ($(jq -c .system.clock "$out/kmod.json" 2>/dev/null))"

	[ "$(jq -r .kmod.state "$out/vm.json" 2>/dev/null)" = loaded ]
	ok $? "module loads ($(jq -r '.kmod.load_message // ""' "$out/vm.json" 2>/dev/null))"
	# 4096 = O (out-of-tree), 8192 = E (unsigned): nothing else may be set
	taint=$(jq -r '.taint.after_kmod_load - .taint.boot' "$out/vm.json" 2>/dev/null)
	[ "$taint" = 12288 ] || [ "$taint" = 4096 ]
	ok $? "loading taints with O/E only (taint delta $taint)"
	[ "$(jq -r .taint.end "$out/vm.json" 2>/dev/null)" = "$(jq -r .taint.after_kmod_load "$out/vm.json" 2>/dev/null)" ]
	ok $? "no new taint while the tests ran"
	[ "$(jq -r .kernel_warnings "$out/vm.json" 2>/dev/null)" = 0 ]
	ok $? "dmesg has no BUG/WARNING/Oops ($(jq -r .first_kernel_warning "$out/vm.json" 2>/dev/null))"
	[ "$(jq -r .kmod.unload "$out/vm.json" 2>/dev/null)" = ok ]
	ok $? "rmmod succeeds at the end"

	jq -e '.kmod.loaded and .kmod.fallback_probe.available' "$out/list.json" >/dev/null 2>&1
	ok $? "gupbench list sees the module and its registered probe ($(jq -c '[.kmod.fallback_probe.probes[]? | .symbol]' "$out/list.json" 2>/dev/null))"
	# The self-test pinned untouched pages (WRITE, WRITE|LONGTERM): one entry, one page each.
	jq -e '.kmod.fallback_probe.selftest | .status == "ok" and .calls == 1 and .pages == 1
		and .reason == null' "$out/list.json" >/dev/null 2>&1
	ok $? "the probe's self-test passed at load ($(jq -c .kmod.fallback_probe.selftest "$out/list.json" 2>/dev/null))"
	# Registered disarmed: nothing has armed it before the first counting request.
	jq -e '.kmod.fallback_probe.armed_now == 0' "$out/list.json" >/dev/null 2>&1
	ok $? "the probe is not armed outside counting requests (armed_now $(jq -r .kmod.fallback_probe.armed_now "$out/list.json" 2>/dev/null))"

	for run in kmod kmod-get kmod-read user; do
		[ "$(cat "$out/$run.rc" 2>/dev/null)" = 0 ]
		ok $? "gupbench run ($run) exits 0: $(head -c 200 "$out/$run.err" 2>/dev/null | grep -v wrote)"
		n=$(jq '.cases | length' "$out/$run.json" 2>/dev/null || echo 0)
		for ((i = 0; i < n; i++)); do check_case "$out/$run.json" $i "$kv"; done
	done

	# The slow path on purpose (pin) must agree with pin_fast on every outcome.
	disagree=$(jq -r '[.cases[] | select(.op == "pin_fast" or .op == "pin")]
		| group_by([.backing, .state, (.flags | join(","))])
		| map(select((map(.status + (.errno // "")) | unique | length) > 1)
		      | "\(.[0].backing)/\(.[0].state)/\(.[0].flags | join(","))")
		| join(" ")' "$out/kmod.json" 2>/dev/null)
	[ -f "$out/kmod.json" ] && [ -z "$disagree" ]
	ok $? "pin agrees with pin_fast on every outcome${disagree:+ (differ: $disagree)}"
	jq -e '.cases[] | select(.backing == "file-shared") | .backing_actual.fs == "ext4"' \
		"$out/kmod.json" >/dev/null 2>&1
	ok $? "file-shared cases ran on ext4"
	jq -e '.system.accelerator == "emulated" or .system.accelerator == "kvm"' \
		"$out/kmod.json" >/dev/null 2>&1 &&
	jq -e '.system.kernel.package | test("^linux-image-")' \
		"$out/kmod.json" >/dev/null 2>&1
	ok $? "results record the accelerator and the kernel package"

	fuzz_checks "$out"
} >"$out/tap"
plan "$(grep -cE '^(not )?ok ' "$out/tap")"
cat "$out/tap"
if grep -q '^not ok' "$out/tap" && [ -n "${GUPBENCH_KEEP:-}" ]; then
	cp -r "$out" "$GUPBENCH_KEEP" && diag "guest output kept in $GUPBENCH_KEEP"
fi
! grep -q '^not ok' "$out/tap"
