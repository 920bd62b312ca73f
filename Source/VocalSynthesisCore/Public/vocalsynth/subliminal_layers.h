// Subliminal layers under the voice: a lub-dub heartbeat, blood flow pulsing with it, a slow
// breath cycle and a low hum. Continuous, quiet (about -20 dBFS at full level), seeded.
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
  float process(const SubliminalAmounts& amounts) noexcept;

 private:
  double sampleRate_ = 48000.0;
  std::uint64_t seed_ = 0;
  Random random_;
  int beatSample_ = 0;          // samples since the last "lub"
  float lubDecay_ = 0.0f, dubDecay_ = 0.0f, thumpDecay_ = 1.0f;
  SineOscillator lub_, dub_, breath_, hum_;
  float pulseEnvelope_ = 0.0f, pulseCoefficient_ = 0.0f;
  Svf bloodFilter_, breathFilter_;
};

}  // namespace vocalsynth
