// NpcVoice: the engine-free audio path of UVocalSynthesisComponent, driven from real game and
// audio threads: lines and clips in, the archetype chain, events out when their sound is heard.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <limits>
#include <map>
#include <string>
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

namespace {

/// Renders `blocks` blocks of 256, appending the audio to `out` and the events to `events`.
void renderBlocks(NpcVoice& npc, int blocks, std::vector<float>& out, std::vector<NpcVoiceEvent>& events) {
  std::vector<float> block(256);
  for (int b = 0; b < blocks; ++b) {
    npc.render(block.data(), 256);
    out.insert(out.end(), block.begin(), block.end());
    NpcVoiceEvent batch[64];
    for (int n = npc.popEvents(batch, 64), i = 0; i < n; ++i) events.push_back(batch[i]);
  }
}

double peak(const std::vector<float>& x, size_t from, size_t to) {
  float p = 0.0f;
  for (size_t i = from; i < to && i < x.size(); ++i) p = std::max(p, std::abs(x[i]));
  return p;
}

}  // namespace

TEST(NpcVoice, StopFadesTheLineOutAndDropsWhatWasQueuedBeforeIt) {
  // Human 12 dB down (a transparent chain, the limiter idle), so the fade can be checked sample
  // by sample against the same line left to play.
  NpcVoice npc, reference;
  ASSERT_TRUE(npc.prepare(kRate, 256));
  ASSERT_TRUE(reference.prepare(kRate, 256));
  VoiceParams quiet;
  quiet.outputGainDb = -12.0f;
  npc.voice().setParams(quiet, true);
  reference.voice().setParams(quiet, true);
  const speech::Utterance sentence = line("nobody passes until the moon is high, stranger");
  const std::uint32_t first = npc.speak(sentence);
  const std::uint32_t second = npc.speak(line("the gate is closed"));
  const std::uint32_t third = npc.speak(line("go away"));
  ASSERT_GT(reference.speak(sentence), 0u);
  std::vector<float> out, unstopped;
  std::vector<NpcVoiceEvent> events, ignored;
  renderBlocks(npc, 188, out, events);  // ~1 s: mid-sentence
  const size_t stopAt = out.size();
  npc.stop(0.05f);
  renderBlocks(npc, 200, out, events);
  const size_t spokenAgain = out.size();
  const std::uint32_t after = npc.speak(line("run"));
  renderBlocks(npc, 1000, out, events);
  renderBlocks(reference, 388, unstopped, ignored);
  EXPECT_EQ(npc.linesInFlight(), 0);

  std::map<std::uint32_t, std::vector<NpcVoiceEvent>> byLine;
  for (const auto& e : events) byLine[e.line].push_back(e);
  auto count = [&](std::uint32_t id, NpcVoiceEvent::Type type) {
    return std::count_if(byLine[id].begin(), byLine[id].end(),
                         [type](const NpcVoiceEvent& e) { return e.type == type; });
  };
  // The line playing and the two queued behind it stop; the line queued after stop() plays.
  for (const std::uint32_t id : {first, second, third}) {
    EXPECT_EQ(count(id, NpcVoiceEvent::Type::LineStopped), 1) << "line " << id;
    EXPECT_EQ(count(id, NpcVoiceEvent::Type::LineFinished), 0) << "line " << id;
    EXPECT_EQ(byLine[id].back().type, NpcVoiceEvent::Type::LineStopped) << "line " << id;
  }
  EXPECT_EQ(count(second, NpcVoiceEvent::Type::Word) + count(third, NpcVoiceEvent::Type::Word), 0);
  EXPECT_EQ(count(after, NpcVoiceEvent::Type::LineFinished), 1);
  EXPECT_EQ(count(after, NpcVoiceEvent::Type::Word), 1);
  // The first line's words up to the stop, none after the fade; its mouth closes as it ends.
  const auto latency = static_cast<std::int64_t>(npc.voice().latencySamples());
  const std::int64_t cut = static_cast<std::int64_t>(stopAt) + 2400 + latency;
  const auto words = count(first, NpcVoiceEvent::Type::Word);
  EXPECT_GE(words, 2);
  EXPECT_LE(words, 5);  // of eight
  std::int64_t stoppedAt = 0;
  for (size_t i = 0; i < byLine[first].size(); ++i) {
    const auto& e = byLine[first][i];
    if (e.type == NpcVoiceEvent::Type::Word) EXPECT_LE(e.sample, cut);
    if (e.type == NpcVoiceEvent::Type::LineStopped) {
      stoppedAt = e.sample;
      ASSERT_GT(i, 0u);
      EXPECT_EQ(byLine[first][i - 1].type, NpcVoiceEvent::Type::Viseme);
      EXPECT_EQ(byLine[first][i - 1].index, 0) << "sil";
    }
  }
  EXPECT_GE(stoppedAt, cut);
  EXPECT_LE(stoppedAt, cut + 256);
  // The sound: the line itself up to the stop, then under a linear fade to silence over 50 ms
  // (no click), then silence until the next line, which is heard.
  const double level = peak(unstopped, stopAt - 48000, stopAt);
  ASSERT_GT(peak(unstopped, stopAt, stopAt + 2400), 0.1 * level) << "speaking when stopped";
  double worst = 0.0;
  for (size_t i = 0; i < static_cast<size_t>(cut) + 4800; ++i) {
    const double at = static_cast<double>(i) - static_cast<double>(stopAt + static_cast<size_t>(latency));
    const double gain = at <= 0.0 ? 1.0 : std::max(0.0, 1.0 - at / 2400.0);
    worst = std::max(worst, std::abs(out[i] - gain * unstopped[i]));
  }
  EXPECT_LT(worst, 1e-3 * level);
  const size_t nextLine = spokenAgain + static_cast<size_t>(latency);
  EXPECT_EQ(peak(out, static_cast<size_t>(cut), nextLine), 0.0);
  EXPECT_GT(peak(out, nextLine, out.size()), 0.1 * level) << "the line after the stop is heard";
}

TEST(NpcVoice, ALineSpokenRightAfterAStopCutsInWhenTheFadeEnds) {
  // The UE component's Speak(..., bInterrupt): stop(), then speak() at once.
  NpcVoice npc;
  ASSERT_TRUE(npc.prepare(kRate, 256));
  const std::uint32_t first = npc.speak(line("nobody passes until the moon is high, stranger"));
  std::vector<float> out;
  std::vector<NpcVoiceEvent> events;
  renderBlocks(npc, 100, out, events);
  const auto stopAt = static_cast<std::int64_t>(out.size());
  npc.stop(0.05f);
  const std::uint32_t cutIn = npc.speak(line("run"));
  renderBlocks(npc, 400, out, events);
  const auto latency = static_cast<std::int64_t>(npc.voice().latencySamples());
  std::int64_t stopped = -1, firstWord = -1;
  for (const auto& e : events) {
    if (e.line == first && e.type == NpcVoiceEvent::Type::LineStopped) stopped = e.sample;
    if (e.line == cutIn && e.type == NpcVoiceEvent::Type::Word && firstWord < 0) firstWord = e.sample;
  }
  ASSERT_GE(stopped, 0);
  ASSERT_GE(firstWord, 0);
  EXPECT_LE(stopped, stopAt + 2400 + latency + 256);
  EXPECT_GE(firstWord, stopped);               // after the fade, never over it
  EXPECT_LE(firstWord, stopped + 4800 + 256);  // within the line's own leading pause
}

TEST(NpcVoice, StopFadesAClipAndLaterClipsPlay) {
  NpcVoice npc;
  ASSERT_TRUE(npc.prepare(kRate, 256, 4096, 2));  // human: the clip comes out as it went in
  std::vector<float> tone(48000);
  for (size_t i = 0; i < tone.size(); ++i)
    tone[i] = 0.5f * static_cast<float>(std::sin(2.0 * 3.14159265358979 * 220.0 * i / kRate));
  ASSERT_TRUE(npc.playAnchor(tone));
  ASSERT_TRUE(npc.playAnchor(tone));  // queued behind it: dropped by the stop
  std::vector<float> out;
  std::vector<NpcVoiceEvent> events;
  renderBlocks(npc, 40, out, events);
  const size_t stopAt = out.size();
  npc.stop(0.02f);
  renderBlocks(npc, 20, out, events);
  ASSERT_TRUE(npc.playAnchor(tone));
  const size_t later = out.size();
  renderBlocks(npc, 300, out, events);
  const auto latency = static_cast<size_t>(npc.voice().latencySamples());
  EXPECT_NEAR(peak(out, stopAt + latency - 2400, stopAt + latency), 0.5, 0.01);
  EXPECT_LT(peak(out, stopAt + latency + 960 + 256, later + latency), 1e-6) << "the queued clip was dropped";
  EXPECT_NEAR(peak(out, later + latency + 4800, later + latency + 9600), 0.5, 0.01) << "a clip after the stop plays";
  EXPECT_TRUE(events.empty());
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
  for (int b = 0; b < 1000; ++b) {
    if (b == 300) npc.stop();  // the fade, the dropped lines and the forgotten events too
    npc.render(block.data(), 256);
  }
  vs_test::gCountAllocations = false;
  EXPECT_EQ(vs_test::gAllocations.load(), 0);
  std::vector<NpcVoiceEvent> events(NpcVoice::kEventCapacity);
  int finished = 0, stopped = 0;
  for (int n = npc.popEvents(events.data(), static_cast<int>(events.size())), i = 0; i < n; ++i) {
    finished += events[static_cast<size_t>(i)].type == NpcVoiceEvent::Type::LineFinished;
    stopped += events[static_cast<size_t>(i)].type == NpcVoiceEvent::Type::LineStopped;
  }
  EXPECT_EQ(finished + stopped, 3);
  EXPECT_GE(stopped, 1);
}

namespace {

// The largest difference between two parameter sets, over every parameter.
float paramDistance(const VoiceParams& a, VoiceParams b) {
  clampToRanges(b);
  float worst = 0.0f;
  for (std::size_t i = 0; i < paramCount(); ++i) {
    worst = std::max(worst, std::fabs(a.*(paramInfos()[i].member) - b.*(paramInfos()[i].member)));
  }
  return worst;
}

}  // namespace

TEST(NpcVoice, AQueuedLineTakesItsVoiceWhenItStartsNotWhenItIsQueued) {
  // A calm line playing and an angry one queued behind it: the first keeps its own voice to its
  // end (bit for bit what it is with nothing queued), and the chain takes the second line's
  // parameters when that line starts. (The UE component used to set the emotion's parameters when
  // a line was queued, so the line still playing changed voice half-way.)
  const VoiceParams& vampire = findArchetype("vampire")->params;
  const VoiceParams& zombie = findArchetype("zombie")->params;
  const speech::Utterance first = line("good evening traveller"), second = line("brains");
  std::int64_t secondStarts = -1;
  auto run = [&](bool queueSecond) {
    NpcVoice npc;
    EXPECT_TRUE(npc.prepare(kRate, 256));
    npc.voice().setParams(vampire, true);
    EXPECT_GT(npc.speak(first), 0u);
    if (queueSecond) EXPECT_GT(npc.speak(second, &zombie), 0u);
    std::vector<float> out, block(256);
    for (int b = 0; b < 48000 / 256 * 4; ++b) {
      npc.render(block.data(), 256);
      out.insert(out.end(), block.begin(), block.end());
      if (b == 10) EXPECT_EQ(paramDistance(npc.voice().currentParams(), vampire), 0.0f) << "during the first line";
      NpcVoiceEvent batch[64];
      for (int n = npc.popEvents(batch, 64), i = 0; i < n; ++i) {
        if (batch[i].type == NpcVoiceEvent::Type::LineFinished && batch[i].line == 1 && queueSecond) {
          secondStarts = batch[i].sample - npc.voice().latencySamples();  // the block the second line entered the chain
        }
      }
    }
    EXPECT_EQ(paramDistance(npc.voice().currentParams(), queueSecond ? zombie : vampire), 0.0f) << "after the lines";
    return out;
  };
  const std::vector<float> alone = run(false), queued = run(true);
  ASSERT_GT(secondStarts, 24000);
  ASSERT_LT(secondStarts, static_cast<std::int64_t>(alone.size()));
  for (std::int64_t i = 0; i < secondStarts; ++i) {
    ASSERT_EQ(alone[static_cast<std::size_t>(i)], queued[static_cast<std::size_t>(i)]) << "sample " << i;
  }
}

TEST(NpcVoice, ALineCanTurnTheVoiceIntoAnotherOverItsSpan) {
  // A transformation, human into werewolf from 0.4 s to 1.0 s of the line: before it the output is
  // the line's without the morph, bit for bit; any host block size gives the same bits; the chain
  // passes between the two voices and ends on the werewolf's, even when the span outlasts the line;
  // and the next line with a voice of its own takes over.
  const VoiceParams& human = findArchetype("human")->params;
  const VoiceParams& wolf = findArchetype("werewolf")->params;
  const VoiceParams& zombie = findArchetype("zombie")->params;
  const speech::Utterance words = line("stay where you are stranger");
  const LineMorph turn{wolf, 0.4, 1.0};
  struct Heard {
    std::vector<float> audio;
    std::vector<VoiceParams> params;  // after each 10 ms
  };
  auto run = [&](const LineMorph* morph, bool randomBlocks, double seconds) {
    NpcVoice npc;
    EXPECT_TRUE(npc.prepare(kRate, 512));
    EXPECT_GT(npc.speak(words, &human, morph), 0u);
    Heard heard;
    std::vector<float> block(700);
    std::uint32_t state = 12345u;
    const auto total = static_cast<std::size_t>(seconds * kRate);
    while (heard.audio.size() < total) {
      state = state * 1664525u + 1013904223u;
      const std::size_t left = total - heard.audio.size();
      const std::size_t wanted = randomBlocks ? 1 + (state >> 8) % 700 : 480;
      const std::size_t n = std::min(wanted, left);
      npc.render(block.data(), static_cast<int>(n));
      heard.audio.insert(heard.audio.end(), block.begin(), block.begin() + static_cast<std::ptrdiff_t>(n));
      if (!randomBlocks) heard.params.push_back(npc.voice().currentParams());
    }
    return heard;
  };
  const Heard plain = run(nullptr, false, 2.5), turned = run(&turn, false, 2.5);
  const auto start = static_cast<std::size_t>(0.4 * kRate);
  for (std::size_t i = 0; i < start; ++i) ASSERT_EQ(plain.audio[i], turned.audio[i]) << "sample " << i;
  float change = 0.0f;
  for (std::size_t i = start; i < plain.audio.size(); ++i)
    change = std::max(change, std::fabs(plain.audio[i] - turned.audio[i]));
  EXPECT_GT(change, 0.05f);
  EXPECT_EQ(run(&turn, true, 2.5).audio, turned.audio) << "the morph's steps depend on the host's blocks";
  // Its chain: human until 0.4 s, half-way through the span at ~0.7 s, the werewolf's once the
  // smoothers land (~14 of their 30 ms time constants after the span ends).
  const auto at = [&](double seconds) { return turned.params[static_cast<std::size_t>(seconds * 100.0)]; };
  EXPECT_EQ(paramDistance(at(0.35), human), 0.0f);
  const float half = 0.5f * (human.roughness + wolf.roughness);
  EXPECT_NEAR(at(0.72).roughness, half, 0.1f * std::fabs(wolf.roughness - human.roughness));
  EXPECT_EQ(paramDistance(at(1.6), wolf), 0.0f);
  // A span that outlasts the line finishes after it, in silence.
  const LineMorph slow{wolf, 0.2, 3.0};
  const Heard outlasting = run(&slow, false, 3.5);
  EXPECT_GT(paramDistance(outlasting.params[150], wolf), 0.0f);
  EXPECT_EQ(paramDistance(outlasting.params.back(), wolf), 0.0f);
  {
    // The next line with a voice of its own ends the morph and takes its voice.
    NpcVoice npc;
    ASSERT_TRUE(npc.prepare(kRate, 256));
    ASSERT_GT(npc.speak(words, &human, &slow), 0u);
    ASSERT_GT(npc.speak(line("brains"), &zombie), 0u);
    std::vector<float> block(256);
    for (int b = 0; b < 48000 / 256 * 4; ++b) npc.render(block.data(), 256);
    EXPECT_EQ(paramDistance(npc.voice().currentParams(), zombie), 0.0f);
  }
  // A morph needs the voice it starts from, and a span of numbers.
  NpcVoice npc;
  ASSERT_TRUE(npc.prepare(kRate, 256));
  EXPECT_EQ(npc.speak(words, nullptr, &turn), 0u);
  const LineMorph broken{wolf, std::numeric_limits<double>::quiet_NaN(), 1.0};
  EXPECT_EQ(npc.speak(words, &human, &broken), 0u);
  EXPECT_GT(npc.speak(words, &human, &turn), 0u);
}

TEST(NpcVoice, ASetParamsMadeAfterALineWasQueuedWinsOverTheLinesVoice) {
  const VoiceParams& vampire = findArchetype("vampire")->params;
  const VoiceParams& zombie = findArchetype("zombie")->params;
  const VoiceParams& wraith = findArchetype("wraith")->params;
  const speech::Utterance first = line("good evening"), second = line("brains");
  std::vector<float> block(256);
  {
    // Queued with zombie's voice, then the game sets wraith's before the line starts: wraith.
    NpcVoice npc;
    ASSERT_TRUE(npc.prepare(kRate, 256));
    npc.voice().setParams(vampire, true);
    npc.speak(first);
    npc.speak(second, &zombie);
    npc.voice().setParams(wraith);
    for (int b = 0; b < 48000 / 256 * 3; ++b) npc.render(block.data(), 256);
    EXPECT_EQ(paramDistance(npc.voice().currentParams(), wraith), 0.0f);
  }
  {
    // A line's voice is not undone by the intensity or detail the game sets while it plays.
    NpcVoice npc;
    ASSERT_TRUE(npc.prepare(kRate, 256));
    npc.voice().setParams(vampire, true);
    npc.speak(second, &zombie);
    for (int b = 0; b < 10; ++b) npc.render(block.data(), 256);
    npc.voice().setIntensity({0.3f, 0.7f});
    npc.voice().setDetail(VoiceDetail::Mid);
    for (int b = 0; b < 48000 / 256; ++b) npc.render(block.data(), 256);
    EXPECT_EQ(paramDistance(npc.voice().currentParams(), zombie), 0.0f);
    // And a setParams after it started changes the voice as ever.
    npc.voice().setParams(wraith);
    for (int b = 0; b < 48000 / 256; ++b) npc.render(block.data(), 256);
    EXPECT_EQ(paramDistance(npc.voice().currentParams(), wraith), 0.0f);
  }
}

TEST(NpcVoice, EveryLineReportsItsEndEvenWhenTheGameThreadStopsPolling) {
  // A game that stops ticking an NPC (a significance manager, a long hitch) while it speaks a
  // full queue of long lines: the event queues fill with words and visemes. A lost LineFinished
  // would leave the line in flight (IsSpeaking) forever; now the oldest words and visemes give
  // way instead, and every line's end arrives once the game polls again.
  static const speech::Lexicon lexicon;
  speech::SpeakerSettings fast;
  fast.rate = 2.5f;
  std::string text;
  for (int i = 0; i < 12; ++i) text += "the gate is closed until dawn stranger ";
  auto result = speech::buildUtterance(text.c_str(), lexicon, fast);
  ASSERT_TRUE(result.ok());
  NpcVoice npc;
  ASSERT_TRUE(npc.prepare(kRate, 4096));
  int queued = 0;
  while (npc.speak(result.utterance) > 0) ++queued;
  ASSERT_EQ(queued, NpcVoice::kQueuedLines);
  const double lineSeconds = result.utterance.totalMs() / 1000.0;
  const int events = static_cast<int>(result.utterance.phones.size() + result.utterance.words.size() + 1);
  ASSERT_GT(queued * events, 5 * NpcVoice::kEventCapacity) << "the lines must overflow both event queues";
  std::vector<float> block(4096);
  const int blocks = static_cast<int>(queued * (lineSeconds + 0.5) * kRate / 4096) + 8;
  for (int b = 0; b < blocks; ++b) npc.render(block.data(), 4096);  // no popEvents meanwhile
  std::vector<std::uint32_t> ended;
  NpcVoiceEvent batch[256];
  for (int round = 0; round < 8; ++round) {  // the game polls again, each tick a block later
    for (int n = npc.popEvents(batch, 256); n > 0; n = npc.popEvents(batch, 256)) {
      for (int i = 0; i < n; ++i) {
        if (batch[i].type == NpcVoiceEvent::Type::LineFinished) ended.push_back(batch[i].line);
      }
    }
    npc.render(block.data(), 4096);
  }
  ASSERT_EQ(ended.size(), static_cast<std::size_t>(queued));
  for (int i = 0; i < queued; ++i) EXPECT_EQ(ended[static_cast<std::size_t>(i)], static_cast<std::uint32_t>(i + 1));
  EXPECT_EQ(npc.linesInFlight(), 0);
}

TEST(NpcVoice, EveryLineAndClipIsFreedHoweverFastTheyAreQueuedAndDropped) {
  // A game thread that falls behind (descheduled, a hitch) while the audio thread drops what a
  // stop() cut used to find the hand-back queue full: lines and clips leaked. Now at most
  // kQueuedLines lines and kQueuedClips clips exist at once, and each is freed exactly once.
  const speech::Utterance u = line("halt");
  vs_test::gAllocations = 0;
  vs_test::gFrees = 0;
  vs_test::gCountAllocations = true;
  {
    NpcVoice npc;
    ASSERT_TRUE(npc.prepare(kRate, 256));
    std::vector<float> block(256);
    for (int round = 0; round < 4; ++round) {
      int lines = 0, clips = 0;
      while (npc.speak(u) > 0 && lines <= 4 * NpcVoice::kQueuedLines) ++lines;
      while (npc.playAnchor(std::vector<float>(4800, 0.1f)) && clips <= 4 * NpcVoice::kQueuedClips) ++clips;
      EXPECT_EQ(lines, NpcVoice::kQueuedLines) << "round " << round;
      EXPECT_EQ(clips, NpcVoice::kQueuedClips) << "round " << round;
      npc.stop(0.001f);
      for (int b = 0; b < 4; ++b) npc.render(block.data(), 256);  // drops them; no popEvents yet
    }
    // The game thread catches up: every line reports how it ended.
    int ended = 0;
    NpcVoiceEvent batch[256];
    for (int n = npc.popEvents(batch, 256); n > 0; n = npc.popEvents(batch, 256)) {
      for (int i = 0; i < n; ++i) {
        if (batch[i].type == NpcVoiceEvent::Type::LineStopped || batch[i].type == NpcVoiceEvent::Type::LineFinished)
          ++ended;
      }
    }
    EXPECT_EQ(ended, 4 * NpcVoice::kQueuedLines);
    EXPECT_EQ(npc.linesInFlight(), 0);
  }
  vs_test::gCountAllocations = false;
  EXPECT_GT(vs_test::gAllocations.load(), 0);
  EXPECT_EQ(vs_test::gFrees.load(), vs_test::gAllocations.load()) << "blocks made and not freed";
}

TEST(NpcVoice, GameThreadFloodsTheVoiceWhileTheAudioThreadRenders) {
  // What the UE component does: Blueprint setters, lines, clips and stops from the game thread
  // every frame while the audio render thread runs. Under ThreadSanitizer in CI.
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
  int finishedLines = 0, stoppedLines = 0, spoken = 0, stops = 0;
  std::uint32_t lastFinished = 0;
  // Runs until 12 lines have played to the end (a 120 s guard only stops a broken build from hanging).
  const auto giveUp = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  for (int frame = 0; finishedLines < 12 && std::chrono::steady_clock::now() < giveUp; ++frame) {
    npc.voice().setParams(findArchetype(names[frame % 4])->params);
    npc.voice().setIntensity({static_cast<float>(frame % 10) / 10.0f, 0.5f});
    npc.voice().setDetail(static_cast<VoiceDetail>(frame % 3));
    // Every other line carries its own voice, taken on the audio thread when it starts.
    const VoiceParams* lineVoice = frame % 2 == 0 ? &findArchetype(names[(frame / 2) % 4])->params : nullptr;
    if (npc.linesInFlight() < 3 && npc.speak(u, lineVoice) > 0) ++spoken;
    if (frame % 500 == 0) npc.playAnchor(std::vector<float>(480, 0.1f));
    if (finishedLines >= 4 * (stops + 1) && stops < 2) {  // cut a line short twice
      npc.stop(0.01f);
      ++stops;
    }
    NpcVoiceEvent batch[64];
    const int n = npc.popEvents(batch, 64);
    for (int i = 0; i < n; ++i) {
      const bool stop = batch[i].type == NpcVoiceEvent::Type::LineStopped;
      if (batch[i].type != NpcVoiceEvent::Type::LineFinished && !stop) continue;
      EXPECT_GT(batch[i].line, lastFinished) << "lines end in order";
      lastFinished = batch[i].line;
      ++(stop ? stoppedLines : finishedLines);
    }
    if (frame % 64 == 0) std::this_thread::yield();
  }
  running = false;
  audio.join();
  EXPECT_TRUE(finite.load());
  EXPECT_GE(finishedLines, 12);
  EXPECT_GE(stoppedLines, 1);
  EXPECT_GE(spoken, finishedLines + stoppedLines);
}
