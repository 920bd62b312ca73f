// Lookahead true-peak limiter: the output never exceeds the ceiling (default -1 dBTP), so no
// preset can clip (the seed's presets peaked at 1.15 and 2.09).
// True peak is estimated with 4x polyphase windowed-sinc interpolation (ITU-R BS.1770-4 Annex 2
// method). Gain: a running minimum of the required gain over the lookahead window, then a
// moving average of the same length; the average of values that are each <= the requirement
// of the sample leaving the window is itself <= that requirement, so the ceiling holds while
// the gain stays smooth (no clicks). Exactly unity when nothing needs limiting.
#pragma once

#include <vector>

namespace vocalsynth {

class TruePeakLimiter {
 public:
  void prepare(double sampleRate, double lookaheadSeconds = 0.0015, double releaseSeconds = 0.08,
               float ceilingDb = -1.0f);
  void reset() noexcept;
  float process(float x) noexcept;
  int latencySamples() const noexcept { return latency_; }
  float currentGain() const noexcept { return lastGain_; }

 private:
  static constexpr int kTaps = 8;     // taps per polyphase branch
  static constexpr int kPhases = 3;   // interpolated points between samples (4x oversampling)
  float phaseCoefficients_[kPhases][kTaps] = {};
  float history_[kTaps] = {};
  int window_ = 1;
  int latency_ = 0;
  float ceiling_ = 0.89f;
  float tapAbsSum_ = 1.0f;  // bound on |interpolated| / max|history|
  float releaseCoefficient_ = 0.0f;
  float released_ = 1.0f;
  // Running minimum over the window: a monotonic deque in fixed rings.
  std::vector<float> minValues_;
  std::vector<long long> minIndices_;
  int minHead_ = 0, minCount_ = 0;
  long long index_ = 0;
  // Moving average.
  std::vector<float> boxRing_;
  int boxPos_ = 0;
  double boxSum_ = 0.0;
  // Delayed audio.
  std::vector<float> audio_;
  int audioPos_ = 0;
  float lastGain_ = 1.0f;
};

}  // namespace vocalsynth
