#include "vocalsynth/voice.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "simd4.h"
#include "vocalsynth/denormal_guard.h"
#include "vocalsynth/dsp_math.h"

namespace vocalsynth {

namespace {

/// Proximity 0 -> x0.3, 0.5 -> x1 (as designed), 1 -> x1.5 (the seed's far/close range).
float intensityFromProximity(float proximity) noexcept {
  const float p = clampValue(proximity, 0.0f, 1.0f);
  return p <= 0.5f ? lerp(0.3f, 1.0f, p * 2.0f) : lerp(1.0f, 1.5f, (p - 0.5f) * 2.0f);
}

// Calibration of the source effects (documented in the parameter table).
constexpr float kJitterDepth = 0.02f;        // delay std per cycle, as a fraction of the period
constexpr float kShimmerDepth = 0.35f;       // log-amplitude std per cycle (~3 dB)
constexpr float kDropoutProbability = 0.3f;  // per cycle at pulse_dropout = 1
constexpr float kDropoutGain = 0.05f;
constexpr float kOctaveDepth = 0.85f;  // gain drop of every second cycle
constexpr float kFifthDepth = 0.75f;   // gain drop of every third cycle
constexpr float kRoughDepth = 0.9f;
constexpr float kLagWindowHz = 60.0f;        // the LPC fit's Gaussian lag window
constexpr float kHarmonicMarginHz = 120.0f;  // ... widened to F0 - this for a warped, voiced envelope

constexpr float kNoiseLevelFloorPower = 1e-12f;  // the residual power follower's floor (-120 dB)
constexpr float kSwarmSpreadSeconds = 0.0035f;
constexpr float kDefaultF0Hz = 120.0f;
constexpr float kF0JumpOctaves = 0.2f;        // F0 moves farther than this in one 5 ms hop only by a jump
constexpr float kGuardRatio = 8.0f;           // the transient guard's limit: +18 dB over the band's own envelope
constexpr float kGuardFloor = 1e-4f;          // -80 dBFS: below it the guard does not care
constexpr double kEnvelopeFloorPower = 1e-8;  // per windowed sample (Hann: 0.375 x the power)

/// A Gaussian lag window's weight at `lag`: the autocorrelation's spectrum smoothed by a Gaussian
/// of `hz` (ITU-T G.729 3.2.1's form).
double gaussianLagWindow(double hz, double rate, int lag) noexcept {
  const double w = 2.0 * 3.14159265358979323846 * hz / rate * lag;
  return std::exp(-0.5 * w * w);
}

}  // namespace

const char* toString(PrepareResult result) noexcept {
  switch (result) {
    case PrepareResult::Ok: return "ok";
    case PrepareResult::UnsupportedSampleRate: return "unsupported sample rate (16000-96000 Hz)";
    case PrepareResult::InvalidBlockSize: return "invalid block size (must be >= 1)";
  }
  return "unknown";
}

Voice::Voice() = default;

PrepareResult Voice::prepare(double sampleRateHz, int maxBlockSize, std::uint64_t seed) {
  if (!(sampleRateHz >= kMinSampleRateHz && sampleRateHz <= kMaxSampleRateHz))
    return PrepareResult::UnsupportedSampleRate;
  if (maxBlockSize < 1) return PrepareResult::InvalidBlockSize;
  static_assert(sizeof(VoiceParams) / sizeof(float) <= 64, "paramSmoothers_ too small");
  sampleRate_ = sampleRateHz;
  maxBlockSize_ = maxBlockSize;
  seed_ = seed;
  const double fs = sampleRateHz;
  const double controlRate = fs / kControlInterval;

  for (std::size_t i = 0; i < paramCount(); ++i) paramSmoothers_[i].prepare(controlRate, 0.03);
  proximity_.prepare(controlRate, 0.05);
  environment_.prepare(controlRate, 0.05);

  // Analysis hop ~5 ms in whole control ticks; LPC every second hop (~10 ms).
  hopTicks_ = static_cast<int>(std::lround(0.005 * fs / kControlInterval));
  if (hopTicks_ < 1) hopTicks_ = 1;
  lpcEveryHops_ = 2;
  lpcInterpolationTicks_ = hopTicks_ * lpcEveryHops_;

  pitch_.prepare(fs);
  // The delay's base equals the age of the F0 the stabilizer sees (tracker delay + one hop of
  // interpolation), so corrections land on the cycles they were measured on.
  const double hopSeconds = static_cast<double>(hopTicks_ * kControlInterval) / fs;
  baseDelay_ = static_cast<int>(std::lround((pitch_.analysisDelaySeconds() + hopSeconds) * fs));
  delay_.prepare(2 * baseDelay_ + 8 + kControlInterval);
  inverseSampleRate_ = static_cast<float>(1.0 / fs);
  inverseStabilizerLimit_ = 1.0f / (0.85f * static_cast<float>(baseDelay_));
  slowGridCoefficient_ = onePoleCoefficient(0.5, fs / kGridStep);
  leakGridCoefficient_ = onePoleCoefficient(0.3, fs / kGridStep);
  tapSmoothing_ = onePoleCoefficient(0.12, controlRate);
  cycleGainGridCoefficient_ = onePoleCoefficient(0.0003, fs / kGridStep);

  // LPC at the voice-band rate: one pole per kHz of band rate (a pole pair per formant, 1 per kHz of
  // bandwidth); pre-emphasis has already taken out the glottal/radiation slope. (Order 16 measures
  // the same formant moves and intelligibility as 18 at 16 kHz.)
  bands_.prepare(fs);
  bandRate_ = bands_.bandRate();
  bandMixStep_ = static_cast<float>(1.0 / (0.01 * fs));  // 10 ms crossfades in and out
  extrasStep_ = static_cast<float>(1.0 / (0.02 * fs));   // level-of-detail fades: 20 ms
  order_ = static_cast<int>(std::lround(bandRate_ / 1000.0));
  if (order_ > kMaxLpcOrder) order_ = kMaxLpcOrder;
  paddedOrder_ = (order_ + 3) / 4 * 4;
  lpcWindow_ = static_cast<int>(std::lround(0.025 * bandRate_));
  hann_.resize(lpcWindow_);
  for (int i = 0; i < lpcWindow_; ++i) hann_[i] = hannAt(i, lpcWindow_);
  frame_.assign(lpcWindow_, 0.0f);
  analysisLine_.assign(static_cast<size_t>(lpcWindow_) + 1024, 0.0f);
  // 60 Hz Gaussian lag window + (in lpcAnalysis) white-noise correction: a well-conditioned fit.
  for (int lag = 0; lag <= order_; ++lag) lagWindow_[lag] = gaussianLagWindow(kLagWindowHz, bandRate_, lag);
  preEmphasisCoefficient_ = static_cast<float>(std::exp(-2.0 * 3.14159265358979 * 250.0 / bandRate_));
  const double c = preEmphasisCoefficient_;
  logIdentityNoiseShape_ = -std::log(1.0 - c * c);  // the de-emphasis alone: 1 / (1 - c^2)
  // ~60-90 Hz bins: finer than any formant bandwidth the 60 Hz lag window leaves.
  warper_.prepare(bandRate_, order_, 128);

  const float fsf = static_cast<float>(fs);
  const auto bandf = static_cast<float>(bandRate_);
  tilt_.setup(1000.0f, bandf);
  breathFilter_.setup(1800.0f, 0.6f, bandf);
  whisperFilter_.setup(120.0f, 0.7071f, bandf);
  powerCoefficient_ = onePoleCoefficient(0.005, bandRate_);
  guardRelease_ = onePoleCoefficient(0.015, bandRate_);
  guardRecover_ = 1.0f - onePoleCoefficient(0.005, bandRate_);

  tubeDelay1_ = static_cast<int>(std::lround(0.0034 * fs));
  tubeDelay2_ = static_cast<int>(std::lround(0.0053 * fs));
  tube_.prepare(tubeDelay2_ + 4);
  tubeDamping_.setup(3000.0f, fsf);

  surgeCoefficient_ = onePoleCoefficient(0.12, controlRate);
  corporeal_.prepare(fs, seed);
  subliminal_.prepare(fs, seed);
  limiter_.prepare(fs);
  latency_ = baseDelay_ + bands_.latencySamples() + limiter_.latencySamples();
  // Idle after 100 ms of silent input (longer than every delay and analysis window in the voice
  // path) once the path's own output has stayed below -100 dBFS for 20 ms (its tails have died).
  idleAfterSamples_ = static_cast<int>(std::lround(0.1 * fs));
  quietTailSamples_ = static_cast<int>(std::lround(0.02 * fs));

  prepared_ = true;
  // Start from the parameters already written (neutral by default), without a glide.
  ControlBlock block;
  pipeline_.read(block);
  detail_ = block.detail;
  seenParamSnap_ = block.paramSnapGeneration;
  seenIntensitySnap_ = block.intensitySnapGeneration;
  seenParamsGeneration_ = block.paramsGeneration;
  block.params = writerCopy_.params;
  block.intensity = writerCopy_.intensity;
  for (std::size_t i = 0; i < paramCount(); ++i) { paramSmoothers_[i].snapTo(block.params.*(paramInfos()[i].member)); }
  proximity_.snapTo(block.intensity.proximity);
  environment_.snapTo(block.intensity.environment);
  reset();
  return PrepareResult::Ok;
}

void Voice::setParams(const VoiceParams& params, bool immediate) noexcept {
  writerCopy_.params = params;
  clampToRanges(writerCopy_.params);
  if (immediate) ++writerCopy_.paramSnapGeneration;
  ++writerCopy_.paramsGeneration;
  pipeline_.write(writerCopy_);
}

void Voice::setIntensity(const IntensityControls& intensity, bool immediate) noexcept {
  writerCopy_.intensity.proximity = clampValue(intensity.proximity, 0.0f, 1.0f);
  writerCopy_.intensity.environment = clampValue(intensity.environment, 0.0f, 1.0f);
  if (!isFinite(intensity.proximity)) writerCopy_.intensity.proximity = 0.5f;
  if (!isFinite(intensity.environment)) writerCopy_.intensity.environment = 0.5f;
  if (immediate) ++writerCopy_.intensitySnapGeneration;
  pipeline_.write(writerCopy_);
}

void Voice::setDetail(VoiceDetail detail) noexcept {
  writerCopy_.detail = detail;
  pipeline_.write(writerCopy_);
}

void Voice::reset() noexcept {
  // Settle smoothers on their targets so a reset voice is a fresh voice.
  for (std::size_t i = 0; i < paramCount(); ++i) paramSmoothers_[i].snapTo(paramSmoothers_[i].target());
  proximity_.snapTo(proximity_.target());
  environment_.snapTo(environment_.target());
  resetState();
}

void Voice::reset(std::uint64_t seed) noexcept {
  if (!prepared_) return;
  seed_ = seed;
  // The additive layers keep their own seed (their prepare computes coefficients only).
  corporeal_.prepare(sampleRate_, seed);
  subliminal_.prepare(sampleRate_, seed);
  reset();
}

void Voice::resetState() noexcept {
  layersDue_ = true;
  random_.setSeed(seed_, 0x7011CE);
  noise_.setSeed(seed_, 0xE7C1);
  breathNoise_.setSeed(seed_, 0xB4EA7);
  controlCountdown_ = 0;
  hopTicksLeft_ = 1;
  resetVoicePath();
  idle_ = false;
  silentInputRun_ = 0;
  quietOutputRun_ = 0;
  for (int t = 0; t < kSwarmTaps; ++t) {
    tapOffset_[t] = tapStep_[t] = tapTarget_[t] = 0.0f;
    tapCountdown_[t] = 0;
  }
  surge_ = surgeTarget_ = 0.0f;
  surgeCountdown_ = 0;
  corporeal_.reset();
  subliminal_.reset();
  limiter_.reset();
  applySmoothedNow();  // so the first samples use the current parameters
}

void Voice::applySmoothedNow() noexcept {
  for (std::size_t i = 0; i < paramCount(); ++i) current_.*(paramInfos()[i].member) = paramSmoothers_[i].current();
  computeEffective();
  outputGain_ = outputGainTarget_;
  outputGainStep_ = 0.0f;
  extrasGain_ = extrasTarget();
}

void Voice::resetVoicePath() noexcept {
  plainDelayDue_ = true;
  lpcHopCounter_ = 0;
  lpcTicksSinceUpdate_ = 0;
  pitch_.reset();
  f0Current_ = f0Step_ = 0.0f;
  logF0Current_ = logF0Step_ = 0.0f;
  pitchVoiced_ = false;
  pitchNeeded_ = eff_.pitchTracked;
  delay_.reset();
  jitterOffset_ = jitterTarget_ = jitterSlope_ = 0.0f;
  stabOffset_ = 0.0f;
  logF0Slow_ = 0.0f;
  wobbleSlow_ = 0.0f;
  haveSlowF0_ = false;
  cyclePhase_ = 0.0f;
  cycleGain_ = cycleGainTarget_ = 1.0f;
  offsetFrom_ = offsetTo_ = 0.0f;
  gainFrom_ = gainTo_ = 1.0f;
  cycleCount2_ = cycleCount3_ = 0;
  bands_.reset();
  bandPathRunning_ = false;
  bandMix_ = 0.0f;
  for (auto& v : analysisLine_) v = 0.0f;
  analysisEnd_ = lpcWindow_;
  preEmphasisState_ = deEmphasisState_ = 0.0f;
  for (int i = 0; i < kMaxLpcOrder; ++i) kAnaPrev_[i] = kAnaNext_[i] = kSynPrev_[i] = kSynNext_[i] = 0.0;
  gainPrev_ = gainNext_ = 1.0;
  logNoiseShapePrev_ = logNoiseShapeNext_ = logIdentityNoiseShape_;
  sameFilters_ = true;
  for (int i = 0; i <= kMaxLpcOrder; ++i) {
    aAnaReversed_[i] = 0.0f;
    aSyn_[i] = 0.0;
  }
  synthesisGain_ = 1.0f;
  for (auto& v : synHistory_) v = 0.0f;
  historyPos_ = 0;
  lpcActive_ = false;
  roughFrom_ = roughTo_ = 0.0f;
  roughPhase_ = 1.0f;
  roughIncrement_ = 0.0f;
  tilt_.reset();
  breathFilter_.reset();
  whisperFilter_.reset();
  excitationPower_ = residualPower_ = bandPower_ = 0.0f;
  inverseNoisePowerGain_ = 1.0f;
  guardInEnvelope_ = guardOutEnvelope_ = 0.0f;
  guardGain_ = 1.0f;
  tube_.reset();
  tubeDamping_.reset();
}

void Voice::enterIdle() noexcept {
  // Everything the voice path holds is silence or below -100 dBFS by now: start it afresh, so the
  // next line finds it exactly as a new voice's (the noise streams carry on where they were).
  resetVoicePath();
  idle_ = true;
}

void Voice::leaveIdle() noexcept {
  idle_ = false;
  plainDelayDue_ = true;
  silentInputRun_ = 0;
  quietOutputRun_ = 0;
  hopTicksLeft_ = 1;  // the analysis runs at the next control tick, as it does in a fresh voice
}

void Voice::takeNewControls() noexcept {
  ControlBlock block;
  if (!pipeline_.read(block)) return;
  detail_ = block.detail;
  const bool snapParams = block.paramSnapGeneration != seenParamSnap_;
  const bool snapIntensity = block.intensitySnapGeneration != seenIntensitySnap_;
  const bool newParams = block.paramsGeneration != seenParamsGeneration_;
  seenParamSnap_ = block.paramSnapGeneration;
  seenIntensitySnap_ = block.intensitySnapGeneration;
  seenParamsGeneration_ = block.paramsGeneration;
  if (newParams) targetParams(block.params, snapParams);  // (an immediate set is a new one too)
  if (snapIntensity) {
    proximity_.snapTo(block.intensity.proximity);
    environment_.snapTo(block.intensity.environment);
  } else {
    proximity_.setTarget(block.intensity.proximity);
    environment_.setTarget(block.intensity.environment);
  }
  if (snapParams || snapIntensity) applySmoothedNow();
}

void Voice::takeParamsAt(const VoiceParams& params, std::uint32_t stamp) noexcept {
  takeNewControls();
  // Generations only grow (a wrap takes 2^31 writes): a later setParams has already arrived.
  if (static_cast<std::int32_t>(seenParamsGeneration_ - stamp) > 0) return;
  VoiceParams clamped = params;
  clampToRanges(clamped);
  targetParams(clamped, false);
}

void Voice::targetParams(const VoiceParams& params, bool snap) noexcept {
  for (std::size_t i = 0; i < paramCount(); ++i) {
    const float target = params.*(paramInfos()[i].member);
    if (snap) paramSmoothers_[i].snapTo(target);
    else paramSmoothers_[i].setTarget(target);
  }
  paramsGliding_ = !snap;  // the next control tick finds out which ones move
}

void Voice::computeEffective() noexcept {
  const VoiceParams& p = current_;
  EffectiveStorage& e = eff_;
  const float intensity = intensityFromProximity(proximity_.current());
  const float env = environment_.current();
  const float dry = 1.0f + (0.5f - env);  // 0.5 (wet) .. 1.5 (dry)
  const float wet = 1.0f + (env - 0.5f);
  const float surge = p.struggle * (2.0f * surge_ - 1.0f);  // -struggle .. +struggle
  e.intensity = intensity;
  e.jitter = clampValue(p.jitter * intensity * dry, 0.0f, 1.5f);
  e.shimmer = clampValue(p.shimmer * intensity * wet, 0.0f, 1.5f);
  e.dropout = clampValue(p.pulseDropout * intensity, 0.0f, 1.0f);
  e.subOctave = clampValue(p.subharmonicOctave * intensity * (1.0f + 0.8f * surge), 0.0f, 1.0f);
  e.subFifth = clampValue(p.subharmonicFifth * intensity * (1.0f + 0.8f * surge), 0.0f, 1.0f);
  e.chaos = clampValue(p.subharmonicChaos * intensity, 0.0f, 1.0f);
  e.roughness = clampValue(p.roughness * intensity * (1.0f + 0.6f * surge), 0.0f, 1.0f);
  e.breath = clampValue(p.breathiness * intensity, 0.0f, 1.5f);
  e.whisper = clampValue(p.whisper * intensity, 0.0f, 1.0f);
  e.whisperVoice = std::sqrt(1.0f - e.whisper);  // equal-power cross-fade voice -> noise
  e.whisperNoise = std::sqrt(e.whisper);
  e.noise = e.whisper > 0.0f || e.breath > 0.0f;
  e.stabilize = clampValue(p.pitchStabilize, 0.0f, 1.0f);
  e.swarm = clampValue(p.swarm, 0.0f, 1.0f);
  e.hollow = clampValue(p.hollowness, 0.0f, 1.0f);
  // Tension tilts the source spectrum (a 1 kHz shelf); pressure adds effort and level.
  const float pressure = p.pressure * (1.0f + 0.3f * surge);
  e.tiltGain = std::pow(p.tension, 1.5f) * std::sqrt(pressure > 0.1f ? pressure : 0.1f);
  e.sourceGain = std::sqrt(pressure > 0.1f ? pressure : 0.1f);
  e.warp.scale = static_cast<double>(p.formantScale) * (17.5 / static_cast<double>(p.tractLengthCm));
  e.warp.shiftHz = p.formantShiftHz;
  e.warp.extraBandwidthHz = (p.bandwidthScale - 1.0f) * 80.0f;
  if (std::fabs(e.warp.scale - 1.0) < 1e-6) e.warp.scale = 1.0;
  e.corporeal.clicks = clampValue(p.clicks * intensity * dry, 0.0f, 1.0f);
  e.corporeal.wetPops = clampValue(p.wetPops * intensity * wet, 0.0f, 1.0f);
  e.corporeal.rasps = clampValue(p.rasps * intensity, 0.0f, 1.0f);
  e.corporeal.creaks = clampValue(p.creaks * intensity * dry, 0.0f, 1.0f);
  e.subliminal.heartbeat = p.heartbeat * intensity;
  e.subliminal.heartbeatBpm = p.heartbeatBpm;
  e.subliminal.bloodFlow = p.bloodFlow * intensity;
  e.subliminal.breath = p.breathLayer * intensity;
  e.subliminal.breathRateHz = p.breathRateHz;
  e.subliminal.hum = p.hum * intensity;
  e.subliminal.humHz = p.humHz;
  e.cycleEffects = e.jitter > 0.0f || e.shimmer > 0.0f || e.dropout > 0.0f || e.subOctave > 0.0f || e.subFifth > 0.0f;
  e.pitchEffects = e.jitter > 0.0f || e.shimmer > 0.0f || e.dropout > 0.0f || e.subOctave > 0.0f || e.subFifth > 0.0f ||
                   e.stabilize > 0.0f;
  // F0 is tracked for those, and for a warped envelope (its analysis smooths over the harmonics).
  e.pitchTracked = e.pitchEffects || !e.warp.isNeutral();
  e.lpcNeeded = !e.warp.isNeutral() || e.shimmer > 0.0f || e.dropout > 0.0f || e.subOctave > 0.0f ||
                e.subFifth > 0.0f || e.roughness > 0.0f || e.breath > 0.0f || e.whisper > 0.0f || e.tiltGain != 1.0f ||
                e.sourceGain != 1.0f;
  outputGainTarget_ = dbToGain(p.outputGainDb);
}

void Voice::controlTick() noexcept {
  plainDelayDue_ = true;
  layersDue_ = true;
  // Derived amounts are recomputed only while something glides (or struggle surges).
  bool moving = !proximity_.settled() || !environment_.settled();
  if (paramsGliding_) {
    paramsGliding_ = false;
    const std::size_t count = paramCount();
    for (std::size_t i = 0; i < count; ++i) {
      if (!paramSmoothers_[i].settled()) {
        current_.*(paramInfos()[i].member) = paramSmoothers_[i].next();
        paramsGliding_ = true;
      }
    }
    moving = moving || paramsGliding_;
  }
  proximity_.next();
  environment_.next();

  // Transformation struggle: a new random surge level every ~1/rate seconds, glided into.
  if (current_.struggle > 0.0f) {
    surgeCountdown_ -= kControlInterval;
    if (surgeCountdown_ <= 0) {
      surgeTarget_ = random_.uniform();
      const float interval = (0.5f + random_.uniform()) / current_.struggleRateHz;
      surgeCountdown_ = static_cast<int>(interval * static_cast<float>(sampleRate_));
    }
    surge_ = surgeTarget_ + (surge_ - surgeTarget_) * surgeCoefficient_;
    moving = true;
  }
  if (moving) computeEffective();

  if (--hopTicksLeft_ <= 0) {
    hopTicksLeft_ = hopTicks_;
    if (!idle_) analysisHop();
  }

  // A faded-out band path stops here, on a tick, not at the end of the piece in which its fade
  // ended: that piece ends where the host's block does, and a restart then found another
  // stretch of the band in the analysis line (the voice fuzzer found the output depending on
  // block sizes).
  if (!lpcActive_ && bandMix_ == 0.0f) bandPathRunning_ = false;
  const bool wasActive = lpcActive_;
  lpcActive_ = eff_.lpcNeeded && detail_ != VoiceDetail::Far && !idle_;
  if (lpcActive_ && !wasActive && !bandPathRunning_) {
    // Start from silence-free identity filters and glide into the next analysed envelope.
    for (int i = 0; i < order_; ++i) kAnaPrev_[i] = kAnaNext_[i] = kSynPrev_[i] = kSynNext_[i] = 0.0;
    gainPrev_ = gainNext_ = 1.0;
    logNoiseShapePrev_ = logNoiseShapeNext_ = logIdentityNoiseShape_;
    sameFilters_ = true;
    lpcTicksSinceUpdate_ = 0;
    bands_.resetBandPath();
    // The analysis filter starts from silence: clear the line's newest samples.
    for (int i = 1; i <= paddedOrder_; ++i) analysisLine_[analysisEnd_ - i] = 0.0f;
    for (auto& v : synHistory_) v = 0.0;
    preEmphasisState_ = deEmphasisState_ = 0.0f;
    guardInEnvelope_ = guardOutEnvelope_ = 0.0f;
    guardGain_ = 1.0f;
    bandPathRunning_ = true;
    lpcAnalysis();
  }
  if (bandPathRunning_) {
    // Converting reflection coefficients costs O(order^2): every second tick (~1.3 ms at 48 kHz).
    ++lpcTicksSinceUpdate_;
    if ((lpcTicksSinceUpdate_ & 1) == 1) interpolateCoefficients();
  }

  // Swarm copies: each tap glides toward a new random offset every 0.2-0.4 s.
  if (eff_.swarm > 0.0f || tapOffset_[0] != 0.0f || tapOffset_[1] != 0.0f || tapOffset_[2] != 0.0f) {
    const float spread = kSwarmSpreadSeconds * static_cast<float>(sampleRate_) * eff_.swarm;
    for (int t = 0; t < kSwarmTaps; ++t) {
      tapCountdown_[t] -= kControlInterval;
      if (tapCountdown_[t] <= 0) {
        tapTarget_[t] = random_.bipolar() * spread;
        tapCountdown_[t] = static_cast<int>((0.2f + 0.2f * random_.uniform()) * static_cast<float>(sampleRate_));
      }
      if (eff_.swarm == 0.0f) tapTarget_[t] = 0.0f;
      float next = tapTarget_[t] + (tapOffset_[t] - tapTarget_[t]) * tapSmoothing_;
      if (eff_.swarm == 0.0f && std::fabs(next) < 1e-3f) next = 0.0f;
      tapStep_[t] = (next - tapOffset_[t]) / kControlInterval;
    }
  } else {
    for (int t = 0; t < kSwarmTaps; ++t) tapStep_[t] = 0.0f;
  }

  outputGainStep_ = (outputGainTarget_ - outputGain_) / kControlInterval;
}

void Voice::analysisHop() noexcept {
  // The tracker runs only while something uses F0 (it restarts with ~20 ms of fresh history).
  pitchNeeded_ = eff_.pitchTracked || jitterOffset_ != 0.0f || stabOffset_ != 0.0f;
  if (pitchNeeded_) {
    pitch_.analyze();
    pitchVoiced_ = pitch_.voiced();
    const float target = pitch_.f0Hz() > 0.0f ? pitch_.f0Hz() : kDefaultF0Hz;
    if (f0Current_ <= 0.0f || std::fabs(std::log2(target) - logF0Current_) > kF0JumpOctaves) {
      // The first F0, or a jump (a new phrase, a tracking slip): taken at once, and the stabilizer
      // starts over from it. Ramped, the jump would be a "wobble" it bends the delay against: a
      // pitch swoop of tens of percent, and a thump when the delay swings back.
      f0Current_ = target;
      logF0Current_ = std::log2(target);
      haveSlowF0_ = false;
    }
    const float hopSamples = static_cast<float>(hopTicks_ * kControlInterval);
    f0Step_ = (target - f0Current_) / hopSamples;
    logF0Step_ = (std::log2(target) - logF0Current_) / hopSamples;
  } else {
    f0Step_ = 0.0f;
    logF0Step_ = 0.0f;
  }
  if (bandPathRunning_ && ++lpcHopCounter_ >= lpcEveryHops_) {
    lpcHopCounter_ = 0;
    lpcAnalysis();
  }
}

void Voice::lpcAnalysis() noexcept {
  // Start the new glide from wherever the interpolation currently is.
  const double frac = static_cast<double>(lpcTicksSinceUpdate_) / lpcInterpolationTicks_;
  const double f = frac > 1.0 ? 1.0 : frac;
  for (int i = 0; i < order_; ++i) {
    kAnaPrev_[i] = kAnaPrev_[i] + (kAnaNext_[i] - kAnaPrev_[i]) * f;
    kSynPrev_[i] = kSynPrev_[i] + (kSynNext_[i] - kSynPrev_[i]) * f;
  }
  gainPrev_ = gainPrev_ + (gainNext_ - gainPrev_) * f;
  logNoiseShapePrev_ = logNoiseShapePrev_ + (logNoiseShapeNext_ - logNoiseShapePrev_) * f;
  lpcTicksSinceUpdate_ = 0;

  // Windowed autocorrelation of the newest lpcWindow_ samples (the undelayed input: the
  // voice path runs baseDelay_ behind, so the envelope is analysed slightly ahead of use).
  const float* newest = &analysisLine_[analysisEnd_ - lpcWindow_];
  for (int i = 0; i < lpcWindow_; ++i) frame_[i] = newest[i] * hann_[i];
  double r[kMaxLpcOrder + 1] = {};
  for (int lag = 0; lag <= order_; ++lag) { r[lag] = simd4::dot(frame_.data(), frame_.data() + lag, lpcWindow_ - lag); }
  if (r[0] < 1e-10 * lpcWindow_) {
    // Silence: glide to the identity filters.
    for (int i = 0; i < order_; ++i) kAnaNext_[i] = kSynNext_[i] = 0.0;
    gainNext_ = 1.0;
    logNoiseShapeNext_ = logIdentityNoiseShape_;
    updateSameFilters();
    return;
  }
  // A warped envelope must not follow the harmonics: a fit sharp enough to resolve them (a high
  // voice's are 230-320 Hz apart) moves their peaks with the formants, to where there are no
  // harmonics or onto them, and the level jumped by 6-9 dB from frame to frame (15% of a 320 Hz
  // voice's steady frames, at formant scale 1.22). So while voiced the lag window smooths over
  // F0 - 120 Hz (Gaussian), never less than its 60 Hz: from 180 Hz up. (Smoothing lower voices too
  // would leave part of each formant in the residual, where it does not move: a 120 Hz voice's
  // +150 Hz shift measured 84-101 Hz with 0.7 F0, against 104-123.)
  const float smoothingHz = pitch_.f0Hz() - kHarmonicMarginHz;
  if (!eff_.warp.isNeutral() && pitchVoiced_ && smoothingHz > kLagWindowHz) {
    for (int lag = 1; lag <= order_; ++lag) r[lag] *= gaussianLagWindow(smoothingHz, bandRate_, lag);
  } else {
    for (int lag = 1; lag <= order_; ++lag) r[lag] *= lagWindow_[lag];
  }
  r[0] *= 1.00001;  // white-noise correction: a -50 dB floor keeps the fit well conditioned
  // And an absolute floor (-76 dBFS of white noise): a quiet frame, such as the ringing tail in a
  // stop's closure, otherwise gets an envelope as sharp as a loud one's. Resynthesised through the
  // warped envelope, the next burst would ring the sharp resonance at its new frequency, where
  // the analysis filter does not damp it: a pop up to 40 times louder than the burst.
  r[0] += kEnvelopeFloorPower * lpcWindow_;
  double a[kMaxLpcOrder + 1] = {};
  double k[kMaxLpcOrder];
  levinsonDurbin(r, order_, a, k);
  for (int i = 0; i < order_; ++i) kAnaNext_[i] = k[i];
  const bool noisy = eff_.noise;
  if (eff_.warp.isNeutral()) {
    for (int i = 0; i < order_; ++i) kSynNext_[i] = k[i];
    gainNext_ = 1.0;
    if (noisy) logNoiseShapeNext_ = logNoiseShape(a, k);
  } else {
    double rw[kMaxLpcOrder + 1] = {};
    warper_.warp(a, eff_.warp, rw);
    double aw[kMaxLpcOrder + 1];
    double kw[kMaxLpcOrder];
    const double error = levinsonDurbin(rw, order_, aw, kw);
    for (int i = 0; i < order_; ++i) kSynNext_[i] = kw[i];
    gainNext_ = std::sqrt(error > 0.0 ? error : 0.0);
    if (noisy) logNoiseShapeNext_ = logNoiseShape(aw, kw);
  }
  updateSameFilters();
}

double Voice::logNoiseShape(const double* a, const double* k) const noexcept {
  // The noise power gain of 1 / (A(z) (1 - c z^-1)) against that of 1 / A(z) alone, in log: how
  // much the de-emphasis lifts noise shaped by this envelope (~1 for a fricative, ~50 for a
  // nasal murmur's low peak).
  double ad[kMaxLpcOrder + 2];
  const double c = preEmphasisCoefficient_;
  ad[0] = 1.0;
  for (int i = 1; i <= order_; ++i) ad[i] = a[i] - c * a[i - 1];
  ad[order_ + 1] = -c * a[order_];
  const double shape = allPoleNoisePowerGain(ad, order_ + 1) * predictionErrorRatio(k, order_);
  return shape > 1e-12 && shape < 1e12 ? std::log(shape) : logIdentityNoiseShape_;
}

void Voice::updateSameFilters() noexcept {
  // The glide's end points change only here and in the resets: interpolateCoefficients reads this.
  bool same = true;
  for (int i = 0; i < order_; ++i) same = same && kSynPrev_[i] == kAnaPrev_[i] && kSynNext_[i] == kAnaNext_[i];
  sameFilters_ = same;
}

void Voice::interpolateCoefficients() noexcept {
  double f = static_cast<double>(lpcTicksSinceUpdate_) / lpcInterpolationTicks_;
  if (f > 1.0) f = 1.0;
  // Synthesis: reflection coefficients glide (every step is a stable filter), then step up.
  // Analysis: an unwarped envelope is analysed by exactly the inverse of its synthesis filter;
  // otherwise by its own reflection coefficients gliding the same way. (A direct-form glide of
  // the analysis filter took another path from a flat envelope to a vowel's sharp one than the
  // synthesis did: 10 ms after each onset the two disagreed, and the output spiked up to 2.4x.)
  double k[kMaxLpcOrder];
  double a[kMaxLpcOrder + 1] = {};
  for (int i = 0; i < order_; ++i) k[i] = kSynPrev_[i] + (kSynNext_[i] - kSynPrev_[i]) * f;
  if (sameFilters_) {
    reflectionToPredictor(k, order_, a);
    for (int i = 0; i < order_; ++i) aSyn_[i] = a[i + 1];
    for (int i = 0; i < order_; ++i) aAnaReversed_[paddedOrder_ - 1 - i] = static_cast<float>(aSyn_[i]);
  } else {
    double kAnalysis[kMaxLpcOrder];
    double aAnalysis[kMaxLpcOrder + 1] = {};
    for (int i = 0; i < order_; ++i) kAnalysis[i] = kAnaPrev_[i] + (kAnaNext_[i] - kAnaPrev_[i]) * f;
    reflectionToPredictorPair(k, kAnalysis, order_, a, aAnalysis);
    for (int i = 0; i < order_; ++i) aSyn_[i] = a[i + 1];
    for (int i = 0; i < order_; ++i) aAnaReversed_[paddedOrder_ - 1 - i] = static_cast<float>(aAnalysis[i + 1]);
  }
  synthesisGain_ = static_cast<float>(gainPrev_ + (gainNext_ - gainPrev_) * f);
  if (eff_.noise) {
    // What white noise in the excitation gains on its way out: gain^2 / prod(1 - k_i^2) through
    // the synthesis filter (exact along the glide), times what the de-emphasis adds for this
    // envelope's shape (from the glide's end points, interpolated in log: it changes slowly).
    const double shape = std::exp(logNoiseShapePrev_ + (logNoiseShapeNext_ - logNoiseShapePrev_) * f);
    const double noiseGain =
        static_cast<double>(synthesisGain_) * synthesisGain_ * shape / predictionErrorRatio(k, order_);
    inverseNoisePowerGain_ = noiseGain > 1e-20 && noiseGain < 1e30 ? static_cast<float>(1.0 / noiseGain) : 0.0f;
  }
}

void Voice::newGlottalCycle(float periodSamples) noexcept {
  const EffectiveStorage& e = eff_;
  float g = 1.0f;
  if (e.shimmer > 0.0f) g *= std::exp(kShimmerDepth * e.shimmer * random_.gaussian());
  cycleCount2_ ^= 1;
  cycleCount3_ = (cycleCount3_ + 1) % 3;
  if (e.chaos > 0.0f && random_.chance(0.25f * e.chaos)) {
    // A slip: the subharmonic pattern loses its place, as in chaotic vocal-fold vibration.
    cycleCount2_ ^= 1;
    cycleCount3_ = (cycleCount3_ + 1 + (random_.uniform() < 0.5f ? 1 : 0)) % 3;
  }
  if (e.subOctave > 0.0f && cycleCount2_ == 1) g *= 1.0f - kOctaveDepth * e.subOctave;
  if (e.subFifth > 0.0f) {
    if (cycleCount3_ == 1) g *= 1.0f - kFifthDepth * e.subFifth;
    else if (cycleCount3_ == 2) g *= 1.0f - 0.5f * kFifthDepth * e.subFifth;
  }
  if (e.dropout > 0.0f && random_.chance(kDropoutProbability * e.dropout)) g *= kDropoutGain;
  cycleGainTarget_ = g;
  // Jitter: the delay glides to a new random offset over the coming cycle, which lengthens or
  // shortens that cycle by the difference.
  jitterTarget_ = e.jitter > 0.0f ? random_.gaussian() * kJitterDepth * e.jitter * periodSamples : 0.0f;
  jitterSlope_ = (jitterTarget_ - jitterOffset_) / periodSamples;
}

void Voice::excitation(float* e, const float* band, const float* gains, int count) noexcept {
  const EffectiveStorage& fx = eff_;
  const bool noisy = fx.noise;
  float residual[kControlInterval];  // before the source effects: the noise level needs it
  if (noisy) simd4::copy(residual, e, count);
  for (int j = 0; j < count; ++j) e[j] *= gains[j];
  if (fx.roughness > 0.0f) {
    // Random AM: a new random level every 1/80-1/25 s, linearly interpolated.
    const float depth = kRoughDepth * fx.roughness;
    for (int j = 0; j < count; ++j) {
      roughPhase_ += roughIncrement_;
      if (roughPhase_ >= 1.0f) {
        roughPhase_ = 0.0f;
        roughFrom_ = roughTo_;
        roughTo_ = noise_.bipolar();
        const float rateHz = 25.0f + 55.0f * noise_.uniform();
        roughIncrement_ = rateHz / static_cast<float>(bandRate_);
      }
      const float m = roughFrom_ + (roughTo_ - roughFrom_) * roughPhase_;
      e[j] *= 1.0f + depth * m;
    }
  }
  const bool tilting = fx.tiltGain != 1.0f || fx.sourceGain != 1.0f;
  if (!tilting && !noisy) return;
  // One fused loop: the tilt, the RMS follower and the breath filter are all recursive.
  float noise[kControlInterval];
  if (noisy) breathNoise_.gaussian(noise, count);
  const float tiltGain = fx.tiltGain, sourceGain = fx.sourceGain;
  const float coefficient = powerCoefficient_;
  const float voiced = fx.whisperVoice, unvoiced = fx.whisperNoise, breath = 0.8f * fx.breath;
  // Filter states in locals: the stores to e[] could alias the members otherwise.
  float power = excitationPower_, residualPower = residualPower_, bandPower = bandPower_;
  const float inverseNoiseGain = inverseNoisePowerGain_;
  OnePoleTpt tilt = tilt_;
  Svf breathFilter = breathFilter_;
  Svf whisperFilter = whisperFilter_;
  for (int j = 0; j < count; ++j) {
    float x = e[j];
    if (tilting) {
      const float low = tilt.lowPass(x);
      x = (low + tiltGain * (x - low)) * sourceGain;
    }
    if (noisy) {
      // Noise at the voice's level: whisper replaces the voice with it (equal power), breath adds
      // it high-passed. The residual's own power is a poor measure of that level: it reaches the
      // output through an envelope that lags each new sound, and a noise at its power came out
      // up to 15 dB louder or 19 dB quieter than the voice for the first tens of milliseconds
      // of a sound. So the noise is set to come out at the band's own power (the noise gain of
      // the path out, interpolateCoefficients), times what the source effects did to the
      // residual's power (5 ms power followers).
      const float x2 = x * x, r2 = residual[j] * residual[j], b2 = band[j] * band[j];
      power = x2 + (power - x2) * coefficient;
      residualPower = r2 + (residualPower - r2) * coefficient;
      bandPower = b2 + (bandPower - b2) * coefficient;
      const float rms = std::sqrt(power * bandPower * inverseNoiseGain / (residualPower + kNoiseLevelFloorPower));
      const float n = noise[j];
      // Whisper's noise loses its lowest octaves first: the de-emphasis that restores a voice's
      // low end (+20 dB at DC against the pre-emphasis) would make them a rumble.
      if (unvoiced > 0.0f) x = voiced * x + unvoiced * whisperFilter.highPass(n * rms);
      if (breath > 0.0f) x += breath * breathFilter.highPass(n) * rms;
    }
    e[j] = x;
  }
  excitationPower_ = power;
  residualPower_ = residualPower;
  bandPower_ = bandPower;
  tilt_ = tilt;
  breathFilter_ = breathFilter;
  whisperFilter_ = whisperFilter;
}

void Voice::advanceGrid(bool cycles, bool stabilizing) noexcept {
  const EffectiveStorage& fx = eff_;
  constexpr auto step = static_cast<float>(kGridStep);
  // Glottal cycles follow the tracked F0 (held through unvoiced stretches).
  advanceF0Ramp();
  const float f0 = f0Current_, logF0 = logF0Current_;
  if (cycles) {
    const float cycleF0 = f0 > 0.0f ? f0 : kDefaultF0Hz;
    cyclePhase_ += step * cycleF0 * inverseSampleRate_;
    if (cyclePhase_ >= 1.0f) {
      cyclePhase_ -= 1.0f;
      newGlottalCycle(static_cast<float>(sampleRate_) / cycleF0);
    }
    cycleGain_ = cycleGainTarget_ + (cycleGain_ - cycleGainTarget_) * cycleGainGridCoefficient_;
    if (jitterSlope_ != 0.0f) {
      jitterOffset_ += step * jitterSlope_;
      if ((jitterSlope_ > 0.0f && jitterOffset_ >= jitterTarget_) ||
          (jitterSlope_ < 0.0f && jitterOffset_ <= jitterTarget_)) {
        jitterOffset_ = jitterTarget_;
        jitterSlope_ = 0.0f;
      }
    }
  } else {
    cycleGain_ = 1.0f;
  }

  // Pitch stabilizer: bend the delay so the output loses the F0 wobble (delay modulation:
  // output frequency = input frequency * (1 - d')). The wobble is log-F0 through a 2nd-order
  // high-pass (0.3 Hz): its integral, the delay offset, stays bounded when intonation drifts,
  // while vibrato (4-8 Hz) is removed almost entirely.
  float stab = stabOffset_;
  if (stabilizing && f0 > 0.0f) {
    if (!haveSlowF0_) {
      logF0Slow_ = logF0;
      wobbleSlow_ = 0.0f;
      haveSlowF0_ = true;
    }
    logF0Slow_ = logF0 + (logF0Slow_ - logF0) * slowGridCoefficient_;
    const float highPassed1 = logF0 - logF0Slow_;
    wobbleSlow_ = highPassed1 + (wobbleSlow_ - highPassed1) * slowGridCoefficient_;
    float delta = step * (highPassed1 - wobbleSlow_) * 0.6931472f * fx.stabilize;
    if (delta * stab > 0.0f) {
      // Soft limit: corrections that push further out fade before the delay's end.
      const float r = stab * inverseStabilizerLimit_;
      const float room = 1.0f - r * r * r * r;
      delta *= room > 0.0f ? room : 0.0f;
    }
    stab += delta;
  } else if (stab != 0.0f) {
    stab *= leakGridCoefficient_;
    if (std::fabs(stab) < 1e-4f) stab = 0.0f;
  }
  stabOffset_ = stab;
  offsetTo_ = jitterOffset_ + stab;
  gainTo_ = cycleGain_;
}

void Voice::fillExtrasGains(int len) noexcept {
  const float extrasGoal = extrasTarget();
  if (extrasGain_ == extrasGoal) {
    for (int k = 0; k < len; ++k) extrasGainAt_[k] = extrasGoal;
  } else {
    for (int k = 0; k < len; ++k) extrasGainAt_[k] = stepExtrasGain(extrasGoal);
  }
}

void Voice::sourceStage(const float* x, float* xd, int len) noexcept {
  const EffectiveStorage& fx = eff_;
  if (pitchNeeded_) pitch_.pushBlock(x, len);
  const bool swarmActive = fx.swarm > 0.0f || tapStep_[0] != 0.0f || tapOffset_[0] != 0.0f;
  fillExtrasGains(len);
  delay_.writeBlock(x, len);
  int phase = (kControlInterval - controlCountdown_) & (kGridStep - 1);  // position on the grid
  // Whether anything bends the delay is judged where the stream says (the first piece of a tick,
  // or of a woken or reset voice), never at a block edge: the grid's gains settle toward 1 within
  // a tick, and judged at a block edge the plain path snapped them to exactly 1 there, one bit off
  // the grid's value (the voice fuzzer found the output depending on block sizes).
  if (plainDelayDue_) {
    plainDelay_ =
        !fx.pitchEffects && jitterOffset_ == 0.0f && stabOffset_ == 0.0f && offsetFrom_ == 0.0f && !swarmActive;
    plainDelayDue_ = false;
  }
  if (plainDelay_) {
    // Nothing bends the delay: a plain delay of baseDelay_ (the F0 ramp still advances).
    delay_.readIntegerBlock(baseDelay_, xd, len);
    const int steps = (phase + len) / kGridStep;  // grid points passed in this piece
    for (int step = 0; step < steps; ++step) advanceF0Ramp();
    for (int k = 0; k < len; ++k) cycleGainAt_[k] = 1.0f;
    cycleGain_ = gainFrom_ = gainTo_ = 1.0f;
    offsetTo_ = 0.0f;
    return;
  }

  // 1. The delay offset and cycle gain move smoothly, so they are computed on a grid of every
  //    kGridStep-th sample of the stream (aligned with the control ticks, so the grid does not
  //    depend on block sizes) and interpolated linearly in between. The grid state runs one step
  //    ahead of the samples: sample k lies between the grid values "from" and "to".
  float offsets[kControlInterval];
  const bool stabilizing = fx.stabilize > 0.0f && pitchVoiced_;
  float offsetFrom = offsetFrom_, offsetTo = offsetTo_, gainFrom = gainFrom_, gainTo = gainTo_;  // locals: no aliasing
  static_assert(kGridStep == 4, "one grid step is one vector of four samples");
  alignas(16) static constexpr float kGridFractions[4] = {0.25f, 0.5f, 0.75f, 1.0f};  // (phase + 1) / kGridStep
  for (int k = 0; k < len;) {
    if (phase == 0 && k + kGridStep <= len) {
      // A whole grid step: four samples at once (the same arithmetic as the scalar path below).
      using namespace simd4;
      const F4 q = load(kGridFractions);
      store(offsets + k, splat(offsetFrom) + splat(offsetTo - offsetFrom) * q);
      store(cycleGainAt_ + k, splat(gainFrom) + splat(gainTo - gainFrom) * q);
      k += kGridStep;
    } else {
      const float q = static_cast<float>(phase + 1) * (1.0f / kGridStep);
      offsets[k] = offsetFrom + (offsetTo - offsetFrom) * q;
      cycleGainAt_[k] = gainFrom + (gainTo - gainFrom) * q;
      ++k;
      if (++phase != kGridStep) continue;
    }
    phase = 0;
    offsetFrom = offsetTo;
    gainFrom = gainTo;
    // Judged at each grid step: the jitter offset reaches 0 within a piece, and judged once per
    // piece the grid ran on with the cycles a piece longer when the host's blocks were longer.
    advanceGrid(fx.cycleEffects || jitterOffset_ != 0.0f, stabilizing);
    offsetTo = offsetTo_;
    gainTo = gainTo_;
  }
  offsetFrom_ = offsetFrom;
  gainFrom_ = gainFrom;

  // 2. The modulated delay: sample k reads the line at its own age (len - k samples back
  //    from the newest write) plus its delay.
  const float base = static_cast<float>(baseDelay_);
  const float longest = 2.0f * base;
  int wholeAt[kControlInterval];
  float fracAt[kControlInterval];
  for (int k = 0; k < len; ++k) {
    const float d = clampBySelects(base + offsets[k], 2.0f, longest);
    wholeAt[k] = static_cast<int>(d);
    fracAt[k] = d - static_cast<float>(wholeAt[k]);
  }
  readModulated(wholeAt, fracAt, xd, len);

  // 3. Swarm copies: independently drifting taps, summed with equal power (tap by tap, each
  //    over the whole piece). Smeared, detuned copies: linear interpolation is enough.
  if (swarmActive) {
    float weight[kControlInterval], sum[kControlInterval];
    for (int k = 0; k < len; ++k) {
      weight[k] = 0.75f * fx.swarm * extrasGainAt_[k];
      sum[k] = xd[k];
    }
    for (int t = 0; t < kSwarmTaps; ++t) {
      float tap = tapOffset_[t];
      const float step = tapStep_[t];
      float copy[kControlInterval];
      for (int k = 0; k < len; ++k) {
        tap += step;
        const float d = clampBySelects(base + offsets[k] + tap, 2.0f, longest);
        wholeAt[k] = static_cast<int>(d);  // (the main read's arrays are free again)
        fracAt[k] = d - static_cast<float>(wholeAt[k]);
      }
      tapOffset_[t] = tap;
      readModulatedLinear(wholeAt, fracAt, copy, len);
      for (int k = 0; k < len; ++k) sum[k] += weight[k] * copy[k];
    }
    // The same reciprocal either way, so a piece cut in two gives the same bits.
    if (weight[0] == weight[len - 1]) {
      const float norm = 1.0f / std::sqrt(1.0f + kSwarmTaps * weight[0] * weight[0]);
      for (int k = 0; k < len; ++k) xd[k] = sum[k] * norm;
    } else {
      for (int k = 0; k < len; ++k) xd[k] = sum[k] * (1.0f / std::sqrt(1.0f + kSwarmTaps * weight[k] * weight[k]));
    }
  }
}

namespace {

/// Delays move slowly: stretches of a piece read at one whole delay, i.e. from one contiguous run
/// of the line. For each stretch of four or more, vector(k, run) computes outputs k..k+3 (run[0]
/// is output k's oldest node, `Older` samples behind its whole delay; `Newer` nodes lie ahead);
/// the rest, and stretches where the ring wraps, go sample by sample through scalar(k).
template <int Older, int Newer, class Vector, class Scalar>
void readInStretches(const DelayLine& line, const int* whole, int len, Vector vector, Scalar scalar) noexcept {
  int k = 0;
  while (k < len) {
    const int w = whole[k];
    int end = k + 1;
    while (end + 4 <= len &&
           ((whole[end] == w) & (whole[end + 1] == w) & (whole[end + 2] == w) & (whole[end + 3] == w)))
      end += 4;
    while (end < len && whole[end] == w) ++end;
    const float* run = end - k >= 4 ? line.run(len - 1 - k + whole[k] + Older, end - k + Older + Newer) : nullptr;
    if (run != nullptr) {
      for (; k + 4 <= end; k += 4, run += 4) vector(k, run);
    }
    for (; k < end; ++k) scalar(k);
  }
}

}  // namespace

void Voice::readModulated(const int* whole, const float* frac, float* out, int len) const noexcept {
  // 3rd-order Lagrange, four outputs per vector: the same arithmetic as DelayLine::readAt, so the
  // two paths give the same bits, the sign of a zero included.
  using namespace simd4;
  const F4 third = splat(1.0f / 3.0f), sixth = splat(1.0f / 6.0f), half = splat(0.5f);
  readInStretches<2, 1>(
      delay_, whole, len,
      [&](int k, const float* run) {
        const F4 x2 = load(run), x1 = load(run + 1), x0 = load(run + 2), xm1 = load(run + 3);
        const F4 t = load(frac + k);
        const F4 c1 = x1 - third * xm1 - half * x0 - sixth * x2;
        const F4 c2 = half * (xm1 + x1) - x0;
        const F4 c3 = sixth * (x2 - xm1) + half * (x0 - x1);
        store(out + k, x0 + t * (c1 + t * (c2 + t * c3)));
      },
      [&](int k) { out[k] = delay_.readAt(len - 1 - k + whole[k], frac[k]); });
}

void Voice::readModulatedLinear(const int* whole, const float* frac, float* out, int len) const noexcept {
  // Linear interpolation, four outputs per vector (DelayLine::readLinearAt's arithmetic).
  using namespace simd4;
  readInStretches<1, 0>(
      delay_, whole, len,
      [&](int k, const float* run) {
        const F4 x1 = load(run), x0 = load(run + 1);
        store(out + k, x0 + load(frac + k) * (x1 - x0));
      },
      [&](int k) { out[k] = delay_.readLinearAt(len - 1 - k + whole[k], frac[k]); });
}

void Voice::formantStage(const float* xd, float* y, int len) noexcept {
  if (!bandPathRunning_) {
    // Bypass: the voice delayed by the splitter's latency (its history keeps filling).
    bands_.pushBypass(xd, y, len);
    return;
  }
  // Formant stage in the voice band: the piece's band samples, each through the LPC stage, then
  // the piece's output; crossfaded against the bypass when the stage starts or stops.
  float band[kControlInterval], processed[kControlInterval], bypass[kControlInterval], gains[kControlInterval];
  int at[kControlInterval];
  const int count = bands_.pushBlock(xd, len, band, at);
  for (int j = 0; j < count; ++j) gains[j] = cycleGainAt_[at[j]];
  processBand(band, gains, processed, count);
  bands_.finishBlock(band, processed, count, y, bypass);
  if (lpcActive_ && bandMix_ == 1.0f) return;
  for (int k = 0; k < len; ++k) {
    if (lpcActive_) bandMix_ = bandMix_ + bandMixStep_ < 1.0f ? bandMix_ + bandMixStep_ : 1.0f;
    else bandMix_ = bandMix_ - bandMixStep_ > 0.0f ? bandMix_ - bandMixStep_ : 0.0f;
    if (bandMix_ != 1.0f) y[k] = bypass[k] + (y[k] - bypass[k]) * bandMix_;  // exactly the band path at 1
  }
}

void Voice::tubeStage(float* y, int len) noexcept {
  const EffectiveStorage& fx = eff_;
  // Hollow tube: two damped feedback combs at unrelated lengths (3.4 and 5.3 ms). Both are longer
  // than a piece, so the piece's feedback comes from earlier pieces: the damping low-pass runs
  // first, the rest is a plain vector loop.
  if (fx.hollow > 0.0f) {
    const float feedback = 0.45f * fx.hollow;
    const float dry = 1.0f - 0.5f * fx.hollow, wet = 0.9f * fx.hollow;
    float back[kControlInterval], c[kControlInterval];
    tube_.readIntegerBlock(tubeDelay1_ - len, c, len);  // c[k]: the tube's value tubeDelay1_ before sample k
    tube_.readIntegerBlock(tubeDelay2_ - len, back, len);
    for (int k = 0; k < len; ++k) back[k] = tubeDamping_.lowPass(0.5f * (c[k] + back[k]));
    for (int k = 0; k < len; ++k) {
      c[k] = y[k] + feedback * back[k];
      y[k] = dry * y[k] + wet * c[k];
    }
    tube_.writeBlock(c, len);
  }
}

void Voice::layerStage(const float* xd, float* y, int len) noexcept {
  const EffectiveStorage& fx = eff_;
  // Additive layers (faded by the level of detail).
  // Which layers run is judged once per tick, never per piece: a layer that runs advances its
  // state (noise, phases, onset followers), and a fade to Far that ended inside a piece had let
  // it run to the piece's end, a block edge, so it came back from Far elsewhere (fuzzer find).
  if (layersDue_) {
    layerCorporeal_ = fx.corporeal.any() || corporeal_.ringing();
    layerSubliminal_ = fx.subliminal.any();
    layersOn_ = (layerCorporeal_ || layerSubliminal_) && (extrasGainAt_[0] > 0.0f || extrasTarget() > 0.0f);
    layersDue_ = false;
  }
  const bool corporeal = layerCorporeal_, subliminal = layerSubliminal_;
  if (layersOn_) {
    float extras[kControlInterval] = {};
    if (corporeal) corporeal_.render(xd, fx.corporeal, extras, len);
    if (subliminal) subliminal_.render(fx.subliminal, extras, len);
    for (int k = 0; k < len; ++k) y[k] += extras[k] * extrasGainAt_[k];
  }
  // Output gain (glides per control tick); exactly unity is skipped, and a settled gain is one
  // vectorisable multiply (adding a zero step would give the same bits, one sample at a time).
  if (outputGainStep_ != 0.0f) {
    for (int k = 0; k < len; ++k) {
      outputGain_ += outputGainStep_;
      y[k] *= outputGain_;
    }
  } else if (outputGain_ != 1.0f) {
    const float gain = outputGain_;
    for (int k = 0; k < len; ++k) y[k] *= gain;
  }
}

namespace {

/// The LPC stage's two filters over a piece. P > 0: the padded order known at compile time (the
/// common rates), fully unrolled; P == 0: `runtimeTaps` taps at run time. The same arithmetic either way.
template <int P>
void analysisFilter(const float* aReversed, const float* pe, float* e, int count, int runtimeTaps) noexcept {
  const int taps = P > 0 ? P : runtimeTaps;
  for (int j = 0; j < count; ++j) e[j] = pe[j] + simd4::dot4(aReversed, pe + j - taps, taps);
}

template <int P>
float synthesisFilter(const double* a, double* history, int& position, double gain, const float* e,
                      float deEmphasisCoefficient, float deEmphasis, float* out, int count, int runtimeTaps) noexcept {
  const int taps = P > 0 ? P : runtimeTaps;
  int pos = position;
  // The history at pos holds y[n-1], y[n-2], ... (each written twice, so contiguous). The four
  // newest outputs also ride in registers and are taken off last, newest at the very end: each
  // output then waits on its predecessor for one multiply and one subtraction only, while the
  // dot product over the older taps (which needs nothing newer than y[n-5]) runs ahead. In
  // one dot product ending on y[n-1] the recursion waited on the whole sum, the filter's cost.
  double y1 = history[pos], y2 = history[pos + 1], y3 = history[pos + 2], y4 = history[pos + 3];
  const double a1 = a[0], a2 = a[1], a3 = a[2], a4 = a[3];
  for (int j = 0; j < count; ++j) {
    const double older = taps > 4 ? simd4::dot4(a + 4, history + pos + 4, taps - 4) : 0.0;
    const double s = gain * e[j] - older - a4 * y4 - a3 * y3 - a2 * y2 - a1 * y1;
    pos = pos == 0 ? taps - 1 : pos - 1;
    history[pos] = history[pos + taps] = s;
    y4 = y3;
    y3 = y2;
    y2 = y1;
    y1 = s;
    deEmphasis = static_cast<float>(s) + deEmphasisCoefficient * deEmphasis;
    out[j] = deEmphasis;
  }
  position = pos;
  return deEmphasis;
}

}  // namespace

void Voice::processBand(const float* band, const float* gains, float* out, int count) noexcept {
  if (count == 0) return;
  // Pre-emphasis flattens the spectral tilt so the all-pole fit spends its poles on formants.
  if (analysisEnd_ + count > static_cast<int>(analysisLine_.size())) {
    std::memmove(analysisLine_.data(), analysisLine_.data() + analysisEnd_ - lpcWindow_,
                 sizeof(float) * static_cast<size_t>(lpcWindow_));
    analysisEnd_ = lpcWindow_;
  }
  float* pe = &analysisLine_[analysisEnd_];
  const float c = preEmphasisCoefficient_;
  pe[0] = band[0] - c * preEmphasisState_;
  for (int j = 1; j < count; ++j) pe[j] = band[j] - c * band[j - 1];
  preEmphasisState_ = band[count - 1];
  analysisEnd_ += count;
  // Residual: the analysis FIR over the line (each sample's history is the paddedOrder_ before it).
  float e[kControlInterval];
  const int taps = paddedOrder_;
  switch (taps) {
    case 16: analysisFilter<16>(aAnaReversed_, pe, e, count, taps); break;
    case 24: analysisFilter<24>(aAnaReversed_, pe, e, count, taps); break;
    default: analysisFilter<0>(aAnaReversed_, pe, e, count, taps); break;
  }
  excitation(e, band, gains, count);
  // Resynthesis through the warped envelope (serial: all-pole), then de-emphasis.
  const double gain = synthesisGain_;
  // clang-format off
  switch (taps) {
    case 16: deEmphasisState_ = synthesisFilter<16>(aSyn_, synHistory_, historyPos_, gain, e, c, deEmphasisState_, out, count, taps); break;
    case 24: deEmphasisState_ = synthesisFilter<24>(aSyn_, synHistory_, historyPos_, gain, e, c, deEmphasisState_, out, count, taps); break;
    default: deEmphasisState_ = synthesisFilter<0>(aSyn_, synHistory_, historyPos_, gain, e, c, deEmphasisState_, out, count, taps); break;
  }
  // clang-format on
  // Transient guard: the resynthesised band may not outgrow the band it came from by more than
  // kGuardRatio (peak envelopes, 15 ms release). Envelopes glide between analyses, and a sudden
  // sound (a stop's burst after its closure, a vowel's onset) can meet a warped envelope fitted
  // to what came before and ring it: the guard pulls such a ring down at once and lets go over
  // ~5 ms. Speech through the archetypes stays inside the ratio and is left bit for bit, but for a
  // few moments of Banshee's pressed, bright voice.
  float inEnvelope = guardInEnvelope_, outEnvelope = guardOutEnvelope_, guardGain = guardGain_;
  const float release = guardRelease_, recover = guardRecover_;
  for (int j = 0; j < count; ++j) {
    const float a = std::fabs(band[j]), b = std::fabs(out[j]);
    inEnvelope = a > inEnvelope ? a : inEnvelope * release;
    outEnvelope = b > outEnvelope ? b : outEnvelope * release;
    const float allowed = kGuardRatio * inEnvelope + kGuardFloor;
    const float target = outEnvelope > allowed ? allowed / outEnvelope : 1.0f;
    if (target < guardGain) {
      guardGain = target;
    } else if (guardGain != 1.0f) {
      guardGain += (target - guardGain) * recover;
      if (guardGain > 0.9999f) guardGain = 1.0f;
    }
    if (guardGain != 1.0f) out[j] *= guardGain;
  }
  guardInEnvelope_ = inEnvelope;
  guardOutEnvelope_ = outEnvelope;
  guardGain_ = guardGain;
}

namespace {
constexpr int kRunCap = 1 << 30;  // the idle run counters saturate here
}  // namespace

void Voice::process(const float* in, float* out, int n) noexcept {
  if (!prepared_ || n <= 0) {
    for (int i = 0; i < n; ++i) out[i] = 0.0f;
    return;
  }
  ScopedDenormalGuard noDenormals;
  takeNewControls();
  // The stream is cut at the fixed control ticks (never at the host's block edges alone), and
  // each piece runs through the stages in turn, so the result does not depend on block sizes.
  float x[kControlInterval];
  int i = 0;
  while (i < n) {
    if (controlCountdown_ <= 0) {
      controlCountdown_ = kControlInterval;
      // Idle changes only where the stream itself says so (a tick, the first sound), never at a
      // block edge: the output stays independent of block sizes.
      const bool sound = !(std::fabs(in[i]) <= kSilentInputLevel);  // NaN counts as sound
      if (idle_ && sound) {
        leaveIdle();
      } else if (!idle_ && !sound && silentInputRun_ >= idleAfterSamples_ && quietOutputRun_ >= quietTailSamples_) {
        enterIdle();
      }
      controlTick();
    }
    int len = controlCountdown_ < n - i ? controlCountdown_ : n - i;
    simd4::copy(x, in + i, len);
    for (int k = simd4::allNormalWithin(x, len, kMaxInputLevel) ? len : 0; k < len; ++k) {
      if (!isFinite(x[k])) {
        if (k > 0) {
          len = k;  // the clean samples before it first
          break;
        }
        // A NaN/Inf anchor sample would poison every recursive filter: start clean and report.
        nonFiniteCount_.fetch_add(1, std::memory_order_relaxed);
        resetState();
        controlCountdown_ = kControlInterval;
        x[0] = 0.0f;
        len = 1;
        break;
      }
      // No audio is 60 dB over full scale; a wild finite value (a broken decoder's 1e38) would
      // overflow the filters inside, so it is held to that level.
      if (!(std::fabs(x[k]) <= kMaxInputLevel)) x[k] = x[k] > 0.0f ? kMaxInputLevel : -kMaxInputLevel;
      // A subnormal is zero to the arithmetic (DAZ) but not to a copy: flushed here, no delay line
      // can hand it on where the arithmetic path gives 0 (the output depended on which path ran).
      if (isSubnormal(x[k])) x[k] = 0.0f;
    }
    float* y = out + i;
    float xd[kControlInterval];
    if (idle_) {
      // The voice path rests (its output is silence) up to the first sound, which wakes it.
      int first = 0;
      while (first < len && std::fabs(x[first]) <= kSilentInputLevel) ++first;
      if (first == 0) {
        leaveIdle();
      } else {
        len = first;
      }
    }
    if (idle_) {
      for (int k = 0; k < len; ++k) xd[k] = y[k] = 0.0f;
      fillExtrasGains(len);
      silentInputRun_ = extendRun(silentInputRun_, len, len, kRunCap);
    } else {
      silentInputRun_ = extendRun(silentInputRun_, quietTail(x, len, kSilentInputLevel, len), len, kRunCap);
      sourceStage(x, xd, len);
      formantStage(xd, y, len);
      tubeStage(y, len);
      quietOutputRun_ = extendRun(quietOutputRun_, quietTail(y, len, kQuietTailLevel, len), len, kRunCap);
    }
    layerStage(xd, y, len);
    bool blewUp = false;
    for (int k = simd4::allFinite(y, len) ? len : 0; k < len; ++k) {
      if (!isFinite(y[k])) {
        // Last line of defence: never hand a non-finite sample on. The samples before it stand;
        // it becomes silence, and the voice restarts clean from the next sample, which the next
        // piece computes again. Both points are fixed by the stream, not by where a block ends
        // (zeroing and restarting the whole piece made the output depend on block sizes).
        y[k] = 0.0f;
        len = k + 1;
        blewUp = true;
        break;
      }
    }
    limiter_.process(y, len);
    if (blewUp) {
      nonFiniteCount_.fetch_add(1, std::memory_order_relaxed);
      resetState();
    }
    controlCountdown_ -= len;
    i += len;
  }
}

}  // namespace vocalsynth
