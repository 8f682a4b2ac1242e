# Grouped bars, one group per row of a tab-separated file whose header names the
# managers: `figure<TAB>cxpm<TAB>pm2[<TAB>ceiling]`; "-" marks a missing figure.
#   gnuplot -e "data='x.tsv'; out='x.png'; heading='…'; unit='ms'; columns=3; rows=2; logscale=1" plot.gp
# Boxes at computed places rather than gnuplot's histogram style, so each value can be
# printed right above its own bar.
set terminal pngcairo size 960,480 font "sans,11"
set output out
set title heading noenhanced
set datafile separator "\t"
set datafile missing "-"
set key top left noenhanced autotitle columnheader
set ylabel unit
set grid ytics
set xtics scale 0 noenhanced
set style fill solid 0.85 border -1
bars = columns - 1
width = 0.8 / bars
set boxwidth width
set xrange [-0.6 : rows - 0.4]
if (logscale) { set logscale y; set yrange [1:*] } else { set yrange [0:*] }
set linetype 1 linecolor rgb "#2b6cb0" # cxpm
set linetype 2 linecolor rgb "#dd8452" # pm2
set linetype 3 linecolor rgb "#999999" # ceiling
label_of(v) = v >= 100 ? sprintf("%.0f", v) : sprintf("%.3g", v)
x(col) = $0 + (col - 2 - (bars - 1) / 2.0) * width
plot data using 0:(NaN):xtic(1) notitle, \
     for [col = 2:columns] data using (x(col)):col with boxes linetype (col - 1) title columnheader(col), \
     for [col = 2:columns] data using (x(col)):col:(label_of(column(col))) \
       with labels offset 0,0.6 font ",9" notitle
