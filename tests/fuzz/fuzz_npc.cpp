// libFuzzer target: an NPC's voice (vocalsynth::NpcVoice) driven the way a game drives it, from
// one thread standing in for both the game and the audio thread: lines from any text (through the
// front end, in any emotion, with or without the emotion's voice, turning into any other voice over
// any span), anchor clips (silence, tones,
// noise, NaN, huge values, empty), stop() with any fade (NaN, negative, huge), the chain's setters
// with odd values, renders of any length (0 too), events polled at any moment or not for a long
// while, and queues flooded past their capacity. Every input checks, on the output and events:
//   - every output sample is finite and under the limiter's -1 dBTP ceiling;
//   - every event belongs to a line speak() accepted, and comes out in time order (an event is
//     never older than the one before it: lip sync and subtitles follow them);
//   - no word or viseme of a line comes after the line's end; each accepted line ends exactly
//     once (LineFinished or LineStopped), and after a final stop() and enough audio every line
//     has ended (linesInFlight() is 0: no NPC left "speaking" forever);
//   - the same script on a second NpcVoice gives the same bits and the same events.
// A broken promise aborts, and libFuzzer saves the input (replay: the binary and the file).
#include <fuzzer/FuzzedDataProvider.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>
#include <vector>

#include "fuzz_common.h"
#include "vocalsynth/npc_voice.h"
#include "vocalsynth/speech/text_frontend.h"

namespace {

namespace sp = vocalsynth::speech;
using vocalsynth::NpcVoice;
using vocalsynth::NpcVoiceEvent;
using vs_fuzz::shippedLexicon;
using vs_fuzz::verbose;
using vs_fuzz::wildValue;

constexpr float kCeiling = 0.891251f;  // the limiter's default ceiling, -1 dBTP
constexpr int kMaxOps = 40;
constexpr int kMaxRender = 6000;   // samples per render call
constexpr int kMaxLineChars = 80;  // a bark or a short sentence: a few seconds at most

enum class OpKind : std::uint8_t { Speak, SpeakWithVoice, Clip, Stop, Params, Intensity, Detail, Render, Poll };

struct Op {
  OpKind kind = OpKind::Render;
  sp::Utterance utterance;
  vocalsynth::VoiceParams params;
  bool morphing = false;  // SpeakWithVoice with a LineMorph
  vocalsynth::LineMorph morph;
  bool immediate = false;
  std::vector<float> clip;
  float value = 0.0f;  // stop's fade, or the intensity's proximity
  float environment = 0.0f;
  int count = 0;  // render length, poll size, detail
};

std::vector<float> fuzzedClip(FuzzedDataProvider& data) {
  std::vector<float> clip(data.ConsumeIntegralInRange<std::size_t>(0, 12000));
  const int kind = data.ConsumeIntegralInRange(0, 4);
  const float level = data.ConsumeFloatingPointInRange(0.0f, 2.0f);
  const float step = data.ConsumeFloatingPointInRange(0.0001f, 0.5f);  // cycles per sample
  std::uint32_t noise = 0x9e3779b9u;
  for (std::size_t k = 0; k < clip.size(); ++k) {
    switch (kind) {
      case 0: clip[k] = 0.0f; break;
      case 2:
        noise = noise * 1664525u + 1013904223u;
        clip[k] = level * (static_cast<float>(noise >> 8) / 8388608.0f - 1.0f);
        break;
      default: clip[k] = level * std::sin(6.2831853f * step * static_cast<float>(k)); break;  // 1, 3, 4: a tone
    }
  }
  // Single bad samples: NaN, infinities, huge values (playAnchor must clean them).
  const int bad = clip.empty() ? 0 : data.ConsumeIntegralInRange(0, 3);
  for (int i = 0; i < bad; ++i) clip[data.ConsumeIntegralInRange<std::size_t>(0, clip.size() - 1)] = wildValue(data);
  return clip;
}

Op fuzzedOp(FuzzedDataProvider& data) {
  Op op;
  op.kind = static_cast<OpKind>(data.ConsumeIntegralInRange(0, 8));
  switch (op.kind) {
    case OpKind::Speak:
    case OpKind::SpeakWithVoice: {
      const auto emotion = static_cast<sp::Emotion>(data.ConsumeIntegralInRange(0, 5));
      sp::SpeakerSettings speaker;
      if (data.ConsumeBool()) {
        speaker.basePitchHz = data.ConsumeBool() ? wildValue(data) : data.ConsumeFloatingPointInRange(50.0f, 400.0f);
        speaker.rate = data.ConsumeBool() ? wildValue(data) : data.ConsumeFloatingPointInRange(0.5f, 2.0f);
      }
      // Mostly game lines (so whole sentences play, with their words and visemes), sometimes any text.
      // clang-format off
      static const char* const kLines[] = {"Get out of my house, now!", "Braaains... give me brains!",
                                           "Who goes there? Stay away from the river.", "*whispers* Run!",
                                           "I will tear you apart!", "On the 3rd of May, 12 men came.", "Hm.", "..."};
      // clang-format on
      const std::string text = data.ConsumeBool() ? std::string(kLines[data.ConsumeIntegralInRange(0, 7)])
                                                  : data.ConsumeRandomLengthString(kMaxLineChars);
      op.utterance = sp::buildUtterance(text, shippedLexicon(), speaker, emotion).utterance;
      if (op.kind == OpKind::SpeakWithVoice) {
        op.params = vs_fuzz::fuzzedParams(data);
        // A transformation: into any voice, over any span (NaN, reversed, huge, past the line).
        op.morphing = data.ConsumeBool();
        if (op.morphing) {
          op.morph.to = vs_fuzz::fuzzedParams(data);
          op.morph.startSeconds = data.ConsumeBool() ? wildValue(data) : data.ConsumeFloatingPointInRange(0.0f, 3.0f);
          op.morph.endSeconds = data.ConsumeBool() ? wildValue(data) : data.ConsumeFloatingPointInRange(0.0f, 4.0f);
        }
      }
      break;
    }
    case OpKind::Clip: op.clip = fuzzedClip(data); break;
    case OpKind::Stop:
      op.value = data.ConsumeBool() ? wildValue(data) : data.ConsumeFloatingPointInRange(0.0f, 1.5f);
      break;
    case OpKind::Params:
      op.params = vs_fuzz::fuzzedParams(data);
      op.immediate = data.ConsumeBool();
      break;
    case OpKind::Intensity:
      op.value = data.ConsumeBool() ? wildValue(data) : data.ConsumeProbability<float>();
      op.environment = data.ConsumeProbability<float>();
      op.immediate = data.ConsumeBool();
      break;
    case OpKind::Detail: op.count = data.ConsumeIntegralInRange(0, 2); break;
    case OpKind::Render: op.count = data.ConsumeIntegralInRange(0, kMaxRender); break;
    case OpKind::Poll: op.count = data.ConsumeIntegralInRange(1, 64); break;
  }
  return op;
}

struct Run {
  std::vector<float> audio;
  std::vector<NpcVoiceEvent> events;
  std::vector<std::uint32_t> accepted;  // ids speak() returned
};

void fail(const char* what, const Run& run) {
  std::fprintf(stderr, "%s (after %zu samples, %zu events)\n", what, run.audio.size(), run.events.size());
  std::abort();
}

void poll(NpcVoice& npc, Run& run, int maxCount) {
  NpcVoiceEvent batch[64];
  for (int got = npc.popEvents(batch, maxCount); got > 0; got = npc.popEvents(batch, maxCount)) {
    run.events.insert(run.events.end(), batch, batch + got);
    if (got < maxCount) break;
  }
}

void render(NpcVoice& npc, Run& run, int n) {
  const std::size_t at = run.audio.size();
  run.audio.resize(at + static_cast<std::size_t>(n));
  npc.render(run.audio.data() + at, n);
}

Run play(double rate, int maxBlock, int maxPhones, std::uint64_t seed, const std::vector<Op>& ops) {
  Run run;
  NpcVoice npc;
  if (!npc.prepare(rate, maxBlock, maxPhones, seed)) std::abort();
  for (const Op& op : ops) {
    switch (op.kind) {
      case OpKind::Speak:
      case OpKind::SpeakWithVoice: {
        const bool withVoice = op.kind == OpKind::SpeakWithVoice;
        const std::uint32_t id =
            npc.speak(op.utterance, withVoice ? &op.params : nullptr, withVoice && op.morphing ? &op.morph : nullptr);
        if (id != 0) run.accepted.push_back(id);
        break;
      }
      case OpKind::Clip: npc.playAnchor(op.clip); break;
      case OpKind::Stop: npc.stop(op.value); break;
      case OpKind::Params: npc.voice().setParams(op.params, op.immediate); break;
      case OpKind::Intensity: {
        vocalsynth::IntensityControls intensity;
        intensity.proximity = op.value;
        intensity.environment = op.environment;
        npc.voice().setIntensity(intensity, op.immediate);
        break;
      }
      case OpKind::Detail: npc.voice().setDetail(static_cast<vocalsynth::VoiceDetail>(op.count)); break;
      case OpKind::Render: render(npc, run, op.count); break;
      case OpKind::Poll: poll(npc, run, op.count); break;
    }
  }
  // The game keeps polling; a last stop() ends whatever is left (a line queued behind a long one
  // is dropped), and a second's audio lets every end event out.
  for (int second = 0; second < 2 && npc.linesInFlight() > 0; ++second) {
    if (second == 1) npc.stop(0.01f);
    for (int k = 0; k < 10; ++k) {
      render(npc, run, static_cast<int>(rate / 10.0));
      poll(npc, run, 64);
    }
  }
  if (npc.linesInFlight() != 0) {
    std::fprintf(stderr, "%d line(s) still in flight after a stop() and a second of audio\n", npc.linesInFlight());
    fail("a line never ended", run);
  }
  return run;
}

void check(const Run& run) {
  for (std::size_t k = 0; k < run.audio.size(); ++k) {
    const float y = run.audio[k];
    if (!std::isfinite(y) || std::fabs(y) > kCeiling) {
      std::fprintf(stderr, "output %g at sample %zu\n", static_cast<double>(y), k);
      fail("non-finite output or above the -1 dBTP ceiling", run);
    }
  }
  std::map<std::uint32_t, int> ends;
  for (std::uint32_t id : run.accepted) ends[id] = 0;
  std::int64_t previous = -1;
  for (const NpcVoiceEvent& e : run.events) {
    if (verbose()) {
      std::fprintf(stderr, "event type %d index %d line %u sample %lld\n", static_cast<int>(e.type), e.index, e.line,
                   static_cast<long long>(e.sample));
    }
    const auto line = ends.find(e.line);
    if (line == ends.end()) fail("an event for a line speak() never accepted", run);
    if (e.sample < previous) {
      std::fprintf(stderr, "event at sample %lld after one at %lld (line %u, type %d)\n",
                   static_cast<long long>(e.sample), static_cast<long long>(previous), e.line,
                   static_cast<int>(e.type));
      fail("events out of time order", run);
    }
    previous = e.sample;
    const bool end = e.type == NpcVoiceEvent::Type::LineFinished || e.type == NpcVoiceEvent::Type::LineStopped;
    if (line->second > 0) fail(end ? "a line ended twice" : "a word or viseme after its line's end", run);
    if (end) ++line->second;
  }
  for (const auto& [id, count] : ends) {
    if (count != 1) {
      std::fprintf(stderr, "line %u ended %d times\n", id, count);
      fail("a line without exactly one end event", run);
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* bytes, std::size_t size) {
  FuzzedDataProvider data(bytes, size);
  static constexpr double kRates[] = {16000.0, 22050.0, 32000.0, 44100.0, 48000.0, 96000.0};
  const double rate = kRates[data.ConsumeIntegralInRange<std::size_t>(0, 5)];
  const int maxBlock = data.ConsumeBool() ? data.ConsumeIntegralInRange(1, 64) : data.ConsumeIntegralInRange(64, 2048);
  const int maxPhones = data.ConsumeBool() ? 4096 : data.ConsumeIntegralInRange(1, 64);  // short caps reject long lines
  const std::uint64_t seed = data.ConsumeIntegral<std::uint64_t>();
  std::vector<Op> ops(static_cast<std::size_t>(data.ConsumeIntegralInRange(0, kMaxOps)));
  for (Op& op : ops) op = fuzzedOp(data);
  if (verbose()) {
    std::fprintf(stderr, "rate %g, maxBlock %d, maxPhones %d, seed %llu, %zu ops\n", rate, maxBlock, maxPhones,
                 static_cast<unsigned long long>(seed), ops.size());
    for (const Op& op : ops) {
      std::fprintf(stderr, "op %d: %zu phones, clip %zu, value %g, count %d\n", static_cast<int>(op.kind),
                   op.utterance.phones.size(), op.clip.size(), static_cast<double>(op.value), op.count);
    }
  }
  const Run first = play(rate, maxBlock, maxPhones, seed, ops);
  check(first);
  const Run second = play(rate, maxBlock, maxPhones, seed, ops);
  const std::size_t k = vs_fuzz::firstBitDifference(first.audio.data(), second.audio.data(), first.audio.size());
  if (second.audio.size() != first.audio.size() || k < first.audio.size()) fail("a second run gave other bits", second);
  if (second.events.size() != first.events.size() ||
      !std::equal(first.events.begin(), first.events.end(), second.events.begin(),
                  [](const NpcVoiceEvent& a, const NpcVoiceEvent& b) {
                    return a.type == b.type && a.index == b.index && a.line == b.line && a.sample == b.sample;
                  })) {
    fail("a second run gave other events", second);
  }
  return 0;
}
