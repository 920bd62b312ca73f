#!/usr/bin/env bash
# The whole test suite, as CI runs it: first the house style (tools/check_format.sh), then the
#   C++ GoogleTest suite (via CTest) in a Release build, a ThreadSanitizer build and an
#   AddressSanitizer+UndefinedBehaviorSanitizer build; then pytest over the installed package.
# On x86-64 it also cross-compiles for ARM64 and runs the platform-sensitive tests under qemu.
# Then the chain's output digest must match across the native, portable and ARM64 builds.
# A Clang build of the core and tests as well (UBT's compiler off Windows), and the UE glue
# compiled against a stand-in of the engine API (tools/check_ue_glue.sh), and the core as a CMake
# package, installed and in-tree, with a host program built on it (tools/check_cmake_package.sh).
# Set SKIP_SANITIZERS=1 / SKIP_ARM64=1 / SKIP_CLANG=1 for a quick local run (CI sets none).
set -euo pipefail
cd "$(dirname "$0")/.."
JOBS=${JOBS:-$(nproc)}

bash tools/ensure_deps.sh

# The house style (.clang-format) first: it takes a second and names the files to fix.
bash tools/check_format.sh

export TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1"
export ASAN_OPTIONS="detect_leaks=1:halt_on_error=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"

configs=(release)
[ "${SKIP_SANITIZERS:-0}" = 1 ] || configs+=(thread address)
for config in "${configs[@]}"; do
  dir="build/test-$config"
  sanitize=""
  bench=OFF
  if [ "$config" = release ]; then bench=ON; else sanitize="$config"; fi
  echo "== C++ tests: $config =="
  cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=Release -DVOCALSYNTH_BUILD_TESTS=ON \
        -DVOCALSYNTH_BUILD_BENCH="$bench" -DVOCALSYNTH_SANITIZE="$sanitize" >/dev/null
  cmake --build "$dir" -j "$JOBS"
  ctest --test-dir "$dir" --output-on-failure -j "$JOBS"
done

if [ "${SKIP_CLANG:-0}" != 1 ]; then
  # Clang's stricter warnings, as errors: 64->32-bit shortening, every kind of shadowing, enum conversions.
  # No per-file ISA flags, as under UBT: the AVX2/AVX-512 crowd kernels come from a target pragma.
  echo "== C++ tests: clang (UBT's compiler off Windows) =="
  CXX=clang++ cmake -S . -B build/test-clang -G Ninja -DCMAKE_BUILD_TYPE=Release -DVOCALSYNTH_BUILD_TESTS=ON \
        -DVOCALSYNTH_CROWD_ISA_FLAGS=OFF \
        -DCMAKE_CXX_FLAGS="-Wshorten-64-to-32 -Wdelete-non-virtual-dtor -Wenum-conversion -Wbitfield-enum-conversion -Wshadow-all" >/dev/null
  cmake --build build/test-clang -j "$JOBS"
  ctest --test-dir build/test-clang --output-on-failure -j "$JOBS"

  # The fuzz targets keep building, and replay their seed corpus once (deterministic; fuzzing
  # itself is run by hand: README, "Fuzzing").
  echo "== Fuzz targets: build and replay the seed corpus =="
  CXX=clang++ cmake -S . -B build/test-fuzz -G Ninja -DCMAKE_BUILD_TYPE=Release -DVOCALSYNTH_BUILD_FUZZERS=ON >/dev/null
  cmake --build build/test-fuzz -j "$JOBS" --target vocalsynth_fuzz_frontend vocalsynth_fuzz_lexicon \
        vocalsynth_fuzz_voice vocalsynth_fuzz_speech vocalsynth_fuzz_crowd vocalsynth_fuzz_npc
  build/test-fuzz/vocalsynth_fuzz_frontend -timeout=10 tests/fuzz/corpus/* 2>&1 | grep -c "^Executed"
  head -c 4000 Resources/Lexicon/en_us.vslex > build/test-fuzz/lexicon-seed
  build/test-fuzz/vocalsynth_fuzz_lexicon -timeout=10 build/test-fuzz/lexicon-seed 2>&1 | grep -c "^Executed"
  build/test-fuzz/vocalsynth_fuzz_voice -timeout=60 tests/fuzz/corpus-voice/* 2>&1 | grep -c "^Executed"
  build/test-fuzz/vocalsynth_fuzz_speech -timeout=60 tests/fuzz/corpus-speech/* 2>&1 | grep -c "^Executed"
  build/test-fuzz/vocalsynth_fuzz_crowd -timeout=60 tests/fuzz/corpus-crowd/* 2>&1 | grep -c "^Executed"
  build/test-fuzz/vocalsynth_fuzz_npc -timeout=60 tests/fuzz/corpus-npc/* 2>&1 | grep -c "^Executed"
fi

if [ "$(uname -m)" = x86_64 ] && [ "${SKIP_ARM64:-0}" != 1 ]; then
  echo "== C++ tests: ARM64 (cross-compiled, run under qemu) =="
  bash tools/check_arm64.sh
fi

echo "== UE glue against the engine stand-in (g++ and clang) =="
bash tools/check_ue_glue.sh g++
[ "${SKIP_CLANG:-0}" = 1 ] || bash tools/check_ue_glue.sh clang++

echo "== Non-finite guards with the core built under -ffast-math (as an engine's /fp:fast might) =="
cmake -S . -B build/test-fastmath -G Ninja -DCMAKE_BUILD_TYPE=Release -DVOCALSYNTH_BUILD_TESTS=ON \
      -DVOCALSYNTH_CORE_FAST_MATH=ON >/dev/null
cmake --build build/test-fastmath -j "$JOBS" --target vocalsynth_tests
build/test-fastmath/vocalsynth_tests --gtest_filter='*NonFinite*' --gtest_brief=1

echo "== The same bits on every SIMD path (portable C++, and ARM64 when built) =="
bash tools/check_digests.sh build/test-release

echo "== The core as a CMake package for a host outside Unreal: installed and add_subdirectory (examples/cpp_host) =="
bash tools/check_cmake_package.sh build/test-release

echo "== Python tests =="
python3 -m pytest tests/python
