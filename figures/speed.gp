# speed: seconds per training pass over the 60,000 MNIST digits (SDLM, one
# update per pattern, double precision, one core), after each step of
# chapter 10, in the portable build and with NATIVE=1, and the last step's
# pass on two cores (each pattern's layers shared, §10.7), and §10.8's, on one
# core and two, and the FMA=1 option's (10.9; NATIVE=1 only) (make bench, wall
# clock), all on the Intel Xeon; then, on the AMD EPYC, the code before 10.10
# (from the training rate of bench ... quick) and after it (make bench), on
# one core and two, and FMA=1; then after 10.11 (make bench), one core, and
# FMA=1 on one core and two; then, on a 2-core Intel Xeon (10.13),
# the code before -mprefer-vector-width=512 (from bench ... quick's
# training rate) and after it (make bench), and FMA=1 on one core and two;
# then after 10.14 (make bench), one core, and FMA=1 on one core and two;
# beside the peers
# issue 5 measured on its own machine (AMD EPYC Zen 4), which are quoted, not
# re-measured here; and the issue's target, 5 s.
#
# Data: data/speed-steps.csv (columns order,label,kind,portable_s,native_s;
#       kind "ours" was measured here, step by step, "peer" is quoted).

load 'style.gp'

set datafile separator comma
file = DATA . "speed-steps.csv"
TARGET = 5.0

stats file using 1 skip 1 nooutput
last = STATS_max

set ylabel "seconds per pass (60,000 digits)"
set xrange [-0.7 : last + 0.7]
set yrange [0:50]
set ytics 0, 5, 30
set bmargin 7
set rmargin 12
set xtics rotate by -30 left nomirror font FONT_SMALL
set grid noxtics ytics
set key top right
set style fill solid 1.0 noborder
set boxwidth 0.36

set title "LeNet-5 training speed: chapter 10's steps, and peers measured by issue 5"

ours(kind, v) = kind eq "ours" ? v : 1/0
peer(kind, v) = kind eq "peer" ? v : 1/0

do for [fmt in FORMATS] {
    eval set_output(fmt, "speed")
    plot TARGET lt 3 lw 2 dt (12, 8) title "issue 5's target: 5 s per pass", \
         file using ($1 - 0.19):(ours(strcol(3), $4)):xtic(2) skip 1 \
              with boxes lc rgb OI_blue title "this code, portable build", \
         file using ($1 + 0.19):(ours(strcol(3), $5)) skip 1 \
              with boxes lc rgb OI_red title "this code, NATIVE=1 (AVX-512)", \
         file using 1:(peer(strcol(3), $5)) skip 1 \
              with boxes lc rgb GREY title "peers, as measured by issue 5 (its machine)", \
         file using ($1 - 0.19):(ours(strcol(3), $4)):(sprintf("%.1f", $4)) skip 1 \
              with labels offset 0, 0.8 font FONT_SMALL, \
         file using ($1 + 0.19):(ours(strcol(3), $5)):(sprintf("%.1f", $5)) skip 1 \
              with labels offset 0, 0.8 font FONT_SMALL, \
         file using 1:(peer(strcol(3), $5)):(sprintf("%.1f", $5)) skip 1 \
              with labels offset 0, 0.8 font FONT_SMALL
    unset output
}
