// F0 tracker for the pitch-dependent effects (jitter, shimmer, subharmonics, stabilizer).
//
// Front end: a third-order CIC decimator (Hogenauer 1981; three cascaded boxcars, evaluated only
// at the output rate as one short FIR) takes the input to ~8 kHz, where two TPT SVFs low-pass it
// at 1 kHz. Every analysis hop a normalised cross-correlation (NCCF) picks the period the way
// RAPT does (Talkin 1995): a coarse NCCF over all 60-600 Hz lags on a 2:1 decimated copy proposes
// candidate peaks, the full-resolution NCCF is evaluated only around them, the shortest lag
// within 7% of the best peak wins (avoiding 2T/3T and T/2 octave errors), unless the spectrum
// has a 1st harmonic at half its F0 (half the period of a high voice), and a parabola through its
// neighbours refines it. For three hops after each search a voiced track is only followed around
// its last period (falling back to the search when that peak fades). Bounded work per hop; no
// allocation after prepare().
#pragma once

#include <vector>

#include "vocalsynth/svf.h"

namespace vocalsynth {

class PitchTracker {
 public:
  void prepare(double sampleRate);
  void reset() noexcept;
  /// Feeds `n` input samples (full rate).
  void pushBlock(const float* x, int n) noexcept;
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
  static constexpr int kMaxCandidates = 8;
  static constexpr int kRefineRadius = 2;  // full-resolution lags evaluated either side of 2 x coarse lag
  static constexpr int kHistorySlack = 256;
  static constexpr int kTrackingHops = 3;

  /// NCCF of `ref` (length `window`) against the segment `lag` samples earlier, with the lagged
  /// segment's energy from the prefix sums `energy` (energy[i] = sum of squares before frame i).
  static float nccf(const float* frame, const double* energy, int refStart, int window, int lag,
                    double refEnergy) noexcept;
  void appendDecimated(float y) noexcept;

  double sampleRate_ = 48000.0;
  int decimation_ = 6;
  double decimatedRate_ = 8000.0;
  int window_ = 0;  // full resolution (decimated rate)
  int minLag_ = 0;
  int maxLag_ = 0;
  // CIC front end: the last cicTaps_ inputs (time-ordered sliding buffer) and the kernel.
  std::vector<float> cicKernel_;  // cicPaddedTaps_ long: zeros at the oldest end
  std::vector<float> cicInput_;
  int cicTaps_ = 1;
  int cicPaddedTaps_ = 4;
  int cicEnd_ = 0;
  int decimationPhase_ = 0;
  FixedSvf antiAlias1_, antiAlias2_;
  // Decimated history, oldest first, compacted now and then: the newest `span` samples are
  // always contiguous, so an analysis reads them in place. Its 2:1 coarse copy grows with it.
  std::vector<float> history_;
  int historyEnd_ = 0;
  int span_ = 0;
  std::vector<float> coarseHistory_;
  int coarseEnd_ = 0;
  // Running prefix sums of squares alongside each history (energy[i] = squares before sample i),
  // kept as samples arrive and rebased at each compaction: a segment's energy is a difference.
  std::vector<double> energy_;
  std::vector<double> coarseEnergy_;
  std::vector<float> coarseNccf_;
  int goertzelWindow_ = 0;   // the Goertzel check's length (decimated samples, ~30 ms)
  std::vector<float> hann_;  // goertzelWindow_ long
  /// Power of one DFT bin of the Hann-windowed `goertzelWindow_` samples at `x` (and, if asked,
  /// their windowed energy).
  double goertzelPower(const float* x, double cyclesPerSample, double* windowedEnergy) const noexcept;
  int lastLag_ = -1;         // the period chosen last (full-resolution lag)
  int hopsSinceSearch_ = 0;  // a voiced track is followed for kTrackingHops hops, then searched again
  bool voiced_ = false;
  float f0Hz_ = 0.0f;
  float periodicity_ = 0.0f;
};

}  // namespace vocalsynth
