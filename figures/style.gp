# style.gp: the one style every figure script loads (`load 'style.gp'`).
#
# What it gives a script:
#   DATA          where the data files are ("data/", relative to figures/)
#   FORMATS       the outputs to write ("png pdf"; `gnuplot -e "FORMATS='png'"`
#                 for a quick look while editing)
#   set_output(fmt, name)
#                 the command string that selects the terminal for `fmt` and
#                 opens `<name>.<fmt>`; scripts draw inside
#                     do for [fmt in FORMATS] {
#                         eval set_output(fmt, "learning-curves")
#                         ... set / plot / multiplot ...
#                         unset output
#                     }
#                 so multiplots (which cannot be `replot`ted) get both files.
#   FONT_BIG, FONT_SMALL, FONT_TINY
#                 font specs for titles, annotations, dense labels.
#   OI_*          the Okabe–Ito colour-blind-safe colours; linetypes 1–8 use them.
#   PAL_INK, PAL_DIVERGING, PAL_VIRIDIS
#                 palette commands (`eval PAL_INK`), all colour-blind safe:
#                 INK: white paper (low) to black ink (high), for digits and
#                      activations, as the paper prints them;
#                 DIVERGING: ColorBrewer RdBu (blue < 0 < red, white at 0),
#                      for signed weights on a symmetric range;
#                 VIRIDIS: perceptually uniform, for counts.
#   commas(n)     12345 -> "12,345".
#
# Sizes: PNG 1920x1080 for the slides; PDF 16in x 9in (vector). pdfcairo
# scales fonts by 0.5 unless told; 0.6 makes the PDF the same layout as the PNG
# (checked by rasterising the PDF at 120 dpi = 1920x1080 and comparing).

set encoding utf8

if (!exists("DATA"))    DATA = "data/"
if (!exists("FORMATS")) FORMATS = "png pdf"

FONT_NAME  = "DejaVu Sans"
FONT_SIZE  = 28                    # axis labels, tics, keys
FONT_BIG   = ",32"                 # titles
FONT_SMALL = ",22"                 # annotations inside a plot
FONT_TINY  = ",17"                 # dense grids (mistakes, kernels)

PNG_TERM = sprintf("set terminal pngcairo size 1920,1080 noenhanced " . \
                   "font '%s,%d' linewidth 2 rounded background '#ffffff'", \
                   FONT_NAME, FONT_SIZE)
PDF_TERM = sprintf("set terminal pdfcairo size 16in,9in noenhanced " . \
                   "font '%s,%d' fontscale 0.6 linewidth 2 rounded " . \
                   "background '#ffffff'", FONT_NAME, FONT_SIZE)
# Point symbols do not follow fontscale: shrink them in the PDF to match.
set_output(fmt, name) = (fmt eq "png" ? PNG_TERM . "; set pointsize 1" \
                                      : PDF_TERM . "; set pointsize 0.6") . \
                        "; set output '" . name . "." . fmt . "'"

# Okabe & Ito (2008), "Color Universal Design": safe for all common forms of
# colour blindness.
OI_black  = "#000000"; OI_orange = "#E69F00"; OI_sky    = "#56B4E9"
OI_green  = "#009E73"; OI_yellow = "#F0E442"; OI_blue   = "#0072B2"
OI_red    = "#D55E00"; OI_purple = "#CC79A7"
GREY      = "#999999"; LIGHTGREY = "#dddddd"

set linetype 1 lc rgb OI_blue   lw 3 pt 7 ps 1.5
set linetype 2 lc rgb OI_red    lw 3 pt 5 ps 1.5
set linetype 3 lc rgb OI_green  lw 3 pt 9 ps 1.7
set linetype 4 lc rgb OI_orange lw 3 pt 11 ps 1.7
set linetype 5 lc rgb OI_sky    lw 3 pt 13 ps 1.7
set linetype 6 lc rgb OI_purple lw 3 pt 15 ps 1.7
set linetype 7 lc rgb OI_yellow lw 3 pt 7 ps 1.5
set linetype 8 lc rgb OI_black  lw 3 pt 5 ps 1.5
set linetype cycle 8

PAL_INK = "set palette defined (0 '#ffffff', 1 '#000000'); set palette maxcolors 0"
# ColorBrewer RdBu, 9 classes (Brewer: colour-blind safe), reversed so that
# negative is blue and positive red.
PAL_DIVERGING = "set palette defined (" . \
    "0 '#2166ac', 1 '#4393c3', 2 '#92c5de', 3 '#d1e5f0', 4 '#f7f7f7', " . \
    "5 '#fddbc7', 6 '#f4a582', 7 '#d6604d', 8 '#b2182b'); set palette maxcolors 0"
# viridis (van der Walt & Smith, matplotlib), 9 stops.
PAL_VIRIDIS = "set palette defined (" . \
    "0 '#440154', 1 '#472d7b', 2 '#3b528b', 3 '#2c728e', 4 '#21918c', " . \
    "5 '#28ae80', 6 '#5ec962', 7 '#addc30', 8 '#fde725'); set palette maxcolors 0"

# The look shared by every plot with axes.
set border 3 lw 1.5 lc rgb "#333333"
set tics nomirror out scale 0.75 textcolor rgb "#222222"
set grid back lw 1 lc rgb LIGHTGREY dt 1
set key noautotitle
set key top right spacing 1.2 samplen 2.5 opaque nobox width 1
set style fill solid 1.0 noborder
set style textbox opaque noborder
set datafile separator whitespace
set title font FONT_BIG
set colorbox user

commas(n) = n < 1000 ? sprintf("%d", n) : \
            commas(int(n / 1000)) . sprintf(",%03d", int(n) % 1000)
