// Recursive sine oscillator (a rotating phasor, "magic circle" family): one complex multiply per
// sample instead of a sin() call. Its amplitude is renormalised every sample with a first-order
// correction so it neither grows nor decays over hours.
#pragma once

#include <cmath>

#include "vocalsynth/dsp_math.h"

namespace vocalsynth {

class SineOscillator {
 public:
  void setFrequency(float hz, float sampleRate) noexcept {
    if (hz == frequency_) return;
    frequency_ = hz;
    const double w = 2.0 * 3.14159265358979323846 * hz / sampleRate;
    cosW_ = static_cast<float>(std::cos(w));
    sinW_ = static_cast<float>(std::sin(w));
  }
  void reset() noexcept {
    cos_ = 1.0f;
    sin_ = 0.0f;
  }
  /// Advances one sample; returns sin(phase).
  float next() noexcept {
    const float c = cos_ * cosW_ - sin_ * sinW_;
    const float s = sin_ * cosW_ + cos_ * sinW_;
    const float g = 1.5f - 0.5f * (c * c + s * s);
    cos_ = c * g;
    sin_ = s * g;
    return sin_;
  }
  float sine() const noexcept { return sin_; }
  float cosine() const noexcept { return cos_; }

 private:
  float frequency_ = -1.0f;
  float cosW_ = 1.0f, sinW_ = 0.0f;
  float cos_ = 1.0f, sin_ = 0.0f;
};

}  // namespace vocalsynth
