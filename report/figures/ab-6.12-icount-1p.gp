# gupbench bars plot. Redraw it in this directory: gnuplot ab-6.12-icount-1p.gp
# as SVG: gnuplot -e "fmt='svg'" ab-6.12-icount-1p.gp    (numbers: ab-6.12-icount-1p.dat)
if (!exists('fmt')) fmt = 'png'
if (!exists('out')) out = 'ab-6.12-icount-1p.' . fmt
if (fmt eq 'svg') {
	set terminal svg size 919,500 font 'sans-serif,11' noenhanced background rgb 'white'
} else {
	set terminal pngcairo size 919,500 font 'sans-serif,10' noenhanced background rgb 'white'
}
set output out
set encoding utf8
set linetype 1 lc rgb '#0072B2' lw 2 pt 7 ps 1
set linetype 2 lc rgb '#E69F00' lw 2 pt 5 ps 1
set linetype 3 lc rgb '#009E73' lw 2 pt 9 ps 1
set linetype 4 lc rgb '#D55E00' lw 2 pt 11 ps 1
set linetype 5 lc rgb '#CC79A7' lw 2 pt 13 ps 1
set linetype 6 lc rgb '#56B4E9' lw 2 pt 15 ps 1
set linetype 7 lc rgb '#000000' lw 2 pt 7 ps 1
set linetype 8 lc rgb '#999999' lw 2 pt 5 ps 1
set linetype cycle 8
set origin 0,0.1220
set size 1,0.8100
set label 1 '6.12: the check' . "'" . 's cost, 1-page pin_fast (QEMU -icount)' at screen 0.5, screen 0.9640 center font ',12'
set label 2 'A without series: 6.12.117-gupbench-series-off, 3 runs  ·  B with series: 6.12.117-gupbench-base, 3 runs' . "\n" . 'QEMU TCG CPU version 2.5+, 1 CPU, emulated -icount  ·  gupbench 0.1.0 (4691b72-dirty)' . "\n" . 'bars: median of the run medians; error bars: its 95% bootstrap interval (runs, and samples within them); 1 case without samples on both sides left out' . "\n" . 'above: B against A, change and verdict as gupbench compare gives them (-icount: exact, any difference counts)' . '' at screen 0.01, screen 0.0900 left font ',8' tc rgb '#555555'
set ylabel 'instructions per 4 KiB page (-icount)'
set border 3 lc rgb '#444444'
set tics nomirror
set grid ytics lt 1 lw 1 lc rgb '#e0e0e0'
set key outside top center horizontal samplen 2 spacing 1.1
set yrange [0:750.1077148]
set xrange [-0.6:8.6]
set xtics scale 0 ('anon' . "\n" . 'W|LT' 0, 'anon' . "\n" . 'W' 1, 'shmem' . "\n" . 'W|LT' 2, 'shmem' . "\n" . 'W' 3, 'anon-thp' . "\n" . 'W|LT' 4, 'anon-thp' . "\n" . 'W' 5, 'hugetlb' . "\n" . 'W|LT' 6, 'hugetlb' . "\n" . 'W' 7, 'file-shared' . "\n" . 'W' 8)
set label 10 '+1.3%' . "\n" . 'regressed' at first 0, first 656.5781738 center offset 0,1.3 font ',9'
set label 11 '+1.3%' . "\n" . 'regressed' at first 1, first 637.5752441 center offset 0,1.3 font ',9'
set label 12 '+3.2%' . "\n" . 'regressed' at first 2, first 668.5742676 center offset 0,1.3 font ',9'
set label 13 '+2.3%' . "\n" . 'regressed' at first 3, first 643.5771973 center offset 0,1.3 font ',9'
set label 14 '+3.0%' . "\n" . 'regressed' at first 4, first 634.5742676 center offset 0,1.3 font ',9'
set label 15 '+1.0%' . "\n" . 'regressed' at first 5, first 603.5762207 center offset 0,1.3 font ',9'
set label 16 '+1.8%' . "\n" . 'regressed' at first 6, first 627.5752441 center offset 0,1.3 font ',9'
set label 17 '+1.0%' . "\n" . 'regressed' at first 7, first 603.5791504 center offset 0,1.3 font ',9'
set label 18 '+2.3%' . "\n" . 'regressed' at first 8, first 643.5791504 center offset 0,1.3 font ',9'
set style fill solid 0.85 border lc rgb '#333333'
set boxwidth 0.36 absolute
set errorbars 1
set pointintervalbox 1e-4
plot \
	'ab-6.12-icount-1p.dat' index 0 using 1:2 with boxes lt 1 title 'without series', \
	'ab-6.12-icount-1p.dat' index 0 using 1:2:3:4 with yerrorbars lc rgb '#222222' lw 1.5 ps 0 notitle, \
	'ab-6.12-icount-1p.dat' index 1 using 1:2 with boxes lt 2 title 'with series', \
	'ab-6.12-icount-1p.dat' index 1 using 1:2:3:4 with yerrorbars lc rgb '#222222' lw 1.5 ps 0 notitle
