#include "vocalsynth/archetypes.h"

#include <algorithm>
#include <cctype>
#include <iterator>

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
namespace {
// clang-format off
constexpr EmotionOffset kEmotionOffsets[] = {
    {"fear", "jitter", 0.25f}, {"fear", "shimmer", 0.2f}, {"fear", "breathiness", 0.2f}, {"fear", "tension", 0.15f},
    {"rage", "roughness", 0.35f}, {"rage", "subharmonic_octave", 0.35f}, {"rage", "pressure", 0.4f},
    {"rage", "struggle", 0.3f},
    {"sorrow", "breathiness", 0.25f}, {"sorrow", "tension", -0.2f}, {"sorrow", "shimmer", 0.15f},
    {"menace", "formant_shift_hz", -40.0f}, {"menace", "subharmonic_octave", 0.15f}, {"menace", "roughness", 0.1f},
    {"menace", "pitch_stabilize", 0.5f},
    {"whisper", "whisper", 0.6f}, {"whisper", "breathiness", 0.3f},
};
// clang-format on
}  // namespace

const EmotionOffset* emotionOffsets() noexcept { return kEmotionOffsets; }
std::size_t emotionOffsetCount() noexcept { return std::size(kEmotionOffsets); }

VoiceParams withEmotion(const VoiceParams& params, const char* emotion, float intensity) noexcept {
  VoiceParams p = params;
  if (emotion == nullptr || !(intensity > 0.0f)) return p;
  const float weight = intensity < 1.0f ? intensity : 1.0f;
  for (const EmotionOffset& o : kEmotionOffsets) {
    if (!equalsIgnoreCase(o.emotion, emotion)) continue;
    const ParamInfo* info = findParam(o.param);
    if (info == nullptr) continue;
    const float value = p.*(info->member) + o.offset * weight;
    p.*(info->member) = std::clamp(value, info->minValue, info->maxValue);
  }
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
