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
    std::fprintf(stderr, "usage: vocalsynth_profile ARCHETYPE|PARAM=VALUE|--baseline [DETAIL 0=near 1=mid 2=far]\n");
    return 2;
  }
  // --baseline: everything but the chain (start-up, anchor, voice set-up), to subtract.
  // PARAM=VALUE: one parameter over the neutral voice (as bench_core's BM_Block).
  const bool baseline = std::string(argv[1]) == "--baseline";
  const std::string spec = argv[1];
  vocalsynth::VoiceParams params;
  if (const auto eq = spec.find('='); eq != std::string::npos) {
    const vocalsynth::ParamInfo* info = vocalsynth::findParam(spec.substr(0, eq).c_str());
    if (info == nullptr) {
      std::fprintf(stderr, "unknown parameter '%s'\n", spec.substr(0, eq).c_str());
      return 2;
    }
    params.*(info->member) = std::strtof(spec.c_str() + eq + 1, nullptr);
  } else {
    const vocalsynth::Archetype* archetype = vocalsynth::findArchetype(baseline ? "human" : argv[1]);
    if (archetype == nullptr) {
      std::fprintf(stderr, "unknown archetype '%s'\n", argv[1]);
      return 2;
    }
    params = archetype->params;
  }
  constexpr double kRate = 48000.0;
  constexpr int kBlock = 2400;
  std::vector<float> in(48000), out(kBlock);
  vocalsynth::AnchorSettings anchor;
  anchor.vowels = "aeiou";
  vocalsynth::renderAnchor(anchor, kRate, in.data(), static_cast<int>(in.size()));
  vocalsynth::Voice voice;
  voice.prepare(kRate, kBlock, 1);
  voice.setParams(params, true);
  voice.setDetail(static_cast<vocalsynth::VoiceDetail>(argc > 2 ? std::atoi(argv[2]) : 0));
  for (int rep = 0; rep < (baseline ? 0 : 3); ++rep) {
    for (size_t pos = 0; pos + kBlock <= in.size(); pos += kBlock) voice.process(in.data() + pos, out.data(), kBlock);
  }
  return 0;
}
