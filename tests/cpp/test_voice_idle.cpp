// The idle voice path: an NPC that is not speaking runs only its additive layers and limiter,
// and idling must change nothing anyone can hear or measure beyond that.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "test_helpers.h"

using namespace vocalsynth;

namespace {

constexpr double kRate = 48000.0;

/// The Zombie's voice path without its additive layers: what is left to hear in silence is the
/// voice path alone.
VoiceParams zombieWithoutLayers() { return vs_test::voicePathOnly("zombie"); }

/// A line, `gapSeconds` of digital silence, another line. `second` = where the second line starts:
/// on a control tick, with its first audible sample (the anchor's fade-in below -120 dBFS, which
/// counts as silence, is cut off).
std::vector<float> lineGapLine(double firstSeconds, double gapSeconds, double secondSeconds, size_t& second) {
  auto x = vs_test::anchor(kRate, firstSeconds, "aeiou", 0.0f, 1);
  x.resize(x.size() + static_cast<size_t>(std::lround(gapSeconds * kRate)), 0.0f);
  x.resize((x.size() + Voice::kControlInterval - 1) / Voice::kControlInterval * Voice::kControlInterval, 0.0f);
  second = x.size();
  const auto line = vs_test::anchor(kRate, secondSeconds, "ouaei", 0.0f, 2);
  auto audible = line.begin();
  while (std::fabs(*audible) <= 1e-6f) ++audible;
  x.insert(x.end(), audible, line.end());
  return x;
}

struct IdleRender {
  std::vector<float> out;
  std::vector<bool> idleAfterBlock;  // voice.idle() after each block
};

IdleRender renderPolling(Voice& voice, const std::vector<float>& in, int block) {
  IdleRender r{std::vector<float>(in.size()), {}};
  for (size_t pos = 0; pos < in.size(); pos += static_cast<size_t>(block)) {
    const int n = static_cast<int>(std::min<size_t>(static_cast<size_t>(block), in.size() - pos));
    voice.process(in.data() + pos, r.out.data() + pos, n);
    r.idleAfterBlock.push_back(voice.idle());
  }
  return r;
}

}  // namespace

TEST(VoiceIdle, SilenceIdlesTheVoicePathAndTheFirstSoundWakesIt) {
  size_t second = 0;
  const auto in = lineGapLine(1.0, 1.0, 0.5, second);
  Voice v;
  v.prepare(kRate, 480, 7);
  v.setParams(zombieWithoutLayers(), true);
  const int block = 480;  // 10 ms
  const auto r = renderPolling(v, in, block);
  const size_t lineEnd = 48000, blocks = r.idleAfterBlock.size();
  for (size_t b = 0; b < lineEnd / block; ++b) ASSERT_FALSE(r.idleAfterBlock[b]) << "block " << b << " (speech)";
  // Idle within 100 ms of silent input + 20 ms of quiet tail + the tail itself (< 100 ms here).
  size_t entered = blocks;
  for (size_t b = lineEnd / block; b < second / block; ++b) {
    if (r.idleAfterBlock[b]) {
      entered = b;
      break;
    }
  }
  ASSERT_LT(entered, blocks) << "never idled in a second of silence";
  EXPECT_LE((entered + 1) * block - lineEnd, static_cast<size_t>(0.25 * kRate));
  for (size_t b = entered; b < second / block; ++b) ASSERT_TRUE(r.idleAfterBlock[b]) << "block " << b;
  for (size_t b = second / block; b < blocks; ++b)
    ASSERT_FALSE(r.idleAfterBlock[b]) << "block " << b << " (speech again)";
  EXPECT_FALSE(v.idle());

  // What is heard: the tail dies below -100 dBFS before idling (so the reset is inaudible), and
  // from then on until the second line the output is exact silence.
  const size_t latency = static_cast<size_t>(v.latencySamples());
  const size_t entrySample = (entered + 1) * block;  // idle by the end of this block
  double tailPeak = 0.0;
  for (size_t i = entrySample + latency - static_cast<size_t>(0.02 * kRate); i < entrySample + latency; ++i) {
    tailPeak = std::max(tailPeak, static_cast<double>(std::fabs(r.out[i])));
  }
  EXPECT_LT(vs_test::toDb(tailPeak), -100.0);
  // (The second line's first output leads its latency by up to half the band filters' length.)
  for (size_t i = entrySample + latency; i < second + latency - 64; ++i) ASSERT_EQ(r.out[i], 0.0f) << "sample " << i;
  // And the second line is heard.
  EXPECT_GT(vs_test::toDb(vs_test::rms(r.out, second + latency, in.size())), -40.0);
}

TEST(VoiceIdle, AWokenVoiceIsBitIdenticalToANewOne) {
  // A voice path without noise (a formant move): once woken it must compute exactly what a new
  // voice computes from the same input (the second line starts on a control tick, and off the
  // analysis hops' old rhythm: 3015 ticks in, and hops are 8 ticks apart at 48 kHz).
  VoiceParams p;
  p.formantScale = 0.85f;
  p.bandwidthScale = 1.4f;
  size_t second = 0;
  const auto in = lineGapLine(1.0, 1.01, 0.5, second);
  ASSERT_EQ(second, 3015u * Voice::kControlInterval);
  Voice woken;
  woken.prepare(kRate, 700, 4);
  woken.setParams(p, true);
  bool idled = false;
  const auto out = vs_test::renderRandomBlocks(woken, in, 700, 17, [&] { idled = idled || woken.idle(); });
  ASSERT_TRUE(idled);
  Voice fresh;
  fresh.prepare(kRate, 700, 4);
  fresh.setParams(p, true);
  const std::vector<float> line(in.begin() + static_cast<long>(second), in.end());
  const auto expected = vs_test::render(fresh, line, 256);
  ASSERT_GT(vs_test::rms(expected), 1e-3);
  for (size_t i = 0; i < line.size(); ++i) ASSERT_EQ(out[second + i], expected[i]) << "sample " << i;
}

TEST(VoiceIdle, AWokenZombieSoundsLikeANewOne) {
  // With noise in the path (jitter, shimmer, roughness, breath) the streams carry on through
  // idle, so the bits differ from a new voice's, but not the sound: the same level and the same
  // spectral balance. (Without the corporeal layer, whose few random events would dominate.)
  size_t second = 0;
  const auto in = lineGapLine(1.0, 1.0, 1.0, second);
  Voice woken;
  woken.prepare(kRate, 512, 9);
  woken.setParams(zombieWithoutLayers(), true);
  const auto out = vs_test::render(woken, in, 512);
  Voice fresh;
  fresh.prepare(kRate, 512, 9);
  fresh.setParams(zombieWithoutLayers(), true);
  const std::vector<float> line(in.begin() + static_cast<long>(second), in.end());
  const auto expected = vs_test::render(fresh, line, 512);
  const std::vector<float> heard(out.begin() + static_cast<long>(second), out.end());
  EXPECT_NEAR(vs_test::toDb(vs_test::rms(heard)), vs_test::toDb(vs_test::rms(expected)), 1.0);
  // Level in octave bands (two cascaded band-pass SVFs at Q 1.4), relative to the whole.
  auto band = [](const std::vector<float>& x, float f) {
    Svf a, b;
    a.setup(f, 1.4f, static_cast<float>(kRate));
    b.setup(f, 1.4f, static_cast<float>(kRate));
    std::vector<float> y(x.size());
    for (size_t i = 0; i < x.size(); ++i) y[i] = b.bandPass(a.bandPass(x[i]));
    return vs_test::toDb(vs_test::rms(y) / vs_test::rms(x));
  };
  for (float f : {250.0f, 500.0f, 1000.0f, 2000.0f, 4000.0f}) {
    EXPECT_NEAR(band(heard, f), band(expected, f), 1.5) << f << " Hz";
  }
}

TEST(VoiceIdle, IdlingKeepsEveryArchetypeIndependentOfBlockSize) {
  size_t second = 0;
  const auto in = lineGapLine(0.3, 0.4, 0.2, second);
  for (const char* name : vs_test::archetypeNames()) {
    const auto whole = vs_test::renderArchetype(name, in, kRate, static_cast<int>(in.size()));
    const auto single = vs_test::renderArchetype(name, in, kRate, 1);
    Voice v;
    v.prepare(kRate, 700, 3);
    v.setParams(findArchetype(name)->params, true);
    bool idled = false;
    const auto randomBlocks = vs_test::renderRandomBlocks(v, in, 700, 5, [&] { idled = idled || v.idle(); });
    EXPECT_TRUE(idled) << name << " never idled";
    ASSERT_EQ(vs_test::firstBitDifference(whole, single), -1) << name;
    ASSERT_EQ(vs_test::firstBitDifference(whole, randomBlocks), -1) << name;
  }
}

TEST(VoiceIdle, LayersPlayOnWhileTheVoicePathIdles) {
  // A Vampire standing silent keeps its heartbeat; its voice path is idle meanwhile.
  const std::vector<float> silence(static_cast<size_t>(2 * kRate), 0.0f);
  Voice v;
  v.prepare(kRate, 480, 1);
  v.setParams(findArchetype("vampire")->params, true);
  const auto r = renderPolling(v, silence, 480);
  EXPECT_TRUE(v.idle());
  EXPECT_FALSE(v.formantStageActive());
  EXPECT_GT(vs_test::rms(r.out, 48000, 96000), 1e-4);
}
