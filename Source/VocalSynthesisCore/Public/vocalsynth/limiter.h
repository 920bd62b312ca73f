// Lookahead true-peak limiter: the output never exceeds the ceiling (default -1 dBTP), so no
// preset can clip (the seed's presets peaked at 1.15 and 2.09).
// True peak is estimated with 4x polyphase windowed-sinc interpolation (ITU-R BS.1770-4 Annex 2
// method). Gain: a running minimum of the required gain over the lookahead window, then a
// moving average of the same length; the average of values that are each <= the requirement
// of the sample leaving the window is itself <= that requirement, so the ceiling holds while
// the gain stays smooth (no clicks). Exactly unity when nothing needs limiting.
//
// Cost: while every recent sample is below ceiling / sum|taps| no interpolated peak can reach the
// ceiling, and once the gain has recovered to exactly 1 the limiter is a plain delay. That idle
// state is detected per sample in O(1) and skips all gain computation (bit-identical: the skipped
// work would have produced a gain of exactly 1).
#pragma once

#include <vector>

namespace vocalsynth {

class TruePeakLimiter {
 public:
  void prepare(double sampleRate, double lookaheadSeconds = 0.0015, double releaseSeconds = 0.08,
               float ceilingDb = -1.0f);
  void reset() noexcept;
  /// Limits `n` samples in place (any n >= 0; the result does not depend on how blocks are cut).
  void process(float* buffer, int n) noexcept;
  int latencySamples() const noexcept { return latency_; }
  float currentGain() const noexcept { return lastGain_; }
  /// True while the limiter is an exact delay (gain 1, nothing near the ceiling).
  bool idle() const noexcept { return idle_ && quietRun_ >= kTaps; }

 private:
  // 16 taps per phase (BS.1770-4's meter has 12): with 8, a broadband voice (noise bursts, rasps,
  // hard distortion) came within 0.16 dB of 0 dBTP behind the -1 dB ceiling; with 16, 0.76 dB.
  static constexpr int kTaps = 16;               // taps per polyphase branch
  static constexpr int kCentre = kTaps / 2 - 1;  // points are interpolated between taps kCentre and kCentre + 1
  static constexpr int kPhases = 3;              // interpolated points between samples (4x oversampling)

  static constexpr int kSlack = 256;              // samples appended to the delay line between compactions
  static constexpr float kExactSumBelow = 1e-3f;  // gains (-60 dB) below which the box is summed afresh

  /// True-peak estimate of each of n samples (line[k - kTaps + 1 .. k] must be readable).
  void peaks(const float* line, int n, float* peak) const noexcept;
  /// out[k] = delayed[k] x the gain for a sample whose true-peak estimate is peak[k].
  void applyGains(const float* peak, const float* delayed, float* out, int n) noexcept;

  float phaseCoefficients_[kPhases][kTaps] = {};
  int window_ = 1;
  int latency_ = 0;
  float ceiling_ = 0.89f;
  float quietLevel_ = 0.89f;  // ceiling / sum|taps|: below it no interpolated value reaches the ceiling
  // Double: in float, 1 - (1 - c) * deficit rounds back to the same value once the deficit is
  // below ~0.5 / (1 - c) ulps, and the release would stall at -80 dB instead of reaching 1.
  double releaseCoefficient_ = 0.0;
  double released_ = 1.0;
  int quietRun_ = 0;     // consecutive newest inputs below quietLevel_ (saturates)
  bool idle_ = true;     // gain state exactly unity: no pending minimum, released 1, box all 1
  int unityBoxRun_ = 0;  // consecutive 1.0 values pushed into the box
  // Running minimum over the window of the required gains below 1: a monotonic deque in rings.
  std::vector<float> minValues_;
  std::vector<long long> minIndices_;
  int minHead_ = 0, minCount_ = 0;
  long long index_ = 0;
  // Moving average.
  std::vector<float> boxRing_;
  int boxPos_ = 0;
  double boxSum_ = 0.0;
  // Delayed audio: a time-ordered sliding buffer (oldest first, compacted now and then), so the
  // newest kTaps are contiguous and an idle block is two copies. The newest is audio_[audioEnd_ - 1].
  std::vector<float> audio_;
  int audioEnd_ = 0;
  float lastGain_ = 1.0f;
};

}  // namespace vocalsynth
