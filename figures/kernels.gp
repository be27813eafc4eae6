# kernels: the learned convolution kernels of the trained LeNet-5.
# Left: C1's 6 kernels (5x5, one per C1 feature map), the filters applied to
# the input image. Right: C3's 60 kernels (5x5), placed in the 16x6 grid of
# the paper's Table I (column = C3 map, row = the S2 map it reads); cells
# Table I leaves empty are blank. Each layer has its own colour range,
# symmetric about 0 (blue negative, white 0, red positive): ±max|w|, or ±3
# times the RMS weight if smaller, so that a few large weights do not wash
# out the rest (the colour box then says "clipped"). The paper shows no
# kernels; this is the picture of what §II.B's layers learned.
#
# Data: data/kernels-c1.dat (6 blocks of 5x5), data/kernels-c3.dat (96 blocks
#       of 5x5, block 6m+n = C3 map m, S2 map n, NaN where not connected),
#       from `lenet dump`.
#
# Kernels are drawn as one box per weight (boxxyerror), not `with image`:
# gnuplot warns about the NaN blocks of a matrix, and the boxes read the file
# one column at a time instead.

load 'style.gp'

c1 = DATA . "kernels-c1.dat"
c3 = DATA . "kernels-c3.dat"
P = 6                                   # C3 cell pitch: 5 weights + 1 gap
PY1 = 7.5                               # C1 row pitch: room for a label

# The symmetric colour range of each file's weights (NaNs are skipped).
array R[2]
do for [f = 1:2] {
    file = (f == 1 ? c1 : c3)
    big = 0; ssq = 0; n = 0
    do for [c = 1:5] {
        stats file using (column(c)) nooutput
        big = (abs(STATS_min) > big ? abs(STATS_min) : big)
        big = (STATS_max > big ? STATS_max : big)
        ssq = ssq + STATS_sumsq; n = n + STATS_records
    }
    rms3 = 3 * sqrt(ssq / n)
    R[f] = (rms3 < big ? -rms3 : big)   # negative: the range is clipped
}
# Rounded up to a tenth, for tidy colour-box tics.
M1 = ceil(abs(R[1]) * 10) / 10.0
M3 = ceil(abs(R[2]) * 10) / 10.0
cblabel(f) = R[f] < 0 ? "weight (clipped at ±3 RMS)" : "weight"

eval PAL_DIVERGING
unset grid
# No border; tics are drawn in the border's colour, and with the terminal's
# rounded caps a zero-length tic is a dot: make it white.
set border 0 lc rgb "#ffffff"
unset key

do for [fmt in FORMATS] {
    eval set_output(fmt, "kernels")
    set multiplot title "Learned convolution kernels (5×5 weights; blue < 0 < red)" \
        font FONT_BIG

    # --- C1: 6 kernels, 2 columns x 3 rows, large. ---------------------------
    # 0.18 x 1920 px wide for 12 units; 3 x PY1 units tall at the same scale.
    set lmargin at screen 0.04
    set rmargin at screen 0.22
    set tmargin at screen 0.79
    set bmargin at screen 0.79 - 0.18 * 1920 / 12 * 3 * PY1 / 1080
    set xrange [-1:2 * P - 1]
    set yrange [3 * PY1 - 1:-1]         # reversed: row 0 of a kernel on top
    unset xtics; unset ytics; unset x2tics
    unset xlabel; unset ylabel; unset x2label
    set cbrange [-M1:M1]
    set cbtics (sprintf("−%.1f", M1) -M1, "0" 0, sprintf("+%.1f", M1) M1) scale 0.5
    set colorbox horizontal user origin 0.04, 0.12 size 0.18, 0.025
    set cblabel cblabel(1) offset 0, 0.3 font FONT_SMALL
    unset label
    set label 1 "C1: 6 kernels" at screen 0.13, screen 0.87 center
    do for [k = 0:5] {
        set label 10 + k sprintf("map %d", k) at (k % 2) * P + 2, (k / 2) * PY1 + 5.6 \
            center font FONT_SMALL
    }
    plot for [k = 0:5] for [c = 1:5] c1 index k \
        using ((k % 2) * P + c - 1):((k / 2) * PY1 + $0):(0.5):(0.5):(column(c)) \
        with boxxyerror fs solid 1 noborder fc palette

    # --- C3: 16 x 6 grid of kernels, as Table I. ------------------------------
    # 0.66 x 1920 px for 16 cells; 6 cells tall at the same scale.
    unset label
    set label 1 "C3: 60 kernels, placed as in Table I" at screen 0.64, screen 0.87 center
    set lmargin at screen 0.31
    set rmargin at screen 0.97
    set tmargin at screen 0.70
    set bmargin at screen 0.70 - 0.66 * 1920 / 16 * 6 / 1080
    set xrange [-1:16 * P - 1]
    set yrange [6 * P - 1:-1]
    set x2range [-1:16 * P - 1]
    set x2tics () scale 0 textcolor rgb "#222222"
    do for [m = 0:15] { set x2tics add (sprintf("%d", m) m * P + 2) }
    set x2label "C3 feature map" offset 0, 0
    set ytics () scale 0 textcolor rgb "#222222"
    do for [n = 0:5] { set ytics add (sprintf("%d", n) n * P + 2) }
    set ylabel "S2 feature map (input)" offset -0.5, 0
    set cbrange [-M3:M3]
    set cbtics (sprintf("−%.1f", M3) -M3, "0" 0, sprintf("+%.1f", M3) M3) scale 0.5
    set colorbox horizontal user origin 0.52, 0.12 size 0.24, 0.025
    set cblabel cblabel(2) offset 0, 0.3 font FONT_SMALL
    plot for [b = 0:95] for [c = 1:5] c3 index b \
        using ((b / 6) * P + c - 1):((b % 6) * P + $0):(0.5):(0.5):(column(c)) \
        with boxxyerror fs solid 1 noborder fc palette

    unset multiplot
    unset output
}
