# rbf-bitmaps: the fixed parameters of the ten output (Euclidean RBF) units,
# each a 7x12 bitmap of +1 (ink) and -1 (paper); the analogue of the paper's
# Fig. 3 (§II.B). Output unit i computes y_i = Σ_j (x_j − w_ij)² over the 84
# F6 outputs x_j, so it measures how far F6's output is from bitmap i; the
# smallest y_i wins. This project draws its own digit bitmaps.
#
# Data: data/bitmaps.dat (10 blocks of 12 rows x 7 columns, row 0 on top),
#       from `lenet dump`.

load 'style.gp'

file = DATA . "bitmaps.dat"
W = 7; H = 12                   # columns, rows of one bitmap
GAP = 2                         # cells between bitmaps
x0(d) = d * (W + GAP)           # left column of bitmap d

set title "The ten RBF centres: 7×12 bitmaps, +1 ink (black), −1 paper (white) (cf. paper Fig. 3)"
set size ratio -1               # square cells
set xrange [-1:x0(9) + W]
set yrange [H + 2.2:-1.5]       # reversed: row 0 on top, so digits are upright
unset xtics
unset ytics
unset grid
set border 0
set lmargin 2
set rmargin 2

# The digit each bitmap stands for, under it.
do for [d = 0:9] {
    set label d + 1 sprintf("%d", d) at x0(d) + (W - 1) / 2.0, H + 1 center
}
set label 20 "output unit (digit)" at graph 0.5, graph -0.12 center

do for [fmt in FORMATS] {
    eval set_output(fmt, "rbf-bitmaps")
    plot for [d = 0:9] file index d matrix \
         using (x0(d) + $1):2:(0.5):(0.5):($3 > 0 ? 0x000000 : 0xffffff) \
         with boxxyerror fs solid 1 border lc rgb GREY lw 0.5 fc rgb variable
    unset output
}
