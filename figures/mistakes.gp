# mistakes: every test digit the trained LeNet-5 misclassifies, each labelled
# "true→predicted"; the analogue of the paper's Fig. 8 (which shows the 82
# errors of LeNet-5 trained with distortions). Dark ink on light paper, as
# MNIST's 28x28 bytes (0 paper, 255 ink) are meant to be seen. The grid's
# columns are chosen to make the digits as large as the slide allows.
#
# Data: data/mistakes.dat (one 28x28 block per error, gnuplot `index` i) and
#       data/mistakes.txt (block test_index true predicted), from `lenet dump`.

load 'style.gp'

img = DATA . "mistakes.dat"
txt = DATA . "mistakes.txt"

stats txt using 1 nooutput
N = STATS_records

# Each cell: the 28x28 digit, GAPX units of space beside it, LABEL units of
# label under it (1 unit = 1 digit pixel).
S = 28; GAPX = 5; LABEL = 12
CW = S + GAPX; CH = S + LABEL
# Plot area in pixels of the 1920x1080 PNG (the title takes the top 10%).
L = 0.01; R = 0.99; B = 0.01; T = 0.90
AW = (R - L) * 1920; AH = (T - B) * 1080
# The number of columns that gives the largest scale (pixels per unit).
best = 0; COLS = 1
do for [c = 1:(N > 0 ? N : 1)] {
    r = (N + c - 1) / c
    sc = (AW / (c * CW) < AH / (r * CH)) ? AW / (c * CW) : AH / (r * CH)
    if (sc > best) { best = sc; COLS = c }
}
ROWS = (N + COLS - 1) / COLS
X(i) = (int(i) % COLS) * CW         # left edge of cell i
Y(i) = (int(i) / COLS) * CH         # top edge of cell i
# Label size follows the cell size: capitals about 60% of the label band
# (pngcairo's em is about 1.8 px per point, capitals 0.73 em).
labelfont = sprintf(",%d", int(best * LABEL * 0.6 / (1.8 * 0.73)))
# The ranges fill the plot area at `best` pixels per unit, grid centred.
XPAD = (AW / best - COLS * CW) / 2.0
YPAD = (AH / best - ROWS * CH) / 2.0

set title sprintf("The %d misclassified test digits, labelled true→predicted (cf. paper Fig. 8)", N)
eval PAL_INK
set cbrange [0:255]
unset colorbox
set xrange [-GAPX / 2.0 - XPAD : COLS * CW - GAPX / 2.0 + XPAD]
# reversed, so that row 0 of each digit is on top
set yrange [ROWS * CH - 1 + YPAD : -1 - YPAD]
unset xtics
unset ytics
unset grid
set border 0
set lmargin at screen L
set rmargin at screen R
set bmargin at screen B
set tmargin at screen T

do for [fmt in FORMATS] {
    eval set_output(fmt, "mistakes")
    if (N == 0) {
        set label 1 "no misclassified test digits" at graph 0.5, graph 0.5 center
        plot NaN
    } else {
        plot for [i = 0:N - 1] img index i matrix \
                 using (X(i) + $1):(Y(i) + $2):3 with image, \
             txt using (X($1) + (S - 1) / 2.0):(Y($1) + S + LABEL * 0.45): \
                 (sprintf("%d→%d", $3, $4)) with labels font labelfont
    }
    unset output
}
