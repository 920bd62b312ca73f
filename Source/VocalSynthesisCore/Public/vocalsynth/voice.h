// One NPC voice: turns an anchor signal (mono float) into its archetype's voice in real time.
//
// Lifecycle (house rule 2): prepare() is the only call that allocates; reset() clears state;
// process() is noexcept and never allocates, locks, logs or throws. Parameters arrive from one
// game thread through a lock-free ParamPipeline and are taken at the start of each block;
// smoothers move toward them at fixed internal control ticks, so the output does not depend on
// how the host cuts the stream into blocks.
//
// Chain (in stages, each over a piece of at most one control tick; see process()):
//   input guard -> modulated delay (jitter, pitch stabilizer, swarm copies; constant latency)
//   -> LPC analysis/resynthesis: residual = excitation, shaped by cycle gains (shimmer, broken
//      pulses, subharmonic period-doubling/tripling), roughness AM, tension/pressure tilt,
//      breath and whisper noise; resynthesised through a frequency-warped envelope (formant
//      scale/shift, tract length, bandwidth)
//   -> hollow tube resonance -> + corporeal noise + subliminal layers -> gain -> true-peak limiter
//
// Idle: an NPC is silent most of the time, and its engine still asks for audio. When the input
// has been silent (within -120 dBFS) for 100 ms and the voice path's output has stayed below
// -100 dBFS for 20 ms, the voice path (everything up to the hollow tube) goes idle: it is reset
// and skipped, so a silent voice costs only its additive layers, its limiter and its control
// ticks. The first sound wakes it exactly as a new voice starts (the noise streams carry on).
// Entry happens at a control tick and exit at the first sound, both fixed by the stream, so
// idling keeps the output independent of block sizes.
#pragma once

#include <atomic>
#include <cstdint>
#include <vector>

#include "vocalsynth/band_splitter.h"
#include "vocalsynth/corporeal_noise.h"
#include "vocalsynth/delay_line.h"
#include "vocalsynth/limiter.h"
#include "vocalsynth/lpc.h"
#include "vocalsynth/param_pipeline.h"
#include "vocalsynth/pitch_tracker.h"
#include "vocalsynth/random.h"
#include "vocalsynth/smoother.h"
#include "vocalsynth/subliminal_layers.h"
#include "vocalsynth/svf.h"
#include "vocalsynth/voice_params.h"

namespace vocalsynth {

enum class PrepareResult { Ok, UnsupportedSampleRate, InvalidBlockSize };

/// Level of detail of one voice (the UE component picks it from the listener's distance).
///   Near: the full chain.
///   Mid:  without the additive layers (corporeal noise, subliminal layers, swarm copies).
///   Far:  Mid without the formant stage (LPC warp and the excitation effects that live in it);
///         jitter and the pitch stabilizer remain. Changes cross-fade over ~20 ms.
enum class VoiceDetail : std::uint8_t { Near, Mid, Far };

const char* toString(PrepareResult result) noexcept;

class Voice {
 public:
  static constexpr int kControlInterval = 32;  ///< samples between smoother/coefficient updates
  static constexpr int kMaxLpcOrder = 24;
  /// The delay offset (jitter, stabilizer) and cycle gains are computed every kGridStep samples.
  static constexpr int kGridStep = 4;

  Voice();

  /// Allocates everything. Sample rates 16-96 kHz; maxBlockSize >= 1.
  PrepareResult prepare(double sampleRateHz, int maxBlockSize, std::uint64_t seed = 0);
  /// Clears all signal state and re-seeds the noise: the next output equals a fresh voice's.
  void reset() noexcept;
  /// reset() with a new seed (audio thread, no allocation): the next output equals that of a voice
  /// prepared with `seed` (a pooled voice that plays a new NPC, a MetaSound node's next play).
  void reset(std::uint64_t seed) noexcept;

  // --- Game thread (one writer): lock-free, taken by the audio thread at its next block. ---
  /// `immediate` skips smoothing (for offline rendering and the first set after prepare).
  void setParams(const VoiceParams& params, bool immediate = false) noexcept;
  void setIntensity(const IntensityControls& intensity, bool immediate = false) noexcept;
  void setDetail(VoiceDetail detail) noexcept;
  /// How many setParams() calls so far (game thread): the stamp takeParamsAt() compares against.
  std::uint32_t paramsWritten() const noexcept { return writerCopy_.paramsGeneration; }

  // --- Audio thread. ---
  /// Makes `params` the voice's targets now (smoothed), as if setParams() had been called when
  /// paramsWritten() was `stamp`: a setParams() the game thread made after that still wins, now
  /// or when it arrives. NpcVoice uses it to change the voice when a queued line starts.
  void takeParamsAt(const VoiceParams& params, std::uint32_t stamp) noexcept;
  /// `in` and `out` may be the same buffer. Any n >= 0 (blocks longer than maxBlockSize are fine).
  void process(const float* in, float* out, int n) noexcept;

  /// Constant delay of the output relative to the input, in samples.
  int latencySamples() const noexcept { return latency_; }
  double sampleRate() const noexcept { return sampleRate_; }
  bool isPrepared() const noexcept { return prepared_; }
  /// How many non-finite input samples were replaced (each one resets the voice).
  std::uint64_t nonFiniteInputCount() const noexcept { return nonFiniteCount_.load(std::memory_order_relaxed); }
  /// Diagnostics (audio thread view): tracked F0 and whether the LPC stage is running.
  float trackedF0Hz() const noexcept { return pitch_.f0Hz(); }
  bool formantStageActive() const noexcept { return lpcActive_; }
  VoiceDetail detail() const noexcept { return detail_; }
  /// Whether the voice path is idle (silent input; see the header comment).
  bool idle() const noexcept { return idle_; }
  /// The smoothed parameters currently in effect.
  const VoiceParams& currentParams() const noexcept { return current_; }

 private:
  struct ControlBlock {
    VoiceParams params;
    IntensityControls intensity;
    VoiceDetail detail = VoiceDetail::Near;
    // Bumped by each immediate set; carried by every later write, so an immediate request is
    // never lost when another write overtakes it before the audio thread reads.
    std::uint32_t paramSnapGeneration = 0;
    // Bumped by each setParams: only those retarget the parameters (a setIntensity carries the
    // writer's params too, which must not undo a takeParamsAt).
    std::uint32_t paramsGeneration = 0;
    std::uint32_t intensitySnapGeneration = 0;
  };

  void resetState() noexcept;
  /// Puts the smoothers' current values in effect at once (derived amounts, gains, layer fade).
  void applySmoothedNow() noexcept;
  /// Clears the voice path's signal state (everything up to the hollow tube): see idle().
  void resetVoicePath() noexcept;
  void enterIdle() noexcept;
  void leaveIdle() noexcept;
  void takeNewControls() noexcept;
  /// Sets every parameter smoother's target (or, with `snap`, its value) to `params`.
  void targetParams(const VoiceParams& params, bool snap) noexcept;
  void controlTick() noexcept;
  void computeEffective() noexcept;
  void analysisHop() noexcept;
  void lpcAnalysis() noexcept;
  void interpolateCoefficients() noexcept;
  /// sameFilters_ = whether the analysis glide equals the synthesis glide (both ends).
  double logNoiseShape(const double* a, const double* k) const noexcept;
  void updateSameFilters() noexcept;
  void newGlottalCycle(float periodSamples) noexcept;
  /// Advances the source state (F0 ramp, glottal cycles, jitter, stabilizer) by one grid step.
  void advanceGrid(bool cycles, bool stabilizing) noexcept;
  /// One grid step of the F0 ramp between analysis hops (both source paths take the same steps).
  void advanceF0Ramp() noexcept {
    f0Current_ += static_cast<float>(kGridStep) * f0Step_;
    logF0Current_ += static_cast<float>(kGridStep) * logF0Step_;
  }
  // The chain runs in stages over pieces of at most one control tick (x -> xd -> y):
  /// Pitch tracking, the modulated delay (jitter, stabilizer, swarm copies), cycle gains.
  void sourceStage(const float* x, float* xd, int len) noexcept;
  /// out[k] = the delay line read at whole[k] + frac[k] samples behind sample k of the piece.
  void readModulated(const int* whole, const float* frac, float* out, int len) const noexcept;
  void readModulatedLinear(const int* whole, const float* frac, float* out, int len) const noexcept;
  /// The formant stage in the voice band, or its bypass (a plain delay).
  void formantStage(const float* xd, float* y, int len) noexcept;
  /// The hollow tube (the last stage of the voice path).
  void tubeStage(float* y, int len) noexcept;
  /// Additive layers and the output gain.
  void layerStage(const float* xd, float* y, int len) noexcept;
  /// extrasGainAt_ for the next len samples (the level-of-detail fade of the additive layers).
  void fillExtrasGains(int len) noexcept;
  /// The LPC stage over a piece's band samples: pre-emphasis, analysis (residual), excitation
  /// shaping, warped resynthesis, de-emphasis. `gains` are the cycle gains of each sample.
  void processBand(const float* band, const float* gains, float* out, int count) noexcept;
  /// Shapes a piece of residual in place (cycle gains, roughness, tilt, breath and whisper).
  void excitation(float* e, const float* band, const float* gains, int count) noexcept;

  // Configuration.
  bool prepared_ = false;
  double sampleRate_ = 48000.0;
  float inverseSampleRate_ = 1.0f / 48000.0f;
  int maxBlockSize_ = 0;
  std::uint64_t seed_ = 0;
  int latency_ = 0;

  // Parameters.
  ParamPipeline<ControlBlock> pipeline_;
  ControlBlock writerCopy_;                                  // game-thread side
  std::uint32_t seenParamSnap_ = 0, seenIntensitySnap_ = 0;  // audio-thread side
  std::uint32_t seenParamsGeneration_ = 0;                   // audio-thread side
  VoiceParams current_;
  Smoother paramSmoothers_[64];
  bool paramsGliding_ = false;  // some parameter smoother may still be moving
  Smoother proximity_, environment_;
  struct EffectiveStorage {
    float intensity = 1.0f;
    float jitter = 0, shimmer = 0, dropout = 0, subOctave = 0, subFifth = 0, chaos = 0;
    float roughness = 0, breath = 0, whisper = 0, stabilize = 0, swarm = 0, hollow = 0;
    float whisperVoice = 1, whisperNoise = 0;
    bool noise = false;  // whisper or breath: the excitation carries noise (levelled against the path out)
    float tiltGain = 1, sourceGain = 1;
    WarpSettings warp;
    CorporealAmounts corporeal;
    SubliminalAmounts subliminal;
    bool cycleEffects = false;  // anything that follows glottal cycles (jitter, shimmer, pulses, subharmonics)
    bool pitchEffects = false, lpcNeeded = false;  // pitchEffects: cycle effects or the stabilizer (F0 needed)
    bool pitchTracked = false;                     // pitchEffects, or a warped envelope (F0 wanted)
  } eff_;

  // Scheduling.
  int controlCountdown_ = 0;
  // Idle (see the header comment): input at most kSilentInputLevel, voice-path output at most
  // kQuietTailLevel, each counted in samples in a row.
  static constexpr float kSilentInputLevel = 1e-6f;  // -120 dBFS
  static constexpr float kMaxInputLevel = 1000.0f;   // +60 dBFS: input beyond it is held to it
  static constexpr float kQuietTailLevel = 1e-5f;    // -100 dBFS
  bool idle_ = false;
  int silentInputRun_ = 0, quietOutputRun_ = 0;
  int idleAfterSamples_ = 4800, quietTailSamples_ = 960;
  int hopTicks_ = 1, hopTicksLeft_ = 1;
  int lpcEveryHops_ = 2, lpcHopCounter_ = 0;
  int lpcTicksSinceUpdate_ = 0, lpcInterpolationTicks_ = 1;

  // Pitch.
  PitchTracker pitch_;
  float f0Current_ = 0.0f, f0Step_ = 0.0f;
  float logF0Current_ = 0.0f, logF0Step_ = 0.0f;  // the same ramp in log2 (stabilizer)
  bool pitchVoiced_ = false;
  bool pitchNeeded_ = false;

  // Modulated delay: jitter, stabilizer, swarm.
  DelayLine delay_;
  int baseDelay_ = 0;
  float jitterOffset_ = 0.0f, jitterTarget_ = 0.0f, jitterSlope_ = 0.0f;
  float inverseStabilizerLimit_ = 1.0f;  // 1 / (0.85 x baseDelay_): where the stabilizer's soft limit closes
  float stabOffset_ = 0.0f, logF0Slow_ = 0.0f, wobbleSlow_ = 0.0f, slowGridCoefficient_ = 0.0f,
        leakGridCoefficient_ = 0.0f;
  bool haveSlowF0_ = false;
  static constexpr int kSwarmTaps = 3;
  float tapOffset_[kSwarmTaps] = {}, tapStep_[kSwarmTaps] = {}, tapTarget_[kSwarmTaps] = {};
  int tapCountdown_[kSwarmTaps] = {};
  float tapSmoothing_ = 0.0f;

  // Glottal cycle modulation.
  float cyclePhase_ = 0.0f, cycleGain_ = 1.0f, cycleGainTarget_ = 1.0f, cycleGainGridCoefficient_ = 0.0f;
  // The offset and cycle gain on the grid (every kGridStep samples): the values at the last grid
  // point and at the next one, between which the samples are interpolated.
  float offsetFrom_ = 0.0f, offsetTo_ = 0.0f, gainFrom_ = 1.0f, gainTo_ = 1.0f;
  bool plainDelay_ = false;  // nothing bends the delay (judged once per tick: sourceStage)
  bool plainDelayDue_ = true;
  bool layersOn_ = false, layerCorporeal_ = false, layerSubliminal_ = false;  // judged once per tick: layerStage
  bool layersDue_ = true;
  int cycleCount2_ = 0, cycleCount3_ = 0;

  // LPC.
  int order_ = 0;
  int lpcWindow_ = 0;
  std::vector<float> hann_, frame_;
  BandSplitter bands_;  // the LPC stage and excitation shaping run at bands_.bandRate()
  double bandRate_ = 16000.0;
  bool bandPathRunning_ = false;
  float bandMix_ = 0.0f, bandMixStep_ = 0.0f;  // crossfade between bypass and band path
  // Pre-emphasised voice band, oldest first (a sliding buffer): the newest lpcWindow_ samples
  // are contiguous for the analysis.
  std::vector<float> analysisLine_;
  int analysisEnd_ = 0;
  double lagWindow_[kMaxLpcOrder + 1] = {};  // 60 Hz Gaussian lag window of the analysis
  float preEmphasisCoefficient_ = 0.9f;
  float preEmphasisState_ = 0.0f, deEmphasisState_ = 0.0f;
  EnvelopeWarper warper_;
  // Both filters glide in reflection coefficients between analyses (the synthesis filter stays
  // stable; the analysis filter takes the same path, so the two agree through the glide).
  double kAnaPrev_[kMaxLpcOrder] = {}, kAnaNext_[kMaxLpcOrder] = {};
  double kSynPrev_[kMaxLpcOrder] = {}, kSynNext_[kMaxLpcOrder] = {};
  bool sameFilters_ =
      true;  // unwarped: the analysis filter is exactly the synthesis filter's inverse (see updateSameFilters)
  double gainPrev_ = 1.0, gainNext_ = 1.0;
  // The de-emphasis's lift of noise shaped by the envelope (logNoiseShape), at the glide's ends.
  double logNoiseShapePrev_ = 0.0, logNoiseShapeNext_ = 0.0, logIdentityNoiseShape_ = 0.0;
  // The filters run over paddedOrder_ taps (order_ rounded up to 4; the extra taps are zero).
  // Analysis (FIR) in float over the time-ordered analysis line, with reversed coefficients;
  // synthesis in double (a high-order all-pole filter is ill-conditioned in float) from a
  // mirrored history: tap i of the newest-first history at historyPos_ multiplies y[n-1-i].
  int paddedOrder_ = 4;
  float aAnaReversed_[kMaxLpcOrder + 1] = {};  // a[i+1] at [paddedOrder_ - 1 - i]
  double aSyn_[kMaxLpcOrder + 1] = {};         // a[1..order] at [0..order-1]
  float synthesisGain_ = 1.0f;
  double synHistory_[2 * kMaxLpcOrder] = {};
  int historyPos_ = 0;
  bool lpcActive_ = false;

  // Excitation shaping. Each stage draws from its own stream, so the draws stay in sample order
  // however the stream is cut into pieces.
  Random random_;           // control ticks and glottal cycles
  Random noise_;            // excitation (voice band): roughness levels
  BlockNoise breathNoise_;  // excitation (voice band): breath and whisper noise
  float roughFrom_ = 0.0f, roughTo_ = 0.0f, roughPhase_ = 1.0f, roughIncrement_ = 0.0f;
  OnePoleTpt tilt_;
  Svf breathFilter_;
  Svf whisperFilter_;  // 120 Hz high-pass on the whisper noise
  // Noise level (whisper, breath): 5 ms power followers of the excitation, of the residual before
  // the source effects, and of the band; and the white-noise power gain of the path out (synthesis
  // and de-emphasis), inverted (interpolateCoefficients).
  float excitationPower_ = 0.0f, residualPower_ = 0.0f, bandPower_ = 0.0f, powerCoefficient_ = 0.0f;
  float inverseNoisePowerGain_ = 1.0f;
  // Transient guard (processBand): peak envelopes of the band in and out, and the gain on the way out.
  float guardInEnvelope_ = 0.0f, guardOutEnvelope_ = 0.0f, guardGain_ = 1.0f;
  float guardRelease_ = 0.0f, guardRecover_ = 0.0f;

  // Hollow tube.
  DelayLine tube_;
  int tubeDelay1_ = 0, tubeDelay2_ = 0;
  OnePoleTpt tubeDamping_;

  // Struggle.
  float surge_ = 0.0f, surgeTarget_ = 0.0f, surgeCoefficient_ = 0.0f;
  int surgeCountdown_ = 0;

  CorporealNoise corporeal_;
  SubliminalLayers subliminal_;

  // Level of detail: the additive layers fade by extrasGain_ (1 at Near, 0 at Mid and Far).
  VoiceDetail detail_ = VoiceDetail::Near;
  float extrasGain_ = 1.0f, extrasStep_ = 0.0f;
  float extrasTarget() const noexcept { return detail_ == VoiceDetail::Near ? 1.0f : 0.0f; }
  float stepExtrasGain(float goal) noexcept {
    if (extrasGain_ != goal) {
      extrasGain_ = goal > extrasGain_ ? (goal < extrasGain_ + extrasStep_ ? goal : extrasGain_ + extrasStep_)
                                       : (goal > extrasGain_ - extrasStep_ ? goal : extrasGain_ - extrasStep_);
    }
    return extrasGain_;
  }

  // Per-sample values one stage hands to a later one within a piece.
  float cycleGainAt_[kControlInterval] = {};
  float extrasGainAt_[kControlInterval] = {};

  float outputGain_ = 1.0f, outputGainStep_ = 0.0f, outputGainTarget_ = 1.0f;
  TruePeakLimiter limiter_;

  std::atomic<std::uint64_t> nonFiniteCount_{0};
};

}  // namespace vocalsynth
