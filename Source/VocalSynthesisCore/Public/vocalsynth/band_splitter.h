// Voice-band split for the formant stage. Formants live below ~7 kHz; an all-pole model of a
// 48 kHz signal wastes its poles on the top octaves and becomes ill-conditioned. So the voice is
// decimated to a ~16-22 kHz "voice band" with a linear-phase polyphase FIR (Kaiser-windowed
// sinc, Crochiere & Rabiner 1983; 16 taps per phase, flat to ~5 kHz, -50 dB from ~8.2 kHz at
// 48 kHz), processed there, interpolated back, and summed with the complementary high band
// (input delayed by the filters' latency minus the unprocessed low band). With no processing the
// two bands sum back to the delayed input exactly.
//
// Block use: pushBlock() takes a block of input and hands out the band samples that fall in it;
// the caller processes them; finishBlock() takes the processed ones and writes the block's output.
// Interpolation runs phase by phase over the block, four outputs per vector with contiguous
// loads. Histories are time-ordered sliding buffers (oldest first, compacted now and then).
#pragma once

#include <vector>

namespace vocalsynth {

class BandSplitter {
 public:
  /// The most band samples one block can produce (blocks are at most this long).
  static constexpr int kMaxBlock = 64;

  void prepare(double sampleRate);
  void reset() noexcept;
  /// Clears only the voice-band filters; the bypass (delayed input) keeps running, so a band
  /// path that starts up mid-stream cross-fades from an unbroken bypass.
  void resetBandPath() noexcept;

  int decimation() const noexcept { return decimation_; }
  double bandRate() const noexcept { return bandRate_; }
  /// Delay of the outputs relative to the input, in full-rate samples.
  int latencySamples() const noexcept { return taps_ - 1; }

  /// Appends `n` <= kMaxBlock input samples and writes the band samples that fall in them to
  /// `band` (with, in `at`, the index of the input sample each belongs to). Returns their count.
  int pushBlock(const float* x, int n, float* band, int* at) noexcept;
  /// Completes the block pushBlock() began: `processed` holds the caller's version of each band
  /// sample. Writes the block's output (high band + interpolated processed band) to `out` and the
  /// input delayed by latencySamples() to `bypass`.
  void finishBlock(const float* band, const float* processed, int count, float* out, float* bypass) noexcept;
  /// Bypass: feeds `n` samples (no filter work) and writes the input delayed by latencySamples().
  void pushBypass(const float* x, float* delayed, int n) noexcept;

 private:
  static constexpr int kSlack = 512;  // samples appended between compactions
  static constexpr int kMaxDecimation = 8;
  static constexpr int kPhaseTaps = 17;  // taps per polyphase branch whenever decimating

  void compactInput() noexcept;

  int decimation_ = 1;
  double bandRate_ = 48000.0;
  int taps_ = 1;        // prototype low-pass length (odd, symmetric)
  int paddedTaps_ = 4;  // taps_ rounded up to a multiple of 4 (zeros at the old end)
  int phaseTaps_ = 1;   // taps per polyphase branch
  int phase_ = 0;       // position of the next input sample within the decimation cycle
  // The block between pushBlock() and finishBlock().
  int blockStart_ = 0, blockLength_ = 0, blockPhase_ = 0;
  std::vector<float> prototype_;  // decimation filter, paddedTaps_ long (symmetric: no reversal)
  std::vector<float> branches_;   // [phase][tap][4]: interpolation coefficient (gain D) x4, for tap i back
  std::vector<float> input_;      // full-rate history, oldest first; the newest is input_[inputEnd_ - 1]
  int inputEnd_ = 0;
  std::vector<float> difference_;  // processed - band at the band rate, oldest first (+12 readable)
  int differenceEnd_ = 0;
};

}  // namespace vocalsynth
