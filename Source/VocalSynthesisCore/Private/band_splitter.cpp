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
  phaseTaps_ = (taps_ + decimation_ - 1) / decimation_;
  // Branch p holds prototype[p + D*i] for the band sample i steps back; stored oldest-first to
  // match the time-ordered history.
  branches_.assign(static_cast<size_t>(decimation_) * phaseTaps_, 0.0f);
  for (int p = 0; p < decimation_; ++p) {
    for (int i = 0; i < phaseTaps_; ++i) {
      const int k = p + decimation_ * i;
      branches_[static_cast<size_t>(p) * phaseTaps_ + (phaseTaps_ - 1 - i)] =
          k < taps_ ? prototype_[k] * static_cast<float>(decimation_) : 0.0f;
    }
  }
  input_.assign(static_cast<size_t>(taps_) + kSlack, 0.0f);
  difference_.assign(static_cast<size_t>(phaseTaps_) + kSlack, 0.0f);
  reset();
}

void BandSplitter::resetBandPath() noexcept {
  for (auto& v : difference_) v = 0.0f;
  differenceEnd_ = phaseTaps_;
}

void BandSplitter::reset() noexcept {
  for (auto& v : input_) v = 0.0f;
  inputEnd_ = taps_;  // a full history of silence
  resetBandPath();
  phase_ = 0;
  currentPhase_ = 0;
}

bool BandSplitter::push(float x, float& bandSample) noexcept {
  if (inputEnd_ == static_cast<int>(input_.size())) {
    std::memmove(input_.data(), input_.data() + inputEnd_ - taps_, sizeof(float) * static_cast<size_t>(taps_));
    inputEnd_ = taps_;
  }
  input_[inputEnd_++] = x;
  currentPhase_ = phase_;
  if (++phase_ == decimation_) phase_ = 0;
  if (currentPhase_ != 0) return false;
  bandSample = dot(prototype_.data(), &input_[inputEnd_ - taps_], taps_);
  return true;
}

void BandSplitter::pushBypass(const float* x, float* delayed, int n) noexcept {
  while (n > 0) {
    const int len = n < kSlack ? n : kSlack;
    if (inputEnd_ + len > static_cast<int>(input_.size())) {
      std::memmove(input_.data(), input_.data() + inputEnd_ - taps_, sizeof(float) * static_cast<size_t>(taps_));
      inputEnd_ = taps_;
    }
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
  // history and one dot product per output sample do the work of two.
  if (differenceEnd_ == static_cast<int>(difference_.size())) {
    std::memmove(difference_.data(), difference_.data() + differenceEnd_ - phaseTaps_,
                 sizeof(float) * static_cast<size_t>(phaseTaps_));
    differenceEnd_ = phaseTaps_;
  }
  difference_[differenceEnd_++] = processed - bandSample;
}

float BandSplitter::output() const noexcept {
  const float* branch = &branches_[static_cast<size_t>(currentPhase_) * phaseTaps_];
  // High band (input minus the interpolated voice band) plus the interpolated processed band.
  return delayedInput() + dot(branch, &difference_[differenceEnd_ - phaseTaps_], phaseTaps_);
}

}  // namespace vocalsynth
