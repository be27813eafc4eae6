# confusion: the confusion matrix of the trained LeNet-5 on the 10,000 MNIST
# test digits, as an annotated heat map (the paper gives only the error rate,
# §III; this shows where the errors are). Row = true digit, column =
# predicted digit, each cell labelled with its count. The colour scale is
# linear from 0 to the largest off-diagonal count, so that the few errors get
# the whole palette; the correct (diagonal) cells, a hundred times larger,
# are drawn light grey instead. Zero cells are left white.
#
# Data: data/confusion.dat (10x10 counts), from `lenet dump`.

load 'style.gp'

file = DATA . "confusion.dat"

array C[100]
stats file matrix using (C[int($2) * 10 + int($1) + 1] = $3) nooutput
total   = sum [k = 1:100] C[k]
correct = sum [d = 0:9] C[d * 10 + d + 1]
errors  = total - correct
offmax  = 0
do for [k = 1:100] {
    if ((k - 1) / 10 != (k - 1) % 10 && C[k] > offmax) { offmax = C[k] }
}
CLIP = (offmax > 1 ? offmax : 2)

# Text is white on the dark (low) half of viridis, black elsewhere.
ink(n, diag) = (!diag && n > 0 && n < 0.55 * CLIP) ? 0xffffff : 0x000000

eval PAL_VIRIDIS
set cbrange [0:CLIP]
set cbtics 1 scale 0.5
set cblabel "errors (test digits in the cell)" offset 0.5, 0
set colorbox user origin 0.75, 0.15 size 0.02, 0.73

set title sprintf("Confusion matrix on %s test digits: %s errors (%.2f%%)\n", \
                  commas(total), commas(errors), 100.0 * errors / total)
set label 1 "grey diagonal: correctly classified" at graph 0.5, graph 1.025 \
    center font FONT_SMALL textcolor rgb "#555555"
set xlabel "predicted digit"
set ylabel "true digit"
set xrange [-0.5:9.5]
set yrange [9.5:-0.5]           # reversed: true digit 0 on top
set xtics 0, 1, 9 scale 0
set ytics 0, 1, 9 scale 0
unset grid
set border 15 lw 1 lc rgb "#555555"
set size ratio -1
set lmargin at screen 0.30
set rmargin at screen 0.70
set bmargin at screen 0.15
set tmargin at screen 0.88

do for [fmt in FORMATS] {
    eval set_output(fmt, "confusion")
    plot file matrix using 1:2:($1 != $2 && $3 > 0 ? $3 : NaN) \
             with image pixels, \
         file matrix using 1:($1 == $2 ? $2 : NaN):(0.5):(0.5) \
             with boxxyerror fs solid 1 noborder fc rgb LIGHTGREY, \
         file matrix using 1:2:($3 > 0 ? sprintf("%d", $3) : ""):(ink($3, $1 == $2)) \
             with labels tc rgb variable font FONT_SMALL
    unset output
}
