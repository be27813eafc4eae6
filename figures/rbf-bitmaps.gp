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
GAP = 3                         # cells between bitmaps
ROWH = H + 3                    # a row of bitmaps plus its labels
# Two rows of five, so that each cell is large enough to read on a slide.
x0(d) = (d % 5) * (W + GAP)     # left column of bitmap d
y0(d) = (d / 5) * ROWH          # top row of bitmap d (integer division)

set title "The ten RBF centres: 7×12 bitmaps, +1 = ink (black), −1 = paper (white)\n" . \
          "output unit i measures the distance of F6's 84 outputs from bitmap i (cf. paper Fig. 3)"
set size ratio -1               # square cells
set xrange [-1.5:x0(4) + W + 0.5]
set yrange [2 * ROWH - 0.5:-1.0]   # reversed: row 0 on top, so digits are upright
unset xtics
unset ytics
unset grid
set border 0
set lmargin 2
set rmargin 2
set tmargin 5
set bmargin 1

# The digit each bitmap stands for, under it.
do for [d = 0:9] {
    set label d + 1 sprintf("output unit %d", d) at x0(d) + (W - 1) / 2.0, \
        y0(d) + H + 0.8 center font FONT_SMALL
}

do for [fmt in FORMATS] {
    eval set_output(fmt, "rbf-bitmaps")
    plot for [d = 0:9] file index d matrix \
         using (x0(d) + $1):(y0(d) + $2):(0.5):(0.5):($3 > 0 ? 0x000000 : 0xffffff) \
         with boxxyerror fs solid 1 border lc rgb GREY lw 0.5 fc rgb variable
    unset output
}
