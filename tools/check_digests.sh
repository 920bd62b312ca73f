#!/usr/bin/env bash
# Same bits everywhere: the voice chain's output digest (bench/chain_digest.cpp: every archetype x
# level of detail x 48/44.1 kHz, uneven blocks) from the Release build (SSE2 on x86-64) must equal
# the portable build's (the four-lane helpers in plain C++), the x86-64-v3 (AVX2, FMA) and -v4
# (AVX-512) builds' where this CPU runs them, the clang build's where
# build/test-clang holds one and, where build/arm64 holds the cross-compiled digest, the ARM64
# build's (NEON) under qemu. All are fed the same input bits
# (libm, which renders the built-in anchor, differs across platforms). A game can bake a line on
# the build farm and play the same bits at run time on any platform.
set -euo pipefail
cd "$(dirname "$0")/.."
release=${1:-build/test-release}
out=build/digests
rm -rf "$out" && mkdir -p "$out/anchors"

cmake -S . -B build/test-portable -G Ninja -DCMAKE_BUILD_TYPE=Release -DVOCALSYNTH_BUILD_TESTS=ON \
      -DVOCALSYNTH_PORTABLE_SIMD=ON >/dev/null
cmake --build build/test-portable -j "${JOBS:-$(nproc)}" --target vocalsynth_chain_digest

"$release/vocalsynth_chain_digest" --anchors "$out/anchors" > "$out/native.txt"
build/test-portable/vocalsynth_chain_digest --anchors "$out/anchors" > "$out/portable.txt"
diff -u "$out/native.txt" "$out/portable.txt"
echo "portable SIMD path: the same bits as the native one ($(wc -l < "$out/native.txt") renders)"

# The x86-64 feature levels a game ships for: x86-64-v3 (AVX2 + FMA: PS5, Xbox Series, UE's AVX2
# PC targets) and x86-64-v4 (AVX-512). The compiler may widen loops and use FMA instructions
# there; the core's no-contraction rule keeps the bits. Each level is checked where this CPU runs it.
if [ "$(uname -m)" = x86_64 ] && [ "${SKIP_ISA_LEVELS:-0}" != 1 ]; then
  for level in x86-64-v3 x86-64-v4; do
    if ! /lib64/ld-linux-x86-64.so.2 --help 2>/dev/null | grep -q "$level (supported"; then
      echo "$level: this CPU cannot run it, not checked"
      continue
    fi
    dir=build/test-$level
    cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=Release -DVOCALSYNTH_BUILD_TESTS=ON \
          -DCMAKE_CXX_FLAGS="-march=$level" >/dev/null
    cmake --build "$dir" -j "${JOBS:-$(nproc)}" --target vocalsynth_chain_digest
    "$dir/vocalsynth_chain_digest" --anchors "$out/anchors" > "$out/$level.txt"
    diff -u "$out/native.txt" "$out/$level.txt"
    echo "$level: the same bits as the baseline x86-64 build"
  done
fi

if [ "${SKIP_CLANG:-0}" != 1 ] && [ -x build/test-clang/vocalsynth_chain_digest ]; then
  build/test-clang/vocalsynth_chain_digest --anchors "$out/anchors" > "$out/clang.txt"
  diff -u "$out/native.txt" "$out/clang.txt"
  echo "clang: the same bits as g++"
fi

if [ "${SKIP_ARM64:-0}" != 1 ] && [ -x build/arm64/vocalsynth_chain_digest ] && command -v qemu-aarch64 >/dev/null; then
  qemu-aarch64 -L /usr/aarch64-linux-gnu build/arm64/vocalsynth_chain_digest --anchors "$out/anchors" > "$out/arm64.txt"
  diff -u "$out/native.txt" "$out/arm64.txt"
  echo "ARM64 (NEON): the same bits as x86-64 (SSE2)"
fi
