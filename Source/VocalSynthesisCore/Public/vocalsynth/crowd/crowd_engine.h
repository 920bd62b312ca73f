// Crowds: a pool of hundreds to thousands of vocalising voices (a zombie horde, a werewolf
// pack, a market) rendered into one stereo bus within a slice of one core.
//
// Threads: `prepare` (setup thread) allocates everything. The game thread starts, stops and
// moves voices; each call is a command pushed into a bounded lock-free queue. The audio thread's
// `render` drains the queue at the start of each block, picks each voice's level of detail
// (Near / Mid / Far from distance, priority, tier caps and the CPU budget), renders the voices in
// SIMD lanes and mixes them. Nothing on the audio thread allocates, locks or waits.
//
// Levels of detail (see Private/crowd/crowd_kernels.h for the model):
//   Near : glottal source + 5 formants + subharmonics, broken pulses, pulsed aspiration
//   Mid  : the same source with 3 formants
//   Far  : source only, summed into a cluster bus filtered by one shared 3-formant tract
//   Culled : silent (only when even Far does not fit the CPU budget)
// Tier changes cross-fade over `transitionSeconds`, so they never click.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>

#include "vocalsynth/voice_params.h"

namespace vocalsynth {

enum class CrowdTier : std::uint8_t { Near = 0, Mid = 1, Far = 2, Culled = 3 };
const char* crowdTierName(CrowdTier tier) noexcept;

/// Instruction set the crowd kernels run with. Auto picks the widest the CPU supports.
enum class SimdPath : std::uint8_t { Auto, Scalar, Sse2, Avx2, Avx512, Neon };
const char* simdPathName(SimdPath path) noexcept;
/// Paths compiled into this build and supported by this CPU (Scalar always is).
bool simdPathAvailable(SimdPath path) noexcept;

inline constexpr int kCrowdMaxClusters = 16;
/// Game-thread calls and the pool's decisions take effect every this many samples of the stream
/// (5.3 ms at 48 kHz), never at the host's block edges; the CPU budget is per this many samples.
inline constexpr int kCrowdDecisionSamples = 256;

/// How a crowd voice vocalises: babble, chatter or moans.
struct CrowdStyle {
  float f0Hz = 0.0f;                ///< 0 = derived from the preset's tract length and formant scale
  float syllablesPerSecond = 3.5f;  ///< 3-5 chatter, 0.5-1 moans
  float pauseProbability = 0.2f;    ///< chance a syllable is silent
  float intonation = 0.3f;          ///< pitch spread between syllables (fraction of F0)
  float vowelSpread = 1.0f;         ///< 1 = any vowel per syllable, 0 = always the neutral vowel (moans)
};

/// A crowd voice's sound, derived from an archetype preset (VoiceParams) and a style.
struct CrowdProfile {
  float f0Hz = 118.0f;
  float jitter = 0.004f;       ///< relative period deviation per cycle
  float shimmer = 0.03f;       ///< relative amplitude deviation per cycle
  float subharmonic = 0.0f;    ///< period-doubling depth (Near)
  float pulseDropout = 0.0f;   ///< chance of a broken pulse (Near)
  float breath = 0.04f;        ///< noise level in the source
  float voicing = 1.0f;        ///< voiced level (whisper lowers it)
  float roughness = 0.0f;      ///< 60 Hz random amplitude modulation depth
  float openQuotient = 0.65f;  ///< open phase of the glottal cycle (tension shortens it)
  float formantScale = 1.0f;   ///< multiplies every formant (tract length and formant scale)
  float formantShiftHz = 0.0f;
  float bandwidthScale = 1.0f;
  float syllablesPerSecond = 3.5f;
  float pauseProbability = 0.2f;
  float intonation = 0.3f;
  float vowelSpread = 1.0f;
  float gainDb = 0.0f;  ///< pressure and effort
};

CrowdProfile makeCrowdProfile(const VoiceParams& params, const CrowdStyle& style = {}) noexcept;

struct CrowdVoiceDesc {
  CrowdProfile profile;
  float distanceM = 5.0f;
  float azimuthDeg = 0.0f;  ///< -90 = hard left, 0 = centre, +90 = hard right
  float gainDb = 0.0f;
  int priority = 0;              ///< higher wins LOD and stealing; ties go to the nearer voice
  float durationSeconds = 0.0f;  ///< 0 (or negative, NaN, infinite) = until stopped
  std::uint64_t seed = 0;        ///< same seed, same voice
  int cluster = 0;               ///< Far-tier bus (0..kCrowdMaxClusters-1); one per archetype is typical
};

struct CrowdLodSettings {
  float nearDistanceM = 8.0f;  ///< closer than this: Near
  float midDistanceM = 30.0f;  ///< closer than this: Mid; beyond: Far
  float hysteresis = 0.1f;     ///< a voice leaves a tier only beyond threshold * (1 + hysteresis)
  int maxNear = 64;            ///< the most important voices get these tiers first
  int maxMid = 512;
  float budgetMicros = 0.0f;  ///< CPU budget per kCrowdDecisionSamples (256) samples; 0 = none
  /// Cost model for the budget, in ns per voice per sample; 0 = measured by prepare().
  float costNanosNear = 0.0f;
  float costNanosMid = 0.0f;
  float costNanosFar = 0.0f;
  float transitionSeconds = 0.02f;  ///< tier cross-fades, starts and stops
  float referenceDistanceM = 1.0f;  ///< inverse-distance law: full gain inside this distance
};

struct CrowdStats {
  int active = 0;
  int perTier[4] = {0, 0, 0, 0};  ///< indexed by CrowdTier (voices rendered in each tier)
  int transitions = 0;            ///< voices cross-fading between tiers in the last block
  float estimatedMicros = 0.0f;   ///< cost model's estimate for the last block
  std::uint64_t blocks = 0;
  std::uint32_t commandsRejected = 0;  ///< game-thread calls refused because the queue was full
};

/// A voice as the game holds it. Stale handles (voice ended, slot reused) are ignored safely.
struct CrowdVoiceHandle {
  std::uint32_t slot = 0xFFFFFFFFu;
  std::uint32_t generation = 0;
  bool valid() const noexcept { return slot != 0xFFFFFFFFu; }
};

class CrowdEngine {
 public:
  CrowdEngine();
  ~CrowdEngine();
  CrowdEngine(const CrowdEngine&) = delete;
  CrowdEngine& operator=(const CrowdEngine&) = delete;

  // --- setup (not real-time; no other thread may be in the engine) ---------------------
  /// Allocates room for `capacity` voices and blocks up to `maxBlock` samples. False if the
  /// arguments are out of range (sample rate 16-96 kHz, maxBlock 1-8192, capacity 1-65536) or
  /// the path is not available.
  bool prepare(double sampleRate, int maxBlock, int capacity, SimdPath path = SimdPath::Auto);
  /// Measures the cost model (ns per voice per sample, per tier) on this machine and path.
  void calibrateCosts();
  SimdPath simdPath() const noexcept;
  int laneWidth() const noexcept;
  int capacity() const noexcept;
  double sampleRate() const noexcept;
  /// The measured (or set) costs, ns per voice per sample, for Near, Mid and Far.
  void tierCosts(float out[3]) const noexcept;

  // --- game thread (one thread) ---------------------------------------------------------
  /// Starts a voice. When the pool is full the least important voice is stolen if the new one
  /// is more important; otherwise (or when the command queue is full) the handle is invalid.
  CrowdVoiceHandle startVoice(const CrowdVoiceDesc& desc) noexcept;
  bool stopVoice(CrowdVoiceHandle voice) noexcept;
  bool setVoicePosition(CrowdVoiceHandle voice, float distanceM, float azimuthDeg) noexcept;
  bool setVoicePriority(CrowdVoiceHandle voice, int priority) noexcept;
  bool isPlaying(CrowdVoiceHandle voice) const noexcept;
  int playingCount() const noexcept;
  /// Voices that ended on their own (duration over); their handles become invalid.
  int pollFinished(CrowdVoiceHandle* out, int maxCount) noexcept;
  /// A NaN, infinite or out-of-range field is held to its range (or its default).
  void setLodSettings(const CrowdLodSettings& settings) noexcept;
  /// The newest statistics the audio thread published.
  CrowdStats stats() noexcept;

  // --- audio thread -----------------------------------------------------------------------
  /// Renders (overwrites) `numSamples` of the stereo crowd bus. Any length; split internally.
  /// Game-thread calls, settings and the pool's decisions (tiers, budget, stealing, durations)
  /// take effect on a fixed grid of the stream, every kCrowdDecisionSamples (5.3 ms at 48 kHz),
  /// so the same calls at the same stream positions give the same bits in any block sizes.
  void render(float* left, float* right, int numSamples) noexcept;
  /// The tier a voice is rendered in now (audio thread, or any thread while none renders).
  CrowdTier tierOf(CrowdVoiceHandle voice) const noexcept;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace vocalsynth
