// Small numeric helpers shared by the DSP blocks.
#pragma once

#include <cmath>
#include <cstdint>
#include <cstring>

#include "vocalsynth/config.h"

namespace vocalsynth {

inline constexpr float kPi = 3.14159265358979323846f;
inline constexpr float kTwoPi = 6.28318530717958647692f;

inline float dbToGain(float db) noexcept { return std::pow(10.0f, db * 0.05f); }
inline float gainToDb(float gain) noexcept { return 20.0f * std::log10(gain); }

template <class T>
constexpr T clampValue(T v, T lo, T hi) noexcept {
  return v < lo ? lo : (v > hi ? hi : v);
}

/// clampValue for lo <= hi as two plain selects, which vectorize (the nested one does not). The same
/// result for every input, NaN included.
inline float clampBySelects(float v, float lo, float hi) noexcept {
  v = v < lo ? lo : v;
  return v > hi ? hi : v;
}

inline float lerp(float a, float b, float t) noexcept { return a + (b - a) * t; }

/// Point i of an n-point Hann window sampled at bin centres: 0.5 - 0.5 cos(2 pi (i + 0.5) / n).
inline float hannAt(int i, int n) noexcept {
  return 0.5f - 0.5f * std::cos(kTwoPi * (static_cast<float>(i) + 0.5f) / static_cast<float>(n));
}

/// How many of the last n samples in a row lie within +-level, counting at most `most`.
inline int quietTail(const float* x, int n, float level, int most) noexcept {
  const int limit = most < n ? most : n;
  int run = 0;
  while (run < limit && std::fabs(x[n - 1 - run]) <= level) ++run;
  return run;
}

/// A count of quiet samples in a row after a piece of n whose last `trailing` were quiet
/// (quietTail): the piece's own run if it broke, else the old count plus n, at most `cap`.
inline int extendRun(int run, int trailing, int n, int cap) noexcept {
  if (trailing < n) return trailing;
  return run < cap - n ? run + n : cap;
}

/// Coefficient of a one-pole low-pass whose step response reaches 1 - 1/e after `seconds`.
inline float onePoleCoefficient(double seconds, double sampleRate) noexcept {
  if (seconds <= 0.0) return 0.0f;
  return static_cast<float>(std::exp(-1.0 / (seconds * sampleRate)));
}

/// Not Inf or NaN, judged on the bits: a fast-math floating-point model (which may assume there
/// are no NaNs and fold std::isfinite to true) cannot remove the core's non-finite guards.
inline bool isFinite(float x) noexcept {
  std::uint32_t bits;
  std::memcpy(&bits, &x, sizeof bits);
  return (bits & 0x7F800000u) != 0x7F800000u;
}

/// A subnormal (nonzero with a zero exponent), judged on the bits as isFinite is.
inline bool isSubnormal(float x) noexcept {
  std::uint32_t bits;
  std::memcpy(&bits, &x, sizeof bits);
  bits &= 0x7FFFFFFFu;
  return bits != 0u && bits < 0x00800000u;
}

/// log2 to ~3e-6 absolute for finite x > 0 (exponent bits + a degree-6 polynomial on the
/// mantissa): branch-free and vectorizable, for envelopes, not for exact arithmetic.
inline float fastLog2(float x) noexcept {
  std::uint32_t bits;
  std::memcpy(&bits, &x, sizeof bits);
  const float exponent = static_cast<float>(static_cast<int>((bits >> 23) & 0xFFu) - 127);
  const std::uint32_t mantissaBits = (bits & 0x007FFFFFu) | 0x3F800000u;
  float m;
  std::memcpy(&m, &mantissaBits, sizeof m);
  const float t = m - 1.0f;
  const float p = 1.44253476f + t * (-0.718033203f +
                                     t * (0.457156131f + t * (-0.277337223f + t * (0.121468526f + t * -0.025790712f))));
  return exponent + t * p;
}

/// 2^x to ~2e-7 relative for x in [-126, 126] (clamped there): integer part into the exponent,
/// a degree-5 polynomial for the fraction. Branch-free and vectorizable.
inline float fastExp2(float x) noexcept {
  x = x < -126.0f ? -126.0f : x;  // two plain selects: they vectorize, a nested one does not
  x = x > 126.0f ? 126.0f : x;
  int whole = static_cast<int>(x);
  whole -= x < static_cast<float>(whole) ? 1 : 0;  // floor
  const float f = x - static_cast<float>(whole);
  const float p =
      1.0f + f * (0.693152536f + f * (0.240152431f + f * (0.0558366436f + f * (0.00897283851f + f * 0.00188543142f))));
  const std::uint32_t scaleBits = static_cast<std::uint32_t>(whole + 127) << 23;
  float scale;
  std::memcpy(&scale, &scaleBits, sizeof scale);
  return p * scale;
}

/// sin(2 pi x) for finite x (turns, |x| < 2^31): range reduction to a quarter turn and an
/// odd degree-7 polynomial (least squares, 2e-6). For sound generators, not for analysis.
inline float fastSinTurns(float x) noexcept {
  x -= static_cast<float>(static_cast<int>(x));  // (-1, 1)
  x = x < -0.5f ? x + 1.0f : x;
  x = x > 0.5f ? x - 1.0f : x;     // [-0.5, 0.5]
  x = x > 0.25f ? 0.5f - x : x;    // sin is symmetric about a quarter turn
  x = x < -0.25f ? -0.5f - x : x;  // [-0.25, 0.25]
  const float z = x * x;
  return x * (6.28316951f + z * (-41.3379840f + z * (81.3719785f + z * -71.3159785f)));
}

}  // namespace vocalsynth
