#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build libperf (tools/lib/perf) into build/libperf from a kernel tree:
# LIBPERF_SRC=<tree> if you have one, else Debian's linux-source tarball.
# LIBPERF=<dir> installs elsewhere. A cross build (make ARCH=arm64 does this):
#   ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu- SYSROOT=<dir> LIBPERF=<dir> build-libperf.sh
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
dest=${LIBPERF:-$top/build/libperf}
# Only a cross build (CROSS_COMPILE set) compiles against SYSROOT: --sysroot is part of
# CC, so that links (libperf.so) look there too and not for the cross compiler's own libc.
cross=()
[ -n "${ARCH:-}" ] && cross+=("ARCH=$ARCH")
if [ -n "${CROSS_COMPILE:-}" ]; then
	cross+=("CROSS_COMPILE=$CROSS_COMPILE")
	[ -z "${SYSROOT:-}" ] || cross+=("CC=${CROSS_COMPILE}gcc --sysroot=$SYSROOT")
fi
work=$top/build/libperf-src

if [ -f "$dest/lib/libperf.a" ] && [ -f "$dest/lib/libapi.a" ]; then
	echo "libperf: already built in $dest"
	exit 0
fi

if [ -n "${LIBPERF_SRC:-}" ]; then
	src=$LIBPERF_SRC
	[ -f "$src/tools/lib/perf/Makefile" ] || { echo "build-libperf: $src has no tools/lib/perf" >&2; exit 1; }
else
	tarball=$(ls /usr/src/linux-source-*.tar.xz 2>/dev/null | sort -V | tail -n 1 || true)
	[ -n "$tarball" ] || { echo "build-libperf: no kernel tree: set LIBPERF_SRC or install linux-source" >&2; exit 1; }
	name=$(basename "$tarball" .tar.xz)
	src=$work/$name
	if [ ! -f "$src/tools/lib/perf/Makefile" ]; then
		echo "libperf: extracting tools/ from $tarball"
		rm -rf "$work"; mkdir -p "$work"
		# Only what libperf and libapi need: the whole tarball is ~1 GB unpacked.
		xz -T0 -dc "$tarball" | tar -x -C "$work" \
			"$name/tools/lib/perf" "$name/tools/lib/api" "$name/tools/include" \
			"$name/tools/build" "$name/tools/scripts" "$name/tools/arch" \
			"$name/tools/lib/zalloc.c" "$name/tools/lib/str_error_r.c" \
			"$name/tools/lib/ctype.c" "$name/tools/lib/string.c" \
			"$name/tools/lib/bitmap.c" "$name/tools/lib/hweight.c" \
			"$name/tools/lib/rbtree.c" "$name/tools/lib/find_bit.c" \
			"$name/scripts" "$name/include/uapi" "$name/Makefile" 2>/dev/null || true
		[ -f "$src/tools/lib/perf/Makefile" ] || { echo "build-libperf: extraction failed" >&2; exit 1; }
	fi
fi

echo "libperf: building${CROSS_COMPILE:+ for ${ARCH:-$CROSS_COMPILE}} from $src"
mkdir -p "$dest"
out=$(mktemp -d)
mkdir -p "$out/perf" "$out/api"
trap 'rm -rf "$out"' EXIT
make -s -C "$src/tools/lib/perf" ${cross[@]+"${cross[@]}"} O="$out/perf" prefix="$dest" \
	install_headers install_lib >"$out/log" 2>&1 || { cat "$out/log" >&2; echo "build-libperf: libperf build failed" >&2; exit 1; }
make -s -C "$src/tools/lib/api" ${cross[@]+"${cross[@]}"} OUTPUT="$out/api/" >>"$out/log" 2>&1 || { cat "$out/log" >&2; echo "build-libperf: libapi build failed" >&2; exit 1; }
# libperf.so would win over the static archive at link time: keep only .a
[ -d "$dest/lib64" ] && { mkdir -p "$dest/lib"; cp "$dest"/lib64/libperf.a "$dest/lib/"; rm -rf "$dest/lib64"; }
rm -f "$dest"/lib/libperf.so*
cp "$out/api/libapi.a" "$dest/lib/"
echo "libperf: installed in $dest"
