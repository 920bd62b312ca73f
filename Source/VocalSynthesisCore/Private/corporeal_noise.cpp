#include "vocalsynth/corporeal_noise.h"

#include <cmath>

#include "vocalsynth/dsp_math.h"

namespace vocalsynth {

namespace {
constexpr float kOnsetRatio = 3.0f;  // +10 dB over the recent valley
constexpr float kGate = 0.01f;  // -40 dBFS: quieter anchors trigger nothing
}  // namespace

void CorporealNoise::prepare(double sampleRate, std::uint64_t seed) noexcept {
  sampleRate_ = sampleRate;
  seed_ = seed;
  fastCoefficient_ = onePoleCoefficient(0.005, sampleRate);
  slowCoefficient_ = onePoleCoefficient(0.150, sampleRate);
  valleyCoefficient_ = onePoleCoefficient(0.100, sampleRate);
  refractoryLength_ = static_cast<int>(0.12 * sampleRate);
  reset();
}

void CorporealNoise::reset() noexcept {
  random_.setSeed(seed_, 0xC0C0);
  for (auto& e : events_) {
    e.kind = Kind::None;
    e.filter.reset();
  }
  fastEnvelope_ = slowEnvelope_ = valley_ = 0.0f;
  refractory_ = 0;
  voicedSamples_ = 0;
  phraseActive_ = false;
  eventsStarted_ = 0;
  activeEvents_ = 0;
}

void CorporealNoise::trigger(Kind kind, float level) noexcept {
  Event* slot = nullptr;
  for (auto& e : events_) {
    if (e.kind == Kind::None) {
      slot = &e;
      break;
    }
  }
  if (slot == nullptr) return;  // pool full: drop, never allocate
  Event& e = *slot;
  const float fs = static_cast<float>(sampleRate_);
  e.kind = kind;
  e.age = 0;
  e.phase = 0.0f;
  e.amplitude = level;
  e.filter.reset();
  switch (kind) {
    case Kind::Click:
      e.length = static_cast<int>(0.015f * fs);
      e.filter.setup(2500.0f + 2500.0f * random_.uniform(), 3.0f, fs);
      break;
    case Kind::Pop:
      e.length = static_cast<int>(0.06f * fs);
      e.frequency = 400.0f + 250.0f * random_.uniform();
      break;
    case Kind::Rasp:
      e.length = static_cast<int>((0.25f + 0.15f * random_.uniform()) * fs);
      e.filter.setup(1500.0f + 1000.0f * random_.uniform(), 1.5f, fs);
      break;
    case Kind::Creak:
      e.length = static_cast<int>((0.2f + 0.15f * random_.uniform()) * fs);
      e.frequency = 30.0f + 20.0f * random_.uniform();  // pulses per second
      e.nextPulse = 0;
      e.filter.setup(450.0f + 300.0f * random_.uniform(), 5.0f, fs);
      break;
    case Kind::None:
      break;
  }
  ++eventsStarted_;
  ++activeEvents_;
}

float CorporealNoise::render(Event& e) noexcept {
  const float fs = static_cast<float>(sampleRate_);
  const float t = static_cast<float>(e.age) / fs;
  float y = 0.0f;
  switch (e.kind) {
    case Kind::Click: {
      // A noise burst decaying in 1.5 ms, rung through a band-pass: a dry tongue/teeth click.
      const float env = std::exp(-t / 0.0015f);
      y = e.filter.bandPass(random_.bipolar() * env) * 2.5f;
      break;
    }
    case Kind::Pop: {
      // A damped sine gliding down (bubble collapse, Minnaert-like) with a little noise: wet pop.
      const float f = e.frequency * std::exp(-t / 0.02f) + 90.0f;
      e.phase += f / fs;
      if (e.phase >= 1.0f) e.phase -= 1.0f;
      const float env = (1.0f - std::exp(-t / 0.001f)) * std::exp(-t / 0.012f);
      y = (std::sin(kTwoPi * e.phase) + 0.15f * random_.bipolar()) * env;
      break;
    }
    case Kind::Rasp: {
      // Band-passed noise with a slow raised-sine swell: a raspy inhale.
      const float x = static_cast<float>(e.age) / static_cast<float>(e.length);
      const float env = std::sin(kPi * x) * std::sin(kPi * x);
      y = e.filter.bandPass(random_.bipolar()) * env * 0.6f;
      break;
    }
    case Kind::Creak: {
      // Irregular low-rate impulses ringing a resonance: creaking bone or stone.
      float impulse = 0.0f;
      if (e.age >= e.nextPulse) {
        impulse = 1.0f;
        const float period = fs / e.frequency * (0.8f + 0.4f * random_.uniform());
        e.nextPulse = e.age + static_cast<int>(period);
      }
      const float x = static_cast<float>(e.age) / static_cast<float>(e.length);
      y = e.filter.bandPass(impulse * 4.0f) * (1.0f - x);
      break;
    }
    case Kind::None:
      return 0.0f;
  }
  if (++e.age >= e.length) e.kind = Kind::None;
  return y * e.amplitude;
}

float CorporealNoise::process(float envelopeInput, const CorporealAmounts& amounts) noexcept {
  if (!amounts.any() && activeEvents_ == 0) return 0.0f;  // idle: nothing can start or ring
  const float rectified = std::fabs(envelopeInput);
  fastEnvelope_ = rectified + (fastEnvelope_ - rectified) * fastCoefficient_;
  slowEnvelope_ = rectified + (slowEnvelope_ - rectified) * slowCoefficient_;
  // Valley: drops with the fast envelope at once, recovers over ~100 ms; an onset is a rise of
  // the fast envelope well above the recent valley (a syllable, not just the phrase start).
  valley_ = fastEnvelope_ < valley_ ? fastEnvelope_ : fastEnvelope_ + (valley_ - fastEnvelope_) * valleyCoefficient_;
  if (refractory_ > 0) --refractory_;

  if (amounts.any()) {
    const float level = slowEnvelope_ > 0.05f ? slowEnvelope_ : 0.05f;
    const bool onset = refractory_ == 0 && fastEnvelope_ > kGate && fastEnvelope_ > kOnsetRatio * valley_;
    if (onset) {
      refractory_ = refractoryLength_;
      if (random_.chance(amounts.clicks)) trigger(Kind::Click, level * 1.2f * amounts.clicks);
      if (random_.chance(amounts.wetPops)) trigger(Kind::Pop, level * 0.9f * amounts.wetPops);
      if (random_.chance(amounts.creaks)) trigger(Kind::Creak, level * 0.8f * amounts.creaks);
      if (random_.chance(0.3f * amounts.rasps)) trigger(Kind::Rasp, level * 0.5f * amounts.rasps);
    }
    // Phrase end: the voice has been going for a while and falls away -> a raspy inhale.
    if (fastEnvelope_ > kGate) {
      ++voicedSamples_;
      if (voicedSamples_ > static_cast<int>(0.3 * sampleRate_)) phraseActive_ = true;
    } else {
      if (phraseActive_ && random_.chance(amounts.rasps)) trigger(Kind::Rasp, 0.15f * amounts.rasps);
      phraseActive_ = false;
      voicedSamples_ = 0;
    }
  }

  float sum = 0.0f;
  int active = 0;
  for (auto& e : events_) {
    if (e.kind != Kind::None) {
      sum += render(e);
      if (e.kind != Kind::None) ++active;
    }
  }
  activeEvents_ = active;
  return sum;
}

}  // namespace vocalsynth
