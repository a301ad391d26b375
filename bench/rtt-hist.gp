# The round-trip histogram of make bench (docs/performance-rtt.png).
#   gnuplot -e "vars='PLOTVARS'" rtt-hist.gp
# PLOTVARS (written by report.awk) sets: out, fuse, floor, direct (the
# histogram files of stats -H: lo_us hi_us center_us percent) and tfuse,
# tfloor, tdirect (the legend lines), subtitle.
load vars

set terminal pngcairo size 1000,560 font "sans,10"
set output out
set title "1-byte round trip through channel 0: ".subtitle
set logscale x 10
set format x "%g"
set xlabel "round trip (µs, log scale; bins of 1/20 decade)"
set ylabel "share of round trips (%, log scale: the tail shows)"
set logscale y 10
set format y "%g"
set xrange [0.1:*]
set yrange [0.001:100]
set grid xtics ytics mxtics
set key top right box opaque
set style fill transparent solid 0.35 noborder
# each bin exactly [lo, hi) wide, whatever the axis
# (empty bins are left out: log scale)
bar(p) = p > 0 ? p : NaN
plot direct using 3:(bar($4)):1:2:(0.001):4 with boxxyerror lc rgb "#1b9e77" title tdirect, \
     floor using 3:(bar($4)):1:2:(0.001):4 with boxxyerror lc rgb "#7570b3" title tfloor, \
     fuse using 3:(bar($4)):1:2:(0.001):4 with boxxyerror lc rgb "#d95f02" title tfuse
