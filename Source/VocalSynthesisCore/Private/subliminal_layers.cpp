#include "vocalsynth/subliminal_layers.h"

#include <cmath>

#include "vocalsynth/dsp_math.h"

namespace vocalsynth {

void SubliminalLayers::prepare(double sampleRate, std::uint64_t seed) noexcept {
  sampleRate_ = sampleRate;
  seed_ = seed;
  const float fs = static_cast<float>(sampleRate);
  bloodFilter_.setup(140.0f, 0.7f, fs);
  breathFilter_.setup(1200.0f, 0.8f, fs);
  reset();
}

void SubliminalLayers::reset() noexcept {
  random_.setSeed(seed_, 0x5B1);
  beatPhase_ = thumpPhase_ = breathPhase_ = humPhase_ = 0.0f;
  pulseEnvelope_ = 0.0f;
  bloodFilter_.reset();
  breathFilter_.reset();
}

float SubliminalLayers::process(const SubliminalAmounts& a) noexcept {
  if (!a.any()) return 0.0f;
  const float fs = static_cast<float>(sampleRate_);
  float out = 0.0f;

  // Heartbeat: "lub" at the beat, "dub" 0.3 of a beat later; each a damped low sine whose
  // envelope t*exp(-t/tau) peaks at tau (25 ms).
  const float beatSeconds = 60.0f / a.heartbeatBpm;
  beatPhase_ += 1.0f / (beatSeconds * fs);
  if (beatPhase_ >= 1.0f) beatPhase_ -= 1.0f;
  const float tLub = beatPhase_ * beatSeconds;
  const float tDub = (beatPhase_ - 0.3f) * beatSeconds;
  constexpr float tau = 0.025f;
  const float lub = tLub * std::exp(-tLub / tau) / (tau * 2.71828f);
  const float dub = tDub > 0.0f ? 0.7f * tDub * std::exp(-tDub / tau) / (tau * 2.71828f) : 0.0f;
  thumpPhase_ += (tDub > 0.0f && tDub < 0.2f ? 68.0f : 52.0f) / fs;
  if (thumpPhase_ >= 1.0f) thumpPhase_ -= 1.0f;
  const float thumpEnvelope = lub + dub;
  out += a.heartbeat * 0.25f * thumpEnvelope * std::sin(kTwoPi * thumpPhase_);

  // Blood flow: low-passed noise swelling with each beat.
  pulseEnvelope_ += (thumpEnvelope - pulseEnvelope_) * (1.0f / (0.08f * fs));
  const float blood = bloodFilter_.lowPass(random_.bipolar());
  out += a.bloodFlow * 0.25f * blood * (0.35f + 2.0f * pulseEnvelope_);

  // Breath: band-passed noise on the inhale half of a slow cycle.
  breathPhase_ += a.breathRateHz / fs;
  if (breathPhase_ >= 1.0f) breathPhase_ -= 1.0f;
  const float inhale = breathPhase_ < 0.5f ? std::sin(kTwoPi * breathPhase_) : 0.0f;
  out += a.breath * 0.12f * breathFilter_.bandPass(random_.bipolar()) * inhale * inhale;

  // Hum: a low sine with a touch of second harmonic.
  humPhase_ += a.humHz / fs;
  if (humPhase_ >= 1.0f) humPhase_ -= 1.0f;
  out += a.hum * 0.06f * (std::sin(kTwoPi * humPhase_) + 0.3f * std::sin(2.0f * kTwoPi * humPhase_));
  return out;
}

}  // namespace vocalsynth
