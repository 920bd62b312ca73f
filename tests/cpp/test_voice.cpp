// The voice engine measured on its output: transparency, block-size independence,
// determinism, reset, NaN containment, the true-peak ceiling, no allocation on the audio path.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <limits>
#include <new>
#include <string>
#include <utility>
#include <vector>

#include "test_helpers.h"

using namespace vocalsynth;

// --- Allocation counter: every operator new in this test binary is counted while armed. -----
namespace vs_test {
std::atomic<bool> gCountAllocations{false};
std::atomic<long> gAllocations{0};
std::atomic<long> gFrees{0};
std::atomic<long long> gAllocatedBytes{0};
}  // namespace vs_test
using vs_test::gAllocations;
using vs_test::gCountAllocations;

void* operator new(std::size_t size) {
  if (gCountAllocations.load(std::memory_order_relaxed)) {
    gAllocations.fetch_add(1, std::memory_order_relaxed);
    vs_test::gAllocatedBytes.fetch_add(static_cast<long long>(size), std::memory_order_relaxed);
  }
  if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept {
  if (p != nullptr && gCountAllocations.load(std::memory_order_relaxed))
    vs_test::gFrees.fetch_add(1, std::memory_order_relaxed);
  std::free(p);
}
void operator delete(void* p, std::size_t) noexcept { operator delete(p); }
// Over-aligned types (the lock-free queues' cache-line members, the crowd's lane blocks) come
// through the aligned forms: counted alike.
void* operator new(std::size_t size, std::align_val_t align) {
  if (gCountAllocations.load(std::memory_order_relaxed)) {
    gAllocations.fetch_add(1, std::memory_order_relaxed);
    vs_test::gAllocatedBytes.fetch_add(static_cast<long long>(size), std::memory_order_relaxed);
  }
  const auto alignment = static_cast<std::size_t>(align);
  if (void* p = std::aligned_alloc(alignment, (size + alignment - 1) / alignment * alignment)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p, std::align_val_t) noexcept { operator delete(p); }
void operator delete(void* p, std::size_t, std::align_val_t) noexcept { operator delete(p); }

namespace {

const double kRate = 48000.0;

using vs_test::archetypeNames;

/// Renders `in` in blocks of nextBlock() samples that are also cut at each call's position,
/// where the call (a setParams, a setDetail: what a game does mid-line) runs first.
using TimedCall = std::pair<size_t, std::function<void(Voice&)>>;
template <class NextBlock>
std::vector<float> renderWithCalls(Voice& v, const std::vector<float>& in, const std::vector<TimedCall>& calls,
                                   NextBlock nextBlock) {
  std::vector<float> out(in.size());
  size_t pos = 0, next = 0;
  while (pos < in.size()) {
    while (next < calls.size() && calls[next].first == pos) calls[next++].second(v);
    const size_t stop = next < calls.size() ? calls[next].first : in.size();
    const int n = static_cast<int>(std::min<size_t>(nextBlock(), stop - pos));
    v.process(in.data() + pos, out.data() + pos, n);
    pos += static_cast<size_t>(n);
  }
  return out;
}

}  // namespace

TEST(Voice, PrepareRejectsUnsupportedSettings) {
  Voice v;
  EXPECT_EQ(v.prepare(8000.0, 256), PrepareResult::UnsupportedSampleRate);
  EXPECT_EQ(v.prepare(192000.0, 256), PrepareResult::UnsupportedSampleRate);
  EXPECT_EQ(v.prepare(std::nan(""), 256), PrepareResult::UnsupportedSampleRate);
  EXPECT_EQ(v.prepare(48000.0, 0), PrepareResult::InvalidBlockSize);
  EXPECT_FALSE(v.isPrepared());
  // An unprepared voice outputs silence rather than garbage.
  std::vector<float> in(64, 0.5f), out(64, 1.0f);
  v.process(in.data(), out.data(), 64);
  for (float y : out) EXPECT_EQ(y, 0.0f);
}

TEST(Voice, HumanIsTransparent) {
  const auto in = vs_test::anchor(kRate, 2.0);
  Voice v;
  ASSERT_EQ(v.prepare(kRate, 512, 1), PrepareResult::Ok);
  v.setParams(findArchetype("human")->params, true);
  std::vector<float> padded(in);
  padded.resize(in.size() + static_cast<size_t>(v.latencySamples()), 0.0f);
  const auto out = vs_test::render(v, padded, 512);
  double residual = 0.0, signal = 0.0;
  for (size_t i = 0; i < in.size(); ++i) {
    const double d = out[i + static_cast<size_t>(v.latencySamples())] - in[i];
    residual += d * d;
    signal += static_cast<double>(in[i]) * in[i];
  }
  EXPECT_LT(10.0 * std::log10(residual / signal + 1e-30), -60.0);
}

TEST(Voice, OutputDoesNotDependOnBlockSize) {
  const auto in = vs_test::anchor(kRate, 0.1);  // 4800 samples
  ASSERT_EQ(in.size(), 4800u);
  for (const char* name : archetypeNames()) {
    const auto whole = vs_test::renderArchetype(name, in, kRate, 4800);
    const auto single = vs_test::renderArchetype(name, in, kRate, 1);
    // Random block sizes.
    Voice v;
    v.prepare(kRate, 4800, 3);
    v.setParams(findArchetype(name)->params, true);
    const auto randomBlocks = vs_test::renderRandomBlocks(v, in, 700, 99);
    // The issue allows 1e-6; the chain gives the same bits, the sign of every zero included.
    EXPECT_EQ(vs_test::firstBitDifference(whole, single), -1) << name;
    EXPECT_EQ(vs_test::firstBitDifference(whole, randomBlocks), -1) << name;
  }
}

TEST(Voice, ALineThatGoesHumanMidwayIsBitIdenticalInAnyBlocks) {
  // A shimmering, jittering voice switched to Human mid-line and back: its jitter offset and
  // cycle gains settle to exactly nothing within some piece. Whether they had was judged once
  // per piece, so with longer blocks the grid ran a piece longer and the gains came out one bit
  // apart (the voice fuzzer's find at 32 kHz; this test fails on that code). Its 44.1 kHz find,
  // a faded band path that stopped at the end of a piece rather than on a tick, so that its
  // restart analysed another stretch of band, is replayed from the fuzz corpus
  // (corpus-voice/band-path-stops-on-a-tick).
  for (const double rate : {32000.0, 44100.0}) {  // at 44.1 kHz the band path's fade ends mid-tick
    const auto in = vs_test::anchor(rate, 2.0);
    VoiceParams rough;
    rough.formantScale = 0.93f;
    rough.bandwidthScale = 1.5f;
    rough.roughness = 0.5f;
    rough.jitter = 0.3f;
    rough.shimmer = 0.3f;
    rough.subharmonicOctave = 0.3f;
    rough.clicks = 0.4f;
    rough.wetPops = 0.6f;
    for (const std::uint64_t seed : {10977569339902345ull, 5ull, 77ull}) {
      auto render = [&](const VoiceParams& from, size_t change, auto nextBlock) {
        Voice v;
        v.prepare(rate, 4800, seed);
        v.setParams(from, true);
        IntensityControls intensity;
        intensity.proximity = 1.0f;
        intensity.environment = 1.0f;
        v.setIntensity(intensity, true);
        const size_t back = change + static_cast<size_t>(rate);  // and back a second later: the band path restarts
        return renderWithCalls(v, in,
                               {{change, [](Voice& voice) { voice.setParams(VoiceParams{}); }},
                                {back, [&](Voice& voice) { voice.setParams(from); }}},
                               nextBlock);
      };
      for (const VoiceParams& from : {rough, findArchetype("zombie")->params, findArchetype("ghoul")->params}) {
        for (const size_t change : {size_t{6463}, size_t{9001}}) {
          const auto whole = render(from, change, [] { return size_t{819}; });
          EXPECT_EQ(vs_test::firstBitDifference(whole, render(from, change, [] { return size_t{1}; })), -1)
              << rate << " Hz, seed " << seed << ", change at " << change;
          std::uint64_t state = seed;
          const auto randomBlock = [&] {
            state = state * 6364136223846793005ull + 1442695040888963407ull;
            return static_cast<size_t>(1 + (state >> 33) % 700);
          };
          EXPECT_EQ(vs_test::firstBitDifference(whole, render(from, change, randomBlock)), -1)
              << rate << " Hz, seed " << seed << ", change at " << change;
        }
      }
    }
  }
}

TEST(Voice, ALineThatGoesFarAndBackIsBitIdenticalInAnyBlocks) {
  // Going Far fades the additive layers out; a fade that ended inside a piece let them run (and
  // advance their noise, phases and onset followers) to the piece's end, a block edge, so they
  // came back at Near from another state with other blocks (the voice fuzzer's find). Which
  // layers run is now judged once per tick.
  const auto in = vs_test::anchor(kRate, 2.0);
  for (const char* name : {"zombie", "vampire", "ghoul", "werewolf"}) {
    auto render = [&](auto nextBlock) {
      Voice v;
      v.prepare(kRate, 4800, 9);
      v.setParams(findArchetype(name)->params, true);
      return renderWithCalls(v, in,
                             {{20011, [](Voice& voice) { voice.setDetail(VoiceDetail::Far); }},  // not on ticks
                              {50021, [](Voice& voice) { voice.setDetail(VoiceDetail::Near); }}},
                             nextBlock);
    };
    const auto whole = render([] { return size_t{4800}; });
    EXPECT_EQ(vs_test::firstBitDifference(whole, render([] { return size_t{1}; })), -1) << name;
    EXPECT_EQ(vs_test::firstBitDifference(whole, render([] { return size_t{218}; })), -1) << name;
  }
}

TEST(Voice, NegativeZeroSilenceKeepsItsSignInAnyBlocks) {
  // A line that ends in -0 samples (a game's 0 * -gain): the modulated delay's four-at-a-time read
  // summed x0 + 0 * c, which is +0 for x0 = -0, while its one-sample read returned x0 at a zero
  // fraction, -0. The sign of a silent sample then depended on block sizes (the voice fuzzer's
  // find). EXPECT_EQ on floats passes -0 against +0, so the bits are compared.
  std::vector<float> in = vs_test::anchor(kRate, 0.4);
  in.resize(in.size() + static_cast<size_t>(0.4 * kRate), -0.0f);
  for (const char* name : {"zombie", "vampire", "werewolf", "lich", "ghoul"}) {
    for (const VoiceDetail detail : {VoiceDetail::Near, VoiceDetail::Far}) {
      auto render = [&](int block) {
        Voice v;
        v.prepare(kRate, 4800, 3);
        v.setParams(findArchetype(name)->params, true);
        v.setDetail(detail);
        return vs_test::render(v, in, block);
      };
      const auto whole = render(4800);
      EXPECT_EQ(vs_test::firstBitDifference(whole, render(1)), -1) << name << " at detail " << static_cast<int>(detail);
      EXPECT_EQ(vs_test::firstBitDifference(whole, render(37)), -1)
          << name << " at detail " << static_cast<int>(detail);
    }
  }
}

TEST(Voice, SameSeedIsBitIdenticalAndSeedsDiffer) {
  const auto in = vs_test::anchor(kRate, 1.0);
  for (const char* name : archetypeNames()) {
    const auto a = vs_test::renderArchetype(name, in, kRate, 333, 11);
    const auto b = vs_test::renderArchetype(name, in, kRate, 333, 11);
    ASSERT_EQ(a, b) << name;
  }
  const auto z1 = vs_test::renderArchetype("zombie", in, kRate, 256, 1);
  const auto z2 = vs_test::renderArchetype("zombie", in, kRate, 256, 2);
  EXPECT_NE(z1, z2);
}

TEST(Voice, ResetGivesAFreshVoice) {
  const auto in = vs_test::anchor(kRate, 0.5);
  Voice v;
  v.prepare(kRate, 256, 5);
  v.setParams(findArchetype("werewolf")->params, true);
  const auto first = vs_test::render(v, in, 256);
  v.reset();
  const auto second = vs_test::render(v, in, 256);
  EXPECT_EQ(first, second);
}

TEST(Voice, ResetWithASeedIsAVoicePreparedWithIt) {
  // A pooled voice taking a new individual's seed: bit for bit the voice prepared with that seed,
  // its additive layers included (Zombie's clicks, pops, rasps, creaks; Vampire's heartbeat), and
  // not the voice it was; with no allocation.
  const auto in = vs_test::anchor(kRate, 1.0);
  for (const char* name : {"zombie", "vampire", "swarm"}) {
    Voice fresh, pooled;
    fresh.prepare(kRate, 256, 9);
    pooled.prepare(kRate, 256, 5);
    fresh.setParams(findArchetype(name)->params, true);
    pooled.setParams(findArchetype(name)->params, true);
    const auto before = vs_test::render(pooled, in, 256);
    gAllocations = 0;
    gCountAllocations = true;
    pooled.reset(9);
    gCountAllocations = false;
    EXPECT_EQ(gAllocations.load(), 0) << name;
    const auto expected = vs_test::render(fresh, in, 256);
    const auto got = vs_test::render(pooled, in, 256);
    EXPECT_EQ(expected, got) << name;
    EXPECT_NE(before, got) << name << ": another seed is another voice";
  }
}

TEST(Voice, NonFiniteInputIsContainedAndReported) {
  auto in = vs_test::anchor(kRate, 1.0);
  in[10000] = std::nanf("");
  in[20000] = INFINITY;
  Voice v;
  v.prepare(kRate, 512, 1);
  v.setParams(findArchetype("zombie")->params, true);
  const auto out = vs_test::render(v, in, 512);
  for (size_t i = 0; i < out.size(); ++i) ASSERT_TRUE(std::isfinite(out[i])) << "sample " << i;
  EXPECT_EQ(v.nonFiniteInputCount(), 2u);
  // The voice recovers: the last half second still carries the voice.
  EXPECT_GT(vs_test::toDb(vs_test::rms(out, 30000, 48000)), -40.0);
}

TEST(Voice, WildFiniteInputIsHeldAt60DbOverFullScaleAndBlocksStillDoNotMatter) {
  // A broken decoder's 1e38 (the voice fuzzer's input) overflowed filters inside the chain, and
  // the reset that followed started where the block did. Such samples are now held to +-1000
  // (+60 dBFS): the output equals feeding 1000 there, stays within -1 dBTP and does not depend
  // on block sizes.
  auto in = vs_test::anchor(kRate, 1.0);
  auto held = in;
  const float wild[] = {1e38f, -3.4e38f, 1e9f, -2e4f};
  for (int j = 0; j < 4; ++j) {
    const size_t at = 9000u + 7919u * static_cast<size_t>(j);
    in[at] = wild[j];
    held[at] = wild[j] > 0.0f ? 1000.0f : -1000.0f;
  }
  const double ceiling = std::pow(10.0, -1.0 / 20.0);
  for (const char* name : {"zombie", "werewolf", "banshee"}) {
    auto render = [&](const std::vector<float>& x, int block) {
      Voice v;
      v.prepare(kRate, 4800, 3);
      v.setParams(findArchetype(name)->params, true);
      return vs_test::render(v, x, block);
    };
    const auto whole = render(in, 4800);
    EXPECT_EQ(vs_test::firstBitDifference(whole, render(in, 1)), -1) << name;
    EXPECT_EQ(vs_test::firstBitDifference(whole, render(in, 37)), -1) << name;
    EXPECT_EQ(vs_test::firstBitDifference(whole, render(held, 4800)), -1) << name;
    float peak = 0.0f;
    for (float y : whole) peak = std::max(peak, std::fabs(y));
    EXPECT_LE(peak, ceiling * 1.0000001) << name;
    EXPECT_GT(vs_test::toDb(vs_test::rms(whole, 40000, 48000)), -40.0) << name << ": the voice goes on";
  }
}

TEST(Voice, SubnormalInputIsFlushedSoNoCopyHandsItOn) {
  // The arithmetic reads a subnormal as zero (DAZ) but a delay line copies its bits: a stretch of
  // 1e-40 came out as 1e-40 where a copy ran and as 0 where arithmetic did, and which ran depended
  // on the block (the voice fuzzer's find). Subnormal input is flushed at the input guard.
  auto in = vs_test::anchor(kRate, 0.5);
  for (size_t i = 6000; i < 14000; ++i) in[i] = (i % 3 == 0 ? -1e-40f : 1e-40f);
  for (size_t i = 20000; i < in.size(); ++i) in[i] = 1e-39f;
  for (const char* name : {"human", "wraith", "lich"}) {
    for (const VoiceDetail detail : {VoiceDetail::Near, VoiceDetail::Far}) {
      auto render = [&](int block) {
        Voice v;
        v.setDetail(detail);
        v.prepare(kRate, 4800, 2);
        v.setParams(findArchetype(name)->params, true);
        return vs_test::render(v, in, block);
      };
      const auto whole = render(4800);
      for (size_t i = 0; i < whole.size(); ++i) {
        ASSERT_FALSE(std::fpclassify(whole[i]) == FP_SUBNORMAL) << name << " sample " << i;
      }
      EXPECT_EQ(whole, render(1)) << name;
      EXPECT_EQ(whole, render(61)) << name;
    }
  }
}

TEST(Voice, EveryArchetypeStaysBelowZeroDbTruePeakEvenWhenDrivenHard) {
  auto in = vs_test::anchor(kRate, 1.0);
  for (float& x : in) x *= 1.9f;  // anchor peaks near +0 dBFS
  for (const char* name : archetypeNames()) {
    VoiceParams p = findArchetype(name)->params;
    p.outputGainDb = 12.0f;
    Voice v;
    v.prepare(kRate, 512, 1);
    v.setParams(p, true);
    const auto out = vs_test::render(v, in, 512);
    EXPECT_LE(vs_test::truePeak(out), 1.0) << name;
    EXPECT_GT(vs_test::toDb(vs_test::rms(out)), -30.0) << name << " should still be loud";
  }
}

TEST(Voice, NoPointOfTheParameterSpaceBlowsUp) {
  // Designers and morphs reach corners no preset sits in: every parameter at its minimum, its
  // maximum, its default or anywhere between, at random; any proximity, environment and detail;
  // a rate from 16 to 96 kHz; an input that is speech-like, bursts of noise, a full-scale square,
  // clicks, DC or a whisper of noise; random block sizes, and now and then everything changed at
  // once mid-line. The output stays finite, within 0 dBTP (BS.1770-4), and never needs the
  // non-finite reset.
  vs_test::SeededDraws draws(2026);
  auto next = [&](std::uint64_t bound) { return draws.below(bound); };
  auto uniform = [&] { return draws.uniform(); };
  auto randomParams = [&] {
    VoiceParams p;
    for (std::size_t i = 0; i < paramCount(); ++i) {
      const ParamInfo& info = paramInfos()[i];
      const float r = uniform();
      p.*(info.member) = r < 0.15f   ? info.minValue
                         : r < 0.3f  ? info.maxValue
                         : r < 0.45f ? info.defaultValue
                                     : info.minValue + uniform() * (info.maxValue - info.minValue);
    }
    return p;
  };
  const double rates[] = {16000.0, 22050.0, 44100.0, 48000.0, 96000.0};
  for (int trial = 0; trial < 120; ++trial) {
    const double rate = rates[next(5)];
    Voice voice;
    ASSERT_EQ(voice.prepare(rate, 1024, next(1u << 30)), PrepareResult::Ok);
    voice.setParams(randomParams(), true);
    voice.setIntensity({uniform() < 0.3f ? 1.0f : uniform(), uniform()}, true);
    voice.setDetail(static_cast<VoiceDetail>(next(3)));
    const int n = static_cast<int>(rate);
    const auto kind = next(6);
    std::vector<float> in = kind == 0 ? vs_test::anchor(rate, 1.0) : std::vector<float>(static_cast<std::size_t>(n));
    for (int k = 0; k < n && kind != 0; ++k) {
      in[k] = kind == 1   ? (uniform() * 2.0f - 1.0f) * (k % 20000 < 3000 ? 1.0f : 0.0f)
              : kind == 2 ? ((k / 100) % 2 != 0 ? 1.0f : -1.0f)
              : kind == 3 ? (k % 4800 == 0 ? 1.0f : 0.0f)
              : kind == 4 ? 0.5f
                          : 1e-3f * (uniform() * 2.0f - 1.0f);
    }
    // The last tenth silent: the line ends as a stream does, not cut off mid-sound (a cut's ringing
    // in the meter's interpolation is no sound the voice makes).
    std::fill(in.end() - static_cast<long>(in.size() / 10), in.end(), 0.0f);
    std::vector<float> out(in.size());
    for (std::size_t k = 0; k < in.size();) {
      const int block = static_cast<int>(std::min<std::size_t>(1 + next(1024), in.size() - k));
      if (next(100) == 0) {
        voice.setParams(randomParams(), next(2) == 0);
        voice.setDetail(static_cast<VoiceDetail>(next(3)));
      }
      voice.process(in.data() + k, out.data() + k, block);
      k += static_cast<std::size_t>(block);
    }
    bool finite = true;
    for (const float y : out) finite = finite && std::isfinite(y);
    ASSERT_TRUE(finite) << "trial " << trial;
    EXPECT_LE(vs_test::truePeak(out), 1.0) << "trial " << trial << " at " << rate << " Hz, input " << kind;
    EXPECT_EQ(voice.nonFiniteInputCount(), 0u) << "trial " << trial;
  }
}

TEST(Voice, WorksAtEveryCommonSampleRate) {
  for (double rate : {16000.0, 22050.0, 32000.0, 44100.0, 48000.0, 88200.0, 96000.0}) {
    const auto in = vs_test::anchor(rate, 0.6);
    for (const char* name : {"zombie", "werewolf", "wraith", "golem"}) {
      const auto out = vs_test::renderArchetype(name, in, rate, 480);
      for (float y : out) ASSERT_TRUE(std::isfinite(y)) << name << " @ " << rate;
      EXPECT_GT(vs_test::toDb(vs_test::rms(out)), -40.0) << name << " @ " << rate;
    }
  }
}

TEST(Voice, ProcessNeverAllocates) {
  // A line, then half a second of silence: the voice path also idles and wakes under the count.
  auto in = vs_test::anchor(kRate, 1.0);
  in.resize(in.size() + 24000, 0.0f);
  const auto line = vs_test::anchor(kRate, 0.25);
  in.insert(in.end(), line.begin(), line.end());
  std::vector<float> out(in.size());
  for (const char* name : archetypeNames()) {
    Voice v;
    v.prepare(kRate, 512, 1);
    v.setParams(findArchetype(name)->params);
    v.setIntensity({0.9f, 0.2f});
    gAllocations = 0;
    gCountAllocations = true;
    bool idled = false;
    for (size_t pos = 0; pos + 512 <= in.size(); pos += 512) {
      v.process(in.data() + pos, out.data() + pos, 512);
      idled = idled || v.idle();
    }
    EXPECT_TRUE(idled) << name;
    v.setParams(findArchetype("human")->params);  // parameter changes do not allocate either
    v.process(in.data(), out.data(), 512);
    v.reset();
    gCountAllocations = false;
    EXPECT_EQ(gAllocations.load(), 0) << name;
  }
}

TEST(Params, TableMatchesDefaultsAndPresetsStayInRange) {
  const VoiceParams defaults;
  for (std::size_t i = 0; i < paramCount(); ++i) {
    const ParamInfo& info = paramInfos()[i];
    EXPECT_EQ(defaults.*(info.member), info.defaultValue) << info.name;
    EXPECT_LE(info.minValue, info.defaultValue) << info.name;
    EXPECT_GE(info.maxValue, info.defaultValue) << info.name;
    EXPECT_EQ(findParam(info.name), &info);
  }
  for (std::size_t a = 0; a < archetypeCount(); ++a) {
    VoiceParams p = archetypes()[a].params;
    EXPECT_EQ(clampToRanges(p), 0) << archetypes()[a].name;
  }
  EXPECT_EQ(findParam("no_such_param"), nullptr);
  EXPECT_NE(findArchetype("ZoMbIe"), nullptr);
  EXPECT_EQ(findArchetype("dragon"), nullptr);
}

TEST(Params, MorphEndpointsAreBitExactAndMidpointIsBetween) {
  const VoiceParams& a = findArchetype("zombie")->params;
  const VoiceParams& b = findArchetype("wraith")->params;
  const VoiceParams m0 = morph(a, b, 0.0f), m1 = morph(a, b, 1.0f), mid = morph(a, b, 0.5f);
  for (std::size_t i = 0; i < paramCount(); ++i) {
    const ParamInfo& info = paramInfos()[i];
    EXPECT_EQ(m0.*(info.member), a.*(info.member)) << info.name;
    EXPECT_EQ(m1.*(info.member), b.*(info.member)) << info.name;
    EXPECT_FLOAT_EQ(mid.*(info.member), 0.5f * (a.*(info.member) + b.*(info.member))) << info.name;
  }
  // And the sound at the endpoints is the endpoint's sound, bit for bit.
  const auto in = vs_test::anchor(kRate, 0.5);
  Voice v1, v2;
  v1.prepare(kRate, 256, 4);
  v2.prepare(kRate, 256, 4);
  v1.setParams(a, true);
  v2.setParams(m0, true);
  EXPECT_EQ(vs_test::render(v1, in, 256), vs_test::render(v2, in, 256));
}

TEST(Params, AnEmotionMovesAnyVoiceByItsOffsetsAtItsIntensity) {
  // The one table every path reads (game components, MetaSound node, Python tools, service): an
  // emotion's offsets, scaled by the intensity and held to range; nothing else moves.
  const VoiceParams& ghoul = findArchetype("ghoul")->params;
  for (const char* emotion : {"rage", "fear", "sorrow", "menace", "whisper"}) {
    const VoiceParams full = withEmotion(ghoul, emotion), half = withEmotion(ghoul, emotion, 0.5f);
    int moved = 0;
    for (std::size_t i = 0; i < paramCount(); ++i) {
      const ParamInfo& info = paramInfos()[i];
      float offset = 0.0f;
      for (std::size_t k = 0; k < emotionOffsetCount(); ++k) {
        const EmotionOffset& o = emotionOffsets()[k];
        if (std::string(o.emotion) == emotion && std::string(o.param) == info.name) offset = o.offset;
      }
      const float base = ghoul.*(info.member);
      EXPECT_EQ(full.*(info.member), std::clamp(base + offset, info.minValue, info.maxValue)) << emotion << info.name;
      EXPECT_EQ(half.*(info.member), std::clamp(base + 0.5f * offset, info.minValue, info.maxValue)) << info.name;
      moved += offset != 0.0f ? 1 : 0;
    }
    EXPECT_GE(moved, 2) << emotion;
  }
  const VoiceParams rage = withEmotion(ghoul, "RAGE", 7.0f);  // names as the files spell them, any case
  EXPECT_GT(rage.roughness, ghoul.roughness);
  EXPECT_EQ(rage.roughness, withEmotion(ghoul, "rage").roughness);  // past 1 is 1
  for (const char* none : {"neutral", "glee", static_cast<const char*>(nullptr)}) {
    const VoiceParams same = withEmotion(ghoul, none);
    EXPECT_EQ(std::memcmp(&same, &ghoul, sizeof ghoul), 0);
  }
  const VoiceParams nan = withEmotion(ghoul, "rage", std::numeric_limits<float>::quiet_NaN());
  EXPECT_EQ(nan.roughness, ghoul.roughness);
}

TEST(Params, WithSpeakerTractMovesTheFormantWarpByTheTwoTracts) {
  // The warp (formantScale * 17.5 / tractLengthCm) is multiplied by spoken / voice tract length;
  // the chain's tract takes the move, formantScale what the tract's range cannot; bad lengths
  // change nothing; every other parameter is the chain's.
  const auto warp = [](const VoiceParams& p) {
    return static_cast<double>(p.formantScale) * 17.5 / static_cast<double>(p.tractLengthCm);
  };
  const VoiceParams& wolf = findArchetype("werewolf")->params;
  const VoiceParams moved = withSpeakerTract(wolf, 17.5f, 20.0f);
  EXPECT_NEAR(warp(moved), warp(wolf) * 17.5 / 20.0, 1e-6);
  EXPECT_EQ(moved.formantScale, wolf.formantScale);  // the tract alone took it
  EXPECT_EQ(moved.roughness, wolf.roughness);
  const VoiceParams& golem = findArchetype("golem")->params;      // a 19 cm chain, for a 22 cm speaker
  const VoiceParams far = withSpeakerTract(golem, 16.0f, 22.0f);  // 26.1 cm is past the tract's 25
  EXPECT_EQ(far.tractLengthCm, findParam("tract_length_cm")->maxValue);
  EXPECT_NEAR(warp(far), warp(golem) * 16.0 / 22.0, 1e-6);
  const VoiceParams beyond = withSpeakerTract(golem, 10.0f, 25.0f);  // both ranges used up: held
  EXPECT_EQ(beyond.formantScale, findParam("formant_scale")->minValue);
  for (const float bad :
       {0.0f, -3.0f, std::numeric_limits<float>::quiet_NaN(), std::numeric_limits<float>::infinity()}) {
    EXPECT_EQ(withSpeakerTract(wolf, bad, 20.0f).tractLengthCm, wolf.tractLengthCm);
    EXPECT_EQ(withSpeakerTract(wolf, 17.5f, bad).formantScale, wolf.formantScale);
  }
}

TEST(Params, OutOfRangeValuesAreClampedAtTheBoundary) {
  VoiceParams p;
  p.roughness = 7.0f;
  p.formantShiftHz = -1000.0f;
  p.jitter = std::nanf("");
  EXPECT_EQ(clampToRanges(p), 3);
  EXPECT_EQ(p.roughness, 1.0f);
  EXPECT_EQ(p.formantShiftHz, -200.0f);
  EXPECT_EQ(p.jitter, 0.0f);
}

// --- Level of detail ----------------------------------------------------------------------------

namespace {
// Renders `name` over the anchor, switching detail at sample `at` (if `to` differs from `from`).
std::vector<float> renderWithDetail(const char* name, const std::vector<float>& in, VoiceDetail from, VoiceDetail to,
                                    size_t at) {
  Voice voice;
  voice.prepare(48000.0, 256, 3);
  voice.setParams(findArchetype(name)->params, true);
  voice.setDetail(from);
  std::vector<float> out(in.size());
  for (size_t pos = 0; pos < in.size(); pos += 256) {
    if (pos == at) voice.setDetail(to);
    voice.process(in.data() + pos, out.data() + pos, static_cast<int>(std::min<size_t>(256, in.size() - pos)));
  }
  return out;
}
}  // namespace

TEST(VoiceDetailLevels, FarBypassesTheFormantStageAndNearBringsItBack) {
  Voice voice;
  voice.prepare(48000.0, 256, 1);
  voice.setParams(findArchetype("zombie")->params, true);
  const auto in = vs_test::anchor(48000.0, 1.0);
  std::vector<float> out(in.size());
  voice.process(in.data(), out.data(), static_cast<int>(in.size()));
  EXPECT_TRUE(voice.formantStageActive());
  voice.setDetail(VoiceDetail::Far);
  voice.process(in.data(), out.data(), static_cast<int>(in.size()));
  EXPECT_FALSE(voice.formantStageActive());
  EXPECT_EQ(voice.detail(), VoiceDetail::Far);
  voice.setDetail(VoiceDetail::Near);
  voice.process(in.data(), out.data(), static_cast<int>(in.size()));
  EXPECT_TRUE(voice.formantStageActive());
}

TEST(VoiceDetailLevels, MidAndFarDropTheSubliminalLayers) {
  // Silence in: a Vampire still has its heartbeat at Near, and nothing at Mid or Far.
  const std::vector<float> silence(96000, 0.0f);
  const auto near = renderWithDetail("vampire", silence, VoiceDetail::Near, VoiceDetail::Near, 0);
  const auto mid = renderWithDetail("vampire", silence, VoiceDetail::Mid, VoiceDetail::Mid, 0);
  const auto far = renderWithDetail("vampire", silence, VoiceDetail::Far, VoiceDetail::Far, 0);
  ASSERT_GT(vs_test::rms(near), 1e-4);
  EXPECT_LT(vs_test::rms(mid), 1e-7);
  EXPECT_LT(vs_test::rms(far), 1e-7);
}

TEST(VoiceDetailLevels, ChangesFadeWithoutAClick) {
  // As for crowd tiers: compare with the voice left at its first detail; before the change
  // both are bit-identical, and after it the difference must grow smoothly.
  const auto in = vs_test::anchor(48000.0, 1.0);
  const size_t at = 24064;  // a block boundary ~0.5 s in
  const VoiceDetail pairs[][2] = {{VoiceDetail::Near, VoiceDetail::Mid}, {VoiceDetail::Mid, VoiceDetail::Far},
                                  {VoiceDetail::Near, VoiceDetail::Far}, {VoiceDetail::Far, VoiceDetail::Near},
                                  {VoiceDetail::Far, VoiceDetail::Mid},  {VoiceDetail::Mid, VoiceDetail::Near}};
  for (const char* name : {"vampire", "zombie"}) {
    for (const auto& p : pairs) {
      const auto moved = renderWithDetail(name, in, p[0], p[1], at);
      const auto stayed = renderWithDetail(name, in, p[0], p[0], at);
      const auto after = renderWithDetail(name, in, p[1], p[1], 0);
      for (size_t i = 0; i < at; ++i) ASSERT_EQ(moved[i], stayed[i]);
      double own = 0.0, jump = 0.0;
      for (size_t i = 1; i < in.size(); ++i) {
        own = std::max({own, std::fabs(double(stayed[i]) - stayed[i - 1]), std::fabs(double(after[i]) - after[i - 1])});
      }
      for (size_t i = at; i < at + 96; ++i) {
        const double d0 = double(moved[i - 1]) - stayed[i - 1], d1 = double(moved[i]) - stayed[i];
        jump = std::max(jump, std::fabs(d1 - d0));
      }
      EXPECT_LT(jump / own, 0.05) << name << " " << int(p[0]) << " -> " << int(p[1]);
    }
  }
}
