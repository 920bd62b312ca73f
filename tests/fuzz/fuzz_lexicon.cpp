// libFuzzer target: any bytes as a lexicon file (a corrupt or truncated en_us.vslex). Loading
// either refuses it or gives a dictionary that words can be looked up in.
#include <cstdint>
#include <string_view>

#include "vocalsynth/speech/text_frontend.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  vocalsynth::speech::Lexicon lexicon;
  if (lexicon.load(std::string_view(reinterpret_cast<const char*>(data), size))) {
    (void)vocalsynth::speech::buildUtterance("the wolf you lost abc", lexicon, vocalsynth::speech::SpeakerSettings{});
  }
  return 0;
}
