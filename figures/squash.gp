# squash: the squashing function of every LeNet-5 unit, f(a) = A tanh(S a)
# with A = 1.7159 and S = 2/3 (paper, Appendix A), and its derivative.
# The constants make f(1) = 1 and f(-1) = -1: the targets sit where the
# second derivative is largest, never on the flat (saturated) tails.
# No data: gnuplot evaluates the formulas.

load 'style.gp'

A = 1.7159
S = 2.0 / 3.0
f(a)  = A * tanh(S * a)
df(a) = A * S * (1 - tanh(S * a)**2)      # f'(a) = A S sech^2(S a)

set xlabel "weighted sum a (input to the unit)"
set ylabel "unit output"
set xrange [-4:4]
set yrange [-2:2]
set xtics 1
set ytics 0.5
set grid xtics ytics
set samples 400
set key at graph 0.97, graph 0.40 right top   # the empty lower right

set title "The squashing function f(a) = 1.7159·tanh(2a/3) (Appendix A)"

# The asymptotes ±A and the marked points f(±1) = ±1.
set arrow 1 from -4, A to 4, A nohead lc rgb GREY lw 1.5 dt 2 back
set arrow 2 from -4, -A to 4, -A nohead lc rgb GREY lw 1.5 dt 2 back
set label 3 "asymptote +1.7159" at 3.9, A offset 0, 0.8 right font FONT_SMALL textcolor rgb "#555555"
set label 4 "asymptote −1.7159" at 3.9, -A offset 0, -0.8 right font FONT_SMALL textcolor rgb "#555555"
set arrow 5 from 1, 0 to 1, 1 nohead lc rgb OI_blue lw 1.5 dt 2 back
set arrow 6 from 0, 1 to 1, 1 nohead lc rgb OI_blue lw 1.5 dt 2 back
set arrow 7 from -1, 0 to -1, -1 nohead lc rgb OI_blue lw 1.5 dt 2 back
set arrow 8 from 0, -1 to -1, -1 nohead lc rgb OI_blue lw 1.5 dt 2 back
set label 9 "f(1) = 1" at 1, 1 offset 1.2, -0.6 left font FONT_SMALL textcolor rgb OI_blue
set label 10 "f(−1) = −1" at -1, -1 offset -1.2, 0.6 right font FONT_SMALL textcolor rgb OI_blue
set label 11 sprintf("f′(0) = %.4f", df(0)) at 0, df(0) offset 1.2, 0.6 left \
    font FONT_SMALL textcolor rgb OI_red

do for [fmt in FORMATS] {
    eval set_output(fmt, "squash")
    plot f(x)  lt 1 lw 4 title "f(a) = 1.7159 tanh(2a/3)", \
         df(x) lt 2 lw 4 dt (16, 8) title "derivative f′(a)", \
         '+' using (1):(f(1)) every ::0::0 with points lt 1 pt 7 ps 2.5, \
         '+' using (-1):(f(-1)) every ::0::0 with points lt 1 pt 7 ps 2.5
    unset output
}
