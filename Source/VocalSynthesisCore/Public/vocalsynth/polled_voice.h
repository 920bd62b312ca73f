// An archetype voice whose controls are polled every block, engine-free: what the UE MetaSound
// node ("Archetype Voice (VocalSynthesis)") runs, where the archetype, emotion, proximity,
// environment and level of detail are input pins read at each execute. Only a change reaches the
// chain (names are looked up, and parameters set, once per change); the first block starts on
// its controls at once and later changes glide in, as a preset change does in the voice component.
//
// Names are built-in archetypes (any case) and the preset files' emotions ("neutral", "rage",
// ...). An unknown name, or a non-finite or out-of-range number, never disturbs the voice: the
// voice keeps what it had (numbers are clamped into range), and the flags below say why, for the
// adapter to report where it may.
//
// Threads: prepare() allocates (setup). process() and reset() run on the audio thread and never
// allocate, lock or wait.
#pragma once

#include <cstdint>

#include "vocalsynth/archetypes.h"
#include "vocalsynth/voice.h"

namespace vocalsynth {

/// The control values of one block (a MetaSound node's input pins).
struct PolledControls {
  const char* archetype = "human";  ///< a built-in archetype's name, any case
  const char* emotion = "neutral";  ///< neutral, fear, rage, sorrow, menace or whisper (any case)
  float proximity = 0.5f;           ///< 0 far (effects x0.3), 0.5 as designed, 1 close (x1.5)
  float environment = 0.5f;         ///< 0 (dry) .. 1 (wet surroundings)
  int detail = 0;                   ///< 0 Near, 1 Mid, 2 Far (clamped)
};

class PolledVoice {
 public:
  /// Names longer than this match no archetype or emotion.
  static constexpr int kMaxNameLength = 31;

  /// Setup: the chain (see Voice::prepare). The seed sets the voice's noise and incoherence draws.
  PrepareResult prepare(double sampleRateHz, int maxBlockSize, std::uint64_t seed = 0);
  /// Audio thread: clears the signal state (Voice::reset); the next process() starts on its
  /// controls at once, as a fresh voice does.
  void reset() noexcept;
  /// The same with a new seed (Voice::reset(seed)): as if prepared with `seed`.
  void reset(std::uint64_t seed) noexcept;
  /// Audio thread: takes the controls' changes, then runs the chain over n samples (in == out is fine).
  /// Unprepared, it writes silence.
  void process(const PolledControls& controls, const float* in, float* out, int n) noexcept;

  /// Whether the archetype and emotion last asked for were known (false: the voice kept its own).
  bool archetypeKnown() const noexcept { return archetypeKnown_; }
  bool emotionKnown() const noexcept { return emotionKnown_; }
  /// The archetype the voice has (nullptr before the first known name).
  const Archetype* archetype() const noexcept { return archetype_; }
  const Voice& voice() const noexcept { return voice_; }
  int latencySamples() const noexcept { return voice_.latencySamples(); }

 private:
  struct Name {
    char text[kMaxNameLength + 1] = {};
    bool tooLong = false;
  };
  /// Copies `from` (lowercased) into `name`; true when it differs from what `name` held.
  static bool takeName(const char* from, Name& name) noexcept;
  void applyParams(bool immediate) noexcept;

  Voice voice_;
  bool prepared_ = false;
  bool fresh_ = true;  // the next block starts on its controls at once
  Name archetypeName_, emotionName_;
  const Archetype* archetype_ = nullptr;
  const char* emotion_ = "neutral";  // the canonical name in effect
  bool archetypeKnown_ = true, emotionKnown_ = true;
  IntensityControls intensity_{};
  int detail_ = 0;
};

}  // namespace vocalsynth
