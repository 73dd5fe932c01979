#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# scripts/vm-run's accelerator choice and watchdog, with a fake qemu-system-x86_64 on PATH
# (tests/host/fake-qemu-system-x86_64) in front of the real one: a KVM that hits an
# internal error, one that aborts at once, one that hangs silently, one that works; the
# verdict is remembered; GUPBENCH_ACCEL and --accel force the choice; a silent guest is
# stopped by the watchdog long before --timeout, and a silent command is not. The guests
# are real (Debian 6.12 on TCG). vm-run is told, through GUPBENCH_KVM_DEV, that a KVM
# device exists, so the test does the same with or without /dev/kvm.
# (guest commands in single quotes expand in the guest)
# shellcheck disable=SC2016 source=/dev/null
. "$(dirname "$0")/../lib.sh"
VMRUN=$TOP/scripts/vm-run
K=deb-6.12
[ -z "${NO_VM:-}" ] || skip_all "NO_VM is set"
# what the caller's environment would otherwise decide
unset GUPBENCH_ACCEL GUPBENCH_WATCHDOG GUPBENCH_KVM_TRIAL GUPBENCH_KVM_DEV
cache=${GUPBENCH_CACHE:-$HOME/.cache/gupbench}
tmp=$(mktemp -d)
# shellcheck disable=SC2317 # (a trap)
cleanup() {
	# the verdicts vm-run remembered for our fakes (they name the fake's path)
	grep -l -F "$tmp/" "$cache"/accel/kvm-* 2>/dev/null | xargs -r rm -f
	rm -rf "$tmp"
}
trap cleanup EXIT

plan 41
real=$(command -v qemu-system-x86_64)
[ -n "$real" ]
ok $? "qemu-system-x86_64 is installed (scripts/setup.sh installs it)"

# json_field FILE KEY: the raw value of "KEY": in vm.json (strings without quotes)
json_field() {
	grep -o "\"$2\": *\\(\"[^\"]*\"\\|[a-z0-9.]*\\)" "$1" | sed -n 1p | sed 's/^[^:]*: *//; s/^"//; s/"$//'
}
# lt A B: A < B for decimals (a missing A is not)
lt() { [ -n "$1" ] && awk -v a="$1" -v b="$2" 'BEGIN { exit !(a < b) }'; }

# vmrun SCENARIO MODE OUT [VAR=VALUE...] -- VM-RUN ARGS: vm-run with the fake of SCENARIO
# (its own copy of the fake, so its own remembered verdict) in MODE; sets rc and secs;
# stdout, stderr and the fake's call log in $tmp/SCENARIO/OUT.{stdout,stderr,calls}.
vmrun() {
	local name=$1 d=$tmp/$1 mode=$2 o=$3 vars=()
	shift 3
	while [ "$1" != -- ]; do vars+=("$1"); shift; done
	shift
	if [ ! -d "$d/bin" ]; then
		mkdir -p "$d/bin"
		cp "$TOP/tests/host/fake-qemu-system-x86_64" "$d/bin/qemu-system-x86_64"
		: >"$d/kvm"
	fi
	local t0=$EPOCHREALTIME
	env PATH="$d/bin:$PATH" FAKE_QEMU_REAL="$real" FAKE_QEMU_MODE="$mode" FAKE_QEMU_LOG="$d/$o.calls" \
		GUPBENCH_KVM_DEV="$d/kvm" "${vars[@]}" \
		"$VMRUN" --kernel "$K" --no-kmod --out "$d/$o" "$@" >"$d/$o.stdout" 2>"$d/$o.stderr"
	rc=$?
	secs=$(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }')
	touch "$d/$o.calls"
	diag "$name ($mode) $o: exit $rc after $secs s"
}
calls() { grep -c "^$2\$" "$tmp/$1.calls"; }
# running TEXT: a process whose command line holds TEXT is alive (no procps needed)
# (matched in bash: a grep would find its own command line)
running() {
	local f c
	for f in /proc/[0-9]*/cmdline; do
		c=$(tr '\0' ' ' 2>/dev/null <"$f") || continue
		[[ $c == *"$1"* ]] && return 0
	done
	return 1
}
kvm_lines() { grep -c '^vm-run: KVM .*: using TCG$' "$1"; }
last_err() { grep 'vm-run:' "$1" | tail -n 1; }

# 1. KVM starts, then qemu reports an internal error (emulation failure) and sits paused
s=interr
vmrun $s internal-error run1 -- -- sh -c 'echo "accel=$GUPBENCH_ACCEL"'
[ $rc = 0 ] && [ "$(cat "$tmp/$s/run1.stdout")" = accel=tcg ]
ok $? "internal error: the command ran once, on TCG, and passed (exit $rc: $(last_err "$tmp/$s/run1.stderr"))"
[ "$(calls $s/run1 kvm)" = 1 ] && [ "$(calls $s/run1 tcg)" = 1 ]
ok $? "internal error: one KVM attempt, then one TCG run ($(tr '\n' ' ' <"$tmp/$s/run1.calls"))"
[ "$(kvm_lines "$tmp/$s/run1.stderr")" = 1 ] &&
	grep -q '^vm-run: KVM hit an internal error (Suberror: 1, emulation failure) before user space' "$tmp/$s/run1.stderr" &&
	[ "$(grep -c 'vm-run:' "$tmp/$s/run1.stderr")" = 1 ]
ok $? "internal error: exactly one line says why: $(grep 'vm-run:' "$tmp/$s/run1.stderr" | head -n 2)"
a=$(json_field "$tmp/$s/run1/vm.json" kvm_attempt_s)
lt "$a" 10 && lt "$secs" 120
ok $? "internal error: the KVM attempt cost ${a}s (< 10), the whole run ${secs}s (< 120; the timeout is 300)"
[ "$(json_field "$tmp/$s/run1/vm.json" accel)" = tcg ] && [ "$(json_field "$tmp/$s/run1/vm.json" accel_choice)" = auto ] &&
	json_field "$tmp/$s/run1/vm.json" accel_reason | grep -q 'internal error'
ok $? "internal error: vm.json records tcg, auto, and why ($(json_field "$tmp/$s/run1/vm.json" accel_reason))"
grep -q 'KVM internal error. Suberror: 1' "$tmp/$s/run1/kvm-attempt.log" 2>/dev/null &&
	grep -q '^VMRUN-DONE' "$tmp/$s/run1/console.log"
ok $? "internal error: qemu's report is kept in kvm-attempt.log, console.log is the TCG run's"

vmrun $s internal-error run2 -- -- sh -c 'echo "accel=$GUPBENCH_ACCEL"'
[ $rc = 0 ] && [ "$(cat "$tmp/$s/run2.stdout")" = accel=tcg ]
ok $? "remembered: the second run passes on TCG (exit $rc: $(last_err "$tmp/$s/run2.stderr"))"
[ "$(calls $s/run2 kvm)" = 0 ] && [ "$(calls $s/run2 kvm-probe)" = 0 ]
ok $? "remembered: the second run does not try KVM at all ($(tr '\n' ' ' <"$tmp/$s/run2.calls"))"
[ "$(kvm_lines "$tmp/$s/run2.stderr")" = 1 ] && grep -q 'remembered' "$tmp/$s/run2.stderr" &&
	json_field "$tmp/$s/run2/vm.json" accel_reason | grep -q '^remembered: KVM hit an internal error'
ok $? "remembered: one line, and vm.json, say it is remembered ($(json_field "$tmp/$s/run2/vm.json" accel_reason))"

# 2. qemu aborts at once on KVM (the paused-guest probe catches it)
s=abort
vmrun $s abort run1 -- -- true
[ $rc = 0 ] && [ "$(json_field "$tmp/$s/run1/vm.json" accel)" = tcg ]
ok $? "abort: the command passes on TCG (exit $rc: $(last_err "$tmp/$s/run1.stderr"))"
[ "$(calls $s/run1 kvm-probe)" = 1 ] && [ "$(calls $s/run1 kvm)" = 0 ]
ok $? "abort: only the probe ran on KVM ($(tr '\n' ' ' <"$tmp/$s/run1.calls"))"
[ "$(kvm_lines "$tmp/$s/run1.stderr")" = 1 ] &&
	grep -q '^vm-run: KVM does not start (qemu: error: failed to set MSR 0x10a to 0x69): using TCG$' "$tmp/$s/run1.stderr"
ok $? "abort: one line says why: $(grep 'vm-run:' "$tmp/$s/run1.stderr")"
vmrun $s abort run2 GUPBENCH_ACCEL=tcg -- --accel kvm -- true
[ $rc = 125 ] && grep -q '^vm-run: infrastructure error: --accel kvm, but KVM does not start' "$tmp/$s/run2.stderr"
ok $? "abort: --accel kvm wins over GUPBENCH_ACCEL=tcg and fails with 125 (exit $rc: $(last_err "$tmp/$s/run2.stderr"))"
[ "$(json_field "$tmp/$s/run2/vm.json" exit_status)" = 125 ] && [ "$(calls $s/run2 tcg)" = 0 ]
ok $? "abort: no TCG run behind a forced KVM's back"

# 3. KVM starts and the guest hangs without a word
s=hang
vmrun $s hang run1 -- -- sh -c 'echo "accel=$GUPBENCH_ACCEL"'
[ $rc = 0 ] && [ "$(cat "$tmp/$s/run1.stdout")" = accel=tcg ]
ok $? "silent KVM: the command ran on TCG and passed (exit $rc: $(last_err "$tmp/$s/run1.stderr"))"
[ "$(kvm_lines "$tmp/$s/run1.stderr")" = 1 ] &&
	grep -q '^vm-run: KVM guest did not reach user space within 4s' "$tmp/$s/run1.stderr"
ok $? "silent KVM: one line says why: $(grep 'vm-run:' "$tmp/$s/run1.stderr")"
a=$(json_field "$tmp/$s/run1/vm.json" kvm_attempt_s)
lt "$a" 10 && lt "$secs" 120
ok $? "silent KVM: the attempt cost ${a}s (< 10), the whole run ${secs}s (< 120)"
vmrun $s hang run2 -- --accel kvm --watchdog 4 --timeout 120 -- true
[ $rc = 125 ] && [ "$(grep -c 'vm-run:' "$tmp/$s/run2.stderr")" = 1 ] &&
	grep -q '^vm-run: infrastructure error: watchdog: the guest printed nothing for 4s before the command started' "$tmp/$s/run2.stderr"
ok $? "watchdog: a silent guest is an infrastructure error (exit $rc: $(last_err "$tmp/$s/run2.stderr"))"
lt "$secs" 30
ok $? "watchdog: it fired after ${secs}s (--watchdog 4, < 30; --timeout 120)"
[ "$(json_field "$tmp/$s/run2/vm.json" watchdog_s)" = 4 ] && [ "$(json_field "$tmp/$s/run2/vm.json" accel_choice)" = --accel ] &&
	json_field "$tmp/$s/run2/vm.json" infra_error | grep -q watchdog
ok $? "watchdog: vm.json records watchdog_s 4, accel_choice --accel and the error"
[ "$(calls $s/run2 tcg)" = 0 ]
ok $? "watchdog: a forced KVM is not replaced by TCG"

# 4. GUPBENCH_ACCEL=tcg never tries KVM; a command silent for 3 x the watchdog is fine
#    (the guest's heartbeat)
s=envtcg
vmrun $s internal-error run1 GUPBENCH_ACCEL=tcg GUPBENCH_WATCHDOG=5 -- -- sh -c 'sleep 15; echo "accel=$GUPBENCH_ACCEL"'
[ $rc = 0 ] && [ "$(cat "$tmp/$s/run1.stdout")" = accel=tcg ]
ok $? "GUPBENCH_ACCEL=tcg: the command passes (exit $rc: $(last_err "$tmp/$s/run1.stderr"))"
! grep -q '^kvm' "$tmp/$s/run1.calls" && [ "$(calls $s/run1 tcg)" = 1 ]
ok $? "GUPBENCH_ACCEL=tcg: KVM is never tried ($(tr '\n' ' ' <"$tmp/$s/run1.calls"))"
! grep -q 'vm-run:' "$tmp/$s/run1.stderr"
ok $? "GUPBENCH_ACCEL=tcg: nothing to say on stderr"
[ "$(json_field "$tmp/$s/run1/vm.json" accel_choice)" = GUPBENCH_ACCEL ] &&
	[ "$(json_field "$tmp/$s/run1/vm.json" accel_reason)" = "forced: GUPBENCH_ACCEL=tcg" ] &&
	[ "$(json_field "$tmp/$s/run1/vm.json" watchdog_s)" = 5 ]
ok $? "GUPBENCH_ACCEL=tcg: vm.json records the choice, the reason and GUPBENCH_WATCHDOG 5"
c=$(grep -o '"guest_boot": [0-9.]*, "command": [0-9.]*' "$tmp/$s/run1/vm.json" | sed 's/.* //')
lt 14.5 "${c:-0}"
ok $? "heartbeat: the command was silent for ${c}s, 3 x the watchdog, and the watchdog held"
! grep -q 'VMRUN-HB' "$tmp/$s/run1/console.log"
ok $? "heartbeat: it is not in console.log"

# 5. a KVM that works is remembered too (the fake's "KVM" is TCG underneath: a long trial)
s=good
vmrun $s good run1 GUPBENCH_KVM_TRIAL=120 -- -- sh -c 'echo "accel=$GUPBENCH_ACCEL"'
[ $rc = 0 ] && [ "$(cat "$tmp/$s/run1.stdout")" = accel=kvm ] && [ "$(calls $s/run1 kvm)" = 1 ] &&
	[ "$(calls $s/run1 tcg)" = 0 ]
ok $? "working KVM: used, once (exit $rc: $(last_err "$tmp/$s/run1.stderr"); $(tr '\n' ' ' <"$tmp/$s/run1.calls"))"
[ "$(json_field "$tmp/$s/run1/vm.json" accel_reason)" = "KVM proved itself: the guest booted and ran the command" ] &&
	! grep -q 'vm-run:' "$tmp/$s/run1.stderr"
ok $? "working KVM: vm.json says it proved itself ($(json_field "$tmp/$s/run1/vm.json" accel_reason)); stderr is quiet"
vmrun $s good run2 -- -- sh -c 'echo "accel=$GUPBENCH_ACCEL"'
[ $rc = 0 ] && [ "$(cat "$tmp/$s/run2.stdout")" = accel=kvm ] && [ "$(calls $s/run2 kvm-probe)" = 0 ]
ok $? "working KVM: remembered, no probe the second time ($(tr '\n' ' ' <"$tmp/$s/run2.calls"))"
json_field "$tmp/$s/run2/vm.json" accel_reason | grep -q '^KVM proved itself earlier on this host boot'
ok $? "working KVM: vm.json says so ($(json_field "$tmp/$s/run2/vm.json" accel_reason))"

# 6. a KVM that reaches user space, then fails while the command runs: the command runs again,
#    whole, on TCG (the guest shares nothing with the host)
s=late
vmrun $s late-error run1 GUPBENCH_KVM_TRIAL=120 -- -- sh -c 'echo "accel=$GUPBENCH_ACCEL"; sleep 3; echo done'
[ $rc = 0 ] && [ "$(tail -n 2 "$tmp/$s/run1.stdout" | tr '\n' ' ')" = "accel=tcg done " ]
ok $? "late KVM error: the command ran again on TCG and passed (exit $rc: $(last_err "$tmp/$s/run1.stderr"); stdout: $(tr '\n' ' ' <"$tmp/$s/run1.stdout"))"
[ "$(calls $s/run1 kvm)" = 1 ] && [ "$(calls $s/run1 tcg)" = 1 ]
ok $? "late KVM error: one KVM run, one TCG run ($(tr '\n' ' ' <"$tmp/$s/run1.calls"))"
[ "$(grep -c 'vm-run:' "$tmp/$s/run1.stderr")" = 1 ] &&
	grep -q '^vm-run: KVM hit an internal error (Suberror: 1, emulation failure) while the command ran, after .*: using TCG for the command again (what it printed above came from the KVM run)$' "$tmp/$s/run1.stderr"
ok $? "late KVM error: one line says why and that the output above is doubled: $(grep 'vm-run:' "$tmp/$s/run1.stderr")"
[ "$(json_field "$tmp/$s/run1/vm.json" accel)" = tcg ] &&
	json_field "$tmp/$s/run1/vm.json" accel_reason | grep -q 'internal error (Suberror: 1, emulation failure) while the command ran' &&
	! running "$tmp/$s/bin/"
ok $? "late KVM error: vm.json records tcg and why ($(json_field "$tmp/$s/run1/vm.json" accel_reason)); no fake left running"

# 7. bad usage, --icount
s=usage
vmrun $s internal-error run1 GUPBENCH_ACCEL=fast -- -- true
[ $rc = 125 ] && grep -q "^vm-run: infrastructure error: bad usage: GUPBENCH_ACCEL=fast (kvm, tcg or auto)" "$tmp/$s/run1.stderr"
ok $? "GUPBENCH_ACCEL=fast is bad usage (exit $rc: $(last_err "$tmp/$s/run1.stderr"))"
vmrun $s internal-error run2 -- --accel auto --watchdog soon -- true
[ $rc = 125 ] && grep -q "bad usage: --watchdog 'soon'" "$tmp/$s/run2.stderr"
ok $? "--watchdog soon is bad usage (exit $rc: $(last_err "$tmp/$s/run2.stderr"))"
vmrun $s internal-error run3 GUPBENCH_ACCEL=kvm -- --icount -- true
[ $rc = 125 ] && grep -q "infrastructure error: --icount needs TCG (GUPBENCH_ACCEL=kvm)" "$tmp/$s/run3.stderr" &&
	! grep -q '^kvm' "$tmp/$s/run3.calls"
ok $? "GUPBENCH_ACCEL=kvm with --icount is refused before any qemu run (exit $rc: $(last_err "$tmp/$s/run3.stderr"))"
vmrun $s internal-error run4 GUPBENCH_WATCHDOG=-1 -- -- true
[ $rc = 125 ] && grep -q "bad usage: GUPBENCH_WATCHDOG='-1'" "$tmp/$s/run4.stderr"
ok $? "GUPBENCH_WATCHDOG=-1 is bad usage (exit $rc: $(last_err "$tmp/$s/run4.stderr"))"

# the remembered verdicts name what they are about
f=$(grep -l -F "$tmp/interr/bin/" "$cache"/accel/kvm-* 2>/dev/null | head -n 1)
[ -n "$f" ] && grep -q '^verdict=tcg$' "$f" && grep -q "^boot_id=$(cat /proc/sys/kernel/random/boot_id)$" "$f" &&
	grep -q '^kernel=linux-image-6.12' "$f"
ok $? "the verdict file names the boot, the qemu binary and the kernel ($f)"
done_testing
