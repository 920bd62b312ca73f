#!/usr/bin/env bash
# The house style (.clang-format) of the core and of the C++ built on it here: tests, benchmarks,
# fuzz targets, the Python bindings, the examples. UE glue keeps Epic's conventions and is not checked.
#   tools/check_format.sh          list the files that differ from the style; exit 1 if any
#   tools/check_format.sh --fix    rewrite them in place
# The clang-format version is pinned in pyproject.toml's test extras: versions format differently.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v clang-format >/dev/null; then
  echo "check_format: clang-format is missing: python3 -m pip install '.[test]' installs the pinned one" >&2
  exit 1
fi
mapfile -t files < <(git ls-files --cached --others --exclude-standard 'Source/VocalSynthesisCore/*.cpp' 'Source/VocalSynthesisCore/*.h' \
                                  'tests/cpp/*.cpp' 'tests/cpp/*.h' 'tests/fuzz/*.cpp' 'tests/fuzz/*.h' \
                                  'bench/*.cpp' 'python/*.cpp' 'examples/*.cpp')
if [ "${1:-}" = --fix ]; then
  clang-format -i --style=file "${files[@]}"
  exit 0
fi
if ! clang-format --dry-run --Werror --style=file "${files[@]}" 2>/dev/null; then
  echo "check_format: these files differ from .clang-format (tools/check_format.sh --fix rewrites them):" >&2
  for f in "${files[@]}"; do
    clang-format --style=file "$f" | cmp -s - "$f" || echo "  $f" >&2
  done
  exit 1
fi
echo "check_format: ${#files[@]} files follow .clang-format ($(clang-format --version | grep -o '[0-9][0-9.]*' | head -1))"
