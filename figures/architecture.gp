# architecture: LeNet-5 layer by layer, the analogue of the paper's Fig. 2,
# drawn entirely from data/layers.dat, so the sizes and counts on the slide
# are the ones the C code reports (net_describe). Feature-map layers are
# stacks of squares (one sheet per map, side growing with the map size);
# vector layers are columns (height growing with the number of units). The
# sizes are stylised, not to scale. Under each layer: its maps, trainable
# parameters and connections (§II.B); at the bottom, the totals.
#
# Data: data/layers.dat (layer "type" maps rows cols params connections
#       trainable; rows = cols = 0: a vector), from `lenet dump`.

load 'style.gp'

file = DATA . "layers.dat"

stats file using 3 nooutput
L = STATS_records
array NAME[L]; array TYPE[L]; array MAPS[L]; array ROWS[L]; array COLS[L]
array PAR[L]; array CON[L]; array TRAIN[L]
stats file using (i = int($0) + 1, NAME[i] = strcol(1), TYPE[i] = strcol(2), \
    MAPS[i] = int($3), ROWS[i] = int($4), COLS[i] = int($5), PAR[i] = int($6), \
    CON[i] = int($7), TRAIN[i] = int($8)) nooutput

trainable = sum [i = 1:L] (TRAIN[i] ? PAR[i] : 0)
fixed     = sum [i = 1:L] (TRAIN[i] ? 0 : PAR[i])
connections = sum [i = 1:L] CON[i]

# A layer of 1x1 maps (C5) is drawn, like the paper, as a column of units.
is_vector(i) = ROWS[i] * COLS[i] <= 1
shape(i) = ROWS[i] == 0 ? sprintf("%d units", MAPS[i]) : \
           MAPS[i] == 1 ? sprintf("%d×%d", ROWS[i], COLS[i]) : \
           sprintf("%d@%d×%d", MAPS[i], ROWS[i], COLS[i])
params(i) = PAR[i] == 0 ? "—" : commas(PAR[i]) . (TRAIN[i] ? "" : " (fixed)")
conns(i)  = CON[i] == 0 ? "—" : commas(CON[i])

# Fill colour by layer type (Okabe–Ito, lightened so the text stays legible).
fill(t) = t eq "convolution" ? "#9fd3f2" : t eq "subsampling" ? "#7fd6bf" : \
          t eq "full" ? "#f5cf7f" : t eq "Euclidean RBF" ? "#e6bcd3" : "#dddddd"

# Geometry, in PNG pixels (1 unit = 1 px; y up).
X0 = 215.0                              # left edge of the first column
CW = (1920 - X0 - 40) / L               # column width
xc(i) = X0 + (i - 0.5) * CW             # column centre
YC = 620                                # drawings' vertical centre
side(i) = 30 + 3.6 * ROWS[i]            # square side of a map
sheets(i) = MAPS[i] > 16 ? 16 : MAPS[i]
step(i) = sheets(i) > 6 ? 4 : 8         # offset between sheets
height(i) = 40 + 2.6 * MAPS[i]          # column height of a vector layer
VW = 28                                 # column width of a vector layer
# Half the drawn width of layer i, for the arrows.
halfw(i) = is_vector(i) ? VW / 2.0 : (side(i) + (sheets(i) - 1) * step(i)) / 2.0

set xrange [0:1920]
set yrange [0:1080]
set lmargin at screen 0
set rmargin at screen 1
set bmargin at screen 0
set tmargin at screen 1
unset xtics; unset ytics; unset grid; unset key
set border 0

set label 1 "LeNet-5: the layers, their sizes and their counts (cf. paper Fig. 2)" \
    at 960, 1035 center font FONT_BIG

# The row headers on the left.
ROW1 = 350; ROW2 = 295; ROW3 = 240     # the table's rows
set label 2 "size"        at 30, ROW1 left font FONT_SMALL textcolor rgb "#555555"
set label 3 "parameters"  at 30, ROW2 left font FONT_SMALL textcolor rgb "#555555"
set label 4 "connections" at 30, ROW3 left font FONT_SMALL textcolor rgb "#555555"

obj = 1
do for [i = 1:L] {
    x = xc(i)
    set label 10 + i NAME[i] at x, 945 center font ",30"
    set label 30 + i TYPE[i] at x, 895 center font FONT_SMALL textcolor rgb "#555555"
    set label 50 + i shape(i)  at x, ROW1 center font FONT_SMALL
    set label 70 + i params(i) at x, ROW2 center font FONT_SMALL
    set label 90 + i conns(i)  at x, ROW3 center font FONT_SMALL
    if (is_vector(i)) {
        h = height(i)
        set object obj rectangle from x - VW / 2, YC - h / 2 to x + VW / 2, YC + h / 2 \
            fc rgb fill(TYPE[i]) fs solid 1 border lc rgb "#333333" lw 1.5
        obj = obj + 1
    } else {
        # Sheets from back (top right) to front (bottom left), centred on x;
        # the back sheets with a lighter edge, so that 16 of them stay light.
        s = side(i); n = sheets(i); d = step(i)
        left = x - halfw(i)
        do for [k = n - 1:0:-1] {
            x1 = left + k * d; y1 = YC - s / 2 + k * d - (n - 1) * d / 2.0
            set object obj rectangle from x1, y1 to x1 + s, y1 + s \
                fc rgb fill(TYPE[i]) fs solid 1 \
                border lc rgb (k ? "#777777" : "#333333") lw (k ? 1 : 1.5)
            obj = obj + 1
        }
    }
    if (i > 1) {
        set arrow i from xc(i - 1) + halfw(i - 1) + 8, YC to x - halfw(i) - 8, YC \
            head filled size 10, 25 lw 3 lc rgb "#555555" front
    }
}

set label 200 sprintf("total: %s trainable parameters (+ %s fixed in the RBF layer), %s connections", \
    commas(trainable), commas(fixed), commas(connections)) at 960, 140 center

do for [fmt in FORMATS] {
    eval set_output(fmt, "architecture")
    plot NaN
    unset output
}
