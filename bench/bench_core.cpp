// Google Benchmark for the core: microseconds per voice per 50 ms of 48 kHz audio for every
// archetype (the seed system's unit), and per-sample cost of the building blocks. The reference
// is a plain copy of the same block measured in the same run, so ratios compare across machines.
#include <benchmark/benchmark.h>

#include <vector>

#include "vocalsynth/speech/synthesizer.h"
#include "vocalsynth/vocalsynth.h"

#include <fstream>
#include <sstream>

using namespace vocalsynth;

namespace {

constexpr double kRate = 48000.0;
constexpr int kBlock = 2400;  // 50 ms at 48 kHz

const std::vector<float>& anchor() {
  static const std::vector<float> signal = [] {
    std::vector<float> s(static_cast<size_t>(kRate));  // one second, cycled through
    AnchorSettings settings;
    settings.vowels = "aeiou";
    settings.vibratoDepth = 0.01f;
    renderAnchor(settings, kRate, s.data(), static_cast<int>(s.size()));
    return s;
  }();
  return signal;
}

void BM_Reference_CopyBlock(benchmark::State& state) {
  const auto& in = anchor();
  std::vector<float> out(kBlock);
  size_t pos = 0;
  for (auto _ : state) {
    std::copy(in.begin() + pos, in.begin() + pos + kBlock, out.begin());
    benchmark::DoNotOptimize(out.data());
    pos = (pos + kBlock) % (in.size() - kBlock);
  }
}
BENCHMARK(BM_Reference_CopyBlock)->Unit(benchmark::kMicrosecond);

/// Per 50 ms block: microseconds (inverted rate of iterations / 1e6) and times real time.
void addBlockCounters(benchmark::State& state) {
  state.counters["us_per_50ms"] = benchmark::Counter(static_cast<double>(state.iterations()) * 1e-6,
                                                     benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
  state.counters["realtime_x"] =
      benchmark::Counter(0.05 * static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}

void BM_Archetype(benchmark::State& state, const char* name, VoiceDetail detail = VoiceDetail::Near) {
  const auto& in = anchor();
  std::vector<float> out(kBlock);
  Voice voice;
  voice.prepare(kRate, kBlock, 1);
  voice.setParams(findArchetype(name)->params, true);
  voice.setDetail(detail);
  size_t pos = 0;
  bool idled = false;
  for (auto _ : state) {
    voice.process(in.data() + pos, out.data(), kBlock);
    benchmark::DoNotOptimize(out.data());
    idled = idled || voice.idle();
    pos = (pos + kBlock) % (in.size() - kBlock);
  }
  // The anchor speaks throughout: an idle voice path here would not measure the chain.
  if (idled) state.SkipWithError("the voice path went idle on the speaking anchor");
  addBlockCounters(state);
}

BENCHMARK_CAPTURE(BM_Archetype, human, "human")->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_Archetype, vampire, "vampire")->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_Archetype, zombie, "zombie")->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_Archetype, werewolf, "werewolf")->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_Archetype, wraith, "wraith")->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_Archetype, ghoul, "ghoul")->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_Archetype, lich, "lich")->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_Archetype, banshee, "banshee")->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_Archetype, golem, "golem")->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_Archetype, swarm, "swarm")->Unit(benchmark::kMicrosecond);
// Levels of detail (VoiceDetail) of the same voices: what the UE component saves with distance.
BENCHMARK_CAPTURE(BM_Archetype, vampire_mid, "vampire", VoiceDetail::Mid)->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_Archetype, vampire_far, "vampire", VoiceDetail::Far)->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_Archetype, zombie_mid, "zombie", VoiceDetail::Mid)->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_Archetype, zombie_far, "zombie", VoiceDetail::Far)->Unit(benchmark::kMicrosecond);

/// An NPC that is not speaking: digital silence in, after a second to settle (idle voice path).
// The MetaSound node's DSP (PolledVoice: its pins read every 256-sample block, names compared and
// numbers clamped) against the plain voice over the same blocks: what the polling costs.
void BM_MetaSoundBlocks(benchmark::State& state, bool polled) {
  constexpr int kNodeBlock = 256;
  const auto& in = anchor();
  std::vector<float> out(kBlock);
  Voice voice;
  PolledVoice node;
  voice.prepare(kRate, kNodeBlock, 1);
  voice.setParams(archetypeParamsFor(*findArchetype("zombie"), "rage"), true);
  node.prepare(kRate, kNodeBlock, 1);
  PolledControls pins;
  pins.archetype = "Zombie";
  pins.emotion = "Rage";
  size_t pos = 0;
  for (auto _ : state) {
    for (int done = 0; done < kBlock; done += kNodeBlock) {
      const int n = std::min(kNodeBlock, kBlock - done);
      if (polled) node.process(pins, in.data() + pos + done, out.data() + done, n);
      else voice.process(in.data() + pos + done, out.data() + done, n);
    }
    benchmark::DoNotOptimize(out.data());
    pos = (pos + kBlock) % (in.size() - kBlock);
  }
  addBlockCounters(state);
}

BENCHMARK_CAPTURE(BM_MetaSoundBlocks, voice, false)->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_MetaSoundBlocks, polled, true)->Unit(benchmark::kMicrosecond);

void BM_Silent(benchmark::State& state, const char* name) {
  const std::vector<float> silence(kBlock, 0.0f);
  std::vector<float> out(kBlock);
  Voice voice;
  voice.prepare(kRate, kBlock, 1);
  voice.setParams(findArchetype(name)->params, true);
  const auto& line = anchor();  // a line first, then silence
  for (size_t pos = 0; pos + kBlock <= line.size(); pos += kBlock) voice.process(line.data() + pos, out.data(), kBlock);
  for (int settle = 0; settle < 20; ++settle) voice.process(silence.data(), out.data(), kBlock);
  if (!voice.idle()) state.SkipWithError("the voice path did not go idle in silence");
  for (auto _ : state) {
    voice.process(silence.data(), out.data(), kBlock);
    benchmark::DoNotOptimize(out.data());
  }
  addBlockCounters(state);
}
BENCHMARK_CAPTURE(BM_Silent, human, "human")->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_Silent, vampire, "vampire")->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_Silent, zombie, "zombie")->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_Silent, werewolf, "werewolf")->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_Silent, lich, "lich")->Unit(benchmark::kMicrosecond);

// Per-sample cost of single blocks: one parameter switched on over the neutral voice.
void BM_Block(benchmark::State& state, const char* param, float value) {
  const auto& in = anchor();
  std::vector<float> out(kBlock);
  Voice voice;
  voice.prepare(kRate, kBlock, 1);
  VoiceParams p;
  if (param != nullptr) p.*(findParam(param)->member) = value;
  voice.setParams(p, true);
  size_t pos = 0;
  for (auto _ : state) {
    voice.process(in.data() + pos, out.data(), kBlock);
    benchmark::DoNotOptimize(out.data());
    pos = (pos + kBlock) % (in.size() - kBlock);
  }
  state.SetItemsProcessed(state.iterations() * kBlock);
}
BENCHMARK_CAPTURE(BM_Block, neutral, nullptr, 0.0f)->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_Block, formant_scale, "formant_scale", 0.85f)->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_Block, whisper, "whisper", 0.5f)->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_Block, jitter, "jitter", 0.5f)->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_Block, pitch_stabilize, "pitch_stabilize", 1.0f)->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_Block, subharmonic_octave, "subharmonic_octave", 0.6f)->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_Block, hollowness, "hollowness", 0.5f)->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_Block, swarm, "swarm", 0.8f)->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_Block, wet_pops, "wet_pops", 0.8f)->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_Block, heartbeat, "heartbeat", 0.8f)->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_Block, blood_flow, "blood_flow", 0.8f)->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_Block, breath_layer, "breath_layer", 0.8f)->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_Block, hum, "hum", 0.8f)->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_Block, clicks, "clicks", 0.8f)->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_Block, rasps, "rasps", 0.8f)->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_Block, creaks, "creaks", 0.8f)->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_Block, roughness, "roughness", 0.8f)->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_Block, breathiness, "breathiness", 0.8f)->Unit(benchmark::kMicrosecond);

void BM_Svf(benchmark::State& state) {
  Svf svf;
  svf.setup(1000.0f, 0.7f, 48000.0f);
  const auto& in = anchor();
  for (auto _ : state) {
    float acc = 0.0f;
    for (int i = 0; i < kBlock; ++i) acc += svf.bandPass(in[i]);
    benchmark::DoNotOptimize(acc);
  }
  state.SetItemsProcessed(state.iterations() * kBlock);
}
BENCHMARK(BM_Svf)->Unit(benchmark::kMicrosecond);

// --- Speech ----------------------------------------------------------------------------------
const vocalsynth::speech::Lexicon& lexicon() {
  static const vocalsynth::speech::Lexicon lex = [] {
    vocalsynth::speech::Lexicon l;
    std::ifstream file(VOCALSYNTH_LEXICON_PATH, std::ios::binary);
    std::stringstream data;
    data << file.rdbuf();
    l.load(data.str());
    return l;
  }();
  return lex;
}

constexpr const char* kLine = "Good evening, traveller. Do you hear the bells? Stay away from the river.";

// Real-time factor of the synthesizer alone (goal: >= 200x real time per voice on one core).
void BM_Speech_Render(benchmark::State& state) {
  using namespace vocalsynth::speech;
  const Utterance u = buildUtterance(kLine, lexicon(), SpeakerSettings{}).utterance;
  Synthesizer synth;
  synth.prepare(kRate, 1024);
  std::vector<float> block(256);
  double seconds = 0.0;
  for (auto _ : state) {
    synth.start(u, 1);
    while (!synth.finished()) synth.render(block.data(), 256);
    seconds += static_cast<double>(synth.totalSamples()) / kRate;
    benchmark::DoNotOptimize(block.data());
  }
  state.counters["realtime_x"] = benchmark::Counter(seconds, benchmark::Counter::kIsRate);
}
BENCHMARK(BM_Speech_Render)->Unit(benchmark::kMillisecond);

// Text to the first 256-sample block: normalisation, lexicon, prosody, start, one render.
void BM_Speech_TimeToFirstBlock(benchmark::State& state) {
  using namespace vocalsynth::speech;
  Synthesizer synth;
  synth.prepare(kRate, 1024);
  std::vector<float> block(256);
  for (auto _ : state) {
    const Utterance u = buildUtterance(kLine, lexicon(), SpeakerSettings{}).utterance;
    synth.start(u, 1);
    synth.render(block.data(), 256);
    benchmark::DoNotOptimize(block.data());
  }
}
BENCHMARK(BM_Speech_TimeToFirstBlock)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
