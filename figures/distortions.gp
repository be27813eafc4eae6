# distortions: one MNIST test digit and 20 random planar affine distortions
# of it, the kind `lenet train --distort` trains on; the analogue of the
# paper's Fig. 7 (§III.C). Each distortion combines a translation (dx, dy,
# pixels), a scaling s, a squeeze q (x scaled by s(1+q), y by s(1−q)) and a
# horizontal shear k, drawn uniformly within the magnitudes of
# lenet/distort.h (±2 px, ±10%, ±10%, ±0.2), resampled bilinearly.
#
# Data: data/distortions.dat (21 blocks of 28x28 bytes, the original first)
#       and data/distortions.txt (block dx dy scale squeeze shear), from
#       `lenet dump --distortions`.

load 'style.gp'

img = DATA . "distortions.dat"
txt = DATA . "distortions.txt"

S = 28                          # a digit's side, in units of one pixel
COLS = 5; ROWS = 4              # the 20 distortions
GAPX = 26; LABEL = 13            # space beside and under each cell
CW = S + GAPX; CH = S + LABEL
BIG = 2                         # the original, drawn twice as large
OX = -BIG * S - GAPX        # its left edge
OY = (ROWS * CH - LABEL - BIG * S) / 2.0   # its top edge, centred
X(i) = ((int(i) - 1) % COLS) * CW          # distortion i = 1..20
Y(i) = ((int(i) - 1) / COLS) * CH

set title "A test digit and 20 random affine distortions of it (cf. paper Fig. 7)\n" . \
          "dx, dy ±2 px; scale s ±10%; squeeze q ±10%; shear k ±0.2"
eval PAL_INK
set cbrange [0:255]
unset colorbox
set size ratio -1
set xrange [OX - 4 : COLS * CW - GAPX / 2.0]
set yrange [ROWS * CH : -2]      # reversed: row 0 of each digit on top
unset xtics
unset ytics
unset grid
set border 0
set lmargin 1
set rmargin 1
set bmargin 1
set tmargin 5

set label 1 "the original, twice the size" at OX + BIG * S / 2.0, OY + BIG * S + 5 center font FONT_SMALL

do for [fmt in FORMATS] {
    eval set_output(fmt, "distortions")
    plot img index 0 matrix using (OX + BIG * $1):(OY + BIG * $2):3 with image, \
         for [i = 1:COLS * ROWS] img index i matrix \
             using (X(i) + $1):(Y(i) + $2):3 with image, \
         txt every ::1 using (X($1) + (S - 1) / 2.0):(Y($1) + S + LABEL * 0.45): \
             (sprintf("dx %+.1f  dy %+.1f\ns %.2f q %+.2f k %+.2f", $2, $3, $4, $5, $6)) \
             with labels font FONT_TINY
    unset output
}
