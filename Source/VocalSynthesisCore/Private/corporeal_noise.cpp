#include "vocalsynth/corporeal_noise.h"

#include <cmath>

#include "vocalsynth/dsp_math.h"

namespace vocalsynth {

namespace {
constexpr float kOnsetRatio = 3.0f;  // +10 dB over the recent valley
constexpr float kGate = 0.01f;       // -40 dBFS: quieter anchors trigger nothing
}  // namespace

void CorporealNoise::prepare(double sampleRate, std::uint64_t seed) noexcept {
  sampleRate_ = sampleRate;
  inverseRate_ = static_cast<float>(1.0 / sampleRate);
  seed_ = seed;
  const double groupRate = sampleRate / kDetectGroup;
  fastCoefficient_ = onePoleCoefficient(0.005, groupRate);
  slowCoefficient_ = onePoleCoefficient(0.150, groupRate);
  valleyCoefficient_ = onePoleCoefficient(0.100, groupRate);
  refractoryGroups_ = static_cast<int>(0.12 * groupRate);
  phraseGroups_ = static_cast<int>(0.3 * groupRate);
  // Per-sample factors of the events' exponentials: exp(-t / tau) = decay^age.
  clickDecay_ = onePoleCoefficient(0.0015, sampleRate);
  popDecay_ = onePoleCoefficient(0.012, sampleRate);
  popAttack_ = onePoleCoefficient(0.001, sampleRate);
  popGlide_ = onePoleCoefficient(0.02, sampleRate);
  reset();
}

void CorporealNoise::reset() noexcept {
  random_.setSeed(seed_, 0xC0C0);
  for (auto& e : events_) {
    e.kind = Kind::None;
    e.filter.reset();
  }
  fastEnvelope_ = slowEnvelope_ = valley_ = 0.0f;
  groupSum_ = 0.0f;
  groupFill_ = 0;
  refractory_ = 0;
  voicedGroups_ = 0;
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
  e.envelope = 1.0f;
  e.attack = 1.0f;
  e.glide = 1.0f;
  e.noise.setSeed(random_.nextU32(), static_cast<std::uint64_t>(slot - events_));
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
    case Kind::None: break;
  }
  ++eventsStarted_;
  ++activeEvents_;
}

void CorporealNoise::renderEvent(Event& slot, float* out, int from, int to) noexcept {
  // The event in a local of this function: stores to out[] could alias the slot (or a reference
  // to a copy, in a function that is not inlined), and the compiler then stores and reloads the
  // filter's states and the envelopes every sample, a store-to-load wait in every recursion.
  Event e = slot;
  const int remaining = e.length - e.age;
  const int end = to - from < remaining ? to : from + remaining;
  const float amplitude = e.amplitude;
  switch (e.kind) {
    case Kind::Click:
      // A noise burst decaying in 1.5 ms, rung through a band-pass: a dry tongue/teeth click.
      for (int k = from; k < end; ++k) {
        out[k] += e.filter.bandPass(e.noise.bipolar() * e.envelope) * 2.5f * amplitude;
        e.envelope *= clickDecay_;
      }
      break;
    case Kind::Pop:
      // A damped sine gliding down (bubble collapse, Minnaert-like) with a little noise: wet pop.
      for (int k = from; k < end; ++k) {
        const float f = e.frequency * e.glide + 90.0f;
        e.phase += f * inverseRate_;
        if (e.phase >= 1.0f) e.phase -= 1.0f;
        const float env = (1.0f - e.attack) * e.envelope;
        out[k] += (fastSinTurns(e.phase) + 0.15f * e.noise.bipolar()) * env * amplitude;
        e.glide *= popGlide_;
        e.attack *= popAttack_;
        e.envelope *= popDecay_;
      }
      break;
    case Kind::Rasp: {
      // Band-passed noise with a slow raised-sine swell: a raspy inhale.
      const float step = 0.5f / static_cast<float>(e.length);
      for (int k = from; k < end; ++k) {
        const float s = fastSinTurns(static_cast<float>(e.age + (k - from)) * step);
        out[k] += e.filter.bandPass(e.noise.bipolar()) * s * s * 0.6f * amplitude;
      }
      break;
    }
    case Kind::Creak: {
      // Irregular low-rate impulses ringing a resonance: creaking bone or stone.
      const float fs = static_cast<float>(sampleRate_);
      const float inverseLength = 1.0f / static_cast<float>(e.length);
      for (int k = from; k < end; ++k) {
        const int age = e.age + (k - from);
        float impulse = 0.0f;
        if (age >= e.nextPulse) {
          impulse = 1.0f;
          const float period = fs / e.frequency * (0.8f + 0.4f * e.noise.uniform());
          e.nextPulse = age + static_cast<int>(period);
        }
        out[k] += e.filter.bandPass(impulse * 4.0f) * (1.0f - static_cast<float>(age) * inverseLength) * amplitude;
      }
      break;
    }
    case Kind::None: return;
  }
  e.age += end - from;
  if (e.age >= e.length) {
    e.kind = Kind::None;
    --activeEvents_;
  }
  slot = e;
}

int CorporealNoise::detect(const float* x, int from, int n, const CorporealAmounts& amounts, int& starts) noexcept {
  // The followers run once per group of kDetectGroup samples (on the group's mean |x|: onsets
  // need no finer timing than ~0.1 ms) and in locals, until a group where something can start
  // (an onset, or a phrase end while a phrase is active); only there are chances drawn.
  float fast = fastEnvelope_, slow = slowEnvelope_, valley = valley_;
  int refractory = refractory_, voiced = voicedGroups_;
  float groupSum = groupSum_;
  int groupFill = groupFill_;
  starts = 0;
  int k = from;
  static_assert(kDetectGroup == 4, "the whole-group sum below adds four samples");
  for (; k < n; ++k) {
    if (groupFill == 0 && k + kDetectGroup <= n) {
      // A whole group at once (the same additions in the same order as one at a time).
      groupSum = (((groupSum + std::fabs(x[k])) + std::fabs(x[k + 1])) + std::fabs(x[k + 2])) + std::fabs(x[k + 3]);
      k += kDetectGroup - 1;  // k: the group's last sample, as in the path below
    } else {
      groupSum += std::fabs(x[k]);
      if (++groupFill < kDetectGroup) continue;
    }
    const float rectified = groupSum * (1.0f / kDetectGroup);
    groupSum = 0.0f;
    groupFill = 0;
    fast = rectified + (fast - rectified) * fastCoefficient_;
    slow = rectified + (slow - rectified) * slowCoefficient_;
    // Valley: drops with the fast envelope at once, recovers over ~100 ms; an onset is a rise of
    // the fast envelope well above the recent valley (a syllable, not just the phrase start).
    valley = fast < valley ? fast : fast + (valley - fast) * valleyCoefficient_;
    if (refractory > 0) --refractory;
    const bool onset = refractory == 0 && fast > kGate && fast > kOnsetRatio * valley;
    const bool loud = fast > kGate;
    if (loud) {
      ++voiced;
      if (voiced > phraseGroups_) phraseActive_ = true;
    }
    if (!onset && (loud || !phraseActive_)) {
      if (!loud) voiced = 0;
      continue;
    }
    auto add = [&](Kind kind, float l) {
      pendingKind_[starts] = kind;
      pendingLevel_[starts] = l;
      ++starts;
    };
    if (onset) {
      const float level = slow > 0.05f ? slow : 0.05f;
      refractory = refractoryGroups_;
      if (random_.chance(amounts.clicks)) add(Kind::Click, level * 1.2f * amounts.clicks);
      if (random_.chance(amounts.wetPops)) add(Kind::Pop, level * 0.9f * amounts.wetPops);
      if (random_.chance(amounts.creaks)) add(Kind::Creak, level * 0.8f * amounts.creaks);
      if (random_.chance(0.3f * amounts.rasps)) add(Kind::Rasp, level * 0.5f * amounts.rasps);
    }
    // Phrase end: the voice has been going for a while and falls away -> a raspy inhale.
    if (!loud) {
      if (phraseActive_ && random_.chance(amounts.rasps)) add(Kind::Rasp, 0.15f * amounts.rasps);
      phraseActive_ = false;
      voiced = 0;
    }
    if (starts > 0) break;
  }
  fastEnvelope_ = fast;
  slowEnvelope_ = slow;
  valley_ = valley;
  refractory_ = refractory;
  voicedGroups_ = voiced;
  groupSum_ = groupSum;
  groupFill_ = groupFill;
  return k;  // the sample the events start at (n: none)
}

void CorporealNoise::render(const float* envelopeInput, const CorporealAmounts& amounts, float* out, int n) noexcept {
  const bool detecting = amounts.any();
  if (!detecting && activeEvents_ == 0) return;  // idle: nothing can start or ring
  int rendered = 0;
  int k = 0;
  while (rendered < n) {
    // Detect up to (and including) the next sample that starts events.
    int starts = 0, at = n;
    if (detecting && k < n) {
      at = detect(envelopeInput, k, n, amounts, starts);
      k = at + 1;
      if (starts == 0) at = n;
    }
    // Everything already sounding plays up to there; then the new events join from that sample.
    if (activeEvents_ > 0) {
      for (auto& e : events_) {
        if (e.kind != Kind::None) renderEvent(e, out, rendered, at);
      }
    }
    rendered = at;
    for (int i = 0; i < starts; ++i) trigger(pendingKind_[i], pendingLevel_[i]);
  }
}

}  // namespace vocalsynth
