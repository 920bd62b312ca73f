// A host of the VocalSynthesis core outside Unreal: what an in-house engine, a middleware plugin
// or a test harness does with it, using only the installed headers and library (CMake:
// find_package(VocalSynthesis) or add_subdirectory; see CMakeLists.txt beside this file).
//
//   vocalsynth_host [LEXICON.vslex]   (default: the package's, VocalSynthesis_LEXICON)
//
// It runs each piece the README's C++ section shows, on one thread standing in for both the
// game and the audio thread, and measures what comes out: a speaking NPC (text -> the archetype's
// voice, with its word events), an archetype over a mono signal, the same voice in an interleaved
// stereo buffer, and a crowd. It exits 1, naming the piece, if any output is silent, non-finite,
// over the limiter's -1 dBTP ceiling, or (for the NPC) missing a word event.
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "vocalsynth/vocalsynth.h"  // the umbrella header: every class a host uses

namespace {

constexpr double kRate = 48000.0;
constexpr int kBlock = 256;                  // the engine's audio block
constexpr float kCeiling = 0.8913f * 1.02f;  // -1 dBTP, with the sample peak's slack

int failures = 0;

/// Level and sanity of one piece's output; prints a line and counts a failure. `limited`: the
/// piece ends in the chain's limiter (the crowd bus is a mix, left to the host's own bus).
void check(const char* piece, const std::vector<float>& audio, bool limited, bool extraOk = true,
           const char* extra = "") {
  double sum = 0.0;
  float peak = 0.0f;
  bool finite = true;
  for (float x : audio) {
    finite = finite && std::isfinite(x);
    peak = std::fabs(x) > peak ? std::fabs(x) : peak;
    sum += static_cast<double>(x) * x;
  }
  const double rmsDb = 10.0 * std::log10(sum / (audio.empty() ? 1.0 : static_cast<double>(audio.size())) + 1e-30);
  const bool ok = finite && !audio.empty() && rmsDb > -45.0 && (!limited || peak <= kCeiling) && extraOk;
  std::printf("%-22s %6.2f s  rms %6.1f dBFS  peak %6.1f dBFS  %s%s\n", piece,
              static_cast<double>(audio.size()) / kRate, rmsDb, 20.0 * std::log10(peak + 1e-30), ok ? "ok" : "FAILED",
              extra);
  if (!ok) ++failures;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc > 2) {
    std::fprintf(stderr, "usage: %s [LEXICON.vslex]  (default: %s)\n", argv[0], VOCALSYNTH_HOST_LEXICON);
    return 2;
  }
  const char* lexiconPath = argc == 2 ? argv[1] : VOCALSYNTH_HOST_LEXICON;
  // The core does no file I/O: the host loads the pronouncing dictionary and hands it the bytes.
  std::ifstream file(lexiconPath, std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  vocalsynth::speech::Lexicon lexicon;
  if (bytes.empty() || !lexicon.load(bytes)) {
    std::fprintf(stderr, "%s: cannot read the lexicon (missing or not a .vslex file)\n", lexiconPath);
    return 2;
  }
  std::printf("VocalSynthesis %s, lexicon of %zu words\n", vocalsynth::kEngineVersion, lexicon.size());
  const vocalsynth::Archetype* zombie = vocalsynth::findArchetype("zombie");
  const vocalsynth::Archetype* vampire = vocalsynth::findArchetype("vampire");
  if (zombie == nullptr || vampire == nullptr) return 1;

  {  // A speaking NPC: a line of text in the zombie's voice, rendered block by block.
    const char* text = "Braaains... give me brains!";
    const auto line = vocalsynth::speech::buildUtterance(text, lexicon, vocalsynth::speech::SpeakerSettings{});
    vocalsynth::NpcVoice npc;
    if (!line.ok() || !npc.prepare(kRate, kBlock)) return 1;
    npc.voice().setParams(zombie->params, true);
    const std::uint32_t id = npc.speak(line.utterance);
    std::vector<float> audio;
    std::vector<float> block(kBlock);
    vocalsynth::NpcVoiceEvent events[64];
    int words = 0;
    bool finished = false;
    while (!finished && audio.size() < static_cast<std::size_t>(10 * kRate)) {
      npc.render(block.data(), kBlock);  // audio thread
      audio.insert(audio.end(), block.begin(), block.end());
      const int n = npc.popEvents(events, 64);  // game thread: lip sync, subtitles
      for (int i = 0; i < n; ++i) {
        if (events[i].line != id) continue;
        words += events[i].type == vocalsynth::NpcVoiceEvent::Type::Word;
        finished = finished || events[i].type == vocalsynth::NpcVoiceEvent::Type::LineFinished;
      }
    }
    const int expected = static_cast<int>(line.utterance.words.size());
    char extra[64];
    std::snprintf(extra, sizeof extra, "  (%d of %d word events%s)", words, expected,
                  finished ? "" : ", never finished");
    check("NPC line (zombie)", audio, true, id > 0 && finished && words == expected && expected == 4, extra);
  }

  // A mono signal (here the core's built-in vowel anchor) through the vampire's chain.
  std::vector<float> anchor(static_cast<std::size_t>(1.5 * kRate));
  if (!vocalsynth::renderAnchor(vocalsynth::AnchorSettings{}, kRate, anchor.data(), static_cast<int>(anchor.size())))
    return 1;
  {
    vocalsynth::Voice voice;
    if (voice.prepare(kRate, kBlock, /*seed*/ 1) != vocalsynth::PrepareResult::Ok) return 1;
    voice.setParams(vampire->params);
    std::vector<float> out(anchor.size());
    for (std::size_t at = 0; at < anchor.size(); at += kBlock) {
      const int n = static_cast<int>(anchor.size() - at < kBlock ? anchor.size() - at : kBlock);
      if (at == anchor.size() / 2 / kBlock * kBlock) voice.setDetail(vocalsynth::VoiceDetail::Far);  // walked away
      voice.process(anchor.data() + at, out.data() + at, n);
    }
    check("anchor (vampire)", out, true);
  }

  {  // An engine's interleaved stereo source buffer, processed in place.
    vocalsynth::InterleavedVoice source;
    if (!source.prepare(kRate, /*channels*/ 2, kBlock, 1)) return 1;
    source.voice().setParams(vampire->params);
    std::vector<float> interleaved(anchor.size() * 2);
    for (std::size_t i = 0; i < anchor.size(); ++i) interleaved[2 * i] = interleaved[2 * i + 1] = anchor[i];
    for (std::size_t frame = 0; frame < anchor.size(); frame += kBlock) {
      const std::size_t frames = anchor.size() - frame < kBlock ? anchor.size() - frame : kBlock;
      source.process(&interleaved[2 * frame], &interleaved[2 * frame], static_cast<int>(frames * 2));
    }
    std::vector<float> left(anchor.size());
    bool same = true;
    for (std::size_t i = 0; i < anchor.size(); ++i) {
      left[i] = interleaved[2 * i];
      same = same && interleaved[2 * i] == interleaved[2 * i + 1];
    }
    check("interleaved (vampire)", left, true, same, same ? "" : "  (channels differ)");
  }

  {  // A horde of 40 zombies on the crowd engine's stereo bus.
    vocalsynth::CrowdEngine crowd;
    if (!crowd.prepare(kRate, kBlock, /*capacity*/ 256)) return 1;
    for (int i = 0; i < 40; ++i) {
      vocalsynth::CrowdVoiceDesc desc;
      desc.profile = vocalsynth::makeCrowdProfile(zombie->params);
      desc.distanceM = 3.0f + 0.5f * static_cast<float>(i);
      desc.azimuthDeg = -80.0f + 4.0f * static_cast<float>(i);
      desc.seed = static_cast<std::uint64_t>(i) + 1;
      const vocalsynth::CrowdVoiceHandle handle = crowd.startVoice(desc);  // game thread: a lock-free command
      if (!handle.valid() || !crowd.setVoicePosition(handle, desc.distanceM, -desc.azimuthDeg)) return 1;
    }
    std::vector<float> left(static_cast<std::size_t>(2 * kRate)), right(left.size());
    for (std::size_t at = 0; at < left.size(); at += kBlock) crowd.render(&left[at], &right[at], kBlock);
    std::vector<float> mono(left.size());
    for (std::size_t i = 0; i < left.size(); ++i) mono[i] = 0.5f * (left[i] + right[i]);
    char extra[64];
    std::snprintf(extra, sizeof extra, "  (%s, %d lanes)", vocalsynth::simdPathName(crowd.simdPath()),
                  crowd.laneWidth());
    check("crowd of 40 (zombie)", mono, false, true, extra);
  }
  return failures == 0 ? 0 : 1;
}
