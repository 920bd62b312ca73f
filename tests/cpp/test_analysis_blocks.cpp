// The chain's analysis and safety blocks measured on their own: the F0 tracker (accuracy,
// octave errors, voicing), the true-peak limiter (ceiling, transparency, block independence)
// and the voice-band splitter (perfect reconstruction, response).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <string>
#include <vector>

#include "test_helpers.h"
#include "vocalsynth/band_splitter.h"
#include "vocalsynth/limiter.h"
#include "vocalsynth/pitch_tracker.h"
#include "vocalsynth/speech/synthesizer.h"
#include "vocalsynth/speech/text_frontend.h"
#include "vocalsynth/subliminal_layers.h"
#include "vocalsynth/svf.h"

using namespace vocalsynth;

namespace {

constexpr double kPiD = 3.14159265358979323846;

/// A voice-like harmonic tone: `harmonics` partials with a -6 dB/octave tilt, optionally with a
/// dominant 2nd harmonic (a classic octave-error trap) and vibrato.
std::vector<float> harmonicTone(double rate, double f0, double seconds, int harmonics = 12, double second = 0.5,
                                double vibratoDepth = 0.0, double vibratoHz = 5.5) {
  std::vector<float> x(static_cast<size_t>(rate * seconds));
  double phase = 0.0;
  for (size_t n = 0; n < x.size(); ++n) {
    const double t = static_cast<double>(n) / rate;
    const double f = f0 * (1.0 + vibratoDepth * std::sin(2.0 * kPiD * vibratoHz * t));
    phase += 2.0 * kPiD * f / rate;
    double s = 0.0;
    for (int h = 1; h <= harmonics && h * f0 < 0.45 * rate; ++h) s += (h == 2 ? second : 1.0 / h) * std::sin(h * phase);
    x[n] = static_cast<float>(0.3 * s);
  }
  return x;
}

/// Tracks `x` hop by hop (5 ms, as the voice does) and returns the F0 of every voiced frame after
/// the first `settleSeconds` (and, through `frames`, how many frames were analysed then).
std::vector<float> track(const std::vector<float>& x, double rate, double settleSeconds, int* frames = nullptr) {
  PitchTracker tracker;
  tracker.prepare(rate);
  const int hop = static_cast<int>(std::lround(0.005 * rate));
  std::vector<float> f0s;
  int analysed = 0;
  for (size_t pos = 0; pos + hop <= x.size(); pos += static_cast<size_t>(hop)) {
    tracker.pushBlock(x.data() + pos, hop);
    tracker.analyze();
    if (static_cast<double>(pos) / rate < settleSeconds) continue;
    ++analysed;
    if (tracker.voiced()) f0s.push_back(tracker.f0Hz());
  }
  if (frames != nullptr) *frames = analysed;
  return f0s;
}

}  // namespace

TEST(PitchTracker, FindsF0WithinHalfAPercentAtEveryRate) {
  for (double rate : {16000.0, 22050.0, 44100.0, 48000.0, 96000.0}) {
    for (double f0 : {65.0, 90.0, 130.0, 200.0, 310.0, 450.0, 580.0}) {
      int frames = 0;
      const auto f0s = track(harmonicTone(rate, f0, 0.6), rate, 0.1, &frames);
      ASSERT_EQ(static_cast<int>(f0s.size()), frames) << "every frame voiced: " << f0 << " Hz @ " << rate;
      for (float f : f0s) EXPECT_NEAR(f / f0, 1.0, 0.005) << f0 << " Hz @ " << rate;
    }
  }
}

TEST(PitchTracker, NoOctaveErrorsWhenTheSecondHarmonicDominates) {
  for (double f0 : {80.0, 120.0, 180.0, 260.0}) {
    for (double second : {1.5, 3.0}) {
      const auto f0s = track(harmonicTone(48000.0, f0, 0.6, 12, second), 48000.0, 0.1);
      ASSERT_FALSE(f0s.empty());
      for (float f : f0s) EXPECT_NEAR(f / f0, 1.0, 0.01) << f0 << " Hz, 2nd harmonic x" << second;
    }
  }
}

TEST(PitchTracker, APeriodBetweenTwoLagsIsNotTakenForTwiceItself) {
  // From 44.1 and 22.05 kHz the tracker runs at 7,350 Hz, where a 267 Hz voice's period is 27.5
  // lags: its correlation at lags 27 and 28 reads several % under the peak between them, while
  // twice the period (55 lags) falls on a lag. Compared at integer lags, twice the period won, and
  // a high voice's open vowels were tracked an octave low at the most common game rate (15 of
  // 1,097 frames of speech at 230 Hz). Sustained vowels of the synthesizer, periods of 25.5-30.5
  // lags.
  using namespace vocalsynth::speech;
  for (double rate : {44100.0, 22050.0}) {
    for (double lags : {25.5, 27.5, 30.5}) {
      for (Phone vowel : {Phone::AA, Phone::AE, Phone::AH}) {
        const auto f0 = static_cast<float>(7350.0 / lags);
        Utterance u;
        u.phones = {
            {Phone::Sil, -1, -1, 50.0f, f0, f0}, {vowel, 1, 0, 600.0f, f0, f0}, {Phone::Sil, -1, -1, 50.0f, f0, f0}};
        u.words = {{"a", 1, 1, true}};
        Synthesizer synth;
        std::vector<float> x = vs_test::renderSpeech(synth, u, rate);
        x.resize(static_cast<size_t>(0.6 * rate));  // the vowel, settled (its end decays into silence)
        int frames = 0;
        const auto f0s = track(x, rate, 0.15, &frames);
        EXPECT_GE(static_cast<int>(f0s.size()), frames - 1);  // voiced throughout
        int off = 0;
        for (float f : f0s) off += std::fabs(f / f0 - 1.0f) > 0.3f;
        EXPECT_EQ(off, 0) << "of " << f0s.size() << " frames, " << f0 << " Hz " << phoneInfo(vowel).arpabet << " @ "
                          << rate;
      }
    }
  }
}

TEST(PitchTracker, FollowsVibratoAndCallsNoiseUnvoiced) {
  // 1% vibrato at 5.5 Hz: the track must swing with it (the stabilizer removes what it sees).
  const auto f0s = track(harmonicTone(48000.0, 150.0, 1.0, 12, 0.5, 0.01), 48000.0, 0.1);
  ASSERT_GT(f0s.size(), 150u);
  float lo = 1e9f, hi = 0.0f;
  for (float f : f0s) {
    lo = f < lo ? f : lo;
    hi = f > hi ? f : hi;
  }
  EXPECT_GT(hi / lo, 1.012);
  EXPECT_LT(hi / lo, 1.03);

  Random random(5);
  std::vector<float> noise(48000);
  for (auto& v : noise) v = 0.3f * random.bipolar();
  int frames = 0;
  const auto voiced = track(noise, 48000.0, 0.1, &frames);
  EXPECT_LT(static_cast<double>(voiced.size()), 0.1 * frames);
  const auto silent = track(std::vector<float>(48000, 0.0f), 48000.0, 0.0, &frames);
  EXPECT_TRUE(silent.empty());
}

TEST(TruePeakLimiter, HoldsTheCeilingAndIsExactlyTransparentBelowIt) {
  const double rate = 48000.0;
  TruePeakLimiter limiter;
  limiter.prepare(rate);
  const int latency = limiter.latencySamples();
  // Quiet: a pure delay, bit for bit.
  auto quiet = harmonicTone(rate, 140.0, 0.5);
  for (auto& v : quiet) v *= 0.5f;
  auto out = quiet;
  limiter.process(out.data(), static_cast<int>(out.size()));
  for (size_t i = static_cast<size_t>(latency); i < out.size(); ++i) ASSERT_EQ(out[i], quiet[i - latency]) << i;
  EXPECT_TRUE(limiter.idle());
  // Loud (+12 dB over full scale, with inter-sample peaks): never above -1 dBTP.
  auto loud = harmonicTone(rate, 140.0, 0.5);
  for (auto& v : loud) v *= 4.0f;
  out = loud;
  limiter.process(out.data(), static_cast<int>(out.size()));
  EXPECT_LE(vs_test::truePeak(out), std::pow(10.0, -1.0 / 20.0) * 1.001);
  EXPECT_GT(vs_test::rms(out), 0.3);
  // After the loud part and the release (80 ms time constant, from -13 dB), the limiter is a
  // plain delay again.
  std::vector<float> tail(static_cast<size_t>(2.0 * rate), 0.0f);
  for (size_t i = 0; i < tail.size(); ++i) tail[i] = quiet[i % quiet.size()];
  out = tail;
  limiter.process(out.data(), static_cast<int>(out.size()));
  EXPECT_TRUE(limiter.idle());
  for (size_t i = 3 * out.size() / 4; i < out.size(); ++i) ASSERT_EQ(out[i], tail[i - latency]) << i;
}

TEST(TruePeakLimiter, HoldsTheCeilingForAnyFinitePeakAndBlockSizes) {
  // One wild sample (a broken decoder, an overflowing effect before the voice) from +20 dB to the
  // largest float, in a quiet tone. The gain's running sum had carried ~1e-15 of rounding from the
  // tone, more than a 1e20 peak's gain: it came out at +27 dBFS (the voice fuzzer's find).
  const double ceiling = std::pow(10.0, -1.0 / 20.0);
  for (const double rate : {16000.0, 24000.0, 96000.0}) {
    for (const float wild : {10.0f, 1e4f, 1e8f, 1e20f, 1e30f, 2.1e38f, std::numeric_limits<float>::max()}) {
      auto signal = harmonicTone(rate, 140.0, 2.0);
      for (auto& v : signal) v *= 0.3f;
      const size_t at = signal.size() / 4;
      signal[at] = wild;
      signal[at + 500] = -wild;
      TruePeakLimiter whole, pieces;
      whole.prepare(rate);
      pieces.prepare(rate);
      auto a = signal, b = signal;
      whole.process(a.data(), static_cast<int>(a.size()));
      for (size_t pos = 0; pos < b.size(); pos += 97)
        pieces.process(b.data() + pos, static_cast<int>(std::min<size_t>(97, b.size() - pos)));
      ASSERT_EQ(a, b) << rate << " Hz, " << wild;
      float peak = 0.0f;
      for (float v : a) peak = std::max(peak, std::fabs(v));
      EXPECT_LE(peak, ceiling * 1.0000001) << rate << " Hz, " << wild;
      EXPECT_LE(vs_test::truePeak(a), ceiling * 1.001) << rate << " Hz, " << wild;
      // The tone is back at its level once the release is over (1 s later).
      const size_t later = at + static_cast<size_t>(rate);
      EXPECT_NEAR(vs_test::rms(std::vector<float>(a.begin() + static_cast<long>(later), a.end())),
                  vs_test::rms(std::vector<float>(signal.begin() + static_cast<long>(later), signal.end())), 0.01)
          << rate << " Hz, " << wild;
    }
  }
}

TEST(TruePeakLimiter, APeakWithinAMillionthOfTheCeilingIsHeldToItToo) {
  // The release lands on exactly 1 from within 1e-6 so the limiter can go idle; it had done so
  // while a sample asking for a gain that close to 1 was still in the window, and that sample came
  // out above the ceiling (the voice fuzzer's find: 0.8912517 against 0.8912509).
  for (const double rate : {16000.0, 48000.0}) {
    TruePeakLimiter limiter;
    limiter.prepare(rate);
    const float ceiling = dbToGain(-1.0f);
    const float limit = std::nextafter(ceiling, 2.0f);  // the product's rounding: one float step
    // Lone samples a hair over the ceiling, each after the limiter has gone idle again.
    std::vector<float> signal(40000, 0.0f);  // ends with 0.5 s of silence at 48 kHz: the release
    size_t at = 1000;
    for (const double over : {1e-7, 3e-7, 5e-7, 8e-7, 9.9e-7, 2e-6, 1e-5}) {
      signal[at] = static_cast<float>(ceiling * (1.0 + over));
      signal[at + 1000] = -signal[at];
      at += 2000;
    }
    ASSERT_LT(at, signal.size());
    auto out = signal;
    limiter.process(out.data(), static_cast<int>(out.size()));
    for (size_t i = 0; i < out.size(); ++i) ASSERT_LE(std::fabs(out[i]), limit) << rate << " Hz, sample " << i;
    EXPECT_TRUE(limiter.idle()) << rate;  // and it still goes idle afterwards
  }
}

TEST(TruePeakLimiter, OutputDoesNotDependOnBlockSizes) {
  auto signal = harmonicTone(48000.0, 110.0, 0.5);
  for (size_t i = 0; i < signal.size(); ++i) signal[i] *= static_cast<float>(0.2 + 3.0 * std::fabs(std::sin(i * 1e-4)));
  TruePeakLimiter whole, pieces;
  whole.prepare(48000.0);
  pieces.prepare(48000.0);
  auto a = signal, b = signal;
  whole.process(a.data(), static_cast<int>(a.size()));
  Random random(2);
  for (size_t pos = 0; pos < b.size();) {
    const int n = std::min<int>(1 + static_cast<int>(random.uniform() * 700.0f), static_cast<int>(b.size() - pos));
    pieces.process(b.data() + pos, n);
    pos += static_cast<size_t>(n);
  }
  EXPECT_EQ(vs_test::firstBitDifference(a, b), -1);
}

/// Runs `x` through a splitter in blocks of `block`, replacing every band sample by process(band).
template <class Process>
std::vector<float> split(BandSplitter& bands, const std::vector<float>& x, int block, Process process) {
  std::vector<float> y(x.size()), bypass(BandSplitter::kMaxBlock);
  float band[BandSplitter::kMaxBlock], processed[BandSplitter::kMaxBlock];
  int at[BandSplitter::kMaxBlock];
  for (size_t pos = 0; pos < x.size(); pos += static_cast<size_t>(block)) {
    const int n = static_cast<int>(std::min<size_t>(static_cast<size_t>(block), x.size() - pos));
    const int count = bands.pushBlock(x.data() + pos, n, band, at);
    for (int j = 0; j < count; ++j) processed[j] = process(band[j]);
    bands.finishBlock(band, processed, count, y.data() + pos, bypass.data());
  }
  return y;
}

TEST(BandSplitter, ReconstructsExactlyAndSplitsAtTheVoiceBand) {
  for (double rate : {16000.0, 44100.0, 48000.0, 96000.0}) {
    BandSplitter bands;
    bands.prepare(rate);
    const auto x = harmonicTone(rate, 97.0, 0.3, 60);
    // Unprocessed band: output == input delayed by the latency, exactly, whatever the blocks.
    const size_t latency = static_cast<size_t>(bands.latencySamples());
    for (int block : {1, 7, 32, 64}) {
      bands.reset();
      const auto y = split(bands, x, block, [](float b) { return b; });
      for (size_t i = latency; i < x.size(); ++i)
        ASSERT_EQ(y[i], x[i - latency]) << rate << " @ " << i << " block " << block;
    }
    if (bands.decimation() == 1) continue;
    // Processing = silence the band: what is left is the high band, so a tone well inside the
    // band vanishes (< -45 dB) and one above the band's Nyquist passes (within 0.5 dB).
    const double bandRate = bands.bandRate();
    for (double f : {0.06 * bandRate, 0.19 * bandRate, 0.6 * bandRate}) {
      std::vector<float> tone(static_cast<size_t>(rate * 0.2));
      for (size_t i = 0; i < tone.size(); ++i)
        tone[i] = static_cast<float>(0.5 * std::sin(2.0 * kPiD * f * static_cast<double>(i) / rate));
      bands.reset();
      const auto out = split(bands, tone, 32, [](float) { return 0.0f; });
      bands.reset();
      EXPECT_EQ(out, split(bands, tone, 5, [](float) { return 0.0f; })) << "block sizes";
      const double level = vs_test::toDb(vs_test::rms(out, out.size() / 2) / (0.5 / std::sqrt(2.0)));
      if (f < 0.5 * bandRate) EXPECT_LT(level, -45.0) << f << " Hz @ " << rate;
      else EXPECT_NEAR(level, 0.0, 0.5) << f << " Hz @ " << rate;
    }
  }
}

TEST(SubliminalLayers, LowRateLayersLeaveNoImagesAboveOneKilohertz) {
  // Heartbeat, blood flow and hum run at a low internal rate and are interpolated up: whatever the
  // interpolation leaves above 1 kHz (images, the thumps' edges) must stay far below the layers.
  for (double rate : {44100.0, 48000.0, 96000.0}) {
    vocalsynth::SubliminalLayers layers;
    layers.prepare(rate, 7);
    vocalsynth::SubliminalAmounts amounts;
    amounts.heartbeat = 1.0f;
    amounts.heartbeatBpm = 72.0f;
    amounts.bloodFlow = 1.0f;
    amounts.hum = 1.0f;
    amounts.humHz = 110.0f;  // a high hum: its images lie closest to the audible band
    std::vector<float> out(static_cast<size_t>(2.0 * rate), 0.0f);
    for (size_t i = 0; i < out.size(); i += 256)
      layers.render(amounts, out.data() + i, static_cast<int>(std::min<size_t>(256, out.size() - i)));
    // Fourth-order high-pass at 1 kHz (two Butterworth-Q TPT sections), then compare RMS.
    vocalsynth::Svf hp1, hp2;
    hp1.setup(1000.0f, 0.7071f, static_cast<float>(rate));
    hp2.setup(1000.0f, 0.7071f, static_cast<float>(rate));
    std::vector<float> high(out.size());
    for (size_t i = 0; i < out.size(); ++i) high[i] = hp2.highPass(hp1.highPass(out[i]));
    const double totalDb = vs_test::toDb(vs_test::rms(out)), highDb = vs_test::toDb(vs_test::rms(high, out.size() / 4));
    RecordProperty("high_minus_total_db", std::to_string(highDb - totalDb));
    std::printf("rate %.0f: total %.1f dBFS, above 1 kHz %.1f dB below\n", rate, totalDb, totalDb - highDb);
    EXPECT_GT(totalDb, -40.0) << "the layers should be audible at full amounts";
    EXPECT_LT(highDb - totalDb, -43.0) << "at " << rate << " Hz";
  }
}

TEST(SubliminalLayers, BreathIsBandNoiseOnTheInhaleHalfOfItsCycle) {
  // The breath layer: noise band-passed around 1.2 kHz under inhale^2 of a slow sine cycle (its
  // envelope steps at the low rate and is interpolated). Measured on the output: silence on the
  // exhale half, the swell's peak a quarter cycle in, half power an eighth in, the noise's band,
  // and the same bits in any blocks.
  for (double rate : {44100.0, 48000.0}) {
    vocalsynth::SubliminalAmounts amounts;
    amounts.breath = 1.0f;
    amounts.breathRateHz = 0.25f;  // a 4 s cycle: inhale 0-2 s, exhale 2-4 s
    auto renderIn = [&](int block) {
      vocalsynth::SubliminalLayers layers;
      layers.prepare(rate, 11);
      std::vector<float> out(static_cast<size_t>(8.0 * rate), 0.0f);
      for (size_t i = 0; i < out.size(); i += static_cast<size_t>(block)) {
        layers.render(amounts, out.data() + i,
                      static_cast<int>(std::min<size_t>(static_cast<size_t>(block), out.size() - i)));
      }
      return out;
    };
    const std::vector<float> out = renderIn(256);
    EXPECT_EQ(vs_test::firstBitDifference(out, renderIn(37)), -1) << rate;
    EXPECT_EQ(vs_test::firstBitDifference(out, renderIn(1)), -1) << rate;
    auto at = [&](double seconds) { return static_cast<size_t>(seconds * rate); };
    auto frameRms = [&](double centre) { return vs_test::rms(out, at(centre - 0.025), at(centre + 0.025)); };
    // The swell: peak a quarter cycle in (1 s, 5 s), half power an eighth in (sin^4(pi/4) = 1/4
    // in power: -6 dB in level), nothing on the exhale half.
    double peak = 0.0, peakAt = 0.0;
    for (double t = 0.05; t < 2.0; t += 0.05) {
      if (frameRms(t) > peak) peak = frameRms(t), peakAt = t;
    }
    EXPECT_NEAR(peakAt, 1.0, 0.2) << rate;
    const double peakDb = vs_test::toDb(frameRms(1.0));
    EXPECT_GT(peakDb, -40.0) << "audible at full level, " << rate;
    EXPECT_NEAR(vs_test::toDb(frameRms(0.5)) - peakDb, -6.0, 1.5) << rate;
    EXPECT_NEAR(vs_test::toDb(frameRms(5.0)) - peakDb, 0.0, 1.5) << "the next cycle, " << rate;
    EXPECT_LT(vs_test::rms(out, at(2.01), at(3.99)), 1e-9) << "exhale half, " << rate;
    EXPECT_LT(vs_test::rms(out, at(6.01), at(7.99)), 1e-9) << "exhale half, " << rate;
    // The band: most of the power between 300 Hz and 5 kHz (fourth-order TPT filters).
    vocalsynth::Svf lp1, lp2, hp1, hp2;
    lp1.setup(300.0f, 0.7071f, static_cast<float>(rate));
    lp2.setup(300.0f, 0.7071f, static_cast<float>(rate));
    hp1.setup(5000.0f, 0.7071f, static_cast<float>(rate));
    hp2.setup(5000.0f, 0.7071f, static_cast<float>(rate));
    std::vector<float> low(out.size()), high(out.size());
    for (size_t i = 0; i < out.size(); ++i) {
      low[i] = lp2.lowPass(lp1.lowPass(out[i]));
      high[i] = hp2.highPass(hp1.highPass(out[i]));
    }
    const double total = vs_test::toDb(vs_test::rms(out, at(0.5), at(1.5)));
    std::printf("breath @ %.0f: peak %.1f dBFS at %.2f s; below 300 Hz %.1f dB, above 5 kHz %.1f dB\n", rate, peakDb,
                peakAt, vs_test::toDb(vs_test::rms(low, at(0.5), at(1.5))) - total,
                vs_test::toDb(vs_test::rms(high, at(0.5), at(1.5))) - total);
    EXPECT_LT(vs_test::toDb(vs_test::rms(low, at(0.5), at(1.5))) - total, -15.0) << rate;  // -24 measured
    EXPECT_LT(vs_test::toDb(vs_test::rms(high, at(0.5), at(1.5))) - total, -8.0) << rate;  // -10.3 measured
  }
}

TEST(PitchTracker, FollowsSpeechWithoutOctaveJumps) {
  // Synthesized speech, whose F0 is known phone by phone. Its perfectly periodic vowels correlate
  // as well at twice the period, and an /i/ (F1 on the 2nd harmonic) nearly as well at half of
  // it: a 12% octave tolerance put 5.6% of vowel frames an octave off (63 or 270 Hz for 130 Hz),
  // and the stabilizer and the glottal-cycle effects followed the jumps. A high voice's /e/ (F1
  // on the 2nd harmonic of 250 Hz) correlates within 2% at half its period: 2.5-8% of the frames
  // of 160-300 Hz voices were an octave high until the spectrum's 1st harmonic decided. At every
  // common rate, for a low, a middle and a high voice (Golem's 70 Hz, Human's 120, Banshee's 230).
  using namespace vocalsynth::speech;
  static const Lexicon lexicon;  // letter-to-sound rules
  const char* lines[] = {"the gate is closed. nobody passes until the moon is high, stranger.",
                         "bring me the head of the wolf, and be quick about it!", "do you hear the bells?"};
  // And in noise at -15 dB of the line's RMS (a loud room), where noise could pass for the 1st
  // harmonic of an octave below: the high voice at 48 kHz.
  struct Case {
    float pitch;
    double rate;
    float noiseDb;
  };
  std::vector<Case> cases;
  for (const float pitch : {70.0f, 120.0f, 230.0f}) {
    for (const double rate : {48000.0, 44100.0, 22050.0, 16000.0}) cases.push_back({pitch, rate, -200.0f});
  }
  cases.push_back({230.0f, 48000.0, -15.0f});
  for (const Case& c : cases) {
    const float pitch = c.pitch;
    const double rate = c.rate;
    int voicedFrames = 0, octaveErrors = 0;
    SpeakerSettings speaker;
    speaker.basePitchHz = pitch;
    for (const char* text : lines) {
      const auto built = buildUtterance(text, lexicon, speaker);
      ASSERT_TRUE(built.ok()) << built.error;
      const Utterance& u = built.utterance;
      Synthesizer synth;
      std::vector<float> x = vs_test::renderSpeech(synth, u, rate);
      if (c.noiseDb > -100.0f) {
        Random noise(9);
        const auto gain = static_cast<float>(vs_test::rms(x) * std::pow(10.0, c.noiseDb / 20.0));
        for (float& v : x) v += gain * noise.gaussian();
      }
      PitchTracker tracker;
      tracker.prepare(rate);
      const int hop = static_cast<int>(std::lround(0.005 * rate));
      const auto delay = static_cast<std::int64_t>(tracker.analysisDelaySeconds() * rate);
      int phone = 0;
      for (size_t at = 0; at + hop <= x.size(); at += hop) {
        tracker.pushBlock(x.data() + at, hop);
        tracker.analyze();
        // The phone the analysed evidence is centred on, and its F0 there.
        const std::int64_t t = static_cast<std::int64_t>(at) + hop - delay;
        if (t < 0) continue;
        while (phone + 1 < synth.phoneCount() && synth.phoneStartSample(phone + 1) <= t) ++phone;
        const PhoneClass cls = phoneInfo(u.phones[static_cast<size_t>(phone)].phone).cls;
        const bool vowelLike = cls == PhoneClass::Vowel || cls == PhoneClass::Diphthong;
        if (!vowelLike || !tracker.voiced()) continue;
        const double begin = static_cast<double>(synth.phoneStartSample(phone));
        const double progress =
            (static_cast<double>(t) - begin) / (static_cast<double>(synth.phoneStartSample(phone + 1)) - begin);
        const UtterancePhone& p = u.phones[static_cast<size_t>(phone)];
        const double truth = p.f0StartHz + (p.f0EndHz - p.f0StartHz) * progress;
        ++voicedFrames;
        const double ratio = tracker.f0Hz() / truth;
        if (ratio > 1.3 || ratio < 0.77) ++octaveErrors;
      }
    }
    std::printf("%.0f Hz voice at %.0f Hz, noise %.0f dB: %d of %d vowel frames off by >30%%\n", pitch, rate, c.noiseDb,
                octaveErrors, voicedFrames);
    ASSERT_GT(voicedFrames, 200);
    EXPECT_LE(octaveErrors, voicedFrames / 100)
        << octaveErrors << " of " << voicedFrames << " vowel frames off by >30% at " << rate << " Hz, a " << pitch
        << " Hz voice, noise " << c.noiseDb << " dB";
  }
}
