// Parameter smoothing: setters store targets, a smoother moves toward them (house rule 4).
// One-pole exponential approach with a time constant given in seconds, so the glide sounds the
// same at 16 kHz and 96 kHz. Once within `kSnap` (relative to the target's magnitude, at least
// absolute) of the target, or when float rounding stops its progress, it lands exactly on the
// target, so a settled parameter is bit-exact (a neutral preset stays transparent).
#pragma once

#include <cmath>

#include "vocalsynth/dsp_math.h"

namespace vocalsynth {

class Smoother {
 public:
  static constexpr float kSnap = 1e-6f;

  /// `updateRateHz` is how often next() is called (the sample rate, or a control rate).
  void prepare(double updateRateHz, double timeConstantSeconds) noexcept {
    coefficient_ = onePoleCoefficient(timeConstantSeconds, updateRateHz);
  }
  void setTarget(float target) noexcept { target_ = target; }
  void snapTo(float value) noexcept { current_ = target_ = value; }
  float target() const noexcept { return target_; }
  float current() const noexcept { return current_; }
  bool settled() const noexcept { return current_ == target_; }

  float next() noexcept {
    if (current_ != target_) {
      const float next = target_ + (current_ - target_) * coefficient_;
      const float magnitude = std::fabs(target_) > 1.0f ? std::fabs(target_) : 1.0f;
      current_ = (next == current_ || std::fabs(next - target_) < kSnap * magnitude) ? target_ : next;
    }
    return current_;
  }

 private:
  float coefficient_ = 0.0f;
  float current_ = 0.0f;
  float target_ = 0.0f;
};

}  // namespace vocalsynth
