// Google Benchmark for crowds: one iteration renders one 256-sample block (5.33 ms at 48 kHz)
// of N voices, all in one tier, mixed into the stereo bus, with each SIMD path the CPU has.
// The scalar path is measured in the same run; bench/crowd_report.py turns the results into
// voices per core, ratios against scalar, the scaling curve and its PNG.
#include <benchmark/benchmark.h>

#include <vector>

#include "vocalsynth/vocalsynth.h"

using namespace vocalsynth;

namespace {

constexpr double kRate = 48000.0;
constexpr int kBlock = 256;

// Distances that put every voice in the wanted tier with the default thresholds (8 m, 30 m).
float distanceFor(CrowdTier tier) {
  switch (tier) {
    case CrowdTier::Near: return 3.0f;
    case CrowdTier::Mid: return 15.0f;
    default: return 60.0f;
  }
}

void BM_Crowd(benchmark::State& state, SimdPath path, CrowdTier tier) {
  const int voices = static_cast<int>(state.range(0));
  if (!simdPathAvailable(path)) {
    state.SkipWithError("path not available on this CPU/build");
    return;
  }
  CrowdEngine crowd;
  crowd.prepare(kRate, kBlock, voices, path);
  CrowdLodSettings lod;
  lod.maxNear = lod.maxMid = voices;  // no caps: measure the tier itself
  crowd.setLodSettings(lod);
  const char* names[] = {"zombie", "werewolf", "ghoul", "vampire", "wraith", "human", "lich", "banshee"};
  for (int i = 0; i < voices; ++i) {
    CrowdVoiceDesc desc;
    desc.profile = makeCrowdProfile(findArchetype(names[i % 8])->params);
    desc.distanceM = distanceFor(tier) + 0.01f * static_cast<float>(i % 100);
    desc.azimuthDeg = static_cast<float>(i % 180) - 90.0f;
    desc.seed = static_cast<std::uint64_t>(i + 1);
    desc.cluster = i % 8;
    crowd.startVoice(desc);
  }
  std::vector<float> left(kBlock), right(kBlock);
  for (int i = 0; i < 8; ++i) crowd.render(left.data(), right.data(), kBlock);  // fades in, tiers settle
  if (crowd.stats().perTier[static_cast<int>(tier)] != voices) {
    state.SkipWithError("voices did not settle in the wanted tier");
    return;
  }
  for (auto _ : state) {
    crowd.render(left.data(), right.data(), kBlock);
    benchmark::DoNotOptimize(left.data());
  }
  state.counters["voices"] = voices;
  state.counters["lanes"] = crowd.laneWidth();
  // Voices one core could render in real time at this cost.
  state.counters["voices_per_core"] =
      benchmark::Counter(static_cast<double>(voices) * kBlock / kRate, benchmark::Counter::kIsIterationInvariantRate);
}

void registerAll() {
  const struct {
    CrowdTier tier;
    std::vector<int> counts;
  } tiers[] = {{CrowdTier::Near, {16, 64, 256, 512, 1024}},
               {CrowdTier::Mid, {16, 64, 256, 1024, 2048}},
               {CrowdTier::Far, {64, 256, 1024, 4096, 8192}}};
  for (SimdPath path : {SimdPath::Scalar, SimdPath::Sse2, SimdPath::Avx2, SimdPath::Avx512, SimdPath::Neon}) {
    if (!simdPathAvailable(path)) continue;
    for (const auto& t : tiers) {
      const std::string name = std::string("BM_Crowd/") + simdPathName(path) + "/" + crowdTierName(t.tier);
      auto* b = benchmark::RegisterBenchmark(name.c_str(), BM_Crowd, path, t.tier);
      for (int n : t.counts) b->Arg(n);
      b->Unit(benchmark::kMicrosecond);
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  registerAll();
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
