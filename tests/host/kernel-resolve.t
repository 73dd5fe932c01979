#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# scripts/kernel-resolve on recorded apt-cache madison outputs (tests/fixtures/apt/): the
# set it picks for each archive state, and its exit status when nothing is usable.
. "$(dirname "$0")/../lib.sh"
RESOLVE=$TOP/scripts/kernel-resolve
FIX=$TOP/tests/fixtures/apt
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# expect FIXTURE KIND STATUS "REL VERSION SUITE IMAGE HEADERS COMMON KBUILD" WHAT
expect() {
	local got rc
	got=$("$RESOLVE" "$2" <"$1" 2>"$tmp/err")
	rc=$?
	[ "$rc" -eq "$3" ] && [ "$got" = "$4" ] && [ "$(wc -l <"$tmp/err")" -eq 1 ]
	ok $? "$5 (exit $rc, got '${got}', said '$(cat "$tmp/err")')"
}
set6_1() { echo "6.1.0-$1-amd64 $2 $3 linux-image-6.1.0-$1-amd64$4 linux-headers-6.1.0-$1-amd64 linux-headers-6.1.0-$1-common linux-kbuild-6.1"; }
set6_12() { echo "6.12.$1+deb12-amd64 $2 $3 linux-image-6.12.$1+deb12-amd64$4 linux-headers-6.12.$1+deb12-amd64 linux-headers-6.12.$1+deb12-common linux-kbuild-6.12.$1+deb12"; }

plan 27
today=$FIX/today-2026-11-29.madison
expect "$today" deb-6.1 0 "$(set6_1 57 6.1.192-3 bookworm-security -unsigned)" \
	"today: 6.1.0-56 (6.1.192-2) lacks its kbuild version, so the -unsigned 6.1.0-57 set"
expect "$today" deb-6.12 0 "$(set6_12 117 6.12.117-1~deb12u1 bookworm-security)" \
	"today: the signed 6.12.117 set, preferred to its -unsigned twin"
expect "$FIX/consistent.madison" deb-6.1 0 "$(set6_1 56 6.1.192-2 bookworm-security)" \
	"consistent archive: the newest signed set, 6.1.0-56"
expect "$FIX/unsigned-only.madison" deb-6.12 0 "$(set6_12 117 6.12.117-1~deb12u1 bookworm-security -unsigned)" \
	"only the -unsigned image of the newest ABI: taken rather than an older ABI"
expect "$FIX/security-lags-main.madison" deb-6.1 0 "$(set6_1 58 6.1.195-1 bookworm)" \
	"bookworm main newer than bookworm-security: main's point release"
expect "$FIX/main-fallback.madison" deb-6.1 0 "$(set6_1 50 6.1.176-1 bookworm)" \
	"no usable set in bookworm-security: bookworm main's 6.1.0-50 (suite: the one holding all four)"
expect "$FIX/older-abi.madison" deb-6.12 0 "$(set6_12 115 6.12.115-2~deb12u1 bookworm-security)" \
	"newest 6.12 ABI without its kbuild: the previous ABI"
expect "$FIX/older-abi.madison" deb-6.1 0 "$(set6_1 50 6.1.176-1 bookworm)" \
	"6.1.0-57 without -common headers, 56 and 55 without their kbuild: back to 6.1.0-50"
expect "$FIX/nothing-usable.madison" deb-6.1 1 "" "no kbuild package at all: exit 1 (deb-6.1)"
expect "$FIX/nothing-usable.madison" deb-6.12 1 "" "no kbuild package at all: exit 1 (deb-6.12)"
expect "$FIX/empty.madison" deb-6.1 3 "" "apt knows no kernel package: exit 3"
said=$("$RESOLVE" deb-6.1 <"$FIX/nothing-usable.madison" 2>&1 >/dev/null)
grep -q 'linux-image-6.1.0-57-amd64-unsigned 6.1.192-3 has no linux-kbuild-6.1 in that version' <<<"$said"
ok $? "the failure names what the newest image lacks ($said)"

# Hand-made states, each one apt line per package.
line() { echo "$1 | $2 | http://deb.debian.org/debian${3:+-security} bookworm${3:+-security}/main amd64 ${4:-Packages}"; }
{
	line linux-image-6.1.0-60-amd64 6.1.200-1 s
	line linux-headers-6.1.0-60-amd64 6.1.200-1 s
	line linux-headers-6.1.0-60-common 6.1.200-1 s
	line linux-kbuild-6.1 6.1.200-1 s Sources
	line linux-image-6.1.0-59-amd64 6.1.199-1 s
	line linux-headers-6.1.0-59-amd64 6.1.199-1 s
	line linux-headers-6.1.0-59-common 6.1.199-1 s
	line linux-kbuild-6.1 6.1.199-1 s
} >"$tmp/src.madison"
expect "$tmp/src.madison" deb-6.1 0 "$(set6_1 59 6.1.199-1 bookworm-security)" \
	"a deb-src line does not count as a downloadable version"
{
	line linux-image-6.1.0-60-amd64 6.1.200-1 s
	line linux-image-6.1.0-60-amd64 6.1.200-1
	line linux-headers-6.1.0-60-amd64 6.1.200-1 s
	line linux-headers-6.1.0-60-amd64 6.1.200-1
	line linux-headers-6.1.0-60-common 6.1.200-1
	line linux-kbuild-6.1 6.1.200-1
} >"$tmp/split.madison"
expect "$tmp/split.madison" deb-6.1 0 "$(set6_1 60 6.1.200-1 bookworm)" \
	"the same version in two suites: the suite that holds the whole set is recorded"
{
	line linux-image-6.1.0-60-amd64 6.1.200-1 s
	line linux-headers-6.1.0-60-amd64 6.1.200-1 s
	line linux-headers-6.1.0-60-common 6.1.200-1
	line linux-kbuild-6.1 6.1.200-1
} >"$tmp/mixed.madison"
expect "$tmp/mixed.madison" deb-6.1 0 "$(set6_1 60 6.1.200-1 bookworm,bookworm-security)" \
	"a set spread over two suites records both"
{
	line linux-image-6.1.0-60-amd64 6.1.200-1 s
	line linux-headers-6.1.0-60-amd64 6.1.200-1 s
	line linux-headers-6.1.0-60-common 6.1.200-1 s
	line linux-kbuild-6.1 6.1.200-2 s
	line linux-image-6.1.0-60-cloud-amd64 6.1.200-2 s
	line linux-image-6.1.0-60-amd64-dbg 6.1.200-2 s
	line linux-image-6.1.0-60-rt-amd64-unsigned 6.1.200-2 s
} >"$tmp/flavours.madison"
expect "$tmp/flavours.madison" deb-6.1 1 "" \
	"cloud, rt and -dbg images are not candidates; a kbuild one revision off is no match"
{
	line linux-image-6.12.9+deb12-amd64 6.12.9-1~deb12u1 s
	line linux-headers-6.12.9+deb12-amd64 6.12.9-1~deb12u1 s
	line linux-headers-6.12.9+deb12-common 6.12.9-1~deb12u1 s
	line linux-kbuild-6.12.9+deb12 6.12.9-1~deb12u1 s
	line linux-image-6.12.10+deb12-amd64 6.12.10-1~deb12u1 s
	line linux-headers-6.12.10+deb12-amd64 6.12.10-1~deb12u1 s
	line linux-headers-6.12.10+deb12-common 6.12.10-1~deb12u1 s
	line linux-kbuild-6.12.10+deb12 6.12.10-1~deb12u1 s
	line linux-image-6.12.10+deb12-amd64 6.12.10-1 s
	line linux-image-6.12.10+deb12-amd64 6.12.10-1~bpo12+1 s
} >"$tmp/order.madison"
expect "$tmp/order.madison" deb-6.12 0 "$(set6_12 10 6.12.10-1~deb12u1 bookworm-security)" \
	"versions compare as Debian's do (6.12.10 > 6.12.9; an image version without its set is passed over)"
# arm64 (recorded through the private arm64 apt state the same day)
a64=$FIX/arm64-today-2026-11-29.madison
expect_arch() {
	local got rc
	got=$("$RESOLVE" --arch "$1" "$3" <"$2" 2>"$tmp/err")
	rc=$?
	[ "$rc" -eq "$4" ] && [ "$got" = "$5" ] && [ "$(wc -l <"$tmp/err")" -eq 1 ]
	ok $? "$6 (exit $rc, got '${got}', said '$(cat "$tmp/err")')"
}
expect_arch arm64 "$a64" deb-6.1 0 "6.1.0-57-arm64 6.1.192-3 bookworm-security linux-image-6.1.0-57-arm64 linux-headers-6.1.0-57-arm64 linux-headers-6.1.0-57-common linux-kbuild-6.1" \
	"arm64 today: the signed 6.1.0-57-arm64 set (arm64 has it signed, amd64 only -unsigned)"
expect_arch arm64 "$a64" deb-6.12 0 "6.12.117+deb12-arm64 6.12.117-1~deb12u1 bookworm-security linux-image-6.12.117+deb12-arm64 linux-headers-6.12.117+deb12-arm64 linux-headers-6.12.117+deb12-common linux-kbuild-6.12.117+deb12" \
	"arm64 today: the signed 6.12.117 set"
expect_arch arm64 "$today" deb-6.1 3 "" "arm64 asked of amd64 packages: none of this line (exit 3)"
expect_arch amd64 "$a64" deb-6.12 3 "" "amd64 asked of arm64 packages: none of this line (exit 3)"
"$RESOLVE" --arch i386 deb-6.1 </dev/null >/dev/null 2>&1
[ $? -eq 2 ]; ok $? "unknown architecture: exit 2"
bad=$(grep -cvE '^linux-[a-z0-9.+-]+ \| +[0-9][^ ]* \| https?://[^ ]+ bookworm(-security|-updates)?/main arm64 Packages$' "$a64")
[ "$bad" -eq 0 ] && [ "$(wc -l <"$a64")" -gt 40 ]
ok $? "the recorded arm64 state has $(wc -l <"$a64") madison lines, all of the live format ($bad not)"

"$RESOLVE" deb-6.1 </dev/null >/dev/null 2>&1
[ $? -eq 3 ]; ok $? "empty input: exit 3"
"$RESOLVE" deb-5.10 </dev/null >/dev/null 2>&1
[ $? -eq 2 ]; ok $? "unknown kernel line: exit 2"
"$RESOLVE" </dev/null >/dev/null 2>&1
[ $? -eq 2 ]; ok $? "no argument: exit 2"

# The recorded state is what kernel-fetch --madison prints: same shape as live output.
bad=$(grep -cvE '^linux-[a-z0-9.+-]+ \| +[0-9][^ ]* \| https?://[^ ]+ bookworm(-security|-updates)?/main amd64 Packages$' "$today")
[ "$bad" -eq 0 ] && [ "$(wc -l <"$today")" -gt 40 ]
ok $? "the recorded state has $(wc -l <"$today") madison lines, all of the live format ($bad not)"
done_testing
