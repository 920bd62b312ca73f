#include "vocalsynth/limiter.h"

#include <cmath>

#include "vocalsynth/dsp_math.h"

namespace vocalsynth {

void TruePeakLimiter::prepare(double sampleRate, double lookaheadSeconds, double releaseSeconds, float ceilingDb) {
  window_ = static_cast<int>(std::ceil(lookaheadSeconds * sampleRate));
  if (window_ < 1) window_ = 1;
  ceiling_ = dbToGain(ceilingDb);
  releaseCoefficient_ = onePoleCoefficient(releaseSeconds, sampleRate);
  // Hann-windowed sinc, interpolating between history[3] and history[4] at 1/4, 2/4, 3/4.
  for (int p = 0; p < kPhases; ++p) {
    const double frac = (p + 1) / 4.0;
    double sum = 0.0;
    for (int t = 0; t < kTaps; ++t) {
      const double x = (t - 3) - frac;  // distance of tap t from the interpolation point
      const double sinc = std::fabs(x) < 1e-12 ? 1.0 : std::sin(3.14159265358979323846 * x) / (3.14159265358979323846 * x);
      const double w = 0.5 + 0.5 * std::cos(3.14159265358979323846 * x / (kTaps / 2.0 + 0.5));
      phaseCoefficients_[p][t] = static_cast<float>(sinc * w);
      sum += sinc * w;
    }
    for (int t = 0; t < kTaps; ++t) phaseCoefficients_[p][t] = static_cast<float>(phaseCoefficients_[p][t] / sum);
  }
  tapAbsSum_ = 1.0f;
  for (int p = 0; p < kPhases; ++p) {
    float absSum = 0.0f;
    for (int t = 0; t < kTaps; ++t) absSum += std::fabs(phaseCoefficients_[p][t]);
    if (absSum * 1.0001f > tapAbsSum_) tapAbsSum_ = absSum * 1.0001f;
  }
  minValues_.assign(window_ + 1, 1.0f);
  minIndices_.assign(window_ + 1, 0);
  boxRing_.assign(window_, 1.0f);
  // Audio waits for the interpolator (4 samples) and the gain smoothing window.
  latency_ = 4 + window_ - 1;
  audio_.assign(latency_ + 1, 0.0f);
  reset();
}

void TruePeakLimiter::reset() noexcept {
  for (auto& h : history_) h = 0.0f;
  released_ = 1.0f;
  minHead_ = 0;
  minCount_ = 0;
  index_ = 0;
  for (auto& v : boxRing_) v = 1.0f;
  boxPos_ = 0;
  boxSum_ = static_cast<double>(window_);
  for (auto& v : audio_) v = 0.0f;
  audioPos_ = 0;
  lastGain_ = 1.0f;
}

float TruePeakLimiter::process(float x) noexcept {
  for (int t = 0; t < kTaps - 1; ++t) history_[t] = history_[t + 1];
  history_[kTaps - 1] = x;
  // Silence and unity gain are the common case: skip the interpolator when no peak can reach
  // the ceiling (an interpolated value is bounded by the sum of |taps| * max|history|).
  float largest = 0.0f;
  for (int t = 0; t < kTaps; ++t) {
    const float a = std::fabs(history_[t]);
    largest = a > largest ? a : largest;  // not std::fmax: that is a libm call without -ffast-math
  }
  float required = 1.0f;
  if (largest * tapAbsSum_ > ceiling_) {
    // Peak over the interval [history[3], history[4]] including three inter-sample points.
    const float h3 = std::fabs(history_[3]), h4 = std::fabs(history_[4]);
    float peak = h3 > h4 ? h3 : h4;
    for (int p = 0; p < kPhases; ++p) {
      float acc = 0.0f;
      for (int t = 0; t < kTaps; ++t) acc += phaseCoefficients_[p][t] * history_[t];
      acc = std::fabs(acc);
      peak = acc > peak ? acc : peak;
    }
    if (peak > ceiling_) required = ceiling_ / peak;
  }

  // Running minimum of `required` over the last window_ values.
  const int cap = window_ + 1;
  auto wrap = [cap](int i) { return i >= cap ? i - cap : i; };
  while (minCount_ > 0) {
    const int tail = wrap(minHead_ + minCount_ - 1);
    if (minValues_[tail] >= required) --minCount_;
    else break;
  }
  const int slot = wrap(minHead_ + minCount_);
  minValues_[slot] = required;
  minIndices_[slot] = index_;
  ++minCount_;
  if (minIndices_[minHead_] <= index_ - window_) {
    minHead_ = wrap(minHead_ + 1);
    --minCount_;
  }
  const float windowMin = minValues_[minHead_];
  ++index_;

  // Instant attack, smooth release (never above the windowed minimum).
  if (windowMin < released_) released_ = windowMin;
  else released_ = windowMin + (released_ - windowMin) * releaseCoefficient_;

  boxSum_ += static_cast<double>(released_) - boxRing_[boxPos_];
  boxRing_[boxPos_] = released_;
  if (++boxPos_ == window_) boxPos_ = 0;
  float gain = static_cast<float>(boxSum_ / window_);
  if (gain > 1.0f) gain = 1.0f;
  lastGain_ = gain;

  // Delay the audio so the gain acts on the samples it was computed for.
  const int size = latency_ + 1;
  audio_[audioPos_] = x;
  if (++audioPos_ == size) audioPos_ = 0;
  const float delayed = audio_[audioPos_];  // the oldest sample, written `latency_` ago
  return delayed * gain;
}

}  // namespace vocalsynth
