// PolledVoice: the archetype chain driven by controls polled every block (the UE MetaSound node's
// input pins). Measured on the output against the Voice driven directly, bit for bit.
#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <limits>
#include <string>
#include <vector>

#include "test_helpers.h"
#include "vocalsynth/polled_voice.h"
#include "vocalsynth/vocalsynth.h"

using namespace vocalsynth;
using vs_test::anchor;

namespace {

constexpr double kRate = 48000.0;
constexpr int kBlock = 256;  // a MetaSound block at 48 kHz
constexpr std::uint64_t kSeed = 5;
constexpr int kChangeBlock = 40;

// Runs a PolledVoice over x in kBlock blocks; controlsAt(block) gives each block's pins.
std::vector<float> runPolled(PolledVoice& v, const std::vector<float>& x,
                             const std::function<PolledControls(int)>& controlsAt) {
  std::vector<float> out(x.size());
  for (std::size_t pos = 0, b = 0; pos < x.size(); pos += kBlock, ++b) {
    const int n = static_cast<int>(std::min<std::size_t>(kBlock, x.size() - pos));
    v.process(controlsAt(static_cast<int>(b)), x.data() + pos, out.data() + pos, n);
  }
  return out;
}

std::vector<float> runPolled(const std::vector<float>& x, const std::function<PolledControls(int)>& controlsAt) {
  PolledVoice v;
  EXPECT_EQ(v.prepare(kRate, kBlock, kSeed), PrepareResult::Ok);
  return runPolled(v, x, controlsAt);
}

PolledControls controls(const char* archetype, const char* emotion = "neutral", float proximity = 0.8f,
                        float environment = 0.2f, int detail = 0) {
  PolledControls c;
  c.archetype = archetype;
  c.emotion = emotion;
  c.proximity = proximity;
  c.environment = environment;
  c.detail = detail;
  return c;
}

// The same voice driven directly: starts on (archetype, emotion, proximity, environment, detail)
// at once; beforeBlock(voice, block) may change it at a block's start.
std::vector<float> runDirect(const std::vector<float>& x, const char* archetype, const char* emotion, float proximity,
                             float environment, VoiceDetail detail,
                             const std::function<void(Voice&, int)>& beforeBlock = nullptr) {
  Voice voice;
  EXPECT_EQ(voice.prepare(kRate, kBlock, kSeed), PrepareResult::Ok);
  voice.setParams(withEmotion(archetypeParamsFor(*findArchetype(archetype), emotion), emotion), true);
  voice.setIntensity({proximity, environment}, true);
  voice.setDetail(detail);
  std::vector<float> out(x.size());
  for (std::size_t pos = 0, b = 0; pos < x.size(); pos += kBlock, ++b) {
    if (beforeBlock) beforeBlock(voice, static_cast<int>(b));
    const int n = static_cast<int>(std::min<std::size_t>(kBlock, x.size() - pos));
    voice.process(x.data() + pos, out.data() + pos, n);
  }
  return out;
}

void expectSameBits(const std::vector<float>& got, const std::vector<float>& expected) {
  ASSERT_EQ(got.size(), expected.size());
  for (std::size_t i = 0; i < got.size(); ++i) ASSERT_EQ(got[i], expected[i]) << "sample " << i;
}

// Level of the difference between a and b after the change, relative to b's level there (dB).
double differenceDb(const std::vector<float>& a, const std::vector<float>& b) {
  const std::size_t from = static_cast<std::size_t>((kChangeBlock + 20) * kBlock);
  std::vector<float> d(a.size());
  for (std::size_t i = 0; i < a.size(); ++i) d[i] = a[i] - b[i];
  return vs_test::toDb(vs_test::rms(d, from) / vs_test::rms(b, from));
}

}  // namespace

TEST(PolledVoice, ConstantControlsGiveTheArchetypesVoiceBitForBitInAnyCase) {
  const auto x = anchor(kRate, 1.0);
  const auto expected = runDirect(x, "zombie", "rage", 0.8f, 0.2f, VoiceDetail::Near);
  expectSameBits(runPolled(x, [](int) { return controls("zombie", "rage"); }), expected);
  // Pins typed by hand: names are taken in any case.
  expectSameBits(runPolled(x, [](int) { return controls("ZomBie", "RAGE"); }), expected);
  // And the emotion's overrides matter: Zombie's rage is not its neutral voice.
  const auto neutral = runDirect(x, "zombie", "neutral", 0.8f, 0.2f, VoiceDetail::Near);
  EXPECT_GT(differenceDb(expected, neutral), -30.0);
}

TEST(PolledVoice, AChangedPinGlidesInAsSetParamsDoes) {
  const auto x = anchor(kRate, 1.5);
  const auto got = runPolled(
      x, [](int b) { return b < kChangeBlock ? controls("zombie") : controls("werewolf", "menace", 0.3f, 0.9f, 1); });
  const auto expected = runDirect(x, "zombie", "neutral", 0.8f, 0.2f, VoiceDetail::Near, [](Voice& v, int b) {
    if (b != kChangeBlock) return;
    v.setParams(withEmotion(archetypeParamsFor(*findArchetype("werewolf"), "menace"), "menace"));  // smoothed
    v.setIntensity({0.3f, 0.9f});
    v.setDetail(VoiceDetail::Mid);
  });
  expectSameBits(got, expected);
  // The change took: the voice after it is the werewolf's, far from the zombie it was.
  const auto zombie = runDirect(x, "zombie", "neutral", 0.8f, 0.2f, VoiceDetail::Near);
  EXPECT_GT(differenceDb(got, zombie), -10.0);
}

TEST(PolledVoice, AnUnknownNameKeepsTheVoiceAndIsReported) {
  const auto x = anchor(kRate, 1.0);
  const auto zombie = runDirect(x, "zombie", "neutral", 0.8f, 0.2f, VoiceDetail::Near);
  const std::string tooLong(40, 'z');
  for (const char* wrong : {"vampyre", "", tooLong.c_str(), "zombiezombiezombiezombiezombiezombie"}) {
    PolledVoice v;
    ASSERT_EQ(v.prepare(kRate, kBlock, kSeed), PrepareResult::Ok);
    const auto got = runPolled(v, x, [&](int b) { return b < kChangeBlock ? controls("zombie") : controls(wrong); });
    expectSameBits(got, zombie);
    EXPECT_FALSE(v.archetypeKnown()) << wrong;
    EXPECT_STREQ(v.archetype()->name, "zombie");
  }
  // An unknown emotion keeps the emotion in effect.
  PolledVoice v;
  ASSERT_EQ(v.prepare(kRate, kBlock, kSeed), PrepareResult::Ok);
  const auto got =
      runPolled(v, x, [](int b) { return b < kChangeBlock ? controls("zombie") : controls("zombie", "furious"); });
  expectSameBits(got, zombie);
  EXPECT_FALSE(v.emotionKnown());
  EXPECT_TRUE(v.archetypeKnown());
  // A known name afterwards is taken again.
  std::vector<float> block(kBlock);
  v.process(controls("vampire", "fear"), x.data(), block.data(), kBlock);
  EXPECT_TRUE(v.archetypeKnown());
  EXPECT_TRUE(v.emotionKnown());
  EXPECT_STREQ(v.archetype()->name, "vampire");
}

TEST(PolledVoice, NumbersAreClampedAndNonFiniteOnesKeepTheValueInEffect) {
  const auto x = anchor(kRate, 1.0);
  const float nan = std::numeric_limits<float>::quiet_NaN(), inf = std::numeric_limits<float>::infinity();
  const auto steady = runDirect(x, "ghoul", "neutral", 0.8f, 0.2f, VoiceDetail::Near);
  expectSameBits(
      runPolled(x,
                [&](int b) { return b < kChangeBlock ? controls("ghoul") : controls("ghoul", "neutral", nan, inf); }),
      steady);
  // Out of range: the nearest end of the range (proximity 7 is 1, environment -3 is 0, detail 9 is Far).
  const auto clamped = runPolled(x, [](int) { return controls("ghoul", "neutral", 7.0f, -3.0f, 9); });
  expectSameBits(clamped, runDirect(x, "ghoul", "neutral", 1.0f, 0.0f, VoiceDetail::Far));
  for (float s : clamped) ASSERT_TRUE(std::isfinite(s));
}

TEST(PolledVoice, ResetStartsAFreshVoiceOnTheControlsOfTheNextBlock) {
  const auto x = anchor(kRate, 0.8);
  PolledVoice v;
  ASSERT_EQ(v.prepare(kRate, kBlock, kSeed), PrepareResult::Ok);
  runPolled(v, x, [](int) { return controls("lich", "sorrow"); });
  v.reset();
  // After the reset: exactly a new voice that starts on the new pins (no glide from the lich).
  expectSameBits(runPolled(v, x, [](int) { return controls("banshee", "fear"); }),
                 runDirect(x, "banshee", "fear", 0.8f, 0.2f, VoiceDetail::Near));
}

TEST(PolledVoice, ResetWithASeedIsANodePreparedWithIt) {
  // The MetaSound node's Reset takes its Seed pin: a pooled node's next play is the voice that a
  // node built with that seed gives, bit for bit, and another seed is another voice.
  const auto x = anchor(kRate, 0.8);
  auto zombie = [](int) { return controls("zombie", "rage"); };
  PolledVoice pooled, built;
  ASSERT_EQ(pooled.prepare(kRate, kBlock, 77), PrepareResult::Ok);
  ASSERT_EQ(built.prepare(kRate, kBlock, kSeed), PrepareResult::Ok);
  const auto before = runPolled(pooled, x, zombie);
  pooled.reset(kSeed);
  const auto after = runPolled(pooled, x, zombie);
  expectSameBits(after, runPolled(built, x, zombie));
  EXPECT_NE(before, after);
}

TEST(PolledVoice, ProcessNeverAllocatesNorDoesAnUnpreparedVoiceWriteAnythingButSilence) {
  const auto x = anchor(kRate, 0.5);
  PolledVoice v;
  ASSERT_EQ(v.prepare(kRate, kBlock, kSeed), PrepareResult::Ok);
  std::vector<float> out(x.size());
  const char* names[] = {"zombie", "wraith", "nobody", "SWARM"};
  vs_test::gAllocations = 0;
  vs_test::gCountAllocations = true;
  for (std::size_t pos = 0, b = 0; pos + kBlock <= x.size(); pos += kBlock, ++b) {
    v.process(controls(names[(b / 10) % 4], b % 20 < 10 ? "whisper" : "rage", 0.1f * static_cast<float>(b % 10)),
              x.data() + pos, out.data() + pos, kBlock);
    if (b == 30) v.reset();
  }
  vs_test::gCountAllocations = false;
  EXPECT_EQ(vs_test::gAllocations.load(), 0);
  PolledVoice unprepared;
  EXPECT_EQ(unprepared.prepare(8000.0, kBlock), PrepareResult::UnsupportedSampleRate);
  std::vector<float> y(kBlock, 1.0f);
  unprepared.process(controls("zombie"), x.data(), y.data(), kBlock);
  for (float s : y) ASSERT_EQ(s, 0.0f);
}
