#include "vocalsynth/lpc.h"

#include <cmath>

#include "vocalsynth/dsp_math.h"

namespace vocalsynth {

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
    // In-place symmetric update of a[1..i-1].
    for (int j = 1; j <= i / 2; ++j) {
      const double lo = a[j];
      const double hi = a[i - j];
      a[j] = lo + ki * hi;
      if (j != i - j) a[i - j] = hi + ki * lo;
    }
    a[i] = ki;
    error *= (1.0 - ki * ki);
  }
  return error;
}

void reflectionToPredictor(const double* k, int order, double* a, double* scratch) noexcept {
  a[0] = 1.0;
  for (int i = 1; i <= order; ++i) {
    const double ki = k[i - 1];
    for (int j = 1; j < i; ++j) scratch[j] = a[j] + ki * a[i - j];
    for (int j = 1; j < i; ++j) a[j] = scratch[j];
    a[i] = ki;
  }
}

void EnvelopeWarper::prepare(double sampleRate, int order, int numBins) {
  sampleRate_ = sampleRate;
  order_ = order;
  numBins_ = numBins;
  const auto stride = static_cast<size_t>(order + 1);
  cosByBin_.assign(static_cast<size_t>(numBins) * stride, 0.0f);
  sinByBin_.assign(static_cast<size_t>(numBins) * stride, 0.0f);
  cosByLag_.assign(static_cast<size_t>(numBins) * stride, 0.0f);
  logPower_.assign(numBins, 0.0f);
  warpedPower_.assign(numBins, 0.0f);
  predictor_.assign(stride, 0.0f);
  const double pi = 3.14159265358979323846;
  for (int b = 0; b < numBins; ++b) {
    const double w = (b + 0.5) * pi / numBins;  // bin centres on (0, pi)
    for (int lag = 0; lag <= order; ++lag) {
      const auto c = static_cast<float>(std::cos(w * lag));
      cosByBin_[static_cast<size_t>(b) * stride + lag] = c;
      sinByBin_[static_cast<size_t>(b) * stride + lag] = static_cast<float>(std::sin(w * lag));
      cosByLag_[static_cast<size_t>(lag) * numBins + b] = c;
    }
  }
}

void EnvelopeWarper::warp(const double* a, const WarpSettings& s, double* rOut) noexcept {
  const int stride = order_ + 1;
  for (int j = 0; j <= order_; ++j) predictor_[j] = static_cast<float>(a[j]);
  // Envelope power 1/|A(e^jw)|^2 on the bin grid, in the log domain for interpolation.
  for (int b = 0; b < numBins_; ++b) {
    const float re = dot(predictor_.data(), &cosByBin_[static_cast<size_t>(b) * stride], stride);
    const float im = dot(predictor_.data(), &sinByBin_[static_cast<size_t>(b) * stride], stride);
    const float mag2 = re * re + im * im;
    logPower_[b] = -std::log(mag2 > 1e-30f ? mag2 : 1e-30f);
  }
  // Warp: the output at frequency f' samples the input envelope at f = (f' - shift(f')) / scale.
  const double binHz = 0.5 * sampleRate_ / numBins_;
  const double taperHz = 300.0;
  const double scale = s.scale > 0.05 ? s.scale : 0.05;
  for (int b = 0; b < numBins_; ++b) {
    const double fOut = (b + 0.5) * binHz;
    const double shift = s.shiftHz * (fOut < taperHz ? fOut / taperHz : 1.0);
    double pos = (fOut - shift) / scale / binHz - 0.5;
    if (pos < 0.0) pos = 0.0;
    if (pos > numBins_ - 1) pos = numBins_ - 1;
    const int i0 = static_cast<int>(pos);
    const int i1 = i0 + 1 < numBins_ ? i0 + 1 : i0;
    const auto t = static_cast<float>(pos - i0);
    warpedPower_[b] = std::exp(logPower_[i0] + (logPower_[i1] - logPower_[i0]) * t);
  }
  // Inverse DTFT of the (even, real) warped power spectrum -> autocorrelation, lag-windowed.
  const double twoPiBwOverFs = 2.0 * 3.14159265358979323846 * s.extraBandwidthHz / sampleRate_;
  for (int lag = 0; lag <= order_; ++lag) {
    const double acc = dot(warpedPower_.data(), &cosByLag_[static_cast<size_t>(lag) * numBins_], numBins_);
    const double x = twoPiBwOverFs * lag;
    rOut[lag] = acc / numBins_ * std::exp(-0.5 * x * x);
  }
  rOut[0] *= 1.00001;  // white-noise correction (-50 dB) keeps the fit well conditioned
}

}  // namespace vocalsynth
