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
  /// Both states below `level` in magnitude (a ringing filter's tail has died away).
  bool quieterThan(float level) const noexcept { return std::fabs(ic1_) < level && std::fabs(ic2_) < level; }

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

/// The same TPT SVF (the same states ic1, ic2 and response) for a cutoff that holds still between
/// setups: an event's resonance, a noise source's filter, an anti-alias filter. Its per-sample
/// update is the TPT recursion multiplied out into a 2x2 state-space step (v1, v2 and the states
/// are linear in ic1, ic2 and the input), so each new state waits on one multiply and two adds
/// of the previous ones, where Svf::process chains five dependent operations; in a serial
/// per-sample loop that latency is the filter's cost. Equal to Svf up to rounding; for cutoffs
/// above ~20 Hz (1 - 2 a3 must stay clear of 1 in float).
class FixedSvf {
 public:
  void setup(float cutoffHz, float q, float sampleRate) noexcept {
    const float fc = clampValue(cutoffHz, 1.0f, 0.49f * sampleRate);
    const float g = std::tan(kPi * fc / sampleRate);
    const float k = 1.0f / (q < 0.05f ? 0.05f : q);
    const float a1 = 1.0f / (1.0f + g * (g + k)), a2 = g * a1, a3 = g * a2;
    // v1 = a1 ic1 - a2 ic2 + a2 v0, v2 = a2 ic1 + (1 - a3) ic2 + a3 v0; ic1' = 2 v1 - ic1, ic2' = 2 v2 - ic2.
    s11_ = 2.0f * a1 - 1.0f, s12_ = -2.0f * a2, s10_ = 2.0f * a2;
    s21_ = 2.0f * a2, s22_ = 1.0f - 2.0f * a3, s20_ = 2.0f * a3;
    // Outputs: low = v2, band (unity at the centre) = k v1, high = v0 - k v1 - v2.
    l1_ = a2, l2_ = 1.0f - a3, l0_ = a3;
    b1_ = k * a1, b2_ = -k * a2, b0_ = k * a2;
    h1_ = -k * a1 - a2, h2_ = k * a2 - (1.0f - a3), h0_ = 1.0f - k * a2 - a3;
  }
  void reset() noexcept { ic1_ = ic2_ = 0.0f; }
  float lowPass(float x) noexcept { return step(x, l1_ * ic1_ + l2_ * ic2_ + l0_ * x); }
  float bandPass(float x) noexcept { return step(x, b1_ * ic1_ + b2_ * ic2_ + b0_ * x); }
  float highPass(float x) noexcept { return step(x, h1_ * ic1_ + h2_ * ic2_ + h0_ * x); }

 private:
  float step(float x, float output) noexcept {
    const float ic1 = s11_ * ic1_ + s12_ * ic2_ + s10_ * x;
    ic2_ = s21_ * ic1_ + s22_ * ic2_ + s20_ * x;
    ic1_ = ic1;
    return output;
  }
  float s11_ = 1.0f, s12_ = 0.0f, s10_ = 0.0f, s21_ = 0.0f, s22_ = 1.0f, s20_ = 0.0f;
  float l1_ = 0.0f, l2_ = 1.0f, l0_ = 0.0f, b1_ = 0.0f, b2_ = 0.0f, b0_ = 0.0f, h1_ = 0.0f, h2_ = 0.0f, h0_ = 1.0f;
  float ic1_ = 0.0f, ic2_ = 0.0f;
};

/// First-order TPT low-pass (Zavalishin ch. 3); high = input - low. Evaluated as its state-space
/// step (v = G (x - s), y = v + s, s' = y + v, multiplied out): the state waits on one multiply and
/// one add of the last one instead of four dependent operations, which in the tube's damping and
/// the excitation's tilt (serial per-sample loops) was the filter's cost. Equal up to rounding.
class OnePoleTpt {
 public:
  void setup(float cutoffHz, float sampleRate) noexcept {
    const float fc = clampValue(cutoffHz, 1.0f, 0.49f * sampleRate);
    const float g = std::tan(kPi * fc / sampleRate);
    const float G = g / (1.0f + g);
    G_ = G;
    keep_ = 1.0f - G;          // y = (1 - G) s + G x
    decay_ = 1.0f - 2.0f * G;  // s' = (1 - 2G) s + 2G x
    feed_ = 2.0f * G;
  }
  void reset() noexcept { s_ = 0.0f; }
  float lowPass(float x) noexcept {
    const float y = keep_ * s_ + G_ * x;
    s_ = decay_ * s_ + feed_ * x;
    return y;
  }

 private:
  float G_ = 0.0f, keep_ = 1.0f, decay_ = 1.0f, feed_ = 0.0f, s_ = 0.0f;
};

}  // namespace vocalsynth
