// libFuzzer target: the archetype chain (vocalsynth::Voice) under whatever a game can give it —
// any archetype with any parameters (out of range and NaN too), any rate from 16 to 96 kHz, any
// block sizes, tier changes, intensity changes and resets mid-stream, and any input: speech-like
// anchor, silence, tones, noise, full-scale and over-range squares, clicks, NaN, infinities,
// huge values and denormals. Every input checks the chain's promises, measured on the output:
//   - every output sample is finite (a non-finite input resets the voice, never leaks);
//   - no sample exceeds the limiter's -1 dBTP ceiling (0 dBFS with margin);
//   - the output does not depend on block sizes: a second voice, given the same input and the
//     same control calls at the same sample positions in different blocks, gives the same bits.
// A broken promise aborts, and libFuzzer saves the input (replay: the binary and the file).
#include <fuzzer/FuzzedDataProvider.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <vector>

#include "fuzz_common.h"
#include "vocalsynth/anchor.h"
#include "vocalsynth/archetypes.h"
#include "vocalsynth/voice.h"
#include "vocalsynth/voice_params.h"

namespace {

using vocalsynth::Voice;
using vocalsynth::VoiceDetail;
using vocalsynth::VoiceParams;

constexpr int kMaxSamples = 36000;  // up to 0.75 s at 48 kHz: every analysis, idle and fade runs
constexpr int kMaxEvents = 8;
constexpr float kCeiling = 0.891251f;  // the limiter's default ceiling, -1 dBTP

enum class EventKind : std::uint8_t { Params, ParamsImmediate, Intensity, Detail, Reset };

struct ControlEvent {
  int at = 0;
  EventKind kind = EventKind::Params;
  VoiceParams params;
  vocalsynth::IntensityControls intensity;
  VoiceDetail detail = VoiceDetail::Near;
  std::uint64_t seed = 0;
};

using vs_fuzz::fuzzedParams;
using vs_fuzz::verbose;
using vs_fuzz::wildValue;

// The input: segments of different kinds, each of fuzzed length.
void fuzzedInput(FuzzedDataProvider& data, double rate, std::vector<float>& x) {
  const int total = data.ConsumeIntegralInRange(1, kMaxSamples);
  x.assign(static_cast<std::size_t>(total), 0.0f);
  // A speech-like anchor to cut from (voiced, with onsets: pitch tracking, LPC and events run).
  vocalsynth::AnchorSettings anchor;
  anchor.f0Hz = data.ConsumeFloatingPointInRange(60.0f, 400.0f);
  anchor.vibratoDepth = data.ConsumeFloatingPointInRange(0.0f, 0.06f);
  anchor.peakLevel = data.ConsumeFloatingPointInRange(0.001f, 1.0f);
  anchor.seed = data.ConsumeIntegral<std::uint8_t>();
  std::vector<float> voice(static_cast<std::size_t>(total));
  if (!vocalsynth::renderAnchor(anchor, rate, voice.data(), total)) std::abort();
  std::uint32_t noise = 0x9e3779b9u;
  int at = 0;
  while (at < total) {
    const int length = std::min(total - at, data.ConsumeIntegralInRange(1, 12000));
    const float level = data.ConsumeFloatingPointInRange(0.0f, 2.0f);
    const float frequency = data.ConsumeFloatingPointInRange(20.0f, 20000.0f);
    const int kind = data.ConsumeIntegralInRange(0, 7);
    for (int k = at; k < at + length; ++k) {
      float v = 0.0f;
      switch (kind) {
        case 0: v = voice[static_cast<std::size_t>(k)]; break;
        case 1: v = 0.0f; break;
        case 2: v = level * std::sin(6.2831853f * frequency * static_cast<float>(k) / static_cast<float>(rate)); break;
        case 3:
          noise = noise * 1664525u + 1013904223u;
          v = level * (static_cast<float>(noise >> 8) / 8388608.0f - 1.0f);
          break;
        case 4:
          v = std::fmod(frequency * static_cast<float>(k) / static_cast<float>(rate), 1.0f) < 0.5f ? level : -level;
          break;
        case 5: v = (k - at) % 480 == 0 ? level : 0.0f; break;
        case 6: v = 1e-40f; break;  // denormal
        default: v = level * voice[static_cast<std::size_t>(k)]; break;
      }
      x[static_cast<std::size_t>(k)] = v;
    }
    at += length;
  }
  // Single bad samples: NaN, infinities, huge values.
  const int bad = data.ConsumeIntegralInRange(0, 3);
  for (int i = 0; i < bad; ++i) { x[data.ConsumeIntegralInRange<std::size_t>(0, x.size() - 1)] = wildValue(data); }
}

void apply(Voice& voice, const ControlEvent& event) {
  switch (event.kind) {
    case EventKind::Params: voice.setParams(event.params); break;
    case EventKind::ParamsImmediate: voice.setParams(event.params, true); break;
    case EventKind::Intensity: voice.setIntensity(event.intensity); break;
    case EventKind::Detail: voice.setDetail(event.detail); break;
    case EventKind::Reset: voice.reset(event.seed); break;
  }
}

// Runs the stream with the control events at their sample positions, cutting the stretches
// between them into blocks with `nextBlock(remaining)`.
template <typename NextBlock>
void run(Voice& voice, const std::vector<float>& x, const std::vector<ControlEvent>& events, NextBlock nextBlock,
         std::vector<float>& y) {
  y.assign(x.size(), 0.0f);
  const int total = static_cast<int>(x.size());
  std::size_t nextEvent = 0;
  int at = 0;
  while (at < total) {
    while (nextEvent < events.size() && events[nextEvent].at <= at) apply(voice, events[nextEvent++]);
    const int stop = nextEvent < events.size() ? events[nextEvent].at : total;
    const int n = std::max(1, std::min(stop - at, nextBlock(stop - at)));
    voice.process(x.data() + at, y.data() + at, n);
    at += n;
  }
}

void describeParams(const char* what, const VoiceParams& params) {
  std::fprintf(stderr, "%s:", what);
  for (std::size_t i = 0; i < vocalsynth::paramCount(); ++i) {
    const vocalsynth::ParamInfo& info = vocalsynth::paramInfos()[i];
    const float value = params.*(info.member);
    if (!(value == info.defaultValue)) std::fprintf(stderr, " %s=%g", info.name, static_cast<double>(value));
  }
  std::fprintf(stderr, "\n");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* bytes, std::size_t size) {
  FuzzedDataProvider data(bytes, size);
  static constexpr double kRates[] = {16000.0, 22050.0, 24000.0, 32000.0, 44100.0, 48000.0, 88200.0, 96000.0};
  const double rate = data.ConsumeBool() ? kRates[data.ConsumeIntegralInRange<std::size_t>(0, 7)]
                                         : data.ConsumeFloatingPointInRange(16000.0, 96000.0);
  const std::uint64_t seed = data.ConsumeIntegral<std::uint64_t>();
  const int maxBlock = data.ConsumeIntegralInRange(1, 1024);
  const VoiceParams initial = fuzzedParams(data);
  vocalsynth::IntensityControls intensity;
  intensity.proximity = data.ConsumeProbability<float>();
  intensity.environment = data.ConsumeProbability<float>();
  const auto initialDetail = static_cast<VoiceDetail>(data.ConsumeIntegralInRange(0, 2));

  std::vector<float> x;
  fuzzedInput(data, rate, x);
  const int total = static_cast<int>(x.size());

  std::vector<ControlEvent> events(static_cast<std::size_t>(data.ConsumeIntegralInRange(0, kMaxEvents)));
  for (ControlEvent& event : events) {
    event.at = data.ConsumeIntegralInRange(0, total - 1);
    event.kind = static_cast<EventKind>(data.ConsumeIntegralInRange(0, 4));
    event.params = fuzzedParams(data);
    event.intensity.proximity = data.ConsumeBool() ? wildValue(data) : data.ConsumeProbability<float>();
    event.intensity.environment = data.ConsumeProbability<float>();
    event.detail = static_cast<VoiceDetail>(data.ConsumeIntegralInRange(0, 2));
    event.seed = data.ConsumeIntegral<std::uint16_t>();
  }
  std::stable_sort(events.begin(), events.end(),
                   [](const ControlEvent& a, const ControlEvent& b) { return a.at < b.at; });

  if (verbose()) {
    std::fprintf(stderr, "rate %.3f, seed %llu, maxBlock %d, %d samples, proximity %g, environment %g, detail %d\n",
                 rate, static_cast<unsigned long long>(seed), maxBlock, total, static_cast<double>(intensity.proximity),
                 static_cast<double>(intensity.environment), static_cast<int>(initialDetail));
    describeParams("initial params", initial);
    for (const ControlEvent& event : events) {
      std::fprintf(stderr, "at %d: event %d (proximity %g, environment %g, detail %d, seed %llu)\n", event.at,
                   static_cast<int>(event.kind), static_cast<double>(event.intensity.proximity),
                   static_cast<double>(event.intensity.environment), static_cast<int>(event.detail),
                   static_cast<unsigned long long>(event.seed));
      if (event.kind == EventKind::Params || event.kind == EventKind::ParamsImmediate)
        describeParams("  params", event.params);
    }
    float peak = 0.0f;
    for (float v : x) peak = std::isfinite(v) ? std::fmax(peak, std::fabs(v)) : peak;
    std::fprintf(stderr, "input peak %g\n", static_cast<double>(peak));
    for (int k = 0; k < total; ++k) {
      const float v = x[static_cast<std::size_t>(k)];
      if (!std::isfinite(v) || std::fabs(v) > 4.0f) std::fprintf(stderr, "input[%d] = %g\n", k, static_cast<double>(v));
    }
  }

  // Block sizes of the first run come from the input; the second run takes whole stretches
  // (up to 4096 samples per call) between the control calls.
  std::vector<int> blockSizes(64);
  for (int& n : blockSizes) n = data.ConsumeIntegralInRange(1, maxBlock);

  Voice voices[2];
  std::vector<float> outputs[2];
  for (int run_ = 0; run_ < 2; ++run_) {
    Voice& voice = voices[run_];
    voice.setParams(initial, true);
    voice.setIntensity(intensity, true);
    voice.setDetail(initialDetail);
    if (voice.prepare(rate, maxBlock, seed) != vocalsynth::PrepareResult::Ok) std::abort();
    std::size_t nextSize = 0;
    if (run_ == 0) {
      run(voice, x, events, [&](int) { return blockSizes[nextSize++ % blockSizes.size()]; }, outputs[0]);
    } else {
      run(voice, x, events, [](int remaining) { return std::min(remaining, 4096); }, outputs[1]);
    }
  }

  for (int k = 0; k < total; ++k) {
    const float y = outputs[0][static_cast<std::size_t>(k)];
    if (!std::isfinite(y)) {
      std::fprintf(stderr, "non-finite output %g at sample %d of %d (rate %g)\n", static_cast<double>(y), k, total,
                   rate);
      std::abort();
    }
    if (std::fabs(y) > kCeiling) {
      std::fprintf(stderr, "output %.6f above the -1 dBTP ceiling at sample %d of %d (rate %g)\n",
                   static_cast<double>(y), k, total, rate);
      std::abort();
    }
  }
  const int k = static_cast<int>(vs_fuzz::firstBitDifference(outputs[0].data(), outputs[1].data(), x.size()));
  if (k < total) {
    if (verbose()) {
      std::fprintf(stderr, "non-finite inputs counted: %llu vs %llu\n",
                   static_cast<unsigned long long>(voices[0].nonFiniteInputCount()),
                   static_cast<unsigned long long>(voices[1].nonFiniteInputCount()));
      for (int j = std::max(0, k - 4); j < std::min(total, k + 12); ++j) {
        std::fprintf(stderr, "  y[%d] = %.9g vs %.9g\n", j,
                     static_cast<double>(outputs[0][static_cast<std::size_t>(j)]),
                     static_cast<double>(outputs[1][static_cast<std::size_t>(j)]));
      }
    }
    std::fprintf(stderr,
                 "block sizes changed the output: first at sample %d of %d (%.9g vs %.9g, rate %g, maxBlock %d)\n", k,
                 total, static_cast<double>(outputs[0][static_cast<std::size_t>(k)]),
                 static_cast<double>(outputs[1][static_cast<std::size_t>(k)]), rate, maxBlock);
    std::abort();
  }
  return 0;
}
