// Built-in archetype presets, generated from the shipped preset files
// (python/vocalsynth/presets/*.json, by tools/gen_archetypes.py): each is a documented set of
// VoiceParams with the speech voice it speaks in, its emotion overrides and its seed. They differ
// measurably from Human and from each other (tests/python).
#pragma once

#include <cstddef>
#include <cstdint>

#include "vocalsynth/voice_params.h"

namespace vocalsynth {

/// The speech synthesizer's voice for an archetype (speech::SpeakerSettings' fields).
struct ArchetypeSpeech {
  float basePitchHz = 120.0f;
  float tractLengthCm = 17.5f;
  float breathiness = 0.05f;
  float rate = 1.0f;
};

/// One parameter an emotion sets (emotion and parameter by their file names, e.g. "rage", "roughness").
struct ArchetypeEmotionOverride {
  const char* emotion;
  const char* param;
  float value;
};

struct Archetype {
  const char* name;
  const char* description;
  VoiceParams params;
  ArchetypeSpeech speech;
  const ArchetypeEmotionOverride* emotions;  ///< emotionCount entries (nullptr when none)
  std::size_t emotionCount;
  std::uint64_t seed;
};

const Archetype* archetypes() noexcept;
std::size_t archetypeCount() noexcept;
/// Case-insensitive lookup; nullptr when unknown.
const Archetype* findArchetype(const char* name) noexcept;
/// The archetype's parameters under an emotion ("neutral", "rage", ... as in the preset files):
/// its own parameters with that emotion's overrides, clamped to range. An emotion it does not
/// override (or nullptr) gives its plain parameters.
VoiceParams archetypeParamsFor(const Archetype& archetype, const char* emotion) noexcept;

/// One parameter an emotion moves in any voice: `offset` is added at intensity 1.
struct EmotionOffset {
  const char* emotion;
  const char* param;
  float offset;
};
const EmotionOffset* emotionOffsets() noexcept;
std::size_t emotionOffsetCount() noexcept;
/// What an emotion does to any voice's chain beyond a preset's own emotion overrides: the
/// emotion's offsets scaled by `intensity` (0-1), each held to its parameter's range (rage roughens
/// and growls, fear trembles, whisper breathes). One table for the game, the tools and the
/// service, so a line sounds the same previewed, baked and spoken in game. "neutral", an unknown
/// emotion or nullptr change nothing.
VoiceParams withEmotion(const VoiceParams& params, const char* emotion, float intensity = 1.0f) noexcept;

}  // namespace vocalsynth
