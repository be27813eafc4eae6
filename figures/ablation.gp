# ablation: what each change from the paper's LeNet-5 does to its test error
# (chapter 11, "What changed since 1998"). One bar per configuration: the
# mean over the seeds of the test error after the last pass, with an error
# bar from the lowest to the highest seed. The paper's network is the grey
# bar and the dashed line; the layer changes are blue, the training changes
# (optimiser, distortions) orange, the modern combination red. Under each
# name: its trainable parameters and seconds per pass.
#
# Data: data/ablation.csv, written by `make ablation` (figures/ablation.sh):
#   config,change,params,passes,seeds,test_error_mean,test_error_min,
#   test_error_max,seconds_per_pass   (errors in %)

load 'style.gp'

set datafile separator comma
file = DATA . "ablation.csv"

stats file using 6 skip 1 nooutput
rows = STATS_records
top  = STATS_max
stats file using 8 skip 1 nooutput
top  = STATS_max > top ? STATS_max : top
stats file using 4 skip 1 nooutput
passes = int(STATS_max)
stats file using 5 skip 1 nooutput
seeds = int(STATS_max)
# The paper's mean: the row named "paper".
paper = NaN
stats file using (strcol(1) eq "paper" ? (paper = $6, 0) : 0) skip 1 nooutput

# Colours as numbers, for `lc rgb variable`: GREY, OI_orange, OI_red,
# OI_blue of style.gp.
colour(name) = name eq "paper" ? 0x999999 : \
               (name eq "sgd" || name eq "distort") ? 0xE69F00 : \
               name eq "modern" ? 0xD55E00 : 0x0072B2
tick(name, params, seconds) = sprintf("%s\n%s\n%.0f s", name, \
                                      commas(int(params)), seconds)

plural(n, one, many) = sprintf("%d %s", n, n == 1 ? one : many)
set title "LeNet-5, one change at a time\n" . sprintf("test error after " . \
          "%s, mean of %s (bars: lowest to highest)", \
          plural(passes, "pass", "passes"), plural(seeds, "seed", "seeds")) \
          font FONT_SMALL
set ylabel "test error (%)"
set xrange [-0.6:rows - 0.4]
set yrange [0:top * 1.2]
set xtics scale 0 font FONT_SMALL offset 0, -0.3
set bmargin 5.5
set grid noxtics ytics
set boxwidth 0.7
set style fill solid 0.85 noborder
set errorbars 2 lw 2 lc rgb "#333333"
unset key

if (paper == paper) {
    set arrow 1 from graph 0, first paper to graph 1, first paper nohead \
        lw 2 lc rgb GREY dt (12, 8) back
}
set label 1 "under each name: trainable parameters, seconds per pass" \
    at graph 0.01, graph 0.97 left font FONT_SMALL textcolor rgb "#555555"

do for [fmt in FORMATS] {
    eval set_output(fmt, "ablation")
    plot file using 0:6:(colour(strcol(1))): \
              xtic(tick(strcol(1), $3, $9)) skip 1 \
              with boxes lc rgb variable, \
         file using 0:6:7:8 skip 1 with yerrorbars lc rgb "#333333" pt 0 ps 0.01, \
         file using 0:8:(sprintf("%.2f", $6)) skip 1 with labels \
              offset 0, 0.9 font FONT_SMALL
    unset output
}
