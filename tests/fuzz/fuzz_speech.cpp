// libFuzzer target: a line spoken by the synthesizer with any speaker settings (in range, at the
// edges, or NaN, infinite, zero and negative, as a Blueprint or a hand-edited asset can send),
// any emotion, sample rate (8-192 kHz), seed and block sizes, its pitch glided or not (a
// transformation, speech::glidePitch). It checks, on the rendered audio:
//   - the utterance's speaker settings lie within their ranges (clampSpeaker held them);
//   - phone starts never go backwards and end at the line's length;
//   - every sample is finite and below +18 dBFS (no filter blows up). The synthesizer's own
//     level is not capped: the archetype chain's limiter follows it. Rage (effort 1.6, about
//     +6 dB) from the lowest, loudness-matched speaker (50 Hz: +5 dB) peaks at up to +12.2 dBFS
//     over 15 lines at every emotion and setting edge (session 20); stacked formants reached +24;
//   - block sizes do not change a bit (fuzzed blocks against 4096-sample blocks).
// The first bytes choose the settings; the rest is the line.
#include <fuzzer/FuzzedDataProvider.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

#include "fuzz_common.h"
#include "vocalsynth/speech/synthesizer.h"
#include "vocalsynth/speech/text_frontend.h"

namespace {

namespace sp = vocalsynth::speech;
using vs_fuzz::shippedLexicon;

constexpr std::int64_t kMaxRendered = 400000;  // ~2-8 s of audio: enough for every phone kind

float fuzzedSetting(FuzzedDataProvider& data, const sp::SpeakerInfo& info) {
  switch (data.ConsumeIntegralInRange(0, 8)) {
    case 0: return info.minValue;
    case 1: return info.maxValue;
    case 2: return std::numeric_limits<float>::quiet_NaN();
    case 3: return std::numeric_limits<float>::infinity();
    case 4: return -std::numeric_limits<float>::infinity();
    case 5: return 0.0f;
    case 6: return -data.ConsumeFloatingPointInRange(0.0f, 1000.0f);
    case 7: return data.ConsumeFloatingPoint<float>();
    default: return data.ConsumeFloatingPointInRange(info.minValue, info.maxValue);
  }
}

// Renders up to kMaxRendered samples in blocks of `nextBlock()`.
template <typename NextBlock>
std::vector<float> render(sp::Synthesizer& synth, NextBlock nextBlock) {
  const std::int64_t wanted = std::min(synth.totalSamples(), kMaxRendered);
  std::vector<float> out(static_cast<std::size_t>(wanted));
  std::int64_t at = 0;
  sp::SpeechEvent events[sp::Synthesizer::kEventCapacity];
  while (at < wanted) {
    const int n = static_cast<int>(std::min<std::int64_t>(nextBlock(), wanted - at));
    const int written = synth.render(out.data() + at, n);
    if (written != n) {
      std::fprintf(stderr, "render wrote %d of %d samples at %lld of %lld\n", written, n, static_cast<long long>(at),
                   static_cast<long long>(synth.totalSamples()));
      std::abort();
    }
    (void)synth.popEvents(events, sp::Synthesizer::kEventCapacity);
    at += n;
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* bytes, std::size_t size) {
  FuzzedDataProvider data(bytes, size);
  sp::SpeakerSettings speaker;
  for (std::size_t i = 0; i < sp::speakerInfoCount(); ++i) {
    const sp::SpeakerInfo& info = sp::speakerInfos()[i];
    if (data.ConsumeBool()) speaker.*(info.member) = fuzzedSetting(data, info);
  }
  const auto emotion = static_cast<sp::Emotion>(data.ConsumeIntegralInRange(0, 5));
  static constexpr double kRates[] = {8000.0, 16000.0, 22050.0, 44100.0, 48000.0, 96000.0, 192000.0};
  const double rate = data.ConsumeBool() ? kRates[data.ConsumeIntegralInRange<std::size_t>(0, 6)]
                                         : data.ConsumeFloatingPointInRange(8000.0, 192000.0);
  const std::uint64_t seed = data.ConsumeIntegral<std::uint64_t>();
  const int maxBlock = data.ConsumeIntegralInRange(1, 2048);
  std::vector<int> blockSizes(32);
  for (int& n : blockSizes) n = data.ConsumeIntegralInRange(1, maxBlock);
  // A transformation's pitch glide, by what two speakers' pitches can differ (50-400 Hz: x1/8 to
  // x8), over a span given as fractions of the line (past its end too).
  const bool glide = data.ConsumeBool();
  const float glideRatio = data.ConsumeFloatingPointInRange(0.125f, 8.0f);
  const float glideFrom = data.ConsumeFloatingPointInRange(0.0f, 1.5f);
  const float glideTo = glideFrom + data.ConsumeFloatingPointInRange(0.0f, 1.5f);
  const std::string line = data.ConsumeRemainingBytesAsString();

  if (std::getenv("VOCALSYNTH_FUZZ_VERBOSE") != nullptr) {  // replaying one input: print its case
    std::fprintf(stderr,
                 "pitch %g Hz, tract %g cm, breathiness %g, rate %g x, emotion %d, %.3f Hz, seed %llu, max block %d\n",
                 static_cast<double>(speaker.basePitchHz), static_cast<double>(speaker.tractLengthCm),
                 static_cast<double>(speaker.breathiness), static_cast<double>(speaker.rate), static_cast<int>(emotion),
                 rate, static_cast<unsigned long long>(seed), maxBlock);
    std::fprintf(stderr, "line (%zu bytes): ", line.size());
    for (unsigned char c : line) std::fprintf(stderr, c >= 32 && c < 127 ? "%c" : "\\x%02x", c);
    std::fprintf(stderr, "\n");
  }
  sp::FrontEndResult result = sp::buildUtterance(line, shippedLexicon(), speaker, emotion);
  if (!result.ok()) return 0;
  if (glide) {
    const float total = result.utterance.totalMs();
    sp::glidePitch(result.utterance, glideRatio, glideFrom * total, glideTo * total);
  }
  const sp::Utterance& u = result.utterance;
  for (std::size_t i = 0; i < sp::speakerInfoCount(); ++i) {
    const sp::SpeakerInfo& info = sp::speakerInfos()[i];
    const float value = u.speaker.*(info.member);
    if (!(value >= info.minValue && value <= info.maxValue)) {
      std::fprintf(stderr, "speaker %s = %g outside %g-%g\n", info.name, static_cast<double>(value),
                   static_cast<double>(info.minValue), static_cast<double>(info.maxValue));
      std::abort();
    }
  }

  sp::Synthesizer synths[2];
  std::vector<float> outputs[2];
  for (int run = 0; run < 2; ++run) {
    if (!synths[run].prepare(rate, static_cast<int>(u.phones.size()) + 1)) std::abort();
    if (!synths[run].start(u, seed)) std::abort();
    std::size_t next = 0;
    outputs[run] = run == 0 ? render(synths[run], [&] { return blockSizes[next++ % blockSizes.size()]; })
                            : render(synths[run], [] { return 4096; });
  }
  const sp::Synthesizer& synth = synths[0];
  for (int i = 0; i < synth.phoneCount(); ++i) {
    if (synth.phoneStartSample(i + 1) < synth.phoneStartSample(i)) {
      std::fprintf(stderr, "phone %d starts before phone %d\n", i + 1, i);
      std::abort();
    }
  }
  if (synth.phoneStartSample(synth.phoneCount()) != synth.totalSamples()) std::abort();
  const std::vector<float>& y = outputs[0];
  for (std::size_t k = 0; k < y.size(); ++k) {
    if (!std::isfinite(y[k]) || std::fabs(y[k]) > 8.0f) {
      std::fprintf(stderr, "sample %zu of %zu is %g (rate %g)\n", k, y.size(), static_cast<double>(y[k]), rate);
      std::abort();
    }
  }
  if (std::memcmp(y.data(), outputs[1].data(), y.size() * sizeof(float)) != 0) {
    std::fprintf(stderr, "block sizes changed the speech (rate %g, max block %d)\n", rate, maxBlock);
    std::abort();
  }
  return 0;
}
