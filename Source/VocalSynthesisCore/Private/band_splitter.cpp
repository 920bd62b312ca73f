#include "vocalsynth/band_splitter.h"

#include <cmath>
#include <cstring>
#include <type_traits>

#include "simd4.h"
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
  // Tap i of phase p is D * prototype[p + D*i], for the band sample i steps back; each stored four
  // times so a vector of four consecutive outputs of one phase loads it directly.
  branches_.assign(static_cast<size_t>(decimation_) * phaseTaps_ * 4, 0.0f);
  for (int p = 0; p < decimation_; ++p) {
    for (int i = 0; i < phaseTaps_; ++i) {
      const int k = p + decimation_ * i;
      const float g = k < taps_ ? prototype_[paddedTaps_ - taps_ + k] * static_cast<float>(decimation_) : 0.0f;
      for (int lane = 0; lane < 4; ++lane) branches_[(static_cast<size_t>(p) * phaseTaps_ + i) * 4 + lane] = g;
    }
  }
  input_.assign(static_cast<size_t>(paddedTaps_) + kSlack, 0.0f);
  difference_.assign(static_cast<size_t>(phaseTaps_) + kSlack, 0.0f);
  reset();
}

void BandSplitter::resetBandPath() noexcept {
  for (auto& v : difference_) v = 0.0f;
  differenceEnd_ = phaseTaps_;
}

void BandSplitter::reset() noexcept {
  for (auto& v : input_) v = 0.0f;
  inputEnd_ = paddedTaps_;  // a full history of silence
  resetBandPath();
  phase_ = 0;
  blockStart_ = inputEnd_;
  blockLength_ = 0;
  blockPhase_ = 0;
}

void BandSplitter::compactInput() noexcept {
  std::memmove(input_.data(), input_.data() + inputEnd_ - paddedTaps_,
               sizeof(float) * static_cast<size_t>(paddedTaps_));
  inputEnd_ = paddedTaps_;
}

int BandSplitter::pushBlock(const float* x, int n, float* band, int* at) noexcept {
  if (inputEnd_ + n > static_cast<int>(input_.size())) compactInput();
  blockStart_ = inputEnd_;
  blockLength_ = n;
  blockPhase_ = phase_;
  simd4::copy(&input_[inputEnd_], x, n);
  int count = 0;
  // A band sample falls on every input sample at phase 0 of the decimation cycle.
  // The common decimations get the filter length as a constant (the dot product unrolls).
  auto decimate = [&](auto taps) {
    for (int k = (decimation_ - phase_) % decimation_; k < n; k += decimation_) {
      const int end = blockStart_ + k + 1;
      band[count] = simd4::dot4(prototype_.data(), &input_[end - taps], taps);
      at[count] = k;
      ++count;
    }
  };
  switch (paddedTaps_) {
    case 36: decimate(std::integral_constant<int, 36>{}); break;  // 2: 32-48 kHz
    case 52: decimate(std::integral_constant<int, 52>{}); break;  // 3: 48 kHz
    default: decimate(paddedTaps_); break;
  }
  inputEnd_ += n;
  phase_ = (phase_ + n) % decimation_;
  return count;
}

void BandSplitter::finishBlock(const float* band, const float* processed, int count, float* out,
                               float* bypass) noexcept {
  // Interpolation is linear: interp(processed) - interp(band) = interp(processed - band), so one
  // history does the work of two.
  if (differenceEnd_ + count + 12 > static_cast<int>(difference_.size())) {
    std::memmove(difference_.data(), difference_.data() + differenceEnd_ - phaseTaps_,
                 sizeof(float) * static_cast<size_t>(phaseTaps_));
    differenceEnd_ = phaseTaps_;
  }
  const int first = differenceEnd_;  // where this block's band samples go
  for (int j = 0; j < count; ++j) difference_[first + j] = processed[j] - band[j];
  differenceEnd_ += count;

  const int n = blockLength_;
  const int d = decimation_;
  // Sample k is input sample blockStart_ + k; its delayed twin sits taps_ - 1 earlier.
  simd4::copy(bypass, &input_[blockStart_ - taps_ + 1], n);
  const int firstBand = (d - blockPhase_) % d;  // block index of this block's first band sample
  using namespace simd4;
  for (int p = 0; p < d; ++p) {
    // The outputs of phase p: samples kp, kp + D, ...; each uses the band history ending at the
    // band sample it follows, one further for each step.
    const int kp = (p - blockPhase_ + d) % d;
    if (kp >= n) continue;
    const int newest = kp < firstBand ? first - 1 : first + (kp - firstBand) / d;
    const int outputs = (n - kp + d - 1) / d;
    const float* g = &branches_[static_cast<size_t>(p) * phaseTaps_ * 4];
    // Twelve outputs (three vectors) per pass share each coefficient load. Every decimation
    // has 16 D + 1 taps, i.e. 17 per phase: a fixed count the compiler unrolls.
    for (int j = 0; j < outputs; j += 12) {
      F4 acc0 = zero(), acc1 = zero(), acc2 = zero();
      const float* history = &difference_[newest + j];
      auto tap = [&](int i) {
        const F4 c = load(g + 4 * i);
        acc0 = acc0 + c * load(history - i);
        acc1 = acc1 + c * load(history + 4 - i);
        acc2 = acc2 + c * load(history + 8 - i);
      };
      if (phaseTaps_ == kPhaseTaps) {
        for (int i = 0; i < kPhaseTaps; ++i) tap(i);
      } else {
        for (int i = 0; i < phaseTaps_; ++i) tap(i);
      }
      float lanes[12];
      store(lanes, acc0);
      store(lanes + 4, acc1);
      store(lanes + 8, acc2);
      const int filled = outputs - j < 12 ? outputs - j : 12;
      const int start = kp + d * j;
      for (int lane = 0; lane < filled; ++lane) out[start + d * lane] = bypass[start + d * lane] + lanes[lane];
    }
  }
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
    x += len;
    delayed += len;
    n -= len;
  }
}

}  // namespace vocalsynth
