#include "vocalsynth/voice_params.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "vocalsynth/dsp_math.h"

namespace vocalsynth {
namespace {

using P = VoiceParams;
using G = ParamGroup;

// name, member, unit, min, max, default, group, what it does to the sound
constexpr ParamInfo kParams[] = {
    {"formant_shift_hz", &P::formantShiftHz, "Hz", -200.0f, 200.0f, 0.0f, G::Formant,
     "Moves every formant above 300 Hz by this many Hz (negative: darker, larger)."},
    {"formant_scale", &P::formantScale, "x", 0.7f, 1.4f, 1.0f, G::Formant,
     "Multiplies all formant frequencies (<1: bigger creature, >1: smaller)."},
    {"tract_length_cm", &P::tractLengthCm, "cm", 10.0f, 25.0f, 17.5f, G::Formant,
     "Vocal tract length; formants scale by 17.5 cm / length (child ~12, giant ~24)."},
    {"bandwidth_scale", &P::bandwidthScale, "x", 1.0f, 3.0f, 1.0f, G::Formant,
     "Widens formant bandwidths: a muffled, decayed, less defined tract."},
    {"hollowness", &P::hollowness, "", 0.0f, 1.0f, 0.0f, G::Formant,
     "Tube resonance mixed in: a hollow, pipe-like, bodiless colour."},
    {"tension", &P::tension, "x", 0.3f, 1.5f, 1.0f, G::Source,
     "Vocal-fold tension: below 1 a lax, dull source; above 1 a pressed, bright one."},
    {"pressure", &P::pressure, "x", 0.5f, 2.0f, 1.0f, G::Source,
     "Subglottal pressure: effort, loudness and brightness of the voice."},
    {"breathiness", &P::breathiness, "", 0.0f, 1.0f, 0.0f, G::Source,
     "Aspiration noise added to the voiced source (breathy, airy)."},
    {"whisper", &P::whisper, "", 0.0f, 1.0f, 0.0f, G::Source,
     "Replaces the voiced source with noise of equal energy (1 = pure whisper)."},
    {"roughness", &P::roughness, "", 0.0f, 1.0f, 0.0f, G::Source,
     "Random 25-80 Hz amplitude modulation of the source: a rough, gravelly voice."},
    {"jitter", &P::jitter, "", 0.0f, 1.0f, 0.0f, G::Source,
     "Cycle-to-cycle period perturbation (up to ~4% local jitter): an unsteady larynx."},
    {"shimmer", &P::shimmer, "", 0.0f, 1.0f, 0.0f, G::Source,
     "Cycle-to-cycle amplitude perturbation (up to ~3 dB): a wavering, failing voice."},
    {"pulse_dropout", &P::pulseDropout, "", 0.0f, 1.0f, 0.0f, G::Source,
     "Probability (x0.3) that a glottal pulse breaks: the stutter of a broken larynx."},
    {"subharmonic_octave", &P::subharmonicOctave, "", 0.0f, 1.0f, 0.0f, G::Source,
     "Period doubling: energy an octave below F0, the beast beneath the voice."},
    {"subharmonic_fifth", &P::subharmonicFifth, "", 0.0f, 1.0f, 0.0f, G::Source,
     "Period tripling: energy at F0/3 and a fifth below F0, a grinding undertone."},
    {"subharmonic_chaos", &P::subharmonicChaos, "", 0.0f, 1.0f, 0.0f, G::Source,
     "Random slips between subharmonic regimes: chaotic, unstable growl."},
    {"pitch_stabilize", &P::pitchStabilize, "", 0.0f, 1.0f, 0.0f, G::Source,
     "Removes vibrato and pitch wobble faster than ~1 Hz: uncanny, inhuman stillness."},
    {"swarm", &P::swarm, "", 0.0f, 1.0f, 0.0f, G::Source,
     "Independent detuned, time-smeared copies: many mouths speaking as one."},
    {"clicks", &P::clicks, "", 0.0f, 1.0f, 0.0f, G::Corporeal,
     "Dry clicks (tongue, teeth, chitin) on the anchor's onsets."},
    {"wet_pops", &P::wetPops, "", 0.0f, 1.0f, 0.0f, G::Corporeal, "Wet pops and mucus rattle on onsets."},
    {"rasps", &P::rasps, "", 0.0f, 1.0f, 0.0f, G::Corporeal, "Raspy inhales and hisses at onsets and phrase ends."},
    {"creaks", &P::creaks, "", 0.0f, 1.0f, 0.0f, G::Corporeal,
     "Low creaking pulse trains (bone, wood, stone) on onsets."},
    {"heartbeat", &P::heartbeat, "", 0.0f, 1.0f, 0.0f, G::Subliminal, "Level of a low lub-dub heartbeat layer."},
    {"heartbeat_bpm", &P::heartbeatBpm, "BPM", 40.0f, 120.0f, 60.0f, G::Subliminal, "Heartbeat rate."},
    {"blood_flow", &P::bloodFlow, "", 0.0f, 1.0f, 0.0f, G::Subliminal,
     "Level of a low whooshing blood-flow layer pulsing with the heartbeat."},
    {"breath_layer", &P::breathLayer, "", 0.0f, 1.0f, 0.0f, G::Subliminal,
     "Level of a slow breathing layer under the voice."},
    {"breath_rate_hz", &P::breathRateHz, "Hz", 0.1f, 0.5f, 0.25f, G::Subliminal, "Breathing cycle rate."},
    {"hum", &P::hum, "", 0.0f, 1.0f, 0.0f, G::Subliminal, "Level of a low sub-audible hum layer."},
    {"hum_hz", &P::humHz, "Hz", 20.0f, 80.0f, 35.0f, G::Subliminal, "Hum frequency."},
    {"struggle", &P::struggle, "", 0.0f, 1.0f, 0.0f, G::Struggle,
     "Transformation struggle: random surges of growl, roughness and effort."},
    {"struggle_rate_hz", &P::struggleRateHz, "Hz", 0.5f, 2.0f, 1.0f, G::Struggle, "How often struggle surges come."},
    {"output_gain_db", &P::outputGainDb, "dB", -24.0f, 12.0f, 0.0f, G::Output,
     "Output gain before the true-peak limiter."},
};

constexpr std::size_t kParamCount = sizeof(kParams) / sizeof(kParams[0]);
static_assert(kParamCount * sizeof(float) == sizeof(VoiceParams),
              "every VoiceParams field must have a row in the parameter table");

}  // namespace

const ParamInfo* paramInfos() noexcept { return kParams; }
std::size_t paramCount() noexcept { return kParamCount; }

const ParamInfo* findParam(const char* name) noexcept {
  if (name == nullptr) return nullptr;
  for (const auto& info : kParams) {
    if (std::strcmp(info.name, name) == 0) return &info;
  }
  return nullptr;
}

VoiceParams morph(const VoiceParams& a, const VoiceParams& b, float amount) noexcept {
  if (amount <= 0.0f) return a;
  if (amount >= 1.0f) return b;
  VoiceParams out = a;
  for (const auto& info : kParams) {
    const float va = a.*(info.member);
    const float vb = b.*(info.member);
    out.*(info.member) = va + (vb - va) * amount;
  }
  return out;
}

VoiceParams withSpeakerTract(const VoiceParams& chain, float spokenTractCm, float voiceTractCm) noexcept {
  const bool usable = spokenTractCm > 0.0f && voiceTractCm > 0.0f && spokenTractCm < 1e6f && voiceTractCm < 1e6f;
  const ParamInfo* tract = findParam("tract_length_cm");
  const ParamInfo* scale = findParam("formant_scale");
  if (!usable || tract == nullptr || scale == nullptr) return chain;
  // The voice's formant warp is formantScale * 17.5 / tractLengthCm; it is multiplied by spoken / voice.
  const double wanted =
      static_cast<double>(chain.formantScale) * 17.5 / chain.tractLengthCm * spokenTractCm / voiceTractCm;
  VoiceParams out = chain;
  const double length = static_cast<double>(chain.tractLengthCm) * voiceTractCm / spokenTractCm;
  out.tractLengthCm = static_cast<float>(
      std::clamp(length, static_cast<double>(tract->minValue), static_cast<double>(tract->maxValue)));
  out.formantScale = static_cast<float>(std::clamp(
      wanted * out.tractLengthCm / 17.5, static_cast<double>(scale->minValue), static_cast<double>(scale->maxValue)));
  return out;
}

int clampToRanges(VoiceParams& params) noexcept {
  int outOfRange = 0;
  for (const auto& info : kParams) {
    float& v = params.*(info.member);
    if (!isFinite(v)) {
      v = info.defaultValue;
      ++outOfRange;
    } else if (v < info.minValue) {
      v = info.minValue;
      ++outOfRange;
    } else if (v > info.maxValue) {
      v = info.maxValue;
      ++outOfRange;
    }
  }
  return outOfRange;
}

}  // namespace vocalsynth
