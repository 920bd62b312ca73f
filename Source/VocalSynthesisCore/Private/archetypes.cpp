#include "vocalsynth/archetypes.h"

#include <cctype>

namespace vocalsynth {
namespace {

VoiceParams human() { return VoiceParams{}; }

// Values follow the seed system's presets where it had them (SEED-SYSTEM.md), extended to the
// new parameters. Each comment says what makes the archetype recognisable.
VoiceParams vampire() {
  // Uncanny stillness: no vibrato, a darker tract, breath and a hollow chest; a slow heart.
  VoiceParams p;
  p.formantShiftHz = -50.0f;
  p.formantScale = 0.96f;
  p.breathiness = 0.3f;
  p.hollowness = 0.4f;
  p.tension = 0.65f;
  p.pitchStabilize = 1.0f;
  p.whisper = 0.1f;
  p.heartbeat = 0.35f;
  p.heartbeatBpm = 60.0f;
  p.bloodFlow = 0.2f;
  return p;
}

VoiceParams zombie() {
  // A broken larynx: irregular, rough, stuttering pulses through a slack, blurred tract.
  VoiceParams p;
  p.roughness = 0.6f;
  p.jitter = 0.6f;
  p.shimmer = 0.6f;
  p.pulseDropout = 0.35f;
  p.bandwidthScale = 2.0f;
  p.formantScale = 0.95f;
  p.tension = 0.4f;
  p.pressure = 0.6f;
  p.subharmonicOctave = 0.2f;
  p.wetPops = 0.5f;
  p.rasps = 0.3f;
  p.creaks = 0.2f;
  return p;
}

VoiceParams werewolf() {
  // The beast beneath: a longer tract, strong period doubling that surges as it fights.
  VoiceParams p;
  p.formantShiftHz = 30.0f;
  p.formantScale = 0.86f;
  p.subharmonicOctave = 0.7f;
  p.subharmonicChaos = 0.4f;
  p.roughness = 0.4f;
  p.tension = 0.8f;
  p.pressure = 1.3f;
  p.breathiness = 0.15f;
  p.struggle = 0.6f;
  p.struggleRateHz = 1.0f;
  p.rasps = 0.2f;
  return p;
}

VoiceParams wraith() {
  // Bodiless: mostly whisper through a small hollow tract, a slow spectral breath underneath.
  VoiceParams p;
  p.whisper = 0.8f;
  p.breathiness = 0.6f;
  p.hollowness = 0.3f;
  p.tension = 0.3f;
  p.formantScale = 1.05f;
  p.pitchStabilize = 0.5f;
  p.breathLayer = 0.3f;
  p.breathRateHz = 0.2f;
  return p;
}

VoiceParams ghoul() {
  // Wet and rough, a smaller growl, clicking teeth.
  VoiceParams p;
  p.roughness = 0.5f;
  p.wetPops = 0.6f;
  p.subharmonicOctave = 0.3f;
  p.bandwidthScale = 1.5f;
  p.jitter = 0.3f;
  p.shimmer = 0.3f;
  p.clicks = 0.4f;
  p.formantScale = 0.93f;
  return p;
}

VoiceParams lich() {
  // Ancient and decayed: a dried, hollow, blurred tract, half-whispered, perfectly still, a dry
  // rasp and the hum of old power.
  VoiceParams p;
  p.hollowness = 0.7f;
  p.roughness = 0.35f;
  p.whisper = 0.35f;
  p.pitchStabilize = 1.0f;
  p.formantShiftHz = -80.0f;
  p.formantScale = 0.9f;
  p.bandwidthScale = 1.6f;
  p.tension = 0.7f;
  p.hum = 0.4f;
  p.humHz = 35.0f;
  p.creaks = 0.3f;
  p.rasps = 0.3f;
  return p;
}

VoiceParams banshee() {
  // A shrill, pressed, small tract that wails; breath and a hollow ring.
  VoiceParams p;
  p.formantScale = 1.22f;
  p.tension = 1.4f;
  p.pressure = 1.2f;
  p.breathiness = 0.4f;
  p.whisper = 0.25f;
  p.hollowness = 0.5f;
  p.jitter = 0.2f;
  p.swarm = 0.2f;
  return p;
}

VoiceParams golem() {
  // A construct: a huge rigid tract, perfectly steady, grinding fifth below, stone creaks.
  VoiceParams p;
  p.formantScale = 0.8f;
  p.tractLengthCm = 19.0f;
  p.bandwidthScale = 1.2f;
  p.roughness = 0.2f;
  p.pitchStabilize = 1.0f;
  p.subharmonicFifth = 0.5f;
  p.tension = 1.2f;
  p.hollowness = 0.3f;
  p.hum = 0.4f;
  p.humHz = 40.0f;
  p.creaks = 0.5f;
  return p;
}

VoiceParams swarm() {
  // Many small mouths: detuned copies, buzzing roughness, half-whispered, chitin clicks.
  VoiceParams p;
  p.swarm = 0.9f;
  p.roughness = 0.8f;
  p.jitter = 0.5f;
  p.whisper = 0.4f;
  p.subharmonicChaos = 0.6f;
  p.clicks = 0.5f;
  p.formantScale = 1.1f;
  return p;
}

const Archetype kArchetypes[] = {
    {"human", "Neutral: the anchor passes through unchanged (transparent).", human()},
    {"vampire", "Uncanny stillness: no vibrato, darker and hollow, breathy, a slow heartbeat.", vampire()},
    {"zombie", "Broken larynx: jitter, shimmer, stuttering pulses, rough and wet, blurred formants.", zombie()},
    {"werewolf", "The beast beneath: long tract, octave-down growl surging with the transformation.", werewolf()},
    {"wraith", "Bodiless whisper through a hollow, smaller tract, a slow spectral breath.", wraith()},
    {"ghoul", "Wet, rough and growling, clicking teeth, blurred formants.", ghoul()},
    {"lich", "Ancient and still: very hollow, dark, a dry rasp and a low hum.", lich()},
    {"banshee", "Shrill and pressed, a small bright tract, breath and a hollow ring.", banshee()},
    {"golem", "Construct: huge rigid tract, perfectly steady, grinding fifth below, stone creaks.", golem()},
    {"swarm", "Many mouths: detuned copies, buzzing roughness, half-whispered, clicks.", swarm()},
};

constexpr std::size_t kArchetypeCount = sizeof(kArchetypes) / sizeof(kArchetypes[0]);

bool equalsIgnoreCase(const char* a, const char* b) {
  for (; *a != '\0' && *b != '\0'; ++a, ++b) {
    if (std::tolower(static_cast<unsigned char>(*a)) != std::tolower(static_cast<unsigned char>(*b))) return false;
  }
  return *a == *b;
}

}  // namespace

const Archetype* archetypes() noexcept { return kArchetypes; }
std::size_t archetypeCount() noexcept { return kArchetypeCount; }

const Archetype* findArchetype(const char* name) noexcept {
  if (name == nullptr) return nullptr;
  for (const auto& a : kArchetypes) {
    if (equalsIgnoreCase(a.name, name)) return &a;
  }
  return nullptr;
}

}  // namespace vocalsynth
