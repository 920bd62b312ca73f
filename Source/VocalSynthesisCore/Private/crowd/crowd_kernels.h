// The crowd's per-voice DSP state and the kernel interface shared by the manager
// (crowd_engine.cpp) and the kernels compiled once per instruction set (kernels_*.cpp).
//
// A voice is a source-filter vocalisation: a KLGLOTT88 glottal pulse (Klatt & Klatt 1990) with
// jitter, shimmer and breath noise, shaped by a parallel bank of TPT SVF formant resonators
// (Zavalishin; Klatt 1980's parallel branch) whose vowel targets change per syllable. Tiers:
//   Near : 5 formants, subharmonic period doubling, broken pulses, pulsed aspiration
//   Mid  : 3 formants, the same source without the Near-only effects
//   Far  : source only, summed into a per-cluster bus that one shared 3-formant tract filters
// The Near-only effects are scaled by `nearMix`, so Near at nearMix 0 is exactly Mid and
// tiers can cross-fade without a click.
#pragma once

#include <cstdint>

namespace vocalsynth::crowd {

inline constexpr int kMaxLanes = 16;       // widest batch (AVX-512)
inline constexpr int kControlPeriod = 64;  // samples between control ticks (syllables, formants)
inline constexpr int kMaxFormants = 5;

// Every float of a voice's state, in one list: the manager's per-voice struct, the lane block and
// the gather/scatter between them are all generated from it.
// clang-format off
#define VOCALSYNTH_CROWD_FIELDS(X)                                                                  \
  /* profile (constant while the voice lives) */                                                    \
  X(f0Base) X(jitter) X(shimmer) X(subDepth) X(dropout) X(breath) X(voicing) X(roughAmt) X(invOQ)   \
  X(formMul) X(formShift) X(bwMul) X(sylRate) X(pauseProb) X(intonation) X(vowelSpread)            \
  /* glottal source */                                                                              \
  X(phase) X(periodScale) X(pulseAmp) X(subSign) X(f0) X(f0Step) X(f0Target) X(roughLp)             \
  /* syllables and envelope */                                                                      \
  X(env) X(envStep) X(sylPos) X(sylInc) X(sylLoud) X(vOpen) X(vFront)                               \
  /* formant frequencies (Hz, smoothed) and resonator states */                                     \
  X(fq0) X(fq1) X(fq2) X(fq3) X(fq4)                                                                \
  X(s0a) X(s0b) X(s1a) X(s1b) X(s2a) X(s2b) X(s3a) X(s3b) X(s4a) X(s4b)                             \
  /* output ramps: current, target, step per sample */                                              \
  X(gL) X(gLT) X(gLS) X(gR) X(gRT) X(gRS) X(nearMix) X(nearMixT) X(nearMixS)
// clang-format on

/// One voice's state as plain floats (the manager's storage, one per pool slot).
struct VoiceState {
#define VOCALSYNTH_CROWD_DECLARE(name) float name = 0.0f;
  VOCALSYNTH_CROWD_FIELDS(VOCALSYNTH_CROWD_DECLARE)
#undef VOCALSYNTH_CROWD_DECLARE
  std::uint32_t rng = 1;
};

#if defined(_MSC_VER)
#pragma warning(push)
#pragma warning(disable : 4324)  // padded for alignas: intended, each field starts a cache line
#endif
/// Up to kMaxLanes voices in structure-of-arrays form: what a kernel loads into its registers.
struct LaneBlock {
#define VOCALSYNTH_CROWD_DECLARE(name) alignas(64) float name[kMaxLanes];
  VOCALSYNTH_CROWD_FIELDS(VOCALSYNTH_CROWD_DECLARE)
#undef VOCALSYNTH_CROWD_DECLARE
  alignas(64) std::uint32_t rng[kMaxLanes];
};
#if defined(_MSC_VER)
#pragma warning(pop)
#endif

inline void gatherLane(LaneBlock& block, int lane, const VoiceState& v) noexcept {
#define VOCALSYNTH_CROWD_GATHER(name) block.name[lane] = v.name;
  VOCALSYNTH_CROWD_FIELDS(VOCALSYNTH_CROWD_GATHER)
#undef VOCALSYNTH_CROWD_GATHER
  block.rng[lane] = v.rng;
}

inline void scatterLane(const LaneBlock& block, int lane, VoiceState& v) noexcept {
#define VOCALSYNTH_CROWD_SCATTER(name) v.name = block.name[lane];
  VOCALSYNTH_CROWD_FIELDS(VOCALSYNTH_CROWD_SCATTER)
#undef VOCALSYNTH_CROWD_SCATTER
  v.rng = block.rng[lane];
}

struct KernelArgs {
  LaneBlock* lanes = nullptr;
  int numSamples = 0;
  int firstTick = 0;  ///< index in this block of the first control tick (may be >= numSamples)
  float sampleRate = 48000.0f;
  float* busL = nullptr;  ///< lane-interleaved accumulators: numSamples * width floats
  float* busR = nullptr;
  float* send = nullptr;  ///< when set, each lane's source (pre-tract) is stored here, lane-interleaved
};

using KernelFn = void (*)(const KernelArgs&) noexcept;

/// One instruction set's kernels.
struct KernelTable {
  const char* name;  ///< "scalar", "sse2", "avx2", "avx512", "neon"
  int width;         ///< lanes per batch
  KernelFn renderNear;
  KernelFn renderMid;
  KernelFn renderFar;
};

// Each returns nullptr where that instruction set was not compiled in.
const KernelTable* scalarKernels() noexcept;
const KernelTable* sse2Kernels() noexcept;
const KernelTable* avx2Kernels() noexcept;
const KernelTable* avx512Kernels() noexcept;
const KernelTable* neonKernels() noexcept;

// Shared by every kernel and by the manager (which sets voices up and filters the cluster buses).
inline constexpr float kFormantBandwidthHz[kMaxFormants] = {70.0f, 90.0f, 130.0f, 180.0f, 250.0f};
// Parallel-branch amplitudes with alternating signs (Klatt 1980), normalised band-pass gains.
inline constexpr float kFormantGain[kMaxFormants] = {1.0f, -0.63f, 0.35f, -0.22f, 0.15f};
// Vowel space -> formant frequencies (adult male reference, Peterson & Barney ranges), shared by
// the kernels and the manager's voice setup: F_k = base_k + open * openSpan_k + front * frontSpan_k,
// then the archetype's scale and shift.
inline constexpr float kVowelBaseHz[kMaxFormants] = {250.0f, 800.0f, 2300.0f, 3300.0f, 4400.0f};
inline constexpr float kVowelOpenSpanHz[kMaxFormants] = {500.0f, 0.0f, 0.0f, 0.0f, 0.0f};
inline constexpr float kVowelFrontSpanHz[kMaxFormants] = {0.0f, 1500.0f, 500.0f, 200.0f, 0.0f};
inline constexpr float kRoughnessCutoffHz = 60.0f;
inline constexpr float kFormantGlideSeconds = 0.03f;
inline constexpr float kPitchGlidePerTick = 0.2f;

}  // namespace vocalsynth::crowd
