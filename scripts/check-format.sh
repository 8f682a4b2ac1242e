#!/usr/bin/env bash
# Fails when a C or C++ file in the tree differs from what .clang-format asks for
# (clang-format from Debian 12), printing the files and how to fix them.
set -euo pipefail
cd "$(dirname "$0")/.."
mapfile -t files < <(git ls-files '*.cpp' '*.hpp' '*.c' '*.h')
unformatted=()
for f in "${files[@]}"; do
  clang-format --dry-run -Werror "$f" >/dev/null 2>&1 || unformatted+=("$f")
done
if ((${#unformatted[@]})); then
  printf 'not formatted as .clang-format asks:\n' >&2
  printf '  %s\n' "${unformatted[@]}" >&2
  printf 'fix with: clang-format -i %s\n' "${unformatted[*]}" >&2
  exit 1
fi
echo "format: ${#files[@]} files follow .clang-format"
