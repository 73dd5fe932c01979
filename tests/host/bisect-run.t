#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# scripts/bisect-run under `git bisect run`, on a fake "kernel tree": each commit holds
# the ns per page its "kernel" costs; --build "builds" it (or fails, on one commit) and
# --run writes a gupbench result whose samples are that cost, with some run-to-run noise.
# The bisection must name the commit that made it 10% slower, and skip the broken one.
. "$(dirname "$0")/../lib.sh"
need_tools jq git
[ -x "$GUPBENCH" ] || skip_all "bench/gupbench not built"
tmp=$(mktemp -d)
trap '[ -n "${KEEP:-}" ] || rm -rf "$tmp"' EXIT

plan 8
# a real result of this tool, as the template of the synthetic ones
"$GUPBENCH" run -q --driver futex --backing anon --state warm --size 64k --samples 7 \
	--warmup 0 --count 0 --format json -o "$tmp/template.json" >/dev/null 2>"$tmp/template.err"
jq -e '.cases[0].status == "ok"' "$tmp/template.json" >/dev/null 2>&1
ok $? "a template result from the futex driver ($(head -c 150 "$tmp/template.err"))"

# synth COST RUN OUT: the template with 7 samples around COST ns/page; RUN shifts the run
# (between-run noise of a few percent) and each sample jitters (within-run noise)
cat >"$tmp/synth" <<'EOF'
#!/bin/bash
jq --argjson c "$1" --argjson r "$2" '
	def s: [range(7)] | map($c * (1 + 0.015 * (($r % 5) - 2)) * (1 + 0.004 * ((. * 3) % 7 - 3)));
	.cases[0].pin.samples_ns_per_page = s
	| .cases[0].pin.ns_per_page.median = (s | sort | .[3])' "$(dirname "$0")/template.json" >"$3"
EOF
chmod +x "$tmp/synth"
for r in 1 2 3 4 5; do "$tmp/synth" 100 "$r" "$tmp/base$r.json"; done
mkdir -p "$tmp/base" && mv "$tmp"/base?.json "$tmp/base/"
[ "$(ls "$tmp/base" | wc -l)" = 5 ]
ok $? "five baseline runs at 100 ns/page"

# the fake tree: commits 1..10; 7 makes it 10% slower; 5 (where a bisection of 1..10
# starts) does not build
tree=$tmp/linux
git init -q "$tree"
for i in 1 2 3 4 5 6 7 8 9 10; do
	cost=100
	[ "$i" -lt 7 ] || cost=110
	echo "$cost" >"$tree/cost"
	echo "$i" >"$tree/VERSION"
	if [ "$i" = 5 ]; then echo broken >"$tree/BROKEN"; else rm -f "$tree/BROKEN"; fi
	git -C "$tree" add -A
	git -C "$tree" -c user.name=t -c user.email=t@t commit -q -m "commit $i"
done
bad=$(git -C "$tree" rev-parse HEAD) good=$(git -C "$tree" rev-list --max-parents=0 HEAD)
first_bad=$(git -C "$tree" log --format=%H --grep='^commit 7$')
build='[ ! -e BROKEN ] && echo "KBUILD=$PWD"'
# the run number of this commit's step goes into the noise
run='n=$(ls "$(dirname "$GUPBENCH_OUT")" | wc -l); '"$tmp/synth"' "$(cat "$KBUILD/cost")" "$n" "$GUPBENCH_OUT"'

(
	cd "$tree" &&
		git bisect start "$bad" "$good" >/dev/null &&
		git bisect run "$TOP/scripts/bisect-run" --baseline "$tmp/base" --mode wall --runs 3 \
			--build "$build" --run "$run" --keep "$tmp/steps" >"$tmp/bisect.out" 2>"$tmp/bisect.err"
)
rc=$?
[ $rc = 0 ]
ok $? "git bisect run finishes (exit $rc: $(tail -n 1 "$tmp/bisect.err"))"
grep -q "^$first_bad is the first bad commit" "$tmp/bisect.out"
ok $? "it names commit 7, the 10% slower one ($(grep -m1 'first bad commit' "$tmp/bisect.out"))"
c5=$(git -C "$tree" log --format=%h --abbrev=12 --grep="^commit 5$")
# (its step's folder exists, with no run in it: the build failed)
[ -d "$tmp/steps/$c5" ] && [ -z "$(ls -A "$tmp/steps/$c5/runs" 2>/dev/null)" ] &&
	! grep -q "There are only 'skip'ped commits left" "$tmp/bisect.out"
ok $? "it met the commit that does not build, skipped it and went on"

# the steps, one by one: the answers and what each said
(cd "$tree" && git bisect reset >/dev/null 2>&1)
c4=$c5
(cd "$tree" && git checkout -q "$c4" &&
	"$TOP/scripts/bisect-run" --baseline "$tmp/base" --mode wall --runs 3 --build "$build" \
		--run "$run" >/dev/null 2>"$tmp/c4.err")
rc=$?
[ $rc = 125 ] && grep -q 'skip: .*the build failed' "$tmp/c4.err"
ok $? "a commit that does not build is skipped: 125 ($rc: $(tail -n 1 "$tmp/c4.err"))"
(cd "$tree" && git checkout -q "$bad" &&
	"$TOP/scripts/bisect-run" --baseline "$tmp/base" --mode wall --runs 3 --build "$build" \
		--run "$run" >/dev/null 2>"$tmp/c10.err")
rc=$?
[ $rc = 1 ] && grep -q 'regressed' "$tmp/c10.err"
ok $? "the slow commit is bad: 1, and compare's table says regressed ($rc)"
(cd "$tree" && "$TOP/scripts/bisect-run" --baseline "$tmp/nonexistent" >/dev/null 2>"$tmp/usage.err")
rc=$?
[ $rc = 128 ] && [ "$(wc -l <"$tmp/usage.err")" = 1 ]
ok $? "bad usage stops a bisection: 128 and one line ($rc: $(cat "$tmp/usage.err"))"
done_testing
