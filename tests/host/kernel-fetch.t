#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# scripts/kernel-fetch offline, with a fake apt-cache (answering from a recorded madison
# state in tests/fixtures/apt/) and a fake apt-get (building tiny .debs, or failing the way
# apt does without network or with stale lists) first on PATH: the set it downloads, what
# it prints and caches, and its exit status: 3 only when the archive cannot be reached and
# nothing is cached, 1 when the archive is reachable but the kernel cannot be had. Then the
# tests' own helper (need_kernel in tests/lib.sh): skip and note on 3, fail otherwise.
. "$(dirname "$0")/../lib.sh"
need_tools dpkg-deb
FETCH=$TOP/scripts/kernel-fetch
FIX=$TOP/tests/fixtures/apt
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/bin"

# apt-cache pkgnames PREFIX | madison NAMES..., from $FAKE_MADISON
cat >"$tmp/bin/apt-cache" <<'EOF'
#!/bin/bash
while [ "${1:-}" = -o ]; do shift 2; done
if [ -n "${FAKE_APT_CACHE_BROKEN:-}" ]; then
	echo "E: Unable to parse package file /var/lib/apt/lists/x_Packages.lz4 (1)" >&2
	exit 100
fi
case $1 in
pkgnames) cut -d' ' -f1 "$FAKE_MADISON" | grep -F "$2" | sort -u ;;
madison) shift; for n in "$@"; do grep "^$n |" "$FAKE_MADISON"; done; exit 0 ;;
*) exit 100 ;;
esac
EOF
# apt-get download PKG=VER...: $FAKE_APT_GET is ok (build each .deb), unreachable or 404
cat >"$tmp/bin/apt-get" <<'EOF'
#!/bin/bash
args=()
while [ $# -gt 0 ]; do
	case $1 in
	-o) shift ;;
	-*|download) ;;
	*) args+=("$1") ;;
	esac
	shift
done
echo "${args[*]}" >>"$FAKE_LOG"
url=http://deb.debian.org/debian-security/pool/updates/main/l/linux/x.deb
case $FAKE_APT_GET in
unreachable) echo "E: Failed to fetch $url  Temporary failure resolving 'deb.debian.org'"; exit 100 ;;
404) echo "E: Failed to fetch $url  404  Not Found [IP: 151.101.2.132 80]"; exit 100 ;;
esac
for a in "${args[@]}"; do
	p=${a%%=*} v=${a#*=} d=$(mktemp -d)
	mkdir -p "$d/DEBIAN"
	printf 'Package: %s\nVersion: %s\nArchitecture: amd64\nMaintainer: t <t@t>\nDescription: t\n' "$p" "$v" >"$d/DEBIAN/control"
	case $p in
	linux-image-*)
		rel=${p#linux-image-}; rel=${rel%-unsigned}
		mkdir -p "$d/boot" "$d/lib/modules/$rel/kernel"
		echo vmlinuz >"$d/boot/vmlinuz-$rel"
		ln -s "/usr/src/linux-headers-$rel" "$d/lib/modules/$rel/build" ;;
	linux-headers-*-common)
		mkdir -p "$d/usr/src/$p"; echo common >"$d/usr/src/$p/Makefile" ;;
	linux-headers-*)
		rel=${p#linux-headers-}
		mkdir -p "$d/usr/src/$p"
		echo "include /usr/src/linux-headers-${rel%-amd64}-common/Makefile" >"$d/usr/src/$p/Makefile" ;;
	linux-kbuild-*) mkdir -p "$d/usr/lib/$p"; echo kbuild >"$d/usr/lib/$p/x" ;;
	esac
	dpkg-deb -Zgzip --root-owner-group -b "$d" "${p}_${v}_amd64.deb" >/dev/null || exit 100
	rm -rf "$d"
done
EOF
# kernel-fetch remembers its choice until the apt lists change: the fake lists folder
# holds the current state and changes with it.
cat >"$tmp/bin/apt-config" <<'EOF'
#!/bin/bash
echo "L='$FAKE_LISTS'"
EOF
chmod +x "$tmp/bin/apt-cache" "$tmp/bin/apt-get" "$tmp/bin/apt-config"
export FAKE_LOG=$tmp/apt-get.log FAKE_LISTS=$tmp/lists
mkdir -p "$FAKE_LISTS"
# state STATE: the archive (and the fake apt lists) in that recorded state
state() {
	cmp -s "$FIX/$1.madison" "$FAKE_LISTS/fake_Packages" || cp "$FIX/$1.madison" "$FAKE_LISTS/fake_Packages"
}
# fetch STATE APT_GET CACHE KIND: run kernel-fetch; sets rc, out, err
fetch() {
	: >"$FAKE_LOG"
	state "$1"
	out=$(PATH=$tmp/bin:$PATH FAKE_MADISON=$FIX/$1.madison FAKE_APT_GET=$2 GUPBENCH_CACHE=$3 \
		"$FETCH" "${4:-deb-6.1}" 2>"$tmp/err")
	rc=$?
	err=$(cat "$tmp/err")
}
var() { (eval "$out"; eval "echo \"\${$1}\""); }
flat() { tr '\n' ' ' <<<"$1"; }

plan 21
c1=$tmp/cache1
fetch today-2026-11-29 ok "$c1"
[ $rc -eq 0 ]; ok $? "today's archive: exit 0 (got $rc: $(tail -n 1 <<<"$err"))"
[ "$(cat "$FAKE_LOG")" = "linux-image-6.1.0-57-amd64-unsigned=6.1.192-3 linux-headers-6.1.0-57-amd64=6.1.192-3 linux-headers-6.1.0-57-common=6.1.192-3 linux-kbuild-6.1=6.1.192-3" ]
ok $? "apt-get download asked for the consistent -unsigned 6.1.0-57 set ($(cat "$FAKE_LOG"))"
[ "$(var KERNEL_PKG)=$(var KERNEL_PKG_VERSION)" = linux-image-6.1.0-57-amd64-unsigned=6.1.192-3 ] &&
	[ "$(var KRELEASE)" = 6.1.0-57-amd64 ] && [ "$(var KERNEL_SUITE)" = bookworm-security ] &&
	[ "$(var KERNEL_PKGS)" = "$(cat "$FAKE_LOG")" ]
ok $? "it prints the package, version, release, suite and set ($(var KERNEL_PKG)=$(var KERNEL_PKG_VERSION), $(var KERNEL_SUITE))"
[ -f "$(var VMLINUZ)" ] && [ -d "$(var MODDIR)/kernel" ] &&
	grep -qxF "include $c1/kernels/6.1.0-57-amd64/root/usr/src/linux-headers-6.1.0-57-common/Makefile" "$(var KDIR)/Makefile" &&
	[ "$(readlink "$(var MODDIR)/build")" = ../../../usr/src/linux-headers-6.1.0-57-amd64 ]
ok $? "unpacked under the cache: vmlinuz, modules, headers Makefile pointed into the tree"
grep -q 'kernel-resolve: deb-6.1: .* = 6.1.192-3 (bookworm-security)' <<<"$err"
ok $? "one stderr line names the chosen set"
first=$out
fetch today-2026-11-29 ok "$c1"
[ $rc -eq 0 ] && [ "$out" = "$first" ] && [ ! -s "$FAKE_LOG" ]
ok $? "a second call prints the same lines without downloading (exit $rc)"

c0=$tmp/cache0
fetch empty ok "$c0"
[ $rc -eq 3 ] && grep -q "^kernel-fetch: unreachable: apt's package lists have no deb-6.1 kernel" <<<"$err" &&
	[ -z "$out" ] && [ "$(wc -l <<<"$err")" -eq 1 ]
ok $? "apt knows no kernel and nothing is cached: exit 3, one line (got $rc: $err)"
fetch empty ok "$c1"
[ $rc -eq 0 ] && [ "$out" = "$first" ] && grep -q 'cannot be reached .*using the cached 6.1.0-57-amd64' <<<"$err"
ok $? "the same with a cached kernel: that one, and it says so (got $rc: $err)"
fetch today-2026-11-29 unreachable "$c0"
[ $rc -eq 3 ] && grep -q "^kernel-fetch: unreachable: apt-get download: E: Failed to fetch .*Temporary failure resolving" <<<"$err"
ok $? "apt-get cannot resolve the host, nothing cached: exit 3 (got $rc: $(tail -n 1 <<<"$err"))"
fetch consistent unreachable "$c1"
[ $rc -eq 0 ] && [ "$(var KRELEASE)" = 6.1.0-57-amd64 ] && grep -q 'using the cached 6.1.0-57-amd64' <<<"$err"
ok $? "a newer set cannot be downloaded for lack of network: the cached kernel (got $rc: $(tail -n 1 <<<"$err"))"
fetch today-2026-11-29 404 "$c0"
[ $rc -eq 1 ] && grep -q '^kernel-fetch: error: apt-get download .* 404 .*apt-get update' <<<"$err"
ok $? "a 404 from a reachable mirror is an error, not unreachable (got $rc: $(tail -n 1 <<<"$err"))"
fetch consistent 404 "$c1"
[ $rc -eq 1 ]
ok $? "... even with a kernel cached: the archive is reachable, so no silent fallback (got $rc)"
fetch nothing-usable ok "$c1"
[ $rc -eq 1 ] && grep -q '^kernel-fetch: error: deb-6.1: no consistent package set .*has no linux-kbuild-6.1' <<<"$err" &&
	[ ! -s "$FAKE_LOG" ]
ok $? "no consistent set: exit 1, the reason on one line, nothing downloaded (got $rc: $err)"
fetch main-fallback ok "$c0"
[ $rc -eq 0 ] && [ "$(var KERNEL_PKGS)" = "linux-image-6.1.0-50-amd64=6.1.176-1 linux-headers-6.1.0-50-amd64=6.1.176-1 linux-headers-6.1.0-50-common=6.1.176-1 linux-kbuild-6.1=6.1.176-1" ] &&
	[ "$(var KERNEL_SUITE)" = bookworm ]
ok $? "falls back to bookworm main's set ($(var KERNEL_PKGS), $(var KERNEL_SUITE))"
fetch today-2026-11-29 ok "$c0" deb-6.12
[ $rc -eq 0 ] && [ "$(var KERNEL_PKG)" = linux-image-6.12.117+deb12-amd64 ] && [ -f "$(var VMLINUZ)" ]
ok $? "deb-6.12: the signed 6.12.117 image ($(var KERNEL_PKG))"
touch "$FAKE_LISTS/fake_Packages"   # the lists changed (and broke)
out=$(FAKE_APT_CACHE_BROKEN=1 PATH=$tmp/bin:$PATH GUPBENCH_CACHE=$c1 "$FETCH" deb-6.1 2>&1 >/dev/null)
[ $? -eq 1 ] && grep -q '^kernel-fetch: error: apt-cache pkgnames failed: E: Unable to parse' <<<"$out"
ok $? "apt-cache itself fails (corrupt lists): an error, not unreachable, even with a cache ($out)"
PATH=$tmp/bin:$PATH "$FETCH" deb-5.10 >/dev/null 2>&1
[ $? -eq 1 ]; ok $? "an unknown kernel line is an error, not unreachable"

# The tests' helper: need_kernel skips (and notes it for make test) only on status 3.
cat >"$tmp/vm.t" <<EOF
. "$TOP/tests/lib.sh"
TOP="$TOP"
need_kernel deb-6.1
plan 1
ok 0 "kernel \$(eval "\$KFETCH_OUT"; echo "\$KRELEASE")"
EOF
helper() {
	state "$1"
	out=$(PATH=$tmp/bin:$PATH FAKE_MADISON=$FIX/$1.madison FAKE_APT_GET=$2 GUPBENCH_CACHE=$3 \
		VM_SKIPPED_FILE=$tmp/skipped bash "$tmp/vm.t" 2>/dev/null)
	rc=$?
}
rm -f "$tmp/skipped"
helper empty ok "$tmp/cache2"
[ $rc -eq 0 ] && grep -q "^1..0 # SKIP no deb-6.1 kernel: kernel-fetch: unreachable: " <<<"$out" &&
	grep -q "^vm.t: deb-6.1: kernel-fetch: unreachable: apt's package lists" "$tmp/skipped"
ok $? "need_kernel, archive unreachable: the file skips and notes it ($(flat "$out") | $(cat "$tmp/skipped" 2>/dev/null))"
rm -f "$tmp/skipped"
helper nothing-usable ok "$c1"
[ $rc -ne 0 ] && grep -q "^not ok 1 - kernel-fetch deb-6.1 failed: kernel-fetch: error: deb-6.1: no consistent package set" <<<"$out" &&
	[ ! -e "$tmp/skipped" ]
ok $? "need_kernel, archive reachable but no usable set: the file fails, no skip noted ($(flat "$out"))"
helper today-2026-11-29 404 "$tmp/cache3"
[ $rc -ne 0 ] && grep -q "^not ok 1 - .*404" <<<"$out" && [ ! -e "$tmp/skipped" ]
ok $? "need_kernel, download refused by a reachable mirror: the file fails ($(flat "$out"))"
helper today-2026-11-29 ok "$c1"
[ $rc -eq 0 ] && grep -q "^ok 1 - kernel 6.1.0-57-amd64" <<<"$out"
ok $? "need_kernel, kernel available: the test runs ($(flat "$out"))"
done_testing
