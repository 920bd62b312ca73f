// Linear prediction for formant shaping of an arbitrary anchor voice (source-filter model:
// Atal & Hanauer 1971; Makhoul 1975 "Linear prediction: a tutorial review").
//
// The anchor is split into an excitation (the LPC residual) and a spectral envelope (1/A(z)).
// Formant scale/shift and tract length are applied by warping the envelope's frequency axis and
// fitting a new all-pole filter to the warped envelope through its autocorrelation, so any warp
// (scale, Hz shift, tapered at DC) gives a stable filter. Bandwidth expansion is a Gaussian lag
// window on that autocorrelation (as in ITU-T G.729 section 3.2.1).
#pragma once

#include <vector>

namespace vocalsynth {

/// Levinson-Durbin recursion on autocorrelation r[0..order]. Writes the predictor polynomial
/// a[0..order] (a[0] = 1, A(z) = sum a_j z^-j) and reflection coefficients k[0..order-1].
/// Returns the normalised prediction error power (<= r[0]); reflection coefficients are clamped
/// to |k| <= 0.999 so the synthesis filter is always stable.
double levinsonDurbin(const double* r, int order, double* a, double* k) noexcept;

/// Step-up recursion: reflection coefficients k[0..order-1] -> a[0..order] (a[0] = 1).
void reflectionToPredictor(const double* k, int order, double* a) noexcept;
/// The same for two sets at once (k1 -> a1, k2 -> a2), interleaved: the results of two calls.
void reflectionToPredictorPair(const double* k1, const double* k2, int order, double* a1, double* a2) noexcept;

/// prod (1 - k_i^2) over reflection coefficients k[0..order-1]: the prediction error left of a
/// unit-power signal, and the inverse of white noise's power gain through their all-pole filter.
double predictionErrorRatio(const double* k, int order) noexcept;

/// Power gain of white noise through 1/A(z), A(z) = sum a_j z^-j (a[0] = 1, order <= 32): the
/// step-down recursion's prod 1 / (1 - k_i^2). Returns infinity for an unstable A.
double allPoleNoisePowerGain(const double* a, int order) noexcept;

struct WarpSettings {
  double scale = 1.0;  ///< f_out = scale * f_in + shift (shift tapered below 300 Hz)
  double shiftHz = 0.0;
  double extraBandwidthHz = 0.0;  ///< added to every formant bandwidth
  bool isNeutral() const noexcept { return scale == 1.0 && shiftHz == 0.0 && extraBandwidthHz == 0.0; }
};

/// Computes the autocorrelation of a frequency-warped all-pole envelope. All tables are built in
/// prepare(); warp() does a fixed amount of work (bins x order) and never allocates. The loops
/// run across bins or lags (no per-bin reductions), so they vectorize. `numBins` is a multiple of 8.
class EnvelopeWarper {
 public:
  void prepare(double sampleRate, int order, int numBins);
  /// `a` is the analysis predictor (a[0] = 1). Writes rOut[0..order].
  void warp(const double* a, const WarpSettings& settings, double* rOut) noexcept;
  int numBins() const noexcept { return numBins_; }

 private:
  void placeBins(const WarpSettings& settings) noexcept;

  double sampleRate_ = 48000.0;
  int order_ = 0;
  int numBins_ = 0;
  std::vector<float> cosByLag_;  // [lag][bin]: A(e^jw) per bin, and the inverse transform per lag
  std::vector<float> sinByLag_;
  std::vector<float> logPower_;  // log2 of the envelope power per bin
  std::vector<float> warpedPower_;
  std::vector<int> sourceBin_;  // where each output bin samples the input envelope
  std::vector<float> sourceFrac_;
  WarpSettings placed_;  // the settings sourceBin_/sourceFrac_ were computed for
  bool placedValid_ = false;
  std::vector<double> bandwidthWindow_;  // Gaussian lag window / bins for bandwidthHz_
  double bandwidthHz_ = 0.0;
  bool bandwidthValid_ = false;
};

}  // namespace vocalsynth
