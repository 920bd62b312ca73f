// InterleavedVoice: the archetype chain over an engine's interleaved source buffer (the UE source
// effect's DSP): channels fold to their mean, the voice goes to every channel, any buffer size.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "test_helpers.h"
#include "vocalsynth/interleaved_voice.h"
#include "vocalsynth/vocalsynth.h"

using namespace vocalsynth;
using vs_test::anchor;
using vs_test::renderArchetype;

namespace {

constexpr double kRate = 48000.0;
constexpr std::uint64_t kSeed = 11;

// Interleaves `channels` copies of x, each scaled by its gain.
std::vector<float> interleave(const std::vector<float>& x, const std::vector<float>& gains) {
  const std::size_t c = gains.size();
  std::vector<float> out(x.size() * c);
  for (std::size_t i = 0; i < x.size(); ++i) {
    for (std::size_t k = 0; k < c; ++k) out[i * c + k] = x[i] * gains[k];
  }
  return out;
}

// Runs an InterleavedVoice over `in` in the engine-like buffer sizes given (frames), in place.
std::vector<float> runInPlace(const char* archetype, int channels, std::vector<float> in,
                              const std::vector<int>& frames) {
  InterleavedVoice v;
  EXPECT_TRUE(v.prepare(kRate, channels, 512, kSeed));
  v.voice().setParams(findArchetype(archetype)->params, true);
  std::size_t pos = 0;
  for (std::size_t b = 0; pos < in.size(); ++b) {
    const std::size_t n = std::min(in.size() - pos, static_cast<std::size_t>(frames[b % frames.size()] * channels));
    v.process(in.data() + pos, in.data() + pos, static_cast<int>(n));
    pos += n;
  }
  return in;
}

}  // namespace

TEST(InterleavedVoice, AMonoSourceGetsExactlyTheVoicesOwnOutput) {
  const auto x = anchor(kRate, 1.0);
  const auto expected = renderArchetype("zombie", x, kRate, 480, kSeed);
  // Engine buffers of odd sizes, some longer than the 512 frames prepared (split inside).
  const auto got = runInPlace("zombie", 1, x, {441, 1024, 7, 2048, 256});
  ASSERT_EQ(got.size(), expected.size());
  for (std::size_t i = 0; i < got.size(); ++i) ASSERT_EQ(got[i], expected[i]) << "sample " << i;
}

TEST(InterleavedVoice, ChannelsFoldToTheirMeanAndEveryChannelCarriesTheVoice) {
  const auto x = anchor(kRate, 1.0);
  const auto expected = renderArchetype("wraith", x, kRate, 480, kSeed);
  // A dual-mono stereo source: the voice of x, bit for bit, on both channels.
  const auto stereo = runInPlace("wraith", 2, interleave(x, {1.0f, 1.0f}), {256, 1000, 33});
  // A source panned hard left: the voice of its mean, x / 2.
  std::vector<float> half(x.size());
  for (std::size_t i = 0; i < x.size(); ++i) half[i] = x[i] * 0.5f;
  const auto expectedHalf = renderArchetype("wraith", half, kRate, 480, kSeed);
  const auto left = runInPlace("wraith", 2, interleave(x, {1.0f, 0.0f}), {512});
  for (std::size_t i = 0; i < x.size(); ++i) {
    ASSERT_EQ(stereo[2 * i], expected[i]) << "L " << i;
    ASSERT_EQ(stereo[2 * i + 1], expected[i]) << "R " << i;
    ASSERT_EQ(left[2 * i], expectedHalf[i]) << "L " << i;
    ASSERT_EQ(left[2 * i + 1], expectedHalf[i]) << "R " << i;
  }
  // And the voice is the archetype's, not the dry input: well apart from it.
  double diff = 0.0, energy = 0.0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    diff += (stereo[2 * i] - x[i]) * (stereo[2 * i] - x[i]);
    energy += x[i] * x[i];
  }
  EXPECT_GT(diff / energy, 0.1);
}

TEST(InterleavedVoice, RejectsBadSetupsZeroesPartialFramesAndNeverAllocates) {
  InterleavedVoice v;
  EXPECT_FALSE(v.prepare(kRate, 0, 256));
  EXPECT_FALSE(v.prepare(kRate, 9, 256));
  EXPECT_FALSE(v.prepare(kRate, 2, 0));
  EXPECT_FALSE(v.prepare(8000.0, 2, 256));
  std::vector<float> buffer(7, 0.5f);
  v.process(buffer.data(), buffer.data(), 7);  // not prepared: silence, not garbage
  for (float s : buffer) EXPECT_EQ(s, 0.0f);

  ASSERT_TRUE(v.prepare(kRate, 2, 256));
  v.voice().setParams(findArchetype("ghoul")->params, true);
  const auto x = anchor(kRate, 0.5);
  std::vector<float> stereo = interleave(x, {0.7f, 0.3f});
  vs_test::gAllocations = 0;
  vs_test::gCountAllocations = true;
  for (std::size_t pos = 0; pos + 2001 <= stereo.size(); pos += 2001)
    v.process(stereo.data() + pos, stereo.data() + pos, 2001);
  vs_test::gCountAllocations = false;
  EXPECT_EQ(vs_test::gAllocations.load(), 0);
  // 2001 samples are 1000 frames and a half: the half frame is zeroed, never left as input.
  EXPECT_EQ(stereo[2000], 0.0f);
  for (float s : stereo) EXPECT_TRUE(std::isfinite(s));
}
