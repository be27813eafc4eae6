# c3-table: the paper's Table I, which S2 feature maps each C3 feature map
# reads (§II.B). Rows are the 6 S2 maps, columns the 16 C3 maps, as in the
# paper; a filled cell with an X is a connection. Under the grid: how many S2
# maps each C3 map reads, and the four groups the paper describes (3
# contiguous, 4 contiguous, 4 non-contiguous, all 6), found from the table.
#
# Data: data/c3-table.dat (6 rows x 16 columns of 0/1), from `lenet dump`.

load 'style.gp'

file = DATA . "c3-table.dat"

# Read the table into T[6*16] (row-major) and count each column's inputs.
array T[96]
array K[16]
stats file matrix using (T[int($2) * 16 + int($1) + 1] = int($3)) nooutput
do for [m = 1:16] { K[m] = sum [i = 0:5] T[i * 16 + m] }
total = sum [m = 1:16] K[m]

# A column's inputs are contiguous (cyclically, 5 wraps to 0) when its ones
# start exactly once going round the six rows.
starts(m) = sum [i = 0:5] (T[i * 16 + m] && !T[((i + 5) % 6) * 16 + m])
group(m) = K[m] == 6 ? "all 6" : \
           sprintf("%d %s", K[m], starts(m) == 1 ? "contiguous" : "non-contiguous")

set title sprintf("Table I: the S2 maps each C3 map reads (%d kernels, S2 map to C3 map)", total)
# Column numbers on top, as in the paper; the y label is placed by hand so
# that it centres on the six rows, not on the rows plus the notes below.
set x2label "C3 feature map" offset 0, -0.3
set xrange [-0.5:15.5]
set yrange [7.8:-0.5]           # reversed: S2 map 0 on top, as in the paper
unset xtics
set x2tics 0, 1, 15 scale 0
set link x2
set ytics 0, 1, 5 scale 0
set label 99 "S2 feature map" at -1.55, 2.5 center rotate by 90
unset grid
set border 0
set lmargin 14
set rmargin 4
set tmargin 6
set bmargin 1.5

# The count row and the group brackets below the grid.
set label 100 "inputs:" at -0.6, 6.3 right font FONT_SMALL
do for [m = 1:16] {
    set label 100 + m sprintf("%d", K[m]) at m - 1, 6.3 center font FONT_SMALL
}
# Runs of columns in the same group get one bracket and one label.
first = 1
do for [m = 1:16] {
    if (m == 16 || group(m + 1) ne group(first)) {
        x0 = first - 1 - 0.42; x1 = m - 1 + 0.42
        set arrow 200 + m from x0, 7.0 to x1, 7.0 nohead lc rgb "#333333" lw 1.5
        set arrow 220 + m from x0, 6.8 to x0, 7.0 nohead lc rgb "#333333" lw 1.5
        set arrow 240 + m from x1, 6.8 to x1, 7.0 nohead lc rgb "#333333" lw 1.5
        set label 200 + m group(first) at (first + m) / 2.0 - 1, 7.4 center \
            font FONT_SMALL
        first = m + 1
    }
}

do for [fmt in FORMATS] {
    eval set_output(fmt, "c3-table")
    plot file matrix using 1:2:(0.5):(0.5):($3 > 0 ? 0x56B4E9 : 0xffffff) \
             with boxxyerror fs solid 1 border lc rgb "#555555" fc rgb variable, \
         file matrix using 1:2:($3 > 0 ? "X" : "") with labels font ",30"
    unset output
}
