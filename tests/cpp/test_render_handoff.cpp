// RenderHandoff: a game thread replaces the object an audio thread renders (the UE components'
// Init at a new device rate) and frees the old one at once, while the audio thread keeps
// rendering. Real threads; the ASan and TSan builds see any use after free or race.
#include <gtest/gtest.h>

#include <atomic>
#include <cmath>
#include <memory>
#include <thread>
#include <vector>

#include "vocalsynth/npc_voice.h"
#include "vocalsynth/render_handoff.h"
#include "vocalsynth/vocalsynth.h"

using namespace vocalsynth;

namespace {

// Plain (non-atomic) state, as a real engine's: only the handoff orders the two threads' access.
struct Engine {
  static constexpr int kAlive = 0x5eed, kDead = -1;
  int state = kAlive;
  std::vector<float> buffer = std::vector<float>(64, 0.0f);
  std::int64_t rendered = 0;
  bool render() {
    for (float& v : buffer) v += 1.0f;
    ++rendered;
    return state == kAlive;
  }
};

}  // namespace

TEST(RenderHandoff, TheAudioThreadNeverRendersAnObjectTheGameThreadFreed) {
  RenderHandoff<Engine> handoff;
  auto first = std::make_unique<Engine>();
  EXPECT_EQ(handoff.exchange(first.get()), nullptr);
  std::atomic<bool> done{false};
  std::atomic<std::int64_t> blocks{0}, dead{0}, empty{0};
  std::thread audio([&] {
    while (!done.load(std::memory_order_acquire)) {
      Engine* engine = handoff.acquire();
      if (engine == nullptr) ++empty;
      else if (!engine->render()) ++dead;
      handoff.release();
      ++blocks;
    }
  });
  std::unique_ptr<Engine> owned = std::move(first);
  for (int swap = 0; swap < 3000; ++swap) {
    auto next = swap % 100 == 99 ? nullptr : std::make_unique<Engine>();  // now and then: no engine at all
    Engine* previous = handoff.exchange(next.get());
    ASSERT_EQ(previous, owned.get());
    if (previous != nullptr) previous->state = Engine::kDead;  // what a use after this would see
    const bool none = next == nullptr;
    owned = std::move(next);  // frees the previous engine
    if (swap % 50 == 0 || none) {
      // Let it render the new one (or see that there is none) before the next swap.
      const std::int64_t seen = blocks.load();
      while (blocks.load() < seen + 2) std::this_thread::yield();
    }
  }
  done.store(true, std::memory_order_release);
  audio.join();
  EXPECT_EQ(dead.load(), 0) << "rendered an engine after exchange() handed it back";
  EXPECT_GT(blocks.load(), 100);
  EXPECT_GT(empty.load(), 0);  // the null stretches were seen as "nothing to render"
  EXPECT_EQ(handoff.exchange(nullptr), owned.get());
}

TEST(RenderHandoff, AnNpcVoiceRestartedAtNewDeviceRatesWhileRenderingPlaysOn) {
  // The component's case: each restart prepares a new voice at the new rate and frees the old one
  // while the render callback keeps running.
  RenderHandoff<NpcVoice> handoff;
  auto voice = std::make_unique<NpcVoice>();
  ASSERT_TRUE(voice->prepare(48000.0, 512));
  voice->voice().setParams(findArchetype("zombie")->params, true);
  handoff.exchange(voice.get());
  std::atomic<bool> done{false};
  std::atomic<std::int64_t> blocks{0}, nonFinite{0};
  std::thread audio([&] {
    std::vector<float> block(256);
    while (!done.load(std::memory_order_acquire)) {
      if (NpcVoice* npc = handoff.acquire()) {
        npc->render(block.data(), 256);
        for (float v : block) nonFinite += std::isfinite(v) ? 0 : 1;
      }
      handoff.release();
      ++blocks;
    }
  });
  const double rates[] = {44100.0, 48000.0, 96000.0, 22050.0, 48000.0};
  for (double rate : rates) {
    auto next = std::make_unique<NpcVoice>();
    ASSERT_TRUE(next->prepare(rate, 512));
    next->voice().setParams(findArchetype("zombie")->params, true);
    ASSERT_EQ(handoff.exchange(next.get()), voice.get());
    voice = std::move(next);  // the old voice is freed here, with the render callback running
    const std::int64_t seen = blocks.load();
    while (blocks.load() < seen + 20) std::this_thread::yield();
  }
  done.store(true, std::memory_order_release);
  audio.join();
  EXPECT_EQ(nonFinite.load(), 0);
  EXPECT_EQ(handoff.exchange(nullptr), voice.get());
}
