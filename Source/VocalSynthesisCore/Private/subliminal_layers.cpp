#include "vocalsynth/subliminal_layers.h"

#include <cmath>

#include "vocalsynth/dsp_math.h"

namespace vocalsynth {
namespace {
constexpr float kThumpTau = 0.025f;
}  // namespace
}  // namespace vocalsynth

namespace vocalsynth {

void SubliminalLayers::prepare(double sampleRate, std::uint64_t seed) noexcept {
  sampleRate_ = sampleRate;
  seed_ = seed;
  const float fs = static_cast<float>(sampleRate);
  bloodFilter_.setup(140.0f, 0.7f, fs);
  breathFilter_.setup(1200.0f, 0.8f, fs);
  thumpDecay_ = onePoleCoefficient(kThumpTau, sampleRate);
  pulseCoefficient_ = 1.0f / (0.08f * fs);
  lub_.setFrequency(52.0f, fs);
  dub_.setFrequency(68.0f, fs);
  reset();
}

void SubliminalLayers::reset() noexcept {
  random_.setSeed(seed_, 0x5B1);
  beatSample_ = 0;
  lubDecay_ = 1.0f;
  dubDecay_ = 0.0f;
  lub_.reset();
  dub_.reset();
  breath_.reset();
  hum_.reset();
  pulseEnvelope_ = 0.0f;
  bloodFilter_.reset();
  breathFilter_.reset();
}

float SubliminalLayers::process(const SubliminalAmounts& a) noexcept {
  if (!a.any()) return 0.0f;
  const float fs = static_cast<float>(sampleRate_);
  float out = 0.0f;

  // Heartbeat: "lub" at the beat, "dub" 0.3 of a beat later; each a low sine under the envelope
  // t*exp(-t/tau), which peaks at tau (25 ms) and is normalised to 1 there.
  const int beatLength = static_cast<int>(60.0f / a.heartbeatBpm * fs);
  const int dubStart = static_cast<int>(0.3f * static_cast<float>(beatLength));
  if (++beatSample_ >= beatLength) {
    beatSample_ = 0;
    lubDecay_ = 1.0f;
  }
  if (beatSample_ == dubStart) dubDecay_ = 1.0f;
  const float norm = 1.0f / (kThumpTau * 2.7182818f);
  const float lub = static_cast<float>(beatSample_) / fs * lubDecay_ * norm;
  const float dub = beatSample_ >= dubStart ? 0.7f * static_cast<float>(beatSample_ - dubStart) / fs * dubDecay_ * norm : 0.0f;
  lubDecay_ *= thumpDecay_;
  dubDecay_ *= thumpDecay_;
  if (a.heartbeat > 0.0f) out += a.heartbeat * 0.25f * (lub * lub_.next() + dub * dub_.next());

  // Blood flow: low-passed noise swelling with each beat. (Each layer runs only when audible.)
  if (a.bloodFlow > 0.0f) {
    pulseEnvelope_ += (lub + dub - pulseEnvelope_) * pulseCoefficient_;
    const float blood = bloodFilter_.lowPass(random_.bipolar());
    out += a.bloodFlow * 0.25f * blood * (0.35f + 2.0f * pulseEnvelope_);
  }

  // Breath: band-passed noise on the inhale (positive) half of a slow cycle.
  if (a.breath > 0.0f) {
    breath_.setFrequency(a.breathRateHz, fs);
    const float phase = breath_.next();
    const float inhale = phase > 0.0f ? phase : 0.0f;
    out += a.breath * 0.12f * breathFilter_.bandPass(random_.bipolar()) * inhale * inhale;
  }

  // Hum: a low sine with a touch of second harmonic (sin 2x = 2 sin x cos x).
  if (a.hum > 0.0f) {
    hum_.setFrequency(a.humHz, fs);
    const float h = hum_.next();
    out += a.hum * 0.06f * (h + 0.6f * h * hum_.cosine());
  }
  return out;
}

}  // namespace vocalsynth
