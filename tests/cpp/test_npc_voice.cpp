// NpcVoice: the engine-free audio path of UVocalSynthesisComponent, driven from real game and
// audio threads: lines and clips in, the archetype chain, events out when their sound is heard.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

#include "test_helpers.h"
#include "vocalsynth/npc_voice.h"
#include "vocalsynth/speech/text_frontend.h"
#include "vocalsynth/vocalsynth.h"

using namespace vocalsynth;

namespace {

constexpr double kRate = 48000.0;

speech::Utterance line(const char* text) {
  static const speech::Lexicon lexicon;  // empty: letter-to-sound rules voice every word
  auto result = speech::buildUtterance(text, lexicon, speech::SpeakerSettings{});
  EXPECT_TRUE(result.ok()) << text;
  return result.utterance;
}

}  // namespace

TEST(NpcVoice, SpeaksALineAndReportsEachEventWhenItsSoundIsOut) {
  NpcVoice npc;
  ASSERT_TRUE(npc.prepare(kRate, 256));
  npc.voice().setParams(findArchetype("vampire")->params, true);
  const speech::Utterance u = line("good evening traveller");
  const std::uint32_t id = npc.speak(u);
  ASSERT_GT(id, 0u);
  std::vector<float> out;
  std::vector<NpcVoiceEvent> events;
  std::vector<float> block(256);
  bool finished = false;
  for (int b = 0; b < 2000 && !finished; ++b) {
    npc.render(block.data(), 256);
    out.insert(out.end(), block.begin(), block.end());
    NpcVoiceEvent batch[64];
    const int n = npc.popEvents(batch, 64);
    for (int i = 0; i < n; ++i) {
      // Released in the block in which its sound came out, never before.
      EXPECT_LT(batch[i].sample, static_cast<std::int64_t>(out.size()));
      EXPECT_GE(batch[i].sample, static_cast<std::int64_t>(out.size()) - 256);
      EXPECT_EQ(batch[i].line, id);
      events.push_back(batch[i]);
      finished = finished || batch[i].type == NpcVoiceEvent::Type::LineFinished;
    }
  }
  ASSERT_TRUE(finished);
  EXPECT_EQ(npc.linesInFlight(), 0);
  std::vector<int> words;
  int visemes = 0;
  for (const auto& e : events) {
    if (e.type == NpcVoiceEvent::Type::Word) words.push_back(e.index);
    visemes += e.type == NpcVoiceEvent::Type::Viseme;
  }
  EXPECT_EQ(words, (std::vector<int>{0, 1, 2}));
  EXPECT_GT(visemes, 5);
  EXPECT_EQ(events.back().type, NpcVoiceEvent::Type::LineFinished);
  // The words are heard where their events say: voiced right after each word's event (within its
  // first 200 ms, since a word may open with a stop's closure, as "good" does).
  const double silence = vs_test::rms(out, 0, static_cast<size_t>(npc.voice().latencySamples()));
  for (const auto& e : events) {
    if (e.type != NpcVoiceEvent::Type::Word) continue;
    const auto at = static_cast<size_t>(e.sample);
    EXPECT_GT(vs_test::rms(out, at, at + 9600), 10.0 * silence + 1e-4) << "word " << e.index;
  }
}

TEST(NpcVoice, AnchorClipsGoThroughTheSameChainBitForBit) {
  const auto anchor = vs_test::anchor(kRate, 1.0);
  NpcVoice npc;
  ASSERT_TRUE(npc.prepare(kRate, 256, 4096, 5));
  npc.voice().setParams(findArchetype("zombie")->params, true);
  ASSERT_TRUE(npc.playAnchor(anchor));
  std::vector<float> viaNpc(anchor.size());
  for (size_t pos = 0; pos < anchor.size(); pos += 256) {
    npc.render(viaNpc.data() + pos, static_cast<int>(std::min<size_t>(256, anchor.size() - pos)));
  }
  Voice direct;
  direct.prepare(kRate, 256, 5);
  direct.setParams(findArchetype("zombie")->params, true);
  const auto expected = vs_test::render(direct, anchor, 256);
  EXPECT_EQ(viaNpc, expected);
  NpcVoiceEvent none[4];
  EXPECT_EQ(npc.popEvents(none, 4), 0);  // frees the finished clip; clips raise no events
}

TEST(NpcVoice, RenderNeverAllocatesAcrossLinesClipsAndEvents) {
  NpcVoice npc;
  ASSERT_TRUE(npc.prepare(kRate, 256));
  npc.voice().setParams(findArchetype("werewolf")->params, true);
  for (const char* text : {"run", "the moon is up", "you are lost"}) ASSERT_GT(npc.speak(line(text)), 0u);
  ASSERT_TRUE(npc.playAnchor(vs_test::anchor(kRate, 0.5)));
  std::vector<float> block(256);
  vs_test::gAllocations = 0;
  vs_test::gCountAllocations = true;
  for (int b = 0; b < 1000; ++b) npc.render(block.data(), 256);
  vs_test::gCountAllocations = false;
  EXPECT_EQ(vs_test::gAllocations.load(), 0);
  std::vector<NpcVoiceEvent> events(NpcVoice::kEventCapacity);
  int finishedLines = 0;
  for (int n = npc.popEvents(events.data(), static_cast<int>(events.size())), i = 0; i < n; ++i) {
    finishedLines += events[static_cast<size_t>(i)].type == NpcVoiceEvent::Type::LineFinished;
  }
  EXPECT_EQ(finishedLines, 3);
}

TEST(NpcVoice, GameThreadFloodsTheVoiceWhileTheAudioThreadRenders) {
  // What the UE component does: Blueprint setters, lines and clips from the game thread every
  // frame while the audio render thread runs. Under ThreadSanitizer in CI.
  NpcVoice npc;
  ASSERT_TRUE(npc.prepare(kRate, 256));
  std::atomic<bool> running{true};
  std::atomic<bool> finite{true};
  std::thread audio([&] {
    std::vector<float> block(256);
    while (running.load(std::memory_order_relaxed)) {
      npc.render(block.data(), 256);
      for (float x : block) {
        if (!std::isfinite(x)) finite = false;
      }
    }
  });
  const char* names[] = {"zombie", "vampire", "ghoul", "wraith"};
  const speech::Utterance u = line("brains");
  int finishedLines = 0, spoken = 0;
  std::uint32_t lastFinished = 0;
  // Runs until 12 lines have finished (a 120 s guard only stops a broken build from hanging).
  const auto giveUp = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  for (int frame = 0; finishedLines < 12 && std::chrono::steady_clock::now() < giveUp; ++frame) {
    npc.voice().setParams(findArchetype(names[frame % 4])->params);
    npc.voice().setIntensity({static_cast<float>(frame % 10) / 10.0f, 0.5f});
    npc.voice().setDetail(static_cast<VoiceDetail>(frame % 3));
    if (npc.linesInFlight() < 3 && npc.speak(u) > 0) ++spoken;
    if (frame % 500 == 0) npc.playAnchor(std::vector<float>(480, 0.1f));
    NpcVoiceEvent batch[64];
    const int n = npc.popEvents(batch, 64);
    for (int i = 0; i < n; ++i) {
      if (batch[i].type != NpcVoiceEvent::Type::LineFinished) continue;
      EXPECT_GT(batch[i].line, lastFinished) << "lines finish in order";
      lastFinished = batch[i].line;
      ++finishedLines;
    }
    if (frame % 64 == 0) std::this_thread::yield();
  }
  running = false;
  audio.join();
  EXPECT_TRUE(finite.load());
  EXPECT_GE(finishedLines, 12);
  EXPECT_GE(spoken, finishedLines);
}
