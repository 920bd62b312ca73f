#include "vocalsynth/limiter.h"

#include <cmath>
#include <cstring>
#include <limits>

#include "simd4.h"
#include "vocalsynth/dsp_math.h"

namespace vocalsynth {

void TruePeakLimiter::prepare(double sampleRate, double lookaheadSeconds, double releaseSeconds, float ceilingDb) {
  window_ = static_cast<int>(std::ceil(lookaheadSeconds * sampleRate));
  if (window_ < kTaps) window_ = kTaps;  // the delay ring must hold the interpolator's taps
  ceiling_ = dbToGain(ceilingDb);
  releaseCoefficient_ = std::exp(-1.0 / (releaseSeconds * sampleRate));
  // Hann-windowed sinc, interpolating between taps kCentre and kCentre + 1 at 1/4, 2/4, 3/4.
  for (int p = 0; p < kPhases; ++p) {
    const double frac = (p + 1) / 4.0;
    double sum = 0.0;
    for (int t = 0; t < kTaps; ++t) {
      const double x = (t - kCentre) - frac;  // distance of tap t from the interpolation point
      const double sinc =
          std::fabs(x) < 1e-12 ? 1.0 : std::sin(3.14159265358979323846 * x) / (3.14159265358979323846 * x);
      const double w = 0.5 + 0.5 * std::cos(3.14159265358979323846 * x / (kTaps / 2.0 + 0.5));
      phaseCoefficients_[p][t] = static_cast<float>(sinc * w);
      sum += sinc * w;
    }
    for (int t = 0; t < kTaps; ++t) phaseCoefficients_[p][t] = static_cast<float>(phaseCoefficients_[p][t] / sum);
  }
  // An interpolated value is bounded by sum|taps| * max|input|; the margin covers rounding.
  float tapAbsSum = 1.0f;
  for (int p = 0; p < kPhases; ++p) {
    float absSum = 0.0f;
    for (int t = 0; t < kTaps; ++t) absSum += std::fabs(phaseCoefficients_[p][t]);
    if (absSum * 1.0001f > tapAbsSum) tapAbsSum = absSum * 1.0001f;
  }
  quietLevel_ = ceiling_ / tapAbsSum;
  minValues_.assign(window_ + 1, 1.0f);
  minIndices_.assign(window_ + 1, 0);
  boxRing_.assign(window_, 1.0f);
  // Audio waits for the interpolator (kCentre + 1 samples) and the gain smoothing window.
  latency_ = kCentre + 1 + window_ - 1;
  audio_.assign(static_cast<size_t>(latency_) + kSlack, 0.0f);
  reset();
}

void TruePeakLimiter::reset() noexcept {
  released_ = 1.0;
  quietRun_ = kTaps;  // the ring starts silent
  idle_ = true;
  unityBoxRun_ = window_;
  minHead_ = 0;
  minCount_ = 0;
  index_ = 0;
  for (auto& v : boxRing_) v = 1.0f;
  boxPos_ = 0;
  boxSum_ = static_cast<double>(window_);
  for (auto& v : audio_) v = 0.0f;
  audioEnd_ = latency_;  // a history of silence
  lastGain_ = 1.0f;
}

void TruePeakLimiter::peaks(const float* line, int n, float* peak) const noexcept {
  // Peak over the interval [h[kCentre], h[kCentre + 1]] of each sample's newest kTaps (h[kTaps - 1] =
  // line[k]), including three inter-sample points; four samples per vector, the same arithmetic as
  // one at a time.
  using namespace simd4;
  int k = 0;
  for (; k + 4 <= n; k += 4) {
    if (simd4::absMax(line + k - (kTaps - 1), kTaps + 3) <= quietLevel_) {
      // No interpolated value of these four can reach the ceiling, and applyGains only asks
      // whether a peak exceeds it: zero gives the same result without the interpolation.
      store(peak + k, zero());
      continue;
    }
    F4 h[kTaps];
    for (int t = 0; t < kTaps; ++t) h[t] = load(line + k - (kTaps - 1) + t);
    F4 largest = vmax(vabs(h[kCentre]), vabs(h[kCentre + 1]));
    for (int p = 0; p < kPhases; ++p) {
      F4 acc = splat(phaseCoefficients_[p][0]) * h[0];
      for (int t = 1; t < kTaps; ++t) acc = acc + splat(phaseCoefficients_[p][t]) * h[t];
      largest = vmax(vabs(acc), largest);
    }
    store(peak + k, largest);
  }
  for (; k < n; ++k) {
    const float* h = line + k - (kTaps - 1);
    const float before = std::fabs(h[kCentre]), after = std::fabs(h[kCentre + 1]);
    float largest = before > after ? before : after;  // not std::fmax: that is a libm call without -ffast-math
    for (int p = 0; p < kPhases; ++p) {
      float acc = phaseCoefficients_[p][0] * h[0];
      for (int t = 1; t < kTaps; ++t) acc = acc + phaseCoefficients_[p][t] * h[t];
      acc = std::fabs(acc);
      largest = acc > largest ? acc : largest;
    }
    peak[k] = largest;
  }
}

void TruePeakLimiter::applyGains(const float* peak, const float* delayed, float* out, int n) noexcept {
  // The state in locals for the loop (the stores to out[] could alias members).
  const float ceiling = ceiling_;
  const int window = window_, cap = window_ + 1;
  const double release = releaseCoefficient_, inverseWindow = 1.0 / window_;
  float* minValues = minValues_.data();
  long long* minIndices = minIndices_.data();
  float* box = boxRing_.data();
  int minHead = minHead_, minCount = minCount_, boxPos = boxPos_, unityRun = unityBoxRun_;
  long long index = index_;
  double released = released_, boxSum = boxSum_;
  bool idle = idle_;
  float gain = lastGain_;
  auto wrap = [cap](int i) { return i >= cap ? i - cap : i; };
  for (int k = 0; k < n; ++k, ++index) {
    // Idle and nothing near the ceiling: the general path below would give exactly 1.
    if (idle && peak[k] <= ceiling) {
      out[k] = delayed[k];
      continue;
    }
    float required = peak[k] > ceiling ? ceiling / peak[k] : 1.0f;
    // A peak near the largest float asks for a subnormal gain, which has lost its precision (and
    // FTZ would flush it): silence that sample instead.
    if (required < std::numeric_limits<float>::min()) required = 0.0f;
    // Running minimum of the requirements over the last window samples. Only values below 1 are
    // kept (an empty deque means 1), so the idle state needs no bookkeeping.
    if (required < 1.0f) {
      while (minCount > 0 && minValues[wrap(minHead + minCount - 1)] >= required) --minCount;
      const int slot = wrap(minHead + minCount);
      minValues[slot] = required;
      minIndices[slot] = index;
      ++minCount;
    }
    if (minCount > 0 && minIndices[minHead] <= index - window) {
      minHead = wrap(minHead + 1);
      --minCount;
    }
    const double windowMin = minCount > 0 ? minValues[minHead] : 1.0;
    // Instant attack, smooth release (never above the windowed minimum); it lands on exactly 1
    // from within -120 dB once nothing in the window asks for less, so the limiter can go idle
    // again. (While a requirement is in the window the snap would pass it: a sample peaking
    // within 1e-6 of the ceiling came out above it, the voice fuzzer found.)
    if (windowMin < released) released = windowMin;
    else released = windowMin + (released - windowMin) * release;
    if (released > 1.0 - 1e-6 && minCount == 0) released = 1.0;
    const auto releasedF = static_cast<float>(released);
    boxSum += static_cast<double>(releasedF) - box[boxPos];
    box[boxPos] = releasedF;
    if (++boxPos == window) boxPos = 0;
    unityRun = released == 1.0 ? (unityRun < window ? unityRun + 1 : window) : 0;
    gain = static_cast<float>(boxSum * inverseWindow);
    if (gain < kExactSumBelow) {
      // The running sum carries rounding from when the box held gains near 1 (~1e-15 absolute),
      // which outweighs gains of a peak 60 dB or more over the ceiling: a 1e20 sample came out
      // at +27 dBFS. Sum the box afresh, oldest first: the idle path does not move boxPos, so
      // where in the ring a value sits depends on the blocks, but the order of the values does not.
      boxSum = 0.0;
      for (int j = boxPos; j < window; ++j) boxSum += static_cast<double>(box[j]);
      for (int j = 0; j < boxPos; ++j) boxSum += static_cast<double>(box[j]);
      gain = static_cast<float>(boxSum * inverseWindow);
    }
    if (gain > 1.0f) gain = 1.0f;
    idle = minCount == 0 && released == 1.0 && unityRun >= window;
    if (idle) {
      boxSum = static_cast<double>(window);  // the box holds only ones: its sum is exact
      gain = 1.0f;
    }
    out[k] = delayed[k] * gain;
  }
  minHead_ = minHead;
  minCount_ = minCount;
  boxPos_ = boxPos;
  unityBoxRun_ = unityRun;
  index_ = index;
  released_ = released;
  boxSum_ = boxSum;
  idle_ = idle;
  lastGain_ = gain;
}

void TruePeakLimiter::process(float* buffer, int n) noexcept {
  while (n > 0) {
    const int len = n < kSlack ? n : kSlack;
    if (audioEnd_ + len > static_cast<int>(audio_.size())) {
      std::memmove(audio_.data(), audio_.data() + audioEnd_ - latency_, sizeof(float) * static_cast<size_t>(latency_));
      audioEnd_ = latency_;
    }
    float* line = &audio_[audioEnd_];  // line[k] = buffer[k]; line[k - latency_] is its delayed twin
    simd4::copy(line, buffer, len);
    if (idle_ && quietRun_ >= kTaps && simd4::absMax(line, len) <= quietLevel_) {
      // Idle all through (gain exactly 1, nothing near the ceiling): a plain delay.
      simd4::copy(buffer, line - latency_, len);
      index_ += len;
    } else {
      float peak[kSlack];
      this->peaks(line, len, peak);
      applyGains(peak, line - latency_, buffer, len);
      // How many of the newest inputs in a row are quiet (the idle path's condition).
      quietRun_ = extendRun(quietRun_, quietTail(line, len, quietLevel_, kTaps), len, kTaps);
    }
    audioEnd_ += len;
    buffer += len;
    n -= len;
  }
}

}  // namespace vocalsynth
