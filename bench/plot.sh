#!/bin/sh
# SPDX-License-Identifier: MIT
#
# plot.sh - PNG charts from the benchmarks' CSV output (gnuplot; Debian
# package gnuplot-nox, or gnuplot).
#
#   bench/plot.sh [CSV_DIR [OUT_DIR]]
#
# CSV_DIR (default docs/benchmarks) holds bench_slab.csv, bench_create.csv,
# bench_memory.csv and bench_rcu.csv as written by "--csv"; the charts go
# to OUT_DIR (default: CSV_DIR). A missing CSV skips its charts.
#
#   slab_sizes.png      kmem_cache vs jemalloc vs glibc: alloc+free pairs,
#                       ns/op by object size
#   slab_scenarios.png  every slab scenario on 2 KiB objects, ns/op
#   create.png          sys_socket+sys_close vs socket(2)+close(2), ns/op
#                       per family/type (log scale)
#   create_ratio.png    kernel ns / libsockcore ns per family/type, with the
#                       50x goal
#   scaling.png         aggregate throughput by thread count (creation on
#                       one/separate tables, the kernel; slab 2 threads)
#   growth.png          create N then close N: ns per socket by N
#   memory.png          bytes per live socket by live sockets (libsockcore's
#                       RSS, the kernel's meminfo Slab: slabinfo misses the
#                       caches the kernel merged, UNIX among them)
#   rcu.png             ns per rcu_read_lock/unlock pair by flavour
set -eu

csv=${1:-docs/benchmarks}
out=${2:-$csv}
command -v gnuplot >/dev/null 2>&1 || {
	echo "plot.sh: gnuplot not found (apt-get install gnuplot-nox)" >&2
	exit 1
}
mkdir -p "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

common='set terminal pngcairo size 1100,620 font "DejaVu Sans,10" noenhanced
set grid ytics lc rgb "#dddddd"
set key outside right top
set style fill solid 0.85 border -1
set boxwidth 0.9'

# pivot FILE TEST_REGEX SUBJECTS... : one row per matching test (label =
# the part after "/"), one column per subject's median, in the order given.
pivot() {
	f=$1 re=$2
	shift 2
	awk -F, -v re="$re" -v subj="$*" '
	BEGIN { n = split(subj, s, " ") }
	NR > 1 && $2 ~ re {
		lab = $2; sub(/^[^\/]*\//, "", lab)
		if (!(lab in seen)) { seen[lab] = 1; order[++rows] = lab }
		v[lab, $3] = $5
	}
	END {
		for (r = 1; r <= rows; r++) {
			line = order[r]
			for (i = 1; i <= n; i++)
				line = line " " ((order[r], s[i]) in v ? \
					v[order[r], s[i]] : "NaN")
			print line
		}
	}' "$f"
}

# ---- slab -------------------------------------------------------------------
if [ -f "$csv/bench_slab.csv" ]; then
	s=$csv/bench_slab.csv
	pivot "$s" '^pairs/' kmem_cache jemalloc je-mallocx glibc |
		sort -n > "$tmp/sizes.dat"
	# every scenario on 2048-byte objects
	awk -F, 'NR > 1 && $2 ~ /\/2048$/ && $4 == "ns/op" {
		t = $2; sub(/\/2048$/, "", t)
		if (!(t in seen)) { seen[t] = 1; order[++n] = t }
		v[t, $3] = $5
	} END {
		for (i = 1; i <= n; i++) print order[i], v[order[i], "kmem_cache"], \
			v[order[i], "jemalloc"], v[order[i], "je-mallocx"], \
			v[order[i], "glibc"]
	}' "$s" > "$tmp/scen.dat"
	gnuplot <<EOF
$common
set output "$out/slab_sizes.png"
set title "Slab: alloc+free pairs by object size (median ns/op, lower is better)"
set xlabel "object size (bytes)"
set ylabel "ns per alloc+free"
set style data histograms
set style histogram clustered gap 1
set yrange [0:*]
plot "$tmp/sizes.dat" using 2:xtic(1) title "kmem\\_cache", \
     "" using 3 title "jemalloc malloc/free", \
     "" using 4 title "jemalloc mallocx/sdallocx", \
     "" using 5 title "glibc malloc/free"
set output "$out/slab_scenarios.png"
set title "Slab: every scenario on 2 KiB objects (median ns/op, log scale)"
set xlabel ""
set ylabel "ns per object (alloc+free)"
set logscale y
set yrange [1:*]
set xtics rotate by -30
plot "$tmp/scen.dat" using 2:xtic(1) title "kmem\\_cache", \
     "" using 3 title "jemalloc malloc/free", \
     "" using 4 title "jemalloc mallocx/sdallocx", \
     "" using 5 title "glibc malloc/free"
EOF
fi

# ---- creation ---------------------------------------------------------------
if [ -f "$csv/bench_create.csv" ]; then
	c=$csv/bench_create.csv
	pivot "$c" '^create/' sockcore kernel > "$tmp/create.dat"
	awk -F, 'NR > 1 && $2 ~ /^create\// && $3 == "kernel" {
		t = $2; sub(/^create\//, "", t); print t, $9, $10, $11 }' "$c" \
		> "$tmp/ratio.dat"
	pivot "$c" '^growth/' sockcore kernel | sort -n > "$tmp/growth.dat"
	# throughput (Mops/s) by thread count
	pivot "$c" '^threads/' sockcore-shared sockcore-separate kernel |
		awk '{ printf "%s", $1; for (i = 2; i <= NF; i++)
			printf " %s", ($i == "NaN" ? "NaN" : 1000 / $i);
			print "" }' > "$tmp/threads.dat"
	gnuplot <<EOF
$common
set output "$out/create.png"
set title "Socket creation: create+close (median ns/op, log scale, lower is better)"
set ylabel "ns per create+close"
set logscale y
set style data histograms
set style histogram clustered gap 1
set xtics rotate by -40
plot "$tmp/create.dat" using 2:xtic(1) title "libsockcore sys\\_socket+sys\\_close", \
     "" using 3 title "kernel socket(2)+close(2)"
unset logscale y
set output "$out/create_ratio.png"
set title "How many times faster than the kernel (per-round ratio: median, min-max)"
set ylabel "kernel ns / libsockcore ns"
set logscale y
set yrange [1:*]
set style data boxes
set xtics rotate by -40
plot "$tmp/ratio.dat" using 0:2:xtic(1) with boxes lc rgb "#4477aa" title "median", \
     "" using 0:2:3:4 with yerrorbars lc rgb "black" pt 0 title "min-max", \
     50 with lines lw 2 lc rgb "#cc3311" title "goal: 50x"
set output "$out/growth.png"
set title "Create N sockets, then close them (median ns per socket)"
set xlabel "N (live sockets at the peak)"
set ylabel "ns per create+close"
set logscale xy
set yrange [*:*]
set xtics norotate
plot "$tmp/growth.dat" using 1:2 with linespoints lw 2 title "libsockcore", \
     "" using 1:3 with linespoints lw 2 title "kernel"
EOF
fi

# scaling: creation from bench_create, slab 2threads from bench_slab
if [ -f "$csv/bench_create.csv" ] || [ -f "$csv/bench_slab.csv" ]; then
	: > "$tmp/slab2t.dat"
	if [ -f "$csv/bench_slab.csv" ]; then
		awk -F, '$2 == "2threads/2048" && $3 == "kmem_cache" {
			print 1, 1; print 2, $9 }' "$csv/bench_slab.csv" \
			> "$tmp/slab2t.dat"
	fi
	[ -f "$tmp/threads.dat" ] || : > "$tmp/threads.dat"
	# speed-up over one thread
	awk 'NR == 1 { for (i = 2; i <= NF; i++) one[i] = $i }
	     { printf "%s", $1; for (i = 2; i <= NF; i++) printf " %s", $i / one[i];
	       print "" }' "$tmp/threads.dat" > "$tmp/speedup.dat"
	gnuplot <<EOF
$common
set output "$out/scaling.png"
set title "Scaling by thread count (aggregate throughput over one thread's; 2 vCPUs)"
set xlabel "threads"
set ylabel "speed-up over 1 thread"
set xrange [0.8:2.2]
set yrange [0:2.2]
set xtics 1
plot "$tmp/speedup.dat" using 1:2 with linespoints lw 2 pt 7 title "create+close, one shared table", \
     "" using 1:3 with linespoints lw 2 pt 5 title "create+close, a table per thread", \
     "" using 1:4 with linespoints lw 2 pt 9 title "kernel socket+close (one table)", \
     "$tmp/slab2t.dat" using 1:2 with linespoints lw 2 pt 13 title "kmem\\_cache 2 KiB bursts", \
     x with lines dt 2 lc rgb "gray" title "linear", \
     1.6 with lines dt 3 lc rgb "#cc3311" title "goal 1.6x (shared table)", \
     1.9 with lines dt 3 lc rgb "#ee7733" title "goal 1.9x (slab)"
EOF
fi

# ---- memory -----------------------------------------------------------------
if [ -f "$csv/bench_memory.csv" ]; then
	m=$csv/bench_memory.csv
	for k in inet-tcp inet-udp inet6-tcp unix-stream; do
		pivot "$m" "^mem-$k/" sockcore-rss sockcore-objects \
			kernel-slab kernel-meminfo | sort -n > "$tmp/mem-$k.dat"
	done
	gnuplot <<EOF
$common
set output "$out/memory.png"
set title "Memory per live socket (median bytes): libsockcore RSS vs the kernel's Slab (/proc/meminfo)"
set xlabel "live sockets"
set ylabel "bytes per socket"
set logscale x
set yrange [0:*]
set key outside right top
kinds = "inet-tcp inet-udp inet6-tcp unix-stream"
plot for [i=1:4] "$tmp/mem-".word(kinds, i).".dat" using 1:2 \
	with linespoints lw 2 lc i pt 7 title word(kinds, i)." libsockcore RSS", \
     for [i=1:4] "$tmp/mem-".word(kinds, i).".dat" using 1:5 \
	with linespoints lw 2 lc i pt 4 dt 2 title word(kinds, i)." kernel Slab"
EOF
fi

# ---- RCU --------------------------------------------------------------------
if [ -f "$csv/bench_rcu.csv" ]; then
	awk -F, 'NR > 1 && $2 == "rcu/read-pair" { print $3, $5, $6, $7 }' \
		"$csv/bench_rcu.csv" > "$tmp/rcu.dat"
	gnuplot <<EOF
$common
set output "$out/rcu.png"
set title "RCU read-side: ns per rcu_read_lock+unlock pair (median, min-max)"
set ylabel "ns per pair"
set yrange [0:*]
set style data boxes
set xtics rotate by -30
plot "$tmp/rcu.dat" using 0:2:xtic(1) with boxes lc rgb "#4477aa" title "median", \
     "" using 0:2:3:4 with yerrorbars lc rgb "black" pt 0 title "min-max"
EOF
fi
ls "$out"/*.png
