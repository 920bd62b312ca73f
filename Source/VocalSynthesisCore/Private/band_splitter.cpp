#include "vocalsynth/band_splitter.h"

#include <cmath>

#include "vocalsynth/dsp_math.h"

namespace vocalsynth {

void BandSplitter::prepare(double sampleRate) {
  // Largest integer decimation that keeps the voice band at or above 16 kHz.
  decimation_ = static_cast<int>(std::floor(sampleRate / 16000.0));
  if (decimation_ < 1) decimation_ = 1;
  bandRate_ = sampleRate / decimation_;
  if (decimation_ == 1) {
    taps_ = 1;
    prototype_.assign(1, 1.0f);
  } else {
    taps_ = 48 * decimation_ + 1;
    prototype_.assign(taps_, 0.0f);
    const double cutoff = 0.42 / decimation_;  // cycles per sample: 0.42 x the band rate
    const double centre = 0.5 * (taps_ - 1);
    double sum = 0.0;
    for (int i = 0; i < taps_; ++i) {
      const double t = i - centre;
      const double sinc = t == 0.0 ? 2.0 * cutoff : std::sin(2.0 * 3.14159265358979323846 * cutoff * t) / (3.14159265358979323846 * t);
      const double x = 2.0 * 3.14159265358979323846 * i / (taps_ - 1);
      const double blackman = 0.42 - 0.5 * std::cos(x) + 0.08 * std::cos(2.0 * x);
      prototype_[i] = static_cast<float>(sinc * blackman);
      sum += sinc * blackman;
    }
    for (auto& h : prototype_) h = static_cast<float>(h / sum);
  }
  phaseTaps_ = (taps_ + decimation_ - 1) / decimation_;
  polyphase_.assign(static_cast<size_t>(decimation_) * phaseTaps_, 0.0f);
  for (int p = 0; p < decimation_; ++p) {
    for (int i = 0; i < phaseTaps_; ++i) {
      const int k = p + decimation_ * i;
      polyphase_[static_cast<size_t>(p) * phaseTaps_ + i] = k < taps_ ? prototype_[k] * static_cast<float>(decimation_) : 0.0f;
    }
  }
  inputHistory_.assign(2 * static_cast<size_t>(taps_), 0.0f);
  differenceHistory_.assign(2 * static_cast<size_t>(phaseTaps_), 0.0f);
  reset();
}

void BandSplitter::resetBandPath() noexcept {
  for (auto& v : differenceHistory_) v = 0.0f;
}

void BandSplitter::reset() noexcept {
  for (auto& v : inputHistory_) v = 0.0f;
  for (auto& v : differenceHistory_) v = 0.0f;
  inputPos_ = 0;
  bandPos_ = 0;
  phase_ = 0;
  currentPhase_ = 0;
}

bool BandSplitter::push(float x, bool compute, float& bandSample) noexcept {
  inputPos_ = inputPos_ == 0 ? taps_ - 1 : inputPos_ - 1;
  inputHistory_[inputPos_] = inputHistory_[inputPos_ + taps_] = x;
  currentPhase_ = phase_;
  if (++phase_ == decimation_) phase_ = 0;
  if (currentPhase_ != 0) return false;
  if (compute) bandSample = dot(prototype_.data(), &inputHistory_[inputPos_], taps_);
  return true;
}

void BandSplitter::submit(float bandSample, float processed) noexcept {
  // Interpolation is linear: interp(processed) - interp(band) = interp(processed - band), so one
  // history and one dot product per output sample do the work of two.
  bandPos_ = bandPos_ == 0 ? phaseTaps_ - 1 : bandPos_ - 1;
  differenceHistory_[bandPos_] = differenceHistory_[bandPos_ + phaseTaps_] = processed - bandSample;
}

float BandSplitter::output() noexcept {
  const float* branch = &polyphase_[static_cast<size_t>(currentPhase_) * phaseTaps_];
  // High band (input minus the interpolated voice band) plus the interpolated processed band.
  return delayedInput() + dot(branch, &differenceHistory_[bandPos_], phaseTaps_);
}

}  // namespace vocalsynth
