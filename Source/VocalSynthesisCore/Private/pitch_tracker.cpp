#include "vocalsynth/pitch_tracker.h"

#include <cmath>
#include <cstring>

#include "simd4.h"
#include "vocalsynth/dsp_math.h"

namespace vocalsynth {

namespace {
constexpr float kMinF0Hz = 60.0f;
constexpr float kMaxF0Hz = 600.0f;
constexpr float kVoicingThreshold = 0.5f;
constexpr float kCandidateThreshold = 0.6f;  // coarse peaks worth refining, relative to the best
// The shortest lag within 7% of the best wins. At twice the period a periodic voice correlates
// as well as at the period (within a few %), so the period wins; at half the period an /i/, whose
// F1 sits on its 2nd harmonic, correlates ~10% less, and must not (a 12% tolerance let it).
constexpr float kOctaveTolerance = 0.93f;
constexpr float kSilenceRms = 1e-4f;  // -80 dBFS
// A true period L leaves at most leakage and noise at half its F0 (under -30 dB in a Hann
// window); the 1st harmonic of a voice tracked at T/2 is rarely more than 20 dB under its 2nd.
constexpr double kHalfF0PowerRatio = 0.003;  // -25 dB
constexpr double kHalfF0NoiseMargin = 3.0;   // ~5 dB over the expected noise in its bin
constexpr int kCicSlack = 512;

/// prefix[i + 1] = prefix[i] + x[i]^2 for the n samples of x (prefix[0] is kept).
void prefixSquares(const float* x, int n, double* prefix) noexcept {
  for (int i = 0; i < n; ++i) prefix[i + 1] = prefix[i] + static_cast<double>(x[i]) * x[i];
}
}  // namespace

void PitchTracker::prepare(double sampleRate) {
  sampleRate_ = sampleRate;
  decimation_ = static_cast<int>(std::lround(sampleRate / 8000.0));
  if (decimation_ < 1) decimation_ = 1;
  decimatedRate_ = sampleRate / decimation_;
  // CIC3 = a length-D boxcar convolved with itself three times, normalised to unity DC gain:
  // nulls at every multiple of the output rate, where the aliases would land on 0 Hz.
  std::vector<double> kernel(1, 1.0);
  for (int stage = 0; stage < 3; ++stage) {
    std::vector<double> next(kernel.size() + decimation_ - 1, 0.0);
    for (size_t i = 0; i < kernel.size(); ++i) {
      for (int j = 0; j < decimation_; ++j) next[i + j] += kernel[i];
    }
    kernel.swap(next);
  }
  cicTaps_ = static_cast<int>(kernel.size());
  cicPaddedTaps_ = (cicTaps_ + 3) / 4 * 4;
  cicKernel_.assign(cicPaddedTaps_, 0.0f);
  const double norm = static_cast<double>(decimation_) * decimation_ * decimation_;
  for (int i = 0; i < cicTaps_; ++i) cicKernel_[cicPaddedTaps_ - cicTaps_ + i] = static_cast<float>(kernel[i] / norm);
  cicInput_.assign(static_cast<size_t>(cicPaddedTaps_) + kCicSlack, 0.0f);

  window_ = static_cast<int>(std::lround(0.015 * decimatedRate_));
  minLag_ = static_cast<int>(std::floor(decimatedRate_ / kMaxF0Hz));
  maxLag_ = static_cast<int>(std::ceil(decimatedRate_ / kMinF0Hz));
  // The span covers the reference window plus the longest lag a refinement may reach (even, so
  // the coarse copy's pairs line up with its end).
  span_ = (window_ + maxLag_ + 2 * kRefineRadius + 4 + 1) / 2 * 2;
  history_.assign(static_cast<size_t>(span_) + kHistorySlack, 0.0f);
  goertzelWindow_ = 2 * window_ < span_ ? 2 * window_ : span_;
  hann_.resize(static_cast<size_t>(goertzelWindow_));
  for (int i = 0; i < goertzelWindow_; ++i) hann_[static_cast<size_t>(i)] = hannAt(i, goertzelWindow_);
  coarseHistory_.assign(static_cast<size_t>(span_ / 2) + kHistorySlack, 0.0f);
  energy_.assign(history_.size() + 1, 0.0);
  coarseEnergy_.assign(coarseHistory_.size() + 1, 0.0);
  coarseNccf_.assign(maxLag_ / 2 + 3, 0.0f);
  const auto dr = static_cast<float>(decimatedRate_);
  const float cutoff = dr * 0.45f < 1000.0f ? dr * 0.45f : 1000.0f;
  antiAlias1_.setup(cutoff, 0.54f, dr);
  antiAlias2_.setup(cutoff, 1.31f, dr);
  reset();
}

void PitchTracker::reset() noexcept {
  antiAlias1_.reset();
  antiAlias2_.reset();
  for (auto& v : cicInput_) v = 0.0f;
  cicEnd_ = cicPaddedTaps_;
  for (auto& v : history_) v = 0.0f;
  for (auto& v : coarseHistory_) v = 0.0f;
  for (auto& v : energy_) v = 0.0;
  for (auto& v : coarseEnergy_) v = 0.0;
  historyEnd_ = span_;
  coarseEnd_ = span_ / 2;
  decimationPhase_ = 0;
  voiced_ = false;
  f0Hz_ = 0.0f;
  periodicity_ = 0.0f;
  lastLag_ = -1;
  hopsSinceSearch_ = 0;
}

void PitchTracker::appendDecimated(float y) noexcept {
  if (historyEnd_ == static_cast<int>(history_.size())) {
    // Keep the newest span; the prefix sums restart from it (so they never grow large).
    std::memmove(history_.data(), history_.data() + historyEnd_ - span_, sizeof(float) * static_cast<size_t>(span_));
    historyEnd_ = span_;
    std::memmove(coarseHistory_.data(), coarseHistory_.data() + coarseEnd_ - span_ / 2,
                 sizeof(float) * static_cast<size_t>(span_ / 2));
    coarseEnd_ = span_ / 2;
    prefixSquares(history_.data(), historyEnd_, energy_.data());
    prefixSquares(coarseHistory_.data(), coarseEnd_, coarseEnergy_.data());
  }
  history_[historyEnd_] = y;
  prefixSquares(&history_[historyEnd_], 1, &energy_[historyEnd_]);
  ++historyEnd_;
  // Every second sample completes a coarse pair (span_ is even, so pairs end with the frame).
  if (((historyEnd_ - span_) & 1) == 0) {
    coarseHistory_[coarseEnd_] = 0.5f * (history_[historyEnd_ - 2] + y);
    prefixSquares(&coarseHistory_[coarseEnd_], 1, &coarseEnergy_[coarseEnd_]);
    ++coarseEnd_;
  }
}

void PitchTracker::pushBlock(const float* x, int n) noexcept {
  while (n > 0) {
    const int len = n < kCicSlack ? n : kCicSlack;
    if (cicEnd_ + len > static_cast<int>(cicInput_.size())) {
      std::memmove(cicInput_.data(), cicInput_.data() + cicEnd_ - cicPaddedTaps_,
                   sizeof(float) * static_cast<size_t>(cicPaddedTaps_));
      cicEnd_ = cicPaddedTaps_;
    }
    simd4::copy(&cicInput_[cicEnd_], x, len);
    // An output is due at every decimation_-th input; the kernel is symmetric, so the
    // time-ordered history needs no reversal.
    int k = decimation_ - 1 - decimationPhase_;
    FixedSvf antiAlias1 = antiAlias1_, antiAlias2 = antiAlias2_;  // locals: the appends cannot alias them
    for (; k < len; k += decimation_) {
      const float y = simd4::dot4(cicKernel_.data(), &cicInput_[cicEnd_ + k + 1 - cicPaddedTaps_], cicPaddedTaps_);
      appendDecimated(antiAlias2.lowPass(antiAlias1.lowPass(y)));
    }
    antiAlias1_ = antiAlias1;
    antiAlias2_ = antiAlias2;
    decimationPhase_ = (decimationPhase_ + len) % decimation_;
    cicEnd_ += len;
    x += len;
    n -= len;
  }
}

double PitchTracker::analysisDelaySeconds() const noexcept {
  // The reference segment is the newest `window_` samples; it is compared with segments one
  // period earlier, so the evidence is centred about (window + period) / 2 back. Assume a
  // 150 Hz voice, plus the front end's group delay (CIC half its length, the SVFs ~0.3 ms).
  const double period = decimatedRate_ / 150.0;
  return 0.5 * (window_ + period) / decimatedRate_ + 0.5 * (cicTaps_ - 1) / sampleRate_ + 0.0003;
}

double PitchTracker::goertzelPower(const float* x, double cyclesPerSample, double* windowedEnergy) const noexcept {
  // Goertzel (1958): one DFT bin at any frequency, over the Hann-windowed newest 30 ms.
  const double coefficient = 2.0 * std::cos(2.0 * 3.14159265358979323846 * cyclesPerSample);
  double s1 = 0.0, s2 = 0.0, energy = 0.0;
  for (int i = 0; i < goertzelWindow_; ++i) {
    const double v = static_cast<double>(x[i]) * hann_[static_cast<size_t>(i)];
    energy += v * v;
    const double s0 = v + coefficient * s1 - s2;
    s2 = s1;
    s1 = s0;
  }
  if (windowedEnergy != nullptr) *windowedEnergy = energy;
  return s1 * s1 + s2 * s2 - coefficient * s1 * s2;
}

float PitchTracker::nccf(const float* frame, const double* energy, int refStart, int window, int lag,
                         double refEnergy) noexcept {
  const int start = refStart - lag;
  const float acc = simd4::dot(frame + refStart, frame + start, window);
  double lagEnergy = energy[start + window] - energy[start];
  if (lagEnergy < 0.0) lagEnergy = 0.0;
  return static_cast<float>(acc / (std::sqrt(refEnergy * lagEnergy) + 1e-20));
}

void PitchTracker::analyze() noexcept {
  const int span = span_;
  // The newest span samples, oldest first, in place; prefix sums of squares give every segment's
  // energy.
  const float* frame = &history_[historyEnd_ - span];
  const double* energy = &energy_[historyEnd_ - span];  // energy[i]: squares before frame[i], plus a constant
  const int refStart = span - window_;
  const double refEnergy = energy[span] - energy[refStart];
  if (refEnergy < static_cast<double>(kSilenceRms) * kSilenceRms * window_) {
    voiced_ = false;
    periodicity_ = 0.0f;
    return;
  }

  // Full resolution around a lag: its local peak, and the neighbours for the parabola.
  struct Peak {
    int lag = -1;
    float value = 0.0f, before = 0.0f, after = 0.0f;
    bool interior() const noexcept { return value >= before && value >= after; }
    /// The parabola's vertex through the three values: the peak between integer lags. A period of
    /// 27.5 lags (267 Hz at 7,350 Hz, the tracker's rate from 44.1 kHz) reads ~8% low at 27 and
    /// 28, where 2T = 55 lags falls on a lag: compared at integer lags, twice the period won.
    float height() const noexcept {
      const float curvature = before - 2.0f * value + after;
      return interior() && curvature < 0.0f ? value - 0.125f * (before - after) * (before - after) / curvature : value;
    }
  };
  auto refine = [&](int centre) {
    const int lo = centre - kRefineRadius > minLag_ ? centre - kRefineRadius : minLag_;
    const int hi = centre + kRefineRadius < maxLag_ ? centre + kRefineRadius : maxLag_;
    float values[2 * kRefineRadius + 1] = {};
    int argmax = lo;
    for (int lag = lo; lag <= hi; ++lag) {
      values[lag - lo] = nccf(frame, energy, refStart, window_, lag, refEnergy);
      if (values[lag - lo] > values[argmax - lo]) argmax = lag;
    }
    Peak peak;
    peak.lag = argmax;
    peak.value = values[argmax - lo];
    peak.before = argmax > lo ? values[argmax - 1 - lo] : nccf(frame, energy, refStart, window_, argmax - 1, refEnergy);
    peak.after = argmax < hi ? values[argmax + 1 - lo] : nccf(frame, energy, refStart, window_, argmax + 1, refEnergy);
    return peak;
  };
  auto accept = [&](const Peak& p) {
    const float curvature = p.before - 2.0f * p.value + p.after;
    float shift = 0.0f;
    if (curvature < 0.0f) shift = 0.5f * (p.before - p.after) / curvature;
    if (shift > 0.5f) shift = 0.5f;
    if (shift < -0.5f) shift = -0.5f;
    voiced_ = true;
    periodicity_ = p.value;
    lastLag_ = p.lag;
    f0Hz_ = static_cast<float>(decimatedRate_) / (static_cast<float>(p.lag) + shift);
  };

  // Tracking: for up to kTrackingHops hops after a search, a voice that was periodic a hop ago is
  // followed from its last period alone, as long as that stays a clear peak (5 ms is too short
  // for an octave jump; a full search still comes every ~20 ms).
  if (voiced_ && lastLag_ > 0 && hopsSinceSearch_ < kTrackingHops) {
    ++hopsSinceSearch_;
    const Peak peak = refine(lastLag_);
    if (peak.interior() && peak.value >= kVoicingThreshold && peak.value >= 0.9f * periodicity_) {
      accept(peak);
      return;
    }
  }
  hopsSinceSearch_ = 0;

  // Coarse pass at half the rate over every lag: candidate peaks.
  const int coarseLength = span / 2;
  const float* coarse = &coarseHistory_[coarseEnd_ - coarseLength];
  const double* coarseEnergy = &coarseEnergy_[coarseEnd_ - coarseLength];
  const int coarseWindow = window_ / 2;
  const int coarseRef = coarseLength - coarseWindow;
  const double coarseRefEnergy = coarseEnergy[coarseLength] - coarseEnergy[coarseRef];
  const int coarseMin = minLag_ / 2 > 1 ? minLag_ / 2 : 1;
  const int coarseMax = (maxLag_ + 1) / 2;
  float coarseBest = 0.0f;
  int coarseBestLag = -1;
  for (int lag = coarseMin; lag <= coarseMax; ++lag) {
    const float v = nccf(coarse, coarseEnergy, coarseRef, coarseWindow, lag, coarseRefEnergy);
    coarseNccf_[lag] = v;
    if (v > coarseBest) {
      coarseBest = v;
      coarseBestLag = lag;
    }
  }
  if (coarseBestLag < 0 || coarseBest < kCandidateThreshold * kVoicingThreshold) {
    voiced_ = false;
    periodicity_ = coarseBest > 0.0f ? coarseBest : 0.0f;
    return;
  }
  // The global best, then the shortest other peaks: the octave rule below needs short lags.
  // (kMaxCandidates of them: a low-passed voice correlates fairly well at its shortest lags, and
  // with four those peaks could crowd out the period itself, leaving twice it to win.)
  int candidates[kMaxCandidates];
  int count = 0;
  candidates[count++] = coarseBestLag;
  for (int lag = coarseMin; lag <= coarseMax && count < kMaxCandidates; ++lag) {
    if (lag == coarseBestLag) continue;
    const float v = coarseNccf_[lag];
    const bool peak =
        (lag == coarseMin || v >= coarseNccf_[lag - 1]) && (lag == coarseMax || v >= coarseNccf_[lag + 1]);
    if (peak && v >= kCandidateThreshold * coarseBest) candidates[count++] = lag;
  }
  // Full resolution around each candidate; the shortest lag within 7% of the best peak (its
  // vertex, between lags) wins.
  Peak peaks[kMaxCandidates];
  float best = 0.0f, bestHeight = 0.0f;
  for (int c = 0; c < count; ++c) {
    peaks[c] = refine(2 * candidates[c]);
    if (peaks[c].value > best) best = peaks[c].value;
    if (peaks[c].height() > bestHeight) bestHeight = peaks[c].height();
  }
  periodicity_ = best;
  if (best < kVoicingThreshold) {
    voiced_ = false;
    return;
  }
  int chosen = -1;
  for (int c = 0; c < count; ++c) {
    if (peaks[c].interior() && peaks[c].height() >= kOctaveTolerance * bestHeight &&
        (chosen < 0 || peaks[c].lag < peaks[chosen].lag))
      chosen = c;
  }
  if (chosen < 0) {
    voiced_ = false;
    return;
  }
  // Half the period of a high voice whose F1 sits on its 2nd harmonic (an /e/ at 250 Hz) comes
  // within the tolerance too: with its 1st harmonic 20 dB under the 2nd, the voice correlates at
  // T/2 within 2% of T, less than the drift between T and 2T. The spectrum tells them apart: a
  // true period L has nothing at half its F0, while T/2 = L has the voice's own 1st harmonic
  // there. So where a peak at 2L is voiced too, the power at F0 / 2 against that at F0
  // (Hann-windowed Goertzel) decides.
  // (Over the newest 30 ms, and only for short lags, L <= window / 6: F0 / 2 must lie three Hann
  // bins from F0, or F0's own leakage would fill it.)
  // (At most twice: a 120 Hz voice read at 480 Hz comes down in two octaves.)
  Peak period = peaks[chosen];
  for (int step = 0; step < 2; ++step) {
    const int shortLag = period.lag;
    if (6 * shortLag > goertzelWindow_ || 2 * shortLag + kRefineRadius > maxLag_) break;
    const Peak twice = refine(2 * shortLag);
    if (!twice.interior() || twice.value < kVoicingThreshold) break;
    // Noise fills every bin too: with the periodicity p, about (1 - p) of the windowed power W is
    // noise, ~4 (1 - p) W per bin of this band (white below the 1 kHz low-pass), where a
    // harmonic holding a share f of the power reaches f W N / 3. The 1st harmonic must stand
    // clear of both the leakage and that floor.
    const float* newest = frame + span - goertzelWindow_;
    double windowed = 0.0;
    const double half = goertzelPower(newest, 0.5 / shortLag, &windowed),
                 full = goertzelPower(newest, 1.0 / shortLag, nullptr);
    const double noiseFloor = 4.0 * (1.0 - static_cast<double>(best)) * windowed;
    if (half <= kHalfF0PowerRatio * full || half <= kHalfF0NoiseMargin * noiseFloor) break;
    period = twice;
  }
  accept(period);
}

}  // namespace vocalsynth
