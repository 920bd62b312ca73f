// Deterministic, seedable noise. PCG32 (O'Neill 2014, "PCG: a family of simple fast
// space-efficient statistically good algorithms"), seeded through SplitMix64 so that
// neighbouring seeds give unrelated streams. Same seed -> same stream on every platform.
#pragma once

#include <cstdint>

namespace vocalsynth {

inline std::uint64_t splitMix64(std::uint64_t& state) noexcept {
  std::uint64_t z = (state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

/// The Irwin-Hall sum of the four 16-bit halves of two random words, scaled to unit variance:
/// approximately standard normal, bounded to +-3.46. (The sum fits an int, so the conversion is
/// the signed one, which vectorizes.)
inline float irwinHall4(std::uint32_t a, std::uint32_t b) noexcept {
  const auto sum = static_cast<std::int32_t>((a & 0xFFFFu) + (a >> 16) + (b & 0xFFFFu) + (b >> 16));
  return (static_cast<float>(sum) * (1.0f / 65536.0f) - 2.0f) * 1.7320508f;
}

class Random {
 public:
  explicit Random(std::uint64_t seed = 0, std::uint64_t stream = 0) noexcept { setSeed(seed, stream); }

  void setSeed(std::uint64_t seed, std::uint64_t stream = 0) noexcept {
    std::uint64_t sm = seed ^ (stream * 0xD1B54A32D192ED03ull);
    state_ = splitMix64(sm);
    increment_ = (splitMix64(sm) << 1u) | 1u;
    nextU32();
  }

  std::uint32_t nextU32() noexcept {
    const std::uint64_t old = state_;
    state_ = old * 6364136223846793005ull + increment_;
    const auto xorshifted = static_cast<std::uint32_t>(((old >> 18u) ^ old) >> 27u);
    const auto rot = static_cast<std::uint32_t>(old >> 59u);
    return (xorshifted >> rot) | (xorshifted << ((32u - rot) & 31u));
  }

  /// Uniform in [0, 1).
  float uniform() noexcept { return static_cast<float>(nextU32() >> 8) * (1.0f / 16777216.0f); }
  /// Uniform in [-1, 1).
  float bipolar() noexcept { return uniform() * 2.0f - 1.0f; }
  /// Approximately standard normal (Irwin-Hall sum of four uniforms, variance scaled to 1).
  /// Bounded to +-3.46, which is what an audio modulator wants.
  float gaussian() noexcept {
    const float s = uniform() + uniform() + uniform() + uniform() - 2.0f;
    return s * 1.7320508f;
  }
  /// The same Irwin-Hall sum of four uniforms from two draws (16-bit uniforms): for noise
  /// sources that need a Gaussian-like sample every sample.
  float fastGaussian() noexcept {
    const std::uint32_t a = nextU32();
    return irwinHall4(a, nextU32());
  }
  bool chance(float probability) noexcept { return uniform() < probability; }

 private:
  std::uint64_t state_ = 0;
  std::uint64_t increment_ = 1;
};

/// Gaussian-like noise for blocks of audio: eight xorshift32 lanes (Marsaglia 2003, shifts
/// 13/17/5) step together, so the loop vectorizes; each output is the same Irwin-Hall sum of four
/// 16-bit uniforms as Random::fastGaussian(), from lanes k and k+4. Outputs come four per step
/// from a small buffer, so the stream does not depend on how it is read in blocks.
class BlockNoise {
 public:
  void setSeed(std::uint64_t seed, std::uint64_t stream) noexcept {
    std::uint64_t sm = seed ^ (stream * 0xD1B54A32D192ED03ull);
    for (auto& lane : state_) {
      const auto v = static_cast<std::uint32_t>(splitMix64(sm));
      lane = v != 0 ? v : 0x9E3779B9u;  // xorshift's one forbidden state
    }
    available_ = 0;
  }
  /// Writes n approximately standard normal samples (bounded to +-3.46).
  void gaussian(float* out, int n) noexcept {
    int k = 0;
    while (k < n && available_ > 0) out[k++] = buffer_[4 - available_--];
    for (; k + 4 <= n; k += 4) step(out + k);
    if (k < n) {
      step(buffer_);
      available_ = 4;
      while (k < n) out[k++] = buffer_[4 - available_--];
    }
  }

 private:
  void step(float* out) noexcept {
    for (auto& x : state_) {
      x ^= x << 13;
      x ^= x >> 17;
      x ^= x << 5;
    }
    for (int i = 0; i < 4; ++i) out[i] = irwinHall4(state_[i], state_[i + 4]);
  }

  std::uint32_t state_[8] = {};
  float buffer_[4] = {};
  int available_ = 0;
};

}  // namespace vocalsynth
