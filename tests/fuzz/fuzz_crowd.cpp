// libFuzzer target: the crowd engine (vocalsynth::CrowdEngine) under whatever a game can give it:
// any rate from 16 to 96 kHz, any pool size and block size, voices from any archetype with any
// parameters or a hand-made profile (out of range, NaN and infinities too), any distance, pan,
// gain, priority, duration and cluster, more voices than the pool holds (stealing), and moves,
// priority changes, stops (of stale and invalid handles too) and level-of-detail settings (tier
// caps, budgets, odd distances) between blocks. Every input checks, on the stereo bus:
//   - every sample is finite, and no louder than the voices started could make it;
//   - the bus does not depend on block sizes: the same scene, with the same calls at the same
//     sample positions, rendered in other blocks gives the same bits (budgets, durations and
//     stealing included: the pool decides on a fixed grid of the stream);
//   - every SIMD path the CPU has gives the scalar path's bus within the rounding of the bus's
//     own sum (each voice's bits are the same on every path; only the order of the sum differs).
// A broken promise aborts, and libFuzzer saves the input (replay: the binary and the file;
// VOCALSYNTH_FUZZ_VERBOSE=1 prints the scene it decodes to).
#include <fuzzer/FuzzedDataProvider.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <vector>

#include "fuzz_common.h"
#include "vocalsynth/archetypes.h"
#include "vocalsynth/crowd/crowd_engine.h"
#include "vocalsynth/voice_params.h"

namespace {

using vocalsynth::CrowdEngine;
using vocalsynth::CrowdLodSettings;
using vocalsynth::CrowdVoiceDesc;
using vocalsynth::CrowdVoiceHandle;
using vocalsynth::SimdPath;

constexpr int kMaxSamples = 24000;
constexpr int kMaxCalls = 12;

using vs_fuzz::verbose;
using vs_fuzz::wildValue;

// Mostly a sensible value in [lo, hi], sometimes anything a broken caller sends.
float fuzzedFloat(FuzzedDataProvider& data, float lo, float hi) {
  return data.ConsumeIntegralInRange(0, 7) == 0 ? wildValue(data) : data.ConsumeFloatingPointInRange(lo, hi);
}

CrowdVoiceDesc fuzzedVoice(FuzzedDataProvider& data) {
  CrowdVoiceDesc desc;
  const std::size_t archetype = data.ConsumeIntegralInRange<std::size_t>(0, vocalsynth::archetypeCount() - 1);
  vocalsynth::VoiceParams params = vocalsynth::archetypes()[archetype].params;
  const int overrides = data.ConsumeIntegralInRange(0, 3);
  for (int i = 0; i < overrides; ++i) {
    const vocalsynth::ParamInfo& info =
        vocalsynth::paramInfos()[data.ConsumeIntegralInRange<std::size_t>(0, vocalsynth::paramCount() - 1)];
    params.*(info.member) = fuzzedFloat(data, info.minValue, info.maxValue);
  }
  vocalsynth::CrowdStyle style;
  if (data.ConsumeBool()) {
    style.f0Hz = fuzzedFloat(data, 0.0f, 500.0f);
    style.syllablesPerSecond = fuzzedFloat(data, 0.0f, 25.0f);
    style.pauseProbability = fuzzedFloat(data, 0.0f, 1.0f);
    style.intonation = fuzzedFloat(data, 0.0f, 1.0f);
    style.vowelSpread = fuzzedFloat(data, 0.0f, 1.0f);
  }
  desc.profile = vocalsynth::makeCrowdProfile(params, style);
  if (data.ConsumeIntegralInRange(0, 3) == 0) {
    // A hand-made profile field (the struct is public: a game may fill it itself).
    float* fields[] = {&desc.profile.f0Hz,         &desc.profile.jitter,         &desc.profile.shimmer,
                       &desc.profile.subharmonic,  &desc.profile.pulseDropout,   &desc.profile.breath,
                       &desc.profile.voicing,      &desc.profile.roughness,      &desc.profile.openQuotient,
                       &desc.profile.formantScale, &desc.profile.formantShiftHz, &desc.profile.bandwidthScale,
                       &desc.profile.gainDb};
    *fields[data.ConsumeIntegralInRange<std::size_t>(0, std::size(fields) - 1)] = wildValue(data);
  }
  desc.distanceM = fuzzedFloat(data, 0.0f, 80.0f);
  desc.azimuthDeg = fuzzedFloat(data, -180.0f, 180.0f);
  desc.gainDb = fuzzedFloat(data, -40.0f, 24.0f);
  desc.priority = data.ConsumeIntegralInRange(-3, 3);
  desc.durationSeconds = data.ConsumeIntegralInRange(0, 3) == 0 ? fuzzedFloat(data, 0.0f, 0.5f) : 0.0f;
  desc.cluster = data.ConsumeIntegralInRange(-2, vocalsynth::kCrowdMaxClusters + 1);
  desc.seed = data.ConsumeIntegral<std::uint32_t>();
  return desc;
}

CrowdLodSettings fuzzedSettings(FuzzedDataProvider& data) {
  CrowdLodSettings s;
  s.nearDistanceM = fuzzedFloat(data, 0.0f, 40.0f);
  s.midDistanceM = fuzzedFloat(data, 0.0f, 80.0f);
  s.hysteresis = fuzzedFloat(data, 0.0f, 1.0f);
  s.maxNear = data.ConsumeIntegralInRange(-1, 40);
  s.maxMid = data.ConsumeIntegralInRange(-1, 80);
  s.budgetMicros = data.ConsumeIntegralInRange(0, 3) == 0 ? fuzzedFloat(data, 0.0f, 200.0f) : 0.0f;
  // Costs always set (positive and finite): one that is not falls back to the costs prepare()
  // measured, and a budget then rests on a timing, which differs between runs and SIMD paths.
  s.costNanosNear = data.ConsumeFloatingPointInRange(1.0f, 100.0f);
  s.costNanosMid = data.ConsumeFloatingPointInRange(1.0f, 100.0f);
  s.costNanosFar = data.ConsumeFloatingPointInRange(1.0f, 100.0f);
  s.transitionSeconds = fuzzedFloat(data, 0.0f, 0.2f);
  s.referenceDistanceM = fuzzedFloat(data, 0.0f, 5.0f);
  return s;
}

enum class CallKind : std::uint8_t { Start, Stop, Move, Priority, Settings, StopInvalid };

struct Call {
  int at = 0;
  CallKind kind = CallKind::Start;
  CrowdVoiceDesc desc;
  int voice = 0;  // index into the handles started so far (modulo their count)
  float distanceM = 0.0f, azimuthDeg = 0.0f;
  int priority = 0;
  CrowdLodSettings settings;
};

struct Scene {
  double rate = 48000.0;
  int maxBlock = 256;
  int capacity = 8;
  std::vector<CrowdVoiceDesc> initial;
  std::vector<Call> calls;
  int total = 0;
  double loudest = 0.0;  // the most the voices started could add up to (linear)
};

void apply(CrowdEngine& crowd, std::vector<CrowdVoiceHandle>& handles, const Call& call) {
  auto pick = [&]() {
    return handles.empty() ? CrowdVoiceHandle{} : handles[static_cast<std::size_t>(call.voice) % handles.size()];
  };
  switch (call.kind) {
    case CallKind::Start: handles.push_back(crowd.startVoice(call.desc)); break;
    case CallKind::Stop: crowd.stopVoice(pick()); break;
    case CallKind::Move: crowd.setVoicePosition(pick(), call.distanceM, call.azimuthDeg); break;
    case CallKind::Priority: crowd.setVoicePriority(pick(), call.priority); break;
    case CallKind::Settings: crowd.setLodSettings(call.settings); break;
    case CallKind::StopInvalid: crowd.stopVoice(CrowdVoiceHandle{}); break;
  }
  CrowdVoiceHandle finished[8];
  while (crowd.pollFinished(finished, 8) == 8) {}
}

// Renders the scene on `path`, cutting the stretches between calls with `nextBlock(remaining)`.
template <typename NextBlock>
void render(const Scene& scene, SimdPath path, NextBlock nextBlock, std::vector<float>& left,
            std::vector<float>& right) {
  CrowdEngine crowd;
  if (!crowd.prepare(scene.rate, scene.maxBlock, scene.capacity, path)) std::abort();
  CrowdLodSettings fixedCosts;  // explicit costs: a budget set later never rests on a timing
  fixedCosts.costNanosNear = 30.0f;
  fixedCosts.costNanosMid = 15.0f;
  fixedCosts.costNanosFar = 5.0f;
  crowd.setLodSettings(fixedCosts);
  std::vector<CrowdVoiceHandle> handles;
  for (const CrowdVoiceDesc& desc : scene.initial) handles.push_back(crowd.startVoice(desc));
  left.assign(static_cast<std::size_t>(scene.total), 0.0f);
  right.assign(static_cast<std::size_t>(scene.total), 0.0f);
  std::size_t next = 0;
  int at = 0;
  while (at < scene.total) {
    while (next < scene.calls.size() && scene.calls[next].at <= at) apply(crowd, handles, scene.calls[next++]);
    const int stop = next < scene.calls.size() ? scene.calls[next].at : scene.total;
    const int n = std::max(1, std::min(stop - at, nextBlock(stop - at)));
    crowd.render(left.data() + at, right.data() + at, n);
    at += n;
  }
}

// The most one voice can add to either channel: its gains (the engine clamps the call's to
// +24 dB and a profile's to as much again) times a generous bound on the vocal tract's peak gain.
// Only a filter that blows up goes past it.
constexpr double kVoiceBound = 251.19 * 64.0;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* bytes, std::size_t size) {
  FuzzedDataProvider data(bytes, size);
  static constexpr double kRates[] = {16000.0, 22050.0, 24000.0, 32000.0, 44100.0, 48000.0, 88200.0, 96000.0};
  Scene scene;
  scene.rate = data.ConsumeBool() ? kRates[data.ConsumeIntegralInRange<std::size_t>(0, 7)]
                                  : data.ConsumeFloatingPointInRange(16000.0, 96000.0);
  scene.maxBlock = data.ConsumeIntegralInRange(1, 1024);
  scene.capacity = data.ConsumeIntegralInRange(1, 24);
  scene.total = data.ConsumeIntegralInRange(1, kMaxSamples);
  const int voices = data.ConsumeIntegralInRange(0, scene.capacity + 4);
  for (int i = 0; i < voices; ++i) scene.initial.push_back(fuzzedVoice(data));
  scene.calls.resize(static_cast<std::size_t>(data.ConsumeIntegralInRange(0, kMaxCalls)));
  for (Call& call : scene.calls) {
    call.at = data.ConsumeIntegralInRange(0, scene.total - 1);
    call.kind = static_cast<CallKind>(data.ConsumeIntegralInRange(0, 5));
    if (call.kind == CallKind::Start) call.desc = fuzzedVoice(data);
    if (call.kind == CallKind::Settings) call.settings = fuzzedSettings(data);
    call.voice = data.ConsumeIntegralInRange(0, 64);
    call.distanceM = fuzzedFloat(data, 0.0f, 80.0f);
    call.azimuthDeg = fuzzedFloat(data, -180.0f, 180.0f);
    call.priority = data.ConsumeIntegralInRange(-3, 3);
  }
  std::stable_sort(scene.calls.begin(), scene.calls.end(), [](const Call& a, const Call& b) { return a.at < b.at; });
  std::vector<int> blockSizes(64);
  for (int& n : blockSizes) n = data.ConsumeIntegralInRange(1, scene.maxBlock);

  scene.loudest = kVoiceBound * static_cast<double>(scene.initial.size());
  for (const Call& call : scene.calls) scene.loudest += call.kind == CallKind::Start ? kVoiceBound : 0.0;

  if (verbose()) {
    std::fprintf(stderr, "rate %.3f, maxBlock %d, capacity %d, %d samples, %zu voices, %zu calls\n", scene.rate,
                 scene.maxBlock, scene.capacity, scene.total, scene.initial.size(), scene.calls.size());
    auto describe = [](const CrowdVoiceDesc& d) {
      std::fprintf(
          stderr,
          "  voice: %g m, %g deg, %g dB, priority %d, %g s, cluster %d, f0 %g, formant x%g %+g Hz, gain %g dB\n",
          static_cast<double>(d.distanceM), static_cast<double>(d.azimuthDeg), static_cast<double>(d.gainDb),
          d.priority, static_cast<double>(d.durationSeconds), d.cluster, static_cast<double>(d.profile.f0Hz),
          static_cast<double>(d.profile.formantScale), static_cast<double>(d.profile.formantShiftHz),
          static_cast<double>(d.profile.gainDb));
    };
    for (const CrowdVoiceDesc& d : scene.initial) describe(d);
    for (const Call& c : scene.calls) {
      std::fprintf(stderr, "at %d: call %d (voice %d, %g m, %g deg, priority %d)\n", c.at, static_cast<int>(c.kind),
                   c.voice, static_cast<double>(c.distanceM), static_cast<double>(c.azimuthDeg), c.priority);
      if (c.kind == CallKind::Start) describe(c.desc);
      if (c.kind == CallKind::Settings) {
        const CrowdLodSettings& s = c.settings;
        std::fprintf(stderr,
                     "  settings: near %g m, mid %g m, hysteresis %g, maxNear %d, maxMid %d, budget %g us (costs "
                     "%g/%g/%g ns), transition %g s, reference %g m\n",
                     static_cast<double>(s.nearDistanceM), static_cast<double>(s.midDistanceM),
                     static_cast<double>(s.hysteresis), s.maxNear, s.maxMid, static_cast<double>(s.budgetMicros),
                     static_cast<double>(s.costNanosNear), static_cast<double>(s.costNanosMid),
                     static_cast<double>(s.costNanosFar), static_cast<double>(s.transitionSeconds),
                     static_cast<double>(s.referenceDistanceM));
      }
    }
  }

  std::vector<float> left[2], right[2];
  std::size_t nextSize = 0;
  render(scene, SimdPath::Scalar, [&](int) { return blockSizes[nextSize++ % blockSizes.size()]; }, left[0], right[0]);
  render(scene, SimdPath::Scalar, [](int remaining) { return std::min(remaining, 4096); }, left[1], right[1]);

  const std::size_t total = static_cast<std::size_t>(scene.total);
  double peak = 0.0;
  for (const auto* channel : {&left[0], &right[0], &left[1], &right[1]}) {
    for (std::size_t k = 0; k < total; ++k) {
      const float y = (*channel)[k];
      if (!std::isfinite(y) || std::fabs(y) > scene.loudest) {
        std::fprintf(stderr, "bus sample %g at %zu of %zu: not finite, or louder than the %zu voices' bound %g\n",
                     static_cast<double>(y), k, total, scene.initial.size(), scene.loudest);
        std::abort();
      }
      peak = std::max(peak, static_cast<double>(std::fabs(y)));
    }
  }
  for (int c = 0; c < 2; ++c) {
    const std::vector<float>& a = c == 0 ? left[0] : right[0];
    const std::vector<float>& b = c == 0 ? left[1] : right[1];
    const std::size_t k = vs_fuzz::firstBitDifference(a.data(), b.data(), total);
    if (k == total) continue;
    std::fprintf(
        stderr, "block sizes changed the %s channel: first at sample %zu of %zu (%.9g vs %.9g, rate %g, maxBlock %d)\n",
        c == 0 ? "left" : "right", k, total, static_cast<double>(a[k]), static_cast<double>(b[k]), scene.rate,
        scene.maxBlock);
    std::abort();
  }
  // Every other path against scalar, in the same blocks (whole stretches).
  for (const SimdPath path : {SimdPath::Sse2, SimdPath::Avx2, SimdPath::Avx512, SimdPath::Neon}) {
    if (!vocalsynth::simdPathAvailable(path)) continue;
    std::vector<float> l, r;
    render(scene, path, [](int remaining) { return std::min(remaining, 4096); }, l, r);
    const double tolerance = 1e-5 * std::max(1.0, peak);
    for (std::size_t k = 0; k < total; ++k) {
      const double d = std::max(std::fabs(static_cast<double>(l[k]) - left[1][k]),
                                std::fabs(static_cast<double>(r[k]) - right[1][k]));
      if (!(d <= tolerance)) {
        std::fprintf(stderr, "the %s path differs from scalar by %g at sample %zu of %zu (bus peak %g)\n",
                     vocalsynth::simdPathName(path), d, k, total, peak);
        std::abort();
      }
    }
  }
  return 0;
}
