#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# scripts/sysroot-fetch offline, with a fake apt-cache (answering `show` from a recorded
# arm64 state, tests/fixtures/apt/arm64-sysroot-2026-11-29.show) and a fake apt-get
# (update into the private state, download building tiny .debs, or failing as apt does
# without network) first on PATH; both refuse to work outside the private arm64 state.
# What it downloads, prints and caches, its dependency check, the symlinks it makes
# relative, and its exit status: 3 only when the archive cannot be reached and nothing
# is cached.
. "$(dirname "$0")/../lib.sh"
need_tools dpkg-deb
FETCH=$TOP/scripts/sysroot-fetch
FIX=$TOP/tests/fixtures/apt/arm64-sysroot-2026-11-29.show
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/bin"

cat >"$tmp/bin/fake-opts" <<'EOF'
opts=()
for ((i = 1; i < $#; i++)); do
	[ "${!i}" = -o ] || continue
	j=$((i + 1)); opts+=("${!j}")
done
priv=$GUPBENCH_CACHE/apt/arm64
for want in "Dir::State=$priv" "Dir::State::Lists=$priv/lists" "Dir::State::status=$priv/dpkg/status" \
	"APT::Architecture=arm64" "APT::Architectures=arm64"; do
	[[ " ${opts[*]} " == *" $want "* ]] || { echo "E: fake apt: without $want" >&2; exit 100; }
done
EOF
# apt-cache show --no-all-versions NAME...: the stanzas of the private lists
cat >"$tmp/bin/apt-cache" <<'EOF'
#!/bin/bash
. "$(dirname "$0")/fake-opts"
while [ "${1:-}" = -o ]; do shift 2; done
[ "$1 $2" = "show --no-all-versions" ] || exit 100
shift 2
lists=$priv/lists/fake_Packages
[ -f "$lists" ] || { echo "E: No packages found" >&2; exit 100; }
awk -v names=" $* " 'BEGIN { RS = ""; ORS = "\n\n" }
	{ split($0, f, "\n"); n = f[1]; sub(/^Package: /, "", n) }
	index(names, " " n " ") { print; found[n] = 1 }
	END { for (i = split(names, a, " "); i > 0; i--) if (!(a[i] in found)) miss = 1; exit miss ? 100 : 0 }' "$lists"
EOF
# apt-get update: $FAKE_APT_UPDATE ok (lists from $FAKE_SHOW) or unreachable; apt-get
# download P=V...: $FAKE_APT_GET ok, unreachable or 404. A lib's .deb has its library
# (libcrypt1 in /lib), libcrypt-dev an absolute link to it, as Debian's do.
cat >"$tmp/bin/apt-get" <<'EOF'
#!/bin/bash
. "$(dirname "$0")/fake-opts"
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
	echo update >>"$FAKE_UPDATE_LOG"
	if [ "${FAKE_APT_UPDATE:-ok}" = unreachable ]; then
		echo "Err:1 http://deb.debian.org/debian bookworm InRelease"
		echo "  Temporary failure resolving 'deb.debian.org'"
		echo "W: Failed to fetch http://deb.debian.org/debian/dists/bookworm/InRelease  Temporary failure resolving 'deb.debian.org'"
		exit 0
	fi
	cp "$FAKE_SHOW" "$priv/lists/fake_Packages"
	exit 0
fi
echo "${args[*]}" >>"$FAKE_LOG"
url=http://deb.debian.org/debian/pool/main/x/x.deb
case ${FAKE_APT_GET:-ok} in
unreachable) echo "E: Failed to fetch $url  Temporary failure resolving 'deb.debian.org'"; exit 100 ;;
404) echo "E: Failed to fetch $url  404  Not Found [IP: 151.101.2.132 80]"; exit 100 ;;
esac
t=usr/lib/aarch64-linux-gnu
for a in "${args[@]}"; do
	p=${a%%=*} v=${a#*=} d=$(mktemp -d)
	mkdir -p "$d/DEBIAN" "$d/$t" "$d/lib/aarch64-linux-gnu"
	printf 'Package: %s\nVersion: %s\nArchitecture: arm64\nMaintainer: t <t@t>\nDescription: t\n' "$p" "$v" >"$d/DEBIAN/control"
	case $p in
	libcrypt1) echo so >"$d/lib/aarch64-linux-gnu/libcrypt.so.1" ;;
	libcrypt-dev) ln -s /lib/aarch64-linux-gnu/libcrypt.so.1 "$d/$t/libcrypt.so" ;;
	lib*) echo so >"$d/$t/$p.so" ;;
	*) mkdir -p "$d/bin"; echo prog >"$d/bin/$p" ;;
	esac
	dpkg-deb -Zgzip --root-owner-group -b "$d" "${p}_${v}_arm64.deb" >/dev/null || exit 100
	rm -rf "$d"
done
EOF
cat >"$tmp/bin/apt-config" <<'EOF'
#!/bin/bash
exit 0
EOF
chmod +x "$tmp/bin/apt-cache" "$tmp/bin/apt-get" "$tmp/bin/apt-config"
export FAKE_LOG=$tmp/download.log FAKE_UPDATE_LOG=$tmp/update.log FAKE_SHOW=$FIX
export GUPBENCH_HOST_APT=$tmp/etc-apt
mkdir -p "$GUPBENCH_HOST_APT"
echo 'deb http://deb.debian.org/debian bookworm main' >"$GUPBENCH_HOST_APT/sources.list"

# fetch CACHE [ARGS...]: run sysroot-fetch --arch arm64; sets rc, out, err
fetch() {
	local c=$1
	shift
	: >"$FAKE_LOG"
	: >"$FAKE_UPDATE_LOG"
	out=$(PATH=$tmp/bin:$PATH GUPBENCH_CACHE=$c "$FETCH" --arch arm64 "$@" 2>"$tmp/err")
	rc=$?
	err=$(cat "$tmp/err")
}
var() { (eval "$out"; eval "echo \"\${$1}\""); }
# The set: the 21 packages the script asks for, in the fixture's versions.
set21=$(for p in bash busybox-static jq libc6 libc6-dev libcrypt-dev libcrypt1 libgcc-s1 \
	libhwloc-dev libhwloc15 libjq1 libjson-c-dev libjson-c5 libltdl7 libnuma-dev libnuma1 \
	libonig5 libtinfo6 libudev-dev libudev1 linux-libc-dev; do
	printf '%s=%s ' "$p" "$(awk -v p="$p" '$1 == "Package:" { n = $2 } n == p && $1 == "Version:" { print $2 }' "$FIX")"
done)
set21=${set21% }

plan 16
c1=$tmp/cache1
fetch "$c1"
s=$(var SYSROOT)
[ $rc -eq 0 ] && [ "$(var SYSROOT_ARCH)" = arm64 ] && [ "$(var SYSROOT_PKGS)" = "$set21" ] &&
	[[ $s == "$c1"/sysroot/arm64-????????????/root ]] && [ -f "$s/bin/bash" ]
ok $? "exit 0, SYSROOT under the cache, SYSROOT_ARCH, SYSROOT_PKGS the set (got $rc: $(tail -n 1 <<<"$err"))"
[ "$(cat "$FAKE_UPDATE_LOG")" = update ] && [ "$(cat "$FAKE_LOG")" = "$set21" ]
ok $? "the private lists updated, the set downloaded through them, one apt-get call"
[ "$(readlink "$s/usr/lib/aarch64-linux-gnu/libcrypt.so")" = ../../../lib/aarch64-linux-gnu/libcrypt.so.1 ] &&
	[ -f "$s/usr/lib/aarch64-linux-gnu/libcrypt.so" ] && [ -z "$(find "$s" -type l -lname '/*')" ]
ok $? "absolute links made relative, into the sysroot ($(readlink "$s/usr/lib/aarch64-linux-gnu/libcrypt.so"))"
[ "$(cat "$(dirname "$s")/stamp")" = "$out" ] && [ -z "$(find "$c1/sysroot" -maxdepth 1 -name '.arm64-*' -type d)" ]
ok $? "the stamp holds the lines; no temporary folder left"
first=$out
fetch "$c1"
[ $rc -eq 0 ] && [ "$out" = "$first" ] && [ ! -s "$FAKE_LOG" ] && [ ! -s "$FAKE_UPDATE_LOG" ]
ok $? "a second call: same lines, no update, no download (exit $rc)"

# A runtime library missing from the set, or in a version too old: an error naming it.
sed '/^Package: libhwloc15$/,/^$/s/^Depends: .*/&, libxml2 (>= 2.9)/' "$FIX" >"$tmp/needs-xml.show"
FAKE_SHOW=$tmp/needs-xml.show fetch "$tmp/cache2"
[ $rc -eq 1 ] && [ -z "$out" ] && [ "$(wc -l <<<"$err")" -eq 1 ] &&
	grep -q '^sysroot-fetch: error: libhwloc15 needs the library libxml2, which is not in' <<<"$err" && [ ! -s "$FAKE_LOG" ]
ok $? "a dependency on a library not in the set: exit 1, one line naming it, nothing downloaded (got $rc: $err)"
sed '/^Package: libxml2$/,/^$/s/^Depends: .*/Depends: libc6 (>= 2.34)/' "$tmp/needs-xml.show" >"$tmp/xml.show"
FAKE_SHOW=$tmp/xml.show fetch "$tmp/cache3" libxml2
[ $rc -eq 0 ] && grep -q ' libxml2=2\.9' <<<"$(var SYSROOT_PKGS)"
ok $? "... named on the command line, it joins the set (got $rc: $(tail -n 1 <<<"$err"))"
sed '/^Package: libjq1$/,/^$/s/^Depends: .*/Depends: libc6 (>= 2.36), libonig5 (>= 9)/' "$FIX" >"$tmp/old-onig.show"
FAKE_SHOW=$tmp/old-onig.show fetch "$tmp/cache4"
[ $rc -eq 1 ] && grep -q '^sysroot-fetch: error: libjq1=.* needs libonig5 (>= 9), the set has libonig5=6\.9' <<<"$err"
ok $? "a library in the set but too old: exit 1 (got $rc: $err)"
grep -q '^Depends: .*base-files' "$FIX" && grep -q '^Depends: .*libltdl-dev' "$FIX"
ok $? "(bash's base-files and libhwloc-dev's libltdl-dev, not libraries, were not asked for above)"
FAKE_SHOW=$FIX fetch "$tmp/cache5" no-such-lib
[ $rc -eq 1 ] && grep -q "^sysroot-fetch: error: apt's arm64 lists have no package no-such-lib" <<<"$err"
ok $? "a package apt does not know: exit 1 (got $rc: $err)"

# The archive out of reach
FAKE_APT_UPDATE=unreachable fetch "$tmp/cache6"
[ $rc -eq 3 ] && [ -z "$out" ] && [ "$(wc -l <<<"$err")" -eq 1 ] &&
	grep -q '^sysroot-fetch: unreachable: apt-get update for arm64: W: Failed to fetch .*no arm64 sysroot is cached' <<<"$err"
ok $? "no lists, nothing cached: exit 3, one line (got $rc: $err)"
rm -f "$c1"/apt/arm64/lists/fake_Packages "$c1/apt/arm64/updated"
FAKE_APT_UPDATE=unreachable fetch "$c1"
[ $rc -eq 0 ] && [ "$out" = "$first" ] && grep -q "cannot be reached .*using the cached arm64-" <<<"$err"
ok $? "... with a sysroot cached: that one, and it says so (got $rc: $(tail -n 1 <<<"$err"))"
FAKE_APT_GET=unreachable fetch "$tmp/cache7"
[ $rc -eq 3 ] && grep -q '^sysroot-fetch: unreachable: apt-get download: E: Failed to fetch .*Temporary failure' <<<"$err"
ok $? "the download cannot resolve the host: exit 3 (got $rc: $(tail -n 1 <<<"$err"))"
FAKE_APT_GET=404 fetch "$tmp/cache7"
[ $rc -eq 1 ] && grep -q '^sysroot-fetch: error: apt-get download failed: .*404' <<<"$err" &&
	[ -z "$(find "$tmp/cache7/sysroot" -mindepth 1 -maxdepth 1 -type d)" ]
ok $? "a 404 from a reachable mirror: exit 1, nothing left in the cache (got $rc: $(tail -n 1 <<<"$err"))"
PATH=$tmp/bin:$PATH "$FETCH" >/dev/null 2>&1
[ $? -eq 2 ]; ok $? "no --arch: usage, exit 2"
PATH=$tmp/bin:$PATH "$FETCH" --arch amd64 >/dev/null 2>&1
[ $? -eq 2 ]; ok $? "--arch amd64: usage, exit 2"
done_testing
