#!/usr/bin/env bash
# Turns a results directory into the report: medians per scenario, metric and manager in
# RESULTS_DIR/summary.tsv, the markdown page, and its PNG plots in bench/ beside the page.
#
#   bench/report.sh RESULTS_DIR [REPORT.md]     (default: docs/benchmarks.md)
source "$(dirname "$0")/lib.sh"
REPO_DIR=$(cd "$BENCH_DIR/.." && pwd)

results_dir=$(realpath "${1:?usage: bench/report.sh RESULTS_DIR [REPORT.md]}")
doc=${2:-$REPO_DIR/docs/benchmarks.md}
mkdir -p "$(dirname "$doc")"
plots_dir=$(dirname "$doc")/bench
results=$results_dir/results.tsv
summary=$results_dir/summary.tsv
machine=$results_dir/machine.json
if [ ! -f "$results" ] || [ ! -f "$machine" ]; then
  die "no results.tsv and machine.json in $results_dir"
fi

# --- medians -----------------------------------------------------------------------------------

printf 'scenario\tmetric\tmanager\tmedian\tmin\tmax\trounds\tunit\tbetter\tlabel\n' >"$summary"
tail -n +2 "$results" | sort -t$'\t' -k2,2 -k3,3 -k4,4 -k5,5g | awk -F'\t' -v OFS='\t' '
  function flush() {
    if (n == 0) return
    median = (n % 2) ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
    print row[2], row[3], row[4], median, v[1], v[n], n, row[6], row[7], row[8]
    n = 0
  }
  { key = $2 SUBSEP $3 SUBSEP $4
    if (key != previous) { flush(); previous = key; split($0, row, "\t") }
    v[++n] = $5 }
  END { flush() }' >>"$summary"

declare -A median minimum maximum rounds label better
while IFS=$'\t' read -r s m g med lo hi n _unit b lab; do
  median[$s|$m|$g]=$med minimum[$s|$m|$g]=$lo maximum[$s|$m|$g]=$hi rounds[$s|$m|$g]=$n
  label[$s|$m]=$lab better[$s|$m]=$b
done < <(tail -n +2 "$summary")

unit_of() { awk -F'\t' -v s="$1" -v m="$2" '$1 == s && $2 == m { print $8; exit }' "$summary"; }

# number: three significant figures or so, without exponents.
number() {
  awk -v v="$1" 'BEGIN { a = v < 0 ? -v : v
    if (v == int(v)) printf "%d", v; else if (a < 1) printf "%.3g", v; else if (a >= 100) printf "%.0f", v; else if (a >= 10) printf "%.1f", v; else printf "%.2f", v }'
}

# cell S M MANAGER: the median, and the range over the rounds when they differ.
cell() {
  local key="$1|$2|$3"
  [ -n "${median[$key]:-}" ] || { echo "—"; return; }
  local text
  text=$(number "${median[$key]}")
  if [ "${rounds[$key]}" -gt 1 ] && [ "${minimum[$key]}" != "${maximum[$key]}" ]; then
    text+=" <sub>$(number "${minimum[$key]}")–$(number "${maximum[$key]}")</sub>"
  fi
  echo "$text"
}

# ratio S M: cxpm/pm2, and how many times lower or higher cxpm is.
ratio() {
  local c=${median[$1|$2|cxpm]:-} p=${median[$1|$2|pm2]:-}
  if [ -z "$c" ] || [ -z "$p" ] || [ "$(awk -v p="$p" 'BEGIN { print (p == 0) }')" = 1 ]; then
    echo "—"
    return
  fi
  awk -v c="$c" -v p="$p" 'BEGIN { r = c / p
    if (r == 0) { printf "0"; exit }
    printf "%.3g", r
    if (r < 0.95) printf " (%.3g× lower)", 1 / r; else if (r > 1.05) printf " (%.3g× higher)", r }'
}

# --- plots -------------------------------------------------------------------------------------

plots=()
# plot NAME HEADING LOGSCALE ROW...: one bar cluster per ROW "scenario|metric|x label".
plot() {
  local name=$1 heading=$2 logscale=$3
  shift 3
  command -v gnuplot >/dev/null || return 0
  local managers=() g row s m
  for g in cxpm pm2 ceiling; do
    for row in "$@"; do
      IFS='|' read -r s m _ <<<"$row"
      if [ -n "${median[$s|$m|$g]:-}" ]; then
        managers+=("$g")
        break
      fi
    done
  done
  [ ${#managers[@]} -gt 0 ] || return 0
  local data=$results_dir/$name.tsv unit
  IFS='|' read -r s m _ <<<"$1"
  unit=$(unit_of "$s" "$m")
  {
    printf 'figure'
    printf '\t%s' "${managers[@]}"
    printf '\n'
    for row in "$@"; do
      IFS='|' read -r s m x <<<"$row"
      printf '%s' "$x"
      for g in "${managers[@]}"; do printf '\t%s' "${median[$s|$m|$g]:--}"; done
      printf '\n'
    done
  } >"$data"
  mkdir -p "$plots_dir"
  gnuplot -e "data='$data'; out='$plots_dir/$name.png'; heading='$heading'; unit='$unit'; \
    columns=$((${#managers[@]} + 1)); rows=$#; logscale=$logscale" "$BENCH_DIR/plot.gp"
  plots+=("$name")
}

lines=$(jq -r .log_lines "$machine")
procs=$(jq -r .scale_procs "$machine")
plot latency "CLI latency, median wall time (log scale; lower is better)" 1 \
  "2-cli-latency|jlist_ms|jlist, 4 apps" "2-cli-latency|ls_ms|ls, 4 apps" \
  "2-cli-latency|start_stop_ms|start+stop" \
  "7-scale|jlist_ms|jlist, $procs apps" "7-scale|ls_ms|ls, $procs apps"
plot memory "Daemon RSS (lower is better)" 0 \
  "1-idle-rss|daemon_rss|4 idle apps" "6-log-throughput|daemon_rss_after|after $lines log lines" \
  "7-scale|daemon_rss|$procs apps"
plot logs "Time until $lines lines are in the log (lower is better)" 0 \
  "6-log-throughput|time_ms|$lines lines"
plot throughput "Hello server, 2 workers: requests per second (higher is better)" 0 \
  "3-cluster-throughput|new_conns_per_s|new conns" \
  "3-cluster-throughput|keepalive_rps|keep-alive" \
  "3-cluster-throughput|new_conns_per_s_shared|new conns, shared" \
  "3-cluster-throughput|keepalive_rps_shared|keep-alive, shared"

# --- targets -------------------------------------------------------------------------------------

# target TEXT VALUE UNIT TEST: a row of the targets table; TEST is an awk condition on v.
target() {
  local text=$1 value=$2 unit=$3 test=$4 met
  if [ -z "$value" ]; then
    echo "| $text | not measured | — |"
    return
  fi
  met=$(awk -v v="$value" "BEGIN { print (($test) ? \"yes\" : \"**no**\") }")
  echo "| $text | $(number "$value")$unit | $met |"
}

pm2_over_cxpm() {
  local c=${median[$1|$2|cxpm]:-} p=${median[$1|$2|pm2]:-}
  [ -n "$c" ] && [ -n "$p" ] && awk -v c="$c" -v p="$p" 'BEGIN { if (c > 0) print p / c }'
}
cxpm_over_pm2() {
  local c=${median[$1|$2|cxpm]:-} p=${median[$1|$2|pm2]:-}
  [ -n "$c" ] && [ -n "$p" ] && awk -v c="$c" -v p="$p" 'BEGIN { if (p > 0) print c / p }'
}
cxpm_over_ceiling() {
  local c=${median[$1|$2|cxpm]:-} p=${median[$1|$2|ceiling]:-}
  [ -n "$c" ] && [ -n "$p" ] && awk -v c="$c" -v p="$p" 'BEGIN { if (p > 0) print c / p }'
}

targets() {
  echo "| target (from the issues) | measured | met |"
  echo "|---|---|---|"
  target "daemon RSS with 4 apps ≤ 6 MiB" "${median[1-idle-rss|daemon_rss|cxpm]:-}" " MiB" "v <= 6"
  target "daemon RSS ≤ 1/10 of pm2's (cxpm/pm2)" "$(cxpm_over_pm2 1-idle-rss daemon_rss || true)" "" "v <= 0.1"
  target "\`jlist\` median ≤ 5 ms" "${median[2-cli-latency|jlist_ms|cxpm]:-}" " ms" "v <= 5"
  target "\`jlist\` ≥ 30× faster than pm2 (pm2/cxpm)" "$(pm2_over_cxpm 2-cli-latency jlist_ms || true)" "×" "v >= 30"
  target "lines lost: 0 (worst round)" "${maximum[6-log-throughput|lines_lost|cxpm]:-}" "" "v == 0"
  target "an idle daemon uses no CPU ($procs apps, worst round)" "${maximum[7-scale|idle_cpu_pct|cxpm]:-}" " %" "v == 0"
  local t=3-cluster-throughput
  target "new connections/s ≥ 1.8× pm2's (cxpm/pm2)" "$(cxpm_over_pm2 $t new_conns_per_s || true)" "×" "v >= 1.8"
  target "new connections/s ≥ 0.97× the ceiling's (cxpm/ceiling)" \
    "$(cxpm_over_ceiling $t new_conns_per_s || true)" "×" "v >= 0.97"
  target "keep-alive requests/s ≥ 1.2× pm2's (cxpm/pm2)" "$(cxpm_over_pm2 $t keepalive_rps || true)" "×" "v >= 1.2"
  target "failed requests during reloads: 0 (worst round)" \
    "${maximum[4-reload-failures|failed_requests|cxpm]:-}" "" "v == 0"
  local s=10-daemon-survival
  target "daemon kill -9: failed requests 0 (worst round)" "${maximum[$s|crash_failed_requests|cxpm]:-}" "" "v == 0"
  target "daemon kill -9: app processes that died 0 (worst round)" "${maximum[$s|crash_apps_died|cxpm]:-}" "" "v == 0"
  target "daemon kill -9: every app listed again ≤ 100 ms" "${median[$s|crash_answer_ms|cxpm]:-}" " ms" "v <= 100"
  target "update: failed requests 0, app processes that died 0 (worst round)" \
    "$(awk -v a="${maximum[$s|update_failed_requests|cxpm]:-}" -v b="${maximum[$s|update_apps_died|cxpm]:-}" \
      'BEGIN { if (a != "" && b != "") print a + b }')" "" "v == 0"
  target "daemon kill -9 and update: lines lost 0 (worst round)" "${maximum[$s|lines_lost|cxpm]:-}" "" "v == 0"
  local o=11-observe
  target "\`GET /metrics\` scrape of $procs processes < 10 ms" "${median[$o|scrape_metrics_ms|cxpm]:-}" " ms" "v < 10"
  target "daemon RSS with web on and 4 apps < 8 MiB" "${median[$o|daemon_rss_web|cxpm]:-}" " MiB" "v < 8"
}

# --- the page ------------------------------------------------------------------------------------

header_field() { sed -n "s/^# $2: //p" "$1" | head -n 1; }

scenario_section() {
  local file=$1 s number title about pending
  s=$(basename "$file" .sh)
  number=${s%%-*}
  title=$(header_field "$file" title)
  about=$(header_field "$file" about)
  pending=$(header_field "$file" pending)
  echo
  echo "### $number. $title"
  echo
  if [ -n "$pending" ]; then
    echo "**Pending**: $pending, so there is nothing to measure yet. Planned: $about"
    return
  fi
  echo "$about"
  echo
  local metrics
  metrics=$(awk -F'\t' -v s="$s" 'NR > 1 && $2 == s && !seen[$3]++ { print $3 }' "$results")
  if [ -z "$metrics" ]; then
    echo "_Not run in this run._"
    return
  fi
  local has_ceiling=0 m
  grep -q '^# ceiling: yes' "$file" && has_ceiling=1
  if [ "$has_ceiling" = 1 ]; then
    echo "| figure | cxpm | pm2 | ceiling | cxpm/pm2 |"
    echo "|---|---|---|---|---|"
  else
    echo "| figure | cxpm | pm2 | cxpm/pm2 |"
    echo "|---|---|---|---|"
  fi
  for m in $metrics; do
    local higher=""
    [ "${better[$s|$m]}" = higher ] && higher=", higher is better"
    printf '| %s (%s%s) | %s | %s |' "${label[$s|$m]}" "$(unit_of "$s" "$m")" "$higher" \
      "$(cell "$s" "$m" cxpm)" "$(cell "$s" "$m" pm2)"
    [ "$has_ceiling" = 1 ] && printf ' %s |' "$(cell "$s" "$m" ceiling)"
    printf ' %s |\n' "$(ratio "$s" "$m")"
  done
}

plot_link() {
  local name=$1 alt=$2 p
  for p in "${plots[@]}"; do
    [ "$p" = "$name" ] && echo && echo "![$alt](bench/$name.png)"
  done
  return 0
}

m() { jq -r ".$1 // \"?\"" "$machine"; }

{
  cat <<EOF
# Benchmarks: cxpm against pm2

Generated by \`bench/run.sh\` on $(m date) — do not edit by hand; run the command again.
Every figure is the median over $(m rounds) round(s); in each round every scenario runs
for cxpm, then pm2 (the order flips every other round, so neither always gets the warmer
machine), each manager in a fresh private home (\`CXPM_HOME\`, \`PM2_HOME\`). Small
numbers under a median are the lowest and highest round. Lower is better except where a
figure says "higher is better"; "cxpm/pm2" is the ratio of the medians either way.
EOF
  [ "$(m quick)" = 1 ] && printf '\n**Smoke run (`--quick`): tiny sizes, one round — not a measurement.**\n'
  cat <<EOF

## Machine

| | |
|---|---|
| CPU | $(m cpu), $(m nproc) CPUs (\`nproc\`) |
| memory | $(m memory) |
| system | $(m os), $(m kernel) |
| Node.js | $(m node) |
| pm2 | $(m pm2) |
| cxpm | $(m cxpm), commit $(m commit), $(m cxpm_build) |
| load average (1, 5, 15 min) | $(m load_before) at the start, $(m load_after) at the end |

The machine is shared and noisy (a load above its $(m nproc) CPUs means other work
competed with the benchmark): trust ratios and medians more than single runs.

## Targets

EOF
  targets
  cat <<EOF

## How to run

\`\`\`sh
bench/run.sh            # builds cxpm (Release), installs pm2 in a temporary prefix, 5 rounds
bench/run.sh --rounds 9 --only 1,2   # more rounds, some scenarios; --help lists all options
\`\`\`

Raw rows of every round: \`bench/results/<time>/results.tsv\`; medians: \`summary.tsv\`
beside it. In scenarios 1, 2, 6, 7, 9 and 11 both managers load the same ecosystem JSON file
(pm2's format) with separate fork-mode apps — not pm2's \`-i\`, which means cluster mode
there. The cluster scenarios (3, 4, 5 and 8) start both with \`-i 2\`: cluster mode in both.

## Scenarios
EOF
  for file in $(ls "$BENCH_DIR"/scenarios/*.sh | sort -V); do
    scenario_section "$file"
    case $(basename "$file" .sh) in
      2-cli-latency) plot_link latency "CLI latency" ;;
      1-idle-rss) plot_link memory "daemon RSS" ;;
      6-log-throughput) plot_link logs "log throughput" ;;
      3-cluster-throughput) plot_link throughput "cluster throughput" ;;
    esac
  done
} >"$doc"
log "wrote $doc"
