#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# gupbench report and make report: the checked-in REPORT.md is what report/REPORT.in.md
# gives from the checked-in results, byte for byte (a stale REPORT.md fails here);
# expanding is idempotent; a directive that fails is one line and leaves the output as
# it was; image directives (with a stand-in for gupbench plot), fenced output, bad input.
. "$(dirname "$0")/../lib.sh"
[ -x "$GUPBENCH" ] || skip_all "bench/gupbench not built"
tmp=$(mktemp -d)
trap '[ -n "${KEEP:-}" ] || rm -rf "$tmp"' EXIT

plan 14
cd "$TOP" || exit 1
"$GUPBENCH" report -o "$tmp/REPORT.md" 2>"$tmp/gen.err"
rc=$?
cmp -s "$tmp/REPORT.md" REPORT.md
ok $? "report/REPORT.in.md and results/ give the checked-in REPORT.md byte for byte ($rc: $(head -c 200 "$tmp/gen.err"); make report regenerates it)"
"$GUPBENCH" report --check 2>"$tmp/check.err"
ok $? "--check agrees ($(cat "$tmp/check.err"))"
sed -n '/^report:/,/^$/p' Makefile | grep -q '^	@bench/gupbench report$'
ok $? "make report runs bench/gupbench report"
"$GUPBENCH" report -o "$tmp/again.md" REPORT.md 2>/dev/null && cmp -s "$tmp/again.md" REPORT.md
ok $? "expanding REPORT.md itself gives the same bytes (idempotent)"
n=$(grep -cE '^<!-- (!\[[^]]*\] )?gupbench ' report/REPORT.in.md)
[ "$n" -ge 4 ] && [ "$(grep -c '^<!-- end -->$' REPORT.md)" = "$n" ]
ok $? "every directive of the template ($n) has its output and end in REPORT.md"

# a stale report is found, one line
sed 's/+26.8%/+26.9%/' REPORT.md >"$tmp/stale.md"
"$GUPBENCH" report --check -o "$tmp/stale.md" 2>"$tmp/stale.err"
rc=$?
[ $rc = 1 ] && [ "$(wc -l <"$tmp/stale.err")" = 1 ]
ok $? "--check of a stale report: exit 1 and one line ($rc: $(cat "$tmp/stale.err"))"

# the scheme on its own, in a scratch folder: commands run there, globs expand there
mkdir -p "$tmp/w/runs"
cp "$TOP/tests/fixtures/results/v2.json" "$tmp/w/runs/b.json"
cp "$TOP/tests/fixtures/results/v2.json" "$tmp/w/runs/a.json"
cd "$tmp/w" || exit 1
cat >fake-gupbench <<FAKE
#!/bin/bash
# stands in for gupbench plot: writes an image where -o says and prints its path
if [ "\$1" = plot ]; then
	while [ \$# -gt 1 ] && [ "\$1" != -o ]; do shift; done
	echo '<svg xmlns="http://www.w3.org/2000/svg"/>' >"\$2.svg" && echo "\$PWD/\$2.svg"
	exit
fi
exec "$GUPBENCH" "\$@"
FAKE
chmod +x fake-gupbench
cat >in.md <<'IN'
# t
<!-- ![Pin cost per kernel] gupbench plot lines runs/*.json -o fig -->
<!-- end -->
<!-- gupbench plot lines -o other -->
stale text, replaced
<!-- end -->
<!-- gupbench show runs/*.json -->
<!-- end -->
tail
IN
GUPBENCH_REPORT_EXE=$tmp/w/fake-gupbench "$GUPBENCH" report -o out.md in.md 2>err
rc=$?
[ $rc = 1 ] && grep -q "one result file at a time, got also 'runs/b.json'" err && [ ! -e out.md ] &&
	[ "$(wc -l <err)" = 1 ] && grep -q '^gupbench report: in.md:7: <!-- gupbench show runs/\*.json -->' err
ok $? "the glob expands to both files in order, show refuses two: one line naming the directive, no output ($rc: $(cat err))"
sed -i 's|gupbench show runs/\*.json|gupbench show runs/a*.json|' in.md
echo old >out.md
GUPBENCH_REPORT_EXE=$tmp/w/fake-gupbench "$GUPBENCH" report -o out.md in.md 2>err
rc=$?
[ $rc = 0 ] && grep -qxF '![Pin cost per kernel](fig.svg)' out.md && [ -s fig.svg ]
ok $? "an image directive: the printed path becomes a link, relative to the top ($rc: $(grep -m1 '^!\[' out.md))"
grep -qxF '![other](other.svg)' out.md && ! grep -q 'stale text' out.md
ok $? "without a caption the file's name is the caption; the old output is replaced"
sed -n '/^<!-- gupbench show/,/^<!-- end -->/p' out.md >fenced
[ "$(sed -n 3p fenced)" = '```' ] && [ "$(tail -n 3 fenced | head -n 1)" = '```' ] &&
	grep -q '^iouring ' fenced
ok $? "output that is not markdown is fenced, whole"
GUPBENCH_REPORT_EXE=$tmp/w/fake-gupbench "$GUPBENCH" report -o out2.md out.md 2>/dev/null &&
	cmp -s out.md out2.md
ok $? "expanding the output again gives the same bytes"

# failures: one line, output untouched, no temporary left
cp out.md before.md
printf '%s\n' '<!-- gupbench compare runs/a.json -- runs/nothing*.json -->' '<!-- end -->' >bad.md
"$GUPBENCH" report -o out.md bad.md 2>err
rc=$?
[ $rc != 0 ] && [ "$(wc -l <err)" = 1 ] && grep -q 'matches nothing' err && cmp -s out.md before.md &&
	[ -z "$(ls out.md.tmp.* 2>/dev/null)" ]
ok $? "a glob that matches nothing: one line, the output as it was ($rc: $(cat err))"
printf '%s\n' '<!-- gupbench show runs/a.json -->' 'no end' >noend.md
"$GUPBENCH" report -o out.md noend.md 2>err
rc=$?
[ $rc != 0 ] && [ "$(wc -l <err)" = 1 ] && grep -q 'no <!-- end --> line' err && cmp -s out.md before.md
ok $? "a directive without its end: one line ($rc: $(cat err))"
"$GUPBENCH" report in.md extra.md >/dev/null 2>err
rc=$?
[ $rc = 2 ] && [ "$(wc -l <err)" = 1 ]
ok $? "two inputs: usage, exit 2 ($rc: $(cat err))"
done_testing
