#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# scripts/kernel-build without building a kernel (--prepare-only): bad usage, --revert in
# a temporary clone that leaves the user's git tree exactly as it was, a revert or patch
# that does not apply, and a patch left in the cached source by a killed build, taken back
# (content and mtimes) by the next call. Then the project's own series patches against
# Debian's current sources (skipped, and noted, only if Debian's archive is out of reach).
. "$(dirname "$0")/../lib.sh"
need_tools git patch
KB=$TOP/scripts/kernel-build
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export GUPBENCH_CACHE=$tmp/cache

plan 20

# -- bad usage: exit 2, one line
t=0
for args in "--source deb-5.10" "--source deb-6.12 --revert abc" "--tree /nonexistent" \
	"--series maybe" "--name a/b" "-j 0" "--bogus"; do
	# shellcheck disable=SC2086
	"$KB" $args --prepare-only >"$tmp/o" 2>"$tmp/e"
	rc=$?
	[ $rc -eq 2 ] && [ "$(wc -l <"$tmp/e")" -eq 1 ] && [ ! -s "$tmp/o" ] || { t=1; diag "$args: rc $rc: $(cat "$tmp/e")"; }
done
ok $t "bad usage: exit 2 with one line, nothing on stdout (7 cases)"

# -- a throwaway git tree with three commits; the second is reverted
g=$tmp/tree
mkdir -p "$g/mm"
git -C "$g" init -q
gitc() { git -C "$g" -c user.name=t -c user.email=t@t -c commit.gpgsign=false "$@"; }
printf 'VERSION = 6\nPATCHLEVEL = 99\n' >"$g/Makefile"
printf 'int a;\nint b;\nint c;\n' >"$g/mm/gup.c"
gitc add -A && gitc commit -q -m one
sed -i 's/int b;/int b = 2;/' "$g/mm/gup.c"
gitc commit -q -am two
c2=$(git -C "$g" rev-parse HEAD)
printf 'int d;\n' >>"$g/mm/gup.c"
gitc commit -q -am three
head=$(git -C "$g" rev-parse HEAD)
# the user's uncommitted work, and a state fingerprint of the whole tree and its .git
echo "int wip;" >>"$g/mm/gup.c"
fp() { (cd "$g" && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum
	git worktree list --porcelain; git --no-optional-locks status --porcelain) | sha256sum; }
before=$(fp)
touch "$tmp/stamp"
"$KB" --tree "$g" --revert "$c2" --prepare-only >"$tmp/o" 2>"$tmp/e"
rc=$?
ok $rc "--tree --revert --prepare-only exits 0 ($(tail -n 1 "$tmp/e"))"
written=$(find "$g" -newer "$tmp/stamp" | head -n 3)
[ -z "$written" ]
ok $? "nothing in the user's tree or its .git was written during the run ($written)"
after=$(fp)
[ "$before" = "$after" ]
ok $? "the user's tree, index, refs and .git are as they were, uncommitted work included"
eval "$(cat "$tmp/o")"
[ "$KSRC_VERSION" = "$head" ] && [[ $KVARIANT == custom-* ]]
ok $? "source is HEAD ($KSRC_VERSION), variant named from the patch ($KVARIANT)"
grep -q '^-int b = 2;' "$KPATCHES" && grep -q '^+int b;' "$KPATCHES" &&
	[ "$(grep -c '^[-+][^-+]' "$KPATCHES")" -eq 2 ] && ! grep -q wip "$KPATCHES"
ok $? "the variant's patch is the revert of the second commit only"
src=$(ls -d "$GUPBENCH_CACHE"/ksrc/tree-tree_*/tree)
grep -q 'int b = 2;' "$src/mm/gup.c" && ! grep -q wip "$src/mm/gup.c" && [ ! -e "$src/.git" ]
ok $? "the cached source is the commit (git archive), without the uncommitted work or .git"
[ ! -e "$src/.gupbench-applied" ] && grep -q 'int b = 2;' "$src/mm/gup.c"
ok $? "the revert was applied and taken back out of the cached source"
"$KB" --tree "$g" --revert "$c2" --name no-b --prepare-only >"$tmp/o" 2>"$tmp/e"
grep -q '^KVARIANT=no-b$' "$tmp/o"
ok $? "--name names the variant"

# -- a revert that does not apply: exit 1, one line, the tree still untouched
# a fourth commit changes the line the second one made: reverting the second conflicts
cp "$g/mm/gup.c" "$tmp/wip.c"
git -C "$g" checkout -q -- mm/gup.c
sed -i 's/int b = 2;/int b = 3;/' "$g/mm/gup.c"
gitc commit -q -am four
cp "$tmp/wip.c" "$g/mm/gup.c"
sed -i 's/int b = 2;/int b = 3;/' "$g/mm/gup.c"
before=$(fp)
"$KB" --tree "$g" --revert "$c2" --prepare-only >"$tmp/o" 2>"$tmp/e"
rc=$?
[ $rc -eq 1 ] && [ "$(wc -l <"$tmp/e")" -le 2 ] && grep -q 'does not apply cleanly' "$tmp/e"
ok $? "a revert that conflicts: exit 1 naming it (rc $rc: $(tail -n 1 "$tmp/e"))"
[ "$before" = "$(fp)" ]
ok $? "... and the user's tree is still untouched"

# -- --patch that does not apply: exit 1, nothing left applied
head2=$(git -C "$g" rev-parse HEAD)
cat >"$tmp/bad.patch" <<'EOF'
--- a/mm/gup.c
+++ b/mm/gup.c
@@ -1,3 +1,3 @@
 int nothing;
-int like;
+int this;
 int here;
EOF
"$KB" --tree "$g" --patch "$tmp/bad.patch" --prepare-only >"$tmp/o" 2>"$tmp/e"
rc=$?
src2=$(ls -d "$GUPBENCH_CACHE"/ksrc/tree-tree_"${head2:0:12}"/tree)
[ $rc -eq 1 ] && grep -q 'does not apply' "$tmp/e" && [ ! -e "$src2/.gupbench-applied" ]
ok $? "a patch that does not apply: exit 1, nothing left applied (rc $rc)"
cmp -s "$src2/mm/gup.c" <(git -C "$g" show "$head2:mm/gup.c")
ok $? "... and the cached source is the commit again"

# -- a build killed with its patch applied: the next call takes it back, mtimes included
cat >"$tmp/good.patch" <<'EOF'
--- a/mm/gup.c
+++ b/mm/gup.c
@@ -1,2 +1,2 @@
-int a;
+int a = 7;
 int b;
EOF
touch -d '2020-01-01 00:00:00' "$src2/mm/gup.c"
m0=$(stat -c %Y "$src2/mm/gup.c")
mkdir -p "$src2/.gupbench-applied"
printf '%s\t%s\n' "$m0" mm/gup.c >"$src2/.gupbench-applied/mtimes"
cp "$tmp/good.patch" "$src2/.gupbench-applied/01.patch"
patch -d "$src2" -p1 -s <"$tmp/good.patch" && echo 1 >"$src2/.gupbench-applied/applied"
grep -q 'int a = 7;' "$src2/mm/gup.c"
ok $? "(set-up: a patch left applied, as by a killed build)"
"$KB" --tree "$g" --prepare-only >"$tmp/o" 2>"$tmp/e"
rc=$?
[ $rc -eq 0 ] && cmp -s "$src2/mm/gup.c" <(git -C "$g" show "$head2:mm/gup.c") && [ ! -e "$src2/.gupbench-applied" ]
ok $? "the next call takes the leftover patch back (rc $rc)"
[ "$(stat -c %Y "$src2/mm/gup.c")" = "$m0" ]
ok $? "... and gives the file its old mtime back (the build folders stay up to date)"
grep -q '^KVARIANT=base$' "$tmp/o"
ok $? "no patch: the variant is base"

# -- the project's series patches against Debian's current sources (the real cache: the
# VM tests build from the same sources)
unset GUPBENCH_CACHE
unreach=""
for s in deb-6.12:off deb-6.1:on; do
	"$KB" --source "${s%:*}" --series "${s#*:}" --prepare-only >"$tmp/o" 2>"$tmp/e"
	rc=$?
	if [ $rc -eq 3 ]; then
		unreach="$unreach ${s%:*}"
		skip "kernel/patches for ${s%:*} apply to Debian's source" "$(tail -n 1 "$tmp/e")"
		continue
	fi
	[ $rc -eq 0 ] && grep -q "^KVARIANT=series-${s#*:}$" "$tmp/o"
	ok $? "${s%:*} --series ${s#*:}: the project's patch applies to Debian's current source and comes back out (rc $rc: $(tail -n 1 "$tmp/e"))"
done
[ -z "$unreach" ] || note_unreachable "linux-source:$unreach: Debian's archive cannot be reached"
"$KB" --source deb-6.12 --series on --prepare-only >"$tmp/o" 2>"$tmp/e"
rc=$?
if [ $rc -eq 3 ]; then skip "--series on for 6.12 is its base" "archive unreachable"; else
	grep -q '^KVARIANT=base$' "$tmp/o" && grep -q "^KPATCHES=''$" "$tmp/o"
	ok $? "6.12 --series on is the source as it is: base, no patch"
fi
done_testing
