// Subliminal layers under the voice: a lub-dub heartbeat, blood flow pulsing with it, a slow
// breath cycle and a low hum. Continuous, quiet (about -20 dBFS at full level), seeded.
// Heartbeat, blood flow and hum live below ~200 Hz, so they run at ~3 kHz and are interpolated
// linearly to the output rate (its images fall in the interpolator's nulls); the breath noise
// has content up to a few kHz and runs at the full rate, under an inhale envelope (a 0.1-0.5 Hz
// cycle) that is computed at the low rate and interpolated the same way: its recursive sine
// oscillator, run every output sample, was a ~20-cycle serial chain, two thirds of the layer's cost.
#pragma once

#include "vocalsynth/oscillator.h"
#include "vocalsynth/random.h"
#include "vocalsynth/svf.h"

namespace vocalsynth {

struct SubliminalAmounts {
  float heartbeat = 0.0f;
  float heartbeatBpm = 60.0f;
  float bloodFlow = 0.0f;
  float breath = 0.0f;
  float breathRateHz = 0.25f;
  float hum = 0.0f;
  float humHz = 35.0f;
  bool any() const noexcept { return heartbeat > 0.0f || bloodFlow > 0.0f || breath > 0.0f || hum > 0.0f; }
};

class SubliminalLayers {
 public:
  void prepare(double sampleRate, std::uint64_t seed) noexcept;
  void reset() noexcept;
  /// Adds `n` samples of the layers to `out`. Each layer runs as its own loop over the block
  /// with its own noise stream, so the result does not depend on how blocks are cut.
  void render(const SubliminalAmounts& amounts, float* out, int n) noexcept;

 private:
  static constexpr int kChunk = 64;

  /// One sample of the low-rate layers (heartbeat, blood flow, hum).
  float lowRateSample(const SubliminalAmounts& a, int beatLength, int dubStart) noexcept;

  double sampleRate_ = 48000.0;
  std::uint64_t seed_ = 0;
  int rateDivider_ = 8;  // output samples per low-rate sample
  float lowRate_ = 3000.0f;
  /// A signal computed at the low rate and interpolated linearly to the output rate: its step
  /// (phase: output samples into the current low-rate step) and the two values it runs between.
  struct LowRateRamp {
    int phase = 0;
    float previous = 0.0f, current = 0.0f;
  };
  /// Walks `n` output samples of `ramp`: `next()` gives the value of each new low-rate step,
  /// `emit(k, value)` takes output sample k's interpolated value.
  template <class Next, class Emit>
  void interpolate(LowRateRamp& ramp, int n, Next next, Emit emit) const noexcept;

  LowRateRamp low_;     // heartbeat, blood flow and hum, summed
  LowRateRamp breath_;  // the breath's inhale envelope (its own ramp: the layers switch on and off
                        // independently)
  Random bloodNoise_, breathNoise_;
  int beatSample_ = 0;  // low-rate samples since the last "lub"
  float lubDecay_ = 0.0f, dubDecay_ = 0.0f, thumpDecay_ = 1.0f;
  SineOscillator lub_, dub_, breathCycle_, hum_;
  float pulseEnvelope_ = 0.0f, pulseCoefficient_ = 0.0f;
  FixedSvf bloodFilter_, breathFilter_;
};

}  // namespace vocalsynth
