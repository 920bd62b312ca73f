// Glottal flow of one period, shared by the built-in anchor and the speech synthesizer.
#pragma once

#include <cmath>

#include "vocalsynth/dsp_math.h"

namespace vocalsynth {

/// Rosenberg (1971) shape "C": flow over one period (phase 0..1), a raised-cosine opening over the
/// first 40% and a quarter-cosine closing over the next 16%, closed for the rest. Its derivative
/// (the excitation, including lip radiation) has the abrupt closure that gives speech its spectrum.
inline float rosenbergFlow(float phase) noexcept {
  constexpr float tp = 0.40f, tn = 0.16f;
  if (phase < tp) return 0.5f * (1.0f - std::cos(kPi * phase / tp));
  if (phase < tp + tn) return std::cos(0.5f * kPi * (phase - tp) / tn);
  return 0.0f;
}

}  // namespace vocalsynth
