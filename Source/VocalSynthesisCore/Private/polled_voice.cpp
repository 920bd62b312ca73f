#include "vocalsynth/polled_voice.h"

#include <cstring>

#include "vocalsynth/dsp_math.h"
#include "vocalsynth/speech/text_frontend.h"

namespace vocalsynth {

namespace {
float clampUnit(float x) noexcept { return x < 0.0f ? 0.0f : x > 1.0f ? 1.0f : x; }
}  // namespace

PrepareResult PolledVoice::prepare(double sampleRateHz, int maxBlockSize, std::uint64_t seed) {
  const PrepareResult result = voice_.prepare(sampleRateHz, maxBlockSize, seed);
  prepared_ = result == PrepareResult::Ok;
  fresh_ = true;
  archetypeName_ = {};
  emotionName_ = {};
  archetype_ = nullptr;
  emotion_ = "neutral";
  archetypeKnown_ = emotionKnown_ = true;
  return result;
}

void PolledVoice::reset() noexcept {
  if (prepared_) voice_.reset();
  fresh_ = true;
}

void PolledVoice::reset(std::uint64_t seed) noexcept {
  if (prepared_) voice_.reset(seed);
  fresh_ = true;
}

bool PolledVoice::takeName(const char* from, Name& name) noexcept {
  Name next;
  const char* s = from != nullptr ? from : "";
  int i = 0;
  for (; s[i] != '\0' && i < kMaxNameLength; ++i) {
    const char c = s[i];
    next.text[i] = c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
  }
  next.text[i] = '\0';
  next.tooLong = s[i] != '\0';
  const bool changed = next.tooLong != name.tooLong || std::strcmp(next.text, name.text) != 0;
  name = next;
  return changed;
}

void PolledVoice::applyParams(bool immediate) noexcept {
  if (archetype_ != nullptr)
    voice_.setParams(withEmotion(archetypeParamsFor(*archetype_, emotion_), emotion_), immediate);
}

void PolledVoice::process(const PolledControls& controls, const float* in, float* out, int n) noexcept {
  if (!prepared_) {
    for (int i = 0; i < n; ++i) out[i] = 0.0f;
    return;
  }
  const bool immediate = fresh_;
  // Names: looked up once per change; an unknown one keeps what the voice has.
  bool paramsChanged = false;
  if (takeName(controls.archetype, archetypeName_)) {
    const Archetype* found = archetypeName_.tooLong ? nullptr : findArchetype(archetypeName_.text);
    archetypeKnown_ = found != nullptr;
    if (found != nullptr && found != archetype_) {
      archetype_ = found;
      paramsChanged = true;
    }
  }
  if (takeName(controls.emotion, emotionName_)) {
    speech::Emotion emotion = speech::Emotion::Neutral;
    emotionKnown_ = !emotionName_.tooLong && speech::parseEmotion(emotionName_.text, emotion);
    const char* canonical = speech::emotionName(emotion);
    if (emotionKnown_ && std::strcmp(canonical, emotion_) != 0) {
      emotion_ = canonical;
      paramsChanged = true;
    }
  }
  if (paramsChanged || immediate) applyParams(immediate);
  // Numbers: clamped into range; a non-finite one keeps the value in effect (isFinite reads the
  // exponent bits, so this holds in a fast-math build too).
  IntensityControls intensity = intensity_;
  if (isFinite(controls.proximity)) intensity.proximity = clampUnit(controls.proximity);
  if (isFinite(controls.environment)) intensity.environment = clampUnit(controls.environment);
  if (immediate || intensity.proximity != intensity_.proximity || intensity.environment != intensity_.environment) {
    intensity_ = intensity;
    voice_.setIntensity(intensity_, immediate);
  }
  const int detail = controls.detail < 0 ? 0 : controls.detail > 2 ? 2 : controls.detail;
  if (immediate || detail != detail_) {
    detail_ = detail;
    voice_.setDetail(static_cast<VoiceDetail>(detail_));
  }
  fresh_ = false;
  voice_.process(in, out, n);
}

}  // namespace vocalsynth
