// Prints a 64-bit digest (FNV-1a over the output's bits) of every archetype at every level of
// detail, at 48 and 44.1 kHz, fed in uneven blocks. Two builds that print the same lines compute
// the same bits: tools/run_tests.sh compares the SSE2 build with the portable (plain C++) SIMD
// path and with the ARM64 (NEON) build under qemu, and a refactoring can be checked against the
// digests printed before it.
//
//   vocalsynth_chain_digest [--anchors DIR]
// With --anchors, the input of each rate is read from DIR/anchor-<rate>.f32 if it exists and
// written there otherwise: libm (the anchor's sines and exponentials) differs across platforms,
// so a cross-platform comparison feeds every build the same input bits.
#include <cinttypes>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "vocalsynth/vocalsynth.h"

namespace {

std::uint64_t fnv1a(const float* x, int n, std::uint64_t hash) {
  for (int i = 0; i < n; ++i) {
    std::uint32_t bits;
    std::memcpy(&bits, &x[i], sizeof bits);
    for (int b = 0; b < 4; ++b) {
      hash ^= (bits >> (8 * b)) & 0xFFu;
      hash *= 0x100000001B3ull;
    }
  }
  return hash;
}

/// Reads DIR/anchor-<rate>.f32 into x if it exists (true), or writes x there (false).
bool shareAnchor(const std::string& dir, double rate, std::vector<float>& x) {
  const std::string path = dir + "/anchor-" + std::to_string(static_cast<int>(rate)) + ".f32";
  if (std::FILE* f = std::fopen(path.c_str(), "rb")) {
    const size_t got = std::fread(x.data(), sizeof(float), x.size(), f);
    std::fclose(f);
    if (got != x.size()) {
      std::fprintf(stderr, "%s: %zu samples, expected %zu (delete it to write it again)\n", path.c_str(), got,
                   x.size());
      std::exit(2);
    }
    return true;
  }
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr || std::fwrite(x.data(), sizeof(float), x.size(), f) != x.size()) {
    std::fprintf(stderr, "cannot write %s\n", path.c_str());
    std::exit(2);
  }
  std::fclose(f);
  return false;
}

}  // namespace

int main(int argc, char** argv) {
  std::string anchors;
  if (argc == 3 && std::string(argv[1]) == "--anchors") {
    anchors = argv[2];
  } else if (argc != 1) {
    std::fprintf(stderr, "usage: vocalsynth_chain_digest [--anchors DIR]\n");
    return 2;
  }
  const double rates[] = {48000.0, 44100.0};
  const char* detailNames[] = {"near", "mid", "far"};
  const int blocks[] = {1, 37, 480, 7, 256, 1000, 3};  // uneven on purpose (cycled)
  for (const double rate : rates) {
    const int length = static_cast<int>(1.5 * rate);
    std::vector<float> in(static_cast<size_t>(length)), out(static_cast<size_t>(length));
    vocalsynth::AnchorSettings anchor;
    anchor.vowels = "aeiou";
    vocalsynth::renderAnchor(anchor, rate, in.data(), length);
    if (!anchors.empty()) shareAnchor(anchors, rate, in);
    for (std::size_t a = 0; a < vocalsynth::archetypeCount(); ++a) {
      const vocalsynth::Archetype& archetype = vocalsynth::archetypes()[a];
      for (int detail = 0; detail < 3; ++detail) {
        vocalsynth::Voice voice;
        voice.prepare(rate, 1000, 7);
        voice.setParams(archetype.params, true);
        voice.setDetail(static_cast<vocalsynth::VoiceDetail>(detail));
        int pos = 0;
        for (int b = 0; pos < length; ++b) {
          int n = blocks[b % 7];
          if (n > length - pos) n = length - pos;
          voice.process(in.data() + pos, out.data() + pos, n);
          pos += n;
        }
        std::printf("%-9s %-4s %5.0f Hz  %016" PRIx64 "\n", archetype.name, detailNames[detail], rate,
                    fnv1a(out.data(), length, 0xCBF29CE484222325ull));
      }
    }
  }
  return 0;
}
