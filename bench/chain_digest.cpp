// Prints a 64-bit digest (FNV-1a over the output's bits) of every archetype at every level of
// detail, at 48 and 44.1 kHz, fed in uneven blocks. Two builds that print the same lines compute
// the same bits: tools/run_tests.sh compares the SSE2 build with the portable (plain C++) SIMD
// path and with the ARM64 (NEON) build under qemu, and a refactoring can be checked against the
// digests printed before it.
#include <cinttypes>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstring>
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

}  // namespace

int main() {
  const double rates[] = {48000.0, 44100.0};
  const char* detailNames[] = {"near", "mid", "far"};
  const int blocks[] = {1, 37, 480, 7, 256, 1000, 3};  // uneven on purpose (cycled)
  for (const double rate : rates) {
    const int length = static_cast<int>(1.5 * rate);
    std::vector<float> in(static_cast<size_t>(length)), out(static_cast<size_t>(length));
    vocalsynth::AnchorSettings anchor;
    anchor.vowels = "aeiou";
    vocalsynth::renderAnchor(anchor, rate, in.data(), length);
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
