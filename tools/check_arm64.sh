#!/usr/bin/env bash
# ARM64 check: cross-compiles the core and the C++ tests with aarch64-linux-gnu-g++ (-Werror, no
# exceptions, no RTTI, NEON kernels) and runs the platform-sensitive tests under qemu-aarch64:
# crowds (NEON vs scalar within 1e-5, determinism, threads), the parameter pipeline, the
# building blocks (SVF, smoother, noise, LPC, denormal guard), the chain's NEON paths (pitch
# tracker, limiter, band splitter), the voice's block-size independence and determinism, and its
# guards against non-finite, wild and subnormal input (NEON bit tests). Also
# builds the chain digest that tools/check_digests.sh compares with x86-64's. Needs apt:
# g++-aarch64-linux-gnu qemu-user libgtest-dev.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=build/arm64
cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_TOOLCHAIN_FILE=cmake/aarch64-linux-gnu.cmake \
      -DVOCALSYNTH_BUILD_TESTS=ON -DVOCALSYNTH_GTEST_FROM_SOURCE=ON -Wno-dev >/dev/null
cmake --build "$dir" -j "${JOBS:-$(nproc)}" --target vocalsynth_tests vocalsynth_chain_digest
qemu-aarch64 -L /usr/aarch64-linux-gnu "$dir/vocalsynth_tests" \
  --gtest_filter='Crowd.*:ParamPipeline.*:Svf.*:Smoother.*:Random.*:DenormalGuard.*:Lpc.*:PitchTracker.*:TruePeakLimiter.*:BandSplitter.*:Voice.OutputDoesNotDependOnBlockSize:Voice.SameSeedIsBitIdenticalAndSeedsDiffer:Voice.HumanIsTransparent:Voice.NonFiniteInputIsContainedAndReported:Voice.WildFiniteInputIsHeldAt60DbOverFullScaleAndBlocksStillDoNotMatter:Voice.SubnormalInputIsFlushedSoNoCopyHandsItOn' --gtest_brief=1
