// Small measurement helpers shared by the C++ tests.
#pragma once

#include <algorithm>
#include <atomic>
#include <cmath>
#include <complex>
#include <vector>

#include "vocalsynth/vocalsynth.h"

namespace vs_test {

/// Armed by a test around code that must not allocate; operator new (test_voice.cpp) counts.
extern std::atomic<bool> gCountAllocations;
extern std::atomic<long> gAllocations;
/// operator delete of a non-null block while armed (for tests that everything made is freed).
extern std::atomic<long> gFrees;

inline std::vector<const char*> archetypeNames() {
  std::vector<const char*> names;
  for (std::size_t i = 0; i < vocalsynth::archetypeCount(); ++i) names.push_back(vocalsynth::archetypes()[i].name);
  return names;
}

/// An archetype's parameters with its additive layers (clicks, pops, rasps, creaks, heartbeat,
/// blood flow, breath, hum) off: the voice path alone.
inline vocalsynth::VoiceParams voicePathOnly(const char* name) {
  vocalsynth::VoiceParams p = vocalsynth::findArchetype(name)->params;
  p.clicks = p.wetPops = p.rasps = p.creaks = 0.0f;
  p.heartbeat = p.bloodFlow = p.breathLayer = p.hum = 0.0f;
  return p;
}

inline std::vector<float> anchor(double rate, double seconds, const char* vowels = "aeiou", float vibrato = 0.0f,
                                 std::uint64_t seed = 1) {
  std::vector<float> x(static_cast<size_t>(std::lround(rate * seconds)));
  vocalsynth::AnchorSettings s;
  s.vowels = vowels;
  s.vibratoDepth = vibrato;
  s.seed = seed;
  vocalsynth::renderAnchor(s, rate, x.data(), static_cast<int>(x.size()));
  return x;
}

inline std::vector<float> render(vocalsynth::Voice& voice, const std::vector<float>& in, int block) {
  std::vector<float> out(in.size());
  for (size_t pos = 0; pos < in.size(); pos += static_cast<size_t>(block)) {
    const int n = static_cast<int>(std::min<size_t>(static_cast<size_t>(block), in.size() - pos));
    voice.process(in.data() + pos, out.data() + pos, n);
  }
  return out;
}

/// Renders `in` in random block sizes 1..maxBlock drawn from `seed`; afterBlock() runs after each.
template <typename AfterBlock>
std::vector<float> renderRandomBlocks(vocalsynth::Voice& voice, const std::vector<float>& in, int maxBlock,
                                      std::uint64_t seed, AfterBlock afterBlock) {
  std::vector<float> out(in.size());
  vocalsynth::Random sizes(seed);
  for (size_t pos = 0; pos < in.size();) {
    const auto n = static_cast<int>(std::min<size_t>(1 + sizes.nextU32() % static_cast<std::uint32_t>(maxBlock), in.size() - pos));
    voice.process(in.data() + pos, out.data() + pos, n);
    afterBlock();
    pos += static_cast<size_t>(n);
  }
  return out;
}

inline std::vector<float> renderRandomBlocks(vocalsynth::Voice& voice, const std::vector<float>& in, int maxBlock,
                                             std::uint64_t seed) {
  return renderRandomBlocks(voice, in, maxBlock, seed, [] {});
}

inline std::vector<float> renderArchetype(const char* name, const std::vector<float>& in, double rate, int block,
                                          std::uint64_t seed = 3) {
  vocalsynth::Voice voice;
  voice.prepare(rate, block, seed);
  voice.setParams(vocalsynth::findArchetype(name)->params, true);
  return render(voice, in, block);
}

inline double rms(const std::vector<float>& x, size_t begin = 0, size_t end = 0) {
  if (end == 0) end = x.size();
  double acc = 0.0;
  for (size_t i = begin; i < end; ++i) acc += static_cast<double>(x[i]) * x[i];
  return std::sqrt(acc / static_cast<double>(end - begin));
}

inline double toDb(double v) { return 20.0 * std::log10(v + 1e-30); }

/// Magnitude of the DTFT of x at frequency f (Hz).
inline double dtftMagnitude(const std::vector<float>& x, double f, double rate) {
  std::complex<double> acc = 0.0;
  const double w = 2.0 * 3.14159265358979323846 * f / rate;
  for (size_t n = 0; n < x.size(); ++n) acc += static_cast<double>(x[n]) * std::polar(1.0, -w * static_cast<double>(n));
  return std::abs(acc);
}

/// True peak estimate: 8x upsampling with a long Hann-windowed sinc (independent of the limiter's).
inline double truePeak(const std::vector<float>& x) {
  constexpr int kUp = 8, kHalf = 32;
  double peak = 0.0;
  for (size_t n = 0; n + 1 < x.size(); ++n) {
    peak = std::max(peak, static_cast<double>(std::fabs(x[n])));
    for (int p = 1; p < kUp; ++p) {
      const double t = static_cast<double>(p) / kUp;
      double acc = 0.0;
      for (int k = -kHalf + 1; k <= kHalf; ++k) {
        const long idx = static_cast<long>(n) + k;
        if (idx < 0 || idx >= static_cast<long>(x.size())) continue;
        const double d = t - k;
        const double sinc = std::sin(3.14159265358979323846 * d) / (3.14159265358979323846 * d);
        const double w = 0.5 + 0.5 * std::cos(3.14159265358979323846 * d / (kHalf + 1));
        acc += x[static_cast<size_t>(idx)] * sinc * w;
      }
      peak = std::max(peak, std::fabs(acc));
    }
  }
  return peak;
}

}  // namespace vs_test
