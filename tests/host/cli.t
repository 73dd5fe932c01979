#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Bad input: one line on stderr, exit 2, and a result already written is never lost.
. "$(dirname "$0")/../lib.sh"
[ -x "$GUPBENCH" ] || skip_all "bench/gupbench not built"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

# expect_usage_error DESCRIPTION ARGS...: exit 2 and exactly one line on stderr
expect_usage_error() {
	local what=$1; shift
	"$GUPBENCH" "$@" >"$tmp/out" 2>"$tmp/err"
	local rc=$? lines
	lines=$(wc -l <"$tmp/err")
	[ $rc -eq 2 ] && [ "$lines" -eq 1 ]
	ok $? "$what: exit $rc, $lines line(s): $(head -c 120 "$tmp/err")"
}

plan 67
expect_usage_error "no command"
expect_usage_error "unknown command" frobnicate
expect_usage_error "unknown option" run --bogus
expect_usage_error "unknown driver" run --driver nosuch
expect_usage_error "unknown backing" run --backing anon,nosuch
expect_usage_error "bad size" run --size 12Q
expect_usage_error "zero size" run --size 0
expect_usage_error "unaligned size" run --size 1000
expect_usage_error "negative size" run --size -4k
expect_usage_error "unknown state" run --state tepid
expect_usage_error "bad samples" run --samples 0
expect_usage_error "unknown preset" run --preset huge
expect_usage_error "unknown flag" run --flags WRITE,PINNED
expect_usage_error "unknown op" run --op pin_slow
expect_usage_error "missing value" run --size
expect_usage_error "bad count" run --count -1
# options that belong to a driver are refused when no selected driver takes them
expect_usage_error "--nr-pages for iouring" run --driver iouring --nr-pages 4
expect_usage_error "--op for iouring and futex" run --driver iouring,futex --op pin
expect_usage_error "--flags for futex" run --driver futex --flags WRITE
expect_usage_error "unknown op for kmod" run --driver kmod --op pin_slow
# every subcommand, the same four kinds of bad input, the same one-line form
for cmd in run list show overhead compare history report plot; do
	expect_usage_error "$cmd: unknown option" $cmd --bogus
	expect_usage_error "$cmd: unknown short option" $cmd -Z
	expect_usage_error "$cmd: missing value" $cmd --format
	expect_usage_error "$cmd: unknown format" $cmd --format xml
done
expect_usage_error "list: a format it does not have" list --format csv
expect_usage_error "overhead: a format it does not have" overhead --format table
expect_usage_error "run: unexpected argument" run extra
expect_usage_error "list: unexpected argument" list extra
expect_usage_error "show: a second file" show a.json b.json
expect_usage_error "show: no file" show
expect_usage_error "overhead: a second count" overhead 10 20
expect_usage_error "overhead: bad count" overhead 10x
expect_usage_error "overhead: zero count" overhead 0
expect_usage_error "run: a value for a flag" run --force=yes
# one prefix: "gupbench <cmd>: "
bad=
for cmd in run list show overhead compare history report plot; do
	"$GUPBENCH" $cmd --bogus >/dev/null 2>"$tmp/err"
	grep -q "^gupbench $cmd: unknown option '--bogus'" "$tmp/err" || bad="$bad $cmd"
done
[ -z "$bad" ]
ok $? "every subcommand's message starts 'gupbench <cmd>: '${bad:+ (not:$bad)}"
bad=
for cmd in run list show overhead compare history report plot; do
	"$GUPBENCH" $cmd --help >"$tmp/out" 2>"$tmp/err" && [ ! -s "$tmp/err" ] &&
		grep -q "^usage: gupbench $cmd" "$tmp/out" || bad="$bad $cmd"
done
[ -z "$bad" ]
ok $? "--help of every subcommand: usage on stdout, exit 0${bad:+ (not:$bad)}"

"$GUPBENCH" run --driver iouring --nr-pages 4 >/dev/null 2>"$tmp/err"
grep -q -- '--nr-pages' "$tmp/err" && grep -q iouring "$tmp/err"
ok $? "the refusal names the option and the driver: $(cat "$tmp/err")"

echo '{"precious": true}' >"$tmp/old.json"
"$GUPBENCH" run --driver futex --backing anon --preset quick -q -o "$tmp/old.json" \
	>/dev/null 2>"$tmp/err"
rc=$?
[ $rc -eq 2 ] && grep -q precious "$tmp/old.json"
ok $? "an existing result is not overwritten without --force (exit $rc)"

"$GUPBENCH" show "$tmp/missing.json" >/dev/null 2>"$tmp/err"
rc=$?
[ $rc -ne 0 ] && [ "$(wc -l <"$tmp/err")" -eq 1 ]
ok $? "show of a missing file: exit $rc, one line: $(cat "$tmp/err")"
done_testing
