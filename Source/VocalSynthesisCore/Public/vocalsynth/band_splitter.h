// Voice-band split for the formant stage. Formants live below ~7 kHz; an all-pole model of a
// 48 kHz signal wastes its poles on the top octaves and becomes ill-conditioned. So the voice is
// decimated to a ~16-22 kHz "voice band" with a linear-phase polyphase FIR (Blackman-windowed
// sinc, Crochiere & Rabiner 1983), processed there, interpolated back, and summed with the
// complementary high band (input delayed by the filters' latency minus the unprocessed low
// band). With no processing the two bands sum back to the delayed input.
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

  /// Feeds one full-rate sample. Returns true when a new voice-band sample is due; it is written
  /// to `bandSample` when `compute` is set (skipping the filter work while idle).
  bool push(float x, bool compute, float& bandSample) noexcept;
  /// Hands back the processed voice-band sample for the one push() just produced.
  void submit(float bandSample, float processed) noexcept;
  /// Full-rate output: high band + interpolated processed band. Call once per push().
  float output() noexcept;
  /// The input delayed by latencySamples() (the bypass path).
  float delayedInput() const noexcept { return inputHistory_[inputPos_ + taps_ - 1]; }

 private:
  int decimation_ = 1;
  double bandRate_ = 48000.0;
  int taps_ = 1;          // prototype low-pass length (odd)
  int phaseTaps_ = 1;     // taps per polyphase branch
  int phase_ = 0;         // position of the next push within the decimation cycle
  int currentPhase_ = 0;  // position of the latest push (used by output())
  std::vector<float> prototype_;     // decimation filter, newest-first convolution order
  std::vector<float> polyphase_;     // [phase][tap] interpolation branches, gain D
  std::vector<float> inputHistory_;  // mirrored ring: 2 * taps
  int inputPos_ = 0;
  std::vector<float> differenceHistory_;  // processed - band, mirrored ring: 2 * phaseTaps
  int bandPos_ = 0;
};

}  // namespace vocalsynth
