#include "vocalsynth/subliminal_layers.h"

#include <cmath>

#include "vocalsynth/dsp_math.h"

namespace vocalsynth {
namespace {
constexpr float kThumpTau = 0.025f;
}  // namespace

void SubliminalLayers::prepare(double sampleRate, std::uint64_t seed) noexcept {
  sampleRate_ = sampleRate;
  seed_ = seed;
  rateDivider_ = static_cast<int>(std::lround(sampleRate / 3000.0));
  if (rateDivider_ < 1) rateDivider_ = 1;
  lowRate_ = static_cast<float>(sampleRate / rateDivider_);
  const float fs = static_cast<float>(sampleRate);
  bloodFilter_.setup(140.0f, 0.7f, lowRate_);
  breathFilter_.setup(1200.0f, 0.8f, fs);
  thumpDecay_ = onePoleCoefficient(kThumpTau, lowRate_);
  pulseCoefficient_ = 1.0f / (0.08f * lowRate_);
  lub_.setFrequency(52.0f, lowRate_);
  dub_.setFrequency(68.0f, lowRate_);
  reset();
}

void SubliminalLayers::reset() noexcept {
  bloodNoise_.setSeed(seed_, 0x5B1);
  breathNoise_.setSeed(seed_, 0x5B2);
  low_ = LowRateRamp{};
  breath_ = LowRateRamp{};
  beatSample_ = 0;
  lubDecay_ = 1.0f;
  dubDecay_ = 0.0f;
  lub_.reset();
  dub_.reset();
  breathCycle_.reset();
  hum_.reset();
  pulseEnvelope_ = 0.0f;
  bloodFilter_.reset();
  breathFilter_.reset();
}

float SubliminalLayers::lowRateSample(const SubliminalAmounts& a, int beatLength, int dubStart) noexcept {
  // Heartbeat: "lub" at the beat, "dub" 0.3 of a beat later; each a low sine under the envelope
  // t*exp(-t/tau), which peaks at tau (25 ms) and is normalised to 1 there.
  if (++beatSample_ >= beatLength) {
    beatSample_ = 0;
    lubDecay_ = 1.0f;
  }
  if (beatSample_ == dubStart) dubDecay_ = 1.0f;
  const float norm = 1.0f / (kThumpTau * 2.7182818f * lowRate_);
  const float lub = static_cast<float>(beatSample_) * lubDecay_ * norm;
  const float dub =
      beatSample_ >= dubStart ? 0.7f * static_cast<float>(beatSample_ - dubStart) * dubDecay_ * norm : 0.0f;
  lubDecay_ *= thumpDecay_;
  dubDecay_ *= thumpDecay_;
  float out = 0.0f;
  if (a.heartbeat > 0.0f) out += a.heartbeat * 0.25f * (lub * lub_.next() + dub * dub_.next());
  // Blood flow: low-passed noise swelling with each beat.
  if (a.bloodFlow > 0.0f) {
    pulseEnvelope_ += (lub + dub - pulseEnvelope_) * pulseCoefficient_;
    out += a.bloodFlow * 0.25f * bloodFilter_.lowPass(bloodNoise_.bipolar()) * (0.35f + 2.0f * pulseEnvelope_);
  }
  // Hum: a low sine with a touch of second harmonic (sin 2x = 2 sin x cos x).
  if (a.hum > 0.0f) {
    const float h = hum_.next();
    out += a.hum * 0.06f * (h + 0.6f * h * hum_.cosine());
  }
  return out;
}

template <class Next, class Emit>
void SubliminalLayers::interpolate(LowRateRamp& ramp, int n, Next next, Emit emit) const noexcept {
  // One low-rate step (rateDivider_ output samples) at a time.
  const float step = 1.0f / static_cast<float>(rateDivider_);
  for (int k = 0; k < n;) {
    if (ramp.phase == 0) {
      ramp.previous = ramp.current;
      ramp.current = next();
    }
    const int end = k + (rateDivider_ - ramp.phase) < n ? k + (rateDivider_ - ramp.phase) : n;
    const float from = ramp.previous, slope = ramp.current - ramp.previous;
    const int count = end - k;
    for (int j = ramp.phase; k < end; ++k, ++j) emit(k, from + slope * (static_cast<float>(j) * step));
    ramp.phase = (ramp.phase + count) % rateDivider_;
  }
}

void SubliminalLayers::render(const SubliminalAmounts& a, float* out, int n) noexcept {
  if (!a.any()) return;
  if (a.heartbeat > 0.0f || a.bloodFlow > 0.0f || a.hum > 0.0f) {
    const int beatLength = static_cast<int>(60.0f / a.heartbeatBpm * lowRate_);
    const int dubStart = static_cast<int>(0.3f * static_cast<float>(beatLength));
    if (a.hum > 0.0f) hum_.setFrequency(a.humHz, lowRate_);
    interpolate(
        low_, n, [&] { return lowRateSample(a, beatLength, dubStart); }, [out](int k, float v) { out[k] += v; });
  }
  if (a.breath > 0.0f) {
    // Breath: band-passed noise on the inhale (positive) half of a slow cycle, whose envelope
    // (inhale squared) steps at the low rate and is interpolated linearly.
    breathCycle_.setFrequency(a.breathRateHz, lowRate_);
    const float level = a.breath * 0.12f;
    // The layer's state in locals: stores to out[] could alias members, which the compiler would
    // otherwise reload every sample.
    FixedSvf filter = breathFilter_;
    Random noise = breathNoise_;
    auto inhaleSquared = [this] {
      const float phase = breathCycle_.next();
      const float inhale = phase > 0.0f ? phase : 0.0f;
      return inhale * inhale;
    };
    interpolate(breath_, n, inhaleSquared,
                [&](int k, float envelope) { out[k] += level * filter.bandPass(noise.bipolar()) * envelope; });
    breathFilter_ = filter;
    breathNoise_ = noise;
  }
}

}  // namespace vocalsynth
