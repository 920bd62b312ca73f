#include "vocalsynth/lpc.h"

#include <cmath>

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
  cosTable_.assign(static_cast<size_t>(numBins) * (order + 1), 0.0);
  sinTable_.assign(static_cast<size_t>(numBins) * (order + 1), 0.0);
  logPower_.assign(numBins, 0.0);
  warpedPower_.assign(numBins, 0.0);
  const double pi = 3.14159265358979323846;
  for (int b = 0; b < numBins; ++b) {
    const double w = (b + 0.5) * pi / numBins;  // bin centres on (0, pi)
    for (int lag = 0; lag <= order; ++lag) {
      cosTable_[static_cast<size_t>(b) * (order + 1) + lag] = std::cos(w * lag);
      sinTable_[static_cast<size_t>(b) * (order + 1) + lag] = std::sin(w * lag);
    }
  }
}

void EnvelopeWarper::warp(const double* a, const WarpSettings& s, double* rOut) noexcept {
  const int stride = order_ + 1;
  // Envelope power 1/|A(e^jw)|^2 on the bin grid, in the log domain for interpolation.
  for (int b = 0; b < numBins_; ++b) {
    const double* c = &cosTable_[static_cast<size_t>(b) * stride];
    const double* sn = &sinTable_[static_cast<size_t>(b) * stride];
    double re = 0.0, im = 0.0;
    for (int j = 0; j <= order_; ++j) {
      re += a[j] * c[j];
      im -= a[j] * sn[j];
    }
    const double mag2 = re * re + im * im;
    logPower_[b] = -std::log(mag2 > 1e-30 ? mag2 : 1e-30);
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
    const double t = pos - i0;
    warpedPower_[b] = std::exp(logPower_[i0] + (logPower_[i1] - logPower_[i0]) * t);
  }
  // Inverse DTFT of the (even, real) warped power spectrum -> autocorrelation, lag-windowed.
  const double twoPiBwOverFs = 2.0 * 3.14159265358979323846 * s.extraBandwidthHz / sampleRate_;
  for (int lag = 0; lag <= order_; ++lag) {
    double acc = 0.0;
    for (int b = 0; b < numBins_; ++b) acc += warpedPower_[b] * cosTable_[static_cast<size_t>(b) * stride + lag];
    const double x = twoPiBwOverFs * lag;
    rOut[lag] = acc / numBins_ * std::exp(-0.5 * x * x);
  }
  rOut[0] *= 1.0001;  // white-noise correction keeps the fit well conditioned
}

}  // namespace vocalsynth
