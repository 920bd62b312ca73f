// Shared by the fuzz targets: what a broken caller sends, verbose replays, bit comparisons.
#pragma once

#include <fuzzer/FuzzedDataProvider.h>

#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <limits>

#include "vocalsynth/archetypes.h"
#include "vocalsynth/voice_params.h"
#ifdef VOCALSYNTH_LEXICON_PATH
#include <fstream>
#include <sstream>

#include "vocalsynth/speech/text_frontend.h"
#endif

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

/// An archetype's parameters with up to six of them overridden: mostly the ranges' edges or
/// values inside, sometimes anything a broken caller sends.
inline vocalsynth::VoiceParams fuzzedParams(FuzzedDataProvider& data) {
  const std::size_t archetypeIndex = data.ConsumeIntegralInRange<std::size_t>(0, vocalsynth::archetypeCount() - 1);
  vocalsynth::VoiceParams params = vocalsynth::archetypes()[archetypeIndex].params;
  const int overrides = data.ConsumeIntegralInRange(0, 6);
  for (int i = 0; i < overrides; ++i) {
    const vocalsynth::ParamInfo& info =
        vocalsynth::paramInfos()[data.ConsumeIntegralInRange<std::size_t>(0, vocalsynth::paramCount() - 1)];
    float value = 0.0f;
    switch (data.ConsumeIntegralInRange(0, 3)) {
      case 0: value = info.minValue; break;
      case 1: value = info.maxValue; break;
      case 2: value = data.ConsumeFloatingPointInRange(info.minValue, info.maxValue); break;
      default: value = wildValue(data); break;
    }
    params.*(info.member) = value;
  }
  return params;
}

/// VOCALSYNTH_FUZZ_VERBOSE=1 (when replaying one input) prints the case the bytes decode to.
inline bool verbose() {
  static const bool on = std::getenv("VOCALSYNTH_FUZZ_VERBOSE") != nullptr;
  return on;
}

/// The first of `n` samples whose bits differ, or n when all match (== would pass over -0
/// against +0).
inline std::size_t firstBitDifference(const float* a, const float* b, std::size_t n) {
  if (n == 0 || std::memcmp(a, b, n * sizeof(float)) == 0) return n;  // (no memcmp of empty, maybe null, buffers)
  std::size_t k = 0;
  while (k < n && std::memcmp(&a[k], &b[k], sizeof(float)) == 0) ++k;
  return k;
}

#ifdef VOCALSYNTH_LEXICON_PATH
/// The dictionary the plugin ships (the targets that speak are built with its path).
inline const vocalsynth::speech::Lexicon& shippedLexicon() {
  static const vocalsynth::speech::Lexicon lexicon = [] {
    std::ifstream file(VOCALSYNTH_LEXICON_PATH, std::ios::binary);
    std::stringstream data;
    data << file.rdbuf();
    vocalsynth::speech::Lexicon loaded;
    if (!loaded.load(data.str())) std::abort();  // the fuzzer needs the real dictionary
    return loaded;
  }();
  return lexicon;
}
#endif

}  // namespace vs_fuzz
