// Shared by the fuzz targets: what a broken caller sends, verbose replays, bit comparisons.
#pragma once

#include <fuzzer/FuzzedDataProvider.h>

#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <limits>

namespace vs_fuzz {

/// NaN, infinities, +-1e9 or any float.
inline float wildValue(FuzzedDataProvider& data) {
  switch (data.ConsumeIntegralInRange(0, 5)) {
    case 0: return std::numeric_limits<float>::quiet_NaN();
    case 1: return std::numeric_limits<float>::infinity();
    case 2: return -std::numeric_limits<float>::infinity();
    case 3: return 1e9f;
    case 4: return -1e9f;
    default: return data.ConsumeFloatingPoint<float>();
  }
}

/// VOCALSYNTH_FUZZ_VERBOSE=1 (when replaying one input) prints the case the bytes decode to.
inline bool verbose() {
  static const bool on = std::getenv("VOCALSYNTH_FUZZ_VERBOSE") != nullptr;
  return on;
}

/// The first of `n` samples whose bits differ, or n when all match (== would pass over -0
/// against +0).
inline std::size_t firstBitDifference(const float* a, const float* b, std::size_t n) {
  if (std::memcmp(a, b, n * sizeof(float)) == 0) return n;
  std::size_t k = 0;
  while (k < n && std::memcmp(&a[k], &b[k], sizeof(float)) == 0) ++k;
  return k;
}

}  // namespace vs_fuzz
