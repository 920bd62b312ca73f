// Memory per voice: what prepare() allocates (counted by the test binary's operator new, see
// test_voice.cpp) plus the object itself, for each way a game holds a voice. Thousands of NPCs
// is a memory plan as much as a CPU one; these budgets keep it one a game can make, and the
// README quotes the numbers printed here.
#include <gtest/gtest.h>

#include <cstdio>
#include <memory>

#include "test_helpers.h"
#include "vocalsynth/crowd/crowd_engine.h"
#include "vocalsynth/npc_voice.h"

namespace {

struct Footprint {
  long long heapBytes = 0;
  long allocations = 0;
  long frees = 0;
};

/// Heap bytes and allocations made by `prepare` (armed counters), the object built beforehand.
template <class Prepare>
Footprint measure(Prepare prepare) {
  const long long bytesBefore = vs_test::gAllocatedBytes.load();
  const long allocationsBefore = vs_test::gAllocations.load();
  const long freesBefore = vs_test::gFrees.load();
  vs_test::gCountAllocations = true;
  prepare();
  vs_test::gCountAllocations = false;
  return {vs_test::gAllocatedBytes.load() - bytesBefore, vs_test::gAllocations.load() - allocationsBefore,
          vs_test::gFrees.load() - freesBefore};
}

double kib(long long bytes) { return static_cast<double>(bytes) / 1024.0; }

}  // namespace

TEST(Memory, AFullChainVoiceFitsItsBudgetAtEveryRate) {
  // Voice: the archetype chain (the source effect, the MetaSound node). Its buffers scale with
  // the rate (delay lines, the band split) and the host block; 96 kHz at 2048 is the largest.
  for (const double rate : {16000.0, 48000.0, 96000.0}) {
    for (const int block : {256, 2048}) {
      auto voice = std::make_unique<vocalsynth::Voice>();
      const Footprint f = measure([&] { ASSERT_EQ(voice->prepare(rate, block, 1), vocalsynth::PrepareResult::Ok); });
      const long long total = static_cast<long long>(sizeof(vocalsynth::Voice)) + f.heapBytes;
      std::printf("Voice %6.0f Hz, block %4d: %7.1f KiB (object %.1f, heap %.1f in %ld allocations)\n", rate, block,
                  kib(total), kib(sizeof(vocalsynth::Voice)), kib(f.heapBytes), f.allocations);
      EXPECT_GT(f.heapBytes, 0) << "prepare() allocates the chain's buffers";
      // Measured 59-81 KiB (16-96 kHz, the same at any block: the chain runs in fixed pieces).
      EXPECT_LT(total, (rate <= 48000.0 ? 96 : 128) * 1024LL) << rate << " Hz, block " << block;
      // A second prepare (a device restart) frees what it replaces: the live heap does not grow.
      const Footprint again =
          measure([&] { ASSERT_EQ(voice->prepare(rate, block, 1), vocalsynth::PrepareResult::Ok); });
      EXPECT_EQ(again.allocations, again.frees) << rate << " Hz, block " << block;
    }
  }
}

TEST(Memory, ASpeakingNpcFitsItsBudget) {
  // NpcVoice: the chain, the synthesizer for lines up to 4096 phones, and the lock-free queues
  // of lines, clips and events (the voice component).
  auto npc = std::make_unique<vocalsynth::NpcVoice>();
  const Footprint f = measure([&] { ASSERT_TRUE(npc->prepare(48000.0, 1024, 4096, 1)); });
  const long long total = static_cast<long long>(sizeof(vocalsynth::NpcVoice)) + f.heapBytes;
  std::printf("NpcVoice 48 kHz, block 1024, 4096 phones: %.1f KiB (object %.1f, heap %.1f in %ld allocations)\n",
              kib(total), kib(sizeof(vocalsynth::NpcVoice)), kib(f.heapBytes), f.allocations);
  EXPECT_LT(total, 384 * 1024LL);  // measured 260 KiB
  // Most of that is the longest line it can hold: a 64-phone limit (barks) costs less.
  auto bark = std::make_unique<vocalsynth::NpcVoice>();
  const Footprint small = measure([&] { ASSERT_TRUE(bark->prepare(48000.0, 1024, 64, 1)); });
  EXPECT_LT(small.heapBytes, f.heapBytes);
}

TEST(Memory, ACrowdVoiceCostsAboutAKilobyte) {
  // CrowdEngine: a slot per voice (its state as plain floats, lane blocks, the scheduler's
  // entries); what a slot costs is the growth from 256 to 4096 voices.
  long long heap[2] = {0, 0};
  const int capacities[2] = {256, 4096};
  for (int i = 0; i < 2; ++i) {
    auto crowd = std::make_unique<vocalsynth::CrowdEngine>();
    heap[i] = measure([&] { ASSERT_TRUE(crowd->prepare(48000.0, 256, capacities[i])); }).heapBytes;
  }
  const double perVoice = static_cast<double>(heap[1] - heap[0]) / static_cast<double>(capacities[1] - capacities[0]);
  std::printf("CrowdEngine 48 kHz, block 256: %.0f bytes per voice; %.1f KiB for 256 voices, %.1f KiB for 4096\n",
              perVoice, kib(heap[0]), kib(heap[1]));
  EXPECT_GT(perVoice, 64.0);
  EXPECT_LT(perVoice, 2048.0);            // measured 1.3 KB
  EXPECT_LT(heap[0], 2LL * 1024 * 1024);  // the engine itself (buses, scratch) and 256 voices: 1.7 MiB
}
