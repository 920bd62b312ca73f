// Artifacts the voice path must not add, measured on speech from the built-in synthesizer:
// - pops: its stop closures (a quiet ringing tail, then a burst) are where an LPC-warp chain is
//   weakest: the quiet tail's envelope is sharp, and a burst resynthesised through its warped copy
//   rings the shifted resonance;
// - onset spikes: after a quiet stretch the envelopes glide from flat to a vowel's; the analysis
//   and synthesis filters must take the same path, or the output spikes as they disagree;
// - rumble: noise injected into the excitation (whisper) comes out through the de-emphasis, which
//   lifts its lowest octaves by up to 20 dB.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <vector>

#include "test_helpers.h"
#include "vocalsynth/speech/synthesizer.h"
#include "vocalsynth/speech/text_frontend.h"
#include "vocalsynth/svf.h"
#include "vocalsynth/voice.h"

using namespace vocalsynth;

namespace {

constexpr double kRate = 48000.0;

std::vector<float> speak(const char* text, double rate = kRate, float pitchHz = speech::SpeakerSettings{}.basePitchHz) {
  static const speech::Lexicon lexicon;  // empty: letter-to-sound rules voice every word
  speech::SpeakerSettings speaker;
  speaker.basePitchHz = pitchHz;
  const auto result = speech::buildUtterance(text, lexicon, speaker);
  EXPECT_TRUE(result.ok()) << text;
  speech::Synthesizer synth;
  return vs_test::renderSpeech(synth, result.utterance, rate);
}

/// The largest ratio of the output's peak in a 2 ms window to the input's largest peak from 30 ms
/// before to 10 ms after it (plus 0.02, about -34 dBFS, so silence in both counts as nothing):
/// what the chain adds on top of anything the input could have rung on.
double createdTransient(const std::vector<float>& in, const std::vector<float>& out, int latency, double rate,
                        double& at) {
  const auto window = static_cast<size_t>(0.002 * rate);
  const size_t windows = (out.size() - static_cast<size_t>(latency)) / window;
  auto peak = [window](const std::vector<float>& x, size_t begin) {
    float p = 0.0f;
    for (size_t i = begin; i < begin + window && i < x.size(); ++i) p = std::max(p, std::abs(x[i]));
    return p;
  };
  double worst = 0.0;
  for (size_t w = 0; w < windows; ++w) {
    float context = 0.0f;
    for (size_t c = w >= 15 ? w - 15 : 0; c <= w + 5 && c < windows; ++c)
      context = std::max(context, peak(in, c * window));
    const double ratio = peak(out, w * window + static_cast<size_t>(latency)) / (context + 0.02);
    if (ratio > worst) {
      worst = ratio;
      at = static_cast<double>(w * window) / rate;
    }
  }
  return worst;
}

/// Output level minus input level (dB) in each `frame`-sample frame where the input is steady:
/// above `floorDb` and within 3 dB of both neighbours. `y` is `x` through a voice of `latency`.
std::vector<double> steadyFrameLevelErrors(const std::vector<float>& x, const std::vector<float>& y, size_t latency,
                                           size_t frame, double floorDb) {
  auto level = [frame](const std::vector<float>& s, size_t begin) {
    double sum = 0.0;
    for (size_t i = begin; i < begin + frame; ++i) sum += static_cast<double>(s[i]) * s[i];
    return 10.0 * std::log10(sum / static_cast<double>(frame) + 1e-12);
  };
  std::vector<double> errors;
  for (size_t i = frame; i + 2 * frame + latency < x.size(); i += frame) {
    const double in = level(x, i);
    if (in < floorDb || std::fabs(level(x, i - frame) - in) > 3.0 || std::fabs(level(x, i + frame) - in) > 3.0)
      continue;
    errors.push_back(level(y, i + latency) - in);
  }
  return errors;
}

/// The voice path alone (vs_test::voicePathOnly): the additive layers are meant to sound where the
/// input is quiet, or low.
std::vector<float> renderVoicePath(const char* name, const std::vector<float>& in, int& latency, double rate = kRate,
                                   std::uint64_t seed = 3) {
  Voice voice;
  voice.prepare(rate, 256, seed);
  voice.setParams(vs_test::voicePathOnly(name), true);
  latency = voice.latencySamples();
  return vs_test::render(voice, in, 256);
}

}  // namespace

TEST(VoiceArtifacts, NoArchetypeMakesAPopItsInputDoesNotHave) {
  // Lines full of stop closures and releases (t, d, g, k, p, b), at 48 kHz and at 16 kHz (where
  // the voice band is the whole signal).
  const char* lines[] = {"good evening traveller", "what do you want from me", "the gate is closed until dawn",
                         "bring me the head of the wolf"};
  for (const double rate : {48000.0, 16000.0}) {
    // Hollow rings and swarm copies reach ~5.4 at 48 kHz (their tails outlast the input's
    // context) and ~7.3 at 16 kHz; the pops this guards against were 13-17 at 48 kHz.
    const double bound = rate > 40000.0 ? 6.0 : 8.0;
    for (const char* line : lines) {
      auto x = speak(line, rate);
      x.resize(x.size() + static_cast<size_t>(0.2 * rate), 0.0f);  // room for the latency and tails
      for (const char* name : vs_test::archetypeNames()) {
        int latency = 0;
        const auto out = renderVoicePath(name, x, latency, rate);
        double at = 0.0;
        const double ratio = createdTransient(x, out, latency, rate, at);
        EXPECT_LT(ratio, bound) << name << " at " << rate << " Hz, \"" << line << "\": a transient at " << at << " s";
      }
    }
  }
}

TEST(VoiceArtifacts, NoArchetypeAddsRumbleBelow40Hz) {
  // The share of the output's power below 40 Hz (a 4th-order low-pass), in dB. The synthesized
  // line has -50 dB there; the archetypes now have -31 to -40 (subharmonics, roughness's
  // sidebands), and the whispered ones had -15 to -22 of noise rumble before its high-pass.
  auto below40 = [](const std::vector<float>& x) {
    Svf a, b;
    a.setup(40.0f, 0.5412f, static_cast<float>(kRate));  // Butterworth pair
    b.setup(40.0f, 1.3066f, static_cast<float>(kRate));
    double low = 0.0, all = 0.0;
    for (float v : x) {
      const double l = b.lowPass(a.lowPass(v));
      low += l * l;
      all += static_cast<double>(v) * v;
    }
    return vs_test::toDb(std::sqrt(low / (all + 1e-30)));
  };
  auto line = speak("the gate is closed until dawn, stranger");
  line.resize(line.size() + 9600, 0.0f);
  const double input = below40(line);
  EXPECT_LT(input, -40.0);
  for (const char* name : vs_test::archetypeNames()) {
    int latency = 0;
    const double output = below40(renderVoicePath(name, line, latency));
    EXPECT_LT(output, -28.0) << name << " (input " << input << " dB)";
  }
}

TEST(VoiceArtifacts, VoicingOnsetsDoNotSpike) {
  // At each onset (the input's 2 ms peaks below 0.02 for 30 ms, then above 0.1 within 20 ms), the
  // output's peak over the first 30 ms against its peak over the next 70 ms, the median of three
  // seeds (Swarm's random regime slips, roughness and copies make single onsets louder or softer
  // by chance: one seed in five reaches 1.5). When the analysis filter glided in direct form and
  // the synthesis filter in reflection coefficients, Vampire's onsets reached 1.6 and Zombie's
  // 1.3 (the two filters disagreeing: a spike no seed avoids); now every archetype stays near 1.
  const char* lines[] = {"the gate is closed until dawn, stranger", "good evening traveller",
                         "what do you want from me", "bring me the head of the wolf"};
  constexpr size_t kWindow = 96;
  for (const char* line : lines) {
    auto x = speak(line);
    x.resize(x.size() + 9600, 0.0f);
    const size_t windows = x.size() / kWindow - 60;
    std::vector<float> in(windows);
    for (size_t w = 0; w < windows; ++w) {
      for (size_t i = w * kWindow; i < (w + 1) * kWindow; ++i) in[w] = std::max(in[w], std::abs(x[i]));
    }
    for (const char* name : vs_test::archetypeNames()) {
      std::vector<std::vector<float>> outputs;
      int latency = 0;
      for (const std::uint64_t seed : {3u, 4u, 5u}) outputs.push_back(renderVoicePath(name, x, latency, kRate, seed));
      auto outPeak = [&](const std::vector<float>& y, size_t from, size_t to) {
        float p = 0.0f;
        for (size_t i = from * kWindow + static_cast<size_t>(latency);
             i < to * kWindow + static_cast<size_t>(latency) && i < y.size(); ++i)
          p = std::max(p, std::abs(y[i]));
        return p;
      };
      for (size_t w = 15; w + 50 < windows; ++w) {
        const float before =
            *std::max_element(in.begin() + static_cast<long>(w) - 15, in.begin() + static_cast<long>(w));
        const float after =
            *std::max_element(in.begin() + static_cast<long>(w), in.begin() + static_cast<long>(w) + 10);
        if (before >= 0.02f || after <= 0.1f) continue;
        std::vector<double> ratios;
        for (const auto& y : outputs) ratios.push_back(outPeak(y, w, w + 15) / (outPeak(y, w + 15, w + 50) + 1e-3));
        std::sort(ratios.begin(), ratios.end());
        EXPECT_LT(ratios[1], 1.25) << name << ", \"" << line << "\": onset at "
                                   << static_cast<double>(w * kWindow) / kRate << " s";
        w += 49;  // one onset, one check
      }
    }
  }
}

TEST(VoiceArtifacts, WhisperKeepsTheLineLevelContour) {
  // Whisper replaces the voice with noise of equal power, so a whispered line keeps the level of
  // each sound. Measured in 10 ms frames where the input is steady (within 3 dB of both
  // neighbours, above -40 dBFS): the output level minus the input level. When the noise took the
  // residual's own power, 10-15% of those frames were off by more than 6 dB and the 98th
  // percentile was +9 to +11 dB (a nasal murmur came out 10-15 dB louder than the line); now
  // under 2% and +3.5 dB, at 48 and 16 kHz.
  const char* lines[] = {"good evening traveller, what do you want from me",
                         "the gate is closed until dawn, bring me the head of the wolf",
                         "nobody passes until the moon is high, stranger", "leave this place and never come back"};
  for (const double rate : {48000.0, 16000.0}) {
    VoiceParams whisper;
    whisper.whisper = 1.0f;
    const auto frame = static_cast<size_t>(0.01 * rate);
    std::vector<double> errors;
    for (const char* line : lines) {
      auto x = speak(line, rate);
      x.resize(x.size() + static_cast<size_t>(0.2 * rate), 0.0f);
      Voice voice;
      voice.prepare(rate, 256, 5);
      voice.setParams(whisper, true);
      const auto y = vs_test::render(voice, x, 256);
      const auto found = steadyFrameLevelErrors(x, y, static_cast<size_t>(voice.latencySamples()), frame, -40.0);
      errors.insert(errors.end(), found.begin(), found.end());
    }
    ASSERT_GT(errors.size(), 500u);
    std::sort(errors.begin(), errors.end());
    const auto far = std::count_if(errors.begin(), errors.end(), [](double e) { return std::fabs(e) > 6.0; });
    const double share = static_cast<double>(far) / static_cast<double>(errors.size());
    const double p98 = errors[errors.size() * 98 / 100];
    const double median = errors[errors.size() / 2];
    EXPECT_LT(share, 0.06) << rate << " Hz";
    EXPECT_LT(p98, 6.0) << rate << " Hz";
    EXPECT_GT(median, -2.5) << rate << " Hz";
    EXPECT_LT(median, 1.0) << rate << " Hz";
    std::printf(
        "whisper at %.0f Hz: %zu steady frames, %.1f%% off by > 6 dB, median %+.1f dB, 98th percentile %+.1f dB\n",
        rate, errors.size(), 100.0 * share, median, p98);
  }
}

TEST(VoiceArtifacts, FormantWarpKeepsTheLevelOfHighVoices) {
  // A high voice's harmonics are 230-320 Hz apart, and an envelope fitted sharply enough to
  // resolve them moved its harmonic peaks along with the formants: frame to frame the level
  // jumped by 6-9 dB (at 320 Hz, formant scale 1.22 put 15% of the steady 10 ms frames more than
  // 6 dB from the line's median level, and scale 0.8, a bigger tract, 17%; at 230 Hz 4-6%). The
  // warped fit now smooths over F0 - 120 Hz: under 0.5%. Lines 12 dB down, so the limiter stays
  // out of it; steady frames as in the whisper test.
  const char* lines[] = {"good evening traveller, what do you want from me",
                         "the gate is closed until dawn, bring me the head of the wolf",
                         "nobody passes until the moon is high, stranger"};
  for (const float pitch : {230.0f, 320.0f}) {
    for (const float scale : {1.22f, 0.8f}) {
      VoiceParams warp;
      warp.formantScale = scale;
      std::vector<double> errors;
      for (const char* text : lines) {
        auto x = speak(text, kRate, pitch);
        x.resize(x.size() + 9600, 0.0f);
        for (float& v : x) v *= 0.25f;
        Voice voice;
        voice.prepare(kRate, 256, 3);
        voice.setParams(warp, true);
        const auto y = vs_test::render(voice, x, 256);
        const auto found = steadyFrameLevelErrors(x, y, static_cast<size_t>(voice.latencySamples()), 480, -52.0);
        errors.insert(errors.end(), found.begin(), found.end());
      }
      ASSERT_GT(errors.size(), 300u);
      std::sort(errors.begin(), errors.end());
      const double median = errors[errors.size() / 2];
      const auto far =
          std::count_if(errors.begin(), errors.end(), [median](double e) { return std::fabs(e - median) > 6.0; });
      const double share = static_cast<double>(far) / static_cast<double>(errors.size());
      EXPECT_LT(share, 0.03) << pitch << " Hz voice, formant scale " << scale;
      EXPECT_LT(std::fabs(median), 3.0) << pitch << " Hz voice, formant scale " << scale;
      std::printf(
          "%.0f Hz voice, formant scale %.2f: %zu steady frames, %.1f%% more than 6 dB from the median (%+.1f dB)\n",
          pitch, scale, errors.size(), 100.0 * share, median);
    }
  }
}
