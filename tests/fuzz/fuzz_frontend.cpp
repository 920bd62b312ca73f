// libFuzzer target: any bytes as a line of dialogue through the whole text front end
// (normalisation, the shipped CMU lexicon, letter-to-sound, prosody). The sanitizers and the
// bounds-checked standard library (see CMakeLists.txt, VOCALSYNTH_BUILD_FUZZERS) turn a read past
// the line's end or an overflowing number into a crash with its input saved.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "fuzz_common.h"
#include "vocalsynth/speech/text_frontend.h"

using vs_fuzz::shippedLexicon;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view line(reinterpret_cast<const char*>(data), size);
  const std::string said = vocalsynth::speech::normalizeText(line);
  if (vocalsynth::speech::normalizeText(line) != said) std::abort();  // deterministic
  (void)vocalsynth::speech::buildUtterance(line, shippedLexicon(), vocalsynth::speech::SpeakerSettings{});
  return 0;
}
