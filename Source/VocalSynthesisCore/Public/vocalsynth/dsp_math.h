// Small numeric helpers shared by the DSP blocks.
#pragma once

#include <cmath>

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

inline float lerp(float a, float b, float t) noexcept { return a + (b - a) * t; }

/// Coefficient of a one-pole low-pass whose step response reaches 1 - 1/e after `seconds`.
inline float onePoleCoefficient(double seconds, double sampleRate) noexcept {
  if (seconds <= 0.0) return 0.0f;
  return static_cast<float>(std::exp(-1.0 / (seconds * sampleRate)));
}

inline bool isFinite(float x) noexcept { return std::isfinite(x); }

/// Dot product with eight independent accumulators: the compiler turns the inner loop into SIMD
/// multiply-adds without -ffast-math (a single accumulator is a serial dependency chain).
/// The summation order is fixed, so results are deterministic on every platform.
template <class T>
inline T dot(const T* a, const T* b, int n) noexcept {
  T acc[8] = {0, 0, 0, 0, 0, 0, 0, 0};
  int i = 0;
  for (; i + 8 <= n; i += 8) {
    for (int k = 0; k < 8; ++k) acc[k] += a[i + k] * b[i + k];
  }
  T tail = 0;
  for (; i < n; ++i) tail += a[i] * b[i];
  return ((acc[0] + acc[4]) + (acc[1] + acc[5])) + ((acc[2] + acc[6]) + (acc[3] + acc[7])) + tail;
}

}  // namespace vocalsynth
