#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Install what gupbench needs (Debian/Ubuntu: apt, Fedora: dnf) and build libperf.
# Idempotent: installs only what is missing, and says what it does.
#   scripts/setup.sh           everything (build, tests, VM test bed)
#   scripts/setup.sh --build   only what `make` needs
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
what=${1:-all}
case $what in all|--build) ;; *) echo "usage: scripts/setup.sh [--build]" >&2; exit 2 ;; esac

# build: compiler and libraries; test: prove, jq; vm: QEMU test bed and module builds
deb_build="gcc make pkg-config libc6-dev libjson-c-dev libhwloc-dev libnuma-dev xz-utils git"
deb_libperf="linux-source-6.1"
deb_test="perl jq gnuplot-nox hwloc numactl"
# the unpacked linux-kbuild tools link libelf, libssl and zlib; Debian kernels are built with gcc-12
deb_vm="qemu-system-x86 busybox-static cpio kmod pahole e2fsprogs dpkg-dev gcc-12 libelf1 libssl3 zlib1g"
# make ARCH=arm64 and arm64 guests: the cross compiler (libraries come from the sysroot that
# scripts/sysroot-fetch unpacks) and QEMU's arm64 system emulator
deb_vm="$deb_vm gcc-aarch64-linux-gnu qemu-system-arm debian-archive-keyring"
# scripts/kernel-build: kernels from source (Debian's linux-source-* is downloaded into the
# cache by the script itself, not installed), gup_test linked statically, objdump for ab
deb_kbuild="flex bison bc libelf-dev libssl-dev patch binutils"
rpm_build="gcc make pkgconf-pkg-config glibc-devel glibc-static json-c-devel hwloc-devel numactl-devel xz git"
rpm_test="perl-Test-Harness jq gnuplot hwloc numactl"
rpm_vm="qemu-system-x86 qemu-system-aarch64 gcc-aarch64-linux-gnu busybox cpio kmod dwarves e2fsprogs flex bison bc elfutils-libelf-devel openssl-devel patch binutils"

sudo=
[ "$(id -u)" -eq 0 ] || sudo=sudo

# Debian 12's kernels for the VM tests (6.12 and the current 6.1 ABI) are published in
# bookworm-security only: a system without that suite (a minimal chroot, say) gets it,
# and nothing newer than bookworm.
ensure_bookworm_security() {
	local codename
	codename=$(sed -n "s/^VERSION_CODENAME=//p" /etc/os-release 2>/dev/null)
	[ "$codename" = bookworm ] || return 0
	if grep -rqsE '(^|[[:space:]])bookworm-security([[:space:]]|$)' /etc/apt/sources.list /etc/apt/sources.list.d/; then
		return 0
	fi
	echo "setup: adding bookworm-security to apt's sources (Debian's 6.1 and 6.12 kernels live there)"
	cat <<-EOS | $sudo tee /etc/apt/sources.list.d/gupbench-bookworm-security.sources >/dev/null
		Types: deb
		URIs: http://deb.debian.org/debian-security
		Suites: bookworm-security
		Components: main
		Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
	EOS
	$sudo apt-get update -qq
}

if command -v apt-get >/dev/null; then
	[ "$what" = all ] && ensure_bookworm_security
	pkgs="$deb_build $deb_libperf"
	[ "$what" = all ] && pkgs="$pkgs $deb_test $deb_vm $deb_kbuild"
	missing=
	for p in $pkgs; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
	done
	if [ -n "$missing" ]; then
		echo "setup: installing:$missing"
		log=$(mktemp)
		# apt's and dpkg's chatter goes to a log, shown only if something fails
		if ! { $sudo apt-get update -q && DEBIAN_FRONTEND=noninteractive \
			$sudo apt-get install -y -q --no-install-recommends $missing; } >"$log" 2>&1; then
			tail -n 30 "$log" >&2
			echo "setup: apt-get failed (full log: $log)" >&2
			exit 1
		fi
		rm -f "$log"
	else
		echo "setup: all packages present"
	fi
	# scripts/kernel-fetch resolves kernel packages from the package lists
	if [ "$what" = all ] && ! ls /var/lib/apt/lists/*_Packages* >/dev/null 2>&1; then
		echo "setup: no package lists: apt-get update"
		$sudo apt-get update -qq
	fi
elif command -v dnf >/dev/null; then
	pkgs="$rpm_build"
	[ "$what" = all ] && pkgs="$pkgs $rpm_test $rpm_vm"
	missing=
	for p in $pkgs; do rpm -q "$p" >/dev/null 2>&1 || missing="$missing $p"; done
	if [ -n "$missing" ]; then
		echo "setup: installing:$missing"
		$sudo dnf install -y $missing
	else
		echo "setup: all packages present"
	fi
	if [ -z "${LIBPERF_SRC:-}" ]; then
		echo "setup: on Fedora, point LIBPERF_SRC at a kernel tree (tools/lib/perf) to build libperf" >&2
	fi
else
	echo "setup: no apt-get or dnf: install by hand: a C compiler, json-c, hwloc, libnuma, jq, prove" >&2
	exit 1
fi

"$top/scripts/build-libperf.sh"
echo "setup: done"
