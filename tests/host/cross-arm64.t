#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make ARCH=arm64: build/arm64/bench/gupbench and build/arm64/tests/vm/kmod_fuzz are aarch64
# ELF whose libraries (and glibc symbol versions) the arm64 sysroot provides, the native
# build is left as it was, and the module cross-builds with W=1 without a warning against
# the headers of `scripts/kernel-fetch --arch arm64 deb-6.1` and `deb-6.12`.
# SYSROOT=<dir> uses that sysroot instead of scripts/sysroot-fetch --arch arm64's.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
need_tools make aarch64-linux-gnu-gcc aarch64-linux-gnu-readelf sha256sum

if [ -z "${SYSROOT:-}" ]; then
	need_fetch sysroot-fetch --arch arm64 || skip_all "no arm64 sysroot: $KFETCH_ERR"
	SYSROOT=$(eval "$KFETCH_OUT"; echo "${SYSROOT:-}")
	[ -d "$SYSROOT" ] || fail_all "sysroot-fetch --arch arm64 printed no SYSROOT folder"
fi
declare -A kdir=() kdir_why=()
for k in deb-6.1 deb-6.12; do
	if need_fetch kernel-fetch --arch arm64 $k; then
		kdir[$k]=$(eval "$KFETCH_OUT"; echo "${KDIR:-}")
		[ -d "${kdir[$k]}" ] || fail_all "kernel-fetch --arch arm64 $k printed no KDIR folder"
	else
		kdir_why[$k]="no arm64 $k headers: $KFETCH_ERR"
	fi
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/gupbench-cross.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
out=$TOP/build/arm64
# An outer make (make test) must not hand its variables (LIBPERF, say) to these builds.
mk() { env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make --no-print-directory "$@"; }

# Name, mtime and hash of every native build product there is.
native_state() {
	local f
	for f in "$TOP"/bench/gupbench "$TOP"/bench/*.o "$TOP"/bench/.git-desc \
		 "$TOP"/tests/vm/kmod_fuzz "$TOP"/build/libperf/lib/*.a; do
		[ -e "$f" ] && echo "$f $(stat -c %Y "$f") $(sha256sum <"$f")"
	done
}

# The file a library name resolves to inside the sysroot (a link out of it does not count).
sysroot_lib() {
	local d p
	for d in lib/aarch64-linux-gnu usr/lib/aarch64-linux-gnu lib usr/lib; do
		p=$(realpath -e "$SYSROOT/$d/$1" 2>/dev/null) || continue
		case $p in "$(realpath "$SYSROOT")"/*) echo "$p"; return 0 ;; esac
	done
	return 1
}
needed() { aarch64-linux-gnu-readelf -d "$1" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'; }
# The NEEDED names, the libraries' own included, that the sysroot lacks.
missing_libs() {
	local todo=("$1") seen=' ' missing='' f lib p
	while [ ${#todo[@]} -gt 0 ]; do
		f=${todo[0]} todo=("${todo[@]:1}")
		for lib in $(needed "$f"); do
			case $seen in *" $lib "*) continue ;; esac
			seen="$seen$lib "
			if p=$(sysroot_lib "$lib"); then todo+=("$p"); else missing="$missing $lib"; fi
		done
	done
	echo "${missing# }"
}
# GLIBC_x.y versions a file needs / the sysroot's glibc defines.
glibc_needed() {
	aarch64-linux-gnu-readelf -V "$1" | sed -n '/Version needs section/,$s/.*Name: \(GLIBC_[0-9.]*\).*/\1/p' |
		sort -u
}
glibc_defined() {
	local l
	for l in libc.so.6 libm.so.6 ld-linux-aarch64.so.1; do
		aarch64-linux-gnu-readelf -V "$(sysroot_lib $l)" |
			sed -n '/Version definition section/,/Version needs section/s/.*Name: \(GLIBC_[0-9.]*\).*/\1/p'
	done | sort -u
}
is_aarch64() {
	aarch64-linux-gnu-readelf -h "$1" 2>/dev/null | grep -q 'Class:.*ELF64' &&
		aarch64-linux-gnu-readelf -h "$1" | grep -q 'Machine:.*AArch64'
}

plan 13

before=$(native_state)
mk -C "$TOP" ARCH=arm64 SYSROOT="$SYSROOT" >"$tmp/build.log" 2>&1
ok $? "make ARCH=arm64 SYSROOT=$SYSROOT exits 0 ($(tail -n 1 "$tmp/build.log"))"
[ "$(native_state)" = "$before" ]
ok $? "the native build products (bench/, tests/vm/kmod_fuzz, build/libperf) are untouched"

bin=$out/bench/gupbench fuzz=$out/tests/vm/kmod_fuzz
is_aarch64 "$bin" && is_aarch64 "$fuzz"
ok $? "build/arm64/bench/gupbench and build/arm64/tests/vm/kmod_fuzz are 64-bit AArch64 ELF"
interp=$(aarch64-linux-gnu-readelf -l "$bin" 2>/dev/null |
	sed -n 's/.*Requesting program interpreter: \(.*\)\]/\1/p')
[ -n "$interp" ] && realpath -e "$SYSROOT$interp" >/dev/null 2>&1
ok $? "gupbench's interpreter ${interp:-(none)} is in the sysroot"
miss=$(missing_libs "$bin")
[ -n "$(needed "$bin")" ] && [ -z "$miss" ]
ok $? "every library gupbench needs, and theirs, is in the sysroot${miss:+ (missing: $miss)}"
extra=$(comm -23 <(glibc_needed "$bin") <(glibc_defined))
[ -n "$(glibc_needed "$bin")" ] && [ -z "$extra" ]
ok $? "the sysroot's glibc defines every symbol version gupbench needs${extra:+ (not: $extra)}"
[ -z "$(needed "$fuzz")" ] && ! aarch64-linux-gnu-readelf -l "$fuzz" | grep -q INTERP
ok $? "kmod_fuzz is static (the guests' initramfs has no libraries for it)"

# The module from a copy of the tree per kernel: the worktree's kmod/ keeps its native objects.
for k in deb-6.1 deb-6.12; do
	if [ -z "${kdir[$k]:-}" ]; then
		for t in "make module ARCH=arm64 W=1 exits 0" "no compiler warning" "gupbench.ko is AArch64"; do
			skip "$k: $t" "${kdir_why[$k]}"
		done
		continue
	fi
	t=$tmp/tree-$k
	mkdir -p "$t/scripts" "$t/kmod/uapi"
	cp "$TOP/Makefile" "$t/" && cp "$TOP/scripts/Makefile.cross" "$t/scripts/" &&
		cp "$TOP"/kmod/Kbuild "$TOP"/kmod/Makefile "$TOP"/kmod/*.h "$t/kmod/" &&
		cp "$TOP"/kmod/uapi/*.h "$t/kmod/uapi/" &&
		for f in "$TOP"/kmod/*.c; do
			case $f in *.mod.c) ;; *) cp "$f" "$t/kmod/" ;; esac
		done
	mk -C "$t" module ARCH=arm64 KDIR="${kdir[$k]}" W=1 >"$t/module.log" 2>&1
	ok $? "$k: make module ARCH=arm64 KDIR=<arm64 $k headers> W=1 exits 0 ($(tail -n 1 "$t/module.log"))"
	warn=$(grep -c 'warning:' "$t/module.log")
	[ "$warn" = 0 ]
	ok $? "$k: no compiler warning with W=1 ($warn)"
	[ "$warn" = 0 ] || grep 'warning:' "$t/module.log" | head -n 5 | sed 's/^/# /'
	is_aarch64 "$t/kmod/gupbench.ko"
	ok $? "$k: gupbench.ko is AArch64"
done

done_testing
