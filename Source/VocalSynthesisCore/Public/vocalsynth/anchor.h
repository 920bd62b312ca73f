// Built-in anchor: a voice-like test and preview signal the engine makes itself (no recording,
// no download). A Rosenberg glottal pulse (Rosenberg 1971, shape "C") drives a cascade of five
// formant resonators (Klatt 1980 cascade branch; each resonator is a TPT SVF low-pass, so it
// stays stable while formants glide). Known truth for tests: F0, vibrato, jitter, formants.
#pragma once

#include <cstdint>

namespace vocalsynth {

struct VowelFormants {
  char symbol;  ///< 'a' (father), 'e' (bet), 'i' (beet), 'o' (bought), 'u' (boot), '@' (schwa)
  float frequencyHz[5];
  float bandwidthHz[5];
};

/// Adult male averages (Peterson & Barney 1952 for F1-F3; F4/F5 typical values).
const VowelFormants* findVowel(char symbol) noexcept;

struct AnchorSettings {
  float f0Hz = 120.0f;
  float declination = 0.15f;  ///< F0 falls by this fraction over the phrase
  float vibratoDepth = 0.0f;  ///< peak F0 deviation as a fraction (0.03 = +-3%)
  float vibratoRateHz = 5.5f;
  float jitter = 0.0f;           ///< random period perturbation std as a fraction of the period
  float shimmer = 0.0f;          ///< random pulse amplitude perturbation std (linear fraction)
  float aspiration = 0.01f;      ///< breath noise relative to the pulse
  float formantScale = 1.0f;     ///< scales every formant (a smaller or larger speaker)
  const char* vowels = "aiuea";  ///< one steady segment per symbol, with glides and syllable dips
  bool syllableDips = true;      ///< dip the level between vowels, so onsets exist
  float peakLevel = 0.5f;        ///< peak of the rendered signal
  std::uint64_t seed = 1;
};

/// Renders `numSamples` samples at `sampleRateHz` into `out`. Offline: no allocation, returns
/// false on bad arguments (rate outside 8-192 kHz, unknown vowel symbol, null buffer).
bool renderAnchor(const AnchorSettings& settings, double sampleRateHz, float* out, int numSamples) noexcept;

}  // namespace vocalsynth
