#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# scripts/kernel-fetch offline, with a fake apt-cache (answering from a recorded madison
# state in tests/fixtures/apt/) and a fake apt-get (building tiny .debs, or failing the way
# apt does without network or with stale lists) first on PATH: the set it downloads, what
# it prints and caches, and its exit status: 3 only when the archive cannot be reached and
# nothing is cached, 1 when the archive is reachable but the kernel cannot be had. Then the
# tests' own helper (need_kernel in tests/lib.sh): skip and note on 3, fail otherwise.
# --arch arm64: the fakes refuse arm64 work outside the private apt state (scripts/apt-arch)
# and amd64 work inside it; apt-get update fills the private lists from the same fixture.
. "$(dirname "$0")/../lib.sh"
need_tools dpkg-deb
FETCH=$TOP/scripts/kernel-fetch
FIX=$TOP/tests/fixtures/apt
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/bin"

# Both fakes: fake-opts reads the -o options (opts, arch) and check_opts refuses a private
# state other than $GUPBENCH_CACHE/apt/arm64 for arm64, or any private state for amd64.
cat >"$tmp/bin/fake-opts" <<'EOF'
opts=() arch=amd64
for ((i = 1; i < $#; i++)); do
	[ "${!i}" = -o ] || continue
	j=$((i + 1)); opts+=("${!j}")
	case ${!j} in APT::Architecture=*) arch=${!j#*=} ;; esac
done
priv=$GUPBENCH_CACHE/apt/arm64
check_opts() {
	local o want
	if [ "$arch" = arm64 ]; then
		for want in "Dir::State=$priv" "Dir::State::Lists=$priv/lists" "Dir::Etc::sourcelist=$priv/etc/apt/sources.list" \
			"Dir::State::status=$priv/dpkg/status" "APT::Architectures=arm64"; do
			[[ " ${opts[*]} " == *" $want "* ]] || { echo "E: fake apt: arm64 without $want" >&2; exit 100; }
		done
	else
		for o in "${opts[@]}"; do
			case $o in Dir::*) echo "E: fake apt: amd64 with $o" >&2; exit 100 ;; esac
		done
	fi
}
madison_file() {
	if [ "$arch" = arm64 ]; then echo "$priv/lists/fake_Packages"; else echo "$FAKE_MADISON"; fi
}
EOF
# apt-cache pkgnames PREFIX | madison NAMES..., from $FAKE_MADISON (amd64) or the private
# lists (arm64)
cat >"$tmp/bin/apt-cache" <<'EOF'
#!/bin/bash
. "$(dirname "$0")/fake-opts"
check_opts
while [ "${1:-}" = -o ]; do shift 2; done
m=$(madison_file)
[ -f "$m" ] || m=/dev/null
if [ -n "${FAKE_APT_CACHE_BROKEN:-}" ]; then
	echo "E: Unable to parse package file /var/lib/apt/lists/x_Packages.lz4 (1)" >&2
	exit 100
fi
case $1 in
pkgnames) cut -d' ' -f1 "$m" | grep -F "$2" | sort -u ;;
madison) shift; for n in "$@"; do grep "^$n |" "$m"; done; exit 0 ;;
*) exit 100 ;;
esac
EOF
# apt-get download PKG=VER...: $FAKE_APT_GET is ok (build each .deb), unreachable or 404
# apt-get update (private state): $FAKE_APT_UPDATE ok (lists from $FAKE_MADISON) or
# unreachable (apt's messages, status 0, no lists)
cat >"$tmp/bin/apt-get" <<'EOF'
#!/bin/bash
. "$(dirname "$0")/fake-opts"
check_opts
args=() cmd=''
while [ $# -gt 0 ]; do
	case $1 in
	-o) shift ;;
	-*) ;;
	download|update) cmd=$1 ;;
	*) args+=("$1") ;;
	esac
	shift
done
if [ "$cmd" = update ]; then
	echo "update $arch" >>"$FAKE_UPDATE_LOG"
	if [ "${FAKE_APT_UPDATE:-ok}" = unreachable ]; then
		echo "Err:1 http://deb.debian.org/debian bookworm InRelease"
		echo "  Temporary failure resolving 'deb.debian.org'"
		echo "W: Failed to fetch http://deb.debian.org/debian/dists/bookworm/InRelease  Temporary failure resolving 'deb.debian.org'"
		echo "W: Some index files failed to download. They have been ignored, or old ones used instead."
		exit 0
	fi
	cp "$FAKE_MADISON" "$(dirname "$(madison_file)")/fake_Packages"
	exit 0
fi
echo "${args[*]}" >>"$FAKE_LOG"
url=http://deb.debian.org/debian-security/pool/updates/main/l/linux/x.deb
case $FAKE_APT_GET in
unreachable) echo "E: Failed to fetch $url  Temporary failure resolving 'deb.debian.org'"; exit 100 ;;
404) echo "E: Failed to fetch $url  404  Not Found [IP: 151.101.2.132 80]"; exit 100 ;;
esac
for a in "${args[@]}"; do
	p=${a%%=*} v=${a#*=} d=$(mktemp -d) a=$arch
	case $p in *:*) a=${p#*:} p=${p%%:*} ;; esac
	[ "$a" = "$arch" ] || { echo "E: fake apt: $p:$a from an $arch apt"; exit 100; }
	mkdir -p "$d/DEBIAN"
	printf 'Package: %s\nVersion: %s\nArchitecture: %s\nMaintainer: t <t@t>\nDescription: t\n' "$p" "$v" "$a" >"$d/DEBIAN/control"
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
		echo "include /usr/src/linux-headers-${rel%-"$a"}-common/Makefile" >"$d/usr/src/$p/Makefile" ;;
	linux-kbuild-*) mkdir -p "$d/usr/lib/$p"; echo "kbuild $a" >"$d/usr/lib/$p/x" ;;
	esac
	dpkg-deb -Zgzip --root-owner-group -b "$d" "${p}_${v}_$a.deb" >/dev/null || exit 100
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
export FAKE_LOG=$tmp/apt-get.log FAKE_LISTS=$tmp/lists FAKE_UPDATE_LOG=$tmp/update.log
mkdir -p "$FAKE_LISTS"
# The host's apt sources, as scripts/apt-arch reads them: a mirror for bookworm, a trixie
# line and a deb-src line it must leave out, the other two suites unlisted.
export GUPBENCH_HOST_APT=$tmp/etc-apt
mkdir -p "$GUPBENCH_HOST_APT/sources.list.d"
cat >"$GUPBENCH_HOST_APT/sources.list" <<'EOF'
deb [arch=amd64] http://mirror.example/debian/ bookworm main contrib
deb-src http://src.example/debian bookworm-updates main
deb http://deb.debian.org/debian trixie main
EOF
# state STATE: the archive (and the fake apt lists) in that recorded state
state() {
	cmp -s "$FIX/$1.madison" "$FAKE_LISTS/fake_Packages" || cp "$FIX/$1.madison" "$FAKE_LISTS/fake_Packages"
}
# fetch STATE APT_GET CACHE KIND [ARGS...]: run kernel-fetch; sets rc, out, err
fetch() {
	: >"$FAKE_LOG"
	: >"$FAKE_UPDATE_LOG"
	state "$1"
	out=$(PATH=$tmp/bin:$PATH FAKE_MADISON=$FIX/$1.madison FAKE_APT_GET=$2 GUPBENCH_CACHE=$3 \
		"$FETCH" "${@:5}" "${4:-deb-6.1}" 2>"$tmp/err")
	rc=$?
	err=$(cat "$tmp/err")
}
var() { (eval "$out"; eval "echo \"\${$1}\""); }
flat() { tr '\n' ' ' <<<"$1"; }

plan 35
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

# --arch arm64: resolved and downloaded through the private apt state; the amd64 kbuild of
# the same version (from the host's apt, or the amd64 kernel cache) in the headers' tree.
A64=arm64-today-2026-11-29
a64_set="linux-image-6.1.0-57-arm64=6.1.192-3 linux-headers-6.1.0-57-arm64=6.1.192-3 linux-headers-6.1.0-57-common=6.1.192-3 linux-kbuild-6.1=6.1.192-3"
c4=$tmp/cache4
fetch $A64 ok "$c4" deb-6.1 --arch arm64
[ $rc -eq 0 ] && [ "$(var KARCH)" = arm64 ] && [ "$(var KRELEASE)" = 6.1.0-57-arm64 ] &&
	[ "$(var KERNEL_PKGS)" = "$a64_set" ] && [ "$(var KBUILD_HOST)" = linux-kbuild-6.1:amd64=6.1.192-3 ] &&
	[ "$(var KCACHE)" = "$c4/kernels/6.1.0-57-arm64" ]
ok $? "arm64: the signed 6.1.0-57-arm64 set, KARCH='arm64', KBUILD_HOST (got $rc: $(flat "$out") $(tail -n 1 <<<"$err"))"
[ "$(cat "$FAKE_LOG")" = "$a64_set"$'\n'"linux-kbuild-6.1:amd64=6.1.192-3" ] && [ "$(cat "$FAKE_UPDATE_LOG")" = "update arm64" ]
ok $? "arm64: private lists updated, the set downloaded there, the amd64 kbuild from the host's apt ($(flat "$(cat "$FAKE_UPDATE_LOG" "$FAKE_LOG")"))"
r4=$c4/kernels/6.1.0-57-arm64/root
[ "$(cat "$r4/usr/lib/linux-kbuild-6.1/x")" = "kbuild amd64" ] && [ "$(cat "$r4/usr/lib/linux-kbuild-6.1.arm64/x")" = "kbuild arm64" ] &&
	grep -qxF "include $r4/usr/src/linux-headers-6.1.0-57-common/Makefile" "$(var KDIR)/Makefile" && [ -f "$(var VMLINUZ)" ]
ok $? "arm64: the amd64 kbuild in usr/lib/linux-kbuild-6.1, the arm64 one beside it, the Makefile pointed into the tree"
printf '%s\n' "deb [arch=arm64 signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://mirror.example/debian bookworm main" \
	"deb [arch=arm64 signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian bookworm-updates main" \
	"deb [arch=arm64 signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian-security bookworm-security main" >"$tmp/want.list"
diff -u "$tmp/want.list" "$c4/apt/arm64/etc/apt/sources.list" >"$tmp/diff"
ok $? "arm64: the private sources: the host's bookworm mirror, deb.debian.org for the suites it lacks, no trixie ($(flat "$(cat "$tmp/diff")"))"
first4=$out
fetch $A64 ok "$c4" deb-6.1 --arch arm64
[ $rc -eq 0 ] && [ "$out" = "$first4" ] && [ ! -s "$FAKE_LOG" ] && [ ! -s "$FAKE_UPDATE_LOG" ]
ok $? "arm64: a second call: same lines, no update (lists under a day old), no download (exit $rc)"
fetch $A64 ok "$c0" deb-6.12 --arch arm64
[ $rc -eq 0 ] && [ "$(var KERNEL_PKG)" = linux-image-6.12.117+deb12-arm64 ] &&
	[ "$(cat "$FAKE_LOG")" = "linux-image-6.12.117+deb12-arm64=6.12.117-1~deb12u1 linux-headers-6.12.117+deb12-arm64=6.12.117-1~deb12u1 linux-headers-6.12.117+deb12-common=6.12.117-1~deb12u1 linux-kbuild-6.12.117+deb12=6.12.117-1~deb12u1" ] &&
	grep -q "linux-kbuild-6.12.117+deb12:amd64=.*from the amd64 kernel in $c0/kernels/6.12.117+deb12-amd64" <<<"$err" &&
	[ "$(cat "$c0/kernels/6.12.117+deb12-arm64/root/usr/lib/linux-kbuild-6.12.117+deb12/x")" = "kbuild amd64" ]
ok $? "arm64 deb-6.12: the amd64 kbuild copied from the amd64 kernel of that version (got $rc: $(flat "$(cat "$FAKE_LOG")"))"
fetch today-2026-11-29 ok "$c0" deb-6.12
[ $rc -eq 0 ] && [ "$(var KARCH)" = amd64 ] && [ "$(var KRELEASE)" = 6.12.117+deb12-amd64 ]
ok $? "amd64 next to it: its own kernel, KARCH='amd64' ($(var KRELEASE))"
fetch $A64 ok "$c1" deb-6.1 --arch arm64 --madison
[ $rc -eq 0 ] && [ -n "$out" ] && [ "$(sort <<<"$out")" = "$(grep -E '^linux-(image|headers|kbuild)-6\.1([.-]| )' "$FIX/$A64.madison" | sort)" ]
ok $? "arm64 --madison: the arm64 lines of the 6.1 line ($(wc -l <<<"$out") lines)"
c5=$tmp/cache5
export FAKE_APT_UPDATE=unreachable
fetch $A64 ok "$c5" deb-6.1 --arch arm64
[ $rc -eq 3 ] && [ -z "$out" ] && [ "$(wc -l <<<"$err")" -eq 1 ] &&
	grep -q "^kernel-fetch: unreachable: apt-get update for arm64: W: Failed to fetch .*Temporary failure resolving.*no deb-6.1 arm64 kernel is cached" <<<"$err"
ok $? "arm64, the archive unreachable, no lists and nothing cached: exit 3, one line (got $rc: $err)"
rm -f "$c4"/apt/arm64/lists/*_Packages "$c4/apt/arm64/updated"
fetch $A64 ok "$c4" deb-6.1 --arch arm64
[ $rc -eq 0 ] && [ "$out" = "$first4" ] && grep -q 'cannot be reached .*using the cached 6.1.0-57-arm64' <<<"$err"
ok $? "... with an arm64 kernel cached: that one (got $rc: $(tail -n 1 <<<"$err"))"
fetch empty ok "$c4" deb-6.1
[ $rc -eq 3 ] && grep -q "no deb-6.1 kernel is cached" <<<"$err"
ok $? "amd64 unreachable with only an arm64 kernel cached: exit 3, the arm64 one is no fallback (got $rc)"
rm -f "$c1"/apt/arm64/lists/*_Packages "$c1/apt/arm64/updated"
fetch $A64 ok "$c1" deb-6.1 --arch arm64
[ $rc -eq 3 ] && grep -q "no deb-6.1 arm64 kernel is cached" <<<"$err"
ok $? "arm64 unreachable with only an amd64 6.1 kernel cached: exit 3 (got $rc)"
unset FAKE_APT_UPDATE
sed -i '/^KARCH=/d' "$c4/kernels/6.1.0-57-arm64/stamp"
fetch $A64 ok "$c4" deb-6.1 --arch arm64
[ $rc -eq 0 ] && [ "$out" = "$first4" ] && [ ! -s "$FAKE_LOG" ]
ok $? "a stamp without KARCH gets it back, nothing downloaded (got $rc)"
PATH=$tmp/bin:$PATH "$FETCH" --arch i386 deb-6.1 >/dev/null 2>&1
[ $? -eq 2 ]; ok $? "an unknown architecture is a usage error"

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
