#!/usr/bin/env bash
# Builds the libFuzzer targets (fuzz/) with clang into build-fuzz/ and runs each one for its
# share of CXPM_FUZZ_SECONDS (60 in all by default), starting from its seeds in
# fuzz/corpus/<target>/. A crash, a sanitizer report, a broken property, a hang or a memory
# blow-up fails the run, and the input that reproduces it is printed with the command to
# replay it. Inputs the fuzzer finds interesting are kept in build-fuzz/corpus/<target>/, so
# later runs go on from there; the seeds in the repository are never written to.
#
#   scripts/fuzz.sh                    every target, 60 s in all
#   scripts/fuzz.sh cron_parser units  only these
#   CXPM_FUZZ_SECONDS=600 scripts/fuzz.sh
set -euo pipefail
cd "$(dirname "$0")/.."

all_targets=(request_decoder ecosystem_loader cron_parser units line_splitter web_auth)
targets=("$@")
((${#targets[@]})) || targets=("${all_targets[@]}")

# The longest input each target is given: enough for every shape its parser knows (the
# ecosystem seeds include the 8.5 KB example file), small enough to keep executions fast.
declare -A max_len=(
  [request_decoder]=8192 [ecosystem_loader]=16384 [cron_parser]=256 [units]=64
  [line_splitter]=4096 [web_auth]=4096
)

total=${CXPM_FUZZ_SECONDS:-60}
seconds=$((total / ${#targets[@]}))
((seconds > 0)) || seconds=1

./scripts/install-deps.sh

echo "== build fuzz targets (clang, libFuzzer + ASan + UBSan)"
CC=clang CXX=clang++ cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCXPM_FUZZ=ON -DCXPM_WERROR=ON -DCXPM_STATIC_DEPS=OFF -DCXPM_TESTS=OFF >/dev/null
cmake --build build-fuzz --target cxpm_fuzzers -j "$(nproc)"

# Leaks count as findings; anything undefined stops the input where it happens.
export ASAN_OPTIONS=detect_leaks=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

failed=()
for target in "${targets[@]}"; do
  [ -n "${max_len[$target]:-}" ] || { echo "fuzz.sh: no target '$target' (${all_targets[*]})" >&2; exit 2; }
  corpus=build-fuzz/corpus/$target findings=build-fuzz/findings/$target log=build-fuzz/fuzz-$target.log
  mkdir -p "$corpus" "$findings"
  options=(-max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len="${max_len[$target]}"
           -print_final_stats=1 -artifact_prefix="$findings/")
  [ -f "fuzz/$target.dict" ] && options+=(-dict="fuzz/$target.dict")
  echo "== fuzz $target for ${seconds}s"
  if build-fuzz/fuzz/"$target" "${options[@]}" "$corpus" "fuzz/corpus/$target" >"$log" 2>&1; then
    executions=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    echo "$target: ${executions:-?} executions in ${seconds}s, no finding" \
         "($(find "$corpus" -type f | wc -l) inputs kept in $corpus)"
  else
    failed+=("$target")
    # The report's first lines (sanitizer or broken property), its summary, and the input.
    awk '/ERROR: |fuzz property broken|^SUMMARY: |deadly signal/ && !shown++ { n = 30 }
         n-- > 0 || /^SUMMARY: /' "$log" >&2 || true
    sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | while read -r input; do
      echo "$target: reproduce with: build-fuzz/fuzz/$target $input   (log: $log)" >&2
    done
  fi
done

if ((${#failed[@]})); then
  echo "fuzz.sh: findings in: ${failed[*]}" >&2
  exit 1
fi
