// Additive corporeal noise: short physical sounds of a body (dry clicks, wet pops, raspy
// inhales, bone creaks) triggered by the anchor's envelope, so they land where a mouth opens
// or a phrase ends rather than at random. A fixed pool of event slots; no allocation.
#pragma once

#include "vocalsynth/random.h"
#include "vocalsynth/svf.h"

namespace vocalsynth {

struct CorporealAmounts {
  float clicks = 0.0f;
  float wetPops = 0.0f;
  float rasps = 0.0f;
  float creaks = 0.0f;
  bool any() const noexcept { return clicks > 0.0f || wetPops > 0.0f || rasps > 0.0f || creaks > 0.0f; }
};

class CorporealNoise {
 public:
  void prepare(double sampleRate, std::uint64_t seed) noexcept;
  void reset() noexcept;
  /// Adds `n` samples to `out`; `envelopeInput` is the dry anchor that triggers the events.
  /// Detection runs sample by sample; events render in their own loops between trigger points,
  /// each with its own noise stream, so the result does not depend on how blocks are cut.
  void render(const float* envelopeInput, const CorporealAmounts& amounts, float* out, int n) noexcept;
  /// Whether an event is still sounding (it must be rendered to its end).
  bool ringing() const noexcept { return activeEvents_ > 0; }
  /// Number of events started since reset (tests use it).
  int eventsStarted() const noexcept { return eventsStarted_; }

 private:
  enum class Kind { None, Click, Pop, Rasp, Creak };
  struct Event {
    Kind kind = Kind::None;
    int age = 0;
    int length = 0;
    float amplitude = 0.0f;
    float phase = 0.0f;
    float frequency = 0.0f;
    float envelope = 0.0f, attack = 0.0f, glide = 0.0f;  // recursive exponentials (see render)
    int nextPulse = 0;
    Random noise;
    FixedSvf filter;
  };
  static constexpr int kSlots = 6;
  static constexpr int kMaxPending = 5;
  static constexpr int kDetectGroup = 4;  // samples per envelope-follower step

  /// Follows the envelope from x[from] until a sample that starts events (their count goes to
  /// `starts`, the events to pending); returns that sample, or n when none does.
  int detect(const float* x, int from, int n, const CorporealAmounts& amounts, int& starts) noexcept;
  void trigger(Kind kind, float level) noexcept;
  /// Renders event e over out[from, to) (or to its end).
  void renderEvent(Event& slot, float* out, int from, int to) noexcept;

  double sampleRate_ = 48000.0;
  float inverseRate_ = 1.0f / 48000.0f;
  std::uint64_t seed_ = 0;
  Random random_;  // detection chances and event settings
  Event events_[kSlots];
  Kind pendingKind_[kMaxPending] = {};
  float pendingLevel_[kMaxPending] = {};
  float clickDecay_ = 0.0f, popDecay_ = 0.0f, popAttack_ = 0.0f, popGlide_ = 0.0f;
  float fastEnvelope_ = 0.0f, slowEnvelope_ = 0.0f;
  float fastCoefficient_ = 0.0f, slowCoefficient_ = 0.0f, valleyCoefficient_ = 0.0f, valley_ = 0.0f;
  float groupSum_ = 0.0f;  // |x| summed over the group being filled
  int groupFill_ = 0;
  int refractory_ = 0;  // follower steps (groups) left before the next onset may fire
  int refractoryGroups_ = 0;
  int voicedGroups_ = 0;  // follower steps above the gate in a row
  int phraseGroups_ = 0;
  bool phraseActive_ = false;
  int eventsStarted_ = 0;
  int activeEvents_ = 0;
};

}  // namespace vocalsynth
