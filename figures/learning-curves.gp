# learning-curves: training and test error against training pass, the
# analogue of the paper's Fig. 5 (LeNet-5 on MNIST without distortions, 20
# passes over the 60,000 training digits). The paper's results are drawn as
# horizontal reference lines: 0.95% test error and 0.35% training error (§III).
#
# Data: data/train-paper.csv, written by `make train`
#       (columns pass,eta,train_loss,train_error,test_error,seconds; errors in %).

load 'style.gp'

set datafile separator comma
file = DATA . "train-paper.csv"

PAPER_TEST  = 0.95      # % test error, §III
PAPER_TRAIN = 0.35      # % training error after 19 passes, §III

set xlabel "training pass (one pass = 60,000 digits)"
set ylabel "error rate (%)"
set xrange [0.5:20.5]
set xtics 1, 1, 20
set logscale y
# At least 0.2% .. 5%, wider if the data need it.
stats file using 4 skip 1 nooutput
lo = STATS_min; hi = STATS_max
stats file using 5 skip 1 nooutput
lo = (STATS_min < lo ? STATS_min : lo); hi = (STATS_max > hi ? STATS_max : hi)
set yrange [(lo / 1.3 < 0.2 ? lo / 1.3 : 0.2) : (hi * 1.3 > 5 ? hi * 1.3 : 5)]
set ytics ("0.2" 0.2, "0.3" 0.3, "0.5" 0.5, "1" 1, "2" 2, "3" 3, "5" 5)
set mytics 10
set grid xtics ytics
set key top right

set title "LeNet-5 on MNIST: error rate per training pass (cf. paper Fig. 5)"

# Each label sits on the side of its line that the curves leave free.
set label 1 "paper: 0.95% test error" at graph 0.985, first PAPER_TEST \
    offset 0, -0.9 right font FONT_SMALL textcolor rgb OI_red
set label 2 "paper: 0.35% training error (19 passes)" at graph 0.015, \
    first PAPER_TRAIN offset 0, -0.9 left font FONT_SMALL textcolor rgb OI_blue

do for [fmt in FORMATS] {
    eval set_output(fmt, "learning-curves")
    plot PAPER_TEST  lt 2 lw 2 dt (12, 8), \
         PAPER_TRAIN lt 1 lw 2 dt (12, 8), \
         file using 1:5 skip 1 with linespoints lt 2 title "test error (10,000 digits)", \
         file using 1:4 skip 1 with linespoints lt 1 title "training error (60,000 digits)"
    unset output
}
