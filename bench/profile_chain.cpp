// Driver for bench/profile_chain.py: renders one second of the built-in anchor through one
// archetype at one level of detail, three times over, so callgrind can count instructions per
// sample. Instruction counts do not drift with a busy VM the way timings do.
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "vocalsynth/vocalsynth.h"

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: vocalsynth_profile ARCHETYPE|--baseline [DETAIL 0=near 1=mid 2=far]\n");
    return 2;
  }
  // --baseline: everything but the chain (start-up, anchor, voice set-up), to subtract.
  const bool baseline = std::string(argv[1]) == "--baseline";
  const vocalsynth::Archetype* archetype = vocalsynth::findArchetype(baseline ? "human" : argv[1]);
  if (archetype == nullptr) {
    std::fprintf(stderr, "unknown archetype '%s'\n", argv[1]);
    return 2;
  }
  constexpr double kRate = 48000.0;
  constexpr int kBlock = 2400;
  std::vector<float> in(48000), out(kBlock);
  vocalsynth::AnchorSettings anchor;
  anchor.vowels = "aeiou";
  vocalsynth::renderAnchor(anchor, kRate, in.data(), static_cast<int>(in.size()));
  vocalsynth::Voice voice;
  voice.prepare(kRate, kBlock, 1);
  voice.setParams(archetype->params, true);
  voice.setDetail(static_cast<vocalsynth::VoiceDetail>(argc > 2 ? std::atoi(argv[2]) : 0));
  for (int rep = 0; rep < (baseline ? 0 : 3); ++rep) {
    for (size_t pos = 0; pos + kBlock <= in.size(); pos += kBlock) voice.process(in.data() + pos, out.data(), kBlock);
  }
  return 0;
}
