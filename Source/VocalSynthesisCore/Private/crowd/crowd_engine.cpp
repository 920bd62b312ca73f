// The crowd manager: game-thread commands, level-of-detail and budget decisions, stealing,
// grouping voices into SIMD lane blocks, cluster buses and the stereo mix.
#include "vocalsynth/crowd/crowd_engine.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstring>
#include <vector>

#include "crowd_kernels.h"
#include "vocalsynth/denormal_guard.h"
#include "vocalsynth/dsp_math.h"
#include "vocalsynth/lod.h"
#include "vocalsynth/param_pipeline.h"
#include "vocalsynth/random.h"
#include "vocalsynth/spsc_queue.h"
#include "vocalsynth/svf.h"

#if defined(VOCALSYNTH_X86) && defined(_MSC_VER) && !defined(__clang__)
#include <intrin.h>
#endif

namespace vocalsynth {

using crowd::kControlPeriod;
using crowd::KernelArgs;
using crowd::KernelFn;
using crowd::KernelTable;
using crowd::kMaxLanes;
using crowd::LaneBlock;
using crowd::VoiceState;

const char* crowdTierName(CrowdTier tier) noexcept {
  switch (tier) {
    case CrowdTier::Near: return "near";
    case CrowdTier::Mid: return "mid";
    case CrowdTier::Far: return "far";
    case CrowdTier::Culled: return "culled";
  }
  return "?";
}

const char* simdPathName(SimdPath path) noexcept {
  switch (path) {
    case SimdPath::Auto: return "auto";
    case SimdPath::Scalar: return "scalar";
    case SimdPath::Sse2: return "sse2";
    case SimdPath::Avx2: return "avx2";
    case SimdPath::Avx512: return "avx512";
    case SimdPath::Neon: return "neon";
  }
  return "?";
}

namespace {

// Whether the CPU (and the OS, for the wider registers' state) can run a kernel compiled for it.
bool cpuHasAvx2() noexcept {
#if defined(VOCALSYNTH_X86) && (defined(__GNUC__) || defined(__clang__))
  return __builtin_cpu_supports("avx2");
#elif defined(VOCALSYNTH_X86) && defined(_MSC_VER)
  int info[4];
  __cpuid(info, 1);
  const bool osSavesAvx = (info[2] & (1 << 27)) != 0 && (_xgetbv(0) & 0x6) == 0x6;
  __cpuidex(info, 7, 0);
  return osSavesAvx && (info[1] & (1 << 5)) != 0;
#else
  return false;
#endif
}

bool cpuHasAvx512f() noexcept {
#if defined(VOCALSYNTH_X86) && (defined(__GNUC__) || defined(__clang__))
  return __builtin_cpu_supports("avx512f");
#elif defined(VOCALSYNTH_X86) && defined(_MSC_VER)
  int info[4];
  __cpuid(info, 1);
  const bool osSavesAvx512 = (info[2] & (1 << 27)) != 0 && (_xgetbv(0) & 0xE6) == 0xE6;
  __cpuidex(info, 7, 0);
  return osSavesAvx512 && (info[1] & (1 << 16)) != 0;
#else
  return false;
#endif
}

const KernelTable* kernelsFor(SimdPath path) noexcept {
  switch (path) {
    case SimdPath::Scalar: return crowd::scalarKernels();
    case SimdPath::Sse2: return crowd::sse2Kernels();
    case SimdPath::Avx2: return cpuHasAvx2() ? crowd::avx2Kernels() : nullptr;
    case SimdPath::Avx512: return cpuHasAvx512f() ? crowd::avx512Kernels() : nullptr;
    case SimdPath::Neon: return crowd::neonKernels();
    case SimdPath::Auto: break;
  }
  for (SimdPath p : {SimdPath::Avx512, SimdPath::Avx2, SimdPath::Sse2, SimdPath::Neon}) {
    if (const KernelTable* table = kernelsFor(p)) return table;
  }
  return crowd::scalarKernels();
}

SimdPath pathOf(const KernelTable* table) noexcept {
  for (SimdPath p : {SimdPath::Scalar, SimdPath::Sse2, SimdPath::Avx2, SimdPath::Avx512, SimdPath::Neon}) {
    if (kernelsFor(p) == table) return p;
  }
  return SimdPath::Scalar;
}

enum class CommandType : std::uint8_t { Start, Stop, Position, Priority };

struct Command {
  CommandType type = CommandType::Stop;
  std::uint32_t slot = 0;
  std::uint32_t generation = 0;
  float distanceM = 0.0f;
  float azimuthDeg = 0.0f;
  int priority = 0;
  CrowdVoiceDesc desc;
};

struct FinishedEvent {
  std::uint32_t slot;
  std::uint32_t generation;
};

enum class SlotState : std::uint8_t { Idle, Playing, Stopping };

// What the audio thread knows of a pool slot, beside its VoiceState.
struct SlotAudio {
  SlotState state = SlotState::Idle;
  std::uint32_t generation = 0;
  CrowdTier tier = CrowdTier::Culled;     // the kernel that renders it (Culled = none)
  CrowdTier desired = CrowdTier::Culled;  // where the LOD decision wants it
  int cluster = 0;
  int priority = 0;
  float distanceM = 0.0f;
  float panL = 0.0f, panR = 0.0f;  // gain * equal-power pan
  float gainLin = 0.0f;
  std::int64_t samplesLeft = -1;  // -1 = until stopped
  // Send into the cluster bus while cross-fading to or from Far (current, target, step).
  float sL = 0.0f, sLT = 0.0f, sLS = 0.0f, sR = 0.0f, sRT = 0.0f, sRS = 0.0f;
  bool pending = false;  // a start waits for this slot's fade-out (stealing or reuse)
  std::uint32_t pendingGeneration = 0;
  CrowdVoiceDesc pendingDesc;
  bool reportFinished = false;
  std::uint32_t finishedGeneration = 0;

  bool sending() const noexcept { return sL != 0.0f || sR != 0.0f || sLT != 0.0f || sRT != 0.0f; }
};

struct SlotGame {
  bool active = false;
  std::uint32_t generation = 0;
  int priority = 0;
  float distanceM = 0.0f;
};

// Importance order: higher priority first, then nearer, then lower slot (deterministic).
inline bool moreImportant(int priorityA, float distanceA, std::uint32_t slotA, int priorityB, float distanceB,
                          std::uint32_t slotB) noexcept {
  if (priorityA != priorityB) return priorityA > priorityB;
  if (distanceA != distanceB) return distanceA < distanceB;
  return slotA < slotB;
}

class AlignedFloats {
 public:
  void allocate(std::size_t count) {
    storage_ = std::make_unique<float[]>(count + 16);
    const auto address = reinterpret_cast<std::uintptr_t>(storage_.get());
    data_ = reinterpret_cast<float*>((address + 63u) & ~static_cast<std::uintptr_t>(63u));
  }
  float* data() const noexcept { return data_; }

 private:
  std::unique_ptr<float[]> storage_;
  float* data_ = nullptr;
};

// Formant targets of a vowel, exactly as the kernels' control tick computes them (same tables).
void formantTargetsScalar(float open, float front, float formMul, float formShift, float sampleRate,
                          float* out) noexcept {
  for (int k = 0; k < crowd::kMaxFormants; ++k) {
    const float base = crowd::kVowelBaseHz[k] + crowd::kVowelOpenSpanHz[k] * open + crowd::kVowelFrontSpanHz[k] * front;
    out[k] = std::min(0.42f * sampleRate, std::max(90.0f, base * formMul + formShift));
  }
}

constexpr float kVoiceLevel = 0.25f;  // one voice at the reference distance peaks around -12 dBFS
// Level-of-detail settings held to what the engine can use: a NaN, infinite or negative field
// (a hand-edited config, a broken Blueprint) falls back to its default or to its range's edge.
// An infinite reference distance made every pan gain NaN, which the scalar and SIMD ramps then
// took different ways (-1 per sample against NaN): the crowd fuzzer's find.
CrowdLodSettings heldToRanges(CrowdLodSettings s) noexcept {
  const CrowdLodSettings defaults;
  auto held = [](float value, float fallback, float lo, float hi) {
    return isFinite(value) ? clampValue(value, lo, hi) : fallback;
  };
  s.nearDistanceM = held(s.nearDistanceM, defaults.nearDistanceM, 0.0f, 1.0e6f);
  s.midDistanceM = held(s.midDistanceM, defaults.midDistanceM, s.nearDistanceM, 1.0e6f);
  s.hysteresis = held(s.hysteresis, defaults.hysteresis, 0.0f, 10.0f);
  s.maxNear = std::clamp(s.maxNear, 0, 1 << 24);  // (their sum must not overflow)
  s.maxMid = std::clamp(s.maxMid, 0, 1 << 24);
  s.budgetMicros = held(s.budgetMicros, 0.0f, 0.0f, 1.0e9f);
  s.costNanosNear = held(s.costNanosNear, 0.0f, 0.0f, 1.0e6f);  // 0: the measured cost
  s.costNanosMid = held(s.costNanosMid, 0.0f, 0.0f, 1.0e6f);
  s.costNanosFar = held(s.costNanosFar, 0.0f, 0.0f, 1.0e6f);
  s.transitionSeconds = held(s.transitionSeconds, defaults.transitionSeconds, 0.0f, 10.0f);
  s.referenceDistanceM = held(s.referenceDistanceM, defaults.referenceDistanceM, 0.01f, 1.0e6f);
  return s;
}

// Game-thread commands and level-of-detail decisions take effect on this grid of the stream
// (a host rendering 256-sample blocks from the start meets it at every block).
constexpr int kDecisionPeriod = kCrowdDecisionSamples;

}  // namespace

CrowdProfile makeCrowdProfile(const VoiceParams& params, const CrowdStyle& style) noexcept {
  CrowdProfile p;
  const float tractScale = 17.5f / clampValue(params.tractLengthCm, 8.0f, 30.0f);
  p.formantScale = params.formantScale * tractScale;
  p.formantShiftHz = params.formantShiftHz;
  p.bandwidthScale = params.bandwidthScale * (1.0f - 0.5f * params.hollowness);
  p.f0Hz = style.f0Hz > 0.0f ? style.f0Hz : clampValue(118.0f * p.formantScale, 50.0f, 400.0f);
  p.jitter = 0.004f + 0.05f * params.jitter;
  p.shimmer = 0.03f + 0.4f * params.shimmer;
  p.subharmonic = 0.8f * clampValue(params.subharmonicOctave + 0.5f * params.subharmonicFifth, 0.0f, 1.0f);
  p.pulseDropout = params.pulseDropout;
  p.breath = 0.04f + 0.5f * params.breathiness + 0.9f * params.whisper;
  p.voicing = 1.0f - 0.95f * params.whisper;
  p.roughness = clampValue(params.roughness + 0.3f * params.struggle, 0.0f, 1.0f);
  p.openQuotient = clampValue(0.65f - 0.2f * (params.tension - 1.0f), 0.3f, 0.9f);
  p.syllablesPerSecond = style.syllablesPerSecond;
  p.pauseProbability = style.pauseProbability;
  p.intonation = style.intonation;
  p.vowelSpread = style.vowelSpread;
  p.gainDb = 10.0f * std::log10(clampValue(params.pressure, 0.25f, 4.0f)) + params.outputGainDb;
  return p;
}

bool simdPathAvailable(SimdPath path) noexcept {
  return path == SimdPath::Auto || path == SimdPath::Scalar || kernelsFor(path) != nullptr;
}

struct CrowdEngine::Impl {
  float fs = 48000.0f;
  int maxBlock = 0;
  int capacity = 0;
  const KernelTable* kernels = nullptr;

  SpscQueue<Command> commands;
  SpscQueue<FinishedEvent> finished;
  ParamPipeline<CrowdLodSettings> settingsPipe;
  ParamPipeline<CrowdStats> statsPipe;
  std::atomic<std::uint32_t> rejected{0};

  // Game thread.
  std::vector<SlotGame> game;
  std::vector<std::uint32_t> freeSlots;
  int playing = 0;
  CrowdStats lastStats;

  // Audio thread.
  CrowdLodSettings settings;
  std::vector<VoiceState> voices;
  std::vector<SlotAudio> slots;
  std::vector<int> order, nearList, midList, farList;
  int clusterStart[kCrowdMaxClusters + 1] = {};
  std::unique_ptr<LaneBlock> lanes;
  VoiceState silent;
  AlignedFloats busL, busR, send;
  AlignedFloats clusterBus;  // [cluster][L/R][maxBlock * kMaxLanes]
  bool clusterTouched[kCrowdMaxClusters] = {};
  bool clusterRinging[kCrowdMaxClusters][2] = {};  // a tract whose states are not yet zero
  int clusterVoices[kCrowdMaxClusters] = {};
  Svf clusterTract[kCrowdMaxClusters][2][3];
  std::uint64_t clock = 0;
  std::uint64_t blocks = 0;
  float costNs[3] = {0.0f, 0.0f, 0.0f};
  CrowdStats stats;

  // Game thread: one command into the queue; a full queue refuses it (counted in stats).
  bool pushCommand(const Command& cmd) noexcept {
    if (commands.push(cmd)) return true;
    rejected.fetch_add(1, std::memory_order_relaxed);
    return false;
  }

  float* clusterChannel(int cluster, int channel) const noexcept {
    return clusterBus.data() + (static_cast<std::size_t>(cluster) * 2 + static_cast<std::size_t>(channel)) *
                                   static_cast<std::size_t>(maxBlock) * kMaxLanes;
  }

  // --- voice setup (audio thread; no allocation) ---------------------------------------
  void makeVoiceState(const CrowdVoiceDesc& desc, VoiceState& v) const noexcept {
    Random r(desc.seed, 0x43524F57u);  // "CROW": crowd voices never share a stream with Voice
    // A NaN or infinite field falls back to the neutral profile's value (clampValue lets NaN through).
    CrowdProfile p = desc.profile;
    const CrowdProfile neutral;
    // clang-format off
    float* fields[] = {&p.f0Hz, &p.jitter, &p.shimmer, &p.subharmonic, &p.pulseDropout, &p.breath, &p.voicing,
                       &p.roughness, &p.openQuotient, &p.formantScale, &p.formantShiftHz, &p.bandwidthScale,
                       &p.syllablesPerSecond, &p.pauseProbability, &p.intonation, &p.vowelSpread, &p.gainDb};
    // clang-format on
    // clang-format off
    const float defaults[] = {neutral.f0Hz, neutral.jitter, neutral.shimmer, neutral.subharmonic, neutral.pulseDropout,
                              neutral.breath, neutral.voicing, neutral.roughness, neutral.openQuotient,
                              neutral.formantScale, neutral.formantShiftHz, neutral.bandwidthScale,
                              neutral.syllablesPerSecond, neutral.pauseProbability, neutral.intonation,
                              neutral.vowelSpread, neutral.gainDb};
    // clang-format on
    for (std::size_t i = 0; i < sizeof(defaults) / sizeof(defaults[0]); ++i) {
      if (!isFinite(*fields[i])) *fields[i] = defaults[i];
    }
    v = VoiceState{};
    v.f0Base = clampValue(p.f0Hz * (1.0f + 0.12f * r.bipolar()), 40.0f, 800.0f);
    v.jitter = clampValue(p.jitter, 0.0f, 0.5f);
    v.shimmer = clampValue(p.shimmer, 0.0f, 1.0f);
    v.subDepth = clampValue(p.subharmonic, 0.0f, 1.0f);
    v.dropout = clampValue(p.pulseDropout, 0.0f, 1.0f);
    v.breath = clampValue(p.breath, 0.0f, 2.0f);
    v.voicing = clampValue(p.voicing, 0.0f, 1.0f);
    // Low-passed uniform noise has std 0.577 * sqrt(c / (2 - c)); normalise so roughness 1
    // modulates the amplitude by about +-50 % (one standard deviation).
    const float w = 6.2831853f * crowd::kRoughnessCutoffHz / fs;
    const float c = w / (1.0f + w);
    v.roughAmt = clampValue(p.roughness, 0.0f, 1.0f) * 0.5f / (0.577f * std::sqrt(c / (2.0f - c)));
    v.invOQ = 1.0f / clampValue(p.openQuotient, 0.2f, 0.95f);
    v.formMul = clampValue(p.formantScale, 0.3f, 3.0f) * (1.0f + 0.04f * r.bipolar());
    v.formShift = clampValue(p.formantShiftHz, -1000.0f, 1000.0f);
    v.bwMul = clampValue(p.bandwidthScale, 0.2f, 5.0f);
    v.sylRate = clampValue(p.syllablesPerSecond, 0.05f, 20.0f) * static_cast<float>(kControlPeriod) / fs;
    v.pauseProb = clampValue(p.pauseProbability, 0.0f, 1.0f);
    v.intonation = clampValue(p.intonation, 0.0f, 1.0f);
    v.vowelSpread = clampValue(p.vowelSpread, 0.0f, 1.0f);
    v.phase = r.uniform();
    v.periodScale = 1.0f;
    v.pulseAmp = 1.0f;
    v.subSign = 1.0f;
    v.f0 = v.f0Target = v.f0Base;
    v.sylPos = r.uniform();
    v.sylInc = v.sylRate * (0.7f + 0.6f * r.uniform());
    v.sylLoud = 0.55f + 0.45f * r.uniform();
    v.vOpen = 0.5f + v.vowelSpread * (r.uniform() - 0.5f);
    v.vFront = 0.5f + v.vowelSpread * (r.uniform() - 0.5f);
    float fq[crowd::kMaxFormants];
    formantTargetsScalar(v.vOpen, v.vFront, v.formMul, v.formShift, fs, fq);
    v.fq0 = fq[0];
    v.fq1 = fq[1];
    v.fq2 = fq[2];
    v.fq3 = fq[3];
    v.fq4 = fq[4];
    v.rng = r.nextU32() | 1u;  // xorshift state must not be zero
  }

  void setPosition(SlotAudio& slot, float distanceM, float azimuthDeg) const noexcept {
    slot.distanceM = isFinite(distanceM) ? std::max(0.0f, distanceM) : 1.0e6f;
    const float reference = std::max(0.01f, settings.referenceDistanceM);
    const float attenuation = reference / std::max(reference, slot.distanceM);
    const float az = clampValue(isFinite(azimuthDeg) ? azimuthDeg : 0.0f, -90.0f, 90.0f);
    const float theta = (az + 90.0f) / 180.0f * 1.5707963f;  // equal-power pan law
    slot.panL = slot.gainLin * attenuation * std::cos(theta);
    slot.panR = slot.gainLin * attenuation * std::sin(theta);
  }

  void configureCluster(int cluster, const VoiceState& v) noexcept {
    float fq[crowd::kMaxFormants];
    formantTargetsScalar(0.5f, 0.5f, v.formMul, v.formShift, fs, fq);
    for (int channel = 0; channel < 2; ++channel) {
      for (int k = 0; k < 3; ++k) {
        const float bandwidth = crowd::kFormantBandwidthHz[k] * v.bwMul;
        clusterTract[cluster][channel][k].setup(fq[k], fq[k] / bandwidth, fs);
      }
    }
  }

  void startSlot(std::uint32_t index, const CrowdVoiceDesc& desc, std::uint32_t generation) noexcept {
    SlotAudio& slot = slots[index];
    VoiceState& v = voices[index];
    makeVoiceState(desc, v);
    slot.state = SlotState::Playing;
    slot.generation = generation;
    slot.tier = CrowdTier::Culled;  // enters its first tier from silence
    slot.desired = CrowdTier::Culled;
    slot.cluster = std::clamp(desc.cluster, 0, kCrowdMaxClusters - 1);
    slot.priority = desc.priority;
    float db = desc.gainDb + desc.profile.gainDb;
    db = isFinite(db) ? clampValue(db, -96.0f, 24.0f) : 0.0f;
    slot.gainLin = kVoiceLevel * std::pow(10.0f, db / 20.0f);
    setPosition(slot, desc.distanceM, desc.azimuthDeg);
    // A duration that is not a positive finite number plays until stopped; a huge one is held
    // to ~650 years at 48 kHz (converting 1e30 s or infinity to samples overflowed: fuzzer find).
    const double duration = static_cast<double>(desc.durationSeconds);
    slot.samplesLeft = isFinite(desc.durationSeconds) && duration > 0.0
                           ? static_cast<std::int64_t>(std::min(duration * static_cast<double>(fs), 1e15))
                           : -1;
    slot.sL = slot.sLT = slot.sLS = slot.sR = slot.sRT = slot.sRS = 0.0f;
    slot.reportFinished = false;
    if (clusterVoices[slot.cluster] == 0) configureCluster(slot.cluster, v);
    ++clusterVoices[slot.cluster];
  }

  void releaseSlot(std::uint32_t index) noexcept {
    SlotAudio& slot = slots[index];
    slot.state = SlotState::Idle;
    slot.tier = CrowdTier::Culled;
    --clusterVoices[slot.cluster];
    if (slot.pending) {
      slot.pending = false;
      startSlot(index, slot.pendingDesc, slot.pendingGeneration);
    }
  }

  void stopSlot(SlotAudio& slot) noexcept {
    if (slot.state == SlotState::Playing) slot.state = SlotState::Stopping;
  }

  void drainCommands() noexcept {
    Command cmd;
    // Bounded: at most the queue's capacity per block.
    for (std::size_t n = commands.capacity(); n > 0 && commands.pop(cmd); --n) {
      if (cmd.slot >= static_cast<std::uint32_t>(capacity)) continue;
      SlotAudio& slot = slots[cmd.slot];
      const bool current = slot.state != SlotState::Idle && slot.generation == cmd.generation;
      const bool pendingOne = slot.pending && slot.pendingGeneration == cmd.generation;
      switch (cmd.type) {
        case CommandType::Start:
          if (slot.state == SlotState::Idle) {
            startSlot(cmd.slot, cmd.desc, cmd.generation);
          } else {  // stolen or reused before its fade-out ended: start when it has faded
            stopSlot(slot);
            slot.pending = true;
            slot.pendingGeneration = cmd.generation;
            slot.pendingDesc = cmd.desc;
          }
          break;
        case CommandType::Stop:
          if (pendingOne) {
            slot.pending = false;
          } else if (current) {
            stopSlot(slot);
          }
          break;
        case CommandType::Position:
          if (pendingOne) {
            slot.pendingDesc.distanceM = cmd.distanceM;
            slot.pendingDesc.azimuthDeg = cmd.azimuthDeg;
          } else if (current) {
            setPosition(slot, cmd.distanceM, cmd.azimuthDeg);
          }
          break;
        case CommandType::Priority:
          if (pendingOne) {
            slot.pendingDesc.priority = cmd.priority;
          } else if (current) {
            slot.priority = cmd.priority;
          }
          break;
      }
    }
  }

  // --- level of detail -------------------------------------------------------------------
  CrowdTier tierFromDistance(const SlotAudio& slot) const noexcept {
    const int current = slot.tier == CrowdTier::Culled ? 2 : static_cast<int>(slot.tier);
    return static_cast<CrowdTier>(lodTierForDistance(
        slot.distanceM, current, {settings.nearDistanceM, settings.midDistanceM, settings.hysteresis}));
  }

  // Explicit costs in the settings win over the ones prepare() measured.
  float tierCost(CrowdTier tier, int n) const noexcept {
    if (tier == CrowdTier::Culled) return 0.0f;
    const float set[3] = {settings.costNanosNear, settings.costNanosMid, settings.costNanosFar};
    const int i = static_cast<int>(tier);
    return (set[i] > 0.0f ? set[i] : costNs[i]) * static_cast<float>(n) * 1.0e-3f;
  }

  void decideTiers(int n) noexcept {
    order.clear();  // capacity reserved in prepare: never reallocates
    int wantNear = 0, wantMid = 0;
    float estimate = 0.0f;
    for (int i = 0; i < capacity; ++i) {
      SlotAudio& slot = slots[static_cast<std::size_t>(i)];
      if (slot.state != SlotState::Playing) continue;
      slot.desired = tierFromDistance(slot);
      wantNear += slot.desired == CrowdTier::Near;
      wantMid += slot.desired == CrowdTier::Mid;
      estimate += tierCost(slot.desired, n);
      order.push_back(i);
    }
    const bool overBudget = settings.budgetMicros > 0.0f && estimate > settings.budgetMicros;
    if (wantNear > settings.maxNear || wantNear + wantMid > settings.maxNear + settings.maxMid || overBudget) {
      std::sort(order.begin(), order.end(), [this](int a, int b) {
        const SlotAudio& sa = slots[static_cast<std::size_t>(a)];
        const SlotAudio& sb = slots[static_cast<std::size_t>(b)];
        return moreImportant(sa.priority, sa.distanceM, static_cast<std::uint32_t>(a), sb.priority, sb.distanceM,
                             static_cast<std::uint32_t>(b));
      });
      // Tier caps: the most important voices keep the tiers they want.
      int nearUsed = 0, midUsed = 0;
      estimate = 0.0f;
      for (int index : order) {
        SlotAudio& slot = slots[static_cast<std::size_t>(index)];
        if (slot.desired == CrowdTier::Near && nearUsed >= settings.maxNear) slot.desired = CrowdTier::Mid;
        if (slot.desired == CrowdTier::Mid && midUsed >= settings.maxMid) slot.desired = CrowdTier::Far;
        nearUsed += slot.desired == CrowdTier::Near;
        midUsed += slot.desired == CrowdTier::Mid;
        estimate += tierCost(slot.desired, n);
      }
      // CPU budget: lower the least important voices one tier at a time, Near first.
      if (settings.budgetMicros > 0.0f) {
        const CrowdTier steps[3][2] = {
            {CrowdTier::Near, CrowdTier::Mid}, {CrowdTier::Mid, CrowdTier::Far}, {CrowdTier::Far, CrowdTier::Culled}};
        for (const auto& step : steps) {
          for (auto it = order.rbegin(); it != order.rend() && estimate > settings.budgetMicros; ++it) {
            SlotAudio& slot = slots[static_cast<std::size_t>(*it)];
            if (slot.desired != step[0]) continue;
            estimate += tierCost(step[1], n) - tierCost(step[0], n);
            slot.desired = step[1];
          }
        }
      }
    }
    stats.estimatedMicros = estimate;
    for (int index : order) applyTargets(static_cast<std::uint32_t>(index));
  }

  static void setRamp(float value, float& target, float& step, float newTarget, float rampSamples) noexcept {
    if (newTarget == target) return;
    target = newTarget;
    step = std::fabs(newTarget - value) / rampSamples;
    if (!(step > 0.0f)) step = 1.0f;  // already there
  }

  void resetResonators(VoiceState& v, int from) const noexcept {
    float* states[crowd::kMaxFormants][2] = {
        {&v.s0a, &v.s0b}, {&v.s1a, &v.s1b}, {&v.s2a, &v.s2b}, {&v.s3a, &v.s3b}, {&v.s4a, &v.s4b}};
    for (int k = from; k < crowd::kMaxFormants; ++k) *states[k][0] = *states[k][1] = 0.0f;
  }

  // Moves a playing voice toward its desired tier: enters the new kernel at once where that
  // can start from silence (Mid -> Near, Far -> Near/Mid, Culled -> any), otherwise fades the
  // old contribution out while the new one (nearMix, or the Far send) fades in.
  void applyTargets(std::uint32_t index) noexcept {
    SlotAudio& slot = slots[index];
    VoiceState& v = voices[index];
    const float ramp = std::max(1.0f, settings.transitionSeconds * fs);
    const CrowdTier want = slot.desired;
    if (slot.tier == CrowdTier::Culled && want != CrowdTier::Culled) {
      slot.tier = want;
      v.gL = v.gR = v.gLT = v.gRT = 0.0f;
      v.nearMix = v.nearMixT = 0.0f;
      resetResonators(v, 0);
    } else if (slot.tier == CrowdTier::Far && (want == CrowdTier::Near || want == CrowdTier::Mid)) {
      slot.tier = want;  // the Far contribution continues through the send and fades out
      slot.sL = v.gL;
      slot.sR = v.gR;
      slot.sLT = slot.sRT = -1.0f;  // forces setRamp below
      v.gL = v.gR = v.gLT = v.gRT = 0.0f;
      v.nearMix = v.nearMixT = 0.0f;
      resetResonators(v, 0);
    } else if (slot.tier == CrowdTier::Mid && want == CrowdTier::Near) {
      slot.tier = CrowdTier::Near;
      v.nearMix = v.nearMixT = 0.0f;
      resetResonators(v, 3);
    }
    const bool leaving = want != slot.tier && (want == CrowdTier::Far || want == CrowdTier::Culled);
    const bool voiced = slot.tier == CrowdTier::Near || slot.tier == CrowdTier::Mid;
    setRamp(v.gL, v.gLT, v.gLS, leaving ? 0.0f : slot.panL, ramp);
    setRamp(v.gR, v.gRT, v.gRS, leaving ? 0.0f : slot.panR, ramp);
    const bool sendIn = voiced && want == CrowdTier::Far;
    setRamp(slot.sL, slot.sLT, slot.sLS, sendIn ? slot.panL : 0.0f, ramp);
    setRamp(slot.sR, slot.sRT, slot.sRS, sendIn ? slot.panR : 0.0f, ramp);
    setRamp(v.nearMix, v.nearMixT, v.nearMixS, (slot.tier == CrowdTier::Near && want == CrowdTier::Near) ? 1.0f : 0.0f,
            ramp);
  }

  // Stopping voices fade to silence wherever they are.
  void applyStopTargets(std::uint32_t index) noexcept {
    SlotAudio& slot = slots[index];
    VoiceState& v = voices[index];
    const float ramp = std::max(1.0f, settings.transitionSeconds * fs);
    setRamp(v.gL, v.gLT, v.gLS, 0.0f, ramp);
    setRamp(v.gR, v.gRT, v.gRS, 0.0f, ramp);
    setRamp(slot.sL, slot.sLT, slot.sLS, 0.0f, ramp);
    setRamp(slot.sR, slot.sRT, slot.sRS, 0.0f, ramp);
  }

  // --- rendering ---------------------------------------------------------------------------
  float* touchCluster(int cluster, int n) noexcept {
    const int width = kernels->width;
    if (!clusterTouched[cluster]) {
      clusterTouched[cluster] = true;
      std::memset(clusterChannel(cluster, 0), 0, sizeof(float) * static_cast<std::size_t>(n * width));
      std::memset(clusterChannel(cluster, 1), 0, sizeof(float) * static_cast<std::size_t>(n * width));
    }
    return clusterChannel(cluster, 0);
  }

  static float rampScalar(float value, float target, float step) noexcept {
    return value + std::min(step, std::max(-step, target - value));
  }

  void runGroups(const int* ids, int count, KernelFn fn, KernelArgs args, bool withSends) noexcept {
    const int width = kernels->width;
    LaneBlock& block = *lanes;
    for (int start = 0; start < count; start += width) {
      const int used = std::min(width, count - start);
      bool anySend = false;
      for (int lane = 0; lane < width; ++lane) {
        if (lane < used) {
          const int id = ids[start + lane];
          crowd::gatherLane(block, lane, voices[static_cast<std::size_t>(id)]);
          anySend = anySend || (withSends && slots[static_cast<std::size_t>(id)].sending());
        } else {
          crowd::gatherLane(block, lane, silent);
        }
      }
      args.send = anySend ? send.data() : nullptr;
      fn(args);
      for (int lane = 0; lane < used; ++lane) {
        const int id = ids[start + lane];
        crowd::scatterLane(block, lane, voices[static_cast<std::size_t>(id)]);
        SlotAudio& slot = slots[static_cast<std::size_t>(id)];
        if (!anySend || !slot.sending()) continue;
        // The voice's source goes on into its cluster bus while it cross-fades with Far.
        float* busLeft = touchCluster(slot.cluster, args.numSamples);
        float* busRight = clusterChannel(slot.cluster, 1);
        const float* src = send.data() + lane;
        for (int i = 0; i < args.numSamples; ++i) {
          const float x = src[i * width];
          busLeft[i * width] += x * slot.sL;
          busRight[i * width] += x * slot.sR;
          slot.sL = rampScalar(slot.sL, slot.sLT, slot.sLS);
          slot.sR = rampScalar(slot.sR, slot.sRT, slot.sRS);
        }
      }
    }
  }

  void buildLists() noexcept {
    nearList.clear();
    midList.clear();
    farList.clear();
    int perCluster[kCrowdMaxClusters] = {};
    for (int i = 0; i < capacity; ++i) {
      const SlotAudio& slot = slots[static_cast<std::size_t>(i)];
      if (slot.state == SlotState::Idle) continue;
      switch (slot.tier) {
        case CrowdTier::Near: nearList.push_back(i); break;
        case CrowdTier::Mid: midList.push_back(i); break;
        case CrowdTier::Far: ++perCluster[slot.cluster]; break;
        case CrowdTier::Culled: break;
      }
    }
    // Far voices sorted by cluster (counting sort), so each lane block feeds one cluster bus.
    clusterStart[0] = 0;
    for (int c = 0; c < kCrowdMaxClusters; ++c) clusterStart[c + 1] = clusterStart[c] + perCluster[c];
    farList.resize(static_cast<std::size_t>(clusterStart[kCrowdMaxClusters]));  // within reserved capacity
    int fill[kCrowdMaxClusters];
    for (int c = 0; c < kCrowdMaxClusters; ++c) fill[c] = clusterStart[c];
    for (int i = 0; i < capacity; ++i) {
      const SlotAudio& slot = slots[static_cast<std::size_t>(i)];
      if (slot.state != SlotState::Idle && slot.tier == CrowdTier::Far) {
        farList[static_cast<std::size_t>(fill[slot.cluster]++)] = i;
      }
    }
  }

  void finishBlock(int n) noexcept {
    stats.active = 0;
    stats.transitions = 0;
    for (int& count : stats.perTier) count = 0;
    for (int i = 0; i < capacity; ++i) {
      SlotAudio& slot = slots[static_cast<std::size_t>(i)];
      VoiceState& v = voices[static_cast<std::size_t>(i)];
      if (slot.reportFinished && finished.push({static_cast<std::uint32_t>(i), slot.finishedGeneration})) {
        slot.reportFinished = false;
      }
      if (slot.state == SlotState::Idle) continue;
      const bool silentNow = v.gL == 0.0f && v.gR == 0.0f && slot.sL == 0.0f && slot.sR == 0.0f;
      if (slot.state == SlotState::Stopping) {
        if (silentNow || slot.tier == CrowdTier::Culled) {
          releaseSlot(static_cast<std::uint32_t>(i));  // starts a pending voice, if any
        } else {
          ++stats.active;
          ++stats.perTier[static_cast<int>(slot.tier)];
        }
        continue;
      }
      // Cross-fades that have finished hand the voice to its new kernel.
      if (slot.tier == CrowdTier::Near && slot.desired != CrowdTier::Near && v.nearMix == 0.0f &&
          slot.desired == CrowdTier::Mid) {
        slot.tier = CrowdTier::Mid;
      }
      // Handed over only once the Near-only effects are gone too (nearMix 0): the Near kernel
      // then computes the very source the Far kernel does, so where in a block the hand-over
      // falls changes no bit. Its gains could reach 0 a sample before nearMix did, and the Far
      // kernel then dropped the last step of the effects in some block sizes and not in others.
      if ((slot.tier == CrowdTier::Near || slot.tier == CrowdTier::Mid) && slot.desired == CrowdTier::Far &&
          v.gL == 0.0f && v.gR == 0.0f && v.nearMix == 0.0f && slot.sL == slot.sLT && slot.sR == slot.sRT) {
        slot.tier = CrowdTier::Far;
        v.gL = v.gLT = slot.sL;
        v.gR = v.gRT = slot.sR;
        slot.sL = slot.sLT = slot.sR = slot.sRT = 0.0f;
      }
      if (slot.desired == CrowdTier::Culled && silentNow) slot.tier = CrowdTier::Culled;
      if (slot.tier != slot.desired || slot.sending() || v.nearMix != v.nearMixT) ++stats.transitions;
      if (slot.samplesLeft >= 0) {
        slot.samplesLeft -= n;
        if (slot.samplesLeft <= 0) {
          slot.samplesLeft = -1;
          stopSlot(slot);
          slot.reportFinished = true;
          slot.finishedGeneration = slot.generation;
        }
      }
      ++stats.active;
      ++stats.perTier[static_cast<int>(slot.tier)];
    }
  }

  // How many decision periods, from a decision point, the pool is sure to sit through unchanged:
  // nothing waits (commands, settings), every voice is settled (in its tier, gains and mixes at
  // their targets, no send, none stopping), and no duration runs out before the last of them
  // ends. Each decision point inside would then decide nothing new, so one stretch can run
  // through them: the same bits as stopping at each, without the cost of a kernel call per
  // period (a host rendering 1024-sample blocks paid 5-19% more for that).
  int quietPeriods(int wanted) noexcept {
    if (wanted <= 1 || !commands.empty() || settingsPipe.hasNew()) return 1;
    for (int i = 0; i < capacity; ++i) {
      const SlotAudio& slot = slots[static_cast<std::size_t>(i)];
      if (slot.state == SlotState::Idle) continue;
      const VoiceState& v = voices[static_cast<std::size_t>(i)];
      if (slot.state != SlotState::Playing || slot.tier != slot.desired || slot.sending() || v.gL != v.gLT ||
          v.gR != v.gRT || v.nearMix != v.nearMixT) {
        return 1;
      }
      if (slot.samplesLeft >= 0) {
        // It runs out at the end of period ceil(samplesLeft / kDecisionPeriod): the stretch may end there.
        const std::int64_t periods = (slot.samplesLeft + kDecisionPeriod - 1) / kDecisionPeriod;
        wanted = static_cast<int>(std::max<std::int64_t>(1, std::min<std::int64_t>(wanted, periods)));
      }
    }
    return wanted;
  }

  // One stretch of up to `room` (<= maxBlock) samples; returns its length. It ends at the next
  // decision point, or runs on through as many as quietPeriods() allows. Commands, settings,
  // tiers, hand-overs, releases and durations are taken only at the decision points, every
  // kDecisionPeriod samples of the stream: where the host's blocks end then changes no bit of
  // the bus (decided per host block, a stolen slot's new voice, a duration's end or a culled
  // voice's freeze fell on other samples in other block sizes).
  int renderBlock(float* left, float* right, int room) noexcept {
    int toDecision = kDecisionPeriod - static_cast<int>(clock % kDecisionPeriod);
    if (toDecision == kDecisionPeriod) {
      CrowdLodSettings fresh;
      if (settingsPipe.read(fresh)) settings = heldToRanges(fresh);
      drainCommands();
      for (int i = 0; i < capacity; ++i) {
        if (slots[static_cast<std::size_t>(i)].state == SlotState::Stopping)
          applyStopTargets(static_cast<std::uint32_t>(i));
      }
      decideTiers(kDecisionPeriod);  // the budget is per decision period
      buildLists();
      // Judged on the pool as this point's decisions left it.
      toDecision = quietPeriods(room / kDecisionPeriod) * kDecisionPeriod;
    }
    const int n = std::min(room, toDecision);

    const int width = kernels->width;
    std::memset(busL.data(), 0, sizeof(float) * static_cast<std::size_t>(n * width));
    std::memset(busR.data(), 0, sizeof(float) * static_cast<std::size_t>(n * width));
    for (bool& touched : clusterTouched) touched = false;

    KernelArgs args;
    args.lanes = lanes.get();
    args.numSamples = n;
    args.firstTick = static_cast<int>((kControlPeriod - clock % kControlPeriod) % kControlPeriod);
    args.sampleRate = fs;
    args.busL = busL.data();
    args.busR = busR.data();
    runGroups(nearList.data(), static_cast<int>(nearList.size()), kernels->renderNear, args, true);
    runGroups(midList.data(), static_cast<int>(midList.size()), kernels->renderMid, args, true);
    for (int c = 0; c < kCrowdMaxClusters; ++c) {
      const int count = clusterStart[c + 1] - clusterStart[c];
      if (count == 0) continue;
      args.busL = touchCluster(c, n);
      args.busR = clusterChannel(c, 1);
      runGroups(farList.data() + clusterStart[c], count, kernels->renderFar, args, false);
    }

    // Lanes -> stereo.
    for (int i = 0; i < n; ++i) {
      float l = 0.0f, r = 0.0f;
      for (int lane = 0; lane < width; ++lane) {
        l += busL.data()[i * width + lane];
        r += busR.data()[i * width + lane];
      }
      left[i] = l;
      right[i] = r;
    }
    // Cluster buses -> their shared tract -> stereo. A tract rings on after its last Far voice
    // has gone, until a silent sample finds its states below -400 dB: they are zeroed there and it
    // rests, which is then the same as running it on silence. Both are judged per sample, never by
    // counting blocks: a tail of eight blocks (as it was) ended on another sample in other block
    // sizes and left other states behind for the next voice (found beside the crowd fuzzer).
    constexpr float kRestLevel = 1e-20f;
    for (int c = 0; c < kCrowdMaxClusters; ++c) {
      const bool touched = clusterTouched[c];
      if (!touched && !clusterRinging[c][0] && !clusterRinging[c][1]) continue;
      if (!touched) touchCluster(c, n);  // a silent bus for the tail
      for (int channel = 0; channel < 2; ++channel) {
        bool& ringing = clusterRinging[c][channel];
        if (!touched && !ringing) continue;
        const float* bus = clusterChannel(c, channel);
        float* out = channel == 0 ? left : right;
        Svf* tract = clusterTract[c][channel];
        for (int i = 0; i < n; ++i) {
          float x = 0.0f;
          for (int lane = 0; lane < width; ++lane) x += bus[i * width + lane];
          out[i] += tract[0].bandPass(x) * crowd::kFormantGain[0] + tract[1].bandPass(x) * crowd::kFormantGain[1] +
                    tract[2].bandPass(x) * crowd::kFormantGain[2];
          if (x != 0.0f) {
            ringing = true;
          } else if (ringing && tract[0].quieterThan(kRestLevel) && tract[1].quieterThan(kRestLevel) &&
                     tract[2].quieterThan(kRestLevel)) {
            for (int k = 0; k < 3; ++k) tract[k].reset();
            ringing = false;
            if (!touched) break;  // the rest of an untouched block is silence in, silence out
          }
        }
      }
    }
    // Each decision point the stretch reached or ran through ends a period (a quiet one changes
    // nothing but the durations' countdown).
    const std::uint64_t passed = (clock + static_cast<std::uint64_t>(n)) / kDecisionPeriod - clock / kDecisionPeriod;
    clock += static_cast<std::uint64_t>(n);
    for (std::uint64_t k = 0; k < passed; ++k) finishBlock(kDecisionPeriod);
    stats.blocks = ++blocks;
    stats.commandsRejected = rejected.load(std::memory_order_relaxed);
    statsPipe.write(stats);
    return n;
  }
};

CrowdEngine::CrowdEngine() : impl_(std::make_unique<Impl>()) {}
CrowdEngine::~CrowdEngine() = default;

bool CrowdEngine::prepare(double sampleRate, int maxBlock, int capacity, SimdPath path) {
  if (!(sampleRate >= kMinSampleRateHz && sampleRate <= kMaxSampleRateHz)) return false;
  if (maxBlock < 1 || maxBlock > 8192 || capacity < 1 || capacity > 65536) return false;
  const KernelTable* table = kernelsFor(path);
  if (table == nullptr) return false;
  Impl& m = *impl_;
  m.fs = static_cast<float>(sampleRate);
  m.maxBlock = maxBlock;
  m.capacity = capacity;
  m.kernels = table;
  const auto cap = static_cast<std::size_t>(capacity);
  m.commands.allocate(std::max<std::size_t>(4096, cap * 4));
  m.finished.allocate(cap + 16);
  m.game.assign(cap, SlotGame{});
  m.freeSlots.clear();
  for (int i = capacity - 1; i >= 0; --i) m.freeSlots.push_back(static_cast<std::uint32_t>(i));
  m.playing = 0;
  m.voices.assign(cap, VoiceState{});
  m.slots.assign(cap, SlotAudio{});
  m.order.reserve(cap);
  m.nearList.reserve(cap);
  m.midList.reserve(cap);
  m.farList.reserve(cap);
  m.lanes = std::make_unique<LaneBlock>();
  const auto laneFloats = static_cast<std::size_t>(maxBlock) * kMaxLanes;
  m.busL.allocate(laneFloats);
  m.busR.allocate(laneFloats);
  m.send.allocate(laneFloats);
  m.clusterBus.allocate(laneFloats * 2 * kCrowdMaxClusters);
  for (auto& cluster : m.clusterTract) {
    for (auto& channel : cluster) {
      for (Svf& svf : channel) {
        svf.setup(500.0f, 5.0f, m.fs);
        svf.reset();
      }
    }
  }
  for (int& count : m.clusterVoices) count = 0;
  for (auto& cluster : m.clusterRinging) cluster[0] = cluster[1] = false;
  CrowdVoiceDesc quiet;
  m.makeVoiceState(quiet, m.silent);
  m.settings = CrowdLodSettings{};
  m.settingsPipe.write(m.settings);
  m.clock = 0;
  m.blocks = 0;
  m.stats = CrowdStats{};
  m.lastStats = CrowdStats{};
  calibrateCosts();
  return true;
}

void CrowdEngine::calibrateCosts() {
  Impl& m = *impl_;
  if (m.kernels == nullptr) return;
  const int n = std::min(256, m.maxBlock);
  const int width = m.kernels->width;
  KernelArgs args;
  args.lanes = m.lanes.get();
  args.numSamples = n;
  args.sampleRate = m.fs;
  args.busL = m.busL.data();
  args.busR = m.busR.data();
  const KernelFn fns[3] = {m.kernels->renderNear, m.kernels->renderMid, m.kernels->renderFar};
  for (int tier = 0; tier < 3; ++tier) {
    CrowdVoiceDesc desc;
    for (int lane = 0; lane < width; ++lane) {
      desc.seed = static_cast<std::uint64_t>(lane + 1);
      VoiceState v;
      m.makeVoiceState(desc, v);
      v.gL = v.gLT = v.gR = v.gRT = 0.1f;
      crowd::gatherLane(*m.lanes, lane, v);
    }
    double best = 1.0e30;
    for (int trial = 0; trial < 5; ++trial) {
      const int reps = 16;
      const auto t0 = std::chrono::steady_clock::now();
      for (int rep = 0; rep < reps; ++rep) fns[tier](args);
      const auto t1 = std::chrono::steady_clock::now();
      const double ns = std::chrono::duration<double, std::nano>(t1 - t0).count() / (reps * n * width);
      best = std::min(best, ns);
    }
    m.costNs[tier] = static_cast<float>(best);
  }
}

SimdPath CrowdEngine::simdPath() const noexcept { return impl_->kernels ? pathOf(impl_->kernels) : SimdPath::Scalar; }
int CrowdEngine::laneWidth() const noexcept { return impl_->kernels ? impl_->kernels->width : 1; }
int CrowdEngine::capacity() const noexcept { return impl_->capacity; }
double CrowdEngine::sampleRate() const noexcept { return impl_->fs; }
void CrowdEngine::tierCosts(float out[3]) const noexcept {
  for (int i = 0; i < 3; ++i) out[i] = impl_->costNs[i];
}

CrowdVoiceHandle CrowdEngine::startVoice(const CrowdVoiceDesc& desc) noexcept {
  Impl& m = *impl_;
  if (m.capacity == 0) return {};
  std::uint32_t slot;
  bool steal = false;
  if (!m.freeSlots.empty()) {
    slot = m.freeSlots.back();
  } else {
    // Full: the least important playing voice gives way, if the new one matters more.
    std::uint32_t weakest = 0;
    for (std::uint32_t i = 1; i < static_cast<std::uint32_t>(m.capacity); ++i) {
      const SlotGame& a = m.game[i];
      const SlotGame& b = m.game[weakest];
      if (moreImportant(b.priority, b.distanceM, weakest, a.priority, a.distanceM, i)) weakest = i;
    }
    const SlotGame& w = m.game[weakest];
    if (!moreImportant(desc.priority, desc.distanceM, 1, w.priority, w.distanceM, 0)) return {};  // ties: keep
    slot = weakest;
    steal = true;
  }
  Command cmd;
  cmd.type = CommandType::Start;
  cmd.slot = slot;
  cmd.generation = m.game[slot].generation + 1;
  cmd.desc = desc;
  if (!m.pushCommand(cmd)) return {};
  if (!steal) {
    m.freeSlots.pop_back();
    ++m.playing;
  }
  SlotGame& g = m.game[slot];
  g.active = true;
  g.generation = cmd.generation;
  g.priority = desc.priority;
  g.distanceM = desc.distanceM;
  return {slot, cmd.generation};
}

namespace {
bool validHandle(const std::vector<SlotGame>& game, CrowdVoiceHandle voice) noexcept {
  return voice.slot < game.size() && game[voice.slot].active && game[voice.slot].generation == voice.generation;
}
}  // namespace

bool CrowdEngine::stopVoice(CrowdVoiceHandle voice) noexcept {
  Impl& m = *impl_;
  if (!validHandle(m.game, voice)) return false;
  Command cmd;
  cmd.type = CommandType::Stop;
  cmd.slot = voice.slot;
  cmd.generation = voice.generation;
  if (!m.pushCommand(cmd)) return false;
  m.game[voice.slot].active = false;
  m.freeSlots.push_back(voice.slot);
  --m.playing;
  return true;
}

bool CrowdEngine::setVoicePosition(CrowdVoiceHandle voice, float distanceM, float azimuthDeg) noexcept {
  Impl& m = *impl_;
  if (!validHandle(m.game, voice)) return false;
  Command cmd;
  cmd.type = CommandType::Position;
  cmd.slot = voice.slot;
  cmd.generation = voice.generation;
  cmd.distanceM = distanceM;
  cmd.azimuthDeg = azimuthDeg;
  if (!m.pushCommand(cmd)) return false;
  m.game[voice.slot].distanceM = distanceM;
  return true;
}

bool CrowdEngine::setVoicePriority(CrowdVoiceHandle voice, int priority) noexcept {
  Impl& m = *impl_;
  if (!validHandle(m.game, voice)) return false;
  Command cmd;
  cmd.type = CommandType::Priority;
  cmd.slot = voice.slot;
  cmd.generation = voice.generation;
  cmd.priority = priority;
  if (!m.pushCommand(cmd)) return false;
  m.game[voice.slot].priority = priority;
  return true;
}

bool CrowdEngine::isPlaying(CrowdVoiceHandle voice) const noexcept { return validHandle(impl_->game, voice); }
int CrowdEngine::playingCount() const noexcept { return impl_->playing; }

int CrowdEngine::pollFinished(CrowdVoiceHandle* out, int maxCount) noexcept {
  Impl& m = *impl_;
  int count = 0;
  FinishedEvent event;
  while (count < maxCount && m.finished.pop(event)) {
    SlotGame& g = m.game[event.slot];
    if (!g.active || g.generation != event.generation) continue;  // stopped or stolen meanwhile
    g.active = false;
    m.freeSlots.push_back(event.slot);
    --m.playing;
    out[count++] = {event.slot, event.generation};
  }
  return count;
}

void CrowdEngine::setLodSettings(const CrowdLodSettings& settings) noexcept { impl_->settingsPipe.write(settings); }

CrowdStats CrowdEngine::stats() noexcept {
  impl_->statsPipe.read(impl_->lastStats);
  return impl_->lastStats;
}

CrowdTier CrowdEngine::tierOf(CrowdVoiceHandle voice) const noexcept {
  const Impl& m = *impl_;
  if (voice.slot >= m.slots.size()) return CrowdTier::Culled;
  const SlotAudio& slot = m.slots[voice.slot];
  if (slot.state == SlotState::Idle || slot.generation != voice.generation) return CrowdTier::Culled;
  return slot.tier;
}

void CrowdEngine::render(float* left, float* right, int numSamples) noexcept {
  Impl& m = *impl_;
  if (m.kernels == nullptr || numSamples <= 0) {
    for (int i = 0; i < numSamples; ++i) left[i] = right[i] = 0.0f;
    return;
  }
  ScopedDenormalGuard guard;
  for (int offset = 0; offset < numSamples;) {
    offset += m.renderBlock(left + offset, right + offset, std::min(m.maxBlock, numSamples - offset));
  }
}

}  // namespace vocalsynth
