// F0 tracker for the pitch-dependent effects (jitter, shimmer, subharmonics, stabilizer).
// The input is low-passed (two TPT SVFs at 1 kHz) and decimated to ~8 kHz; every analysis hop a
// normalised cross-correlation over 60-600 Hz lags picks the period (as in RAPT's NCCF stage,
// Talkin 1995), preferring the shortest lag within 12% of the best peak to avoid octave errors,
// refined by parabolic interpolation. Fixed work per hop; no allocation after prepare().
#pragma once

#include <vector>

#include "vocalsynth/svf.h"

namespace vocalsynth {

class PitchTracker {
 public:
  void prepare(double sampleRate);
  void reset() noexcept;
  /// Feed one input sample (full rate).
  void push(float x) noexcept;
  void pushBlock(const float* x, int n) noexcept {
    for (int k = 0; k < n; ++k) push(x[k]);
  }
  /// Runs one analysis on the most recent window; call once per hop.
  void analyze() noexcept;

  bool voiced() const noexcept { return voiced_; }
  /// Last voiced F0 (held through unvoiced stretches); 0 before the first voiced frame.
  float f0Hz() const noexcept { return f0Hz_; }
  /// Normalised correlation of the last analysis (0..1): how periodic the input is.
  float periodicity() const noexcept { return periodicity_; }
  /// How far back (seconds) the centre of the analysed span lies when analyze() returns.
  double analysisDelaySeconds() const noexcept;

 private:
  double sampleRate_ = 48000.0;
  int decimation_ = 6;
  double decimatedRate_ = 8000.0;
  int window_ = 0;
  int minLag_ = 0;
  int maxLag_ = 0;
  int decimationPhase_ = 0;
  Svf antiAlias1_, antiAlias2_;
  std::vector<float> ring_;   // decimated history, power-of-two size
  int ringMask_ = 0;
  int writePos_ = 0;
  std::vector<float> frame_;  // linearised window for analysis
  std::vector<float> nccf_;
  bool voiced_ = false;
  float f0Hz_ = 0.0f;
  float periodicity_ = 0.0f;
};

}  // namespace vocalsynth
