// Built-in archetype presets. Each is a documented set of VoiceParams (see archetypes.cpp and
// the README table); they differ measurably from Human and from each other (tests/python).
#pragma once

#include <cstddef>

#include "vocalsynth/voice_params.h"

namespace vocalsynth {

struct Archetype {
  const char* name;
  const char* description;
  VoiceParams params;
};

const Archetype* archetypes() noexcept;
std::size_t archetypeCount() noexcept;
/// Case-insensitive lookup; nullptr when unknown.
const Archetype* findArchetype(const char* name) noexcept;

}  // namespace vocalsynth
