// Voice-band split for the formant stage. Formants live below ~7 kHz; an all-pole model of a
// 48 kHz signal wastes its poles on the top octaves and becomes ill-conditioned. So the voice is
// decimated to a ~16-22 kHz "voice band" with a linear-phase polyphase FIR (Kaiser-windowed
// sinc, Crochiere & Rabiner 1983; 16 taps per phase, flat to ~5 kHz, -50 dB from ~8.2 kHz at
// 48 kHz), processed there, interpolated back, and summed with the complementary high band
// (input delayed by the filters' latency minus the unprocessed low band). With no processing the
// two bands sum back to the delayed input exactly.
//
// Histories are time-ordered sliding buffers (oldest first, compacted now and then), so the
// newest taps are always contiguous and a bypassed block is two copies.
#pragma once

#include <vector>

namespace vocalsynth {

class BandSplitter {
 public:
  void prepare(double sampleRate);
  void reset() noexcept;
  /// Clears only the voice-band filters; the bypass (delayed input) keeps running, so a band
  /// path that starts up mid-stream cross-fades from an unbroken bypass.
  void resetBandPath() noexcept;

  int decimation() const noexcept { return decimation_; }
  double bandRate() const noexcept { return bandRate_; }
  /// Delay of output() and delayedInput() relative to push(), in full-rate samples.
  int latencySamples() const noexcept { return taps_ - 1; }

  /// Feeds one full-rate sample. Returns true when a new voice-band sample is due and writes it
  /// to `bandSample`.
  bool push(float x, float& bandSample) noexcept {
    if (inputEnd_ == static_cast<int>(input_.size())) compactInput();
    input_[inputEnd_++] = x;
    currentPhase_ = phase_;
    if (++phase_ == decimation_) phase_ = 0;
    if (currentPhase_ != 0) return false;
    bandSample = decimate();
    return true;
  }
  /// Bypass: feeds `n` samples (no filter work) and writes the input delayed by latencySamples().
  void pushBypass(const float* x, float* delayed, int n) noexcept;
  /// Hands back the processed voice-band sample for the one push() just produced; this computes
  /// the next decimation() full-rate outputs of the interpolated difference at once.
  void submit(float bandSample, float processed) noexcept;
  /// Full-rate output: high band + interpolated processed band. Call once per push().
  float output() const noexcept { return delayedInput() + interpolated_[currentPhase_]; }
  /// The input delayed by latencySamples() (the bypass path).
  float delayedInput() const noexcept { return input_[inputEnd_ - taps_]; }

 private:
  static constexpr int kSlack = 512;  // samples appended between compactions
  static constexpr int kMaxDecimation = 8;

  void compactInput() noexcept;
  float decimate() const noexcept;

  int decimation_ = 1;
  double bandRate_ = 48000.0;
  int taps_ = 1;          // prototype low-pass length (odd, symmetric)
  int paddedTaps_ = 4;    // taps_ rounded up to a multiple of 4 (zeros at the old end)
  int phaseTaps_ = 1;     // taps per polyphase branch
  int lanes_ = 4;         // decimation_ rounded up to a multiple of 4
  int phase_ = 0;         // position of the next push within the decimation cycle
  int currentPhase_ = 0;  // position of the latest push (used by output())
  std::vector<float> prototype_;  // decimation filter, paddedTaps_ long (symmetric: no reversal)
  std::vector<float> branches_;   // [tap][phase] interpolation coefficients (gain D), lanes_ wide
  std::vector<float> input_;      // full-rate history, oldest first; the newest is input_[inputEnd_ - 1]
  int inputEnd_ = 0;
  std::vector<float> difference_;  // processed - band at the band rate, oldest first
  int differenceEnd_ = 0;
  float interpolated_[kMaxDecimation] = {};  // the current band sample's D interpolated outputs
};

}  // namespace vocalsynth
