// Small measurement helpers shared by the C++ tests.
#pragma once

#include <algorithm>
#include <atomic>
#include <cmath>
#include <complex>
#include <cstdint>
#include <cstring>
#include <vector>

#include "vocalsynth/vocalsynth.h"

namespace vs_test {

/// Armed by a test around code that must not allocate; operator new (test_voice.cpp) counts.
extern std::atomic<bool> gCountAllocations;
extern std::atomic<long> gAllocations;
/// operator delete of a non-null block while armed (for tests that everything made is freed).
extern std::atomic<long> gFrees;
/// Bytes asked of operator new while armed (what prepare() costs in memory).
extern std::atomic<long long> gAllocatedBytes;

/// The first sample whose bits differ between two renders, or -1 when every bit is the same
/// (== on floats passes -0 against +0, which a block-size bug can turn into one another).
inline long firstBitDifference(const std::vector<float>& a, const std::vector<float>& b) {
  if (a.size() != b.size()) return static_cast<long>(std::min(a.size(), b.size()));
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::memcmp(&a[i], &b[i], sizeof(float)) != 0) return static_cast<long>(i);
  }
  return -1;
}

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
    const auto n =
        static_cast<int>(std::min<size_t>(1 + sizes.nextU32() % static_cast<std::uint32_t>(maxBlock), in.size() - pos));
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

/// `synth`'s rendering of `u` at `rate` (seed 1), in 512-sample blocks; `synth` keeps the phones'
/// start samples and events.
inline std::vector<float> renderSpeech(vocalsynth::speech::Synthesizer& synth, const vocalsynth::speech::Utterance& u,
                                       double rate) {
  synth.prepare(rate, static_cast<int>(u.phones.size()));
  synth.start(u, 1);
  std::vector<float> x(static_cast<size_t>(synth.totalSamples()));
  size_t pos = 0;
  while (!synth.finished()) pos += static_cast<size_t>(synth.render(x.data() + pos, 512));
  return x;
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

/// Draws for the randomized tests (a 64-bit LCG step, Knuth's MMIX constants): the same sequence
/// on every platform and standard library, unlike std::uniform_*_distribution.
class SeededDraws {
 public:
  explicit SeededDraws(std::uint64_t seed) : state_(seed) {}
  /// Uniform in [0, bound).
  std::uint64_t below(std::uint64_t bound) {
    state_ = state_ * 6364136223846793005ull + 1442695040888963407ull;
    return (state_ >> 33) % bound;
  }
  /// Uniform in [0, 1).
  float uniform() { return static_cast<float>(below(1u << 24)) / static_cast<float>(1u << 24); }

 private:
  std::uint64_t state_;
};

/// True peak as ITU-R BS.1770-4 (Annex 2) defines dBTP: 4x oversampling through a 48-tap
/// interpolation filter (12 taps per phase) and the largest magnitude of the oversampled signal,
/// never below the largest sample. The filter here is a Kaiser-windowed sinc (beta 5) of that
/// length, independent of the limiter's own detector (8 Hann-windowed taps per phase).
inline double truePeak(const std::vector<float>& x) {
  constexpr int kUp = 4, kTapsPerPhase = 12, kTaps = kUp * kTapsPerPhase;
  auto besselI0 = [](double v) {
    double sum = 1.0, term = 1.0;
    for (int k = 1; k < 40; ++k) {
      term *= (v / (2.0 * k)) * (v / (2.0 * k));
      sum += term;
    }
    return sum;
  };
  const double pi = 3.14159265358979323846, beta = 5.0, centre = 0.5 * (kTaps - 1);
  double h[kTaps];
  for (int n = 0; n < kTaps; ++n) {
    const double t = (n - centre) / kUp;  // in input samples
    const double sinc = std::fabs(t) < 1e-12 ? 1.0 : std::sin(pi * t) / (pi * t);
    const double r = (n - centre) / centre;
    h[n] = sinc * besselI0(beta * std::sqrt(std::max(0.0, 1.0 - r * r))) / besselI0(beta);
  }
  for (int p = 0; p < kUp; ++p) {  // each phase passes DC at unity
    double sum = 0.0;
    for (int i = 0; i < kTapsPerPhase; ++i) sum += h[p + kUp * i];
    for (int i = 0; i < kTapsPerPhase; ++i) h[p + kUp * i] /= sum;
  }
  double peak = 0.0;
  for (const float v : x) peak = std::max(peak, static_cast<double>(std::fabs(v)));
  const long size = static_cast<long>(x.size());
  for (long m = 0; m < size + kTapsPerPhase; ++m) {
    for (int p = 0; p < kUp; ++p) {
      double acc = 0.0;
      for (int i = 0; i < kTapsPerPhase; ++i) {
        const long idx = m - i;
        if (idx >= 0 && idx < size) acc += h[p + kUp * i] * x[static_cast<size_t>(idx)];
      }
      peak = std::max(peak, std::fabs(acc));
    }
  }
  return peak;
}

}  // namespace vs_test
