#include "vocalsynth/anchor.h"

#include <cmath>
#include <cstring>

#include "vocalsynth/dsp_math.h"
#include "vocalsynth/glottal.h"
#include "vocalsynth/random.h"
#include "vocalsynth/svf.h"

namespace vocalsynth {

namespace {

const VowelFormants kVowels[] = {
    {'a', {730.0f, 1090.0f, 2440.0f, 3400.0f, 4200.0f}, {80.0f, 90.0f, 120.0f, 180.0f, 250.0f}},
    {'e', {530.0f, 1840.0f, 2480.0f, 3400.0f, 4200.0f}, {60.0f, 90.0f, 120.0f, 180.0f, 250.0f}},
    {'i', {270.0f, 2290.0f, 3010.0f, 3600.0f, 4300.0f}, {50.0f, 90.0f, 130.0f, 180.0f, 250.0f}},
    {'o', {570.0f, 840.0f, 2410.0f, 3400.0f, 4200.0f}, {70.0f, 80.0f, 120.0f, 180.0f, 250.0f}},
    {'u', {300.0f, 870.0f, 2240.0f, 3400.0f, 4200.0f}, {50.0f, 80.0f, 120.0f, 180.0f, 250.0f}},
    {'@', {500.0f, 1500.0f, 2500.0f, 3500.0f, 4500.0f}, {70.0f, 90.0f, 120.0f, 180.0f, 250.0f}},
};

}  // namespace

const VowelFormants* findVowel(char symbol) noexcept {
  for (const auto& v : kVowels) {
    if (v.symbol == symbol) return &v;
  }
  return nullptr;
}

bool renderAnchor(const AnchorSettings& s, double sampleRateHz, float* out, int numSamples) noexcept {
  if (out == nullptr || numSamples < 0 || !(sampleRateHz >= 8000.0 && sampleRateHz <= 192000.0)) return false;
  if (s.vowels == nullptr || s.vowels[0] == '\0' || !(s.f0Hz > 20.0f && s.f0Hz < 1000.0f)) return false;
  const int numVowels = static_cast<int>(std::strlen(s.vowels));
  for (int v = 0; v < numVowels; ++v) {
    if (findVowel(s.vowels[v]) == nullptr) return false;
  }
  if (numSamples == 0) return true;

  const float fs = static_cast<float>(sampleRateHz);
  Random random(s.seed, 0xA0C4);
  Svf resonators[5];
  Svf aspirationFilter;
  aspirationFilter.setup(2500.0f, 0.5f, fs);
  const float totalSeconds = static_cast<float>(numSamples) / fs;
  const float segmentSeconds = totalSeconds / static_cast<float>(numVowels);
  const float glideSeconds = segmentSeconds * 0.25f < 0.06f ? segmentSeconds * 0.25f : 0.06f;

  float phase = 0.0f;
  float previousFlow = 0.0f;
  float periodScale = 1.0f + s.jitter * random.gaussian();
  float pulseGain = 1.0f + s.shimmer * random.gaussian();
  float peak = 0.0f;
  constexpr int kUpdateInterval = 16;
  for (int n = 0; n < numSamples; ++n) {
    const float t = static_cast<float>(n) / fs;
    const float progress = t / totalSeconds;
    if (n % kUpdateInterval == 0) {
      // Formants: steady inside a segment, a linear glide across each boundary.
      int seg = static_cast<int>(t / segmentSeconds);
      if (seg >= numVowels) seg = numVowels - 1;
      const float intoSegment = t - static_cast<float>(seg) * segmentSeconds;
      const VowelFormants* cur = findVowel(s.vowels[seg]);
      const VowelFormants* prev = seg > 0 ? findVowel(s.vowels[seg - 1]) : cur;
      float mix = intoSegment < glideSeconds ? 0.5f + 0.5f * intoSegment / glideSeconds : 1.0f;
      if (seg == 0) mix = 1.0f;
      for (int k = 0; k < 5; ++k) {
        const float f = lerp(prev->frequencyHz[k], cur->frequencyHz[k], mix) * s.formantScale;
        const float bw = lerp(prev->bandwidthHz[k], cur->bandwidthHz[k], mix);
        resonators[k].setup(f, f / bw, fs);
      }
    }
    float f0 = s.f0Hz * (1.0f - s.declination * progress);
    f0 *= 1.0f + s.vibratoDepth * std::sin(kTwoPi * s.vibratoRateHz * t);
    phase += f0 / fs * periodScale;
    if (phase >= 1.0f) {
      phase -= 1.0f;
      periodScale = 1.0f / (1.0f + s.jitter * random.gaussian());
      pulseGain = 1.0f + s.shimmer * random.gaussian();
    }
    // Flow derivative = excitation including lip radiation.
    const float flow = rosenbergFlow(phase) * pulseGain;
    float source = (flow - previousFlow) * fs / (f0 * 4.0f);
    previousFlow = flow;
    source += s.aspiration * aspirationFilter.bandPass(random.bipolar());
    // Level: 30 ms attack/release at the ends, syllable dips between vowels.
    float level = 1.0f;
    const float fromEnd = totalSeconds - t;
    if (t < 0.03f) level = t / 0.03f;
    if (fromEnd < 0.05f) level = fromEnd / 0.05f;
    if (s.syllableDips && numVowels > 1) {
      const float withinSegment = std::fmod(t, segmentSeconds) / segmentSeconds;
      const float toBoundary = withinSegment < 0.5f ? withinSegment : 1.0f - withinSegment;
      const float boundarySeconds = toBoundary * segmentSeconds;
      if (boundarySeconds < 0.05f && t > segmentSeconds * 0.5f && fromEnd > segmentSeconds * 0.5f) {
        level *= 0.03f + 0.97f * (boundarySeconds / 0.05f) * (boundarySeconds / 0.05f);
      }
    }
    float y = source * level;
    for (auto& r : resonators) y = r.lowPass(y);
    out[n] = y;
    const float a = std::fabs(y);
    if (a > peak) peak = a;
  }
  const float gain = peak > 0.0f ? s.peakLevel / peak : 0.0f;
  for (int n = 0; n < numSamples; ++n) out[n] *= gain;
  return true;
}

}  // namespace vocalsynth
