#include "vocalsynth/lpc.h"

#include <cmath>
#include <limits>

#include "simd4.h"
#include "vocalsynth/dsp_math.h"

namespace vocalsynth {

namespace {

/// a[j] += ki * a[i - j] and a[i - j] += ki * a[j] (from the old values) for every pair
/// 1 <= j < i - j; two pairs per vector from both ends, the same arithmetic as one pair at a time.
void updatePairs(double* a, int i, double ki) noexcept {
  using namespace simd4;
  const D2 kv = splatD(ki);
  int j = 1, m = i - 1;
  for (; j + 2 < m; j += 2, m -= 2) {  // a[j], a[j + 1], a[m - 1], a[m]: four distinct places
    const D2 lo = load(a + j);
    const D2 hi = reverse(load(a + m - 1));  // a[m], a[m - 1]: the partners of a[j], a[j + 1]
    store(a + j, lo + kv * hi);
    store(a + m - 1, reverse(hi + kv * lo));
  }
  for (; j < m; ++j, --m) {
    const double lo = a[j];
    const double hi = a[m];
    a[j] = lo + ki * hi;
    a[m] = hi + ki * lo;
  }
}

/// The order-i step of both recursions below (Levinson-Durbin's update and the step-up): the
/// symmetric pairs, the middle element of an even step, then a[i] = ki.
void stepUp(double* a, int i, double ki) noexcept {
  updatePairs(a, i, ki);
  if (i % 2 == 0) a[i / 2] += ki * a[i / 2];
  a[i] = ki;
}

}  // namespace

double levinsonDurbin(const double* r, int order, double* a, double* k) noexcept {
  a[0] = 1.0;
  for (int i = 1; i <= order; ++i) a[i] = 0.0;
  double error = r[0];
  if (error <= 0.0) {
    for (int i = 0; i < order; ++i) k[i] = 0.0;
    return 0.0;
  }
  for (int i = 1; i <= order; ++i) {
    double acc = r[i];
    for (int j = 1; j < i; ++j) acc += a[j] * r[i - j];
    double ki = -acc / error;
    if (ki > 0.999) ki = 0.999;
    if (ki < -0.999) ki = -0.999;
    k[i - 1] = ki;
    stepUp(a, i, ki);  // in place
    error *= (1.0 - ki * ki);
  }
  return error;
}

void reflectionToPredictor(const double* k, int order, double* a) noexcept {
  // Step-up recursion, updated in place from both ends (a[j] and a[i-j] together).
  a[0] = 1.0;
  for (int i = 1; i <= order; ++i) stepUp(a, i, k[i - 1]);
}

void reflectionToPredictorPair(const double* k1, const double* k2, int order, double* a1, double* a2) noexcept {
  // reflectionToPredictor twice, in the two lanes of one vector (element j of both side by side):
  // the same arithmetic element by element, so the same bits, without the shuffles that pair the
  // two ends of one polynomial in a vector.
  using namespace simd4;
  constexpr int kMaxOrder = 32;
  if (order > kMaxOrder) {
    a1[0] = a2[0] = 1.0;
    for (int i = 1; i <= order; ++i) {
      stepUp(a1, i, k1[i - 1]);
      stepUp(a2, i, k2[i - 1]);
    }
    return;
  }
  double both[2 * (kMaxOrder + 1)];
  both[0] = both[1] = 1.0;
  for (int i = 1; i <= order; ++i) {
    const double pair[2] = {k1[i - 1], k2[i - 1]};
    const D2 kv = load(pair);
    for (int j = 1, m = i - 1; j < m; ++j, --m) {  // a[j] and a[i - j] from the old values
      const D2 lo = load(both + 2 * j), hi = load(both + 2 * m);
      store(both + 2 * j, lo + kv * hi);
      store(both + 2 * m, hi + kv * lo);
    }
    if (i % 2 == 0) {
      const D2 middle = load(both + i);  // a[i / 2]
      store(both + i, middle + kv * middle);
    }
    store(both + 2 * i, kv);
  }
  for (int j = 0; j <= order; ++j) {
    a1[j] = both[2 * j];
    a2[j] = both[2 * j + 1];
  }
}

double predictionErrorRatio(const double* k, int order) noexcept {
  double ratio = 1.0;
  for (int i = 0; i < order; ++i) ratio *= 1.0 - k[i] * k[i];
  return ratio;
}

double allPoleNoisePowerGain(const double* a, int order) noexcept {
  // Step-down (Levinson-Durbin backwards): peel off k_m = a_m, the last reflection coefficient, and
  // the order-(m-1) predictor it was stepped up from; white noise gains 1 / (1 - k^2) per order.
  constexpr int kMaxOrder = 32;
  if (order > kMaxOrder) return std::numeric_limits<double>::infinity();
  double b[kMaxOrder + 1], previous[kMaxOrder + 1];
  for (int i = 0; i <= order; ++i) b[i] = a[i];
  double gain = 1.0;
  for (int m = order; m >= 1; --m) {
    const double k = b[m];
    const double rest = 1.0 - k * k;
    if (!(rest > 0.0)) return std::numeric_limits<double>::infinity();
    gain /= rest;
    for (int i = 1; i < m; ++i) previous[i] = (b[i] - k * b[m - i]) / rest;
    for (int i = 1; i < m; ++i) b[i] = previous[i];
  }
  return gain;
}

void EnvelopeWarper::prepare(double sampleRate, int order, int numBins) {
  sampleRate_ = sampleRate;
  order_ = order;
  numBins_ = (numBins + 7) / 8 * 8;
  numBins = numBins_;
  const auto bins = static_cast<size_t>(numBins);
  cosByLag_.assign(static_cast<size_t>(order + 1) * bins, 0.0f);
  sinByLag_.assign(static_cast<size_t>(order + 1) * bins, 0.0f);
  logPower_.assign(bins, 0.0f);
  warpedPower_.assign(bins, 0.0f);
  sourceBin_.assign(bins, 0);
  sourceFrac_.assign(bins, 0.0f);
  placedValid_ = false;
  bandwidthValid_ = false;
  bandwidthWindow_.assign(static_cast<size_t>(order + 1), 1.0);
  const double pi = 3.14159265358979323846;
  for (int b = 0; b < numBins; ++b) {
    const double w = (b + 0.5) * pi / numBins;  // bin centres on (0, pi)
    for (int lag = 0; lag <= order; ++lag) {
      const auto c = static_cast<float>(std::cos(w * lag));
      cosByLag_[static_cast<size_t>(lag) * bins + b] = c;
      sinByLag_[static_cast<size_t>(lag) * bins + b] = static_cast<float>(std::sin(w * lag));
    }
  }
}

void EnvelopeWarper::placeBins(const WarpSettings& s) noexcept {
  // The output at frequency f' samples the input envelope at f = (f' - shift(f')) / scale.
  const double binHz = 0.5 * sampleRate_ / numBins_;
  const double taperHz = 300.0;
  const double scale = s.scale > 0.05 ? s.scale : 0.05;
  for (int b = 0; b < numBins_; ++b) {
    const double fOut = (b + 0.5) * binHz;
    const double shift = s.shiftHz * (fOut < taperHz ? fOut / taperHz : 1.0);
    double pos = (fOut - shift) / scale / binHz - 0.5;
    if (pos < 0.0) pos = 0.0;
    if (pos > numBins_ - 1) pos = numBins_ - 1;
    int i0 = static_cast<int>(pos);
    if (i0 > numBins_ - 2) i0 = numBins_ - 2;
    sourceBin_[b] = i0;
    sourceFrac_[b] = static_cast<float>(pos - i0);
  }
  placed_ = s;
  placedValid_ = true;
}

void EnvelopeWarper::warp(const double* a, const WarpSettings& s, double* rOut) noexcept {
  const int bins = numBins_;
  if (!placedValid_ || placed_.scale != s.scale || placed_.shiftHz != s.shiftHz) placeBins(s);
  // A(e^jw) on the bin grid, eight bins at a time accumulated lag by lag in registers.
  using namespace simd4;
  for (int b0 = 0; b0 < bins; b0 += 8) {
    F4 re0 = splat(1.0f), re1 = splat(1.0f), im0 = zero(), im1 = zero();
    for (int lag = 1; lag <= order_; ++lag) {
      const F4 coefficient = splat(static_cast<float>(a[lag]));
      const float* c = &cosByLag_[static_cast<size_t>(lag) * bins + b0];
      const float* sn = &sinByLag_[static_cast<size_t>(lag) * bins + b0];
      re0 = re0 + coefficient * load(c);
      re1 = re1 + coefficient * load(c + 4);
      im0 = im0 + coefficient * load(sn);
      im1 = im1 + coefficient * load(sn + 4);
    }
    store(&logPower_[b0], re0 * re0 + im0 * im0);
    store(&logPower_[b0 + 4], re1 * re1 + im1 * im1);
  }
  // Envelope power 1/|A|^2 in the log domain, for interpolation.
  for (int b = 0; b < bins; ++b) {
    const float mag2 = logPower_[b];
    logPower_[b] = -fastLog2(mag2 > 1e-30f ? mag2 : 1e-30f);
  }
  for (int b = 0; b < bins; ++b) {  // a gather: scalar
    const int i0 = sourceBin_[b];
    warpedPower_[b] = logPower_[i0] + (logPower_[i0 + 1] - logPower_[i0]) * sourceFrac_[b];
  }
  for (int b = 0; b < bins; ++b) warpedPower_[b] = fastExp2(warpedPower_[b]);
  // Inverse DTFT of the (even, real) warped power spectrum -> autocorrelation; then the lag window.
  float r[64];
  for (int lag = 0; lag <= order_; ++lag)
    r[lag] = simd4::dot(warpedPower_.data(), &cosByLag_[static_cast<size_t>(lag) * bins], bins);
  if (!bandwidthValid_ || bandwidthHz_ != s.extraBandwidthHz) {
    // The bandwidth lag window (and the 1/bins of the inverse transform) for these settings.
    const double twoPiBwOverFs = 2.0 * 3.14159265358979323846 * s.extraBandwidthHz / sampleRate_;
    for (int lag = 0; lag <= order_; ++lag) {
      const double x = twoPiBwOverFs * lag;
      bandwidthWindow_[lag] = std::exp(-0.5 * x * x) / bins;
    }
    bandwidthHz_ = s.extraBandwidthHz;
    bandwidthValid_ = true;
  }
  for (int lag = 0; lag <= order_; ++lag) rOut[lag] = static_cast<double>(r[lag]) * bandwidthWindow_[lag];
  rOut[0] *= 1.00001;  // white-noise correction (-50 dB) keeps the fit well conditioned
}

}  // namespace vocalsynth
