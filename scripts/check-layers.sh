#!/usr/bin/env bash
# Fails when a layer includes a layer it may not use. The allowed graph has one source: the
# cxpm_layer(...) calls in CMakeLists.txt, where each layer names the layers it links
# directly. Every `#include "cxpm/<layer>/…"` in src/<layer>/ and include/cxpm/<layer>/ must
# name the layer itself or one of those, and docs/architecture.md's layers table ("may use")
# must name the same layers, so the table stays true.
set -euo pipefail
cd "$(dirname "$0")/.."

# "layer dep dep …" per cxpm_layer call, calls that span lines joined.
mapfile -t graph < <(
  awk '/^cxpm_layer\(/ { call = "" } call != "" || /^cxpm_layer\(/ { call = call " " $0 }
       call != "" && /\)/ { print call; call = "" }' CMakeLists.txt |
    sed -E 's/.*cxpm_layer\(//; s/\).*//' |
    awk '{ line = $1; for (i = 2; i <= NF; i++) if ($i ~ /^cxpm_[a-z]+$/) line = line " " substr($i, 6); print line }'
)
((${#graph[@]})) || { echo "check-layers: no cxpm_layer(...) calls in CMakeLists.txt" >&2; exit 2; }

declare -A allowed
for entry in "${graph[@]}"; do
  read -r layer deps <<<"$entry"
  allowed[$layer]=" $deps "
done
# Non-layer helper libraries (cxpm_yaml, cxpm_fmt, …) are not layers: keep only layers.
for layer in "${!allowed[@]}"; do
  kept=" "
  for dep in ${allowed[$layer]}; do
    [ -n "${allowed[$dep]+set}" ] && kept+="$dep "
  done
  allowed[$layer]=$kept
done

problems=()
for layer in "${!allowed[@]}"; do
  while IFS=: read -r file line used; do
    [ "$used" = "$layer" ] && continue
    [[ ${allowed[$layer]} == *" $used "* ]] && continue
    problems+=("$file:$line: $layer/ includes $used/, which it may not use (allowed:${allowed[$layer]% })")
  done < <(grep -rnoE '#include "cxpm/[a-z]+/' "src/$layer" "include/cxpm/$layer" 2>/dev/null |
    sed -E 's|^([^:]+):([0-9]+):#include "cxpm/([a-z]+)/$|\1:\2:\3|')
done

# The documentation's table: | `layer/` | what | may use |, its last column naming layers.
for layer in "${!allowed[@]}"; do
  row=$(grep -E "^\| \`$layer/\` \|" docs/architecture.md || true)
  if [ -z "$row" ]; then
    problems+=("docs/architecture.md: the layers table has no row for $layer/")
    continue
  fi
  may_use=$(awk -F'|' '{ print $(NF - 1) }' <<<"$row")
  documented=" "
  for word in $(tr -c 'a-z\n' ' ' <<<"$may_use"); do
    [ -n "${allowed[$word]+set}" ] && [[ $documented != *" $word "* ]] && documented+="$word "
  done
  want=$(tr ' ' '\n' <<<"${allowed[$layer]}" | sed '/^$/d' | sort | tr '\n' ' ')
  have=$(tr ' ' '\n' <<<"$documented" | sed '/^$/d' | sort | tr '\n' ' ')
  [ "$want" = "$have" ] ||
    problems+=("docs/architecture.md: $layer/ may use [${have% }] in the table, [${want% }] in CMakeLists.txt")
done

if ((${#problems[@]})); then
  printf 'layers: %s\n' "${problems[@]}" >&2
  echo "layers: the allowed graph is the cxpm_layer(...) calls in CMakeLists.txt" >&2
  exit 1
fi
echo "layers: ${#allowed[@]} layers include only what CMakeLists.txt lets them use"
