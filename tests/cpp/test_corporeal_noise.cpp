// The corporeal events, one kind at a time, measured on what CorporealNoise adds: where each
// event starts, how long it lasts, its band or pitch, its envelope, and the same bits in any
// blocks. The trigger is a phrase: silence, 0.5 s of a tone (an onset), silence (a phrase end).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <utility>
#include <vector>

#include "test_helpers.h"
#include "vocalsynth/corporeal_noise.h"
#include "vocalsynth/svf.h"

namespace {

constexpr double kOnset = 0.5, kPhraseEnd = 1.0, kLength = 2.0;

std::vector<float> phrase(double rate) {
  std::vector<float> x(static_cast<size_t>(kLength * rate), 0.0f);
  for (size_t i = static_cast<size_t>(kOnset * rate); i < static_cast<size_t>(kPhraseEnd * rate); ++i) {
    x[i] = 0.3f * static_cast<float>(std::sin(2.0 * 3.14159265358979 * 200.0 * static_cast<double>(i) / rate));
  }
  return x;
}

std::vector<float> renderEvents(double rate, std::uint64_t seed, const vocalsynth::CorporealAmounts& amounts, int block,
                                int* started = nullptr) {
  vocalsynth::CorporealNoise noise;
  noise.prepare(rate, seed);
  const std::vector<float> x = phrase(rate);
  std::vector<float> out(x.size(), 0.0f);
  for (size_t i = 0; i < x.size(); i += static_cast<size_t>(block)) {
    const int n = static_cast<int>(std::min<size_t>(static_cast<size_t>(block), x.size() - i));
    noise.render(x.data() + i, amounts, out.data() + i, n);
  }
  if (started != nullptr) *started = noise.eventsStarted();
  return out;
}

/// First and one past the last sample at or after `from` that is not exactly zero (from, from when none).
std::pair<size_t, size_t> extent(const std::vector<float>& y, size_t from, size_t to) {
  size_t first = to, last = from;
  for (size_t i = from; i < to; ++i) {
    if (y[i] != 0.0f) {
      if (first == to) first = i;
      last = i + 1;
    }
  }
  return first == to ? std::make_pair(from, from) : std::make_pair(first, last);
}

/// Level (dB) of y[begin, end) after 4th-order low-pass (below) or high-pass (above) at fc,
/// relative to the unfiltered level.
double bandDb(const std::vector<float>& y, size_t begin, size_t end, float fc, bool above, double rate) {
  vocalsynth::Svf a, b;
  a.setup(fc, 0.7071f, static_cast<float>(rate));
  b.setup(fc, 0.7071f, static_cast<float>(rate));
  std::vector<float> f(y.size(), 0.0f);
  for (size_t i = begin; i < end; ++i) f[i] = above ? b.highPass(a.highPass(y[i])) : b.lowPass(a.lowPass(y[i]));
  return vs_test::toDb(vs_test::rms(f, begin, end)) - vs_test::toDb(vs_test::rms(y, begin, end));
}

/// The frequency (10 Hz steps, lo..hi) where the Hann-windowed DTFT of y[begin, end) peaks.
double peakHz(const std::vector<float>& y, size_t begin, size_t end, double lo, double hi, double rate) {
  std::vector<float> w(y.begin() + static_cast<long>(begin), y.begin() + static_cast<long>(end));
  for (size_t i = 0; i < w.size(); ++i) {
    w[i] *= static_cast<float>(
        0.5 - 0.5 * std::cos(2.0 * 3.14159265358979 * static_cast<double>(i) / static_cast<double>(w.size())));
  }
  double best = 0.0, bestHz = lo;
  for (double f = lo; f <= hi; f += 10.0) {
    const double m = vs_test::dtftMagnitude(w, f, rate);
    if (m > best) best = m, bestHz = f;
  }
  return bestHz;
}

/// Renders the phrase with only `kind` at full amount, at 44.1 and 48 kHz and for seeds 1-6, and
/// hands each render to check(y, rate, seed).
template <typename Check>
void forEachRender(float vocalsynth::CorporealAmounts::* kind, Check check) {
  for (double rate : {44100.0, 48000.0}) {
    for (std::uint64_t seed = 1; seed <= 6; ++seed) {
      vocalsynth::CorporealAmounts amounts;
      amounts.*kind = 1.0f;
      int started = 0;
      const std::vector<float> y = renderEvents(rate, seed, amounts, 256, &started);
      check(y, rate, seed, started);
    }
  }
}

}  // namespace

TEST(CorporealNoise, ClicksAreShortBurstsInTheTeethBandAtTheOnset) {
  forEachRender(&vocalsynth::CorporealAmounts::clicks,
                [](const std::vector<float>& y, double rate, std::uint64_t seed, int started) {
                  EXPECT_EQ(started, 1) << "one onset, one click";
                  const auto span = extent(y, 0, y.size());
                  const size_t first = span.first, last = span.second;
                  EXPECT_NEAR(static_cast<double>(first) / rate, kOnset, 0.002) << "the click lands on the onset";
                  EXPECT_LE(static_cast<double>(last - first) / rate, 0.0151) << "15 ms at most";
                  // Its energy: 99% within 6 ms (a 1.5 ms decay), most of it between 1.5 and 8 kHz.
                  const size_t six = first + static_cast<size_t>(0.006 * rate);
                  EXPECT_GT(vs_test::rms(y, first, six) * std::sqrt(static_cast<double>(six - first)),
                            0.995 * vs_test::rms(y, first, last) * std::sqrt(static_cast<double>(last - first)));
                  EXPECT_GT(vs_test::toDb(vs_test::rms(y, first, six)), -50.0)
                      << "audible (its level follows the slow envelope, low at a phrase start)";
                  EXPECT_LT(bandDb(y, first, last, 1500.0f, false, rate), -8.0) << seed << " @ " << rate;
                  EXPECT_LT(bandDb(y, first, last, 8000.0f, true, rate), -8.0) << seed << " @ " << rate;
                });
}

TEST(CorporealNoise, WetPopsAreSixtyMillisecondsOfAFallingTone) {
  forEachRender(&vocalsynth::CorporealAmounts::wetPops,
                [](const std::vector<float>& y, double rate, std::uint64_t seed, int) {
                  const auto span = extent(y, 0, y.size());
                  const size_t first = span.first, last = span.second;
                  EXPECT_NEAR(static_cast<double>(first) / rate, kOnset, 0.002);
                  EXPECT_NEAR(static_cast<double>(last - first) / rate, 0.060, 0.001);
                  // A damped sine gliding from 400-650 Hz (plus 90) down towards 90 Hz over ~20 ms.
                  auto at = [&](double seconds) { return first + static_cast<size_t>(seconds * rate); };
                  const double early = peakHz(y, at(0.002), at(0.014), 100.0, 1200.0, rate);
                  const double late = peakHz(y, at(0.028), at(0.052), 60.0, 1200.0, rate);
                  EXPECT_GT(early, 330.0) << seed << " @ " << rate;
                  EXPECT_LT(early, 760.0) << seed << " @ " << rate;
                  EXPECT_LT(late, 0.6 * early) << seed << " @ " << rate << ": the tone falls";
                  EXPECT_GT(vs_test::toDb(vs_test::rms(y, at(0.0), at(0.02))), -40.0) << "audible";
                });
}

TEST(CorporealNoise, RaspsAreSwellingBandNoiseAtThePhraseEnd) {
  forEachRender(
      &vocalsynth::CorporealAmounts::rasps, [](const std::vector<float>& y, double rate, std::uint64_t seed, int) {
        // An onset rasp (a 30% chance) would end by 0.9 s; the phrase end's always comes.
        const auto span = extent(y, static_cast<size_t>(0.95 * rate), y.size());
        const size_t first = span.first, last = span.second;
        EXPECT_NEAR(static_cast<double>(first) / rate, kPhraseEnd + 0.02, 0.02) << "just after the phrase falls away";
        const double seconds = static_cast<double>(last - first) / rate;
        EXPECT_GE(seconds, 0.249);
        EXPECT_LE(seconds, 0.401);
        // A raised-sine swell: loudest in the middle, ~20 dB down a tenth of the way in.
        auto frame = [&](double fraction) {
          const auto centre = first + static_cast<size_t>(fraction * static_cast<double>(last - first));
          const auto half = static_cast<size_t>(0.01 * rate);
          return vs_test::toDb(vs_test::rms(y, centre - half, centre + half));
        };
        EXPECT_GT(frame(0.5), -50.0) << "audible";
        EXPECT_GT(frame(0.5) - frame(0.1), 12.0) << seed << " @ " << rate;
        EXPECT_GT(frame(0.5) - frame(0.9), 12.0) << seed << " @ " << rate;
        // Noise in a 1.5-2.5 kHz band (Q 1.5).
        EXPECT_LT(bandDb(y, first, last, 500.0f, false, rate), -10.0) << seed << " @ " << rate;
        EXPECT_LT(bandDb(y, first, last, 6000.0f, true, rate), -10.0) << seed << " @ " << rate;
      });
}

TEST(CorporealNoise, CreaksAreIrregularPulsesRingingALowResonance) {
  forEachRender(&vocalsynth::CorporealAmounts::creaks,
                [](const std::vector<float>& y, double rate, std::uint64_t seed, int) {
                  const auto span = extent(y, 0, y.size());
                  const size_t first = span.first, last = span.second;
                  EXPECT_NEAR(static_cast<double>(first) / rate, kOnset, 0.002);
                  const double seconds = static_cast<double>(last - first) / rate;
                  EXPECT_GE(seconds, 0.199);
                  EXPECT_LE(seconds, 0.351);
                  // Pulses: a 1 ms envelope rising through a fifth of its peak over the 80 ms around it;
                  // 30-50 per second, each period drawn within +-20%.
                  const auto ms = static_cast<size_t>(0.001 * rate);
                  std::vector<double> env;
                  for (size_t i = first; i + ms <= first + static_cast<size_t>(0.16 * rate); i += ms)
                    env.push_back(vs_test::rms(y, i, i + ms));
                  std::vector<size_t> pulses;
                  bool above = false;
                  for (size_t i = 0; i < env.size(); ++i) {
                    double local = 0.0;
                    for (size_t j = i >= 40 ? i - 40 : 0; j < env.size() && j < i + 40; ++j)
                      local = std::max(local, env[j]);
                    const bool now = env[i] > 0.2 * local;
                    if (now && !above) pulses.push_back(i);
                    above = now;
                  }
                  ASSERT_GE(pulses.size(), 3u) << seed << " @ " << rate;
                  const double meanPeriodMs =
                      static_cast<double>(pulses.back() - pulses.front()) / static_cast<double>(pulses.size() - 1);
                  EXPECT_GT(meanPeriodMs, 0.8 * 20.0 - 1.0) << seed << " @ " << rate;
                  EXPECT_LT(meanPeriodMs, 1.2 * 33.4 + 1.0) << seed << " @ " << rate;
                  // The resonance: 450-750 Hz.
                  const double hz = peakHz(y, first, last, 100.0, 2000.0, rate);
                  EXPECT_GT(hz, 400.0) << seed << " @ " << rate;
                  EXPECT_LT(hz, 800.0) << seed << " @ " << rate;
                  // Fading linearly to nothing: the first quarter well above the third.
                  const size_t quarter = (last - first) / 4;
                  EXPECT_GT(vs_test::toDb(vs_test::rms(y, first, first + quarter)) -
                                vs_test::toDb(vs_test::rms(y, first + 2 * quarter, first + 3 * quarter)),
                            3.0)
                      << seed << " @ " << rate;
                });
}

TEST(CorporealNoise, OverlappingEventsGiveTheSameBitsInAnyBlocks) {
  // Every kind at once, so events overlap and start inside blocks.
  vocalsynth::CorporealAmounts amounts;
  amounts.clicks = amounts.wetPops = amounts.rasps = amounts.creaks = 1.0f;
  for (std::uint64_t seed = 1; seed <= 4; ++seed) {
    int started = 0;
    const std::vector<float> whole = renderEvents(48000.0, seed, amounts, 4800, &started);
    EXPECT_GE(started, 4) << "click, pop, creak at the onset, rasp at the phrase end";
    for (int block : {1, 37, 256})
      EXPECT_EQ(vs_test::firstBitDifference(whole, renderEvents(48000.0, seed, amounts, block)), -1) << block;
    EXPECT_GT(vs_test::toDb(vs_test::rms(whole, 24000, 48000)), -50.0);
  }
}
