#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# gupbench plot on the checked-in A/B results (deb-6.12: without the series against with
# it, -icount and wall-clock boots) and the -icount history of results/icount: every kind
# draws a PNG of the size asked (its IHDR) and an SVG that says its size, with NAME.gp and
# NAME.dat beside it; bad input is exit 2, nothing to plot exit 125. The time of compare
# and plot on 20 result files is printed, not checked. Teams: --kind scaling on two runs of
# --threads 1,2,3 --share private,shared, and --kind heatmap on a two-node --cross-node
# fixture (tests/fixtures/results/team): the .dat holds the medians jq finds in the files.
. "$(dirname "$0")/../lib.sh"
need_tools gnuplot od jq
[ -x "$GUPBENCH" ] || skip_all "bench/gupbench not built"
tmp=$(mktemp -d)
trap '[ -n "${KEEP:-}" ] || rm -rf "$tmp"' EXIT
AB=$TOP/results/ab/deb-6.12-20261129
OFF_I=("$AB"/series-off/icount-*/ab.json) BASE_I=("$AB"/base/icount-*/ab.json)
OFF_W=("$AB"/series-off/wall-*/ab.json) BASE_W=("$AB"/base/wall-*/ab.json)
if [ ${#OFF_I[@]} != 3 ] || [ ! -f "${OFF_I[0]}" ] || [ ! -f "${BASE_W[2]}" ]; then
	fail_all "the checked-in results under $AB are missing"
fi

# png_size FILE: "W H" from the IHDR chunk of a PNG; fails if FILE is not one
png_size() {
	local -a b
	read -ra b <<<"$(od -An -tu1 -N24 "$1" | tr '\n' ' ')"
	[ "${#b[@]}" = 24 ] && [ "${b[*]:0:8}" = "137 80 78 71 13 10 26 10" ] &&
		[ "${b[*]:12:4}" = "73 72 68 82" ] || return 1
	echo "$(((b[16] << 24) | (b[17] << 16) | (b[18] << 8) | b[19])) $(((b[20] << 24) |
		(b[21] << 16) | (b[22] << 8) | b[23]))"
}

# svg_size FILE: "W H" from the svg element's width and height
svg_size() {
	tr '\n' ' ' <"$1" | grep -o '<svg[^>]*>' | head -n 1 |
		sed -nE 's/.* width="([0-9]+)" height="([0-9]+)".*/\1 \2/p' | grep .
}

plan 46

# draw KIND NAME EXT W H ARGS...: plot --kind KIND -o $tmp/NAME.EXT --size WxH; check it
draw() {
	local kind=$1 name=$2 ext=$3 w=$4 h=$5 out size
	shift 5
	out=$("$GUPBENCH" plot --kind "$kind" --size "${w}x$h" -o "$tmp/$name.$ext" "$@" \
		2>"$tmp/$name.err")
	rc=$?
	if [ "$ext" = png ]; then
		size=$(png_size "$tmp/$name.png")
	else
		size=$(svg_size "$tmp/$name.svg")
	fi
	[ $rc = 0 ] && [ "$out" = "$tmp/$name.$ext" ] && [ "$size" = "$w $h" ] &&
		[ -s "$tmp/$name.gp" ] && [ -s "$tmp/$name.dat" ] && [ -f "$tmp/$name.log" ]
	ok $? "$kind $ext: ${w}x$h, path on stdout, .gp/.dat/.log beside it ($rc,\
  ${size:-not an image}: $(head -n 1 "$tmp/$name.err" | head -c 120))"
}

W_ONLY=(--where pages-per-call=1024 --where flags=W)
draw bars bars-icount png 1000 560 "${OFF_I[@]}" -- "${BASE_I[@]}"
draw bars bars-wall svg 900 520 "${W_ONLY[@]}" "${OFF_W[@]}" -- "${BASE_W[@]}"
draw dist dist-wall png 820 480 "${W_ONLY[@]}" "${OFF_W[@]}" -- "${BASE_W[@]}"
draw dist dist-icount svg 700 400 "${W_ONLY[@]}" "${OFF_I[@]}" -- "${BASE_I[@]}"
draw ecdf ecdf-wall png 640 400 --where backing=anon,shmem "${W_ONLY[@]}" \
	"${OFF_W[@]}" -- "${BASE_W[@]}"
draw ecdf ecdf-one svg 640 400 --where backing=anon "${W_ONLY[@]}" "${OFF_W[@]}"
draw pages pages-icount png 900 600 --where flags=W --where backing=anon,anon-thp \
	"${OFF_I[@]}" -- "${BASE_I[@]}"
draw pages pages-wall svg 800 500 --where flags=W "${BASE_W[@]}"
draw trend trend-icount png 1000 500 "${W_ONLY[@]}" \
	--baseline "$TOP/results/icount/20261127-deb6.1-deb6.12/deb-6.1-1" "$TOP/results/icount"
draw trend trend-ab svg 800 500 "${W_ONLY[@]}" "$AB"

# the default size, and -o NAME.svg choosing SVG
"$GUPBENCH" plot -o "$tmp/default" --where backing=anon --where pages-per-call=1024 \
	"${OFF_I[@]}" -- "${BASE_I[@]}" >/dev/null 2>&1
[ "$(png_size "$tmp/default.png")" = "800 500" ]
ok $? "two cases: the default 800x500 ($(png_size "$tmp/default.png"))"
"$GUPBENCH" plot -o "$tmp/many" "${OFF_I[@]}" -- "${BASE_I[@]}" >/dev/null 2>&1
size=$(png_size "$tmp/many.png")
[ "${size% *}" -gt 800 ] && [ "${size#* }" = 500 ]
ok $? "18 cases: wider than 800 so that their notes fit ($size)"

# what the bars say: -icount is exact (no interval), wall clock has intervals
note=$(grep -m1 '^set label 10' "$tmp/bars-icount.gp" | cut -c1-80)
grep -qE "^set label 1[0-9]+ '\+[0-9.]+%' \. \"\\\\n\" \. 'regressed'" "$tmp/bars-icount.gp"
ok $? "-icount bars: the change and verdict over each group, no interval ($note)"
grep -qE "^set label 1[0-9]+ '\+[0-9.]+%' \. \"\\\\n\" \. '\[[-+][0-9.]+, [-+][0-9.]+\]'" \
	"$tmp/bars-wall.gp" && ! grep -q 'exact' "$tmp/bars-wall.gp"
ok $? "wall-clock bars (GUPBENCH_ICOUNT=0 is not -icount): the change with its interval"
grep -q "error bars: its 95% bootstrap interval" "$tmp/bars-wall.gp" &&
	grep -q "6.12.117-gupbench-series-off, 3 runs" "$tmp/bars-wall.gp" &&
	grep -q "gupbench 0.1.0 (4691b72-dirty)" "$tmp/bars-wall.gp" &&
	grep -q "QEMU TCG CPU version 2.5+, 2 CPUs, emulated" "$tmp/bars-wall.gp"
ok $? "the caption: what the error bars are, kernels, machine, gupbench version"
grep -q "first regressed runs" "$tmp/trend-icount.dat" &&
	grep -q "ringed: the first run that regressed" "$tmp/trend-icount.gp"
ok $? "trend against a 6.1 baseline: the 6.12 runs that regressed are ringed"
# the .gp redraws the image on its own
(cd "$tmp" && rm -f bars-icount.png && gnuplot bars-icount.gp 2>/dev/null) &&
	[ "$(png_size "$tmp/bars-icount.png")" = "1000 560" ]
ok $? "gnuplot NAME.gp in its directory redraws NAME.png"

# bad input: one line, exit 2
bad() {
	local what=$1
	shift
	"$GUPBENCH" plot "$@" >"$tmp/bad.out" 2>"$tmp/bad.err"
	rc=$?
	[ $rc = 2 ] && [ "$(wc -l <"$tmp/bad.err")" = 1 ] && [ ! -s "$tmp/bad.out" ]
	ok $? "$what: exit 2, one line ($rc: $(head -c 120 "$tmp/bad.err"))"
}
bad "unknown kind" --kind pie -o "$tmp/x" "${OFF_I[@]}"
bad "no -o" "${OFF_I[@]}"
bad "bad --size" --size 80x20000 -o "$tmp/x" "${OFF_I[@]}"
bad "--format disagreeing with -o NAME.png" --format svg -o "$tmp/x.png" "${OFF_I[@]}"
bad "a named file that is not a result" -o "$tmp/x" "$tmp/bars-icount.dat"
bad "trend with a B side" --kind trend -o "$tmp/x" "${OFF_I[@]}" -- "${BASE_I[@]}"

# nothing to plot: one line, exit 125
"$GUPBENCH" plot -o "$tmp/none" "${OFF_I[0]}" -- "$TOP/tests/fixtures/results/v2.json" \
	>/dev/null 2>"$tmp/none.err"
rc=$?
[ $rc = 125 ] && [ "$(wc -l <"$tmp/none.err")" = 1 ] && [ ! -e "$tmp/none.png" ]
ok $? "no case in common: exit 125, one line, no image ($rc: $(head -c 100 "$tmp/none.err"))"
"$GUPBENCH" plot --kind pages --where pages-per-call=1 -o "$tmp/none" "${OFF_I[@]}" \
	>/dev/null 2>"$tmp/none.err"
rc=$?
[ $rc = 125 ] && [ "$(wc -l <"$tmp/none.err")" = 1 ]
ok $? "pages with one pages-per-call: exit 125 ($rc: $(head -c 100 "$tmp/none.err"))"

# ---- teams: scaling and heatmap ----
T=$TOP/tests/fixtures/results/team
SC1=$T/scaling-1.json SC2=$T/scaling-2.json CN=$T/cross-node.json

# median FILE JQ_FILTER: the median of the numbers the filter gives (one array)
median() {
	jq -r "$2 | sort | if length % 2 == 1 then .[length / 2 | floor]
		else (.[length / 2 - 1] + .[length / 2]) / 2 end" "$1"
}
# tput FILE THREADS SHARE: the median of that case's team pages/s samples
tput() {
	median "$1" ".cases[] | select(.threads == $2 and .share == \"$3\") |
		.team.samples_pages_per_s"
}
# dat_y FILE SERIES X: the y of the row at x X in the block of that series
dat_y() {
	awk -v name="$2" -v x="$3" '
		/^# index [0-9]+: / {
			sub(/^# index [0-9]+: /, "")
			inb = index($0, name ": ") == 1
		}
		inb && !/^#/ && $1 == x { print $2; exit }' "$1"
}
# close A B: A and B agree to 1e-6
close() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a != "" && b != "" && b != 0 &&
	a / b > 1 - 1e-6 && a / b < 1 + 1e-6) }'; }

draw scaling scaling png 900 500 "$SC1" "$SC2"
draw scaling scaling-eff svg 800 500 --metric eff "$SC1" -- "$SC2"
draw heatmap heatmap png 900 520 "$CN"
draw heatmap heatmap-tput svg 800 500 --metric throughput "$CN"

# scaling: each point is the median of the two runs' medians; the dashed line 1-thread x n
bad_pts=''
for share in private shared; do
	for t in 1 2 3; do
		want=$(awk -v a="$(tput "$SC1" "$t" "$share")" -v b="$(tput "$SC2" "$t" "$share")" \
			'BEGIN { printf "%.10g", (a + b) / 2 }')
		got=$(dat_y "$tmp/scaling.dat" "$share" "$t")
		close "$got" "$want" || bad_pts="$bad_pts $share x$t: $got, want $want;"
	done
done
[ -z "$bad_pts" ]
ok $? "scaling .dat: pages/s of each case the median of its run medians (${bad_pts:-6 points})"
one=$(dat_y "$tmp/scaling.dat" private 1)
ideal3=$(dat_y "$tmp/scaling.dat" "private, reference" 3)
close "$ideal3" "$(awk -v a="$one" 'BEGIN { printf "%.10g", 3 * a }')" &&
	grep -q "dt 2" "$tmp/scaling.gp" && grep -q "title 'ideal'" "$tmp/scaling.gp"
ok $? "scaling: the dashed ideal line is the 1-thread value x threads ($ideal3 at 3)"
grep -q "^set label 1 'throughput: iouring anon warm 4M'" "$tmp/scaling.gp" &&
	grep -q "^set xlabel 'threads'" "$tmp/scaling.gp" &&
	grep -q "^set xtics (1, 2, 3)" "$tmp/scaling.gp"
ok $? "scaling: the title says what all curves share, x is the thread counts"

# eff, A against B: each side's median at n threads over n x its median at 1 thread
bad_pts=''
for f in A B; do
	file=$SC1 name="private, A scaling-1"
	[ $f = B ] && file=$SC2 name="private, B scaling-2"
	for t in 1 2 3; do
		want=$(awk -v a="$(tput "$file" "$t" private)" -v b="$(tput "$file" 1 private)" \
			-v t="$t" 'BEGIN { printf "%.10g", a / (t * b) }')
		got=$(dat_y "$tmp/scaling-eff.dat" "$name" "$t")
		close "$got" "$want" || bad_pts="$bad_pts $f x$t: $got, want $want;"
	done
done
[ -z "$bad_pts" ] && grep -q "^	1 with lines" "$tmp/scaling-eff.gp"
ok $? "scaling --metric eff: median over threads x 1-thread median, a line at 1 \
(${bad_pts:-A and B, 3 points each})"
"$GUPBENCH" plot --kind scaling --where threads=1,2 -o "$tmp/two" "$SC1" >/dev/null 2>&1 &&
	[ -n "$(dat_y "$tmp/two.dat" private 2)" ] && [ -z "$(dat_y "$tmp/two.dat" private 3)" ]
ok $? "scaling --where threads=1,2: the 3-thread points are not drawn"

# heatmap: cell (C, M) = the median of case place node:C, mem node:M; remote/local
bad_pts='' ratios=''
for state in warm cold; do
	declare -A v=()
	for c in 0 1; do
		for m in 0 1; do
			v[$c$m]=$(median "$CN" ".cases[] | select(.state == \"$state\" and
				.place == \"node:$c\" and .mem == \"node:$m\") |
				.pin.samples_ns_per_page")
			got=$(awk -v b="panel [0-9]+ $state:" -v c="$c" -v m="$m" '
				/^# index/ { inb = $0 ~ b } inb && !/^#/ && $1 == m && $2 == c {
					print $3; exit }' "$tmp/heatmap.dat")
			close "$got" "${v[$c$m]}" ||
				bad_pts="$bad_pts $state $c/$m: $got, want ${v[$c$m]};"
		done
	done
	ratios="$ratios${ratios:+, }$state $(awk -v a="${v[00]}" -v b="${v[01]}" \
		-v c="${v[10]}" -v d="${v[11]}" 'BEGIN { printf "%.2f", sqrt(b / a * c / d) }')"
done
[ -z "$bad_pts" ]
ok $? "heatmap .dat: each cell the median ns/page of its case (${bad_pts:-2 x 4 cells})"
grep -q "geometric mean: $ratios'" "$tmp/heatmap.gp" &&
	grep -q "^set label 1 'pin: iouring anon 4M'" "$tmp/heatmap.gp"
ok $? "heatmap: remote/local of each panel in the caption ($ratios)"
"$GUPBENCH" plot --kind heatmap --where state=cold -o "$tmp/cold" "$CN" >/dev/null 2>&1 &&
	grep -q "^# index 0: panel 1: " "$tmp/cold.dat" && ! grep -q "^# index 1" "$tmp/cold.dat" &&
	grep -q "^set label 1 'pin: iouring anon cold 4M'" "$tmp/cold.gp"
ok $? "heatmap --where state=cold: one panel, the title names it"

# nothing to plot: cases that are not cells, curves of one thread count
nothing() {
	local what=$1
	shift
	"$GUPBENCH" plot -o "$tmp/none" "$@" >"$tmp/none.out" 2>"$tmp/none.err"
	rc=$?
	[ $rc = 125 ] && [ "$(wc -l <"$tmp/none.err")" = 1 ] && [ ! -s "$tmp/none.out" ] &&
		[ ! -e "$tmp/none.png" ]
	ok $? "$what: exit 125, one line, no image ($rc: $(head -c 100 "$tmp/none.err"))"
}
rm -f "$tmp/none.png"
nothing "heatmap of a run without --cross-node" --kind heatmap "$SC1"
nothing "scaling of a run of one thread count" --kind scaling "$CN"
nothing "scaling of 1-thread cases alone" --kind scaling --where threads=1 "$SC1"
bad "scaling of ns per page" --kind scaling --metric pin -o "$tmp/x" "$SC1"
bad "--metric eff for bars" --metric eff -o "$tmp/x" "$SC1"
bad "--metric throughput for dist" --kind dist --metric throughput -o "$tmp/x" "$SC1"
bad "heatmap with a B side" --kind heatmap -o "$tmp/x" "$CN" -- "$CN"
bad "--where on an unknown axis" --kind scaling --where cores=2 -o "$tmp/x" "$SC1"

# 20 result files: 10 per side, copies of the 3 wall-clock boots of each
mkdir -p "$tmp/A" "$tmp/B"
for i in $(seq 1 10); do
	cp "${OFF_W[$((i % 3))]}" "$tmp/A/$i.json"
	cp "${BASE_W[$((i % 3))]}" "$tmp/B/$i.json"
done
t0=$(date +%s%N)
"$GUPBENCH" compare "$tmp/A" -- "$tmp/B" >/dev/null 2>&1
t1=$(date +%s%N)
"$GUPBENCH" plot -o "$tmp/twenty" "$tmp/A" -- "$tmp/B" >/dev/null 2>&1
rc=$?
t2=$(date +%s%N)
[ $rc = 0 ] && png_size "$tmp/twenty.png" >/dev/null
ok $? "plot of 20 result files ($rc)"
diag "20 result files (10 per side, 20 cases): compare $(((t1 - t0) / 1000000)) ms," \
	"plot $(((t2 - t1) / 1000000)) ms (the issue asks for <= 2 s)"
done_testing
