#include "vocalsynth/limiter.h"

#include <cmath>
#include <cstring>

#include "simd4.h"
#include "vocalsynth/dsp_math.h"

namespace vocalsynth {

void TruePeakLimiter::prepare(double sampleRate, double lookaheadSeconds, double releaseSeconds, float ceilingDb) {
  window_ = static_cast<int>(std::ceil(lookaheadSeconds * sampleRate));
  if (window_ < kTaps) window_ = kTaps;  // the delay ring must hold the interpolator's taps
  ceiling_ = dbToGain(ceilingDb);
  releaseCoefficient_ = std::exp(-1.0 / (releaseSeconds * sampleRate));
  // Hann-windowed sinc, interpolating between taps 3 and 4 at 1/4, 2/4, 3/4.
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
  // An interpolated value is bounded by sum|taps| * max|input|; the margin covers rounding.
  float tapAbsSum = 1.0f;
  for (int p = 0; p < kPhases; ++p) {
    float absSum = 0.0f;
    for (int t = 0; t < kTaps; ++t) absSum += std::fabs(phaseCoefficients_[p][t]);
    if (absSum * 1.0001f > tapAbsSum) tapAbsSum = absSum * 1.0001f;
  }
  quietLevel_ = ceiling_ / tapAbsSum;
  minValues_.assign(window_ + 1, 1.0f);
  minIndices_.assign(window_ + 1, 0);
  boxRing_.assign(window_, 1.0f);
  // Audio waits for the interpolator (4 samples) and the gain smoothing window.
  latency_ = 4 + window_ - 1;
  audio_.assign(static_cast<size_t>(latency_) + kSlack, 0.0f);
  reset();
}

void TruePeakLimiter::reset() noexcept {
  released_ = 1.0;
  quietRun_ = kTaps;  // the ring starts silent
  idle_ = true;
  unityBoxRun_ = window_;
  minHead_ = 0;
  minCount_ = 0;
  index_ = 0;
  for (auto& v : boxRing_) v = 1.0f;
  boxPos_ = 0;
  boxSum_ = static_cast<double>(window_);
  for (auto& v : audio_) v = 0.0f;
  audioEnd_ = latency_;  // a history of silence
  lastGain_ = 1.0f;
}

float TruePeakLimiter::gainFor(const float* newest) noexcept {
  float required = 1.0f;
  if (quietRun_ < kTaps) {
    // Peak over the interval [h[3], h[4]] including three inter-sample points.
    const float* h = newest - (kTaps - 1);
    const float h3 = std::fabs(h[3]), h4 = std::fabs(h[4]);
    float peak = h3 > h4 ? h3 : h4;  // not std::fmax: that is a libm call without -ffast-math
    for (int p = 0; p < kPhases; ++p) {
      float acc = 0.0f;
      for (int t = 0; t < kTaps; ++t) acc += phaseCoefficients_[p][t] * h[t];
      acc = std::fabs(acc);
      peak = acc > peak ? acc : peak;
    }
    if (peak > ceiling_) required = ceiling_ / peak;
  }

  // Running minimum of the requirements over the last window_ samples. Only values below 1 are
  // kept (an empty deque means 1), so the idle state needs no bookkeeping.
  const int cap = window_ + 1;
  auto wrap = [cap](int i) { return i >= cap ? i - cap : i; };
  if (required < 1.0f) {
    while (minCount_ > 0 && minValues_[wrap(minHead_ + minCount_ - 1)] >= required) --minCount_;
    const int slot = wrap(minHead_ + minCount_);
    minValues_[slot] = required;
    minIndices_[slot] = index_;
    ++minCount_;
  }
  if (minCount_ > 0 && minIndices_[minHead_] <= index_ - window_) {
    minHead_ = wrap(minHead_ + 1);
    --minCount_;
  }
  const double windowMin = minCount_ > 0 ? minValues_[minHead_] : 1.0;

  // Instant attack, smooth release (never above the windowed minimum); it lands on exactly 1
  // from within -120 dB, so the limiter can go idle again.
  if (windowMin < released_) released_ = windowMin;
  else released_ = windowMin + (released_ - windowMin) * releaseCoefficient_;
  if (released_ > 1.0 - 1e-6) released_ = 1.0;

  const auto releasedF = static_cast<float>(released_);
  boxSum_ += static_cast<double>(releasedF) - boxRing_[boxPos_];
  boxRing_[boxPos_] = releasedF;
  if (++boxPos_ == window_) boxPos_ = 0;
  unityBoxRun_ = released_ == 1.0 ? (unityBoxRun_ < window_ ? unityBoxRun_ + 1 : window_) : 0;
  float gain = static_cast<float>(boxSum_ / window_);
  if (gain > 1.0f) gain = 1.0f;
  idle_ = minCount_ == 0 && released_ == 1.0 && unityBoxRun_ >= window_;
  if (idle_) {
    boxSum_ = static_cast<double>(window_);  // the box holds only ones: its sum is exact
    gain = 1.0f;
  }
  lastGain_ = gain;
  return gain;
}

void TruePeakLimiter::process(float* buffer, int n) noexcept {
  while (n > 0) {
    const int len = n < kSlack ? n : kSlack;
    if (audioEnd_ + len > static_cast<int>(audio_.size())) {
      std::memmove(audio_.data(), audio_.data() + audioEnd_ - latency_, sizeof(float) * static_cast<size_t>(latency_));
      audioEnd_ = latency_;
    }
    float* line = &audio_[audioEnd_];  // line[k] = buffer[k]; line[k - latency_] is its delayed twin
    std::memcpy(line, buffer, sizeof(float) * static_cast<size_t>(len));
    if (idle_ && quietRun_ >= kTaps && simd4::absMax(line, len) <= quietLevel_) {
      // Idle all through (gain exactly 1, nothing near the ceiling): a plain delay.
      std::memcpy(buffer, line - latency_, sizeof(float) * static_cast<size_t>(len));
      index_ += len;
    } else {
      for (int k = 0; k < len; ++k) {
        quietRun_ = std::fabs(line[k]) <= quietLevel_ ? (quietRun_ < kTaps ? quietRun_ + 1 : kTaps) : 0;
        // The general path would return exactly 1 while idle and quiet.
        const float delayed = line[k - latency_];
        buffer[k] = idle_ && quietRun_ >= kTaps ? delayed : delayed * gainFor(line + k);
        ++index_;
      }
    }
    audioEnd_ += len;
    buffer += len;
    n -= len;
  }
}

}  // namespace vocalsynth
