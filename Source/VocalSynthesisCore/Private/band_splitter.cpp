#include "simd4.h"
#include "vocalsynth/band_splitter.h"

#include <cmath>
#include <cstring>

#include "vocalsynth/dsp_math.h"

namespace vocalsynth {

namespace {

/// Zeroth-order modified Bessel function of the first kind (power series), for the Kaiser window.
double besselI0(double x) {
  double sum = 1.0, term = 1.0;
  for (int k = 1; k < 50; ++k) {
    term *= (x / (2.0 * k)) * (x / (2.0 * k));
    sum += term;
    if (term < 1e-12 * sum) break;
  }
  return sum;
}

}  // namespace

void BandSplitter::prepare(double sampleRate) {
  // Largest integer decimation that keeps the voice band at or above 16 kHz.
  decimation_ = static_cast<int>(std::floor(sampleRate / 16000.0));
  if (decimation_ < 1) decimation_ = 1;
  if (decimation_ > kMaxDecimation) decimation_ = kMaxDecimation;  // 96 kHz needs 6
  bandRate_ = sampleRate / decimation_;
  if (decimation_ == 1) {
    taps_ = 1;
    prototype_.assign(1, 1.0f);
  } else {
    // Kaiser-windowed sinc (beta 6: ~-60 dB side lobes), cut at 0.40 x the band rate.
    taps_ = 16 * decimation_ + 1;
    prototype_.assign(taps_, 0.0f);
    const double pi = 3.14159265358979323846;
    const double cutoff = 0.40 / decimation_;  // cycles per sample
    const double centre = 0.5 * (taps_ - 1);
    const double beta = 6.0;
    std::vector<double> h(taps_);
    double sum = 0.0;
    for (int i = 0; i < taps_; ++i) {
      const double t = i - centre;
      const double sinc = t == 0.0 ? 2.0 * cutoff : std::sin(2.0 * pi * cutoff * t) / (pi * t);
      const double r = t / centre;
      h[i] = sinc * besselI0(beta * std::sqrt(1.0 - r * r)) / besselI0(beta);
      sum += h[i];
    }
    for (int i = 0; i < taps_; ++i) prototype_[i] = static_cast<float>(h[i] / sum);
  }
  paddedTaps_ = (taps_ + 3) / 4 * 4;
  // Zeros in front (the oldest end): the dot product needs no scalar tail.
  prototype_.insert(prototype_.begin(), static_cast<size_t>(paddedTaps_ - taps_), 0.0f);
  phaseTaps_ = (taps_ + decimation_ - 1) / decimation_;
  lanes_ = (decimation_ + 3) / 4 * 4;
  // Tap i of phase p is prototype[p + D*i] (the band sample i steps back); stored [i][p] so all
  // D outputs of a band sample accumulate together in vector lanes.
  branches_.assign(static_cast<size_t>(phaseTaps_) * lanes_, 0.0f);
  for (int i = 0; i < phaseTaps_; ++i) {
    for (int p = 0; p < decimation_; ++p) {
      const int k = p + decimation_ * i;
      branches_[static_cast<size_t>(i) * lanes_ + p] = k < taps_ ? prototype_[paddedTaps_ - taps_ + k] * static_cast<float>(decimation_) : 0.0f;
    }
  }
  input_.assign(static_cast<size_t>(paddedTaps_) + kSlack, 0.0f);
  difference_.assign(static_cast<size_t>(phaseTaps_) + kSlack, 0.0f);
  reset();
}

void BandSplitter::resetBandPath() noexcept {
  for (auto& v : difference_) v = 0.0f;
  differenceEnd_ = phaseTaps_;
  for (auto& v : interpolated_) v = 0.0f;
}

void BandSplitter::reset() noexcept {
  for (auto& v : input_) v = 0.0f;
  inputEnd_ = paddedTaps_;  // a full history of silence
  resetBandPath();
  phase_ = 0;
  currentPhase_ = 0;
}

void BandSplitter::compactInput() noexcept {
  std::memmove(input_.data(), input_.data() + inputEnd_ - paddedTaps_, sizeof(float) * static_cast<size_t>(paddedTaps_));
  inputEnd_ = paddedTaps_;
}

float BandSplitter::decimate() const noexcept {
  return simd4::dot(prototype_.data(), &input_[inputEnd_ - paddedTaps_], paddedTaps_);
}

void BandSplitter::pushBypass(const float* x, float* delayed, int n) noexcept {
  while (n > 0) {
    const int len = n < kSlack ? n : kSlack;
    if (inputEnd_ + len > static_cast<int>(input_.size())) compactInput();
    std::memcpy(&input_[inputEnd_], x, sizeof(float) * static_cast<size_t>(len));
    // Sample k lands at inputEnd_ + k; its delayed twin sits taps_ - 1 earlier.
    std::memcpy(delayed, &input_[inputEnd_ - taps_ + 1], sizeof(float) * static_cast<size_t>(len));
    inputEnd_ += len;
    phase_ = (phase_ + len) % decimation_;
    currentPhase_ = (phase_ + decimation_ - 1) % decimation_;
    x += len;
    delayed += len;
    n -= len;
  }
}

void BandSplitter::submit(float bandSample, float processed) noexcept {
  // Interpolation is linear: interp(processed) - interp(band) = interp(processed - band), so one
  // history does the work of two.
  if (differenceEnd_ == static_cast<int>(difference_.size())) {
    std::memmove(difference_.data(), difference_.data() + differenceEnd_ - phaseTaps_,
                 sizeof(float) * static_cast<size_t>(phaseTaps_));
    differenceEnd_ = phaseTaps_;
  }
  difference_[differenceEnd_++] = processed - bandSample;
  // The D full-rate outputs until the next band sample, all from the same band history.
  using namespace simd4;
  const float* newest = &difference_[differenceEnd_ - 1];
  F4 acc0 = zero(), acc1 = zero();
  if (lanes_ == 4) {
    for (int i = 0; i < phaseTaps_; ++i) acc0 = acc0 + load(&branches_[static_cast<size_t>(i) * 4]) * splat(newest[-i]);
  } else {
    for (int i = 0; i < phaseTaps_; ++i) {
      const F4 d = splat(newest[-i]);
      acc0 = acc0 + load(&branches_[static_cast<size_t>(i) * 8]) * d;
      acc1 = acc1 + load(&branches_[static_cast<size_t>(i) * 8 + 4]) * d;
    }
  }
  store(interpolated_, acc0);
  if (lanes_ == 8) store(interpolated_ + 4, acc1);
}

}  // namespace vocalsynth
