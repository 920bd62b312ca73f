#!/usr/bin/env bash
# The core as a CMake package, both ways a host outside Unreal takes it (examples/cpp_host):
# installed (`cmake --install`, then find_package(VocalSynthesis)) and in-tree (add_subdirectory).
# Each way builds the example host, with the host's own flags, and runs it: it speaks a line,
# processes a signal, fills an interleaved buffer and renders a crowd, and exits 1 if anything
# comes out silent, non-finite, over the ceiling or without its word events.
#   tools/check_cmake_package.sh [BUILD]   BUILD: a configured build of this project to install
#                                           from (default build/test-release; built if needed)
set -euo pipefail
cd "$(dirname "$0")/.."
JOBS=${JOBS:-$(nproc)}
build=${1:-build/test-release}
work=build/package
rm -rf "$work"
mkdir -p "$work"

echo "-- installed: cmake --install $build, then find_package(VocalSynthesis)"
cmake --build "$build" -j "$JOBS" --target vocalsynth_core
cmake --install "$build" --prefix "$work/prefix" >"$work/install.log"
for f in lib/libvocalsynth_core.a include/vocalsynth/vocalsynth.h include/vocalsynth/speech/text_frontend.h \
         share/VocalSynthesis/en_us.vslex lib/cmake/VocalSynthesis/VocalSynthesisConfig.cmake; do
  [ -f "$work/prefix/$f" ] || { echo "not installed: $f" >&2; exit 1; }
done
# Nothing of this project's source tree may be needed once installed: configure from a copy.
cp -r examples/cpp_host "$work/host-src"
cmake -S "$work/host-src" -B "$work/installed" -G Ninja -DCMAKE_BUILD_TYPE=Release \
      -DCMAKE_PREFIX_PATH="$PWD/$work/prefix" >"$work/installed.log"
grep -q "lexicon $PWD/$work/prefix/share/VocalSynthesis/en_us.vslex" "$work/installed.log" \
  || { cat "$work/installed.log" >&2; echo "VocalSynthesis_LEXICON is not the installed lexicon" >&2; exit 1; }
cmake --build "$work/installed" -j "$JOBS"
"$work/installed/vocalsynth_host"

echo "-- in-tree: add_subdirectory of this folder"
cmake -S examples/cpp_host -B "$work/in-tree" -G Ninja -DCMAKE_BUILD_TYPE=Release -DVOCALSYNTH_SOURCE_DIR="$PWD" \
      >"$work/in-tree.log"
cmake --build "$work/in-tree" -j "$JOBS"
"$work/in-tree/vocalsynth_host"
