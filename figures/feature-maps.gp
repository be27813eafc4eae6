# feature-maps: one test digit's forward pass through the trained LeNet-5,
# layer by layer: the paper's Fig. 2 (§II.B) filled in with the states of a
# trained network.
# Top: the 32x32 input field and the feature maps of C1 (6@28x28), S2
# (6@14x14), C3 (16@10x10) and S4 (16@5x5), every map on one fixed scale
# [-1.7159, +1.7159] (the squashing function's range) so that maps can be
# compared: white = -1.7159, black = +1.7159, as ink on paper.
# Bottom: the 120 C5 and 84 F6 unit outputs as bars, and the 10 RBF penalties
# y_i, the smallest (the network's answer) highlighted.
#
# Data: data/input.dat, c1.dat, s2.dat, c3.dat, s4.dat (maps, one gnuplot
#       `index` per map), data/c5.dat, f6.dat, output.dat (unit value), all
#       from `lenet dump` (--index picks the test digit).

load 'style.gp'

A = 1.7159                              # the squashing function's amplitude

# The digit's label and prediction, from the '#' line of input.dat:
# "# test digit 0 (label 7, predicted 7): the 32x32 input field".
head = system("head -n 1 '" . DATA . "input.dat'")
p_idx = strstrt(head, "test digit ")
p_lab = strstrt(head, "label ")
p_pre = strstrt(head, "predicted ")
if (p_idx > 0 && p_lab > 0 && p_pre > 0) {
    digit_index = int(head[p_idx + 11:p_lab - 3])
    digit_label = int(head[p_lab + 6:p_lab + 6])
    digit_pred  = int(head[p_pre + 10:p_pre + 10])
    TITLE = sprintf("Forward pass of test digit %d (true %d, predicted %d) through LeNet-5", \
                    digit_index, digit_label, digit_pred)
} else {
    TITLE = "Forward pass of one test digit through LeNet-5"
}

# ---- Top band: the maps, in PNG pixel coordinates ---------------------------
# The band is 1860 x 394 px; its plot ranges make 1 unit = 1 PNG pixel.
BW = 1860.0; BH = 394.0
BL = 30.0 / 1920; BT = 0.865            # band's left and top (screen)
G = 8                                   # gap between maps of one layer
# Each layer: left edge, scale (px per map pixel), columns of maps. Widths
# 288 + 260 + 260 + 384 + 384 = 1576, leaving 4 gaps of 71 px for arrows.
IN_X = 0;    IN_S = 9                   # 32 px -> 288
C1_X = 359;  C1_S = 4.5                 # 28 -> 126, 2 columns x 3 rows
S2_X = 690;  S2_S = 9                   # 14 -> 126, 2 x 3
C3_X = 1021; C3_S = 9                   # 10 -> 90, 4 x 4
S4_X = 1476; S4_S = 18                  #  5 -> 90, 4 x 4
# Pixel (c, r) of map k of a layer with n map pixels across, `cols` maps to
# a row, scale s, left edge x0: where its centre goes.
mx(x0, s, n, cols, k, c) = x0 + (k % cols) * (n * s + G) + (c + 0.5) * s
my(s, n, cols, k, r)     = (k / cols) * (n * s + G) + (r + 0.5) * s

# ---- Bottom band: three bar charts ------------------------------------------
BOT = 0.12; TOP = 0.40
# The winner: the output unit with the smallest penalty (read now, before
# any axis range is set: stats skips points outside the current ranges).
stats DATA . "output.dat" using 2 nooutput
win = int(STATS_index_min)
penalty_max = STATS_max

do for [fmt in FORMATS] {
    eval set_output(fmt, "feature-maps")
    set multiplot title TITLE font FONT_BIG

    # --- the maps --- (unset what the last panel of the previous format set)
    unset title
    set lmargin at screen BL
    set rmargin at screen BL + BW / 1920
    set tmargin at screen BT
    set bmargin at screen BT - BH / 1080
    set xrange [0:BW]
    set yrange [BH:0]                   # reversed: maps upright
    unset xtics; unset ytics; unset grid
    unset xlabel; unset ylabel
    set border 0
    eval PAL_INK
    set cbrange [-A:A]
    set cbtics ("−1.7" -A, "0" 0, "+1.7" A) scale 0.5 font FONT_SMALL
    # Under the input: 288 px wide, its top 22 px below the input.
    set colorbox horizontal user origin BL + 8.0 / 1920, BT - 328.0 / 1080 \
        size 272.0 / 1920, 18.0 / 1080
    set cblabel "unit output (all maps)" font FONT_SMALL offset 0, 0.6
    unset label
    set label 1 "input 32×32"  at IN_X + 144, -20 center font FONT_SMALL
    set label 2 "C1: 6@28×28"  at C1_X + 130, -20 center font FONT_SMALL
    set label 3 "S2: 6@14×14"  at S2_X + 130, -20 center font FONT_SMALL
    set label 4 "C3: 16@10×10" at C3_X + 192, -20 center font FONT_SMALL
    set label 5 "S4: 16@5×5"   at S4_X + 192, -20 center font FONT_SMALL
    # Arrows in the gaps between the layers, at mid-height.
    unset arrow
    do for [x in "288 619 950 1405"] {
        set arrow from x + 14, BH / 2 to x + 58, BH / 2 head filled size 12, 25 \
            lw 3 lc rgb GREY
    }
    plot DATA . "input.dat" matrix \
             using (mx(IN_X, IN_S, 32, 1, 0, $1)):(my(IN_S, 32, 1, 0, $2)):3 with image, \
         for [k = 0:5] DATA . "c1.dat" index k matrix \
             using (mx(C1_X, C1_S, 28, 2, k, $1)):(my(C1_S, 28, 2, k, $2)):3 with image, \
         for [k = 0:5] DATA . "s2.dat" index k matrix \
             using (mx(S2_X, S2_S, 14, 2, k, $1)):(my(S2_S, 14, 2, k, $2)):3 with image, \
         for [k = 0:15] DATA . "c3.dat" index k matrix \
             using (mx(C3_X, C3_S, 10, 4, k, $1)):(my(C3_S, 10, 4, k, $2) + 2):3 with image, \
         for [k = 0:15] DATA . "s4.dat" index k matrix \
             using (mx(S4_X, S4_S, 5, 4, k, $1)):(my(S4_S, 5, 4, k, $2) + 2):3 with image
    unset arrow
    unset label
    unset colorbox
    unset cblabel

    # --- C5 and F6 as bars ---
    set border 3
    set grid ytics
    set yrange [-1.8:1.8]
    set ytics ("−1.7" -A, "0" 0, "+1.7" A) nomirror out font FONT_SMALL
    set xtics nomirror out font FONT_SMALL
    set style fill solid 1 noborder
    set bmargin at screen BOT
    set tmargin at screen TOP

    set lmargin at screen 0.07
    set rmargin at screen 0.45
    set xrange [-1:120]
    set xtics 0, 20, 119
    # y labels as screen labels: gnuplot's own placement of a panel's ylabel
    # depends on the tic labels of the panel before.
    unset ylabel
    set label 20 "unit output" at screen 0.012, screen (BOT + TOP) / 2 \
        center rotate by 90 font FONT_SMALL
    set xlabel "C5 unit" font FONT_SMALL offset 0, 0.5
    set title "C5: 120 units" font FONT_SMALL offset 0, -0.5
    plot DATA . "c5.dat" using 1:2 with boxes fc rgb OI_blue

    set lmargin at screen 0.53
    set rmargin at screen 0.745
    set xrange [-1:84]
    set xtics 0, 20, 83
    unset ylabel
    set xlabel "F6 unit" font FONT_SMALL offset 0, 0.5
    set title "F6: 84 units" font FONT_SMALL offset 0, -0.5
    plot DATA . "f6.dat" using 1:2 with boxes fc rgb OI_blue

    # --- the RBF outputs: penalties, smallest wins ---
    set lmargin at screen 0.85
    set rmargin at screen 0.985
    set xrange [-0.7:9.7]
    set xtics 0, 1, 9
    set yrange [0:penalty_max * 1.15]
    set ytics auto
    set label 20 "penalty y_i" at screen 0.777, screen (BOT + TOP) / 2 \
        center rotate by 90 font FONT_SMALL
    set xlabel "output unit (digit)" font FONT_SMALL offset 0, 0.5
    set title sprintf("output: %d wins", win) font FONT_SMALL offset 0, -0.5
    set boxwidth 0.75
    # The winner's bar is short (that is why it wins): point at it.
    set arrow 1 from win, penalty_max * 0.42 to win, penalty_max * 0.04 \
        head filled size screen 0.008, 25 lw 3 lc rgb OI_red front
    plot DATA . "output.dat" using 1:2:($1 == win ? 0xD55E00 : 0x999999) \
             with boxes fc rgb variable, \
         DATA . "output.dat" using 1:($1 == win ? penalty_max * 0.42 : NaN): \
             (sprintf("%.1f", $2)) with labels offset 0, 0.7 font FONT_SMALL \
             textcolor rgb OI_red
    unset arrow 1
    unset label 20

    unset multiplot
    unset output
}
