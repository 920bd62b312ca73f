// The lock-free parameter pipeline under real threads (CI runs this binary under
// ThreadSanitizer too): no torn reads, no lost final value, and a voice fed thousands of
// updates per block keeps producing finite audio.
#include <gtest/gtest.h>

#include <atomic>
#include <cmath>
#include <thread>
#include <vector>

#include "test_helpers.h"

using namespace vocalsynth;

namespace {
struct Wide {
  // Large enough that a torn copy would be caught: every field carries the same counter.
  std::uint64_t fields[32];
};
}  // namespace

TEST(ParamPipeline, LastValueWinsSequentially) {
  ParamPipeline<int> pipe(0);
  int out = -1;
  EXPECT_FALSE(pipe.read(out));
  EXPECT_EQ(out, -1);
  pipe.write(1);
  pipe.write(2);
  pipe.write(3);
  EXPECT_TRUE(pipe.read(out));
  EXPECT_EQ(out, 3);
  EXPECT_FALSE(pipe.read(out));  // nothing new
  pipe.write(4);
  EXPECT_TRUE(pipe.read(out));
  EXPECT_EQ(out, 4);
}

TEST(ParamPipeline, FloodingWriterNeverTearsAndFinalValueArrives) {
  ParamPipeline<Wide> pipe(Wide{});
  constexpr std::uint64_t kWrites = 200000;
  std::atomic<bool> done{false};
  std::thread writer([&] {
    Wide w{};
    for (std::uint64_t i = 1; i <= kWrites; ++i) {
      for (auto& f : w.fields) f = i;
      pipe.write(w);
    }
    done.store(true, std::memory_order_release);
  });
  std::uint64_t last = 0, reads = 0;
  bool torn = false, backwards = false;
  Wide got{};
  auto check = [&] {
    ++reads;
    for (auto f : got.fields) torn |= f != got.fields[0];
    backwards |= got.fields[0] < last;
    last = got.fields[0];
  };
  while (true) {
    const bool finished = done.load(std::memory_order_acquire);
    if (pipe.read(got)) check();
    if (finished) {
      // Everything the writer did happened before `done`: one more read sees its last value.
      if (pipe.read(got)) check();
      break;
    }
  }
  writer.join();
  EXPECT_FALSE(torn);
  EXPECT_FALSE(backwards);
  EXPECT_EQ(last, kWrites);
  EXPECT_GT(reads, 0u);
}

TEST(ParamPipeline, VoiceSurvivesThousandsOfUpdatesPerBlock) {
  Voice voice;
  ASSERT_EQ(voice.prepare(48000.0, 256, 9), PrepareResult::Ok);
  const auto input = vs_test::anchor(48000.0, 1.0);
  std::atomic<bool> stop{false};
  const VoiceParams zombie = findArchetype("zombie")->params;
  const VoiceParams werewolf = findArchetype("werewolf")->params;
  std::atomic<int> writes{0};
  std::thread gameThread([&] {
    int i = 0;
    while (!stop.load(std::memory_order_acquire)) {
      voice.setParams(morph(zombie, werewolf, static_cast<float>(i % 1000) / 999.0f));
      voice.setIntensity({static_cast<float>(i % 100) / 99.0f, 0.5f});
      ++i;
      writes.fetch_add(1, std::memory_order_relaxed);
    }
    voice.setParams(werewolf);  // the last word
  });
  std::vector<float> out(256);
  bool finite = true;
  // Render until the writer has flooded the pipeline (at least 400 blocks): on a loaded machine
  // the game thread may not be scheduled at first, so the overlap is counted, not assumed.
  int writesDuringRender = 0;
  for (int block = 0; block < 200000 && (block < 400 || writesDuringRender < 4000); ++block) {
    const size_t pos = static_cast<size_t>(block * 256) % (input.size() - 256);
    const int before = writes.load(std::memory_order_relaxed);
    voice.process(input.data() + pos, out.data(), 256);
    const int after = writes.load(std::memory_order_relaxed);
    if (after > before) writesDuringRender += after - before;
    for (float y : out) finite &= std::isfinite(y) && std::fabs(y) <= 1.0f;
  }
  stop.store(true, std::memory_order_release);
  gameThread.join();
  // After the writer stops, a couple of seconds of audio settle every smoother on its target.
  for (int block = 0; block < 400; ++block) voice.process(input.data(), out.data(), 256);
  EXPECT_TRUE(finite);
  EXPECT_GE(writesDuringRender, 4000) << "the game thread hardly ran while the audio thread rendered";
  for (size_t i = 0; i < paramCount(); ++i) {
    const ParamInfo& info = paramInfos()[i];
    EXPECT_FLOAT_EQ(voice.currentParams().*(info.member), werewolf.*(info.member)) << info.name;
  }
}
