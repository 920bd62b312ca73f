// Topology-preserving-transform state-variable filter (Zavalishin, "The Art of VA Filter
// Design", ch. 4; trapezoidal integrators). Unlike a direct-form biquad it stays stable and
// click-free when its cutoff is modulated every sample, so every time-varying filter in the
// core is one of these.
#pragma once

#include <cmath>

#include "vocalsynth/dsp_math.h"

namespace vocalsynth {

struct SvfOutputs {
  float low;
  float band;
  float high;
};

class Svf {
 public:
  /// Recomputes the coefficients. `q` is the resonance (0.5 = critically damped, 0.707 =
  /// Butterworth); the cutoff is clamped below Nyquist so tan() stays finite.
  void setup(float cutoffHz, float q, float sampleRate) noexcept {
    const float nyquistGuard = 0.49f * sampleRate;
    const float fc = clampValue(cutoffHz, 1.0f, nyquistGuard);
    g_ = std::tan(kPi * fc / sampleRate);
    k_ = 1.0f / (q < 0.05f ? 0.05f : q);
    a1_ = 1.0f / (1.0f + g_ * (g_ + k_));
    a2_ = g_ * a1_;
    a3_ = g_ * a2_;
  }

  void reset() noexcept { ic1_ = ic2_ = 0.0f; }

  SvfOutputs process(float v0) noexcept {
    const float v3 = v0 - ic2_;
    const float v1 = a1_ * ic1_ + a2_ * v3;
    const float v2 = ic2_ + a2_ * ic1_ + a3_ * v3;
    ic1_ = 2.0f * v1 - ic1_;
    ic2_ = 2.0f * v2 - ic2_;
    return {v2, v1, v0 - k_ * v1 - v2};
  }

  float lowPass(float x) noexcept { return process(x).low; }
  float highPass(float x) noexcept { return process(x).high; }
  /// Band-pass normalised to unity gain at the centre frequency.
  float bandPass(float x) noexcept { return process(x).band * k_; }

 private:
  float g_ = 0.0f, k_ = 1.414f, a1_ = 1.0f, a2_ = 0.0f, a3_ = 0.0f;
  float ic1_ = 0.0f, ic2_ = 0.0f;
};

/// First-order TPT low-pass (Zavalishin ch. 3); high = input - low.
class OnePoleTpt {
 public:
  void setup(float cutoffHz, float sampleRate) noexcept {
    const float fc = clampValue(cutoffHz, 1.0f, 0.49f * sampleRate);
    const float g = std::tan(kPi * fc / sampleRate);
    G_ = g / (1.0f + g);
  }
  void reset() noexcept { s_ = 0.0f; }
  float lowPass(float x) noexcept {
    const float v = (x - s_) * G_;
    const float y = v + s_;
    s_ = y + v;
    return y;
  }

 private:
  float G_ = 0.0f, s_ = 0.0f;
};

}  // namespace vocalsynth
