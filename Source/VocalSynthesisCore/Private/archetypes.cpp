#include "vocalsynth/archetypes.h"

#include <cctype>

namespace vocalsynth {
namespace {

// makeHuman() ... and VOCALSYNTH_ARCHETYPE_ROWS, from the preset files (tools/gen_archetypes.py).
#include "archetypes_generated.inc"

const Archetype kArchetypes[] = {VOCALSYNTH_ARCHETYPE_ROWS};

constexpr std::size_t kArchetypeCount = sizeof(kArchetypes) / sizeof(kArchetypes[0]);

bool equalsIgnoreCase(const char* a, const char* b) {
  for (; *a != '\0' && *b != '\0'; ++a, ++b) {
    if (std::tolower(static_cast<unsigned char>(*a)) != std::tolower(static_cast<unsigned char>(*b))) return false;
  }
  return *a == *b;
}

}  // namespace

const Archetype* archetypes() noexcept { return kArchetypes; }

VoiceParams archetypeParamsFor(const Archetype& archetype, const char* emotion) noexcept {
  VoiceParams p = archetype.params;
  if (emotion == nullptr) return p;
  for (std::size_t i = 0; i < archetype.emotionCount; ++i) {
    const ArchetypeEmotionOverride& o = archetype.emotions[i];
    if (!equalsIgnoreCase(o.emotion, emotion)) continue;
    for (std::size_t j = 0; j < paramCount(); ++j) {
      if (equalsIgnoreCase(paramInfos()[j].name, o.param)) p.*(paramInfos()[j].member) = o.value;
    }
  }
  clampToRanges(p);
  return p;
}
std::size_t archetypeCount() noexcept { return kArchetypeCount; }

const Archetype* findArchetype(const char* name) noexcept {
  if (name == nullptr) return nullptr;
  for (const auto& a : kArchetypes) {
    if (equalsIgnoreCase(a.name, name)) return &a;
  }
  return nullptr;
}

}  // namespace vocalsynth
