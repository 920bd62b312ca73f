// Every parameter of the archetype chain, with its unit and allowed range, in one table that
// the C++ engine, the Python bindings, preset validation and the documentation all read.
#pragma once

#include <cstddef>

namespace vocalsynth {

/// A voice's archetype parameters. Plain data: it crosses threads through ParamPipeline.
/// Defaults are neutral: a voice with default parameters is transparent (the Human archetype).
struct VoiceParams {
  // Formant shaping (LPC analysis/resynthesis through a frequency-warped envelope).
  float formantShiftHz = 0.0f;  ///< adds Hz to every formant above 300 Hz
  float formantScale = 1.0f;    ///< multiplies every formant frequency
  float tractLengthCm = 17.5f;  ///< vocal tract length; formants scale by 17.5 / length
  float bandwidthScale = 1.0f;  ///< formant bandwidth multiplier (blurs resonances)
  float hollowness = 0.0f;      ///< tube resonance: a hollow, pipe-like colour
  // Glottal source (applied to the LPC residual, i.e. the excitation).
  float tension = 1.0f;            ///< vocal-fold tension: spectral tilt of the source
  float pressure = 1.0f;           ///< subglottal pressure: effort, loudness and brightness
  float breathiness = 0.0f;        ///< aspiration noise added to the voiced source
  float whisper = 0.0f;            ///< replaces the voiced source with noise of equal energy
  float roughness = 0.0f;          ///< random amplitude modulation (25-80 Hz) of the source
  float jitter = 0.0f;             ///< cycle-to-cycle period perturbation
  float shimmer = 0.0f;            ///< cycle-to-cycle amplitude perturbation
  float pulseDropout = 0.0f;       ///< probability of a broken (near-silent) glottal pulse
  float subharmonicOctave = 0.0f;  ///< period-doubling depth: energy at F0/2 (the growl)
  float subharmonicFifth = 0.0f;   ///< period-tripling depth: energy at F0/3 and 2F0/3
  float subharmonicChaos = 0.0f;   ///< random slips between subharmonic regimes
  float pitchStabilize = 0.0f;     ///< removes vibrato and drift faster than 1 Hz
  float swarm = 0.0f;              ///< independent detuned copies: many mouths at once
  // Additive corporeal noise, triggered by the anchor's onsets.
  float clicks = 0.0f;
  float wetPops = 0.0f;
  float rasps = 0.0f;
  float creaks = 0.0f;
  // Subliminal layers.
  float heartbeat = 0.0f;
  float heartbeatBpm = 60.0f;
  float bloodFlow = 0.0f;
  float breathLayer = 0.0f;
  float breathRateHz = 0.25f;
  float hum = 0.0f;
  float humHz = 35.0f;
  // Transformation struggle: random surges of growl, roughness and effort.
  float struggle = 0.0f;
  float struggleRateHz = 1.0f;
  // Output.
  float outputGainDb = 0.0f;
};

enum class ParamGroup { Formant, Source, Corporeal, Subliminal, Struggle, Output };

struct ParamInfo {
  const char* name;  ///< snake_case name used in files and Python
  float VoiceParams::* member;
  const char* unit;  ///< "Hz", "cm", "dB", "BPM", "x" (ratio) or "" (0-1 amount)
  float minValue;
  float maxValue;
  float defaultValue;
  ParamGroup group;
  const char* description;  ///< what it does to the sound
};

/// The parameter table, in declaration order.
const ParamInfo* paramInfos() noexcept;
std::size_t paramCount() noexcept;
/// nullptr when no parameter has that name.
const ParamInfo* findParam(const char* name) noexcept;

/// Linear morph: amount 0 gives `a` bit for bit, 1 gives `b` bit for bit.
VoiceParams morph(const VoiceParams& a, const VoiceParams& b, float amount) noexcept;

/// `chain` with its formant warp moved by spokenTractCm / voiceTractCm (formants go as 1 / tract
/// length), so a line spoken with one speaker's tract comes out with the formants of another's: the
/// chain a transformation turns into. The chain's tract length takes the move and formantScale
/// what its range cannot. A length that is not finite and positive leaves `chain` as it is.
VoiceParams withSpeakerTract(const VoiceParams& chain, float spokenTractCm, float voiceTractCm) noexcept;

/// Clamps every field into its range; returns how many fields were out of range (or not finite).
int clampToRanges(VoiceParams& params) noexcept;

/// Runtime intensity controls (not part of a preset): set per NPC by the game.
struct IntensityControls {
  float proximity = 0.5f;    ///< 0 = far (effects x0.3), 0.5 = as designed (x1), 1 = close (x1.5)
  float environment = 0.5f;  ///< 0 = dry (more jitter, clicks, creaks), 1 = wet (more shimmer, pops)
};

}  // namespace vocalsynth
