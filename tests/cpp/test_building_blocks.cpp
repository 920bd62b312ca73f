// Building blocks measured on their output: SVF responses in dB, smoother timing, seeded noise,
// denormal flushing, LPC round trips.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "test_helpers.h"
#include "vocalsynth/lpc.h"

using namespace vocalsynth;
using vs_test::toDb;

namespace {

std::vector<float> impulseResponse(Svf& svf, int mode, int n) {
  std::vector<float> h(n);
  for (int i = 0; i < n; ++i) {
    const float x = i == 0 ? 1.0f : 0.0f;
    const SvfOutputs o = svf.process(x);
    h[i] = mode == 0 ? o.low : (mode == 1 ? o.band : o.high);
  }
  return h;
}

}  // namespace

TEST(Svf, BandPassPeaksAtItsCentreWithUnityGain) {
  const float rate = 48000.0f;
  for (float fc : {200.0f, 1000.0f, 2000.0f}) {
    Svf svf;
    svf.setup(fc, 4.0f, rate);
    std::vector<float> h(8192);
    for (int i = 0; i < 8192; ++i) h[i] = svf.bandPass(i == 0 ? 1.0f : 0.0f);
    const double atCentre = toDb(vs_test::dtftMagnitude(h, fc, rate));
    EXPECT_NEAR(atCentre, 0.0, 0.2) << "fc=" << fc;
    // An octave away a Q=4 band-pass is down by about 20log10(1/sqrt(1+Q^2(2-1/2)^2)) = -15.6 dB.
    EXPECT_NEAR(toDb(vs_test::dtftMagnitude(h, 2.0 * fc, rate)), -15.6, 0.5) << "fc=" << fc;
    EXPECT_NEAR(toDb(vs_test::dtftMagnitude(h, 0.5 * fc, rate)), -15.6, 0.5) << "fc=" << fc;
  }
}

TEST(Svf, ButterworthLowPassIsMinus3dBAtCutoff) {
  Svf svf;
  svf.setup(2000.0f, 0.70710678f, 48000.0f);
  const auto h = impulseResponse(svf, 0, 8192);
  EXPECT_NEAR(toDb(vs_test::dtftMagnitude(h, 1.0, 48000.0)), 0.0, 0.05);
  EXPECT_NEAR(toDb(vs_test::dtftMagnitude(h, 2000.0, 48000.0)), -3.01, 0.1);
  // Above cutoff: the analog Butterworth 1/sqrt(1 + W^4) at the bilinear-warped frequency W.
  const double warped = std::tan(3.14159265358979 * 8000.0 / 48000.0) / std::tan(3.14159265358979 * 2000.0 / 48000.0);
  EXPECT_NEAR(toDb(vs_test::dtftMagnitude(h, 8000.0, 48000.0)), toDb(1.0 / std::sqrt(1.0 + std::pow(warped, 4.0))),
              0.2);
}

TEST(Svf, StaysStableUnderPerSampleModulation) {
  // A direct-form biquad blows up under this; the TPT SVF must stay bounded.
  Svf svf;
  Random random(42);
  float peak = 0.0f;
  for (int i = 0; i < 200000; ++i) {
    const float cutoff = 20.0f * std::pow(1000.0f, random.uniform());  // 20 Hz .. 20 kHz
    const float q = 0.5f + 9.5f * random.uniform();
    svf.setup(cutoff, q, 48000.0f);
    const SvfOutputs o = svf.process(random.bipolar());
    ASSERT_TRUE(std::isfinite(o.low) && std::isfinite(o.band) && std::isfinite(o.high)) << "sample " << i;
    peak = std::max(peak, std::fabs(o.band));
  }
  EXPECT_LT(peak, 50.0f);
}

TEST(FixedSvf, IsTheSameFilterAsTheTptRecursion) {
  // The state-space evaluation must give Svf's three outputs, up to rounding, at every setting the
  // core uses it for (20 Hz to near Nyquist, Q 0.5-5, 6-96 kHz) over a long noise run: the
  // rounding may differ, the states (and so the filter) may not drift apart.
  Random random(7);
  for (float rate : {6000.0f, 16000.0f, 48000.0f, 96000.0f}) {
    for (float fc : {20.0f, 120.0f, 450.0f, 1800.0f, 5000.0f, 0.45f * rate}) {
      for (float q : {0.5f, 0.7071f, 1.5f, 5.0f}) {
        Svf low, band, high;
        FixedSvf fixedLow, fixedBand, fixedHigh;
        for (Svf* f : {&low, &band, &high}) f->setup(fc, q, rate);
        for (FixedSvf* f : {&fixedLow, &fixedBand, &fixedHigh}) f->setup(fc, q, rate);
        double worst = 0.0, scale = 0.0;
        for (int i = 0; i < 48000; ++i) {
          const float x = random.bipolar();
          const float outputs[3] = {low.lowPass(x), band.bandPass(x), high.highPass(x)};
          const float fixedOutputs[3] = {fixedLow.lowPass(x), fixedBand.bandPass(x), fixedHigh.highPass(x)};
          for (int m = 0; m < 3; ++m) {
            worst = std::max(worst, static_cast<double>(std::fabs(outputs[m] - fixedOutputs[m])));
            scale = std::max(scale, static_cast<double>(std::fabs(outputs[m])));
          }
        }
        EXPECT_LT(worst, 1e-4 * scale) << "rate " << rate << " fc " << fc << " q " << q;
      }
    }
  }
  // And its band-pass, measured: unity at the centre.
  FixedSvf svf;
  svf.setup(1000.0f, 4.0f, 48000.0f);
  std::vector<float> h(8192);
  for (int i = 0; i < 8192; ++i) h[i] = svf.bandPass(i == 0 ? 1.0f : 0.0f);
  EXPECT_NEAR(toDb(vs_test::dtftMagnitude(h, 1000.0, 48000.0)), 0.0, 0.2);
  EXPECT_NEAR(toDb(vs_test::dtftMagnitude(h, 2000.0, 48000.0)), -15.6, 0.5);
}

TEST(OnePoleTpt, IsTheTptRecursionAndMinus3dBAtCutoff) {
  // Its state-space step against the TPT recursion written out (v = G (x - s), y = v + s,
  // s' = y + v), over a noise run at the cutoffs the core uses, and its response in dB.
  Random random(5);
  for (float rate : {16000.0f, 48000.0f, 96000.0f}) {
    for (float fc : {50.0f, 1000.0f, 3000.0f, 0.4f * rate}) {
      OnePoleTpt filter;
      filter.setup(fc, rate);
      const float g = std::tan(kPi * fc / rate), G = g / (1.0f + g);
      float s = 0.0f;
      double worst = 0.0;
      for (int i = 0; i < 48000; ++i) {
        const float x = random.bipolar();
        const float v = (x - s) * G, y = v + s;
        s = y + v;
        worst = std::max(worst, static_cast<double>(std::fabs(filter.lowPass(x) - y)));
      }
      EXPECT_LT(worst, 1e-5) << "rate " << rate << " fc " << fc;
    }
  }
  OnePoleTpt filter;
  filter.setup(2000.0f, 48000.0f);
  std::vector<float> h(8192);
  for (int i = 0; i < 8192; ++i) h[i] = filter.lowPass(i == 0 ? 1.0f : 0.0f);
  EXPECT_NEAR(toDb(vs_test::dtftMagnitude(h, 1.0, 48000.0)), 0.0, 0.05);
  EXPECT_NEAR(toDb(vs_test::dtftMagnitude(h, 2000.0, 48000.0)), -3.01, 0.1);
}

TEST(Smoother, TimeConstantIsTheSameAtEverySampleRate) {
  for (double rate : {16000.0, 48000.0, 96000.0}) {
    Smoother s;
    s.prepare(rate, 0.05);
    s.snapTo(0.0f);
    s.setTarget(1.0f);
    int samples = 0;
    while (s.next() < 1.0f - 1.0f / 2.718281828f) ++samples;
    EXPECT_NEAR(samples / rate, 0.05, 1.5 / rate) << "rate " << rate;
  }
}

TEST(Smoother, NeverOvershootsAndLandsExactlyOnTarget) {
  Smoother s;
  s.prepare(48000.0, 0.01);
  s.snapTo(-3.0f);
  s.setTarget(2.0f);
  float last = -3.0f;
  for (int i = 0; i < 48000; ++i) {
    const float v = s.next();
    ASSERT_GE(v, last);
    ASSERT_LE(v, 2.0f);
    last = v;
  }
  EXPECT_EQ(last, 2.0f);
  EXPECT_TRUE(s.settled());
}

TEST(Random, SameSeedSameStreamDifferentSeedDifferentStream) {
  Random a(7), b(7), c(8);
  int differ = 0;
  for (int i = 0; i < 1000; ++i) {
    const auto va = a.nextU32();
    ASSERT_EQ(va, b.nextU32());
    differ += va != c.nextU32();
  }
  EXPECT_GT(differ, 990);
}

TEST(Random, UniformAndGaussianHaveTheirMoments) {
  Random r(123);
  double sumU = 0, sumG = 0, sumG2 = 0;
  const int n = 200000;
  for (int i = 0; i < n; ++i) {
    const float u = r.uniform();
    ASSERT_GE(u, 0.0f);
    ASSERT_LT(u, 1.0f);
    sumU += u;
    const float g = r.gaussian();
    sumG += g;
    sumG2 += static_cast<double>(g) * g;
  }
  EXPECT_NEAR(sumU / n, 0.5, 0.005);
  EXPECT_NEAR(sumG / n, 0.0, 0.01);
  EXPECT_NEAR(std::sqrt(sumG2 / n), 1.0, 0.01);
}

TEST(DenormalGuard, FlushesInsideAndRestoresAfter) {
#if defined(VOCALSYNTH_X86) || defined(VOCALSYNTH_ARM64)
  const bool before = ScopedDenormalGuard::flushingEnabled();
  {
    ScopedDenormalGuard guard;
    EXPECT_TRUE(ScopedDenormalGuard::flushingEnabled());
    volatile float tiny = 1e-30f;
    volatile float product = tiny * 1e-10f;  // 1e-40 is denormal: flushed to zero
    EXPECT_EQ(product, 0.0f);
  }
  EXPECT_EQ(ScopedDenormalGuard::flushingEnabled(), before);
#else
  GTEST_SKIP() << "no FTZ control on this architecture";
#endif
}

TEST(Lpc, LevinsonRecoversAKnownAllPoleModel) {
  // AR(2): x[n] = 1.3 x[n-1] - 0.6 x[n-2] + e[n]; estimate from a long realisation.
  Random random(5);
  std::vector<double> x(200000, 0.0);
  for (size_t n = 2; n < x.size(); ++n) x[n] = 1.3 * x[n - 1] - 0.6 * x[n - 2] + random.gaussian();
  double r[3] = {};
  for (int lag = 0; lag <= 2; ++lag) {
    for (size_t n = lag; n < x.size(); ++n) r[lag] += x[n] * x[n - lag];
  }
  double a[3], k[2];
  levinsonDurbin(r, 2, a, k);
  EXPECT_NEAR(a[1], -1.3, 0.01);
  EXPECT_NEAR(a[2], 0.6, 0.01);
  double back[3];
  reflectionToPredictor(k, 2, back);
  EXPECT_NEAR(back[1], a[1], 1e-12);
  EXPECT_NEAR(back[2], a[2], 1e-12);
}

TEST(Lpc, PairedStepUpGivesTheBitsOfTwoSeparateOnes) {
  // The voice glides its analysis and synthesis filters through one paired step-up: each of its
  // polynomials must be exactly what reflectionToPredictor gives alone, at every order.
  Random random(11);
  for (int order = 1; order <= 40; ++order) {
    double k1[40], k2[40], a1[41], a2[41], b1[41], b2[41];
    for (int i = 0; i < order; ++i) {
      k1[i] = 1.98 * random.uniform() - 0.99;
      k2[i] = 1.98 * random.uniform() - 0.99;
    }
    reflectionToPredictorPair(k1, k2, order, a1, a2);
    reflectionToPredictor(k1, order, b1);
    reflectionToPredictor(k2, order, b2);
    for (int j = 0; j <= order; ++j) {
      ASSERT_EQ(a1[j], b1[j]) << "order " << order << " a1[" << j << "]";
      ASSERT_EQ(a2[j], b2[j]) << "order " << order << " a2[" << j << "]";
    }
  }
}

TEST(Lpc, NoisePowerGainIsTheImpulseResponsesEnergy) {
  // White noise of unit power through 1/A(z) comes out with the energy of its impulse response.
  // A: two sharp resonances (r = 0.99 at 0.05, 0.98 at 0.2 cycles) and a de-emphasis pole (0.9).
  const double pi = 3.14159265358979323846;
  double a[6] = {1.0, 0.0, 0.0, 0.0, 0.0, 0.0};
  auto multiply = [&a](int order, double c1, double c2) {  // A <- A (1 + c1 z^-1 + c2 z^-2)
    for (int i = order + 2; i >= 1; --i) a[i] += c1 * a[i - 1] + (i >= 2 ? c2 * a[i - 2] : 0.0);
  };
  multiply(0, -2.0 * 0.99 * std::cos(2.0 * pi * 0.05), 0.99 * 0.99);
  multiply(2, -2.0 * 0.98 * std::cos(2.0 * pi * 0.2), 0.98 * 0.98);
  for (int i = 5; i >= 1; --i) a[i] -= 0.9 * a[i - 1];  // A <- A (1 - 0.9 z^-1)
  std::vector<double> y(20000, 0.0);
  double energy = 0.0;
  for (size_t n = 0; n < y.size(); ++n) {
    double v = n == 0 ? 1.0 : 0.0;
    for (int i = 1; i <= 5; ++i) v -= n >= static_cast<size_t>(i) ? a[i] * y[n - static_cast<size_t>(i)] : 0.0;
    y[n] = v;
    energy += v * v;
  }
  EXPECT_NEAR(allPoleNoisePowerGain(a, 5) / energy, 1.0, 1e-9);
  EXPECT_GT(energy, 1000.0);  // sharp: the identity would give 1
  const double unstable[2] = {1.0, -1.01};
  EXPECT_TRUE(std::isinf(allPoleNoisePowerGain(unstable, 1)));
}

TEST(Lpc, WarpingTheEnvelopeMovesItsPeakByTheScale) {
  // A single resonance at 1000 Hz; scaling by 1.3 must move it to 1300 Hz.
  const double rate = 16000.0;
  const int order = 8;
  const double pole = 0.97, w = 2.0 * 3.14159265358979 * 1000.0 / rate;
  double a[order + 1] = {1.0, -2.0 * pole * std::cos(w), pole * pole, 0, 0, 0, 0, 0, 0};
  EnvelopeWarper warper;
  warper.prepare(rate, order, 512);
  auto peakHz = [&](const double* coeffs) {
    double best = 0.0, bestHz = 0.0;
    for (double f = 100.0; f < 7000.0; f += 5.0) {
      std::complex<double> acc = 0.0;
      for (int j = 0; j <= order; ++j) acc += coeffs[j] * std::polar(1.0, -2.0 * 3.14159265358979 * f / rate * j);
      const double p = 1.0 / std::norm(acc);
      if (p > best) {
        best = p;
        bestHz = f;
      }
    }
    return bestHz;
  };
  ASSERT_NEAR(peakHz(a), 1000.0, 10.0);
  WarpSettings settings;
  settings.scale = 1.3;
  double r[order + 1], aw[order + 1], kw[order];
  warper.warp(a, settings, r);
  levinsonDurbin(r, order, aw, kw);
  EXPECT_NEAR(peakHz(aw), 1300.0, 30.0);
  settings.scale = 1.0;
  settings.shiftHz = -200.0;
  warper.warp(a, settings, r);
  levinsonDurbin(r, order, aw, kw);
  EXPECT_NEAR(peakHz(aw), 800.0, 30.0);
}

TEST(Lod, DistanceTiersWithHysteresis) {
  const vocalsynth::LodDistances lod{8.0f, 30.0f, 0.1f};
  EXPECT_EQ(vocalsynth::lodTierForDistance(5.0f, 2, lod), 0);
  EXPECT_EQ(vocalsynth::lodTierForDistance(8.5f, 2, lod), 1) << "entering Near needs < 8 m";
  EXPECT_EQ(vocalsynth::lodTierForDistance(8.5f, 0, lod), 0) << "a Near voice stays Near up to 8.8 m";
  EXPECT_EQ(vocalsynth::lodTierForDistance(8.9f, 0, lod), 1);
  EXPECT_EQ(vocalsynth::lodTierForDistance(32.0f, 1, lod), 1);
  EXPECT_EQ(vocalsynth::lodTierForDistance(32.0f, 2, lod), 2);
  EXPECT_EQ(vocalsynth::lodTierForDistance(34.0f, 1, lod), 2);
}
