#include "vocalsynth/pitch_tracker.h"

#include <cmath>

#include "vocalsynth/dsp_math.h"

namespace vocalsynth {

namespace {
int nextPowerOfTwo(int n) {
  int p = 1;
  while (p < n) p <<= 1;
  return p;
}
constexpr float kMinF0Hz = 60.0f;
constexpr float kMaxF0Hz = 600.0f;
constexpr float kVoicingThreshold = 0.5f;
constexpr float kSilenceRms = 1e-4f;  // -80 dBFS
}  // namespace

void PitchTracker::prepare(double sampleRate) {
  sampleRate_ = sampleRate;
  decimation_ = static_cast<int>(std::lround(sampleRate / 8000.0));
  if (decimation_ < 1) decimation_ = 1;
  decimatedRate_ = sampleRate / decimation_;
  window_ = static_cast<int>(std::lround(0.015 * decimatedRate_));
  minLag_ = static_cast<int>(std::floor(decimatedRate_ / kMaxF0Hz));
  maxLag_ = static_cast<int>(std::ceil(decimatedRate_ / kMinF0Hz));
  const int span = window_ + maxLag_ + 2;
  ring_.assign(nextPowerOfTwo(span), 0.0f);
  ringMask_ = static_cast<int>(ring_.size()) - 1;
  frame_.assign(span, 0.0f);
  nccf_.assign(maxLag_ + 2, 0.0f);
  const float cutoff = static_cast<float>(decimatedRate_ * 0.45 < 1000.0 ? decimatedRate_ * 0.45 : 1000.0);
  antiAlias1_.setup(cutoff, 0.54f, static_cast<float>(sampleRate));
  antiAlias2_.setup(cutoff, 1.31f, static_cast<float>(sampleRate));
  reset();
}

void PitchTracker::reset() noexcept {
  antiAlias1_.reset();
  antiAlias2_.reset();
  for (auto& v : ring_) v = 0.0f;
  decimationPhase_ = 0;
  writePos_ = 0;
  voiced_ = false;
  f0Hz_ = 0.0f;
  periodicity_ = 0.0f;
}

void PitchTracker::push(float x) noexcept {
  const float y = antiAlias2_.lowPass(antiAlias1_.lowPass(x));
  if (++decimationPhase_ >= decimation_) {
    decimationPhase_ = 0;
    ring_[writePos_] = y;
    writePos_ = (writePos_ + 1) & ringMask_;
  }
}

double PitchTracker::analysisDelaySeconds() const noexcept {
  // The reference segment is the newest `window_` samples; it is compared with segments one
  // period earlier, so the evidence is centred about (window + period) / 2 back. Assume a
  // 150 Hz voice, plus the anti-alias filters' group delay (~0.3 ms at 1 kHz).
  const double period = decimatedRate_ / 150.0;
  return 0.5 * (window_ + period) / decimatedRate_ + 0.0003;
}

void PitchTracker::analyze() noexcept {
  const int span = static_cast<int>(frame_.size());
  // Oldest first.
  for (int i = 0; i < span; ++i) frame_[i] = ring_[(writePos_ - span + i) & ringMask_];
  const float* ref = &frame_[span - window_];
  double refEnergy = 0.0;
  for (int i = 0; i < window_; ++i) refEnergy += static_cast<double>(ref[i]) * ref[i];
  if (refEnergy < kSilenceRms * kSilenceRms * window_) {
    voiced_ = false;
    periodicity_ = 0.0f;
    return;
  }
  // Energy of the lagged segment, updated as the lag grows.
  double lagEnergy = 0.0;
  const float* lagged0 = ref - minLag_;
  for (int i = 0; i < window_; ++i) lagEnergy += static_cast<double>(lagged0[i]) * lagged0[i];
  float best = 0.0f;
  for (int lag = minLag_; lag <= maxLag_; ++lag) {
    const float* lagged = ref - lag;
    const float acc = dot(ref, lagged, window_);
    const double denom = std::sqrt(refEnergy * lagEnergy) + 1e-20;
    const float value = static_cast<float>(acc / denom);
    nccf_[lag] = value;
    if (value > best) best = value;
    // Slide the lagged window one sample further back.
    const float enter = lagged[-1];
    const float leave = lagged[window_ - 1];
    lagEnergy += static_cast<double>(enter) * enter - static_cast<double>(leave) * leave;
    if (lagEnergy < 0.0) lagEnergy = 0.0;
  }
  periodicity_ = best;
  if (best < kVoicingThreshold) {
    voiced_ = false;
    return;
  }
  // Shortest lag that is a local peak within 12% of the best: avoids picking 2T or 3T.
  int chosen = -1;
  for (int lag = minLag_ + 1; lag < maxLag_; ++lag) {
    if (nccf_[lag] >= 0.88f * best && nccf_[lag] >= nccf_[lag - 1] && nccf_[lag] >= nccf_[lag + 1]) {
      chosen = lag;
      break;
    }
  }
  if (chosen < 0) {
    voiced_ = false;
    return;
  }
  const float ym1 = nccf_[chosen - 1], y0 = nccf_[chosen], yp1 = nccf_[chosen + 1];
  const float curvature = ym1 - 2.0f * y0 + yp1;
  float offset = 0.0f;
  if (curvature < 0.0f) offset = 0.5f * (ym1 - yp1) / curvature;
  if (offset > 0.5f) offset = 0.5f;
  if (offset < -0.5f) offset = -0.5f;
  const float period = static_cast<float>(chosen) + offset;
  voiced_ = true;
  f0Hz_ = static_cast<float>(decimatedRate_) / period;
}

}  // namespace vocalsynth
